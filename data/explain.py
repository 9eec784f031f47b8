"""`python -m data explain ARTICLE`: how the event stage read one article, sentence by sentence.

For each narrative sentence: the event cues found, the ones dropped and why (a forecast, a
negation, a generic statement, …), each clause read as a candidate event with its own date, place
and sides (and the actor mentions left out, with the reason), and which event it was folded into
and why. Then the events, as the frame will have them. Plain text, for a person or a test to read.
"""

from __future__ import annotations

from data.events import Candidate, find_cue_matches, non_event_drops, read_events
from data.pipeline import article_mentions
from data.schema import Article


def _clip(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _candidate_line(candidate: Candidate) -> str:
    date = candidate.date
    when = f"{date.date_start}..{date.date_end} ({date.text!r})" if date and date.date_start else "no date of its own"
    where = f"{candidate.place.place} ({candidate.place_text!r})" if candidate.place else "no place of its own"
    cue = candidate.trigger.cue
    kind = f"{cue.event_type} / {cue.sub_event_type}" + (" [generic cue]" if cue.generic else "")
    sides = f"actor1 {candidate.sides.actor1 or '-'} · actor2 {candidate.sides.actor2 or '-'}"
    return f"{kind} · {when} · {where} · {sides}"


def explain_article(article: Article) -> str:
    """The event stage's reading of one article, as text."""
    text = article.text
    mentions = article_mentions(article)
    candidates, folds, events = read_events(article, mentions)
    fold_of = {
        id(c): (number, reason)
        for number, f in enumerate(folds, 1)
        for c, reason in zip(f.members, f.reasons, strict=False)
    }
    by_sentence: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_sentence.setdefault(candidate.sentence_index, []).append(candidate)
    drops = non_event_drops(text, mentions.sentences, find_cue_matches(text))
    lines = [
        f"article {article.article_id} · published {article.published or 'unknown'} · "
        f"{len(mentions.sentences)} sentences · {len(candidates)} candidate clauses · {len(events)} events",
        "",
    ]
    for index, sentence in enumerate(mentions.sentences):
        dropped = drops.get(index, [])
        here = by_sentence.get(index, [])
        if not dropped and not here:
            continue
        lines.append(f"[{index}] {_clip(sentence.text)}")
        for cue_text, reason in dropped:
            lines.append(f"    dropped cue {cue_text!r}: {reason}")
        for candidate in here:
            number, reason = fold_of[id(candidate)]
            lines.append(f"    clause {candidate.n}: {_candidate_line(candidate)}")
            for mention, why in candidate.sides.left_out:
                lines.append(f"        left out {mention.text!r} ({mention.actor}): {why}")
            lines.append(f"        -> event {number}: {reason}")
    lines.append("")
    lines.append("events:")
    for number, (event, fold_) in enumerate(zip(events, folds, strict=False), 1):
        told = len(fold_.members)
        lines.append(
            f" {number}. {event.event_type} / {event.sub_event_type} · {event.date_start}..{event.date_end} "
            f"({event.date_basis}) · {event.place or '-'} ({event.geo_precision or '-'}) · "
            f"{event.actors or '-'} · deaths {event.fatalities}/{event.fatalities_low}/{event.fatalities_high}"
            f" · told {told}x · confidence {event.confidence}"
        )
        lines.append(f"    {_clip(event.excerpt, 140)}")
    return "\n".join(lines)
