/* Per-CPU registers as signed markers; see include/testos/cpu_state.h. */
#include <arx/fmt.h>
#include <testos/console.h>
#include <testos/cpu_state.h>
#include <testos/sysreg.h>

#define PMUVER(dfr0) (((dfr0) >> 8) & 0xf)	/* ID_AA64DFR0_EL1.PMUVer */
#define PMUVER_NONE 0x0
#define PMUVER_IMPDEF 0xf
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1f)

struct marker {
	const char *name;
	uint64_t (*read)(void);
	void (*write)(uint64_t v);
	uint64_t (*value)(uint16_t sig);
	bool (*present)(void);
	/* A hypervisor may give the register no state at all (reads as zero): still isolated. */
	bool zero_ok;
};

#define ACCESSORS(reg)								\
	static uint64_t read_##reg(void) { return read_sysreg(reg); }		\
	static void write_##reg(uint64_t v) { write_sysreg(reg, v); isb(); }

ACCESSORS(dbgbvr0_el1)
ACCESSORS(dbgwvr0_el1)
ACCESSORS(pmselr_el0)
ACCESSORS(pmevtyper0_el0)
ACCESSORS(contextidr_el1)
ACCESSORS(tpidr_el0)
ACCESSORS(tpidrro_el0)

/* An address (bits 47:2, the rest zero) with the signature in bits 47:32. */
static uint64_t address_value(uint16_t sig)
{
	return (uint64_t)sig << 32 | 0x1000;
}

/* PMSELR_EL0.SEL and PMEVTYPER.evtCount are small: a value derived from sig. */
static uint64_t select_value(uint16_t sig)
{
	return sig % 31;
}

/* Software increment, instructions retired or cycles: events every PMU has. */
static uint64_t event_value(uint16_t sig)
{
	static const uint8_t events[] = { 0x00, 0x08, 0x11 };

	return events[sig % ARRAY_SIZE(events)];
}

static uint64_t id_value(uint16_t sig)
{
	return (uint64_t)sig << 16 | 0x5e;
}

static uint64_t wide_value(uint16_t sig)
{
	return (uint64_t)sig << 48 | (uint64_t)sig << 16 | 0x7e57;
}

static bool always(void)
{
	return true;
}

static bool has_pmu(void)
{
	uint64_t ver = PMUVER(read_sysreg(id_aa64dfr0_el1));

	return ver != PMUVER_NONE && ver != PMUVER_IMPDEF;
}

static bool has_event_counter(void)
{
	return has_pmu() && PMCR_N(read_sysreg(pmcr_el0)) > 0;
}

static const struct marker markers[] = {
	{ "DBGBVR0_EL1", read_dbgbvr0_el1, write_dbgbvr0_el1, address_value, always, true },
	{ "DBGWVR0_EL1", read_dbgwvr0_el1, write_dbgwvr0_el1, address_value, always, true },
	{ "PMSELR_EL0", read_pmselr_el0, write_pmselr_el0, select_value, has_pmu, true },
	{ "PMEVTYPER0_EL0", read_pmevtyper0_el0, write_pmevtyper0_el0, event_value,
	  has_event_counter, true },
	{ "CONTEXTIDR_EL1", read_contextidr_el1, write_contextidr_el1, id_value, always, false },
	{ "TPIDR_EL0", read_tpidr_el0, write_tpidr_el0, wide_value, always, false },
	{ "TPIDRRO_EL0", read_tpidrro_el0, write_tpidrro_el0, wide_value, always, false },
};

void cpu_state_write(uint16_t sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(markers); i++) {
		if (markers[i].present())
			markers[i].write(markers[i].value(sig));
	}
}

/* Keeps the first finding in buf and lists every one after `prefix`. */
static void note(const char *prefix, char *buf, size_t size, bool first, const char *name,
		 uint64_t v, const char *what)
{
	if (first)
		fmt_snprintf(buf, size, "%s holds %#lx, %s", name, v, what);
	printf("# %s: %s holds %#lx, %s\n", prefix, name, v, what);
}

const char *cpu_state_check(uint16_t sig, const char *prefix, char *buf, size_t size)
{
	bool found = false;

	for (size_t i = 0; i < ARRAY_SIZE(markers); i++) {
		const struct marker *m = &markers[i];
		uint64_t v;

		if (!m->present() || (v = m->read()) == m->value(sig) || (v == 0 && m->zero_ok))
			continue;
		note(prefix, buf, size, !found, m->name, v, "not the value written");
		found = true;
	}
	return found ? buf : NULL;
}

/* Only the registers wide enough to carry a signature recognisably. */
const char *cpu_state_find(uint16_t sig, const char *prefix, char *buf, size_t size)
{
	bool found = false;

	for (size_t i = 0; i < ARRAY_SIZE(markers); i++) {
		const struct marker *m = &markers[i];
		uint64_t v;

		if (m->value == select_value || m->value == event_value || !m->present())
			continue;
		if ((v = m->read()) != m->value(sig))
			continue;
		note(prefix, buf, size, !found, m->name, v, "another domain's value");
		found = true;
	}
	return found ? buf : NULL;
}
