"""Stage 2: sentence boundaries with exact offsets."""

from __future__ import annotations

import pytest

from data.clean import find_marked_spans
from data.sentences import split_sentences


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
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_marked_text_is_skipped() -> None:
    text = "WASHINGTON — Troops advanced on Monday. Courtney Kube reported from Washington, D.C."
    sentences = split_sentences(text, find_marked_spans(text))
    assert [s.text for s in sentences] == ["Troops advanced on Monday."]
