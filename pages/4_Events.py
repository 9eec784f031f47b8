"""Events: a sortable table of the filtered events and downloads of exactly that view."""

from functools import partial

import streamlit as st

from components import exports, sidebar, state

TABLE_COLUMNS = ["date_start", "date_end", "date_precision", "place", "geo_precision", "country",
                 "actor1", "actor2", "event_type", "sub_event_type", "fatalities", "confidence",
                 "outlet", "excerpt", "event_id"]
DOWNLOADS = (("CSV", exports.to_csv, "csv", "text/csv"),
             ("GeoJSON", exports.to_geojson, "geojson", "application/geo+json"),
             ("Parquet", exports.to_parquet, "parquet", "application/vnd.apache.parquet"),
             ("ACLED-style CSV", exports.to_acled_csv, "acled.csv", "text/csv"))


def _picked(table) -> None:
    rows = st.session_state["events_table"].selection.rows
    if rows:
        state.select(table.loc[rows[0], "event_id"])


data, view = sidebar.page_setup("Events")
st.title(f"{state.noun().capitalize()} ({len(view)})")
if view.empty:
    sidebar.no_events(data)
    st.stop()
columns = (["n_sources", "n_reports", "outlets"] if state.incidents_view() else []) + TABLE_COLUMNS
table = view[[c for c in columns if c in view]].reset_index(drop=True)
if "_told" in view:  # how many sentences of its article tell the event, beside its confidence
    table.insert(table.columns.get_loc("confidence") + 1, "told", view["_told"].to_numpy())
st.dataframe(table, key="events_table", hide_index=True, width="stretch",
             on_select=partial(_picked, table), selection_mode="single-row",
             column_config={"excerpt": st.column_config.TextColumn(width="large"),
                            "told": st.column_config.NumberColumn(
                                "told", help="How many sentences of the article tell the event")})
st.caption("Click a column header to sort; select a row to make it the selected event. Places come "
           "from GeoNames (CC BY 4.0): credit it where you share these files (the GeoJSON and Parquet "
           "files carry the credit; a CSV has no place for it).")
for col, (label, build, suffix, mime) in zip(st.columns(4), DOWNLOADS):
    # The bytes are built on click, from exactly this view.
    col.download_button(label, partial(build, view), f"sitrep-events.{suffix}", mime,
                        key=f"download_{suffix}", on_click="ignore")
