"""Stage 5: the actor table, the grammar of national forces, generic actors, case rules, parents,
affiliated people. Every sentence here is written for the test."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.actors import (
    ACTORS_CSV,
    ALIAS_END,
    ALIAS_START,
    COUNTRIES_CSV,
    UNIDENTIFIED_ARMED_GROUP,
    _alias_pattern,
    _finditer_at_candidates,
    _matcher,
    actor_country,
    actor_table,
    actor_type,
    find_actors,
    is_generic,
    main_armed_group,
    nationalities,
    specialise,
    with_parents,
)

ACLED_TYPES = {
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
}


def actors_in(text: str) -> list[str]:
    return [m.actor for m in find_actors(text)]


def spans_in(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.actor) for m in find_actors(text)]


# --- the table ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, actor",
    [
        ("ISIS fighters fled the town", "Islamic State"),
        ("ISIL claimed it", "Islamic State"),
        ("Daesh was driven out", "Islamic State"),
        ("the Islamic State group said", "Islamic State"),
        ("the SDF advanced", "Syrian Democratic Forces"),
        ("US-backed Syrian Democratic Forces took the dam", "Syrian Democratic Forces"),
        ("U.S.-backed Syrian fighters entered the village", "Syrian Democratic Forces"),
        ("an alliance of Kurdish and Arab fighters", "Syrian Democratic Forces"),
        ("the YPG flag", "People's Protection Units"),
        ("Popular Protection Units", "People's Protection Units"),
        ("the YPJ commander", "Women's Protection Units"),
        ("the Manbij Military Council said", "Manbij Military Council"),
        ("Iraqi security forces entered", "Iraqi Security Forces"),
        ("Iraqi federal police celebrate", "Iraqi Federal Police"),
        ("the Counter Terrorism Service", "Iraqi Counter Terrorism Service"),
        ("the Golden Division pushed on", "Iraqi Counter Terrorism Service"),
        ("Kurdish Peshmerga fighters", "Peshmerga"),
        ("U.S.-led coalition airstrikes", "US-led coalition"),
        ("the Syrian army said", "Syrian Government Forces"),
        ("the Free Syrian Army", "Free Syrian Army"),
        ("FSA units", "Free Syrian Army"),
        ("Hashd al-Shaabi units", "Popular Mobilisation Forces"),
        ("Popular Mobilization Forces", "Popular Mobilisation Forces"),
        ("Shi\u2019ite militias moved west", "Popular Mobilisation Forces"),  # a curly apostrophe
        ("the Badr Organization", "Badr Organisation"),
        ("Kataib Hezbollah rockets", "Kata'ib Hezbollah"),
        ("Jabhat al-Nusra fighters", "Jabhat al-Nusra"),
        ("Hayat Tahrir al-Sham took the town", "Hayat Tahrir al-Sham"),
        ("Hezbollah fighters", "Hezbollah"),
        ("al Qaeda and its allies", "al-Qaeda"),  # a space for the hyphen
        ("AQAP claimed the raid", "Al Qaeda in the Arabian Peninsula"),
        ("the Taliban overran the district", "Taliban"),
        ("Boko Haram abducted them", "Boko Haram"),
        ("ISWAP fighters raided the base", "Islamic State - West Africa Province"),
        ("Sinai Province claimed it", "Islamic State - Sinai Province"),
        ("the Maute group held the city", "Maute Group"),
        ("Abu Sayyaf kidnappers", "Abu Sayyaf"),
        ("Densus 88 raided a house", "Densus 88"),
        ("the PKK said", "Kurdistan Workers' Party"),
        ("Houthi rebels fired a missile", "Houthi Movement"),
        ("the Saudi-led coalition bombed the port", "Operation Restoring Hope"),
        ("Libyan National Army troops", "Libyan National Army"),
        ("the Pentagon said", "Military Forces of the United States"),
        ("the IRGC said", "Islamic Revolutionary Guard Corps"),
        ("AMISOM troops", "AMISOM"),
    ],
)
def test_aliases(text: str, actor: str) -> None:
    assert actor in actors_in(text)


@pytest.mark.parametrize("text", ["This is not it.", "He is here", "Iss of the river", "the isis flower"])
def test_lowercase_words_are_not_acronyms(text: str) -> None:
    assert "Islamic State" not in actors_in(text)


@pytest.mark.parametrize(
    "text, person_actor",
    [
        ("Erdogan said the operation would continue.", "Government of Turkey"),
        ("Prime Minister Haider al-Abadi visited the front.", "Government of Iraq"),
        ("President Obama spoke on Tuesday.", "Government of the United States"),
        ("Putin met the delegation.", "Government of Russia"),
    ],
)
def test_people_are_their_government_not_a_military(text: str, person_actor: str) -> None:
    assert actors_in(text) == [person_actor]
    assert not any(m.actor.startswith("Military Forces") for m in find_actors(text))


def test_parts_bring_their_parent() -> None:
    assert with_parents(["Iraqi Federal Police"]) == ["Iraqi Federal Police", "Iraqi Security Forces"]
    assert with_parents(["Women's Protection Units"]) == [
        "Women's Protection Units",
        "People's Protection Units",
        "Syrian Democratic Forces",
    ]
    assert with_parents(["Densus 88", "Police Forces of Indonesia"]) == ["Densus 88", "Police Forces of Indonesia"]


def test_affiliated_spokesman_is_the_actor() -> None:
    text = "SDF spokesman Talal Sello released a statement. Later Sello told AFP it was over."
    later = [m for m in find_actors(text) if m.start > text.index("Later")]
    assert [(m.text, m.actor) for m in later] == [("Sello", "Syrian Democratic Forces")]


# --- the grammar of national forces ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Turkish soldiers were killed", [("Turkish soldiers", "Military Forces of Turkey")]),
        ("Turkish police detained nine people", [("Turkish police", "Police Forces of Turkey")]),
        ("Turkish security forces raided a flat", [("Turkish security forces", "Police Forces of Turkey")]),
        ("Indonesian police shot a man", [("Indonesian police", "Police Forces of Indonesia")]),
        ("Jordanian warplanes struck", [("Jordanian warplanes", "Military Forces of Jordan")]),
        ("French troops were hurt", [("French troops", "Military Forces of France")]),
        ("U.S. special forces landed", [("U.S. special forces", "Military Forces of the United States")]),
        ("US troops left", [("US troops", "Military Forces of the United States")]),
        ("American advisers called in strikes", [("American advisers", "Military Forces of the United States")]),
        ("British jets flew over", [("British jets", "Military Forces of the United Kingdom")]),
        ("Philippine troops cleared the town", [("Philippine troops", "Military Forces of the Philippines")]),
        ("Russia's military denied it", [("Russia's military", "Military Forces of Russia")]),
        ("Turkey\u2019s army shelled the hills", [("Turkey\u2019s army", "Military Forces of Turkey")]),
        ("the Egyptian army killed ten", [("Egyptian army", "Military Forces of Egypt")]),
        ("Belgian riot police", [("Belgian riot police", "Police Forces of Belgium")]),
        # a table actor claims the phrase, whichever way the nationality is written
        ("Iraqi forces advanced", [("Iraqi forces", "Iraqi Security Forces")]),
        ("Iraqi troops advanced", [("Iraqi troops", "Iraqi Security Forces")]),
        ("Iraq's security forces advanced", [("Iraq's security forces", "Iraqi Security Forces")]),
        ("Iraqi special forces advanced", [("Iraqi special forces", "Iraqi Counter Terrorism Service")]),
        ("Iraq's special forces advanced", [("Iraq's special forces", "Iraqi Counter Terrorism Service")]),
        ("Iraqi police said", [("Iraqi police", "Police Forces of Iraq")]),
        ("the Syrian army shelled it", [("Syrian army", "Syrian Government Forces")]),
        ("Syrian warplanes struck", [("Syrian warplanes", "Syrian Government Forces")]),
        # coordination names every country
        (
            "Russian and Syrian jets bombed Aleppo",
            [("Russian", "Military Forces of Russia"), ("Syrian jets", "Syrian Government Forces")],
        ),
        (
            "U.S. and Turkish forces patrolled",
            [("U.S.", "Military Forces of the United States"), ("Turkish forces", "Military Forces of Turkey")],
        ),
        (
            "Saudi, Emirati and Bahraini jets",
            [
                ("Saudi", "Military Forces of Saudi Arabia"),
                ("Emirati", "Military Forces of the United Arab Emirates"),
                ("Bahraini jets", "Military Forces of Bahrain"),
            ],
        ),
        # an action noun names the state's forces too
        ("the Turkish offensive began", [("Turkish offensive", "Military Forces of Turkey")]),
        ("Russian air strikes hit the market", [("Russian air strikes", "Military Forces of Russia")]),
        ("after the U.S.-led invasion", [("U.S.-led invasion", "Military Forces of the United States")]),
        # government, civilians, protesters of a country
        ("the Turkish government said", [("Turkish government", "Government of Turkey")]),
        ("Turkish authorities said", [("Turkish authorities", "Government of Turkey")]),
        ("three Iraqi civilians died", [("Iraqi civilians", "Civilians (Iraq)")]),
        ("Egyptian protesters gathered", [("Egyptian protesters", "Protesters (Egypt)")]),
        # armed men of a nationality are unidentified: the nationality is no state force
        ("Indonesian militants attacked", [("Indonesian militants", UNIDENTIFIED_ARMED_GROUP)]),
    ],
)
def test_national_forces(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Turkish-backed rebels took the town",  # backed by Turkey: the rebels act, not Turkey
        "Iran-backed militias",
        "the Iraqi city of Mosul",
        "Syrian refugee camps",
        "an Iraqi official said",
    ],
)
def test_a_nationality_without_a_force_noun_is_no_state_actor(text: str) -> None:
    assert not any(a.startswith(("Military Forces", "Police Forces")) for a in actors_in(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Turkey sent tanks into Syria.", [("Turkey", "Military Forces of Turkey")]),
        ("Iraq announced the start of the offensive.", [("Iraq", "Government of Iraq")]),
        (
            "Russia and Iran launched strikes.",
            [("Russia", "Military Forces of Russia"), ("Iran", "Military Forces of Iran")],
        ),
        ("The United States has also deployed warships.", [("United States", "Military Forces of the United States")]),
        (
            "The rebels are backed by Turkey and Qatar.",
            [
                ("rebels", "Opposition Rebels ({country})"),
                ("Turkey", "Military Forces of Turkey"),
                ("Qatar", "Military Forces of Qatar"),
            ],
        ),
    ],
)
def test_a_country_as_an_agent(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Fighters crossed from Turkey into Syria.",
        "Rocket fire from northern Syria hit the town.",
        "A bomb in Indonesia killed two.",
        "Turkey's largest city was quiet.",
        "The talks in Turkey ended.",
    ],
)
def test_a_country_as_a_place_is_no_actor(text: str) -> None:
    assert not any(a.startswith(("Military Forces", "Government of")) for a in actors_in(text))


# --- generic actors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, actor",
    [
        ("gunmen opened fire", UNIDENTIFIED_ARMED_GROUP),
        ("the attackers fled", UNIDENTIFIED_ARMED_GROUP),
        ("two assailants were shot", UNIDENTIFIED_ARMED_GROUP),
        ("a suicide bomber blew himself up", UNIDENTIFIED_ARMED_GROUP),
        ("the jihadists withdrew", UNIDENTIFIED_ARMED_GROUP),
        ("insurgents ambushed a convoy", UNIDENTIFIED_ARMED_GROUP),
        ("police arrested a man", "Police Forces of {country}"),
        ("two policemen were wounded", "Police Forces of {country}"),
        ("security forces surrounded the house", "Police Forces of {country}"),
        ("soldiers were killed", "Military Forces of {country}"),
        ("the army retook the hill", "Military Forces of {country}"),
        ("government forces shelled the town", "Military Forces of {country}"),
        ("civilians fled", "Civilians ({country})"),
        ("villagers were told to leave", "Civilians ({country})"),
        ("protesters marched", "Protesters ({country})"),
        ("demonstrators gathered", "Protesters ({country})"),
        ("a mob set fire to it", "Rioters ({country})"),
        ("rebels shelled the town", "Opposition Rebels ({country})"),
        ("Kurdish fighters retook it", "Kurdish Forces ({country})"),
        ("tribal fighters held the road", "Unidentified Tribal Militia ({country})"),
    ],
)
def test_generic_actors(text: str, actor: str) -> None:
    assert actors_in(text) == [actor]
    assert is_generic(actor)


@pytest.mark.parametrize(
    "text",
    [
        "they attacked a police station",
        "an army base was hit",
        "men in police uniforms",
        "the military operations ended",
    ],
)
def test_a_generic_noun_qualifying_another_is_no_actor(text: str) -> None:
    assert actors_in(text) == []


@pytest.mark.parametrize(
    "text, span",
    [
        ("ISIS militants attacked", "ISIS militants"),
        ("suspected Islamic State fighters", "Islamic State fighters"),
        ("militants loyal to the Islamic State", "militants loyal to the Islamic State"),
        ("gunmen from the Islamic State group", "gunmen from the Islamic State group"),
        ("jihadists of the Islamic State", "jihadists of the Islamic State"),
    ],
)
def test_a_named_group_swallows_its_members(text: str, span: str) -> None:
    assert spans_in(text) == [(span, "Islamic State")]


@pytest.mark.parametrize(
    "actor, country, expected",
    [
        ("Police Forces of {country}", "TR", "Police Forces of Turkey"),
        ("Police Forces of {country}", None, "Police Forces"),
        ("Police Forces of {country}", "IQ", "Police Forces of Iraq"),
        ("Military Forces of {country}", "TR", "Military Forces of Turkey"),
        ("Military Forces of {country}", "US", "Military Forces of the United States"),
        ("Military Forces of {country}", "IQ", "Iraqi Security Forces"),  # the table's name for it
        ("Military Forces of {country}", "SY", "Syrian Government Forces"),
        ("Military Forces of {country}", "", "Military Forces"),
        ("Civilians ({country})", "IQ", "Civilians (Iraq)"),
        ("Civilians ({country})", "US", "Civilians (United States)"),
        ("Civilians ({country})", None, "Civilians"),
        ("Unidentified Armed Group ({country})", "ID", "Unidentified Armed Group (Indonesia)"),
        ("Unidentified Armed Group ({country})", None, "Unidentified Armed Group"),
        ("Kurdish Forces ({country})", "IQ", "Peshmerga"),
        ("Kurdish Forces ({country})", "SY", "People's Protection Units"),
        ("Kurdish Forces ({country})", "TR", "Kurdistan Workers' Party"),
        ("Kurdish Forces ({country})", None, "Kurdish Forces"),
        ("Opposition Rebels ({country})", "SY", "Syrian rebels"),
        ("Opposition Rebels ({country})", "YE", "Opposition Rebels (Yemen)"),
        ("Government of {country}", "PH", "Government of the Philippines"),
        ("Islamic State", "IQ", "Islamic State"),  # a named actor stays as it is
        ("Police Forces of {country}", "XX", "Police Forces"),  # an unknown code is an unknown country
    ],
)
def test_specialise(actor: str, country: str | None, expected: str) -> None:
    assert specialise(actor, country) == expected


@pytest.mark.parametrize(
    "actor, generic",
    [
        ("Unidentified Armed Group ({country})", True),
        ("Unidentified Armed Group (Iraq)", True),
        ("Unidentified Armed Group", True),
        ("Police Forces", True),
        ("Civilians", True),
        ("Police Forces of Turkey", False),
        ("Military Forces of Kuwait", False),
        ("Civilians (Iraq)", False),
        ("Islamic State", False),
        ("Iraqi Security Forces", False),
    ],
)
def test_is_generic(actor: str, generic: bool) -> None:
    assert is_generic(actor) is generic


@pytest.mark.parametrize(
    "actor, event_country, expected",
    [
        ("Military Forces of Turkey", None, "State forces"),
        ("Military Forces of Turkey", "TR", "State forces"),
        ("Military Forces of Turkey", "SY", "External/Other forces"),  # ACLED: state forces abroad
        ("Military Forces of Kuwait", "KW", "State forces"),  # a derived name has its template's type
        ("Iraqi Security Forces", "IQ", "State forces"),
        ("US-led coalition", "SY", "External/Other forces"),
        ("Islamic State", "SY", "Rebel group"),
        ("Popular Mobilisation Forces", "IQ", "Political militia"),
        ("Civilians (Iraq)", "IQ", "Civilians"),
        ("Protesters ({country})", None, "Protesters"),
        ("Unidentified Armed Group (Iraq)", "IQ", "Political militia"),
        ("No Such Actor", None, ""),
    ],
)
def test_actor_type(actor: str, event_country: str | None, expected: str) -> None:
    assert actor_type(actor, event_country) == expected


@pytest.mark.parametrize(
    "actor, country",
    [
        ("Iraqi Security Forces", "IQ"),
        ("Iraqi Federal Police", "IQ"),
        ("Military Forces of Turkey", "TR"),
        ("Police Forces of Belgium", "BE"),
        ("Military Forces of the United States", "US"),
        ("Civilians (Iraq)", "IQ"),
        ("Islamic State", ""),
        ("US-led coalition", ""),
        ("Islamic State - Sinai Province", "EG"),
        ("Police Forces of {country}", ""),
        ("No Such Actor", ""),
    ],
)
def test_actor_country(actor: str, country: str) -> None:
    assert actor_country(actor) == country


def test_main_armed_group_is_the_named_group_mentioned_most() -> None:
    text = "Gunmen attacked the post. IS claimed it. The SDF said IS had lost the town."
    assert main_armed_group(find_actors(text)) == "Islamic State"
    assert main_armed_group(find_actors("Gunmen attacked the post.")) == ""


# --- the reference table itself ------------------------------------------------------------------


def test_the_table_is_big_and_sourced() -> None:
    table = actor_table()
    assert len(table) > 100
    with open(ACTORS_CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert all(row["source"].strip() for row in rows)
    assert {"actor", "actor_type", "country", "parent", "aliases", "source"} <= set(rows[0])


def test_every_actor_has_an_acled_type_a_known_country_and_a_known_parent() -> None:
    with open(COUNTRIES_CSV, encoding="utf-8", newline="") as handle:
        countries = {row["iso"] for row in csv.DictReader(handle)}
    for info in actor_table().values():
        assert info.actor_type in ACLED_TYPES, info.actor
        assert not info.country or info.country in countries, info.actor
        assert not info.parent or info.parent in actor_table(), info.actor


def test_generic_rows_hold_the_placeholder_and_no_country() -> None:
    generic = [info for info in actor_table().values() if "{country}" in info.actor]
    assert {
        "Unidentified Armed Group ({country})",
        "Police Forces of {country}",
        "Military Forces of {country}",
        "Civilians ({country})",
        "Protesters ({country})",
        "Rioters ({country})",
    } <= {g.actor for g in generic}
    assert all(not g.country and not g.parent for g in generic)


def test_nationalities_cover_the_theatre() -> None:
    table = nationalities()
    for iso in (
        "IQ",
        "SY",
        "TR",
        "US",
        "RU",
        "IR",
        "JO",
        "SA",
        "LB",
        "IL",
        "EG",
        "LY",
        "YE",
        "AF",
        "NG",
        "SO",
        "PH",
        "ID",
    ):
        assert table[iso].adjectives, iso
    assert table["US"].article == "the" and "U.S." in table["US"].adjectives


# --- matching properties -----------------------------------------------------------------------


def _one_alternation() -> re.Pattern[str]:
    """Every alias in one regex, longest first: what `_finditer_at_candidates` must find."""
    aliases = sorted(
        {re.sub(r"[\s\-]+", " ", a) for info in actor_table().values() for a in info.aliases}, key=len, reverse=True
    )
    return re.compile(ALIAS_START + "(?:" + "|".join(map(_alias_pattern, aliases)) + ")" + ALIAS_END)


ACTOR_WORDS = [alias for info in list(actor_table().values())[::3] for alias in info.aliases[:2]] + [
    "the",
    "is",
    "Is",
    "IS",
    "isis",
    "SDF-led",
    "-",
    "said",
    "\n",
    "Ahrar",
    "al-",
    "forces",
    "FORCES",
    "İS",
    "ſdf",
    "Turkish",
    "Iraq's",
    "Russian",
    "and",
    ",",
    "soldiers",
    "police",
    "station",
    "jets",
    "U.S.",
    "-led",
    "by",
    "Turkey",
    "sent",
    "militants",
    "loyal",
    "to",
    "of",
    "Shi\u2019ite",
    "gunmen",
    "civilians",
]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(ACTOR_WORDS), max_size=12), case=st.sampled_from(["keep", "lower", "upper"]))
def test_aliases_are_tried_by_first_letter_where_the_one_alternation_matches(words: list[str], case: str) -> None:
    text = " ".join(words)
    text = {"keep": text, "lower": text.lower(), "upper": text.upper()}[case]
    patterns, candidates, _ = _matcher()
    assert [m.span() for m in _finditer_at_candidates(patterns, candidates, text)] == [
        m.span() for m in _one_alternation().finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(ACTOR_WORDS), max_size=16),
    separators=st.lists(st.sampled_from([" ", " ", ", ", ". ", "\n", "-"]), min_size=16, max_size=16),
)
def test_mentions_are_sorted_disjoint_exact_slices(words: list[str], separators: list[str]) -> None:
    text = "".join(word + separator for word, separator in zip(words, separators, strict=False))
    mentions = find_actors(text)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))
    assert all(m.actor and m.actor_type == actor_type(m.actor) for m in mentions)
