"""The dashboard's downloads: what each button offers and the file name after the view it holds.

The bytes themselves are written by data.export (one writer for the dashboard and the command
line): CSV, GeoJSON, Parquet and an ACLED-style CSV of exactly the filtered view.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from data.export import EXPORT_FORMATS
from data.filters import EventFilter

# (label, format for data.export.export_bytes, file suffix, MIME type), in the order of the buttons.
DOWNLOADS = tuple(
    (EXPORT_FORMATS[fmt][0], fmt, fmt, EXPORT_FORMATS[fmt][2]) for fmt in ("csv", "geojson", "parquet", "acled.csv")
)


def _slug(text: str) -> str:
    """A piece of a file name: letters, digits and single dashes only (nothing that could
    leave the download folder)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def _short_name(actor: str, aliases: dict[str, list[str]]) -> str:
    """An actor's acronym when it has one (SDF for the Syrian Democratic Forces), else its name."""
    acronyms = sorted((a for a in aliases.get(actor, []) if a.isupper() and 2 <= len(a) <= 6), key=len)
    return acronyms[0] if acronyms else actor


def _dates_part(first: date | None, last: date | None) -> str:
    """ "2017-10" for a whole month, "2017" for a whole year, else the days."""
    if first and last:
        following = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        if (
            first.day == 1
            and (first.year, first.month) == (last.year, last.month)
            and following - timedelta(days=1) == last
        ):
            return f"{first:%Y-%m}"
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
            return f"{first:%Y}"
        return f"{first.isoformat()}-to-{last.isoformat()}"
    if first:
        return f"from-{first.isoformat()}"
    return f"to-{last.isoformat()}" if last else ""


def download_stem(
    event_filter: EventFilter, *, aliases: dict[str, list[str]] | None = None, noun: str = "events", longest: int = 100
) -> str:
    """A download's file name (without suffix) after the view it holds:
    sitrep-events-SDF-2017-10, sitrep-incidents-Battles-IQ, sitrep-events (everything)."""
    parts = [_short_name(a, aliases or {}) for a in event_filter.actors]
    parts += [*event_filter.event_types, *event_filter.countries, *event_filter.places]
    if event_filter.text.strip():
        parts.append(f"q-{event_filter.text.strip()}")
    parts.append(_dates_part(event_filter.date_from, event_filter.date_to))
    pieces = [_slug(p) for p in parts]
    stem = "-".join(["sitrep", noun, *(p for p in pieces if p)])
    return stem[:longest].rstrip("-")
