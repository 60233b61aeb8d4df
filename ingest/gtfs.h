/*
 * gtfs.h: GTFS static timetable importer, from a .zip (libzip) or a folder.
 *
 * Reads agency, stops, routes, trips, stop_times, calendar, calendar_dates,
 * transfers and frequencies (feed_info when present) into the builder's
 * transit arrays. Handles a UTF-8 BOM, CRLF, quoted fields with commas,
 * times past 24:00:00, and services defined only by calendar_dates.
 * What is read, what is an error and what is skipped: docs/gtfs.md.
 */
#ifndef FK_INGEST_GTFS_H
#define FK_INGEST_GTFS_H

#include "ingest.h"

/* Limits (exceeding one is FK_ETOOBIG, with the limit named in the message). */
#define GTFS_MAX_ROWS (1u << 31)          /* records of one kind in one feed */
#define GTFS_MAX_TIME_S (72 * 3600)       /* latest time of day: 72:00:00 */

/* Imports the GTFS feed at path (a folder of .txt files, or a .zip whose
 * files sit at its root or inside one sub-folder) into b.
 *
 * Appends agencies, stops, routes, services (+ service_bits), trips,
 * stop_times (grouped by trip in trip order, sorted by stop_sequence, empty
 * times interpolated), transfers and frequencies. Indices in the new records
 * are indices into b's arrays (records already in b are left as they are).
 *
 * rep (may be NULL) receives the number of records added and the transfers
 * skipped for referring to unknown stops, trips or routes, with a note.
 *
 * Returns 0, or FK_ENOTFOUND (a required file is missing), FK_EPARSE
 * (malformed value or bad reference: message "FILE:LINE: field F: "VALUE"
 * ..."), FK_ETOOBIG (a limit above), FK_EIO or FK_ENOMEM, with the message
 * in e. On failure b is rolled back to its state before the call (strings
 * interned meanwhile stay in the pool, unreferenced). Progress is reported
 * through b->progress, one stage per file ("gtfs stop_times", ...).
 */
int ingest_gtfs(region_builder *b, const char *path, ingest_report *rep, fk_err *e);

#endif
