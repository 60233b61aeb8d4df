/*
 * fuzz_snapshot.c: libFuzzer target for region_open: any bytes given as a
 * snapshot file must be refused cleanly or opened with every reference in
 * range (then every record is touched to prove it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "../region/region.h"

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
        region_close(r);
    }
    unlink(path);
    return 0;
}
