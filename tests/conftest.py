"""Shared fixtures: the real gazetteer from data/ and the ../shared folder beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, load_gazetteer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """The gazetteer shipped in data/, loaded once for the whole run."""
    return load_gazetteer()


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
