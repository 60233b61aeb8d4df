/*
 * ingest.c: helpers shared by the importers (see ingest.h).
 */
#include "ingest.h"

#include <ctype.h>
#include <string.h>

int ingest_filter_match(const char *filter, unsigned kommun_code)
{
    if (!filter || !*filter) return 1;
    const char *p = filter;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        unsigned v = 0;
        for (size_t i = 0; i < n; i++) v = v * 10 + (unsigned)(p[i] - '0');
        if (n == 4 && v == kommun_code) return 1;
        if (n == 2 && kommun_code / 100 == v) return 1;
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

int ingest_filter_check(const char *filter, fk_err *e)
{
    if (!filter) return 0;
    const char *p = filter;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        int digits = 1;
        for (size_t i = 0; i < n; i++)
            if (!isdigit((unsigned char)p[i])) digits = 0;
        if (!digits || (n != 2 && n != 4))
            return err_set(e, FK_EINVAL, "kommun filter \"%s\": each entry must be a "
                           "4-digit kommun code (2580) or a 2-digit county code (25)",
                           filter);
        if (!end) break;
        p = end + 1;
    }
    return 0;
}
