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

int ingest_taxonomy(region_builder *b, const char *path, ingest_report *rep, fk_err *e);
int ingest_jobs(region_builder *b, const char *path, const char *filter,
                ingest_report *rep, fk_err *e);

#endif
