/*
 * transit.c: compiles the GTFS records of a builder into the RAPTOR
 * timetable of transit.h, writes it as snapshot sections, and opens it
 * from a snapshot with validation.
 *
 * Compilation, in order (docs/transit.md):
 *   1. patterns: trips keyed by stop sequence + pickup/drop-off pattern
 *      (an open-addressing table over a 64-bit hash, compared exactly);
 *   2. trip instances: every trip with >= 2 stop times, except templates
 *      of frequencies.txt, which are expanded into one instance per
 *      headway (start <= departure < end);
 *   3. instances sorted by (pattern, first departure), then assigned
 *      first-fit to FIFO sub-routes whose times fit 16 bits;
 *   4. the stop -> (route, position) index;
 *   5. footpaths and change times: walk graph Dijkstra from every stop
 *      (snapped), straight line where that is impossible, and the rules of
 *      transfers.txt, stop-level over station-level over the defaults;
 *   6. trip-to-trip transfers.
 * Everything is allocated through base/mem.h; the arrays become owned by
 * the route_transit (init) or by the builder's sections (build).
 */
#include "transit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/hmap.h"
#include "../base/mem.h"
#include "../base/progress.h"
#include "../base/vec.h"
#include "dijkstra.h"
#include "graph.h"
#include "profile.h"
#include "snap.h"

#define TT_NONE UINT32_MAX
#define TT_MAX_FREQ_TRIPS (1u << 24)

/* indices into route_transit.owned, in section order */
enum { A_ROUTES, A_RSTOPS, A_RFLAGS, A_TIMES, A_TRIPS, A_SFIRST, A_SROUTES, A_FPFIRST,
       A_FP, A_CHANGE, A_TXFIRST, A_TX };

static const uint32_t tt_elem_size[ROUTE_TT_N_ARRAYS] = {
    sizeof(route_tt_route), 4, 1, 2, sizeof(route_tt_trip), 4, sizeof(route_tt_stop_route),
    4, sizeof(route_tt_footpath), 2, 4, sizeof(route_tt_trip_tx)};

typedef struct tt_inst {
    uint32_t trip;       /* region trip */
    int32_t shift;       /* added to its times */
    uint32_t pattern;
    int32_t first_dep;
    int32_t last_dep;
    uint32_t route;      /* compiled route, assigned in step 3 */
} tt_inst;

typedef struct tt_pair {
    uint32_t from, to;
    uint32_t walk_s;     /* TT_NONE when unknown */
    uint32_t seq;        /* order of the rule in transfers.txt */
    int32_t min_s;       /* transfers.txt min_transfer_time, -1 none */
    uint8_t level;       /* 0 walk only, 1 station rule, 2 stop rule */
    uint8_t type;        /* transfer_type of the rule */
    uint8_t graph;       /* walk from the walk graph */
    uint8_t pad;
} tt_pair;

typedef struct tt_ctx {
    const route_transit_feed *f;
    const region_transfer *tx; size_t n_tx;
    const region_frequency *fq; size_t n_fq;
    const region_builder *b;
    route_transit *t;
    fk_err *e;
} tt_ctx;

/* ---- small helpers ---- */

static void *tt_calloc(size_t n, size_t size)
{
    return mem_calloc(n ? n : 1, size);
}

/* Flags of stop_time k of a trip with n stop times (normalised: nobody
 * alights at the first stop or boards at the last). */
static uint8_t tt_st_flags(const region_stop_time *st, uint32_t k, uint32_t n)
{
    uint8_t fl = 0;
    if (st->pickup == 1 || k + 1 == n) fl |= ROUTE_TT_NO_BOARD;
    if (st->dropoff == 1 || k == 0) fl |= ROUTE_TT_NO_ALIGHT;
    return fl;
}

static uint64_t tt_pattern_hash(const route_transit_feed *f, const region_trip *tr)
{
    const region_stop_time *st = f->stop_times + tr->first_stop_time;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ tr->n_stop_times;
    for (uint32_t k = 0; k < tr->n_stop_times; k++) {
        uint64_t v = ((uint64_t)st[k].stop << 2) | tt_st_flags(&st[k], k, tr->n_stop_times);
        h = (h ^ v) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    return h;
}

static int tt_same_pattern(const route_transit_feed *f, const region_trip *a,
                           const region_trip *b)
{
    if (a->n_stop_times != b->n_stop_times) return 0;
    const region_stop_time *x = f->stop_times + a->first_stop_time;
    const region_stop_time *y = f->stop_times + b->first_stop_time;
    uint32_t n = a->n_stop_times;
    for (uint32_t k = 0; k < n; k++)
        if (x[k].stop != y[k].stop || tt_st_flags(&x[k], k, n) != tt_st_flags(&y[k], k, n))
            return 0;
    return 1;
}

static int tt_inst_cmp(const void *pa, const void *pb)
{
    const tt_inst *a = pa, *b = pb;
    if (a->pattern != b->pattern) return a->pattern < b->pattern ? -1 : 1;
    if (a->first_dep != b->first_dep) return a->first_dep < b->first_dep ? -1 : 1;
    if (a->last_dep != b->last_dep) return a->last_dep < b->last_dep ? -1 : 1;
    if (a->trip != b->trip) return a->trip < b->trip ? -1 : 1;
    return (a->shift > b->shift) - (a->shift < b->shift);
}

static int32_t tt_inst_dep(const route_transit_feed *f, const tt_inst *x, uint32_t p)
{
    return f->stop_times[f->trips[x->trip].first_stop_time + p].departure_s + x->shift;
}

static int32_t tt_inst_arr(const route_transit_feed *f, const tt_inst *x, uint32_t p)
{
    return f->stop_times[f->trips[x->trip].first_stop_time + p].arrival_s + x->shift;
}

/* Whether instance x may follow y in a route: never earlier at any stop. */
static int tt_fifo_after(const route_transit_feed *f, const tt_inst *y, const tt_inst *x)
{
    uint32_t n = f->trips[x->trip].n_stop_times;
    for (uint32_t p = 0; p < n; p++)
        if (tt_inst_dep(f, x, p) < tt_inst_dep(f, y, p) ||
            tt_inst_arr(f, x, p) < tt_inst_arr(f, y, p))
            return 0;
    return 1;
}

/* ---- steps 1-3: patterns, instances, routes ---- */

typedef struct tt_routes_tmp {
    VEC(tt_inst) inst;
    VEC(uint32_t) route_first;   /* first instance (after grouping) of each route */
    uint32_t n_routes;
} tt_routes_tmp;

static int tt_make_instances(tt_ctx *c, tt_routes_tmp *rt)
{
    const route_transit_feed *f = c->f;
    route_transit_header *h = &c->t->h;
    int rc = 0;
    uint32_t *pat_of = NULL, *slots = NULL, *rep = NULL;
    uint8_t *has_freq = NULL;
    size_t nt = f->n_trips, cap = 16;
    while (cap < 2 * nt + 2) cap *= 2;
    pat_of = tt_calloc(nt, sizeof *pat_of);
    slots = tt_calloc(cap, sizeof *slots);
    rep = tt_calloc(nt, sizeof *rep);
    has_freq = tt_calloc(nt, 1);
    if (!pat_of || !slots || !rep || !has_freq) goto nomem;
    for (size_t i = 0; i < c->n_fq; i++)
        if (c->fq[i].trip < nt) has_freq[c->fq[i].trip] = 1;
    uint32_t n_pat = 0;
    for (size_t i = 0; i < nt; i++) {
        const region_trip *tr = &f->trips[i];
        pat_of[i] = TT_NONE;
        if (tr->n_stop_times < 2 || tr->service >= f->n_services || tr->route >= f->n_routes ||
            (uint64_t)tr->first_stop_time + tr->n_stop_times > f->n_stop_times) {
            h->n_trips_skipped++;
            continue;
        }
        const region_stop_time *st = f->stop_times + tr->first_stop_time;
        int bad = 0;
        for (uint32_t k = 0; k < tr->n_stop_times && !bad; k++)
            bad = st[k].stop >= f->n_stops || st[k].arrival_s < 0 ||
                  st[k].departure_s < st[k].arrival_s ||
                  st[k].departure_s > (int32_t)ROUTE_TRANSIT_MAX_TIME_S ||
                  (k && st[k].arrival_s < st[k - 1].departure_s);
        if (bad || st[tr->n_stop_times - 1].departure_s - st[0].arrival_s > 65535) {
            h->n_trips_skipped++;
            continue;
        }
        uint64_t hv = tt_pattern_hash(f, tr);
        size_t j = hv & (cap - 1);
        while (slots[j] && !tt_same_pattern(f, &f->trips[rep[slots[j] - 1]], tr))
            j = (j + 1) & (cap - 1);
        if (!slots[j]) {
            rep[n_pat] = (uint32_t)i;
            slots[j] = ++n_pat;
        }
        pat_of[i] = slots[j] - 1;
        if (has_freq[i]) continue;   /* a template: its frequencies make the trips */
        tt_inst x = {(uint32_t)i, 0, pat_of[i], st[0].departure_s,
                     st[tr->n_stop_times - 1].departure_s, 0};
        if (vec_push(rt->inst, x)) goto nomem;
    }
    for (size_t i = 0; i < c->n_fq; i++) {
        const region_frequency *q = &c->fq[i];
        if (q->trip >= nt || pat_of[q->trip] == TT_NONE || q->headway_s <= 0 ||
            q->end_s <= q->start_s)
            continue;
        const region_trip *tr = &f->trips[q->trip];
        const region_stop_time *st = f->stop_times + tr->first_stop_time;
        int32_t d0 = st[0].departure_s, dl = st[tr->n_stop_times - 1].departure_s;
        for (int64_t s = q->start_s; s < q->end_s; s += q->headway_s) {
            int64_t shift = s - d0;
            if (dl + shift > (int64_t)ROUTE_TRANSIT_MAX_TIME_S || st[0].arrival_s + shift < 0) {
                h->n_trips_skipped++;
                continue;
            }
            if (h->n_freq_trips >= TT_MAX_FREQ_TRIPS) {
                rc = err_set(c->e, FK_ETOOBIG, "transit: frequencies.txt expands to more than "
                             "%u trips", TT_MAX_FREQ_TRIPS);
                goto fail;
            }
            tt_inst x = {q->trip, (int32_t)shift, pat_of[q->trip], (int32_t)(d0 + shift),
                         (int32_t)(dl + shift), 0};
            if (vec_push(rt->inst, x)) goto nomem;
            h->n_freq_trips++;
        }
    }
    if (rt->inst.n >= UINT32_MAX) {
        rc = err_set(c->e, FK_ETOOBIG, "transit: more than 2^32 trips");
        goto fail;
    }
    if (rt->inst.n > 1) qsort(rt->inst.v, rt->inst.n, sizeof *rt->inst.v, tt_inst_cmp);
    goto done;
nomem:
    rc = err_set(c->e, FK_ENOMEM, "transit: out of memory");
fail:
done:
    mem_free(pat_of);
    mem_free(slots);
    mem_free(rep);
    mem_free(has_freq);
    return rc;
}

/* Step 3: first-fit assignment of each pattern's instances (sorted by
 * departure) to FIFO sub-routes; then instances are regrouped by route,
 * keeping their order. */
static int tt_assign_routes(tt_ctx *c, tt_routes_tmp *rt)
{
    const route_transit_feed *f = c->f;
    VEC(uint32_t) open_last = {0};   /* last instance of each open sub-route */
    VEC(uint32_t) open_route = {0};
    VEC(int32_t) open_base = {0};
    uint32_t *count = NULL;
    tt_inst *sorted = NULL;
    int rc = 0;
    uint32_t n_routes = 0;
    size_t n = rt->inst.n;
    for (size_t g0 = 0; g0 < n;) {
        size_t g1 = g0;
        while (g1 < n && rt->inst.v[g1].pattern == rt->inst.v[g0].pattern) g1++;
        open_last.n = open_route.n = open_base.n = 0;
        for (size_t k = g0; k < g1; k++) {
            tt_inst *x = &rt->inst.v[k];
            size_t j;
            for (j = 0; j < open_last.n; j++) {
                const tt_inst *y = &rt->inst.v[open_last.v[j]];
                if (x->last_dep - open_base.v[j] <= 65535 && tt_fifo_after(f, y, x)) break;
            }
            if (j == open_last.n) {
                if (n_routes == UINT32_MAX - 1) {
                    rc = err_set(c->e, FK_ETOOBIG, "transit: more than 2^32 routes");
                    goto fail;
                }
                if (vec_push(open_last, (uint32_t)k) || vec_push(open_route, n_routes++) ||
                    vec_push(open_base, tt_inst_arr(f, x, 0)))
                    goto nomem;
            }
            open_last.v[j] = (uint32_t)k;
            x->route = open_route.v[j];
        }
        g0 = g1;
    }
    /* regroup by route (stable counting sort) */
    count = tt_calloc((size_t)n_routes + 1, sizeof *count);
    sorted = tt_calloc(n, sizeof *sorted);
    if (!count || !sorted || vec_reserve(rt->route_first, (size_t)n_routes + 1)) goto nomem;
    for (size_t k = 0; k < n; k++) count[rt->inst.v[k].route + 1]++;
    for (uint32_t r = 0; r < n_routes; r++) count[r + 1] += count[r];
    for (uint32_t r = 0; r <= n_routes; r++) rt->route_first.v[r] = count[r];
    rt->route_first.n = (size_t)n_routes + 1;
    for (size_t k = 0; k < n; k++) sorted[count[rt->inst.v[k].route]++] = rt->inst.v[k];
    if (n) memcpy(rt->inst.v, sorted, n * sizeof *sorted);
    rt->n_routes = n_routes;
    goto done;
nomem:
    rc = err_set(c->e, FK_ENOMEM, "transit: out of memory");
fail:
done:
    vec_free(open_last);
    vec_free(open_route);
    vec_free(open_base);
    mem_free(count);
    mem_free(sorted);
    return rc;
}

/* Fills routes, route stops/flags, times and trips from the grouped
 * instances. */
static int tt_emit_routes(tt_ctx *c, const tt_routes_tmp *rt)
{
    const route_transit_feed *f = c->f;
    route_transit *t = c->t;
    route_transit_header *h = &t->h;
    uint64_t n_rs = 0, n_times = 0;
    for (uint32_t r = 0; r < rt->n_routes; r++) {
        const tt_inst *x = &rt->inst.v[rt->route_first.v[r]];
        uint64_t ns = f->trips[x->trip].n_stop_times;
        uint64_t ntr = rt->route_first.v[r + 1] - rt->route_first.v[r];
        n_rs += ns;
        n_times += 2 * ns * ntr;
    }
    if (n_rs >= UINT32_MAX || n_times >= UINT32_MAX)
        return err_set(c->e, FK_ETOOBIG, "transit: more than 2^32 route stops or times");
    h->n_routes = rt->n_routes;
    h->n_trips = (uint32_t)rt->inst.n;
    h->n_route_stops = (uint32_t)n_rs;
    h->n_times = (uint32_t)n_times;
    route_tt_route *routes = tt_calloc(h->n_routes, sizeof *routes);
    uint32_t *rstops = tt_calloc(n_rs, sizeof *rstops);
    uint8_t *rflags = tt_calloc(n_rs, 1);
    uint16_t *times = tt_calloc(n_times, sizeof *times);
    route_tt_trip *trips = tt_calloc(rt->inst.n, sizeof *trips);
    t->owned[A_ROUTES] = routes;
    t->owned[A_RSTOPS] = rstops;
    t->owned[A_RFLAGS] = rflags;
    t->owned[A_TIMES] = times;
    t->owned[A_TRIPS] = trips;
    if (!routes || !rstops || !rflags || !times || !trips)
        return err_set(c->e, FK_ENOMEM, "transit: out of memory");
    uint32_t o_stop = 0, o_time = 0;
    for (uint32_t r = 0; r < rt->n_routes; r++) {
        uint32_t k0 = rt->route_first.v[r], ntr = rt->route_first.v[r + 1] - k0;
        const tt_inst *x0 = &rt->inst.v[k0];
        const region_trip *tr = &f->trips[x0->trip];
        uint32_t ns = tr->n_stop_times;
        route_tt_route *R = &routes[r];
        R->first_stop = o_stop;
        R->n_stops = ns;
        R->first_trip = k0;
        R->n_trips = ntr;
        R->first_time = o_time;
        R->base_s = tt_inst_arr(f, x0, 0);
        R->gtfs_route = tr->route;
        const region_stop_time *st = f->stop_times + tr->first_stop_time;
        for (uint32_t p = 0; p < ns; p++) {
            rstops[o_stop + p] = st[p].stop;
            rflags[o_stop + p] = tt_st_flags(&st[p], p, ns);
        }
        uint32_t span = 0;
        for (uint32_t k = 0; k < ntr; k++) {
            const tt_inst *x = &rt->inst.v[k0 + k];
            for (uint32_t p = 0; p < ns; p++) {
                uint32_t d = (uint32_t)(tt_inst_dep(f, x, p) - R->base_s);
                uint32_t a = (uint32_t)(tt_inst_arr(f, x, p) - R->base_s);
                times[o_time + p * ntr + k] = (uint16_t)d;
                times[o_time + (ns + p) * ntr + k] = (uint16_t)a;
                if (d > span) span = d;
            }
            trips[k0 + k] = (route_tt_trip){x->trip, f->trips[x->trip].service, r, x->shift};
        }
        R->span_s = span;
        o_stop += ns;
        o_time += 2 * ns * ntr;
    }
    t->routes = routes;
    t->route_stops = rstops;
    t->route_flags = rflags;
    t->times = times;
    t->trips = trips;
    return 0;
}

/* Step 4: stop -> (route, position). */
static int tt_stop_index(tt_ctx *c)
{
    route_transit *t = c->t;
    uint32_t ns = t->h.n_stops;
    uint32_t *first = tt_calloc((size_t)ns + 1, sizeof *first);
    route_tt_stop_route *sr = tt_calloc(t->h.n_route_stops, sizeof *sr);
    uint32_t *fill = tt_calloc(ns, sizeof *fill);
    t->owned[A_SFIRST] = first;
    t->owned[A_SROUTES] = sr;
    if (!first || !sr || !fill) {
        mem_free(fill);
        return err_set(c->e, FK_ENOMEM, "transit: out of memory");
    }
    for (uint32_t i = 0; i < t->h.n_route_stops; i++) first[t->route_stops[i] + 1]++;
    for (uint32_t s = 0; s < ns; s++) first[s + 1] += first[s];
    memcpy(fill, first, (size_t)ns * sizeof *fill);
    for (uint32_t r = 0; r < t->h.n_routes; r++)
        for (uint32_t p = 0; p < t->routes[r].n_stops; p++) {
            uint32_t s = t->route_stops[t->routes[r].first_stop + p];
            sr[fill[s]++] = (route_tt_stop_route){r, p};
        }
    mem_free(fill);
    t->h.n_stop_routes = t->h.n_route_stops;
    t->stop_first = first;
    t->stop_routes = sr;
    return 0;
}

/* ---- step 5: footpaths and change times ---- */

typedef struct tt_snap {
    uint32_t road;       /* TT_NONE when not snapped */
    double frac;
    uint32_t access_ds;  /* from the stop to the road */
} tt_snap;

static int tt_pair_cmp(const void *pa, const void *pb)
{
    const tt_pair *a = pa, *b = pb;
    if (a->from != b->from) return a->from < b->from ? -1 : 1;
    if (a->to != b->to) return a->to < b->to ? -1 : 1;
    if (a->level != b->level) return a->level > b->level ? -1 : 1;   /* strongest first */
    return a->seq > b->seq ? -1 : a->seq < b->seq;                  /* then the last rule */
}

typedef struct tt_lat {
    int32_t lat_e7;
    uint32_t stop;
} tt_lat;

static int tt_lat_cmp(const void *pa, const void *pb)
{
    const tt_lat *a = pa, *b = pb;
    if (a->lat_e7 != b->lat_e7) return a->lat_e7 < b->lat_e7 ? -1 : 1;
    return (a->stop > b->stop) - (a->stop < b->stop);
}

static uint32_t tt_line_walk_s(geo_point a, geo_point b)
{
    return (uint32_t)ceil(geo_dist_m(a, b) * ROUTE_TRANSIT_DETOUR / ROUTE_TRANSIT_WALK_MPS);
}

/* The walk graph of the builder, as near_builder_graph in nearest.c. */
static int tt_builder_walk_graph(const region_builder *b, route_graph *g)
{
    const region_extra_section *s[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < b->extra.n; i++)
        for (int part = 0; part < 3; part++)
            if (b->extra.v[i].id == route_graph_section_id(MODE_WALK, DIR_FORWARD, part))
                s[part] = &b->extra.v[i];
    if (!s[0] || !s[1] || !s[2] || s[0]->count != b->road_nodes.n + 1 ||
        s[1]->count != s[2]->count || b->road_nodes.n == 0)
        return FK_ENOTFOUND;
    g->n_nodes = (uint32_t)b->road_nodes.n;
    g->n_edges = (uint32_t)s[1]->count;
    g->first = s[0]->data;
    g->edges = s[1]->data;
    g->edge_road = s[2]->data;
    g->mode = MODE_WALK;
    g->dir = DIR_FORWARD;
    return 0;
}

/* Walking pairs (from any stop to served stops within the walk limit). */
static int tt_walk_pairs(tt_ctx *c, const uint8_t *served, void *pairs_vec)
{
    VEC(tt_pair) *pairs = pairs_vec;
    const route_transit_feed *f = c->f;
    const region_builder *b = c->b;
    uint32_t ns = (uint32_t)f->n_stops;
    route_graph g;
    int have_graph = b && tt_builder_walk_graph(b, &g) == 0;
    route_snapper snapper;
    memset(&snapper, 0, sizeof snapper);
    route_search search;
    memset(&search, 0, sizeof search);
    tt_snap *snap = NULL;
    tt_lat *order = NULL;
    int rc = 0;
    const uint32_t max_ds = ROUTE_TRANSIT_MAX_WALK_S * 10;
    if (have_graph) {
        rc = route_snap_init(&snapper, b->road_nodes.v, b->road_nodes.n, b->roads.v,
                             b->roads.n, NULL, c->e);
        if (rc) return rc;
        rc = route_search_init(&search, g.n_nodes);
        if (rc) {
            rc = err_set(c->e, rc, "transit: out of memory");
            goto done;
        }
    }
    snap = tt_calloc(ns, sizeof *snap);
    order = tt_calloc(ns, sizeof *order);
    if (!snap || !order) goto nomem;
    uint32_t n_served = 0;
    for (uint32_t s = 0; s < ns; s++) {
        snap[s].road = TT_NONE;
        if (served[s]) order[n_served++] = (tt_lat){f->stops[s].pos.lat_e7, s};
        if (!have_graph) continue;
        route_snap_result sr;
        if (route_snap(&snapper, MODE_WALK, f->stops[s].pos, ROUTE_TRANSIT_SNAP_M, &sr, NULL))
            continue;
        snap[s].road = sr.road;
        snap[s].frac = sr.frac;
        snap[s].access_ds = (uint32_t)lround(sr.dist_m / ROUTE_TRANSIT_WALK_MPS * 10.0);
    }
    if (n_served > 1) qsort(order, n_served, sizeof *order, tt_lat_cmp);
    const double radius_m = ROUTE_TRANSIT_MAX_WALK_S * ROUTE_TRANSIT_WALK_MPS;
    const int32_t dlat = (int32_t)(radius_m / 111195.0 * GEO_E7) + 1;
    for (uint32_t s = 0; s < ns; s++) {
        const region_stop *S = &f->stops[s];
        int graph_src = snap[s].road != TT_NONE;
        if (graph_src) {
            uint32_t node[2], tds[2];
            route_snap_result sr = {0};
            sr.road = snap[s].road;
            sr.frac = snap[s].frac;
            size_t k = route_snap_depart(&snapper, MODE_WALK, &sr, node, tds, NULL);
            for (size_t i = 0; i < k; i++) tds[i] += snap[s].access_ds;
            route_dijkstra(&g, node, tds, k, max_ds, ROUTE_INF, &search);
        }
        /* candidates: served stops within radius_m, by latitude window */
        size_t lo = 0, hi = n_served;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (order[mid].lat_e7 < S->pos.lat_e7 - dlat) lo = mid + 1;
            else hi = mid;
        }
        for (size_t i = lo; i < n_served; i++) {
            uint32_t u = order[i].stop;
            const region_stop *U = &f->stops[u];
            if (U->pos.lat_e7 > S->pos.lat_e7 + dlat) break;
            if (u == s) continue;
            double d = geo_dist_m(S->pos, U->pos);
            if (d > radius_m) continue;
            uint32_t walk_s = TT_NONE;
            int by_graph = 0;
            if (graph_src && snap[u].road != TT_NONE) {
                uint32_t best = ROUTE_INF, node[2], tds[2];
                route_snap_result sr = {0};
                sr.road = snap[u].road;
                sr.frac = snap[u].frac;
                size_t k = route_snap_arrive(&snapper, MODE_WALK, &sr, node, tds, NULL);
                for (size_t j = 0; j < k; j++)
                    if (search.dist[node[j]] != ROUTE_INF &&
                        search.dist[node[j]] + tds[j] < best)
                        best = search.dist[node[j]] + tds[j];
                if (snap[u].road == snap[s].road) {   /* along the same segment */
                    route_cost rc0 = route_profile(&b->roads.v[snap[s].road], MODE_WALK);
                    uint32_t along = (uint32_t)lround(fabs(snap[s].frac - snap[u].frac) *
                                                      rc0.time_ds) + snap[s].access_ds;
                    if (along < best) best = along;
                }
                if (best != ROUTE_INF) best += snap[u].access_ds;
                if (best <= max_ds) walk_s = (best + 9) / 10;
                by_graph = 1;
            } else {
                uint32_t w = tt_line_walk_s(S->pos, U->pos);
                if (w <= ROUTE_TRANSIT_MAX_WALK_S) walk_s = w;
            }
            if (walk_s == TT_NONE) continue;
            tt_pair p = {s, u, walk_s, 0, -1, 0, 0, (uint8_t)by_graph, 0};
            if (vec_push(*pairs, p)) goto nomem;
        }
    }
    goto done;
nomem:
    rc = err_set(c->e, FK_ENOMEM, "transit: out of memory");
done:
    if (have_graph) {
        route_snap_free(&snapper);
        route_search_free(&search);
    }
    mem_free(snap);
    mem_free(order);
    return rc;
}

/* Change time a rule gives: type 0 default, 1 none needed, 2 its minimum,
 * 3 forbidden. */
static uint32_t tt_rule_change(uint8_t type, int32_t min_s)
{
    switch (type) {
    case 1: return 0;
    case 2: return min_s >= 0 ? (uint32_t)min_s : ROUTE_TRANSIT_CHANGE_S;
    case 3: return ROUTE_TT_NO_CHANGE;
    default: return ROUTE_TRANSIT_CHANGE_S;
    }
}

static int tt_footpaths(tt_ctx *c)
{
    const route_transit_feed *f = c->f;
    route_transit *t = c->t;
    uint32_t ns = t->h.n_stops;
    VEC(tt_pair) pairs = {0};
    VEC(uint32_t) kids = {0};
    uint8_t *served = tt_calloc(ns, 1);
    uint8_t *ch_level = tt_calloc(ns, 1);
    uint32_t *kid_first = tt_calloc((size_t)ns + 1, sizeof *kid_first);
    uint16_t *change = tt_calloc(ns, sizeof *change);
    uint32_t *fp_first = tt_calloc((size_t)ns + 1, sizeof *fp_first);
    route_tt_footpath *fp = NULL;
    int rc = 0;
    t->owned[A_CHANGE] = change;
    t->owned[A_FPFIRST] = fp_first;
    if (!served || !ch_level || !kid_first || !change || !fp_first) goto nomem;
    for (uint32_t i = 0; i < t->h.n_route_stops; i++) served[t->route_stops[i]] = 1;
    for (uint32_t s = 0; s < ns; s++) change[s] = ROUTE_TRANSIT_CHANGE_S;
    /* children of stations */
    for (uint32_t s = 0; s < ns; s++)
        if (f->stops[s].parent < ns) kid_first[f->stops[s].parent + 1]++;
    for (uint32_t s = 0; s < ns; s++) kid_first[s + 1] += kid_first[s];
    if (vec_reserve(kids, kid_first[ns] + 1)) goto nomem;
    kids.n = kid_first[ns];
    {
        uint32_t *fill = tt_calloc(ns, sizeof *fill);
        if (!fill) goto nomem;
        memcpy(fill, kid_first, (size_t)ns * sizeof *fill);
        for (uint32_t s = 0; s < ns; s++)
            if (f->stops[s].parent < ns) kids.v[fill[f->stops[s].parent]++] = s;
        mem_free(fill);
    }
    rc = tt_walk_pairs(c, served, &pairs);
    if (rc) goto fail;
    /* stop-level and station-level rules of transfers.txt */
    for (size_t i = 0; i < c->n_tx; i++) {
        const region_transfer *x = &c->tx[i];
        if (x->from_trip != REGION_NONE || x->to_trip != REGION_NONE) continue;  /* step 6 */
        if (x->from_route != REGION_NONE || x->to_route != REGION_NONE || x->from_stop >= ns ||
            x->to_stop >= ns || x->type > 3) {
            t->h.n_tx_skipped++;
            continue;
        }
        uint32_t a = x->from_stop, bb = x->to_stop;
        int a_st = f->stops[a].location_type == 1 && kid_first[a + 1] > kid_first[a];
        int b_st = f->stops[bb].location_type == 1 && kid_first[bb + 1] > kid_first[bb];
        uint8_t level = (a_st || b_st) ? 1 : 2;
        uint32_t na = a_st ? kid_first[a + 1] - kid_first[a] : 1;
        uint32_t nb = b_st ? kid_first[bb + 1] - kid_first[bb] : 1;
        for (uint32_t ia = 0; ia < na; ia++)
            for (uint32_t ib = 0; ib < nb; ib++) {
                uint32_t u = a_st ? kids.v[kid_first[a] + ia] : a;
                uint32_t v = b_st ? kids.v[kid_first[bb] + ib] : bb;
                if (u == v) {
                    if (level >= ch_level[u]) {
                        ch_level[u] = level;
                        change[u] = (uint16_t)tt_rule_change(x->type, x->min_time_s > 65534
                                                             ? 65534 : x->min_time_s);
                    }
                    continue;
                }
                if (!served[v]) continue;
                tt_pair p = {u, v, TT_NONE, (uint32_t)i, x->min_time_s, level, x->type, 0, 0};
                if (vec_push(pairs, p)) goto nomem;
            }
    }
    if (pairs.n > 1) qsort(pairs.v, pairs.n, sizeof *pairs.v, tt_pair_cmp);
    /* merge each (from, to): known walk, strongest rule */
    fp = tt_calloc(pairs.n, sizeof *fp);
    t->owned[A_FP] = fp;
    if (!fp) goto nomem;
    size_t n_fp = 0;
    for (size_t i = 0; i < pairs.n;) {
        size_t j = i;
        uint32_t walk = TT_NONE;
        int graph = 0;
        while (j < pairs.n && pairs.v[j].from == pairs.v[i].from && pairs.v[j].to == pairs.v[i].to) {
            if (pairs.v[j].walk_s < walk) {
                walk = pairs.v[j].walk_s;
                graph = pairs.v[j].graph;
            }
            j++;
        }
        const tt_pair *rule = pairs.v[i].level ? &pairs.v[i] : NULL;
        uint32_t from = pairs.v[i].from, to = pairs.v[i].to;
        i = j;
        if (walk == TT_NONE) walk = tt_line_walk_s(f->stops[from].pos, f->stops[to].pos);
        uint32_t xfer;
        if (!rule || rule->type == 0) xfer = walk > ROUTE_TRANSIT_CHANGE_S ? walk : ROUTE_TRANSIT_CHANGE_S;
        else if (rule->type == 3) continue;
        else if (rule->type == 1) xfer = walk;
        else {
            uint32_t m = tt_rule_change(2, rule->min_s);
            xfer = walk > m ? walk : m;
        }
        if (walk > 65534 || xfer > 65534) continue;
        fp[n_fp++] = (route_tt_footpath){to, (uint16_t)walk, (uint16_t)xfer};
        fp_first[from + 1]++;
        if (graph) t->h.n_fp_graph++;
        else t->h.n_fp_line++;
    }
    for (uint32_t s = 0; s < ns; s++) fp_first[s + 1] += fp_first[s];
    if (n_fp >= UINT32_MAX) {
        rc = err_set(c->e, FK_ETOOBIG, "transit: more than 2^32 footpaths");
        goto fail;
    }
    t->h.n_footpaths = (uint32_t)n_fp;
    t->fp_first = fp_first;
    t->footpaths = fp;
    t->change_s = change;
    goto done;
nomem:
    rc = err_set(c->e, FK_ENOMEM, "transit: out of memory");
fail:
done:
    vec_free(pairs);
    vec_free(kids);
    mem_free(served);
    mem_free(ch_level);
    mem_free(kid_first);
    return rc;
}

/* ---- step 6: trip-to-trip transfers ---- */

static int tt_u64_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* Position in route r of the first stop matching stop (or a child of the
 * station stop), among positions [lo, hi) where flag is not set; TT_NONE. */
static uint32_t tt_find_pos(const route_transit *t, const route_transit_feed *f, uint32_t r,
                            uint32_t stop, uint32_t lo, uint32_t hi, uint8_t flag)
{
    const route_tt_route *R = &t->routes[r];
    for (uint32_t p = lo; p < hi; p++) {
        uint32_t s = t->route_stops[R->first_stop + p];
        if ((s == stop || f->stops[s].parent == stop) && !(t->route_flags[R->first_stop + p] & flag))
            return p;
    }
    return TT_NONE;
}

static int tt_trip_transfers(tt_ctx *c)
{
    const route_transit_feed *f = c->f;
    route_transit *t = c->t;
    int rc = 0;
    uint32_t *ct_of = tt_calloc(f->n_trips, sizeof *ct_of);
    VEC(route_tt_trip_tx) v = {0};
    VEC(uint64_t) keys = {0};
    route_tt_trip_tx *tx = NULL;
    uint32_t *first = tt_calloc((size_t)t->h.n_routes + 1, sizeof *first);
    t->owned[A_TXFIRST] = first;
    if (!ct_of || !first) goto nomem;
    for (size_t i = 0; i < f->n_trips; i++) ct_of[i] = TT_NONE;
    for (uint32_t k = 0; k < t->h.n_trips; k++)
        if (t->trips[k].shift_s == 0 && ct_of[t->trips[k].trip] == TT_NONE)
            ct_of[t->trips[k].trip] = k;
        else
            ct_of[t->trips[k].trip] = TT_NONE - 1;   /* frequency copies: ambiguous */
    for (size_t i = 0; i < c->n_tx; i++) {
        const region_transfer *x = &c->tx[i];
        if (x->from_trip == REGION_NONE && x->to_trip == REGION_NONE) continue;
        if (x->from_trip >= f->n_trips || x->to_trip >= f->n_trips || x->type == 3 ||
            x->type == 5 || x->type > 5 || x->from_trip == x->to_trip ||
            ct_of[x->from_trip] >= TT_NONE - 1 || ct_of[x->to_trip] >= TT_NONE - 1) {
            t->h.n_tx_skipped++;
            continue;
        }
        uint32_t ft = ct_of[x->from_trip], bt = ct_of[x->to_trip];
        uint32_t fr = t->trips[ft].route, br = t->trips[bt].route;
        uint32_t fn = t->routes[fr].n_stops, bn = t->routes[br].n_stops;
        uint32_t fp = x->from_stop == REGION_NONE ? fn - 1
                      : tt_find_pos(t, f, fr, x->from_stop, 1, fn, ROUTE_TT_NO_ALIGHT);
        uint32_t bp = x->to_stop == REGION_NONE ? 0
                      : tt_find_pos(t, f, br, x->to_stop, 0, bn - 1, ROUTE_TT_NO_BOARD);
        if (fp == TT_NONE || bp == TT_NONE ||
            (t->route_flags[t->routes[fr].first_stop + fp] & ROUTE_TT_NO_ALIGHT) ||
            (t->route_flags[t->routes[br].first_stop + bp] & ROUTE_TT_NO_BOARD) ||
            fp > 65535 || bp > 65535) {
            t->h.n_tx_skipped++;
            continue;
        }
        int32_t m = x->type == 2 && x->min_time_s >= 0 ? x->min_time_s : 0;
        if (m > 65534) m = 65534;
        route_tt_trip_tx e = {ft, bt, br, (uint16_t)fp, (uint16_t)bp, (uint16_t)m, 0};
        /* sort key: route of the from trip, position, then input order */
        uint64_t key = ((uint64_t)fr << 40) | ((uint64_t)fp << 24) | (v.n & 0xffffff);
        if (v.n >= (1u << 24)) {
            rc = err_set(c->e, FK_ETOOBIG, "transit: more than 2^24 trip-to-trip transfers");
            goto fail;
        }
        if (vec_push(v, e) || vec_push(keys, key)) goto nomem;
    }
    /* order by route of the from trip, position, input order */
    if (keys.n > 1) qsort(keys.v, keys.n, sizeof *keys.v, tt_u64_cmp);
    tx = tt_calloc(v.n, sizeof *tx);
    t->owned[A_TX] = tx;
    if (!tx) goto nomem;
    for (size_t i = 0; i < keys.n; i++) {
        tx[i] = v.v[keys.v[i] & 0xffffff];
        first[t->trips[tx[i].from_trip].route + 1]++;
    }
    for (uint32_t r = 0; r < t->h.n_routes; r++) first[r + 1] += first[r];
    t->h.n_trip_tx = (uint32_t)v.n;
    t->tx_first = first;
    t->trip_tx = tx;
    goto done;
nomem:
    rc = err_set(c->e, FK_ENOMEM, "transit: out of memory");
fail:
done:
    mem_free(ct_of);
    vec_free(v);
    vec_free(keys);
    return rc;
}

/* ---- public ---- */

static void tt_feed_from_builder(route_transit_feed *f, const region_builder *b)
{
    f->strings = b->strings.data;
    f->strings_len = b->strings.len;
    f->stops = b->stops.v;
    f->n_stops = b->stops.n;
    f->routes = b->routes.v;
    f->n_routes = b->routes.n;
    f->trips = b->trips.v;
    f->n_trips = b->trips.n;
    f->stop_times = b->stop_times.v;
    f->n_stop_times = b->stop_times.n;
    f->services = b->services.v;
    f->n_services = b->services.n;
    f->service_bits = b->service_bits.v;
    f->n_service_bits = b->service_bits.n;
}

int route_transit_init(route_transit *t, const region_builder *b, fk_err *e)
{
    memset(t, 0, sizeof *t);
    tt_feed_from_builder(&t->feed, b);
    if (b->stops.n >= UINT32_MAX || b->trips.n >= UINT32_MAX || b->services.n >= UINT32_MAX)
        return err_set(e, FK_ETOOBIG, "transit: more than 2^32 stops, trips or services");
    t->h.version = ROUTE_TRANSIT_VERSION;
    t->h.n_stops = (uint32_t)b->stops.n;
    t->h.n_feed_trips = (uint32_t)b->trips.n;
    t->h.n_services = (uint32_t)b->services.n;
    t->h.change_s = ROUTE_TRANSIT_CHANGE_S;
    t->h.max_walk_s = ROUTE_TRANSIT_MAX_WALK_S;
    tt_ctx c = {&t->feed, b->transfers.v, b->transfers.n, b->frequencies.v, b->frequencies.n,
                b, t, e};
    tt_routes_tmp rt;
    memset(&rt, 0, sizeof rt);
    int rc = tt_make_instances(&c, &rt);
    if (!rc) rc = tt_assign_routes(&c, &rt);
    if (!rc) rc = tt_emit_routes(&c, &rt);
    vec_free(rt.inst);
    vec_free(rt.route_first);
    if (!rc) rc = tt_stop_index(&c);
    if (!rc) rc = tt_footpaths(&c);
    if (!rc) rc = tt_trip_transfers(&c);
    if (rc) route_transit_free(t);
    return rc;
}

int route_transit_build(region_builder *b, fk_err *e)
{
    route_transit t;
    progress_begin(b->progress, "transit", 0);
    int rc = route_transit_init(&t, b, e);
    if (rc) return rc;
    route_transit_header *h = mem_alloc(sizeof *h);
    if (!h) {
        route_transit_free(&t);
        return err_set(e, FK_ENOMEM, "transit: out of memory");
    }
    *h = t.h;
    rc = region_builder_add_section(b, ROUTE_SEC_TRANSIT_HEADER, sizeof *h, h, 1, e);
    const size_t counts[ROUTE_TT_N_ARRAYS] = {
        t.h.n_routes, t.h.n_route_stops, t.h.n_route_stops, t.h.n_times, t.h.n_trips,
        (size_t)t.h.n_stops + 1, t.h.n_stop_routes, (size_t)t.h.n_stops + 1, t.h.n_footpaths,
        t.h.n_stops, (size_t)t.h.n_routes + 1, t.h.n_trip_tx};
    for (int i = 0; i < ROUTE_TT_N_ARRAYS && !rc; i++) {
        void *p = t.owned[i];
        t.owned[i] = NULL;   /* the builder owns it now, also on failure */
        rc = region_builder_add_section(b, ROUTE_SEC_TRANSIT_ROUTES + (uint32_t)i,
                                        tt_elem_size[i], p, counts[i], e);
    }
    progress_step(b->progress, t.h.n_trips, 0);
    progress_done(b->progress);
    route_transit_free(&t);
    return rc;
}

void route_transit_free(route_transit *t)
{
    if (!t) return;
    for (int i = 0; i < ROUTE_TT_N_ARRAYS; i++) {
        mem_free(t->owned[i]);
        t->owned[i] = NULL;
    }
}

size_t route_transit_bytes(const route_transit *t)
{
    const size_t counts[ROUTE_TT_N_ARRAYS] = {
        t->h.n_routes, t->h.n_route_stops, t->h.n_route_stops, t->h.n_times, t->h.n_trips,
        (size_t)t->h.n_stops + 1, t->h.n_stop_routes, (size_t)t->h.n_stops + 1,
        t->h.n_footpaths, t->h.n_stops, (size_t)t->h.n_routes + 1, t->h.n_trip_tx};
    size_t n = sizeof t->h;
    for (int i = 0; i < ROUTE_TT_N_ARRAYS; i++) n += counts[i] * tt_elem_size[i];
    return n;
}

int route_transit_service_active(const route_transit *t, uint32_t service, int32_t day)
{
    if (service >= t->feed.n_services) return 0;
    const region_service *s = &t->feed.services[service];
    if (day < s->first_day) return 0;
    uint32_t k = (uint32_t)(day - s->first_day);
    if (k >= s->n_days) return 0;
    size_t byte = (size_t)s->bits + k / 8;
    if (byte >= t->feed.n_service_bits) return 0;
    return (t->feed.service_bits[byte] >> (k % 8)) & 1;
}

#define TT_BAD(...) return err_set(e, FK_ECORRUPT, "transit timetable: " __VA_ARGS__)

/* Checks a CSR offset array of n + 1 entries ending at total. */
static int tt_check_first(const uint32_t *first, uint32_t n, uint32_t total)
{
    if (first[0] != 0 || first[n] != total) return -1;
    for (uint32_t i = 0; i < n; i++)
        if (first[i] > first[i + 1]) return -1;
    return 0;
}

int route_transit_open(const region *r, route_transit *t, fk_err *e)
{
    memset(t, 0, sizeof *t);
    const region_section_entry *sh = region_section(r, ROUTE_SEC_TRANSIT_HEADER);
    if (!sh)
        return err_set(e, FK_ENOTFOUND, "the snapshot has no transit timetable: rebuild it "
                       "with this version of `flyttkarta build`");
    if (sh->elem_size != sizeof(route_transit_header) || sh->count != 1)
        TT_BAD("header section has the wrong size");
    memcpy(&t->h, region_section_data(r, sh), sizeof t->h);
    const route_transit_header *h = &t->h;
    if (h->version != ROUTE_TRANSIT_VERSION)
        TT_BAD("version %u, this program reads %u", h->version, ROUTE_TRANSIT_VERSION);
    if (h->n_stops != r->n_stops || h->n_feed_trips != r->n_trips ||
        h->n_services != r->n_services)
        TT_BAD("built for %u stops, %u trips, %u services; the snapshot has %zu, %zu, %zu",
               h->n_stops, h->n_feed_trips, h->n_services, r->n_stops, r->n_trips,
               r->n_services);
    const size_t counts[ROUTE_TT_N_ARRAYS] = {
        h->n_routes, h->n_route_stops, h->n_route_stops, h->n_times, h->n_trips,
        (size_t)h->n_stops + 1, h->n_stop_routes, (size_t)h->n_stops + 1, h->n_footpaths,
        h->n_stops, (size_t)h->n_routes + 1, h->n_trip_tx};
    const void *data[ROUTE_TT_N_ARRAYS];
    for (int i = 0; i < ROUTE_TT_N_ARRAYS; i++) {
        const region_section_entry *s = region_section(r, ROUTE_SEC_TRANSIT_ROUTES + (uint32_t)i);
        if (!s) TT_BAD("section %d missing", ROUTE_SEC_TRANSIT_ROUTES + i);
        if (s->elem_size != tt_elem_size[i] || s->count != counts[i])
            TT_BAD("section %d has %llu records of %u bytes, expected %zu of %u",
                   ROUTE_SEC_TRANSIT_ROUTES + i, (unsigned long long)s->count, s->elem_size,
                   counts[i], tt_elem_size[i]);
        data[i] = region_section_data(r, s);
    }
    t->routes = data[A_ROUTES];
    t->route_stops = data[A_RSTOPS];
    t->route_flags = data[A_RFLAGS];
    t->times = data[A_TIMES];
    t->trips = data[A_TRIPS];
    t->stop_first = data[A_SFIRST];
    t->stop_routes = data[A_SROUTES];
    t->fp_first = data[A_FPFIRST];
    t->footpaths = data[A_FP];
    t->change_s = data[A_CHANGE];
    t->tx_first = data[A_TXFIRST];
    t->trip_tx = data[A_TX];
    route_transit_feed *f = &t->feed;
    f->strings = r->strings;
    f->strings_len = r->strings_len;
    f->stops = r->stops;
    f->n_stops = r->n_stops;
    f->routes = r->routes;
    f->n_routes = r->n_routes;
    f->trips = r->trips;
    f->n_trips = r->n_trips;
    f->stop_times = r->stop_times;
    f->n_stop_times = r->n_stop_times;
    f->services = r->services;
    f->n_services = r->n_services;
    f->service_bits = r->service_bits;
    f->n_service_bits = r->n_service_bits;
    /* routes cover their stops, trips and times contiguously, in order */
    uint64_t o_stop = 0, o_trip = 0, o_time = 0;
    for (uint32_t i = 0; i < h->n_routes; i++) {
        const route_tt_route *R = &t->routes[i];
        if (R->first_stop != o_stop || R->first_trip != o_trip || R->first_time != o_time ||
            R->n_stops < 2 || R->n_trips < 1 || R->n_stops > 65536 || R->base_s < 0 ||
            R->base_s > (int32_t)ROUTE_TRANSIT_MAX_TIME_S || R->span_s > 65535 ||
            R->gtfs_route >= r->n_routes)
            TT_BAD("route %u invalid", i);
        o_stop += R->n_stops;
        o_trip += R->n_trips;
        o_time += 2ull * R->n_stops * R->n_trips;
        if (o_stop > h->n_route_stops || o_trip > h->n_trips || o_time > h->n_times)
            TT_BAD("route %u exceeds the arrays", i);
        for (uint32_t k = 0; k < R->n_trips; k++) {
            const route_tt_trip *T = &t->trips[R->first_trip + k];
            if (T->route != i || T->trip >= r->n_trips || T->service >= r->n_services ||
                r->trips[T->trip].n_stop_times != R->n_stops ||
                (uint64_t)r->trips[T->trip].first_stop_time + R->n_stops > r->n_stop_times)
                TT_BAD("trip %u of route %u invalid", R->first_trip + k, i);
        }
    }
    if (o_stop != h->n_route_stops || o_trip != h->n_trips || o_time != h->n_times)
        TT_BAD("routes do not cover the arrays");
    for (uint32_t i = 0; i < h->n_route_stops; i++)
        if (t->route_stops[i] >= h->n_stops) TT_BAD("route stop %u out of range", i);
    if (tt_check_first(t->stop_first, h->n_stops, h->n_stop_routes))
        TT_BAD("stop index offsets invalid");
    for (uint32_t i = 0; i < h->n_stop_routes; i++)
        if (t->stop_routes[i].route >= h->n_routes ||
            t->stop_routes[i].pos >= t->routes[t->stop_routes[i].route].n_stops)
            TT_BAD("stop index entry %u invalid", i);
    if (tt_check_first(t->fp_first, h->n_stops, h->n_footpaths))
        TT_BAD("footpath offsets invalid");
    for (uint32_t i = 0; i < h->n_footpaths; i++)
        if (t->footpaths[i].to >= h->n_stops) TT_BAD("footpath %u invalid", i);
    if (tt_check_first(t->tx_first, h->n_routes, h->n_trip_tx))
        TT_BAD("trip transfer offsets invalid");
    for (uint32_t r0 = 0; r0 < h->n_routes; r0++)
        for (uint32_t i = t->tx_first[r0]; i < t->tx_first[r0 + 1]; i++) {
            const route_tt_trip_tx *x = &t->trip_tx[i];
            const route_tt_route *R = &t->routes[r0];
            if (x->from_trip < R->first_trip || x->from_trip - R->first_trip >= R->n_trips ||
                x->from_pos >= R->n_stops || x->to_route >= h->n_routes ||
                x->to_trip >= h->n_trips || t->trips[x->to_trip].route != x->to_route ||
                x->to_pos >= t->routes[x->to_route].n_stops ||
                (i > t->tx_first[r0] && t->trip_tx[i - 1].from_pos > x->from_pos))
                TT_BAD("trip transfer %u invalid", i);
        }
    return 0;
}
