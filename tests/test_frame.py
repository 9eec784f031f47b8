"""Stage 7: the event frame contract, validation messages and exports."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data.export import write_export
from data.frame import EVENT_COLUMNS, EventSchemaError, events_to_frame, validate_events
from data.schema import Event


def make_event(**overrides) -> Event:
    values = dict(
        event_id="e1",
        article_id="a",
        excerpt="Fighters took Raqqa.",
        excerpt_start=0,
        excerpt_end=20,
        date_start=date(2017, 10, 17),
        date_end=date(2017, 10, 17),
        date_precision="day",
        date_basis="explicit",
        place="Raqqa",
        lat=35.95,
        lon=39.01,
        geo_precision="city",
        actors=["Islamic State"],
        fatalities=None,
        confidence=0.8,
        spans=[{"kind": "place", "start": 13, "end": 18}],
    )
    values.update(overrides)
    return Event(**values)


def test_frame_has_the_contract_columns_and_dtypes() -> None:
    frame = events_to_frame([make_event(), make_event(event_id="e2", lat=None, lon=None, fatalities=3)])
    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert str(frame["fatalities"].dtype) == "Int64"
    assert frame["fatalities"].isna().tolist() == [True, False]
    assert frame["lat"].isna().tolist() == [False, True]
    validate_events(frame)


def test_readme_documents_every_column() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for column in EVENT_COLUMNS:
        assert f"| {column} |" in readme, f"README's schema table lacks {column}"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"date_precision": "fortnight"}, "Expected date_precision one of"),
        ({"date_end": date(2017, 10, 1)}, "Expected date_end on or after date_start"),
        ({"lat": 0.0, "lon": 0.0}, "Expected lat not 0,0"),
        ({"lat": 95.0}, "Expected lat within [-90, 90]"),
        ({"confidence": 1.5}, "Expected confidence within [0, 1]"),
        ({"fatalities": -1}, "Expected fatalities null or >= 0"),
        ({"date_start": None, "date_end": None}, "Expected date_precision 'unknown' exactly when no date"),
    ],
)
def test_validation_messages(overrides, message) -> None:
    with pytest.raises(EventSchemaError, match=message.replace("[", r"\[").replace("]", r"\]")):
        validate_events(events_to_frame([make_event(**overrides)]))


def test_excerpt_must_be_a_slice_of_its_article() -> None:
    frame = events_to_frame([make_event()])
    articles = pd.DataFrame({"article_id": ["a"], "text": ["Something else entirely here."]})
    with pytest.raises(EventSchemaError, match="article_text"):
        validate_events(frame, articles)


@pytest.mark.parametrize("suffix", [".csv", ".json", ".geojson", ".parquet"])
def test_exports(tmp_path: Path, suffix: str) -> None:
    frame = events_to_frame([make_event(), make_event(event_id="e2", lat=None, lon=None, fatalities=3)])
    path = tmp_path / f"events{suffix}"
    write_export(frame, path)
    if suffix == ".csv":
        back = pd.read_csv(path)
        assert json.loads(back.loc[0, "actors"]) == ["Islamic State"]
        assert back.loc[0, "date_start"] == "2017-10-17"
    elif suffix == ".json":
        records = json.loads(path.read_text())
        assert records[0]["date_start"] == "2017-10-17" and records[1]["lat"] is None
        assert records[1]["fatalities"] == 3 and records[0]["fatalities"] is None
    elif suffix == ".geojson":
        collection = json.loads(path.read_text())
        assert collection["features"][0]["geometry"] == {"type": "Point", "coordinates": [39.01, 35.95]}
        assert collection["features"][1]["geometry"] is None
    else:
        back = pd.read_parquet(path)
        assert len(back) == 2 and back["event_id"].tolist() == ["e1", "e2"]


def test_unknown_export_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Expected an output file ending in"):
        write_export(events_to_frame([make_event()]), tmp_path / "events.xlsx")


def test_every_export_credits_geonames(tmp_path: Path) -> None:
    """GeoNames data is CC BY 4.0: each export carries the credit, inside or beside the file."""
    import pyarrow.parquet as pq

    from data.export import ATTRIBUTION, attribution_path

    assert "GeoNames" in ATTRIBUTION and "CC BY 4.0" in ATTRIBUTION
    frame = events_to_frame([])
    for suffix in (".csv", ".json", ".geojson", ".parquet", ".acled.csv"):
        write_export(frame, tmp_path / f"events{suffix}")
    assert json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))["attribution"] == ATTRIBUTION
    assert pq.read_schema(tmp_path / "events.parquet").metadata[b"attribution"].decode() == ATTRIBUTION
    for name in ("events.csv", "events.json", "events.acled.csv"):
        assert attribution_path(tmp_path / name).read_text(encoding="utf-8").strip() == ATTRIBUTION
    assert pd.read_csv(tmp_path / "events.csv").columns[0] == "event_id"  # the CSV itself stays plain CSV


def test_the_dashboard_downloads_credit_geonames() -> None:
    import io

    import pyarrow.parquet as pq

    from components import exports
    from data.export import ATTRIBUTION, export_bytes

    frame = events_to_frame([])
    assert {fmt for _, fmt, _, _ in exports.DOWNLOADS} >= {"geojson", "parquet"}
    assert json.loads(export_bytes(frame, "geojson"))["attribution"] == ATTRIBUTION
    assert pq.read_schema(io.BytesIO(export_bytes(frame, "parquet"))).metadata[b"attribution"].decode() == ATTRIBUTION
