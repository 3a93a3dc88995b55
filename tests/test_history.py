"""The store's record of its changes (geo.workspace history), read back by another process.

Each change is made through the library with its own acting user; ``conflictmap history``
then reads the store in a new process, so what is checked is what the store holds. The
tests run on a GeoPackage and on PostgreSQL (``store_at``), but for those about the file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_workspace import saved_events

from geo import watch
from geo import workspace as wsp
from geo.errors import GeoError

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = Path(__file__).parent / "data" / "app"
LY, LB = "Tripoli (city, LY) gn:2210247", "Tripoli (city, LB) gn:266826"
QUETTA = b"Date: 2024-03-01\n\nGunmen attacked a bus in Quetta on Friday, killing four people.\n"
WHEN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00  ")


def conflictmap(*args: object) -> subprocess.CompletedProcess[str]:
    """``python -m geo`` in a new process, with this checkout's geo."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", timeout=300, cwd=ROOT, env=env)


def history_lines(store: Path, *options: object) -> list[str]:
    """``conflictmap history`` of ``store``, each line without its time (checked here)."""
    run = conflictmap("history", "--store", store, *options)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert all(WHEN.match(line) for line in lines), lines
    return [WHEN.sub("", line) for line in lines]


@pytest.fixture
def store(store_at, gazetteer):
    return wsp.open_workspace(store_at, gazetteer, samples=ARTICLES)


@pytest.fixture
def gpkg_store(tmp_path, gazetteer):
    return wsp.open_workspace(tmp_path / "store.gpkg", gazetteer, samples=ARTICLES)


def test_every_kind_of_change_is_recorded_with_who_made_it(store, gazetteer, tmp_path):
    ws = store
    (added,) = wsp.add_files(ws, [("quetta.txt", QUETTA)], gazetteer, by="ana")
    (again,) = wsp.add_files(ws, [("quetta.txt", QUETTA)], gazetteer, by="ben")
    assert added.ok and again.replaced == ("quetta.txt",)
    wsp.set_correction(ws, "tripoli.txt", "Tripoli", "gn:266826", gazetteer, by="dina")
    wsp.clear_correction(ws, "tripoli.txt", "Tripoli", gazetteer, by="eli")
    assert wsp.load_corrections(ws, b'{"tripoli.txt": {"Tripoli": null}}', gazetteer, "fixes.json",
                                by="fay") == 1
    khost = [e for e in ws.events if any(s.article == "khost-paper.md" for s in e.sources)]
    assert wsp.remove_articles(ws, ["khost-paper.md", "talks.json"], gazetteer, by="chen") == [
        "khost-paper.md", "talks.json"]
    sample = wsp.add_samples(ws, gazetteer, ARTICLES, by="gus")
    assert sample.ok and "talks.json" in sample.articles
    wsp.rederive(ws, gazetteer, by="hana")
    derived = f"{len(ws.articles)} articles, {len(ws.events)} events before, {len(ws.events)} now"
    watch.follow(ws, "https://example.org/rss.xml", gazetteer, by="ida")
    wsp.remove_articles(ws, ["khost-paper.md"], gazetteer, by="jo")

    assert history_lines(ws.path) == [
        "jo  remove  khost-paper.md",
        "ida  follow  (https://example.org/rss.xml)",
        f"hana  derive again  ({derived})",
        "gus  add samples  khost-paper.md, khost-wire.txt, red-sea.html, talks.json, tripoli.txt  (app)",
        "chen  remove  khost-paper.md, talks.json",
        "fay  load corrections  tripoli.txt  (1 correction from fixes.json)",
        f'eli  clear correction  tripoli.txt  "Tripoli": {LB} -> {LY}',
        f'dina  correct  tripoli.txt  "Tripoli": {LY} -> {LB}',
        "ben  replace  quetta.txt  (quetta.txt)",
        "ana  add  quetta.txt  (quetta.txt)",
        "local  add samples  khost-paper.md, khost-wire.txt, red-sea.html, talks.json, tripoli.txt  "
        "(a new store, app)",
    ]
    assert history_lines(ws.path, "--limit", 2) == ["jo  remove  khost-paper.md",
                                                     "ida  follow  (https://example.org/rss.xml)"]

    # The removed article comes back from the store's record, its events found again.
    assert not any(s.article == "khost-paper.md" for e in saved_events(ws) for s in e.sources)
    run = conflictmap("restore", "khost-paper.md", "--store", ws.path, "--by", "kim")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "khost-paper.md: restored, 2 events\n"
    back = [e for e in saved_events(ws) if any(s.article == "khost-paper.md" for s in e.sources)]
    assert [(e.type, e.place, e.num_sources) for e in back] == [
        (e.type, e.place, e.num_sources) for e in khost]
    (line, *_) = history_lines(ws.path)
    assert re.fullmatch(r"kim  restore  khost-paper\.md  \(removed \S+ by jo\)", line), line
    assert wsp.refresh(ws, gazetteer) and "khost-paper.md" in ws.articles


def test_restore_brings_back_the_corrections_too(store, gazetteer):
    ws = store
    wsp.set_correction(ws, "tripoli.txt", "Tripoli", "gn:266826", gazetteer, by="dina")
    wsp.remove_article(ws, "tripoli.txt", gazetteer, by="chen")
    assert "LB" not in {e.country for e in ws.events}
    outcome = wsp.restore(ws, "tripoli.txt", gazetteer, by="kim")
    assert outcome.ok and outcome.articles == ("tripoli.txt",)
    assert ws.corrections == {"tripoli.txt": {"Tripoli": "gn:266826"}}
    assert "LB" in {e.country for e in ws.events}
    assert wsp.removed_articles(ws) == []


def test_what_cannot_be_restored_is_said_in_one_line(store, gazetteer, tmp_path):
    run = conflictmap("restore", "never-here.txt", "--store", store.path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == ("conflictmap: never-here.txt: no removed article of that id in the store's "
                          "history (see conflictmap history)\n")
    with pytest.raises(GeoError, match="the store holds this article now"):
        wsp.restore(store, "tripoli.txt", gazetteer)
    missing = conflictmap("restore", "x.txt", "--store", tmp_path / "none.gpkg")
    assert missing.returncode == 2 and "none.gpkg: no store here" in missing.stderr
    assert not (tmp_path / "none.gpkg").exists()  # no store is made to restore into


def test_hostile_names_and_mentions_print_as_one_escaped_line_each(store, gazetteer):
    name = "eve\x1b[2J\rroot  remove  everything"
    (added,) = wsp.add_files(store, [("a\nb.txt", QUETTA)], gazetteer, by=name)
    assert wsp.remove_articles(store, added.articles, gazetteer, by="ok\u202egnp.exe") == ["a\\nb.txt"]
    lines = history_lines(store.path)
    assert lines[:2] == ["ok\\u202egnp.exe  remove  a\\nb.txt",
                         "eve\\x1b[2J root remove everything  add  a\\nb.txt  (a\\nb.txt)"]
    assert len(lines) == 3  # nothing forged a line of its own, nor the two spaces between fields


def test_a_change_that_is_not_saved_is_not_recorded(gpkg_store, gazetteer, monkeypatch):
    import geo.store

    store = gpkg_store
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(geo.store, "write_file", full_disk)
    with pytest.raises(GeoError, match="cannot save the store"):
        wsp.remove_article(store, "tripoli.txt", gazetteer, by="chen")
    monkeypatch.undo()
    assert [c.action for c in wsp.read_history(store.path)] == ["add samples"]
    wsp.set_correction(store, "talks.json", "Islamabad", None, gazetteer, by="dina")
    assert [(c.by, c.action) for c in wsp.read_history(store.path)] == [("dina", "correct"),
                                                                        ("local", "add samples")]
    assert "tripoli.txt" in store.articles  # the failed change was dropped with its record


def test_the_tables_a_gis_sees(gpkg_store, gazetteer):
    import sqlite3

    store = gpkg_store
    wsp.remove_article(store, "tripoli.txt", gazetteer, by="chen")
    with sqlite3.connect(store.path) as con:
        (row,) = con.execute("SELECT changed_by, action, article_ids FROM history WHERE action = 'remove'")
        kept = con.execute("SELECT article_id, removed_by, text FROM removed").fetchall()
    assert row == ("chen", "remove", json.dumps(["tripoli.txt"]))
    assert [(a, b) for a, b, _ in kept] == [("tripoli.txt", "chen")]
    assert kept[0][2] == (ARTICLES / "tripoli.txt").read_text(encoding="utf-8")


def test_a_watch_records_what_it_adds_as_watch(tmp_path, gazetteer):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "quetta.txt").write_bytes(QUETTA)
    store = tmp_path / "team.gpkg"
    run = conflictmap("watch", inbox, "--store", store, "--once", "--quiet")
    assert run.returncode == 0, run.stderr
    assert history_lines(store) == [f"watch  add  quetta.txt  ({inbox / 'quetta.txt'})"]
