/*
 * test_transit.c: the compiled timetable (route/transit.c) and RAPTOR
 * (route/raptor.c) against hand-made feeds with known answers (overnight
 * trips, calendar exceptions, station-level and trip-to-trip transfers,
 * frequencies, pickup/drop-off rules, overtaking trips, unreachable
 * stops), against the connection scan reference (route/transit_ref.c) on
 * every stop of the small feed and on thousands of random queries on the
 * real Länstrafiken Norrbotten feed, range queries checked minute by
 * minute, the snapshot round trip and its validation, footpaths on a walk
 * graph, and a realistic morning itinerary in Luleå (printed).
 */
#include "testutil.h"

#include <time.h>

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../ingest/gtfs.h"
#include "../../region/builder.h"
#include "../../route/graph.h"
#include "../../route/raptor.h"
#include "../../route/transit.h"

#define HMS(h, m, s) ((h) * 3600 + (m) * 60 + (s))

static int32_t ymd(int y, int m, int d)
{
    int32_t day;
    assert_int_equal(region_day_from_ymd(y, m, d, &day), 0);
    return day;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct fx {
    region_builder b;
    route_transit t;
    route_raptor s;
} fx;

static void fx_load(fx *f, const char *gtfs, int with_roads)
{
    fk_err e;
    err_clear(&e);
    region_builder_init(&f->b, "transit test");
    if (ingest_gtfs(&f->b, gtfs, NULL, &e)) fail_msg("%s", e.msg);
    if (with_roads && route_graph_build_all(&f->b, &e)) fail_msg("%s", e.msg);
    if (route_transit_init(&f->t, &f->b, &e)) fail_msg("%s", e.msg);
    if (route_raptor_init(&f->s, &f->t, 241, &e)) fail_msg("%s", e.msg);
}

static void fx_free(fx *f)
{
    route_raptor_free(&f->s);
    route_transit_free(&f->t);
    region_builder_free(&f->b);
}

static uint32_t stop_id(const route_transit *t, const char *gtfs_id)
{
    for (uint32_t i = 0; i < t->feed.n_stops; i++)
        if (strcmp(route_transit_str(t, t->feed.stops[i].gtfs_id), gtfs_id) == 0) return i;
    fail_msg("no stop %s", gtfs_id);
    return 0;
}

/* Earliest arrival query from one stop (and its footpaths). */
static void from_stop(fx *f, int32_t day, int32_t time_s, const char *gtfs_id)
{
    route_raptor_origin o[256];
    size_t n = route_raptor_stop_origins(&f->t, stop_id(&f->t, gtfs_id), 0, o, 256);
    assert_true(n <= 256);
    fk_err e;
    if (route_raptor_query(&f->s, day, time_s, o, n, NULL, &e)) fail_msg("%s", e.msg);
}

static int32_t arr_at(fx *f, const char *gtfs_id)
{
    return route_raptor_arrival_s(&f->s, stop_id(&f->t, gtfs_id));
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Runs the range query from o and checks best/median/worst of every stop
 * against one connection scan per departure. tt: n_stops * n scratch.
 * Returns the number of stops reached at least once. */
static uint32_t check_range(fx *f, route_csa *c, int32_t day, int32_t from_s, int32_t to_s,
                            uint32_t step, const route_raptor_origin *o, size_t n_o,
                            uint32_t *tt)
{
    fk_err e;
    uint32_t ns = f->t.h.n_stops, n = (uint32_t)(to_s - from_s) / step + 1;
    if (route_raptor_range(&f->s, day, from_s, to_s, step, o, n_o, NULL, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(f->s.n_steps_done, n);
    for (uint32_t m = 0; m < n; m++) {
        int32_t t = from_s + (int32_t)(m * step);
        assert_int_equal(route_csa_query(c, t, o, n_o, NULL, &e), 0);
        for (uint32_t x = 0; x < ns; x++) {
            int32_t a = route_csa_arrival_s(c, x);
            tt[(size_t)x * n + m] = a == ROUTE_RAPTOR_UNREACHED ? ROUTE_RAPTOR_NO_TIME
                                                                : (uint32_t)(a - t);
        }
    }
    uint32_t reached = 0;
    for (uint32_t x = 0; x < ns; x++) {
        uint32_t *v = tt + (size_t)x * n;
        qsort(v, n, sizeof *v, cmp_u32);
        if (f->s.range_best[x] != v[0] || f->s.range_median[x] != v[n / 2] ||
            f->s.range_worst[x] != v[n - 1])
            fail_msg("range from stop %u: stop %u raptor %u/%u/%u csa %u/%u/%u", o[0].stop, x,
                     f->s.range_best[x], f->s.range_median[x], f->s.range_worst[x], v[0],
                     v[n / 2], v[n - 1]);
        reached += v[0] != ROUTE_RAPTOR_NO_TIME;
    }
    return reached;
}

/* ---- the hand-made feed ---- */

static void test_tiny_compile(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    const route_transit *t = &f.t;
    /* T1 | T11 (other drop-off pattern) | T2 | T3 T4 T6 T7 | T5 | T8 | 6 x T9 | T10 |
     * T12 and T13 overtake each other: two routes | T14 */
    assert_int_equal(t->h.n_routes, 11);
    assert_int_equal(t->h.n_trips, 19);
    assert_int_equal(t->h.n_freq_trips, 6);
    assert_int_equal(t->h.n_trip_tx, 1);
    assert_int_equal(t->h.n_tx_skipped, 0);
    assert_int_equal(t->change_s[stop_id(t, "P1")], 300);   /* station rule */
    assert_int_equal(t->change_s[stop_id(t, "A")], ROUTE_TRANSIT_CHANGE_S);
    /* routes are FIFO and sorted */
    for (uint32_t r = 0; r < t->h.n_routes; r++) {
        const route_tt_route *R = &t->routes[r];
        for (uint32_t k = 1; k < R->n_trips; k++)
            for (uint32_t p = 0; p < R->n_stops; p++) {
                assert_true(route_tt_dep(t, R->first_trip + k, p) >=
                            route_tt_dep(t, R->first_trip + k - 1, p));
                assert_true(route_tt_arr(t, R->first_trip + k, p) >=
                            route_tt_arr(t, R->first_trip + k - 1, p));
            }
    }
    /* footpaths: C -> C2 (56 m, straight line x 1.3) and P1 -> P2 (station rule) */
    int seen_c = 0, seen_p = 0;
    uint32_t c = stop_id(t, "C"), c2 = stop_id(t, "C2"), p1 = stop_id(t, "P1"), p2 = stop_id(t, "P2");
    for (uint32_t k = t->fp_first[c]; k < t->fp_first[c + 1]; k++)
        if (t->footpaths[k].to == c2) {
            seen_c = 1;
            assert_in_range(t->footpaths[k].walk_s, 50, 54);
            assert_int_equal(t->footpaths[k].xfer_s, ROUTE_TRANSIT_CHANGE_S);
        }
    for (uint32_t k = t->fp_first[p1]; k < t->fp_first[p1 + 1]; k++)
        if (t->footpaths[k].to == p2) {
            seen_p = 1;
            assert_int_equal(t->footpaths[k].xfer_s, 300);
        }
    assert_true(seen_c && seen_p);
    assert_int_equal(t->h.n_fp_graph, 0);   /* no road network: straight lines */
    printf("tiny feed: %u routes, %u trips, %u footpaths, %zu bytes\n", t->h.n_routes,
           t->h.n_trips, t->h.n_footpaths, route_transit_bytes(t));
    fx_free(&f);
}

static void test_tiny_journey_and_itinerary(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    int32_t mon = ymd(2024, 9, 2);
    from_stop(&f, mon, HMS(7, 55, 0), "A");
    assert_int_equal(arr_at(&f, "A"), HMS(7, 55, 0));
    assert_int_equal(arr_at(&f, "B"), HMS(8, 10, 0));
    assert_int_equal(arr_at(&f, "C"), HMS(8, 20, 0));
    assert_in_range(arr_at(&f, "C2"), HMS(8, 20, 50), HMS(8, 20, 54));  /* walked */
    assert_int_equal(arr_at(&f, "P1"), HMS(8, 40, 0));
    /* the station's 300 s rule makes the 08:43 from P2 impossible: the 08:50 */
    assert_int_equal(arr_at(&f, "D"), HMS(9, 2, 0));
    assert_int_equal(arr_at(&f, "E"), ROUTE_RAPTOR_UNREACHED);
    assert_int_equal(arr_at(&f, "U"), ROUTE_RAPTOR_UNREACHED);   /* only trips from U */
    route_itinerary it;
    fk_err e;
    if (route_raptor_itinerary(&f.s, stop_id(&f.t, "D"), &it, &e)) fail_msg("%s", e.msg);
    char buf[4096];
    route_itinerary_format(&it, buf, sizeof buf);
    printf("%s", buf);
    assert_int_equal(it.n_legs, 5);
    assert_int_equal(it.transfers, 2);
    assert_int_equal(it.dep_s, HMS(7, 55, 0));
    assert_int_equal(it.arr_s, HMS(9, 2, 0));
    assert_int_equal(it.legs[0].kind, LEG_TRANSIT);
    assert_string_equal(it.legs[0].line, "1");
    assert_string_equal(it.legs[0].headsign, "Centrum");
    assert_string_equal(it.legs[0].from_name, "Aby");
    assert_string_equal(it.legs[0].to_name, "Cvik");
    assert_int_equal(it.legs[0].dep_s, HMS(8, 0, 0));
    assert_int_equal(it.legs[0].n_stops, 2);
    assert_int_equal(it.legs[1].kind, LEG_WALK);
    assert_string_equal(it.legs[1].to_name, "Cvik norra");
    assert_string_equal(it.legs[2].line, "2");
    assert_int_equal(it.legs[2].dep_s, HMS(8, 25, 0));
    assert_int_equal(it.legs[3].kind, LEG_WALK);   /* platform change at the station */
    assert_string_equal(it.legs[4].line, "3");
    assert_int_equal(it.legs[4].dep_s, HMS(8, 50, 0));
    assert_non_null(strstr(buf, "line 3 towards Dala"));
    fx_free(&f);
}

static void test_tiny_guaranteed_transfer(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    int32_t mon = ymd(2024, 9, 2);
    /* T5 reaches P1 at 10:20; the trip-to-trip transfer to T6 (P2 10:22)
     * beats the station's 300 s rule */
    from_stop(&f, mon, HMS(9, 55, 0), "B");
    assert_int_equal(arr_at(&f, "P1"), HMS(10, 20, 0));
    assert_int_equal(arr_at(&f, "D"), HMS(10, 34, 0));
    route_itinerary it;
    fk_err e;
    if (route_raptor_itinerary(&f.s, stop_id(&f.t, "D"), &it, &e)) fail_msg("%s", e.msg);
    assert_int_equal(it.transfers, 1);
    assert_int_equal(it.legs[it.n_legs - 1].dep_s, HMS(10, 22, 0));
    assert_string_equal(it.legs[0].line, "4");
    /* the guarantee is trip-specific: T2 (P1 08:40) still cannot make T3 (08:43) */
    from_stop(&f, mon, HMS(8, 20, 0), "C2");
    assert_int_equal(arr_at(&f, "D"), HMS(9, 2, 0));
    fx_free(&f);
}

static void test_tiny_overnight(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    /* T8 runs on weekdays at 24:10 -> 24:40 of its service day */
    from_stop(&f, ymd(2024, 9, 3), 0, "X");            /* Tuesday: Monday's trip */
    assert_int_equal(arr_at(&f, "Y"), HMS(0, 40, 0));
    from_stop(&f, ymd(2024, 9, 2), HMS(23, 0, 0), "X");  /* Monday evening */
    assert_int_equal(arr_at(&f, "Y"), HMS(24, 40, 0));
    from_stop(&f, ymd(2024, 9, 12), 0, "X");           /* Wednesday 11th removed */
    assert_int_equal(arr_at(&f, "Y"), ROUTE_RAPTOR_UNREACHED);
    from_stop(&f, ymd(2024, 9, 1), HMS(23, 0, 0), "X");  /* Sunday: none */
    assert_int_equal(arr_at(&f, "Y"), ROUTE_RAPTOR_UNREACHED);
    fx_free(&f);
}

static void test_tiny_calendar_exceptions(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    from_stop(&f, ymd(2024, 9, 11), HMS(7, 55, 0), "A");   /* removed Wednesday */
    assert_int_equal(arr_at(&f, "B"), ROUTE_RAPTOR_UNREACHED);
    from_stop(&f, ymd(2024, 9, 14), HMS(7, 55, 0), "A");   /* added Saturday */
    assert_int_equal(arr_at(&f, "B"), HMS(8, 10, 0));
    from_stop(&f, ymd(2024, 9, 21), HMS(7, 55, 0), "A");   /* ordinary Saturday */
    assert_int_equal(arr_at(&f, "B"), ROUTE_RAPTOR_UNREACHED);
    from_stop(&f, ymd(2024, 10, 7), HMS(7, 55, 0), "A");   /* after end_date */
    assert_int_equal(arr_at(&f, "B"), ROUTE_RAPTOR_UNREACHED);
    fx_free(&f);
}

static void test_tiny_frequencies_and_range(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    int32_t mon = ymd(2024, 9, 2);
    from_stop(&f, mon, HMS(6, 25, 0), "F1");        /* every 10 min 06:00-06:50 */
    assert_int_equal(arr_at(&f, "F2"), HMS(6, 40, 0));
    from_stop(&f, mon, HMS(6, 51, 0), "F1");        /* the last one left at 06:50 */
    assert_int_equal(arr_at(&f, "F2"), ROUTE_RAPTOR_UNREACHED);
    route_raptor_origin o = {stop_id(&f.t, "F1"), 0};
    fk_err e;
    if (route_raptor_range(&f.s, mon, HMS(6, 0, 0), HMS(6, 20, 0), 60, &o, 1, NULL, &e))
        fail_msg("%s", e.msg);
    /* 21 departures: travel 10 min at :00, :10, :20; 19..11 min between */
    uint32_t f2 = stop_id(&f.t, "F2");
    assert_int_equal(f.s.n_steps_done, 21);
    assert_int_equal(f.s.range_best[f2], 600);
    assert_int_equal(f.s.range_median[f2], 840);
    assert_int_equal(f.s.range_worst[f2], 1140);
    assert_int_equal(f.s.range_best[o.stop], 0);
    assert_int_equal(f.s.range_worst[o.stop], 0);
    assert_int_equal(f.s.range_best[stop_id(&f.t, "A")], ROUTE_RAPTOR_NO_TIME);
    /* a window partly after the last bus: the worst is unreached */
    if (route_raptor_range(&f.s, mon, HMS(6, 40, 0), HMS(6, 55, 0), 300, &o, 1, NULL, &e))
        fail_msg("%s", e.msg);
    /* 06:40 10 min, 06:45 15 min, 06:50 10 min, 06:55 none: upper median 15 min */
    assert_int_equal(f.s.range_best[f2], 600);
    assert_int_equal(f.s.range_median[f2], 900);
    assert_int_equal(f.s.range_worst[f2], ROUTE_RAPTOR_NO_TIME);
    if (route_raptor_range(&f.s, mon, HMS(6, 45, 0), HMS(7, 0, 0), 300, &o, 1, NULL, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(f.s.range_median[f2], ROUTE_RAPTOR_NO_TIME);   /* 2 of 4 unreached */
    fx_free(&f);
}

static void test_tiny_pickup_dropoff_overtaking_zero_hops(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    int32_t mon = ymd(2024, 9, 2);
    from_stop(&f, mon, HMS(11, 55, 0), "A");   /* T11: no drop-off at B */
    assert_int_equal(arr_at(&f, "B"), ROUTE_RAPTOR_UNREACHED);
    assert_int_equal(arr_at(&f, "C"), HMS(12, 20, 0));
    from_stop(&f, mon, HMS(12, 55, 0), "G1");  /* the 13:10 express overtakes the 13:00 */
    assert_int_equal(arr_at(&f, "G2"), HMS(13, 30, 0));
    route_itinerary it;
    fk_err e;
    if (route_raptor_itinerary(&f.s, stop_id(&f.t, "G2"), &it, &e)) fail_msg("%s", e.msg);
    assert_string_equal(it.legs[0].line, "Expresslinjen");   /* long name, no short */
    assert_string_equal(it.legs[0].headsign, "Gslut express");
    /* T14 stops at Z1, Z2, Z3 all at 09:00: boarding at Z3 does not reach
     * Z2 (the reference once rode such same-second hops backwards) */
    from_stop(&f, mon, HMS(8, 55, 0), "Z3");
    assert_int_equal(arr_at(&f, "Z2"), ROUTE_RAPTOR_UNREACHED);
    assert_int_equal(arr_at(&f, "Z4"), HMS(9, 10, 0));
    route_csa *c;
    if (route_csa_init(&c, &f.t, mon, &e)) fail_msg("%s", e.msg);
    route_raptor_origin o = {stop_id(&f.t, "Z3"), 0};
    assert_int_equal(route_csa_query(c, HMS(8, 55, 0), &o, 1, NULL, &e), 0);
    assert_int_equal(route_csa_arrival_s(c, stop_id(&f.t, "Z2")), ROUTE_RAPTOR_UNREACHED);
    route_csa_free(c);
    fx_free(&f);
}

/* RAPTOR and the connection scan agree on every stop, from every stop, at
 * times through two weeks of the small feed. */
static void test_tiny_equals_reference(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    fk_err e;
    size_t n_cmp = 0;
    for (int d = 1; d <= 16; d++) {
        route_csa *c;
        int32_t day = ymd(2024, 9, d);
        if (route_csa_init(&c, &f.t, day, &e)) fail_msg("%s", e.msg);
        for (int32_t t = 0; t < HMS(26, 0, 0); t += 15 * 60)
            for (uint32_t st = 0; st < f.t.h.n_stops; st++) {
                route_raptor_origin o[64];
                size_t n = route_raptor_stop_origins(&f.t, st, 0, o, 64);
                assert_int_equal(route_raptor_query(&f.s, day, t, o, n, NULL, &e), 0);
                assert_int_equal(route_csa_query(c, t, o, n, NULL, &e), 0);
                for (uint32_t x = 0; x < f.t.h.n_stops; x++, n_cmp++)
                    if (route_raptor_arrival_s(&f.s, x) != route_csa_arrival_s(c, x))
                        fail_msg("day %d time %d from %u: stop %u raptor %d csa %d", d, t, st,
                                 x, route_raptor_arrival_s(&f.s, x), route_csa_arrival_s(c, x));
            }
        route_csa_free(c);
    }
    printf("tiny feed: %zu arrivals equal to the connection scan\n", n_cmp);
    fx_free(&f);
}

/* Range statistics of every stop from every stop of the small feed, in a
 * morning window and across midnight, equal the connection scan's. */
static void test_tiny_range_equals_reference(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    fk_err e;
    uint32_t *tt = mem_alloc((size_t)f.t.h.n_stops * 241 * sizeof *tt);
    assert_non_null(tt);
    const int days[] = {2, 3, 11, 14};
    for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
        int32_t day = ymd(2024, 9, days[d]);
        route_csa *c;
        if (route_csa_init(&c, &f.t, day, &e)) fail_msg("%s", e.msg);
        for (uint32_t st = 0; st < f.t.h.n_stops; st++) {
            route_raptor_origin o[64];
            size_t n = route_raptor_stop_origins(&f.t, st, 0, o, 64);
            check_range(&f, c, day, HMS(5, 50, 0), HMS(13, 10, 0), 300, o, n, tt);
            check_range(&f, c, day, HMS(23, 0, 0), HMS(25, 0, 0), 120, o, n, tt);
        }
        route_csa_free(c);
    }
    mem_free(tt);
    fx_free(&f);
}

static void test_errors(void **state)
{
    (void)state;
    fx f;
    fx_load(&f, fixture("transit/tiny"), 0);
    fk_err e;
    int32_t mon = ymd(2024, 9, 2);
    route_raptor_origin o = {0, 0};
    err_clear(&e);
    assert_int_equal(route_raptor_query(&f.s, mon, -1, &o, 1, NULL, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "departure time -1"));
    assert_int_equal(route_raptor_query(&f.s, mon, 2 * 86400, &o, 1, NULL, &e), FK_EINVAL);
    route_raptor_origin bad = {f.t.h.n_stops, 0};
    assert_int_equal(route_raptor_query(&f.s, mon, 0, &bad, 1, NULL, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "origin 0"));
    route_raptor_opts opts = {70000, 0, 0};
    assert_int_equal(route_raptor_query(&f.s, mon, 0, &o, 1, &opts, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "max_duration_s 70000"));
    assert_int_equal(route_raptor_range(&f.s, mon, 0, 3 * 3600, 30, &o, 1, NULL, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "361 departures"));
    assert_int_equal(route_raptor_range(&f.s, mon, 100, 50, 60, &o, 1, NULL, &e), FK_EINVAL);
    from_stop(&f, mon, HMS(7, 55, 0), "A");
    route_itinerary it;
    assert_int_equal(route_raptor_itinerary(&f.s, stop_id(&f.t, "E"), &it, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "Eby"));
    assert_int_equal(route_raptor_itinerary(&f.s, f.t.h.n_stops, &it, &e), FK_EINVAL);
    /* no scratch for ranges */
    route_raptor s0;
    assert_int_equal(route_raptor_init(&s0, &f.t, 0, &e), 0);
    assert_int_equal(route_raptor_range(&s0, mon, 0, 60, 60, &o, 1, NULL, &e), FK_EINVAL);
    route_raptor_free(&s0);
    fx_free(&f);
}

/* Build -> snapshot -> open gives the same answers; a damaged section is
 * refused; a snapshot without a timetable says so. */
static void test_snapshot_roundtrip(void **state)
{
    (void)state;
    fk_err e;
    region_builder b;
    region_builder_init(&b, "transit snapshot");
    if (ingest_gtfs(&b, fixture("transit/tiny"), NULL, &e)) fail_msg("%s", e.msg);
    if (region_write(&b, "none.region", &e)) fail_msg("%s", e.msg);
    if (route_transit_build(&b, &e)) fail_msg("%s", e.msg);
    assert_int_equal(route_transit_build(&b, &e), FK_EINVAL);   /* sections taken */
    if (region_write(&b, "t.region", &e)) fail_msg("%s", e.msg);
    region_builder_free(&b);

    region *r = NULL;
    route_transit t;
    if (region_open("none.region", 0, &r, &e)) fail_msg("%s", e.msg);
    assert_int_equal(route_transit_open(r, &t, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "no transit timetable"));
    region_close(r);

    if (region_open("t.region", REGION_OPEN_VERIFY_CRC, &r, &e)) fail_msg("%s", e.msg);
    if (route_transit_open(r, &t, &e)) fail_msg("%s", e.msg);
    assert_int_equal(t.h.n_routes, 11);
    route_raptor s;
    assert_int_equal(route_raptor_init(&s, &t, 0, &e), 0);
    route_raptor_origin o[16];
    size_t n = route_raptor_stop_origins(&t, stop_id(&t, "A"), 0, o, 16);
    assert_int_equal(route_raptor_query(&s, ymd(2024, 9, 2), HMS(7, 55, 0), o, n, NULL, &e), 0);
    assert_int_equal(route_raptor_arrival_s(&s, stop_id(&t, "D")), HMS(9, 2, 0));
    route_itinerary it;
    assert_int_equal(route_raptor_itinerary(&s, stop_id(&t, "D"), &it, &e), 0);
    assert_string_equal(it.legs[4].from_name, "Station");
    route_raptor_free(&s);
    /* damage route 1 in the file (first_stop), then open without CRC checks */
    const region_section_entry *sec = region_section(r, ROUTE_SEC_TRANSIT_ROUTES);
    assert_non_null(sec);
    long off = (long)sec->offset + (long)sizeof(route_tt_route);
    route_transit_free(&t);
    region_close(r);
    FILE *fp = fopen("t.region", "r+b");
    assert_non_null(fp);
    uint32_t junk = 123456;
    assert_int_equal(fseek(fp, off, SEEK_SET), 0);
    assert_int_equal(fwrite(&junk, sizeof junk, 1, fp), 1);
    fclose(fp);
    if (region_open("t.region", 0, &r, &e)) fail_msg("%s", e.msg);
    assert_int_equal(route_transit_open(r, &t, &e), FK_ECORRUPT);
    assert_non_null(strstr(e.msg, "route 1 invalid"));
    region_close(r);
}

/* Footpaths walk the walk graph where stops snap to it. */
static void test_walk_graph_footpaths(void **state)
{
    (void)state;
    fk_err e;
    fx f;
    region_builder_init(&f.b, "transit roads");
    if (ingest_gtfs(&f.b, fixture("transit/tiny"), NULL, &e)) fail_msg("%s", e.msg);
    /* a street 5 m east of C and C2 (which are 56 m apart) */
    geo_point n0 = {655390000, 220001000}, n1 = {655410000, 220001000};
    assert_int_equal(vec_push(f.b.road_nodes, n0), 0);
    assert_int_equal(vec_push(f.b.road_nodes, n1), 0);
    region_road rd;
    memset(&rd, 0, sizeof rd);
    rd.from = 0;
    rd.to = 1;
    rd.length_dm = (uint32_t)(geo_dist_m(n0, n1) * 10);
    rd.highway = HW_RESIDENTIAL;
    rd.oneway = ONEWAY_UNSET;
    assert_int_equal(vec_push(f.b.roads, rd), 0);
    if (route_graph_build_all(&f.b, &e)) fail_msg("%s", e.msg);
    if (route_transit_init(&f.t, &f.b, &e)) fail_msg("%s", e.msg);
    uint32_t c = stop_id(&f.t, "C"), c2 = stop_id(&f.t, "C2");
    int seen = 0;
    for (uint32_t k = f.t.fp_first[c]; k < f.t.fp_first[c + 1]; k++)
        if (f.t.footpaths[k].to == c2) {
            seen = 1;
            /* 4.5 m + 56 m + 4.5 m at 5 km/h = 47 s, not the straight-line 52 s */
            assert_in_range(f.t.footpaths[k].walk_s, 45, 49);
        }
    assert_true(seen);
    assert_int_equal(f.t.h.n_fp_graph, 2);   /* C -> C2 and back */
    assert_true(f.t.h.n_fp_line >= 2);       /* the station platforms */
    route_transit_free(&f.t);
    region_builder_free(&f.b);
}

/* ---- the real Norrbotten feed ---- */

static void norrbotten_load(fx *f)
{
    fx_load(f, data_path("gtfs-norrbotten"), 0);
    printf("norrbotten: %u routes, %u trips, %u stop-routes, %u footpaths, %u trip-to-trip "
           "transfers, %u transfers.txt rows not usable, %zu bytes\n", f->t.h.n_routes,
           f->t.h.n_trips, f->t.h.n_stop_routes, f->t.h.n_footpaths, f->t.h.n_trip_tx,
           f->t.h.n_tx_skipped, route_transit_bytes(&f->t));
}

static uint32_t random_served_stop(const route_transit *t, rng *g)
{
    for (;;) {
        uint32_t s = rng_below(g, t->h.n_stops);
        if (t->stop_first[s + 1] > t->stop_first[s]) return s;
    }
}

static void test_norrbotten_equals_reference(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "gtfs-norrbotten/stops.txt");
    (void)path;
    fx f;
    norrbotten_load(&f);
    assert_true(f.t.h.n_trip_tx > 500);   /* the feed's timed trip-to-trip transfers */
    assert_int_equal(f.t.change_s[stop_id(&f.t, "9022025080001008")], 300);  /* station rule */
    const int dates[][3] = {{2022, 9, 5}, {2022, 9, 14}, {2022, 10, 21}, {2022, 11, 12},
                            {2022, 12, 4}};
    rng g;
    rng_seed(&g, 5);
    fk_err e;
    size_t n_q = 0, n_reached = 0;
    double t_raptor = 0, t_csa = 0;
    for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++) {
        int32_t day = ymd(dates[d][0], dates[d][1], dates[d][2]);
        route_csa *c;
        if (route_csa_init(&c, &f.t, day, &e)) fail_msg("%s", e.msg);
        for (int q = 0; q < 500; q++, n_q++) {
            route_raptor_origin o[512];
            uint32_t st = random_served_stop(&f.t, &g);
            route_raptor_opts opts = {0, 0, 0};
            if (q % 5 == 4) {   /* some with a shorter walk and window */
                opts.max_walk_s = 120;
                opts.max_duration_s = 7200;
            }
            size_t n = route_raptor_stop_origins(&f.t, st, opts.max_walk_s, o, 512);
            assert_true(n <= 512);
            int32_t t = HMS(4, 0, 0) + (int32_t)rng_below(&g, HMS(21, 0, 0));
            double t0 = now_s();
            assert_int_equal(route_raptor_query(&f.s, day, t, o, n, &opts, &e), 0);
            double t1 = now_s();
            assert_int_equal(route_csa_query(c, t, o, n, &opts, &e), 0);
            t_csa += now_s() - t1;
            t_raptor += t1 - t0;
            for (uint32_t x = 0; x < f.t.h.n_stops; x++) {
                int32_t a = route_raptor_arrival_s(&f.s, x), b = route_csa_arrival_s(c, x);
                if (a != b)
                    fail_msg("%04d-%02d-%02d %d s from stop %s: stop %s raptor %d csa %d",
                             dates[d][0], dates[d][1], dates[d][2], t,
                             route_transit_str(&f.t, f.t.feed.stops[st].gtfs_id),
                             route_transit_str(&f.t, f.t.feed.stops[x].gtfs_id), a, b);
                n_reached += a != ROUTE_RAPTOR_UNREACHED;
            }
        }
        route_csa_free(c);
    }
    printf("norrbotten: %zu random queries, %zu stop arrivals (%.0f stops per query) equal to "
           "the connection scan; raptor %.3f ms/query, csa %.3f ms/query\n", n_q, n_reached,
           (double)n_reached / n_q, t_raptor * 1e3 / n_q, t_csa * 1e3 / n_q);
    fx_free(&f);
}

/* Range statistics equal those of one connection scan per minute. */
static void test_norrbotten_range(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "gtfs-norrbotten/stops.txt");
    (void)path;
    fx f;
    norrbotten_load(&f);
    int32_t day = ymd(2022, 10, 19);
    route_csa *c;
    fk_err e;
    if (route_csa_init(&c, &f.t, day, &e)) fail_msg("%s", e.msg);
    uint32_t *tt = mem_alloc((size_t)f.t.h.n_stops * 121 * sizeof *tt);
    assert_non_null(tt);
    rng g;
    rng_seed(&g, 7);
    for (int k = 0; k < 8; k++) {
        route_raptor_origin o[512];
        uint32_t st = random_served_stop(&f.t, &g);
        if (k == 0) st = stop_id(&f.t, "9022025080001008");   /* Luleå Busstation */
        size_t n = route_raptor_stop_origins(&f.t, st, 0, o, 512);
        uint32_t reached = check_range(&f, c, day, HMS(7, 0, 0), HMS(9, 0, 0), 60, o, n, tt);
        printf("range 07:00-09:00 from %s: %u stops reached, equal to 121 connection scans\n",
               route_transit_str(&f.t, f.t.feed.stops[st].name), reached);
    }
    mem_free(tt);
    route_csa_free(c);
    fx_free(&f);
}

/* The demo snapshot written by the real binary (FK_BIN): its timetable
 * sections open and validate, its footpaths come from the walk graph, and
 * RAPTOR equals the connection scan on it. Skips when the build does not
 * write the timetable yet. */
static void test_demo_snapshot_equals_reference(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "gtfs-norrbotten/stops.txt");
    (void)path;
    const char *bin = getenv("FK_BIN");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s build -q --demo --data %s -o demo.region >build.log 2>&1",
             bin ? bin : "build/release/flyttkarta", getenv("FK_DATA") ? getenv("FK_DATA")
                                                                      : "../shared/data");
    if (system(cmd) != 0) {
        printf("SKIP %s: could not run %s\n", __func__, cmd);
        skip();
    }
    fk_err e;
    region *r = NULL;
    if (region_open("demo.region", REGION_OPEN_VERIFY_CRC, &r, &e)) fail_msg("%s", e.msg);
    route_transit t;
    int rc = route_transit_open(r, &t, &e);
    if (rc == FK_ENOTFOUND) {
        printf("SKIP %s: the build does not write the transit timetable (%s)\n", __func__,
               e.msg);
        region_close(r);
        skip();
    }
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(t.h.n_trips + t.h.n_trips_skipped, r->n_trips);   /* no frequencies */
    assert_true(t.h.n_fp_graph > t.h.n_fp_line);
    route_raptor s;
    assert_int_equal(route_raptor_init(&s, &t, 0, &e), 0);
    rng g;
    rng_seed(&g, 11);
    int32_t day = ymd(2022, 11, 9);
    route_csa *c;
    if (route_csa_init(&c, &t, day, &e)) fail_msg("%s", e.msg);
    for (int q = 0; q < 400; q++) {
        route_raptor_origin o[512];
        uint32_t st = random_served_stop(&t, &g);
        route_raptor_opts opts = {0, q % 2 ? 180 : 0, 0};
        size_t n = route_raptor_stop_origins(&t, st, opts.max_walk_s, o, 512);
        int32_t tm = HMS(5, 0, 0) + (int32_t)rng_below(&g, HMS(18, 0, 0));
        assert_int_equal(route_raptor_query(&s, day, tm, o, n, &opts, &e), 0);
        assert_int_equal(route_csa_query(c, tm, o, n, &opts, &e), 0);
        for (uint32_t x = 0; x < t.h.n_stops; x++)
            if (route_raptor_arrival_s(&s, x) != route_csa_arrival_s(c, x))
                fail_msg("demo: %d s from stop %u: stop %u raptor %d csa %d", tm, st, x,
                         route_raptor_arrival_s(&s, x), route_csa_arrival_s(c, x));
    }
    printf("demo snapshot: %u footpaths (%u on the walk graph), 400 queries equal to the "
           "connection scan\n", t.h.n_footpaths, t.h.n_fp_graph);
    route_csa_free(c);
    route_raptor_free(&s);
    region_close(r);
}

/* A weekday morning in Luleå: from the university to the bus station in
 * the centre (Länstrafiken's lines through the town; the city buses of
 * Luleå Lokaltrafik are not in this feed). */
static void test_norrbotten_lulea_itinerary(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "gtfs-norrbotten/stops.txt");
    (void)path;
    fx f;
    norrbotten_load(&f);
    uint32_t from = stop_id(&f.t, "9021025025013000");   /* Luleå Universitet (station) */
    uint32_t to_station = stop_id(&f.t, "9021025080001000");   /* Luleå Busstation. */
    route_raptor_origin o[64];
    size_t n = 0;
    for (uint32_t s = 0; s < f.t.h.n_stops && n < 64; s++)
        if (f.t.feed.stops[s].parent == from) o[n++] = (route_raptor_origin){s, 0};
    assert_true(n >= 1);
    fk_err e;
    int32_t day = ymd(2022, 10, 19);   /* a Wednesday */
    assert_int_equal(route_raptor_query(&f.s, day, HMS(7, 30, 0), o, n, NULL, &e), 0);
    /* the platform reached first; on a tie the one with fewer legs */
    uint32_t best = UINT32_MAX;
    route_itinerary it, cand;
    for (uint32_t s = 0; s < f.t.h.n_stops; s++) {
        if (f.t.feed.stops[s].parent != to_station ||
            route_raptor_arrival_s(&f.s, s) == ROUTE_RAPTOR_UNREACHED)
            continue;
        if (route_raptor_itinerary(&f.s, s, &cand, &e)) fail_msg("%s", e.msg);
        if (best == UINT32_MAX || cand.arr_s < it.arr_s ||
            (cand.arr_s == it.arr_s && cand.n_legs < it.n_legs)) {
            best = s;
            it = cand;
        }
    }
    assert_true(best != UINT32_MAX);
    char buf[4096];
    route_itinerary_format(&it, buf, sizeof buf);
    printf("Luleå Universitet -> Luleå Busstation, Wednesday 2022-10-19 07:30:\n%s", buf);
    assert_true(it.arr_s - it.dep_s < 40 * 60);
    assert_true(it.n_legs >= 1);
    int transit = 0;
    for (size_t i = 0; i < it.n_legs; i++) {
        const route_leg *l = &it.legs[i];
        assert_true(l->arr_s >= l->dep_s);
        if (i) assert_true(l->dep_s >= it.legs[i - 1].arr_s);
        if (l->kind == LEG_TRANSIT) {
            transit++;
            assert_true(*l->line);
            assert_true(l->dep_s >= HMS(7, 30, 0));
        }
    }
    assert_true(transit >= 1);
    assert_string_equal(it.legs[it.n_legs - 1].to_name, "Luleå Busstation.");
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_compile),
        cmocka_unit_test(test_tiny_journey_and_itinerary),
        cmocka_unit_test(test_tiny_guaranteed_transfer),
        cmocka_unit_test(test_tiny_overnight),
        cmocka_unit_test(test_tiny_calendar_exceptions),
        cmocka_unit_test(test_tiny_frequencies_and_range),
        cmocka_unit_test(test_tiny_pickup_dropoff_overtaking_zero_hops),
        cmocka_unit_test(test_tiny_equals_reference),
        cmocka_unit_test(test_tiny_range_equals_reference),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_snapshot_roundtrip),
        cmocka_unit_test(test_walk_graph_footpaths),
        cmocka_unit_test(test_norrbotten_equals_reference),
        cmocka_unit_test(test_norrbotten_range),
        cmocka_unit_test(test_norrbotten_lulea_itinerary),
        cmocka_unit_test(test_demo_snapshot_equals_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
