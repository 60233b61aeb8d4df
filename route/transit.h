/*
 * transit.h: the GTFS timetable compiled for RAPTOR (docs/transit.md).
 *
 * At `flyttkarta build` time the imported GTFS records (region_trip,
 * region_stop_time, region_transfer, region_frequency, ...) are compiled
 * into the arrays a round-based public transport search scans:
 *
 *   - RAPTOR routes: trips grouped by identical stop sequence and
 *     pickup/drop-off pattern, split further so that the trips of a route
 *     never overtake each other (FIFO at every stop) and so that every time
 *     of a route fits 16 bits after the route's base time; trips of a route
 *     sorted by departure. frequencies.txt entries are expanded into trips.
 *   - per route a compact time table: uint16 seconds after the route's base
 *     time, stop-major (all trips at position 0, then position 1, ...),
 *     departures then arrivals; per position whether boarding/alighting is
 *     allowed (pickup_type/drop_off_type 1 forbid it);
 *   - a stop -> (route, position) index;
 *   - footpaths between stops: walking time over the walk graph (stops
 *     snapped to it) within ROUTE_TRANSIT_MAX_WALK_S, straight line x 1.3
 *     at 5 km/h where a stop cannot be snapped or there is no road network;
 *     plus transfers.txt rules, stop-level and station-level;
 *   - a minimum change time per stop (same stop, other vehicle);
 *   - trip-to-trip transfers (guaranteed connections of transfers.txt).
 *
 * Service days are not copied: every compiled trip keeps its region
 * service index and queries read the service bitmaps of the feed.
 *
 * Sections (ids 1400..1412; 1413..1499 reserved for later transit data):
 *   1400 route_transit_header (1)      1401 route_tt_route
 *   1402 route stops (uint32)          1403 route position flags (uint8)
 *   1404 times (uint16)                1405 route_tt_trip
 *   1406 stop -> routes first (uint32, n_stops + 1)
 *   1407 route_tt_stop_route           1408 footpath first (uint32, n_stops + 1)
 *   1409 route_tt_footpath             1410 change time per stop (uint16)
 *   1411 trip-transfer first per route (uint32, n_routes + 1)
 *   1412 route_tt_trip_tx
 *
 * A route_transit either points into an open snapshot (route_transit_open)
 * or owns arrays compiled in memory from a builder (route_transit_init).
 * It is read-only after set-up: any number of threads may search it, each
 * with its own route_raptor scratch (raptor.h).
 */
#ifndef FK_ROUTE_TRANSIT_H
#define FK_ROUTE_TRANSIT_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../region/builder.h"
#include "../region/region.h"

#define ROUTE_TRANSIT_VERSION 1u
#define ROUTE_TRANSIT_DAY_S 86400u
/* Footpaths are computed up to this walking time (the query may lower it). */
#define ROUTE_TRANSIT_MAX_WALK_S 600u
/* Change time where transfers.txt says nothing (same stop or between
 * stops: at least this long). */
#define ROUTE_TRANSIT_CHANGE_S 60u
/* Walking speed (5 km/h) and the detour factor of straight-line walks. */
#define ROUTE_TRANSIT_WALK_MPS (5.0 / 3.6)
#define ROUTE_TRANSIT_DETOUR 1.3
/* A stop farther than this from any walkable road walks in straight lines. */
#define ROUTE_TRANSIT_SNAP_M 250.0
/* Latest GTFS time of a compiled trip (frequency expansion included). */
#define ROUTE_TRANSIT_MAX_TIME_S (3u * ROUTE_TRANSIT_DAY_S)
/* change_s value: no change allowed at the stop (transfer_type 3). */
#define ROUTE_TT_NO_CHANGE UINT16_MAX

enum {
    ROUTE_SEC_TRANSIT_HEADER = 1400, ROUTE_SEC_TRANSIT_ROUTES, ROUTE_SEC_TRANSIT_ROUTE_STOPS,
    ROUTE_SEC_TRANSIT_ROUTE_FLAGS, ROUTE_SEC_TRANSIT_TIMES, ROUTE_SEC_TRANSIT_TRIPS,
    ROUTE_SEC_TRANSIT_STOP_FIRST, ROUTE_SEC_TRANSIT_STOP_ROUTES, ROUTE_SEC_TRANSIT_FP_FIRST,
    ROUTE_SEC_TRANSIT_FOOTPATHS, ROUTE_SEC_TRANSIT_CHANGE, ROUTE_SEC_TRANSIT_TX_FIRST,
    ROUTE_SEC_TRANSIT_TRIP_TX,
    ROUTE_SEC_TRANSIT_LAST = 1499
};

/* route position flags */
enum { ROUTE_TT_NO_BOARD = 1u << 0, ROUTE_TT_NO_ALIGHT = 1u << 1 };

typedef struct route_transit_header {
    uint32_t version;            /* ROUTE_TRANSIT_VERSION */
    uint32_t n_stops;            /* = region stops (all location types) */
    uint32_t n_routes, n_trips;
    uint32_t n_route_stops;      /* sum of routes' n_stops */
    uint32_t n_times;            /* uint16 entries */
    uint32_t n_stop_routes, n_footpaths, n_trip_tx;
    uint32_t n_feed_trips;       /* region trips the build saw */
    uint32_t n_services;         /* region services the build saw */
    uint32_t n_freq_trips;       /* compiled trips expanded from frequencies */
    uint32_t n_fp_graph;         /* footpaths walked on the walk graph */
    uint32_t n_fp_line;          /* footpaths estimated in a straight line */
    uint32_t n_tx_skipped;       /* transfers.txt rows not usable */
    uint32_t n_trips_skipped;    /* trips left out (fewer than 2 stops, too late) */
    uint16_t change_s;           /* ROUTE_TRANSIT_CHANGE_S at build */
    uint16_t max_walk_s;         /* ROUTE_TRANSIT_MAX_WALK_S at build */
    uint32_t pad;
} route_transit_header;

/* A RAPTOR route: n_trips trips over the same n_stops stops, FIFO. The
 * times of trip t (0..n_trips) at position p (0..n_stops) are
 *   departure: base_s + times[first_time + p * n_trips + t]
 *   arrival:   base_s + times[first_time + (n_stops + p) * n_trips + t]
 * in GTFS seconds of the trip's service day. */
typedef struct route_tt_route {
    uint32_t first_stop;   /* into route stops and route flags */
    uint32_t n_stops;      /* >= 2 */
    uint32_t first_trip;   /* into trips */
    uint32_t n_trips;      /* >= 1 */
    uint32_t first_time;   /* into times */
    int32_t base_s;        /* arrival of trip 0 at position 0 (the minimum) */
    uint32_t span_s;       /* largest time offset (last trip at the last stop) */
    uint32_t gtfs_route;   /* region route index */
} route_tt_route;

typedef struct route_tt_trip {
    uint32_t trip;         /* region trip index */
    uint32_t service;      /* region service index */
    uint32_t route;        /* compiled route */
    int32_t shift_s;       /* added to the region trip's times (frequencies), else 0 */
} route_tt_trip;

typedef struct route_tt_stop_route {
    uint32_t route, pos;
} route_tt_stop_route;

typedef struct route_tt_footpath {
    uint32_t to;           /* stop */
    uint16_t walk_s;       /* walking time */
    uint16_t xfer_s;       /* time to allow when changing vehicles this way */
} route_tt_footpath;

/* A guaranteed connection: alighting from trip from_trip at position
 * from_pos, trip to_trip may be boarded at to_pos if it departs at least
 * min_s later (transfers.txt with from_trip_id and to_trip_id). Listed per
 * route of from_trip, sorted by from_pos. Trips are compiled trip indices. */
typedef struct route_tt_trip_tx {
    uint32_t from_trip, to_trip;
    uint32_t to_route;
    uint16_t from_pos, to_pos;
    uint16_t min_s;
    uint16_t pad;
} route_tt_trip_tx;

/* The GTFS records the compiled timetable refers to (names, headsigns,
 * service bitmaps): from an open snapshot or from a builder. */
typedef struct route_transit_feed {
    const char *strings; size_t strings_len;
    const region_stop *stops; size_t n_stops;
    const region_route *routes; size_t n_routes;
    const region_trip *trips; size_t n_trips;
    const region_stop_time *stop_times; size_t n_stop_times;
    const region_service *services; size_t n_services;
    const uint8_t *service_bits; size_t n_service_bits;
} route_transit_feed;

enum { ROUTE_TT_N_ARRAYS = 12 };

typedef struct route_transit {
    route_transit_header h;
    const route_tt_route *routes;
    const uint32_t *route_stops;
    const uint8_t *route_flags;
    const uint16_t *times;
    const route_tt_trip *trips;
    const uint32_t *stop_first;               /* n_stops + 1 */
    const route_tt_stop_route *stop_routes;
    const uint32_t *fp_first;                 /* n_stops + 1 */
    const route_tt_footpath *footpaths;
    const uint16_t *change_s;                 /* n_stops */
    const uint32_t *tx_first;                 /* n_routes + 1 */
    const route_tt_trip_tx *trip_tx;
    route_transit_feed feed;
    void *owned[ROUTE_TT_N_ARRAYS];           /* compiled in memory, else NULL */
} route_transit;

/* Compiles the builder's GTFS records into t (owned arrays; free with
 * route_transit_free). Footpaths use the builder's walk graph (sections of
 * graph.h) when route_graph_build_all has run, else straight lines. The
 * builder must stay unchanged while t is used (t points at its stops,
 * trips and strings). A builder without trips gives an empty timetable.
 * 0, FK_ENOMEM, FK_ETOOBIG (beyond 32-bit ids or offsets) with a message. */
int route_transit_init(route_transit *t, const region_builder *b, fk_err *e);

/* Compiles as route_transit_init and adds the result to the builder as
 * sections 1400..1412 (call after route_graph_build_all). Reports progress
 * (stage "transit") through b->progress. 0, FK_ENOMEM, FK_ETOOBIG,
 * FK_EINVAL (sections already added) with a message. */
int route_transit_build(region_builder *b, fk_err *e);

/* Points t into the sections of an open snapshot and validates them (every
 * index in range, offsets monotonic, routes FIFO-consistent in size):
 * O(size). FK_ENOTFOUND when the snapshot has no timetable sections,
 * FK_ECORRUPT when they are invalid. Nothing to free (route_transit_free
 * is a no-op for it). */
int route_transit_open(const region *r, route_transit *t, fk_err *e);

/* Frees what route_transit_init allocated; t may be NULL. */
void route_transit_free(route_transit *t);

/* Bytes of the compiled arrays (what the snapshot sections hold). */
size_t route_transit_bytes(const route_transit *t);

/* Departure and arrival time (GTFS seconds of the service day) of compiled
 * trip `trip` (global index) at position pos of its route. */
static inline int32_t route_tt_dep(const route_transit *t, uint32_t trip, uint32_t pos)
{
    const route_tt_route *r = &t->routes[t->trips[trip].route];
    return r->base_s + t->times[r->first_time + pos * r->n_trips + (trip - r->first_trip)];
}
static inline int32_t route_tt_arr(const route_transit *t, uint32_t trip, uint32_t pos)
{
    const route_tt_route *r = &t->routes[t->trips[trip].route];
    return r->base_s +
           t->times[r->first_time + (r->n_stops + pos) * r->n_trips + (trip - r->first_trip)];
}

/* Whether service `service` of the feed runs on day (days since 1970). */
int route_transit_service_active(const route_transit *t, uint32_t service, int32_t day);

/* The string at offset off of the feed's pool ("" when out of range). */
static inline const char *route_transit_str(const route_transit *t, uint32_t off)
{
    return off < t->feed.strings_len ? t->feed.strings + off : "";
}

#endif
