/*
 * test_registers.c: the register importers (ingest/registers.c): homes,
 * places and statistics CSV on hand-made fixtures (tests/fixtures/
 * registers/), every field of a record, one test per error kind with the
 * exact code and the message parts (file, line, field, value, expected),
 * Swedish number formats, missing values, duplicates and rollback.
 */
#include "testutil.h"

#include <math.h>

#include "../../ingest/areas.h"
#include "../../ingest/registers.h"

static const char *bstr(const region_builder *b, uint32_t off)
{
    return off < b->strings.len ? b->strings.data + off : "";
}

typedef int (*importer)(region_builder *, const char *, ingest_report *, fk_err *);

/* Writes text to name and imports it with fn into a builder that already
 * holds the fixture kommuner, one home, one place and one stat; checks that
 * a failure leaves every array as it was. Returns the importer's status. */
static int try_import(importer fn, const char *name, const char *text, fk_err *e)
{
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e0 = {0};
    assert_int_equal(ingest_kommuner_geojson(&b, fixture("areas/kommuner.geojson"), NULL,
                                             &rep, &e0), 0);
    write_file("pre_homes.csv", "id,lat,lon,type,price_sek\nP1,61.8,10.2,villa,1\n");
    write_file("pre_places.csv", "id,kind,name,lat,lon\nP1,school,S,61.8,10.2\n");
    write_file("pre_stats.csv", "area_code,indicator,year,value\n9901,pop,2020,5\n");
    assert_int_equal(ingest_homes_csv(&b, "pre_homes.csv", &rep, &e0), 0);
    assert_int_equal(ingest_places_csv(&b, "pre_places.csv", &rep, &e0), 0);
    assert_int_equal(ingest_stats_csv(&b, "pre_stats.csv", &rep, &e0), 0);
    region_builder_mark before = {{0}};
    region_builder_mark_get(&b, &before);
    write_file(name, text);
    err_clear(e);
    int rc = fn(&b, name, &rep, e);
    if (rc) {
        region_builder_mark after = {{0}};
        region_builder_mark_get(&b, &after);
        assert_memory_equal(before.n, after.n, sizeof before.n);
        assert_int_equal(rep.records, 0);
    }
    region_builder_free(&b);
    return rc;
}

/* ---------------- homes ---------------- */

static void test_homes_valid(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    assert_int_equal(ingest_kommuner_geojson(&b, fixture("areas/kommuner.geojson"), NULL,
                                             &rep, &e), 0);
    int rc = ingest_homes_csv(&b, fixture("registers/homes.csv"), &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.homes.n, 4);
    assert_int_equal(rep.records, 4);
    assert_int_equal(rep.skipped, 0);

    const region_home *h = &b.homes.v[0];   /* BOM, every column, unknown column */
    assert_string_equal(bstr(&b, h->source_id), "H1");
    assert_int_equal(h->pos.lat_e7, 655848000);
    assert_int_equal(h->pos.lon_e7, 221547000);
    assert_int_equal(h->type, HOME_HOUSE);
    assert_int_equal(h->tenure, TENURE_OWNED);
    assert_int_equal(h->price_sek, 2950000);         /* "2 950 000" */
    assert_int_equal(h->living_m2, 142);
    assert_int_equal(h->rooms_x10, 55);              /* "5,5" */
    assert_int_equal(h->plot_m2, 1200);
    assert_int_equal(h->fee_sek_month, 3500);
    assert_int_equal(h->built_year, 1978);
    assert_string_equal(bstr(&b, h->address), "Storgatan 1, Luleå");
    assert_int_equal(h->kommun_code, 2580);
    assert_string_equal(bstr(&b, h->url), "https://example.org/h1");
    assert_int_equal(h->flags, 0);

    h = &b.homes.v[1];                     /* rental apartment, Swedish words */
    assert_string_equal(bstr(&b, h->source_id), "H2");
    assert_int_equal(h->type, HOME_APARTMENT);
    assert_int_equal(h->tenure, TENURE_RENTAL);
    assert_int_equal(h->price_sek, 8500);
    assert_int_equal(h->living_m2, 61);
    assert_int_equal(h->rooms_x10, 25);
    assert_int_equal(h->plot_m2, 0);
    assert_int_equal(h->fee_sek_month, 0);
    assert_int_equal(h->built_year, 1965);
    assert_string_equal(bstr(&b, h->address), "Smedjegatan 3");
    assert_string_equal(bstr(&b, h->url), "");

    h = &b.homes.v[2];                     /* "Bostadsrätt": apartment, coop */
    assert_int_equal(h->type, HOME_APARTMENT);
    assert_int_equal(h->tenure, TENURE_COOP);
    assert_int_equal(h->fee_sek_month, 4210);
    assert_int_equal(h->rooms_x10, 30);

    h = &b.homes.v[3];                     /* no kommun_code: from the point */
    assert_int_equal(h->type, HOME_TERRACED);
    assert_int_equal(h->tenure, TENURE_OWNED);
    assert_int_equal(h->kommun_code, 9901);
    assert_int_equal(h->built_year, 0);
    assert_int_equal(h->living_m2, 98);
    region_builder_free(&b);
}

static void test_homes_default_tenure(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    write_file("h.csv", "ID,Lat,Lon,Type,Price_SEK\n"
                        "a,60,20,apartment,100\nb,60,20,HOUSE,100\nc,60,20,Lägenhet,1\n"
                        "d,60,20,GÅRD,1\ne,60,20,fritidshus,1\nf,60,20,Tomt,1\n");
    int rc = ingest_homes_csv(&b, "h.csv", &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.homes.n, 6);
    assert_int_equal(b.homes.v[0].tenure, TENURE_COOP);
    assert_int_equal(b.homes.v[1].tenure, TENURE_OWNED);
    assert_int_equal(b.homes.v[2].type, HOME_APARTMENT);
    assert_int_equal(b.homes.v[3].type, HOME_FARM);
    assert_int_equal(b.homes.v[4].type, HOME_HOLIDAY);
    assert_int_equal(b.homes.v[5].type, HOME_PLOT);
    assert_int_equal(b.homes.v[0].kommun_code, 0);   /* no areas, no column */
    region_builder_free(&b);
}

static void test_homes_kommun_near(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    assert_int_equal(ingest_kommuner_geojson(&b, fixture("areas/kommuner.geojson"), NULL,
                                             &rep, &e), 0);
    /* a: 2.8 km west of 9901's outer edge -> 9901 (nearest boundary);
     * b: in 9901's hole, 27 km from any edge -> 0; c: far away -> 0;
     * d: an explicit kommun_code wins over the point */
    write_file("h.csv", "id,lat,lon,type,price_sek,kommun_code\n"
                        "a,60.5,9.95,villa,1,\nb,61.0,11.0,villa,1,\n"
                        "c,50.0,5.0,villa,1,\nd,61.8,10.2,villa,1,2580\n");
    int rc = ingest_homes_csv(&b, "h.csv", &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.homes.n, 4);
    assert_int_equal(b.homes.v[0].kommun_code, 9901);
    assert_int_equal(b.homes.v[1].kommun_code, 0);
    assert_int_equal(b.homes.v[2].kommun_code, 0);
    assert_int_equal(b.homes.v[3].kommun_code, 2580);
    region_builder_free(&b);
}

static void test_homes_missing_column(void **state)
{
    (void)state;
    fk_err e;
    int rc = try_import(ingest_homes_csv, "homes.csv", "id,lat,lon,type\nX,60,20,villa\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:1", "missing required column \"price_sek\"",
               "required columns: id, lat, lon, type, price_sek");
}

static void test_homes_bad_type(void **state)
{
    (void)state;
    fk_err e;
    int rc = try_import(ingest_homes_csv, "homes.csv",
                        "id,lat,lon,type,price_sek\nA,60,20,villa,1\nB,60,20,slott,1\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:3", "field type", "\"slott\"",
               "house, terraced, apartment", "villa");
    rc = try_import(ingest_homes_csv, "homes.csv",
                    "id,lat,lon,type,price_sek\nB,60,20,,1\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field type", "empty");
}

static void test_homes_bad_tenure(void **state)
{
    (void)state;
    fk_err e;
    int rc = try_import(ingest_homes_csv, "homes.csv",
                        "id,lat,lon,type,price_sek,tenure\nB,60,20,villa,1,leasing\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field tenure", "\"leasing\"",
               "owned, coop, rental");
}

static void test_homes_ranges(void **state)
{
    (void)state;
    fk_err e;
    const char *H = "id,lat,lon,type,price_sek,living_m2,rooms,built_year\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%sA,60,20,villa,2000000001,,,\n", H);
    int rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field price_sek", "\"2000000001\"",
               "0..2000000000");
    snprintf(buf, sizeof buf, "%sA,60,20,villa,-5,,,\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field price_sek", "\"-5\"");
    snprintf(buf, sizeof buf, "%sA,60,20,villa,,,,\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field price_sek", "empty");
    snprintf(buf, sizeof buf, "%sA,60,20,villa,1,2500,,\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field living_m2", "\"2500\"", "1..2000");
    snprintf(buf, sizeof buf, "%sA,60,20,villa,1,,0.4,\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field rooms", "\"0.4\"", "0.5..50");
    snprintf(buf, sizeof buf, "%sA,60,20,villa,1,,tre,\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field rooms", "\"tre\"");
    snprintf(buf, sizeof buf, "%sA,60,20,villa,1,,,1599\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field built_year", "\"1599\"",
               "1600..2100");
    snprintf(buf, sizeof buf, "%sA,60,20,villa,1,,,1978.5\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field built_year", "whole number");
    snprintf(buf, sizeof buf, "%sA,91,20,villa,1,,,\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field lat", "\"91\"", "-90..90");
    snprintf(buf, sizeof buf, "%sA,60,east,villa,1,,,\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field lon", "\"east\"");
    /* thousands groups must have three digits */
    snprintf(buf, sizeof buf, "%sA,60,20,villa,1 95 000,,,\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field price_sek", "\"1 95 000\"");
    snprintf(buf, sizeof buf, "%sA,60,20,villa,1,,,\nB,60,20,villa,1,,,\n"
             "C,60,20,villa,1,,,\nD,60,20,villa,1,,,nu\n", H);
    rc = try_import(ingest_homes_csv, "homes.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:5", "field built_year", "\"nu\"");
}

static void test_homes_bad_kommun_code(void **state)
{
    (void)state;
    fk_err e;
    int rc = try_import(ingest_homes_csv, "homes.csv",
                        "id,lat,lon,type,price_sek,kommun_code\nA,60,20,villa,1,25801\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field kommun_code", "\"25801\"",
               "1..9999");
}

static void test_homes_duplicate_id(void **state)
{
    (void)state;
    fk_err e;
    int rc = try_import(ingest_homes_csv, "homes.csv",
                        "id,lat,lon,type,price_sek\nA,60,20,villa,1\nB,60,20,villa,1\n"
                        "A,60,20,villa,2\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:4", "field id", "duplicate", "\"A\"",
               "line 4 and line 2");
    rc = try_import(ingest_homes_csv, "homes.csv",
                    "id,lat,lon,type,price_sek\n,60,20,villa,1\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:2", "field id", "empty");
}

static void test_homes_malformed_csv(void **state)
{
    (void)state;
    fk_err e;
    int rc = try_import(ingest_homes_csv, "homes.csv",
                        "id,lat,lon,type,price_sek\nA,60,20,villa,1\nB,60,20,\"villa,1\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv:3", "unclosed quote");
    rc = try_import(ingest_homes_csv, "homes.csv", "", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "homes.csv", "empty file");
    region_builder b;
    region_builder_init(&b, "t");
    rc = ingest_homes_csv(&b, "no_such_file.csv", NULL, &e);
    EXPECT_ERR(rc, FK_EIO, &e, "no_such_file.csv", "cannot open");
    region_builder_free(&b);
}

/* ---------------- places ---------------- */

static void test_places_valid(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    assert_int_equal(ingest_kommuner_geojson(&b, fixture("areas/kommuner.geojson"), NULL,
                                             &rep, &e), 0);
    int rc = ingest_places_csv(&b, fixture("registers/places.csv"), &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.pois.n, 5);
    assert_int_equal(rep.records, 5);

    const region_poi *p = &b.pois.v[0];
    assert_int_equal(p->source_id, 101);
    assert_int_equal(p->kind, POI_SCHOOL);
    assert_string_equal(bstr(&b, p->name), "Örnässkolan");
    assert_int_equal(p->pos.lat_e7, 656000000);
    assert_int_equal(p->pos.lon_e7, 221200000);
    assert_int_equal(p->level, SCHOOL_PRIMARY | SCHOOL_LOWER_SEC);
    assert_string_equal(bstr(&b, p->subkind), "grundskola");
    assert_int_equal(p->kommun_code, 2580);
    assert_int_equal(p->flags, 0);

    p = &b.pois.v[1];                      /* text id: hashed, bit 62 set */
    assert_int_equal(p->kind, POI_PRESCHOOL);
    assert_true(p->source_id > 0);
    assert_true(((uint64_t)p->source_id >> 62) == 1);
    assert_int_equal(p->level, 0);
    assert_string_equal(bstr(&b, p->subkind), "");

    p = &b.pois.v[2];
    assert_int_equal(p->kind, POI_SCHOOL);
    assert_int_equal(p->level, SCHOOL_UPPER_SEC | SCHOOL_ADULT);
    assert_string_equal(bstr(&b, p->name), "Luleå gymnasieskola");

    p = &b.pois.v[3];
    assert_int_equal(p->kind, POI_HEALTH);
    assert_string_equal(bstr(&b, p->subkind), "vårdcentral");

    p = &b.pois.v[4];                      /* kommun from the point */
    assert_int_equal(p->kind, POI_GROCERY);
    assert_int_equal(p->source_id, 105);
    assert_int_equal(p->kommun_code, 9901);
    region_builder_free(&b);
}

static void test_places_errors(void **state)
{
    (void)state;
    fk_err e;
    const char *H = "id,kind,name,lat,lon,level\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%s1,school,A,60,20,F-6\n2,museum,B,60,20,\n", H);
    int rc = try_import(ingest_places_csv, "places.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "places.csv:3", "field kind", "\"museum\"",
               "school, preschool, health", "vårdcentral");
    snprintf(buf, sizeof buf, "%s1,school,A,60,20,F-6;högskola\n", H);
    rc = try_import(ingest_places_csv, "places.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "places.csv:2", "field level", "\"högskola\"",
               "F-6", "gymnasium");
    snprintf(buf, sizeof buf, "%s1,school,A,60,20,\n1,library,B,60,20,\n", H);
    rc = try_import(ingest_places_csv, "places.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "places.csv:3", "field id", "duplicate", "\"1\"",
               "line 3 and line 2");
    snprintf(buf, sizeof buf, "%s1,school,,60,20,\n", H);
    rc = try_import(ingest_places_csv, "places.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "places.csv:2", "field name", "empty");
    rc = try_import(ingest_places_csv, "places.csv", "id,kind,name,latitude\n1,school,A,60\n",
                    &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "places.csv:1", "missing required column \"lon\"",
               "(or longitude, lng)", "required columns: id, kind, name, lat, lon");
    /* level is read for schools only */
    snprintf(buf, sizeof buf, "%s1,preschool,A,60,20,1-5 år\n", H);
    rc = try_import(ingest_places_csv, "places.csv", buf, &e);
    assert_int_equal(rc, 0);
}

/* ---------------- statistics ---------------- */

static void test_stats_valid(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_stats_csv(&b, fixture("registers/stats.csv"), &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.stats.n, 4);
    assert_int_equal(rep.records, 4);
    assert_int_equal(rep.skipped, 3);      /* "..", "-" and empty */
    assert_non_null(strstr(rep.note, "3 rows with a missing value"));

    const region_stat *s = &b.stats.v[0];
    assert_string_equal(bstr(&b, s->area_code), "2580");
    assert_string_equal(bstr(&b, s->indicator), "population");
    assert_int_equal(s->year, 2022);
    assert_true(s->value == 79859.0);      /* "79 859" */
    assert_string_equal(bstr(&b, s->unit), "persons");
    assert_string_equal(bstr(&b, s->source), "SCB");
    assert_int_equal(s->flags, 0);
    s = &b.stats.v[1];
    assert_string_equal(bstr(&b, s->indicator), "median_income");
    assert_true(s->value == 312400.5);     /* "312 400,5" */
    s = &b.stats.v[2];
    assert_true(s->value == 6.5);          /* "6,5" */
    assert_string_equal(bstr(&b, s->source), "Kolada N03937");
    s = &b.stats.v[3];                     /* "2580 Luleå", "79<NBSP>537" */
    assert_string_equal(bstr(&b, s->area_code), "2580");
    assert_int_equal(s->year, 2021);
    assert_true(s->value == 79537.0);
    region_builder_free(&b);
}

static void test_stats_kolada(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    fk_err e = {0};
    ingest_report rep;
    int rc = ingest_stats_csv(&b, fixture("registers/stats_kolada.csv"), &rep, &e);
    if (rc) fail_msg("%s", e.msg);
    assert_int_equal(b.stats.n, 2);        /* totals only */
    assert_int_equal(rep.skipped, 2);      /* K and M */
    assert_string_equal(bstr(&b, b.stats.v[0].indicator), "N00945");
    assert_string_equal(bstr(&b, b.stats.v[0].area_code), "2580");
    assert_int_equal(b.stats.v[0].year, 2023);
    assert_true(fabs(b.stats.v[0].value - 83.5) < 1e-12);
    assert_string_equal(bstr(&b, b.stats.v[1].area_code), "2584");
    assert_string_equal(bstr(&b, b.stats.v[1].unit), "");
    region_builder_free(&b);
}

static void test_stats_errors(void **state)
{
    (void)state;
    fk_err e;
    const char *H = "area_code,indicator,year,value\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%s2580,pop,2022,1\n2580,pop,2022,\"12,5,3\"\n", H);
    int rc = try_import(ingest_stats_csv, "stats.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "stats.csv:3", "field value", "\"12,5,3\"", "a number");
    snprintf(buf, sizeof buf, "%s2580,pop,2022,\"1,234.5\"\n", H);
    rc = try_import(ingest_stats_csv, "stats.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "stats.csv:2", "field value", "\"1,234.5\"");
    snprintf(buf, sizeof buf, "%s2580,pop,tjugo,1\n", H);
    rc = try_import(ingest_stats_csv, "stats.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "stats.csv:2", "field year", "\"tjugo\"", "1800..2200");
    snprintf(buf, sizeof buf, "%s2580,pop,2022,1\n2581,pop,2022,1\n2580 Luleå,pop,2022,3\n", H);
    rc = try_import(ingest_stats_csv, "stats.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "stats.csv:4", "duplicate", "2580, pop, 2022",
               "line 4 and line 2");
    snprintf(buf, sizeof buf, "%s,pop,2022,1\n", H);
    rc = try_import(ingest_stats_csv, "stats.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "stats.csv:2", "field area_code", "empty");
    rc = try_import(ingest_stats_csv, "stats.csv", "kommun,year,value\n2580,2022,1\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "stats.csv:1", "missing required column \"indicator\"",
               "(or kpi)", "required columns: area_code, indicator, year, value");
    snprintf(buf, sizeof buf, "%s2580,pop,2022,inf\n", H);
    rc = try_import(ingest_stats_csv, "stats.csv", buf, &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "stats.csv:2", "field value", "\"inf\"");
}

static void test_rollback_keeps_builder(void **state)
{
    (void)state;
    /* valid rows followed by a bad one: nothing of the file stays */
    fk_err e;
    int rc = try_import(ingest_homes_csv, "homes.csv",
                        "id,lat,lon,type,price_sek\nA,60,20,villa,1\nB,60,20,villa,1\n"
                        "C,60,20,villa,x\n", &e);
    assert_int_equal(rc, FK_EPARSE);
    rc = try_import(ingest_places_csv, "places.csv",
                    "id,kind,name,lat,lon\n1,school,A,60,20\n2,school,B,60,200\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "places.csv:3", "field lon", "\"200\"");
    rc = try_import(ingest_stats_csv, "stats.csv",
                    "area_code,indicator,year,value\n1,a,2020,1\n2,a,2020,1\n3,a,1700,1\n", &e);
    EXPECT_ERR(rc, FK_EPARSE, &e, "stats.csv:4", "field year");
    /* and a success adds exactly its rows */
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    write_file("ok.csv", "id,lat,lon,type,price_sek\nA,60,20,villa,1\nB,60,20,villa,1\n");
    assert_int_equal(ingest_homes_csv(&b, "ok.csv", &rep, &e), 0);
    assert_int_equal(b.homes.n, 2);
    /* the same ids again in a second file are accepted (ids are per file) */
    assert_int_equal(ingest_homes_csv(&b, "ok.csv", &rep, &e), 0);
    assert_int_equal(b.homes.n, 4);
    region_builder_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_homes_valid),
        cmocka_unit_test(test_homes_default_tenure),
        cmocka_unit_test(test_homes_kommun_near),
        cmocka_unit_test(test_homes_missing_column),
        cmocka_unit_test(test_homes_bad_type),
        cmocka_unit_test(test_homes_bad_tenure),
        cmocka_unit_test(test_homes_ranges),
        cmocka_unit_test(test_homes_bad_kommun_code),
        cmocka_unit_test(test_homes_duplicate_id),
        cmocka_unit_test(test_homes_malformed_csv),
        cmocka_unit_test(test_places_valid),
        cmocka_unit_test(test_places_errors),
        cmocka_unit_test(test_stats_valid),
        cmocka_unit_test(test_stats_kolada),
        cmocka_unit_test(test_stats_errors),
        cmocka_unit_test(test_rollback_keeps_builder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
