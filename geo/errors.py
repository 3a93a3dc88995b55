"""The one error type for problems a user can fix.

Every message is a single line that names the file (or name) and says what
to do, so the CLI can print it as is and carry on with the other inputs.
"""

from __future__ import annotations


class GeoError(Exception):
    """A problem with the user's input or installation, with a one-line message."""


class InputError(GeoError):
    """An input file that cannot be read as an article."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class DataError(GeoError):
    """Project data (the gazetteer in data/) is missing or damaged."""
