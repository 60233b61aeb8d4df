/*
 * clip.h: the clip mask of the OSM importer: "is this point inside the
 * region's kommuner, grown by a margin?" answered in O(1) per point.
 *
 * A Sweden-sized extract has ~130 M nodes and a region is a few kommun
 * polygons with tens of thousands of vertices, so a point-in-polygon test
 * per node is out of the question. Instead the mask is a raster of cells
 * (about 250 m square, coarser when the areas are huge) over the bbox of
 * the builder's level-0 areas (region_area.level == 0) grown by the margin.
 * A cell is marked when its centre lies inside an area (scanline fill,
 * even-odd over the area's rings, so holes are respected) or within
 * margin + half the cell diagonal of any ring edge. That makes the mask
 * conservative: every point inside the grown area lies in a marked cell;
 * points up to about one cell diagonal beyond the margin may be kept too.
 *
 * The mask is built once from the builder (a few hundred milliseconds for
 * all of Sweden's kommuner) and holds one bit per cell.
 */
#ifndef FK_INGEST_CLIP_H
#define FK_INGEST_CLIP_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/geo.h"
#include "../region/builder.h"

typedef struct clip_mask {
    int32_t lat0_e7, lon0_e7;   /* south-west corner of cell (0, 0) */
    int32_t dlat_e7, dlon_e7;   /* cell height and width, > 0 */
    uint32_t rows, cols;
    uint8_t *bits;              /* rows * cols bits, row-major */
    uint64_t n_marked;          /* cells marked */
    double cell_m;              /* cell size used (metres, north-south) */
} clip_mask;

/* Builds the mask of the builder's level-0 areas grown by margin_m (>= 0)
 * with cells of about cell_m metres (<= 0: 250 m). The cell size grows when
 * the grid would exceed 2^28 cells. *m is overwritten; free it with
 * clip_mask_free (also after a failure). Returns 0, FK_EINVAL (no level-0
 * area with points, bad margin) or FK_ENOMEM, with a message in e. */
int clip_mask_build(clip_mask *m, const region_builder *b, double margin_m,
                    double cell_m, fk_err *e);

/* 1 when p lies in a marked cell, else 0. O(1), no allocation. */
static inline int clip_mask_contains(const clip_mask *m, geo_point p)
{
    int64_t dy = (int64_t)p.lat_e7 - m->lat0_e7;
    int64_t dx = (int64_t)p.lon_e7 - m->lon0_e7;
    if (dy < 0 || dx < 0) return 0;
    uint64_t r = (uint64_t)dy / (uint64_t)m->dlat_e7;
    uint64_t c = (uint64_t)dx / (uint64_t)m->dlon_e7;
    if (r >= m->rows || c >= m->cols) return 0;
    uint64_t k = r * m->cols + c;
    return (m->bits[k >> 3] >> (k & 7)) & 1;
}

void clip_mask_free(clip_mask *m);

#endif
