/*
 * jobs.h: the JobTech occupation taxonomy and job ads.
 *
 * ingest_taxonomy reads the taxonomy dump (taxonomy-to-concept.json: type ->
 * legacy id -> {conceptId, preferredLabel, type}) into region_concept records.
 *
 * ingest_jobs reads job ads in the JobTech JobSearch JSON format (a search
 * response {"hits": [...]}, a JSON array of ads, or JSON Lines with one ad
 * per line, as the JobStream/historical dumps are) and in the older
 * Elasticsearch format with Swedish field names ({"hits":{"hits":[{"_source":
 * {...}}]}}). Each ad is mapped to occupation concepts (occupation name,
 * SSYK group, field; concepts missing from the taxonomy are added, and the
 * broader relations seen in ads are recorded) and placed at its workplace
 * coordinates, or else at the centre of its kommun (JOB_F_POS_FROM_KOMMUN).
 * filter (see ingest_filter_match) keeps only ads of those kommuner.
 */
#ifndef FK_INGEST_JOBS_H
#define FK_INGEST_JOBS_H

#include "ingest.h"

/* Appends the concepts of the kept types (occupation names, SSYK 1-4,
 * occupation fields, skills, SUN levels and fields, municipalities,
 * languages, keywords) to b, skipping conceptIds b already holds. rep (may
 * be NULL) gets the concepts added and those skipped (other types, known
 * ids). Returns 0, or FK_EIO / FK_EPARSE (file:line:column, or the JSON
 * path of a wrong field) / FK_ETOOBIG (file above 1 GiB) / FK_ENOMEM with a
 * message in e; on failure b is rolled back. See docs/jobs.md. */
int ingest_taxonomy(region_builder *b, const char *path, ingest_report *rep, fk_err *e);

/* Appends the ads of path (format detected: JobSearch response, array,
 * JSON Lines, or the old Swedish Elasticsearch response) to b->jobs, with
 * their occupation concepts and relations. filter (NULL or "" for all)
 * keeps only ads of those kommuner. rep (may be NULL) gets the ads added
 * and those left out with why (outside the filter, no position, duplicate
 * id). Returns 0, or FK_EINVAL (bad filter) / FK_EIO / FK_EPARSE (file,
 * ad index or line, field, value found) / FK_ETOOBIG (document above
 * 1 GiB, line above 64 MiB) / FK_ENOMEM with a message in e; on failure b
 * is rolled back. See docs/jobs.md. */
int ingest_jobs(region_builder *b, const char *path, const char *filter,
                ingest_report *rep, fk_err *e);

#endif
