/* SipHash-2-4, from the algorithm's specification; see arx/siphash.h. */
#include <arx/siphash.h>

static uint64_t rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl(v[1], 13) ^ v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3];
	v[3] = rotl(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = rotl(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = rotl(v[1], 17) ^ v[2];
	v[2] = rotl(v[2], 32);
}

static void compress(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sip_round(v);
	sip_round(v);
	v[0] ^= m;
}

/* Little-endian word from up to 8 bytes. */
static uint64_t load_le(const uint8_t *p, size_t n)
{
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

uint64_t siphash24(const uint64_t key[2], const void *msg, size_t len)
{
	const uint8_t *p = msg;
	uint64_t v[4] = { key[0] ^ 0x736f6d6570736575UL, key[1] ^ 0x646f72616e646f6dUL,
			  key[0] ^ 0x6c7967656e657261UL, key[1] ^ 0x7465646279746573UL };
	size_t whole = len & ~(size_t)7;
	for (size_t i = 0; i < whole; i += 8)
		compress(v, load_le(p + i, 8));
	compress(v, load_le(p + whole, len - whole) | (uint64_t)len << 56);
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
