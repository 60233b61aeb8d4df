/*
 * cmd_info.c: `flyttkarta info FILE`: what a region snapshot holds: name,
 * format, build time, bounding box, which parts are generated, counts per
 * kind, places per kind, roads per class, and the source files with their
 * sizes and checksums. --json prints the same as one JSON object.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/progress.h"
#include "../region/region.h"
#include "cli.h"

static void info_usage(FILE *f)
{
    fprintf(f,
        "usage: flyttkarta info [--json] [--no-verify] FILE.region\n"
        "\n"
        "Shows what a region snapshot holds. The file is validated first\n"
        "(structure, references and, unless --no-verify, every section's CRC-32).\n"
        "  --json        one JSON object instead of text\n"
        "  --no-verify   skip the checksum pass (structure is still checked)\n"
        "  -h, --help    this text\n");
}

static void info_json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

/* Extra sections by the module that wrote them (id ranges in route/). */
static const struct {
    uint32_t lo, hi;
    const char *name;
} info_extra[] = {{1000, 1099, "road graphs"}, {1100, 1199, "contraction hierarchies"},
                  {1200, 1249, "snap index"}, {1250, 1299, "nearest amenities"},
                  {1400, 1499, "transit timetable"}};
#define INFO_N_EXTRA (sizeof info_extra / sizeof info_extra[0])

static void info_extra_bytes(const region *r, uint64_t *bytes)
{
    for (size_t k = 0; k < INFO_N_EXTRA; k++) bytes[k] = 0;
    for (size_t i = 0; i < r->n_sections; i++)
        for (size_t k = 0; k < INFO_N_EXTRA; k++)
            if (r->sections[i].id >= info_extra[k].lo && r->sections[i].id <= info_extra[k].hi)
                bytes[k] += r->sections[i].count * r->sections[i].elem_size;
}

static const char *info_gen_names[] = {"roads", "places", "jobs", "homes",
                                       "statistics", "areas", "transit"};

int cmd_info(int argc, char **argv)
{
    static const struct option lo[] = {{"json", no_argument, 0, 'j'},
                                       {"no-verify", no_argument, 0, 'n'},
                                       {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int json = 0, verify = 1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (c == 'j') json = 1;
        else if (c == 'n') verify = 0;
        else if (c == 'h') { info_usage(stdout); return 0; }
        else { info_usage(stderr); return 2; }
    }
    if (optind != argc - 1) {
        info_usage(stderr);
        return 2;
    }
    const char *path = argv[optind];
    fk_err e;
    err_clear(&e);
    region *r;
    double t0 = progress_now();
    if (region_open(path, verify ? REGION_OPEN_VERIFY_CRC : 0, &r, &e)) {
        fprintf(stderr, "flyttkarta info: %s\n", e.msg);
        return 1;
    }
    double open_ms = (progress_now() - t0) * 1e3;
    const region_file_header *h = r->hdr;
    size_t poi_kind[POI_KIND_COUNT] = {0}, hw[HW_COUNT] = {0};
    size_t gen_jobs = 0, gen_homes = 0, gen_pois = 0, jobs_from_kommun = 0;
    for (size_t i = 0; i < r->n_pois; i++) {
        poi_kind[r->pois[i].kind]++;
        gen_pois += (r->pois[i].flags & REGION_F_GENERATED) != 0;
    }
    for (size_t i = 0; i < r->n_roads; i++) hw[r->roads[i].highway]++;
    for (size_t i = 0; i < r->n_jobs; i++) {
        gen_jobs += (r->jobs[i].flags & REGION_F_GENERATED) != 0;
        jobs_from_kommun += (r->jobs[i].flags & JOB_F_POS_FROM_KOMMUN) != 0;
    }
    for (size_t i = 0; i < r->n_homes; i++)
        gen_homes += (r->homes[i].flags & REGION_F_GENERATED) != 0;
    double road_km = 0;
    for (size_t i = 0; i < r->n_roads; i++) road_km += r->roads[i].length_dm / 1e4;
    uint64_t extra[INFO_N_EXTRA];
    info_extra_bytes(r, extra);
    char when[64];
    time_t bt = (time_t)h->build_time;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&bt));

    if (json) {
        printf("{\"file\":");
        info_json_str(path);
        printf(",\"name\":");
        info_json_str(region_str(r, h->name));
        printf(",\"format_version\":%u,\"bytes\":%zu,\"build_time\":%lld,\"open_ms\":%.3f",
               h->version, r->map_len, (long long)h->build_time, open_ms);
        printf(",\"bbox\":[%.7f,%.7f,%.7f,%.7f]", h->bbox.min_lon_e7 / 1e7,
               h->bbox.min_lat_e7 / 1e7, h->bbox.max_lon_e7 / 1e7, h->bbox.max_lat_e7 / 1e7);
        printf(",\"generated\":[");
        for (int i = 0, k = 0; i < 7; i++)
            if (h->flags & (1u << i)) printf("%s\"%s\"", k++ ? "," : "", info_gen_names[i]);
        printf("],\"seed\":%u,\"counts\":{", h->generator_seed);
        for (size_t i = 0; i < r->n_sections; i++)
            printf("%s\"%s\":%llu", i ? "," : "", region_section_name(r->sections[i].id),
                   (unsigned long long)r->sections[i].count);
        printf("},\"places\":{");
        for (int k = 0; k < POI_KIND_COUNT; k++)
            printf("%s\"%s\":%zu", k ? "," : "", region_poi_kind_name(k), poi_kind[k]);
        printf("},\"roads_by_class\":{");
        for (int k = 0, n = 0; k < HW_COUNT; k++)
            if (hw[k]) printf("%s\"%s\":%zu", n++ ? "," : "", region_highway_name(k), hw[k]);
        printf("},\"routing_bytes\":{");
        for (size_t k = 0; k < INFO_N_EXTRA; k++)
            printf("%s\"%s\":%llu", k ? "," : "", info_extra[k].name,
                   (unsigned long long)extra[k]);
        printf("},\"road_km\":%.1f,\"generated_records\":{\"places\":%zu,\"jobs\":%zu,"
               "\"homes\":%zu},\"sources\":[", road_km, gen_pois, gen_jobs, gen_homes);
        for (size_t i = 0; i < r->n_sources; i++) {
            const region_source *s = &r->sources[i];
            printf("%s{\"kind\":", i ? "," : "");
            info_json_str(region_str(r, s->kind));
            printf(",\"path\":");
            info_json_str(region_str(r, s->path));
            printf(",\"bytes\":%llu,\"crc32\":\"%08x\",\"records\":%u}",
                   (unsigned long long)s->bytes, s->crc32, s->records);
        }
        printf("]}\n");
        region_close(r);
        return 0;
    }

    char a[32];
    printf("region      %s\n", region_str(r, h->name));
    printf("file        %s (%.1f MB, format %u, opened and verified in %.1f ms)\n", path,
           r->map_len / 1e6, h->version, open_ms);
    printf("built       %s\n", when);
    printf("bbox        lon %.5f..%.5f, lat %.5f..%.5f\n", h->bbox.min_lon_e7 / 1e7,
           h->bbox.max_lon_e7 / 1e7, h->bbox.min_lat_e7 / 1e7, h->bbox.max_lat_e7 / 1e7);
    printf("generated   ");
    if (!h->flags) printf("nothing: all real data\n");
    else {
        for (int i = 0, k = 0; i < 7; i++)
            if (h->flags & (1u << i)) printf("%s%s", k++ ? ", " : "", info_gen_names[i]);
        printf("  (demo data, seed %u)\n", h->generator_seed);
    }
    printf("\nareas       %zu (rings %zu, points %zu), localities %zu, postcodes %zu\n",
           r->n_areas, r->n_rings, r->n_ring_points, r->n_localities, r->n_postcodes);
    printf("roads       %s segments, %s nodes, %.0f km\n", cli_group(r->n_roads, a, sizeof a),
           cli_group(r->n_road_nodes, a + 16, 16), road_km);
    printf("            ");
    for (int k = 1, n = 0; k < HW_COUNT; k++)
        if (hw[k]) printf("%s%s %zu", n++ ? ", " : "", region_highway_name(k), hw[k]);
    printf("\nplaces      %zu:", r->n_pois);
    for (int k = 0; k < POI_KIND_COUNT; k++)
        printf(" %s %zu%s", region_poi_kind_name(k), poi_kind[k],
               k + 1 < POI_KIND_COUNT ? "," : "");
    printf("\ntransit     %zu agencies, %zu stops, %zu routes, %zu trips, %zu stop times, "
           "%zu services, %zu transfers, %zu frequencies\n", r->n_agencies, r->n_stops,
           r->n_routes, r->n_trips, r->n_stop_times, r->n_services, r->n_transfers,
           r->n_frequencies);
    printf("jobs        %zu ads (%zu generated, %zu placed at their kommun centre)\n",
           r->n_jobs, gen_jobs, jobs_from_kommun);
    printf("taxonomy    %zu concepts, %zu relations\n", r->n_concepts, r->n_concept_rels);
    printf("homes       %zu for sale (%zu generated)\n", r->n_homes, gen_homes);
    printf("statistics  %zu values\n", r->n_stats);
    printf("routing    ");
    int any = 0;
    for (size_t k = 0; k < INFO_N_EXTRA; k++)
        if (extra[k]) {
            printf("%s %s %.1f MB", any ? "," : "", info_extra[k].name, extra[k] / 1e6);
            any = 1;
        }
    printf("%s\n", any ? "" : " none (built with --no-routing, or by an older version)");
    printf("\nsources:\n");
    for (size_t i = 0; i < r->n_sources; i++) {
        const region_source *s = &r->sources[i];
        printf("  %-11s %s (%.1f MB, crc32 %08x, %u records)\n", region_str(r, s->kind),
               region_str(r, s->path), s->bytes / 1e6, s->crc32, s->records);
    }
    if (!r->n_sources) printf("  (none: everything generated)\n");
    region_close(r);
    return 0;
}
