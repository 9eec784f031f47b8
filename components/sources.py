"""The Sources page's pieces: the article list and one article with every sentence that tells an
event marked."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import state
from components.format import HIGHLIGHT_CSS, date_words, highlight, markdown_literal, mention_offsets

ARTICLE_CSS = (
    HIGHLIGHT_CSS
    + """
body{font:15px/1.6 "Source Sans Pro",sans-serif;color:#222;margin:0 .5em;white-space:pre-wrap}
.excerpt{background:#f1f1f1;border-bottom:2px solid #bbb}
.excerpt.told{background:#fff;border-bottom:none;outline:2px dashed #e69f00}
.excerpt.selected{background:#ffe9a8;border-bottom:3px solid #e69f00;outline:2px solid #e69f00}
"""
)


def article_html(text: str, events: pd.DataFrame, selected: str | None) -> str:
    """The article text as escaped HTML, every sentence that tells an event in a
    <span class="excerpt">.

    The selected event's sentences are all marked with its date/place/actor words highlighted:
    its excerpt as class "excerpt selected" with id="selected" (the page scrolls to it), the
    others as "excerpt told". A sentence that tells several events is marked once, the
    selected event's marks first; marks that would overlap one already placed are dropped.
    """
    chosen: list[tuple[int, int, str, str, list]] = []  # start, end, event_id, role, spans
    taken: list[tuple[int, int]] = []

    def place(start: int, end: int, event_id: str, role: str, spans: list) -> None:
        if not 0 <= start < end <= len(text):
            return
        if any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        chosen.append((start, end, event_id, role, spans))

    rows = list(events.itertuples(index=False))
    for row in rows:
        if row.event_id == selected:
            excerpt = (int(row.excerpt_start), int(row.excerpt_end))
            place(*excerpt, row.event_id, "selected", row.spans)
            for start, end in mention_offsets(row._asdict()):
                place(start, end, row.event_id, "told", row.spans)
    for row in rows:
        if row.event_id != selected:
            for start, end in mention_offsets(row._asdict()):
                place(start, end, row.event_id, "other", [])
    pieces, cursor = [], 0
    for start, end, event_id, role, spans in sorted(chosen):
        pieces.append(html.escape(text[cursor:start]))
        body = highlight(text[start:end], spans, offset=start) if role != "other" else html.escape(text[start:end])
        attributes = {
            "selected": ' id="selected" class="excerpt selected"',
            "told": ' class="excerpt told"',
            "other": ' class="excerpt"',
        }[role]
        pieces.append(f'<span{attributes} data-event="{html.escape(event_id, quote=True)}">{body}</span>')
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    return "".join(pieces)


def article_frame(data: state.Corpus, events: pd.DataFrame) -> pd.DataFrame:
    """The article list: one row per article with its number of (filtered) events."""
    counts = events.groupby("article_id").size() if not events.empty else pd.Series(dtype=int)
    frame = data.articles[["article_id", "title", "outlet", "published", "url"]].copy()
    frame["events"] = frame["article_id"].map(counts).fillna(0).astype(int)
    frame["published"] = pd.to_datetime(frame["published"], errors="coerce").dt.date
    # Only web links are clickable: a manifest may carry "javascript:…".
    web = frame["url"].fillna("").astype(str).str.match(r"https?://")
    frame["url"] = frame["url"].where(web, "")
    return frame


def show_article(data: state.Corpus, article_id: str, *, height: int = 520) -> None:
    """Header, metadata and the full text (in its own scrolling frame, scrolled to the selection)."""
    article = data.article(article_id)
    if article is None:
        st.warning("This article is not in the corpus.")
        return
    events = data.events[data.events["article_id"] == article_id]
    selected = state.selected_id()
    st.subheader(markdown_literal(str(article["title"]) or article_id))
    published = pd.to_datetime(article.get("published"), errors="coerce")
    facts = [
        str(article.get("outlet") or "unknown outlet"),
        "published " + (date_words(published, published, "day") if not pd.isna(published) else "date unknown"),
        f"{len(events)} events",
        f"id {article_id}",
    ]
    st.caption(markdown_literal(" · ".join(facts)))
    url = str(article.get("url") or "")
    if url.startswith(("http://", "https://")):
        st.html(f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener">{html.escape(url)}</a>')
    elif url:
        st.caption(markdown_literal(url))
    chosen = events[events["event_id"] == selected] if selected else events.iloc[:0]
    if len(chosen):
        told = len(mention_offsets(chosen.iloc[0]))
        st.caption(
            "Grey: sentences that tell an event. The selected event's sentence is outlined"
            + (f"; it is told in {told} sentences here, the others outlined dashed." if told > 1 else ".")
        )
    else:
        st.caption("Grey: sentences that tell an event.")
    body = article_html(str(article["text"]), events, selected)
    scroll = "<script>var s=document.getElementById('selected');if(s){s.scrollIntoView({block:'center'});}</script>"
    st.iframe(
        f"<!doctype html><meta charset='utf-8'><style>{ARTICLE_CSS}</style><body>{body}{scroll}</body>", height=height
    )
