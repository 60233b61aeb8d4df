/*
 * fuzz_csv.c: libFuzzer target for the streaming CSV reader: arbitrary
 * bytes, fed in chunks whose size comes from the first input byte, must
 * give rows or a clean error, never a crash or leak.
 */
#include <stdint.h>
#include <string.h>

#include "../ingest/csv.h"

static int fuzz_row(void *ud, const csv_row *row, fk_err *e)
{
    size_t *total = ud;
    for (size_t i = 0; i < row->n; i++) *total += strlen(row->f[i]) + row->len[i];
    if (row->n > 3 && !strcmp(row->f[0], "stop"))
        return err_set(e, FK_EPARSE, "%s:%llu: stop", row->file, (unsigned long long)row->line);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t chunk = (size_t)data[0] + 1;
    data++;
    size--;
    fk_err e;
    size_t total = 0;
    csv_reader *r = csv_reader_new("fuzz.csv", fuzz_row, fuzz_row, &total, &e);
    if (!r) return 0;
    int rc = 0;
    for (size_t i = 0; i < size && !rc; i += chunk)
        rc = csv_reader_feed(r, (const char *)data + i, i + chunk > size ? size - i : chunk);
    if (!rc) (void)csv_reader_finish(r);
    csv_reader_free(r);
    return 0;
}
