/*
 * main.c: entry point of the flyttkarta binary. Dispatches subcommands and
 * prints the top-level help. Only main and cli/ print; the layers below
 * return codes and messages.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void main_usage(FILE *f)
{
    fprintf(f,
        "flyttkarta: a relocation platform for Swedish regions.\n"
        "\n"
        "usage: flyttkarta COMMAND [options]\n"
        "\n"
        "commands:\n"
        "  build   turn open data into a region snapshot file\n"
        "  info    show what a region snapshot holds\n"
        "  query   ask the routing engine: near, route, commute, two-work, matrix,\n"
        "          isochrone, transit\n"
        "  help    show this text\n"
        "\n"
        "Run `flyttkarta COMMAND --help` for the options of a command.\n"
        "Coming with later work: serve (the map site and API), admin\n"
        "(back-office accounts).\n");
}

static int main_cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    main_usage(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"build", cmd_build}, {"info", cmd_info}, {"query", cmd_query},
                {"help", main_cmd_help}};
    if (argc < 2) {
        main_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) return main_cmd_help(0, NULL);
    if (!strcmp(argv[1], "--version")) {
        printf("flyttkarta 0.1\n");
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name)) return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "flyttkarta: unknown command '%s'\n\n", argv[1]);
    main_usage(stderr);
    return 2;
}

const char *cli_group(unsigned long long v, char *buf, unsigned size)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", v);
    unsigned o = 0;
    for (int i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

void cli_progress(void *ud, const progress_event *ev)
{
    (void)ud;
    static int tty = -1;
    if (tty < 0) tty = isatty(2);
    if (!ev->done && !tty) return;
    char cnt[32];
    double rate = ev->seconds > 0 ? ev->count / ev->seconds : 0;
    char line[256];
    int n = snprintf(line, sizeof line, "  %-22s %12s", ev->stage,
                     cli_group(ev->count, cnt, sizeof cnt));
    if (ev->total_bytes && !ev->done)
        n += snprintf(line + n, sizeof line - (size_t)n, "  %5.1f%%",
                      100.0 * (double)ev->bytes / (double)ev->total_bytes);
    if (ev->bytes)
        n += snprintf(line + n, sizeof line - (size_t)n, "  %7.1f MB", ev->bytes / 1e6);
    if (ev->seconds > 0.0005)
        n += snprintf(line + n, sizeof line - (size_t)n, "  %9.0f/s", rate);
    if (ev->bytes && ev->seconds > 0.0005)
        n += snprintf(line + n, sizeof line - (size_t)n, "  %6.1f MB/s",
                      ev->bytes / 1e6 / ev->seconds);
    snprintf(line + n, sizeof line - (size_t)n, "  %6.2fs", ev->seconds);
    if (ev->done)
        fprintf(stderr, "%s%s\n", tty ? "\r\033[K" : "", line);
    else
        fprintf(stderr, "\r\033[K%s", line);
}
