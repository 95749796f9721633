/*
 * arxpolicy's library: the policy text language (docs/policy.md) compiled
 * to the binary format (include/public/arx_policy.h), a loaded policy
 * printed back as text, and synthetic policies for the load benchmark.
 * Kept apart from arxpolicy.c's main so the unit tests drive it directly.
 */
#ifndef ARXPOLICY_COMPILE_H
#define ARXPOLICY_COMPILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <arx/policy.h>
#include <public/arx_policy.h>

/* Bytes in one line, its newline excluded: long enough for 256 short type names. */
#define PC_MAX_LINE 4096

/*
 * Compiles text[0..len) (any bytes: it is checked), named `file` in
 * messages. Returns 0 with *blob (malloc'd, 4-byte aligned) and *size set,
 * or -1 with "file:line: problem" in err[0..err_len) and *blob untouched.
 */
int policy_compile(const char *file, const char *text, size_t len, uint8_t **blob, size_t *size,
		   char *err, size_t err_len);

/* Prints a loaded policy as text that compiles back to the same blob. */
int policy_dump(FILE *f, const struct policy *p);

/*
 * Prints a valid synthetic policy with ntypes types (1 to 256) and nrules
 * allow rules, the same every time. Returns -1 on bad arguments.
 */
int policy_gen_bench(FILE *f, unsigned long ntypes, unsigned long nrules);

#endif
