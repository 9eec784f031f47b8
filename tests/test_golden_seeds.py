"""Golden output for the seed articles: any change to what the loader reads from them shows up
as a reviewed diff. Regenerate with `SITREP_REGEN_GOLDEN=1 python -m pytest tests/test_golden_seeds.py`
and read the diff before committing it."""

from __future__ import annotations

import json
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "seeds.events.json"
FIELDS = [
    "article_id",
    "excerpt_start",
    "excerpt_end",
    "date_start",
    "date_end",
    "date_precision",
    "date_basis",
    "place",
    "geo_precision",
    "actors",
    "actor1",
    "actor2",
    "event_type",
    "sub_event_type",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
]


def summarise(frame) -> list[dict]:
    rows = []
    for record in frame[FIELDS].to_dict(orient="records"):
        rows.append(
            {
                k: (
                    v.isoformat()
                    if hasattr(v, "isoformat")
                    else None
                    if v is None or v != v
                    else int(v)
                    if k.startswith("fatalities") or k.startswith("excerpt")
                    else v
                )
                for k, v in record.items()
            }
        )
    return rows


def test_seed_events_match_golden(seeds_result) -> None:
    current = summarise(seeds_result.events)
    if os.environ.get("SITREP_REGEN_GOLDEN") or not GOLDEN.exists():
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert current == expected, "seed events changed: regenerate with SITREP_REGEN_GOLDEN=1 and review the diff"


def test_every_excerpt_is_a_slice_of_its_article(seeds_result) -> None:
    texts = dict(zip(seeds_result.articles["article_id"], seeds_result.articles["text"], strict=False))
    for row in seeds_result.events.itertuples():
        assert texts[row.article_id][row.excerpt_start : row.excerpt_end] == row.excerpt
        for span in row.spans:
            assert 0 <= span["start"] < span["end"] <= len(texts[row.article_id])


def test_islamic_state_filter_finds_both_seeds(seeds_result) -> None:
    with_is = seeds_result.events[seeds_result.events["actors"].map(lambda a: "Islamic State" in a)]
    assert set(with_is["article_id"]) == {"000_0c418d0bc87b24e1", "003_4bfae4d84285c5d1"}


def test_no_seed_event_at_a_dateline_or_byline(seeds_result) -> None:
    events = seeds_result.events
    in_americas = events[(events["lon"] < -60).fillna(False)]
    assert in_americas.empty, in_americas[["excerpt", "place"]].to_string()
    assert not events["excerpt"].str.contains("IE 11 is not supported|reported from", regex=True).any()
