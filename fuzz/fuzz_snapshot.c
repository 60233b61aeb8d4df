/*
 * fuzz_snapshot.c: libFuzzer target for region_open and the routing
 * modules' own section validation (graphs, contraction hierarchies, snap
 * index, nearest tables, transit timetable): any bytes given as a snapshot
 * file must be refused cleanly or opened with every reference in range
 * (then records are touched, and a few queries run, to prove it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "../region/region.h"
#include "../route/ch.h"
#include "../route/graph.h"
#include "../route/nearest.h"
#include "../route/snap.h"
#include "../route/transit.h"

/* Opens every routing structure; on success runs a query or two. */
static void fuzz_routing(const region *r)
{
    fk_err e;
    for (int m = 0; m < MODE_COUNT; m++) {
        route_graph g;
        if (route_graph_open(r, (route_mode)m, DIR_FORWARD, &g, &e) == 0 && g.n_nodes) {
            volatile uint64_t sum = 0;
            for (uint32_t k = 0; k < g.n_edges; k++) sum += g.edges[k].head;
            (void)sum;
        }
        route_ch ch;
        if (route_ch_open(r, (route_mode)m, &ch, &e) == 0 && ch.n_nodes) {
            route_ch_scratch s;
            if (route_ch_scratch_init(&s, &ch) == 0) {
                uint32_t src = 0, dst = ch.n_nodes - 1;
                route_ch_result res;
                (void)route_ch_p2p(&ch, &s, &src, NULL, 1, &dst, NULL, 1, &res);
                (void)route_ch_phast(&ch, &s, DIR_FORWARD, &src, NULL, 1, 6000);
                route_ch_scratch_free(&s);
            }
        }
    }
    route_snapper sn;
    if (route_snap_open(r, &sn, &e) == 0 && r->n_road_nodes) {
        route_snap_result res;
        (void)route_snap(&sn, MODE_WALK, r->road_nodes[0], 1000, &res, &e);
    }
    route_nearest_index x;
    if (route_nearest_open(r, &x, &e) == 0) {
        if (r->n_road_nodes) {
            route_nearest_result res;
            (void)route_nearest(&x, MODE_WALK, (route_amenity)0, r->road_nodes[0], 1000,
                                &res, &e);
        }
        route_nearest_close(&x);
    }
    route_transit t;
    if (route_transit_open(r, &t, &e) == 0) route_transit_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fk-fuzz-snapXXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    /* Refresh the header CRC so that mutations get past it and exercise
     * the structure and reference checks behind it. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    if (size >= sizeof(region_file_header)) {
        region_file_header h;
        memcpy(&h, copy, sizeof h);
        h.header_crc = (uint32_t)crc32(0L, (const Bytef *)&h,
                                       offsetof(region_file_header, header_crc));
        memcpy(copy, &h, sizeof h);
    }
    ssize_t w = write(fd, copy, size);
    free(copy);
    if (w != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    region *r;
    fk_err e;
    if (region_open(path, 0, &r, &e) == 0) {
        volatile uint64_t sum = 0;
        for (size_t i = 0; i < r->n_roads; i++)
            sum += (uint64_t)r->road_nodes[r->roads[i].from].lat_e7 +
                   strlen(region_str(r, r->roads[i].name));
        for (size_t i = 0; i < r->n_trips; i++)
            for (uint32_t k = 0; k < r->trips[i].n_stop_times; k++)
                sum += r->stops[r->stop_times[r->trips[i].first_stop_time + k].stop].pos.lat_e7;
        for (size_t i = 0; i < r->n_areas; i++)
            for (uint32_t k = 0; k < r->areas[i].n_rings; k++) {
                const region_ring *g = &r->rings[r->areas[i].first_ring + k];
                for (uint32_t p = 0; p < g->n_points; p++)
                    sum += r->ring_points[g->first_point + p].lon_e7;
            }
        for (size_t i = 0; i < r->n_services; i++)
            sum += region_service_active(r, &r->services[i], r->services[i].first_day);
        (void)sum;
        fuzz_routing(r);
        region_close(r);
    }
    unlink(path);
    return 0;
}
