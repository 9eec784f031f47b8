"""The standalone HTML map (components/maphtml.py): offline, escaped, attributed."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from components import maphtml
from components.format import type_colours
from components.maphtml import MAX_EVENTS, event_features, map_html

HOSTILE = "<script>alert(1)</script> `${alert(2)}` \\u003c/script> <img src=x onerror=alert(3)>"


def frame(**overrides: object) -> pd.DataFrame:
    row = {
        "event_id": "a:1",
        "lat": 35.95,
        "lon": 39.01,
        "place": "Raqqa",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actors": '["Syrian Democratic Forces", "Islamic State"]',
        "fatalities": pd.NA,
        "date_start": "2017-10-17",
        "date_end": "2017-10-17",
        "date_precision": "day",
        "outlet": "Wire",
        "title": "Raqqa falls",
        "excerpt": "Fighters took the stadium.",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_the_file_fetches_nothing() -> None:
    """Leaflet inlined, folium's CDN links (Leaflet, jQuery, Bootstrap, Font Awesome) left out."""
    page = map_html(frame())
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert not re.search(r"url\((?!data:|#)", page)  # the stylesheet's images are data: URIs
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg"):
        assert cdn not in page
    assert "L.map(" in page and "Leaflet" in page  # Leaflet itself is in the file


def test_the_file_credits_geonames_and_natural_earth_and_carries_leaflets_licence() -> None:
    page = map_html(frame())
    assert "GeoNames" in page and "CC BY 4.0" in page and "Natural Earth" in page
    assert "<!-- Leaflet's licence:" in page and "Redistribution and use in source and binary forms" in page


def test_article_words_are_escaped_in_the_popups() -> None:
    page = map_html(frame(excerpt=HOSTILE, place=HOSTILE, title=HOSTILE), title=HOSTILE)
    assert "<script>alert" not in page and "<img src=x" not in page
    # (a "${" left in the words is inert: they reach the page as JSON data, then as escaped HTML;
    # tests/browser/test_html_map.py opens such a popup in Chromium)
    (feature,) = event_features(frame(excerpt=HOSTILE))["features"]
    assert "<b>Sentence</b>: &lt;script&gt;alert(1)&lt;/script&gt;" in feature["properties"]["popup"]


def test_one_circle_per_place_listing_its_events() -> None:
    """Reports at one point share a circle (in the colour of their commonest type) whose popup
    lists them all: each is reachable, as on the dashboard's map."""
    events = pd.concat(
        [
            frame(),
            frame(event_id="a:2", excerpt="They held the hospital.", fatalities=22),
            frame(event_id="a:3", event_type="Strategic developments", sub_event_type=""),
            frame(event_id="a:4", lat=float("nan"), lon=float("nan")),
            frame(event_id="a:5", lat=36.34, lon=43.13, place="Mosul", event_type=""),
        ],
        ignore_index=True,
    )
    raqqa, mosul = event_features(events)["features"]
    assert raqqa["properties"]["count"] == 3 and mosul["properties"]["count"] == 1
    assert raqqa["properties"]["colour"] == type_colours(["Battles"])["Battles"]
    popup = raqqa["properties"]["popup"]
    assert popup.startswith("<b>3 events at this point</b>")
    assert "Fighters took the stadium." in popup and "They held the hospital." in popup
    assert "<b>Deaths</b>: not reported" in popup and "<b>Deaths</b>: 22" in popup
    assert "<b>Sides</b>: Syrian Democratic Forces, Islamic State" in popup
    assert "<b>Type</b>: Strategic developments<br>" in popup
    assert mosul["geometry"]["coordinates"] == [43.13, 36.34]


def test_a_crowded_point_lists_its_first_events_and_counts_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maphtml, "POPUP_EVENTS", 2)
    (feature,) = event_features(pd.concat([frame()] * 5, ignore_index=True))["features"]
    assert feature["properties"]["popup"].count("<b>Sentence</b>") == 2
    assert feature["properties"]["popup"].endswith("<i>and 3 more events at this point</i>")


def test_the_regional_basemap_with_its_divisions_for_the_theatre_the_world_elsewhere() -> None:
    near = map_html(frame())
    assert '"kind": "division"' in near and '["Nineveh", 36.2, 42.5, 7, "division"]' in near
    far = map_html(frame(lat=-33.9, lon=18.4))
    assert '"kind": "division"' not in far and '"kind": "country"' in far
    assert '["Nineveh"' not in far and '["Cape Town", -33.9258, 18.4232, 4, "city"]' in far


def test_too_many_events_is_an_error_with_its_count(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_EVENTS == 20_000
    monkeypatch.setattr(maphtml, "MAX_EVENTS", 2)
    with pytest.raises(ValueError, match="Expected at most 2 events for an HTML map, got 3"):
        map_html(pd.concat([frame()] * 3, ignore_index=True))
