"""The text-matching toolkit (data.textmatch): each fast path equals the plain regex it stands for."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.textmatch import (
    CARDINALS,
    IGNORECASE_EXTRA,
    PhraseTable,
    find_all,
    fold_for_prefilter,
    is_word_char,
    leading_literals,
    literal_word_starts,
    literals_after_word,
    one_of,
)


def test_ignorecase_extra_lists_every_character_matching_an_ascii_letter() -> None:
    """fold_for_prefilter is exact only if these are all the characters that re.IGNORECASE
    equates with an ASCII letter besides its two cases (checked over every code point)."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in string.ascii_lowercase:
        matching = set(re.findall(letter, every, re.IGNORECASE)) - {letter, letter.upper()}
        assert matching == {c for c, folded in IGNORECASE_EXTRA.items() if folded == letter}, letter


@pytest.mark.parametrize("text", ["Operation Fırat Kalkanı", "İSTANBUL", "ſtrike", "\u212aurd", "plain ASCII", ""])
def test_folding_keeps_offsets_and_matches_where_ignorecase_does(text: str) -> None:
    folded = fold_for_prefilter(text)
    assert len(folded) == len(text)
    for word in ("firat", "kalkani", "istanbul", "strike", "kurd", "ascii"):
        assert [m.span() for m in re.finditer(word, folded)] == [m.span() for m in re.finditer(word, text, re.I)]


@pytest.mark.parametrize(
    "pattern, literals",
    [
        (r"(?:seized|took\s+over|clash(?:es)?)\b", ("seized", "took", "clash")),
        (r"(?:massacred?|ieds?)\b", ("massacre", "ied")),
        (r"cleared\b", ("cleared",)),
        (r"(?:under|in)\s+an?\s+deal", ("under", "in")),
        (r"(?:under|a)\s+deal", ()),  # a single letter is too short to look for
        (r"(?:(?:drove|pushed)\s+|ran\s+)out", ("drove", "pushed", "ran")),
        (r"(?:(?:drove|pushed)?\s+|ran\s+)out", ()),  # the inner group is optional
        (r"(?:seized|captured)?\s+town", ()),  # the group is optional: nothing is required
        (r"(?:\w+-(?:month|week))\s+offensive", ()),
    ],
)
def test_leading_literals_are_read_off_the_pattern(pattern: str, literals: tuple) -> None:
    assert leading_literals(pattern) == literals


@pytest.mark.parametrize(
    "pattern, literals",
    [
        (r"(?:\w+-(?:month|week|day|year)\s+(?:offensive|siege))\b", ("-month", "-week", "-day", "-year")),
        (r"\w+-(?:month|week)?\s+offensive", ("-",)),  # the group is optional: only "-" is required
        (r"\w++ing\b", ("ing",)),
        (r"\w+\s+offensive", ()),  # nothing literal follows the word
        (r"(?:\w+-month)?\s+offensive", ()),  # the group is optional
        (r"(?:\w+-month|siege)\b", ()),  # an alternative does not open with a word
        (r"seized\b", ()),
    ],
)
def test_literals_after_a_leading_word_are_read_off_the_pattern(pattern: str, literals: tuple) -> None:
    assert literals_after_word(pattern) == literals


def literal_word_starts_by_scan(folded: str, literals: tuple[str, ...]) -> list[tuple[int, str]]:
    """`literal_word_starts` as it was written first: one scan of the text per literal."""
    return sorted(
        (at, literal)
        for literal in literals
        for at in find_all(folded, literal)
        if not at or not is_word_char(folded[at - 1])
    )


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab _-'é1\nԱ", max_size=40),
    literals=st.lists(
        st.text(alphabet="ab _-'é1Ա", min_size=2, max_size=4).filter(lambda t: is_word_char(t[0])), max_size=6
    ),
)
def testliteral_word_starts_from_the_index_are_those_of_a_scan(text: str, literals: list[str]) -> None:
    literals = tuple(dict.fromkeys(literals))
    assert sorted(literal_word_starts(text, literals)) == literal_word_starts_by_scan(text, literals)


_WORDS = st.lists(st.text(alphabet="ab -'", min_size=0, max_size=4), max_size=6)


@settings(max_examples=300, deadline=None)
@given(words=_WORDS, text=st.text(alphabet="ab -'x", max_size=30))
def test_one_of_matches_as_the_words_listed_in_order(words: list[str], text: str) -> None:
    """The tree matches what the plain alternation matches, the same word at each place."""
    if not words:
        return
    tree = re.compile(one_of(words))
    listed = re.compile("(?:" + "|".join(map(re.escape, words)) + ")")
    for at in range(len(text) + 1):
        got, expected = tree.match(text, at), listed.match(text, at)
        assert (got and got.span()) == (expected and expected.span()), (words, text, at)


def test_one_of_writes_a_tree_with_the_given_literal() -> None:
    assert one_of(["ten", "twelve", "two"]) == "t(?:en|w(?:elve|o))"
    spaced = one_of(
        ["al bab", "al nusra"], literal=lambda text: "".join(r"\s+" if c == " " else re.escape(c) for c in text)
    )
    assert spaced == r"al\s+(?:bab|nusra)"
    assert re.fullmatch(spaced, "al   nusra")


_PHRASES = st.lists(st.text(alphabet="ab é_", min_size=1, max_size=4), max_size=6)


@settings(max_examples=300, deadline=None)
@given(phrases=_PHRASES, text=st.text(alphabet="ab é_-x", max_size=40))
def test_phrase_table_finds_whole_words_as_the_regex_does(phrases: list[str], text: str) -> None:
    """`whole_words` gives what finditer gives for the alternation between word boundaries: the
    first phrase listed at each place, none overlapping."""
    table = PhraseTable(phrases)
    if not table.phrases:
        assert table.whole_words(text) == []
        return
    regex = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, table.phrases)) + r")(?!\w)")
    assert table.whole_words(text) == [(m.start(), m.end(), m.group()) for m in regex.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(
    phrases=_PHRASES,
    text=st.text(alphabet="ab é_-x", max_size=40),
    cut=st.tuples(st.integers(0, 40), st.integers(0, 40)),
)
def test_phrase_table_finds_every_phrase_inside_a_stretch(phrases: list[str], text: str, cut: tuple[int, int]) -> None:
    start, end = min(cut), min(max(cut), len(text))
    expected = {p for p in phrases if any(start <= at and at + len(p) <= end for at in find_all(text, p))}
    assert PhraseTable(phrases).found(text, start, end) == expected


def test_phrase_table_refuses_the_empty_phrase() -> None:
    with pytest.raises(ValueError, match="empty string"):
        PhraseTable(["a", ""])


def test_the_store_fingerprints_every_module_and_package_of_the_extraction() -> None:
    """A change to the toolkit (or to pyahocorasick) changes what is extracted: stored events must
    then be re-extracted, so the extractor's fingerprint covers every module the loader imports."""
    import subprocess
    import sys

    from data.store import EXTRACTOR_MODULES, EXTRACTOR_PACKAGES
    from tests.conftest import REPO

    listed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, data.pipeline; print(*sorted(m for m in sys.modules if m.startswith('data.')))",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    imported = {name.split(".")[1] for name in listed}
    # (incidents are assigned across articles after extraction, by every update)
    assert imported - {"incidents"} <= set(EXTRACTOR_MODULES)
    assert "pyahocorasick" in EXTRACTOR_PACKAGES


def test_cardinals_are_the_number_words_one_to_nineteen_and_the_tens() -> None:
    assert len(CARDINALS) == 27
    assert (CARDINALS["one"], CARDINALS["thirteen"], CARDINALS["nineteen"], CARDINALS["twenty"]) == (1, 13, 19, 20)
    assert CARDINALS["ninety"] == 90 and list(CARDINALS)[-1] == "ninety"
