"""What this machine keeps between runs: the app's map folder and each article's event reports.

Extraction is the slow step (a parse per sentence with a trigger), and its result depends only
on the article, its corrections, the gazetteer and this code. So each article's reports are
kept as JSON under the user's cache folder, named by a hash of all of those: a restart, a new
store of the same articles or a `conflictmap watch --once` run never extracts an article
again, and a new version of the code or the gazetteer never reads an old result. JSON, not
pickle: a file in the cache is data, never code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from geo.merge import Report

REPORTS = "reports"
_FLAGS = ("dated", "rule", "strength", "anaphoric", "total", "planned", "separate", "story")


def cache_root() -> Path:
    """$CONFLICTMAP_CACHE, else the user's cache folder (``~/.cache/conflict-map``)."""
    if os.environ.get("CONFLICTMAP_CACHE"):
        return Path(os.environ["CONFLICTMAP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "conflict-map"


@cache
def code_version(parser: str) -> str:
    """A hash of everything extraction depends on besides its inputs: this package's code and
    rules, and which parser reads roles (and its version)."""
    h = hashlib.sha256(parser.encode("utf-8"))
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *(package / "rules").iterdir()]):
        h.update(path.name.encode("utf-8") + b"\x00" + path.read_bytes())
    if parser == "spacy":
        from geo.syntax import pipeline_name

        h.update(pipeline_name().encode("utf-8"))
    return h.hexdigest()


@cache
def data_version(folder: Path) -> str:
    """The gazetteer's data as a hash of its files' names, sizes and times."""
    found = [(p.name, p.stat()) for p in Path(folder).iterdir() if p.is_file()]
    files = sorted((name, st.st_size, st.st_mtime_ns) for name, st in found)
    return hashlib.sha256(json.dumps([str(folder), files]).encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    return cache_root() / REPORTS / key[:2] / f"{key}.json"


def load_reports(key: str) -> tuple[Report, ...] | None:
    """The reports kept under ``key``, or None (never kept, or unreadable: extract again)."""
    from geo.store import _event_from_feature

    try:
        rows = json.loads(_path(key).read_text(encoding="utf-8"))
        return tuple(Report(_event_from_feature(r["event"]), **{k: r[k] for k in _FLAGS}) for r in rows)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def keep_reports(key: str, reports: tuple[Report, ...]) -> None:
    """Keep them under ``key`` (written whole, then moved into place); a cache that cannot be
    written is passed over: extraction still works, only slower next time."""
    from geo.store import _feature

    rows = [{"event": _feature(r.event), **{k: getattr(r, k) for k in _FLAGS}} for r in reports]
    path = _path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(rows, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass
