"""Overview: what is loaded, a compact map and timeline, and the problems met while loading."""

import pandas as pd
import streamlit as st

from components import mapview, sidebar, timeline

data, view = sidebar.page_setup("Overview")
st.title("Sitrep — conflict events from news articles")
events = data.events
actors = data.facets["actors"]
span = (f"{data.first_day:%-d %b %Y} – {data.last_day:%-d %b %Y}" if data.first_day
        else "no dates")
cols = st.columns(4)
cols[0].metric("Articles", len(data.articles))
cols[1].metric("Events", f"{len(view)} of {len(events)}" if len(view) != len(events)
               else len(events))
cols[2].metric("Date span", span)
cols[3].metric("Actors", len(actors), help=", ".join(actors[:20]))

if view.empty:
    sidebar.no_events(data)
else:
    left, right = st.columns([1, 1])
    with left:
        mapview.show(view, key="overview_map", height=360, compact=True)
    with right:
        timeline.show(data, view, key="overview_timeline", rows="type", height=300,
                      interactive=False)
    st.page_link("pages/1_Map.py", label="Open the map", icon=":material/map:")

st.subheader(f"Problems while loading ({len(data.problems)})")
if data.problems:
    st.dataframe(pd.DataFrame([vars(p) for p in data.problems]), key="overview_problems",
                 hide_index=True, width="stretch")
else:
    st.caption("None: every article was read.")
