"""Timeline: the filtered events over time, one row per actor or per event type."""

import streamlit as st

from components import details, sidebar, timeline

data, view = sidebar.page_setup("Timeline")
st.title("Timeline")
if view.empty:
    sidebar.no_events(data)
    st.stop()
rows = st.segmented_control("One row per", list(timeline.ROW_KINDS), default="actor", key="timeline_rows")
shown = timeline.play_control(data, view)
timeline.show(data, shown, key="timeline", rows=rows or "actor")
details.show(data, key="timeline_details")
