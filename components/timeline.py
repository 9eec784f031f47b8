"""The timeline: an Altair chart of the filtered events, one row per actor (or event type).

Intervals are bars from date_start to date_end, known days are points; colour is the event type.
Clicking a mark selects that event (the map's selection); brushing a span sets the date filter.
The play control steps a cut-off date through the data so the map shows the campaign unfold.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from components import deferred, state
from components.format import UNTYPED, type_colours, with_display_columns

MAX_ROWS = 14
# Past this many events one mark per event is unreadable and slow to draw: counts per month.
EVENTS_DRAWN_UP_TO = 2500
OTHER_ACTORS = "other actors"
NO_ACTOR = "no actor identified"
PICK, PICK_BAR, BRUSH = "pick", "pick_bar", "brush"
PLAY_SECONDS = 1.5
# The play control's height in pixels (toggle and slider with its label), kept free while it
# waits for the map so that the map does not move when it comes.
PLAY_ROW_HEIGHT = 68
PLAY_KEY = "play_control"  # the play control's fragment


def timeline_frame(events: pd.DataFrame, *, rows: str = "actor") -> pd.DataFrame:
    """One mark per (event, row): row is an actor (events with two actors appear twice) or the type.

    Only dated events; the MAX_ROWS most frequent actors keep their own row.
    """
    dated = events[events["date_start"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=["event_id", "row", "start", "end", "type", "when",
                                     "place", "shape"])
    base = pd.DataFrame({
        "event_id": dated["event_id"].to_numpy(),
        "start": pd.to_datetime(dated["date_start"]).to_numpy(),
        "end": pd.to_datetime(dated["date_end"]).fillna(pd.to_datetime(dated["date_start"]))
        .to_numpy(),
        "type": dated["event_type"].replace("", UNTYPED).to_numpy(),
        "place": dated["place"].replace("", "?").to_numpy(),
        "when": with_display_columns(dated)["_when"].to_numpy(),
        "actors": [list(a) or [NO_ACTOR] for a in dated["actors"]],
    })
    base["shape"] = (base["end"] > base["start"]).map({True: "interval", False: "day"})
    # A bar needs a width: an interval's last day counts, so it ends the day after.
    base["end"] = base["end"] + pd.Timedelta(days=1)
    if rows == "type":
        out = base.drop(columns="actors").assign(row=base["type"])
    else:
        out = base.explode("actors").rename(columns={"actors": "row"})
        top = out["row"].value_counts().index[:MAX_ROWS]
        out.loc[~out["row"].isin(top), "row"] = OTHER_ACTORS
    return out.reset_index(drop=True)


def build_chart(events: pd.DataFrame, *, rows: str = "actor", height: int | None = None,
                interactive: bool = True) -> alt.LayerChart:
    """The layered chart (bars for intervals, points for days) with click and brush selections."""
    frame = timeline_frame(events, rows=rows)
    colours = type_colours(frame["type"].unique())
    colour = alt.Color("type:N", title="Event type",
                       scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                       legend=alt.Legend(orient="bottom", columns=2))
    order = frame["row"].value_counts().index.tolist()
    y = alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=180, labelOverlap=False))
    tooltip = [alt.Tooltip("when:N", title="date"), alt.Tooltip("type:N", title="type"),
               alt.Tooltip("place:N"), alt.Tooltip("row:N", title="row")]
    pick = alt.selection_point(name=PICK, fields=["event_id"], on="click", clear="dblclick")
    pick_bar = alt.selection_point(name=PICK_BAR, fields=["event_id"], on="click",
                                   clear="dblclick")
    brush = alt.selection_interval(name=BRUSH, encodings=["x"], empty=True)
    n_rows = max(frame["row"].nunique(), 1)
    base = alt.Chart(frame).encode(
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True)),
        y=y, color=colour, tooltip=tooltip,
        opacity=alt.condition(pick & pick_bar, alt.value(0.9), alt.value(0.3)) if interactive
        else alt.value(0.85),
    )
    bars = base.transform_filter(alt.datum.shape == "interval").mark_bar(
        height=8, cornerRadius=2).encode(x2="end:T")
    points = base.transform_filter(alt.datum.shape == "day").mark_circle(size=70)
    if interactive:
        points = points.add_params(pick, brush)
        bars = bars.add_params(pick_bar)
    chart = alt.layer(bars, points).properties(
        height=height or min(60 + 30 * n_rows, 560), width="container")
    return chart


def build_counts_chart(events: pd.DataFrame, *, rows: str = "actor",
                       height: int | None = None, interactive: bool = True) -> alt.Chart:
    """Many events: a circle per (row, month, type) sized by the number of events; brushable."""
    frame = timeline_frame(events, rows=rows)
    frame["month"] = frame["start"].dt.to_period("M").dt.to_timestamp()
    counts = frame.groupby(["row", "month", "type"], as_index=False).size()
    colours = type_colours(counts["type"].unique())
    order = frame["row"].value_counts().index.tolist()
    brush = alt.selection_interval(name=BRUSH, encodings=["x"], empty=True)
    chart = alt.Chart(counts).mark_circle(opacity=0.6).encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True)),
        y=alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=180,
                                                               labelOverlap=False)),
        size=alt.Size("size:Q", title="events", scale=alt.Scale(range=[15, 400])),
        color=alt.Color("type:N", title="Event type", legend=alt.Legend(orient="bottom", columns=2),
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        tooltip=[alt.Tooltip("month:T", format="%b %Y"), "row:N", "type:N",
                 alt.Tooltip("size:Q", title="events")],
    )
    if interactive:
        chart = chart.add_params(brush)
    n_rows = max(counts["row"].nunique(), 1)
    return chart.properties(height=height or min(60 + 30 * n_rows, 560), width="container")


def _on_select(key: str, data: state.Corpus) -> None:
    """Chart callback: a clicked mark selects its event; a brushed span becomes the date filter."""
    selection = (st.session_state.get(key) or {}).get("selection", {})
    picked = selection.get(PICK) or selection.get(PICK_BAR) or []
    if picked and picked[0].get("event_id"):
        state.select(picked[0]["event_id"])
    span = (selection.get(BRUSH) or {}).get("start")
    if span and len(span) == 2 and data.first_day:
        first, last = (pd.Timestamp(v, unit="ms").date() if isinstance(v, (int, float))
                       else pd.Timestamp(v).date() for v in span)
        first = max(min(first, data.last_day), data.first_day)
        last = max(min(last, data.last_day), data.first_day)
        if first <= last:
            st.session_state["f_dates"] = (first, last)
    # The selection and the date filter are shared with the map, the details and the sidebar:
    # rerun the whole page even when the chart sits in a fragment (components.deferred).
    st.rerun()


def show(data: state.Corpus, events: pd.DataFrame, *, key: str, rows: str = "actor",
         height: int | None = None, interactive: bool = True) -> None:
    """The timeline of events; click and brush feed the shared selection and date filter."""
    dated = events["date_start"].notna().sum()
    if not dated:
        st.caption("None of these events has a known date.")
        return
    if dated > EVENTS_DRAWN_UP_TO:
        chart = build_counts_chart(events, rows=rows, height=height, interactive=interactive)
        modes = [BRUSH]
        noun = "incidents" if "n_reports" in events else "events"
        hint = (f"{dated:,} {noun}: circles count {noun} per month. Drag across the dates to "
                f"set the date filter; narrow the filters below {EVENTS_DRAWN_UP_TO:,} {noun} "
                f"to click single ones.")
    else:
        chart = build_chart(events, rows=rows, height=height, interactive=interactive)
        modes = [PICK, PICK_BAR, BRUSH]
        hint = (f"Click a mark to select its {'incident' if 'n_reports' in events else 'event'}"
                "; drag across the dates to set the date filter; double-click to clear.")
    if interactive:
        st.altair_chart(chart, key=key, on_select=lambda: _on_select(key, data),
                        selection_mode=modes, width="stretch")
        st.caption(hint)
    else:
        st.altair_chart(chart, key=key, width="stretch")
    noun = "incidents" if "n_reports" in events else "events"
    if dated < len(events):
        st.caption(f"{len(events) - dated:,} undated {noun} are not on the timeline.")


def months(first: date, last: date) -> list[date]:
    """The last day of each month from first to last (the play control's steps)."""
    out, cursor = [], date(first.year, first.month, 1)
    while cursor <= last:
        following = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
        out.append(following - timedelta(days=1))
        cursor = following
    return out


def play_control(data: state.Corpus, events: pd.DataFrame) -> pd.DataFrame:
    """A "play" slider over months; returns the events dated up to the cut-off (all when off).

    The control is drawn in a fragment, one element whether drawn or waiting, so that the map
    after it keeps its place. It waits with the sidebar filters (state.widgets_wait_for_map: the
    first page of a session) unless a cut-off is already set: its widgets' code would delay the
    map, and every event is shown meanwhile, as the control would at its start."""
    starts = events["date_start"].dropna()  # the column: filtering the frame copies them all
    if starts.empty:
        return events
    steps = months(pd.Timestamp(starts.min()).date(), pd.Timestamp(starts.max()).date())
    if len(steps) < 2:
        return events
    if st.session_state.get("play_until") not in steps:
        st.session_state["play_until"] = steps[-1]
    wait = state.widgets_wait_for_map() and st.session_state["play_until"] == steps[-1]
    deferred.after_map(PLAY_KEY, lambda: _play(steps), height=PLAY_ROW_HEIGHT,
                       label="the play control follows", wait=wait)
    cut = pd.Timestamp(st.session_state["play_until"])
    if cut >= pd.Timestamp(steps[-1]):
        return events
    return events[events["date_start"].notna() & (events["date_start"] <= cut)]


def _play(steps: list[date]) -> None:
    if st.session_state.get("play_on"):
        _ticker(steps)  # before the widgets: it may change their values
    left, right = st.columns([1, 5], vertical_alignment="bottom")
    left.toggle("Play", key="play_on", on_change=_on_play, args=(steps,),
                help="Step month by month through the events")
    right.select_slider("Events up to", steps, key="play_until",
                        format_func=lambda d: d.strftime("%b %Y"), on_change=deferred.rerun_page)


def _on_play(steps: list[date]) -> None:
    """Pressing play at the last month starts again from the first; the page follows."""
    if st.session_state.get("play_on") and st.session_state.get("play_until") == steps[-1]:
        st.session_state["play_until"] = steps[0]
        st.session_state["_play_tick"] = time.monotonic()
    deferred.rerun_page()


@st.fragment(run_every=PLAY_SECONDS)
def _ticker(steps: list[date]) -> None:
    """While playing, advance the cut-off one month per tick and redraw the page.

    The body also runs inside every full rerun; the clock keeps those from advancing.
    """
    now = time.monotonic()
    if now - st.session_state.get("_play_tick", 0.0) < PLAY_SECONDS * 0.8:
        return
    st.session_state["_play_tick"] = now
    current = st.session_state.get("play_until", steps[0])
    index = steps.index(current) if current in steps else 0
    if index + 1 >= len(steps):
        st.session_state["play_on"] = False
    else:
        st.session_state["play_until"] = steps[index + 1]
    st.rerun()
