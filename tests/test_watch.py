"""Following sources (geo.watch, ``conflictmap watch``) against a real HTTP server on 127.0.0.1.

The server (tests/localsite.py, the ``site`` fixture) runs in a thread of the test and logs
every request with its headers, so the tests can see what the watch sent (If-None-Match, tries) as well as
what landed in the store (articles, events) and what it printed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from localsite import Route, Site, html

from geo import cli, watch
from geo import workspace as wsp
from geo.articles import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
QUICK = {"timeout": 0.5, "tries": 3, "backoff": 0.01}  # short waits and timeouts for the test polls

QUETTA = html("Date: 2024-03-01", "Gunmen attacked a bus in Quetta on Friday, killing four people.")
KARACHI = html("Date: 2024-03-04", "Protesters rallied in Karachi on Monday against power cuts.")
TYRE = html("Date: 2024-06-01", "Israeli jets struck targets near Tyre in southern Lebanon on Saturday, "
                                "killing two people, officials said.")
HERAT = html("Date: 2024-05-06", "Gunmen attacked a checkpoint in Herat on Monday, killing three soldiers.")
LAHORE = html("Date: 2024-05-07", "Protesters rallied in Lahore on Tuesday against fuel prices.")


@pytest.fixture
def ws(tmp_path, gazetteer):
    return wsp.open_workspace(tmp_path / "store.gpkg", gazetteer, samples=None)


def two_pages(site: Site) -> str:
    """A feed of two entries whose pages tell an attack in Quetta and a protest in Karachi."""
    site.serve("/quetta.html", QUETTA)
    site.serve("/karachi.html", KARACHI)
    return site.feed("/feed.xml", ("/quetta.html", "Bus attacked", "A bus was attacked."),
                     ("/karachi.html", "Rally", "People rallied."), etag='"v1"')


def events_of(ws) -> set[tuple]:
    return {(e.type, e.place, e.date, e.fatalities) for e in ws.events}


QUETTA_ATTACK = ("attack", "Quetta", date(2024, 3, 1), 4)
KARACHI_PROTEST = ("protest", "Karachi", date(2024, 3, 4), None)
TYRE_STRIKE = ("strike", "Tyre", date(2024, 6, 1), 2)


# ---------------------------------------------------------------- a feed, polled twice and more

def test_first_poll_adds_the_pages_and_the_second_only_the_new_entry(site, ws, gazetteer):
    feed = two_pages(site)
    (first,) = watch.poll(ws, [feed], gazetteer, **QUICK)
    assert first.ok and len(first.articles) == 2 and first.events == 2
    assert first.line == f"{feed}: 2 new articles, 2 events"
    assert events_of(ws) == {QUETTA_ATTACK, KARACHI_PROTEST}
    # the pages were read, not the feed's one-line summaries
    assert {a.url for a in ws.articles.values()} == {f"{site.url}/quetta.html", f"{site.url}/karachi.html"}
    assert all("Gunmen" in a.text or "Protesters" in a.text for a in ws.articles.values())
    assert all(h["User-Agent"].startswith("conflict-map/") for _, h in site.requests)

    site.serve("/tyre.html", TYRE)  # the feed changes: a third entry
    site.feed("/feed.xml", ("/tyre.html", "Strike", "Jets struck."), ("/quetta.html", "Bus attacked", "x"),
              ("/karachi.html", "Rally", "y"), etag='"v2"')
    (second,) = watch.poll(ws, [feed], gazetteer, **QUICK)
    assert site.hits("/feed.xml")[1]["If-None-Match"] == '"v1"'  # the server saw the ETag
    assert len(second.articles) == 1 and second.known == 2
    assert second.line == f"{feed}: 1 new article, 1 event (2 already in the store)"
    assert len(site.hits("/quetta.html")) == 1  # known entries' pages are not fetched again
    assert len(ws.articles) == 3 and events_of(ws) == {QUETTA_ATTACK, KARACHI_PROTEST, TYRE_STRIKE}

    (third,) = watch.poll(ws, [feed], gazetteer, **QUICK)  # unchanged: the server answers 304
    assert site.hits("/feed.xml")[2]["If-None-Match"] == '"v2"'
    assert third.not_modified and third.line == f"{feed}: not modified, nothing new"
    assert len(ws.articles) == 3


def test_validators_live_in_the_store_and_survive_a_restart(site, ws, gazetteer):
    feed = two_pages(site)
    watch.poll(ws, [feed], gazetteer, **QUICK)
    again = wsp.open_workspace(ws.path, gazetteer)  # another process, later
    assert again.sources[feed].etag == '"v1"'
    (polled,) = watch.poll(again, [feed], gazetteer, **QUICK)
    assert polled.not_modified and site.hits("/feed.xml")[-1]["If-None-Match"] == '"v1"'
    # and a save by the app (a correction, an upload) keeps the table
    wsp.add_text(again, "Protesters rallied in Lahore on Sunday.", gazetteer, published=date(2024, 9, 2))
    assert wsp.load(ws.path, gazetteer).sources[feed].etag == '"v1"'


def test_last_modified_is_sent_back_as_if_modified_since(site, ws, gazetteer):
    stamp = "Sat, 02 Mar 2024 10:00:00 GMT"

    def route(h):
        if h.headers.get("If-Modified-Since") == stamp:
            h.send_response(304)
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Last-Modified", stamp)
        h.end_headers()
        h.wfile.write(QUETTA)

    site.routes["/page.html"] = route
    page = site.url + "/page.html"
    (first,) = watch.poll(ws, [page], gazetteer, **QUICK)
    assert first.articles and events_of(ws) == {QUETTA_ATTACK}
    (second,) = watch.poll(ws, [page], gazetteer, **QUICK)
    assert second.not_modified and site.hits("/page.html")[1]["If-Modified-Since"] == stamp


def test_a_page_with_no_validators_is_read_again_but_added_once(site, ws, gazetteer):
    site.routes["/live.html"] = lambda h: (h.send_response(200), h.send_header("Content-Type", "text/html"),
                                           h.end_headers(), h.wfile.write(QUETTA))
    page = site.url + "/live.html"
    watch.poll(ws, [page], gazetteer, **QUICK)
    (again,) = watch.poll(ws, [page], gazetteer, **QUICK)
    assert len(site.hits("/live.html")) == 2
    assert again.articles == () and again.known == 1 and len(ws.articles) == 1


def test_the_same_story_at_another_url_is_known_by_its_text(site, ws, gazetteer):
    site.serve("/a.html", QUETTA)
    site.serve("/copy.html", QUETTA)
    (polled,) = watch.poll(ws, [site.feed("/f.xml", ("/a.html", "A", "x"), ("/copy.html", "B", "y"))],
                           gazetteer, **QUICK)
    assert len(polled.articles) == 1 and polled.known == 1


# ---------------------------------------------------------------- sources and pages that fail

def test_failing_sources_each_give_one_line_and_the_rest_land(site, ws, gazetteer, capsys):
    feed = two_pages(site)

    def slow(h):
        time.sleep(3)  # then answers nothing: the watch gave up long ago

    def big(h):  # says nothing of its length and never stops: only the read limit ends it
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        chunk = b"<p>" + b"a" * 65536 + b"</p>"
        for _ in range(MAX_BYTES // 65536 + 2):
            h.wfile.write(chunk)

    def broken(h):
        h.send_error(500, "Internal Server Error")

    site.routes.update({"/slow.html": slow, "/big.html": big, "/broken.xml": broken})
    site.routes["/declared.html"] = lambda h: (h.send_response(200), h.send_header(
        "Content-Length", str(MAX_BYTES + 1)), h.end_headers())
    bad = {f"{site.url}/missing.xml": "HTTP 404 Not Found",
           f"{site.url}/broken.xml": "HTTP 500 Internal Server Error (tried 3 times)",
           f"{site.url}/slow.html": "timed out after 0.5 s (tried 3 times)",
           f"{site.url}/big.html": "is over the limit of 20 MB",
           f"{site.url}/declared.html": f"is {MAX_BYTES + 1:,} bytes; the limit is 20 MB"}
    status = watch.watch(ws.path, [*bad, feed], gazetteer, timeout=0.5, tries=3, backoff=0.01,
                         warn=lambda line: print(f"conflictmap: {line}", file=sys.stderr))
    out, err = capsys.readouterr()
    assert status == 1
    assert err.splitlines() == [f"conflictmap: skipped {url}: {reason}" for url, reason in bad.items()]
    assert out.splitlines() == [f"{feed}: 2 new articles, 2 events"]
    assert len(site.hits("/broken.xml")) == 3  # tried again, then given up
    assert len(site.hits("/missing.xml")) == 1  # a 404 is not tried again
    assert events_of(wsp.load(ws.path, gazetteer)) == {QUETTA_ATTACK, KARACHI_PROTEST}


def test_a_page_that_fails_falls_back_to_the_feeds_summary(site, ws, gazetteer):
    site.serve("/quetta.html", QUETTA)
    feed = site.feed("/feed.xml", ("/quetta.html", "Bus attacked", "x"),
                     ("/gone.html", "Strike", "Israeli jets struck targets near Tyre in southern Lebanon on "
                                              "Saturday, killing two people, officials said.",
                      "Sat, 01 Jun 2024 12:00:00 GMT"))
    site.routes["/gone.html"] = lambda h: h.send_error(404, "Not Found")
    lines: list[str] = []
    watch.watch(ws.path, [feed], gazetteer, **QUICK, say=lines.append, warn=lines.append)
    assert lines == [f"{site.url}/gone.html: HTTP 404 Not Found; used the feed's summary instead",
                     f"{feed}: 2 new articles, 2 events; 1 failed"]
    ws = wsp.load(ws.path, gazetteer)
    assert {e.type for e in ws.events} == {"attack", "strike"}
    (summary,) = [a for a in ws.articles.values() if a.url == f"{site.url}/gone.html"]
    assert summary.text.startswith("Israeli jets struck")


def test_a_feed_that_is_down_loses_nothing(site, ws, gazetteer):
    feed = two_pages(site)
    route = site.routes["/feed.xml"]
    site.routes["/feed.xml"] = lambda h: h.send_error(503, "Service Unavailable")
    (down,) = watch.poll(ws, [feed], gazetteer, **QUICK)
    assert "503" in down.error and ws.articles == {} and feed not in ws.sources
    site.routes["/feed.xml"] = route  # back up: everything comes
    (up,) = watch.poll(ws, [feed], gazetteer, **QUICK)
    assert len(up.articles) == 2


def test_an_entry_that_cannot_land_is_tried_again(site, ws, gazetteer, monkeypatch):
    feed = two_pages(site)
    monkeypatch.setattr(wsp, "MAX_ARTICLES", 1)
    (full,) = watch.poll(ws, [feed], gazetteer, **QUICK)
    assert len(full.articles) == 1 and any("the store is full" in p for p in full.problems)
    assert ws.sources[feed].etag is None  # so the next poll reads the feed again
    monkeypatch.setattr(wsp, "MAX_ARTICLES", 10)
    (again,) = watch.poll(ws, [feed], gazetteer, **QUICK)
    assert len(again.articles) == 1 and again.known == 1 and len(ws.articles) == 2


@pytest.mark.parametrize(("text", "reason"), [("7", "not an interval"), ("0s", "not an interval")])
def test_bad_intervals_are_refused(text, reason):
    with pytest.raises(ValueError, match=reason):
        watch.parse_every(text)
    assert [watch.parse_every(t) for t in ("30s", "15m", "1h", "1.5h")] == [30, 900, 3600, 5400]


def test_a_folder_gives_each_new_file_once(tmp_path, ws, gazetteer):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "quetta.html").write_bytes(QUETTA)
    (folder / "README.md").write_text("notes, not an article")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    (first,) = watch.poll(ws, [str(folder)], gazetteer, **QUICK)
    assert first.articles == ("quetta.html",) and first.ok
    (folder / "karachi.html").write_bytes(KARACHI)
    (folder / "empty.txt").write_bytes(b"")
    (second,) = watch.poll(ws, [str(folder)], gazetteer, **QUICK)
    assert second.articles == ("karachi.html",)
    assert second.problems == [f"{folder / 'empty.txt'}: empty file"]
    (third,) = watch.poll(ws, [str(folder)], gazetteer, **QUICK)  # nothing new, nothing said again
    assert third.articles == () and third.ok
    assert events_of(ws) == {QUETTA_ATTACK, KARACHI_PROTEST}


# ---------------------------------------------------------------- the command, as real processes

def conflictmap(*args: object, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "geo", *map(str, args)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_the_command_polls_once_and_says_what_came(site, tmp_path):
    feed = two_pages(site)
    store = tmp_path / "store.gpkg"
    proc = conflictmap("watch", feed, f"{site.url}/missing.xml", "--store", store, "--once")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert out.splitlines() == [f"{feed}: 2 new articles, 2 events"]
    assert err.splitlines() == [f"conflictmap: skipped {site.url}/missing.xml: HTTP 404 Not Found"]
    proc = conflictmap("watch", feed, "--store", store, "--once", "--quiet")
    assert proc.communicate(timeout=300) == ("", "") and proc.returncode == 0


def test_bad_usage_is_status_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["watch", "http://127.0.0.1:9/feed.xml", "--store", str(tmp_path / "s.gpkg"),
                  "--every", "soon"])
    assert stop.value.code == 2 and "use e.g. 30s, 15m or 1h" in capsys.readouterr().err


def test_a_killed_watch_resumes_without_duplicates(site, tmp_path, gazetteer):
    feed = two_pages(site)
    store = tmp_path / "store.gpkg"
    proc = conflictmap("watch", feed, "--store", store, "--every", "1s")
    try:
        assert proc.stdout.readline().strip() == f"{feed}: 2 new articles, 2 events"
        # Between polls the feed gains an entry whose page hangs: the second poll is killed
        # while it waits for that page, after the feed was read and before anything landed.
        asked = threading.Event()

        def hang(h):
            asked.set()
            time.sleep(30)

        site.routes["/tyre.html"] = hang
        site.feed("/feed.xml", ("/tyre.html", "Strike", "Jets struck."), ("/quetta.html", "Bus", "x"),
                  ("/karachi.html", "Rally", "y"), etag='"v2"')
        assert asked.wait(120), "the watch never asked for the new page"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.communicate()
    assert len(wsp.load(store, gazetteer).articles) == 2
    site.serve("/tyre.html", TYRE)
    again = conflictmap("watch", feed, "--store", store, "--once")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert out.splitlines() == [f"{feed}: 1 new article, 1 event (2 already in the store)"]
    ws = wsp.open_workspace(store, gazetteer)
    assert len(ws.articles) == 3 and len({a.url for a in ws.articles.values()}) == 3
    assert events_of(ws) == {QUETTA_ATTACK, KARACHI_PROTEST, TYRE_STRIKE}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".conflictmap-")] == []


def test_two_watches_on_one_store_both_land(site, tmp_path, gazetteer):
    shared = two_pages(site)  # both follow this feed, and each its own
    site.serve("/herat.html", HERAT)
    site.serve("/lahore.html", LAHORE)
    mine = site.feed("/herat.xml", ("/herat.html", "Checkpoint", "x"))
    yours = site.feed("/lahore.xml", ("/lahore.html", "Rally", "y"))
    both = threading.Barrier(2, timeout=120)  # neither gets a page before both have read a feed

    def gated(path: str, route: Route) -> Route:
        def wait_then(h):
            try:
                both.wait()
            except threading.BrokenBarrierError:
                pass
            route(h)
        return wait_then

    site.routes["/herat.html"] = gated("/herat.html", site.routes["/herat.html"])
    site.routes["/lahore.html"] = gated("/lahore.html", site.routes["/lahore.html"])
    store = tmp_path / "store.gpkg"
    wsp.open_workspace(store, gazetteer, samples=None)
    procs = [conflictmap("watch", mine, shared, "--store", store, "--once"),
             conflictmap("watch", yours, shared, "--store", store, "--once")]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    ws = wsp.open_workspace(store, gazetteer)
    assert sorted(a.url.rsplit("/", 1)[1] for a in ws.articles.values()) == [
        "herat.html", "karachi.html", "lahore.html", "quetta.html"]
    assert {e.place for e in ws.events} == {"Herāt", "Lahore", "Quetta", "Karachi"}
    # one of them added the shared feed's two stories; the other found them in the store
    # (after reading the pages, or before: then the first's ETag got it a 304)
    first, second = sorted((line for out, _ in results for line in out.splitlines()
                            if line.startswith(shared)), key=lambda line: "2 new" not in line)
    assert first == f"{shared}: 2 new articles, 2 events"
    assert second in (f"{shared}: 0 new articles, 0 events (2 already in the store)",
                      f"{shared}: not modified, nothing new")


def test_ctrl_c_ends_a_watch_cleanly(site, tmp_path, gazetteer):
    feed = two_pages(site)
    proc = conflictmap("watch", feed, "--store", tmp_path / "store.gpkg", "--every", "1h")
    try:
        assert proc.stdout.readline().strip() == f"{feed}: 2 new articles, 2 events"
        proc.send_signal(signal.SIGINT)  # while it waits for the next poll
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert err == "conflictmap: watch stopped\n"  # no traceback
    assert len(wsp.load(tmp_path / "store.gpkg", gazetteer).articles) == 2
