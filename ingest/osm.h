/*
 * osm.h: OpenStreetMap importer (PBF and XML through libreadosm).
 *
 * Keeps the ways usable by walk, bike or car (highway=* of the classes in
 * region_highway, and route=ferry) with the tags routing needs, split into
 * region_road segments between consecutive way nodes, and the points of
 * interest of region_poi_kind from nodes and from closed ways (centroid).
 * The speed and access model itself is route/'s business: this importer
 * records the tags faithfully.
 */
#ifndef FK_INGEST_OSM_H
#define FK_INGEST_OSM_H

#include "ingest.h"

typedef struct ingest_osm_opts {
    int clip;               /* 1: keep only what lies inside the builder's
                               kommun areas (level 0) grown by clip_margin_m */
    double clip_margin_m;   /* default 2000 when 0 */
} ingest_osm_opts;

/* Imports path (must end in .pbf or .osm). opts may be NULL. */
int ingest_osm(region_builder *b, const char *path, const ingest_osm_opts *opts,
               ingest_report *rep, fk_err *e);

#endif
