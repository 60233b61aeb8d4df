/*
 * engine.c: the routing engine facade (engine.h, docs/query.md).
 *
 * Design: everything that can be prepared once is prepared in
 * route_engine_open: the snapshot's graphs, CH and tables are pointed at,
 * and every home, job and POI is snapped to each mode's roads with its
 * departure and arrival nodes and partial times (route_engine_spot), so a
 * commute query is one search plus a linear pass over the places. The
 * per-thread route_engine_scratch holds every buffer a query writes, sized
 * at init for the largest answer, so queries never allocate.
 *
 * Exactness: every time is the minimum over the same candidates the
 * reference (route_dijkstra from the snapped point) considers: the partial
 * times of both ends of the start segment, the partial times of both ends
 * of the end segment, and the direct trip along a shared segment.
 */
#include "engine.h"

#include <string.h>

#include "../base/mem.h"
#include "../base/progress.h"

static const char *engine_set_names[ENGINE_SET_COUNT] = {"homes", "jobs", "pois"};

const char *route_engine_set_name(route_engine_set set)
{
    return (unsigned)set < ENGINE_SET_COUNT ? engine_set_names[set] : "?";
}

int route_engine_set_parse(const char *s)
{
    for (int i = 0; i < ENGINE_SET_COUNT; i++)
        if (!strcmp(s, engine_set_names[i])) return i;
    return -1;
}

static uint32_t engine_set_size(const region *r, route_engine_set set)
{
    size_t n = set == ENGINE_HOMES ? r->n_homes : set == ENGINE_JOBS ? r->n_jobs : r->n_pois;
    return (uint32_t)n;
}

int route_engine_place(const route_engine *eng, route_engine_set set, uint32_t i,
                       geo_point *pos)
{
    if ((unsigned)set >= ENGINE_SET_COUNT || i >= eng->n_set[set]) return -1;
    const region *r = eng->r;
    *pos = set == ENGINE_HOMES ? r->homes[i].pos
         : set == ENGINE_JOBS  ? r->jobs[i].pos
                               : r->pois[i].pos;
    return 0;
}

/* Direct trip along road rd from frac fa to frac fb by mode m (the rule of
 * docs/routing-nearest.md): 1 with time and length when the direction is
 * allowed, else 0. */
static int engine_direct(const region_road *rd, route_mode m, double fa, double fb,
                         uint32_t *t_ds, uint32_t *d_dm)
{
    route_partial pa = route_snap_partial(rd, m, fa);
    route_partial pb = route_snap_partial(rd, m, fb);
    if (fb > fa) {
        if (!pa.fwd) return 0;
        *t_ds = pb.from_ds - pa.from_ds;
        *d_dm = pb.from_dm - pa.from_dm;
    } else if (fb < fa) {
        if (!pa.bwd) return 0;
        *t_ds = pa.from_ds - pb.from_ds;
        *d_dm = pa.from_dm - pb.from_dm;
    } else {
        if (!pa.fwd && !pa.bwd) return 0;
        *t_ds = *d_dm = 0;
    }
    return 1;
}

int route_engine_snap(const route_engine *eng, route_mode m, geo_point p,
                      route_snap_result *out, fk_err *e)
{
    if ((unsigned)m >= MODE_COUNT)
        return err_set(e, FK_EINVAL, "unknown travel mode %d", (int)m);
    if (!geo_bbox_contains(&eng->near.snap.h.region, p))
        return err_set(e, FK_EINVAL, "point (%.5f, %.5f) is outside the region",
                       geo_lat_deg(p), geo_lon_deg(p));
    return route_snap(&eng->near.snap, m, p, eng->max_snap_m, out, e);
}

/* ---- open / close ---- */

static void engine_spot_fill(const route_engine *eng, route_mode m,
                             const route_snap_result *sr, route_engine_spot *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->road = sr->road;
    sp->frac = sr->frac;
    sp->n_dep = (uint8_t)route_snap_depart(&eng->near.snap, m, sr, sp->dep_node, sp->dep_ds,
                                           NULL);
    sp->n_arr = (uint8_t)route_snap_arrive(&eng->near.snap, m, sr, sp->arr_node, sp->arr_ds,
                                           NULL);
}

static int engine_snap_sets(route_engine *eng, fk_err *e)
{
    for (int set = 0; set < ENGINE_SET_COUNT; set++) {
        uint32_t n = eng->n_set[set];
        for (int m = 0; m < MODE_COUNT; m++) {
            route_engine_spot *sp = mem_calloc(n ? n : 1, sizeof *sp);
            if (!sp)
                return err_set(e, FK_ENOMEM, "routing engine: no memory for %u %s", n,
                               engine_set_names[set]);
            eng->spots[set][m] = sp;
            for (uint32_t i = 0; i < n; i++) {
                geo_point p;
                route_engine_place(eng, (route_engine_set)set, i, &p);
                route_snap_result sr;
                if (route_snap(&eng->near.snap, (route_mode)m, p, eng->max_snap_m, &sr, NULL)) {
                    memset(&sp[i], 0, sizeof sp[i]);
                    sp[i].road = REGION_NONE;
                    eng->n_unsnapped[set][m]++;
                    continue;
                }
                engine_spot_fill(eng, (route_mode)m, &sr, &sp[i]);
            }
        }
    }
    return 0;
}

int route_engine_open(const region *r, const route_engine_opts *o, route_engine *eng,
                      fk_err *e)
{
    double t0 = progress_now();
    memset(eng, 0, sizeof *eng);
    eng->r = r;
    eng->max_snap_m = o && o->max_snap_m > 0 ? o->max_snap_m : ROUTE_ENGINE_SNAP_M;
    int rc = route_nearest_open(r, &eng->near, e);
    if (rc) {
        err_prefix(e, "routing engine: nearest-amenity tables");
        memset(eng, 0, sizeof *eng);
        return rc;
    }
    for (int m = 0; m < MODE_COUNT; m++) {
        rc = route_graph_open(r, (route_mode)m, DIR_BACKWARD, &eng->bwd[m], e);
        if (rc) {
            err_prefix(e, "routing engine: %s backward graph", route_mode_name((route_mode)m));
            goto fail;
        }
        rc = route_ch_open(r, (route_mode)m, &eng->ch[m], e);
        if (rc) {
            err_prefix(e, "routing engine: %s contraction hierarchy",
                       route_mode_name((route_mode)m));
            goto fail;
        }
    }
    for (int set = 0; set < ENGINE_SET_COUNT; set++)
        eng->n_set[set] = engine_set_size(r, (route_engine_set)set);
    rc = engine_snap_sets(eng, e);
    if (rc) goto fail;
    eng->open_ms = (progress_now() - t0) * 1e3;
    return 0;
fail:
    route_engine_close(eng);
    return rc;
}

void route_engine_close(route_engine *eng)
{
    if (!eng->r) return;
    for (int set = 0; set < ENGINE_SET_COUNT; set++)
        for (int m = 0; m < MODE_COUNT; m++) mem_free(eng->spots[set][m]);
    route_nearest_close(&eng->near);
    memset(eng, 0, sizeof *eng);
}

/* ---- scratch ---- */

void route_engine_scratch_free(route_engine_scratch *s)
{
    route_ch_scratch_free(&s->ch);
    route_search_free(&s->dij);
    route_nearest_scratch_free(&s->near);
    mem_free(s->targets);
    mem_free(s->set_time);
    mem_free(s->geom);
    mem_free(s->mx_snap);
    mem_free(s->mx_node);
    mem_free(s->mx_time);
    mem_free(s->mx_cell);
    mem_free(s->mx_out);
    memset(s, 0, sizeof *s);
}

int route_engine_scratch_init(route_engine_scratch *s, const route_engine *eng)
{
    memset(s, 0, sizeof *s);
    uint32_t n = (uint32_t)eng->r->n_road_nodes, most = 1;
    for (int set = 0; set < ENGINE_SET_COUNT; set++)
        if (eng->n_set[set] > most) most = eng->n_set[set];
    s->n_nodes = n;
    int rc = route_ch_scratch_init(&s->ch, &eng->ch[0]);
    if (!rc) rc = route_search_init(&s->dij, n);
    if (!rc) rc = route_nearest_scratch_init(&s->near, &eng->near);
    if (rc) goto fail;
    const size_t mx = ROUTE_ENGINE_MATRIX_MAX;
    s->targets = mem_calloc(most, sizeof *s->targets);
    s->set_time = mem_calloc(most, sizeof *s->set_time);
    s->geom = mem_calloc((size_t)n + 2, sizeof *s->geom);
    s->mx_snap = mem_calloc(2 * mx, sizeof *s->mx_snap);
    s->mx_node = mem_calloc(4 * mx, sizeof *s->mx_node);
    s->mx_time = mem_calloc(4 * mx, sizeof *s->mx_time);
    s->mx_cell = mem_calloc(4 * mx * mx, sizeof *s->mx_cell);
    s->mx_out = mem_calloc(mx * mx, sizeof *s->mx_out);
    if (!s->targets || !s->set_time || !s->geom || !s->mx_snap || !s->mx_node ||
        !s->mx_time || !s->mx_cell || !s->mx_out) {
        rc = FK_ENOMEM;
        goto fail;
    }
    return 0;
fail:
    route_engine_scratch_free(s);
    return rc;
}

/* ---- near ---- */

static void engine_amenity(const route_engine *eng, route_amenity k, uint32_t index,
                           uint32_t time_ds, uint32_t dist_m, route_engine_amenity *out)
{
    const region *r = eng->r;
    out->index = index;
    out->time_ds = time_ds;
    out->dist_m = dist_m;
    if (k == AMEN_BUS_STOP) {
        out->pos = r->stops[index].pos;
        out->name = region_str(r, r->stops[index].name);
    } else {
        out->pos = r->pois[index].pos;
        out->name = region_str(r, r->pois[index].name);
    }
}

int route_engine_near_at(const route_engine *eng, route_engine_scratch *s, route_mode m,
                         geo_point p, const route_amenity *kinds, size_t n_kinds,
                         size_t k, uint32_t limit_ds, route_engine_near *out,
                         route_snap_result *snap, fk_err *e)
{
    if (k > ROUTE_NEAREST_K_MAX)
        return err_set(e, FK_EINVAL, "near: k is %zu; at most %d", k, ROUTE_NEAREST_K_MAX);
    for (size_t i = 0; i < n_kinds; i++)
        if ((unsigned)kinds[i] >= AMEN_COUNT)
            return err_set(e, FK_EINVAL, "near: unknown amenity kind %d", (int)kinds[i]);
    route_snap_result sr;
    int rc = route_engine_snap(eng, m, p, &sr, e);
    if (rc) return rc;
    if (snap) *snap = sr;
    s->settled = 0;
    for (size_t i = 0; i < n_kinds; i++) {
        route_engine_near *o = &out[i];
        memset(o, 0, sizeof *o);
        o->kind = kinds[i];
        route_nearest_result nr;
        if (!route_nearest_at(&eng->near, m, kinds[i], &sr, &nr)) {
            o->found = 1;
            engine_amenity(eng, kinds[i], nr.amenity, nr.time_ds, nr.dist_m, &o->nearest);
        }
        if (!k || !o->found) continue;
        route_nearest_result kr[ROUTE_NEAREST_K_MAX];
        size_t nk = 0;
        rc = route_nearest_k(&eng->near, &s->near, m, kinds[i], p, eng->max_snap_m, limit_ds,
                             k, kr, &nk, e);
        s->settled += s->near.settled;
        if (rc == FK_ENOTFOUND) {
            err_clear(e);
            nk = 0;
        } else if (rc) {
            return rc;
        }
        o->n_k = nk;
        for (size_t j = 0; j < nk; j++)
            engine_amenity(eng, kinds[i], kr[j].amenity, kr[j].time_ds, kr[j].dist_m,
                           &o->k[j]);
    }
    return 0;
}

/* ---- route ---- */

/* Length of the forward edge u -> v of g (its road), or -1 if none. */
static int64_t engine_edge_dm(const route_engine *eng, const route_graph *g, uint32_t u,
                              uint32_t v)
{
    for (uint32_t k = g->first[u]; k < g->first[u + 1]; k++)
        if (g->edges[k].head == v) return eng->r->roads[g->edge_road[k]].length_dm;
    return -1;
}

int route_engine_route_p2p(const route_engine *eng, route_engine_scratch *s, route_mode m,
                           geo_point a, geo_point b, route_engine_route *out, fk_err *e)
{
    memset(out, 0, sizeof *out);
    out->time_ds = ROUTE_INF;
    int rc = route_engine_snap(eng, m, a, &out->from, e);
    if (rc) return err_prefix(e, "from");
    rc = route_engine_snap(eng, m, b, &out->to, e);
    if (rc) return err_prefix(e, "to");
    const route_snapper *sn = &eng->near.snap;
    uint32_t sn_node[2], sn_ds[2], sn_dm[2], tn_node[2], tn_ds[2], tn_dm[2];
    size_t ns = route_snap_depart(sn, m, &out->from, sn_node, sn_ds, sn_dm);
    size_t nt = route_snap_arrive(sn, m, &out->to, tn_node, tn_ds, tn_dm);
    uint32_t direct_ds = ROUTE_INF, direct_dm = 0;
    if (out->from.road == out->to.road &&
        !engine_direct(&sn->roads[out->from.road], m, out->from.frac, out->to.frac,
                       &direct_ds, &direct_dm))
        direct_ds = ROUTE_INF;
    route_ch_result res;
    rc = route_ch_p2p(&eng->ch[m], &s->ch, sn_node, sn_ds, ns, tn_node, tn_ds, nt, &res);
    s->settled = s->ch.settled;
    if (rc) return err_set(e, rc, "route: out of memory in the CH search");
    if (direct_ds != ROUTE_INF && direct_ds <= res.time_ds) {
        out->time_ds = direct_ds;
        out->dist_dm = direct_dm;
        out->same_road = 1;
        s->geom[0] = out->from.point;
        s->geom[1] = out->to.point;
        out->geom = s->geom;
        out->n_geom = 2;
        out->nodes = s->ch.path;
        out->n_nodes = 0;
        return 0;
    }
    if (res.time_ds == ROUTE_CH_INF || res.src_index >= ns || res.dst_index >= nt)
        return err_set(e, FK_ENOTFOUND, "no %s route from (%.5f, %.5f) to (%.5f, %.5f)",
                       route_mode_name(m), geo_lat_deg(a), geo_lon_deg(a), geo_lat_deg(b),
                       geo_lon_deg(b));
    const uint32_t *nodes;
    size_t nn;
    rc = route_ch_path(&eng->ch[m], &s->ch, &nodes, &nn);
    if (rc || !nn || nn > s->n_nodes)
        return err_set(e, rc ? rc : FK_ECORRUPT, "route: the %s CH path cannot be unpacked",
                       route_mode_name(m));
    const route_graph *g = &eng->near.fwd[m];
    uint64_t dm = (uint64_t)sn_dm[res.src_index] + tn_dm[res.dst_index];
    s->geom[0] = out->from.point;
    for (size_t i = 0; i < nn; i++) {
        s->geom[i + 1] = eng->r->road_nodes[nodes[i]];
        if (i + 1 < nn) {
            int64_t l = engine_edge_dm(eng, g, nodes[i], nodes[i + 1]);
            if (l < 0)
                return err_set(e, FK_ECORRUPT, "route: CH path step %u -> %u is no %s edge",
                               nodes[i], nodes[i + 1], route_mode_name(m));
            dm += (uint64_t)l;
        }
    }
    s->geom[nn + 1] = out->to.point;
    out->time_ds = res.time_ds;
    out->dist_dm = dm > UINT32_MAX ? UINT32_MAX : (uint32_t)dm;
    out->geom = s->geom;
    out->n_geom = nn + 2;
    out->nodes = nodes;
    out->n_nodes = nn;
    return 0;
}

/* ---- commute ---- */

static int engine_check_q(const route_engine *eng, const route_engine_commute_q *q, fk_err *e)
{
    if ((unsigned)q->mode >= MODE_COUNT)
        return err_set(e, FK_EINVAL, "commute: unknown travel mode %d", (int)q->mode);
    if ((unsigned)q->set >= ENGINE_SET_COUNT)
        return err_set(e, FK_EINVAL, "commute: unknown set of places %d", (int)q->set);
    if (q->kind != -1 && (q->set != ENGINE_POIS || q->kind < 0 || q->kind >= AMEN_COUNT ||
                          q->kind == AMEN_BUS_STOP))
        return err_set(e, FK_EINVAL,
                       "commute: a kind filter (%d) needs the POI set and a POI kind "
                       "(not bus stops)",
                       q->kind);
    if ((unsigned)q->algo > ENGINE_ALGO_DIJKSTRA)
        return err_set(e, FK_EINVAL, "commute: unknown algorithm %d", (int)q->algo);
    (void)eng;
    return 0;
}

/* Whether a bounded Dijkstra beats PHAST for this limit. PHAST costs one
 * sweep over every node of the region whatever the limit (~2.5 ns per node
 * here: 0.05 ms on the demo's 20,764 nodes); a bounded Dijkstra costs ~50
 * ns per node it settles, i.e. what lies within the limit. Measured on the
 * demo region (bench/bench_engine.c, docs/query.md) they break even near a
 * 15 km reach (walk 60 min Dijkstra 0.03 ms vs PHAST 0.05; bike 60 min
 * even; car 15 min even, car 30 min PHAST ahead), and in a larger region
 * PHAST only grows, so: Dijkstra when limit x top speed of the mode is at
 * most 15 km. Either gives the same answer (tested). */
static int engine_small_limit(route_mode m, uint32_t limit_ds)
{
    static const double top_m_per_ds[MODE_COUNT] = {0.14, 0.5, 2.5}; /* 5, 18, 90 km/h */
    return limit_ds != ROUTE_INF && limit_ds * top_m_per_ds[m] <= 15000.0;
}

/* The search of a commute query: fills s->targets with every place of the
 * set within the limit, in index order; returns how many in *n. */
static int engine_commute(const route_engine *eng, route_engine_scratch *s,
                          const route_engine_commute_q *q, size_t *n, fk_err *e)
{
    *n = 0;
    int rc = engine_check_q(eng, q, e);
    if (rc) return rc;
    route_mode m = q->mode;
    route_snap_result sr;
    rc = route_engine_snap(eng, m, q->at, &sr, e);
    if (rc) return rc;
    const route_snapper *sn = &eng->near.snap;
    uint32_t node[2], t[2];
    size_t ns = q->reverse ? route_snap_depart(sn, m, &sr, node, t, NULL)
                           : route_snap_arrive(sn, m, &sr, node, t, NULL);
    uint32_t limit = q->limit_ds;
    int dij = q->algo == ENGINE_ALGO_DIJKSTRA ||
              (q->algo == ENGINE_ALGO_AUTO && engine_small_limit(m, limit));
    const uint32_t *by_pos = NULL, *by_id = NULL, *pos = eng->ch[m].pos;
    if (dij) {
        const route_graph *g = q->reverse ? &eng->near.fwd[m] : &eng->bwd[m];
        route_dijkstra(g, node, t, ns, limit, ROUTE_INF, &s->dij);
        s->settled = s->dij.settled;
        by_id = s->dij.dist;
    } else {
        by_pos = route_ch_phast(&eng->ch[m], &s->ch, q->reverse ? DIR_FORWARD : DIR_BACKWARD,
                                node, t, ns, limit);
        if (!by_pos) return err_set(e, FK_ENOMEM, "commute: out of memory in the CH search");
        s->settled = eng->ch[m].n_nodes;
    }
    const route_engine_spot *spots = eng->spots[q->set][m];
    const region_road *at_road = &sn->roads[sr.road];
    uint32_t n_set = eng->n_set[q->set];
    size_t k = 0;
    for (uint32_t i = 0; i < n_set; i++) {
        const route_engine_spot *sp = &spots[i];
        if (sp->road == REGION_NONE) continue;
        if (q->kind >= 0 && !route_nearest_poi_is(&eng->r->pois[i], (route_amenity)q->kind))
            continue;
        uint64_t best = ROUTE_INF;
        size_t nn = q->reverse ? sp->n_arr : sp->n_dep;
        for (size_t j = 0; j < nn; j++) {
            uint32_t v = q->reverse ? sp->arr_node[j] : sp->dep_node[j];
            uint32_t pt = q->reverse ? sp->arr_ds[j] : sp->dep_ds[j];
            uint32_t d = dij ? by_id[v] : by_pos[pos[v]];
            if (d == ROUTE_INF) continue;
            uint64_t c = (uint64_t)d + pt;
            if (c < best) best = c;
        }
        uint32_t dt, ddm;
        if (sp->road == sr.road &&
            (q->reverse ? engine_direct(at_road, m, sr.frac, sp->frac, &dt, &ddm)
                        : engine_direct(at_road, m, sp->frac, sr.frac, &dt, &ddm)) &&
            dt < best)
            best = dt;
        if (best > limit || best >= ROUTE_INF) continue;
        s->targets[k++] = (route_engine_target){i, (uint32_t)best, ROUTE_INF};
    }
    *n = k;
    return 0;
}

int route_engine_commute(const route_engine *eng, route_engine_scratch *s,
                         const route_engine_commute_q *q, const route_engine_target **out,
                         size_t *n_out, fk_err *e)
{
    *out = s->targets;
    return engine_commute(eng, s, q, n_out, e);
}

int route_engine_two_work(const route_engine *eng, route_engine_scratch *s,
                          const route_engine_commute_q *q1, const route_engine_commute_q *q2,
                          const route_engine_target **out, size_t *n_out, fk_err *e)
{
    *out = s->targets;
    *n_out = 0;
    if (q1->set != q2->set || q1->kind != q2->kind)
        return err_set(e, FK_EINVAL, "two-work: both workplaces must use the same targets");
    size_t n1, n2;
    int rc = engine_commute(eng, s, q1, &n1, e);
    if (rc) return err_prefix(e, "work 1");
    uint32_t n_set = eng->n_set[q1->set];
    for (uint32_t i = 0; i < n_set; i++) s->set_time[i] = ROUTE_INF;
    for (size_t i = 0; i < n1; i++) s->set_time[s->targets[i].index] = s->targets[i].time_ds;
    uint64_t settled = s->settled;
    rc = engine_commute(eng, s, q2, &n2, e);
    if (rc) return err_prefix(e, "work 2");
    s->settled += settled;
    size_t k = 0;
    for (size_t i = 0; i < n2; i++) {
        route_engine_target t = s->targets[i];
        if (s->set_time[t.index] == ROUTE_INF) continue;
        s->targets[k++] = (route_engine_target){t.index, s->set_time[t.index], t.time_ds};
    }
    *n_out = k;
    return 0;
}

/* ---- matrix ---- */

int route_engine_matrix(const route_engine *eng, route_engine_scratch *s, route_mode m,
                        const geo_point *src, size_t n_src, const geo_point *dst,
                        size_t n_dst, const uint32_t **out, fk_err *e)
{
    *out = s->mx_out;
    const size_t mx = ROUTE_ENGINE_MATRIX_MAX;
    if (n_src > mx || n_dst > mx)
        return err_set(e, FK_EINVAL, "matrix: %zu x %zu points; at most %zu per side", n_src,
                       n_dst, mx);
    if ((unsigned)m >= MODE_COUNT)
        return err_set(e, FK_EINVAL, "matrix: unknown travel mode %d", (int)m);
    const route_snapper *sn = &eng->near.snap;
    route_snap_result *ss = s->mx_snap, *ts = s->mx_snap + mx;
    uint32_t *snode = s->mx_node, *tnode = s->mx_node + 2 * mx;
    uint32_t *stime = s->mx_time, *ttime = s->mx_time + 2 * mx;
    for (size_t i = 0; i < n_src; i++) {
        int rc = route_engine_snap(eng, m, src[i], &ss[i], e);
        if (rc) return err_prefix(e, "matrix source %zu", i);
        snode[2 * i] = snode[2 * i + 1] = UINT32_MAX;   /* out of range: ignored */
        stime[2 * i] = stime[2 * i + 1] = 0;
        route_snap_depart(sn, m, &ss[i], &snode[2 * i], &stime[2 * i], NULL);
    }
    for (size_t j = 0; j < n_dst; j++) {
        int rc = route_engine_snap(eng, m, dst[j], &ts[j], e);
        if (rc) return err_prefix(e, "matrix target %zu", j);
        tnode[2 * j] = tnode[2 * j + 1] = UINT32_MAX;
        ttime[2 * j] = ttime[2 * j + 1] = 0;
        route_snap_arrive(sn, m, &ts[j], &tnode[2 * j], &ttime[2 * j], NULL);
    }
    int rc = route_ch_matrix(&eng->ch[m], &s->ch, snode, 2 * n_src, tnode, 2 * n_dst,
                             s->mx_cell);
    if (rc) return err_set(e, rc, "matrix: out of memory in the CH bucket store");
    size_t w = 2 * n_dst;
    for (size_t i = 0; i < n_src; i++)
        for (size_t j = 0; j < n_dst; j++) {
            uint64_t best = ROUTE_INF;
            for (size_t a = 0; a < 2; a++)
                for (size_t b = 0; b < 2; b++) {
                    uint32_t c = s->mx_cell[(2 * i + a) * w + 2 * j + b];
                    if (c == ROUTE_CH_INF) continue;
                    uint64_t t = (uint64_t)stime[2 * i + a] + c + ttime[2 * j + b];
                    if (t < best) best = t;
                }
            uint32_t dt, ddm;
            if (ss[i].road == ts[j].road &&
                engine_direct(&sn->roads[ss[i].road], m, ss[i].frac, ts[j].frac, &dt, &ddm) &&
                dt < best)
                best = dt;
            s->mx_out[i * n_dst + j] = best >= ROUTE_INF ? ROUTE_INF : (uint32_t)best;
        }
    return 0;
}
