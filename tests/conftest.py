"""Shared fixtures: repo paths, the development corpus beside the repo (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"


def run_app(
    page: str | None = None, *, check_exceptions: bool = True, map_drawn: bool = True, **params: str | list[str]
):
    """Run app.py (the router) under AppTest with URL parameters, then switch to `page` if given.

    map_drawn: then report that the page's map has drawn, as the map's script does in a browser,
    so that what waits for it (the sidebar filters on a session's first page, the timeline beside
    the map: components/deferred.py) is drawn."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if page:
        at.switch_page(page).run()
    if map_drawn:
        report_map_drawn(at)
    if check_exceptions:
        assert not at.exception, [e.value for e in at.exception]
    return at


def report_map_drawn(at) -> None:
    """What the map's "drawn" report does (components.state.map_drawn), for AppTest, which has no
    browser to draw the map: rerun the page with this visit's map marked as drawn, if anything
    waited for it."""
    from components import state

    if state.DEFERRED not in at.session_state or not at.session_state[state.DEFERRED]:
        return
    at.session_state[state.MAP_DRAWN] = at.session_state[state.PAGE_VISIT]
    at.run()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus: copyrighted texts read at run time, never copied into the repo."""
    if not (CORPUS / "manifest.csv").is_file():
        pytest.skip(f"development corpus not found at {CORPUS} (it lives beside the repo, not in it)")
    return CORPUS


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not (EVAL / "score.py").is_file():
        pytest.skip(f"evaluation kit not found at {EVAL}")
    return EVAL


@pytest.fixture(scope="session")
def seeds_result():
    """The seeds loaded once for the whole session."""
    import data

    return data.load_events([SEEDS])
