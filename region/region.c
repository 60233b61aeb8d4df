/*
 * region.c: small read-side helpers over an open snapshot: dates, service
 * days, and names of enumerations for display.
 */
#include "region.h"

/* Days from civil date (proleptic Gregorian), after H. Hinnant's algorithm. */
int region_day_from_ymd(int y, int m, int d, int32_t *day)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap)) return -1;
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *day = era * 146097 + doe - 719468;
    return 0;
}

void region_ymd_from_day(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yy + (*m <= 2);
}

int region_service_active(const region *r, const region_service *s, int32_t day)
{
    if (day < s->first_day) return 0;
    uint32_t k = (uint32_t)(day - s->first_day);
    if (k >= s->n_days) return 0;
    return (r->service_bits[s->bits + k / 8] >> (k % 8)) & 1;
}

const char *region_poi_kind_name(int kind)
{
    static const char *names[] = {"school", "preschool", "health", "grocery",
                                  "pharmacy", "library", "sports"};
    return kind >= 0 && kind < POI_KIND_COUNT ? names[kind] : "unknown";
}

const char *region_highway_name(int hw)
{
    static const char *names[] = {
        "none", "motorway", "motorway_link", "trunk", "trunk_link", "primary",
        "primary_link", "secondary", "secondary_link", "tertiary", "tertiary_link",
        "unclassified", "residential", "living_street", "service", "pedestrian",
        "track", "road", "footway", "cycleway", "path", "steps", "bridleway", "ferry"};
    _Static_assert(sizeof names / sizeof names[0] == HW_COUNT, "highway names");
    return hw >= 0 && hw < HW_COUNT ? names[hw] : "unknown";
}

const char *region_home_type_name(int type)
{
    static const char *names[] = {"house", "terraced", "apartment", "holiday", "farm", "plot"};
    return type >= 0 && type < HOME_TYPE_COUNT ? names[type] : "unknown";
}
