/*
 * strpool.h: interned strings in one contiguous blob.
 *
 * Snapshot records refer to text by a uint32 offset into the pool; offset 0
 * is always the empty string. Equal strings are stored once. The blob is
 * what the snapshot writes as its STRINGS section.
 */
#ifndef FK_STRPOOL_H
#define FK_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

typedef struct strpool {
    char *data;      /* NUL-separated strings, data[0] == '\0' */
    size_t len, cap;
    hmap_str index;  /* string -> offset */
} strpool;

/* Interns s[0..len) and stores its offset in *off. 0, FK_ENOMEM, or
 * FK_ETOOBIG when the pool would exceed 4 GiB. An embedded NUL truncates. */
int strpool_addn(strpool *p, const char *s, size_t len, uint32_t *off);
int strpool_add(strpool *p, const char *s, uint32_t *off);
void strpool_free(strpool *p);

#endif
