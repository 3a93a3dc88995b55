"""Step five of the flow: one event per real-world event, however many reports tell it.

Two reports are one event only on positive evidence: they are of one kind (violence may be
told as a strike, an attack or fighting), near in time by their precision, and they share
a place (the same, a nearby one, or one inside the other) or, when one is unplaced, an
actor. The absence of a contradiction is no agreement: an unplaced report that names no
actor never joins another story's event. Within one article, two kinds of violence at one
place are two events (the article itself tells them apart), and a report dated only by
when it was told ("said on Saturday") may join the same event dated in the text.

Candidates are indexed by kind and span of days, so the cost grows with the number of
reports, not its square. The reports are merged in parts no event can cross (:func:`parts`:
kind and country, tied through the reports that may join events elsewhere, cut in time
where no report reaches across), so a cluster merges the parts in parallel
(``geo.cluster``) and gets exactly the events of one process.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from geo.gazetteer import distance_km
from geo.model import Event
from geo.tolls import sides

_VIOLENCE = frozenset({"strike", "attack", "armed_clash"})
_SPEECH = frozenset({"statement", "appeal"})
_TYPE_RANK = {"strike": 0, "armed_clash": 1, "attack": 2}  # the most telling name wins
_WINDOW = {"day": 0, "week": 6, "month": 31, "year": 366}
_GEO_RANK = {"point": 0, "admin1": 1, "region": 2, "country": 3, None: 4}
_NEAR_KM = {"point": 5, "admin1": 150, "region": 500}  # two named towns are two places
# Two places within _NEAR_KM of each other are never further apart in latitude than this.
_REACH_DEGREES = max(_NEAR_KM.values()) / 111.0 + 0.01
TOLD_DATE = 2  # Report.strength of a date from when the report was told ("said on Friday")


@dataclass
class Report:
    """One clause's account of an event.

    ``dated``: the clause (or the story around it) says when; ``rule``: the trigger rule
    that fired; ``strength``: 0 a date written for the event, 1 a range ("since ..."),
    2 when it was told ("said on Friday"), 3 none (the article's date).
    """

    event: Event
    dated: bool = True
    rule: str = ""
    strength: int = 0
    anaphoric: bool = False  # "the clashes showed ...": joins an event of its own story, never founds one
    total: bool = False  # "727 killed since ...": a toll summing events, merged only with other totals
    planned: bool = False  # "will chair a meeting": joins the meeting others report, never founds one
    separate: bool = False  # "in a separate incident": never one of its own story's other events
    story: str = ""  # which story of its article ("a.txt#2" for the second of notes run together)
    at_forces: bool = False  # an attack on a post or unit under arms ("attacked an army base")
    titled: bool = False  # told in the title line, whose bare names may not place the event


@dataclass(eq=False)
class _Group:
    event: Event
    strength: int
    articles: set[str] = field(default_factory=set)
    total: bool = False
    rules: set[str] = field(default_factory=set)  # the trigger rules of its reports
    seq: int = 0  # its place in the order events were founded (_Index)
    spans: set[int] = field(default_factory=set)  # the spans of days it is listed under (_Index)
    keys: set[tuple] = field(default_factory=set)  # what it is listed under within each span
    at_forces: bool = False  # one of its reports tells an attack on forces


def kin(kind: str) -> str:
    """The kinds one event may be told as."""
    return "violence" if kind in _VIOLENCE else "speech" if kind in _SPEECH else kind


def _stories(r: Report) -> set[str]:
    """The story a report belongs to: its article, or the part of it that tells afresh."""
    return {r.story} if r.story else _articles(r.event)


def _named(actors: Iterable[str]) -> set[str]:
    """Sides named by a proper name: "gunmen" in two stories is no evidence they are one."""
    return {a for a in actors if a[:1].isupper()}


def _articles(e: Event) -> set[str]:
    return {s.article for s in e.sources}


def _near_in_time(g: _Group, r: Report) -> bool:
    a, b = g.event, r.event
    if a.date is None or b.date is None:
        return False
    window = max(_WINDOW[a.date_precision], _WINDOW[b.date_precision])
    if max(g.strength, r.strength) >= TOLD_DATE and g.articles & _stories(r):
        window = max(window, 2)  # "said on Saturday" of what the same story dates Friday
    return abs((a.date - b.date).days) <= window


def same_place(a: Event, b: Event) -> bool | None:
    """True when the two places are one, nearby, or one inside the other; None if either is unknown."""
    if a.lat is None or b.lat is None:
        return None
    if a.place_id and a.place_id == b.place_id:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    coarse = max(a.geo_precision, b.geo_precision, key=lambda p: _GEO_RANK.get(p, 4))
    if coarse == "country":
        return a.country == b.country
    if coarse == "admin1" and a.admin1 and b.admin1:
        return a.admin1 == b.admin1  # a capital district is not inside the province around it
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= _NEAR_KM.get(coarse, 50)


def _same_event(g: _Group, r: Report) -> bool:
    a, b = g.event, r.event
    if kin(a.type) != kin(b.type) or g.total != r.total or not _near_in_time(g, r):
        return False
    if a.actors and b.actors and not set(a.actors) & set(b.actors):
        return False
    if a.type not in _VIOLENCE and a.targets and b.targets and not set(a.targets) & set(b.targets):
        return False  # a call with Iran is not a call with Turkey
    place = same_place(a, b)
    if place is False:
        return False
    if kin(a.type) == "speech":  # words are one statement only when one speaker says them
        return bool(set(a.actors) & set(b.actors))
    if g.articles & _stories(r):  # the same story: two kinds at one place are two events
        if a.type == b.type == "other" and not r.anaphoric and r.rule not in g.rules:
            return False  # an arrest and a closure of roads are two developments (ACLED sub-events)
        return not r.separate and (a.type == b.type or r.anaphoric)
    if r.anaphoric:
        return False
    if r.planned:
        return bool(place) and (not a.actors or not b.actors or bool(set(a.actors) & set(b.actors)))
    if place:
        return True
    # unplaced: only the same named sides tie them, and a report may not bring in a new side
    mine, theirs = _named(a.actors), _named(b.actors)
    return bool(theirs) and theirs <= mine if a.lat is not None else bool(mine) and mine <= theirs


def _fit(g: _Group, r: Report) -> tuple:
    """How well a report fits an event: same story, same toll, shared place, actors, targets, then time."""
    a, b = g.event, r.event
    return (
        bool(g.articles & _stories(r)),
        a.fatalities is not None and a.fatalities == b.fatalities,  # the same toll told again
        bool(same_place(a, b)),
        len(set(a.actors) & set(b.actors)),
        len(set(a.targets) & set(b.targets)),
        -abs(((a.date or date.min) - (b.date or date.min)).days),
    )


def _fold(g: _Group, r: Report) -> None:
    """Add one report's facts and sources to an event."""
    into, ev = g.event, r.event
    g.at_forces |= r.at_forces
    if _GEO_RANK[ev.geo_precision] < _GEO_RANK[into.geo_precision] and (
            not r.anaphoric or not r.titled and same_place(into, ev)):  # "The raid in X": told after
        for key in ("place", "place_id", "place_kind", "country", "admin1", "lat", "lon", "geo_precision"):
            setattr(into, key, getattr(ev, key))
    if (r.strength, _WINDOW[ev.date_precision]) < (
        g.strength,
        _WINDOW[into.date_precision],
    ) and not r.anaphoric:
        into.date, into.date_precision, into.end_date = ev.date, ev.date_precision, ev.end_date
        g.strength = r.strength
    if _TYPE_RANK.get(ev.type, 9) < _TYPE_RANK.get(into.type, 9):
        into.type = ev.type
    into.actors = _dedupe(into.actors + ev.actors)
    into.targets = _dedupe(t for t in into.targets + ev.targets if t not in into.actors)
    if ev.fatalities is not None:  # reports of one event: the highest count, never a sum
        into.fatalities = max(into.fatalities or 0, ev.fatalities)
    into.sources.extend(s for s in ev.sources if s not in into.sources)
    g.articles |= _stories(r)
    g.rules.add(r.rule)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _order(r: Report) -> tuple:
    e, first = r.event, r.event.sources[0] if r.event.sources else None
    return (
        r.planned or r.anaphoric,
        r.strength,
        e.date or date.min,
        e.type,  # those that only join: last
        first.article if first else "",
        first.start if first else 0,
    )


_SPAN = 8  # days an index entry covers: a month-long event is listed 8 times, not 63


def _spans(e: Event, strength: int) -> range:
    """The spans of days a report's date may fall in, by its precision (``_near_in_time``)."""
    window = _WINDOW[e.date_precision] + (2 if strength >= TOLD_DATE else 0)
    base = (e.date or date.min).toordinal()
    return range((base - window) // _SPAN, (base + window) // _SPAN + 1)


def _keys(e: Event, articles: Iterable[str]) -> set[tuple]:
    """What an event shares with a report that may join it (``_same_event``): a story, an
    actor, or, when placed, its place or country."""
    keys = {("article", a) for a in articles} | {("actor", a) for a in e.actors}
    if e.lat is not None:
        keys |= {("place", e.place_id), ("country", e.country or None)}
    return keys


def _wanted(r: Report) -> set[tuple] | None:
    """The keys of every event the report may join; None: any event (placed, no country)."""
    e = r.event
    keys = {("article", a) for a in _stories(r)} | {("actor", a) for a in e.actors}
    if e.lat is not None:
        if not e.country:
            return None
        keys |= {("place", e.place_id), ("country", e.country), ("country", None)}
    return keys


class _Index:
    """Events by kind and span of days, and within a span by story, actor, place and
    country, so a report is checked only against the events it could join. Candidates come
    in the order the events were founded, so the best fit, and the result, is the same as
    checking every event."""

    def __init__(self) -> None:
        self.founded = 0
        self.span: dict[tuple[str, int], list[_Group]] = {}
        self.keyed: dict[tuple[str, int, tuple], list[_Group]] = {}

    def cover(self, g: _Group) -> None:
        """List the event on the spans its date now covers, and under its keys on every span."""
        if not g.seq:
            self.founded += 1
            g.seq = self.founded
        kind, keys = kin(g.event.type), _keys(g.event, g.articles)
        for span in g.spans:
            for key in keys - g.keys:
                self.keyed.setdefault((kind, span, key), []).append(g)
        g.keys |= keys
        for span in _spans(g.event, g.strength):
            if span not in g.spans:
                g.spans.add(span)
                self.span.setdefault((kind, span), []).append(g)
                for key in g.keys:
                    self.keyed.setdefault((kind, span, key), []).append(g)

    def candidates(self, r: Report) -> list[_Group]:
        """The events listed on the report's spans that share a key with it, oldest first."""
        kind, wanted = kin(r.event.type), _wanted(r)
        seen: dict[int, _Group] = {}
        for span in _spans(r.event, r.strength):
            if wanted is None:
                listed: Iterable[_Group] = self.span.get((kind, span), ())
            else:
                listed = (g for key in wanted for g in self.keyed.get((kind, span, key), ()))
            for g in listed:
                seen.setdefault(g.seq, g)
        return [seen[k] for k in sorted(seen)]


def merge_reports(reports: Iterable[Report], *, map_parts=map) -> list[Event]:
    """One event per real-world event: reports folded together, every source kept.

    The result does not depend on the order of the reports (they are sorted first).
    The reports are merged in :func:`parts` that no event crosses, each by
    :func:`merge_part`; ``map_parts`` (the built-in ``map``, or a cluster's) runs them."""
    merged = [e for events in map_parts(merge_part, parts(reports)) for e in events]
    return sorted(merged, key=lambda e: (e.date or date.min, e.type, e.id))


def merge_part(part: list[tuple[Report, bool]]) -> list[Event]:
    """The events of one part: its (report, told before) pairs folded in the global order.

    "Told before": an earlier report of the same story told this kind of event, so an
    anaphoric report that fits no event adds nothing ("the clashes showed ...")."""
    groups: list[_Group] = []
    index = _Index()
    for r, told in part:
        ev = r.event
        fits = [g for g in index.candidates(r) if _same_event(g, r)]
        if fits:
            best = max(fits, key=lambda g: _fit(g, r))
            _fold(best, r)
            index.cover(best)  # it may now cover other days, actors, stories or a place
        elif r.planned or r.anaphoric and told:
            continue  # the story has told them; nothing new
        elif r.dated or ev.actors or ev.lat is not None:  # a reference to an event told elsewhere
            groups.append(_Group(ev, r.strength, _stories(r), r.total, {r.rule}, at_forces=r.at_forces))
            index.cover(groups[-1])
    merged = [e for g in groups for e in _by_side(g.event) or [_battle(g)]]
    for ev in merged:
        ev.sources.sort(key=lambda s: (s.article, s.start))
        ev.id = _stable_id(ev)
    return merged


def _battle(g: _Group) -> Event:
    """An attack on soldiers, police or their posts is a battle, as coders code it, unless it
    was made from afar: with bombs, shells or drones (any report of it saying so)."""
    if g.event.type == "attack" and g.at_forces and not any(
        r.startswith("strike.") or r == "attack.bomb" for r in g.rules
    ):
        g.event.type = "armed_clash"
    return g.event


def _by_side(ev: Event) -> list[Event]:
    """An attack whose toll a report counts out by side is two events (else none: []), as coders code it: a
    battle with the forces and an attack on the civilians ("12 killed, including seven
    policemen and five residents": a clash with 7 dead and an attack with 5)."""
    if ev.type != "attack" or ev.fatalities is None:
        return []
    for s in ev.sources:
        split = sides(s.sentence, ev.fatalities)
        if split:
            ev.fatalities = split[1]
            battle = replace(ev, type="armed_clash", fatalities=split[0], targets=[], actors=list(ev.actors),
                             sources=[replace(s, rule="armed_clash.forces_among_dead")])
            return [ev, battle]
    return []


def parts(reports: Iterable[Report]) -> list[list[tuple[Report, bool]]]:
    """The reports as :func:`in_order` gives them, split where no event can cross: largest first.

    Two reports are kept together when one could join an event the other is in
    (``_same_event``): the same kind and, for placed reports, the same country (or, for a
    place in no country such as a sea, one within reach); an unplaced, sea-placed or
    anaphoric report also ties every report of its kind that shares its story or an actor.
    Each such set is then cut in time wherever no report on one side is near in time
    (``_near_in_time``, the halo of its precision's window) to one on the other. Merging the
    parts one by one gives exactly the events of merging all reports at once.
    """
    pairs = in_order(reports)
    ordered = [r for r, _ in pairs]
    links = _Links(len(ordered))
    floating = [n for n, r in enumerate(ordered) if _floating(r)]
    shared = {(kin(ordered[n].event.type), key) for n in floating for key in _ties(ordered[n])}
    for n, r in enumerate(ordered):
        kind = kin(r.event.type)
        if r.event.lat is not None and r.event.country:
            links.tie(n, (kind, "country", r.event.country))
        for key in _ties(r):
            if (kind, key) in shared:
                links.tie(n, (kind, key))
    _tie_the_placeless(ordered, links)
    out = []
    for members in links.sets():
        out.extend(_cut_in_time([pairs[n] for n in members]))
    return sorted(out, key=len, reverse=True)


def in_order(reports: Iterable[Report]) -> list[tuple[Report, bool]]:
    """The dated reports in the merge's order, each with whether its story told its kind before."""
    out: list[tuple[Report, bool]] = []
    seen: set[tuple[str, str]] = set()
    for r in sorted(reports, key=_order):
        if r.event.date is not None:
            keys = {(a, kin(r.event.type)) for a in _stories(r)}
            out.append((r, bool(keys & seen)))
            seen |= keys
    return out


def _floating(r: Report) -> bool:
    """A report that may join events of other countries: unplaced, placed in no country, or
    anaphoric (it may lend its actors to an unplaced event of its story)."""
    return r.event.lat is None or not r.event.country or r.anaphoric


def _ties(r: Report) -> set[tuple[str, str]]:
    return {("story", a) for a in _stories(r)} | {("actor", a) for a in r.event.actors}


def _tie_the_placeless(ordered: list[Report], links: _Links) -> None:
    """Tie each report placed in no country (a sea, a region) to every placed report of its
    kind at a place ``same_place`` may call one with it, checked once per pair of places:
    those within reach by latitude, and those in its admin-1 area."""
    places: dict[tuple, list[int]] = {}
    for n, r in enumerate(ordered):
        e = r.event
        if e.lat is not None:
            places.setdefault((kin(e.type), e.place_id, e.lat, e.lon, e.geo_precision, e.country,
                               e.admin1), []).append(n)
    placeless = [(where, members) for where, members in places.items() if not where[5]]
    if not placeless:
        return
    by_lat: dict[str, list[tuple[float, int]]] = {}
    by_admin1: dict[tuple[str, str], list[int]] = {}
    for where, members in places.items():
        by_lat.setdefault(where[0], []).append((where[2], members[0]))
        if where[6]:
            by_admin1.setdefault((where[0], where[6]), []).append(members[0])
    for rows in by_lat.values():
        rows.sort()
    for where, members in placeless:
        for n in members[1:]:
            links.join(members[0], n)
        rows, here = by_lat[where[0]], ordered[members[0]].event
        lo = bisect.bisect_left(rows, (where[2] - _REACH_DEGREES, -1))
        hi = bisect.bisect_right(rows, (where[2] + _REACH_DEGREES, len(ordered)))
        near = [n for _, n in rows[lo:hi]] + by_admin1.get((where[0], where[6]), [])
        for n in near:
            if same_place(here, ordered[n].event):
                links.join(members[0], n)


def _cut_in_time(part: list[tuple[Report, bool]]) -> list[list[tuple[Report, bool]]]:
    """A part cut wherever every report before the cut is out of reach in time of every
    report after it; each piece keeps the merge's order."""
    def reach(r: Report) -> int:
        return _WINDOW[r.event.date_precision] + (2 if r.strength >= TOLD_DATE else 0)

    by_day = sorted(range(len(part)), key=lambda k: part[k][0].event.date)
    days = [part[k][0].event.date.toordinal() for k in by_day]
    later = [0] * len(by_day)  # the earliest day any report from here on reaches back to
    low = math.inf
    for i in range(len(by_day) - 1, -1, -1):
        low = min(low, days[i] - reach(part[by_day[i]][0]))
        later[i] = low
    piece_of, piece, high = [0] * len(part), 0, -math.inf
    for i, k in enumerate(by_day):
        if i and high < days[i] and days[i - 1] < later[i]:
            piece += 1
        high = max(high, days[i] + reach(part[k][0]))
        piece_of[k] = piece
    pieces: list[list[tuple[Report, bool]]] = [[] for _ in range(piece + 1)]
    for k, item in enumerate(part):
        pieces[piece_of[k]].append(item)
    return pieces


class _Links:
    """Union-find over the reports (by position) and the keys that tie them."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.keys: dict[tuple, int] = {}

    def find(self, n: int) -> int:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def tie(self, n: int, key: tuple) -> None:
        first = self.keys.setdefault(key, n)
        if first != n:
            self.join(first, n)

    def sets(self) -> list[list[int]]:
        """The sets, each in the order of its members."""
        out: dict[int, list[int]] = {}
        for n in range(len(self.parent)):
            out.setdefault(self.find(n), []).append(n)
        return list(out.values())


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge events that each carry their own date (events read back from a file, say)."""
    return merge_reports(Report(e) for e in events)


def _stable_id(ev: Event) -> str:
    first = ev.sources[0] if ev.sources else None
    key = (
        f"{ev.type}|{ev.date}|{ev.place_id}|{','.join(ev.actors)}|"
        f"{first.article if first else ''}|{first.start if first else ''}"
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
