/*
 * vec.c: growth for VEC arrays (see vec.h).
 */
#include "vec.h"

#include <stdint.h>
#include <string.h>

#include "err.h"
#include "mem.h"

int vec_reserve_(void **v, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return FK_ENOMEM;
        ncap *= 2;
    }
    size_t bytes;
    if (mem_mul_ok(ncap, elem_size, &bytes)) return FK_ENOMEM;
    void *n = mem_realloc(*v, bytes);
    if (!n) return FK_ENOMEM;
    *v = n;
    *cap = ncap;
    return 0;
}

void *vec_zero_(void *p, size_t size)
{
    memset(p, 0, size);
    return p;
}
