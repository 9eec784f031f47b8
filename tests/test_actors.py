"""Stage 5: aliases to canonical actors, case rules, parents, affiliated people."""

from __future__ import annotations

import pytest

from data.actors import actor_table, find_actors, with_parents


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
