"""The Streamlit app, driven by streamlit.testing's AppTest over the real library and store.

Each test gets its own store file (CONFLICTMAP_STORE) filled from tests/data/app, whose
seven events are known: see tests/test_workspace.py.
"""

from __future__ import annotations

import base64
import json
import threading
from datetime import date
from pathlib import Path

import pytest
from hostile import hostile_texts
from localsite import html
from streamlit.testing.v1 import AppTest

from geo import access, appmap
from geo import workspace as wsp
from geo.events import events_from_articles
from geo.gazetteer import load_gazetteer
from geo.store import read_events

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
ARTICLES = Path(__file__).parent / "data" / "app"
QUETTA = b"Date: 2024-03-01\n\nGunmen attacked a bus in Quetta on Friday, killing four people.\n"


@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv(wsp.STORE_ENV, str(path))
    monkeypatch.setenv("CONFLICTMAP_SAMPLES", str(ARTICLES))
    return path


@pytest.fixture
def at(store):
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def figures(app) -> dict[str, int]:
    return {m.label: int(m.value) for m in app.metric}


def table(app):
    return app.dataframe[0].value


def live_map(app) -> dict:
    """What the app sends the map: its arguments (the selected event, ...) and, as "data", the
    events blob the map fetches from its folder."""
    (element,) = app.get("component_instance")
    args = json.loads(element.proto.json_args)
    folder = appmap.component_dir(load_gazetteer())
    args["data"] = json.loads((folder / args["data"]).read_text(encoding="utf-8"))
    return args


def shown(elements) -> list[str]:
    """Messages as a person reads them (Markdown escapes removed)."""
    return [e.value.replace("\\", "") for e in elements]


def test_starts_with_the_sample_events(at):
    assert figures(at) == {"Events": 7, "Strikes": 1, "Fatalities": 11, "Sources": 5}
    rows = table(at)
    assert list(rows["place"]) == ["Tehran", "Iran", "Al Ḩudaydah", "Sanaa", "Tripoli", "Khowst", ""]
    assert rows.loc[rows["place"] == "Khowst", "sources"].item() == 2
    assert at.slider(key="dates").value == (date(2024, 1, 21), date(2024, 5, 4))
    blob = live_map(at)["data"]
    assert blob["total"] == 7 and blob["skipped"] == 1  # the map: every event with a place
    assert blob["basemap"] is None  # the land comes once, from the map's own folder


def test_starts_with_the_bundled_samples(tmp_path, monkeypatch):
    articles = wsp.sample_articles(wsp.SAMPLES)
    if not articles:
        pytest.skip("data/samples holds no articles yet")
    monkeypatch.setenv(wsp.STORE_ENV, str(tmp_path / "store.gpkg"))
    monkeypatch.delenv("CONFLICTMAP_SAMPLES", raising=False)
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    from geo.gazetteer import load_gazetteer

    expected = events_from_articles(articles, load_gazetteer())
    assert figures(app)["Events"] == len(expected) > 0
    assert list(table(app)["id"]) == [e.id for e in expected]


@pytest.mark.parametrize(("widget", "value", "count", "places"), [
    ("dates", (date(2024, 2, 1), date(2024, 4, 30)), 3, ["Al Ḩudaydah", "Sanaa", "Tripoli"]),
    ("categories", ["violence"], 3, ["Al Ḩudaydah", "Tripoli", "Khowst"]),
    ("types", ["protest"], 1, ["Sanaa"]),
    ("actors", ["Pakistan"], 3, ["Tehran", "Iran", "Khowst"]),  # "the two foreign ministers": both
    ("countries", ["AF"], 1, ["Khowst"]),
])
def test_each_filter_changes_every_view(at, widget, value, count, places):
    before = live_map(at)
    widgets = at.slider if widget == "dates" else at.multiselect
    widgets(key=widget).set_value(value).run()
    assert not at.exception
    assert figures(at)["Events"] == count
    assert list(table(at)["place"]) == places
    after = live_map(at)  # the map keeps the store's events and is told which of them to show
    assert after["data"] == before["data"] and before["only"] is None
    ids = after["data"]["events"]["id"]
    bits = base64.b64decode(after["only"])
    on = {ids[j] for j in range(len(ids)) if bits[j >> 3] >> (j & 7) & 1}
    assert on == {i for i, p in zip(table(at)["id"], table(at)["place"]) if p}  # those with a place


def test_minimum_sources_and_filters_together(at):
    at.number_input(key="min_sources").set_value(2).run()
    assert figures(at) == {"Events": 1, "Strikes": 1, "Fatalities": 8, "Sources": 2}
    at.number_input(key="min_sources").set_value(1).run()
    at.multiselect(key="categories").set_value(["diplomacy"]).run()
    at.slider(key="dates").set_value((date(2024, 1, 22), date(2024, 5, 4))).run()
    assert list(table(at)["type"]) == ["agreement", "appeal"]
    assert figures(at)["Sources"] == 2


def test_search_keeps_the_events_whose_words_match_and_goes_in_the_link(at):
    at.text_input(key="search").set_value("pakistani JETS").run()
    assert list(table(at)["place"]) == ["Khowst"]  # the words of its sentence, in any case
    assert at.query_params["q"] == "pakistani JETS"
    for hostile in ("{{ 7*7 }}", "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "{% if %}"):
        at.text_input(key="search").set_value(hostile).run()
        assert not at.exception and figures(at)["Events"] == 0
    at.text_input(key="search").set_value("").run()
    assert figures(at)["Events"] == 7


def test_an_uploaded_article_adds_its_events_and_a_bad_one_is_named(at):
    at.file_uploader(key="upload-0").upload("quetta.txt", QUETTA).upload(
        "photo.jpg", b"\xff\xd8\xff\xe0").upload("empty.md", b"").run()
    assert not at.exception
    assert shown(at.success) == ["quetta.txt: 1 article, 1 event"]
    assert shown(at.error) == [
        "photo.jpg: skipped, unsupported file type .jpg; use .txt, .md, .html, .json, .jsonl or an "
        "RSS/Atom .xml",
        "empty.md: skipped, empty file"]
    assert figures(at)["Events"] == 8  # the seven from before are all still there
    assert "Quetta" in set(table(at)["place"])
    # The uploader is emptied, so the next run does not add the files again.
    at.run()
    assert figures(at)["Events"] == 8


def test_pasted_text_with_a_date_adds_its_event(at):
    at.text_input(key="paste_title").set_value("Market attack")
    at.date_input(key="paste_date").set_value(date(2024, 7, 6))
    at.text_area(key="paste_text").set_value(
        "<script>alert(1)</script> Gunmen attacked a market in Kandahar on Friday, killing six people.")
    at.button(key="FormSubmitter:paste-Add article").click().run()
    assert not at.exception
    assert shown(at.success) == ["market-attack.txt: 1 article, 1 event"]
    assert figures(at)["Events"] == 8 and figures(at)["Fatalities"] == 17
    row = table(at).iloc[-1]
    assert (row["place"], row["date"]) == ("Kandahār", date(2024, 7, 5))
    assert row["summary"].startswith("<script>alert(1)</script>")  # shown as text
    assert at.slider(key="dates").value == (date(2024, 1, 21), date(2024, 7, 5))


def test_pasting_nothing_says_so(at):
    at.button(key="FormSubmitter:paste-Add article").click().run()
    assert shown(at.error) == ["pasted text: skipped, no text to add"]
    assert figures(at)["Events"] == 7


def test_choosing_an_event_circles_it_on_the_map_and_shows_its_sources(at):
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [5], "columns": []}}
    at.run()
    assert not at.exception
    khost = table(at)["id"][5]
    assert live_map(at)["selected"] == khost
    assert at.query_params["sel"] == khost  # a link to this view selects it too
    sentences = [t.value for t in at.text]
    assert "Afghan officials said air strikes by Pakistan on Thursday killed eight people in Khost " \
           "province." in sentences
    assert "KABUL, May 3 (Wire) - Pakistani jets struck militant hideouts in Afghanistan's Khost " \
           "province on Thursday, killing eight people, Afghan officials said." in sentences


def test_a_correction_moves_the_event(at):
    at.selectbox(key="review_article").set_value("tripoli.txt").run()
    review = at.dataframe[1].value
    assert review.loc[review["mention"] == "Tripoli", "place"].item() == "Tripoli (city, LY) gn:2210247"
    at.selectbox(key="review_mention").set_value("Tripoli")
    at.selectbox(key="review_place").set_value("gn:266826")
    at.button(key="FormSubmitter:correct-Apply").click().run()
    assert not at.exception
    rows = table(at)
    assert rows.loc[rows["place"] == "Tripoli", "country"].item() == "LB"
    at.multiselect(key="countries").set_value(["LB"]).run()
    assert figures(at)["Events"] == 1


def test_corrections_load_from_a_file_and_a_bad_one_is_named(at):
    at.selectbox(key="review_article").set_value("tripoli.txt").run()
    at.file_uploader(key="corrections_file").upload(
        "fixes.json", b'{"tripoli.txt": {"Tripoli": "gn:266826"}}').run()
    assert not at.exception
    assert shown(at.success) == ["1 corrections loaded from fixes.json"]
    assert "LB" in set(table(at)["country"])
    at.file_uploader(key="corrections_file").clear().upload("bad.json", b"{oops").run()
    assert shown(at.error)[0].startswith("bad.json: not JSON")
    assert "LB" in set(table(at)["country"])


def test_removing_an_article_updates_the_events(at):
    at.multiselect(key="remove").set_value(["khost-paper.md"]).run()
    at.button(key="remove_articles").click().run()
    assert not at.exception
    assert figures(at) == {"Events": 6, "Strikes": 1, "Fatalities": 11, "Sources": 4}
    assert shown(at.success) == ["Removed khost-paper.md"]
    rows = table(at)
    assert rows.loc[rows["type"] == "strike", "sources"].item() == 1


def test_a_cleared_store_can_take_the_samples_again(at):
    at.multiselect(key="remove").set_value([a.id for a in wsp.sample_articles(ARTICLES)]).run()
    at.button(key="remove_articles").click().run()
    assert figures(at)["Events"] == 0 and not at.exception
    at.button(key="add_samples").click().run()
    assert shown(at.success) == ["app: 5 articles, 7 events"]
    assert figures(at)["Events"] == 7


def test_the_store_persists_across_server_restarts(at, store):
    at.file_uploader(key="upload-0").upload("quetta.txt", QUETTA).run()
    import streamlit as st

    st.cache_resource.clear()  # a new server process
    again = AppTest.from_file(APP, default_timeout=60).run()
    assert figures(again)["Events"] == 8
    assert "Quetta" in set(table(again)["place"])
    assert [e.id for e in read_events(str(store))] == list(table(again)["id"])


def test_downloads_are_offered_and_read_back_to_the_view(at, tmp_path, gazetteer):
    at.multiselect(key="categories").set_value(["violence"]).run()
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download corrections (JSON)", "Map (HTML)", "Map, offline (HTML)", "GeoJSON", "CSV",
                      "GeoPackage"]
    ids = list(table(at)["id"])
    view = [e for e in wsp.open_workspace(None, gazetteer, samples=ARTICLES).events if e.id in ids]
    for fmt in ("geojson", "csv", "gpkg"):
        path = tmp_path / f"view.{fmt}"
        path.write_bytes(wsp.export(view, fmt))
        assert [e.id for e in read_events(str(path))] == ids


def test_a_damaged_store_is_explained_not_a_traceback(store, gazetteer):
    wsp.open_workspace(store, gazetteer, samples=ARTICLES)
    with open(store, "r+b") as f:
        f.seek(store.stat().st_size // 2)
        f.write(b"\xff" * 4096)
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    (message,) = shown(app.error)
    assert str(store) in message and "the store is damaged" in message and "move it aside" in message


# ---------------------------------------------------------------- hostile and crashing uploads

GOOD = {"lahore.txt": b"Date: 2024-06-02\n\nProtesters rallied in Lahore on Sunday.\n",
        "quetta.txt": QUETTA}


def test_a_crashing_file_costs_only_its_own_line(at, store, monkeypatch, gazetteer, crash_txt_crashes):
    uploader = at.file_uploader(key="upload-0").upload("lahore.txt", GOOD["lahore.txt"])
    uploader.upload("crash.txt", b"Gunmen attacked a bus in Quetta on Friday.\n")
    # Inputs that crashed the reader or the extractor when this test was written.
    uploader.upload("deep.json", b"[" * 100_000 + b"]" * 100_000)
    uploader.upload("far.txt", b"Date: Fri, 31 Dec 9999 10:00:00 GMT\n\nGunmen attacked a bus in "
                               b"Quetta tomorrow, killing four.\n")
    uploader.upload("quetta.txt", GOOD["quetta.txt"]).run()
    assert not at.exception
    lines = shown(at.success) + shown(at.error)
    assert sorted(line.split(":")[0] for line in lines) == sorted(
        ["lahore.txt", "crash.txt", "deep.json", "far.txt", "quetta.txt"])  # one line each
    assert "lahore.txt: 1 article, 1 event" in lines and "quetta.txt: 1 article, 1 event" in lines
    (crash,) = [line for line in lines if line.startswith("crash.txt")]
    assert "skipped" in crash and "RuntimeError: boom" in crash and "bug" in crash
    assert figures(at)["Events"] >= 9
    assert {"Lahore", "Quetta"} <= set(table(at)["place"])
    at.run()  # the session goes on
    assert not at.exception and figures(at)["Events"] >= 9
    # Another session of the shared workspace, and a restarted server, are fine too.
    other = AppTest.from_file(APP, default_timeout=60).run()
    assert not other.exception and figures(other)["Events"] == figures(at)["Events"]
    import streamlit as st

    st.cache_resource.clear()
    again = AppTest.from_file(APP, default_timeout=60).run()
    assert not again.exception and figures(again)["Events"] == figures(at)["Events"]
    assert "crash.txt" not in wsp.load(store, gazetteer).articles


def test_hostile_uploaded_text_stays_text(at, tmp_path):
    marker = tmp_path / "pwned"
    texts = hostile_texts(marker)
    body = "".join(f"Gunmen attacked a bus in Quetta on Friday as men shouted {t} at the scene.\n\n"
                   for t in texts)
    upload = at.file_uploader(key="upload-0")
    upload.upload("{{ 7*7 }} =1+1.txt", b"Date: 2024-03-01\n\n" + body.encode()).run()
    assert not at.exception
    assert not marker.exists(), "article text ran as a template"
    assert shown(at.success)[0].startswith("{{ 7*7 }} =1+1.txt: 1 article")
    rows = table(at)
    (row,) = [n for n, articles in enumerate(rows["articles"]) if "{{ 7*7 }} =1+1.txt" in articles]
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    assert not at.exception
    sentences = " ".join(t.value for t in at.text)
    for t in texts:
        assert t in sentences
    # the map gets the sentences as data (drawn with textContent, see test_app_browser.py)
    blob = live_map(at)["data"]
    assert any(t in sentence for t in texts for sentence in blob["strings"])


def test_a_range_dragged_on_the_timeline_becomes_the_date_filter(at):
    day = lambda d: int((d - date(1970, 1, 1)).total_seconds() * 1000)  # noqa: E731 (Vega-Lite: ms)
    at.session_state["timeline"] = {"selection": {"brush": {"date": [day(date(2024, 2, 1)),
                                                                     day(date(2024, 4, 30))]}}}
    at.run()
    assert not at.exception
    assert at.slider(key="dates").value == (date(2024, 2, 1), date(2024, 4, 30))
    assert list(table(at)["place"]) == ["Al Ḩudaydah", "Sanaa", "Tripoli"]


def test_a_followed_feed_is_checked_now_and_its_articles_land(at, site, store):
    site.serve("/quetta.html", html("Date: 2024-03-01",
                                    "Gunmen attacked a bus in Quetta on Friday, killing four people."))
    site.serve("/karachi.html", html("Date: 2024-03-04", "Protesters rallied in Karachi on Monday."))
    feed = site.feed("/feed.xml", ("/quetta.html", "Bus", "x"), ("/karachi.html", "Rally", "y"), etag='"v1"')
    at.text_input(key="follow_url-0").set_value(feed)
    at.button(key="follow_check").click().run()
    assert not at.exception
    assert shown(at.success) == [f"{feed}: 2 new articles, 2 events"]
    assert figures(at)["Events"] == 9 and figures(at)["Sources"] == 7
    (caption,) = [c.value.replace("\\", "") for c in at.caption if feed in c.value.replace("\\", "")]
    assert caption.startswith(f"{feed} — last checked ") and caption.endswith(": 2 new articles, 2 events")
    assert wsp.load(store, load_gazetteer()).sources[feed].saved  # the store follows it now

    at.button(key="follow_check").click().run()  # the box is empty: the saved feed is checked again
    assert site.hits("/feed.xml")[-1]["If-None-Match"] == '"v1"'
    assert shown(at.success) == [f"{feed}: not modified, nothing new"]
    assert figures(at)["Events"] == 9


def test_following_something_that_is_not_a_url_is_refused(at, store):
    at.text_input(key="follow_url-0").set_value("/etc/passwd")
    at.button(key="follow_check").click().run()
    assert not at.exception
    assert shown(at.error) == ["/etc/passwd: not a feed or page URL; give one starting http:// or https://"]
    for saving in [t for t in threading.enumerate() if t.name == "conflictmap-first-save"]:
        saving.join()  # the new store's first save, in the background
    assert wsp.load(store, load_gazetteer()).sources == {}


# ---------------------------------------------------------------- viewers and editors

SECRET = "correct horse battery staple"
# Every control that changes the store, by widget kind and key.
EDITING = {
    "file_uploader": {"upload-0", "corrections_file"},
    "text_area": {"paste_text"},
    "text_input": {"paste_title", "follow_url-0", "review_other"},
    "selectbox": {"review_mention", "review_place", "restore_article"},
    "multiselect": {"remove"},
    "button": {"FormSubmitter:paste-Add article", "FormSubmitter:correct-Apply", "follow_check",
               "remove_articles", "add_samples", "rederive", "restore"},
}
ALWAYS = {key for kind, keys in EDITING.items() for key in keys} - {"restore_article", "restore"}
UNLOCK = "FormSubmitter:unlock-Unlock editing"


def editing_controls(app) -> set[str]:
    """The keys of the store-changing controls on the page."""
    return {w.key for kind, keys in EDITING.items() for w in app.get(kind) if w.key in keys}


def unlock(app, name: str, password: str) -> None:
    app.text_input(key="editor_name").set_value(name)
    app.text_input(key="editor_password").set_value(password)
    app.button(key=UNLOCK).click().run()
    assert not app.exception


def history_rows(app) -> list[tuple[str, str, str]]:
    (frame,) = [d.value for d in app.dataframe if list(d.value.columns)[:3] == ["when", "who", "action"]]
    return list(zip(frame["who"], frame["action"], frame["articles"]))


@pytest.fixture
def hosted(store, monkeypatch):
    """The app as a server with an editor secret runs it (as Community Cloud or a container gives it)."""
    monkeypatch.setenv(access.SECRET_ENV, SECRET)
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def test_without_a_secret_everyone_edits_as_local(at):
    assert editing_controls(at) == ALWAYS
    assert not [w for w in at.text_input if w.key in ("editor_password", "editor_name")]
    at.multiselect(key="remove").set_value(["khost-paper.md"]).run()
    at.button(key="remove_articles").click().run()
    assert history_rows(at)[:2] == [("local", "remove", "khost-paper.md"), ("local", "add samples", ", ".join(
        sorted(a.id for a in wsp.sample_articles(ARTICLES))))]
    assert editing_controls(at) == ALWAYS | {"restore_article", "restore"}  # the removed one comes back here


def test_a_viewer_sees_the_events_history_and_downloads_and_can_change_nothing(hosted):
    assert editing_controls(hosted) == set()
    assert not hosted.get("file_uploader")
    assert not [b for b in hosted.button if b.label in ("Remove", "Apply", "Add article", "Check now")]
    assert figures(hosted) == {"Events": 7, "Strikes": 1, "Fatalities": 11, "Sources": 5}
    assert len(table(hosted)) == 7
    hosted.multiselect(key="categories").set_value(["violence"]).run()  # filters are the viewer's own
    assert figures(hosted)["Events"] == 3
    assert [b.label for b in hosted.get("download_button")] == [
        "Download corrections (JSON)", "Map (HTML)", "Map, offline (HTML)", "GeoJSON", "CSV", "GeoPackage"]
    assert history_rows(hosted)[0][:2] == ("local", "add samples")
    assert hosted.text_input(key="editor_password").value == ""


def test_the_right_secret_unlocks_editing_for_that_session_only(hosted, store):
    unlock(hosted, "Ana  Lima", SECRET)
    assert editing_controls(hosted) == ALWAYS
    assert "Editing as Ana Lima" in shown(hosted.caption)
    assert not [w for w in hosted.text_input if w.key == "editor_password"]
    hosted.multiselect(key="remove").set_value(["khost-paper.md"]).run()
    hosted.button(key="remove_articles").click().run()
    assert figures(hosted)["Events"] == 6
    assert history_rows(hosted)[0] == ("Ana Lima", "remove", "khost-paper.md")
    assert wsp.read_history(store)[0].by == "Ana Lima"  # in the store file, for everyone

    other = AppTest.from_file(APP, default_timeout=60).run()  # another browser: still a viewer
    assert not other.exception and editing_controls(other) == set()
    assert history_rows(other)[0] == ("Ana Lima", "remove", "khost-paper.md")

    hosted.button(key="restore").click().run()  # the editor brings it back from the history
    assert figures(hosted)["Events"] == 7
    assert history_rows(hosted)[0] == ("Ana Lima", "restore", "khost-paper.md")
    hosted.button(key="editor_lock").click().run()
    assert editing_controls(hosted) == set()


def test_a_wrong_secret_is_one_calm_message_and_each_further_try_waits_longer(hosted, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(access, "clock", lambda: now[0])
    unlock(hosted, "Mallory", "guess")
    assert shown(hosted.error) == ["That is not the editor password (1 wrong try); the next try can be "
                                   "made in 1 s."]
    assert editing_controls(hosted) == set() and not hosted.exception
    assert hosted.text_input(key="editor_password").value == ""  # the box is emptied at once
    throttle = hosted.session_state["editor_throttle"]
    assert (throttle.failures, throttle.delay) == (1, 1.0)

    unlock(hosted, "Mallory", SECRET)  # too soon: not even compared, right or wrong
    assert shown(hosted.error) == ["1 wrong try so far: wait 1 s before the next try."]
    assert editing_controls(hosted) == set()

    now[0] += 1.5
    unlock(hosted, "Mallory", "guess again")
    assert (throttle.failures, throttle.delay) == (2, 2.0)
    assert shown(hosted.error) == ["That is not the editor password (2 wrong tries); the next try can be "
                                   "made in 2 s."]
    now[0] += 2.5
    unlock(hosted, "Mallory", "and again")
    assert (throttle.failures, throttle.delay) == (3, 4.0)
    assert editing_controls(hosted) == set()
    page = " ".join(str(e.value) for kind in ("markdown", "caption", "error", "text")
                    for e in hosted.get(kind))
    assert "guess" not in page and SECRET not in page  # no typed password is ever shown

    now[0] += 4.5
    unlock(hosted, "Mallory", SECRET)
    assert editing_controls(hosted) == ALWAYS and not hosted.error
    assert throttle.failures == 0



class SignedIn(dict):
    """What st.user is for someone signed in with Streamlit's own sign-in (OpenID Connect)."""

    is_logged_in = True


@pytest.mark.parametrize(("email", "edits"), [("ben@example.org", True), ("eve@example.org", False)])
def test_signed_in_users_listed_as_editors_edit(store, monkeypatch, email, edits):
    import streamlit

    monkeypatch.setenv(access.EDITORS_ENV, "ana@example.org, Ben@Example.org")
    monkeypatch.setattr(streamlit, "user", SignedIn(email=email))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert editing_controls(app) == (ALWAYS if edits else set())
    assert not [w for w in app.text_input if w.key == "editor_password"]  # no secret: no password box
    if edits:
        assert f"Editing as {email}" in shown(app.caption)
        app.button(key="rederive").click().run()
        assert history_rows(app)[0] == (email, "derive again", "")


def test_where_the_secret_and_the_editors_come_from(monkeypatch):
    env = {access.SECRET_ENV: "from-env", access.EDITORS_ENV: " Ana@Example.org,,ben@example.org "}
    assert access.editor_secret({}, env) == "from-env"
    assert access.editor_secret({"editor_secret": "from-secrets"}, env) == "from-secrets"
    assert access.editor_secret({}, {access.SECRET_ENV: "  "}) is None  # blank: no secret, as on a laptop
    assert access.editor_emails({}, env) == {"ana@example.org", "ben@example.org"}
    assert access.editor_emails({"editors": ["Cy@Example.org"]}, env) == {"cy@example.org"}
    compared = []
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or a == b)
    assert access.secret_matches("s3cret", "s3cret") and not access.secret_matches("s3cre", "s3cret")
    assert compared == [(b"s3cret", b"s3cret"), (b"s3cre", b"s3cret")]  # in constant time


def test_the_wait_doubles_after_each_wrong_try_up_to_a_minute():
    t = access.Throttle()
    delays = [t.failed(now=0.0) for _ in range(9)]
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert t.wait(now=59.0) == 1.0 and t.wait(now=61.0) == 0.0
    shared = access.Throttle(free=2)
    assert [shared.failed(now=0.0) for _ in range(4)] == [0, 0, 1, 2]
    t.failures = 10_000
    assert t.failed(now=0.0) == 60  # no overflow however long the attack


def test_an_editors_name_is_shown_and_recorded_as_text(hosted):
    name = "<img src=x onerror=alert(1)> **Ana** [me](http://e.org)"
    unlock(hosted, name, SECRET)
    (caption,) = [c.value for c in hosted.caption if "Editing as" in c.value]
    assert caption == app_plain(f"Editing as {name}")  # Markdown and HTML escaped, not rendered
    hosted.button(key="rederive").click().run()
    assert history_rows(hosted)[0] == (name, "derive again", "")  # a table cell: text as written


def app_plain(text: str) -> str:
    return " ".join(text.split()).translate(str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~$"}))
