"""Progress of a long run on the terminal: what is done, how fast, how long is left.

One line on stderr, redrawn in place at most twice a second, and only when stderr is a
terminal: a run whose output is piped or logged stays quiet (its run report still comes).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

_EVERY = 0.5  # seconds between redraws


@dataclass
class Progress:
    """Files done out of ``total``, with the articles and event reports they gave."""

    total: int
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    shown: bool | None = None  # None: only on a terminal
    files: int = 0
    articles: int = 0
    reports: int = 0
    started: float = field(default_factory=time.perf_counter)
    _drawn: float = 0.0
    _width: int = 0

    def __post_init__(self) -> None:
        if self.shown is None:
            self.shown = bool(getattr(self.stream, "isatty", lambda: False)())

    def add(self, files: int, articles: int, reports: int) -> None:
        self.files += files
        self.articles += articles
        self.reports += reports
        now = time.perf_counter()
        if self.shown and (now - self._drawn >= _EVERY or self.files >= self.total):
            self._drawn = now
            self._draw(self.line(now))

    def line(self, now: float | None = None) -> str:
        """"1,200 of 50,000 files, 1,530 articles, 4,210 event reports, 180 articles/s, 4 min 31 s left"."""
        elapsed = max((now or time.perf_counter()) - self.started, 1e-9)
        parts = [f"{self.files:,} of {self.total:,} files", f"{self.articles:,} articles",
                 f"{self.reports:,} event reports", f"{self.articles / elapsed:,.0f} articles/s"]
        if 0 < self.files < self.total:
            parts.append(f"{_duration(elapsed / self.files * (self.total - self.files))} left")
        return ", ".join(parts)

    def done(self) -> None:
        """Clear the line: the run report takes its place."""
        if self.shown and self._width:
            self._draw("")

    def _draw(self, text: str) -> None:
        self.stream.write("\r" + text.ljust(self._width) + ("" if text else "\r"))
        self.stream.flush()
        self._width = len(text)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
