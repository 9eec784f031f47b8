"""Timeline: the filtered events over time, one row per actor, event type or named operation (its
phases under it), coloured by type or by operation as on the map."""

import streamlit as st

from components import details, mapview, sidebar, timeline

data, view = sidebar.page_setup("Timeline")
st.title("Timeline")
if view.empty:
    sidebar.no_events(data)
    st.stop()
with st.container(horizontal=True):
    rows = st.segmented_control("One row per", list(timeline.ROW_KINDS), default="actor", key="timeline_rows")
    mapview.colour_control()
shown = timeline.play_control(data, view)
timeline.show(data, shown, key="timeline", rows=rows or "actor")
details.show(data, key="timeline_details")
