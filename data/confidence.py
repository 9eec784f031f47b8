"""How much to trust an event row: a small logistic model over how directly each part was read.

`features(...)` describes a row by what the event stage knows of it — how strong its cue is,
whether its date was written or defaulted, how precise and how near its place, whether its sides
were found, how many sentences tell it, whether it is a quotation. `confidence(features)` is the
model's probability that the row is right on every field (date, place, actors, type, deaths), so
that "0.8" means about eight rows in ten at that score are right.

The weights live in `reference/confidence_weights.csv` and are rebuilt, never edited, by
`python -m data calibrate` (data/calibrate.py): it extracts the articles of the complete
field-level gold (../shared/eval/*.full.gold.json), labels each row right or wrong with the
gold's own scorer, fits the model and prints a reliability table from leave-one-article-out
predictions (rows scored by a model that never saw their article).
"""

from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path

WEIGHTS_CSV = Path(__file__).parent / "reference" / "confidence_weights.csv"

# Feature names in a fixed order (the weights file names each one).
FEATURES = (
    "bias",
    "cue_weight",  # the cue's weight in reference/event_cues.csv
    "generic_cue",  # "killed", "attacked": names no kind of event
    "date_written",  # the text dates it (explicit or relative to publication)
    "date_statement",  # dated only by when it was reported ("said on Monday")
    "date_implied",  # dated by publication because its tense says so ("have taken")
    "date_defaulted",  # dated by publication for want of anything else
    "date_span",  # log(1 + days the interval spans)
    "age",  # log(1 + days between the event and publication): history is told loosely
    "place_own",  # its own clause names the place
    "place_inherited",  # place from "the city", the narrative or the article
    "place_city",  # site, city or district precision
    "place_country",  # country precision
    "actor1",  # the acting side is known
    "actor2",  # the other side is known
    "inferred_actors",  # sides taken from the article, not read in the clause
    "told",  # log(number of sentences that tell it)
    "quoted",  # its clearest telling is a quotation
    "position",  # where in the article it is first told (0 the top, 1 the end)
    "deaths",  # a death figure was read
)


# The features the model weighs: those a reason says should matter and that the dev gold shows
# do (each alone moves the share of right rows by ten points or more). A model with every feature
# scores no better on articles it has not seen (leave-one-article-out AUC 0.61 against 0.64).
MODEL_FEATURES = (
    "bias",
    "cue_weight",
    "date_written",
    "date_implied",
    "place_own",
    "actor1",
    "told",
    "quoted",
    "position",
)


def features(
    *,
    cue_weight: float,
    generic_cue: bool,
    date_basis: str,
    statement_date: bool,
    date_defaulted: bool,
    date_days: int | None,
    days_before: int | None,
    place_basis: str,
    geo_precision: str,
    actor1: bool,
    actor2: bool,
    told: int,
    inferred_actors: int,
    quoted: bool,
    position: float,
    deaths: bool,
) -> dict[str, float]:
    """One row's features, by name (see FEATURES)."""
    return {
        "bias": 1.0,
        "cue_weight": cue_weight,
        "generic_cue": float(generic_cue),
        "date_written": float(date_basis in ("explicit", "relative") and not statement_date),
        "date_statement": float(statement_date),
        "date_implied": float(date_basis == "publication" and not date_defaulted),
        "date_defaulted": float(date_defaulted),
        "date_span": math.log1p(date_days) if date_days is not None else math.log1p(365),
        "age": math.log1p(max(0, days_before)) if days_before is not None else 0.0,
        "place_own": float(place_basis in ("sentence", "anaphora")),
        "place_inherited": float(place_basis in ("context", "article")),
        "place_city": float(geo_precision in ("site", "city", "district")),
        "place_country": float(geo_precision == "country"),
        "actor1": float(actor1),
        "actor2": float(actor2),
        "inferred_actors": float(inferred_actors),
        "told": math.log(max(1, told)),
        "quoted": float(quoted),
        "position": position,
        "deaths": float(deaths),
    }


@cache
def weights(path: Path = WEIGHTS_CSV) -> dict[str, float]:
    """The fitted weights by feature name (a feature missing from the file weighs 0)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(line for line in handle if not line.startswith("#"))]
    return {row["feature"]: float(row["weight"]) for row in rows}


def probability(feature_values: dict[str, float], model: dict[str, float]) -> float:
    """The logistic model's probability for one row."""
    z = sum(model.get(name, 0.0) * value for name, value in feature_values.items())
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def confidence(feature_values: dict[str, float]) -> float:
    """The calibrated probability that the row is right on every field, rounded to 0.01."""
    return round(probability(feature_values, weights()), 2)
