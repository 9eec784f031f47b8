"""Stage 2: sentence boundaries with exact offsets."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.clean import find_marked_spans
from data.sentences import END, MAX_SENTENCE_CHARS, split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One. Two.", ["One.", "Two."]),
        ("Lt. Gen. Stephen Townsend spoke. He left.", ["Lt. Gen. Stephen Townsend spoke.", "He left."]),
        ("The U.S. military said so. Then it left.", ["The U.S. military said so.", "Then it left."]),
        ('"It is over," he said. "We won."', ['"It is over," he said.', '"We won."']),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("It began on Oct. 17 in Raqqa. Fighting ended.", ["It began on Oct. 17 in Raqqa.", "Fighting ended."]),
        ("Up to 300 remained. 22 died.", ["Up to 300 remained.", "22 died."]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_marked_text_is_skipped() -> None:
    text = "WASHINGTON — Troops advanced on Monday. Courtney Kube reported from Washington, D.C."
    sentences = split_sentences(text, find_marked_spans(text))
    assert [s.text for s in sentences] == ["Troops advanced on Monday."]


# ------------------------------------------------------------------------- hostile input (issue 13)

# The end pattern before issue 13: a run of punctuation made it quadratic.
_OLD_END = re.compile(r"[.!?][.!?]*[\"'”’)\]]*(?=\s)")


@pytest.mark.parametrize("run", [".", "!?", '."', "?)"])
def test_a_long_run_of_punctuation_is_split_in_linear_time(run: str) -> None:
    # 30 KB of dots took ~13 s of CPU before (60 KB froze every session for 50 s); now milliseconds.
    text = "It began. " + run * (30_000 // len(run)) + "x Then it ended."
    started = time.process_time()
    sentences = split_sentences(text)
    assert time.process_time() - started < 1.0
    assert sentences[0].text == "It began."
    assert all(text[s.start : s.end] == s.text for s in sentences)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=".!?\"')] \nAaU1", max_size=40))
def test_the_linear_end_pattern_finds_what_the_old_one_found(text: str) -> None:
    assert [m.span() for m in END.finditer(text)] == [m.span() for m in _OLD_END.finditer(text)]


def test_an_over_long_sentence_is_cut_into_pieces_at_clause_breaks() -> None:
    # A 200 KB "sentence" (issue 13: one of 640 KB took a minute in the events stage).
    unit = "Islamic State fighters attacked the town of Mosul on Monday and killed 12 civilians, "
    text = unit * (200_000 // len(unit))
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    # cut after a comma, so each piece is whole clauses
    assert all(s.text.endswith(",") for s in sentences[:-1])
    # nothing is lost but the spaces between pieces
    assert "".join(s.text for s in sentences).replace(" ", "") == text.replace(" ", "")


def test_a_long_word_without_spaces_is_cut_hard() -> None:
    text = "a" * (3 * MAX_SENTENCE_CHARS)
    assert [len(s.text) for s in split_sentences(text)] == [MAX_SENTENCE_CHARS] * 3


def test_a_long_news_sentence_is_not_cut() -> None:
    sentence = (
        "Iraqi forces, backed by coalition air strikes, retook the district on Monday, the ministry said; "
    ) * 5 + "the fighting went on."
    assert len(sentence) < MAX_SENTENCE_CHARS
    assert [s.text for s in split_sentences(sentence)] == [sentence]
