"""conflict-map in the browser: news articles in, dated and located events on a map out.

A thin front end: the team's articles, corrections and events live in ``geo.workspace``
(one GeoPackage file, shared by every session of this server); what is on screen is
``geo.view`` over those events. Run with ``streamlit run app.py``.

With an editor secret configured (``geo.access``), a session starts as a viewer: every
control that changes the store is left out until an editor unlocks editing (or signs in
with an e-mail listed as an editor's). Without one, everyone edits, as "local".
"""

from __future__ import annotations

import base64
import math
import os
from collections.abc import Mapping
from datetime import date, timedelta
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from geo import access, appmap
from geo import workspace as wsp
from geo.errors import GeoError
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.model import CATEGORIES, EVENT_TYPES, Event
from geo.view import (
    WINDOWS,
    Filters,
    actors,
    countries,
    date_span,
    figures,
    filter_events,
    in_window,
    per_day,
    table_rows,
)

CATEGORY_COLORS = {"violence": "#d7191c", "diplomacy": "#2166ac", "security": "#7b3294",
                   "politics": "#e08214", "other": "#737373"}
MAP_HEIGHT = 560
WINDOW_TEXT = {"day": "day", "week": "week to", "all": "span up to"}
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


TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
URL_FILTERS = (("cat", "categories"), ("type", "types"), ("actor", "actors"), ("country", "countries"))
EPOCH = date(1970, 1, 1)


@st.cache_resource(show_spinner="Preparing the map…")
def map_folder() -> str:
    return str(appmap.component_dir(gazetteer()))


@st.cache_data(max_entries=4, show_spinner=False)
def map_blob(version: int, _events: list[Event]) -> tuple[str, str, list[str]]:
    """The store's events as the live map's blob (JSON), its name in the map's folder, and the
    events' ids in its order; cached by the store's version, never by hashing thousands of
    events. Filters do not change it."""
    from geo.maps import data_json, drawn, map_data

    blob = data_json(map_data(_events, title="conflict-map", gaz=gazetteer(), land=False))
    return blob, appmap.view_name(blob), [e.id for e in drawn(_events)]


def view_mask(ids: list[str], view: list[Event]) -> str | None:
    """The view as one bit per event of the blob (base64): a filter change sends this, not the
    events. None when every event is in view."""
    wanted = {e.id for e in view}
    if wanted.issuperset(ids):
        return None
    bits = bytearray((len(ids) + 7) // 8)
    for j, event_id in enumerate(ids):
        if event_id in wanted:
            bits[j >> 3] |= 1 << (j & 7)
    return base64.b64encode(bytes(bits)).decode("ascii")


def live_map(events: list[Event], version: int, view: list[Event], offline: bool, selected: str | None,
             span: tuple[date, date] | None) -> None:
    """The map: loaded once per browser session, the store's events fetched once per version
    of the store; a rerun sends only which of them the filters keep. The reader's view, day,
    window and clicked event come back as ``map_state``. Its time bar runs over `span`, the
    dates the sidebar chose."""
    start = st.session_state.get("map_state") or url_map_state()
    live = components.declare_component(appmap.COMPONENT, path=map_folder())
    day = start.get("day")
    first, last = ((d - EPOCH).days for d in span) if span else (None, None)
    blob, name, ids = map_blob(version, events)
    live(data=appmap.publish(map_folder(), blob, name), only=view_mask(ids, view), height=MAP_HEIGHT,
         first=first, last=last,
         view={k: start[k] for k in ("lat", "lon", "zoom")} if "zoom" in start else None,
         day=(date.fromisoformat(day) - EPOCH).days if day else None, window=start.get("window"),
         selected=selected, tiles=None if offline else TILES, key="map_state", default=None)


def url_map_state() -> dict:
    """The map's view as the page URL gives it (``?lat=..&lon=..&z=..&day=..&win=..``)."""
    q = st.query_params
    state: dict = {}
    try:
        if {"lat", "lon", "z"} <= set(q):
            state.update(lat=float(q["lat"]), lon=float(q["lon"]), zoom=int(q["z"]))
        if "day" in q:
            state["day"] = date.fromisoformat(q["day"]).isoformat()
    except ValueError:
        return {}  # a hand-edited link: the default view
    if q.get("win") in WINDOWS:
        state["window"] = q["win"]
    if q.get("sel"):
        state["selected"] = q["sel"]
    return state


def remember_view(state: dict | None, filters: Filters, selected: str | None) -> None:
    """Put the view in the page URL, so a link reproduces it for a colleague."""
    params: dict[str, str | list[str]] = {}
    if state:
        params.update(lat=str(state["lat"]), lon=str(state["lon"]), z=str(state["zoom"]),
                      day=state["day"], win=state["window"])
    if filters.start and filters.end:
        params.update({"from": filters.start.isoformat(), "to": filters.end.isoformat()})
    for name, field in URL_FILTERS:
        if values := getattr(filters, field):
            params[name] = sorted(values)
    if filters.min_sources > 1:
        params["min"] = str(filters.min_sources)
    if filters.text:
        params["q"] = filters.text
    if selected:
        params["sel"] = selected
    want = {k: [v] if isinstance(v, str) else v for k, v in params.items()}
    if want != {k: st.query_params.get_all(k) for k in st.query_params}:
        st.query_params.from_dict(params)


def filters_from_url() -> None:
    """A new session opened from a link starts with the link's filters."""
    if st.session_state.get("url_read"):
        return
    st.session_state.url_read = True
    q = st.query_params
    for name, field in URL_FILTERS:  # the widgets' keys are the Filters' field names
        if q.get_all(name):
            st.session_state[field] = q.get_all(name)
    try:
        if "from" in q and "to" in q:
            st.session_state["dates"] = (date.fromisoformat(q["from"]), date.fromisoformat(q["to"]))
        if "q" in q:
            st.session_state["search"] = q["q"]
        if "min" in q:
            st.session_state["min_sources"] = max(1, int(q["min"]))
    except ValueError:
        pass  # a hand-edited link: that filter stays as it was


def samples_folder() -> str:
    """The articles a new store starts with: data/samples, or $CONFLICTMAP_SAMPLES."""
    return os.environ.get("CONFLICTMAP_SAMPLES") or str(wsp.SAMPLES)


# ---------------------------------------------------------------- adding articles

# ---------------------------------------------------------------- who may change the store

def app_secrets() -> Mapping:
    """``st.secrets``, or nothing when the app has no secrets file."""
    try:
        return st.secrets if st.secrets.load_if_toml_exists() else {}
    except Exception:  # an unreadable secrets file: Streamlit reports it; treat it as none
        return {}


def signed_in_email() -> str | None:
    """The e-mail of the user signed in through Streamlit's own sign-in (st.login), if any."""
    try:
        return st.user.get("email") if st.user.is_logged_in else None
    except Exception:  # sign-in not configured
        return None


@st.cache_resource
def server_throttle() -> access.Throttle:
    """Wrong editor passwords from every session of this server: past 20, each waits longer."""
    return access.Throttle(free=20)


def access_panel() -> str | None:
    """Who this session changes the store as (its name for the history), or None: a viewer.

    No editor secret and no editors' e-mails configured: everyone edits, as "local".
    """
    secrets = app_secrets()
    secret = access.editor_secret(secrets, os.environ)
    editors = access.editor_emails(secrets, os.environ)
    if secret is None and not editors:
        return wsp.LOCAL
    email = signed_in_email()
    if email and email.strip().lower() in editors:
        st.caption(plain(f"Editing as {email}"))
        st.button("Sign out", key="editor_logout", on_click=st.logout)
        return access.who(email)
    if st.session_state.get("editor"):
        st.caption(plain(f"Editing as {st.session_state.editor}"))
        if st.button("Lock editing", key="editor_lock"):
            del st.session_state["editor"]
            st.rerun()
        return st.session_state.editor
    st.caption("Viewing: the map, filters, table, history and downloads. Editors unlock editing "
               "to add, correct or remove articles.")
    if "auth" in secrets and editors:
        st.button("Sign in", key="editor_login", on_click=st.login)
    if secret is not None:
        with st.form("unlock", clear_on_submit=True):
            st.text_input("Your name", key="editor_name", help="Recorded with each change you make")
            st.text_input("Editor password", type="password", key="editor_password")
            st.form_submit_button("Unlock editing", on_click=unlock, args=(secret,))
        if st.session_state.get("unlock_note"):
            st.error(st.session_state.unlock_note)
    return None


def unlock(secret: str) -> None:
    """Check the typed editor password (a callback, before the page runs again, which empties
    the box); a wrong one, or any try too soon after one, is refused with one message and
    the count of wrong tries."""
    given = st.session_state.get("editor_password") or ""
    st.session_state.editor_password = ""
    mine = st.session_state.setdefault("editor_throttle", access.Throttle())
    shared = server_throttle()
    now = access.clock()
    wait = max(mine.wait(now), shared.wait(now))
    if wait > 0:
        st.session_state.unlock_note = (f"{tries(mine.failures)} so far: wait {math.ceil(wait)} s "
                                        "before the next try.")
        return
    if access.secret_matches(given, secret):
        mine.passed()
        shared.passed()
        st.session_state.editor = access.who(st.session_state.get("editor_name") or "")
        st.session_state.unlock_note = None
        return
    delay = mine.failed(now)
    shared.failed(now)
    st.session_state.unlock_note = (f"That is not the editor password ({tries(mine.failures)}); "
                                    f"the next try can be made in {delay:g} s.")


def tries(n: int) -> str:
    return f"{n} wrong tr{'y' if n == 1 else 'ies'}"


# ---------------------------------------------------------------- adding articles

def upload_panel(ws: wsp.Workspace, gaz: Gazetteer, by: str) -> None:
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
            outcomes = wsp.add_files(ws, [(f.name, f.getvalue()) for f in files], gaz, progress=step,
                                     by=by)
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
                            wsp.add_text(ws, text, gaz, published=published, title=title, by=by)]
                st.rerun()
    for o in st.session_state.get("outcomes", []):
        (st.success if o.ok else st.error)(plain(o.message))


def follow_panel(ws: wsp.Workspace, gaz: Gazetteer, by: str) -> None:
    """Feeds the store follows (its ``sources`` table, as `conflictmap watch` keeps it): a URL
    to add, and "Check now" for one poll of them all (geo.watch.poll)."""
    from geo import watch

    round_ = st.session_state.setdefault("follow_round", 0)
    with st.expander("Follow a feed", expanded=False):
        url = st.text_input("Feed or page URL", key=f"follow_url-{round_}", placeholder="https://…/rss.xml")
        if st.button("Check now", key="follow_check",
                     help="Adds the URL (if any) to the store's feeds, then fetches what is new in each"):
            lines: list[tuple[bool, str]] = []
            try:
                if url.strip():
                    watch.follow(ws, url, gaz, by=by)
                feeds = [s.url for s in watch.followed(ws)]
                with st.spinner(f"Checking {len(feeds)} feed{'s' * (len(feeds) != 1)}…"):
                    for p in watch.poll(ws, feeds, gaz, timeout=10, tries=2, record=True, by=by):
                        lines += [(False, problem) for problem in p.problems]
                        lines.append((p.error is None, p.line))
            except GeoError as e:
                lines.append((False, str(e)))
            st.session_state.follow_lines = lines or [(False, "no feeds followed yet: give a URL")]
            st.session_state.follow_round = round_ + 1  # an empty box
            st.rerun()
        for ok, line in st.session_state.get("follow_lines", []):
            (st.success if ok else st.error)(plain(line))
        for source in watch.followed(ws):
            when = source.checked.replace("T", " ").removesuffix("+00:00") + " UTC" if source.checked \
                else "not checked yet"
            result = f": {source.result.removeprefix(source.url + ': ')}" if source.result else ""
            st.caption(plain(f"{source.url} — last checked {when}{result}"))


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
    most = max(1, max((e.num_sources for e in events), default=1))
    if "min_sources" in st.session_state:  # from a link, or the store lost its best-sourced events
        st.session_state["min_sources"] = min(most, st.session_state["min_sources"])
    else:
        st.session_state["min_sources"] = 1
    min_sources = st.number_input("Minimum sources", 1, most, key="min_sources",
                                  help="Only events reported by at least this many articles")
    text = st.text_input("Search", key="search", placeholder="Places, sides, sentences",
                         help="Only events whose place, actors, targets or sentences hold every word")
    return Filters(start, end, frozenset(chosen_cats), frozenset(chosen_types),
                   frozenset(chosen_actors), frozenset(chosen_countries), int(min_sources), text.strip())


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


def timeline(view: list[Event], state: dict | None) -> None:
    """Events per day by category; the map's time window shaded; drag across it to choose the
    dates every view shows (the sidebar's range follows)."""
    rows = pd.DataFrame(per_day(view), columns=["date", "category", "events"])
    if rows.empty:
        st.caption("No dated events in this view.")
        return
    rows["date"] = pd.to_datetime(rows["date"])
    brush = alt.selection_interval(encodings=["x"], name="brush")
    bars = alt.Chart(rows).mark_bar().encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("sum(events):Q", title="Events per day"),
        color=alt.Color("category:N", scale=alt.Scale(domain=list(CATEGORIES),
                                                      range=[CATEGORY_COLORS[c] for c in CATEGORIES]),
                        legend=alt.Legend(orient="top", title=None)),
        tooltip=["date:T", "category:N", "events:Q"],
    ).add_params(brush)
    layers = [bars]
    if state:
        day = date.fromisoformat(state["day"])
        back = WINDOWS[state["window"]]
        first = rows["date"].min().date() if back is None else day - timedelta(days=back)
        band = pd.DataFrame([{"from": pd.Timestamp(first), "to": pd.Timestamp(day + timedelta(days=1))}])
        shade = alt.Chart(band).mark_rect(color="#ffd54f", opacity=0.35).encode(x="from:T", x2="to:T")
        layers.insert(0, shade)
    chart = alt.layer(*layers).properties(height=160)
    st.altair_chart(chart, width="stretch", on_select="rerun", key="timeline")
    st.caption("Shaded: the map's time window. Drag across the chart to show only those dates.")


def dates_from_timeline() -> None:
    """A range dragged on the timeline becomes the sidebar's date range (before its slider runs)."""
    chosen = ((st.session_state.get("timeline") or {}).get("selection") or {}).get("brush") or {}
    span = chosen.get("date")
    if not span or span == st.session_state.get("timeline_applied"):
        return
    st.session_state.timeline_applied = span
    lo, hi = (pd.Timestamp(v, unit="ms") if isinstance(v, (int, float)) else pd.Timestamp(v) for v in span)
    st.session_state["dates"] = (lo.date(), hi.date())


def table_key(version: int, filters: Filters, state: dict | None) -> str:
    """A new key per view (filters, the map's window, an event clicked on the map), so a
    selection never points at a row of another view and a click on the map selects its row."""
    window = (state or {}).get("day"), (state or {}).get("window")
    return f"events-{version}-{abs(hash((filters, window)))}-{st.session_state.get('clicks', 0)}"


TABLE_ROWS = 1000  # rows sent to the browser: past that, narrow the filters or download


def table_events(shown: list[Event]) -> list[Event]:
    """The table's rows: the first TABLE_ROWS events in view, and the chosen one if later."""
    wanted = st.session_state.get("selected_id")
    return shown[:TABLE_ROWS] + [e for e in shown[TABLE_ROWS:] if e.id == wanted]


def selected_event(view: list[Event], key: str) -> Event | None:
    """The event chosen in the table, else the one last clicked on the map, if in view."""
    state = st.session_state.get(key)
    rows = state["selection"]["rows"] if state else []
    if rows and rows[0] < len(view):
        return view[rows[0]]
    if state is None:  # the table not drawn yet under this key: the map's click stands
        wanted = st.session_state.get("selected_id")
        return next((e for e in view if e.id == wanted), None)
    return None


def events_tab(view: list[Event], total: int, key: str, chosen: Event | None) -> None:
    if total > len(view):
        st.caption(f"The first {TABLE_ROWS:,} of {total:,} events (and the chosen one); narrow the "
                   "filters to see others, or download them all.")
    frame = pd.DataFrame(table_rows(view), columns=["date", "type", "category", "place", "country",
                                                    "actors", "targets", "fatalities", "sources",
                                                    "articles", "summary", "id"])
    frame["fatalities"] = frame["fatalities"].astype("Int64")  # unknown shows blank, not None
    row = next((i for i, e in enumerate(view) if chosen is not None and e.id == chosen.id), None)
    st.dataframe(frame, key=key, on_select="rerun", selection_mode="single-row", hide_index=True,
                 width="stretch",
                 selection_default={"selection": {"rows": [row]}} if row is not None else None,
                 column_config={"summary": st.column_config.TextColumn(width="large"),
                                "date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                "fatalities": st.column_config.NumberColumn(help="Blank: not reported")})
    if chosen is None:
        st.caption("Choose an event (the box at the left of its row, or its marker on the map) to "
                   "see it on the map and read its sources.")
        return
    st.markdown(f"**{plain(chosen.type.replace('_', ' '))}** · {chosen.date} · "
                f"{plain(chosen.place or 'no place')} · shown and circled on the map above")
    for src in chosen.sources:
        st.caption(plain(src.article))
        st.text(src.sentence)


def review_tab(ws: wsp.Workspace, gaz: Gazetteer, by: str | None) -> None:
    if not ws.articles:
        st.caption("No articles yet.")
        return
    article_id = st.selectbox("Article", list(ws.articles), key="review_article")
    found = wsp.resolutions(ws, article_id, gaz)
    st.dataframe(pd.DataFrame([{"mention": r.mention, "place": r.place, "times": r.count,
                                "corrected": r.corrected, "candidates": len(r.options)} for r in found],
                              columns=["mention", "place", "times", "corrected", "candidates"]),
                 hide_index=True, width="stretch")
    if found and by is not None:
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
                        wsp.set_correction(ws, article_id, mention, other.strip(), gaz, by=by)
                    elif choice == "auto":
                        wsp.clear_correction(ws, article_id, mention, gaz, by=by)
                    else:
                        wsp.set_correction(ws, article_id, mention, None if choice == "none" else choice,
                                           gaz, by=by)
                    st.session_state.review_note = None
                except GeoError as e:
                    st.session_state.review_note, st.session_state.review_ok = str(e), False
                st.rerun()
    left, right = st.columns(2)
    left.download_button("Download corrections (JSON)", wsp.corrections_json(ws),
                         file_name="corrections.json", mime="application/json")
    if by is None:
        return
    fixes = right.file_uploader("Load corrections (JSON)", type=["json"], key="corrections_file")
    if fixes is not None and st.session_state.get("corrections_loaded") != fixes.file_id:
        st.session_state.corrections_loaded = fixes.file_id
        try:
            n = wsp.load_corrections(ws, fixes.getvalue(), gaz, fixes.name, by=by)
            st.session_state.review_note = f"{n} corrections loaded from {fixes.name}"
            st.session_state.review_ok = True
        except GeoError as e:
            st.session_state.review_note, st.session_state.review_ok = str(e), False
        st.rerun()  # every view above shows the moved events
    if st.session_state.get("review_note"):
        (st.success if st.session_state.get("review_ok") else st.error)(plain(st.session_state.review_note))


def articles_tab(ws: wsp.Workspace, gaz: Gazetteer, by: str | None) -> None:
    counts = wsp.event_counts(ws)
    rows = [{"article": a.id, "title": a.title, "published": a.published, "date from": a.date_source,
             "events": counts.get(a.id, 0)} for a in ws.articles.values()]
    st.dataframe(pd.DataFrame(rows, columns=["article", "title", "published", "date from", "events"]),
                 hide_index=True, width="stretch")
    if by is None:
        return
    _fit("remove", list(ws.articles))
    gone = st.multiselect("Remove articles", list(ws.articles), key="remove",
                          help="The store keeps a removed article: History brings it back")
    if st.button("Remove", disabled=not gone, key="remove_articles"):
        wsp.remove_articles(ws, gone, gaz, by=by)
        st.session_state.outcomes = [wsp.Outcome(f"Removed {', '.join(gone)}")]
        del st.session_state["remove"]
        st.rerun()
    left, right = st.columns(2)
    if left.button("Add the sample articles", key="add_samples"):
        st.session_state.outcomes = [wsp.add_samples(ws, gaz, samples_folder(), by=by)]
        st.rerun()
    if right.button("Find all events again", key="rederive",
                    help="After an upgrade of conflict-map: extract every article's events anew"):
        with st.spinner("Finding events…"):
            wsp.rederive(ws, gaz, by=by)
        st.rerun()
    st.caption(f"Stored in {plain(wsp.store_name(ws.path)) if ws.path else 'memory only'}")


HISTORY_ROWS = 500


def history_tab(ws: wsp.Workspace, gaz: Gazetteer, by: str | None) -> None:
    """The store's changes, newest first (everyone sees them); an editor can restore a removed article."""
    changes = wsp.history(ws, HISTORY_ROWS)
    if not changes:
        st.caption("No changes recorded yet.")
    else:
        st.caption(f"The newest {len(changes)} of {len(ws.history)} changes, newest first; times in UTC.")
        st.dataframe(pd.DataFrame(
            [{"when": c.when.replace("T", " ").removesuffix("+00:00"), "who": c.by, "action": c.action,
              "articles": ", ".join(c.articles), "mention": c.mention or "", "from": c.old or "",
              "to": c.new or "", "detail": c.detail} for c in changes],
            columns=["when", "who", "action", "articles", "mention", "from", "to", "detail"]),
            hide_index=True, width="stretch")
    removed = wsp.removed_articles(ws)
    if by is None or not removed:
        return
    kept = {r.article.id: r for r in removed}
    chosen = st.selectbox("Removed articles", list(kept), key="restore_article",
                          format_func=lambda i: f"{i} (removed {kept[i].when[:10]} by {kept[i].by})")
    if st.button("Restore", key="restore"):
        try:
            outcome = wsp.restore(ws, chosen, gaz, by=by)
            st.session_state.outcomes = [outcome if not outcome.ok else
                                         wsp.Outcome(f"Restored {chosen}, {outcome.events} events")]
        except GeoError as e:
            st.session_state.outcomes = [wsp.Outcome(chosen, error=str(e))]
        st.rerun()


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

@st.fragment(run_every=timedelta(seconds=float(os.environ.get("CONFLICTMAP_REFRESH", 30))))
def notice_changes(ws: wsp.Workspace, gaz: Gazetteer, version: int) -> None:
    """Every 30 s ($CONFLICTMAP_REFRESH): has `conflictmap watch`, a script or another server
    saved the store? Then the page shows the new events, with no restart and no click."""
    if wsp.refresh(ws, gaz) or ws.version != version:
        st.rerun(scope="app")



def main() -> None:
    st.set_page_config(page_title="conflict-map", layout="wide")
    gaz = gazetteer()
    try:
        ws = workspace(str(wsp.default_store()), samples_folder())
        wsp.refresh(ws, gaz)  # another server process may have saved the store
    except GeoError as e:  # a damaged or unreadable store: say what to do, touch nothing
        st.error(plain(e))
        st.stop()
    filters_from_url()
    dates_from_timeline()
    with st.sidebar:
        by = access_panel()
        if by is not None:
            st.header("Add articles")
            upload_panel(ws, gaz, by)
            follow_panel(ws, gaz, by)
        else:
            for o in st.session_state.get("outcomes", []):  # e.g. a restore, before editing was locked
                (st.success if o.ok else st.error)(plain(o.message))
        st.header("Filters")
        filters = filter_panel(ws.events, gaz)
        offline = not st.toggle("Street basemap", key="tiles",
                                help="OpenStreetMap tiles from the web; off (or when they cannot "
                                     "load), the map draws country outlines and needs no network")
    events, version = ws.events, ws.version
    notice_changes(ws, gaz, version)
    view = filter_events(events, filters)
    st.title("conflict-map")
    clicked = (st.session_state.get("map_state") or {}).get("selected")
    if clicked and clicked != st.session_state.get("selected_id"):  # a marker clicked: its row
        st.session_state.selected_id = clicked
        st.session_state.clicks = st.session_state.get("clicks", 0) + 1
    state = st.session_state.get("map_state")
    shown = in_window(view, date.fromisoformat(state["day"]), state["window"]) if state else view
    listed = table_events(shown)
    key = table_key(version, filters, state)
    chosen = selected_event(listed, key)
    if chosen is not None:
        st.session_state.selected_id = chosen.id
    window = f" on the map's {WINDOW_TEXT[state['window']]} {state['day']}" if state else ""
    st.caption(f"{len(shown)} of {len(events)} events{window}, from {len(ws.articles)} articles. "
               "Places: GeoNames (CC BY 4.0), Natural Earth.")
    headline(shown)
    span = date_span(events)
    if span and filters.start and filters.end:
        span = (filters.start, filters.end)
    live_map(events, version, view, offline, chosen.id if chosen else None, span)
    timeline(view, state)
    remember_view(state, filters, chosen.id if chosen else None)
    tabs = st.tabs(["Events", "Review places", "Articles", "Downloads", "History"])
    with tabs[0]:
        events_tab(listed, len(shown), key, chosen)
    with tabs[1]:
        review_tab(ws, gaz, by)
    with tabs[2]:
        articles_tab(ws, gaz, by)
    with tabs[3]:
        downloads_tab(shown)
    with tabs[4]:
        history_tab(ws, gaz, by)


main()
