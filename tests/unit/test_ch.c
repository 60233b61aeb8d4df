/*
 * test_ch.c: contraction hierarchies (route/ch.c) checked for exact
 * equality against the reference Dijkstra (route/dijkstra.c) on random
 * road graphs, generated grid networks with a road hierarchy and oneways,
 * and the real OSM extracts (Copenhagen, Helsinki) when the data is
 * present: point-to-point times (single and multi-point with initial
 * times), unpacked paths (original edges whose times add up), one-to-all
 * and many-to-one PHAST (also bounded), and the many-to-many matrix, for
 * every mode, after a snapshot round trip. Also: errors (no graph, built
 * twice, no CH in the snapshot, corrupt sections) and progress reports.
 */
#include "testutil.h"

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../ingest/osm.h"
#include "../../route/ch.h"
#include "../../route/dijkstra.h"
#include "../../route/graph.h"
#include "../../route/profile.h"

static region_road mkroad(uint32_t from, uint32_t to, int hw, uint32_t len_dm)
{
    region_road r;
    memset(&r, 0, sizeof r);
    r.from = from;
    r.to = to;
    r.highway = (uint8_t)hw;
    r.oneway = ONEWAY_UNSET;
    r.oneway_bicycle = ONEWAY_UNSET;
    r.length_dm = len_dm;
    return r;
}

/* Random graph: n nodes, m roads between random pairs, mixed classes and
 * oneways (parallel roads and loops included). */
static void gen_random(region_builder *b, rng *g, uint32_t n, uint32_t m)
{
    static const int hws[] = {HW_RESIDENTIAL, HW_PRIMARY, HW_FOOTWAY, HW_CYCLEWAY,
                              HW_MOTORWAY, HW_SERVICE, HW_TERTIARY, HW_STEPS};
    for (uint32_t i = 0; i < n; i++) {
        geo_point p = {650000000 + (int32_t)rng_below(g, 1000000),
                       220000000 + (int32_t)rng_below(g, 1000000)};
        assert_int_equal(vec_push(b->road_nodes, p), 0);
    }
    for (uint32_t k = 0; k < m; k++) {
        uint32_t a = rng_below(g, n), c = rng_below(g, n);
        if (k % 97 == 0) c = a; /* a loop now and then */
        region_road r = mkroad(a, c, hws[rng_below(g, 8)], 10 + rng_below(g, 5000));
        uint32_t ow = rng_below(g, 10);
        if (ow < 2) r.oneway = ONEWAY_FORWARD;
        else if (ow < 3) r.oneway = ONEWAY_REVERSE;
        if (rng_below(g, 10) == 0) r.oneway_bicycle = ONEWAY_NO;
        assert_int_equal(vec_push(b->roads, r), 0);
    }
}

/* A road-like grid w x h: perturbed lengths, every 8th line tertiary,
 * every 24th primary, one motorway row with links, 8 % oneways, 5 % of
 * streets missing, footways and cycleways here and there. */
static void gen_grid(region_builder *b, rng *g, uint32_t w, uint32_t h)
{
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            geo_point p = {655000000 + (int32_t)(y * 9000 + rng_below(g, 3000)),
                           221000000 + (int32_t)(x * 16000 + rng_below(g, 5000))};
            assert_int_equal(vec_push(b->road_nodes, p), 0);
        }
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint32_t v = y * w + x;
            for (int dir = 0; dir < 2; dir++) {
                if (dir == 0 && x + 1 >= w) continue;
                if (dir == 1 && y + 1 >= h) continue;
                uint32_t line = dir == 0 ? y : x;
                uint32_t u = dir == 0 ? v + 1 : v + w;
                int hw = HW_RESIDENTIAL;
                if (line % 24 == 0) hw = HW_PRIMARY;
                else if (line % 8 == 0) hw = HW_TERTIARY;
                if (dir == 0 && y == h / 2) hw = HW_MOTORWAY;
                if (hw == HW_RESIDENTIAL && rng_below(g, 20) == 0) continue;
                if (hw == HW_RESIDENTIAL && rng_below(g, 15) == 0)
                    hw = rng_below(g, 2) ? HW_FOOTWAY : HW_CYCLEWAY;
                region_road r = mkroad(v, u, hw, 800 + rng_below(g, 600));
                if (hw == HW_MOTORWAY) {
                    /* two carriageways: one road each way */
                    r.oneway = ONEWAY_FORWARD;
                    assert_int_equal(vec_push(b->roads, r), 0);
                    r.from = u;
                    r.to = v;
                } else if (rng_below(g, 100) < 8) {
                    r.oneway = rng_below(g, 2) ? ONEWAY_FORWARD : ONEWAY_REVERSE;
                }
                assert_int_equal(vec_push(b->roads, r), 0);
                if (hw == HW_MOTORWAY && x % 10 == 0) {
                    /* links down to the row below, both ways */
                    region_road l = mkroad(v, v + w, HW_MOTORWAY_LINK, 500);
                    l.oneway = ONEWAY_NO;
                    if (y + 1 < h) assert_int_equal(vec_push(b->roads, l), 0);
                }
            }
        }
}

typedef struct net {
    region *r;
    route_graph fwd[MODE_COUNT], bwd[MODE_COUNT];
    route_ch ch[MODE_COUNT];
} net;

/* Graphs and CHs of every mode, written and opened again. */
static void net_finish(region_builder *b, net *nt, const char *file)
{
    fk_err e;
    assert_int_equal(route_graph_build_all(b, &e), 0);
    int rc = route_ch_build_all(b, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(region_write(b, file, &e), 0);
    region_builder_free(b);
    assert_int_equal(region_open(file, REGION_OPEN_VERIFY_CRC, &nt->r, &e), 0);
    for (int m = 0; m < MODE_COUNT; m++) {
        assert_int_equal(route_graph_open(nt->r, m, DIR_FORWARD, &nt->fwd[m], &e), 0);
        assert_int_equal(route_graph_open(nt->r, m, DIR_BACKWARD, &nt->bwd[m], &e), 0);
        rc = route_ch_open(nt->r, m, &nt->ch[m], &e);
        if (rc) fail_msg("%s", e.msg);
    }
}

/* Time of the forward-graph edge a->b, or ROUTE_INF. */
static uint32_t edge_time(const route_graph *g, uint32_t a, uint32_t b)
{
    for (uint32_t k = g->first[a]; k < g->first[a + 1]; k++)
        if (g->edges[k].head == b) return g->edges[k].time_ds;
    return ROUTE_INF;
}

/* The unpacked path of the last p2p: connected original edges from the
 * source used to the target used, whose times add up to the query time. */
static void check_path(const route_graph *g, const route_ch *ch, route_ch_scratch *s,
                       const route_ch_result *res, const uint32_t *src, const uint32_t *st,
                       const uint32_t *dst, const uint32_t *dt)
{
    const uint32_t *p;
    size_t np;
    assert_int_equal(route_ch_path(ch, s, &p, &np), 0);
    assert_true(np >= 1);
    assert_true(res->src_index != ROUTE_CH_INF && res->dst_index != ROUTE_CH_INF);
    assert_int_equal(p[0], src[res->src_index]);
    assert_int_equal(p[np - 1], dst[res->dst_index]);
    uint64_t sum = (st ? st[res->src_index] : 0) + (uint64_t)(dt ? dt[res->dst_index] : 0);
    for (size_t i = 0; i + 1 < np; i++) {
        uint32_t t = edge_time(g, p[i], p[i + 1]);
        assert_int_not_equal(t, ROUTE_INF);
        sum += t;
    }
    assert_int_equal(sum, res->time_ds);
}

/* Point-to-point, one-to-all, many-to-one and matrix against Dijkstra. */
static void check_mode(const net *nt, route_mode m, rng *g, int n_pairs, int n_phast)
{
    const route_graph *gf = &nt->fwd[m], *gb = &nt->bwd[m];
    const route_ch *ch = &nt->ch[m];
    uint32_t n = gf->n_nodes;
    route_search ds;
    route_ch_scratch s;
    assert_int_equal(route_search_init(&ds, n), 0);
    assert_int_equal(route_ch_scratch_init(&s, ch), 0);
    uint32_t *orig = mem_alloc(n * sizeof *orig);
    uint32_t *use = mem_alloc(n * sizeof *use);
    assert_non_null(orig);
    assert_non_null(use);
    /* endpoints among the nodes this mode can use (others are trivially
     * unreachable and would make the test weaker) */
    uint32_t n_use = 0;
    for (uint32_t v = 0; v < n; v++)
        if (gf->first[v] < gf->first[v + 1] || gb->first[v] < gb->first[v + 1]) use[n_use++] = v;
    assert_true(n_use > 1);
#define PICK() use[rng_below(g, n_use)]
    int reached = 0;
    /* single pairs */
    for (int q = 0; q < n_pairs; q++) {
        uint32_t a = PICK(), b = PICK();
        route_dijkstra(gf, &a, NULL, 1, ROUTE_INF, b, &ds);
        route_ch_result res;
        assert_int_equal(route_ch_p2p(ch, &s, &a, NULL, 1, &b, NULL, 1, &res), 0);
        assert_int_equal(res.time_ds, ds.dist[b]);
        if (res.time_ds != ROUTE_CH_INF) {
            reached++;
            check_path(gf, ch, &s, &res, &a, NULL, &b, NULL);
        } else {
            const uint32_t *p;
            size_t np;
            assert_int_equal(route_ch_path(ch, &s, &p, &np), FK_ENOTFOUND);
        }
    }
    if (getenv("CH_VERBOSE")) printf("mode %d: %d of %d pairs reachable\n", m, reached, n_pairs);
    assert_true(reached > n_pairs / 10); /* the test is not vacuous */
    /* sets of points with initial times (snapped points on edges) */
    for (int q = 0; q < n_pairs / 10; q++) {
        uint32_t src[3], st[3], dst[3], dt[3];
        for (int i = 0; i < 3; i++) {
            src[i] = PICK();
            st[i] = rng_below(g, 300);
            dst[i] = PICK();
            dt[i] = rng_below(g, 300);
        }
        route_dijkstra(gf, src, st, 3, ROUTE_INF, ROUTE_INF, &ds);
        uint64_t want = ROUTE_INF;
        for (int j = 0; j < 3; j++)
            if (ds.dist[dst[j]] != ROUTE_INF && ds.dist[dst[j]] + (uint64_t)dt[j] < want)
                want = ds.dist[dst[j]] + (uint64_t)dt[j];
        route_ch_result res;
        assert_int_equal(route_ch_p2p(ch, &s, src, st, 3, dst, dt, 3, &res), 0);
        assert_int_equal(res.time_ds, want);
        if (want != ROUTE_INF) check_path(gf, ch, &s, &res, src, st, dst, dt);
    }
    /* one-to-all and many-to-one over every node, also bounded */
    for (int q = 0; q < n_phast; q++) {
        uint32_t src[2] = {PICK(), PICK()}, st[2] = {0, rng_below(g, 500)};
        size_t ns = q % 3 == 0 ? 2 : 1;
        uint32_t limit = q % 4 == 1 ? 3000 : ROUTE_CH_INF;
        for (int dir = 0; dir < 2; dir++) {
            route_dijkstra(dir ? gb : gf, src, st, ns, limit, ROUTE_INF, &ds);
            const uint32_t *d = route_ch_phast(ch, &s, dir ? DIR_BACKWARD : DIR_FORWARD, src,
                                               st, ns, limit);
            assert_non_null(d);
            route_ch_to_original(ch, d, orig);
            for (uint32_t v = 0; v < n; v++) {
                if (orig[v] != ds.dist[v])
                    fail_msg("mode %d dir %d src %u node %u: ch %u dijkstra %u", m, dir,
                             src[0], v, orig[v], ds.dist[v]);
                assert_int_equal(d[ch->pos[v]], ds.dist[v]);
            }
        }
    }
    /* matrix */
    enum { MS = 12, MT = 9 };
    uint32_t ms[MS], mt[MT], out[MS * MT];
    for (int i = 0; i < MS; i++) ms[i] = PICK();
    for (int j = 0; j < MT; j++) mt[j] = PICK();
    mt[0] = ms[0]; /* a zero cell */
    for (int round = 0; round < 2; round++) { /* twice: buckets are reset */
        assert_int_equal(route_ch_matrix(ch, &s, ms, MS, mt, MT, out), 0);
        for (int i = 0; i < MS; i++) {
            route_dijkstra(gf, &ms[i], NULL, 1, ROUTE_INF, ROUTE_INF, &ds);
            for (int j = 0; j < MT; j++) assert_int_equal(out[i * MT + j], ds.dist[mt[j]]);
        }
    }
    assert_int_equal(out[0], 0);
#undef PICK
    mem_free(use);
    mem_free(orig);
    route_ch_scratch_free(&s);
    route_search_free(&ds);
}

static void net_close(net *nt)
{
    region_close(nt->r);
}

static void test_ch_random_graphs(void **state)
{
    (void)state;
    rng g;
    rng_seed(&g, 7);
    for (int round = 0; round < 6; round++) {
        region_builder b;
        region_builder_init(&b, "random");
        uint32_t n = 60 + rng_below(&g, 400);
        gen_random(&b, &g, n, n + rng_below(&g, 3 * n));
        net nt;
        net_finish(&b, &nt, "random.region");
        for (int m = 0; m < MODE_COUNT; m++) check_mode(&nt, (route_mode)m, &g, 700, 8);
        net_close(&nt);
    }
}

static void test_ch_grid(void **state)
{
    (void)state;
    rng g;
    rng_seed(&g, 2024);
    region_builder b;
    region_builder_init(&b, "grid");
    gen_grid(&b, &g, 48, 40);
    net nt;
    net_finish(&b, &nt, "grid.region");
    /* the hierarchy has shortcuts and some depth */
    assert_true(nt.ch[MODE_CAR].n_levels > 5);
    assert_true(nt.ch[MODE_CAR].n_up + nt.ch[MODE_CAR].n_down > nt.fwd[MODE_CAR].n_edges);
    for (int m = 0; m < MODE_COUNT; m++) check_mode(&nt, (route_mode)m, &g, 2000, 24);
    net_close(&nt);
}

/* Tiny hand-made case: times and the path through a shortcut. */
static void test_ch_small_exact(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "small");
    for (int i = 0; i < 6; i++) {
        geo_point p = {655000000 + i * 1000, 221000000};
        assert_int_equal(vec_push(b.road_nodes, p), 0);
    }
    /* a chain 0-1-2-3-4 of residential streets (150 ds each by car) and a
     * oneway 4->5 */
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(vec_push(b.roads, mkroad(i, i + 1, HW_RESIDENTIAL, 1000)), 0);
    region_road r = mkroad(4, 5, HW_RESIDENTIAL, 1000);
    r.oneway = ONEWAY_FORWARD;
    assert_int_equal(vec_push(b.roads, r), 0);
    net nt;
    net_finish(&b, &nt, "small.region");
    const route_ch *ch = &nt.ch[MODE_CAR];
    route_ch_scratch s;
    assert_int_equal(route_ch_scratch_init(&s, ch), 0);
    uint32_t a = 0, z = 5;
    route_ch_result res;
    assert_int_equal(route_ch_p2p(ch, &s, &a, NULL, 1, &z, NULL, 1, &res), 0);
    assert_int_equal(res.time_ds, 750);
    const uint32_t *p;
    size_t np;
    assert_int_equal(route_ch_path(ch, &s, &p, &np), 0);
    assert_int_equal(np, 6);
    for (uint32_t i = 0; i < 6; i++) assert_int_equal(p[i], i);
    assert_int_equal(route_ch_p2p(ch, &s, &z, NULL, 1, &a, NULL, 1, &res), 0);
    assert_int_equal(res.time_ds, ROUTE_CH_INF); /* against the oneway */
    /* same node as source and target, with initial times */
    uint32_t t1 = 5, t2 = 7;
    assert_int_equal(route_ch_p2p(ch, &s, &a, &t1, 1, &a, &t2, 1, &res), 0);
    assert_int_equal(res.time_ds, 12);
    assert_int_equal(route_ch_path(ch, &s, &p, &np), 0);
    assert_int_equal(np, 1);
    /* out-of-range nodes are ignored */
    uint32_t bad = 99;
    assert_int_equal(route_ch_p2p(ch, &s, &bad, NULL, 1, &z, NULL, 1, &res), 0);
    assert_int_equal(res.time_ds, ROUTE_CH_INF);
    /* bounded PHAST */
    const uint32_t *d = route_ch_phast(ch, &s, DIR_FORWARD, &a, NULL, 1, 300);
    assert_non_null(d);
    assert_int_equal(d[ch->pos[2]], 300);
    assert_int_equal(d[ch->pos[3]], ROUTE_CH_INF);
    d = route_ch_phast(ch, &s, DIR_BACKWARD, &z, NULL, 1, ROUTE_CH_INF);
    assert_int_equal(d[ch->pos[0]], 750);
    route_ch_scratch_free(&s);
    net_close(&nt);
}

typedef struct prog_seen {
    uint64_t last_count;
    int done;
    char stage[32];
} prog_seen;

static void prog_cb(void *ud, const progress_event *ev)
{
    prog_seen *p = ud;
    p->last_count = ev->count;
    p->done += ev->done;
    snprintf(p->stage, sizeof p->stage, "%s", ev->stage);
}

static void test_ch_errors_and_progress(void **state)
{
    (void)state;
    fk_err e;
    region_builder b;
    region_builder_init(&b, "err");
    rng g;
    rng_seed(&g, 3);
    gen_grid(&b, &g, 10, 8);
    /* no graphs yet */
    assert_int_equal(route_ch_build(&b, MODE_CAR, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "route_graph_build_all"));
    assert_int_equal(b.extra.n, 0);
    /* a snapshot without CH sections */
    assert_int_equal(route_graph_build_all(&b, &e), 0);
    assert_int_equal(region_write(&b, "noch.region", &e), 0);
    region *r;
    route_ch ch;
    assert_int_equal(region_open("noch.region", 0, &r, &e), 0);
    assert_int_equal(route_ch_open(r, MODE_CAR, &ch, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "car"));
    region_close(r);
    /* progress of the car build: one count per node */
    progress pg = {0};
    prog_seen seen = {0};
    pg.fn = prog_cb;
    pg.ud = &seen;
    b.progress = &pg;
    size_t before = b.extra.n;
    assert_int_equal(route_ch_build(&b, MODE_CAR, &e), 0);
    assert_int_equal(b.extra.n, before + 9);
    assert_int_equal(seen.done, 1);
    assert_int_equal(seen.last_count, b.road_nodes.n);
    assert_string_equal(seen.stage, "ch car");
    b.progress = NULL;
    /* twice is refused and adds nothing */
    assert_int_equal(route_ch_build(&b, MODE_CAR, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "already"));
    assert_int_equal(b.extra.n, before + 9);
    /* corrupt: an up edge leading to a higher position */
    region_extra_section *up = NULL, *pos = NULL;
    for (size_t i = 0; i < b.extra.n; i++) {
        if (b.extra.v[i].id == route_ch_section_id(MODE_CAR, 4)) up = &b.extra.v[i];
        if (b.extra.v[i].id == route_ch_section_id(MODE_CAR, 1)) pos = &b.extra.v[i];
    }
    assert_non_null(up);
    assert_non_null(pos);
    assert_true(up->count > 0);
    route_ch_edge *ue = up->data;
    uint32_t saved = ue[0].node;
    ue[0].node = (uint32_t)b.road_nodes.n + 5;
    assert_int_equal(region_write(&b, "bad.region", &e), 0);
    ue[0].node = saved;
    uint32_t *pp = pos->data;
    uint32_t t = pp[0];
    pp[0] = pp[1];
    assert_int_equal(region_write(&b, "bad2.region", &e), 0);
    pp[0] = t;
    region_builder_free(&b);
    assert_int_equal(region_open("bad.region", 0, &r, &e), 0);
    assert_int_equal(route_ch_open(r, MODE_CAR, &ch, &e), FK_ECORRUPT);
    assert_non_null(strstr(e.msg, "up edge 0 invalid"));
    region_close(r);
    assert_int_equal(region_open("bad2.region", 0, &r, &e), 0);
    assert_int_equal(route_ch_open(r, MODE_CAR, &ch, &e), FK_ECORRUPT);
    assert_non_null(strstr(e.msg, "permutation"));
    assert_int_equal(route_ch_open(r, MODE_WALK, &ch, &e), FK_ENOTFOUND);
    region_close(r);
}

static void osm_case(const char *path, uint64_t seed)
{
    region_builder b;
    region_builder_init(&b, "osm");
    ingest_report rep;
    memset(&rep, 0, sizeof rep);
    fk_err e;
    int rc = ingest_osm(&b, path, NULL, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_true(b.road_nodes.n > 1000);
    net nt;
    net_finish(&b, &nt, "osm.region");
    rng g;
    rng_seed(&g, seed);
    for (int m = 0; m < MODE_COUNT; m++) check_mode(&nt, (route_mode)m, &g, 1500, 12);
    net_close(&nt);
}

static void test_ch_osm_copenhagen(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "osm/copenhagen-kbh.osm.pbf");
    osm_case(path, 11);
}

static void test_ch_osm_helsinki(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "osm/helsinki-centre.osm.pbf");
    osm_case(path, 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ch_small_exact),
        cmocka_unit_test(test_ch_errors_and_progress),
        cmocka_unit_test(test_ch_random_graphs),
        cmocka_unit_test(test_ch_grid),
        cmocka_unit_test(test_ch_osm_copenhagen),
        cmocka_unit_test(test_ch_osm_helsinki),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
