/*
 * demo.h: the seeded, deterministic demo region generator (docs/demo.md).
 *
 * It works on whatever real geography the builder already holds (kommun
 * areas, localities, GTFS stops, taxonomy) and generates what open data
 * offline cannot give: a street network (local grids sized by locality,
 * joined by a road hierarchy, every bus stop reachable), schools,
 * preschools, health centres, grocery stores, job ads, homes for sale and
 * area statistics. With no areas in the builder it first makes a fictional
 * geography (named as such). Everything generated carries
 * REGION_F_GENERATED, and b->gen_flags says which parts are generated.
 * The same seed and inputs give the same region, byte for byte.
 */
#ifndef FK_DEMO_H
#define FK_DEMO_H

#include <stdint.h>

#include "../base/err.h"
#include "builder.h"

typedef struct demo_opts {
    uint32_t seed;        /* 0 -> default 20221017 */
    uint32_t n_jobs;      /* 0 -> 400 */
    uint32_t n_homes;     /* 0 -> 400 */
    double scale;         /* multiplies street density; 0 -> 1.0 */
} demo_opts;

int demo_generate(region_builder *b, const demo_opts *o, fk_err *e);

#endif
