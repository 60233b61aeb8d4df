/*
 * geo.c: coordinate helpers (see geo.h). Planar work is done in a local
 * equirectangular projection, good to well under 0.1% at region scale.
 */
#include "geo.h"

#include <math.h>

#define GEO_R_M 6371008.8
#define GEO_DEG2RAD (3.14159265358979323846 / 180.0)

int geo_from_deg(double lat, double lon, geo_point *out)
{
    if (!isfinite(lat) || !isfinite(lon) || lat < -90.0 || lat > 90.0 ||
        lon < -180.0 || lon > 180.0)
        return -1;
    out->lat_e7 = (int32_t)lround(lat * GEO_E7);
    out->lon_e7 = (int32_t)lround(lon * GEO_E7);
    return 0;
}

double geo_lat_deg(geo_point p) { return p.lat_e7 / GEO_E7; }
double geo_lon_deg(geo_point p) { return p.lon_e7 / GEO_E7; }

double geo_dist_m(geo_point a, geo_point b)
{
    double la1 = a.lat_e7 / GEO_E7 * GEO_DEG2RAD;
    double la2 = b.lat_e7 / GEO_E7 * GEO_DEG2RAD;
    double dla = la2 - la1;
    double dlo = (double)(b.lon_e7 - a.lon_e7) / GEO_E7 * GEO_DEG2RAD;
    double s1 = sin(dla / 2), s2 = sin(dlo / 2);
    double h = s1 * s1 + cos(la1) * cos(la2) * s2 * s2;
    if (h > 1.0) h = 1.0;
    return 2.0 * GEO_R_M * asin(sqrt(h));
}

geo_bbox geo_bbox_empty(void)
{
    geo_bbox b = {INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN};
    return b;
}

void geo_bbox_add(geo_bbox *b, geo_point p)
{
    if (p.lat_e7 < b->min_lat_e7) b->min_lat_e7 = p.lat_e7;
    if (p.lat_e7 > b->max_lat_e7) b->max_lat_e7 = p.lat_e7;
    if (p.lon_e7 < b->min_lon_e7) b->min_lon_e7 = p.lon_e7;
    if (p.lon_e7 > b->max_lon_e7) b->max_lon_e7 = p.lon_e7;
}

int geo_bbox_contains(const geo_bbox *b, geo_point p)
{
    return p.lat_e7 >= b->min_lat_e7 && p.lat_e7 <= b->max_lat_e7 &&
           p.lon_e7 >= b->min_lon_e7 && p.lon_e7 <= b->max_lon_e7;
}

int geo_bbox_is_empty(const geo_bbox *b)
{
    return b->min_lat_e7 > b->max_lat_e7 || b->min_lon_e7 > b->max_lon_e7;
}

static int32_t geo_clamp(double v, double lo, double hi)
{
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    return (int32_t)lround(v);
}

geo_bbox geo_bbox_expand(geo_bbox b, double margin_m)
{
    if (geo_bbox_is_empty(&b)) return b;
    double dlat = margin_m / (GEO_R_M * GEO_DEG2RAD) * GEO_E7;
    double mid = (b.min_lat_e7 / GEO_E7 + b.max_lat_e7 / GEO_E7) / 2.0;
    double far = fabs(mid) + (double)(b.max_lat_e7 - b.min_lat_e7) / GEO_E7 / 2.0;
    double c = cos((far > 89.0 ? 89.0 : far) * GEO_DEG2RAD);
    double dlon = dlat / c;
    geo_bbox r;
    r.min_lat_e7 = geo_clamp(b.min_lat_e7 - dlat, -90 * GEO_E7, 90 * GEO_E7);
    r.max_lat_e7 = geo_clamp(b.max_lat_e7 + dlat, -90 * GEO_E7, 90 * GEO_E7);
    r.min_lon_e7 = geo_clamp(b.min_lon_e7 - dlon, -180 * GEO_E7, 180 * GEO_E7);
    r.max_lon_e7 = geo_clamp(b.max_lon_e7 + dlon, -180 * GEO_E7, 180 * GEO_E7);
    return r;
}

int geo_ring_contains(const geo_point *ring, size_t n, geo_point p)
{
    int in = 0;
    if (n < 3) return 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        int64_t yi = ring[i].lat_e7, yj = ring[j].lat_e7;
        int64_t xi = ring[i].lon_e7, xj = ring[j].lon_e7;
        if ((yi > p.lat_e7) != (yj > p.lat_e7)) {
            /* x of the edge at p's latitude, compared without division */
            double x = (double)(xj - xi) * (double)(p.lat_e7 - yi) /
                           (double)(yj - yi) + (double)xi;
            if ((double)p.lon_e7 < x) in = !in;
        }
    }
    return in;
}

double geo_seg_dist_m(geo_point p, geo_point a, geo_point b)
{
    double k = cos(p.lat_e7 / GEO_E7 * GEO_DEG2RAD);
    double m = GEO_R_M * GEO_DEG2RAD / GEO_E7;
    double ax = (a.lon_e7 - (double)p.lon_e7) * k * m;
    double ay = (a.lat_e7 - (double)p.lat_e7) * m;
    double bx = (b.lon_e7 - (double)p.lon_e7) * k * m;
    double by = (b.lat_e7 - (double)p.lat_e7) * m;
    double dx = bx - ax, dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0.0;
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    double x = ax + t * dx, y = ay + t * dy;
    return sqrt(x * x + y * y);
}

geo_point geo_ring_centroid(const geo_point *ring, size_t n)
{
    geo_point c = {0, 0};
    if (n == 0) return c;
    double ox = ring[0].lon_e7, oy = ring[0].lat_e7;
    double a2 = 0, cx = 0, cy = 0, mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = (i + 1) % n;
        double x0 = ring[i].lon_e7 - ox, y0 = ring[i].lat_e7 - oy;
        double x1 = ring[j].lon_e7 - ox, y1 = ring[j].lat_e7 - oy;
        double cr = x0 * y1 - x1 * y0;
        a2 += cr;
        cx += (x0 + x1) * cr;
        cy += (y0 + y1) * cr;
        mx += x0;
        my += y0;
    }
    if (fabs(a2) < 1e-9) {
        c.lon_e7 = (int32_t)lround(ox + mx / (double)n);
        c.lat_e7 = (int32_t)lround(oy + my / (double)n);
    } else {
        c.lon_e7 = (int32_t)lround(ox + cx / (3.0 * a2));
        c.lat_e7 = (int32_t)lround(oy + cy / (3.0 * a2));
    }
    return c;
}
