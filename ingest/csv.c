/*
 * csv.c: streaming CSV on libcsv (see csv.h).
 *
 * Input is fed to libcsv one physical line at a time so that we know the
 * line number where each row starts: a row ends while the reader is feeding
 * line L, so the next row starts at line L + 1. Fields are copied out of
 * libcsv's buffer into our own per-row buffer, bounded by CSV_MAX_FIELD and
 * CSV_MAX_COLS.
 */
#include "csv.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/mem.h"
#include "../base/vec.h"

struct csv_reader {
    struct csv_parser p;
    const char *name;
    csv_row_fn on_header, on_row;
    void *ud;
    fk_err *e;
    int rc;                  /* first error, sticky */
    int bom_checked;
    uint64_t line;           /* line being fed */
    uint64_t row_line;       /* line where the current row started */
    uint64_t rows;           /* data rows delivered */
    int have_header;
    VEC(char) buf;           /* field bytes, NUL-separated */
    VEC(size_t) offs;        /* field start offsets in buf */
    VEC(size_t) lens;
    VEC(const char *) ptrs;
    char carry[4];           /* partial BOM at start */
    size_t carry_n;
};

static void csv_on_field(void *s, size_t len, void *ud)
{
    csv_reader *r = ud;
    if (r->rc) return;
    if (r->offs.n >= CSV_MAX_COLS) {
        r->rc = err_set(r->e, FK_ETOOBIG, "%s:%llu: more than %u columns", r->name,
                        (unsigned long long)r->row_line, CSV_MAX_COLS);
        return;
    }
    if (vec_reserve(r->buf, r->buf.n + len + 1) || vec_push(r->offs, r->buf.n) ||
        vec_push(r->lens, len)) {
        r->rc = err_set(r->e, FK_ENOMEM, "%s: out of memory", r->name);
        return;
    }
    if (len) memcpy(r->buf.v + r->buf.n, s, len);
    r->buf.n += len;
    r->buf.v[r->buf.n++] = '\0';
}

static void csv_on_row(int c, void *ud)
{
    (void)c;
    csv_reader *r = ud;
    if (!r->rc) {
        size_t n = r->offs.n;
        if (vec_reserve(r->ptrs, n + 1)) {
            r->rc = err_set(r->e, FK_ENOMEM, "%s: out of memory", r->name);
        } else {
            for (size_t i = 0; i < n; i++) r->ptrs.v[i] = r->buf.v + r->offs.v[i];
            csv_row row = {r->name, r->row_line, n, r->ptrs.v, r->lens.v};
            if (!r->have_header) {
                r->have_header = 1;
                if (r->on_header) r->rc = r->on_header(r->ud, &row, r->e);
            } else {
                r->rows++;
                if (r->on_row) r->rc = r->on_row(r->ud, &row, r->e);
            }
        }
    }
    r->buf.n = r->offs.n = r->lens.n = 0;
    r->row_line = r->line + 1;
}

csv_reader *csv_reader_new(const char *name, csv_row_fn header, csv_row_fn row,
                           void *ud, fk_err *e)
{
    csv_reader *r = mem_calloc(1, sizeof *r);
    if (!r) return NULL;
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        mem_free(r);
        return NULL;
    }
    csv_set_realloc_func(&r->p, mem_realloc);
    csv_set_free_func(&r->p, mem_free);
    r->name = name;
    r->on_header = header;
    r->on_row = row;
    r->ud = ud;
    r->e = e;
    r->line = 1;
    r->row_line = 1;
    return r;
}

static int csv_feed_lines(csv_reader *r, const char *buf, size_t len)
{
    while (len > 0 && !r->rc) {
        const char *nl = memchr(buf, '\n', len);
        size_t n = nl ? (size_t)(nl - buf) + 1 : len;
        if (csv_parse(&r->p, buf, n, csv_on_field, csv_on_row, r) != n && !r->rc) {
            r->rc = err_set(r->e, FK_EPARSE, "%s:%llu: malformed CSV: %s (a quote "
                            "inside an unquoted field, or text after a closing quote)",
                            r->name, (unsigned long long)r->line,
                            csv_strerror(csv_error(&r->p)));
        }
        if (!r->rc && r->buf.n > CSV_MAX_ROW)
            r->rc = err_set(r->e, FK_ETOOBIG, "%s:%llu: row longer than %u bytes",
                            r->name, (unsigned long long)r->row_line, CSV_MAX_ROW);
        if (!r->rc && r->p.entry_pos > CSV_MAX_FIELD)
            r->rc = err_set(r->e, FK_ETOOBIG, "%s:%llu: field longer than %u bytes "
                            "(an unclosed quote?)", r->name,
                            (unsigned long long)r->row_line, CSV_MAX_FIELD);
        if (nl) r->line++;
        buf += n;
        len -= n;
    }
    return r->rc;
}

int csv_reader_feed(csv_reader *r, const char *buf, size_t len)
{
    if (r->rc) return r->rc;
    if (!r->bom_checked) {
        /* gather up to 3 bytes to recognise a UTF-8 BOM */
        while (r->carry_n < 3 && len > 0) {
            r->carry[r->carry_n++] = *buf++;
            len--;
        }
        if (r->carry_n < 3 && len == 0) return 0;
        r->bom_checked = 1;
        if (memcmp(r->carry, "\xEF\xBB\xBF", 3) != 0 &&
            csv_feed_lines(r, r->carry, r->carry_n))
            return r->rc;
    }
    return csv_feed_lines(r, buf, len);
}

int csv_reader_finish(csv_reader *r)
{
    if (!r->rc && !r->bom_checked) {
        r->bom_checked = 1;
        if (!(r->carry_n == 3 && memcmp(r->carry, "\xEF\xBB\xBF", 3) == 0))
            csv_feed_lines(r, r->carry, r->carry_n);
    }
    if (r->rc) return r->rc;
    if (csv_fini(&r->p, csv_on_field, csv_on_row, r) != 0 && !r->rc)
        r->rc = err_set(r->e, FK_EPARSE, "%s:%llu: malformed CSV at end of file: %s "
                        "(an unclosed quote?)", r->name, (unsigned long long)r->row_line,
                        csv_strerror(csv_error(&r->p)));
    if (!r->rc && !r->have_header)
        r->rc = err_set(r->e, FK_EPARSE, "%s: empty file, expected a header row", r->name);
    return r->rc;
}

uint64_t csv_reader_rows(const csv_reader *r) { return r->rows; }

void csv_reader_free(csv_reader *r)
{
    if (!r) return;
    csv_free(&r->p);
    vec_free(r->buf);
    vec_free(r->offs);
    vec_free(r->lens);
    vec_free(r->ptrs);
    mem_free(r);
}

int csv_read_file(const char *path, const char *name, csv_row_fn header,
                  csv_row_fn row, void *ud, progress *p, const char *stage,
                  fk_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, FK_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    uint64_t total = fstat(fileno(f), &st) == 0 ? (uint64_t)st.st_size : 0;
    csv_reader *r = csv_reader_new(name ? name : path, header, row, ud, e);
    if (!r) {
        fclose(f);
        return err_set(e, FK_ENOMEM, "out of memory");
    }
    progress_begin(p, stage, total);
    static __thread char buf[1 << 16];
    size_t n;
    uint64_t done = 0;
    int rc = 0;
    while (!rc && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        uint64_t before = csv_reader_rows(r);
        rc = csv_reader_feed(r, buf, n);
        done += n;
        progress_step(p, csv_reader_rows(r) - before, done);
    }
    if (!rc && ferror(f)) rc = err_set(e, FK_EIO, "%s: read error", path);
    if (!rc) rc = csv_reader_finish(r);
    if (!rc) {
        if (p) p->count = csv_reader_rows(r);
        progress_done(p);
    }
    csv_reader_free(r);
    fclose(f);
    return rc;
}

int csv_col(const csv_row *header, const char *name)
{
    for (size_t i = 0; i < header->n; i++)
        if (strcmp(header->f[i], name) == 0) return (int)i;
    return -1;
}

const char *csv_get(const csv_row *row, int i)
{
    return i >= 0 && (size_t)i < row->n ? row->f[i] : "";
}

int csv_req(const csv_row *row, int i, const char *col, const char **out, fk_err *e)
{
    const char *s = csv_get(row, i);
    if (!*s)
        return err_set(e, FK_EPARSE, "%s:%llu: field %s: empty, a value is required",
                       row->file, (unsigned long long)row->line, col);
    *out = s;
    return 0;
}

static int csv_int_impl(const csv_row *row, int i, const char *col, long long lo,
                        long long hi, int opt, long long def, long long *out, fk_err *e)
{
    const char *s = csv_get(row, i);
    if (!*s) {
        if (opt) {
            *out = def;
            return 0;
        }
        return err_set(e, FK_EPARSE, "%s:%llu: field %s: empty, expected an integer",
                       row->file, (unsigned long long)row->line, col);
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return err_set(e, FK_EPARSE, "%s:%llu: field %s: \"%.40s\" is not an integer "
                       "in %lld..%lld", row->file, (unsigned long long)row->line, col, s,
                       lo, hi);
    *out = v;
    return 0;
}

int csv_int(const csv_row *row, int i, const char *col, long long lo,
            long long hi, long long *out, fk_err *e)
{
    return csv_int_impl(row, i, col, lo, hi, 0, 0, out, e);
}

int csv_int_opt(const csv_row *row, int i, const char *col, long long lo,
                long long hi, long long def, long long *out, fk_err *e)
{
    return csv_int_impl(row, i, col, lo, hi, 1, def, out, e);
}

static int csv_double_impl(const csv_row *row, int i, const char *col, double lo,
                           double hi, int opt, double def, double *out, fk_err *e)
{
    const char *s = csv_get(row, i);
    if (!*s) {
        if (opt) {
            *out = def;
            return 0;
        }
        return err_set(e, FK_EPARSE, "%s:%llu: field %s: empty, expected a number",
                       row->file, (unsigned long long)row->line, col);
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !isfinite(v) || v < lo || v > hi)
        return err_set(e, FK_EPARSE, "%s:%llu: field %s: \"%.40s\" is not a number in "
                       "%g..%g", row->file, (unsigned long long)row->line, col, s, lo, hi);
    *out = v;
    return 0;
}

int csv_double(const csv_row *row, int i, const char *col, double lo, double hi,
               double *out, fk_err *e)
{
    return csv_double_impl(row, i, col, lo, hi, 0, 0, out, e);
}

int csv_double_opt(const csv_row *row, int i, const char *col, double lo,
                   double hi, double def, double *out, fk_err *e)
{
    return csv_double_impl(row, i, col, lo, hi, 1, def, out, e);
}
