/*
 * registers.h: a region's own registers as CSV: homes for sale, places
 * (schools, preschools, health centres, grocery stores, ...) and statistics
 * (area code, indicator, year, value: the shape of SCB and Kolada exports).
 * The schemas are documented in docs/schemas.md.
 */
#ifndef FK_INGEST_REGISTERS_H
#define FK_INGEST_REGISTERS_H

#include "ingest.h"

int ingest_homes_csv(region_builder *b, const char *path, ingest_report *rep, fk_err *e);
int ingest_places_csv(region_builder *b, const char *path, ingest_report *rep, fk_err *e);
int ingest_stats_csv(region_builder *b, const char *path, ingest_report *rep, fk_err *e);

#endif
