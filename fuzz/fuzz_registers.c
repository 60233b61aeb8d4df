/*
 * fuzz_registers.c: libFuzzer target for the register importers
 * (ingest/registers.c). The first input byte picks the importer (homes,
 * places, stats, by value modulo 3); the rest is written to a temporary
 * CSV file and imported into a fresh builder that holds one small kommun
 * polygon, so the kommun-from-point path runs too. Any status is fine; the
 * sanitizers and the leak checker are what judge.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ingest/registers.h"

static char csv_path[64];

static void remove_temp(void) { unlink(csv_path); }

/* A 1x1 degree square kommun 9901 around 60.5 N 20.5 E. */
static void add_area(region_builder *b)
{
    static const geo_point sq[4] = {{600000000, 200000000}, {600000000, 210000000},
                                    {610000000, 210000000}, {610000000, 200000000}};
    region_ring r = {0, 4, RING_OUTER, {0}};
    region_area a = {0};
    int rc = 0;
    for (int i = 0; i < 4; i++)
        if (vec_push(b->ring_points, sq[i])) return;
    if (vec_push(b->rings, r)) return;
    a.code = rb_str(b, "9901", &rc);
    a.n_rings = 1;
    a.bbox = (geo_bbox){600000000, 200000000, 610000000, 210000000};
    a.kommun_code = 9901;
    if (!rc) (void)vec_push(b->areas, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (!csv_path[0]) {
        snprintf(csv_path, sizeof csv_path, "/tmp/fuzz_registers_%d.csv", (int)getpid());
        atexit(remove_temp);
    }
    FILE *f = fopen(csv_path, "wb");
    if (!f) return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);

    region_builder b;
    region_builder_init(&b, "fuzz");
    add_area(&b);
    fk_err e = {0};
    ingest_report rep;
    switch (data[0] % 3) {
    case 0: (void)ingest_homes_csv(&b, csv_path, &rep, &e); break;
    case 1: (void)ingest_places_csv(&b, csv_path, &rep, &e); break;
    default: (void)ingest_stats_csv(&b, csv_path, &rep, &e); break;
    }
    region_builder_free(&b);
    return 0;
}
