/*
 * jobs.c: the JobTech occupation taxonomy and job ads (see jobs.h and
 * docs/jobs.md).
 *
 * Both importers parse JSON with jansson. The taxonomy and single-document
 * job files (a JobSearch response, an array of ads, the old Elasticsearch
 * response) are loaded whole, bounded by JOBS_MAX_DOC_BYTES; JSON Lines are
 * streamed one line at a time through a small line reader, so a dump of any
 * size runs in memory bounded by its longest line.
 *
 * Every ad goes through one mapping (jobs_ad) driven by a table of field
 * names (ad_schema): English JobSearch names or the older Swedish names.
 * Concepts are deduplicated by concept id over everything the builder holds
 * (an hmap built at the start of each import), relations by (narrower,
 * broader). All appends happen on the builder's arrays; on any error the
 * builder is rolled back to its mark, so nothing is half added.
 *
 * jansson allocates through malloc: its allocator is global
 * (json_set_alloc_funcs) and objects made before a switch would be freed
 * by the wrong function, so this module leaves it alone; main may route it
 * to base/mem.h once at start-up. Every jansson value is released here
 * before return.
 */
#include "jobs.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../base/hmap.h"
#include "../base/mem.h"

#define JOBS_MAX_DOC_BYTES ((uint64_t)1 << 30)   /* one JSON document */
#define JOBS_MAX_LINE_BYTES ((size_t)64 << 20)   /* one JSON Lines line */
#define JOBS_MAX_DESCRIPTION 20000               /* bytes, cut on UTF-8 boundary */
#define JOBS_MAX_TEXT 500                        /* title, employer, label, address */
#define JOBS_MAX_URL 2000
#define JOBS_MAX_ID 200                          /* ad ids and concept ids */
#define JOBS_CHUNK (64u << 10)              /* first line buffer; doubles */

/* ------------------------------------------------------------------ */
/* small helpers                                                       */
/* ------------------------------------------------------------------ */

/* Length of s[0..len) cut to at most max bytes without splitting a UTF-8
 * sequence (jansson only hands out valid UTF-8). */
static size_t jobs_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max) return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

static const char *jobs_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "?";
}

/* A short rendering of a found value for messages: strings quoted (cut at
 * 40 bytes), numbers printed, containers by type. */
static void jobs_value_str(const json_t *v, char *buf, size_t cap)
{
    if (json_is_string(v)) {
        size_t n = jobs_utf8_cut(json_string_value(v), json_string_length(v), 40);
        snprintf(buf, cap, "a string \"%.*s%s\"", (int)n, json_string_value(v),
                 n < json_string_length(v) ? "..." : "");
    } else if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        snprintf(buf, cap, "%g", json_real_value(v));
    } else {
        snprintf(buf, cap, "%s", jobs_type_name(v));
    }
}

/* Sets an error for a jansson parse failure at file line/column. */
static int jobs_json_error(fk_err *e, const char *path, uint64_t line,
                           const json_error_t *je)
{
    if (json_error_code(je) == json_error_out_of_memory)
        return err_set(e, FK_ENOMEM, "%s: out of memory while parsing JSON", path);
    return err_set(e, FK_EPARSE, "%s:%llu:%d: invalid JSON: %s", path,
                   (unsigned long long)line, je->column, je->text);
}

/* Opens path for reading, checks its size against max (0 = no limit) and
 * skips a UTF-8 byte order mark. *size gets the file size. */
static int jobs_open(const char *path, uint64_t max, FILE **out, uint64_t *size,
                     fk_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, FK_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return err_set(e, FK_EIO, "%s: not a regular file", path);
    }
    *size = (uint64_t)st.st_size;
    if (max && *size > max) {
        fclose(f);
        return err_set(e, FK_ETOOBIG, "%s: %llu bytes: a single JSON document may be at "
                       "most %llu bytes (use JSON Lines, one ad per line, for larger dumps)",
                       path, (unsigned long long)*size, (unsigned long long)max);
    }
    unsigned char bom[3];
    size_t n = fread(bom, 1, 3, f);
    if (!(n == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)) rewind(f);
    *out = f;
    return 0;
}

/* Feeds jansson in large reads (json_loadf reads a byte at a time). */
static size_t jobs_load_chunk(void *buf, size_t len, void *ud)
{
    FILE *f = ud;
    size_t n = fread(buf, 1, len, f);
    return n == 0 && ferror(f) ? (size_t)-1 : n;
}

/* Loads the whole JSON document of f (positioned after any BOM). */
static int jobs_load_doc(FILE *f, const char *path, json_t **root, fk_err *e)
{
    json_error_t je;
    *root = json_load_callback(jobs_load_chunk, f, 0, &je);
    if (!*root) return jobs_json_error(e, path, (uint64_t)(je.line > 0 ? je.line : 1), &je);
    return 0;
}

/* Fills c->concepts with concept id -> index for every concept already in
 * the builder. */
static int jobs_concept_map(const region_builder *b, hmap_str *m)
{
    for (size_t i = 0; i < b->concepts.n; i++) {
        uint32_t off = b->concepts.v[i].concept_id;
        if (off == 0 || off >= b->strings.len) continue;
        const char *s = b->strings.data + off;
        if (hmap_str_get(m, s, strlen(s)) != HMAP_NONE) continue;
        if (hmap_str_put(m, s, strlen(s), (uint32_t)i)) return FK_ENOMEM;
    }
    return 0;
}

/* Bounded appends to a report note. */
static void jobs_note(ingest_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void jobs_note(ingest_report *rep, const char *fmt, ...)
{
    if (!rep) return;
    size_t n = strlen(rep->note);
    if (n + 1 >= sizeof rep->note) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->note + n, sizeof rep->note - n, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* taxonomy                                                            */
/* ------------------------------------------------------------------ */

/* The region_concept_type of a taxonomy type name, or -1 to skip it. */
static int jobs_taxonomy_type(const char *t)
{
    static const struct { const char *name; int type; } map[] = {
        {"occupation-name", CONCEPT_OCCUPATION_NAME},
        {"ssyk-level-4", CONCEPT_SSYK4}, {"ssyk-level-3", CONCEPT_SSYK3},
        {"ssyk-level-2", CONCEPT_SSYK2}, {"ssyk-level-1", CONCEPT_SSYK1},
        {"occupation-field", CONCEPT_OCCUPATION_FIELD},
        {"skill", CONCEPT_SKILL},
        {"sun-education-level-1", CONCEPT_SUN_LEVEL},
        {"sun-education-level-2", CONCEPT_SUN_LEVEL},
        {"sun-education-level-3", CONCEPT_SUN_LEVEL},
        {"sun-education-field-1", CONCEPT_SUN_FIELD},
        {"sun-education-field-2", CONCEPT_SUN_FIELD},
        {"sun-education-field-3", CONCEPT_SUN_FIELD},
        {"sun-education-field-4", CONCEPT_SUN_FIELD},
        {"municipality", CONCEPT_MUNICIPALITY},
        {"language", CONCEPT_LANGUAGE},
        {"keyword", CONCEPT_KEYWORD},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].name, t) == 0) return map[i].type;
    return -1;
}

/* One taxonomy entry at TYPE.KEY: appends a concept unless its id is known.
 * Returns 0 (added or duplicate; *added says which) or an error. */
static int jobs_taxonomy_entry(region_builder *b, hmap_str *ids, const char *path,
                               const char *tkey, const char *ckey, json_t *c,
                               int type, int *added, fk_err *e)
{
    char found[96];
    *added = 0;
    if (!json_is_object(c)) {
        jobs_value_str(c, found, sizeof found);
        return err_set(e, FK_EPARSE, "%s: %s.%s: expected an object, found %s",
                       path, tkey, ckey, found);
    }
    json_t *id = json_object_get(c, "conceptId");
    if (!json_is_string(id) || json_string_length(id) == 0 ||
        json_string_length(id) > JOBS_MAX_ID) {
        if (id) jobs_value_str(id, found, sizeof found);
        return err_set(e, FK_EPARSE, "%s: %s.%s.conceptId: expected a string "
                       "(a concept id of 1-%d bytes), found %s", path, tkey, ckey,
                       JOBS_MAX_ID, id ? found : "nothing");
    }
    json_t *label = json_object_get(c, "preferredLabel");
    if (!json_is_string(label)) {
        if (label) jobs_value_str(label, found, sizeof found);
        return err_set(e, FK_EPARSE, "%s: %s.%s.preferredLabel: expected a string, found %s",
                       path, tkey, ckey, label ? found : "nothing");
    }
    json_t *legacy = json_object_get(c, "legacyAmsTaxonomyId");
    char legbuf[32];
    const char *leg = ckey;
    size_t leglen = strlen(ckey);
    if (json_is_string(legacy)) {
        leg = json_string_value(legacy);
        leglen = json_string_length(legacy);
    } else if (json_is_integer(legacy)) {
        snprintf(legbuf, sizeof legbuf, "%lld", (long long)json_integer_value(legacy));
        leg = legbuf;
        leglen = strlen(legbuf);
    } else if (legacy && !json_is_null(legacy)) {
        jobs_value_str(legacy, found, sizeof found);
        return err_set(e, FK_EPARSE, "%s: %s.%s.legacyAmsTaxonomyId: expected a string, "
                       "found %s", path, tkey, ckey, found);
    }
    const char *ids_s = json_string_value(id);
    size_t idlen = json_string_length(id);
    if (hmap_str_get(ids, ids_s, idlen) != HMAP_NONE) return 0;
    if (b->concepts.n >= REGION_NONE - 1)
        return err_set(e, FK_ETOOBIG, "%s: too many concepts", path);

    int rc = 0;
    region_concept rec = {0};
    rec.concept_id = rb_strn(b, ids_s, idlen, &rc);
    rec.label = rb_strn(b, json_string_value(label),
                        jobs_utf8_cut(json_string_value(label), json_string_length(label),
                                      JOBS_MAX_TEXT), &rc);
    rec.legacy_id = rb_strn(b, leg, leglen > JOBS_MAX_ID ? JOBS_MAX_ID : leglen, &rc);
    rec.type = (uint8_t)type;
    if (rc) return err_set(e, rc, "%s: %s", path, rc == FK_ETOOBIG ? "string pool full" : "out of memory");
    if (vec_push(b->concepts, rec) ||
        hmap_str_put(ids, ids_s, idlen, (uint32_t)(b->concepts.n - 1)))
        return err_set(e, FK_ENOMEM, "%s: out of memory", path);
    *added = 1;
    return 0;
}

int ingest_taxonomy(region_builder *b, const char *path, ingest_report *rep, fk_err *e)
{
    region_builder_mark mark;
    region_builder_mark_get(b, &mark);
    if (rep) memset(rep, 0, sizeof *rep);
    hmap_str ids = {0};
    json_t *root = NULL;
    FILE *f = NULL;
    uint64_t size = 0, added = 0, dups = 0, skipped = 0;
    char skipped_types[420] = "";   /* "continent 22, country 250, ..." */
    int rc = jobs_open(path, JOBS_MAX_DOC_BYTES, &f, &size, e);
    if (rc) goto fail;
    progress_begin(b->progress, "taxonomy", size);
    rc = jobs_load_doc(f, path, &root, e);
    fclose(f);
    f = NULL;
    if (rc) goto fail;
    if (!json_is_object(root)) {
        rc = err_set(e, FK_EPARSE, "%s: top level: expected an object of concept types "
                     "({\"occupation-name\": {...}, ...}), found %s", path,
                     jobs_type_name(root));
        goto fail;
    }
    if (jobs_concept_map(b, &ids)) {
        rc = err_set(e, FK_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    const char *tkey;
    json_t *tval;
    json_object_foreach(root, tkey, tval) {
        if (!json_is_object(tval)) {
            char found[96];
            jobs_value_str(tval, found, sizeof found);
            rc = err_set(e, FK_EPARSE, "%s: %s: expected an object of concepts keyed by "
                         "legacy id, found %s", path, tkey, found);
            goto fail;
        }
        int type = jobs_taxonomy_type(tkey);
        if (type < 0) {
            skipped += json_object_size(tval);
            size_t n = strlen(skipped_types);
            if (n + 1 < sizeof skipped_types)
                snprintf(skipped_types + n, sizeof skipped_types - n, "%s%s %zu",
                         n ? ", " : "", tkey, json_object_size(tval));
            continue;
        }
        const char *ckey;
        json_t *c;
        json_object_foreach(tval, ckey, c) {
            int was_added;
            rc = jobs_taxonomy_entry(b, &ids, path, tkey, ckey, c, type, &was_added, e);
            if (rc) goto fail;
            if (was_added) added++;
            else dups++;
            progress_step(b->progress, 1, 0);
        }
    }
    progress_step(b->progress, 0, size);
    progress_done(b->progress);
    if (rep) {
        rep->records = added;
        rep->skipped = skipped + dups;
        if (skipped)
            jobs_note(rep, "%llu concepts of types not kept (%s)",
                      (unsigned long long)skipped, skipped_types);
        if (dups)
            jobs_note(rep, "%s%llu concepts already present (same conceptId)",
                      skipped ? "; " : "", (unsigned long long)dups);
    }
    json_decref(root);
    hmap_str_free(&ids);
    return 0;

fail:
    if (f) fclose(f);
    json_decref(root);
    hmap_str_free(&ids);
    region_builder_rollback(b, &mark);
    if (rep) memset(rep, 0, sizeof *rep);
    return rc;
}

/* ------------------------------------------------------------------ */
/* job ads                                                             */
/* ------------------------------------------------------------------ */

/* Field names of one ad format. */
typedef struct ad_schema {
    const char *id, *title;
    const char *desc, *desc_text;
    const char *employer, *employer_name, *employer_workplace;
    const char *occ, *group, *field;
    const char *c_id, *c_label, *c_legacy;
    const char *addr, *kommun_code, *street, *postcode, *city, *coords;
    const char *published, *deadline, *vacancies;
    const char *url;                 /* top-level page url, or NULL */
    const char *appl, *appl_url;     /* application details and its url */
    const char *worktime, *worktime_label;
} ad_schema;

/* JobTech JobSearch / JobStream / historical ads (English names). */
static const ad_schema jobs_schema_en = {
    "id", "headline", "description", "text", "employer", "name", "workplace",
    "occupation", "occupation_group", "occupation_field",
    "concept_id", "label", "legacy_ams_taxonomy_id",
    "workplace_address", "municipality_code", "street_address", "postcode", "city",
    "coordinates", "publication_date", "application_deadline", "number_of_vacancies",
    "webpage_url", "application_details", "url", "working_hours_type", "label"};

/* The older Platsbanken Elasticsearch documents (Swedish names). */
static const ad_schema jobs_schema_sv = {
    "id", "rubrik", "beskrivning", "annonstext", "arbetsgivare", "namn", "arbetsplats",
    "yrkesroll", "yrkesgrupp", "yrkesomrade", "kod", "term", "taxonomi-kod",
    "arbetsplatsadress", "kommunkod", "gatuadress", "postnummer", "postort",
    "coordinates", "publiceringsdatum", "sista_ansokningsdatum", "antal_platser",
    NULL, "ansokningsdetaljer", "webbadress", "arbetstidstyp", "term"};

typedef struct jobs_ctx {
    region_builder *b;
    const char *path;
    const char *filter;
    fk_err *e;
    hmap_str concepts;       /* concept id -> concept index */
    hmap_u64 rels;           /* narrower << 32 | broader -> 0 */
    hmap_str ad_ids;         /* ad ids already in the builder or this file */
    hmap_u64 kommun_area;    /* kommun code -> level-0 area index */
    /* where the current ad is, for messages */
    uint64_t line;           /* JSON Lines line, 0 for documents */
    char where[64];          /* "hits[3]." or "" */
    /* counts for the report */
    uint64_t added, skip_nopos, skip_filter, skip_dup;
    char first_nopos[96];
} jobs_ctx;

/* Formats "file:line: where.field: message" (or "file: where.field: ...")
 * into c->e and returns code. */
static int jobs_fail(jobs_ctx *c, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int jobs_fail(jobs_ctx *c, int code, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->line)
        return err_set(c->e, code, "%s:%llu: %s%s: %s", c->path,
                       (unsigned long long)c->line, c->where, field, msg);
    return err_set(c->e, code, "%s: %s%s: %s", c->path, c->where, field, msg);
}

static int jobs_wrong(jobs_ctx *c, const char *field, const char *expected, const json_t *v)
{
    char found[96];
    jobs_value_str(v, found, sizeof found);
    return jobs_fail(c, FK_EPARSE, field, "expected %s, found %s", expected, found);
}

/* obj[key] as an object; *out NULL when absent or null. fpath names it. */
static int jobs_get_obj(jobs_ctx *c, json_t *obj, const char *key, const char *fpath,
                        json_t **out)
{
    json_t *v = key ? json_object_get(obj, key) : NULL;
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_object(v)) return jobs_wrong(c, fpath, "an object", v);
    *out = v;
    return 0;
}

/* obj[key] as a string; "" when absent or null. */
static int jobs_get_str(jobs_ctx *c, json_t *obj, const char *key, const char *fpath,
                        const char **s, size_t *len)
{
    json_t *v = obj && key ? json_object_get(obj, key) : NULL;
    *s = "";
    *len = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) return jobs_wrong(c, fpath, "a string", v);
    *s = json_string_value(v);
    *len = json_string_length(v);
    return 0;
}

/* obj[key] as text from a string or an integer (ids, codes); integers are
 * printed into buf. "" when absent or null. */
static int jobs_get_code(jobs_ctx *c, json_t *obj, const char *key, const char *fpath,
                         char *buf, size_t cap, const char **s, size_t *len)
{
    json_t *v = obj && key ? json_object_get(obj, key) : NULL;
    *s = "";
    *len = 0;
    if (!v || json_is_null(v)) return 0;
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        *s = buf;
        *len = strlen(buf);
        return 0;
    }
    if (!json_is_string(v)) return jobs_wrong(c, fpath, "a string or an integer", v);
    *s = json_string_value(v);
    *len = json_string_length(v);
    return 0;
}

/* Interns s without leading and trailing ASCII whitespace, cut to max
 * bytes on a UTF-8 boundary. */
static uint32_t jobs_str(jobs_ctx *c, const char *s, size_t len, size_t max, int *rc)
{
    while (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                   s[len - 1] == '\n'))
        len--;
    return len ? rb_strn(c->b, s, jobs_utf8_cut(s, len, max), rc) : 0;
}

/* A date "YYYY-MM-DD" optionally followed by "T..." or " ..." into days
 * since 1970; INT32_MIN when absent or null. */
static int jobs_get_date(jobs_ctx *c, json_t *ad, const char *key, int32_t *day)
{
    const char *s;
    size_t n;
    *day = INT32_MIN;
    int rc = jobs_get_str(c, ad, key, key, &s, &n);
    if (rc || n == 0) return rc;
    int y, m, d, k = 0;
    if (n < 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &k) != 3 || k != 10 ||
        (n > 10 && s[10] != 'T' && s[10] != ' ') || region_day_from_ymd(y, m, d, day)) {
        *day = INT32_MIN;
        return jobs_wrong(c, key, "a date YYYY-MM-DD or YYYY-MM-DDThh:mm:ss",
                          json_object_get(ad, key));
    }
    return 0;
}

/* One occupation concept object of an ad (occupation, group or field), as
 * read and checked before the ad is kept or left out. */
typedef struct ad_concept {
    const char *key;            /* field name, for messages */
    const char *id, *label, *legacy;
    size_t idlen, labellen, leglen;
    char idbuf[32], legbuf[32]; /* integers printed */
} ad_concept;

/* Reads ad[key] = {concept id, label, legacy id} into *out (idlen 0 when
 * the ad has none). */
static int jobs_concept_read(jobs_ctx *c, const ad_schema *k, json_t *ad, const char *key,
                             ad_concept *out)
{
    char fpath[64];
    json_t *o;
    memset(out, 0, sizeof *out);
    out->key = key;
    out->id = out->label = out->legacy = "";
    int rc = jobs_get_obj(c, ad, key, key, &o);
    if (rc || !o) return rc;
    snprintf(fpath, sizeof fpath, "%s.%s", key, k->c_id);
    if ((rc = jobs_get_code(c, o, k->c_id, fpath, out->idbuf, sizeof out->idbuf, &out->id,
                            &out->idlen)))
        return rc;
    if (out->idlen > JOBS_MAX_ID)
        return jobs_fail(c, FK_EPARSE, fpath, "expected a concept id of at most %d bytes, "
                         "found %zu bytes", JOBS_MAX_ID, out->idlen);
    snprintf(fpath, sizeof fpath, "%s.%s", key, k->c_label);
    if ((rc = jobs_get_str(c, o, k->c_label, fpath, &out->label, &out->labellen))) return rc;
    snprintf(fpath, sizeof fpath, "%s.%s", key, k->c_legacy);
    return jobs_get_code(c, o, k->c_legacy, fpath, out->legbuf, sizeof out->legbuf,
                         &out->legacy, &out->leglen);
}

/* The concept index of a read concept, adding it (with the ad's label and
 * legacy id) when the builder has no concept of that id; REGION_NONE when
 * the ad has none. */
static int jobs_concept(jobs_ctx *c, const ad_concept *ac, uint8_t type, uint32_t *idx)
{
    *idx = REGION_NONE;
    if (ac->idlen == 0) return 0;
    uint32_t have = hmap_str_get(&c->concepts, ac->id, ac->idlen);
    if (have != HMAP_NONE) {
        *idx = have;
        return 0;
    }
    if (c->b->concepts.n >= REGION_NONE - 1)
        return jobs_fail(c, FK_ETOOBIG, ac->key, "too many concepts");
    int rc = 0;
    region_concept rec = {0};
    rec.concept_id = rb_strn(c->b, ac->id, ac->idlen, &rc);
    rec.label = jobs_str(c, ac->label, ac->labellen, JOBS_MAX_TEXT, &rc);
    rec.legacy_id = jobs_str(c, ac->legacy, ac->leglen, JOBS_MAX_ID, &rc);
    rec.type = type;
    if (rc) return jobs_fail(c, rc, ac->key, "cannot intern strings");
    if (vec_push(c->b->concepts, rec) ||
        hmap_str_put(&c->concepts, ac->id, ac->idlen, (uint32_t)(c->b->concepts.n - 1)))
        return jobs_fail(c, FK_ENOMEM, ac->key, "out of memory");
    *idx = (uint32_t)(c->b->concepts.n - 1);
    return 0;
}

/* Records narrower -> broader once. */
static int jobs_rel(jobs_ctx *c, uint32_t narrower, uint32_t broader)
{
    if (narrower == REGION_NONE || broader == REGION_NONE || narrower == broader) return 0;
    uint64_t key = (uint64_t)narrower << 32 | broader;
    if (hmap_u64_get(&c->rels, key) != HMAP_NONE) return 0;
    region_concept_rel r = {narrower, broader};
    if (vec_push(c->b->concept_rels, r) || hmap_u64_put(&c->rels, key, 0))
        return jobs_fail(c, FK_ENOMEM, "occupation", "out of memory");
    return 0;
}

static int jobs_in_sweden(double lat, double lon)
{
    return lat >= 55.0 && lat <= 69.5 && lon >= 10.5 && lon <= 24.5;
}

/* The ad's coordinates [lon, lat] into *p; *has 0 when absent, null, [],
 * [null, null] or [0, 0]. A pair given as [lat, lon] is recognised and
 * swapped when only that reading is valid, or when only that reading lies
 * in Sweden. */
static int jobs_get_coords(jobs_ctx *c, json_t *addr, const char *fpath,
                           geo_point *p, int *has)
{
    json_t *v = addr ? json_object_get(addr, "coordinates") : NULL;
    *has = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v)) return jobs_wrong(c, fpath, "an array [lon, lat]", v);
    if (json_array_size(v) == 0) return 0;
    json_t *a = json_array_get(v, 0), *b = json_array_get(v, 1);
    if (json_array_size(v) == 2 && json_is_null(a) && json_is_null(b)) return 0;
    if (json_array_size(v) != 2 || !json_is_number(a) || !json_is_number(b))
        return jobs_fail(c, FK_EPARSE, fpath, "expected an array of two numbers "
                         "[lon, lat], found %zu elements", json_array_size(v));
    double lon = json_number_value(a), lat = json_number_value(b);
    if (lon == 0.0 && lat == 0.0) return 0;
    geo_point as_given, swapped;
    int ok = geo_from_deg(lat, lon, &as_given) == 0;
    int ok_sw = geo_from_deg(lon, lat, &swapped) == 0;
    if (!ok && !ok_sw)
        return jobs_fail(c, FK_EPARSE, fpath, "coordinates [%g, %g] out of range: "
                         "expected [lon, lat] with lon in [-180, 180] and lat in [-90, 90]",
                         lon, lat);
    if (!ok || (ok_sw && !jobs_in_sweden(lat, lon) && jobs_in_sweden(lon, lat)))
        *p = swapped;
    else
        *p = as_given;
    *has = 1;
    return 0;
}

/* A kommun code "0180" / "180" / 180 into 1..9999; 0 when absent. */
static int jobs_get_kommun(jobs_ctx *c, json_t *addr, const char *key, const char *fpath,
                           unsigned *code)
{
    char buf[32];
    const char *s;
    size_t n;
    *code = 0;
    int rc = jobs_get_code(c, addr, key, fpath, buf, sizeof buf, &s, &n);
    if (rc || n == 0) return rc;
    unsigned v = 0;
    int bad = n > 4;
    for (size_t i = 0; i < n && !bad; i++) {
        if (s[i] < '0' || s[i] > '9') bad = 1;
        else v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (bad || v == 0)
        return jobs_wrong(c, fpath, "a kommun code of 4 digits (\"2580\")",
                          json_object_get(addr, key));
    *code = v;
    return 0;
}

/* Maps one ad object to a region_job and appends it, or counts why it is
 * left out. Returns 0 or an error with c->where/c->line naming the ad. */
static int jobs_ad(jobs_ctx *c, json_t *ad)
{
    char fpath[96], idbuf[32];
    int rc;
    if (!json_is_object(ad)) return jobs_wrong(c, "ad", "an object", ad);
    const ad_schema *k = &jobs_schema_en;
    if (json_object_get(ad, "rubrik") || json_object_get(ad, "arbetsplatsadress") ||
        json_object_get(ad, "yrkesroll"))
        k = &jobs_schema_sv;

    const char *id, *title;
    size_t idlen, titlelen;
    if ((rc = jobs_get_code(c, ad, k->id, k->id, idbuf, sizeof idbuf, &id, &idlen)))
        return rc;
    if (idlen == 0) return jobs_fail(c, FK_EPARSE, k->id, "missing: every ad needs an id");
    if (idlen > JOBS_MAX_ID)
        return jobs_fail(c, FK_EPARSE, k->id, "expected an id of at most %d bytes", JOBS_MAX_ID);
    if ((rc = jobs_get_str(c, ad, k->title, k->title, &title, &titlelen))) return rc;
    if (titlelen == 0)
        return jobs_fail(c, FK_EPARSE, k->title, "missing: every ad needs a headline");

    /* workplace: kommun and position */
    json_t *addr;
    if ((rc = jobs_get_obj(c, ad, k->addr, k->addr, &addr))) return rc;
    unsigned kommun = 0;
    geo_point pos = {0, 0};
    int has_pos = 0;
    const char *street = "", *postcode = "", *city = "";
    size_t streetlen = 0, postlen = 0, citylen = 0;
    char postbuf[32];
    if (addr) {
        snprintf(fpath, sizeof fpath, "%s.%s", k->addr, k->kommun_code);
        if ((rc = jobs_get_kommun(c, addr, k->kommun_code, fpath, &kommun))) return rc;
        snprintf(fpath, sizeof fpath, "%s.%s", k->addr, k->coords);
        if ((rc = jobs_get_coords(c, addr, fpath, &pos, &has_pos))) return rc;
        snprintf(fpath, sizeof fpath, "%s.%s", k->addr, k->street);
        if ((rc = jobs_get_str(c, addr, k->street, fpath, &street, &streetlen))) return rc;
        snprintf(fpath, sizeof fpath, "%s.%s", k->addr, k->postcode);
        if ((rc = jobs_get_code(c, addr, k->postcode, fpath, postbuf, sizeof postbuf,
                                &postcode, &postlen)))
            return rc;
        snprintf(fpath, sizeof fpath, "%s.%s", k->addr, k->city);
        if ((rc = jobs_get_str(c, addr, k->city, fpath, &city, &citylen))) return rc;
    }
    if (!kommun && has_pos) kommun = region_builder_kommun_at(c->b, pos);
    streetlen = jobs_utf8_cut(street, streetlen, JOBS_MAX_TEXT);
    postlen = jobs_utf8_cut(postcode, postlen, 16);
    citylen = jobs_utf8_cut(city, citylen, JOBS_MAX_TEXT);

    /* the remaining fields, all checked before anything is decided */
    json_t *desc, *emp, *appl, *wt;
    const char *text = "", *empname = "", *url = "", *wtlabel = "";
    size_t textlen = 0, empnamelen = 0, urllen = 0, wtlen = 0;
    if ((rc = jobs_get_obj(c, ad, k->desc, k->desc, &desc))) return rc;
    snprintf(fpath, sizeof fpath, "%s.%s", k->desc, k->desc_text);
    if ((rc = jobs_get_str(c, desc, k->desc_text, fpath, &text, &textlen))) return rc;
    if ((rc = jobs_get_obj(c, ad, k->employer, k->employer, &emp))) return rc;
    snprintf(fpath, sizeof fpath, "%s.%s", k->employer, k->employer_name);
    if ((rc = jobs_get_str(c, emp, k->employer_name, fpath, &empname, &empnamelen))) return rc;
    if (empnamelen == 0) {
        snprintf(fpath, sizeof fpath, "%s.%s", k->employer, k->employer_workplace);
        if ((rc = jobs_get_str(c, emp, k->employer_workplace, fpath, &empname, &empnamelen)))
            return rc;
    }
    if (k->url && (rc = jobs_get_str(c, ad, k->url, k->url, &url, &urllen))) return rc;
    if (urllen == 0) {
        if ((rc = jobs_get_obj(c, ad, k->appl, k->appl, &appl))) return rc;
        snprintf(fpath, sizeof fpath, "%s.%s", k->appl, k->appl_url);
        if ((rc = jobs_get_str(c, appl, k->appl_url, fpath, &url, &urllen))) return rc;
    }
    if ((rc = jobs_get_obj(c, ad, k->worktime, k->worktime, &wt))) return rc;
    snprintf(fpath, sizeof fpath, "%s.%s", k->worktime, k->worktime_label);
    if ((rc = jobs_get_str(c, wt, k->worktime_label, fpath, &wtlabel, &wtlen))) return rc;
    int32_t published, deadline;
    if ((rc = jobs_get_date(c, ad, k->published, &published))) return rc;
    if ((rc = jobs_get_date(c, ad, k->deadline, &deadline))) return rc;
    json_t *vac = json_object_get(ad, k->vacancies);
    long long positions = 1;
    if (vac && !json_is_null(vac)) {
        if (!json_is_integer(vac) || json_integer_value(vac) < 0)
            return jobs_wrong(c, k->vacancies, "a whole number >= 0", vac);
        positions = json_integer_value(vac);
        if (positions > UINT16_MAX) positions = UINT16_MAX;
    }
    ad_concept occ, group, field;
    if ((rc = jobs_concept_read(c, k, ad, k->occ, &occ)) ||
        (rc = jobs_concept_read(c, k, ad, k->group, &group)) ||
        (rc = jobs_concept_read(c, k, ad, k->field, &field)))
        return rc;

    /* left out on purpose */
    if (hmap_str_get(&c->ad_ids, id, idlen) != HMAP_NONE) {
        c->skip_dup++;
        return 0;
    }
    if (c->filter && *c->filter && !ingest_filter_match(c->filter, kommun)) {
        c->skip_filter++;
        return 0;
    }
    uint8_t flags = 0;
    if (!has_pos) {
        uint32_t ai = kommun ? hmap_u64_get(&c->kommun_area, kommun) : HMAP_NONE;
        if (ai == HMAP_NONE) {
            if (c->skip_nopos++ == 0)
                snprintf(c->first_nopos, sizeof c->first_nopos, "ad %.*s, kommun %04u",
                         (int)jobs_utf8_cut(id, idlen, 40), id, kommun);
            return 0;
        }
        const region_area *a = &c->b->areas.v[ai];
        pos = a->centre;
        if (pos.lat_e7 == 0 && pos.lon_e7 == 0 && !geo_bbox_is_empty(&a->bbox)) {
            pos.lat_e7 = (int32_t)(((int64_t)a->bbox.min_lat_e7 + a->bbox.max_lat_e7) / 2);
            pos.lon_e7 = (int32_t)(((int64_t)a->bbox.min_lon_e7 + a->bbox.max_lon_e7) / 2);
        }
        flags |= JOB_F_POS_FROM_KOMMUN;
    }

    region_job job = {0};
    job.pos = pos;
    job.flags = flags;
    job.kommun_code = (uint16_t)kommun;
    job.positions = (uint16_t)positions;
    job.published_day = published;
    job.deadline_day = deadline;
    if (wtlen == 0) job.worktime_full = 2;
    else if (strcasecmp(wtlabel, "Heltid") == 0 || strcasecmp(wtlabel, "Full-time") == 0)
        job.worktime_full = 1;
    else if (strcasecmp(wtlabel, "Deltid") == 0 || strcasecmp(wtlabel, "Part-time") == 0)
        job.worktime_full = 0;
    else job.worktime_full = 2;

    if ((rc = jobs_concept(c, &occ, CONCEPT_OCCUPATION_NAME, &job.occupation)) ||
        (rc = jobs_concept(c, &group, CONCEPT_SSYK4, &job.occupation_group)) ||
        (rc = jobs_concept(c, &field, CONCEPT_OCCUPATION_FIELD, &job.occupation_field)) ||
        (rc = jobs_rel(c, job.occupation, job.occupation_group)) ||
        (rc = jobs_rel(c, job.occupation_group, job.occupation_field)))
        return rc;

    /* address: "street, postcode city" from the parts present */
    char address[2 * JOBS_MAX_TEXT + 32];   /* parts were cut above: no truncation */
    int an = snprintf(address, sizeof address, "%.*s%s%.*s%s%.*s",
                      (int)streetlen, street, streetlen && (postlen || citylen) ? ", " : "",
                      (int)postlen, postcode, postlen && citylen ? " " : "",
                      (int)citylen, city);
    size_t alen = an < 0 ? 0 : (size_t)an >= sizeof address ? sizeof address - 1 : (size_t)an;

    char pb[96];
    if (urllen == 0 && k == &jobs_schema_sv) {
        snprintf(pb, sizeof pb, "https://arbetsformedlingen.se/platsbanken/annonser/%.*s",
                 (int)jobs_utf8_cut(id, idlen, 40), id);
        url = pb;
        urllen = strlen(pb);
    }

    rc = 0;
    job.source_id = rb_strn(c->b, id, idlen, &rc);
    job.title = jobs_str(c, title, titlelen, JOBS_MAX_TEXT, &rc);
    job.employer = jobs_str(c, empname, empnamelen, JOBS_MAX_TEXT, &rc);
    job.description = jobs_str(c, text, textlen, JOBS_MAX_DESCRIPTION, &rc);
    job.url = jobs_str(c, url, urllen, JOBS_MAX_URL, &rc);
    job.address = jobs_str(c, address, alen, JOBS_MAX_TEXT, &rc);
    if (rc) return jobs_fail(c, rc, k->id, "cannot intern strings");
    if (vec_push(c->b->jobs, job) ||
        hmap_str_put(&c->ad_ids, id, idlen, (uint32_t)(c->b->jobs.n - 1)))
        return jobs_fail(c, FK_ENOMEM, k->id, "out of memory");
    c->added++;
    return 0;
}

/* Every ad of a whole document: a JobSearch response {"hits": [...]}, an
 * Elasticsearch response {"hits": {"hits": [{"_source": ad}]}}, an array
 * of ads, or one ad object. */
static int jobs_doc(jobs_ctx *c, json_t *root)
{
    json_t *list = NULL;
    const char *prefix;
    int es = 0;
    if (json_is_array(root)) {
        list = root;
        prefix = "";
    } else if (json_is_object(root)) {
        json_t *hits = json_object_get(root, "hits");
        if (json_is_array(hits)) {
            list = hits;
            prefix = "hits";
        } else if (json_is_object(hits)) {
            list = json_object_get(hits, "hits");
            if (!json_is_array(list)) {
                snprintf(c->where, sizeof c->where, "hits.");
                return list ? jobs_wrong(c, "hits", "an array of ads", list)
                            : jobs_fail(c, FK_EPARSE, "hits", "missing: expected an array of ads");
            }
            prefix = "hits.hits";
            es = 1;
        } else if (hits) {
            return jobs_wrong(c, "hits", "an array of ads or an object {\"hits\": [...]}", hits);
        } else if (json_object_get(root, "id") || json_object_get(root, "headline") ||
                   json_object_get(root, "rubrik")) {
            return jobs_ad(c, root);   /* a single ad, as /ad/{id} returns it */
        } else {
            return err_set(c->e, FK_EPARSE, "%s: top level: expected \"hits\" (a JobSearch "
                           "response), an array of ads, or JSON Lines with one ad per line",
                           c->path);
        }
    } else {
        return err_set(c->e, FK_EPARSE, "%s: top level: expected an object or an array, "
                       "found %s", c->path, jobs_type_name(root));
    }
    size_t i;
    json_t *ad;
    json_array_foreach(list, i, ad) {
        char item[48];
        int rc;
        snprintf(item, sizeof item, "%s[%zu]", prefix, i);
        c->where[0] = '\0';
        if (!json_is_object(ad)) return jobs_wrong(c, item, "an ad object", ad);
        if (es) {
            json_t *src = json_object_get(ad, "_source");
            snprintf(c->where, sizeof c->where, "%s.", item);
            if (!json_is_object(src))
                return src ? jobs_wrong(c, "_source", "an object", src)
                           : jobs_fail(c, FK_EPARSE, "_source", "missing");
            ad = src;
            snprintf(c->where, sizeof c->where, "%s._source.", item);
        } else {
            snprintf(c->where, sizeof c->where, "%s.", item);
        }
        if ((rc = jobs_ad(c, ad))) return rc;
        progress_step(c->b->progress, 1, 0);
    }
    c->where[0] = '\0';
    return 0;
}

/* ---- JSON Lines: a line reader over a FILE with a mem.h buffer ---- */

typedef struct jobs_lines {
    FILE *f;
    char *buf;
    size_t cap, len, pos;   /* unread bytes are buf[pos..len) */
    int eof;
    uint64_t line;          /* number of the line last returned */
    uint64_t offset;        /* bytes of the file consumed */
} jobs_lines;

/* Next line (without its '\n') into *s and *n; returns 1 for a line, 0 at end
 * of file, or a negative code (FK_EIO, FK_ENOMEM, FK_ETOOBIG when a line
 * exceeds max bytes). */
static int jobs_next_line(jobs_lines *r, size_t max, const char **s, size_t *n)
{
    for (;;) {
        char *nl = r->len > r->pos ? memchr(r->buf + r->pos, '\n', r->len - r->pos) : NULL;
        if (nl || (r->eof && r->len > r->pos)) {
            size_t ln = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
            if (ln > max) return FK_ETOOBIG;
            *s = r->buf + r->pos;
            *n = ln;
            r->pos += ln + (nl ? 1 : 0);
            r->offset += ln + (nl ? 1 : 0);
            r->line++;
            return 1;
        }
        if (r->eof) return 0;
        if (r->len - r->pos > max) return FK_ETOOBIG;
        if (r->pos) {
            memmove(r->buf, r->buf + r->pos, r->len - r->pos);
            r->len -= r->pos;
            r->pos = 0;
        }
        if (r->cap - r->len < r->cap / 4 + 1) {   /* keep a quarter free for reads */
            size_t ncap = r->cap ? r->cap * 2 : JOBS_CHUNK;
            char *nb = mem_realloc(r->buf, ncap);
            if (!nb) return FK_ENOMEM;
            r->buf = nb;
            r->cap = ncap;
        }
        size_t got = fread(r->buf + r->len, 1, r->cap - r->len, r->f);
        r->len += got;
        if (got == 0) {
            if (ferror(r->f)) return FK_EIO;
            r->eof = 1;
        }
    }
}

static int jobs_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

static int jobs_lines_error(jobs_ctx *c, jobs_lines *r, int code)
{
    if (code == FK_ETOOBIG)
        return err_set(c->e, FK_ETOOBIG, "%s:%llu: line longer than %zu bytes", c->path,
                       (unsigned long long)r->line + 1, JOBS_MAX_LINE_BYTES);
    if (code == FK_EIO)
        return err_set(c->e, FK_EIO, "%s: read error: %s", c->path, strerror(errno));
    return err_set(c->e, code, "%s: out of memory", c->path);
}

/* Parses one JSON Lines line and maps its ad. */
static int jobs_line(jobs_ctx *c, const char *s, size_t n, uint64_t line, json_t *parsed)
{
    json_t *ad = parsed;
    if (!ad) {
        json_error_t je;
        ad = json_loadb(s, n, 0, &je);
        if (!ad) return jobs_json_error(c->e, c->path, line, &je);
    }
    c->line = line;
    c->where[0] = '\0';
    int rc = json_is_object(ad) ? jobs_ad(c, ad)
                                : jobs_fail(c, FK_EPARSE, "ad", "expected one ad object "
                                            "per line, found %s", jobs_type_name(ad));
    json_decref(ad);
    c->line = 0;
    return rc;
}

/* Reads the file: detects JSON Lines (the first non-blank line is a whole
 * JSON object that is not a search response) and streams it; anything else
 * is one document, loaded whole within JOBS_MAX_DOC_BYTES. */
static int jobs_read(jobs_ctx *c, uint64_t *size)
{
    FILE *f = NULL;
    jobs_lines r = {0};
    json_t *root = NULL;
    int rc = jobs_open(c->path, 0, &f, size, c->e);
    if (rc) return rc;
    long start = ftell(f);
    r.f = f;
    progress_begin(c->b->progress, "jobs", *size);

    const char *s = NULL;
    size_t n = 0;
    int got;
    while ((got = jobs_next_line(&r, JOBS_MAX_LINE_BYTES, &s, &n)) == 1 && jobs_is_blank(s, n)) {
    }
    int jsonl = 0;
    if (got == 1) {
        size_t i = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i < n && s[i] == '{') {
            root = json_loadb(s, n, 0, NULL);
            jsonl = json_is_object(root) && !json_object_get(root, "hits");
        }
    } else if (got < 0 && got != FK_ETOOBIG) {
        rc = jobs_lines_error(c, &r, got);
        goto done;
    }
    if (jsonl) {
        rc = jobs_line(c, s, n, r.line, root);
        root = NULL;
        if (rc) goto done;
        progress_step(c->b->progress, 1, r.offset);
        while ((got = jobs_next_line(&r, JOBS_MAX_LINE_BYTES, &s, &n)) == 1) {
            if (jobs_is_blank(s, n)) continue;
            if ((rc = jobs_line(c, s, n, r.line, NULL))) goto done;
            progress_step(c->b->progress, 1, r.offset);
        }
        if (got < 0) rc = jobs_lines_error(c, &r, got);
        goto done;
    }
    json_decref(root);
    root = NULL;
    if (*size > JOBS_MAX_DOC_BYTES) {
        rc = err_set(c->e, FK_ETOOBIG, "%s: %llu bytes: a single JSON document may be at "
                     "most %llu bytes (use JSON Lines, one ad per line, for larger dumps)",
                     c->path, (unsigned long long)*size,
                     (unsigned long long)JOBS_MAX_DOC_BYTES);
        goto done;
    }
    mem_free(r.buf);
    r.buf = NULL;
    if (start < 0 || fseek(f, start, SEEK_SET) != 0) {
        rc = err_set(c->e, FK_EIO, "%s: cannot seek: %s", c->path, strerror(errno));
        goto done;
    }
    if ((rc = jobs_load_doc(f, c->path, &root, c->e))) goto done;
    rc = jobs_doc(c, root);

done:
    progress_step(c->b->progress, 0, rc ? 0 : *size);
    json_decref(root);
    mem_free(r.buf);
    fclose(f);
    return rc;
}

int ingest_jobs(region_builder *b, const char *path, const char *filter,
                ingest_report *rep, fk_err *e)
{
    region_builder_mark mark;
    region_builder_mark_get(b, &mark);
    if (rep) memset(rep, 0, sizeof *rep);
    jobs_ctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    c.filter = filter;
    c.e = e;
    uint64_t size = 0;
    int rc = filter && *filter ? ingest_filter_check(filter, e) : 0;
    if (rc) return rc;

    /* lookups over what the builder already holds */
    rc = jobs_concept_map(b, &c.concepts);
    for (size_t i = 0; !rc && i < b->concept_rels.n; i++) {
        const region_concept_rel *r = &b->concept_rels.v[i];
        rc = hmap_u64_put(&c.rels, (uint64_t)r->narrower << 32 | r->broader, 0);
    }
    for (size_t i = 0; !rc && i < b->jobs.n; i++) {
        uint32_t off = b->jobs.v[i].source_id;
        if (off == 0 || off >= b->strings.len) continue;
        const char *s = b->strings.data + off;
        rc = hmap_str_put(&c.ad_ids, s, strlen(s), (uint32_t)i);
    }
    for (size_t i = 0; !rc && i < b->areas.n; i++) {
        const region_area *a = &b->areas.v[i];
        if (a->level != 0 || !a->kommun_code) continue;
        if (hmap_u64_get(&c.kommun_area, a->kommun_code) == HMAP_NONE)
            rc = hmap_u64_put(&c.kommun_area, a->kommun_code, (uint32_t)i);
    }
    if (rc) {
        rc = err_set(e, FK_ENOMEM, "%s: out of memory", path);
        goto fail;
    }

    rc = jobs_read(&c, &size);
    if (rc) goto fail;
    progress_done(b->progress);

    if (rep) {
        rep->records = c.added;
        rep->skipped = c.skip_nopos + c.skip_filter + c.skip_dup;
        const char *sep = "";
        if (c.skip_nopos) {
            jobs_note(rep, "%llu with no workplace coordinates and kommun not in the "
                      "region (first: %s)", (unsigned long long)c.skip_nopos, c.first_nopos);
            sep = "; ";
        }
        if (c.skip_filter) {
            jobs_note(rep, "%s%llu outside the kommun filter %s", sep,
                      (unsigned long long)c.skip_filter, filter);
            sep = "; ";
        }
        if (c.skip_dup)
            jobs_note(rep, "%s%llu with an id already imported", sep,
                      (unsigned long long)c.skip_dup);
    }
    hmap_str_free(&c.concepts);
    hmap_u64_free(&c.rels);
    hmap_str_free(&c.ad_ids);
    hmap_u64_free(&c.kommun_area);
    return 0;

fail:
    hmap_str_free(&c.concepts);
    hmap_u64_free(&c.rels);
    hmap_str_free(&c.ad_ids);
    hmap_u64_free(&c.kommun_area);
    region_builder_rollback(b, &mark);
    if (rep) memset(rep, 0, sizeof *rep);
    return rc;
}
