"""Each stage on public benchmarks (../shared/eval): the real scorers, run against our CLI.

The full runs are in the README; here a fixed subset keeps CI short, with floors a little under
the subset's measured figures. Skipped with a reason when ../shared/eval is absent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# Minutes of scoring: left out of the fast run (`-m "not slow"`), always run by CI.
pytestmark = pytest.mark.slow

# (scorer, gold file, --limit, {figure: floor}); floors measured 2026-11-21 minus a margin.
CASES = [
    ("score_dates.py", "dates/tbaq_timebank.jsonl", None, {"norm": 0.80, "detect": 0.95}),
    ("score_dates.py", "dates/tbaq_aquaint.jsonl", None, {"norm": 0.82, "detect": 0.95}),
    ("score_places.py", "places/lgl.jsonl", 150, {"P": 0.75, "R": 0.72, "acc161": 0.78}),
    ("score_places.py", "places/geovirus.jsonl", 100, {"P": 0.75, "R": 0.80, "acc161": 0.85}),
]


@pytest.mark.parametrize("scorer, gold, limit, floors", CASES, ids=[c[1] for c in CASES])
def test_stage_scores(eval_dir: Path, scorer: str, gold: str, limit: int | None, floors: dict) -> None:
    command = [
        sys.executable,
        str(eval_dir / scorer),
        str(eval_dir / gold),
        "--project",
        str(REPO),
        "--python",
        sys.executable,
        "--jobs",
        "2",
    ]
    if limit:
        command += ["--limit", str(limit)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-2000:]
    last = run.stdout.strip().splitlines()[-1]
    figures = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", last)}
    for name, floor in floors.items():
        assert figures[name] >= floor, f"{gold}: {name}={figures[name]} below floor {floor} ({last})"
