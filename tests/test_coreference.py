"""One report per real event per article (data.coreference), on texts written for these tests."""

from __future__ import annotations

from datetime import date

from data.articles import make_article
from data.pipeline import process_article


def events_of(text: str, published: date = date(2017, 10, 17)):
    article = make_article("t", text, {"published": published.isoformat()}, source_path="", problems=[])
    events, problems = process_article(article)
    assert problems == []
    return events


def test_a_lead_and_its_restatements_are_one_event_told_three_times() -> None:
    text = (
        "Iraqi forces retook the town of Hit from Islamic State on Tuesday.\n\n"
        '"Hit has been liberated," an army spokesman said.\n\n'
        "The recapture of Hit came after fierce fighting, officials said."
    )
    (event,) = events_of(text)
    assert event.sub_event_type == "Government regains territory"
    assert len(event.mentions) == 3
    assert event.excerpt.startswith("Iraqi forces retook")


def test_details_fold_into_their_event_and_lend_it_their_figures() -> None:
    text = (
        "A car bomb exploded outside a police station in Kirkuk on Monday.\n\n"
        "Four people were killed in the blast, a security source said."
    )
    (event,) = events_of(text)
    assert event.event_type == "Explosions/Remote violence"
    assert event.fatalities == 4 and len(event.mentions) == 2


def test_another_bomb_is_another_event() -> None:
    text = (
        "A car bomb exploded at a market in Baghdad on Monday, killing 12 people.\n\n"
        "Another bomb went off at a checkpoint in Baghdad hours later, killing three."
    )
    first, second = events_of(text)
    assert (first.fatalities, second.fatalities) == (12, 3)


def test_a_background_event_with_its_own_date_stays_apart() -> None:
    text = (
        "Iraqi forces retook the town of Hit from Islamic State on Tuesday.\n\n"
        "Islamic State fighters had seized Hit in 2014."
    )
    recapture, seizure = events_of(text)
    assert seizure.date_start == date(2014, 1, 1) and recapture.date_start == date(2017, 10, 17)


def test_two_kinds_of_attack_told_in_one_clause_are_two_events() -> None:
    text = (
        "The offensive on Jarablus began on Wednesday, with Turkish artillery shelling "
        "Islamic State positions followed by air strikes by coalition warplanes."
    )
    kinds = sorted(e.sub_event_type for e in events_of(text))
    assert kinds == ["Air/drone strike", "Armed clash", "Shelling/artillery/missile attack"]


def test_a_campaign_and_an_incident_of_it_are_two_events() -> None:
    text = (
        "The SDF have taken full control of Manbij, the group said.\n\n"
        "The SDF had fought since June to drive Islamic State out of Manbij."
    )
    assert len(events_of(text, date(2016, 8, 12))) == 2


def test_damage_done_in_the_explosion_is_a_detail_of_the_bombing() -> None:
    text = (
        "A car bomb exploded at a market in the Karrada district of Baghdad on Monday, killing 12 people.\n\n"
        "At least three shops were destroyed in the explosion, witnesses said."
    )
    (event,) = events_of(text)
    assert event.sub_event_type == "Remote explosive/landmine/IED" and len(event.mentions) == 2


def test_damage_told_on_its_own_is_still_an_event() -> None:
    text = "Militants destroyed a Shi'ite shrine in the village of Tal Afar on Monday."
    (event,) = events_of(text)
    assert event.sub_event_type == "Looting/property destruction"


def test_families_driven_out_and_herded_away_are_one_attack_on_civilians() -> None:
    text = (
        "Islamic State abducted hundreds of families from villages around Hammam al-Alil on Monday, "
        "the UN said.\n\n"
        "The militants forced about 200 families out of the village of Hammam al-Alil, according to the UN."
    )
    (event,) = events_of(text, date(2016, 10, 22))
    assert event.event_type == "Violence against civilians" and len(event.mentions) == 2


def test_a_telling_without_date_or_place_and_its_fuller_telling_are_one_event() -> None:
    text = (
        "Demonstrations by followers of the cleric turned violent.\n\n"
        "Since April, protesters have twice stormed the Green Zone in Baghdad."
    )
    (event,) = events_of(text, date(2016, 6, 9))
    assert event.event_type == "Riots" and event.place == "Green Zone" and len(event.mentions) == 2


def test_a_detail_tells_the_days_event_not_months_of_attacks() -> None:
    text = (
        "A car bomb struck a market near the shrine in Damascus on Saturday.\n\n"
        "Debris littered a street near the shrine, in an area where at least three bomb attacks claimed "
        "by the group have killed scores of people this year.\n\n"
        "State media said at least eight people were killed."
    )
    events = events_of(text, date(2016, 6, 11))
    day = next(e for e in events if e.date_start == date(2016, 6, 11))
    assert day.fatalities == 8 and len(day.mentions) == 2


def test_a_launch_told_with_no_date_of_its_own_is_the_fighting_it_began() -> None:
    text = (
        "Fierce fighting is still under way in Mosul.\n\n"
        "Iraqi special forces on Tuesday seized the Gogjali district on the eastern edge of Mosul.\n\n"
        '"This is good news, the real operation to liberate Mosul has begun," a general said.'
    )
    (event,) = events_of(text, date(2016, 11, 2))
    assert event.sub_event_type == "Government regains territory" and len(event.mentions) == 3


def test_a_launch_with_its_own_date_stays_apart_from_a_capture() -> None:
    text = (
        "Iraqi forces launched an offensive to retake Mosul on October 17.\n\n"
        "Iraqi special forces on Tuesday seized the Gogjali district on the eastern edge of Mosul."
    )
    assert len(events_of(text, date(2016, 11, 2))) == 2
