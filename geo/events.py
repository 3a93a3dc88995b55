"""Events from articles: who did what, where and when.

Sentence by sentence, a small set of explicit trigger patterns names the
event type; the places the sentence mentions (already resolved by
``geo.places``) give actors, targets and location; ``geo.dates`` gives the
date. ``merge_events`` then folds reports of the same event together.

Our types and the schemes analysts use (ACLED event / sub-event, PLOVER):

=================  ===========================================  ======================
type               ACLED                                        PLOVER
=================  ===========================================  ======================
strike             Explosions/Remote violence: Air/drone strike  ASSAULT / AERIAL
attack             Violence against civilians: Attack           ASSAULT
armed_clash        Battles: Armed clash                         FIGHT
military_exercise  Strategic developments: Other                MOBILIZE
meeting            Strategic developments: Other                CONSULT
diplomatic_contact Strategic developments: Other                CONSULT
statement          (not coded)                                  ACCUSE / THREATEN
appeal             (not coded)                                  DEMAND
agreement          Strategic developments: Agreement            AGREE / COOPERATE
travel             (not coded)                                  CONSULT (visit)
protest            Protests: Peaceful protest                   PROTEST
election           Strategic developments: Other                (none)
=================  ===========================================  ======================
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from geo.articles import Article
from geo.gazetteer import Gazetteer, Place
from geo.model import Event, Source
from geo.places import Mention, find_places

# Trigger patterns, strongest first; a sentence yields the first type that matches.
TRIGGERS: list[tuple[str, re.Pattern[str]]] = [(t, re.compile(p, re.I)) for t, p in [
    ("strike", r"\b(?:air ?strikes?|drone strikes?|missile strikes?|strikes? (?:on|against|in|inside)"
               r"|launched (?:\w+ )?strikes|carried out strikes|(?:its|the|thursday'?s|tuesday'?s"
               r"|\w+day['’]s) strikes|struck|bombed|bombing|shelled|shelling)\b"),
    ("attack", r"\b(?:attack(?:ed|s)? (?:on|against)|(?:\w+) attack (?:on|killed)"
               r"|targeted (?:shipping|ships|vessels|civilians)|ambush(?:ed)?|suicide bomb\w*"
               r"|gunmen (?:attacked|killed|opened))\b"),
    ("armed_clash", r"\b(?:clash(?:es|ed)? (?:between|with|broke)|fighting (?:between|in)|firefight"
                    r"|exchange of fire|gun ?battle)\b"),
    ("military_exercise", r"\b(?:drills?|military exercises?|war games|manoeuvres|maneuvers)\b"),
    ("agreement", r"\b(?:agreed to|signed (?:a|an|the) \w+|endorsed a move|ceasefire deal|deal to"
                  r"|re-?establish\w* (?:full )?diplomatic relations|restore\w* (?:full )?diplomatic"
                  r" relations)\b"),
    ("diplomatic_contact", r"\b(?:(?:phone|telephone) (?:call|conversation)|a call between|in a call"
                           r"|spoke (?:to|with)|spoken (?:to|with)|talked (?:to|with) his)\b"),
    ("meeting", r"\b(?:(?:held|chair|chaired|hold|convened?) (?:a |an )?(?:\w+ )?(?:\w+ )?meeting"
                r"|met (?:with )?(?:his|her|the)|security review|summit (?:in|with)"
                r"|talks (?:in|with|between))\b"),
    ("travel", r"\b(?:cut short (?:a|his|her) (?:visit|trip)|flew (?:home|to|back)|arrived in|visited"
               r"|will visit|travel(?:led|ed)? to)\b"),
    ("appeal", r"\b(?:urged|urges|called on|called for|appealed to|appeals to)\b"),
    ("protest", r"\b(?:protest(?:ed|ers|s)?|demonstrat(?:ed|ors|ion)|rall(?:y|ied))\b"),
    ("election", r"\b(?:elections?|polls open|vote (?:on|in))\b"),
]]
BOILERPLATE = re.compile(r"\b(?:click here|stay tuned|subscribe|sign up|read more|follow us|also read"
                         r"|newsletter|all rights reserved|picture:|photo:)\b", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|$)", re.M)
_ABBREV_END = re.compile(r"\b(?:[A-Z]|[A-Z][a-z]{0,3}|U\.S|U\.K|U\.N|Oct|Jan|Feb|Aug|Sept?|Nov|Dec|St|Mr|Mrs"
                         r"|Dr|Gen|No)\.$")
_FATALITIES = re.compile(r"\bkill(?:ed|ing|s)? (?:at least |about |some |nearly |more than )?"
                         r"(\d[\d,]*|[a-z]+(?:[- ][a-z]+)?) (?:people|civilians|persons|soldiers"
                         r"|militants|children|members|others|of)", re.I)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "dozens": None, "hundreds": None})
_CLAUSE_BREAK = re.compile(r"(, (?:after|since|before|while|whereas|as)\b|; |, and (?=\w+ (?:said|says)))")
_BACKGROUND = re.compile(r"(?:after|since|before|as)\b", re.I)
_BY = re.compile(r"\bby (?:the )?$")
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+, [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?(?: \([^)]*\))? ?[-—–]+ ?")
_ITS_TERRITORY = re.compile(r"\b(?:on|in|inside) its (?:own )?(?:territory|soil)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|is to|are to|plans? to|is expected to|scheduled)\b", re.I)
ORGANISATIONS = {
    "united nations": "United Nations", "un": "United Nations", "u.n.": "United Nations",
    "houthi": "Houthis", "houthis": "Houthis", "hamas": "Hamas", "hezbollah": "Hezbollah",
    "jaish al adl": "Jaish al-Adl", "jaish al-adl": "Jaish al-Adl", "jaa": "Jaish al-Adl",
    "islamic state": "Islamic State", "isis": "Islamic State", "nato": "NATO",
    "baloch liberation front": "Baloch Liberation Front",
    "baloch liberation army": "Baloch Liberation Army", "taliban": "Taliban",
    "european union": "European Union", "eu": "European Union",
}
_ORG = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in ORGANISATIONS), key=len, reverse=True))
                  + r")\b", re.I)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; abbreviations ("Oct.", "U.S.") do not end one."""
    out: list[Sentence] = []
    pending = None
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        if pending is not None:
            s = pending
        chunk = text[s:e]
        if _ABBREV_END.search(chunk.rstrip()) and e < len(text) and text[e] != "\n":
            pending = s
            continue
        pending = None
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            out.append(Sentence(s + lead, e, chunk.strip()))
    return out


def _fatalities(text: str) -> int | None:
    m = _FATALITIES.search(text)
    if not m:
        return None
    word = m.group(1).lower().replace(",", "")
    if word.isdigit():
        return int(word)
    parts = re.split(r"[- ]", word)
    if all(p in _NUMBER_WORDS and _NUMBER_WORDS[p] is not None for p in parts):
        return sum(_NUMBER_WORDS[p] for p in parts)
    return None


def _event_type(text: str) -> tuple[str, int] | None:
    """The event type a sentence reports and where its trigger starts."""
    for kind, pattern in TRIGGERS:
        m = pattern.search(text)
        if m:
            return kind, m.start()
    return None


def _country_name(place: Place, gaz: Gazetteer) -> str:
    if place.kind == "country" or not place.country:
        return place.name
    country = gaz.country(place.country)
    return country.name if country else place.name


def _parties(sentence: Sentence, mentions: list[Mention], gaz: Gazetteer, trigger_at: int):
    """Actors are named before the trigger, targets and location after it."""
    text = sentence.text
    said = re.match(r"^(.{0,60}?)\b(?:said|says|told|announced)\b", text)
    speaker_end = sentence.start + said.end() if said else sentence.start
    orgs = [(sentence.start + m.start(), ORGANISATIONS[m.group(1).lower()]) for m in _ORG.finditer(text)]
    before = [m for m in mentions if speaker_end <= m.start <= sentence.start + trigger_at]
    after = [m for m in mentions if m.start >= sentence.start + trigger_at]
    actors = [_country_name(m.place, gaz) for m in before if m.place.kind == "country" or m.demonym]
    agents = [m for m in after if _BY.search(text, 0, m.start - sentence.start)]
    if agents and not actors:  # "air strikes by Pakistan"
        actors = [_country_name(agents[0].place, gaz)]
        after = [m for m in after if m is not agents[0]]
    actors += [name for at, name in orgs if speaker_end <= at < sentence.start + trigger_at]
    if not actors and said:  # "Islamabad said it hit ..." — the speaker acted
        speakers = [m for m in mentions if m.start < speaker_end]
        actors = [_country_name(m.place, gaz) for m in speakers[:1]]
        actors += [name for at, name in orgs if at < speaker_end][:1]
    targets = [_country_name(m.place, gaz) for m in after if m.place.kind == "country" or m.demonym]
    targets += [name for at, name in orgs if at >= sentence.start + trigger_at]
    if said and _ITS_TERRITORY.search(text):  # "Iran said strikes ... on its territory"
        home = [m for m in mentions if m.start < speaker_end]
        if home:
            return [], _dedupe(targets), home[0].place
    place_pool = [m for m in after if not m.demonym] or [m for m in mentions if not m.demonym
                                                          and _country_name(m.place, gaz) not in actors]
    return _dedupe(actors), _dedupe([t for t in targets if t not in actors]), _most_specific(place_pool)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


_SPECIFICITY = {"city": 0, "town": 0, "village": 0, "admin1": 1, "territory": 1, "sea": 2,
                "island": 1, "mountain": 1, "region": 3, "country": 2}


def _most_specific(mentions: list[Mention]) -> Place | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: (_SPECIFICITY.get(m.place.kind, 2), m.start)).place


def extract_events(article: Article, gaz: Gazetteer,
                   corrections: Mapping[str, str | None] | None = None) -> list[Event]:
    """Every event one article reports: one per clause that reports one.

    ``corrections``: mention text -> place id (or None) a person chose for this article.
    """
    mentions = find_places(article.text, gaz, article.id, corrections=corrections)
    events = []
    for sent in sentences(article.text):
        if BOILERPLATE.search(sent.text):
            continue
        inside = [m for m in mentions if sent.start <= m.start < sent.end]
        for clause in _clauses(sent):
            ev = _clause_event(clause, sent, inside, article, gaz)
            if ev is not None:
                events.append(ev)
    return events


def _clauses(sent: Sentence) -> list[Sentence]:
    """Main clause and background clauses ("..., after the neighbours carried out strikes")."""
    parts, start = [], 0
    for m in _CLAUSE_BREAK.finditer(sent.text):
        parts.append((start, m.start()))
        start = m.start() + len(m.group(1) or "")
    parts.append((start, len(sent.text)))
    return [Sentence(sent.start + a, sent.start + b, sent.text[a:b]) for a, b in parts if b > a]


def _clause_event(clause: Sentence, sent: Sentence, mentions: list[Mention], article: Article,
                  gaz: Gazetteer) -> Event | None:
    from geo.dates import event_date

    found = _event_type(clause.text)
    if found is None:
        return None
    kind, trigger_at = found
    background = _BACKGROUND.match(clause.text.lstrip(" ,;"))
    dated_text = _DATELINE.sub("", clause.text)  # "KABUL, May 3 (Wire) -" dates the report
    when = event_date(dated_text, article.published) if article.published else None
    if when is None and article.published and not background and clause.start == sent.start:
        when = event_date(_DATELINE.sub("", sent.text), article.published)
    if when is None and (background or _FUTURE.search(clause.text)):
        return None  # undated background or plans: not an event we can place in time
    if when is None and article.published is None:
        return None
    day, precision, end = (when.start, when.precision, when.end) if when else (
        article.published, "week", None)
    inside = [m for m in mentions if clause.start <= m.start < clause.end] or [
        m for m in mentions if m.start < clause.start]
    actors, targets, place = _parties(clause, inside, gaz, trigger_at)
    return Event(
        type=kind, date=day, date_precision=precision, end_date=end, actors=actors,
        targets=targets,
        fatalities=_fatalities(clause.text) if kind in ("strike", "attack", "armed_clash") else None,
        summary=sent.text[:200], sources=[Source(article.id, sent.text, sent.start, sent.end)],
        **_located(place))


def _located(place: Place | None) -> dict:
    if place is None:
        return {}
    return {"place": place.name, "place_id": place.id, "place_kind": place.kind,
            "country": place.country, "admin1": place.admin1, "lat": place.lat, "lon": place.lon,
            "geo_precision": place.geo_precision}


FAMILIES = {"strike": "violence", "attack": "violence", "armed_clash": "violence",
            "meeting": "contact", "diplomatic_contact": "contact", "statement": "speech",
            "appeal": "speech", "agreement": "agreement", "travel": "travel",
            "military_exercise": "exercise", "protest": "protest", "election": "election",
            "other": "other"}
_WINDOW = {"day": 0, "week": 6, "month": 31, "year": 366}


def _same_event(a: Event, b: Event) -> bool:
    """Could two reports be of one event? Same kind, overlapping time, compatible place and actors."""
    if FAMILIES[a.type] != FAMILIES[b.type] or a.date is None or b.date is None:
        return False
    window = max(_WINDOW[a.date_precision], _WINDOW[b.date_precision])
    if abs((a.date - b.date).days) > window:
        return False
    if a.actors and b.actors and not set(a.actors) & set(b.actors):
        return False
    if a.country and b.country:
        return a.country == b.country
    if a.country or b.country:  # one located, one not: only when the rest agrees exactly
        return a.date == b.date and (bool(set(a.actors) & set(b.actors)) or not (a.actors or b.actors))
    return True


def _more_specific(a: Event, b: Event) -> Event:
    rank = {"point": 0, "admin1": 1, "region": 2, "country": 3, None: 4}
    return a if rank[a.geo_precision] <= rank[b.geo_precision] else b


def merge_events(events: Iterable[Event]) -> list[Event]:
    """One event per real-world event: reports folded together, every source kept."""
    merged: list[Event] = []
    for ev in sorted(events, key=lambda e: (e.date or date.min, e.type)):
        twin = next((m for m in merged if _same_event(m, ev)), None)
        if twin is None:
            merged.append(ev)
            continue
        best = _more_specific(twin, ev)
        for key in ("place", "place_id", "place_kind", "country", "admin1", "lat", "lon",
                    "geo_precision"):
            setattr(twin, key, getattr(best, key))
        if ev.date_precision == "day" and twin.date_precision != "day":
            twin.date, twin.date_precision = ev.date, "day"
        twin.actors = _dedupe(twin.actors + ev.actors)
        twin.targets = _dedupe(t for t in twin.targets + ev.targets if t not in twin.actors)
        if ev.fatalities is not None:  # reports of one event: the highest count, never a sum
            twin.fatalities = max(twin.fatalities or 0, ev.fatalities)
        twin.sources.extend(s for s in ev.sources if s not in twin.sources)
    for ev in merged:
        ev.sources.sort(key=lambda s: (s.article, s.start))
        ev.id = _stable_id(ev)
    return sorted(merged, key=lambda e: (e.date or date.min, e.type, e.id))


def _stable_id(ev: Event) -> str:
    key = f"{ev.type}|{ev.date}|{ev.place_id}|{','.join(ev.actors)}|{ev.sources[0].article}|" \
          f"{ev.sources[0].start}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def events_from_articles(articles: Iterable[Article], gaz: Gazetteer,
                         corrections: Mapping[str, Mapping[str, str | None]] | None = None
                         ) -> list[Event]:
    """Extract from every article, then merge across them.

    ``corrections``: article id -> {mention text -> place id or None}.
    """
    found: list[Event] = []
    for article in articles:
        found.extend(extract_events(article, gaz, (corrections or {}).get(article.id)))
    return merge_events(found)


