/*
 * strpool.c: string interning (see strpool.h). The hash table holds only
 * offsets; keys are compared against the blob.
 */
#include "strpool.h"

#include <string.h>

#include "err.h"
#include "hmap.h"
#include "mem.h"

static size_t strpool_slot(const strpool *p, const char *s, size_t len, uint64_t h)
{
    size_t j = h & (p->n_slots - 1);
    for (;;) {
        uint32_t o = p->slots[j];
        if (!o) return j;
        if (strncmp(p->data + o, s, len) == 0 && p->data[o + len] == '\0') return j;
        j = (j + 1) & (p->n_slots - 1);
    }
}

static int strpool_grow(strpool *p)
{
    size_t ns = p->n_slots ? p->n_slots * 2 : 1024;
    uint32_t *t = mem_calloc(ns, sizeof *t);
    if (!t) return FK_ENOMEM;
    for (size_t i = 0; i < p->n_slots; i++) {
        uint32_t o = p->slots[i];
        if (!o) continue;
        size_t j = hmap_hash(p->data + o, strlen(p->data + o)) & (ns - 1);
        while (t[j]) j = (j + 1) & (ns - 1);
        t[j] = o;
    }
    mem_free(p->slots);
    p->slots = t;
    p->n_slots = ns;
    return 0;
}

uint32_t strpool_find(const strpool *p, const char *s, size_t len)
{
    if (len == 0) return 0;
    if (!p->n_slots || memchr(s, '\0', len)) return UINT32_MAX;
    size_t j = strpool_slot(p, s, len, hmap_hash(s, len));
    return p->slots[j] ? p->slots[j] : UINT32_MAX;
}

int strpool_addn(strpool *p, const char *s, size_t len, uint32_t *off)
{
    const char *nul = memchr(s, '\0', len);
    if (nul) len = (size_t)(nul - s);
    if (!p->data) {
        p->cap = 4096;
        p->data = mem_alloc(p->cap);
        if (!p->data) return FK_ENOMEM;
        p->data[0] = '\0';
        p->len = 1;
    }
    if (len == 0) {
        *off = 0;
        return 0;
    }
    if ((p->n + 1) * 10 >= p->n_slots * 7 && strpool_grow(p)) return FK_ENOMEM;
    uint64_t h = hmap_hash(s, len);
    size_t j = strpool_slot(p, s, len, h);
    if (p->slots[j]) {
        *off = p->slots[j];
        return 0;
    }
    if (p->len + len + 1 > UINT32_MAX) return FK_ETOOBIG;
    if (p->len + len + 1 > p->cap) {
        size_t ncap = p->cap;
        while (ncap < p->len + len + 1) ncap *= 2;
        char *d = mem_realloc(p->data, ncap);
        if (!d) return FK_ENOMEM;
        /* s may point into the old blob (re-interning a pool string) */
        if (s >= p->data && s < p->data + p->len) s = d + (s - p->data);
        p->data = d;
        p->cap = ncap;
    }
    uint32_t o = (uint32_t)p->len;
    memmove(p->data + o, s, len);
    p->data[o + len] = '\0';
    p->len += len + 1;
    p->slots[j] = o;
    p->n++;
    *off = o;
    return 0;
}

int strpool_add(strpool *p, const char *s, uint32_t *off)
{
    return strpool_addn(p, s ? s : "", s ? strlen(s) : 0, off);
}

void strpool_free(strpool *p)
{
    mem_free(p->data);
    mem_free(p->slots);
    memset(p, 0, sizeof *p);
}
