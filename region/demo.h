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

#define DEMO_DEFAULT_SEED 20221017u

typedef struct demo_opts {
    uint32_t seed;        /* 0 -> default 20221017 */
    uint32_t n_jobs;      /* 0 -> 400; at most 1 000 000 */
    uint32_t n_homes;     /* 0 -> 400; at most 1 000 000 */
    double scale;         /* multiplies street density; 0 -> 1.0; 0.1 to 10 */
    uint32_t parts;       /* REGION_GEN_ROADS|POIS|JOBS|HOMES|STATS to generate;
                             0 -> each part the builder holds no records of */
} demo_opts;

/* Generates the missing parts of the region in b (see above and
 * docs/demo.md). o may be NULL (all defaults). Geography (fictional
 * kommuner, localities, stops) is made only when b has no areas; places
 * are put on road nodes, real or generated. Sets b->seed and the
 * REGION_GEN_* bits of b->gen_flags for what it made.
 *
 * Returns 0, FK_EINVAL for bad options, FK_ENOMEM or FK_ETOOBIG, with a
 * message in e (may be NULL). On failure b is rolled back to what it held
 * before the call (strings interned meanwhile stay in the pool, unused).
 * Never prints; reports progress through b->progress. */
int demo_generate(region_builder *b, const demo_opts *o, fk_err *e);

#endif
