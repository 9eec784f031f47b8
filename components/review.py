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

import hashlib
import html
import json
import logging
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from components import placepicker, state
from components.format import date_words, fatalities_words, markdown_literal, place_words
from data.filters import filter_events
from data.review import (
    ACLED_TYPES,
    REJECT_REASONS,
    Change,
    ReviewError,
    ReviewLog,
    ReviewProgress,
    WriteResult,
    default_reviewer,
    event_history,
    field_accuracy,
    json_value,
    known_actors,
    not_reattached,
    review_progress,
    review_queue,
    source_disagreements,
)
from data.schema import DATE_PRECISIONS, Sentence
from data.sentences import split_sentences

log = logging.getLogger(__name__)

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
# The field a corrected column belongs to, for the message that says what was saved.
FIELD_WORDS = {
    **dict.fromkeys(("date", "date_start", "date_end", "date_precision"), "date"),
    **dict.fromkeys(("place", "lat", "lon", "geo_precision"), "place"),
    **dict.fromkeys(("actors", "actor1", "actor2"), "actors"),
    **dict.fromkeys(("event_type", "sub_event_type"), "type"),
    **dict.fromkeys(("fatalities", "fatalities_low", "fatalities_high"), "deaths"),
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
    _write(lambda: review_log().accept(event, seen=seen, reviewer=reviewer()), "Accepted")


def reject(event: pd.Series, seen: int, key: str) -> None:
    reason = st.session_state.get(f"{key}_reason") or REJECT_REASONS[0]
    duplicate_of = (st.session_state.get(f"{key}_duplicate") or "") if reason == "duplicate" else ""
    if reason == "duplicate" and not duplicate_of:
        st.session_state[MESSAGE] = ("error", "Not saved: pick the event this one duplicates")
        return
    note = str(st.session_state.get(f"{key}_reject_note") or "")
    if _write(
        lambda: review_log().reject(
            event, reason=reason, duplicate_of=duplicate_of, seen=seen, note=note, reviewer=reviewer()
        ),
        f"Rejected ({reason})",
    ):
        state.select(None)


def merge(event: pd.Series, seen: int, key: str, candidates: pd.DataFrame) -> None:
    """Merge the event with the report picked among `candidates` (what the picker offered)."""
    into_id = st.session_state.get(f"{key}_into")
    rows = candidates[candidates["event_id"] == into_id]
    if rows.empty:
        st.session_state[MESSAGE] = ("error", "Not saved: pick the report to merge with")
        return
    if _write(lambda: review_log().merge(event, rows.iloc[0], seen=seen, reviewer=reviewer()), "Merged"):
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
    note = str(st.session_state.get(f"{key}_correct_note") or "")
    names = ", ".join(dict.fromkeys(FIELD_WORDS.get(f, f) for f in fields))
    _write(
        lambda: review_log().correct(event, fields, seen=seen, note=note, reviewer=reviewer()), f"Corrected: {names}"
    )


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


def panel(data: state.Corpus, event: pd.Series, *, key: str, show_accept: bool = True) -> None:
    """Review of one event under its details: status, Accept, Correct, Reject, Merge, history."""
    event_id = str(event["event_id"])
    note_view(event)
    reviews = review_log()
    seen = reviews.last_change(event_id)
    wkey = f"{key}_{event_id}_{seen}"  # new widgets (with the event's values) after every change
    st.markdown("**Review**")
    if show_accept:
        show_message()
    st.caption(markdown_literal(status_words(event)))
    if show_accept and event.get("review_status") in (None, "unreviewed", "corrected"):
        st.button("Accept", key=f"{wkey}_accept", on_click=accept, args=(event, seen), type="primary")
    # A switch, not an expander: an expander's widgets are built on every run (a click on the map
    # reruns the panel), these two dozen only when asked for.
    if st.toggle("Correct", key=f"{wkey}_correct_on"):
        with st.container(border=True):
            correction_widgets(data, event, key=wkey)
            st.text_input("Note (why)", key=f"{wkey}_correct_note", placeholder="optional: the source, the reasoning")
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
    # its own changes and those an earlier id of it carried before a re-extraction
    history = event_history(event_id, all_events(data), reviews, articles=data.articles) if reviews.version() else []
    with st.expander(f"History ({len(history)})"):
        st.html(history_html(history))
    claims(data, event, key=key)


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
        st.session_state[f"{key}_place_pick"] = placepicker.pick_place(
            key=f"{key}_place", lat=lat, lon=lon, country=str(event.get("country") or "")
        )
    current_actors = _actors(event)
    st.multiselect(
        "Actors",
        list(dict.fromkeys(current_actors + known_actors())),
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


# ------------------------------------------------------------------------------------ the queue

VIEWS = "_review_views"  # operation id or place -> times an event of it was opened (this session)
_LAST_VIEWED = "_review_last_viewed"
SKIPPED = "_review_skipped"


def note_view(event: pd.Series) -> None:
    """Count an opened event's operation and place: the queue puts the most-viewed first."""
    if st.session_state.get(_LAST_VIEWED) == event["event_id"]:
        return
    st.session_state[_LAST_VIEWED] = event["event_id"]
    views = dict(st.session_state.get(VIEWS) or {})
    for name in (event.get("operation_id"), event.get("place")):
        if name:
            views[name] = views.get(name, 0) + 1
    st.session_state[VIEWS] = views


def all_events(data: state.Corpus) -> pd.DataFrame:
    """The corpus's events with the rejected ones (what progress counts)."""
    if data.rejected is None or data.rejected.empty:
        return data.events
    return pd.concat([data.events, data.rejected], ignore_index=True)


def progress(data: state.Corpus) -> ReviewProgress:
    """ "312 of 803 reviewed", rejected events counted as reviewed."""
    return review_progress(all_events(data))


def skip(event_id: str) -> None:
    st.session_state[SKIPPED] = [*(st.session_state.get(SKIPPED) or []), event_id]


def quick_reject(event: pd.Series, seen: int, key: str) -> None:
    """Reject from the queue with the reason picked beside the button."""
    reason = st.session_state.get(f"{key}_quick_reason") or REJECT_REASONS[0]
    _write(lambda: review_log().reject(event, reason=reason, seen=seen, reviewer=reviewer()), f"Rejected ({reason})")


def queue_page(data: state.Corpus) -> None:
    """The Review page: progress, the next unreviewed event with Accept / Reject / Skip (buttons in
    Tab order: Enter presses the focused one), the full review panel, the queue, the rejected
    events and the changes that could not be re-attached after a re-extraction."""
    done = progress(data)
    st.progress(done.reviewed / done.total if done.total else 0.0, text=done.text)
    event_filter = state.current_filter(data).narrowed(min_confidence=0.0)
    queue = review_queue(filter_events(data.events, event_filter), views=st.session_state.get(VIEWS))
    st.caption(
        f"{len(queue):,} unreviewed events in the sidebar's view (at every confidence: the least "
        "confident come first, then those of the operations and places you open most, then those "
        "whose sources disagree)."
    )
    show_message()
    skipped = set(st.session_state.get(SKIPPED) or [])
    waiting = queue[~queue["event_id"].isin(skipped)]
    if skipped and waiting.empty and not queue.empty:
        st.button("Show the skipped events again", key="queue_unskip", on_click=st.session_state.pop, args=(SKIPPED,))
    if waiting.empty:
        st.success("Nothing left to review here." if queue.empty else "Every event here was skipped.")
    else:
        event = data.event(waiting.iloc[0]["event_id"])
        from components.details import event_html, page_link  # (details imports this module for its panel)

        article = data.article(event["article_id"])
        st.subheader("Next event")
        st.html(event_html(event, None if article is None else str(article["text"])))
        seen = review_log().last_change(str(event["event_id"]))
        key = f"queue_{event['event_id']}_{seen}"
        with st.container(horizontal=True, key="queue_actions", gap="small"):
            st.button("Accept", key=f"{key}_accept", on_click=accept, args=(event, seen), type="primary")
            st.selectbox(
                "Reason",
                REJECT_REASONS,
                key=f"{key}_quick_reason",
                label_visibility="collapsed",
                width=180,
            )
            st.button("Reject", key=f"{key}_reject", on_click=quick_reject, args=(event, seen, key))
            st.button("Skip", key=f"{key}_skip", on_click=skip, args=(str(event["event_id"]),))
            params = {**state.view_params(data), "event": [str(event["event_id"])]}
            page_link("pages/1_Map.py", "Map", "Open it on the map", params)
        with st.expander("Correct, merge, history"):
            panel(data, event, key="queue_panel", show_accept=False)
        table = waiting.head(50)[["_when", "place", "event_type", "confidence", "outlet", "excerpt", "event_id"]]
        st.markdown(f"**Next in the queue** ({min(len(waiting), 50)} of {len(waiting):,})")
        st.dataframe(
            table,
            key="queue_table",
            hide_index=True,
            width="stretch",
            column_config={
                "_when": "When",
                "place": "Place",
                "event_type": "Type",
                "confidence": st.column_config.NumberColumn("Confidence", format="%.2f"),
                "outlet": "Outlet",
                "excerpt": st.column_config.TextColumn("Source sentence", width="large"),
                "event_id": "Event id",
            },
        )
    rejected_section(data)
    unattached_section(data)


def rejected_section(data: state.Corpus) -> None:
    """The rejected events, with their reasons; one can be accepted again."""
    rejected = data.rejected if data.rejected is not None else data.events.iloc[:0]
    with st.expander(f"Rejected events ({len(rejected)})"):
        if rejected.empty:
            st.caption("None.")
            return
        st.dataframe(
            rejected[["_when", "place", "event_type", "review_reason", "reviewed_by", "excerpt", "event_id"]],
            key="rejected_table",
            hide_index=True,
            width="stretch",
            column_config={
                "_when": "When",
                "place": "Place",
                "event_type": "Type",
                "review_reason": "Reason",
                "reviewed_by": "By",
                "excerpt": st.column_config.TextColumn("Source sentence", width="large"),
                "event_id": "Event id",
            },
        )
        labels = {row["event_id"]: event_label(row) for _, row in rejected.iterrows()}
        chosen = st.selectbox(
            "Accept again",
            list(labels),
            format_func=labels.get,
            index=None,
            key="rejected_pick",
            placeholder="an event",
        )
        if chosen:
            row = rejected[rejected["event_id"] == chosen].iloc[0]
            seen = review_log().last_change(chosen)
            st.button("Accept it again", key=f"rejected_accept_{chosen}_{seen}", on_click=accept, args=(row, seen))


def unattached_section(data: state.Corpus) -> None:
    """Changes no event of the current extraction takes any more (an article changed or is gone),
    with their reasons: kept in the log, never dropped, listed here to redo by hand."""
    if review_log().version() == 0:
        return
    lost = not_reattached(all_events(data), review_log(), articles=data.articles)
    with st.expander(f"Changes not re-attached after a re-extraction ({len(lost)})"):
        if not lost:
            st.caption("None: every change found its event.")
            return
        st.dataframe(
            pd.DataFrame(
                {
                    "change": [change_words(u.change) for u in lost],
                    "article": [u.change.evidence_article_id for u in lost],
                    "sentence": [u.change.evidence_text for u in lost],
                    "reason": [u.reason for u in lost],
                }
            ),
            key="unattached_table",
            hide_index=True,
            width="stretch",
        )


# ------------------------------------------------------------------------------------ add


BLANK_EVENT = pd.Series(
    {
        "event_id": "",
        "date_start": None,
        "date_end": None,
        "date_precision": "",
        "place": "",
        "lat": float("nan"),
        "lon": float("nan"),
        "country": "",
        "actors": [],
        "actor1": "",
        "actor2": "",
        "event_type": "",
        "sub_event_type": "",
        "fatalities": pd.NA,
        "fatalities_low": pd.NA,
        "fatalities_high": pd.NA,
    }
)


def add_event(article_id: str, sentences: list[Sentence], key: str, round_key: str) -> None:
    """Add the event the analyst described, told by the picked sentence."""
    index = st.session_state.get(f"{key}_sentence")
    if index is None:
        st.session_state[MESSAGE] = ("error", "Not saved: pick the sentence that tells the event")
        return
    sentence = sentences[index]
    if not st.session_state.get(f"{key}_type"):
        st.session_state[MESSAGE] = ("error", "Not saved: pick the event's type (and sub-type)")
        return
    try:
        fields = corrected_fields(BLANK_EVENT, key)
    except ReviewError as error:
        st.session_state[MESSAGE] = ("error", f"Not saved: {error}")
        return
    note = str(st.session_state.get(f"{key}_note") or "")
    result = _write(
        lambda: review_log().add(
            article_id, sentence.start, sentence.end, sentence.text, fields, note=note, reviewer=reviewer()
        ),
        "Added: the new event is selected",
    )
    if result is not None:
        state.select(result.event_id)
        st.session_state[round_key] = int(st.session_state.get(round_key, 0)) + 1  # empty widgets


def add_from_sentence(data: state.Corpus, article_id: str, text: str) -> None:
    """Pick a sentence of the article and describe the event it tells that the extraction missed
    (at least its type); it joins the events as the analyst's, accepted."""
    sentences = split_sentences(text)
    if not sentences:
        return
    told = {
        (int(m["start"]), int(m["end"]))
        for mentions in data.events.loc[data.events["article_id"] == article_id, "mentions"]
        for m in mentions
    }
    with st.expander("Add an event the extraction missed, from a sentence of this article"):
        show_message()
        round_key = f"add_{article_id}_round"
        key = f"add_{article_id}_{st.session_state.get(round_key, 0)}"
        st.selectbox(
            "Sentence",
            range(len(sentences)),
            format_func=lambda i: (
                ("✓ " if (sentences[i].start, sentences[i].end) in told else "")
                + " ".join(sentences[i].text.split())[:160]
            ),
            index=None,
            key=f"{key}_sentence",
            placeholder="the sentence that tells the event (✓: it tells an extracted event already)",
        )
        st.caption("Type is required; date, place, actors and deaths as the sentence gives them.")
        correction_widgets(data, BLANK_EVENT, key=key)
        st.text_input("Note", key=f"{key}_note", placeholder="optional")
        st.button(
            "Add event",
            key=f"{key}_add",
            on_click=add_event,
            args=(article_id, sentences, key, round_key),
            type="primary",
        )


# ------------------------------------------------------------------------------------ who, and since when

REVIEWER = "_reviewer"
SINCE = "_review_since"  # the previous visit's record, read once per session
VISITS = "visits"  # <store>/visits/<hash of the reviewer's name>.json


def reviewer() -> str:
    """Who reviews in this session: typed on the Review page, else $SITREP_REVIEWER or the OS user."""
    return str(st.session_state.get(REVIEWER) or default_reviewer())


def reviewer_input() -> None:
    """The field that names this session's reviewer (one server may serve several analysts)."""
    st.session_state.setdefault(REVIEWER, default_reviewer())
    st.text_input(
        "Reviewing as",
        key=REVIEWER,
        max_chars=80,
        help="Your name in the review log; several analysts may share one server.",
    )


def _visit_file(name: str) -> Path:
    """The visit record of a reviewer: named by a hash, so no typed name ever forms a path."""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:20]
    return state.store_path() / VISITS / f"{digest}.json"


def previous_visit(data: state.Corpus) -> dict[str, Any] | None:
    """The reviewer's previous visit ({"at": UTC time, "articles": ids}), None on a first visit;
    the first call of a session reads it, then records this visit (an atomic replace)."""
    if SINCE not in st.session_state:
        path = _visit_file(reviewer())
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = None
        now = {
            "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "articles": sorted(map(str, data.articles["article_id"])),
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial")
            partial.write_text(json.dumps(now), encoding="utf-8")
            os.replace(partial, path)
        except OSError as error:  # a read-only store: nothing to compare with next time
            log.info("visit not recorded at %s: %s", path, error)
        st.session_state[SINCE] = record if isinstance(record, dict) and "at" in record else None
    return st.session_state[SINCE]


def changes_since_words(data: state.Corpus) -> tuple[str, list[Change]]:
    """ "Since your last visit (…): 3 new articles, 12 new events, 4 corrections by others", and
    those corrections."""
    record = previous_visit(data)
    if record is None:
        return "First visit: from the next one, what changed meanwhile is listed here.", []
    before = set(record.get("articles") or [])
    new_articles = set(map(str, data.articles["article_id"])) - before
    events = data.events
    added = events["origin"].eq("analyst") & events["reviewed_at"].astype(str).gt(record["at"])
    new_events = int((events["article_id"].isin(new_articles) | added).sum())
    others = review_log().changes_since(record["at"], exclude_reviewer=reviewer())
    # one correction of several fields is one change for the reader
    writes = {(c.event_id, c.at, c.reviewer, c.action) for c in others}
    when = record["at"][:16].replace("T", " ")
    return (
        f"Since your last visit ({when} UTC): {len(new_articles):,} new articles, {new_events:,} new events, "
        f"{len(writes):,} reviews by others.",
        others,
    )


def overview_lines(data: state.Corpus) -> None:
    """The Overview's review lines: what changed since the last visit, progress, field accuracy."""
    words, others = changes_since_words(data)
    st.markdown("**Review**")
    st.caption(markdown_literal(words))
    if others:
        with st.expander(f"Reviews by others ({len(others)} changes)"):
            st.html(history_html(others[-200:]))
    done = progress(data)
    accuracy = field_accuracy(data.events)
    judged = int(accuracy["reviewed"].max()) if len(accuracy) else 0
    st.caption(markdown_literal(done.text + "."))
    if not judged:
        st.caption("Field accuracy: no extracted event accepted or corrected yet.")
        return
    shares = " · ".join(f"{row.field} {row.share:.0%}" for row in accuracy.itertuples(index=False) if row.reviewed)
    st.caption(
        markdown_literal(
            f"Extraction right, over the {judged:,} extracted events reviewed (accepted or corrected): {shares}."
        )
    )


# ------------------------------------------------------------------------------------ conflicting claims

CLAIM_FIELDS = ("date", "place", "actors")
OTHER = "__other__"  # the "enter another value" choice of a settled field


def _claim(field: str, row: pd.Series) -> tuple[str, dict[str, Any]]:
    """A report's claim on a field: its words, and the correction that makes another report say it."""
    if field == "date":
        start, end = _day(row["date_start"]), _day(row["date_end"])
        if start is None:
            return "", {}
        return date_words(start, end, row["date_precision"]), {
            "date": f"{start.isoformat()}/{end.isoformat()}",
            "date_precision": row["date_precision"],
        }
    if field == "place":
        if not row["place"]:
            return "", {}
        picked = {k: row[k] for k in ("place", "place_id", "lat", "lon", "geo_precision")}
        return place_words(row["place"], row["geo_precision"], row["country"]), place_correction(picked)
    actors = _actors(row)
    return ", ".join(actors), ({"actors": actors} if actors else {})


def _typed_claim(field: str, text: str) -> dict[str, Any]:
    """The correction for a value the analyst typed (a date or range, a gazetteer name, actors)."""
    text = text.strip()
    if not text:
        raise ReviewError(f"Expected the settled {field}, got nothing")
    return {"date": {"date": text}, "place": {"place": text}, "actors": {"actors": text}}[field]


def claims_html(reports: pd.DataFrame, fields: tuple[str, ...]) -> str:
    """Each source's date, place and actors side by side (escaped), the disputed columns marked."""
    head = "".join(
        f"<th style='text-align:left;padding-right:1em'>{name}{' ≠' if name.lower() in fields else ''}</th>"
        for name in ("Source", "Date", "Place", "Actors")
    )
    rows = []
    for _, row in reports.iterrows():
        cells = [f"{row['outlet'] or 'unknown outlet'} ({row['article_id']})"] + [
            _claim(field, row)[0] or "—" for field in CLAIM_FIELDS
        ]
        rows.append("<tr>" + "".join(f"<td style='padding-right:1em'>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f"<table class='sitrep-claims' style='border:none'><tr>{head}</tr>{''.join(rows)}</table>"


def settle(reports: pd.DataFrame, seen: dict[str, int], fields: tuple[str, ...], key: str) -> None:
    """Make every report of the incident say the settled values (one correction per report that
    differs; each in its own transaction, each checked against what the panel showed)."""
    wanted: dict[str, dict[str, Any]] = {}
    try:
        for field in fields:
            choice = st.session_state.get(f"{key}_{field}")
            if choice is None:
                continue
            if choice == OTHER:
                wanted[field] = _typed_claim(field, str(st.session_state.get(f"{key}_{field}_typed") or ""))
            else:
                wanted[field] = _claim(field, reports[reports["event_id"] == choice].iloc[0])[1]
    except ReviewError as error:
        st.session_state[MESSAGE] = ("error", f"Not saved: {error}")
        return
    if not wanted:
        st.session_state[MESSAGE] = ("error", "Not saved: pick the settled value of a field")
        return
    changed, messages = 0, []
    for _, row in reports.iterrows():
        fields_for_row = {}
        for field, correction in wanted.items():
            if _claim(field, row)[1] != correction:  # (a typed value always differs: the log says if not)
                fields_for_row.update(correction)
        if not fields_for_row:
            continue
        try:
            review_log().correct(
                row, fields_for_row, seen=seen.get(row["event_id"]), note="settled across sources", reviewer=reviewer()
            )
            changed += 1
        except ReviewError as error:
            if "nothing to correct" not in str(error):
                messages.append(f"{row['outlet']}: {error}")
    text = f"Settled: {changed} of {len(reports)} reports corrected."
    st.session_state[MESSAGE] = ("warning", text + " " + "; ".join(messages)) if messages else ("success", text)


def claims(data: state.Corpus, event: pd.Series, *, key: str) -> None:
    """Where the reports of the event's incident disagree on the date, the place or the actors:
    each source's value side by side, and the settled value to pick (or type) for all of them."""
    incident = str(event.get("incident_id") or "")
    if not incident:
        return
    reports = data.events[data.events["incident_id"] == incident]
    if len(reports) < 2:
        return
    disputed = source_disagreements(reports)
    fields = tuple(f for f in CLAIM_FIELDS if any(f in row for row in disputed))
    if not fields:
        return
    st.markdown(f"**The sources disagree** on the {' and the '.join(fields)}")
    st.html(claims_html(reports, fields))
    reviews = review_log()
    seen = {event_id: reviews.last_change(event_id) for event_id in reports["event_id"]}
    ckey = f"{key}_{incident}_{max(seen.values())}"
    for field in fields:
        options: dict[str, str] = {}
        for _, row in reports.iterrows():
            words = _claim(field, row)[0]
            if words and words not in options.values():
                options[row["event_id"]] = f"{words} ({row['outlet'] or row['article_id']})"
        options[OTHER] = "Enter another…"
        st.selectbox(f"Settled {field}", list(options), format_func=options.get, index=None, key=f"{ckey}_{field}")
        if st.session_state.get(f"{ckey}_{field}") == OTHER:
            st.text_input(
                f"The settled {field}",
                key=f"{ckey}_{field}_typed",
                placeholder={
                    "date": "YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD",
                    "place": "a place name",
                    "actors": "names separated by ;",
                }[field],
            )
    st.button("Settle for every report", key=f"{ckey}_settle", on_click=settle, args=(reports, seen, fields, ckey))
