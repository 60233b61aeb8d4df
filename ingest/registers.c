/*
 * registers.c: a region's own registers as CSV (see registers.h and
 * docs/schemas.md): homes for sale, places (schools, health centres, ...)
 * and statistics in long format (SCB / Kolada exports).
 *
 * The three importers share one skeleton: a table of columns (canonical
 * name, accepted alternatives, required or not) resolved against the
 * header case-insensitively, unknown columns ignored; a row callback that
 * validates every field and appends one record; duplicate ids caught with a
 * map id -> line so the message names both lines; a builder mark rolled
 * back on any failure.
 *
 * Numbers are read the way Swedish spreadsheets write them as well as the
 * plain way: a decimal comma ("12,5"), and thousands separated by a space,
 * a no-break space or a narrow no-break space ("1 234 567"). Words (types,
 * kinds, tenures) match case-insensitively, including Å, Ä, Ö.
 */
#include "registers.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/hmap.h"
#include "../base/mem.h"
#include "../base/vec.h"
#include "csv.h"

#define REG_MAX_COLS 16
#define REG_MAX_ALT 6
#define REG_MAX_ID 256      /* bytes of an id, area code or indicator */
#define REG_MAX_WORD 64     /* bytes of a type/kind word */
#define REG_KOMMUN_NEAR_M 10000.0   /* see reg_kommun */

typedef struct reg_col {
    const char *names[REG_MAX_ALT];   /* canonical first, NULL-terminated */
    int required;
} reg_col;

typedef struct reg_ctx {
    region_builder *b;
    const reg_col *cols;
    size_t ncols;
    int idx[REG_MAX_COLS];    /* column index per reg_col, -1 absent */
    hmap_str ids;             /* id (or stats key) -> line */
    uint64_t kept, skipped, skipped_other;
} reg_ctx;

/* ------------------------------------------------------------------ */
/* shared helpers                                                      */

#define ROWERR(row, code, fmt, ...)                                         \
    err_set(e, (code), "%s:%llu: " fmt, (row)->file,                        \
            (unsigned long long)(row)->line, __VA_ARGS__)

/* Lower-cases s into out (size cap): ASCII letters and the Latin-1 capitals
 * in UTF-8 (Å Ä Ö É ...). Returns 0, or -1 when s does not fit. */
static int reg_fold(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (n + 1 >= cap) return -1;
        unsigned char ch = *p;
        if (ch >= 'A' && ch <= 'Z') ch = (unsigned char)(ch + 32);
        else if (n > 0 && (unsigned char)out[n - 1] == 0xC3 && ch >= 0x80 &&
                 ch <= 0x9E && ch != 0x97)
            ch = (unsigned char)(ch + 0x20);
        out[n++] = (char)ch;
    }
    out[n] = '\0';
    return 0;
}

static int reg_header(void *ud, const csv_row *h, fk_err *e)
{
    reg_ctx *c = ud;
    char got[REG_MAX_WORD], want[REG_MAX_WORD];
    for (size_t k = 0; k < c->ncols; k++) {
        c->idx[k] = -1;
        for (size_t a = 0; a < REG_MAX_ALT && c->cols[k].names[a] && c->idx[k] < 0; a++) {
            if (reg_fold(c->cols[k].names[a], want, sizeof want)) continue;
            for (size_t i = 0; i < h->n; i++)
                if (!reg_fold(h->f[i], got, sizeof got) && strcmp(got, want) == 0) {
                    c->idx[k] = (int)i;
                    break;
                }
        }
    }
    for (size_t k = 0; k < c->ncols; k++) {
        if (!c->cols[k].required || c->idx[k] >= 0) continue;
        char list[256] = "";
        size_t len = 0;
        for (size_t j = 0; j < c->ncols && len < sizeof list; j++)
            if (c->cols[j].required)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                        len ? ", " : "", c->cols[j].names[0]);
        char alts[128] = "";
        len = 0;
        for (size_t a = 1; a < REG_MAX_ALT && c->cols[k].names[a] && len < sizeof alts; a++)
            len += (size_t)snprintf(alts + len, sizeof alts - len, "%s%s",
                                    a == 1 ? " (or " : ", ", c->cols[k].names[a]);
        if (len && len < sizeof alts - 1) strcat(alts, ")");
        return err_set(e, FK_EPARSE, "%s:%llu: missing required column \"%s\"%s "
                       "(required columns: %s)", h->file, (unsigned long long)h->line,
                       c->cols[k].names[0], alts, list);
    }
    return 0;
}

/* Field of column k in row ("" when the column is absent). */
static const char *reg_get(const reg_ctx *c, const csv_row *row, size_t k)
{
    return csv_get(row, c->idx[k]);
}

/* Copies a number written the Swedish or the plain way into out as plain C
 * syntax: drops thousands separators (space, U+00A0, U+202F, U+2009) that
 * sit between a digit and a group of exactly three digits, and turns one
 * decimal comma into a point. Returns 0, or -1 when s is not a number. */
static int reg_num_text(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    int commas = 0, dots = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t sep = 0;
        if (*p == ' ') sep = 1;
        else if (p[0] == 0xC2 && p[1] == 0xA0) sep = 2;
        else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89)) sep = 3;
        if (sep) {
            const unsigned char *q = p + sep;
            if (n == 0 || out[n - 1] < '0' || out[n - 1] > '9' || commas || dots)
                return -1;
            for (int k = 0; k < 3; k++)
                if (q[k] < '0' || q[k] > '9') return -1;
            if (q[3] >= '0' && q[3] <= '9') return -1;
            p = q;
            continue;
        }
        unsigned char ch = *p++;
        if (ch == ',') {
            commas++;
            ch = '.';
        } else if (ch == '.') {
            dots++;
        } else if (!((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == 'e' ||
                     ch == 'E')) {
            return -1;
        }
        if (n + 1 >= cap) return -1;
        out[n++] = (char)ch;
    }
    if (commas + dots > 1 || n == 0) return -1;
    out[n] = '\0';
    return 0;
}

/* Parses field k as a number in lo..hi (a whole number when integer). An
 * empty field gives def when opt, else an error. Messages name file, line,
 * column, value and the expected range. */
static int reg_num(const reg_ctx *c, const csv_row *row, size_t k, double lo, double hi,
                   int integer, int opt, double def, double *out, fk_err *e)
{
    const char *col = c->cols[k].names[0];
    const char *s = reg_get(c, row, k);
    if (!*s) {
        if (opt) {
            *out = def;
            return 0;
        }
        return ROWERR(row, FK_EPARSE, "field %s: empty, expected %s in %.15g..%.15g",
                      col, integer ? "a whole number" : "a number", lo, hi);
    }
    char buf[64];
    char *end = NULL;
    double v = 0;
    int ok = reg_num_text(s, buf, sizeof buf) == 0;
    if (ok) {
        errno = 0;
        v = strtod(buf, &end);
        ok = !errno && end != buf && *end == '\0' && isfinite(v) && v >= lo && v <= hi &&
             (!integer || v == floor(v));
    }
    if (!ok && hi >= 1e300)
        return ROWERR(row, FK_EPARSE, "field %s: \"%.40s\" is not a number (decimal "
                      "point or comma, thousands may be separated by spaces)", col, s);
    if (!ok)
        return ROWERR(row, FK_EPARSE, "field %s: \"%.40s\" is not %s in %.15g..%.15g%s",
                      col, s, integer ? "a whole number" : "a number", lo, hi,
                      integer ? "" : " (decimal point or comma)");
    *out = v;
    return 0;
}

/* Required text field k. */
static int reg_req(const reg_ctx *c, const csv_row *row, size_t k, const char **out,
                   fk_err *e)
{
    int rc = csv_req(row, c->idx[k], c->cols[k].names[0], out, e);
    if (!rc && strlen(*out) > REG_MAX_ID)
        rc = ROWERR(row, FK_EPARSE, "field %s: \"%.40s...\" is longer than %d bytes",
                    c->cols[k].names[0], *out, REG_MAX_ID);
    return rc;
}

/* Records key as seen on this row; a key seen before is an error naming
 * both lines. what names the field(s) in the message ("field id"). */
static int reg_unique(reg_ctx *c, const csv_row *row, const char *what, const char *key,
                      size_t len, const char *shown, fk_err *e)
{
    uint32_t prev = hmap_str_get(&c->ids, key, len);
    if (prev != HMAP_NONE)
        return ROWERR(row, FK_EPARSE, "%s: duplicate \"%.80s\": line %llu and line %u "
                      "(each must be unique within a file)", what, shown,
                      (unsigned long long)row->line, prev);
    uint32_t line = row->line < UINT32_MAX ? (uint32_t)row->line : UINT32_MAX - 1;
    if (hmap_str_put(&c->ids, key, len, line))
        return ROWERR(row, FK_ENOMEM, "%s", "out of memory");
    return 0;
}

/* Position from fields klat, klon. */
static int reg_pos(const reg_ctx *c, const csv_row *row, size_t klat, size_t klon,
                   geo_point *p, fk_err *e)
{
    double lat, lon;
    int rc = reg_num(c, row, klat, -90, 90, 0, 0, 0, &lat, e);
    if (!rc) rc = reg_num(c, row, klon, -180, 180, 0, 0, 0, &lon, e);
    if (!rc && geo_from_deg(lat, lon, p))
        rc = ROWERR(row, FK_EPARSE, "%s", "coordinates out of range");
    return rc;
}

/* The kommun whose boundary passes nearest to p, if within max_m; else 0.
 * For points just outside every (simplified) kommun polygon: coastal
 * streets, islands. Linear over the rings of nearby areas. */
static uint16_t reg_kommun_near(const region_builder *b, geo_point p, double max_m)
{
    uint16_t best = 0;
    double best_m = max_m;
    for (size_t i = 0; i < b->areas.n; i++) {
        const region_area *a = &b->areas.v[i];
        geo_bbox near = geo_bbox_expand(a->bbox, max_m);
        if (a->level != 0 || !geo_bbox_contains(&near, p)) continue;
        for (uint32_t r = 0; r < a->n_rings; r++) {
            const region_ring *rg = &b->rings.v[a->first_ring + r];
            const geo_point *pts = b->ring_points.v + rg->first_point;
            for (uint32_t j = 0; j < rg->n_points; j++) {
                double d = geo_seg_dist_m(p, pts[j], pts[(j + 1) % rg->n_points]);
                if (d < best_m) {
                    best_m = d;
                    best = a->kommun_code;
                }
            }
        }
    }
    return best;
}

/* The kommun of a record: field k (1..9999) when filled, else the kommun
 * area containing p, else the kommun whose boundary is within
 * REG_KOMMUN_NEAR_M of p (0 when none). */
static int reg_kommun(const reg_ctx *c, const csv_row *row, size_t k, geo_point p,
                      uint16_t *out, fk_err *e)
{
    double v;
    int rc = reg_num(c, row, k, 1, 9999, 1, 1, 0, &v, e);
    if (rc) return rc;
    *out = v > 0 ? (uint16_t)v : region_builder_kommun_at(c->b, p);
    if (!*out) *out = reg_kommun_near(c->b, p, REG_KOMMUN_NEAR_M);
    return 0;
}

typedef struct reg_word {
    const char *word;
    int value;
    int extra;
} reg_word;

/* Looks up field k among words (case-insensitive); error lists allowed. */
static int reg_lookup(const reg_ctx *c, const csv_row *row, size_t k, const reg_word *w,
                      size_t nw, const char *allowed, const reg_word **out, fk_err *e)
{
    const char *s = reg_get(c, row, k);
    char f[REG_MAX_WORD];
    if (!reg_fold(s, f, sizeof f))
        for (size_t i = 0; i < nw; i++)
            if (strcmp(f, w[i].word) == 0) {
                *out = &w[i];
                return 0;
            }
    if (!*s)
        return ROWERR(row, FK_EPARSE, "field %s: empty, expected one of %s",
                      c->cols[k].names[0], allowed);
    return ROWERR(row, FK_EPARSE, "field %s: \"%.40s\" is not one of %s",
                  c->cols[k].names[0], s, allowed);
}

/* Runs the CSV at path through header/row with context c; rolls back and
 * fills rep. */
static int reg_run(reg_ctx *c, const char *path, csv_row_fn row, const char *stage,
                   ingest_report *rep, const char *skip_note, fk_err *e)
{
    region_builder_mark mark;
    region_builder_mark_get(c->b, &mark);
    int rc = csv_read_file(path, path, reg_header, row, c, c->b->progress, stage, e);
    if (rc) region_builder_rollback(c->b, &mark);
    hmap_str_free(&c->ids);
    if (rep) {
        memset(rep, 0, sizeof *rep);
        if (!rc) {
            rep->records = c->kept;
            rep->skipped = c->skipped + c->skipped_other;
            if (rep->skipped && skip_note)
                snprintf(rep->note, sizeof rep->note, skip_note,
                         (unsigned long long)c->skipped,
                         (unsigned long long)c->skipped_other);
        }
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* homes                                                               */

enum { H_ID, H_LAT, H_LON, H_TYPE, H_TENURE, H_PRICE, H_LIVING, H_ROOMS, H_PLOT,
       H_FEE, H_YEAR, H_ADDRESS, H_KOMMUN, H_URL, H_NCOLS };

static const reg_col home_cols[H_NCOLS] = {
    [H_ID] = {{"id", NULL}, 1},
    [H_LAT] = {{"lat", "latitude", NULL}, 1},
    [H_LON] = {{"lon", "longitude", "lng", NULL}, 1},
    [H_TYPE] = {{"type", "typ", NULL}, 1},
    [H_TENURE] = {{"tenure", "upplatelseform", "upplåtelseform", NULL}, 0},
    [H_PRICE] = {{"price_sek", "price", "pris", NULL}, 1},
    [H_LIVING] = {{"living_m2", "boarea", NULL}, 0},
    [H_ROOMS] = {{"rooms", "rum", NULL}, 0},
    [H_PLOT] = {{"plot_m2", "tomtarea", NULL}, 0},
    [H_FEE] = {{"fee_sek_month", "avgift", NULL}, 0},
    [H_YEAR] = {{"built_year", "byggar", "byggår", NULL}, 0},
    [H_ADDRESS] = {{"address", "adress", NULL}, 0},
    [H_KOMMUN] = {{"kommun_code", "municipality_code", NULL}, 0},
    [H_URL] = {{"url", NULL}, 0},
};

static const reg_word home_types[] = {
    {"house", HOME_HOUSE, -1}, {"terraced", HOME_TERRACED, -1},
    {"apartment", HOME_APARTMENT, -1}, {"holiday", HOME_HOLIDAY, -1},
    {"farm", HOME_FARM, -1}, {"plot", HOME_PLOT, -1},
    {"villa", HOME_HOUSE, -1}, {"radhus", HOME_TERRACED, -1},
    {"kedjehus", HOME_TERRACED, -1}, {"parhus", HOME_TERRACED, -1},
    {"l\xc3\xa4genhet", HOME_APARTMENT, -1},
    {"bostadsr\xc3\xa4tt", HOME_APARTMENT, TENURE_COOP},
    {"fritidshus", HOME_HOLIDAY, -1}, {"g\xc3\xa5rd", HOME_FARM, -1},
    {"tomt", HOME_PLOT, -1},
};
#define HOME_TYPES_ALLOWED "house, terraced, apartment, holiday, farm, plot " \
    "(or villa, radhus, kedjehus, parhus, l\xc3\xa4genhet, bostadsr\xc3\xa4tt, " \
    "fritidshus, g\xc3\xa5rd, tomt)"

static const reg_word tenures[] = {
    {"owned", TENURE_OWNED, 0}, {"coop", TENURE_COOP, 0}, {"rental", TENURE_RENTAL, 0},
    {"\xc3\xa4gander\xc3\xa4tt", TENURE_OWNED, 0},
    {"bostadsr\xc3\xa4tt", TENURE_COOP, 0},
    {"hyresr\xc3\xa4tt", TENURE_RENTAL, 0},
};
#define TENURES_ALLOWED "owned, coop, rental (or \xc3\xa4gander\xc3\xa4tt, " \
    "bostadsr\xc3\xa4tt, hyresr\xc3\xa4tt), or empty for the type's default"

static int home_row(void *ud, const csv_row *row, fk_err *e)
{
    reg_ctx *c = ud;
    region_builder *b = c->b;
    region_home h = {0};
    const char *id;
    const reg_word *type, *ten = NULL;
    double price, living, rooms, plot, fee, year;
    int rc = reg_req(c, row, H_ID, &id, e);
    if (!rc) rc = reg_unique(c, row, "field id", id, strlen(id), id, e);
    if (!rc) rc = reg_pos(c, row, H_LAT, H_LON, &h.pos, e);
    if (!rc) rc = reg_lookup(c, row, H_TYPE, home_types,
                             sizeof home_types / sizeof *home_types,
                             HOME_TYPES_ALLOWED, &type, e);
    if (!rc && *reg_get(c, row, H_TENURE))
        rc = reg_lookup(c, row, H_TENURE, tenures, sizeof tenures / sizeof *tenures,
                        TENURES_ALLOWED, &ten, e);
    if (!rc) rc = reg_num(c, row, H_PRICE, 0, 2e9, 1, 0, 0, &price, e);
    if (!rc) rc = reg_num(c, row, H_LIVING, 1, 2000, 1, 1, 0, &living, e);
    if (!rc) rc = reg_num(c, row, H_ROOMS, 0.5, 50, 0, 1, 0, &rooms, e);
    if (!rc) rc = reg_num(c, row, H_PLOT, 0, 1e9, 1, 1, 0, &plot, e);
    if (!rc) rc = reg_num(c, row, H_FEE, 0, 1e6, 1, 1, 0, &fee, e);
    if (!rc) rc = reg_num(c, row, H_YEAR, 1600, 2100, 1, 1, 0, &year, e);
    if (!rc) rc = reg_kommun(c, row, H_KOMMUN, h.pos, &h.kommun_code, e);
    if (rc) return rc;
    if (b->homes.n >= UINT32_MAX) return ROWERR(row, FK_ETOOBIG, "%s", "too many homes");
    h.type = (uint8_t)type->value;
    if (ten) h.tenure = (uint8_t)ten->value;
    else if (type->extra >= 0) h.tenure = (uint8_t)type->extra;
    else h.tenure = type->value == HOME_APARTMENT ? TENURE_COOP : TENURE_OWNED;
    h.price_sek = (uint32_t)price;
    h.living_m2 = (uint16_t)living;
    h.rooms_x10 = (uint16_t)lround(rooms * 10);
    h.plot_m2 = (uint32_t)plot;
    h.fee_sek_month = (uint32_t)fee;
    h.built_year = (uint16_t)year;
    h.source_id = rb_str(b, id, &rc);
    h.address = rb_str(b, reg_get(c, row, H_ADDRESS), &rc);
    h.url = rb_str(b, reg_get(c, row, H_URL), &rc);
    if (rc || vec_push(b->homes, h)) return ROWERR(row, FK_ENOMEM, "%s", "out of memory");
    c->kept++;
    return 0;
}

/*
 * Imports homes for sale from the CSV at path (schema in docs/schemas.md).
 * A home's kommun is its kommun_code field, else from its point (see
 * reg_kommun: the containing kommun area, else one within 10 km, else 0). 0, or FK_EIO/FK_EPARSE/FK_ENOMEM with a message
 * "file:line: field NAME: "value" ..." and the builder unchanged.
 */
int ingest_homes_csv(region_builder *b, const char *path, ingest_report *rep, fk_err *e)
{
    reg_ctx c = {0};
    c.b = b;
    c.cols = home_cols;
    c.ncols = H_NCOLS;
    return reg_run(&c, path, home_row, "homes", rep, NULL, e);
}

/* ------------------------------------------------------------------ */
/* places                                                              */

enum { P_ID, P_KIND, P_NAME, P_LAT, P_LON, P_LEVEL, P_SUBKIND, P_KOMMUN, P_NCOLS };

static const reg_col place_cols[P_NCOLS] = {
    [P_ID] = {{"id", NULL}, 1},
    [P_KIND] = {{"kind", "typ", NULL}, 1},
    [P_NAME] = {{"name", "namn", NULL}, 1},
    [P_LAT] = {{"lat", "latitude", NULL}, 1},
    [P_LON] = {{"lon", "longitude", "lng", NULL}, 1},
    [P_LEVEL] = {{"level", "skolform", NULL}, 0},
    [P_SUBKIND] = {{"subkind", NULL}, 0},
    [P_KOMMUN] = {{"kommun_code", "municipality_code", NULL}, 0},
};

static const reg_word place_kinds[] = {
    {"school", POI_SCHOOL, 0}, {"preschool", POI_PRESCHOOL, 0},
    {"health", POI_HEALTH, 0}, {"grocery", POI_GROCERY, 0},
    {"pharmacy", POI_PHARMACY, 0}, {"library", POI_LIBRARY, 0},
    {"sports", POI_SPORTS, 0},
    {"skola", POI_SCHOOL, 0}, {"f\xc3\xb6rskola", POI_PRESCHOOL, 0},
    {"v\xc3\xa5rdcentral", POI_HEALTH, 0}, {"livsmedel", POI_GROCERY, 0},
    {"apotek", POI_PHARMACY, 0}, {"bibliotek", POI_LIBRARY, 0},
    {"idrott", POI_SPORTS, 0},
};
#define PLACE_KINDS_ALLOWED "school, preschool, health, grocery, pharmacy, library, " \
    "sports (or skola, f\xc3\xb6rskola, v\xc3\xa5rdcentral, livsmedel, apotek, " \
    "bibliotek, idrott)"

static const reg_word school_levels[] = {
    {"f-6", SCHOOL_PRIMARY, 0}, {"f-3", SCHOOL_PRIMARY, 0},
    {"4-6", SCHOOL_PRIMARY, 0}, {"primary", SCHOOL_PRIMARY, 0},
    {"7-9", SCHOOL_LOWER_SEC, 0}, {"lower_secondary", SCHOOL_LOWER_SEC, 0},
    {"f-9", SCHOOL_PRIMARY | SCHOOL_LOWER_SEC, 0},
    {"gymnasium", SCHOOL_UPPER_SEC, 0}, {"upper", SCHOOL_UPPER_SEC, 0},
    {"upper_secondary", SCHOOL_UPPER_SEC, 0},
    {"adult", SCHOOL_ADULT, 0}, {"komvux", SCHOOL_ADULT, 0},
};
#define SCHOOL_LEVELS_ALLOWED "F-6, F-3, 4-6, 7-9, F-9, gymnasium (or upper), adult " \
    "(or komvux), several separated by ';'"

/* Parses the level field of a school: tokens separated by ';' or ','. */
static int place_level(const reg_ctx *c, const csv_row *row, uint8_t *out, fk_err *e)
{
    const char *s = reg_get(c, row, P_LEVEL);
    unsigned bits = 0;
    while (*s) {
        while (*s == ' ' || *s == ';' || *s == ',') s++;
        const char *t = s;
        while (*s && *s != ';' && *s != ',') s++;
        size_t n = (size_t)(s - t);
        while (n && t[n - 1] == ' ') n--;
        if (!n) continue;
        char tok[REG_MAX_WORD], f[REG_MAX_WORD];
        int found = 0;
        if (n < sizeof tok) {
            memcpy(tok, t, n);
            tok[n] = '\0';
            if (!reg_fold(tok, f, sizeof f))
                for (size_t i = 0; i < sizeof school_levels / sizeof *school_levels; i++)
                    if (strcmp(f, school_levels[i].word) == 0) {
                        bits |= (unsigned)school_levels[i].value;
                        found = 1;
                    }
        }
        if (!found)
            return ROWERR(row, FK_EPARSE, "field level: \"%.*s\" is not a school level, "
                          "expected %s", (int)(n > 40 ? 40 : n), t, SCHOOL_LEVELS_ALLOWED);
    }
    *out = (uint8_t)bits;
    return 0;
}

/* source_id of a place: the id itself when it is a decimal integer, else a
 * 62-bit hash of it with bit 62 set (so hashes never collide with small
 * numeric ids and are never negative like OSM way ids). */
static int64_t place_source_id(const char *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(id, &end, 10);
    if (!errno && end != id && *end == '\0' && id[0] != '+' && id[0] != ' ')
        return (int64_t)v;
    uint64_t h = hmap_hash(id, strlen(id));
    return (int64_t)((h & ((1ull << 62) - 1)) | (1ull << 62));
}

static int place_row(void *ud, const csv_row *row, fk_err *e)
{
    reg_ctx *c = ud;
    region_builder *b = c->b;
    region_poi p = {0};
    const char *id, *name;
    const reg_word *kind;
    int rc = reg_req(c, row, P_ID, &id, e);
    if (!rc) rc = reg_unique(c, row, "field id", id, strlen(id), id, e);
    if (!rc) rc = reg_lookup(c, row, P_KIND, place_kinds,
                             sizeof place_kinds / sizeof *place_kinds,
                             PLACE_KINDS_ALLOWED, &kind, e);
    if (!rc) rc = csv_req(row, c->idx[P_NAME], "name", &name, e);
    if (!rc) rc = reg_pos(c, row, P_LAT, P_LON, &p.pos, e);
    if (!rc && kind->value == POI_SCHOOL) rc = place_level(c, row, &p.level, e);
    if (!rc) rc = reg_kommun(c, row, P_KOMMUN, p.pos, &p.kommun_code, e);
    if (rc) return rc;
    if (b->pois.n >= UINT32_MAX) return ROWERR(row, FK_ETOOBIG, "%s", "too many places");
    p.kind = (uint8_t)kind->value;
    p.source_id = place_source_id(id);
    p.name = rb_str(b, name, &rc);
    p.subkind = rb_str(b, reg_get(c, row, P_SUBKIND), &rc);
    p.flags = 0;
    if (rc || vec_push(b->pois, p)) return ROWERR(row, FK_ENOMEM, "%s", "out of memory");
    c->kept++;
    return 0;
}

/*
 * Imports places from the CSV at path as region_poi records (schema in
 * docs/schemas.md). The level column is read for schools only. Same
 * errors and rollback as ingest_homes_csv.
 */
int ingest_places_csv(region_builder *b, const char *path, ingest_report *rep, fk_err *e)
{
    reg_ctx c = {0};
    c.b = b;
    c.cols = place_cols;
    c.ncols = P_NCOLS;
    return reg_run(&c, path, place_row, "places", rep, NULL, e);
}

/* ------------------------------------------------------------------ */
/* statistics                                                          */

enum { S_AREA, S_IND, S_YEAR, S_VALUE, S_UNIT, S_SOURCE, S_GENDER, S_NCOLS };

static const reg_col stat_cols[S_NCOLS] = {
    [S_AREA] = {{"area_code", "municipality", "kommun", "region", "area", NULL}, 1},
    [S_IND] = {{"indicator", "kpi", NULL}, 1},
    [S_YEAR] = {{"year", "period", "\xc3\xa5r", NULL}, 1},
    [S_VALUE] = {{"value", "varde", "v\xc3\xa4rde", NULL}, 1},
    [S_UNIT] = {{"unit", "enhet", NULL}, 0},
    [S_SOURCE] = {{"source", "kalla", "k\xc3\xa4lla", NULL}, 0},
    [S_GENDER] = {{"gender", "kon", "k\xc3\xb6n", NULL}, 0},
};

/* Whether a value field means "no value" in SCB and Kolada exports. */
static int stat_missing(const char *s)
{
    return !*s || strcmp(s, "..") == 0 || strcmp(s, "-") == 0 ||
           strcmp(s, "\xe2\x80\x93") == 0 /* en dash */ || strcmp(s, ".") == 0;
}

static int stat_row(void *ud, const csv_row *row, fk_err *e)
{
    reg_ctx *c = ud;
    region_builder *b = c->b;
    region_stat st = {0};
    const char *area, *ind;
    double year, value = 0;
    int rc = reg_req(c, row, S_AREA, &area, e);
    if (!rc) rc = reg_req(c, row, S_IND, &ind, e);
    if (!rc) rc = reg_num(c, row, S_YEAR, 1800, 2200, 1, 0, 0, &year, e);
    if (rc) return rc;
    /* SCB writes regions as "2580 Luleå": keep the leading code */
    size_t alen = strlen(area);
    const char *sp = strchr(area, ' ');
    if (sp && sp > area) {
        int digits = 1;
        for (const char *q = area; q < sp; q++)
            if (*q < '0' || *q > '9') digits = 0;
        if (digits) alen = (size_t)(sp - area);
    }
    const char *gender = reg_get(c, row, S_GENDER);
    if (*gender && strcmp(gender, "T") != 0 && strcmp(gender, "t") != 0 &&
        strcmp(gender, "total") != 0 && strcmp(gender, "Total") != 0) {
        c->skipped_other++;
        return 0;
    }
    if (stat_missing(reg_get(c, row, S_VALUE))) {
        c->skipped++;
        return 0;
    }
    rc = reg_num(c, row, S_VALUE, -1e300, 1e300, 0, 0, 0, &value, e);
    if (rc) return rc;
    /* one value per (area, indicator, year) */
    char key[3 * REG_MAX_ID + 16];
    int kn = snprintf(key, sizeof key, "%.*s\x1f%s\x1f%d", (int)alen, area, ind, (int)year);
    char shown[160];
    snprintf(shown, sizeof shown, "%.*s, %.60s, %d", (int)(alen > 40 ? 40 : alen), area,
             ind, (int)year);
    rc = reg_unique(c, row, "fields area_code, indicator, year", key, (size_t)kn, shown, e);
    if (rc) return rc;
    if (b->stats.n >= UINT32_MAX) return ROWERR(row, FK_ETOOBIG, "%s", "too many stats");
    st.value = value;
    st.year = (uint16_t)year;
    st.area_code = rb_strn(b, area, alen, &rc);
    st.indicator = rb_str(b, ind, &rc);
    st.unit = rb_str(b, reg_get(c, row, S_UNIT), &rc);
    st.source = rb_str(b, reg_get(c, row, S_SOURCE), &rc);
    if (rc || vec_push(b->stats, st)) return ROWERR(row, FK_ENOMEM, "%s", "out of memory");
    c->kept++;
    return 0;
}

/*
 * Imports statistics in long format (one value per row) from the CSV at
 * path (schema in docs/schemas.md). Missing values ("..", "-", empty) are
 * skipped and counted; with a gender column only the totals ("T") are
 * kept. A second value for the same area, indicator and year is an error
 * naming both lines. Same errors and rollback as ingest_homes_csv.
 */
int ingest_stats_csv(region_builder *b, const char *path, ingest_report *rep, fk_err *e)
{
    reg_ctx c = {0};
    c.b = b;
    c.cols = stat_cols;
    c.ncols = S_NCOLS;
    return reg_run(&c, path, stat_row, "stats", rep,
                   "%llu rows with a missing value (.., - or empty), "
                   "%llu rows not the total of a gender breakdown", e);
}
