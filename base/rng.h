/*
 * rng.h: a small seeded pseudo-random generator (xoshiro256** seeded by
 * splitmix64) for the demo generator and for tests. Deterministic across
 * machines: the same seed gives the same region.
 */
#ifndef FK_RNG_H
#define FK_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
/* Uniform integer in [0, n); n > 0. */
uint32_t rng_below(rng *r, uint32_t n);
/* Uniform double in [0, 1). */
double rng_unit(rng *r);
/* Uniform double in [lo, hi). */
double rng_range(rng *r, double lo, double hi);
/* Standard normal (Box-Muller). */
double rng_normal(rng *r);

#endif
