/*
 * testutil.h: what every unit test includes: cmocka, and helpers to find
 * fixtures (FK_FIXTURES), the real open data (FK_DATA, tests skip when it
 * is absent and say why), and to write scratch files in the test's own
 * temporary directory (the runner starts each test binary in a fresh one).
 */
#ifndef FK_TESTUTIL_H
#define FK_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

/* Path of a fixture file under tests/fixtures, in a static buffer. */
static inline const char *fixture(const char *rel)
{
    static char buf[4][4096];
    static int k;
    const char *dir = getenv("FK_FIXTURES");
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", dir ? dir : "tests/fixtures", rel);
    return b;
}

/* Path under the real data directory, or NULL when that file is absent. */
static inline const char *data_path(const char *rel)
{
    static char buf[4][4096];
    static int k;
    const char *dir = getenv("FK_DATA");
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", dir ? dir : "../shared/data", rel);
    struct stat st;
    return stat(b, &st) == 0 ? b : NULL;
}

/* Skips the current test when the real data file is missing. */
#define REQUIRE_DATA(var, rel)                                                  \
    const char *var = data_path(rel);                                           \
    if (!var) {                                                                 \
        printf("SKIP %s: %s not found under DATA (real open data absent)\n",    \
               __func__, rel);                                                  \
        skip();                                                                 \
    }

/* Writes text to a file in the current (temporary) directory; returns name. */
static inline const char *write_file(const char *name, const char *text)
{
    FILE *f = fopen(name, "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return name;
}

/* Asserts that rc is code and that the message in e (an fk_err *)
 * contains each of the parts: EXPECT_ERR(rc, FK_EPARSE, &e, "f.csv:3", "price"). */
static inline void expect_err_parts(int rc, int code, const char *msg,
                                    const char *const *parts)
{
    if (rc != code) fail_msg("rc %d, expected %d; message: %s", rc, code, msg);
    for (size_t i = 0; parts[i]; i++)
        if (!strstr(msg, parts[i])) fail_msg("message \"%s\" lacks \"%s\"", msg, parts[i]);
}
#define EXPECT_ERR(rc, code, e, ...)                                          \
    do {                                                                      \
        const char *const parts_[] = {__VA_ARGS__, NULL};                     \
        expect_err_parts((rc), (code), (e)->msg, parts_);                     \
    } while (0)

#endif
