"""Benchmark (not a test): the map's build cost at several sizes, and the dashboard in a browser.

    .venv/bin/python tests/bench_dashboard.py [--sizes 1000,10000,100000] [--events 10000]
                                              [--runs 5] [--no-browser]

Map build (no browser), for each size of generated events, medians of --runs runs:
  * cold          map_args with no cached payload (a new view: filters changed);
  * warm          the same view again (payload cached: what a full rerun costs; a click's
                  fragment rerun passes the same frame and skips even the fingerprint);
  * incidents     incident_view over the whole corpus (the incidents toggle, before caching);
  * args, payload the map component's JSON arguments and its events (bytes), as sent per run;
  * mode          stacked (only overlapping markers grouped), clustered (nearby ones too, past
                  mapview.CLUSTER_ABOVE) or grid cells (past mapview.AGGREGATE_ABOVE).
Then the browser figures on --events generated events, medians:
  * first paint   Chromium: navigation to /Map in a fresh browser context until the map has
                  drawn the events (clusters or markers) — with, for scale, the time until
                  Streamlit drew the page title (the timeline beside the map follows once it
                  has drawn: components/deferred.py);
  * warm paint    the same navigation again in that context, once the first has drawn (the
                  browser's HTTP cache holds Streamlit's scripts; the map's files are fetched
                  again: the server marks them "public" without a lifetime);
  * in-app paint  a fresh context on the Overview page (its map and timeline drawn), then a
                  click on "Map" in the sidebar navigation until the Map page's map has drawn;
  * click         Chromium: click on a marker of the stack at Raqqa, spread out (moving the
                  mouse onto it), until the details panel shows its excerpt; each marker's
                  position is read just before;
  * filter        server: one rerun of the Map page after an event-type filter change, the
                  timeline included (AppTest, same process as the cache, so it is the script's
                  own time).
Where a first paint goes, phase by phase: tests/profile_first_paint.py.
Targets: < 2 s (each of the three paints), < 0.5 s, < 0.3 s. Needs /usr/bin/chromium (Debian's
chromium package).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "browser"))

from conftest import MAP_FRAME_URL, MAP_IFRAME  # noqa: E402  (tests/browser/conftest.py)

TYPES = (
    ["Battles"],
    ["Explosions/Remote violence"],
    ["Battles", "Strategic developments"],
    ["Violence against civilians"],
    [],
)


def browser_times(base: str, runs: int) -> dict[str, list[float]]:
    from conftest import CHROMIUM, LAUNCH_ARGS
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"first_paint": [], "title": [], "warm_paint": [], "inapp_paint": [], "click": []}
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
            if run == runs:
                out["click"] = click_times(page, frame, runs)
            page.wait_for_timeout(1000)  # the timeline follows the map; then leave the page
            start = time.perf_counter()
            page.goto(base + "/Map")
            wait_for_map(page)
            warm = time.perf_counter() - start
            context.close()
            inapp = inapp_time(browser, base)
            if run:
                out["title"].append(title)
                out["first_paint"].append(painted)
                out["warm_paint"].append(warm)
                out["inapp_paint"].append(inapp)
        browser.close()
    return out


def inapp_time(browser, base: str) -> float:
    """Overview first (its map and timeline drawn), then "Map" in the sidebar navigation:
    seconds from the click until the Map page's map has drawn."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    try:
        page = context.new_page()
        page.goto(base + "/")
        wait_for_map(page)
        page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=60_000)
        page.wait_for_timeout(1000)
        mark_maps_old(page)  # the Overview's map: not the one to wait for
        link = page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Map", exact=True)
        box = link.bounding_box()
        start = time.perf_counter()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        wait_for_map(page, fresh=True)
        return time.perf_counter() - start
    finally:
        context.close()


def mark_maps_old(page) -> None:
    """Mark the page's maps as the previous page's, for wait_for_map(fresh=True)."""
    for frame in page.frames:
        if MAP_FRAME_URL in frame.url:
            frame.evaluate("() => { window.sitrepBenchOld = true; return true; }")


def wait_for_map(page, fresh: bool = False, timeout: float = 300):
    """The map frame once it has drawn its event layer (cluster icons or circle markers);
    fresh: not a frame marked by mark_maps_old as the previous page's."""
    deadline = time.perf_counter() + timeout
    check = (
        "() => !!document.body.getAttribute('data-sitrep-events')"
        " && !!(document.querySelector('.sitrep-cluster') ||"
        " document.querySelector('canvas'))"
    )
    if fresh:
        check = check.replace("() => ", "() => !window.sitrepBenchOld && ", 1)
    while time.perf_counter() < deadline:
        for frame in page.frames:
            if MAP_FRAME_URL in frame.url:
                try:
                    if frame.evaluate(check):
                        return frame
                except Exception:
                    pass
        page.wait_for_timeout(20)
    raise TimeoutError("the map did not draw")


def click_times(page, frame, runs: int) -> list[float]:
    """Zoom to Raqqa, spread out the largest stack of events there, and click its markers (and
    the single markers in view) one by one.

    Each marker's position is read just before its click, once an open popup is closed (an
    opened popup pans the map).
    """
    frame.evaluate("() => { window.map.setView([35.95, 39.01], 12, {animate: false}); return true; }")
    page.wait_for_timeout(1500)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    stack = frame.evaluate("""() => {
      const cluster = window.sitrep.cluster(); let best = null;
      window.sitrep.ids().forEach(id => {
        const v = window.sitrep.shownAs(id);
        if (v && v.getChildCount && (!best || v.getChildCount() > best.getChildCount())) best = v;
      });
      if (!best) return null;
      const p = window.map.latLngToContainerPoint(best.getLatLng());
      return [p.x, p.y];
    }""")
    if stack:
        page.mouse.click(box["x"] + stack[0], box["y"] + stack[1])
        page.wait_for_timeout(1500)
    layers = frame.evaluate("""() => window.sitrep.ids().map(id => window.sitrep.marker(id))
      .filter(m => window.map.hasLayer(m)).map(m => m.sitrepId)""")
    times = []
    previous = ""
    for event_id in layers[: runs * 4]:
        if len(times) >= runs:
            break
        if frame.locator(".leaflet-popup").count():
            page.keyboard.press("Escape")
        page.wait_for_timeout(400)
        point = frame.evaluate(
            """(id) => {
          const m = window.sitrep.marker(id), size = window.map.getSize();
          if (!m || !window.map.hasLayer(m)) return null;
          const p = window.map.latLngToContainerPoint(m.getLatLng());
          return (p.x > 40 && p.y > 40 && p.x < size.x - 40 && p.y < size.y - 40) ? [p.x, p.y] : null;
        }""",
            event_id,
        )
        if not point:
            continue
        start = time.perf_counter()
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        try:
            page.wait_for_function(
                "(previous) => { const e = document.querySelector('.sitrep-excerpt');"
                " return e && e.innerText !== previous; }",
                arg=previous,
                timeout=10_000,
            )
        except Exception:
            continue  # that marker shares its excerpt with the previous one, or was covered
        times.append(time.perf_counter() - start)
        previous = page.locator(".sitrep-excerpt").first.inner_text()
    return times


def server_times(runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/1_Map.py").run()
    # As in a browser once the map has drawn: the timeline beside it is drawn on every rerun
    # (components/deferred.py; AppTest has no browser to report the drawing).
    from components import state

    at.session_state[state.MAP_DRAWN] = at.session_state[state.PAGE_VISIT]
    at.run()
    times = []
    for index in range(runs):
        at.multiselect(key="f_types").set_value(TYPES[index % len(TYPES)])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return times


def map_build_times(sizes: list[int], runs: int) -> list[dict]:
    """Build and render the map for generated corpora of each size (no Streamlit server)."""
    from components import mapview
    from components.format import with_display_columns
    from components.incidents import incident_codes, incident_view
    from data.filters import normalise_events
    from data.synthetic import generate

    out = []
    for size in sizes:
        started = time.perf_counter()
        events = with_display_columns(normalise_events(generate(size).events))
        generated = time.perf_counter() - started
        cold, warm, grouped = [], [], []
        args_size = 0
        for _ in range(runs):
            mapview._VIEW_CACHE.clear()
            mapview._SEEN.clear()  # a new view is a new frame: its fingerprint is computed
            start = time.perf_counter()
            args = mapview.map_args(events)
            args_size = len(json.dumps({k: v for k, v in args.items() if k != "payload"}))
            cold.append(time.perf_counter() - start)
            mapview._SEEN.clear()  # a full rerun filters anew: a new frame (a click's does not)
            start = time.perf_counter()
            mapview.map_args(events)
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            view = incident_view(events, events, incident_codes(events))
            grouped.append(time.perf_counter() - start)
        meta, body = mapview.view_data(events)
        located = int(events["lat"].notna().sum())
        mode = "grid" if meta["grid"] else "clustered" if meta["cluster"] else "stacked"
        out.append(
            {
                "events": size,
                "located": located,
                "incidents": len(view),
                "generate": generated,
                "cold": statistics.median(cold),
                "warm": statistics.median(warm),
                "incident_view": statistics.median(grouped),
                "html": args_size,
                "payload": len(body),
                "mode": mode,
            }
        )
    return out


def print_map_table(rows: list[dict], runs: int) -> None:
    print(f"map build, medians of {runs} runs ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
    print("| events | located | mode | cold build | warm rerun | args | payload | incidents | incident_view |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['events']:,} | {r['located']:,} | {r['mode']} | {r['cold']:.3f} s | "
            f"{r['warm']:.3f} s | {r['html'] / 1024:,.0f} KB | {r['payload'] / 1024:,.0f} KB | "
            f"{r['incidents']:,} | {r['incident_view']:.3f} s |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="comma-separated corpus sizes for the map build table"
    )
    parser.add_argument("--events", type=int, default=10_000, help="corpus size for the browser figures")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="no Chromium: the map build table and the server time of a filter change",
    )
    args = parser.parse_args(argv)
    from conftest import CHROMIUM, start_server, stop_server

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SITREP_STORE"] = str(Path(tmp) / "store")
        print_map_table(map_build_times(sizes, args.runs), args.runs)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SITREP_SYNTHETIC"] = str(args.events)
        os.environ["SITREP_STORE"] = str(Path(tmp) / "store")
        results: dict[str, list[float]] = {"filter": server_times(args.runs)}
        if args.no_browser:
            pass
        elif CHROMIUM.exists():
            process, base = start_server(
                Path(tmp),
                Path(tmp) / "store",
                extra_env={"SITREP_SYNTHETIC": str(args.events)},
                log=Path(tmp) / "streamlit.log",
            )
            try:
                results.update(browser_times(base, args.runs))
            finally:
                stop_server(process)
        else:
            print(f"no {CHROMIUM}: browser timings skipped", file=sys.stderr)
    targets = {"first_paint": 2.0, "warm_paint": 2.0, "inapp_paint": 2.0, "click": 0.5, "filter": 0.3, "title": None}
    print(f"{args.events:,} events, {args.runs} runs, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for name in ("first_paint", "title", "warm_paint", "inapp_paint", "click", "filter"):
        values = results.get(name) or []
        if not values:
            print(f"  {name:12s} no measurement")
            continue
        target = targets[name]
        verdict = (
            ""
            if target is None
            else ("  ok" if statistics.median(values) < target else f"  over the {target} s target")
        )
        print(
            f"  {name:12s} median {statistics.median(values):6.3f} s  "
            f"(min {min(values):.3f}, max {max(values):.3f}, n={len(values)}){verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
