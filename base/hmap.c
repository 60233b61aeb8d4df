/*
 * hmap.c: linear-probing hash maps (see hmap.h). String keys are stored
 * once in a parallel array so that the slot table stays small (4 bytes per
 * slot) and cache friendly.
 */
#include "hmap.h"

#include <string.h>

#include "err.h"
#include "mem.h"

uint64_t hmap_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static uint64_t hmap_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static int hmap_str_grow(hmap_str *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    uint32_t *ns = mem_calloc(ncap, sizeof *ns);
    if (!ns) return FK_ENOMEM;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = m->hashes[i] & (ncap - 1);
        while (ns[j]) j = (j + 1) & (ncap - 1);
        ns[j] = (uint32_t)i + 1;
    }
    mem_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

static size_t hmap_str_find(const hmap_str *m, const char *key, size_t len,
                            uint64_t h)
{
    size_t j = h & (m->cap - 1);
    for (;;) {
        uint32_t s = m->slots[j];
        if (!s) return j;
        size_t i = s - 1;
        if (m->hashes[i] == h && strncmp(m->keys[i], key, len) == 0 &&
            m->keys[i][len] == '\0')
            return j;
        j = (j + 1) & (m->cap - 1);
    }
}

int hmap_str_put(hmap_str *m, const char *key, size_t len, uint32_t val)
{
    if ((m->n + 1) * 10 >= m->cap * 7 && hmap_str_grow(m)) return FK_ENOMEM;
    uint64_t h = hmap_hash(key, len);
    size_t j = hmap_str_find(m, key, len, h);
    if (m->slots[j]) {
        m->vals[m->slots[j] - 1] = val;
        return 0;
    }
    if (m->n == m->kcap) {
        size_t nk = m->kcap ? m->kcap * 2 : 64;
        char **k = mem_realloc(m->keys, nk * sizeof *k);
        if (!k) return FK_ENOMEM;
        m->keys = k;
        uint32_t *v = mem_realloc(m->vals, nk * sizeof *v);
        if (!v) return FK_ENOMEM;
        m->vals = v;
        uint64_t *hs = mem_realloc(m->hashes, nk * sizeof *hs);
        if (!hs) return FK_ENOMEM;
        m->hashes = hs;
        m->kcap = nk;
    }
    char *k = mem_strndup(key, len);
    if (!k) return FK_ENOMEM;
    m->keys[m->n] = k;
    m->vals[m->n] = val;
    m->hashes[m->n] = h;
    m->slots[j] = (uint32_t)(++m->n);
    return 0;
}

uint32_t hmap_str_get(const hmap_str *m, const char *key, size_t len)
{
    if (!m->cap) return HMAP_NONE;
    size_t j = hmap_str_find(m, key, len, hmap_hash(key, len));
    return m->slots[j] ? m->vals[m->slots[j] - 1] : HMAP_NONE;
}

void hmap_str_free(hmap_str *m)
{
    for (size_t i = 0; i < m->n; i++) mem_free(m->keys[i]);
    mem_free(m->keys);
    mem_free(m->vals);
    mem_free(m->hashes);
    mem_free(m->slots);
    memset(m, 0, sizeof *m);
}

static int hmap_u64_grow(hmap_u64 *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    uint64_t *nk = mem_alloc(ncap * sizeof *nk);
    uint32_t *nv = mem_alloc(ncap * sizeof *nv);
    if (!nk || !nv) {
        mem_free(nk);
        mem_free(nv);
        return FK_ENOMEM;
    }
    memset(nv, 0xff, ncap * sizeof *nv);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->vals[i] == HMAP_NONE) continue;
        size_t j = hmap_mix64(m->keys[i]) & (ncap - 1);
        while (nv[j] != HMAP_NONE) j = (j + 1) & (ncap - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    mem_free(m->keys);
    mem_free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    return 0;
}

int hmap_u64_put(hmap_u64 *m, uint64_t key, uint32_t val)
{
    if ((m->n + 1) * 10 >= m->cap * 7 && hmap_u64_grow(m)) return FK_ENOMEM;
    size_t j = hmap_mix64(key) & (m->cap - 1);
    while (m->vals[j] != HMAP_NONE) {
        if (m->keys[j] == key) {
            m->vals[j] = val;
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = key;
    m->vals[j] = val;
    m->n++;
    return 0;
}

uint32_t hmap_u64_get(const hmap_u64 *m, uint64_t key)
{
    if (!m->cap) return HMAP_NONE;
    size_t j = hmap_mix64(key) & (m->cap - 1);
    while (m->vals[j] != HMAP_NONE) {
        if (m->keys[j] == key) return m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return HMAP_NONE;
}

void hmap_u64_free(hmap_u64 *m)
{
    mem_free(m->keys);
    mem_free(m->vals);
    memset(m, 0, sizeof *m);
}
