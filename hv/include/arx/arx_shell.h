/*
 * arx's own console (hv/core/arx_shell.c): a line editor and commands on
 * domains, for the person at the UART when Ctrl-] gives it the input.
 * Called by console_input.c only, from the UART's interrupt.
 */
#ifndef ARX_ARX_SHELL_H
#define ARX_ARX_SHELL_H

#include "types.h"

/* The input has come to arx's console: show the prompt. */
void arx_shell_focus(void);
/* One typed key; true when Enter made a command ready for arx_shell_run. */
bool arx_shell_key(char c);
/* Runs the command made ready, then shows the next prompt. */
void arx_shell_run(void);

#endif
