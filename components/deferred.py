"""Draw a slow element beside the map only once the map has drawn (the first paint comes first).

`after_map(key, draw)` runs `draw` in a fragment with that key. On the first run of a visit to
the page it draws a placeholder instead and notes the key (components.state.defer); when the
map's script reports that it has drawn its events, mapview's callback reruns just this fragment
(components.state.map_drawn), which now calls `draw`. Should the report never come (a browser
without the map script's report, a map that failed), a timer draws it anyway after
FALLBACK_SECONDS. Later runs of the same visit (filters, play) draw it at once.

`note_until_map(box, label)` is the same wait for what must be drawn in full runs: widgets (the
sidebar filters), which inside a fragment would rerun only that fragment when changed. It puts a
note in `box`, and the map's report reruns the whole page.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import state

FALLBACK_SECONDS = 6.0
_INLINE = "_deferred_inline"


def after_map(key: str, draw: Callable[[], None], *, height: int = 320,
              label: str = "the timeline") -> None:
    """`draw()` in a fragment keyed `key`, after the page's map on the first run of a visit."""
    st.fragment(_panel, key=key)(key, draw, height, label)


def _panel(key: str, draw: Callable[[], None], height: int, label: str) -> None:
    if state.map_drawn_this_visit():
        draw()
        return
    state.defer(key)
    with st.container(key=f"{key}_waiting", height=height, border=False):
        st.caption(f"Drawing the map first; {label} follows.")
    _arm_fallback()


def note_until_map(box, label: str) -> None:
    """In `box`, a note that `label` follows the map; the map's report reruns the page, which then
    draws it (the caller decides when to wait: components.sidebar.page_setup)."""
    state.defer(state.WHOLE_PAGE)
    with box:
        st.caption(f"Drawing the map first; {label} follow.")
        _arm_fallback()


def _arm_fallback() -> None:
    st.session_state[_INLINE] = True
    try:
        _fallback()
    finally:
        st.session_state[_INLINE] = False


@st.fragment(run_every=FALLBACK_SECONDS)
def _fallback() -> None:
    """No report from the map after FALLBACK_SECONDS: draw the waiting fragments anyway.

    Called inline while waiting (it only arms the timer then); the timer's own reruns act. Once
    the waiting fragment has drawn, it no longer calls this, and Streamlit stops the timer.
    """
    if st.session_state.get(_INLINE) or state.map_drawn_this_visit():
        return
    state.mark_map_drawn()
    st.rerun()
