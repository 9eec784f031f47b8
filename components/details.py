"""The details panel of the selected event: when, where, who, what, how many, and the sentence."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from components import mapview, review, state
from components.format import (
    date_words,
    fatalities_words,
    highlight,
    mention_offsets,
    place_words,
    told_words,
)
from components.incidents import incident_reports, sources_html
from data.incidents import incidents_frame


def other_mentions_html(event: pd.Series, text: str | None) -> str:
    """ "Told N times in this article" and the sentences besides the excerpt, each escaped with
    the event's words highlighted where its spans fall in it; "" for an event told once."""
    offsets = mention_offsets(event)
    if len(offsets) < 2:
        return ""
    heading = f"<p class='sitrep-told' style='margin:.4em 0 .2em'><b>{told_words(len(offsets))}.</b>"
    if text is None:
        return heading + " <small>(the article's text is not loaded)</small></p>"
    excerpt = (int(event["excerpt_start"]), int(event["excerpt_end"]))
    items = "".join(
        f"<li style='margin:.2em 0'>{highlight(text[start:end], event['spans'], offset=start)}</li>"
        for start, end in offsets
        if (start, end) != excerpt and end <= len(text)
    )
    return (
        heading + " The other sentences:</p>"
        f"<ul class='sitrep-mentions' style='margin:.2em 0;padding-left:1.2em;"
        f"color:#333'>{items}</ul>"
    )


def event_html(event: pd.Series, text: str | None = None) -> str:
    """The event as escaped HTML: a small fact table, the highlighted excerpt and, for an event
    its article tells in several sentences, how many and the others (read from `text`, the
    article's cleaned text)."""
    when = date_words(event["date_start"], event["date_end"], event["date_precision"])
    basis = event.get("date_basis", "")
    date_text = event.get("date_text", "")
    said = f" — from “{html.escape(date_text)}”" if date_text else ""
    actors = ", ".join(event["actors"]) if len(event["actors"]) else "not identified"
    sides = " vs ".join(a for a in (event.get("actor1", ""), event.get("actor2", "")) if a)
    kind = " — ".join(p for p in (event["event_type"], event["sub_event_type"]) if p) or "untyped"
    published = event.get("published")
    published = "" if published is None or pd.isna(published) else pd.Timestamp(published).strftime("%-d %b %Y")
    source = " · ".join(p for p in (event.get("outlet", "") or "unknown outlet", published) if p)
    rows = [
        (
            "When",
            f"<b>{html.escape(when)}</b> <small>({html.escape(event['date_precision'])}, "
            f"{html.escape(basis or 'no basis')}{said})</small>",
        ),
        (
            "Where",
            html.escape(place_words(event["place"], event["geo_precision"], event["country"]))
            + (f" <small>from “{html.escape(event['place_text'])}”</small>" if event.get("place_text") else ""),
        ),
        ("Actors", html.escape(actors) + (f" <small>({html.escape(sides)})</small>" if sides else "")),
        ("Type", html.escape(kind)),
        (
            "Deaths",
            html.escape(
                fatalities_words(event["fatalities"], event.get("fatalities_low"), event.get("fatalities_high"))
            ),
        ),
        ("Source", html.escape(source) + f" <small>· confidence {float(event['confidence']):.2f}</small>"),
    ]
    # a corrected field shows what was extracted beside the analyst's value
    before = review.extracted_words(event)
    rows = [
        (
            label,
            value
            + (
                f" <small class='sitrep-extracted'>(extracted: {html.escape(before[label])})</small>"
                if label in before
                else ""
            ),
        )
        for label, value in rows
    ]
    table = "".join(
        f"<tr><th style='text-align:left;padding-right:1em;vertical-align:top'>{label}</th><td>{value}</td></tr>"
        for label, value in rows
    )
    excerpt = highlight(event["excerpt"], event["spans"], offset=int(event["excerpt_start"]))
    return (
        f'<div class="sitrep-details"><table style="border:none">{table}</table>'
        f'<blockquote class="sitrep-excerpt" style="border-left:4px solid #999;'
        f'margin:.6em 0;padding:.3em .8em;background:#fafafa">{excerpt}</blockquote>'
        f"{other_mentions_html(event, text)}</div>"
    )


def page_link(page: str, url_path: str, label: str, params: dict[str, list[str]]) -> None:
    """st.page_link with the view's URL parameters; a plain link when the page runs on its own
    (AppTest of one page file, where st.navigation has not registered the others)."""
    try:
        st.page_link(page, label=label, query_params=params)
    except StreamlitPageNotFoundError:
        href = html.escape(f"{url_path}?{urlencode(params, doseq=True)}", quote=True)
        st.html(f'<a href="{href}" target="_self">{html.escape(label)}</a>')


def incident_html(reports: pd.DataFrame) -> str:
    """An incident as escaped HTML: what all its sources agree on, each source's death toll side
    by side, and every source's excerpt with its outlet (data.incidents.incidents_frame)."""
    incident = incidents_frame(reports).iloc[0]
    when = date_words(incident["date_start"], incident["date_end"], incident["date_precision"])
    kinds = ", ".join(incident["sub_event_types"])
    figures = incident["fatalities_by_source"]
    if figures:
        deaths = " · ".join(f"{html.escape(str(f['outlet']))}: <b>{html.escape(f['figure'])}</b>" for f in figures)
        if incident["fatalities_agree"] is False:
            deaths += " <small>(the sources differ)</small>"
    else:
        deaths = "not reported"
    outlets = ", ".join(incident["outlets"])
    rows = [
        (
            "When",
            f"<b>{html.escape(when)}</b> <small>({html.escape(incident['date_precision'])}"
            f", the narrowest all sources allow)</small>",
        ),
        ("Where", html.escape(place_words(incident["place"], incident["geo_precision"], incident["country"]))),
        ("Actors", html.escape(", ".join(incident["actors"]) or "not identified")),
        ("Type", html.escape(" — ".join(p for p in (incident["event_type"], kinds) if p) or "untyped")),
        ("Deaths", deaths),
        (
            "Sources",
            f"{int(incident['n_reports'])} reports in {int(incident['n_articles'])} "
            f"articles from {int(incident['n_sources'])} sources: "
            f"{html.escape(outlets)}",
        ),
    ]
    table = "".join(
        f"<tr><th style='text-align:left;padding-right:1em;vertical-align:top'>{label}</th><td>{value}</td></tr>"
        for label, value in rows
    )
    return (
        f'<div class="sitrep-details sitrep-incident"><table style="border:none">{table}'
        f'</table><div class="sitrep-excerpt">{sources_html(reports)}</div></div>'
    )


def show(data: state.Corpus, *, key: str = "details") -> None:
    """The selected event (in the incidents view, its incident), or a hint on how to select one."""
    event = data.event(state.selected_id())
    if event is None:
        review.show_message()  # (a rejected or merged event leaves the selection with its message)
        st.caption(
            f"Click {'an incident' if state.incidents_view() else 'an event'} on the map "
            "or the timeline to see the sentences it was read from."
        )
        return
    reports = incident_reports(event["event_id"], data.events) if state.incidents_view() else None
    if reports is not None and len(reports) > 1:
        st.subheader(f"Selected incident: {len(reports)} reports")
        st.html(incident_html(reports))
    else:
        st.subheader("Selected event")
        article = data.article(event["article_id"])
        st.html(event_html(event, None if article is None else str(article["text"])))
    params = state.view_params(data)
    left, right = st.columns(2)
    with left:
        page_link("pages/3_Sources.py", "Sources", "Open the article in Sources", params)
    url = str(event.get("url") or "")
    if url.startswith(("https://", "http://")):
        right.link_button("Original article", url)
    st.button("Clear selection", key=f"{key}_clear", on_click=state.select, args=(None,))
    review.panel(data, event, key=f"{key}_review")


@st.fragment
def map_and_details(
    data: state.Corpus,
    shown: pd.DataFrame,
    *,
    map_box,
    details_box,
    key: str = "map",
    map_options: dict | None = None,
) -> None:
    """The map (in map_box) and the selected event's details (in details_box) as one fragment:
    a click on a marker reruns only this, not the page (filters, timeline, sidebar stay).
    map_options: more arguments of mapview.show (colouring, the progression map).

    The map component keeps its frame when only the selection changes (it moves its ring), so
    the map is not redrawn either. The URL follows the selection. After a review written from the
    panel (or by another session) the fragment's corpus is stale: the page runs again instead.
    """
    if state.review_is_stale(data):
        st.rerun(scope="app")
    with map_box:
        mapview.show(
            shown,
            key=key,
            selected=data.event(state.selected_id()),
            reports=data.events if state.incidents_view() else None,
            **(map_options or {}),
        )
    with details_box:
        show(data, key=f"{key}_details")
    state.sync_url(data)
