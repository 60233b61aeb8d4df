/*
 * mem.h: the one allocation wrapper of the program.
 *
 * Every heap allocation goes through these functions so that the program can
 * report how many bytes it holds (builds print it with their progress; the
 * 8 GiB goal of a Sweden-sized import is checked against it). Each block
 * carries a 16-byte header with its size. mem_alloc and friends return NULL
 * on failure or on size overflow; they never abort.
 */
#ifndef FK_MEM_H
#define FK_MEM_H

#include <stddef.h>

void *mem_alloc(size_t size);
void *mem_calloc(size_t count, size_t size);  /* zeroed; NULL on overflow */
/* Resizes p (may be NULL). On failure returns NULL and p stays valid. */
void *mem_realloc(void *p, size_t size);
void mem_free(void *p);                       /* p may be NULL */
char *mem_strdup(const char *s);              /* caller frees with mem_free */
char *mem_strndup(const char *s, size_t n);

size_t mem_used_bytes(void);   /* bytes currently allocated */
size_t mem_peak_bytes(void);   /* high-water mark since start */

/* a*b into *out; returns 0, or -1 when it overflows size_t. */
int mem_mul_ok(size_t a, size_t b, size_t *out);

#endif
