/*
 * osm.h: OpenStreetMap importer (PBF and XML through libreadosm).
 *
 * Keeps the ways usable by walk, bike or car (highway=* of the classes in
 * region_highway, and route=ferry) with the tags routing needs, split into
 * region_road segments between consecutive way nodes, and the points of
 * interest of region_poi_kind from nodes and from closed ways (centroid).
 * The speed and access model itself is route/'s business: this importer
 * records the tags faithfully. docs/osm.md lists every tag rule.
 *
 * One pass over the file, which must be sorted the usual way (all nodes
 * before all ways, as Geofabrik extracts and `osmium sort` output are).
 * Node coordinates are kept in two parallel arrays sorted by id (16 bytes
 * per node, ~2 GiB for Sweden's ~130 M nodes; less when clipping, since
 * nodes outside the clip mask are dropped as they are read). A node shared
 * by several kept ways becomes one road node, so the graph is connected.
 * Multipolygon relations are not imported (counted in the report).
 */
#ifndef FK_INGEST_OSM_H
#define FK_INGEST_OSM_H

#include "ingest.h"

typedef struct ingest_osm_opts {
    int clip;               /* 1: keep only what lies inside the builder's
                               kommun areas (level 0) grown by clip_margin_m */
    double clip_margin_m;   /* default 2000 when 0 */
    double clip_cell_m;     /* clip raster cell size, default 250 when 0 */
} ingest_osm_opts;

/* Imports path (must end in .pbf or .osm). opts may be NULL (no clip).
 * Appends road nodes, roads and POIs to b; rep (may be NULL) receives the
 * counts and a note on what was left out and why. Returns 0, or FK_EIO
 * (cannot open/read), FK_EINVAL (bad suffix, bad options, clip without
 * kommun areas), FK_EPARSE (malformed XML, invalid or truncated PBF,
 * unsupported compression, no node data, unsorted file), FK_ENOMEM or
 * FK_ETOOBIG (more than 2^32 nodes), with a message in e naming the file;
 * on failure b is rolled back to its state before the call. */
int ingest_osm(region_builder *b, const char *path, const ingest_osm_opts *opts,
               ingest_report *rep, fk_err *e);

#endif
