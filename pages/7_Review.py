"""Review: the unreviewed events, what most needs an eye first, to accept, reject or correct."""

import streamlit as st

from components import review, sidebar

data, view = sidebar.page_setup("Review")
st.title("Review queue")
if data.events.empty and (data.rejected is None or data.rejected.empty):
    sidebar.no_events(data)
    st.stop()
review.reviewer_input()
review.queue_page(data)
