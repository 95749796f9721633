/* Hypercall entry; see arx/hypercall.h. */
#include <arx/hypercall.h>

void hypercall_dispatch(struct vcpu *v, struct trap_frame *f)
{
	(void)v;
	f->x[0] = (uint64_t)-XEN_ENOSYS;
}
