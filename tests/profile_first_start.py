"""Measure (not a test): the dashboard's first start on a fresh machine, to the map's markers.

    .venv/bin/python tests/profile_first_start.py [--runs 5] [--modes installed,bare]
                                                  [--screenshots DIR]

Each run is a fresh machine as far as Sitrep can tell: the last commit unpacked into a new folder
(`git archive HEAD`: no data/store, no caches, no __pycache__), a new empty $HOME, no
$SITREP_STORE, the seeds. Modes:
  * installed  the README's install command first: `python -m data index` in the copy (its time
               is printed apart), then `streamlit run app.py`;
  * bare       `streamlit run app.py` alone: the first page builds the place index itself.
Then Chromium opens the Map page as soon as the server answers, and the script notes, every
0.1 s, the progress bar's text (the steps shown), until the map has drawn its markers. Prints
per run and as medians (min-max): from `streamlit run` to the map's markers, from the first
request to them, and the load average of the machine (other work shares its cores). Needs
/usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))

from conftest import CHROMIUM, LAUNCH_ARGS, MAP_FRAME_URL, free_port, stop_server, wait_until_healthy  # noqa: E402

PROGRESS = "[data-testid='stProgress']"
MARKERS_DRAWN = (
    "() => !!document.body.getAttribute('data-sitrep-events') && window.sitrep && window.sitrep.ids().length > 0"
)


def fresh_copy(into: Path) -> Path:
    """The repository's last commit unpacked into a new folder (what a clone gives)."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    env["HOME"] = str(home)
    env.pop("XDG_CACHE_HOME", None)
    return env


def one_run(browser, mode: str, work: Path, shots: Path | None, label: str) -> dict[str, object]:
    checkout = fresh_copy(work / "sitrep")
    home = work / "home"
    home.mkdir()
    env = clean_env(home)
    result: dict[str, object] = {"load": os.getloadavg()[0]}
    if mode == "installed":
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "data", "index"], cwd=checkout, env=env, check=True, capture_output=True)
        result["install step (s)"] = time.perf_counter() - started
    port = free_port()
    log = work / "streamlit.log"
    launched = time.perf_counter()
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
        ],
        cwd=checkout,
        env=env,
        stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        base = wait_until_healthy(process, f"http://127.0.0.1:{port}", seconds=120, log=log)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        requested = time.perf_counter()
        page.goto(base + "/Map", wait_until="commit")
        steps: list[str] = []
        first_bar = None
        shot_at = 1.0
        while time.perf_counter() - requested < 240:
            bar = page.locator(PROGRESS)
            if bar.count():
                first_bar = first_bar or time.perf_counter() - requested
                try:
                    text = bar.first.inner_text(timeout=200).strip()
                except Exception:  # replaced between count and read
                    text = ""
                if text and (not steps or steps[-1] != text):
                    steps.append(text)
            if shots and time.perf_counter() - requested >= shot_at:
                page.screenshot(path=str(shots / f"{label}-{shot_at:04.1f}s.png"))
                shot_at += 2.0
            if any(MAP_FRAME_URL in f.url and _drawn(f) for f in page.frames):
                break
            if page.locator("[data-testid='stException']").count():
                raise RuntimeError("the page failed: " + page.locator("[data-testid='stException']").first.inner_text())
            page.wait_for_timeout(100)
        else:
            raise TimeoutError("the map did not draw its markers within 240 s")
        done = time.perf_counter()
        if shots:
            page.screenshot(path=str(shots / f"{label}-drawn.png"))
        result.update(
            {
                "server start to markers (s)": done - launched,
                "first request to markers (s)": done - requested,
                "progress bar shown at (s)": first_bar,
                "steps": steps,
            }
        )
        context.close()
    finally:
        stop_server(process)
    return result


def _drawn(frame) -> bool:
    try:
        return bool(frame.evaluate(MARKERS_DRAWN))
    except Exception:  # the frame is being replaced
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="installed,bare")
    parser.add_argument("--screenshots", type=Path, default=None, help="a folder for screenshots every 2 s")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"needs {CHROMIUM}", file=sys.stderr)
        return 2
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    modes = args.modes.split(",")
    results: dict[str, list[dict[str, object]]] = {mode: [] for mode in modes}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        for run in range(args.runs):
            for mode in modes:  # alternated, so that the machine's load varies alike for both
                with tempfile.TemporaryDirectory(prefix="sitrep-first-start-") as work:
                    result = one_run(browser, mode, Path(work), args.screenshots, f"{mode}-{run}")
                results[mode].append(result)
                figures = ", ".join(f"{k} {v:.1f}" for k, v in result.items() if isinstance(v, float))
                print(f"{mode} run {run + 1}: {figures}", flush=True)
                print("   steps: " + " | ".join(result["steps"]), flush=True)
        browser.close()
    print("\nmedian (min-max) over runs:")
    for mode, runs in results.items():
        keys = [k for k, v in runs[0].items() if isinstance(v, float)]
        cells = []
        for key in keys:
            values = [r[key] for r in runs if isinstance(r.get(key), float)]
            cells.append(f"{key} {statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})")
        print(f"  {mode}: " + "; ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
