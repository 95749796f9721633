/*
 * Included first in every hypervisor source (hv.mk, -include). arx is one
 * position-independent image with nothing to export or import: declaring
 * every symbol hidden, declarations included (-fvisibility=hidden covers
 * only definitions), lets the compiler call functions with a direct BL and
 * address globals PC-relative, instead of loading each address from the
 * GOT first. Every guest exit makes a dozen such calls.
 */
#pragma GCC visibility push(hidden)
