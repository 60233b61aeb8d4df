/*
 * areas.h: areas of the region: kommun polygons (GeoJSON FeatureCollection
 * of Polygon/MultiPolygon with properties kommun_kod/kommun or code/name),
 * localities (CSV: Locality,Municipality,County,Latitude,Longitude, as
 * svenska-stader), and postcodes (CSV: postal_code,locality,
 * municipality_code,municipality_name, as swedish-geodata).
 *
 * filter (see ingest_filter_match) keeps only those kommuner. Localities
 * and postcodes refer to kommuner, so import the kommun areas first:
 * localities name their kommun by name and are matched to the areas read.
 */
#ifndef FK_INGEST_AREAS_H
#define FK_INGEST_AREAS_H

#include "ingest.h"

int ingest_kommuner_geojson(region_builder *b, const char *path, const char *filter,
                            ingest_report *rep, fk_err *e);
int ingest_localities_csv(region_builder *b, const char *path, const char *filter,
                          ingest_report *rep, fk_err *e);
int ingest_postcodes_csv(region_builder *b, const char *path, const char *filter,
                         ingest_report *rep, fk_err *e);

#endif
