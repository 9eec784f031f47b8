"""The sidebar every page shows: the filters, bound to widget keys that components.state mirrors
into the URL. `page_setup()` is the first call of every page."""

from __future__ import annotations

import html
from urllib.parse import urlparse

import pandas as pd
import streamlit as st

from components import deferred, state
from components.format import HIGHLIGHT_CSS
from data.filters import DEFAULT_MIN_CONFIDENCE

FILTERS_KEY = "sidebar_filters"  # the fragment of the filter widgets


def _actor_label(data: state.Corpus):
    def label(actor: str) -> str:
        aliases = data.aliases.get(actor, [])
        return f"{actor} ({', '.join(aliases[:6])})" if aliases else actor
    return label


def filters(data: state.Corpus) -> None:
    """Draw the filter widgets (each with a key; their values already sit in session state) in
    the current container. They are drawn in a fragment (page_setup), so each change reruns the
    page through its callback."""
    st.header("Filters")
    rerun = deferred.rerun_page
    if data.first_day and data.last_day:
        st.date_input("Dates", key="f_dates", min_value=data.first_day, max_value=data.last_day,
                      format="YYYY-MM-DD", on_change=rerun,
                      help="Events whose date interval overlaps this range. Narrowing it drops "
                           "events with no date.")
    st.multiselect("Actors", data.facets["actors"], key="f_actors", format_func=_actor_label(data),
                   placeholder="any actor — type a name or alias", on_change=rerun)
    st.multiselect("Event types", data.facets["event_types"], key="f_types", placeholder="any type",
                   on_change=rerun)
    st.multiselect("Countries", data.facets["countries"], key="f_countries",
                   placeholder="any country", on_change=rerun)
    st.multiselect("Places", data.facets["places"], key="f_places", placeholder="any place",
                   on_change=rerun)
    confidence_filter(data)
    st.text_input("Search excerpts", key="f_q", placeholder="words in the source sentence",
                  on_change=rerun)
    st.radio("Show", state.VIEWS, key="f_view", horizontal=True, on_change=rerun,
             help="incidents: one row per merged incident, once reports are merged")
    st.button("Clear filters", key="clear_filters", on_click=_clear, args=(data,))
    ignored = st.session_state.pop("_url_ignored", None)
    if ignored:
        st.warning("Not in this corpus, ignored: " + "; ".join(ignored))
    st.caption(f"Event store: {data.source}" if not data.source.startswith("synthetic:")
               else f"Corpus: {data.source}")


def confidence_filter(data: state.Corpus) -> None:
    """The switch that shows every event, and the minimum it lifts (disabled while it is on).

    The switch is the one clear control ("show me everything"); the slider stays for an analyst
    who wants a stricter cut than the default (only the surest events, e.g. for an export).
    """
    rerun = deferred.rerun_page
    show_all = st.toggle("Show all events, including low-confidence ones", key="f_show_all",
                         on_change=rerun,
                         help=f"Off: events the extractor is less sure of than the minimum "
                              f"below (by default {DEFAULT_MIN_CONFIDENCE:.2f}) are hidden.")
    st.slider("Minimum confidence", 0.0, 1.0, step=0.05, key="f_min_conf", on_change=rerun,
              disabled=show_all, help="Hide events whose confidence is below this.")
    hidden = state.below_minimum(data)
    if hidden:
        st.caption(f"{hidden:,} low-confidence {'report' if hidden == 1 else 'reports'} hidden."
                   if state.incidents_view() else
                   f"{hidden:,} low-confidence {'event' if hidden == 1 else 'events'} hidden.")


def _clear(data: state.Corpus) -> None:
    """Back to the view of a URL without parameters (the default minimum confidence)."""
    for key in ("f_actors", "f_types", "f_countries", "f_places"):
        st.session_state[key] = []
    st.session_state["f_min_conf"] = DEFAULT_MIN_CONFIDENCE
    st.session_state["f_show_all"] = False
    st.session_state["f_q"] = ""
    if data.first_day and data.last_day:
        st.session_state["f_dates"] = (data.first_day, data.last_day)
    deferred.rerun_page()


def page_setup(title: str, *, map_first: bool = False) -> tuple[state.Corpus, pd.DataFrame]:
    """Set the page up: config, cached corpus, state from the URL, sidebar. Returns the view.

    map_first: the page shows a map of the view. On the first page of a browser session the
    filter widgets then wait until that map has drawn (components.deferred.after_map; the Map
    page's play control waits with them): a fresh browser loads the code of each kind of widget
    before it draws the map's frame, which delayed the map by a quarter or more. The view is
    filtered by the same values either way (they sit in session state, from the URL or the last
    page)."""
    _run_through_app()
    st.set_page_config(page_title=f"{title} · Sitrep", layout="wide")
    state.begin_page(title)
    data = state.corpus()
    state.init_state(data)
    view = state.filtered(data)
    wait = map_first and not view.empty and not state.any_map_drawn()
    state.set_widgets_wait(wait)
    with st.sidebar:
        deferred.after_map(FILTERS_KEY, lambda: filters(data), height="content", label="the filters follow",
                           wait=wait)
    st.html(f"<style>{HIGHLIGHT_CSS}</style>")
    if data.note:
        st.warning(data.note)
    selected = state.selected_id()
    if selected and data.event(selected) is None:
        state.select(None)
    state.sync_url(data)
    return data, view


# Session state: app.py's navigation serves this session (mark_routed), or a page has handed
# over to it once (_run_through_app).
ROUTED = "_routed_by_app"
HANDED_OVER = "_handed_over_to_app"


def mark_routed() -> None:
    """app.py, before it runs the page: this session is served by app.py's navigation."""
    st.session_state[ROUTED] = True


def _main_page() -> None:
    """The main page of the navigation a page declares while it hands over (never run)."""


def _handover() -> None:
    """The page asked for, in the navigation a page declares while it hands over (never run)."""


def _run_through_app() -> None:
    """Have app.py's navigation serve this page. Until a server's main script has called
    st.navigation once, Streamlit runs a script of pages/ by itself, in its older multipage mode
    that lists the pages folder with the main script as "app": a server whose first visit is not
    the Overview would stay so, app.py never run. A page run so hands over, once per session:
    it calls st.navigation itself, which (as documented) ends that mode, and reruns; app.py
    then serves the page asked for (its URL path names the same page in both modes). Only a
    session's first run hands over, which carries no widget action to lose."""
    if st.session_state.get(ROUTED) or st.session_state.get(HANDED_OVER):
        return
    st.session_state[HANDED_OVER] = True
    path = _url_path()
    if not path:
        return  # (the main page is app.py, which serves itself)
    # A page's identity is its URL path: declared under the path asked for, it keeps the browser
    # on it, and the rerun asks app.py's navigation for that page. (Not the default page, whose
    # path is always the root.)
    st.navigation([st.Page(_main_page, title="Sitrep", default=True),
                   st.Page(_handover, title="Sitrep", url_path=path)], position="hidden")
    st.rerun()


def _url_path() -> str:
    """The page's URL path asked for ("Map"), under the server's base URL path."""
    path = urlparse(st.context.url or "").path.strip("/")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):].strip("/")
    return path


def no_events(data: state.Corpus) -> None:
    """The empty state: say why there is nothing to show and what to do."""
    if data.events.empty:
        st.info(f"No events: nothing was extracted into {html.escape(data.source)}. Add articles "
                f"on the Add articles page, or point the app at a folder of them with "
                f"`{state.ARTICLES_ENV}=path streamlit run app.py`.")
    else:
        st.info("No events match these filters. Widen them in the sidebar, or press "
                "“Clear filters”.")
        hidden_note(data, key="no_events_show_all")


def hidden_note(data: state.Corpus, *, key: str) -> None:
    """"12 low-confidence events hidden" with a button that shows them; while all are shown,
    how many of them are low-confidence, with a button that hides them again."""
    showing_all = bool(st.session_state.get("f_show_all"))
    minimum = state.slider_confidence()
    count = state.below_minimum(data, minimum)
    if not count:
        return
    noun = "report" if state.incidents_view() else "event"
    what = f"{count:,} low-confidence {noun}{'' if count == 1 else 's'}"
    with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_note"):
        if showing_all:
            st.markdown(f"Showing all, including **{what}** (confidence below {minimum:.2f}).",
                        width="content")
            st.button("Hide them", key=key, on_click=state.show_all, args=(False,),
                      icon=":material/visibility_off:")
        else:
            st.markdown(f"**{what} hidden** (confidence below {minimum:.2f}).",
                        width="content")
            st.button("Show all", key=key, on_click=state.show_all,
                      icon=":material/visibility:")
