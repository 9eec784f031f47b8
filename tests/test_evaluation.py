"""Evaluation gate: the scores on the hand gold may not drop below their floors.

A change that lowers a figure fails here; lower a floor only with a reason in the commit message.
Two kinds of gold (../shared/eval): the headline golds (`score.py`: seeds.gold.json, and
corpus.gold.json, the headline event of 78 articles) and the complete field-level golds
(`score_fields.py`: every event of the two seeds and of 30 corpus articles, coded with
CODEBOOK.md), which count precision, duplicates and each field.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from data.__main__ import main

# Extracting and scoring the corpus takes minutes: left out of the fast run (`-m "not slow"`),
# always run by CI.
pytestmark = pytest.mark.slow

SEED_FLOORS = {"correct": 8, "precision": 0.85}  # score.py on seeds.gold.json (9 required)
# The goal; measured 0.82 (64 of 78) on 2026-12-07.
CORPUS_RECALL_FLOOR = 0.80


# score_fields.py figures: floors (at least) and ceilings (duplicates, unsupported: at most), the
# figures measured on 2026-12-07 (README, Evaluation: precision 0.64, duplicates 0.04, unsupported
# 0.03, date 0.94, place 0.88, actors 0.89, type 0.95, deaths 0.95), less one row's worth of noise;
# each at least the goal (precision 0.6, duplicates 0.05, unsupported 0.15, fields 0.8).
CORPUS_FIELD_FLOORS = {
    "recall": 0.87,
    "precision": 0.60,
    "date": 0.92,
    "place": 0.86,
    "actors": 0.87,
    "type": 0.93,
    "fatalities": 0.93,
}
CORPUS_FIELD_CEILINGS = {"duplicates": 0.05, "unsupported": 0.05}
SEED_FIELD_FLOORS = {
    "recall": 1.0,
    "precision": 1.0,
    "date": 1.0,
    "place": 1.0,
    "actors": 1.0,
    "type": 1.0,
    "fatalities": 1.0,
}
SEED_FIELD_CEILINGS = {"duplicates": 0.0, "unsupported": 0.0}


def score_fields(events: Path, gold: Path) -> dict:
    run = subprocess.run(
        [sys.executable, str(gold.parent / "score_fields.py"), str(events), str(gold), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["figures"]


def _check(figures: dict, floors: dict, ceilings: dict) -> None:
    low = {name: (round(figures[name], 3), floor) for name, floor in floors.items() if figures[name] < floor - 1e-9}
    high = {
        name: (round(figures[name], 3), ceiling) for name, ceiling in ceilings.items() if figures[name] > ceiling + 1e-9
    }
    assert not low and not high, f"below floor: {low}; above ceiling: {high}"


def test_seed_fields(tmp_path: Path, eval_dir: Path) -> None:
    out = tmp_path / "seeds.csv"
    assert main(["extract", str(Path(__file__).resolve().parents[1] / "seeds"), "--out", str(out)]) == 0
    _check(score_fields(out, eval_dir / "seeds.full.gold.json"), SEED_FIELD_FLOORS, SEED_FIELD_CEILINGS)


def test_corpus_fields(tmp_path: Path, eval_dir: Path, corpus_dir: Path) -> None:
    out = tmp_path / "corpus.csv"
    assert main(["extract", str(corpus_dir), "--out", str(out)]) == 0
    _check(score_fields(out, eval_dir / "corpus.full.gold.json"), CORPUS_FIELD_FLOORS, CORPUS_FIELD_CEILINGS)


def score(events: Path, gold: Path) -> dict:
    run = subprocess.run(
        [sys.executable, str(gold.parent / "score.py"), str(events), str(gold), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_seed_scores(tmp_path: Path, eval_dir: Path) -> None:
    out = tmp_path / "events.csv"
    assert main(["extract", str(Path(__file__).resolve().parents[1] / "seeds"), "--out", str(out)]) == 0
    result = score(out, eval_dir / "seeds.gold.json")
    assert result["correct"] >= SEED_FLOORS["correct"], result
    assert result["precision"] >= SEED_FLOORS["precision"], result
    assert result["forbidden"] == [], result["forbidden"]
    assert result["actors_unified"] is True


def test_corpus_scores(tmp_path: Path, eval_dir: Path, corpus_dir: Path) -> None:
    out = tmp_path / "corpus.csv"
    assert main(["extract", str(corpus_dir), "--out", str(out)]) == 0
    result = score(out, eval_dir / "corpus.gold.json")
    assert result["recall"] >= CORPUS_RECALL_FLOOR, result
    assert result["forbidden"] == [], result["forbidden"]


def test_every_corpus_article_loads_or_is_reported(corpus_dir: Path) -> None:
    import data

    result = data.load_events([corpus_dir])
    files = {p.stem for p in corpus_dir.glob("*.txt")}
    reported = {p.article_id for p in result.problems}
    assert files <= set(result.articles["article_id"]) | reported


@pytest.mark.parametrize("kind", ["dateline", "byline"])
def test_no_corpus_event_is_placed_at_a_dateline_or_byline(corpus_dir: Path, kind: str) -> None:
    import data
    from data.places import find_places

    result = data.load_events([corpus_dir])
    texts = dict(zip(result.articles["article_id"], result.articles["text"], strict=False))
    for article_id, group in result.events.groupby("article_id"):
        marked_spans = [(p.start, p.end) for p in find_places(texts[article_id]) if p.role == kind]
        for spans in group["spans"]:
            for span in spans:
                if span["kind"] == "place":
                    assert (span["start"], span["end"]) not in marked_spans, (article_id, span)
