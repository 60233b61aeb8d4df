/*
 * gtfs.h: GTFS static timetable importer, from a .zip (libzip) or a folder.
 *
 * Reads agency, stops, routes, trips, stop_times, calendar, calendar_dates,
 * transfers and frequencies (feed_info when present) into the builder's
 * transit arrays. Handles a UTF-8 BOM, CRLF, quoted fields with commas,
 * times past 24:00:00, and services defined only by calendar_dates.
 */
#ifndef FK_INGEST_GTFS_H
#define FK_INGEST_GTFS_H

#include "ingest.h"

int ingest_gtfs(region_builder *b, const char *path, ingest_report *rep, fk_err *e);

#endif
