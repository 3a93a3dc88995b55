"""Following sources: feeds, pages and folders polled for new articles (``conflictmap watch``).

A team that follows a conflict wants the new reports in its store as they appear, without
saving files by hand. Each poll takes every source in turn: a feed (RSS/Atom) gives its
entries, and each new entry's page (its link) is fetched and read as an article, falling
back to the entry's own summary when the page cannot be had; a page URL is one article; a
folder gives every supported file the store does not hold yet. What the store already has
is skipped, by canonical URL (the article's own, else the entry's link) and by a hash of
the text, so a watch that was killed and started again adds nothing twice. The new
articles go into the store through :mod:`geo.workspace` (under its lock, so several
watches and the app may share one store), one change per source.

HTTP is the standard library's: a timeout per request (connect and whole read), the
reader's size limit (``MAX_BYTES``), a User-Agent naming the project, conditional requests
(each source's ETag and Last-Modified are kept in the store's ``sources`` table and sent
back; 304 is "nothing new") and a few tries with growing waits on 5xx answers, timeouts and
broken connections. A source or page that fails is one line naming its URL and the reason;
it is tried again at the next poll and costs nothing else.
"""

from __future__ import annotations

import hashlib
import http.client
import importlib.metadata
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from geo import workspace as wsp
from geo.articles import EXTENSIONS, MAX_BYTES, Article, parse_article, read_articles
from geo.errors import GeoError, InputError, shown
from geo.gazetteer import Gazetteer

TIMEOUT = 20.0  # seconds for one request: connecting, then reading the whole answer
TRIES = 3  # a 5xx answer, a timeout or a broken connection is tried this often in all
BACKOFF = 1.0  # seconds before the second try; doubled before each further one
MAX_SEEN = 5000  # entry links (or file stamps) remembered per source, newest kept
_NOT_ARTICLES = ("README", "LICENSE", "LICENCE", "CHANGELOG")  # a folder's own notes
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)\s*$", re.I)


def _version() -> str:
    try:
        return importlib.metadata.version("conflict-map")
    except importlib.metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"conflict-map/{_version()} (conflictmap watch; Python urllib)"


def parse_every(value: str) -> float:
    """Seconds in "30s", "15m" or "1h"; ValueError saying what to write otherwise."""
    m = _EVERY.match(value)
    if not m or float(m[1]) <= 0:
        raise ValueError(f"{value!r} is not an interval; use e.g. 30s, 15m or 1h")
    return float(m[1]) * {"s": 1, "m": 60, "h": 3600}[m[2].lower()]


# ---------------------------------------------------------------- HTTP

@dataclass(frozen=True)
class Fetched:
    """One answer: its body (none for 304 Not Modified) and the validators to send next time."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Again(Exception):
    """A failure worth another try (5xx, timeout, broken connection); its text is the reason."""


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only: never to ftp: or file:."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise InputError(req.full_url, f"redirected to {newurl}, which is not an http(s) URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnly)


def _size(n: float) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{int(n):,} bytes"


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None,
          timeout: float = TIMEOUT, tries: int = TRIES, backoff: float = BACKOFF,
          max_bytes: int = MAX_BYTES, sleep: Callable[[float], None] = time.sleep) -> Fetched:
    """GET ``url``; InputError naming it, with the reason, when no usable answer comes.

    ``etag`` / ``last_modified`` (from an earlier answer) make the request conditional: an
    unchanged resource answers 304, ``Fetched.not_modified``. 5xx answers, timeouts and
    broken connections are tried ``tries`` times in all, waiting ``backoff`` seconds, then
    twice that, and so on. An answer over ``max_bytes`` is refused without reading the rest.
    """
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise InputError(url, "not an http(s) URL")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
               "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                         "text/html;q=0.9, text/*;q=0.8, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    reason = ""
    for attempt in range(1, max(1, tries) + 1):
        try:
            return _get(url, headers, timeout, max_bytes)
        except _Again as e:
            reason = str(e)
        if attempt < tries:
            sleep(backoff * 2 ** (attempt - 1))
    raise InputError(url, reason + (f" (tried {tries} times)" if tries > 1 else ""))


def _get(url: str, headers: dict[str, str], timeout: float, max_bytes: int) -> Fetched:
    deadline = time.monotonic() + timeout
    timed_out = f"timed out after {timeout:g} s"
    try:
        resp = _OPENER.open(urllib.request.Request(url, headers=headers), timeout=timeout)
    except urllib.error.HTTPError as e:
        with e:
            if e.code == 304:
                return Fetched(url, 304, etag=e.headers.get("ETag"),
                               last_modified=e.headers.get("Last-Modified"))
            answer = f"HTTP {e.code} {e.reason}".strip()
            if e.code >= 500 or e.code == 429:
                raise _Again(answer) from None
            raise InputError(url, answer) from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            raise _Again(timed_out) from None
        if isinstance(e.reason, OSError):
            raise _Again(f"cannot connect ({e.reason.strerror or e.reason})") from None
        raise InputError(url, f"cannot fetch ({e.reason})") from None
    except TimeoutError:
        raise _Again(timed_out) from None
    except (OSError, http.client.HTTPException) as e:
        raise _Again(f"connection failed ({type(e).__name__}: {e})") from None
    except ValueError as e:  # a malformed URL
        raise InputError(url, f"not a usable URL ({e})") from None
    with resp:
        length = resp.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise InputError(url, f"is {int(length):,} bytes; the limit is {_size(max_bytes)}")
        chunks, size = [], 0
        try:
            while chunk := resp.read1(65536):
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(url, f"is over the limit of {_size(max_bytes)}")
                if time.monotonic() > deadline:  # a server that trickles is a slow one too
                    raise _Again(timed_out)
                chunks.append(chunk)
        except TimeoutError:
            raise _Again(timed_out) from None
        except (OSError, http.client.HTTPException) as e:
            raise _Again(f"connection broke while reading ({type(e).__name__}: {e})") from None
        body = _utf8(b"".join(chunks), resp.headers.get_content_charset())
        return Fetched(resp.url or url, resp.status, body, resp.headers.get("ETag"),
                       resp.headers.get("Last-Modified"), resp.headers.get_content_type())


def _utf8(body: bytes, charset: str | None) -> bytes:
    """The body in UTF-8 when the server names another charset (the reader guesses only
    UTF-8, UTF-16 and Windows-1252)."""
    if not charset or charset.lower().replace("_", "-") in ("utf-8", "utf8", "us-ascii", "ascii"):
        return body
    try:
        return body.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return body  # a wrong label: let the reader guess


# ---------------------------------------------------------------- one poll

@dataclass
class Polled:
    """What one poll of one source did: the articles it added, or why it failed."""

    source: str
    articles: tuple[str, ...] = ()
    events: int = 0  # events that cite the new articles
    known: int = 0  # entries, pages or files the store already had
    not_modified: bool = False
    problems: list[str] = field(default_factory=list)  # "URL: reason", one per failed page or file
    error: str | None = None  # the source itself failed
    internal: bool = False  # the error is a bug in conflict-map, not the source's fault

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems

    @property
    def line(self) -> str:
        """The source's one line: what is new, or why it failed."""
        src = shown(self.source)
        if self.error is not None:
            return f"{src}: {shown(self.error)}"
        if self.not_modified:
            return f"{src}: not modified, nothing new"
        n, e = len(self.articles), self.events
        line = f"{src}: {n} new article{'s' * (n != 1)}, {e} event{'s' * (e != 1)}"
        if self.known:
            line += f" ({self.known} already in the store)"
        if self.problems:
            line += f"; {len(self.problems)} failed"
        return line


@dataclass(frozen=True)
class _Item:
    """Articles read from one entry, page or file, and the key that marks it handled."""

    name: str  # what the Outcome is named (a link, a file)
    articles: list[Article]
    key: str | None  # the entry link or file stamp remembered in SourceState.seen


def _canonical(url: str) -> str:
    """The URL as compared: no fragment, scheme and host in lower case."""
    p = urlsplit(url.strip())
    return urlunsplit((p.scheme.lower(), p.netloc.lower(), p.path or "/", p.query, ""))


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def _known(ws: wsp.Workspace) -> tuple[set[str], set[str]]:
    """The URLs (articles' and the entry links watches handled) and text hashes the store holds."""
    urls = {_canonical(a.url) for a in ws.articles.values() if a.url}
    for state in ws.sources.values():
        urls.update(state.seen)
    return urls, {_digest(a.text) for a in ws.articles.values()}


def _stem(url: str) -> str:
    """A readable, unique article name for a URL: host and path, and a hash of the whole URL."""
    p = urlsplit(url)
    path = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", p.path)
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", f"{p.hostname or ''} {path}").strip("-.")[:60].strip("-.")
    return f"{slug or 'page'}-{hashlib.sha1(url.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _extension(content_type: str) -> str:
    if "json" in content_type:
        return ".json"
    if "xml" in content_type or "rss" in content_type or "atom" in content_type:
        return ".xml"
    if content_type in ("text/plain", "text/markdown"):
        return ".txt"
    return ".html"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def source_key(source: str) -> str:
    """What the store knows a source by: a URL as given, a folder by its absolute path."""
    return source if _is_url(source) else str(Path(source).expanduser().resolve())


def poll(ws: wsp.Workspace, sources: Sequence[str], gaz: Gazetteer, *, timeout: float = TIMEOUT,
         tries: int = TRIES, backoff: float = BACKOFF, max_bytes: int = MAX_BYTES,
         report: Callable[[Polled], None] | None = None, record: bool = False,
         by: str = wsp.LOCAL) -> list[Polled]:
    """Poll each source once and add what is new to the store; one Polled per source, in order.

    A source that fails costs only itself: the others are still polled and land.
    ``report(polled)`` is called as each source is done. ``record``: also write when each
    source was polled and its line (``SourceState.checked`` / ``result``) even when nothing
    came, at the cost of one more save of the store (the app does; a watch loop does not).
    ``by``: who the store's history records the new articles as added by.
    """
    out = []
    get = _fetcher(timeout=timeout, tries=tries, backoff=backoff, max_bytes=max_bytes)
    for source in sources:
        try:
            wsp.refresh(ws, gaz)
            polled = _poll_one(ws, source, gaz, get, by)
        except GeoError as e:  # the store itself (cannot save it, damaged): the source got nowhere
            polled = Polled(source, error=str(e))
        except Exception as e:  # a bug must cost this source only
            detail = " ".join(str(e).split())[:200]
            polled = Polled(source, error=f"internal error ({type(e).__name__}: {detail}); "
                                          "please report it", internal=True)
        out.append(polled)
        if report is not None:
            report(polled)
    if record and out:
        with wsp.holding(ws, gaz):
            now = _now()
            states = []
            for p in out:
                key = source_key(p.source)
                old = ws.sources.get(key) or wsp.SourceState(key)
                states.append(replace(old, checked=now, result=p.line))
            wsp.save_sources(ws, states, gaz)
    return out


def followed(ws: wsp.Workspace) -> list[wsp.SourceState]:
    """The sources saved to be followed (from the app), in the order they were added."""
    return [s for s in ws.sources.values() if s.saved]


def follow(ws: wsp.Workspace, source: str, gaz: Gazetteer, *, by: str = wsp.LOCAL) -> wsp.SourceState:
    """Save ``source`` (a feed or page URL) among the store's followed sources.

    InputError naming it when it is no http(s) URL: a server must not read its own disk
    for whoever types a path.
    """
    source = source.strip()
    if not _is_url(source) or not urlsplit(source).hostname:
        raise InputError(source or "(empty)", "not a feed or page URL; give one starting http:// or https://")
    with wsp.holding(ws, gaz):
        state = replace(ws.sources.get(source) or wsp.SourceState(source), saved=True)
        wsp.save_sources(ws, [state], gaz, by=by, action="follow")
    return state


def _fetcher(**options) -> Callable[..., Fetched]:
    return lambda url, **validators: fetch(url, **validators, **options)


def _is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def _poll_one(ws: wsp.Workspace, source: str, gaz: Gazetteer, get: Callable[..., Fetched],
              by: str) -> Polled:
    if not _is_url(source):
        return _poll_folder(ws, source, gaz, by)
    state = ws.sources.get(source) or wsp.SourceState(source)
    try:
        got = get(source, etag=state.etag, last_modified=state.last_modified)
    except InputError as e:
        return Polled(source, error=e.reason)
    if got.not_modified:
        return Polled(source, not_modified=True)
    polled = Polled(source)
    errors: list[InputError] = []
    name = _stem(got.url) + _extension(got.content_type)
    try:
        found = parse_article(got.body, name, errors=errors)
    except InputError as e:
        return Polled(source, error=e.reason)
    polled.problems += [f"{source}: {e.reason}" for e in errors]
    after = replace(state, etag=got.etag, last_modified=got.last_modified)
    if all("#" not in a.id for a in found):  # a page (or a file of one story)
        items = [_Item(source, [_located(a, got.url, source) for a in found], None)]
    else:
        items = _entries(ws, found, got.url, get, polled)
    return _land(ws, gaz, polled, items, state, after, by=by)


def _located(article: Article, base: str, link: str) -> Article:
    """The article with its canonical URL made absolute (else the link), its path the link."""
    url = urljoin(base, article.url) if article.url else link
    return replace(article, url=url if _is_url(url) else link, path=shown(link))


def _entries(ws: wsp.Workspace, entries: list[Article], feed_url: str, get: Callable[..., Fetched],
             polled: Polled) -> list[_Item]:
    """Each new entry's page read as an article, else the entry's summary; known ones skipped."""
    urls, hashes = _known(ws)
    items: list[_Item] = []
    for entry in entries:
        link = urljoin(feed_url, entry.url) if entry.url else None
        if link is None or not _is_url(link):  # nothing to fetch: the summary is the story
            if _digest(entry.text) in hashes:
                polled.known += 1
            else:
                key = f"{_stem(feed_url)}-{_digest(entry.text)[:12]}"
                items.append(_Item(feed_url, [replace(entry, id=f"{key}.txt", path=shown(feed_url))], None))
            continue
        if _canonical(link) in urls:
            polled.known += 1
            continue
        urls.add(_canonical(link))
        try:
            page = get(link)
            (article,) = parse_article(page.body, _stem(link) + _extension(page.content_type),
                                       published=entry.published)[:1]
            items.append(_Item(link, [_located(article, page.url, link)], _canonical(link)))
        except InputError as e:
            polled.problems.append(f"{link}: {e.reason}; used the feed's summary instead")
            summary = replace(entry, id=f"{_stem(link)}.txt", url=link, path=shown(link))
            items.append(_Item(link, [summary], _canonical(link)))
    return items


def _poll_folder(ws: wsp.Workspace, source: str, gaz: Gazetteer, by: str) -> Polled:
    folder = Path(source).expanduser()
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        return Polled(source, error=f"{what}; give a feed URL, a page URL or a folder")
    key = source_key(source)
    state = ws.sources.get(key) or wsp.SourceState(key)
    seen, stamps = set(state.seen), []
    polled, items = Polled(source), []
    for path in _folder_files(folder, polled):
        try:
            st = path.stat()
        except OSError as e:
            polled.problems.append(f"{path}: cannot read: {e.strerror or e}")
            continue
        stamp = f"{path.relative_to(folder)}\0{st.st_size}\0{st.st_mtime_ns}"
        stamps.append(stamp)
        if stamp in seen:
            continue
        errors: list[GeoError] = []
        articles = list(read_articles([path], errors=errors))
        polled.problems += [f"{shown(path)}: {e.reason}" if isinstance(e, InputError) else str(e)
                            for e in errors]
        items.append(_Item(str(path), articles, stamp))
    after = replace(state, seen=tuple(stamps[-MAX_SEEN:]))
    return _land(ws, gaz, polled, items, state, after, keep_seen=False, by=by)


def _folder_files(folder: Path, polled: Polled) -> list[Path]:
    """Every article file under ``folder``, sorted; hidden files and folders and the
    folder's own notes (README...) left out, other kinds of file passed over quietly."""
    found = []
    for where, dirs, files in os.walk(folder, onerror=lambda e: polled.problems.append(
            f"{shown(e.filename)}: cannot read this folder: {e.strerror}")):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.startswith(".") or f.upper().startswith(_NOT_ARTICLES):
                continue
            if os.path.splitext(f)[1].lower() in EXTENSIONS:
                found.append(Path(where, f))
    return sorted(found)


def _land(ws: wsp.Workspace, gaz: Gazetteer, polled: Polled, items: list[_Item],
          before: wsp.SourceState, after: wsp.SourceState, *, keep_seen: bool = True,
          by: str = wsp.LOCAL) -> Polled:
    """Add the items' new articles and the source's new state in one change of the store.

    Under the store's lock, what another process added meanwhile counts as known too, so
    two watches of one feed add each story once. An item that fails to land (the store is
    full, a bug in extraction) is not marked seen and the source keeps its old validators,
    so the next poll tries it again.
    """
    with wsp.holding(ws, gaz):
        urls, hashes = _known(ws)
        batches, keys = [], []
        for item in items:
            fresh = []
            for a in item.articles:
                url, digest = _canonical(a.url) if a.url else None, _digest(a.text)
                if url in urls or digest in hashes:
                    polled.known += 1
                    continue
                if url:
                    urls.add(url)
                hashes.add(digest)
                fresh.append(a)
            if fresh:
                batches.append((item.name, fresh, None))
            keys.append(item.key)
        handled = [k for k in keys if k]
        seen = (before.seen + tuple(k for k in handled if k not in before.seen))[-MAX_SEEN:] \
            if keep_seen else after.seen
        state = replace(after, seen=seen, checked=_now())
        if not batches and replace(state, checked=before.checked, result=before.result) == before:
            return polled  # nothing to remember: the store is not written
        outcomes = wsp.add_articles(ws, batches, gaz, sources=[state], by=by)
        failed = [(name, o) for (name, _, _), o in zip(batches, outcomes) if not o.ok]
        for name, o in failed:
            polled.problems.append(f"{shown(name)}: {o.error}")
        if failed:  # try those again next time: forget them, and send the old validators
            names = {name for name, _ in failed}
            lost = {i.key for i in items if i.name in names}
            wsp.save_sources(ws, [replace(before, seen=tuple(k for k in seen if k not in lost))], gaz)
        new = {a for o in outcomes for a in o.articles}
        polled.articles = tuple(a for o in outcomes for a in o.articles)
        polled.events = sum(1 for e in ws.events if any(s.article in new for s in e.sources))
    return polled


# ---------------------------------------------------------------- the command

def watch(store: str | os.PathLike[str], sources: Sequence[str], gaz: Gazetteer, *,
          every: float | None = None, timeout: float = TIMEOUT, tries: int = TRIES,
          backoff: float = BACKOFF, say: Callable[[str], None] = print,
          warn: Callable[[str], None] = print, sleep: Callable[[float], None] = time.sleep,
          polls: int | None = None, by: str = "watch") -> int:
    """Poll ``sources`` into the store at ``store``: once (``every`` None), else every
    ``every`` seconds until interrupted (or ``polls`` polls). ``say`` gets each source's
    line, ``warn`` each failed source or page. The status of the last poll: 0 all well,
    1 something failed, 3 a bug met on some source. The store's history records what it adds
    as added ``by`` "watch".
    """
    ws = wsp.open_workspace(store, gaz, samples=None)
    status, done = 0, 0
    while True:
        started = time.monotonic()
        results = poll(ws, sources, gaz, timeout=timeout, tries=tries, backoff=backoff,
                       report=lambda p: _tell(p, say, warn), by=by)
        status = 3 if any(p.internal for p in results) else 0 if all(p.ok for p in results) else 1
        done += 1
        if every is None or polls is not None and done >= polls:
            return status
        sleep(max(0.0, every - (time.monotonic() - started)))


def _tell(polled: Polled, say: Callable[[str], None], warn: Callable[[str], None]) -> None:
    for problem in polled.problems:
        warn(f"skipped {shown(problem)}" if "used the feed's summary" not in problem else shown(problem))
    if polled.error is not None:
        warn(polled.line if polled.internal else f"skipped {polled.line}")
    else:
        say(polled.line)


__all__ = ["BACKOFF", "Fetched", "Polled", "TIMEOUT", "TRIES", "USER_AGENT", "fetch", "follow",
           "followed", "parse_every", "poll", "source_key", "watch"]
