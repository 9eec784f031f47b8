"""The loader: article files -> (events frame, articles frame, problems).

    1. articles   read files + manifest; clean text; mark bylines, datelines, notices  (articles, clean)
    2. sentences  split the narrative parts                                          (sentences)
    3. dates      date expressions resolved against the publication date             (dates)
    4. places     place mentions resolved with the offline gazetteer                 (places, gazetteer)
    5. actors     canonical actors from the reference table                          (actors)
    6. events     event sentences -> Event records                                   (events)
    7. frame      validated pandas frame                                             (frame)
    8. incidents  reports of the same event across articles share an incident_id     (incidents)

Each article is processed on its own; an exception in one becomes a Problem and the others load.
Stages 2-6 run in this process, in a pool of processes (`workers`) or on Dask (`dask`, see
data.distributed); data.store keeps the result on disk and re-extracts only what changed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from data.actors import find_actors
from data.articles import make_article, read_articles
from data.dates import find_dates
from data.events import ArticleMentions, extract_events
from data.frame import articles_to_frame, events_to_frame, validate_events
from data.incidents import assign_incidents
from data.places import find_places
from data.schema import Article, Event, Problem
from data.sentences import split_sentences

log = logging.getLogger(__name__)

# How often a pool worker checks that the process that started it is alive (exit_with_parent).
PARENT_POLL_SECONDS = 0.25
# progress(done, total): called as articles finish extracting (the CLI draws a bar with it).
Progress = Callable[[int, int], None]


@dataclass
class LoadResult:
    """What a load produced: the event frame, the articles frame and every problem met."""

    events: pd.DataFrame
    articles: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


# Touches every stage's lazily built tables (gazetteer, landmark and actor matchers, cue table).
_WARM_UP_TEXT = (
    "MOSUL, Iraq — On Monday, Iraqi forces backed by U.S.-led coalition air strikes retook the "
    "Old City of Mosul from ISIS, killing 12 militants near Tabqa dam in northern Syria."
)


def prepare() -> None:
    """Build once what every article needs (the gazetteer index, the landmark, actor and cue
    matchers, the date rules): the start-up cost, so the first article costs what the others do."""
    article = make_article("warm-up", _WARM_UP_TEXT, {"published": "2017-07-10"}, source_path="", problems=[])
    extract_events(article, article_mentions(article))


def article_mentions(article: Article) -> ArticleMentions:
    """Stages 2-5 for one article."""
    return ArticleMentions(
        sentences=split_sentences(article.text, article.marked),
        dates=find_dates(article.text, published=article.published),
        places=find_places(article.text, marked=article.marked),
        actors=find_actors(article.text),
    )


def process_article(article: Article) -> tuple[list[Event], list[Problem]]:
    """Stages 2-6 for one article; an error becomes a Problem instead of an exception."""
    try:
        return extract_events(article, article_mentions(article)), []
    except Exception as error:  # noqa: BLE001 - one bad article must not stop the corpus
        log.debug("extraction failed for %s", article.article_id, exc_info=True)
        return [], [Problem(article.article_id, "extract", f"{type(error).__name__}: {error}")]


def extract_articles(
    articles: Sequence[Article],
    *,
    workers: int = 1,
    progress: Progress | None = None,
    dask: Any = None,
) -> tuple[list[Event], list[Problem]]:
    """Events of many articles, in parallel processes when workers > 1 or on Dask when `dask` is
    given (a distributed.Client, a scheduler address or a local scheduler name, see
    data.distributed); order follows the input whichever way they run."""
    events: list[Event] = []
    problems: list[Problem] = []
    if dask is not None:
        from data.distributed import extract_with_dask

        return extract_with_dask(articles, scheduler=dask, progress=progress)
    total = len(articles)
    if workers > 1 and total > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
            results = pool.map(process_article, articles, chunksize=max(1, min(16, total // (workers * 8))))
            results = _counted(results, total, progress)
    else:
        results = _counted((process_article(article) for article in articles), total, progress)
    for found, trouble in results:
        events.extend(found)
        problems.extend(trouble)
    return events, problems


def exit_with_parent(parent: int) -> None:
    """Pool worker initializer: end this worker soon after `parent` dies. A killed parent (kill -9,
    out of memory) cannot stop its pool, whose workers would otherwise wait on their queue forever,
    orphans holding whatever they inherited (the event store's lock, issue 13)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _counted(results: Iterable[Any], total: int, progress: Progress | None) -> list[Any]:
    """The results as a list, reporting progress as each arrives."""
    done: list[Any] = []
    for result in results:
        done.append(result)
        if progress is not None:
            progress(len(done), total)
    return done


def load_events(
    paths: Iterable[str | Path] | str | Path,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    dask: Any = None,
) -> LoadResult:
    """Read articles under `paths` (files or folders with an optional manifest.csv) into events.

    Returns a LoadResult whose `events` frame follows data.frame.EVENT_COLUMNS and is validated,
    whose `articles` frame holds each article's cleaned text, and whose `problems` lists every
    article that could not be read or extracted, with the reason. Reports of the same event
    across articles share an `incident_id` (data.incidents). `workers`, `progress` and `dask`
    are passed to extract_articles.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    articles, problems = read_articles(paths)
    events, extract_problems = extract_articles(articles, workers=workers, progress=progress, dask=dask)
    problems.extend(extract_problems)
    articles_frame = articles_to_frame(articles)
    events_frame = validate_events(events_to_frame(events), articles_frame)
    events_frame["incident_id"] = assign_incidents(events_frame)
    log.info("%d events from %d articles, %d problems", len(events_frame), len(articles_frame), len(problems))
    return LoadResult(events_frame, articles_frame, problems)
