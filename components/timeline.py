"""The timeline: an Altair chart of the filtered events, one row per actor (or event type).

Intervals are bars from date_start to date_end, known days are points; colour is the event type.
With one row per operation, each named operation of the view is a band across its span, its phases
are bands on the rows under it, each event sits on its operation's (or phase's) row in the
operation's colour (components.format.operation_colours), and a click on a band selects the
operation (the operation filter, as ?operation= does).
The axis covers the range the sidebar shows (by default the news span, components.timespan),
with ticks and labels of one unit; events dated before it sit as triangles in an "earlier" band
on its left. Clicking a mark selects that event (the map's selection); brushing a span sets the
date filter. The play control steps a cut-off date through the range by the axis's unit so the
map shows the campaign unfold.
"""

from __future__ import annotations

import time
from datetime import date

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from components import deferred, state
from components.format import NO_OPERATION, NO_OPERATION_COLOUR, UNTYPED, type_colours, with_display_columns
from components.timespan import time_unit
from data.operations import Operation, load_operations, operations_by_id

MAX_ROWS = 14
# Past this many events one mark per event is unreadable and slow to draw: counts per month.
EVENTS_DRAWN_UP_TO = 2500
OTHER_ACTORS = "other actors"
NO_ACTOR = "no actor identified"
PICK, PICK_BAR, BRUSH, PICK_OPERATION = "pick", "pick_bar", "brush", "pick_operation"
# What the rows can be: an actor, an event type or a named operation (its phases on rows under it).
ROW_KINDS = ("actor", "type", "operation")
BAND_OPACITY = {"band": 0.22, "phase": 0.35}
# Play's seconds per step: the speeds offered, and the one it starts with.
PLAY_SPEEDS = {"slow": 3.0, "normal": 1.5, "fast": 0.75}
PLAY_SPEED = "normal"
# The play control's height in pixels (toggle and slider with its label), kept free while it
# waits for the map so that the map does not move when it comes.
PLAY_ROW_HEIGHT = 68
PLAY_KEY = "play_control"  # the play control's fragment
_PLAY_LAST = "_play_last_step"  # the last cut-off of this run's steps (play_cutoff)
# The "earlier" band left of the axis, as a share of the axis: background mentions dated before
# the span shown are drawn there (at their real date in the tooltip), not on a stretched scale.
EARLIER_BAND = 0.07
DAY_MS = 86_400_000
ROW_HEIGHT = 30
# The width fits the container; the height is the rows' own, and the axis and legend come on
# top (Streamlit's default "fit" squeezed rows, axis and legend into the chart's height: with
# few rows the rows overlapped, and a long legend was cut).
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")


def _ms(values: object) -> np.ndarray:
    """Days as epoch milliseconds (UTC midnight), to place the marks; the chart receives them
    as ISO instants (_iso_utc) on a UTC scale, so a day is the same day in every time zone."""
    days = pd.to_datetime(values).to_numpy(dtype="datetime64[ms]")
    return days.astype("int64").astype(float)


def _day_ms(day: date) -> int:
    return int(pd.Timestamp(day).value // 1_000_000)


def _utc(day_ms: float) -> dict:
    """A day for the chart's spec (axis values), as a Vega-Lite DateTime in UTC (a plain dict:
    alt.DateTime objects cost a validation each)."""
    day = pd.Timestamp(day_ms, unit="ms")
    return {"year": day.year, "month": day.month, "date": day.day, "utc": True}


def chart_span(events: pd.DataFrame, shown: tuple[date, date] | None = None) -> tuple[date, date] | None:
    """The days the time axis covers: the events' own days within `shown` (the date range the
    sidebar shows; by default the news span, so that earlier mentions do not set the scale)."""
    starts = pd.to_datetime(events["date_start"]).dropna()
    if starts.empty:
        return None
    ends = pd.to_datetime(events["date_end"]).fillna(pd.to_datetime(events["date_start"])).dropna()
    first, last = starts.min().date(), max(ends.max(), starts.max()).date()
    if shown:
        inside = starts[(ends >= pd.Timestamp(shown[0])).reindex(starts.index, fill_value=False)]
        first = max(first, shown[0], inside.min().date() if len(inside) else shown[0])
        last = max(min(last, shown[1]), first)
    return first, last


def _phases(operation_id: str, depth: int = 1) -> list[tuple[Operation, int]]:
    """The operation's phases, each followed by its own (depth-first, in the reference's order)."""
    out = []
    for op in load_operations():
        if op.parent_id == operation_id and op.kind == "phase":
            out += [(op, depth), *_phases(op.id, depth + 1)]
    return out


def _phase_label(phase: Operation, depth: int) -> str:
    """A phase's row: its name without its battle's ("↳ Old City" under the Battle of Mosul)."""
    short = phase.name.split(": ", 1)[-1]
    return "\u2003" * (depth - 1) + "\u21b3 " + short


def operation_rows(operation_ids: object) -> list[dict]:
    """The rows of the named operations among `operation_ids`, earliest first, each followed by its
    phases' rows: {row, operation_id (the named operation), band (the operation or phase), kind
    ("band" or "phase")}."""
    wanted = {str(i) for i in operation_ids}
    named = sorted((op for op in load_operations() if op.id in wanted), key=lambda op: op.start)
    rows = []
    for op in named:
        rows.append({"row": op.name, "operation_id": op.id, "band": op.id, "kind": "band"})
        rows += [
            {"row": _phase_label(phase, depth), "operation_id": op.id, "band": phase.id, "kind": "phase"}
            for phase, depth in _phases(op.id)
        ]
    return rows


def _operation_row_of(dated: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each event's row (its phase's when it has one, else its operation's; NO_OPERATION) and its
    operation's name (what colours it)."""
    table = operations_by_id()
    ids = dated["operation_id"].astype(str).to_numpy() if "operation_id" in dated else np.full(len(dated), "")
    phases = dated["operation_phase"].astype(str).to_numpy() if "operation_phase" in dated else np.full(len(dated), "")
    label_of = {(r["operation_id"], table[r["band"]].name): r["row"] for r in operation_rows(set(ids))}
    names = np.array([table[i].name if i in table else NO_OPERATION for i in ids], dtype=object)
    rows = np.array(
        [label_of.get((i, phase), name) if phase else name for i, phase, name in zip(ids, phases, names, strict=True)],
        dtype=object,
    )
    return rows, names


def timeline_frame(
    events: pd.DataFrame, *, rows: str = "actor", span: tuple[date, date] | None = None, colour_by: str = "type"
) -> pd.DataFrame:
    """One mark per (event, row): row is an actor (events with two actors appear twice), the type
    or the named operation (or its phase; `operation_rows`). With colour_by "operation" (always
    with operation rows) `colour` is the name of the operation that colours the mark.

    Only dated events; the MAX_ROWS most frequent actors keep their own row. `start`/`end` are
    the mark's place on the axis in epoch ms; an event that ends before `span` is an "earlier"
    mark, drawn in the band left of the axis.
    """
    dated = events[events["date_start"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=["event_id", "row", "start", "end", "type", "colour", "when", "place", "shape"])
    start = _ms(dated["date_start"])
    last = _ms(dated["date_end"].fillna(dated["date_start"]))
    # A bar needs a width: an interval's last day counts, so it ends the day after.
    end = last + DAY_MS
    shape = np.where(last > start, "interval", "day").astype(object)
    if span:
        first = _day_ms(span[0])
        band_middle = first - int(EARLIER_BAND * (_day_ms(span[1]) + DAY_MS - first)) // 2
        earlier = end <= first
        shape[earlier] = "earlier"
        # an earlier event sits in the band; an interval begun before the span starts in it;
        # none runs past the span
        start = np.where(earlier, band_middle, np.maximum(start, band_middle))
        end = np.where(earlier, band_middle, np.minimum(end, _day_ms(span[1]) + DAY_MS))
    base = pd.DataFrame(
        {
            "event_id": dated["event_id"].to_numpy(),
            "start": start,
            "end": end,
            "type": dated["event_type"].replace("", UNTYPED).to_numpy(),
            "place": dated["place"].replace("", "?").to_numpy(),
            "when": with_display_columns(dated)["_when"].to_numpy(),
            "actors": [list(a) or [NO_ACTOR] for a in dated["actors"]],
            "shape": shape,
        }
    )
    by_operation = rows == "operation" or colour_by == "operation"
    row, name = _operation_row_of(dated) if by_operation else (None, None)
    if by_operation:  # (by type the marks are coloured by `type`: no second column of it to send)
        base["colour"] = name
    if rows == "type":
        out = base.drop(columns="actors").assign(row=base["type"])
    elif rows == "operation":
        out = base.drop(columns="actors").assign(row=row)
    else:
        out = base.explode("actors").rename(columns={"actors": "row"})
        top = out["row"].value_counts().index[:MAX_ROWS]
        out.loc[~out["row"].isin(top), "row"] = OTHER_ACTORS
    return out.reset_index(drop=True)


def band_frame(events: pd.DataFrame, span: tuple[date, date] | None) -> pd.DataFrame:
    """The bands of the operation rows: each named operation of the events and each of its phases
    across its span (cut to the axis, as the events are), as ISO instants: row, start, end,
    operation_id (what a click selects), name, when, kind, colour (the operation's name)."""
    columns = ["row", "start", "end", "operation_id", "name", "when", "kind", "colour"]
    if "operation_id" not in events:
        return pd.DataFrame(columns=columns)
    table = operations_by_id()
    bands = []
    for row in operation_rows(events["operation_id"].unique()):
        op = table[row["band"]]
        start, end = _day_ms(op.start), _day_ms(op.end) + DAY_MS
        if span:
            first = _day_ms(span[0])
            band_middle = first - int(EARLIER_BAND * (_day_ms(span[1]) + DAY_MS - first)) // 2
            start, end = max(start, band_middle), max(min(end, _day_ms(span[1]) + DAY_MS), band_middle)
        bands.append(
            {
                **{k: row[k] for k in ("row", "operation_id", "kind")},
                "start": start,
                "end": end,
                "name": op.name,
                "when": f"{op.start:%-d %b %Y} – {op.end:%-d %b %Y}",
                "colour": table[row["operation_id"]].name,
            }
        )
    out = pd.DataFrame(bands, columns=columns)
    if len(out):
        out["start"], out["end"] = _iso_utc(out["start"]), _iso_utc(out["end"])
    return out


def colour_scale(frame: pd.DataFrame, colour_by: str, operation_colours: dict[str, str] | None) -> alt.Scale:
    """The marks' colours: by type, or by operation (the map's colours)."""
    if colour_by != "operation":
        colours = type_colours(frame["type"].unique())
        return alt.Scale(domain=list(colours), range=list(colours.values()))
    table = operations_by_id()
    palette = operation_colours or {}
    names = {op.name: palette.get(op.id, NO_OPERATION_COLOUR) for op in table.values()}
    domain = [name for name in names if name in set(frame["colour"])]
    if NO_OPERATION in set(frame["colour"]):
        domain.append(NO_OPERATION)
    return alt.Scale(domain=domain, range=[names.get(name, NO_OPERATION_COLOUR) for name in domain])


def _colour_field(colour_by: str) -> str:
    """The field that colours the marks: the type, or the operation's name (timeline_frame)."""
    return "colour:N" if colour_by == "operation" else "type:N"


def _band_layer(bands: pd.DataFrame, y: alt.Y, scale: alt.Scale, interactive: bool, row_height: float) -> alt.Chart:
    """The operation bands, under the events, a little narrower than their rows (`row_height`
    pixels: less than ROW_HEIGHT once many rows share the chart's greatest height); a click on one
    selects its operation."""
    layer = (
        alt.Chart(bands)
        .mark_bar(height=max(row_height - 6, 4), cornerRadius=3)
        .encode(
            x=alt.X("start:T"),
            x2="end:T",
            y=y,
            color=alt.Color("colour:N", scale=scale, legend=None),
            opacity=alt.Opacity(
                "kind:N", scale=alt.Scale(domain=list(BAND_OPACITY), range=list(BAND_OPACITY.values())), legend=None
            ),
            tooltip=[
                alt.Tooltip("name:N", title="operation"),
                alt.Tooltip("when:N", title="span"),
            ],
        )
    )
    if interactive:
        layer = layer.add_params(
            alt.selection_point(name=PICK_OPERATION, fields=["operation_id"], on="click", clear="dblclick")
        )
    return layer


def _iso_utc(ms: pd.Series) -> pd.Series:
    """Epoch ms as ISO instants in UTC ("2016-01-01T00:00:00Z"), as the chart's data carries
    them: the browser reads them as UTC, numbers reach it in a form Vega does not take as time."""
    return pd.to_datetime(ms, unit="ms").dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def time_axis(span: tuple[date, date]) -> tuple[alt.Scale, alt.Axis, tuple[float, float]]:
    """The x scale and axis for a span: ticks at unit starts (timespan.time_unit), each labelled
    with its own day; and the extent (epoch ms) that leaves room for the "earlier" band on the
    left and the last label on the right. The extent is drawn as two invisible anchor marks
    (`_anchors`), not given as the scale's domain: Streamlit's Vega-Lite loses an explicit
    time domain in some layered charts and draws nothing."""
    first, last = span
    unit = time_unit(first, last)
    ticks = [_utc(_day_ms(day)) for day in unit.ticks(first, last)]
    low, high = _day_ms(first), _day_ms(last) + DAY_MS
    extent = (low - EARLIER_BAND * (high - low), high + 0.04 * (high - low))
    axis = alt.Axis(
        values=ticks,
        format=unit.label,
        labelOverlap="greedy",
        labelFlush=False,
        title=AXIS_TITLES[unit.name],
        titleFontWeight="normal",
        titleColor="#666",
        grid=True,
    )
    return alt.Scale(type="utc", nice=False), axis, extent


def _anchors(data: pd.DataFrame, extent: tuple[float, float] | None, field: str) -> pd.DataFrame:
    """data with two "anchor" rows at the ends of the axis (shape "anchor"; drawn invisible)."""
    if extent is None or data.empty:
        return data
    first = data.iloc[0]
    rows = [{**first.to_dict(), field: stamp, "shape": "anchor"} for stamp in _iso_utc(pd.Series(extent))]
    if "end" in data:
        for row in rows:
            row["end"] = row[field]
    if "size" in data:
        for row in rows:
            row["size"] = 0
    return pd.concat([data, pd.DataFrame(rows)], ignore_index=True)


def _anchor_layer(data: pd.DataFrame, field: str, scale: alt.Scale, axis: alt.Axis, y: alt.Y) -> alt.Chart:
    """The invisible marks that hold the axis's extent (see time_axis); the first layer, so that
    it carries the shared scale and axis. (Layers built on the chart's own data frame, not on
    the base chart: each encode() of a chart with many encodings costs tens of ms.)"""
    return (
        alt.Chart(data)
        .transform_filter(alt.datum.shape == "anchor")
        .mark_point(opacity=0)
        .encode(x=alt.X(f"{field}:T", scale=scale, axis=axis), y=y)
    )


AXIS_TITLES = {"day": "days", "week": "weeks, by their Mondays", "month": "months", "year": "years"}


def _legend() -> alt.Legend:
    """The legend under the chart, one type a line: every name whole at any width."""
    return alt.Legend(orient="bottom", direction="horizontal", columns=1, labelLimit=0, title=None, symbolType="circle")


def _y(order: list[str]) -> alt.Y:
    return alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=180, labelOverlap=False, labelPadding=6))


def _earlier_marks(frame: pd.DataFrame, span: tuple[date, date] | None, data: pd.DataFrame) -> list:
    """The rule that ends the "earlier" band and the band's label ("4 earlier"), when the band
    holds marks."""
    earlier = frame.loc[frame["shape"] == "earlier", "event_id"].nunique() if span and "event_id" in frame else 0
    if not earlier:
        return []
    first = _day_ms(span[0])
    # one mark whatever the rows, at the band's edge (a field on the shared time scale, whose
    # domain only the first layer sets: two layers setting it conflict in Vega-Lite);
    # the base's row, colour and tooltip do not apply to it
    one = alt.Chart(data).transform_aggregate(n="count()").transform_calculate(edge=str(first))
    rule = one.mark_rule(strokeDash=[4, 3], color="#777").encode(x=alt.X("edge:T"))
    label = one.mark_text(align="right", baseline="bottom", dx=-3, dy=-2, fontSize=10, color="#777").encode(
        x=alt.X("edge:T"), y=alt.value(0), text=alt.value(f"{earlier} earlier")
    )
    return [rule, label]


def build_chart(
    events: pd.DataFrame,
    *,
    rows: str = "actor",
    height: int | None = None,
    interactive: bool = True,
    shown: tuple[date, date] | None = None,
    operation_colours: dict[str, str] | None = None,
) -> alt.LayerChart:
    """The layered chart (bars for intervals, points for days, triangles in the "earlier" band)
    with click and brush selections. `shown`: the date range the sidebar shows. With
    operation_colours (the corpus's), marks are coloured by operation, as on the map; with
    operation rows too, and the operations' bands lie under the events."""
    span = chart_span(events, shown)
    colour_by = "operation" if operation_colours is not None or rows == "operation" else "type"
    frame = timeline_frame(events, rows=rows, span=span, colour_by=colour_by)
    scale = colour_scale(frame, colour_by, operation_colours)
    colour = alt.Color(_colour_field(colour_by), scale=scale, legend=_legend())
    bands = band_frame(events, span) if rows == "operation" else None
    order = _row_order(frame, bands)
    tooltip = [
        alt.Tooltip("when:N", title="date"),
        alt.Tooltip("type:N", title="type"),
        alt.Tooltip("place:N"),
        alt.Tooltip("row:N", title="row"),
    ]
    pick = alt.selection_point(name=PICK, fields=["event_id"], on="click", clear="dblclick")
    pick_bar = alt.selection_point(name=PICK_BAR, fields=["event_id"], on="click", clear="dblclick")
    brush = alt.selection_interval(name=BRUSH, encodings=["x"], empty=True)
    n_rows = max(len(order), 1)
    time_scale, axis, extent = time_axis(span) if span else (alt.Scale(type="utc"), alt.Axis(format="%b %Y"), None)
    data = frame.assign(start=_iso_utc(frame["start"]), end=_iso_utc(frame["end"])) if len(frame) else frame
    data = _anchors(data, extent, "start")
    y = _y(order)
    base = alt.Chart(data).encode(
        x=alt.X("start:T", axis=axis),
        y=y,
        color=colour,
        tooltip=tooltip,
        opacity=alt.condition(pick & pick_bar, alt.value(0.9), alt.value(0.3)) if interactive else alt.value(0.85),
    )
    bars = base.transform_filter(alt.datum.shape == "interval").mark_bar(height=8, cornerRadius=2).encode(x2="end:T")
    points = (
        base.transform_filter((alt.datum.shape == "day") | (alt.datum.shape == "earlier"))
        .mark_point(size=70, filled=True)
        .encode(shape=alt.condition(alt.datum.shape == "earlier", alt.value("triangle-left"), alt.value("circle")))
    )
    if interactive:
        points = points.add_params(pick, brush)
        bars = bars.add_params(pick_bar)
    chart_height = height or min(ROW_HEIGHT * n_rows, 560)
    under = (
        [_band_layer(bands, y, scale, interactive, chart_height / n_rows)] if bands is not None and len(bands) else []
    )
    chart = alt.layer(
        _anchor_layer(data, "start", time_scale, axis, y), *under, bars, points, *_earlier_marks(frame, span, data)
    ).properties(height=chart_height, width="container", autosize=AUTOSIZE)
    return chart


def _row_order(frame: pd.DataFrame, bands: pd.DataFrame | None) -> list[str]:
    """The rows top to bottom: the busiest first, or the operations' (earliest first, phases
    under their operation, then the events of none)."""
    if bands is None:
        return frame["row"].value_counts().index.tolist()
    order = list(dict.fromkeys(bands["row"]))
    return order + [row for row in frame["row"].unique() if row not in order]


def build_counts_chart(
    events: pd.DataFrame,
    *,
    rows: str = "actor",
    height: int | None = None,
    interactive: bool = True,
    shown: tuple[date, date] | None = None,
    operation_colours: dict[str, str] | None = None,
) -> alt.LayerChart:
    """Many events: a circle per (row, month, type) sized by the number of events; brushable.
    Months before the span shown sit in the "earlier" band, left of the axis. With operation
    rows, the operations' bands under the circles, and colours, as in build_chart."""
    span = chart_span(events, shown)
    colour_by = "operation" if operation_colours is not None or rows == "operation" else "type"
    frame = timeline_frame(events, rows=rows, span=span, colour_by=colour_by)
    months = pd.to_datetime(frame["start"], unit="ms").dt.to_period("M").dt.to_timestamp()
    frame["month"] = np.where(frame["shape"] == "earlier", frame["start"], _ms(months))
    keys = (
        ["row", "month", "type", "colour", "shape"] if colour_by == "operation" else ["row", "month", "type", "shape"]
    )
    counts = frame.groupby(keys, as_index=False).size()
    counts["shape"] = np.where(counts["shape"] == "earlier", "earlier", "month")
    counts["month"] = _iso_utc(counts["month"])
    colour_scale_ = colour_scale(frame, colour_by, operation_colours)
    bands = band_frame(events, span) if rows == "operation" else None
    order = _row_order(frame, bands)
    brush = alt.selection_interval(name=BRUSH, encodings=["x"], empty=True)
    scale, axis, extent = time_axis(span) if span else (alt.Scale(type="utc"), alt.Axis(format="%b %Y"), None)
    data = _anchors(counts, extent, "month")
    y = _y(order)
    base = alt.Chart(data).encode(x=alt.X("month:T", axis=axis), y=y)
    circles = (
        base.transform_filter(alt.datum.shape != "anchor")
        .mark_circle(opacity=0.6)
        .encode(
            size=alt.Size("size:Q", title="events", scale=alt.Scale(range=[15, 400])),
            color=alt.Color(_colour_field(colour_by), legend=_legend(), scale=colour_scale_),
            tooltip=[
                alt.Tooltip("month:T", format="%b %Y", title="month"),
                "row:N",
                "type:N",
                alt.Tooltip("size:Q", title="events"),
            ],
        )
    )
    if interactive:
        circles = circles.add_params(brush)
    n_rows = max(len(order), 1)
    chart_height = height or min(ROW_HEIGHT * n_rows, 560)
    under = (
        [_band_layer(bands, y, colour_scale_, interactive, chart_height / n_rows)]
        if bands is not None and len(bands)
        else []
    )
    # (no dashed line at the band's edge here: its two layers cost more than the chart at
    # 10,000 events; the triangles' band and the caption under the chart say it)
    return alt.layer(_anchor_layer(data, "month", scale, axis, y), *under, circles).properties(
        height=chart_height, width="container", autosize=AUTOSIZE
    )


def _on_select(key: str, data: state.Corpus) -> None:
    """Chart callback: a clicked mark selects its event; a brushed span becomes the date filter
    (a span that starts in the "earlier" band reaches back to the first event)."""
    selection = (st.session_state.get(key) or {}).get("selection", {})
    # (a selection that picked nothing comes as [{}])
    picked = [p for p in (selection.get(PICK) or []) + (selection.get(PICK_BAR) or []) if p.get("event_id")]
    if picked:
        state.select(picked[0]["event_id"])
    band = [b for b in selection.get(PICK_OPERATION) or [] if b.get("operation_id") in operations_by_id()]
    if band and not picked:
        # a click on an operation's band shows that operation (as ?operation= does)
        st.session_state["f_operations"] = [band[0]["operation_id"]]
    span = (selection.get(BRUSH) or {}).get("start")
    if span and len(span) == 2 and data.first_day:
        first, last = (
            pd.Timestamp(v, unit="ms").date() if isinstance(v, (int, float)) else pd.Timestamp(v).date() for v in span
        )
        shown = state.date_range(data)
        if shown and first < shown[0]:
            first = data.first_day
        first = max(min(first, data.last_day), data.first_day)
        last = max(min(last, data.last_day), data.first_day)
        if first <= last:
            st.session_state["f_dates"] = (first, last)
    # The selection and the date filter are shared with the map, the details and the sidebar:
    # rerun the whole page even when the chart sits in a fragment (components.deferred).
    st.rerun()


def show(
    data: state.Corpus,
    events: pd.DataFrame,
    *,
    key: str,
    rows: str = "actor",
    height: int | None = None,
    interactive: bool = True,
) -> None:
    """The timeline of events; click and brush feed the shared selection and date filter."""
    dated = events["date_start"].notna().sum()
    if not dated:
        st.caption("None of these events has a known date.")
        return
    shown = state.date_range(data)
    noun = "incidents" if "n_reports" in events else "events"
    by_operation = rows == "operation" and "operation_id" in events
    # coloured as the map is (by operation when the colour switch says so), always with operation rows
    colours = data.operation_colours() if by_operation or state.colour_by() == "operation" else None
    if dated > EVENTS_DRAWN_UP_TO:
        chart = build_counts_chart(
            events, rows=rows, height=height, interactive=interactive, shown=shown, operation_colours=colours
        )
        modes = [BRUSH, PICK_OPERATION] if by_operation else [BRUSH]
        hint = (
            f"{dated:,} {noun}: circles count {noun} per month. Drag across the dates to "
            f"set the date filter; narrow the filters below {EVENTS_DRAWN_UP_TO:,} {noun} "
            f"to click single ones."
        )
    else:
        chart = build_chart(
            events, rows=rows, height=height, interactive=interactive, shown=shown, operation_colours=colours
        )
        modes = [PICK, PICK_BAR, BRUSH, PICK_OPERATION] if by_operation else [PICK, PICK_BAR, BRUSH]
        hint = (
            f"Click a mark to select its {'incident' if 'n_reports' in events else 'event'}"
            "; drag across the dates to set the date filter; double-click to clear."
        )
    if by_operation:
        hint += " Click an operation's band to show only that operation (its phases are the rows under it)."
    if interactive:
        st.altair_chart(chart, key=key, on_select=lambda: _on_select(key, data), selection_mode=modes, width="stretch")
        st.caption(hint)
    else:
        st.altair_chart(chart, key=key, width="stretch")
    span = chart_span(events, shown)
    earlier = (
        int(
            (
                pd.to_datetime(events["date_end"]).fillna(pd.to_datetime(events["date_start"])) < pd.Timestamp(span[0])
            ).sum()
        )
        if span
        else 0
    )
    if earlier:
        st.caption(
            f"◂ {earlier:,} {noun if earlier > 1 else noun[:-1]} dated before "
            f"{span[0]:%-d %b %Y} (background mentions) sit in the “earlier” band, their "
            f"dates in the tooltip."
        )
    if dated < len(events):
        st.caption(f"{len(events) - dated:,} undated {noun} are not on the timeline.")


def play_steps(events: pd.DataFrame, shown: tuple[date, date] | None) -> tuple[list[date], str]:
    """Play's cut-offs from the start of the range shown (the news start by default) to the
    view's last event: the last day of each day, week or month (timespan.time_unit), and the
    unit's words."""
    span = chart_span(events, shown)
    if span is None:
        return [], ""
    first = min(shown[0], span[0]) if shown else span[0]
    unit = time_unit(first, span[1])
    return unit.steps(first, span[1]), unit.play_words


def play_control(data: state.Corpus, events: pd.DataFrame) -> pd.DataFrame:
    """A "play" slider over the span's days, weeks or months; returns the events dated up to
    the cut-off (all when off; earlier mentions stay, being before every cut-off).

    The control is drawn in a fragment, one element whether drawn or waiting, so that the map
    after it keeps its place. It waits with the sidebar filters (state.widgets_wait_for_map: the
    first page of a session) unless a cut-off is already set: its widgets' code would delay the
    map, and every event is shown meanwhile, as the control would at its start."""
    if events["date_start"].dropna().empty:  # (the column: filtering the frame copies them all)
        return events
    steps, words = play_steps(events, state.date_range(data))
    st.session_state[_PLAY_LAST] = steps[-1] if len(steps) >= 2 else None
    if len(steps) < 2:
        return events
    if st.session_state.get("play_until") not in steps:
        st.session_state["play_until"] = steps[-1]
    wait = state.widgets_wait_for_map() and st.session_state["play_until"] == steps[-1]
    deferred.after_map(
        PLAY_KEY, lambda: _play(steps, words), height=PLAY_ROW_HEIGHT, label="the play control follows", wait=wait
    )
    cut = pd.Timestamp(st.session_state["play_until"])
    if cut >= pd.Timestamp(steps[-1]):
        return events
    return events[events["date_start"].notna() & (events["date_start"] <= cut)]


def play_cutoff() -> date | None:
    """The day Play (or its slider, moved by hand) shows the events up to, or None when it shows
    them all (its last step); valid after this run's play_control."""
    until, last = st.session_state.get("play_until"), st.session_state.get(_PLAY_LAST)
    return until if until and last and until < last else None


def _step_label(steps: list[date]):
    """A cut-off in words at the steps' unit: "17 Oct 2017" for days and weeks, "Oct 2017"."""
    monthly = len(steps) > 1 and all(s.day >= 28 for s in steps[:-1])
    return (lambda d: d.strftime("%b %Y")) if monthly else (lambda d: d.strftime("%-d %b %Y"))


def _play(steps: list[date], words: str) -> None:
    if st.session_state.get("play_on"):
        _ticker(steps)  # before the widgets: it may change their values
    st.session_state.setdefault("play_speed", PLAY_SPEED)
    with st.container(horizontal=True, vertical_alignment="bottom", key="play_row"):
        st.toggle(
            "Play",
            key="play_on",
            on_change=_on_play,
            args=(steps,),
            width="content",
            help=f"Step {words} through the events",
        )
        st.segmented_control(
            "Speed",
            list(PLAY_SPEEDS),
            key="play_speed",
            width="content",
            help="Seconds per step: " + ", ".join(f"{k} {v:g} s" for k, v in PLAY_SPEEDS.items()),
        )
        st.select_slider(
            "Events up to",
            steps,
            key="play_until",
            help=f"Steps {words}",
            format_func=_step_label(steps),
            on_change=deferred.rerun_page,
        )


def _on_play(steps: list[date]) -> None:
    """Pressing play at the last step starts again from the first; the page follows."""
    if st.session_state.get("play_on") and st.session_state.get("play_until") == steps[-1]:
        st.session_state["play_until"] = steps[0]
        st.session_state["_play_tick"] = time.monotonic()
    deferred.rerun_page()


def _seconds() -> float:
    return PLAY_SPEEDS.get(st.session_state.get("play_speed") or PLAY_SPEED, PLAY_SPEEDS[PLAY_SPEED])


def _ticker(steps: list[date]) -> None:
    """While playing, advance the cut-off one step per tick (at the chosen speed)."""
    st.fragment(_tick, run_every=_seconds())(steps)


def _tick(steps: list[date]) -> None:
    """One tick: the next cut-off, and a redraw of the page.

    The body also runs inside every full rerun; the clock keeps those from advancing.
    """
    now = time.monotonic()
    seconds = _seconds()
    if now - st.session_state.get("_play_tick", 0.0) < seconds * 0.8:
        return
    st.session_state["_play_tick"] = now
    current = st.session_state.get("play_until", steps[0])
    index = steps.index(current) if current in steps else 0
    if index + 1 >= len(steps):
        st.session_state["play_on"] = False
    else:
        st.session_state["play_until"] = steps[index + 1]
    st.rerun()
