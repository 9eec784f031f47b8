"""Build the offline basemap: Natural Earth country borders as GeoJSON.

Run once; its output is committed. Source: the npm package `world-atlas` (ISC licence; the data
are Natural Earth, public domain), fetched with the ordinary npm client:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python components/assets/build_basemap.py /tmp/package

It writes, next to this script:
  basemap-world-110m.geojson   every country at 1:110m (used when events lie outside the region)
  basemap-region-10m.geojson   countries at 1:10m clipped to REGION (Syria, Iraq and neighbours)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
# lon_min, lat_min, lon_max, lat_max: the Levant, Mesopotamia, Anatolia, Iran and the Gulf.
REGION = (24.0, 12.0, 63.0, 44.0)
# 3 decimals is ~100 m, about what 1:10m data carries.
DIGITS = 3

Ring = list[tuple[float, float]]


def decode_arcs(topology: dict) -> list[Ring]:
    """The topology's arcs as absolute lon/lat (TopoJSON quantises and delta-encodes them)."""
    scale = topology.get("transform", {}).get("scale", [1, 1])
    translate = topology.get("transform", {}).get("translate", [0, 0])
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring_from(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join arcs into a ring; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indices:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)
    return ring


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


def to_geojson(topology: dict, box: tuple[float, float, float, float] | None) -> dict:
    """The `countries` object as a GeoJSON FeatureCollection, optionally clipped to box."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        out_polygons = []
        for polygon in polygons:
            rings = [ring_from(indices, arcs) for indices in polygon]
            if box is not None:
                rings = [clip_ring(ring, box) for ring in rings]
            rings = [_round(ring) for ring in rings if ring]
            rings = [ring for ring in rings if len(ring) >= 4]
            if rings:
                out_polygons.append(rings)
        if not out_polygons:
            continue
        features.append({
            "type": "Feature",
            "properties": {"name": geometry.get("properties", {}).get("name", "")},
            "geometry": {"type": "MultiPolygon", "coordinates": out_polygons},
        })
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked world-atlas npm package")
    args = parser.parse_args(argv)
    for source, target, box in (
        ("countries-110m.json", "basemap-world-110m.geojson", None),
        ("countries-10m.json", "basemap-region-10m.geojson", REGION),
    ):
        topology = json.loads((args.package / source).read_text(encoding="utf-8"))
        collection = to_geojson(topology, box)
        text = json.dumps(collection, separators=(",", ":"))
        (HERE / target).write_text(text, encoding="utf-8")
        print(f"{target}: {len(collection['features'])} countries, {len(text) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
