"""Operations: the named military operations and battles an event belongs to.

A plain reference table (`data/reference/operations.csv`, each row sourced) lists the operations of
the wars against IS in Iraq and Syria, 2014–2019: their names and the aliases news uses, the forces
that conducted them (`side_a`) and their opponents (`side_b`), the countries and area (a centre and a
radius) they were fought in, a span, and a parent (a battle's campaign; a phase's battle).

Each event report is assigned to at most one operation, with the reason and a confidence:
  1. by what the text says: its own sentences name the operation ("Operation Euphrates Shield",
     "the battle for Raqqa", "the offensive to retake Mosul") and the event's dates meet the
     operation's span (a 2014 capture told beside "the offensive to retake Mosul" stays apart) —
     unless the event's only date is the publication day, after the one operation it names;
  2. else by place, time and actors: the event's point lies in the operation's area, its dates
     within the span, it is an act of war (not a protest), and its actors fit — a battle claims what
     happens in its area during it unless none of its sides took part while others are named; a
     campaign over a whole theatre (area over CAMPAIGN_KM) claims only what its own forces did (a
     coalition strike is Operation Inherent Resolve; an IS bombing in Baghdad is not).
     An article that names the operation makes such an assignment surer.
The most specific operation found wins (a phase of a battle, a battle of a campaign): the event's
`operation` is the named operation (a battle, offensive or campaign), `operation_phase` its phase.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from data.actors import with_parents
from data.gazetteer import REFERENCE_DIR, great_circle_km
from data.schema import Event
from data.textmatch import PhraseTable, fold_article, fold_for_prefilter

OPERATIONS_CSV = REFERENCE_DIR / "operations.csv"
# An operation whose area is wider than this is a campaign over a theatre: place and time alone do
# not make an event part of it.
CAMPAIGN_KM = 100.0
# Dates read from news are often a day or two off (time zones, "overnight"); a span's ends give way
# by this much when an event is placed in an operation by place and time.
SPAN_SLACK = timedelta(days=3)
# How far before an objective's name its operation noun or capture verb may stand.
OBJECTIVE_REACH = 80
# An interval of more than this many days (counted back from a duration, or a month) need only lie
# MOSTLY within the span.
LONG_INTERVAL_DAYS = 27
MOSTLY = 0.9
# An event whose sentence names an operation must still lie near it (not a bombing in Baghdad told
# "as the offensive to retake Mosul went on").
NAMED_AREA_FACTOR = 2.0
# Acts of war; protests and riots are not parts of a military operation.
WAR_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments"})
# Actors that are no side of a fight: the people it befell, and gunmen nobody named.
NO_SIDE_PREFIXES = ("Civilians", "Unidentified Armed Group", "Protesters", "Rioters")
# A point for a whole country says nothing about where in it the event was.
UNLOCATED_PRECISIONS = frozenset({"", "country"})

CONFIDENCE_NAMED_IN_SENTENCE = 0.9
CONFIDENCE_NAMED_IN_ARTICLE = 0.8
CONFIDENCE_CONDUCTING_SIDE = 0.7
CONFIDENCE_OPPOSING_SIDE = 0.6
CONFIDENCE_NO_SIDE_NAMED = 0.5


@dataclass(frozen=True)
class Operation:
    """One row of the operations reference."""

    id: str
    name: str
    kind: str  # campaign, operation, battle, offensive, phase
    parent_id: str
    aliases: tuple[str, ...]
    objectives: tuple[str, ...]
    side_a: tuple[str, ...]
    side_b: tuple[str, ...]
    countries: tuple[str, ...]  # ISO codes of the countries it was fought in
    lat: float
    lon: float
    radius_km: float
    start: date
    start_precision: str
    end: date
    end_precision: str
    source: str


@dataclass(frozen=True)
class Assignment:
    """The operation an event belongs to, and why."""

    operation_id: str
    operation: str
    phase: str
    reason: str
    confidence: float


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(";") if part.strip())


def _day(value: str, precision: str, *, end: bool) -> date:
    """A span end: a month-precision end means the month's last day, its start the first."""
    day = date.fromisoformat(value)
    if precision == "month" and end:
        following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return day


@functools.lru_cache(maxsize=4)
def load_operations(path: Path = OPERATIONS_CSV) -> tuple[Operation, ...]:
    """The operations reference, in file order."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    operations = tuple(
        Operation(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            parent_id=row["parent_id"],
            aliases=_split(row["aliases"]),
            objectives=_split(row["objectives"]),
            side_a=_split(row["side_a"]),
            side_b=_split(row["side_b"]),
            countries=_split(row["countries"]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            radius_km=float(row["radius_km"]),
            start=_day(row["start"], row["start_precision"], end=False),
            start_precision=row["start_precision"],
            end=_day(row["end"], row["end_precision"], end=True),
            end_precision=row["end_precision"],
            source=row["source"],
        )
        for row in rows
    )
    ids = {op.id for op in operations}
    for op in operations:
        if op.parent_id and op.parent_id not in ids:
            raise ValueError(f"operations.csv: {op.id}'s parent {op.parent_id!r} is not in the table")
    return operations


@functools.lru_cache(maxsize=1)
def operations_by_id() -> dict[str, Operation]:
    return {op.id: op for op in load_operations()}


@functools.lru_cache(maxsize=256)
def lineage(operation_id: str) -> tuple[str, ...]:
    """The operation's id and its ancestors', the operation first."""
    table = operations_by_id()
    chain = [operation_id]
    while table[chain[-1]].parent_id and table[chain[-1]].parent_id not in chain:
        chain.append(table[chain[-1]].parent_id)
    return tuple(chain)


@functools.lru_cache(maxsize=256)
def descendants(operation_id: str) -> frozenset[str]:
    """The operation's id and those of every operation under it (its battles, their phases)."""
    return frozenset(op.id for op in load_operations() if operation_id in lineage(op.id))


@functools.lru_cache(maxsize=256)
def _sides(operation_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """The operation's conducting forces and opponents with those of the operations above it (the
    coalition takes part in every battle of Operation Inherent Resolve)."""
    table = operations_by_id()
    side_a = frozenset(a for op_id in lineage(operation_id) for a in table[op_id].side_a)
    side_b = frozenset(a for op_id in lineage(operation_id) for a in table[op_id].side_b)
    return side_a, side_b


def named_operation(operation_id: str) -> Operation:
    """The operation a phase belongs to (the phase's battle); an operation that is no phase itself."""
    table = operations_by_id()
    for op_id in lineage(operation_id):
        if table[op_id].kind != "phase":
            return table[op_id]
    return table[operation_id]


def _fold(text: str) -> str:
    """A name as `find_namings` reads text (`_normalised`), runs of spaces as one: "Deir ez-Zor"
    ~ "deir ez zor"."""
    return " ".join(_normalised(text).split())


# Words that make a place the objective of an operation: "the battle for Raqqa", "the offensive to
# retake Mosul", "the push into western Mosul", "the liberation of Fallujah", "the Mosul offensive".
_OPERATION_NOUNS = (
    r"battle|fight|fighting|offensive|operations?|campaign|assault|push|drive|"
    r"advance|war|siege|attack"
)
_TAKE_VERBS = r"retake|recapture|liberate|free|take|capture|reclaim|clear|seize|storm|enter"
_TO_TAKE = rf"(?:for|on|against|into|of|to (?:{_TAKE_VERBS}))"
# A capture told with the objective as its object ("recaptured Ramadi", "the retaking of Tikrit",
# "expelled from Kobani"): the sentence names the place the operation was fought for. Not after
# "to": "tasked to liberate Raqqa", "vowed to retake Mosul" tell an aim, not the event's objective
# (an operation's own aim, "the offensive to retake Mosul", is read by the noun before it).
_TAKEN = (
    r"(?:re)?captur(?:ed?|ing)|retak(?:en?|ing)|retook|liberat(?:ed?|ing)|(?:re)?seiz(?:ed?|ing)|"
    r"(?:re)?took|(?:re)?tak(?:en?|ing)|(?:driven|expelled|ousted|pushed)\s+(?:out\s+)?(?:of|from)|"
    r"(?:retaking|recapture|liberation|capture|seizure|fall)\s+of"
)
_DETERMINER = r"(?:(?:the|its)\s+)?(?:(?:city|town|stronghold|capital|old\s+city)\s+of\s+)?"
_SIDE_OF = r"(?:(?:eastern|western|northern|southern|east|west|north|south)\s+)?"


@functools.lru_cache(maxsize=1)
def _matchers() -> tuple[
    PhraseTable, dict[str, tuple[str, ...]], PhraseTable, dict[str, tuple[str, ...]], re.Pattern, re.Pattern
]:
    """Over the article folded to lower case with hyphens and spaces as one space (`_normalised`):
    a table of every alias, one of every objective, and what each names; then what makes an
    objective the operation's ("the battle for", "retook", "'s offensive") before and after it."""
    by_alias: dict[str, list[str]] = {}
    by_objective: dict[str, list[str]] = {}
    for op in load_operations():
        for alias in (op.name, *op.aliases):
            by_alias.setdefault(_fold(alias), []).append(op.id)
        for objective in op.objectives:
            by_objective.setdefault(_fold(objective), []).append(op.id)
    # (phrase tables: each finds its names, whole words, in one pass over an article)
    alias_table = PhraseTable(by_alias)
    objective_table = PhraseTable(by_objective)
    before_regex = re.compile(
        rf"(?:\b(?:{_OPERATION_NOUNS}) {_TO_TAKE} |\b(?:liberation|recapture|fall) of |(?<!to )\b(?:{_TAKEN}) )"
        rf"{_DETERMINER}{_SIDE_OF}$"
    )
    after_regex = re.compile(rf"(?:'s)? (?:{_OPERATION_NOUNS})(?!\w)")
    return (
        alias_table,
        {k: tuple(dict.fromkeys(v)) for k, v in by_alias.items()},
        objective_table,
        {k: tuple(dict.fromkeys(v)) for k, v in by_objective.items()},
        before_regex,
        after_regex,
    )


# Spaces other than " " and hyphens: few in a text, so replacing them is quick.
_AS_SPACE = re.compile("[\t\n\r\f\v\u00a0\u2002\u2003\u2009\u202f\\-\u2010\u2013]")


def _normalised(text: str) -> str:
    """The text in lower case, every space or hyphen a space (one for one: offsets carry over)."""
    return _AS_SPACE.sub(" ", fold_for_prefilter(text))


@dataclass(frozen=True)
class _Naming:
    """An operation the text names, where."""

    operation_id: str
    start: int
    end: int
    words: str
    # named by the place it was fought for, which then locates the event ("recaptured Ramadi")
    objective: bool = False


def find_namings(text: str) -> list[_Naming]:
    """Every place in the text that names an operation, by an alias or by its objective."""
    alias_table, by_alias, objective_table, by_objective, before_regex, after_regex = _matchers()
    norm = _AS_SPACE.sub(" ", fold_article(text))  # (`_normalised`, from the article folded once for all stages)
    found: list[_Naming] = []
    for start, end, alias in alias_table.whole_words(norm):
        for op_id in by_alias.get(alias, ()):
            found.append(_Naming(op_id, start, end, text[start:end]))
    for start, end, objective in objective_table.whole_words(norm):
        before = before_regex.search(norm, max(0, start - OBJECTIVE_REACH), start)
        after = None if before else after_regex.match(norm, end)
        if before is None and after is None:
            continue
        if before is not None:
            start = before.start()
        else:
            end = after.end()
        for op_id in by_objective.get(objective, ()):
            found.append(_Naming(op_id, start, end, text[start:end], objective=True))
    return found


def _located(event: Event) -> bool:
    return (
        event.lat is not None
        and event.lon is not None
        and event.geo_precision not in UNLOCATED_PRECISIONS
        and not (math.isnan(event.lat) or math.isnan(event.lon))
    )


def _inside_area(event: Event, op: Operation, factor: float = 1.0) -> bool:
    return _located(event) and great_circle_km(event.lat, event.lon, op.lat, op.lon) <= op.radius_km * factor


def _within_span(event: Event, op: Operation) -> bool:
    """The event's interval lies within the operation's span, give or take SPAN_SLACK; one of many
    days (a duration counted back, "the nine-month battle") need only lie mostly within it."""
    if event.date_start is None or event.date_end is None:
        return False
    if op.start - SPAN_SLACK <= event.date_start and event.date_end <= op.end + SPAN_SLACK:
        return True
    days = (event.date_end - event.date_start).days + 1
    overlap = (min(event.date_end, op.end) - max(event.date_start, op.start)).days + 1
    return days > LONG_INTERVAL_DAYS and overlap >= MOSTLY * days


def _meets_span(event: Event, op: Operation) -> bool:
    """The event's interval and the operation's span overlap."""
    return (
        event.date_start is not None
        and event.date_end is not None
        and event.date_start <= op.end + SPAN_SLACK
        and op.start - SPAN_SLACK <= event.date_end
    )


def _only_dated_by_publication_after(event: Event, op: Operation) -> bool:
    """The event's only date is the article's publication day (the text gave none: date_basis
    "publication"), which came after the operation had ended. Such a date is no evidence that
    the event fell outside the operation its own sentence names ("The push into Tikrit came days
    after U.S.-led airstrikes targeted ISIS bases around the city", in an article of the next
    year): the sentence is the evidence, when it names one such operation only (not "capturing
    Palmyra" with three Palmyra offensives behind it)."""
    return event.date_basis == "publication" and event.date_start is not None and op.end < event.date_start


@functools.lru_cache(maxsize=1024)
def _family(actor: str) -> tuple[str, ...]:
    return tuple(with_parents([actor]))


def _sides_taking_part(event: Event, op: Operation) -> tuple[bool, bool, bool]:
    """Whether the event's actors (or the forces they belong to) include the operation's
    conducting side, its opponents, and a fighting force that is neither (civilians and unnamed
    gunmen are no side)."""
    side_a, side_b = _sides(op.id)
    conducting = opposing = outsider = False
    for actor in event.actors:
        family = _family(actor)
        if any(a in side_a for a in family):
            conducting = True
        elif any(a in side_b for a in family):
            opposing = True
        elif not actor.startswith(NO_SIDE_PREFIXES):
            outsider = True
    return conducting, opposing, outsider


def _by_place_time_actors(event: Event, op: Operation) -> tuple[str, float] | None:
    """Why the event belongs to the operation by place, time and actors, or None."""
    if (
        event.event_type not in WAR_TYPES
        or (event.country and event.country not in op.countries)
        or not _within_span(event, op)
        or not _inside_area(event, op)
    ):
        return None  # (a bombing across the border, in Gaziantep, is no part of a battle in Syria)
    conducting, opposing, outsider = _sides_taking_part(event, op)
    if conducting:
        return "inside its area and span; its forces took part", CONFIDENCE_CONDUCTING_SIDE
    if op.radius_km > CAMPAIGN_KM or outsider:
        # a theatre-wide campaign claims only what its own forces did; a fight of others in a
        # battle's area (the army against the SDF near Raqqa) is not part of the battle
        return None
    if opposing:
        return "inside its area and span; its opponents took part", CONFIDENCE_OPPOSING_SIDE
    return "inside its area and span", CONFIDENCE_NO_SIDE_NAMED


def _event_spans(event: Event) -> list[tuple[int, int]]:
    return [(m["start"], m["end"]) for m in event.mentions] or [(event.excerpt_start, event.excerpt_end)]


def assign_operation(event: Event, namings: list[_Naming]) -> Assignment | None:
    """The operation the event belongs to, or None (see the module's docstring)."""
    table = operations_by_id()
    spans = _event_spans(event)
    named_here: dict[str, _Naming] = {}
    named_in_article: set[str] = set()
    for naming in namings:
        named_in_article.add(naming.operation_id)
        if any(start <= naming.start and naming.end <= end for start, end in spans):
            named_here.setdefault(naming.operation_id, naming)
    found: dict[str, tuple[str, float]] = {}
    near = {
        op_id: naming
        for op_id, naming in named_here.items()
        if naming.objective or not _located(event) or _inside_area(event, table[op_id], NAMED_AREA_FACTOR)
    }
    timely = [op_id for op_id in near if _meets_span(event, table[op_id])]
    if not timely:
        # a date the text did not give says nothing against the one operation its sentence names
        ended = [op_id for op_id in near if _only_dated_by_publication_after(event, table[op_id])]
        timely = ended if len(ended) == 1 else []
    for op_id in timely:
        found[op_id] = (f"its sentence names it (\u201c{near[op_id].words}\u201d)", CONFIDENCE_NAMED_IN_SENTENCE)
    for op in table.values():
        if op.id in found:
            continue
        placed = _by_place_time_actors(event, op)
        if placed:
            reason, confidence = placed
            if op.id in named_in_article:
                reason, confidence = f"the article names it; {reason}", max(confidence, CONFIDENCE_NAMED_IN_ARTICLE)
            found[op.id] = (reason, confidence)
    if not found:
        return None
    # The surest finding decides the operation; a finding under it (a phase by place and time) only
    # makes it more specific. Among equally sure ones the most specific wins.
    best = max(found, key=lambda op_id: (found[op_id][1], len(lineage(op_id)), -table[op_id].radius_km))
    deeper = [op_id for op_id in found if op_id != best and best in lineage(op_id)]
    chosen = max(deeper, key=lambda op_id: (len(lineage(op_id)), -table[op_id].radius_km)) if deeper else best
    operation = named_operation(chosen)
    phase = table[chosen].name if table[chosen].kind == "phase" else ""
    reason, confidence = found[best]
    if chosen != best:
        reason = f"{reason}; {table[chosen].name} by its place and time"
    return Assignment(operation.id, operation.name, phase, reason, confidence)


def assign_operations(events: list[Event], text: str) -> None:
    """Set the operation columns of each event that belongs to one (the others keep the empty
    defaults of data.schema.Event)."""
    if not events:
        return
    namings = find_namings(text)
    for event in events:
        assignment = assign_operation(event, namings)
        if assignment is not None:
            event.operation = assignment.operation
            event.operation_id = assignment.operation_id
            event.operation_phase = assignment.phase
            event.operation_reason = assignment.reason
            event.operation_confidence = assignment.confidence


# --- Summaries for the Operations page (pandas, no streamlit) ---------------------------------

TERRITORY_SUB_TYPES = ("Government regains territory", "Non-state actor overtakes territory")


def _deaths_range(events: pd.DataFrame) -> tuple[int | None, int | None]:
    """Deaths reported across the events' incidents: for each incident the lowest and the highest
    figure its reports give, summed over incidents (never a sum of one event's restatements)."""
    told = events[events["fatalities"].notna()]
    if told.empty:
        return None, None
    key = told["incident_id"].where(told["incident_id"].astype(str) != "", told["event_id"])
    low = pd.to_numeric(told["fatalities_low"].fillna(told["fatalities"]), errors="coerce")
    high = pd.to_numeric(told["fatalities_high"].fillna(told["fatalities"]), errors="coerce")
    per_incident = pd.DataFrame({"key": key, "low": low, "high": high}).groupby("key")
    return int(per_incident["low"].min().sum()), int(per_incident["high"].max().sum())


def operations_summary(events: pd.DataFrame) -> pd.DataFrame:
    """One row per operation of the reference that has events (its battles' and phases' counted
    with it): span, sides, reports, incidents, deaths reported (a range), first and last report."""
    rows = []
    assigned = events[events["operation_id"].astype(str) != ""] if "operation_id" in events else events.iloc[0:0]
    for op in load_operations():
        mine = assigned[assigned["operation_id"].isin(descendants(op.id))]
        if mine.empty:
            continue
        low, high = _deaths_range(mine)
        incidents = mine["incident_id"].where(mine["incident_id"].astype(str) != "", mine["event_id"])
        rows.append(
            {
                "operation_id": op.id,
                "operation": op.name,
                "kind": op.kind,
                "parent_id": op.parent_id,
                "start": op.start,
                "end": op.end,
                "days": (op.end - op.start).days + 1,
                "side_a": "; ".join(op.side_a),
                "side_b": "; ".join(op.side_b),
                "reports": len(mine),
                "incidents": int(incidents.nunique()),
                "deaths_low": low,
                "deaths_high": high,
                "source": op.source,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "operation_id",
            "operation",
            "kind",
            "parent_id",
            "start",
            "end",
            "days",
            "side_a",
            "side_b",
            "reports",
            "incidents",
            "deaths_low",
            "deaths_high",
            "source",
        ],
    )


def places_taken(events: pd.DataFrame, operation_id: str) -> pd.DataFrame:
    """The places the operation's reports say were taken, in date order: when, where, by whom,
    from whom, and the report (outlet, title, event id) that says so."""
    if "operation_id" not in events:
        return events.iloc[0:0]
    mine = events[
        events["operation_id"].isin(descendants(operation_id)) & events["sub_event_type"].isin(TERRITORY_SUB_TYPES)
    ]
    columns = ["date_start", "date_end", "place", "actor1", "actor2", "outlet", "title", "event_id"]
    return mine.sort_values(["date_start", "place"], kind="stable")[columns].reset_index(drop=True)


# A place reported taken is drawn on the progression map only when known to a town or finer: a
# region's point ("northern Syria") is not a place anyone took.
TAKEN_PRECISIONS = frozenset({"site", "district", "city"})
PROGRESSION_COLUMNS = [
    "place",
    "lat",
    "lon",
    "taken_by",
    "taken_from",
    "date_taken",
    "date_end",
    "date_precision",
    "operation_id",
    "reports",
    "outlets",
    "event_id",
]


def progression(events: pd.DataFrame, until: date | pd.Timestamp | None = None) -> pd.DataFrame:
    """Who held what by `until` (all dates when None), as the operations' reports tell it: one row
    per place that reports of a named operation say was taken up to that day, by the side of its
    latest capture. `date_taken` (with `date_end` and `date_precision`: the interval the report
    gives) is the first report of that side's capture after any capture by
    another side; `reports` and `outlets` count the reports of it; `event_id` is the first one."""
    if "operation_id" not in events or events.empty:
        return pd.DataFrame(columns=PROGRESSION_COLUMNS)
    mask = (
        (events["operation_id"].astype(str) != "")
        & events["sub_event_type"].isin(TERRITORY_SUB_TYPES)
        & events["geo_precision"].isin(TAKEN_PRECISIONS)
        & events["lat"].notna()
        & events["lon"].notna()
        & events["date_start"].notna()
        & (events["actor1"].astype(str) != "")
    )
    if until is not None:
        mask &= pd.to_datetime(events["date_start"]) <= pd.Timestamp(until)
    columns = ["event_id", "place", "lat", "lon", "actor1", "actor2", "date_start", "date_end", "date_precision"]
    taken = events.loc[mask, [*columns, "operation_id", "outlet"]].sort_values(
        ["date_start", "event_id"], kind="stable"
    )
    if taken.empty:
        return pd.DataFrame(columns=PROGRESSION_COLUMNS)
    place = taken["place"].astype(str)
    holder = place.map(taken.drop_duplicates("place", keep="last").set_index("place")["actor1"])
    # the holder's capture: its reports since the last report of another side taking the place
    other = (taken["actor1"] != holder).astype(int)
    since = taken[(other.groupby(place).cumsum() == other.groupby(place).transform("sum")) & (other == 0)]
    grouped = since.groupby(since["place"].astype(str), sort=True)
    heads = grouped.head(1)
    first = heads.set_index(heads["place"].astype(str)).sort_index()
    out = pd.DataFrame(
        {
            "place": first.index,
            "lat": first["lat"].astype(float).to_numpy(),
            "lon": first["lon"].astype(float).to_numpy(),
            "taken_by": first["actor1"].to_numpy(),
            "taken_from": first["actor2"].fillna("").astype(str).to_numpy(),
            "date_taken": pd.to_datetime(first["date_start"]).dt.date.to_numpy(),
            "date_end": pd.to_datetime(first["date_end"]).dt.date.to_numpy(),
            "date_precision": first["date_precision"].astype(str).to_numpy(),
            "operation_id": first["operation_id"].to_numpy(),
            "reports": grouped.size().reindex(first.index).to_numpy(),
            "outlets": grouped["outlet"]
            .agg(lambda o: ", ".join(dict.fromkeys(str(x) for x in o if x)))
            .reindex(first.index)
            .to_numpy(),
            "event_id": first["event_id"].to_numpy(),
        }
    )
    return out[PROGRESSION_COLUMNS]


# A name a text gives an operation: "Operation Inherent Resolve", "the Sirte offensive".
# ("Joint Operations Command" is a headquarters; "the U.S.-backed offensive" names no operation.)
_OPERATION_NAME = re.compile(
    r"\bOperation\s+(?![Cc]ommand)(?:[\"“‘']?)(?:[A-Z][\w'’\-]*)(?:,?\s+(?:[A-Z][\w'’\-]*|of|the|and))*"
    r"|\bthe\s+(?:(?![\w.\-]*-(?:backed|led)\b)[A-Z][\w'’\-]*\s+){1,3}(?:offensive|operation)\b"
)


def unknown_operation_names(articles: pd.DataFrame) -> pd.DataFrame:
    """Operations the articles name that the reference lacks, each with where it is named, so an
    analyst can add them: name, article_id, start, end (of the name in the article's text)."""
    alias_table = _matchers()[0]
    rows = []
    for article in articles.itertuples():
        text = str(getattr(article, "text", "") or "")
        for match in _OPERATION_NAME.finditer(text):
            name = match.group().strip(" ,\"“”‘’'")
            name = re.sub(r"^the\s+", "", name)
            name = re.sub(r"(?:,?\s+(?:of|the|and))+$", "", name)
            if len(name.split()) < 2 or alias_table.whole_words(name) or find_namings(name):
                continue  # (a known operation, by a name or its objective: "the Manbij operation")
            rows.append({"name": name, "article_id": article.article_id, "start": match.start(), "end": match.end()})
    found = pd.DataFrame(rows, columns=["name", "article_id", "start", "end"])
    if found.empty:
        return found.assign(mentions=pd.Series(dtype=int))
    found["mentions"] = found.groupby("name")["name"].transform("size")
    return found.sort_values(["mentions", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
