/*
 * Host test for hv/lib/siphash.c against the SipHash paper's reference
 * outputs (key 00 01 .. 0f, messages 00 01 .. of each length).
 */
#include <arx/siphash.h>

#include "check.h"

int main(void)
{
	const uint64_t key[2] = { 0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL };
	uint8_t msg[64];
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	CHECK_EQ(siphash24(key, msg, 0), 0x726fdb47dd0e0e31UL);
	CHECK_EQ(siphash24(key, msg, 1), 0x74f839c593dc67fdUL);
	CHECK_EQ(siphash24(key, msg, 8), 0x93f5f5799a932462UL);
	CHECK_EQ(siphash24(key, msg, 15), 0xa129ca6149be45e5UL);
	CHECK_EQ(siphash24(key, msg, 63), 0x958a324ceb064572UL);
	/* Another key, the same message: nothing alike. */
	const uint64_t other[2] = { key[0] ^ 1, key[1] };
	CHECK(siphash24(other, msg, 15) != siphash24(key, msg, 15));
	return check_summary();
}
