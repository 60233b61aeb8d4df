/*
 * test_jobs.c: the taxonomy and job ads importers (ingest/jobs.c).
 *
 * Real data (skipped when absent): the JobTech taxonomy dump and the 10
 * Platsbanken ads in the old Swedish Elasticsearch format. Hand-made
 * fixtures (tests/fixtures/jobs): a JobSearch response, a JSON array, JSON
 * Lines, and malformed files. Two square kommun areas (2580, 2581) are put
 * into the builder directly to test positions from the kommun and the
 * filter. test_jobs_rate prints the import rate on 20 000 generated ads.
 */
#include "testutil.h"

#include <time.h>

#include "../../base/mem.h"
#include "../../ingest/jobs.h"

/* ---- helpers ---- */

static const char *str(const region_builder *b, uint32_t off)
{
    return off < b->strings.len ? b->strings.data + off : "";
}

static int32_t ymd(int y, int m, int d)
{
    int32_t day;
    assert_int_equal(region_day_from_ymd(y, m, d, &day), 0);
    return day;
}

static const region_job *job_by_id(const region_builder *b, const char *id)
{
    for (size_t i = 0; i < b->jobs.n; i++)
        if (strcmp(str(b, b->jobs.v[i].source_id), id) == 0) return &b->jobs.v[i];
    return NULL;
}

static const region_concept *concept_by_id(const region_builder *b, const char *id,
                                           uint32_t *index)
{
    for (size_t i = 0; i < b->concepts.n; i++)
        if (strcmp(str(b, b->concepts.v[i].concept_id), id) == 0) {
            if (index) *index = (uint32_t)i;
            return &b->concepts.v[i];
        }
    return NULL;
}

static size_t count_type(const region_builder *b, int type)
{
    size_t n = 0;
    for (size_t i = 0; i < b->concepts.n; i++) n += b->concepts.v[i].type == type;
    return n;
}

static geo_point pt(double lat, double lon)
{
    geo_point p;
    assert_int_equal(geo_from_deg(lat, lon, &p), 0);
    return p;
}

/* A square level-0 area [lat0,lat1] x [lon0,lon1] with the given centre. */
static void add_square(region_builder *b, const char *code, const char *name,
                       double lat0, double lat1, double lon0, double lon1,
                       double clat, double clon)
{
    int rc = 0;
    region_area a = {0};
    a.code = rb_str(b, code, &rc);
    a.name = rb_str(b, name, &rc);
    assert_int_equal(rc, 0);
    a.kommun_code = (uint16_t)atoi(code);
    a.level = 0;
    a.first_ring = (uint32_t)b->rings.n;
    a.n_rings = 1;
    region_ring r = {0};
    r.first_point = (uint32_t)b->ring_points.n;
    r.n_points = 4;
    r.role = RING_OUTER;
    geo_point ps[4] = {pt(lat0, lon0), pt(lat0, lon1), pt(lat1, lon1), pt(lat1, lon0)};
    a.bbox = geo_bbox_empty();
    for (int i = 0; i < 4; i++) {
        assert_int_equal(vec_push(b->ring_points, ps[i]), 0);
        geo_bbox_add(&a.bbox, ps[i]);
    }
    a.centre = pt(clat, clon);
    assert_int_equal(vec_push(b->rings, r), 0);
    assert_int_equal(vec_push(b->areas, a), 0);
}

/* Luleå (2580) and Piteå (2581) as squares around their real centres. */
static void add_test_kommuner(region_builder *b)
{
    add_square(b, "2580", "Luleå", 65.5, 65.7, 21.9, 22.3, 65.5848, 22.1547);
    add_square(b, "2581", "Piteå", 65.2, 65.4, 21.3, 21.6, 65.3172, 21.4794);
}

typedef struct counts {
    size_t jobs, concepts, rels, areas;
} counts;

static counts counts_of(const region_builder *b)
{
    counts c = {b->jobs.n, b->concepts.n, b->concept_rels.n, b->areas.n};
    return c;
}

static void assert_counts_equal(counts a, counts b)
{
    assert_int_equal(a.jobs, b.jobs);
    assert_int_equal(a.concepts, b.concepts);
    assert_int_equal(a.rels, b.rels);
    assert_int_equal(a.areas, b.areas);
}

/* Asserts that the import of path fails with code and a message containing
 * every one of the NULL-terminated fragments, and that the builder (with
 * the small taxonomy and two kommuner) is left exactly as it was. */
static void expect_jobs_error(const char *path, int code, ...)
{
    region_builder b;
    region_builder_init(&b, "t");
    add_test_kommuner(&b);
    ingest_report rep;
    fk_err e = {0};
    assert_int_equal(ingest_taxonomy(&b, fixture("jobs/taxonomy_small.json"), &rep, &e), 0);
    counts before = counts_of(&b);
    err_clear(&e);
    int rc = ingest_jobs(&b, path, NULL, &rep, &e);
    if (rc != code) printf("%s: unexpected rc %d: %s\n", path, rc, e.msg);
    assert_int_equal(rc, code);
    assert_int_equal(e.code, code);
    va_list ap;
    va_start(ap, code);
    const char *frag;
    while ((frag = va_arg(ap, const char *))) {
        if (!strstr(e.msg, frag)) printf("message \"%s\" lacks \"%s\"\n", e.msg, frag);
        assert_non_null(strstr(e.msg, frag));
    }
    va_end(ap);
    assert_counts_equal(before, counts_of(&b));
    assert_int_equal(rep.records, 0);
    region_builder_free(&b);
}

/* ---- taxonomy ---- */

static void test_taxonomy_real(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "taxonomy/taxonomy-to-concept.json");
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e = {0};
    double t0 = progress_now();
    int rc = ingest_taxonomy(&b, path, &rep, &e);
    double dt = progress_now() - t0;
    if (rc) printf("%s\n", e.msg);
    assert_int_equal(rc, 0);
    printf("taxonomy: %llu concepts kept, %llu skipped in %.3f s (%s)\n",
           (unsigned long long)rep.records, (unsigned long long)rep.skipped, dt, rep.note);
    assert_int_equal(rep.records, 11969);
    assert_int_equal(rep.skipped, 2360);
    assert_int_equal(b.concepts.n, 11969);
    assert_int_equal(count_type(&b, CONCEPT_OCCUPATION_NAME), 3431);
    assert_int_equal(count_type(&b, CONCEPT_SSYK4), 400);
    assert_int_equal(count_type(&b, CONCEPT_SSYK3), 147);
    assert_int_equal(count_type(&b, CONCEPT_SSYK2), 46);
    assert_int_equal(count_type(&b, CONCEPT_SSYK1), 10);
    assert_int_equal(count_type(&b, CONCEPT_OCCUPATION_FIELD), 21);
    assert_int_equal(count_type(&b, CONCEPT_SKILL), 5813);
    assert_int_equal(count_type(&b, CONCEPT_SUN_LEVEL), 14 + 28 + 100);
    assert_int_equal(count_type(&b, CONCEPT_SUN_FIELD), 20 + 52 + 235 + 377);
    assert_int_equal(count_type(&b, CONCEPT_MUNICIPALITY), 290);
    assert_int_equal(count_type(&b, CONCEPT_LANGUAGE), 435);
    assert_int_equal(count_type(&b, CONCEPT_KEYWORD), 550);
    assert_int_equal(count_type(&b, CONCEPT_OTHER), 0);
    assert_non_null(strstr(rep.note, "continent 22"));
    assert_non_null(strstr(rep.note, "region 1362"));

    const region_concept *c = concept_by_id(&b, "7wdX_4rv_33z", NULL);
    assert_non_null(c);
    assert_string_equal(str(&b, c->label), "Backend-utvecklare");
    assert_string_equal(str(&b, c->legacy_id), "7632");
    assert_int_equal(c->type, CONCEPT_OCCUPATION_NAME);
    c = concept_by_id(&b, "CXbY_gui_14v", NULL);
    assert_non_null(c);
    assert_string_equal(str(&b, c->label), "Luleå");
    assert_int_equal(c->type, CONCEPT_MUNICIPALITY);

    /* a second run adds nothing: every conceptId is known */
    assert_int_equal(ingest_taxonomy(&b, path, &rep, &e), 0);
    assert_int_equal(rep.records, 0);
    assert_int_equal(rep.skipped, 2360 + 11969);
    assert_non_null(strstr(rep.note, "11969 concepts already present"));
    assert_int_equal(b.concepts.n, 11969);
    region_builder_free(&b);
}

static void test_taxonomy_small(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e = {0};
    assert_int_equal(ingest_taxonomy(&b, fixture("jobs/taxonomy_small.json"), &rep, &e), 0);
    assert_int_equal(rep.records, 7);
    assert_int_equal(rep.skipped, 2);
    assert_non_null(strstr(rep.note, "continent 1"));
    assert_non_null(strstr(rep.note, "wage-type 1"));
    assert_int_equal(count_type(&b, CONCEPT_OCCUPATION_NAME), 2);
    assert_int_equal(count_type(&b, CONCEPT_SSYK4), 2);
    assert_int_equal(count_type(&b, CONCEPT_OCCUPATION_FIELD), 1);
    assert_int_equal(count_type(&b, CONCEPT_MUNICIPALITY), 2);
    /* legacy id: from the key when absent, printed when an integer */
    const region_concept *c = concept_by_id(&b, "jY19_knH_MJp", NULL);
    assert_non_null(c);
    assert_string_equal(str(&b, c->legacy_id), "1521");
    c = concept_by_id(&b, "umej_bP2_PpK", NULL);
    assert_non_null(c);
    assert_string_equal(str(&b, c->legacy_id), "198");
    assert_string_equal(str(&b, c->label), "Piteå");
    region_builder_free(&b);
}

static void test_taxonomy_errors(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e = {0};

    int rc = ingest_taxonomy(&b, fixture("jobs/taxonomy_not_json.json"), &rep, &e);
    assert_int_equal(rc, FK_EPARSE);
    assert_non_null(strstr(e.msg, "taxonomy_not_json.json:3:"));
    assert_non_null(strstr(e.msg, "invalid JSON"));
    assert_int_equal(b.concepts.n, 0);

    rc = ingest_taxonomy(&b, fixture("jobs/taxonomy_bad_structure.json"), &rep, &e);
    assert_int_equal(rc, FK_EPARSE);
    assert_non_null(strstr(e.msg, "taxonomy_bad_structure.json: "
                                  "occupation-name.1000.conceptId: expected a string"));
    assert_non_null(strstr(e.msg, "found 1000"));
    assert_int_equal(b.concepts.n, 0);   /* 7296, read before, rolled back */

    write_file("tax_array.json", "[1, 2]");
    assert_int_equal(ingest_taxonomy(&b, "tax_array.json", &rep, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "top level: expected an object"));
    write_file("tax_type.json", "{\"skill\": [1]}");
    assert_int_equal(ingest_taxonomy(&b, "tax_type.json", &rep, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "tax_type.json: skill: expected an object"));
    write_file("tax_entry.json", "{\"skill\": {\"1\": \"Svetsning\"}}");
    assert_int_equal(ingest_taxonomy(&b, "tax_entry.json", &rep, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "skill.1: expected an object, found a string \"Svetsning\""));
    write_file("tax_label.json", "{\"skill\": {\"1\": {\"conceptId\": \"abc\"}}}");
    assert_int_equal(ingest_taxonomy(&b, "tax_label.json", &rep, &e), FK_EPARSE);
    assert_non_null(strstr(e.msg, "skill.1.preferredLabel: expected a string"));

    assert_int_equal(ingest_taxonomy(&b, "no-such-file.json", &rep, &e), FK_EIO);
    assert_non_null(strstr(e.msg, "no-such-file.json"));
    assert_int_equal(b.concepts.n, 0);
    region_builder_free(&b);
}

/* ---- job ads: real data ---- */

static void test_jobs_real_with_taxonomy(void **state)
{
    (void)state;
    REQUIRE_DATA(tax, "taxonomy/taxonomy-to-concept.json");
    REQUIRE_DATA(ads, "jobs/platsannons_results.json");
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e = {0};
    assert_int_equal(ingest_taxonomy(&b, tax, &rep, &e), 0);
    int rc = ingest_jobs(&b, ads, NULL, &rep, &e);
    if (rc) printf("%s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(rep.records, 10);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(b.jobs.n, 10);
    assert_int_equal(b.concepts.n, 11969);   /* every occupation concept is known */
    assert_int_equal(b.concept_rels.n, 4);   /* 3 names -> 1 group -> 1 field */

    const region_job *j = job_by_id(&b, "23115679");
    assert_non_null(j);
    assert_string_equal(str(&b, j->title), "Java-utvecklare");
    assert_string_equal(str(&b, j->employer), "Chas Visual Management AB");
    assert_int_not_equal(j->occupation, REGION_NONE);
    assert_string_equal(str(&b, b.concepts.v[j->occupation].label), "Backend-utvecklare");
    assert_string_equal(str(&b, b.concepts.v[j->occupation].concept_id), "7wdX_4rv_33z");
    assert_string_equal(str(&b, b.concepts.v[j->occupation_group].concept_id), "DJh5_yyF_hEM");
    assert_int_equal(b.concepts.v[j->occupation_group].type, CONCEPT_SSYK4);
    assert_string_equal(str(&b, b.concepts.v[j->occupation_field].label), "Data/IT");
    assert_int_equal(j->pos.lat_e7, 593198570);
    assert_int_equal(j->pos.lon_e7, 180589776);
    assert_int_equal(j->flags, 0);
    assert_int_equal(j->kommun_code, 180);
    assert_int_equal(j->published_day, ymd(2019, 2, 14));
    assert_int_equal(j->deadline_day, ymd(2019, 3, 3));
    assert_int_equal(j->positions, 1);
    assert_int_equal(j->worktime_full, 1);
    assert_string_equal(str(&b, j->url), "http://chas.se/ansok");
    assert_string_equal(str(&b, j->address), "Stubbsundsvägen 11, 13141 Nacka");
    const char *d = str(&b, j->description);
    assert_true(strncmp(d, "Är du en Java-utvecklare", strlen("Är du en Java-utvecklare")) == 0);

    /* an ad without an application url gets its Platsbanken page */
    j = job_by_id(&b, "23066604");
    assert_non_null(j);
    assert_string_equal(str(&b, j->url),
                        "https://arbetsformedlingen.se/platsbanken/annonser/23066604");
    j = job_by_id(&b, "23027611");
    assert_non_null(j);
    assert_int_equal(j->positions, 4);
    region_builder_free(&b);
}

static void test_jobs_real_filters(void **state)
{
    (void)state;
    REQUIRE_DATA(ads, "jobs/platsannons_results.json");
    static const struct { const char *filter; uint64_t kept; } cases[] = {
        {NULL, 10}, {"", 10}, {"0180", 6}, {"01", 9}, {"14", 1}, {"1480,0184", 3}, {"25", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        region_builder b;
        region_builder_init(&b, "t");
        ingest_report rep;
        fk_err e = {0};
        assert_int_equal(ingest_jobs(&b, ads, cases[i].filter, &rep, &e), 0);
        assert_int_equal(rep.records, cases[i].kept);
        assert_int_equal(rep.skipped, 10 - cases[i].kept);
        if (cases[i].kept < 10) assert_non_null(strstr(rep.note, "outside the kommun filter"));
        if (cases[i].kept == 10) {
            /* without a taxonomy the ads' concepts are added from the ads */
            assert_int_equal(b.concept_rels.n, 4);
            assert_int_equal(b.concepts.n, 5);
            const region_concept *c = concept_by_id(&b, "DJh5_yyF_hEM", NULL);
            assert_non_null(c);
            assert_int_equal(c->type, CONCEPT_SSYK4);
            assert_string_equal(str(&b, c->label), "Mjukvaru- och systemutvecklare m.fl.");
            assert_string_equal(str(&b, c->legacy_id), "2512");
        }
        region_builder_free(&b);
    }
}

/* ---- job ads: hand-made fixtures ---- */

static void test_jobs_jobsearch_hits(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    add_test_kommuner(&b);
    ingest_report rep;
    fk_err e = {0};
    int rc = ingest_jobs(&b, fixture("jobs/jobsearch_hits.json"), NULL, &rep, &e);
    if (rc) printf("%s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(rep.records, 4);
    assert_int_equal(rep.skipped, 1);
    assert_non_null(strstr(rep.note, "no workplace coordinates"));
    assert_non_null(strstr(rep.note, "ad 26010004, kommun 0180"));
    assert_int_equal(b.concepts.n, 11);
    assert_int_equal(b.concept_rels.n, 8);

    const region_job *j = job_by_id(&b, "26010001");
    assert_non_null(j);
    assert_string_equal(str(&b, j->title), "Sjuksköterska till akutmottagningen");
    assert_string_equal(str(&b, j->employer), "Region Norrbotten");
    assert_string_equal(str(&b, j->url), "https://arbetsformedlingen.se/platsbanken/annonser/26010001");
    assert_string_equal(str(&b, j->address), "Sjukhusvägen 10, 97180 Luleå");
    assert_int_equal(j->pos.lat_e7, 656677000);
    assert_int_equal(j->pos.lon_e7, 219561000);
    assert_int_equal(j->flags, 0);
    assert_int_equal(j->kommun_code, 2580);
    assert_int_equal(j->positions, 2);
    assert_int_equal(j->worktime_full, 1);
    assert_int_equal(j->published_day, ymd(2022, 9, 5));
    assert_int_equal(j->deadline_day, ymd(2022, 10, 1));
    assert_string_equal(str(&b, b.concepts.v[j->occupation].label), "Sjuksköterska, grundutbildad");
    assert_int_equal(b.concepts.v[j->occupation].type, CONCEPT_OCCUPATION_NAME);
    assert_string_equal(str(&b, b.concepts.v[j->occupation].legacy_id), "7296");
    assert_int_equal(b.concepts.v[j->occupation_group].type, CONCEPT_SSYK4);
    assert_int_equal(b.concepts.v[j->occupation_field].type, CONCEPT_OCCUPATION_FIELD);
    int found = 0;
    for (size_t i = 0; i < b.concept_rels.n; i++)
        found += b.concept_rels.v[i].narrower == j->occupation &&
                 b.concept_rels.v[i].broader == j->occupation_group;
    assert_int_equal(found, 1);

    /* no coordinates: the centre of kommun 2581 */
    j = job_by_id(&b, "26010002");
    assert_non_null(j);
    assert_int_equal(j->flags, JOB_F_POS_FROM_KOMMUN);
    assert_int_equal(j->kommun_code, 2581);
    assert_int_equal(j->pos.lat_e7, 653172000);
    assert_int_equal(j->pos.lon_e7, 214794000);
    assert_int_equal(j->positions, 3);
    assert_int_equal(j->worktime_full, 0);
    assert_string_equal(str(&b, j->address), "");

    /* coordinates but no kommun code: the kommun from the areas */
    j = job_by_id(&b, "26010003");
    assert_non_null(j);
    assert_int_equal(j->flags, 0);
    assert_int_equal(j->kommun_code, 2580);
    assert_int_equal(j->deadline_day, ymd(2022, 9, 30));
    assert_string_equal(str(&b, j->address), "Storgatan 40, 97231 Luleå");
    assert_string_equal(str(&b, b.concepts.v[j->occupation].concept_id), "96Dh_8Tx_kq2");

    /* [0, 0] means no coordinates */
    j = job_by_id(&b, "26010005");
    assert_non_null(j);
    assert_int_equal(j->flags, JOB_F_POS_FROM_KOMMUN);
    assert_int_equal(j->pos.lat_e7, 655848000);
    assert_int_equal(j->pos.lon_e7, 221547000);
    assert_null(job_by_id(&b, "26010004"));

    /* the same file again: every ad is a duplicate, the 5th still unplaced */
    assert_int_equal(ingest_jobs(&b, fixture("jobs/jobsearch_hits.json"), NULL, &rep, &e), 0);
    assert_int_equal(rep.records, 0);
    assert_int_equal(rep.skipped, 5);
    assert_non_null(strstr(rep.note, "4 with an id already imported"));
    assert_int_equal(b.jobs.n, 4);
    assert_int_equal(b.concepts.n, 11);
    assert_int_equal(b.concept_rels.n, 8);
    region_builder_free(&b);
}

static void test_jobs_with_taxonomy_and_filter(void **state)
{
    (void)state;
    static const struct { const char *filter; uint64_t kept, skipped; } cases[] = {
        {"2581", 1, 4}, {"25", 4, 1}, {"2580", 3, 2}, {"0180", 0, 5}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        region_builder b;
        region_builder_init(&b, "t");
        add_test_kommuner(&b);
        ingest_report rep;
        fk_err e = {0};
        assert_int_equal(ingest_taxonomy(&b, fixture("jobs/taxonomy_small.json"), &rep, &e), 0);
        uint32_t nurse;
        assert_non_null(concept_by_id(&b, "bXNH_MNX_dUR", &nurse));
        assert_int_equal(ingest_jobs(&b, fixture("jobs/jobsearch_hits.json"),
                                     cases[i].filter, &rep, &e), 0);
        assert_int_equal(rep.records, cases[i].kept);
        assert_int_equal(rep.skipped, cases[i].skipped);
        for (size_t k = 0; k < b.jobs.n; k++)
            assert_true(ingest_filter_match(cases[i].filter, b.jobs.v[k].kommun_code));
        if (strcmp(cases[i].filter, "25") == 0) {
            assert_int_equal(b.concepts.n, 7 + 6);   /* the taxonomy's are reused */
            const region_job *j = job_by_id(&b, "26010001");
            assert_non_null(j);
            assert_int_equal(j->occupation, nurse);
            /* the taxonomy's concept is kept as it is (its legacy id, not the ad's) */
            assert_string_equal(str(&b, b.concepts.v[j->occupation_group].legacy_id), "1452");
        }
        region_builder_free(&b);
    }
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e = {0};
    assert_int_equal(ingest_jobs(&b, fixture("jobs/jobsearch_hits.json"), "25x", &rep, &e),
                     FK_EINVAL);
    region_builder_free(&b);
}

static void test_jobs_array_and_jsonl(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e = {0};
    assert_int_equal(ingest_jobs(&b, fixture("jobs/ads_array.json"), NULL, &rep, &e), 0);
    assert_int_equal(rep.records, 3);
    const region_job *j = job_by_id(&b, "26020001");
    assert_non_null(j);
    assert_int_equal(j->kommun_code, 2514);
    assert_string_equal(str(&b, j->employer), "Kalix El AB");
    assert_string_equal(str(&b, j->address), "Kalix");
    assert_int_equal(j->worktime_full, 1);
    j = job_by_id(&b, "26020003");
    assert_non_null(j);
    assert_int_equal(j->worktime_full, 0);
    assert_int_equal(j->occupation, REGION_NONE);
    assert_int_equal(j->deadline_day, INT32_MIN);
    assert_int_equal(b.concepts.n, 1);
    assert_int_equal(b.concept_rels.n, 0);

    /* JSON Lines (CRLF, a blank line, an integer id): ad 2 has no
     * coordinates and no kommun areas are loaded yet */
    assert_int_equal(ingest_jobs(&b, fixture("jobs/ads.jsonl"), NULL, &rep, &e), 0);
    assert_int_equal(rep.records, 2);
    assert_int_equal(rep.skipped, 1);
    assert_non_null(strstr(rep.note, "ad 26030002, kommun 2581"));
    region_builder_free(&b);

    region_builder_init(&b, "t");
    add_test_kommuner(&b);
    assert_int_equal(ingest_jobs(&b, fixture("jobs/ads.jsonl"), NULL, &rep, &e), 0);
    assert_int_equal(rep.records, 3);
    j = job_by_id(&b, "26030002");
    assert_non_null(j);
    assert_int_equal(j->flags, JOB_F_POS_FROM_KOMMUN);
    assert_int_equal(j->positions, 2);
    assert_int_equal(j->worktime_full, 2);
    assert_int_equal(j->published_day, INT32_MIN);
    j = job_by_id(&b, "26030003");
    assert_non_null(j);
    assert_int_equal(j->deadline_day, ymd(2022, 10, 10));
    assert_int_equal(j->occupation, REGION_NONE);
    assert_int_equal(b.concepts.n, 2);      /* A9Z6 once, YQcE */
    assert_int_equal(b.concept_rels.n, 1);
    region_builder_free(&b);
}

static void test_jobs_malformed(void **state)
{
    (void)state;
    expect_jobs_error(fixture("jobs/bad_truncated.json"), FK_EPARSE,
                      "bad_truncated.json:5:", "invalid JSON", NULL);
    expect_jobs_error(fixture("jobs/bad_string_for_object.json"), FK_EPARSE,
                      "bad_string_for_object.json: hits[1].workplace_address: expected an "
                      "object, found a string \"Luleå\"", NULL);
    expect_jobs_error(fixture("jobs/bad_missing_id.json"), FK_EPARSE,
                      "bad_missing_id.json: hits[0].id: missing", NULL);
    expect_jobs_error(fixture("jobs/bad_coords.json"), FK_EPARSE,
                      "bad_coords.json: hits[0].workplace_address.coordinates:",
                      "[200.5, 95] out of range", NULL);
    /* line 1 added a job, line 2 a concept: both rolled back */
    expect_jobs_error(fixture("jobs/bad_line3.jsonl"), FK_EPARSE,
                      "bad_line3.jsonl:3: headline: expected a string, found 42", NULL);

    write_file("bad_json_line.jsonl",
               "{\"id\": \"1\", \"headline\": \"a\", \"workplace_address\": "
               "{\"coordinates\": [22.15, 65.58]}}\n"
               "{\"id\": \"2\", \"headline\": }\n");
    expect_jobs_error("bad_json_line.jsonl", FK_EPARSE, "bad_json_line.jsonl:2:",
                      "invalid JSON", NULL);
    write_file("array_line.jsonl",
               "{\"id\": \"1\", \"headline\": \"a\"}\n[1, 2]\n");
    expect_jobs_error("array_line.jsonl", FK_EPARSE, "array_line.jsonl:2: ad: expected "
                      "one ad object per line, found an array", NULL);
    write_file("no_headline.jsonl", "{\"id\": \"1\", \"headline\": \"\"}\n");
    expect_jobs_error("no_headline.jsonl", FK_EPARSE, "no_headline.jsonl:1: headline: missing",
                      NULL);
    write_file("bad_id.json", "[{\"id\": [1], \"headline\": \"a\"}]");
    expect_jobs_error("bad_id.json", FK_EPARSE,
                      "bad_id.json: [0].id: expected a string or an integer, found an array",
                      NULL);
    write_file("bad_item.json", "{\"hits\": [\"not an ad\"]}");
    expect_jobs_error("bad_item.json", FK_EPARSE,
                      "bad_item.json: hits[0]: expected an ad object, found a string", NULL);
    write_file("es_no_source.json", "{\"hits\": {\"hits\": [{\"_id\": \"1\"}]}}");
    expect_jobs_error("es_no_source.json", FK_EPARSE,
                      "es_no_source.json: hits.hits[0]._source: missing", NULL);
    write_file("es_rubrik.json",
               "{\"hits\": {\"hits\": [{\"_source\": {\"id\": 5, \"rubrik\": {\"x\": 1}}}]}}");
    expect_jobs_error("es_rubrik.json", FK_EPARSE,
                      "hits.hits[0]._source.rubrik: expected a string, found an object", NULL);
    write_file("bad_hits.json", "{\"hits\": 5}");
    expect_jobs_error("bad_hits.json", FK_EPARSE, "bad_hits.json: hits: expected an array",
                      NULL);
    write_file("bad_top.json", "{\n  \"total\": 5\n}\n");
    expect_jobs_error("bad_top.json", FK_EPARSE, "bad_top.json: top level: expected \"hits\"",
                      NULL);
    /* the same on one line reads as JSON Lines: one ad without an id */
    write_file("one_line.json", "{\"total\": 5}");
    expect_jobs_error("one_line.json", FK_EPARSE, "one_line.json:1: id: missing", NULL);
    write_file("bad_date.json", "[{\"id\": \"1\", \"headline\": \"a\", "
               "\"publication_date\": \"2022-13-01T00:00:00\"}]");
    expect_jobs_error("bad_date.json", FK_EPARSE, "[0].publication_date: expected a date",
                      "\"2022-13-01T00:00:00\"", NULL);
    write_file("bad_vac.json", "[{\"id\": \"1\", \"headline\": \"a\", \"number_of_vacancies\": -2}]");
    expect_jobs_error("bad_vac.json", FK_EPARSE, "[0].number_of_vacancies: expected a whole "
                      "number >= 0, found -2", NULL);
    write_file("bad_kommun.json", "[{\"id\": \"1\", \"headline\": \"a\", "
               "\"workplace_address\": {\"municipality_code\": \"Luleå\"}}]");
    expect_jobs_error("bad_kommun.json", FK_EPARSE,
                      "[0].workplace_address.municipality_code: expected a kommun code", NULL);
    write_file("bad_coord_n.json", "[{\"id\": \"1\", \"headline\": \"a\", "
               "\"workplace_address\": {\"coordinates\": [22.1, 65.5, 3]}}]");
    expect_jobs_error("bad_coord_n.json", FK_EPARSE,
                      "[0].workplace_address.coordinates: expected an array of two numbers", NULL);
    write_file("bad_occ.json", "[{\"id\": \"1\", \"headline\": \"a\", "
               "\"occupation\": {\"concept_id\": true}}]");
    expect_jobs_error("bad_occ.json", FK_EPARSE,
                      "[0].occupation.concept_id: expected a string or an integer, found true",
                      NULL);
    write_file("empty.json", "");
    expect_jobs_error("empty.json", FK_EPARSE, "empty.json:", "invalid JSON", NULL);
    expect_jobs_error("no-such-ads.json", FK_EIO, "no-such-ads.json: cannot open", NULL);
}

static void test_jobs_too_big(void **state)
{
    (void)state;
    /* a sparse file of 1 GiB + 1 that starts like a JSON document */
    FILE *f = fopen("big.json", "wb");
    assert_non_null(f);
    fputs("[\n", f);
    fclose(f);
    assert_int_equal(truncate("big.json", (off_t)(1LL << 30) + 1), 0);
    expect_jobs_error("big.json", FK_ETOOBIG, "big.json: 1073741825 bytes", "JSON Lines", NULL);
    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e = {0};
    assert_int_equal(ingest_taxonomy(&b, "big.json", &rep, &e), FK_ETOOBIG);
    region_builder_free(&b);
    unlink("big.json");
}

static void test_jobs_text_bounds_and_coords(void **state)
{
    (void)state;
    /* description of 'x' + 15000 x "å" (30001 bytes), title of 600 bytes */
    size_t cap = 40000;
    char *line = mem_alloc(cap);
    assert_non_null(line);
    size_t n = (size_t)snprintf(line, cap, "{\"id\": \"1\", \"headline\": \"");
    for (int i = 0; i < 600; i++) line[n++] = 't';
    n += (size_t)snprintf(line + n, cap - n, "\", \"description\": {\"text\": \"x");
    for (int i = 0; i < 15000; i++) {
        line[n++] = (char)0xC3;
        line[n++] = (char)0xA5;
    }
    n += (size_t)snprintf(line + n, cap - n, "\"}, \"workplace_address\": "
                          "{\"coordinates\": [65.58, 22.15]}}\n"
                          "{\"id\": \"2\", \"headline\": \"b\", \"workplace_address\": "
                          "{\"coordinates\": [-80.5, 120.25]}}\n"
                          "{\"id\": \"3\", \"headline\": \"c\", \"workplace_address\": "
                          "{\"coordinates\": [2.35, 48.85]}}\n");
    FILE *f = fopen("long.jsonl", "wb");
    assert_non_null(f);
    fwrite(line, 1, n, f);
    fclose(f);
    mem_free(line);

    region_builder b;
    region_builder_init(&b, "t");
    ingest_report rep;
    fk_err e = {0};
    int rc = ingest_jobs(&b, "long.jsonl", NULL, &rep, &e);
    if (rc) printf("%s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(rep.records, 3);
    const region_job *j = job_by_id(&b, "1");
    const char *d = str(&b, j->description);
    assert_int_equal(strlen(d), 19999);    /* 20000 would split an "å" */
    assert_int_equal((unsigned char)d[19997], 0xC3);
    assert_int_equal((unsigned char)d[19998], 0xA5);
    assert_int_equal(strlen(str(&b, j->title)), 500);
    /* [lat, lon] in Sweden is recognised and swapped */
    assert_int_equal(j->pos.lat_e7, 655800000);
    assert_int_equal(j->pos.lon_e7, 221500000);
    /* only valid as [lat, lon]: swapped */
    j = job_by_id(&b, "2");
    assert_int_equal(j->pos.lat_e7, -805000000);
    assert_int_equal(j->pos.lon_e7, 1202500000);
    /* Paris as [lon, lat] stays as given */
    j = job_by_id(&b, "3");
    assert_int_equal(j->pos.lat_e7, 488500000);
    assert_int_equal(j->pos.lon_e7, 23500000);
    region_builder_free(&b);
}

typedef struct prog_seen {
    int done;
    uint64_t count, bytes;
} prog_seen;

static void on_progress(void *ud, const progress_event *ev)
{
    prog_seen *s = ud;
    if (ev->done) {
        s->done++;
        s->count = ev->count;
        s->bytes = ev->bytes;
    }
}

static void test_jobs_progress(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "t");
    prog_seen seen = {0};
    progress p = {0};
    p.fn = on_progress;
    p.ud = &seen;
    b.progress = &p;
    ingest_report rep;
    fk_err e = {0};
    assert_int_equal(ingest_jobs(&b, fixture("jobs/jobsearch_hits.json"), NULL, &rep, &e), 0);
    assert_int_equal(seen.done, 1);
    assert_int_equal(seen.count, 5);
    assert_int_equal(seen.bytes, 7112);
    assert_int_equal(ingest_taxonomy(&b, fixture("jobs/taxonomy_small.json"), &rep, &e), 0);
    assert_int_equal(seen.done, 2);
    assert_int_equal(seen.count, 7);
    region_builder_free(&b);
}

/* Writes n generated ads as JSON Lines (jsonl=1) or one JobSearch response;
 * returns the file size. */
static size_t write_generated(const char *path, int n, int jsonl)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    static const char *kommun[] = {"2580", "2581", "2582", "2583", "2584"};
    char desc[801];
    memset(desc, 'a', sizeof desc - 1);
    desc[sizeof desc - 1] = '\0';
    if (!jsonl) fputs("{\"total\": {\"value\": 0}, \"hits\": [\n", f);
    for (int i = 0; i < n; i++) {
        fprintf(f, "%s{\"id\": \"%d\", \"headline\": \"Yrke nummer %d\", "
                "\"description\": {\"text\": \"%s %d\"}, "
                "\"employer\": {\"name\": \"Arbetsgivare %d AB\", \"organization_number\": \"55%08d\"}, "
                "\"occupation\": {\"concept_id\": \"occ_%03d\", \"label\": \"Yrke %d\", "
                "\"legacy_ams_taxonomy_id\": \"%d\"}, "
                "\"occupation_group\": {\"concept_id\": \"grp_%02d\", \"label\": \"Grupp %d\", "
                "\"legacy_ams_taxonomy_id\": \"%d\"}, "
                "\"occupation_field\": {\"concept_id\": \"fld_%d\", \"label\": \"Område %d\"}, "
                "\"workplace_address\": {\"municipality_code\": \"%s\", \"street_address\": "
                "\"Storgatan %d\", \"postcode\": \"97231\", \"city\": \"Luleå\", "
                "\"coordinates\": [%.6f, %.6f]}, "
                "\"publication_date\": \"2022-09-%02dT08:00:00\", "
                "\"application_deadline\": \"2022-10-%02dT23:59:59\", "
                "\"number_of_vacancies\": %d, \"working_hours_type\": {\"label\": \"%s\"}, "
                "\"webpage_url\": \"https://arbetsformedlingen.se/platsbanken/annonser/%d\"}%s",
                !jsonl && i ? ",\n" : "", 30000000 + i, i, desc, i, i % 997, i,
                i % 500, i % 500, 1000 + i % 500, i % 50, i % 50, 2000 + i % 50, i % 10,
                i % 10, kommun[i % 5], i % 100, 21.5 + (i % 1000) * 0.001,
                65.3 + (i % 700) * 0.0005, 1 + i % 28, 1 + i % 28, 1 + i % 3,
                i % 4 ? "Heltid" : "Deltid", 30000000 + i, jsonl ? "\n" : "");
    }
    if (!jsonl) fputs("\n]}\n", f);
    long size = ftell(f);
    fclose(f);
    return (size_t)size;
}

static void test_jobs_rate(void **state)
{
    (void)state;
    const int n = 20000;
    for (int jsonl = 1; jsonl >= 0; jsonl--) {
        const char *path = jsonl ? "gen.jsonl" : "gen.json";
        size_t size = write_generated(path, n, jsonl);
        region_builder b;
        region_builder_init(&b, "t");
        ingest_report rep;
        fk_err e = {0};
        size_t mem0 = mem_used_bytes();
        double t0 = progress_now();
        int rc = ingest_jobs(&b, path, NULL, &rep, &e);
        double dt = progress_now() - t0;
        if (rc) printf("%s\n", e.msg);
        assert_int_equal(rc, 0);
        assert_int_equal(rep.records, (uint64_t)n);
        assert_int_equal(b.concepts.n, 500 + 50 + 10);
        assert_int_equal(b.concept_rels.n, 500 + 50);
        printf("jobs rate (%s): %d ads, %.1f MB in %.3f s: %.0f ads/s, %.1f MB/s; "
               "builder holds %.1f MB\n", jsonl ? "JSON Lines" : "one document", n,
               size / 1e6, dt, n / dt, size / 1e6 / dt, (mem_used_bytes() - mem0) / 1e6);
        region_builder_free(&b);
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taxonomy_real),
        cmocka_unit_test(test_taxonomy_small),
        cmocka_unit_test(test_taxonomy_errors),
        cmocka_unit_test(test_jobs_real_with_taxonomy),
        cmocka_unit_test(test_jobs_real_filters),
        cmocka_unit_test(test_jobs_jobsearch_hits),
        cmocka_unit_test(test_jobs_with_taxonomy_and_filter),
        cmocka_unit_test(test_jobs_array_and_jsonl),
        cmocka_unit_test(test_jobs_malformed),
        cmocka_unit_test(test_jobs_too_big),
        cmocka_unit_test(test_jobs_text_bounds_and_coords),
        cmocka_unit_test(test_jobs_progress),
        cmocka_unit_test(test_jobs_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
