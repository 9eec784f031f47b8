"""Find the parts of an article's text that are not narrative, without changing the text.

Web copies of news carry browser notices, photo captions and credits, "Related:" links, bylines
and datelines. They are *marked* (kind, start, end) rather than deleted, so offsets into the text
stay exact; the sentence stage skips marked stretches, so no event is read from them, and the
places stage gives mentions inside them the role dateline/byline, so no event is placed there.
"""

from __future__ import annotations

import re

from data.schema import Marked
from data.textmatch import fold_for_prefilter

# Browser and site notices, wherever they sit (they are often glued to the last sentence). Each
# with words that every match contains (lower case): most articles have none of them, and looking
# for plain words is far cheaper than running the patterns (see `find_marked_spans`).
NOTICES = [
    ("is not supported", r"IE ?\d+ is not supported\.?"),
    ("for an optimal experience", r"For an optimal experience,? visit our site on another browser\.?"),
    ("enable javascript", r"(?:Please )?enable JavaScript[^\n]*"),
    ("your browser ", r"Your browser (?:is out of date|does not support)[^\n]*"),
    ("uses cookies", r"(?:This|Our) (?:site|website) uses cookies[^\n]*"),
    ("we use cookies", r"We use cookies[^\n]*"),
    ("skip to ", r"Skip to (?:main )?content"),
    ("newsletter", r"(?:Sign up|Subscribe) (?:for|to) (?:our|the) [^\n]{0,40}newsletter[^\n]*"),
    ("share this ", r"Share this (?:article|story)(?: on [A-Za-z]+)?"),
    ("all rights reserved", r"All rights reserved\.?"),
    ("copyright ", r"Copyright \d{4}[^\n]*"),
    (
        "this material may not be published",
        r"This material may not be published, broadcast, rewritten,? or redistributed\.?",
    ),
]
NOTICE_PATTERNS = [pattern for _, pattern in NOTICES]
NOTICE_WORDS = tuple(word for word, _ in NOTICES)
NOTICE = re.compile("|".join(f"(?:{p})" for p in NOTICE_PATTERNS), re.IGNORECASE)

# Whole lines that introduce links, media or captions rather than narrative.
LINK_LINE = re.compile(
    r"^[ \t]*(?:Related|Photos?|Videos?|Watch|WATCH|Read more|READ MORE|See also|More|Listen|Gallery|"
    r"Slideshow|Graphic|Interactive|Opinion|Also read|Recommended)\s*:[^\n]*$",
    re.MULTILINE,
)
CAPTION_LINE = re.compile(r"^[ \t]*(?:Image|Photo|Picture|Caption)\s*:[^\n]*$", re.MULTILINE)
# "… on Monday.Fadel Senna / AFP - Getty Images": a caption line ending with an agency credit.
AGENCIES = (
    "AFP",
    "AP",
    "Reuters",
    "Getty Images",
    "EPA",
    "Anadolu(?: Agency)?",
    "Associated Press",
    "Sipa",
    "NurPhoto",
    "ZUMA(?: Wire)?",
    "SOPA Images",
    "Xinhua",
    "dpa",
    "Bloomberg",
    "Shutterstock",
    "Alamy",
)
AGENCY_SUFFIXES = ("Getty Images", "AFP", "File", "Reuters", "EPA", "Getty")
CREDIT_TAIL = re.compile(
    r"(?:\b[A-Z][\w'\-]+(?: [A-Z][\w'\-]+){0,3} ?/ ?)?"
    rf"(?:{'|'.join(AGENCIES)})(?: ?(?:-|/|via) ?(?:{'|'.join(AGENCY_SUFFIXES)}))*[ \t]*$",
    re.MULTILINE,
)
# How every CREDIT_TAIL match ends. Few lines do, and as each alternative starts with a letter the
# regex engine finds them far faster than it runs CREDIT_TAIL (see `find_marked_spans`).
CREDIT_END = re.compile(
    "|".join(rf"(?:{name})[ \t]*$" for name in dict.fromkeys(AGENCIES + AGENCY_SUFFIXES)), re.MULTILINE
)
CREDIT_LINE = re.compile(
    r"^[ \t]*(?:(?:Photo|Image|Picture|Video)\s+)?(?:Credit|Courtesy)s?\b[^\n]*$|©[^\n]*$", re.MULTILINE | re.IGNORECASE
)
PHOTO_CREDIT = re.compile(r"\((?:Photo|Image|Picture)s?(?: by|:)[^)\n]{1,120}\)", re.IGNORECASE)

# Bylines: "Courtney Kube reported from Washington, D.C.", wire sign-offs, author lines.
NAME = r"(?:[A-Z][a-z'\-]+|[A-Z]\.)(?: (?:[A-Z][a-z'\-]+|[A-Z]\.|de|van|al|el|bin))*"
# Each with words that every match contains (as for NOTICES, but case-sensitive). All but the
# line-start pattern (three merged into one) start with a letter or bracket, which lets the regex
# engine skip them at a glance wherever the text has another character.
_BYLINE_STAFF = ("Staff", "Associated Press", "Reuters", "AFP")
_BYLINE_ROLES = ("writer", "reporter", "correspondent")
BYLINES = [
    (
        ("reported from", "contributed from", "contributed reporting from", "filed from"),
        rf"{NAME}(?:,? and {NAME})? (?:reported|contributed(?: reporting)?|filed) from [^.\n]+(?:\.[A-Z]\.)*\.?",
    ),
    (("eporting by ",), r"Additional [Rr]eporting by [^\n]+"),
    (("eporting by ",), r"[Rr]eporting by [^\n]+"),
    (("eporting by ",), r"\((?:Additional )?[Rr]eporting by [^)]*\)"),
    (("Writing by ", "Editing by ", "Compiled by "), r"\((?:Writing|Editing|Compiled) by [^)]*\)"),
    (("Writing by ",), r"Writing by [^\n]+"),
    (("Editing by ",), r"Editing by [^\n]+"),
    (
        ("contributed this", "contributed to this"),
        rf"{NAME}(?:,? and {NAME})? contributed (?:to )?this (?:report|story|article)\.?",
    ),
    (
        ("By ", "Special for ", "Special to ", *(f"{who} {role}" for who in _BYLINE_STAFF for role in _BYLINE_ROLES)),
        r"^[ \t]*(?:By [A-Z][^\n]{0,80}$|(?:Special (?:for|to) [^\n]{1,40})$"
        rf"|(?:{'|'.join(_BYLINE_STAFF)}) (?:{'|'.join(_BYLINE_ROLES)})s?[^\n]{{0,40}}$)",
    ),
]
BYLINE_PATTERNS = [pattern for _, pattern in BYLINES]
BYLINE_WORDS = tuple(dict.fromkeys(word for words, _ in BYLINES for word in words))
BYLINE = re.compile("|".join(f"(?:{p})" for p in BYLINE_PATTERNS), re.MULTILINE)

# "WASHINGTON —", "MOSUL, Iraq —", "BEIRUT (Reuters) -", "AMMAN, Jan 15 (Reuters) -" at a line start.
DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z'.\-]+(?:[ /][A-Z][A-Z'.\-]+)*)"
    r"(?:,[ \t]+[A-Z][A-Za-z.]+(?:[ \t][A-Z][A-Za-z.]+)*)?"
    r"(?:,?[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?"
    r"(?:[ \t]*\((?:Reuters|AP|AFP|UPI|CNN|Xinhua|dpa|IANS|ANI|Sputnik|AA)\))?"
    r"[ \t]*(?:—|–|--|-)[ \t]*",
    re.MULTILINE,
)


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a span to the whole line(s) it lies on, without the trailing newline."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end == -1 else line_end


_NON_WORD = re.compile(r"\W+")
_WORD = re.compile(r"\w+")


def _title_key(value: str) -> str:
    """A line or title without case and punctuation, to compare the two."""
    return _NON_WORD.sub(" ", value).strip().casefold()


def _first_word_key(value: str) -> str:
    """The first word of `_title_key(value)`, found without reading the whole line."""
    word = _WORD.search(value)
    return word.group().casefold() if word else ""


def find_marked_spans(text: str, *, title: str = "") -> list[Marked]:
    """Non-narrative stretches of `text`, sorted and non-overlapping."""
    found: list[Marked] = []
    # The costly patterns run only over articles with a word that each of their matches contains.
    folded = fold_for_prefilter(text)
    notices = NOTICE.finditer(text) if any(word in folded for word in NOTICE_WORDS) else ()
    for match in notices:
        found.append(Marked("notice", match.start(), match.end()))
    for match in LINK_LINE.finditer(text):
        found.append(Marked("link", match.start(), match.end()))
    for match in CAPTION_LINE.finditer(text):
        found.append(Marked("caption", match.start(), match.end()))
    for match in CREDIT_TAIL.finditer(text) if CREDIT_END.search(text) else ():
        # A credit at the end of a line makes the whole line a caption (text under a photo).
        line_start, line_end = _line_span(text, match.start(), match.end())
        if match.start() > line_start and "/" in match.group(0):
            found.append(Marked("caption", line_start, match.start()))
        if "/" in match.group(0) or match.start() == line_start:
            found.append(Marked("credit", match.start(), line_end))
    for match in CREDIT_LINE.finditer(text):
        found.append(Marked("credit", match.start(), match.end()))
    for match in PHOTO_CREDIT.finditer(text):
        found.append(Marked("credit", match.start(), match.end()))
    for match in BYLINE.finditer(text) if any(word in text for word in BYLINE_WORDS) else ():
        found.append(Marked("byline", match.start(), match.end()))
    for match in DATELINE.finditer(text):
        place = match.group("place")
        # Two-letter all-caps words ("US -", "UN -") are too often prose; a dateline names a place.
        if len(place.replace(".", "")) >= 3 and not place.isdigit():
            found.append(Marked("dateline", match.start("place"), match.end()))
    if title:
        title_key = _title_key(title)
        first_word = title_key.split(" ", 1)[0]
        offset = 0
        for line in text.split("\n"):
            # A line can only be the title if it starts with the title's first word.
            if line.strip() and _first_word_key(line) == first_word and _title_key(line) == title_key:
                found.append(Marked("heading", offset, offset + len(line)))
            offset += len(line) + 1
    return _merge(found)


def _merge(spans: list[Marked]) -> list[Marked]:
    """Sort and resolve overlaps: the earlier (then longer) span keeps the overlapping text."""
    spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    merged: list[Marked] = []
    for span in spans:
        if span.end <= span.start:
            continue
        if merged and span.start < merged[-1].end:
            if span.end > merged[-1].end:
                merged.append(Marked(span.kind, merged[-1].end, span.end))
            continue
        merged.append(span)
    return merged


def narrative_ranges(text: str, marked: list[Marked] | tuple[Marked, ...]) -> list[tuple[int, int]]:
    """The (start, end) stretches of text between marked spans."""
    ranges = []
    position = 0
    for span in sorted(marked, key=lambda s: s.start):
        if span.start > position:
            ranges.append((position, span.start))
        position = max(position, span.end)
    if position < len(text):
        ranges.append((position, len(text)))
    return ranges
