/*
 * test_it_transit.c: integration tests of `flyttkarta query transit`: the
 * real binary (FK_BIN) on the demo region with the real Norrbotten
 * timetable (skipped without the real data): a trip with its itinerary,
 * window statistics, arrive-by, targets, commute, nearest amenities and
 * isochrones, each checked for consistency in its JSON; usage errors exit
 * 2 naming the option, a date outside the timetable exits 1 saying so.
 */
#include "testutil.h"

#include <sys/wait.h>

#include <jansson.h>

static int demo_ok;

static const char *bin(void)
{
    const char *b = getenv("FK_BIN");
    return b ? b : "build/release/flyttkarta";
}

/* Runs `flyttkarta query transit --region demo.region ARGS`: stdout into
 * out.json, stderr into err.log. Returns the exit status. */
static int run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s query transit --region demo.region %s >out.json 2>err.log",
             bin(), args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static json_t *out_json(void)
{
    json_error_t je;
    json_t *j = json_load_file("out.json", 0, &je);
    if (!j) fail_msg("out.json: %s (line %d)", je.text, je.line);
    return j;
}

static int err_has(const char *needle)
{
    static char buf[1 << 14];
    FILE *f = fopen("err.log", "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (!strstr(buf, needle)) printf("err.log lacks \"%s\": %s\n", needle, buf);
    return strstr(buf, needle) != NULL;
}

static int setup(void **state)
{
    (void)state;
    if (!data_path("gtfs-norrbotten/stops.txt")) return 0;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s build -q --demo --data %s -o demo.region >build.log 2>&1",
             bin(), getenv("FK_DATA") ? getenv("FK_DATA") : "../shared/data");
    demo_ok = system(cmd) == 0;
    return 0;
}

#define REQUIRE_DEMO()                                                           \
    do {                                                                         \
        if (!demo_ok) {                                                          \
            printf("SKIP %s: needs the demo region with the real GTFS (DATA)\n", \
                   __func__);                                                    \
            skip();                                                              \
        }                                                                        \
    } while (0)

/* "HH:MM:SS" -> seconds */
static int hms(const char *s)
{
    int h, m, x;
    assert_int_equal(sscanf(s, "%d:%d:%d", &h, &m, &x), 3);
    return h * 3600 + m * 60 + x;
}

static void test_trip_itinerary_and_window(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    const char *od = "--from home:1 --to job:3 --date 2022-10-19";
    assert_int_equal(run("--from home:1 --to job:3 --date 2022-10-19 --time 07:30"), 0);
    json_t *j = out_json();
    json_t *it = json_object_get(j, "itinerary");
    assert_non_null(it);
    int dep = hms(json_string_value(json_object_get(it, "depart")));
    int arr = hms(json_string_value(json_object_get(it, "arrive")));
    assert_true(dep >= 7 * 3600 + 30 * 60 && arr > dep);
    json_t *legs = json_object_get(it, "legs");
    assert_true(json_array_size(legs) >= 1);
    /* legs are in time order, each ends where the next begins or earlier */
    int prev = dep;
    for (size_t i = 0; i < json_array_size(legs); i++) {
        json_t *l = json_array_get(legs, i);
        int a = hms(json_string_value(json_object_get(l, "depart")));
        int b = hms(json_string_value(json_object_get(l, "arrive")));
        assert_true(a >= prev && b >= a);
        prev = b;
    }
    assert_int_equal(prev, arr);
    double minutes = json_real_value(json_object_get(it, "minutes"));
    assert_true(minutes > 0 && minutes < 120);
    json_decref(j);

    char args[256];
    snprintf(args, sizeof args, "%s --window 07:00-09:00", od);
    assert_int_equal(run(args), 0);
    j = out_json();
    double best = json_real_value(json_object_get(j, "best_min"));
    double med = json_real_value(json_object_get(j, "median_min"));
    double worst = json_real_value(json_object_get(j, "worst_min"));
    assert_true(best > 0 && best <= med && med <= worst);
    json_decref(j);

    snprintf(args, sizeof args, "%s --arrive-by 08:00", od);
    assert_int_equal(run(args), 0);
    j = out_json();
    int latest = hms(json_string_value(json_object_get(j, "latest_departure")));
    assert_true(latest < 8 * 3600);
    json_decref(j);
    /* leaving at the latest departure arrives by 08:00 */
    int h = latest / 3600, m = latest % 3600 / 60;
    snprintf(args, sizeof args, "%s --time %02d:%02d", od, h, m);
    assert_int_equal(run(args), 0);
    j = out_json();
    arr = hms(json_string_value(json_object_get(json_object_get(j, "itinerary"), "arrive")));
    assert_true(arr <= 8 * 3600);
    json_decref(j);
}

static void test_targets_commute_nearest(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    assert_int_equal(run("--from 65.5848,22.1547 --targets homes --date 2022-10-19 "
                         "--time 07:30 --limit 45"), 0);
    json_t *j = out_json();
    json_t *t = json_object_get(j, "targets");
    assert_true(json_array_size(t) > 0);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), json_array_size(t));
    for (size_t i = 0; i < json_array_size(t); i++)
        assert_true(json_real_value(json_object_get(json_array_get(t, i), "minutes")) <= 45.0);
    json_decref(j);

    assert_int_equal(run("--from job:3 --commute homes --date 2022-10-19 --limit 40"), 0);
    j = out_json();
    t = json_object_get(j, "commute");
    assert_true(json_array_size(t) > 0);
    for (size_t i = 0; i < json_array_size(t); i++)
        assert_true(json_real_value(json_object_get(json_array_get(t, i), "median_min")) <= 40.0);
    json_decref(j);

    assert_int_equal(run("--from 65.5848,22.1547 --nearest --date 2022-10-19"), 0);
    j = out_json();
    json_t *n = json_object_get(j, "nearest");
    json_t *school = json_object_get(n, "school");
    assert_non_null(school);
    assert_true(json_is_object(school));
    assert_true(json_real_value(json_object_get(school, "median_min")) >= 0);
    json_decref(j);
}

static void test_isochrone(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    assert_int_equal(run("--from 65.5848,22.1547 --date 2022-10-19 --time 07:30 "
                         "--isochrone 15,30,45"), 0);
    json_t *j = out_json();
    assert_string_equal(json_string_value(json_object_get(j, "type")), "FeatureCollection");
    json_t *f = json_object_get(j, "features");
    assert_int_equal(json_array_size(f), 3);
    double prev = 0;
    for (size_t i = 0; i < 3; i++) {
        json_t *p = json_object_get(json_array_get(f, i), "properties");
        assert_string_equal(json_string_value(json_object_get(p, "mode")), "transit");
        double area = json_real_value(json_object_get(p, "area_km2"));
        assert_true(area > prev); /* larger limits reach more */
        prev = area;
        json_t *g = json_object_get(json_array_get(f, i), "geometry");
        assert_string_equal(json_string_value(json_object_get(g, "type")), "MultiPolygon");
    }
    json_decref(j);
}

static void test_errors(void **state)
{
    (void)state;
    REQUIRE_DEMO();
    assert_int_equal(run("--from home:1 --to job:3 --date 2023-10-19"), 1);
    assert_true(err_has("outside the timetable's validity"));
    assert_int_equal(run("--from home:1 --date 2022-10-19"), 2);
    assert_true(err_has("exactly one of"));
    assert_int_equal(run("--from home:1 --to job:3 --date 2022-13-01"), 2);
    assert_true(err_has("--date"));
    assert_int_equal(run("--from home:1 --date 2022-10-19 --isochrone 30,15"), 2);
    assert_true(err_has("--isochrone"));
    assert_int_equal(run("--from home:1 --to job:3 --date 2022-10-19 --max-walk 0"), 2);
    assert_true(err_has("--max-walk"));
    assert_int_equal(run("--from 10.0,10.0 --to job:3 --date 2022-10-19"), 1);
    assert_int_equal(run("--help"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trip_itinerary_and_window),
        cmocka_unit_test(test_targets_commute_nearest),
        cmocka_unit_test(test_isochrone),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
