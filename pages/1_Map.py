"""Map: the main view. Map and timeline side by side, sharing the filters and the selection."""

import streamlit as st

from components import deferred, details, exports, maphtml, mapview, sidebar, state, timeline

# Side by side while both fit at these widths (1440 px windows); on a narrower window (1024 px)
# the timeline goes under a map of the full width rather than squeezing the map. Styled through
# the containers' own key classes (st-key-…) and the box around each.
LAYOUT_CSS = """
.st-key-map_row { flex-wrap: wrap; }
.st-key-map_row > div:has(> .st-key-map_column) { flex: 3 1 540px; min-width: min(540px, 100%); }
.st-key-map_row > div:has(> .st-key-timeline_column) { flex: 2 1 340px;
  min-width: min(340px, 100%); }
"""

# The colour switch's height, kept while it waits for the map (the map must not move when it comes).
COLOUR_ROW_HEIGHT = 64

data, view = sidebar.page_setup("Map", map_first=True)
st.title("Map of events")
if view.empty:
    sidebar.no_events(data)
    st.stop()
shown = timeline.play_control(data, view)
st.caption(state.shown_words(data, shown))
st.html(f"<style>{LAYOUT_CSS}</style>")
with st.container(horizontal=True, key="map_row", gap="medium"):
    left = st.container(key="map_column")
    right = st.container(key="timeline_column")
below = st.container()
# A click on a marker reruns only the map and the details panel (a fragment). The places taken
# are those of the view's operations up to Play's cut-off (the progression map).
map_options = {
    "colour_by": state.colour_by(),
    "operation_colours": data.operation_colours(),
    "progression_of": view,
    "until": timeline.play_cutoff(),
}
details.map_and_details(data, shown, map_box=left, details_box=below, key="map", map_options=map_options)
with left:
    # under the map and its legend: sent after the map, it never delays it
    deferred.after_map(
        "map_colour_panel",
        mapview.colour_control,
        height=COLOUR_ROW_HEIGHT,
        label="the colour switch follows",
        wait=state.widgets_wait_for_map(),
    )


def map_timeline() -> None:
    rows = st.segmented_control("Timeline rows", list(timeline.ROW_KINDS), default="actor", key="map_timeline_rows")
    timeline.show(data, shown, key="map_timeline", rows=rows or "actor")


with right:
    # On arrival the timeline waits until the map has drawn (it would halve the map's speed).
    deferred.after_map("map_timeline_panel", map_timeline, height=420)


def download_map() -> None:
    """The shown events as a standalone HTML map (built with folium on click, not on every run)."""
    if len(shown) > maphtml.MAX_EVENTS:
        st.caption(f"An HTML map holds at most {maphtml.MAX_EVENTS:,} events: filter to fewer to download one.")
        return
    stem = exports.download_stem(state.current_filter(data), aliases=data.aliases, noun=state.noun())
    st.download_button(
        "Download this map as HTML",
        data=lambda: maphtml.map_html(shown, title=f"Sitrep · {stem}"),
        file_name=f"{stem}-map.html",
        mime="text/html",
        on_click="ignore",
        key="map_html_download",
        help="One file that opens offline in any browser: the shown events with their sentences in popups.",
    )


deferred.after_map("map_download_panel", download_map, height="content", label="the download follows")
