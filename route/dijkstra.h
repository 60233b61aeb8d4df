/*
 * dijkstra.h: plain Dijkstra on a route_graph: the reference every faster
 * engine is tested against, and the bounded search used where it measures
 * fast enough (isochrones, nearest amenities).
 *
 * A route_search holds the per-thread scratch (distance array, heap,
 * touched list) allocated once for a graph size; searches reset only what
 * they touched, so a bounded search costs what it visits. The heap has
 * decrease-key, so it never holds more than one entry per node: no
 * allocation happens in a search, and none can fail.
 */
#ifndef FK_ROUTE_DIJKSTRA_H
#define FK_ROUTE_DIJKSTRA_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"

#define ROUTE_INF UINT32_MAX

typedef struct route_search {
    uint32_t n_nodes;
    uint32_t *dist;        /* ROUTE_INF when not reached */
    uint32_t *pred_edge;   /* edge index used to reach the node, ROUTE_INF at sources */
    uint32_t *touched;     /* nodes whose dist was set */
    size_t n_touched;
    uint32_t *heap;        /* binary heap of nodes keyed by dist, at most n_nodes */
    uint32_t *heap_pos;    /* position of a node in heap, ROUTE_INF when not in it */
    size_t heap_n;
    uint64_t settled;      /* nodes settled by the last search */
} route_search;

/* Allocates scratch for graphs of n_nodes. 0 or FK_ENOMEM. */
int route_search_init(route_search *s, uint32_t n_nodes);
void route_search_free(route_search *s);

/* Dijkstra from n_src sources, each starting at src_time[i] (NULL = 0),
 * settling nodes up to limit_ds (ROUTE_INF = no limit). After the call
 * s->dist[v] is the shortest time to v, or ROUTE_INF when v is beyond the
 * limit or unreachable. Stops early once target (ROUTE_INF = none) is
 * settled; then only dist[target] (and the settled nodes) are final. */
void route_dijkstra(const route_graph *g, const uint32_t *src, const uint32_t *src_time,
                    size_t n_src, uint32_t limit_ds, uint32_t target, route_search *s);

#endif
