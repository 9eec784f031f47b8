"""Stage 6: event detection, clause splitting, context, fatalities and sides, on sentences
written for these tests (the seeds have their own golden file)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.articles import make_article
from data.events import (
    _FOLDED,
    CITY_ANAPHORA,
    CLAUSE_BOUNDARY,
    EVENT_CUES_CSV,
    LOCAL_BOUNDARY,
    SUBORDINATOR,
    _city_anaphor,
    _search_folded,
    event_cues,
    find_cue_matches,
)
from data.pipeline import process_article
from data.textmatch import fold_case, lower_pattern
from tests.conftest import REPO


def events_of(text: str, published: date = date(2017, 10, 17)):
    article = make_article("t", text, {"published": published.isoformat()}, source_path="", problems=[])
    events, problems = process_article(article)
    assert problems == []
    return events


@pytest.mark.parametrize(
    "sentence",
    [
        "The army is expected to launch an offensive on Raqqa next month.",
        "Officials said the militants could attack Mosul.",
        "The coalition will carry out air strikes in Syria.",
        "The SDF is one of many players in the Syrian civil war.",
        "Did the army retake Mosul?",
        "The group did not attack the town of Manbij.",
        "The army plans to retake Falluja.",
        "One family told reporters they ran out of food in Mosul on Monday.",
    ],
)
def test_not_events(sentence: str) -> None:
    assert events_of(sentence) == []


@pytest.mark.parametrize(
    "sentence, event_type, sub_event_type",
    [
        (
            "Islamic State militants seized the town of Palmyra on Sunday.",
            "Battles",
            "Non-state actor overtakes territory",
        ),
        ("Iraqi forces recaptured Ramadi from ISIS on Monday.", "Battles", "Government regains territory"),
        (
            "Russian warplanes carried out air strikes on Aleppo on Monday, killing 12 people.",
            "Explosions/Remote violence",
            "Air/drone strike",
        ),
        ("A suicide bomber killed 20 people in Baghdad on Sunday.", "Explosions/Remote violence", "Suicide bomb"),
        (
            "Turkish artillery shelled Kurdish positions near Azaz on Saturday.",
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        ),
        ("A cease-fire began in southwestern Syria on Sunday.", "Strategic developments", "Agreement"),
        ("Police arrested two suspects in Istanbul on Monday.", "Strategic developments", "Arrests"),
        ("Syrian troops took back the town of Palmyra from ISIS on Sunday.", "Battles", "Government regains territory"),
        ("Government troops battled their way into Palmyra on Friday.", "Battles", "Armed clash"),
        ("Turkish special forces launched an incursion into Jarabulus on Wednesday.", "Battles", "Armed clash"),
        (
            "Iraqi forces continued to advance on Mosul on Wednesday, after recapturing the district of Gogjali.",
            "Battles",
            "Government regains territory",
        ),
        ("The militants beheaded a professor in Palmyra in August.", "Violence against civilians", "Attack"),
    ],
)
def test_event_types(sentence: str, event_type: str, sub_event_type: str) -> None:
    events = events_of(sentence)
    assert [(e.event_type, e.sub_event_type) for e in events] == [(event_type, sub_event_type)]


@pytest.mark.parametrize(
    "sentence, fatalities, low, high",
    [
        ("Fighting in Mosul on Monday left 22 people dead.", 22, 22, 22),
        ("22 were reportedly killed in the attack on the hospital in Raqqa on Monday.", 22, 22, 22),
        ("At least 135 people were killed in Deir ez-Zor on Saturday.", 135, 135, None),
        ("Up to 300 militants were holding out in Raqqa on Sunday after the assault.", None, None, None),
        ("Air strikes on Raqqa on Monday killed up to 40 people.", None, None, 40),
        # ACLED's conservative reading: "dozens" is 12, and more may have died
        ("Air strikes on Raqqa on Monday killed dozens of civilians.", 12, 12, None),
        ("Between 10 and 15 people were killed in Raqqa on Monday.", None, 10, 15),
        ("Air strikes on Raqqa on Monday killed between 10 and 15 civilians.", None, 10, 15),
        ("An air strike on Raqqa on Monday left 10-15 civilians dead.", None, 10, 15),
        ("An air strike on Raqqa on Monday killed seven civilians.", 7, 7, 7),
        # number words past ten and "a dozen" (the offset phrases' small table must not hide them)
        ("Thirteen people were killed in an air strike on Raqqa on Monday.", 13, 13, 13),
        ("A car bomb in Baghdad on Monday killed at least a dozen people.", 12, 12, None),
        ("An air strike on Raqqa on Monday killed forty civilians.", 40, 40, 40),
        ("About 15,000 SDF fighters moved in on Raqqa last November in the assault.", None, None, None),
        ("The car bomb in Baghdad on Monday left 22 wounded.", None, None, None),
    ],
)
def test_fatalities(sentence: str, fatalities, low, high) -> None:
    events = events_of(sentence)
    if fatalities is None and low is None and high is None:
        assert all(e.fatalities is None and e.fatalities_low is None and e.fatalities_high is None for e in events)
    else:
        assert len(events) == 1
        assert (events[0].fatalities, events[0].fatalities_low, events[0].fatalities_high) == (fatalities, low, high)


def test_a_clause_with_its_own_date_is_its_own_event() -> None:
    text = "The announcement marked the end of a nine-month offensive to retake Mosul, which ISIS stormed in 2014."
    events = events_of(text, date(2017, 7, 10))
    assert [(e.date_start, e.date_precision) for e in events] == [
        (date(2016, 10, 10), "range"),
        (date(2014, 1, 1), "year"),
    ]
    assert events[1].actors == ["Islamic State"]


def test_a_detail_folds_into_its_event_and_lends_it_its_deaths() -> None:
    text = (
        "Earlier on Tuesday, the SDF cleared the last IS positions in Raqqa.\n"
        "Dozens of militants made their last stand, while 22 were reportedly killed in the attack."
    )
    (event,) = events_of(text)
    assert event.date_start == date(2017, 10, 17) and event.place == "Raqqa"
    assert event.fatalities == 22 and len(event.mentions) == 2


def test_present_perfect_is_dated_by_publication() -> None:
    (event,) = events_of("Iraqi forces have wrested control of Mosul from ISIS.", date(2017, 7, 10))
    assert (event.date_start, event.date_basis) == (date(2017, 7, 10), "publication")
    assert event.actor1 == "Iraqi Security Forces" and event.actor2 == "Islamic State"


def test_passive_agent_is_actor1_and_backers_are_not() -> None:
    (event,) = events_of("Raqqa was seized by the IS in early 2014.")
    assert event.actor1 == "Islamic State"
    (event,) = events_of("Fighters, who are backed by the United States, have taken full control of Raqqa.")
    assert event.actor1 != "United States"


def test_place_in_the_cues_clause_wins() -> None:
    (event,) = events_of(
        "The victory in Mosul comes more than 24 hours after a cease-fire began in southwestern Syria.",
        date(2017, 7, 10),
    )
    assert event.place == "southwestern Syria" and event.date_start == date(2017, 7, 9)


@pytest.mark.parametrize(
    "text, place",
    [
        # an actor's adjective is not a place
        ("U.S.-led coalition air strikes hit Raqqa on Monday.", "Raqqa"),
        # "al-Shadadi" (Shaddadi) ends like "Iraqi" but names a town: it is where the strikes hit
        (
            "At least 15 people were killed when strikes hit a bakery in al-Shadadi near the border with Iraq "
            "on Tuesday.",
            "Shaddadi",
        ),
        # a reference point ("south of Mosul") is not the event's place
        ("Oil wells burned in Qayara, a town south of Mosul that was retaken by Iraqi forces on Monday.", "Qayyarah"),
        # a country beats a continent
        (
            "The attack on the airport, a hub between Europe and Asia, was the deadliest suicide bombing in "
            "Turkey on Tuesday.",
            "Turkey",
        ),
    ],
)
def test_event_place_choice(text: str, place: str) -> None:
    (event,) = events_of(text)
    assert event.place == place


def test_quoted_claims_are_less_confident() -> None:
    (reported,) = events_of("The SDF took full control of Raqqa on Tuesday.")
    (quoted,) = events_of('"We took full control of Raqqa on Tuesday," an SDF spokesman said.')
    assert quoted.confidence < reported.confidence


def test_event_ids_are_stable() -> None:
    text = "Iraqi forces recaptured Ramadi from ISIS on Monday."
    assert [e.event_id for e in events_of(text)] == [e.event_id for e in events_of(text)]


# Cue matching skips the engine's leading \b for speed and checks word starts itself: it must give
# exactly the spans of the table's patterns as written.
_CUE_WORDS = [
    "un",
    "cleared",
    "clearing",
    "the",
    "last",
    "seized",
    "re",
    "captured",
    "air",
    "strikes",
    "on",
    "raids",
    "x",
    "-",
    " ",
    ", ",
    "drove",
    "them",
    "out",
    "of",
    "ran",
    "after",
    "retaking",
    "suicide",
    "bombers",
    "ceasefire",
    "began",
    "week",
    "long",
    "offensive",
    "_",
    "9",
    "é",
    "month",
    "-day",
    "siege",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_CUE_WORDS), max_size=40))
def test_cue_matches_equal_the_patterns_as_written(words: list[str]) -> None:
    text = "".join(words)
    folded = fold_case(text)
    expected = sorted(
        (m.start(), m.end(), i) for i, row in enumerate(_cue_rows()) for m in re.finditer(lower_pattern(row), folded)
    )
    cues = event_cues()
    got = sorted((start, end, cues.index(cue)) for start, end, cue in find_cue_matches(text))
    assert got == expected


def _cue_rows() -> list[str]:
    with open(EVENT_CUES_CSV, encoding="utf-8", newline="") as handle:
        return [row["pattern"] for row in csv.DictReader(handle)]


BOUNDARY_WORDS = ["after", "as", "which", "but", "when", ",", ";", " ", "  ", "\n", "—", "x", "whereas", "Mosul"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(BOUNDARY_WORDS), max_size=20))
def test_local_boundaries_are_those_of_the_pattern_with_an_optional_comma(words: list[str]) -> None:
    text = "".join(words)
    written = re.compile(CLAUSE_BOUNDARY.pattern + r"|,?" + SUBORDINATOR)
    assert [m.span() for m in LOCAL_BOUNDARY.finditer(text)] == [m.span() for m in written.finditer(text)]


FATALITY_WORDS = [
    "At",
    "least",
    "22",
    "people",
    "were",
    "KILLED",
    "killing",
    "the",
    "death",
    "toll",
    "rose",
    "to",
    "Forty",
    "1,200",
    "deaths",
    "city's",
    "Largest",
    "city",
    "İ",
    "ſ",
    "\u212a",
    "dozens",
    "dead",
    "Iraq's",
    "second-largest",
    "TOWN",
    "provincial",
    "capital",
]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(FATALITY_WORDS), max_size=14), cut=st.integers(0, 12))
def test_folded_searches_match_where_the_case_insensitive_patterns_do(words: list[str], cut: int) -> None:
    text = " ".join(words)
    for pattern in _FOLDED:
        folded, plain = _search_folded(pattern, text, cut, len(text)), pattern.search(text, cut, len(text))
        assert (folded and [folded.span(g) for g in range(pattern.groups + 1)]) == (
            plain and [plain.span(g) for g in range(pattern.groups + 1)]
        )
    anaphor, plain = _city_anaphor(text, cut, len(text)), CITY_ANAPHORA.search(text, cut, len(text))
    assert (anaphor and anaphor.span()) == (plain and plain.span())


@pytest.mark.parametrize(
    "text, published, day",
    [
        # the event told inside the offset phrase is counted from the sentence's day
        (
            "The president said on June 14 -- two days after a gunman killed 49 people in Orlando -- that the "
            "group was losing money.",
            date(2016, 6, 22),
            date(2016, 6, 12),
        ),
        (
            "Police raided a house in Bandung on Friday, a day after an attack by suicide bombers in Jakarta.",
            date(2016, 1, 16),
            date(2016, 1, 14),
        ),
        (
            "Troops seized the bridge on January 4, a week before an air strike hit the dam at Tabqa.",
            date(2016, 1, 20),
            date(2016, 1, 11),
        ),
    ],
)
def test_an_event_inside_an_offset_phrase_is_dated_from_its_anchor(text: str, published: date, day: date) -> None:
    events = events_of(text, published)
    assert day in {e.date_start for e in events}, [(e.excerpt[:30], e.date_start) for e in events]


def test_violence_against_civilians_with_no_perpetrator_named_is_the_articles_designated_group() -> None:
    text = (
        "Islamic State fighters herded families toward Mosul on Monday.\n\n"
        "At least 40 civilians were shot dead in one of the villages outside Mosul on Tuesday."
    )
    shot = [e for e in events_of(text, date(2016, 10, 22)) if e.fatalities == 40]
    assert shot and shot[0].actor1 == "Islamic State"


def test_victims_suspected_of_ties_to_the_group_are_not_its_victims() -> None:
    text = (
        "Islamic State fighters withdrew from the villages near Qayara on Monday.\n\n"
        "Up to six people were executed near Qayara in late October over suspected ties to Islamic State."
    )
    executed = [e for e in events_of(text, date(2016, 11, 10)) if e.event_type == "Violence against civilians"]
    assert executed and executed[0].actor1 != "Islamic State"


def test_a_distance_that_locates_the_town_just_named_leaves_the_town_the_place() -> None:
    text = (
        "Militants seized Qayara, which is 40 miles (65 kilometers) south of Mosul, in June 2014, "
        "but Iraqi forces liberated it in August."
    )
    assert {e.place for e in events_of(text, date(2016, 10, 22))} == {"Qayyarah"}


def test_a_pathological_article_is_extracted_within_seconds(tmp_path: Path) -> None:
    """Issue 13: one 640 KB sentence took a minute (the events stage was quadratic in a sentence's
    length, folding in an article's candidates, date selection in its dates) and a 60 KB run of
    dots froze the splitter. Run in a subprocess so that a regression fails by its timeout rather
    than hanging the test session."""
    unit = "Islamic State fighters attacked the town of Mosul on Monday and killed 12 civilians, "
    (tmp_path / "one_sentence.txt").write_text(unit * (400_000 // len(unit)) + "\n", encoding="utf-8")
    (tmp_path / "dots.txt").write_text("It began. " + "." * 60_000 + "\nThen it ended.\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    run = subprocess.run(
        [sys.executable, "-m", "data", "extract", str(tmp_path), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 0


def test_a_sentence_of_dozens_of_cues_reads_only_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each cue costs searches of its clause: "killed killed …" (issue 13's hostile input) took
    seconds per 100 KB. News sentences have a few cues (7 at most in the development corpus)."""
    import data.events

    seen: list[int] = []
    original = data.events.find_triggers

    def counting(text, start, end, matches):
        seen.append(len(matches))
        return original(text, start, end, matches)

    monkeypatch.setattr(data.events, "find_triggers", counting)
    article = make_article(
        "cues",
        "Militants killed " + "killed " * 120 + "people.\n",
        {"published": "2017-01-01"},
        source_path="",
        problems=[],
    )
    process_article(article)
    assert seen and max(seen) == data.events.MAX_CUES_PER_SENTENCE
