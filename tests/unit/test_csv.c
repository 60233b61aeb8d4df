/*
 * test_csv.c: the streaming CSV reader: BOM, CRLF, quoting, line numbers
 * of rows whose quoted fields span lines, the last row without newline,
 * byte-at-a-time feeding, limits, and the precise messages of the field
 * parsers.
 */
#include "testutil.h"

#include "../../ingest/csv.h"

typedef struct collect {
    char cells[64][64];
    uint64_t lines[16];
    int n_cells, n_rows, header_cols;
} collect;

static int on_header(void *ud, const csv_row *row, fk_err *e)
{
    (void)e;
    collect *c = ud;
    c->header_cols = (int)row->n;
    return 0;
}

static int on_row(void *ud, const csv_row *row, fk_err *e)
{
    (void)e;
    collect *c = ud;
    if (c->n_rows < 16) c->lines[c->n_rows] = row->line;
    c->n_rows++;
    for (size_t i = 0; i < row->n && c->n_cells < 64; i++)
        snprintf(c->cells[c->n_cells++], 64, "%s", row->f[i]);
    return 0;
}

static int parse(const char *text, size_t chunk, collect *c, fk_err *e)
{
    memset(c, 0, sizeof *c);
    err_clear(e);
    csv_reader *r = csv_reader_new("t.csv", on_header, on_row, c, e);
    assert_non_null(r);
    size_t n = strlen(text);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i += chunk)
        rc = csv_reader_feed(r, text + i, i + chunk > n ? n - i : chunk);
    if (!rc) rc = csv_reader_finish(r);
    csv_reader_free(r);
    return rc;
}

static void test_bom_crlf_quotes(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBFstop_id,stop_name\r\n"
                       "1,\"Luleå, Centralstation\"\r\n"
                       "2,\"He said \"\"hej\"\"\"\r\n"
                       "3,\"two\r\nlines\"\r\n"
                       "4,last";
    for (size_t chunk = 1; chunk <= 64; chunk *= 4) {
        collect c;
        fk_err e;
        assert_int_equal(parse(text, chunk, &c, &e), 0);
        assert_int_equal(c.header_cols, 2);
        assert_int_equal(c.n_rows, 4);
        assert_string_equal(c.cells[1], "Luleå, Centralstation");
        assert_string_equal(c.cells[3], "He said \"hej\"");
        assert_string_equal(c.cells[5], "two\r\nlines");
        assert_string_equal(c.cells[7], "last");
        assert_int_equal(c.lines[0], 2);
        assert_int_equal(c.lines[2], 4);
        assert_int_equal(c.lines[3], 6); /* after the two-line row */
    }
}

static void test_header_col_lookup(void **state)
{
    (void)state;
    const char *names[] = {"a", "stop_id", "c"};
    size_t lens[] = {1, 7, 1};
    csv_row h = {"x", 1, 3, names, lens};
    assert_int_equal(csv_col(&h, "stop_id"), 1);
    assert_int_equal(csv_col(&h, "nope"), -1);
    assert_string_equal(csv_get(&h, 7), "");
    assert_string_equal(csv_get(&h, -1), "");
}

static void test_malformed_quote(void **state)
{
    (void)state;
    collect c;
    fk_err e;
    assert_int_equal(parse("a,b\n1,2\n3,\"x\"y\n", 7, &c, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "t.csv:3:"));
    assert_int_equal(parse("a,b\n1,\"never closed\n2,3\n", 100, &c, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "t.csv:2:"));
    assert_non_null(strstr(e.msg, "unclosed quote"));
    assert_int_equal(parse("", 10, &c, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "empty file"));
    assert_int_equal(parse("\xEF\xBB\xBF", 10, &c, &e), FK_EPARSE);
}

static void test_limits(void **state)
{
    (void)state;
    collect c;
    fk_err e;
    /* too many columns */
    size_t n = CSV_MAX_COLS * 2 + 10;
    char *wide = malloc(n + 1);
    for (size_t i = 0; i < n; i++) wide[i] = i % 2 ? ',' : 'x';
    wide[n] = '\0';
    assert_int_equal(parse(wide, 4096, &c, &e), FK_ETOOBIG);
    assert_non_null(strstr(e.msg, "columns"));
    free(wide);
    /* an endless quoted field */
    size_t big = CSV_MAX_FIELD + 100;
    char *q = malloc(big + 8);
    strcpy(q, "a\n\"");
    memset(q + 3, 'y', big);
    q[big + 3] = '\0';
    assert_int_equal(parse(q, 65536, &c, &e), FK_ETOOBIG);
    assert_non_null(strstr(e.msg, "t.csv:2:"));
    free(q);
}

static void test_field_parsers(void **state)
{
    (void)state;
    const char *f[] = {"42", "x7", "", "65.5848", "1e400", " 5"};
    size_t l[] = {2, 2, 0, 7, 5, 2};
    csv_row row = {"stops.txt", 17, 6, f, l};
    fk_err e;
    long long v;
    double d;
    const char *s;
    assert_int_equal(csv_int(&row, 0, "n", 0, 100, &v, &e), 0);
    assert_int_equal(v, 42);
    assert_int_equal(csv_int(&row, 0, "n", 0, 10, &v, &e), FK_EPARSE);
    assert_string_equal(e.msg, "stops.txt:17: field n: \"42\" is not an integer in 0..10");
    assert_int_equal(csv_int(&row, 1, "location_type", 0, 4, &v, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "location_type: \"x7\""));
    assert_int_equal(csv_int(&row, 2, "n", 0, 4, &v, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "empty"));
    assert_int_equal(csv_int_opt(&row, 2, "n", 0, 4, 3, &v, &e), 0);
    assert_int_equal(v, 3);
    assert_int_equal(csv_int_opt(&row, 9, "n", 0, 4, 1, &v, &e), 0);
    assert_int_equal(csv_double(&row, 3, "stop_lat", -90, 90, &d, &e), 0);
    assert_true(d > 65.58 && d < 65.59);
    assert_int_equal(csv_double(&row, 3, "stop_lat", -10, 10, &d, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "stops.txt:17: field stop_lat"));
    assert_int_equal(csv_double(&row, 4, "v", -1e308, 1e308, &d, &e), FK_EPARSE);
    assert_int_equal(csv_double_opt(&row, 2, "v", 0, 1, 0.5, &d, &e), 0);
    assert_true(d == 0.5);
    assert_int_equal(csv_req(&row, 2, "stop_id", &s, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "field stop_id: empty"));
    assert_int_equal(csv_req(&row, 0, "stop_id", &s, &e), 0);
    assert_string_equal(s, "42");
}

static int stop_at_second(void *ud, const csv_row *row, fk_err *e)
{
    int *n = ud;
    if (++*n == 2) return err_set(e, FK_EPARSE, "%s:%llu: stop", row->file,
                                  (unsigned long long)row->line);
    return 0;
}

static void test_callback_error_stops(void **state)
{
    (void)state;
    int n = 0;
    fk_err e;
    write_file("s.csv", "h\n1\n2\n3\n");
    assert_int_equal(csv_read_file("s.csv", NULL, NULL, stop_at_second, &n, NULL,
                                   "x", &e), FK_EPARSE);
    assert_int_equal(n, 2);
    assert_string_equal(e.msg, "s.csv:3: stop");
    assert_int_equal(csv_read_file("nope.csv", NULL, NULL, stop_at_second, &n, NULL,
                                   "x", &e), FK_EIO);
    assert_non_null(strstr(e.msg, "nope.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_crlf_quotes),
        cmocka_unit_test(test_header_col_lookup),
        cmocka_unit_test(test_malformed_quote),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_field_parsers),
        cmocka_unit_test(test_callback_error_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
