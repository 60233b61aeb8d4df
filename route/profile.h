/*
 * profile.h: the speed and access model per travel mode (docs/routing.md).
 *
 * Decides, from the OSM tags a region_road carries, whether walk, bike or
 * car may use it in each direction and how long that takes. This is the
 * only place where tags become travel times; route/graph.c applies it to
 * every road to build the per-mode graphs.
 */
#ifndef FK_ROUTE_PROFILE_H
#define FK_ROUTE_PROFILE_H

#include <stdint.h>

#include "../region/region.h"

typedef enum route_mode { MODE_WALK = 0, MODE_BIKE, MODE_CAR, MODE_COUNT } route_mode;

typedef struct route_cost {
    uint8_t fwd, bwd;      /* 1 when allowed from->to, to->from */
    uint32_t time_ds;      /* travel time in deciseconds, >= 1 when allowed */
    uint16_t speed_kmh_x10;/* effective speed used, for display */
} route_cost;

/* Cost of road r for mode m. Never fails; a road not usable by m gets
 * fwd = bwd = 0. */
route_cost route_profile(const region_road *r, route_mode m);

const char *route_mode_name(route_mode m);         /* "walk", "bike", "car" */
/* Mode from its name; returns -1 when unknown. */
int route_mode_parse(const char *s);

#endif
