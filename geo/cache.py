"""What this machine keeps between runs: the app's map folder, each article's event reports,
each web page's main text and the gazetteer's outlines by id.

Extraction is the slow step (a parse per sentence with a trigger), and its result depends only
on the article, its corrections, the gazetteer and this code. So each article's reports are
kept as JSON under the user's cache folder, named by a hash of all of those: a restart, a new
store of the same articles or a `conflictmap watch --once` run never extracts an article
again, and a new version of the code or the gazetteer never reads an old result. Reading a
web page (trafilatura, then a language check whose model takes 0.4 s to load) is kept the
same way, by the page's bytes. JSON, not pickle: a file in the cache is data, never code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import fields
from functools import cache
from pathlib import Path

REPORTS = "reports"
PAGES = "pages"
LANGUAGES = "languages"


def cache_root() -> Path:
    """$CONFLICTMAP_CACHE, else the user's cache folder (``~/.cache/conflict-map``)."""
    if os.environ.get("CONFLICTMAP_CACHE"):
        return Path(os.environ["CONFLICTMAP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "conflict-map"


@cache
def code_version(parser: str) -> str:
    """A hash of everything a kept result depends on besides its inputs: this package's code
    and rules, and which parser reads roles (and its version); "pages": the versions of the
    libraries that read web pages."""
    h = hashlib.sha256(parser.encode("utf-8"))
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *(package / "rules").iterdir()]):
        h.update(path.name.encode("utf-8") + b"\x00" + path.read_bytes())
    if parser == "spacy":
        from geo.syntax import pipeline_name

        h.update(pipeline_name().encode("utf-8"))
    if parser == PAGES:
        from importlib.metadata import version

        h.update(" ".join(version(p) for p in ("trafilatura", "htmldate", "py3langid")).encode("utf-8"))
    return h.hexdigest()


@cache
def data_version(folder: Path) -> str:
    """The gazetteer's data as a hash of its files' names, sizes and times."""
    found = [(p.name, p.stat()) for p in Path(folder).iterdir() if p.is_file()]
    files = sorted((name, st.st_size, st.st_mtime_ns) for name, st in found)
    return hashlib.sha256(json.dumps([str(folder), files]).encode("utf-8")).hexdigest()


def _path(kind: str, key: str) -> Path:
    return cache_root() / kind / key[:2] / f"{key}.json"


def load_kept(kind: str, key: str):
    """What :func:`keep` kept under ``kind``/``key``, or None (never kept, or unreadable)."""
    try:
        return json.loads(_path(kind, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def keep(kind: str, key: str, value) -> None:
    """Keep ``value`` (JSON) under ``kind``/``key``, written whole, then moved into place; a cache
    that cannot be written is passed over: everything still works, only slower next time."""
    path = _path(kind, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(value, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass


def kept(kind: str):
    """Decorator: a function of strings whose result (JSON) is kept on the machine, named by a
    hash of its arguments and of the libraries that read pages (``code_version(PAGES)``)."""
    def wrap(fn):
        @functools.wraps(fn)
        def remembered(*args: str | bool):
            key = hashlib.sha256("\x00".join([code_version(PAGES), fn.__name__, *map(str, args)]).encode(
                "utf-8", "surrogatepass")).hexdigest()
            found = load_kept(kind, key)
            if isinstance(found, dict) and "value" in found:
                return found["value"]
            value = fn(*args)
            keep(kind, key, {"value": value})
            return value
        return remembered
    return wrap


def load_reports(key: str):
    """The reports kept under ``key``, or None (never kept, or unreadable: extract again)."""
    from geo.merge import Report
    from geo.store import _event_from_feature

    try:
        return tuple(Report(_event_from_feature(r["event"]), **{k: r[k] for k in _flags()})
                     for r in load_kept(REPORTS, key))
    except (ValueError, KeyError, TypeError):
        return None


def keep_reports(key: str, reports) -> None:
    """Keep a tuple of ``geo.merge.Report`` under ``key``."""
    from geo.store import _feature

    keep(REPORTS, key, [{"event": _feature(r.event), **{k: getattr(r, k) for k in _flags()}}
                        for r in reports])


@cache
def _flags() -> tuple[str, ...]:
    """Every field of a report beside its event: what a kept report must bring back."""
    from geo.merge import Report

    return tuple(f.name for f in fields(Report) if f.name != "event")
