/*
 * gtfs.c: the GTFS static timetable importer (see gtfs.h, docs/gtfs.md).
 *
 * Design: the feed is a folder or a zip (libzip; the files may sit inside
 * one sub-folder of the zip). Each file is streamed, in 64 KiB chunks read
 * with fread or zip_fread, through the shared CSV reader (ingest/csv.h);
 * nothing is extracted to disk. Files are read in dependency order
 * (agency, stops, routes, calendar, calendar_dates, trips, stop_times,
 * frequencies, transfers, feed_info) so that every reference can be
 * resolved, with its file and line, when the referring row is read. GTFS
 * ids become array indices through hmap_str maps that live only during the
 * import.
 *
 * Records go straight into the builder's arrays, except two kinds that
 * need the whole file first:
 *   - services: calendar rows and calendar_dates exceptions are collected
 *     per service_id, then each service is materialised as a bitmap over
 *     its own first..last active day;
 *   - stop_times: kept in a scratch array with their trip, stop_sequence,
 *     line and shape_dist_traveled, then counting-sorted by trip (stable)
 *     and sorted by stop_sequence within each trip (already sorted slices
 *     are detected and left alone), copied into the builder in that order,
 *     interpolated where times are empty, and checked for repeated
 *     sequences and decreasing times.
 * On any failure the builder is rolled back to the mark taken on entry.
 */
#include "gtfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "../base/hmap.h"
#include "../base/mem.h"
#include "../base/vec.h"
#include "csv.h"

#define GTFS_BUF_SIZE (1u << 16)
#define GTFS_NO_TIME INT32_MIN
#define GTFS_MAX_COLS 16
#define GTFS_LABEL_MAX 4352

/* ---- scratch records ---- */

/* A stop whose parent_station is resolved once every stop is known. */
typedef struct gtfs_parent {
    uint32_t stop;       /* local stop index */
    uint32_t id_off;     /* offset of the parent's id in ctx.blob */
    uint64_t line;
    int inherit_pos;     /* the stop has no coordinates: take the parent's */
} gtfs_parent;

/* A service being assembled from calendar and calendar_dates. */
typedef struct gtfs_service {
    uint32_t gtfs_id;    /* string offset */
    int32_t start, end;  /* calendar range (days), when has_cal */
    uint32_t exc_head, exc_tail;  /* list of exceptions, UINT32_MAX = none */
    uint8_t has_cal;
    uint8_t mask;        /* bit 0 = Monday .. bit 6 = Sunday */
} gtfs_service;

typedef struct gtfs_exception {
    int32_t day;
    uint32_t next;       /* next exception of the same service */
    uint8_t add;         /* 1 = exception_type 1 (added), 0 = removed */
} gtfs_exception;

typedef struct gtfs_ctx gtfs_ctx;

/* One GTFS file: its name, progress stage, the columns read (by name) and
 * which of them must be present, and the row handler. */
typedef struct gtfs_table {
    const char *file;
    const char *stage;
    const char *cols[GTFS_MAX_COLS];
    unsigned required;   /* bit i: cols[i] must be present */
    csv_row_fn row;
} gtfs_table;

struct gtfs_ctx {
    region_builder *b;
    fk_err *e;
    const char *path;
    zip_t *zip;
    char prefix[256];             /* sub-folder inside the zip, "" or "dir/" */
    char label[GTFS_LABEL_MAX];   /* "path/stops.txt" or "path.zip:stops.txt" */
    char st_label[GTFS_LABEL_MAX];
    char *buf;
    const gtfs_table *cur;
    int col[GTFS_MAX_COLS];       /* column indices of the current file */

    /* where this import's records start in the builder */
    size_t base_agency, base_stop, base_route, base_service, base_trip, base_st;
    size_t base_transfer, base_freq;

    hmap_str agency_ids, stop_ids, route_ids, service_ids, trip_ids;
    int agency_empty_id;          /* some agency row has no agency_id */

    VEC(gtfs_parent) parents;
    VEC(char) blob;               /* parent_station ids, NUL-separated */
    VEC(gtfs_service) svcs;
    VEC(gtfs_exception) excs;

    VEC(region_stop_time) st;     /* stop_times in file order */
    VEC(uint32_t) st_trip;        /* local trip index */
    VEC(uint32_t) st_seq;
    VEC(uint32_t) st_line;        /* saturates at UINT32_MAX */
    VEC(float) st_dist;           /* shape_dist_traveled, -1 when empty */

    uint64_t skip_stop, skip_trip, skip_route, skip_nostop;
    uint64_t rows_total;
};

/* ---- small parsers ---- */

/* Parses a GTFS time "H:MM:SS" / "HH:MM:SS" (hours may exceed 24) from
 * column i of row. An empty field gives GTFS_NO_TIME. Returns 0, FK_EPARSE
 * for a malformed time, FK_ETOOBIG beyond GTFS_MAX_TIME_S. */
static int gtfs_time(const csv_row *row, int i, const char *col, int32_t *out,
                     fk_err *e)
{
    const char *s = csv_get(row, i);
    if (!*s) {
        *out = GTFS_NO_TIME;
        return 0;
    }
    const char *p = s;
    long h = 0;
    int nd = 0;
    while (*p >= '0' && *p <= '9' && nd < 9) {
        h = h * 10 + (*p++ - '0');
        nd++;
    }
    int ok = nd >= 1 && p[0] == ':' && p[1] >= '0' && p[1] <= '5' && p[2] >= '0' &&
             p[2] <= '9' && p[3] == ':' && p[4] >= '0' && p[4] <= '5' && p[5] >= '0' &&
             p[5] <= '9' && p[6] == '\0';
    if (!ok)
        return err_set(e, FK_EPARSE, "%s:%llu: field %s: \"%.40s\" is not a time "
                       "H:MM:SS or HH:MM:SS", row->file, (unsigned long long)row->line,
                       col, s);
    long t = h * 3600 + ((p[1] - '0') * 10 + (p[2] - '0')) * 60 +
             (p[4] - '0') * 10 + (p[5] - '0');
    if (t > GTFS_MAX_TIME_S)
        return err_set(e, FK_ETOOBIG, "%s:%llu: field %s: \"%.40s\" is beyond the "
                       "limit of 72:00:00 for a time of day", row->file,
                       (unsigned long long)row->line, col, s);
    *out = (int32_t)t;
    return 0;
}

/* Parses a date yyyymmdd (required) into days since 1970-01-01. */
static int gtfs_date(const csv_row *row, int i, const char *col, int32_t *out,
                     fk_err *e)
{
    const char *s = csv_get(row, i);
    int ok = strlen(s) == 8;
    for (int k = 0; ok && k < 8; k++)
        if (s[k] < '0' || s[k] > '9') ok = 0;
    if (ok) {
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        int m = (s[4] - '0') * 10 + (s[5] - '0');
        int d = (s[6] - '0') * 10 + (s[7] - '0');
        ok = region_day_from_ymd(y, m, d, out) == 0;
    }
    if (!ok)
        return err_set(e, FK_EPARSE, "%s:%llu: field %s: \"%.40s\" is not a date "
                       "yyyymmdd (years 1900..2200)", row->file,
                       (unsigned long long)row->line, col, s);
    return 0;
}

/* Writes t as H:MM:SS into out (for messages). */
static void gtfs_fmt_time(int32_t t, char out[24])
{
    snprintf(out, 24, "%02d:%02d:%02d", (int)(t / 3600), (int)(t / 60 % 60), (int)(t % 60));
}

/* Index of id in m, or HMAP_NONE when absent. */
static uint32_t gtfs_lookup(const hmap_str *m, const char *id)
{
    return hmap_str_get(m, id, strlen(id));
}

static const char *gtfs_s(const gtfs_ctx *c, uint32_t off)
{
    return off < c->b->strings.len ? c->b->strings.data + off : "";
}

/* Refuses a row when this feed already has GTFS_MAX_ROWS of its kind. */
static int gtfs_room(const csv_row *row, size_t have, const char *what, fk_err *e)
{
    if (have >= GTFS_MAX_ROWS)
        return err_set(e, FK_ETOOBIG, "%s:%llu: more than %u %s in one feed (limit 2^31)",
                       row->file, (unsigned long long)row->line, GTFS_MAX_ROWS, what);
    return 0;
}

/* Registers id -> val in m, refusing a repeated id. */
static int gtfs_put_id(gtfs_ctx *c, hmap_str *m, const csv_row *row, const char *col,
                       const char *id, uint32_t val)
{
    if (gtfs_lookup(m, id) != HMAP_NONE)
        return err_set(c->e, FK_EPARSE, "%s:%llu: field %s: \"%.60s\" appears twice",
                       row->file, (unsigned long long)row->line, col, id);
    if (hmap_str_put(m, id, strlen(id), val))
        return err_set(c->e, FK_ENOMEM, "%s: out of memory", row->file);
    return 0;
}

/* ---- header: column lookup ---- */

static int gtfs_header(void *ud, const csv_row *row, fk_err *e)
{
    gtfs_ctx *c = ud;
    const gtfs_table *t = c->cur;
    for (int i = 0; i < GTFS_MAX_COLS; i++) {
        c->col[i] = t->cols[i] ? csv_col(row, t->cols[i]) : -1;
        if (t->cols[i] && (t->required >> i & 1u) && c->col[i] < 0)
            return err_set(e, FK_EPARSE, "%s:%llu: required column %s is missing from "
                           "the header", row->file, (unsigned long long)row->line,
                           t->cols[i]);
    }
    return 0;
}

/* ---- agency.txt ---- */

enum { AG_ID, AG_NAME, AG_URL, AG_TZ };

static int gtfs_agency_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    region_builder *b = c->b;
    size_t local = b->agencies.n - c->base_agency;
    int rc = gtfs_room(r, local, "agencies", e);
    if (rc) return rc;
    const char *id = csv_get(r, c->col[AG_ID]);
    const char *name;
    if ((rc = csv_req(r, c->col[AG_NAME], "agency_name", &name, e))) return rc;
    if ((!*id || c->agency_empty_id) && local >= 1)
        return err_set(e, FK_EPARSE, "%s:%llu: field agency_id: %s, but the feed has more "
                       "than one agency (agency_id may be omitted only when there is "
                       "exactly one)", r->file, (unsigned long long)r->line,
                       *id ? "empty on an earlier row" : "empty");
    if (!*id) c->agency_empty_id = 1;
    if ((rc = gtfs_put_id(c, &c->agency_ids, r, "agency_id", id, (uint32_t)local)))
        return rc;
    region_agency a = {0};
    a.gtfs_id = rb_str(b, id, &rc);
    a.name = rb_str(b, name, &rc);
    a.url = rb_str(b, csv_get(r, c->col[AG_URL]), &rc);
    a.timezone = rb_str(b, csv_get(r, c->col[AG_TZ]), &rc);
    if (rc || vec_push(b->agencies, a))
        return err_set(e, rc ? rc : FK_ENOMEM, "%s: out of memory", r->file);
    return 0;
}

/* ---- stops.txt ---- */

enum { SP_ID, SP_NAME, SP_LAT, SP_LON, SP_TYPE, SP_PARENT, SP_PLATFORM, SP_WHEEL };

static int gtfs_stop_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    region_builder *b = c->b;
    size_t local = b->stops.n - c->base_stop;
    int rc = gtfs_room(r, local, "stops", e);
    if (rc) return rc;
    const char *id;
    long long type, wheel;
    if ((rc = csv_req(r, c->col[SP_ID], "stop_id", &id, e)) ||
        (rc = csv_int_opt(r, c->col[SP_TYPE], "location_type", 0, 4, 0, &type, e)) ||
        (rc = csv_int_opt(r, c->col[SP_WHEEL], "wheelchair_boarding", 0, 2, 0, &wheel, e)))
        return rc;
    /* coordinates are required except for generic nodes and boarding areas,
     * which take their parent's position when they have none */
    double lat, lon;
    int need_pos = type <= 2;
    int has_pos = *csv_get(r, c->col[SP_LAT]) && *csv_get(r, c->col[SP_LON]);
    if (need_pos) {
        if ((rc = csv_double(r, c->col[SP_LAT], "stop_lat", -90, 90, &lat, e)) ||
            (rc = csv_double(r, c->col[SP_LON], "stop_lon", -180, 180, &lon, e)))
            return rc;
    } else if ((rc = csv_double_opt(r, c->col[SP_LAT], "stop_lat", -90, 90, 0, &lat, e)) ||
               (rc = csv_double_opt(r, c->col[SP_LON], "stop_lon", -180, 180, 0, &lon, e))) {
        return rc;
    }
    region_stop s = {0};
    if (geo_from_deg(lat, lon, &s.pos))
        return err_set(e, FK_EPARSE, "%s:%llu: field stop_lat/stop_lon: %g,%g is not a "
                       "WGS 84 coordinate", r->file, (unsigned long long)r->line, lat, lon);
    if ((rc = gtfs_put_id(c, &c->stop_ids, r, "stop_id", id, (uint32_t)local))) return rc;
    s.gtfs_id = rb_str(b, id, &rc);
    s.name = rb_str(b, csv_get(r, c->col[SP_NAME]), &rc);
    s.platform_code = rb_str(b, csv_get(r, c->col[SP_PLATFORM]), &rc);
    s.parent = REGION_NONE;
    s.location_type = (uint8_t)type;
    s.wheelchair = (uint8_t)wheel;
    if (rc || vec_push(b->stops, s))
        return err_set(e, rc ? rc : FK_ENOMEM, "%s: out of memory", r->file);
    const char *parent = csv_get(r, c->col[SP_PARENT]);
    if (*parent) {
        size_t len = strlen(parent);
        gtfs_parent p = {(uint32_t)local, (uint32_t)c->blob.n, r->line, !has_pos};
        if (c->blob.n > UINT32_MAX - len - 1)
            return err_set(e, FK_ETOOBIG, "%s: parent_station ids exceed 4 GiB", r->file);
        if (vec_reserve(c->blob, c->blob.n + len + 1) || vec_push(c->parents, p))
            return err_set(e, FK_ENOMEM, "%s: out of memory", r->file);
        memcpy(c->blob.v + c->blob.n, parent, len + 1);
        c->blob.n += len + 1;
    } else if (!has_pos) {
        return err_set(e, FK_EPARSE, "%s:%llu: field stop_lat: empty, and the stop has "
                       "no parent_station to take a position from", r->file,
                       (unsigned long long)r->line);
    }
    return 0;
}

/* Resolves parent_station once every stop is known. */
static int gtfs_stops_done(gtfs_ctx *c)
{
    region_builder *b = c->b;
    for (size_t i = 0; i < c->parents.n; i++) {
        const gtfs_parent *p = &c->parents.v[i];
        const char *pid = c->blob.v + p->id_off;
        uint32_t k = gtfs_lookup(&c->stop_ids, pid);
        if (k == HMAP_NONE)
            return err_set(c->e, FK_EPARSE, "%s:%llu: field parent_station: \"%.60s\" is "
                           "not a stop_id of stops.txt", c->label,
                           (unsigned long long)p->line, pid);
        if (k == p->stop)
            return err_set(c->e, FK_EPARSE, "%s:%llu: field parent_station: \"%.60s\" is "
                           "the stop itself", c->label, (unsigned long long)p->line, pid);
        region_stop *s = &b->stops.v[c->base_stop + p->stop];
        s->parent = (uint32_t)(c->base_stop + k);
        if (p->inherit_pos) s->pos = b->stops.v[c->base_stop + k].pos;
    }
    vec_free(c->parents);
    vec_free(c->blob);
    return 0;
}

/* ---- routes.txt ---- */

enum { RT_ID, RT_AGENCY, RT_SHORT, RT_LONG, RT_TYPE };

static int gtfs_route_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    region_builder *b = c->b;
    size_t local = b->routes.n - c->base_route;
    int rc = gtfs_room(r, local, "routes", e);
    if (rc) return rc;
    const char *id;
    long long type;
    if ((rc = csv_req(r, c->col[RT_ID], "route_id", &id, e)) ||
        (rc = csv_int(r, c->col[RT_TYPE], "route_type", 0, 1702, &type, e)))
        return rc;
    const char *aid = csv_get(r, c->col[RT_AGENCY]);
    size_t n_agencies = b->agencies.n - c->base_agency;
    uint32_t a;
    if (!*aid) {
        if (n_agencies != 1)
            return err_set(e, FK_EPARSE, "%s:%llu: field agency_id: empty, but the feed has "
                           "%zu agencies (it may be omitted only with exactly one)",
                           r->file, (unsigned long long)r->line, n_agencies);
        a = 0;
    } else if ((a = gtfs_lookup(&c->agency_ids, aid)) == HMAP_NONE) {
        return err_set(e, FK_EPARSE, "%s:%llu: field agency_id: \"%.60s\" is not an "
                       "agency_id of agency.txt", r->file, (unsigned long long)r->line, aid);
    }
    if ((rc = gtfs_put_id(c, &c->route_ids, r, "route_id", id, (uint32_t)local))) return rc;
    region_route rt = {0};
    rt.gtfs_id = rb_str(b, id, &rc);
    rt.short_name = rb_str(b, csv_get(r, c->col[RT_SHORT]), &rc);
    rt.long_name = rb_str(b, csv_get(r, c->col[RT_LONG]), &rc);
    rt.agency = (uint32_t)(c->base_agency + a);
    rt.type = (int16_t)type;
    if (rc || vec_push(b->routes, rt))
        return err_set(e, rc ? rc : FK_ENOMEM, "%s: out of memory", r->file);
    return 0;
}

/* ---- calendar.txt and calendar_dates.txt ---- */

/* Index of the service called id, created when absent (*created set). */
static int gtfs_service_get(gtfs_ctx *c, const csv_row *r, const char *id,
                            uint32_t *out, int *created)
{
    uint32_t k = gtfs_lookup(&c->service_ids, id);
    *created = 0;
    if (k != HMAP_NONE) {
        *out = k;
        return 0;
    }
    int rc = gtfs_room(r, c->svcs.n, "services", c->e);
    if (rc) return rc;
    gtfs_service s = {0};
    s.gtfs_id = rb_str(c->b, id, &rc);
    s.exc_head = s.exc_tail = UINT32_MAX;
    if (rc) return err_set(c->e, rc, "%s: out of memory", r->file);
    if (vec_push(c->svcs, s) ||
        hmap_str_put(&c->service_ids, id, strlen(id), (uint32_t)(c->svcs.n - 1)))
        return err_set(c->e, FK_ENOMEM, "%s: out of memory", r->file);
    *out = (uint32_t)(c->svcs.n - 1);
    *created = 1;
    return 0;
}

enum { CA_ID, CA_MON, CA_TUE, CA_WED, CA_THU, CA_FRI, CA_SAT, CA_SUN, CA_START, CA_END };

static int gtfs_calendar_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    const char *id;
    int rc = csv_req(r, c->col[CA_ID], "service_id", &id, e);
    if (rc) return rc;
    uint8_t mask = 0;
    for (int d = 0; d < 7; d++) {
        long long v;
        if ((rc = csv_int(r, c->col[CA_MON + d], c->cur->cols[CA_MON + d], 0, 1, &v, e)))
            return rc;
        mask |= (uint8_t)(v << d);
    }
    int32_t start, end;
    if ((rc = gtfs_date(r, c->col[CA_START], "start_date", &start, e)) ||
        (rc = gtfs_date(r, c->col[CA_END], "end_date", &end, e)))
        return rc;
    if (end < start)
        return err_set(e, FK_EPARSE, "%s:%llu: field end_date: \"%s\" is before start_date "
                       "\"%s\"", r->file, (unsigned long long)r->line,
                       csv_get(r, c->col[CA_END]), csv_get(r, c->col[CA_START]));
    uint32_t k;
    int created;
    if ((rc = gtfs_service_get(c, r, id, &k, &created))) return rc;
    if (!created)
        return err_set(e, FK_EPARSE, "%s:%llu: field service_id: \"%.60s\" appears twice",
                       r->file, (unsigned long long)r->line, id);
    gtfs_service *s = &c->svcs.v[k];
    s->has_cal = 1;
    s->mask = mask;
    s->start = start;
    s->end = end;
    return 0;
}

enum { CD_ID, CD_DATE, CD_TYPE };

static int gtfs_calendar_dates_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    const char *id;
    int32_t day;
    long long type;
    int rc;
    if ((rc = csv_req(r, c->col[CD_ID], "service_id", &id, e)) ||
        (rc = gtfs_date(r, c->col[CD_DATE], "date", &day, e)) ||
        (rc = csv_int(r, c->col[CD_TYPE], "exception_type", 1, 2, &type, e)))
        return rc;
    uint32_t k;
    int created;
    if ((rc = gtfs_service_get(c, r, id, &k, &created))) return rc;
    if (c->excs.n >= UINT32_MAX - 1)
        return err_set(e, FK_ETOOBIG, "%s:%llu: more than 2^32 calendar_dates", r->file,
                       (unsigned long long)r->line);
    gtfs_exception x = {day, UINT32_MAX, (uint8_t)(type == 1)};
    if (vec_push(c->excs, x)) return err_set(e, FK_ENOMEM, "%s: out of memory", r->file);
    uint32_t xi = (uint32_t)(c->excs.n - 1);
    gtfs_service *s = &c->svcs.v[k];
    if (s->exc_tail == UINT32_MAX) s->exc_head = xi;
    else c->excs.v[s->exc_tail].next = xi;
    s->exc_tail = xi;
    return 0;
}

/* Monday = 0 .. Sunday = 6 for days since 1970-01-01 (a Thursday). */
static int gtfs_weekday(int32_t day)
{
    int w = (int)(((int64_t)day + 3) % 7);
    return w < 0 ? w + 7 : w;
}

/* Turns the collected services into region_service records and bits: the
 * calendar's weekdays over start..end, then each calendar_dates exception
 * in file order (1 adds the day, 2 removes it); the bitmap is then trimmed
 * to the first..last active day. A service with no active day gets
 * n_days = 0. */
static int gtfs_services_done(gtfs_ctx *c)
{
    region_builder *b = c->b;
    VEC(uint8_t) tmp = {0};
    int rc = 0;
    if (vec_reserve(b->services, b->services.n + c->svcs.n)) goto nomem;
    for (size_t i = 0; i < c->svcs.n; i++) {
        const gtfs_service *s = &c->svcs.v[i];
        int32_t lo = INT32_MAX, hi = INT32_MIN;
        if (s->has_cal && s->mask) {
            lo = s->start;
            hi = s->end;
        }
        for (uint32_t x = s->exc_head; x != UINT32_MAX; x = c->excs.v[x].next) {
            const gtfs_exception *ex = &c->excs.v[x];
            if (!ex->add) continue;
            if (ex->day < lo) lo = ex->day;
            if (ex->day > hi) hi = ex->day;
        }
        region_service out = {s->gtfs_id, s->has_cal ? s->start : 0, 0,
                              (uint32_t)b->service_bits.n};
        if (lo <= hi) {
            /* dates lie in 1900..2200, so the span fits easily */
            size_t span = (size_t)((int64_t)hi - lo + 1);
            tmp.n = 0;
            if (vec_reserve(tmp, (span + 7) / 8)) goto nomem;
            memset(tmp.v, 0, (span + 7) / 8);
            if (s->has_cal && s->mask) {
                for (int32_t d = s->start; d <= s->end; d++)
                    if (s->mask >> gtfs_weekday(d) & 1) {
                        size_t k = (size_t)(d - lo);
                        tmp.v[k / 8] |= (uint8_t)(1u << (k % 8));
                    }
            }
            for (uint32_t x = s->exc_head; x != UINT32_MAX; x = c->excs.v[x].next) {
                const gtfs_exception *ex = &c->excs.v[x];
                if (ex->day < lo || ex->day > hi) continue;
                size_t k = (size_t)(ex->day - lo);
                if (ex->add) tmp.v[k / 8] |= (uint8_t)(1u << (k % 8));
                else tmp.v[k / 8] &= (uint8_t)~(1u << (k % 8));
            }
            size_t first = span, last = 0;
            for (size_t k = 0; k < span; k++)
                if (tmp.v[k / 8] >> (k % 8) & 1) {
                    if (first == span) first = k;
                    last = k;
                }
            if (first < span) {
                size_t n = last - first + 1, nbytes = (n + 7) / 8;
                if (b->service_bits.n + nbytes > UINT32_MAX) {
                    rc = err_set(c->e, FK_ETOOBIG, "%s: service bitmaps exceed 4 GiB",
                                 c->path);
                    goto fail;
                }
                if (vec_reserve(b->service_bits, b->service_bits.n + nbytes)) goto nomem;
                uint8_t *dst = b->service_bits.v + b->service_bits.n;
                memset(dst, 0, nbytes);
                for (size_t k = 0; k < n; k++)
                    if (tmp.v[(first + k) / 8] >> ((first + k) % 8) & 1)
                        dst[k / 8] |= (uint8_t)(1u << (k % 8));
                b->service_bits.n += nbytes;
                out.first_day = lo + (int32_t)first;
                out.n_days = (uint32_t)n;
            }
        }
        b->services.v[b->services.n++] = out;
    }
    vec_free(tmp);
    vec_free(c->excs);
    return 0;
nomem:
    rc = err_set(c->e, FK_ENOMEM, "%s: out of memory", c->path);
fail:
    vec_free(tmp);
    return rc;
}

/* ---- trips.txt ---- */

enum { TR_ROUTE, TR_SERVICE, TR_ID, TR_HEADSIGN, TR_SHORT, TR_DIR, TR_WHEEL, TR_BIKES };

static int gtfs_trip_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    region_builder *b = c->b;
    size_t local = b->trips.n - c->base_trip;
    int rc = gtfs_room(r, local, "trips", e);
    if (rc) return rc;
    const char *route, *service, *id;
    long long dir, wheel, bikes;
    if ((rc = csv_req(r, c->col[TR_ROUTE], "route_id", &route, e)) ||
        (rc = csv_req(r, c->col[TR_SERVICE], "service_id", &service, e)) ||
        (rc = csv_req(r, c->col[TR_ID], "trip_id", &id, e)) ||
        (rc = csv_int_opt(r, c->col[TR_DIR], "direction_id", 0, 1, 2, &dir, e)) ||
        (rc = csv_int_opt(r, c->col[TR_WHEEL], "wheelchair_accessible", 0, 2, 0, &wheel, e)) ||
        (rc = csv_int_opt(r, c->col[TR_BIKES], "bikes_allowed", 0, 2, 0, &bikes, e)))
        return rc;
    uint32_t rt = gtfs_lookup(&c->route_ids, route);
    if (rt == HMAP_NONE)
        return err_set(e, FK_EPARSE, "%s:%llu: field route_id: \"%.60s\" is not a route_id "
                       "of routes.txt", r->file, (unsigned long long)r->line, route);
    uint32_t sv = gtfs_lookup(&c->service_ids, service);
    if (sv == HMAP_NONE)
        return err_set(e, FK_EPARSE, "%s:%llu: field service_id: \"%.60s\" is defined "
                       "neither in calendar.txt nor in calendar_dates.txt", r->file,
                       (unsigned long long)r->line, service);
    if ((rc = gtfs_put_id(c, &c->trip_ids, r, "trip_id", id, (uint32_t)local))) return rc;
    region_trip t = {0};
    t.gtfs_id = rb_str(b, id, &rc);
    t.headsign = rb_str(b, csv_get(r, c->col[TR_HEADSIGN]), &rc);
    t.short_name = rb_str(b, csv_get(r, c->col[TR_SHORT]), &rc);
    t.route = (uint32_t)(c->base_route + rt);
    t.service = (uint32_t)(c->base_service + sv);
    t.first_stop_time = (uint32_t)c->base_st;
    t.direction = (uint8_t)dir;
    t.wheelchair = (uint8_t)wheel;
    t.bikes = (uint8_t)bikes;
    if (rc || vec_push(b->trips, t))
        return err_set(e, rc ? rc : FK_ENOMEM, "%s: out of memory", r->file);
    return 0;
}

/* ---- stop_times.txt ---- */

enum { ST_TRIP, ST_ARR, ST_DEP, ST_STOP, ST_SEQ, ST_HEADSIGN, ST_PICKUP, ST_DROPOFF,
       ST_DIST, ST_TIMEPOINT };

static int gtfs_stop_time_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    int rc = gtfs_room(r, c->st.n, "stop_times", e);
    if (rc) return rc;
    const char *trip, *stop;
    long long seq, pickup, dropoff, tp;
    double dist;
    int32_t arr, dep;
    if ((rc = csv_req(r, c->col[ST_TRIP], "trip_id", &trip, e)) ||
        (rc = gtfs_time(r, c->col[ST_ARR], "arrival_time", &arr, e)) ||
        (rc = gtfs_time(r, c->col[ST_DEP], "departure_time", &dep, e)) ||
        (rc = csv_req(r, c->col[ST_STOP], "stop_id", &stop, e)) ||
        (rc = csv_int(r, c->col[ST_SEQ], "stop_sequence", 0, UINT32_MAX, &seq, e)) ||
        (rc = csv_int_opt(r, c->col[ST_PICKUP], "pickup_type", 0, 3, 0, &pickup, e)) ||
        (rc = csv_int_opt(r, c->col[ST_DROPOFF], "drop_off_type", 0, 3, 0, &dropoff, e)) ||
        (rc = csv_double_opt(r, c->col[ST_DIST], "shape_dist_traveled", 0, 1e9, -1, &dist,
                             e)))
        return rc;
    if (arr == GTFS_NO_TIME) arr = dep;
    if (dep == GTFS_NO_TIME) dep = arr;
    if ((rc = csv_int_opt(r, c->col[ST_TIMEPOINT], "timepoint", 0, 1,
                          arr == GTFS_NO_TIME ? 0 : 1, &tp, e)))
        return rc;
    uint32_t t = gtfs_lookup(&c->trip_ids, trip);
    if (t == HMAP_NONE)
        return err_set(e, FK_EPARSE, "%s:%llu: field trip_id: \"%.60s\" is not a trip_id of "
                       "trips.txt", r->file, (unsigned long long)r->line, trip);
    uint32_t s = gtfs_lookup(&c->stop_ids, stop);
    if (s == HMAP_NONE)
        return err_set(e, FK_EPARSE, "%s:%llu: field stop_id: \"%.60s\" is not a stop_id of "
                       "stops.txt", r->file, (unsigned long long)r->line, stop);
    region_stop_time st = {0};
    st.arrival_s = arr;
    st.departure_s = dep;
    st.stop = (uint32_t)(c->base_stop + s);
    st.headsign = rb_str(c->b, csv_get(r, c->col[ST_HEADSIGN]), &rc);
    st.pickup = (uint8_t)pickup;
    st.dropoff = (uint8_t)dropoff;
    st.timepoint = (uint8_t)tp;
    if (rc) return err_set(e, rc, "%s: out of memory", r->file);
    uint32_t line = r->line > UINT32_MAX ? UINT32_MAX : (uint32_t)r->line;
    if (vec_push(c->st, st) || vec_push(c->st_trip, t) ||
        vec_push(c->st_seq, (uint32_t)seq) || vec_push(c->st_line, line) ||
        vec_push(c->st_dist, (float)dist))
        return err_set(e, FK_ENOMEM, "%s: out of memory", r->file);
    return 0;
}

static int gtfs_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Fills empty times of one trip (sorted slice [first, first+n) of the
 * builder's stop_times; keys give each one's index in the scratch arrays)
 * and checks that times never decrease. */
static int gtfs_trip_times(gtfs_ctx *c, uint32_t trip, size_t first, size_t n,
                           const uint64_t *keys)
{
    if (n == 0) return 0;
    region_stop_time *v = c->b->stop_times.v + first;
    const char *tid = gtfs_s(c, c->b->trips.v[c->base_trip + trip].gtfs_id);
#define LINE(k) ((unsigned long long)c->st_line.v[keys[k] & 0xffffffffu])
#define DIST(k) (c->st_dist.v[keys[k] & 0xffffffffu])
    if (v[0].arrival_s == GTFS_NO_TIME || v[n - 1].arrival_s == GTFS_NO_TIME) {
        size_t k = v[0].arrival_s == GTFS_NO_TIME ? 0 : n - 1;
        return err_set(c->e, FK_EPARSE, "%s:%llu: field arrival_time: empty on the %s stop "
                       "of trip \"%.60s\" (times are required on a trip's first and last "
                       "stop)", c->st_label, LINE(k), k == 0 ? "first" : "last", tid);
    }
    int by_dist = 1;
    for (size_t k = 0; k < n && by_dist; k++)
        if (DIST(k) < 0) by_dist = 0;
    size_t prev = 0;   /* last stop with times */
    for (size_t k = 1; k < n; k++) {
        if (v[k].arrival_s == GTFS_NO_TIME) continue;
        if (k > prev + 1) {
            int64_t t0 = v[prev].departure_s, t1 = v[k].arrival_s;
            double d0 = DIST(prev), d1 = DIST(k);
            int use_dist = by_dist && d1 > d0;
            for (size_t j = prev + 1; j < k; j++) {
                int64_t t;
                if (use_dist) {
                    double f = (DIST(j) - d0) / (d1 - d0);
                    if (f < 0) f = 0;
                    if (f > 1) f = 1;
                    t = t0 + (int64_t)((double)(t1 - t0) * f + 0.5);
                } else {
                    t = t0 + (t1 - t0) * (int64_t)(j - prev) / (int64_t)(k - prev);
                }
                v[j].arrival_s = v[j].departure_s = (int32_t)t;
            }
        }
        prev = k;
    }
    for (size_t k = 0; k < n; k++) {
        char a[24], d[24];
        if (v[k].departure_s < v[k].arrival_s) {
            gtfs_fmt_time(v[k].arrival_s, a);
            gtfs_fmt_time(v[k].departure_s, d);
            return err_set(c->e, FK_EPARSE, "%s:%llu: field departure_time: %s is before "
                           "arrival_time %s in trip \"%.60s\"", c->st_label, LINE(k), d, a,
                           tid);
        }
        if (k > 0 && v[k].arrival_s < v[k - 1].departure_s) {
            gtfs_fmt_time(v[k].arrival_s, a);
            gtfs_fmt_time(v[k - 1].departure_s, d);
            return err_set(c->e, FK_EPARSE, "%s:%llu: field arrival_time: %s is before the "
                           "previous stop's departure %s (line %llu): times decrease along "
                           "trip \"%.60s\"", c->st_label, LINE(k), a, d, LINE(k - 1), tid);
        }
    }
#undef LINE
#undef DIST
    return 0;
}

/* Groups the scratch stop_times by trip (trip order) and stop_sequence,
 * moves them into the builder, sets each trip's range, interpolates and
 * checks times. */
static int gtfs_stop_times_done(gtfs_ctx *c)
{
    region_builder *b = c->b;
    size_t n = c->st.n, ntrips = b->trips.n - c->base_trip;
    uint32_t *offs = NULL, *cur = NULL;
    uint64_t *keys = NULL;
    int rc = 0;
    if (c->base_st + n > UINT32_MAX - 1) {
        rc = err_set(c->e, FK_ETOOBIG, "%s: the region would hold more than 2^32 "
                     "stop_times", c->st_label);
        goto fail;
    }
    progress_begin(b->progress, "gtfs sort stop_times", 0);
    offs = mem_calloc(ntrips + 1, sizeof *offs);
    cur = mem_calloc(ntrips + 1, sizeof *cur);
    keys = mem_calloc(n ? n : 1, sizeof *keys);
    if (!offs || !cur || !keys || vec_reserve(b->stop_times, c->base_st + n)) goto nomem;
    for (size_t i = 0; i < n; i++) offs[c->st_trip.v[i] + 1]++;
    for (size_t t = 0; t < ntrips; t++) offs[t + 1] += offs[t];
    memcpy(cur, offs, ntrips * sizeof *cur);
    for (size_t i = 0; i < n; i++)
        keys[cur[c->st_trip.v[i]]++] = (uint64_t)c->st_seq.v[i] << 32 | (uint64_t)i;
    for (size_t t = 0; t < ntrips; t++) {
        uint64_t *k = keys + offs[t];
        size_t m = offs[t + 1] - offs[t];
        size_t j = 1;
        while (j < m && k[j - 1] <= k[j]) j++;
        if (j < m) qsort(k, m, sizeof *k, gtfs_cmp_u64);
        for (j = 1; j < m; j++)
            if (k[j - 1] >> 32 == k[j] >> 32) {
                const char *tid = gtfs_s(c, b->trips.v[c->base_trip + t].gtfs_id);
                rc = err_set(c->e, FK_EPARSE, "%s:%llu: field stop_sequence: %llu appears "
                             "twice in trip \"%.60s\" (also on line %llu)", c->st_label,
                             (unsigned long long)c->st_line.v[k[j] & 0xffffffffu],
                             (unsigned long long)(k[j] >> 32), tid,
                             (unsigned long long)c->st_line.v[k[j - 1] & 0xffffffffu]);
                goto fail;
            }
        region_trip *tr = &b->trips.v[c->base_trip + t];
        tr->first_stop_time = (uint32_t)(c->base_st + offs[t]);
        tr->n_stop_times = (uint32_t)m;
    }
    for (size_t k = 0; k < n; k++)
        b->stop_times.v[c->base_st + k] = c->st.v[keys[k] & 0xffffffffu];
    b->stop_times.n = c->base_st + n;
    vec_free(c->st);
    vec_free(c->st_trip);
    vec_free(c->st_seq);
    for (size_t t = 0; t < ntrips; t++) {
        rc = gtfs_trip_times(c, (uint32_t)t, c->base_st + offs[t], offs[t + 1] - offs[t],
                             keys + offs[t]);
        if (rc) goto fail;
        progress_step(b->progress, offs[t + 1] - offs[t], 0);
    }
    progress_done(b->progress);
    mem_free(offs);
    mem_free(cur);
    mem_free(keys);
    return 0;
nomem:
    rc = err_set(c->e, FK_ENOMEM, "%s: out of memory", c->st_label);
fail:
    mem_free(offs);
    mem_free(cur);
    mem_free(keys);
    return rc;
}

/* ---- frequencies.txt ---- */

enum { FQ_TRIP, FQ_START, FQ_END, FQ_HEADWAY, FQ_EXACT };

static int gtfs_frequency_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    region_builder *b = c->b;
    const char *trip;
    int32_t start, end;
    long long headway, exact;
    int rc;
    if ((rc = csv_req(r, c->col[FQ_TRIP], "trip_id", &trip, e)) ||
        (rc = gtfs_time(r, c->col[FQ_START], "start_time", &start, e)) ||
        (rc = gtfs_time(r, c->col[FQ_END], "end_time", &end, e)) ||
        (rc = csv_int(r, c->col[FQ_HEADWAY], "headway_secs", 1, 86400, &headway, e)) ||
        (rc = csv_int_opt(r, c->col[FQ_EXACT], "exact_times", 0, 1, 0, &exact, e)))
        return rc;
    if (start == GTFS_NO_TIME || end == GTFS_NO_TIME)
        return err_set(e, FK_EPARSE, "%s:%llu: field %s: empty, a time is required",
                       r->file, (unsigned long long)r->line,
                       start == GTFS_NO_TIME ? "start_time" : "end_time");
    if (end <= start)
        return err_set(e, FK_EPARSE, "%s:%llu: field end_time: \"%s\" is not after "
                       "start_time \"%s\"", r->file, (unsigned long long)r->line,
                       csv_get(r, c->col[FQ_END]), csv_get(r, c->col[FQ_START]));
    uint32_t t = gtfs_lookup(&c->trip_ids, trip);
    if (t == HMAP_NONE)
        return err_set(e, FK_EPARSE, "%s:%llu: field trip_id: \"%.60s\" is not a trip_id of "
                       "trips.txt", r->file, (unsigned long long)r->line, trip);
    if ((rc = gtfs_room(r, b->frequencies.n - c->base_freq, "frequencies", e))) return rc;
    region_frequency f = {0};
    f.trip = (uint32_t)(c->base_trip + t);
    f.start_s = start;
    f.end_s = end;
    f.headway_s = (int32_t)headway;
    f.exact = (uint8_t)exact;
    if (vec_push(b->frequencies, f))
        return err_set(e, FK_ENOMEM, "%s: out of memory", r->file);
    return 0;
}

/* ---- transfers.txt ---- */

enum { TF_FROM_STOP, TF_TO_STOP, TF_TYPE, TF_MIN, TF_FROM_TRIP, TF_TO_TRIP,
       TF_FROM_ROUTE, TF_TO_ROUTE };

/* Resolves an optional reference: empty -> REGION_NONE (returns 1), known ->
 * base + index (returns 1), unknown -> returns 0. */
static int gtfs_ref(const hmap_str *m, const char *id, size_t base, uint32_t *out)
{
    if (!*id) {
        *out = REGION_NONE;
        return 1;
    }
    uint32_t k = gtfs_lookup(m, id);
    if (k == HMAP_NONE) return 0;
    *out = (uint32_t)(base + k);
    return 1;
}

static int gtfs_transfer_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    region_builder *b = c->b;
    long long type, min;
    int rc;
    if ((rc = csv_int_opt(r, c->col[TF_TYPE], "transfer_type", 0, 5, 0, &type, e)) ||
        (rc = csv_int_opt(r, c->col[TF_MIN], "min_transfer_time", 0, INT32_MAX, -1, &min,
                          e)))
        return rc;
    region_transfer t = {0};
    const char *fs = csv_get(r, c->col[TF_FROM_STOP]), *ts = csv_get(r, c->col[TF_TO_STOP]);
    /* in-seat transfers (4, 5) may leave the stops empty; others need them */
    if (type < 4 && (!*fs || !*ts)) {
        c->skip_nostop++;
        return 0;
    }
    if (!gtfs_ref(&c->stop_ids, fs, c->base_stop, &t.from_stop) ||
        !gtfs_ref(&c->stop_ids, ts, c->base_stop, &t.to_stop)) {
        c->skip_stop++;
        return 0;
    }
    if (!gtfs_ref(&c->trip_ids, csv_get(r, c->col[TF_FROM_TRIP]), c->base_trip, &t.from_trip) ||
        !gtfs_ref(&c->trip_ids, csv_get(r, c->col[TF_TO_TRIP]), c->base_trip, &t.to_trip)) {
        c->skip_trip++;
        return 0;
    }
    if (!gtfs_ref(&c->route_ids, csv_get(r, c->col[TF_FROM_ROUTE]), c->base_route,
                  &t.from_route) ||
        !gtfs_ref(&c->route_ids, csv_get(r, c->col[TF_TO_ROUTE]), c->base_route,
                  &t.to_route)) {
        c->skip_route++;
        return 0;
    }
    if ((rc = gtfs_room(r, b->transfers.n - c->base_transfer, "transfers", e))) return rc;
    t.min_time_s = (int32_t)min;
    t.type = (uint8_t)type;
    if (vec_push(b->transfers, t)) return err_set(e, FK_ENOMEM, "%s: out of memory", r->file);
    return 0;
}

/* ---- feed_info.txt ---- */

enum { FI_START, FI_END };

static int gtfs_feed_info_row(void *ud, const csv_row *r, fk_err *e)
{
    gtfs_ctx *c = ud;
    int32_t d;
    int rc = 0;
    if (*csv_get(r, c->col[FI_START]))
        rc = gtfs_date(r, c->col[FI_START], "feed_start_date", &d, e);
    if (!rc && *csv_get(r, c->col[FI_END]))
        rc = gtfs_date(r, c->col[FI_END], "feed_end_date", &d, e);
    return rc;
}

/* ---- the tables, in reading order ---- */

static const gtfs_table T_AGENCY = {
    "agency.txt", "gtfs agency",
    {"agency_id", "agency_name", "agency_url", "agency_timezone"},
    1u << AG_NAME | 1u << AG_URL | 1u << AG_TZ, gtfs_agency_row};
static const gtfs_table T_STOPS = {
    "stops.txt", "gtfs stops",
    {"stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station",
     "platform_code", "wheelchair_boarding"},
    1u << SP_ID | 1u << SP_LAT | 1u << SP_LON, gtfs_stop_row};
static const gtfs_table T_ROUTES = {
    "routes.txt", "gtfs routes",
    {"route_id", "agency_id", "route_short_name", "route_long_name", "route_type"},
    1u << RT_ID | 1u << RT_TYPE, gtfs_route_row};
static const gtfs_table T_CALENDAR = {
    "calendar.txt", "gtfs calendar",
    {"service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
     "sunday", "start_date", "end_date"},
    0x3ffu, gtfs_calendar_row};
static const gtfs_table T_CALENDAR_DATES = {
    "calendar_dates.txt", "gtfs calendar_dates",
    {"service_id", "date", "exception_type"},
    0x7u, gtfs_calendar_dates_row};
static const gtfs_table T_TRIPS = {
    "trips.txt", "gtfs trips",
    {"route_id", "service_id", "trip_id", "trip_headsign", "trip_short_name",
     "direction_id", "wheelchair_accessible", "bikes_allowed"},
    1u << TR_ROUTE | 1u << TR_SERVICE | 1u << TR_ID, gtfs_trip_row};
static const gtfs_table T_STOP_TIMES = {
    "stop_times.txt", "gtfs stop_times",
    {"trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence",
     "stop_headsign", "pickup_type", "drop_off_type", "shape_dist_traveled", "timepoint"},
    1u << ST_TRIP | 1u << ST_ARR | 1u << ST_DEP | 1u << ST_STOP | 1u << ST_SEQ,
    gtfs_stop_time_row};
static const gtfs_table T_FREQUENCIES = {
    "frequencies.txt", "gtfs frequencies",
    {"trip_id", "start_time", "end_time", "headway_secs", "exact_times"},
    0xfu, gtfs_frequency_row};
static const gtfs_table T_TRANSFERS = {
    "transfers.txt", "gtfs transfers",
    {"from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time", "from_trip_id",
     "to_trip_id", "from_route_id", "to_route_id"},
    1u << TF_FROM_STOP | 1u << TF_TO_STOP, gtfs_transfer_row};
static const gtfs_table T_FEED_INFO = {
    "feed_info.txt", "gtfs feed_info",
    {"feed_start_date", "feed_end_date"},
    0, gtfs_feed_info_row};

static const char *const gtfs_known_files[] = {
    "agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt",
    "calendar.txt", "calendar_dates.txt"};

/* ---- reading one file ---- */

/* Streams file t of the feed through a CSV reader into t->row. *found is
 * set to 0 when the file is absent: an error (FK_ENOTFOUND) if required,
 * else a return of 0. */
static int gtfs_read_table(gtfs_ctx *c, const gtfs_table *t, int required, int *found)
{
    FILE *f = NULL;
    zip_file_t *zf = NULL;
    csv_reader *r = NULL;
    uint64_t total = 0, done = 0;
    int rc = 0;
    *found = 0;
    c->cur = t;
    if (c->zip) {
        char entry[300];
        snprintf(entry, sizeof entry, "%s%s", c->prefix, t->file);
        zip_int64_t idx = zip_name_locate(c->zip, entry, 0);
        if (idx < 0) goto absent;
        snprintf(c->label, sizeof c->label, "%s:%s", c->path, entry);
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(c->zip, (zip_uint64_t)idx, 0, &st) == 0 &&
            (st.valid & ZIP_STAT_SIZE))
            total = st.size;
        zf = zip_fopen_index(c->zip, (zip_uint64_t)idx, 0);
        if (!zf) {
            rc = err_set(c->e, FK_EIO, "%s: cannot read from the zip: %s", c->label,
                         zip_strerror(c->zip));
            goto fail;
        }
    } else {
        snprintf(c->label, sizeof c->label, "%s/%s", c->path, t->file);
        f = fopen(c->label, "rb");
        if (!f) {
            if (errno == ENOENT) goto absent;
            rc = err_set(c->e, FK_EIO, "%s: cannot open: %s", c->label, strerror(errno));
            goto fail;
        }
        struct stat st;
        if (fstat(fileno(f), &st) == 0) total = (uint64_t)st.st_size;
    }
    *found = 1;
    r = csv_reader_new(c->label, gtfs_header, t->row, c, c->e);
    if (!r) {
        rc = err_set(c->e, FK_ENOMEM, "%s: out of memory", c->label);
        goto fail;
    }
    progress_begin(c->b->progress, t->stage, total);
    for (;;) {
        size_t n;
        if (zf) {
            zip_int64_t got = zip_fread(zf, c->buf, GTFS_BUF_SIZE);
            if (got < 0) {
                rc = err_set(c->e, FK_EIO, "%s: read error in the zip: %s", c->label,
                             zip_file_strerror(zf));
                goto fail;
            }
            n = (size_t)got;
        } else {
            n = fread(c->buf, 1, GTFS_BUF_SIZE, f);
            if (n == 0 && ferror(f)) {
                rc = err_set(c->e, FK_EIO, "%s: read error", c->label);
                goto fail;
            }
        }
        if (n == 0) break;
        uint64_t before = csv_reader_rows(r);
        rc = csv_reader_feed(r, c->buf, n);
        if (rc) goto fail;
        done += n;
        progress_step(c->b->progress, csv_reader_rows(r) - before, done);
    }
    if ((rc = csv_reader_finish(r))) goto fail;
    c->rows_total += csv_reader_rows(r);
    if (c->b->progress) c->b->progress->count = csv_reader_rows(r);
    progress_done(c->b->progress);
fail:
    csv_reader_free(r);
    if (zf) zip_fclose(zf);
    if (f) fclose(f);
    return rc;
absent:
    if (!required) return 0;
    if (c->zip)
        return err_set(c->e, FK_ENOTFOUND, "%s: required file %s not found in the zip%s%s",
                       c->path, t->file, *c->prefix ? " (looked in folder " : "",
                       *c->prefix ? c->prefix : "");
    return err_set(c->e, FK_ENOTFOUND, "%s: required file %s not found in the folder",
                   c->path, t->file);
}

/* Opens path as a zip and finds where its GTFS files are: at the root, or
 * else in the first sub-folder (one level deep, not __MACOSX/) holding one. */
static int gtfs_open_zip(gtfs_ctx *c)
{
    int zerr = 0;
    c->zip = zip_open(c->path, ZIP_RDONLY, &zerr);
    if (!c->zip) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        int code = zerr == ZIP_ER_NOZIP || zerr == ZIP_ER_INCONS ? FK_EPARSE : FK_EIO;
        int rc = err_set(c->e, code, "%s: not a folder and cannot be opened as a zip: %s",
                         c->path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    size_t nk = sizeof gtfs_known_files / sizeof *gtfs_known_files;
    for (size_t k = 0; k < nk; k++)
        if (zip_name_locate(c->zip, gtfs_known_files[k], 0) >= 0) return 0;
    zip_int64_t ne = zip_get_num_entries(c->zip, 0);
    for (zip_int64_t i = 0; i < ne; i++) {
        const char *name = zip_get_name(c->zip, (zip_uint64_t)i, 0);
        if (!name || strncmp(name, "__MACOSX/", 9) == 0) continue;
        const char *slash = strchr(name, '/');
        if (!slash || strchr(slash + 1, '/')) continue;
        size_t plen = (size_t)(slash - name) + 1;
        if (plen >= sizeof c->prefix) continue;
        for (size_t k = 0; k < nk; k++)
            if (strcmp(slash + 1, gtfs_known_files[k]) == 0) {
                memcpy(c->prefix, name, plen);
                c->prefix[plen] = '\0';
                return 0;
            }
    }
    return 0;   /* nothing found: the first required file reports it */
}

static void gtfs_ctx_free(gtfs_ctx *c)
{
    if (c->zip) zip_discard(c->zip);
    mem_free(c->buf);
    hmap_str_free(&c->agency_ids);
    hmap_str_free(&c->stop_ids);
    hmap_str_free(&c->route_ids);
    hmap_str_free(&c->service_ids);
    hmap_str_free(&c->trip_ids);
    vec_free(c->parents);
    vec_free(c->blob);
    vec_free(c->svcs);
    vec_free(c->excs);
    vec_free(c->st);
    vec_free(c->st_trip);
    vec_free(c->st_seq);
    vec_free(c->st_line);
    vec_free(c->st_dist);
}

int ingest_gtfs(region_builder *b, const char *path, ingest_report *rep, fk_err *e)
{
    region_builder_mark mark;
    region_builder_mark_get(b, &mark);
    if (rep) memset(rep, 0, sizeof *rep);
    gtfs_ctx *c = mem_calloc(1, sizeof *c);
    if (!c) return err_set(e, FK_ENOMEM, "%s: out of memory", path);
    c->b = b;
    c->e = e;
    c->path = path;
    c->base_agency = b->agencies.n;
    c->base_stop = b->stops.n;
    c->base_route = b->routes.n;
    c->base_service = b->services.n;
    c->base_trip = b->trips.n;
    c->base_st = b->stop_times.n;
    c->base_transfer = b->transfers.n;
    c->base_freq = b->frequencies.n;
    int rc = 0, found, found_cal, found_dates;
    struct stat st;
    if (stat(path, &st) != 0) {
        rc = err_set(e, FK_EIO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISDIR(st.st_mode) && (rc = gtfs_open_zip(c))) goto fail;
    c->buf = mem_alloc(GTFS_BUF_SIZE);
    if (!c->buf) {
        rc = err_set(e, FK_ENOMEM, "%s: out of memory", path);
        goto fail;
    }

    if ((rc = gtfs_read_table(c, &T_AGENCY, 1, &found))) goto fail;
    if ((rc = gtfs_read_table(c, &T_STOPS, 1, &found)) || (rc = gtfs_stops_done(c)) ||
        (rc = gtfs_read_table(c, &T_ROUTES, 1, &found)) ||
        (rc = gtfs_read_table(c, &T_CALENDAR, 0, &found_cal)) ||
        (rc = gtfs_read_table(c, &T_CALENDAR_DATES, 0, &found_dates)))
        goto fail;
    if (!found_cal && !found_dates) {
        rc = err_set(e, FK_ENOTFOUND, "%s: required file calendar.txt or "
                     "calendar_dates.txt not found (at least one is needed)", path);
        goto fail;
    }
    if ((rc = gtfs_services_done(c)) ||
        (rc = gtfs_read_table(c, &T_TRIPS, 1, &found)) ||
        (rc = gtfs_read_table(c, &T_STOP_TIMES, 1, &found)))
        goto fail;
    memcpy(c->st_label, c->label, sizeof c->st_label);
    if ((rc = gtfs_stop_times_done(c)) ||
        (rc = gtfs_read_table(c, &T_FREQUENCIES, 0, &found)) ||
        (rc = gtfs_read_table(c, &T_TRANSFERS, 0, &found)) ||
        (rc = gtfs_read_table(c, &T_FEED_INFO, 0, &found)))
        goto fail;

    if (rep) {
        rep->records = (b->agencies.n - c->base_agency) + (b->stops.n - c->base_stop) +
                       (b->routes.n - c->base_route) + (b->services.n - c->base_service) +
                       (b->trips.n - c->base_trip) + (b->stop_times.n - c->base_st) +
                       (b->transfers.n - c->base_transfer) +
                       (b->frequencies.n - c->base_freq);
        rep->skipped = c->skip_stop + c->skip_trip + c->skip_route + c->skip_nostop;
        if (rep->skipped) {
            const char *why[] = {"an unknown stop_id", "an unknown trip_id",
                                 "an unknown route_id", "no stops (and not in-seat)"};
            uint64_t cnt[] = {c->skip_stop, c->skip_trip, c->skip_route, c->skip_nostop};
            size_t len = (size_t)snprintf(rep->note, sizeof rep->note,
                                          "transfers.txt: %llu rows skipped:",
                                          (unsigned long long)rep->skipped);
            for (int k = 0; k < 4 && len < sizeof rep->note; k++)
                if (cnt[k])
                    len += (size_t)snprintf(rep->note + len, sizeof rep->note - len,
                                            " %llu with %s;", (unsigned long long)cnt[k],
                                            why[k]);
        }
    }
fail:
    if (rc) region_builder_rollback(b, &mark);
    gtfs_ctx_free(c);
    mem_free(c);
    return rc;
}
