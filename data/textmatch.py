"""Text matching below the stages: what clean, dates, places, actors, eventness, events, sides and
operations share to find their words fast, knowing none of their vocabularies.

  - folding: text in lower case with the offsets kept, so that a pattern written in lower case
    runs case-sensitively (several times faster than IGNORECASE) and matches where the
    case-insensitive pattern matches the text (`fold_for_prefilter`, `folded_pattern`);
  - regex builders: an alternation of many words as a tree of shared first characters (`one_of`);
  - a reader of regex source text: the alternatives of a group, the literal words a pattern's
    matches open with (`leading_literals`), so a scan can try it only where one of them is;
  - scans that try a pattern only where a match can start (`finditer_from`, `literal_word_starts`);
  - phrase tables: many literal phrases found in one pass over a text (`PhraseTable`, an
    Aho-Corasick automaton from pyahocorasick), where a regex alternation of them would be tried
    at every position;
  - the English number words the stages read counts with (`CARDINALS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

import ahocorasick

# English number words, one to nineteen and the tens, in that order: the stages read counts
# ("three bombings", "forty kilometres") with them, each adding its own forms.
CARDINALS: dict[str, int] = {
    word: value
    for value, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split(),
        start=1,
    )
} | {word: 10 * tens for tens, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}

# ----------------------------------------------------------------------------- folding

# Characters that re.IGNORECASE matches to an ASCII letter besides that letter's own two cases
# (dotted capital I, dotless i as in Turkish "Fırat", long s, Kelvin sign), and the letter.
IGNORECASE_EXTRA = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_IGNORECASE_EXTRA_TABLE = str.maketrans(IGNORECASE_EXTRA)


def fold_for_prefilter(text: str) -> str:
    r"""text in lower case, so that wherever an IGNORECASE pattern of ASCII words matches text, the
    same pattern in lower case matches the folded text (the few characters IGNORECASE equates with
    an ASCII letter beyond its own two cases are first replaced by that letter), and nowhere else:
    folding keeps the length and what \w, \s, \d and [a-z] match, so offsets carry over."""
    # (those characters are not ASCII; str.find looks for each far faster than a regex class)
    if not text.isascii() and any(char in text for char in IGNORECASE_EXTRA):
        text = text.translate(_IGNORECASE_EXTRA_TABLE)
    return text.lower()


def folded_pattern(pattern: re.Pattern) -> re.Pattern:
    """A case-insensitive pattern of ASCII words as a case-sensitive one for the folded text
    (`fold_for_prefilter`), which matches where the pattern matches the text, about three times
    faster: folding turns every character IGNORECASE equates with an ASCII letter into that
    letter in lower case, one for one, and leaves word characters, spaces and the rest as they are."""
    if (
        not pattern.pattern.isascii()
        or re.search(r"\\[A-Z]", pattern.pattern)
        or any(name != name.lower() for name in pattern.groupindex)
    ):
        raise ValueError(f"not foldable (non-ASCII, \\S \\W \\B ... or a group name would change): {pattern.pattern}")
    # (named groups keep their "(?P" syntax)
    source = pattern.pattern.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P=")
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


@lru_cache(maxsize=4)
def fold_article(text: str) -> str:
    """`fold_for_prefilter` of a whole article text, which several stages ask for (dates, actors,
    places' landmarks, event cues, operations): folded once per article."""
    return fold_for_prefilter(text)


def fold_case(text: str) -> str:
    """Lower-cased text of the same length (offsets still index the original)."""
    folded = fold_article(text)
    if len(folded) == len(text):
        return folded
    # A character whose lower case is longer than one code point stays as it is.
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def lower_pattern(pattern: str) -> str:
    """A regex's literal letters in lower case; escapes (\\W, \\S, \\B …) kept as written."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


# ----------------------------------------------------------------------------- regex builders


def one_of(words: list[str], literal: Callable[[str], str] = re.escape) -> str:
    """Regex text for any of `words`, tried in the given order, written as a tree of shared first
    letters ("t(?:en|w(?:elve|o))"): the engine then tries only the words that start with the letter
    at hand instead of every word in turn. Words with different first letters never both match, so
    the tree tries the matching ones in the same order, as long as an empty word comes last (else
    the words are listed as they are). `literal`: the regex text of a run of characters (by default
    the characters themselves; it must be made of the regex texts of each character)."""
    if "" in words[:-1]:
        return "(?:" + "|".join(map(literal, words)) + ")"
    branches: dict[str, list[str]] = {}
    for word in words:
        branches.setdefault(word[:1], []).append(word[1:])
    parts = []
    for first, rests in branches.items():
        if not first:
            parts.append("")  # a word ended here
        elif len(rests) == 1:
            parts.append(literal(first + rests[0]))
        else:
            parts.append(literal(first) + one_of(rests, literal))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def prefix_tree(strings: Iterable[str]) -> str:
    """Regex text matching any of the (non-empty) plain `strings`, as a tree of shared first
    characters (`one_of`): the engine then tries only the strings that start with the character
    at hand instead of each of them in turn. For where one of them occurs, not which."""
    return one_of(list(strings))


# ----------------------------------------------------------------------------- regex source text


def alternatives(pattern: str, start: int = 0) -> tuple[list[str], int]:
    """The alternatives ("|" outside groups and classes) of pattern[start:] up to the ")" that
    closes the group `start` is in, or to the end; and the index where they stop."""
    found, current = [], start
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif char == "|" and depth == 0:
            found.append(pattern[current:i])
            current = i + 1
        i += 1
    found.append(pattern[current:i])
    return found, i


def has_top_level_bar(pattern: str) -> bool:
    """Whether the regex is an alternation at its top level ("\\ba|b": the \\b binds only "a")."""
    return len(alternatives(pattern)[0]) > 1


def leading_literals(pattern: str) -> tuple[str, ...]:
    """The literal text each top-level alternative of a leading group (or the whole pattern) starts
    with, looking into a group an alternative opens with: "(?:seized|took\\s+over|clash(?:es)?)\\b"
    -> ("seized", "took", "clash"), "(?:(?:drove|pushed)\\s+|ran\\s+)out" -> ("drove", "pushed", "ran");
    () when an alternative starts with anything but two letters or such a group, or a group is
    optional (no literal is then required)."""
    if pattern.startswith("(?:"):
        branches, end = alternatives(pattern, 3)
        if pattern[end + 1 : end + 2] in ("?", "*", "{"):
            return ()
    else:
        branches = [pattern]  # one alternative: the pattern has no top-level "|"
    literals: list[str] = []
    for branch in branches:
        if branch.startswith("(?:"):
            inner = leading_literals(branch)
            if not inner:
                return ()
            literals.extend(inner)
            continue
        literal = re.match(r"[a-z' -]*", branch).group(0)
        if branch[len(literal) : len(literal) + 1] in ("?", "*", "{"):
            literal = literal[:-1]  # the last letter is optional
        if len(literal) < 2:
            return ()
        literals.append(literal)
    return tuple(literals)


def literals_after_word(pattern: str) -> tuple[str, ...]:
    """For a pattern (or a group it is) whose matches open with a word of any letters, the literal
    text that follows that word: "(?:\\w+-(?:month|week)\\s+offensive)" -> ("-month", "-week");
    () when the pattern opens otherwise."""
    if pattern.startswith("(?:"):
        branches, end = alternatives(pattern, 3)
        if len(branches) > 1 or pattern[end + 1 : end + 2] in ("?", "*", "{"):
            return ()
        pattern = branches[0]
    if not pattern.startswith("\\w+"):
        return ()
    rest = pattern[3:].removeprefix("+")  # (possessive: the word is all the same)
    head = re.match(r"[a-z' -]*", rest).group(0)
    if rest[len(head) : len(head) + 1] in ("?", "*", "{"):
        head = head[:-1]  # the last letter is optional
    tails = leading_literals(rest[len(head) :]) if rest[len(head) :].startswith("(?:") else ()
    return tuple(head + tail for tail in tails) or ((head,) if head else ())


# ----------------------------------------------------------------------------- scans


def is_word_char(char: str) -> bool:
    """Whether the regex \\w matches the character (for str patterns: letters, digits, "_")."""
    return char.isalnum() or char == "_"


def find_all(text: str, word: str) -> Iterator[int]:
    """Every index where the plain string `word` occurs in `text`, overlapping ones too, in order:
    `str.find` finds a string far faster than a regex scans for it."""
    at = text.find(word)
    while at != -1:
        yield at
        at = text.find(word, at + 1)


def start_of_word_before(text: str, at: int) -> int:
    """Where the run of word characters (regex \\w) that ends at `at` starts; `at` if there is none."""
    start = at
    while start and is_word_char(text[start - 1]):
        start -= 1
    return start


def finditer_from(pattern: re.Pattern, folded: str, starts: Sequence[int]) -> Iterator[re.Match]:
    """`pattern.finditer(folded)`, given (sorted, each once) every position where a match of it
    can start."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(folded, start)):
            yield match
            end = match.end()


def literal_word_starts(folded: str, literals: tuple[str, ...]) -> list[tuple[int, str]]:
    """(where, literal) wherever one of the literals (of two or more characters, the first a word
    character) starts a word, i.e. where a leading \\b holds, in text order (of two at one place,
    the one listed first first)."""
    # (one pass of a phrase table finds every occurrence; a regex "\\b(?=...)" is tried at every
    # position, and takes about half as long again)
    found = []
    for last, (rank, literal) in _literal_table(literals)._ends(folded, 0, None):
        start = last + 1 - len(literal)
        if not start or not is_word_char(folded[start - 1]):
            found.append((start, rank, literal))
    found.sort()
    return [(start, literal) for start, _, literal in found]


@lru_cache(maxsize=16)
def _literal_table(literals: tuple[str, ...]) -> PhraseTable:
    """The phrase table of `literal_word_starts`' literals."""
    if not all(len(literal) >= 2 and is_word_char(literal[0]) for literal in literals):
        raise ValueError(f"not all of two or more characters starting with a word character: {literals}")
    return PhraseTable(literals)


# ----------------------------------------------------------------------------- phrase tables


class PhraseTable:
    """Literal phrases (non-empty strings) found in one pass over a text, however many there are:
    an Aho-Corasick automaton (pyahocorasick) reads each character once, where a regex alternation
    of the phrases, even as a tree (`one_of`), is tried at every position of the text. The
    phrases keep their order: the first one listed is the one a regex alternation would take."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = tuple(dict.fromkeys(phrases))
        if "" in self.phrases:
            raise ValueError("a phrase table cannot hold the empty string")
        self._automaton: ahocorasick.Automaton | None = None
        if self.phrases:
            self._automaton = ahocorasick.Automaton()
            for rank, phrase in enumerate(self.phrases):
                self._automaton.add_word(phrase, (rank, phrase))
            self._automaton.make_automaton()

    def _ends(self, text: str, start: int, end: int | None) -> Iterable[tuple[int, tuple[int, str]]]:
        """The automaton's (index of the last character, (rank, phrase)) of every occurrence."""
        if self._automaton is None:
            return ()
        return self._automaton.iter(text, start, len(text) if end is None else end)

    def occurrences(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, int, str]]:
        """(start, end, rank, phrase) of every occurrence inside text[start:end], overlapping ones
        too, in the order of their ends (of two ending together, the longer first)."""
        for last, (rank, phrase) in self._ends(text, start, end):
            yield last + 1 - len(phrase), last + 1, rank, phrase

    def found(self, text: str, start: int = 0, end: int | None = None) -> set[str]:
        """The phrases that occur inside text[start:end] (anywhere, inside words too)."""
        return {phrase for _, (_, phrase) in self._ends(text, start, end)}

    def whole_words(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, phrase) as `re.finditer(r"(?<!\\w)(?:P1|P2|…)(?!\\w)", text)` finds them, with
        the phrases in table order: no word character just before or after; of those starting at
        one place, the first listed; from left to right, none overlapping one found before."""
        best: dict[int, tuple[int, int, str]] = {}  # start -> (rank, end, phrase)
        for start, end, rank, phrase in self.occurrences(text):
            if (start and is_word_char(text[start - 1])) or (end < len(text) and is_word_char(text[end])):
                continue
            if start not in best or rank < best[start][0]:
                best[start] = (rank, end, phrase)
        matches: list[tuple[int, int, str]] = []
        reached = 0
        for start in sorted(best):
            if start >= reached:
                _, end, phrase = best[start]
                matches.append((start, end, phrase))
                reached = end
        return matches
