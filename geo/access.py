"""Who may change the team's store from the app: viewers see everything, editors change it.

The app asks three things, answered here without Streamlit so they can be tested alone:
is an editor secret configured (``editor_secret``: ``st.secrets["editor_secret"]``, else
``$CONFLICTMAP_EDITOR_SECRET``), whose signed-in e-mail makes them an editor
(``editor_emails``: ``st.secrets["editors"]``, else ``$CONFLICTMAP_EDITORS``), and does a
typed password match (``secret_matches``, in constant time). A :class:`Throttle` slows
repeated wrong passwords: after each failure the next try must wait, twice as long as the
time before, up to ``MAX_DELAY``. No secret is ever logged, shown or kept by this module.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

SECRET_ENV = "CONFLICTMAP_EDITOR_SECRET"
EDITORS_ENV = "CONFLICTMAP_EDITORS"
BASE_DELAY = 1.0  # seconds to wait after the first wrong password
MAX_DELAY = 60.0  # the longest wait, however many wrong tries
clock = time.monotonic  # a test may replace it; only differences of it are used


def editor_secret(secrets: Mapping, environ: Mapping[str, str]) -> str | None:
    """The editor password, from the app's secrets or the environment; None when neither sets one."""
    value = secrets.get("editor_secret") if secrets else None
    if value is None:
        value = environ.get(SECRET_ENV)
    value = str(value) if value is not None else ""
    return value if value.strip() else None


def editor_emails(secrets: Mapping, environ: Mapping[str, str]) -> frozenset[str]:
    """The e-mail addresses (lower-cased) whose signed-in users edit: ``editors`` in the app's
    secrets (a list, or one comma-separated string), else ``$CONFLICTMAP_EDITORS``."""
    value = secrets.get("editors") if secrets else None
    if value is None:
        value = environ.get(EDITORS_ENV, "")
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return frozenset(e.strip().lower() for e in items if e.strip())


def secret_matches(given: str, secret: str) -> bool:
    """``given`` is the secret; the comparison takes as long wherever they first differ."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"),
                               secret.encode("utf-8", "surrogatepass"))


def who(name: str, default: str = "editor") -> str:
    """An editor's name for the store's history: one line, at most 100 characters."""
    return " ".join(str(name).split())[:100] or default


@dataclass
class Throttle:
    """Wrong tries and the wait they impose: after the n-th failure beyond ``free``, the next
    try waits ``BASE_DELAY * 2 ** (n - 1)`` seconds, at most ``MAX_DELAY``. Thread-safe, so
    one can be shared by a whole server as well as kept per session."""

    free: int = 0  # failures allowed before any wait (a server-wide throttle allows some)
    failures: int = 0
    delay: float = 0.0  # the wait the last failure imposed
    until: float = 0.0  # clock() before which no try is looked at
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def wait(self, now: float | None = None) -> float:
        """Seconds until a try may be made (0: now)."""
        now = clock() if now is None else now
        with self._lock:
            return max(0.0, self.until - now)

    def failed(self, now: float | None = None) -> float:
        """Count a wrong try; the seconds the next one must wait."""
        now = clock() if now is None else now
        with self._lock:
            self.failures += 1
            over = self.failures - self.free
            self.delay = min(MAX_DELAY, BASE_DELAY * 2 ** min(over - 1, 30)) if over > 0 else 0.0
            self.until = now + self.delay
            return self.delay

    def passed(self) -> None:
        """The right secret: start afresh."""
        with self._lock:
            self.failures, self.delay, self.until = 0, 0.0, 0.0


__all__ = ["BASE_DELAY", "EDITORS_ENV", "MAX_DELAY", "SECRET_ENV", "Throttle", "editor_emails",
           "editor_secret", "secret_matches", "who"]
