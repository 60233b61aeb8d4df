/*
 * demo.c: the seeded demo region generator (see demo.h and docs/demo.md).
 *
 * Design note. The generator fills in, on top of whatever real data the
 * builder already holds, the parts that open data offline cannot give. It
 * runs in fixed stages, each drawing from one xoshiro stream seeded by
 * opts->seed, in a fixed order over arrays (never over hash tables), so the
 * same seed and the same input give byte-identical arrays:
 *
 *   geography   only when the builder has no areas: a fictional 2x2 set of
 *               kommuner ("Fiktiva ... (fictional)"), localities and stops;
 *   localities  a size estimate per locality (its population if known, else
 *               from GTFS stops within 2 km and whether it is the kommun
 *               seat), ordered largest first; localities lying inside a
 *               bigger one's grid share that grid;
 *   roads       a slightly irregular street grid per locality, localities
 *               joined by a minimum spanning tree plus links to the two
 *               nearest neighbours, every stop connected, and a final pass
 *               that joins any stray component, so the graph is connected;
 *   places, jobs, homes, statistics.
 *
 * Each part is generated only when the builder holds none of that kind of
 * record (a real import always wins), or when opts->parts asks for it.
 * Every generated record carries REGION_F_GENERATED and b->gen_flags gets
 * the matching REGION_GEN_* bit. On failure the builder is rolled back.
 *
 * Geometry works in a projected plane (equirectangular around the centre
 * of the input, metres) for nearest-node searches, and in local tangent
 * offsets (metres east/north of a point) for shapes.
 */
#include "demo.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/geo.h"
#include "../base/hmap.h"
#include "../base/mem.h"
#include "../base/progress.h"
#include "../base/rng.h"
#include "../base/vec.h"

#define DEMO_PI 3.14159265358979323846
#define DEMO_M_PER_DEG (6371008.8 * DEMO_PI / 180.0)  /* same sphere as geo.c */
#define DEMO_NONE UINT32_MAX
#define DEMO_CELL_M 600.0           /* spatial index cell */
#define DEMO_STOP_NEAR_M 30.0       /* a stop closer than this to a node is reachable */
#define DEMO_SEG_BUDGET 100000.0    /* street-grid segments before densities shrink */
#define DEMO_MAX_RECORDS 1000000u   /* n_jobs, n_homes limit */

/* ------------------------------------------------------------ word lists */

/* Street name stems: composed with a suffix ("Björk" + "gatan"). */
static const char *const demo_street_stems[64] = {
    "Björk", "Tall", "Gran", "Asp", "Rönn", "Sälg", "Lönn", "Hägg",
    "Lärk", "En", "Lingon", "Hjortron", "Blåbärs", "Myr", "Mo", "Hed",
    "Näs", "Strand", "Sjö", "Älv", "Fors", "Bäck", "Berg", "Kull",
    "Ängs", "Åker", "Gärdes", "Skol", "Kyrk", "Prästgårds", "Kvarn", "Såg",
    "Smedje", "Hamn", "Fiskar", "Lots", "Stations", "Post", "Gruv", "Malm",
    "Norr", "Söder", "Väster", "Öster", "Mellan", "Ny", "Stor", "Lill",
    "Sol", "Stjärn", "Vinter", "Sommar", "Norrskens", "Ren", "Älg", "Tjäder",
    "Orr", "Lo", "Björn", "Rip", "Lax", "Harr", "Sik", "Abborr"};
static const char *const demo_street_alt[4] = {"stigen", "backen", "gränd", "allén"};

static const char *const demo_school_stems[16] = {
    "Björk", "Tallbacka", "Granås", "Rönnbacka", "Asp", "Heds", "Mo", "Näs",
    "Strand", "Sjö", "Älv", "Fors", "Bergs", "Solbacka", "Ängs", "Lingon"};
static const char *const demo_preschools[20] = {
    "Tallbacken", "Solstrålen", "Myran", "Ekorren", "Blåbäret", "Lingonet",
    "Björnen", "Stjärnan", "Regnbågen", "Snöflingan", "Norrskenet", "Vitsippan",
    "Humlan", "Nyckelpigan", "Trollet", "Fjärilen", "Kotten", "Älgen",
    "Ripan", "Lärkan"};
static const char *const demo_gymnasium[6] = {
    "Älvgymnasiet", "Norrskensgymnasiet", "Forsgymnasiet", "Björkgymnasiet",
    "Sjögymnasiet", "Polarisgymnasiet"};
static const char *const demo_pharmacy[8] = {
    "Fjällrosen", "Lingonet", "Renen", "Norrsken", "Tranan", "Hjorten",
    "Kronhjorten", "Svanen"};
static const char *const demo_quarters[4] = {"Norra", "Södra", "Östra", "Västra"};

/* Fictional geography. */
static const char *const demo_fict_kommuner[4] = {"Norrby", "Älvdal", "Fjällmark", "Skogsås"};
static const char *const demo_fict_villages[24] = {
    "Tallbacka", "Myrheden", "Björkliden", "Granudden", "Sjöbotten", "Forsnäs",
    "Lillmyran", "Renberget", "Kåtaselet", "Storheden", "Älvnäs", "Vitträsk",
    "Svartliden", "Harrsjön", "Laxforsen", "Moskogen", "Rönnholm", "Ängesbyn",
    "Kallheden", "Bäckliden", "Näsberg", "Sikträsk", "Lomselet", "Ripudden"};
static const char *const demo_stop_words[6] = {
    "skola", "vårdcentral", "kyrka", "sporthall", "torget", "affären"};

/* Approximate populations (rounded, about 2022) of Norrbotten's kommuner:
 * public figures used only as anchors for generated statistics and for the
 * size of each kommun seat; the stop-based estimate cannot tell that Luleå
 * is the largest town. */
static const struct { uint16_t code; uint32_t pop; } demo_anchor[] = {
    {2505, 6100}, {2506, 2700}, {2510, 4900}, {2513, 3200}, {2514, 15800},
    {2518, 4200}, {2521, 5900}, {2523, 17300}, {2560, 8100}, {2580, 79200},
    {2581, 42400}, {2582, 28200}, {2583, 9400}, {2584, 22300}};

/* Occupation categories: weight of the category in generated job ads,
 * keywords matched in occupation labels, employers and a description. */
enum { CAT_HEALTH, CAT_EDU, CAT_ENG, CAT_BUILD, CAT_IT, CAT_MINE, CAT_OTHER, CAT_COUNT };

static const struct demo_cat {
    double weight;
    const char *keys[14];
    const char *employers[3];   /* %s = locality */
    const char *pitch;          /* %s = locality */
} demo_cats[CAT_COUNT] = {
    {25, {"sjuksköterska", "undersköterska", "läkare", "vårdbiträde", "barnmorska",
          "fysioterapeut", "arbetsterapeut", "psykolog", "tandläkare", "tandhygienist",
          "biomedicinsk", "personlig assistent", "undersköterska", NULL},
     {"Demo Vård Norr AB", "Exempelkliniken i %s", "Fiktiva Hälsan %s AB"},
     "Du blir en del av vårdverksamheten i %s och arbetar nära patienterna i ett "
     "engagerat team med god introduktion."},
    {18, {"lärare", "förskollärare", "barnskötare", "fritidspedagog", "rektor",
          "speciallärare", "specialpedagog", "studie- och yrkesvägledare", "elevassistent",
          NULL},
     {"Exempelskolan i %s", "Demo Utbildning Norr AB", "Fiktiva Förskolor %s AB"},
     "Vill du göra skillnad för barn och unga i %s? Hos oss får du kollegor som "
     "delar med sig och tid för planering."},
    {14, {"ingenjör", "tekniker", "konstruktör", "projektör", "arkitekt",
          "elkraft", "automation", "mätningstekniker", NULL},
     {"Exempelverken Norr AB", "Demo Teknik %s AB", "Provkonsult Norr AB"},
     "Vi utvecklar anläggningar och energisystem i Norrbotten och behöver förstärkning "
     "i %s."},
    {12, {"snickare", "elektriker", "betong", "byggnadsarbetare", "anläggnings",
          "rörläggare", "vvs", "målare", "plåtslagare", "maskinförare", "murare",
          "golvläggare", "ställningsbyggare", NULL},
     {"Demobygg %s AB", "Exempelbyggarna i Norr AB", "Fiktiv Anläggning %s AB"},
     "Byggandet i %s växer och vi söker fler som vill vara med och bygga bostäder, "
     "skolor och industri."},
    {10, {"utvecklare", "programmerare", "it-", "nätverks", "mjukvaru", "systemadministratör",
          "drifttekniker, it", "supporttekniker", "databas", "testare", NULL},
     {"Fiktiv IT Norr AB", "Demo Data %s AB", "Exempelkod AB"},
     "Vi bygger digitala tjänster från %s för kunder i hela landet; du får arbeta "
     "med moderna verktyg och flexibla arbetstider."},
    {14, {"gruv", "bergarbetare", "processoperatör", "svetsare", "montör", "cnc",
          "industrimekaniker", "maskinoperatör", "underhåll", "smed", "stål",
          "reparatör", "fordonsmekaniker", "truckförare"},
     {"Exempelgruvan Norr AB", "Demo Stål & Verkstad AB", "Fiktiva Malmbolaget %s AB"},
     "Industrin kring %s ställer om och vi anställer för gruvdrift, stål och "
     "underhåll."},
    {7, {NULL},
     {"Demo Service %s AB", "Exempelföretaget i %s AB", "Demo Transport Norr AB"},
     "Vi är ett växande företag i %s med kunder i hela länet."},
};

/* Common needs of the region: occupation names as the JobTech taxonomy
 * spells them, with a relative weight. Matched exactly against the
 * taxonomy; they carry 85 % of the ads, the rest of the taxonomy shares
 * 15 % by keyword category. Also the built-in occupations of a builder
 * without a taxonomy. */
static const struct demo_occ {
    const char *label;
    uint8_t cat, weight;
} demo_common_occ[] = {
    {"Sjuksköterska, grundutbildad", CAT_HEALTH, 10},
    {"Undersköterska, hemtjänst, äldreboende och habilitering", CAT_HEALTH, 10},
    {"Undersköterska, vård- och specialavdelning och mottagning", CAT_HEALTH, 6},
    {"Personlig assistent", CAT_HEALTH, 5},
    {"Specialistläkare", CAT_HEALTH, 4},
    {"Läkare", CAT_HEALTH, 3},
    {"Distriktssköterska", CAT_HEALTH, 3},
    {"Vårdbiträde", CAT_HEALTH, 3},
    {"Fysioterapeut/Sjukgymnast", CAT_HEALTH, 2},
    {"Psykolog", CAT_HEALTH, 2},
    {"Socialsekreterare", CAT_HEALTH, 2},
    {"Barnmorska", CAT_HEALTH, 1},
    {"Tandsköterska", CAT_HEALTH, 1},
    {"Arbetsterapeut", CAT_HEALTH, 1},
    {"Lärare i förskola/Förskollärare", CAT_EDU, 6},
    {"Barnskötare", CAT_EDU, 4},
    {"Lärare i grundskolan, årskurs 1-3", CAT_EDU, 3},
    {"Lärare i grundskolan, årskurs 4-6", CAT_EDU, 3},
    {"Lärare i grundskolan, årskurs 7-9", CAT_EDU, 3},
    {"Lärare i gymnasieskolan", CAT_EDU, 2},
    {"Lärare i gymnasieskolan - yrkesämnen", CAT_EDU, 2},
    {"Speciallärare", CAT_EDU, 2},
    {"Lärare i fritidshem/Fritidspedagog", CAT_EDU, 2},
    {"Elevassistent", CAT_EDU, 2},
    {"Civilingenjör, elkraft", CAT_ENG, 3},
    {"Elingenjör", CAT_ENG, 3},
    {"Projektledare, bygg och anläggning", CAT_ENG, 3},
    {"Automationsingenjör, gruvteknik och metallurgi", CAT_ENG, 2},
    {"Automationsingenjör, elkraft", CAT_ENG, 2},
    {"Bergsingenjör", CAT_ENG, 2},
    {"Civilingenjör, bygg", CAT_ENG, 2},
    {"Installationselektriker", CAT_BUILD, 4},
    {"Träarbetare/Snickare", CAT_BUILD, 4},
    {"Betongarbetare", CAT_BUILD, 3},
    {"VVS-montör", CAT_BUILD, 2},
    {"Fastighetsskötare/Fastighetsarbetare", CAT_BUILD, 2},
    {"Mjukvaruutvecklare", CAT_IT, 3},
    {"Systemutvecklare/Programmerare", CAT_IT, 3},
    {"Backend-utvecklare", CAT_IT, 2},
    {"IT-tekniker/Datatekniker", CAT_IT, 2},
    {"Drifttekniker, data", CAT_IT, 2},
    {"Bergarbetare, gruva", CAT_MINE, 4},
    {"Underhållsmekaniker", CAT_MINE, 4},
    {"Svetsare, manuell", CAT_MINE, 3},
    {"Gruvbyggare", CAT_MINE, 2},
    {"Montör, metallprodukter", CAT_MINE, 2},
    {"CNC-operatör/FMS-operatör", CAT_MINE, 2},
    {"Truckförare", CAT_MINE, 2},
    {"Skogsmaskinförare", CAT_MINE, 2},
    {"Bussförare/Busschaufför", CAT_OTHER, 3},
    {"Butikssäljare, dagligvaror/Medarbetare, dagligvaror", CAT_OTHER, 3},
    {"Kock, storhushåll", CAT_OTHER, 2},
    {"Städare/Lokalvårdare", CAT_OTHER, 2},
    {"Ekonomiassistent", CAT_OTHER, 2},
    {"Kundtjänstmedarbetare", CAT_OTHER, 2},
    {"Lagerarbetare", CAT_OTHER, 2},
    {"Restaurangbiträde", CAT_OTHER, 1}};
#define DEMO_N_COMMON_OCC (sizeof demo_common_occ / sizeof demo_common_occ[0])

/* ------------------------------------------------------------ structures */

typedef struct demo_xy {
    double x, y;
} demo_xy;

typedef VEC(uint32_t) demo_u32s;

/* A uniform grid over projected points that grows as points are added.
 * Point ids are dense (0..n-1); within a cell points are chained. */
typedef struct demo_index {
    hmap_u64 cells;       /* cell key -> last point added in the cell */
    VEC(uint32_t) next;   /* per point: previous point of the same cell */
    VEC(demo_xy) xy;
    double cell_m;
} demo_index;

typedef struct demo_loc {
    geo_point pos;
    uint32_t src;             /* index into b->localities */
    uint16_t kommun;          /* kommun code given to generated records */
    uint8_t seat;             /* the locality named like its kommun */
    uint8_t has_grid;         /* owns a street grid */
    double pop;               /* inhabitants: real, or estimated */
    double radius_m;          /* extent of its own streets (semi-major axis) */
    uint32_t host;            /* demo_loc whose grid it lies in (itself if has_grid) */
    uint32_t first_node, end_node;  /* its grid's road nodes */
    demo_u32s near;           /* road nodes serving it, nearest first */
    char name[96];
} demo_loc;

typedef struct demo_tags {
    uint8_t highway, maxspeed, oneway, oneway_bicycle, foot, bicycle, service;
    uint32_t name;
} demo_tags;

typedef struct demo_ctx {
    region_builder *b;
    fk_err *e;
    rng r;
    double scale;
    double lat0, lon0, kx, ky;    /* projection */
    double spacing_factor;        /* >1 when the grid budget is exceeded */
    VEC(demo_loc) locs;
    VEC(uint32_t) order;          /* locs by size, largest first */
    demo_index idx;               /* road nodes: point id == road node index */
    hmap_u64 node_at;             /* packed coordinate -> road node */
    hmap_u64 seg_set;             /* node pair -> 1 */
    VEC(uint32_t) node_street;    /* per road node: street name, 0 none */
    int32_t day0;                 /* 2022-10-17 */
} demo_ctx;

/* ------------------------------------------------------------ helpers */

static double demo_clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static demo_xy demo_proj(const demo_ctx *c, geo_point p)
{
    demo_xy q = {(geo_lon_deg(p) - c->lon0) * c->kx, (geo_lat_deg(p) - c->lat0) * c->ky};
    return q;
}

static geo_point demo_unproj(const demo_ctx *c, double x, double y)
{
    geo_point p;
    double lat = demo_clamp(c->lat0 + y / c->ky, -89.9, 89.9);
    double lon = demo_clamp(c->lon0 + x / c->kx, -179.9, 179.9);
    (void)geo_from_deg(lat, lon, &p);
    return p;
}

/* The point dx metres east and dy metres north of p. */
static geo_point demo_offset(geo_point p, double dx, double dy)
{
    double lat = geo_lat_deg(p), lon = geo_lon_deg(p);
    double cl = cos(lat * DEMO_PI / 180.0);
    if (cl < 0.01) cl = 0.01;
    geo_point q;
    lat = demo_clamp(lat + dy / DEMO_M_PER_DEG, -89.9, 89.9);
    lon = demo_clamp(lon + dx / (DEMO_M_PER_DEG * cl), -179.9, 179.9);
    (void)geo_from_deg(lat, lon, &q);
    return q;
}

static double demo_normal_clip(rng *r, double sd, double lim)
{
    return demo_clamp(rng_normal(r) * sd, -lim, lim);
}

/* Index i of a cumulative weight table cum[0..n) (cum[n-1] = total > 0). */
static size_t demo_pick_cum(rng *r, const double *cum, size_t n)
{
    double u = rng_unit(r) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] > u) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

static int demo_oom(demo_ctx *c)
{
    return err_set(c->e, FK_ENOMEM, "demo generator: out of memory");
}

/* Interns a formatted string; on failure sets *rc and returns 0. */
static uint32_t demo_strf(demo_ctx *c, int *rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static uint32_t demo_strf(demo_ctx *c, int *rc, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return rb_str(c->b, buf, rc);
}

/* ------------------------------------------------------------ spatial index */

static uint64_t demo_cell_key(int64_t ix, int64_t iy)
{
    return ((uint64_t)(uint32_t)(int32_t)ix << 32) | (uint32_t)(int32_t)iy;
}

/* Adds a point; its id is the number of points added before. */
static int demo_index_add(demo_index *x, demo_xy p)
{
    uint64_t key = demo_cell_key((int64_t)floor(p.x / x->cell_m), (int64_t)floor(p.y / x->cell_m));
    uint32_t id = (uint32_t)x->xy.n;
    uint32_t head = hmap_u64_get(&x->cells, key);
    if (vec_push(x->xy, p) || vec_push(x->next, head)) return FK_ENOMEM;
    return hmap_u64_put(&x->cells, key, id);
}

static void demo_index_free(demo_index *x)
{
    hmap_u64_free(&x->cells);
    vec_free(x->next);
    vec_free(x->xy);
}

typedef int (*demo_accept_fn)(void *ud, uint32_t id);

/* Nearest point to q accepted by fn (NULL accepts all), ties to the lower
 * id; DEMO_NONE when there is none. *d_out gets the projected distance. */
static uint32_t demo_index_nearest(const demo_index *x, demo_xy q, demo_accept_fn fn,
                                   void *ud, double *d_out)
{
    uint32_t best = DEMO_NONE;
    double bd = INFINITY;
    if (x->xy.n == 0) return DEMO_NONE;
    int64_t cx = (int64_t)floor(q.x / x->cell_m), cy = (int64_t)floor(q.y / x->cell_m);
    const int64_t max_ring = 64;
    int exact = 0;
    for (int64_t ring = 0; ring <= max_ring; ring++) {
        /* points not yet seen (rings >= ring) are at least (ring-1)*cell away */
        if (best != DEMO_NONE && bd <= (double)(ring - 1) * x->cell_m) {
            exact = 1;
            break;
        }
        for (int64_t dy = -ring; dy <= ring; dy++) {
            int64_t step = (dy == -ring || dy == ring) ? 1 : 2 * ring;
            for (int64_t dx = -ring; dx <= ring; dx += step ? step : 1) {
                uint32_t id = hmap_u64_get(&x->cells, demo_cell_key(cx + dx, cy + dy));
                for (; id != HMAP_NONE; id = x->next.v[id]) {
                    double d = hypot(x->xy.v[id].x - q.x, x->xy.v[id].y - q.y);
                    if (d > bd || (d == bd && id > best)) continue;
                    if (fn && !fn(ud, id)) continue;
                    bd = d;
                    best = id;
                }
                if (ring == 0) break;
            }
        }
    }
    if (!exact) {
        /* nothing close: a linear scan */
        for (uint32_t id = 0; id < x->xy.n; id++) {
            double d = hypot(x->xy.v[id].x - q.x, x->xy.v[id].y - q.y);
            if (d < bd && (!fn || fn(ud, id))) {
                bd = d;
                best = id;
            }
        }
    }
    if (d_out) *d_out = bd;
    return best;
}

typedef struct demo_hit {
    double d;
    uint32_t id;
} demo_hit;

static int demo_hit_cmp(const void *a, const void *b)
{
    const demo_hit *x = a, *y = b;
    if (x->d != y->d) return x->d < y->d ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Appends to *out the ids of points within r_max (and beyond r_min) of q,
 * nearest first (ties by id). 0 or FK_ENOMEM. */
static int demo_index_within(const demo_index *x, demo_xy q, double r_min, double r_max,
                             demo_u32s *out)
{
    VEC(demo_hit) hits = {0};
    int rc = 0;
    int64_t x0 = (int64_t)floor((q.x - r_max) / x->cell_m), x1 = (int64_t)floor((q.x + r_max) / x->cell_m);
    int64_t y0 = (int64_t)floor((q.y - r_max) / x->cell_m), y1 = (int64_t)floor((q.y + r_max) / x->cell_m);
    for (int64_t iy = y0; iy <= y1; iy++)
        for (int64_t ix = x0; ix <= x1; ix++)
            for (uint32_t id = hmap_u64_get(&x->cells, demo_cell_key(ix, iy)); id != HMAP_NONE;
                 id = x->next.v[id]) {
                double d = hypot(x->xy.v[id].x - q.x, x->xy.v[id].y - q.y);
                if (d > r_max || d < r_min) continue;
                demo_hit h = {d, id};
                if (vec_push(hits, h)) {
                    rc = FK_ENOMEM;
                    goto done;
                }
            }
    if (hits.n) qsort(hits.v, hits.n, sizeof *hits.v, demo_hit_cmp);
    if (vec_reserve(*out, out->n + hits.n)) {
        rc = FK_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < hits.n; i++) out->v[out->n++] = hits.v[i].id;
done:
    vec_free(hits);
    return rc;
}

/* ------------------------------------------------------------ road primitives */

/* The road node at p, created (and indexed) if there is none at exactly p.
 * street is the name used for addresses at that node (0 none). */
static int demo_node(demo_ctx *c, geo_point p, uint32_t street, uint32_t *out)
{
    uint64_t key = ((uint64_t)(uint32_t)p.lat_e7 << 32) | (uint32_t)p.lon_e7;
    uint32_t got = hmap_u64_get(&c->node_at, key);
    if (got != HMAP_NONE) {
        *out = got;
        return 0;
    }
    uint32_t id = (uint32_t)c->b->road_nodes.n;
    if (id == DEMO_NONE - 1) return err_set(c->e, FK_ETOOBIG, "demo generator: too many road nodes");
    if (vec_push(c->b->road_nodes, p) || vec_push(c->node_street, street) ||
        demo_index_add(&c->idx, demo_proj(c, p)) || hmap_u64_put(&c->node_at, key, id))
        return demo_oom(c);
    *out = id;
    return 0;
}

/* A segment a-b with tags t; duplicates (either direction) and a == b are
 * silently skipped. Nodes are distinct points, so length_dm >= 1. */
static int demo_seg(demo_ctx *c, uint32_t a, uint32_t b, const demo_tags *t)
{
    if (a == b) return 0;
    uint64_t key = a < b ? ((uint64_t)a << 32 | b) : ((uint64_t)b << 32 | a);
    if (hmap_u64_get(&c->seg_set, key) != HMAP_NONE) return 0;
    if (hmap_u64_put(&c->seg_set, key, 1)) return demo_oom(c);
    region_road *rd = vec_add(c->b->roads);
    if (!rd) return demo_oom(c);
    double d = geo_dist_m(c->b->road_nodes.v[a], c->b->road_nodes.v[b]);
    long dm = lround(d * 10.0);
    rd->from = a;
    rd->to = b;
    rd->length_dm = dm < 1 ? 1 : dm > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)dm;
    rd->name = t->name;
    rd->highway = t->highway;
    rd->oneway = t->oneway;
    rd->oneway_bicycle = t->oneway_bicycle;
    rd->access = ACC_UNSET;
    rd->foot = t->foot;
    rd->bicycle = t->bicycle;
    rd->motor_vehicle = ACC_UNSET;
    rd->maxspeed_kmh = t->maxspeed;
    rd->service = t->service;
    rd->flags = ROAD_F_GENERATED;
    return 0;
}

static demo_tags demo_tag(uint8_t highway, uint8_t maxspeed, uint32_t name)
{
    demo_tags t = {highway, maxspeed, ONEWAY_NO, ONEWAY_UNSET, ACC_UNSET, ACC_UNSET,
                   SERVICE_NONE, name};
    return t;
}

/* A road from node a to node b with intermediate nodes about every
 * spacing_m metres, bending gently (curve: amplitude as a share of the
 * length). */
static int demo_polyline(demo_ctx *c, uint32_t a, uint32_t b, double spacing_m,
                         double curve, const demo_tags *t)
{
    demo_xy pa = c->idx.xy.v[a], pb = c->idx.xy.v[b];
    double dx = pb.x - pa.x, dy = pb.y - pa.y;
    double d = hypot(dx, dy);
    long n = d > 0 ? lround(d / spacing_m) : 1;
    if (n < 1) n = 1;
    if (n > 100000) n = 100000;
    double a1 = demo_normal_clip(&c->r, curve * d, fmin(0.12 * d, 3000.0));
    double a2 = demo_normal_clip(&c->r, 0.3 * curve * d, fmin(0.04 * d, 800.0));
    double px = d > 0 ? -dy / d : 0, py = d > 0 ? dx / d : 0;
    uint32_t prev = a;
    for (long k = 1; k < n; k++) {
        double tt = (double)k / (double)n;
        double off = a1 * sin(DEMO_PI * tt) + a2 * sin(2 * DEMO_PI * tt) +
                     demo_normal_clip(&c->r, 8.0, 25.0);
        geo_point p = demo_unproj(c, pa.x + tt * dx + px * off, pa.y + tt * dy + py * off);
        uint32_t id;
        int rc = demo_node(c, p, 0, &id);
        if (!rc) rc = demo_seg(c, prev, id, t);
        if (rc) return rc;
        prev = id;
    }
    return demo_seg(c, prev, b, t);
}

/* ------------------------------------------------------------ fictional geography */

typedef struct demo_fxy {
    double x, y;
} demo_fxy;

/* Builds the fictional region: four kommuner tiling a 2x2 lattice whose
 * shared borders are the same jittered polylines, 4-5 localities each, and
 * a few bus stops per locality (when the builder has none). */
static int demo_fictional(demo_ctx *c)
{
    region_builder *b = c->b;
    int rc = 0;
    const geo_point centre = {659500000, 190500000};   /* about 65.95 N, 19.05 E */
    const int want_locs = b->localities.n == 0, want_stops = b->stops.n == 0;
    demo_fxy lat[3][3];       /* lattice vertices, metres from centre */
    demo_fxy hedge[3][2][9];  /* horizontal edges [row][col] */
    demo_fxy vedge[2][3][9];  /* vertical edges [row][col] */

    for (int iy = 0; iy < 3; iy++)
        for (int ix = 0; ix < 3; ix++) {
            double jx = (ix == 1 ? 6000 : 3000), jy = (iy == 1 ? 6000 : 3000);
            lat[iy][ix].x = (ix - 1) * 55000.0 + rng_range(&c->r, -jx, jx);
            lat[iy][ix].y = (iy - 1) * 45000.0 + rng_range(&c->r, -jy, jy);
        }
    for (int e = 0; e < 12; e++) {
        int horiz = e < 6;
        int row = horiz ? e / 2 : (e - 6) / 3, col = horiz ? e % 2 : (e - 6) % 3;
        demo_fxy p0 = lat[row][col];
        demo_fxy p1 = horiz ? lat[row][col + 1] : lat[row + 1][col];
        demo_fxy *pts = horiz ? hedge[row][col] : vedge[row][col];
        double dx = p1.x - p0.x, dy = p1.y - p0.y, len = hypot(dx, dy);
        double prev_off = 0;
        for (int k = 0; k < 9; k++) {
            double t = k / 8.0;
            double off = (k == 0 || k == 8) ? 0 : 0.6 * prev_off + rng_range(&c->r, -2500, 2500);
            prev_off = off;
            pts[k].x = p0.x + t * dx - dy / len * off;
            pts[k].y = p0.y + t * dy + dx / len * off;
        }
    }

    geo_point seats[4];
    for (int q = 0; q < 4; q++) {
        int cx = q % 2, cy = q / 2;
        region_area *a;
        region_ring *rg;
        uint32_t first_point = (uint32_t)b->ring_points.n;
        /* counter-clockwise: bottom, right, top reversed, left reversed */
        for (int side = 0; side < 4; side++)
            for (int k = 0; k < 8; k++) {
                demo_fxy p = side == 0 ? hedge[cy][cx][k]
                           : side == 1 ? vedge[cy][cx + 1][k]
                           : side == 2 ? hedge[cy + 1][cx][8 - k]
                                       : vedge[cy][cx][8 - k];
                if (vec_push(b->ring_points, demo_offset(centre, p.x, p.y))) return demo_oom(c);
            }
        const geo_point *ring = b->ring_points.v + first_point;
        geo_point ctr = geo_ring_centroid(ring, 32);
        for (int tries = 0; tries < 50; tries++) {
            seats[q] = demo_offset(ctr, rng_range(&c->r, -5000, 5000), rng_range(&c->r, -5000, 5000));
            if (geo_ring_contains(ring, 32, seats[q])) break;
            seats[q] = ctr;
        }
        if (!(rg = vec_add(b->rings))) return demo_oom(c);
        rg->first_point = first_point;
        rg->n_points = 32;
        rg->role = RING_OUTER;
        if (!(a = vec_add(b->areas))) return demo_oom(c);
        a->code = demo_strf(c, &rc, "%u", 9901u + (unsigned)q);
        a->name = demo_strf(c, &rc, "Fiktiva %s kommun (fictional)", demo_fict_kommuner[q]);
        a->first_ring = (uint32_t)(b->rings.n - 1);
        a->n_rings = 1;
        a->bbox = geo_bbox_empty();
        for (uint32_t k = 0; k < 32; k++) geo_bbox_add(&a->bbox, b->ring_points.v[first_point + k]);
        a->centre = seats[q];
        a->kommun_code = (uint16_t)(9901 + q);
        a->level = 0;
        a->flags = REGION_F_GENERATED;
        if (rc) return demo_oom(c);
    }
    c->b->gen_flags |= REGION_GEN_AREAS;
    if (!b->name[0]) {
        snprintf(b->name, sizeof b->name, "Fiktiva regionen (fictional demo region)");
        (void)rb_str(b, b->name, &rc);
        if (rc) return demo_oom(c);
    }
    if (!want_locs) return 0;

    /* localities: the seat, then 3-4 villages per kommun */
    uint32_t village = rng_below(&c->r, 24);
    size_t first_loc = b->localities.n;
    for (int q = 0; q < 4; q++) {
        const region_area *a = &b->areas.v[b->areas.n - 4 + (size_t)q];
        const region_ring *rg = &b->rings.v[a->first_ring];
        int n_villages = 3 + (int)rng_below(&c->r, 2);
        for (int k = 0; k <= n_villages; k++) {
            geo_point p = seats[q];
            int ok = k == 0;
            for (int tries = 0; !ok && tries < 400; tries++) {
                p.lat_e7 = a->bbox.min_lat_e7 +
                           (int32_t)rng_below(&c->r, (uint32_t)(a->bbox.max_lat_e7 - a->bbox.min_lat_e7));
                p.lon_e7 = a->bbox.min_lon_e7 +
                           (int32_t)rng_below(&c->r, (uint32_t)(a->bbox.max_lon_e7 - a->bbox.min_lon_e7));
                ok = 1;
                /* keep 4 km inside the border and 7 km from other localities */
                for (int dir = 0; ok && dir < 4; dir++) {
                    geo_point m = demo_offset(p, dir == 0 ? 4000 : dir == 1 ? -4000 : 0,
                                              dir == 2 ? 4000 : dir == 3 ? -4000 : 0);
                    if (!geo_ring_contains(b->ring_points.v + rg->first_point, rg->n_points, m)) ok = 0;
                }
                for (size_t i = first_loc; ok && i < b->localities.n; i++)
                    if (geo_dist_m(b->localities.v[i].pos, p) < 7000) ok = 0;
            }
            if (!ok) continue;
            region_locality *l = vec_add(b->localities);
            if (!l) return demo_oom(c);
            l->pos = p;
            l->name = rb_str(b, k == 0 ? demo_fict_kommuner[q] : demo_fict_villages[village++ % 24], &rc);
            l->population = k == 0 ? (q == 0 ? 9000 + rng_below(&c->r, 4000) : 1800 + rng_below(&c->r, 3000))
                                   : (uint32_t)exp(rng_range(&c->r, log(80.0), log(1500.0)));
            l->kommun_code = a->kommun_code;
            l->flags = REGION_F_GENERATED;
            if (rc) return demo_oom(c);
        }
    }
    if (!want_stops) return 0;

    /* a few bus stops in each locality; no timetable */
    uint32_t n_stop = 0;
    for (size_t i = first_loc; i < b->localities.n; i++) {
        region_locality l = b->localities.v[i];
        char lname[96];
        snprintf(lname, sizeof lname, "%s", b->strings.data + l.name);
        int n = 1 + (l.population >= 1000) + (int)(l.population / 3000);
        if (n > 8) n = 8;
        double rad = 150 + 10 * sqrt((double)l.population);
        for (int k = 0; k < n; k++) {
            region_stop *s = vec_add(b->stops);
            if (!s) return demo_oom(c);
            double ang = rng_range(&c->r, 0, 2 * DEMO_PI);
            double dist = k == 0 ? rng_range(&c->r, 30, 120) : rng_range(&c->r, 0.3, 0.9) * rad;
            s->pos = demo_offset(l.pos, dist * cos(ang), dist * sin(ang));
            s->gtfs_id = demo_strf(c, &rc, "demo-stop-%03u", n_stop++);
            if (k == 0)
                s->name = demo_strf(c, &rc, "%s %s", lname, l.population >= 5000 ? "busstation" : "centrum");
            else
                s->name = demo_strf(c, &rc, "%s %s", lname, demo_stop_words[(k - 1) % 6]);
            s->platform_code = 0;
            s->parent = REGION_NONE;
            s->flags = REGION_F_GENERATED;
            if (rc) return demo_oom(c);
        }
    }
    c->b->gen_flags |= REGION_GEN_TRANSIT;
    return 0;
}

/* One locality at the centre of each kommun, for a builder with kommun
 * areas but no localities. */
static int demo_localities_from_areas(demo_ctx *c)
{
    region_builder *b = c->b;
    for (size_t i = 0; i < b->areas.n; i++) {
        region_area a = b->areas.v[i];
        if (a.level != 0) continue;
        region_locality *l = vec_add(b->localities);
        if (!l) return demo_oom(c);
        l->pos = a.centre;
        l->name = a.name;
        l->kommun_code = a.kommun_code;
        l->flags = REGION_F_GENERATED;
        b->gen_flags |= REGION_GEN_AREAS;
    }
    return 0;
}

/* ------------------------------------------------------------ localities */

static int demo_name_is_seat(const char *area, const char *loc)
{
    size_t n = strlen(loc);
    if (!n) return 0;
    if (strncmp(area, "Fiktiva ", 8) == 0) area += 8;
    if (strncmp(area, loc, n) != 0) return 0;
    const char *rest = area + n;
    return *rest == 0 || strncmp(rest, " kommun", 7) == 0 || strncmp(rest, "s kommun", 8) == 0;
}

static uint32_t demo_anchor_pop(uint16_t code)
{
    for (size_t i = 0; i < sizeof demo_anchor / sizeof demo_anchor[0]; i++)
        if (demo_anchor[i].code == code) return demo_anchor[i].pop;
    return 0;
}

/* Largest first, ties by index: a total order, so qsort is deterministic. */
static int demo_size_cmp(const void *a, const void *b)
{
    const demo_hit *x = a, *y = b;
    if (x->d != y->d) return x->d > y->d ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Kommun code for generated records at p: the kommun containing p, else
 * the given code, else the kommun whose bounding box is nearest (coastal
 * points fall outside simplified polygons). 0 without kommuner. */
static uint16_t demo_kommun_near(const region_builder *b, geo_point p, uint16_t given)
{
    uint16_t kc = region_builder_kommun_at(b, p);
    if (kc) return kc;
    if (given) return given;
    double best = INFINITY;
    for (size_t i = 0; i < b->areas.n; i++) {
        const region_area *a = &b->areas.v[i];
        if (a->level != 0 || geo_bbox_is_empty(&a->bbox)) continue;
        geo_point q = p;
        if (q.lat_e7 < a->bbox.min_lat_e7) q.lat_e7 = a->bbox.min_lat_e7;
        if (q.lat_e7 > a->bbox.max_lat_e7) q.lat_e7 = a->bbox.max_lat_e7;
        if (q.lon_e7 < a->bbox.min_lon_e7) q.lon_e7 = a->bbox.min_lon_e7;
        if (q.lon_e7 > a->bbox.max_lon_e7) q.lon_e7 = a->bbox.max_lon_e7;
        double d = geo_dist_m(p, q);
        if (d < best) {
            best = d;
            kc = a->kommun_code;
        }
    }
    return kc;
}

/* Sets up the projection and one demo_loc per locality: kommun, seat,
 * size, radius, and which localities own a street grid. */
static int demo_locs_init(demo_ctx *c)
{
    region_builder *b = c->b;
    int rc = 0;
    demo_index stops = {0};
    stops.cell_m = 1000.0;
    demo_u32s hits = {0};

    /* projection centre: mean of localities, else stops, else 65.6 N 22.1 E */
    double slat = 0, slon = 0;
    size_t n = 0;
    for (size_t i = 0; i < b->localities.n; i++, n++) {
        slat += geo_lat_deg(b->localities.v[i].pos);
        slon += geo_lon_deg(b->localities.v[i].pos);
    }
    for (size_t i = 0; n == 0 && i < b->stops.n; i++) {
        slat += geo_lat_deg(b->stops.v[i].pos);
        slon += geo_lon_deg(b->stops.v[i].pos);
        if (i + 1 == b->stops.n) n = b->stops.n;
    }
    c->lat0 = n ? slat / (double)n : 65.6;
    c->lon0 = n ? slon / (double)n : 22.1;
    c->ky = DEMO_M_PER_DEG;
    c->kx = DEMO_M_PER_DEG * fmax(0.05, cos(c->lat0 * DEMO_PI / 180.0));

    for (size_t i = 0; i < b->stops.n; i++)
        if (demo_index_add(&stops, demo_proj(c, b->stops.v[i].pos))) goto oom;

    if (vec_reserve(c->locs, b->localities.n) || vec_reserve(c->order, b->localities.n)) goto oom;
    double grid_segments = 0;
    for (size_t i = 0; i < b->localities.n; i++) {
        const region_locality *l = &b->localities.v[i];
        demo_loc *L = vec_add(c->locs);
        if (!L) goto oom;
        L->pos = l->pos;
        L->src = (uint32_t)i;
        L->host = (uint32_t)i;
        snprintf(L->name, sizeof L->name, "%s", b->strings.data + l->name);
        L->kommun = demo_kommun_near(b, l->pos, l->kommun_code);
        for (size_t k = 0; k < b->areas.n; k++) {
            const region_area *a = &b->areas.v[k];
            if (a->level == 0 && demo_name_is_seat(b->strings.data + a->name, L->name)) {
                L->seat = 1;
                if (!L->kommun) L->kommun = a->kommun_code;
                break;
            }
        }
        /* size: real population, else stops within 2 km and seat status */
        hits.n = 0;
        if (demo_index_within(&stops, demo_proj(c, l->pos), 0, 2000.0 * 1.05, &hits)) goto oom;
        size_t s2 = 0;
        for (size_t k = 0; k < hits.n; k++)
            if (geo_dist_m(b->stops.v[hits.v[k]].pos, l->pos) <= 2000.0) s2++;
        if (l->population > 0) {
            L->pop = l->population;
        } else {
            double est = 100.0 + 25.0 * pow((double)s2, 1.2);
            if (L->seat) {
                uint32_t anchor = demo_anchor_pop(L->kommun);
                L->pop = anchor ? fmax(est, 0.6 * anchor) : fmax(est * 1.5, 1500.0);
            } else {
                L->pop = fmin(est, 8000.0);
            }
        }
        L->radius_m = demo_clamp(150.0 + 14.0 * sqrt(L->pop), 250.0, 6000.0);
        double s = (L->pop >= 20000 ? 115.0 : L->pop >= 3000 ? 135.0 : 160.0) / c->scale;
        grid_segments += 2.0 * DEMO_PI * L->radius_m * L->radius_m / 1.35 / (s * s);
        c->order.v[c->order.n++] = (uint32_t)i;
    }
    c->spacing_factor = grid_segments > DEMO_SEG_BUDGET ? sqrt(grid_segments / DEMO_SEG_BUDGET) : 1.0;

    if (c->order.n) {
        demo_hit *keys = mem_alloc(c->order.n * sizeof *keys);
        if (!keys) goto oom;
        for (size_t i = 0; i < c->order.n; i++) {
            keys[i].d = c->locs.v[i].pop;
            keys[i].id = (uint32_t)i;
        }
        qsort(keys, c->order.n, sizeof *keys, demo_size_cmp);
        for (size_t i = 0; i < c->order.n; i++) c->order.v[i] = keys[i].id;
        mem_free(keys);
    }

    /* grids: a locality inside a bigger grid shares it; one near a bigger
     * grid gets a smaller grid that does not overlap */
    for (size_t k = 0; k < c->order.n; k++) {
        demo_loc *L = &c->locs.v[c->order.v[k]];
        L->has_grid = 1;
        double ext = 1.25 * L->radius_m;
        for (size_t g = 0; g < k; g++) {
            demo_loc *G = &c->locs.v[c->order.v[g]];
            if (!G->has_grid) continue;
            double d = geo_dist_m(G->pos, L->pos), gext = 1.25 * G->radius_m;
            if (d < 0.9 * gext) {
                L->has_grid = 0;
                L->host = c->order.v[g];
                break;
            }
            if (d < gext + ext + 150.0) {
                ext = d - gext - 150.0;
                if (ext < 250.0) {
                    L->has_grid = 0;
                    L->host = c->order.v[g];
                    break;
                }
            }
        }
        if (L->has_grid) L->radius_m = fmin(L->radius_m, ext / 1.25);
    }
    goto done;
oom:
    rc = demo_oom(c);
done:
    vec_free(hits);
    demo_index_free(&stops);
    return rc;
}

/* ------------------------------------------------------------ streets */

/* Street name number k of a locality: unique stems in a permuted order,
 * "gatan" in town centres, "vägen" elsewhere, other suffixes once the 64
 * stems are used up. */
static uint32_t demo_street_name(demo_ctx *c, uint32_t perm_a, uint32_t perm_b, uint32_t k,
                                 int central, int *rc)
{
    const char *stem = demo_street_stems[(perm_a * k + perm_b) % 64];
    const char *suf = k >= 64 ? demo_street_alt[(k / 64 - 1) % 4] : central ? "gatan" : "vägen";
    return demo_strf(c, rc, "%s%s", stem, suf);
}

/* Tags of a grid street segment. rr: elliptic radius (0 centre, 1 edge) at
 * its midpoint; row: 1 for a row (along the main street), 0 for a column;
 * line: the row or column number; pos: position along it. */
static demo_tags demo_street_tags(demo_ctx *c, double pop, int row, long line, long pos,
                                  double rr, uint32_t name)
{
    demo_tags t = demo_tag(HW_RESIDENTIAL,
                           pop >= 3000 ? (rr < 0.5 ? 30 : 40) : pop >= 500 ? 40 : 50, name);
    double u = rng_unit(&c->r);
    if (line == 0 && (row || pop >= 3000)) {
        /* the main street, and the cross street in towns */
        t.highway = row ? (pop >= 3000 ? HW_SECONDARY : HW_TERTIARY) : HW_TERTIARY;
        t.maxspeed = pop >= 10000 && rr < 0.35 ? 40 : 50;
    } else if (row && pop >= 8000 && line == 1 && pos >= -2 && pos < 2) {
        t.highway = HW_PEDESTRIAN;
        t.maxspeed = 0;
    } else if (row && pop >= 5000 && (line == 2 || line == -2 || line == 3) && rr < 0.35) {
        t.oneway = line > 0 ? ONEWAY_FORWARD : ONEWAY_REVERSE;
        t.oneway_bicycle = (line & 1) ? ONEWAY_NO : ONEWAY_UNSET;
    } else if (rr > 0.6 && u < 0.05) {
        t.highway = HW_SERVICE;
        t.maxspeed = 30;
        t.name = 0;
    } else if (pop >= 2000 && rr > 0.25 && rr < 0.9 && u > 0.96) {
        t.highway = HW_LIVING_STREET;
        t.maxspeed = 7;   /* maxspeed=walk (gångfart) */
    }
    return t;
}

/* The street grid of locality li: rotated, elliptic with a ragged edge,
 * jittered, with missing blocks, a main street, diagonals and paths. */
static int demo_grid(demo_ctx *c, uint32_t li)
{
    int rc = 0;
    uint32_t *ids = NULL, *row_names = NULL, *col_names = NULL;
    demo_loc *L = &c->locs.v[li];
    const double pop = L->pop;
    const double ra = L->radius_m;
    const double rb = ra / rng_range(&c->r, 1.0, 1.7);
    double s = (pop >= 20000 ? 115.0 : pop >= 3000 ? 135.0 : 160.0) *
               rng_range(&c->r, 0.9, 1.1) * c->spacing_factor / c->scale;
    if (s < 40.0) s = 40.0;
    const double theta = rng_range(&c->r, 0, DEMO_PI);
    const double ph1 = rng_range(&c->r, 0, 2 * DEMO_PI), ph2 = rng_range(&c->r, 0, 2 * DEMO_PI);
    const long nx = (long)ceil(ra * 1.3 / s), ny = (long)ceil(rb * 1.3 / s);
    const long w = 2 * nx + 1, h = 2 * ny + 1;
    const long runlen = 6 + (long)rng_below(&c->r, 8);
    const long nruns_x = w / runlen + 2, nruns_y = h / runlen + 2;
    const uint32_t perm_a = 2 * rng_below(&c->r, 32) + 1, perm_b = rng_below(&c->r, 64);
    uint32_t name_k = 0;
    const double ct = cos(theta), st = sin(theta);
    size_t cells;

    if (mem_mul_ok((size_t)w, (size_t)h, &cells) || cells > 4000000)
        return err_set(c->e, FK_ETOOBIG, "demo generator: street grid of %s too large", L->name);
    ids = mem_alloc(cells * sizeof *ids);
    row_names = mem_calloc((size_t)h * (size_t)nruns_x, sizeof *row_names);
    col_names = mem_calloc((size_t)w * (size_t)nruns_y, sizeof *col_names);
    if (!ids || !row_names || !col_names) goto oom;
    for (size_t k = 0; k < cells; k++) ids[k] = DEMO_NONE;

    uint32_t main_name = rb_str(c->b, pop >= 1500 ? "Storgatan" : "Byvägen", &rc);
    uint32_t cross_name = rb_str(c->b, "Kyrkogatan", &rc);
    if (rc) goto oom;
    L->first_node = (uint32_t)c->b->road_nodes.n;

#define ID(i, j) ids[((j) + ny) * w + ((i) + nx)]
#define RUN_X(i, j) (((i) + nx + (((j) + ny) * 3) % runlen) / runlen)
#define RUN_Y(i, j) (((j) + ny + (((i) + nx) * 5) % runlen) / runlen)
    for (long j = -ny; j <= ny; j++)
        for (long i = -nx; i <= nx; i++) {
            double ju = rng_normal(&c->r) * 0.1 * s, jv = rng_normal(&c->r) * 0.1 * s;
            double hole = rng_unit(&c->r);
            if (j == 0) jv *= 0.3;
            if (i == 0) ju *= 0.3;
            double u = (double)i * s + ju, v = (double)j * s + jv;
            double rr = hypot(u / ra, v / rb);
            double ang = atan2(v / rb, u / ra);
            double lim = 1.0 + 0.16 * sin(2 * ang + ph1) + 0.09 * sin(3 * ang + ph2);
            if (!(i == 0 && j == 0)) {
                if (rr > lim) continue;
                if (i != 0 && j != 0 && rr > 0.15 && hole < 0.06) continue;
            }
            uint32_t *rn = &row_names[(j + ny) * nruns_x + RUN_X(i, j)];
            if (j == 0) {
                *rn = main_name;
            } else if (!*rn) {
                *rn = demo_street_name(c, perm_a, perm_b, name_k++,
                                       pop >= 1500 && fabs(v) < 0.4 * rb, &rc);
                if (rc) goto oom;
            }
            geo_point p = demo_offset(L->pos, u * ct - v * st, u * st + v * ct);
            if ((rc = demo_node(c, p, *rn, &ID(i, j)))) goto done;
        }
    L->end_node = (uint32_t)c->b->road_nodes.n;

    /* rows (along the main street) and columns */
    for (long j = -ny; j <= ny; j++)
        for (long i = -nx; i < nx; i++) {
            if (ID(i, j) == DEMO_NONE || ID(i + 1, j) == DEMO_NONE) continue;
            double rr = hypot(((double)i + 0.5) * s / ra, (double)j * s / rb);
            demo_tags t = demo_street_tags(c, pop, 1, j, i, rr,
                                           row_names[(j + ny) * nruns_x + RUN_X(i, j)]);
            if ((rc = demo_seg(c, ID(i, j), ID(i + 1, j), &t))) goto done;
        }
    for (long i = -nx; i <= nx; i++)
        for (long j = -ny; j < ny; j++) {
            if (ID(i, j) == DEMO_NONE || ID(i, j + 1) == DEMO_NONE) continue;
            uint32_t *cn = &col_names[(i + nx) * nruns_y + RUN_Y(i, j)];
            if (i == 0 && pop >= 3000) {
                *cn = cross_name;
            } else if (!*cn) {
                *cn = demo_street_name(c, perm_a, perm_b, name_k++,
                                       pop >= 1500 && fabs((double)i * s) < 0.4 * ra, &rc);
                if (rc) goto oom;
            }
            double rr = hypot((double)i * s / ra, ((double)j + 0.5) * s / rb);
            demo_tags t = demo_street_tags(c, pop, 0, i, j, rr, *cn);
            if ((rc = demo_seg(c, ID(i, j), ID(i, j + 1), &t))) goto done;
        }

    /* diagonals, all in one direction so that none cross: a few roads,
     * cycleways (gång- och cykelväg) and short footways through blocks */
    {
        const long dd = rng_unit(&c->r) < 0.5 ? 1 : -1;
        int n_road = (pop >= 1000) + (pop >= 10000);
        int n_cycle = pop >= 2000 ? (int)fmin(4.0, 1.0 + pop / 15000.0) : 0;
        int n_foot = pop >= 2000 ? 2 + (int)rng_below(&c->r, 3) : 0;
        for (int k = 0; k < n_road + n_cycle + n_foot; k++) {
            demo_tags t;
            long len;
            if (k < n_road) {
                t = demo_tag(HW_RESIDENTIAL, 40,
                             demo_street_name(c, perm_a, perm_b, name_k++, 0, &rc));
                if (rc) goto oom;
                len = 4 + (long)rng_below(&c->r, 8);
            } else if (k < n_road + n_cycle) {
                t = demo_tag(HW_CYCLEWAY, 0, 0);
                t.foot = ACC_DESIGNATED;
                t.bicycle = ACC_DESIGNATED;
                len = 3 + (long)rng_below(&c->r, 8);
            } else {
                t = demo_tag(HW_FOOTWAY, 0, 0);
                len = 1 + (long)rng_below(&c->r, 3);
            }
            for (int tries = 0; tries < 20; tries++) {
                long i0 = -nx + (long)rng_below(&c->r, (uint32_t)(w - 1));
                long j0 = -ny + (long)rng_below(&c->r, (uint32_t)h);
                long made = 0;
                for (long m = 0; m < len; m++) {
                    long i = i0 + m, j = j0 + m * dd;
                    if (i + 1 > nx || j < -ny || j > ny || j + dd < -ny || j + dd > ny) break;
                    if (ID(i, j) == DEMO_NONE || ID(i + 1, j + dd) == DEMO_NONE) break;
                    if ((rc = demo_seg(c, ID(i, j), ID(i + 1, j + dd), &t))) goto done;
                    made++;
                }
                if (made) break;
            }
        }
    }
#undef ID
#undef RUN_X
#undef RUN_Y
    goto done;
oom:
    rc = demo_oom(c);
done:
    mem_free(ids);
    mem_free(row_names);
    mem_free(col_names);
    return rc;
}

/* The node of locality L's grid farthest along the direction to q. */
static uint32_t demo_exit_node(const demo_ctx *c, const demo_loc *L, demo_xy q)
{
    demo_xy o = demo_proj(c, L->pos);
    double dx = q.x - o.x, dy = q.y - o.y, dl = hypot(dx, dy);
    uint32_t best = L->first_node;
    double bv = -INFINITY;
    if (L->end_node <= L->first_node)
        return demo_index_nearest(&c->idx, o, NULL, NULL, NULL);
    if (dl <= 0) return best;
    for (uint32_t n = L->first_node; n < L->end_node; n++) {
        double v = ((c->idx.xy.v[n].x - o.x) * dx + (c->idx.xy.v[n].y - o.y) * dy) / dl;
        if (v > bv) {
            bv = v;
            best = n;
        }
    }
    return best;
}

/* Whether segments p1-p2 and q1-q2 cross properly (not at an endpoint). */
static int demo_cross(demo_xy p1, demo_xy p2, demo_xy q1, demo_xy q2)
{
    double d1 = (q2.x - q1.x) * (p1.y - q1.y) - (q2.y - q1.y) * (p1.x - q1.x);
    double d2 = (q2.x - q1.x) * (p2.y - q1.y) - (q2.y - q1.y) * (p2.x - q1.x);
    double d3 = (p2.x - p1.x) * (q1.y - p1.y) - (p2.y - p1.y) * (q1.x - p1.x);
    double d4 = (p2.x - p1.x) * (q2.y - p1.y) - (p2.y - p1.y) * (q2.x - p1.x);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

typedef struct demo_link {
    uint32_t a, b;   /* demo_loc indices */
} demo_link;

#define DEMO_MAX_PATH_LOCS 600   /* above this, classes come from endpoints only */

/* Road classes from through traffic: every link on the shortest path (over
 * the links, straight-line lengths) between two kommun seats at most
 * 250 km apart is at least primary, trunk when both seats have 10 000
 * inhabitants or more. Fills (*level)[k] (0-3) and (*route)[k] (the number
 * of the seat pair that set it, or DEMO_NONE); caller frees both. */
static int demo_link_classes(demo_ctx *c, const demo_u32s *g, const demo_link *links,
                             size_t n_links, uint8_t **level, uint32_t **route)
{
    int rc = 0;
    size_t n = g->n;
    uint32_t *pos = NULL, *prev_link = NULL, *adj_first = NULL, *adj = NULL;
    double *dist = NULL;
    uint8_t *done = NULL;
    uint32_t n_routes = 0;
    *level = mem_calloc(n_links ? n_links : 1, 1);
    *route = mem_alloc((n_links ? n_links : 1) * sizeof **route);
    if (!*level || !*route) goto oom;
    for (size_t k = 0; k < n_links; k++) (*route)[k] = DEMO_NONE;
    if (n > DEMO_MAX_PATH_LOCS || n_links == 0) return 0;
    pos = mem_alloc(c->locs.n * sizeof *pos);
    prev_link = mem_alloc(n * sizeof *prev_link);
    adj_first = mem_calloc(n + 1, sizeof *adj_first);
    adj = mem_alloc(2 * n_links * sizeof *adj);
    dist = mem_alloc(n * sizeof *dist);
    done = mem_alloc(n);
    if (!pos || !prev_link || !adj_first || !adj || !dist || !done) goto oom;
    for (size_t i = 0; i < c->locs.n; i++) pos[i] = DEMO_NONE;
    for (size_t i = 0; i < n; i++) pos[g->v[i]] = (uint32_t)i;
    /* adjacency (link ids) in CSR form */
    for (size_t k = 0; k < n_links; k++) {
        adj_first[pos[links[k].a] + 1]++;
        adj_first[pos[links[k].b] + 1]++;
    }
    for (size_t i = 0; i < n; i++) adj_first[i + 1] += adj_first[i];
    {
        uint32_t *fill = mem_calloc(n, sizeof *fill);
        if (!fill) goto oom;
        for (size_t k = 0; k < n_links; k++) {
            uint32_t a = pos[links[k].a], b = pos[links[k].b];
            adj[adj_first[a] + fill[a]++] = (uint32_t)k;
            adj[adj_first[b] + fill[b]++] = (uint32_t)k;
        }
        mem_free(fill);
    }
    for (size_t s = 0; s < n; s++) {
        const demo_loc *S = &c->locs.v[g->v[s]];
        if (!S->seat) continue;
        /* Dijkstra from s (dense: n is small) */
        for (size_t i = 0; i < n; i++) {
            dist[i] = INFINITY;
            done[i] = 0;
            prev_link[i] = DEMO_NONE;
        }
        dist[s] = 0;
        for (size_t it = 0; it < n; it++) {
            size_t u = n;
            for (size_t i = 0; i < n; i++)
                if (!done[i] && dist[i] < INFINITY && (u == n || dist[i] < dist[u])) u = i;
            if (u == n) break;
            done[u] = 1;
            for (uint32_t e = adj_first[u]; e < adj_first[u + 1]; e++) {
                const demo_link *l = &links[adj[e]];
                size_t v = pos[l->a] == u ? pos[l->b] : pos[l->a];
                double d = dist[u] + geo_dist_m(c->locs.v[l->a].pos, c->locs.v[l->b].pos);
                if (d < dist[v]) {
                    dist[v] = d;
                    prev_link[v] = adj[e];
                }
            }
        }
        for (size_t t = s + 1; t < n; t++) {
            const demo_loc *T = &c->locs.v[g->v[t]];
            if (!T->seat || dist[t] == INFINITY || geo_dist_m(S->pos, T->pos) > 250000.0) continue;
            uint8_t lv = fmin(S->pop, T->pop) >= 10000 ? 3 : 2;
            uint32_t id = n_routes++;
            for (size_t v = t; v != s && prev_link[v] != DEMO_NONE;) {
                uint32_t k = prev_link[v];
                if (lv > (*level)[k]) {
                    (*level)[k] = lv;
                    (*route)[k] = id;
                }
                v = pos[links[k].a] == v ? pos[links[k].b] : pos[links[k].a];
            }
        }
    }
    goto done;
oom:
    rc = demo_oom(c);
done:
    mem_free(pos);
    mem_free(prev_link);
    mem_free(adj_first);
    mem_free(adj);
    mem_free(dist);
    mem_free(done);
    return rc;
}

/* Roads between localities: a minimum spanning tree over the localities
 * with a grid, plus links to each one's two nearest neighbours (up to
 * 60 km, never crossing an earlier link), classed by the sizes they join. */
static int demo_links(demo_ctx *c)
{
    int rc = 0;
    demo_u32s g = {0};
    VEC(demo_link) links = {0};
    double *best = NULL;
    uint32_t *parent = NULL;
    uint8_t *in = NULL;
    uint8_t *level = NULL;
    uint32_t *route = NULL;
    hmap_u64 pairs = {0};

    for (size_t k = 0; k < c->order.n; k++)
        if (c->locs.v[c->order.v[k]].has_grid && vec_push(g, c->order.v[k])) goto oom;
    size_t n = g.n;
    if (n < 2) goto done;
    best = mem_alloc(n * sizeof *best);
    parent = mem_alloc(n * sizeof *parent);
    in = mem_calloc(n, 1);
    if (!best || !parent || !in) goto oom;
    for (size_t i = 0; i < n; i++) {
        best[i] = INFINITY;
        parent[i] = DEMO_NONE;
    }
    best[0] = 0;
    for (size_t it = 0; it < n; it++) {
        size_t u = n;
        for (size_t i = 0; i < n; i++)
            if (!in[i] && (u == n || best[i] < best[u])) u = i;
        in[u] = 1;
        if (parent[u] != DEMO_NONE) {
            demo_link l = {g.v[parent[u]], g.v[u]};
            if (vec_push(links, l)) goto oom;
            uint32_t x = l.a < l.b ? l.a : l.b, y = l.a < l.b ? l.b : l.a;
            if (hmap_u64_put(&pairs, (uint64_t)x << 32 | y, 1)) goto oom;
        }
        for (size_t i = 0; i < n; i++) {
            if (in[i]) continue;
            double d = geo_dist_m(c->locs.v[g.v[u]].pos, c->locs.v[g.v[i]].pos);
            if (d < best[i]) {
                best[i] = d;
                parent[i] = (uint32_t)u;
            }
        }
    }
    size_t n_mst = links.n;
    for (size_t i = 0; i < n; i++) {
        size_t nn[2] = {n, n};
        double nd[2] = {INFINITY, INFINITY};
        for (size_t k = 0; k < n; k++) {
            if (k == i) continue;
            double d = geo_dist_m(c->locs.v[g.v[i]].pos, c->locs.v[g.v[k]].pos);
            if (d < nd[0]) {
                nd[1] = nd[0];
                nn[1] = nn[0];
                nd[0] = d;
                nn[0] = k;
            } else if (d < nd[1]) {
                nd[1] = d;
                nn[1] = k;
            }
        }
        for (int m = 0; m < 2; m++) {
            if (nn[m] == n || nd[m] > 60000.0) continue;
            uint32_t a = g.v[i], bb = g.v[nn[m]];
            uint32_t x = a < bb ? a : bb, y = a < bb ? bb : a;
            if (hmap_u64_get(&pairs, (uint64_t)x << 32 | y) != HMAP_NONE) continue;
            demo_xy p1 = demo_proj(c, c->locs.v[a].pos), p2 = demo_proj(c, c->locs.v[bb].pos);
            int crosses = 0;
            for (size_t k = 0; k < links.n && !crosses; k++)
                crosses = demo_cross(p1, p2, demo_proj(c, c->locs.v[links.v[k].a].pos),
                                     demo_proj(c, c->locs.v[links.v[k].b].pos));
            if (crosses) continue;
            demo_link l = {a, bb};
            if (vec_push(links, l) || hmap_u64_put(&pairs, (uint64_t)x << 32 | y, 1)) goto oom;
        }
    }

    if ((rc = demo_link_classes(c, &g, links.v, links.n, &level, &route)))
        goto fail;
    for (size_t k = 0; k < links.n; k++) {
        const demo_loc *A = &c->locs.v[links.v[k].a], *B = &c->locs.v[links.v[k].b];
        double m = fmin(A->pop, B->pop);
        double d = geo_dist_m(A->pos, B->pos);
        int lv = m >= 3000 ? 2 : (m >= 800 || A->seat || B->seat) ? 1 : 0;
        if (A->seat && B->seat) lv = m >= 10000 ? 3 : 2;
        if (level[k] > lv) lv = level[k];
        demo_tags t;
        if (lv == 3) t = demo_tag(HW_TRUNK, d > 20000 ? 110 : 100, 0);
        else if (lv == 2) t = demo_tag(HW_PRIMARY, 90, 0);
        else if (lv == 1) t = demo_tag(HW_SECONDARY, 80, 0);
        else t = demo_tag(HW_TERTIARY, 70, 0);
        /* links of one seat-to-seat route share its number */
        if (lv >= 2 && route[k] != DEMO_NONE)
            t.name = demo_strf(c, &rc, "Riksväg %u", 80u + route[k]);
        else
            t.name = demo_strf(c, &rc, "Länsväg %u", 500u + (unsigned)k);
        if (rc) goto oom;
        uint32_t na = demo_exit_node(c, A, demo_proj(c, B->pos));
        uint32_t nb = demo_exit_node(c, B, demo_proj(c, A->pos));
        rc = demo_polyline(c, na, nb, rng_range(&c->r, 300, 500), k < n_mst ? 0.05 : 0.035, &t);
        if (rc) goto fail;
        progress_step(c->b->progress, 1, 0);
    }
    goto done;
oom:
    rc = demo_oom(c);
fail:
done:
    vec_free(g);
    vec_free(links);
    mem_free(best);
    mem_free(parent);
    mem_free(in);
    mem_free(level);
    mem_free(route);
    hmap_u64_free(&pairs);
    return rc;
}

/* Connects every stop farther than DEMO_STOP_NEAR_M from a road node to the
 * nearest node, nearest stops first so that remote stops chain along the
 * roads made for the stops before them. */
static int demo_stop_links(demo_ctx *c)
{
    region_builder *b = c->b;
    VEC(demo_hit) todo = {0};
    int rc = 0;
    for (size_t i = 0; i < b->stops.n; i++) {
        double d;
        uint32_t nd = demo_index_nearest(&c->idx, demo_proj(c, b->stops.v[i].pos), NULL, NULL, &d);
        if (nd != DEMO_NONE && geo_dist_m(b->road_nodes.v[nd], b->stops.v[i].pos) <= DEMO_STOP_NEAR_M)
            continue;
        demo_hit h = {nd == DEMO_NONE ? INFINITY : d, (uint32_t)i};
        if (vec_push(todo, h)) goto oom;
    }
    if (todo.n) qsort(todo.v, todo.n, sizeof *todo.v, demo_hit_cmp);
    for (size_t k = 0; k < todo.n; k++) {
        geo_point sp = b->stops.v[todo.v[k].id].pos;
        uint32_t nd = demo_index_nearest(&c->idx, demo_proj(c, sp), NULL, NULL, NULL);
        double g = nd == DEMO_NONE ? INFINITY : geo_dist_m(b->road_nodes.v[nd], sp);
        if (g <= DEMO_STOP_NEAR_M) continue;   /* a road made for an earlier stop */
        uint32_t sn;
        if ((rc = demo_node(c, sp, 0, &sn))) goto fail;
        if (nd == DEMO_NONE) continue;         /* the first node of an empty network */
        demo_tags t = g < 250.0 ? demo_tag(HW_SERVICE, 30, 0)
                                : demo_tag(HW_UNCLASSIFIED, g > 1500.0 ? 70 : 50, 0);
        if ((rc = demo_polyline(c, nd, sn, 400.0, 0.03, &t))) goto fail;
        progress_step(b->progress, 1, 0);
    }
    goto done;
oom:
    rc = demo_oom(c);
fail:
done:
    vec_free(todo);
    return rc;
}

/* ---- connectivity repair */

typedef struct demo_uf {
    VEC(uint32_t) p;
} demo_uf;

static uint32_t demo_uf_find(demo_uf *u, uint32_t x)
{
    while (u->p.v[x] != x) {
        u->p.v[x] = u->p.v[u->p.v[x]];
        x = u->p.v[x];
    }
    return x;
}

static void demo_uf_union(demo_uf *u, uint32_t a, uint32_t b)
{
    a = demo_uf_find(u, a);
    b = demo_uf_find(u, b);
    if (a == b) return;
    if (a < b) u->p.v[b] = a;
    else u->p.v[a] = b;
}

typedef struct demo_main_ud {
    demo_uf *uf;
    uint32_t root;
} demo_main_ud;

static int demo_in_main(void *ud, uint32_t id)
{
    demo_main_ud *m = ud;
    return id < m->uf->p.n && demo_uf_find(m->uf, id) == m->root;
}

/* Joins every component of the road graph to the largest one with a
 * service road (or an unclassified road when long) between the closest
 * pair of nodes found, so that the whole graph is connected. */
static int demo_connect(demo_ctx *c)
{
    region_builder *b = c->b;
    int rc = 0;
    demo_uf uf = {0};
    uint32_t *size = NULL, *first = NULL, *members = NULL, *cnt = NULL;
    size_t n = b->road_nodes.n;
    if (n == 0) return 0;
    if (vec_reserve(uf.p, n)) goto oom;
    for (size_t i = 0; i < n; i++) uf.p.v[uf.p.n++] = (uint32_t)i;
    for (size_t i = 0; i < b->roads.n; i++) demo_uf_union(&uf, b->roads.v[i].from, b->roads.v[i].to);

    size = mem_calloc(n, sizeof *size);
    first = mem_calloc(n + 1, sizeof *first);
    members = mem_alloc(n * sizeof *members);
    cnt = mem_calloc(n, sizeof *cnt);
    if (!size || !first || !members || !cnt) goto oom;
    uint32_t main_root = 0;
    for (size_t i = 0; i < n; i++) size[demo_uf_find(&uf, (uint32_t)i)]++;
    for (size_t i = 0; i < n; i++)
        if (size[i] > size[main_root]) main_root = (uint32_t)i;
    /* members of each component, grouped by root (counting sort) */
    for (size_t i = 0; i < n; i++) first[i + 1] = first[i] + size[i];
    for (size_t i = 0; i < n; i++) {
        uint32_t r = demo_uf_find(&uf, (uint32_t)i);
        members[first[r] + cnt[r]++] = (uint32_t)i;
    }
    for (size_t r = 0; r < n; r++) {
        if (size[r] == 0 || r == main_root) continue;
        demo_main_ud ud = {&uf, demo_uf_find(&uf, main_root)};
        uint32_t bv = DEMO_NONE, bq = DEMO_NONE;
        double bd = INFINITY;
        uint32_t lim = size[r] < 256 ? size[r] : 256;
        for (uint32_t k = 0; k < lim; k++) {
            uint32_t v = members[first[r] + k];
            double d;
            uint32_t q = demo_index_nearest(&c->idx, c->idx.xy.v[v], demo_in_main, &ud, &d);
            if (q != DEMO_NONE && d < bd) {
                bd = d;
                bv = v;
                bq = q;
            }
        }
        if (bv == DEMO_NONE) continue;
        double g = geo_dist_m(b->road_nodes.v[bq], b->road_nodes.v[bv]);
        demo_tags t = g < 250.0 ? demo_tag(HW_SERVICE, 30, 0)
                                : demo_tag(HW_UNCLASSIFIED, g > 1500.0 ? 70 : 50, 0);
        size_t before = b->road_nodes.n;
        if ((rc = demo_polyline(c, bq, bv, 400.0, 0.03, &t))) goto fail;
        if (vec_reserve(uf.p, b->road_nodes.n)) goto oom;
        for (size_t i = before; i < b->road_nodes.n; i++) {
            uf.p.v[uf.p.n++] = (uint32_t)i;
            demo_uf_union(&uf, (uint32_t)i, bq);
        }
        demo_uf_union(&uf, bv, bq);
    }
    goto done;
oom:
    rc = demo_oom(c);
fail:
done:
    vec_free(uf.p);
    mem_free(size);
    mem_free(first);
    mem_free(members);
    mem_free(cnt);
    return rc;
}

static int demo_roads(demo_ctx *c)
{
    int rc = 0;
    size_t before = c->b->roads.n;
    progress_begin(c->b->progress, "demo roads", 0);
    for (size_t k = 0; k < c->order.n; k++) {
        uint32_t li = c->order.v[k];
        if (!c->locs.v[li].has_grid) continue;
        if ((rc = demo_grid(c, li))) return rc;
        progress_step(c->b->progress, 1, 0);
    }
    if ((rc = demo_links(c))) return rc;
    if ((rc = demo_stop_links(c))) return rc;
    if ((rc = demo_connect(c))) return rc;
    if (c->b->roads.n > before) c->b->gen_flags |= REGION_GEN_ROADS;
    progress_done(c->b->progress);
    return 0;
}

/* ------------------------------------------------------------ places */

/* Road nodes serving each locality (nearest first), for places, jobs and
 * homes. A locality without nodes in reach gets its nearest node. */
static int demo_near_nodes(demo_ctx *c)
{
    for (size_t i = 0; i < c->locs.n; i++) {
        demo_loc *L = &c->locs.v[i];
        double r = L->has_grid ? 1.1 * L->radius_m : fmax(300.0, 150.0 + 14.0 * sqrt(L->pop));
        r = fmin(r, 1.25 * c->locs.v[L->host].radius_m + 1000.0);
        demo_xy q = demo_proj(c, L->pos);
        if (demo_index_within(&c->idx, q, 0, fmax(r, 300.0), &L->near)) return demo_oom(c);
        if (L->near.n == 0) {
            uint32_t nd = demo_index_nearest(&c->idx, q, NULL, NULL, NULL);
            if (nd != DEMO_NONE && vec_push(L->near, nd)) return demo_oom(c);
        }
    }
    return 0;
}

/* A place in locality L: a road node picked with bias (>1 towards the
 * centre, <1 towards the edge), or the locality's own position when the
 * region has no roads. *street gets the node's street name (0 none). */
static geo_point demo_place(demo_ctx *c, const demo_loc *L, double bias, uint32_t *street)
{
    double u = rng_unit(&c->r);
    if (L->near.n == 0) {
        if (street) *street = 0;
        return demo_offset(L->pos, (u - 0.5) * 400.0, (rng_unit(&c->r) - 0.5) * 400.0);
    }
    size_t k = (size_t)(pow(u, bias) * (double)L->near.n);
    if (k >= L->near.n) k = L->near.n - 1;
    uint32_t nd = L->near.v[k];
    if (street) *street = nd < c->node_street.n ? c->node_street.v[nd] : 0;
    return c->b->road_nodes.v[nd];
}

static int demo_add_poi(demo_ctx *c, const demo_loc *L, int kind, uint8_t level,
                        const char *subkind, double bias, const char *name)
{
    int rc = 0;
    region_poi p = {0};
    p.pos = demo_place(c, L, bias, NULL);
    p.name = rb_str(c->b, name, &rc);
    p.subkind = rb_str(c->b, subkind, &rc);
    p.kommun_code = L->kommun;
    p.kind = (uint8_t)kind;
    p.level = level;
    p.flags = POI_F_GENERATED;
    if (rc || vec_push(c->b->pois, p)) return demo_oom(c);
    return 0;
}

/* Schools, preschools, health centres, grocery stores, pharmacies,
 * libraries and sports places of every locality, in numbers scaled by its
 * size. */
static int demo_pois(demo_ctx *c)
{
    int rc = 0;
    char nm[256];
    progress_begin(c->b->progress, "demo places", 0);
    for (size_t i = 0; i < c->locs.n && !rc; i++) {
        const demo_loc *L = &c->locs.v[i];
        const double p = L->pop;
        const char *ln = L->name;
        uint32_t off = rng_below(&c->r, 64);
        int n_f6 = p >= 150 ? 1 + (int)(p / 3500) : 0;
        int f9 = p >= 800 && p < 2500;
        for (int k = 0; k < n_f6 && !rc; k++) {
            if (k == 0 && p < 800)
                snprintf(nm, sizeof nm, "%s skola", ln);
            else
                snprintf(nm, sizeof nm, "%sskolan", demo_school_stems[(off + (uint32_t)k) % 16]);
            rc = demo_add_poi(c, L, POI_SCHOOL, f9 ? SCHOOL_PRIMARY | SCHOOL_LOWER_SEC : SCHOOL_PRIMARY,
                              "school", 1.0, nm);
        }
        int n_79 = p >= 2500 ? 1 + (int)(p / 12000) : 0;
        for (int k = 0; k < n_79 && !rc; k++) {
            if (k == 0) snprintf(nm, sizeof nm, "%s centralskola", ln);
            else snprintf(nm, sizeof nm, "%sskolan", demo_school_stems[(off + 8 + (uint32_t)k) % 16]);
            rc = demo_add_poi(c, L, POI_SCHOOL, SCHOOL_LOWER_SEC, "school", 1.3, nm);
        }
        int n_gy = L->seat ? 1 + (p >= 20000) + (p >= 40000) : p >= 8000;
        for (int k = 0; k < n_gy && !rc; k++)
            rc = demo_add_poi(c, L, POI_SCHOOL, SCHOOL_UPPER_SEC, "school", 1.8,
                              demo_gymnasium[(off + (uint32_t)k) % 6]);
        if (L->seat && p >= 10000 && !rc) {
            snprintf(nm, sizeof nm, "Komvux %s", ln);
            rc = demo_add_poi(c, L, POI_SCHOOL, SCHOOL_ADULT, "school", 2.0, nm);
        }
        int n_pre = p >= 100 ? (int)fmax(1.0, round(p / 900.0)) : 0;
        for (int k = 0; k < n_pre && !rc; k++) {
            if (k < 20)
                snprintf(nm, sizeof nm, "Förskolan %s", demo_preschools[(off + (uint32_t)k) % 20]);
            else
                snprintf(nm, sizeof nm, "Förskolan %s %d", demo_preschools[(off + (uint32_t)k) % 20],
                         k / 20 + 1);
            rc = demo_add_poi(c, L, POI_PRESCHOOL, 0, "kindergarten", 0.9, nm);
        }
        int n_health = (p >= 1200 || L->seat) ? 1 + (int)(p / 12000) : 0;
        for (int k = 0; k < n_health && !rc; k++) {
            if (k == 0) snprintf(nm, sizeof nm, "Vårdcentral %s", ln);
            else snprintf(nm, sizeof nm, "Vårdcentral %s %s", ln, demo_quarters[(k - 1) % 4]);
            rc = demo_add_poi(c, L, POI_HEALTH, 0, "doctors", k == 0 ? 2.5 : 1.2, nm);
        }
        int n_super = p >= 1000 ? 1 + (int)(p / 5000) : 0;
        int n_conv = p >= 60 && p < 1000 ? 1 : (int)(p / 10000);
        for (int k = 0; k < n_super && !rc; k++) {
            uint32_t street;
            geo_point pos = demo_place(c, L, 1.6, &street);
            if (k == 0 || !street)
                snprintf(nm, sizeof nm, "Matmarknaden %s%s", ln, k ? " 2" : "");
            else
                snprintf(nm, sizeof nm, "Livsbutiken %s", c->b->strings.data + street);
            region_poi q = {0};
            q.pos = pos;
            q.name = rb_str(c->b, nm, &rc);
            q.subkind = rb_str(c->b, "supermarket", &rc);
            q.kommun_code = L->kommun;
            q.kind = POI_GROCERY;
            q.flags = POI_F_GENERATED;
            if (rc || vec_push(c->b->pois, q)) rc = demo_oom(c);
        }
        for (int k = 0; k < n_conv && !rc; k++) {
            if (p < 1000) snprintf(nm, sizeof nm, "Lanthandeln i %s", ln);
            else snprintf(nm, sizeof nm, "Närbutiken %s", demo_preschools[(off + 7 + (uint32_t)k) % 20]);
            rc = demo_add_poi(c, L, POI_GROCERY, 0, "convenience", 1.0, nm);
        }
        int n_ph = (p >= 2000 || L->seat) ? 1 + (int)(p / 15000) : 0;
        for (int k = 0; k < n_ph && !rc; k++) {
            snprintf(nm, sizeof nm, "Apotek %s", demo_pharmacy[(off + (uint32_t)k) % 8]);
            rc = demo_add_poi(c, L, POI_PHARMACY, 0, "pharmacy", 2.0, nm);
        }
        if ((L->seat || p >= 2500) && !rc) {
            snprintf(nm, sizeof nm, L->seat && p >= 10000 ? "%s stadsbibliotek" : "%s bibliotek", ln);
            rc = demo_add_poi(c, L, POI_LIBRARY, 0, "library", 2.2, nm);
        }
        if (p >= 400) {
            int n_hall = 1 + (int)(p / 15000), n_pitch = 1 + (int)(p / 8000);
            for (int k = 0; k < n_hall && !rc; k++) {
                snprintf(nm, sizeof nm, k ? "%s sporthall %d" : "%s sporthall", ln, k + 1);
                rc = demo_add_poi(c, L, POI_SPORTS, 0, "sports_centre", 1.0, nm);
            }
            for (int k = 0; k < n_pitch && !rc; k++) {
                snprintf(nm, sizeof nm, "%svallen", demo_school_stems[(off + 3 + (uint32_t)k) % 16]);
                rc = demo_add_poi(c, L, POI_SPORTS, 0, "pitch", 0.7, nm);
            }
            if (L->seat && p >= 2000 && !rc) {
                snprintf(nm, sizeof nm, "%s simhall", ln);
                rc = demo_add_poi(c, L, POI_SPORTS, 0, "swimming_pool", 1.5, nm);
            }
        }
        progress_step(c->b->progress, 1, 0);
    }
    if (rc) return rc;
    if (c->b->pois.n) c->b->gen_flags |= REGION_GEN_POIS;
    progress_done(c->b->progress);
    return 0;
}

/* ------------------------------------------------------------ jobs */

/* ASCII-lowercased copy (Swedish letters keep their case, which is fine
 * for the keywords: they match inside words). */
static void demo_lower(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++) dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    dst[i] = 0;
}

static int demo_category(const char *label)
{
    /* specific before general: "IT-tekniker" is IT, "Gruvingenjör" mining */
    static const int order[CAT_OTHER] = {CAT_HEALTH, CAT_EDU, CAT_IT, CAT_MINE, CAT_BUILD, CAT_ENG};
    char low[512];
    demo_lower(low, sizeof low, label);
    for (int i = 0; i < CAT_OTHER; i++) {
        int k = order[i];
        for (int m = 0; m < 14 && demo_cats[k].keys[m]; m++)
            if (strstr(low, demo_cats[k].keys[m])) return k;
    }
    return CAT_OTHER;
}

/* Job ads at workplaces on street nodes, localities weighted by size,
 * occupations drawn from the taxonomy weighted towards the region's needs. */
static int demo_jobs(demo_ctx *c, uint32_t n_jobs)
{
    region_builder *b = c->b;
    int rc = 0;
    VEC(uint32_t) occ = {0};
    VEC(uint8_t) occ_cat = {0};
    VEC(double) occ_w = {0};
    double *occ_cum = NULL, *loc_cum = NULL;
    uint32_t *group_of = NULL, *field_of = NULL;
    size_t cat_n[CAT_COUNT] = {0};
    char title[512], desc[2048], emp[256], addr[160], lname[96];

    progress_begin(b->progress, "demo jobs", 0);
    if (c->locs.n == 0) goto done;
    for (size_t i = 0; i < b->concepts.n; i++)
        if (b->concepts.v[i].type == CONCEPT_OCCUPATION_NAME && vec_push(occ, (uint32_t)i)) goto oom;
    if (occ.n == 0) {
        for (size_t k = 0; k < DEMO_N_COMMON_OCC; k++) {
            region_concept *cc = vec_add(b->concepts);
            if (!cc) goto oom;
            cc->concept_id = demo_strf(c, &rc, "demo-occ-%02u", (unsigned)k);
            cc->label = rb_str(b, demo_common_occ[k].label, &rc);
            cc->legacy_id = 0;
            cc->type = CONCEPT_OCCUPATION_NAME;
            cc->flags = REGION_F_GENERATED;
            if (rc || vec_push(occ, (uint32_t)(b->concepts.n - 1))) goto oom;
        }
    }
    /* weights: the common occupations by their own weight (85 %), every
     * other occupation a share of its category's weight (15 %, or all when
     * the taxonomy has none of the common labels) */
    if (vec_reserve(occ_cat, occ.n) || vec_reserve(occ_w, occ.n)) goto oom;
    double common_total = 0, tail_cat_total = 0;
    for (size_t k = 0; k < occ.n; k++) {
        const char *label = b->strings.data + b->concepts.v[occ.v[k]].label;
        size_t m = 0;
        while (m < DEMO_N_COMMON_OCC && strcmp(demo_common_occ[m].label, label) != 0) m++;
        if (m < DEMO_N_COMMON_OCC) {
            occ_cat.v[occ_cat.n++] = demo_common_occ[m].cat;
            occ_w.v[occ_w.n++] = demo_common_occ[m].weight;
            common_total += demo_common_occ[m].weight;
        } else {
            int cat = demo_category(label);
            occ_cat.v[occ_cat.n++] = (uint8_t)cat;
            occ_w.v[occ_w.n++] = -1.0;   /* tail: filled in below */
            if (cat_n[cat]++ == 0) tail_cat_total += demo_cats[cat].weight;
        }
    }
    double tail_total = common_total > 0 ? common_total * 0.15 / 0.85 : 100.0;
    for (size_t k = 0; k < occ.n; k++)
        if (occ_w.v[k] < 0)
            occ_w.v[k] = tail_total * demo_cats[occ_cat.v[k]].weight / tail_cat_total /
                         (double)cat_n[occ_cat.v[k]];
    occ_cum = mem_alloc(occ.n * sizeof *occ_cum);
    loc_cum = mem_alloc(c->locs.n * sizeof *loc_cum);
    group_of = mem_alloc(b->concepts.n * sizeof *group_of);
    field_of = mem_alloc(b->concepts.n * sizeof *field_of);
    if (!occ_cum || !loc_cum || !group_of || !field_of) goto oom;
    for (size_t k = 0; k < occ.n; k++)
        occ_cum[k] = (k ? occ_cum[k - 1] : 0) + occ_w.v[k];
    for (size_t k = 0; k < c->locs.n; k++) loc_cum[k] = (k ? loc_cum[k - 1] : 0) + c->locs.v[k].pop;
    /* known relations: occupation -> SSYK 4 group, and -> field */
    for (size_t k = 0; k < b->concepts.n; k++) group_of[k] = field_of[k] = REGION_NONE;
    for (size_t k = 0; k < b->concept_rels.n; k++) {
        uint32_t nw = b->concept_rels.v[k].narrower, br = b->concept_rels.v[k].broader;
        if (nw >= b->concepts.n || br >= b->concepts.n) continue;
        uint8_t bt = b->concepts.v[br].type;
        if (bt == CONCEPT_SSYK4 && group_of[nw] == REGION_NONE) group_of[nw] = br;
        if (bt == CONCEPT_OCCUPATION_FIELD && field_of[nw] == REGION_NONE) field_of[nw] = br;
    }

    if (vec_reserve(b->jobs, b->jobs.n + n_jobs)) goto oom;
    for (uint32_t j = 0; j < n_jobs; j++) {
        size_t li = demo_pick_cum(&c->r, loc_cum, c->locs.n);
        const demo_loc *L = &c->locs.v[li];
        size_t ok = demo_pick_cum(&c->r, occ_cum, occ.n);
        uint32_t oc = occ.v[ok];
        const struct demo_cat *cat = &demo_cats[occ_cat.v[ok]];
        uint32_t street;
        region_job job = {0};
        snprintf(lname, sizeof lname, "%s", L->name);
        job.pos = demo_place(c, L, 1.4, &street);
        snprintf(emp, sizeof emp, cat->employers[rng_below(&c->r, 3)], lname);
        const char *olabel = b->strings.data + b->concepts.v[oc].label;
        int form = (int)rng_below(&c->r, 3);
        if (form == 0) snprintf(title, sizeof title, "%s till %s", olabel, emp);
        else if (form == 1) snprintf(title, sizeof title, "%s, %s", olabel, lname);
        else snprintf(title, sizeof title, "Vi söker %s i %s", olabel, lname);
        job.positions = (uint16_t)(1 + (rng_unit(&c->r) < 0.3) + (rng_unit(&c->r) < 0.1));
        job.worktime_full = rng_unit(&c->r) < 0.85 ? 1 : 0;
        /* published in the 6 weeks before 2022-10-17, still open that day */
        job.published_day = c->day0 - (int32_t)rng_below(&c->r, 42);
        job.deadline_day = c->day0 + 3 + (int32_t)rng_below(&c->r, 35);
        if (job.deadline_day < job.published_day + 14) job.deadline_day = job.published_day + 14;
        int y, m, d;
        region_ymd_from_day(job.deadline_day, &y, &m, &d);
        char pitch[512];
        snprintf(pitch, sizeof pitch, cat->pitch, lname);
        char head[768];
        if (job.positions > 1)
            snprintf(head, sizeof head, "%s har %u lediga tjänster som %s.", emp,
                     (unsigned)job.positions, olabel);
        else
            snprintf(head, sizeof head, "%s söker en %s.", emp, olabel);
        snprintf(desc, sizeof desc,
                 "%s %s Tjänsten är på %s med tillträde enligt överenskommelse. "
                 "Sista ansökningsdag är %04d-%02d-%02d. "
                 "Detta är en demoannons som är genererad för flyttkarta, inte en verklig tjänst.",
                 head, pitch, job.worktime_full ? "heltid" : "deltid", y, m, d);
        if (street)
            snprintf(addr, sizeof addr, "%s %u", b->strings.data + street, 1 + rng_below(&c->r, 60));
        else
            snprintf(addr, sizeof addr, "%s %u", lname, 100 + rng_below(&c->r, 200));
        job.source_id = demo_strf(c, &rc, "demo-job-%05u", j + 1);
        job.title = rb_str(b, title, &rc);
        job.employer = rb_str(b, emp, &rc);
        job.description = rb_str(b, desc, &rc);
        job.url = 0;
        job.address = rb_str(b, addr, &rc);
        job.occupation = oc;
        job.occupation_group = group_of[oc];
        job.occupation_field = field_of[oc] != REGION_NONE ? field_of[oc]
                               : group_of[oc] != REGION_NONE ? field_of[group_of[oc]] : REGION_NONE;
        job.kommun_code = L->kommun;
        job.flags = JOB_F_GENERATED;
        if (rc) goto oom;
        b->jobs.v[b->jobs.n++] = job;
        progress_step(b->progress, 1, 0);
    }
    b->gen_flags |= REGION_GEN_JOBS;
    progress_done(b->progress);
    goto done;
oom:
    rc = demo_oom(c);
done:
    vec_free(occ);
    vec_free(occ_cat);
    vec_free(occ_w);
    mem_free(occ_cum);
    mem_free(loc_cum);
    mem_free(group_of);
    mem_free(field_of);
    return rc;
}

/* ------------------------------------------------------------ homes */

/* 0 (a hamlet) .. 1 (a city of 45 000): drives prices and housing mix. */
static double demo_urban(double pop)
{
    return demo_clamp((log10(fmax(pop, 100.0)) - 2.0) / (log10(45000.0) - 2.0), 0.0, 1.0);
}

static uint32_t demo_round_price(double p)
{
    double step = p >= 500000 ? 5000 : 1000;
    p = round(p / step) * step;
    return (uint32_t)demo_clamp(p, 10000.0, 60000000.0);
}

/* Homes for sale: type and tenure by locality size, area, rooms, plot,
 * fee, year and a price from a price level per m2 that rises with size. */
static int demo_homes(demo_ctx *c, uint32_t n_homes)
{
    region_builder *b = c->b;
    int rc = 0;
    double *cum = NULL;
    char addr[160];
    progress_begin(b->progress, "demo homes", 0);
    if (c->locs.n == 0) goto done;
    if (!(cum = mem_alloc(c->locs.n * sizeof *cum))) goto oom;
    for (size_t k = 0; k < c->locs.n; k++)
        cum[k] = (k ? cum[k - 1] : 0) + pow(c->locs.v[k].pop, 0.9);
    if (vec_reserve(b->homes, b->homes.n + n_homes)) goto oom;
    for (uint32_t h = 0; h < n_homes; h++) {
        const demo_loc *L = &c->locs.v[demo_pick_cum(&c->r, cum, c->locs.n)];
        double s = demo_urban(L->pop);
        region_home hm = {0};
        /* type mix: from villages (s=0) to the city (s=1) */
        double w[HOME_TYPE_COUNT] = {
            0.62 - 0.32 * s,   /* house */
            0.03 + 0.09 * s,   /* terraced */
            0.03 + 0.52 * s,   /* apartment */
            0.15 - 0.15 * s,   /* holiday */
            0.12 - 0.12 * s,   /* farm */
            0.05 - 0.02 * s};  /* plot */
        double tc[HOME_TYPE_COUNT];
        for (int k = 0; k < HOME_TYPE_COUNT; k++) tc[k] = (k ? tc[k - 1] : 0) + w[k];
        int type = (int)demo_pick_cum(&c->r, tc, HOME_TYPE_COUNT);
        double bias = type == HOME_APARTMENT ? 2.0 : type == HOME_TERRACED ? 1.0 : 0.6;
        uint32_t street;
        hm.pos = demo_place(c, L, bias, &street);
        hm.type = (uint8_t)type;
        hm.tenure = type == HOME_APARTMENT ? (rng_unit(&c->r) < 0.95 ? TENURE_COOP : TENURE_OWNED)
                                           : TENURE_OWNED;
        double house_m2 = 3000.0 + 17000.0 * s * s;            /* SEK per m2 */
        double flat_m2 = 3500.0 + 21500.0 * pow(s, 2.2);
        double noise = exp(demo_normal_clip(&c->r, 0.18, 0.5));
        double living = 0, plot = 0, fee = 0, price = 0, rooms = 0;
        int year = 0;
        switch (type) {
        case HOME_APARTMENT:
            living = demo_clamp(65 + rng_normal(&c->r) * 20, 24, 160);
            rooms = demo_clamp(round(living / 27.0), 1, 6);
            fee = living * rng_range(&c->r, 45, 75);
            year = rng_unit(&c->r) < 0.15 ? 1930 + (int)rng_below(&c->r, 25)
                 : rng_unit(&c->r) < 0.45 ? 1955 + (int)rng_below(&c->r, 21)
                                           : 1976 + (int)rng_below(&c->r, 47);
            price = living * flat_m2;
            break;
        case HOME_TERRACED:
            living = demo_clamp(105 + rng_normal(&c->r) * 18, 65, 160);
            rooms = demo_clamp(round(living / 26.0), 3, 6);
            plot = rng_range(&c->r, 150, 450);
            fee = 1800 + living * 10 * rng_range(&c->r, 0.8, 1.2);
            year = 1965 + (int)rng_below(&c->r, 58);
            price = living * house_m2 * 0.95;
            break;
        case HOME_HOUSE:
            living = demo_clamp(130 + rng_normal(&c->r) * 35, 60, 280);
            rooms = demo_clamp(round(living / 24.0), 3, 9);
            plot = rng_range(&c->r, 600, 2200);
            fee = 1800 + living * 12 * rng_range(&c->r, 0.8, 1.2);
            year = 1920 + (int)(demo_clamp(55 + rng_normal(&c->r) * 22, 0, 102));
            price = living * house_m2;
            break;
        case HOME_HOLIDAY:
            living = demo_clamp(55 + rng_normal(&c->r) * 18, 20, 120);
            rooms = demo_clamp(round(living / 20.0), 1, 5);
            plot = rng_range(&c->r, 800, 5000);
            fee = rng_range(&c->r, 500, 1500);
            year = 1940 + (int)rng_below(&c->r, 70);
            price = 150000 + living * house_m2 * 0.6;
            break;
        case HOME_FARM:
            living = demo_clamp(150 + rng_normal(&c->r) * 35, 90, 280);
            rooms = demo_clamp(round(living / 25.0), 4, 10);
            plot = exp(rng_range(&c->r, log(20000.0), log(600000.0)));
            fee = rng_range(&c->r, 3000, 6500);
            year = 1880 + (int)rng_below(&c->r, 90);
            price = 300000.0 + living * house_m2 * 0.7 + plot * 3.0;
            break;
        default: /* HOME_PLOT */
            plot = rng_range(&c->r, 800, 3000);
            price = plot * (50.0 + 450.0 * s * s);
            break;
        }
        if (year) price *= demo_clamp(1.0 + 0.004 * (year - 1975), 0.8, 1.25);
        price *= noise;
        if (type == HOME_APARTMENT || type == HOME_HOUSE || type == HOME_TERRACED ||
            type == HOME_HOLIDAY || type == HOME_FARM) {
            hm.rooms_x10 = (uint16_t)(rooms * 10 + (type == HOME_APARTMENT && rng_unit(&c->r) < 0.15 ? 5 : 0));
        }
        hm.price_sek = demo_round_price(price);
        hm.fee_sek_month = (uint32_t)(round(fee / 10.0) * 10.0);
        hm.plot_m2 = (uint32_t)round(plot);
        hm.living_m2 = (uint16_t)round(living);
        hm.built_year = (uint16_t)year;
        hm.kommun_code = L->kommun;
        hm.flags = HOME_F_GENERATED;
        if (street)
            snprintf(addr, sizeof addr, "%s %u", b->strings.data + street, 1 + rng_below(&c->r, 80));
        else
            snprintf(addr, sizeof addr, "%s %u", L->name, 100 + rng_below(&c->r, 300));
        hm.source_id = demo_strf(c, &rc, "demo-home-%05u", h + 1);
        hm.address = rb_str(b, addr, &rc);
        hm.url = 0;
        if (rc) goto oom;
        b->homes.v[b->homes.n++] = hm;
        progress_step(b->progress, 1, 0);
    }
    b->gen_flags |= REGION_GEN_HOMES;
    progress_done(b->progress);
    goto done;
oom:
    rc = demo_oom(c);
done:
    mem_free(cum);
    return rc;
}

/* ------------------------------------------------------------ statistics */

enum { IND_POP, IND_YOUNG, IND_OLD, IND_INCOME, IND_EMPLOY, IND_EDU, IND_CRIME, IND_TRUST, IND_COUNT };

static const struct { const char *name, *unit; } demo_ind[IND_COUNT] = {
    {"population", "persons"},
    {"share_age_0_19", "percent"},
    {"share_age_65_plus", "percent"},
    {"median_income", "kSEK"},
    {"employment_rate", "percent"},
    {"post_secondary_education", "percent"},
    {"crimes_per_1000", "per 1000 inhabitants"},
    {"trust_index", "index 0-100"}};

/* Indicators per kommun for 2020-2024: population (anchored where known,
 * else from the localities), age shares, income, employment, education,
 * crime and trust, each a smooth function of size plus a per-kommun draw. */
static int demo_stats(demo_ctx *c)
{
    region_builder *b = c->b;
    int rc = 0;
    VEC(uint16_t) codes = {0};
    uint32_t ind[IND_COUNT], unit[IND_COUNT], src;
    progress_begin(b->progress, "demo statistics", 0);
    for (size_t i = 0; i < b->areas.n; i++)
        if (b->areas.v[i].level == 0 && b->areas.v[i].kommun_code &&
            vec_push(codes, b->areas.v[i].kommun_code)) goto oom;
    if (codes.n == 0)
        for (size_t i = 0; i < c->locs.n; i++) {
            uint16_t k = c->locs.v[i].kommun;
            int seen = 0;
            for (size_t m = 0; m < codes.n && !seen; m++) seen = codes.v[m] == k;
            if (k && !seen && vec_push(codes, k)) goto oom;
        }
    src = rb_str(b, "demo (generated)", &rc);
    for (int k = 0; k < IND_COUNT; k++) {
        ind[k] = rb_str(b, demo_ind[k].name, &rc);
        unit[k] = rb_str(b, demo_ind[k].unit, &rc);
    }
    if (rc) goto oom;
    for (size_t i = 0; i < codes.n; i++) {
        uint16_t code = codes.v[i];
        int seen = 0;
        for (size_t m = 0; m < i && !seen; m++) seen = codes.v[m] == code;
        if (seen) continue;
        double pop = demo_anchor_pop(code);
        if (pop == 0) {
            double sum = 0;
            for (size_t k = 0; k < c->locs.n; k++)
                if (c->locs.v[k].kommun == code) sum += c->locs.v[k].pop;
            pop = demo_clamp(sum * 1.35, 1500.0, 2e6);
        }
        double z = demo_clamp(log10(pop / 3000.0), 0.0, 1.5);
        double growth = demo_clamp(-0.012 + 0.004 * log2(pop / 5000.0), -0.02, 0.012);
        double own[IND_COUNT];
        for (int k = 0; k < IND_COUNT; k++) own[k] = rng_normal(&c->r);
        uint32_t area_code = demo_strf(c, &rc, "%04u", (unsigned)code);
        if (rc) goto oom;
        for (int year = 2020; year <= 2024; year++) {
            int dy = year - 2022;
            double v[IND_COUNT];
            v[IND_POP] = round(pop * pow(1.0 + growth, dy) * (1.0 + 0.002 * rng_normal(&c->r)));
            v[IND_YOUNG] = 17.0 + 2.5 * z + 0.8 * own[IND_YOUNG] - 0.1 * dy;
            v[IND_OLD] = 31.0 - 7.0 * z + 1.2 * own[IND_OLD] + 0.3 * dy;
            v[IND_INCOME] = (300.0 + 30.0 * z + 15.0 * own[IND_INCOME]) * pow(1.03, dy);
            v[IND_EMPLOY] = 78.0 + 3.0 * z + 1.5 * own[IND_EMPLOY] + 0.3 * rng_normal(&c->r);
            v[IND_EDU] = 24.0 + 14.0 * z + 2.0 * own[IND_EDU] + 0.4 * dy;
            v[IND_CRIME] = 65.0 + 25.0 * z + 8.0 * own[IND_CRIME] + 4.0 * rng_normal(&c->r);
            v[IND_TRUST] = 72.0 - 6.0 * z + 3.0 * own[IND_TRUST] + 1.0 * rng_normal(&c->r);
            for (int k = 0; k < IND_COUNT; k++) {
                region_stat *st = vec_add(b->stats);
                if (!st) goto oom;
                st->value = k == IND_POP ? v[k] : round(demo_clamp(v[k], 0.0, 1e9) * 10.0) / 10.0;
                st->area_code = area_code;
                st->indicator = ind[k];
                st->unit = unit[k];
                st->source = src;
                st->year = (uint16_t)year;
                st->flags = STAT_F_GENERATED;
            }
        }
        progress_step(b->progress, 1, 0);
    }
    if (codes.n) b->gen_flags |= REGION_GEN_STATS;
    progress_done(b->progress);
    goto done;
oom:
    rc = demo_oom(c);
done:
    vec_free(codes);
    return rc;
}

/* ------------------------------------------------------------ entry */

static int demo_want(const demo_opts *o, uint32_t part, size_t have)
{
    return o && o->parts ? (o->parts & part) != 0 : have == 0;
}

int demo_generate(region_builder *b, const demo_opts *o, fk_err *e)
{
    demo_ctx c;
    region_builder_mark mark;
    char saved_name[sizeof b->name];
    uint32_t saved_flags = b->gen_flags, saved_seed = b->seed;
    int rc = 0;

    uint32_t seed = o && o->seed ? o->seed : DEMO_DEFAULT_SEED;
    uint32_t n_jobs = o && o->n_jobs ? o->n_jobs : 400;
    uint32_t n_homes = o && o->n_homes ? o->n_homes : 400;
    double scale = o && o->scale != 0 ? o->scale : 1.0;
    if (!(scale >= 0.1 && scale <= 10.0))
        return err_set(e, FK_EINVAL, "demo generator: scale %g out of range (expected 0.1 to 10)", scale);
    if (n_jobs > DEMO_MAX_RECORDS || n_homes > DEMO_MAX_RECORDS)
        return err_set(e, FK_EINVAL, "demo generator: n_jobs %u / n_homes %u: expected at most %u",
                       n_jobs, n_homes, DEMO_MAX_RECORDS);

    memset(&c, 0, sizeof c);
    c.b = b;
    c.e = e;
    c.scale = scale;
    c.idx.cell_m = DEMO_CELL_M;
    rng_seed(&c.r, seed);
    (void)region_day_from_ymd(2022, 10, 17, &c.day0);
    region_builder_mark_get(b, &mark);
    memcpy(saved_name, b->name, sizeof saved_name);

    /* 1. geography */
    progress_begin(b->progress, "demo geography", 0);
    if (b->areas.n == 0 && (rc = demo_fictional(&c))) goto fail;
    if (b->localities.n == 0 && (rc = demo_localities_from_areas(&c))) goto fail;
    if ((rc = demo_locs_init(&c))) goto fail;
    progress_done(b->progress);

    /* 2. roads; the index also serves places on real roads */
    for (size_t i = 0; i < b->road_nodes.n; i++)
        if (demo_index_add(&c.idx, demo_proj(&c, b->road_nodes.v[i])) || vec_push(c.node_street, 0))
            goto oom;
    if (demo_want(o, REGION_GEN_ROADS, b->roads.n) && (rc = demo_roads(&c))) goto fail;
    if ((rc = demo_near_nodes(&c))) goto fail;

    /* 3-6. places, jobs, homes, statistics */
    if (demo_want(o, REGION_GEN_POIS, b->pois.n) && (rc = demo_pois(&c))) goto fail;
    if (demo_want(o, REGION_GEN_JOBS, b->jobs.n) && (rc = demo_jobs(&c, n_jobs))) goto fail;
    if (demo_want(o, REGION_GEN_HOMES, b->homes.n) && (rc = demo_homes(&c, n_homes))) goto fail;
    if (demo_want(o, REGION_GEN_STATS, b->stats.n) && (rc = demo_stats(&c))) goto fail;
    b->seed = seed;
    goto done;
oom:
    rc = demo_oom(&c);
fail:
    region_builder_rollback(b, &mark);
    memcpy(b->name, saved_name, sizeof saved_name);
    b->gen_flags = saved_flags;
    b->seed = saved_seed;
done:
    for (size_t i = 0; i < c.locs.n; i++) vec_free(c.locs.v[i].near);
    vec_free(c.locs);
    vec_free(c.order);
    demo_index_free(&c.idx);
    hmap_u64_free(&c.node_at);
    hmap_u64_free(&c.seg_set);
    vec_free(c.node_street);
    return rc;
}
