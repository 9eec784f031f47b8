"""Streamlit building blocks for the pages (state, sidebar, map, timeline, details)."""
