"""Who did what to whom (data.sides), on sentences written for these tests."""

from __future__ import annotations

import pytest

from data.actors import find_actors
from data.sides import in_temporal_adjunct, read_sides


def sides_of(text: str, cue: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """actor1, actor2 and the left-out mentions (name, reason) for the cue word in a one-clause text."""
    start = text.index(cue)
    sides = read_sides(text, (0, len(text)), (0, len(text)), (start, start + len(cue)), find_actors(text))
    return sides.actor1, sides.actor2, [(m.text, reason) for m, reason in sides.left_out]


@pytest.mark.parametrize(
    "text, cue, actor1, actor2",
    [
        # subject acts, object is acted upon
        (
            "The SDF seized the town from Islamic State fighters on Tuesday.",
            "seized",
            "Syrian Democratic Forces",
            "Islamic State",
        ),
        # a passive's agent acts; its subject is acted upon
        ("Raqqa was seized by the Islamic State in early 2014.", "seized", "Islamic State", None),
        ("Iraqi soldiers were killed by ISIS fighters near Mosul.", "killed", "Islamic State", "Iraqi Security Forces"),
        # "fell to X": X took it
        ("The town fell to ISIS in 2014.", "fell to", "Islamic State", None),
        # the subject of losing is the side acted upon
        ("ISIS lost Ramadi in December.", "lost", None, "Islamic State"),
        # who claims an attack made it
        ("ISIS claimed responsibility for the bombing in Baghdad.", "bombing", "Islamic State", None),
    ],
)
def test_roles(text: str, cue: str, actor1: str | None, actor2: str | None) -> None:
    first, second, _ = sides_of(text, cue)
    assert (first[0] if first else None) == actor1
    assert (second[0] if second else None) == actor2


def test_the_source_of_a_report_is_not_a_party() -> None:
    first, second, left_out = sides_of("The Pentagon said ISIS fighters were killed in the strike.", "strike")
    assert "The Pentagon" in [name for name, _ in left_out]
    assert "Military Forces of the United States" not in first + second


def test_a_source_that_speaks_of_itself_acts() -> None:
    first, _, _ = sides_of("The SDF said its fighters had taken full control of the town.", "taken full control")
    assert first == ["Syrian Democratic Forces"]


def test_a_backer_is_not_a_party() -> None:
    first, second, left_out = sides_of(
        "Fighters, who are backed by the United States, seized the town from ISIS.", "seized"
    )
    assert [reason for name, reason in left_out if name == "United States"] == ["backer, not a party"]
    assert second == ["Islamic State"]


def test_a_flag_of_a_group_does_not_make_it_a_party() -> None:
    _, _, left_out = sides_of("SDF fighters raised the flag of the YPG in the stadium.", "raised")
    assert ("YPG", "named in a description, not a party") in left_out


def test_a_subordinate_clause_keeps_its_actors() -> None:
    text = "Raqqa was seized by ISIS in early 2014, months after it fell to the rebels."
    first, second, left_out = sides_of(text, "seized")
    assert first == ["Islamic State"]
    assert ("rebels", "in another clause") in left_out


def test_a_date_in_a_since_clause_dates_another_moment() -> None:
    text = "Turkish jets struck targets in northern Syria since the downing of a Russian jet on 24 November 2015."
    cue = text.index("struck")
    assert in_temporal_adjunct(text, (0, len(text)), cue, text.index("24 November"))
    assert not in_temporal_adjunct(text, (0, len(text)), cue, text.index("northern"))


def test_the_object_of_the_subjects_verb_is_the_other_side() -> None:
    actor1, actor2, _ = sides_of("Police killed one suspected militant in a gun battle in the hills.", "gun battle")
    assert actor1 == ["Police Forces of {country}"]
    assert actor2 == ["Unidentified Armed Group ({country})"]


def test_a_conjunction_is_no_modifier_gap() -> None:
    actor1, _, _ = sides_of(
        "Police killed one suspected militant and arrested two more in raids on Friday.", "arrested"
    )
    assert actor1[0] == "Police Forces of {country}"
