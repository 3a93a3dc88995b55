"""Events from short reports written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from geo.articles import parse_article
from geo.events import _fatalities, events_from_articles, sentences


def article(name: str, text: str, published: str):
    (art,) = parse_article(text.encode("utf-8"), name, published=date.fromisoformat(published))
    return art


WIRE = ("KABUL, May 3 (Wire) - Pakistani jets struck militant hideouts in Afghanistan's Khost "
        "province on Thursday, killing eight people, Afghan officials said.\n\n"
        "The foreign ministers of both countries will meet in Doha next week, a spokesman said.\n\n"
        "Stay tuned for the latest updates on the cricket series! Click here\n")
PAPER = ("Afghan officials said air strikes by Pakistan on Thursday killed eight people in Khost "
         "province. The United Nations urged both sides to show restraint.\n")


@pytest.fixture(scope="module")
def events(gazetteer):
    return events_from_articles([article("wire.txt", WIRE, "2024-05-03"),
                                 article("paper.txt", PAPER, "2024-05-04")], gazetteer)


def test_one_strike_from_two_reports(events):
    strikes = [e for e in events if e.type == "strike"]
    assert len(strikes) == 1
    (strike,) = strikes
    assert strike.date == date(2024, 5, 2) and strike.date_precision == "day"
    assert (strike.country, strike.place_kind) == ("AF", "admin1")  # Khost province
    assert strike.fatalities == 8  # reported twice, counted once
    assert strike.num_sources == 2
    assert {s.article for s in strike.sources} == {"wire.txt", "paper.txt"}


def test_appeal_and_no_boilerplate(events):
    appeals = [e for e in events if e.type == "appeal"]
    assert [e.actors for e in appeals] == [["United Nations"]]
    assert not any("cricket" in s.sentence for e in events for s in e.sources)


def test_sources_point_at_their_sentence(events):
    texts = {"wire.txt": WIRE, "paper.txt": PAPER}
    for e in events:
        for s in e.sources:
            assert texts[s.article][s.start:s.end] == s.sentence


def test_ids_are_stable(gazetteer, events):
    again = events_from_articles([article("wire.txt", WIRE, "2024-05-03"),
                                  article("paper.txt", PAPER, "2024-05-04")], gazetteer)
    assert [e.id for e in again] == [e.id for e in events]


@pytest.mark.parametrize(("text", "count"), [
    ("The blast killed nine people, including four children.", 9),
    ("Shelling killed 12 civilians overnight.", 12),
    ("Officials said the raid killed twenty-one soldiers.", 21),
    ("Two children were among the wounded.", None),
])
def test_fatalities(text, count):
    assert _fatalities(text) == count


def test_sentences_keep_abbreviations_together():
    text = "The war began on Oct. 7 in the south. The U.S. urged calm."
    assert [s.text for s in sentences(text)] == ["The war began on Oct. 7 in the south.",
                                                 "The U.S. urged calm."]
