/*
 * graph.h: per-mode road graphs in CSR form, built at `flyttkarta build`
 * time from the region's roads and the speed/access model (profile.h) and
 * stored in the snapshot; opened by pointing into the mapping.
 *
 * Every mode's graph has the same node ids as region.road_nodes (nodes a
 * mode cannot use simply have no edges). Each mode has a forward graph
 * (edges leaving a node) and a backward graph (edges entering it, stored
 * at the target with the source as head) for many-to-one searches.
 * Parallel edges keep only the fastest.
 *
 * Sections (ids from REGION_SEC_EXTRA_FIRST, see route_graph_section_id):
 * per mode and direction a `first` array (uint32, n_nodes + 1), an `edges`
 * array (route_edge) and an `edge_road` array (uint32 road index).
 */
#ifndef FK_ROUTE_GRAPH_H
#define FK_ROUTE_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../region/builder.h"
#include "../region/region.h"
#include "profile.h"

typedef struct route_edge {
    uint32_t head;      /* other end */
    uint32_t time_ds;   /* deciseconds */
} route_edge;

typedef enum route_dir { DIR_FORWARD = 0, DIR_BACKWARD = 1 } route_dir;

typedef struct route_graph {
    uint32_t n_nodes, n_edges;
    const uint32_t *first;       /* n_nodes + 1 */
    const route_edge *edges;     /* n_edges */
    const uint32_t *edge_road;   /* n_edges: index into region.roads */
    route_mode mode;
    route_dir dir;
} route_graph;

enum { ROUTE_SEC_GRAPH_BASE = 1000 };  /* + (mode * 2 + dir) * 3 + part */

/* Section id of part (0 first, 1 edges, 2 edge_road) of a graph. */
uint32_t route_graph_section_id(route_mode m, route_dir d, int part);

/* Builds the graphs of every mode and direction from the builder's roads
 * and adds them to the builder as extra sections. 0 or FK_ENOMEM/FK_ETOOBIG. */
int route_graph_build_all(region_builder *b, fk_err *e);

/* Points g at the graph of mode m, direction d in an open snapshot and
 * validates it (offsets monotonic, heads and roads in range). FK_ENOTFOUND
 * when the snapshot has no graphs (built before routing existed),
 * FK_ECORRUPT when invalid. */
int route_graph_open(const region *r, route_mode m, route_dir d, route_graph *g,
                     fk_err *e);

#endif
