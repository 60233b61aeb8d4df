/*
 * fuzz_jobs.c: libFuzzer target for the job ads and taxonomy importers
 * (ingest/jobs.c).
 *
 * Each input is written to a temporary file and imported three ways:
 *   1. as job ads into an empty builder, no filter;
 *   2. as job ads into a builder that already holds a small taxonomy and a
 *      kommun area (2580), with the filter "25";
 *   3. as a taxonomy dump.
 * After each import the target checks the importer contract: on failure a
 * message is set and the builder is exactly as before (rolled back); on
 * success every concept index and relation points into the arrays. The
 * builder is freed every time, so LeakSanitizer sees any leak on any path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ingest/jobs.h"

static char fuzz_path[256], fuzz_tax_path[256];

static const char fuzz_taxonomy[] =
    "{\"occupation-name\": {\"7296\": {\"conceptId\": \"bXNH_MNX_dUR\", "
    "\"legacyAmsTaxonomyId\": \"7296\", \"preferredLabel\": \"Sjuksköterska, grundutbildad\"}},"
    " \"ssyk-level-4\": {\"1452\": {\"conceptId\": \"Z8ci_bBE_tmx\", "
    "\"preferredLabel\": \"Grundutbildade sjuksköterskor\"}},"
    " \"occupation-field\": {\"8\": {\"conceptId\": \"NYW6_mP6_vwf\", "
    "\"preferredLabel\": \"Hälso- och sjukvård\"}},"
    " \"continent\": {\"0\": {\"conceptId\": \"AJT7_ha3_9gd\", \"preferredLabel\": \"Hela världen\"}}}";

static void fuzz_cleanup(void)
{
    unlink(fuzz_path);
    unlink(fuzz_tax_path);
}

static int fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

static void fuzz_init(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(fuzz_path, sizeof fuzz_path, "%s/fuzz_jobs_%d.json", dir, (int)getpid());
    snprintf(fuzz_tax_path, sizeof fuzz_tax_path, "%s/fuzz_jobs_tax_%d.json", dir, (int)getpid());
    if (fuzz_write(fuzz_tax_path, fuzz_taxonomy, strlen(fuzz_taxonomy))) abort();
    atexit(fuzz_cleanup);
}

/* A square kommun area 2580 around Luleå, appended directly. */
static void fuzz_add_kommun(region_builder *b)
{
    int rc = 0;
    region_area a = {0};
    a.code = rb_str(b, "2580", &rc);
    a.name = rb_str(b, "Luleå", &rc);
    a.kommun_code = 2580;
    a.first_ring = (uint32_t)b->rings.n;
    a.n_rings = 1;
    region_ring r = {0};
    r.first_point = (uint32_t)b->ring_points.n;
    r.n_points = 4;
    geo_point ps[4] = {{655000000, 219000000}, {655000000, 223000000},
                       {657000000, 223000000}, {657000000, 219000000}};
    a.bbox = geo_bbox_empty();
    for (int i = 0; i < 4; i++) {
        if (vec_push(b->ring_points, ps[i])) abort();
        geo_bbox_add(&a.bbox, ps[i]);
    }
    a.centre.lat_e7 = 655848000;
    a.centre.lon_e7 = 221547000;
    if (rc || vec_push(b->rings, r) || vec_push(b->areas, a)) abort();
}

/* Array sizes before an import (marks are compared whole, so zero them). */
static void fuzz_mark(const region_builder *b, region_builder_mark *m, size_t *jobs,
                      size_t *concepts)
{
    memset(m, 0, sizeof *m);
    region_builder_mark_get(b, m);
    *jobs = b->jobs.n;
    *concepts = b->concepts.n;
}

/* Checks the importer contract after one import: on failure a message and
 * a builder as before; on success a report that counts what was added and
 * indices that point into the arrays. */
static void fuzz_check(const region_builder *b, const region_builder_mark *before,
                       size_t jobs0, size_t concepts0, int is_jobs, int rc,
                       const fk_err *e, const ingest_report *rep)
{
    region_builder_mark after;
    memset(&after, 0, sizeof after);
    region_builder_mark_get(b, &after);
    if (rc) {
        if (rc != e->code || e->msg[0] == '\0') abort();
        if (memcmp(before, &after, sizeof after) != 0) abort();   /* not rolled back */
        if (rep->records) abort();
        return;
    }
    if (rep->records != (is_jobs ? b->jobs.n - jobs0 : b->concepts.n - concepts0)) abort();
    for (size_t i = 0; i < b->jobs.n; i++) {
        const region_job *j = &b->jobs.v[i];
        if ((j->occupation != REGION_NONE && j->occupation >= b->concepts.n) ||
            (j->occupation_group != REGION_NONE && j->occupation_group >= b->concepts.n) ||
            (j->occupation_field != REGION_NONE && j->occupation_field >= b->concepts.n) ||
            j->source_id >= b->strings.len || j->description >= b->strings.len)
            abort();
    }
    for (size_t i = 0; i < b->concept_rels.n; i++)
        if (b->concept_rels.v[i].narrower >= b->concepts.n ||
            b->concept_rels.v[i].broader >= b->concepts.n)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_path[0]) fuzz_init();
    if (fuzz_write(fuzz_path, data, size)) return 0;

    region_builder b;
    region_builder_mark m;
    size_t jobs0, concepts0;
    ingest_report rep;
    fk_err e = {0};
    int rc;

    /* 1. job ads, empty builder */
    region_builder_init(&b, "fuzz");
    fuzz_mark(&b, &m, &jobs0, &concepts0);
    rc = ingest_jobs(&b, fuzz_path, NULL, &rep, &e);
    fuzz_check(&b, &m, jobs0, concepts0, 1, rc, &e, &rep);
    region_builder_free(&b);

    /* 2. job ads after a taxonomy and a kommun, with a filter */
    region_builder_init(&b, "fuzz");
    fuzz_add_kommun(&b);
    err_clear(&e);
    if (ingest_taxonomy(&b, fuzz_tax_path, &rep, &e)) abort();
    fuzz_mark(&b, &m, &jobs0, &concepts0);
    rc = ingest_jobs(&b, fuzz_path, "25", &rep, &e);
    fuzz_check(&b, &m, jobs0, concepts0, 1, rc, &e, &rep);
    for (size_t i = 0; i < b.jobs.n; i++)
        if (b.jobs.v[i].kommun_code / 100 != 25) abort();
    region_builder_free(&b);

    /* 3. the same bytes as a taxonomy dump */
    region_builder_init(&b, "fuzz");
    fuzz_mark(&b, &m, &jobs0, &concepts0);
    err_clear(&e);
    rc = ingest_taxonomy(&b, fuzz_path, &rep, &e);
    fuzz_check(&b, &m, jobs0, concepts0, 0, rc, &e, &rep);
    region_builder_free(&b);
    return 0;
}
