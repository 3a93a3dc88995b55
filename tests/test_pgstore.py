"""The team store in PostgreSQL/PostGIS (geo.pgstore), on a real throwaway server (tests/pgserver.py).

The store tests of tests/test_workspace.py and tests/test_history.py run here too (``store_at``);
these are the PostgreSQL-only ones: the exact round trip against a GeoPackage, the tables SQL
and QGIS see, a writer killed in its transaction, and what a user reads when the server or
psycopg is missing.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pgserver import free_port
from test_workspace import _python, _wait_for

from geo import workspace as wsp
from geo.articles import read_articles
from geo.errors import GeoError
from geo.events import events_from_articles
from geo.model import Event, Source
from geo.store import read_events

ARTICLES = Path(__file__).parent / "data" / "app"
# Values a second mapping would get wrong: nothing known, "" beside None, floats that print
# long, a latitude without a longitude (no geometry), huge numbers, SQL in the text.
EDGE = [
    Event(type="other", date=None, date_precision="year"),
    Event(type="strike", date=date(2024, 2, 29), end_date=date(2024, 3, 2), date_precision="week",
          actors=["Robert'); DROP TABLE articles; --"], targets=["الحرس الثوري"], place="", country="YE",
          admin1="", lat=0.1 + 0.2, lon=-179.99999999999997, geo_precision="point", fatalities=0,
          summary="a \"quoted\" 'summary'\nwith lines; DELETE FROM events; $$ \\x00",
          sources=[Source("x.txt", "s", 0, 1, rule="strike/air"), Source("y.txt", "", 2**40, 2**40 + 1)],
          id="edge"),
    Event(type="statement", date=date(1999, 12, 31), lat=12.5, fatalities=2**62, id="lat-only"),
]


def test_events_round_trip_exactly_between_postgis_and_a_geopackage(postgis_url, tmp_path, gazetteer):
    events = events_from_articles(read_articles([wsp.SAMPLES]), gazetteer) + EDGE
    assert len(events) > 20
    for store in (postgis_url, tmp_path / "store.gpkg"):
        ws = wsp.Workspace(store)
        ws.events = events
        wsp.save(ws)
    from_postgis = wsp.load(postgis_url, gazetteer).events
    from_gpkg = wsp.load(tmp_path / "store.gpkg", gazetteer).events
    assert from_postgis == from_gpkg == read_events(str(tmp_path / "store.gpkg")) == events
    assert [type(e.date) for e in from_postgis] == [type(e.date) for e in events]  # dates, not datetimes


def test_the_tables_sql_and_qgis_see(postgis_url, gazetteer):
    import psycopg

    ws = wsp.open_workspace(postgis_url, gazetteer, samples=ARTICLES)
    wsp.remove_article(ws, "tripoli.txt", gazetteer, by="chen")
    near_khost = [e for e in ws.events if e.lat is not None and e.lon is not None
                  and 69 <= e.lon <= 71 and 33 <= e.lat <= 34]
    assert near_khost
    with psycopg.connect(postgis_url) as con:
        column = con.execute("SELECT f_geometry_column, srid, type FROM geometry_columns "
                             "WHERE f_table_schema = current_schema() AND f_table_name = 'events'").fetchall()
        found = con.execute("SELECT id FROM events WHERE geom && ST_MakeEnvelope(69, 33, 71, 34, 4326) "
                            "ORDER BY fid").fetchall()
        history = con.execute("SELECT changed_by, action, article_ids FROM history "
                              "WHERE action = 'remove'").fetchall()
        kept = con.execute("SELECT article_id, removed_by, text FROM removed").fetchall()
        meta = dict(con.execute("SELECT key, value FROM conflictmap_meta").fetchall())
    assert column == [("geom", 4326, "GEOMETRY")]
    assert [i for (i,) in found] == [e.id for e in near_khost]
    assert history == [("chen", "remove", ["tripoli.txt"])]
    assert kept == [("tripoli.txt", "chen", (ARTICLES / "tripoli.txt").read_text(encoding="utf-8"))]
    assert meta["schema"] == "1" and len(meta["generation"]) == 32


STALLED = r"""
import sys, time
from pathlib import Path
from geo import pgstore, workspace as wsp
from geo.gazetteer import load_gazetteer
url, saving = sys.argv[1], Path(sys.argv[2])
gaz = load_gazetteer()
ws = wsp.open_workspace(url, gaz, samples=None)
real = pgstore._write_events

def stall(con, events):
    real(con, events)  # articles, history and events written, the transaction still open
    saving.touch()
    time.sleep(600)

pgstore._write_events = stall
wsp.add_text(ws, "Protesters rallied in Karachi on Monday.", gaz, name="last.txt")
"""


def test_a_writer_killed_in_its_transaction_loses_only_its_change(postgis_url, tmp_path, gazetteer):
    ws = wsp.open_workspace(postgis_url, gazetteer, samples=None)
    wsp.add_text(ws, "Protesters rallied in Lahore on Sunday.", gazetteer, published=date(2024, 9, 2),
                 name="first.txt")
    saving = tmp_path / "saving"
    proc = _python(STALLED, postgis_url, saving)
    _wait_for(saving, proc)
    assert list(wsp.load(postgis_url, gazetteer).articles) == ["first.txt"]  # no half save is seen
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    again = wsp.open_workspace(postgis_url, gazetteer)  # its lock went with its connection
    assert list(again.articles) == ["first.txt"] and again.events == ws.events
    assert [c.action for c in again.history] == ["add"]
    assert wsp.add_text(again, "Protesters rallied in Karachi on Monday.", gazetteer).ok


def test_a_change_the_database_refuses_is_not_recorded(postgis_url, gazetteer):
    import psycopg

    ws = wsp.open_workspace(postgis_url, gazetteer, samples=ARTICLES)
    with psycopg.connect(postgis_url, autocommit=True) as con:
        con.execute("ALTER TABLE history ADD CONSTRAINT no_chen CHECK (changed_by <> 'chen')")
        with pytest.raises(GeoError, match=r"the PostgreSQL store failed \(new row .* violates check"):
            wsp.remove_article(ws, "tripoli.txt", gazetteer, by="chen")
        con.execute("ALTER TABLE history DROP CONSTRAINT no_chen")
    assert [c.action for c in wsp.read_history(postgis_url)] == ["add samples"]
    assert "tripoli.txt" in wsp.load(postgis_url, gazetteer).articles
    wsp.set_correction(ws, "talks.json", "Islamabad", None, gazetteer, by="dina")
    assert "tripoli.txt" in ws.articles  # the failed change was dropped when catching up
    assert [c.by for c in wsp.read_history(postgis_url)] == ["dina", "local"]


def test_a_user_who_may_not_make_the_tables_is_told_what_to_do(pg_server, gazetteer):
    import psycopg

    with psycopg.connect(pg_server.url(), autocommit=True) as con:
        con.execute("CREATE ROLE visitor LOGIN")
        con.execute("CREATE SCHEMA not_theirs")
    url = pg_server.url().replace("postgres@", "visitor@") + "?options=-csearch_path%3Dnot_theirs,public"
    with pytest.raises(GeoError) as err:
        wsp.open_workspace(url, gazetteer, samples=None)
    assert str(err.value).startswith(f"{wsp.store_name(url)}: cannot make the store's tables "
                                     "(permission denied for schema ")
    assert "CREATE EXTENSION postgis" in str(err.value) and "\n" not in str(err.value)


def test_an_unreachable_server_is_one_line_without_the_password(gazetteer):
    pytest.importorskip("psycopg")
    url = f"postgresql://ana:s3cret@127.0.0.1:{free_port()}/team?password=s3cret"
    with pytest.raises(GeoError) as err:
        wsp.open_workspace(url, gazetteer)
    message = str(err.value)
    assert message.startswith(f"postgresql://ana:***@127.0.0.1:{url.split(':')[3].split('/')[0]}/team"
                              "?password=***: cannot reach the PostgreSQL store (")
    assert "check that the server runs" in message and "s3cret" not in message and "\n" not in message
    run = subprocess.run([sys.executable, "-m", "geo", "history", "--store", url], capture_output=True,
                         text=True, cwd=Path(__file__).parents[1])
    assert run.returncode == 2 and run.stdout == "" and "s3cret" not in run.stderr
    assert run.stderr.count("\n") == 1 and "cannot reach the PostgreSQL store" in run.stderr


def test_without_psycopg_the_user_is_told_what_to_install():
    code = ("import sys; sys.modules['psycopg'] = None  # as if the postgis extra were not installed\n"
            "from geo.cli import main\n"
            "sys.exit(main(['history', '--store', 'postgresql://ana:pw@db.example/team']))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parents[1])
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == ('conflictmap: postgresql://ana:***@db.example/team: a PostgreSQL store needs '
                          'psycopg; pip install "conflict-map[postgis]"\n')
