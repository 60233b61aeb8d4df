/*
 * ch.h: contraction hierarchies (CH) with PHAST sweeps over the per-mode
 * road graphs (graph.h). docs/routing-ch.md explains the technique.
 *
 * Build (`flyttkarta build`, after route_graph_build_all): every node of a
 * mode's forward graph is contracted in turn, in the order of a priority
 * (edge difference, contracted neighbours, shortcut hop counts; lazy
 * updates), adding shortcuts u->w (with their middle node v) where no
 * witness path avoiding v is found by a bounded search. The result is
 * stored in the snapshot with nodes renumbered into "sweep positions":
 * position 0 is the most important node, every CH edge leads from a
 * higher position (less important) to a lower one (more important), so a
 * PHAST sweep is one linear pass over positions 0..n-1.
 *
 * Storage per mode m (section id ROUTE_SEC_CH_BASE + 10 * m + part):
 *   part 0  meta       route_ch_meta, 1 record
 *   part 1  pos        uint32[n]: original node id -> position
 *   part 2  order      uint32[n]: position -> original node id
 *   part 3  up_first   uint32[n+1], by position
 *   part 4  up         route_ch_edge[]: at position v, edges v->w with
 *                      w < v (node = w)
 *   part 5  up_mid     uint32[] per up edge: middle node position of a
 *                      shortcut, ROUTE_CH_ORIGINAL for an original edge
 *   part 6  down_first uint32[n+1], by position
 *   part 7  down       route_ch_edge[]: at position v, edges u->v with
 *                      u < v (node = u)
 *   part 8  down_mid   uint32[] per down edge, as up_mid
 * i.e. ids 1100..1108 walk, 1110..1118 bike, 1120..1128 car. 16 bytes per
 * node plus 12 bytes per CH edge (8 of them read by queries).
 *
 * Queries work on an open snapshot through a route_ch (pointers into the
 * mapping) and a per-thread route_ch_scratch allocated once; queries do
 * not allocate (except the matrix's bucket store, which grows to the
 * largest matrix asked for and then stays).
 */
#ifndef FK_ROUTE_CH_H
#define FK_ROUTE_CH_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../region/builder.h"
#include "../region/region.h"
#include "graph.h"
#include "profile.h"

enum { ROUTE_SEC_CH_BASE = 1100 };  /* + 10 * mode + part, parts 0..8 */
#define ROUTE_CH_ORIGINAL UINT32_MAX /* middle of an edge that is no shortcut */
#define ROUTE_CH_INF UINT32_MAX      /* unreachable (same as ROUTE_INF) */
#define ROUTE_CH_VERSION 1u

typedef struct route_ch_edge {
    uint32_t node;      /* the other end, as a position */
    uint32_t time_ds;   /* deciseconds, >= 1 */
} route_ch_edge;

typedef struct route_ch_meta {
    uint32_t version;       /* ROUTE_CH_VERSION */
    uint32_t mode;          /* route_mode */
    uint32_t n_nodes;       /* = region.n_road_nodes */
    uint32_t n_up, n_down;  /* CH edges */
    uint32_t n_shortcuts;   /* among up + down */
    uint32_t n_graph_edges; /* edges of the forward graph contracted */
    uint32_t n_levels;      /* 1 + the highest level */
} route_ch_meta;

/* Section id of part (0..8, see above) of mode m's CH. */
uint32_t route_ch_section_id(route_mode m, int part);

/* ---- build ---- */

/* Contracts mode m's forward graph, which must already be in b->extra
 * (route_graph_build_all), and adds the nine CH sections of m to b.
 * Progress: stage "ch walk"/"ch bike"/"ch car" through b->progress (may be
 * NULL), count = contracted nodes. Returns 0, FK_EINVAL (no graph of m in
 * the builder, or CH sections of m already there), FK_ENOMEM, FK_ETOOBIG
 * (a path time that does not fit 32 bits); on failure b is as before. */
int route_ch_build(region_builder *b, route_mode m, fk_err *e);

/* route_ch_build for every mode. On failure the modes built before the
 * failing one stay in b (they are complete); returns the first error. */
int route_ch_build_all(region_builder *b, fk_err *e);

/* ---- open ---- */

typedef struct route_ch {
    route_mode mode;
    uint32_t n_nodes, n_up, n_down, n_levels;
    const uint32_t *pos;         /* original id -> position */
    const uint32_t *order;       /* position -> original id */
    const uint32_t *up_first;    /* n_nodes + 1 */
    const route_ch_edge *up;
    const uint32_t *up_mid;
    const uint32_t *down_first;  /* n_nodes + 1 */
    const route_ch_edge *down;
    const uint32_t *down_mid;
} route_ch;

/* Points ch at mode m's CH in an open snapshot and validates it (section
 * sizes, pos/order inverse permutations, offsets monotonic, every edge
 * leading to a lower position, middle nodes below both ends). O(n + E).
 * FK_ENOTFOUND when the snapshot has no CH of m, FK_ECORRUPT when invalid. */
int route_ch_open(const region *r, route_mode m, route_ch *ch, fk_err *e);

/* ---- queries ---- */

typedef struct route_ch_bucket {
    uint32_t next;      /* next entry at the same node, ROUTE_CH_INF ends */
    uint32_t node;      /* position the entry hangs at */
    uint32_t target;    /* index into the matrix's targets */
    uint32_t time_ds;
} route_ch_bucket;

typedef struct route_ch_heap_item {
    uint32_t key, node;
} route_ch_heap_item;

/* One direction of a search: distances and predecessor edges by position,
 * reset through the touched list, with a lazy-deletion binary heap. */
typedef struct route_ch_side {
    uint32_t *dist;        /* ROUTE_CH_INF when not reached */
    uint32_t *pred;        /* position the node was reached from, INF at a start */
    uint32_t *touched;
    size_t n_touched;
    route_ch_heap_item *heap;
    size_t heap_n, heap_cap;
} route_ch_side;

/* Per-thread scratch for one CH (or any CH with at most n_nodes nodes).
 * 44 bytes per node. Not shared between threads. */
typedef struct route_ch_scratch {
    uint32_t n_nodes;
    route_ch_side fwd, bwd;
    uint32_t *phast;       /* result of the last PHAST, by position */
    uint32_t *path;        /* unpacked path (original ids) */
    size_t path_n;
    uint32_t *stack;       /* unpacking stack, 2 words per entry */
    uint32_t *bucket_head; /* matrix buckets by position, INF = empty */
    route_ch_bucket *buckets;
    size_t n_buckets, bucket_cap;
    /* last point-to-point query */
    uint32_t meet;         /* meeting position, ROUTE_CH_INF none */
    uint64_t settled;      /* nodes settled by the last query (both sides) */
} route_ch_scratch;

/* Allocates scratch for ch. 0 or FK_ENOMEM. Free with route_ch_scratch_free. */
int route_ch_scratch_init(route_ch_scratch *s, const route_ch *ch);
void route_ch_scratch_free(route_ch_scratch *s);

typedef struct route_ch_result {
    uint32_t time_ds;      /* ROUTE_CH_INF when no target is reachable */
    uint32_t src_index;    /* which source (index into src) was used */
    uint32_t dst_index;    /* which target was used */
} route_ch_result;

/* Point-to-point: the fastest path from any of n_src source nodes
 * (original ids), each starting at src_time[i] (NULL = 0), to any of n_dst
 * targets, each adding dst_time[j] (NULL = 0) on arrival, by a
 * bidirectional CH search with stall-on-demand. Nodes out of range are
 * ignored. The path can then be unpacked with route_ch_path. Returns 0 or
 * FK_ENOMEM (a heap had to grow and could not). */
int route_ch_p2p(const route_ch *ch, route_ch_scratch *s,
                 const uint32_t *src, const uint32_t *src_time, size_t n_src,
                 const uint32_t *dst, const uint32_t *dst_time, size_t n_dst,
                 route_ch_result *res);

/* Unpacks the path of the last successful route_ch_p2p into original node
 * ids, from the source used to the target used: every consecutive pair is
 * an edge of the forward graph. *nodes points into s (valid until the
 * next query). 0, FK_ENOTFOUND (no path), FK_ECORRUPT (a shortcut's halves
 * are missing). */
int route_ch_path(const route_ch *ch, route_ch_scratch *s, const uint32_t **nodes,
                  size_t *n_nodes);

/* PHAST. dir DIR_FORWARD: one-to-all, the time from the sources (with
 * src_time, NULL = 0) to every node. DIR_BACKWARD: many-to-one, the time
 * from every node to the nodes given (each adding src_time on arrival).
 * Times above limit_ds (ROUTE_CH_INF = none) become ROUTE_CH_INF. Returns
 * the times by position (index with ch->pos[original id], or copy with
 * route_ch_to_original), pointing into s, valid until the next PHAST; NULL
 * on FK_ENOMEM. */
const uint32_t *route_ch_phast(const route_ch *ch, route_ch_scratch *s, route_dir dir,
                               const uint32_t *src, const uint32_t *src_time,
                               size_t n_src, uint32_t limit_ds);

/* Copies by_pos (n_nodes values by position) into out by original id. */
void route_ch_to_original(const route_ch *ch, const uint32_t *by_pos, uint32_t *out);

/* Many-to-many: out[i * n_dst + j] = time from src[i] to dst[j] (original
 * ids; ROUTE_CH_INF when unreachable or out of range), by CH searches with
 * buckets (backward searches from the targets leave entries at the nodes
 * they settle; forward searches from the sources scan them). 0, FK_ENOMEM,
 * FK_ETOOBIG (more than 2^32 - 1 bucket entries). */
int route_ch_matrix(const route_ch *ch, route_ch_scratch *s, const uint32_t *src,
                    size_t n_src, const uint32_t *dst, size_t n_dst, uint32_t *out);

#endif
