"""A realistic synthetic event frame for tests and benchmarks (no article is read).

`generate(n, seed=...)` returns the same three things `load_events` does: an event frame with
exactly the columns of DESIGN.md's table, an articles frame whose texts contain every excerpt at
its offsets, and an empty problem list. The places, actors and event types are those of the
2014-17 campaigns against IS in Syria and Iraq; dates, precisions and fatalities are drawn so that
every code path of the dashboard (intervals, unknown dates, imprecise places, unknown fatalities,
unresolved places) is exercised.

Every third article tells its first event twice (a second `mentions` sentence at its end).
About 30% of the reports retell an event of a recent article (same date, place, type and actors,
sometimes another death toll), and `incident_id` groups each event with its retellings: a cheap
stand-in for data.incidents.assign_incidents, which is too slow to run on 100,000 rows for a
benchmark and would find only chance matches in random events.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data.frame import EVENT_COLUMNS
from data.incidents import incident_id_for

# name, country, admin1, lat, lon
PLACES = (
    ("Raqqa", "SY", "Raqqa", 35.9528, 39.0079),
    ("Tabqa", "SY", "Raqqa", 35.8367, 38.5481),
    ("Deir ez-Zor", "SY", "Deir ez-Zor", 35.3359, 40.1408),
    ("Abu Kamal", "SY", "Deir ez-Zor", 34.4506, 40.9186),
    ("Palmyra", "SY", "Homs", 34.5503, 38.2691),
    ("Aleppo", "SY", "Aleppo", 36.2021, 37.1343),
    ("Manbij", "SY", "Aleppo", 36.5281, 37.9549),
    ("Kobani", "SY", "Aleppo", 36.8910, 38.3536),
    ("al-Bab", "SY", "Aleppo", 36.3705, 37.5157),
    ("Hasakah", "SY", "Al-Hasakah", 36.5024, 40.7477),
    ("Homs", "SY", "Homs", 34.7324, 36.7137),
    ("Mosul", "IQ", "Nineveh", 36.3350, 43.1189),
    ("Tal Afar", "IQ", "Nineveh", 36.3768, 42.4497),
    ("Sinjar", "IQ", "Nineveh", 36.3209, 41.8765),
    ("Qayyarah", "IQ", "Nineveh", 35.8000, 43.2900),
    ("Bartella", "IQ", "Nineveh", 36.3531, 43.3797),
    ("Hawija", "IQ", "Kirkuk", 35.3280, 43.7790),
    ("Kirkuk", "IQ", "Kirkuk", 35.4681, 44.3922),
    ("Tikrit", "IQ", "Salah ad-Din", 34.6071, 43.6782),
    ("Fallujah", "IQ", "Anbar", 33.3500, 43.7833),
    ("Ramadi", "IQ", "Anbar", 33.4258, 43.2992),
    ("al-Qaim", "IQ", "Anbar", 34.3697, 41.0950),
    ("Baghdad", "IQ", "Baghdad", 33.3152, 44.3661),
)
REGIONS = (
    ("northern Syria", "SY", "", 36.4, 38.8),
    ("eastern Syria", "SY", "", 35.0, 40.2),
    ("Nineveh Plains", "IQ", "Nineveh", 36.4, 43.4),
    ("Anbar province", "IQ", "Anbar", 33.4, 42.0),
)
COUNTRIES = (("Syria", "SY", "", 35.0, 38.5), ("Iraq", "IQ", "", 33.0, 43.7))
SITES = (
    "the National Hospital",
    "the municipal stadium",
    "the Old City",
    "the airport",
    "the dam",
    "the Grand Mosque",
    "the university campus",
    "a checkpoint",
)
ACTORS = (
    "Islamic State",
    "Syrian Democratic Forces",
    "Iraqi Security Forces",
    "US-led coalition",
    "Peshmerga",
    "Popular Mobilization Forces",
    "People's Protection Units",
    "Syrian Arab Army",
    "Free Syrian Army",
    "Turkish Armed Forces",
    "Civilians",
)
ALIASES = {
    "Islamic State": "IS",
    "Syrian Democratic Forces": "SDF",
    "Iraqi Security Forces": "ISF",
    "US-led coalition": "the coalition",
    "Popular Mobilization Forces": "PMF",
    "People's Protection Units": "YPG",
    "Syrian Arab Army": "regime forces",
}
# event_type, sub_event_type, verb phrase (with {a} and {b} for the two sides)
TYPES = (
    ("Battles", "Armed clash", "{a} clashed with {b}"),
    ("Battles", "Government regains territory", "{a} retook ground from {b}"),
    ("Battles", "Non-state actor overtakes territory", "{a} seized positions held by {b}"),
    ("Explosions/Remote violence", "Air/drone strike", "{a} air strikes hit {b}"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "{a} shelled {b}"),
    ("Explosions/Remote violence", "Suicide bomb", "a suicide bomber from {a} struck {b}"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "an IED planted by {a} hit {b}"),
    ("Violence against civilians", "Attack", "{a} killed residents fleeing {b}"),
    ("Strategic developments", "Agreement", "{a} agreed an evacuation deal with {b}"),
    ("Strategic developments", "Looting/property destruction", "{a} destroyed buildings near {b}"),
)
TYPE_WEIGHTS = (0.25, 0.1, 0.05, 0.22, 0.12, 0.05, 0.06, 0.07, 0.03, 0.05)
OUTLETS = ("Reuters", "AFP", "BBC News", "NBC News", "Al Jazeera", "The Guardian", "")
FIRST_DAY = date(2014, 1, 1)
DAYS = (date(2017, 12, 31) - FIRST_DAY).days
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
EVENTS_PER_ARTICLE = 6
# A share of reports retell an event of a recent article (another outlet, the same incident).
REPORT_AGAIN = 0.3
RECENT = 40


@dataclass
class SyntheticLoad:
    """What `data.load_events` returns, generated: events, articles and (no) problems."""

    events: pd.DataFrame
    articles: pd.DataFrame
    problems: list = field(default_factory=list)


def _date(rng: np.random.Generator) -> tuple[date | None, date | None, str, str, str]:
    """A date interval with its precision, the words that gave it and their basis."""
    day = FIRST_DAY + timedelta(days=int(rng.integers(0, DAYS)))
    kind = rng.choice(
        ["day", "month", "part", "year", "range", "week", "unknown"], p=[0.55, 0.15, 0.08, 0.04, 0.08, 0.05, 0.05]
    )
    if kind == "day":
        return day, day, "day", f"on {day.day} {MONTHS[day.month - 1]} {day.year}", "explicit"
    if kind == "month":
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return start, end, "month", f"in {MONTHS[day.month - 1]} {day.year}", "explicit"
    if kind == "part":
        start = date(day.year, 1, 1)
        return start, date(day.year, 4, 30), "part", f"early {day.year}", "explicit"
    if kind == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31), "year", f"in {day.year}", "explicit"
    if kind == "range":
        end = day + timedelta(days=int(rng.integers(2, 60)))
        return day, end, "range", "over the following weeks", "relative"
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6), "week", "last week", "relative"
    return None, None, "unknown", "", "none"


def _place(rng: np.random.Generator) -> tuple[str, str, str, str, str, float, float, str]:
    """(place, place_text, place_id, country, admin1, lat, lon, geo_precision)."""
    roll = rng.random()
    if roll < 0.04:
        return "", "", "", "", "", float("nan"), float("nan"), ""
    if roll < 0.10:
        name, country, admin1, lat, lon = COUNTRIES[rng.integers(len(COUNTRIES))]
        return name, name, f"ref:{name}", country, admin1, lat, lon, "country"
    if roll < 0.18:
        name, country, admin1, lat, lon = REGIONS[rng.integers(len(REGIONS))]
        return name, name, f"ref:{name}", country, admin1, lat, lon, "region"
    weights = np.linspace(3.0, 1.0, len(PLACES))
    index = int(rng.choice(len(PLACES), p=weights / weights.sum()))
    name, country, admin1, lat, lon = PLACES[index]
    if roll < 0.40:
        site = SITES[rng.integers(len(SITES))]
        lat += float(rng.normal(0, 0.01))
        lon += float(rng.normal(0, 0.01))
        return (
            f"{name}: {site[4:] if site.startswith('the ') else site}",
            f"{site} in {name}",
            f"ref:{name}:{site}",
            country,
            admin1,
            round(lat, 5),
            round(lon, 5),
            "site",
        )
    return name, name, f"synthetic:{index}", country, admin1, lat, lon, "city"


# Every this many articles, the first event is told a second time at the article's end.
RETOLD_EVERY = 3
RETOLD_PREFIX = "Witnesses confirmed it later: "


def generate(n: int, *, seed: int = 0) -> SyntheticLoad:
    """Generate n events (about six per article) with a seeded RNG; same seed, same frames."""
    rng = np.random.default_rng(seed)
    rows: list[dict] = []
    articles: list[dict] = []
    sentences: list[str] = []
    article_rows: list[dict] = []
    groups = 0

    def flush() -> None:
        if not article_rows:
            return
        index = len(articles)
        article_id = f"synthetic/{index:05d}"
        text, position = "", 0
        outlet = OUTLETS[index % len(OUTLETS)]
        latest = max((r["date_end"] for r in article_rows if r["date_end"]), default=None)
        published = (latest or FIRST_DAY) + timedelta(days=int(rng.integers(0, 3)))
        title = f"Fighting around {article_rows[0]['place'] or 'the front'}"
        for row, sentence in zip(article_rows, sentences, strict=False):
            start = position
            text += sentence + " "
            position = len(text)
            shift = start
            row.update(
                article_id=article_id,
                title=title,
                outlet=outlet,
                url=f"https://example.org/{index}",
                published=published,
                excerpt=sentence,
                excerpt_start=start,
                excerpt_end=start + len(sentence),
                spans=[dict(s, start=s["start"] + shift, end=s["end"] + shift) for s in row["spans"]],
                mentions=[{"start": start, "end": start + len(sentence)}],
            )
            digest = hashlib.sha1(f"{article_id}:{start}:{start + len(sentence)}:0".encode())
            row["event_id"] = digest.hexdigest()[:16]
            rows.append(row)
        if index % RETOLD_EVERY == 0:
            # The article tells its first event again at its end (a later sentence that tells
            # the same event: its second mention, with spans of its own). Appended, so no
            # other offset moves, and no random number is drawn, so the events stay as they were.
            row, sentence = article_rows[0], sentences[0]
            start = len(text)
            text += RETOLD_PREFIX + sentence + " "
            row["mentions"].append({"start": start, "end": len(text) - 1})
            shift = start + len(RETOLD_PREFIX) - row["excerpt_start"]
            row["spans"] += [dict(s, start=s["start"] + shift, end=s["end"] + shift) for s in row["spans"]]
        articles.append(
            {
                "article_id": article_id,
                "title": title,
                "outlet": outlet,
                "url": f"https://example.org/{index}",
                "published": published,
                "text": text.rstrip(),
            }
        )
        article_rows.clear()
        sentences.clear()

    for _ in range(n):
        if rows and rng.random() < REPORT_AGAIN:
            # Another outlet's report of an event already told: same facts, its own figure.
            told = rows[-int(rng.integers(1, min(len(rows), RECENT) + 1))]
            date_start, date_end, precision, date_text, basis = (
                told[k] for k in ("date_start", "date_end", "date_precision", "date_text", "date_basis")
            )
            place, place_text, place_id, country, admin1, lat, lon, geo = (
                told[k] for k in ("place", "place_text", "place_id", "country", "admin1", "lat", "lon", "geo_precision")
            )
            kind, actor1, actor2, group = told["_kind"], told["actor1"], told["actor2"], told["_group"]
            event_type, sub_event_type, phrase = TYPES[kind]
            fatalities = told["fatalities"]
            if fatalities is not None and rng.random() < 0.4:
                fatalities = max(0, fatalities + int(rng.integers(-3, 8)))
        else:
            date_start, date_end, precision, date_text, basis = _date(rng)
            place, place_text, place_id, country, admin1, lat, lon, geo = _place(rng)
            kind = int(rng.choice(len(TYPES), p=np.array(TYPE_WEIGHTS) / sum(TYPE_WEIGHTS)))
            event_type, sub_event_type, phrase = TYPES[kind]
            pair = rng.choice(len(ACTORS) - 1, size=2, replace=False)
            actor1, actor2 = ACTORS[pair[0]], ACTORS[pair[1]]
            if event_type == "Violence against civilians":
                actor2 = "Civilians"
            fatal = rng.random()
            fatalities = None if fatal < 0.45 else int(rng.integers(0, 5) if fatal < 0.8 else rng.integers(5, 300))
            group = groups
            groups += 1
        # Build the sentence piece by piece so the spans are exact.
        spans: list[dict] = []
        sentence = ""

        def add(piece: str, kind_: str | None = None) -> None:
            nonlocal sentence
            if kind_ and piece:
                spans.append({"kind": kind_, "start": len(sentence), "end": len(sentence) + len(piece)})
            sentence += piece

        name1, name2 = ALIASES.get(actor1, actor1), ALIASES.get(actor2, actor2)
        before, _, rest = phrase.partition("{a}")
        middle, _, after = rest.partition("{b}")
        add(before[:1].upper() + before[1:])
        add(name1 if before else name1[:1].upper() + name1[1:], "actor")
        add(middle, "trigger")
        add(name2, "actor")
        add(after)
        if place_text:
            add(" in ")
            add(place_text, "place")
        if date_text:
            add(" ")
            add(date_text, "date")
        if fatalities is not None:
            add(", leaving ")
            add(f"{fatalities} dead", "fatalities")
        add(".")
        article_rows.append(
            {
                "date_start": date_start,
                "date_end": date_end,
                "date_precision": precision,
                "date_text": date_text,
                "date_basis": basis,
                "place": place,
                "place_text": place_text,
                "place_id": place_id,
                "country": country,
                "admin1": admin1,
                "lat": lat,
                "lon": lon,
                "geo_precision": geo,
                "actors": sorted({actor1, actor2}),
                "actor1": actor1,
                "actor2": actor2,
                "event_type": event_type,
                "sub_event_type": sub_event_type,
                "fatalities": fatalities,
                "fatalities_low": fatalities,
                "fatalities_high": fatalities,
                "spans": spans,
                "confidence": round(float(rng.beta(5, 2)), 3),
                "_kind": kind,
                "_group": group,
            }
        )
        sentences.append(sentence)
        if len(article_rows) >= EVENTS_PER_ARTICLE:
            flush()
    flush()

    # (the synthetic events belong to no operation; their incident ids are named below)
    columns = [name for name in EVENT_COLUMNS if not name.startswith("operation") and name != "incident_id"]
    events = pd.DataFrame(rows, columns=[*columns, "_group"])
    # The incident's id is named after its first report, as data.incidents names it.
    first = events.groupby("_group")["event_id"].transform("first")
    events["incident_id"] = first.map(incident_id_for) if len(events) else ""
    events = events.drop(columns="_group")
    for column in ("fatalities", "fatalities_low", "fatalities_high"):
        events[column] = events[column].astype("Int64")
    for column in ("lat", "lon", "confidence"):
        events[column] = events[column].astype(float)
    article_frame = pd.DataFrame(articles, columns=["article_id", "title", "outlet", "url", "published", "text"])
    return SyntheticLoad(events=events, articles=article_frame, problems=[])
