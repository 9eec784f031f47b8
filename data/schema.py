"""The records passed between pipeline stages, and the event frame's contract.

Every stage is a pure function from one of these records to another; the frame stage turns
`Event` records into the pandas frame described in DESIGN.md and `validate_events` checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Values a column may take; validate_events enforces them.
DATE_PRECISIONS = (
    "day",
    "week",
    "month",
    "part",
    "quarter",
    "season",
    "half",
    "year",
    "range",
    "unknown",
)
DATE_BASES = ("explicit", "relative", "context", "publication", "none")
GEO_PRECISIONS = ("site", "city", "district", "region", "country")
# reference: only the point a distance or direction is measured from ("40 miles south of Mosul");
# venue: where something was said or announced ("told reporters in Washington").
PLACE_ROLES = ("event", "mentioned", "dateline", "byline", "reference", "venue")
# An event's review (data/review.py): its status, and whether it was extracted or added by an analyst.
REVIEW_STATUSES = ("unreviewed", "accepted", "corrected", "rejected")
ORIGINS = ("extracted", "analyst")
SPAN_KINDS = ("date", "place", "actor", "fatalities", "trigger")
# Kinds of text the cleaner marks: no event is read from them and none is placed at them.
MARK_KINDS = ("notice", "credit", "caption", "link", "byline", "dateline", "heading")


@dataclass(frozen=True)
class Problem:
    """Something that went wrong with one article; shown to the user, never fatal to the others."""

    article_id: str
    stage: str
    message: str


@dataclass(frozen=True)
class Marked:
    """A stretch of an article's text that is not narrative (a byline, a photo credit, ...)."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One article, its cleaned text and where its non-narrative parts lie."""

    article_id: str
    text: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: date | None = None
    source_path: str = ""
    content_hash: str = ""
    marked: tuple[Marked, ...] = ()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DateMention:
    """A date expression resolved to an interval. start/end index the text it was found in."""

    start: int
    end: int
    text: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    # explicit: the words name the calendar date; relative: resolved against the publication date
    basis: str = "explicit"


@dataclass(frozen=True)
class PlaceMention:
    """A place name found in text and what the gazetteer resolved it to (lat/lon NaN-free: None)."""

    start: int
    end: int
    text: str
    place: str
    place_id: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str
    geo_precision: str
    role: str = "mentioned"
    population: int = 0


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    actor: str
    actor_type: str


@dataclass(frozen=True)
class TextSpan:
    kind: str
    start: int
    end: int


@dataclass
class Event:
    """One event report: an event as one article tells it, however many of its sentences tell it."""

    event_id: str
    article_id: str
    excerpt: str
    excerpt_start: int
    excerpt_end: int
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: date | None = None
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str = "unknown"
    date_text: str = ""
    date_basis: str = "none"
    place: str = ""
    place_text: str = ""
    place_id: str = ""
    country: str = ""
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None
    geo_precision: str = ""
    actors: list[str] = field(default_factory=list)
    actor1: str = ""
    actor2: str = ""
    event_type: str = ""
    sub_event_type: str = ""
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    spans: list[dict] = field(default_factory=list)
    # Every sentence of the article that tells this event ({start, end}); the excerpt is one of them.
    mentions: list[dict] = field(default_factory=list)
    confidence: float = 0.0
    # The named operation the event belongs to (data.operations), its phase, why, and how surely.
    operation: str = ""
    operation_id: str = ""
    operation_phase: str = ""
    operation_reason: str = ""
    operation_confidence: float | None = None
    # What the confidence model read (data.confidence.FEATURES); not a column of the frame.
    features: dict = field(default_factory=dict, repr=False, compare=False)
