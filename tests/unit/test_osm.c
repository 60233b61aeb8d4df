/*
 * test_osm.c: unit tests of the OSM importer (ingest/osm.c) and its clip
 * mask (ingest/clip.c).
 *
 * Hand-made fixtures in tests/fixtures/osm/:
 *   roads.osm       one way per tag rule, named after the rule; plus a
 *                   roundabout ring, a pedestrian area, a ref-only road, a
 *                   self-loop, a missing node and a node with lat 95
 *   roads.osm.pbf, roads-lz4.osm.pbf, roads-nodense.osm.pbf
 *                   roads.osm converted by osmium-tool (`osmium cat roads.osm
 *                   -o X -f pbf[,pbf_compression=lz4|,pbf_dense_nodes=false]`)
 *   unsorted.osm.pbf  `osmium cat` of the late.osm text of
 *                   test_errors_rollback (node 3 after way 1)
 *   pois.osm        POIs from nodes and closed ways, school levels
 *   clip.osm        nodes inside, near and far from a kommun square
 * and the real extracts under FK_DATA/osm (skipped when absent).
 */
#include "testutil.h"

#include <math.h>

#include "../../base/mem.h"
#include "../../ingest/clip.h"
#include "../../ingest/osm.h"

/* libreadosm 1.1.0a leaks its expat parser and the tags of the element
 * being read when an XML file is malformed (it returns without freeing
 * them). That is readosm's memory, not ours: LeakSanitizer is told to
 * ignore allocations made inside readosm and expat, and every import in
 * this file checks instead that our own heap (all of it goes through
 * base/mem.h, which counts bytes) returns to where it was. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libreadosm.so\nleak:libexpat.so\n";
}

/* ---- helpers ---- */

static const char *str(const region_builder *b, uint32_t off)
{
    return off < b->strings.len ? b->strings.data + off : "";
}

/* The first road whose name is name, or NULL. */
static const region_road *road_named(const region_builder *b, const char *name)
{
    for (size_t i = 0; i < b->roads.n; i++)
        if (strcmp(str(b, b->roads.v[i].name), name) == 0) return &b->roads.v[i];
    return NULL;
}

static size_t roads_named(const region_builder *b, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < b->roads.n; i++)
        if (strcmp(str(b, b->roads.v[i].name), name) == 0) n++;
    return n;
}

static const region_poi *poi_of(const region_builder *b, int64_t source_id, int kind)
{
    for (size_t i = 0; i < b->pois.n; i++)
        if (b->pois.v[i].source_id == source_id && b->pois.v[i].kind == kind)
            return &b->pois.v[i];
    return NULL;
}

static size_t pois_of_kind(const region_builder *b, int kind)
{
    size_t n = 0;
    for (size_t i = 0; i < b->pois.n; i++) n += b->pois.v[i].kind == kind;
    return n;
}

/* Imports path into a fresh builder *b; asserts success. */
static void import_ok(region_builder *b, const char *path, const ingest_osm_opts *o,
                      ingest_report *rep)
{
    fk_err e;
    err_clear(&e);
    int rc = ingest_osm(b, path, o, rep, &e);
    if (rc) printf("unexpected error: %s\n", e.msg);
    assert_int_equal(rc, 0);
}

/* Imports path expecting code; asserts the message names the file and
 * contains want (may be NULL); asserts nothing was added. */
static void import_fails(const char *path, int code, const char *name_in_msg,
                         const char *want)
{
    size_t used0 = mem_used_bytes();
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e;
    err_clear(&e);
    int rc = ingest_osm(&b, path, NULL, &rep, &e);
    printf("  %s -> %d %s\n", path, rc, e.msg);
    assert_int_equal(rc, code);
    assert_non_null(strstr(e.msg, name_in_msg));
    if (want) assert_non_null(strstr(e.msg, want));
    assert_int_equal(b.roads.n, 0);
    assert_int_equal(b.road_nodes.n, 0);
    assert_int_equal(b.pois.n, 0);
    region_builder_free(&b);
    assert_int_equal(mem_used_bytes(), used0);   /* nothing of ours leaked */
}

/* Adds a level-0 area (kommun) that is the box [lat0,lat1] x [lon0,lon1]. */
static void add_square_area(region_builder *b, uint16_t code, double lat0, double lon0,
                            double lat1, double lon1)
{
    geo_point p[4];
    assert_int_equal(geo_from_deg(lat0, lon0, &p[0]), 0);
    assert_int_equal(geo_from_deg(lat0, lon1, &p[1]), 0);
    assert_int_equal(geo_from_deg(lat1, lon1, &p[2]), 0);
    assert_int_equal(geo_from_deg(lat1, lon0, &p[3]), 0);
    region_ring rg;
    memset(&rg, 0, sizeof rg);
    rg.first_point = (uint32_t)b->ring_points.n;
    rg.n_points = 4;
    rg.role = RING_OUTER;
    for (int i = 0; i < 4; i++) assert_int_equal(vec_push(b->ring_points, p[i]), 0);
    region_area a;
    memset(&a, 0, sizeof a);
    int rc = 0;
    char code_s[8];
    snprintf(code_s, sizeof code_s, "%u", code);
    a.code = rb_str(b, code_s, &rc);
    a.name = rb_str(b, "Testkommun", &rc);
    assert_int_equal(rc, 0);
    a.first_ring = (uint32_t)b->rings.n;
    a.n_rings = 1;
    a.bbox = geo_bbox_empty();
    for (int i = 0; i < 4; i++) geo_bbox_add(&a.bbox, p[i]);
    a.centre = geo_ring_centroid(p, 4);
    a.kommun_code = code;
    a.level = 0;
    assert_int_equal(vec_push(b->rings, rg), 0);
    assert_int_equal(vec_push(b->areas, a), 0);
}

static geo_point pt(double lat, double lon)
{
    geo_point p;
    assert_int_equal(geo_from_deg(lat, lon, &p), 0);
    return p;
}

/* Copies the first n bytes of src into a new file dst (in the cwd). */
static void copy_prefix(const char *src, const char *dst, long n)
{
    FILE *in = fopen(src, "rb");
    assert_non_null(in);
    FILE *out = fopen(dst, "wb");
    assert_non_null(out);
    int ch;
    for (long i = 0; (n < 0 || i < n) && (ch = fgetc(in)) != EOF; i++) fputc(ch, out);
    fclose(in);
    fclose(out);
}

/* ---- roads: tag rules ---- */

static void test_roads_counts(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    import_ok(&b, fixture("osm/roads.osm"), NULL, &rep);
    /* 39 two-node ways (43 minus 3 skipped highways and a building), a
     * 4-segment roundabout and area, E4, self-loop (1 kept), missing-node
     * (1 kept), bad-coord (0) */
    assert_int_equal(b.roads.n, 39 + 4 + 4 + 1 + 1 + 1);
    /* chain nodes 1..40, 4 + 4 ring nodes, 121..123: shared nodes once */
    assert_int_equal(b.road_nodes.n, 40 + 4 + 4 + 3);
    assert_int_equal(b.pois.n, 0);
    assert_int_equal(rep.records, 50);
    /* 3 non-routable highways, 2 segments with a missing node (999 and the
     * lat=95 node), 1 self-loop, 1 node with invalid coordinates */
    assert_int_equal(rep.skipped, 7);
    assert_non_null(strstr(rep.note, "3 ways with a non-routable highway"));
    assert_non_null(strstr(rep.note, "2 segments with a node missing"));
    assert_non_null(strstr(rep.note, "1 zero-length self-loop"));
    assert_null(road_named(&b, "skip-proposed"));
    assert_null(road_named(&b, "skip-construction"));
    assert_null(road_named(&b, "skip-platform"));
    assert_null(road_named(&b, "building"));
    assert_null(road_named(&b, "bad-coord"));
    assert_int_equal(roads_named(&b, "roundabout"), 4);
    assert_int_equal(roads_named(&b, "area-ped"), 4);
    assert_int_equal(roads_named(&b, "self-loop"), 1);
    assert_int_equal(roads_named(&b, "missing-node"), 1);
    region_builder_free(&b);
}

static void test_roads_oneway(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, fixture("osm/roads.osm"), NULL, NULL);
    static const struct { const char *name; int ow; } cases[] = {
        {"oneway-yes", ONEWAY_FORWARD}, {"oneway-true", ONEWAY_FORWARD},
        {"oneway-1", ONEWAY_FORWARD}, {"oneway-minus1", ONEWAY_REVERSE},
        {"oneway-reverse", ONEWAY_REVERSE}, {"oneway-no", ONEWAY_NO},
        {"oneway-absent", ONEWAY_UNSET}, {"oneway-reversible", ONEWAY_UNSET},
        {"cycleway", ONEWAY_FORWARD}, {"roundabout", ONEWAY_UNSET},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const region_road *r = road_named(&b, cases[i].name);
        assert_non_null(r);
        if (r->oneway != cases[i].ow) printf("%s: oneway %d\n", cases[i].name, r->oneway);
        assert_int_equal(r->oneway, cases[i].ow);
        assert_int_equal(r->oneway_bicycle, ONEWAY_UNSET);
    }
    const region_road *r = road_named(&b, "ow-bicycle-no");
    assert_int_equal(r->oneway, ONEWAY_FORWARD);
    assert_int_equal(r->oneway_bicycle, ONEWAY_NO);
    /* roundabout: flag on every segment, ring closed */
    for (size_t i = 0; i < b.roads.n; i++) {
        int rb = strcmp(str(&b, b.roads.v[i].name), "roundabout") == 0;
        assert_int_equal(!!(b.roads.v[i].flags & ROAD_F_ROUNDABOUT), rb);
    }
    region_builder_free(&b);
}

static void test_roads_access(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, fixture("osm/roads.osm"), NULL, NULL);
    const region_road *r = road_named(&b, "access-mix");
    assert_int_equal(r->access, ACC_PRIVATE);
    assert_int_equal(r->foot, ACC_YES);
    assert_int_equal(r->bicycle, ACC_DESIGNATED);
    assert_int_equal(r->motor_vehicle, ACC_DESTINATION);
    r = road_named(&b, "motorcar-only");     /* motorcar folded into motor_vehicle */
    assert_int_equal(r->motor_vehicle, ACC_NO);
    assert_int_equal(r->access, ACC_UNSET);
    r = road_named(&b, "motorcar-and-mv");   /* motor_vehicle wins */
    assert_int_equal(r->motor_vehicle, ACC_YES);
    r = road_named(&b, "access-other");
    assert_int_equal(r->access, ACC_OTHER);
    assert_int_equal(r->foot, ACC_USE_SIDEPATH);
    assert_int_equal(r->bicycle, ACC_DISMOUNT);
    r = road_named(&b, "oneway-absent");
    assert_int_equal(r->access, ACC_UNSET);
    assert_int_equal(r->foot, ACC_UNSET);
    assert_int_equal(r->bicycle, ACC_UNSET);
    assert_int_equal(r->motor_vehicle, ACC_UNSET);
    region_builder_free(&b);
}

static void test_roads_maxspeed(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, fixture("osm/roads.osm"), NULL, NULL);
    static const struct { const char *name; int kmh; } cases[] = {
        {"ms-50", 50}, {"ms-mph", 48}, {"ms-kmh", 40}, {"ms-multi", 50},
        {"ms-se-urban", 50}, {"ms-se-rural", 70}, {"ms-se-motorway", 110},
        {"ms-dk-urban", 50}, {"ms-fi-urban", 50}, {"ms-walk", 7}, {"ms-none", 250},
        {"ms-300", 255}, {"ms-signals", 0}, {"oneway-absent", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const region_road *r = road_named(&b, cases[i].name);
        assert_non_null(r);
        if (r->maxspeed_kmh != cases[i].kmh)
            printf("%s: maxspeed %d\n", cases[i].name, r->maxspeed_kmh);
        assert_int_equal(r->maxspeed_kmh, cases[i].kmh);
    }
    region_builder_free(&b);
}

static void test_roads_classes_and_flags(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, fixture("osm/roads.osm"), NULL, NULL);
    static const struct { const char *name; int hw; } cls[] = {
        {"footway", HW_FOOTWAY}, {"steps", HW_STEPS}, {"cycleway", HW_CYCLEWAY},
        {"path", HW_PATH}, {"bridleway", HW_BRIDLEWAY}, {"ferry", HW_FERRY},
        {"motorway-link", HW_MOTORWAY_LINK}, {"ms-se-motorway", HW_MOTORWAY},
        {"access-mix", HW_TRACK}, {"ms-walk", HW_LIVING_STREET},
        {"area-ped", HW_PEDESTRIAN}, {"toll-tunnel", HW_TRUNK}, {"E4", HW_TRUNK},
        {"oneway-absent", HW_RESIDENTIAL}, {"motorcar-only", HW_UNCLASSIFIED},
        {"oneway-reversible", HW_TERTIARY},
    };
    for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++) {
        const region_road *r = road_named(&b, cls[i].name);
        assert_non_null(r);
        assert_int_equal(r->highway, cls[i].hw);
    }
    const region_road *r = road_named(&b, "path");
    assert_int_equal(r->bicycle, ACC_YES);
    r = road_named(&b, "area-ped");
    assert_int_equal(r->flags, ROAD_F_AREA);
    r = road_named(&b, "toll-tunnel");
    assert_int_equal(r->flags, ROAD_F_TOLL | ROAD_F_TUNNEL);
    r = road_named(&b, "bridge");             /* bridge=viaduct, tunnel=no */
    assert_int_equal(r->flags, ROAD_F_BRIDGE);
    assert_int_equal(road_named(&b, "driveway")->service, SERVICE_DRIVEWAY);
    assert_int_equal(road_named(&b, "parking-aisle")->service, SERVICE_PARKING_AISLE);
    assert_int_equal(road_named(&b, "drive-through")->service, SERVICE_DRIVE_THROUGH);
    assert_int_equal(road_named(&b, "service-other")->service, SERVICE_OTHER);
    assert_int_equal(road_named(&b, "access-other")->service, SERVICE_NONE);
    assert_int_equal(road_named(&b, "oneway-absent")->flags, 0);
    region_builder_free(&b);
}

static void test_roads_geometry(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, fixture("osm/roads.osm"), NULL, NULL);
    /* way k joins nodes k and k+1: consecutive ways share a road node */
    const region_road *a = road_named(&b, "oneway-yes");
    const region_road *c = road_named(&b, "oneway-true");
    assert_int_equal(a->to, c->from);
    assert_int_not_equal(a->from, a->to);
    geo_point n1 = b.road_nodes.v[a->from], n2 = b.road_nodes.v[a->to];
    assert_int_equal(n1.lat_e7, 590000000);
    assert_int_equal(n1.lon_e7, 180010000);
    assert_int_equal(n2.lon_e7, 180020000);
    /* 0.001 deg of longitude at 59 N: about 57.3 m */
    assert_in_range(a->length_dm, 570, 576);
    for (size_t i = 0; i < b.roads.n; i++) {
        const region_road *r = &b.roads.v[i];
        assert_true(r->from < b.road_nodes.n && r->to < b.road_nodes.n);
        assert_int_not_equal(r->from, r->to);
        double dm = geo_dist_m(b.road_nodes.v[r->from], b.road_nodes.v[r->to]) * 10;
        assert_true(fabs(r->length_dm - dm) <= 0.5 + 1e-9);
    }
    /* the roundabout is a closed ring: 4 segments over 4 road nodes */
    uint32_t seen[8];
    size_t ns = 0;
    for (size_t i = 0; i < b.roads.n; i++) {
        if (strcmp(str(&b, b.roads.v[i].name), "roundabout")) continue;
        uint32_t f = b.roads.v[i].from;
        int dup = 0;
        for (size_t k = 0; k < ns; k++) dup |= seen[k] == f;
        if (!dup) seen[ns++] = f;
    }
    assert_int_equal(ns, 4);
    /* name falls back to ref */
    assert_non_null(road_named(&b, "E4"));
    region_builder_free(&b);
}

/* The PBF conversion of roads.osm gives exactly the same records. */
static void test_roads_pbf_equals_xml(void **state)
{
    (void)state;
    region_builder x, p;
    region_builder_init(&x, "x");
    region_builder_init(&p, "p");
    ingest_report rx, rp;
    import_ok(&x, fixture("osm/roads.osm"), NULL, &rx);
    import_ok(&p, fixture("osm/roads.osm.pbf"), NULL, &rp);
    assert_int_equal(x.roads.n, p.roads.n);
    assert_int_equal(x.road_nodes.n, p.road_nodes.n);
    assert_memory_equal(x.road_nodes.v, p.road_nodes.v, x.road_nodes.n * sizeof(geo_point));
    for (size_t i = 0; i < x.roads.n; i++) {
        region_road a = x.roads.v[i], c = p.roads.v[i];
        assert_string_equal(str(&x, a.name), str(&p, c.name));
        a.name = c.name = 0;
        assert_memory_equal(&a, &c, sizeof a);
    }
    assert_int_equal(rx.records, rp.records);
    assert_int_equal(rx.skipped, rp.skipped);
    assert_string_equal(rx.note, rp.note);
    region_builder_free(&x);
    region_builder_free(&p);
}

/* A second import appends: indices are offset by what was already there. */
static void test_roads_appends(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, fixture("osm/roads.osm"), NULL, NULL);
    import_ok(&b, fixture("osm/roads.osm.pbf"), NULL, NULL);
    assert_int_equal(b.roads.n, 100);
    assert_int_equal(b.road_nodes.n, 102);
    for (size_t i = 50; i < 100; i++) {
        assert_true(b.roads.v[i].from >= 51 && b.roads.v[i].to >= 51);
        assert_true(b.roads.v[i].from < 102 && b.roads.v[i].to < 102);
    }
    region_builder_free(&b);
}

/* ---- POIs ---- */

static void test_pois_nodes(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    import_ok(&b, fixture("osm/pois.osm"), NULL, &rep);
    assert_int_equal(b.roads.n, 0);
    assert_int_equal(pois_of_kind(&b, POI_SCHOOL), 8);    /* 7 nodes + 1 way */
    assert_int_equal(pois_of_kind(&b, POI_PRESCHOOL), 1); /* open way left out */
    assert_int_equal(pois_of_kind(&b, POI_HEALTH), 5);    /* 212 has two tags, one POI */
    assert_int_equal(pois_of_kind(&b, POI_GROCERY), 5);   /* 3 nodes, 227, way 302 */
    assert_int_equal(pois_of_kind(&b, POI_PHARMACY), 2);
    assert_int_equal(pois_of_kind(&b, POI_LIBRARY), 2);
    assert_int_equal(pois_of_kind(&b, POI_SPORTS), 5);    /* not pitch, not park */
    assert_int_equal(b.pois.n, 28);
    assert_int_equal(rep.records, 28);
    assert_int_equal(rep.skipped, 2);   /* open way 303, relation 401 */
    assert_non_null(strstr(rep.note, "1 POI ways not closed"));
    assert_non_null(strstr(rep.note, "1 multipolygon POIs"));

    const region_poi *p = poi_of(&b, 201, POI_SCHOOL);
    assert_non_null(p);
    assert_string_equal(str(&b, p->name), "Centralskolan");
    assert_string_equal(str(&b, p->subkind), "school");
    assert_int_equal(p->pos.lat_e7, 591000000);
    assert_int_equal(p->pos.lon_e7, 181000000);
    assert_int_equal(p->flags, 0);
    assert_int_equal(p->kommun_code, 0);   /* builder has no areas */
    assert_int_equal(p->level, SCHOOL_PRIMARY | SCHOOL_LOWER_SEC);          /* isced 1;2 */
    assert_int_equal(poi_of(&b, 202, POI_SCHOOL)->level, SCHOOL_LOWER_SEC); /* grades 7-9 */
    assert_int_equal(poi_of(&b, 203, POI_SCHOOL)->level, SCHOOL_PRIMARY);   /* grades F-6 */
    assert_int_equal(poi_of(&b, 204, POI_SCHOOL)->level, SCHOOL_UPPER_SEC); /* ...gymnasiet */
    assert_int_equal(poi_of(&b, 205, POI_SCHOOL)->level, 0);                /* untagged */
    assert_int_equal(poi_of(&b, 206, POI_SCHOOL)->level,
                     SCHOOL_PRIMARY | SCHOOL_LOWER_SEC | SCHOOL_UPPER_SEC); /* isced 1-3 */
    assert_int_equal(poi_of(&b, 228, POI_SCHOOL)->level, SCHOOL_LOWER_SEC); /* yläaste */
    assert_string_equal(str(&b, poi_of(&b, 207, POI_PRESCHOOL)->name), "Förskolan Solen");
    assert_string_equal(str(&b, poi_of(&b, 207, POI_PRESCHOOL)->subkind), "kindergarten");
    assert_string_equal(str(&b, poi_of(&b, 208, POI_HEALTH)->subkind), "doctors");
    assert_string_equal(str(&b, poi_of(&b, 209, POI_HEALTH)->subkind), "clinic");
    assert_string_equal(str(&b, poi_of(&b, 210, POI_HEALTH)->subkind), "centre");
    assert_string_equal(str(&b, poi_of(&b, 210, POI_HEALTH)->name), "Vårdcentralen Kärnan");
    assert_string_equal(str(&b, poi_of(&b, 211, POI_HEALTH)->subkind), "doctor");
    assert_string_equal(str(&b, poi_of(&b, 212, POI_HEALTH)->subkind), "doctors");
    assert_string_equal(str(&b, poi_of(&b, 213, POI_GROCERY)->subkind), "supermarket");
    assert_string_equal(str(&b, poi_of(&b, 214, POI_GROCERY)->subkind), "convenience");
    assert_string_equal(str(&b, poi_of(&b, 215, POI_GROCERY)->subkind), "grocery");
    assert_null(poi_of(&b, 216, POI_GROCERY));                              /* bakery */
    assert_string_equal(str(&b, poi_of(&b, 217, POI_PHARMACY)->subkind), "pharmacy");
    assert_non_null(poi_of(&b, 218, POI_PHARMACY));
    assert_string_equal(str(&b, poi_of(&b, 219, POI_LIBRARY)->subkind), "library");
    static const char *const sports[] = {"sports_centre", "stadium", "swimming_pool",
                                         "fitness_centre", "ice_rink"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(str(&b, poi_of(&b, 220 + i, POI_SPORTS)->subkind), sports[i]);
    assert_null(poi_of(&b, 225, POI_SPORTS));
    assert_null(poi_of(&b, 226, POI_SPORTS));
    assert_string_equal(str(&b, poi_of(&b, 227, POI_LIBRARY)->name), "Two in one");
    assert_string_equal(str(&b, poi_of(&b, 227, POI_GROCERY)->name), "Two in one");
    region_builder_free(&b);
}

static void test_pois_closed_ways(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, fixture("osm/pois.osm"), NULL, NULL);
    /* square with an extra vertex: area centroid is the square's centre */
    const region_poi *p = poi_of(&b, -301, POI_SCHOOL);
    assert_non_null(p);
    assert_int_equal(p->flags, POI_F_FROM_AREA);
    assert_string_equal(str(&b, p->name), "Areaskolan");
    assert_int_equal(p->level, SCHOOL_PRIMARY | SCHOOL_LOWER_SEC);   /* grades 0-9 */
    assert_in_range(p->pos.lat_e7, 591110000 - 2, 591110000 + 2);
    assert_in_range(p->pos.lon_e7, 181120000 - 2, 181120000 + 2);
    geo_point ring[5] = {pt(59.11, 18.11), pt(59.11, 18.114), pt(59.1105, 18.114),
                         pt(59.112, 18.114), pt(59.112, 18.11)};
    geo_point want = geo_ring_centroid(ring, 5);
    assert_int_equal(p->pos.lat_e7, want.lat_e7);
    assert_int_equal(p->pos.lon_e7, want.lon_e7);
    /* triangle: centroid = vertex mean */
    p = poi_of(&b, -302, POI_GROCERY);
    assert_non_null(p);
    assert_int_equal(p->flags, POI_F_FROM_AREA);
    assert_in_range(p->pos.lat_e7, 591210000 - 2, 591210000 + 2);
    assert_in_range(p->pos.lon_e7, 181210000 - 2, 181210000 + 2);
    assert_null(poi_of(&b, -303, POI_PRESCHOOL));   /* not closed */
    assert_null(poi_of(&b, -304, POI_SCHOOL));      /* building only */
    assert_null(poi_of(&b, 401, POI_SCHOOL));       /* relation */
    assert_null(poi_of(&b, -401, POI_SCHOOL));
    region_builder_free(&b);
}

/* ---- clip ---- */

static void test_clip_mask(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    add_square_area(&b, 2580, 59.0, 18.0, 59.05, 18.1);
    clip_mask m;
    fk_err e;
    err_clear(&e);
    assert_int_equal(clip_mask_build(&m, &b, 200, 0, &e), 0);
    assert_true(m.rows > 0 && m.cols > 0 && m.n_marked > 0);
    assert_true(clip_mask_contains(&m, pt(59.025, 18.05)));    /* centre */
    assert_true(clip_mask_contains(&m, pt(59.0001, 18.0001))); /* corner */
    assert_true(clip_mask_contains(&m, pt(59.0515, 18.05)));   /* 167 m north */
    assert_true(clip_mask_contains(&m, pt(59.025, 17.9968)));  /* ~184 m west */
    assert_false(clip_mask_contains(&m, pt(59.06, 18.05)));    /* 1.1 km north */
    assert_false(clip_mask_contains(&m, pt(58.99, 18.05)));    /* 1.1 km south */
    assert_false(clip_mask_contains(&m, pt(59.025, 18.12)));   /* 1.1 km east */
    assert_false(clip_mask_contains(&m, pt(10.0, 10.0)));
    /* marked cells cover about the grown square: (5.56+0.4) x (5.73+0.4) km
     * in 250 m cells is ~590 cells; allow the conservative rim */
    assert_in_range(m.n_marked, 560, 800);
    clip_mask_free(&m);

    /* a hole (second ring inside the first) is not marked far from its edge */
    region_builder h;
    region_builder_init(&h, "h");
    add_square_area(&h, 2581, 59.0, 18.0, 59.1, 18.2);
    geo_point hole[4] = {pt(59.03, 18.05), pt(59.03, 18.15), pt(59.07, 18.15), pt(59.07, 18.05)};
    region_ring rg = {(uint32_t)h.ring_points.n, 4, RING_HOLE, {0}};
    for (int i = 0; i < 4; i++) assert_int_equal(vec_push(h.ring_points, hole[i]), 0);
    assert_int_equal(vec_push(h.rings, rg), 0);
    h.areas.v[0].n_rings = 2;
    assert_int_equal(clip_mask_build(&m, &h, 100, 0, &e), 0);
    assert_false(clip_mask_contains(&m, pt(59.05, 18.10)));    /* middle of the hole */
    assert_true(clip_mask_contains(&m, pt(59.015, 18.10)));    /* between hole and edge */
    clip_mask_free(&m);
    region_builder_free(&h);

    /* no areas: a clear error */
    region_builder n;
    region_builder_init(&n, "n");
    assert_int_equal(clip_mask_build(&m, &n, 100, 0, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "kommun"));
    clip_mask_free(&m);
    assert_int_equal(clip_mask_build(&m, &b, -5, 0, &e), FK_EINVAL);
    clip_mask_free(&m);
    region_builder_free(&n);
    region_builder_free(&b);
}

static void test_clip_import(void **state)
{
    (void)state;
    /* without clipping: everything */
    region_builder all;
    region_builder_init(&all, "all");
    import_ok(&all, fixture("osm/clip.osm"), NULL, NULL);
    assert_int_equal(all.roads.n, 6);
    assert_int_equal(all.pois.n, 5);
    region_builder_free(&all);

    region_builder b;
    region_builder_init(&b, "t");
    add_square_area(&b, 2580, 59.0, 18.0, 59.05, 18.1);
    ingest_osm_opts o = {1, 200, 0};
    ingest_report rep;
    import_ok(&b, fixture("osm/clip.osm"), &o, &rep);
    /* kept: 1-2, 2-3 of "In and out", 3-5 "To the edge" */
    assert_int_equal(b.roads.n, 3);
    assert_int_equal(roads_named(&b, "In and out"), 2);
    assert_int_equal(roads_named(&b, "To the edge"), 1);
    assert_int_equal(roads_named(&b, "Far away"), 0);
    assert_int_equal(roads_named(&b, "Beyond the edge"), 0);
    assert_int_equal(b.road_nodes.n, 4);   /* nodes 1, 2, 3, 5 */
    assert_int_equal(b.pois.n, 2);
    const region_poi *p = poi_of(&b, 1, POI_SCHOOL);
    assert_non_null(p);
    assert_int_equal(p->kommun_code, 2580);
    p = poi_of(&b, 5, POI_GROCERY);        /* in the margin, outside the kommun */
    assert_non_null(p);
    assert_int_equal(p->kommun_code, 0);
    assert_null(poi_of(&b, 6, POI_PHARMACY));
    assert_null(poi_of(&b, 8, POI_LIBRARY));
    assert_null(poi_of(&b, -5, POI_SCHOOL));
    printf("  note: %s\n", rep.note);
    /* clipped: nodes 4, 6, 7, 8, 9, 10, 11; way 2; POIs 6, 8, way 5 */
    assert_non_null(strstr(rep.note, "clipped: 7 nodes, 1 ways, 3 POIs"));
    assert_int_equal(rep.records, 5);
    region_builder_free(&b);

    /* clip requested without kommun areas */
    region_builder n;
    region_builder_init(&n, "n");
    fk_err e;
    err_clear(&e);
    assert_int_equal(ingest_osm(&n, fixture("osm/clip.osm"), &o, NULL, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "clip.osm"));
    assert_non_null(strstr(e.msg, "kommun"));
    region_builder_free(&n);
}

/* ---- errors ---- */

static void test_errors_files(void **state)
{
    (void)state;
    import_fails("nope.osm", FK_EIO, "nope.osm", "No such file");
    import_fails("roads.xml", FK_EINVAL, "roads.xml", ".osm");
    import_fails("extract.osm.gz", FK_EINVAL, "extract.osm.gz", "compressed");
    import_fails("extract.o5m", FK_EINVAL, "extract.o5m", "osmium cat");
    assert_int_equal(mkdir("dir.osm", 0700), 0);
    import_fails("dir.osm", FK_EIO, "dir.osm", "directory");
}

static void test_errors_xml(void **state)
{
    (void)state;
    write_file("bad.osm", "<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n"
                          "  <node id=\"1\" lat=\"59\" lon=\"18\"><tag k=\"a\" v=\"b\"></node>\n"
                          "</osm>\n");
    import_fails("bad.osm", FK_EPARSE, "bad.osm", "malformed");
    copy_prefix(fixture("osm/roads.osm"), "cut.osm", 3000);
    import_fails("cut.osm", FK_EPARSE, "cut.osm", "truncated");
    write_file("empty.osm", "");
    import_fails("empty.osm", FK_EPARSE, "empty.osm", "XML");
    /* a way before a node: unsorted file */
    write_file("unsorted.osm",
               "<osm version=\"0.6\">\n"
               " <node id=\"1\" lat=\"59\" lon=\"18\"/>\n"
               " <node id=\"2\" lat=\"59\" lon=\"18.001\"/>\n"
               " <way id=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"path\"/></way>\n"
               " <node id=\"3\" lat=\"59\" lon=\"18.002\"/>\n"
               "</osm>\n");
    import_fails("unsorted.osm", FK_EPARSE, "unsorted.osm", "osmium sort");
    /* every way refers to nodes the file does not have */
    write_file("orphans.osm",
               "<osm version=\"0.6\">\n"
               " <node id=\"1\" lat=\"59\" lon=\"18\"/>\n"
               " <way id=\"1\"><nd ref=\"8\"/><nd ref=\"9\"/><tag k=\"highway\" v=\"path\"/></way>\n"
               "</osm>\n");
    import_fails("orphans.osm", FK_EPARSE, "orphans.osm", "no node data");
    write_file("waysonly.osm",
               "<osm version=\"0.6\">\n"
               " <way id=\"1\"><nd ref=\"8\"/><nd ref=\"9\"/><tag k=\"highway\" v=\"path\"/></way>\n"
               "</osm>\n");
    import_fails("waysonly.osm", FK_EPARSE, "waysonly.osm", "no node data");
}

/* What the XML pre-check refuses before readosm (which would crash on a
 * <tag> without k/v or a <member> without role), with file and line. */
static void test_errors_xml_precheck(void **state)
{
    (void)state;
    write_file("notag.osm",
               "<osm version=\"0.6\">\n"
               " <node id=\"1\" lat=\"59\" lon=\"18\">\n"
               "  <tag k=\"amenity\"/>\n"
               " </node>\n"
               "</osm>\n");
    import_fails("notag.osm", FK_EPARSE, "notag.osm:3:", "without a v attribute");
    write_file("nok.osm",
               "<osm version=\"0.6\">\n"
               " <way id=\"1\"><nd ref=\"1\"/><tag v=\"x\"></tag></way>\n"
               "</osm>\n");
    import_fails("nok.osm", FK_EPARSE, "nok.osm:2:", "without a k attribute");
    /* found by fuzz_osm: the scanner must forget the quote of the last
     * attribute value when a closing tag follows (else it skipped on) */
    write_file("after.osm",
               "<osm>\n"
               "<node id=\"1\" lat=\"59\" lon=\"18\"><tag k=\"a\" v=\"b\"/></node>\n"
               "<node id=\"8\" lat=\"59.5\" lon=\"18.5\"><tag k=\"amenity\"></tag></node>\n"
               "</osm>\n");
    import_fails("after.osm", FK_EPARSE, "after.osm:3:", "without a v attribute");
    write_file("norole.osm",
               "<osm version=\"0.6\">\n"
               " <relation id=\"1\">\n"
               "  <member type=\"way\"\n"
               "    ref=\"1\"/>\n"
               " </relation>\n"
               "</osm>\n");
    import_fails("norole.osm", FK_EPARSE, "norole.osm:3:", "role");
    write_file("doctype.osm",
               "<?xml version=\"1.0\"?>\n"
               "<!DOCTYPE osm [<!ENTITY t \"<tag k='a'/>\">]>\n"
               "<osm version=\"0.6\"><node id=\"1\" lat=\"59\" lon=\"18\">&t;</node></osm>\n");
    import_fails("doctype.osm", FK_EPARSE, "doctype.osm:2:", "DOCTYPE");
    FILE *f = fopen("nul.osm", "wb");
    assert_non_null(f);
    fwrite("<osm>\n<\0n\0", 1, 10, f);
    fclose(f);
    import_fails("nul.osm", FK_EPARSE, "nul.osm:2:", "NUL");

    /* markup-like text in comments, CDATA, PIs and attribute values is
     * not mistaken for elements */
    write_file("tricky.osm",
               "<?xml version='1.0' encoding='UTF-8'?>\n"
               "<?stylesheet <tag k=\"x\"/> ?>\n"
               "<osm version=\"0.6\">\n"
               " <!-- <tag k=\"only-k\"/> <member/> -->\n"
               " <node id=\"1\" lat=\"59\" lon=\"18\"><![CDATA[<tag k=\"x\">]]></node>\n"
               " <node id='2' lat='59' lon='18.001'/>\n"
               " <way id=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/>\n"
               "  <tag k = \"highway\" v = 'path'/><tag k=\"name\" v=\"a&gt;b > c\"/></way>\n"
               " <relation id=\"1\"><member type=\"way\" ref=\"1\" role=\"\"/></relation>\n"
               "</osm>\n");
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, "tricky.osm", NULL, NULL);
    assert_int_equal(b.roads.n, 1);
    assert_non_null(road_named(&b, "a>b > c"));
    region_builder_free(&b);
}

static void test_errors_pbf(void **state)
{
    (void)state;
    import_fails(fixture("osm/roads-lz4.osm.pbf"), FK_EPARSE, "roads-lz4.osm.pbf", "lz4");
    import_fails(fixture("osm/roads-nodense.osm.pbf"), FK_EPARSE, "roads-nodense.osm.pbf",
                 "DenseNodes");
    import_fails(fixture("osm/unsorted.osm.pbf"), FK_EPARSE, "unsorted.osm.pbf",
                 "osmium sort");
    copy_prefix(fixture("osm/roads.osm.pbf"), "cut.osm.pbf", 1000);
    import_fails("cut.osm.pbf", FK_EPARSE, "cut.osm.pbf", "truncated");
    copy_prefix(fixture("osm/roads.osm.pbf"), "cut2.osm.pbf", 2);
    import_fails("cut2.osm.pbf", FK_EPARSE, "cut2.osm.pbf", "truncated");
    write_file("text.osm.pbf", "this is not a protocol buffer at all\n");
    import_fails("text.osm.pbf", FK_EPARSE, "text.osm.pbf", "not an OSM PBF");
    copy_prefix(fixture("osm/roads.osm"), "xml.pbf", -1);
    import_fails("xml.pbf", FK_EPARSE, "xml.pbf", "not an OSM PBF");
}

/* A failed import leaves the builder exactly as it was. */
static void test_errors_rollback(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, fixture("osm/pois.osm"), NULL, NULL);
    import_ok(&b, fixture("osm/clip.osm"), NULL, NULL);
    size_t n_pois = b.pois.n, n_roads = b.roads.n, n_nodes = b.road_nodes.n;
    /* POIs and roads are added before the error is found */
    write_file("late.osm",
               "<osm version=\"0.6\">\n"
               " <node id=\"1\" lat=\"59\" lon=\"18\"><tag k=\"amenity\" v=\"school\"/></node>\n"
               " <node id=\"2\" lat=\"59\" lon=\"18.001\"/>\n"
               " <way id=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"path\"/></way>\n"
               " <node id=\"3\" lat=\"59\" lon=\"18.002\"/>\n"
               "</osm>\n");
    copy_prefix(fixture("osm/roads.osm"), "cut.osm", 11000);
    const char *bad[] = {"late.osm", "cut.osm"};
    for (int i = 0; i < 2; i++) {
        fk_err e;
        err_clear(&e);
        ingest_report rep;
        assert_int_equal(ingest_osm(&b, bad[i], NULL, &rep, &e), FK_EPARSE);
        assert_non_null(strstr(e.msg, bad[i]));
        assert_int_equal(b.pois.n, n_pois);
        assert_int_equal(b.roads.n, n_roads);
        assert_int_equal(b.road_nodes.n, n_nodes);
    }
    region_builder_free(&b);
}

/* Nodes out of id order (but before the ways) are sorted, not refused. */
static void test_unsorted_nodes(void **state)
{
    (void)state;
    write_file("shuffled.osm",
               "<osm version=\"0.6\">\n"
               " <node id=\"30\" lat=\"59\" lon=\"18.002\"/>\n"
               " <node id=\"10\" lat=\"59\" lon=\"18\"/>\n"
               " <node id=\"20\" lat=\"59\" lon=\"18.001\"/>\n"
               " <way id=\"1\"><nd ref=\"10\"/><nd ref=\"20\"/><nd ref=\"30\"/>"
               "<tag k=\"highway\" v=\"path\"/></way>\n"
               "</osm>\n");
    region_builder b;
    region_builder_init(&b, "t");
    import_ok(&b, "shuffled.osm", NULL, NULL);
    assert_int_equal(b.roads.n, 2);
    assert_int_equal(b.road_nodes.n, 3);
    assert_int_equal(b.road_nodes.v[b.roads.v[0].from].lon_e7, 180000000);
    assert_int_equal(b.road_nodes.v[b.roads.v[0].to].lon_e7, 180010000);
    assert_int_equal(b.road_nodes.v[b.roads.v[1].to].lon_e7, 180020000);
    region_builder_free(&b);
}

/* ---- progress ---- */

typedef struct prog_log {
    uint64_t nodes_done, ways_done;
    int n_done_events;
} prog_log;

static void prog_cb(void *ud, const progress_event *ev)
{
    prog_log *l = ud;
    if (!ev->done) return;
    l->n_done_events++;
    if (!strcmp(ev->stage, "osm nodes")) l->nodes_done = ev->count;
    if (!strcmp(ev->stage, "osm ways")) l->ways_done = ev->count;
}

static void test_progress(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    prog_log log = {0, 0, 0};
    progress p;
    memset(&p, 0, sizeof p);
    p.fn = prog_cb;
    p.ud = &log;
    b.progress = &p;
    import_ok(&b, fixture("osm/roads.osm"), NULL, NULL);
    assert_int_equal(log.nodes_done, 44 + 11 + 1);   /* `grep -c '<node' roads.osm` */
    assert_int_equal(log.ways_done, 49);             /* `grep -c '<way' roads.osm` */
    assert_int_equal(log.n_done_events, 2);
    region_builder_free(&b);
}

/* ---- the real extracts ---- */

/* Invariants on any import: indices in range, no self-loops, lengths
 * within 0.5% (or 1 dm) of geo_dist_m, coordinates inside box. */
static void check_invariants(const region_builder *b, geo_bbox box)
{
    for (size_t i = 0; i < b->roads.n; i++) {
        const region_road *r = &b->roads.v[i];
        assert_true(r->from < b->road_nodes.n);
        assert_true(r->to < b->road_nodes.n);
        assert_int_not_equal(r->from, r->to);
        assert_true(r->highway > HW_NONE && r->highway < HW_COUNT);
        double dm = geo_dist_m(b->road_nodes.v[r->from], b->road_nodes.v[r->to]) * 10;
        assert_true(fabs(r->length_dm - dm) <= fmax(0.005 * dm, 1.0));
    }
    for (size_t i = 0; i < b->road_nodes.n; i++)
        assert_true(geo_bbox_contains(&box, b->road_nodes.v[i]));
    for (size_t i = 0; i < b->pois.n; i++) {
        assert_true(geo_bbox_contains(&box, b->pois.v[i].pos));
        assert_true(b->pois.v[i].kind < POI_KIND_COUNT);
        assert_int_equal(!!(b->pois.v[i].flags & POI_F_FROM_AREA), b->pois.v[i].source_id < 0);
    }
}

static geo_bbox box_deg(double min_lon, double min_lat, double max_lon, double max_lat)
{
    geo_bbox g = {(int32_t)lround(min_lat * GEO_E7), (int32_t)lround(min_lon * GEO_E7),
                  (int32_t)lround(max_lat * GEO_E7), (int32_t)lround(max_lon * GEO_E7)};
    return g;
}

/*
 * Expected numbers, cross-checked independently of this code with
 * osmium-tool 1.15 on the same files:
 *   - POIs per kind: `osmium tags-filter -R FILE nw/amenity=school -o k.osm.pbf`
 *     (and likewise nw/amenity=kindergarten; nw/amenity=doctors,clinic
 *     nw/healthcare=centre,doctor; nw/shop=supermarket,convenience,grocery;
 *     nw/amenity=pharmacy nw/healthcare=pharmacy; nw/amenity=library;
 *     nw/leisure=sports_centre,stadium,swimming_pool,fitness_centre,ice_rink)
 *     then `osmium fileinfo -e k.osm.pbf`: nodes + ways. Every POI way in
 *     both files is closed.
 *   - road segments: `osmium tags-filter FILE w/highway=motorway,...,bridleway
 *     w/route=ferry -o r.osm.pbf` keeps 5144 ways (Copenhagen) / 2425
 *     (Helsinki); `osmium cat -f opl r.osm.pbf` has 21294 / 8609 consecutive
 *     node pairs; an awk script over `osmium cat -f opl FILE` counting pairs
 *     whose two nodes are both in the file gives 20011 / 7688 segments (the
 *     other 1283 / 921 touch nodes cut off by the extract) and 16487 / 6333
 *     distinct endpoint nodes (osmium's r.osm.pbf holds 16493 / 6339 nodes:
 *     6 nodes in each file belong only to segments whose other end is
 *     missing).
 *   - bbox: `osmium fileinfo FILE`, header bounding box.
 */
static void test_real_copenhagen(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "osm/copenhagen-kbh.osm.pbf");
    region_builder b;
    region_builder_init(&b, "kbh");
    ingest_report rep;
    double t0 = progress_now();
    import_ok(&b, path, NULL, &rep);
    printf("  copenhagen: %.3f s, %s\n", progress_now() - t0, rep.note);
    assert_int_equal(b.roads.n, 20011);
    assert_int_equal(b.road_nodes.n, 16487);
    assert_int_equal(pois_of_kind(&b, POI_SCHOOL), 60);      /* 25 nodes + 35 ways */
    assert_int_equal(pois_of_kind(&b, POI_PRESCHOOL), 9);    /* 5 + 4 */
    assert_int_equal(pois_of_kind(&b, POI_HEALTH), 0);
    assert_int_equal(pois_of_kind(&b, POI_GROCERY), 223);    /* 217 + 6 */
    assert_int_equal(pois_of_kind(&b, POI_PHARMACY), 10);    /* 10 + 0 */
    assert_int_equal(pois_of_kind(&b, POI_LIBRARY), 19);     /* 13 + 6 */
    assert_int_equal(pois_of_kind(&b, POI_SPORTS), 16);      /* 6 + 10 */
    assert_int_equal(rep.records, 20011 + 337);
    assert_non_null(strstr(rep.note, "1283 segments with a node missing"));
    check_invariants(&b, box_deg(12.5221999, 55.6375999, 12.624, 55.6972));
    region_builder_free(&b);
}

static void test_real_helsinki(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "osm/helsinki-centre.osm.pbf");
    region_builder b;
    region_builder_init(&b, "hki");
    ingest_report rep;
    double t0 = progress_now();
    import_ok(&b, path, NULL, &rep);
    printf("  helsinki: %.3f s, %s\n", progress_now() - t0, rep.note);
    assert_int_equal(b.roads.n, 7688);
    assert_int_equal(b.road_nodes.n, 6333);
    assert_int_equal(pois_of_kind(&b, POI_SCHOOL), 3);       /* 0 nodes + 3 ways */
    assert_int_equal(pois_of_kind(&b, POI_PRESCHOOL), 0);
    assert_int_equal(pois_of_kind(&b, POI_HEALTH), 6);       /* 6 + 0 */
    assert_int_equal(pois_of_kind(&b, POI_GROCERY), 16);     /* 16 + 0 */
    assert_int_equal(pois_of_kind(&b, POI_PHARMACY), 6);     /* 6 + 0 */
    assert_int_equal(pois_of_kind(&b, POI_LIBRARY), 7);      /* 5 + 2 */
    assert_int_equal(pois_of_kind(&b, POI_SPORTS), 8);       /* 8 + 0 */
    assert_non_null(strstr(rep.note, "921 segments with a node missing"));
    /* Kruununhaan yläasteen koulu (way 446178816): lower secondary by name */
    const region_poi *p = poi_of(&b, -446178816, POI_SCHOOL);
    assert_non_null(p);
    assert_int_equal(p->level, SCHOOL_LOWER_SEC);
    check_invariants(&b, box_deg(24.9351762, 60.164155, 24.9534145, 60.179113));
    region_builder_free(&b);
}

/* Clipping the Copenhagen extract to a square keeps every segment that
 * lies inside it and nothing far outside it. */
static void test_real_clip(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "osm/copenhagen-kbh.osm.pbf");
    region_builder all, b;
    region_builder_init(&all, "all");
    region_builder_init(&b, "clip");
    import_ok(&all, path, NULL, NULL);
    add_square_area(&b, 101, 55.65, 12.53, 55.68, 12.57);
    ingest_osm_opts o = {1, 300, 0};
    ingest_report rep;
    import_ok(&b, path, &o, &rep);
    printf("  clipped: %s\n", rep.note);
    assert_true(b.roads.n > 1000 && b.roads.n < all.roads.n);
    geo_bbox sq = box_deg(12.53, 55.65, 12.57, 55.68);
    geo_bbox near = geo_bbox_expand(sq, 300 + 400);
    check_invariants(&b, near);
    size_t in_all = 0, in_clip = 0;
    for (size_t i = 0; i < all.roads.n; i++)
        in_all += geo_bbox_contains(&sq, all.road_nodes.v[all.roads.v[i].from]) &&
                  geo_bbox_contains(&sq, all.road_nodes.v[all.roads.v[i].to]);
    for (size_t i = 0; i < b.roads.n; i++)
        in_clip += geo_bbox_contains(&sq, b.road_nodes.v[b.roads.v[i].from]) &&
                   geo_bbox_contains(&sq, b.road_nodes.v[b.roads.v[i].to]);
    assert_int_equal(in_clip, in_all);
    size_t pin_all = 0, pin_clip = 0;
    for (size_t i = 0; i < all.pois.n; i++) pin_all += geo_bbox_contains(&sq, all.pois.v[i].pos);
    for (size_t i = 0; i < b.pois.n; i++) {
        pin_clip += geo_bbox_contains(&sq, b.pois.v[i].pos);
        int inside = geo_bbox_contains(&sq, b.pois.v[i].pos);
        assert_int_equal(b.pois.v[i].kommun_code, inside ? 101 : 0);
    }
    assert_int_equal(pin_clip, pin_all);
    region_builder_free(&all);
    region_builder_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roads_counts),
        cmocka_unit_test(test_roads_oneway),
        cmocka_unit_test(test_roads_access),
        cmocka_unit_test(test_roads_maxspeed),
        cmocka_unit_test(test_roads_classes_and_flags),
        cmocka_unit_test(test_roads_geometry),
        cmocka_unit_test(test_roads_pbf_equals_xml),
        cmocka_unit_test(test_roads_appends),
        cmocka_unit_test(test_pois_nodes),
        cmocka_unit_test(test_pois_closed_ways),
        cmocka_unit_test(test_clip_mask),
        cmocka_unit_test(test_clip_import),
        cmocka_unit_test(test_errors_files),
        cmocka_unit_test(test_errors_xml),
        cmocka_unit_test(test_errors_xml_precheck),
        cmocka_unit_test(test_errors_pbf),
        cmocka_unit_test(test_errors_rollback),
        cmocka_unit_test(test_unsorted_nodes),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_real_copenhagen),
        cmocka_unit_test(test_real_helsinki),
        cmocka_unit_test(test_real_clip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
