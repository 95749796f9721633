/* Seeds for domains from the host's seed; see arx/entropy.h. */
#include <arx/console.h>
#include <arx/entropy.h>
#include <arx/siphash.h>
#include <arx/spinlock.h>
#include <arx/timer.h>

static uint64_t key[2];
static uint64_t counter;
static spinlock_t lock = SPINLOCK_INIT;

void entropy_init(const void *seed, size_t len)
{
	/* Fixed keys only spread the seed's bytes over the key: its secrecy is the seed's. */
	static const uint64_t extract[2][2] = { { 0x6172782d6b657930UL, 0 },
						{ 0x6172782d6b657931UL, 0 } };
	uint64_t now = timer_now();
	if (len < 16) {
		printk("arx: no rng-seed in the device tree: domains' seeds are predictable\n");
		seed = &now;
		len = sizeof(now);
	}
	key[0] = siphash24(extract[0], seed, len);
	key[1] = siphash24(extract[1], seed, len);
}

uint64_t entropy_u64(void)
{
	uint64_t flags = spin_lock_irqsave(&lock);
	uint64_t msg[2] = { counter++, timer_now() };
	spin_unlock_irqrestore(&lock, flags);
	return siphash24(key, msg, sizeof(msg));
}
