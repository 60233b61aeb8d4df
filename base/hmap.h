/*
 * hmap.h: open-addressing hash maps from keys to uint32 values, the lookup
 * tables importers use to turn source ids (GTFS stop_id, OSM node id) into
 * array indices.
 *
 *   hmap_str: string keys, copied into the map's own storage.
 *   hmap_u64: 64-bit integer keys.
 *
 * Both grow at 70% load; a value of HMAP_NONE is reserved (means "absent").
 */
#ifndef FK_HMAP_H
#define FK_HMAP_H

#include <stddef.h>
#include <stdint.h>

#define HMAP_NONE UINT32_MAX

typedef struct hmap_str {
    uint32_t *slots;   /* index into keys/vals +1, 0 = empty */
    size_t cap;        /* power of two */
    size_t n;
    char **keys;
    uint32_t *vals;
    uint64_t *hashes;
    size_t kcap;
} hmap_str;

/* Inserts or replaces key -> val. 0 or FK_ENOMEM. */
int hmap_str_put(hmap_str *m, const char *key, size_t len, uint32_t val);
/* Value for key, or HMAP_NONE. */
uint32_t hmap_str_get(const hmap_str *m, const char *key, size_t len);
void hmap_str_free(hmap_str *m);

typedef struct hmap_u64 {
    uint64_t *keys;
    uint32_t *vals;    /* HMAP_NONE = empty slot */
    size_t cap;        /* power of two */
    size_t n;
} hmap_u64;

int hmap_u64_put(hmap_u64 *m, uint64_t key, uint32_t val);
uint32_t hmap_u64_get(const hmap_u64 *m, uint64_t key);
void hmap_u64_free(hmap_u64 *m);

/* 64-bit hash of bytes (FNV-1a then a final mix). */
uint64_t hmap_hash(const void *data, size_t len);

#endif
