"""The reader's limits from the library side: what a caller of geo.articles gets back."""

from __future__ import annotations

import os
from datetime import date

import pytest

from geo.articles import json_depth, parse_article, parse_date, read_articles
from geo.errors import InputError, shown


@pytest.mark.parametrize("value, year", [
    ("Mon, 01 Jan 0001 00:00:00 +0000", 1),  # was read as 2001
    ("Fri, 31 Dec 9999 23:00:00 +0000", 9999),
    ("Mon, 01 Jan 01 00:00:00 +0000", 2001),  # a real two-digit year stays RFC 822's
    ("0001-01-01", 1),
    ("Tue, 05 Mar 2024 10:00:00 GMT", 2024),
])
def test_dates_keep_the_year_as_written(value, year):
    assert parse_date(value).year == year


@pytest.mark.parametrize("header", ["Date: 0001-01-01", "Date: Fri, 31 Dec 9999 10:00:00 +0000",
                                    "Published: 1899-12-31"])
def test_a_date_outside_1900_to_2100_is_refused_not_clamped(header):
    with pytest.raises(InputError, match=r"^a\.txt: date \S+ is outside the years 1900-2100"):
        parse_article(f"{header}\n\nShelling hit Kabul tomorrow and next year.".encode(), "a.txt")


def test_json_depth_ignores_brackets_in_strings():
    assert json_depth('{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert json_depth('"\\"[[["') == 0
    assert json_depth("[" * 101 + "]" * 101) == 101


def test_a_bad_line_costs_only_itself():
    raw = b'{"text": "One."}\n{bad\n{"text": "Two."}\n' + b"[" * 200 + b"\n"
    errors: list = []
    assert [a.id for a in parse_article(raw, "f.jsonl", errors=errors)] == ["f.jsonl#1", "f.jsonl#2"]
    assert [str(e) for e in errors] == [
        "f.jsonl: invalid JSON at line 2, column 2: Expecting property name enclosed in double "
        "quotes (and 1 more); read its other 2 articles"]
    with pytest.raises(InputError, match="line 2"):  # without a list to report to, it raises
        parse_article(raw, "f.jsonl")


def test_special_files_are_refused_without_opening(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    for name, kind in [("pipe.txt", r"a named pipe \(FIFO\)"), ("zero.md", "a character device")]:
        with pytest.raises(InputError, match=f"{name}: {kind}, not a regular file$"):
            list(read_articles([tmp_path / name]))


def test_names_are_shown_on_one_printable_line():
    assert shown(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert shown("a\nb\r\x1b[31m.txt") == "a\\nb\\r\\x1b[31m.txt"
    arabic = "Sana\u2019a \u0627\u0644\u064a\u0645\u0646.txt"
    assert shown(arabic) == arabic
    (art,) = parse_article(b"Date: 2024-01-19\n\nText.", os.fsdecode(b"in/caf\xe9.txt"))
    assert (art.id, art.path, art.published) == ("caf\\xe9.txt", "in/caf\\xe9.txt", date(2024, 1, 19))
