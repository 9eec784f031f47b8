"""The Operations page's parts: the operations table, two operations side by side, and the
operations the articles name that the reference lacks. Every value from an article is shown as
data (st.dataframe, st.text), never as Markdown."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components.format import NO_OPERATION_COLOUR
from data.operations import (
    load_operations,
    operations_by_id,
    operations_summary,
    places_taken,
    unknown_operation_names,
)

# Where the Operations page's links lead (relative to the page, as Streamlit serves pages).
MAP_PAGE = "Map"
SIDE_BY_SIDE_DEFAULTS = ("mosul", "raqqa-campaign")


def deaths_text(low: object, high: object) -> str:
    """'41–48', '150', or 'not reported' (unknown is not zero)."""
    if low is None or pd.isna(low):
        return "not reported"
    low, high = int(low), int(high)
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def map_link(operation_id: str) -> str:
    return f"{MAP_PAGE}?{urlencode({'operation': operation_id, 'min_conf': 0})}"


SWATCH = "\u25a0"  # the operation's colour on the map and the timeline, as a coloured square


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The operations table in words (`data.operations.operations_summary` of the view)."""
    return pd.DataFrame(
        {
            "Colour": SWATCH,
            "Operation": summary["operation"],
            "Part of": [operations_by_id()[p].name if p else "" for p in summary["parent_id"]],
            "From": summary["start"],
            "To": summary["end"],
            "Days": summary["days"],
            "Conducted by": summary["side_a"],
            "Against": summary["side_b"],
            "Reports": summary["reports"],
            "Incidents": summary["incidents"],
            "Deaths reported": [
                deaths_text(lo, hi) for lo, hi in zip(summary["deaths_low"], summary["deaths_high"], strict=False)
            ],
            "Map": [map_link(op_id) for op_id in summary["operation_id"]],
            "Source": summary["source"],
        }
    )


def show_table(summary: pd.DataFrame, colours: dict[str, str]) -> None:
    """The operations table, each with a swatch of its colour on the map and the timeline."""
    table = summary_table(summary)
    if table.empty:
        st.info("No event of this view belongs to a named operation.")
        return
    swatches = [f"color: {colours.get(op_id, NO_OPERATION_COLOUR)}" for op_id in summary["operation_id"]]
    st.dataframe(
        table.style.apply(lambda _: swatches, subset=["Colour"]),
        hide_index=True,
        width="stretch",
        column_config={
            "From": st.column_config.DateColumn(format="D MMM YYYY"),
            "To": st.column_config.DateColumn(format="D MMM YYYY"),
            "Map": st.column_config.LinkColumn("Map", display_text="its map"),
            "Colour": st.column_config.TextColumn("", width=30, help="Its colour on the map and the timeline"),
            "Deaths reported": st.column_config.TextColumn(
                help="For each incident, the lowest and the highest figure its reports give, summed over "
                "incidents: a range across sources, never a sum of one event told twice."
            ),
        },
    )


def _phases(operation_id: str) -> list[str]:
    return [
        f"{op.name}: {op.start:%d %b %Y} – {op.end:%d %b %Y} ({(op.end - op.start).days + 1} days)"
        for op in load_operations()
        if op.parent_id == operation_id
    ]


def show_one(view: pd.DataFrame, operation_id: str, key: str, colour: str = NO_OPERATION_COLOUR) -> None:
    """One operation (under a bar of its colour): span, its parts, the places reported taken in order."""
    op = operations_by_id()[operation_id]
    st.subheader(op.name, anchor=False)
    st.html(f'<div class="sitrep-operation-colour" style="height:6px;border-radius:3px;background:{colour}"></div>')
    st.text(
        f"{op.start:%d %b %Y} – {op.end:%d %b %Y}: {(op.end - op.start).days + 1} days\n"
        f"Conducted by {', '.join(op.side_a)} against {', '.join(op.side_b)}"
    )
    parts = _phases(operation_id)
    if parts:
        st.text("Parts:\n" + "\n".join(f"  {part}" for part in parts))
    st.link_button("Show on the map", map_link(operation_id))
    taken = places_taken(view, operation_id)
    if taken.empty:
        st.text("No place reported taken in this view.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "Date": taken["date_start"],
                "Place": taken["place"],
                "Taken by": taken["actor1"],
                "From": taken["actor2"],
                "Outlet": taken["outlet"],
                "Article": taken["title"],
            }
        ),
        hide_index=True,
        width="stretch",
        key=f"taken_{key}",
        column_config={"Date": st.column_config.DateColumn(format="D MMM YYYY")},
    )


def show_side_by_side(view: pd.DataFrame, summary: pd.DataFrame, colours: dict[str, str]) -> None:
    choices = list(summary["operation_id"])
    if len(choices) < 2:
        return
    names = dict(zip(summary["operation_id"], summary["operation"], strict=False))
    st.header("Side by side", anchor=False)
    columns = st.columns(2)
    for index, column in enumerate(columns):
        default = SIDE_BY_SIDE_DEFAULTS[index]
        start = choices.index(default) if default in choices else index
        with column:
            picked = st.selectbox(
                f"Operation {index + 1}", choices, index=start, key=f"ops_pick_{index}", format_func=names.get
            )
            show_one(view, picked, key=str(index), colour=colours.get(picked, NO_OPERATION_COLOUR))


def sentence_around(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence a name stands in (cut to `limit` characters around it)."""
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, start - limit // 2, 0)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min([*(i + 1 for i in stops), end + limit // 2, len(text)])
    return text[left:right].strip()


def show_candidates(articles: pd.DataFrame) -> None:
    """Named operations the reference lacks, with the sentences that name them."""
    st.header("Named in the articles, not in the reference", anchor=False)
    found = unknown_operation_names(articles)
    if found.empty:
        st.text("Every operation the articles name is in data/reference/operations.csv.")
        return
    texts = dict(zip(articles["article_id"], articles["text"], strict=False))
    st.dataframe(
        pd.DataFrame(
            {
                "Name": found["name"],
                "Times named": found["mentions"],
                "Article": found["article_id"],
                "Sentence": [
                    sentence_around(str(texts.get(a, "")), s, e)
                    for a, s, e in zip(found["article_id"], found["start"], found["end"], strict=False)
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Add an operation to data/reference/operations.csv (name, aliases, sides, area, span, "
        "source) and re-extract to assign events to it."
    )


def show(view: pd.DataFrame, articles: pd.DataFrame, colours: dict[str, str] | None = None) -> None:
    """The Operations page's body: the table, two operations side by side, the names the
    reference lacks (the view's summary worked out once for the first two). colours: each
    operation's on the map and the timeline (components.state.Corpus.operation_colours)."""
    summary = operations_summary(view)
    show_table(summary, colours or {})
    show_side_by_side(view, summary, colours or {})
    show_candidates(articles)
