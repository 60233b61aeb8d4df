/*
 * snap.h: snapping a coordinate to the road network of a travel mode, and
 * turning the snapped point into the sources or targets of a search with
 * partial edge times (docs/routing-nearest.md).
 *
 * The index is a uniform grid of ROUTE_SNAP_CELL_M (150 m) cells over the
 * bounding box of the road nodes, one per mode, listing in each cell every
 * road segment usable by that mode that passes through the cell (exact
 * supercover, not the segment's bounding box). Empty cells cost nothing:
 * the grid is stored row by row, each row a sorted list of its non-empty
 * cells, so a rectangle of cells is one binary search per row.
 *
 * It is built at `flyttkarta build` time (route_snap_build) and stored in
 * the snapshot, so opening is free and every server process shares the
 * pages; route_snap_init builds the same index in memory (what the build of
 * the nearest-amenity tables and tests use).
 *
 * Sections (ids ROUTE_SEC_SNAP_BASE = 1200 .. 1212):
 *   1200            route_snap_header, one record
 *   1201 + 4*m + 0  rows: uint32[ny + 1], first non-empty cell of each row
 *   1201 + 4*m + 1  cell_x: uint32[n_cells], column of each non-empty cell
 *   1201 + 4*m + 2  cell_first: uint32[n_cells + 1], first item of each cell
 *   1201 + 4*m + 3  items: uint32[n_items], road indices
 * (m = route_mode: walk 0, bike 1, car 2). Ids up to 1249 are reserved here.
 */
#ifndef FK_ROUTE_SNAP_H
#define FK_ROUTE_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/geo.h"
#include "../region/builder.h"
#include "../region/region.h"
#include "profile.h"

#define ROUTE_SNAP_CELL_M 150.0

enum { ROUTE_SEC_SNAP_BASE = 1200, ROUTE_SEC_SNAP_LAST = 1249 };

/* Section id of part (0 rows, 1 cell_x, 2 cell_first, 3 items) of mode m's
 * grid; route_snap_section_id(0, -1) is the header. */
uint32_t route_snap_section_id(route_mode m, int part);

typedef struct route_snap_header {
    geo_bbox region;          /* points outside are "outside the region" */
    int32_t origin_lat_e7;    /* south-west corner of cell (0, 0) */
    int32_t origin_lon_e7;
    int32_t cell_lat_e7;      /* cell height and width in 1e-7 degrees */
    int32_t cell_lon_e7;
    uint32_t nx, ny;          /* columns, rows */
    uint32_t n_nodes, n_roads;/* of the network it was built on */
    uint32_t n_cells[MODE_COUNT];
    uint32_t n_items[MODE_COUNT];
} route_snap_header;

typedef struct route_snap_grid {
    const uint32_t *rows;        /* ny + 1 */
    const uint32_t *cell_x;      /* n_cells */
    const uint32_t *cell_first;  /* n_cells + 1 */
    const uint32_t *items;       /* n_items */
} route_snap_grid;

/* The index. Opened from a snapshot it points into the mapping; built with
 * route_snap_init it owns its arrays. Read-only after set-up: any number of
 * threads may snap with one route_snapper. */
typedef struct route_snapper {
    route_snap_header h;
    const geo_point *nodes;
    const region_road *roads;
    route_snap_grid grid[MODE_COUNT];
    void *owned[MODE_COUNT][4];  /* arrays to free (built in memory), else NULL */
} route_snapper;

typedef struct route_snap_result {
    uint32_t road;        /* index into roads */
    double frac;          /* 0 at road.from .. 1 at road.to */
    geo_point point;      /* the projected point on the segment */
    double dist_m;        /* from the query point to `point` */
} route_snap_result;

/* Builds the index in memory over n_nodes nodes and n_roads roads (which
 * must stay alive and unchanged while s is used). region_bbox (may be NULL:
 * then the node bbox grown by 2 km) decides what is "outside the region".
 * Free with route_snap_free. 0, FK_ENOMEM or FK_ETOOBIG (more than 2^32
 * cell entries) with a message in e. */
int route_snap_init(route_snapper *s, const geo_point *nodes, size_t n_nodes,
                    const region_road *roads, size_t n_roads,
                    const geo_bbox *region_bbox, fk_err *e);

/* Frees what route_snap_init allocated; no-op for an opened index. */
void route_snap_free(route_snapper *s);

/* Builds the index over the builder's road nodes and roads and adds it to
 * the builder as sections 1200..1212. The region bbox is computed as the
 * snapshot header's (nodes, stops, POIs, areas). 0, FK_ENOMEM, FK_ETOOBIG,
 * FK_EINVAL (sections already added) with a message. Reports progress. */
int route_snap_build(region_builder *b, fk_err *e);

/* Points s into the sections of an open snapshot and validates them
 * (monotonic offsets, columns and roads in range, sizes consistent with the
 * road network): O(cells + items). FK_ENOTFOUND when the snapshot has no
 * snap index, FK_ECORRUPT when it is invalid. Nothing to free. */
int route_snap_open(const region *r, route_snapper *s, fk_err *e);

/* The nearest point to p on a road segment usable by mode m (route_profile
 * allows at least one direction), within max_m metres. Distances are
 * measured in the local equirectangular projection around p (what
 * geo_seg_dist_m does); ties go to the lowest road index. Searches rings of
 * cells outward from p's cell until no unvisited cell can hold a closer
 * segment. No allocation; thread-safe.
 * Returns 0 and fills *out, or FK_ENOTFOUND with a message:
 *   "point (65.58412, 22.15467) is outside the region",
 *   "point (...) is 1234 m from the nearest road usable by bike; the limit
 *    is 1000 m" (or "more than N m" when none lies within 10 * max_m),
 *   "no road in the region is usable by car". */
int route_snap(const route_snapper *s, route_mode m, geo_point p, double max_m,
               route_snap_result *out, fk_err *e);

/* Partial edge times and lengths of a point at frac along road rd, for
 * mode m. T = route_profile(rd, m).time_ds, L = rd->length_dm:
 *   from_ds = round(frac * T), to_ds = T - from_ds   (time between the
 *   point and road.from, resp. road.to), from_dm/to_dm the same with L.
 * fwd/bwd: whether the road may be travelled from->to, to->from. */
typedef struct route_partial {
    uint8_t fwd, bwd;
    uint32_t from_ds, to_ds;
    uint32_t from_dm, to_dm;
} route_partial;

route_partial route_snap_partial(const region_road *rd, route_mode m, double frac);

/* Search sources for departing from the snapped point: road.from after
 * from_ds when the road may be travelled to->from, road.to after to_ds when
 * from->to is allowed. Writes up to 2 entries into node/time_ds (and dist_dm,
 * may be NULL) and returns how many. Use with a FORWARD graph. */
size_t route_snap_depart(const route_snapper *s, route_mode m, const route_snap_result *r,
                         uint32_t node[2], uint32_t time_ds[2], uint32_t dist_dm[2]);

/* Search targets (or backward-search sources) for arriving at the snapped
 * point: road.from with from_ds when from->to is allowed, road.to with
 * to_ds when to->from is allowed. Returns how many (0..2). */
size_t route_snap_arrive(const route_snapper *s, route_mode m, const route_snap_result *r,
                         uint32_t node[2], uint32_t time_ds[2], uint32_t dist_dm[2]);

#endif
