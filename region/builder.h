/*
 * builder.h: the region under construction, write side of region/.
 *
 * Importers (ingest/) and the demo generator append records to the growable
 * arrays of a region_builder; region_write() then lays them out as a
 * snapshot file (see region.h for the format). The record types are the
 * same structs the read side maps, so writing is a copy, not a conversion.
 *
 * Ownership: the builder owns every array and the string pool; free all of
 * it with region_builder_free(). Importers never keep pointers into the
 * arrays across appends (they move when they grow): keep indices.
 */
#ifndef FK_BUILDER_H
#define FK_BUILDER_H

#include <stdint.h>

#include "../base/err.h"
#include "../base/progress.h"
#include "../base/strpool.h"
#include "../base/vec.h"
#include "region.h"

/* A section the builder's own arrays do not cover (routing graphs,
 * precomputed tables): raw records, written as they are. */
typedef struct region_extra_section {
    uint32_t id;         /* >= REGION_SEC_EXTRA_FIRST, unique */
    uint32_t elem_size;
    void *data;          /* owned, from mem_alloc */
    size_t count;
} region_extra_section;

typedef struct region_builder {
    char name[128];           /* region name shown to users */
    uint32_t gen_flags;       /* REGION_GEN_* */
    uint32_t seed;            /* demo generator seed, 0 if none */
    strpool strings;
    VEC(geo_point) road_nodes;
    VEC(region_road) roads;
    VEC(region_poi) pois;
    VEC(region_agency) agencies;
    VEC(region_stop) stops;
    VEC(region_route) routes;
    VEC(region_service) services;
    VEC(uint8_t) service_bits;
    VEC(region_trip) trips;
    VEC(region_stop_time) stop_times;
    VEC(region_transfer) transfers;
    VEC(region_frequency) frequencies;
    VEC(region_concept) concepts;
    VEC(region_concept_rel) concept_rels;
    VEC(region_job) jobs;
    VEC(region_home) homes;
    VEC(region_area) areas;
    VEC(region_ring) rings;
    VEC(geo_point) ring_points;
    VEC(region_locality) localities;
    VEC(region_postcode) postcodes;
    VEC(region_stat) stats;
    VEC(region_source) sources;
    VEC(region_extra_section) extra;
    progress *progress;       /* may be NULL; set by the caller */
} region_builder;

/* Sizes of every array: a mark to roll back to when an import fails, so a
 * failed importer leaves nothing half-added (strings it interned stay in
 * the pool, unreferenced, which is harmless). */
typedef struct region_builder_mark {
    size_t n[32];
} region_builder_mark;

void region_builder_mark_get(const region_builder *b, region_builder_mark *m);
void region_builder_rollback(region_builder *b, const region_builder_mark *m);

void region_builder_init(region_builder *b, const char *name);
void region_builder_free(region_builder *b);

/* Interns s into the string pool; returns the offset, or sets *rc to an
 * error (FK_ENOMEM/FK_ETOOBIG) and returns 0. Lets call sites stay short:
 *     rec.name = rb_str(b, name, &rc);  ...  if (rc) goto fail;          */
uint32_t rb_str(region_builder *b, const char *s, int *rc);
uint32_t rb_strn(region_builder *b, const char *s, size_t len, int *rc);

/* Records a source file: kind, path, size and CRC-32 of its contents
 * (folders: size of all files, crc 0). records is filled in later through
 * the returned index. 0 or FK_EIO/FK_ENOMEM with a message. */
int region_builder_add_source(region_builder *b, const char *kind,
                              const char *path, uint32_t *index, fk_err *e);

/* Kommun (level-0 area) containing p: its numeric code, or 0 when outside
 * every kommun polygon. Linear over areas with a bbox prefilter. */
uint16_t region_builder_kommun_at(const region_builder *b, geo_point p);

/* Adds an extra section. Takes ownership of data (allocated with
 * mem_alloc) in every case: on failure it is freed. count * elem_size
 * bytes. 0, FK_EINVAL (id out of range or taken), FK_ENOMEM. */
int region_builder_add_section(region_builder *b, uint32_t id, uint32_t elem_size,
                               void *data, size_t count, fk_err *e);

/* Writes the snapshot to path atomically: to "path.tmp.PID", fsync, rename,
 * fsync of the directory. Never leaves a partial file under path. */
int region_write(const region_builder *b, const char *path, fk_err *e);

#endif
