"""The non-event filter (data.eventness), on sentences written for these tests: each rule with
cases it must drop and look-alikes it must keep, then through the whole pipeline."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.articles import make_article
from data.eventness import CONDITION, FORECAST, NEGATION, REASONS, non_event_reason
from data.events import clauses_of, find_cue_matches
from data.pipeline import process_article
from data.textmatch import fold_for_prefilter


def reason_of(sentence: str, cue: str) -> str | None:
    """non_event_reason for the (longest) cue of the cue table that starts where `cue` does."""
    at = sentence.index(cue)
    matches = [m for m in find_cue_matches(sentence) if m[0] == at]
    assert matches, f"no cue of the table starts at {cue!r}"
    start, end, found = max(matches, key=lambda m: m[1])
    clause = next(c for c in clauses_of(sentence, 0, len(sentence)) if c[0] <= start < c[1])
    return non_event_reason(
        sentence,
        sentence_start=0,
        sentence_end=len(sentence),
        clause_start=clause[0],
        clause_end=clause[1],
        cue_start=start,
        cue_end=end,
        event_type=found.event_type,
        sub_event_type=found.sub_event_type,
    )


# (sentence, the cue, the reason): each rule, in sentences of its kind.
NON_EVENTS = [
    ("Have the rebels seized the airport?", "seized", "question"),
    ("Rebels said no civilians were killed in the raid.", "killed", "negation"),
    ("The ministry denied that its jets had bombed the hospital in the north.", "bombed", "negation"),
    ("There was a false report last year that the commander had been killed in an air strike.", "killed", "negation"),
    ("There is no evidence that the group carried out the bombing.", "bombing", "negation"),
    ("Government forces are expected to launch a new offensive next week.", "new offensive", "forecast"),
    ("The militia could carry out air strikes on the dam.", "air strikes", "forecast"),
    ("A siege of the capital would break the rebels' morale.", "siege", "forecast"),
    (
        "A push to take back the valley, the group's last stronghold, will depend on the weather.",
        "push to take",
        "forecast",
    ),
    ("Police arrested three men plotting a bomb attack on the airport.", "attack on", "forecast"),
    ("Engineers are preparing for the assault on the port city.", "assault on", "forecast"),
    ("If the militants seized the dam, the valley would flood.", "seized", "condition"),
    ("Nobody knows whether the commander was killed.", "killed", "condition"),
    ("Troops massed on the border to oust the militants from the town.", "oust", "purpose"),
    ("Commanders met to plan how to launch air strikes on the bridge.", "air strikes", "purpose"),
    ("The group uses civilians as human shields.", "as human shields", "generic"),
    (
        "The group ruled with fear, using beheadings, floggings and crucifixions to cow the residents.",
        "crucifixions",
        "generic",
    ),
    ("A museum honours soldiers killed in battle.", "killed", "generic"),
    ("Coalition jets carry out air strikes on the district almost every day.", "air strikes", "habitual"),
    ("Several foreign volunteers are known to have carried out suicide attacks abroad.", "suicide attacks", "habitual"),
    ("Big explosions sometimes set off revenge attacks against the minority.", "explosions", "habitual"),
    ("The group has also carried out repeated raids on police stations in the south.", "raids on", "habitual"),
    ("The airfield from which most air strikes are carried out lies in the desert.", "air strikes", "habitual"),
    ("The senator called for the use of drone strikes against the group.", "drone strikes", "call"),
    ("The opposition wants a halt in attacks on civilians.", "attacks on", "call"),
    ("Rights groups accuse the militia of using civilians as human shields.", "as human shields", "accusation"),
    ("The trouble with the carpet-bombing approach is that it makes new recruits.", "bombing", "abstract"),
    ("The number of air strikes has fallen since the spring.", "air strikes", "abstract"),
    ("Starvation is a weapon of siege warfare.", "siege", "abstract"),
    ("The general has fought in three wars.", "fought", "summary"),
    ("The talks aim to end a war that has killed more than 400,000 people.", "killed", "summary"),
    ("The country slid into a civil war which has killed more than 90,000.", "killed", "summary"),
    ("The uprising turned into a war, which began with peaceful protests in the capital.", "protests", "summary"),
    ("It became a war that has drawn in three neighbours, uprooted millions and killed 60,000.", "killed", "summary"),
    ("Aid convoys reached liberated villages in the valley.", "liberated", "attributive"),
    ("The slain commander was buried in his home town.", "slain", "attributive"),
    ("The minister renewed his verbal attack on the newspaper.", "attack on", "politics"),
    ("The cleric urged rallies in support of the army.", "rallies", "call"),
    ("The tribes will rally behind the army.", "rally", "forecast"),
    ("The tribal leaders rallied behind the army.", "rallied", "politics"),
    ("The summit is part of a diplomatic push launched last month to end the fighting.", "push launched", "politics"),
    ("The party launched a political campaign in the provinces.", "launched a political campaign", "politics"),
    ("Here, a picture of a suicide bomber from the group's magazine.", "suicide bomber", "caption"),
    ("He has appeared in several beheading videos.", "beheading", "media"),
    ("The raid demonstrated the group's reach.", "demonstrated", "other sense"),
    ("It was the worst treaty the kingdom had ever entered into.", "entered", "other sense"),
    ("The two factions entered into an uneasy alliance.", "entered", "other sense"),
    ("The shelling of the old town has to stop.", "shelling", "forecast"),
    ("The timeline for the offensive to retake the city is unclear.", "offensive to retake", "abstract"),
    ("The army marched north, with a view to capturing the provincial capital.", "capturing", "purpose"),
    ("The rebels appear to be on the verge of losing their last stronghold.", "losing", "forecast"),
    ("Snipers prevented the militia from advancing along the coast road.", "advancing", "negation"),
    ("The neighbours had objected to the rebels advancing beyond the river.", "advancing", "attitude"),
    ("The islands are more used to low-level raids on ferries than to a siege.", "raids on", "habitual"),
    ("The envoy said on June 10 that the militia has lost half the territory it once held.", "lost", "summary"),
    ("The militia seized swathes of the north and the east.", "seized", "summary"),
    ("The group has lost a third of the territory it had seized in the north.", "seized", "summary"),
    ("The border towns have faced increased rocket attacks this year.", "rocket attacks", "habitual"),
    ("The towns have faced increased rocket attacks and indiscriminate bombings.", "bombings", "habitual"),
    (
        "The militia has subjected every villager, woman or child that it has captured to torture.",
        "captured",
        "generic",
    ),
    ("The rebels, whose many foes are advancing on a number of fronts, are short of fuel.", "advancing on", "summary"),
    ("Families of the personnel deployed in the country were flown home.", "deployed", "attributive"),
]

# Real events, and sentences made to look like the non-events above: all must be kept.
EVENTS = [
    ("Islamic State militants seized the town on Tuesday.", "seized"),
    ("The Iraqi army entered the old city, which ISIS stormed in 2014.", "stormed"),
    ("A suicide bomber killed 17 people at a checkpoint.", "suicide bomber"),
    ("A suicide bomber killed 17 people at a checkpoint.", "killed"),
    ("Clashes erupted near the border.", "Clashes"),
    ("The offensive to retake Mosul began on Monday.", "offensive to retake"),
    ("Raqqa was seized by IS in early 2014.", "was seized"),
    ("Militants seized the airport and killed five guards.", "killed"),
    ("The army launched what could be its final assault on the city on Monday.", "final assault"),
    ("Explosions could be heard across the city on Monday.", "Explosions"),
    ("Air strikes hit the town and could resume on Tuesday.", "Air strikes"),
    ("Air strikes may have hit the hospital.", "Air strikes"),
    ("Suspects planning an attack on May Day celebrations were detained overnight.", "detained"),
    ("Dozens of villagers have died this year due to shelling.", "shelling"),
    ("The army plans to push on to the town that the militants seized in 2014.", "seized"),
    ("Air strikes killed 12 people in the town on Monday, the Daily Star reported.", "Air strikes"),
    ("A wave of 12 air strikes hit the town on Monday.", "air strikes"),
    ("The militants used a car bomb to destroy the checkpoint on Sunday.", "car bomb"),
    ("A large number of fighters withdrew towards the north on Sunday.", "withdrew"),
    ("The number of people killed in the bombing rose to 40.", "killed"),
    ("A soldier was killed on Tuesday in the war against the group.", "killed"),
    ("Iraqi forces liberated towns near the river on Monday.", "liberated"),
    ("The army has already entered the town.", "entered"),
    ("Troops entered into the town on Sunday.", "entered"),
    ("The bombing of the market must have been planned for weeks, police said on Monday.", "bombing"),
    ("Troops captured IS fighters near the dam.", "captured"),
    ("Militants attacked the public square on Friday.", "attacked"),
    ("Thousands demonstrated in the capital on Friday.", "demonstrated"),
    ("A photo taken from the border shows smoke rising after the army shelled the village on Monday.", "shelled"),
    ("Fighters who had been holding the bridge withdrew after a battle with the army.", "withdrew"),
    ("Government troops, who had besieged the town for months, stormed it on Sunday.", "stormed"),
    ("Rebels fired rockets at the airport as the army pushed into the city.", "pushed into"),
    ("Militia fighters advancing on the port were hit by an air strike on Monday.", "advancing"),
    ("The army came close to the town and shelled it on Monday.", "shelled"),
    ("The militia retook the bridge, preventing the rebels from crossing.", "retook"),
    ("The militia lost half of its fighters' positions in the village on Monday.", "lost"),
    ("Two hundred more troops were deployed to the border.", "deployed"),
    ("The militia, which seized about a third of the country in 2014, lost the port.", "seized"),
    ("Fighters had seized most of the rest of the city.", "seized"),
    ("The army entered the territory that the militants seized in 2014.", "seized"),
    ("Turkey wants the militia to leave areas it has captured from rebels in recent days.", "captured"),
    ("A surge in rocket attacks on Monday killed four people in the border town.", "rocket attacks"),
    ("Rebels killed all the soldiers who had stormed the village on Monday.", "stormed"),
]


@pytest.mark.parametrize("sentence, cue, reason", NON_EVENTS)
def test_non_events_have_their_reason(sentence: str, cue: str, reason: str) -> None:
    assert reason_of(sentence, cue) == reason


@pytest.mark.parametrize("sentence, cue", EVENTS)
def test_events_are_kept(sentence: str, cue: str) -> None:
    assert reason_of(sentence, cue) is None


def test_every_reason_is_explained_and_tested() -> None:
    tested = {reason for _, _, reason in NON_EVENTS}
    assert tested == set(REASONS)
    assert all(isinstance(line, str) and line for line in REASONS.values())


def events_of(text: str, published: date = date(2017, 10, 17)):
    article = make_article("t", text, {"published": published.isoformat()}, source_path="", problems=[])
    events, problems = process_article(article)
    assert problems == []
    return events


@pytest.mark.parametrize(
    "sentence",
    [
        "The militants use civilians as human shields.",
        "Coalition jets carry out air strikes on the district almost every day.",
        "The senator called for the use of drone strikes against the group.",
        "Here, a picture of a suicide bomber from the group's magazine.",
        "The general has fought in three wars.",
        "Rebels said no civilians were killed in the raid.",
    ],
)
def test_non_event_sentences_make_no_event(sentence: str) -> None:
    assert events_of(sentence) == []


def test_a_plot_is_dropped_but_the_arrest_is_kept() -> None:
    (event,) = events_of("Police arrested three men plotting a bomb attack on the airport in Ankara on Monday.")
    assert (event.event_type, event.sub_event_type) == ("Strategic developments", "Arrests")


def test_a_launch_told_through_a_free_relative_is_an_event() -> None:
    events = events_of(
        "The army said on Monday that its troops had launched what was expected to be a long offensive to retake Mosul."
    )
    assert [e.event_type for e in events] == ["Battles"]


FOLDABLE_WORDS = [
    "WILL",
    "would",
    "Could",
    "may",
    "set",
    "to",
    "expected",
    "planning",
    "İf",
    "ſhould",
    "Unless",
    "ahead",
    "of",
    "in",
    "order",
    "not",
    "N'T",
    "never",
    "no",
    "Nor",
    "denied",
    "launch",
    "retake",
    "and",
    "managed",
    "have",
    "seized",
    ",",
    ";",
    "“",
    "\n",
    "x",
    "the",
    "city",
    "\u212aill",
    "Whether",
]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(FOLDABLE_WORDS), max_size=24), cut=st.integers(0, 40))
def test_lower_case_patterns_over_folded_text_find_what_ignorecase_finds_in_the_text(
    words: list[str], cut: int
) -> None:
    # (the patterns are written in lower case and searched in the folded article)
    text = " ".join(words)[cut:]
    for pattern in (FORECAST, CONDITION, NEGATION):
        folded = pattern.search(fold_for_prefilter(text))
        plain = re.compile(pattern.pattern, re.IGNORECASE).search(text)
        assert (folded and folded.span()) == (plain and plain.span())


SENTENCE_WORDS = [
    "The",
    "army",
    "seized",
    "the",
    "town",
    "on",
    "Monday",
    "May",
    "may",
    "not",
    "if",
    "air",
    "strikes",
    "using",
    "as",
    "human",
    "shields",
    "often",
    "wars",
    ",",
    ";",
    "—",
    "which",
    "?",
    '"',
    "killed",
    "in",
    "battle",
    "called",
    "for",
    "the",
    "liberated",
    "İ",
    "ſ",
    "2014",
    "daily",
]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(SENTENCE_WORDS), max_size=30))
def test_every_cue_of_any_sentence_gets_none_or_a_known_reason(words: list[str]) -> None:
    text = " ".join(words)
    for start, end, cue in find_cue_matches(text):
        clause = next((c for c in clauses_of(text, 0, len(text)) if c[0] <= start < c[1]), (0, len(text)))
        reason = non_event_reason(
            text,
            sentence_start=0,
            sentence_end=len(text),
            clause_start=clause[0],
            clause_end=clause[1],
            cue_start=start,
            cue_end=end,
            event_type=cue.event_type,
            sub_event_type=cue.sub_event_type,
        )
        assert reason is None or reason in REASONS
