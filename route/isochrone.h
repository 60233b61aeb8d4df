/*
 * isochrone.h: the areas reachable from a point within given times, per
 * travel mode, as a grid of minutes and as polygons (docs/isochrones.md).
 *
 * A query (route_isochrone) snaps the point to the mode's roads, runs one
 * bounded one-to-all search up to the largest limit (bounded Dijkstra by
 * default, PHAST on request) and rasterises the result onto a grid: each
 * cell gets the exact time of the off-road model at its centre, i.e. the
 * minimum over every reached point of a road of (time at that point,
 * interpolated along the edge in its direction of travel) + (walking time
 * at opts.offroad_kmh in a straight line to the cell centre), where that
 * walk is at most opts.offroad_m long. Roads one cannot leave on foot
 * (route_iso_stoppable: motorways and their links, tunnels, bridges,
 * ferries) carry traffic but reach no cell.
 *
 * route_iso_contour then turns the grid into the polygons of one limit by
 * marching squares on the cell centres (linear interpolation on cell
 * edges, saddles decided by the mean of the four corners): rings closed,
 * outer rings counter-clockwise and holes clockwise (RFC 7946), each hole
 * after its outer ring; no ring touches or crosses another, and the area
 * of a limit contains the area of every smaller limit of the same grid.
 * route_iso_geojson / route_iso_grid_json give GeoJSON and grid JSON.
 *
 * Memory: a route_iso_scratch is allocated once per thread for a largest
 * grid side (max_side cells, ROUTE_ISO_DEFAULT_SIDE = 512): about 50 bytes
 * per grid cell (13 MB at 512 x 512; most of it the worst-case room for
 * contour points and rings) plus 24 bytes per road node (72 with PHAST). Queries never allocate: when the reached area needs more cells
 * than max_side x max_side at the requested cell size, the cell size
 * grows instead. The index (route_iso_index) is read-only and shared.
 */
#ifndef FK_ROUTE_ISOCHRONE_H
#define FK_ROUTE_ISOCHRONE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/geo.h"
#include "../region/region.h"
#include "ch.h"
#include "dijkstra.h"
#include "graph.h"
#include "profile.h"
#include "snap.h"

#define ROUTE_ISO_DEFAULT_SIDE 512u       /* grid side of route_iso_scratch_init(.., 0, ..) */
#define ROUTE_ISO_MIN_SIDE 16u
#define ROUTE_ISO_MAX_SIDE 4096u
#define ROUTE_ISO_MAX_LIMIT_DS 144000u    /* 4 hours */

typedef enum route_iso_engine {
    ROUTE_ISO_DIJKSTRA = 0,   /* bounded Dijkstra on the forward graph (default) */
    ROUTE_ISO_PHAST = 1       /* bounded PHAST on the mode's CH (needs with_phast scratch) */
} route_iso_engine;

/* Options of a query; zero fields take the defaults. */
typedef struct route_iso_opts {
    double cell_m;        /* cell side in metres; 0: 2.5 m per minute of the
                             limit, within [50, 150] */
    double offroad_m;     /* longest off-road walk; 0: 300 walk/bike, 200 car.
                             Raised to 2 cells when cells are larger */
    double offroad_kmh;   /* off-road walking speed; 0: 5 */
    double max_snap_m;    /* the point may lie this far from a road; 0: 1000 */
    route_iso_engine engine;
} route_iso_opts;

/* What queries read: the snap index, forward graphs and CHs of an open
 * snapshot. Points into the mapping; nothing to free. */
typedef struct route_iso_index {
    const region *r;
    route_snapper snap;
    route_graph fwd[MODE_COUNT];
    route_ch ch[MODE_COUNT];
    uint8_t has_ch[MODE_COUNT];   /* CH of the mode present (PHAST possible) */
    uint32_t n_nodes;
} route_iso_index;

/* Opens the index of r (which must outlive x): snap index and forward
 * graphs (required: FK_ENOTFOUND when missing, FK_ECORRUPT when invalid),
 * CHs when present. */
int route_iso_open(const region *r, route_iso_index *x, fk_err *e);

/* One ring of a contour: points [first, first + n) of the contour's pts,
 * closed (the last point repeats the first), coordinates on the 1e-6
 * degree lattice (lat_e7, lon_e7 multiples of 10). */
typedef struct route_iso_ring {
    uint32_t first, n;
    uint32_t outer;           /* hole: index of its outer ring; outer: its own index */
    uint8_t hole;             /* 1: clockwise hole, 0: counter-clockwise outer ring */
    uint8_t pad[3];
    double area_m2;           /* signed: > 0 outer, < 0 hole */
    geo_bbox bbox;
} route_iso_ring;

/* The polygons of one limit: a MultiPolygon. Walk order[0..n_rings): each
 * outer ring is followed by its holes. Points into the scratch: valid until
 * the next route_iso_contour or route_isochrone on it. */
typedef struct route_iso_polygons {
    uint32_t limit_ds;
    const geo_point *pts;
    size_t n_pts;
    const route_iso_ring *rings;
    const uint32_t *order;
    size_t n_rings;
    size_t n_polygons;        /* outer rings */
    double area_m2;           /* outer areas minus holes */
    double contour_ms;        /* time route_iso_contour took */
} route_iso_polygons;

/* The result of a query: the grid of times, cells (i, j) row-major from
 * the south-west corner. Points into the scratch: valid until the next
 * route_isochrone on it. */
typedef struct route_iso_grid {
    route_mode mode;
    geo_point from;           /* the query point */
    route_snap_result snap;   /* where it met the road network */
    uint32_t limit_ds;        /* largest limit: cells above it are not reached */
    uint32_t ceiling_ds;      /* value contouring gives unreached cells */
    double west_e7, south_e7; /* south-west corner of cell (0, 0), 1e-7 degrees */
    double cell_lon_e7, cell_lat_e7;  /* cell size in 1e-7 degrees */
    double cell_m, offroad_m, offroad_kmh;
    uint32_t nx, ny;
    const uint32_t *time_ds;  /* nx * ny, [j * nx + i]; ROUTE_INF: not reached */
    /* what it took */
    route_iso_engine engine;
    uint32_t n_reached;       /* road nodes within the limit */
    uint32_t n_stamped;       /* edge pieces rasterised */
    uint64_t settled;         /* nodes settled by the search (Dijkstra) */
    double search_ms, raster_ms;
} route_iso_grid;

/* Per-thread scratch. */
typedef struct route_iso_scratch {
    uint32_t n_nodes, max_side;
    route_search search;
    int with_phast;
    route_ch_scratch ch;
    uint32_t *dist;           /* PHAST times by node id (ROUTE_INF), n_nodes */
    uint32_t *reached;        /* reached nodes, n_nodes */
    size_t n_reached;
    const uint32_t *cur_dist; /* dist array of the last search */
    uint32_t *grid;           /* max_side^2 */
    uint8_t *visited;         /* max_side^2: bit 0 H edge, bit 1 V edge crossed */
    uint32_t *block_max;      /* largest value per block of 4 x 4 cells */
    geo_point *pts;           /* contour points, cap_pts */
    size_t cap_pts;
    route_iso_ring *rings;    /* cap_rings */
    uint32_t *order;          /* cap_rings */
    size_t cap_rings;
    route_iso_grid g;         /* the last query */
} route_iso_scratch;

/* Allocates scratch for x with grids of at most max_side x max_side cells
 * (0: ROUTE_ISO_DEFAULT_SIDE; [ROUTE_ISO_MIN_SIDE, ROUTE_ISO_MAX_SIDE]),
 * and with PHAST scratch when with_phast (and the snapshot has CHs).
 * 0, FK_EINVAL (side out of range), FK_ENOMEM. Free with
 * route_iso_scratch_free (also after a failed init). */
int route_iso_scratch_init(route_iso_scratch *s, const route_iso_index *x, uint32_t max_side,
                           int with_phast);
void route_iso_scratch_free(route_iso_scratch *s);

/* Whether the off-road model may leave road rd (on foot, to reach the
 * land around it): not motorways or their links, tunnels, bridges,
 * ferries. */
int route_iso_stoppable(const region_road *rd);

/* The query: the grid of times from `from` by mode m up to limit_ds (the
 * largest limit wanted, 1..ROUTE_ISO_MAX_LIMIT_DS). o may be NULL. The
 * grid covers everything reached plus a border of unreached cells. *out
 * points into s. No allocation.
 * 0, FK_EINVAL (mode, limit or option out of range; PHAST without CH or
 * without PHAST scratch), FK_ENOTFOUND (the point is outside the region
 * or too far from a road usable by m: route_snap's message). */
int route_isochrone(const route_iso_index *x, route_iso_scratch *s, route_mode m,
                    geo_point from, uint32_t limit_ds, const route_iso_opts *o,
                    route_iso_grid *out, fk_err *e);

/* The same, but the search starts from n_seed (>= 1) road nodes of mode m
 * with initial times seed_ds (deciseconds after leaving `from`), instead of
 * from the snapped point alone: for isochrones of combined travel, e.g.
 * public transport, where the seeds are the origin's own walk nodes at
 * their partial times plus the nodes of every stop reached, at its arrival
 * time. `from` is still snapped (the grid is centred on it and its own
 * road segment is stamped from it). The seeds may be a caller's buffer;
 * nothing is allocated. Errors as route_isochrone, and FK_EINVAL for no
 * seeds or a seed out of range. */
int route_isochrone_seeded(const route_iso_index *x, route_iso_scratch *s, route_mode m,
                           geo_point from, const uint32_t *seed, const uint32_t *seed_ds,
                           size_t n_seed, uint32_t limit_ds, const route_iso_opts *o,
                           route_iso_grid *out, fk_err *e);

/* The polygons of limit_ds (<= the grid's limit_ds) of the last query on s
 * (g must be the grid it returned). *out points into s. No allocation.
 * 0, or FK_EINVAL when limit_ds exceeds the grid's limit (FK_ETOOBIG if
 * the scratch's bound on points or rings were ever exceeded, which the
 * bound rules out). */
int route_iso_contour(route_iso_scratch *s, const route_iso_grid *g, uint32_t limit_ds,
                      route_iso_polygons *out);

/* ---- JSON (jansson) ---- */
struct json_t;

/* A GeoJSON Feature: a MultiPolygon of c (coordinates [lon, lat] with 6
 * decimals), properties {"minutes", "mode", "area_km2", "polygons"}.
 * New reference, NULL when out of memory. */
struct json_t *route_iso_geojson(const route_iso_polygons *c, route_mode m);

/* The grid as JSON: {"mode", "from": [lon, lat], "snapped": [lon, lat],
 * "max_minutes", "cell_m", "offroad_m", "west", "south", "cell_lon_deg",
 * "cell_lat_deg", "nx", "ny", "seconds": [[row 0 (south), west to east],
 * ...]}, null for cells not reached; seconds are rounded up, so a cell
 * is within m minutes exactly when its seconds <= 60 * m. Cell (i, j) has
 * its centre at (west + (i + 0.5) * cell_lon_deg, south + (j + 0.5) *
 * cell_lat_deg).
 * New reference, NULL when out of memory. */
struct json_t *route_iso_grid_json(const route_iso_grid *g);

#endif
