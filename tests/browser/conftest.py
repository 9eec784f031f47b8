"""Real-browser fixtures: a `streamlit run app.py` server on a temporary corpus, and Chromium.

Debian's chromium (apt-get install chromium) driven by Python playwright; `playwright install`
is never needed. Every test fails if the page requests anything outside the app's server, and a
failing test leaves a screenshot in tests/browser/screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - requirements.txt pins playwright
    sync_playwright = None

SKIP_REASON = (
    "no browser: install Debian's chromium (apt-get install chromium) for /usr/bin/chromium"
    if not CHROMIUM.exists()
    else "python playwright is not installed"
)
needs_browser = pytest.mark.skipif(not CHROMIUM.exists() or sync_playwright is None, reason=SKIP_REASON)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is slow (a server and a browser): left out of the fast run
    (`-m "not slow"`), always run by CI."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in item.path.resolve().parents:
            item.add_marker(pytest.mark.slow)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    articles: Path, store: Path, extra_env: dict[str, str] | None = None, log: Path | None = None
) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port of 127.0.0.1; returns once it answers /_stcore/health."""
    port = free_port()
    env = dict(os.environ, SITREP_ARTICLES=str(articles), SITREP_STORE=str(store), **(extra_env or {}))
    env.pop("SITREP_TILES", None)
    out = open(log, "wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=REPO,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    return process, wait_until_healthy(process, f"http://127.0.0.1:{port}", seconds=60, log=log)


def wait_until_healthy(process: subprocess.Popen, base: str, *, seconds: float, log: Path | None = None) -> str:
    """`base` once the server answers /_stcore/health; the server is stopped if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return base
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"streamlit did not answer within {seconds:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_app_pages import write_xss_corpus

    return write_xss_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def server(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists() or sync_playwright is None:
        pytest.skip(SKIP_REASON)
    logs = tmp_path_factory.mktemp("logs")
    process, base = start_server(corpus_dir, tmp_path_factory.mktemp("store"), log=logs / "streamlit.log")
    yield base
    stop_server(process)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists() or sync_playwright is None:
        pytest.skip(SKIP_REASON)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def page(browser, server, request):
    """A fresh page; records requests that leave the server and dialogs (alert) that open."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    tab = context.new_page()
    tab.external_requests = []
    tab.dialogs = []
    allowed = (server, "data:", "blob:", "about:")
    tab.on("request", lambda r: None if r.url.startswith(allowed) else tab.external_requests.append(r.url))
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.base = server
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


# The map component's frame (components/mapframe/), as Streamlit names it.
MAP_IFRAME = "iframe[title*='sitrep_map']"
MAP_FRAME_URL = "sitrep_map"
# The event ids of the map's markers, clustered or not (components/mapframe/map.js).
MARKER_IDS_JS = "() => window.sitrep.ids()"
