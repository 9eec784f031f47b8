"""`python -m data calibrate`: rebuild the confidence model's weights from the complete gold.

1. extract the articles the complete field-level gold covers (../shared/eval/*.full.gold.json:
   30 articles of ../shared/corpus and the two seeds), keeping each row's features
   (data.confidence.FEATURES; the model weighs MODEL_FEATURES);
2. label each row with the gold's own scorer (../shared/eval/score_fields.py, read at run time):
   right when it reports a gold event (required or optional) and is right on date, place,
   actors, type and deaths; wrong when it is wrong on a field, a duplicate or unsupported;
3. fit an L2-regularised logistic regression (Newton's method, numpy) and write
   data/reference/confidence_weights.csv (with --write);
4. print a reliability table from leave-one-article-out predictions: each article's rows scored by
   a model fitted without that article, so the table says what to expect on articles the model
   has not seen — of the rows at 0.8-0.9, how many are right.

The gold and the corpus are not part of the repository; the command stops with a clear message
when they are absent.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from data.confidence import MODEL_FEATURES, WEIGHTS_CSV, probability

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# Pulls the weights toward 0 so that a feature seen on few rows does not swing the score.
L2 = 1.0


def _scorer(eval_dir: Path):
    """../shared/eval/score_fields.py as a module (it is the gold's own scorer: never copied)."""
    sys.path.insert(0, str(eval_dir))
    spec = importlib.util.spec_from_file_location("score_fields", eval_dir / "score_fields.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled_rows(gold_path: Path, folder: Path, scorer) -> list[tuple[str, dict[str, float], bool]]:
    """(article_id, features, right) for every row extracted from the gold's articles."""
    from data.articles import read_articles
    from data.pipeline import extract_articles

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    paths = [folder / f"{article_id}.txt" for article_id in gold["articles"]]
    articles, _ = read_articles([p for p in paths if p.is_file()])
    events, _ = extract_articles(articles)
    rows = []
    by_article: dict[str, list] = {}
    for event in events:
        by_article.setdefault(event.article_id, []).append(event)
    for article_id, spec in gold["articles"].items():
        mine = by_article.get(article_id, [])
        for event in mine:
            record = {
                "start": event.date_start,
                "end": event.date_end or event.date_start,
                "lat": event.lat,
                "lon": event.lon,
                "actors": list(event.actors),
                "event_type": event.event_type,
                "sub_event_type": event.sub_event_type,
                "fatalities": event.fatalities,
                "fatalities_low": event.fatalities_low,
                "fatalities_high": event.fatalities_high,
            }
            excerpt = scorer._norm(event.excerpt)
            verdicts = [
                all(scorer.field_checks(record, g)[f] for f in scorer.FIELDS)
                for g in spec.get("events", [])
                if any(scorer._norm(p) in excerpt for p in g.get("evidence", []))
            ]
            rows.append((article_id, event, any(verdicts)))
        _mark_duplicates(rows, article_id, spec, scorer)
    return [(a, e.features, right) for a, e, right in rows]


def _mark_duplicates(rows: list, article_id: str, spec: dict, scorer) -> None:
    """A second row right for the same gold event is a duplicate: wrong (as score_fields counts)."""
    taken: set[str] = set()
    for i, (a, event, right) in enumerate(rows):
        if a != article_id or not right:
            continue
        excerpt = scorer._norm(event.excerpt)
        ids = [
            g["id"] for g in spec.get("events", []) if any(scorer._norm(p) in excerpt for p in g.get("evidence", []))
        ]
        free = [g for g in ids if g not in taken]
        if free:
            taken.add(free[0])
        else:
            rows[i] = (a, event, False)


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w


def _matrix(rows: list) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[features.get(name, 0.0) for name in MODEL_FEATURES] for _, features, _ in rows], dtype=float)
    y = np.array([1.0 if right else 0.0 for _, _, right in rows])
    return x, y


def held_out_predictions(rows: list) -> list[float]:
    """Each row's probability from a model fitted on the other articles' rows."""
    articles = sorted({a for a, _, _ in rows})
    predictions = [0.0] * len(rows)
    for article in articles:
        train = [r for r in rows if r[0] != article]
        x, y = _matrix(train)
        model = dict(zip(MODEL_FEATURES, fit(x, y), strict=False))
        for i, row in enumerate(rows):
            if row[0] == article:
                predictions[i] = probability(row[1], model)
    return predictions


def reliability_table(
    predictions: list[float], labels: list[bool], bins: int = 10
) -> list[tuple[str, int, float, float]]:
    """(bin, rows, mean predicted, share right) per tenth of the 0..1 range, non-empty bins only."""
    table = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [
            (p, y) for p, y in zip(predictions, labels, strict=False) if low <= p < high or (b == bins - 1 and p == 1.0)
        ]
        if members:
            table.append(
                (
                    f"{low:.1f}-{high:.1f}",
                    len(members),
                    sum(p for p, _ in members) / len(members),
                    sum(y for _, y in members) / len(members),
                )
            )
    return table


def auc(predictions: list[float], labels: list[bool]) -> float:
    """The chance that a right row scores above a wrong one (ties count half)."""
    right = [p for p, y in zip(predictions, labels, strict=False) if y]
    wrong = [p for p, y in zip(predictions, labels, strict=False) if not y]
    if not right or not wrong:
        return float("nan")
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return wins / (len(right) * len(wrong))


def collect(eval_dir: Path, corpus: Path, seeds: Path) -> list:
    scorer = _scorer(eval_dir)
    rows = labelled_rows(eval_dir / "corpus.full.gold.json", corpus, scorer)
    rows += labelled_rows(eval_dir / "seeds.full.gold.json", seeds, scorer)
    return rows


def print_report(rows: list, out=sys.stdout) -> list[float]:
    """The held-out reliability table and AUC; returns the held-out predictions."""
    predictions = held_out_predictions(rows)
    labels = [right for _, _, right in rows]
    print(
        f"rows {len(rows)} from {len({a for a, _, _ in rows})} articles; right on every field: "
        f"{sum(labels)} ({sum(labels) / max(1, len(labels)):.2f})",
        file=out,
    )
    print("held-out (leave one article out) reliability:", file=out)
    print(f"  {'confidence':<10} {'rows':>5} {'predicted':>10} {'right':>7}", file=out)
    for name, n, mean, share in reliability_table(predictions, labels):
        print(f"  {name:<10} {n:>5} {mean:>10.2f} {share:>7.2f}", file=out)
    print(f"  AUC {auc(predictions, labels):.2f}", file=out)
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        kept = [y for p, y in zip(predictions, labels, strict=False) if p >= threshold]
        print(
            f"  at >= {threshold:.1f}: {len(kept)} rows kept, {sum(kept) / max(1, len(kept)):.2f} right, "
            f"{sum(kept)} of {sum(labels)} right rows kept",
            file=out,
        )
    return predictions


def write_weights(rows: list, path: Path = WEIGHTS_CSV) -> dict[str, float]:
    x, y = _matrix(rows)
    model = dict(zip(MODEL_FEATURES, fit(x, y), strict=False))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# Rebuilt by `python -m data calibrate --write` on {date.today().isoformat()} from {len(rows)} rows "
            f"of the complete gold (../shared/eval/*.full.gold.json); do not edit by hand.\n"
        )
        writer = csv.writer(handle)
        writer.writerow(["feature", "weight"])
        for name in MODEL_FEATURES:
            writer.writerow([name, f"{model[name]:.4f}"])
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(SHARED / "eval"), help="folder of the gold files and scorers")
    parser.add_argument("--corpus", default=str(SHARED / "corpus"), help="folder of the gold's corpus articles")
    parser.add_argument("--write", action="store_true", help="write data/reference/confidence_weights.csv")
    args = parser.parse_args(argv)
    eval_dir, corpus = Path(args.eval), Path(args.corpus)
    if not (eval_dir / "score_fields.py").is_file() or not corpus.is_dir():
        print(f"calibrate: the gold ({eval_dir}) or the corpus ({corpus}) is missing; nothing to fit", file=sys.stderr)
        return 2
    rows = collect(eval_dir, corpus, REPO / "seeds")
    print_report(rows)
    if args.write:
        model = write_weights(rows)
        data_confidence_cache_clear()
        print("weights: " + ", ".join(f"{k}={v:+.2f}" for k, v in model.items()))
    return 0


def data_confidence_cache_clear() -> None:
    from data.confidence import weights

    weights.cache_clear()


if __name__ == "__main__":
    sys.exit(main())
