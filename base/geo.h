/*
 * geo.h: coordinates and the small amount of geometry the program needs.
 *
 * Coordinates are WGS 84 in integer 1e-7 degrees (lat_e7, lon_e7): exact,
 * compact (8 bytes per point) and ~1 cm resolution. Distances are metres on
 * a sphere of radius 6371008.8 m.
 */
#ifndef FK_GEO_H
#define FK_GEO_H

#include <stddef.h>
#include <stdint.h>

typedef struct geo_point {
    int32_t lat_e7;
    int32_t lon_e7;
} geo_point;

typedef struct geo_bbox {
    int32_t min_lat_e7, min_lon_e7, max_lat_e7, max_lon_e7;
} geo_bbox;

#define GEO_E7 10000000.0

/* Converts degrees to e7; returns 0, or -1 when out of range or not finite. */
int geo_from_deg(double lat, double lon, geo_point *out);
double geo_lat_deg(geo_point p);
double geo_lon_deg(geo_point p);

/* Great-circle distance in metres (haversine). */
double geo_dist_m(geo_point a, geo_point b);

/* An empty box (min > max) that geo_bbox_add grows. */
geo_bbox geo_bbox_empty(void);
void geo_bbox_add(geo_bbox *b, geo_point p);
int geo_bbox_contains(const geo_bbox *b, geo_point p);
int geo_bbox_is_empty(const geo_bbox *b);
/* Grows the box by about margin_m metres in each direction. */
geo_bbox geo_bbox_expand(geo_bbox b, double margin_m);

/* Even-odd test of p against n points of a closed ring (first point need not
 * repeat). 1 inside, 0 outside. */
int geo_ring_contains(const geo_point *ring, size_t n, geo_point p);

/* Distance in metres from p to the segment a-b (local equirectangular). */
double geo_seg_dist_m(geo_point p, geo_point a, geo_point b);

/* Area-weighted centroid of a ring (falls back to the vertex mean for a
 * degenerate ring). */
geo_point geo_ring_centroid(const geo_point *ring, size_t n);

#endif
