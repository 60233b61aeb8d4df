/*
 * raptor.h: public transport searches on the compiled timetable
 * (transit.h): RAPTOR earliest arrival from a set of stops at a date and
 * time, range-RAPTOR over a departure window (best, median and worst
 * travel time per stop), itineraries, and the plain connection scan (CSA)
 * every result is tested against (route/transit_ref.c). docs/transit.md.
 *
 * Model, shared exactly by RAPTOR and the reference:
 *   - a journey starts at origin stops, each reached `walk_s` after the
 *     departure time; it rides trips, and between two trips either stays
 *     at the stop (the stop's change time) or takes one footpath (its
 *     transfer time); a guaranteed trip-to-trip transfer lets the next trip
 *     be boarded if it leaves at least its min_s after the arrival;
 *   - trips of the service days D-2 .. D+1 are used (times past 24:00 of
 *     the days before reach into day D);
 *   - the earliest arrival at a stop is the earliest time one stands there:
 *     at an origin, off a vehicle, or walking one footpath (walk_s) from a
 *     vehicle's stop; arrivals later than departure + max_duration_s count
 *     as unreached;
 *   - footpaths longer than max_walk_s (walking time) are not used.
 *
 * Scratch: a route_raptor holds every array a search needs, allocated once
 * by route_raptor_init for one timetable; searches never allocate. One per
 * thread. Times in results are seconds after midnight of the query day.
 */
#ifndef FK_ROUTE_RAPTOR_H
#define FK_ROUTE_RAPTOR_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "transit.h"

#define ROUTE_RAPTOR_UNREACHED INT32_MAX
#define ROUTE_RAPTOR_NO_TIME UINT32_MAX
#define ROUTE_RAPTOR_MAX_DURATION_S 14400u   /* default: 4 h */
#define ROUTE_RAPTOR_MAX_ROUNDS 32u          /* default and upper bound */
#define ROUTE_RAPTOR_MAX_LEGS 32

typedef struct route_raptor_origin {
    uint32_t stop;
    uint32_t walk_s;       /* from the start point to the stop */
} route_raptor_origin;

typedef struct route_raptor_opts {
    uint32_t max_duration_s;  /* 0: ROUTE_RAPTOR_MAX_DURATION_S; at most 65535 */
    uint32_t max_walk_s;      /* footpath walking limit; 0: every stored footpath */
    uint32_t max_rounds;      /* trips per journey bound; 0: ROUTE_RAPTOR_MAX_ROUNDS.
                                 Below convergence, results may be later than optimal. */
} route_raptor_opts;

/* internal records, exposed so the scratch can be declared on the stack */
typedef struct route_raptor_ride {
    uint32_t trip;         /* compiled trip */
    uint32_t via;          /* guaranteed-transfer log entry it was boarded from, or UINT32_MAX */
    uint16_t board_pos, alight_pos;
    uint8_t day;           /* service day D - 2 + day */
    uint8_t pad[3];
} route_raptor_ride;

typedef struct route_raptor_pending {
    uint32_t route, trip;  /* trip: compiled, global */
    uint32_t pos, log;     /* boarding position; log entry of the ride it comes from */
    uint32_t day;
} route_raptor_pending;

typedef struct route_raptor {
    const route_transit *tt;
    uint32_t n_stops, n_routes, n_trips;
    /* labels, internal times (seconds after midnight of day D-2) */
    uint32_t *veh;              /* earliest arrival by vehicle */
    uint32_t *rdy;              /* earliest time ready to board */
    uint32_t *arr;              /* earliest arrival (vehicle, walking, origin) */
    route_raptor_ride *veh_par; /* how veh was reached */
    uint32_t *rdy_from;         /* stop whose vehicle arrival gave rdy, UINT32_MAX origin */
    uint32_t *arr_from;         /* itself: vehicle; other stop: walked from; UINT32_MAX origin */
    uint8_t *mark;              /* per stop: bit 0 ready improved, bit 1 vehicle improved,
                                   bit 2 arrival set since the labels were reset,
                                   bit 3 arrival changed in this departure */
    uint32_t *seen_list;        /* stops with bit 2, in order of first arrival */
    uint32_t n_seen;
    uint32_t *rdy_list, *veh_list;
    uint32_t n_rdy, n_veh;
    uint32_t *route_start;      /* per route: first position to scan, UINT32_MAX */
    uint32_t *route_list;
    uint32_t n_route_list;
    uint8_t *trip_act;          /* per trip: bit d = runs on service day D-2+d */
    uint8_t *route_act;         /* per route: OR of its trips' bits */
    int32_t act_day;            /* day trip_act was computed for */
    uint16_t *gbest;            /* per trip x 4 days: earliest guaranteed boarding position */
    uint32_t *g_touched;
    uint32_t n_g_touched;
    uint8_t *greached;          /* per trip: boarded by a guarantee in the current scan */
    uint32_t *glog_of;          /* per trip: its log entry while greached */
    uint32_t *gpos_of;          /* per trip: its boarding position while greached */
    route_raptor_pending *pend, *pend_next;
    uint32_t n_pend, n_pend_next, pend_cap;
    uint32_t *pend_first;       /* per route: first pending entry, UINT32_MAX */
    route_raptor_ride *log;     /* rides that made guaranteed transfers */
    uint32_t n_log, log_cap;
    /* query */
    uint32_t t0, limit, max_walk_s, max_rounds;
    /* range results */
    uint32_t max_steps;
    uint16_t *steps;            /* [stop][2 * max_steps]: the (departure index, travel
                                   time) pairs where the stop's arrival changed */
    uint16_t *seg_n;            /* per stop: pairs in steps */
    uint32_t *chg_list;         /* stops whose arrival changed in this departure */
    uint32_t n_chg;
    uint32_t *range_best, *range_median, *range_worst;   /* seconds, ROUTE_RAPTOR_NO_TIME */
    uint32_t n_steps_done;
    /* statistics of the last search */
    uint32_t rounds, routes_scanned;
    uint32_t skipped_steps;     /* range departures with nothing new to board */
} route_raptor;

/* Allocates scratch for timetable tt (which must outlive it), for range
 * queries of up to max_steps departures (0: single departures only).
 * 0 or FK_ENOMEM with a message. */
int route_raptor_init(route_raptor *s, const route_transit *tt, uint32_t max_steps, fk_err *e);
void route_raptor_free(route_raptor *s);

/* Earliest arrival at every stop leaving at time_s (seconds after
 * midnight, 0 .. 172799) of day (days since 1970-01-01) from the origins.
 * opts may be NULL. Returns 0, or FK_EINVAL (time or stop out of range)
 * with a message. Read results with route_raptor_arrival_s and
 * route_raptor_itinerary. */
int route_raptor_query(route_raptor *s, int32_t day, int32_t time_s,
                       const route_raptor_origin *o, size_t n_o,
                       const route_raptor_opts *opts, fk_err *e);

/* Arrival at stop after the last query (seconds after midnight of the
 * query day), ROUTE_RAPTOR_UNREACHED when not reached. After a range query:
 * the arrival for its earliest departure. */
int32_t route_raptor_arrival_s(const route_raptor *s, uint32_t stop);

/* Range-RAPTOR: departures every step_s from from_s to to_s inclusive
 * (at most max_steps of them), processed latest first with labels kept
 * between departures. For each stop, over those departures, the travel
 * time (arrival minus departure, waiting at the origin included):
 * s->range_best[stop], range_median (the middle value, the upper one for an
 * even count; unreached counts as infinite) and range_worst, in seconds or
 * ROUTE_RAPTOR_NO_TIME. 0, or FK_EINVAL with a message. */
int route_raptor_range(route_raptor *s, int32_t day, int32_t from_s, int32_t to_s,
                       uint32_t step_s, const route_raptor_origin *o, size_t n_o,
                       const route_raptor_opts *opts, fk_err *e);

/* Origins for starting at a stop: the stop itself (walk 0) and every
 * footpath from it within max_walk_s (0: all). Writes at most cap entries;
 * returns how many there are (may exceed cap). */
size_t route_raptor_stop_origins(const route_transit *tt, uint32_t stop, uint32_t max_walk_s,
                                 route_raptor_origin *out, size_t cap);

/* ---- itineraries ---- */

typedef enum route_leg_kind { LEG_WALK = 0, LEG_TRANSIT = 1 } route_leg_kind;

typedef struct route_leg {
    route_leg_kind kind;
    uint32_t from_stop;     /* REGION_NONE for the start point of an access walk */
    uint32_t to_stop;
    int32_t dep_s, arr_s;   /* seconds after midnight of the query day */
    uint32_t trip;          /* region trip, REGION_NONE for walks */
    uint32_t route;         /* region route, REGION_NONE for walks */
    const char *line;       /* route short name (or long name), "" for walks */
    const char *headsign;   /* trip headsign, else the stop_headsign at boarding */
    const char *from_name, *to_name;
    const char *from_platform, *to_platform;   /* platform_code, "" if none */
    uint32_t n_stops;       /* stops travelled (transit) */
} route_leg;

typedef struct route_itinerary {
    route_leg legs[ROUTE_RAPTOR_MAX_LEGS];
    size_t n_legs;
    uint32_t transfers;     /* transit legs - 1 (0 when none) */
    int32_t dep_s, arr_s;   /* query departure, arrival at the target */
} route_itinerary;

/* The journey of the last route_raptor_query to stop target. 0, or
 * FK_ENOTFOUND (target not reached) / FK_EINVAL with a message. Pointers
 * in the legs point into the timetable's strings. */
int route_raptor_itinerary(const route_raptor *s, uint32_t target, route_itinerary *out,
                           fk_err *e);

/* Writes a readable multi-line text of it into buf (always NUL-terminated);
 * returns the length it needed, as snprintf. */
size_t route_itinerary_format(const route_itinerary *it, char *buf, size_t n);

/* ---- the reference: a plain connection scan (route/transit_ref.c) ---- */

typedef struct route_csa route_csa;

/* Collects every connection of the trips running on days day-2 .. day+1
 * and sorts them by (departure, arrival). *out owns it; free with
 * route_csa_free. 0 or FK_ENOMEM/FK_ETOOBIG with a message. */
int route_csa_init(route_csa **out, const route_transit *tt, int32_t day, fk_err *e);
void route_csa_free(route_csa *c);

/* Earliest arrival by scanning the connections, with the model above and
 * the same options as RAPTOR (max_rounds is ignored: the scan is exact).
 * 0 or FK_EINVAL. */
int route_csa_query(route_csa *c, int32_t time_s, const route_raptor_origin *o, size_t n_o,
                    const route_raptor_opts *opts, fk_err *e);
int32_t route_csa_arrival_s(const route_csa *c, uint32_t stop);
size_t route_csa_connections(const route_csa *c);

#endif
