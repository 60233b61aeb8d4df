/*
 * test_transit_point.c: public transport from a point (route/transit_point.h)
 * against a plain reference on the demo region built by the real binary
 * (FK_BIN) with the real Norrbotten GTFS:
 *
 *   reference = walking Dijkstra (route_dijkstra, unbounded) from the
 *   point to every stop, the connection scan (route_csa_query) from those
 *   stops, then per stop a walking Dijkstra to every home, job and POI;
 *   the arrival at a target is the minimum of the direct walk and every
 *   stop's arrival plus its walk. Range statistics are checked against
 *   per-minute single queries, arrive-by against brute force.
 */
#include "testutil.h"

#include <math.h>
#include <time.h>

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../region/region.h"
#include "../../route/engine.h"
#include "../../route/raptor.h"
#include "../../route/transit.h"
#include "../../route/transit_point.h"

#define HMS(h, m, s) ((h) * 3600 + (m) * 60 + (s))

static int32_t ymd(int y, int m, int d)
{
    int32_t day;
    assert_int_equal(region_day_from_ymd(y, m, d, &day), 0);
    return day;
}

typedef struct demo {
    region *r;
    route_engine eng;
    route_transit tt;
    route_tp_index x;
    int ok;
} demo;

static demo D;

static int demo_setup(void **state)
{
    (void)state;
    memset(&D, 0, sizeof D);
    if (!data_path("gtfs-norrbotten/stops.txt")) return 0;
    const char *bin = getenv("FK_BIN");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s build -q --demo --data %s -o demo.region >build.log 2>&1",
             bin ? bin : "build/release/flyttkarta",
             getenv("FK_DATA") ? getenv("FK_DATA") : "../shared/data");
    if (system(cmd) != 0) {
        printf("could not run %s\n", cmd);
        return 0;
    }
    fk_err e;
    if (region_open("demo.region", 0, &D.r, &e)) return printf("%s\n", e.msg), -1;
    if (route_engine_open(D.r, NULL, &D.eng, &e)) return printf("%s\n", e.msg), -1;
    if (route_transit_open(D.r, &D.tt, &e)) return printf("%s\n", e.msg), -1;
    if (route_tp_open(&D.x, &D.eng, &D.tt, 0, &e)) return printf("%s\n", e.msg), -1;
    printf("demo: %u stops served, %u snapped to the walk graph, %llu egress walks, %u "
           "targets, index opened in %.1f ms\n", D.x.n_served_stops, D.x.n_snapped_stops,
           (unsigned long long)D.x.n_egress, D.x.n_targets, D.x.open_ms);
    D.ok = 1;
    return 0;
}

static int demo_teardown(void **state)
{
    (void)state;
    route_tp_close(&D.x);
    if (D.r) {
        route_transit_free(&D.tt);
        route_engine_close(&D.eng);
        region_close(D.r);
    }
    return 0;
}

#define REQUIRE_DEMO()                                                          \
    do {                                                                        \
        if (!D.ok) {                                                            \
            printf("SKIP %s: demo region with the real GTFS not available\n",   \
                   __func__);                                                   \
            skip();                                                             \
        }                                                                       \
    } while (0)

/* ---- the reference ---- */

typedef struct ref_stop {
    int ok;
    route_snap_result sr;
    uint32_t access_ds;
} ref_stop;

typedef struct ref {
    const route_engine *eng;
    uint32_t n_targets, cap_ds;
    geo_point *tpos;
    route_snap_result *tsnap;   /* road REGION_NONE: not snapped */
    ref_stop *stop;
    uint32_t *eg_first;         /* per stop */
    route_tp_walk *eg;
    route_search srch;
    route_csa *csa;
    int32_t csa_day;
    route_raptor_origin *orig;
    uint32_t *arr;              /* per target + the point */
} ref;

/* Walk time (ds) from a search's dist to the snapped point `to`, or along
 * the shared road from `from` (the rule of docs/routing-nearest.md). */
static uint32_t ref_walk_to(const route_engine *eng, const route_search *s,
                            const route_snap_result *from, const route_snap_result *to,
                            uint32_t to_add, uint32_t along_add)
{
    uint32_t node[2], tds[2], best = ROUTE_INF;
    size_t k = route_snap_arrive(&eng->near.snap, MODE_WALK, to, node, tds, NULL);
    for (size_t i = 0; i < k; i++)
        if (s->dist[node[i]] != ROUTE_INF && s->dist[node[i]] + tds[i] + to_add < best)
            best = s->dist[node[i]] + tds[i] + to_add;
    if (from && from->road == to->road) {
        const region_road *rd = &eng->r->roads[to->road];
        route_partial pa = route_snap_partial(rd, MODE_WALK, from->frac);
        route_partial pb = route_snap_partial(rd, MODE_WALK, to->frac);
        uint32_t d = ROUTE_INF;
        if (to->frac > from->frac && pa.fwd) d = pb.from_ds - pa.from_ds;
        else if (to->frac < from->frac && pa.bwd) d = pa.from_ds - pb.from_ds;
        else if (to->frac == from->frac) d = 0;
        if (d != ROUTE_INF && d + along_add < best) best = d + along_add;
    }
    return best;
}

static void ref_search_from(const route_engine *eng, const route_snap_result *sr, uint32_t add,
                            uint32_t limit, route_search *s)
{
    uint32_t node[2], tds[2];
    size_t k = route_snap_depart(&eng->near.snap, MODE_WALK, sr, node, tds, NULL);
    for (size_t i = 0; i < k; i++) tds[i] += add;
    route_dijkstra(&eng->near.fwd[MODE_WALK], node, tds, k, limit, ROUTE_INF, s);
}

static uint32_t ceil_s(uint32_t ds)
{
    return (ds + 9) / 10;
}

static void ref_init(ref *R, uint32_t cap_s)
{
    memset(R, 0, sizeof *R);
    const route_engine *eng = &D.eng;
    const region *r = D.r;
    R->eng = eng;
    R->cap_ds = cap_s * 10;
    R->n_targets = (uint32_t)(r->n_homes + r->n_jobs + r->n_pois);
    R->tpos = mem_calloc(R->n_targets, sizeof *R->tpos);
    R->tsnap = mem_calloc(R->n_targets, sizeof *R->tsnap);
    R->stop = mem_calloc(r->n_stops, sizeof *R->stop);
    R->eg_first = mem_calloc(r->n_stops + 1, sizeof *R->eg_first);
    R->orig = mem_calloc(r->n_stops, sizeof *R->orig);
    R->arr = mem_calloc(R->n_targets + 1, sizeof *R->arr);
    assert_non_null(R->tpos);
    assert_non_null(R->orig);
    assert_int_equal(route_search_init(&R->srch, (uint32_t)r->n_road_nodes), 0);
    uint32_t t = 0;
    for (size_t i = 0; i < r->n_homes; i++) R->tpos[t++] = r->homes[i].pos;
    for (size_t i = 0; i < r->n_jobs; i++) R->tpos[t++] = r->jobs[i].pos;
    for (size_t i = 0; i < r->n_pois; i++) R->tpos[t++] = r->pois[i].pos;
    for (t = 0; t < R->n_targets; t++)
        if (route_snap(&eng->near.snap, MODE_WALK, R->tpos[t], ROUTE_ENGINE_SNAP_M, &R->tsnap[t],
                       NULL))
            R->tsnap[t].road = REGION_NONE;
    size_t cap = 1024, n = 0;
    R->eg = mem_alloc(cap * sizeof *R->eg);
    for (uint32_t s = 0; s < r->n_stops; s++) {
        R->eg_first[s] = (uint32_t)n;
        ref_stop *st = &R->stop[s];
        if (D.tt.stop_first[s] == D.tt.stop_first[s + 1]) continue;
        if (route_snap(&eng->near.snap, MODE_WALK, r->stops[s].pos, ROUTE_TRANSIT_SNAP_M, &st->sr,
                       NULL))
            continue;
        st->ok = 1;
        st->access_ds = (uint32_t)lround(st->sr.dist_m / ROUTE_TRANSIT_WALK_MPS * 10.0);
        ref_search_from(eng, &st->sr, st->access_ds, R->cap_ds, &R->srch);
        for (t = 0; t < R->n_targets; t++) {
            if (R->tsnap[t].road == REGION_NONE) continue;
            uint32_t w = ref_walk_to(eng, &R->srch, &st->sr, &R->tsnap[t], 0, st->access_ds);
            if (w > R->cap_ds) continue;
            if (n == cap) {
                cap *= 2;
                R->eg = mem_realloc(R->eg, cap * sizeof *R->eg);
                assert_non_null(R->eg);
            }
            R->eg[n++] = (route_tp_walk){t, w};
        }
    }
    R->eg_first[r->n_stops] = (uint32_t)n;
    R->csa_day = INT32_MIN;
}

static void ref_free(ref *R)
{
    mem_free(R->tpos);
    mem_free(R->tsnap);
    mem_free(R->stop);
    mem_free(R->eg_first);
    mem_free(R->eg);
    mem_free(R->orig);
    mem_free(R->arr);
    route_search_free(&R->srch);
    route_csa_free(R->csa);
}

/* Reference arrival (s after midnight, ROUTE_TP_NO_TIME) at every target,
 * and at `pt` (index n_targets) when pt is non-NULL. */
static void ref_query(ref *R, geo_point from, const geo_point *pt, int32_t day, int32_t dep,
                      uint32_t max_walk_s, uint32_t dur)
{
    const route_engine *eng = R->eng;
    const region *r = D.r;
    fk_err e;
    uint32_t cap = max_walk_s * 10;
    if (R->csa_day != day) {
        route_csa_free(R->csa);
        R->csa = NULL;
        if (route_csa_init(&R->csa, &D.tt, day, &e)) fail_msg("%s", e.msg);
        R->csa_day = day;
    }
    for (uint32_t t = 0; t <= R->n_targets; t++) R->arr[t] = ROUTE_TP_NO_TIME;
    route_snap_result sp;
    if (route_snap(&eng->near.snap, MODE_WALK, from, ROUTE_ENGINE_SNAP_M, &sp, NULL)) return;
    ref_search_from(eng, &sp, 0, ROUTE_INF, &R->srch);   /* unbounded */
    size_t n = 0;
    for (uint32_t s = 0; s < r->n_stops; s++) {
        if (!R->stop[s].ok) continue;
        uint32_t w = ref_walk_to(eng, &R->srch, &sp, &R->stop[s].sr, R->stop[s].access_ds,
                                 R->stop[s].access_ds);
        if (w <= cap) R->orig[n++] = (route_raptor_origin){s, ceil_s(w)};
    }
    for (uint32_t t = 0; t < R->n_targets; t++) {
        if (R->tsnap[t].road == REGION_NONE) continue;
        uint32_t w = ref_walk_to(eng, &R->srch, &sp, &R->tsnap[t], 0, 0);
        if (w <= cap && ceil_s(w) <= dur) R->arr[t] = (uint32_t)dep + ceil_s(w);
    }
    route_snap_result psr;
    int have_pt = pt && !route_snap(&eng->near.snap, MODE_WALK, *pt, ROUTE_ENGINE_SNAP_M, &psr, NULL);
    if (have_pt) {
        uint32_t w = ref_walk_to(eng, &R->srch, &sp, &psr, 0, 0);
        if (w <= cap && ceil_s(w) <= dur) R->arr[R->n_targets] = (uint32_t)dep + ceil_s(w);
    }
    route_raptor_opts o = {dur, max_walk_s, 0};
    if (route_csa_query(R->csa, dep, R->orig, n, &o, &e)) fail_msg("%s", e.msg);
    for (uint32_t s = 0; s < r->n_stops; s++) {
        int32_t a = route_csa_arrival_s(R->csa, s);
        if (a == ROUTE_RAPTOR_UNREACHED || !R->stop[s].ok) continue;
        for (uint32_t k = R->eg_first[s]; k < R->eg_first[s + 1]; k++) {
            if (R->eg[k].walk_ds > cap) continue;
            uint32_t c = (uint32_t)a + ceil_s(R->eg[k].walk_ds);
            if (c - (uint32_t)dep <= dur && c < R->arr[R->eg[k].target]) R->arr[R->eg[k].target] = c;
        }
    }
    if (have_pt) {   /* egress to the point: one walking search per reached stop */
        for (uint32_t s = 0; s < r->n_stops; s++) {
            int32_t a = route_csa_arrival_s(R->csa, s);
            if (a == ROUTE_RAPTOR_UNREACHED || !R->stop[s].ok) continue;
            if (geo_dist_m(r->stops[s].pos, *pt) > 5000) continue;   /* beyond any walk cap */
            ref_search_from(eng, &R->stop[s].sr, R->stop[s].access_ds, cap, &R->srch);
            uint32_t w = ref_walk_to(eng, &R->srch, &R->stop[s].sr, &psr, 0, R->stop[s].access_ds);
            if (w > cap) continue;
            uint32_t c = (uint32_t)a + ceil_s(w);
            if (c - (uint32_t)dep <= dur && c < R->arr[R->n_targets]) R->arr[R->n_targets] = c;
        }
    }
}

/* A random point near a random place (homes, jobs, stops) of the demo. */
static geo_point random_point(rng *g)
{
    const region *r = D.r;
    geo_point p;
    uint32_t k = (uint32_t)rng_below(g, 3);
    if (k == 0) p = r->homes[rng_below(g, r->n_homes)].pos;
    else if (k == 1) p = r->jobs[rng_below(g, r->n_jobs)].pos;
    else p = r->stops[rng_below(g, r->n_stops)].pos;
    p.lat_e7 += (int32_t)rng_below(g, 6001) - 3000;
    p.lon_e7 += (int32_t)rng_below(g, 12001) - 6000;
    return p;
}

static const int dates[][3] = {{2022, 10, 19}, {2022, 11, 9}, {2022, 9, 3}, {2022, 12, 4},
                               {2022, 10, 20}};

/* Single departures: equal to the reference at every target and a free
 * point, for 300 random points, times and dates, two walk limits. */
static void test_depart_equals_reference(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    ref R;
    ref_init(&R, D.x.max_walk_s);
    route_tp_scratch s;
    fk_err e;
    if (route_tp_scratch_init(&s, &D.x, 0, &e)) fail_msg("%s", e.msg);
    rng g;
    rng_seed(&g, 5);
    uint32_t reached = 0, by_transit = 0, n_q = 0;
    for (int q = 0; q < 300; q++) {
        const int *d = dates[q % 5];
        route_tp_query tq = {random_point(&g), ymd(d[0], d[1], d[2]),
                             HMS(5, 0, 0) + (int32_t)rng_below(&g, HMS(17, 0, 0)),
                             q % 3 == 0 ? 300 : 0, q % 4 == 0 ? 3600 : 0};
        geo_point pt = random_point(&g);
        int with_pt = q % 2;
        int rc = route_tp_set_point(&D.x, &s, with_pt ? &pt : NULL, &e);
        if (rc) with_pt = 0, route_tp_set_point(&D.x, &s, NULL, &e);
        rc = route_tp_depart(&D.x, &s, &tq, &e);
        if (rc) {
            assert_true(rc == FK_ENOTFOUND || rc == FK_EINVAL);
            continue;
        }
        n_q++;
        uint32_t mw = tq.max_walk_s ? tq.max_walk_s : ROUTE_TP_DEFAULT_WALK_S;
        ref_query(&R, tq.from, with_pt ? &pt : NULL, tq.day, tq.time_s, mw,
                  tq.max_duration_s ? tq.max_duration_s : ROUTE_RAPTOR_MAX_DURATION_S);
        for (uint32_t t = 0; t < D.x.n_targets + (uint32_t)with_pt; t++) {
            if (s.arr_s[t] != R.arr[t])
                fail_msg("query %d (%.5f, %.5f) day %d %d s walk %u: target %u fast %u ref %u", q,
                         geo_lat_deg(tq.from), geo_lon_deg(tq.from), tq.day, tq.time_s, mw, t,
                         s.arr_s[t], R.arr[t]);
            if (s.arr_s[t] != ROUTE_TP_NO_TIME) {
                reached++;
                by_transit += s.best_stop[t] != ROUTE_TP_DIRECT;
                route_itinerary it;
                if (t % 97 == 0) {
                    assert_int_equal(route_tp_itinerary(&D.x, &s, t, "target", &it, &e), 0);
                    assert_int_equal(it.arr_s, (int32_t)s.arr_s[t]);
                    assert_true(it.n_legs >= 1);
                    assert_int_equal(it.legs[it.n_legs - 1].arr_s, (int32_t)s.arr_s[t]);
                }
            }
        }
    }
    printf("%u queries equal to the reference: %u target arrivals (%u by transit)\n", n_q,
           reached, by_transit);
    assert_true(n_q > 200);
    assert_true(by_transit > 1000);
    route_tp_scratch_free(&s);
    ref_free(&R);
}

/* Range statistics equal those of per-minute single queries. */
static void test_range_equals_single(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    route_tp_scratch s, s1;
    fk_err e;
    if (route_tp_scratch_init(&s, &D.x, 121, &e)) fail_msg("%s", e.msg);
    if (route_tp_scratch_init(&s1, &D.x, 0, &e)) fail_msg("%s", e.msg);
    uint32_t nt = D.x.n_targets + 1;
    uint32_t *tt = mem_alloc((size_t)nt * 121 * sizeof *tt);
    assert_non_null(tt);
    rng g;
    rng_seed(&g, 9);
    int done = 0;
    uint32_t with_median = 0;
    for (int q = 0; q < 24 && done < 12; q++) {
        const int *d = dates[q % 5];
        int32_t from = HMS(6, 0, 0) + (int32_t)rng_below(&g, HMS(10, 0, 0));
        uint32_t step = q % 3 == 0 ? 120 : 60, n = q % 2 ? 121 : 61;
        int32_t to = from + (int32_t)((n - 1) * step);
        route_tp_query tq = {random_point(&g), ymd(d[0], d[1], d[2]), 0, q % 4 == 1 ? 420 : 0,
                             q % 5 == 2 ? 3000 : 0};
        geo_point pt = random_point(&g);
        int with_pt = route_tp_set_point(&D.x, &s, &pt, &e) == 0 &&
                      route_tp_set_point(&D.x, &s1, &pt, &e) == 0;
        if (!with_pt) {
            route_tp_set_point(&D.x, &s, NULL, &e);
            route_tp_set_point(&D.x, &s1, NULL, &e);
        }
        if (route_tp_range(&D.x, &s, &tq, from, to, step, &e)) continue;
        done++;
        for (uint32_t i = 0; i < n; i++) {
            tq.time_s = from + (int32_t)(i * step);
            assert_int_equal(route_tp_depart(&D.x, &s1, &tq, &e), 0);
            for (uint32_t t = 0; t < nt; t++)
                tt[(size_t)t * 121 + i] = s1.arr_s[t] == ROUTE_TP_NO_TIME
                                              ? ROUTE_TP_NO_TIME
                                              : s1.arr_s[t] - (uint32_t)tq.time_s;
        }
        for (uint32_t t = 0; t < nt - (uint32_t)!with_pt; t++) {
            uint32_t *v = tt + (size_t)t * 121, best = ROUTE_TP_NO_TIME, worst = 0;
            for (uint32_t i = 0; i < n; i++) {
                if (v[i] < best) best = v[i];
                if (v[i] > worst) worst = v[i];
            }
            /* median: sort */
            for (uint32_t i = 1; i < n; i++)
                for (uint32_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
                    uint32_t x = v[j];
                    v[j] = v[j - 1];
                    v[j - 1] = x;
                }
            uint32_t med = v[n / 2];
            if (s.best[t] != best || s.worst[t] != worst || s.median[t] != med)
                fail_msg("range %d target %u: best %u/%u median %u/%u worst %u/%u", q, t,
                         s.best[t], best, s.median[t], med, s.worst[t], worst);
            with_median += med != ROUTE_TP_NO_TIME;
        }
    }
    printf("%d range queries equal to per-departure single queries (%u targets with a "
           "median)\n", done, with_median);
    assert_true(done >= 8);
    mem_free(tt);
    route_tp_scratch_free(&s);
    route_tp_scratch_free(&s1);
}

/* Arrive-by: the latest departure reaching the target by the deadline,
 * checked against the reference one second later and by brute force over
 * minutes. */
static void test_arrive_by(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    ref R;
    ref_init(&R, D.x.max_walk_s);
    route_tp_scratch s;
    fk_err e;
    if (route_tp_scratch_init(&s, &D.x, 0, &e)) fail_msg("%s", e.msg);
    rng g;
    rng_seed(&g, 13);
    int found = 0, none = 0;
    for (int q = 0; q < 60; q++) {
        const int *d = dates[q % 5];
        route_tp_query tq = {random_point(&g), ymd(d[0], d[1], d[2]), 0, 0, 7200};
        int32_t deadline = HMS(7, 0, 0) + (int32_t)rng_below(&g, HMS(10, 0, 0)), dep, arr;
        /* mostly a target reached by transit from an earlier departure */
        uint32_t t = (uint32_t)rng_below(&g, D.x.n_targets);
        tq.time_s = deadline - 3600;
        if (q % 4 && route_tp_depart(&D.x, &s, &tq, &e) == 0) {
            uint32_t k = (uint32_t)rng_below(&g, D.x.n_targets);
            for (uint32_t i = 0; i < D.x.n_targets; i++) {
                uint32_t c = (k + i) % D.x.n_targets;
                if (s.arr_s[c] != ROUTE_TP_NO_TIME && s.best_stop[c] != ROUTE_TP_DIRECT) {
                    t = c;
                    break;
                }
            }
        }
        int rc = route_tp_arrive_by(&D.x, &s, &tq, t, deadline, &dep, &arr, &e);
        if (rc == FK_EINVAL) continue;
        /* brute force: every minute from deadline - 2 h */
        int32_t last_ok = -1;
        for (int32_t m = deadline - 7200; m <= deadline; m += 60) {
            ref_query(&R, tq.from, NULL, tq.day, m, ROUTE_TP_DEFAULT_WALK_S, 7200);
            if (R.arr[t] != ROUTE_TP_NO_TIME && (int32_t)R.arr[t] <= deadline) last_ok = m;
        }
        if (rc == FK_ENOTFOUND) {
            assert_int_equal(last_ok, -1);
            none++;
            continue;
        }
        assert_int_equal(rc, 0);
        found++;
        assert_true(dep >= last_ok && dep - last_ok < 60);
        ref_query(&R, tq.from, NULL, tq.day, dep, ROUTE_TP_DEFAULT_WALK_S, 7200);
        assert_int_equal((int32_t)R.arr[t], arr);
        assert_true(arr <= deadline);
        if (dep < deadline) {
            ref_query(&R, tq.from, NULL, tq.day, dep + 1, ROUTE_TP_DEFAULT_WALK_S, 7200);
            assert_true(R.arr[t] == ROUTE_TP_NO_TIME || (int32_t)R.arr[t] > deadline);
        }
    }
    printf("arrive-by: %d answers and %d without one, equal to brute force\n", found, none);
    assert_true(found >= 10);
    route_tp_scratch_free(&s);
    ref_free(&R);
}

/* A Luleå weekday morning: from a home in Luleå to a job in Luleå. */
static void test_lulea_commute(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    const region *r = D.r;
    route_tp_scratch s;
    fk_err e;
    if (route_tp_scratch_init(&s, &D.x, 121, &e)) fail_msg("%s", e.msg);
    /* the first home and job in Luleå (kommun 2580) at least 3 km apart */
    uint32_t h = UINT32_MAX, j = UINT32_MAX;
    for (uint32_t a = 0; a < r->n_homes && h == UINT32_MAX; a++)
        for (uint32_t b = 0; b < r->n_jobs; b++)
            if (r->homes[a].kommun_code == 2580 && r->jobs[b].kommun_code == 2580 &&
                geo_dist_m(r->homes[a].pos, r->jobs[b].pos) > 3000 &&
                geo_dist_m(r->homes[a].pos, r->jobs[b].pos) < 8000) {
                route_tp_query tq = {r->homes[a].pos, ymd(2022, 10, 19), HMS(7, 30, 0), 0, 0};
                if (route_tp_depart(&D.x, &s, &tq, &e)) continue;
                uint32_t t = route_tp_target(&D.x, ENGINE_JOBS, b);
                if (s.arr_s[t] == ROUTE_TP_NO_TIME || s.best_stop[t] == ROUTE_TP_DIRECT) continue;
                h = a;
                j = b;
                break;
            }
    assert_true(h != UINT32_MAX);
    route_tp_query tq = {r->homes[h].pos, ymd(2022, 10, 19), HMS(7, 30, 0), 0, 0};
    assert_int_equal(route_tp_depart(&D.x, &s, &tq, &e), 0);
    uint32_t t = route_tp_target(&D.x, ENGINE_JOBS, j);
    route_itinerary it;
    assert_int_equal(route_tp_itinerary(&D.x, &s, t, region_str(r, r->jobs[j].title), &it, &e), 0);
    char buf[4096];
    route_itinerary_format(&it, buf, sizeof buf);
    printf("home %u (%s) -> job %u (%s), Wednesday 2022-10-19 07:30:\n%s", h,
           region_str(r, r->homes[h].address), j, region_str(r, r->jobs[j].employer), buf);
    assert_true(it.transfers <= 3);
    assert_true(it.arr_s - it.dep_s < 5400);
    assert_int_equal(route_tp_range(&D.x, &s, &tq, HMS(7, 0, 0), HMS(9, 0, 0), 60, &e), 0);
    printf("07:00-09:00: best %u min, median %u min, worst %u min\n", s.best[t] / 60,
           s.median[t] / 60, s.worst[t] == ROUTE_TP_NO_TIME ? 9999 : s.worst[t] / 60);
    assert_true(s.best[t] <= s.median[t]);
    route_tp_scratch_free(&s);
}

/* Errors: bad options, windows, points outside the region. */
static void test_errors(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    route_tp_scratch s;
    fk_err e;
    if (route_tp_scratch_init(&s, &D.x, 10, &e)) fail_msg("%s", e.msg);
    route_tp_query q = {D.r->homes[0].pos, ymd(2022, 10, 19), HMS(7, 0, 0), 0, 0};
    q.max_walk_s = 99999;
    assert_int_equal(route_tp_depart(&D.x, &s, &q, &e), FK_EINVAL);
    q.max_walk_s = 0;
    q.time_s = -1;
    assert_int_equal(route_tp_depart(&D.x, &s, &q, &e), FK_EINVAL);
    q.time_s = HMS(7, 0, 0);
    assert_int_equal(route_tp_range(&D.x, &s, &q, HMS(7, 0, 0), HMS(9, 0, 0), 60, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "departures"));
    q.from = (geo_point){100000000, 100000000};
    assert_int_equal(route_tp_depart(&D.x, &s, &q, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "outside the region"));
    route_itinerary it;
    assert_int_equal(route_tp_itinerary(&D.x, &s, 0, "x", &it, &e), FK_EINVAL);
    route_tp_scratch_free(&s);
}

/* Grid time (ds) at the cell holding p, ROUTE_INF outside the grid. */
static uint32_t grid_at(const route_iso_grid *g, geo_point p)
{
    double fi = (p.lon_e7 - g->west_e7) / g->cell_lon_e7;
    double fj = (p.lat_e7 - g->south_e7) / g->cell_lat_e7;
    if (fi < 0 || fj < 0 || fi >= g->nx || fj >= g->ny) return ROUTE_INF;
    return g->time_ds[(size_t)fj * g->nx + (size_t)fi];
}

/* The smallest time in the 3 x 3 cells around p's cell: two grids of
 * different extent put their cell centres differently, so a point at the
 * edge of the off-road buffer may be just inside one grid's cell and just
 * outside the other's. */
static uint32_t grid_near(const route_iso_grid *g, geo_point p)
{
    uint32_t best = ROUTE_INF;
    for (int dj = -1; dj <= 1; dj++)
        for (int di = -1; di <= 1; di++) {
            geo_point q = {p.lat_e7 + (int32_t)(dj * g->cell_lat_e7),
                           p.lon_e7 + (int32_t)(di * g->cell_lon_e7)};
            uint32_t v = grid_at(g, q);
            if (v < best) best = v;
        }
    return best;
}

/* Transit isochrones: every place reached by walking and riding within
 * the limit (less a margin for the grid) lies in a reached cell, and the
 * area contains what walking alone reaches. */
static void test_transit_isochrone(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    fk_err e;
    route_iso_index ix;
    route_iso_scratch is, iw;
    assert_int_equal(route_iso_open(D.r, &ix, &e), 0);
    assert_int_equal(route_iso_scratch_init(&is, &ix, 0, 0), 0);
    assert_int_equal(route_iso_scratch_init(&iw, &ix, 0, 0), 0);
    route_tp_scratch s;
    assert_int_equal(route_tp_scratch_init(&s, &D.x, 0, &e), 0);
    rng g;
    rng_seed(&g, 4711);
    const uint32_t limit_ds = 30 * 600, margin_ds = 1200;
    unsigned runs = 0, checked = 0, by_transit = 0, cells = 0;
    for (int it = 0; it < 40; it++) {
        geo_point from = random_point(&g);
        const int *dt = dates[it % 5];
        route_tp_query q = {from, ymd(dt[0], dt[1], dt[2]),
                            6 * 3600 + (int32_t)rng_below(&g, 12 * 3600), 0, 0};
        route_iso_grid tg, wg;
        int rc = route_tp_isochrone(&D.x, &s, &ix, &is, &q, limit_ds, NULL, &tg, &e);
        if (rc) {
            assert_true(rc == FK_ENOTFOUND || rc == FK_EINVAL);
            continue;
        }
        runs++;
        for (uint32_t t = 0; t < D.x.n_targets; t++) {
            if (s.arr_s[t] == ROUTE_TP_NO_TIME) continue;
            uint32_t rel_ds = (s.arr_s[t] - (uint32_t)q.time_s) * 10;
            if (rel_ds + margin_ds > limit_ds) continue;
            route_engine_set set;
            uint32_t i;
            assert_int_equal(route_tp_target_set(&D.x, t, &set, &i), 0);
            geo_point p = set == ENGINE_HOMES ? D.r->homes[i].pos
                        : set == ENGINE_JOBS ? D.r->jobs[i].pos : D.r->pois[i].pos;
            uint32_t v = grid_near(&tg, p);
            if (v > limit_ds)
                fail_msg("target %u reached in %u ds (stop %u) but its cells have %u ds", t,
                         rel_ds, s.best_stop[t], v);
            checked++;
            by_transit += s.best_stop[t] != ROUTE_TP_DIRECT;
        }
        /* walking alone reaches no area the transit isochrone misses */
        assert_int_equal(route_isochrone(&ix, &iw, MODE_WALK, from, limit_ds, NULL, &wg, &e), 0);
        for (uint32_t j = 0; j < wg.ny; j++)
            for (uint32_t i = 0; i < wg.nx; i++) {
                uint32_t v = wg.time_ds[(size_t)j * wg.nx + i];
                if (v == ROUTE_INF || v + margin_ds > limit_ds) continue;
                geo_point c = {(int32_t)(wg.south_e7 + (j + 0.5) * wg.cell_lat_e7),
                               (int32_t)(wg.west_e7 + (i + 0.5) * wg.cell_lon_e7)};
                uint32_t tv = grid_near(&tg, c);
                if (tv > limit_ds)
                    fail_msg("walk reaches cell (%u,%u) in %u ds, transit's cells there %u ds",
                             i, j, v, tv);
                cells++;
            }
        route_iso_polygons poly;
        assert_int_equal(route_iso_contour(&is, &tg, limit_ds, &poly), 0);
    }
    printf("transit isochrones: %u runs, %u places checked (%u reached by riding), %u walk "
           "cells covered\n", runs, checked, by_transit, cells);
    assert_true(runs >= 20);
    assert_true(by_transit > 0);
    route_tp_scratch_free(&s);
    route_iso_scratch_free(&is);
    route_iso_scratch_free(&iw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depart_equals_reference),
        cmocka_unit_test(test_range_equals_single),
        cmocka_unit_test(test_arrive_by),
        cmocka_unit_test(test_lulea_commute),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_transit_isochrone),
    };
    return cmocka_run_group_tests(tests, demo_setup, demo_teardown);
}
