"""The team's store: articles in, events out, kept consistent and saved (geo.workspace).

The store tests run twice (``store_at``): on a GeoPackage file and on PostgreSQL/PostGIS.
Those about the file itself (damage, temp files of a killed save) are GeoPackage-only;
tests/test_pgstore.py has the PostgreSQL ones.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from geo import workspace as wsp
from geo.articles import read_articles
from geo.errors import GeoError, InputError
from geo.events import events_from_articles
from geo.store import read_events

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = Path(__file__).parent / "data" / "app"
LEBANON_TRIPOLI = "gn:266826"
STRIKE_IN_LEBANON = (b"Date: 2024-06-01\n\nIsraeli jets struck targets near Tyre in southern Lebanon "
                     b"on Saturday, killing two people, officials said.\n")


@pytest.fixture
def ws(store_at, gazetteer):
    return wsp.open_workspace(store_at, gazetteer, samples=ARTICLES)


def saved_events(ws) -> list:
    """The events as the store holds them: any GIS reads the GeoPackage's layer, SQL the table."""
    return wsp.load(ws.path, None).events if wsp.is_url(ws.path) else read_events(str(ws.path))


def gpkg_tables(ws) -> set[tuple[str, str]] | None:
    """What a GIS lists in the GeoPackage; None for a PostgreSQL store (test_pgstore.py)."""
    if wsp.is_url(ws.path):
        return None
    with sqlite3.connect(ws.path) as con:
        return set(con.execute("SELECT table_name, data_type FROM gpkg_contents"))


def by_type(ws, kind):
    return [e for e in ws.events if e.type == kind]


def test_a_new_store_holds_the_samples_and_their_events(ws, gazetteer):
    expected = events_from_articles(read_articles([ARTICLES]), gazetteer)
    assert sorted(ws.articles) == ["khost-paper.md", "khost-wire.txt", "red-sea.html", "talks.json",
                                   "tripoli.txt"]
    assert ws.events == expected
    assert len(ws.events) == 7
    assert wsp.store_exists(ws.path)


def test_files_add_events_and_a_bad_file_is_named_and_skipped(ws, gazetteer):
    before = list(ws.events)
    outcomes = wsp.add_files(ws, [("lebanon.txt", STRIKE_IN_LEBANON), ("photo.jpg", b"\xff\xd8\xff"),
                                  ("empty.txt", b""), ("broken.json", b'{"text": '),
                                  ("binary.txt", b"\x00\x01\x02" * 50)], gazetteer)
    assert [o.ok for o in outcomes] == [True, False, False, False, False]
    assert outcomes[0].message == "lebanon.txt: 1 article, 1 event"
    assert outcomes[1].message.startswith("photo.jpg: skipped, unsupported file type .jpg")
    assert outcomes[2].message == "empty.txt: skipped, empty file"
    assert "invalid JSON" in outcomes[3].message
    assert outcomes[4].message == "binary.txt: skipped, binary file, not text"
    assert all("\n" not in o.message for o in outcomes)
    assert len(ws.events) == len(before) + 1
    assert all(e in ws.events for e in before)  # nothing loaded before is lost
    (new,) = [e for e in ws.events if e.country == "LB"]
    assert (new.type, new.date, new.fatalities) == ("strike", date(2024, 6, 1), 2)


def test_the_same_file_again_replaces_it(ws, gazetteer):
    raw = (ARTICLES / "tripoli.txt").read_bytes()
    (outcome,) = wsp.add_files(ws, [("tripoli.txt", raw)], gazetteer)
    assert outcome.replaced == ("tripoli.txt",)
    assert "replacing the earlier copy" in outcome.message
    assert len(ws.events) == 7 and len(ws.articles) == 5


def test_a_feed_file_adds_each_item(ws, gazetteer):
    feed = b"""<?xml version="1.0"?><rss><channel>
      <item><title>One</title><pubDate>Mon, 10 Jun 2024 08:00:00 GMT</pubDate>
        <description>Protesters rallied in Karachi on Monday.</description></item>
      <item><title>Two</title><pubDate>Tue, 11 Jun 2024 08:00:00 GMT</pubDate>
        <description>Gunmen attacked a bus in Quetta on Tuesday, killing four people.</description></item>
    </channel></rss>"""
    (outcome,) = wsp.add_files(ws, [("wire.xml", feed)], gazetteer)
    assert outcome.articles == ("wire.xml#1", "wire.xml#2")
    assert outcome.events == 2
    assert {(e.type, e.place) for e in ws.events if e.country == "PK" and e.date >= date(2024, 6, 1)} == {
        ("protest", "Karachi"), ("attack", "Quetta")}


def test_pasted_text_takes_the_date_given(ws, gazetteer):
    outcome = wsp.add_text(ws, "Gunmen attacked a market in Kandahar on Friday, killing six people.",
                           gazetteer, published=date(2024, 7, 6), title="Market attack")
    assert outcome.ok and outcome.articles == ("market-attack.txt",)
    article = ws.articles["market-attack.txt"]
    assert (article.published, article.date_source, article.title) == (date(2024, 7, 6), "option",
                                                                       "Market attack")
    (attack,) = [e for e in ws.events if e.place == "Kandahār"]
    assert attack.date == date(2024, 7, 5) and attack.fatalities == 6


def test_pasting_nothing_is_an_error_not_an_article(ws, gazetteer):
    outcome = wsp.add_text(ws, "   \n", gazetteer)
    assert not outcome.ok and "empty" in outcome.error
    assert len(ws.articles) == 5


def test_hostile_text_is_kept_as_text(ws, gazetteer):
    text = "<script>alert(1)</script> Gunmen attacked a checkpoint in Herat on Monday."
    outcome = wsp.add_text(ws, text, gazetteer, published=date(2024, 8, 6))
    assert outcome.ok
    (attack,) = [e for e in ws.events if e.place == "Herāt"]
    assert attack.summary.startswith("<script>alert(1)</script>")


def test_removing_an_article_removes_its_events_and_its_share_of_merged_ones(ws, gazetteer):
    (strike,) = by_type(ws, "strike")
    assert strike.num_sources == 2
    assert wsp.remove_article(ws, "khost-paper.md", gazetteer)
    (strike,) = by_type(ws, "strike")
    assert strike.num_sources == 1 and {s.article for s in strike.sources} == {"khost-wire.txt"}
    assert not by_type(ws, "appeal")  # only the paper reported the appeal
    assert wsp.remove_article(ws, "khost-wire.txt", gazetteer)
    assert not by_type(ws, "strike")
    assert not wsp.remove_article(ws, "khost-wire.txt", gazetteer)
    assert saved_events(ws) == ws.events


def test_a_correction_moves_the_event_and_clearing_it_moves_it_back(ws, gazetteer):
    (attack,) = [e for e in ws.events if e.place == "Tripoli"]
    assert attack.country == "LY"
    wsp.set_correction(ws, "tripoli.txt", "Tripoli", LEBANON_TRIPOLI, gazetteer)
    (attack,) = [e for e in ws.events if e.place == "Tripoli"]
    assert (attack.country, attack.place_id) == ("LB", LEBANON_TRIPOLI)
    assert round(attack.lat) == 34 and round(attack.lon) == 36
    wsp.clear_correction(ws, "tripoli.txt", "Tripoli", gazetteer)
    (attack,) = [e for e in ws.events if e.place == "Tripoli"]
    assert attack.country == "LY"
    assert ws.corrections == {}


def test_not_a_place_unlocates_the_event(ws, gazetteer):
    wsp.set_correction(ws, "tripoli.txt", "Tripoli", None, gazetteer)
    (attack,) = [e for e in ws.events if e.type == "attack" and e.fatalities == 3]
    assert attack.place is None and attack.lat is None
    (r,) = [r for r in wsp.resolutions(ws, "tripoli.txt", gazetteer) if r.mention == "Tripoli"]
    assert r.corrected and r.place == "not a place"  # still listed, so it can be undone


def test_an_unknown_place_id_is_refused(ws, gazetteer):
    with pytest.raises(GeoError, match="gn:0: no such place id"):
        wsp.set_correction(ws, "tripoli.txt", "Tripoli", "gn:0", gazetteer)
    assert ws.corrections == {}


def test_resolutions_list_each_mention_with_its_candidates(ws, gazetteer):
    found = {r.mention: r for r in wsp.resolutions(ws, "tripoli.txt", gazetteer)}
    r = found["Tripoli"]
    assert r.place_id == "gn:2210247" and not r.corrected
    assert LEBANON_TRIPOLI in dict(r.options)
    assert r.options[0][0] == r.place_id


def test_corrections_download_and_load_again(ws, gazetteer, tmp_path):
    wsp.set_correction(ws, "tripoli.txt", "Tripoli", LEBANON_TRIPOLI, gazetteer)
    text = wsp.corrections_json(ws)
    assert json.loads(text) == {"tripoli.txt": {"Tripoli": LEBANON_TRIPOLI}}
    other = wsp.open_workspace(tmp_path / "other.gpkg", gazetteer, samples=ARTICLES)
    assert wsp.load_corrections(other, text.encode(), gazetteer) == 1
    assert other.events == ws.events


@pytest.mark.parametrize(("raw", "reason"), [
    (b"{not json", "not JSON"),
    (b'["Tripoli"]', "expected {article id"),
    (b'{"tripoli.txt": {"Tripoli": 5}}', "must map to a place id or null"),
    (b'{"tripoli.txt": {"Tripoli": "gn:0"}}', "gn:0 is not a place id"),
])
def test_bad_corrections_are_refused_whole(ws, gazetteer, raw, reason):
    events = list(ws.events)
    with pytest.raises(InputError, match=reason) as err:
        wsp.load_corrections(ws, raw, gazetteer, "fixes.json")
    assert err.value.path == "fixes.json"
    assert ws.events == events and ws.corrections == {}


def test_the_store_survives_a_restart(ws, gazetteer):
    wsp.set_correction(ws, "tripoli.txt", "Tripoli", LEBANON_TRIPOLI, gazetteer)
    wsp.add_text(ws, "Protesters rallied in Lahore on Sunday.", gazetteer, published=date(2024, 9, 2))
    again = wsp.load(ws.path, gazetteer)
    assert again.articles == ws.articles
    assert again.corrections == ws.corrections
    assert again.events == ws.events
    assert again.history == ws.history and [c.action for c in again.history] == [
        "add samples", "correct", "add"]
    assert saved_events(ws) == ws.events  # any GIS sees the same events
    assert gpkg_tables(ws) in (None, {("events", "features"), ("articles", "attributes"),
                                      ("corrections", "attributes"), ("conflictmap_meta", "attributes"),
                                      ("history", "attributes")})


def test_followed_sources_are_kept_with_the_articles(ws, gazetteer):
    feed = wsp.SourceState("https://example.org/rss.xml", etag='"v1"', seen=("https://example.org/a",))
    (outcome,) = wsp.add_articles(ws, [("https://example.org/a", None, "HTTP 404 Not Found")], gazetteer,
                                  sources=[feed])
    assert outcome.message == "https://example.org/a: skipped, HTTP 404 Not Found"
    again = wsp.load(ws.path, gazetteer)
    assert again.sources == {feed.url: feed} and again.articles == ws.articles
    wsp.add_text(again, "Protesters rallied in Lahore on Sunday.", gazetteer, published=date(2024, 9, 2))
    assert wsp.load(ws.path, gazetteer).sources == {feed.url: feed}  # other changes keep them
    assert gpkg_tables(ws) is None or ("sources", "attributes") in gpkg_tables(ws)
    assert wsp.forget_source(again, feed.url, gazetteer) and not wsp.load(ws.path, gazetteer).sources


def test_an_existing_store_is_opened_not_refilled(ws, gazetteer):
    wsp.remove_articles(ws, list(ws.articles), gazetteer)
    again = wsp.open_workspace(ws.path, gazetteer, samples=ARTICLES)
    assert again.articles == {} and again.events == []


def test_refresh_sees_what_another_process_saved(ws, gazetteer):
    other = wsp.load(ws.path, gazetteer)
    wsp.remove_article(other, "tripoli.txt", gazetteer)
    assert wsp.refresh(ws, gazetteer)
    assert "tripoli.txt" not in ws.articles and ws.events == other.events
    assert not wsp.refresh(ws, gazetteer)


def test_a_file_that_is_not_a_store_is_named(tmp_path, gazetteer):
    bad = tmp_path / "store.gpkg"
    bad.write_text("hello")
    with pytest.raises(InputError, match="not a conflict-map store"):
        wsp.open_workspace(bad, gazetteer)


def test_memory_only_workspace(gazetteer):
    ws = wsp.open_workspace(None, gazetteer, samples=ARTICLES)
    assert ws.path is None and len(ws.events) == 7


def test_the_store_is_bounded(ws, gazetteer, monkeypatch):
    monkeypatch.setattr(wsp, "MAX_ARTICLES", 6)
    first, second = wsp.add_files(ws, [("a.txt", STRIKE_IN_LEBANON), ("b.txt", STRIKE_IN_LEBANON)],
                                  gazetteer)
    assert first.ok and not second.ok and "the store is full (6 articles)" in second.error
    assert len(ws.articles) == 6


def test_default_store_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(wsp.STORE_ENV, str(tmp_path / "team.gpkg"))
    assert wsp.default_store() == tmp_path / "team.gpkg"
    monkeypatch.delenv(wsp.STORE_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert wsp.default_store() == tmp_path / "conflict-map" / "store.gpkg"


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_downloads_read_back_to_the_same_events(ws, fmt, tmp_path):
    path = tmp_path / f"view.{fmt}"
    path.write_bytes(wsp.export(ws.events, fmt))
    assert read_events(str(path)) == ws.events


def test_an_unknown_download_format_is_refused(ws):
    with pytest.raises(GeoError, match="unknown download format 'kml'"):
        wsp.export(ws.events, "kml")


def test_a_new_store_can_be_written_in_the_background(store_at, gazetteer):
    ws = wsp.open_workspace(store_at, gazetteer, samples=ARTICLES, background=True)
    wsp.add_text(ws, "Protesters rallied in Lahore on Sunday.", gazetteer, published=date(2024, 9, 2))
    assert wsp.load(ws.path, gazetteer).events == ws.events


# ---------------------------------------------------------------- several processes, crashes, damage

def _python(script: str, *args) -> subprocess.Popen:
    """A real second process running ``script`` with this checkout's geo."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(path: Path, proc: subprocess.Popen) -> None:
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"the child ended early: {proc.stderr.read().decode()}")
        time.sleep(0.01)


ADDER = r"""
import sys, time
from datetime import date, timedelta
from pathlib import Path
from geo import workspace as wsp
from geo.gazetteer import load_gazetteer
store, tag, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
gaz = load_gazetteer()
ws = wsp.open_workspace(store, gaz, samples=None)
Path(f"{go}.{tag}").touch()
while not go.exists():
    time.sleep(0.005)
for n in range(20):
    wsp.add_text(ws, f"Protesters rallied in Lahore on Sunday, the {tag} group said.", gaz,
                 published=date(2024, 1, 1) + timedelta(days=n), name=f"{tag}-{n}.txt")
"""


def test_two_processes_and_the_app_adding_at_once_lose_nothing(store_at, tmp_path, gazetteer, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store = store_at
    wsp.open_workspace(store, gazetteer, samples=None)
    go = tmp_path / "go"
    procs = [_python(ADDER, store, tag, go) for tag in ("a", "b")]
    for tag, proc in zip("ab", procs):
        _wait_for(Path(f"{go}.{tag}"), proc)
    go.touch()  # both start adding together, and the app adds one meanwhile (as tests/test_app.py)
    monkeypatch.setenv(wsp.STORE_ENV, store)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.text_area(key="paste_text").set_value(
        "Gunmen attacked a market in Kandahar on Friday, killing six people.")
    app.date_input(key="paste_date").set_value(date(2024, 7, 6))
    app.button(key="FormSubmitter:paste-Add article").click().run()
    assert not app.exception and [m.value for m in app.success] == ["pasted.txt: 1 article, 1 event"]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    again = wsp.open_workspace(store, gazetteer)
    expected = {f"{tag}-{n}.txt" for tag in "ab" for n in range(20)} | {"pasted.txt"}
    assert len(expected) == 41 and set(again.articles) == expected
    assert set(wsp.event_counts(again)) == expected  # and every article's events are there
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".conflictmap-")] == []


STALLED = r"""
import sys, time
from pathlib import Path
from geo import store, workspace as wsp
from geo.gazetteer import load_gazetteer
path, saving = sys.argv[1], Path(sys.argv[2])
gaz = load_gazetteer()
ws = wsp.open_workspace(path, gaz, samples=None)
real = store.write_events

def stall(events, target, fmt=None):
    real(events, target, fmt)  # the new store half written beside the old one
    saving.touch()
    time.sleep(600)

store.write_events = stall
wsp.add_text(ws, "Protesters rallied in Karachi on Monday.", gaz, name="last.txt")
"""


def test_a_save_killed_half_way_loses_only_that_change(tmp_path, gazetteer):
    store = tmp_path / "store.gpkg"
    ws = wsp.open_workspace(store, gazetteer, samples=None)
    wsp.add_text(ws, "Protesters rallied in Lahore on Sunday.", gazetteer, published=date(2024, 9, 2),
                 name="first.txt")
    saving = tmp_path / "saving"
    proc = _python(STALLED, store, saving)
    _wait_for(saving, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".conflictmap-")]
    assert left, "the child was not killed in the middle of its save"
    again = wsp.open_workspace(store, gazetteer)
    assert list(again.articles) == ["first.txt"] and again.events == ws.events
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".conflictmap-")] == []
    assert wsp.add_text(again, "Protesters rallied in Karachi on Monday.", gazetteer).ok  # not locked


def test_a_damaged_store_is_refused_and_left_alone(tmp_path, gazetteer):
    store = tmp_path / "store.gpkg"
    wsp.open_workspace(store, gazetteer, samples=ARTICLES)
    with open(store, "r+b") as f:
        f.seek(store.stat().st_size // 2)
        f.write(os.urandom(4096))
    before = store.read_bytes()
    with pytest.raises(InputError) as err:
        wsp.open_workspace(store, gazetteer, samples=ARTICLES)
    message = str(err.value)
    assert message.startswith(f"{store}: the store is damaged") and "\n" not in message
    assert "move it aside" in message
    assert store.read_bytes() == before


def test_an_article_that_crashes_extraction_is_refused_alone(ws, gazetteer, monkeypatch, crash_txt_crashes):
    good, bad = wsp.add_files(ws, [("good.txt", STRIKE_IN_LEBANON), ("crash.txt", STRIKE_IN_LEBANON)],
                              gazetteer)
    assert good.ok and good.events == 1
    assert not bad.ok and "RuntimeError: boom" in bad.message and bad.message.startswith("crash.txt:")
    assert "crash.txt" not in ws.articles
    assert "crash.txt" not in wsp.load(ws.path, gazetteer).articles


def test_a_new_process_never_extracts_an_article_again(tmp_path):
    """Reports are kept on the machine (geo.cache): a restart, a cron watch or a new store of
    the same articles reads them instead of extracting."""
    import subprocess
    import sys

    code = ("import geo.workspace as w\n"
            "from geo.gazetteer import load_gazetteer\n"
            "calls = []\n"
            "real = w.extract_reports\n"
            "w.extract_reports = lambda *a, **k: calls.append(1) or real(*a, **k)\n"
            f"ws = w.open_workspace({str(tmp_path / 'store.gpkg')!r}, load_gazetteer(),\n"
            f"                      samples={str(ARTICLES)!r})\n"
            "print(len(calls), len(ws.events))\n")
    env = dict(os.environ, CONFLICTMAP_CACHE=str(tmp_path / "cache"))
    runs = []
    for store in ("first", "second"):  # two new stores, two processes
        script = code.replace("store.gpkg", f"{store}.gpkg")
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                             check=True, cwd=ROOT)
        runs.append(tuple(map(int, out.stdout.split())))
    (first_calls, first_events), (second_calls, second_events) = runs
    assert first_calls == len(wsp.sample_articles(ARTICLES)) > 0 and first_events > 0
    assert (second_calls, second_events) == (0, first_events)


def test_reports_kept_on_disk_come_back_with_every_flag(gazetteer, tmp_path, monkeypatch):
    """A second run reads an article's reports from the machine's cache: they must merge as the
    first run's did (a title line's report, an attack on a post), or the store's events change."""
    from dataclasses import fields

    from geo.cache import keep_reports, load_reports
    from geo.events import extract_reports
    from geo.merge import Report

    monkeypatch.setenv("CONFLICTMAP_CACHE", str(tmp_path))
    (article,) = read_articles([Path(__file__).parent / "data" / "app" / "khost-paper.md"])
    reports = tuple(extract_reports(article, gazetteer))
    assert any(r.titled for r in reports)
    keep_reports("k", reports)
    back = load_reports("k")
    flags = [f.name for f in fields(Report) if f.name != "event"]
    assert [[getattr(r, k) for k in flags] for r in back] == [[getattr(r, k) for k in flags] for r in reports]
