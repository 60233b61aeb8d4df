/*
 * cli.h: the subcommands of the flyttkarta binary. main.c dispatches on
 * the first argument; each command parses its own options, prints its own
 * --help, and returns the process exit status (0 ok, 1 failure, 2 usage).
 */
#ifndef FK_CLI_H
#define FK_CLI_H

#include "../base/progress.h"

int cmd_build(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_query(int argc, char **argv);

/* Progress printer shared by commands: one line per finished stage on
 * stderr, with count, bytes and rates; a live line when stderr is a tty.
 * ud is unused. */
void cli_progress(void *ud, const progress_event *ev);

/* "12 345 678" style thousands grouping into buf. */
const char *cli_group(unsigned long long v, char *buf, unsigned size);

#endif
