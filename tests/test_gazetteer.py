"""The offline gazetteer: lookups, spelling variants, disambiguation by context, geopy adapters."""

from __future__ import annotations

import pickle

import pytest

from data.gazetteer import (
    GazetteerGeocoder,
    cache_path,
    get_gazetteer,
    normalize,
    skeleton,
    variant_keys,
)
from data.places import find_places


@pytest.fixture(scope="module")
def gazetteer():
    return get_gazetteer()


# (name as written, expected country, expected lat, expected lon, tolerance in degrees)
LOOKUPS = [
    ("Raqqa", "SY", 35.95, 39.01, 0.2),
    ("Raqqah", "SY", 35.95, 39.01, 0.2),
    ("ar-Raqqah", "SY", 35.95, 39.01, 0.2),
    ("Al-Raqqa", "SY", 35.95, 39.01, 0.2),
    ("Mosul", "IQ", 36.34, 43.13, 0.2),
    ("Deir ez-Zor", "SY", 35.34, 40.14, 0.2),
    ("Deir al-Zour", "SY", 35.34, 40.14, 0.2),
    ("Dayr az Zawr", "SY", 35.34, 40.14, 0.2),
    ("Deir el-Zour", "SY", 35.34, 40.14, 0.2),
    ("Kobani", "SY", 36.89, 38.35, 0.2),
    ("Kobane", "SY", 36.89, 38.35, 0.2),
    ("Tabqa", "SY", 35.84, 38.55, 0.2),
    ("al-Bab", "SY", 36.37, 37.52, 0.2),
    ("Manbij", "SY", 36.53, 37.95, 0.2),
    ("Fallujah", "IQ", 33.35, 43.78, 0.2),
    ("Falluja", "IQ", 33.35, 43.78, 0.2),
    ("Tal Afar", "IQ", 36.38, 42.45, 0.2),
    ("Amman", "JO", 31.95, 35.95, 0.2),
    ("Baghdad", "IQ", 33.34, 44.40, 0.2),
    ("Aleppo", "SY", 36.20, 37.16, 0.2),
    ("Syria", "SY", 35.0, 38.0, 1.0),
    ("U.S.", "US", 39.76, -98.5, 1.0),
    ("United Kingdom", "GB", 54.76, -2.7, 1.0),
    ("Texas", "US", 31.25, -99.25, 1.0),
    ("Ontario", "CA", 49.25, -84.5, 1.0),
    ("Nineveh province", "IQ", 36.2, 42.5, 1.0),
    ("Anbar", "IQ", 33.0, 42.0, 1.5),
    ("Deir ez-Zor province", "SY", 35.0, 40.5, 1.0),
    ("Kurdistan Region", "IQ", 36.2, 44.0, 1.0),
    ("Zürich", "CH", 47.37, 8.55, 0.2),
    ("Africa", "", 7.19, 21.09, 1.0),
]


@pytest.mark.parametrize("name,country,lat,lon,tol", LOOKUPS)
def test_lookup(gazetteer, name, country, lat, lon, tol):
    place = gazetteer.resolve(name)
    assert place is not None, name
    assert place.country == country
    assert abs(place.lat - lat) <= tol and abs(place.lon - lon) <= tol, (place.lat, place.lon)


def test_canonical_names_for_news_spellings(gazetteer):
    assert gazetteer.resolve("Raqqah").name == "Raqqa"
    assert gazetteer.resolve("Deir al-Zour").name == "Deir ez-Zor"


def test_normalize_and_variants_meet():
    assert normalize("Dayr az-Zawr") == "dayr az zawr"
    assert normalize("Ḥalab’s") == "halabs"
    assert variant_keys(normalize("Deir ez-Zor")) & variant_keys(normalize("Dayr az Zawr"))
    assert variant_keys(normalize("Raqqah")) & variant_keys(normalize("ar-Raqqa"))


def test_unknown_name_is_none(gazetteer):
    assert gazetteer.resolve("Qwxzzyville") is None


def _first(text, surface):
    return next(m for m in find_places(text) if m.text == surface)


@pytest.mark.parametrize(
    "text,surface,country,admin1",
    [
        ("Alexandria police said the fire in Pineville, Louisiana, spread.", "Alexandria", "US", "Louisiana"),
        ("The city of Alexandria on Egypt's coast flooded.", "Alexandria", "EG", ""),
        ("Palmyra was retaken by Syrian troops near Homs in Syria.", "Palmyra", "SY", "Homs"),
        ("He was born in Springfield, Ill., and moved away.", "Springfield", "US", "Illinois"),
        ("The rally in Springfield, Mass., drew crowds.", "Springfield", "US", "Massachusetts"),
        ("Officials in Atlanta said Georgia will vote, and Savannah agreed.", "Georgia", "US", "Georgia"),
        ("Russia sent troops into Georgia near Tbilisi.", "Georgia", "GE", ""),
        ("The monitoring center is in Amman, Jordan, officials said.", "Amman", "JO", ""),
        ("Paris is the capital of France.", "Paris", "FR", ""),
        ("Police in Paris, Texas, arrested a man.", "Paris", "US", "Texas"),
    ],
)
def test_disambiguation_by_context(text, surface, country, admin1):
    mention = _first(text, surface)
    assert mention.country == country
    if admin1:
        assert mention.admin1 == admin1


def test_geopy_geocoder_returns_locations(gazetteer):
    from geopy.location import Location

    geocoder = GazetteerGeocoder(gazetteer)
    location = geocoder.geocode("Raqqa")
    assert isinstance(location, Location)
    assert abs(location.latitude - 35.95) < 0.2 and abs(location.longitude - 39.01) < 0.2
    several = geocoder.geocode("Springfield", exactly_one=False)
    assert isinstance(several, list) and len(several) > 3
    assert all(isinstance(x, Location) for x in several)
    assert geocoder.geocode("Qwxzzyville") is None


def test_index_is_cached_on_disk(gazetteer):
    path = cache_path()
    assert path.exists()
    with open(path, "rb") as handle:
        payload = pickle.load(handle)
    assert len(payload["rows"]) == len(gazetteer)


def test_lookup_answers_are_fresh_lists(gazetteer):
    """lookup_key is memoised; a caller that sorts or empties its answer changes no later one."""
    first = gazetteer.lookup_key("aleppo")
    again = gazetteer.lookup_key("aleppo")
    assert first == again and first is not again
    first.clear()
    assert gazetteer.lookup_key("aleppo") == again
    assert gazetteer.lookup("Aleppo")[0].country == "SY"


# ---------------------------------------------------------------------------------- skeletons


@pytest.mark.parametrize(
    "one,other",
    [
        ("Shirqat", "Ash Sharqāt"),
        ("Tal Afar", "Tallafar"),
        ("Tel Afar", "Tall Afar"),
        ("Idlib", "Edlib"),
        ("Dayr az Zawr", "Deir ez-Zor"),
        ("Qaryatain", "Al Qaryatayn"),
        ("Sheikh Maqsoud", "Shaykh Maqsud"),
    ],
)
def test_skeletons_of_spellings_meet(one, other):
    assert skeleton(normalize(one)) == skeleton(normalize(other)) != ""


def test_skeletons_keep_apart_what_differs():
    assert skeleton("baghdadi") != skeleton("baghdad")  # the nisba is a person, not the city
    assert skeleton("raqqa") == ""  # two consonants meet too many names


def test_skeleton_lookup_stays_in_the_countries_given(gazetteer):
    found = gazetteer.lookup_skeleton("shirqat", {"IQ", "SY"})
    assert found and found[0].country == "IQ" and abs(found[0].lat - 35.51) < 0.2
    assert gazetteer.lookup_skeleton("shirqat", {"US", "FR"}) == []
    assert gazetteer.lookup_skeleton("shirqat", set()) == []


def test_short_skeletons_must_agree_in_syllables(gazetteer):
    assert all(p.name != "Mayadin" for p in gazetteer.lookup_skeleton("midan", {"SY"}))


def test_air_base_aliases_are_matched_in_every_spelling(gazetteer):
    aliases = {a for lm in gazetteer.landmarks if lm["id"] == "kuweires-airbase" for a in lm["aliases"]}
    assert {"Kuweires airbase", "Kuweires air base", "Kuweires Air Base", "Kuweires Airbase"} <= aliases
    generic = next(lm for lm in gazetteer.landmarks if lm["id"] == "generic-airport")
    assert "the Air Base" not in generic["aliases"]  # generic aliases match in any case already


# Runs of capitalised words as the place finder tries them: names of two or more words (also with
# articles and in a looser spelling), and runs that name nothing.
MULTI_WORD_KEYS = [
    "deir ez zor",
    "deir al zour",
    "dayr az zawr",
    "sharm el sheikh",
    "old city of mosul",
    "new york city",
    "ras al ain",
    "tal abyad",
    "al tanf",
    "saudi arabia",
    "united states",
    "bay of islands",
    "secretary of state john kerry",
    "mosul on tuesday",
    "kurdish peshmerga",
    "iraqi air force",
    "al",
    "al el",
    "the al",
    "zakho emergency hospital",
    "prime minister haider al abadi",
    "north korea",
]


@pytest.mark.parametrize("key", MULTI_WORD_KEYS)
@pytest.mark.parametrize("variants", [True, False])
def test_keys_ruled_out_by_their_last_words_name_nothing(gazetteer, key: str, variants: bool) -> None:
    found = gazetteer._lookup_key(key, variants)
    assert gazetteer._may_name(key, variants) or found == []
    assert gazetteer.lookup_key(key, variants=variants) == found


def test_no_name_of_the_index_is_ruled_out(gazetteer):
    for key in list(gazetteer._exact)[::50] + list(gazetteer._variant)[::5]:
        assert gazetteer._may_name(key, True) and gazetteer._may_name(key, False), key


# ---------------------------------------------------------------------------------- localities.csv


def test_localities_table_rows_are_complete_and_sourced():
    import csv

    from data.gazetteer import REFERENCE_DIR

    with open(REFERENCE_DIR / "localities.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["name"] and row["source"] and row["country"] in {"IQ", "SY"}, row
        assert row["kind"] in {"town", "village", "quarter"}, row
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
        assert row["kind"] != "quarter" or row["city"], row  # a quarter names its city
        # the theatre: Iraq and Syria lie within these bounds
        assert 29 < float(row["lat"]) < 38 and 35 < float(row["lon"]) < 49, row


@pytest.mark.parametrize(
    "name, country, lat, lon",
    [
        ("Hammam al-Alil", "IQ", 36.16, 43.26),
        ("Karemlash", "IQ", 36.30, 43.41),
        ("Dabiq", "SY", 36.54, 37.27),
        ("Tal Tamr", "SY", 36.66, 40.37),
        ("Shirqat", "IQ", 35.52, 43.23),
    ],
)
def test_localities_resolve_by_their_news_spellings(gazetteer, name, country, lat, lon):
    place = next(p for p in gazetteer.lookup(name) if p.country == country)
    assert abs(place.lat - lat) < 0.02 and abs(place.lon - lon) < 0.02


def test_quarters_know_their_city(gazetteer):
    zuhur = next(p for p in gazetteer.lookup("al-Zuhur") if p.kind == "quarter")
    mosul = gazetteer.resolve("Mosul", country="IQ")
    assert gazetteer.quarter_city[zuhur.place_id] == mosul.place_id
    assert zuhur.geo_precision == "district"


def test_a_quarter_is_read_only_where_its_city_is_named():
    with_city = {m.text: m for m in find_places("Iraqi troops fought in Mosul and then in al-Zuhur.")}
    assert with_city["al-Zuhur"].place_id.startswith("ref:mosul-")
    without = {m.text: m for m in find_places("Mr. Smith fought in Ohio and later moved to Zuhur.")}
    assert "Zuhur" not in without or not without["Zuhur"].place_id.startswith("ref:mosul-")


# ---------------------------------------------------------------------------------- the install step


@pytest.fixture
def installed_elsewhere(gazetteer, tmp_path, monkeypatch):
    """The index as the install step leaves it (in the default store folder, here a temporary
    one holding a link to the real file), and $SITREP_STORE pointing at a new, empty folder."""
    from data import gazetteer as module

    real = module.built_index()
    assert real is not None  # the gazetteer fixture has loaded (so built) it
    default = tmp_path / "default-store"
    default.mkdir()
    (default / real.name).symlink_to(real)
    monkeypatch.setattr(module, "DEFAULT_STORE_DIR", default)
    monkeypatch.setenv("SITREP_STORE", str(tmp_path / "new-store"))
    return default / real.name


def test_a_new_store_reads_the_index_the_install_step_built(installed_elsewhere, gazetteer, tmp_path):
    from data.gazetteer import built_index, load_gazetteer

    assert not cache_path().exists()
    assert built_index() == installed_elsewhere
    assert len(load_gazetteer()) == len(gazetteer)
    assert not (tmp_path / "new-store").exists()  # read from the install step's folder, not rebuilt


def test_the_store_folders_own_index_comes_first(installed_elsewhere, tmp_path):
    from data.gazetteer import built_index

    own = cache_path()
    own.parent.mkdir(parents=True)
    own.symlink_to(installed_elsewhere.resolve())
    assert built_index() == own
    own.unlink()
    installed_elsewhere.unlink()
    assert built_index() is None  # the first page then builds it, with its progress bar


def test_the_index_command_builds_nothing_when_the_index_is_built(installed_elsewhere, capsys):
    from data.__main__ import main

    assert main(["index"]) == 0
    assert capsys.readouterr().out.strip() == f"place index: {installed_elsewhere} (built already)"
