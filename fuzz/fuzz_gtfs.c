/*
 * fuzz_gtfs.c: libFuzzer target for the GTFS importer (ingest/gtfs.c).
 *
 * Input format (the output of `head *.txt` in a feed folder works as is):
 * the input is cut into files at lines that start with "==> "; the rest of
 * such a line, without a trailing " <==" and CR, is the file name, and the
 * bytes up to the next such line are its contents. Names other than
 * [a-z_]{1,40}.txt are ignored (no paths), as are bytes before the first
 * header; a later section with the same name replaces an earlier one.
 * An input starting with the zip signature "PK\3\4" is written as feed.zip
 * and imported as a zip instead. Files go into one temporary folder per
 * process and are removed after each input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ingest/gtfs.h"

static char fuzz_dir[64];

static void fuzz_cleanup(void)
{
    if (fuzz_dir[0]) rmdir(fuzz_dir);
}

static int fuzz_name_ok(const char *s, size_t n)
{
    if (n < 5 || n > 44 || memcmp(s + n - 4, ".txt", 4) != 0) return 0;
    for (size_t i = 0; i + 4 < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_')) return 0;
    return 1;
}

/* Writes n bytes to dir/name; returns 0 or -1. */
static int fuzz_write(const char *name, const uint8_t *p, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    if (n) fwrite(p, 1, n, f);
    fclose(f);
    return 0;
}

static void fuzz_import(const char *path)
{
    region_builder b;
    region_builder_init(&b, "fuzz");
    ingest_report rep;
    fk_err e;
    err_clear(&e);
    int rc = ingest_gtfs(&b, path, &rep, &e);
    if (rc && !e.msg[0]) abort();   /* every failure must say why */
#ifdef FUZZ_GTFS_VERBOSE               /* for checking seeds: see docs/gtfs.md */
    fprintf(stderr, "rc=%d stop_times=%zu transfers=%zu %s\n", rc, b.stop_times.n,
            b.transfers.n, e.msg);
#endif
    if (!rc && b.trips.n) {         /* cheap invariant: stop_times grouped by trip */
        size_t next = 0;
        for (size_t t = 0; t < b.trips.n; t++) {
            if (b.trips.v[t].first_stop_time != next) abort();
            next += b.trips.v[t].n_stop_times;
        }
        if (next != b.stop_times.n) abort();
    }
    region_builder_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_dir[0]) {
        snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/fuzz_gtfs.XXXXXX");
        if (!mkdtemp(fuzz_dir)) abort();
        atexit(fuzz_cleanup);
    }
    char written[32][48];
    int n_written = 0;

    if (size >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
        if (fuzz_write("feed.zip", data, size) == 0) {
            char path[128];
            snprintf(path, sizeof path, "%s/feed.zip", fuzz_dir);
            fuzz_import(path);
            unlink(path);
        }
        return 0;
    }

    const uint8_t *p = data, *end = data + size;
    const char *name = NULL;
    size_t name_len = 0;
    const uint8_t *body = NULL;
    for (;;) {
        /* find the next header line at p (p is at a line start) */
        const uint8_t *hdr = NULL, *q = p;
        while (q < end) {
            if (end - q >= 4 && memcmp(q, "==> ", 4) == 0) {
                hdr = q;
                break;
            }
            const uint8_t *nl = memchr(q, '\n', (size_t)(end - q));
            if (!nl) break;
            q = nl + 1;
        }
        const uint8_t *stop = hdr ? hdr : end;
        if (name && fuzz_name_ok(name, name_len) && n_written < 32) {
            char fname[48];
            memcpy(fname, name, name_len);
            fname[name_len] = '\0';
            if (fuzz_write(fname, body, (size_t)(stop - body)) == 0) {
                memcpy(written[n_written++], fname, name_len + 1);
            }
        }
        if (!hdr) break;
        const uint8_t *nl = memchr(hdr, '\n', (size_t)(end - hdr));
        const uint8_t *le = nl ? nl : end;
        name = (const char *)hdr + 4;
        name_len = (size_t)(le - hdr) - 4;
        if (name_len && name[name_len - 1] == '\r') name_len--;
        if (name_len >= 4 && memcmp(name + name_len - 4, " <==", 4) == 0) name_len -= 4;
        body = nl ? nl + 1 : end;
        p = body;
    }

    fuzz_import(fuzz_dir);
    for (int i = 0; i < n_written; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", fuzz_dir, written[i]);
        unlink(path);
    }
    return 0;
}
