/*
 * region.h: the region snapshot, read side. The public header of region/.
 *
 * A region snapshot is one immutable file built by `flyttkarta build` from
 * open data (see DESIGN.md). It holds fixed-size records in aligned sections
 * that region_open() maps read-only; every pointer in `region` points into
 * that mapping, so opening costs a validation pass and no copying, and many
 * processes share the same pages.
 *
 * Records refer to text by `uint32_t` offsets into the string pool
 * (region_str()), and to each other by uint32 indices; REGION_NONE means "no
 * reference". The layout is little-endian, as written by the build machine;
 * region_open() refuses a file from a machine of other byte order.
 *
 * File layout (format version REGION_FORMAT_VERSION):
 *   region_file_header   (256 bytes, at offset 0, with its own CRC-32)
 *   region_section_entry[n_sections]  (right after the header)
 *   sections, each starting at a 64-byte aligned offset, each with a CRC-32
 * See docs/snapshot.md.
 */
#ifndef FK_REGION_H
#define FK_REGION_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/geo.h"

#define REGION_MAGIC "FLYTTKRT"
#define REGION_FORMAT_VERSION 1u
#define REGION_NONE UINT32_MAX

/* ---- record flags shared by every kind of record ---- */
enum {
    REGION_F_GENERATED = 1u << 0  /* made by the demo generator, not real data */
};

/* ---- road network (from OSM or the generator) ---- */

/* OSM highway=* classes that are kept. Order matters only for display. */
typedef enum region_highway {
    HW_NONE = 0,
    HW_MOTORWAY, HW_MOTORWAY_LINK, HW_TRUNK, HW_TRUNK_LINK,
    HW_PRIMARY, HW_PRIMARY_LINK, HW_SECONDARY, HW_SECONDARY_LINK,
    HW_TERTIARY, HW_TERTIARY_LINK, HW_UNCLASSIFIED, HW_RESIDENTIAL,
    HW_LIVING_STREET, HW_SERVICE, HW_PEDESTRIAN, HW_TRACK, HW_ROAD,
    HW_FOOTWAY, HW_CYCLEWAY, HW_PATH, HW_STEPS, HW_BRIDLEWAY,
    HW_FERRY,           /* route=ferry, not a highway tag */
    HW_COUNT
} region_highway;

/* Values of access, foot, bicycle, motor_vehicle (and motorcar folded into
 * motor_vehicle). ACC_UNSET means the tag is absent. */
typedef enum region_access {
    ACC_UNSET = 0, ACC_YES, ACC_NO, ACC_PRIVATE, ACC_DESTINATION,
    ACC_DESIGNATED, ACC_PERMISSIVE, ACC_CUSTOMERS, ACC_DELIVERY,
    ACC_AGRICULTURAL, ACC_FORESTRY, ACC_DISMOUNT, ACC_USE_SIDEPATH,
    ACC_OTHER, ACC_COUNT
} region_access;

/* oneway and oneway:bicycle */
enum { ONEWAY_NO = 0, ONEWAY_FORWARD = 1, ONEWAY_REVERSE = 2, ONEWAY_UNSET = 3 };

/* service=* values that change routing */
enum {
    SERVICE_NONE = 0, SERVICE_DRIVEWAY, SERVICE_PARKING_AISLE, SERVICE_ALLEY,
    SERVICE_EMERGENCY_ACCESS, SERVICE_DRIVE_THROUGH, SERVICE_OTHER
};

/* region_road.flags */
enum {
    ROAD_F_GENERATED = REGION_F_GENERATED,
    ROAD_F_ROUNDABOUT = 1u << 1,   /* junction=roundabout (implies oneway) */
    ROAD_F_AREA = 1u << 2,         /* area=yes */
    ROAD_F_TOLL = 1u << 3,
    ROAD_F_TUNNEL = 1u << 4,
    ROAD_F_BRIDGE = 1u << 5
};

/* One straight segment of a routable way between two consecutive way nodes.
 * Direction: from -> to follows the way's node order. */
typedef struct region_road {
    uint32_t from, to;        /* indices into region.road_nodes */
    uint32_t length_dm;       /* decimetres */
    uint32_t name;            /* string: name=* or ref=* */
    uint8_t highway;          /* region_highway */
    uint8_t oneway;           /* ONEWAY_* */
    uint8_t oneway_bicycle;   /* ONEWAY_* from oneway:bicycle */
    uint8_t access;           /* region_access of access=* */
    uint8_t foot, bicycle, motor_vehicle;  /* region_access */
    uint8_t maxspeed_kmh;     /* 0 unknown; "walk" = 7, "none" = 250 */
    uint8_t service;          /* SERVICE_* */
    uint8_t flags;            /* ROAD_F_* */
    uint8_t pad[2];
} region_road;

/* ---- places of everyday life (points of interest) ---- */

typedef enum region_poi_kind {
    POI_SCHOOL = 0,       /* amenity=school (grundskola, gymnasium) */
    POI_PRESCHOOL,        /* amenity=kindergarten (förskola) */
    POI_HEALTH,           /* vårdcentral: amenity=doctors/clinic, healthcare=centre/doctor */
    POI_GROCERY,          /* shop=supermarket/convenience/grocery */
    POI_PHARMACY,         /* amenity=pharmacy (apotek) */
    POI_LIBRARY,          /* amenity=library */
    POI_SPORTS,           /* leisure=sports_centre/stadium/swimming_pool/fitness_centre/ice_rink */
    POI_KIND_COUNT
} region_poi_kind;

/* region_poi.level for schools (bit set; 0 = not tagged) */
enum {
    SCHOOL_PRIMARY = 1u << 0,     /* F-6, lågstadium/mellanstadium */
    SCHOOL_LOWER_SEC = 1u << 1,   /* 7-9, högstadium */
    SCHOOL_UPPER_SEC = 1u << 2,   /* gymnasium */
    SCHOOL_ADULT = 1u << 3        /* komvux, folkhögskola, university */
};

enum { POI_F_GENERATED = REGION_F_GENERATED, POI_F_FROM_AREA = 1u << 1 };

typedef struct region_poi {
    geo_point pos;            /* node, or centroid of a closed way */
    int64_t source_id;        /* OSM id (ways negative), register id, or 0 */
    uint32_t name;            /* string */
    uint32_t subkind;         /* string: the tag value, "supermarket", ... */
    uint16_t kommun_code;     /* SCB kommun code (e.g. 2580), 0 unknown */
    uint8_t kind;             /* region_poi_kind */
    uint8_t level;            /* SCHOOL_* bits */
    uint8_t flags;            /* POI_F_* */
    uint8_t pad[3];
} region_poi;

/* ---- public transport (GTFS) ---- */

typedef struct region_agency {
    uint32_t gtfs_id, name, url, timezone;   /* strings */
} region_agency;

typedef struct region_stop {
    geo_point pos;
    uint32_t gtfs_id, name, platform_code;   /* strings */
    uint32_t parent;          /* stop index of parent_station, REGION_NONE */
    uint8_t location_type;    /* 0 stop, 1 station, 2 entrance, 3 node, 4 boarding */
    uint8_t wheelchair;       /* wheelchair_boarding 0..2 */
    uint8_t flags;            /* REGION_F_GENERATED */
    uint8_t pad;
} region_stop;

typedef struct region_route {
    uint32_t gtfs_id, short_name, long_name;  /* strings */
    uint32_t agency;          /* agency index, REGION_NONE */
    int16_t type;             /* route_type (0-12 or extended 100-1702) */
    uint8_t pad[2];
} region_route;

/* A service: the days on which trips of this service_id run, from calendar
 * and calendar_dates combined, as a bitmap over [first_day, first_day+n_days). */
typedef struct region_service {
    uint32_t gtfs_id;         /* string */
    int32_t first_day;        /* days since 1970-01-01 (local dates) */
    uint32_t n_days;
    uint32_t bits;            /* byte offset into region.service_bits */
} region_service;

typedef struct region_trip {
    uint32_t gtfs_id, headsign, short_name;   /* strings */
    uint32_t route, service;  /* indices */
    uint32_t first_stop_time; /* index into stop_times; sorted by sequence */
    uint32_t n_stop_times;
    uint8_t direction;        /* 0, 1, or 2 when unset */
    uint8_t wheelchair, bikes;
    uint8_t pad;
} region_trip;

/* Times are seconds after noon minus 12 h of the service day (GTFS time),
 * may exceed 24:00:00. */
typedef struct region_stop_time {
    int32_t arrival_s, departure_s;
    uint32_t stop;            /* index */
    uint32_t headsign;        /* string: stop_headsign, 0 if none */
    uint8_t pickup, dropoff;  /* pickup_type, drop_off_type 0..3 */
    uint8_t timepoint;
    uint8_t pad;
} region_stop_time;

typedef struct region_transfer {
    uint32_t from_stop, to_stop;     /* indices */
    uint32_t from_trip, to_trip;     /* indices or REGION_NONE */
    uint32_t from_route, to_route;   /* indices or REGION_NONE */
    int32_t min_time_s;              /* -1 when absent */
    uint8_t type;                    /* transfer_type 0..5 */
    uint8_t pad[3];
} region_transfer;

typedef struct region_frequency {
    uint32_t trip;                   /* index */
    int32_t start_s, end_s, headway_s;
    uint8_t exact;
    uint8_t pad[3];
} region_frequency;

/* ---- jobs and the occupation taxonomy ---- */

/* Concept types of the JobTech taxonomy that are kept. */
typedef enum region_concept_type {
    CONCEPT_OCCUPATION_NAME = 0,   /* yrkesbenämning */
    CONCEPT_SSYK4,                 /* yrkesgrupp (SSYK 2012, 4 digits) */
    CONCEPT_SSYK3, CONCEPT_SSYK2, CONCEPT_SSYK1,
    CONCEPT_OCCUPATION_FIELD,      /* yrkesområde */
    CONCEPT_SKILL,
    CONCEPT_SUN_LEVEL,             /* education levels (SUN) */
    CONCEPT_SUN_FIELD,             /* education fields (SUN) */
    CONCEPT_MUNICIPALITY,
    CONCEPT_LANGUAGE,
    CONCEPT_KEYWORD,
    CONCEPT_OTHER,
    CONCEPT_TYPE_COUNT
} region_concept_type;

typedef struct region_concept {
    uint32_t concept_id;      /* string, e.g. "7wdX_4rv_33z" */
    uint32_t label;           /* string: preferredLabel */
    uint32_t legacy_id;       /* string: legacy AMS id / SSYK code */
    uint8_t type;             /* region_concept_type */
    uint8_t flags;            /* REGION_F_GENERATED */
    uint8_t pad[2];
} region_concept;

/* A "broader" relation between concepts (occupation name -> SSYK group ->
 * occupation field), learnt from job ads and registers. */
typedef struct region_concept_rel {
    uint32_t narrower, broader;   /* concept indices */
} region_concept_rel;

enum { JOB_F_GENERATED = REGION_F_GENERATED, JOB_F_POS_FROM_KOMMUN = 1u << 1 };

typedef struct region_job {
    geo_point pos;            /* workplace; kommun centre if JOB_F_POS_FROM_KOMMUN */
    uint32_t source_id;       /* string: the ad's id */
    uint32_t title, employer, description, url, address;  /* strings */
    uint32_t occupation;      /* concept index (occupation name), REGION_NONE */
    uint32_t occupation_group;/* concept index (SSYK 4), REGION_NONE */
    uint32_t occupation_field;/* concept index, REGION_NONE */
    int32_t published_day;    /* days since 1970-01-01, or INT32_MIN */
    int32_t deadline_day;     /* days since 1970-01-01, or INT32_MIN */
    uint16_t kommun_code;
    uint16_t positions;       /* antal platser */
    uint8_t worktime_full;    /* 1 heltid, 0 deltid, 2 unknown */
    uint8_t flags;            /* JOB_F_* */
    uint8_t pad[2];
} region_job;

/* ---- homes for sale ---- */

typedef enum region_home_type {
    HOME_HOUSE = 0,     /* villa */
    HOME_TERRACED,      /* radhus/kedjehus/parhus */
    HOME_APARTMENT,     /* lägenhet (bostadsrätt or ägarlägenhet) */
    HOME_HOLIDAY,       /* fritidshus */
    HOME_FARM,          /* gård */
    HOME_PLOT,          /* tomt */
    HOME_TYPE_COUNT
} region_home_type;

typedef enum region_tenure {
    TENURE_OWNED = 0,   /* äganderätt */
    TENURE_COOP,        /* bostadsrätt */
    TENURE_RENTAL,      /* hyresrätt (price is monthly rent) */
    TENURE_COUNT
} region_tenure;

enum { HOME_F_GENERATED = REGION_F_GENERATED };

typedef struct region_home {
    geo_point pos;
    uint32_t source_id, address, url;   /* strings */
    uint32_t price_sek;       /* asking price, or monthly rent for rentals */
    uint32_t fee_sek_month;   /* avgift/driftkostnad per month, 0 unknown */
    uint32_t plot_m2;         /* 0 unknown */
    uint16_t living_m2;       /* boarea, 0 unknown */
    uint16_t rooms_x10;       /* rooms * 10 (2.5 rum = 25) */
    uint16_t built_year;      /* 0 unknown */
    uint16_t kommun_code;
    uint8_t type;             /* region_home_type */
    uint8_t tenure;           /* region_tenure */
    uint8_t flags;
    uint8_t pad;
} region_home;

/* ---- areas: kommuner, localities, postcodes, statistics ---- */

typedef struct region_area {
    uint32_t code;            /* string: "2580" */
    uint32_t name;            /* string */
    uint32_t first_ring, n_rings;   /* into region.rings */
    geo_bbox bbox;
    geo_point centre;         /* the main locality if known, else centroid */
    uint16_t kommun_code;     /* numeric form of code */
    uint8_t level;            /* 0 kommun, 1 län (county), 2 FA region */
    uint8_t flags;
} region_area;

enum { RING_OUTER = 0, RING_HOLE = 1 };

typedef struct region_ring {
    uint32_t first_point, n_points;   /* into region.ring_points */
    uint8_t role;             /* RING_OUTER or RING_HOLE */
    uint8_t pad[3];
} region_ring;

typedef struct region_locality {
    geo_point pos;
    uint32_t name;            /* string */
    uint32_t population;      /* 0 unknown */
    uint16_t kommun_code;
    uint8_t flags;
    uint8_t pad;
} region_locality;

typedef struct region_postcode {
    uint32_t code;            /* 5 digits as a number: 97231 */
    uint32_t locality;        /* string: postort */
    uint16_t kommun_code;
    uint8_t pad[2];
} region_postcode;

enum { STAT_F_GENERATED = REGION_F_GENERATED };

typedef struct region_stat {
    double value;
    uint32_t area_code;       /* string: kommun code, DeSO code, ... */
    uint32_t indicator;       /* string: e.g. "population" */
    uint32_t unit;            /* string */
    uint32_t source;          /* string: "SCB", "Kolada N00923", ... */
    uint16_t year;
    uint8_t flags;
    uint8_t pad[5];
} region_stat;

/* ---- metadata ---- */

typedef struct region_source {
    uint32_t kind;            /* string: "osm", "gtfs", "jobs", ... */
    uint32_t path;            /* string: as given on the command line */
    uint64_t bytes;
    uint32_t crc32;           /* of the file's bytes (0 for folders) */
    uint32_t records;         /* records imported from it */
} region_source;

/* Section ids. New sections get new ids; readers ignore unknown ones. */
typedef enum region_section_id {
    SEC_STRINGS = 1, SEC_ROAD_NODES, SEC_ROADS, SEC_POIS,
    SEC_AGENCIES, SEC_STOPS, SEC_ROUTES, SEC_SERVICES, SEC_SERVICE_BITS,
    SEC_TRIPS, SEC_STOP_TIMES, SEC_TRANSFERS, SEC_FREQUENCIES,
    SEC_CONCEPTS, SEC_CONCEPT_RELS, SEC_JOBS, SEC_HOMES,
    SEC_AREAS, SEC_RINGS, SEC_RING_POINTS, SEC_LOCALITIES, SEC_POSTCODES,
    SEC_STATS, SEC_SOURCES,
    SEC_BUILTIN_COUNT
} region_section_id;

/* Sections added by later stages of the build (route/, analytics/) use ids
 * from here on; each module documents its own. */
#define REGION_SEC_EXTRA_FIRST 1000u

/* region_file_header.flags: which parts are generated */
enum {
    REGION_GEN_ROADS = 1u << 0, REGION_GEN_POIS = 1u << 1,
    REGION_GEN_JOBS = 1u << 2, REGION_GEN_HOMES = 1u << 3,
    REGION_GEN_STATS = 1u << 4, REGION_GEN_AREAS = 1u << 5,
    REGION_GEN_TRANSIT = 1u << 6
};

typedef struct region_file_header {
    char magic[8];            /* REGION_MAGIC, no NUL */
    uint32_t version;         /* REGION_FORMAT_VERSION */
    uint32_t header_size;     /* sizeof(region_file_header) */
    uint64_t file_size;
    int64_t build_time;       /* unix seconds */
    uint32_t n_sections;
    uint32_t flags;           /* REGION_GEN_* */
    uint32_t endian_check;    /* 0x01020304 as written */
    uint32_t name;            /* string: region name */
    uint32_t generator_seed;  /* demo generator seed, 0 if none */
    uint32_t pad0;
    geo_bbox bbox;
    char name_inline[128];    /* region name, for tools that only read the header */
    uint8_t reserved[52];
    uint32_t header_crc;      /* CRC-32 of bytes [0, 252) */
} region_file_header;

typedef struct region_section_entry {
    uint32_t id;              /* region_section_id */
    uint32_t elem_size;       /* bytes per record (1 for blobs) */
    uint64_t offset;          /* from start of file, 64-byte aligned */
    uint64_t count;           /* records */
    uint32_t crc32;           /* of the section's bytes */
    uint32_t reserved;
} region_section_entry;

/* An open snapshot. All arrays point into the read-only mapping. */
typedef struct region {
    const region_file_header *hdr;
    const char *strings;  size_t strings_len;
    const geo_point *road_nodes; size_t n_road_nodes;
    const region_road *roads; size_t n_roads;
    const region_poi *pois; size_t n_pois;
    const region_agency *agencies; size_t n_agencies;
    const region_stop *stops; size_t n_stops;
    const region_route *routes; size_t n_routes;
    const region_service *services; size_t n_services;
    const uint8_t *service_bits; size_t n_service_bits;
    const region_trip *trips; size_t n_trips;
    const region_stop_time *stop_times; size_t n_stop_times;
    const region_transfer *transfers; size_t n_transfers;
    const region_frequency *frequencies; size_t n_frequencies;
    const region_concept *concepts; size_t n_concepts;
    const region_concept_rel *concept_rels; size_t n_concept_rels;
    const region_job *jobs; size_t n_jobs;
    const region_home *homes; size_t n_homes;
    const region_area *areas; size_t n_areas;
    const region_ring *rings; size_t n_rings;
    const geo_point *ring_points; size_t n_ring_points;
    const region_locality *localities; size_t n_localities;
    const region_postcode *postcodes; size_t n_postcodes;
    const region_stat *stats; size_t n_stats;
    const region_source *sources; size_t n_sources;
    /* mapping */
    const void *map;
    size_t map_len;
    const region_section_entry *sections;  /* all entries, incl. unknown ids */
    size_t n_sections;
} region;

enum {
    REGION_OPEN_VERIFY_CRC = 1u << 0  /* check every section's CRC-32 */
};

/* Maps and validates the snapshot at path. On success *out is a new handle
 * (free with region_close). On failure returns FK_EIO, FK_ECORRUPT or
 * FK_EVERSION with a message in e naming the file and what is wrong. */
int region_open(const char *path, unsigned flags, region **out, fk_err *e);
void region_close(region *r);   /* r may be NULL */

/* The string at offset off; "" for an offset out of range. */
static inline const char *region_str(const region *r, uint32_t off)
{
    return off < r->strings_len ? r->strings + off : "";
}

/* Section entry with id, or NULL. Lets later modules read their own sections. */
const region_section_entry *region_section(const region *r, uint32_t id);
const void *region_section_data(const region *r, const region_section_entry *s);

/* Days since 1970-01-01 <-> yyyymmdd. region_day_from_ymd returns 0 and
 * writes *day, or -1 for an invalid date. */
int region_day_from_ymd(int y, int m, int d, int32_t *day);
void region_ymd_from_day(int32_t day, int *y, int *m, int *d);

/* Whether service s runs on day (days since 1970-01-01). */
int region_service_active(const region *r, const region_service *s, int32_t day);

const char *region_poi_kind_name(int kind);      /* "school", ... */
const char *region_highway_name(int hw);         /* "residential", ... */
const char *region_home_type_name(int type);     /* "house", ... */
const char *region_section_name(uint32_t id);    /* "roads", ... */

#endif
