"""Find the parts of an article's text that are not narrative, without changing the text.

Web copies of news carry browser notices, photo captions and credits, "Related:" links, bylines
and datelines. They are *marked* (kind, start, end) rather than deleted, so offsets into the text
stay exact; the sentence stage skips marked stretches, so no event is read from them, and the
places stage gives mentions inside them the role dateline/byline, so no event is placed there.
"""

from __future__ import annotations

import re

from data.schema import Marked

# Browser and site notices, wherever they sit (they are often glued to the last sentence).
NOTICE_PATTERNS = [
    r"IE ?\d+ is not supported\.?",
    r"For an optimal experience,? visit our site on another browser\.?",
    r"(?:Please )?enable JavaScript[^\n]*",
    r"Your browser (?:is out of date|does not support)[^\n]*",
    r"(?:This|Our) (?:site|website) uses cookies[^\n]*",
    r"We use cookies[^\n]*",
    r"Skip to (?:main )?content",
    r"(?:Sign up|Subscribe) (?:for|to) (?:our|the) [^\n]{0,40}newsletter[^\n]*",
    r"Share this (?:article|story)(?: on [A-Za-z]+)?",
    r"All rights reserved\.?",
    r"Copyright \d{4}[^\n]*",
    r"This material may not be published, broadcast, rewritten,? or redistributed\.?",
]
NOTICE = re.compile("|".join(f"(?:{p})" for p in NOTICE_PATTERNS), re.IGNORECASE)

# Whole lines that introduce links, media or captions rather than narrative.
LINK_LINE = re.compile(
    r"^[ \t]*(?:Related|Photos?|Videos?|Watch|WATCH|Read more|READ MORE|See also|More|Listen|Gallery|"
    r"Slideshow|Graphic|Interactive|Opinion|Also read|Recommended)\s*:[^\n]*$",
    re.MULTILINE,
)
CAPTION_LINE = re.compile(r"^[ \t]*(?:Image|Photo|Picture|Caption)\s*:[^\n]*$", re.MULTILINE)
# "… on Monday.Fadel Senna / AFP - Getty Images": a caption line ending with an agency credit.
CREDIT_TAIL = re.compile(
    r"(?:\b[A-Z][\w'\-]+(?: [A-Z][\w'\-]+){0,3} ?/ ?)?"
    r"(?:AFP|AP|Reuters|Getty Images|EPA|Anadolu(?: Agency)?|Associated Press|Sipa|NurPhoto|"
    r"ZUMA(?: Wire)?|SOPA Images|Xinhua|dpa|Bloomberg|Shutterstock|Alamy)"
    r"(?: ?(?:-|/|via) ?(?:Getty Images|AFP|File|Reuters|EPA|Getty))*[ \t]*$",
    re.MULTILINE,
)
CREDIT_LINE = re.compile(r"^[ \t]*(?:(?:Photo|Image|Picture|Video)\s+)?(?:Credit|Courtesy)s?\b[^\n]*$|©[^\n]*$",
                         re.MULTILINE | re.IGNORECASE)
PHOTO_CREDIT = re.compile(r"\((?:Photo|Image|Picture)s?(?: by|:)[^)\n]{1,120}\)", re.IGNORECASE)

# Bylines: "Courtney Kube reported from Washington, D.C.", wire sign-offs, author lines.
NAME = r"(?:[A-Z][a-z'\-]+|[A-Z]\.)(?: (?:[A-Z][a-z'\-]+|[A-Z]\.|de|van|al|el|bin))*"
BYLINE_PATTERNS = [
    rf"{NAME}(?:,? and {NAME})? (?:reported|contributed(?: reporting)?|filed) from [^.\n]+(?:\.[A-Z]\.)*\.?",
    rf"(?:Additional )?[Rr]eporting by [^\n]+",
    r"\((?:Additional )?[Rr]eporting by [^)]*\)",
    r"\((?:Writing|Editing|Compiled) by [^)]*\)",
    r"(?:Writing|Editing) by [^\n]+",
    rf"{NAME}(?:,? and {NAME})? contributed (?:to )?this (?:report|story|article)\.?",
    r"^[ \t]*By [A-Z][^\n]{0,80}$",
    r"^[ \t]*(?:Special (?:for|to) [^\n]{1,40})$",
    r"^[ \t]*(?:Staff|Associated Press|Reuters|AFP) (?:writer|reporter|correspondent)s?[^\n]{0,40}$",
]
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


def _is_title_line(line: str, title: str) -> bool:
    def norm(value: str) -> str:
        return re.sub(r"\W+", " ", value).strip().casefold()

    return bool(title) and norm(line) == norm(title)


def find_marked_spans(text: str, *, title: str = "") -> list[Marked]:
    """Non-narrative stretches of `text`, sorted and non-overlapping."""
    found: list[Marked] = []
    for match in NOTICE.finditer(text):
        found.append(Marked("notice", match.start(), match.end()))
    for match in LINK_LINE.finditer(text):
        found.append(Marked("link", match.start(), match.end()))
    for match in CAPTION_LINE.finditer(text):
        found.append(Marked("caption", match.start(), match.end()))
    for match in CREDIT_TAIL.finditer(text):
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
    for match in BYLINE.finditer(text):
        found.append(Marked("byline", match.start(), match.end()))
    for match in DATELINE.finditer(text):
        place = match.group("place")
        # Two-letter all-caps words ("US -", "UN -") are too often prose; a dateline names a place.
        if len(place.replace(".", "")) >= 3 and not place.isdigit():
            found.append(Marked("dateline", match.start("place"), match.end()))
    if title:
        offset = 0
        for line in text.split("\n"):
            if line.strip() and _is_title_line(line, title):
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
