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
from collections import Counter, defaultdict
from datetime import date, timedelta

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
PRECISION_RANK = {"day": 0, "week": 1, "part": 2, "month": 3, "quarter": 4, "season": 4, "half": 5,
                  "year": 6, "range": 7, "unknown": 9}
BASIS_RANK = {"explicit": 0, "relative": 1, "context": 2, "publication": 3, "none": 4}

INCIDENT_COLUMNS = [
    "incident_id", "n_reports", "n_articles", "n_sources", "outlets", "article_ids", "event_ids",
    "event_type", "sub_event_types", "date_start", "date_end", "date_precision", "place", "place_id",
    "country", "admin1", "lat", "lon", "geo_precision", "actors", "fatalities_by_source",
    "fatalities_low", "fatalities_high", "fatalities_agree", "fatalities_text", "first_published",
    "confidence",
]


def incident_id_for(event_id: str) -> str:
    """The id of an incident whose earliest report has this event_id."""
    return "inc_" + hashlib.sha1(f"incident|{event_id}".encode()).hexdigest()[:16]


class _Report:
    """The fields of one report that merging looks at."""

    __slots__ = ("row", "event_id", "article_id", "event_type", "sub_event_type", "start", "end",
                 "lat", "lon", "geo", "place_id", "actors")

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
        duplicate = (a.sub_event_type == b.sub_event_type and a.place_id == b.place_id and a.place_id != ""
                     and a.start == b.start and a.end == b.end)
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
    records = events[["event_id", "article_id", "event_type", "sub_event_type", "date_start", "date_end",
                      "lat", "lon", "geo_precision", "place_id", "actors", "published"]].to_dict(orient="records")
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
    return (not isinstance(published, date), published if isinstance(published, date) else date.max,
            record["event_id"])


def with_incidents(events: pd.DataFrame) -> pd.DataFrame:
    """A copy of the event frame with its incident_id column filled in."""
    out = events.copy()
    out["incident_id"] = assign_incidents(events)
    return out


def _figure(record: dict) -> str:
    """A source's fatality figure as text: '135', '100-120', 'at least 24'."""
    exact, low, high = (record[k] for k in ("fatalities", "fatalities_low", "fatalities_high"))
    if not pd.isna(low) and not pd.isna(high) and low != high:
        return f"{int(low)}-{int(high)}"
    if not pd.isna(exact):
        return str(int(exact))
    if not pd.isna(low):
        return f"at least {int(low)}"
    return f"up to {int(high)}"


def _incident_row(incident: str, group: pd.DataFrame) -> dict:
    records = group.to_dict(orient="records")
    best = min(records, key=lambda r: (PRECISION_RANK.get(r["date_precision"], 9),
                                       BASIS_RANK.get(r["date_basis"], 9), -r["confidence"], r["event_id"]))
    dated = [r for r in records if isinstance(r["date_start"], date)]
    start, end, precision = best["date_start"], best["date_end"], best["date_precision"]
    if len(dated) > 1:
        # The narrowest interval every source allows, when there is one.
        low, high = max(r["date_start"] for r in dated), min(r["date_end"] for r in dated)
        if low <= high and (low, high) != (start, end):
            start, end, precision = low, high, "day" if low == high else "range"
    place_votes = Counter(r["place_id"] for r in records if r["place_id"])
    where = min(records, key=lambda r: (GEO_RANK.get(r["geo_precision"], 5), -place_votes.get(r["place_id"], 0),
                                        -r["confidence"], r["event_id"]))
    sources: list[dict] = []
    seen = set()
    for r in sorted(records, key=lambda r: (r["outlet"], r["article_id"], r["event_id"])):
        if all(pd.isna(r[k]) for k in ("fatalities", "fatalities_low", "fatalities_high")):
            continue
        figure = _figure(r)
        if (r["article_id"], figure) in seen:
            continue
        seen.add((r["article_id"], figure))
        sources.append({
            "outlet": r["outlet"] or r["article_id"], "article_id": r["article_id"], "event_id": r["event_id"],
            "fatalities": None if pd.isna(r["fatalities"]) else int(r["fatalities"]),
            "fatalities_low": None if pd.isna(r["fatalities_low"]) else int(r["fatalities_low"]),
            "fatalities_high": None if pd.isna(r["fatalities_high"]) else int(r["fatalities_high"]),
            "figure": figure,
        })
    lows = [s["fatalities_low"] if s["fatalities_low"] is not None else s["fatalities"] for s in sources]
    highs = [s["fatalities_high"] if s["fatalities_high"] is not None else s["fatalities"] for s in sources]
    lows, highs = [v for v in lows if v is not None], [v for v in highs if v is not None]
    outlets = sorted({r["outlet"] or r["article_id"] for r in records})
    published = [r["published"] for r in records if isinstance(r["published"], date)]
    return {
        "incident_id": incident,
        "n_reports": len(records),
        "n_articles": len({r["article_id"] for r in records}),
        "n_sources": len(outlets),
        "outlets": outlets,
        "article_ids": sorted({r["article_id"] for r in records}),
        "event_ids": sorted(r["event_id"] for r in records),
        "event_type": best["event_type"],
        "sub_event_types": sorted({r["sub_event_type"] for r in records if r["sub_event_type"]}),
        "date_start": start,
        "date_end": end,
        "date_precision": precision,
        "place": where["place"],
        "place_id": where["place_id"],
        "country": where["country"],
        "admin1": where["admin1"],
        "lat": where["lat"],
        "lon": where["lon"],
        "geo_precision": where["geo_precision"],
        "actors": sorted({a for r in records for a in (r["actors"] or ())}),
        "fatalities_by_source": sources,
        "fatalities_low": min(lows) if lows else None,
        "fatalities_high": max(highs) if highs else None,
        "fatalities_agree": len({s["figure"] for s in sources}) <= 1 if sources else None,
        "fatalities_text": " · ".join(f"{s['outlet']}: {s['figure']}" for s in sources),
        "first_published": min(published) if published else None,
        "confidence": float(max(r["confidence"] for r in records)),
    }


def incidents_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per incident: its sources and outlets, best date interval and place, and the
    fatality figures each source gives (side by side in `fatalities_by_source`/`fatalities_text`,
    `fatalities_agree` False when they differ). Uses `incident_id` when filled, else merges first.
    Rows are sorted by n_sources (most corroborated first), then date and incident_id.
    """
    if "incident_id" not in events.columns or (events["incident_id"].fillna("") == "").any():
        events = with_incidents(events)
    rows = [_incident_row(incident, group) for incident, group in events.groupby("incident_id", sort=True)]
    frame = pd.DataFrame.from_records(rows, columns=INCIDENT_COLUMNS)
    for column in ("fatalities_low", "fatalities_high"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    frame["lat"] = pd.to_numeric(frame["lat"], errors="coerce").astype("float64")
    frame["lon"] = pd.to_numeric(frame["lon"], errors="coerce").astype("float64")
    order = frame.assign(_start=frame["date_start"].map(lambda d: d if isinstance(d, date) else date.max))
    order = order.sort_values(["n_sources", "_start", "incident_id"], ascending=[False, True, True], kind="mergesort")
    return frame.loc[order.index].reset_index(drop=True)
