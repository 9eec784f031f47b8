"""Stage 1: reading formats and metadata, cleaning marks, and bad input that loses nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from data.articles import parse_published, read_articles, ArticleError
from data.clean import find_marked_spans

GOOD = "Militants attacked a checkpoint near Kirkuk on Monday, killing four soldiers, officials said.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_manifest_metadata_and_article_ids(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", GOOD)
    write(tmp_path / "sub" / "b.txt", GOOD)
    write(tmp_path / "manifest.csv", "file,title,outlet,published,url,extra\na.txt,Title A,Outlet,2017-10-17,http://x/a,zzz\n")
    articles, problems = read_articles([tmp_path])
    assert problems == []
    by_id = {a.article_id: a for a in articles}
    assert set(by_id) == {"a", "sub/b"}
    assert by_id["a"].title == "Title A" and by_id["a"].outlet == "Outlet"
    assert by_id["a"].published == date(2017, 10, 17) and by_id["a"].url == "http://x/a"
    assert by_id["sub/b"].published is None


def test_formats_md_front_matter_html_json_jsonl(tmp_path: Path) -> None:
    write(tmp_path / "m.md", "---\ntitle: Front\npublished: 2016-05-01\noutlet: Wire\n---\n" + GOOD)
    write(tmp_path / "p.html", "<html><head><title>T</title><script>var x = 'SECRET';</script></head>"
          "<body><nav>Home | World</nav><article><h1>Head</h1><p>" + GOOD + "</p>"
          "<p>A second paragraph about the fighting in the city of Kirkuk went on for hours.</p></article></body></html>")
    write(tmp_path / "r.json", json.dumps({"id": "x1", "title": "J", "text": GOOD, "date": "2016-02-02"}))
    write(tmp_path / "feed.jsonl", json.dumps({"body": GOOD, "source": "S"}) + "\n" + json.dumps({"id": "q", "content": GOOD}) + "\n")
    articles, problems = read_articles([tmp_path])
    assert problems == []
    by_id = {a.article_id: a for a in articles}
    assert set(by_id) == {"m", "p", "r:x1", "feed:1", "feed:q"}
    assert by_id["m"].title == "Front" and by_id["m"].published == date(2016, 5, 1)
    assert "Kirkuk" in by_id["p"].text and "SECRET" not in by_id["p"].text and "<" not in by_id["p"].text
    assert by_id["r:x1"].published == date(2016, 2, 2)
    assert by_id["feed:1"].outlet == "S"


def test_bad_input_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", GOOD)
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "binary.txt", bytes(range(256)) * 10)
    write(tmp_path / "latin1.txt", "Le caf\xe9 pr\xe8s de Mossoul a \xe9t\xe9 d\xe9truit.\n".encode("latin-1"))
    write(tmp_path / "script.html", "<html><body><p>Fighters clashed in Raqqa on Sunday.</p>"
          "<script>alert(1)</script></body></html>")
    write(tmp_path / "huge.txt", "word " * 1_100_000)
    write(tmp_path / "broken.json", "{not json")
    write(tmp_path / "baddate.txt", GOOD)
    write(tmp_path / "manifest.csv", "file,title,outlet,published,url\nbaddate.txt,T,O,2017-02-30,\n")
    articles, problems = read_articles([tmp_path])
    loaded = {a.article_id for a in articles}
    reasons = {p.article_id: p.message for p in problems}
    assert {"good", "latin1", "script", "baddate"} <= loaded
    assert reasons["empty"] == "empty file"
    assert "binary" in reasons["binary"]
    assert "not valid UTF-8" in reasons["latin1"]
    assert "limit" in reasons["huge"]
    assert "invalid JSON" in reasons["broken"]
    assert "2017-02-30" in reasons["baddate"] and "not a calendar day" in reasons["baddate"]
    latin = next(a for a in articles if a.article_id == "latin1")
    assert "café" in latin.text
    script = next(a for a in articles if a.article_id == "script")
    assert "alert(1)" not in script.text


def test_bad_input_through_the_whole_loader(tmp_path: Path) -> None:
    import data

    write(tmp_path / "good.txt", GOOD)
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "binary.bin.txt", b"\x00\x01\x02" * 100)
    result = data.load_events([tmp_path])
    assert set(result.articles["article_id"]) == {"good"}
    assert {p.article_id for p in result.problems} == {"empty", "binary.bin"}


@pytest.mark.parametrize(
    "value, expected",
    [("2017-10-17", date(2017, 10, 17)), ("2017-10-17T08:00:00Z", date(2017, 10, 17)), ("", None), (None, None)],
)
def test_parse_published(value, expected) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["17/10/2017", "2017-13-01", "yesterday"])
def test_parse_published_rejects(value) -> None:
    with pytest.raises(ArticleError):
        parse_published(value)


def kinds(text: str, title: str = "") -> list[tuple[str, str]]:
    return [(m.kind, text[m.start:m.end]) for m in find_marked_spans(text, title=title)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Foo said so.IE 11 is not supported. For an optimal experience visit our site on another browser.",
         [("notice", "IE 11 is not supported."), ("notice", "For an optimal experience visit our site on another browser.")]),
        ("WASHINGTON — Troops advanced.", [("dateline", "WASHINGTON — ")]),
        ("MOSUL, Iraq — Troops advanced.", [("dateline", "MOSUL, Iraq — ")]),
        ("BEIRUT (Reuters) - Troops advanced.", [("dateline", "BEIRUT (Reuters) - ")]),
        ("Related: Another story about ISIS", [("link", "Related: Another story about ISIS")]),
        ("Photos: People celebrate in Mosul", [("link", "Photos: People celebrate in Mosul")]),
        ("Police stand guard in Mosul on Monday.Fadel Senna / AFP - Getty Images",
         [("caption", "Police stand guard in Mosul on Monday."), ("credit", "Fadel Senna / AFP - Getty Images")]),
        ("Courtney Kube reported from Washington, D.C. Jon Schuppe reported from New York.",
         [("byline", "Courtney Kube reported from Washington, D.C."), ("byline", "Jon Schuppe reported from New York.")]),
        ("(Reporting by Ellen Francis; Editing by Tom Heneghan)",
         [("byline", "(Reporting by Ellen Francis; Editing by Tom Heneghan)")]),
        ("Image: Iraqi federal police", [("caption", "Image: Iraqi federal police")]),
        ("Credit Image: © Jo Smith/NurPhoto via ZUMA Press", [("credit", "Credit Image: © Jo Smith/NurPhoto via ZUMA Press")]),
        ("Fighters advanced. © 2016 Some Agency", [("credit", "© 2016 Some Agency")]),
        ("US forces said the strike hit a depot.", []),
        ("The Islamic State seized the town in 2014.", []),
    ],
)
def test_marked_spans(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_title_line_is_marked_as_heading() -> None:
    text = "Iraq Declares Victory\n\nIraqi forces retook the city."
    assert kinds(text, title="Iraq declares victory") == [("heading", "Iraq Declares Victory")]
