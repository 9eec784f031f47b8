"""Sources: the articles, and one article in full with every event excerpt marked."""

import streamlit as st

from components import review, sidebar, sources, state

data, view = sidebar.page_setup("Sources")
st.title("Sources")
if data.articles.empty:
    sidebar.no_events(data)
    st.stop()
articles = sources.article_frame(data, view)
selected = data.event(state.selected_id())
ids = articles["article_id"].tolist()
if selected is not None and st.session_state.get("_sources_event") != selected["event_id"]:
    # A newly selected event opens its article; otherwise the reader's choice stays.
    st.session_state["_sources_event"] = selected["event_id"]
    if selected["article_id"] in ids:
        st.session_state["sources_article"] = selected["article_id"]
titles = dict(zip(articles["article_id"], articles["title"], strict=False))
choice = st.selectbox("Article", ids, key="sources_article", format_func=lambda a: f"{titles.get(a) or a} ({a})")
st.dataframe(
    articles,
    key="sources_list",
    hide_index=True,
    width="stretch",
    column_config={
        "article_id": "Article",
        "title": st.column_config.TextColumn("Title", width="large"),
        "outlet": "Outlet",
        "published": st.column_config.DateColumn("Published", format="D MMM YYYY"),
        "url": st.column_config.LinkColumn("Link"),
        "events": st.column_config.NumberColumn("Events", help="Events of this article the filters keep"),
    },
)
if choice:
    sources.show_article(data, choice)
    article = data.article(choice)
    if article is not None:
        review.add_from_sentence(data, choice, str(article["text"]))
