/*
 * Which domain owns each page of host RAM (hv/core/frame_owner.c): set
 * when arx gives a page to a domain (its RAM, ring pages, grant-table
 * frames), cleared when it takes it back. The control domain maps other
 * domains' pages; when it unmaps one, this says whose page it was, in
 * constant time, so that domain's count of mapped pages can drop.
 */
#ifndef ARX_FRAME_OWNER_H
#define ARX_FRAME_OWNER_H

#include "types.h"

#define OWNER_NONE 0xffffu

/* Covers every RAM range of the page allocator; call once after palloc_init. */
int frame_owner_init(void);
void frame_owner_set(paddr_t pa, uint64_t pages, uint16_t owner);
/* The owner of the page at pa, OWNER_NONE if arx's, free, or not RAM. */
uint16_t frame_owner(paddr_t pa);

#endif
