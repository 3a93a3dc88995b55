"""conflict-map in the browser: news articles in, dated and located events on a map out.

A thin front end: the team's articles, corrections and events live in ``geo.workspace``
(one GeoPackage file, shared by every session of this server); what is on screen is
``geo.view`` over those events. Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import os
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from geo import workspace as wsp
from geo.errors import GeoError
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.model import CATEGORIES, EVENT_TYPES, Event
from geo.view import Filters, actors, countries, date_span, figures, filter_events, per_day, table_rows

CATEGORY_COLORS = {"violence": "#d7191c", "diplomacy": "#2166ac", "security": "#7b3294",
                   "politics": "#e08214", "other": "#737373"}
MAP_HEIGHT = 560
MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~$"})


def plain(text: object) -> str:
    """Text shown as written inside Markdown (file names, sentences): no links, no HTML."""
    return " ".join(str(text).split()).translate(MARKDOWN)


@st.cache_resource(show_spinner="Loading the gazetteer…")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@st.cache_resource(show_spinner="Opening the team's store…")
def workspace(path: str, samples: str) -> wsp.Workspace:
    """One workspace per store file for the whole server: every session sees the team's events."""
    return wsp.open_workspace(path, gazetteer(), samples=samples or None, background=True)


@st.cache_data(max_entries=16, show_spinner="Drawing the map…")
def map_page(what: tuple, offline: bool, _events: list[Event]) -> str:
    """The map page of some events; cached by ``what`` names them (store version and filters,
    or one event's id), never by hashing thousands of events."""
    from geo.maps import map_html

    return map_html(_events, offline=offline, title="conflict-map")


def show_map(events: list[Event], what: tuple, offline: bool, height: int = MAP_HEIGHT) -> None:
    page = map_page(what, offline, events)
    if hasattr(st, "iframe"):  # Streamlit 1.52+; components.v1.html is on its way out
        st.iframe(page, height=height)
    else:
        components.html(page, height=height)


def samples_folder() -> str:
    """The articles a new store starts with: data/samples, or $CONFLICTMAP_SAMPLES."""
    return os.environ.get("CONFLICTMAP_SAMPLES") or str(wsp.SAMPLES)


# ---------------------------------------------------------------- adding articles

def upload_panel(ws: wsp.Workspace, gaz: Gazetteer) -> None:
    round_ = st.session_state.setdefault("upload_round", 0)
    files = st.file_uploader(
        "Article files", accept_multiple_files=True, key=f"upload-{round_}",
        help="Text, Markdown, HTML, JSON, JSON Lines or RSS/Atom; several at once. "
             f"Up to {wsp.MAX_BYTES // 2**20} MB each.")
    if files:
        bar = st.progress(0.0, text="Reading the files…")

        def step(done: int, total: int, name: str) -> None:
            bar.progress(done / total, text=f"Finding events: {name} ({done + 1} of {total})")

        try:
            outcomes = wsp.add_files(ws, [(f.name, f.getvalue()) for f in files], gaz, progress=step)
        except Exception as e:  # e.g. the store cannot be saved: say so, and empty the uploader
            reason = str(e) if isinstance(e, GeoError) else f"{type(e).__name__}: {e}"
            outcomes = [wsp.Outcome(f.name, error=f"not added ({reason})") for f in files]
        st.session_state.outcomes = outcomes
        st.session_state.upload_round = round_ + 1  # a fresh, empty uploader
        st.rerun()
    with st.expander("Paste an article", expanded=False):
        with st.form("paste", clear_on_submit=False):
            title = st.text_input("Title", key="paste_title")
            published = st.date_input("Published", value=None, key="paste_date",
                                      help="Leave empty to use the date the text gives")
            text = st.text_area("Text", height=160, key="paste_text")
            if st.form_submit_button("Add article"):
                if not text.strip():
                    st.session_state.outcomes = [wsp.Outcome("pasted text", error="no text to add")]
                else:
                    with st.spinner("Finding events…"):
                        st.session_state.outcomes = [
                            wsp.add_text(ws, text, gaz, published=published, title=title)]
                st.rerun()
    for o in st.session_state.get("outcomes", []):
        (st.success if o.ok else st.error)(plain(o.message))


# ---------------------------------------------------------------- filters

def _fit(key: str, options: list) -> None:
    """Drop chosen values that no longer exist (an article was removed) before the widget runs."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]


def filter_panel(events: list[Event], gaz: Gazetteer) -> Filters:
    span = date_span(events)
    start = end = None
    if span and span[0] < span[1]:
        if "dates" in st.session_state:
            # New events may widen the span: an end left at the old edge follows it.
            lo, hi = st.session_state["dates"]
            old = st.session_state.get("dates_span", span)
            lo = span[0] if lo <= old[0] else max(span[0], min(lo, span[1]))
            hi = span[1] if hi >= old[1] else min(span[1], max(hi, span[0]))
            st.session_state["dates"] = (lo, hi)
            start, end = st.slider("Dates", span[0], span[1], key="dates", format="YYYY-MM-DD")
        else:
            start, end = st.slider("Dates", span[0], span[1], value=span, key="dates",
                                   format="YYYY-MM-DD")
        st.session_state["dates_span"] = span
    elif span:
        st.caption(f"All events on {span[0].isoformat()}")
    cats = [c for c in CATEGORIES if any(EVENT_TYPES[e.type] == c for e in events)]
    _fit("categories", cats)
    chosen_cats = st.multiselect("Categories", cats, key="categories", placeholder="All categories")
    types = [t for t in EVENT_TYPES if any(e.type == t for e in events)
             and (not chosen_cats or EVENT_TYPES[t] in chosen_cats)]
    _fit("types", types)
    chosen_types = st.multiselect("Event types", types, key="types", placeholder="All types",
                                  format_func=lambda t: t.replace("_", " "))
    names = actors(events)
    _fit("actors", names)
    chosen_actors = st.multiselect("Actors", names, key="actors", placeholder="Anyone",
                                   help="Events where they act or are targeted")
    codes = countries(events)
    _fit("countries", codes)
    chosen_countries = st.multiselect("Countries", codes, key="countries", placeholder="Anywhere",
                                      format_func=partial(country_name, gaz))
    most = max((e.num_sources for e in events), default=1)
    min_sources = st.number_input("Minimum sources", 1, max(most, 1), 1, key="min_sources",
                                  help="Only events reported by at least this many articles")
    return Filters(start, end, frozenset(chosen_cats), frozenset(chosen_types),
                   frozenset(chosen_actors), frozenset(chosen_countries), int(min_sources))


def country_name(gaz: Gazetteer, code: str) -> str:
    place = gaz.country(code)
    return f"{place.name} ({code})" if place else code


# ---------------------------------------------------------------- what is shown

def headline(view: list[Event]) -> None:
    f = figures(view)
    cols = st.columns(4)
    cols[0].metric("Events", f.events)
    cols[1].metric("Strikes", f.strikes)
    cols[2].metric("Fatalities", f.fatalities, help="Highest count reported for each event, summed")
    cols[3].metric("Sources", f.sources, help="Articles behind the events shown")


def timeline(view: list[Event]) -> None:
    rows = pd.DataFrame(per_day(view), columns=["date", "category", "events"])
    if rows.empty:
        st.caption("No dated events in this view.")
        return
    rows["date"] = pd.to_datetime(rows["date"])
    chart = alt.Chart(rows).mark_bar().encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("sum(events):Q", title="Events per day"),
        color=alt.Color("category:N", scale=alt.Scale(domain=list(CATEGORIES),
                                                      range=[CATEGORY_COLORS[c] for c in CATEGORIES]),
                        legend=alt.Legend(orient="top", title=None)),
        tooltip=["date:T", "category:N", "events:Q"],
    ).properties(height=180)
    st.altair_chart(chart, width="stretch")


def table_key(version: int, filters: Filters) -> str:
    """A new key per view, so a selection never points at a row of another view."""
    return f"events-{version}-{abs(hash(filters))}"


def selected_event(view: list[Event], key: str) -> Event | None:
    state = st.session_state.get(key)
    rows = state["selection"]["rows"] if state else []
    return view[rows[0]] if rows and rows[0] < len(view) else None


def events_tab(view: list[Event], key: str, chosen: Event | None, version: int) -> None:
    frame = pd.DataFrame(table_rows(view), columns=["date", "type", "category", "place", "country",
                                                    "actors", "targets", "fatalities", "sources",
                                                    "articles", "summary", "id"])
    st.dataframe(frame, key=key, on_select="rerun", selection_mode="single-row", hide_index=True,
                 width="stretch",
                 column_config={"summary": st.column_config.TextColumn(width="large"),
                                "date": st.column_config.DateColumn(format="YYYY-MM-DD")})
    if chosen is None:
        st.caption("Choose an event (the box at the left of its row) to see it on a map and read "
                   "its sources.")
        return
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{plain(chosen.type.replace('_', ' '))}** · {chosen.date} · "
                    f"{plain(chosen.place or 'no place')}")
        for s in chosen.sources:
            st.caption(plain(s.article))
            st.text(s.sentence)
    with right:
        show_map([chosen], ("event", version, chosen.id), True, height=320)


def review_tab(ws: wsp.Workspace, gaz: Gazetteer) -> None:
    if not ws.articles:
        st.caption("No articles yet.")
        return
    article_id = st.selectbox("Article", list(ws.articles), key="review_article")
    found = wsp.resolutions(ws, article_id, gaz)
    st.dataframe(pd.DataFrame([{"mention": r.mention, "place": r.place, "times": r.count,
                                "corrected": r.corrected, "candidates": len(r.options)} for r in found],
                              columns=["mention", "place", "times", "corrected", "candidates"]),
                 hide_index=True, width="stretch")
    if found:
        with st.form("correct"):
            mention = st.selectbox("Mention", [r.mention for r in found], key="review_mention")
            r = next(r for r in found if r.mention == mention)
            labels = {"auto": "Let the resolver decide", "none": "Not a place"}
            labels.update({pid: label for pid, label in r.options})
            choice = st.selectbox("Means", list(labels), format_func=labels.get, key="review_place",
                                  index=list(labels).index(r.place_id) if r.corrected and r.place_id
                                  else 0)
            other = st.text_input("Or a place id", key="review_other", placeholder="gn:266826",
                                  help="Any gazetteer id (see `conflictmap geocode NAME`)")
            if st.form_submit_button("Apply"):
                try:
                    if other.strip():
                        wsp.set_correction(ws, article_id, mention, other.strip(), gaz)
                    elif choice == "auto":
                        wsp.clear_correction(ws, article_id, mention, gaz)
                    else:
                        wsp.set_correction(ws, article_id, mention, None if choice == "none" else choice, gaz)
                    st.session_state.review_note = None
                except GeoError as e:
                    st.session_state.review_note, st.session_state.review_ok = str(e), False
                st.rerun()
    left, right = st.columns(2)
    left.download_button("Download corrections (JSON)", wsp.corrections_json(ws),
                         file_name="corrections.json", mime="application/json")
    fixes = right.file_uploader("Load corrections (JSON)", type=["json"], key="corrections_file")
    if fixes is not None and st.session_state.get("corrections_loaded") != fixes.file_id:
        st.session_state.corrections_loaded = fixes.file_id
        try:
            n = wsp.load_corrections(ws, fixes.getvalue(), gaz, fixes.name)
            st.session_state.review_note = f"{n} corrections loaded from {fixes.name}"
            st.session_state.review_ok = True
        except GeoError as e:
            st.session_state.review_note, st.session_state.review_ok = str(e), False
        st.rerun()  # every view above shows the moved events
    if st.session_state.get("review_note"):
        (st.success if st.session_state.get("review_ok") else st.error)(plain(st.session_state.review_note))


def articles_tab(ws: wsp.Workspace, gaz: Gazetteer) -> None:
    counts = wsp.event_counts(ws)
    rows = [{"article": a.id, "title": a.title, "published": a.published, "date from": a.date_source,
             "events": counts.get(a.id, 0)} for a in ws.articles.values()]
    st.dataframe(pd.DataFrame(rows, columns=["article", "title", "published", "date from", "events"]),
                 hide_index=True, width="stretch")
    _fit("remove", list(ws.articles))
    gone = st.multiselect("Remove articles", list(ws.articles), key="remove")
    if st.button("Remove", disabled=not gone, key="remove_articles"):
        wsp.remove_articles(ws, gone, gaz)
        st.session_state.outcomes = [wsp.Outcome(f"Removed {', '.join(gone)}")]
        del st.session_state["remove"]
        st.rerun()
    left, right = st.columns(2)
    if left.button("Add the sample articles", key="add_samples"):
        st.session_state.outcomes = [wsp.add_samples(ws, gaz, samples_folder())]
        st.rerun()
    if right.button("Find all events again", key="rederive",
                    help="After an upgrade of conflict-map: extract every article's events anew"):
        with st.spinner("Finding events…"):
            wsp.rederive(ws, gaz)
        st.rerun()
    st.caption(f"Stored in {plain(ws.path) if ws.path else 'memory only'}")


def downloads_tab(view: list[Event]) -> None:
    st.caption(f"The {len(view)} events in the current view.")
    cols = st.columns(5)
    for col, (label, fmt, offline, name, mime) in zip(cols, [
        ("Map (HTML)", "html", False, "conflict-map.html", "text/html"),
        ("Map, offline (HTML)", "html", True, "conflict-map-offline.html", "text/html"),
        ("GeoJSON", "geojson", False, "events.geojson", "application/geo+json"),
        ("CSV", "csv", False, "events.csv", "text/csv"),
        ("GeoPackage", "gpkg", False, "events.gpkg", "application/geopackage+sqlite3"),
    ]):
        # Made when clicked: a filter change must not pay for five files.
        col.download_button(label, partial(wsp.export, view, fmt, offline=offline, title="conflict-map"),
                            file_name=name, mime=mime, key=f"download-{fmt}-{offline}",
                            on_click="ignore")


# ---------------------------------------------------------------- the page

def main() -> None:
    st.set_page_config(page_title="conflict-map", layout="wide")
    gaz = gazetteer()
    try:
        ws = workspace(str(wsp.default_store()), samples_folder())
        wsp.refresh(ws, gaz)  # another server process may have saved the store
    except GeoError as e:  # a damaged or unreadable store: say what to do, touch nothing
        st.error(plain(e))
        st.stop()
    with st.sidebar:
        st.header("Add articles")
        upload_panel(ws, gaz)
        st.header("Filters")
        filters = filter_panel(ws.events, gaz)
        offline = not st.toggle("Street basemap", key="tiles",
                                help="OpenStreetMap tiles and Leaflet from the web; off, the map "
                                     "draws country outlines and needs no network")
    events, version = ws.events, ws.version
    view = filter_events(events, filters)
    st.title("conflict-map")
    st.caption(f"{len(view)} of {len(events)} events from {len(ws.articles)} articles. "
               "Places: GeoNames (CC BY 4.0), Natural Earth.")
    headline(view)
    key = table_key(version, filters)
    chosen = selected_event(view, key)
    show_map(view, ("view", version, filters), offline)
    timeline(view)
    tabs = st.tabs(["Events", "Review places", "Articles", "Downloads"])
    with tabs[0]:
        events_tab(view, key, chosen, version)
    with tabs[1]:
        review_tab(ws, gaz)
    with tabs[2]:
        articles_tab(ws, gaz)
    with tabs[3]:
        downloads_tab(view)


main()
