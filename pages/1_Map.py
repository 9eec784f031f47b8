"""Map: the main view. Map and timeline side by side, sharing the filters and the selection."""

import streamlit as st

from components import details, mapview, sidebar, state, timeline

data, view = sidebar.page_setup("Map")
st.title("Map of events")
if view.empty:
    sidebar.no_events(data)
    st.stop()
shown = timeline.play_control(data, view)
st.caption(state.shown_words(data, shown))
left, right = st.columns([3, 2])
with left:
    mapview.show(shown, key="map", selected=data.event(state.selected_id()),
                 reports=data.events if state.incidents_view() else None)
with right:
    rows = st.segmented_control("Timeline rows", ["actor", "type"], default="actor",
                                key="map_timeline_rows")
    timeline.show(data, shown, key="map_timeline", rows=rows or "actor")
details.show(data, key="map_details")
