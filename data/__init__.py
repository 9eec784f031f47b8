"""Sitrep's data layer: news articles -> dated, geocoded conflict events.

Stages (one module each, each a pure function of its input):
  1. articles   read .txt/.md/.html/.json(l) + manifest.csv; clean text, mark bylines etc.
  2. sentences  sentence boundaries with character offsets
  3. dates      date expressions -> intervals resolved against the publication date
  4. places     place mentions -> gazetteer points (gazetteer: GeoNames + reference tables)
  5. actors     actor mentions -> canonical actors (reference/actors.csv)
  6. events     event sentences -> typed events with date, place, actors, fatalities
  7. frame      Event records -> validated pandas frame
Beside them: export (every export format, written once), review (the analyst's review log in
SQLite and the reviewed frame), store (the event store), incidents, filters.

Names are imported lazily so that `python -m data dates` does not pay for pandas.
This package never imports streamlit.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "load_events": "data.pipeline",
    "LoadResult": "data.pipeline",
    "find_dates": "data.dates",
    "find_places": "data.places",
    "filter_events": "data.filters",
    "EventFilter": "data.filters",
    "validate_events": "data.frame",
    "EVENT_COLUMNS": "data.frame",
    "Problem": "data.schema",
    "EventStore": "data.store",
    "incidents_frame": "data.incidents",
    "ReviewLog": "data.review",
    "apply_reviews": "data.review",
    "export_bytes": "data.export",
    "write_export": "data.export",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'data' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
