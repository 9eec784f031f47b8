"""Add articles and the event store: the app opens on an existing store, uploads are saved beside
it and extracted into it, a bad file is reported with its reason and the others are kept.

The articles here are written by the tests themselves (no corpus text)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import run_app

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components import uploads  # noqa: E402
from data.store import EventStore  # noqa: E402

MOSUL_TEXT = (
    "MOSUL, Iraq — Iraqi forces clashed with Islamic State fighters in Mosul on "
    "12 March 2017, killing 12 militants, officials said.\n"
)
RAQQA_JSONL = (
    json.dumps(
        {
            "id": "r1",
            "title": "Raqqa strike",
            "outlet": "Test Wire",
            "published": "2017-06-10",
            "text": "RAQQA, Syria — Coalition air "
            "strikes hit Islamic State positions in Raqqa on 9 June 2017, killing "
            "21 civilians, activists said.",
        }
    )
    + "\n"
)


@pytest.fixture
def store_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SITREP_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("SITREP_ARTICLES", str(REPO / "seeds"))
    monkeypatch.delenv("SITREP_SYNTHETIC", raising=False)
    return tmp_path / "store"


run = run_app


def test_the_app_opens_on_an_existing_store_without_rebuilding(monkeypatch, store_env: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    (one / "mosul.txt").write_text(MOSUL_TEXT, encoding="utf-8")
    store = EventStore(store_env / "events")
    store.update([one])
    snapshot = (store.path / "CURRENT").read_text()
    monkeypatch.delenv("SITREP_ARTICLES")  # the seeds would be the default: the store wins
    at = run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "1"
    assert (store.path / "CURRENT").read_text() == snapshot, "the store was rebuilt"


def test_without_a_store_the_app_builds_it_from_the_articles(store_env: Path) -> None:
    at = run()
    store = EventStore(store_env / "events")
    assert store.exists()
    assert store.meta()["paths"] == [str(REPO / "seeds")]
    assert {m.label: m.value for m in at.metric}["Articles"] == "2"


def test_upload_through_the_page_adds_events_and_reports_bad_files(store_env: Path) -> None:
    at = run("pages/5_Add_articles.py")
    before = len(EventStore(store_env / "events").load().events)
    at.file_uploader(key="upload_files_0").set_value(
        [
            ("new mosul.txt", MOSUL_TEXT.encode(), "text/plain"),
            ("garbage.txt", bytes(range(256)) * 4, "text/plain"),
            ("empty.txt", b"", "text/plain"),
        ]
    ).run()
    editor = at.get("arrow_data_editor") or at.get("data_editor")
    assert editor, "no per-file metadata form"
    at.button(key="upload_extract").click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[-1].value.set_index("file")
    assert table.loc["new mosul.txt", "status"] == "added"
    assert table.loc["new mosul.txt", "events"] >= 1
    assert table.loc["garbage.txt", "status"] == "rejected"
    assert "binary" in table.loc["garbage.txt", "notes"]
    assert table.loc["empty.txt", "notes"] == "empty file"
    assert at.error and "2 of 3 files" in at.error[0].value
    assert at.file_uploader(key="upload_files_1").value in (None, [])  # a fresh, empty uploader
    events = EventStore(store_env / "events").load().events
    assert len(events) > before
    added = events[events["article_id"].str.endswith("/new_mosul")]
    assert len(added) and added["excerpt"].str.contains("Mosul").all()
    # The cache follows the store: the map shows the new event.
    at.switch_page("pages/1_Map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    from test_app_pages import map_args, map_payload

    ids = {row[0] for row in map_payload(map_args(at)[0])["rows"]}
    assert set(added[added["lat"].notna()]["event_id"]) <= ids


def test_add_articles_keeps_good_files_and_says_why_others_failed(store_env: Path) -> None:
    store = EventStore(store_env / "events")
    store.update([REPO / "seeds"])
    result = uploads.add_articles(
        [
            uploads.Upload("../../evil name.txt", MOSUL_TEXT.encode()),
            uploads.Upload("raqqa.jsonl", RAQQA_JSONL.encode()),
            uploads.Upload("report.pdf", b"%PDF-1.4"),
            uploads.Upload("broken.json", b"{not json"),
            uploads.Upload("dated.txt", MOSUL_TEXT.replace("Mosul on", "Mosul, on").encode()),
            uploads.Upload("manifest.csv", b"file,title,outlet,published,url\ndated.txt,Dated,Wire,2017-02-30,\n"),
        ],
        store=store,
        metadata={"../../evil name.txt": {"title": "<b>Mosul</b>", "outlet": "Wire", "published": "2017-03-13"}},
    )
    outcome = {o.file: o for o in result.files}
    assert outcome["../../evil name.txt"].status == "added"
    assert outcome["raqqa.jsonl"].status == "added"
    assert outcome["report.pdf"].status == "rejected"
    assert "unsupported file type '.pdf'" in outcome["report.pdf"].reason
    assert outcome["broken.json"].status == "rejected" and outcome["broken.json"].reason
    assert outcome["dated.txt"].status == "rejected"
    assert "2017-02-30" in outcome["dated.txt"].reason
    assert result.folder is not None and result.folder.parent == store_env / "uploads"
    assert sorted(p.name for p in result.folder.iterdir()) == ["evil_name.txt", "manifest.csv", "raqqa.jsonl"]
    loaded = store.load()
    articles = loaded.articles.set_index("article_id")
    mosul = articles.loc[f"{result.batch}/evil_name"]
    assert mosul["title"] == "<b>Mosul</b>" and str(mosul["published"]) == "2017-03-13"
    assert f"{result.batch}/raqqa:r1" in articles.index
    assert set(loaded.events["article_id"]) >= {f"{result.batch}/evil_name", f"{result.batch}/raqqa:r1"}
    assert result.report is not None and result.report.new == 2
    # The seeds are still there: nothing else is lost.
    assert {"000_0c418d0bc87b24e1", "003_4bfae4d84285c5d1"} <= set(articles.index)


def test_the_same_text_is_not_added_twice(store_env: Path) -> None:
    store = EventStore(store_env / "events")
    store.update([REPO / "seeds"])
    first = uploads.add_articles([uploads.Upload("a.txt", MOSUL_TEXT.encode())], store=store)
    known = dict(zip(store.load().articles["content_hash"], store.load().articles["article_id"], strict=False))
    again = uploads.add_articles([uploads.Upload("b.txt", MOSUL_TEXT.encode())], store=store, known=known)
    assert first.files[0].status == "added"
    assert again.files[0].status == "rejected" and "already added" in again.files[0].reason
    assert again.folder is None and again.report is None


def test_nothing_usable_leaves_the_store_untouched(store_env: Path) -> None:
    store = EventStore(store_env / "events")
    store.update([REPO / "seeds"])
    snapshot = (store.path / "CURRENT").read_text()
    result = uploads.add_articles([uploads.Upload("x.docx", b"PK..")], store=store)
    assert result.folder is None and result.report is None
    assert (store.path / "CURRENT").read_text() == snapshot
    assert not any((store_env / "uploads").iterdir())


def test_safe_names() -> None:
    assert uploads.safe_name("../../etc/passwd") == "passwd"
    assert uploads.safe_name("C:\\Users\\x\\My Report (1).TXT") == "My_Report_1.txt"
    assert uploads.safe_name(".hidden.md") == "hidden.md"


def test_the_server_refuses_uploads_over_the_article_limit() -> None:
    """Issue 13: a 200 MB upload was buffered whole before the page rejected it."""
    import tomllib

    from data.articles import MAX_ARTICLE_BYTES

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit_mb = config["server"]["maxUploadSize"]
    assert MAX_ARTICLE_BYTES <= limit_mb * 1024 * 1024 < MAX_ARTICLE_BYTES + 1024 * 1024


def test_two_uploads_with_one_stem_are_both_added(store_env: Path) -> None:
    """Issue 13: report.txt and report.md shared an id; the store kept one, the page said both."""
    store = EventStore(store_env / "events")
    raqqa = json.loads(RAQQA_JSONL)["text"]
    result = uploads.add_articles(
        [uploads.Upload("report.txt", MOSUL_TEXT.encode()), uploads.Upload("report.md", raqqa.encode())], store=store
    )
    assert [f.status for f in result.files] == [uploads.ADDED, uploads.ADDED]
    stored = store.load()
    ids = {a for a in stored.articles["article_id"] if a.startswith(result.batch)}
    assert ids == {f"{result.batch}/report.txt", f"{result.batch}/report.md"}
    assert set(stored.events["article_id"]) >= ids
