/*
 * dijkstra.c: textbook Dijkstra with a binary heap and lazy deletion
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
    s->heap_cap = n < 1024 ? 1024 : n;
    s->heap = mem_alloc(s->heap_cap * sizeof *s->heap);
    if (!s->dist || !s->pred_edge || !s->touched || !s->heap) {
        route_search_free(s);
        return FK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) s->dist[i] = ROUTE_INF;
    return 0;
}

void route_search_free(route_search *s)
{
    mem_free(s->dist);
    mem_free(s->pred_edge);
    mem_free(s->touched);
    mem_free(s->heap);
    memset(s, 0, sizeof *s);
}

static void heap_push(route_search *s, uint32_t key, uint32_t node)
{
    if (s->heap_n == s->heap_cap) {
        /* the heap holds at most one entry per relaxation; grow rarely */
        size_t ncap = s->heap_cap * 2;
        route_heap_item *h = mem_realloc(s->heap, ncap * sizeof *h);
        if (!h) return; /* out of memory: the entry is dropped (documented limit) */
        s->heap = h;
        s->heap_cap = ncap;
    }
    size_t i = s->heap_n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (s->heap[p].key <= key) break;
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = (route_heap_item){key, node};
}

static route_heap_item heap_pop(route_search *s)
{
    route_heap_item top = s->heap[0];
    route_heap_item last = s->heap[--s->heap_n];
    size_t i = 0, n = s->heap_n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && s->heap[c + 1].key < s->heap[c].key) c++;
        if (s->heap[c].key >= last.key) break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (n) s->heap[i] = last;
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
    s->n_touched = 0;
    s->heap_n = 0;
    s->settled = 0;
    for (size_t i = 0; i < n_src; i++) {
        uint32_t v = src[i], t = src_time ? src_time[i] : 0;
        if (v >= g->n_nodes || t > limit_ds) continue;
        if (t < s->dist[v]) {
            search_set(s, v, t, ROUTE_INF);
            heap_push(s, t, v);
        }
    }
    while (s->heap_n) {
        route_heap_item it = heap_pop(s);
        if (it.key != s->dist[it.node]) continue; /* stale */
        s->settled++;
        if (it.node == target) break;
        for (uint32_t k = g->first[it.node]; k < g->first[it.node + 1]; k++) {
            uint32_t w = g->edges[k].head;
            uint64_t nd = (uint64_t)it.key + g->edges[k].time_ds;
            if (nd > limit_ds || nd >= s->dist[w]) continue;
            search_set(s, w, (uint32_t)nd, k);
            heap_push(s, (uint32_t)nd, w);
        }
    }
    /* nodes beyond the limit were never set; nothing else to clear */
}
