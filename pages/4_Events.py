"""Events: a sortable table of the filtered events and downloads of exactly that view."""

from functools import partial

import streamlit as st

from components import details, exports, sidebar, state
from data.export import export_bytes

# The table's columns in reading order (dates first, for sorting; the excerpt early, so that it
# shows without scrolling at 1024 px), with the words each is labelled with.
TABLE_COLUMNS = {
    "date_start": "From",
    "place": "Place",
    "excerpt": "Source sentence",
    "_when": "When",
    "event_type": "Type",
    "_deaths": "Deaths",
    "actor1": "Acting side",
    "actor2": "Side acted upon",
    "outlet": "Outlet",
    "confidence": "Confidence",
    "_told": "Told",
    "date_end": "To",
    "date_precision": "Date precision",
    "geo_precision": "Place precision",
    "country": "Country",
    "sub_event_type": "Sub-type",
    "event_id": "Event id",
}
INCIDENT_COLUMNS = {"n_sources": "Sources", "n_reports": "Reports", "outlets": "Outlets"}


def _picked(table) -> None:
    rows = st.session_state["events_table"].selection.rows
    if rows:
        state.select(table.loc[rows[0], "event_id"])


data, view = sidebar.page_setup("Events")
st.title(f"{state.noun().capitalize()} ({len(view)})")
if view.empty:
    sidebar.no_events(data)
    st.stop()
columns = {**(INCIDENT_COLUMNS if state.incidents_view() else {}), **TABLE_COLUMNS}
table = view[[c for c in columns if c in view]].reset_index(drop=True).rename(columns={"_told": "told"})
columns["told"] = columns.pop("_told")
text = st.column_config.TextColumn
config = {
    "date_start": st.column_config.DateColumn(
        "From", format="D MMM YYYY", width=96, help="First day the event may have happened on"
    ),
    "date_end": st.column_config.DateColumn("To", format="D MMM YYYY", width=96),
    "_when": text("When", help="The date at its precision, in words"),
    "place": text("Place", width=96),
    "_deaths": text(
        "Deaths", help="Deaths reported, with their bounds; “not reported” when the text gives none (never 0)"
    ),
    "excerpt": text("Source sentence", width=420),
    "confidence": st.column_config.NumberColumn("Confidence", format="%.2f", width="small"),
    "told": st.column_config.NumberColumn(
        "Told", help="How many sentences of the article tell the event", width="small"
    ),
    "outlets": st.column_config.ListColumn("Outlets"),
}
config.update({c: label for c, label in columns.items() if c in table and c not in config})
st.dataframe(
    table,
    key="events_table",
    hide_index=True,
    width="stretch",
    on_select=partial(_picked, table),
    selection_mode="single-row",
    column_config=config,
)
st.caption("Click a column header to sort; select a row to make it the selected event.")
stem = exports.download_stem(state.current_filter(data), aliases=data.aliases, noun=state.noun())
with st.container(horizontal=True, key="downloads"):
    for label, fmt, suffix, mime in exports.DOWNLOADS:
        # The bytes are built on click, from exactly this view.
        st.download_button(
            label,
            partial(export_bytes, view, fmt),
            f"{stem}.{suffix}",
            mime,
            key=f"download_{suffix}",
            on_click="ignore",
            width="content",
        )
st.caption(
    f"Downloads are named after the view: {stem}.csv. Places come from GeoNames (CC BY 4.0): "
    "credit it where you share these files (the GeoJSON and Parquet files carry the credit; a "
    "CSV has no place for it)."
)
# The selected row's details, and its review (components/review.py).
details.show(data, key="events_details")
