"""A very long sentence is read like its parts (issue 9: no full stop for 200 KB).

How long it takes is measured in bench/longtext.py; here only what comes out is checked.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from geo.articles import Article
from geo.events import extract_reports

PARTS = ("Russian drones struck Kharkiv, killing two people",
         "gunmen attacked a bus near Quetta, killing four people",
         "militants stormed a village in Borno state and killed 23 farmers")


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _told(text: str, gazetteer) -> Counter:
    art = Article("long.txt", "", text, date(2024, 1, 19), "option", None, "long.txt")
    return Counter((r.event.type, r.event.place, r.event.fatalities) for r in extract_reports(art, gazetteer))


def test_a_200_kb_sentence_gives_the_events_of_its_parts(gazetteer):
    alone = sum((_told(_sentence(part) + ".", gazetteer) for part in PARTS), Counter())
    assert alone == {("strike", "Kharkiv", 2): 1, ("attack", "Quetta", 4): 1,
                     ("attack", "Borno State", 23): 1}
    unit = "; ".join(PARTS)
    times = 200_000 // (len(unit) + 2) + 1
    long = "; ".join([unit] * times)  # one sentence: no full stop anywhere
    assert len(long) > 200_000
    assert _told(_sentence(long), gazetteer) == {key: times for key in alone}
