/*
 * vec.h: typed growable arrays.
 *
 *     VEC(int) xs = {0};
 *     if (vec_push(xs, 42)) return FK_ENOMEM;
 *     vec_free(xs);
 *
 * A VEC is a plain struct {v, n, cap}; the array is owned by the struct and
 * released by vec_free. Growth doubles capacity and checks size arithmetic.
 */
#ifndef FK_VEC_H
#define FK_VEC_H

#include <stddef.h>

#define VEC(T) struct { T *v; size_t n, cap; }

/* Ensures *cap >= need elements of elem_size at *v; 0 or FK_ENOMEM. */
int vec_reserve_(void **v, size_t *cap, size_t need, size_t elem_size);

#define vec_reserve(a, need) \
    vec_reserve_((void **)&(a).v, &(a).cap, (need), sizeof *(a).v)

/* Appends one element (an expression of the element type); 0 or FK_ENOMEM. */
#define vec_push(a, ...) \
    (vec_reserve((a), (a).n + 1) ? -1 : ((a).v[(a).n++] = (__VA_ARGS__), 0))

/* Grows by one zeroed element and returns its address, or NULL. */
#define vec_add(a) \
    (vec_reserve((a), (a).n + 1) ? NULL : vec_zero_((a).v + (a).n++, sizeof *(a).v))

#define vec_free(a) (mem_free((a).v), (a).v = NULL, (a).n = (a).cap = 0)

void *vec_zero_(void *p, size_t size);

#include "mem.h"

#endif
