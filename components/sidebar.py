"""The sidebar every page shows: the filters, bound to widget keys that components.state mirrors
into the URL. `page_setup()` is the first call of every page."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import urlparse

import pandas as pd
import streamlit as st

from components import deferred, state
from components.format import HIGHLIGHT_CSS, markdown_literal
from components.timeline import PLAY_ROW_HEIGHT
from data.filters import DEFAULT_MIN_CONFIDENCE
from data.operations import operations_by_id

FILTERS_KEY = "sidebar_filters"  # the fragment of the filter widgets


# At most this many aliases in an actor's option label: the short names an analyst types.
LABEL_ALIASES = 4


def actor_aliases(actor: str, aliases: list[str]) -> list[str]:
    """The aliases worth showing beside a name: short ones that are not words of it nor contain
    one already shown, acronyms first ("Islamic State" -> IS, ISIS, ISIL, Daesh)."""
    name = actor.casefold()
    candidates = sorted(
        (
            a
            for a in dict.fromkeys(aliases)
            if len(a) <= 16 and not a.islower() and not re.search(rf"\b{re.escape(a.casefold())}\b", name)
        ),
        key=lambda a: (not a.isupper(), len(a)),
    )
    shown: list[str] = []
    for alias in candidates:
        if not any(re.search(rf"\b{re.escape(s)}\b", alias) for s in shown):
            shown.append(alias)
    return shown[:LABEL_ALIASES]


def actor_label(data: state.Corpus):
    """The actor filter's option labels: the name with its aliases, so that typing an alias
    finds its one actor ("Syrian Democratic Forces (SDF)")."""

    def label(actor: str) -> str:
        aliases = actor_aliases(actor, data.aliases.get(actor, []))
        return f"{actor} ({', '.join(aliases)})" if aliases else actor

    return label


def filters(data: state.Corpus) -> None:
    """Draw the filter widgets (each with a key; their values already sit in session state) in
    the current container. They are drawn in a fragment (page_setup), so each change reruns the
    page through its callback."""
    st.header("Filters")
    rerun = _changed
    if data.default_dates():
        date_filter(data)
    # Typing filters the labels (names and aliases); Enter takes the first match, never "Select
    # all matches" (select_all=False): "SDF" then picks the Syrian Democratic Forces alone.
    st.multiselect(
        "Actors",
        data.facets["actors"],
        key="f_actors",
        format_func=actor_label(data),
        placeholder="any actor — type a name or alias",
        on_change=rerun,
        select_all=False,
        filter_mode="contains",
        help="Type a name or an alias (ISIS, SDF, YPG) and press Enter: its one "
        "actor is selected. An actor finds the events of its parts too.",
    )
    st.multiselect(
        "Event types",
        data.facets["event_types"],
        key="f_types",
        placeholder="any type",
        on_change=rerun,
        select_all=False,
    )
    st.multiselect(
        "Countries",
        data.facets["countries"],
        key="f_countries",
        placeholder="any country",
        on_change=rerun,
        select_all=False,
    )
    st.multiselect(
        "Places", data.facets["places"], key="f_places", placeholder="any place", on_change=rerun, select_all=False
    )
    st.multiselect(
        "Operations",
        state.known_operation_ids(),
        key="f_operations",
        format_func=_operation_label,
        placeholder="any operation",
        on_change=rerun,
        select_all=False,
        help="Named operations (the Operations page lists them); an operation keeps its "
        "battles' and phases' events too.",
    )
    st.multiselect(
        "Review",
        state.REVIEW_FILTER,
        key="f_review",
        placeholder="any review status",
        on_change=rerun,
        select_all=False,
        help="The analysts' review: unreviewed, accepted or corrected events (rejected ones leave every view; "
        "the Review page lists them).",
    )
    confidence_filter(data)
    st.text_input("Search excerpts", key="f_q", placeholder="words in the source sentence", on_change=rerun)
    st.radio(
        "Show",
        state.VIEWS,
        key="f_view",
        horizontal=True,
        on_change=rerun,
        help="incidents: one row per merged incident, once reports are merged",
    )
    st.button("Clear filters", key="clear_filters", on_click=_clear, args=(data,))
    where = markdown_literal(data.source)
    st.caption(f"Event store: {where}" if not data.source.startswith("synthetic:") else f"Corpus: {where}")


def _operation_label(operation_id: str) -> str:
    return operations_by_id()[operation_id].name


DATE_ERROR = "_date_error"  # what was wrong with a typed date, for the line under the fields


def date_filter(data: state.Corpus) -> None:
    """ "From" and "To" as typed days (YYYY-MM-DD): Enter applies them (Streamlit's date picker
    applies a typed date only when the field loses focus). The fields show the range in force,
    whoever set it (the URL, the timeline's brush, "Clear filters")."""
    first, last = state.date_range(data)
    st.session_state["f_from"] = first.isoformat()
    st.session_state["f_to"] = last.isoformat()
    left, right = st.columns(2)
    hint = (
        f"YYYY-MM-DD, then Enter. Events whose dates overlap the range; a range narrower "
        f"than the events' drops those with no date. The events run from "
        f"{data.first_day.isoformat()} to {data.last_day.isoformat()}."
    )
    left.text_input("From", key="f_from", on_change=_dates_typed, args=(data,), help=hint)
    right.text_input("To", key="f_to", on_change=_dates_typed, args=(data,), help=hint)
    error = st.session_state.get(DATE_ERROR)
    if error:
        st.caption(f":red[{error}]")
    earlier = data.earlier()
    if len(earlier) and state.dates_are_default(data):
        # (no count here: the timeline counts those of the view, which the other filters narrow)
        st.caption(
            f"From where the news starts. Earlier mentions (back to "
            f"{data.first_day:%b %Y}) are shown too, in the timeline's “earlier” band; "
            f"set a range to leave them out."
        )


def _dates_typed(data: state.Corpus) -> None:
    """A typed day: the range becomes it, within the events' days; a day that is not one, or
    a range that ends before it starts, is said under the fields and the range stays."""
    st.session_state.pop(DATE_ERROR, None)
    days = []
    for key, label in (("f_from", "From"), ("f_to", "To")):
        text = str(st.session_state.get(key) or "").strip()
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            st.session_state[DATE_ERROR] = f"{label}: not a day (YYYY-MM-DD)."
            return
    first = min(max(days[0], data.first_day), data.last_day)
    last = max(min(days[1], data.last_day), data.first_day)
    if first > last:
        st.session_state[DATE_ERROR] = "From is after To."
        return
    st.session_state["f_dates"] = (first, last)
    _changed()


def url_unmatched_note() -> None:
    """What the address asked for that matched nothing ("no actor named 'Nobody'"), until a
    filter changes, as plain text: the values come from a URL anyone can write, so nothing in
    them is Markdown."""
    unmatched = st.session_state.get(state.URL_UNMATCHED)
    if not unmatched:
        return
    items = "".join(f"<li>{html.escape(item)}</li>" for item in unmatched)
    st.html(
        f'<div class="sitrep-url-unmatched" role="alert" style="background:#fff8e1;'
        f'border-left:4px solid #f0ad00;padding:.5em .9em;border-radius:4px">'
        f"<b>Not applied from the address:</b>"
        f'<ul style="margin:.3em 0 0 0">{items}</ul></div>'
    )


def _changed() -> None:
    """A filter's callback: the address's unmatched values are no longer the view's; the page
    follows (deferred.rerun_page)."""
    st.session_state.pop(state.URL_UNMATCHED, None)
    deferred.rerun_page()


def confidence_filter(data: state.Corpus) -> None:
    """The switch that shows every event, and the minimum it lifts (disabled while it is on).

    The switch is the one clear control ("show me everything"); the slider stays for an analyst
    who wants a stricter cut than the default (only the surest events, e.g. for an export).
    """
    rerun = _changed
    show_all = st.toggle(
        "Show all events, including low-confidence ones",
        key="f_show_all",
        on_change=rerun,
        help=f"Off: events the extractor is less sure of than the minimum "
        f"below (by default {DEFAULT_MIN_CONFIDENCE:.2f}) are hidden.",
    )
    st.slider(
        "Minimum confidence",
        0.0,
        1.0,
        step=0.05,
        key="f_min_conf",
        on_change=rerun,
        disabled=show_all,
        help="Hide events whose confidence is below this.",
    )
    hidden = state.below_minimum(data)
    if hidden:
        st.caption(
            f"{hidden:,} low-confidence {'report' if hidden == 1 else 'reports'} hidden."
            if state.incidents_view()
            else f"{hidden:,} low-confidence {'event' if hidden == 1 else 'events'} hidden."
        )


def _clear(data: state.Corpus) -> None:
    """Back to the view of a URL without parameters (the default minimum confidence)."""
    for key in ("f_actors", "f_types", "f_countries", "f_places", "f_operations", "f_review"):
        st.session_state[key] = []
    st.session_state["f_min_conf"] = DEFAULT_MIN_CONFIDENCE
    st.session_state["f_show_all"] = False
    st.session_state["f_q"] = ""
    st.session_state.pop(state.URL_UNMATCHED, None)
    st.session_state.pop(DATE_ERROR, None)
    if data.default_dates():
        st.session_state["f_dates"] = data.default_dates()
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
        deferred.after_map(FILTERS_KEY, lambda: filters(data), height="content", label="the filters follow", wait=wait)
    # The play row keeps the height of its place holder while its widgets' code loads: the map
    # under it does not move (components.timeline.PLAY_ROW_HEIGHT).
    st.html(f"<style>{HIGHLIGHT_CSS}\n.st-key-play_row{{min-height:{PLAY_ROW_HEIGHT}px}}</style>")
    if data.note:
        st.warning(data.note)
    url_unmatched_note()
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
    st.navigation(
        [st.Page(_main_page, title="Sitrep", default=True), st.Page(_handover, title="Sitrep", url_path=path)],
        position="hidden",
    )
    st.rerun()


def _url_path() -> str:
    """The page's URL path asked for ("Map"), under the server's base URL path."""
    path = urlparse(st.context.url or "").path.strip("/")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :].strip("/")
    return path


def no_events(data: state.Corpus) -> None:
    """The empty state: say why there is nothing to show and what to do."""
    if data.events.empty:
        st.info(
            f"No events: nothing was extracted into {html.escape(data.source)}. Add articles "
            f"on the Add articles page, or point the app at a folder of them with "
            f"`{state.ARTICLES_ENV}=path streamlit run app.py`."
        )
    else:
        st.info("No events match these filters. Widen them in the sidebar, or press “Clear filters”.")
        hidden_note(data, key="no_events_show_all")


def hidden_note(data: state.Corpus, *, key: str) -> None:
    """ "12 low-confidence events hidden" with a button that shows them; while all are shown,
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
            st.markdown(f"Showing all, including **{what}** (confidence below {minimum:.2f}).", width="content")
            st.button("Hide them", key=key, on_click=state.show_all, args=(False,), icon=":material/visibility_off:")
        else:
            st.markdown(f"**{what} hidden** (confidence below {minimum:.2f}).", width="content")
            st.button("Show all", key=key, on_click=state.show_all, icon=":material/visibility:")
