"""Profile (not a test): where the Map page's first paint goes, phase by phase.

    .venv/bin/python tests/profile_first_paint.py [--events 10000] [--runs 3]
                                                  [--modes cold,warm,inapp] [--json FILE]
                                                  [--repos CHECKOUT,OTHER_CHECKOUT]

Starts `streamlit run app.py` on --events generated events with the script runner
instrumented (each page run's start and end, and when each element is handed to the browser
queue, in wall-clock time), and Chromium with a script in the page that notes, in the same
clock, the websocket's creation, opening and messages, the page title (h1), the sitrep_map
iframe's creation, the iframe's render arguments, its script loads (Resource Timing), and the
moment the map has drawn its event layer (the condition of bench_dashboard.wait_for_map).
With --repos, one server per checkout (e.g. a `git archive` of the previous commit) and their
runs alternate, so that the shared machine's load varies alike for both.

Modes (each is first run once, uncounted, to warm the server's caches):
  * cold   a fresh browser context: page.goto(base + "/Map") until the map has drawn;
  * warm   the same, a second navigation in that context (the browser's HTTP cache is warm);
  * inapp  the Overview page first (until its map and timeline are drawn), then a click on
           "Map" in the sidebar navigation until the Map page's map has drawn.
Prints, per mode, the median (min-max) time of each phase from the start (navigation start, or
the click for inapp). Needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "browser"))

# Runs in the page before its own scripts (Playwright does not run init scripts in the map's
# iframe: it replaces an about:blank that shares its window). The iframe's documents are
# hooked from the page instead: they are same-origin. Times are epoch milliseconds.
INIT_JS = r"""
(() => {
  if (window.__fp || window.top !== window) return;
  const now = () => performance.timeOrigin + performance.now();
  const T = window.__fp = {marks: {}, ws: [], long: []};
  const mark = (k) => { if (!(k in T.marks)) T.marks[k] = now(); };
  try {
    new PerformanceObserver((list) => list.getEntries().forEach(
      (e) => T.long.push([performance.timeOrigin + e.startTime, e.duration])))
      .observe({type: "longtask", buffered: true});
  } catch (e) {}
  if (window.WebSocket) {
    const WS = window.WebSocket;
    class Timed extends WS {
      constructor(...a) {
        super(...a); mark("ws_create");
        this.addEventListener("open", () => mark("ws_open"));
        this.addEventListener("message", (e) => T.ws.push([now(),
          e.data && (e.data.byteLength || e.data.size || e.data.length) || 0]));
      }
    }
    window.WebSocket = Timed;
  }
  document.addEventListener("click", () => { T.marks.click = now(); }, true);
  const hooked = new WeakSet(), elements = new WeakSet();
  T.iframes = [];
  const hookFrame = (el) => {
    if (!elements.has(el)) { elements.add(el); T.iframes.push([now(), "element"]); }
    const d = el.contentDocument, w = el.contentWindow;
    if (!d || !w || hooked.has(d) || String(d.location).indexOf("sitrep_map") < 0) return;
    hooked.add(d);
    T.iframes.push([now(), "document"]);
    const M = {seen: now()};
    w.__fpMarks = M;
    const put = (k) => { if (!(k in M)) M[k] = now(); };
    w.addEventListener("message", () => put("args"), true);
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(
        (e) => (w.__fpLong = w.__fpLong || []).push([w.performance.timeOrigin + e.startTime,
                                                     e.duration])))
        .observe({type: "longtask", buffered: true});
    } catch (e) {}
    const check = () => {
      const b = d.body;
      if (w.L) put("leaflet_ready");
      if (d.querySelector(".leaflet-container")) put("map_div");
      if (b && b.getAttribute("data-sitrep-events")) {
        put("events_attr");
        if (d.querySelector(".sitrep-cluster") || d.querySelector("canvas")) put("drawn");
      }
    };
    new MutationObserver(check).observe(d, {subtree: true, childList: true, attributes: true});
    check();
  };
  const check = () => {
    if (document.querySelector("h1")) mark("h1");
    if (document.querySelector("[data-testid='stSidebarNav']")) mark("nav");
    if (document.querySelector("[data-testid='stElementContainer']")) mark("first_element");
    const frames = document.querySelectorAll("iframe[title*='sitrep_map']");
    if (frames.length) mark("iframe");
    frames.forEach(hookFrame);
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
                                                 attributes: true});
  setInterval(check, 10);
})();
"""

COLLECT_JS = """() => {
  const T = window.__fp || {marks: window.__fpMarks || {}, long: window.__fpLong || []};
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource").map(r => ({
    name: r.name, start: performance.timeOrigin + r.startTime,
    reqStart: performance.timeOrigin + r.requestStart,
    respStart: performance.timeOrigin + r.responseStart,
    end: performance.timeOrigin + r.responseEnd, size: r.transferSize, body: r.decodedBodySize,
    type: r.initiatorType}));
  return {origin: performance.timeOrigin, marks: T.marks || {}, ws: T.ws || [],
          long: T.long || [], iframes: T.iframes || [],
          msgs: T.msgs || [], res: res,
          nav: nav ? {responseEnd: performance.timeOrigin + nav.responseEnd,
                      responseStart: performance.timeOrigin + nav.responseStart,
                      dcl: performance.timeOrigin + nav.domContentLoadedEventEnd,
                      load: performance.timeOrigin + nav.loadEventEnd,
                      size: nav.transferSize} : null};
}"""

# The launcher: `python profile_first_paint.py --serve LOG streamlit-args...` patches the
# script runner and the runtime's sender to log what they do, then runs streamlit.
SERVE_FLAG = "--serve"


def _serve(log_path: str, argv: list[str]) -> None:
    import threading

    from streamlit.runtime import runtime as rt_module
    from streamlit.runtime.scriptrunner import script_runner

    lock = threading.Lock()
    out = open(log_path, "a", encoding="utf-8")

    def log(**record) -> None:
        record["t"] = time.time() * 1000
        with lock:
            out.write(json.dumps(record) + "\n")
            out.flush()

    original_run = script_runner.ScriptRunner._run_script

    def run_script(self, rerun_data):
        log(
            ev="script_start",
            page=getattr(rerun_data, "page_name", "") or "",
            fragments=len(getattr(rerun_data, "fragment_id_queue", []) or []),
        )
        try:
            return original_run(self, rerun_data)
        finally:
            log(ev="script_end")

    script_runner.ScriptRunner._run_script = run_script

    original_enqueue = script_runner.ScriptRunner._enqueue_forward_msg

    def enqueue(self, msg):
        kind = msg.WhichOneof("type")
        detail = ""
        if kind == "delta":
            delta_kind = msg.delta.WhichOneof("type")
            detail = delta_kind
            if delta_kind == "new_element":
                detail = msg.delta.new_element.WhichOneof("type")
                if detail == "heading":
                    detail = "heading:" + msg.delta.new_element.heading.body[:30]
                elif detail == "component_instance":
                    detail = "component:" + msg.delta.new_element.component_instance.component_name
        log(ev="enqueue", kind=kind, detail=detail, size=msg.ByteSize())
        return original_enqueue(self, msg)

    script_runner.ScriptRunner._enqueue_forward_msg = enqueue

    original_send = rt_module.Runtime._send_message

    def send(self, session_info, msg):
        kind = msg.WhichOneof("type")
        log(ev="send", kind=kind)
        return original_send(self, session_info, msg)

    rt_module.Runtime._send_message = send

    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *argv]
    streamlit_main()


def start_server(store: Path, events: int, log_path: Path, repo: Path = REPO) -> tuple[subprocess.Popen, str]:
    from conftest import free_port, wait_until_healthy

    port = free_port()
    env = dict(os.environ, SITREP_ARTICLES=str(store.parent), SITREP_STORE=str(store), SITREP_SYNTHETIC=str(events))
    env.pop("SITREP_TILES", None)
    process = subprocess.Popen(
        [
            sys.executable,
            __file__,
            SERVE_FLAG,
            str(log_path),
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
        cwd=repo,
        env=env,
        stdout=open(log_path.with_suffix(".out"), "wb"),
        stderr=subprocess.STDOUT,
    )
    return process, wait_until_healthy(
        process, f"http://127.0.0.1:{port}", seconds=90, log=log_path.with_suffix(".out")
    )


def read_log(path: Path, since: float) -> list[dict]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["t"] >= since:
            records.append(record)
    return records


def analyse(top: dict, frame: dict, server: list[dict], start: float) -> dict[str, float]:
    """Phase times in seconds from `start` (epoch ms)."""
    out: dict[str, float] = {}

    def put(name: str, value: float | None) -> None:
        if value is not None:
            out[name] = (value - start) / 1000

    nav = top.get("nav")
    if nav and nav["responseEnd"] >= start:
        put("html received", nav["responseEnd"])
    statics = [r for r in top["res"] if "/static/" in r["name"] and r["start"] >= start - 5]
    if statics:
        put("streamlit static: last received", max(r["end"] for r in statics))
        out["streamlit static: KB transferred"] = sum(r["size"] for r in statics) / 1024
        out["streamlit static: files"] = len(statics)
    if nav and nav["responseEnd"] >= start:
        put("DOMContentLoaded", nav["dcl"])
    for name in ("_stcore/health", "_stcore/host-config"):
        hits = [r for r in top["res"] if name in r["name"] and r["start"] >= start]
        if hits:
            put(name + " received", min(r["end"] for r in hits))
    marks = top["marks"]
    put("websocket created", marks.get("ws_create") if marks.get("ws_create", 0) >= start else None)
    put("websocket open", marks.get("ws_open") if marks.get("ws_open", 0) >= start else None)
    runs = [r for r in server if r["ev"] == "script_start" and r["t"] >= start]
    if runs:
        first = runs[0]["t"]
        put("server: script run starts", first)
        after = [r for r in server if r["t"] >= first]
        title = next((r for r in after if r["ev"] == "enqueue" and r.get("detail", "").startswith("heading:Map")), None)
        put("server: st.title queued", title and title["t"])
        queued = next((r for r in after if r["ev"] == "enqueue" and "sitrep_map" in r.get("detail", "")), None)
        put("server: map component queued", queued and queued["t"])
        end = next((r for r in after if r["ev"] == "script_end"), None)
        put("server: script run ends", end and end["t"])
        out["server: runs until drawn"] = len(runs)
    ws = [m for m in top["ws"] if m[0] >= start]
    if ws:
        put("first websocket message", ws[0][0])
    put("h1 drawn (browser)", marks.get("h1") if marks.get("h1", 0) >= start else None)
    put("iframe created", marks.get("iframe") if marks.get("iframe", 0) >= start else None)
    fm = frame["marks"]
    put("iframe: navigation start", frame["origin"])
    own = [r for r in frame["res"] if r["name"].split("?")[0].endswith("/map.js")]
    if own:
        put("iframe: map component map.js received", own[0]["end"])
    put("iframe: render args received", fm.get("args"))
    for label, wanted in (
        ("leaflet", lambda n: n.endswith("/leaflet.js")),
        ("markercluster", lambda n: n.endswith("leaflet.markercluster.js")),
        ("basemap", lambda n: n.endswith(".geojson")),
        ("place names", lambda n: n.endswith("labels.json")),
    ):
        hits = [r for r in frame["res"] if wanted(r["name"].split("?")[0])]
        if hits:
            put(f"iframe: {label} requested", hits[0]["start"])
            put(f"iframe: {label} received", hits[0]["end"])
    put("iframe: Leaflet ready", fm.get("leaflet_ready"))
    put("iframe: map div", fm.get("map_div"))
    put("iframe: events in layer", fm.get("events_attr"))
    put("map drawn", fm.get("drawn"))
    drawn = fm.get("drawn") or 0
    busy = sum(d for s, d in top["long"] if start <= s <= drawn)
    out["top frame long tasks until drawn (s)"] = busy / 1000
    busy = sum(d for s, d in frame["long"] if s <= drawn)
    out["iframe long tasks until drawn (s)"] = busy / 1000
    return out


def one_run(browser, base: str, mode: str, log_path: Path) -> dict[str, float]:
    from bench_dashboard import mark_maps_old, wait_for_map

    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    context.add_init_script(INIT_JS)
    page = context.new_page()
    try:
        if mode == "warm":
            page.goto(base + "/Map")
            wait_for_map(page, timeout=120)
            page.wait_for_timeout(1500)  # let the timeline follow, as a user would
        if mode == "inapp":
            page.goto(base + "/")
            wait_for_map(page, timeout=120)
            page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=60_000)
            page.wait_for_timeout(1000)
            mark_maps_old(page)
            link = page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Map").first
            link.click()
        else:
            start_wall = time.time() * 1000
            page.goto(base + "/Map", wait_until="commit")
        frame = wait_for_map(page, fresh=True, timeout=120)
        seen_wall = time.time() * 1000
        page.wait_for_timeout(200)
        top = page.evaluate(COLLECT_JS)
        inner = frame.evaluate(COLLECT_JS)
        start = top["marks"]["click"] if mode == "inapp" else top["origin"]
        server = read_log(log_path, start - 50)
        result = analyse(top, inner, server, start)
        if mode != "inapp":
            result["(python goto -> navigation start)"] = (top["origin"] - start_wall) / 1000
        # When this script, polling as bench_dashboard does, saw the map drawn: the polls wait
        # for the page's main thread, busy right after the map with what followed it.
        result["(python: map seen drawn)"] = (seen_wall - start) / 1000
        return result
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default="cold,warm,inapp")
    parser.add_argument(
        "--repos",
        default=str(REPO),
        help="comma-separated checkouts to compare, one server each; their "
        "runs alternate, so that the machine's load hits them alike",
    )
    parser.add_argument("--json", help="write every run's phases to this file")
    args = parser.parse_args(argv)
    from conftest import CHROMIUM, LAUNCH_ARGS, stop_server
    from playwright.sync_api import sync_playwright

    modes = [m for m in args.modes.split(",") if m]
    repos = [Path(r).resolve() for r in args.repos.split(",") if r]
    results: dict[str, dict[str, list[dict[str, float]]]] = {str(r): {m: [] for m in modes} for r in repos}
    servers = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for index, repo in enumerate(repos):
                log_path = Path(tmp) / f"server{index}.jsonl"
                log_path.touch()
                process, base = start_server(Path(tmp) / f"store{index}", args.events, log_path, repo)
                servers.append((repo, process, base, log_path))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
                for run in range(args.runs + 1):  # the first warms the servers
                    for mode in modes:
                        for repo, _, base, log_path in servers:
                            result = one_run(browser, base, mode, log_path)
                            if run:
                                results[str(repo)][mode].append(result)
                browser.close()
        finally:
            for _, process, _, _ in servers:
                stop_server(process)
    print(
        f"{args.events:,} events, {args.runs} runs, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; seconds from the start, median (min-max)"
    )
    for mode in modes:
        print(f"\n## {mode}: " + " | ".join(str(r) for r in repos))
        names: list[str] = []
        for repo in repos:
            for run in results[str(repo)][mode]:
                names.extend(n for n in run if n not in names)

        def order(name: str) -> tuple:
            first = results[str(repos[0])][mode]
            values = [r[name] for r in first if name in r] or [99]
            plain = not any(w in name for w in ("KB", "files", "long tasks", "runs"))
            return (not name.startswith("("), not plain, statistics.median(values))

        for name in sorted(names, key=order):
            cells = []
            for repo in repos:
                values = [r[name] for r in results[str(repo)][mode] if name in r]
                cells.append(
                    f"{statistics.median(values):7.3f} ({min(values):.2f}-{max(values):.2f})" if values else " " * 21
                )
            print(f"  {name:40s} " + "   ".join(cells))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == SERVE_FLAG:
        _serve(sys.argv[2], sys.argv[3:])
    else:
        raise SystemExit(main())
