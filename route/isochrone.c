/*
 * isochrone.c: isochrone grids and polygons (see isochrone.h and
 * docs/isochrones.md).
 *
 * A query runs in three steps, each over memory the scratch holds:
 *
 * 1. Search. The point is snapped, its departure nodes (route_snap_depart)
 *    start one bounded search up to the largest limit: route_dijkstra, or
 *    route_ch_phast (whose times by position are copied to node ids).
 *
 * 2. Raster. Every "piece" a traveller can leave on foot is stamped onto
 *    the grid: each reached edge u->v of a stoppable road from u up to
 *    where its interpolated time reaches the limit, the origin's own road
 *    from the snapped point in each allowed direction, and the snapped
 *    point itself. For a piece starting at time t0 with pace a (s/m along
 *    it) and off-road pace b, a cell centre c at along-distance x and
 *    perpendicular distance h gets
 *        min over x' of t0 + a x' + b |c - p(x')|,  |c - p(x')| <= R,
 *    x' within the reached part: a convex function of x', minimised in
 *    closed form (x' = x - h a / sqrt(b^2 - a^2) when a < b, else the
 *    earliest feasible x') and clamped to the feasible interval. Cells are
 *    visited in blocks of ISO_BLOCK^2 around the piece: a block whose
 *    largest value no walk from the piece can beat is skipped, and so is a
 *    cell whose value is below t0 + b * (its distance to the piece), so the
 *    many pieces behind a reached area's front cost little; at most about
 *    (length + 2R) * 2R / cell^2 cells per piece. All geometry is
 *    in metres of a local equirectangular projection around the query
 *    point. The grid is sized from the pieces' bounding box plus R and a
 *    border of two unreached cells, so every contour closes inside it.
 *
 * 3. Contour (per limit). Marching squares over the cell centres: a point
 *    is inside when its time <= the limit. On an edge between two reached
 *    points the crossing is interpolated linearly; between a reached and
 *    an unreached point (the end of the off-road reach, a hard edge) it is
 *    the middle. Rings are traced with the inside on the left, which makes
 *    outer rings counter-clockwise and holes clockwise. The crossing on a
 *    cell edge is kept at least ISO_EPS of the edge away from either end,
 *    so no two rings share a point; saddles are joined when the mean of
 *    the four corners (unreached ones counted as the ceiling, the largest
 *    limit + one cell of walking) is inside. Crossings
 *    move monotonically with the limit and the saddle rule is monotonic
 *    too, so a smaller limit's area lies within a larger one's. Points are
 *    rounded to the 1e-6 degree output lattice, then exact duplicates and
 *    middle points of straight north-south or east-west runs are removed
 *    (the shape is unchanged).
 *    Holes are nested into the smallest outer ring containing them.
 */
#include "isochrone.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "../base/mem.h"

#define ISO_PI 3.14159265358979323846
#define ISO_M_PER_E7 (6371008.8 * ISO_PI / 180.0 / GEO_E7)  /* metres per 1e-7 deg lat */
#define ISO_EPS 0.02            /* crossings stay this share of an edge from its ends */
#define ISO_DEFAULT_SNAP_M 1000.0
#define ISO_DEFAULT_KMH 5.0
#define ISO_BLOCK 4             /* cells per side of a pruning block */

static double iso_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- open, scratch ---- */

int route_iso_open(const region *r, route_iso_index *x, fk_err *e)
{
    memset(x, 0, sizeof *x);
    x->r = r;
    if (r->n_road_nodes >= UINT32_MAX)
        return err_set(e, FK_ECORRUPT, "isochrones: too many road nodes");
    x->n_nodes = (uint32_t)r->n_road_nodes;
    int rc = route_snap_open(r, &x->snap, e);
    if (rc) return rc;
    for (int m = 0; m < MODE_COUNT; m++) {
        rc = route_graph_open(r, (route_mode)m, DIR_FORWARD, &x->fwd[m], e);
        if (rc) return rc;
        if (x->fwd[m].n_nodes != x->n_nodes)
            return err_set(e, FK_ECORRUPT, "isochrones: %s graph has %u nodes, the region %u",
                           route_mode_name((route_mode)m), x->fwd[m].n_nodes, x->n_nodes);
        fk_err e2;
        rc = route_ch_open(r, (route_mode)m, &x->ch[m], &e2);
        if (rc == 0) x->has_ch[m] = x->ch[m].n_nodes == x->n_nodes;
        else if (rc != FK_ENOTFOUND) return err_set(e, rc, "%s", e2.msg);
    }
    err_clear(e);
    return 0;
}

void route_iso_scratch_free(route_iso_scratch *s)
{
    route_search_free(&s->search);
    if (s->with_phast) route_ch_scratch_free(&s->ch);
    mem_free(s->dist);
    mem_free(s->reached);
    mem_free(s->grid);
    mem_free(s->visited);
    mem_free(s->block_max);
    mem_free(s->pts);
    mem_free(s->rings);
    mem_free(s->order);
    memset(s, 0, sizeof *s);
}

int route_iso_scratch_init(route_iso_scratch *s, const route_iso_index *x, uint32_t max_side,
                           int with_phast)
{
    memset(s, 0, sizeof *s);
    if (!max_side) max_side = ROUTE_ISO_DEFAULT_SIDE;
    if (max_side < ROUTE_ISO_MIN_SIDE || max_side > ROUTE_ISO_MAX_SIDE) return FK_EINVAL;
    s->n_nodes = x->n_nodes;
    s->max_side = max_side;
    size_t cells = (size_t)max_side * max_side;
    /* contour bounds: at most one point per crossed cell edge (< 2 per
     * cell) plus a closing point per ring; a ring crosses >= 4 edges */
    s->cap_pts = 2 * cells + cells / 2 + 16;
    s->cap_rings = cells / 2 + 16;
    if (route_search_init(&s->search, x->n_nodes)) goto nomem;
    s->grid = mem_alloc(cells * sizeof *s->grid);
    s->visited = mem_alloc(cells);
    size_t bside = (max_side + ISO_BLOCK - 1) / ISO_BLOCK;
    s->block_max = mem_alloc(bside * bside * sizeof *s->block_max);
    s->pts = mem_alloc(s->cap_pts * sizeof *s->pts);
    s->rings = mem_alloc(s->cap_rings * sizeof *s->rings);
    s->order = mem_alloc(2 * s->cap_rings * sizeof *s->order);
    s->reached = mem_alloc(((size_t)x->n_nodes + 1) * sizeof *s->reached);
    if (!s->grid || !s->visited || !s->block_max || !s->pts || !s->rings || !s->order || !s->reached) goto nomem;
    if (with_phast) {
        const route_ch *ch = NULL;
        for (int m = 0; m < MODE_COUNT && !ch; m++)
            if (x->has_ch[m]) ch = &x->ch[m];
        if (ch) {
            if (route_ch_scratch_init(&s->ch, ch)) goto nomem;
            s->with_phast = 1;
            s->dist = mem_alloc(((size_t)x->n_nodes + 1) * sizeof *s->dist);
            if (!s->dist) goto nomem;
            for (uint32_t i = 0; i < x->n_nodes; i++) s->dist[i] = ROUTE_INF;
        }
    }
    return 0;
nomem:
    route_iso_scratch_free(s);
    return FK_ENOMEM;
}

/* ---- the off-road model ---- */

int route_iso_stoppable(const region_road *rd)
{
    if (rd->highway == HW_MOTORWAY || rd->highway == HW_MOTORWAY_LINK || rd->highway == HW_FERRY)
        return 0;
    return !(rd->flags & (ROAD_F_TUNNEL | ROAD_F_BRIDGE));
}

/* The state of one rasterisation. */
typedef struct iso_ctx {
    const geo_point *nodes;
    int32_t lat0, lon0;     /* projection centre (the query point) */
    double mx, my;          /* metres per 1e-7 degree of lon, lat */
    double b;               /* off-road pace, s/m */
    double R;               /* longest off-road walk, m */
    double limit_s;
    /* pass 0: bbox of the pieces */
    double bx0, by0, bx1, by1;
    /* pass 1: the grid */
    uint32_t *grid;
    uint32_t *ub;           /* per block: the largest value of its cells */
    uint32_t nx, ny, nbx, nby;
    double gx0, gy0, cell;
    uint32_t n_stamped;
} iso_ctx;

static void iso_xy(const iso_ctx *c, geo_point p, double *x, double *y)
{
    *x = ((double)p.lon_e7 - c->lon0) * c->mx;
    *y = ((double)p.lat_e7 - c->lat0) * c->my;
}

static void iso_bbox_add(iso_ctx *c, double x, double y)
{
    if (x < c->bx0) c->bx0 = x;
    if (x > c->bx1) c->bx1 = x;
    if (y < c->by0) c->by0 = y;
    if (y > c->by1) c->by1 = y;
}

/* Distance from point (x, y) to the rectangle [x0, x1] x [y0, y1]. */
static double iso_pt_rect(double x, double y, double x0, double y0, double x1, double y1)
{
    double dx = x < x0 ? x0 - x : x > x1 ? x - x1 : 0;
    double dy = y < y0 ? y0 - y : y > y1 ? y - y1 : 0;
    return sqrt(dx * dx + dy * dy);
}

/* Stamps the piece from (px, py) towards (qx, qy), reached up to the
 * fraction `share` of its length, starting at t0 seconds and taking T
 * seconds for the whole length, onto the grid (pass 1) or into the bbox
 * (pass 0). Pass 1 works block by block (ISO_BLOCK^2 cells): a block is
 * skipped when even a walk from the piece's start to the block's nearest
 * possible point cannot beat the block's largest value, which keeps the
 * cost of the many pieces behind a reached area's front small. */
static void iso_piece(iso_ctx *c, int pass, double px, double py, double qx, double qy,
                      double t0, double T, double share)
{
    double dx = qx - px, dy = qy - py, len = sqrt(dx * dx + dy * dy);
    double ux = 1, uy = 0, a = 0, lr = 0;
    if (share > 1) share = 1;
    if (len > 1e-3 && share > 0) {
        ux = dx / len;
        uy = dy / len;
        a = T / len;
        lr = len * share;
    }
    double ex = px + ux * lr, ey = py + uy * lr;
    if (pass == 0) {
        iso_bbox_add(c, px, py);
        iso_bbox_add(c, ex, ey);
        return;
    }
    c->n_stamped++;
    const double b = c->b, R = c->R, R2 = R * R, cell = c->cell;
    const double k = a < b ? a / sqrt(b * b - a * a) : -1.0;
    long jlo = (long)ceil((fmin(py, ey) - R - c->gy0) / cell - 0.5);
    long jhi = (long)floor((fmax(py, ey) + R - c->gy0) / cell - 0.5);
    long ilo = (long)ceil((fmin(px, ex) - R - c->gx0) / cell - 0.5);
    long ihi = (long)floor((fmax(px, ex) + R - c->gx0) / cell - 0.5);
    if (jlo < 1) jlo = 1;
    if (ilo < 1) ilo = 1;
    if (jhi > (long)c->ny - 2) jhi = (long)c->ny - 2;
    if (ihi > (long)c->nx - 2) ihi = (long)c->nx - 2;
    const double span = (ISO_BLOCK - 1) * cell; /* first to last cell centre of a block */
    const double midx = (px + ex) / 2, midy = (py + ey) / 2;
    /* a cell whose value is <= t10 + b10 * d cannot be improved by a
     * walk of d metres or more from this piece */
    const double t10 = t0 * 10.0 - 0.5, b10 = b * 10.0, inv_b10 = 1.0 / b10;
    const double d_along = cell * ux, d_cross = cell * uy;
    for (long bj = jlo / ISO_BLOCK; bj <= jhi / ISO_BLOCK; bj++) {
        for (long bi = ilo / ISO_BLOCK; bi <= ihi / ISO_BLOCK; bi++) {
            /* a lower bound of the distance from the reached segment to the
             * rectangle of the block's cell centres: from the segment's
             * middle, less half its length */
            double rx0 = c->gx0 + ((double)bi * ISO_BLOCK + 0.5) * cell;
            double ry0 = c->gy0 + ((double)bj * ISO_BLOCK + 0.5) * cell;
            double dlb = iso_pt_rect(midx, midy, rx0, ry0, rx0 + span, ry0 + span) - lr / 2;
            if (dlb > R) continue;
            if (dlb < 0) dlb = 0;
            uint32_t *ub = &c->ub[(size_t)bj * c->nbx + (size_t)bi];
            if ((double)*ub <= t10 + b10 * dlb) continue;
            int changed = 0;
            long j0 = bj * ISO_BLOCK, j1 = j0 + ISO_BLOCK - 1, i0 = bi * ISO_BLOCK,
                 i1 = i0 + ISO_BLOCK - 1;
            long ja = j0 > jlo ? j0 : jlo, jb = j1 < jhi ? j1 : jhi;
            long ia = i0 > ilo ? i0 : ilo, ib = i1 < ihi ? i1 : ihi;
            for (long j = ja; j <= jb; j++) {
                double ry = c->gy0 + ((double)j + 0.5) * cell - py;
                double rx = c->gx0 + ((double)ia + 0.5) * cell - px;
                double along = rx * ux + ry * uy, cross = rx * uy - ry * ux;
                uint32_t *row = c->grid + (size_t)j * c->nx;
                for (long i = ia; i <= ib; i++, along += d_along, cross += d_cross) {
                    double h = fabs(cross);
                    if (h > R) continue;
                    /* the walk is at least as long as the distance to the
                     * reached segment: no better than t0 + b * that */
                    double room = ((double)row[i] - t10) * inv_b10;
                    if (room <= h) continue;
                    double out = along < 0 ? -along : along > lr ? along - lr : 0;
                    if (room * room <= out * out + h * h) continue;
                    double w = sqrt(R2 - h * h);
                    double lo = along - w, hi = along + w;
                    if (lo < 0) lo = 0;
                    if (hi > lr) hi = lr;
                    if (lo > hi) continue;
                    double xs = k >= 0 ? along - h * k : lo;
                    if (xs < lo) xs = lo;
                    if (xs > hi) xs = hi;
                    double dd = along - xs;
                    double t = t0 + a * xs + b * sqrt(dd * dd + h * h);
                    if (t > c->limit_s) continue;
                    uint32_t ds = (uint32_t)(t * 10.0 + 0.5);
                    if (ds < row[i]) {
                        row[i] = ds;
                        changed = 1;
                    }
                }
            }
            if (!changed) continue;
            /* the block's largest value, over all its cells in the grid
             * (values only fall, so a stale one is still an upper bound) */
            uint32_t top = 0;
            if (i1 > (long)c->nx - 1) i1 = (long)c->nx - 1;
            if (j1 > (long)c->ny - 1) j1 = (long)c->ny - 1;
            for (long j = j0; j <= j1; j++) {
                const uint32_t *row = c->grid + (size_t)j * c->nx;
                for (long i = i0; i <= i1; i++)
                    if (row[i] > top) top = row[i];
            }
            *ub = top;
        }
    }
}

/* Enumerates every piece of the model (see the file comment). */
static void iso_pieces(iso_ctx *c, int pass, const route_iso_index *x, route_mode m,
                       const route_snap_result *sr, const uint32_t *dist,
                       const uint32_t *reached, size_t n_reached)
{
    const region *r = x->r;
    const route_graph *g = &x->fwd[m];
    double sx, sy;
    iso_xy(c, sr->point, &sx, &sy);
    iso_piece(c, pass, sx, sy, sx, sy, 0, 0, 1);
    const region_road *rd = &r->roads[sr->road];
    if (route_iso_stoppable(rd)) {
        route_partial pp = route_snap_partial(rd, m, sr->frac);
        double qx, qy;
        if (pp.fwd) {
            iso_xy(c, c->nodes[rd->to], &qx, &qy);
            double T = pp.to_ds / 10.0;
            iso_piece(c, pass, sx, sy, qx, qy, 0, T, T > 0 ? c->limit_s / T : 1);
        }
        if (pp.bwd) {
            iso_xy(c, c->nodes[rd->from], &qx, &qy);
            double T = pp.from_ds / 10.0;
            iso_piece(c, pass, sx, sy, qx, qy, 0, T, T > 0 ? c->limit_s / T : 1);
        }
    }
    for (size_t i = 0; i < n_reached; i++) {
        uint32_t u = reached[i];
        double t0 = dist[u] / 10.0, px, py;
        iso_xy(c, c->nodes[u], &px, &py);
        for (uint32_t k = g->first[u]; k < g->first[u + 1]; k++) {
            if (!route_iso_stoppable(&r->roads[g->edge_road[k]])) continue;
            double qx, qy, T = g->edges[k].time_ds / 10.0;
            iso_xy(c, c->nodes[g->edges[k].head], &qx, &qy);
            iso_piece(c, pass, px, py, qx, qy, t0, T, T > 0 ? (c->limit_s - t0) / T : 1);
        }
    }
}

/* ---- the query ---- */

/* The query behind route_isochrone and route_isochrone_seeded: with
 * n_seed == 0 the search starts at the snapped point, else at the seeds. */
static int iso_run(const route_iso_index *x, route_iso_scratch *s, route_mode m,
                   geo_point from, const uint32_t *seed, const uint32_t *seed_ds,
                   size_t n_seed, uint32_t limit_ds, const route_iso_opts *o,
                   route_iso_grid *out, fk_err *e)
{
    route_iso_opts op;
    if (o) op = *o;
    else memset(&op, 0, sizeof op);
    if ((unsigned)m >= MODE_COUNT) return err_set(e, FK_EINVAL, "isochrone: unknown mode %d", (int)m);
    if (limit_ds < 1 || limit_ds > ROUTE_ISO_MAX_LIMIT_DS)
        return err_set(e, FK_EINVAL, "isochrone: limit %u ds out of range (1..%u)", limit_ds,
                       ROUTE_ISO_MAX_LIMIT_DS);
    if (!(op.cell_m == 0 || (op.cell_m >= 5 && op.cell_m <= 10000)))
        return err_set(e, FK_EINVAL, "isochrone: cell size %g m out of range (5..10000)", op.cell_m);
    if (!(op.offroad_m >= 0 && op.offroad_m <= 5000))
        return err_set(e, FK_EINVAL, "isochrone: off-road distance %g m out of range (0..5000)",
                       op.offroad_m);
    if (!(op.offroad_kmh == 0 || (op.offroad_kmh >= 0.5 && op.offroad_kmh <= 50)))
        return err_set(e, FK_EINVAL, "isochrone: off-road speed %g km/h out of range (0.5..50)",
                       op.offroad_kmh);
    if (!(op.max_snap_m >= 0 && op.max_snap_m <= 1e6))
        return err_set(e, FK_EINVAL, "isochrone: snap distance %g m out of range", op.max_snap_m);
    if (op.engine != ROUTE_ISO_DIJKSTRA && op.engine != ROUTE_ISO_PHAST)
        return err_set(e, FK_EINVAL, "isochrone: unknown engine %d", (int)op.engine);
    if (op.engine == ROUTE_ISO_PHAST && (!s->with_phast || !x->has_ch[m]))
        return err_set(e, FK_EINVAL, "isochrone: PHAST needs the %s CH in the snapshot and "
                       "scratch made with PHAST", route_mode_name(m));
    if (s->n_nodes != x->n_nodes)
        return err_set(e, FK_EINVAL, "isochrone: scratch made for another region");
    double minutes = limit_ds / 600.0;
    double cell = op.cell_m > 0 ? op.cell_m : fmin(150.0, fmax(50.0, 2.5 * minutes));
    double R0 = op.offroad_m > 0 ? op.offroad_m : (m == MODE_CAR ? 200.0 : 300.0);
    double kmh = op.offroad_kmh > 0 ? op.offroad_kmh : ISO_DEFAULT_KMH;
    double snap_m = op.max_snap_m > 0 ? op.max_snap_m : ISO_DEFAULT_SNAP_M;

    /* 1. snap and search */
    double t_start = iso_now_ms();
    route_snap_result sr;
    int rc = route_snap(&x->snap, m, from, snap_m, &sr, e);
    if (rc) return rc;
    uint32_t src_own[2], src_t_own[2];
    const uint32_t *src = src_own, *src_t = src_t_own;
    size_t n_src = route_snap_depart(&x->snap, m, &sr, src_own, src_t_own, NULL);
    if (n_seed) {
        src = seed;
        src_t = seed_ds;
        n_src = n_seed;
    }
    const uint32_t *dist, *reached;
    size_t n_reached;
    uint64_t settled = 0;
    if (op.engine == ROUTE_ISO_DIJKSTRA) {
        route_dijkstra(&x->fwd[m], src, src_t, n_src, limit_ds, ROUTE_INF, &s->search);
        dist = s->search.dist;
        reached = s->search.touched;
        n_reached = s->search.n_touched;
        settled = s->search.settled;
    } else {
        for (size_t i = 0; i < s->n_reached; i++) s->dist[s->reached[i]] = ROUTE_INF;
        s->n_reached = 0;
        const route_ch *ch = &x->ch[m];
        const uint32_t *t = route_ch_phast(ch, &s->ch, DIR_FORWARD, src, src_t, n_src, limit_ds);
        if (!t) return err_set(e, FK_ENOMEM, "isochrone: out of memory in PHAST");
        for (uint32_t p = 0; p < ch->n_nodes; p++)
            if (t[p] != ROUTE_CH_INF) {
                uint32_t v = ch->order[p];
                s->dist[v] = t[p];
                s->reached[s->n_reached++] = v;
            }
        dist = s->dist;
        reached = s->reached;
        n_reached = s->n_reached;
    }
    double t_search = iso_now_ms();

    /* 2. raster: size the grid from the pieces, then stamp them */
    iso_ctx c;
    memset(&c, 0, sizeof c);
    c.nodes = x->r->road_nodes;
    c.lat0 = from.lat_e7;
    c.lon0 = from.lon_e7;
    c.my = ISO_M_PER_E7;
    double cs = cos(from.lat_e7 / GEO_E7 * ISO_PI / 180.0);
    c.mx = ISO_M_PER_E7 * (cs < 0.05 ? 0.05 : cs);
    c.b = 3.6 / kmh;
    c.limit_s = limit_ds / 10.0;
    c.bx0 = c.by0 = INFINITY;
    c.bx1 = c.by1 = -INFINITY;
    iso_pieces(&c, 0, x, m, &sr, dist, reached, n_reached);
    double ext = fmax(c.bx1 - c.bx0, c.by1 - c.by0);
    uint32_t S = s->max_side;
    double R = R0;
    for (;;) {
        R = fmax(R0, 2.0 * cell);
        double nxd = ceil((c.bx1 - c.bx0 + 2 * R) / cell) + 4;
        double nyd = ceil((c.by1 - c.by0 + 2 * R) / cell) + 4;
        if (nxd <= S && nyd <= S) {
            c.nx = (uint32_t)nxd;
            c.ny = (uint32_t)nyd;
            break;
        }
        /* the smallest cell that fits, whichever of R0 and 2 cells wins */
        double c1 = (ext + 2 * R0) / (S - 6), c2 = ext / (S - 10);
        double want = R0 >= 2 * c1 ? c1 : c2;
        cell = fmax(cell * 1.01, want);
    }
    c.R = R;
    c.cell = cell;
    c.gx0 = c.bx0 - R - 2 * cell;
    c.gy0 = c.by0 - R - 2 * cell;
    c.grid = s->grid;
    size_t n_cells = (size_t)c.nx * c.ny;
    for (size_t i = 0; i < n_cells; i++) c.grid[i] = ROUTE_INF;
    c.ub = s->block_max;
    c.nbx = (c.nx + ISO_BLOCK - 1) / ISO_BLOCK;
    c.nby = (c.ny + ISO_BLOCK - 1) / ISO_BLOCK;
    for (size_t i = 0; i < (size_t)c.nbx * c.nby; i++) c.ub[i] = ROUTE_INF;
    iso_pieces(&c, 1, x, m, &sr, dist, reached, n_reached);
    double t_raster = iso_now_ms();

    route_iso_grid *g = &s->g;
    memset(g, 0, sizeof *g);
    g->mode = m;
    g->from = from;
    g->snap = sr;
    g->limit_ds = limit_ds;
    uint32_t walk_cell_ds = (uint32_t)(cell * c.b * 10.0 + 0.5);
    g->ceiling_ds = limit_ds + (walk_cell_ds ? walk_cell_ds : 1);
    g->west_e7 = c.lon0 + c.gx0 / c.mx;
    g->south_e7 = c.lat0 + c.gy0 / c.my;
    g->cell_lon_e7 = cell / c.mx;
    g->cell_lat_e7 = cell / c.my;
    g->cell_m = cell;
    g->offroad_m = R;
    g->offroad_kmh = kmh;
    g->nx = c.nx;
    g->ny = c.ny;
    g->time_ds = s->grid;
    g->engine = op.engine;
    g->n_reached = (uint32_t)n_reached;
    g->n_stamped = c.n_stamped;
    g->settled = settled;
    g->search_ms = t_search - t_start;
    g->raster_ms = t_raster - t_search;
    *out = *g;
    return 0;
}

int route_isochrone(const route_iso_index *x, route_iso_scratch *s, route_mode m,
                    geo_point from, uint32_t limit_ds, const route_iso_opts *o,
                    route_iso_grid *out, fk_err *e)
{
    return iso_run(x, s, m, from, NULL, NULL, 0, limit_ds, o, out, e);
}

int route_isochrone_seeded(const route_iso_index *x, route_iso_scratch *s, route_mode m,
                           geo_point from, const uint32_t *seed, const uint32_t *seed_ds,
                           size_t n_seed, uint32_t limit_ds, const route_iso_opts *o,
                           route_iso_grid *out, fk_err *e)
{
    if (n_seed == 0)
        return err_set(e, FK_EINVAL, "isochrone: no seed nodes (pass the origin's own)");
    for (size_t i = 0; i < n_seed; i++)
        if (seed[i] >= x->n_nodes)
            return err_set(e, FK_EINVAL, "isochrone: seed node %u out of range", seed[i]);
    return iso_run(x, s, m, from, seed, seed_ds, n_seed, limit_ds, o, out, e);
}

/* ---- contours ---- */

typedef struct iso_trace {
    route_iso_scratch *s;
    const route_iso_grid *g;
    const uint32_t *v;
    uint32_t nx, L;
    double ceil_v;
    size_t np, nr;
    int overflow;
} iso_trace;

static int iso_in(const iso_trace *t, uint32_t i, uint32_t j)
{
    return t->v[(size_t)j * t->nx + i] <= t->L;
}

static double iso_cv(const iso_trace *t, uint32_t i, uint32_t j)
{
    uint32_t v = t->v[(size_t)j * t->nx + i];
    return v >= t->ceil_v ? t->ceil_v : (double)v;
}

static int32_t iso_lattice(double e7)
{
    return (int32_t)floor(e7 / 10.0 + 0.5) * 10;
}

/* Appends the crossing on the horizontal (vert = 0: P(i,j)-P(i+1,j)) or
 * vertical (vert = 1: P(i,j)-P(i,j+1)) edge and marks it visited. */
static void iso_emit(iso_trace *t, int vert, uint32_t i, uint32_t j)
{
    route_iso_scratch *s = t->s;
    s->visited[(size_t)j * t->nx + i] |= (uint8_t)(vert ? 2 : 1);
    if (t->np >= s->cap_pts) {
        t->overflow = 1;
        return;
    }
    size_t c0 = (size_t)j * t->nx + i, c1 = vert ? c0 + t->nx : c0 + 1;
    double f = 0.5; /* the edge of the off-road reach lies between the centres */
    if (t->v[c0] != ROUTE_INF && t->v[c1] != ROUTE_INF) {
        double v0 = t->v[c0], v1 = t->v[c1];
        f = (t->L - v0) / (v1 - v0);
    }
    if (!(f >= ISO_EPS)) f = ISO_EPS;
    if (f > 1 - ISO_EPS) f = 1 - ISO_EPS;
    double gi = i + 0.5 + (vert ? 0 : f), gj = j + 0.5 + (vert ? f : 0);
    geo_point p;
    p.lon_e7 = iso_lattice(t->g->west_e7 + gi * t->g->cell_lon_e7);
    p.lat_e7 = iso_lattice(t->g->south_e7 + gj * t->g->cell_lat_e7);
    s->pts[t->np++] = p;
}

static int iso_same(geo_point a, geo_point b)
{
    return a.lat_e7 == b.lat_e7 && a.lon_e7 == b.lon_e7;
}

/* b lies strictly between a and c on a line of constant latitude or
 * longitude. Only such runs are merged: they stay exactly straight in any
 * representation of the coordinates (binary doubles of the decimals
 * included), so the shape, and its relation to other limits' rings that
 * share the run, is unchanged for every reader. */
static int iso_between(geo_point a, geo_point b, geo_point c)
{
    if (a.lat_e7 == b.lat_e7 && b.lat_e7 == c.lat_e7)
        return (a.lon_e7 < b.lon_e7 && b.lon_e7 < c.lon_e7) ||
               (a.lon_e7 > b.lon_e7 && b.lon_e7 > c.lon_e7);
    if (a.lon_e7 == b.lon_e7 && b.lon_e7 == c.lon_e7)
        return (a.lat_e7 < b.lat_e7 && b.lat_e7 < c.lat_e7) ||
               (a.lat_e7 > b.lat_e7 && b.lat_e7 > c.lat_e7);
    return 0;
}

/* Traces the ring through the horizontal edge (i0, j0), then cleans it
 * and records it. */
static void iso_trace_ring(iso_trace *t, uint32_t i0, uint32_t j0)
{
    route_iso_scratch *s = t->s;
    size_t first = t->np;
    uint32_t si = i0, sj = j0;
    int k = 0;
    if (!iso_in(t, i0, j0)) {
        sj = j0 - 1;
        k = 2;
    }
    iso_emit(t, 0, i0, j0);
    for (size_t guard = 0; guard < s->cap_pts && !t->overflow; guard++) {
        int c[4] = {iso_in(t, si, sj), iso_in(t, si + 1, sj), iso_in(t, si + 1, sj + 1),
                    iso_in(t, si, sj + 1)};
        int mm;
        if (c[0] == c[2] && c[1] == c[3] && c[0] != c[1]) {
            double mean = (iso_cv(t, si, sj) + iso_cv(t, si + 1, sj) +
                           iso_cv(t, si + 1, sj + 1) + iso_cv(t, si, sj + 1)) / 4.0;
            mm = (k + (mean <= t->L ? 1 : 3)) & 3;
        } else {
            mm = (k + 1) & 3;
            for (int d = 1; d <= 3; d++) {
                mm = (k + d) & 3;
                if (c[(mm + 1) & 3]) break;
            }
        }
        /* the exit edge, and the square beyond it */
        uint32_t ei = si, ej = sj;
        int vert = mm & 1;
        if (mm == 1) ei = si + 1;
        if (mm == 2) ej = sj + 1;
        if (!vert && ei == i0 && ej == j0) break; /* back at the start */
        iso_emit(t, vert, ei, ej);
        switch (mm) {
        case 0: sj--; k = 2; break;
        case 1: si++; k = 3; break;
        case 2: sj++; k = 0; break;
        default: si--; k = 1; break;
        }
    }
    if (t->overflow) return;
    /* clean: drop duplicates and collinear middle points, in place */
    geo_point *p = s->pts + first;
    size_t n = t->np - first, w = 0;
    for (size_t q = 0; q < n; q++) {
        geo_point a = p[q];
        if (w >= 1 && iso_same(p[w - 1], a)) continue;
        while (w >= 2 && iso_between(p[w - 2], p[w - 1], a)) w--;
        p[w++] = a;
    }
    for (;;) {
        if (w >= 2 && iso_same(p[w - 1], p[0])) { w--; continue; }
        if (w >= 3 && iso_between(p[w - 2], p[w - 1], p[0])) { w--; continue; }
        if (w >= 3 && iso_between(p[w - 1], p[0], p[1])) {
            memmove(p, p + 1, (w - 1) * sizeof *p);
            w--;
            continue;
        }
        break;
    }
    t->np = first;
    if (w < 3 || t->nr >= s->cap_rings || first + w >= s->cap_pts) return;
    /* area (shoelace in 1e-14 deg^2, relative to the first point) and bbox */
    double a2 = 0;
    geo_bbox bb = geo_bbox_empty();
    for (size_t q = 0; q < w; q++) {
        geo_point u = p[q], v = p[(q + 1) % w];
        double ux = (double)u.lon_e7 - p[0].lon_e7, uy = (double)u.lat_e7 - p[0].lat_e7;
        double vx = (double)v.lon_e7 - p[0].lon_e7, vy = (double)v.lat_e7 - p[0].lat_e7;
        a2 += ux * vy - vx * uy;
        geo_bbox_add(&bb, u);
    }
    if (a2 == 0) return;
    p[w] = p[0];
    route_iso_ring *rg = &s->rings[t->nr];
    memset(rg, 0, sizeof *rg);
    rg->first = (uint32_t)first;
    rg->n = (uint32_t)(w + 1);
    rg->hole = a2 < 0;
    rg->outer = (uint32_t)t->nr;
    double mx = ISO_M_PER_E7 * cos(t->g->from.lat_e7 / GEO_E7 * ISO_PI / 180.0);
    rg->area_m2 = a2 / 2.0 * mx * ISO_M_PER_E7;
    rg->bbox = bb;
    t->np = first + w + 1;
    t->nr++;
}

static int iso_bbox_within(const geo_bbox *in, const geo_bbox *out)
{
    return in->min_lat_e7 >= out->min_lat_e7 && in->max_lat_e7 <= out->max_lat_e7 &&
           in->min_lon_e7 >= out->min_lon_e7 && in->max_lon_e7 <= out->max_lon_e7;
}

int route_iso_contour(route_iso_scratch *s, const route_iso_grid *g, uint32_t limit_ds,
                      route_iso_polygons *out)
{
    if (limit_ds > g->limit_ds || g->time_ds != s->grid) return FK_EINVAL;
    double t0 = iso_now_ms();
    iso_trace t;
    memset(&t, 0, sizeof t);
    t.s = s;
    t.g = g;
    t.v = s->grid;
    t.nx = g->nx;
    t.L = limit_ds;
    t.ceil_v = g->ceiling_ds;
    size_t n_cells = (size_t)g->nx * g->ny;
    memset(s->visited, 0, n_cells);
    /* every ring crosses some horizontal edge: start rings there. Rows 0
     * and ny - 1 are unreached, so j runs over the inner rows only. */
    for (uint32_t j = 1; j + 1 < g->ny && !t.overflow; j++) {
        const uint32_t *row = s->grid + (size_t)j * g->nx;
        const uint8_t *vis = s->visited + (size_t)j * g->nx;
        for (uint32_t i = 0; i + 1 < g->nx; i++) {
            if ((row[i] <= limit_ds) == (row[i + 1] <= limit_ds) || (vis[i] & 1)) continue;
            iso_trace_ring(&t, i, j);
            if (t.overflow) break;
        }
    }
    /* nest every hole in the smallest outer ring that contains it */
    route_iso_ring *rg = s->rings;
    size_t nr = t.nr;
    for (size_t h = 0; h < nr; h++) {
        if (!rg[h].hole) continue;
        uint32_t best = UINT32_MAX;
        for (size_t o = 0; o < nr; o++) {
            if (rg[o].hole || !iso_bbox_within(&rg[h].bbox, &rg[o].bbox)) continue;
            if (best != UINT32_MAX && rg[o].area_m2 >= rg[best].area_m2) continue;
            if (geo_ring_contains(s->pts + rg[o].first, rg[o].n - 1, s->pts[rg[h].first]))
                best = (uint32_t)o;
        }
        rg[h].outer = best; /* UINT32_MAX: no outer ring (cannot happen) */
    }
    /* order: each outer ring, then its holes (counting sort by outer) */
    uint32_t *cnt = s->order + s->cap_rings;
    for (size_t i = 0; i < nr; i++) cnt[i] = 0;
    for (size_t i = 0; i < nr; i++)
        if (rg[i].outer != UINT32_MAX) cnt[rg[i].outer]++;
    uint32_t acc = 0;
    for (size_t i = 0; i < nr; i++) {
        uint32_t k = cnt[i];
        cnt[i] = acc;
        acc += k;
    }
    size_t n_poly = 0;
    double area = 0;
    for (size_t i = 0; i < nr; i++) {
        if (rg[i].outer == UINT32_MAX) continue;
        if (!rg[i].hole) {
            s->order[cnt[i]++] = (uint32_t)i; /* an outer ring is its own first entry */
            n_poly++;
        }
    }
    for (size_t i = 0; i < nr; i++) {
        if (rg[i].outer == UINT32_MAX || !rg[i].hole) continue;
        s->order[cnt[rg[i].outer]++] = (uint32_t)i;
    }
    for (size_t i = 0; i < acc; i++) area += rg[s->order[i]].area_m2;
    memset(out, 0, sizeof *out);
    out->limit_ds = limit_ds;
    out->pts = s->pts;
    out->n_pts = t.np;
    out->rings = s->rings;
    out->order = s->order;
    out->n_rings = acc;
    out->n_polygons = n_poly;
    out->area_m2 = area;
    out->contour_ms = iso_now_ms() - t0;
    return t.overflow ? FK_ETOOBIG : 0;
}

/* ---- JSON ---- */

static json_t *iso_lonlat(geo_point p)
{
    json_t *a = json_array();
    if (!a) return NULL;
    if (json_array_append_new(a, json_real(p.lon_e7 / GEO_E7)) ||
        json_array_append_new(a, json_real(p.lat_e7 / GEO_E7))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *iso_minutes(uint32_t ds)
{
    return ds % 600 == 0 ? json_integer(ds / 600) : json_real(ds / 600.0);
}

json_t *route_iso_geojson(const route_iso_polygons *c, route_mode m)
{
    /* every member is attached to f as soon as it is made, so that one
     * json_decref(f) frees everything on any failure */
    json_t *f = json_object();
    if (!f) return NULL;
    json_t *props = json_object(), *geom = json_object(), *polys = json_array(), *poly = NULL;
    if (json_object_set_new(f, "type", json_string("Feature")) ||
        json_object_set_new(f, "properties", props)) {
        json_decref(geom);
        json_decref(polys);
        goto fail;
    }
    if (json_object_set_new(f, "geometry", geom)) {
        json_decref(polys);
        goto fail;
    }
    if (json_object_set_new(geom, "type", json_string("MultiPolygon")) ||
        json_object_set_new(geom, "coordinates", polys) ||
        json_object_set_new(props, "minutes", iso_minutes(c->limit_ds)) ||
        json_object_set_new(props, "mode", json_string(route_mode_name(m))) ||
        json_object_set_new(props, "area_km2", json_real(floor(c->area_m2 / 1e3 + 0.5) / 1e3)) ||
        json_object_set_new(props, "polygons", json_integer((json_int_t)c->n_polygons)))
        goto fail;
    for (size_t q = 0; q < c->n_rings; q++) {
        const route_iso_ring *rg = &c->rings[c->order[q]];
        if (!rg->hole) {
            poly = json_array();
            if (json_array_append_new(polys, poly)) goto fail;
        }
        if (!poly) goto fail; /* a hole before any outer ring: never produced */
        json_t *ring = json_array();
        if (json_array_append_new(poly, ring)) goto fail;
        for (uint32_t k = 0; k < rg->n; k++)
            if (json_array_append_new(ring, iso_lonlat(c->pts[rg->first + k]))) goto fail;
    }
    return f;
fail:
    json_decref(f);
    return NULL;
}

json_t *route_iso_grid_json(const route_iso_grid *g)
{
    json_t *o = json_object();
    if (!o) return NULL;
    if (json_object_set_new(o, "mode", json_string(route_mode_name(g->mode))) ||
        json_object_set_new(o, "from", iso_lonlat(g->from)) ||
        json_object_set_new(o, "snapped", iso_lonlat(g->snap.point)) ||
        json_object_set_new(o, "max_minutes", iso_minutes(g->limit_ds)) ||
        json_object_set_new(o, "cell_m", json_real(floor(g->cell_m * 100 + 0.5) / 100)) ||
        json_object_set_new(o, "offroad_m", json_real(floor(g->offroad_m * 100 + 0.5) / 100)) ||
        json_object_set_new(o, "west", json_real(g->west_e7 / GEO_E7)) ||
        json_object_set_new(o, "south", json_real(g->south_e7 / GEO_E7)) ||
        json_object_set_new(o, "cell_lon_deg", json_real(g->cell_lon_e7 / GEO_E7)) ||
        json_object_set_new(o, "cell_lat_deg", json_real(g->cell_lat_e7 / GEO_E7)) ||
        json_object_set_new(o, "nx", json_integer(g->nx)) ||
        json_object_set_new(o, "ny", json_integer(g->ny)))
        goto fail;
    json_t *rows = json_array();
    if (json_object_set_new(o, "seconds", rows)) goto fail;
    for (uint32_t j = 0; j < g->ny; j++) {
        json_t *row = json_array();
        if (json_array_append_new(rows, row)) goto fail;
        for (uint32_t i = 0; i < g->nx; i++) {
            uint32_t v = g->time_ds[(size_t)j * g->nx + i];
            if (json_array_append_new(row, v == ROUTE_INF ? json_null() : json_integer((v + 9) / 10)))
                goto fail;
        }
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}
