"""The error types for problems a user can fix, and for bugs met on one input.

Every message is a single line that names the file (or name) and says what
to do, so the CLI can print it as is and carry on with the other inputs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def shown(name: object) -> str:
    """`name` as one printable line: an undecodable byte of a file name as ``\\xff``, a
    newline as ``\\n``, so a hostile name can neither break a terminal nor forge a line."""
    name = os.fsdecode(name) if isinstance(name, bytes) else str(name)
    return "".join(c if c.isprintable() else f"\\x{ord(c) - 0xDC00:02x}"
                   if 0xDC80 <= ord(c) <= 0xDCFF else ascii(c)[1:-1] for c in name)


def _line(text: object) -> str:
    return shown(" ".join(str(text).split()))


class GeoError(Exception):
    """A problem with the user's input or installation, with a one-line message."""


class InputError(GeoError):
    """An input file that cannot be read as an article."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = shown(path)
        self.reason = _line(reason)
        super().__init__(f"{self.path}: {self.reason}")

    def __reduce__(self):  # to and from a cluster's worker processes
        return (InputError, (self.path, self.reason))


class InternalError(GeoError):
    """A bug met while handling one input (not the input's fault): named, and the run goes
    on, so one strange file costs only itself. `error` keeps the original and its traceback."""

    def __init__(self, path: str, error: BaseException) -> None:
        self.path = shown(path)
        self.error = error
        detail = f"{getattr(error, 'kind', type(error).__name__)}: {error}"
        super().__init__(f"{self.path}: internal error ({_line(detail)[:300]}); "
                         "please report it with this file")

    def __reduce__(self):  # the original may not pickle: its name and message do
        return (InternalError, (self.path, Elsewhere(getattr(self.error, "kind", type(self.error).__name__),
                                                     str(self.error))))


class Elsewhere(Exception):
    """A bug met in another process (a cluster's worker), as it was named there."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    def __reduce__(self):
        return (Elsewhere, (self.kind, str(self)))


def guard(article, errors: list[GeoError], work: Callable[[], T]) -> T | None:
    """``work()`` on one article; a bug in it goes to ``errors`` named against the article
    (``article.where``), not raised, so the other articles still come out. GeoErrors (a
    problem the user fixes, such as missing data) are raised as they are."""
    try:
        return work()
    except GeoError:
        raise
    except Exception as exc:
        errors.append(InternalError(article.where, exc))
        return None


class DataError(GeoError):
    """Project data (the gazetteer in data/) is missing or damaged."""
