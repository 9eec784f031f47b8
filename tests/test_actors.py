"""Stage 5: aliases to canonical actors, case rules, parents, affiliated people."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.actors import _alias_pattern, _finditer_at_candidates, _matcher, actor_table, find_actors, with_parents


def actors_in(text: str) -> list[str]:
    return [m.actor for m in find_actors(text)]


@pytest.mark.parametrize(
    "text, actor",
    [
        ("ISIS fighters fled", "Islamic State"),
        ("ISIL claimed it", "Islamic State"),
        ("Daesh was driven out", "Islamic State"),
        ("the jihadists withdrew", "Islamic State"),
        ("the Islamic State group said", "Islamic State"),
        ("IS militants attacked", "Islamic State"),
        ("the SDF advanced", "Syrian Democratic Forces"),
        ("US-backed Syrian Democratic Forces", "Syrian Democratic Forces"),
        ("the YPG flag", "People's Protection Units"),
        ("Popular Protection Units", "People's Protection Units"),
        ("Iraqi security forces entered", "Iraqi Security Forces"),
        ("Iraqi federal police celebrate", "Iraqi Federal Police"),
        ("the Counter Terrorism Service", "Iraqi Counter Terrorism Service"),
        ("Kurdish Peshmerga fighters", "Peshmerga"),
        ("U.S.-led coalition airstrikes", "US-led coalition"),
        ("the Syrian army said", "Syrian Government Forces"),
        ("Turkish troops crossed", "Turkey"),
        ("Russian warplanes struck", "Russia"),
        ("the Free Syrian Army", "Free Syrian Army"),
        ("FSA units", "Free Syrian Army"),
        ("Hashd al-Shaabi units", "Popular Mobilisation Forces"),
        ("Popular Mobilization Forces", "Popular Mobilisation Forces"),
        ("Jabhat al-Nusra fighters", "Jabhat Fateh al-Sham"),
        ("Hezbollah fighters", "Hezbollah"),
    ],
)
def test_aliases(text: str, actor: str) -> None:
    assert actor in actors_in(text)


@pytest.mark.parametrize("text", ["This is not it.", "He is here", "Iss of the river", "the isis flower"])
def test_lowercase_words_are_not_acronyms(text: str) -> None:
    assert "Islamic State" not in actors_in(text)


def test_parts_bring_their_parent() -> None:
    assert with_parents(["Iraqi Federal Police"]) == ["Iraqi Federal Police", "Iraqi Security Forces"]


def test_affiliated_spokesman_is_the_actor() -> None:
    text = "SDF spokesman Talal Sello released a statement. Later Sello told AFP it was over."
    later = [m for m in find_actors(text) if m.start > text.index("Later")]
    assert [(m.text, m.actor) for m in later] == [("Sello", "Syrian Democratic Forces")]


def test_every_actor_has_a_type() -> None:
    assert all(info.actor_type for info in actor_table().values())


def _one_alternation() -> re.Pattern[str]:
    """Every alias in one regex, longest first: what `_finditer_at_candidates` must find."""
    aliases = sorted({a for info in actor_table().values() for a in info.aliases}, key=len, reverse=True)
    return re.compile(r"(?<![\w\-])(?:" + "|".join(map(_alias_pattern, aliases)) + r")(?![\w\-])")


ACTOR_WORDS = [alias for info in list(actor_table().values())[::3] for alias in info.aliases[:2]] + [
    "the", "is", "Is", "IS", "isis", "SDF-led", "-", "said", "\n", "Ahrar", "al-", "forces", "FORCES", "İS", "ſdf"]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(ACTOR_WORDS), max_size=12), case=st.sampled_from(["keep", "lower", "upper"]))
def test_aliases_are_tried_by_first_letter_where_the_one_alternation_matches(words: list[str], case: str) -> None:
    text = " ".join(words)
    text = {"keep": text, "lower": text.lower(), "upper": text.upper()}[case]
    patterns, candidates, _ = _matcher()
    assert [m.span() for m in _finditer_at_candidates(patterns, candidates, text)] == \
        [m.span() for m in _one_alternation().finditer(text)]
