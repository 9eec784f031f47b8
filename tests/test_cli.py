"""The command line: extract, dates and places, called through main([...])."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from data.__main__ import main
from tests.conftest import REPO, SEEDS


def test_extract_seeds_to_every_format(tmp_path: Path, capsys) -> None:
    for suffix in (".csv", ".json", ".geojson", ".parquet"):
        out = tmp_path / f"events{suffix}"
        assert main(["extract", str(SEEDS), "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    assert "extracted" in capsys.readouterr().err


def test_extract_reports_problems_and_exits_zero(tmp_path: Path, capsys) -> None:
    (tmp_path / "good.txt").write_text("Militants attacked a checkpoint in Kirkuk on Monday, killing four soldiers.\n")
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "e.csv"
    assert main(["extract", str(tmp_path), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "problem: empty: read: empty file" in err
    assert len(pd.read_csv(out)) >= 1


def test_dates_cli_offsets_are_slices(tmp_path: Path, capsys) -> None:
    text = "It began last November.\r\nOn Tuesday afternoon it ended."
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode("utf-8"))
    assert main(["dates", "--published", "2017-10-17", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    found = {r["text"]: (r["date_start"], r["date_end"]) for r in rows}
    assert found["last November"] == ("2016-11-01", "2016-11-30")
    assert found["Tuesday afternoon"] == ("2017-10-17", "2017-10-17")


def test_places_cli_offsets_are_slices(tmp_path: Path, capsys) -> None:
    text = "WASHINGTON — Fighting raged in Mosul, Iraq.\n"
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["places", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    roles = {r["text"]: r["role"] for r in rows}
    assert roles.get("WASHINGTON") == "dateline"
    assert roles.get("Mosul") == "event"


def test_cli_from_a_subprocess_reads_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "data", "dates", "--published", "2017-07-10", "-"],
        input=b"Iraq retook Mosul in July 2017.",
        capture_output=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout.splitlines()[0])["date_start"] == "2017-07-01"


def test_bad_published_argument_is_a_usage_error(capsys) -> None:
    try:
        main(["dates", "--published", "17/10/2017", "-"])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "expected a date as YYYY-MM-DD" in capsys.readouterr().err


def test_prepare_builds_the_matchers_without_an_article() -> None:
    from data.actors import _matcher
    from data.events import event_cues
    from data.pipeline import prepare

    event_cues.cache_clear()
    _matcher.cache_clear()
    prepare()
    assert event_cues.cache_info().currsize == 1 and _matcher.cache_info().currsize == 1


def test_a_bad_out_suffix_fails_before_any_extraction(tmp_path: Path, capsys, monkeypatch) -> None:
    """Issue 13: it failed only after the whole extraction, with a traceback."""
    import data.pipeline

    def no_extraction(*args, **kwargs):
        raise AssertionError("extraction ran")

    monkeypatch.setattr(data.pipeline, "load_events", no_extraction)
    assert main(["extract", str(SEEDS), "--out", str(tmp_path / "events.xlsx")]) == 2
    assert capsys.readouterr().err.strip() == (
        "extract: Expected an output file ending in .csv, .acled.csv, .json, .geojson or .parquet, got 'events.xlsx'"
    )
    assert main(["extract", str(SEEDS), "--out", str(tmp_path / "no" / "such" / "events.csv")]) == 2
    assert "no folder" in capsys.readouterr().err


def test_exit_is_non_zero_when_every_input_failed(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    out = tmp_path / "e.csv"
    assert main(["extract", str(tmp_path), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "problem: empty: read: empty file" in err and "extract: no article could be read" in err
    assert main(["extract", str(tmp_path), f"--store={tmp_path / 'store'}"]) == 1
