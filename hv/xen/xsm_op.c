/*
 * xsm_op: Xen's FLASK control calls, answered with arx's own policy
 * (arx/mac.h), so Xen's tools drive it: xl getenforce / setenforce /
 * loadpolicy, and `seclabel` in xl configs (libxl turns the label into the
 * ssidref of createdomain here). A FLASK "context" is an arx label's name;
 * its "sid" is the label's number in the policy in force plus XEN_SID_BASE
 * (arx/xen.h). Other FLASK calls answer -ENOSYS.
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/heap.h>
#include <arx/mac.h>
#include <arx/xen.h>
#include <public/xen.h>
#include <public/xsm/flask_op.h>

#define CONTEXT_MAX 256 /* longer than any label a policy may hold */
#define POLICY_MAX (1u << 20) /* as arx_policy.h's limit */

static long get_enforce(void)
{
	return mac_enforcing() ? 1 : 0;
}

static long context_to_sid(struct vcpu *v, struct xen_flask_sid_context *c)
{
	char name[CONTEXT_MAX];
	uint32_t label;
	if (c->size == 0 || c->size > sizeof(name))
		return -XEN_EINVAL;
	if (!copy_from_guest(v, name, c->context, c->size))
		return -XEN_EFAULT;
	size_t len = c->size;
	while (len && name[len - 1] == '\0')
		len--; /* libxl counts the NUL in; others may not */
	if (!mac_find_label(name, len, &label))
		return -XEN_EINVAL; /* xl: "Invalid seclabel" */
	c->sid = xen_sid_of_label(label);
	return 0;
}

/* The label's name with its NUL (libxl takes the context as a C string). */
static long sid_to_context(struct vcpu *v, struct xen_flask_sid_context *c)
{
	char name[CONTEXT_MAX + 1];
	uint32_t label;
	size_t len = xen_label_of_sid(c->sid, &label) ? mac_label_name(label, name, CONTEXT_MAX) : 0;
	if (!len)
		return -XEN_EINVAL;
	name[len++] = '\0';
	if (c->size < len) {
		c->size = (uint32_t)len;
		return -XEN_ENOBUFS;
	}
	if (!copy_to_guest(v, c->context, name, len))
		return -XEN_EFAULT;
	c->size = (uint32_t)len;
	return 0;
}

/* The policy is read into arx's memory page by page, then checked and swapped in. */
static long load(struct vcpu *v, const struct xen_flask_load *l)
{
	if (!mac_may_admin(v->dom, POL_LOADPOLICY))
		return -XEN_EPERM;
	if (l->size == 0 || l->size > POLICY_MAX)
		return -XEN_EINVAL;
	uint8_t *copy = heap_alloc(l->size);
	if (!copy)
		return -XEN_ENOMEM;
	long r = -XEN_EFAULT;
	if (copy_from_guest(v, copy, l->buffer, l->size)) {
		const char *why;
		r = mac_load(v->dom, copy, l->size, &why);
		if (why)
			printk("arx: policy from domain %u refused: %s\n", v->dom->id, why);
	}
	heap_free(copy);
	return r;
}

static long dispatch(struct vcpu *v, struct xen_flask_op *op, bool *out)
{
	switch (op->cmd) {
	case FLASK_GETENFORCE:
		return get_enforce();
	case FLASK_SETENFORCE:
		return mac_set_enforcing(v->dom, op->u.enforce.enforcing != 0);
	case FLASK_CONTEXT_TO_SID:
		*out = true;
		return context_to_sid(v, &op->u.sid_context);
	case FLASK_SID_TO_CONTEXT:
		*out = true;
		return sid_to_context(v, &op->u.sid_context);
	case FLASK_LOAD:
		return load(v, &op->u.load);
	default:
		return -XEN_ENOSYS;
	}
}

long xsm_op(struct vcpu *v, uint64_t arg)
{
	struct xen_flask_op op;
	bool out = false;
	if (!copy_from_guest(v, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_FLASK_INTERFACE_VERSION)
		return -XEN_EACCES;
	long r = dispatch(v, &op, &out);
	if (out && (r == 0 || r == -XEN_ENOBUFS) && !copy_to_guest(v, arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return r;
}
