/*
 * The policy arx runs when the boot package brings none: configs/default.policy,
 * compiled at build time by tools/arxpolicy (hv/hv.mk), checked at boot like any other.
 */
	.section .rodata.default_policy, "a"
	.balign 8
	.global default_policy_start
	.hidden default_policy_start
default_policy_start:
	.incbin DEFAULT_POLICY_BIN
	.global default_policy_end
	.hidden default_policy_end
default_policy_end:
