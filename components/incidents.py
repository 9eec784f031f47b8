"""The incidents view: one row per incident instead of one per report, and an incident's sources.

`incident_view()` is vectorised (100,000 reports in well under a second) because it runs on every
rerun of the incidents view; data.incidents.incidents_frame builds the same facts with a Python
loop per incident (~10 ms each), so it is used for the one incident in the details panel.

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

from components.format import date_words, fatalities_words, highlight
from data.incidents import BASIS_RANK, GEO_RANK, PRECISION_RANK

SOURCE_COLUMNS = ["event_id", "article_id", "outlet", "published", "date_start", "date_end",
                  "date_precision", "place", "fatalities", "fatalities_low", "fatalities_high",
                  "excerpt", "excerpt_start", "spans", "confidence"]


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


def members(reports: pd.DataFrame, events: pd.DataFrame,
            codes: np.ndarray | None = None) -> np.ndarray:
    """A mask of the rows of `events` (the corpus) in the incidents of any of `reports`."""
    codes = incident_codes(events) if codes is None else codes
    positions = events.index.get_indexer(reports.index)
    if (positions < 0).any():  # reports not labelled like the corpus: match by incident key
        return incident_keys(events).isin(set(incident_keys(reports))).to_numpy()
    return np.isin(codes, np.unique(codes[positions]))


def _first_rows(keys: np.ndarray, ranks: list, ascending: list[bool]) -> np.ndarray:
    """Positions of each key's first row when sorted by ranks; ordered by key."""
    order = pd.DataFrame({"key": keys, **{f"r{i}": np.asarray(r) for i, r in enumerate(ranks)}})
    order = order.sort_values(list(order.columns), ascending=[True, *ascending],
                              kind="mergesort")
    first = ~order["key"].duplicated().to_numpy()
    return order.index.to_numpy()[first]


def incident_view(reports: pd.DataFrame, events: pd.DataFrame,
                  codes: np.ndarray | None = None) -> pd.DataFrame:
    """One row per incident that any of `reports` belongs to, built from all its reports in
    `events` (the normalised corpus; `codes` its incident_codes, when already computed). Rows
    keep the corpus's labels and order (those of each incident's representative)."""
    if reports.empty:
        out = reports.copy()
        for column, dtype in (("n_reports", int), ("n_sources", int), ("outlets", object)):
            out[column] = pd.Series(dtype=dtype)
        return out
    codes = incident_codes(events) if codes is None else codes
    mask = members(reports, events, codes)
    group = events if mask.all() else events[mask]
    keys = codes[mask]
    place_ids, _ = pd.factorize(group["place_id"].to_numpy(dtype=object))
    votes = pd.Series(keys).groupby([keys, place_ids]).transform("size").to_numpy()
    votes = np.where(group["place_id"].to_numpy(dtype=object) != "", votes, 0)
    confidence = group["confidence"].to_numpy(dtype=float)
    event_ids = group["event_id"].to_numpy(dtype=object)
    place_best = _first_rows(keys, [group["geo_precision"].map(GEO_RANK).fillna(5), votes,
                                    confidence, event_ids], [True, False, False, True])
    date_best = _first_rows(
        keys, [group["date_precision"].map(PRECISION_RANK).fillna(9),
               group["date_basis"].map(BASIS_RANK).fillna(9), confidence, event_ids],
        [True, True, False, True])
    out = group.iloc[place_best].copy()
    row_keys = keys[place_best]  # ascending: _first_rows sorts by key first
    out.index = row_keys
    by_key = pd.Series(keys)

    # Dates: the best-dated report's, narrowed to what every dated source allows.
    for column in ("date_start", "date_end", "date_precision"):
        out[column] = group[column].to_numpy()[date_best]
    starts, ends = group["date_start"], group["date_end"]
    dated = starts.notna().to_numpy()
    if dated.any():
        spans = pd.DataFrame({"low": starts.to_numpy()[dated], "high": ends.to_numpy()[dated]})
        spans = spans.groupby(keys[dated]).agg(low=("low", "max"), high=("high", "min"),
                                               n=("low", "size"))
        spans = spans[(spans["n"] > 1) & (spans["low"] <= spans["high"])]
        spans = spans[(spans["low"] != out.loc[spans.index, "date_start"])
                      | (spans["high"] != out.loc[spans.index, "date_end"])]
        out.loc[spans.index, "date_start"] = spans["low"]
        out.loc[spans.index, "date_end"] = spans["high"]
        out.loc[spans.index, "date_precision"] = np.where(spans["low"] == spans["high"], "day",
                                                          "range")

    # Deaths: the range over the sources' figures; one figure only when they all agree.
    exact_figure = group["fatalities"].astype("Float64")
    low = group["fatalities_low"].astype("Float64").fillna(exact_figure).to_numpy(
        dtype=float, na_value=np.nan)
    high = group["fatalities_high"].astype("Float64").fillna(exact_figure).to_numpy(
        dtype=float, na_value=np.nan)
    figures = pd.DataFrame({"low": low, "high": high}).groupby(keys).agg(
        low_min=("low", "min"), low_max=("low", "max"), high_min=("high", "min"),
        high_max=("high", "max")).loc[row_keys]
    both_missing = figures["low_min"].isna() & figures["high_max"].isna()
    agree = (((figures["low_min"] == figures["low_max"]) | figures["low_min"].isna())
             & ((figures["high_min"] == figures["high_max"]) | figures["high_max"].isna()))
    agree |= both_missing
    exact = agree & (figures["low_min"] == figures["high_max"])
    out["fatalities_low"] = figures["low_min"].round().astype("Int64")
    out["fatalities_high"] = figures["high_max"].round().astype("Int64")
    out["fatalities"] = figures["low_min"].where(exact).round().astype("Int64")

    outlet = group["outlet"].to_numpy(dtype=object)
    sources = np.where(outlet != "", outlet, group["article_id"].to_numpy(dtype=object))
    counts = by_key.value_counts().loc[row_keys]
    out["n_reports"] = counts.to_numpy(dtype=int)
    out["n_sources"] = pd.Series(sources).groupby(keys).nunique().loc[row_keys].to_numpy(
        dtype=int)
    out["confidence"] = pd.Series(confidence).groupby(keys).max().loc[row_keys].to_numpy()
    out["outlets"] = [[s] for s in sources[place_best]]
    many = counts.index[counts.to_numpy() > 1]
    if len(many):
        in_many = np.isin(keys, many)
        order = np.argsort(keys[in_many], kind="stable")
        many_keys = keys[in_many][order]
        actors = group["actors"].to_numpy(dtype=object)[in_many][order]
        many_sources = sources[in_many][order]
        cuts = np.flatnonzero(np.diff(many_keys)) + 1
        firsts = many_keys[np.r_[0, cuts]]
        union = [sorted({a for listed in part for a in listed})
                 for part in np.split(actors, cuts)]
        outlets = [sorted(set(part)) for part in np.split(many_sources, cuts)]
        out.loc[firsts, "actors"] = pd.Series(union, index=firsts, dtype=object)
        out.loc[firsts, "outlets"] = pd.Series(outlets, index=firsts, dtype=object)
        representative = group.iloc[place_best]
        representative.index = row_keys
        moved = ((out["date_start"].ne(representative["date_start"])
                  | out["date_end"].ne(representative["date_end"])
                  | out["date_precision"].ne(representative["date_precision"]))
                 .loc[firsts].to_numpy(dtype=bool))
        changed = out.loc[firsts[moved]]
        when_starts = pd.to_datetime(changed["date_start"], errors="coerce")
        when_ends = pd.to_datetime(changed["date_end"], errors="coerce")
        out.loc[firsts[moved], "_when"] = [
            date_words(None if pd.isna(s) else s.date(), None if pd.isna(e) else e.date(), p)
            for s, e, p in zip(when_starts, when_ends, changed["date_precision"])]
        counted = out.loc[firsts]
        out.loc[firsts, "_deaths"] = [
            fatalities_words(v, lo, hi) + ("" if a else " (sources differ)")
            for v, lo, hi, a in zip(counted["fatalities"], counted["fatalities_low"],
                                    counted["fatalities_high"], agree.loc[firsts])]
    for column in ("date_start", "date_end"):
        out[column] = pd.to_datetime(out[column], errors="coerce")
    # Back to the corpus's row labels and order (that of each incident's representative).
    out.index = group.index[place_best]
    return out.sort_index()


def incident_reports(event_id: str, events: pd.DataFrame) -> pd.DataFrame:
    """Every report of the incident of event_id (just that report when it has no incident)."""
    hit = events[events["event_id"] == event_id]
    if hit.empty:
        return hit
    return events[members(hit, events)].sort_values(["published", "outlet", "event_id"],
                                            kind="mergesort", na_position="last")


def source_figure(report: pd.Series | dict) -> str:
    """One source's deaths as words: "22 killed", "10–15 killed", "not reported"."""
    return fatalities_words(report["fatalities"], report.get("fatalities_low"),
                            report.get("fatalities_high"))


def sources_html(reports: pd.DataFrame, *, limit: int | None = None) -> str:
    """An incident's sources as escaped HTML: outlet, date published, deaths, highlighted excerpt.

    The deaths of each source sit side by side in a table, so disagreeing figures show at once.
    """
    rows = reports if limit is None else reports.head(limit)
    items = []
    for report in rows.to_dict(orient="records"):
        published = report.get("published")
        day = "" if published is None or pd.isna(published) else \
            pd.Timestamp(published).strftime("%-d %b %Y")
        outlet = report.get("outlet") or report.get("article_id") or "unknown outlet"
        excerpt = highlight(report["excerpt"], report["spans"], offset=int(report["excerpt_start"]))
        items.append(
            f"<tr><td style='vertical-align:top;padding-right:.6em;white-space:nowrap'>"
            f"<b>{html.escape(str(outlet))}</b><br><small>{html.escape(day)}</small></td>"
            f"<td style='vertical-align:top;padding-right:.6em;white-space:nowrap'>"
            f"{html.escape(source_figure(report))}</td>"
            f"<td style='vertical-align:top'>{excerpt}</td></tr>")
    more = "" if limit is None or len(reports) <= limit else \
        f"<tr><td colspan='3'><small>and {len(reports) - limit} more</small></td></tr>"
    return ("<table class='sitrep-sources' style='border:none;font-size:.9em'>"
            "<tr><th style='text-align:left'>source</th><th style='text-align:left'>deaths</th>"
            "<th style='text-align:left'>excerpt</th></tr>" + "".join(items) + more + "</table>")
