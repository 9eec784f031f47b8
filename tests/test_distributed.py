"""Dask: the same extraction on a local cluster writes the same store as a single process."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import data.store
from data.articles import read_articles
from data.distributed import extract_with_dask, local_cluster
from data.pipeline import extract_articles
from data.store import EventStore
from tests.test_store import TEXTS, write_corpus

pytest.importorskip("distributed", reason="dask.distributed is not installed (see requirements.txt)")

MORE = {
    "aleppo": "Government forces shelled rebel-held districts of Aleppo on Thursday, killing nine civilians.\n",
    "deir": "Islamic State militants killed at least 135 people in Deir ez-Zor on Saturday, activists said.\n",
    "fallujah": "Iraqi troops entered Fallujah on Friday after a four-week offensive against Islamic State.\n",
    "jarabulus": "Turkish-backed Syrian rebels took Jarabulus from Islamic State on Wednesday.\n",
}


@pytest.fixture(autouse=True)
def fixed_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data.store, "extractor_fingerprint", lambda: "test-extractor")


def test_dask_store_equals_the_single_process_store(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {**TEXTS, **MORE})
    (corpus / "empty.txt").write_text("")
    local = EventStore(tmp_path / "local")
    local.update([corpus])
    seen: list[tuple[int, int]] = []
    with local_cluster(workers=1, threads=2, processes=False) as client:
        on_dask = EventStore(tmp_path / "dask")
        report = on_dask.update([corpus], dask=client, progress=lambda done, total: seen.append((done, total)))
    assert report.extracted == len(TEXTS) + len(MORE)
    assert seen and seen[-1] == (8, 8)
    a, b = local.load(), on_dask.load()
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.articles, b.articles)
    assert a.problems == b.problems and len(a.events) >= 6


def test_dask_local_schedulers_keep_the_input_order(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {**TEXTS, **MORE})
    articles, _ = read_articles([corpus])
    expected = extract_articles(articles)
    assert extract_with_dask(articles, scheduler="threads", partitions=3) == expected
    assert extract_with_dask([], scheduler="threads") == ([], [])


# The real fingerprint, for process workers (they do not see this process's monkeypatching).
REAL_FINGERPRINT = data.store.extractor_fingerprint


def _run_other_code() -> None:
    """On a worker: pretend to be another version of the extractor."""
    import data.store as store

    store.extractor_fingerprint = lambda: "another-version"


def test_extract_with_dask_flag_on_process_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m data extract --dask ADDRESS` on a cluster of worker processes gives what a
    local run gives; a worker that runs other extractor code is refused with the reason."""
    from data.__main__ import main
    from data.distributed import ExtractorMismatch

    monkeypatch.setattr(data.store, "extractor_fingerprint", REAL_FINGERPRINT)
    corpus = write_corpus(tmp_path / "corpus", {**TEXTS, **MORE})
    local_out, dask_out = tmp_path / "local.csv", tmp_path / "dask.csv"
    assert main(["extract", str(corpus), "--out", str(local_out)]) == 0
    with local_cluster(workers=1, threads=1, processes=True) as client:
        address = client.scheduler.address
        assert main(["extract", str(corpus), "--out", str(dask_out), "--dask", address]) == 0
        assert dask_out.read_bytes() == local_out.read_bytes()
        client.run(_run_other_code)
        articles, _ = read_articles([corpus])
        with pytest.raises(ExtractorMismatch, match="runs other extractor code than this client"):
            extract_with_dask(articles, scheduler=client)
