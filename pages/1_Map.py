"""Map: the main view. Map and timeline side by side, sharing the filters and the selection."""

import streamlit as st

from components import deferred, details, sidebar, state, timeline

data, view = sidebar.page_setup("Map", map_first=True)
st.title("Map of events")
if view.empty:
    sidebar.no_events(data)
    st.stop()
shown = timeline.play_control(data, view)
st.caption(state.shown_words(data, shown))
left, right = st.columns([3, 2])
below = st.container()
# A click on a marker reruns only the map and the details panel (a fragment).
details.map_and_details(data, shown, map_box=left, details_box=below, key="map")


def map_timeline() -> None:
    rows = st.segmented_control("Timeline rows", ["actor", "type"], default="actor",
                                key="map_timeline_rows")
    timeline.show(data, shown, key="map_timeline", rows=rows or "actor")


with right:
    # On arrival the timeline waits until the map has drawn (it would halve the map's speed).
    deferred.after_map("map_timeline_panel", map_timeline, height=420)
