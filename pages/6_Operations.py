"""Operations: the named operations the filtered events belong to, two side by side, and the
operations the articles name that the reference lacks."""

import streamlit as st

from components import operations, sidebar

data, view = sidebar.page_setup("Operations")
st.title("Operations")
st.caption(
    "Each report belongs to at most one named operation (data/reference/operations.csv): "
    "its sentence names it, or its place, dates and sides lie inside it."
)
if view.empty:
    sidebar.no_events(data)
    st.stop()
operations.show(view, data.articles, data.operation_colours())
