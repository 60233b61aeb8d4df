/*
 * fuzz_geojson.c: libFuzzer target for the kommun boundary importer
 * (ingest_kommuner_geojson in ingest/areas.c). The input is written to a
 * temporary .geojson file and imported into a fresh builder, once without
 * a filter; when that succeeds, a point is looked up in the areas read and
 * a small localities CSV is placed against them, so the geometry the
 * importer accepted is also exercised by its users.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ingest/areas.h"

static char json_path[64], loc_path[64];

static void remove_temp(void)
{
    unlink(json_path);
    unlink(loc_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!json_path[0]) {
        snprintf(json_path, sizeof json_path, "/tmp/fuzz_geojson_%d.geojson", (int)getpid());
        snprintf(loc_path, sizeof loc_path, "/tmp/fuzz_geojson_%d.csv", (int)getpid());
        atexit(remove_temp);
        FILE *l = fopen(loc_path, "wb");
        if (!l) return 0;
        fputs("Locality,Municipality,Latitude,Longitude\nA,A,60.5,20.5\nB,B,0,0\n", l);
        fclose(l);
    }
    FILE *f = fopen(json_path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);

    region_builder b;
    region_builder_init(&b, "fuzz");
    fk_err e = {0};
    ingest_report rep;
    if (ingest_kommuner_geojson(&b, json_path, NULL, &rep, &e) == 0) {
        geo_point p = {605000000, 205000000};
        (void)region_builder_kommun_at(&b, p);
        (void)ingest_localities_csv(&b, loc_path, NULL, &rep, &e);
    }
    region_builder_free(&b);
    return 0;
}
