/*
 * test_snapshot.c: region snapshot round trip and refusal of damaged files:
 * every array written comes back byte for byte; truncation, a flipped bit,
 * a wrong version, a wrong magic, a foreign record size and an index out of
 * range are each refused with their own message; writing is atomic.
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../region/builder.h"
#include "../../region/region.h"

/* A builder with a few records of every kind, all references valid. */
static void fill(region_builder *b, uint64_t seed)
{
    rng r;
    rng_seed(&r, seed);
    int rc = 0;
    for (int i = 0; i < 100; i++) {
        geo_point p = {655000000 + (int32_t)rng_below(&r, 1000000),
                       221000000 + (int32_t)rng_below(&r, 1000000)};
        assert_int_equal(vec_push(b->road_nodes, p), 0);
    }
    for (uint32_t i = 0; i + 1 < 100; i++) {
        region_road rd = {0};
        rd.from = i;
        rd.to = i + 1;
        rd.length_dm = 100 + i;
        rd.name = rb_str(b, i % 2 ? "Storgatan" : "Kungsgatan", &rc);
        rd.highway = HW_RESIDENTIAL;
        rd.maxspeed_kmh = 40;
        assert_int_equal(vec_push(b->roads, rd), 0);
    }
    region_poi poi = {0};
    poi.pos = b->road_nodes.v[3];
    poi.name = rb_str(b, "Björkskolan", &rc);
    poi.kind = POI_SCHOOL;
    poi.level = SCHOOL_PRIMARY;
    assert_int_equal(vec_push(b->pois, poi), 0);
    region_stop st = {0};
    st.pos = b->road_nodes.v[5];
    st.gtfs_id = rb_str(b, "9021025000417000", &rc);
    st.name = rb_str(b, "Golfängen", &rc);
    st.parent = REGION_NONE;
    assert_int_equal(vec_push(b->stops, st), 0);
    region_route ro = {0};
    ro.gtfs_id = rb_str(b, "R1", &rc);
    ro.agency = REGION_NONE;
    ro.type = 700;
    assert_int_equal(vec_push(b->routes, ro), 0);
    region_service sv = {0};
    sv.gtfs_id = rb_str(b, "1", &rc);
    assert_int_equal(region_day_from_ymd(2022, 8, 14, &sv.first_day), 0);
    sv.n_days = 10;
    sv.bits = 0;
    assert_int_equal(vec_push(b->service_bits, 0x05), 0);
    assert_int_equal(vec_push(b->service_bits, 0x02), 0);
    assert_int_equal(vec_push(b->services, sv), 0);
    region_stop_time t = {25200, 25260, 0, 0, 0, 0, 1, 0};
    assert_int_equal(vec_push(b->stop_times, t), 0);
    region_trip tr = {0};
    tr.gtfs_id = rb_str(b, "T1", &rc);
    tr.n_stop_times = 1;
    assert_int_equal(vec_push(b->trips, tr), 0);
    region_job j = {0};
    j.title = rb_str(b, "Sjuksköterska", &rc);
    j.occupation = j.occupation_group = j.occupation_field = REGION_NONE;
    assert_int_equal(vec_push(b->jobs, j), 0);
    region_stat s = {0};
    s.value = 79000;
    s.area_code = rb_str(b, "2580", &rc);
    s.indicator = rb_str(b, "population", &rc);
    s.year = 2023;
    assert_int_equal(vec_push(b->stats, s), 0);
    assert_int_equal(rc, 0);
    b->gen_flags = REGION_GEN_ROADS;
    b->seed = 5;
}

#define SAME(arr)                                                            \
    do {                                                                     \
        assert_int_equal(r->n_##arr, b.arr.n);                               \
        if (b.arr.n)                                                         \
            assert_memory_equal(r->arr, b.arr.v, b.arr.n * sizeof *b.arr.v); \
    } while (0)

static void test_round_trip(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "Testregion");
    fill(&b, 1);
    fk_err e;
    assert_int_equal(region_write(&b, "t.region", &e), 0);
    region *r;
    assert_int_equal(region_open("t.region", REGION_OPEN_VERIFY_CRC, &r, &e), 0);
    SAME(road_nodes); SAME(roads); SAME(pois); SAME(stops); SAME(routes);
    SAME(services); SAME(service_bits); SAME(trips); SAME(stop_times); SAME(jobs);
    SAME(stats); SAME(areas);
    assert_int_equal(r->strings_len, b.strings.len);
    assert_string_equal(region_str(r, r->hdr->name), "Testregion");
    assert_string_equal(r->hdr->name_inline, "Testregion");
    assert_string_equal(region_str(r, r->pois[0].name), "Björkskolan");
    assert_string_equal(region_str(r, 0xffffff00u), "");
    assert_int_equal(r->hdr->flags, REGION_GEN_ROADS);
    assert_int_equal(r->hdr->generator_seed, 5);
    /* service bits: days 0 and 2 and 9 active */
    int32_t d0 = r->services[0].first_day;
    assert_true(region_service_active(r, &r->services[0], d0));
    assert_false(region_service_active(r, &r->services[0], d0 + 1));
    assert_true(region_service_active(r, &r->services[0], d0 + 2));
    assert_true(region_service_active(r, &r->services[0], d0 + 9));
    assert_false(region_service_active(r, &r->services[0], d0 + 10));
    assert_false(region_service_active(r, &r->services[0], d0 - 1));
    /* sections are 64-byte aligned */
    for (size_t i = 0; i < r->n_sections; i++) assert_int_equal(r->sections[i].offset % 64, 0);
    assert_true(r->hdr->bbox.min_lat_e7 >= 655000000);
    region_close(r);
    /* no temporary file left behind */
    DIR *d = opendir(".");
    struct dirent *de;
    while ((de = readdir(d))) assert_null(strstr(de->d_name, ".tmp."));
    closedir(d);
    region_builder_free(&b);
}

static size_t file_size(const char *p)
{
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    return (size_t)st.st_size;
}

static void patch(const char *p, size_t off, const void *bytes, size_t n)
{
    int fd = open(p, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, bytes, n, (off_t)off), (ssize_t)n);
    close(fd);
}

static void write_sample(const char *p)
{
    region_builder b;
    region_builder_init(&b, "Damaged");
    fill(&b, 2);
    fk_err e;
    assert_int_equal(region_write(&b, p, &e), 0);
    region_builder_free(&b);
}

static void expect_refused(const char *p, unsigned flags, int code, const char *needle)
{
    region *r = NULL;
    fk_err e;
    err_clear(&e);
    assert_int_equal(region_open(p, flags, &r, &e), code);
    assert_null(r);
    if (!strstr(e.msg, needle)) fail_msg("message \"%s\" lacks \"%s\"", e.msg, needle);
    assert_non_null(strstr(e.msg, p));
}

static void test_truncated(void **state)
{
    (void)state;
    write_sample("a.region");
    size_t n = file_size("a.region");
    assert_int_equal(truncate("a.region", (off_t)(n - 1)), 0);
    expect_refused("a.region", 0, FK_ECORRUPT, "truncated");
    assert_int_equal(truncate("a.region", 100), 0);
    expect_refused("a.region", 0, FK_ECORRUPT, "not a region snapshot");
    assert_int_equal(truncate("a.region", 0), 0);
    expect_refused("a.region", 0, FK_ECORRUPT, "not a region snapshot");
}

static void test_flipped_bit_in_section(void **state)
{
    (void)state;
    write_sample("b.region");
    region *r;
    fk_err e;
    assert_int_equal(region_open("b.region", 0, &r, &e), 0);
    const region_section_entry *s = region_section(r, SEC_ROADS);
    size_t off = (size_t)s->offset + 8; /* length_dm of the first road */
    region_close(r);
    unsigned char x = 0x5a;
    patch("b.region", off, &x, 1);
    /* structure still fine without the CRC pass, refused with it */
    assert_int_equal(region_open("b.region", 0, &r, &e), 0);
    region_close(r);
    expect_refused("b.region", REGION_OPEN_VERIFY_CRC, FK_ECORRUPT, "section roads: checksum");
}

static void test_header_damage(void **state)
{
    (void)state;
    write_sample("c.region");
    uint32_t v = 99;
    patch("c.region", 8, &v, 4);
    expect_refused("c.region", 0, FK_EVERSION, "format version 99");
    write_sample("c.region");
    patch("c.region", 0, "NOTAFILE", 8);
    expect_refused("c.region", 0, FK_ECORRUPT, "bad magic");
    write_sample("c.region");
    char nm = 'X';
    patch("c.region", offsetof(region_file_header, name_inline), &nm, 1);
    expect_refused("c.region", 0, FK_ECORRUPT, "header checksum");
    expect_refused("missing.region", 0, FK_EIO, "cannot open");
}

static void test_bad_reference_refused(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "Bad");
    fill(&b, 3);
    b.roads.v[10].to = 100000; /* no such node */
    fk_err e;
    assert_int_equal(region_write(&b, "d.region", &e), 0);
    expect_refused("d.region", REGION_OPEN_VERIFY_CRC, FK_ECORRUPT, "section roads: record 10");
    b.roads.v[10].to = 11;
    b.trips.v[0].n_stop_times = 2; /* runs past the stop_times array */
    assert_int_equal(region_write(&b, "d.region", &e), 0);
    expect_refused("d.region", 0, FK_ECORRUPT, "section trips: record 0");
    region_builder_free(&b);
}

static void test_write_failure_keeps_old_file(void **state)
{
    (void)state;
    write_sample("e.region");
    size_t n = file_size("e.region");
    region_builder b;
    region_builder_init(&b, "New");
    fk_err e;
    /* a directory in the way of the temporary name makes the write fail */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "e.region.tmp.%ld", (long)getpid());
    assert_int_equal(mkdir(tmp, 0755), 0);
    assert_int_equal(region_write(&b, "e.region", &e), FK_EIO);
    assert_non_null(strstr(e.msg, "e.region"));
    assert_int_equal(file_size("e.region"), n);
    region *r;
    assert_int_equal(region_open("e.region", REGION_OPEN_VERIFY_CRC, &r, &e), 0);
    assert_string_equal(region_str(r, r->hdr->name), "Damaged");
    region_close(r);
    rmdir(tmp);
    assert_int_equal(region_write(&b, "nodir/e.region", &e), FK_EIO);
    region_builder_free(&b);
}

static void test_builder_rollback(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "R");
    fill(&b, 4);
    region_builder_mark m;
    region_builder_mark_get(&b, &m);
    size_t roads = b.roads.n, stops = b.stops.n;
    fill(&b, 5);
    assert_true(b.roads.n > roads);
    region_builder_rollback(&b, &m);
    assert_int_equal(b.roads.n, roads);
    assert_int_equal(b.stops.n, stops);
    region_builder_free(&b);
}

static void test_empty_region(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "");
    fk_err e;
    assert_int_equal(region_write(&b, "f.region", &e), 0);
    region *r;
    assert_int_equal(region_open("f.region", REGION_OPEN_VERIFY_CRC, &r, &e), 0);
    assert_int_equal(r->n_roads, 0);
    assert_string_equal(region_str(r, r->hdr->name), "");
    region_close(r);
    region_builder_free(&b);
}

static void test_extra_sections(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "Extra");
    fill(&b, 6);
    fk_err e;
    uint32_t *xs = mem_alloc(10 * sizeof *xs);
    for (uint32_t i = 0; i < 10; i++) xs[i] = i * i;
    assert_int_equal(region_builder_add_section(&b, 1000, 4, xs, 10, &e), 0);
    assert_int_equal(region_builder_add_section(&b, 1000, 4, mem_alloc(4), 1, &e), FK_EINVAL);
    assert_int_equal(region_builder_add_section(&b, 5, 4, mem_alloc(4), 1, &e), FK_EINVAL);
    assert_int_equal(region_builder_add_section(&b, 1001, 8, NULL, 0, &e), 0);
    assert_int_equal(region_write(&b, "x.region", &e), 0);
    region *r;
    assert_int_equal(region_open("x.region", REGION_OPEN_VERIFY_CRC, &r, &e), 0);
    const region_section_entry *s = region_section(r, 1000);
    assert_non_null(s);
    assert_int_equal(s->count, 10);
    assert_int_equal(s->offset % 64, 0);
    const uint32_t *got = region_section_data(r, s);
    assert_int_equal(got[9], 81);
    assert_non_null(region_section(r, 1001));
    assert_null(region_section(r, 1002));
    SAME(roads);
    region_close(r);
    region_builder_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_flipped_bit_in_section),
        cmocka_unit_test(test_header_damage),
        cmocka_unit_test(test_bad_reference_refused),
        cmocka_unit_test(test_write_failure_keeps_old_file),
        cmocka_unit_test(test_builder_rollback),
        cmocka_unit_test(test_empty_region),
        cmocka_unit_test(test_extra_sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
