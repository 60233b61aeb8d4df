/*
 * mem.c: counting allocator. Each block is prefixed by a header holding its
 * size; the counters are atomic so that worker threads may allocate.
 */
#include "mem.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef union mem_hdr {
    size_t size;
    max_align_t align;
} mem_hdr;

static atomic_size_t mem_used;
static atomic_size_t mem_peak;

int mem_mul_ok(size_t a, size_t b, size_t *out)
{
    if (a && b > SIZE_MAX / a) return -1;
    *out = a * b;
    return 0;
}

static void mem_count(size_t add, size_t sub)
{
    size_t now = atomic_fetch_add(&mem_used, add) + add;
    atomic_fetch_sub(&mem_used, sub);
    now -= sub;
    size_t peak = atomic_load(&mem_peak);
    while (now > peak && !atomic_compare_exchange_weak(&mem_peak, &peak, now)) {
    }
}

void *mem_alloc(size_t size)
{
    if (size > SIZE_MAX - sizeof(mem_hdr)) return NULL;
    mem_hdr *h = malloc(sizeof *h + size);
    if (!h) return NULL;
    h->size = size;
    mem_count(size, 0);
    return h + 1;
}

void *mem_calloc(size_t count, size_t size)
{
    size_t total;
    if (mem_mul_ok(count, size, &total)) return NULL;
    void *p = mem_alloc(total);
    if (p) memset(p, 0, total);
    return p;
}

void *mem_realloc(void *p, size_t size)
{
    if (!p) return mem_alloc(size);
    if (size > SIZE_MAX - sizeof(mem_hdr)) return NULL;
    mem_hdr *h = (mem_hdr *)p - 1;
    size_t old = h->size;
    mem_hdr *n = realloc(h, sizeof *n + size);
    if (!n) return NULL;
    n->size = size;
    mem_count(size, old);
    return n + 1;
}

void mem_free(void *p)
{
    if (!p) return;
    mem_hdr *h = (mem_hdr *)p - 1;
    atomic_fetch_sub(&mem_used, h->size);
    free(h);
}

char *mem_strndup(const char *s, size_t n)
{
    char *d = mem_alloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *mem_strdup(const char *s)
{
    return mem_strndup(s, strlen(s));
}

size_t mem_used_bytes(void) { return atomic_load(&mem_used); }
size_t mem_peak_bytes(void) { return atomic_load(&mem_peak); }
