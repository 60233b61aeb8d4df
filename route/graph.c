/*
 * graph.c: building and opening the per-mode CSR graphs (see graph.h).
 *
 * Building is a counting sort: count edges per tail node, prefix-sum into
 * `first`, place the edges, then sort each node's edges by head and drop
 * parallel edges but the fastest. O(E log deg) time, 12 bytes per edge
 * plus 4 per node for each graph.
 */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"

uint32_t route_graph_section_id(route_mode m, route_dir d, int part)
{
    return ROUTE_SEC_GRAPH_BASE + ((uint32_t)m * 2 + (uint32_t)d) * 3 + (uint32_t)part;
}

typedef struct graph_tmp {
    uint32_t head, time_ds, road;
} graph_tmp;

static int graph_cmp(const void *a, const void *b)
{
    const graph_tmp *x = a, *y = b;
    if (x->head != y->head) return x->head < y->head ? -1 : 1;
    if (x->time_ds != y->time_ds) return x->time_ds < y->time_ds ? -1 : 1;
    return x->road < y->road ? -1 : x->road > y->road;
}

static int graph_build_one(region_builder *b, route_mode m, route_dir d, fk_err *e)
{
    size_t n = b->road_nodes.n;
    if (n >= UINT32_MAX || b->roads.n > UINT32_MAX / 2)
        return err_set(e, FK_ETOOBIG, "road graph: too many nodes or roads for 32-bit ids");
    uint32_t *first = mem_calloc(n + 1, sizeof *first);
    uint32_t *fill = NULL;
    graph_tmp *tmp = NULL;
    route_edge *edges = NULL;
    uint32_t *roads = NULL;
    int rc = 0;
    if (!first) goto nomem;
    /* count */
    for (size_t i = 0; i < b->roads.n; i++) {
        const region_road *rd = &b->roads.v[i];
        route_cost c = route_profile(rd, m);
        int along = c.fwd;    /* edge from -> to exists */
        int against = c.bwd;  /* edge to -> from exists */
        /* forward graph: tail is where the edge leaves; backward graph: the
         * edge is stored at its target, so the tails swap */
        if (along) first[d == DIR_FORWARD ? rd->from : rd->to]++;
        if (against) first[d == DIR_FORWARD ? rd->to : rd->from]++;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = first[i];
        first[i] = (uint32_t)total;
        total += k;
    }
    first[n] = (uint32_t)total;
    tmp = mem_alloc((total ? total : 1) * sizeof *tmp);
    fill = mem_alloc((n ? n : 1) * sizeof *fill);
    if (!tmp || !fill) goto nomem;
    memcpy(fill, first, n * sizeof *fill);
    for (size_t i = 0; i < b->roads.n; i++) {
        const region_road *rd = &b->roads.v[i];
        route_cost c = route_profile(rd, m);
        int along = c.fwd, against = c.bwd;
        if (along) {
            uint32_t tail = d == DIR_FORWARD ? rd->from : rd->to;
            uint32_t head = d == DIR_FORWARD ? rd->to : rd->from;
            tmp[fill[tail]++] = (graph_tmp){head, c.time_ds, (uint32_t)i};
        }
        if (against) {
            uint32_t tail = d == DIR_FORWARD ? rd->to : rd->from;
            uint32_t head = d == DIR_FORWARD ? rd->from : rd->to;
            tmp[fill[tail]++] = (graph_tmp){head, c.time_ds, (uint32_t)i};
        }
    }
    /* sort per node, drop parallel edges but the fastest, compact */
    size_t out = 0;
    for (size_t v = 0; v < n; v++) {
        uint32_t lo = first[v], hi = first[v + 1];
        qsort(tmp + lo, hi - lo, sizeof *tmp, graph_cmp);
        first[v] = (uint32_t)out;
        for (uint32_t k = lo; k < hi; k++)
            if (k == lo || tmp[k].head != tmp[k - 1].head) tmp[out++] = tmp[k];
    }
    first[n] = (uint32_t)out;
    edges = mem_alloc((out ? out : 1) * sizeof *edges);
    roads = mem_alloc((out ? out : 1) * sizeof *roads);
    if (!edges || !roads) goto nomem;
    for (size_t k = 0; k < out; k++) {
        edges[k] = (route_edge){tmp[k].head, tmp[k].time_ds};
        roads[k] = tmp[k].road;
    }
    mem_free(tmp);
    mem_free(fill);
    tmp = NULL;
    fill = NULL;
    /* the builder takes ownership of each array, also on failure */
    rc = region_builder_add_section(b, route_graph_section_id(m, d, 0), sizeof *first,
                                    first, n + 1, e);
    first = NULL;
    if (!rc)
        rc = region_builder_add_section(b, route_graph_section_id(m, d, 1), sizeof *edges,
                                        edges, out, e);
    else
        mem_free(edges);
    edges = NULL;
    if (!rc)
        rc = region_builder_add_section(b, route_graph_section_id(m, d, 2), sizeof *roads,
                                        roads, out, e);
    else
        mem_free(roads);
    return rc;
nomem:
    mem_free(first);
    mem_free(fill);
    mem_free(tmp);
    mem_free(edges);
    mem_free(roads);
    return err_set(e, FK_ENOMEM, "road graph %s: out of memory", route_mode_name(m));
}

int route_graph_build_all(region_builder *b, fk_err *e)
{
    for (int m = 0; m < MODE_COUNT; m++)
        for (int d = 0; d < 2; d++) {
            int rc = graph_build_one(b, (route_mode)m, (route_dir)d, e);
            if (rc) return rc;
        }
    return 0;
}

int route_graph_open(const region *r, route_mode m, route_dir d, route_graph *g,
                     fk_err *e)
{
    const region_section_entry *sf = region_section(r, route_graph_section_id(m, d, 0));
    const region_section_entry *se = region_section(r, route_graph_section_id(m, d, 1));
    const region_section_entry *sr = region_section(r, route_graph_section_id(m, d, 2));
    if (!sf || !se || !sr)
        return err_set(e, FK_ENOTFOUND, "the snapshot has no %s graph: rebuild it with "
                       "this version of `flyttkarta build`", route_mode_name(m));
    if (sf->elem_size != 4 || se->elem_size != sizeof(route_edge) || sr->elem_size != 4 ||
        sf->count != r->n_road_nodes + 1 || sr->count != se->count)
        return err_set(e, FK_ECORRUPT, "%s graph: section sizes do not match the road "
                       "network", route_mode_name(m));
    g->n_nodes = (uint32_t)r->n_road_nodes;
    g->n_edges = (uint32_t)se->count;
    g->first = region_section_data(r, sf);
    g->edges = region_section_data(r, se);
    g->edge_road = region_section_data(r, sr);
    g->mode = m;
    g->dir = d;
    if (g->first[0] != 0 || g->first[g->n_nodes] != g->n_edges)
        return err_set(e, FK_ECORRUPT, "%s graph: offsets invalid", route_mode_name(m));
    for (uint32_t v = 0; v < g->n_nodes; v++)
        if (g->first[v] > g->first[v + 1])
            return err_set(e, FK_ECORRUPT, "%s graph: offsets decrease at node %u",
                           route_mode_name(m), v);
    for (uint32_t k = 0; k < g->n_edges; k++)
        if (g->edges[k].head >= g->n_nodes || g->edge_road[k] >= r->n_roads ||
            g->edges[k].time_ds == 0)
            return err_set(e, FK_ECORRUPT, "%s graph: edge %u invalid", route_mode_name(m), k);
    return 0;
}
