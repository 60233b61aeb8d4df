/*
 * osm.c: the OpenStreetMap importer (see osm.h and docs/osm.md).
 *
 * libreadosm streams the file and calls us back per node, way and
 * relation. The design follows from a Sweden-sized input (~130 M nodes,
 * ~15 M ways, 8 GiB budget) read in one pass:
 *   - nodes: every node's id and coordinate is appended to two parallel
 *     arrays (ids, pts), dropped at once when a clip mask says it is outside
 *     the region. Extracts come sorted by id, so the arrays are sorted as
 *     read; otherwise they are sorted once when the first way arrives.
 *     Tagged nodes are checked for POI tags on the spot.
 *   - ways: node refs are resolved by binary search. A parallel array
 *     road_idx (allocated when the first way arrives, one uint32 per node)
 *     maps a node to its road node index, so a node shared by two ways
 *     becomes one road node. Each pair of consecutive resolved refs of a
 *     routable way becomes a region_road; closed ways with POI tags become
 *     one POI at their centroid.
 *   - relations: only looked at to count multipolygon POIs we leave out.
 * Errors inside callbacks are stored in the context; a PBF parse is then
 * aborted, an XML parse runs on with every further element ignored
 * (aborting makes readosm leak its expat parser). An XML file is first
 * pre-checked for what would crash readosm. The builder is rolled back on
 * every failure.
 */
#include "osm.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <readosm.h>

#include "../base/mem.h"
#include "../base/vec.h"
#include "clip.h"

#define OSM_NONE UINT32_MAX
#define OSM_DEFAULT_MARGIN_M 2000.0

/* The tags the importer looks at, NULL when absent. */
typedef struct osm_tags {
    const char *highway, *route, *oneway, *oneway_bicycle, *junction;
    const char *access, *foot, *bicycle, *motor_vehicle, *motorcar;
    const char *maxspeed, *service, *area, *toll, *tunnel, *bridge;
    const char *name, *ref, *name_sv;
    const char *amenity, *shop, *healthcare, *leisure;
    const char *isced, *grades, *school, *type;
} osm_tags;

typedef struct osm_ctx {
    region_builder *b;
    const char *path;
    fk_err *e;
    int rc;                     /* first error, stops the parse */
    int xml;                    /* 1 for .osm input */
    const clip_mask *clip;      /* NULL: no clipping */
    /* node store, parallel arrays */
    VEC(int64_t) ids;
    VEC(geo_point) pts;
    uint32_t *road_idx;         /* per stored node: road node index or OSM_NONE */
    int sorted;
    int in_ways;
    char last_kind;             /* 'n', 'w', 'r' or 0: last element seen */
    int64_t last_id;
    VEC(geo_point) ring;        /* scratch for closed-way centroids */
    /* counters */
    uint64_t nodes_read, nodes_clipped, nodes_bad;
    uint64_t ways_read, ways_road, ways_hw_skipped, ways_clipped, ways_no_nodes;
    uint64_t refs_total, refs_found;
    uint64_t segs, segs_missing, segs_self;
    uint64_t pois_node, pois_way, pois_clipped, pois_open, pois_no_nodes, pois_rel;
    uint64_t relations;
    size_t road_nodes0;         /* b->road_nodes.n at start */
    const char *hw_skip_example;/* one highway value skipped, for the note */
    char hw_skip_buf[32];
} osm_ctx;

/* ---- tags ---- */

static int osm_streq(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* Fills t from a readosm tag array. Dispatches on the key's first byte so
 * that a way's handful of tags costs a few comparisons each. */
static void osm_tags_read(osm_tags *t, const readosm_tag *tags, int n)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < n; i++) {
        const char *k = tags[i].key, *v = tags[i].value;
        if (!k || !v) continue;
#define K(s, f) else if (strcmp(k, s) == 0) t->f = v
        switch (k[0]) {
        case 'a':
            if (0) {}
            K("access", access); K("amenity", amenity); K("area", area);
            break;
        case 'b':
            if (0) {}
            K("bicycle", bicycle); K("bridge", bridge);
            break;
        case 'f':
            if (0) {}
            K("foot", foot);
            break;
        case 'g':
            if (0) {}
            K("grades", grades);
            break;
        case 'h':
            if (0) {}
            K("highway", highway); K("healthcare", healthcare);
            break;
        case 'i':
            if (0) {}
            K("isced:level", isced);
            break;
        case 'j':
            if (0) {}
            K("junction", junction);
            break;
        case 'l':
            if (0) {}
            K("leisure", leisure);
            break;
        case 'm':
            if (0) {}
            K("maxspeed", maxspeed); K("motor_vehicle", motor_vehicle);
            K("motorcar", motorcar);
            break;
        case 'n':
            if (0) {}
            K("name", name); K("name:sv", name_sv);
            break;
        case 'o':
            if (0) {}
            K("oneway", oneway); K("oneway:bicycle", oneway_bicycle);
            break;
        case 'r':
            if (0) {}
            K("ref", ref); K("route", route);
            break;
        case 's':
            if (0) {}
            K("service", service); K("shop", shop); K("school", school);
            break;
        case 't':
            if (0) {}
            K("toll", toll); K("tunnel", tunnel); K("type", type);
            break;
        default:
            break;
        }
#undef K
    }
}

/* highway=* value -> region_highway, HW_NONE when not kept. */
static int osm_highway(const char *v)
{
    static const char *const names[] = {
        [HW_MOTORWAY] = "motorway", [HW_MOTORWAY_LINK] = "motorway_link",
        [HW_TRUNK] = "trunk", [HW_TRUNK_LINK] = "trunk_link",
        [HW_PRIMARY] = "primary", [HW_PRIMARY_LINK] = "primary_link",
        [HW_SECONDARY] = "secondary", [HW_SECONDARY_LINK] = "secondary_link",
        [HW_TERTIARY] = "tertiary", [HW_TERTIARY_LINK] = "tertiary_link",
        [HW_UNCLASSIFIED] = "unclassified", [HW_RESIDENTIAL] = "residential",
        [HW_LIVING_STREET] = "living_street", [HW_SERVICE] = "service",
        [HW_PEDESTRIAN] = "pedestrian", [HW_TRACK] = "track", [HW_ROAD] = "road",
        [HW_FOOTWAY] = "footway", [HW_CYCLEWAY] = "cycleway", [HW_PATH] = "path",
        [HW_STEPS] = "steps", [HW_BRIDLEWAY] = "bridleway",
    };
    if (!v) return HW_NONE;
    for (int i = HW_MOTORWAY; i <= HW_BRIDLEWAY; i++)
        if (strcmp(v, names[i]) == 0) return i;
    return HW_NONE;
}

/* oneway / oneway:bicycle value -> ONEWAY_*. Values other than the usual
 * (reversible, alternating, ...) are ONEWAY_UNSET: not a fixed direction. */
static uint8_t osm_oneway(const char *v)
{
    if (!v) return ONEWAY_UNSET;
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1")) return ONEWAY_FORWARD;
    if (!strcmp(v, "-1") || !strcmp(v, "reverse")) return ONEWAY_REVERSE;
    if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0")) return ONEWAY_NO;
    return ONEWAY_UNSET;
}

/* access-like value -> region_access. */
static uint8_t osm_access(const char *v)
{
    static const char *const names[] = {
        [ACC_YES] = "yes", [ACC_NO] = "no", [ACC_PRIVATE] = "private",
        [ACC_DESTINATION] = "destination", [ACC_DESIGNATED] = "designated",
        [ACC_PERMISSIVE] = "permissive", [ACC_CUSTOMERS] = "customers",
        [ACC_DELIVERY] = "delivery", [ACC_AGRICULTURAL] = "agricultural",
        [ACC_FORESTRY] = "forestry", [ACC_DISMOUNT] = "dismount",
        [ACC_USE_SIDEPATH] = "use_sidepath",
    };
    if (!v) return ACC_UNSET;
    for (int i = ACC_YES; i <= ACC_USE_SIDEPATH; i++)
        if (strcmp(v, names[i]) == 0) return (uint8_t)i;
    return ACC_OTHER;
}

/* maxspeed value -> km/h (1..255), 0 when unknown. Accepts "50",
 * "50 km/h", "30 mph", "walk" (7), "none" (250), Nordic implicit values
 * ("SE:urban" 50, ...) and the first of several ("50;30"). */
static uint8_t osm_maxspeed(const char *v)
{
    static const struct { const char *k; int kmh; } zones[] = {
        {"SE:urban", 50}, {"SE:rural", 70}, {"SE:motorway", 110},
        {"SE:living_street", 7}, {"SE:walk", 7},
        {"DK:urban", 50}, {"DK:rural", 80}, {"DK:motorway", 130},
        {"FI:urban", 50}, {"FI:rural", 80}, {"FI:motorway", 120},
        {"NO:urban", 50}, {"NO:rural", 80}, {"NO:motorway", 110},
        {"DE:urban", 50}, {"DE:rural", 100}, {"DE:living_street", 7},
    };
    if (!v) return 0;
    if (!strcmp(v, "walk")) return 7;
    if (!strcmp(v, "none")) return 250;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (!strcmp(v, zones[i].k)) return (uint8_t)zones[i].kmh;
    const char *p = v;
    while (*p == ' ') p++;
    if (*p < '0' || *p > '9') return 0;
    double x = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 6) x = x * 10 + (*p++ - '0'), digits++;
    if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
        double f = 0.1;
        for (p++; *p >= '0' && *p <= '9'; p++, f /= 10) x += (*p - '0') * f;
    }
    if (*p >= '0' && *p <= '9') return 0;   /* absurdly long number */
    while (*p == ' ') p++;
    if (!strncmp(p, "mph", 3)) {
        x *= 1.609344;
        p += 3;
    } else if (!strncmp(p, "km/h", 4)) {
        p += 4;
    } else if (!strncmp(p, "kmh", 3)) {
        p += 3;
    }
    while (*p == ' ') p++;
    if (*p != '\0' && *p != ';') return 0;
    long kmh = lround(x);
    if (kmh <= 0) return 0;
    return kmh > 255 ? 255 : (uint8_t)kmh;
}

static uint8_t osm_service(const char *v)
{
    if (!v) return SERVICE_NONE;
    if (!strcmp(v, "driveway")) return SERVICE_DRIVEWAY;
    if (!strcmp(v, "parking_aisle")) return SERVICE_PARKING_AISLE;
    if (!strcmp(v, "alley")) return SERVICE_ALLEY;
    if (!strcmp(v, "emergency_access")) return SERVICE_EMERGENCY_ACCESS;
    if (!strcmp(v, "drive-through") || !strcmp(v, "drive_through"))
        return SERVICE_DRIVE_THROUGH;
    return SERVICE_OTHER;
}

/* A yes/no-ish tag that counts as set: present and not "no". */
static int osm_flag(const char *v)
{
    return v && strcmp(v, "no") != 0 && strcmp(v, "false") != 0 && strcmp(v, "0") != 0;
}

/* Adds the school levels of one grade number (0 = F, förskoleklass). */
static unsigned osm_grade_bits(long g)
{
    if (g < 0) return 0;
    if (g <= 6) return SCHOOL_PRIMARY;
    if (g <= 9) return SCHOOL_LOWER_SEC;
    if (g <= 13) return SCHOOL_UPPER_SEC;
    return 0;
}

/* Parses a list like "1;2", "1-3", "0-6", "F-9", "7,8,9" into bits, with
 * map() giving the bits of one number. 'F'/'K' mean grade 0. */
static unsigned osm_levels(const char *v, unsigned (*map)(long))
{
    unsigned bits = 0;
    const char *p = v;
    while (p && *p) {
        long a, b;
        char *end;
        while (*p == ' ' || *p == ';' || *p == ',') p++;
        if (!*p) break;
        if (*p == 'F' || *p == 'f' || *p == 'K' || *p == 'k') {
            a = 0;
            end = (char *)p + 1;
        } else if (*p >= '0' && *p <= '9') {
            a = strtol(p, &end, 10);
        } else {
            break;
        }
        p = end;
        b = a;
        if (*p == '-') {
            p++;
            if (*p >= '0' && *p <= '9') {
                b = strtol(p, &end, 10);
                p = end;
            } else {
                break;
            }
        }
        if (b < a || b - a > 20) break;
        for (long g = a; g <= b; g++) bits |= map(g);
        if (*p && *p != ';' && *p != ',' && *p != ' ') break;
    }
    return bits;
}

static unsigned osm_isced_bits(long l)
{
    if (l == 1) return SCHOOL_PRIMARY;
    if (l == 2) return SCHOOL_LOWER_SEC;
    if (l == 3) return SCHOOL_UPPER_SEC;
    if (l >= 4 && l <= 8) return SCHOOL_ADULT;
    return 0;
}

/* School level bits: isced:level, then grades, then school=*, then words
 * in the name (Swedish, Danish, Finnish). 0 when nothing says. */
static uint8_t osm_school_level(const osm_tags *t)
{
    unsigned bits = 0;
    if (t->isced) bits |= osm_levels(t->isced, osm_isced_bits);
    if (t->grades) bits |= osm_levels(t->grades, osm_grade_bits);
    if (!bits && t->school) {
        const char *s = t->school;
        if (strstr(s, "primary")) bits |= SCHOOL_PRIMARY;
        if (strstr(s, "lower_secondary") || !strcmp(s, "secondary")) bits |= SCHOOL_LOWER_SEC;
        if (strstr(s, "upper_secondary") || strstr(s, "gymnasium")) bits |= SCHOOL_UPPER_SEC;
        if (strstr(s, "adult")) bits |= SCHOOL_ADULT;
    }
    if (!bits) {
        static const struct { const char *word; unsigned bits; } hints[] = {
            {"gymnasi", SCHOOL_UPPER_SEC}, {"lukio", SCHOOL_UPPER_SEC},
            {"högstadie", SCHOOL_LOWER_SEC}, {"yläaste", SCHOOL_LOWER_SEC},
            {"lågstadie", SCHOOL_PRIMARY}, {"mellanstadie", SCHOOL_PRIMARY},
            {"ala-aste", SCHOOL_PRIMARY},
            {"komvux", SCHOOL_ADULT}, {"folkhögskola", SCHOOL_ADULT},
            {"universitet", SCHOOL_ADULT},
        };
        const char *names[2] = {t->name, t->name_sv};
        for (int k = 0; k < 2; k++) {
            if (!names[k]) continue;
            for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
                if (strcasestr(names[k], hints[i].word)) bits |= hints[i].bits;
        }
    }
    return (uint8_t)bits;
}

/* The POI kinds the tags ask for: a bit per region_poi_kind, and the tag
 * value behind each (subkind). An element may be several kinds. */
static unsigned osm_poi_kinds(const osm_tags *t, const char *sub[POI_KIND_COUNT])
{
    unsigned k = 0;
    const char *a = t->amenity, *h = t->healthcare, *s = t->shop, *l = t->leisure;
#define SET(kind, v) (k |= 1u << (kind), sub[kind] = (v))
    if (a) {
        if (!strcmp(a, "school")) SET(POI_SCHOOL, a);
        else if (!strcmp(a, "kindergarten")) SET(POI_PRESCHOOL, a);
        else if (!strcmp(a, "doctors") || !strcmp(a, "clinic")) SET(POI_HEALTH, a);
        else if (!strcmp(a, "pharmacy")) SET(POI_PHARMACY, a);
        else if (!strcmp(a, "library")) SET(POI_LIBRARY, a);
    }
    if (h) {
        if (!(k & (1u << POI_HEALTH)) && (!strcmp(h, "centre") || !strcmp(h, "doctor")))
            SET(POI_HEALTH, h);
        else if (!(k & (1u << POI_PHARMACY)) && !strcmp(h, "pharmacy"))
            SET(POI_PHARMACY, h);
    }
    if (s && (!strcmp(s, "supermarket") || !strcmp(s, "convenience") ||
              !strcmp(s, "grocery")))
        SET(POI_GROCERY, s);
    if (l && (!strcmp(l, "sports_centre") || !strcmp(l, "stadium") ||
              !strcmp(l, "swimming_pool") || !strcmp(l, "fitness_centre") ||
              !strcmp(l, "ice_rink")))
        SET(POI_SPORTS, l);
#undef SET
    return k;
}

/* ---- node store ---- */

/* Slot of node id in the sorted store, or OSM_NONE. */
static uint32_t osm_find(const osm_ctx *c, int64_t id)
{
    size_t lo = 0, hi = c->ids.n;
    const int64_t *ids = c->ids.v;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->ids.n && ids[lo] == id ? (uint32_t)lo : OSM_NONE;
}

typedef struct osm_node_rec {
    int64_t id;
    geo_point p;
} osm_node_rec;

static int osm_node_rec_cmp(const void *pa, const void *pb)
{
    const osm_node_rec *a = pa, *b = pb;
    return (a->id > b->id) - (a->id < b->id);
}

/* Called when the first way arrives: sorts the store if the nodes came
 * out of order and allocates road_idx. 0 or an error in c. */
static int osm_nodes_finish(osm_ctx *c)
{
    size_t n = c->ids.n;
    if (!c->sorted && n > 1) {
        osm_node_rec *tmp = mem_calloc(n, sizeof *tmp);
        if (!tmp) return c->rc = err_set(c->e, FK_ENOMEM, "%s: out of memory sorting "
                                         "%zu nodes", c->path, n);
        for (size_t i = 0; i < n; i++) tmp[i] = (osm_node_rec){c->ids.v[i], c->pts.v[i]};
        qsort(tmp, n, sizeof *tmp, osm_node_rec_cmp);
        for (size_t i = 0; i < n; i++) {
            c->ids.v[i] = tmp[i].id;
            c->pts.v[i] = tmp[i].p;
        }
        mem_free(tmp);
    }
    c->sorted = 1;
    c->road_idx = mem_alloc(n ? n * sizeof *c->road_idx : 1);
    if (!c->road_idx)
        return c->rc = err_set(c->e, FK_ENOMEM, "%s: out of memory (%zu nodes)", c->path, n);
    memset(c->road_idx, 0xff, n * sizeof *c->road_idx);
    return 0;
}

/* Road node index of store slot s, adding the node to the builder the
 * first time. OSM_NONE with c->rc set on failure. */
static uint32_t osm_road_node(osm_ctx *c, uint32_t s)
{
    uint32_t r = c->road_idx[s];
    if (r != OSM_NONE) return r;
    region_builder *b = c->b;
    if (b->road_nodes.n >= OSM_NONE - 1) {
        c->rc = err_set(c->e, FK_ETOOBIG, "%s: more than %u road nodes", c->path, OSM_NONE - 1);
        return OSM_NONE;
    }
    if (vec_push(b->road_nodes, c->pts.v[s])) {
        c->rc = err_set(c->e, FK_ENOMEM, "%s: out of memory", c->path);
        return OSM_NONE;
    }
    r = (uint32_t)(b->road_nodes.n - 1);
    c->road_idx[s] = r;
    return r;
}

/* ---- POIs ---- */

/* Appends one POI per kind in kinds at pos. 0 or an error code in c. */
static int osm_add_pois(osm_ctx *c, const osm_tags *t, unsigned kinds,
                        const char *const sub[POI_KIND_COUNT], geo_point pos,
                        int64_t source_id, uint8_t flags)
{
    region_builder *b = c->b;
    int rc = 0;
    uint32_t name = t->name ? rb_str(b, t->name, &rc) : 0;
    uint16_t kommun = region_builder_kommun_at(b, pos);
    for (int k = 0; k < POI_KIND_COUNT; k++) {
        if (!(kinds & (1u << k))) continue;
        region_poi *p = vec_add(b->pois);
        if (!p) {
            rc = FK_ENOMEM;
            break;
        }
        p->pos = pos;
        p->source_id = source_id;
        p->name = name;
        p->subkind = rb_str(b, sub[k], &rc);
        p->kommun_code = kommun;
        p->kind = (uint8_t)k;
        p->level = k == POI_SCHOOL ? osm_school_level(t) : 0;
        p->flags = flags;
        if (flags & POI_F_FROM_AREA) c->pois_way++;
        else c->pois_node++;
    }
    if (rc) c->rc = err_set(c->e, rc, "%s: out of memory adding POIs", c->path);
    return rc;
}

/* ---- callbacks ---- */

static int osm_node(osm_ctx *c, const readosm_node *nd)
{
    if (c->in_ways) {
        c->rc = err_set(c->e, FK_EPARSE, "%s: node %lld comes after way %lld: the file is "
                        "not sorted (all nodes must precede all ways); sort it with "
                        "`osmium sort %s -o sorted.osm.pbf`", c->path, nd->id,
                        (long long)c->last_id, c->path);
        return READOSM_ABORT;
    }
    c->last_kind = 'n';
    c->last_id = nd->id;
    c->nodes_read++;
    progress_step(c->b->progress, 1, 0);
    geo_point p;
    if (geo_from_deg(nd->latitude, nd->longitude, &p)) {
        c->nodes_bad++;
        return READOSM_OK;
    }
    int inside = !c->clip || clip_mask_contains(c->clip, p);
    if (!inside) {
        c->nodes_clipped++;
    } else {
        if (c->ids.n >= OSM_NONE - 1) {
            c->rc = err_set(c->e, FK_ETOOBIG, "%s: more than %u nodes: split the extract",
                            c->path, OSM_NONE - 1);
            return READOSM_ABORT;
        }
        if (c->ids.n && nd->id <= c->ids.v[c->ids.n - 1]) c->sorted = 0;
        if (vec_push(c->ids, (int64_t)nd->id) || vec_push(c->pts, p)) {
            c->rc = err_set(c->e, FK_ENOMEM, "%s: out of memory storing %zu nodes",
                            c->path, c->ids.n);
            return READOSM_ABORT;
        }
    }
    if (nd->tag_count <= 0 || !nd->tags) return READOSM_OK;
    osm_tags t;
    osm_tags_read(&t, nd->tags, nd->tag_count);
    const char *sub[POI_KIND_COUNT] = {0};
    unsigned kinds = osm_poi_kinds(&t, sub);
    if (!kinds) return READOSM_OK;
    if (!inside) {
        c->pois_clipped++;
        return READOSM_OK;
    }
    return osm_add_pois(c, &t, kinds, sub, p, nd->id, 0) ? READOSM_ABORT : READOSM_OK;
}

/* Splits a routable way into segments. 0 or READOSM_ABORT. */
static int osm_way_road(osm_ctx *c, const readosm_way *w, const osm_tags *t, int hw)
{
    region_builder *b = c->b;
    region_road proto;
    memset(&proto, 0, sizeof proto);
    proto.highway = (uint8_t)hw;
    proto.oneway = osm_oneway(t->oneway);
    proto.oneway_bicycle = osm_oneway(t->oneway_bicycle);
    proto.access = osm_access(t->access);
    proto.foot = osm_access(t->foot);
    proto.bicycle = osm_access(t->bicycle);
    proto.motor_vehicle = osm_access(t->motor_vehicle ? t->motor_vehicle : t->motorcar);
    proto.maxspeed_kmh = osm_maxspeed(t->maxspeed);
    proto.service = osm_service(t->service);
    if (osm_streq(t->junction, "roundabout")) proto.flags |= ROAD_F_ROUNDABOUT;
    if (osm_streq(t->area, "yes")) proto.flags |= ROAD_F_AREA;
    if (osm_flag(t->toll)) proto.flags |= ROAD_F_TOLL;
    if (osm_flag(t->tunnel)) proto.flags |= ROAD_F_TUNNEL;
    if (osm_flag(t->bridge)) proto.flags |= ROAD_F_BRIDGE;
    const char *name = t->name ? t->name : t->ref;
    int named = 0, found = 0;

    uint32_t prev = OSM_NONE;
    for (int i = 0; i < w->node_ref_count; i++) {
        int64_t id = w->node_refs[i];
        uint32_t s = osm_find(c, id);
        c->refs_total++;
        if (s != OSM_NONE) {
            c->refs_found++;
            found++;
        }
        if (i > 0) {
            if (prev == OSM_NONE || s == OSM_NONE) {
                c->segs_missing++;
            } else if (prev == s) {
                c->segs_self++;
            } else {
                if (!named) {
                    int rc = 0;
                    proto.name = name ? rb_str(b, name, &rc) : 0;
                    if (rc) {
                        c->rc = err_set(c->e, rc, "%s: out of memory", c->path);
                        return READOSM_ABORT;
                    }
                    named = 1;
                }
                uint32_t from = osm_road_node(c, prev);
                uint32_t to = from == OSM_NONE ? OSM_NONE : osm_road_node(c, s);
                if (to == OSM_NONE) return READOSM_ABORT;
                region_road *r = vec_add(b->roads);
                if (!r) {
                    c->rc = err_set(c->e, FK_ENOMEM, "%s: out of memory", c->path);
                    return READOSM_ABORT;
                }
                *r = proto;
                r->from = from;
                r->to = to;
                double dm = geo_dist_m(c->pts.v[prev], c->pts.v[s]) * 10.0;
                r->length_dm = dm >= 4294967295.0 ? UINT32_MAX : (uint32_t)lround(dm);
                c->segs++;
            }
        }
        prev = s;
    }
    if (named) c->ways_road++;
    else if (!found && w->node_ref_count > 0) {
        if (c->clip) c->ways_clipped++;
        else c->ways_no_nodes++;
    }
    return READOSM_OK;
}

/* A closed way with POI tags: one POI per kind at the centroid of the
 * nodes we have. 0 or READOSM_ABORT. */
static int osm_way_poi(osm_ctx *c, const readosm_way *w, const osm_tags *t, unsigned kinds,
                       const char *const sub[POI_KIND_COUNT])
{
    int n = w->node_ref_count;
    if (n < 4 || w->node_refs[0] != w->node_refs[n - 1]) {
        c->pois_open++;
        return READOSM_OK;
    }
    c->ring.n = 0;
    for (int i = 0; i < n - 1; i++) {
        uint32_t s = osm_find(c, w->node_refs[i]);
        c->refs_total++;
        if (s == OSM_NONE) continue;
        c->refs_found++;
        if (vec_push(c->ring, c->pts.v[s])) {
            c->rc = err_set(c->e, FK_ENOMEM, "%s: out of memory", c->path);
            return READOSM_ABORT;
        }
    }
    if (c->ring.n == 0) {
        if (c->clip) c->pois_clipped++;
        else c->pois_no_nodes++;
        return READOSM_OK;
    }
    geo_point pos = geo_ring_centroid(c->ring.v, c->ring.n);
    if (c->clip && !clip_mask_contains(c->clip, pos)) {
        c->pois_clipped++;
        return READOSM_OK;
    }
    return osm_add_pois(c, t, kinds, sub, pos, -(int64_t)w->id, POI_F_FROM_AREA)
               ? READOSM_ABORT : READOSM_OK;
}

static int osm_way(osm_ctx *c, const readosm_way *w)
{
    if (!c->in_ways) {
        progress_done(c->b->progress);
        if (osm_nodes_finish(c)) return READOSM_ABORT;
        c->in_ways = 1;
        progress *p = c->b->progress;
        progress_begin(p, "osm ways", p ? p->total_bytes : 0);
    }
    c->last_kind = 'w';
    c->last_id = w->id;
    c->ways_read++;
    progress_step(c->b->progress, 1, 0);
    if (w->tag_count <= 0 || !w->tags || w->node_ref_count < 1 || !w->node_refs)
        return READOSM_OK;
    osm_tags t;
    osm_tags_read(&t, w->tags, w->tag_count);
    int hw = osm_highway(t.highway);
    if (hw == HW_NONE && osm_streq(t.route, "ferry")) hw = HW_FERRY;
    if (hw == HW_NONE && t.highway) {
        c->ways_hw_skipped++;
        if (!c->hw_skip_example) {
            snprintf(c->hw_skip_buf, sizeof c->hw_skip_buf, "%s", t.highway);
            c->hw_skip_example = c->hw_skip_buf;
        }
    }
    if (hw != HW_NONE && osm_way_road(c, w, &t, hw)) return READOSM_ABORT;
    const char *sub[POI_KIND_COUNT] = {0};
    unsigned kinds = osm_poi_kinds(&t, sub);
    if (kinds && osm_way_poi(c, w, &t, kinds, sub)) return READOSM_ABORT;
    return READOSM_OK;
}

static int osm_relation(osm_ctx *c, const readosm_relation *r)
{
    c->last_kind = 'r';
    c->last_id = r->id;
    c->relations++;
    if (r->tag_count <= 0 || !r->tags) return READOSM_OK;
    osm_tags t;
    osm_tags_read(&t, r->tags, r->tag_count);
    const char *sub[POI_KIND_COUNT] = {0};
    if (osm_streq(t.type, "multipolygon") && osm_poi_kinds(&t, sub)) c->pois_rel++;
    return READOSM_OK;
}

/* readosm leaks its expat parser when an XML parse is aborted, so for XML a
 * failure only sets c->rc and the rest of the file is skipped element by
 * element; PBF parses are aborted at once. */
static int osm_stop(const osm_ctx *c)
{
    return c->xml ? READOSM_OK : READOSM_ABORT;
}

static int osm_on_node(const void *ud, const readosm_node *nd)
{
    osm_ctx *c = (osm_ctx *)ud;
    if (c->rc || osm_node(c, nd) != READOSM_OK) return osm_stop(c);
    return READOSM_OK;
}

static int osm_on_way(const void *ud, const readosm_way *w)
{
    osm_ctx *c = (osm_ctx *)ud;
    if (c->rc || osm_way(c, w) != READOSM_OK) return osm_stop(c);
    return READOSM_OK;
}

static int osm_on_relation(const void *ud, const readosm_relation *r)
{
    osm_ctx *c = (osm_ctx *)ud;
    if (c->rc || osm_relation(c, r) != READOSM_OK) return osm_stop(c);
    return READOSM_OK;
}

/* ---- driver ---- */

static int osm_has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n > k && strcmp(s + n - k, suf) == 0;
}

/* ---- XML pre-check ----
 *
 * libreadosm 1.1.0a dereferences NULL (strlen) on a <tag> without k or v
 * and on a <member> without role, and leaves XML entity expansion to
 * expat. So before readosm sees an .osm file, this scanner walks its
 * lexical structure (comments, CDATA, processing instructions, quoted
 * attribute values) and refuses, with file and line:
 *   - a NUL byte (OSM XML is UTF-8; UTF-16 would hide markup from us),
 *   - a DOCTYPE (OSM XML has none; entities could smuggle in elements),
 *   - <tag> without k or v, <member> without role.
 * For well-formed XML it sees exactly the elements expat will report; on
 * malformed XML expat stops at or before the point where the scanner
 * could lose track. One extra sequential read of the file. */

enum {
    XS_TEXT, XS_LT, XS_NAME, XS_BANG, XS_COMMENT, XS_CDATA, XS_PI, XS_SKIP,
    XS_A_WS, XS_A_NAME, XS_A_EQ, XS_A_VALQ, XS_A_VAL
};

typedef struct osm_xscan {
    int st;
    char q;               /* quote char inside a value */
    char name[16];        /* element name, truncated */
    size_t nlen;
    char attr[16];        /* attribute name being read */
    size_t alen;
    char bang[8];         /* chars after "<!" */
    size_t blen;
    unsigned have;        /* 1 k, 2 v, 4 role */
    unsigned tail;        /* last chars, for "-->", "]]>", "?>" */
    uint64_t line, tag_line;
} osm_xscan;

static int osm_xs_namech(int ch)
{
    return !(ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '/' ||
             ch == '>' || ch == '=' || ch == '"' || ch == '\'');
}

/* Whether the n bytes at b are a prefix of lit. */
static int osm_xs_prefix(const char *b, size_t n, const char *lit)
{
    return n <= strlen(lit) && memcmp(b, lit, n) == 0;
}

/* The element just ended: check its required attributes. */
static int osm_xs_check(const osm_xscan *x, const char *path, fk_err *e)
{
    if (!strcmp(x->name, "tag") && (x->have & 3) != 3)
        return err_set(e, FK_EPARSE, "%s:%llu: <tag> without a %s attribute (expected "
                       "<tag k=\"key\" v=\"value\"/>)", path,
                       (unsigned long long)x->tag_line, (x->have & 1) ? "v" : "k");
    if (!strcmp(x->name, "member") && !(x->have & 4))
        return err_set(e, FK_EPARSE, "%s:%llu: <member> without a role attribute "
                       "(expected <member type=\"way\" ref=\"1\" role=\"outer\"/>)", path,
                       (unsigned long long)x->tag_line);
    return 0;
}

/* Feeds one byte. 0, or FK_EPARSE with a message. */
static int osm_xs_byte(osm_xscan *x, int ch, const char *path, fk_err *e)
{
    if (ch == '\n') x->line++;
    if (ch == 0)
        return err_set(e, FK_EPARSE, "%s:%llu: NUL byte: OSM XML must be UTF-8 text "
                       "(UTF-16 is not supported)", path, (unsigned long long)x->line);
    x->tail = (x->tail << 8) | (unsigned char)ch;
    switch (x->st) {
    case XS_TEXT:
        if (ch == '<') {
            x->st = XS_LT;
            x->tag_line = x->line;
        }
        break;
    case XS_LT:
        x->nlen = 0;
        x->have = 0;
        x->q = 0;
        if (ch == '!') {
            x->st = XS_BANG;
            x->blen = 0;
        } else if (ch == '?') {
            x->st = XS_PI;
            x->tail = 0;
        } else if (ch == '/') {
            x->st = XS_SKIP;
        } else {
            x->name[x->nlen++] = (char)ch;
            x->name[x->nlen] = '\0';
            x->st = XS_NAME;
        }
        break;
    case XS_NAME:
        if (osm_xs_namech(ch)) {
            if (x->nlen + 1 < sizeof x->name) {
                x->name[x->nlen++] = (char)ch;
                x->name[x->nlen] = '\0';
            } else {
                x->name[0] = '\0';   /* too long to be tag/member */
            }
            break;
        }
        if (strcmp(x->name, "tag") && strcmp(x->name, "member")) {
            x->st = ch == '>' ? XS_TEXT : XS_SKIP;
            x->q = 0;
            break;
        }
        x->st = XS_A_WS;
        if (ch == '>') {
            x->st = XS_TEXT;
            return osm_xs_check(x, path, e);
        }
        break;
    case XS_A_WS:
        if (ch == '>') {
            x->st = XS_TEXT;
            return osm_xs_check(x, path, e);
        }
        if (osm_xs_namech(ch)) {
            x->alen = 0;
            x->attr[x->alen++] = (char)ch;
            x->st = XS_A_NAME;
        }
        break;
    case XS_A_NAME:
        if (osm_xs_namech(ch)) {
            if (x->alen + 1 < sizeof x->attr) x->attr[x->alen++] = (char)ch;
            else x->alen = sizeof x->attr;   /* too long: matches nothing */
            break;
        }
        if (x->alen < sizeof x->attr) {
            x->attr[x->alen] = '\0';
            if (!strcmp(x->attr, "k")) x->have |= 1;
            if (!strcmp(x->attr, "v")) x->have |= 2;
            if (!strcmp(x->attr, "role")) x->have |= 4;
        }
        if (ch == '>') {
            x->st = XS_TEXT;
            return osm_xs_check(x, path, e);
        }
        x->st = ch == '=' ? XS_A_VALQ : XS_A_EQ;
        break;
    case XS_A_EQ:
        if (ch == '=') x->st = XS_A_VALQ;
        else if (ch == '>') x->st = XS_TEXT;   /* malformed: expat rejects it */
        break;
    case XS_A_VALQ:
        if (ch == '"' || ch == '\'') {
            x->q = (char)ch;
            x->st = XS_A_VAL;
        } else if (ch == '>') {
            x->st = XS_TEXT;
        }
        break;
    case XS_A_VAL:
        if (ch == x->q) x->st = XS_A_WS;
        break;
    case XS_BANG:
        x->bang[x->blen++] = (char)ch;
        if (x->blen == 2 && !memcmp(x->bang, "--", 2)) {
            x->st = XS_COMMENT;
            x->tail = 0;
        } else if (x->blen == 7 && !memcmp(x->bang, "[CDATA[", 7)) {
            x->st = XS_CDATA;
            x->tail = 0;
        } else if (x->blen == 7 && !memcmp(x->bang, "DOCTYPE", 7)) {
            return err_set(e, FK_EPARSE, "%s:%llu: <!DOCTYPE> in OSM XML: document type "
                           "declarations and entities are not accepted", path,
                           (unsigned long long)x->tag_line);
        } else if (x->blen == sizeof x->bang ||
                   (!osm_xs_prefix(x->bang, x->blen, "--") &&
                    !osm_xs_prefix(x->bang, x->blen, "[CDATA[") &&
                    !osm_xs_prefix(x->bang, x->blen, "DOCTYPE"))) {
            x->st = XS_SKIP;
            x->q = 0;
        }
        break;
    case XS_COMMENT:
        if ((x->tail & 0xffffff) == (('-' << 16) | ('-' << 8) | '>')) x->st = XS_TEXT;
        break;
    case XS_CDATA:
        if ((x->tail & 0xffffff) == ((']' << 16) | (']' << 8) | '>')) x->st = XS_TEXT;
        break;
    case XS_PI:
        if ((x->tail & 0xffff) == (('?' << 8) | '>')) x->st = XS_TEXT;
        break;
    case XS_SKIP:
        if (x->q) {
            if (ch == x->q) x->q = 0;
        } else if (ch == '"' || ch == '\'') {
            x->q = (char)ch;
        } else if (ch == '>') {
            x->st = XS_TEXT;
        }
        break;
    }
    return 0;
}

/* Runs the pre-check over the whole file. 0, FK_EIO or FK_EPARSE. */
static int osm_xml_precheck(const char *path, fk_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, FK_EIO, "%s: cannot open: %s", path, strerror(errno));
    osm_xscan x;
    memset(&x, 0, sizeof x);
    x.st = XS_TEXT;
    x.line = 1;
    unsigned char buf[1 << 16];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n && !rc; i++) rc = osm_xs_byte(&x, buf[i], path, e);
    if (!rc && ferror(f)) rc = err_set(e, FK_EIO, "%s: read error", path);
    fclose(f);
    return rc;
}

/* ---- PBF diagnosis (after readosm refused a .pbf) ---- */

/* Reads a protobuf varint from p[*i..n); -1 when it runs off the end. */
static int osm_pb_varint(const unsigned char *p, size_t n, size_t *i, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && *i < n; shift += 7) {
        unsigned char byte = p[(*i)++];
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* After readosm rejected a PBF file, walks its block structure (4-byte
 * length, BlobHeader, Blob) to say precisely why: truncated (where),
 * not PBF at all, or a block compressed with something readosm cannot
 * decode (lz4, zstd, lzma). Writes a sentence into msg ("" when nothing
 * specific was found). Reads only headers; never allocates. */
static void osm_pbf_diagnose(const char *path, char *msg, size_t cap)
{
    msg[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) return;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return;
    }
    uint64_t size = (uint64_t)st.st_size, off = 0;
    unsigned char hb[65536];
    for (uint64_t block = 1; off < size; block++) {
        unsigned char lb[4];
        if (fseek(f, (long)off, SEEK_SET) != 0) break;
        if (size - off < 4 || fread(lb, 1, 4, f) != 4) {
            snprintf(msg, cap, "the file is truncated: it ends inside the length of block "
                     "%llu at byte %llu", (unsigned long long)block, (unsigned long long)off);
            break;
        }
        uint32_t hlen = (uint32_t)lb[0] << 24 | (uint32_t)lb[1] << 16 |
                        (uint32_t)lb[2] << 8 | lb[3];
        if (hlen == 0 || hlen > sizeof hb) {
            snprintf(msg, cap, "block %llu at byte %llu has a header length of %u bytes "
                     "(expected 1 to 65536): this is not an OSM PBF file, or it is corrupt",
                     (unsigned long long)block, (unsigned long long)off, hlen);
            break;
        }
        if (size - off - 4 < hlen || fread(hb, 1, hlen, f) != hlen) {
            snprintf(msg, cap, "the file is truncated: it ends inside the header of block "
                     "%llu at byte %llu (file size %llu)", (unsigned long long)block,
                     (unsigned long long)off, (unsigned long long)size);
            break;
        }
        /* BlobHeader: 1 type (string), 2 indexdata (bytes), 3 datasize (int32) */
        uint64_t datasize = UINT64_MAX;
        int typed = 0;
        for (size_t i = 0; i < hlen;) {
            uint64_t key, v;
            if (osm_pb_varint(hb, hlen, &i, &key)) break;
            if ((key & 7) == 0) {
                if (osm_pb_varint(hb, hlen, &i, &v)) break;
                if (key >> 3 == 3) datasize = v;
            } else if ((key & 7) == 2) {
                if (osm_pb_varint(hb, hlen, &i, &v) || v > hlen - i) break;
                if (key >> 3 == 1 &&
                    ((v == 9 && !memcmp(hb + i, "OSMHeader", 9)) ||
                     (v == 7 && !memcmp(hb + i, "OSMData", 7))))
                    typed = 1;
                i += (size_t)v;
            } else {
                break;
            }
        }
        if (!typed || datasize == UINT64_MAX || datasize > (64u << 20)) {
            snprintf(msg, cap, "block %llu at byte %llu has no valid OSMHeader/OSMData "
                     "block header: this is not an OSM PBF file, or it is corrupt",
                     (unsigned long long)block, (unsigned long long)off);
            break;
        }
        uint64_t body = off + 4 + hlen;
        if (size - body < datasize) {
            snprintf(msg, cap, "the file is truncated: block %llu at byte %llu needs %llu "
                     "bytes of data but the file ends after %llu (file size %llu; an "
                     "interrupted download?)", (unsigned long long)block,
                     (unsigned long long)off, (unsigned long long)datasize,
                     (unsigned long long)(size - body), (unsigned long long)size);
            break;
        }
        /* Blob: 1 raw, 2 raw_size, 3 zlib_data, 4 lzma_data, 6 lz4_data, 7 zstd_data */
        unsigned char bb[32];
        size_t nb = datasize < sizeof bb ? (size_t)datasize : sizeof bb;
        if (fread(bb, 1, nb, f) != nb) break;
        for (size_t i = 0; i < nb;) {
            uint64_t key, v;
            if (osm_pb_varint(bb, nb, &i, &key)) break;
            if ((key & 7) == 0) {
                if (osm_pb_varint(bb, nb, &i, &v)) break;
                continue;
            }
            unsigned field = (unsigned)(key >> 3);
            const char *z = field == 4 ? "lzma" : field == 6 ? "lz4" : field == 7 ? "zstd"
                                                                                   : NULL;
            if (z)
                snprintf(msg, cap, "block %llu at byte %llu is %s-compressed, which readosm "
                         "cannot decode (only zlib or uncompressed blocks)",
                         (unsigned long long)block, (unsigned long long)off, z);
            break;
        }
        if (msg[0]) break;
        off = body + datasize;
    }
    fclose(f);
}

/* Turns a readosm error code into a message that says what to do. */
static int osm_readosm_error(osm_ctx *c, int r)
{
    const char *p = c->path;
    char where[64] = "";
    if (c->last_kind)
        snprintf(where, sizeof where, " (after %s %lld)",
                 c->last_kind == 'n' ? "node" : c->last_kind == 'w' ? "way" : "relation",
                 (long long)c->last_id);
    else
        snprintf(where, sizeof where, " (before the first element)");
    int pbf = osm_has_suffix(p, ".pbf");
    switch (r) {
    case READOSM_FILE_NOT_FOUND:
        return err_set(c->e, FK_EIO, "%s: cannot open for reading", p);
    case READOSM_INVALID_SUFFIX:
        return err_set(c->e, FK_EINVAL, "%s: file name must end in .osm or .pbf", p);
    case READOSM_INSUFFICIENT_MEMORY:
    case READOSM_CREATE_XML_PARSER_ERROR:
        return err_set(c->e, FK_ENOMEM, "%s: out of memory in readosm", p);
    case READOSM_READ_ERROR:
    case READOSM_INVALID_PBF_HEADER:
        if (pbf) {
            char why[320];
            osm_pbf_diagnose(p, why, sizeof why);
            if (strstr(why, "compressed"))
                return err_set(c->e, FK_EPARSE, "%s: %s%s; re-encode it with `osmium cat "
                               "%s -o fixed.osm.pbf -f pbf,pbf_compression=zlib`",
                               p, why, where, p);
            if (why[0])
                return err_set(c->e, FK_EPARSE, "%s: invalid PBF: %s%s; download it again "
                               "and check it with `osmium fileinfo -e %s`", p, why, where, p);
            return err_set(c->e, FK_EPARSE, "%s: invalid PBF block%s (readosm error %d): "
                           "corrupt, or compressed with lz4/zstd, which readosm cannot "
                           "read; check it with `osmium fileinfo -e %s` and re-encode it "
                           "with `osmium cat %s -o fixed.osm.pbf -f pbf,pbf_compression=zlib`",
                           p, where, r, p, p);
        }
        return err_set(c->e, FK_EPARSE, "%s: read error or truncated file%s", p, where);
    case READOSM_XML_ERROR:
        return err_set(c->e, FK_EPARSE, "%s: malformed or truncated OSM XML%s: the file is "
                       "not well-formed XML; check it with `xmllint --noout %s`", p, where, p);
    case READOSM_UNZIP_ERROR:
        return err_set(c->e, FK_EPARSE, "%s: a zlib block does not decompress%s: the file "
                       "is corrupt or truncated; download it again", p, where);
    default:
        return err_set(c->e, FK_EPARSE, "%s: readosm error %d%s", p, r, where);
    }
}

/* Fills the report's note (and counts) from the context. */
static void osm_report(const osm_ctx *c, ingest_report *rep)
{
    if (!rep) return;
    rep->records = c->segs + c->pois_node + c->pois_way;
    rep->skipped = c->ways_hw_skipped + c->segs_missing + c->segs_self + c->pois_open +
                   c->pois_no_nodes + c->pois_rel + c->pois_clipped + c->nodes_bad +
                   c->ways_clipped + c->ways_no_nodes;
    char *s = rep->note;
    size_t cap = sizeof rep->note;
    int n = snprintf(s, cap,
                     "%llu road segments (%llu ways, %zu road nodes), %llu POIs "
                     "(%llu from closed ways)",
                     (unsigned long long)c->segs, (unsigned long long)c->ways_road,
                     c->b->road_nodes.n - c->road_nodes0,
                     (unsigned long long)(c->pois_node + c->pois_way),
                     (unsigned long long)c->pois_way);
#define MORE(cond, ...)                                                     \
    if ((cond) && n >= 0 && (size_t)n < cap)                                \
        n += snprintf(s + n, cap - (size_t)n, __VA_ARGS__)
    MORE(c->ways_hw_skipped, "; %llu ways with a non-routable highway=* (e.g. %s)",
         (unsigned long long)c->ways_hw_skipped,
         c->hw_skip_example ? c->hw_skip_example : "?");
    MORE(c->segs_missing, "; %llu segments with a node %s",
         (unsigned long long)c->segs_missing,
         c->clip ? "outside the clip area or missing from the file" : "missing from the file");
    MORE(c->ways_no_nodes, "; %llu ways with no node in the file",
         (unsigned long long)c->ways_no_nodes);
    MORE(c->segs_self, "; %llu zero-length self-loop segments", (unsigned long long)c->segs_self);
    MORE(c->pois_open, "; %llu POI ways not closed", (unsigned long long)c->pois_open);
    MORE(c->pois_no_nodes, "; %llu POI ways with no node in the file",
         (unsigned long long)c->pois_no_nodes);
    MORE(c->pois_rel, "; %llu multipolygon POIs (relations not imported)",
         (unsigned long long)c->pois_rel);
    MORE(c->nodes_bad, "; %llu nodes with invalid coordinates",
         (unsigned long long)c->nodes_bad);
    MORE(c->clip, "; clipped: %llu nodes, %llu ways, %llu POIs outside the region",
         (unsigned long long)c->nodes_clipped, (unsigned long long)c->ways_clipped,
         (unsigned long long)c->pois_clipped);
#undef MORE
}

int ingest_osm(region_builder *b, const char *path, const ingest_osm_opts *opts,
               ingest_report *rep, fk_err *e)
{
    region_builder_mark mark;
    region_builder_mark_get(b, &mark);
    clip_mask mask;
    memset(&mask, 0, sizeof mask);
    osm_ctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    c.e = e;
    c.sorted = 1;
    c.road_nodes0 = b->road_nodes.n;
    c.xml = path && osm_has_suffix(path, ".osm");
    if (rep) memset(rep, 0, sizeof *rep);
    const void *h = NULL;
    int rc = 0;

    if (!path || !*path) {
        rc = err_set(e, FK_EINVAL, "OSM import: no file name given");
        goto fail;
    }
    if (!osm_has_suffix(path, ".osm") && !osm_has_suffix(path, ".pbf")) {
        const char *hint = "";
        if (osm_has_suffix(path, ".gz") || osm_has_suffix(path, ".bz2") ||
            osm_has_suffix(path, ".zst"))
            hint = " (compressed XML is not supported: decompress it first, or convert "
                   "it with `osmium cat FILE -o out.osm.pbf`)";
        else if (osm_has_suffix(path, ".o5m") || osm_has_suffix(path, ".osc") ||
                 osm_has_suffix(path, ".opl"))
            hint = " (convert it with `osmium cat FILE -o out.osm.pbf`)";
        else
            hint = " (readosm decides the format by the name: rename the file)";
        rc = err_set(e, FK_EINVAL, "%s: an OSM file must end in .osm (XML) or .pbf%s",
                     path, hint);
        goto fail;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        rc = err_set(e, FK_EIO, "%s: cannot open: %s", path, strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = err_set(e, FK_EIO, "%s: is a directory, expected an OSM file", path);
        goto fail;
    }
    if (opts && opts->clip) {
        double margin = opts->clip_margin_m == 0 ? OSM_DEFAULT_MARGIN_M : opts->clip_margin_m;
        rc = clip_mask_build(&mask, b, margin, opts->clip_cell_m, e);
        if (rc) {
            err_prefix(e, "%s", path);
            goto fail;
        }
        c.clip = &mask;
    }

    if (c.xml) {
        rc = osm_xml_precheck(path, e);
        if (rc) goto fail;
    }
    progress_begin(b->progress, "osm nodes", (uint64_t)st.st_size);
    int r = readosm_open(path, &h);
    if (r == READOSM_OK)
        r = readosm_parse(h, &c, osm_on_node, osm_on_way, osm_on_relation);
    if (c.rc) {
        rc = c.rc;
        goto fail;
    }
    if (r != READOSM_OK) {
        rc = osm_readosm_error(&c, r);
        goto fail;
    }
    progress_done(b->progress);
    if (!c.in_ways && osm_nodes_finish(&c)) {
        rc = c.rc;
        goto fail;
    }
    if (c.refs_total > 0 && c.nodes_read == 0) {
        rc = err_set(e, FK_EPARSE, "%s: no node data: %llu ways refer to %llu nodes but the "
                     "file yielded no nodes%s", path, (unsigned long long)c.ways_read,
                     (unsigned long long)c.refs_total,
                     osm_has_suffix(path, ".pbf")
                         ? "; readosm reads only PBF files whose nodes are stored as "
                           "DenseNodes: re-encode it with `osmium cat FILE -o "
                           "dense.osm.pbf -f pbf,pbf_dense_nodes=true`"
                         : "; the file has ways but no <node> elements");
        goto fail;
    }
    if (c.refs_total > 0 && c.refs_found == 0 && c.nodes_clipped == 0) {
        rc = err_set(e, FK_EPARSE, "%s: no node data for the ways: none of the %llu node "
                     "references of routable or POI ways is among the file's %llu nodes "
                     "(nodes from another area, or a ways-only file)", path,
                     (unsigned long long)c.refs_total, (unsigned long long)c.nodes_read);
        goto fail;
    }
    osm_report(&c, rep);
    goto done;

fail:
    region_builder_rollback(b, &mark);
done:
    if (h) readosm_close(h);
    clip_mask_free(&mask);
    vec_free(c.ids);
    vec_free(c.pts);
    vec_free(c.ring);
    mem_free(c.road_idx);
    return rc;
}
