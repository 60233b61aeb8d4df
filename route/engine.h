/*
 * engine.h: the routing engine facade. One route_engine opens everything
 * routing needs from a region snapshot once (per mode: forward and
 * backward graphs, contraction hierarchy, snap index, nearest-amenity
 * tables; and the homes, jobs and POIs snapped to each mode's roads), and
 * answers the questions the map site, the API and `flyttkarta query` ask
 * (docs/query.md):
 *
 *   near       the nearest amenity of each kind asked (O(1)) and the k
 *              nearest (k <= 5), with time, distance, name and position
 *   route      point to point: time, distance and a drawable geometry
 *   commute    from every home (job, POI of a kind) to a workplace within
 *              a time limit, in the direction the commuter travels (or the
 *              reverse)
 *   two_work   homes within limit1 by mode1 of work1 AND within limit2 by
 *              mode2 of work2 (two-career households)
 *   matrix     many-to-many times between points
 *
 * Sharing: a route_engine is read-only after route_engine_open; any number
 * of threads query it, each with its own route_engine_scratch (allocated
 * once by route_engine_scratch_init). Queries do not allocate (the CH
 * matrix's bucket store grows to the largest matrix asked for and stays).
 *
 * Points and partial edges: every query point is snapped to the mode's
 * roads (within opts.max_snap_m) and enters the search as both ends of its
 * segment with partial times (route_snap_depart / route_snap_arrive), and
 * two points on the same segment may also be joined directly along it
 * (docs/routing-nearest.md, "the exact rule"). Times are network times
 * between the snapped points, in deciseconds; the straight bits from the
 * coordinates to the roads are not included (each snap's dist_m tells).
 *
 * Errors: 0, or a negative code with a message in e:
 *   FK_EINVAL    a point outside the region's bounding box, a bad mode,
 *                kind, set, index, or more points than the matrix takes
 *   FK_ENOTFOUND a point too far from every road usable by the mode, or
 *                (route) no path between the two points
 *   FK_ENOMEM    a CH search heap or bucket store could not grow
 * Results that point into the scratch stay valid until its next query.
 */
#ifndef FK_ROUTE_ENGINE_H
#define FK_ROUTE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/geo.h"
#include "../region/region.h"
#include "ch.h"
#include "dijkstra.h"
#include "graph.h"
#include "nearest.h"
#include "profile.h"
#include "snap.h"

#define ROUTE_ENGINE_SNAP_M 1000.0   /* default opts.max_snap_m */
#define ROUTE_ENGINE_MATRIX_MAX 256  /* points per side of a matrix */

/* The sets of places the engine snaps at open time. */
typedef enum route_engine_set {
    ENGINE_HOMES = 0,   /* region.homes */
    ENGINE_JOBS,        /* region.jobs */
    ENGINE_POIS,        /* region.pois (a kind filter picks amenities) */
    ENGINE_SET_COUNT
} route_engine_set;

/* One place of a set on one mode's roads: where it snapped and how it
 * enters a search. road == REGION_NONE when it lies farther than
 * max_snap_m from every road of the mode (it is then never a result). */
typedef struct route_engine_spot {
    uint32_t road;
    uint32_t dep_node[2], dep_ds[2];   /* departing: forward-search sources */
    uint32_t arr_node[2], arr_ds[2];   /* arriving: forward-search targets */
    uint8_t n_dep, n_arr;
    uint8_t pad[6];
    double frac;                       /* along road, for same-road trips */
} route_engine_spot;

typedef struct route_engine_opts {
    double max_snap_m;   /* points (and places) farther from the roads of a
                            mode are refused (left out); 0 -> 1000 m */
} route_engine_opts;

typedef struct route_engine {
    const region *r;
    route_nearest_index near;              /* snapper, forward graphs, tables */
    route_graph bwd[MODE_COUNT];
    route_ch ch[MODE_COUNT];
    route_engine_spot *spots[ENGINE_SET_COUNT][MODE_COUNT];  /* owned */
    uint32_t n_set[ENGINE_SET_COUNT];
    uint32_t n_unsnapped[ENGINE_SET_COUNT][MODE_COUNT];
    double max_snap_m;
    double open_ms;                        /* how long route_engine_open took */
} route_engine;

/* Opens the routing parts of r (which must outlive eng) and snaps every
 * home, job and POI to each mode's roads. o may be NULL (defaults).
 * FK_ENOTFOUND when the snapshot lacks graphs, CH, snap index or nearest
 * tables (built before routing existed), FK_ECORRUPT, FK_ENOMEM; the
 * message says which part. On failure nothing needs closing. Close with
 * route_engine_close. */
int route_engine_open(const region *r, const route_engine_opts *o, route_engine *eng,
                      fk_err *e);
void route_engine_close(route_engine *eng);

/* Per-thread scratch: CH, Dijkstra and k-nearest scratch, and the result
 * buffers (targets of the largest set, a route's geometry, a matrix of
 * ROUTE_ENGINE_MATRIX_MAX points per side). About 100 bytes per road node
 * plus 16 bytes per place. 0 or FK_ENOMEM. Free with
 * route_engine_scratch_free (also after a failed init). */
typedef struct route_engine_target {
    uint32_t index;      /* into the set's records (homes, jobs, pois) */
    uint32_t time_ds;    /* commute: the time; two_work: time to work1 */
    uint32_t time2_ds;   /* two_work: time to work2; else ROUTE_INF */
} route_engine_target;

typedef struct route_engine_scratch {
    route_ch_scratch ch;
    route_search dij;
    route_nearest_scratch near;
    route_engine_target *targets;  /* capacity: the largest set */
    uint32_t *set_time;            /* per place of a set (two_work) */
    geo_point *geom;               /* route geometry, n_nodes + 2 */
    route_snap_result *mx_snap;    /* matrix points, 2 * MATRIX_MAX */
    uint32_t *mx_node;             /* matrix search nodes, 4 * MATRIX_MAX */
    uint32_t *mx_time;             /* their partial times, 4 * MATRIX_MAX */
    uint32_t *mx_cell;             /* node matrix, (2 * MATRIX_MAX)^2 */
    uint32_t *mx_out;              /* point matrix, MATRIX_MAX^2 */
    uint32_t n_nodes;
    uint64_t settled;              /* nodes settled by the last query */
} route_engine_scratch;

int route_engine_scratch_init(route_engine_scratch *s, const route_engine *eng);
void route_engine_scratch_free(route_engine_scratch *s);

/* Snaps p to mode m's roads with the engine's limit. 0, FK_EINVAL (outside
 * the region, bad mode), FK_ENOTFOUND (too far from the roads). */
int route_engine_snap(const route_engine *eng, route_mode m, geo_point p,
                      route_snap_result *out, fk_err *e);

/* ---- near ---- */

typedef struct route_engine_amenity {
    uint32_t index;      /* poi index, or stop index for AMEN_BUS_STOP */
    uint32_t time_ds;    /* from the snapped point to the amenity's */
    uint32_t dist_m;     /* length of that path */
    geo_point pos;       /* the amenity's own position */
    const char *name;    /* into the snapshot; "" when unnamed */
} route_engine_amenity;

typedef struct route_engine_near {
    route_amenity kind;
    int found;                         /* 0: none of this kind reachable */
    route_engine_amenity nearest;      /* O(1) table answer */
    size_t n_k;                        /* 0..k */
    route_engine_amenity k[ROUTE_NEAREST_K_MAX];  /* in order of time */
} route_engine_near;

/* For each of the n_kinds kinds: the nearest amenity from p by mode m and
 * (k >= 1) the k nearest within limit_ds (ROUTE_INF: none). out has
 * n_kinds entries; *snap (may be NULL) gets the snap of p. A kind with no
 * amenity reachable is not an error (found = 0). 0, FK_EINVAL (bad mode,
 * kind or k > ROUTE_NEAREST_K_MAX, point outside), FK_ENOTFOUND (snap). */
int route_engine_near_at(const route_engine *eng, route_engine_scratch *s, route_mode m,
                         geo_point p, const route_amenity *kinds, size_t n_kinds,
                         size_t k, uint32_t limit_ds, route_engine_near *out,
                         route_snap_result *snap, fk_err *e);

/* ---- route ---- */

typedef struct route_engine_route {
    uint32_t time_ds;
    uint32_t dist_dm;          /* path segments plus the partial ends */
    route_snap_result from, to;
    int same_road;             /* 1: directly along the shared segment */
    const geo_point *geom;     /* snapped start, path nodes, snapped end */
    size_t n_geom;
    const uint32_t *nodes;     /* road nodes of the path (n_geom - 2) */
    size_t n_nodes;
} route_engine_route;

/* Fastest route from a to b by mode m (bidirectional CH between the
 * snapped points, or directly along the segment when both lie on one and
 * that is faster). geom and nodes point into s. 0, FK_EINVAL, FK_ENOTFOUND
 * (snap, or "no walk route from (..) to (..)"), FK_ENOMEM, FK_ECORRUPT. */
int route_engine_route_p2p(const route_engine *eng, route_engine_scratch *s, route_mode m,
                           geo_point a, geo_point b, route_engine_route *out, fk_err *e);

/* ---- commute (one place to every place of a set) ---- */

typedef enum route_engine_algo {
    ENGINE_ALGO_AUTO = 0,   /* what measures best for the limit */
    ENGINE_ALGO_PHAST,      /* CH sweep over every node */
    ENGINE_ALGO_DIJKSTRA    /* bounded Dijkstra on the mode's graph */
} route_engine_algo;

typedef struct route_engine_commute_q {
    geo_point at;            /* the workplace (or, reverse, the start) */
    route_mode mode;
    uint32_t limit_ds;       /* ROUTE_INF: no limit */
    route_engine_set set;    /* the targets */
    int kind;                /* ENGINE_POIS: a route_amenity (not bus
                                stops), or -1 for every POI */
    int reverse;             /* 0: from each target to `at` (home -> work);
                                1: from `at` to each target */
    route_engine_algo algo;
} route_engine_commute_q;

/* Every place of q->set (filtered by kind) that reaches q->at (reverse:
 * that q->at reaches) within q->limit_ds by q->mode, with its time, in
 * index order: *out points into s (time2_ds = ROUTE_INF). home -> work is
 * a many-to-one search from the work point's arrival nodes over the
 * backward graph, so oneways are honoured; each place then adds its own
 * partial departure time, or goes directly along a shared segment.
 * 0, FK_EINVAL, FK_ENOTFOUND (snap of q->at), FK_ENOMEM. */
int route_engine_commute(const route_engine *eng, route_engine_scratch *s,
                         const route_engine_commute_q *q, const route_engine_target **out,
                         size_t *n_out, fk_err *e);

/* Places of a set within q1 AND within q2 (both over the same set and
 * kind; each with its own point, mode, limit and direction), with both
 * times (time_ds for q1, time2_ds for q2), in index order. */
int route_engine_two_work(const route_engine *eng, route_engine_scratch *s,
                          const route_engine_commute_q *q1, const route_engine_commute_q *q2,
                          const route_engine_target **out, size_t *n_out, fk_err *e);

/* ---- matrix ---- */

/* Times from each of n_src points to each of n_dst points by mode m
 * (each <= ROUTE_ENGINE_MATRIX_MAX): (*out)[i * n_dst + j], ROUTE_INF when
 * unreachable; the same snap and partial rules as route. Every point must
 * snap (else the error names it by index). *out points into s. */
int route_engine_matrix(const route_engine *eng, route_engine_scratch *s, route_mode m,
                        const geo_point *src, size_t n_src, const geo_point *dst,
                        size_t n_dst, const uint32_t **out, fk_err *e);

/* Position of the i-th place of a set (no bounds check beyond returning
 * -1 for i out of range). */
int route_engine_place(const route_engine *eng, route_engine_set set, uint32_t i,
                       geo_point *pos);

const char *route_engine_set_name(route_engine_set set);  /* "homes", ... */
int route_engine_set_parse(const char *s);                /* -1 unknown */

#endif
