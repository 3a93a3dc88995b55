"""The code agrees with ../shared/CONTRACT.md: commands, their options, the places keys."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from geo import cli
from geo.places import find_places

pytestmark = pytest.mark.shared

# Contract commands still to be written. Take a command out when it lands: the
# test then checks it like the others (and fails while it is still listed here).
NOT_YET: set[str] = set()
# Commands this project has beyond the contract (which may be extended, never narrowed):
# each is documented in README's command table instead, and checked against it below.
BEYOND: set[str] = {"watch", "history", "restore"}
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def contract(shared) -> str:
    return (shared / "CONTRACT.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def contract_usage(contract) -> dict[str, str]:
    """Command -> its usage line, from the contract's command table."""
    usage = dict(re.findall(r"^\| `conflictmap (\w+)(.*?)` \|", contract, re.M))
    assert usage, "no command table found in CONTRACT.md"
    return usage


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli._parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_commands_match_the_contract(contract_usage):
    implemented = set(subcommands())
    assert NOT_YET <= set(contract_usage), "NOT_YET lists a command the contract does not have"
    done = implemented & NOT_YET
    assert not done, f"implemented now, so take them out of NOT_YET: {sorted(done)}"
    assert not BEYOND & set(contract_usage), "in the contract now: take it out of BEYOND"
    assert implemented - BEYOND == set(contract_usage) - NOT_YET


def _readme_usage() -> dict[str, str]:
    return dict(re.findall(r"^\| `conflictmap (\w+)(.*?)` \|", README.read_text(encoding="utf-8"), re.M))


def test_commands_beyond_the_contract_are_in_the_readme():
    usage = _readme_usage()
    assert BEYOND <= set(subcommands())
    for name in BEYOND:
        assert name in usage, f"conflictmap {name} is not in README's command table"
        options = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", usage[name]))
        assert options, f"README's row for conflictmap {name} names no options"
        missing = options - set(subcommands()[name]._option_string_actions)
        assert not missing, f"README names options conflictmap {name} lacks: {sorted(missing)}"


def test_contract_options_exist(contract_usage):
    for name, parser in subcommands().items():
        if name in BEYOND:
            continue
        options = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", contract_usage[name]))
        missing = options - set(parser._option_string_actions)
        assert not missing, f"conflictmap {name} lacks contract options {sorted(missing)}"


def test_places_keys_match_the_contract(contract, gazetteer):
    section = contract.split("## Places", 1)[1]
    example = re.search(r"`(\{.*?\})`", section, re.S)
    assert example, "no JSON example in the contract's Places section"
    keys = re.findall(r'"(\w+)":', example.group(1))
    (mention, *_) = find_places("Talks were held in Islamabad.", gazetteer, "a.txt")
    row = mention.to_json()
    assert list(row) == keys
    json.dumps(row)  # plain JSON values only


def _contract_values(contract: str, key: str) -> list[str]:
    row = re.search(rf"^\| `{key}` \|(.*)\|\s*$", contract, re.M)
    assert row, f"no `{key}` row in the contract's Events table"
    return re.findall(r"`(\w+)`", row.group(1).split(",", 1)[0] if key == "date" else row.group(1))


def test_event_enums_match_the_contract(contract):
    from geo.model import CATEGORIES, DATE_PRECISIONS, EVENT_TYPES, GEO_PRECISIONS

    assert _contract_values(contract, "type") == list(EVENT_TYPES)
    assert _contract_values(contract, "category") == list(CATEGORIES)
    assert _contract_values(contract, "date_precision") == list(DATE_PRECISIONS)
    assert _contract_values(contract, "geo_precision") == list(GEO_PRECISIONS)
    assert set(EVENT_TYPES.values()) <= set(CATEGORIES)
