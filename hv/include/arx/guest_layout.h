/*
 * The guest physical address map. It mirrors QEMU's virt board so software
 * written for that board runs unchanged in a domain.
 */
#ifndef ARX_GUEST_LAYOUT_H
#define ARX_GUEST_LAYOUT_H

#define GUEST_RAM_BASE 0x40000000UL
#define GUEST_RAM_MAX (255UL << 30) /* up to 256 GiB, as on virt */
#define GUEST_GICD_BASE 0x08000000UL
#define GUEST_GICD_SIZE 0x00010000UL
#define GUEST_GICC_BASE 0x08010000UL /* GICv2 CPU interface (the host's GICV) */
#define GUEST_GICC_SIZE 0x00002000UL
#define GUEST_GICR_BASE 0x080a0000UL /* GICv3 redistributors, 128 KiB per vCPU */
#define GUEST_GICR_STRIDE 0x00020000UL
#define GUEST_UART_BASE 0x09000000UL
#define GUEST_UART_SIZE 0x00001000UL
#define GUEST_UART_SPI 1 /* INTID 33 */

/* Xen guest ABI (domains with xen = 1), where libxl puts them. */
#define GUEST_GNTTAB_BASE 0x38000000UL /* grant-table frames are mapped in this window */
#define GUEST_GNTTAB_SIZE (32UL * 4096) /* GNTTAB_MAX_FRAMES pages */
#define GUEST_XENCONS_BASE 0x39000000UL /* the PV console ring page */
#define GUEST_EVTCHN_INTID 31 /* PPI 15: the event-channel upcall */

#define GUEST_TIMER_PHYS_PPI 14 /* INTID 30 */
#define GUEST_TIMER_VIRT_PPI 11 /* INTID 27 */
#define GUEST_TIMER_HYP_PPI 10 /* INTID 26: not given to guests, listed for Linux */
#define GUEST_TIMER_SEC_PPI 13 /* INTID 29 */
#define GUEST_PMU_PPI 7 /* INTID 23: the PMU overflow interrupt, as the host's (vpmu.c) */

/*
 * Domains the control domain's toolstack builds get Xen's guest map
 * (Xen's public arch-arm.h), which libxl's device tree describes.
 */
#define XEN_GUEST_GICD_BASE 0x03001000UL
#define XEN_GUEST_GICC_BASE 0x03002000UL
#define XEN_GUEST_GICR_BASE 0x03020000UL
#define XEN_GUEST_PL011_BASE 0x22000000UL /* vuart = "sbsa_uart" */
#define XEN_GUEST_VPL011_INTID 32 /* its SPI, as Xen's GUEST_VPL011_SPI */
#define GUEST_MAGIC_BASE 0x39000000UL /* console, xenstore, ... ring pages */
#define GUEST_RAM0_SIZE 0xc0000000UL /* Xen's first RAM bank: 3 GiB from GUEST_RAM_BASE */

#define GUEST_MAX_VCPUS 8
/* Interrupts a guest distributor implements: SGIs, PPIs and 64 SPIs. */
#define GUEST_NR_IRQS 96

#endif
