/*
 * Test input files for the host unit tests: load(name) reads
 * data_dir/name (build/unit unless the test's argv says otherwise) whole.
 */
#ifndef UNIT_BLOB_H
#define UNIT_BLOB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

static const char *data_dir = "build/unit";

struct blob {
	uint8_t *data;
	size_t size;
};

static inline struct blob load(const char *name)
{
	struct blob b = { NULL, 0 };
	char path[512];
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	f = fopen(path, "rb");
	CHECKF(f != NULL, "cannot open %s", path);
	if (!f)
		return b;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b.data = malloc(n > 0 ? (size_t)n : 1);
	b.size = fread(b.data, 1, n > 0 ? (size_t)n : 0, f);
	fclose(f);
	CHECK_EQ(b.size, n);
	return b;
}

#endif
