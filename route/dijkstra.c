/*
 * dijkstra.c: textbook Dijkstra with an indexed binary heap (decrease-key)
 * (see dijkstra.h). Kept simple on purpose: it is the reference.
 */
#include "dijkstra.h"

#include <string.h>

#include "../base/err.h"
#include "../base/mem.h"

int route_search_init(route_search *s, uint32_t n_nodes)
{
    memset(s, 0, sizeof *s);
    s->n_nodes = n_nodes;
    size_t n = n_nodes ? n_nodes : 1;
    s->dist = mem_alloc(n * sizeof *s->dist);
    s->pred_edge = mem_alloc(n * sizeof *s->pred_edge);
    s->touched = mem_alloc(n * sizeof *s->touched);
    s->heap = mem_alloc(n * sizeof *s->heap);
    s->heap_pos = mem_alloc(n * sizeof *s->heap_pos);
    if (!s->dist || !s->pred_edge || !s->touched || !s->heap || !s->heap_pos) {
        route_search_free(s);
        return FK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        s->dist[i] = ROUTE_INF;
        s->heap_pos[i] = ROUTE_INF;
    }
    return 0;
}

void route_search_free(route_search *s)
{
    mem_free(s->dist);
    mem_free(s->pred_edge);
    mem_free(s->touched);
    mem_free(s->heap);
    mem_free(s->heap_pos);
    memset(s, 0, sizeof *s);
}

static void heap_up(route_search *s, size_t i)
{
    uint32_t v = s->heap[i], key = s->dist[v];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        uint32_t pv = s->heap[p];
        if (s->dist[pv] <= key) break;
        s->heap[i] = pv;
        s->heap_pos[pv] = (uint32_t)i;
        i = p;
    }
    s->heap[i] = v;
    s->heap_pos[v] = (uint32_t)i;
}

/* Inserts v, or moves it up after its dist decreased. */
static void heap_push_or_decrease(route_search *s, uint32_t v)
{
    size_t i = s->heap_pos[v];
    if (i == ROUTE_INF) {
        i = s->heap_n++;
        s->heap[i] = v;
    }
    heap_up(s, i);
}

static uint32_t heap_pop(route_search *s)
{
    uint32_t top = s->heap[0];
    s->heap_pos[top] = ROUTE_INF;
    uint32_t last = s->heap[--s->heap_n];
    size_t n = s->heap_n;
    if (n == 0) return top;
    uint32_t key = s->dist[last];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && s->dist[s->heap[c + 1]] < s->dist[s->heap[c]]) c++;
        if (s->dist[s->heap[c]] >= key) break;
        s->heap[i] = s->heap[c];
        s->heap_pos[s->heap[i]] = (uint32_t)i;
        i = c;
    }
    s->heap[i] = last;
    s->heap_pos[last] = (uint32_t)i;
    return top;
}

static void search_set(route_search *s, uint32_t v, uint32_t d, uint32_t pred)
{
    if (s->dist[v] == ROUTE_INF) s->touched[s->n_touched++] = v;
    s->dist[v] = d;
    s->pred_edge[v] = pred;
}

void route_dijkstra(const route_graph *g, const uint32_t *src, const uint32_t *src_time,
                    size_t n_src, uint32_t limit_ds, uint32_t target, route_search *s)
{
    for (size_t i = 0; i < s->n_touched; i++) s->dist[s->touched[i]] = ROUTE_INF;
    for (size_t i = 0; i < s->heap_n; i++) s->heap_pos[s->heap[i]] = ROUTE_INF;
    s->n_touched = 0;
    s->heap_n = 0;
    s->settled = 0;
    for (size_t i = 0; i < n_src; i++) {
        uint32_t v = src[i], t = src_time ? src_time[i] : 0;
        if (v >= g->n_nodes || t > limit_ds) continue;
        if (t < s->dist[v]) {
            search_set(s, v, t, ROUTE_INF);
            heap_push_or_decrease(s, v);
        }
    }
    while (s->heap_n) {
        uint32_t v = heap_pop(s);
        uint32_t dv = s->dist[v];
        s->settled++;
        if (v == target) break;
        for (uint32_t k = g->first[v]; k < g->first[v + 1]; k++) {
            uint32_t w = g->edges[k].head;
            uint64_t nd = (uint64_t)dv + g->edges[k].time_ds;
            if (nd > limit_ds || nd >= s->dist[w]) continue;
            search_set(s, w, (uint32_t)nd, k);
            heap_push_or_decrease(s, w);
        }
    }
}
