/*
 * clip.c: the raster clip mask of the OSM importer (see clip.h).
 *
 * Building it takes two passes over the level-0 areas' ring edges:
 *   1. scanline fill: for every cell row, the crossings of the row's centre
 *      line with the area's rings (even-odd, half-open in latitude exactly
 *      as geo_ring_contains) are sorted, and the cells whose centres lie
 *      between pairs of crossings are marked; areas are filled one at a
 *      time so adjacent kommuner cannot cancel each other out;
 *   2. margin: for every edge, the cells of the edge's bbox grown by
 *      margin + half a cell diagonal are tested (distance from the cell
 *      centre to the edge) and marked when close enough.
 * Together the marked cells cover every point within margin_m of an area.
 */
#include "clip.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/vec.h"

#define CLIP_M_PER_DEG (6371008.8 * 3.14159265358979323846 / 180.0)
#define CLIP_DEG2RAD (3.14159265358979323846 / 180.0)
#define CLIP_MAX_CELLS (1ull << 28)

typedef struct clip_cross {
    uint32_t row;
    double x;    /* lon_e7 where the ring crosses the row's centre line */
} clip_cross;

typedef VEC(clip_cross) clip_cross_vec;

static int clip_cross_cmp(const void *pa, const void *pb)
{
    const clip_cross *a = pa, *b = pb;
    if (a->row != b->row) return a->row < b->row ? -1 : 1;
    return (a->x > b->x) - (a->x < b->x);
}

static void clip_mark(clip_mask *m, uint64_t r, uint64_t c)
{
    uint64_t k = r * m->cols + c;
    uint8_t bit = (uint8_t)(1u << (k & 7));
    if (!(m->bits[k >> 3] & bit)) {
        m->bits[k >> 3] |= bit;
        m->n_marked++;
    }
}

static int clip_marked(const clip_mask *m, uint64_t r, uint64_t c)
{
    uint64_t k = r * m->cols + c;
    return (m->bits[k >> 3] >> (k & 7)) & 1;
}

/* Centre of cell (r, c) in e7 units, as doubles. */
static double clip_yc(const clip_mask *m, double r)
{
    return m->lat0_e7 + r * m->dlat_e7 + m->dlat_e7 / 2.0;
}
static double clip_xc(const clip_mask *m, double c)
{
    return m->lon0_e7 + c * m->dlon_e7 + m->dlon_e7 / 2.0;
}

/* Whether area a has valid ring and point ranges in b. */
static int clip_area_ok(const region_builder *b, const region_area *a)
{
    if (a->level != 0) return 0;
    if (a->first_ring > b->rings.n || a->n_rings > b->rings.n - a->first_ring) return 0;
    for (uint32_t k = 0; k < a->n_rings; k++) {
        const region_ring *rg = &b->rings.v[a->first_ring + k];
        if (rg->first_point > b->ring_points.n ||
            rg->n_points > b->ring_points.n - rg->first_point)
            return 0;
    }
    return 1;
}

/* Pass 1 for one area: appends crossings into *xs (reused scratch), sorts
 * them and marks the cells between pairs. 0 or FK_ENOMEM. */
static int clip_fill_area(clip_mask *m, const region_builder *b, const region_area *a,
                          clip_cross_vec *xs)
{
    xs->n = 0;
    for (uint32_t k = 0; k < a->n_rings; k++) {
        const region_ring *rg = &b->rings.v[a->first_ring + k];
        const geo_point *pt = b->ring_points.v + rg->first_point;
        size_t n = rg->n_points;
        if (n < 3) continue;
        for (size_t i = 0, j = n - 1; i < n; j = i++) {
            double yi = pt[i].lat_e7, yj = pt[j].lat_e7;
            double xi = pt[i].lon_e7, xj = pt[j].lon_e7;
            if (yi == yj) continue;
            double ylo = yi < yj ? yi : yj, yhi = yi < yj ? yj : yi;
            /* rows whose centre yc satisfies ylo <= yc < yhi */
            double r0 = ceil((ylo - m->lat0_e7 - m->dlat_e7 / 2.0) / m->dlat_e7);
            if (r0 < 0) r0 = 0;
            for (double r = r0; r < m->rows; r++) {
                double yc = clip_yc(m, r);
                if (yc >= yhi) break;
                if (yc < ylo) continue;
                clip_cross cr = {(uint32_t)r, xi + (xj - xi) * (yc - yi) / (yj - yi)};
                if (vec_push(*xs, cr)) return FK_ENOMEM;
            }
        }
    }
    if (xs->n > 1) qsort(xs->v, xs->n, sizeof *xs->v, clip_cross_cmp);
    for (size_t i = 0; i + 1 < xs->n;) {
        if (xs->v[i].row != xs->v[i + 1].row) { i++; continue; }
        double x0 = xs->v[i].x, x1 = xs->v[i + 1].x;
        double c0 = ceil((x0 - m->lon0_e7 - m->dlon_e7 / 2.0) / m->dlon_e7);
        if (c0 < 0) c0 = 0;
        for (double c = c0; c < m->cols && clip_xc(m, c) < x1; c++)
            clip_mark(m, xs->v[i].row, (uint64_t)c);
        i += 2;
    }
    return 0;
}

/* Pass 2 for one edge a-b: marks cells whose centre lies within reach_m. */
static void clip_mark_edge(clip_mask *m, geo_point a, geo_point b, double reach_m)
{
    double mlat = reach_m / CLIP_M_PER_DEG * GEO_E7;
    double far = fmax(fabs((double)a.lat_e7), fabs((double)b.lat_e7));
    far = far / GEO_E7 + mlat / GEO_E7;
    if (far > 89.0) far = 89.0;
    double mlon = mlat / cos(far * CLIP_DEG2RAD);
    double ylo = (a.lat_e7 < b.lat_e7 ? a.lat_e7 : b.lat_e7) - mlat;
    double yhi = (a.lat_e7 < b.lat_e7 ? b.lat_e7 : a.lat_e7) + mlat;
    double xlo = (a.lon_e7 < b.lon_e7 ? a.lon_e7 : b.lon_e7) - mlon;
    double xhi = (a.lon_e7 < b.lon_e7 ? b.lon_e7 : a.lon_e7) + mlon;
    double r0 = floor((ylo - m->lat0_e7) / m->dlat_e7);
    double r1 = floor((yhi - m->lat0_e7) / m->dlat_e7);
    double c0 = floor((xlo - m->lon0_e7) / m->dlon_e7);
    double c1 = floor((xhi - m->lon0_e7) / m->dlon_e7);
    if (r0 < 0) r0 = 0;
    if (c0 < 0) c0 = 0;
    if (r1 > (double)m->rows - 1) r1 = (double)m->rows - 1;
    if (c1 > (double)m->cols - 1) c1 = (double)m->cols - 1;
    for (double r = r0; r <= r1; r++) {
        for (double c = c0; c <= c1; c++) {
            if (clip_marked(m, (uint64_t)r, (uint64_t)c)) continue;
            geo_point p = {(int32_t)lround(clip_yc(m, r)), (int32_t)lround(clip_xc(m, c))};
            if (geo_seg_dist_m(p, a, b) <= reach_m)
                clip_mark(m, (uint64_t)r, (uint64_t)c);
        }
    }
}

int clip_mask_build(clip_mask *m, const region_builder *b, double margin_m,
                    double cell_m, fk_err *e)
{
    memset(m, 0, sizeof *m);
    if (!isfinite(margin_m) || margin_m < 0 || margin_m > 1e6)
        return err_set(e, FK_EINVAL, "clip margin %g m: expected 0 to 1000000", margin_m);
    if (!(cell_m > 0)) cell_m = 250.0;
    if (!isfinite(cell_m)) return err_set(e, FK_EINVAL, "clip cell size not finite");

    geo_bbox box = geo_bbox_empty();
    size_t n_areas = 0;
    for (size_t i = 0; i < b->areas.n; i++) {
        const region_area *a = &b->areas.v[i];
        if (!clip_area_ok(b, a)) continue;
        for (uint32_t k = 0; k < a->n_rings; k++) {
            const region_ring *rg = &b->rings.v[a->first_ring + k];
            for (uint32_t j = 0; j < rg->n_points; j++)
                geo_bbox_add(&box, b->ring_points.v[rg->first_point + j]);
        }
        n_areas++;
    }
    if (!n_areas || geo_bbox_is_empty(&box))
        return err_set(e, FK_EINVAL, "clip: the region has no kommun areas (level 0) "
                       "with boundary points: import the kommun boundaries before OSM, "
                       "or import OSM without clipping");

    /* Grid geometry: cells at most cell_m wide at the latitude closest to
     * the equator; coarser when the grid would be too large. */
    for (;;) {
        geo_bbox g = geo_bbox_expand(box, margin_m + 2 * cell_m);
        double minabs = (g.min_lat_e7 <= 0 && g.max_lat_e7 >= 0) ? 0.0
                        : fmin(fabs((double)g.min_lat_e7), fabs((double)g.max_lat_e7)) / GEO_E7;
        if (minabs > 89.0) minabs = 89.0;
        double dlat = cell_m / CLIP_M_PER_DEG * GEO_E7;
        double dlon = dlat / cos(minabs * CLIP_DEG2RAD);
        if (dlat > 1e9 || dlon > 1e9) dlat = dlon = 1e9;
        m->dlat_e7 = dlat < 1 ? 1 : (int32_t)lround(dlat);
        m->dlon_e7 = dlon < 1 ? 1 : (int32_t)lround(dlon);
        m->lat0_e7 = g.min_lat_e7;
        m->lon0_e7 = g.min_lon_e7;
        uint64_t rows = ((uint64_t)((int64_t)g.max_lat_e7 - g.min_lat_e7)) / (uint64_t)m->dlat_e7 + 1;
        uint64_t cols = ((uint64_t)((int64_t)g.max_lon_e7 - g.min_lon_e7)) / (uint64_t)m->dlon_e7 + 1;
        if (rows <= CLIP_MAX_CELLS / cols) {
            m->rows = (uint32_t)rows;
            m->cols = (uint32_t)cols;
            break;
        }
        cell_m *= 2;
    }
    m->cell_m = cell_m;
    size_t nbytes = (size_t)(((uint64_t)m->rows * m->cols + 7) / 8);
    m->bits = mem_calloc(nbytes, 1);
    if (!m->bits) return err_set(e, FK_ENOMEM, "clip mask: out of memory (%zu bytes)", nbytes);

    clip_cross_vec xs = {0};
    for (size_t i = 0; i < b->areas.n; i++) {
        const region_area *a = &b->areas.v[i];
        if (!clip_area_ok(b, a)) continue;
        if (clip_fill_area(m, b, a, &xs)) {
            vec_free(xs);
            return err_set(e, FK_ENOMEM, "clip mask: out of memory");
        }
    }
    vec_free(xs);

    /* Half the cell diagonal: cells are at most dlat metres wide. */
    double dlat_m = m->dlat_e7 / GEO_E7 * CLIP_M_PER_DEG;
    double reach = margin_m + dlat_m * 0.7072 + 1.0;
    for (size_t i = 0; i < b->areas.n; i++) {
        const region_area *a = &b->areas.v[i];
        if (!clip_area_ok(b, a)) continue;
        for (uint32_t k = 0; k < a->n_rings; k++) {
            const region_ring *rg = &b->rings.v[a->first_ring + k];
            const geo_point *pt = b->ring_points.v + rg->first_point;
            size_t n = rg->n_points;
            if (n == 1) clip_mark_edge(m, pt[0], pt[0], reach);
            for (size_t j = 0; n > 1 && j < n; j++)
                clip_mark_edge(m, pt[j], pt[(j + 1) % n], reach);
        }
    }
    return 0;
}

void clip_mask_free(clip_mask *m)
{
    mem_free(m->bits);
    memset(m, 0, sizeof *m);
}
