/*
 * bench_transit.c: benchmark of public transport routing (route/transit.c,
 * route/raptor.c) against the connection scan reference
 * (route/transit_ref.c). Standalone program:
 *
 *   bench_transit SNAPSHOT [--origins N] [--date YYYY-MM-DD] [--seed S]
 *
 * Uses the snapshot's compiled timetable (sections 1400..) when it has
 * one; otherwise compiles it in memory from the snapshot's GTFS records,
 * roads and a walk graph built from them (what `flyttkarta build` would
 * do), and prints that time. Then, for N random origin stops (default
 * 200; each with its footpaths), on a weekday of the Norrbotten feed
 * (default 2022-10-19) it prints:
 *   - the range query 07:00-09:00, one departure a minute (121), with
 *     range-RAPTOR: mean, p50, p99 ms per origin (goal <= 10 ms);
 *   - the same 121 departures with the connection scan, one scan each:
 *     mean ms per origin, and the ratio reference / RAPTOR (goal >= 5);
 *   - single departures (08:00): RAPTOR and the scan, mean ms;
 *   - timetable bytes (what the snapshot sections hold);
 *   - one itinerary in Luleå (Luleå Universitet -> Luleå Busstation, 07:30).
 * One thread; CLOCK_MONOTONIC around each query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/mem.h"
#include "../base/rng.h"
#include "../region/builder.h"
#include "../region/region.h"
#include "../route/graph.h"
#include "../route/raptor.h"
#include "../route/transit.h"

#define MAX_ORIGINS 1024

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    return n ? v[(size_t)(p * (double)(n - 1) + 0.5)] : 0;
}

static int bench_fail(const char *what, const fk_err *e)
{
    fprintf(stderr, "bench_transit: %s%s%s\n", what, e ? ": " : "", e ? e->msg : "");
    return 1;
}

/* Copies what the timetable compiler reads from an open snapshot into b. */
static int copy_region(const region *r, region_builder *b)
{
#define COPY(field, src, cnt)                                            \
    if (vec_reserve(b->field, (cnt) + 1)) return FK_ENOMEM;              \
    if (cnt) memcpy(b->field.v, src, (cnt) * sizeof *b->field.v);         \
    b->field.n = (cnt);
    COPY(stops, r->stops, r->n_stops)
    COPY(routes, r->routes, r->n_routes)
    COPY(trips, r->trips, r->n_trips)
    COPY(stop_times, r->stop_times, r->n_stop_times)
    COPY(services, r->services, r->n_services)
    COPY(service_bits, r->service_bits, r->n_service_bits)
    COPY(transfers, r->transfers, r->n_transfers)
    COPY(frequencies, r->frequencies, r->n_frequencies)
    COPY(road_nodes, r->road_nodes, r->n_road_nodes)
    COPY(roads, r->roads, r->n_roads)
#undef COPY
    /* the strings as they are (read only; nothing is interned afterwards) */
    char *s = mem_alloc(r->strings_len + 1);
    if (!s) return FK_ENOMEM;
    memcpy(s, r->strings, r->strings_len);
    mem_free(b->strings.data);
    b->strings.data = s;
    b->strings.len = b->strings.cap = r->strings_len;
    return 0;
}

static uint32_t find_stop(const route_transit *t, const char *gtfs_id)
{
    for (uint32_t i = 0; i < t->feed.n_stops; i++)
        if (!strcmp(route_transit_str(t, t->feed.stops[i].gtfs_id), gtfs_id)) return i;
    return UINT32_MAX;
}

static void print_itinerary(route_raptor *s, const route_transit *t, int32_t day)
{
    uint32_t from = find_stop(t, "9021025025013000"), to = find_stop(t, "9021025080001000");
    if (from == UINT32_MAX || to == UINT32_MAX) {
        printf("itinerary: skipped (no Luleå Universitet / Luleå Busstation stops)\n");
        return;
    }
    route_raptor_origin o[64];
    size_t n = 0;
    for (uint32_t i = 0; i < t->h.n_stops && n < 64; i++)
        if (t->feed.stops[i].parent == from) o[n++] = (route_raptor_origin){i, 0};
    fk_err e;
    if (route_raptor_query(s, day, 7 * 3600 + 30 * 60, o, n, NULL, &e)) {
        printf("itinerary: %s\n", e.msg);
        return;
    }
    route_itinerary best, it;
    int have = 0;
    for (uint32_t i = 0; i < t->h.n_stops; i++)
        if (t->feed.stops[i].parent == to && route_raptor_itinerary(s, i, &it, NULL) == 0 &&
            (!have || it.arr_s < best.arr_s || (it.arr_s == best.arr_s && it.n_legs < best.n_legs))) {
            best = it;
            have = 1;
        }
    if (!have) {
        printf("itinerary: Luleå Busstation not reached\n");
        return;
    }
    char buf[4096];
    route_itinerary_format(&best, buf, sizeof buf);
    printf("itinerary Luleå Universitet -> Luleå Busstation, weekday 07:30:\n%s", buf);
}

int main(int argc, char **argv)
{
    const char *snap = NULL;
    uint32_t n_origins = 200;
    uint64_t seed = 20221019;
    int y = 2022, m = 10, d = 19;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--origins") && i + 1 < argc) n_origins = (uint32_t)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], 0, 10);
        else if (!strcmp(argv[i], "--date") && i + 1 < argc) {
            if (sscanf(argv[++i], "%d-%d-%d", &y, &m, &d) != 3) return bench_fail("--date", NULL);
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench_transit SNAPSHOT [--origins N] [--date YYYY-MM-DD] "
                            "[--seed S]\n");
            return 2;
        } else snap = argv[i];
    }
    if (!snap) {
        fprintf(stderr, "usage: bench_transit SNAPSHOT [--origins N] [--date YYYY-MM-DD]\n");
        return 2;
    }
    if (n_origins < 1) n_origins = 1;
    if (n_origins > MAX_ORIGINS) n_origins = MAX_ORIGINS;
    setvbuf(stdout, NULL, _IOLBF, 0);
    fk_err e;
    region *r;
    if (region_open(snap, 0, &r, &e)) return bench_fail(snap, &e);
    int32_t day;
    if (region_day_from_ymd(y, m, d, &day)) return bench_fail("--date: not a date", NULL);

    route_transit t;
    region_builder b;
    int own = 0;
    double t0 = now_ms();
    if (route_transit_open(r, &t, &e) == 0) {
        printf("transit: timetable from the snapshot, opened and validated in %.2f ms\n",
               now_ms() - t0);
    } else {
        region_builder_init(&b, "bench transit");
        if (copy_region(r, &b)) return bench_fail("out of memory", NULL);
        double tg = now_ms();
        if (route_graph_build_all(&b, &e)) return bench_fail("walk graph", &e);
        double tc = now_ms();
        if (route_transit_init(&t, &b, &e)) return bench_fail("compile", &e);
        printf("transit: snapshot has no timetable sections; compiled in memory in %.0f ms "
               "(+ %.0f ms for the road graphs)\n", now_ms() - tc, tc - tg);
        own = 1;
    }
    printf("transit: %u stops, %u routes, %u trips (%u from frequencies), %u footpaths "
           "(%u walk graph, %u straight line), %u trip-to-trip transfers; timetable %.2f MB "
           "(%zu bytes)\n", t.h.n_stops, t.h.n_routes, t.h.n_trips, t.h.n_freq_trips,
           t.h.n_footpaths, t.h.n_fp_graph, t.h.n_fp_line, t.h.n_trip_tx,
           route_transit_bytes(&t) / 1e6, route_transit_bytes(&t));
    if (t.h.n_trips == 0) {
        printf("transit: no trips in the snapshot; nothing to measure\n");
        goto out;
    }

    route_raptor s;
    if (route_raptor_init(&s, &t, 121, &e)) return bench_fail("raptor", &e);
    route_csa *c;
    double tr = now_ms();
    if (route_csa_init(&c, &t, day, &e)) return bench_fail("csa", &e);
    printf("reference: %zu connections on days D-2..D+1 collected and sorted in %.1f ms "
           "(once per date, not counted below)\n", route_csa_connections(c), now_ms() - tr);

    static route_raptor_origin o[MAX_ORIGINS][256];
    static size_t n_o[MAX_ORIGINS];
    rng g;
    rng_seed(&g, seed);
    for (uint32_t i = 0; i < n_origins; i++) {
        uint32_t st;
        do st = rng_below(&g, t.h.n_stops);
        while (t.stop_first[st + 1] == t.stop_first[st]);
        n_o[i] = route_raptor_stop_origins(&t, st, 0, o[i], 256);
        if (n_o[i] > 256) n_o[i] = 256;
    }
    double *ms = mem_alloc(n_origins * sizeof *ms);
    if (!ms) return bench_fail("out of memory", NULL);
    const int32_t w0 = 7 * 3600, w1 = 9 * 3600;
    double sum_rap = 0, sum_ref = 0, sum_1r = 0, sum_1c = 0;
    uint64_t reached = 0, rounds = 0, scans = 0, skipped = 0;
    for (uint32_t i = 0; i < n_origins; i++) {
        double a = now_ms();
        if (route_raptor_range(&s, day, w0, w1, 60, o[i], n_o[i], NULL, &e))
            return bench_fail("range", &e);
        ms[i] = now_ms() - a;
        sum_rap += ms[i];
        rounds += s.rounds;
        scans += s.routes_scanned;
        skipped += s.skipped_steps;
        for (uint32_t x = 0; x < t.h.n_stops; x++) reached += s.range_median[x] != ROUTE_RAPTOR_NO_TIME;
        a = now_ms();
        for (int32_t tm = w0; tm <= w1; tm += 60)
            if (route_csa_query(c, tm, o[i], n_o[i], NULL, &e)) return bench_fail("csa", &e);
        sum_ref += now_ms() - a;
        a = now_ms();
        route_raptor_query(&s, day, 8 * 3600, o[i], n_o[i], NULL, &e);
        double b1 = now_ms();
        route_csa_query(c, 8 * 3600, o[i], n_o[i], NULL, &e);
        sum_1c += now_ms() - b1;
        sum_1r += b1 - a;
    }
    qsort(ms, n_origins, sizeof *ms, cmp_double);
    double mean = sum_rap / n_origins, ref = sum_ref / n_origins;
    printf("range 07:00-09:00 every minute (121 departures), %u origins, %04d-%02d-%02d: "
           "range-RAPTOR mean %.3f ms, p50 %.3f ms, p99 %.3f ms per origin (goal <= 10 ms); "
           "%.0f stops with a median time per origin; per origin %.0f of 121 departures "
           "searched (the rest board nothing new), %.0f rounds, %.0f route scans\n",
           n_origins, y, m, d, mean, pct(ms, n_origins, 0.5), pct(ms, n_origins, 0.99),
           (double)reached / n_origins, 121.0 - (double)skipped / n_origins,
           (double)rounds / n_origins, (double)scans / n_origins);
    printf("reference: 121 connection scans %.3f ms per origin; ratio reference/RAPTOR %.1f "
           "(goal >= 5)\n", ref, ref / mean);
    printf("single departure 08:00: RAPTOR %.3f ms, connection scan %.3f ms per query "
           "(ratio %.2f)\n", sum_1r / n_origins, sum_1c / n_origins, sum_1c / sum_1r);
    print_itinerary(&s, &t, day);
    mem_free(ms);
    route_csa_free(c);
    route_raptor_free(&s);
out:
    route_transit_free(&t);
    if (own) region_builder_free(&b);
    region_close(r);
    return 0;
}
