/*
 * raptor.c: RAPTOR and range-RAPTOR on the compiled timetable (raptor.h,
 * docs/transit.md).
 *
 * One label per stop and kind (vehicle arrival, ready to board, arrival),
 * improved round by round: round k scans every route that serves a stop
 * whose ready time improved in round k-1 (or that a guaranteed transfer
 * boards), once per service day D-2 .. D+1 whose trips can matter; then the
 * transfer phase relaxes change times and footpaths from the stops whose
 * vehicle arrival improved. Boarding reads the best ready time found so far
 * (the usual earliest-arrival simplification), which keeps the labels
 * exact once no stop improves.
 *
 * A route scan keeps the earliest trip caught normally (`cur`: with FIFO
 * trips, every active later trip is caught too) and the trips boarded by
 * guaranteed transfers (`greached`, earliest `gmin`). Guaranteed transfers
 * of transfers.txt are applied from every trip reached at their stop,
 * improvement or not, because they are trip-specific; a per-(trip, day)
 * position bound keeps each from being applied twice.
 *
 * Range queries run departures from the latest to the earliest and keep the
 * labels: a journey leaving later is a journey for an earlier departure
 * too (rRAPTOR), so each departure only explores what improves.
 *
 * Times inside are uint32 seconds after midnight of day D-2, so that trips
 * of the two days before (times past 24:00 and 48:00) stay non-negative.
 */
#include "raptor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"

#define RAP_DAYS 4u
#define RAP_EPOCH (2u * ROUTE_TRANSIT_DAY_S)
#define RAP_NONE UINT32_MAX
#define RAP_G_NONE UINT16_MAX
enum { MARK_RDY = 1, MARK_VEH = 2, MARK_SEEN = 4, MARK_CHG = 8 };

int route_raptor_init(route_raptor *s, const route_transit *tt, uint32_t max_steps, fk_err *e)
{
    memset(s, 0, sizeof *s);
    s->tt = tt;
    s->n_stops = tt->h.n_stops;
    s->n_routes = tt->h.n_routes;
    s->n_trips = tt->h.n_trips;
    s->max_steps = max_steps;
    s->act_day = INT32_MIN;
    size_t ns = s->n_stops ? s->n_stops : 1, nr = s->n_routes ? s->n_routes : 1;
    size_t ntr = s->n_trips ? s->n_trips : 1;
    size_t cap = (size_t)tt->h.n_trip_tx * RAP_DAYS + 1, steps_n;
    if (max_steps > 65535)
        return err_set(e, FK_EINVAL, "raptor: at most 65535 departures per range query");
    if (mem_mul_ok(ns, 2 * (size_t)(max_steps ? max_steps : 1), &steps_n) || cap > UINT32_MAX)
        return err_set(e, FK_ENOMEM, "raptor: scratch size overflows");
    s->pend_cap = s->log_cap = (uint32_t)cap;
    s->veh = mem_alloc(ns * sizeof *s->veh);
    s->rdy = mem_alloc(ns * sizeof *s->rdy);
    s->arr = mem_alloc(ns * sizeof *s->arr);
    s->veh_par = mem_calloc(ns, sizeof *s->veh_par);
    s->rdy_from = mem_alloc(ns * sizeof *s->rdy_from);
    s->arr_from = mem_alloc(ns * sizeof *s->arr_from);
    s->mark = mem_calloc(ns, 1);
    s->rdy_list = mem_alloc(ns * sizeof *s->rdy_list);
    s->veh_list = mem_alloc(ns * sizeof *s->veh_list);
    s->seen_list = mem_alloc(ns * sizeof *s->seen_list);
    s->chg_list = mem_alloc(ns * sizeof *s->chg_list);
    s->route_start = mem_alloc(nr * sizeof *s->route_start);
    s->route_list = mem_alloc(nr * sizeof *s->route_list);
    s->pend_first = mem_alloc(nr * sizeof *s->pend_first);
    s->trip_act = mem_calloc(ntr, 1);
    s->route_act = mem_calloc(nr, 1);
    s->gbest = mem_calloc(ntr, RAP_DAYS * sizeof *s->gbest);
    s->g_touched = mem_calloc(ntr, RAP_DAYS * sizeof *s->g_touched);
    s->greached = mem_calloc(ntr, 1);
    s->glog_of = mem_calloc(ntr, sizeof *s->glog_of);
    s->gpos_of = mem_calloc(ntr, sizeof *s->gpos_of);
    s->pend = mem_calloc(cap, sizeof *s->pend);
    s->pend_next = mem_calloc(cap, sizeof *s->pend_next);
    s->log = mem_calloc(cap, sizeof *s->log);
    if (max_steps) {
        s->steps = mem_calloc(steps_n, sizeof *s->steps);
        s->seg_n = mem_calloc(ns, sizeof *s->seg_n);
        s->range_best = mem_alloc(ns * sizeof *s->range_best);
        s->range_median = mem_alloc(ns * sizeof *s->range_median);
        s->range_worst = mem_alloc(ns * sizeof *s->range_worst);
    }
    if (!s->veh || !s->rdy || !s->arr || !s->veh_par || !s->rdy_from || !s->arr_from ||
        !s->mark || !s->rdy_list || !s->veh_list || !s->seen_list || !s->chg_list || !s->route_start || !s->route_list ||
        !s->pend_first || !s->trip_act || !s->route_act || !s->gbest || !s->g_touched || !s->greached ||
        !s->glog_of || !s->gpos_of || !s->pend || !s->pend_next || !s->log ||
        (max_steps && (!s->steps || !s->seg_n || !s->range_best || !s->range_median || !s->range_worst))) {
        route_raptor_free(s);
        return err_set(e, FK_ENOMEM, "raptor: out of memory for the search scratch");
    }
    for (size_t i = 0; i < nr; i++) s->route_start[i] = s->pend_first[i] = RAP_NONE;
    for (size_t i = 0; i < ntr * RAP_DAYS; i++) s->gbest[i] = RAP_G_NONE;
    for (size_t i = 0; i < ns; i++) s->veh[i] = s->rdy[i] = s->arr[i] = RAP_NONE;
    return 0;
}

void route_raptor_free(route_raptor *s)
{
    void *p[] = {s->veh, s->rdy, s->arr, s->veh_par, s->rdy_from, s->arr_from, s->mark,
                 s->rdy_list, s->veh_list, s->seen_list, s->chg_list, s->route_start, s->route_list, s->pend_first,
                 s->trip_act, s->route_act, s->gbest, s->g_touched, s->greached, s->glog_of, s->gpos_of,
                 s->pend, s->pend_next, s->log, s->steps, s->seg_n, s->range_best, s->range_median,
                 s->range_worst};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) mem_free(p[i]);
    memset(s, 0, sizeof *s);
}

/* ---- set-up ---- */

static int rap_opts(route_raptor *s, const route_raptor_opts *o, fk_err *e)
{
    uint32_t dur = o && o->max_duration_s ? o->max_duration_s : ROUTE_RAPTOR_MAX_DURATION_S;
    if (dur > 65534)
        return err_set(e, FK_EINVAL, "raptor: max_duration_s %u is above 65534", dur);
    s->limit = dur;   /* relative until a departure is known */
    s->max_walk_s = o && o->max_walk_s ? o->max_walk_s : UINT32_MAX;
    s->max_rounds = o && o->max_rounds ? o->max_rounds : ROUTE_RAPTOR_MAX_ROUNDS;
    if (s->max_rounds > ROUTE_RAPTOR_MAX_ROUNDS) s->max_rounds = ROUTE_RAPTOR_MAX_ROUNDS;
    return 0;
}

static int rap_check_origins(const route_raptor *s, const route_raptor_origin *o, size_t n,
                             fk_err *e)
{
    for (size_t i = 0; i < n; i++)
        if (o[i].stop >= s->n_stops || o[i].walk_s > ROUTE_TRANSIT_DAY_S)
            return err_set(e, FK_EINVAL, "raptor: origin %zu: stop %u (of %u) or walk %u s "
                           "out of range", i, o[i].stop, s->n_stops, o[i].walk_s);
    return 0;
}

/* Which compiled trips run on the days D-2 .. D+1. */
static void rap_activity(route_raptor *s, int32_t day)
{
    if (s->act_day == day) return;
    const route_transit *tt = s->tt;
    for (uint32_t t = 0; t < s->n_trips; t++) {
        uint8_t bits = 0;
        for (uint32_t d = 0; d < RAP_DAYS; d++)
            if (route_transit_service_active(tt, tt->trips[t].service, day - 2 + (int32_t)d))
                bits |= (uint8_t)(1u << d);
        s->trip_act[t] = bits;
    }
    for (uint32_t r = 0; r < s->n_routes; r++) {
        uint8_t bits = 0;
        for (uint32_t k = 0; k < tt->routes[r].n_trips; k++)
            bits |= s->trip_act[tt->routes[r].first_trip + k];
        s->route_act[r] = bits;
    }
    s->act_day = day;
}

static void rap_reset_labels(route_raptor *s)
{
    memset(s->veh, 0xff, (size_t)s->n_stops * sizeof *s->veh);
    memset(s->rdy, 0xff, (size_t)s->n_stops * sizeof *s->rdy);
    memset(s->arr, 0xff, (size_t)s->n_stops * sizeof *s->arr);
    memset(s->mark, 0, s->n_stops);
    s->n_rdy = s->n_veh = s->n_seen = s->n_chg = 0;
}

static void rap_set_arr(route_raptor *s, uint32_t st, uint32_t t, uint32_t from)
{
    if (t <= s->limit && t < s->arr[st]) {
        s->arr[st] = t;
        s->arr_from[st] = from;
        if (!(s->mark[st] & MARK_SEEN)) {
            s->mark[st] |= MARK_SEEN;
            s->seen_list[s->n_seen++] = st;
        }
        if (!(s->mark[st] & MARK_CHG)) {
            s->mark[st] |= MARK_CHG;
            s->chg_list[s->n_chg++] = st;
        }
    }
}

static void rap_mark_rdy(route_raptor *s, uint32_t st)
{
    if (!(s->mark[st] & MARK_RDY)) {
        s->mark[st] |= MARK_RDY;
        s->rdy_list[s->n_rdy++] = st;
    }
}

static void rap_relax_rdy(route_raptor *s, uint32_t st, uint32_t t, uint32_t from)
{
    if (t <= s->limit && t < s->rdy[st]) {
        s->rdy[st] = t;
        s->rdy_from[st] = from;
        rap_mark_rdy(s, st);
    }
}

static void rap_seed(route_raptor *s, const route_raptor_origin *o, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t st = o[i].stop, t = s->t0 + o[i].walk_s;
        rap_relax_rdy(s, st, t, RAP_NONE);
        rap_set_arr(s, st, t, RAP_NONE);
    }
}

/* ---- guaranteed transfers ---- */

static void rap_guarantee(route_raptor *s, const route_tt_trip_tx *x, uint32_t d, uint32_t a,
                          route_raptor_ride ride)
{
    const route_transit *tt = s->tt;
    uint32_t b = x->to_trip, q = x->to_pos;
    if (!(s->trip_act[b] & (1u << d))) return;
    const route_tt_route *R = &tt->routes[x->to_route];
    uint32_t dep = d * ROUTE_TRANSIT_DAY_S + (uint32_t)R->base_s +
                   tt->times[R->first_time + (size_t)q * R->n_trips + (b - R->first_trip)];
    if (dep < a + x->min_s || dep > s->limit) return;
    uint16_t *gb = &s->gbest[(size_t)b * RAP_DAYS + d];
    if (*gb <= q) return;
    if (s->n_log >= s->log_cap || s->n_pend_next >= s->pend_cap) return;  /* cannot happen */
    if (*gb == RAP_G_NONE) s->g_touched[s->n_g_touched++] = b * RAP_DAYS + d;
    *gb = (uint16_t)q;
    s->log[s->n_log] = ride;
    s->pend_next[s->n_pend_next++] = (route_raptor_pending){x->to_route, b, q, s->n_log, d};
    s->n_log++;
}

static int rap_pend_cmp(const void *pa, const void *pb)
{
    const route_raptor_pending *a = pa, *b = pb;
    if (a->route != b->route) return a->route < b->route ? -1 : 1;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
    return (a->trip > b->trip) - (a->trip < b->trip);
}

/* ---- route scan ---- */

static void rap_scan(route_raptor *s, uint32_t r, uint32_t d, uint32_t p0)
{
    const route_transit *tt = s->tt;
    const route_tt_route *R = &tt->routes[r];
    const uint32_t nt = R->n_trips, ns = R->n_stops, ft = R->first_trip;
    const uint16_t *dep = tt->times + R->first_time;
    const uint16_t *arr = dep + (size_t)ns * nt;
    const uint32_t *stops = tt->route_stops + R->first_stop;
    const uint8_t *flags = tt->route_flags + R->first_stop;
    const uint32_t shift = d * ROUTE_TRANSIT_DAY_S + (uint32_t)R->base_s;
    const uint8_t bit = (uint8_t)(1u << d);
    const uint8_t *act = s->trip_act + ft;
    uint32_t cur = nt, cur_board = 0, gmin = nt, gmin_log = RAP_NONE, gmin_pos = 0;
    const route_tt_trip_tx *tx = tt->trip_tx + tt->tx_first[r];
    const route_tt_trip_tx *tx_end = tt->trip_tx + tt->tx_first[r + 1];
    while (tx < tx_end && tx->from_pos < p0) tx++;
    uint32_t pp = s->pend_first[r], pend_lo, pend_hi;
    if (pp != RAP_NONE) {
        while (pp < s->n_pend && s->pend[pp].route == r && s->pend[pp].day < d) pp++;
        pend_lo = pp;
        pend_hi = pp;
        while (pend_hi < s->n_pend && s->pend[pend_hi].route == r && s->pend[pend_hi].day == d)
            pend_hi++;
    } else {
        pend_lo = pend_hi = pp = 0;
    }
    for (uint32_t p = p0; p < ns; p++) {
        const uint32_t st = stops[p];
        const uint8_t fl = flags[p];
        const uint32_t tb = cur < gmin ? cur : gmin;
        if (tb < nt && !(fl & ROUTE_TT_NO_ALIGHT)) {
            uint32_t a = shift + arr[(size_t)p * nt + tb];
            if (a < s->veh[st] && a <= s->limit) {
                s->veh[st] = a;
                route_raptor_ride *pr = &s->veh_par[st];
                pr->trip = ft + tb;
                pr->via = tb == cur ? RAP_NONE : gmin_log;
                pr->board_pos = (uint16_t)(tb == cur ? cur_board : gmin_pos);
                pr->alight_pos = (uint16_t)p;
                pr->day = (uint8_t)d;
                if (!(s->mark[st] & MARK_VEH)) {
                    s->mark[st] |= MARK_VEH;
                    s->veh_list[s->n_veh++] = st;
                }
            }
        }
        /* guaranteed transfers from every trip reached here */
        while (tx < tx_end && tx->from_pos < p) tx++;
        for (; tx < tx_end && tx->from_pos == p; tx++) {
            if (fl & ROUTE_TT_NO_ALIGHT) continue;
            uint32_t f = tx->from_trip - ft;
            route_raptor_ride ride = {tx->from_trip, RAP_NONE, (uint16_t)cur_board, (uint16_t)p,
                                      (uint8_t)d, {0, 0, 0}};
            if (!(cur < nt && f >= cur && (act[f] & bit))) {
                if (!s->greached[tx->from_trip]) continue;
                ride.via = s->glog_of[tx->from_trip];
                ride.board_pos = (uint16_t)s->gpos_of[tx->from_trip];
            }
            rap_guarantee(s, tx, d, shift + arr[(size_t)p * nt + f], ride);
        }
        /* boarding: an earlier trip than cur? */
        if (!(fl & ROUTE_TT_NO_BOARD)) {
            uint32_t r0 = s->rdy[st];
            if (r0 <= s->limit && (cur == nt || r0 <= shift + dep[(size_t)p * nt + cur])) {
                const uint16_t *row = dep + (size_t)p * nt;
                uint32_t lo = 0, hi = cur;
                if (r0 > shift) {
                    uint32_t want = r0 - shift;
                    if (want > 65535) {
                        lo = hi;
                    } else {
                        uint32_t h2 = hi;
                        while (lo < h2) {
                            uint32_t mid = (lo + h2) / 2;
                            if (row[mid] < want) lo = mid + 1;
                            else h2 = mid;
                        }
                    }
                }
                while (lo < hi && !(act[lo] & bit)) lo++;
                if (lo < hi) {
                    cur = lo;
                    cur_board = p;
                }
            }
        }
        /* boardings by guaranteed transfers at p */
        for (; pp < pend_hi && s->pend[pp].pos == p; pp++) {
            uint32_t g = s->pend[pp].trip;
            if (s->greached[g]) continue;
            s->greached[g] = 1;
            s->glog_of[g] = s->pend[pp].log;
            s->gpos_of[g] = p;
            if (g - ft < gmin) {
                gmin = g - ft;
                gmin_log = s->pend[pp].log;
                gmin_pos = p;
            }
        }
    }
    for (uint32_t i = pend_lo; i < pend_hi; i++) s->greached[s->pend[i].trip] = 0;
    s->routes_scanned++;
}

/* ---- rounds ---- */

static void rap_add_route(route_raptor *s, uint32_t r, uint32_t pos)
{
    if (s->route_start[r] == RAP_NONE) {
        s->route_list[s->n_route_list++] = r;
        s->route_start[r] = pos;
    } else if (pos < s->route_start[r]) {
        s->route_start[r] = pos;
    }
}

static void rap_transfers(route_raptor *s)
{
    const route_transit *tt = s->tt;
    for (uint32_t i = 0; i < s->n_veh; i++) {
        uint32_t st = s->veh_list[i], v = s->veh[st];
        s->mark[st] &= (uint8_t)~MARK_VEH;
        rap_set_arr(s, st, v, st);
        uint16_t c = tt->change_s[st];
        if (c != ROUTE_TT_NO_CHANGE) rap_relax_rdy(s, st, v + c, st);
        for (uint32_t k = tt->fp_first[st]; k < tt->fp_first[st + 1]; k++) {
            const route_tt_footpath *fp = &tt->footpaths[k];
            if (fp->walk_s > s->max_walk_s) continue;
            rap_relax_rdy(s, fp->to, v + fp->xfer_s, st);
            rap_set_arr(s, fp->to, v + fp->walk_s, st);
        }
    }
    s->n_veh = 0;
}

/* Runs rounds from the seeded labels until nothing improves. */
static void rap_run(route_raptor *s)
{
    const route_transit *tt = s->tt;
    for (uint32_t i = 0; i < s->n_g_touched; i++) s->gbest[s->g_touched[i]] = RAP_G_NONE;
    s->n_g_touched = 0;
    s->n_log = 0;
    s->n_pend = s->n_pend_next = 0;
    uint32_t round = 0;
    while ((s->n_rdy || s->n_pend) && round < s->max_rounds) {
        round++;
        for (uint32_t i = 0; i < s->n_rdy; i++) {
            uint32_t st = s->rdy_list[i];
            s->mark[st] &= (uint8_t)~MARK_RDY;
            for (uint32_t k = tt->stop_first[st]; k < tt->stop_first[st + 1]; k++)
                rap_add_route(s, tt->stop_routes[k].route, tt->stop_routes[k].pos);
        }
        s->n_rdy = 0;
        if (s->n_pend > 1) qsort(s->pend, s->n_pend, sizeof *s->pend, rap_pend_cmp);
        for (uint32_t i = 0; i < s->n_pend; i++) {
            uint32_t r = s->pend[i].route;
            if (s->pend_first[r] == RAP_NONE) s->pend_first[r] = i;
            rap_add_route(s, r, s->pend[i].pos);
        }
        for (uint32_t i = 0; i < s->n_route_list; i++) {
            uint32_t r = s->route_list[i];
            const route_tt_route *R = &tt->routes[r];
            for (uint32_t d = 0; d < RAP_DAYS; d++) {
                uint32_t lo = d * ROUTE_TRANSIT_DAY_S + (uint32_t)R->base_s;
                if (!(s->route_act[r] & (1u << d)) || lo > s->limit || lo + R->span_s < s->t0)
                    continue;
                rap_scan(s, r, d, s->route_start[r]);
            }
            s->route_start[r] = RAP_NONE;
            s->pend_first[r] = RAP_NONE;
        }
        s->n_route_list = 0;
        /* guaranteed boardings found in this round are scanned in the next */
        route_raptor_pending *tmp = s->pend;
        s->pend = s->pend_next;
        s->pend_next = tmp;
        s->n_pend = s->n_pend_next;
        s->n_pend_next = 0;
        rap_transfers(s);
    }
    /* stopped by max_rounds: drop what is left */
    for (uint32_t i = 0; i < s->n_rdy; i++) s->mark[s->rdy_list[i]] &= (uint8_t)~MARK_RDY;
    s->n_rdy = 0;
    s->n_pend = 0;
    s->rounds += round;
}

int route_raptor_query(route_raptor *s, int32_t day, int32_t time_s,
                       const route_raptor_origin *o, size_t n_o,
                       const route_raptor_opts *opts, fk_err *e)
{
    if (time_s < 0 || time_s >= (int32_t)(2 * ROUTE_TRANSIT_DAY_S))
        return err_set(e, FK_EINVAL, "raptor: departure time %d s is outside 0..172799", time_s);
    int rc = rap_opts(s, opts, e);
    if (!rc) rc = rap_check_origins(s, o, n_o, e);
    if (rc) return rc;
    rap_activity(s, day);
    rap_reset_labels(s);
    s->rounds = s->routes_scanned = 0;
    s->t0 = RAP_EPOCH + (uint32_t)time_s;
    s->limit += s->t0;
    rap_seed(s, o, n_o);
    rap_run(s);
    return 0;
}

int32_t route_raptor_arrival_s(const route_raptor *s, uint32_t stop)
{
    if (stop >= s->n_stops || s->arr[stop] > s->limit) return ROUTE_RAPTOR_UNREACHED;
    return (int32_t)(s->arr[stop] - RAP_EPOCH);
}

/* Whether a trip can be boarded at an origin in the window [t + walk,
 * t + step + walk): if not, leaving at t reaches nothing earlier than
 * leaving at t + step does (every journey starts by boarding at an origin),
 * so range queries skip the rounds for t. */
static int rap_origin_departs(const route_raptor *s, const route_raptor_origin *o, size_t n_o,
                              uint32_t t, uint32_t step)
{
    const route_transit *tt = s->tt;
    for (size_t i = 0; i < n_o; i++) {
        uint32_t lo = t + o[i].walk_s, hi = lo + step;
        for (uint32_t k = tt->stop_first[o[i].stop]; k < tt->stop_first[o[i].stop + 1]; k++) {
            const route_tt_stop_route *sr = &tt->stop_routes[k];
            const route_tt_route *R = &tt->routes[sr->route];
            if (tt->route_flags[R->first_stop + sr->pos] & ROUTE_TT_NO_BOARD) continue;
            const uint16_t *row = tt->times + R->first_time + (size_t)sr->pos * R->n_trips;
            const uint8_t *act = s->trip_act + R->first_trip;
            for (uint32_t d = 0; d < RAP_DAYS; d++) {
                uint32_t shift = d * ROUTE_TRANSIT_DAY_S + (uint32_t)R->base_s;
                if (hi <= shift || lo > shift + R->span_s) continue;
                uint32_t want = lo > shift ? lo - shift : 0, a = 0, b = R->n_trips;
                while (a < b) {
                    uint32_t mid = (a + b) / 2;
                    if (row[mid] < want) a = mid + 1;
                    else b = mid;
                }
                for (; a < R->n_trips && shift + row[a] < hi; a++)
                    if (act[a] & (1u << d)) return 1;
            }
        }
    }
    return 0;
}

/* Best, median and worst travel time of stop st over the n departures of
 * a range query, from its change points: pair k says that from departure
 * i_k (going earlier) the arrival was fixed, so the travel time was tt_k
 * there and grows by step at each earlier departure until the next change
 * point. A stop is unreached at departures after its first change point
 * and where the travel time exceeds dur. */
static void rap_stats(route_raptor *s, uint32_t st, uint32_t n, uint32_t step, uint32_t dur)
{
    const uint16_t *row = s->steps + (size_t)st * 2 * s->max_steps;
    const uint32_t k_n = s->seg_n[st];
    uint32_t best = UINT32_MAX, worst = 0;
    int unreached = k_n == 0 || row[0] != n - 1;
    for (uint32_t k = 0; k < k_n; k++) {
        uint32_t i = row[2 * k], tt = row[2 * k + 1], jlow = k + 1 < k_n ? row[2 * k + 2] + 1u : 0;
        uint64_t top = tt + (uint64_t)(i - jlow) * step;
        if (tt < best) best = tt;
        if (top > dur) unreached = 1;
        else if (top > worst) worst = (uint32_t)top;
    }
    s->range_best[st] = best == UINT32_MAX ? ROUTE_RAPTOR_NO_TIME : best;
    s->range_worst[st] = unreached ? ROUTE_RAPTOR_NO_TIME : worst;
    /* median: the smallest v with at least n/2 + 1 departures within v */
    const uint32_t need = n / 2 + 1;
    uint32_t lo = best, hi = dur + 1;
    while (lo < hi) {
        uint32_t v = lo + (hi - lo) / 2, cnt = 0;
        for (uint32_t k = 0; k < k_n; k++) {
            uint32_t i = row[2 * k], tt = row[2 * k + 1];
            uint32_t jlow = k + 1 < k_n ? row[2 * k + 2] + 1u : 0, len = i - jlow + 1;
            if (v < tt) continue;
            uint32_t c = (v - tt) / step + 1;
            cnt += c < len ? c : len;
        }
        if (cnt >= need) hi = v;
        else lo = v + 1;
    }
    s->range_median[st] = lo > dur ? ROUTE_RAPTOR_NO_TIME : lo;
}

int route_raptor_range(route_raptor *s, int32_t day, int32_t from_s, int32_t to_s,
                       uint32_t step_s, const route_raptor_origin *o, size_t n_o,
                       const route_raptor_opts *opts, fk_err *e)
{
    if (from_s < 0 || to_s < from_s || to_s >= (int32_t)(2 * ROUTE_TRANSIT_DAY_S) || !step_s)
        return err_set(e, FK_EINVAL, "raptor: departure window %d..%d s step %u is invalid",
                       from_s, to_s, step_s);
    uint32_t n = (uint32_t)(to_s - from_s) / step_s + 1;
    if (n > s->max_steps)
        return err_set(e, FK_EINVAL, "raptor: %u departures in the window, the scratch holds "
                       "%u", n, s->max_steps);
    int rc = rap_opts(s, opts, e);
    if (!rc) rc = rap_check_origins(s, o, n_o, e);
    if (rc) return rc;
    uint32_t dur = s->limit;
    rap_activity(s, day);
    rap_reset_labels(s);
    s->rounds = s->routes_scanned = s->skipped_steps = 0;
    memset(s->seg_n, 0, (size_t)s->n_stops * sizeof *s->seg_n);
    const size_t ms2 = 2 * (size_t)s->max_steps;
    for (uint32_t i = n; i-- > 0;) {
        s->t0 = RAP_EPOCH + (uint32_t)from_s + i * step_s;
        s->limit = s->t0 + dur;
        rap_seed(s, o, n_o);
        if (i == n - 1 || rap_origin_departs(s, o, n_o, s->t0, step_s)) {
            rap_run(s);
        } else {   /* nothing new to board: only the origins' labels moved */
            for (uint32_t k = 0; k < s->n_rdy; k++) s->mark[s->rdy_list[k]] &= (uint8_t)~MARK_RDY;
            s->n_rdy = 0;
            s->skipped_steps++;
        }
        /* change points: only stops whose arrival improved */
        for (uint32_t k = 0; k < s->n_chg; k++) {
            uint32_t st = s->chg_list[k];
            uint16_t *row = s->steps + st * ms2;
            s->mark[st] &= (uint8_t)~MARK_CHG;
            row[2 * s->seg_n[st]] = (uint16_t)i;
            row[2 * s->seg_n[st] + 1] = (uint16_t)(s->arr[st] - s->t0);
            s->seg_n[st]++;
        }
        s->n_chg = 0;
    }
    for (uint32_t st = 0; st < s->n_stops; st++)
        s->range_best[st] = s->range_median[st] = s->range_worst[st] = ROUTE_RAPTOR_NO_TIME;
    for (uint32_t k = 0; k < s->n_seen; k++) rap_stats(s, s->seen_list[k], n, step_s, dur);
    s->n_steps_done = n;
    return 0;
}

size_t route_raptor_stop_origins(const route_transit *tt, uint32_t stop, uint32_t max_walk_s,
                                 route_raptor_origin *out, size_t cap)
{
    if (stop >= tt->h.n_stops) return 0;
    size_t n = 0;
    if (n < cap) out[n] = (route_raptor_origin){stop, 0};
    n++;
    for (uint32_t k = tt->fp_first[stop]; k < tt->fp_first[stop + 1]; k++) {
        const route_tt_footpath *fp = &tt->footpaths[k];
        if (max_walk_s && fp->walk_s > max_walk_s) continue;
        if (n < cap) out[n] = (route_raptor_origin){fp->to, fp->walk_s};
        n++;
    }
    return n;
}

/* ---- itineraries ---- */

static uint32_t rap_ride_time(const route_transit *tt, const route_raptor_ride *r, uint32_t pos,
                              int arrival)
{
    const route_tt_route *R = &tt->routes[tt->trips[r->trip].route];
    size_t row = arrival ? (size_t)R->n_stops + pos : pos;
    return r->day * ROUTE_TRANSIT_DAY_S + (uint32_t)R->base_s +
           tt->times[R->first_time + row * R->n_trips + (r->trip - R->first_trip)];
}

static uint32_t rap_ride_stop(const route_transit *tt, const route_raptor_ride *r, uint32_t pos)
{
    return tt->route_stops[tt->routes[tt->trips[r->trip].route].first_stop + pos];
}

static uint32_t rap_walk_between(const route_transit *tt, uint32_t a, uint32_t b)
{
    for (uint32_t k = tt->fp_first[a]; k < tt->fp_first[a + 1]; k++)
        if (tt->footpaths[k].to == b) return tt->footpaths[k].walk_s;
    return 0;
}

static int rap_push_walk(const route_raptor *s, route_itinerary *it, uint32_t from, uint32_t to,
                         uint32_t t_dep, uint32_t t_arr)
{
    if (it->n_legs >= ROUTE_RAPTOR_MAX_LEGS) return -1;
    const route_transit *tt = s->tt;
    route_leg *l = &it->legs[it->n_legs++];
    memset(l, 0, sizeof *l);
    l->kind = LEG_WALK;
    l->from_stop = from;
    l->to_stop = to;
    l->dep_s = (int32_t)(t_dep - RAP_EPOCH);
    l->arr_s = (int32_t)(t_arr - RAP_EPOCH);
    l->trip = l->route = REGION_NONE;
    l->line = l->headsign = "";
    l->from_name = from == REGION_NONE ? "start" : route_transit_str(tt, tt->feed.stops[from].name);
    l->from_platform = from == REGION_NONE ? ""
                       : route_transit_str(tt, tt->feed.stops[from].platform_code);
    l->to_name = route_transit_str(tt, tt->feed.stops[to].name);
    l->to_platform = route_transit_str(tt, tt->feed.stops[to].platform_code);
    return 0;
}

static int rap_push_ride(const route_raptor *s, route_itinerary *it, const route_raptor_ride *r)
{
    if (it->n_legs >= ROUTE_RAPTOR_MAX_LEGS) return -1;
    const route_transit *tt = s->tt;
    const route_tt_trip *T = &tt->trips[r->trip];
    const region_trip *rt = &tt->feed.trips[T->trip];
    const region_route *rr = &tt->feed.routes[rt->route];
    route_leg *l = &it->legs[it->n_legs++];
    memset(l, 0, sizeof *l);
    l->kind = LEG_TRANSIT;
    l->from_stop = rap_ride_stop(tt, r, r->board_pos);
    l->to_stop = rap_ride_stop(tt, r, r->alight_pos);
    l->dep_s = (int32_t)(rap_ride_time(tt, r, r->board_pos, 0) - RAP_EPOCH);
    l->arr_s = (int32_t)(rap_ride_time(tt, r, r->alight_pos, 1) - RAP_EPOCH);
    l->trip = T->trip;
    l->route = rt->route;
    l->line = route_transit_str(tt, rr->short_name);
    if (!*l->line) l->line = route_transit_str(tt, rr->long_name);
    l->headsign = route_transit_str(tt, rt->headsign);
    if (!*l->headsign)
        l->headsign = route_transit_str(tt, tt->feed.stop_times[rt->first_stop_time +
                                                                r->board_pos].headsign);
    l->from_name = route_transit_str(tt, tt->feed.stops[l->from_stop].name);
    l->to_name = route_transit_str(tt, tt->feed.stops[l->to_stop].name);
    l->from_platform = route_transit_str(tt, tt->feed.stops[l->from_stop].platform_code);
    l->to_platform = route_transit_str(tt, tt->feed.stops[l->to_stop].platform_code);
    l->n_stops = (uint32_t)(r->alight_pos - r->board_pos);
    return 0;
}

int route_raptor_itinerary(const route_raptor *s, uint32_t target, route_itinerary *out,
                           fk_err *e)
{
    memset(out, 0, sizeof *out);
    if (target >= s->n_stops)
        return err_set(e, FK_EINVAL, "raptor: stop %u out of range", target);
    if (s->arr[target] > s->limit)
        return err_set(e, FK_ENOTFOUND, "stop %u (%s) is not reached", target,
                       route_transit_str(s->tt, s->tt->feed.stops[target].name));
    const route_transit *tt = s->tt;
    int bad = 0;
    uint32_t x = target;
    out->dep_s = (int32_t)(s->t0 - RAP_EPOCH);
    out->arr_s = (int32_t)(s->arr[target] - RAP_EPOCH);
    uint32_t from = s->arr_from[x];
    const route_raptor_ride *ride = NULL;
    if (from == RAP_NONE) {
        if (s->arr[x] > s->t0) bad |= rap_push_walk(s, out, REGION_NONE, x, s->t0, s->arr[x]);
    } else {
        if (from != x) {
            bad |= rap_push_walk(s, out, from, x, s->veh[from], s->arr[x]);
            x = from;
        }
        ride = &s->veh_par[x];
    }
    for (int guard = 0; ride && !bad; guard++) {
        if (guard > 4 * ROUTE_RAPTOR_MAX_LEGS) {
            bad = 1;
            break;
        }
        bad |= rap_push_ride(s, out, ride);
        uint32_t y = rap_ride_stop(tt, ride, ride->board_pos);
        if (ride->via != RAP_NONE) {
            if (ride->via >= s->n_log) {
                bad = 1;
                break;
            }
            const route_raptor_ride *prev = &s->log[ride->via];
            uint32_t a = rap_ride_stop(tt, prev, prev->alight_pos);
            if (a != y) {
                uint32_t t = rap_ride_time(tt, prev, prev->alight_pos, 1);
                bad |= rap_push_walk(s, out, a, y, t, t + rap_walk_between(tt, a, y));
            }
            ride = prev;
            continue;
        }
        uint32_t z = s->rdy_from[y];
        if (z == RAP_NONE) {
            if (s->rdy[y] > s->t0) bad |= rap_push_walk(s, out, REGION_NONE, y, s->t0, s->rdy[y]);
            ride = NULL;
        } else {
            if (z != y)
                bad |= rap_push_walk(s, out, z, y, s->veh[z], s->veh[z] + rap_walk_between(tt, z, y));
            ride = &s->veh_par[z];
        }
    }
    if (bad)
        return err_set(e, FK_EINVAL, "raptor: itinerary to stop %u has more than %d legs",
                       target, ROUTE_RAPTOR_MAX_LEGS);
    /* reverse into travel order */
    for (size_t i = 0, j = out->n_legs ? out->n_legs - 1 : 0; i < j; i++, j--) {
        route_leg t = out->legs[i];
        out->legs[i] = out->legs[j];
        out->legs[j] = t;
    }
    uint32_t n_transit = 0;
    for (size_t i = 0; i < out->n_legs; i++) n_transit += out->legs[i].kind == LEG_TRANSIT;
    out->transfers = n_transit ? n_transit - 1 : 0;
    return 0;
}

static void rap_hhmm(char *b, size_t n, int32_t t)
{
    snprintf(b, n, "%02d:%02d", t / 3600, (t / 60) % 60);
}

size_t route_itinerary_format(const route_itinerary *it, char *buf, size_t n)
{
    size_t len = 0;
    char a[16], b[16], pa[48], pb[48];
#define OUT(...) do { \
        int k_ = snprintf(n > len ? buf + len : NULL, n > len ? n - len : 0, __VA_ARGS__); \
        if (k_ > 0) len += (size_t)k_; \
    } while (0)
    if (n) buf[0] = '\0';
    rap_hhmm(a, sizeof a, it->dep_s);
    rap_hhmm(b, sizeof b, it->arr_s);
    OUT("depart %s, arrive %s (%d min), %u transfer%s\n", a, b, (it->arr_s - it->dep_s) / 60,
        it->transfers, it->transfers == 1 ? "" : "s");
    for (size_t i = 0; i < it->n_legs; i++) {
        const route_leg *l = &it->legs[i];
        rap_hhmm(a, sizeof a, l->dep_s);
        rap_hhmm(b, sizeof b, l->arr_s);
        snprintf(pa, sizeof pa, "%s%.40s%s", *l->from_platform ? " [" : "", l->from_platform,
                 *l->from_platform ? "]" : "");
        snprintf(pb, sizeof pb, "%s%.40s%s", *l->to_platform ? " [" : "", l->to_platform,
                 *l->to_platform ? "]" : "");
        if (l->kind == LEG_WALK)
            OUT("  %s-%s  walk %d min: %s%s -> %s%s\n", a, b, (l->arr_s - l->dep_s + 59) / 60,
                l->from_name, pa, l->to_name, pb);
        else
            OUT("  %s-%s  line %s towards %s: %s%s -> %s%s (%u stops)\n", a, b, l->line,
                *l->headsign ? l->headsign : "?", l->from_name, pa, l->to_name, pb,
                l->n_stops);
    }
#undef OUT
    return len;
}
