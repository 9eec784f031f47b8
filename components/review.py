"""The analyst's review in the dashboard: the details panel's Accept / Correct / Reject / Merge,
the event's history, conflicting claims of an incident's sources, Add from a sentence, the queue.

Everything is written through data/review.py's ReviewLog (SQLite beside the event store), in
button callbacks: the run that follows reads the new log version (components.state keys the
reviewed corpus on it), so a review shows at once on every page. Each write passes `seen`, the
event's last change when the panel was drawn: when another session changed the event meanwhile,
the write still lands and the panel says what the other session did.

Values typed by an analyst are untrusted like article text: HTML is escaped, Markdown elements
get `markdown_literal`, option labels are plain text (selectbox, multiselect).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from components import placepicker, state
from components.format import date_words, fatalities_words, markdown_literal, place_words
from data.actors import actor_table
from data.review import (
    ACLED_TYPES,
    REJECT_REASONS,
    Change,
    ReviewError,
    ReviewLog,
    WriteResult,
    json_value,
)
from data.schema import DATE_PRECISIONS

MESSAGE = "_review_message"  # (kind, text) of the last write, shown once by the panel
# How many other events the duplicate-of and merge pickers offer (the same incident and
# article first, then the same place within MERGE_DAYS).
MERGE_CHOICES = 40
MERGE_DAYS = 15
# Words for the columns a change names.
COLUMN_WORDS = {
    "date_start": "from",
    "date_end": "to",
    "date_precision": "date precision",
    "place": "place",
    "place_id": "place id",
    "lat": "latitude",
    "lon": "longitude",
    "country": "country",
    "admin1": "division",
    "geo_precision": "place precision",
    "actors": "actors",
    "actor1": "acting side",
    "actor2": "side acted upon",
    "event_type": "type",
    "sub_event_type": "sub-type",
    "fatalities": "deaths",
    "fatalities_low": "deaths (low)",
    "fatalities_high": "deaths (high)",
}
ACTION_WORDS = {
    "accept": "accepted",
    "correct": "corrected",
    "reject": "rejected",
    "merge": "merged",
    "add": "added",
}


def review_log() -> ReviewLog:
    """The review log of the store the pages read."""
    return state.review_log(str(state.store_path()))


# ------------------------------------------------------------------------------------ writing


def _write(action: Callable[[], WriteResult], done: str) -> WriteResult | None:
    """Run one write of the log and keep its outcome for the panel: done, a conflict (another
    session changed the event since it was drawn: both changes are kept) or why it was refused."""
    try:
        result = action()
    except ReviewError as error:
        st.session_state[MESSAGE] = ("error", f"Not saved: {error}")
        return None
    if result.conflict:
        others = "; ".join(change_words(change) for change in result.missed)
        st.session_state[MESSAGE] = (
            "warning",
            f"{done}, but this event was changed in another session since you opened it: {others}. "
            "Both changes are in its history; check the values below.",
        )
    else:
        st.session_state[MESSAGE] = ("success", done)
    return result


def show_message() -> None:
    """The outcome of the last write (once), as plain text."""
    message = st.session_state.pop(MESSAGE, None)
    if not message:
        return
    kind, text = message
    {"success": st.success, "warning": st.warning, "error": st.error}[kind](markdown_literal(text))


def accept(event: pd.Series, seen: int) -> None:
    _write(lambda: review_log().accept(event, seen=seen), "Accepted")


def reject(event: pd.Series, seen: int, key: str) -> None:
    reason = st.session_state.get(f"{key}_reason") or REJECT_REASONS[0]
    duplicate_of = (st.session_state.get(f"{key}_duplicate") or "") if reason == "duplicate" else ""
    if reason == "duplicate" and not duplicate_of:
        st.session_state[MESSAGE] = ("error", "Not saved: pick the event this one duplicates")
        return
    note = str(st.session_state.get(f"{key}_reject_note") or "")
    words = f"duplicate of {duplicate_of}" if duplicate_of else reason
    if _write(
        lambda: review_log().reject(event, reason=words, duplicate_of=duplicate_of, seen=seen, note=note),
        f"Rejected ({words})",
    ):
        state.select(None)


def merge(event: pd.Series, seen: int, key: str, candidates: pd.DataFrame) -> None:
    """Merge the event with the report picked among `candidates` (what the picker offered)."""
    into_id = st.session_state.get(f"{key}_into")
    rows = candidates[candidates["event_id"] == into_id]
    if rows.empty:
        st.session_state[MESSAGE] = ("error", "Not saved: pick the report to merge with")
        return
    if _write(lambda: review_log().merge(event, rows.iloc[0], seen=seen), "Merged"):
        state.select(into_id)


def correct(event: pd.Series, seen: int, key: str) -> None:
    """Save the correction widgets' changed values (and the note)."""
    try:
        fields = corrected_fields(event, key)
    except ReviewError as error:
        st.session_state[MESSAGE] = ("error", f"Not saved: {error}")
        return
    if not fields:
        st.session_state[MESSAGE] = ("error", "Not saved: nothing was changed")
        return
    note = str(st.session_state.get(f"{key}_note") or "")
    names = ", ".join(dict.fromkeys(COLUMN_WORDS.get(f, f) for f in fields))
    _write(lambda: review_log().correct(event, fields, seen=seen, note=note), f"Corrected: {names}")
    st.session_state.pop(f"{key}_place_on", None)


# ------------------------------------------------------------------------------------ values


def _day(value: Any) -> date | None:
    if value is None or (not isinstance(value, (str, date)) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _count_text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def _actors(event: pd.Series) -> list[str]:
    value = event.get("actors")
    return list(value) if isinstance(value, (list, tuple)) or hasattr(value, "tolist") else []


def corrected_fields(event: pd.Series, key: str) -> dict[str, Any]:
    """The correction widgets' values that differ from the event's, as data.review fields."""
    get = st.session_state.get
    fields: dict[str, Any] = {}
    start, end = get(f"{key}_from"), get(f"{key}_to")
    if start and end and (start, end) != (_day(event["date_start"]), _day(event["date_end"])):
        fields["date"] = f"{start.isoformat()}/{end.isoformat()}"
    elif (start or end) and not (start and end):
        raise ReviewError("Expected both From and To for the date")
    precision = get(f"{key}_precision")
    if precision and precision != event["date_precision"]:
        fields["date_precision"] = precision
    if get(f"{key}_place_on"):
        picked = get(f"{key}_place_pick")
        if picked and (picked["place"], picked["lat"], picked["lon"]) != (event["place"], event["lat"], event["lon"]):
            fields.update(place_correction(picked))
    actors = list(get(f"{key}_actors") or [])
    if actors != _actors(event):
        fields["actors"] = actors
    for column in ("actor1", "actor2"):
        value = get(f"{key}_{column}") or ""
        if value != (event.get(column) or ""):
            fields[column] = value
    kind, sub = get(f"{key}_type") or "", get(f"{key}_sub") or ""
    if (kind, sub) != (event["event_type"], event["sub_event_type"]) and kind:
        fields.update(event_type=kind, sub_event_type=sub)
    counts = {
        column: str(get(f"{key}_{column}") or "").strip()
        for column in ("fatalities", "fatalities_low", "fatalities_high")
    }
    if any(counts[c] != _count_text(event.get(c)) for c in counts):
        fields.update({c: v or "none" for c, v in counts.items()})
    return fields


def place_correction(picked: dict[str, Any]) -> dict[str, Any]:
    """data.review fields for a place the picker chose: its name alone when the gazetteer's best
    entry for the name is that place (its id, country and division come with it), else the name
    with its point and precision (a namesake, or a clicked point)."""
    from data.gazetteer import get_gazetteer

    best = get_gazetteer().resolve(picked["place"]) if picked.get("place_id") else None
    if best is not None and best.place_id == picked["place_id"]:
        return {"place": picked["place"]}
    return {
        "place": picked["place"],
        "lat": picked["lat"],
        "lon": picked["lon"],
        "geo_precision": picked["geo_precision"],
    }


def value_words(column: str, value: Any) -> str:
    """A logged value in words ("not reported", a list joined)."""
    if value is None or value == "" or value == []:
        return "not reported" if column.startswith("fatalities") else "none"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def change_words(change: Change) -> str:
    """One change in words: "alice corrected place: Raqqa → Tabqa (7 Dec 2026 19:30 UTC)"."""
    when = change.at[:16].replace("T", " ") + " UTC"
    what = ACTION_WORDS.get(change.action, change.action)
    if change.action == "correct" and change.field:
        column = COLUMN_WORDS.get(change.field, change.field)
        what += (
            f" {column}: {value_words(change.field, change.old_value)} → {value_words(change.field, change.new_value)}"
        )
    elif change.action == "reject" and change.reason:
        what += f" ({change.reason})"
    elif change.action == "merge" and isinstance(change.new_value, dict):
        what += f" with {change.new_value.get('event_id', '')}"
    note = f" — “{change.note}”" if change.note else ""
    return f"{change.reviewer} {what}{note} ({when})"


def history_html(changes: list[Change]) -> str:
    """The event's changes, oldest first, escaped; a change written over another session's unseen
    one says so."""
    if not changes:
        return "<p class='sitrep-history'><small>No review yet: the event is as extracted.</small></p>"
    items = []
    for change in changes:
        clash = " <small>(made without seeing the change before it)</small>" if change.conflict_with else ""
        items.append(f"<li>{html.escape(change_words(change))}{clash}</li>")
    return f"<ol class='sitrep-history' style='margin:.2em 0;padding-left:1.4em'>{''.join(items)}</ol>"


def status_words(event: pd.Series) -> str:
    """ "Unreviewed", or "Corrected by alice on 2026-12-07 19:30 UTC"."""
    status = str(event.get("review_status") or "unreviewed")
    if status == "unreviewed":
        return "Unreviewed: as extracted."
    who = str(event.get("reviewed_by") or "")
    when = str(event.get("reviewed_at") or "")[:16].replace("T", " ")
    origin = " (added by an analyst)" if event.get("origin") == "analyst" else ""
    return f"{status.capitalize()}{origin} by {who}" + (f" on {when} UTC" if when else "") + "."


def extracted_words(event: pd.Series) -> dict[str, str]:
    """For each row of the details' fact table a corrected event changed: "extracted: …"."""
    extracted = event.get("extracted")
    if not isinstance(extracted, dict) or not extracted:
        return {}
    before = {column: extracted.get(column, json_value(event.get(column))) for column in COLUMN_WORDS}
    out: dict[str, str] = {}
    if any(c in extracted for c in ("date_start", "date_end", "date_precision")):
        start, end = _day(before["date_start"]), _day(before["date_end"])
        out["When"] = date_words(start, end, before["date_precision"] or "unknown")
    if any(c in extracted for c in ("place", "lat", "lon", "geo_precision")):
        out["Where"] = place_words(before["place"] or "", before["geo_precision"] or "", before["country"] or "")
    if any(c in extracted for c in ("actors", "actor1", "actor2")):
        out["Actors"] = ", ".join(before["actors"] or []) or "not identified"
    if any(c in extracted for c in ("event_type", "sub_event_type")):
        out["Type"] = " — ".join(p for p in (before["event_type"], before["sub_event_type"]) if p) or "untyped"
    if any(c in extracted for c in ("fatalities", "fatalities_low", "fatalities_high")):
        out["Deaths"] = fatalities_words(
            _na(before["fatalities"]), _na(before["fatalities_low"]), _na(before["fatalities_high"])
        )
    return out


def _na(value: Any) -> Any:
    return pd.NA if value is None else value


# ------------------------------------------------------------------------------------ the panel


def event_label(row: pd.Series) -> str:
    """One line for a picker of events (plain text: selectbox labels are not Markdown)."""
    excerpt = " ".join(str(row["excerpt"]).split())
    excerpt = excerpt if len(excerpt) <= 90 else excerpt[:89] + "…"
    return (
        f"{row['_when']} · {row['place'] or 'no place'} · {row['event_type'] or 'untyped'} · {row['outlet']}: {excerpt}"
    )


def related_events(data: state.Corpus, event: pd.Series) -> pd.DataFrame:
    """Other events an event may duplicate or be merged with: its incident's and its article's
    reports, then those at its place within MERGE_DAYS days, up to MERGE_CHOICES."""
    events = data.events
    others = events["event_id"] != event["event_id"]
    same_incident = events["incident_id"].astype(str).eq(str(event.get("incident_id") or "\x00"))
    same_article = events["article_id"] == event["article_id"]
    near = events["place"].eq(event["place"]) & (events["place"] != "")
    start = pd.Timestamp(event["date_start"]) if not pd.isna(event["date_start"]) else None
    if start is not None:
        days = (pd.to_datetime(events["date_start"], errors="coerce") - start).abs().dt.days
        near &= days.le(MERGE_DAYS).fillna(False)
    rank = same_incident.astype(int) * 4 + same_article.astype(int) * 2 + near.astype(int)
    chosen = events[others & (rank > 0)].assign(_rank=rank[others & (rank > 0)])
    return chosen.sort_values("_rank", ascending=False, kind="stable").head(MERGE_CHOICES)


def panel(data: state.Corpus, event: pd.Series, *, key: str) -> None:
    """Review of one event under its details: status, Accept, Correct, Reject, Merge, history."""
    event_id = str(event["event_id"])
    log = review_log()
    seen = log.last_change(event_id)
    wkey = f"{key}_{event_id}_{seen}"  # new widgets (with the event's values) after every change
    st.markdown("**Review**")
    show_message()
    st.caption(markdown_literal(status_words(event)))
    if event.get("review_status") in (None, "unreviewed", "corrected") or event.get("origin") == "analyst":
        st.button("Accept", key=f"{wkey}_accept", on_click=accept, args=(event, seen), type="primary")
    with st.expander("Correct"):
        correction_widgets(data, event, key=wkey)
        st.text_input("Note (why)", key=f"{wkey}_note", placeholder="optional: the source, the reasoning")
        st.button("Save correction", key=f"{wkey}_save", on_click=correct, args=(event, seen, wkey))
    related = related_events(data, event)
    labels = {row["event_id"]: event_label(row) for _, row in related.iterrows()}
    with st.expander("Reject"):
        reason = st.radio("Reason", REJECT_REASONS, key=f"{wkey}_reason", horizontal=True)
        if reason == "duplicate":
            st.selectbox(
                "Duplicate of",
                list(labels),
                key=f"{wkey}_duplicate",
                format_func=labels.get,
                index=None,
                placeholder="the event this one repeats",
            )
        st.text_input("Note", key=f"{wkey}_reject_note", placeholder="optional")
        st.button("Reject", key=f"{wkey}_reject", on_click=reject, args=(event, seen, wkey))
    with st.expander("Merge with another report"):
        st.caption(
            "Two reports of one real event: within an article the other report keeps both "
            "sentences; across articles both stay, as one incident."
        )
        st.selectbox(
            "The other report",
            list(labels),
            key=f"{wkey}_into",
            format_func=labels.get,
            index=None,
            placeholder="pick a report",
        )
        st.button("Merge", key=f"{wkey}_merge", on_click=merge, args=(event, seen, wkey, related))
    history = log.history(event_id)
    with st.expander(f"History ({len(history)})"):
        st.html(history_html(history))


def correction_widgets(data: state.Corpus, event: pd.Series, *, key: str) -> None:
    """The widgets of a correction, filled with the event's values (saved by `correct`)."""
    left, middle, right = st.columns([2, 2, 2])
    left.date_input("From", value=_day(event["date_start"]), key=f"{key}_from", format="YYYY-MM-DD")
    middle.date_input("To", value=_day(event["date_end"]), key=f"{key}_to", format="YYYY-MM-DD")
    precisions = [p for p in DATE_PRECISIONS if p != "unknown"]
    current = event["date_precision"] if event["date_precision"] in precisions else None
    right.selectbox(
        "Date precision", precisions, index=precisions.index(current) if current else None, key=f"{key}_precision"
    )
    st.toggle("Change the place", key=f"{key}_place_on")
    if st.session_state.get(f"{key}_place_on"):
        lat = None if pd.isna(event["lat"]) else float(event["lat"])
        lon = None if pd.isna(event["lon"]) else float(event["lon"])
        st.session_state[f"{key}_place_pick"] = placepicker.pick_place(key=f"{key}_place", lat=lat, lon=lon)
    known = list(actor_table())
    current_actors = _actors(event)
    st.multiselect(
        "Actors",
        list(dict.fromkeys(current_actors + sorted(known))),
        default=current_actors,
        key=f"{key}_actors",
        accept_new_options=True,
        help="From the actor reference; type a name it lacks and press Enter to add a new actor.",
    )
    chosen = list(st.session_state.get(f"{key}_actors") or current_actors)
    left, right = st.columns(2)
    for column, label, box in (("actor1", "Acting side", left), ("actor2", "Side acted upon", right)):
        value = str(event.get(column) or "")
        options = list(dict.fromkeys(["", *chosen, *([value] if value else [])]))
        box.selectbox(
            label,
            options,
            index=options.index(value),
            key=f"{key}_{column}",
            format_func=lambda a: a or "—",
        )
    left, right = st.columns(2)
    types = list(ACLED_TYPES)
    kind = event["event_type"] if event["event_type"] in types else None
    left.selectbox("Type", types, index=types.index(kind) if kind else None, key=f"{key}_type")
    subs = list(ACLED_TYPES.get(st.session_state.get(f"{key}_type") or "", ()))
    sub = event["sub_event_type"] if event["sub_event_type"] in subs else None
    right.selectbox("Sub-type", subs, index=subs.index(sub) if sub else None, key=f"{key}_sub")
    best, low, high = st.columns(3)
    for box, column, label in (
        (best, "fatalities", "Deaths"),
        (low, "fatalities_low", "at least"),
        (high, "fatalities_high", "at most"),
    ):
        box.text_input(
            label,
            value=_count_text(event.get(column)),
            key=f"{key}_{column}",
            placeholder="not reported",
            help="A whole number; empty: not reported (never 0 for unknown).",
        )
