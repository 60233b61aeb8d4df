/*
 * test_base.c: unit tests of base/: hash maps against a reference, string
 * pool, vectors, geometry, random numbers, error messages, and the date
 * helpers of region.c.
 */
#include "testutil.h"

#include <math.h>

#include "../../base/err.h"
#include "../../base/geo.h"
#include "../../base/hmap.h"
#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../base/strpool.h"
#include "../../base/vec.h"
#include "../../region/region.h"

static void test_hmap_u64_matches_reference(void **state)
{
    (void)state;
    enum { N = 200000 };
    hmap_u64 m = {0};
    uint64_t *keys = mem_alloc(N * sizeof *keys);
    rng r;
    rng_seed(&r, 7);
    for (uint32_t i = 0; i < N; i++) {
        keys[i] = rng_next(&r) % 1000000;  /* duplicates on purpose */
        assert_int_equal(hmap_u64_put(&m, keys[i], i), 0);
    }
    /* reference: the last index written for each key */
    for (uint32_t i = 0; i < N; i++) {
        uint32_t last = i;
        for (uint32_t j = i + 1; j < N && j < i + 50; j++)
            if (keys[j] == keys[i]) last = j;
        uint32_t got = hmap_u64_get(&m, keys[i]);
        assert_true(got >= last);
        assert_int_equal(keys[got], keys[i]);
    }
    assert_int_equal(hmap_u64_get(&m, 5000000), HMAP_NONE);
    hmap_u64_free(&m);
    mem_free(keys);
}

static void test_hmap_str(void **state)
{
    (void)state;
    hmap_str m = {0};
    char k[32];
    for (uint32_t i = 0; i < 50000; i++) {
        int n = snprintf(k, sizeof k, "stop-%u", i);
        assert_int_equal(hmap_str_put(&m, k, (size_t)n, i * 3), 0);
    }
    for (uint32_t i = 0; i < 50000; i += 7) {
        int n = snprintf(k, sizeof k, "stop-%u", i);
        assert_int_equal(hmap_str_get(&m, k, (size_t)n), i * 3);
    }
    /* prefix of a key is a different key */
    assert_int_equal(hmap_str_get(&m, "stop-1", 5), HMAP_NONE);
    assert_int_equal(hmap_str_get(&m, "nope", 4), HMAP_NONE);
    assert_int_equal(hmap_str_put(&m, "stop-1", 6, 99), 0);
    assert_int_equal(hmap_str_get(&m, "stop-1", 6), 99);
    assert_int_equal(m.n, 50000);
    hmap_str_free(&m);
}

static void test_strpool_dedupes(void **state)
{
    (void)state;
    strpool p = {0};
    uint32_t a, b, c, z;
    assert_int_equal(strpool_add(&p, "Luleå", &a), 0);
    assert_int_equal(strpool_add(&p, "Kiruna", &b), 0);
    assert_int_equal(strpool_add(&p, "Luleå", &c), 0);
    assert_int_equal(strpool_add(&p, "", &z), 0);
    assert_int_equal(a, c);
    assert_int_not_equal(a, b);
    assert_int_equal(z, 0);
    assert_string_equal(p.data + a, "Luleå");
    assert_string_equal(p.data + b, "Kiruna");
    assert_int_equal(strpool_find(&p, "Kiruna", 6), b);
    assert_int_equal(strpool_find(&p, "Kirun", 5), UINT32_MAX);
    assert_int_equal(strpool_find(&p, "", 0), 0);
    /* many strings: all distinct offsets, all found again after growth */
    char k[32];
    uint32_t offs[20000];
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(k, sizeof k, "name %d", i);
        assert_int_equal(strpool_addn(&p, k, (size_t)n, &offs[i]), 0);
    }
    for (int i = 0; i < 20000; i += 3) {
        int n = snprintf(k, sizeof k, "name %d", i);
        assert_int_equal(strpool_find(&p, k, (size_t)n), offs[i]);
        assert_string_equal(p.data + offs[i], k);
    }
    /* an embedded NUL truncates rather than corrupting the pool */
    assert_int_equal(strpool_addn(&p, "Ki\0x", 4, &c), 0);
    assert_string_equal(p.data + c, "Ki");
    strpool_free(&p);
}

static void test_vec_and_mem_counting(void **state)
{
    (void)state;
    size_t before = mem_used_bytes();
    VEC(int) v = {0};
    for (int i = 0; i < 1000; i++) assert_int_equal(vec_push(v, i * 2), 0);
    assert_int_equal(v.n, 1000);
    assert_int_equal(v.v[999], 1998);
    int *z = vec_add(v);
    assert_non_null(z);
    assert_int_equal(*z, 0);
    assert_true(mem_used_bytes() > before);
    vec_free(v);
    assert_int_equal(mem_used_bytes(), before);
    size_t out;
    assert_int_equal(mem_mul_ok(SIZE_MAX / 2, 3, &out), -1);
    assert_null(mem_calloc(SIZE_MAX / 2, 3));
}

static void test_geo(void **state)
{
    (void)state;
    geo_point lulea, kiruna, p;
    assert_int_equal(geo_from_deg(65.5848, 22.1547, &lulea), 0);
    assert_int_equal(geo_from_deg(67.8558, 20.2253, &kiruna), 0);
    double d = geo_dist_m(lulea, kiruna);
    assert_true(d > 264000 && d < 268000); /* ~266 km great-circle */
    assert_int_equal(geo_from_deg(91, 0, &p), -1);
    assert_int_equal(geo_from_deg(NAN, 0, &p), -1);
    /* one degree of latitude */
    geo_point a = {0, 0}, b = {10000000, 0};
    assert_true(fabs(geo_dist_m(a, b) - 111195) < 20);
    /* square with a point inside and outside, and segment distance */
    geo_point sq[4] = {{0, 0}, {0, 1000000}, {1000000, 1000000}, {1000000, 0}};
    geo_point in = {500000, 500000}, out = {1500000, 500000};
    assert_int_equal(geo_ring_contains(sq, 4, in), 1);
    assert_int_equal(geo_ring_contains(sq, 4, out), 0);
    geo_point c = geo_ring_centroid(sq, 4);
    assert_int_equal(c.lat_e7, 500000);
    assert_int_equal(c.lon_e7, 500000);
    assert_true(fabs(geo_seg_dist_m(out, sq[2], sq[3]) - 5559.7) < 5);
    geo_bbox bb = geo_bbox_empty();
    assert_true(geo_bbox_is_empty(&bb));
    geo_bbox_add(&bb, lulea);
    bb = geo_bbox_expand(bb, 1000);
    geo_point north = {lulea.lat_e7 + 80000, lulea.lon_e7}; /* ~890 m */
    geo_point far = {lulea.lat_e7 + 100000, lulea.lon_e7};  /* ~1110 m */
    assert_true(geo_bbox_contains(&bb, north));
    assert_false(geo_bbox_contains(&bb, far));
}

static void test_rng_deterministic(void **state)
{
    (void)state;
    rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++) assert_true(rng_next(&a) == rng_next(&b));
    uint32_t hist[10] = {0};
    for (int i = 0; i < 100000; i++) hist[rng_below(&a, 10)]++;
    for (int i = 0; i < 10; i++) assert_true(hist[i] > 9500 && hist[i] < 10500);
    double s = 0;
    for (int i = 0; i < 100000; i++) s += rng_normal(&a);
    assert_true(fabs(s / 100000) < 0.02);
}

static void test_err(void **state)
{
    (void)state;
    fk_err e;
    err_clear(&e);
    assert_int_equal(err_set(&e, FK_EPARSE, "line %d: field %s", 3, "stop_id"), FK_EPARSE);
    err_prefix(&e, "stops.txt");
    assert_string_equal(e.msg, "stops.txt: line 3: field stop_id");
    assert_int_equal(e.code, FK_EPARSE);
    assert_string_equal(err_name(FK_ECORRUPT), "corrupt file");
    assert_int_equal(err_set(NULL, FK_EIO, "x"), FK_EIO);
}

static void test_dates(void **state)
{
    (void)state;
    int32_t d;
    assert_int_equal(region_day_from_ymd(1970, 1, 1, &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(region_day_from_ymd(2022, 8, 14, &d), 0);
    assert_int_equal(d, 19218);
    assert_int_equal(region_day_from_ymd(2024, 2, 29, &d), 0);
    assert_int_equal(region_day_from_ymd(2023, 2, 29, &d), -1);
    assert_int_equal(region_day_from_ymd(2022, 13, 1, &d), -1);
    for (int32_t k = -1000; k < 40000; k += 17) {
        int y, m, dd;
        int32_t back;
        region_ymd_from_day(k, &y, &m, &dd);
        assert_int_equal(region_day_from_ymd(y, m, dd, &back), 0);
        assert_int_equal(back, k);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmap_u64_matches_reference),
        cmocka_unit_test(test_hmap_str),
        cmocka_unit_test(test_strpool_dedupes),
        cmocka_unit_test(test_vec_and_mem_counting),
        cmocka_unit_test(test_geo),
        cmocka_unit_test(test_rng_deterministic),
        cmocka_unit_test(test_err),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
