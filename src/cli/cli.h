/* cli.h: the subcommands. Each takes the arguments after its name (argv[0] is the subcommand)
 * and returns the process exit status: 0 success, 1 error, 2 usage. */
#ifndef PXL_CLI_H
#define PXL_CLI_H

#include "img.h"

#define EXIT_USAGE 2

int cmd_render(int argc, char **argv);

/* Shared option handling: --max-pixels and --max-file-size set image limits. Returns 1 when
 * opt was one of them (and stores into lim), 0 when not, -1 on a bad value (message printed). */
int cli_limit_option(const char *opt, const char *val, struct img_limits *lim);
/* Prints "pxlabel: msg" to stderr and frees msg. */
void cli_error(char *msg);
__attribute__((format(printf, 1, 2))) void cli_errorf(const char *fmt, ...);

#endif
