/*
 * snapshot.c: writing and opening region snapshot files (format in
 * region.h and docs/snapshot.md).
 *
 * Writing: the header, the section table and every section are written to
 * a temporary file beside the target, which is fsync-ed and renamed over
 * the target; the directory is fsync-ed too. A crash leaves either the old
 * file or the new one, never half of one.
 *
 * Opening: the file is mapped read-only, then validated before any pointer
 * is handed out: magic, byte order, version, header CRC, file size, every
 * section in bounds, aligned, sized as count * elem_size for the compiled
 * record size, optionally every section CRC, and every cross-reference
 * (indices and string offsets) in range, so that later code may index
 * without checks.
 */
#include "region.h"
#include "builder.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "../base/mem.h"

_Static_assert(sizeof(region_file_header) == 256, "header is 256 bytes");
_Static_assert(sizeof(region_section_entry) == 32, "section entry is 32 bytes");

#define SNAP_ALIGN 64u
#define SNAP_ENDIAN 0x01020304u

/* What each built-in section holds: record size and where the reader puts it. */
typedef struct snap_desc {
    uint32_t id;
    const char *name;
    uint32_t elem_size;
    size_t ptr_off;    /* offsetof(region, array) */
    size_t n_off;      /* offsetof(region, count) */
} snap_desc;

#define SD(id, nm, T, arr) \
    {id, nm, sizeof(T), offsetof(region, arr), offsetof(region, n_##arr)}

static const snap_desc snap_descs[] = {
    {SEC_STRINGS, "strings", 1, offsetof(region, strings), offsetof(region, strings_len)},
    SD(SEC_ROAD_NODES, "road_nodes", geo_point, road_nodes),
    SD(SEC_ROADS, "roads", region_road, roads),
    SD(SEC_POIS, "pois", region_poi, pois),
    SD(SEC_AGENCIES, "agencies", region_agency, agencies),
    SD(SEC_STOPS, "stops", region_stop, stops),
    SD(SEC_ROUTES, "routes", region_route, routes),
    SD(SEC_SERVICES, "services", region_service, services),
    SD(SEC_SERVICE_BITS, "service_bits", uint8_t, service_bits),
    SD(SEC_TRIPS, "trips", region_trip, trips),
    SD(SEC_STOP_TIMES, "stop_times", region_stop_time, stop_times),
    SD(SEC_TRANSFERS, "transfers", region_transfer, transfers),
    SD(SEC_FREQUENCIES, "frequencies", region_frequency, frequencies),
    SD(SEC_CONCEPTS, "concepts", region_concept, concepts),
    SD(SEC_CONCEPT_RELS, "concept_rels", region_concept_rel, concept_rels),
    SD(SEC_JOBS, "jobs", region_job, jobs),
    SD(SEC_HOMES, "homes", region_home, homes),
    SD(SEC_AREAS, "areas", region_area, areas),
    SD(SEC_RINGS, "rings", region_ring, rings),
    SD(SEC_RING_POINTS, "ring_points", geo_point, ring_points),
    SD(SEC_LOCALITIES, "localities", region_locality, localities),
    SD(SEC_POSTCODES, "postcodes", region_postcode, postcodes),
    SD(SEC_STATS, "stats", region_stat, stats),
    SD(SEC_SOURCES, "sources", region_source, sources),
};
#define SNAP_NDESC (sizeof snap_descs / sizeof snap_descs[0])

const char *region_section_name(uint32_t id)
{
    for (size_t i = 0; i < SNAP_NDESC; i++)
        if (snap_descs[i].id == id) return snap_descs[i].name;
    return "unknown";
}

/* ---------------------------------------------------------------- write */

/* The builder's array for descriptor d, as bytes and a count. */
static void snap_builder_array(const region_builder *b, const snap_desc *d,
                               const void **data, size_t *count)
{
    switch (d->id) {
#define BA(ID, f) case ID: *data = b->f.v; *count = b->f.n; return;
    BA(SEC_ROAD_NODES, road_nodes) BA(SEC_ROADS, roads) BA(SEC_POIS, pois)
    BA(SEC_AGENCIES, agencies) BA(SEC_STOPS, stops) BA(SEC_ROUTES, routes)
    BA(SEC_SERVICES, services) BA(SEC_SERVICE_BITS, service_bits)
    BA(SEC_TRIPS, trips) BA(SEC_STOP_TIMES, stop_times)
    BA(SEC_TRANSFERS, transfers) BA(SEC_FREQUENCIES, frequencies)
    BA(SEC_CONCEPTS, concepts) BA(SEC_CONCEPT_RELS, concept_rels)
    BA(SEC_JOBS, jobs) BA(SEC_HOMES, homes) BA(SEC_AREAS, areas)
    BA(SEC_RINGS, rings) BA(SEC_RING_POINTS, ring_points)
    BA(SEC_LOCALITIES, localities) BA(SEC_POSTCODES, postcodes)
    BA(SEC_STATS, stats) BA(SEC_SOURCES, sources)
#undef BA
    case SEC_STRINGS:
        if (b->strings.data) {
            *data = b->strings.data;
            *count = b->strings.len;
        } else {
            *data = "";
            *count = 1;
        }
        return;
    default:
        *data = NULL;
        *count = 0;
    }
}

static int snap_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n > (1u << 30) ? (1u << 30) : n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static uint32_t snap_crc(const void *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    const unsigned char *b = p;
    while (n > 0) {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        c = crc32(c, b, chunk);
        b += chunk;
        n -= chunk;
    }
    return (uint32_t)c;
}

static void snap_header_bbox(const region_builder *b, geo_bbox *bb)
{
    *bb = geo_bbox_empty();
    for (size_t i = 0; i < b->road_nodes.n; i++) geo_bbox_add(bb, b->road_nodes.v[i]);
    for (size_t i = 0; i < b->stops.n; i++) geo_bbox_add(bb, b->stops.v[i].pos);
    for (size_t i = 0; i < b->pois.n; i++) geo_bbox_add(bb, b->pois.v[i].pos);
    for (size_t i = 0; i < b->areas.n; i++)
        if (!geo_bbox_is_empty(&b->areas.v[i].bbox)) {
            geo_point lo = {b->areas.v[i].bbox.min_lat_e7, b->areas.v[i].bbox.min_lon_e7};
            geo_point hi = {b->areas.v[i].bbox.max_lat_e7, b->areas.v[i].bbox.max_lon_e7};
            geo_bbox_add(bb, lo);
            geo_bbox_add(bb, hi);
        }
    if (geo_bbox_is_empty(bb)) memset(bb, 0, sizeof *bb);
}

/* Data and count of section k of the file: the built-in ones first, then
 * the builder's extra sections. */
static void snap_section_k(const region_builder *b, size_t k, uint32_t *id,
                           uint32_t *elem, const void **data, size_t *count)
{
    if (k < SNAP_NDESC) {
        *id = snap_descs[k].id;
        *elem = snap_descs[k].elem_size;
        snap_builder_array(b, &snap_descs[k], data, count);
    } else {
        const region_extra_section *x = &b->extra.v[k - SNAP_NDESC];
        *id = x->id;
        *elem = x->elem_size;
        *data = x->data;
        *count = x->count;
    }
}

int region_write(const region_builder *b, const char *path, fk_err *e)
{
    region_file_header h;
    size_t n_sec = SNAP_NDESC + b->extra.n;
    region_section_entry *ents = mem_calloc(n_sec, sizeof *ents);
    if (!ents) return err_set(e, FK_ENOMEM, "out of memory");
    memset(&h, 0, sizeof h);

    /* lay out */
    uint64_t off = sizeof h + n_sec * sizeof *ents;
    for (size_t i = 0; i < n_sec; i++) {
        const void *data;
        size_t count;
        snap_section_k(b, i, &ents[i].id, &ents[i].elem_size, &data, &count);
        off = (off + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN;
        ents[i].offset = off;
        ents[i].count = count;
        ents[i].crc32 = snap_crc(data, count * ents[i].elem_size);
        off += (uint64_t)count * ents[i].elem_size;
    }
    memcpy(h.magic, REGION_MAGIC, 8);
    h.version = REGION_FORMAT_VERSION;
    h.header_size = sizeof h;
    h.file_size = off;
    h.build_time = (int64_t)time(NULL);
    h.n_sections = (uint32_t)n_sec;
    h.flags = b->gen_flags;
    h.endian_check = SNAP_ENDIAN;
    h.generator_seed = b->seed;
    snap_header_bbox(b, &h.bbox);
    snprintf(h.name_inline, sizeof h.name_inline, "%s", b->name);
    {
        /* the name also lives in the pool so readers find it like any string */
        uint32_t got = strpool_find(&b->strings, b->name, strlen(b->name));
        h.name = got == UINT32_MAX ? 0 : got;
    }
    h.header_crc = snap_crc(&h, offsetof(region_file_header, header_crc));

    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp) {
        mem_free(ents);
        return err_set(e, FK_EINVAL, "%s: path too long", path);
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        mem_free(ents);
        return err_set(e, FK_EIO, "%s: cannot create: %s", tmp, strerror(errno));
    }
    static const char zeros[SNAP_ALIGN];
    uint64_t pos = 0;
    if (snap_write_all(fd, &h, sizeof h) || snap_write_all(fd, ents, n_sec * sizeof *ents))
        goto io_fail;
    pos = sizeof h + n_sec * sizeof *ents;
    for (size_t i = 0; i < n_sec; i++) {
        const void *data;
        size_t count;
        uint32_t id, elem;
        snap_section_k(b, i, &id, &elem, &data, &count);
        if (ents[i].offset > pos) {
            if (snap_write_all(fd, zeros, (size_t)(ents[i].offset - pos))) goto io_fail;
            pos = ents[i].offset;
        }
        size_t n = count * elem;
        if (n && snap_write_all(fd, data, n)) goto io_fail;
        pos += n;
    }
    if (fsync(fd) != 0) goto io_fail;
    if (close(fd) != 0) {
        fd = -1;
        goto io_fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) goto io_fail;
    {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    mem_free(ents);
    return 0;
io_fail: {
        int saved = errno;
        if (fd >= 0) close(fd);
        unlink(tmp);
        mem_free(ents);
        return err_set(e, FK_EIO, "%s: write failed: %s", path, strerror(saved));
    }
}

/* ----------------------------------------------------------------- open */

const region_section_entry *region_section(const region *r, uint32_t id)
{
    for (size_t i = 0; i < r->n_sections; i++)
        if (r->sections[i].id == id) return &r->sections[i];
    return NULL;
}

const void *region_section_data(const region *r, const region_section_entry *s)
{
    return (const char *)r->map + s->offset;
}

#define SNAP_BAD(...) do { rc = err_set(e, FK_ECORRUPT, __VA_ARGS__); goto fail; } while (0)

/* Cross-reference checks: every index and string offset in range. */
static int snap_check_refs(const region *r, const char *path, fk_err *e)
{
    int rc = 0;
    size_t ns = r->strings_len;
#define STR_OK(x) ((x) < ns)
#define IDX_OK(x, n) ((x) < (n))
#define IDX_OR_NONE(x, n) ((x) == REGION_NONE || (x) < (n))
    if (ns == 0 || r->strings[ns - 1] != '\0' || r->strings[0] != '\0')
        SNAP_BAD("%s: section strings: not NUL-terminated", path);
    for (size_t i = 0; i < r->n_roads; i++) {
        const region_road *x = &r->roads[i];
        if (!IDX_OK(x->from, r->n_road_nodes) || !IDX_OK(x->to, r->n_road_nodes) ||
            !STR_OK(x->name) || x->highway >= HW_COUNT)
            SNAP_BAD("%s: section roads: record %zu refers out of range", path, i);
    }
    for (size_t i = 0; i < r->n_pois; i++) {
        const region_poi *x = &r->pois[i];
        if (!STR_OK(x->name) || !STR_OK(x->subkind) || x->kind >= POI_KIND_COUNT)
            SNAP_BAD("%s: section pois: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_agencies; i++) {
        const region_agency *x = &r->agencies[i];
        if (!STR_OK(x->gtfs_id) || !STR_OK(x->name) || !STR_OK(x->url) || !STR_OK(x->timezone))
            SNAP_BAD("%s: section agencies: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_stops; i++) {
        const region_stop *x = &r->stops[i];
        if (!STR_OK(x->gtfs_id) || !STR_OK(x->name) || !STR_OK(x->platform_code) ||
            !IDX_OR_NONE(x->parent, r->n_stops))
            SNAP_BAD("%s: section stops: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_routes; i++) {
        const region_route *x = &r->routes[i];
        if (!STR_OK(x->gtfs_id) || !STR_OK(x->short_name) || !STR_OK(x->long_name) ||
            !IDX_OR_NONE(x->agency, r->n_agencies))
            SNAP_BAD("%s: section routes: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_services; i++) {
        const region_service *x = &r->services[i];
        if (!STR_OK(x->gtfs_id) || x->bits > r->n_service_bits ||
            (x->n_days + 7) / 8 > r->n_service_bits - x->bits)
            SNAP_BAD("%s: section services: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_trips; i++) {
        const region_trip *x = &r->trips[i];
        if (!STR_OK(x->gtfs_id) || !STR_OK(x->headsign) || !STR_OK(x->short_name) ||
            !IDX_OK(x->route, r->n_routes) || !IDX_OK(x->service, r->n_services) ||
            x->first_stop_time > r->n_stop_times ||
            x->n_stop_times > r->n_stop_times - x->first_stop_time)
            SNAP_BAD("%s: section trips: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_stop_times; i++) {
        const region_stop_time *x = &r->stop_times[i];
        if (!IDX_OK(x->stop, r->n_stops) || !STR_OK(x->headsign))
            SNAP_BAD("%s: section stop_times: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_transfers; i++) {
        const region_transfer *x = &r->transfers[i];
        if (!IDX_OK(x->from_stop, r->n_stops) || !IDX_OK(x->to_stop, r->n_stops) ||
            !IDX_OR_NONE(x->from_trip, r->n_trips) || !IDX_OR_NONE(x->to_trip, r->n_trips) ||
            !IDX_OR_NONE(x->from_route, r->n_routes) || !IDX_OR_NONE(x->to_route, r->n_routes))
            SNAP_BAD("%s: section transfers: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_frequencies; i++)
        if (!IDX_OK(r->frequencies[i].trip, r->n_trips))
            SNAP_BAD("%s: section frequencies: record %zu invalid", path, i);
    for (size_t i = 0; i < r->n_concepts; i++) {
        const region_concept *x = &r->concepts[i];
        if (!STR_OK(x->concept_id) || !STR_OK(x->label) || !STR_OK(x->legacy_id) ||
            x->type >= CONCEPT_TYPE_COUNT)
            SNAP_BAD("%s: section concepts: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_concept_rels; i++)
        if (!IDX_OK(r->concept_rels[i].narrower, r->n_concepts) ||
            !IDX_OK(r->concept_rels[i].broader, r->n_concepts))
            SNAP_BAD("%s: section concept_rels: record %zu invalid", path, i);
    for (size_t i = 0; i < r->n_jobs; i++) {
        const region_job *x = &r->jobs[i];
        if (!STR_OK(x->source_id) || !STR_OK(x->title) || !STR_OK(x->employer) ||
            !STR_OK(x->description) || !STR_OK(x->url) || !STR_OK(x->address) ||
            !IDX_OR_NONE(x->occupation, r->n_concepts) ||
            !IDX_OR_NONE(x->occupation_group, r->n_concepts) ||
            !IDX_OR_NONE(x->occupation_field, r->n_concepts))
            SNAP_BAD("%s: section jobs: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_homes; i++) {
        const region_home *x = &r->homes[i];
        if (!STR_OK(x->source_id) || !STR_OK(x->address) || !STR_OK(x->url) ||
            x->type >= HOME_TYPE_COUNT || x->tenure >= TENURE_COUNT)
            SNAP_BAD("%s: section homes: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_areas; i++) {
        const region_area *x = &r->areas[i];
        if (!STR_OK(x->code) || !STR_OK(x->name) || x->first_ring > r->n_rings ||
            x->n_rings > r->n_rings - x->first_ring)
            SNAP_BAD("%s: section areas: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_rings; i++) {
        const region_ring *x = &r->rings[i];
        if (x->first_point > r->n_ring_points ||
            x->n_points > r->n_ring_points - x->first_point)
            SNAP_BAD("%s: section rings: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_localities; i++)
        if (!STR_OK(r->localities[i].name))
            SNAP_BAD("%s: section localities: record %zu invalid", path, i);
    for (size_t i = 0; i < r->n_postcodes; i++)
        if (!STR_OK(r->postcodes[i].locality))
            SNAP_BAD("%s: section postcodes: record %zu invalid", path, i);
    for (size_t i = 0; i < r->n_stats; i++) {
        const region_stat *x = &r->stats[i];
        if (!STR_OK(x->area_code) || !STR_OK(x->indicator) || !STR_OK(x->unit) ||
            !STR_OK(x->source))
            SNAP_BAD("%s: section stats: record %zu invalid", path, i);
    }
    for (size_t i = 0; i < r->n_sources; i++)
        if (!STR_OK(r->sources[i].kind) || !STR_OK(r->sources[i].path))
            SNAP_BAD("%s: section sources: record %zu invalid", path, i);
    if (!STR_OK(r->hdr->name)) SNAP_BAD("%s: header: name out of range", path);
#undef STR_OK
#undef IDX_OK
#undef IDX_OR_NONE
fail:
    return rc;
}

int region_open(const char *path, unsigned flags, region **out, fk_err *e)
{
    int rc = 0;
    int fd = -1;
    void *map = MAP_FAILED;
    size_t len = 0;
    region *r = NULL;
    *out = NULL;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return err_set(e, FK_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = err_set(e, FK_EIO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = err_set(e, FK_EIO, "%s: not a regular file", path);
        goto fail;
    }
    len = (size_t)st.st_size;
    if (len < sizeof(region_file_header))
        SNAP_BAD("%s: not a region snapshot (only %zu bytes; a snapshot starts with a "
                 "256-byte header). Rebuild it with `flyttkarta build`.", path, len);
    map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        rc = err_set(e, FK_EIO, "%s: mmap: %s", path, strerror(errno));
        goto fail;
    }
    close(fd);
    fd = -1;
    const region_file_header *h = map;
    if (memcmp(h->magic, REGION_MAGIC, 8) != 0)
        SNAP_BAD("%s: not a region snapshot (bad magic)", path);
    if (h->endian_check != SNAP_ENDIAN)
        SNAP_BAD("%s: written on a machine of other byte order; rebuild it here", path);
    if (h->version != REGION_FORMAT_VERSION) {
        rc = err_set(e, FK_EVERSION,
                     "%s: snapshot format version %u, this program reads version %u; "
                     "rebuild it with `flyttkarta build`", path, h->version,
                     REGION_FORMAT_VERSION);
        goto fail;
    }
    if (h->header_size != sizeof *h ||
        snap_crc(h, offsetof(region_file_header, header_crc)) != h->header_crc)
        SNAP_BAD("%s: header checksum mismatch (file damaged)", path);
    if (h->file_size != len)
        SNAP_BAD("%s: truncated or extended: header says %llu bytes, file has %zu", path,
                 (unsigned long long)h->file_size, len);
    if (h->n_sections > 4096 ||
        sizeof *h + (uint64_t)h->n_sections * sizeof(region_section_entry) > len)
        SNAP_BAD("%s: section table out of range", path);

    r = mem_calloc(1, sizeof *r);
    if (!r) {
        rc = err_set(e, FK_ENOMEM, "out of memory");
        goto fail;
    }
    r->hdr = h;
    r->map = map;
    r->map_len = len;
    r->sections = (const region_section_entry *)(h + 1);
    r->n_sections = h->n_sections;
    for (size_t i = 0; i < r->n_sections; i++) {
        const region_section_entry *s = &r->sections[i];
        const char *nm = region_section_name(s->id);
        if (s->offset % SNAP_ALIGN != 0 || s->offset > len)
            SNAP_BAD("%s: section %s: offset %llu invalid", path, nm,
                     (unsigned long long)s->offset);
        if (s->elem_size == 0 || s->count > (len - s->offset) / s->elem_size)
            SNAP_BAD("%s: section %s: %llu records of %u bytes exceed the file", path, nm,
                     (unsigned long long)s->count, s->elem_size);
        size_t bytes = (size_t)s->count * s->elem_size;
        if ((flags & REGION_OPEN_VERIFY_CRC) &&
            snap_crc((const char *)map + s->offset, bytes) != s->crc32)
            SNAP_BAD("%s: section %s: checksum mismatch (file damaged)", path, nm);
        for (size_t k = 0; k < SNAP_NDESC; k++) {
            const snap_desc *d = &snap_descs[k];
            if (d->id != s->id) continue;
            if (s->elem_size != d->elem_size)
                SNAP_BAD("%s: section %s: record size %u, expected %u", path, nm,
                         s->elem_size, d->elem_size);
            *(const void **)((char *)r + d->ptr_off) = (const char *)map + s->offset;
            *(size_t *)((char *)r + d->n_off) = (size_t)s->count;
        }
    }
    if (!r->strings) SNAP_BAD("%s: section strings missing", path);
    rc = snap_check_refs(r, path, e);
    if (rc) goto fail;
    *out = r;
    return 0;
fail:
    if (fd >= 0) close(fd);
    if (map != MAP_FAILED) munmap(map, len);
    mem_free(r);
    return rc;
}

void region_close(region *r)
{
    if (!r) return;
    munmap((void *)r->map, r->map_len);
    mem_free(r);
}
