/*
 * transit_ref.c: the reference for RAPTOR: a plain connection scan (CSA)
 * over every connection of the trips running on days D-2 .. D+1, with the
 * same model (raptor.h): change times, one footpath between trips,
 * guaranteed trip-to-trip transfers, pickup/drop-off rules, the duration
 * and walking limits. It is deliberately simple: tests compare RAPTOR's
 * earliest arrival at every stop with it, and the benchmark measures
 * RAPTOR against it.
 *
 * Connections are sorted by (departure, arrival). Connections that depart
 * at the same second are scanned again until nothing changes, so that a
 * zero-duration connection followed by a zero-time transfer is never missed
 * because of the order of a tie.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "raptor.h"

#define CSA_DAYS 4u
#define CSA_EPOCH (2u * ROUTE_TRANSIT_DAY_S)
#define CSA_NONE UINT32_MAX

typedef struct csa_conn {
    uint32_t dep, arr;       /* internal times, seconds after midnight of D-2 */
    uint32_t from, to;       /* stops */
    uint32_t inst;           /* compiled trip * 4 + day */
    uint16_t pos;            /* departure position in the route */
    uint8_t board, alight;   /* boarding at from / alighting at to allowed */
} csa_conn;

struct route_csa {
    const route_transit *tt;
    int32_t day;
    csa_conn *conn;
    size_t n_conn;
    uint32_t *rdy, *veh, *arr;   /* per stop */
    uint16_t *bpos;              /* per trip instance: first position boarded (normally
                                    or by a guaranteed transfer), UINT16_MAX none */
    uint8_t *act;                /* per trip: days it runs (bit d = D-2+d) */
    uint32_t *tx_first, *tx_idx; /* trip-to-trip transfers by from trip */
    uint32_t t0, limit, max_walk_s;
};

static int csa_conn_cmp(const void *pa, const void *pb)
{
    const csa_conn *a = pa, *b = pb;
    if (a->dep != b->dep) return a->dep < b->dep ? -1 : 1;
    if (a->arr != b->arr) return a->arr < b->arr ? -1 : 1;
    if (a->inst != b->inst) return a->inst < b->inst ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

void route_csa_free(route_csa *c)
{
    if (!c) return;
    mem_free(c->conn);
    mem_free(c->rdy);
    mem_free(c->veh);
    mem_free(c->arr);
    mem_free(c->bpos);
    mem_free(c->act);
    mem_free(c->tx_first);
    mem_free(c->tx_idx);
    mem_free(c);
}

int route_csa_init(route_csa **out, const route_transit *tt, int32_t day, fk_err *e)
{
    *out = NULL;
    route_csa *c = mem_calloc(1, sizeof *c);
    if (!c) return err_set(e, FK_ENOMEM, "csa: out of memory");
    c->tt = tt;
    c->day = day;
    size_t ns = tt->h.n_stops + 1, nt = tt->h.n_trips + 1;
    c->rdy = mem_alloc(ns * sizeof *c->rdy);
    c->veh = mem_alloc(ns * sizeof *c->veh);
    c->arr = mem_alloc(ns * sizeof *c->arr);
    c->bpos = mem_calloc(nt, CSA_DAYS * sizeof *c->bpos);
    c->act = mem_calloc(nt, 1);
    c->tx_first = mem_calloc(nt + 1, sizeof *c->tx_first);
    c->tx_idx = mem_calloc((size_t)tt->h.n_trip_tx + 1, sizeof *c->tx_idx);
    if (!c->rdy || !c->veh || !c->arr || !c->bpos || !c->act || !c->tx_first ||
        !c->tx_idx)
        goto nomem;
    size_t n = 0;
    for (uint32_t t = 0; t < tt->h.n_trips; t++) {
        for (uint32_t d = 0; d < CSA_DAYS; d++)
            if (route_transit_service_active(tt, tt->trips[t].service, day - 2 + (int32_t)d))
                c->act[t] |= (uint8_t)(1u << d);
        uint32_t k = 0;
        for (uint32_t d = 0; d < CSA_DAYS; d++) k += (c->act[t] >> d) & 1u;
        n += (size_t)k * (tt->routes[tt->trips[t].route].n_stops - 1);
    }
    c->conn = mem_calloc(n ? n : 1, sizeof *c->conn);
    if (!c->conn) goto nomem;
    for (uint32_t r = 0; r < tt->h.n_routes; r++) {
        const route_tt_route *R = &tt->routes[r];
        const uint32_t *st = tt->route_stops + R->first_stop;
        const uint8_t *fl = tt->route_flags + R->first_stop;
        for (uint32_t k = 0; k < R->n_trips; k++) {
            uint32_t t = R->first_trip + k;
            for (uint32_t d = 0; d < CSA_DAYS; d++) {
                if (!(c->act[t] & (1u << d))) continue;
                uint32_t shift = d * ROUTE_TRANSIT_DAY_S + (uint32_t)R->base_s;
                for (uint32_t p = 0; p + 1 < R->n_stops; p++) {
                    csa_conn *x = &c->conn[c->n_conn++];
                    x->dep = shift + tt->times[R->first_time + (size_t)p * R->n_trips + k];
                    x->arr = shift + tt->times[R->first_time +
                                               (size_t)(R->n_stops + p + 1) * R->n_trips + k];
                    x->from = st[p];
                    x->to = st[p + 1];
                    x->inst = t * CSA_DAYS + d;
                    x->pos = (uint16_t)p;
                    x->board = !(fl[p] & ROUTE_TT_NO_BOARD);
                    x->alight = !(fl[p + 1] & ROUTE_TT_NO_ALIGHT);
                }
            }
        }
    }
    qsort(c->conn, c->n_conn, sizeof *c->conn, csa_conn_cmp);
    /* trip-to-trip transfers by from trip, in position order */
    for (uint32_t i = 0; i < tt->h.n_trip_tx; i++) c->tx_first[tt->trip_tx[i].from_trip + 1]++;
    for (uint32_t t = 0; t < tt->h.n_trips; t++) c->tx_first[t + 1] += c->tx_first[t];
    {
        uint32_t *fill = mem_alloc(nt * sizeof *fill);
        if (!fill) goto nomem;
        memcpy(fill, c->tx_first, nt * sizeof *fill);
        for (uint32_t i = 0; i < tt->h.n_trip_tx; i++)
            c->tx_idx[fill[tt->trip_tx[i].from_trip]++] = i;
        mem_free(fill);
    }
    *out = c;
    return 0;
nomem:
    route_csa_free(c);
    return err_set(e, FK_ENOMEM, "csa: out of memory");
}

size_t route_csa_connections(const route_csa *c)
{
    return c->n_conn;
}

static int csa_relax_rdy(route_csa *c, uint32_t st, uint32_t t)
{
    if (t <= c->limit && t < c->rdy[st]) {
        c->rdy[st] = t;
        return 1;
    }
    return 0;
}

/* Scans one connection; returns whether any label changed. */
static int csa_scan(route_csa *c, const csa_conn *x)
{
    const route_transit *tt = c->tt;
    int changed = 0;
    /* usable from the first position the trip was boarded at (a trip flag
     * would let a later boarding ride the same-second hops before it) */
    if (c->bpos[x->inst] > x->pos) {
        if (!(x->board && c->rdy[x->from] <= x->dep)) return 0;
        c->bpos[x->inst] = x->pos;
        changed = 1;
    }
    if (!x->alight) return changed;
    uint32_t a = x->arr, trip = x->inst / CSA_DAYS, d = x->inst % CSA_DAYS;
    uint32_t apos = (uint32_t)x->pos + 1;
    for (uint32_t k = c->tx_first[trip]; k < c->tx_first[trip + 1]; k++) {
        const route_tt_trip_tx *tx = &tt->trip_tx[c->tx_idx[k]];
        if (tx->from_pos != apos || !(c->act[tx->to_trip] & (1u << d))) continue;
        const route_tt_route *R = &tt->routes[tx->to_route];
        uint32_t dep = d * ROUTE_TRANSIT_DAY_S + (uint32_t)R->base_s +
                       tt->times[R->first_time + (size_t)tx->to_pos * R->n_trips +
                                 (tx->to_trip - R->first_trip)];
        if (dep < a + tx->min_s || dep > c->limit) continue;
        uint16_t *g = &c->bpos[tx->to_trip * CSA_DAYS + d];
        if (*g > tx->to_pos) {
            *g = tx->to_pos;
            changed = 1;
        }
    }
    if (a > c->limit || a >= c->veh[x->to]) return changed;
    uint32_t st = x->to;
    c->veh[st] = a;
    if (a < c->arr[st]) c->arr[st] = a;
    if (tt->change_s[st] != ROUTE_TT_NO_CHANGE) csa_relax_rdy(c, st, a + tt->change_s[st]);
    for (uint32_t k = tt->fp_first[st]; k < tt->fp_first[st + 1]; k++) {
        const route_tt_footpath *fp = &tt->footpaths[k];
        if (fp->walk_s > c->max_walk_s) continue;
        csa_relax_rdy(c, fp->to, a + fp->xfer_s);
        uint32_t w = a + fp->walk_s;
        if (w <= c->limit && w < c->arr[fp->to]) c->arr[fp->to] = w;
    }
    return 1;
}

int route_csa_query(route_csa *c, int32_t time_s, const route_raptor_origin *o, size_t n_o,
                    const route_raptor_opts *opts, fk_err *e)
{
    const route_transit *tt = c->tt;
    if (time_s < 0 || time_s >= (int32_t)(2 * ROUTE_TRANSIT_DAY_S))
        return err_set(e, FK_EINVAL, "csa: departure time %d s is outside 0..172799", time_s);
    uint32_t dur = opts && opts->max_duration_s ? opts->max_duration_s
                                                : ROUTE_RAPTOR_MAX_DURATION_S;
    if (dur > 65534) return err_set(e, FK_EINVAL, "csa: max_duration_s %u is above 65534", dur);
    for (size_t i = 0; i < n_o; i++)
        if (o[i].stop >= tt->h.n_stops || o[i].walk_s > ROUTE_TRANSIT_DAY_S)
            return err_set(e, FK_EINVAL, "csa: origin %zu out of range", i);
    c->max_walk_s = opts && opts->max_walk_s ? opts->max_walk_s : UINT32_MAX;
    c->t0 = CSA_EPOCH + (uint32_t)time_s;
    c->limit = c->t0 + dur;
    size_t ns = tt->h.n_stops, nt = tt->h.n_trips;
    memset(c->rdy, 0xff, ns * sizeof *c->rdy);
    memset(c->veh, 0xff, ns * sizeof *c->veh);
    memset(c->arr, 0xff, ns * sizeof *c->arr);
    memset(c->bpos, 0xff, nt * CSA_DAYS * sizeof *c->bpos);
    for (size_t i = 0; i < n_o; i++) {
        uint32_t t = c->t0 + o[i].walk_s;
        csa_relax_rdy(c, o[i].stop, t);
        if (t <= c->limit && t < c->arr[o[i].stop]) c->arr[o[i].stop] = t;
    }
    size_t lo = 0, hi = c->n_conn;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->conn[mid].dep < c->t0) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = lo; i < c->n_conn && c->conn[i].dep <= c->limit;) {
        size_t j = i;
        while (j < c->n_conn && c->conn[j].dep == c->conn[i].dep) j++;
        int changed;
        do {
            changed = 0;
            for (size_t k = i; k < j; k++) changed |= csa_scan(c, &c->conn[k]);
        } while (changed && j - i > 1);
        i = j;
    }
    return 0;
}

int32_t route_csa_arrival_s(const route_csa *c, uint32_t stop)
{
    if (stop >= c->tt->h.n_stops || c->arr[stop] > c->limit) return ROUTE_RAPTOR_UNREACHED;
    return (int32_t)(c->arr[stop] - CSA_EPOCH);
}
