/*
 * strpool.c: string interning (see strpool.h).
 */
#include "strpool.h"

#include <string.h>

#include "err.h"
#include "mem.h"

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
    uint32_t got = hmap_str_get(&p->index, s, len);
    if (got != HMAP_NONE) {
        *off = got;
        return 0;
    }
    if (p->len + len + 1 > UINT32_MAX) return FK_ETOOBIG;
    if (p->len + len + 1 > p->cap) {
        size_t ncap = p->cap;
        while (ncap < p->len + len + 1) ncap *= 2;
        char *d = mem_realloc(p->data, ncap);
        if (!d) return FK_ENOMEM;
        p->data = d;
        p->cap = ncap;
    }
    uint32_t o = (uint32_t)p->len;
    memcpy(p->data + o, s, len);
    p->data[o + len] = '\0';
    p->len += len + 1;
    if (hmap_str_put(&p->index, s, len, o)) return FK_ENOMEM;
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
    hmap_str_free(&p->index);
    memset(p, 0, sizeof *p);
}
