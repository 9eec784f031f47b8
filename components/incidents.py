"""The incidents view: one row per incident instead of one per report, and an incident's sources.

The facts of an incident (best place, narrowest date, death toll range and whether the sources
agree, outlets, actors) are data.incidents.incident_facts', vectorised (100,000 reports in well
under a second, as `incident_view()` runs on every rerun of the incidents view); the details
panel's data.incidents.incidents_frame is built on the same function, so the map, the table and
the panel never disagree. This module adds only the view plumbing and the words.

An incident is in the view when any of its reports passes the filters; it is then shown with
everything all its reports say (every source, the most precise place, the narrowest date), since
the corroboration is the point of the view. The row keeps the columns of the event frame, taken
from the report with the most precise place (its event_id is what a click selects), plus
`n_reports`, `n_sources` and `outlets`.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from components.format import date_words, fatalities_words, highlight, told_count
from data.incidents import incident_facts

SOURCE_COLUMNS = [
    "event_id",
    "article_id",
    "outlet",
    "published",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "excerpt",
    "excerpt_start",
    "spans",
    "mentions",
    "confidence",
]
# The columns of an incident's row that come from all its reports (the rest are its
# representative's: the report with the best place).
FACTS_SHOWN = [
    "date_start",
    "date_end",
    "date_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "n_reports",
    "n_sources",
    "outlets",
    "actors",
    "confidence",
]


def incident_keys(events: pd.DataFrame) -> pd.Series:
    """Each report's incident_id, or its own event_id when it has none (it stands alone)."""
    if "incident_id" not in events:
        return events["event_id"].astype(str)
    ids = events["incident_id"].fillna("").astype(str)
    return ids.where(ids != "", "event:" + events["event_id"].astype(str))


def incident_codes(events: pd.DataFrame) -> np.ndarray:
    """Each row's incident as a small integer (factorising strings is the slow part: do it once)."""
    codes, _ = pd.factorize(incident_keys(events).to_numpy(dtype=object))
    return codes


def members(reports: pd.DataFrame, events: pd.DataFrame, codes: np.ndarray | None = None) -> np.ndarray:
    """A mask of the rows of `events` (the corpus) in the incidents of any of `reports`."""
    codes = incident_codes(events) if codes is None else codes
    positions = events.index.get_indexer(reports.index)
    if (positions < 0).any():  # reports not labelled like the corpus: match by incident key
        return incident_keys(events).isin(set(incident_keys(reports))).to_numpy()
    return np.isin(codes, np.unique(codes[positions]))


def deaths_words(low: object, high: object, agree: object = True) -> str:
    """An incident's toll (data.incidents.incident_facts) in words: "22 killed", "10–15
    killed", "at least 24 killed", "up to 30 killed", "not reported"; "(sources differ)" after
    it when the sources give different figures."""
    return fatalities_words(None, low, high) + ("" if agree is pd.NA or agree else " (sources differ)")


def incident_view(reports: pd.DataFrame, events: pd.DataFrame, codes: np.ndarray | None = None) -> pd.DataFrame:
    """One row per incident that any of `reports` belongs to, built from all its reports in
    `events` (the normalised corpus; `codes` its incident_codes, when already computed). Rows
    keep the corpus's labels and order (those of each incident's representative). The facts
    are data.incidents.incident_facts'; here only the words of an incident of several reports
    (`_when`, `_deaths`) are added."""
    if reports.empty:
        out = reports.copy()
        for column, dtype in (("n_reports", int), ("n_sources", int), ("outlets", object)):
            out[column] = pd.Series(dtype=dtype)
        return out
    codes = incident_codes(events) if codes is None else codes
    mask = members(reports, events, codes)
    group = events if mask.all() else events[mask]
    facts = incident_facts(group, codes[mask])
    rows = facts["row"].to_numpy()
    out = group.iloc[rows].copy()
    out.index = facts.index
    for column in FACTS_SHOWN:
        out[column] = facts[column]
    many = facts.index[facts["n_reports"].to_numpy() > 1]
    if len(many):
        # Dates narrowed from the representative's need their own words.
        moved = np.zeros(len(out), dtype=bool)
        for column in ("date_start", "date_end", "date_precision"):
            own = pd.Series(group[column].to_numpy()[rows], index=out.index)
            moved |= out[column].ne(own).to_numpy()
        moved = moved[facts["n_reports"].to_numpy() > 1]
        changed = out.loc[many[moved]]
        when_starts = pd.to_datetime(changed["date_start"], errors="coerce")
        when_ends = pd.to_datetime(changed["date_end"], errors="coerce")
        out.loc[many[moved], "_when"] = [
            date_words(None if pd.isna(s) else s.date(), None if pd.isna(e) else e.date(), p)
            for s, e, p in zip(when_starts, when_ends, changed["date_precision"], strict=False)
        ]
        counted = facts.loc[many]
        out.loc[many, "_deaths"] = [
            deaths_words(lo, hi, a)
            for lo, hi, a in zip(
                counted["fatalities_low"], counted["fatalities_high"], counted["fatalities_agree"], strict=False
            )
        ]
    # Back to the corpus's row labels and order (that of each incident's representative).
    out.index = group.index[rows]
    return out.sort_index()


def incident_reports(event_id: str, events: pd.DataFrame) -> pd.DataFrame:
    """Every report of the incident of event_id (just that report when it has no incident)."""
    hit = events[events["event_id"] == event_id]
    if hit.empty:
        return hit
    return events[members(hit, events)].sort_values(
        ["published", "outlet", "event_id"], kind="mergesort", na_position="last"
    )


def source_figure(report: pd.Series | dict) -> str:
    """One source's deaths as words: "22 killed", "10–15 killed", "at least 24 killed", "up to 300
    killed", "not reported"."""
    return fatalities_words(report["fatalities"], report.get("fatalities_low"), report.get("fatalities_high"))


def sources_html(reports: pd.DataFrame, *, limit: int | None = None) -> str:
    """An incident's sources as escaped HTML: outlet, date published, deaths, highlighted excerpt.

    The deaths of each source sit side by side in a table, so disagreeing figures show at once.
    """
    rows = reports if limit is None else reports.head(limit)
    items = []
    for report in rows.to_dict(orient="records"):
        published = report.get("published")
        day = "" if published is None or pd.isna(published) else pd.Timestamp(published).strftime("%-d %b %Y")
        outlet = report.get("outlet") or report.get("article_id") or "unknown outlet"
        excerpt = highlight(report["excerpt"], report["spans"], offset=int(report["excerpt_start"]))
        told = told_count(report.get("mentions"))
        told = f"<br><small>told {told} times</small>" if told > 1 else ""
        items.append(
            f"<tr><td style='vertical-align:top;padding-right:.6em;white-space:nowrap'>"
            f"<b>{html.escape(str(outlet))}</b><br><small>{html.escape(day)}</small>{told}</td>"
            f"<td style='vertical-align:top;padding-right:.6em;white-space:nowrap'>"
            f"{html.escape(source_figure(report))}</td>"
            f"<td style='vertical-align:top'>{excerpt}</td></tr>"
        )
    more = (
        ""
        if limit is None or len(reports) <= limit
        else f"<tr><td colspan='3'><small>and {len(reports) - limit} more</small></td></tr>"
    )
    return (
        "<table class='sitrep-sources' style='border:none;font-size:.9em'>"
        "<tr><th style='text-align:left'>source</th><th style='text-align:left'>deaths</th>"
        "<th style='text-align:left'>excerpt</th></tr>" + "".join(items) + more + "</table>"
    )
