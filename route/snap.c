/*
 * snap.c: the per-mode snapping grid and the nearest-segment search (see
 * snap.h and docs/routing-nearest.md).
 *
 * Building: each road usable by a mode is rasterised into the cells it
 * passes through, row band by row band (the part of the segment inside a
 * row's latitude band spans a contiguous run of columns), with a small
 * epsilon so that rounding can only add cells, never lose one. Entries are
 * counted per row, placed, sorted per row by (column, road) and compressed
 * into the row -> non-empty cells -> roads CSR.
 *
 * Searching: rings of cells at Chebyshev distance R = 0, 1, 2, ... around
 * the query point's cell. Every point of a cell at ring R + 1 or more lies
 * at least R cell sizes away from p (in the local projection around p that
 * distances are measured in), so once the best distance is below R cell
 * sizes the answer is final.
 */
#include "snap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"

#define SNAP_DEG2RAD (3.14159265358979323846 / 180.0)
#define SNAP_M_PER_E7 (6371008.8 * SNAP_DEG2RAD / GEO_E7)  /* metres per 1e-7 deg lat */
#define SNAP_MAX_DIM (1u << 22)                            /* rows or columns */
#define SNAP_EPS 1e-6                                      /* in cells */

uint32_t route_snap_section_id(route_mode m, int part)
{
    if (part < 0) return ROUTE_SEC_SNAP_BASE;
    return ROUTE_SEC_SNAP_BASE + 1 + (uint32_t)m * 4 + (uint32_t)part;
}

/* ---- building ---- */

/* Fractional cell coordinates of a point. */
static double snap_fx(const route_snap_header *h, geo_point p)
{
    return ((double)p.lon_e7 - h->origin_lon_e7) / h->cell_lon_e7;
}

static double snap_fy(const route_snap_header *h, geo_point p)
{
    return ((double)p.lat_e7 - h->origin_lat_e7) / h->cell_lat_e7;
}

static uint32_t snap_clampi(double v, uint32_t n)
{
    if (!(v > 0)) return 0;           /* also NaN */
    if (v >= (double)n - 1) return n - 1;
    return (uint32_t)v;
}

/* Calls the emitter for every cell (x, y) the segment a-b passes through:
 * in the count pass (out == NULL) counts per row into cnt[y], in the fill
 * pass writes (x << 32 | road) at out[cnt[y]++]. Returns the number of
 * cells emitted. */
static uint64_t snap_raster(const route_snap_header *h, geo_point a, geo_point b,
                            uint32_t road, uint32_t *cnt, uint64_t *out)
{
    double x0 = snap_fx(h, a), y0 = snap_fy(h, a), x1 = snap_fx(h, b), y1 = snap_fy(h, b);
    uint32_t ylo = snap_clampi(floor(fmin(y0, y1) - SNAP_EPS), h->ny);
    uint32_t yhi = snap_clampi(floor(fmax(y0, y1) + SNAP_EPS), h->ny);
    uint64_t n = 0;
    for (uint32_t y = ylo; y <= yhi; y++) {
        double xa, xb;
        if (fabs(y1 - y0) < 1e-12) {
            xa = x0;
            xb = x1;
        } else {
            double ta = ((double)y - SNAP_EPS - y0) / (y1 - y0);
            double tb = ((double)y + 1 + SNAP_EPS - y0) / (y1 - y0);
            if (ta > tb) { double t = ta; ta = tb; tb = t; }
            if (ta < 0) ta = 0;
            if (tb > 1) tb = 1;
            if (ta > tb) continue;
            xa = x0 + ta * (x1 - x0);
            xb = x0 + tb * (x1 - x0);
        }
        uint32_t xlo = snap_clampi(floor(fmin(xa, xb) - SNAP_EPS), h->nx);
        uint32_t xhi = snap_clampi(floor(fmax(xa, xb) + SNAP_EPS), h->nx);
        for (uint32_t x = xlo; x <= xhi; x++) {
            if (out) out[cnt[y]++] = (uint64_t)x << 32 | road;
            else cnt[y]++;
            n++;
        }
    }
    return n;
}

static int snap_u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int snap_usable(const region_road *rd, route_mode m)
{
    route_cost c = route_profile(rd, m);
    return c.fwd || c.bwd;
}

/* Builds mode m's grid into s->owned[m][*] and s->grid[m]. */
static int snap_build_mode(route_snapper *s, route_mode m, size_t n_roads, fk_err *e)
{
    route_snap_header *h = &s->h;
    uint32_t *cnt = mem_calloc((size_t)h->ny + 1, sizeof *cnt);
    uint64_t *ent = NULL;
    uint32_t *cell_x = NULL, *cell_first = NULL, *items = NULL;
    if (!cnt) goto nomem;
    uint64_t total = 0;
    for (size_t i = 0; i < n_roads; i++) {
        const region_road *rd = &s->roads[i];
        if (!snap_usable(rd, m)) continue;
        total += snap_raster(h, s->nodes[rd->from], s->nodes[rd->to], (uint32_t)i, cnt, NULL);
        if (total >= UINT32_MAX) {
            mem_free(cnt);
            return err_set(e, FK_ETOOBIG, "snap index %s: more than 2^32 cell entries",
                           route_mode_name(m));
        }
    }
    /* prefix sums: cnt[y] becomes the first entry of row y */
    uint32_t acc = 0;
    for (uint32_t y = 0; y <= h->ny; y++) {
        uint32_t k = cnt[y];
        cnt[y] = acc;
        acc += k;
    }
    ent = mem_alloc((total ? total : 1) * sizeof *ent);
    if (!ent) goto nomem;
    for (size_t i = 0; i < n_roads; i++) {
        const region_road *rd = &s->roads[i];
        if (!snap_usable(rd, m)) continue;
        snap_raster(h, s->nodes[rd->from], s->nodes[rd->to], (uint32_t)i, cnt, ent);
    }
    /* after the fill pass cnt[y] is the end of row y, i.e. the start of y+1 */
    memmove(cnt + 1, cnt, (size_t)h->ny * sizeof *cnt);
    cnt[0] = 0;
    items = mem_alloc((total ? total : 1) * sizeof *items);
    cell_x = mem_alloc((total ? total : 1) * sizeof *cell_x);
    cell_first = mem_alloc((total + 1) * sizeof *cell_first);
    if (!items || !cell_x || !cell_first) goto nomem;
    uint32_t nc = 0;
    for (uint32_t y = 0; y < h->ny; y++) {
        uint32_t lo = cnt[y], hi = cnt[y + 1];
        qsort(ent + lo, hi - lo, sizeof *ent, snap_u64_cmp);
        cnt[y] = nc; /* rows[y]: first cell of the row */
        for (uint32_t k = lo; k < hi; k++) {
            uint32_t x = (uint32_t)(ent[k] >> 32);
            if (k == lo || x != (uint32_t)(ent[k - 1] >> 32)) {
                cell_x[nc] = x;
                cell_first[nc++] = k;
            }
            items[k] = (uint32_t)ent[k];
        }
    }
    cnt[h->ny] = nc;
    cell_first[nc] = (uint32_t)total;
    mem_free(ent);
    h->n_cells[m] = nc;
    h->n_items[m] = (uint32_t)total;
    s->owned[m][0] = cnt;
    s->owned[m][1] = cell_x;
    s->owned[m][2] = cell_first;
    s->owned[m][3] = items;
    s->grid[m] = (route_snap_grid){cnt, cell_x, cell_first, items};
    return 0;
nomem:
    mem_free(cnt);
    mem_free(ent);
    mem_free(cell_x);
    mem_free(cell_first);
    mem_free(items);
    return err_set(e, FK_ENOMEM, "snap index %s: out of memory", route_mode_name(m));
}

int route_snap_init(route_snapper *s, const geo_point *nodes, size_t n_nodes,
                    const region_road *roads, size_t n_roads,
                    const geo_bbox *region_bbox, fk_err *e)
{
    memset(s, 0, sizeof *s);
    if (n_nodes >= UINT32_MAX || n_roads >= UINT32_MAX)
        return err_set(e, FK_ETOOBIG, "snap index: more than 2^32 nodes or roads");
    s->nodes = nodes;
    s->roads = roads;
    route_snap_header *h = &s->h;
    h->n_nodes = (uint32_t)n_nodes;
    h->n_roads = (uint32_t)n_roads;
    geo_bbox nb = geo_bbox_empty();
    for (size_t i = 0; i < n_nodes; i++) geo_bbox_add(&nb, nodes[i]);
    h->region = region_bbox ? *region_bbox : geo_bbox_expand(nb, 2000.0);
    if (geo_bbox_is_empty(&nb)) nb = (geo_bbox){0, 0, 0, 0};
    double mid = (nb.min_lat_e7 / GEO_E7 + nb.max_lat_e7 / GEO_E7) / 2.0;
    double c = cos(mid * SNAP_DEG2RAD);
    if (c < 0.05) c = 0.05;
    double cell_lat = ceil(ROUTE_SNAP_CELL_M / SNAP_M_PER_E7);
    double cell_lon = ceil(cell_lat / c);
    double w = (double)nb.max_lon_e7 - nb.min_lon_e7, ht = (double)nb.max_lat_e7 - nb.min_lat_e7;
    /* grow cells for absurdly large extents so rows and columns stay few */
    while (w / cell_lon >= SNAP_MAX_DIM - 1 || ht / cell_lat >= SNAP_MAX_DIM - 1) {
        cell_lon *= 2;
        cell_lat *= 2;
    }
    h->origin_lat_e7 = nb.min_lat_e7;
    h->origin_lon_e7 = nb.min_lon_e7;
    h->cell_lat_e7 = (int32_t)cell_lat;
    h->cell_lon_e7 = (int32_t)cell_lon;
    h->nx = (uint32_t)(w / cell_lon) + 1;
    h->ny = (uint32_t)(ht / cell_lat) + 1;
    for (size_t i = 0; i < n_roads; i++)
        if (roads[i].from >= n_nodes || roads[i].to >= n_nodes)
            return err_set(e, FK_EINVAL, "snap index: road %zu refers to a missing node", i);
    for (int m = 0; m < MODE_COUNT; m++) {
        int rc = snap_build_mode(s, (route_mode)m, n_roads, e);
        if (rc) {
            route_snap_free(s);
            return rc;
        }
    }
    return 0;
}

void route_snap_free(route_snapper *s)
{
    for (int m = 0; m < MODE_COUNT; m++)
        for (int k = 0; k < 4; k++) {
            mem_free(s->owned[m][k]);
            s->owned[m][k] = NULL;
        }
}

int route_snap_build(region_builder *b, fk_err *e)
{
    geo_bbox bb = geo_bbox_empty();
    for (size_t i = 0; i < b->road_nodes.n; i++) geo_bbox_add(&bb, b->road_nodes.v[i]);
    for (size_t i = 0; i < b->stops.n; i++) geo_bbox_add(&bb, b->stops.v[i].pos);
    for (size_t i = 0; i < b->pois.n; i++) geo_bbox_add(&bb, b->pois.v[i].pos);
    for (size_t i = 0; i < b->areas.n; i++) {
        const geo_bbox *a = &b->areas.v[i].bbox;
        if (geo_bbox_is_empty(a)) continue;
        geo_bbox_add(&bb, (geo_point){a->min_lat_e7, a->min_lon_e7});
        geo_bbox_add(&bb, (geo_point){a->max_lat_e7, a->max_lon_e7});
    }
    progress_begin(b->progress, "snap index", 0);
    route_snapper s;
    int rc = route_snap_init(&s, b->road_nodes.v, b->road_nodes.n, b->roads.v, b->roads.n,
                             &bb, e);
    if (rc) return rc;
    route_snap_header *h = mem_alloc(sizeof *h);
    if (!h) {
        route_snap_free(&s);
        return err_set(e, FK_ENOMEM, "snap index: out of memory");
    }
    *h = s.h;
    rc = region_builder_add_section(b, route_snap_section_id(MODE_WALK, -1), sizeof *h, h, 1, e);
    for (int m = 0; !rc && m < MODE_COUNT; m++) {
        size_t count[4] = {(size_t)s.h.ny + 1, s.h.n_cells[m], (size_t)s.h.n_cells[m] + 1,
                           s.h.n_items[m]};
        for (int k = 0; !rc && k < 4; k++) {
            void *data = s.owned[m][k];
            s.owned[m][k] = NULL; /* the builder owns it now, also on failure */
            rc = region_builder_add_section(b, route_snap_section_id((route_mode)m, k),
                                            sizeof(uint32_t), data, count[k], e);
        }
        progress_step(b->progress, s.h.n_items[m], 0);
    }
    route_snap_free(&s);
    progress_done(b->progress);
    return rc;
}

/* ---- opening ---- */

#define SNAP_CORRUPT(...) err_set(e, FK_ECORRUPT, "snap index: " __VA_ARGS__)

int route_snap_open(const region *r, route_snapper *s, fk_err *e)
{
    memset(s, 0, sizeof *s);
    const region_section_entry *sh = region_section(r, route_snap_section_id(MODE_WALK, -1));
    if (!sh)
        return err_set(e, FK_ENOTFOUND, "the snapshot has no snap index: rebuild it with "
                       "this version of `flyttkarta build`");
    if (sh->elem_size != sizeof(route_snap_header) || sh->count != 1)
        return SNAP_CORRUPT("header size invalid");
    memcpy(&s->h, region_section_data(r, sh), sizeof s->h);
    const route_snap_header *h = &s->h;
    if (h->n_nodes != r->n_road_nodes || h->n_roads != r->n_roads)
        return SNAP_CORRUPT("built for %u nodes and %u roads, the snapshot has %zu and %zu",
                            h->n_nodes, h->n_roads, r->n_road_nodes, r->n_roads);
    if (h->cell_lat_e7 <= 0 || h->cell_lon_e7 <= 0 || h->nx == 0 || h->ny == 0 ||
        h->nx > SNAP_MAX_DIM || h->ny > SNAP_MAX_DIM)
        return SNAP_CORRUPT("grid geometry invalid");
    s->nodes = r->road_nodes;
    s->roads = r->roads;
    for (int m = 0; m < MODE_COUNT; m++) {
        size_t want[4] = {(size_t)h->ny + 1, h->n_cells[m], (size_t)h->n_cells[m] + 1,
                          h->n_items[m]};
        const uint32_t *a[4];
        for (int k = 0; k < 4; k++) {
            const region_section_entry *se =
                region_section(r, route_snap_section_id((route_mode)m, k));
            if (!se || se->elem_size != 4 || se->count != want[k])
                return SNAP_CORRUPT("%s section %d missing or of the wrong size",
                                    route_mode_name((route_mode)m), k);
            a[k] = region_section_data(r, se);
        }
        const uint32_t *rows = a[0], *cx = a[1], *cf = a[2], *it = a[3];
        if (rows[0] != 0 || rows[h->ny] != h->n_cells[m] || cf[0] != 0 ||
            cf[h->n_cells[m]] != h->n_items[m])
            return SNAP_CORRUPT("%s offsets invalid", route_mode_name((route_mode)m));
        for (uint32_t y = 0; y < h->ny; y++) {
            if (rows[y] > rows[y + 1])
                return SNAP_CORRUPT("%s rows decrease at %u", route_mode_name((route_mode)m), y);
            for (uint32_t c = rows[y]; c < rows[y + 1]; c++)
                if (cx[c] >= h->nx || (c > rows[y] && cx[c] <= cx[c - 1]))
                    return SNAP_CORRUPT("%s cell %u invalid", route_mode_name((route_mode)m), c);
        }
        for (uint32_t c = 0; c < h->n_cells[m]; c++)
            if (cf[c] > cf[c + 1])
                return SNAP_CORRUPT("%s cells decrease at %u", route_mode_name((route_mode)m), c);
        for (uint32_t k = 0; k < h->n_items[m]; k++)
            if (it[k] >= r->n_roads)
                return SNAP_CORRUPT("%s item %u invalid", route_mode_name((route_mode)m), k);
        s->grid[m] = (route_snap_grid){rows, cx, cf, it};
    }
    return 0;
}

/* ---- searching ---- */

typedef struct snap_query {
    const route_snapper *s;
    const route_snap_grid *g;
    geo_point p;
    double mx, my;        /* metres per 1e-7 degree of lon, lat around p */
    double best_d2;
    double best_t;
    uint32_t best_road;   /* UINT32_MAX: none yet */
} snap_query;

static void snap_try_road(snap_query *q, uint32_t road)
{
    const region_road *rd = &q->s->roads[road];
    geo_point a = q->s->nodes[rd->from], b = q->s->nodes[rd->to];
    double ax = ((double)a.lon_e7 - q->p.lon_e7) * q->mx;
    double ay = ((double)a.lat_e7 - q->p.lat_e7) * q->my;
    double dx = ((double)b.lon_e7 - a.lon_e7) * q->mx;
    double dy = ((double)b.lat_e7 - a.lat_e7) * q->my;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0.0;
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    double x = ax + t * dx, y = ay + t * dy;
    double d2 = x * x + y * y;
    if (d2 < q->best_d2 || (d2 == q->best_d2 && road < q->best_road)) {
        q->best_d2 = d2;
        q->best_t = t;
        q->best_road = road;
    }
}

/* Visits the cells of row y with columns in [x0, x1] (may reach outside). */
static void snap_scan_row(snap_query *q, int64_t y, int64_t x0, int64_t x1)
{
    const route_snap_header *h = &q->s->h;
    if (y < 0 || y >= h->ny || x1 < 0 || x0 >= h->nx) return;
    if (x0 < 0) x0 = 0;
    if (x1 >= h->nx) x1 = h->nx - 1;
    uint32_t lo = q->g->rows[y], hi = q->g->rows[y + 1];
    while (lo < hi) { /* first cell with column >= x0 */
        uint32_t mid = lo + (hi - lo) / 2;
        if (q->g->cell_x[mid] < x0) lo = mid + 1;
        else hi = mid;
    }
    for (uint32_t c = lo; c < q->g->rows[y + 1] && q->g->cell_x[c] <= x1; c++)
        for (uint32_t k = q->g->cell_first[c]; k < q->g->cell_first[c + 1]; k++)
            snap_try_road(q, q->g->items[k]);
}

int route_snap(const route_snapper *s, route_mode m, geo_point p, double max_m,
               route_snap_result *out, fk_err *e)
{
    const route_snap_header *h = &s->h;
    double lat = geo_lat_deg(p), lon = geo_lon_deg(p);
    if ((unsigned)m >= MODE_COUNT)
        return err_set(e, FK_EINVAL, "snap: unknown mode %d", (int)m);
    if (!geo_bbox_contains(&h->region, p))
        return err_set(e, FK_ENOTFOUND, "point (%.5f, %.5f) is outside the region", lat, lon);
    if (h->n_items[m] == 0)
        return err_set(e, FK_ENOTFOUND, "no road in the region is usable by %s",
                       route_mode_name(m));
    if (!(max_m >= 0)) max_m = 0;
    snap_query q = {s, &s->grid[m], p, 0, 0, INFINITY, 0, UINT32_MAX};
    q.my = SNAP_M_PER_E7;
    q.mx = SNAP_M_PER_E7 * cos(lat * SNAP_DEG2RAD);
    double cell_m = fmin(h->cell_lon_e7 * q.mx, h->cell_lat_e7 * q.my);
    /* search on to 10 * max_m (at least 5 km) so that the error can say how far */
    double limit_m = fmax(10.0 * max_m, 5000.0);
    int64_t cx = (int64_t)floor(((double)p.lon_e7 - h->origin_lon_e7) / h->cell_lon_e7);
    int64_t cy = (int64_t)floor(((double)p.lat_e7 - h->origin_lat_e7) / h->cell_lat_e7);
    int64_t nx = h->nx, ny = h->ny;
    /* rings closer than the grid's edge are empty: start at the grid */
    int64_t r0 = 0;
    if (cx < 0) r0 = -cx;
    if (cx >= nx && cx - nx + 1 > r0) r0 = cx - nx + 1;
    if (cy < 0 && -cy > r0) r0 = -cy;
    if (cy >= ny && cy - ny + 1 > r0) r0 = cy - ny + 1;
    for (int64_t r = r0;; r++) {
        if (r == 0) {
            snap_scan_row(&q, cy, cx, cx);
        } else {
            snap_scan_row(&q, cy - r, cx - r, cx + r);
            snap_scan_row(&q, cy + r, cx - r, cx + r);
            int64_t ylo = cy - r + 1 < 0 ? 0 : cy - r + 1;
            int64_t yhi = cy + r - 1 >= ny ? ny - 1 : cy + r - 1;
            for (int64_t y = ylo; y <= yhi; y++) {
                snap_scan_row(&q, y, cx - r, cx - r);
                snap_scan_row(&q, y, cx + r, cx + r);
            }
        }
        double reach = (double)r * cell_m; /* unvisited cells lie at least this far */
        if (q.best_road != UINT32_MAX && q.best_d2 < reach * reach) break;
        if (reach > limit_m) break;
        if (cx - r <= 0 && cx + r >= nx - 1 && cy - r <= 0 && cy + r >= ny - 1) break;
    }
    if (q.best_road == UINT32_MAX || sqrt(q.best_d2) > limit_m)
        return err_set(e, FK_ENOTFOUND, "point (%.5f, %.5f) is more than %.0f m from the "
                       "nearest road usable by %s; the limit is %.0f m", lat, lon, limit_m,
                       route_mode_name(m), max_m);
    double d = sqrt(q.best_d2);
    if (d > max_m)
        return err_set(e, FK_ENOTFOUND, "point (%.5f, %.5f) is %.0f m from the nearest "
                       "road usable by %s; the limit is %.0f m", lat, lon, d,
                       route_mode_name(m), max_m);
    const region_road *rd = &s->roads[q.best_road];
    geo_point a = s->nodes[rd->from], b = s->nodes[rd->to];
    out->road = q.best_road;
    out->frac = q.best_t;
    out->point.lat_e7 = (int32_t)lround(a.lat_e7 + q.best_t * ((double)b.lat_e7 - a.lat_e7));
    out->point.lon_e7 = (int32_t)lround(a.lon_e7 + q.best_t * ((double)b.lon_e7 - a.lon_e7));
    out->dist_m = d;
    return 0;
}

/* ---- partial edges ---- */

route_partial route_snap_partial(const region_road *rd, route_mode m, double frac)
{
    route_partial p = {0, 0, 0, 0, 0, 0};
    route_cost c = route_profile(rd, m);
    if (!c.fwd && !c.bwd) return p;
    if (!(frac > 0)) frac = 0;
    if (frac > 1) frac = 1;
    p.fwd = c.fwd;
    p.bwd = c.bwd;
    p.from_ds = (uint32_t)floor(frac * c.time_ds + 0.5);
    if (p.from_ds > c.time_ds) p.from_ds = c.time_ds;
    p.to_ds = c.time_ds - p.from_ds;
    p.from_dm = (uint32_t)floor(frac * rd->length_dm + 0.5);
    if (p.from_dm > rd->length_dm) p.from_dm = rd->length_dm;
    p.to_dm = rd->length_dm - p.from_dm;
    return p;
}

size_t route_snap_depart(const route_snapper *s, route_mode m, const route_snap_result *r,
                         uint32_t node[2], uint32_t time_ds[2], uint32_t dist_dm[2])
{
    const region_road *rd = &s->roads[r->road];
    route_partial pp = route_snap_partial(rd, m, r->frac);
    size_t n = 0;
    if (pp.bwd) { /* towards `from`: travels to->from */
        node[n] = rd->from;
        time_ds[n] = pp.from_ds;
        if (dist_dm) dist_dm[n] = pp.from_dm;
        n++;
    }
    if (pp.fwd) {
        node[n] = rd->to;
        time_ds[n] = pp.to_ds;
        if (dist_dm) dist_dm[n] = pp.to_dm;
        n++;
    }
    return n;
}

size_t route_snap_arrive(const route_snapper *s, route_mode m, const route_snap_result *r,
                         uint32_t node[2], uint32_t time_ds[2], uint32_t dist_dm[2])
{
    const region_road *rd = &s->roads[r->road];
    route_partial pp = route_snap_partial(rd, m, r->frac);
    size_t n = 0;
    if (pp.fwd) { /* coming from `from`: travels from->to */
        node[n] = rd->from;
        time_ds[n] = pp.from_ds;
        if (dist_dm) dist_dm[n] = pp.from_dm;
        n++;
    }
    if (pp.bwd) {
        node[n] = rd->to;
        time_ds[n] = pp.to_ds;
        if (dist_dm) dist_dm[n] = pp.to_dm;
        n++;
    }
    return n;
}
