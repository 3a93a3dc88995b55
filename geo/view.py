"""What an analyst is looking at: the events that pass the filters, and their summaries.

Plain functions over Event lists, so the app's figures, chart, table, map and downloads all
come from one filtered list (every view updates together) and each rule is testable
without Streamlit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from geo.model import CATEGORIES, EVENT_TYPES, Event


@dataclass(frozen=True)
class Filters:
    """The analyst's choices; an empty set means "any"."""

    start: date | None = None
    end: date | None = None
    categories: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    min_sources: int = 1
    text: str = ""  # words every shown event's place, sides or sentences hold


def keep(e: Event, f: Filters) -> bool:
    """Does one event pass? Dates overlap the range; an actor may be on either side."""
    if f.start is not None or f.end is not None:
        if e.date is None:
            return False
        last = e.end_date or e.date
        if (f.start is not None and last < f.start) or (f.end is not None and e.date > f.end):
            return False
    if f.categories and EVENT_TYPES[e.type] not in f.categories:
        return False
    if f.types and e.type not in f.types:
        return False
    if f.actors and f.actors.isdisjoint([*e.actors, *e.targets]):
        return False
    if f.countries and e.country not in f.countries:
        return False
    if f.text and not matches(e, f.text):
        return False
    return e.num_sources >= f.min_sources


def matches(e: Event, text: str) -> bool:
    """Does every word of `text` appear (any case) in the event's place, country, actors,
    targets, summary or source sentences? Plain text: no pattern syntax."""
    haystack = " ".join([e.place or "", e.country or "", *e.actors, *e.targets, e.summary or "",
                         *(s.sentence for s in e.sources)]).casefold()
    return all(word in haystack for word in text.casefold().split())


def filter_events(events: Iterable[Event], f: Filters) -> list[Event]:
    return [e for e in events if keep(e, f)]


WINDOWS = {"day": 0, "week": 6, "all": None}  # the map's time windows: days before its day


def in_window(events: Iterable[Event], day: date, window: str) -> list[Event]:
    """The events the map shows on `day` with its time window ("that day", "the week to",
    "everything up to"): those whose span on the map (``geo.maps.visible_span``) meets it."""
    from geo.maps import visible_span

    back = WINDOWS[window]
    first = None if back is None else day - timedelta(days=back)
    out = []
    for e in events:
        if e.date is None:
            continue
        start, end = visible_span(e)
        if start <= day and (first is None or end >= first):
            out.append(e)
    return out


def date_span(events: Iterable[Event]) -> tuple[date, date] | None:
    """First and last day any event covers; None when no event is dated."""
    days = [d for e in events for d in (e.date, e.end_date) if d is not None]
    return (min(days), max(days)) if days else None


def actors(events: Iterable[Event]) -> list[str]:
    """Everyone named as actor or target, most often first."""
    counts = Counter(a for e in events for a in {*e.actors, *e.targets})
    return [a for a, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def countries(events: Iterable[Event]) -> list[str]:
    return sorted({e.country for e in events if e.country})


@dataclass(frozen=True)
class Figures:
    """The headline numbers above the map."""

    events: int
    strikes: int
    fatalities: int
    sources: int  # distinct articles behind the events


def figures(events: list[Event]) -> Figures:
    return Figures(
        events=len(events),
        strikes=sum(e.type == "strike" for e in events),
        fatalities=sum(e.fatalities or 0 for e in events),
        sources=len({s.article for e in events for s in e.sources}),
    )


def per_day(events: Iterable[Event]) -> list[dict]:
    """Events per day and category (for the timeline chart), in date then category order."""
    counts = Counter((e.date, EVENT_TYPES[e.type]) for e in events if e.date is not None)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return [{"date": d, "category": c, "events": n}
            for (d, c), n in sorted(counts.items(), key=lambda kv: (kv[0][0], order[kv[0][1]]))]


TABLE_COLUMNS = ("id", "date", "type", "category", "place", "country", "actors", "targets",
                 "fatalities", "sources", "articles", "summary")


def table_rows(events: Iterable[Event]) -> list[dict]:
    """One row per event for the events table; lists as readable text."""
    return [{
        "id": e.id, "date": e.date, "type": e.type, "category": EVENT_TYPES[e.type],
        "place": e.place or "", "country": e.country or "", "actors": ", ".join(e.actors),
        "targets": ", ".join(e.targets), "fatalities": e.fatalities, "sources": e.num_sources,
        "articles": "; ".join(dict.fromkeys(s.article for s in e.sources)), "summary": e.summary,
    } for e in events]
