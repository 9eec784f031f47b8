"""Stage 2: sentence boundaries with character offsets, skipping marked (non-narrative) text.

A rule splitter tuned for news prose: a line break always ends a sentence (news paragraphs are
lines), and [.!?] ends one when followed by space and a capital, quote or digit — except after
abbreviations common in news (titles, months, "U.S.", initials).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from data.clean import narrative_ranges
from data.schema import Marked, Sentence

# Words that end with a period without ending the sentence ("Lt. Gen. Stephen Townsend").
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt cpl pvt adm cmdr gov sen rep rev st jr sr
    pres amb hon brig fr no nos vs etc approx est dept univ corp inc ltd co bros
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    u.s u.n u.k u.a.e d.c e.g i.e a.m p.m al""".split()
)
# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
# Linear in a run of punctuation: a match starts only at a run's first mark (the lookbehind), and
# the possessive repeats never give back what they took (only whitespace after the whole run can
# end a sentence, so giving back never helps). Without them each mark of a 60 KB run of dots
# rescanned the rest of the run: seconds to minutes holding the GIL. (Written "[.!?][.!?]*+",
# not "[.!?]++": a pattern that starts with a character class lets the engine skip to the next
# such character; one that starts with a repeat, or with a look-behind, is tried at every one: the
# test that no mark comes before the run is written after its first mark.)
END = re.compile(r"[.!?](?<![.!?].)[.!?]*+[\"'”’)\]]*+(?=\s)")
# What may start the next sentence.
NEXT_START = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9]")
# A dotted acronym without its last dot, lower case ("u.s", "d.c").
DOTTED_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]")
# The longest "sentence" passed on. News sentences run to ~500 characters (the longest of the
# development corpus: 473); a longer one is a list, a table flattened into one line or hostile
# input, and the later stages' work grows faster than linearly with a sentence's length (a
# 640 KB sentence took a minute in the events stage). Longer runs are cut into pieces at a
# clause boundary, else at a space, so every stage sees sentences of bounded length.
MAX_SENTENCE_CHARS = 1000
# Where a piece of an over-long sentence is best cut: after a clause's punctuation.
CLAUSE_BREAK = re.compile(r"[,;:]\s")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at `dot` closes an abbreviation or an initial rather than a sentence."""
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    # Single initials ("John F. Kennedy") and dotted acronyms ("U.S.", "D.C.").
    return len(word) == 1 and text[word_start].isupper() or bool(DOTTED_ACRONYM.fullmatch(word))


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    position = start
    for match in END.finditer(text, start, end):
        if match.group(0)[0] == "." and len(match.group(0).rstrip("\"'”’)]")) == 1:
            if _is_abbreviation(text, match.start()):
                continue
        if not NEXT_START.match(text, match.end(), end):
            continue
        pieces.append((position, match.end()))
        position = match.end()
    pieces.append((position, end))
    return pieces


def split_sentences(text: str, marked: Sequence[Marked] = ()) -> list[Sentence]:
    """Sentences of the narrative parts of `text`; text[s.start:s.end] == s.text, trimmed."""
    sentences = []
    for range_start, range_end in narrative_ranges(text, tuple(marked)):
        line_start = range_start
        while line_start < range_end:
            newline = text.find("\n", line_start, range_end)
            line_end = range_end if newline == -1 else newline
            if line_end == line_start:  # an empty line (between paragraphs): no sentence
                line_start += 1
                continue
            for start, end in _split_paragraph(text, line_start, line_end):
                for piece_start, piece_end in _cut_long(text, start, end):
                    _append_trimmed(sentences, text, piece_start, piece_end)
            line_start = line_end + 1
    return sentences


def _append_trimmed(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """The sentence text[start:end] without its surrounding spaces, if it has a word."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        sentences.append(Sentence(start, end, text[start:end]))


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] in pieces of at most MAX_SENTENCE_CHARS, cut after the last clause break
    (else the last space) of each piece; a sentence of normal length is one piece."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = -1
        # The last clause break in the second half of the window (not a tiny first piece).
        for match in CLAUSE_BREAK.finditer(text, start + MAX_SENTENCE_CHARS // 2, limit):
            cut = match.start() + 1
        if cut == -1:
            cut = text.rfind(" ", start + 1, limit)
        if cut <= start:
            cut = limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces
