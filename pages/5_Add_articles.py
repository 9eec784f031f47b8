"""Add articles: upload files, extract their events into the store, see what each file gave."""

import streamlit as st

from components import sidebar, uploads

data, view = sidebar.page_setup("Add articles")
st.title("Add articles")
uploads.show(data)
