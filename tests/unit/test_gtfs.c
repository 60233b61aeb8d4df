/*
 * test_gtfs.c: unit tests of the GTFS importer (ingest/gtfs.c).
 *
 * Hand-made feeds in tests/fixtures/gtfs/ (small: BOM, CRLF, quoted commas,
 * times past 24:00, calendar + calendar_dates, unsorted and interpolated
 * stop_times, frequencies, transfers; dates_only: a service defined only by
 * calendar_dates, one agency without agency_id), zips built here with
 * libzip, malformed feeds written here, and the real Norrbotten feed.
 */
#include "testutil.h"

#include <zip.h>

#include "../../ingest/gtfs.h"

/* ---- helpers ---- */

static int32_t day_of(int ymd)
{
    int32_t d = 0;
    assert_int_equal(region_day_from_ymd(ymd / 10000, ymd / 100 % 100, ymd % 100, &d), 0);
    return d;
}

static const char *bstr(const region_builder *b, uint32_t off)
{
    return off < b->strings.len ? b->strings.data + off : "<bad offset>";
}

/* Whether service s of the builder runs on yyyymmdd (as region_service_active). */
static int active(const region_builder *b, uint32_t s, int ymd)
{
    const region_service *sv = &b->services.v[s];
    int32_t d = day_of(ymd);
    if (d < sv->first_day || (uint32_t)(d - sv->first_day) >= sv->n_days) return 0;
    uint32_t k = (uint32_t)(d - sv->first_day);
    assert_true(sv->bits + k / 8 < b->service_bits.n);
    return (b->service_bits.v[sv->bits + k / 8] >> (k % 8)) & 1;
}

static uint32_t find_stop(const region_builder *b, const char *id)
{
    for (size_t i = 0; i < b->stops.n; i++)
        if (strcmp(bstr(b, b->stops.v[i].gtfs_id), id) == 0) return (uint32_t)i;
    fail_msg("stop %s not found", id);
    return 0;
}

static uint32_t find_trip(const region_builder *b, const char *id)
{
    for (size_t i = 0; i < b->trips.n; i++)
        if (strcmp(bstr(b, b->trips.v[i].gtfs_id), id) == 0) return (uint32_t)i;
    fail_msg("trip %s not found", id);
    return 0;
}

static uint32_t find_service(const region_builder *b, const char *id)
{
    for (size_t i = 0; i < b->services.n; i++)
        if (strcmp(bstr(b, b->services.v[i].gtfs_id), id) == 0) return (uint32_t)i;
    fail_msg("service %s not found", id);
    return 0;
}

static int32_t hms(int h, int m, int s) { return h * 3600 + m * 60 + s; }

static void expect_msg(const fk_err *e, const char *part)
{
    if (!strstr(e->msg, part)) fail_msg("message \"%s\" lacks \"%s\"", e->msg, part);
}

/* Invariants every import must satisfy: indices in range, stop_times of
 * each trip contiguous, in trip order, times non-decreasing. */
static void check_invariants(const region_builder *b)
{
    size_t next = 0;
    for (size_t t = 0; t < b->trips.n; t++) {
        const region_trip *tr = &b->trips.v[t];
        assert_true(tr->route < b->routes.n);
        assert_true(tr->service < b->services.n);
        assert_int_equal(tr->first_stop_time, next);
        next += tr->n_stop_times;
        assert_true(next <= b->stop_times.n);
        for (uint32_t k = 0; k < tr->n_stop_times; k++) {
            const region_stop_time *st = &b->stop_times.v[tr->first_stop_time + k];
            assert_true(st->stop < b->stops.n);
            assert_true(st->departure_s >= st->arrival_s);
            assert_true(st->arrival_s >= 0 && st->departure_s <= GTFS_MAX_TIME_S);
            if (k > 0) assert_true(st->arrival_s >= st[-1].departure_s);
        }
    }
    assert_int_equal(next, b->stop_times.n);
    for (size_t i = 0; i < b->routes.n; i++) assert_true(b->routes.v[i].agency < b->agencies.n);
    for (size_t i = 0; i < b->stops.n; i++)
        assert_true(b->stops.v[i].parent == REGION_NONE || b->stops.v[i].parent < b->stops.n);
    for (size_t i = 0; i < b->services.n; i++) {
        const region_service *s = &b->services.v[i];
        assert_true(s->bits + (s->n_days + 7) / 8 <= b->service_bits.n);
        if (s->n_days) {   /* trimmed to first..last active day */
            assert_true(b->service_bits.v[s->bits] & 1);
            uint32_t k = s->n_days - 1;
            assert_true(b->service_bits.v[s->bits + k / 8] >> (k % 8) & 1);
        }
    }
    for (size_t i = 0; i < b->transfers.n; i++) {
        const region_transfer *t = &b->transfers.v[i];
        assert_true(t->from_stop < b->stops.n && t->to_stop < b->stops.n);
        assert_true(t->from_trip == REGION_NONE || t->from_trip < b->trips.n);
        assert_true(t->to_trip == REGION_NONE || t->to_trip < b->trips.n);
    }
    for (size_t i = 0; i < b->frequencies.n; i++)
        assert_true(b->frequencies.v[i].trip < b->trips.n);
}

/* ---- the small feed, all features ---- */

static void check_small(const region_builder *b, const ingest_report *rep)
{
    assert_int_equal(b->agencies.n, 2);
    assert_int_equal(b->stops.n, 6);
    assert_int_equal(b->routes.n, 3);
    assert_int_equal(b->services.n, 3);
    assert_int_equal(b->trips.n, 4);
    assert_int_equal(b->stop_times.n, 13);
    assert_int_equal(b->frequencies.n, 2);
    assert_int_equal(b->transfers.n, 3);
    assert_int_equal(rep->records, 2 + 6 + 3 + 3 + 4 + 13 + 2 + 3);
    assert_int_equal(rep->skipped, 2);
    if (!strstr(rep->note, "2 rows skipped") ||
        !strstr(rep->note, "1 with an unknown stop_id") ||
        !strstr(rep->note, "1 with an unknown trip_id"))
        fail_msg("note: %s", rep->note);
    check_invariants(b);

    /* BOM stripped (agency_id found), quoted comma kept */
    assert_string_equal(bstr(b, b->agencies.v[0].gtfs_id), "A1");
    assert_string_equal(bstr(b, b->agencies.v[0].name), "Buss, Tåg & Co");
    assert_string_equal(bstr(b, b->agencies.v[0].timezone), "Europe/Stockholm");

    uint32_t st1 = find_stop(b, "ST1"), p1 = find_stop(b, "P1"), p2 = find_stop(b, "P2");
    uint32_t s2 = find_stop(b, "S2"), s3 = find_stop(b, "S3"), s4 = find_stop(b, "S4");
    assert_string_equal(bstr(b, b->stops.v[p1].name), "Luleå, Centralen");
    assert_string_equal(bstr(b, b->stops.v[s3].name), "Skurholmen \"norra\"");
    assert_int_equal(b->stops.v[st1].location_type, 1);
    assert_int_equal(b->stops.v[st1].parent, REGION_NONE);
    assert_int_equal(b->stops.v[p1].parent, st1);
    assert_int_equal(b->stops.v[p2].parent, st1);
    assert_string_equal(bstr(b, b->stops.v[p2].platform_code), "B");
    assert_int_equal(b->stops.v[p2].wheelchair, 2);
    assert_int_equal(b->stops.v[p1].pos.lat_e7, 655848500);
    assert_int_equal(b->stops.v[p1].pos.lon_e7, 221547500);
    assert_int_equal(b->stops.v[s3].location_type, 0);   /* empty -> 0 */

    assert_string_equal(bstr(b, b->routes.v[0].long_name), "Centrum - Gammelstad, via Storgatan");
    assert_int_equal(b->routes.v[0].agency, 0);
    assert_int_equal(b->routes.v[1].agency, 1);
    assert_int_equal(b->routes.v[2].type, 700);

    /* WK: weekdays 2024-09-02..13, minus Fri 6th, plus Mon 16th */
    uint32_t wk = find_service(b, "WK"), sat = find_service(b, "SAT");
    uint32_t hol = find_service(b, "HOL");
    assert_int_equal(b->services.v[wk].first_day, day_of(20240902));
    assert_int_equal(b->services.v[wk].n_days, 15);
    assert_true(active(b, wk, 20240902));
    assert_true(active(b, wk, 20240905));
    assert_false(active(b, wk, 20240906));   /* removed (exception_type 2) */
    assert_false(active(b, wk, 20240907));   /* Saturday */
    assert_true(active(b, wk, 20240913));
    assert_false(active(b, wk, 20240915));
    assert_true(active(b, wk, 20240916));    /* added (exception_type 1) */
    assert_false(active(b, wk, 20240917));
    /* SAT: calendar only, trimmed to the first and last Saturday */
    assert_int_equal(b->services.v[sat].first_day, day_of(20240907));
    assert_int_equal(b->services.v[sat].n_days, 22);
    assert_true(active(b, sat, 20240914));
    assert_false(active(b, sat, 20240915));
    assert_true(active(b, sat, 20240928));
    /* HOL: calendar_dates only */
    assert_int_equal(b->services.v[hol].first_day, day_of(20241224));
    assert_int_equal(b->services.v[hol].n_days, 8);
    assert_true(active(b, hol, 20241224));
    assert_false(active(b, hol, 20241225));
    assert_true(active(b, hol, 20241231));

    /* trips: T1 sorted from a scrambled file, interpolated by distance */
    uint32_t t1 = find_trip(b, "T1"), t2 = find_trip(b, "T2"), t3 = find_trip(b, "T3");
    uint32_t t4 = find_trip(b, "T4");
    assert_int_equal(b->trips.v[t1].service, wk);
    assert_int_equal(b->trips.v[t1].direction, 0);
    assert_int_equal(b->trips.v[t1].wheelchair, 1);
    assert_int_equal(b->trips.v[t4].direction, 2);
    assert_string_equal(bstr(b, b->trips.v[t1].headsign), "Gammelstad, via centrum");
    const region_stop_time *v = &b->stop_times.v[b->trips.v[t1].first_stop_time];
    assert_int_equal(b->trips.v[t1].n_stop_times, 4);
    uint32_t want1[] = {p1, s2, s3, s4};
    int32_t times1[] = {hms(7, 0, 0), hms(7, 5, 0), hms(7, 15, 0), hms(7, 20, 0)};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(v[k].stop, want1[k]);
        assert_int_equal(v[k].arrival_s, times1[k]);
        assert_int_equal(v[k].departure_s, times1[k]);
    }
    assert_int_equal(v[1].timepoint, 0);
    assert_int_equal(v[3].timepoint, 1);
    assert_int_equal(v[3].pickup, 1);
    assert_int_equal(v[0].dropoff, 1);
    /* T2: sequences 10..40, interpolated by stop count, departure-only row */
    v = &b->stop_times.v[b->trips.v[t2].first_stop_time];
    assert_int_equal(b->trips.v[t2].n_stop_times, 4);
    uint32_t want2[] = {s4, s3, s2, p2};
    int32_t times2[] = {hms(8, 0, 0), hms(8, 10, 0), hms(8, 20, 0), hms(8, 30, 0)};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(v[k].stop, want2[k]);
        assert_int_equal(v[k].arrival_s, times2[k]);
        assert_int_equal(v[k].departure_s, times2[k]);
    }
    assert_string_equal(bstr(b, v[0].headsign), "Centrum, resecentrum");
    /* T3: past midnight */
    v = &b->stop_times.v[b->trips.v[t3].first_stop_time];
    assert_int_equal(v[1].arrival_s, hms(24, 5, 0));
    assert_int_equal(v[2].arrival_s, hms(25, 10, 0));
    assert_int_equal(v[2].departure_s, hms(25, 12, 0));
    /* T4: single-digit hours */
    v = &b->stop_times.v[b->trips.v[t4].first_stop_time];
    assert_int_equal(v[0].departure_s, hms(9, 5, 0));

    /* frequencies */
    assert_int_equal(b->frequencies.v[0].trip, t4);
    assert_int_equal(b->frequencies.v[0].start_s, hms(9, 0, 0));
    assert_int_equal(b->frequencies.v[0].end_s, hms(12, 0, 0));
    assert_int_equal(b->frequencies.v[0].headway_s, 1800);
    assert_int_equal(b->frequencies.v[0].exact, 1);
    assert_int_equal(b->frequencies.v[1].headway_s, 3600);
    assert_int_equal(b->frequencies.v[1].exact, 0);

    /* transfers */
    assert_int_equal(b->transfers.v[0].from_stop, p1);
    assert_int_equal(b->transfers.v[0].to_stop, p2);
    assert_int_equal(b->transfers.v[0].min_time_s, 180);
    assert_int_equal(b->transfers.v[0].type, 2);
    assert_int_equal(b->transfers.v[0].from_trip, REGION_NONE);
    assert_int_equal(b->transfers.v[1].min_time_s, -1);
    assert_int_equal(b->transfers.v[2].from_trip, t1);
    assert_int_equal(b->transfers.v[2].to_trip, t2);
    assert_int_equal(b->transfers.v[2].from_route, REGION_NONE);
}

typedef struct progress_log {
    int st_done;        /* final events of "gtfs stop_times" */
    uint64_t st_count, st_bytes;
    int stages;
} progress_log;

static void on_progress(void *ud, const progress_event *ev)
{
    progress_log *l = ud;
    if (!ev->done) return;
    l->stages++;
    if (strcmp(ev->stage, "gtfs stop_times") == 0) {
        l->st_done++;
        l->st_count = ev->count;
        l->st_bytes = ev->bytes;
    }
}

static void test_small_folder(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    progress_log log = {0};
    progress p = {0};
    p.fn = on_progress;
    p.ud = &log;
    b.progress = &p;
    ingest_report rep;
    fk_err e;
    err_clear(&e);
    int rc = ingest_gtfs(&b, fixture("gtfs/small"), &rep, &e);
    if (rc) fail_msg("ingest_gtfs: %s", e.msg);
    check_small(&b, &rep);
    assert_int_equal(log.st_done, 1);
    assert_int_equal(log.st_count, 13);
    assert_true(log.st_bytes > 400);
    assert_true(log.stages >= 10);
    region_builder_free(&b);
}

static void test_dates_only(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e;
    int rc = ingest_gtfs(&b, fixture("gtfs/dates_only"), &rep, &e);
    if (rc) fail_msg("ingest_gtfs: %s", e.msg);
    check_invariants(&b);
    assert_int_equal(b.agencies.n, 1);
    assert_int_equal(b.routes.v[0].agency, 0);   /* agency_id omitted */
    assert_int_equal(b.services.n, 1);
    /* 10th and 13th; the 12th added then removed */
    assert_int_equal(b.services.v[0].first_day, day_of(20221010));
    assert_int_equal(b.services.v[0].n_days, 4);
    assert_true(active(&b, 0, 20221010));
    assert_false(active(&b, 0, 20221011));
    assert_false(active(&b, 0, 20221012));
    assert_true(active(&b, 0, 20221013));
    /* the node without coordinates takes its station's */
    uint32_t n1 = find_stop(&b, "N1"), st = find_stop(&b, "ST");
    assert_int_equal(b.stops.v[n1].parent, st);
    assert_int_equal(b.stops.v[n1].pos.lat_e7, 650000000);
    /* interpolation by stop count between 06:00:00 and 06:09:00 */
    const region_stop_time *v = b.stop_times.v;
    assert_int_equal(b.stop_times.n, 4);
    assert_int_equal(v[1].arrival_s, hms(6, 3, 0));
    assert_int_equal(v[2].arrival_s, hms(6, 6, 0));
    assert_int_equal(v[3].arrival_s, hms(6, 9, 0));
    assert_int_equal(v[3].departure_s, hms(6, 10, 0));
    assert_int_equal(rep.skipped, 0);
    assert_string_equal(rep.note, "");
    region_builder_free(&b);
}

/* ---- zips ---- */

static const char *small_files[] = {
    "agency.txt", "stops.txt", "routes.txt", "calendar.txt", "calendar_dates.txt",
    "trips.txt", "stop_times.txt", "frequencies.txt", "transfers.txt", "feed_info.txt"};

/* Zips the small fixture into name, under prefix ("" or "dir/"); when
 * replace is set, the file with that name gets text instead. */
static void make_zip(const char *name, const char *prefix, const char *replace,
                     const char *text)
{
    int err = 0;
    zip_t *z = zip_open(name, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    if (*prefix) assert_true(zip_dir_add(z, prefix, ZIP_FL_ENC_UTF_8) >= 0);
    for (size_t i = 0; i < sizeof small_files / sizeof *small_files; i++) {
        char src[4096], dst[256];
        snprintf(src, sizeof src, "%s/%s", fixture("gtfs/small"), small_files[i]);
        snprintf(dst, sizeof dst, "%s%s", prefix, small_files[i]);
        zip_source_t *s;
        if (replace && strcmp(replace, small_files[i]) == 0)
            s = zip_source_buffer(z, text, strlen(text), 0);
        else
            s = zip_source_file(z, src, 0, -1);
        assert_non_null(s);
        assert_true(zip_file_add(z, dst, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    /* noise a publisher's zip may carry */
    zip_source_t *s = zip_source_buffer(z, "x", 1, 0);
    assert_true(zip_file_add(z, "__MACOSX/._stops.txt", s, 0) >= 0);
    assert_int_equal(zip_close(z), 0);
}

static void test_zip(void **state)
{
    (void)state;
    const char *prefixes[] = {"", "gtfs_2024/"};
    for (int k = 0; k < 2; k++) {
        make_zip("feed.zip", prefixes[k], NULL, NULL);
        region_builder b;
        region_builder_init(&b, "t");
        ingest_report rep;
        fk_err e;
        int rc = ingest_gtfs(&b, "feed.zip", &rep, &e);
        if (rc) fail_msg("ingest_gtfs (prefix \"%s\"): %s", prefixes[k], e.msg);
        check_small(&b, &rep);
        region_builder_free(&b);
    }
}

static void test_zip_errors(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e;
    make_zip("bad.zip", "sub/", "stop_times.txt",
             "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
             "T1,07:00:00,07:00:00,P1,1\nT1,7:6O:00,07:10:00,S2,2\n");
    assert_int_equal(ingest_gtfs(&b, "bad.zip", NULL, &e), FK_EPARSE);
    expect_msg(&e, "bad.zip:sub/stop_times.txt:3: field arrival_time: \"7:6O:00\"");
    /* a zip without the required file */
    int err = 0;
    zip_t *z = zip_open("empty.zip", ZIP_CREATE | ZIP_TRUNCATE, &err);
    zip_source_t *s = zip_source_buffer(z, "x\n", 2, 0);
    assert_true(zip_file_add(z, "readme.txt", s, 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(ingest_gtfs(&b, "empty.zip", NULL, &e), FK_ENOTFOUND);
    expect_msg(&e, "empty.zip");
    expect_msg(&e, "agency.txt");
    /* not a zip */
    write_file("junk.zip", "this is no zip archive\n");
    assert_int_equal(ingest_gtfs(&b, "junk.zip", NULL, &e), FK_EPARSE);
    expect_msg(&e, "junk.zip");
    assert_int_equal(ingest_gtfs(&b, "no-such-feed", NULL, &e), FK_EIO);
    assert_int_equal(b.stops.n, 0);
    region_builder_free(&b);
}

/* ---- malformed feeds ---- */

static const char *min_feed[][2] = {
    {"agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
                   "A,Ag,http://a.se,Europe/Stockholm\n"},
    {"stops.txt", "stop_id,stop_name,stop_lat,stop_lon\nS1,One,65.0,21.0\n"
                  "S2,Two,65.1,21.1\nS3,Three,65.2,21.2\n"},
    {"routes.txt", "route_id,agency_id,route_short_name,route_type\nR,A,1,3\n"},
    {"calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,"
                     "sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20241231\n"},
    {"trips.txt", "route_id,service_id,trip_id\nR,WK,T\n"},
    {"stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                       "T,07:00:00,07:00:00,S1,1\nT,07:10:00,07:10:00,S2,2\n"
                       "T,07:20:00,07:20:00,S3,3\n"},
};

/* Writes the minimal feed into folder dir, with file replaced by text (or
 * left out when text is NULL); file may also name an extra file. */
static void make_feed(const char *dir, const char *file, const char *text)
{
    mkdir(dir, 0755);
    char path[512];
    int extra = 1;
    for (size_t i = 0; i < sizeof min_feed / sizeof *min_feed; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, min_feed[i][0]);
        unlink(path);
        if (file && strcmp(file, min_feed[i][0]) == 0) {
            extra = 0;
            if (text) write_file(path, text);
        } else {
            write_file(path, min_feed[i][1]);
        }
    }
    if (file && extra) {
        snprintf(path, sizeof path, "%s/%s", dir, file);
        write_file(path, text);
    }
}

/* Imports dir into a builder that already holds the small feed, expects
 * code and each non-NULL part in the message, and checks that the builder
 * is exactly as before. */
static void expect_fail(const char *dir, int code, const char *p1, const char *p2,
                        const char *p3)
{
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e;
    int rc = ingest_gtfs(&b, fixture("gtfs/small"), NULL, &e);
    if (rc) fail_msg("ingest_gtfs: %s", e.msg);
    region_builder_mark m0, m1;   /* mark_get fills only as many slots as arrays */
    memset(&m0, 0, sizeof m0);
    memset(&m1, 0, sizeof m1);
    region_builder_mark_get(&b, &m0);
    region_stop_time *st0 = malloc(b.stop_times.n * sizeof *st0);
    region_stop *sp0 = malloc(b.stops.n * sizeof *sp0);
    assert_non_null(st0);
    assert_non_null(sp0);
    memcpy(st0, b.stop_times.v, b.stop_times.n * sizeof *st0);
    memcpy(sp0, b.stops.v, b.stops.n * sizeof *sp0);

    err_clear(&e);
    rc = ingest_gtfs(&b, dir, NULL, &e);
    if (rc != code) fail_msg("expected code %d, got %d: %s", code, rc, e.msg);
    if (p1) expect_msg(&e, p1);
    if (p2) expect_msg(&e, p2);
    if (p3) expect_msg(&e, p3);

    region_builder_mark_get(&b, &m1);
    assert_memory_equal(m0.n, m1.n, sizeof m0.n);
    assert_memory_equal(st0, b.stop_times.v, b.stop_times.n * sizeof *st0);
    assert_memory_equal(sp0, b.stops.v, b.stops.n * sizeof *sp0);
    free(st0);
    free(sp0);
    region_builder_free(&b);
}

static void test_minimal_ok(void **state)
{
    (void)state;
    make_feed("min", NULL, NULL);
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e;
    int rc = ingest_gtfs(&b, "min", NULL, &e);
    if (rc) fail_msg("ingest_gtfs: %s", e.msg);
    assert_int_equal(b.stop_times.n, 3);
    region_builder_free(&b);
}

static void test_missing_file(void **state)
{
    (void)state;
    make_feed("f1", "stops.txt", NULL);
    expect_fail("f1", FK_ENOTFOUND, "f1", "stops.txt", "not found");
    make_feed("f2", "calendar.txt", NULL);
    expect_fail("f2", FK_ENOTFOUND, "f2", "calendar.txt or calendar_dates.txt", NULL);
}

static void test_missing_column(void **state)
{
    (void)state;
    make_feed("c1", "stops.txt", "stop_id,stop_name,stop_lon\nS1,One,21.0\n");
    expect_fail("c1", FK_EPARSE, "c1/stops.txt:1:", "stop_lat", "missing");
    make_feed("c2", "stop_times.txt", "trip_id,arrival_time,departure_time,stop_id\n");
    expect_fail("c2", FK_EPARSE, "c2/stop_times.txt:1:", "stop_sequence", NULL);
}

static void test_bad_time(void **state)
{
    (void)state;
    make_feed("t1", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,07:00:00,07:00:00,S1,1\nT,7:6O:00,07:10:00,S2,2\n");
    expect_fail("t1", FK_EPARSE, "t1/stop_times.txt:3:", "field arrival_time",
                "\"7:6O:00\"");
    make_feed("t2", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,07:00:00,07:00:00,S1,1\nT,07:10:00,07:61:00,S2,2\n");
    expect_fail("t2", FK_EPARSE, "t2/stop_times.txt:3:", "field departure_time",
                "\"07:61:00\"");
    make_feed("t3", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,07:00:00,07:00:00,S1,1\nT,72:00:01,72:00:01,S2,2\n");
    expect_fail("t3", FK_ETOOBIG, "t3/stop_times.txt:3:", "\"72:00:01\"", "72:00:00");
}

static void test_bad_date(void **state)
{
    (void)state;
    make_feed("d1", "calendar.txt",
              "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
              "start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20240231\n");
    expect_fail("d1", FK_EPARSE, "d1/calendar.txt:2:", "field end_date", "\"20240231\"");
    make_feed("d2", "calendar_dates.txt", "service_id,date,exception_type\nWK,2024-01-05,2\n");
    expect_fail("d2", FK_EPARSE, "d2/calendar_dates.txt:2:", "field date", "\"2024-01-05\"");
}

static void test_unknown_refs(void **state)
{
    (void)state;
    make_feed("u1", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,07:00:00,07:00:00,S1,1\nT,07:10:00,07:10:00,S9,2\n");
    expect_fail("u1", FK_EPARSE, "u1/stop_times.txt:3:", "field stop_id", "\"S9\"");
    make_feed("u2", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "TX,07:00:00,07:00:00,S1,1\n");
    expect_fail("u2", FK_EPARSE, "u2/stop_times.txt:2:", "field trip_id", "\"TX\"");
    make_feed("u3", "trips.txt", "route_id,service_id,trip_id\nR,NOPE,T\n");
    expect_fail("u3", FK_EPARSE, "u3/trips.txt:2:", "field service_id", "\"NOPE\"");
    make_feed("u4", "stops.txt", "stop_id,stop_lat,stop_lon,parent_station\n"
              "S1,65,21,\nS2,65,21,S1\nS3,65,21,XX\n");
    expect_fail("u4", FK_EPARSE, "u4/stops.txt:4:", "field parent_station", "\"XX\"");
}

static void test_decreasing_times(void **state)
{
    (void)state;
    make_feed("x1", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,07:00:00,07:00:00,S1,1\nT,07:20:00,07:20:00,S3,3\n"
              "T,07:25:00,07:25:00,S2,2\n");
    /* sorted by sequence: S1 07:00, S2 07:25, S3 07:20 -> line 3 goes back */
    expect_fail("x1", FK_EPARSE, "x1/stop_times.txt:3:", "trip \"T\"", "decrease");
    make_feed("x2", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,07:00:00,07:00:00,S1,1\nT,07:10:00,07:09:00,S2,2\n");
    expect_fail("x2", FK_EPARSE, "x2/stop_times.txt:3:", "field departure_time", "trip \"T\"");
    make_feed("x3", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,07:00:00,07:00:00,S1,1\nT,,,S2,2\n");
    expect_fail("x3", FK_EPARSE, "x3/stop_times.txt:3:", "last stop", "trip \"T\"");
}

static void test_duplicate_sequence(void **state)
{
    (void)state;
    make_feed("q1", "stop_times.txt",
              "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,07:00:00,07:00:00,S1,1\nT,07:10:00,07:10:00,S2,2\n"
              "T,07:20:00,07:20:00,S3,2\n");
    expect_fail("q1", FK_EPARSE, "q1/stop_times.txt:4:", "field stop_sequence",
                "also on line 3");
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    make_feed("z1", "stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n"
              "S1,One,65.0,21.0\nS2,\"Two,65.1,21.1\nS3,Three,65.2,21.2\n");
    expect_fail("z1", FK_EPARSE, "z1/stops.txt:3:", "unclosed quote", NULL);
}

static void test_other_errors(void **state)
{
    (void)state;
    make_feed("o1", "stops.txt", "stop_id,stop_lat,stop_lon\nS1,65,21\nS1,65,21\n");
    expect_fail("o1", FK_EPARSE, "o1/stops.txt:3:", "field stop_id", "twice");
    make_feed("o2", "agency.txt", "agency_name,agency_url,agency_timezone\n"
              "A,http://a,Europe/Stockholm\nB,http://b,Europe/Stockholm\n");
    expect_fail("o2", FK_EPARSE, "o2/agency.txt:3:", "field agency_id", "more than one agency");
    make_feed("o3", "frequencies.txt", "trip_id,start_time,end_time,headway_secs\n"
              "T,08:00:00,07:00:00,600\n");
    expect_fail("o3", FK_EPARSE, "o3/frequencies.txt:2:", "field end_time", NULL);
    make_feed("o4", "transfers.txt", "from_stop_id,to_stop_id,transfer_type,"
              "min_transfer_time\nS1,S2,2,-5\n");
    expect_fail("o4", FK_EPARSE, "o4/transfers.txt:2:", "field min_transfer_time", "\"-5\"");
    make_feed("o5", "stops.txt", "stop_id,stop_lat,stop_lon\nS1,95.0,21\n");
    expect_fail("o5", FK_EPARSE, "o5/stops.txt:2:", "field stop_lat", "\"95.0\"");
}

/* ---- the real Norrbotten feed ---- */

/* Expected counts: data rows of each file, counted independently with
 *   python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1],
 *               newline="", encoding="utf-8-sig"))))' FILE
 * agency 1, stops 4476, routes 183, trips 1882, stop_times 44340,
 * calendar 59, calendar_dates 2468 (all exception_type 1, 59 service_ids,
 * the same 59 as calendar.txt, whose weekday columns are all 0), transfers
 * 2845 (none referring to an unknown stop or trip), no frequencies. */
static void test_norrbotten(void **state)
{
    (void)state;
    REQUIRE_DATA(dir, "gtfs-norrbotten");
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e;
    double t0 = progress_now();
    int rc = ingest_gtfs(&b, dir, &rep, &e);
    double secs = progress_now() - t0;
    if (rc) fail_msg("ingest_gtfs: %s", e.msg);
    uint64_t rows = 1 + 4476 + 183 + 1882 + 44340 + 59 + 2468 + 2845 + 1;
    double mb = 4438017 / 1e6;   /* bytes of the files read (not attributions.txt) */
    printf("INFO norrbotten GTFS: %.3f s, %.0f rows/s, %.1f MB/s\n", secs, rows / secs,
           mb / secs);
    assert_int_equal(b.agencies.n, 1);
    assert_int_equal(b.stops.n, 4476);
    assert_int_equal(b.routes.n, 183);
    assert_int_equal(b.trips.n, 1882);
    assert_int_equal(b.stop_times.n, 44340);
    assert_int_equal(b.services.n, 59);
    assert_int_equal(b.transfers.n, 2845);
    assert_int_equal(b.frequencies.n, 0);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(rep.records, 1 + 4476 + 183 + 59 + 1882 + 44340 + 2845);
    check_invariants(&b);

    /* stations (location_type 1) are parents of the 2734 platforms */
    size_t n_station = 0, n_child = 0;
    for (size_t i = 0; i < b.stops.n; i++) {
        if (b.stops.v[i].location_type == 1) n_station++;
        if (b.stops.v[i].parent != REGION_NONE) {
            n_child++;
            assert_int_equal(b.stops.v[b.stops.v[i].parent].location_type, 1);
        }
    }
    assert_int_equal(n_station, 1742);
    assert_int_equal(n_child, 2734);

    uint32_t g = find_stop(&b, "9021025000417000");
    assert_string_equal(bstr(&b, b.stops.v[g].name), "Golfängen");
    assert_int_equal(b.stops.v[g].pos.lat_e7, 655947250);
    assert_int_equal(b.stops.v[g].pos.lon_e7, 221670670);
    uint32_t k = find_stop(&b, "9022025084001001");
    assert_string_equal(bstr(&b, b.stops.v[k].name), "Kiruna Busstation");
    assert_string_equal(bstr(&b, b.stops.v[k].platform_code), "A");
    assert_int_equal(b.stops.v[k].parent, find_stop(&b, "9021025084001000"));

    /* service 1: the 18 Sundays 2022-08-14 .. 2022-12-11, from calendar_dates */
    uint32_t s1 = find_service(&b, "1");
    assert_int_equal(b.services.v[s1].first_day, day_of(20220814));
    assert_int_equal(b.services.v[s1].n_days, 120);
    assert_true(active(&b, s1, 20220821));
    assert_false(active(&b, s1, 20220815));
    assert_true(active(&b, s1, 20221211));
    int n_active = 0;
    for (int32_t d = day_of(20220801); d < day_of(20230101); d++) {
        uint32_t off = (uint32_t)(d - b.services.v[s1].first_day);
        if (d >= b.services.v[s1].first_day && off < b.services.v[s1].n_days &&
            (b.service_bits.v[b.services.v[s1].bits + off / 8] >> (off % 8) & 1))
            n_active++;
    }
    assert_int_equal(n_active, 18);

    /* trip 252500000000000004: 43 stops, Kiruna 07:20 -> 12:30 */
    uint32_t t = find_trip(&b, "252500000000000004");
    const region_trip *tr = &b.trips.v[t];
    assert_int_equal(tr->n_stop_times, 43);
    assert_int_equal(tr->service, s1);
    assert_string_equal(bstr(&b, b.routes.v[tr->route].short_name), "10");
    assert_int_equal(tr->direction, 1);
    const region_stop_time *st = &b.stop_times.v[tr->first_stop_time];
    assert_int_equal(st[0].stop, k);
    assert_int_equal(st[0].departure_s, hms(7, 20, 0));
    assert_int_equal(st[0].pickup, 3);
    assert_int_equal(st[0].dropoff, 1);
    assert_string_equal(bstr(&b, st[0].headsign), "Luleå");
    assert_int_equal(st[42].arrival_s, hms(12, 30, 0));

    /* transfers: 1742 same-stop type 2 with 300 s, 1103 trip-to-trip type 1 */
    size_t n_min = 0, n_trip = 0;
    for (size_t i = 0; i < b.transfers.n; i++) {
        const region_transfer *x = &b.transfers.v[i];
        if (x->min_time_s >= 0) n_min++;
        if (x->from_trip != REGION_NONE) n_trip++;
    }
    assert_int_equal(n_min, 1742);
    assert_int_equal(n_trip, 1103);
    assert_int_equal(b.transfers.v[0].type, 1);
    assert_int_equal(b.transfers.v[0].min_time_s, -1);
    region_builder_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_folder),
        cmocka_unit_test(test_dates_only),
        cmocka_unit_test(test_zip),
        cmocka_unit_test(test_zip_errors),
        cmocka_unit_test(test_minimal_ok),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_bad_time),
        cmocka_unit_test(test_bad_date),
        cmocka_unit_test(test_unknown_refs),
        cmocka_unit_test(test_decreasing_times),
        cmocka_unit_test(test_duplicate_sequence),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_other_errors),
        cmocka_unit_test(test_norrbotten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
