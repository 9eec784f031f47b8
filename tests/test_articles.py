"""Stage 1: reading formats and metadata, cleaning marks, and bad input that loses nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from data.articles import ArticleError, parse_published, read_articles
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
    write(
        tmp_path / "manifest.csv",
        "file,title,outlet,published,url,extra\na.txt,Title A,Outlet,2017-10-17,http://x/a,zzz\n",
    )
    articles, problems = read_articles([tmp_path])
    assert problems == []
    by_id = {a.article_id: a for a in articles}
    assert set(by_id) == {"a", "sub/b"}
    assert by_id["a"].title == "Title A" and by_id["a"].outlet == "Outlet"
    assert by_id["a"].published == date(2017, 10, 17) and by_id["a"].url == "http://x/a"
    assert by_id["sub/b"].published is None


def test_formats_md_front_matter_html_json_jsonl(tmp_path: Path) -> None:
    write(tmp_path / "m.md", "---\ntitle: Front\npublished: 2016-05-01\noutlet: Wire\n---\n" + GOOD)
    write(
        tmp_path / "p.html",
        "<html><head><title>T</title><script>var x = 'SECRET';</script></head>"
        "<body><nav>Home | World</nav><article><h1>Head</h1><p>" + GOOD + "</p>"
        "<p>A second paragraph about the fighting in the city of Kirkuk went on for hours.</p></article></body></html>",
    )
    write(tmp_path / "r.json", json.dumps({"id": "x1", "title": "J", "text": GOOD, "date": "2016-02-02"}))
    write(
        tmp_path / "feed.jsonl",
        json.dumps({"body": GOOD, "source": "S"}) + "\n" + json.dumps({"id": "q", "content": GOOD}) + "\n",
    )
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
    write(
        tmp_path / "script.html",
        "<html><body><p>Fighters clashed in Raqqa on Sunday.</p><script>alert(1)</script></body></html>",
    )
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
    return [(m.kind, text[m.start : m.end]) for m in find_marked_spans(text, title=title)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Foo said so.IE 11 is not supported. For an optimal experience visit our site on another browser.",
            [
                ("notice", "IE 11 is not supported."),
                ("notice", "For an optimal experience visit our site on another browser."),
            ],
        ),
        ("WASHINGTON — Troops advanced.", [("dateline", "WASHINGTON — ")]),
        ("MOSUL, Iraq — Troops advanced.", [("dateline", "MOSUL, Iraq — ")]),
        ("BEIRUT (Reuters) - Troops advanced.", [("dateline", "BEIRUT (Reuters) - ")]),
        ("Related: Another story about ISIS", [("link", "Related: Another story about ISIS")]),
        ("Photos: People celebrate in Mosul", [("link", "Photos: People celebrate in Mosul")]),
        (
            "Police stand guard in Mosul on Monday.Fadel Senna / AFP - Getty Images",
            [("caption", "Police stand guard in Mosul on Monday."), ("credit", "Fadel Senna / AFP - Getty Images")],
        ),
        (
            "Courtney Kube reported from Washington, D.C. Jon Schuppe reported from New York.",
            [
                ("byline", "Courtney Kube reported from Washington, D.C."),
                ("byline", "Jon Schuppe reported from New York."),
            ],
        ),
        (
            "(Reporting by Ellen Francis; Editing by Tom Heneghan)",
            [("byline", "(Reporting by Ellen Francis; Editing by Tom Heneghan)")],
        ),
        ("Image: Iraqi federal police", [("caption", "Image: Iraqi federal police")]),
        (
            "Credit Image: © Jo Smith/NurPhoto via ZUMA Press",
            [("credit", "Credit Image: © Jo Smith/NurPhoto via ZUMA Press")],
        ),
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


# ------------------------------------------------------------------------- hostile input (issue 13)


def messages(problems) -> dict[str, str]:
    return {p.article_id: p.message for p in problems}


def test_two_files_with_one_stem_both_load_under_their_file_names(tmp_path: Path) -> None:
    write(tmp_path / "report.txt", GOOD)
    write(
        tmp_path / "report.md", "---\ntitle: Mosul\n---\nIraqi forces clashed with Islamic State in Mosul on Sunday.\n"
    )
    write(tmp_path / "other.txt", GOOD.replace("Kirkuk", "Tikrit"))
    write(tmp_path / "batch.json", json.dumps([{"id": "a", "text": GOOD}]))
    write(tmp_path / "batch.jsonl", json.dumps({"id": "a", "text": GOOD.replace("four", "five")}) + "\n")
    articles, problems = read_articles([tmp_path])
    assert sorted(a.article_id for a in articles) == [
        "batch.json:a",
        "batch.jsonl:a",
        "other",
        "report.md",
        "report.txt",
    ]
    assert not problems


def test_two_files_with_one_stem_load_events_and_export(tmp_path: Path) -> None:
    """Issue 13: the shared id made load_events raise EventSchemaError for the whole corpus."""
    import data

    write(tmp_path / "report.txt", GOOD)
    write(tmp_path / "report.md", GOOD)
    result = data.load_events([tmp_path])
    assert set(result.events["article_id"]) == {"report.txt", "report.md"}


def test_a_symlink_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    secret = write(tmp_path / "outside" / "secret.txt", "root:x:0:0:root:/root:/bin/bash\n" + GOOD)
    corpus = tmp_path / "corpus"
    write(corpus / "good.txt", GOOD)
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "good.txt")  # a link inside the folder is fine
    articles, problems = read_articles([corpus])
    assert sorted(a.article_id for a in articles) == ["good", "inside"]
    assert messages(problems) == {"passwd": "a link to a file outside the folder; not read"}


def test_a_bad_jsonl_line_loses_only_itself(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": GOOD}),
        "{not json",
        json.dumps({"id": "c", "text": GOOD.replace("four", "six")}),
    ]
    write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    articles, problems = read_articles([tmp_path])
    assert [a.article_id for a in articles] == ["feed:a", "feed:c"]
    assert list(messages(problems)) == ["feed:2"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x0c", "\x1c", "\r"])
def test_a_jsonl_text_may_hold_any_line_separator(tmp_path: Path, separator: str) -> None:
    text = GOOD.strip() + separator + "The army said so."
    write(
        tmp_path / "feed.jsonl",
        json.dumps({"id": "a", "text": text}, ensure_ascii=False)
        + "\r\n"
        + json.dumps({"id": "b", "text": GOOD})
        + "\n",
    )
    articles, problems = read_articles([tmp_path])
    assert [a.article_id for a in articles] == ["feed:a", "feed:b"] and not problems


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    write(tmp_path / "a.txt", bom + ("Raqqa — " + GOOD).encode(encoding))
    articles, problems = read_articles([tmp_path])
    assert not problems
    assert articles[0].text == "Raqqa — " + GOOD


def test_manifest_faults_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", GOOD)
    write(tmp_path / "b.txt", GOOD.replace("four", "five"))
    write(
        tmp_path / "manifest.csv",
        "file,title,outlet,published,url\n"
        "a.txt,First title,Wire,2016-10-17,http://example.org/a\n"
        "a.txt,Second title,Other,2016-10-18,\n"
        "b.txt,Short row\n"
        "missing.txt,Gone,,,\n"
        "../outside.txt,Out,,,\n",
    )
    articles, problems = read_articles([tmp_path])
    by_id = {a.article_id: a for a in articles}
    assert by_id["a"].title == "First title" and by_id["a"].outlet == "Wire"
    assert by_id["b"].title == "Short row"
    assert [p.message for p in problems] == [
        "line 3: a.txt is listed again (first on line 2, which is used)",
        "line 4: 2 fields where the header has 5",
        "line 5: no file 'missing.txt' in this folder",
        "line 6: no file '../outside.txt' in this folder",
    ]


def test_a_manifest_that_is_not_utf8_keeps_its_rows(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", GOOD)
    write(tmp_path / "manifest.csv", "file,title,outlet\na.txt,Caf\xe9 attack,Wire\n".encode("cp1252"))
    articles, problems = read_articles([tmp_path])
    assert articles[0].title == "Café attack"
    assert [p.message for p in problems] == ["not valid UTF-8; decoded as Windows-1252/Latin-1"]


def test_an_oversized_file_is_rejected_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import data.articles

    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:  # sparse: 6 MB on paper, nothing on disk
        handle.truncate(6_000_000)
    reads: list[int] = []
    original = Path.read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path.stat().st_size)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    articles, problems = data.articles.read_articles([tmp_path])
    assert not articles and not reads
    assert messages(problems) == {"big": "file is 6.0 MB, over the 5 MB limit for one article"}


def test_an_over_long_text_is_rejected(tmp_path: Path) -> None:
    from data.articles import MAX_ARTICLE_CHARS

    write(tmp_path / "long.txt", "word " * (MAX_ARTICLE_CHARS // 5 + 1))
    articles, problems = read_articles([tmp_path])
    assert not articles and "over the 500,000 limit" in problems[0].message


def test_an_oversized_manifest_is_reported_not_read(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", GOOD)
    with open(tmp_path / "manifest.csv", "wb") as handle:
        handle.truncate(6_000_000)
    articles, problems = read_articles([tmp_path])
    assert [a.article_id for a in articles] == ["a"]
    assert [p.message for p in problems] == [
        "file is 6.0 MB, over the 5 MB limit for one article; the manifest is ignored"
    ]
