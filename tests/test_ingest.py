"""Ingest: a folder mixing every article format, nested folders and bad files, through the store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import data.store
from data.pipeline import load_events
from data.store import EventStore

KIRKUK = "Militants attacked a checkpoint near Kirkuk on Monday, killing four soldiers, officials said."
MANBIJ = "Syrian Democratic Forces captured the town of Manbij from Islamic State on Friday."
RAQQA = "U.S.-led coalition air strikes hit Islamic State positions in Raqqa on Tuesday, killing 12 militants."
MOSUL = "Iraqi forces clashed with Islamic State fighters in eastern Mosul on Sunday."
PALMYRA = "Syrian government forces recaptured Palmyra from Islamic State on Sunday."


@pytest.fixture(autouse=True)
def fixed_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data.store, "extractor_fingerprint", lambda: "test-extractor")


def write_mixed(folder: Path) -> Path:
    """One article per format, a nested folder, a manifest, and three files that are problems."""
    (folder / "wire").mkdir(parents=True)
    (folder / "plain.txt").write_text(KIRKUK + "\n", encoding="utf-8")
    (folder / "front.md").write_text(
        f"---\ntitle: Manbij falls\npublished: 2016-08-13\noutlet: Wire\n---\n{MANBIJ}\n", encoding="utf-8"
    )
    (folder / "page.html").write_text(
        "<html><head><title>Raqqa strikes</title><script>var x = 1;</script></head><body>"
        f"<nav>Home | World</nav><article><h1>Raqqa strikes</h1><p>{RAQQA}</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "batch.json").write_text(
        json.dumps(
            [
                {"id": "m1", "title": "Mosul", "source": "Agency", "date": "2016-11-06", "text": MOSUL},
                {"id": "m2", "title": "No text"},
            ]
        ),
        encoding="utf-8",
    )
    (folder / "wire" / "feed.jsonl").write_text(
        json.dumps({"id": "p1", "headline": "Palmyra", "published": "2017-03-02", "body": PALMYRA})
        + "\n"
        + "{not json\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,title,outlet,published,url\nplain.txt,Kirkuk attack,Wire,2016-10-17,\n", encoding="utf-8"
    )
    (folder / "README.md").write_text("Not an article.\n", encoding="utf-8")
    return folder


def test_a_mixed_folder_goes_through_the_store(tmp_path: Path) -> None:
    corpus = write_mixed(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    report = store.update([corpus])
    loaded = store.load()
    ids = set(loaded.articles["article_id"])
    assert ids == {"plain", "front", "page", "batch:m1", "wire/feed:p1"}  # the records before a bad line load
    problems = {(p.article_id, p.stage) for p in loaded.problems}
    assert {("empty", "read"), ("batch:m2", "read"), ("wire/feed:2", "read")} <= problems  # the bad line
    assert report.new == 5 and report.problems == len(loaded.problems)
    by_id = loaded.articles.set_index("article_id")
    assert by_id.loc["front", "published"] == date(2016, 8, 13) and by_id.loc["batch:m1", "outlet"] == "Agency"
    assert "var x" not in by_id.loc["page", "text"]
    assert set(loaded.events["article_id"]) == ids
    full = load_events([corpus])
    pd.testing.assert_frame_equal(loaded.events, full.events)
    assert loaded.problems == full.problems

    # fix the bad line with a new record: that file is read again, only its new record extracted
    (corpus / "wire" / "feed.jsonl").write_text(
        json.dumps({"id": "p1", "headline": "Palmyra", "published": "2017-03-02", "body": PALMYRA})
        + "\n"
        + json.dumps({"id": "p2", "headline": "Kirkuk", "published": "2016-10-18", "body": KIRKUK})
        + "\n",
        encoding="utf-8",
    )
    report = store.update([corpus])
    assert (report.new, report.changed, report.unchanged) == (1, 0, 5) and report.extracted == 1
    again = store.load()
    assert "wire/feed:p2" in set(again.events["article_id"])
    assert ("wire/feed", "read") not in {(p.article_id, p.stage) for p in again.problems}
