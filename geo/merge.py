"""Step five of the flow: one event per real-world event, however many reports tell it.

Reports that carry their own date ("on Tuesday", "Thursday's strikes") found events;
reports whose only date is the article's ("Islamabad said it hit bases of ...") are
weaker: they join the one event they fit best, and stand alone only when they name who
acted or where.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from geo.model import Event

# Reports of one event may name it differently only within violence ("the attack",
# "the strikes", "the fighting"); a call is never a meeting, a visit never a call.
_VIOLENCE = frozenset({"strike", "attack", "armed_clash"})
_TYPE_RANK = {"strike": 0, "armed_clash": 1, "attack": 2}  # the most telling name wins
_WINDOW = {"day": 0, "week": 6, "month": 31, "year": 366}
_GEO_RANK = {"point": 0, "admin1": 1, "region": 2, "country": 3, None: 4}


@dataclass
class Report:
    """One clause's account of an event; `dated` when the clause itself says when."""

    event: Event
    dated: bool = True


def _kin_key(e: Event) -> str:
    return "violence" if e.type in _VIOLENCE else e.type


def _kin(a: Event, b: Event) -> bool:
    return _kin_key(a) == _kin_key(b)


def _near_in_time(a: Event, b: Event) -> bool:
    if a.date is None or b.date is None:
        return False
    window = max(_WINDOW[a.date_precision], _WINDOW[b.date_precision])
    return abs((a.date - b.date).days) <= window


def _compatible(a: Event, b: Event) -> bool:
    """Nothing the two reports say contradicts one event."""
    if not (_kin(a, b) and _near_in_time(a, b)):
        return False
    if a.actors and b.actors and not set(a.actors) & set(b.actors):
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.type not in _VIOLENCE and a.targets and b.targets and not set(a.targets) & set(b.targets):
        return False  # a call with Iran is not a call with Turkey
    return True


def _same_event(a: Event, b: Event) -> bool:
    """Two dated reports: compatible, and where only one is placed, the rest agrees exactly."""
    if not _compatible(a, b):
        return False
    if bool(a.country) != bool(b.country):
        return a.date == b.date and (bool(set(a.actors) & set(b.actors)) or not (a.actors or b.actors))
    return True


def _fit(event: Event, report: Event) -> tuple:
    """How well an undated report fits an event: shared actors, targets, place, then time."""
    return (len(set(event.actors) & set(report.actors)), len(set(event.targets) & set(report.targets)),
            bool(event.country and event.country == report.country),
            -abs(((event.date or date.min) - (report.date or date.min)).days))


def _fold(into: Event, ev: Event) -> None:
    """Add one report's facts and sources to an event."""
    if _GEO_RANK[ev.geo_precision] < _GEO_RANK[into.geo_precision]:
        for key in ("place", "place_id", "place_kind", "country", "admin1", "lat", "lon", "geo_precision"):
            setattr(into, key, getattr(ev, key))
    if _WINDOW[ev.date_precision] < _WINDOW[into.date_precision]:
        into.date, into.date_precision, into.end_date = ev.date, ev.date_precision, ev.end_date
    if _TYPE_RANK.get(ev.type, 9) < _TYPE_RANK.get(into.type, 9):
        into.type = ev.type
    into.actors = _dedupe(into.actors + ev.actors)
    into.targets = _dedupe(t for t in into.targets + ev.targets if t not in into.actors)
    if ev.fatalities is not None:  # reports of one event: the highest count, never a sum
        into.fatalities = max(into.fatalities or 0, ev.fatalities)
    into.sources.extend(s for s in ev.sources if s not in into.sources)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _order(r: Report) -> tuple:
    e, first = r.event, r.event.sources[0] if r.event.sources else None
    return (e.date or date.min, e.type, first.article if first else "", first.start if first else 0)


def merge_reports(reports: Iterable[Report]) -> list[Event]:
    """One event per real-world event: reports folded together, every source kept."""
    reports = sorted(reports, key=_order)  # the same events whatever order the articles came in
    merged: list[Event] = []
    kin: dict[str, list[Event]] = {}  # only events of one kin can be one event: look among those

    def add(ev: Event) -> None:
        merged.append(ev)
        kin.setdefault(_kin_key(ev), []).append(ev)

    for r in (r for r in reports if r.dated):
        twin = next((m for m in kin.get(_kin_key(r.event), []) if _same_event(m, r.event)), None)
        if twin is None:
            add(r.event)
        else:
            _fold(twin, r.event)
    for r in (r for r in reports if not r.dated):
        ev = r.event
        fits = [m for m in kin.get(_kin_key(ev), []) if _compatible(m, ev)
                and (ev.actors or ev.country or ev.targets)]
        if fits:
            _fold(max(fits, key=lambda m: _fit(m, ev)), ev)
        elif ev.actors or ev.country:
            add(ev)
    for ev in merged:
        ev.sources.sort(key=lambda s: (s.article, s.start))
        ev.id = _stable_id(ev)
    return sorted(merged, key=lambda e: (e.date or date.min, e.type, e.id))


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge events that each carry their own date (events read back from a file, say)."""
    return merge_reports(Report(e) for e in events)


def _stable_id(ev: Event) -> str:
    first = ev.sources[0] if ev.sources else None
    key = f"{ev.type}|{ev.date}|{ev.place_id}|{','.join(ev.actors)}|" \
          f"{first.article if first else ''}|{first.start if first else ''}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
