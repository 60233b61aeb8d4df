/*
 * test_it_build.c: integration tests of `flyttkarta build` and `info`: the
 * real binary (FK_BIN) is run as a user would, and the snapshots it writes
 * are opened and checked for counts and invariants: the demo region on the
 * real Norrbotten data, the fictional demo without data, regions from the
 * two real OSM extracts, and refusals of bad input that leave no file.
 */
#include "testutil.h"

#include <math.h>
#include <sys/wait.h>

#include "../../region/region.h"

static const char *bin(void)
{
    const char *b = getenv("FK_BIN");
    return b ? b : "build/release/flyttkarta";
}

/* Runs the binary with args (a shell fragment); returns its exit status and
 * leaves stderr+stdout in out.log. */
static int run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s >out.log 2>&1", bin(), args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int log_has(const char *needle)
{
    FILE *f = fopen("out.log", "rb");
    if (!f) return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (!strstr(buf, needle)) {
        printf("out.log lacks \"%s\":\n%s\n", needle, buf);
        return 0;
    }
    return 1;
}

static region *open_ok(const char *path)
{
    region *r = NULL;
    fk_err e;
    if (region_open(path, REGION_OPEN_VERIFY_CRC, &r, &e)) fail_msg("%s", e.msg);
    return r;
}

/* Invariants every snapshot must satisfy beyond what region_open checks. */
static void check_invariants(const region *r)
{
    const geo_bbox *bb = &r->hdr->bbox;
    for (size_t i = 0; i < r->n_roads; i++) {
        const region_road *x = &r->roads[i];
        assert_int_not_equal(x->from, x->to);
        double d = geo_dist_m(r->road_nodes[x->from], r->road_nodes[x->to]);
        if (fabs(d * 10 - x->length_dm) > 1 + d * 10 * 0.005)
            fail_msg("road %zu: length %u dm, endpoints %.1f m apart", i, x->length_dm, d);
    }
    for (size_t i = 0; i < r->n_road_nodes; i++)
        assert_true(geo_bbox_contains(bb, r->road_nodes[i]));
    for (size_t i = 0; i < r->n_pois; i++) assert_true(geo_bbox_contains(bb, r->pois[i].pos));
    for (size_t t = 0; t < r->n_trips; t++) {
        const region_trip *tr = &r->trips[t];
        assert_true(tr->n_stop_times >= 2);
        for (uint32_t k = 1; k < tr->n_stop_times; k++) {
            const region_stop_time *a = &r->stop_times[tr->first_stop_time + k - 1];
            const region_stop_time *b = a + 1;
            assert_true(a->departure_s <= b->arrival_s);
            assert_true(b->arrival_s <= b->departure_s);
        }
    }
    for (size_t i = 0; i < r->n_jobs; i++) {
        assert_true(r->jobs[i].pos.lat_e7 != 0 || r->jobs[i].pos.lon_e7 != 0);
        assert_true(region_str(r, r->jobs[i].title)[0] != '\0');
    }
    for (size_t i = 0; i < r->n_homes; i++) assert_true(r->homes[i].price_sek > 0);
}

static size_t count_flag(const uint8_t *flags, size_t stride, size_t n, unsigned f)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += (flags[i * stride] & f) != 0;
    return k;
}

static void test_demo_on_real_data(void **state)
{
    (void)state;
    REQUIRE_DATA(gtfs, "gtfs-norrbotten/stops.txt");
    const char *data = getenv("FK_DATA");
    char args[4096];
    snprintf(args, sizeof args, "build --demo --data %s -o demo.region", data);
    assert_int_equal(run(args), 0);
    assert_true(log_has("wrote demo.region"));
    region *r = open_ok("demo.region");
    check_invariants(r);
    /* real parts: Norrbotten's 14 kommuner, the whole GTFS feed */
    assert_int_equal(r->n_areas, 14);
    assert_int_equal(r->n_stops, 4476);
    assert_int_equal(r->n_trips, 1882);
    assert_int_equal(r->n_stop_times, 44340);
    assert_int_equal(r->n_routes, 183);
    assert_true(r->n_localities >= 80);
    assert_true(r->n_postcodes > 100);
    assert_true(r->n_concepts > 3000);
    /* generated parts, flagged as such */
    unsigned want = REGION_GEN_ROADS | REGION_GEN_POIS | REGION_GEN_JOBS |
                    REGION_GEN_HOMES | REGION_GEN_STATS;
    assert_int_equal(r->hdr->flags & want, want);
    assert_int_equal(r->hdr->flags & (REGION_GEN_AREAS | REGION_GEN_TRANSIT), 0);
    assert_true(r->n_roads > 10000);
    assert_int_equal(r->n_jobs, 400);
    assert_int_equal(r->n_homes, 400);
    assert_int_equal(count_flag(&r->jobs[0].flags, sizeof r->jobs[0], r->n_jobs,
                                REGION_F_GENERATED), 400);
    assert_int_equal(count_flag(&r->homes[0].flags, sizeof r->homes[0], r->n_homes,
                                REGION_F_GENERATED), 400);
    size_t kinds[POI_KIND_COUNT] = {0};
    for (size_t i = 0; i < r->n_pois; i++) kinds[r->pois[i].kind]++;
    for (int k = POI_SCHOOL; k <= POI_GROCERY; k++) assert_true(kinds[k] > 10);
    assert_true(r->n_stats > 14 * 5);
    /* Luleå is in it, by name and code */
    int lulea = 0;
    for (size_t i = 0; i < r->n_areas; i++)
        if (r->areas[i].kommun_code == 2580 &&
            !strcmp(region_str(r, r->areas[i].name), "Luleå"))
            lulea = 1;
    assert_true(lulea);
    /* every bus stop lies near the generated street network */
    for (size_t s = 0; s < r->n_stops; s += 37) {
        double best = 1e18;
        for (size_t n = 0; n < r->n_road_nodes; n++) {
            double d = geo_dist_m(r->stops[s].pos, r->road_nodes[n]);
            if (d < best) best = d;
        }
        if (best > 60) fail_msg("stop %zu is %.0f m from the street network", s, best);
    }
    region_close(r);
    /* the same seed gives the same file, except the build time in the header */
    assert_int_equal(run("info demo.region"), 0);
    assert_true(log_has("demo data, seed"));
    assert_true(log_has("Luleå"));
}

static void test_demo_fictional_without_data(void **state)
{
    (void)state;
    assert_int_equal(run("build --demo --data /nonexistent/data -o fict.region"), 0);
    assert_true(log_has("fictional"));
    region *r = open_ok("fict.region");
    check_invariants(r);
    assert_true(r->hdr->flags & REGION_GEN_AREAS);
    assert_true(r->n_areas >= 2);
    assert_true(r->n_roads > 100);
    assert_true(r->n_jobs > 0 && r->n_homes > 0);
    assert_int_equal(r->n_sources, 0);
    region_close(r);
}

static void test_osm_extracts(void **state)
{
    (void)state;
    REQUIRE_DATA(cph, "osm/copenhagen-kbh.osm.pbf");
    REQUIRE_DATA(hel, "osm/helsinki-centre.osm.pbf");
    const char *files[2] = {cph, hel};
    for (int i = 0; i < 2; i++) {
        char args[4096];
        snprintf(args, sizeof args, "build --osm %s --name 'OSM test' -o osm%d.region",
                 files[i], i);
        assert_int_equal(run(args), 0);
        char name[32];
        snprintf(name, sizeof name, "osm%d.region", i);
        region *r = open_ok(name);
        check_invariants(r);
        assert_true(r->n_roads > 1000);
        assert_true(r->n_pois > 10);
        assert_int_equal(r->hdr->flags, 0);
        assert_int_equal(r->n_sources, 1);
        assert_int_equal(r->sources[0].records > 0, 1);
        region_close(r);
    }
}

static void test_bad_input_leaves_nothing(void **state)
{
    (void)state;
    mkdir("feed", 0755);
    write_file("feed/agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
                                  "A,Test,http://x,Europe/Stockholm\n");
    write_file("feed/stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n"
                                 "S1,Ett,65.5,22.1\nS2,Två,65.6,xx\n");
    write_file("feed/routes.txt", "route_id,agency_id,route_short_name,route_type\nR,A,1,3\n");
    write_file("feed/trips.txt", "route_id,service_id,trip_id\nR,WD,T\n");
    write_file("feed/stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,"
               "stop_sequence\nT,07:00:00,07:00:00,S1,1\nT,07:10:00,07:10:00,S2,2\n");
    write_file("feed/calendar_dates.txt", "service_id,date,exception_type\nWD,20221017,1\n");
    /* an existing snapshot under the target name must survive a failed build */
    assert_int_equal(run("build --demo --data /nonexistent -q -o keep.region"), 0);
    struct stat before, after;
    assert_int_equal(stat("keep.region", &before), 0);
    assert_int_equal(run("build --gtfs feed -o keep.region"), 1);
    assert_true(log_has("stops.txt:3"));
    assert_true(log_has("stop_lon"));
    assert_true(log_has("nothing written"));
    assert_int_equal(stat("keep.region", &after), 0);
    assert_int_equal(before.st_size, after.st_size);
    assert_int_equal(before.st_mtime, after.st_mtime);
    region_close(open_ok("keep.region"));
    assert_int_equal(run("build --gtfs feed -o new.region"), 1);
    assert_int_not_equal(access("new.region", F_OK), 0);
}

static void test_cli_usage(void **state)
{
    (void)state;
    assert_int_equal(run("--help"), 0);
    assert_true(log_has("usage: flyttkarta COMMAND"));
    assert_int_equal(run("build --help"), 0);
    assert_true(log_has("--demo"));
    assert_int_equal(run("info --help"), 0);
    assert_true(log_has("usage: flyttkarta info"));
    assert_int_equal(run("frobnicate"), 2);
    assert_true(log_has("unknown command"));
    assert_int_equal(run("build --demo"), 2);
    assert_true(log_has("-o OUT.region"));
    assert_int_equal(run("build --region 2x -o x.region --demo"), 2);
    assert_true(log_has("4-digit kommun code"));
    assert_int_equal(run("build --seed abc --demo -o x.region"), 2);
    assert_true(log_has("--seed"));
    assert_int_equal(run("info nonexistent.region"), 1);
    assert_true(log_has("nonexistent.region: cannot open"));
    write_file("junk.region", "this is not a snapshot at all, just some text that is "
               "long enough to be read as a header if it were 256 bytes long......."
               "................................................................."
               "................................................................."
               "................................................................");
    assert_int_equal(run("info junk.region"), 1);
    assert_true(log_has("bad magic"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_usage),
        cmocka_unit_test(test_demo_fictional_without_data),
        cmocka_unit_test(test_demo_on_real_data),
        cmocka_unit_test(test_osm_extracts),
        cmocka_unit_test(test_bad_input_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
