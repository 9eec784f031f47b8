"""Corroboration: group reports of the same real event, across articles, into incidents.

A report is one row of the event frame (one event as one article tells it). Two reports are
*compatible* when all of these hold:

  1. type     the same ACLED event_type (sub-types may differ: "overtakes territory" vs "clash");
  2. date     both dated, each interval at most MAX_INTERVAL_DAYS long, and the intervals overlap
              once widened by DATE_SLACK_DAYS (a lead dated to publication vs "on Monday");
  3. place    both located; site/city/district within MAX_KM (geopy great-circle distance);
              a region only with the same region; a country never (a centroid is not a place);
  4. actors   they share an actor, or one of them names none (missing is not disagreement);
              a group's actors are taken together, since each sentence names only some sides;
              the same sub-type in the same named place needs no shared actor.

Reports of the *same article* are merged only when they are clear duplicates — same type and
sub-type, the same place_id, the same date interval, compatible actors — because an article
often restates its lead further down (that is one event, and leaving it out would inflate the
incident count), while two different strikes in one article are usually told with something
different (the day, the place or the kind of attack).

Merging is complete linkage on type, date and place: an incident is a set of reports that are
*pairwise* compatible in those, so a nine-month offensive reported day by day never chains into
one incident. Candidate pairs are
merged greedily in a fixed order (closest dates, then nearest places, then event ids), which
makes the result deterministic and independent of the order of the rows. Every report gets an
`incident_id`, singletons included: "inc_" + a hash of the event_id of the incident's earliest
report (earliest published, then smallest event_id), so adding later coverage keeps the id.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import pandas as pd
from geopy.distance import great_circle

log = logging.getLogger(__name__)

# Reports of one event name the town, a district of it or a village beside it: 25 km holds
# Mosul and its eastern suburbs, and keeps Manbij and Jarabulus (33 km apart) apart.
MAX_KM = 25.0
# "On Monday" against a lead dated to the publication day: one day either way.
DATE_SLACK_DAYS = 1
# Past ten days (early/mid/late of a month) a date no longer says whether it is the same event.
MAX_INTERVAL_DAYS = 10
# Grid cell for finding candidate pairs: 0.5 degree (about 55 km) is more than MAX_KM.
CELL_DEGREES = 0.5
LINKABLE_GEO = ("site", "district", "city", "region")
GEO_RANK = {"site": 0, "district": 1, "city": 2, "region": 3, "country": 4, "": 5}
PRECISION_RANK = {
    "day": 0,
    "week": 1,
    "part": 2,
    "month": 3,
    "quarter": 4,
    "season": 4,
    "half": 5,
    "year": 6,
    "range": 7,
    "unknown": 9,
}
BASIS_RANK = {"explicit": 0, "relative": 1, "context": 2, "publication": 3, "none": 4}

INCIDENT_COLUMNS = [
    "incident_id",
    "n_reports",
    "n_articles",
    "n_sources",
    "outlets",
    "article_ids",
    "event_ids",
    "event_type",
    "sub_event_types",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "place_id",
    "country",
    "admin1",
    "lat",
    "lon",
    "geo_precision",
    "actors",
    "fatalities_by_source",
    "fatalities_low",
    "fatalities_high",
    "fatalities_agree",
    "fatalities_text",
    "first_published",
    "confidence",
]


def incident_id_for(event_id: str) -> str:
    """The id of an incident whose earliest report has this event_id."""
    return "inc_" + hashlib.sha1(f"incident|{event_id}".encode()).hexdigest()[:16]


class _Report:
    """The fields of one report that merging looks at."""

    __slots__ = (
        "row",
        "event_id",
        "article_id",
        "event_type",
        "sub_event_type",
        "start",
        "end",
        "lat",
        "lon",
        "geo",
        "place_id",
        "actors",
    )

    def __init__(self, row: int, record: dict) -> None:
        self.row = row
        self.event_id = record["event_id"]
        self.article_id = record["article_id"]
        self.event_type = record["event_type"]
        self.sub_event_type = record["sub_event_type"]
        self.start: date = record["date_start"]
        self.end: date = record["date_end"]
        self.lat = float(record["lat"])
        self.lon = float(record["lon"])
        self.geo = record["geo_precision"]
        self.place_id = record["place_id"]
        self.actors = frozenset(record["actors"] or ())


def _linkable(record: dict) -> bool:
    """Whether a report carries enough date and place to be merged with another."""
    start, end, lat = record["date_start"], record["date_end"], record["lat"]
    if not isinstance(start, date) or not isinstance(end, date) or lat is None or not math.isfinite(float(lat)):
        return False
    if not record["event_type"]:
        return False
    return (end - start).days < MAX_INTERVAL_DAYS and record["geo_precision"] in LINKABLE_GEO + ("country",)


def _date_gap(a: _Report, b: _Report) -> int:
    """Days between two intervals; 0 when they overlap."""
    return max(0, (b.start - a.end).days, (a.start - b.end).days)


def compatible(a: _Report, b: _Report) -> tuple[bool, float]:
    """Whether type, date and place allow two reports to tell the same event; their distance in km.

    Actors are checked apart (see _share_actors): a sentence names only some of an event's sides.
    """
    if a.event_type != b.event_type:
        return False, math.inf
    distance = great_circle((a.lat, a.lon), (b.lat, b.lon)).km
    if a.article_id == b.article_id:
        duplicate = (
            a.sub_event_type == b.sub_event_type
            and a.place_id == b.place_id
            and a.place_id != ""
            and a.start == b.start
            and a.end == b.end
        )
        return duplicate, distance
    if _date_gap(a, b) > DATE_SLACK_DAYS:
        return False, math.inf
    if "country" in (a.geo, b.geo):
        return False, math.inf
    if "region" in (a.geo, b.geo):
        return a.place_id == b.place_id and a.place_id != "", distance
    return distance <= MAX_KM, distance


def _share_actors(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sets of actors agree when they share one or either is empty (missing is not disagreement)."""
    return not a or not b or bool(a & b)


def _candidate_pairs(reports: list[_Report]) -> list[tuple[tuple, int, int]]:
    """Pairs (i < j) compatible in type, date and place, with their merge-order key; found through a
    type/grid/date index so that the work grows with the density of reports, not its square."""
    cells: dict[tuple, list[tuple[date, int]]] = defaultdict(list)
    for index, report in enumerate(reports):
        cell = (report.event_type, math.floor(report.lat / CELL_DEGREES), math.floor(report.lon / CELL_DEGREES))
        cells[cell].append((report.start, index))
    for members in cells.values():
        members.sort()
    reach = timedelta(days=MAX_INTERVAL_DAYS + DATE_SLACK_DAYS)
    pairs = []
    for i, a in enumerate(reports):
        ci, cj = math.floor(a.lat / CELL_DEGREES), math.floor(a.lon / CELL_DEGREES)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                members = cells.get((a.event_type, ci + di, cj + dj))
                if not members:
                    continue
                low = bisect.bisect_left(members, (a.start - reach, -1))
                high = bisect.bisect_right(members, (a.end + timedelta(days=DATE_SLACK_DAYS), len(reports)))
                for _, j in members[low:high]:
                    if j <= i:
                        continue
                    b = reports[j]
                    ok, distance = compatible(a, b)
                    if ok:
                        first, second = sorted((a.event_id, b.event_id))
                        key = (_date_gap(a, b), round(distance, 3), -len(a.actors & b.actors), first, second)
                        pairs.append((key, i, j))
    pairs.sort()
    return pairs


def assign_incidents(events: pd.DataFrame) -> pd.Series:
    """incident_id of every report (index aligned with `events`); deterministic, order-independent.

    Pairs compatible in type, date and place that share an actor (or where one names none) are
    merged closest first; two groups merge only when every report of one is compatible in type,
    date and place with every report of the other (complete linkage: no chains) and the groups'
    actors agree taken together (each sentence names only some of an event's sides).
    """
    if events.empty:
        return pd.Series([], index=events.index, name="incident_id", dtype=events["event_id"].dtype)
    records = events[
        [
            "event_id",
            "article_id",
            "event_type",
            "sub_event_type",
            "date_start",
            "date_end",
            "lat",
            "lon",
            "geo_precision",
            "place_id",
            "actors",
            "published",
        ]
    ].to_dict(orient="records")
    reports = [_Report(row, record) for row, record in enumerate(records) if _linkable(record)]
    pairs = _candidate_pairs(reports)
    allowed = {(i, j) for _, i, j in pairs}
    parent = list(range(len(reports)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(reports))}
    actors: dict[int, frozenset[str]] = {i: report.actors for i, report in enumerate(reports)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in pairs:
        a, b = reports[i], reports[j]
        # The same kind of event in the same named place on the same days: the actor lists are
        # partial views of one event (one sentence names the attackers, another their air support).
        same_story = a.sub_event_type == b.sub_event_type and a.place_id == b.place_id != ""
        if not same_story and not _share_actors(a.actors, b.actors):
            continue  # this pair is no evidence of one event; others may still join the groups
        root_i, root_j = find(i), find(j)
        if root_i == root_j or (not same_story and not _share_actors(actors[root_i], actors[root_j])):
            continue
        if all((min(x, y), max(x, y)) in allowed for x in members[root_i] for y in members[root_j]):
            parent[root_j] = root_i
            members[root_i].extend(members.pop(root_j))
            actors[root_i] = actors[root_i] | actors.pop(root_j)

    group_of_row = list(range(len(records)))  # unlinkable reports are their own group
    for index, report in enumerate(reports):
        group_of_row[report.row] = -1 - find(index)
    groups: dict[int, list[int]] = defaultdict(list)
    for row, group in enumerate(group_of_row):
        groups[group].append(row)
    ids = [""] * len(records)
    for rows in groups.values():
        earliest = min(rows, key=lambda r: _earliest_key(records[r]))
        incident = incident_id_for(records[earliest]["event_id"])
        for row in rows:
            ids[row] = incident
    log.info("%d reports -> %d incidents", len(records), len(groups))
    return pd.Series(ids, index=events.index, name="incident_id", dtype=events["event_id"].dtype)


def _earliest_key(record: dict) -> tuple:
    published = record["published"]
    return (not isinstance(published, date), published if isinstance(published, date) else date.max, record["event_id"])


def with_incidents(events: pd.DataFrame) -> pd.DataFrame:
    """A copy of the event frame with its incident_id column filled in."""
    out = events.copy()
    out["incident_id"] = assign_incidents(events)
    return out


# One row per incident. The facts of an incident (where, when, how many dead, who told it) are
# computed once, here, vectorised: components.incidents.incident_view shows them for the whole
# corpus on every rerun and incidents_frame adds the columns of an export to them.
FACT_COLUMNS = [
    "row",
    "date_start",
    "date_end",
    "date_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "fatalities_agree",
    "n_reports",
    "n_sources",
    "outlets",
    "actors",
    "confidence",
]


def _floats(column: pd.Series) -> np.ndarray:
    """A column of counts as floats, NaN where missing."""
    return pd.to_numeric(column, errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def fatality_bounds(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each report's death toll as (low, high), NaN for an open or missing end: its bounds as
    given ("at least 24" is 24, NaN whether `fatalities` holds 24 or not), or its one figure as
    both when it gives no bound ("24" is 24, 24)."""
    exact = _floats(events["fatalities"])
    low, high = _floats(events["fatalities_low"]), _floats(events["fatalities_high"])
    no_bounds = np.isnan(low) & np.isnan(high)
    return np.where(no_bounds, exact, low), np.where(no_bounds, exact, high)


def figure_text(low: float, high: float, *, dash: str = "-") -> str:
    """A source's toll (fatality_bounds) as text: '135', '100-120', 'at least 24', 'up to 30';
    "" when it gives none. `dash` between the two figures of a range."""
    if math.isnan(low) and math.isnan(high):
        return ""
    if math.isnan(high):
        return f"at least {int(low)}"
    if math.isnan(low):
        return f"up to {int(high)}"
    return str(int(low)) if low == high else f"{int(low)}{dash}{int(high)}"


def _first_rows(keys: np.ndarray, ranks: list, ascending: list[bool]) -> np.ndarray:
    """Positions of each key's first row when sorted by ranks; ordered by key."""
    order = pd.DataFrame({"key": keys, **{f"r{i}": np.asarray(r) for i, r in enumerate(ranks)}})
    order = order.sort_values(list(order.columns), ascending=[True, *ascending], kind="mergesort")
    first = ~order["key"].duplicated().to_numpy()
    return order.index.to_numpy()[first]


def _sorted_sets(keys: np.ndarray, values: np.ndarray, *, flatten: bool = False) -> tuple[np.ndarray, list]:
    """The distinct keys (ascending) and, for each, the sorted distinct values of its rows (of
    the items of its rows' lists when flatten)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cuts = np.flatnonzero(np.diff(sorted_keys)) + 1
    parts = np.split(values[order], cuts)
    if flatten:
        sets = [sorted({item for listed in part for item in (listed or ())}) for part in parts]
    else:
        sets = [sorted(set(part)) for part in parts]
    return sorted_keys[np.r_[0, cuts]] if len(keys) else sorted_keys, sets


def incident_facts(events: pd.DataFrame, keys: np.ndarray) -> pd.DataFrame:
    """The facts of each incident from all its reports: one row per key (`keys`: each row's
    incident as a non-negative integer), indexed by key, ascending. The rules, in one place:

    row             position in `events` of the report with the best place (its geo precision,
                    then how many of the incident's reports name its place_id, confidence,
                    event_id): the incident's place and its representative;
    date_*          the best-dated report's interval (date precision, then basis, confidence,
                    event_id), narrowed to the interval every dated report allows when there is
                    one ("day" when that is a day, else "range"); datetime64;
    fatalities_low, fatalities_high
                    the smallest and largest figure any report gives (fatality_bounds), an end
                    left open (NA) when the figure at it is a bound only: "24" and "at least 30"
                    are at least 24; "135" and "at least 100" are 100-135;
    fatalities_agree
                    every report that gives a toll gives the same one, bounds included: "24" and
                    "at least 24" differ (one leaves the toll open); NA when none gives a toll;
    fatalities      the reported deaths when the reports agree (the smallest `fatalities` they
                    carry), else NA: never one figure of several;
    n_reports, n_sources, outlets
                    reports, and distinct outlets (a report without one counts its article);
    actors          every actor any of its reports names, sorted; a lone report's own list, as
                    it is (actor1 first);
    confidence      the highest.
    """
    keys = np.asarray(keys)
    place_id = events["place_id"].fillna("").to_numpy(dtype=object)
    place_codes, _ = pd.factorize(place_id)
    votes = pd.Series(keys).groupby([keys, place_codes]).transform("size").to_numpy()
    votes = np.where(place_id != "", votes, 0)
    confidence = events["confidence"].to_numpy(dtype=float)
    event_ids = events["event_id"].to_numpy(dtype=object)
    rows = _first_rows(
        keys,
        [events["geo_precision"].map(GEO_RANK).fillna(5), votes, confidence, event_ids],
        [True, False, False, True],
    )
    date_best = _first_rows(
        keys,
        [
            events["date_precision"].map(PRECISION_RANK).fillna(9),
            events["date_basis"].map(BASIS_RANK).fillna(9),
            confidence,
            event_ids,
        ],
        [True, True, False, True],
    )
    row_keys = keys[rows]
    facts = pd.DataFrame({"row": rows}, index=row_keys)

    # Dates: the best-dated report's, narrowed to what every dated report allows.
    starts = pd.to_datetime(events["date_start"], errors="coerce").to_numpy()
    ends = pd.to_datetime(events["date_end"], errors="coerce").to_numpy()
    facts["date_start"], facts["date_end"] = starts[date_best], ends[date_best]
    facts["date_precision"] = events["date_precision"].to_numpy(dtype=object)[date_best]
    dated = ~(np.isnat(starts) | np.isnat(ends))
    if dated.any():
        spans = (
            pd.DataFrame({"low": starts[dated], "high": ends[dated]})
            .groupby(keys[dated])
            .agg(low=("low", "max"), high=("high", "min"), n=("low", "size"))
        )
        spans = spans[(spans["n"] > 1) & (spans["low"] <= spans["high"])]
        spans = spans[
            (spans["low"] != facts.loc[spans.index, "date_start"])
            | (spans["high"] != facts.loc[spans.index, "date_end"])
        ]
        facts.loc[spans.index, "date_start"] = spans["low"]
        facts.loc[spans.index, "date_end"] = spans["high"]
        facts.loc[spans.index, "date_precision"] = np.where(spans["low"] == spans["high"], "day", "range")

    # Deaths: the range over the reports' figures; one figure only when they all agree.
    low, high = fatality_bounds(events)
    told = ~(np.isnan(low) & np.isnan(high))
    tl, th = low[told], high[told]
    figures = pd.DataFrame(
        {
            "low": tl,
            "high": th,
            "low_or_open": np.nan_to_num(tl, nan=-1.0),
            "high_or_open": np.nan_to_num(th, nan=-1.0),
            "bound_low": np.where(np.isnan(th), tl, np.nan),  # "at least": no figure above it
            "bound_high": np.where(np.isnan(tl), th, np.nan),  # "up to": no figure below it
            "reported": _floats(events["fatalities"])[told],
        }
    ).groupby(keys[told])
    least, most = figures.min().reindex(row_keys), figures.max().reindex(row_keys)
    given = most["low_or_open"].notna().to_numpy()
    agree = ((least["low_or_open"] == most["low_or_open"]) & (least["high_or_open"] == most["high_or_open"])).to_numpy()
    low_end = least["low"].where(~(least["bound_high"] <= least["low"]))
    high_end = most["high"].where(~(most["bound_low"] >= most["high"]))
    facts["fatalities_low"] = low_end.round().astype("Int64").array
    facts["fatalities_high"] = high_end.round().astype("Int64").array
    facts["fatalities_agree"] = pd.array(agree, dtype="boolean")
    facts.loc[~given, "fatalities_agree"] = pd.NA
    facts["fatalities"] = least["reported"].where(agree).round().astype("Int64").array

    # Who told it.
    outlet = events["outlet"].fillna("").to_numpy(dtype=object)
    sources = np.where(outlet != "", outlet, events["article_id"].to_numpy(dtype=object))
    counts = pd.Series(keys).value_counts().reindex(row_keys).to_numpy(dtype=int)
    facts["n_reports"] = counts
    facts["n_sources"] = pd.Series(sources).groupby(keys).nunique().reindex(row_keys).to_numpy(dtype=int)
    facts["confidence"] = pd.Series(confidence).groupby(keys).max().reindex(row_keys).to_numpy()
    actors = events["actors"].to_numpy(dtype=object)
    outlets = [[s] for s in sources[rows]]
    listed = list(actors[rows])  # a lone report's own list, in its order (sorting it costs 10%)
    many = np.flatnonzero(counts > 1)
    if len(many):
        in_many = np.isin(keys, row_keys[many])
        _, many_outlets = _sorted_sets(keys[in_many], sources[in_many])
        _, many_actors = _sorted_sets(keys[in_many], actors[in_many], flatten=True)
        for position, these, who in zip(many, many_outlets, many_actors, strict=False):
            outlets[position], listed[position] = these, who
    facts["outlets"] = pd.Series(outlets, index=row_keys, dtype=object)
    facts["actors"] = pd.Series(listed, index=row_keys, dtype=object)
    return facts[FACT_COLUMNS]


def incidents_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per incident (INCIDENT_COLUMNS): the facts of incident_facts — most precise place,
    narrowest date interval, death toll range and whether the sources agree, outlets, actors —
    with its reports' ids and each source's fatality figure side by side
    (`fatalities_by_source`, `fatalities_text`: "Reuters: 22 · AFP: at least 25"). Uses
    `incident_id` when filled, else merges first. Rows are sorted by n_sources (most
    corroborated first), then date_start (undated last) and incident_id.
    """
    if "incident_id" not in events.columns or (events["incident_id"].fillna("") == "").any():
        events = with_incidents(events)
    if events.empty:
        return pd.DataFrame(columns=INCIDENT_COLUMNS)
    keys, ids = pd.factorize(events["incident_id"].to_numpy(dtype=object), sort=True)
    facts = incident_facts(events, keys)
    rep = events.iloc[facts["row"].to_numpy()]
    frame = pd.DataFrame({"incident_id": np.asarray(ids, dtype=object)[facts.index]})

    def column(name: str) -> np.ndarray:
        return facts[name].to_numpy()

    article_ids = events["article_id"].to_numpy(dtype=object)
    _, by_article = _sorted_sets(keys, article_ids)
    _, by_event = _sorted_sets(keys, events["event_id"].to_numpy(dtype=object))
    subs = events["sub_event_type"].fillna("").to_numpy(dtype=object)
    frame["n_reports"] = column("n_reports")
    frame["n_articles"] = [len(a) for a in by_article]
    frame["n_sources"] = column("n_sources")
    frame["outlets"] = column("outlets")
    frame["article_ids"] = by_article
    frame["event_ids"] = by_event
    frame["event_type"] = rep["event_type"].to_numpy(dtype=object)
    frame["sub_event_types"] = [[s for s in part if s] for part in _sorted_sets(keys, subs)[1]]
    frame["date_start"] = _days(column("date_start"))
    frame["date_end"] = _days(column("date_end"))
    frame["date_precision"] = column("date_precision")
    for name in ("place", "place_id", "country", "admin1"):
        frame[name] = rep[name].to_numpy(dtype=object)
    frame["lat"] = pd.to_numeric(rep["lat"], errors="coerce").to_numpy(dtype=float)
    frame["lon"] = pd.to_numeric(rep["lon"], errors="coerce").to_numpy(dtype=float)
    frame["geo_precision"] = rep["geo_precision"].to_numpy(dtype=object)
    frame["actors"] = column("actors")
    by_source = _fatalities_by_source(events, keys, len(frame))
    frame["fatalities_by_source"] = by_source
    frame["fatalities_low"] = facts["fatalities_low"].array
    frame["fatalities_high"] = facts["fatalities_high"].array
    # Python True/False/None (object), so that `agree is False` holds for a row of it.
    frame["fatalities_agree"] = pd.Series(
        [None if pd.isna(a) else bool(a) for a in column("fatalities_agree")], dtype=object
    )
    frame["fatalities_text"] = [" · ".join(f"{s['outlet']}: {s['figure']}" for s in sources) for sources in by_source]
    published = pd.Series(pd.to_datetime(events["published"], errors="coerce").to_numpy())
    frame["first_published"] = _days(published.groupby(keys).min().reindex(facts.index))
    frame["confidence"] = column("confidence").astype(float)
    order = frame.assign(_start=frame["date_start"].map(lambda d: d if isinstance(d, date) else date.max))
    order = order.sort_values(["n_sources", "_start", "incident_id"], ascending=[False, True, True], kind="mergesort")
    return frame.loc[order.index, INCIDENT_COLUMNS].reset_index(drop=True)


def _days(values: np.ndarray | pd.Series) -> list[date | None]:
    """datetime64 values as dates, None where missing."""
    return [None if pd.isna(d) else d.date() for d in pd.to_datetime(values)]


def _fatalities_by_source(events: pd.DataFrame, keys: np.ndarray, n: int) -> list[list[dict]]:
    """For each key (0..n-1), the fatality figure of each source that gives one: outlet,
    article_id, event_id, the report's own fatalities/_low/_high and the figure as text (one per
    article and figure, ordered by outlet, article and event)."""
    low, high = fatality_bounds(events)
    told = np.flatnonzero(~(np.isnan(low) & np.isnan(high)))
    outlet = events["outlet"].fillna("").to_numpy(dtype=object)
    article = events["article_id"].to_numpy(dtype=object)
    event = events["event_id"].to_numpy(dtype=object)
    raw = {name: _floats(events[name]) for name in ("fatalities", "fatalities_low", "fatalities_high")}
    out: list[list[dict]] = [[] for _ in range(n)]
    seen: set[tuple] = set()
    for i in sorted(told, key=lambda i: (keys[i], outlet[i], article[i], event[i])):
        figure = figure_text(low[i], high[i])
        if (keys[i], article[i], figure) in seen:
            continue
        seen.add((keys[i], article[i], figure))
        out[keys[i]].append(
            {
                "outlet": outlet[i] or article[i],
                "article_id": article[i],
                "event_id": event[i],
                **{name: None if math.isnan(values[i]) else int(values[i]) for name, values in raw.items()},
                "figure": figure,
            }
        )
    return out
