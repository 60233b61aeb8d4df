/*
 * areas.c: the region's areas (see areas.h): kommun polygons from GeoJSON,
 * localities and postcodes from CSV.
 *
 * Kommun polygons are read with jansson in one piece (the whole of Sweden
 * is a 250 KB file at the resolution SCB publishes for maps; the limit is
 * AREAS_MAX_FILE_BYTES). Each kept feature becomes one region_area of level
 * 0 with its rings appended to the builder's rings and ring_points; the
 * first ring of each polygon is RING_OUTER and the others RING_HOLE, and a
 * ring's repeated closing position is dropped (geo_ring_contains closes
 * rings itself). region_builder_kommun_at tests all rings of an area with
 * the even-odd rule, so holes and multipolygons need no special casing.
 *
 * Localities and postcodes are streamed through ingest/csv.h. Localities
 * are placed in a kommun by their point (or an explicit kommun code, or by
 * the kommun's name when the point lies outside every simplified polygon,
 * as coastal villages do), and the locality named like its kommun becomes
 * that kommun's centre.
 *
 * Every importer here follows ingest.h: messages name the file, the line
 * or feature, the field and the value; a failure rolls the builder back.
 */
#include "areas.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/hmap.h"
#include "../base/mem.h"
#include "../base/vec.h"
#include "csv.h"

#define AREAS_MAX_FILE_BYTES (512ull << 20)   /* GeoJSON file size */
#define AREAS_MAX_RING_POINTS (1u << 22)      /* positions in one ring */
#define AREAS_MAX_NAME 256                    /* bytes of a kommun name */
#define AREAS_NAME_MARGIN_M 25000.0           /* see loc_row */

/* ------------------------------------------------------------------ */
/* shared helpers                                                      */

/* Index of the first column whose name equals one of names (ASCII case
 * insensitive), or -1. names is NULL-terminated. */
static int areas_col(const csv_row *h, const char *const *names)
{
    for (size_t k = 0; names[k]; k++)
        for (size_t i = 0; i < h->n; i++)
            if (strcasecmp(h->f[i], names[k]) == 0) return (int)i;
    return -1;
}

/* Lower-cases ASCII letters of s into out (size cap); returns the length,
 * or cap when s does not fit. Used to match kommun names loosely. */
static size_t areas_fold(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s; s++) {
        if (n + 1 >= cap) return cap;
        unsigned char c = (unsigned char)*s;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[n] = '\0';
    return n;
}

static void areas_report(ingest_report *rep, uint64_t records, uint64_t skipped,
                         const char *note)
{
    if (!rep) return;
    rep->records = records;
    rep->skipped = skipped;
    snprintf(rep->note, sizeof rep->note, "%s", note ? note : "");
}

/* ------------------------------------------------------------------ */
/* kommun polygons (GeoJSON)                                           */

typedef struct gj_ctx {
    region_builder *b;
    const char *path;
    fk_err *e;
    size_t fi;            /* index of the feature being read */
    char code[8];         /* its kommun code, "2580", or "?" */
    geo_bbox bbox;        /* of the feature */
    double best_area;     /* largest outer ring so far (|area| in e7^2) */
    uint32_t best_ring;   /* its index in b->rings */
} gj_ctx;

/* Error about the current feature: "path: features[i] (kommun c): ...". */
#define GJ_ERR(c, code_, fmt, ...)                                              \
    err_set((c)->e, (code_), "%s: features[%zu] (kommun %s): " fmt, (c)->path,  \
            (c)->fi, (c)->code, __VA_ARGS__)

/* Reads one ring (array of [lon, lat] positions) at JSON path where into
 * the builder. 0 or an FK_E* code with a message. */
static int gj_ring(gj_ctx *c, const json_t *ring, const char *where, uint8_t role)
{
    region_builder *b = c->b;
    if (!json_is_array(ring))
        return GJ_ERR(c, FK_EPARSE, "%s: not an array of positions", where);
    size_t n = json_array_size(ring);
    if (n < 4)
        return GJ_ERR(c, FK_EPARSE, "%s: ring has %zu positions, expected at least 4 "
                      "(a closed ring repeats its first position)", where, n);
    if (n > AREAS_MAX_RING_POINTS)
        return GJ_ERR(c, FK_ETOOBIG, "%s: ring has %zu positions, more than the "
                      "limit of %u", where, n, AREAS_MAX_RING_POINTS);
    if (b->ring_points.n > UINT32_MAX - n || b->rings.n >= UINT32_MAX)
        return GJ_ERR(c, FK_ETOOBIG, "%s: more than 2^32 ring points in the region",
                      where);
    if (vec_reserve(b->ring_points, b->ring_points.n + n))
        return GJ_ERR(c, FK_ENOMEM, "%s: out of memory", where);
    size_t first = b->ring_points.n;
    for (size_t k = 0; k < n; k++) {
        const json_t *pos = json_array_get(ring, k);
        const json_t *jlon = json_array_get(pos, 0), *jlat = json_array_get(pos, 1);
        if (!json_is_array(pos) || !json_is_number(jlon) || !json_is_number(jlat))
            return GJ_ERR(c, FK_EPARSE, "%s[%zu]: not a position, expected "
                          "[longitude, latitude]", where, k);
        double lon = json_number_value(jlon), lat = json_number_value(jlat);
        geo_point p;
        if (geo_from_deg(lat, lon, &p))
            return GJ_ERR(c, FK_EPARSE, "%s[%zu]: position [%g, %g] out of range, "
                          "expected [longitude -180..180, latitude -90..90] in "
                          "WGS 84 degrees", where, k, lon, lat);
        b->ring_points.v[b->ring_points.n++] = p;
        geo_bbox_add(&c->bbox, p);
    }
    size_t np = b->ring_points.n - first;
    const geo_point *pts = b->ring_points.v + first;
    if (pts[0].lat_e7 == pts[np - 1].lat_e7 && pts[0].lon_e7 == pts[np - 1].lon_e7) {
        np--;
        b->ring_points.n--;
    }
    region_ring r = {0};
    r.first_point = (uint32_t)first;
    r.n_points = (uint32_t)np;
    r.role = role;
    if (vec_push(b->rings, r)) return GJ_ERR(c, FK_ENOMEM, "%s: out of memory", where);
    if (role == RING_OUTER) {
        /* shoelace area relative to the first point, to pick the main ring */
        double a2 = 0;
        for (size_t i = 0; i < np; i++) {
            size_t j = (i + 1) % np;
            double x0 = (double)pts[i].lon_e7 - pts[0].lon_e7;
            double y0 = (double)pts[i].lat_e7 - pts[0].lat_e7;
            double x1 = (double)pts[j].lon_e7 - pts[0].lon_e7;
            double y1 = (double)pts[j].lat_e7 - pts[0].lat_e7;
            a2 += x0 * y1 - x1 * y0;
        }
        if (c->best_ring == UINT32_MAX || fabs(a2) > c->best_area) {
            c->best_area = fabs(a2);
            c->best_ring = (uint32_t)(b->rings.n - 1);
        }
    }
    return 0;
}

/* Reads one polygon (array of rings) found at JSON path where. */
static int gj_polygon(gj_ctx *c, const json_t *poly, const char *where)
{
    if (!json_is_array(poly))
        return GJ_ERR(c, FK_EPARSE, "%s: not an array of rings", where);
    if (json_array_size(poly) == 0)
        return GJ_ERR(c, FK_EPARSE, "%s: polygon has no rings", where);
    char sub[96];
    for (size_t r = 0; r < json_array_size(poly); r++) {
        snprintf(sub, sizeof sub, "%s[%zu]", where, r);
        int rc = gj_ring(c, json_array_get(poly, r), sub, r == 0 ? RING_OUTER : RING_HOLE);
        if (rc) return rc;
    }
    return 0;
}

/* The kommun code of a feature's properties into c->code and *num. */
static int gj_code(gj_ctx *c, const json_t *props, uint16_t *num)
{
    static const char *const keys[] = {"kommun_kod", "code", "KnKod", NULL};
    const json_t *v = NULL;
    const char *key = keys[0];
    for (size_t k = 0; keys[k] && !v; k++) {
        v = json_object_get(props, keys[k]);
        if (v && json_is_null(v)) v = NULL;
        if (v) key = keys[k];
    }
    if (!v)
        return GJ_ERR(c, FK_EPARSE, "%s", "no kommun code: expected a property "
                      "kommun_kod, code or KnKod (4 digits, like \"2580\")");
    long val = -1;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i >= 1 && i <= 9999) val = (long)i;
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        int digits = n >= 1 && n <= 4;
        for (size_t i = 0; i < n && digits; i++)
            if (s[i] < '0' || s[i] > '9') digits = 0;
        if (digits) val = strtol(s, NULL, 10);
        if (val == 0) val = -1;
    }
    if (val < 0) {
        char shown[48];
        if (json_is_string(v))
            snprintf(shown, sizeof shown, "\"%.40s\"", json_string_value(v));
        else
            snprintf(shown, sizeof shown, "a JSON %s",
                     json_is_integer(v) ? "integer out of range" :
                     json_is_real(v) ? "real" : json_is_object(v) ? "object" :
                     json_is_array(v) ? "array" : "boolean");
        return GJ_ERR(c, FK_EPARSE, "property %s: %s is not a kommun code, expected "
                      "4 digits like \"2580\"", key, shown);
    }
    *num = (uint16_t)val;
    snprintf(c->code, sizeof c->code, "%04u", (unsigned)*num);
    return 0;
}

/* Reads feature c->fi; *kept is set when it passed the filter and was
 * added. dup maps kommun codes already present to feature index + 1 (0 for
 * areas from before this import). */
static int gj_feature(gj_ctx *c, const json_t *f, const char *filter, hmap_u64 *dup,
                      int *kept)
{
    region_builder *b = c->b;
    *kept = 0;
    snprintf(c->code, sizeof c->code, "?");
    if (!json_is_object(f))
        return GJ_ERR(c, FK_EPARSE, "%s", "not a JSON object, expected a Feature");
    const json_t *props = json_object_get(f, "properties");
    uint16_t num = 0;
    int rc = gj_code(c, props, &num);
    if (rc) return rc;
    if (!ingest_filter_match(filter, num)) return 0;

    uint32_t seen = hmap_u64_get(dup, num);
    if (seen != HMAP_NONE) {
        if (seen == 0)
            return GJ_ERR(c, FK_EPARSE, "%s", "duplicate kommun code: this kommun "
                          "is already in the region (imported before)");
        return GJ_ERR(c, FK_EPARSE, "duplicate kommun code: already given by "
                      "features[%u]", seen - 1);
    }

    static const char *const name_keys[] = {"kommun", "name", "KnNamn", NULL};
    const char *name = "";
    for (size_t k = 0; name_keys[k]; k++) {
        const json_t *v = json_object_get(props, name_keys[k]);
        if (json_is_string(v)) {
            name = json_string_value(v);
            break;
        }
    }
    if (strlen(name) > AREAS_MAX_NAME)
        return GJ_ERR(c, FK_EPARSE, "name \"%.40s...\" longer than %d bytes", name,
                      AREAS_MAX_NAME);

    const json_t *g = json_object_get(f, "geometry");
    const char *type = json_string_value(json_object_get(g, "type"));
    const json_t *coords = json_object_get(g, "coordinates");
    if (!json_is_object(g) || !type)
        return GJ_ERR(c, FK_EPARSE, "%s", "no geometry, expected a Polygon or "
                      "MultiPolygon");
    int multi;
    if (strcmp(type, "Polygon") == 0) multi = 0;
    else if (strcmp(type, "MultiPolygon") == 0) multi = 1;
    else
        return GJ_ERR(c, FK_EPARSE, "geometry type \"%.40s\", expected Polygon or "
                      "MultiPolygon", type);
    if (!json_is_array(coords))
        return GJ_ERR(c, FK_EPARSE, "%s", "geometry.coordinates: missing or not an "
                      "array");

    size_t first_ring = b->rings.n;
    c->bbox = geo_bbox_empty();
    c->best_area = 0;
    c->best_ring = UINT32_MAX;
    if (multi) {
        if (json_array_size(coords) == 0)
            return GJ_ERR(c, FK_EPARSE, "%s", "geometry.coordinates: MultiPolygon "
                          "has no polygons");
        char where[64];
        for (size_t p = 0; p < json_array_size(coords); p++) {
            snprintf(where, sizeof where, "geometry.coordinates[%zu]", p);
            rc = gj_polygon(c, json_array_get(coords, p), where);
            if (rc) return rc;
        }
    } else {
        rc = gj_polygon(c, coords, "geometry.coordinates");
        if (rc) return rc;
    }

    region_area a = {0};
    a.code = rb_str(b, c->code, &rc);
    a.name = rb_str(b, name, &rc);
    if (rc) return GJ_ERR(c, rc, "%s", "out of memory (strings)");
    a.first_ring = (uint32_t)first_ring;
    a.n_rings = (uint32_t)(b->rings.n - first_ring);
    a.bbox = c->bbox;
    const region_ring *best = &b->rings.v[c->best_ring];
    a.centre = geo_ring_centroid(b->ring_points.v + best->first_point, best->n_points);
    a.kommun_code = num;
    a.level = 0;
    if (vec_push(b->areas, a) || hmap_u64_put(dup, num, (uint32_t)c->fi + 1))
        return GJ_ERR(c, FK_ENOMEM, "%s", "out of memory");
    *kept = 1;
    return 0;
}

/*
 * Imports the kommun polygons of the GeoJSON FeatureCollection at path,
 * keeping the kommuner that pass filter (NULL: all). See areas.h and
 * docs/schemas.md. The JSON tree is jansson's, on its own allocator (as in
 * ingest/jobs.c: switching jansson's global allocator would affect every
 * other user of it), and freed before returning.
 */
int ingest_kommuner_geojson(region_builder *b, const char *path, const char *filter,
                            ingest_report *rep, fk_err *e)
{
    region_builder_mark mark;
    region_builder_mark_get(b, &mark);
    hmap_u64 dup = {0};
    json_t *root = NULL;
    uint64_t kept_n = 0, skipped = 0;
    int rc = ingest_filter_check(filter, e);
    if (rc) goto fail;

    struct stat st;
    if (stat(path, &st) != 0) {
        rc = err_set(e, FK_EIO, "%s: cannot open: %s", path, strerror(errno));
        goto fail;
    }
    if ((uint64_t)st.st_size > AREAS_MAX_FILE_BYTES) {
        rc = err_set(e, FK_ETOOBIG, "%s: %llu bytes, more than the limit of %llu MiB "
                     "for a boundary file", path, (unsigned long long)st.st_size,
                     AREAS_MAX_FILE_BYTES >> 20);
        goto fail;
    }
    progress_begin(b->progress, "kommun areas", (uint64_t)st.st_size);
    json_error_t jerr;
    root = json_load_file(path, 0, &jerr);
    if (!root) {
        rc = err_set(e, FK_EPARSE, "%s:%d:%d: invalid JSON: %s", path, jerr.line,
                     jerr.column, jerr.text);
        goto fail;
    }
    const char *type = json_string_value(json_object_get(root, "type"));
    const json_t *features = json_object_get(root, "features");
    if (!type || strcmp(type, "FeatureCollection") != 0 || !json_is_array(features)) {
        rc = err_set(e, FK_EPARSE, "%s: not a GeoJSON FeatureCollection (expected an "
                     "object with \"type\": \"FeatureCollection\" and a \"features\" "
                     "array; found type %s%.40s%s)", path, type ? "\"" : "",
                     type ? type : "missing", type ? "\"" : "");
        goto fail;
    }
    for (size_t i = 0; i < b->areas.n; i++)
        if (b->areas.v[i].level == 0 && hmap_u64_put(&dup, b->areas.v[i].kommun_code, 0)) {
            rc = err_set(e, FK_ENOMEM, "%s: out of memory", path);
            goto fail;
        }

    gj_ctx c = {0};
    c.b = b;
    c.path = path;
    c.e = e;
    for (size_t i = 0; i < json_array_size(features); i++) {
        if (b->areas.n >= UINT32_MAX) {
            rc = err_set(e, FK_ETOOBIG, "%s: too many areas", path);
            goto fail;
        }
        c.fi = i;
        int kept = 0;
        rc = gj_feature(&c, json_array_get(features, i), filter, &dup, &kept);
        if (rc) goto fail;
        if (kept) kept_n++;
        else skipped++;
        progress_step(b->progress, 1, 0);
    }
    if (b->progress) b->progress->count = kept_n;
    progress_done(b->progress);

    char note[128] = "";
    if (skipped)
        snprintf(note, sizeof note, "%llu kommuner outside the filter \"%s\"",
                 (unsigned long long)skipped, filter ? filter : "");
    areas_report(rep, kept_n, skipped, note);
    json_decref(root);
    hmap_u64_free(&dup);
    return 0;

fail:
    region_builder_rollback(b, &mark);
    json_decref(root);
    hmap_u64_free(&dup);
    areas_report(rep, 0, 0, NULL);
    return rc;
}

/* ------------------------------------------------------------------ */
/* localities (CSV)                                                    */

typedef struct loc_ctx {
    region_builder *b;
    const char *filter;
    int c_name, c_muni, c_code, c_lat, c_lon, c_pop;
    int have_areas;
    hmap_str names;       /* folded kommun name -> area index */
    hmap_u64 codes;       /* kommun codes of level-0 areas -> 1 */
    uint64_t kept, skip_filter, skip_unknown, skip_nowhere;
    uint64_t skip_far;    /* of skip_nowhere: named kommun too far away */
} loc_ctx;

static int loc_header(void *ud, const csv_row *h, fk_err *e)
{
    loc_ctx *c = ud;
    static const char *const n_name[] = {"Locality", "name", "tatort", NULL};
    static const char *const n_muni[] = {"Municipality", "kommun", "municipality_name",
                                         NULL};
    static const char *const n_code[] = {"kommun_code", "municipality_code", NULL};
    static const char *const n_lat[] = {"Latitude", "lat", NULL};
    static const char *const n_lon[] = {"Longitude", "lon", "lng", NULL};
    static const char *const n_pop[] = {"population", "folkmangd", "folkmängd", NULL};
    c->c_name = areas_col(h, n_name);
    c->c_muni = areas_col(h, n_muni);
    c->c_code = areas_col(h, n_code);
    c->c_lat = areas_col(h, n_lat);
    c->c_lon = areas_col(h, n_lon);
    c->c_pop = areas_col(h, n_pop);
    const char *missing = c->c_name < 0 ? "Locality (or name)" :
                          c->c_lat < 0 ? "Latitude (or lat)" :
                          c->c_lon < 0 ? "Longitude (or lon)" : NULL;
    if (missing)
        return err_set(e, FK_EPARSE, "%s:%llu: missing required column %s (required "
                       "columns: Locality, Latitude, Longitude; or name, lat, lon)",
                       h->file, (unsigned long long)h->line, missing);
    return 0;
}

static int loc_row(void *ud, const csv_row *row, fk_err *e)
{
    loc_ctx *c = ud;
    region_builder *b = c->b;
    const char *name;
    double lat, lon;
    long long code = 0, pop = 0;
    int rc = csv_req(row, c->c_name, "Locality", &name, e);
    if (!rc) rc = csv_double(row, c->c_lat, "Latitude", -90, 90, &lat, e);
    if (!rc) rc = csv_double(row, c->c_lon, "Longitude", -180, 180, &lon, e);
    if (!rc && c->c_code >= 0)
        rc = csv_int_opt(row, c->c_code, "kommun_code", 1, 9999, 0, &code, e);
    if (!rc && c->c_pop >= 0)
        rc = csv_int_opt(row, c->c_pop, "population", 0, 100000000, 0, &pop, e);
    if (rc) return rc;
    geo_point p;
    if (geo_from_deg(lat, lon, &p))   /* ranges checked above */
        return err_set(e, FK_EPARSE, "%s:%llu: bad coordinates", row->file,
                       (unsigned long long)row->line);
    if (!code) code = region_builder_kommun_at(b, p);
    if (!code && c->c_muni >= 0 && c->have_areas) {
        /* by name, if the point is near that kommun: the Municipality
         * column of svenska-stader is wrong for a few rows far away */
        char key[AREAS_MAX_NAME + 1];
        size_t n = areas_fold(csv_get(row, c->c_muni), key, sizeof key);
        uint32_t ai = n < sizeof key ? hmap_str_get(&c->names, key, n) : HMAP_NONE;
        if (ai != HMAP_NONE) {
            geo_bbox near = geo_bbox_expand(b->areas.v[ai].bbox, AREAS_NAME_MARGIN_M);
            if (geo_bbox_contains(&near, p)) code = b->areas.v[ai].kommun_code;
            else c->skip_far++;
        }
    }
    if (c->have_areas && !code) {
        c->skip_nowhere++;
        return 0;
    }
    if (c->have_areas && hmap_u64_get(&c->codes, (uint64_t)code) == HMAP_NONE) {
        c->skip_unknown++;
        return 0;
    }
    if (!ingest_filter_match(c->filter, (unsigned)code)) {
        c->skip_filter++;
        return 0;
    }
    if (b->localities.n >= UINT32_MAX)
        return err_set(e, FK_ETOOBIG, "%s:%llu: too many localities", row->file,
                       (unsigned long long)row->line);
    region_locality l = {0};
    l.pos = p;
    l.name = rb_str(b, name, &rc);
    l.population = (uint32_t)pop;
    l.kommun_code = (uint16_t)code;
    if (rc || vec_push(b->localities, l))
        return err_set(e, FK_ENOMEM, "%s:%llu: out of memory", row->file,
                       (unsigned long long)row->line);
    c->kept++;
    return 0;
}

/* Moves each level-0 area's centre to the locality of its kommun that has
 * the kommun's name (Luleå in Luleå kommun). Interned strings are equal
 * exactly when their offsets are, so names compare as offsets. */
static int loc_set_centres(region_builder *b)
{
    hmap_u64 first = {0};
    for (size_t i = 0; i < b->localities.n; i++) {
        const region_locality *l = &b->localities.v[i];
        uint64_t key = ((uint64_t)l->kommun_code << 32) | l->name;
        if (hmap_u64_get(&first, key) == HMAP_NONE &&
            hmap_u64_put(&first, key, (uint32_t)i)) {
            hmap_u64_free(&first);
            return FK_ENOMEM;
        }
    }
    for (size_t i = 0; i < b->areas.n; i++) {
        region_area *a = &b->areas.v[i];
        if (a->level != 0) continue;
        uint32_t k = hmap_u64_get(&first, ((uint64_t)a->kommun_code << 32) | a->name);
        if (k != HMAP_NONE) a->centre = b->localities.v[k].pos;
    }
    hmap_u64_free(&first);
    return 0;
}

/*
 * Imports localities from the CSV at path (see areas.h, docs/schemas.md).
 * A locality's kommun is the kommun_code column when present and filled,
 * else the kommun area containing its point, else the area whose name
 * equals the Municipality column, provided the point lies within
 * AREAS_NAME_MARGIN_M of that kommun's bounding box. With kommun areas in the builder, rows
 * of kommuner not among them are skipped; rows failing filter are skipped.
 * A filter without kommun areas is an error (FK_EINVAL). On success each
 * kommun's centre moves to its main locality.
 */
int ingest_localities_csv(region_builder *b, const char *path, const char *filter,
                          ingest_report *rep, fk_err *e)
{
    region_builder_mark mark;
    region_builder_mark_get(b, &mark);
    loc_ctx c = {0};
    c.b = b;
    c.filter = filter;
    int rc = ingest_filter_check(filter, e);
    if (rc) goto fail;
    for (size_t i = 0; i < b->areas.n; i++) {
        const region_area *a = &b->areas.v[i];
        if (a->level != 0) continue;
        c.have_areas = 1;
        char key[AREAS_MAX_NAME + 1];
        const char *nm = b->strings.data + a->name;
        size_t n = areas_fold(nm, key, sizeof key);
        if (hmap_u64_put(&c.codes, a->kommun_code, 1) ||
            (n < sizeof key && hmap_str_get(&c.names, key, n) == HMAP_NONE &&
             hmap_str_put(&c.names, key, n, (uint32_t)i))) {
            rc = err_set(e, FK_ENOMEM, "%s: out of memory", path);
            goto fail;
        }
    }
    if (filter && *filter && !c.have_areas) {
        rc = err_set(e, FK_EINVAL, "%s: the kommun filter \"%s\" needs the kommun "
                     "areas: import the kommun boundaries (GeoJSON) first", path, filter);
        goto fail;
    }
    rc = csv_read_file(path, path, loc_header, loc_row, &c, b->progress, "localities", e);
    if (rc) goto fail;
    if (loc_set_centres(b)) {
        rc = err_set(e, FK_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    if (rep) {
        areas_report(rep, c.kept, c.skip_filter + c.skip_unknown + c.skip_nowhere, NULL);
        snprintf(rep->note, sizeof rep->note, "%llu outside the filter, %llu in kommuner "
                 "not imported, %llu in no kommun (point outside every area, and "
                 "municipality name unknown or, for %llu, naming a kommun more than "
                 "%.0f km away)", (unsigned long long)c.skip_filter,
                 (unsigned long long)c.skip_unknown, (unsigned long long)c.skip_nowhere,
                 (unsigned long long)c.skip_far, AREAS_NAME_MARGIN_M / 1000);
    }
    hmap_str_free(&c.names);
    hmap_u64_free(&c.codes);
    return 0;

fail:
    region_builder_rollback(b, &mark);
    hmap_str_free(&c.names);
    hmap_u64_free(&c.codes);
    areas_report(rep, 0, 0, NULL);
    return rc;
}

/* ------------------------------------------------------------------ */
/* postcodes (CSV)                                                     */

typedef struct pc_ctx {
    region_builder *b;
    const char *filter;
    int c_code, c_loc, c_kommun;
    int have_areas;
    hmap_u64 codes;       /* kommun codes of level-0 areas -> 1 */
    hmap_u64 seen;        /* postcode -> line (0: imported before) */
    uint64_t kept, skip_filter, skip_unknown;
} pc_ctx;

static int pc_header(void *ud, const csv_row *h, fk_err *e)
{
    pc_ctx *c = ud;
    static const char *const n_code[] = {"postal_code", "postcode", "postnummer", NULL};
    static const char *const n_loc[] = {"locality", "postort", NULL};
    static const char *const n_kommun[] = {"municipality_code", "kommun_code",
                                           "kommunkod", NULL};
    c->c_code = areas_col(h, n_code);
    c->c_loc = areas_col(h, n_loc);
    c->c_kommun = areas_col(h, n_kommun);
    const char *missing = c->c_code < 0 ? "postal_code" :
                          c->c_loc < 0 ? "locality" :
                          c->c_kommun < 0 ? "municipality_code" : NULL;
    if (missing)
        return err_set(e, FK_EPARSE, "%s:%llu: missing required column %s (required "
                       "columns: postal_code, locality, municipality_code)",
                       h->file, (unsigned long long)h->line, missing);
    return 0;
}

/* Parses a Swedish postcode: 5 digits, spaces allowed ("972 31"). */
static int pc_parse(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    int nd = 0;
    for (; *s; s++) {
        if (*s == ' ') continue;
        if (*s < '0' || *s > '9' || ++nd > 5) return -1;
        v = v * 10 + (uint32_t)(*s - '0');
    }
    if (nd != 5 || v < 10000) return -1;
    *out = v;
    return 0;
}

static int pc_row(void *ud, const csv_row *row, fk_err *e)
{
    pc_ctx *c = ud;
    region_builder *b = c->b;
    const char *scode, *loc;
    long long kommun;
    uint32_t code;
    int rc = csv_req(row, c->c_code, "postal_code", &scode, e);
    if (!rc) rc = csv_req(row, c->c_loc, "locality", &loc, e);
    if (!rc) rc = csv_int(row, c->c_kommun, "municipality_code", 1, 9999, &kommun, e);
    if (rc) return rc;
    if (pc_parse(scode, &code))
        return err_set(e, FK_EPARSE, "%s:%llu: field postal_code: \"%.40s\" is not a "
                       "postcode, expected 5 digits 10000..99999 (\"97231\" or \"972 31\")",
                       row->file, (unsigned long long)row->line, scode);
    if (!ingest_filter_match(c->filter, (unsigned)kommun)) {
        c->skip_filter++;
        return 0;
    }
    if (c->have_areas && hmap_u64_get(&c->codes, (uint64_t)kommun) == HMAP_NONE) {
        c->skip_unknown++;
        return 0;
    }
    uint32_t prev = hmap_u64_get(&c->seen, code);
    if (prev != HMAP_NONE) {
        if (prev == 0)
            return err_set(e, FK_EPARSE, "%s:%llu: field postal_code: \"%s\" is a "
                           "duplicate: already imported from another file", row->file,
                           (unsigned long long)row->line, scode);
        return err_set(e, FK_EPARSE, "%s:%llu: field postal_code: \"%s\" is a "
                       "duplicate of line %u", row->file,
                       (unsigned long long)row->line, scode, prev);
    }
    if (b->postcodes.n >= UINT32_MAX)
        return err_set(e, FK_ETOOBIG, "%s:%llu: too many postcodes", row->file,
                       (unsigned long long)row->line);
    region_postcode pc = {0};
    pc.code = code;
    pc.locality = rb_str(b, loc, &rc);
    pc.kommun_code = (uint16_t)kommun;
    uint32_t line = row->line < UINT32_MAX ? (uint32_t)row->line : UINT32_MAX - 1;
    if (rc || vec_push(b->postcodes, pc) || hmap_u64_put(&c->seen, code, line))
        return err_set(e, FK_ENOMEM, "%s:%llu: out of memory", row->file,
                       (unsigned long long)row->line);
    c->kept++;
    return 0;
}

/*
 * Imports postcodes from the CSV at path (see areas.h, docs/schemas.md).
 * Rows failing filter, and (when kommun areas were imported) rows of
 * kommuner not among them, are skipped and counted. A postcode given
 * twice is an error naming both lines.
 */
int ingest_postcodes_csv(region_builder *b, const char *path, const char *filter,
                         ingest_report *rep, fk_err *e)
{
    region_builder_mark mark;
    region_builder_mark_get(b, &mark);
    pc_ctx c = {0};
    c.b = b;
    c.filter = filter;
    int rc = ingest_filter_check(filter, e);
    if (rc) goto fail;
    for (size_t i = 0; i < b->areas.n; i++) {
        if (b->areas.v[i].level != 0) continue;
        c.have_areas = 1;
        if (hmap_u64_put(&c.codes, b->areas.v[i].kommun_code, 1)) goto nomem;
    }
    for (size_t i = 0; i < b->postcodes.n; i++)
        if (hmap_u64_put(&c.seen, b->postcodes.v[i].code, 0)) goto nomem;
    rc = csv_read_file(path, path, pc_header, pc_row, &c, b->progress, "postcodes", e);
    if (rc) goto fail;
    if (rep) {
        areas_report(rep, c.kept, c.skip_filter + c.skip_unknown, NULL);
        snprintf(rep->note, sizeof rep->note, "%llu outside the filter, %llu in "
                 "kommuner not imported", (unsigned long long)c.skip_filter,
                 (unsigned long long)c.skip_unknown);
    }
    hmap_u64_free(&c.codes);
    hmap_u64_free(&c.seen);
    return 0;

nomem:
    rc = err_set(e, FK_ENOMEM, "%s: out of memory", path);
fail:
    region_builder_rollback(b, &mark);
    hmap_u64_free(&c.codes);
    hmap_u64_free(&c.seen);
    areas_report(rep, 0, 0, NULL);
    return rc;
}
