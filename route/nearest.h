/*
 * nearest.h: the nearest amenity of each kind (school, preschool, health
 * centre, grocery store, ... and bus stop) from any point, by walk, bike
 * and car (docs/routing-nearest.md).
 *
 * Build time (route_nearest_build): every amenity is snapped to each
 * mode's roads; then for every (kind, mode) one multi-source Dijkstra on
 * the mode's BACKWARD graph, sources = the amenities with their partial
 * edge times, gives for every road node the time to the nearest amenity
 * of that kind, which amenity it is, and the length of that path. Stored
 * in the snapshot, 8 bytes per node per (kind, mode).
 *
 * Query time: route_nearest snaps the point and combines the answers of
 * the two ends of the snapped segment with their partial times, plus any
 * amenity on the same segment reached directly along it: O(1) after the
 * snap. route_nearest_k runs a bounded Dijkstra from the snapped point on
 * the FORWARD graph until k distinct amenities are settled.
 *
 * Times are travel times on the road network from the snapped point to the
 * amenity's snapped point (the straight-line bits from the coordinates to
 * the roads are not included; route_snap_result.dist_m gives the query's).
 *
 * Sections (ids 1250..1299):
 *   1250 + kind * 3 + mode   uint64[n_nodes], packed entries (see below)
 *   1283 + kind              uint32[n], the kind's amenities: poi indices,
 *                            stop indices for AMEN_BUS_STOP (ordinal order)
 *   1294 + mode              route_amenity_snap[], sorted by (road, kind, ordinal)
 *   1297 + mode              route_amenity_attach[], sorted by (node, kind, ordinal)
 * Entry: bits 0-23 time_ds (ROUTE_NEAR_TIME_NONE: no amenity reachable, or
 * 466 h or more), bits 24-43 the amenity's ordinal in its kind's list,
 * bits 44-63 path length in metres (saturates at 1048575).
 */
#ifndef FK_ROUTE_NEAREST_H
#define FK_ROUTE_NEAREST_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../region/builder.h"
#include "../region/region.h"
#include "graph.h"
#include "profile.h"
#include "snap.h"

typedef enum route_amenity {
    AMEN_SCHOOL = 0,         /* every POI_SCHOOL */
    AMEN_SCHOOL_PRIMARY,     /* POI_SCHOOL with level SCHOOL_PRIMARY (F-6) */
    AMEN_SCHOOL_LOWER_SEC,   /* SCHOOL_LOWER_SEC (7-9) */
    AMEN_SCHOOL_UPPER_SEC,   /* SCHOOL_UPPER_SEC (gymnasium) */
    AMEN_PRESCHOOL, AMEN_HEALTH, AMEN_GROCERY, AMEN_PHARMACY, AMEN_LIBRARY,
    AMEN_SPORTS,
    AMEN_BUS_STOP,           /* region.stops: see route_nearest_is_bus_stop */
    AMEN_COUNT
} route_amenity;

enum {
    ROUTE_SEC_NEAR_TABLE = 1250,   /* + kind * MODE_COUNT + mode */
    ROUTE_SEC_NEAR_LIST = 1283,    /* + kind */
    ROUTE_SEC_NEAR_BY_ROAD = 1294, /* + mode */
    ROUTE_SEC_NEAR_BY_NODE = 1297, /* + mode */
    ROUTE_SEC_NEAR_LAST = 1299
};

#define ROUTE_NEAR_TIME_NONE 0xFFFFFFu
#define ROUTE_NEAR_ORD_MAX 0xFFFFFu   /* at most this many amenities per kind */
#define ROUTE_NEAR_DIST_MAX 0xFFFFFu
#define ROUTE_NEAREST_K_MAX 5

/* An amenity snapped to a road of one mode. */
typedef struct route_amenity_snap {
    uint32_t road;
    uint32_t ordinal;
    double frac;           /* along the road, as route_snap gave it */
    uint8_t kind;          /* route_amenity */
    uint8_t pad[7];
} route_amenity_snap;

/* An amenity reached from a road node: arriving from `node` takes time_ds
 * (and dist_dm) along the amenity's road (route_snap_arrive). */
typedef struct route_amenity_attach {
    uint32_t node;
    uint32_t ordinal;
    uint32_t time_ds;
    uint32_t dist_dm;
    uint8_t kind;
    uint8_t pad[3];
} route_amenity_attach;

const char *route_amenity_name(route_amenity k);   /* "school", "bus_stop", ... */
int route_amenity_parse(const char *s);            /* -1 when unknown */

/* Whether POI p is an amenity of kind k (k != AMEN_BUS_STOP). */
int route_nearest_poi_is(const region_poi *p, route_amenity k);
/* Bus stops are the GTFS stops where vehicles stop: location_type 0 (stop
 * or platform, with or without a parent station). A station (type 1) counts
 * only when no stop names it as parent (feeds without platforms). Entrances,
 * generic nodes and boarding areas do not count. has_child: whether some
 * stop has this one as parent. */
int route_nearest_is_bus_stop(const region_stop *s, int has_child);

typedef struct route_nearest_opts {
    double amenity_snap_m;   /* amenities farther from every road of a mode
                                are left out for that mode; 0 -> 1000 */
} route_nearest_opts;

typedef struct route_nearest_report {
    uint32_t n_amenities[AMEN_COUNT];
    uint32_t unsnapped[AMEN_COUNT][MODE_COUNT];   /* left out: too far from roads */
    uint64_t table_bytes;    /* the per-node tables */
    uint64_t bytes;          /* every section added */
    double seconds;
} route_nearest_report;

/* Builds the tables for the builder's roads, POIs and stops and adds them
 * as sections 1250..1299. Needs the BACKWARD graphs already in the builder
 * (route_graph_build_all); FK_ENOTFOUND otherwise. o and rep may be NULL.
 * Reports progress through b->progress ("nearest amenities", one step per
 * node settled). 0, FK_ENOMEM, FK_ETOOBIG (a kind with more than
 * ROUTE_NEAR_ORD_MAX amenities), FK_EINVAL (sections already added). On
 * failure the sections added so far stay (the build is abandoned anyway). */
int route_nearest_build(region_builder *b, const route_nearest_opts *o,
                        route_nearest_report *rep, fk_err *e);

/* The read side: points into an open snapshot (plus one bitmap per mode of
 * the nodes that have attachments, allocated here). Read-only after open;
 * share it between threads. */
typedef struct route_nearest_index {
    const region *r;
    route_snapper snap;
    route_graph fwd[MODE_COUNT];
    const uint64_t *table[AMEN_COUNT][MODE_COUNT];
    const uint32_t *amen[AMEN_COUNT];
    uint32_t n_amen[AMEN_COUNT];
    const route_amenity_snap *by_road[MODE_COUNT];
    uint32_t n_by_road[MODE_COUNT];
    const route_amenity_attach *by_node[MODE_COUNT];
    uint32_t n_by_node[MODE_COUNT];
    uint64_t *attach_bits[MODE_COUNT];   /* owned */
    uint32_t max_edges;                  /* largest forward graph */
} route_nearest_index;

/* Opens the snap index, forward graphs and nearest tables of r (which must
 * outlive x). Validates sizes, orders and indices of the small sections in
 * O(amenities); entries of the per-node tables are checked when read.
 * FK_ENOTFOUND when the snapshot has no tables, FK_ECORRUPT, FK_ENOMEM.
 * Close with route_nearest_close. */
int route_nearest_open(const region *r, route_nearest_index *x, fk_err *e);
void route_nearest_close(route_nearest_index *x);

/* The kind's amenities (poi or stop indices, in ordinal order). */
const uint32_t *route_nearest_amenities(const route_nearest_index *x, route_amenity k,
                                        uint32_t *n);

typedef struct route_nearest_result {
    uint32_t amenity;      /* poi index, or stop index for AMEN_BUS_STOP */
    uint32_t ordinal;      /* in the kind's amenity list */
    uint32_t time_ds;      /* from the snapped point to the amenity's */
    uint32_t dist_m;       /* length of that path */
    route_snap_result snap;/* of the query point */
} route_nearest_result;

/* Nearest amenity of kind k from p by mode m: snaps p (within max_snap_m)
 * and combines the precomputed answers. No allocation, thread-safe.
 * 0, FK_ENOTFOUND (snap failed, or no amenity of the kind reachable; the
 * message says which), FK_EINVAL (bad mode or kind). */
int route_nearest(const route_nearest_index *x, route_mode m, route_amenity k,
                  geo_point p, double max_snap_m, route_nearest_result *out, fk_err *e);

/* The same from an existing snap result (e.g. one snap, several kinds).
 * Returns 0, or FK_ENOTFOUND (without a message) when none is reachable.
 * out->snap is set to *sr. */
int route_nearest_at(const route_nearest_index *x, route_mode m, route_amenity k,
                     const route_snap_result *sr, route_nearest_result *out);

/* A heap entry of route_nearest_k: a node, or an amenity candidate (id
 * with ROUTE_NEAR_AMENITY set, aux = path length in dm). */
typedef struct route_near_item {
    uint32_t key, id, aux;
} route_near_item;

#define ROUTE_NEAR_AMENITY 0x80000000u

/* Per-thread scratch of route_nearest_k, allocated once for an index. */
typedef struct route_nearest_scratch {
    uint32_t n_nodes;
    uint32_t *dist;        /* ROUTE_INF when untouched */
    uint32_t *dist_dm;
    uint32_t *touched;
    size_t n_touched;
    route_near_item *heap;
    size_t heap_n, heap_cap;
    uint64_t settled;      /* nodes settled by the last search */
} route_nearest_scratch;

int route_nearest_scratch_init(route_nearest_scratch *s, const route_nearest_index *x);
void route_nearest_scratch_free(route_nearest_scratch *s);

/* The k_max (1..ROUTE_NEAREST_K_MAX) nearest distinct amenities of kind k
 * from p by mode m, in order of time, with travel time at most limit_ds
 * (ROUTE_INF: no limit): a Dijkstra from the snapped point on the forward
 * graph that stops once k_max amenities are settled. Writes *n_out results
 * into out (k_max entries). No allocation. 0 (at least one found),
 * FK_ENOTFOUND (snap failed or none within the limit), FK_EINVAL. */
int route_nearest_k(const route_nearest_index *x, route_nearest_scratch *s, route_mode m,
                    route_amenity k, geo_point p, double max_snap_m, uint32_t limit_ds,
                    size_t k_max, route_nearest_result *out, size_t *n_out, fk_err *e);

#endif
