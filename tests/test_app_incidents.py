"""Reports vs incidents, and the map at scale.

The incidents view counts incidents (one marker and one timeline mark each) and shows every
source of the selected incident with its outlet and death toll, escaped. Past AGGREGATE_ABOVE
located events the map ships counts per grid cell instead of markers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_app

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components import incidents, mapview  # noqa: E402
from components.format import with_display_columns  # noqa: E402
from data.filters import normalise_events  # noqa: E402
from data.store import EventStore  # noqa: E402
from data.synthetic import generate  # noqa: E402


@pytest.fixture
def seeds_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pd.DataFrame:
    monkeypatch.setenv("SITREP_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("SITREP_ARTICLES", str(REPO / "seeds"))
    monkeypatch.delenv("SITREP_SYNTHETIC", raising=False)
    store = EventStore(tmp_path / "store" / "events")
    store.update([REPO / "seeds"])
    return store.load().events


run = run_app


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    return with_display_columns(normalise_events(generate(n, seed=seed).events))


def test_incidents_view_counts_incidents_not_reports(seeds_store: pd.DataFrame) -> None:
    n_incidents = seeds_store["incident_id"].nunique()
    assert n_incidents < len(seeds_store), "the seeds should hold repeated reports"
    at = run(view="incidents", min_conf="0")
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Incidents"].replace(",", "")) == n_incidents
    at = run("pages/4_Events.py", view="incidents", min_conf="0")
    assert at.title[0].value == f"Incidents ({n_incidents})"
    table = at.dataframe[0].value
    assert {"n_sources", "n_reports"} <= set(table.columns)
    assert table["n_reports"].sum() == len(seeds_store)
    at = run("pages/1_Map.py", view="incidents", min_conf="0")
    from test_app_pages import map_args, map_payload

    rows = map_payload(map_args(at)[0])["rows"]
    located = seeds_store[seeds_store["lat"].notna()]
    assert len(rows) == located["incident_id"].nunique()
    assert any("incidents shown" in c.value for c in at.caption)
    # The reports view is unchanged.
    at = run("pages/4_Events.py", min_conf="0")
    assert at.title[0].value == f"Events ({len(seeds_store)})"


def test_selected_incident_lists_every_source(seeds_store: pd.DataFrame) -> None:
    sizes = seeds_store.groupby("incident_id")["event_id"].transform("size")
    event = seeds_store[sizes > 1].iloc[0]
    reports = seeds_store[seeds_store["incident_id"] == event["incident_id"]]
    at = run("pages/1_Map.py", view="incidents", event=event["event_id"], min_conf="0")
    assert any(s.value.startswith(f"Selected incident: {len(reports)} reports") for s in at.subheader)
    body = "".join(e.proto.body for e in at.main.get("html") if hasattr(e.proto, "body"))
    assert "sitrep-incident" in body
    assert body.count("<tr><td style='vertical-align:top;padding-right:.6em;") == len(reports)


def test_incident_view_merges_reports_of_an_incident() -> None:
    events = synthetic(3000)
    view = incidents.incident_view(events, events)
    assert len(view) == events["incident_id"].nunique()
    assert view["n_reports"].sum() == len(events)
    assert (view["n_sources"] <= view["n_reports"]).all()
    many = view[view["n_reports"] > 1].iloc[0]
    members = events[events["incident_id"] == many["incident_id"]]
    assert set(many["actors"]) == {a for listed in members["actors"] for a in listed}
    assert many["outlets"] == sorted(set(members["outlet"].where(members["outlet"] != "", members["article_id"])))
    # A filter that keeps one report keeps its whole incident.
    one = members.iloc[[-1]]
    (row,) = incidents.incident_view(one, events).itertuples()
    assert row.n_reports == len(members)
    # Disagreeing death tolls are a range, never one of the figures.
    differ = view[view["_deaths"].str.contains("sources differ")]
    assert len(differ) and differ["fatalities"].isna().all()
    assert (differ["fatalities_low"] < differ["fatalities_high"]).all()


def test_incident_sources_are_escaped_in_the_popup_and_panel() -> None:
    events = synthetic(400).copy()
    sizes = events.groupby("incident_id")["event_id"].transform("size")
    target = events[sizes > 1]["incident_id"].iloc[0]
    rows = events.index[events["incident_id"] == target]
    events.loc[rows, "outlet"] = "<script>alert(1)</script>"
    events.loc[rows[0], "excerpt"] = "<img src=x onerror=alert(2)> " + events.loc[rows[0], "excerpt"]
    events["spans"] = [[] if i == rows[0] else s for i, s in zip(events.index, events["spans"], strict=False)]
    view = incidents.incident_view(events, events)
    payload = mapview.build_payload(view, reports=events)
    text = json.dumps(payload)
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    from components.details import incident_html

    panel = incident_html(incidents.incident_reports(events.loc[rows[0], "event_id"], events))
    assert "<script>alert" not in panel and "<img src=x" not in panel
    assert panel.count("&lt;script&gt;") >= len(rows)


def test_the_map_aggregates_past_the_limit() -> None:
    events = synthetic(mapview.AGGREGATE_ABOVE + 6000, seed=3)
    located = events[events["lat"].notna()]
    assert len(located) > mapview.AGGREGATE_ABOVE
    payload = mapview.build_payload(events)
    assert payload["rows"] == [] and payload["grid"]
    for level in payload["grid"]:
        assert sum(cell[2] for cell in level["cells"]) == len(located)
        assert all(sum(cell[5:]) == cell[2] for cell in level["cells"])
    sizes = [len(level["cells"]) for level in payload["grid"]]
    assert sizes == sorted(sizes) and sizes[0] < 50
    meta, body = mapview.view_data(events)
    assert len(body) < 200_000
    assert meta["grid"] and sum(meta["counts"]) == len(located)
    # Below the limit: markers, clustered.
    small = mapview.build_payload(events.head(5000))
    assert small["grid"] is None and small["cluster"] and len(small["rows"]) > 4000


def test_timeline_counts_per_month_at_scale() -> None:
    from components import timeline

    events = synthetic(30_000, seed=5)
    chart = timeline.build_counts_chart(events, rows="type")
    data = chart.to_dict()["datasets"]
    (rows,) = data.values()
    assert len(rows) < 1000  # months x types, not 30,000 marks
    assert sum(r["size"] for r in rows) == events["date_start"].notna().sum()


def test_the_map_arguments_name_its_own_files_and_the_sources_page() -> None:
    """The detailed basemap only for events in its region; links from the server's root."""
    events = synthetic(300, seed=7)
    args = mapview.map_args(events, selected=events["event_id"].iloc[0])
    assert args["basemap_world"] == mapview.BASEMAP_WORLD
    assert args["basemap_region"] == mapview.BASEMAP_REGION
    assert args["basemap_divisions"] == mapview.BASEMAP_DIVISIONS
    for name in (args["basemap_world"], args["basemap_region"], args["basemap_divisions"], args["labels"]):
        assert (mapview.FRONTEND / name).is_file(), name
    assert args["sources"] == "/Sources?event=" and args["tiles"] is None
    payload = json.loads(args["payload"].decode("utf-8"))
    assert len(payload["rows"]) == int(events["lat"].notna().sum())
    assert args["meta"]["data_id"] and sum(args["meta"]["counts"]) == len(payload["rows"])
    abroad = events.copy()
    abroad["lon"] = abroad["lon"] - 120  # the Americas
    assert mapview.map_args(abroad)["basemap_region"] is None
    assert mapview.map_args(abroad)["basemap_divisions"] is None
    tiles = mapview.map_args(events, tiles="https://tiles.example/{z}/{x}/{y}.png")
    assert tiles["max_zoom"] == 18 and tiles["land_opacity"] < 1
