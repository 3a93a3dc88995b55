"""The event record every later step shares (extract, merge, store, map).

Field names and allowed values are the contract's (../shared/CONTRACT.md,
"Events"); tests/test_contract.py keeps the enums here equal to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Event type -> category. ACLED / PLOVER equivalents are documented in geo/events.py.
EVENT_TYPES = {
    "strike": "violence", "attack": "violence", "armed_clash": "violence",
    "military_exercise": "security", "meeting": "diplomacy", "diplomatic_contact": "diplomacy",
    "statement": "diplomacy", "appeal": "diplomacy", "agreement": "diplomacy",
    "travel": "diplomacy", "protest": "politics", "election": "politics", "other": "other",
}
CATEGORIES = ("violence", "diplomacy", "security", "politics", "other")
DATE_PRECISIONS = ("day", "week", "month", "year")
GEO_PRECISIONS = ("point", "admin1", "country", "region")


@dataclass(frozen=True)
class Source:
    """Where an event was reported: the article, the sentence and its offsets."""

    article: str
    sentence: str
    start: int
    end: int
    rule: str = ""  # the trigger rule that fired (geo/rules/triggers.jsonl)


@dataclass
class Event:
    """One real-world event, with every report of it."""

    type: str
    date: date | None
    date_precision: str = "day"
    end_date: date | None = None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    place: str | None = None
    place_id: str | None = None
    place_kind: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    fatalities: int | None = None
    summary: str = ""
    sources: list[Source] = field(default_factory=list)
    id: str = ""

    @property
    def category(self) -> str:
        return EVENT_TYPES[self.type]

    @property
    def num_sources(self) -> int:
        return len({s.article for s in self.sources})
