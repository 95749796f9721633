/* What tests/unit/control_stubs.c records, for test_control.c. */
#ifndef UNIT_CONTROL_STUBS_H
#define UNIT_CONTROL_STUBS_H

#include <arx/vpl011.h>
#include "xen_stubs.h"

struct control_fake {
	int table_depth; /* domains_table_lock holders */
	int reserved; /* ids handed out and not published or given back */
	struct domain *ended; /* the last domain_end */
	enum domain_action end_action;
	uint64_t flushed_bytes;
	const char *log; /* arx's log, as console_log_read gives it */
	/* The last vPL011 ring set up, and the remote its port waits for. */
	paddr_t vuart_base, vuart_ring;
	unsigned int vuart_intid;
	uint32_t vuart_port;
	uint16_t vuart_remote;
	/* Ports raised by evtchn_raise_if_bound, which says bound only when store_bound. */
	bool store_bound;
	uint32_t raised_port;
	unsigned int raised;
};

extern struct control_fake cfake;

#endif
