/*
 * arxpolicy: compiles arx's mandatory access control policies (the language
 * is in docs/policy.md) and shows compiled ones.
 *
 *   arxpolicy compile IN.pol -o OUT.bin   text to binary; nothing written on error
 *   arxpolicy check IN.pol                the same checks, no output file
 *   arxpolicy dump IN.bin                 a binary, checked by the hypervisor's own
 *                                         validator (hv/lib/policy_check.c), as text
 *   arxpolicy gen-bench N_TYPES N_RULES   a synthetic policy text, for benchmarks
 *
 * Built for the build host (boot packages) and for dom0 (/usr/bin/arxpolicy,
 * for xl loadpolicy). Exit status: 0 success, 1 a bad input, 2 bad usage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy_compile.h"

/* Far above any real policy text (the binary's limit is 1 MiB). */
#define MAX_INPUT (16ul << 20)

static int usage(void)
{
	fputs("usage: arxpolicy compile IN.pol -o OUT.bin\n"
	      "       arxpolicy check IN.pol\n"
	      "       arxpolicy dump IN.bin\n"
	      "       arxpolicy gen-bench N_TYPES N_RULES\n", stderr);
	return 2;
}

/* The whole file, NUL-terminated beyond *len; NULL with a message printed. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(MAX_INPUT + 1);
	if (buf)
		n = fread(buf, 1, MAX_INPUT + 1, f);
	if (!buf || ferror(f) || n > MAX_INPUT) {
		fprintf(stderr, "%s: %s\n", path, !buf ? "out of memory" :
			ferror(f) ? "read error" : "larger than 16 MiB");
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = n;
	}
	fclose(f);
	return buf;
}

static int compile_file(const char *in, uint8_t **blob, size_t *size)
{
	char err[512];
	size_t len;
	char *text = read_file(in, &len);
	int r;

	if (!text)
		return -1;
	r = policy_compile(in, text, len, blob, size, err, sizeof(err));
	if (r)
		fprintf(stderr, "%s\n", err);
	free(text);
	return r;
}

/* Written to OUT.tmp and renamed: a failed write never leaves a partial OUT. */
static int write_file(const char *out, const uint8_t *blob, size_t size)
{
	char tmp[4096];
	FILE *f;
	int ok;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", out) >= (int)sizeof(tmp)) {
		fprintf(stderr, "%s: path too long\n", out);
		return -1;
	}
	f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
		return -1;
	}
	ok = fwrite(blob, 1, size, f) == size;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, out)) {
		fprintf(stderr, "%s: cannot write it\n", out);
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int cmd_compile(int argc, char **argv)
{
	uint8_t *blob;
	size_t size;
	int r;

	if (argc != 5 || strcmp(argv[3], "-o"))
		return usage();
	if (compile_file(argv[2], &blob, &size))
		return 1;
	r = write_file(argv[4], blob, size);
	free(blob);
	return r ? 1 : 0;
}

static int cmd_check(int argc, char **argv)
{
	struct policy p;
	uint8_t *blob;
	size_t size;
	const char *why;

	if (argc != 3)
		return usage();
	if (compile_file(argv[2], &blob, &size))
		return 1;
	/* The compiler's output must pass the hypervisor's checks; say so if not. */
	if (policy_load(&p, blob, size, &why)) {
		fprintf(stderr, "%s: compiled, but arx would refuse it: %s\n", argv[2], why);
		free(blob);
		return 1;
	}
	printf("%s: ok (%u types, %u labels, %u conflict sets, %zu bytes)\n", argv[2], p.ntypes,
	       p.nlabels, p.nconflicts, size);
	free(blob);
	return 0;
}

static int cmd_dump(int argc, char **argv)
{
	struct policy p;
	char why[256];
	size_t len;
	char *blob;
	int r = 1;

	if (argc != 3)
		return usage();
	blob = read_file(argv[2], &len);
	if (!blob)
		return 1;
	if (policy_load_explain(&p, blob, len, why, sizeof(why)))
		fprintf(stderr, "%s: %s\n", argv[2], why);
	else
		r = policy_dump(stdout, &p) ? 1 : 0;
	free(blob);
	return r;
}

/* A decimal argument, whole and within [0, max]. */
static int number(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno && *v <= max ? 0 : -1;
}

static int cmd_gen_bench(int argc, char **argv)
{
	unsigned long ntypes, nrules;

	if (argc != 4 || number(argv[2], ARX_POLICY_MAX_TYPES, &ntypes) ||
	    number(argv[3], 10000000, &nrules) || ntypes < 1) {
		fputs("arxpolicy gen-bench: N_TYPES is 1 to 256, N_RULES 0 to 10000000\n", stderr);
		return 2;
	}
	return policy_gen_bench(stdout, ntypes, nrules) || fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "compile"))
		return cmd_compile(argc, argv);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc, argv);
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(argc, argv);
	if (!strcmp(argv[1], "gen-bench"))
		return cmd_gen_bench(argc, argv);
	return usage();
}
