/*
 * ingest.h: what every importer shares.
 *
 * An importer reads one source (a file or folder) in a streaming way and
 * appends records to a region_builder. Contract for every importer:
 *   - it returns 0, or a negative FK_E* code with a message in e naming the
 *     file, the line (or byte offset, or JSON path), the field, the value
 *     found and what was expected;
 *   - on failure it rolls the builder back to where it was (nothing half
 *     added; see region_builder_rollback);
 *   - it reports progress (stage, count, bytes) through b->progress;
 *   - it never prints and never exits;
 *   - records it leaves out on purpose (outside the region, unusable) are
 *     counted in the report with a note on why.
 */
#ifndef FK_INGEST_H
#define FK_INGEST_H

#include <stdint.h>

#include "../base/err.h"
#include "../region/builder.h"

typedef struct ingest_report {
    uint64_t records;   /* records added to the builder */
    uint64_t skipped;   /* input records deliberately left out */
    char note[512];     /* why they were left out, "" if none */
} ingest_report;

/* Whether kommun_code passes a filter: a comma-separated list of 4-digit
 * kommun codes ("2580,2581") and/or 2-digit county codes ("25" = every
 * kommun of Norrbottens län). NULL or "" passes everything. */
int ingest_filter_match(const char *filter, unsigned kommun_code);

/* Checks a filter's syntax; 0 or FK_EINVAL with a message. */
int ingest_filter_check(const char *filter, fk_err *e);

#endif
