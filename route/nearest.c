/*
 * nearest.c: nearest-amenity tables (build), and the O(1) and k-nearest
 * queries over them (see nearest.h and docs/routing-nearest.md).
 *
 * Build: per mode, every amenity of every kind is snapped to the mode's
 * roads (route_snap). Its arrival attachments (route_snap_arrive: the road
 * nodes it is reached from, with the partial time and length) are the
 * sources of one multi-source Dijkstra per kind on the backward graph;
 * each node keeps the label (amenity ordinal) and the path length of the
 * source that reached it first. Ties in time keep the first label set.
 *
 * Query: the snapped point departs to at most two nodes
 * (route_snap_depart); the answer is the minimum of departure time plus
 * the node's table time, and of the direct trips along the same road to
 * amenities snapped onto it (route_amenity_snap sorted by road, found by
 * binary search).
 */
#include "nearest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/vec.h"
#include "dijkstra.h"

/* ---- names and kinds ---- */

static const char *const near_names[AMEN_COUNT] = {
    "school", "school_primary", "school_lower_secondary", "school_upper_secondary",
    "preschool", "health", "grocery", "pharmacy", "library", "sports", "bus_stop"};

const char *route_amenity_name(route_amenity k)
{
    return (unsigned)k < AMEN_COUNT ? near_names[k] : "unknown";
}

int route_amenity_parse(const char *s)
{
    for (int k = 0; k < AMEN_COUNT; k++)
        if (!strcmp(s, near_names[k])) return k;
    return -1;
}

int route_nearest_poi_is(const region_poi *p, route_amenity k)
{
    switch (k) {
    case AMEN_SCHOOL: return p->kind == POI_SCHOOL;
    case AMEN_SCHOOL_PRIMARY: return p->kind == POI_SCHOOL && (p->level & SCHOOL_PRIMARY);
    case AMEN_SCHOOL_LOWER_SEC: return p->kind == POI_SCHOOL && (p->level & SCHOOL_LOWER_SEC);
    case AMEN_SCHOOL_UPPER_SEC: return p->kind == POI_SCHOOL && (p->level & SCHOOL_UPPER_SEC);
    case AMEN_PRESCHOOL: return p->kind == POI_PRESCHOOL;
    case AMEN_HEALTH: return p->kind == POI_HEALTH;
    case AMEN_GROCERY: return p->kind == POI_GROCERY;
    case AMEN_PHARMACY: return p->kind == POI_PHARMACY;
    case AMEN_LIBRARY: return p->kind == POI_LIBRARY;
    case AMEN_SPORTS: return p->kind == POI_SPORTS;
    default: return 0;
    }
}

int route_nearest_is_bus_stop(const region_stop *s, int has_child)
{
    return s->location_type == 0 || (s->location_type == 1 && !has_child);
}

/* ---- entries ---- */

static uint64_t near_pack(uint32_t time_ds, uint32_t ordinal, uint64_t dist_dm)
{
    if (time_ds >= ROUTE_NEAR_TIME_NONE) return ROUTE_NEAR_TIME_NONE;
    uint64_t m = (dist_dm + 5) / 10;
    if (m > ROUTE_NEAR_DIST_MAX) m = ROUTE_NEAR_DIST_MAX;
    return (uint64_t)time_ds | (uint64_t)ordinal << 24 | m << 44;
}

static uint32_t near_time(uint64_t v) { return (uint32_t)(v & 0xFFFFFFu); }
static uint32_t near_ord(uint64_t v) { return (uint32_t)(v >> 24) & 0xFFFFFu; }
static uint32_t near_dist_m(uint64_t v) { return (uint32_t)(v >> 44); }

/* ---- heap (lazy deletion; callers size it so it never overflows) ---- */

static void near_push(route_near_item *h, size_t *n, route_near_item it)
{
    size_t i = (*n)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h[p].key <= it.key) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = it;
}

static route_near_item near_pop(route_near_item *h, size_t *n)
{
    route_near_item top = h[0], last = h[--*n];
    size_t i = 0, m = *n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && h[c + 1].key < h[c].key) c++;
        if (h[c].key >= last.key) break;
        h[i] = h[c];
        i = c;
    }
    if (m) h[i] = last;
    return top;
}

/* ---- build ---- */

/* The graph of mode m, direction d held in the builder's extra sections. */
static int near_builder_graph(const region_builder *b, route_mode m, route_dir d,
                              route_graph *g)
{
    const region_extra_section *s[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < b->extra.n; i++)
        for (int part = 0; part < 3; part++)
            if (b->extra.v[i].id == route_graph_section_id(m, d, part)) s[part] = &b->extra.v[i];
    if (!s[0] || !s[1] || !s[2] || s[0]->count != b->road_nodes.n + 1 ||
        s[1]->count != s[2]->count)
        return FK_ENOTFOUND;
    g->n_nodes = (uint32_t)b->road_nodes.n;
    g->n_edges = (uint32_t)s[1]->count;
    g->first = s[0]->data;
    g->edges = s[1]->data;
    g->edge_road = s[2]->data;
    g->mode = m;
    g->dir = d;
    return 0;
}

typedef struct near_work {
    uint32_t *dist, *label, *dm;
    route_near_item *heap;
    size_t heap_cap;
} near_work;

/* Multi-source Dijkstra over the whole graph g from src[0..n_src) (kind
 * already filtered); writes one packed entry per node into table. Returns
 * the number of nodes settled. */
static uint64_t near_fill_table(const route_graph *g, const region_road *roads,
                                const route_amenity_attach *src, size_t n_src,
                                near_work *w, uint64_t *table)
{
    uint32_t n = g->n_nodes;
    for (uint32_t v = 0; v < n; v++) w->dist[v] = ROUTE_INF;
    size_t hn = 0;
    for (size_t i = 0; i < n_src; i++) {
        uint32_t v = src[i].node;
        if (src[i].time_ds >= w->dist[v]) continue;
        w->dist[v] = src[i].time_ds;
        w->label[v] = src[i].ordinal;
        w->dm[v] = src[i].dist_dm;
        near_push(w->heap, &hn, (route_near_item){src[i].time_ds, v, 0});
    }
    uint64_t settled = 0;
    while (hn) {
        route_near_item it = near_pop(w->heap, &hn);
        uint32_t u = it.id;
        if (it.key != w->dist[u]) continue;
        settled++;
        for (uint32_t k = g->first[u]; k < g->first[u + 1]; k++) {
            uint32_t v = g->edges[k].head;
            uint64_t nd = (uint64_t)it.key + g->edges[k].time_ds;
            if (nd >= w->dist[v]) continue;
            uint64_t dm = (uint64_t)w->dm[u] + roads[g->edge_road[k]].length_dm;
            w->dist[v] = (uint32_t)nd;
            w->label[v] = w->label[u];
            w->dm[v] = dm > UINT32_MAX ? UINT32_MAX : (uint32_t)dm;
            near_push(w->heap, &hn, (route_near_item){(uint32_t)nd, v, 0});
        }
    }
    for (uint32_t v = 0; v < n; v++)
        table[v] = w->dist[v] == ROUTE_INF ? ROUTE_NEAR_TIME_NONE
                                           : near_pack(w->dist[v], w->label[v], w->dm[v]);
    return settled;
}

static int near_snap_cmp(const void *a, const void *b)
{
    const route_amenity_snap *x = a, *y = b;
    if (x->road != y->road) return x->road < y->road ? -1 : 1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

static int near_attach_cmp(const void *a, const void *b)
{
    const route_amenity_attach *x = a, *y = b;
    if (x->node != y->node) return x->node < y->node ? -1 : 1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

/* Adds data (count records of size) as section id; takes ownership. */
static int near_add(region_builder *b, uint32_t id, uint32_t size, void *data, size_t count,
                    route_nearest_report *rep, fk_err *e)
{
    rep->bytes += (uint64_t)size * count;
    return region_builder_add_section(b, id, size, data, count, e);
}

typedef VEC(uint32_t) near_u32vec;
typedef VEC(route_amenity_snap) near_snapvec;
typedef VEC(route_amenity_attach) near_attvec;

int route_nearest_build(region_builder *b, const route_nearest_opts *o,
                        route_nearest_report *rep, fk_err *e)
{
    double t0 = progress_now();
    route_nearest_report lrep;
    if (!rep) rep = &lrep;
    memset(rep, 0, sizeof *rep);
    double snap_m = o && o->amenity_snap_m > 0 ? o->amenity_snap_m : 1000.0;
    size_t n = b->road_nodes.n;
    if (n >= ROUTE_NEAR_AMENITY)
        return err_set(e, FK_ETOOBIG, "nearest amenities: more than 2^31 road nodes");
    route_graph g[MODE_COUNT];
    for (int m = 0; m < MODE_COUNT; m++)
        if (near_builder_graph(b, (route_mode)m, DIR_BACKWARD, &g[m]))
            return err_set(e, FK_ENOTFOUND, "nearest amenities: the %s road graph is "
                           "missing: build the graphs first", route_mode_name((route_mode)m));
    int rc = 0;
    near_u32vec lists[AMEN_COUNT];
    memset(lists, 0, sizeof lists);
    near_snapvec snaps = {0};
    near_attvec att = {0};
    near_work w = {0};
    uint8_t *has_child = NULL;
    route_snapper s;
    memset(&s, 0, sizeof s);
    size_t range[AMEN_COUNT + 1];

    /* the amenity lists */
    has_child = mem_calloc(b->stops.n ? b->stops.n : 1, 1);
    if (!has_child) goto nomem;
    for (size_t i = 0; i < b->stops.n; i++)
        if (b->stops.v[i].parent < b->stops.n) has_child[b->stops.v[i].parent] = 1;
    for (int k = 0; k < AMEN_COUNT; k++) {
        if (k == AMEN_BUS_STOP) {
            for (size_t i = 0; i < b->stops.n; i++)
                if (route_nearest_is_bus_stop(&b->stops.v[i], has_child[i]) &&
                    vec_push(lists[k], (uint32_t)i))
                    goto nomem;
        } else {
            for (size_t i = 0; i < b->pois.n; i++)
                if (route_nearest_poi_is(&b->pois.v[i], (route_amenity)k) &&
                    vec_push(lists[k], (uint32_t)i))
                    goto nomem;
        }
        if (lists[k].n > ROUTE_NEAR_ORD_MAX) {
            rc = err_set(e, FK_ETOOBIG, "nearest amenities: %zu of kind %s, at most %u",
                         lists[k].n, near_names[k], ROUTE_NEAR_ORD_MAX);
            goto fail;
        }
        rep->n_amenities[k] = (uint32_t)lists[k].n;
    }

    /* everything may snap, however far the amenity lies from the road bbox */
    geo_bbox world = {-900000000, -1800000000, 900000000, 1800000000};
    rc = route_snap_init(&s, b->road_nodes.v, n, b->roads.v, b->roads.n, &world, e);
    if (rc) goto fail;
    size_t max_edges = 0;
    for (int m = 0; m < MODE_COUNT; m++)
        if (g[m].n_edges > max_edges) max_edges = g[m].n_edges;
    w.dist = mem_alloc((n ? n : 1) * sizeof *w.dist);
    w.label = mem_alloc((n ? n : 1) * sizeof *w.label);
    w.dm = mem_alloc((n ? n : 1) * sizeof *w.dm);
    if (!w.dist || !w.label || !w.dm) goto nomem;

    progress_begin(b->progress, "nearest amenities", 0);
    for (int m = 0; m < MODE_COUNT; m++) {
        snaps.n = att.n = 0;
        for (int k = 0; k < AMEN_COUNT; k++) {
            range[k] = att.n;
            for (size_t i = 0; i < lists[k].n; i++) {
                geo_point p = k == AMEN_BUS_STOP ? b->stops.v[lists[k].v[i]].pos
                                                 : b->pois.v[lists[k].v[i]].pos;
                route_snap_result sr;
                if (route_snap(&s, (route_mode)m, p, snap_m, &sr, NULL)) {
                    rep->unsnapped[k][m]++;
                    continue;
                }
                route_amenity_snap as = {sr.road, (uint32_t)i, sr.frac, (uint8_t)k, {0}};
                if (vec_push(snaps, as)) goto nomem;
                uint32_t node[2], t[2], dm[2];
                size_t na = route_snap_arrive(&s, (route_mode)m, &sr, node, t, dm);
                for (size_t j = 0; j < na; j++) {
                    route_amenity_attach a = {node[j], (uint32_t)i, t[j], dm[j], (uint8_t)k, {0}};
                    if (vec_push(att, a)) goto nomem;
                }
            }
        }
        range[AMEN_COUNT] = att.n;
        size_t cap = max_edges + att.n + 1;
        if (cap > w.heap_cap) {
            mem_free(w.heap);
            w.heap = mem_alloc(cap * sizeof *w.heap);
            w.heap_cap = w.heap ? cap : 0;
            if (!w.heap) goto nomem;
        }
        for (int k = 0; k < AMEN_COUNT; k++) {
            uint64_t *table = mem_alloc((n ? n : 1) * sizeof *table);
            if (!table) goto nomem;
            uint64_t settled = near_fill_table(&g[m], b->roads.v, att.v + range[k],
                                               range[k + 1] - range[k], &w, table);
            progress_step(b->progress, settled, 0);
            rep->table_bytes += (uint64_t)n * sizeof *table;
            rc = near_add(b, ROUTE_SEC_NEAR_TABLE + (uint32_t)(k * MODE_COUNT + m),
                          sizeof *table, table, n, rep, e);
            if (rc) goto fail;
        }
        if (snaps.n) qsort(snaps.v, snaps.n, sizeof *snaps.v, near_snap_cmp);
        if (att.n) qsort(att.v, att.n, sizeof *att.v, near_attach_cmp);
        size_t ns = snaps.n, na = att.n;
        void *sv = snaps.v, *av = att.v;
        if (!sv && !(sv = mem_alloc(sizeof *snaps.v))) goto nomem;
        snaps.v = NULL;
        snaps.n = snaps.cap = 0;
        rc = near_add(b, ROUTE_SEC_NEAR_BY_ROAD + (uint32_t)m, sizeof(route_amenity_snap), sv,
                      ns, rep, e);
        if (rc) goto fail;
        if (!av && !(av = mem_alloc(sizeof *att.v))) goto nomem;
        att.v = NULL;
        att.n = att.cap = 0;
        rc = near_add(b, ROUTE_SEC_NEAR_BY_NODE + (uint32_t)m, sizeof(route_amenity_attach), av,
                      na, rep, e);
        if (rc) goto fail;
    }
    for (int k = 0; k < AMEN_COUNT; k++) {
        size_t cnt = lists[k].n;
        void *v = lists[k].v;
        if (!v && !(v = mem_alloc(sizeof(uint32_t)))) goto nomem;
        lists[k].v = NULL;
        lists[k].n = lists[k].cap = 0;
        rc = near_add(b, ROUTE_SEC_NEAR_LIST + (uint32_t)k, sizeof(uint32_t), v, cnt, rep, e);
        if (rc) goto fail;
    }
    progress_done(b->progress);
    rep->seconds = progress_now() - t0;
    goto done;
nomem:
    rc = err_set(e, FK_ENOMEM, "nearest amenities: out of memory");
fail:
done:
    for (int k = 0; k < AMEN_COUNT; k++) vec_free(lists[k]);
    vec_free(snaps);
    vec_free(att);
    mem_free(w.dist);
    mem_free(w.label);
    mem_free(w.dm);
    mem_free(w.heap);
    mem_free(has_child);
    route_snap_free(&s);
    return rc;
}

/* ---- open ---- */

#define NEAR_CORRUPT(...) do { rc = err_set(e, FK_ECORRUPT, "nearest tables: " __VA_ARGS__); \
                               goto fail; } while (0)

int route_nearest_open(const region *r, route_nearest_index *x, fk_err *e)
{
    memset(x, 0, sizeof *x);
    x->r = r;
    int rc = 0;
    size_t n = r->n_road_nodes;
    if (!region_section(r, ROUTE_SEC_NEAR_LIST))
        return err_set(e, FK_ENOTFOUND, "the snapshot has no nearest-amenity tables: "
                       "rebuild it with this version of `flyttkarta build`");
    if (n >= ROUTE_NEAR_AMENITY)
        return err_set(e, FK_ECORRUPT, "nearest tables: too many road nodes");
    rc = route_snap_open(r, &x->snap, e);
    if (rc) return rc;
    for (int m = 0; m < MODE_COUNT; m++) {
        rc = route_graph_open(r, (route_mode)m, DIR_FORWARD, &x->fwd[m], e);
        if (rc) return rc;
        if (x->fwd[m].n_edges > x->max_edges) x->max_edges = x->fwd[m].n_edges;
    }
    for (int k = 0; k < AMEN_COUNT; k++) {
        const region_section_entry *se = region_section(r, ROUTE_SEC_NEAR_LIST + (uint32_t)k);
        if (!se || se->elem_size != 4 || se->count > ROUTE_NEAR_ORD_MAX)
            NEAR_CORRUPT("%s list missing or invalid", near_names[k]);
        x->amen[k] = region_section_data(r, se);
        x->n_amen[k] = (uint32_t)se->count;
        size_t lim = k == AMEN_BUS_STOP ? r->n_stops : r->n_pois;
        for (uint32_t i = 0; i < x->n_amen[k]; i++)
            if (x->amen[k][i] >= lim) NEAR_CORRUPT("%s list entry %u invalid", near_names[k], i);
        for (int m = 0; m < MODE_COUNT; m++) {
            se = region_section(r, ROUTE_SEC_NEAR_TABLE + (uint32_t)(k * MODE_COUNT + m));
            if (!se || se->elem_size != 8 || se->count != n)
                NEAR_CORRUPT("%s/%s table missing or of the wrong size", near_names[k],
                             route_mode_name((route_mode)m));
            x->table[k][m] = region_section_data(r, se);
        }
    }
    for (int m = 0; m < MODE_COUNT; m++) {
        const char *mn = route_mode_name((route_mode)m);
        const region_section_entry *se = region_section(r, ROUTE_SEC_NEAR_BY_ROAD + (uint32_t)m);
        if (!se || se->elem_size != sizeof(route_amenity_snap) || se->count >= UINT32_MAX)
            NEAR_CORRUPT("%s amenity snaps missing or invalid", mn);
        const route_amenity_snap *as = region_section_data(r, se);
        x->by_road[m] = as;
        x->n_by_road[m] = (uint32_t)se->count;
        for (uint32_t i = 0; i < x->n_by_road[m]; i++)
            if (as[i].road >= r->n_roads || as[i].kind >= AMEN_COUNT ||
                as[i].ordinal >= x->n_amen[as[i].kind] || !(as[i].frac >= 0 && as[i].frac <= 1) ||
                (i && as[i].road < as[i - 1].road))
                NEAR_CORRUPT("%s amenity snap %u invalid", mn, i);
        se = region_section(r, ROUTE_SEC_NEAR_BY_NODE + (uint32_t)m);
        if (!se || se->elem_size != sizeof(route_amenity_attach) || se->count >= UINT32_MAX)
            NEAR_CORRUPT("%s amenity attachments missing or invalid", mn);
        const route_amenity_attach *at = region_section_data(r, se);
        x->by_node[m] = at;
        x->n_by_node[m] = (uint32_t)se->count;
        x->attach_bits[m] = mem_calloc(n / 64 + 1, sizeof(uint64_t));
        if (!x->attach_bits[m]) {
            rc = err_set(e, FK_ENOMEM, "nearest tables: out of memory");
            goto fail;
        }
        for (uint32_t i = 0; i < x->n_by_node[m]; i++) {
            if (at[i].node >= n || at[i].kind >= AMEN_COUNT ||
                at[i].ordinal >= x->n_amen[at[i].kind] || (i && at[i].node < at[i - 1].node))
                NEAR_CORRUPT("%s amenity attachment %u invalid", mn, i);
            x->attach_bits[m][at[i].node / 64] |= UINT64_C(1) << (at[i].node % 64);
        }
    }
    return 0;
fail:
    route_nearest_close(x);
    return rc;
}

void route_nearest_close(route_nearest_index *x)
{
    for (int m = 0; m < MODE_COUNT; m++) {
        mem_free(x->attach_bits[m]);
        x->attach_bits[m] = NULL;
    }
}

const uint32_t *route_nearest_amenities(const route_nearest_index *x, route_amenity k,
                                        uint32_t *n)
{
    if ((unsigned)k >= AMEN_COUNT) {
        *n = 0;
        return NULL;
    }
    *n = x->n_amen[k];
    return x->amen[k];
}

/* ---- queries ---- */

/* First amenity snap on road (index into by_road[m]). */
static uint32_t near_road_first(const route_nearest_index *x, route_mode m, uint32_t road)
{
    uint32_t lo = 0, hi = x->n_by_road[m];
    const route_amenity_snap *as = x->by_road[m];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (as[mid].road < road) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Direct trip along the road from the query point (pp, at frac fp) to an
 * amenity at frac fa on the same road: 1 and the time/length when the
 * direction is allowed. */
static int near_direct(const region_road *rd, route_mode m, const route_partial *pp, double fp,
                       double fa, uint32_t *t, uint32_t *dm)
{
    route_partial pa = route_snap_partial(rd, m, fa);
    if (fa > fp) {
        if (!pp->fwd) return 0;
        *t = pa.from_ds - pp->from_ds;
        *dm = pa.from_dm - pp->from_dm;
    } else if (fa < fp) {
        if (!pp->bwd) return 0;
        *t = pp->from_ds - pa.from_ds;
        *dm = pp->from_dm - pa.from_dm;
    } else {
        *t = *dm = 0;
    }
    return 1;
}

int route_nearest_at(const route_nearest_index *x, route_mode m, route_amenity k,
                     const route_snap_result *sr, route_nearest_result *out)
{
    if ((unsigned)m >= MODE_COUNT || (unsigned)k >= AMEN_COUNT) return FK_EINVAL;
    const uint64_t *tab = x->table[k][m];
    uint32_t node[2], t[2], dm[2];
    size_t nd = route_snap_depart(&x->snap, m, sr, node, t, dm);
    uint64_t best = UINT64_MAX, best_dm = 0;
    uint32_t best_ord = 0;
    for (size_t i = 0; i < nd; i++) {
        uint64_t v = tab[node[i]];
        uint32_t tt = near_time(v), ord = near_ord(v);
        if (tt == ROUTE_NEAR_TIME_NONE || ord >= x->n_amen[k]) continue;
        uint64_t total = (uint64_t)t[i] + tt;
        if (total < best) {
            best = total;
            best_ord = ord;
            best_dm = dm[i] + (uint64_t)near_dist_m(v) * 10;
        }
    }
    const region_road *rd = &x->snap.roads[sr->road];
    route_partial pp = route_snap_partial(rd, m, sr->frac);
    for (uint32_t i = near_road_first(x, m, sr->road);
         i < x->n_by_road[m] && x->by_road[m][i].road == sr->road; i++) {
        const route_amenity_snap *as = &x->by_road[m][i];
        uint32_t tt, ddm;
        if (as->kind != k || !near_direct(rd, m, &pp, sr->frac, as->frac, &tt, &ddm)) continue;
        if (tt < best) {
            best = tt;
            best_ord = as->ordinal;
            best_dm = ddm;
        }
    }
    if (best == UINT64_MAX) return FK_ENOTFOUND;
    out->ordinal = best_ord;
    out->amenity = x->amen[k][best_ord];
    out->time_ds = best > UINT32_MAX ? UINT32_MAX : (uint32_t)best;
    out->dist_m = (uint32_t)((best_dm + 5) / 10);
    out->snap = *sr;
    return 0;
}

int route_nearest(const route_nearest_index *x, route_mode m, route_amenity k,
                  geo_point p, double max_snap_m, route_nearest_result *out, fk_err *e)
{
    if ((unsigned)m >= MODE_COUNT || (unsigned)k >= AMEN_COUNT)
        return err_set(e, FK_EINVAL, "nearest: unknown mode %d or kind %d", (int)m, (int)k);
    route_snap_result sr;
    int rc = route_snap(&x->snap, m, p, max_snap_m, &sr, e);
    if (rc) return rc;
    rc = route_nearest_at(x, m, k, &sr, out);
    if (rc)
        return err_set(e, rc, "no %s reachable by %s from (%.5f, %.5f)", near_names[k],
                       route_mode_name(m), geo_lat_deg(p), geo_lon_deg(p));
    return 0;
}

int route_nearest_scratch_init(route_nearest_scratch *s, const route_nearest_index *x)
{
    memset(s, 0, sizeof *s);
    size_t n = x->r->n_road_nodes;
    uint32_t extra = 0;
    for (int m = 0; m < MODE_COUNT; m++) {
        uint32_t c = x->n_by_node[m] + x->n_by_road[m];
        if (c > extra) extra = c;
    }
    s->n_nodes = (uint32_t)n;
    s->heap_cap = (size_t)x->max_edges + extra + 8;
    s->dist = mem_alloc((n ? n : 1) * sizeof *s->dist);
    s->dist_dm = mem_alloc((n ? n : 1) * sizeof *s->dist_dm);
    s->touched = mem_alloc((n ? n : 1) * sizeof *s->touched);
    s->heap = mem_alloc(s->heap_cap * sizeof *s->heap);
    if (!s->dist || !s->dist_dm || !s->touched || !s->heap) {
        route_nearest_scratch_free(s);
        return FK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) s->dist[i] = ROUTE_INF;
    return 0;
}

void route_nearest_scratch_free(route_nearest_scratch *s)
{
    mem_free(s->dist);
    mem_free(s->dist_dm);
    mem_free(s->touched);
    mem_free(s->heap);
    memset(s, 0, sizeof *s);
}

static void near_set(route_nearest_scratch *s, uint32_t v, uint32_t d, uint32_t dm)
{
    if (s->dist[v] == ROUTE_INF) s->touched[s->n_touched++] = v;
    s->dist[v] = d;
    s->dist_dm[v] = dm;
}

int route_nearest_k(const route_nearest_index *x, route_nearest_scratch *s, route_mode m,
                    route_amenity k, geo_point p, double max_snap_m, uint32_t limit_ds,
                    size_t k_max, route_nearest_result *out, size_t *n_out, fk_err *e)
{
    *n_out = 0;
    if ((unsigned)m >= MODE_COUNT || (unsigned)k >= AMEN_COUNT || k_max < 1 ||
        k_max > ROUTE_NEAREST_K_MAX || s->n_nodes != x->r->n_road_nodes)
        return err_set(e, FK_EINVAL, "nearest: bad mode, kind, k (1..%d) or scratch",
                       ROUTE_NEAREST_K_MAX);
    route_snap_result sr;
    int rc = route_snap(&x->snap, m, p, max_snap_m, &sr, e);
    if (rc) return rc;
    for (size_t i = 0; i < s->n_touched; i++) s->dist[s->touched[i]] = ROUTE_INF;
    s->n_touched = 0;
    s->heap_n = 0;
    s->settled = 0;
    const route_graph *g = &x->fwd[m];
    uint32_t node[2], t[2], dm[2];
    size_t nd = route_snap_depart(&x->snap, m, &sr, node, t, dm);
    for (size_t i = 0; i < nd; i++)
        if (t[i] <= limit_ds && t[i] < s->dist[node[i]]) {
            near_set(s, node[i], t[i], dm[i]);
            near_push(s->heap, &s->heap_n, (route_near_item){t[i], node[i], 0});
        }
    const region_road *rd = &x->snap.roads[sr.road];
    route_partial pp = route_snap_partial(rd, m, sr.frac);
    for (uint32_t i = near_road_first(x, m, sr.road);
         i < x->n_by_road[m] && x->by_road[m][i].road == sr.road; i++) {
        const route_amenity_snap *as = &x->by_road[m][i];
        uint32_t tt, ddm;
        if (as->kind != k || !near_direct(rd, m, &pp, sr.frac, as->frac, &tt, &ddm) ||
            tt > limit_ds)
            continue;
        near_push(s->heap, &s->heap_n,
                  (route_near_item){tt, ROUTE_NEAR_AMENITY | as->ordinal, ddm});
    }
    const uint64_t *bits = x->attach_bits[m];
    const route_amenity_attach *at = x->by_node[m];
    size_t found = 0;
    while (s->heap_n && found < k_max) {
        route_near_item it = near_pop(s->heap, &s->heap_n);
        if (it.id & ROUTE_NEAR_AMENITY) {
            uint32_t ord = it.id & ~ROUTE_NEAR_AMENITY;
            int seen = 0;
            for (size_t j = 0; j < found; j++) seen |= out[j].ordinal == ord;
            if (seen) continue;
            out[found].ordinal = ord;
            out[found].amenity = x->amen[k][ord];
            out[found].time_ds = it.key;
            out[found].dist_m = (it.aux + 5) / 10;
            out[found].snap = sr;
            found++;
            continue;
        }
        uint32_t u = it.id;
        if (it.key != s->dist[u]) continue;
        s->settled++;
        if (bits[u / 64] >> (u % 64) & 1) {
            uint32_t lo = 0, hi = x->n_by_node[m];
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (at[mid].node < u) lo = mid + 1;
                else hi = mid;
            }
            for (; lo < x->n_by_node[m] && at[lo].node == u; lo++) {
                if (at[lo].kind != k) continue;
                uint64_t ta = (uint64_t)it.key + at[lo].time_ds;
                if (ta > limit_ds) continue;
                uint64_t da = (uint64_t)s->dist_dm[u] + at[lo].dist_dm;
                near_push(s->heap, &s->heap_n,
                          (route_near_item){(uint32_t)ta, ROUTE_NEAR_AMENITY | at[lo].ordinal,
                                            da > UINT32_MAX ? UINT32_MAX : (uint32_t)da});
            }
        }
        for (uint32_t j = g->first[u]; j < g->first[u + 1]; j++) {
            uint32_t v = g->edges[j].head;
            uint64_t ndist = (uint64_t)it.key + g->edges[j].time_ds;
            if (ndist > limit_ds || ndist >= s->dist[v]) continue;
            uint64_t ddm = (uint64_t)s->dist_dm[u] + x->snap.roads[g->edge_road[j]].length_dm;
            near_set(s, v, (uint32_t)ndist, ddm > UINT32_MAX ? UINT32_MAX : (uint32_t)ddm);
            near_push(s->heap, &s->heap_n, (route_near_item){(uint32_t)ndist, v, 0});
        }
    }
    *n_out = found;
    if (!found)
        return err_set(e, FK_ENOTFOUND, "no %s reachable by %s from (%.5f, %.5f)%s",
                       near_names[k], route_mode_name(m), geo_lat_deg(p), geo_lon_deg(p),
                       limit_ds == ROUTE_INF ? "" : " within the time limit");
    return 0;
}
