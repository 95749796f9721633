/*
 * Domain configuration files, in the spirit of xl.cfg:
 *
 *   # comment
 *   name = "linux1"
 *   type = "linux"          # linux | testos
 *   memory = 256            # MiB
 *   vcpus = 2
 *   kernel = "../build/guests/linux/Image"
 *   ramdisk = "../build/guests/linux/initramfs.cpio.gz"
 *   cmdline = "console=ttyAMA0"
 *   cpus = "0-1"            # physical CPUs its vCPUs may use (default: all)
 *   weight = 256            # share of CPU time against other vCPUs (1-65535)
 *   on_crash = "destroy"    # destroy | restart | preserve
 *   on_poweroff = "destroy" # destroy | restart
 *   on_reboot = "restart"   # destroy | restart
 *   xen = 1                 # Xen guest ABI: hypercalls, PV console, event channels,
 *                           # grant tables (default 1 for linux, 0 for testos)
 *   dom0 = 1                # the control domain: domain 0, runs Xen's toolstack
 *                           # (domctl, sysctl, foreign mappings); needs xen = 1
 *   disk = "format=raw, vdev=xvda, target=/var/lib/arx/a.img"   # xl's disk specs,
 *   vif = "bridge=xenbr0, mac=00:16:3e:77:00:30"                 # ';' between several:
 *                           # served by the control domain's backends once its
 *                           # toolstack is up (the domain gets a xenstore); need xen = 1
 *   seclabel = "app"        # its label in the access control policy (docs/policy.md);
 *                           # default: the policy's default for dom0 or for other domains
 *
 * One "key = value" per line; strings in double quotes (no escapes other
 * than \" and \\), numbers in decimal. Keys may appear once. name, memory,
 * kernel are required; vcpus defaults to 1, type to "linux".
 */
#ifndef ARX_DOMAIN_CONFIG_H
#define ARX_DOMAIN_CONFIG_H

#include "types.h"

#define CONFIG_NAME_MAX 32
#define CONFIG_PATH_MAX 256
#define CONFIG_CMDLINE_MAX 512
#define CONFIG_DEVICES_MAX 256 /* the disk and vif specs, each */
#define CONFIG_SECLABEL_MAX 128
#define CONFIG_MEMORY_MIN_MIB 4
#define CONFIG_MEMORY_MAX_MIB (64 * 1024)
#define CONFIG_VCPUS_MAX 8

#define CONFIG_WEIGHT_DEFAULT 256
#define CONFIG_WEIGHT_MAX 65535
#define CONFIG_MAX_CPUS 64 /* cpus = "..." names CPUs 0..63 */

enum domain_type { DOMAIN_LINUX, DOMAIN_TESTOS };

/* What happens when a domain ends: its memory goes, it starts again, or it stays for a look. */
enum domain_action { ACTION_DESTROY, ACTION_RESTART, ACTION_PRESERVE };

struct domain_config {
	char name[CONFIG_NAME_MAX]; /* letters, digits, '-', '_' , '.' */
	enum domain_type type;
	uint64_t memory_mib;
	unsigned int vcpus;
	char kernel[CONFIG_PATH_MAX];
	char ramdisk[CONFIG_PATH_MAX]; /* "" when none */
	char cmdline[CONFIG_CMDLINE_MAX];
	uint64_t cpus; /* bitmap of allowed physical CPUs; all ones when not given */
	unsigned int weight;
	enum domain_action on_crash, on_poweroff, on_reboot;
	bool xen; /* offers the Xen guest ABI (hv/xen) */
	bool dom0; /* the control domain */
	/* xl's disk and vif specs, ';' between devices, for the control domain's toolstack
	 * ("" when none): printable ASCII without quotes, backslash, backquote or $. */
	char disk[CONFIG_DEVICES_MAX];
	char vif[CONFIG_DEVICES_MAX];
	char seclabel[CONFIG_SECLABEL_MAX]; /* "" when not given */
};

/* Whether the domain asks the control domain for disks or networks. */
static inline bool config_has_devices(const struct domain_config *c)
{
	return c->disk[0] || c->vif[0];
}

/*
 * Parses text[0..len) (need not be NUL-terminated). On error returns -1
 * and writes "<file>:<line>: <key>: <problem>" (or "<file>: <problem>" for
 * a missing key) into err.
 */
int config_parse(const char *text, size_t len, const char *file, struct domain_config *out,
		 char *err, size_t err_size);

#endif
