"""Pure formatting: dates in words, colours, escaped HTML for excerpts. No streamlit here.

Every HTML string built from article text goes through `html.escape` in this module; the map,
the details panel and the Sources page only assemble what it returns.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import pandas as pd

from data.incidents import figure_text
from data.operations import lineage, load_operations, operations_by_id

# Characters Markdown may give a meaning to: CommonMark lets any ASCII punctuation be escaped.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Where GitHub-flavoured Markdown's autolinks start ("http://…", "www.…", "name@host"). Streamlit
# finds them in the text after escapes are resolved, so escaping cannot stop them: an invisible
# WORD JOINER (U+2060) is put inside each, after the colon, before the dot, after the at sign.
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def markdown_literal(value: object) -> str:
    """Untrusted text (a URL parameter, a title, an outlet, a URL, a file name) for a Streamlit
    element that renders Markdown (st.subheader, st.caption, st.warning): every ASCII punctuation
    mark backslash-escaped, autolinks broken by an invisible word joiner and line breaks made
    spaces, so it shows as typed and forms no link, image, heading, emphasis, colour directive
    or formula."""
    text = _AUTOLINK_STARTS.sub(WORD_JOINER, " ".join(str(value).splitlines()))
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SEASONS = {(12, 2): "winter", (3, 5): "spring", (6, 8): "summer", (9, 11): "autumn"}

# ACLED's event types get fixed colours (colour-blind-safe Okabe-Ito order); others cycle.
TYPE_COLOURS = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#0072B2",
    "Violence against civilians": "#CC79A7",
    "Strategic developments": "#009E73",
    "Protests": "#E69F00",
    "Riots": "#56B4E9",
}
SPARE_COLOURS = ("#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD", "#F0E442")
UNTYPED = "(no type)"

# Radius in metres of the translucent area drawn for a place known only to this level.
UNCERTAINTY_M = {"site": 0, "district": 3_000, "city": 8_000, "region": 60_000, "country": 250_000}
GEO_WORDS = {
    "site": "exact site",
    "city": "city level",
    "district": "district level",
    "region": "region level",
    "country": "country level",
    "": "place unknown",
}
SPAN_CLASSES = {
    "date": "hl-date",
    "place": "hl-place",
    "actor": "hl-actor",
    "fatalities": "hl-fatal",
    "trigger": "hl-trigger",
}
# Highlight colours shared by the details panel, the Sources page and popups. A trigger is only
# underlined: a <mark> is bright yellow by default, which read as a date.
HIGHLIGHT_CSS = """
.hl-date{background:#fff3b0;border-radius:2px}
.hl-place{background:#c8f0d4;border-radius:2px}
.hl-actor{background:#d6e4ff;border-radius:2px}
.hl-fatal{background:#ffd2cc;border-radius:2px}
.hl-trigger{background:none;color:inherit;text-decoration:underline dotted}
"""


def type_colours(types: Iterable[str]) -> dict[str, str]:
    """A stable colour for each event type (known ACLED types first, then the spare palette)."""
    out: dict[str, str] = {}
    spare = 0
    for event_type in sorted(set(types)):
        if event_type in TYPE_COLOURS:
            out[event_type] = TYPE_COLOURS[event_type]
        else:
            out[event_type] = SPARE_COLOURS[spare % len(SPARE_COLOURS)]
            spare += 1
    return out


# Named operations get colours of Paul Tol's "muted" scheme, made to stay apart for colour-blind
# readers (https://personal.sron.nl/~pault/), strongest first: the light sand comes last, as it
# stands out least on the map's beige land. Past nine operations the colours repeat (the legend,
# tooltips and popups name each one). Events of no operation are a neutral grey.
OPERATION_PALETTE = (
    "#332288",
    "#CC6677",
    "#117733",
    "#882255",
    "#44AA99",
    "#88CCEE",
    "#999933",
    "#AA4499",
    "#DDCC77",
)
NO_OPERATION = "no named operation"
NO_OPERATION_COLOUR = "#A8A8A8"
# The side that took a place (progression map): Okabe-Ito's colours, black first.
SIDE_PALETTE = ("#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
# What the map and the timeline colour events by.
COLOUR_BY = ("type", "operation")


def operation_colours(operation_ids: Iterable[str]) -> dict[str, str]:
    """A colour for each of these operations and the named operations above them (a battle's
    campaign; a phase is coloured as its battle), given in the reference's order so that
    neighbours there (a battle and its campaign) differ. Pass the ids of the whole corpus, not
    of a filtered view: every page then gives an operation the same colour whatever the filters."""
    table = operations_by_id()
    wanted = {a for i in operation_ids if str(i) in table for a in lineage(str(i)) if table[a].kind != "phase"}
    ordered = [op.id for op in load_operations() if op.id in wanted]
    return {op_id: OPERATION_PALETTE[i % len(OPERATION_PALETTE)] for i, op_id in enumerate(ordered)}


def side_colours(sides: Iterable[str]) -> dict[str, str]:
    """A colour for each side that took a place, in alphabetical order (stable while Play runs:
    pass the sides of the whole view, not of the cut-off)."""
    return {side: SIDE_PALETTE[i % len(SIDE_PALETTE)] for i, side in enumerate(sorted({str(s) for s in sides if s}))}


def _day(value: object) -> date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp.date()


def _d(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _month_end(day: date) -> int:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return (following - date(day.year, day.month, 1)).days


def date_words(start: object, end: object, precision: str) -> str:
    """The interval in words at its precision: "17 Oct 2017", "early 2014", "Nov 2016"."""
    first, last = _day(start), _day(end)
    if first is None:
        return "date unknown"
    last = last or first
    same_month = (first.year, first.month) == (last.year, last.month)
    whole_month = same_month and first.day == 1 and last.day == _month_end(last)
    if precision == "day" or first == last:
        return _d(first)
    if precision == "month" or whole_month:
        return f"{MONTHS[first.month - 1]} {first.year}"
    if precision == "part":
        if same_month:
            part = "early" if last.day <= 11 else "late" if first.day >= 20 else "mid"
            return f"{part} {MONTHS[first.month - 1]} {first.year}"
        part = "early" if last.month <= 5 else "late" if first.month >= 8 else "mid"
        return f"{part} {first.year}"
    if precision == "year" and first.year == last.year:
        return str(first.year)
    if precision == "quarter":
        return f"Q{(first.month - 1) // 3 + 1} {first.year}"
    if precision == "half":
        return f"{'first' if first.month <= 6 else 'second'} half of {first.year}"
    if precision == "season":
        for (a, _b), name in SEASONS.items():
            if first.month == a:
                return f"{name} {last.year}"
    if precision == "week":
        return f"week of {_d(first)}"
    if first.year == last.year:
        if same_month:
            return f"{first.day}–{last.day} {MONTHS[first.month - 1]} {first.year}"
        return f"{first.day} {MONTHS[first.month - 1]} – {_d(last)}"
    return f"{_d(first)} – {_d(last)}"


def fatalities_words(value: object, low: object = None, high: object = None) -> str:
    """ "22 killed", "10–15 killed", "at least 24 killed", "up to 300 killed", or "not reported"
    (never 0 for unknown): the toll's text as in exports (data.incidents.figure_text), read from
    the bounds when given (the extractor writes "at least 24" as 24 with a low bound of 24 and no
    high one, "up to 300" as a high bound alone), else from the one figure, as
    data.incidents.fatality_bounds does."""

    def number(x: object) -> float:
        return math.nan if x is None or pd.isna(x) else float(x)

    low_end, high_end = number(low), number(high)
    if math.isnan(low_end) and math.isnan(high_end):
        low_end = high_end = number(value)
    text = figure_text(low_end, high_end, dash="–")
    return f"{text} killed" if text else "not reported"


def highlight(text: str, spans: Sequence[dict], *, offset: int = 0) -> str:
    """text as escaped HTML with each span wrapped in <mark class="hl-kind">.

    spans hold offsets into the article; offset is where text starts in it. Spans outside the
    text, overlapping an earlier span, or of an unknown kind are skipped.
    """
    pieces: list[str] = []
    cursor = 0
    usable = []
    for span in spans or []:
        try:
            start, end = int(span["start"]) - offset, int(span["end"]) - offset
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(text):
            usable.append((start, end, str(span.get("kind", ""))))
    for start, end, kind in sorted(usable):
        if start < cursor:
            continue
        css = SPAN_CLASSES.get(kind)
        if css is None:
            continue
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f'<mark class="{css}" title="{kind}">{html.escape(text[start:end])}</mark>')
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    return "".join(pieces)


def mention_offsets(event: pd.Series | dict) -> list[tuple[int, int]]:
    """The (start, end) of every sentence that tells the event, in article order, each once.

    The excerpt is always among them: a frame from before the `mentions` column (an old store,
    an empty list) has the excerpt as its one mention.
    """
    excerpt = (int(event["excerpt_start"]), int(event["excerpt_end"]))
    offsets = {excerpt}
    mentions = event.get("mentions")
    for mention in mentions if isinstance(mentions, (list, tuple)) else []:
        try:
            start, end = int(mention["start"]), int(mention["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end:
            offsets.add((start, end))
    return sorted(offsets)


def told_count(mentions: object) -> int:
    """How many sentences tell the event (at least one: its excerpt)."""
    return max(len(mentions), 1) if isinstance(mentions, (list, tuple)) else 1


def told_words(count: int) -> str:
    """ "Told 3 times in this article"; "" for an event told once."""
    return f"Told {count} times in this article" if count > 1 else ""


def place_words(place: str, geo_precision: str, country: str) -> str:
    """ "Raqqa (city level, SY)"; "place unknown" when the event could not be placed."""
    if not place:
        return "place unknown"
    where = ", ".join(p for p in (GEO_WORDS.get(geo_precision, geo_precision), country) if p)
    return f"{place} ({where})" if where else place


def legend_html(colours: dict[str, str], counts: dict[str, int]) -> str:
    """The map legend as escaped HTML: a swatch per event type with its count, and the areas."""
    items = "".join(
        f'<span style="margin-right:1em;white-space:nowrap">'
        f'<span style="display:inline-block;width:.8em;height:.8em;border-radius:50%;'
        f'background:{colour};margin-right:.3em"></span>{html.escape(event_type)} '
        f'<span style="color:#777">({counts.get(event_type, 0)})</span></span>'
        for event_type, colour in colours.items()
    )
    note = (
        '<span style="color:#555;white-space:nowrap">dot size: deaths · dashed dot and shaded '
        "circle: place known only to city, region or country</span>"
    )
    return f'<div class="sitrep-legend" style="font-size:.85em">{items}<br>{note}</div>'


def with_display_columns(events: pd.DataFrame) -> pd.DataFrame:
    """events with `_when` (date in words), `_deaths` (deaths in words) and `_told` (how many
    sentences of its article tell the event) for the pages.

    Computed once per corpus (components.state caches the result); the leading underscore keeps
    them out of the table and the downloads.
    """
    if "_when" in events and "_deaths" in events and "_told" in events:
        return events
    out = events.copy()
    starts = pd.to_datetime(out["date_start"], errors="coerce").dt.date
    ends = pd.to_datetime(out["date_end"], errors="coerce").dt.date
    out["_when"] = [
        date_words(None if pd.isna(s) else s, None if pd.isna(e) else e, p)
        for s, e, p in zip(starts, ends, out["date_precision"], strict=False)
    ]
    out["_deaths"] = [
        fatalities_words(v, lo, hi)
        for v, lo, hi in zip(out["fatalities"], out["fatalities_low"], out["fatalities_high"], strict=False)
    ]
    out["_told"] = [told_count(m) for m in out["mentions"]] if "mentions" in out else 1
    return out
