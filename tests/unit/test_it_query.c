/*
 * test_it_query.c: integration tests of `flyttkarta query`: the real binary
 * (FK_BIN) is run as a user would on the demo region it builds (fictional
 * without FK_DATA, Norrbotten with it); its JSON is parsed with jansson and
 * every figure compared with the engine's own answer in this process. Also
 * --help of every subcommand, usage errors (exit 2, message naming the
 * option), answers that cannot be given (exit 1 with a message), and
 * proper escaping of names with quotes and backslashes.
 */
#include "testutil.h"

#include <math.h>
#include <sys/wait.h>

#include <jansson.h>

#include "../../region/builder.h"
#include "../../route/ch.h"
#include "../../route/engine.h"
#include "../../route/graph.h"
#include "../../route/nearest.h"
#include "../../route/snap.h"

#define OK(call)                                                 \
    do {                                                         \
        int rc_ = (call);                                        \
        if (rc_) printf("error %d: %s\n", rc_, e.msg);           \
        assert_int_equal(rc_, 0);                                \
    } while (0)

static const char *bin(void)
{
    const char *b = getenv("FK_BIN");
    return b ? b : "build/release/flyttkarta";
}

/* Runs the binary with args (a shell fragment): stdout into out.json,
 * stderr into err.log. Returns the exit status. */
static int run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s >out.json 2>err.log", bin(), args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static const char *slurp(const char *path)
{
    static char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    if (!f) return "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void err_has(const char *needle)
{
    const char *s = slurp("err.log");
    if (!strstr(s, needle)) fail_msg("stderr lacks \"%s\":\n%s", needle, s);
}

/* Runs a query that must succeed and returns its parsed JSON (one object,
 * nothing else on stdout). */
static json_t *query_ok(const char *args)
{
    char full[8192];
    snprintf(full, sizeof full, "query %s", args);
    int rc = run(full);
    if (rc != 0) fail_msg("exit %d for %s:\n%s", rc, args, slurp("err.log"));
    json_error_t je;
    json_t *j = json_load_file("out.json", 0, &je);
    if (!j) fail_msg("bad JSON (%s line %d) for %s", je.text, je.line, args);
    assert_true(json_is_object(j));
    return j;
}

static void query_fails(const char *args, int want, const char *needle)
{
    char full[8192];
    snprintf(full, sizeof full, "query %s", args);
    int rc = run(full);
    if (rc != want) fail_msg("exit %d (want %d) for %s:\n%s", rc, want, args, slurp("err.log"));
    err_has(needle);
    assert_string_equal(slurp("out.json"), "");
}

/* A time in the JSON (seconds, one decimal) in deciseconds. */
static uint32_t ds_of(const json_t *v)
{
    if (json_is_null(v)) return ROUTE_INF;
    assert_true(json_is_number(v));
    return (uint32_t)llround(json_number_value(v) * 10.0);
}

/* ---- the demo region, built once by the binary ---- */

typedef struct demo {
    region *r;
    route_engine eng;
    route_engine_scratch s;
} demo;

static int demo_setup(void **state)
{
    static demo d;
    const char *data = getenv("FK_DATA");
    struct stat st;
    char args[4096];
    snprintf(args, sizeof args, "build -q --demo --data %s -o demo.region",
             data && stat(data, &st) == 0 ? data : "/nonexistent/data");
    if (run(args) != 0) {
        printf("build failed: %s\n", slurp("err.log"));
        return -1;
    }
    fk_err e;
    err_clear(&e);
    if (region_open("demo.region", 0, &d.r, &e) || route_engine_open(d.r, NULL, &d.eng, &e) ||
        route_engine_scratch_init(&d.s, &d.eng)) {
        printf("open failed: %s\n", e.msg);
        return -1;
    }
    *state = &d;
    return 0;
}

static int demo_teardown(void **state)
{
    demo *d = *state;
    route_engine_scratch_free(&d->s);
    route_engine_close(&d->eng);
    region_close(d->r);
    return 0;
}

static void test_help(void **state)
{
    (void)state;
    assert_int_equal(run("query --help"), 0);
    assert_non_null(strstr(slurp("out.json"), "usage: flyttkarta query SUBCOMMAND"));
    assert_int_equal(run("--help"), 0);
    assert_non_null(strstr(slurp("out.json"), "query"));
    const char *subs[] = {"near", "route", "commute", "two-work", "matrix"};
    for (int i = 0; i < 5; i++) {
        char args[256], want[256];
        snprintf(args, sizeof args, "query %s --help", subs[i]);
        assert_int_equal(run(args), 0);
        snprintf(want, sizeof want, "usage: flyttkarta query %s --region FILE", subs[i]);
        if (!strstr(slurp("out.json"), want)) fail_msg("%s --help: %s", subs[i], slurp("out.json"));
    }
    assert_int_equal(run("query"), 2);
    err_has("usage: flyttkarta query");
    assert_int_equal(run("query isochrone_nope --region x"), 2);
    err_has("unknown subcommand 'isochrone_nope'");
}

static void test_near(void **state)
{
    demo *d = *state;
    fk_err e;
    json_t *j = query_ok("near --region demo.region --home 7 --kinds all --k 3 --mode bike");
    assert_string_equal(json_string_value(json_object_get(j, "mode")), "bike");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "point"), "home")), 7);
    json_t *kinds = json_object_get(j, "kinds");
    assert_int_equal(json_array_size(kinds), AMEN_COUNT);
    route_amenity all[AMEN_COUNT];
    for (int k = 0; k < AMEN_COUNT; k++) all[k] = (route_amenity)k;
    route_engine_near want[AMEN_COUNT];
    OK(route_engine_near_at(&d->eng, &d->s, MODE_BIKE, d->r->homes[7].pos, all, AMEN_COUNT, 3,
                            ROUTE_INF, want, NULL, &e));
    int found = 0;
    for (int k = 0; k < AMEN_COUNT; k++) {
        json_t *o = json_array_get(kinds, (size_t)k);
        assert_string_equal(json_string_value(json_object_get(o, "kind")),
                            route_amenity_name((route_amenity)k));
        json_t *n = json_object_get(o, "nearest");
        if (!want[k].found) {
            assert_true(json_is_null(n));
            continue;
        }
        found++;
        assert_int_equal(ds_of(json_object_get(n, "time_s")), want[k].nearest.time_ds);
        assert_int_equal(json_integer_value(json_object_get(n, "dist_m")), want[k].nearest.dist_m);
        assert_string_equal(json_string_value(json_object_get(n, "name")), want[k].nearest.name);
        json_t *ka = json_object_get(o, "k_nearest");
        assert_int_equal(json_array_size(ka), want[k].n_k);
        for (size_t i = 0; i < want[k].n_k; i++)
            assert_int_equal(ds_of(json_object_get(json_array_get(ka, i), "time_s")),
                             want[k].k[i].time_ds);
    }
    assert_true(found >= 4);
    json_decref(j);
    /* defaults: walk, four kinds, coordinates */
    char args[256];
    geo_point p = d->r->road_nodes[d->r->n_road_nodes / 2];
    snprintf(args, sizeof args, "near --region demo.region --at %.7f,%.7f --k 0",
             geo_lat_deg(p), geo_lon_deg(p));
    j = query_ok(args);
    assert_string_equal(json_string_value(json_object_get(j, "mode")), "walk");
    kinds = json_object_get(j, "kinds");
    assert_int_equal(json_array_size(kinds), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(kinds, 3), "kind")),
                        "grocery");
    assert_int_equal(json_array_size(json_object_get(json_array_get(kinds, 0), "k_nearest")), 0);
    json_decref(j);
}

static void test_route(void **state)
{
    demo *d = *state;
    fk_err e;
    for (int m = 0; m < MODE_COUNT; m++) {
        char args[256];
        snprintf(args, sizeof args, "route --region demo.region --home %d --job %d --mode %s",
                 3 + m, 11 + m, route_mode_name((route_mode)m));
        json_t *j = query_ok(args);
        route_engine_route rt;
        OK(route_engine_route_p2p(&d->eng, &d->s, (route_mode)m, d->r->homes[3 + m].pos,
                                  d->r->jobs[11 + m].pos, &rt, &e));
        assert_int_equal(ds_of(json_object_get(j, "time_s")), rt.time_ds);
        assert_int_equal(llround(json_number_value(json_object_get(j, "dist_m")) * 10),
                         rt.dist_dm);
        json_t *g = json_object_get(j, "geometry");
        assert_string_equal(json_string_value(json_object_get(g, "type")), "LineString");
        json_t *c = json_object_get(g, "coordinates");
        assert_int_equal(json_array_size(c), rt.n_geom);
        for (size_t i = 0; i < rt.n_geom; i += 1 + rt.n_geom / 50) {
            json_t *pair = json_array_get(c, i);
            assert_int_equal(llround(json_number_value(json_array_get(pair, 0)) * 1e7),
                             rt.geom[i].lon_e7);
            assert_int_equal(llround(json_number_value(json_array_get(pair, 1)) * 1e7),
                             rt.geom[i].lat_e7);
        }
        json_t *from = json_object_get(j, "from");
        assert_int_equal(json_integer_value(json_object_get(from, "home")), 3 + m);
        assert_true(json_is_object(json_object_get(from, "snapped")));
        json_decref(j);
    }
    /* coordinates, and --from/--to in any order */
    geo_point a = d->r->road_nodes[5], b = d->r->road_nodes[d->r->n_road_nodes - 5];
    char args[512];
    snprintf(args, sizeof args, "route --region=demo.region --to %.7f,%.7f --mode walk "
             "--from %.7f,%.7f", geo_lat_deg(b), geo_lon_deg(b), geo_lat_deg(a), geo_lon_deg(a));
    route_engine_route rt;
    int rc = route_engine_route_p2p(&d->eng, &d->s, MODE_WALK, a, b, &rt, &e);
    if (rc == 0) {
        json_t *j = query_ok(args);
        assert_int_equal(ds_of(json_object_get(j, "time_s")), rt.time_ds);
        json_decref(j);
    } else {
        query_fails(args, 1, "no walk route");
    }
}

static void test_commute(void **state)
{
    demo *d = *state;
    fk_err e;
    const char *modes[] = {"walk", "bike", "car"};
    for (int m = 0; m < MODE_COUNT; m++)
        for (int rev = 0; rev < 2; rev++) {
            char args[256];
            snprintf(args, sizeof args, "commute --region demo.region --job %d --mode %s "
                     "--limit 25%s", 20 + m, modes[m], rev ? " --reverse" : "");
            json_t *j = query_ok(args);
            route_engine_commute_q q = {d->r->jobs[20 + m].pos, (route_mode)m, 15000,
                                        ENGINE_HOMES, -1, rev, ENGINE_ALGO_AUTO};
            const route_engine_target *t;
            size_t n;
            OK(route_engine_commute(&d->eng, &d->s, &q, &t, &n, &e));
            assert_int_equal(json_integer_value(json_object_get(j, "count")), n);
            assert_string_equal(json_string_value(json_object_get(j, "direction")),
                                rev ? "from_point" : "to_point");
            assert_int_equal(ds_of(json_object_get(j, "limit_s")), 15000);
            json_t *res = json_object_get(j, "results");
            assert_int_equal(json_array_size(res), n);
            for (size_t i = 0; i < n; i++) {
                json_t *o = json_array_get(res, i);
                assert_int_equal(json_integer_value(json_object_get(o, "index")), t[i].index);
                assert_int_equal(ds_of(json_object_get(o, "time_s")), t[i].time_ds);
            }
            json_decref(j);
        }
    /* places of a kind */
    json_t *j = query_ok("commute --region demo.region --job 0 --targets pois --kind grocery "
                         "--limit 60 --algo dijkstra");
    assert_string_equal(json_string_value(json_object_get(j, "kind")), "grocery");
    json_t *res = json_object_get(j, "results");
    for (size_t i = 0; i < json_array_size(res); i++) {
        json_int_t idx = json_integer_value(json_object_get(json_array_get(res, i), "index"));
        assert_true(idx >= 0 && (size_t)idx < d->r->n_pois);
        assert_int_equal(d->r->pois[idx].kind, POI_GROCERY);
    }
    json_decref(j);
}

static void test_two_work(void **state)
{
    demo *d = *state;
    fk_err e;
    /* work 2: the job nearest to job 4 that is not at the same place */
    uint32_t j2 = 0;
    double best = 1e18;
    for (uint32_t i = 0; i < d->r->n_jobs; i++) {
        double dist = geo_dist_m(d->r->jobs[i].pos, d->r->jobs[4].pos);
        if (dist > 500 && dist < best) best = dist, j2 = i;
    }
    char args[512];
    snprintf(args, sizeof args, "two-work --region demo.region --job 4 --job %u --mode1 car "
             "--mode2 bike --limit1 40 --limit2 90", j2);
    json_t *j = query_ok(args);
    route_engine_commute_q q1 = {d->r->jobs[4].pos, MODE_CAR, 24000, ENGINE_HOMES, -1, 0,
                                 ENGINE_ALGO_AUTO};
    route_engine_commute_q q2 = {d->r->jobs[j2].pos, MODE_BIKE, 54000, ENGINE_HOMES, -1, 0,
                                 ENGINE_ALGO_AUTO};
    const route_engine_target *t;
    size_t n;
    OK(route_engine_two_work(&d->eng, &d->s, &q1, &q2, &t, &n, &e));
    printf("two-work job 4 and job %u (%.0f m apart): %zu homes\n", j2, best, n);
    assert_true(n > 0);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), n);
    json_t *res = json_object_get(j, "results");
    assert_int_equal(json_array_size(res), n);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(res, i);
        assert_int_equal(json_integer_value(json_object_get(o, "index")), t[i].index);
        assert_int_equal(ds_of(json_object_get(o, "time1_s")), t[i].time_ds);
        assert_int_equal(ds_of(json_object_get(o, "time2_s")), t[i].time2_ds);
        assert_true(t[i].time_ds <= 24000 && t[i].time2_ds <= 54000);
    }
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "work2"), "mode")),
                        "bike");
    json_decref(j);
    /* --work1/--work2 with coordinates give the same as the jobs */
    snprintf(args, sizeof args, "two-work --region demo.region --work2 %.7f,%.7f --work1 "
             "%.7f,%.7f --mode2 bike --limit1 40 --limit2 90",
             geo_lat_deg(d->r->jobs[j2].pos), geo_lon_deg(d->r->jobs[j2].pos),
             geo_lat_deg(d->r->jobs[4].pos), geo_lon_deg(d->r->jobs[4].pos));
    j = query_ok(args);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), n);
    json_decref(j);
}

static void test_matrix(void **state)
{
    demo *d = *state;
    fk_err e;
    geo_point p = d->r->road_nodes[d->r->n_road_nodes / 3];
    char args[512];
    snprintf(args, sizeof args, "matrix --region demo.region --mode bike --home 1 --job 2 "
             "--point %.7f,%.7f --home 3", geo_lat_deg(p), geo_lon_deg(p));
    json_t *j = query_ok(args);
    geo_point pts[4] = {d->r->homes[1].pos, d->r->jobs[2].pos, p, d->r->homes[3].pos};
    const uint32_t *mx;
    OK(route_engine_matrix(&d->eng, &d->s, MODE_BIKE, pts, 4, pts, 4, &mx, &e));
    json_t *rows = json_object_get(j, "times_s");
    assert_int_equal(json_array_size(rows), 4);
    assert_int_equal(json_array_size(json_object_get(j, "points")), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *row = json_array_get(rows, i);
        assert_int_equal(json_array_size(row), 4);
        for (size_t k = 0; k < 4; k++)
            assert_int_equal(ds_of(json_array_get(row, k)), mx[i * 4 + k]);
        assert_int_equal(mx[i * 4 + i], 0);
    }
    json_decref(j);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    query_fails("near --region demo.region --at 65.5,22.1 --mode boat", 2, "--mode");
    query_fails("near --region demo.region --at 65.5", 2, "--at: expected LAT,LON");
    query_fails("near --region demo.region --at 95,22", 2, "--at");
    query_fails("near --region demo.region --home 1 --k 9", 2, "--k");
    query_fails("near --region demo.region --home 1 --kinds school,zoo", 2, "--kinds");
    query_fails("near --at 65.5,22.1", 2, "--region FILE is required");
    query_fails("near --region demo.region --home 1 --bogus", 2, "unknown option --bogus");
    query_fails("near --region demo.region --home", 2, "--home needs a value");
    query_fails("near --region demo.region --home 99999", 2, "--home: no home 99999");
    query_fails("route --region demo.region --home 1", 2, "--to");
    query_fails("route --region demo.region --home 1 --job 1 --from 65.5,22.1", 2, "--from");
    query_fails("commute --region demo.region --job 1 --limit soon", 2, "--limit");
    query_fails("commute --region demo.region --job 1 --targets cats", 2, "--targets");
    query_fails("commute --region demo.region --job 1 --kind school", 2, "--kind");
    query_fails("commute --region demo.region --job 1 --mode car --mode bike", 2,
                "--mode given twice");
    query_fails("two-work --region demo.region --job 1", 2, "--work2");
    query_fails("two-work --region demo.region --job 1 --job 2 --limit2 -5", 2, "--limit2");
    query_fails("matrix --region demo.region", 2, "--point");
    query_fails("matrix --region demo.region --point x,y", 2, "--point");
    query_fails("route --region demo.region --reverse --home 1 --job 1", 2,
                "unknown option --reverse");
}

static void test_no_answer(void **state)
{
    (void)state;
    query_fails("near --region demo.region --at 10,10", 1,
                "point (10.00000, 10.00000) is outside the region");
    query_fails("route --region demo.region --home 1 --to 59.33,18.06", 1,
                "to: point (59.33000, 18.06000) is outside the region");
    query_fails("commute --region demo.region --at 10,10", 1, "outside the region");
    query_fails("two-work --region demo.region --job 1 --work2 10,10", 1, "work 2: point");
    query_fails("matrix --region demo.region --home 1 --point 10,10", 1,
                "matrix source 1: point (10.00000, 10.00000) is outside the region");
    query_fails("near --region missing.region --at 65.5,22.1", 1, "missing.region");
    write_file("junk.region", "this is not a region snapshot, not at all, no.............");
    query_fails("near --region junk.region --at 65.5,22.1", 1, "junk.region");
}

/* A small region whose names need escaping, and one without a route. */
static void test_escaping_and_unreachable(void **state)
{
    (void)state;
    fk_err e;
    region_builder b;
    region_builder_init(&b, "Escapes");
    geo_point n[4];
    geo_from_deg(65.5, 22.0, &n[0]);
    geo_from_deg(65.5, 22.002, &n[1]);
    geo_from_deg(65.5, 22.03, &n[2]);
    geo_from_deg(65.5, 22.032, &n[3]);
    for (int i = 0; i < 4; i++) assert_int_equal(vec_push(b.road_nodes, n[i]), 0);
    for (int i = 0; i < 2; i++) {
        region_road r;
        memset(&r, 0, sizeof r);
        r.from = (uint32_t)(2 * i);
        r.to = (uint32_t)(2 * i + 1);
        r.highway = HW_RESIDENTIAL;
        r.oneway = r.oneway_bicycle = ONEWAY_UNSET;
        r.length_dm = 1000;
        assert_int_equal(vec_push(b.roads, r), 0);
    }
    const char *name = "Skolan \"Norr\" \\ Väst\ttab";
    region_poi q;
    memset(&q, 0, sizeof q);
    geo_from_deg(65.5001, 22.001, &q.pos);
    q.kind = POI_SCHOOL;
    int rc = 0;
    q.name = rb_str(&b, name, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(vec_push(b.pois, q), 0);
    OK(route_graph_build_all(&b, &e));
    OK(route_ch_build_all(&b, &e));
    OK(route_snap_build(&b, &e));
    OK(route_nearest_build(&b, NULL, NULL, &e));
    OK(region_write(&b, "esc.region", &e));
    region_builder_free(&b);
    json_t *j = query_ok("near --region esc.region --at 65.5001,22.0015 --kinds school --pretty");
    json_t *nr = json_object_get(json_array_get(json_object_get(j, "kinds"), 0), "nearest");
    assert_string_equal(json_string_value(json_object_get(nr, "name")), name);
    /* walk 720 ds per 100 m: from 0.75 to 0.5 of the segment */
    assert_int_equal(ds_of(json_object_get(nr, "time_s")), 180);
    json_decref(j);
    query_fails("route --region esc.region --from 65.5001,22.001 --to 65.5001,22.031 --mode walk",
                1, "no walk route from (65.50010, 22.00100) to (65.50010, 22.03100)");
    j = query_ok("matrix --region esc.region --point 65.5001,22.001 --point 65.5001,22.031");
    json_t *rows = json_object_get(j, "times_s");
    assert_true(json_is_null(json_array_get(json_array_get(rows, 0), 1)));
    assert_int_equal(ds_of(json_array_get(json_array_get(rows, 0), 0)), 0);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_near),
        cmocka_unit_test(test_route),
        cmocka_unit_test(test_commute),
        cmocka_unit_test(test_two_work),
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_no_answer),
        cmocka_unit_test(test_escaping_and_unreachable),
    };
    return cmocka_run_group_tests(tests, demo_setup, demo_teardown);
}
