/*
 * bench_transit_point.c: benchmark of public transport from a point
 * (route/transit_point.c). Standalone program:
 *
 *   bench_transit_point SNAPSHOT [--origins N]
 *
 * On the demo snapshot (Norrbotten GTFS), for N origins (default 200: home
 * positions, cycled) on Wednesday 2022-10-19 it prints:
 *   - opening the index (stop snapping and egress lists), ms;
 *   - the range query 07:00-09:00 (121 departures) including access and
 *     propagation to every home, job and POI: mean, p50, p99 ms, and the
 *     share of that spent in propagation alone;
 *   - one departure (07:30) with propagation: mean ms;
 *   - arrive-by 08:00 to a job reached by transit: mean ms.
 * One thread; CLOCK_MONOTONIC around each query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/mem.h"
#include "../region/region.h"
#include "../route/engine.h"
#include "../route/transit.h"
#include "../route/transit_point.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_transit_point SNAPSHOT [--origins N]\n");
        return 2;
    }
    uint32_t n_o = 200;
    if (argc >= 4 && !strcmp(argv[2], "--origins")) n_o = (uint32_t)atoi(argv[3]);
    if (n_o == 0) n_o = 1;
    fk_err e;
    region *r = NULL;
    route_engine eng;
    route_transit tt;
    route_tp_index x;
    route_tp_scratch s, s1;
    if (region_open(argv[1], 0, &r, &e) || route_engine_open(r, NULL, &eng, &e)) {
        fprintf(stderr, "bench_transit_point: %s\n", e.msg);
        return 1;
    }
    if (route_transit_open(r, &tt, &e) || route_tp_open(&x, &eng, &tt, 0, &e) ||
        route_tp_scratch_init(&s, &x, 121, &e) || route_tp_scratch_init(&s1, &x, 0, &e) ||
        r->n_homes == 0) {
        fprintf(stderr, "bench_transit_point: %s\n", r->n_homes ? e.msg : "no homes");
        return 1;
    }
    int32_t day;
    region_day_from_ymd(2022, 10, 19, &day);
    printf("index: %u stops served, %u snapped, %llu egress walks to %u places, opened in "
           "%.1f ms\n", x.n_served_stops, x.n_snapped_stops, (unsigned long long)x.n_egress,
           x.n_targets, x.open_ms);
    double *rng_ms = mem_calloc(n_o, sizeof *rng_ms);
    double prop = 0, single = 0, arrby = 0, access = 0;
    uint32_t ok = 0, n_arr = 0;
    for (uint32_t i = 0; i < n_o; i++) {
        route_tp_query q = {r->homes[i % r->n_homes].pos, day, 7 * 3600 + 1800, 0, 0};
        double t0 = now_ms();
        if (route_tp_range(&x, &s, &q, 7 * 3600, 9 * 3600, 60, &e)) continue;
        rng_ms[ok++] = now_ms() - t0;
        prop += s.propagate_ms;
        access += s.access_ms;
        t0 = now_ms();
        route_tp_depart(&x, &s1, &q, &e);
        single += now_ms() - t0;
        uint32_t t = UINT32_MAX;
        for (uint32_t j = 0; j < eng.n_set[ENGINE_JOBS]; j++) {
            uint32_t g = route_tp_target(&x, ENGINE_JOBS, j);
            if (s1.arr_s[g] != ROUTE_TP_NO_TIME && s1.best_stop[g] != ROUTE_TP_DIRECT) {
                t = g;
                break;
            }
        }
        if (t == UINT32_MAX) continue;
        int32_t dep, arr;
        t0 = now_ms();
        if (route_tp_arrive_by(&x, &s1, &q, t, 8 * 3600, &dep, &arr, &e) == 0) {
            arrby += now_ms() - t0;
            n_arr++;
        }
    }
    if (!ok) {
        fprintf(stderr, "bench_transit_point: no origin could be queried\n");
        return 1;
    }
    double sum = 0;
    for (uint32_t i = 0; i < ok; i++) sum += rng_ms[i];
    qsort(rng_ms, ok, sizeof *rng_ms, cmp_d);
    printf("range 07:00-09:00 (121 departures) from a point to all %u places, %u origins:\n"
           "  mean %.2f ms, p50 %.2f ms, p99 %.2f ms (access %.3f ms, propagation %.3f ms)\n",
           x.n_targets, ok, sum / ok, rng_ms[ok / 2], rng_ms[(size_t)(ok * 0.99)],
           access / ok, prop / ok);
    printf("single departure 07:30 with propagation: mean %.3f ms\n", single / ok);
    if (n_arr) printf("arrive-by 08:00 (binary search over seconds): mean %.2f ms over %u\n",
                      arrby / n_arr, n_arr);
    mem_free(rng_ms);
    route_tp_scratch_free(&s);
    route_tp_scratch_free(&s1);
    route_tp_close(&x);
    route_transit_free(&tt);
    route_engine_close(&eng);
    region_close(r);
    return 0;
}
