/*
 * query_transit.c: `flyttkarta query transit`, public transport from a
 * point (route/transit_point.h, docs/transit.md "From a point"): to one
 * point (with itinerary, over a window, or arrive-by), to every home, job
 * or amenity of a kind, the nearest amenity of each kind, and the homes
 * within a transit commute of a workplace. Prints one JSON object.
 * Exit status: 0 ok, 1 no answer, 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../base/err.h"
#include "../base/geo.h"
#include "../base/mem.h"
#include "../region/region.h"
#include "../route/engine.h"
#include "../route/isochrone.h"
#include "../route/nearest.h"
#include "../route/raptor.h"
#include "../route/transit.h"
#include "../route/transit_point.h"

int query_transit(int argc, char **argv);

static void qt_usage(FILE *f)
{
    fprintf(f,
        "usage: flyttkarta query transit --region FILE --from POINT --date YYYY-MM-DD\n"
        "         [--to POINT | --targets homes|jobs|pois|KIND | --nearest | --commute SET\n"
        "          | --isochrone MIN[,MIN...]]\n"
        "         [--time HH:MM] [--window HH:MM-HH:MM] [--step S] [--arrive-by HH:MM]\n"
        "         [--max-walk MIN] [--limit MIN] [--pretty]\n"
        "\n"
        "Public transport with walking at both ends (docs/transit.md).\n"
        "\n"
        "  --from POINT       LAT,LON, home:N or job:N\n"
        "  --to POINT         one destination: earliest arrival and itinerary at --time,\n"
        "                     best/median/worst over --window, or with --arrive-by the\n"
        "                     latest departure that arrives in time\n"
        "  --targets SET      every home, job, POI or amenity of a kind (school, grocery..)\n"
        "  --nearest          the nearest amenity of each kind by median over --window\n"
        "  --commute SET      places of SET (homes, jobs) from which --from (the work)\n"
        "                     is reached within --limit by median over --window\n"
        "  --isochrone LIST   areas reachable by walking and riding within each number\n"
        "                     of minutes (e.g. 15,30,45) leaving at --time: GeoJSON\n"
        "  --date D           a service day of the timetable\n"
        "  --time HH:MM       departure (default 07:30)\n"
        "  --window A-B       departures every --step seconds (default 60) from A to B\n"
        "  --max-walk MIN     longest walk of each walk leg (default 15)\n"
        "  --limit MIN        leave out targets farther than this (default 60)\n"
        "  --pretty           indented JSON\n"
        "  -h, --help         this text\n");
}

static int qt_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "flyttkarta query transit: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun `flyttkarta query transit --help` for the options.\n");
    return 2;
}

static int qt_hhmm(const char *s, int32_t *out)
{
    int h, m;
    char c;
    if (sscanf(s, "%d:%d%c", &h, &m, &c) != 2 || h < 0 || h > 47 || m < 0 || m > 59) return -1;
    *out = h * 3600 + m * 60;
    return 0;
}

/* LAT,LON or home:N / job:N. */
static int qt_point(const region *r, const char *s, geo_point *p)
{
    unsigned long i;
    char c;
    if (sscanf(s, "home:%lu%c", &i, &c) == 1) {
        if (i >= r->n_homes) return -1;
        *p = r->homes[i].pos;
        return 0;
    }
    if (sscanf(s, "job:%lu%c", &i, &c) == 1) {
        if (i >= r->n_jobs) return -1;
        *p = r->jobs[i].pos;
        return 0;
    }
    double la, lo;
    if (sscanf(s, "%lf,%lf%c", &la, &lo, &c) != 2 || la < -90 || la > 90 || lo < -180 ||
        lo > 180)
        return -1;
    p->lat_e7 = (int32_t)(la * GEO_E7 + (la < 0 ? -0.5 : 0.5));
    p->lon_e7 = (int32_t)(lo * GEO_E7 + (lo < 0 ? -0.5 : 0.5));
    return 0;
}

static json_t *qt_time(int32_t s)
{
    char b[16];
    snprintf(b, sizeof b, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    return json_string(b);
}

static json_t *qt_min(uint32_t s)
{
    return s == ROUTE_TP_NO_TIME ? json_null() : json_real((double)(s / 6) / 10.0);
}

static json_t *qt_itinerary(const route_itinerary *it)
{
    json_t *o = json_object(), *legs = json_array();
    json_object_set_new(o, "depart", qt_time(it->dep_s));
    json_object_set_new(o, "arrive", qt_time(it->arr_s));
    json_object_set_new(o, "minutes", json_real((double)((it->arr_s - it->dep_s) / 6) / 10.0));
    json_object_set_new(o, "transfers", json_integer(it->transfers));
    for (size_t i = 0; i < it->n_legs; i++) {
        const route_leg *l = &it->legs[i];
        json_t *j = json_object();
        json_object_set_new(j, "kind", json_string(l->kind == LEG_WALK ? "walk" : "transit"));
        json_object_set_new(j, "from", json_string(l->from_name));
        json_object_set_new(j, "to", json_string(l->to_name));
        json_object_set_new(j, "depart", qt_time(l->dep_s));
        json_object_set_new(j, "arrive", qt_time(l->arr_s));
        if (l->kind == LEG_TRANSIT) {
            json_object_set_new(j, "line", json_string(l->line));
            json_object_set_new(j, "headsign", json_string(l->headsign));
            json_object_set_new(j, "stops", json_integer(l->n_stops));
            if (*l->from_platform) json_object_set_new(j, "from_platform", json_string(l->from_platform));
            if (*l->to_platform) json_object_set_new(j, "to_platform", json_string(l->to_platform));
        }
        json_array_append_new(legs, j);
    }
    json_object_set_new(o, "legs", legs);
    return o;
}

/* The days the timetable has service on: [first, last]. */
static void qt_validity(const region *r, int32_t *first, int32_t *last)
{
    *first = INT32_MAX;
    *last = INT32_MIN;
    for (size_t i = 0; i < r->n_services; i++) {
        const region_service *s = &r->services[i];
        for (uint32_t d = 0; d < s->n_days; d++)
            if (region_service_active(r, s, s->first_day + (int32_t)d)) {
                if (s->first_day + (int32_t)d < *first) *first = s->first_day + (int32_t)d;
                if (s->first_day + (int32_t)d > *last) *last = s->first_day + (int32_t)d;
            }
    }
}

int query_transit(int argc, char **argv)
{
    const char *region_path = NULL, *from_s = NULL, *to_s = NULL, *targets = NULL;
    const char *date = NULL, *time_s = "07:30", *window = NULL, *arrive_by = NULL;
    const char *commute = NULL, *iso_list = NULL;
    int pretty = 0, nearest = 0;
    long max_walk_min = 15, limit_min = 60, step = 60;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            qt_usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--pretty")) { pretty = 1; continue; }
        if (!strcmp(a, "--nearest")) { nearest = 1; continue; }
        if (i + 1 >= argc) return qt_usage_error("%s needs a value", a);
        const char *v = argv[++i];
        char *end;
        if (!strcmp(a, "--region")) region_path = v;
        else if (!strcmp(a, "--from")) from_s = v;
        else if (!strcmp(a, "--to")) to_s = v;
        else if (!strcmp(a, "--targets")) targets = v;
        else if (!strcmp(a, "--commute")) commute = v;
        else if (!strcmp(a, "--isochrone")) iso_list = v;
        else if (!strcmp(a, "--date")) date = v;
        else if (!strcmp(a, "--time")) time_s = v;
        else if (!strcmp(a, "--window")) window = v;
        else if (!strcmp(a, "--arrive-by")) arrive_by = v;
        else if (!strcmp(a, "--max-walk")) {
            max_walk_min = strtol(v, &end, 10);
            if (*end || max_walk_min < 1 || max_walk_min > 60)
                return qt_usage_error("--max-walk %s: whole minutes 1..60", v);
        } else if (!strcmp(a, "--limit")) {
            limit_min = strtol(v, &end, 10);
            if (*end || limit_min < 1 || limit_min > 240)
                return qt_usage_error("--limit %s: whole minutes 1..240", v);
        } else if (!strcmp(a, "--step")) {
            step = strtol(v, &end, 10);
            if (*end || step < 1 || step > 3600) return qt_usage_error("--step %s: 1..3600 s", v);
        } else {
            return qt_usage_error("unknown option %s", a);
        }
    }
    if (!region_path) return qt_usage_error("%s", "--region is required");
    if (!from_s) return qt_usage_error("%s", "--from is required");
    if (!date) return qt_usage_error("%s", "--date is required");
    if (!!to_s + !!targets + nearest + !!commute + !!iso_list != 1)
        return qt_usage_error("%s", "give exactly one of --to, --targets, --nearest, --commute, "
                              "--isochrone");
    unsigned iso_min[8];
    int n_iso = 0;
    if (iso_list) {
        const char *p = iso_list;
        for (;;) {
            char *end_iso;
            long v = strtol(p, &end_iso, 10);
            if (end_iso == p || v < 1 || v > 120 || n_iso == 8 ||
                (n_iso && (unsigned)v <= iso_min[n_iso - 1]))
                return qt_usage_error("--isochrone %s: up to 8 increasing whole minutes 1..120",
                                      iso_list);
            iso_min[n_iso++] = (unsigned)v;
            if (*end_iso == '\0') break;
            if (*end_iso != ',')
                return qt_usage_error("--isochrone %s: minutes separated by commas", iso_list);
            p = end_iso + 1;
        }
    }
    if (arrive_by && !to_s) return qt_usage_error("%s", "--arrive-by needs --to");
    if ((nearest || commute) && !window) window = "07:00-09:00";
    int y, mo, d;
    char c;
    int32_t day, dep, w0 = 0, w1 = 0, deadline = 0;
    if (sscanf(date, "%d-%d-%d%c", &y, &mo, &d, &c) != 3 || region_day_from_ymd(y, mo, d, &day))
        return qt_usage_error("--date %s: expected YYYY-MM-DD", date);
    if (qt_hhmm(time_s, &dep)) return qt_usage_error("--time %s: expected HH:MM", time_s);
    if (window) {
        char a[16], b[16];
        if (sscanf(window, "%15[0-9:]-%15[0-9:]%c", a, b, &c) != 2 || qt_hhmm(a, &w0) ||
            qt_hhmm(b, &w1) || w1 < w0 || (w1 - w0) / step + 1 > 1441)
            return qt_usage_error("--window %s: expected HH:MM-HH:MM (at most 1441 departures)",
                                  window);
    }
    if (arrive_by && qt_hhmm(arrive_by, &deadline))
        return qt_usage_error("--arrive-by %s: expected HH:MM", arrive_by);
    int amen = -1;
    route_engine_set set = ENGINE_HOMES;
    if (targets) {
        int k = route_engine_set_parse(targets);
        if (k >= 0) set = (route_engine_set)k;
        else if ((amen = route_amenity_parse(targets)) >= 0 && amen != AMEN_BUS_STOP) set = ENGINE_POIS;
        else return qt_usage_error("--targets %s: homes, jobs, pois or an amenity kind", targets);
    }
    if (commute) {
        int k = route_engine_set_parse(commute);
        if (k < 0) return qt_usage_error("--commute %s: homes, jobs or pois", commute);
        set = (route_engine_set)k;
    }

    int rc = 1;
    fk_err e;
    region *r = NULL;
    route_engine eng;
    route_transit tt;
    route_tp_index x;
    route_tp_scratch s;
    int have_eng = 0, have_tt = 0;
    memset(&x, 0, sizeof x);
    memset(&s, 0, sizeof s);
    json_t *out = NULL;
    route_engine_target *list = NULL;
    route_iso_index ix;
    route_iso_scratch is;
    memset(&is, 0, sizeof is);
    if (region_open(region_path, 0, &r, &e)) goto fail;
    geo_point from, to = {0, 0};
    if (qt_point(r, from_s, &from)) {
        region_close(r);
        return qt_usage_error("--from %s: expected LAT,LON, home:N or job:N", from_s);
    }
    if (to_s && qt_point(r, to_s, &to)) {
        region_close(r);
        return qt_usage_error("--to %s: expected LAT,LON, home:N or job:N", to_s);
    }
    int32_t vf, vl;
    qt_validity(r, &vf, &vl);
    if (vf == INT32_MAX) {
        err_set(&e, FK_ENOTFOUND, "the region has no public transport timetable");
        goto fail;
    }
    if (day < vf || day > vl) {
        int a1, a2, a3, b1, b2, b3;
        region_ymd_from_day(vf, &a1, &a2, &a3);
        region_ymd_from_day(vl, &b1, &b2, &b3);
        err_set(&e, FK_EINVAL, "date %s is outside the timetable's validity "
                "(%04d-%02d-%02d .. %04d-%02d-%02d)", date, a1, a2, a3, b1, b2, b3);
        goto fail;
    }
    if (route_engine_open(r, NULL, &eng, &e)) goto fail;
    have_eng = 1;
    if (route_transit_open(r, &tt, &e)) goto fail;
    have_tt = 1;
    uint32_t n_steps = window ? (uint32_t)((w1 - w0) / step + 1) : 0;
    if (route_tp_open(&x, &eng, &tt, (uint32_t)max_walk_min * 60 > ROUTE_TP_DEFAULT_WALK_S
                                         ? (uint32_t)max_walk_min * 60 : 0, &e))
        goto fail;
    if (route_tp_scratch_init(&s, &x, n_steps, &e)) goto fail;
    route_tp_query q = {from, day, dep, (uint32_t)max_walk_min * 60, 0};
    out = json_object();
    json_object_set_new(out, "mode", json_string("transit"));
    json_object_set_new(out, "date", json_string(date));
    json_object_set_new(out, "max_walk_min", json_integer(max_walk_min));
    if (window) json_object_set_new(out, "window", json_string(window));
    uint32_t limit_s = (uint32_t)limit_min * 60;
    if (to_s) {
        if (route_tp_set_point(&x, &s, &to, &e)) goto fail;
        uint32_t P = ROUTE_TP_POINT(&x);
        if (arrive_by) {
            int32_t ldep, larr;
            if (route_tp_arrive_by(&x, &s, &q, P, deadline, &ldep, &larr, &e)) goto fail;
            json_object_set_new(out, "arrive_by", qt_time(deadline));
            json_object_set_new(out, "latest_departure", qt_time(ldep));
        } else if (window) {
            if (route_tp_range(&x, &s, &q, w0, w1, (uint32_t)step, &e)) goto fail;
            if (s.median[P] == ROUTE_TP_NO_TIME) {
                err_set(&e, FK_ENOTFOUND, "the destination is not reached in most departures of "
                        "the window");
                goto fail;
            }
            json_object_set_new(out, "best_min", qt_min(s.best[P]));
            json_object_set_new(out, "median_min", qt_min(s.median[P]));
            json_object_set_new(out, "worst_min", qt_min(s.worst[P]));
            q.time_s = w0;   /* and the itinerary of the first departure */
        }
        if (!arrive_by && route_tp_depart(&x, &s, &q, &e)) goto fail;
        route_itinerary it;
        if (route_tp_itinerary(&x, &s, P, "destination", &it, &e)) goto fail;
        json_object_set_new(out, "itinerary", qt_itinerary(&it));
    } else if (targets) {
        json_t *arr = json_array();
        json_object_set_new(out, "targets", arr);
        json_object_set_new(out, "set", json_string(targets));
        if (window) {
            if (route_tp_range(&x, &s, &q, w0, w1, (uint32_t)step, &e)) goto fail;
        } else if (route_tp_depart(&x, &s, &q, &e)) {
            goto fail;
        }
        for (uint32_t i = 0; i < eng.n_set[set]; i++) {
            if (amen >= 0 && !route_nearest_poi_is(&r->pois[i], (route_amenity)amen)) continue;
            uint32_t t = route_tp_target(&x, set, i);
            uint32_t v = window ? s.median[t]
                       : s.arr_s[t] == ROUTE_TP_NO_TIME ? ROUTE_TP_NO_TIME
                                                        : s.arr_s[t] - (uint32_t)dep;
            if (v == ROUTE_TP_NO_TIME || v > limit_s) continue;
            json_t *o = json_object();
            json_object_set_new(o, "index", json_integer(i));
            if (window) {
                json_object_set_new(o, "best_min", qt_min(s.best[t]));
                json_object_set_new(o, "median_min", qt_min(s.median[t]));
                json_object_set_new(o, "worst_min", qt_min(s.worst[t]));
            } else {
                json_object_set_new(o, "minutes", qt_min(v));
                json_object_set_new(o, "arrive", qt_time((int32_t)s.arr_s[t]));
                json_object_set_new(o, "walk_only", json_boolean(s.best_stop[t] == ROUTE_TP_DIRECT));
            }
            json_array_append_new(arr, o);
        }
        json_object_set_new(out, "count", json_integer((json_int_t)json_array_size(arr)));
    } else if (iso_list) {
        if (route_iso_open(r, &ix, &e)) goto fail;
        if (route_iso_scratch_init(&is, &ix, 0, 0)) {
            err_set(&e, FK_ENOMEM, "isochrone scratch: out of memory");
            goto fail;
        }
        route_iso_grid g;
        if (route_tp_isochrone(&x, &s, &ix, &is, &q, iso_min[n_iso - 1] * 600u, NULL, &g, &e))
            goto fail;
        json_t *feats = json_array();
        json_object_set_new(out, "type", json_string("FeatureCollection"));
        json_object_set_new(out, "features", feats);
        json_object_set_new(out, "time", qt_time(dep));
        for (int k = 0; k < n_iso; k++) {
            route_iso_polygons p;
            if (route_iso_contour(&is, &g, iso_min[k] * 600u, &p)) {
                err_set(&e, FK_ETOOBIG, "isochrone: the %u-minute contour does not fit the "
                        "scratch", iso_min[k]);
                goto fail;
            }
            json_t *f = route_iso_geojson(&p, MODE_WALK);
            json_t *props = json_object_get(f, "properties");
            if (props) json_object_set_new(props, "mode", json_string("transit"));
            json_array_append_new(feats, f);
        }
    } else if (nearest) {
        if (route_tp_range(&x, &s, &q, w0, w1, (uint32_t)step, &e)) goto fail;
        json_t *o = json_object();
        for (int k = 0; k < AMEN_COUNT; k++) {
            if (k == AMEN_BUS_STOP) continue;
            uint32_t poi, med;
            if (route_tp_nearest(&x, &s, (route_amenity)k, &poi, &med)) {
                json_object_set_new(o, route_amenity_name((route_amenity)k), json_null());
                continue;
            }
            json_t *a = json_object();
            json_object_set_new(a, "poi", json_integer(poi));
            json_object_set_new(a, "name", json_string(region_str(r, r->pois[poi].name)));
            json_object_set_new(a, "median_min", qt_min(med));
            json_object_set_new(o, route_amenity_name((route_amenity)k), a);
        }
        json_object_set_new(out, "nearest", o);
    } else {
        list = mem_calloc(eng.n_set[set] + 1, sizeof *list);
        size_t n = 0;
        if (!list) {
            err_set(&e, FK_ENOMEM, "out of memory");
            goto fail;
        }
        if (route_tp_commute(&x, &s, &q, w0, w1, (uint32_t)step, set, -1, 0, limit_s, list, &n,
                             &e))
            goto fail;
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "index", json_integer(list[i].index));
            json_object_set_new(o, "median_min", qt_min(list[i].time_ds / 10));
            json_array_append_new(arr, o);
        }
        json_object_set_new(out, "commute", arr);
        json_object_set_new(out, "set", json_string(commute));
        json_object_set_new(out, "count", json_integer((json_int_t)n));
    }
    char *txt = json_dumps(out, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                    JSON_REAL_PRECISION(10));
    if (txt) {
        puts(txt);
        free(txt);
        rc = 0;
    }
    goto done;
fail:
    fprintf(stderr, "flyttkarta query transit: %s\n", e.msg);
    rc = e.code == FK_ENOMEM ? 1 : 1;
done:
    json_decref(out);
    mem_free(list);
    route_iso_scratch_free(&is);
    route_tp_scratch_free(&s);
    route_tp_close(&x);
    if (have_tt) route_transit_free(&tt);
    if (have_eng) route_engine_close(&eng);
    region_close(r);
    return rc;
}
