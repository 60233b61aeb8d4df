/*
 * fuzz_osm.c: libFuzzer target for the OSM importer (ingest/osm.c) and,
 * on inputs of odd length, its clip mask (ingest/clip.c).
 *
 * readosm reads only from a path whose name ends in .osm or .pbf, so each
 * input is written to a fresh temporary file ending in .osm (mkstemps),
 * imported into a fresh builder, and everything is freed and removed.
 * Only OSM XML is fuzzed: readosm's PBF decoder is an uninstrumented
 * library we could not fix anyway.
 *
 * Leaks: libreadosm 1.1.0a does not free its expat parser (nor the tags of
 * the element being read) when the XML is malformed, so LeakSanitizer is
 * told to ignore allocations made inside readosm and expat. Our own code
 * allocates only through base/mem.h, whose byte count must return to its
 * starting value after every input; the target aborts when it does not.
 * Those readosm leaks (~7 KB per malformed input) would fill the 2 GB RSS
 * limit in a few minutes, so inputs that expat itself rejects (checked
 * through the libexpat readosm already loaded) are imported only when a
 * hash of the input is 0 mod 256: the error path stays covered.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/mem.h"
#include "../ingest/osm.h"

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libreadosm.so\nleak:libexpat.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when expat parses data as well-formed XML, 0 when not, -1 when expat
 * cannot be reached. */
static int fuzz_xml_wellformed(const uint8_t *data, size_t size)
{
    static int loaded;
    static void *(*create)(const char *);
    static int (*parse)(void *, const char *, int, int);
    static void (*destroy)(void *);
    if (!loaded) {
        loaded = -1;
        void *h = dlopen("libexpat.so.1", RTLD_LAZY);
        if (h) {
            *(void **)&create = dlsym(h, "XML_ParserCreate");
            *(void **)&parse = dlsym(h, "XML_Parse");
            *(void **)&destroy = dlsym(h, "XML_ParserFree");
            if (create && parse && destroy) loaded = 1;
        }
    }
    if (loaded < 0 || size > INT32_MAX) return -1;
    void *p = create(NULL);
    if (!p) return -1;
    int ok = parse(p, (const char *)data, (int)size, 1) != 0;
    destroy(p);
    return ok;
}

/* A kommun square around the seeds' coordinates (lat 59..59.05, lon 18..18.1). */
static void fuzz_add_area(region_builder *b)
{
    static const double c[4][2] = {{59.0, 18.0}, {59.0, 18.1}, {59.05, 18.1}, {59.05, 18.0}};
    region_ring rg = {(uint32_t)b->ring_points.n, 4, RING_OUTER, {0}};
    region_area a;
    memset(&a, 0, sizeof a);
    a.bbox = geo_bbox_empty();
    for (int i = 0; i < 4; i++) {
        geo_point p;
        if (geo_from_deg(c[i][0], c[i][1], &p) || vec_push(b->ring_points, p)) abort();
        geo_bbox_add(&a.bbox, p);
    }
    a.first_ring = (uint32_t)b->rings.n;
    a.n_rings = 1;
    a.kommun_code = 2580;
    if (vec_push(b->rings, rg) || vec_push(b->areas, a)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_xml_wellformed(data, size) == 0) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 16777619u;
        if (h & 255) return 0;
    }
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fuzz_osm_XXXXXX.osm", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 4);
    if (fd < 0) return 0;
    size_t off = 0;
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);
        if (n <= 0) break;
        off += (size_t)n;
    }
    close(fd);

    size_t used0 = mem_used_bytes();
    region_builder b;
    region_builder_init(&b, "fuzz");
    ingest_osm_opts opts = {0, 0, 0};
    if (size & 1) {
        fuzz_add_area(&b);
        opts.clip = 1;
        opts.clip_margin_m = 300;
    }
    ingest_report rep;
    fk_err e;
    err_clear(&e);
    int rc = ingest_osm(&b, path, &opts, &rep, &e);
    if (rc && !e.msg[0]) abort();            /* every failure says why */
    if (rc == 0) {
        for (size_t i = 0; i < b.roads.n; i++)
            if (b.roads.v[i].from >= b.road_nodes.n || b.roads.v[i].to >= b.road_nodes.n ||
                b.roads.v[i].from == b.roads.v[i].to)
                abort();
    } else if (b.roads.n || b.pois.n || b.road_nodes.n) {
        abort();                             /* failed imports roll back */
    }
    region_builder_free(&b);
    unlink(path);
    if (mem_used_bytes() != used0) abort();  /* our heap leaked */
    return 0;
}
