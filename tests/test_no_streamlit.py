"""The data package must work where streamlit is not installed (notebooks, CLIs, Dask workers)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import sys
sys.modules["streamlit"] = None  # any import of streamlit now raises ImportError
import data
result = data.load_events(["seeds"])
assert len(result.events) > 0
print("ok", len(result.events))
"""


def test_data_imports_and_loads_without_streamlit() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ok")


def test_no_module_in_data_mentions_streamlit() -> None:
    for path in (REPO / "data").rglob("*.py"):
        assert "import streamlit" not in path.read_text(encoding="utf-8"), path
