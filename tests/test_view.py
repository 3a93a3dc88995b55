"""Filters and summaries behind every view of the app (geo.view)."""

from __future__ import annotations

from datetime import date

from geo.model import Event, Source
from geo.view import Filters, actors, date_span, figures, filter_events, per_day, table_rows


def event(kind, day, *, end=None, actors=(), targets=(), country=None, fatalities=None, articles=("a",)):
    return Event(type=kind, date=day, end_date=end, actors=list(actors), targets=list(targets),
                 country=country, fatalities=fatalities, id=f"{kind}-{day}",
                 sources=[Source(a, "s", 0, 1) for a in articles])


EVENTS = [
    event("strike", date(2024, 1, 16), actors=["Iran"], targets=["Pakistan"], country="PK",
          fatalities=2, articles=("a", "b")),
    event("strike", date(2024, 1, 18), actors=["Pakistan"], targets=["Iran"], country="IR", fatalities=9),
    event("meeting", date(2024, 1, 29), end=date(2024, 1, 30), actors=["Iran", "Pakistan"], country="PK"),
    event("protest", None),
]


def test_no_filter_keeps_everything():
    assert filter_events(EVENTS, Filters()) == EVENTS


def test_dates_overlap_the_range_and_undated_events_drop_out():
    kept = filter_events(EVENTS, Filters(start=date(2024, 1, 17), end=date(2024, 1, 29)))
    assert [e.id for e in kept] == ["strike-2024-01-18", "meeting-2024-01-29"]
    kept = filter_events(EVENTS, Filters(start=date(2024, 1, 30)))  # the meeting's second day
    assert [e.id for e in kept] == ["meeting-2024-01-29"]


def test_an_actor_matches_either_side():
    assert len(filter_events(EVENTS, Filters(actors=frozenset({"Iran"})))) == 3
    assert [e.type for e in filter_events(EVENTS, Filters(actors=frozenset({"Pakistan"}),
                                                          categories=frozenset({"violence"})))] == [
        "strike", "strike"]


def test_country_type_and_sources():
    assert len(filter_events(EVENTS, Filters(countries=frozenset({"PK"})))) == 2
    assert len(filter_events(EVENTS, Filters(types=frozenset({"meeting", "protest"})))) == 2
    assert [e.id for e in filter_events(EVENTS, Filters(min_sources=2))] == ["strike-2024-01-16"]


def test_figures_count_strikes_fatalities_and_distinct_articles():
    f = figures(EVENTS)
    assert (f.events, f.strikes, f.fatalities, f.sources) == (4, 2, 11, 2)


def test_summaries():
    assert date_span(EVENTS) == (date(2024, 1, 16), date(2024, 1, 30))
    assert date_span([]) is None
    assert actors(EVENTS) == ["Iran", "Pakistan"]
    assert per_day(EVENTS) == [
        {"date": date(2024, 1, 16), "category": "violence", "events": 1},
        {"date": date(2024, 1, 18), "category": "violence", "events": 1},
        {"date": date(2024, 1, 29), "category": "diplomacy", "events": 1}]
    row = table_rows(EVENTS[:1])[0]
    assert (row["actors"], row["targets"], row["articles"], row["sources"]) == ("Iran", "Pakistan", "a; b", 2)
