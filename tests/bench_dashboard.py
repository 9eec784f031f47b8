"""Benchmark (not a test): the dashboard with 10,000 generated events.

    .venv/bin/python tests/bench_dashboard.py [--events 10000] [--runs 5]

Measures, and prints as medians:
  * first paint   Chromium: navigation to /Map until the map has drawn the events (clusters or
                  markers) — with, for scale, the time until Streamlit drew the page title;
  * click         Chromium: click on a marker until the details panel shows its excerpt;
  * filter        server: one rerun of the Map page after an event-type filter change
                  (AppTest, same process as the cache, so it is the script's own time).
Targets: < 2 s, < 0.5 s, < 0.3 s. Needs /usr/bin/chromium (Debian's chromium package).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "browser"))

TYPES = (["Battles"], ["Explosions/Remote violence"], ["Battles", "Strategic developments"],
         ["Violence against civilians"], [])


def browser_times(base: str, runs: int) -> dict[str, list[float]]:
    from conftest import CHROMIUM, LAUNCH_ARGS
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"first_paint": [], "title": [], "click": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        for run in range(runs + 1):  # the first load warms the server's cache: not counted
            context = browser.new_context(viewport={"width": 1500, "height": 1100})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(base + "/Map")
            page.wait_for_selector("h1", timeout=300_000)
            title = time.perf_counter() - start
            frame = wait_for_map(page)
            painted = time.perf_counter() - start
            if run:
                out["title"].append(title)
                out["first_paint"].append(painted)
            if run == runs:
                out["click"] = click_times(page, frame, runs)
            context.close()
        browser.close()
    return out


def wait_for_map(page):
    """The map frame once it has drawn its event layer (cluster icons or circle markers)."""
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline:
        for frame in page.frames:
            if "st_folium" in frame.url:
                try:
                    if frame.evaluate("() => !!document.body.getAttribute('data-sitrep-events')"
                                      " && !!(document.querySelector('.sitrep-cluster') ||"
                                      " document.querySelector('canvas'))"):
                        return frame
                except Exception:
                    pass
        page.wait_for_timeout(20)
    raise TimeoutError("the map did not draw")


def click_times(page, frame, runs: int) -> list[float]:
    """Zoom to Raqqa (site markers come out of their clusters) and click markers one by one."""
    frame.evaluate("() => { window.map.setView([35.95, 39.01], 14, {animate: false}); return true; }")
    page.wait_for_timeout(1500)
    points = frame.evaluate("""() => {
      const out = []; const size = window.map.getSize();
      window.map.eachLayer(l => {
        if (!(l instanceof L.CircleMarker) || !l.getTooltip()) return;
        const p = window.map.latLngToContainerPoint(l.getLatLng());
        if (p.x > 40 && p.y > 40 && p.x < size.x - 40 && p.y < size.y - 40) out.push([p.x, p.y]);
      });
      return out;
    }""")
    box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    times = []
    previous = ""
    for x, y in points[: runs * 3]:
        if len(times) >= runs:
            break
        frame.evaluate("() => { window.map.closePopup(); return true; }")
        start = time.perf_counter()
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.wait_for_function(
                "(previous) => { const e = document.querySelector('.sitrep-excerpt');"
                " return e && e.innerText !== previous; }", arg=previous, timeout=20_000)
        except Exception:
            continue  # that marker shares its event with the previous one, or was covered
        times.append(time.perf_counter() - start)
        previous = page.locator(".sitrep-excerpt").first.inner_text()
    return times


def server_times(runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/1_Map.py").run()
    at.run()
    times = []
    for index in range(runs):
        at.multiselect(key="f_types").set_value(TYPES[index % len(TYPES)])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from conftest import CHROMIUM, start_server, stop_server

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SITREP_SYNTHETIC"] = str(args.events)
        os.environ["SITREP_STORE"] = str(Path(tmp) / "store")
        results: dict[str, list[float]] = {"filter": server_times(args.runs)}
        if CHROMIUM.exists():
            process, base = start_server(Path(tmp), Path(tmp) / "store",
                                         extra_env={"SITREP_SYNTHETIC": str(args.events)},
                                         log=Path(tmp) / "streamlit.log")
            try:
                results.update(browser_times(base, args.runs))
            finally:
                stop_server(process)
        else:
            print(f"no {CHROMIUM}: browser timings skipped", file=sys.stderr)
    targets = {"first_paint": 2.0, "click": 0.5, "filter": 0.3, "title": None}
    print(f"{args.events:,} events, {args.runs} runs, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    for name in ("first_paint", "title", "click", "filter"):
        values = results.get(name) or []
        if not values:
            print(f"  {name:12s} no measurement")
            continue
        target = targets[name]
        verdict = "" if target is None else ("  ok" if statistics.median(values) < target
                                             else f"  over the {target} s target")
        print(f"  {name:12s} median {statistics.median(values):6.3f} s  "
              f"(min {min(values):.3f}, max {max(values):.3f}, n={len(values)}){verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
