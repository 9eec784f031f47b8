"""Draw a slow element beside the map only once the map has drawn (the first paint comes first).

`after_map(key, draw)` runs `draw` in a fragment with that key. While it waits, it draws a note
instead and notes the key (components.state.defer); when the map's script reports that it has
drawn its events, mapview's callback reruns just the waiting fragments
(components.state.map_drawn), which now call `draw`. Should the report never come (a browser
without the map script's report, a map that failed), a timer draws them anyway after
FALLBACK_SECONDS. Later runs of the same visit (filters, play) draw them at once.

What waits: by default, on the first run of every visit to the page (the timeline charts); with
`wait=False`, nothing (the caller decides: the sidebar filters and the play control wait on a
session's first page only, components.sidebar.page_setup).

The report reruns fragments only, never the page: a rerun of the page would redraw the map's
fragment too, and a marker click made during it could be lost. So widgets drawn here change
the rest of the page through `rerun_page`, their callback.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import state

FALLBACK_SECONDS = 6.0
_INLINE = "_deferred_inline"


def after_map(
    key: str,
    draw: Callable[[], None],
    *,
    height: int | str = 320,
    label: str = "the timeline follows",
    wait: bool = True,
) -> None:
    """`draw()` in a fragment keyed `key`, after the page's map if `wait` (see the module
    docstring). While waiting, a note "Drawing the map first; {label}." in a box of `height`
    pixels ("content": the note's own height)."""
    st.fragment(_panel, key=key)(key, draw, height, label, wait)


def _panel(key: str, draw: Callable[[], None], height: int | str, label: str, wait: bool) -> None:
    if not wait or state.map_drawn_this_visit():
        draw()
        return
    state.defer(key)
    with st.container(key=f"{key}_waiting", height=height, border=False):
        st.caption(f"Drawing the map first; {label}.")
    _arm_fallback()


def rerun_page() -> None:
    """The callback of a widget drawn in a fragment whose value the whole page reads (a filter,
    the play slider): from a callback, st.rerun() reruns the page, not only the fragment."""
    st.rerun()


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
    the waiting fragments have drawn, they no longer call this, and Streamlit stops the timer.
    """
    if st.session_state.get(_INLINE) or state.map_drawn_this_visit():
        return
    state.mark_map_drawn()
    st.rerun()  # (a fragment's body may not name fragments to rerun: the page, in this rare case)
