"""The event store: incremental updates, atomic snapshots, problems kept, the CLI over it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import data.pipeline
import data.store
from data.__main__ import main
from data.pipeline import load_events
from data.store import CURRENT, EventStore
from tests.conftest import REPO

# Texts written by the tests themselves (no corpus text is ever copied into the repo).
TEXTS = {
    "kirkuk": "Militants attacked a checkpoint near Kirkuk on Monday, killing four soldiers, officials said.\n",
    "manbij": "Syrian Democratic Forces captured the town of Manbij from Islamic State on Friday.\n",
    "raqqa": "U.S.-led coalition air strikes hit Islamic State positions in Raqqa on Tuesday, killing 12 militants.\n",
    "mosul": "Iraqi forces clashed with Islamic State fighters in eastern Mosul on Sunday.\n",
}
MANIFEST = "file,title,outlet,published,url,note\n" + "".join(
    f"{name}.txt,{name.title()} report,Wire {i},2016-08-1{i},http://example.org/{name},v1\n"
    for i, name in enumerate(TEXTS)
)


@pytest.fixture(autouse=True)
def fixed_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other work may edit the extractor's source while tests run; pin its fingerprint."""
    monkeypatch.setattr(data.store, "extractor_fingerprint", lambda: "test-extractor")


def write_corpus(folder: Path, texts: dict[str, str] = TEXTS, manifest: str = MANIFEST) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    return folder


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The article ids process_article is called with (workers=1 runs it in this process)."""
    calls: list[str] = []
    original = data.pipeline.process_article

    def counting(article):
        calls.append(article.article_id)
        return original(article)

    monkeypatch.setattr(data.pipeline, "process_article", counting)
    return calls


def assert_same_load(left, right) -> None:
    pd.testing.assert_frame_equal(left.events, right.events)
    pd.testing.assert_frame_equal(left.articles, right.articles)
    assert left.problems == right.problems


def test_a_store_loads_what_load_events_returns(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "empty.txt").write_text("")
    store = EventStore(tmp_path / "store")
    assert not store.exists() and store.load().events.empty
    report = store.update([corpus])
    assert (report.new, report.changed, report.unchanged, report.removed) == (4, 0, 0, 0)
    assert report.written and report.problems == 1
    loaded = store.load()
    assert len(loaded.events) >= 4
    assert_same_load(loaded, load_events([corpus]))
    assert store.meta()["events"] == len(loaded.events)


def test_a_store_round_trip_keeps_mentions_as_lists_of_offsets(tmp_path: Path) -> None:
    frame = load_events([write_corpus(tmp_path / "corpus")]).events
    frame.at[0, "mentions"] = [{"start": 0, "end": 5}, dict(frame.at[0, "mentions"][0])]
    assert len(frame.at[0, "mentions"]) == 2
    back = data.store._events_from_table(data.store.events_to_table(frame))
    assert back["mentions"].tolist() == frame["mentions"].tolist()
    for mentions, start, end in zip(back["mentions"], back["excerpt_start"], back["excerpt_end"], strict=False):
        assert isinstance(mentions, list) and {"start": start, "end": end} in mentions
        assert all(isinstance(m, dict) and set(m) == {"start", "end"} for m in mentions)


def test_a_snapshot_written_before_mentions_existed_still_loads(tmp_path: Path) -> None:
    frame = load_events([write_corpus(tmp_path / "corpus")]).events
    old = data.store.events_to_table(frame).drop(columns="mentions")
    assert data.store._events_from_table(old)["mentions"].tolist() == [[]] * len(frame)


def test_a_rerun_extracts_only_new_and_changed_articles(tmp_path: Path, counted: list[str]) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    assert sorted(counted) == sorted(TEXTS)
    before = store.load().events

    counted.clear()
    (corpus / "mosul.txt").write_text(TEXTS["mosul"].replace("Sunday", "Saturday"), encoding="utf-8")  # changed
    (corpus / "kirkuk.txt").unlink()  # removed
    (corpus / "palmyra.txt").write_text(  # new
        "Syrian government forces recaptured Palmyra from Islamic State on Sunday.\n", encoding="utf-8"
    )
    report = store.update([corpus])
    assert (report.new, report.changed, report.unchanged, report.removed) == (1, 1, 2, 1)
    assert report.new_ids == ["palmyra"] and report.changed_ids == ["mosul"] and report.removed_ids == ["kirkuk"]
    assert sorted(counted) == ["mosul", "palmyra"]
    after = store.load()
    assert "kirkuk" not in set(after.events["article_id"])
    # the unchanged articles kept their very rows
    kept = before[before["article_id"].isin(["manbij", "raqqa"])].drop(columns="incident_id").reset_index(drop=True)
    again = after.events[after.events["article_id"].isin(["manbij", "raqqa"])].drop(columns="incident_id")
    pd.testing.assert_frame_equal(kept, again.reset_index(drop=True))
    # and the incremental store equals one built from scratch
    assert_same_load(after, load_events([corpus]))


def test_a_rerun_with_nothing_new_extracts_and_writes_nothing(tmp_path: Path, counted: list[str]) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    snapshot = store.current_snapshot()
    counted.clear()
    report = store.update([corpus])
    assert counted == [] and not report.written
    assert (report.new, report.changed, report.unchanged, report.removed) == (0, 0, 4, 0)
    assert store.current_snapshot() == snapshot


def test_metadata_decides_what_changed(tmp_path: Path, counted: list[str]) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    counted.clear()
    # an ignored manifest column changes the file's fingerprint but not the article: no extraction
    (corpus / "manifest.csv").write_text(MANIFEST.replace(",v1", ",v2"), encoding="utf-8")
    report = store.update([corpus])
    assert counted == [] and report.unchanged == 4
    # a corrected publication date moves relative dates: the article is re-extracted
    (corpus / "manifest.csv").write_text(MANIFEST.replace("2016-08-11", "2016-09-11"), encoding="utf-8")
    report = store.update([corpus])
    assert counted == ["manbij"] and report.changed == 1
    assert_same_load(store.load(), load_events([corpus]))


def test_a_changed_extractor_reextracts_everything(
    tmp_path: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    counted.clear()
    monkeypatch.setattr(data.store, "extractor_fingerprint", lambda: "a newer extractor")
    report = store.update([corpus])
    assert report.outdated and report.extracted == 4 and len(counted) == 4
    assert (report.new, report.changed, report.unchanged) == (0, 0, 4)


def test_problems_are_stored_and_updated(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    assert [(p.article_id, p.stage) for p in store.load().problems] == [("binary", "read")]
    (corpus / "binary.txt").unlink()
    report = store.update([corpus])
    assert report.written and store.load().problems == []


def test_a_failed_write_leaves_the_previous_store_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    before = store.load()
    current = (store.path / CURRENT).read_text()

    written: list[str] = []
    original = data.store._write_table

    def crash_midway(frame: pd.DataFrame, path: Path) -> None:
        if written:
            raise OSError("disk full (simulated)")
        written.append(path.name)
        original(frame, path)

    monkeypatch.setattr(data.store, "_write_table", crash_midway)
    (corpus / "palmyra.txt").write_text("Islamic State fighters seized Palmyra on Wednesday.\n", encoding="utf-8")
    with pytest.raises(OSError, match="simulated"):
        store.update([corpus])
    assert written == ["events.parquet"]
    assert (store.path / CURRENT).read_text() == current
    assert_same_load(EventStore(store.path).load(), before)

    monkeypatch.setattr(data.store, "_write_table", original)
    report = store.update([corpus])
    assert report.new == 1 and report.written
    assert not list((store.path / "snapshots").glob(".partial-*"))  # the dead run's leftovers are gone


def test_a_killed_process_leaves_the_previous_store_intact(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    before = store.load()
    (corpus / "palmyra.txt").write_text("Islamic State fighters seized Palmyra on Wednesday.\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import os, data.store
        data.store.extractor_fingerprint = lambda: "test-extractor"
        original = data.store._write_table
        def die(frame, path):
            original(frame, path)
            os._exit(9)  # killed after the first table, mid-snapshot
        data.store._write_table = die
        data.store.EventStore({str(store.path)!r}).update([{str(corpus)!r}])
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 9, run.stderr[-2000:]
    assert list((store.path / "snapshots").glob(".partial-*"))  # it died mid-write
    assert_same_load(EventStore(store.path).load(), before)


def test_cli_extract_into_the_store_and_out(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    monkeypatch.setenv("SITREP_STORE", str(tmp_path / "generated"))
    out = tmp_path / "events.json"
    assert main(["extract", str(corpus), "--store", "--out", str(out), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "4 new, 0 changed" in err and "extract 4/4" in err
    store = EventStore(tmp_path / "generated" / "events")
    assert store.exists()
    assert len(json.loads(out.read_text())) == len(store.load().events)
    assert main(["extract", str(corpus), f"--store={store.path}"]) == 0
    assert "0 new, 0 changed, 4 unchanged" in capsys.readouterr().err


def test_cli_needs_out_or_store(capsys) -> None:
    assert main(["extract", "seeds"]) == 2
    assert "give --out FILE, --store [DIR] or both" in capsys.readouterr().err


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path, capsys) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"kirkuk": TEXTS["kirkuk"]})
    assert main(["extract", str(corpus), "--out", str(tmp_path / "e.csv")]) == 0
    assert "extract 1/1" not in capsys.readouterr().err


def test_store_default_location_follows_sitrep_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SITREP_STORE", str(tmp_path))
    assert EventStore().path == tmp_path / "events"
    monkeypatch.delenv("SITREP_STORE")
    assert EventStore().path == REPO / "data" / "store" / "events"
    assert os.path.basename(data.store.default_store_path()) == "events"


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or os.name != "posix", reason="needs Linux /proc and fork")
def test_a_killed_update_with_workers_leaves_no_orphan_and_the_next_update_proceeds(tmp_path: Path) -> None:
    """Issue 13: pool workers inherited the lock's descriptor and outlived a parent killed with -9,
    so every later update waited for the lock forever."""
    import fcntl
    import signal
    import time

    corpus = write_corpus(
        tmp_path / "corpus", {f"report{i}": text for i, text in enumerate(list(TEXTS.values()) * 3)}, manifest="file\n"
    )
    store_path = tmp_path / "store"
    script = textwrap.dedent(f"""
        import time, data.pipeline, data.store
        data.store.extractor_fingerprint = lambda: "test-extractor"
        original = data.pipeline.process_article
        def slow(article):
            time.sleep(2)  # long enough to be killed mid-extraction
            return original(article)
        data.pipeline.process_article = slow
        data.store.EventStore({str(store_path)!r}).update([{str(corpus)!r}], workers=2)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2, "the update never started its workers"
        time.sleep(0.5)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "pool workers outlived their killed parent"
    with open(store_path / ".lock", "w") as handle:  # nobody holds the lock
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(handle, fcntl.LOCK_UN)
    report = EventStore(store_path).update([corpus], workers=2)
    assert report.written and report.new == 12


def test_an_unchanged_file_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its size and modification time are those of the last update: no read, no hash."""
    corpus = write_corpus(tmp_path / "corpus")
    an_hour_ago = os.stat(corpus / "kirkuk.txt").st_mtime - 3600
    for path in corpus.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    reads: list[str] = []
    original = data.store.read_limited

    def counting(path: Path) -> bytes:
        reads.append(path.name)
        return original(path)

    monkeypatch.setattr(data.store, "read_limited", counting)
    report = store.update([corpus])
    assert not report.written and reads == []
    # touched but the same bytes: read and hashed once, still unchanged
    os.utime(corpus / "kirkuk.txt", (an_hour_ago + 60, an_hour_ago + 60))
    report = store.update([corpus])
    assert reads == ["kirkuk.txt"] and report.unchanged == 4 and report.extracted == 0
    # changed (new bytes): read and re-extracted
    (corpus / "kirkuk.txt").write_text(TEXTS["kirkuk"].replace("four", "five"), encoding="utf-8")
    assert store.update([corpus]).changed == 1


def test_a_symlink_out_of_the_folder_is_neither_read_nor_stored(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (tmp_path / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n" + TEXTS["mosul"], encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(tmp_path / "secret.txt")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    loaded = store.load()
    assert "passwd" not in set(loaded.articles["article_id"])
    assert ("passwd", "a link to a file outside the folder; not read") in {
        (p.article_id, p.message) for p in loaded.problems
    }


def test_cli_extract_into_the_apps_store_keeps_the_uploaded_articles(tmp_path: Path) -> None:
    """Issue 13: `extract PATH --store` mirrored PATH alone and dropped every uploaded article."""
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "generated" / "events")
    uploaded = store.uploads_path() / "20261207-batch"
    uploaded.mkdir(parents=True)
    (uploaded / "palmyra.txt").write_text("Islamic State fighters seized Palmyra on Wednesday.\n", encoding="utf-8")
    store.update([corpus, store.uploads_path()])  # as the Add articles page does
    assert "20261207-batch/palmyra" in set(store.load().articles["article_id"])
    assert main(["extract", str(corpus), f"--store={store.path}"]) == 0
    assert "20261207-batch/palmyra" in set(store.load().articles["article_id"])
    assert len(store.load().articles) == len(TEXTS) + 1


def _snapshot_names(store: EventStore) -> list[str]:
    return sorted(p.name for p in (store.path / "snapshots").iterdir())


def _change(corpus: Path, round_: int) -> None:
    (corpus / "kirkuk.txt").write_text(TEXTS["kirkuk"].replace("four", str(round_ + 4)), encoding="utf-8")


def test_a_slow_reader_still_finds_the_snapshot_it_started_on(tmp_path: Path) -> None:
    """Issue 13: two updates after a reader read CURRENT deleted the snapshot it was loading."""
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    store.update([corpus])
    reading = store.current_snapshot()
    for round_ in range(3):
        _change(corpus, round_)
        assert store.update([corpus]).written
    assert reading != store.current_snapshot()
    assert all((reading / f"{table}.parquet").is_file() for table in data.store.TABLES)


def test_snapshots_replaced_long_ago_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data.store, "SNAPSHOT_GRACE", data.store.timedelta(0))
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    for round_ in range(4):
        _change(corpus, round_)
        store.update([corpus])
    names = _snapshot_names(store)
    assert len(names) == 2 and store.current_snapshot().name == names[-1]  # the current and the one before


def test_a_kill_while_removing_a_snapshot_leaves_no_half_deleted_snapshot(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = EventStore(tmp_path / "store")
    for round_ in range(2):
        _change(corpus, round_)
        store.update([corpus])
    _change(corpus, 2)
    script = textwrap.dedent(f"""
        import os, data.store
        data.store.extractor_fingerprint = lambda: "test-extractor"
        data.store.SNAPSHOT_GRACE = data.store.timedelta(0)
        def die(path, ignore_errors=False):
            (data.store.Path(path) / "meta.json").unlink()
            os._exit(9)  # killed halfway through deleting an old snapshot
        data.store.shutil.rmtree = die
        data.store.EventStore({str(store.path)!r}).update([{str(corpus)!r}])
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 9, run.stderr[-2000:]
    for name in _snapshot_names(store):  # every snapshot under its own name is whole
        assert name.startswith(".") or (store.path / "snapshots" / name / "meta.json").is_file(), name
    assert any(name.startswith(".trash-") for name in _snapshot_names(store))
    store.load()
    _change(corpus, 3)
    store.update([corpus])
    assert not any(name.startswith(".") for name in _snapshot_names(store))
