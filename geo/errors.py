"""The error types for problems a user can fix, and for bugs met on one input.

Every message is a single line that names the file (or name) and says what
to do, so the CLI can print it as is and carry on with the other inputs.
"""

from __future__ import annotations

import os


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


class InternalError(GeoError):
    """A bug met while handling one input (not the input's fault): named, and the run goes
    on, so one strange file costs only itself. `error` keeps the original and its traceback."""

    def __init__(self, path: str, error: BaseException) -> None:
        self.path = shown(path)
        self.error = error
        detail = f"{type(error).__name__}: {error}"
        super().__init__(f"{self.path}: internal error ({_line(detail)[:300]}); "
                         "please report it with this file")


class DataError(GeoError):
    """Project data (the gazetteer in data/) is missing or damaged."""
