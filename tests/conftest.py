"""Shared fixtures: the real gazetteer from data/, the ../shared folder beside the checkout, and
the stores (a GeoPackage file, a throwaway PostgreSQL with PostGIS: tests/pgserver.py)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, load_gazetteer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# The run's own cache (geo.cache): no result of an earlier run, or of another checkout, is reused.
os.environ["CONFLICTMAP_CACHE"] = tempfile.mkdtemp(prefix="conflictmap-test-cache-")


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """The gazetteer shipped in data/, loaded once for the whole run."""
    return load_gazetteer()


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL with PostGIS of the run's own, started here and removed at the end;
    skipped with the reason where it cannot start."""
    from pgserver import Unavailable, start

    try:
        server = start()
    except Unavailable as e:
        pytest.skip(f"no PostgreSQL store tests: {e}")
    yield server
    server.stop()


_SCHEMAS = itertools.count(1)


@pytest.fixture
def postgis_url(pg_server) -> str:
    """An empty PostgreSQL store for one test: a new schema of the server's database, named in
    the URL's search_path (PostGIS itself stays in public)."""
    import psycopg

    schema = f"test_{os.getpid()}_{next(_SCHEMAS)}"
    with psycopg.connect(pg_server.url(), autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    return f"{pg_server.url()}?options=-csearch_path%3D{schema},public"


@pytest.fixture(params=["gpkg", "postgis"])
def store_at(request, tmp_path) -> str:
    """Where a store test keeps its store: a GeoPackage file, then a PostgreSQL URL; the same
    tests pass on both."""
    if request.param == "gpkg":
        return str(tmp_path / "store.gpkg")
    return request.getfixturevalue("postgis_url")


@pytest.fixture
def crash_txt_crashes(monkeypatch):
    """Extraction raises for the article "crash.txt": stands in for an unknown bug one article
    triggers, so the tests can show it costs only that article."""
    import geo.workspace as wsp

    real = wsp.extract_reports

    def flaky(article, *args, **kwargs):
        if article.id == "crash.txt":
            raise RuntimeError("boom")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(wsp, "extract_reports", flaky)


@pytest.fixture
def site():
    """A local web site (tests/localsite.py); routes are added by the test."""
    from localsite import Site

    s = Site()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (contract, corpus, gazetteer sources, benchmarks).

    Skipped when it is not beside the checkout; on CI (CI=true), where it is
    always there, a missing folder fails instead, so the tier cannot go quiet.
    """
    if not (SHARED / "CONTRACT.md").is_file():
        message = f"{SHARED} is not beside the checkout"
        if on_ci():
            pytest.fail(f"{message} (CI=true: it must be)")
        pytest.skip(message)
    return SHARED


@dataclass
class PageLog:
    """What a page did: console errors, dialogs it opened, and every request it made."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


_LOCAL = ("file:", "data:", "blob:", "about:")
_LOOPBACK = re.compile(r"^https?://(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::\d+)?(?:/|$)")


def _unavailable(reason: str):
    """Skip a browser test locally; on CI (CI=true), where .ci/run installs Chromium, fail."""
    if on_ci():
        pytest.fail(f"{reason} (CI=true: .ci/run must install it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed; pip install -e '.[test]'")
    executable = os.environ.get("CONFLICTMAP_CHROMIUM") or shutil.which("chromium")
    if not executable:
        _unavailable("chromium is not installed; apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, page_log):
    """A fresh 1280x800 page that may load only local files, data: URIs and this machine.

    Every other request is aborted and listed in ``page_log.blocked``; console errors,
    uncaught exceptions and dialogs (alert, confirm) are recorded in ``page_log`` too.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()

    def route(r):
        url = r.request.url
        page_log.requests.append(url)
        if url.startswith(_LOCAL) or _LOOPBACK.match(url):
            r.continue_()
        else:
            page_log.blocked.append(url)
            r.abort()

    def dialog(d):
        page_log.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.route("**/*", route)
    page.on("console", lambda m: page_log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: page_log.errors.append(str(exc)))
    page.on("dialog", dialog)
    yield page
    context.close()
