/*
 * transit_point.h: public transport from a point to points, homes, jobs
 * and amenities (docs/transit.md, "From a point").
 *
 * RAPTOR (raptor.h) answers stop-to-stop. This module adds the walking at
 * both ends and the spreading of stop arrivals to every place:
 *
 *   access   the point is snapped to the walk graph; one bounded walking
 *            Dijkstra (route_dijkstra) up to the walk limit gives the walk
 *            to every stop; those stops are RAPTOR's origins;
 *   egress   precomputed at open time: for every stop, the walking time to
 *            every home, job and POI within the index's walk cap (one
 *            bounded Dijkstra per served stop), sorted by time, so that
 *            propagation is a scan of lists, never a search;
 *   direct   the pure walk from the point to a target, when within the
 *            walk limit, competes with every transit journey.
 *
 * The walking model (exact; the tests' reference follows it literally):
 *   - points and places enter the walk graph at their snapped segment with
 *     partial edge times (route_snap_depart / route_snap_arrive), or go
 *     directly along a shared segment (the rule of engine.c); the straight
 *     bit from a point or place to its road is not counted (as in
 *     engine.h);
 *   - a stop is snapped to the walk graph within ROUTE_TRANSIT_SNAP_M and
 *     its straight walk to the road (at 5 km/h, rounded to ds as
 *     transit.c does) is added to each walk to or from it; a stop farther
 *     from every walkable road is not walked to or from (footpaths still
 *     reach it);
 *   - a walk leg (access, egress, direct) takes ceil(deciseconds / 10)
 *     whole seconds and must be at most max_walk_s;
 *   - arrival at a target = min(departure + direct walk, min over stops of
 *     (RAPTOR arrival at the stop + egress walk)). RAPTOR's arrival at an
 *     origin stop is departure + access walk, so walking to a stop and on
 *     from it without riding counts too (never faster than the direct walk
 *     when that is within the limit);
 *   - a travel time (arrival - departure) above max_duration_s is
 *     unreached.
 *
 * Targets are numbered homes first, then jobs, then POIs (route_tp_target).
 * One more target, ROUTE_TP_POINT (= n_targets), is a free point set with
 * route_tp_set_point before a query.
 *
 * Sharing: a route_tp_index is read-only after route_tp_open; each thread
 * queries it with its own route_tp_scratch. Queries do not allocate.
 */
#ifndef FK_ROUTE_TRANSIT_POINT_H
#define FK_ROUTE_TRANSIT_POINT_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/geo.h"
#include "dijkstra.h"
#include "engine.h"
#include "isochrone.h"
#include "raptor.h"
#include "transit.h"

#define ROUTE_TP_DEFAULT_WALK_S 900u    /* default walk limit per leg: 15 min */
#define ROUTE_TP_MAX_WALK_S 3600u       /* largest walk cap of an index */
#define ROUTE_TP_NO_TIME UINT32_MAX
#define ROUTE_TP_DIRECT UINT32_MAX      /* best_stop of a target reached on foot */

/* A stop snapped to the walk graph. road == REGION_NONE: not snapped. */
typedef struct route_tp_stop {
    uint32_t road;
    double frac;
    uint32_t access_ds;               /* straight walk from the stop to its road */
    uint32_t dep_node[2], dep_ds[2];  /* leaving the stop (access_ds included) */
    uint32_t arr_node[2], arr_ds[2];  /* reaching the stop (access_ds included) */
    uint8_t n_dep, n_arr;
    uint8_t pad[6];
} route_tp_stop;

/* An egress walk: from a stop to target `target` in walk_ds. */
typedef struct route_tp_walk {
    uint32_t target;
    uint32_t walk_ds;
} route_tp_walk;

/* A road node where something is entered or left: (node, id, ds). */
typedef struct route_tp_attach {
    uint32_t node, id, ds;
} route_tp_attach;

typedef struct route_tp_index {
    const route_engine *eng;          /* walk graphs, snapper, snapped places */
    const route_transit *tt;
    uint32_t max_walk_s;              /* egress lists hold walks up to this */
    uint32_t n_stops;
    uint32_t n_targets;               /* homes + jobs + pois */
    uint32_t set_first[ENGINE_SET_COUNT + 1];
    route_tp_stop *stop;              /* n_stops, owned */
    uint32_t *eg_first;               /* n_stops + 1, owned */
    route_tp_walk *eg;                /* egress walks, per stop by walk_ds, owned */
    route_tp_attach *stop_arr;        /* sorted by node: reaching a stop, owned */
    route_tp_attach *stop_dep;        /* sorted by node: leaving a stop, owned */
    uint32_t n_stop_arr, n_stop_dep;
    route_tp_attach *tgt_arr;         /* sorted by node: reaching a target, owned */
    uint32_t n_tgt_arr;
    uint32_t *stop_by_road;           /* snapped stops sorted by (road, stop), owned */
    uint32_t *tgt_by_road;            /* snapped targets sorted by (road, target), owned */
    uint32_t n_stop_by_road, n_tgt_by_road;
    uint32_t n_snapped_stops, n_served_stops;
    uint64_t n_egress;
    double open_ms;
} route_tp_index;

/* Opens the index over an open engine and timetable (both must outlive
 * x): snaps every stop to the walk graph and computes the egress lists up
 * to max_walk_s (0: ROUTE_TP_DEFAULT_WALK_S; at most ROUTE_TP_MAX_WALK_S).
 * 0, FK_EINVAL (cap out of range, engine and timetable of different
 * regions), FK_ENOMEM, with a message. Close with route_tp_close (also
 * after a failure). */
int route_tp_open(route_tp_index *x, const route_engine *eng, const route_transit *tt,
                  uint32_t max_walk_s, fk_err *e);
void route_tp_close(route_tp_index *x);

/* Global target index of place i of a set, and back. */
static inline uint32_t route_tp_target(const route_tp_index *x, route_engine_set set,
                                       uint32_t i)
{
    return x->set_first[set] + i;
}
int route_tp_target_set(const route_tp_index *x, uint32_t target, route_engine_set *set,
                        uint32_t *i);
#define ROUTE_TP_POINT(x) ((x)->n_targets)

/* A query. Zero fields take the defaults. */
typedef struct route_tp_query {
    geo_point from;
    int32_t day;                 /* days since 1970-01-01 */
    int32_t time_s;              /* departure (single), seconds after midnight */
    uint32_t max_walk_s;         /* per walk leg; 0: ROUTE_TP_DEFAULT_WALK_S
                                    (lowered to the index's cap) */
    uint32_t max_duration_s;     /* 0: ROUTE_RAPTOR_MAX_DURATION_S; <= 65534 */
} route_tp_query;

/* Per-thread scratch. */
typedef struct route_tp_scratch {
    uint32_t n_targets, n_stops, max_steps;
    route_raptor rap;
    route_search walk;                 /* access / point-egress searches */
    route_raptor_origin *orig;         /* n_stops */
    uint32_t *stop_ds;                 /* per stop: its entry in orig while building */
    size_t n_orig;
    route_snap_result from_snap;
    /* the free point target */
    int point_set;
    geo_point point;
    route_snap_result point_snap;
    uint32_t *pt_eg_ds;                /* per stop, ROUTE_INF */
    uint32_t *pt_eg_list;              /* stops with pt_eg_ds set */
    uint32_t n_pt_eg;
    uint32_t pt_direct_ds;             /* from the query point, ROUTE_INF */
    /* per target (n_targets + 1): direct walk (s), results */
    uint32_t *direct_s;
    uint32_t *direct_list;
    uint32_t n_direct;
    uint32_t *arr_s;                   /* single: arrival (s after midnight) */
    uint32_t *best_stop;               /* single: stop of the best journey / DIRECT */
    uint32_t *best, *median, *worst;   /* range: travel times (s), ROUTE_TP_NO_TIME */
    uint32_t *touched;                 /* targets written by the last query */
    uint32_t n_touched;
    uint8_t *tmark;                    /* bit 0 touched, bit 1 changed at this departure */
    /* range working arrays */
    uint32_t *ev_first;                /* max_steps + 1 */
    uint32_t *ev;                      /* (stop, arrival) pairs by departure */
    size_t ev_cap;
    uint16_t *tsteps;                  /* [target][2 * max_steps] change points */
    uint16_t *tseg_n;
    uint32_t *tchg;
    /* the last query */
    int kind;                          /* 0 none, 1 single, 2 range */
    int32_t day, dep_s, from_s, to_s;
    uint32_t step_s, n_steps, max_walk_s, max_duration_s;
    double access_ms, raptor_ms, propagate_ms;
    uint32_t n_access_stops;
    /* transit isochrones: walk-graph seeds (2 per stop + the origin's 2) */
    uint32_t *iso_node, *iso_ds;
} route_tp_scratch;

/* Scratch for x, for range queries of up to max_steps departures (0:
 * single departures only). About (n_targets x 4 max_steps + n_stops x 8
 * max_steps) bytes plus RAPTOR's scratch. 0 or FK_ENOMEM. Free with
 * route_tp_scratch_free (also after a failure). */
int route_tp_scratch_init(route_tp_scratch *s, const route_tp_index *x, uint32_t max_steps,
                          fk_err *e);
void route_tp_scratch_free(route_tp_scratch *s);

/* Sets (p non-NULL) or clears (NULL) the free point target ROUTE_TP_POINT
 * for the next queries on s: snaps p to the walk graph and walks backward
 * from it to every stop within the index's cap. 0, FK_EINVAL (outside the
 * region), FK_ENOTFOUND (too far from a walkable road). */
int route_tp_set_point(const route_tp_index *x, route_tp_scratch *s, const geo_point *p,
                       fk_err *e);

/* Earliest arrival at every target (and the free point, if set) leaving
 * q->from at q->time_s of q->day. Results: s->arr_s[t] (seconds after
 * midnight of the day, ROUTE_TP_NO_TIME) and s->best_stop[t], for t in
 * 0..n_targets (ROUTE_TP_POINT included). 0, FK_EINVAL (time, day, options
 * out of range, point outside the region), FK_ENOTFOUND (the point is too
 * far from a walkable road). */
int route_tp_depart(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                    fk_err *e);

/* Range query: departures every step_s from from_s to to_s (inclusive,
 * at most the scratch's max_steps of them). For every target the travel
 * time (arrival minus that departure: the wait at the origin counts) over
 * the departures: s->best[t], s->median[t] (the middle value, the upper one
 * of an even count; unreached counts as infinite) and s->worst[t]
 * (ROUTE_TP_NO_TIME when unreached at some departure), in seconds.
 * Errors as route_tp_depart, and FK_EINVAL for a bad window. */
int route_tp_range(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                   int32_t from_s, int32_t to_s, uint32_t step_s, fk_err *e);

/* The journey of the last route_tp_depart to target t (ROUTE_TP_POINT
 * included): RAPTOR's legs, with the access walk from the start and an
 * egress walk leg (to_stop REGION_NONE, to_name target_name) appended; a
 * pure walk is one leg. 0, FK_ENOTFOUND (not reached), FK_EINVAL. */
int route_tp_itinerary(const route_tp_index *x, const route_tp_scratch *s, uint32_t t,
                       const char *target_name, route_itinerary *out, fk_err *e);

/* Arrive-by: the latest departure (to the second, within [deadline -
 * max_duration, deadline]) from q->from on q->day such that target t is
 * reached by deadline_s; q->time_s is ignored. Arrival is monotone in the
 * departure time (one may wait at the start), so a binary search over
 * seconds with route_tp_depart is exact. *dep_s and *arr_s get the
 * answer; the scratch then holds the route_tp_depart of that departure
 * (for route_tp_itinerary). 0, FK_ENOTFOUND (no departure reaches it in
 * time), FK_EINVAL. */
int route_tp_arrive_by(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                       uint32_t t, int32_t deadline_s, int32_t *dep_s, int32_t *arr_s,
                       fk_err *e);

/* Commute by transit: the median travel time over the window from every
 * place of `set` (kind filter for POIs as in engine.h, -1 all) to the
 * point q->from (reverse = 0: a range query per place, to the free point
 * set at q->from), or from q->from to every place (reverse = 1: one range
 * query). Places with a median within limit_s are written to out (index
 * in the set, time_ds = median in deciseconds) in index order; *n_out
 * their count. out must hold the set's size. Uses the free point target.
 * 0 or the errors of route_tp_range. */
int route_tp_commute(const route_tp_index *x, route_tp_scratch *s, const route_tp_query *q,
                     int32_t from_s, int32_t to_s, uint32_t step_s, route_engine_set set,
                     int kind, int reverse, uint32_t limit_s, route_engine_target *out,
                     size_t *n_out, fk_err *e);

/* Nearest amenity of kind k by transit from the last range query: the POI
 * with the smallest median (ties: lowest index). 0 and *poi, *median_s;
 * FK_ENOTFOUND when none is reached. */
int route_tp_nearest(const route_tp_index *x, const route_tp_scratch *s, route_amenity k,
                     uint32_t *poi, uint32_t *median_s);

/* Public transport isochrone for a departure at q->time_s of q->day: the
 * walk-graph area reachable within limit_ds by walking from q->from and
 * riding (route_tp_depart), as an isochrone grid of mode walk (contour it
 * with route_iso_contour). Seeds: the origin's own walk nodes at their
 * partial times, and, for every stop reached, the nodes one walks to from
 * it at (arrival - departure) plus the walk from the stop to its road.
 * Walking after the last ride is bounded by limit_ds alone, not by
 * q->max_walk_s (an area, not a journey). ix/is: an isochrone index of the
 * same region and its scratch. No allocation. Errors as route_tp_depart and
 * route_isochrone_seeded. */
int route_tp_isochrone(const route_tp_index *x, route_tp_scratch *s,
                       const route_iso_index *ix, route_iso_scratch *is,
                       const route_tp_query *q, uint32_t limit_ds, const route_iso_opts *o,
                       route_iso_grid *out, fk_err *e);

#endif
