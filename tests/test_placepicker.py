"""The place picker (components/placepicker.py): offline folium, gazetteer search and nearest places."""

from __future__ import annotations

import re

from components import placepicker
from data.gazetteer import get_gazetteer


def test_picker_map_loads_nothing_from_outside() -> None:
    fmap = placepicker.picker_map((35.95, 39.01), (35.81, 39.26))
    page = fmap.get_root().render()
    assert [src for _, src in fmap.default_js] and all(src.startswith("data:") for _, src in fmap.default_js)
    assert all(href.startswith("data:") for _, href in fmap.default_css)
    # folium's CDN scripts (jQuery, Bootstrap, awesome-markers) are gone; only data: URLs remain
    assert re.findall(r"(?:src|href)=\"(https?:[^\"]+)\"", page) == []
    assert "cdn.jsdelivr" not in page and "code.jquery" not in page
    assert "Raqqa" in page  # town names around the centre


def test_picker_map_without_a_point_opens_on_the_theatre() -> None:
    fmap = placepicker.picker_map((float("nan"), float("nan")), None)
    assert fmap.location == list(placepicker.THEATRE)


def test_search_offers_located_places_best_first() -> None:
    found = placepicker.search("Tabqa")
    assert found and found[0]["country"] == "SY"
    assert all(f["lat"] is not None for f in found)
    assert placepicker.search("  ") == []
    assert placepicker.search("Nowhereville Xq") == []


def test_a_click_offers_the_nearest_towns_then_the_point() -> None:
    choices = placepicker.near_click(35.95, 39.02)
    names = [c["place"] for c in choices]
    assert "Raqqa" in names, names  # the city, though its quarters lie nearer
    distances = [c["distance_km"] for c in choices[:-1]]
    assert distances == sorted(distances)
    point = choices[-1]
    assert point["geo_precision"] == "site" and point["place_id"] == ""
    assert (point["lat"], point["lon"]) == (35.95, 39.02)
    assert point["place"] == f"near {names[0]}"
    assert len(choices) == placepicker.CHOICES


def test_nearest_is_empty_far_from_any_town() -> None:
    assert get_gazetteer().nearest(0.0, -30.0) == []  # the mid-Atlantic
    assert placepicker.near_click(0.0, -30.0)[0]["place"] == "0.0000, -30.0000"
