/*
 * csv.h: streaming RFC 4180 CSV reading for every CSV importer (GTFS,
 * homes, places, statistics, localities, postcodes), on top of libcsv.
 *
 * What this adds to libcsv: a UTF-8 BOM is stripped; CRLF and LF both end
 * rows; each row carries the line number where it starts (quoted fields
 * may span lines); the first row is the header and columns are found by
 * name; field and column counts are bounded so hostile input cannot grow
 * memory without limit; every error names file and line.
 *
 * Feed bytes in chunks of any size with csv_reader_feed() (from a file, a
 * zip entry, or memory), then call csv_reader_finish(). Callbacks return 0
 * to go on or a negative FK_E* code (with a message in e) to stop.
 */
#ifndef FK_CSV_H
#define FK_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/progress.h"

#define CSV_MAX_FIELD (1u << 20)   /* bytes in one field */
#define CSV_MAX_ROW (4u << 20)     /* bytes in one row */
#define CSV_MAX_COLS 512

typedef struct csv_row {
    const char *file;      /* name for messages */
    uint64_t line;         /* 1-based line where the row starts */
    size_t n;              /* fields in this row */
    const char *const *f;  /* NUL-terminated fields (valid during callback) */
    const size_t *len;
} csv_row;

/* Called once with the header row, then once per data row. */
typedef int (*csv_row_fn)(void *ud, const csv_row *row, fk_err *e);

typedef struct csv_reader csv_reader;

/* Creates a reader; name is used in messages. NULL on ENOMEM. */
csv_reader *csv_reader_new(const char *name, csv_row_fn header, csv_row_fn row,
                           void *ud, fk_err *e);
int csv_reader_feed(csv_reader *r, const char *buf, size_t len);
int csv_reader_finish(csv_reader *r);
uint64_t csv_reader_rows(const csv_reader *r);   /* data rows delivered */
void csv_reader_free(csv_reader *r);

/* Reads a whole file through a reader, reporting progress on p (may be
 * NULL) under stage. Returns 0 or the first error. */
int csv_read_file(const char *path, const char *name, csv_row_fn header,
                  csv_row_fn row, void *ud, progress *p, const char *stage,
                  fk_err *e);

/* Index of the column called name in a header row, or -1. */
int csv_col(const csv_row *header, const char *name);

/* Field i of row, or "" when the row is shorter or i < 0. */
const char *csv_get(const csv_row *row, int i);

/* Field parsers: each returns 0 or FK_EPARSE with a message naming file,
 * line, column name and the value found. Empty fields are errors unless the
 * _opt variant is used, which leaves *out at def. */
int csv_int(const csv_row *row, int i, const char *col, long long lo,
            long long hi, long long *out, fk_err *e);
int csv_int_opt(const csv_row *row, int i, const char *col, long long lo,
                long long hi, long long def, long long *out, fk_err *e);
int csv_double(const csv_row *row, int i, const char *col, double lo,
               double hi, double *out, fk_err *e);
int csv_double_opt(const csv_row *row, int i, const char *col, double lo,
                   double hi, double def, double *out, fk_err *e);
/* Requires a non-empty field. */
int csv_req(const csv_row *row, int i, const char *col, const char **out,
            fk_err *e);

#endif
