"""The team store in PostgreSQL/PostGIS: ``CONFLICTMAP_STORE=postgresql://user@host/db``.

Why: a GeoPackage is one file on one machine; several app servers behind one URL, and the
command line on other machines, need one store they all reach. The workspace's model stays
(geo.workspace: catch up, apply, derive, save), and this module is the other side of its
seam: what the GeoPackage does with a file, done with a database.

* The lock is a session advisory lock (one key per schema), held from catch-up to save on
  one connection; a killed process's connection closes and its lock goes with it.
* A save replaces every table's rows in ONE transaction (inputs, history, events, the
  generation in ``conflictmap_meta``), so a reader never sees half a save and a writer
  killed half-way loses only its own change. Reads run in one REPEATABLE READ snapshot.
* The tables are the GeoPackage's (the rows come from geo.workspace, the events from
  ``geo.store.event_row``), with ``date`` and ``jsonb`` columns; ``events.geom`` is a
  ``geometry(Geometry, 4326)`` made from ``lon``/``lat``, so QGIS or SQL reads the events.
* The schema is made on first open (``CREATE EXTENSION IF NOT EXISTS postgis`` too) in the
  connection's current schema: ``?options=-csearch_path%3Dteam,public`` picks another.

Every value goes in as a query parameter (article text is hostile data). psycopg is an
extra (``pip install "conflict-map[postgis]"``), imported only when such a store is opened.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import GeoError, InputError
from .model import Event
from .store import FRAME_COLUMNS, event_from_row, event_row

SCHEMES = ("postgresql://", "postgres://")
SCHEMA = 1
TABLES = ("conflictmap_meta", "articles", "corrections", "sources", "history", "removed", "events")
_CREATE = """
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE IF NOT EXISTS conflictmap_meta (key text PRIMARY KEY, value text);
CREATE TABLE IF NOT EXISTS articles (fid integer PRIMARY KEY, article_id text NOT NULL UNIQUE,
    title text, text text NOT NULL, published date, date_source text, url text, path text);
CREATE TABLE IF NOT EXISTS corrections (fid integer PRIMARY KEY, article_id text NOT NULL,
    mention text NOT NULL, place_id text);
CREATE TABLE IF NOT EXISTS sources (fid integer PRIMARY KEY, url text NOT NULL UNIQUE, etag text,
    last_modified text, seen jsonb, checked text, result text, saved boolean NOT NULL DEFAULT false);
CREATE TABLE IF NOT EXISTS history (fid integer PRIMARY KEY, changed_at text NOT NULL,
    changed_by text NOT NULL, action text NOT NULL, article_ids jsonb, mention text, old_place text,
    new_place text, detail text);
CREATE TABLE IF NOT EXISTS removed (fid integer PRIMARY KEY, article_id text NOT NULL, title text,
    text text NOT NULL, published date, date_source text, url text, path text, corrections jsonb,
    removed_at text, removed_by text);
CREATE TABLE IF NOT EXISTS events (fid integer PRIMARY KEY, id text, type text NOT NULL,
    category text, date date, end_date date, date_precision text, actors jsonb, targets jsonb,
    place text, place_id text, place_kind text, country text, admin1 text,
    lat double precision, lon double precision, geo_precision text, fatalities bigint,
    summary text, sources jsonb, num_sources integer,
    geom geometry(Geometry, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED);
CREATE INDEX IF NOT EXISTS events_geom ON events USING gist (geom);
"""
_LOCK = "SELECT pg_advisory_lock(hashtextextended('conflictmap:' || current_schema(), 0))"


def is_url(store: object) -> bool:
    return isinstance(store, str) and store.startswith(SCHEMES)


def shown_url(url: str) -> str:
    """The URL without its password (in the user part or as ?password=), for messages and pages."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}:***@{host}"
    query = urlencode([(k, "***" if k == "password" else v) for k, v in parse_qsl(parts.query)], safe="*,=")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _psycopg(url: str):
    try:
        import psycopg
    except ImportError:
        raise GeoError(f'{shown_url(url)}: a PostgreSQL store needs psycopg; '
                       f'pip install "conflict-map[postgis]"') from None
    return psycopg


@contextmanager
def connection(url: str) -> Iterator[Any]:
    """A connection in autocommit mode; psycopg's errors become one line naming the store."""
    psycopg = _psycopg(url)
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as con:
            yield con
    except psycopg.OperationalError as e:
        raise GeoError(f"{shown_url(url)}: cannot reach the PostgreSQL store ({_line(e)}); check that "
                       "the server runs and the URL, user and password are right") from None
    except psycopg.Error as e:
        raise GeoError(f"{shown_url(url)}: the PostgreSQL store failed ({_line(e)})") from None


def _line(error: Exception) -> str:
    """The server's own message, without the statement it quotes (article text, say)."""
    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    return " ".join(str(primary or error).split())[:200] or type(error).__name__


@contextmanager
def locked(url: str) -> Iterator[Any]:
    """A connection holding the store's lock, the schema made when missing; closing releases it."""
    with connection(url) as con:
        con.execute(_LOCK)
        if generation(con) is None:
            try:
                con.execute(_CREATE)
            except _psycopg(url).Error as e:
                raise GeoError(f"{shown_url(url)}: cannot make the store's tables ({_line(e)}); the server "
                               "needs PostGIS (Debian: postgresql-15-postgis-3) and this user the right to "
                               "create tables, or the database's owner to run CREATE EXTENSION postgis"
                               ) from None
        yield con


def generation(con) -> str | None:
    """The generation of the last save; None when there is no store in this schema yet."""
    if con.execute("SELECT to_regclass('conflictmap_meta')").fetchone()[0] is None:
        return None
    row = con.execute("SELECT value FROM conflictmap_meta WHERE key = 'generation'").fetchone()
    return row[0] if row else None


def save(con, tables: Mapping[str, tuple[Sequence[str], list[tuple]]], events: Iterable[Event],
         generation: str) -> None:
    """Replace the whole store in one transaction: ``tables`` maps a table to (columns, rows)."""
    with con.transaction():
        for table in TABLES:
            con.execute(f"DELETE FROM {table}")
        for table, (columns, rows) in tables.items():
            _insert(con, table, ("fid", *columns), [(n, *row) for n, row in enumerate(rows, 1)])
        _write_events(con, events)
        _insert(con, "conflictmap_meta", ("key", "value"),
                [("schema", str(SCHEMA)), ("generation", generation)])


def _write_events(con, events: Iterable[Event]) -> None:
    rows = [(n, *map(event_row(e).get, FRAME_COLUMNS)) for n, e in enumerate(events, 1)]
    _insert(con, "events", ("fid", *FRAME_COLUMNS), rows)


def _insert(con, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if rows:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        con.cursor().executemany(sql, rows)


@contextmanager
def snapshot(con) -> Iterator[Any]:
    """One consistent view of the store for several reads, even while another process saves."""
    with con.transaction():
        con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield con


def rows(con, table: str, columns: Sequence[str], *, newest_first: bool = False,
         limit: int | None = None) -> list[tuple]:
    order = "DESC" if newest_first else ""
    return con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY fid {order} LIMIT %s",
                       (limit,)).fetchall()


def read_events(con, url: str) -> list[Event]:
    """The events table, exactly the events saved (geo.store's own record mapping)."""
    found = rows(con, "events", FRAME_COLUMNS)
    return [event_from_row(dict(zip(FRAME_COLUMNS, row)), shown_url(url), n)
            for n, row in enumerate(found, 1)]


def no_store(url: str) -> InputError:
    return InputError(shown_url(url), "no conflict-map store in this database (or schema)")


__all__ = ["SCHEMES", "connection", "generation", "is_url", "locked", "no_store", "read_events", "rows",
           "save", "shown_url", "snapshot"]
