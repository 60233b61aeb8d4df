/*
 * query_isochrone.c: `flyttkarta query isochrone`, the areas reachable
 * from a point within given times by walk, bike or car (route/isochrone.h,
 * docs/isochrones.md), printed as a GeoJSON FeatureCollection (one Feature
 * per limit) or, with --grid, as the grid of travel times in JSON.
 *
 * Exit status: 0 ok, 1 failure (snapshot unreadable, point not near a
 * road, ...), 2 usage error. Messages go to stderr, results to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../base/err.h"
#include "../base/geo.h"
#include "../region/region.h"
#include "../route/isochrone.h"
#include "../route/profile.h"

int query_isochrone(int argc, char **argv);

#define QI_MAX_LIMITS 16
#define QI_MAX_MINUTES 240

static void qi_usage(FILE *f)
{
    fprintf(f,
        "usage: flyttkarta query isochrone --region FILE --from LAT,LON --mode walk|bike|car\n"
        "                                  [--minutes 10,20,30,45,60] [--grid]\n"
        "\n"
        "The areas reachable from a point within each time limit, by road and a\n"
        "short walk off the road (docs/isochrones.md).\n"
        "\n"
        "options:\n"
        "  --region FILE    region snapshot made by `flyttkarta build`\n"
        "  --from LAT,LON   starting point, WGS 84 degrees (e.g. 65.5841,22.1547)\n"
        "  --mode MODE      walk, bike or car\n"
        "  --minutes LIST   limits in whole minutes, comma separated, 1..%d, at most %d\n"
        "                   (default 10,20,30,45,60)\n"
        "  --grid           print the grid of travel times (JSON) instead of polygons\n"
        "  --cell-m M       grid cell size in metres (default 2.5 per minute of the\n"
        "                   largest limit, within 50..150; larger when the area is huge)\n"
        "  --engine E       one-to-all search: dijkstra (default) or phast\n"
        "  --pretty         indented JSON\n"
        "  -h, --help       show this text\n"
        "\n"
        "Output: a GeoJSON FeatureCollection, one Feature per limit (smallest first)\n"
        "with a MultiPolygon and properties minutes, mode, area_km2, polygons;\n"
        "coordinates [lon, lat] with 6 decimals. With --grid: {\"nx\", \"ny\", \"west\",\n"
        "\"south\", \"cell_lon_deg\", \"cell_lat_deg\", \"seconds\": rows from the south,\n"
        "null where not reached, ...}.\n",
        QI_MAX_MINUTES, QI_MAX_LIMITS);
}

static int qi_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "flyttkarta query isochrone: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun `flyttkarta query isochrone --help` for the options.\n");
    return 2;
}

/* Parses "LAT,LON" in degrees. 0 or -1. */
static int qi_parse_point(const char *s, geo_point *p)
{
    char *end;
    errno = 0;
    double lat = strtod(s, &end);
    if (end == s || *end != ',' || errno) return -1;
    const char *t = end + 1;
    double lon = strtod(t, &end);
    if (end == t || *end != '\0' || errno) return -1;
    return geo_from_deg(lat, lon, p);
}

static int qi_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Parses "10,20,30" into sorted distinct minutes. Returns the count, or -1. */
static int qi_parse_minutes(const char *s, uint32_t *out)
{
    int n = 0;
    const char *p = s;
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || v < 1 || v > QI_MAX_MINUTES) return -1;
        if (n == QI_MAX_LIMITS) return -1;
        out[n++] = (uint32_t)v;
        if (*end == '\0') break;
        if (*end != ',') return -1;
        p = end + 1;
    }
    qsort(out, (size_t)n, sizeof *out, qi_cmp_u32);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (k == 0 || out[k - 1] != out[i]) out[k++] = out[i];
    return k;
}

/* Option value of "--name VALUE" or "--name=VALUE" at argv[*i]; NULL when
 * argv[*i] is not that option. *missing is set when the value is absent. */
static const char *qi_opt(int argc, char **argv, int *i, const char *name, int *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n)) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

static json_t *qi_lonlat(geo_point p)
{
    return json_pack("[f,f]", p.lon_e7 / GEO_E7, p.lat_e7 / GEO_E7);
}

int query_isochrone(int argc, char **argv)
{
    const char *region_path = NULL, *from_s = NULL, *mode_s = NULL, *minutes_s = NULL;
    const char *cell_s = NULL, *engine_s = NULL;
    int grid = 0, pretty = 0;
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            qi_usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--grid")) { grid = 1; continue; }
        if (!strcmp(argv[i], "--pretty")) { pretty = 1; continue; }
        if ((v = qi_opt(argc, argv, &i, "--region", &missing))) region_path = v;
        else if ((v = qi_opt(argc, argv, &i, "--from", &missing))) from_s = v;
        else if ((v = qi_opt(argc, argv, &i, "--mode", &missing))) mode_s = v;
        else if ((v = qi_opt(argc, argv, &i, "--minutes", &missing))) minutes_s = v;
        else if ((v = qi_opt(argc, argv, &i, "--cell-m", &missing))) cell_s = v;
        else if ((v = qi_opt(argc, argv, &i, "--engine", &missing))) engine_s = v;
        else if (missing) return qi_usage_error("%s needs a value", argv[i]);
        else return qi_usage_error("unknown option '%s'", argv[i]);
        if (missing) return qi_usage_error("%s needs a value", argv[i]);
    }
    if (!region_path) return qi_usage_error("%s", "--region FILE is required");
    if (!from_s) return qi_usage_error("%s", "--from LAT,LON is required");
    if (!mode_s) return qi_usage_error("%s", "--mode walk|bike|car is required");
    geo_point from;
    if (qi_parse_point(from_s, &from))
        return qi_usage_error("--from '%s': expected LAT,LON in degrees, e.g. 65.5841,22.1547",
                              from_s);
    int mode = route_mode_parse(mode_s);
    if (mode < 0) return qi_usage_error("--mode '%s': expected walk, bike or car", mode_s);
    uint32_t minutes[QI_MAX_LIMITS] = {10, 20, 30, 45, 60};
    int n_lim = 5;
    if (minutes_s && (n_lim = qi_parse_minutes(minutes_s, minutes)) < 1)
        return qi_usage_error("--minutes '%s': expected whole minutes 1..240, comma separated, "
                              "at most 16", minutes_s);
    route_iso_opts o;
    memset(&o, 0, sizeof o);
    if (cell_s) {
        char *end;
        o.cell_m = strtod(cell_s, &end);
        if (end == cell_s || *end || !(o.cell_m >= 5 && o.cell_m <= 10000))
            return qi_usage_error("--cell-m '%s': expected metres, 5..10000", cell_s);
    }
    if (engine_s) {
        if (!strcmp(engine_s, "dijkstra")) o.engine = ROUTE_ISO_DIJKSTRA;
        else if (!strcmp(engine_s, "phast")) o.engine = ROUTE_ISO_PHAST;
        else return qi_usage_error("--engine '%s': expected dijkstra or phast", engine_s);
    }

    int status = 1;
    fk_err e;
    err_clear(&e);
    region *r = NULL;
    route_iso_index x;
    route_iso_scratch s;
    memset(&s, 0, sizeof s);
    json_t *root = NULL;
    int rc = region_open(region_path, 0, &r, &e);
    if (rc) goto fail;
    rc = route_iso_open(r, &x, &e);
    if (rc) goto fail;
    rc = route_iso_scratch_init(&s, &x, 0, o.engine == ROUTE_ISO_PHAST);
    if (rc) {
        err_set(&e, rc, "isochrone scratch: out of memory");
        goto fail;
    }
    route_iso_grid g;
    rc = route_isochrone(&x, &s, (route_mode)mode, from, minutes[n_lim - 1] * 600u, &o, &g, &e);
    if (rc) goto fail;
    if (grid) {
        root = route_iso_grid_json(&g);
        if (!root) goto nomem;
    } else {
        root = json_object();
        json_t *feats = json_array();
        if (!root || json_object_set_new(root, "type", json_string("FeatureCollection")) ||
            json_object_set_new(root, "features", feats))
            goto nomem;
        for (int k = 0; k < n_lim; k++) {
            route_iso_polygons p;
            rc = route_iso_contour(&s, &g, minutes[k] * 600u, &p);
            if (rc) {
                err_set(&e, rc, "isochrone: the %u-minute contour does not fit the scratch",
                        minutes[k]);
                goto fail;
            }
            if (json_array_append_new(feats, route_iso_geojson(&p, (route_mode)mode))) goto nomem;
        }
        json_t *meta = json_pack("{s:s,s:o,s:o,s:f,s:f,s:f}", "mode", route_mode_name((route_mode)mode),
                                 "from", qi_lonlat(from), "snapped", qi_lonlat(g.snap.point),
                                 "snap_m", g.snap.dist_m, "cell_m", g.cell_m,
                                 "offroad_m", g.offroad_m);
        if (json_object_set_new(root, "isochrone", meta)) goto nomem;
    }
    size_t flags = (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_REAL_PRECISION(10);
    if (json_dumpf(root, stdout, flags) || fputc('\n', stdout) == EOF ||
        fflush(stdout)) {
        err_set(&e, FK_EIO, "writing the result: %s", strerror(errno));
        goto fail;
    }
    status = 0;
    goto done;
nomem:
    err_set(&e, FK_ENOMEM, "out of memory building the JSON");
fail:
    fprintf(stderr, "flyttkarta query isochrone: %s\n", e.msg[0] ? e.msg : err_name(rc));
done:
    json_decref(root);
    route_iso_scratch_free(&s);
    region_close(r);
    return status;
}
