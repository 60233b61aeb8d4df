/*
 * ch.c: contraction hierarchies and PHAST (see ch.h, docs/routing-ch.md).
 *
 * Build. The forward graph of a mode is loaded into a dynamic graph (per
 * node an out-list and an in-list of edges to not-yet-contracted nodes,
 * kept in one pool; a list that fills up moves to the pool's end with
 * twice the room). Nodes are contracted in order of a priority kept in an
 * indexed min-heap:
 *     1000 * added / removed  +  1000 * hops added / hops removed
 *     +  W_CN * contracted neighbours  +  W_LEVEL * level
 * (edge quotient, hop quotient, contracted neighbours, depth). Before a
 * node is contracted its priority is recomputed (lazy update) and it is
 * put back when it is no longer the smallest; after it, the priorities of
 * its neighbours are recomputed. Contracting v means: for every in-edge
 * u->v, one bounded Dijkstra from u that avoids v (witness search, with
 * settle and hop limits) to v's out-neighbours w; where the search finds
 * nothing at least as fast as u->v->w, a shortcut u->w with middle node v
 * is added (or a slower edge u->w is replaced). A witness search that
 * stops early only adds a shortcut too many, never a wrong one.
 *
 * The edges v still has when it is contracted are its CH edges: out-edges
 * go "up" (to nodes contracted later), in-edges come "down" from them.
 * Each node gets a level (1 + the highest level of the neighbours
 * contracted before it); positions sort nodes by level, highest first,
 * ties by original id (which keeps some spatial locality), so that every
 * CH edge leads to a lower position and PHAST sweeps positions upwards.
 *
 * Queries. Upward searches are Dijkstra with a lazy-deletion heap over
 * the up edges (forward) or the down edges read backwards (backward), with
 * stall-on-demand: a node reached more cheaply through an edge from a
 * more important node is not expanded. Point-to-point runs both and keeps
 * the best meeting; PHAST runs one and then sweeps all positions in order,
 * taking at each node the minimum over its edges from more important
 * nodes, whose times are already final. The matrix uses buckets.
 */
#include "ch.h"

#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/vec.h"

/* ---- tuning of the build ---- */
enum {
    CH_SETTLE_LIMIT = 500,   /* nodes settled per witness search */
    CH_HOP_LIMIT = 16,       /* edges on a witness path */
    CH_W_CN = 200,           /* weight of contracted neighbours */
    CH_W_LEVEL = 1000        /* weight of the level */
};

#define CH_STALLED (UINT32_MAX - 1u)  /* pred mark of a stalled node (matrix) */

uint32_t route_ch_section_id(route_mode m, int part)
{
    return ROUTE_SEC_CH_BASE + (uint32_t)m * 10u + (uint32_t)part;
}

static const char *ch_stage(route_mode m)
{
    switch (m) {
    case MODE_WALK: return "ch walk";
    case MODE_BIKE: return "ch bike";
    default: return "ch car";
    }
}

/* ======================================================================
 * Build
 * ==================================================================== */

typedef struct ch_cedge {
    uint32_t other;   /* the node at the other end */
    uint32_t time;    /* deciseconds */
    uint32_t mid;     /* middle node (original id) or ROUTE_CH_ORIGINAL */
    uint32_t hops;    /* original edges represented */
} ch_cedge;

typedef struct ch_list {
    uint32_t start, len, cap;   /* into the pool */
} ch_list;

typedef struct ch_fedge {       /* a final CH edge, original ids */
    uint32_t tail, head, time, mid;
} ch_fedge;

typedef struct ch_short {       /* a shortcut to add */
    uint32_t u, w, time, hops;
} ch_short;

typedef struct ch_build {
    uint32_t n;
    ch_cedge *pool;
    size_t pool_n, pool_cap;
    ch_list *out, *in;
    uint8_t *done, *mark;
    uint32_t *cn, *level;
    /* witness search */
    uint32_t *wdist;
    uint8_t *whops;
    uint32_t *wtouched;
    size_t wn;
    route_ch_heap_item *wheap;
    size_t wheap_n, wheap_cap;
    /* priority queue: indexed binary min-heap */
    uint32_t *pq, *pq_pos;
    size_t pq_n;
    int64_t *prio;
    VEC(ch_short) sc;
    VEC(uint32_t) nbr;
    VEC(ch_fedge) up, down;
    uint32_t n_levels;
} ch_build;

static void ch_build_free(ch_build *cb)
{
    mem_free(cb->pool);
    mem_free(cb->out);
    mem_free(cb->in);
    mem_free(cb->done);
    mem_free(cb->mark);
    mem_free(cb->cn);
    mem_free(cb->level);
    mem_free(cb->wdist);
    mem_free(cb->whops);
    mem_free(cb->wtouched);
    mem_free(cb->wheap);
    mem_free(cb->pq);
    mem_free(cb->pq_pos);
    mem_free(cb->prio);
    vec_free(cb->sc);
    vec_free(cb->nbr);
    vec_free(cb->up);
    vec_free(cb->down);
    memset(cb, 0, sizeof *cb);
}

static int ch_build_init(ch_build *cb, uint32_t n, size_t n_edges)
{
    memset(cb, 0, sizeof *cb);
    cb->n = n;
    size_t nn = n ? n : 1;
    cb->out = mem_calloc(nn, sizeof *cb->out);
    cb->in = mem_calloc(nn, sizeof *cb->in);
    cb->done = mem_calloc(nn, 1);
    cb->mark = mem_calloc(nn, 1);
    cb->cn = mem_calloc(nn, sizeof *cb->cn);
    cb->level = mem_calloc(nn, sizeof *cb->level);
    cb->wdist = mem_alloc(nn * sizeof *cb->wdist);
    cb->whops = mem_alloc(nn);
    cb->wtouched = mem_alloc(nn * sizeof *cb->wtouched);
    cb->wheap_cap = 1024;
    cb->wheap = mem_alloc(cb->wheap_cap * sizeof *cb->wheap);
    cb->pq = mem_alloc(nn * sizeof *cb->pq);
    cb->pq_pos = mem_alloc(nn * sizeof *cb->pq_pos);
    cb->prio = mem_alloc(nn * sizeof *cb->prio);
    /* room for every edge twice (out and in lists) with some slack; the
     * pool is compacted when it fills (ch_pool_renew) */
    size_t cap;
    if (mem_mul_ok(n_edges + nn, 2, &cap)) return FK_ENOMEM;
    if (vec_reserve(cb->up, n_edges + n_edges / 8 + 16) ||
        vec_reserve(cb->down, n_edges + n_edges / 8 + 16))
        return FK_ENOMEM;
    cb->pool_cap = cap;
    cb->pool = mem_alloc(cap * sizeof *cb->pool);
    if (!cb->out || !cb->in || !cb->done || !cb->mark || !cb->cn || !cb->level ||
        !cb->wdist || !cb->whops || !cb->wtouched || !cb->wheap || !cb->pq ||
        !cb->pq_pos || !cb->prio || !cb->pool)
        return FK_ENOMEM;
    for (size_t i = 0; i < nn; i++) cb->wdist[i] = ROUTE_CH_INF;
    return 0;
}

/* The pool is full: copies the live lists (and room for list l to grow
 * to ncap) into a new pool of 1.5 times the live size, dropping the space
 * of moved and contracted lists. Peak: old + new pool. */
static int ch_pool_renew(ch_build *cb, ch_list *l, uint32_t ncap)
{
    size_t live = ncap, bytes;
    for (uint32_t v = 0; v < cb->n; v++)
        if (!cb->done[v]) live += (size_t)cb->out[v].cap + cb->in[v].cap;
    size_t cap = live + live / 2 + 1024;
    if (cap > UINT32_MAX) cap = UINT32_MAX;
    if (cap < live || mem_mul_ok(cap, sizeof *cb->pool, &bytes)) return FK_ETOOBIG;
    ch_cedge *np = mem_alloc(bytes);
    if (!np) return FK_ENOMEM;
    size_t at = 0;
    for (uint32_t v = 0; v < cb->n; v++) {
        for (int d = 0; d < 2; d++) {
            ch_list *x = d ? &cb->in[v] : &cb->out[v];
            if (cb->done[v]) {
                *x = (ch_list){0, 0, 0};
                continue;
            }
            memcpy(np + at, cb->pool + x->start, x->len * sizeof *np);
            x->start = (uint32_t)at;
            at += x->cap;
        }
    }
    mem_free(cb->pool);
    cb->pool = np;
    cb->pool_n = at;
    cb->pool_cap = cap;
    return 0;
}

/* Appends e to list l, moving the list to the pool's end when full. */
static int ch_list_push(ch_build *cb, ch_list *l, ch_cedge e)
{
    if (l->len == l->cap) {
        uint32_t ncap = l->cap ? l->cap * 2 : 4;
        if (ncap < l->cap || cb->pool_n + ncap > UINT32_MAX) return FK_ETOOBIG;
        if (cb->pool_n + ncap > cb->pool_cap) {
            int rc = ch_pool_renew(cb, l, ncap);
            if (rc) return rc;
        }
        memcpy(cb->pool + cb->pool_n, cb->pool + l->start, l->len * sizeof *cb->pool);
        l->start = (uint32_t)cb->pool_n;
        l->cap = ncap;
        cb->pool_n += ncap;
    }
    cb->pool[l->start + l->len++] = e;
    return 0;
}

static ch_cedge *ch_list_find(ch_build *cb, const ch_list *l, uint32_t other)
{
    ch_cedge *p = cb->pool + l->start;
    for (uint32_t i = 0; i < l->len; i++)
        if (p[i].other == other) return &p[i];
    return NULL;
}

static void ch_list_remove(ch_build *cb, ch_list *l, uint32_t other)
{
    ch_cedge *p = cb->pool + l->start;
    for (uint32_t i = 0; i < l->len; i++)
        if (p[i].other == other) {
            p[i] = p[--l->len];
            return;
        }
}

/* Adds edge u->w or lowers the time of an existing one. */
static int ch_add_edge(ch_build *cb, uint32_t u, uint32_t w, uint32_t time,
                       uint32_t mid, uint32_t hops)
{
    ch_cedge *o = ch_list_find(cb, &cb->out[u], w);
    if (o) {
        if (time >= o->time) return 0;
        o->time = time;
        o->mid = mid;
        o->hops = hops;
        ch_cedge *i = ch_list_find(cb, &cb->in[w], u);
        if (i) {
            i->time = time;
            i->mid = mid;
            i->hops = hops;
        }
        return 0;
    }
    int rc = ch_list_push(cb, &cb->out[u], (ch_cedge){w, time, mid, hops});
    if (!rc) rc = ch_list_push(cb, &cb->in[w], (ch_cedge){u, time, mid, hops});
    return rc;
}

/* Pushes (key, node) on the binary heap *hp of *n entries, doubling its
 * capacity *cap when full (rare: heaps start with room and keep it).
 * 0 or FK_ENOMEM (the heap is unchanged). */
static int ch_heap_push(route_ch_heap_item **hp, size_t *n, size_t *cap, uint32_t key,
                        uint32_t node)
{
    if (*n == *cap) {
        size_t nc = *cap * 2, bytes;
        if (mem_mul_ok(nc, sizeof **hp, &bytes)) return FK_ENOMEM;
        route_ch_heap_item *g = mem_realloc(*hp, bytes);
        if (!g) return FK_ENOMEM;
        *hp = g;
        *cap = nc;
    }
    route_ch_heap_item *h = *hp;
    size_t i = (*n)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h[p].key <= key) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = (route_ch_heap_item){key, node};
    return 0;
}

static int ch_wheap_push(ch_build *cb, uint32_t key, uint32_t node)
{
    return ch_heap_push(&cb->wheap, &cb->wheap_n, &cb->wheap_cap, key, node);
}

static route_ch_heap_item ch_heap_pop(route_ch_heap_item *h, size_t *n_io)
{
    route_ch_heap_item top = h[0];
    size_t n = --*n_io;
    route_ch_heap_item last = h[n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && h[c + 1].key < h[c].key) c++;
        if (h[c].key >= last.key) break;
        h[i] = h[c];
        i = c;
    }
    if (n) h[i] = last;
    return top;
}

/* Bounded Dijkstra from src in the remaining graph, avoiding node avoid,
 * up to limit, until n_targets marked nodes (cb->mark) are settled or the
 * settle limit is hit. Leaves cb->wdist set (upper bounds of real paths
 * avoiding `avoid`, or INF). */
static int ch_witness(ch_build *cb, uint32_t src, uint32_t avoid, uint32_t limit,
                      size_t n_targets)
{
    for (size_t i = 0; i < cb->wn; i++) cb->wdist[cb->wtouched[i]] = ROUTE_CH_INF;
    cb->wn = 0;
    cb->wheap_n = 0;
    cb->wdist[src] = 0;
    cb->whops[src] = 0;
    cb->wtouched[cb->wn++] = src;
    int rc = ch_wheap_push(cb, 0, src);
    if (rc) return rc;
    unsigned settled = 0;
    while (cb->wheap_n) {
        route_ch_heap_item it = ch_heap_pop(cb->wheap, &cb->wheap_n);
        uint32_t x = it.node;
        if (it.key != cb->wdist[x]) continue;
        if (it.key > limit) break;
        if (cb->mark[x] && x != src && --n_targets == 0) break;
        if (++settled > CH_SETTLE_LIMIT) break;
        if (cb->whops[x] >= CH_HOP_LIMIT) continue;
        const ch_list *l = &cb->out[x];
        for (uint32_t k = 0; k < l->len; k++) {
            const ch_cedge *ed = &cb->pool[l->start + k];
            uint32_t y = ed->other;
            if (y == avoid) continue;
            uint64_t nd = (uint64_t)it.key + ed->time;
            if (nd > limit || nd >= cb->wdist[y]) continue;
            if (cb->wdist[y] == ROUTE_CH_INF) cb->wtouched[cb->wn++] = y;
            cb->wdist[y] = (uint32_t)nd;
            cb->whops[y] = (uint8_t)(cb->whops[x] + 1);
            rc = ch_wheap_push(cb, (uint32_t)nd, y);
            if (rc) return rc;
        }
    }
    return 0;
}

/* Fills cb->sc with the shortcuts that contracting v needs now. */
static int ch_shortcuts(ch_build *cb, uint32_t v)
{
    cb->sc.n = 0;
    const ch_list *in = &cb->in[v], *out = &cb->out[v];
    if (!in->len || !out->len) return 0;
    for (uint32_t k = 0; k < out->len; k++) cb->mark[cb->pool[out->start + k].other] = 1;
    int rc = 0;
    for (uint32_t i = 0; i < in->len && !rc; i++) {
        ch_cedge ein = cb->pool[in->start + i];
        uint64_t limit = 0;
        size_t n_t = 0;
        for (uint32_t k = 0; k < out->len; k++) {
            const ch_cedge *eo = &cb->pool[out->start + k];
            if (eo->other == ein.other) continue;
            uint64_t d = (uint64_t)ein.time + eo->time;
            if (d > limit) limit = d;
            n_t++;
        }
        if (!n_t) continue;
        if (limit >= ROUTE_CH_INF) {
            rc = FK_ETOOBIG;
            break;
        }
        rc = ch_witness(cb, ein.other, v, (uint32_t)limit, n_t);
        for (uint32_t k = 0; k < out->len && !rc; k++) {
            ch_cedge eo = cb->pool[out->start + k];
            if (eo.other == ein.other) continue;
            uint32_t d = ein.time + eo.time;
            if (cb->wdist[eo.other] <= d) continue;
            uint64_t hops = (uint64_t)ein.hops + eo.hops;
            if (vec_push(cb->sc, (ch_short){ein.other, eo.other, d,
                                            hops > UINT32_MAX ? UINT32_MAX : (uint32_t)hops}))
                rc = FK_ENOMEM;
        }
    }
    for (uint32_t k = 0; k < out->len; k++) cb->mark[cb->pool[out->start + k].other] = 0;
    return rc;
}

/* Priority of v from the shortcuts in cb->sc (call ch_shortcuts first). */
static int64_t ch_priority_of(const ch_build *cb, uint32_t v)
{
    const ch_list *in = &cb->in[v], *out = &cb->out[v];
    uint64_t removed = (uint64_t)in->len + out->len, hops_removed = 0, hops_added = 0;
    for (uint32_t k = 0; k < in->len; k++) hops_removed += cb->pool[in->start + k].hops;
    for (uint32_t k = 0; k < out->len; k++) hops_removed += cb->pool[out->start + k].hops;
    for (size_t k = 0; k < cb->sc.n; k++) hops_added += cb->sc.v[k].hops;
    if (!removed) removed = 1;
    if (!hops_removed) hops_removed = 1;
    return (int64_t)(1000 * (uint64_t)cb->sc.n / removed) +
           (int64_t)(1000 * hops_added / hops_removed) + (int64_t)CH_W_CN * cb->cn[v] +
           (int64_t)CH_W_LEVEL * cb->level[v];
}

/* ---- indexed priority queue ---- */

static int ch_pq_less(const ch_build *cb, uint32_t a, uint32_t b)
{
    return cb->prio[a] < cb->prio[b] || (cb->prio[a] == cb->prio[b] && a < b);
}

static void ch_pq_up(ch_build *cb, size_t i)
{
    uint32_t v = cb->pq[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!ch_pq_less(cb, v, cb->pq[p])) break;
        cb->pq[i] = cb->pq[p];
        cb->pq_pos[cb->pq[i]] = (uint32_t)i;
        i = p;
    }
    cb->pq[i] = v;
    cb->pq_pos[v] = (uint32_t)i;
}

static void ch_pq_down(ch_build *cb, size_t i)
{
    uint32_t v = cb->pq[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= cb->pq_n) break;
        if (c + 1 < cb->pq_n && ch_pq_less(cb, cb->pq[c + 1], cb->pq[c])) c++;
        if (!ch_pq_less(cb, cb->pq[c], v)) break;
        cb->pq[i] = cb->pq[c];
        cb->pq_pos[cb->pq[i]] = (uint32_t)i;
        i = c;
    }
    cb->pq[i] = v;
    cb->pq_pos[v] = (uint32_t)i;
}

static void ch_pq_update(ch_build *cb, uint32_t v, int64_t p)
{
    int64_t old = cb->prio[v];
    cb->prio[v] = p;
    if (p < old) ch_pq_up(cb, cb->pq_pos[v]);
    else ch_pq_down(cb, cb->pq_pos[v]);
}

/* Contracts v, whose shortcuts are in cb->sc. */
static int ch_contract(ch_build *cb, uint32_t v)
{
    ch_list in = cb->in[v], out = cb->out[v];
    cb->nbr.n = 0;
    for (uint32_t k = 0; k < out.len; k++) {
        ch_cedge ed = cb->pool[out.start + k];
        if (vec_push(cb->up, (ch_fedge){v, ed.other, ed.time, ed.mid})) return FK_ENOMEM;
        ch_list_remove(cb, &cb->in[ed.other], v);
        if (!cb->mark[ed.other]) {
            cb->mark[ed.other] = 1;
            if (vec_push(cb->nbr, ed.other)) return FK_ENOMEM;
        }
    }
    for (uint32_t k = 0; k < in.len; k++) {
        ch_cedge ed = cb->pool[in.start + k];
        if (vec_push(cb->down, (ch_fedge){ed.other, v, ed.time, ed.mid})) return FK_ENOMEM;
        ch_list_remove(cb, &cb->out[ed.other], v);
        if (!cb->mark[ed.other]) {
            cb->mark[ed.other] = 1;
            if (vec_push(cb->nbr, ed.other)) return FK_ENOMEM;
        }
    }
    cb->done[v] = 1;
    cb->in[v].len = cb->out[v].len = 0;
    if (cb->level[v] + 1 > cb->n_levels) cb->n_levels = cb->level[v] + 1;
    /* neighbours: one more contracted neighbour, maybe a higher level.
     * Their priority gets only the contracted-neighbour term here; the
     * exact value (with new shortcuts and level) is recomputed when they
     * reach the top of the queue (lazy update). Simulating every
     * neighbour after each contraction costs 3x the build time here for
     * no better hierarchy (measured on grids, see docs/routing-ch.md). */
    for (size_t k = 0; k < cb->nbr.n; k++) {
        uint32_t x = cb->nbr.v[k];
        cb->mark[x] = 0;
        cb->cn[x]++;
        if (cb->level[x] < cb->level[v] + 1) cb->level[x] = cb->level[v] + 1;
        ch_pq_update(cb, x, cb->prio[x] + CH_W_CN);
    }
    for (size_t k = 0; k < cb->sc.n; k++) {
        ch_short s = cb->sc.v[k];
        int rc = ch_add_edge(cb, s.u, s.w, s.time, v, s.hops);
        if (rc) return rc;
    }
    return 0;
}

static int ch_contract_all(ch_build *cb, progress *pg)
{
    uint32_t n = cb->n;
    int rc;
    for (uint32_t v = 0; v < n; v++) {
        rc = ch_shortcuts(cb, v);
        if (rc) return rc;
        cb->prio[v] = ch_priority_of(cb, v);
        cb->pq[v] = v;
        cb->pq_pos[v] = v;
    }
    cb->pq_n = n;
    for (size_t i = n / 2; i-- > 0;) ch_pq_down(cb, i);
    while (cb->pq_n) {
        uint32_t v = cb->pq[0];
        /* lazy update: recompute; contract only if still the smallest */
        rc = ch_shortcuts(cb, v);
        if (rc) return rc;
        int64_t p = ch_priority_of(cb, v);
        if (p != cb->prio[v]) {
            ch_pq_update(cb, v, p);
            if (cb->pq[0] != v) continue;
        }
        /* pop v */
        cb->pq[0] = cb->pq[--cb->pq_n];
        cb->pq_pos[cb->pq[0]] = 0;
        if (cb->pq_n) ch_pq_down(cb, 0);
        rc = ch_contract(cb, v);
        if (rc) return rc;
        progress_step(pg, 1, 0);
    }
    return 0;
}

/* ---- output: renumbering by level and CSR by position ---- */

typedef struct ch_tmp {
    uint32_t node, time, mid;
} ch_tmp;

static int ch_tmp_cmp(const void *a, const void *b)
{
    const ch_tmp *x = a, *y = b;
    return x->node < y->node ? -1 : x->node > y->node;
}

/* Lays out edges (original ids) as CSR by position of `at` (tail for up,
 * head for down), the other end and the middle as positions. The arrays
 * are new allocations owned by the caller. */
static int ch_csr(const ch_fedge *ed, size_t m, int at_head, const uint32_t *pos, uint32_t n,
                  uint32_t **first_out, route_ch_edge **edges_out, uint32_t **mid_out)
{
    uint32_t *first = mem_calloc((size_t)n + 1, sizeof *first);
    uint32_t *fill = mem_alloc(((size_t)n + 1) * sizeof *fill);
    ch_tmp *tmp = mem_alloc((m ? m : 1) * sizeof *tmp);
    route_ch_edge *edges = mem_alloc((m ? m : 1) * sizeof *edges);
    uint32_t *mid = mem_alloc((m ? m : 1) * sizeof *mid);
    if (!first || !fill || !tmp || !edges || !mid) goto fail;
    for (size_t k = 0; k < m; k++) first[pos[at_head ? ed[k].head : ed[k].tail] + 1]++;
    for (uint32_t v = 0; v < n; v++) first[v + 1] += first[v];
    memcpy(fill, first, ((size_t)n + 1) * sizeof *fill);
    for (size_t k = 0; k < m; k++) {
        uint32_t at = pos[at_head ? ed[k].head : ed[k].tail];
        uint32_t other = pos[at_head ? ed[k].tail : ed[k].head];
        uint32_t md = ed[k].mid == ROUTE_CH_ORIGINAL ? ROUTE_CH_ORIGINAL : pos[ed[k].mid];
        tmp[fill[at]++] = (ch_tmp){other, ed[k].time, md};
    }
    for (uint32_t v = 0; v < n; v++) {
        uint32_t lo = first[v], hi = first[v + 1];
        if (hi - lo > 1) qsort(tmp + lo, hi - lo, sizeof *tmp, ch_tmp_cmp);
    }
    for (size_t k = 0; k < m; k++) {
        edges[k] = (route_ch_edge){tmp[k].node, tmp[k].time};
        mid[k] = tmp[k].mid;
    }
    mem_free(fill);
    mem_free(tmp);
    *first_out = first;
    *edges_out = edges;
    *mid_out = mid;
    return 0;
fail:
    mem_free(first);
    mem_free(fill);
    mem_free(tmp);
    mem_free(edges);
    mem_free(mid);
    return FK_ENOMEM;
}

static const region_extra_section *ch_find_extra(const region_builder *b, uint32_t id)
{
    for (size_t i = 0; i < b->extra.n; i++)
        if (b->extra.v[i].id == id) return &b->extra.v[i];
    return NULL;
}

int route_ch_build(region_builder *b, route_mode m, fk_err *e)
{
    const char *mn = route_mode_name(m);
    const region_extra_section *sf = ch_find_extra(b, route_graph_section_id(m, DIR_FORWARD, 0));
    const region_extra_section *se = ch_find_extra(b, route_graph_section_id(m, DIR_FORWARD, 1));
    if (!sf || !se)
        return err_set(e, FK_EINVAL, "ch %s: the builder has no %s graph (call "
                       "route_graph_build_all first)", mn, mn);
    for (int p = 0; p < 9; p++)
        if (ch_find_extra(b, route_ch_section_id(m, p)))
            return err_set(e, FK_EINVAL, "ch %s: already built", mn);
    size_t n = b->road_nodes.n;
    if (n >= UINT32_MAX - 1 || sf->elem_size != 4 || sf->count != n + 1 ||
        se->elem_size != sizeof(route_edge))
        return err_set(e, FK_EINVAL, "ch %s: the %s graph does not match the road nodes",
                       mn, mn);
    const uint32_t *gfirst = sf->data;
    const route_edge *gedges = se->data;
    if (gfirst[n] != se->count)
        return err_set(e, FK_EINVAL, "ch %s: graph offsets invalid", mn);

    size_t extra_before = b->extra.n;
    ch_build cb;
    uint32_t *pos = NULL, *order = NULL, *cnt = NULL;
    uint32_t *up_first = NULL, *up_mid = NULL, *down_first = NULL, *down_mid = NULL;
    route_ch_edge *up = NULL, *down = NULL;
    route_ch_meta *meta = NULL;
    for (size_t v = 0; v < n; v++)
        if (gfirst[v] > gfirst[v + 1])
            return err_set(e, FK_EINVAL, "ch %s: graph offsets decrease at node %zu", mn, v);
    for (size_t k = 0; k < se->count; k++)
        if (gedges[k].head >= n || !gedges[k].time_ds || gedges[k].time_ds == ROUTE_CH_INF)
            return err_set(e, FK_EINVAL, "ch %s: graph edge %zu invalid", mn, k);
    int rc = ch_build_init(&cb, (uint32_t)n, se->count);
    if (rc) goto fail;
    for (uint32_t v = 0; v < n && !rc; v++)
        for (uint32_t k = gfirst[v]; k < gfirst[v + 1] && !rc; k++)
            if (gedges[k].head != v) /* a loop never helps */
                rc = ch_add_edge(&cb, v, gedges[k].head, gedges[k].time_ds,
                                 ROUTE_CH_ORIGINAL, 1);
    if (rc) goto fail;
    progress_begin(b->progress, ch_stage(m), 0);
    rc = ch_contract_all(&cb, b->progress);
    progress_done(b->progress);
    if (rc) goto fail;
    if (cb.up.n >= UINT32_MAX || cb.down.n >= UINT32_MAX) {
        rc = FK_ETOOBIG;
        goto fail;
    }

    /* positions: level descending, then original id */
    size_t nn = n ? n : 1;
    pos = mem_alloc(nn * sizeof *pos);
    order = mem_alloc(nn * sizeof *order);
    cnt = mem_calloc((size_t)cb.n_levels + 1, sizeof *cnt);
    if (!pos || !order || !cnt) goto nomem;
    for (uint32_t v = 0; v < n; v++) cnt[cb.n_levels - 1 - cb.level[v] + 1]++;
    for (uint32_t l = 0; l < cb.n_levels; l++) cnt[l + 1] += cnt[l];
    for (uint32_t v = 0; v < n; v++) {
        uint32_t p = cnt[cb.n_levels - 1 - cb.level[v]]++;
        pos[v] = p;
        order[p] = v;
    }
    mem_free(cnt);
    cnt = NULL;
    size_t n_short = 0;
    for (size_t k = 0; k < cb.up.n; k++) n_short += cb.up.v[k].mid != ROUTE_CH_ORIGINAL;
    for (size_t k = 0; k < cb.down.n; k++) n_short += cb.down.v[k].mid != ROUTE_CH_ORIGINAL;
    rc = ch_csr(cb.up.v, cb.up.n, 0, pos, (uint32_t)n, &up_first, &up, &up_mid);
    if (!rc) rc = ch_csr(cb.down.v, cb.down.n, 1, pos, (uint32_t)n, &down_first, &down, &down_mid);
    if (rc) goto fail;
    meta = mem_calloc(1, sizeof *meta);
    if (!meta) goto nomem;
    *meta = (route_ch_meta){ROUTE_CH_VERSION, (uint32_t)m, (uint32_t)n, (uint32_t)cb.up.n,
                            (uint32_t)cb.down.n, (uint32_t)n_short, (uint32_t)se->count,
                            cb.n_levels};
    size_t n_up = cb.up.n, n_down = cb.down.n;
    ch_build_free(&cb);
    /* the builder owns each array from here, also on failure */
    struct { void *data; uint32_t elem; size_t count; } parts[9] = {
        {meta, sizeof *meta, 1}, {pos, 4, n}, {order, 4, n},
        {up_first, 4, n + 1}, {up, sizeof *up, n_up}, {up_mid, 4, n_up},
        {down_first, 4, n + 1}, {down, sizeof *down, n_down}, {down_mid, 4, n_down}};
    meta = NULL;
    pos = order = up_first = up_mid = down_first = down_mid = NULL;
    up = down = NULL;
    for (int p = 0; p < 9; p++) {
        if (rc) {
            mem_free(parts[p].data);
            continue;
        }
        rc = region_builder_add_section(b, route_ch_section_id(m, p), parts[p].elem,
                                        parts[p].data, parts[p].count, e);
    }
    if (rc) goto fail_msg;
    return 0;
nomem:
    rc = FK_ENOMEM;
fail:
    if (rc == FK_ETOOBIG)
        err_set(e, rc, "ch %s: a path time or edge count exceeds 32 bits", mn);
    else
        err_set(e, rc, "ch %s: out of memory", mn);
fail_msg:
    ch_build_free(&cb);
    mem_free(pos);
    mem_free(order);
    mem_free(cnt);
    mem_free(up_first);
    mem_free(up);
    mem_free(up_mid);
    mem_free(down_first);
    mem_free(down);
    mem_free(down_mid);
    mem_free(meta);
    /* roll back the sections this call added */
    while (b->extra.n > extra_before) {
        b->extra.n--;
        mem_free(b->extra.v[b->extra.n].data);
    }
    return rc;
}

int route_ch_build_all(region_builder *b, fk_err *e)
{
    for (int m = 0; m < MODE_COUNT; m++) {
        int rc = route_ch_build(b, (route_mode)m, e);
        if (rc) return rc;
    }
    return 0;
}

/* ======================================================================
 * Open
 * ==================================================================== */

int route_ch_open(const region *r, route_mode m, route_ch *ch, fk_err *e)
{
    const char *mn = route_mode_name(m);
    const region_section_entry *s[9];
    for (int p = 0; p < 9; p++) {
        s[p] = region_section(r, route_ch_section_id(m, p));
        if (!s[p])
            return err_set(e, FK_ENOTFOUND, "the snapshot has no %s contraction hierarchy: "
                           "rebuild it with this version of `flyttkarta build`", mn);
    }
    size_t n = r->n_road_nodes;
    if (s[0]->elem_size != sizeof(route_ch_meta) || s[0]->count != 1)
        return err_set(e, FK_ECORRUPT, "ch %s: meta section invalid", mn);
    const route_ch_meta *meta = region_section_data(r, s[0]);
    if (meta->version != ROUTE_CH_VERSION)
        return err_set(e, FK_ECORRUPT, "ch %s: version %u, expected %u", mn, meta->version,
                       ROUTE_CH_VERSION);
    if (meta->n_nodes != n || meta->mode != (uint32_t)m || n >= UINT32_MAX - 1)
        return err_set(e, FK_ECORRUPT, "ch %s: built for %u nodes, the snapshot has %zu",
                       mn, meta->n_nodes, n);
    for (int p = 1; p < 9; p++) {
        uint32_t es = (p == 4 || p == 7) ? sizeof(route_ch_edge) : 4;
        size_t want = p <= 2 ? n : (p == 3 || p == 6) ? n + 1
                    : (p == 4 || p == 5) ? meta->n_up : meta->n_down;
        if (s[p]->elem_size != es || s[p]->count != want)
            return err_set(e, FK_ECORRUPT, "ch %s: section %u has %llu records of %u bytes, "
                           "expected %zu of %u", mn, route_ch_section_id(m, p),
                           (unsigned long long)s[p]->count, s[p]->elem_size, want, es);
    }
    memset(ch, 0, sizeof *ch);
    ch->mode = m;
    ch->n_nodes = (uint32_t)n;
    ch->n_up = meta->n_up;
    ch->n_down = meta->n_down;
    ch->n_levels = meta->n_levels;
    ch->pos = region_section_data(r, s[1]);
    ch->order = region_section_data(r, s[2]);
    ch->up_first = region_section_data(r, s[3]);
    ch->up = region_section_data(r, s[4]);
    ch->up_mid = region_section_data(r, s[5]);
    ch->down_first = region_section_data(r, s[6]);
    ch->down = region_section_data(r, s[7]);
    ch->down_mid = region_section_data(r, s[8]);
    for (uint32_t v = 0; v < n; v++)
        if (ch->pos[v] >= n || ch->order[ch->pos[v]] != v)
            return err_set(e, FK_ECORRUPT, "ch %s: node order is not a permutation at %u",
                           mn, v);
    for (int d = 0; d < 2; d++) {
        const uint32_t *first = d ? ch->down_first : ch->up_first;
        const route_ch_edge *ed = d ? ch->down : ch->up;
        const uint32_t *mid = d ? ch->down_mid : ch->up_mid;
        uint32_t m_edges = d ? ch->n_down : ch->n_up;
        if (first[0] != 0 || first[n] != m_edges)
            return err_set(e, FK_ECORRUPT, "ch %s: %s offsets invalid", mn, d ? "down" : "up");
        for (uint32_t v = 0; v < n; v++) {
            if (first[v] > first[v + 1])
                return err_set(e, FK_ECORRUPT, "ch %s: %s offsets decrease at %u", mn,
                               d ? "down" : "up", v);
            for (uint32_t k = first[v]; k < first[v + 1]; k++)
                if (ed[k].node >= v || ed[k].time_ds == 0 || ed[k].time_ds == ROUTE_CH_INF ||
                    (mid[k] != ROUTE_CH_ORIGINAL && (mid[k] >= n || mid[k] <= v)))
                    return err_set(e, FK_ECORRUPT, "ch %s: %s edge %u invalid", mn,
                                   d ? "down" : "up", k);
        }
    }
    return 0;
}

/* ======================================================================
 * Queries
 * ==================================================================== */

static void ch_side_free(route_ch_side *sd)
{
    mem_free(sd->dist);
    mem_free(sd->pred);
    mem_free(sd->touched);
    mem_free(sd->heap);
    memset(sd, 0, sizeof *sd);
}

static int ch_side_init(route_ch_side *sd, size_t n)
{
    memset(sd, 0, sizeof *sd);
    sd->dist = mem_alloc(n * sizeof *sd->dist);
    sd->pred = mem_alloc(n * sizeof *sd->pred);
    sd->touched = mem_alloc(n * sizeof *sd->touched);
    sd->heap_cap = n < 4096 ? n + 16 : 4096;
    sd->heap = mem_alloc(sd->heap_cap * sizeof *sd->heap);
    if (!sd->dist || !sd->pred || !sd->touched || !sd->heap) return FK_ENOMEM;
    for (size_t i = 0; i < n; i++) sd->dist[i] = ROUTE_CH_INF;
    return 0;
}

void route_ch_scratch_free(route_ch_scratch *s)
{
    ch_side_free(&s->fwd);
    ch_side_free(&s->bwd);
    mem_free(s->phast);
    mem_free(s->path);
    mem_free(s->stack);
    mem_free(s->bucket_head);
    mem_free(s->buckets);
    memset(s, 0, sizeof *s);
}

int route_ch_scratch_init(route_ch_scratch *s, const route_ch *ch)
{
    memset(s, 0, sizeof *s);
    size_t n = ch->n_nodes ? ch->n_nodes : 1;
    s->n_nodes = ch->n_nodes;
    s->meet = ROUTE_CH_INF;
    int rc = ch_side_init(&s->fwd, n);
    if (!rc) rc = ch_side_init(&s->bwd, n);
    s->phast = mem_alloc(n * sizeof *s->phast);
    s->path = mem_alloc(n * sizeof *s->path);
    s->stack = mem_alloc((n + 1) * 2 * sizeof *s->stack);
    s->bucket_head = mem_alloc(n * sizeof *s->bucket_head);
    if (rc || !s->phast || !s->path || !s->stack || !s->bucket_head) {
        route_ch_scratch_free(s);
        return FK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) s->bucket_head[i] = ROUTE_CH_INF;
    return 0;
}

static void ch_side_reset(route_ch_side *sd)
{
    for (size_t i = 0; i < sd->n_touched; i++) sd->dist[sd->touched[i]] = ROUTE_CH_INF;
    sd->n_touched = 0;
    sd->heap_n = 0;
}

static int ch_side_push(route_ch_side *sd, uint32_t key, uint32_t node)
{
    return ch_heap_push(&sd->heap, &sd->heap_n, &sd->heap_cap, key, node);
}

/* Sets the start nodes of a side (original ids, times; limit drops). */
static int ch_side_start(const route_ch *ch, route_ch_side *sd, const uint32_t *nodes,
                         const uint32_t *times, size_t n, uint32_t limit)
{
    ch_side_reset(sd);
    for (size_t i = 0; i < n; i++) {
        if (nodes[i] >= ch->n_nodes) continue;
        uint32_t v = ch->pos[nodes[i]], t = times ? times[i] : 0;
        if (t > limit || t >= sd->dist[v]) continue;
        if (sd->dist[v] == ROUTE_CH_INF) sd->touched[sd->n_touched++] = v;
        sd->dist[v] = t;
        sd->pred[v] = ROUTE_CH_INF;
        int rc = ch_side_push(sd, t, v);
        if (rc) return rc;
    }
    return 0;
}

/* The search graph of a side: forward relaxes up edges and stalls over
 * down edges; backward the other way round. */
typedef struct ch_dir {
    const uint32_t *relax_first;
    const route_ch_edge *relax;
    const uint32_t *stall_first;
    const route_ch_edge *stall;
} ch_dir;

static ch_dir ch_dir_of(const route_ch *ch, int backward)
{
    return backward ? (ch_dir){ch->down_first, ch->down, ch->up_first, ch->up}
                    : (ch_dir){ch->up_first, ch->up, ch->down_first, ch->down};
}

/* Settles the next node of a side: returns its position or INF when the
 * heap is empty; *stalled tells whether it was stalled (then not
 * expanded). Relaxation stops above limit. */
static uint32_t ch_settle(route_ch_side *sd, const ch_dir *g, uint32_t limit, int *stalled,
                          int *rc)
{
    while (sd->heap_n) {
        route_ch_heap_item it = ch_heap_pop(sd->heap, &sd->heap_n);
        uint32_t v = it.node, d = it.key;
        if (d != sd->dist[v]) continue;
        *stalled = 0;
        for (uint32_t k = g->stall_first[v]; k < g->stall_first[v + 1]; k++) {
            uint32_t du = sd->dist[g->stall[k].node];
            if (du != ROUTE_CH_INF && (uint64_t)du + g->stall[k].time_ds < d) {
                *stalled = 1;
                return v;
            }
        }
        for (uint32_t k = g->relax_first[v]; k < g->relax_first[v + 1]; k++) {
            uint32_t w = g->relax[k].node;
            uint64_t nd = (uint64_t)d + g->relax[k].time_ds;
            if (nd > limit || nd >= sd->dist[w]) continue;
            if (sd->dist[w] == ROUTE_CH_INF) sd->touched[sd->n_touched++] = w;
            sd->dist[w] = (uint32_t)nd;
            sd->pred[w] = v;
            if ((*rc = ch_side_push(sd, (uint32_t)nd, w))) return ROUTE_CH_INF;
        }
        return v;
    }
    return ROUTE_CH_INF;
}

static uint32_t ch_heap_top(const route_ch_side *sd)
{
    return sd->heap_n ? sd->heap[0].key : ROUTE_CH_INF;
}

/* Index of the start node with position p reached at time t, for res. */
static uint32_t ch_start_index(const route_ch *ch, const uint32_t *nodes,
                               const uint32_t *times, size_t n, uint32_t p, uint32_t t)
{
    for (size_t i = 0; i < n; i++)
        if (nodes[i] < ch->n_nodes && ch->pos[nodes[i]] == p && (times ? times[i] : 0) == t)
            return (uint32_t)i;
    return ROUTE_CH_INF;
}

int route_ch_p2p(const route_ch *ch, route_ch_scratch *s,
                 const uint32_t *src, const uint32_t *src_time, size_t n_src,
                 const uint32_t *dst, const uint32_t *dst_time, size_t n_dst,
                 route_ch_result *res)
{
    res->time_ds = res->src_index = res->dst_index = ROUTE_CH_INF;
    s->meet = ROUTE_CH_INF;
    s->settled = 0;
    int rc = ch_side_start(ch, &s->fwd, src, src_time, n_src, ROUTE_CH_INF - 1);
    if (!rc) rc = ch_side_start(ch, &s->bwd, dst, dst_time, n_dst, ROUTE_CH_INF - 1);
    if (rc) return rc;
    ch_dir gf = ch_dir_of(ch, 0), gb = ch_dir_of(ch, 1);
    uint64_t best = ROUTE_CH_INF;
    uint32_t meet = ROUTE_CH_INF;
    for (;;) {
        uint32_t tf = ch_heap_top(&s->fwd), tb = ch_heap_top(&s->bwd);
        int back;
        if (tf < best && (tf <= tb || tb >= best)) back = 0;
        else if (tb < best) back = 1;
        else break;
        route_ch_side *me = back ? &s->bwd : &s->fwd, *other = back ? &s->fwd : &s->bwd;
        int stalled;
        uint32_t v = ch_settle(me, back ? &gb : &gf, ROUTE_CH_INF - 1, &stalled, &rc);
        if (rc) return rc;
        if (v == ROUTE_CH_INF) continue;
        s->settled++;
        if (other->dist[v] != ROUTE_CH_INF) {
            uint64_t c = (uint64_t)me->dist[v] + other->dist[v];
            if (c < best) {
                best = c;
                meet = v;
            }
        }
    }
    if (meet == ROUTE_CH_INF || best >= ROUTE_CH_INF) return 0;
    s->meet = meet;
    res->time_ds = (uint32_t)best;
    uint32_t v = meet;
    while (s->fwd.pred[v] != ROUTE_CH_INF) v = s->fwd.pred[v];
    res->src_index = ch_start_index(ch, src, src_time, n_src, v, s->fwd.dist[v]);
    v = meet;
    while (s->bwd.pred[v] != ROUTE_CH_INF) v = s->bwd.pred[v];
    res->dst_index = ch_start_index(ch, dst, dst_time, n_dst, v, s->bwd.dist[v]);
    return 0;
}

/* Middle of CH edge a->b (positions), or ROUTE_CH_INF when there is no
 * such edge. */
static uint32_t ch_edge_mid(const route_ch *ch, uint32_t a, uint32_t b, int *found)
{
    *found = 1;
    if (b < a) {
        for (uint32_t k = ch->up_first[a]; k < ch->up_first[a + 1]; k++)
            if (ch->up[k].node == b) return ch->up_mid[k];
    } else if (a < b) {
        for (uint32_t k = ch->down_first[b]; k < ch->down_first[b + 1]; k++)
            if (ch->down[k].node == a) return ch->down_mid[k];
    }
    *found = 0;
    return ROUTE_CH_INF;
}

/* Appends the original nodes of CH edge a->b: after a up to b included,
 * or, when reverse, from before b down to a included. */
static int ch_unpack_edge(const route_ch *ch, route_ch_scratch *s, uint32_t a, uint32_t b,
                          int reverse)
{
    size_t sp = 1, cap = (size_t)ch->n_nodes + 1;
    s->stack[0] = a;
    s->stack[1] = b;
    while (sp) {
        sp--;
        uint32_t x = s->stack[2 * sp], y = s->stack[2 * sp + 1];
        int found;
        uint32_t m = ch_edge_mid(ch, x, y, &found);
        if (!found) return FK_ECORRUPT;
        if (m == ROUTE_CH_ORIGINAL) {
            if (s->path_n >= ch->n_nodes) return FK_ECORRUPT;
            s->path[s->path_n++] = ch->order[reverse ? x : y];
            continue;
        }
        if (sp + 2 > cap) return FK_ECORRUPT;
        /* the half to emit first goes on top */
        uint32_t h1x = reverse ? m : x, h1y = reverse ? y : m;
        uint32_t h2x = reverse ? x : m, h2y = reverse ? m : y;
        s->stack[2 * sp] = h2x;
        s->stack[2 * sp + 1] = h2y;
        s->stack[2 * sp + 2] = h1x;
        s->stack[2 * sp + 3] = h1y;
        sp += 2;
    }
    return 0;
}

int route_ch_path(const route_ch *ch, route_ch_scratch *s, const uint32_t **nodes,
                  size_t *n_nodes)
{
    *nodes = s->path;
    *n_nodes = 0;
    s->path_n = 0;
    if (s->meet == ROUTE_CH_INF) return FK_ENOTFOUND;
    /* the forward chain, unpacked backwards from the meeting node to the
     * source, then reversed; then the backward chain in path order */
    uint32_t v = s->meet;
    s->path[s->path_n++] = ch->order[v];
    while (s->fwd.pred[v] != ROUTE_CH_INF) {
        uint32_t u = s->fwd.pred[v];
        int rc = ch_unpack_edge(ch, s, u, v, 1);
        if (rc) return rc;
        v = u;
    }
    for (size_t i = 0, j = s->path_n - 1; i < j; i++, j--) {
        uint32_t t = s->path[i];
        s->path[i] = s->path[j];
        s->path[j] = t;
    }
    v = s->meet;
    while (s->bwd.pred[v] != ROUTE_CH_INF) {
        uint32_t u = s->bwd.pred[v];
        int rc = ch_unpack_edge(ch, s, v, u, 0);
        if (rc) return rc;
        v = u;
    }
    *n_nodes = s->path_n;
    return 0;
}

const uint32_t *route_ch_phast(const route_ch *ch, route_ch_scratch *s, route_dir dir,
                               const uint32_t *src, const uint32_t *src_time,
                               size_t n_src, uint32_t limit_ds)
{
    int back = dir == DIR_BACKWARD;
    route_ch_side *sd = back ? &s->bwd : &s->fwd;
    s->meet = ROUTE_CH_INF;
    uint32_t limit = limit_ds >= ROUTE_CH_INF ? ROUTE_CH_INF - 1 : limit_ds;
    if (ch_side_start(ch, sd, src, src_time, n_src, limit)) return NULL;
    ch_dir g = ch_dir_of(ch, back);
    int rc = 0, stalled = 0;
    while (ch_settle(sd, &g, limit, &stalled, &rc) != ROUTE_CH_INF) {}
    if (rc) return NULL;
    /* the sweep: positions in order, each from its edges to more
     * important nodes, whose times are final */
    uint32_t *out = s->phast;
    const uint32_t *first = back ? ch->up_first : ch->down_first;
    const route_ch_edge *ed = back ? ch->up : ch->down;
    const uint32_t *up_dist = sd->dist;
    uint32_t n = ch->n_nodes;
    for (uint32_t v = 0; v < n; v++) {
        uint64_t d = up_dist[v];
        for (uint32_t k = first[v], ke = first[v + 1]; k < ke; k++) {
            uint64_t nd = (uint64_t)out[ed[k].node] + ed[k].time_ds;
            if (nd < d) d = nd;
        }
        out[v] = d > limit ? ROUTE_CH_INF : (uint32_t)d;
    }
    return out;
}

void route_ch_to_original(const route_ch *ch, const uint32_t *by_pos, uint32_t *out)
{
    for (uint32_t p = 0; p < ch->n_nodes; p++) out[ch->order[p]] = by_pos[p];
}

int route_ch_matrix(const route_ch *ch, route_ch_scratch *s, const uint32_t *src,
                    size_t n_src, const uint32_t *dst, size_t n_dst, uint32_t *out)
{
    s->meet = ROUTE_CH_INF;
    size_t cells;
    if (mem_mul_ok(n_src, n_dst, &cells)) return FK_ETOOBIG;
    for (size_t i = 0; i < cells; i++) out[i] = ROUTE_CH_INF;
    s->n_buckets = 0;
    int rc = 0, stalled = 0;
    ch_dir gb = ch_dir_of(ch, 1), gf = ch_dir_of(ch, 0);
    /* backward searches leave buckets at the nodes they settle */
    for (size_t j = 0; j < n_dst && !rc; j++) {
        rc = ch_side_start(ch, &s->bwd, &dst[j], NULL, 1, ROUTE_CH_INF - 1);
        uint32_t v;
        while (!rc && (v = ch_settle(&s->bwd, &gb, ROUTE_CH_INF - 1, &stalled, &rc)) !=
                          ROUTE_CH_INF) {
            if (stalled || rc) continue;
            if (s->n_buckets == s->bucket_cap) {
                size_t nc = s->bucket_cap ? s->bucket_cap * 2 : 4096, bytes;
                if (nc >= UINT32_MAX) {
                    rc = FK_ETOOBIG;
                    break;
                }
                if (mem_mul_ok(nc, sizeof *s->buckets, &bytes)) {
                    rc = FK_ENOMEM;
                    break;
                }
                route_ch_bucket *nb = mem_realloc(s->buckets, bytes);
                if (!nb) {
                    rc = FK_ENOMEM;
                    break;
                }
                s->buckets = nb;
                s->bucket_cap = nc;
            }
            s->buckets[s->n_buckets] =
                (route_ch_bucket){s->bucket_head[v], v, (uint32_t)j, s->bwd.dist[v]};
            s->bucket_head[v] = (uint32_t)s->n_buckets++;
        }
    }
    /* forward searches scan the buckets of the nodes they settle */
    for (size_t i = 0; i < n_src && !rc; i++) {
        rc = ch_side_start(ch, &s->fwd, &src[i], NULL, 1, ROUTE_CH_INF - 1);
        uint32_t v, *row = out + i * n_dst;
        while (!rc && (v = ch_settle(&s->fwd, &gf, ROUTE_CH_INF - 1, &stalled, &rc)) !=
                          ROUTE_CH_INF) {
            if (stalled || rc) continue;
            uint64_t dv = s->fwd.dist[v];
            for (uint32_t b = s->bucket_head[v]; b != ROUTE_CH_INF; b = s->buckets[b].next) {
                uint64_t c = dv + s->buckets[b].time_ds;
                if (c < row[s->buckets[b].target]) row[s->buckets[b].target] = (uint32_t)c;
            }
        }
    }
    for (size_t k = 0; k < s->n_buckets; k++) s->bucket_head[s->buckets[k].node] = ROUTE_CH_INF;
    s->n_buckets = 0;
    return rc;
}
