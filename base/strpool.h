/*
 * strpool.h: interned strings in one contiguous blob.
 *
 * Snapshot records refer to text by a uint32 offset into the pool; offset 0
 * is always the empty string. Equal strings are stored once. The blob is
 * what the snapshot writes as its STRINGS section. The index is a table of
 * offsets into the blob itself, so each string is held once in memory.
 */
#ifndef FK_STRPOOL_H
#define FK_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct strpool {
    char *data;      /* NUL-separated strings, data[0] == '\0' */
    size_t len, cap;
    uint32_t *slots; /* open addressing: offsets into data, 0 = empty */
    size_t n_slots;  /* power of two */
    size_t n;        /* strings in the table */
} strpool;

/* Interns s[0..len) and stores its offset in *off. 0, FK_ENOMEM, or
 * FK_ETOOBIG when the pool would exceed 4 GiB. An embedded NUL truncates. */
int strpool_addn(strpool *p, const char *s, size_t len, uint32_t *off);
int strpool_add(strpool *p, const char *s, uint32_t *off);
/* Offset of s[0..len) if interned, else UINT32_MAX. */
uint32_t strpool_find(const strpool *p, const char *s, size_t len);
void strpool_free(strpool *p);

#endif
