/*
 * profile.c: speed and access model per mode (see profile.h and
 * docs/routing.md for the tables and the reasons behind them).
 *
 * Access: a mode-specific tag (foot, bicycle, motor_vehicle) overrides
 * access=*, which overrides the default of the highway class. "no",
 * "private", "agricultural", "forestry", "delivery", "use_sidepath" mean
 * not allowed; "destination", "customers", "permissive", "designated",
 * "yes" mean allowed. bicycle=dismount allows pushing the bike at
 * walking speed.
 *
 * Speeds: walk 5 km/h (steps 2 km/h), bike 16 km/h on paved roads and
 * cycleways, 12 km/h on tracks and paths; car: maxspeed when tagged, else
 * a Swedish default per class, times an urban factor per class that
 * stands for junctions, traffic lights and congestion. Ferries: 20 km/h
 * for every mode (ferry waiting time is not modelled).
 */
#include "profile.h"

#include <string.h>

/* Default car maxspeed per class (km/h), 0 = not for cars. */
static const uint8_t car_default_kmh[HW_COUNT] = {
    [HW_MOTORWAY] = 110, [HW_MOTORWAY_LINK] = 70, [HW_TRUNK] = 90,
    [HW_TRUNK_LINK] = 60, [HW_PRIMARY] = 80, [HW_PRIMARY_LINK] = 50,
    [HW_SECONDARY] = 70, [HW_SECONDARY_LINK] = 50, [HW_TERTIARY] = 60,
    [HW_TERTIARY_LINK] = 40, [HW_UNCLASSIFIED] = 50, [HW_RESIDENTIAL] = 40,
    [HW_LIVING_STREET] = 7, [HW_SERVICE] = 20, [HW_ROAD] = 40, [HW_TRACK] = 0,
    [HW_FERRY] = 20,
};

/* Share of the speed limit reached on average, in percent. */
static const uint8_t car_factor_pct[HW_COUNT] = {
    [HW_MOTORWAY] = 90, [HW_MOTORWAY_LINK] = 75, [HW_TRUNK] = 85,
    [HW_TRUNK_LINK] = 70, [HW_PRIMARY] = 80, [HW_PRIMARY_LINK] = 65,
    [HW_SECONDARY] = 78, [HW_SECONDARY_LINK] = 65, [HW_TERTIARY] = 72,
    [HW_TERTIARY_LINK] = 65, [HW_UNCLASSIFIED] = 70, [HW_RESIDENTIAL] = 60,
    [HW_LIVING_STREET] = 80, [HW_SERVICE] = 60, [HW_ROAD] = 60, [HW_TRACK] = 50,
    [HW_FERRY] = 100,
};

/* 1 allowed, 0 forbidden, -1 say nothing (tag absent or neutral) */
static int profile_tag(uint8_t v)
{
    switch (v) {
    case ACC_YES: case ACC_DESIGNATED: case ACC_PERMISSIVE: case ACC_DESTINATION:
    case ACC_CUSTOMERS:
        return 1;
    case ACC_NO: case ACC_PRIVATE: case ACC_AGRICULTURAL: case ACC_FORESTRY:
    case ACC_DELIVERY: case ACC_USE_SIDEPATH:
        return 0;
    default:
        return -1;
    }
}

static int profile_walk_default(int hw)
{
    return hw != HW_MOTORWAY && hw != HW_MOTORWAY_LINK && hw != HW_NONE;
}

static int profile_bike_default(int hw)
{
    switch (hw) {
    case HW_MOTORWAY: case HW_MOTORWAY_LINK: case HW_FOOTWAY: case HW_STEPS:
    case HW_PEDESTRIAN: case HW_BRIDLEWAY: case HW_NONE:
        return 0;
    default:
        return 1;
    }
}

static uint32_t profile_time_ds(uint32_t length_dm, unsigned speed_kmh_x10)
{
    /* t[ds] = d[m] / v[m/s] * 10 = length_dm * 36 / speed_kmh_x10 */
    uint64_t t = ((uint64_t)length_dm * 36 + speed_kmh_x10 / 2) / speed_kmh_x10;
    if (t < 1) t = 1;
    return t > UINT32_MAX / 4 ? UINT32_MAX / 4 : (uint32_t)t;
}

static void profile_oneway(const region_road *r, int oneway, route_cost *c)
{
    if (oneway == ONEWAY_FORWARD) c->bwd = 0;
    else if (oneway == ONEWAY_REVERSE) c->fwd = 0;
}

route_cost route_profile(const region_road *r, route_mode m)
{
    route_cost c = {0, 0, 0, 0};
    int hw = r->highway;
    if (hw <= HW_NONE || hw >= HW_COUNT) return c;
    int general = profile_tag(r->access);
    unsigned speed_x10 = 0;
    if (m == MODE_WALK) {
        int ok = profile_walk_default(hw);
        if (general >= 0) ok = general;
        if (profile_tag(r->foot) >= 0) ok = profile_tag(r->foot);
        if (!ok) return c;
        c.fwd = c.bwd = 1;
        speed_x10 = hw == HW_STEPS ? 20 : hw == HW_FERRY ? 200 : 50;
    } else if (m == MODE_BIKE) {
        int ok = profile_bike_default(hw);
        if (general >= 0) ok = general;
        int t = profile_tag(r->bicycle);
        if (t >= 0) ok = t;
        int dismount = r->bicycle == ACC_DISMOUNT ||
                       (!ok && (hw == HW_PEDESTRIAN || hw == HW_FOOTWAY) &&
                        r->bicycle == ACC_UNSET && general != 0);
        if (!ok && !dismount) return c;
        c.fwd = c.bwd = 1;
        if (dismount && !ok) speed_x10 = 50;
        else if (hw == HW_FERRY) speed_x10 = 200;
        else if (hw == HW_TRACK || hw == HW_PATH || hw == HW_BRIDLEWAY) speed_x10 = 120;
        else speed_x10 = 160;
        /* oneway applies to bikes unless oneway:bicycle says otherwise;
         * pushing a bike (dismount) is walking, so oneway does not apply */
        if (!(dismount && !ok)) {
            int ow = r->oneway;
            if ((r->flags & ROAD_F_ROUNDABOUT) && ow == ONEWAY_UNSET) ow = ONEWAY_FORWARD;
            if (r->oneway_bicycle != ONEWAY_UNSET) ow = r->oneway_bicycle;
            profile_oneway(r, ow, &c);
        }
    } else if (m == MODE_CAR) {
        unsigned def = car_default_kmh[hw];
        int ok = def > 0;
        if (r->service == SERVICE_EMERGENCY_ACCESS) ok = 0;
        if (general >= 0) ok = general;
        int t = profile_tag(r->motor_vehicle);
        if (t >= 0) ok = t;
        if (!ok) return c;
        if (!def) def = 20; /* e.g. track opened by motor_vehicle=yes */
        unsigned limit = r->maxspeed_kmh ? r->maxspeed_kmh : def;
        if (limit > 130) limit = 130;
        if (r->service == SERVICE_PARKING_AISLE || r->service == SERVICE_DRIVEWAY ||
            r->service == SERVICE_DRIVE_THROUGH)
            if (limit > 10) limit = 10;
        unsigned pct = car_factor_pct[hw] ? car_factor_pct[hw] : 60;
        speed_x10 = limit * pct / 10;
        if (speed_x10 < 30) speed_x10 = 30;
        c.fwd = c.bwd = 1;
        int ow = r->oneway;
        if ((r->flags & ROAD_F_ROUNDABOUT) && ow == ONEWAY_UNSET) ow = ONEWAY_FORWARD;
        if ((hw == HW_MOTORWAY) && ow == ONEWAY_UNSET) ow = ONEWAY_FORWARD;
        profile_oneway(r, ow, &c);
    }
    if (!c.fwd && !c.bwd) return c;
    c.time_ds = profile_time_ds(r->length_dm, speed_x10);
    c.speed_kmh_x10 = (uint16_t)speed_x10;
    return c;
}

const char *route_mode_name(route_mode m)
{
    static const char *names[] = {"walk", "bike", "car"};
    return m < MODE_COUNT ? names[m] : "unknown";
}

int route_mode_parse(const char *s)
{
    for (int m = 0; m < MODE_COUNT; m++)
        if (!strcmp(s, route_mode_name((route_mode)m))) return m;
    return -1;
}
