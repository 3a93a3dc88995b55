"""A team's working set: articles, place corrections and the events they yield, kept in one file.

Why a module of its own: the app must survive restarts, be shared by everyone who opens it
and stay consistent when articles come and go, and none of that should live in ``app.py``.
The rule that keeps it consistent is that events are never edited, only derived::

    events = merge_reports(extract_reports(article, gaz, corrections[article]) for each article)

so removing an article (its events vanish, merged events lose that source) or changing a
correction (the event moves) is "change the inputs, derive again". Extraction is cached per
article content and corrections, so deriving again only pays for what changed.

The store is a GeoPackage (default :func:`default_store`, or ``$CONFLICTMAP_STORE``): the
``events`` layer is the derived events exactly as ``geo.store`` writes them (any GIS, or
``geo.store.read_events``, opens it), and two attribute tables hold the inputs, ``articles``
(text and metadata) and ``corrections``. Every save writes a new file beside it and moves
it over the old one, so a crash never leaves half a store.

Every change is recorded in the store too, in the same locked change: the ``history`` table
(when, who, what: :class:`Change`), and a removed article's text, metadata and corrections in
``removed``, so :func:`restore` can bring it back. Each change function takes the acting user
as ``by`` ("local" unless said otherwise: the app passes the editor's name, a watch "watch").

Several processes (server workers, scripts) may change one store at once. Each change holds
a lock file beside the store (``<store>.lock``, ``flock`` on Linux and macOS, ``msvcrt`` on
Windows) from re-reading the store to writing it, so what another process saved in between
is kept: catch up, apply the change, derive, save. Opening checks the file
(``PRAGMA quick_check``) and refuses a damaged one without touching it.

A team whose app servers stand behind one URL, or whose command line runs on other machines,
cannot share one file: ``$CONFLICTMAP_STORE=postgresql://...`` keeps the same tables in
PostgreSQL/PostGIS (geo.pgstore). Only the store's seam differs (``store_exists``, ``load``,
``save``, ``_generation_of``, ``_locked``): an advisory lock instead of the lock file, one
transaction instead of a file moved into place. Everything above it is the same.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path

from geo import pgstore
from geo.articles import EXTENSIONS, MAX_BYTES, Article, parse_article, read_articles
from geo.cache import code_version, data_version, keep_reports, load_reports
from geo.errors import GeoError, InputError, shown
from geo.events import extract_reports
from geo.gazetteer import Gazetteer
from geo.merge import Report, merge_reports
from geo.model import Event
from geo.places import Mention, find_places
from geo.roles import default_parser

STORE_ENV = "CONFLICTMAP_STORE"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
# Bounds that keep one server's memory in check (the upload size itself is bounded by
# .streamlit/config.toml and by geo.articles.MAX_BYTES per file).
MAX_ARTICLES = 5000
MAX_TEXT_CHARS = 200_000_000
EXPORT_FORMATS = ("html", "geojson", "csv", "gpkg")
# What the store keeps of its past: the newest changes, and the newest removed articles
# (at most as many, and as much text, as the store itself may hold).
MAX_HISTORY = 20_000
LOCAL = "local"  # who acts when nobody is named: a laptop, a script
_SCHEMA = 1
_VERSIONS = itertools.count(1)


@dataclass(frozen=True)
class Outcome:
    """What became of one input: the articles it added and their events, or why it was skipped."""

    name: str
    articles: tuple[str, ...] = ()
    events: int = 0
    error: str | None = None
    replaced: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def message(self) -> str:
        """One line for the person who gave the file."""
        if self.error is not None:
            return f"{self.name}: skipped, {self.error}"
        if not self.articles:
            return self.name
        n = len(self.articles)
        what = f"{n} articles" if n != 1 else "1 article"
        again = " (replacing the earlier copy)" if self.replaced else ""
        return f"{self.name}: {what}, {self.events} event{'s' if self.events != 1 else ''}{again}"


@dataclass(frozen=True)
class SourceState:
    """What the store remembers of one followed source (a feed, a page or a folder; geo.watch).

    ``etag`` / ``last_modified``: the validators of its last answer, sent back as
    If-None-Match / If-Modified-Since; ``seen``: the entry links (feeds) or file stamps
    (folders) already handled, newest last; ``checked`` and ``result``: when it was last
    polled (ISO 8601, UTC) and that poll's line; ``saved``: followed from the app.
    """

    url: str
    etag: str | None = None
    last_modified: str | None = None
    seen: tuple[str, ...] = ()
    checked: str | None = None
    result: str | None = None
    saved: bool = False


@dataclass(frozen=True)
class Change:
    """One change of the store, as its ``history`` table keeps it.

    ``when``: ISO 8601 time in UTC; ``by``: who made it (an editor's name, "local", "watch");
    ``action``: "add", "replace", "remove", "restore", "correct", "clear correction",
    "load corrections", "add samples", "derive again", "follow" or "unfollow"; ``articles``:
    the article ids it touched; for a correction, the ``mention`` and where it was put
    before (``old``) and after (``new``); ``detail``: the file, feed or count it came from.
    """

    when: str
    by: str
    action: str
    articles: tuple[str, ...] = ()
    mention: str | None = None
    old: str | None = None
    new: str | None = None
    detail: str = ""

    @property
    def line(self) -> str:
        """The change in one line (not escaped: the CLI escapes what it prints, the app shows text)."""
        parts = [self.when, self.by, self.action]
        if self.articles:
            ids = list(self.articles[:10]) + ([f"and {len(self.articles) - 10} more"]
                                              if len(self.articles) > 10 else [])
            parts.append(", ".join(ids))
        if self.mention is not None:
            parts.append(f'"{self.mention}": {self.old or "?"} -> {self.new or "?"}')
        if self.detail:
            parts.append(f"({self.detail})")
        return "  ".join(parts)


@dataclass(frozen=True)
class Removed:
    """A removed article as the store keeps it for :func:`restore`: the article, its
    corrections, and when and by whom it was removed."""

    article: Article
    corrections: Mapping[str, str | None]
    when: str
    by: str


@dataclass
class Workspace:
    """Articles and corrections (the inputs) and their events (derived); ``path`` None: memory only.

    ``sources`` is what watching feeds remembers (geo.watch); it takes no part in the events,
    nor do ``history`` (every change, :class:`Change`) and ``removed`` (articles to restore).
    """

    path: Path | str | None  # str: a PostgreSQL URL (geo.pgstore)
    articles: dict[str, Article] = field(default_factory=dict)
    corrections: dict[str, dict[str, str | None]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    sources: dict[str, SourceState] = field(default_factory=dict)
    history: list[Change] = field(default_factory=list)  # oldest first
    removed: list[Removed] = field(default_factory=list)  # oldest first
    version: int = 0  # new on every change, unique in the process: a cache key for views
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    _stamp: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    # Written with every save: tells whether the file still holds what we last read or wrote.
    _generation: str | None = field(default=None, repr=False, compare=False)
    _held: object = field(default=None, repr=False, compare=False)  # the lock file or connection


# ---------------------------------------------------------------- where the store lives

def default_store() -> Path | str:
    """``$CONFLICTMAP_STORE`` (a file, or a postgresql:// URL: a team's database), else
    conflict-map/store.gpkg in the user's data folder."""
    if os.environ.get(STORE_ENV):
        store = os.environ[STORE_ENV]
        return store if is_url(store) else Path(store).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "conflict-map" / "store.gpkg"


def open_workspace(path: str | os.PathLike[str] | None, gaz: Gazetteer, *,
                   samples: str | os.PathLike[str] | None = SAMPLES,
                   background: bool = False, by: str = LOCAL) -> Workspace:
    """The store at ``path``; a new one holds the sample articles (when there are any).

    ``path``: a GeoPackage file, or a postgresql:// URL (geo.pgstore); None keeps everything
    in memory (nothing is saved). ``background``: a new store is first saved by a thread, so
    a server can show the first page sooner. ``by``: who a new store's samples are recorded
    as added by.
    """
    ws = Workspace(path if path is None or is_url(path) else Path(path))
    if ws.path is not None and _exists(ws.path):
        with _locked(ws):
            if not is_url(ws.path):
                _clean_temps(ws.path)
            _catch_up(ws, gaz)
        return ws
    if samples is not None:
        articles = sample_articles(samples)
        _add(ws, articles)
        _derive(ws, gaz)
        if articles:
            _record(ws, "add samples", by, [a.id for a in articles],
                    detail=f"a new store, {Path(samples).name}")
    if ws.path is None:
        return ws
    if background:
        threading.Thread(target=_first_save, args=(ws, gaz), name="conflictmap-first-save",
                         daemon=True).start()
    else:
        _first_save(ws, gaz)
    return ws


def add_samples(ws: Workspace, gaz: Gazetteer, folder: str | os.PathLike[str] = SAMPLES, *,
                by: str = LOCAL) -> Outcome:
    """Add (or restore) the sample articles, e.g. after a team cleared its store."""
    articles = sample_articles(folder)
    if not articles:
        return Outcome(Path(folder).name, error="no sample articles in this folder")
    return _commit(ws, [(Path(folder).name, articles, None)], gaz, by=by, action="add samples")[0]


def _first_save(ws: Workspace, gaz: Gazetteer) -> None:
    """Save a new store, unless another process made it first: then theirs is the store."""
    with _locked(ws):
        if _exists(ws.path, ws._held):
            _catch_up(ws, gaz)
        else:
            save(ws)


def sample_articles(folder: str | os.PathLike[str]) -> list[Article]:
    """The articles in a samples folder, leaving out its README and any unreadable file."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS
                   and not p.name.startswith((".", "README")))
    return list(read_articles(files, errors=[]))


# ---------------------------------------------------------------- changing the inputs

def add_files(ws: Workspace, files: Iterable[tuple[str, bytes]], gaz: Gazetteer, *,
              published: date | None = None,
              progress: Callable[[int, int, str], None] | None = None, by: str = LOCAL) -> list[Outcome]:
    """Read each (name, bytes) as articles and add them; one Outcome per file, in order.

    A file that cannot be read is skipped with its reason and changes nothing. An article
    with the id of one already held replaces it (the same file given again, or a new copy).
    ``progress(done, total, article id)`` is called as each article's events are found.
    """
    parsed: list[tuple[str, list[Article] | None, str | None]] = []
    for name, raw in files:
        try:
            parsed.append((name, parse_article(raw, name, published=published), None))
        except InputError as e:
            parsed.append((name, None, e.reason))
        except Exception as e:  # an unknown bug must cost this file only, not the batch
            parsed.append((name, None, _bug(e)))
    return _commit(ws, parsed, gaz, progress, by=by)


def add_articles(ws: Workspace, batches: Iterable[tuple[str, list[Article] | None, str | None]],
                 gaz: Gazetteer, *, sources: Iterable[SourceState] = (),
                 progress: Callable[[int, int, str], None] | None = None, by: str = LOCAL) -> list[Outcome]:
    """Add articles read elsewhere (geo.watch reads feeds and pages); one Outcome per batch.

    Each batch is (name, its articles, None) or (name, None, why it was skipped), as
    :func:`add_files` makes them. ``sources`` are saved in the same change, so what a
    watch remembers of a source never gets ahead of the articles it brought.
    """
    return _commit(ws, list(batches), gaz, progress, list(sources), by=by)


def save_sources(ws: Workspace, sources: Iterable[SourceState], gaz: Gazetteer, *, by: str = LOCAL,
                 action: str | None = None) -> None:
    """Remember these sources (replacing what the store held for their URLs).

    ``action`` (e.g. "follow") is recorded in the history with their URLs; None (a poll's
    validators and what it saw) records nothing, as no article or correction changes.
    """
    sources = list(sources)
    with _locked(ws):
        if action is not None:
            _catch_up(ws, gaz)
            _record(ws, action, by, detail=", ".join(s.url for s in sources))
        _commit(ws, [], gaz, sources=sources, by=by, force=action is not None)


def forget_source(ws: Workspace, url: str, gaz: Gazetteer, *, by: str = LOCAL) -> bool:
    """Stop remembering a source; False when the store held none at ``url``."""
    with _locked(ws):
        _catch_up(ws, gaz)
        if ws.sources.pop(url, None) is None:
            return False
        _record(ws, "unfollow", by, detail=url)
        save(ws)
        return True


@contextmanager
def holding(ws: Workspace, gaz: Gazetteer) -> Iterator[Workspace]:
    """Hold the store, caught up with what other processes saved, for a read-then-change
    (such as "which of these articles are new?" then :func:`add_articles`) that no other
    writer may come between. Re-entrant; the change functions may be called inside."""
    with _locked(ws):
        _catch_up(ws, gaz)
        yield ws


def add_text(ws: Workspace, text: str, gaz: Gazetteer, *, published: date | None = None,
             title: str = "", name: str | None = None, by: str = LOCAL) -> Outcome:
    """Add pasted text as one article; ``published`` (when given) is its publication date."""
    name = name or _pasted_name(ws, title)
    if not name.lower().endswith((".txt", ".md")):
        name += ".txt"
    try:
        (article,) = parse_article(text.encode("utf-8"), name)
    except InputError as e:
        return _commit(ws, [(name, None, e.reason)], gaz, by=by)[0]
    except Exception as e:  # an unknown bug
        return _commit(ws, [(name, None, _bug(e))], gaz, by=by)[0]
    if published is not None:
        article = replace(article, published=published, date_source="option")
    if title and not article.title:
        article = replace(article, title=title)
    return _commit(ws, [(name, [article], None)], gaz, by=by)[0]


def _pasted_name(ws: Workspace, title: str) -> str:
    stem = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())[:40] or "pasted"
    name, n = f"{stem}.txt", 2
    while name in ws.articles:
        name, n = f"{stem}-{n}.txt", n + 1
    return name


def _commit(ws: Workspace, parsed: list[tuple[str, list[Article] | None, str | None]],
            gaz: Gazetteer, progress: Callable[[int, int, str], None] | None = None,
            sources: list[SourceState] | None = None, *, by: str = LOCAL, action: str = "add",
            force: bool = False) -> list[Outcome]:
    total = sum(len(articles or ()) for _, articles, _ in parsed)
    done = 0
    with _locked(ws):
        _catch_up(ws, gaz)
        for state in sources or ():
            ws.sources[state.url] = state
        outcomes: list[tuple[str, list[Article], tuple[str, ...], str | None]] = []
        for name, articles, error in parsed:
            if articles is not None:
                error = _over_limits(ws, articles)
            if error is None and articles is not None:
                error = _extract_first(ws, articles, gaz, progress, done, total)
                done += len(articles)
            if error is not None:
                outcomes.append((name, [], (), error))
                continue
            replaced = tuple(a.id for a in articles if a.id in ws.articles)
            _add(ws, articles)
            outcomes.append((name, articles, replaced, None))
        for name, articles, replaced, _ in outcomes:
            if not articles:
                continue
            if action != "add":
                _record(ws, action, by, [a.id for a in articles], detail=name)
                continue
            fresh = [a.id for a in articles if a.id not in replaced]
            if fresh:
                _record(ws, "add", by, fresh, detail=name)
            if replaced:
                _record(ws, "replace", by, replaced, detail=name)
        if any(articles for _, articles, _, _ in outcomes):
            _derive(ws, gaz)
            save(ws)
        elif sources or force:
            save(ws)
        counts = _events_per_article(ws.events)
        return [Outcome(name, tuple(a.id for a in articles),
                        len(set().union(*(counts.get(a.id, set()) for a in articles))), error, replaced)
                for name, articles, replaced, error in outcomes]


def _extract_first(ws: Workspace, articles: list[Article], gaz: Gazetteer,
                   progress: Callable[[int, int, str], None] | None, done: int, total: int) -> str | None:
    """Find a file's events before it joins the store; the reason when extraction crashes.

    A bug that one article triggers must cost only that file: stored, it would break every
    later derive of the team's store.
    """
    for n, a in enumerate(articles):
        if progress is not None:
            progress(done + n, total, a.id)
        try:
            article_reports(a, gaz, ws.corrections.get(a.id))
        except Exception as e:  # an unknown bug, not the file's fault
            return _bug(e, a.id)
    return None


def _bug(error: Exception, article: str | None = None) -> str:
    """The one line for a file that hit an unexpected error (a bug, not the file's fault)."""
    detail = " ".join(str(error).split())[:120]
    what = f"{article} could not be processed" if article else "could not be read"
    return f"{what} ({type(error).__name__}: {detail}); this is a bug in conflict-map, please report it"


def _over_limits(ws: Workspace, articles: list[Article]) -> str | None:
    new = [a for a in articles if a.id not in ws.articles]
    if len(ws.articles) + len(new) > MAX_ARTICLES:
        return f"the store is full ({MAX_ARTICLES} articles); remove some first"
    chars = sum(len(a.text) for a in ws.articles.values()) + sum(len(a.text) for a in articles)
    if chars > MAX_TEXT_CHARS:
        return f"the store is full ({MAX_TEXT_CHARS // 1_000_000} million characters); remove some first"
    return None


def _add(ws: Workspace, articles: Iterable[Article]) -> None:
    for a in articles:
        ws.articles.pop(a.id, None)  # a replaced article moves to the end
        ws.articles[a.id] = a


def remove_articles(ws: Workspace, article_ids: Iterable[str], gaz: Gazetteer, *,
                    by: str = LOCAL) -> list[str]:
    """Drop articles (and their corrections); their events go, merged events lose them as a source.

    The store keeps each removed article (text, metadata, corrections) for :func:`restore`.
    """
    with _locked(ws):
        _catch_up(ws, gaz)
        when = _now()
        gone = []
        for i in dict.fromkeys(article_ids):
            article = ws.articles.pop(i, None)
            if article is None:
                continue
            gone.append(i)
            ws.removed.append(Removed(article, dict(ws.corrections.pop(i, None) or {}), when, _who(by)))
        if gone:
            _trim_removed(ws)
            _record(ws, "remove", by, gone)
            _derive(ws, gaz)
            save(ws)
        return gone


def remove_article(ws: Workspace, article_id: str, gaz: Gazetteer, *, by: str = LOCAL) -> bool:
    """Drop one article; False when there was no such article."""
    return bool(remove_articles(ws, [article_id], gaz, by=by))


def restore(ws: Workspace, article_id: str, gaz: Gazetteer, *, by: str = LOCAL) -> Outcome:
    """Bring back the article of this id last removed, with its corrections, and find its events.

    GeoError when the store holds it now or never removed it; an Outcome with the reason
    when it cannot come back (the store is full, extraction fails on it).
    """
    with _locked(ws):
        _catch_up(ws, gaz)
        if article_id in ws.articles:
            raise GeoError(f"{shown(article_id)}: the store holds this article now; remove it first "
                           "to bring back the removed copy")
        kept = next((r for r in reversed(ws.removed) if r.article.id == article_id), None)
        if kept is None:
            raise GeoError(f"{shown(article_id)}: no removed article of that id in the store's history "
                           "(see conflictmap history)")
        error = _over_limits(ws, [kept.article])
        if error is None:
            try:
                article_reports(kept.article, gaz, kept.corrections or None)
            except Exception as e:  # a bug in a newer version: the copy stays kept
                error = _bug(e, article_id)
        if error is not None:
            return Outcome(article_id, error=error)
        ws.removed.remove(kept)
        _add(ws, [kept.article])
        if kept.corrections:
            ws.corrections[article_id] = dict(kept.corrections)
        _record(ws, "restore", by, [article_id], detail=f"removed {kept.when} by {kept.by}")
        _derive(ws, gaz)
        save(ws)
        return Outcome(article_id, (article_id,), len(_events_per_article(ws.events).get(article_id, ())))


def removed_articles(ws: Workspace) -> list[Removed]:
    """The removed articles the store keeps, newest first (one per id: the one restore brings)."""
    out: dict[str, Removed] = {}
    for r in reversed(ws.removed):
        out.setdefault(r.article.id, r)
    return [r for r in out.values() if r.article.id not in ws.articles]


def _trim_removed(ws: Workspace) -> None:
    """Keep the newest removed articles within the store's own bounds."""
    chars, keep = 0, []
    for r in reversed(ws.removed):
        chars += len(r.article.text)
        if len(keep) >= MAX_ARTICLES or chars > MAX_TEXT_CHARS:
            break
        keep.append(r)
    ws.removed = keep[::-1]


def set_correction(ws: Workspace, article_id: str, mention: str, place_id: str | None,
                   gaz: Gazetteer, *, by: str = LOCAL) -> None:
    """In this article, ``mention`` means ``place_id`` (None: it is not a place)."""
    place = gaz.by_id(place_id) if place_id is not None else None
    if place_id is not None and place is None:
        raise GeoError(f"{place_id}: no such place id in the gazetteer")
    with _locked(ws):
        _catch_up(ws, gaz)
        old = _placed(ws, article_id, mention, gaz)
        ws.corrections.setdefault(article_id, {})[mention] = place_id
        _record(ws, "correct", by, [article_id], mention=mention, old=old,
                new=place_label(place) if place else "not a place")
        _derive(ws, gaz)
        save(ws)


def clear_correction(ws: Workspace, article_id: str, mention: str, gaz: Gazetteer, *,
                     by: str = LOCAL) -> None:
    """Let the resolver decide ``mention`` in this article again."""
    with _locked(ws):
        _catch_up(ws, gaz)
        old = _placed(ws, article_id, mention, gaz)
        chosen = ws.corrections.get(article_id, {})
        if chosen.pop(mention, "absent") == "absent":
            return
        if not chosen:
            ws.corrections.pop(article_id, None)
        _record(ws, "clear correction", by, [article_id], mention=mention, old=old,
                new=_placed(ws, article_id, mention, gaz) or "not a place")
        _derive(ws, gaz)
        save(ws)


def _placed(ws: Workspace, article_id: str, mention: str, gaz: Gazetteer) -> str:
    """Where ``mention`` is put in this article now: a place's label, "not a place", or ""
    when the store has no such article (a correction may come before its article)."""
    if article_id not in ws.articles:
        chosen = ws.corrections.get(article_id, {})
        if mention not in chosen:
            return ""
        place = gaz.by_id(chosen[mention]) if chosen[mention] else None
        return place_label(place) if place else "not a place"
    found = next((r for r in resolutions(ws, article_id, gaz, limit=0) if r.mention == mention), None)
    return found.place if found else "not a place"


# ---------------------------------------------------------------- the record of changes

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _who(by: str) -> str:
    """The acting user's name on one line (at most 100 characters), "local" when empty."""
    return " ".join(str(by).split())[:100] or LOCAL


def _record(ws: Workspace, action: str, by: str, articles: Iterable[str] = (), *, mention: str | None = None,
            old: str | None = None, new: str | None = None, detail: str = "") -> None:
    """Note a change (under the lock, before the save that makes it: both land, or neither)."""
    ws.history.append(Change(_now(), _who(by), action, tuple(articles), mention, old, new, detail))
    del ws.history[:-MAX_HISTORY]


def history(ws: Workspace, limit: int | None = None) -> list[Change]:
    """The store's changes, newest first (at most ``limit``)."""
    newest = ws.history[::-1]
    return newest if limit is None else newest[:limit]


def read_history(path: str | os.PathLike[str], limit: int | None = None) -> list[Change]:
    """The changes recorded in the store at ``path`` (a file or a postgresql:// URL), newest
    first, without loading the store (no gazetteer needed); InputError naming it when it is
    no conflict-map store."""
    if is_url(path):
        with pgstore.connection(path) as con, pgstore.snapshot(con):
            if pgstore.generation(con) is None:
                raise pgstore.no_store(path)
            return _history_from(pgstore.rows(con, "history", _COLUMNS["history"], newest_first=True,
                                              limit=limit))
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no store here" if not path.exists() else "not a store file")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("SELECT value FROM conflictmap_meta WHERE key = 'generation'").fetchone()
            changes = _history_from(_gpkg_rows(con, "history", newest_first=True, limit=limit))
        finally:
            con.close()
    except sqlite3.Error as e:
        raise InputError(str(path), f"not a conflict-map store ({e})") from None
    return changes


def corrections_json(ws: Workspace) -> str:
    """The corrections as JSON: {article id: {mention text: place id or null}}."""
    return json.dumps(ws.corrections, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def load_corrections(ws: Workspace, raw: bytes, gaz: Gazetteer, name: str = "corrections.json", *,
                     by: str = LOCAL) -> int:
    """Merge corrections from JSON (as :func:`corrections_json` writes) into the workspace.

    Returns how many were read; InputError naming the file when it is not such JSON or names
    a place id the gazetteer lacks (then nothing changes).
    """
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(name, f"not JSON ({e})") from None
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) for k, v in data.items()):
        raise InputError(name, "expected {article id: {mention text: place id or null}}")
    count = 0
    for article, chosen in data.items():
        for mention, place in chosen.items():
            if place is not None and not isinstance(place, str):
                raise InputError(name, f"{article}: {mention!r} must map to a place id or null")
            if place is not None and gaz.by_id(place) is None:
                raise InputError(name, f"{article}: {place} is not a place id in the gazetteer")
            count += 1
    with _locked(ws):
        _catch_up(ws, gaz)
        for article, chosen in data.items():
            ws.corrections.setdefault(article, {}).update(chosen)
        _record(ws, "load corrections", by, [a for a, chosen in data.items() if chosen],
                detail=f"{count} correction{'s' * (count != 1)} from {name}")
        _derive(ws, gaz)
        save(ws)
    return count


# ---------------------------------------------------------------- deriving the events

_EXTRACTED: OrderedDict[str, tuple[Report, ...]] = OrderedDict()
_CACHE_SIZE = MAX_ARTICLES
_cache_lock = threading.Lock()


def _extraction_key(article: Article, chosen: Mapping[str, str | None] | None, gaz: Gazetteer) -> str:
    h = hashlib.sha256()
    for part in (code_version(default_parser()), data_version(gaz.folder), article.id, article.text,
                 str(article.published), json.dumps(chosen or {}, sort_keys=True)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def article_reports(article: Article, gaz: Gazetteer,
                    corrections: Mapping[str, str | None] | None = None) -> list[Report]:
    """``extract_reports``, cached by the article's content and corrections (fresh copies):
    in this process, and on this machine (``geo.cache``)."""
    key = _extraction_key(article, corrections, gaz)
    with _cache_lock:
        found = _EXTRACTED.get(key)
    if found is None:
        found = load_reports(key)  # extracted by an earlier run on this machine
        if found is None:
            found = tuple(extract_reports(article, gaz, corrections or None))
            keep_reports(key, found)
    with _cache_lock:
        _EXTRACTED[key] = found
        _EXTRACTED.move_to_end(key)
        while len(_EXTRACTED) > _CACHE_SIZE:
            _EXTRACTED.popitem(last=False)
    # Merging folds reports into the first one it meets: never hand it the cached objects.
    return [replace(r, event=replace(r.event, actors=list(r.event.actors), targets=list(r.event.targets),
                                     sources=list(r.event.sources))) for r in found]


def _derive(ws: Workspace, gaz: Gazetteer,
            progress: Callable[[int, int, str], None] | None = None) -> None:
    found: list[Report] = []
    for n, article in enumerate(ws.articles.values()):
        if progress is not None:
            progress(n, len(ws.articles), article.id)
        try:
            found += article_reports(article, gaz, ws.corrections.get(article.id))
        except Exception:  # a stored article a newer version chokes on: no events from it,
            continue       # rather than a store no session can open (add_files refuses new ones)
    ws.events = merge_reports(found)
    ws.version = next(_VERSIONS)


def _events_per_article(events: Iterable[Event]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in events:
        for s in e.sources:
            out.setdefault(s.article, set()).add(e.id)
    return out


def event_counts(ws: Workspace) -> dict[str, int]:
    """How many events cite each article."""
    return {a: len(ids) for a, ids in _events_per_article(ws.events).items()}


# ---------------------------------------------------------------- reviewing places

@dataclass(frozen=True)
class Resolution:
    """One place name in an article: where the resolver (or a person) put it, and the options."""

    mention: str
    place_id: str | None  # None: a person said it is not a place
    place: str
    count: int  # how often the article names it
    corrected: bool
    options: tuple[tuple[str, str], ...]  # (place id, label), the resolver's candidates


def place_label(place) -> str:
    """"Tripoli (city, LB) gn:266826"."""
    where = f", {place.country}" if place.country else ""
    return f"{place.name} ({place.kind}{where}) {place.id}"


def resolutions(ws: Workspace, article_id: str, gaz: Gazetteer, limit: int = 12) -> list[Resolution]:
    """Every place name in one article with its current place and candidates, in text order."""
    article = ws.articles[article_id]
    chosen = ws.corrections.get(article_id, {})
    mentions: list[Mention] = find_places(article.text, gaz, article.id, corrections=chosen or None)
    out: dict[str, Resolution] = {}
    for m in mentions:
        if m.text in out:
            out[m.text] = replace(out[m.text], count=out[m.text].count + 1)
            continue
        out[m.text] = Resolution(m.text, m.place.id, place_label(m.place), 1, m.text in chosen,
                                 _options(m.text, m.place, gaz, limit))
    for text, place_id in chosen.items():  # "not a place" leaves no mention behind
        if text not in out:
            place = gaz.by_id(place_id) if place_id else None
            out[text] = Resolution(text, place_id, place_label(place) if place else "not a place",
                                   article.text.count(text), True, _options(text, place, gaz, limit))
    return list(out.values())


def _options(text: str, current, gaz: Gazetteer, limit: int) -> tuple[tuple[str, str], ...]:
    places = [c.place for c in gaz.lookup(text)]
    if current is not None:
        places.insert(0, current)
    seen: dict[str, str] = {}
    for p in places:
        seen.setdefault(p.id, place_label(p))
    return tuple(list(seen.items())[:limit])


# ---------------------------------------------------------------- the store: a file or a database
#
# The seam between the two backends is these functions: is_url, store_exists, _generation_of,
# load, save and _locked. The rows of the input tables are the same in both (_rows, _from_rows).

def is_url(store: object) -> bool:
    """Is ``store`` a PostgreSQL URL (geo.pgstore) rather than a GeoPackage's path?"""
    return pgstore.is_url(store)


def store_name(store: str | os.PathLike[str]) -> str:
    """The store as shown to people: its path, or its URL without the password."""
    return pgstore.shown_url(store) if is_url(store) else str(store)


def store_exists(store: str | os.PathLike[str]) -> bool:
    """Is there a store at ``store`` (a file; a saved store in that database and schema)?"""
    return _exists(store if is_url(store) else Path(store))


def _exists(target: Path | str, held=None) -> bool:
    return _generation_of(target, held) is not None if is_url(target) else target.exists()


# The tables of inputs and records beside the events, each with its columns in the order
# _rows() gives them. GeoPackage: the lists as JSON text, dates as text; PostgreSQL: jsonb, date.
_COLUMNS = {
    "articles": ("article_id", "title", "text", "published", "date_source", "url", "path"),
    "corrections": ("article_id", "mention", "place_id"),
    "sources": ("url", "etag", "last_modified", "seen", "checked", "result", "saved"),
    "history": ("changed_at", "changed_by", "action", "article_ids", "mention", "old_place", "new_place",
                "detail"),
    "removed": ("article_id", "title", "text", "published", "date_source", "url", "path", "corrections",
                "removed_at", "removed_by"),
}
# The GeoPackage's column types and gpkg_contents descriptions of the same tables.
_GPKG_TABLES = {
    "articles": ("article_id TEXT NOT NULL UNIQUE, title TEXT, text TEXT NOT NULL, published DATE, "
                 "date_source TEXT, url TEXT, path TEXT", "the articles the events come from"),
    "corrections": ("article_id TEXT NOT NULL, mention TEXT NOT NULL, place_id TEXT",
                    "places people chose for mentions, per article"),
    "sources": ("url TEXT NOT NULL UNIQUE, etag TEXT, last_modified TEXT, seen TEXT, checked TEXT, "
                "result TEXT, saved INTEGER NOT NULL DEFAULT 0",
                "feeds, pages and folders followed, with what each last answered"),
    "history": ("changed_at TEXT NOT NULL, changed_by TEXT NOT NULL, action TEXT NOT NULL, article_ids TEXT, "
                "mention TEXT, old_place TEXT, new_place TEXT, detail TEXT",
                "every change of the store: when (UTC), who, what"),
    "removed": ("article_id TEXT NOT NULL, title TEXT, text TEXT NOT NULL, published DATE, date_source TEXT, "
                "url TEXT, path TEXT, corrections TEXT, removed_at TEXT, removed_by TEXT",
                "removed articles, kept so they can be restored"),
}


def _rows(ws: Workspace) -> dict[str, list[tuple]]:
    def article(a: Article) -> tuple:
        return (a.id, a.title, a.text, a.published.isoformat() if a.published else None, a.date_source,
                a.url, a.path)

    def text(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    return {
        "articles": [article(a) for a in ws.articles.values()],
        "corrections": [(a, m, p) for a, chosen in ws.corrections.items() for m, p in chosen.items()],
        "sources": [(s.url, s.etag, s.last_modified, text(list(s.seen)), s.checked, s.result, s.saved)
                    for s in ws.sources.values()],
        "history": [(c.when, c.by, c.action, text(list(c.articles)), c.mention, c.old, c.new, c.detail)
                    for c in ws.history],
        "removed": [(*article(r.article), text(dict(r.corrections)), r.when, r.by) for r in ws.removed],
    }


def _from_rows(ws: Workspace, tables: Mapping[str, list[tuple]]) -> None:
    _add(ws, (_article(*row) for row in tables["articles"]))
    for article, mention, place in tables["corrections"]:
        ws.corrections.setdefault(article, {})[mention] = place
    for url, etag, modified, seen, checked, result, saved in tables["sources"]:
        links = _parsed(seen, list, [])  # what was seen is only a saving: when broken, fetch again
        ws.sources[url] = SourceState(url, etag, modified, tuple(x for x in links if isinstance(x, str)),
                                      checked, result, bool(saved))
    ws.history = _history_from(tables["history"])
    ws.removed = [Removed(_article(*row[:7]), _parsed(row[7], dict, {}), row[8] or "", row[9] or "")
                  for row in tables["removed"]]


def _article(i, title, text, published, date_source, url, path) -> Article:
    if isinstance(published, str):
        published = date.fromisoformat(published) if published else None
    return Article(i, title or "", text or "", published, date_source or "none", url, path or i)


def _parsed(value, kind: type, default):
    """A JSON column: text in a GeoPackage, parsed already from PostgreSQL's jsonb;
    ``default`` when it is broken or not a ``kind``."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return default
    return value if isinstance(value, kind) else default


def _history_from(rows: Iterable[tuple]) -> list[Change]:
    return [Change(when or "", by or "", action or "", tuple(str(a) for a in _parsed(ids, list, [])),
                   mention, old, new, detail or "")
            for when, by, action, ids, mention, old, new, detail in rows]


def save(ws: Workspace) -> None:
    """Write the whole workspace to its store: a new file moved over the old one, or one
    transaction in PostgreSQL. It replaces what the store holds; the change functions catch
    up with the store first."""
    if ws.path is None:
        return
    generation = uuid.uuid4().hex
    if is_url(ws.path):
        with _locked(ws):
            pgstore.save(ws._held, {t: (_COLUMNS[t], rows) for t, rows in _rows(ws).items()}, ws.events,
                         generation)
            ws._generation = generation
        return
    from geo.store import write_events, write_file

    def write(tmp: str) -> None:
        write_events(ws.events, tmp, "gpkg")
        con = sqlite3.connect(tmp)
        try:
            _write_inputs(con, ws, generation)
            con.commit()
        finally:
            con.close()

    with _locked(ws):
        _clean_temps(ws.path)
        try:
            write_file(ws.path, write, "store.gpkg", prefix=_temp_prefix(ws.path))
        except OSError as e:
            raise GeoError(f"{ws.path}: cannot save the store ({e.strerror or e})") from None
        ws._generation = generation
        ws._stamp = _stamp(ws.path)


def _write_inputs(con: sqlite3.Connection, ws: Workspace, generation: str) -> None:
    tables = {"conflictmap_meta": [("schema", str(_SCHEMA)), ("generation", generation)], **_rows(ws)}
    columns = {"conflictmap_meta": ("key", "value"), **_COLUMNS}
    for table, rows in tables.items():
        if not rows and table in ("sources", "history", "removed"):
            continue  # only a store that follows sources (has a history, ...) has the table
        types, what = _GPKG_TABLES.get(table, ("key TEXT, value TEXT", "store format"))
        con.execute(f"CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT, {types})")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                    "VALUES (?, 'attributes', ?, ?)", (table, table, what))
        con.executemany(f"INSERT INTO {table} ({', '.join(columns[table])}) "
                        f"VALUES ({', '.join('?' * len(columns[table]))})", rows)


def load(path: str | os.PathLike[str], gaz: Gazetteer) -> Workspace:
    """The workspace saved at ``path`` (a file or a postgresql:// URL); InputError naming it
    when it is not a conflict-map store."""
    return _load(path if is_url(path) else Path(path))


def _load(path: Path | str, held=None) -> Workspace:
    if is_url(path):
        with _connection(path, held) as con, pgstore.snapshot(con):
            generation = pgstore.generation(con)
            if generation is None:
                raise pgstore.no_store(path)
            tables = {t: pgstore.rows(con, t, columns) for t, columns in _COLUMNS.items()}
            events = pgstore.read_events(con, path)
        ws = Workspace(path)
        _from_rows(ws, tables)
        ws.events, ws.version, ws._generation = events, next(_VERSIONS), generation
        return ws
    try:
        with open(path, "rb") as f:
            sqlite = f.read(16) == b"SQLite format 3\x00"
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if sqlite:
                problem = con.execute("PRAGMA quick_check").fetchone()[0]
                if problem != "ok":
                    raise sqlite3.DatabaseError(problem)
            generation = con.execute("SELECT value FROM conflictmap_meta "
                                     "WHERE key = 'generation'").fetchone()
            tables = {t: _gpkg_rows(con, t) for t in _COLUMNS}
        finally:
            con.close()
    except OSError as e:
        raise InputError(str(path), f"cannot read the store ({e.strerror or e})") from None
    except sqlite3.OperationalError as e:  # no such table: some other SQLite file
        raise InputError(str(path), f"not a conflict-map store ({e}); move it away or set "
                                    f"{STORE_ENV} to another file") from None
    except sqlite3.DatabaseError as e:
        if not sqlite:
            raise InputError(str(path), f"not a conflict-map store ({e}); move it away or set "
                                        f"{STORE_ENV} to another file") from None
        raise InputError(str(path), _damaged(path, e)) from None
    except sqlite3.Error as e:
        raise InputError(str(path), f"not a conflict-map store ({e}); move it away or set "
                                    f"{STORE_ENV} to another file") from None
    ws = Workspace(path)
    _from_rows(ws, tables)
    from geo.store import read_events

    # The events layer was derived from exactly these inputs when saved; reading it is much
    # faster than extracting again (rederive() does that, e.g. after an upgrade).
    ws.events = read_events(str(path))
    ws.version = next(_VERSIONS)
    ws._stamp = _stamp(path)
    ws._generation = generation[0] if generation else None
    return ws


def _gpkg_rows(con: sqlite3.Connection, table: str, *, newest_first: bool = False,
               limit: int | None = None) -> list[tuple]:
    """A table's rows in the order of _COLUMNS; none when an optional table is missing (a store
    saved before the history was kept, or that follows no source)."""
    if table in ("sources", "history", "removed") and con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is None:
        return []
    order = "DESC" if newest_first else ""
    return con.execute(f"SELECT {', '.join(_COLUMNS[table])} FROM {table} ORDER BY fid {order} LIMIT ?",
                       (-1 if limit is None else limit,)).fetchall()


def _damaged(path: Path, error: Exception) -> str:
    detail = " ".join(str(error).replace("*** in database main ***", "").split())[:120]
    return (f"the store is damaged ({detail}) and was left as it is; move it aside "
            f"(e.g. to {path.name}.damaged) and open again to start a new store, restore a "
            f"backup, or set {STORE_ENV} to another file")


def rederive(ws: Workspace, gaz: Gazetteer, *, by: str = LOCAL) -> None:
    """Extract every article's events again (after the extraction code changed) and save."""
    with _locked(ws):
        _catch_up(ws, gaz)
        before = len(ws.events)
        _derive(ws, gaz)
        _record(ws, "derive again", by, detail=f"{len(ws.articles)} articles, {before} events before, "
                                               f"{len(ws.events)} now")
        save(ws)


def refresh(ws: Workspace, gaz: Gazetteer) -> bool:
    """Reload when another process saved the store since we last read or wrote it."""
    if ws.path is None:
        return False
    with ws.lock:
        if is_url(ws.path):  # one small query, without the lock
            if _generation_of(ws.path, ws._held) in (None, ws._generation):
                return False
        elif not ws.path.exists() or _stamp(ws.path) == ws._stamp:
            return False
        with _locked(ws):
            return _catch_up(ws, gaz)


def _stamp(path: Path) -> tuple[int, ...]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


def _catch_up(ws: Workspace, gaz: Gazetteer) -> bool:
    """Take in what another process saved since we last read or wrote the store (under the lock)."""
    if ws.path is None or not _exists(ws.path, ws._held):
        return False
    if ws._generation is not None and _generation_of(ws.path, ws._held) == ws._generation:
        if not is_url(ws.path):
            ws._stamp = _stamp(ws.path)
        return False
    fresh = _load(ws.path, ws._held)
    ws.articles, ws.corrections, ws.events = fresh.articles, fresh.corrections, fresh.events
    ws.sources, ws.history, ws.removed = fresh.sources, fresh.history, fresh.removed
    ws.version, ws._stamp, ws._generation = fresh.version, fresh._stamp, fresh._generation
    return True


def _generation_of(path: Path | str, held=None) -> str | None:
    if is_url(path):
        with _connection(path, held) as con:
            return pgstore.generation(con)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM conflictmap_meta WHERE key = 'generation'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None  # load() will say what is wrong
    return row[0] if row else None


def _connection(url: str, held):
    """The connection that holds the store's lock, else a new one."""
    return nullcontext(held) if held is not None else pgstore.connection(url)


@contextmanager
def _locked(ws: Workspace) -> Iterator[None]:
    """Hold the store: ``ws.lock`` for this process's threads, and for other processes the
    lock file beside the store, or PostgreSQL's advisory lock (``ws._held``: its connection).

    Re-entrant for one workspace. When the body fails half-way, the next change reloads the
    store instead of trusting what is in memory.
    """
    with ws.lock:
        if ws.path is None or ws._held is not None:
            yield
            return
        with (pgstore.locked(ws.path) if is_url(ws.path) else _lock_file(ws.path)) as held:
            ws._held = held
            try:
                yield
            except BaseException:
                ws._generation = None
                raise
            finally:
                ws._held = None


@contextmanager
def _lock_file(path: Path) -> Iterator[object]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a+b") as f:  # closing it releases the lock
        try:
            import fcntl
        except ImportError:  # Windows: msvcrt retries for 10 s, then raises OSError
            import msvcrt

            msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
        else:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        yield f


def _temp_prefix(path: Path) -> str:
    return f".conflictmap-{path.name}-"


def _clean_temps(path: Path) -> None:
    """Remove what saves killed half-way left beside the store (only ever under the lock)."""
    prefix = _temp_prefix(path)
    for p in path.parent.iterdir():
        if p.name.startswith(prefix):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


# ---------------------------------------------------------------- downloads

def export(events: list[Event], fmt: str, *, offline: bool = False, title: str | None = None) -> bytes:
    """The events as a file's bytes: "html" (a standalone map), "geojson", "csv" or "gpkg"."""
    if fmt == "html":
        from geo.maps import map_html

        return map_html(events, offline=offline, title=title).encode("utf-8")
    if fmt not in EXPORT_FORMATS:
        raise GeoError(f"unknown download format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    from geo.store import write_events

    with tempfile.TemporaryDirectory(prefix="conflictmap-") as folder:
        path = Path(folder) / f"events.{fmt}"
        write_events(events, str(path), fmt)
        return path.read_bytes()


__all__ = ["EXPORT_FORMATS", "LOCAL", "MAX_BYTES", "Change", "Outcome", "Removed", "Resolution",
           "SourceState", "Workspace", "add_articles", "add_files", "add_samples", "add_text",
           "clear_correction", "corrections_json", "default_store", "event_counts", "export",
           "forget_source", "history", "holding", "is_url", "load", "load_corrections", "open_workspace",
           "read_history", "rederive", "refresh", "remove_article", "remove_articles", "removed_articles",
           "resolutions", "restore", "sample_articles", "save", "save_sources", "set_correction",
           "store_exists", "store_name"]
