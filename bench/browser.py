"""The app served and opened as a reader opens it, for bench/app.py and scripts/screenshots.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"  # Debian's, driven through Playwright (no browser download)


@contextmanager
def serve_app(store: Path, **env: str) -> Iterator[int]:
    """`streamlit run app.py` on a free port of 127.0.0.1 with the store at `store` (and `env` set);
    the port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=dict(os.environ, CONFLICTMAP_STORE=str(store), **env),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def open_when_up(page, port: int) -> None:
    """Open the app as soon as its server answers, until its figures and map are on screen."""
    deadline = time.monotonic() + 60
    while True:
        try:
            page.goto(f"http://127.0.0.1:{port}/", timeout=5000)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=60_000)
    page.frame_locator("iframe").first.locator("[data-drawn-events]").wait_for(timeout=60_000)
