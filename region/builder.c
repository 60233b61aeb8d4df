/*
 * builder.c: the region under construction (see builder.h): init/free,
 * string interning, source bookkeeping and point-in-kommun lookup.
 */
#include "builder.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Every array of the builder, for bulk operations. */
#define BUILDER_ARRAYS(X) \
    X(road_nodes) X(roads) X(pois) X(agencies) X(stops) X(routes) X(services) \
    X(service_bits) X(trips) X(stop_times) X(transfers) X(frequencies) \
    X(concepts) X(concept_rels) X(jobs) X(homes) X(areas) X(rings) \
    X(ring_points) X(localities) X(postcodes) X(stats) X(sources)

void region_builder_init(region_builder *b, const char *name)
{
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s", name ? name : "");
    /* Interned first so region_write finds it; on failure the header's
     * inline copy still carries the name. */
    uint32_t off;
    (void)strpool_add(&b->strings, b->name, &off);
}

void region_builder_free(region_builder *b)
{
    strpool_free(&b->strings);
#define X(f) vec_free(b->f);
    BUILDER_ARRAYS(X)
#undef X
    for (size_t i = 0; i < b->extra.n; i++) mem_free(b->extra.v[i].data);
    vec_free(b->extra);
}

int region_builder_add_section(region_builder *b, uint32_t id, uint32_t elem_size,
                               void *data, size_t count, fk_err *e)
{
    int bad = id < REGION_SEC_EXTRA_FIRST || elem_size == 0;
    for (size_t i = 0; !bad && i < b->extra.n; i++) bad = b->extra.v[i].id == id;
    if (bad) {
        mem_free(data);
        return err_set(e, FK_EINVAL, "section id %u: out of range or already added", id);
    }
    region_extra_section x = {id, elem_size, data, count};
    if (vec_push(b->extra, x)) {
        mem_free(data);
        return err_set(e, FK_ENOMEM, "out of memory");
    }
    return 0;
}

void region_builder_mark_get(const region_builder *b, region_builder_mark *m)
{
    size_t k = 0;
    memset(m, 0, sizeof *m);
#define X(f) m->n[k++] = b->f.n;
    BUILDER_ARRAYS(X)
#undef X
}

void region_builder_rollback(region_builder *b, const region_builder_mark *m)
{
    size_t k = 0;
#define X(f) if (b->f.n > m->n[k]) b->f.n = m->n[k]; k++;
    BUILDER_ARRAYS(X)
#undef X
}

uint32_t rb_strn(region_builder *b, const char *s, size_t len, int *rc)
{
    uint32_t off = 0;
    if (!s) return 0;
    int r = strpool_addn(&b->strings, s, len, &off);
    if (r) {
        if (!*rc) *rc = r;
        return 0;
    }
    return off;
}

uint32_t rb_str(region_builder *b, const char *s, int *rc)
{
    return s ? rb_strn(b, s, strlen(s), rc) : 0;
}

static int builder_file_crc(const char *path, uint64_t *bytes, uint32_t *crc,
                            fk_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, FK_EIO, "%s: cannot open: %s", path, strerror(errno));
    unsigned char buf[1 << 16];
    uLong c = crc32(0L, Z_NULL, 0);
    size_t n;
    uint64_t total = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        c = crc32(c, buf, (uInt)n);
        total += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) return err_set(e, FK_EIO, "%s: read error", path);
    *bytes = total;
    *crc = (uint32_t)c;
    return 0;
}

int region_builder_add_source(region_builder *b, const char *kind,
                              const char *path, uint32_t *index, fk_err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, FK_EIO, "%s: %s", path, strerror(errno));
    region_source s = {0};
    int rc = 0;
    s.kind = rb_str(b, kind, &rc);
    s.path = rb_str(b, path, &rc);
    if (rc) return err_set(e, rc, "out of memory");
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) return err_set(e, FK_EIO, "%s: %s", path, strerror(errno));
        struct dirent *de;
        char sub[4096];
        while ((de = readdir(d))) {
            struct stat fs;
            snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
            if (stat(sub, &fs) == 0 && S_ISREG(fs.st_mode)) s.bytes += (uint64_t)fs.st_size;
        }
        closedir(d);
    } else {
        rc = builder_file_crc(path, &s.bytes, &s.crc32, e);
        if (rc) return rc;
    }
    if (vec_push(b->sources, s)) return err_set(e, FK_ENOMEM, "out of memory");
    if (index) *index = (uint32_t)(b->sources.n - 1);
    return 0;
}

uint16_t region_builder_kommun_at(const region_builder *b, geo_point p)
{
    for (size_t i = 0; i < b->areas.n; i++) {
        const region_area *a = &b->areas.v[i];
        if (a->level != 0 || !geo_bbox_contains(&a->bbox, p)) continue;
        int in = 0;
        for (uint32_t k = 0; k < a->n_rings; k++) {
            const region_ring *rg = &b->rings.v[a->first_ring + k];
            if (geo_ring_contains(b->ring_points.v + rg->first_point, rg->n_points, p))
                in = !in;
        }
        if (in) return a->kommun_code;
    }
    return 0;
}
