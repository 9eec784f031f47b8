"""Extraction past one machine: stages 2-6 over a dask.bag of articles.

The articles are read where the command runs (reading is cheap next to extraction, and the
store needs each article's content hash before it knows what to extract); the bag carries the
Article records to the workers, so the workers need the Sitrep code and its pinned requirements
but no access to the article files. Each worker loads the gazetteer once (it builds its cached
index under its own SITREP_STORE the first time). Results come back in input order, so a Dask
run gives exactly the frame and the store a local run gives.

`scheduler` is one of:
  - a `distributed.Client` (the caller owns it);
  - a scheduler address such as "tcp://10.0.0.5:8786" (a Client is opened and closed here);
  - "threads", "processes" or "synchronous": dask's local schedulers, without `distributed`.
"""

from __future__ import annotations

import logging
import math
import os
import socket
from collections.abc import Sequence
from typing import Any

from data.pipeline import Progress, process_article
from data.schema import Article, Event, Problem

log = logging.getLogger(__name__)

LOCAL_SCHEDULERS = ("threads", "processes", "synchronous", "sync", "single-threaded")
# Articles per partition: a partition is one task; ~40 ms an article makes 25 a second of work,
# long enough to amortise the scheduler's per-task overhead, short enough to balance load.
PARTITION_SIZE = 25


class ExtractorMismatch(RuntimeError):
    """A worker runs other extractor code or data than the client: its events would differ."""


def _extract_partition(articles: list[Article], expected: str | None = None) -> list[tuple[list[Event], list[Problem]]]:
    """Stages 2-6 for one partition (runs on a worker). `expected`: the client's extractor
    fingerprint, which this worker's must equal (checked per partition, so a worker that joins
    late is checked too)."""
    if expected is not None:
        from data.store import extractor_fingerprint

        found = extractor_fingerprint()
        if found != expected:
            raise ExtractorMismatch(
                f"the Dask worker on {socket.gethostname()} (pid {os.getpid()}, in {os.getcwd()}) runs other "
                f"extractor code than this client (fingerprint {found}, expected {expected}): install the same "
                "Sitrep version and requirements.txt on every worker"
            )
    return [process_article(article) for article in articles]


def _partitions(count: int, partitions: int | None) -> int:
    if partitions:
        return max(1, min(count, partitions))
    return max(1, math.ceil(count / PARTITION_SIZE))


def extract_with_dask(
    articles: Sequence[Article],
    *,
    scheduler: Any,
    partitions: int | None = None,
    progress: Progress | None = None,
) -> tuple[list[Event], list[Problem]]:
    """Events and problems of `articles`, extracted on Dask; same order as a local run.

    `scheduler` is a distributed.Client, a scheduler address ("tcp://host:8786") or a local
    dask scheduler name ("threads", "processes", "synchronous"). `partitions` defaults to one per
    PARTITION_SIZE articles. `progress(done, total)` is called as partitions finish. On a cluster,
    a worker whose extractor differs from this process's (data.store.extractor_fingerprint)
    raises ExtractorMismatch here.
    """
    import dask.bag as db

    articles = list(articles)
    if not articles:
        return [], []
    chunks = _split(articles, _partitions(len(articles), partitions))
    # One bag element per chunk of articles, one chunk per partition: sizes known for progress.
    bag = db.from_sequence(chunks, npartitions=len(chunks))
    if isinstance(scheduler, str) and scheduler in LOCAL_SCHEDULERS:
        parts = bag.map(_extract_partition).compute(scheduler=scheduler)
        if progress is not None:
            progress(len(articles), len(articles))
    else:
        # Workers on other machines may run other code: each checks its extractor against ours.
        from data.store import extractor_fingerprint

        bag = bag.map(_extract_partition, expected=extractor_fingerprint())
        parts = _run_on_cluster(bag, scheduler, [len(chunk) for chunk in chunks], progress)
    events: list[Event] = []
    problems: list[Problem] = []
    for part in parts:
        for found, trouble in part:
            events.extend(found)
            problems.extend(trouble)
    return events, problems


def _split(items: list, count: int) -> list[list]:
    """`items` in `count` consecutive chunks of near-equal size."""
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        chunks.append(items[start:end])
        start = end
    return [chunk for chunk in chunks if chunk]


def _run_on_cluster(bag: Any, scheduler: Any, sizes: list[int], progress: Progress | None) -> list:
    """The bag's elements computed on a distributed cluster, reporting each partition as it ends."""
    from distributed import Client, as_completed

    own_client = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own_client else scheduler
    try:
        futures = client.compute(bag.to_delayed())
        size_of = {future.key: size for future, size in zip(futures, sizes, strict=False)}
        total, done = sum(sizes), 0
        for future in as_completed(futures, loop=client.loop):
            if future.status == "error":
                future.result()  # raises the worker's exception here, with its traceback
            done += size_of[future.key]
            if progress is not None:
                progress(done, total)
        partitions = client.gather(futures)
    finally:
        if own_client:
            client.close()
    return [element for partition in partitions for element in partition]


class local_cluster:  # noqa: N801 - used like a function: `with local_cluster() as client:`
    """A small in-machine Dask cluster and its Client, closed together (tests, a laptop)."""

    def __init__(self, *, workers: int = 1, threads: int = 2, processes: bool = False) -> None:
        from distributed import Client, LocalCluster

        self.cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=threads,
            processes=processes,
            dashboard_address=":0",
            silence_logs=logging.WARNING,
        )
        self.client = Client(self.cluster, set_as_default=False)

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.cluster.close()
