/*
 * transit_point.c: public transport from a point to targets (see
 * transit_point.h and docs/transit.md, "From a point").
 *
 * Design: route_tp_open snaps every stop to the walk graph and computes,
 * per served stop, the egress walks to every home, job and POI within the
 * walk cap (one bounded walking Dijkstra per stop, targets found through a
 * node-sorted attachment array and a road-sorted array for the shared
 * segment rule). A query is then: one bounded access search from the
 * point, RAPTOR (or range-RAPTOR) from the stops it reaches, and a scan of
 * the egress lists of the stops RAPTOR reached.
 *
 * Range propagation: range-RAPTOR records, per stop, the departures where
 * its arrival changed (processed from the latest departure to the
 * earliest, arrivals only improve). Those change points are bucketed by
 * departure (a counting sort), replayed in the same order over the egress
 * lists, and every target keeps its own change points; best, median and
 * worst then follow exactly as raptor.c computes them for stops, with the
 * direct walk as a constant alternative.
 */
#include "transit_point.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/mem.h"
#include "../base/vec.h"

#define TP_NONE UINT32_MAX

static double tp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint32_t tp_ds_to_s(uint32_t ds)
{
    return ds / 10 + (ds % 10 != 0);
}

/* Direct walk along road rd from frac fa to frac fb (engine.c's rule):
 * 1 and *t_ds when allowed. */
static int tp_direct(const region_road *rd, double fa, double fb, uint32_t *t_ds)
{
    route_partial pa = route_snap_partial(rd, MODE_WALK, fa);
    route_partial pb = route_snap_partial(rd, MODE_WALK, fb);
    if (fb > fa) {
        if (!pa.fwd) return 0;
        *t_ds = pb.from_ds - pa.from_ds;
    } else if (fb < fa) {
        if (!pa.bwd) return 0;
        *t_ds = pa.from_ds - pb.from_ds;
    } else {
        if (!pa.fwd && !pa.bwd) return 0;
        *t_ds = 0;
    }
    return 1;
}

static int tp_attach_cmp(const void *pa, const void *pb)
{
    const route_tp_attach *a = pa, *b = pb;
    if (a->node != b->node) return a->node < b->node ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int tp_walk_cmp(const void *pa, const void *pb)
{
    const route_tp_walk *a = pa, *b = pb;
    if (a->walk_ds != b->walk_ds) return a->walk_ds < b->walk_ds ? -1 : 1;
    return (a->target > b->target) - (a->target < b->target);
}

typedef struct tp_road_id {
    uint32_t road, id;
} tp_road_id;

static int tp_road_cmp(const void *pa, const void *pb)
{
    const tp_road_id *a = pa, *b = pb;
    if (a->road != b->road) return a->road < b->road ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* First entry of a node-sorted attachment array with node >= v. */
static size_t tp_attach_lower(const route_tp_attach *a, size_t n, uint32_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].node < v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The walk-mode spot of target t (homes, jobs, pois in a row). */
static const route_engine_spot *tp_spot(const route_tp_index *x, uint32_t t)
{
    int set = t >= x->set_first[ENGINE_POIS] ? ENGINE_POIS
            : t >= x->set_first[ENGINE_JOBS] ? ENGINE_JOBS : ENGINE_HOMES;
    return &x->eng->spots[set][MODE_WALK][t - x->set_first[set]];
}

int route_tp_target_set(const route_tp_index *x, uint32_t target, route_engine_set *set,
                        uint32_t *i)
{
    if (target >= x->n_targets) return -1;
    int k = target >= x->set_first[ENGINE_POIS] ? ENGINE_POIS
          : target >= x->set_first[ENGINE_JOBS] ? ENGINE_JOBS : ENGINE_HOMES;
    *set = (route_engine_set)k;
    *i = target - x->set_first[k];
    return 0;
}

void route_tp_close(route_tp_index *x)
{
    if (!x) return;
    mem_free(x->stop);
    mem_free(x->eg_first);
    mem_free(x->eg);
    mem_free(x->stop_arr);
    mem_free(x->stop_dep);
    mem_free(x->tgt_arr);
    mem_free(x->stop_by_road);
    mem_free(x->tgt_by_road);
    memset(x, 0, sizeof *x);
}

/* Snaps the stops and builds the attachment and road arrays. */
static int tp_open_stops(route_tp_index *x, fk_err *e)
{
    const route_engine *eng = x->eng;
    const route_snapper *sn = &eng->near.snap;
    const route_transit *tt = x->tt;
    uint32_t ns = x->n_stops;
    x->stop = mem_calloc(ns ? ns : 1, sizeof *x->stop);
    x->stop_arr = mem_calloc(2 * (size_t)ns + 1, sizeof *x->stop_arr);
    x->stop_dep = mem_calloc(2 * (size_t)ns + 1, sizeof *x->stop_dep);
    x->stop_by_road = mem_calloc((size_t)ns + 1, sizeof *x->stop_by_road);
    if (!x->stop || !x->stop_arr || !x->stop_dep || !x->stop_by_road)
        return err_set(e, FK_ENOMEM, "transit from a point: out of memory for %u stops", ns);
    for (uint32_t s = 0; s < ns; s++) {
        route_tp_stop *st = &x->stop[s];
        st->road = REGION_NONE;
        if (tt->stop_first[s] == tt->stop_first[s + 1]) continue;   /* not served */
        x->n_served_stops++;
        route_snap_result sr;
        if (route_snap(sn, MODE_WALK, tt->feed.stops[s].pos, ROUTE_TRANSIT_SNAP_M, &sr, NULL))
            continue;
        x->n_snapped_stops++;
        st->road = sr.road;
        st->frac = sr.frac;
        st->access_ds = (uint32_t)lround(sr.dist_m / ROUTE_TRANSIT_WALK_MPS * 10.0);
        st->n_dep = (uint8_t)route_snap_depart(sn, MODE_WALK, &sr, st->dep_node, st->dep_ds, NULL);
        st->n_arr = (uint8_t)route_snap_arrive(sn, MODE_WALK, &sr, st->arr_node, st->arr_ds, NULL);
        for (int k = 0; k < st->n_dep; k++) {
            st->dep_ds[k] += st->access_ds;
            x->stop_dep[x->n_stop_dep++] = (route_tp_attach){st->dep_node[k], s, st->dep_ds[k]};
        }
        for (int k = 0; k < st->n_arr; k++) {
            st->arr_ds[k] += st->access_ds;
            x->stop_arr[x->n_stop_arr++] = (route_tp_attach){st->arr_node[k], s, st->arr_ds[k]};
        }
        x->stop_by_road[x->n_stop_by_road++] = s;
    }
    if (x->n_stop_arr > 1) qsort(x->stop_arr, x->n_stop_arr, sizeof *x->stop_arr, tp_attach_cmp);
    if (x->n_stop_dep > 1) qsort(x->stop_dep, x->n_stop_dep, sizeof *x->stop_dep, tp_attach_cmp);
    /* stop_by_road: sort (road, stop) pairs */
    tp_road_id *tmp = mem_calloc((size_t)x->n_stop_by_road + 1, sizeof *tmp);
    if (!tmp) return err_set(e, FK_ENOMEM, "transit from a point: out of memory");
    for (uint32_t i = 0; i < x->n_stop_by_road; i++)
        tmp[i] = (tp_road_id){x->stop[x->stop_by_road[i]].road, x->stop_by_road[i]};
    if (x->n_stop_by_road > 1) qsort(tmp, x->n_stop_by_road, sizeof *tmp, tp_road_cmp);
    for (uint32_t i = 0; i < x->n_stop_by_road; i++) x->stop_by_road[i] = tmp[i].id;
    mem_free(tmp);
    return 0;
}

static int tp_open_targets(route_tp_index *x, fk_err *e)
{
    uint32_t nt = x->n_targets;
    x->tgt_arr = mem_calloc(2 * (size_t)nt + 1, sizeof *x->tgt_arr);
    x->tgt_by_road = mem_calloc((size_t)nt + 1, sizeof *x->tgt_by_road);
    tp_road_id *tmp = mem_calloc((size_t)nt + 1, sizeof *tmp);
    if (!x->tgt_arr || !x->tgt_by_road || !tmp) {
        mem_free(tmp);
        return err_set(e, FK_ENOMEM, "transit from a point: out of memory for %u places", nt);
    }
    for (uint32_t t = 0; t < nt; t++) {
        const route_engine_spot *sp = tp_spot(x, t);
        if (sp->road == REGION_NONE) continue;
        for (int k = 0; k < sp->n_arr; k++)
            x->tgt_arr[x->n_tgt_arr++] = (route_tp_attach){sp->arr_node[k], t, sp->arr_ds[k]};
        tmp[x->n_tgt_by_road++] = (tp_road_id){sp->road, t};
    }
    if (x->n_tgt_arr > 1) qsort(x->tgt_arr, x->n_tgt_arr, sizeof *x->tgt_arr, tp_attach_cmp);
    if (x->n_tgt_by_road > 1) qsort(tmp, x->n_tgt_by_road, sizeof *tmp, tp_road_cmp);
    for (uint32_t i = 0; i < x->n_tgt_by_road; i++) x->tgt_by_road[i] = tmp[i].id;
    mem_free(tmp);
    return 0;
}

/* Road of target t, for tp_road_lower over tgt_by_road. */
static uint32_t tp_tgt_road(const route_tp_index *x, uint32_t t)
{
    return tp_spot(x, t)->road;
}

/* Targets on road rd: [*lo, *hi) of tgt_by_road. */
static void tp_tgt_on_road(const route_tp_index *x, uint32_t rd, size_t *lo, size_t *hi)
{
    size_t a = 0, b = x->n_tgt_by_road;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (tp_tgt_road(x, x->tgt_by_road[mid]) < rd) a = mid + 1;
        else b = mid;
    }
    *lo = a;
    while (a < x->n_tgt_by_road && tp_tgt_road(x, x->tgt_by_road[a]) == rd) a++;
    *hi = a;
}

/* Egress lists: one bounded walk search per snapped served stop. */
static int tp_open_egress(route_tp_index *x, fk_err *e)
{
    const route_engine *eng = x->eng;
    const route_graph *g = &eng->near.fwd[MODE_WALK];
    const region_road *roads = eng->r->roads;
    uint32_t ns = x->n_stops, nt = x->n_targets, cap_ds = x->max_walk_s * 10;
    VEC(route_tp_walk) eg = {0};
    route_search srch;
    memset(&srch, 0, sizeof srch);
    uint32_t *best = mem_alloc(((size_t)nt + 1) * sizeof *best);
    uint32_t *list = mem_alloc(((size_t)nt + 1) * sizeof *list);
    x->eg_first = mem_calloc((size_t)ns + 1, sizeof *x->eg_first);
    int rc = 0;
    if (!best || !list || !x->eg_first || route_search_init(&srch, g->n_nodes)) goto nomem;
    for (uint32_t t = 0; t < nt; t++) best[t] = ROUTE_INF;
    for (uint32_t s = 0; s < ns; s++) {
        x->eg_first[s] = (uint32_t)eg.n;
        const route_tp_stop *st = &x->stop[s];
        if (st->road == REGION_NONE) continue;
        uint32_t n_list = 0;
        route_dijkstra(g, st->dep_node, st->dep_ds, st->n_dep, cap_ds, ROUTE_INF, &srch);
        for (size_t k = 0; k < srch.n_touched; k++) {
            uint32_t v = srch.touched[k], dv = srch.dist[v];
            if (dv > cap_ds) continue;
            for (size_t a = tp_attach_lower(x->tgt_arr, x->n_tgt_arr, v);
                 a < x->n_tgt_arr && x->tgt_arr[a].node == v; a++) {
                uint32_t t = x->tgt_arr[a].id, c = dv + x->tgt_arr[a].ds;
                if (c > cap_ds || c >= best[t]) continue;
                if (best[t] == ROUTE_INF) list[n_list++] = t;
                best[t] = c;
            }
        }
        size_t lo, hi;
        tp_tgt_on_road(x, st->road, &lo, &hi);
        for (size_t k = lo; k < hi; k++) {
            uint32_t t = x->tgt_by_road[k], d;
            if (!tp_direct(&roads[st->road], st->frac, tp_spot(x, t)->frac, &d)) continue;
            d += st->access_ds;
            if (d > cap_ds || d >= best[t]) continue;
            if (best[t] == ROUTE_INF) list[n_list++] = t;
            best[t] = d;
        }
        if (vec_reserve(eg, eg.n + n_list)) goto nomem;
        size_t first = eg.n;
        for (uint32_t k = 0; k < n_list; k++) {
            eg.v[eg.n++] = (route_tp_walk){list[k], best[list[k]]};
            best[list[k]] = ROUTE_INF;
        }
        if (n_list > 1) qsort(eg.v + first, n_list, sizeof *eg.v, tp_walk_cmp);
        if (eg.n > UINT32_MAX) {
            rc = err_set(e, FK_ETOOBIG, "transit from a point: more than 2^32 egress walks");
            goto done;
        }
    }
    x->eg_first[ns] = (uint32_t)eg.n;
    x->n_egress = eg.n;
    x->eg = eg.v;
    eg.v = NULL;
    goto done;
nomem:
    rc = err_set(e, FK_ENOMEM, "transit from a point: out of memory for the egress walks");
done:
    vec_free(eg);
    route_search_free(&srch);
    mem_free(best);
    mem_free(list);
    return rc;
}

int route_tp_open(route_tp_index *x, const route_engine *eng, const route_transit *tt,
                  uint32_t max_walk_s, fk_err *e)
{
    double t0 = tp_now_ms();
    memset(x, 0, sizeof *x);
    x->eng = eng;
    x->tt = tt;
    x->max_walk_s = max_walk_s ? max_walk_s : ROUTE_TP_DEFAULT_WALK_S;
    if (x->max_walk_s > ROUTE_TP_MAX_WALK_S)
        return err_set(e, FK_EINVAL, "transit from a point: walk cap %u s is above %u s",
                       x->max_walk_s, ROUTE_TP_MAX_WALK_S);
    if (tt->h.n_stops != eng->r->n_stops || eng->near.fwd[MODE_WALK].n_nodes != eng->r->n_road_nodes)
        return err_set(e, FK_EINVAL, "transit from a point: the timetable (%u stops) and the "
                       "routing engine (%zu stops) are not of the same region", tt->h.n_stops,
                       eng->r->n_stops);
    x->n_stops = tt->h.n_stops;
    uint64_t nt = 0;
    for (int set = 0; set < ENGINE_SET_COUNT; set++) {
        x->set_first[set] = (uint32_t)nt;
        nt += eng->n_set[set];
    }
    if (nt >= UINT32_MAX / 2)
        return err_set(e, FK_ETOOBIG, "transit from a point: %llu places", (unsigned long long)nt);
    x->set_first[ENGINE_SET_COUNT] = (uint32_t)nt;
    x->n_targets = (uint32_t)nt;
    int rc = tp_open_stops(x, e);
    if (!rc) rc = tp_open_targets(x, e);
    if (!rc) rc = tp_open_egress(x, e);
    if (rc) {
        route_tp_close(x);
        return rc;
    }
    x->open_ms = tp_now_ms() - t0;
    return 0;
}

/* ---- scratch ---- */

void route_tp_scratch_free(route_tp_scratch *s)
{
    if (!s) return;
    route_raptor_free(&s->rap);
    route_search_free(&s->walk);
    void *p[] = {s->orig, s->stop_ds, s->pt_eg_ds, s->pt_eg_list, s->direct_s, s->direct_list, s->arr_s,
                 s->best_stop, s->best, s->median, s->worst, s->touched, s->tmark, s->ev_first,
                 s->ev, s->tsteps, s->tseg_n, s->tchg, s->iso_node, s->iso_ds};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) mem_free(p[i]);
    memset(s, 0, sizeof *s);
}

int route_tp_scratch_init(route_tp_scratch *s, const route_tp_index *x, uint32_t max_steps,
                          fk_err *e)
{
    memset(s, 0, sizeof *s);
    s->n_targets = x->n_targets;
    s->n_stops = x->n_stops;
    s->max_steps = max_steps;
    size_t nt = (size_t)x->n_targets + 1, ns = x->n_stops ? x->n_stops : 1;
    size_t tsteps_n = 0, ev_n = 0;
    if (max_steps > 65535 || mem_mul_ok(nt, 2 * (size_t)max_steps, &tsteps_n) ||
        mem_mul_ok(ns, 2 * (size_t)max_steps, &ev_n))
        return err_set(e, FK_ENOMEM, "transit from a point: scratch for %u departures is too "
                       "large", max_steps);
    int rc = route_raptor_init(&s->rap, x->tt, max_steps, e);
    if (rc) return rc;
    if (route_search_init(&s->walk, x->eng->near.fwd[MODE_WALK].n_nodes)) goto nomem;
    s->orig = mem_alloc(ns * sizeof *s->orig);
    s->stop_ds = mem_alloc(ns * sizeof *s->stop_ds);
    s->pt_eg_ds = mem_alloc(ns * sizeof *s->pt_eg_ds);
    s->pt_eg_list = mem_alloc(ns * sizeof *s->pt_eg_list);
    s->direct_s = mem_alloc(nt * sizeof *s->direct_s);
    s->direct_list = mem_alloc(nt * sizeof *s->direct_list);
    s->arr_s = mem_alloc(nt * sizeof *s->arr_s);
    s->best_stop = mem_alloc(nt * sizeof *s->best_stop);
    s->best = mem_alloc(nt * sizeof *s->best);
    s->median = mem_alloc(nt * sizeof *s->median);
    s->worst = mem_alloc(nt * sizeof *s->worst);
    s->touched = mem_alloc(nt * sizeof *s->touched);
    s->tmark = mem_calloc(nt, 1);
    s->tchg = mem_alloc(nt * sizeof *s->tchg);
    s->iso_node = mem_alloc((2 * ns + 2) * sizeof *s->iso_node);
    s->iso_ds = mem_alloc((2 * ns + 2) * sizeof *s->iso_ds);
    if (!s->iso_node || !s->iso_ds || !s->orig || !s->stop_ds || !s->pt_eg_ds || !s->pt_eg_list || !s->direct_s || !s->direct_list ||
        !s->arr_s || !s->best_stop || !s->best || !s->median || !s->worst || !s->touched ||
        !s->tmark || !s->tchg)
        goto nomem;
    if (max_steps) {
        s->ev_first = mem_calloc((size_t)max_steps + 2, sizeof *s->ev_first);
        s->ev = mem_alloc(ev_n * sizeof *s->ev);
        s->ev_cap = ev_n / 2;
        s->tsteps = mem_alloc(tsteps_n * sizeof *s->tsteps);
        s->tseg_n = mem_calloc(nt, sizeof *s->tseg_n);
        if (!s->ev_first || !s->ev || !s->tsteps || !s->tseg_n) goto nomem;
    }
    for (size_t i = 0; i < ns; i++) s->pt_eg_ds[i] = s->stop_ds[i] = ROUTE_INF;
    for (size_t i = 0; i < nt; i++) {
        s->direct_s[i] = s->arr_s[i] = s->best[i] = s->median[i] = s->worst[i] = ROUTE_TP_NO_TIME;
        s->best_stop[i] = TP_NONE;
    }
    s->pt_direct_ds = ROUTE_INF;
    return 0;
nomem:
    route_tp_scratch_free(s);
    return err_set(e, FK_ENOMEM, "transit from a point: out of memory for the query scratch");
}

/* ---- the free point target ---- */

static void tp_clear_point(route_tp_scratch *s)
{
    for (uint32_t k = 0; k < s->n_pt_eg; k++) s->pt_eg_ds[s->pt_eg_list[k]] = ROUTE_INF;
    s->n_pt_eg = 0;
    s->point_set = 0;
}

static int tp_snap(const route_tp_index *x, geo_point p, route_snap_result *sr, fk_err *e)
{
    return route_engine_snap(x->eng, MODE_WALK, p, sr, e);
}

int route_tp_set_point(const route_tp_index *x, route_tp_scratch *s, const geo_point *p,
                       fk_err *e)
{
    tp_clear_point(s);
    if (!p) return 0;
    route_snap_result sr;
    int rc = tp_snap(x, *p, &sr, e);
    if (rc) return rc;
    const route_engine *eng = x->eng;
    uint32_t node[2], tds[2], cap_ds = x->max_walk_s * 10;
    size_t k = route_snap_arrive(&eng->near.snap, MODE_WALK, &sr, node, tds, NULL);
    route_dijkstra(&eng->bwd[MODE_WALK], node, tds, k, cap_ds, ROUTE_INF, &s->walk);
    for (size_t i = 0; i < s->walk.n_touched; i++) {
        uint32_t v = s->walk.touched[i], dv = s->walk.dist[v];
        if (dv > cap_ds) continue;
        for (size_t a = tp_attach_lower(x->stop_dep, x->n_stop_dep, v);
             a < x->n_stop_dep && x->stop_dep[a].node == v; a++) {
            uint32_t st = x->stop_dep[a].id, c = dv + x->stop_dep[a].ds;
            if (c > cap_ds || c >= s->pt_eg_ds[st]) continue;
            if (s->pt_eg_ds[st] == ROUTE_INF) s->pt_eg_list[s->n_pt_eg++] = st;
            s->pt_eg_ds[st] = c;
        }
    }
    /* stops on the point's own road */
    size_t lo = 0, hi = x->n_stop_by_road;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->stop[x->stop_by_road[mid]].road < sr.road) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < x->n_stop_by_road && x->stop[x->stop_by_road[lo]].road == sr.road; lo++) {
        uint32_t st = x->stop_by_road[lo], d;
        if (!tp_direct(&eng->r->roads[sr.road], x->stop[st].frac, sr.frac, &d)) continue;
        d += x->stop[st].access_ds;
        if (d > cap_ds || d >= s->pt_eg_ds[st]) continue;
        if (s->pt_eg_ds[st] == ROUTE_INF) s->pt_eg_list[s->n_pt_eg++] = st;
        s->pt_eg_ds[st] = d;
    }
    s->point_set = 1;
    s->point = *p;
    s->point_snap = sr;
    return 0;
}

/* ---- queries ---- */

static void tp_reset_targets(route_tp_scratch *s)
{
    for (uint32_t k = 0; k < s->n_touched; k++) {
        uint32_t t = s->touched[k];
        s->arr_s[t] = s->best[t] = s->median[t] = s->worst[t] = ROUTE_TP_NO_TIME;
        s->best_stop[t] = TP_NONE;
        s->tmark[t] = 0;
        if (s->tseg_n) s->tseg_n[t] = 0;
    }
    s->n_touched = 0;
    for (uint32_t k = 0; k < s->n_direct; k++) s->direct_s[s->direct_list[k]] = ROUTE_TP_NO_TIME;
    s->n_direct = 0;
}

static void tp_touch(route_tp_scratch *s, uint32_t t)
{
    if (!(s->tmark[t] & 1)) {
        s->tmark[t] |= 1;
        s->touched[s->n_touched++] = t;
    }
}

static void tp_set_direct(route_tp_scratch *s, uint32_t t, uint32_t ds, uint32_t cap_ds)
{
    if (ds > cap_ds) return;
    uint32_t w = tp_ds_to_s(ds);
    if (w >= s->direct_s[t]) return;
    if (s->direct_s[t] == ROUTE_TP_NO_TIME) s->direct_list[s->n_direct++] = t;
    s->direct_s[t] = w;
}

/* Keeps the smallest access walk (ds) of stop st in orig. */
static void tp_set_origin(route_tp_scratch *s, uint32_t st, uint32_t ds, uint32_t cap_ds)
{
    if (ds > cap_ds) return;
    uint32_t k = s->stop_ds[st];
    if (k == ROUTE_INF) {
        s->stop_ds[st] = (uint32_t)s->n_orig;
        s->orig[s->n_orig++] = (route_raptor_origin){st, ds};
    } else if (ds < s->orig[k].walk_s) {
        s->orig[k].walk_s = ds;
    }
}

/* Checks q, snaps the start, runs the access search: fills s->orig and the
 * direct walks. */
static int tp_access(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                     fk_err *e)
{
    const route_engine *eng = x->eng;
    if (q->max_walk_s > ROUTE_TP_MAX_WALK_S)
        return err_set(e, FK_EINVAL, "transit: maximum walk %u s is above %u s", q->max_walk_s,
                       ROUTE_TP_MAX_WALK_S);
    if (q->max_duration_s > 65534)
        return err_set(e, FK_EINVAL, "transit: maximum duration %u s is above 65534 s",
                       q->max_duration_s);
    s->max_walk_s = q->max_walk_s ? q->max_walk_s : ROUTE_TP_DEFAULT_WALK_S;
    if (s->max_walk_s > x->max_walk_s) s->max_walk_s = x->max_walk_s;
    s->max_duration_s = q->max_duration_s ? q->max_duration_s : ROUTE_RAPTOR_MAX_DURATION_S;
    route_snap_result sr;
    int rc = tp_snap(x, q->from, &sr, e);
    if (rc) return rc;
    s->from_snap = sr;
    tp_reset_targets(s);
    uint32_t cap_ds = s->max_walk_s * 10, node[2], tds[2];
    size_t k = route_snap_depart(&eng->near.snap, MODE_WALK, &sr, node, tds, NULL);
    route_dijkstra(&eng->near.fwd[MODE_WALK], node, tds, k, cap_ds, ROUTE_INF, &s->walk);
    /* stops: the smallest walk per stop in stop_ds, listed in orig */
    s->n_orig = 0;
    for (size_t i = 0; i < s->walk.n_touched; i++) {
        uint32_t v = s->walk.touched[i], dv = s->walk.dist[v];
        if (dv > cap_ds) continue;
        for (size_t a = tp_attach_lower(x->stop_arr, x->n_stop_arr, v);
             a < x->n_stop_arr && x->stop_arr[a].node == v; a++) {
            tp_set_origin(s, x->stop_arr[a].id, dv + x->stop_arr[a].ds, cap_ds);
        }
        for (size_t a = tp_attach_lower(x->tgt_arr, x->n_tgt_arr, v);
             a < x->n_tgt_arr && x->tgt_arr[a].node == v; a++) {
            tp_set_direct(s, x->tgt_arr[a].id, dv + x->tgt_arr[a].ds, cap_ds);
        }
    }
    const region_road *rd = &eng->r->roads[sr.road];
    size_t lo = 0, hi = x->n_stop_by_road;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->stop[x->stop_by_road[mid]].road < sr.road) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < x->n_stop_by_road && x->stop[x->stop_by_road[lo]].road == sr.road; lo++) {
        uint32_t st = x->stop_by_road[lo], d;
        if (!tp_direct(rd, sr.frac, x->stop[st].frac, &d)) continue;
        d += x->stop[st].access_ds;
        tp_set_origin(s, st, d, cap_ds);
    }
    size_t tlo, thi;
    tp_tgt_on_road(x, sr.road, &tlo, &thi);
    for (size_t i = tlo; i < thi; i++) {
        uint32_t t = x->tgt_by_road[i], d;
        if (tp_direct(rd, sr.frac, tp_spot(x, t)->frac, &d)) tp_set_direct(s, t, d, cap_ds);
    }
    if (s->point_set) {
        uint32_t P = x->n_targets, best = ROUTE_INF;
        uint32_t an[2], ad[2];
        size_t ka = route_snap_arrive(&eng->near.snap, MODE_WALK, &s->point_snap, an, ad, NULL);
        for (size_t i = 0; i < ka; i++)
            if (s->walk.dist[an[i]] != ROUTE_INF && s->walk.dist[an[i]] + ad[i] < best)
                best = s->walk.dist[an[i]] + ad[i];
        uint32_t d;
        if (s->point_snap.road == sr.road && tp_direct(rd, sr.frac, s->point_snap.frac, &d) &&
            d < best)
            best = d;
        tp_set_direct(s, P, best, cap_ds);
    }
    /* origins in seconds; stop_ds back to ROUTE_INF */
    for (size_t i = 0; i < s->n_orig; i++) {
        s->stop_ds[s->orig[i].stop] = ROUTE_INF;
        s->orig[i].walk_s = tp_ds_to_s(s->orig[i].walk_s);
    }
    s->n_access_stops = (uint32_t)s->n_orig;
    return 0;
}

static int tp_check_day(const route_tp_index *x, int32_t day, fk_err *e)
{
    (void)x;
    if (day < 0 || day > 200000)
        return err_set(e, FK_EINVAL, "transit: day %d out of range", day);
    return 0;
}

int route_tp_depart(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                    fk_err *e)
{
    if (q->time_s < 0 || q->time_s >= (int32_t)(2 * ROUTE_TRANSIT_DAY_S))
        return err_set(e, FK_EINVAL, "transit: departure %d s out of range (0..172799)",
                       q->time_s);
    int rc = tp_check_day(x, q->day, e);
    if (rc) return rc;
    s->kind = 0;
    double t0 = tp_now_ms();
    rc = tp_access(x, s, q, e);
    if (rc) return rc;
    double t1 = tp_now_ms();
    route_raptor_opts o = {s->max_duration_s, s->max_walk_s, 0};
    rc = route_raptor_query(&s->rap, q->day, q->time_s, s->orig, s->n_orig, &o, e);
    if (rc) return rc;
    double t2 = tp_now_ms();
    const uint32_t dep = (uint32_t)q->time_s, lim = dep + s->max_duration_s;
    const uint32_t cap_ds = s->max_walk_s * 10, P = x->n_targets;
    for (uint32_t k = 0; k < s->rap.n_seen; k++) {
        uint32_t st = s->rap.seen_list[k];
        int32_t a = route_raptor_arrival_s(&s->rap, st);
        if (a == ROUTE_RAPTOR_UNREACHED) continue;
        for (uint32_t j = x->eg_first[st]; j < x->eg_first[st + 1]; j++) {
            const route_tp_walk *w = &x->eg[j];
            if (w->walk_ds > cap_ds) break;
            uint32_t c = (uint32_t)a + tp_ds_to_s(w->walk_ds);
            if (c > lim || c >= s->arr_s[w->target]) continue;
            tp_touch(s, w->target);
            s->arr_s[w->target] = c;
            s->best_stop[w->target] = st;
        }
        if (s->point_set && s->pt_eg_ds[st] <= cap_ds) {
            uint32_t c = (uint32_t)a + tp_ds_to_s(s->pt_eg_ds[st]);
            if (c <= lim && c < s->arr_s[P]) {
                tp_touch(s, P);
                s->arr_s[P] = c;
                s->best_stop[P] = st;
            }
        }
    }
    for (uint32_t k = 0; k < s->n_direct; k++) {
        uint32_t t = s->direct_list[k], c = dep + s->direct_s[t];
        if (c <= lim && c <= s->arr_s[t]) {
            tp_touch(s, t);
            s->arr_s[t] = c;
            s->best_stop[t] = ROUTE_TP_DIRECT;
        }
    }
    s->kind = 1;
    s->day = q->day;
    s->dep_s = q->time_s;
    s->access_ms = t1 - t0;
    s->raptor_ms = t2 - t1;
    s->propagate_ms = tp_now_ms() - t2;
    return 0;
}

/* Best, median, worst of target t over n departures (raptor.c's rap_stats
 * with the direct walk W as a constant alternative). */
static void tp_stats(route_tp_scratch *s, uint32_t t, uint32_t n, uint32_t step, uint32_t dur)
{
    const uint16_t *row = s->tsteps + (size_t)t * 2 * s->max_steps;
    const uint32_t k_n = s->tseg_n[t];
    uint32_t W = s->direct_s[t];
    if (W > dur) W = UINT32_MAX;
    uint32_t best = W, worst = 0;
    int unreached = 0;
    /* departures above the first change point: only the walk */
    uint32_t top_i = k_n ? row[0] : 0;
    if (k_n == 0 || top_i != n - 1) {
        if (W == UINT32_MAX) unreached = 1;
        else if (W > worst) worst = W;
    }
    for (uint32_t k = 0; k < k_n; k++) {
        uint32_t i = row[2 * k], tt = row[2 * k + 1], jlow = k + 1 < k_n ? row[2 * k + 2] + 1u : 0;
        uint64_t top = tt + (uint64_t)(i - jlow) * step;
        if (tt < best) best = tt;
        uint64_t eff = W < top ? W : top;
        if (eff > dur) unreached = 1;
        else if (eff > worst) worst = (uint32_t)eff;
    }
    s->best[t] = best > dur ? ROUTE_TP_NO_TIME : best;
    s->worst[t] = unreached ? ROUTE_TP_NO_TIME : worst;
    if (s->best[t] == ROUTE_TP_NO_TIME) {
        s->median[t] = ROUTE_TP_NO_TIME;
        return;
    }
    const uint32_t need = n / 2 + 1;
    uint32_t lo = best, hi = dur + 1;
    while (lo < hi) {
        uint32_t v = lo + (hi - lo) / 2, cnt = 0;
        if (W <= v) {
            cnt = n;
        } else {
            for (uint32_t k = 0; k < k_n; k++) {
                uint32_t i = row[2 * k], tt = row[2 * k + 1];
                uint32_t jlow = k + 1 < k_n ? row[2 * k + 2] + 1u : 0, len = i - jlow + 1;
                if (v < tt) continue;
                uint32_t c = (v - tt) / step + 1;
                cnt += c < len ? c : len;
            }
        }
        if (cnt >= need) hi = v;
        else lo = v + 1;
    }
    s->median[t] = lo > dur ? ROUTE_TP_NO_TIME : lo;
}

int route_tp_range(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                   int32_t from_s, int32_t to_s, uint32_t step_s, fk_err *e)
{
    if (!s->max_steps) return err_set(e, FK_EINVAL, "transit: scratch made without range room");
    if (from_s < 0 || to_s < from_s || to_s >= (int32_t)(2 * ROUTE_TRANSIT_DAY_S) || !step_s)
        return err_set(e, FK_EINVAL, "transit: departure window %d..%d s step %u is invalid",
                       from_s, to_s, step_s);
    int rc = tp_check_day(x, q->day, e);
    if (rc) return rc;
    s->kind = 0;
    double t0 = tp_now_ms();
    rc = tp_access(x, s, q, e);
    if (rc) return rc;
    double t1 = tp_now_ms();
    route_raptor_opts o = {s->max_duration_s, s->max_walk_s, 0};
    rc = route_raptor_range(&s->rap, q->day, from_s, to_s, step_s, s->orig, s->n_orig, &o, e);
    if (rc) return rc;
    double t2 = tp_now_ms();
    const route_raptor *R = &s->rap;
    const uint32_t n = R->n_steps_done, cap_ds = s->max_walk_s * 10, P = x->n_targets;
    const uint32_t dur = s->max_duration_s;
    const size_t ms2 = 2 * (size_t)R->max_steps;
    /* bucket the stops' change points by departure */
    memset(s->ev_first, 0, ((size_t)n + 2) * sizeof *s->ev_first);
    for (uint32_t k = 0; k < R->n_seen; k++) {
        uint32_t st = R->seen_list[k];
        if (x->eg_first[st] == x->eg_first[st + 1] && !(s->point_set && s->pt_eg_ds[st] != ROUTE_INF))
            continue;
        const uint16_t *row = R->steps + st * ms2;
        for (uint32_t j = 0; j < R->seg_n[st]; j++) s->ev_first[row[2 * j] + 1]++;
    }
    for (uint32_t i = 0; i < n; i++) s->ev_first[i + 1] += s->ev_first[i];
    for (uint32_t k = 0; k < R->n_seen; k++) {
        uint32_t st = R->seen_list[k];
        if (x->eg_first[st] == x->eg_first[st + 1] && !(s->point_set && s->pt_eg_ds[st] != ROUTE_INF))
            continue;
        const uint16_t *row = R->steps + st * ms2;
        for (uint32_t j = 0; j < R->seg_n[st]; j++) {
            uint32_t i = row[2 * j], pos = s->ev_first[i]++;
            s->ev[2 * (size_t)pos] = st;
            s->ev[2 * (size_t)pos + 1] = (uint32_t)from_s + i * step_s + row[2 * j + 1];
        }
    }
    /* ev_first[i] is now the end of bucket i; bucket i starts at ev_first[i - 1] */
    for (uint32_t i = n; i-- > 0;) {
        uint32_t b = i ? s->ev_first[i - 1] : 0, end = s->ev_first[i], n_chg = 0;
        uint32_t ti = (uint32_t)from_s + i * step_s;
        for (uint32_t p = b; p < end; p++) {
            uint32_t st = s->ev[2 * (size_t)p], a = s->ev[2 * (size_t)p + 1];
            for (uint32_t j = x->eg_first[st]; j < x->eg_first[st + 1]; j++) {
                const route_tp_walk *w = &x->eg[j];
                if (w->walk_ds > cap_ds) break;
                uint32_t c = a + tp_ds_to_s(w->walk_ds), t = w->target;
                if (c >= s->arr_s[t]) continue;
                s->arr_s[t] = c;
                tp_touch(s, t);
                if (!(s->tmark[t] & 2)) {
                    s->tmark[t] |= 2;
                    s->tchg[n_chg++] = t;
                }
            }
            if (s->point_set && s->pt_eg_ds[st] <= cap_ds) {
                uint32_t c = a + tp_ds_to_s(s->pt_eg_ds[st]);
                if (c < s->arr_s[P]) {
                    s->arr_s[P] = c;
                    tp_touch(s, P);
                    if (!(s->tmark[P] & 2)) {
                        s->tmark[P] |= 2;
                        s->tchg[n_chg++] = P;
                    }
                }
            }
        }
        for (uint32_t k = 0; k < n_chg; k++) {
            uint32_t t = s->tchg[k];
            uint16_t *row = s->tsteps + (size_t)t * ms2;
            uint32_t tt = s->arr_s[t] - ti;
            s->tmark[t] &= (uint8_t)~2;
            row[2 * s->tseg_n[t]] = (uint16_t)i;
            row[2 * s->tseg_n[t] + 1] = (uint16_t)(tt > 65535 ? 65535 : tt);
            s->tseg_n[t]++;
        }
    }
    for (uint32_t k = 0; k < s->n_direct; k++) tp_touch(s, s->direct_list[k]);
    for (uint32_t k = 0; k < s->n_touched; k++) tp_stats(s, s->touched[k], n, step_s, dur);
    s->kind = 2;
    s->day = q->day;
    s->from_s = from_s;
    s->to_s = to_s;
    s->step_s = step_s;
    s->n_steps = n;
    s->access_ms = t1 - t0;
    s->raptor_ms = t2 - t1;
    s->propagate_ms = tp_now_ms() - t2;
    return 0;
}

int route_tp_itinerary(const route_tp_index *x, const route_tp_scratch *s, uint32_t t,
                       const char *target_name, route_itinerary *out, fk_err *e)
{
    memset(out, 0, sizeof *out);
    if (s->kind != 1) return err_set(e, FK_EINVAL, "transit: itinerary needs a single departure");
    if (t > x->n_targets || (t == x->n_targets && !s->point_set))
        return err_set(e, FK_EINVAL, "transit: target %u out of range", t);
    if (s->arr_s[t] == ROUTE_TP_NO_TIME)
        return err_set(e, FK_ENOTFOUND, "transit: %s is not reached", *target_name ? target_name
                                                                                 : "the target");
    uint32_t st = s->best_stop[t];
    route_leg *l;
    if (st == ROUTE_TP_DIRECT) {
        out->dep_s = s->dep_s;
        out->arr_s = (int32_t)s->arr_s[t];
        l = &out->legs[out->n_legs++];
    } else {
        int rc = route_raptor_itinerary(&s->rap, st, out, e);
        if (rc) return rc;
        if (out->n_legs >= ROUTE_RAPTOR_MAX_LEGS)
            return err_set(e, FK_EINVAL, "transit: itinerary has too many legs");
        l = &out->legs[out->n_legs++];
        out->arr_s = (int32_t)s->arr_s[t];
    }
    memset(l, 0, sizeof *l);
    l->kind = LEG_WALK;
    l->from_stop = st == ROUTE_TP_DIRECT ? REGION_NONE : st;
    l->to_stop = REGION_NONE;
    l->dep_s = st == ROUTE_TP_DIRECT ? s->dep_s : route_raptor_arrival_s(&s->rap, st);
    l->arr_s = (int32_t)s->arr_s[t];
    l->trip = l->route = REGION_NONE;
    l->line = l->headsign = "";
    l->from_name = st == ROUTE_TP_DIRECT ? "start"
                   : route_transit_str(x->tt, x->tt->feed.stops[st].name);
    l->from_platform = st == ROUTE_TP_DIRECT ? ""
                       : route_transit_str(x->tt, x->tt->feed.stops[st].platform_code);
    l->to_name = target_name ? target_name : "";
    l->to_platform = "";
    return 0;
}

int route_tp_arrive_by(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                       uint32_t t, int32_t deadline_s, int32_t *dep_s, int32_t *arr_s,
                       fk_err *e)
{
    if (t > x->n_targets || (t == x->n_targets && !s->point_set))
        return err_set(e, FK_EINVAL, "transit: target %u out of range", t);
    if (deadline_s < 0 || deadline_s >= (int32_t)(2 * ROUTE_TRANSIT_DAY_S))
        return err_set(e, FK_EINVAL, "transit: arrival deadline %d s out of range (0..172799)",
                       deadline_s);
    uint32_t dur = q->max_duration_s ? q->max_duration_s : ROUTE_RAPTOR_MAX_DURATION_S;
    int32_t lo = deadline_s - (int32_t)dur, hi = deadline_s;   /* answer in [lo, hi] */
    if (lo < 0) lo = 0;
    route_tp_query qq = *q;
    /* is there any answer? the earliest departure arrives earliest */
    qq.time_s = lo;
    int rc = route_tp_depart(x, s, &qq, e);
    if (rc) return rc;
    if (s->arr_s[t] == ROUTE_TP_NO_TIME || (int32_t)s->arr_s[t] > deadline_s)
        return err_set(e, FK_ENOTFOUND, "transit: no departure reaches the target by %02d:%02d",
                       deadline_s / 3600, deadline_s / 60 % 60);
    /* invariant: arrival(lo) <= deadline; find the largest such departure */
    while (lo < hi) {
        int32_t mid = lo + (hi - lo + 1) / 2;
        qq.time_s = mid;
        rc = route_tp_depart(x, s, &qq, e);
        if (rc) return rc;
        if (s->arr_s[t] != ROUTE_TP_NO_TIME && (int32_t)s->arr_s[t] <= deadline_s) lo = mid;
        else hi = mid - 1;
    }
    qq.time_s = lo;
    rc = route_tp_depart(x, s, &qq, e);
    if (rc) return rc;
    *dep_s = lo;
    *arr_s = (int32_t)s->arr_s[t];
    return 0;
}

int route_tp_nearest(const route_tp_index *x, const route_tp_scratch *s, route_amenity k,
                     uint32_t *poi, uint32_t *median_s)
{
    uint32_t best = ROUTE_TP_NO_TIME, bi = TP_NONE;
    if (s->kind != 2 || (unsigned)k >= AMEN_COUNT || k == AMEN_BUS_STOP) return FK_ENOTFOUND;
    const region *r = x->eng->r;
    for (uint32_t i = 0; i < x->eng->n_set[ENGINE_POIS]; i++) {
        uint32_t t = x->set_first[ENGINE_POIS] + i;
        if (s->median[t] < best && route_nearest_poi_is(&r->pois[i], k)) {
            best = s->median[t];
            bi = i;
        }
    }
    if (bi == TP_NONE) return FK_ENOTFOUND;
    *poi = bi;
    *median_s = best;
    return 0;
}

static int tp_place_ok(const route_tp_index *x, route_engine_set set, uint32_t i, int kind)
{
    if (set != ENGINE_POIS || kind < 0) return 1;
    return route_nearest_poi_is(&x->eng->r->pois[i], (route_amenity)kind);
}

int route_tp_commute(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                     int32_t from_s, int32_t to_s, uint32_t step_s, route_engine_set set,
                     int kind, int reverse, uint32_t limit_s, route_engine_target *out,
                     size_t *n_out, fk_err *e)
{
    *n_out = 0;
    if ((unsigned)set >= ENGINE_SET_COUNT)
        return err_set(e, FK_EINVAL, "transit: unknown set %d", (int)set);
    uint32_t n = x->eng->n_set[set];
    int rc;
    if (reverse) {
        rc = route_tp_range(x, s, q, from_s, to_s, step_s, e);
        if (rc) return rc;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t m = s->median[route_tp_target(x, set, i)];
            if (m != ROUTE_TP_NO_TIME && m <= limit_s && tp_place_ok(x, set, i, kind))
                out[(*n_out)++] = (route_engine_target){i, m * 10, ROUTE_INF};
        }
        return 0;
    }
    rc = route_tp_set_point(x, s, &q->from, e);
    if (rc) return rc;
    for (uint32_t i = 0; i < n; i++) {
        if (!tp_place_ok(x, set, i, kind)) continue;
        const route_engine_spot *sp = &x->eng->spots[set][MODE_WALK][i];
        if (sp->road == REGION_NONE) continue;
        route_tp_query qq = *q;
        route_engine_place(x->eng, set, i, &qq.from);
        rc = route_tp_range(x, s, &qq, from_s, to_s, step_s, NULL);
        if (rc == FK_ENOTFOUND) continue;
        if (rc) {
            tp_clear_point(s);
            return err_set(e, rc, "transit: commute from %s %u failed", route_engine_set_name(set),
                           i);
        }
        uint32_t m = s->median[x->n_targets];
        if (m != ROUTE_TP_NO_TIME && m <= limit_s)
            out[(*n_out)++] = (route_engine_target){i, m * 10, ROUTE_INF};
    }
    tp_clear_point(s);
    return 0;
}

int route_tp_isochrone(const route_tp_index *x, route_tp_scratch *s,
                       const route_iso_index *ix, route_iso_scratch *is,
                       const route_tp_query *q, uint32_t limit_ds, const route_iso_opts *o,
                       route_iso_grid *out, fk_err *e)
{
    int rc = route_tp_depart(x, s, q, e);
    if (rc) return rc;
    size_t n = route_snap_depart(&x->eng->near.snap, MODE_WALK, &s->from_snap, s->iso_node,
                                 s->iso_ds, NULL);
    const uint32_t dep = (uint32_t)q->time_s;
    for (uint32_t k = 0; k < s->rap.n_seen; k++) {
        uint32_t st = s->rap.seen_list[k];
        int32_t a = route_raptor_arrival_s(&s->rap, st);
        if (a == ROUTE_RAPTOR_UNREACHED || (uint32_t)a < dep) continue;
        uint64_t ride_ds = ((uint64_t)a - dep) * 10;
        if (ride_ds > limit_ds) continue;
        const route_tp_stop *sp = &x->stop[st];
        if (sp->road == REGION_NONE) continue;
        for (uint32_t j = 0; j < sp->n_dep; j++) {
            s->iso_node[n] = sp->dep_node[j];
            s->iso_ds[n] = (uint32_t)ride_ds + sp->dep_ds[j];
            n++;
        }
    }
    if (n == 0)
        return err_set(e, FK_ENOTFOUND, "transit isochrone: the point reaches no walkable road");
    return route_isochrone_seeded(ix, is, MODE_WALK, q->from, s->iso_node, s->iso_ds, n,
                                  limit_ds, o, out, e);
}
