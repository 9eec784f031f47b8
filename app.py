"""Sitrep: `streamlit run app.py`. The overview page, and the navigation to the other pages."""

import pandas as pd
import streamlit as st

from components import deferred, mapview, review, sidebar, state, timeline


def overview() -> None:
    """What is loaded, a compact map and timeline, and the problems met while loading."""
    data, view = sidebar.page_setup("Overview", map_first=True)
    st.title("Sitrep — conflict events from news articles")
    default = data.default_dates()
    span = f"{default[0]:%b %Y} – {default[1]:%b %Y}" if default else "no dates"
    earlier = len(data.earlier())
    actors = data.facets["actors"]
    # Metrics as wide as their words, wrapping onto a second row on a narrow window (four equal
    # columns cut "Date span" off).
    with st.container(horizontal=True, key="overview_metrics", gap="medium"):
        st.metric("Articles", len(data.articles), width="content")
        if state.incidents_view():
            st.metric(
                "Incidents",
                f"{len(view):,}",
                width="content",
                help=f"{int(view['n_reports'].sum()):,} reports of {len(data.events):,} merged into incidents"
                if len(view)
                else None,
            )
        else:
            st.metric(
                "Events",
                f"{len(view)} of {len(data.events)}" if len(view) != len(data.events) else len(data.events),
                width="content",
            )
        st.metric(
            "Date span",
            span,
            width="content",
            help=(
                f"Where the news is: from the first event reported within weeks of its "
                f"article. {earlier:,} earlier mentions go back to "
                f"{data.first_day:%b %Y}."
                if earlier
                else None
            ),
        )
        st.metric("Actors", len(actors), help=", ".join(actors[:20]) or None, width="content")
    if not view.empty:
        sidebar.hidden_note(data, key="overview_show_all")
    if view.empty:
        sidebar.no_events(data)
    else:
        left, right = st.columns(2)
        with left:
            mapview.show(
                view,
                key="overview_map",
                height=360,
                compact=True,
                reports=data.events if state.incidents_view() else None,
            )
        with right:
            deferred.after_map(
                "overview_timeline_panel",
                lambda: timeline.show(data, view, key="overview_timeline", rows="type", height=300, interactive=False),
                height=360,
            )
        st.page_link(MAP, label="Open the map")
    review.overview_lines(data)
    st.subheader(f"Problems while loading ({len(data.problems)})")
    if data.problems:
        st.dataframe(
            pd.DataFrame([vars(p) for p in data.problems]),
            key="overview_problems",
            hide_index=True,
            width="stretch",
            column_config={
                "article_id": "Article",
                "stage": "Stage",
                "message": st.column_config.TextColumn("Problem", width="large"),
            },
        )
    else:
        st.caption("None: every article was read.")


MAP = st.Page("pages/1_Map.py", title="Map", url_path="Map")
sidebar.mark_routed()
st.navigation(
    [
        st.Page(overview, title="Overview", default=True),
        MAP,
        st.Page("pages/2_Timeline.py", title="Timeline", url_path="Timeline"),
        st.Page("pages/3_Sources.py", title="Sources", url_path="Sources"),
        st.Page("pages/4_Events.py", title="Events", url_path="Events"),
        st.Page("pages/6_Operations.py", title="Operations", url_path="Operations"),
        st.Page("pages/7_Review.py", title="Review", url_path="Review"),
        st.Page("pages/5_Add_articles.py", title="Add articles", url_path="Add_articles"),
    ]
).run()
