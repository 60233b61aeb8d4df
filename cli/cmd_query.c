/*
 * cmd_query.c: `flyttkarta query SUB --region FILE ...`: the routing engine
 * (route/engine.h) from the shell. Subcommands near, route, commute,
 * two-work and matrix (docs/query.md); each prints one JSON object on
 * stdout (written with jansson, so every string is escaped properly).
 *
 * Exit status: 0 ok; 1 when the question cannot be answered (a point
 * outside the region or far from the roads, no route, a broken snapshot),
 * with the engine's message on stderr; 2 for usage errors, with a message
 * naming the option.
 *
 * Options are parsed by one table-driven loop (--name VALUE or
 * --name=VALUE) so that every message can name the option; each
 * subcommand lists the options it accepts.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../region/region.h"
#include "../route/engine.h"
#include "cli.h"

/* ---- options ---- */

enum {
    QO_REGION = 0, QO_MODE, QO_AT, QO_FROM, QO_TO, QO_HOME, QO_JOB, QO_KINDS, QO_K,
    QO_LIMIT, QO_TARGETS, QO_KIND, QO_REVERSE, QO_ALGO, QO_WORK1, QO_WORK2, QO_MODE1,
    QO_MODE2, QO_LIMIT1, QO_LIMIT2, QO_POINT, QO_PRETTY, QO_HELP, QO_COUNT
};

static const struct {
    const char *name;
    int has_arg;
} query_opts[QO_COUNT] = {
    {"region", 1}, {"mode", 1}, {"at", 1}, {"from", 1}, {"to", 1}, {"home", 1}, {"job", 1},
    {"kinds", 1}, {"k", 1}, {"limit", 1}, {"targets", 1}, {"kind", 1}, {"reverse", 0},
    {"algo", 1}, {"work1", 1}, {"work2", 1}, {"mode1", 1}, {"mode2", 1}, {"limit1", 1},
    {"limit2", 1}, {"point", 1}, {"pretty", 0}, {"help", 0}};

#define QO_BIT(o) (1u << (o))
#define QO_MAX_REPEAT ROUTE_ENGINE_MATRIX_MAX

/* A point as given: coordinates, or a home/job index resolved once the
 * region is open. */
typedef struct query_point {
    int kind;            /* 0 coordinates, 1 home, 2 job */
    uint32_t index;
    geo_point p;
    const char *opt;     /* the option it came from, for messages */
    const char *text;
} query_point;

typedef struct query_args {
    const char *sub;
    const char *region;
    const char *val[QO_COUNT];   /* last value of each option */
    int seen[QO_COUNT];
    query_point pts[QO_MAX_REPEAT];   /* points in the order given */
    size_t n_pts;
} query_args;

typedef struct query_sub {
    const char *name;
    int (*fn)(query_args *a);
    unsigned opts;           /* QO_BIT of each accepted option */
    const char *usage;
} query_sub;

static int query_usage_error(const query_args *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int query_usage_error(const query_args *a, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "flyttkarta query %s: ", a->sub);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see `flyttkarta query %s --help`)\n", a->sub);
    return 2;
}

static int query_fail(const query_args *a, const fk_err *e)
{
    fprintf(stderr, "flyttkarta query %s: %s\n", a->sub, e->msg[0] ? e->msg : err_name(e->code));
    return 1;
}

/* Parses a point: "LAT,LON", "home:N" or "job:N". 0 or -1. */
static int query_parse_point(const char *s, query_point *out)
{
    memset(out, 0, sizeof *out);
    out->text = s;
    const char *num = NULL;
    if (!strncmp(s, "home:", 5)) out->kind = 1, num = s + 5;
    else if (!strncmp(s, "job:", 4)) out->kind = 2, num = s + 4;
    if (num) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(num, &end, 10);
        if (!*num || *end || errno || v > UINT32_MAX - 1 || *num == '-') return -1;
        out->index = (uint32_t)v;
        return 0;
    }
    char *end;
    errno = 0;
    double lat = strtod(s, &end);
    if (end == s || *end != ',' || errno) return -1;
    const char *s2 = end + 1;
    double lon = strtod(s2, &end);
    if (end == s2 || *end || errno) return -1;
    if (fabs(lat) > 90 || fabs(lon) > 180 || geo_from_deg(lat, lon, &out->p)) return -1;
    return 0;
}

/* Adds the point of option o with value v. */
static int query_add_point(query_args *a, int o, const char *v)
{
    if (a->n_pts >= QO_MAX_REPEAT)
        return query_usage_error(a, "--%s: at most %d points", query_opts[o].name,
                                 QO_MAX_REPEAT);
    query_point *q = &a->pts[a->n_pts];
    char buf[64];
    const char *text = v;
    if (o == QO_HOME || o == QO_JOB) {
        snprintf(buf, sizeof buf, "%s:%s", o == QO_HOME ? "home" : "job", v);
        text = buf;
    }
    if (query_parse_point(text, q))
        return query_usage_error(a,
                                 o == QO_HOME || o == QO_JOB
                                     ? "--%s: expected an index (0, 1, ...), got '%s'"
                                     : "--%s: expected LAT,LON in degrees, home:N or job:N, "
                                       "got '%s'",
                                 query_opts[o].name, v);
    q->opt = query_opts[o].name;
    q->text = v;
    a->n_pts++;
    return 0;
}

static int query_is_point_opt(int o)
{
    return o == QO_AT || o == QO_FROM || o == QO_TO || o == QO_HOME || o == QO_JOB ||
           o == QO_WORK1 || o == QO_WORK2 || o == QO_POINT;
}

/* Parses argv (after the subcommand) into a. 0, 2 (usage error, printed),
 * or 3 (--help given). */
static int query_parse(const query_sub *sub, int argc, char **argv, query_args *a)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "-h")) arg = "--help";
        if (strncmp(arg, "--", 2))
            return query_usage_error(a, "unexpected argument '%s' (options start with --)", arg);
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int o;
        for (o = 0; o < QO_COUNT; o++)
            if (strlen(query_opts[o].name) == len && !strncmp(query_opts[o].name, name, len))
                break;
        if (o == QO_COUNT || !(sub->opts & QO_BIT(o)))
            return query_usage_error(a, "unknown option --%.*s", (int)len, name);
        if (o == QO_HELP) return 3;
        const char *v = NULL;
        if (query_opts[o].has_arg) {
            if (eq) v = eq + 1;
            else if (i + 1 < argc) v = argv[++i];
            else return query_usage_error(a, "--%s needs a value", query_opts[o].name);
        } else if (eq) {
            return query_usage_error(a, "--%s takes no value", query_opts[o].name);
        }
        if (query_is_point_opt(o)) {
            int rc = query_add_point(a, o, v);
            if (rc) return rc;
        } else if (a->seen[o]) {
            return query_usage_error(a, "--%s given twice", query_opts[o].name);
        }
        a->seen[o]++;
        a->val[o] = v ? v : "";
    }
    if (!a->seen[QO_REGION]) return query_usage_error(a, "--region FILE is required");
    a->region = a->val[QO_REGION];
    return 0;
}

/* The n-th point given through option o (n from 0), or NULL. */
static query_point *query_point_of(query_args *a, int o, int n)
{
    for (size_t i = 0; i < a->n_pts; i++)
        if (!strcmp(a->pts[i].opt, query_opts[o].name) && n-- == 0) return &a->pts[i];
    return NULL;
}

static int query_mode(const query_args *a, int o, const char *dflt, route_mode *m)
{
    const char *s = a->seen[o] ? a->val[o] : dflt;
    int v = route_mode_parse(s);
    if (v < 0)
        return query_usage_error(a, "--%s: expected walk, bike or car, got '%s'",
                                 query_opts[o].name, s);
    *m = (route_mode)v;
    return 0;
}

/* --limit MIN (decimal minutes) into deciseconds. */
static int query_limit(const query_args *a, int o, double dflt_min, uint32_t *ds)
{
    double v = dflt_min;
    if (a->seen[o]) {
        char *end;
        errno = 0;
        v = strtod(a->val[o], &end);
        if (end == a->val[o] || *end || errno || !(v > 0) || v > 1440)
            return query_usage_error(a, "--%s: expected minutes (0 < MIN <= 1440), got '%s'",
                                     query_opts[o].name, a->val[o]);
    }
    *ds = (uint32_t)llround(v * 600.0);
    return 0;
}

static int query_uint(const query_args *a, int o, unsigned dflt, unsigned max, unsigned *out)
{
    *out = dflt;
    if (!a->seen[o]) return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(a->val[o], &end, 10);
    if (end == a->val[o] || *end || errno || v > max || a->val[o][0] == '-')
        return query_usage_error(a, "--%s: expected a number 0..%u, got '%s'",
                                 query_opts[o].name, max, a->val[o]);
    *out = (unsigned)v;
    return 0;
}

/* Resolves home:N / job:N against the open engine. */
static int query_resolve(const query_args *a, const route_engine *eng, query_point *q)
{
    if (q->kind == 0) return 0;
    route_engine_set set = q->kind == 1 ? ENGINE_HOMES : ENGINE_JOBS;
    if (route_engine_place(eng, set, q->index, &q->p))
        return query_usage_error(a, "--%s: no %s %u (the region has %u)", q->opt,
                                 q->kind == 1 ? "home" : "job", q->index, eng->n_set[set]);
    return 0;
}

/* ---- output ---- */

static json_t *query_real(double v)
{
    return json_real(round(v * 10.0) / 10.0);
}

static json_t *query_latlon(geo_point p)
{
    json_t *o = json_object();
    json_object_set_new(o, "lat", json_real(geo_lat_deg(p)));
    json_object_set_new(o, "lon", json_real(geo_lon_deg(p)));
    return o;
}

static json_t *query_time(uint32_t ds)
{
    return ds == ROUTE_INF ? json_null() : query_real(ds / 10.0);
}

static json_t *query_point_json(const query_point *q, const route_snap_result *sr)
{
    json_t *o = query_latlon(q->p);
    if (q->kind) json_object_set_new(o, q->kind == 1 ? "home" : "job", json_integer(q->index));
    if (sr) {
        json_t *s = query_latlon(sr->point);
        json_object_set_new(s, "dist_m", query_real(sr->dist_m));
        json_object_set_new(o, "snapped", s);
    }
    return o;
}

static int query_pretty;   /* --pretty: indented output */

static int query_print(json_t *root)
{
    size_t flags = (query_pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_REAL_PRECISION(10);
    int rc = json_dumpf(root, stdout, flags);
    json_decref(root);
    if (rc || fputc('\n', stdout) == EOF || fflush(stdout)) {
        fprintf(stderr, "flyttkarta query: cannot write the answer\n");
        return 1;
    }
    return 0;
}

/* ---- the engine, opened per command ---- */

typedef struct query_ctx {
    region *r;
    route_engine eng;
    route_engine_scratch s;
    int open;
} query_ctx;

static int query_open(const query_args *a, query_ctx *c)
{
    fk_err e;
    err_clear(&e);
    memset(c, 0, sizeof *c);
    if (region_open(a->region, 0, &c->r, &e)) return query_fail(a, &e);
    if (route_engine_open(c->r, NULL, &c->eng, &e)) {
        region_close(c->r);
        return query_fail(a, &e);
    }
    if (route_engine_scratch_init(&c->s, &c->eng)) {
        route_engine_scratch_free(&c->s);
        route_engine_close(&c->eng);
        region_close(c->r);
        fprintf(stderr, "flyttkarta query %s: out of memory\n", a->sub);
        return 1;
    }
    c->open = 1;
    return 0;
}

static void query_close(query_ctx *c)
{
    if (!c->open) return;
    route_engine_scratch_free(&c->s);
    route_engine_close(&c->eng);
    region_close(c->r);
    c->open = 0;
}

/* ---- near ---- */

static json_t *query_amenity_json(const route_engine *eng, route_amenity k,
                                  const route_engine_amenity *am)
{
    json_t *o = json_object();
    json_object_set_new(o, k == AMEN_BUS_STOP ? "stop" : "poi", json_integer(am->index));
    json_object_set_new(o, "name", json_string(am->name));
    json_object_set_new(o, "lat", json_real(geo_lat_deg(am->pos)));
    json_object_set_new(o, "lon", json_real(geo_lon_deg(am->pos)));
    json_object_set_new(o, "time_s", query_time(am->time_ds));
    json_object_set_new(o, "dist_m", json_integer(am->dist_m));
    if (k != AMEN_BUS_STOP)
        json_object_set_new(o, "subkind",
                            json_string(region_str(eng->r, eng->r->pois[am->index].subkind)));
    return o;
}

static int query_near(query_args *a)
{
    route_mode m = MODE_CAR;
    uint32_t limit = ROUTE_INF;
    unsigned k;
    int rc = query_mode(a, QO_MODE, "walk", &m);
    if (!rc) rc = query_uint(a, QO_K, 3, ROUTE_NEAREST_K_MAX, &k);
    if (!rc && a->seen[QO_LIMIT]) rc = query_limit(a, QO_LIMIT, 0, &limit);
    if (rc) return rc;
    if (a->n_pts != 1) return query_usage_error(a, "give one point: --at, --home or --job");
    route_amenity kinds[AMEN_COUNT];
    size_t nk = 0;
    const char *ks = a->seen[QO_KINDS] ? a->val[QO_KINDS] : "school,preschool,health,grocery";
    if (!strcmp(ks, "all")) {
        for (int i = 0; i < AMEN_COUNT; i++) kinds[nk++] = (route_amenity)i;
    } else {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", ks);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
             t = strtok_r(NULL, ",", &save)) {
            int v = route_amenity_parse(t);
            if (v < 0)
                return query_usage_error(a, "--kinds: unknown kind '%s' (school, "
                                         "school_primary, school_lower_secondary, "
                                         "school_upper_secondary, preschool, health, grocery, "
                                         "pharmacy, library, sports, bus_stop, or all)", t);
            if (nk == AMEN_COUNT) return query_usage_error(a, "--kinds: too many kinds");
            kinds[nk++] = (route_amenity)v;
        }
        if (!nk) return query_usage_error(a, "--kinds: give at least one kind");
    }
    query_ctx c;
    if ((rc = query_open(a, &c))) return rc;
    query_point *q = &a->pts[0];
    if ((rc = query_resolve(a, &c.eng, q))) goto out;
    fk_err e;
    err_clear(&e);
    route_engine_near res[AMEN_COUNT];
    route_snap_result sr;
    if (route_engine_near_at(&c.eng, &c.s, m, q->p, kinds, nk, k, limit, res, &sr, &e)) {
        rc = query_fail(a, &e);
        goto out;
    }
    json_t *root = json_object(), *arr = json_array();
    json_object_set_new(root, "query", json_string("near"));
    json_object_set_new(root, "mode", json_string(route_mode_name(m)));
    json_object_set_new(root, "point", query_point_json(q, &sr));
    json_object_set_new(root, "k", json_integer(k));
    json_object_set_new(root, "limit_s", query_time(limit));
    for (size_t i = 0; i < nk; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_string(route_amenity_name(kinds[i])));
        json_object_set_new(o, "nearest",
                            res[i].found ? query_amenity_json(&c.eng, kinds[i], &res[i].nearest)
                                         : json_null());
        json_t *ka = json_array();
        for (size_t j = 0; j < res[i].n_k; j++)
            json_array_append_new(ka, query_amenity_json(&c.eng, kinds[i], &res[i].k[j]));
        json_object_set_new(o, "k_nearest", ka);
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "kinds", arr);
    rc = query_print(root);
out:
    query_close(&c);
    return rc;
}

/* ---- route ---- */

static int query_route(query_args *a)
{
    route_mode m = MODE_CAR;
    int rc = query_mode(a, QO_MODE, "car", &m);
    if (rc) return rc;
    /* --from/--home give the start, --to/--job the destination */
    query_point *from = query_point_of(a, QO_FROM, 0), *to = query_point_of(a, QO_TO, 0);
    query_point *home = query_point_of(a, QO_HOME, 0), *job = query_point_of(a, QO_JOB, 0);
    if ((from && home) || (to && job) || a->n_pts != 2 || !(from || home) || !(to || job))
        return query_usage_error(a, "give one start (--from or --home) and one destination "
                                    "(--to or --job)");
    if (!from) from = home;
    if (!to) to = job;
    query_ctx c;
    if ((rc = query_open(a, &c))) return rc;
    if ((rc = query_resolve(a, &c.eng, from)) || (rc = query_resolve(a, &c.eng, to))) goto out;
    fk_err e;
    err_clear(&e);
    route_engine_route rt;
    if (route_engine_route_p2p(&c.eng, &c.s, m, from->p, to->p, &rt, &e)) {
        rc = query_fail(a, &e);
        goto out;
    }
    json_t *root = json_object();
    json_object_set_new(root, "query", json_string("route"));
    json_object_set_new(root, "mode", json_string(route_mode_name(m)));
    json_object_set_new(root, "from", query_point_json(from, &rt.from));
    json_object_set_new(root, "to", query_point_json(to, &rt.to));
    json_object_set_new(root, "time_s", query_time(rt.time_ds));
    json_object_set_new(root, "dist_m", query_real(rt.dist_dm / 10.0));
    json_object_set_new(root, "same_segment", json_boolean(rt.same_road));
    json_t *g = json_object(), *coords = json_array();
    json_object_set_new(g, "type", json_string("LineString"));
    for (size_t i = 0; i < rt.n_geom; i++) {
        json_t *pair = json_array();
        json_array_append_new(pair, json_real(geo_lon_deg(rt.geom[i])));
        json_array_append_new(pair, json_real(geo_lat_deg(rt.geom[i])));
        json_array_append_new(coords, pair);
    }
    json_object_set_new(g, "coordinates", coords);
    json_object_set_new(root, "geometry", g);
    rc = query_print(root);
out:
    query_close(&c);
    return rc;
}

/* ---- commute and two-work ---- */

static int query_targets(const query_args *a, route_engine_set *set, int *kind)
{
    *set = ENGINE_HOMES;
    *kind = -1;
    if (a->seen[QO_TARGETS]) {
        int v = route_engine_set_parse(a->val[QO_TARGETS]);
        if (v < 0)
            return query_usage_error(a, "--targets: expected homes, jobs or pois, got '%s'",
                                     a->val[QO_TARGETS]);
        *set = (route_engine_set)v;
    }
    if (a->seen[QO_KIND]) {
        int v = route_amenity_parse(a->val[QO_KIND]);
        if (v < 0 || v == AMEN_BUS_STOP)
            return query_usage_error(a, "--kind: expected a place kind (school, preschool, "
                                        "health, grocery, ...; not bus_stop), got '%s'",
                                     a->val[QO_KIND]);
        if (*set != ENGINE_POIS) return query_usage_error(a, "--kind needs --targets pois");
        *kind = v;
    }
    return 0;
}

static json_t *query_hits_json(const route_engine_target *t, size_t n, int two)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "index", json_integer(t[i].index));
        json_object_set_new(o, two ? "time1_s" : "time_s", query_time(t[i].time_ds));
        if (two) json_object_set_new(o, "time2_s", query_time(t[i].time2_ds));
        json_array_append_new(arr, o);
    }
    return arr;
}

static int query_commute(query_args *a)
{
    route_engine_commute_q q;
    memset(&q, 0, sizeof q);
    int rc = query_mode(a, QO_MODE, "car", &q.mode);
    if (!rc) rc = query_limit(a, QO_LIMIT, 30, &q.limit_ds);
    if (!rc) rc = query_targets(a, &q.set, &q.kind);
    if (rc) return rc;
    q.reverse = a->seen[QO_REVERSE] > 0;
    if (a->seen[QO_ALGO]) {
        const char *s = a->val[QO_ALGO];
        if (!strcmp(s, "auto")) q.algo = ENGINE_ALGO_AUTO;
        else if (!strcmp(s, "phast")) q.algo = ENGINE_ALGO_PHAST;
        else if (!strcmp(s, "dijkstra")) q.algo = ENGINE_ALGO_DIJKSTRA;
        else return query_usage_error(a, "--algo: expected auto, phast or dijkstra, got '%s'", s);
    }
    if (a->n_pts != 1) return query_usage_error(a, "give one point: --at, --job or --home");
    query_ctx c;
    if ((rc = query_open(a, &c))) return rc;
    query_point *p = &a->pts[0];
    if ((rc = query_resolve(a, &c.eng, p))) goto out;
    q.at = p->p;
    fk_err e;
    err_clear(&e);
    const route_engine_target *t;
    size_t n;
    if (route_engine_commute(&c.eng, &c.s, &q, &t, &n, &e)) {
        rc = query_fail(a, &e);
        goto out;
    }
    route_snap_result sr;
    route_engine_snap(&c.eng, q.mode, q.at, &sr, NULL);
    json_t *root = json_object();
    json_object_set_new(root, "query", json_string("commute"));
    json_object_set_new(root, "mode", json_string(route_mode_name(q.mode)));
    json_object_set_new(root, "point", query_point_json(p, &sr));
    json_object_set_new(root, "direction", json_string(q.reverse ? "from_point" : "to_point"));
    json_object_set_new(root, "targets", json_string(route_engine_set_name(q.set)));
    if (q.kind >= 0)
        json_object_set_new(root, "kind", json_string(route_amenity_name((route_amenity)q.kind)));
    json_object_set_new(root, "limit_s", query_time(q.limit_ds));
    json_object_set_new(root, "count", json_integer((json_int_t)n));
    json_object_set_new(root, "results", query_hits_json(t, n, 0));
    rc = query_print(root);
out:
    query_close(&c);
    return rc;
}

static int query_two_work(query_args *a)
{
    route_engine_commute_q q1, q2;
    memset(&q1, 0, sizeof q1);
    memset(&q2, 0, sizeof q2);
    int rc = query_mode(a, QO_MODE1, "car", &q1.mode);
    if (!rc) rc = query_mode(a, QO_MODE2, "car", &q2.mode);
    if (!rc) rc = query_limit(a, QO_LIMIT1, 30, &q1.limit_ds);
    if (!rc) rc = query_limit(a, QO_LIMIT2, 30, &q2.limit_ds);
    if (!rc) rc = query_targets(a, &q1.set, &q1.kind);
    if (rc) return rc;
    q2.set = q1.set;
    q2.kind = q1.kind;
    /* --work1/--work2, or --job N given twice (first, second) */
    query_point *w1 = query_point_of(a, QO_WORK1, 0), *w2 = query_point_of(a, QO_WORK2, 0);
    query_point *j1 = query_point_of(a, QO_JOB, 0), *j2 = query_point_of(a, QO_JOB, 1);
    if (!w1) w1 = j1, j1 = j2;
    if (!w2) w2 = j1;
    if (!w1 || !w2 || a->n_pts != 2)
        return query_usage_error(a, "give two workplaces: --work1 and --work2 (or --job twice)");
    query_ctx c;
    if ((rc = query_open(a, &c))) return rc;
    if ((rc = query_resolve(a, &c.eng, w1)) || (rc = query_resolve(a, &c.eng, w2))) goto out;
    q1.at = w1->p;
    q2.at = w2->p;
    fk_err e;
    err_clear(&e);
    const route_engine_target *t;
    size_t n;
    if (route_engine_two_work(&c.eng, &c.s, &q1, &q2, &t, &n, &e)) {
        rc = query_fail(a, &e);
        goto out;
    }
    json_t *root = json_object();
    json_object_set_new(root, "query", json_string("two-work"));
    json_object_set_new(root, "targets", json_string(route_engine_set_name(q1.set)));
    if (q1.kind >= 0)
        json_object_set_new(root, "kind",
                            json_string(route_amenity_name((route_amenity)q1.kind)));
    const route_engine_commute_q *qs[2] = {&q1, &q2};
    query_point *ws[2] = {w1, w2};
    for (int i = 0; i < 2; i++) {
        route_snap_result sr;
        route_engine_snap(&c.eng, qs[i]->mode, qs[i]->at, &sr, NULL);
        json_t *o = query_point_json(ws[i], &sr);
        json_object_set_new(o, "mode", json_string(route_mode_name(qs[i]->mode)));
        json_object_set_new(o, "limit_s", query_time(qs[i]->limit_ds));
        json_object_set_new(root, i ? "work2" : "work1", o);
    }
    json_object_set_new(root, "count", json_integer((json_int_t)n));
    json_object_set_new(root, "results", query_hits_json(t, n, 1));
    rc = query_print(root);
out:
    query_close(&c);
    return rc;
}

/* ---- matrix ---- */

static int query_matrix(query_args *a)
{
    route_mode m = MODE_CAR;
    int rc = query_mode(a, QO_MODE, "car", &m);
    if (rc) return rc;
    if (a->n_pts < 1)
        return query_usage_error(a, "give at least one point: --point, --home or --job");
    query_ctx c;
    if ((rc = query_open(a, &c))) return rc;
    geo_point pts[QO_MAX_REPEAT];
    for (size_t i = 0; i < a->n_pts; i++) {
        if ((rc = query_resolve(a, &c.eng, &a->pts[i]))) goto out;
        pts[i] = a->pts[i].p;
    }
    fk_err e;
    err_clear(&e);
    const uint32_t *mx;
    if (route_engine_matrix(&c.eng, &c.s, m, pts, a->n_pts, pts, a->n_pts, &mx, &e)) {
        rc = query_fail(a, &e);
        goto out;
    }
    json_t *root = json_object(), *parr = json_array(), *rows = json_array();
    json_object_set_new(root, "query", json_string("matrix"));
    json_object_set_new(root, "mode", json_string(route_mode_name(m)));
    for (size_t i = 0; i < a->n_pts; i++) {
        json_array_append_new(parr, query_point_json(&a->pts[i], &c.s.mx_snap[i]));
        json_t *row = json_array();
        for (size_t j = 0; j < a->n_pts; j++)
            json_array_append_new(row, query_time(mx[i * a->n_pts + j]));
        json_array_append_new(rows, row);
    }
    json_object_set_new(root, "points", parr);
    json_object_set_new(root, "times_s", rows);
    rc = query_print(root);
out:
    query_close(&c);
    return rc;
}

/* ---- dispatch ---- */

#define QO_COMMON (QO_BIT(QO_REGION) | QO_BIT(QO_HELP) | QO_BIT(QO_PRETTY))

static const query_sub query_subs[] = {
    {"near", query_near,
     QO_COMMON | QO_BIT(QO_MODE) | QO_BIT(QO_AT) | QO_BIT(QO_HOME) | QO_BIT(QO_JOB) |
         QO_BIT(QO_KINDS) | QO_BIT(QO_K) | QO_BIT(QO_LIMIT),
     "usage: flyttkarta query near --region FILE (--at LAT,LON | --home N | --job N)\n"
     "           [--mode walk|bike|car] [--kinds K1,K2,...|all] [--k N] [--limit MIN]\n"
     "\n"
     "The nearest amenity of each kind from a point (precomputed: O(1)), and the k\n"
     "nearest (a short search), with travel time, network distance, name and position.\n"
     "  --mode     travel mode (default walk)\n"
     "  --kinds    school, school_primary, school_lower_secondary,\n"
     "             school_upper_secondary, preschool, health, grocery, pharmacy,\n"
     "             library, sports, bus_stop, or all (default\n"
     "             school,preschool,health,grocery)\n"
     "  --k        how many nearest per kind, 0..5 (default 3; 0: only the nearest)\n"
     "  --limit    only list k-nearest within MIN minutes\n"},
    {"route", query_route,
     QO_COMMON | QO_BIT(QO_MODE) | QO_BIT(QO_FROM) | QO_BIT(QO_TO) | QO_BIT(QO_HOME) |
         QO_BIT(QO_JOB),
     "usage: flyttkarta query route --region FILE (--from POINT | --home N)\n"
     "           (--to POINT | --job N) [--mode walk|bike|car]\n"
     "\n"
     "The fastest route between two points: time, distance and a GeoJSON LineString\n"
     "(the snapped start, the road nodes passed, the snapped end).\n"
     "POINT is LAT,LON in degrees, home:N or job:N.\n"
     "  --mode     travel mode (default car)\n"},
    {"commute", query_commute,
     QO_COMMON | QO_BIT(QO_MODE) | QO_BIT(QO_AT) | QO_BIT(QO_HOME) | QO_BIT(QO_JOB) |
         QO_BIT(QO_LIMIT) | QO_BIT(QO_TARGETS) | QO_BIT(QO_KIND) | QO_BIT(QO_REVERSE) |
         QO_BIT(QO_ALGO),
     "usage: flyttkarta query commute --region FILE (--at POINT | --job N | --home N)\n"
     "           [--mode walk|bike|car] [--limit MIN] [--targets homes|jobs|pois]\n"
     "           [--kind KIND] [--reverse] [--algo auto|phast|dijkstra]\n"
     "\n"
     "Every home (job, place) from which the point (a workplace) is reached within\n"
     "the limit, with the travel time: the direction a commuter travels, so oneways\n"
     "count. --reverse gives the times from the point to each target instead.\n"
     "  --mode     travel mode (default car)\n"
     "  --limit    minutes (default 30)\n"
     "  --targets  homes (default), jobs, or pois\n"
     "  --kind     with --targets pois: only places of this kind (school, grocery, ...)\n"
     "  --algo     search used (default auto; the answers are the same)\n"},
    {"two-work", query_two_work,
     QO_COMMON | QO_BIT(QO_WORK1) | QO_BIT(QO_WORK2) | QO_BIT(QO_JOB) | QO_BIT(QO_MODE1) |
         QO_BIT(QO_MODE2) | QO_BIT(QO_LIMIT1) | QO_BIT(QO_LIMIT2) | QO_BIT(QO_TARGETS) |
         QO_BIT(QO_KIND),
     "usage: flyttkarta query two-work --region FILE (--work1 POINT | --job N)\n"
     "           (--work2 POINT | --job N) [--mode1 M] [--mode2 M] [--limit1 MIN]\n"
     "           [--limit2 MIN] [--targets homes|jobs|pois] [--kind KIND]\n"
     "\n"
     "Homes (two-career households) within limit1 by mode1 of work1 AND within limit2\n"
     "by mode2 of work2, with both times. --job N given twice is work1, then work2.\n"
     "  --mode1/2   travel mode to each workplace (default car)\n"
     "  --limit1/2  minutes (default 30)\n"},
    {"matrix", query_matrix,
     QO_COMMON | QO_BIT(QO_MODE) | QO_BIT(QO_POINT) | QO_BIT(QO_HOME) | QO_BIT(QO_JOB),
     "usage: flyttkarta query matrix --region FILE [--mode walk|bike|car]\n"
     "           (--point POINT | --home N | --job N)...\n"
     "\n"
     "Travel times between every pair of the points given (in the order given, at\n"
     "most 256): times_s[i][j] from point i to point j, null when unreachable.\n"
     "  --mode     travel mode (default car)\n"},
};

static void query_usage(FILE *f)
{
    fprintf(f,
        "usage: flyttkarta query SUBCOMMAND --region FILE [options]\n"
        "\n"
        "Asks the routing engine of a region snapshot; prints one JSON object.\n"
        "subcommands:\n"
        "  near       nearest schools, preschools, health centres, shops... from a point\n"
        "  route      fastest route between two points, with its geometry\n"
        "  commute    every home within a time limit of a workplace\n"
        "  two-work   homes within reach of two workplaces\n"
        "  matrix     travel times between every pair of points\n"
        "  isochrone  areas reachable within time limits, as GeoJSON or a grid\n"
        "  transit    public transport from a point: arrivals, window statistics,\n"
        "             itinerary, arrive-by, commute and nearest amenities by bus/train\n"
        "\n"
        "Points are LAT,LON in degrees (65.5848,22.1547), or home:N / job:N.\n"
        "Every subcommand takes --pretty (indented JSON) and --help.\n"
        "Run `flyttkarta query SUBCOMMAND --help` for its options. Exit status: 0 ok,\n"
        "1 no answer (point outside the region, no route, ...), 2 usage error.\n");
}

/* Runs subcommand query_subs[which]; argv[0] is its name. */
static int query_run(size_t which, int argc, char **argv)
{
    const query_sub *sub = &query_subs[which];
    static query_args a;   /* large (points); one query per process */
    memset(&a, 0, sizeof a);
    a.sub = sub->name;
    int rc = query_parse(sub, argc - 1, argv + 1, &a);
    if (rc == 3) {
        fputs(sub->usage, stdout);
        return 0;
    }
    if (rc) return rc;
    query_pretty = a.seen[QO_PRETTY] > 0;
    return sub->fn(&a);
}

static int query_cmd_near(int argc, char **argv) { return query_run(0, argc, argv); }
static int query_cmd_route(int argc, char **argv) { return query_run(1, argc, argv); }
static int query_cmd_commute(int argc, char **argv) { return query_run(2, argc, argv); }
static int query_cmd_two_work(int argc, char **argv) { return query_run(3, argc, argv); }
static int query_cmd_matrix(int argc, char **argv) { return query_run(4, argc, argv); }

/* In cli/query_isochrone.c and cli/query_transit.c; each parses its own
 * options. */
int query_isochrone(int argc, char **argv);
int query_transit(int argc, char **argv);

/* The subcommands: each gets (argc, argv) with argv[0] = its name. */
static const struct {
    const char *name;
    int (*fn)(int, char **);
} query_cmds[] = {
    {"near", query_cmd_near},
    {"route", query_cmd_route},
    {"commute", query_cmd_commute},
    {"two-work", query_cmd_two_work},
    {"matrix", query_cmd_matrix},
    {"isochrone", query_isochrone},
    {"transit", query_transit},
};

int cmd_query(int argc, char **argv)
{
    if (argc < 2) {
        query_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        query_usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof query_cmds / sizeof query_cmds[0]; i++)
        if (!strcmp(argv[1], query_cmds[i].name)) return query_cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "flyttkarta query: unknown subcommand '%s'\n\n", argv[1]);
    query_usage(stderr);
    return 2;
}
