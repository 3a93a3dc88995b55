"""Step four of the flow: who did what, where and when, one clause at a time.

A sentence is cut into clauses (a main clause, background clauses such as "after the
neighbours traded strikes", place clauses such as "..., and Iraq, where it said it had
struck ..."). The earliest trigger in a clause names the event type; the places the
clause mentions (already resolved by ``geo.places``) give actors, targets and location;
``geo.dates`` gives the date. ``geo.merge`` then folds reports of one event together.

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

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import lru_cache

from geo.articles import DATELINE, Article, body_start
from geo.dates import event_date
from geo.gazetteer import Gazetteer, Place
from geo.merge import Report, merge_events, merge_reports
from geo.model import Event, Source
from geo.places import TITLES, Mention, find_places

__all__ = ["TRIGGERS", "extract_events", "extract_reports", "events_from_articles",
           "merge_events", "sentences"]

_STRIKE_OBJECTS = r"(?:bases|targets|positions|camps|hideouts|sites|facilities|depots|militants)"
# Trigger patterns; in a clause the earliest match names the type (ties: this order).
TRIGGERS: list[tuple[str, re.Pattern[str]]] = [(t, re.compile(p, re.I)) for t, p in [
    ("strike", r"\b(?:air ?strikes?|airstrikes?|drone (?:and missile )?(?:strikes?|attacks?)"
               r"|missile (?:and drone )?(?:strikes?|attacks?)|rocket (?:fire|attacks?)"
               r"|strikes? (?:on|against|in|inside|at|near|targeting)"
               r"|(?:launched|carried out|conducted|exchanged|traded) (?:\w+ )?(?:\w+ )?strikes"
               r"|(?:its|the|their|[\w-]+day['’]s|tit-for-tat|retaliatory|cross-border) strikes"
               r"|struck|bombed|bombarded|bombardment|shelled|shelling|artillery fire"
               rf"|fired (?:\w+ )?(?:rockets?|missiles?|drones?|shells?)|hit (?:\w+ )?{_STRIKE_OBJECTS})\b"),
    ("attack", r"\b(?:attack(?:ed|s)? (?:on|against|in|near)|[\w-]+ attacks? (?:on|in|killed|that)"
               r"|attacked (?=a |an |the |two |three |several |[A-Z0-9])"
               r"|targeted (?:shipping|ships|vessels|civilians|a |an |the )"
               r"|ambush(?:ed)?|raid(?:ed)?|suicide bomb\w*|car bomb\w*|bombing"
               r"|gunmen (?:attacked|killed|opened)|opened fire|massacre[ds]?|stormed)\b"),
    ("armed_clash", r"\b(?:clash(?:es|ed)? (?:between|with|broke|erupted|in|near)|clashed"
                    r"|fighting (?:between|in|near|around|erupted|broke)|firefight|exchange of fire"
                    r"|exchanged fire|gun ?battles?|battled|(?:launched|began) an? (?:\w+ )?offensive"
                    r"|pushed into|advanced (?:on|into)|entered (?:the )?(?:city|town|centre|center)"
                    r"|(?:captured|seized|took control of|recaptured) (?:the )?(?:town|city|village"
                    r"|strategic|[A-Z]))"),
    ("military_exercise", r"\b(?:drills?|military exercises?|war ?games|naval exercises?"
                          r"|joint exercises?|manoeuvres|maneuvers)\b"),
    ("agreement", r"\b(?:agreed (?:to|on)|signed (?:a|an|the) \w+|endorsed a move|ceasefire (?:deal"
                  r"|agreement) |deal to|truce|reached (?:a|an) (?:\w+ )?(?:deal|agreement|accord)"
                  r"|re-?establish\w* (?:full )?(?:diplomatic )?(?:relations|ties)"
                  r"|restor\w* (?:full )?(?:diplomatic )?(?:relations|ties)|return(?:ed)? (?:their |its )?"
                  r"ambassadors?|ambassadors? (?:would |will )?return)\b"),
    ("diplomatic_contact", r"\b(?:(?:phone|telephone) (?:call|conversation)|a call (?:between|with)"
                           r"|in a call|held a call"
                           r"|spoke (?:by (?:tele)?phone|(?:by (?:tele)?phone )?(?:to|with))"
                           r"|spoken (?:by (?:tele)?phone )?(?:to|with)|talked (?:to|with)|summoned"
                           r"|exchanged messages)\b"),
    ("meeting", r"\b(?:(?:held|chair|chaired|hold|holds|convened?|attend(?:ed)?) (?:a |an |the )?(?:\w+ )?"
                r"(?:\w+ )?(?:meeting|session|summit|talks|news conference)"
                r"|met (?:with |in |at |on )?(?:his|her|the|their|[A-Z]\w*)|will meet|security review"
                r"|summit (?:in|with|of|held)|emergency summit|talks (?:in|with|between|on)"
                r"|meeting (?:of|with|in|between))\b"),
    ("travel", r"\b(?:cut short (?:a|his|her|their) (?:visit|trip)|flew (?:home|to|back|into)"
               r"|arrived in|visited|(?:will|to) visit|(?:a|an|his|her) (?:\w+ )?visit to"
               r"|travel(?:led|ed|s)? to|landed in|trip to|heading (?:back |home )?to|returned (?:home|to)"
               r"|left for|flown to)\b"),
    ("appeal", r"\b(?:adopted a resolution|urged|urges|called (?:on|for)|calls (?:on|for)|appealed (?:to|for)"
               r"|appeals (?:to|for)|pleaded|demanded)\b"),
    ("protest", r"\b(?:protest(?:ed|ers|s)\b|protest (?:against|over|in)|demonstrat(?:ed|ors|ions?)"
                r"|rall(?:y|ies|ied) (?:in|against|outside)|took to the streets|marched)"),
    ("election", r"\b(?:(?:general|national|presidential|parliamentary|local) elections?"
                 r"|polls open|voters? (?:went|go) to the polls|(?:a|the) vote (?:on|in))\b"),
]]
BOILERPLATE = re.compile(r"\b(?:click here|stay tuned|subscribe|sign up|read more|follow us|also read"
                         r"|newsletter|all rights reserved|picture:|photo:|advertisement|related:"
                         r"|(?:reporting|writing|editing) by)\b", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)", re.M)
# Abbreviations whose full stop ends no sentence: titles always, the rest unless a capital follows.
_TITLE_ABBREV = re.compile(r"(?:(?<![.\w])[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Maj|Adm|Cmdr|Rep"
                           r"|Sen|Gov|Prof|Rev|St|Mt|Ft|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec))\.$")
_ABBREV_END = re.compile(r"(?:\b(?:[A-Z]\.){1,3}[A-Z]|\b(?:Jr|Sr|Inc|Corp|Ltd|Co|vs|etc|approx"
                         r"|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn"
                         r"|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo))\.$")
_NEXT_WORD = re.compile(r"\s*[\"“‘(]*([^\s\"“‘(])")
_NOBODY = re.compile(r"\b(?:no(?:body| one) (?:was|were) (?:killed|hurt|injured)|no (?:casualties|injuries)"
                     r"|without casualties)\b", re.I)
_FATALITIES = [re.compile(p, re.I) for p in (
    r"\bkillings? (?:\w+ ){0,4}?of (?P<n>\d[\d,]*|[a-z]+(?:[- ][a-z]+)?) ",
    r"\b(?P<n>\d[\d,]*|[a-z]+(?:[- ][a-z]+)?) (?:people|civilians|soldiers|militants|fighters) dead\b",
    r"\bkill(?:ed|ing|s)? (?:at least |about |some |nearly |more than |around |up to )?"
    r"(?P<n>\d[\d,]*|[a-z]+(?:[- ][a-z]+)?) (?:\w+ )?(?:people|civilians|persons|soldiers|militants"
    r"|fighters|children|members|others|of|villagers|troops|policemen|officers|residents|men|women"
    r"|migrants|passengers|workers|guards|labou?rers|policemen|police officers|worshippers|students"
    r"|pilgrims|journalists|staff|peacekeepers|sailors|crew|farmers|miners)",
    r"\b(?:at least |about |some |nearly |more than |around )?(?P<n>\d[\d,]*|[a-z]+(?:[- ][a-z]+)?) "
    r"(?:\w+ ){0,2}(?:people|civilians|persons|soldiers|militants|fighters|children|villagers|troops"
    r"|labou?rers|workers|policemen|peacekeepers)"
    r"(?: [^.,;]{0,40})? (?:were|had been|have been|was|are) (?:killed|shot dead)",
    r"\bdeath toll (?:\w+ ){0,3}(?:to|at|of) (?:at least )?(?P<n>\d[\d,]*|[a-z]+(?:[- ][a-z]+)?)",
    r"\bleaving (?:at least )?(?P<n>\d[\d,]*|[a-z]+(?:[- ][a-z]+)?) (?:people )?dead",
)]
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                      "eighty": 80, "ninety": 90, "hundred": 100, "a": None, "dozens": None})
_VIOLENT = frozenset({"strike", "attack", "armed_clash"})

# Where a sentence divides: background ("..., after the neighbours traded strikes"), a place
# clause ("..., and Iraq, where ..."), and parallel clauses ("; ", ", while ", ", but ").
_NOT_A_CLAUSE = (r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
                 r"|\d|then\b|last\b|early\b|late\b|mid\b|the (?:start|end|beginning)\b)")
_CLAUSE_BREAK = re.compile(
    r"(?P<background>,?\s+(?:(?P<lag>a|one|two|three|four|five|six|several) (?P<unit>day|week)s? )?"
    rf"(?:after|before|since|following|in the aftermath of)\s{_NOT_A_CLAUSE})"
    r"|(?P<where>,?\s+and\s+(?=(?:the\s+)?[A-Z][^,;]{0,40},\s+where\s)|,\s+where\s)"
    r"|(?P<parallel>;\s+|,\s+(?:while|whereas|but|saying)\s+|\s+while\s+"
    r"|,\s+and\s+(?=\w+\s+(?:said|says)\b))")
_LAG = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "several": 3}
_SPEAKER = re.compile(r"^\W*(?P<who>.{0,90}?)\b(?:said|says|told|announced|reported|claimed|added"
                      r"|confirmed|stated|accused|alleged)\b(?:,? (?:citing [^,]*,|on \w+,?))?"
                      r"(?:[^,.;“\"]{0,50}?\bthat\b)?\s*")  # "told reporters in Islamabad that"
_TRAILING_SPEAKER = re.compile(r",\s*(?P<who>[^,]{2,80}?)\s+(?:said|says|told \w+|added|reported)"
                               r"(?: on \w+)?\W*$")
_BACKER = re.compile(r"-(?:backed|aligned|allied|supported|sponsored|funded|armed|trained)\b")
_SAYS = re.compile(r"\s+(?:said|says|told|announced|reported|added|claimed)\b")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_PRONOUN = re.compile(r"^(?:it|its|they|their|we|our|he|his|she|her)\b", re.I)
_ITS_TERRITORY = re.compile(r"\b(?:on|in|inside|within) (?:its|our|their) (?:own )?(?:territory|soil)\b",
                            re.I)
_FUTURE = re.compile(r"\b(?:will|is to|are to|plans? to|is expected to|scheduled|would)\b", re.I)
_HABITUAL = re.compile(r"\b(?:for (?:decades|years|months)|ha(?:ve|s) (?:long|repeatedly|often)"
                       r"|ha(?:ve|s) been \w+ing|ha(?:ve|s) carried out|frequently|regularly"
                       r"|in (?:recent|past) (?:years|months))\b", re.I)
_LOCATIVE = re.compile(r"(?:\b(?i:in|inside|at|near|outside|across|into|on|over|off|around|within|along"
                       r"|north of|south of|east of|west of)\s+(?i:the\s+)?"
                       r"(?:(?!(?i:what|which|that|who|whom|said|says|against|with|by|for|from|and|but|as"
                       r"|to)\b)[\w'’-]+\s+){0,4}"
                       r"|\b(?i:town|city|village|port|district|province|region|area|outskirts|suburbs?"
                       r"|capital|border crossing|camp)\s+of\s+)$")
_DESTINATION = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$")
_AGENT = re.compile(r"\bby (?:the )?$")
_OBJECT = re.compile(r"\b(?:with|against|to|on|from|between)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Clause:
    """A span of a sentence that can report one event."""

    start: int
    end: int
    text: str
    role: str  # "main", "background", "where" or "parallel"
    lag_days: int = 0  # "a day after ...": the event is this many days before the main one


def sentences(text: str, start: int = 0) -> list[Sentence]:
    """Sentences with their offsets; abbreviations ("Oct.", "U.S.") do not end one."""
    out: list[Sentence] = []
    pending = None
    for m in _SENTENCE.finditer(text, start):
        s, e = m.start(), m.end()
        if pending is not None:
            s = pending
        chunk = text[s:e]
        if e < len(text) and text[e] != "\n" and _continues(chunk.rstrip(), text, e):
            pending = s
            continue
        pending = None
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            out.append(Sentence(s + lead, e, chunk.strip()))
    return out


def _continues(chunk: str, text: str, end: int) -> bool:
    """Does the sentence go on after this full stop ("Gen. Smith", "the U.S. military")?"""
    if _TITLE_ABBREV.search(chunk) or " " not in chunk.strip():
        return True  # "Gen. Smith"; a lone "U.S." opening a paragraph
    if not _ABBREV_END.search(chunk):
        return False
    nxt = _NEXT_WORD.match(text, end)
    return nxt is not None and not nxt[1].isupper()


def clauses(sent: Sentence) -> list[Clause]:
    """The sentence's clauses, in order; the first is the main one."""
    out, start, role, lag = [], 0, "main", 0
    opened_by_and = False
    for m in _CLAUSE_BREAK.finditer(sent.text):
        plain_where = bool(m["where"]) and "and" not in m[0]
        if plain_where and opened_by_and:
            opened_by_and = False
            continue  # the "where" of "..., and Iraq, where ..." already opened this clause
        opened_by_and = bool(m["where"]) and not plain_where
        out.append((start, m.start(), role, lag))
        start = m.end()
        role = next(k for k in ("background", "where", "parallel") if m[k])
        lag = _LAG[m["lag"].lower()] * (7 if m["unit"] == "week" else 1) if m["lag"] else 0
    out.append((start, len(sent.text), role, lag))
    return [Clause(sent.start + a, sent.start + b, sent.text[a:b], r, g) for a, b, r, g in out if b > a]


def _number(word: str) -> int | None:
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    parts = re.split(r"[- ]", word)
    if all(_NUMBER_WORDS.get(p) is not None for p in parts):
        return sum(_NUMBER_WORDS[p] for p in parts)
    return None


def _fatalities(text: str) -> int | None:
    """Deaths a clause reports ("killed nine people, including four children" -> 9)."""
    for pattern in _FATALITIES:
        m = pattern.search(text)
        if m and (n := _number(m["n"])) is not None:
            return n
    return 0 if _NOBODY.search(text) else None


def _event_type(text: str) -> tuple[str, int, int] | None:
    """The type of the earliest trigger in a clause, with the trigger's span."""
    best = None
    for rank, (kind, pattern) in enumerate(TRIGGERS):
        m = pattern.search(text)
        if m and (best is None or (m.start(), rank) < best[0]):
            best = ((m.start(), rank), kind, m.start(), m.end())
    return None if best is None else best[1:]


def _country_name(place: Place, gaz: Gazetteer) -> str:
    if place.kind == "country" or not place.country:
        return place.name
    country = gaz.country(place.country)
    return country.name if country else place.name


def _party(m: Mention, gaz: Gazetteer) -> str | None:
    """The actor a mention names: a country, by name, demonym or capital ("Tehran said")."""
    if m.place.kind == "country" or m.demonym or m.place.feature == "PPLC":
        return _country_name(m.place, gaz)
    return None


ORGANISATIONS = {
    "united nations": "United Nations", "un": "United Nations", "u.n.": "United Nations",
    "houthi": "Houthis", "houthis": "Houthis", "hamas": "Hamas", "hezbollah": "Hezbollah",
    "jaish al adl": "Jaish al-Adl", "jaish al-adl": "Jaish al-Adl", "jaa": "Jaish al-Adl",
    "islamic state": "Islamic State", "isis": "Islamic State", "isil": "Islamic State",
    "nato": "NATO", "baloch liberation front": "Baloch Liberation Front",
    "baloch liberation army": "Baloch Liberation Army", "taliban": "Taliban",
    "european union": "European Union", "eu": "European Union", "african union": "African Union",
    "m23": "M23", "rapid support forces": "Rapid Support Forces", "rsf": "Rapid Support Forces",
    "al-shabaab": "al-Shabaab", "al shabaab": "al-Shabaab", "wagner": "Wagner Group",
    "islamic revolutionary guard corps": "Islamic Revolutionary Guard Corps",
    "revolutionary guards": "Islamic Revolutionary Guard Corps", "irgc": "Islamic Revolutionary Guard Corps",
    "idf": "Israel", "israel defense forces": "Israel", "israeli military": "Israel",
    "pentagon": "United States", "kremlin": "Russia", "white house": "United States",
    "red cross": "Red Cross", "icrc": "Red Cross",
    "ecowas": "ECOWAS", "hts": "Hayat Tahrir al-Sham", "hayat tahrir al-sham": "Hayat Tahrir al-Sham",
    "pkk": "PKK", "sdf": "Syrian Democratic Forces", "syrian democratic forces": "Syrian Democratic Forces",
}
_ORG = re.compile(r"(?<![\w-])(" + "|".join(sorted((re.escape(k) for k in ORGANISATIONS), key=len,
                                                   reverse=True)) + r")(?![\w-])", re.I)


@dataclass(frozen=True)
class _Party:
    """A country or organisation named in a clause, with where it sits in the article."""

    name: str
    start: int
    length: int
    country: Place | None  # the country, for a party that is one


@dataclass(frozen=True)
class _Story:
    """What the whole article tells about its clauses: who its people and phrases stand for
    ("Kakar" -> Pakistan, "the two nations"), and where it was filed from."""

    people: dict[str, str]  # a name word of a person tied to a country -> that country
    pair: tuple[str, ...]  # the article's two leading countries, when it has two
    home: Place | None  # the dateline's city


_TITLE_WORDS = "|".join(sorted(TITLES | {"counterpart", "leader"}))
_PERSON_AFTER = re.compile(rf"(?:['’]s)?(?:\s+[\w-]+){{0,3}}?\s+(?i:{_TITLE_WORDS})s?,?\s+"
                           r"((?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)")
_PAIR = re.compile(r"\b(?:the two (?:nations|countries|neighbou?rs|sides|states|governments)"
                   r"|both (?:nations|countries|neighbou?rs|sides|governments))\b", re.I)
_NAME_WORD = re.compile(r"\b[A-Z][\w'’-]{2,}\b")


def _story(article: Article, mentions: list[Mention], gaz: Gazetteer) -> _Story:
    text = article.text
    people: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for m in mentions:
        name = _party(m, gaz)
        if name is None:
            continue
        counts[name] += 1
        if (after := _PERSON_AFTER.match(text, m.end, m.end + 80)) is not None:
            for word in _NAME_WORD.findall(after[1]):
                people.setdefault(word, name)  # "Pakistan Prime Minister Anwaar-ul-Haq Kakar"
    top = [name for name, n in counts.most_common(3) if n >= 2]
    pair = tuple(top[:2]) if len(top) >= 2 and (len(top) == 2 or counts[top[1]] > counts[top[2]]) else ()
    return _Story(people, pair, _home(article, mentions))


def _parties_in(clause: Clause, mentions: list[Mention], gaz: Gazetteer, story: _Story) -> list[_Party]:
    found = []
    for m in mentions:
        name = _party(m, gaz)
        if m.place.kind == "city" and _LOCATIVE.search(clause.text, 0, m.start - clause.start):
            continue  # "in Paris" is where, not who; "Paris said" is France
        if name and not _BACKER.match(clause.text, m.end - clause.start):  # "the Iran-backed militia"
            country = gaz.country(m.place.country) if m.place.country else None
            found.append(_Party(name, m.start, m.end - m.start, country))
    for m in _ORG.finditer(clause.text):
        word = m[1]
        if word.isupper() or word[0].isupper() or len(word) > 4:  # "un" the prefix is not the UN
            found.append(_Party(ORGANISATIONS[word.lower()], clause.start + m.start(), len(word), None))
    for m in _NAME_WORD.finditer(clause.text):
        if m[0] in story.people and not any(p.start <= clause.start + m.start() < p.start + p.length
                                           for p in found):
            name = story.people[m[0]]
            found.append(_Party(name, clause.start + m.start(), len(m[0]), _country_place(name, gaz)))
    for m in _PAIR.finditer(clause.text):
        found += [_Party(name, clause.start + m.start(), len(m[0]), _country_place(name, gaz))
                  for name in story.pair]
    return sorted(found, key=lambda p: p.start)


@lru_cache(maxsize=4096)
def _country_place(name: str, gaz: Gazetteer) -> Place | None:
    """The country a party name stands for; names repeat across clauses, so looked up once."""
    return next((c.place for c in gaz.lookup(name)[:1] if c.place.kind == "country"), None)


@dataclass
class _Roles:
    actors: list[str]
    targets: list[str]
    place: Place | None


def _roles(clause: Clause, kind: str, trigger: tuple[int, int], mentions: list[Mention],
           gaz: Gazetteer, story: _Story, anchor: Place | None, carried: list[str]) -> _Roles:
    """Actors before the trigger (or the speaker, or "by X"), targets after, and the place."""
    text, base = clause.text, clause.start
    said = _SPEAKER.match(text)
    if said and trigger[0] < said.end():  # "X said" after the trigger is not this clause's speaker
        said = None
    trailing = None if said else _TRAILING_SPEAKER.search(text, trigger[1])
    filed = DATELINE.match(text)  # "KYIV, March 3 (Wire) -" says where the story was filed
    body_start = base + (said.end() if said else filed.end() if filed else 0)
    body_end = base + (trailing.start() if trailing else len(text))
    t_start, t_end = base + trigger[0], base + trigger[1]
    quoted = [(base + q.start(), base + q.end()) for q in _QUOTED.finditer(text)]
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in quoted)]
    parties = [p for p in _parties_in(clause, mentions, gaz, story)
               if not any(a <= p.start < b for a, b in quoted)]
    speakers = [p for p in parties if p.start < body_start or p.start >= body_end
                or _SAYS.match(clause.text, p.start - base + p.length)]

    def before(at: int, pattern: re.Pattern[str]) -> bool:
        return bool(pattern.search(text, max(0, at - base - 60), at - base))

    actors = [p for p in parties if body_start <= p.start < t_end and p not in speakers
              and not before(p.start, _LOCATIVE) and not before(p.start, _OBJECT)]
    after = [p for p in parties if t_end <= p.start < body_end and p not in speakers]
    agents = [p for p in after if before(p.start, _AGENT)]
    if agents:  # "strikes by Pakistan"
        actors = actors or agents[:1]
        after = [p for p in after if p not in agents[:1]]
    body = text[body_start - base:]
    if not actors and (_PRONOUN.match(body) or kind not in _VIOLENT) and speakers:
        actors = speakers[:1]  # "Islamabad said it hit ...": the speaker acted
    if not actors and _PRONOUN.match(body) and carried:
        actor_names = list(carried)  # "..., where it said it had struck ...": the same actor
    else:
        actor_names = _dedupe(p.name for p in actors)
    objects = [p for p in parties if body_start <= p.start < t_start and before(p.start, _OBJECT)]
    targets = _dedupe(p.name for p in objects + after if p.name not in actor_names)

    located = [m for m in mentions if body_start <= m.start < body_end and not m.demonym]
    locative = [m for m in located if before(m.start, _LOCATIVE)
                or kind == "travel" and before(m.start, _DESTINATION)]
    place = _most_specific(locative)
    if _ITS_TERRITORY.search(text) and speakers and speakers[0].country is not None:
        place = place or speakers[0].country  # "Iran said ... on its territory"
        targets = _dedupe([speakers[0].name, *targets])
    if place is None and anchor is not None:
        place = anchor  # "..., and Iraq, where ..."
    if place is None and kind in _VIOLENT:
        target_places = [p.country for p in after if p.country is not None and p.name not in actor_names]
        speaker_home = [p.country for p in speakers if p.country is not None and p.name not in actor_names]
        place = (target_places or speaker_home or [None])[0]
    if place is None and kind == "diplomatic_contact":
        place = next((p.country for p in objects + after if p.country is not None
                      and p.name not in actor_names), None)  # a call sits at the end it reached
    if place is None and kind not in _VIOLENT:  # "said in New York that ...": where it was said
        place = _most_specific([m for m in mentions if m.start < body_start and not m.demonym
                                and before(m.start, _LOCATIVE)])
    if place is None and kind not in _VIOLENT:
        acting = next((p.country for p in actors if p.country is not None), None)
        if acting is not None:  # a government meets, calls, agrees at home
            home = story.home
            place = home if home is not None and home.country == acting.country else acting
    if kind in _VIOLENT and place is not None and not targets:
        country = gaz.country(place.country) if place.country else None
        if country is not None and country.name not in actor_names:
            targets = [country.name]  # "Pakistan carried out strikes in Iran"
    return _Roles(actor_names, targets, place)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


_SPECIFICITY = {"city": 0, "town": 0, "village": 0, "admin2": 1, "admin1": 2, "territory": 2,
                "island": 1, "mountain": 1, "sea": 3, "country": 4, "region": 5}


def _most_specific(mentions: list[Mention]) -> Place | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: (_SPECIFICITY.get(m.place.kind, 3), m.start)).place


_FILED_FROM = re.compile(r"^[ \t]*(?P<city>[A-Z][\w'’.]*(?:[ -][A-Z][\w'’.]*){0,2})"
                         r"(?:,[^\n—–-]{0,40})?[ \t]+[-—–]+[ \t]", re.M)


def _home(article: Article, mentions: list[Mention]) -> Place | None:
    """The dateline's city ("ISLAMABAD, Jan 19 -", "Islamabad —"): where the story was filed."""
    start = body_start(article.text)
    m = _FILED_FROM.search(article.text, start, start + 600)
    if m is None:
        return None
    return next((x.place for x in mentions if x.start == m.start("city")
                 and x.place.kind in ("city", "town")), None)


def extract_reports(article: Article, gaz: Gazetteer,
                    corrections: Mapping[str, str | None] | None = None) -> list[Report]:
    """Every event report in one article: at most one per clause."""
    mentions = find_places(article.text, gaz, article.id, corrections=corrections)
    story = _story(article, mentions, gaz)
    reports = []
    last_violent: Report | None = None
    for sent in sentences(article.text, body_start(article.text)):
        if BOILERPLATE.search(sent.text):
            continue
        triggered = []
        for clause in clauses(sent):
            head = None
            if clause.role == "where":  # "..., and Iraq, where it said ...": Iraq, then the rest
                cut = clause.text.find(", where ") + len(", where ") if ", where " in clause.text else 0
                head = (clause.start, clause.start + cut)
                clause = replace(clause, start=clause.start + cut, text=clause.text[cut:])
            if found := _event_type(clause.text):
                triggered.append((clause, found, head))
        if not triggered:
            # "Officials said four civilians were killed.": the toll of the violence just told
            dead = _fatalities(sent.text)
            if dead is not None and last_violent is not None and last_violent.event.fatalities is None:
                last_violent.event.fatalities = dead
            continue
        inside = [m for m in mentions if sent.start <= m.start < sent.end]
        main: Report | None = None
        anchor = None
        carried: list[str] = []
        for clause, found, head in triggered:
            if head is not None:
                named = [m for m in inside if head[0] <= m.start < head[1]]
                anchor_mention = (named or [m for m in inside if m.start < head[0]][-1:] or [None])[0]
                anchor = anchor_mention.place if anchor_mention else None
            report = _clause_report(clause, found, sent, inside, article, gaz, story, anchor, carried,
                                    main)
            if report is None:
                continue
            reports.append(report)
            if report.event.type in _VIOLENT:
                last_violent = report
            carried = report.event.actors or carried
            main = main or report
    return reports


def extract_events(article: Article, gaz: Gazetteer,
                   corrections: Mapping[str, str | None] | None = None) -> list[Event]:
    """Every event one article reports, before merging.

    ``corrections``: mention text -> place id (or None) a person chose for this article.
    """
    return [r.event for r in extract_reports(article, gaz, corrections)]


def _clause_report(clause: Clause, found: tuple[str, int, int], sent: Sentence,
                   mentions: list[Mention], article: Article, gaz: Gazetteer, story: _Story,
                   anchor: Place | None, carried: list[str], main: Report | None) -> Report | None:
    if article.published is None:
        return None
    kind, t_start, t_end = found
    when = event_date(DATELINE.sub("", clause.text), article.published)
    dated = when is not None
    if when is None and main is not None and main.dated and (
            clause.role in ("where", "parallel") or clause.lag_days):
        # "..., a day after Pakistan carried out strikes in Iran"; "..., and Iraq, where ..."
        day, precision, end = main.event.date, main.event.date_precision, main.event.end_date
        day -= timedelta(days=clause.lag_days)
        dated = True
    elif when is not None:
        day, precision, end = when.start, when.precision, when.end
    elif clause.role == "background" or _FUTURE.search(clause.text) or _HABITUAL.search(clause.text):
        return None  # undated background, plans and habits are not events we can place in time
    else:
        day, precision, end = article.published, "week", None  # reported, so recent
    inside = [m for m in mentions if clause.start <= m.start < clause.end]
    roles = _roles(clause, kind, (t_start, t_end), inside, gaz, story,
                   anchor if clause.role == "where" else None, carried)
    if kind == "attack" and roles.place is not None and roles.actors:
        acting = {roles.place.country} & {p.country for p in _countries(roles.actors, gaz)}
        if not acting and any(_countries(roles.actors, gaz)):
            kind = "strike"  # a state's attack across a border is remote violence
    event = Event(
        type=kind, date=day, date_precision=precision, end_date=end, actors=roles.actors,
        targets=roles.targets,
        fatalities=_fatalities(clause.text) if kind in _VIOLENT else None,
        summary=sent.text[:200], sources=[Source(article.id, sent.text, sent.start, sent.end)],
        **_located(roles.place))
    return Report(event, dated)


def _countries(names: list[str], gaz: Gazetteer) -> list[Place]:
    return [p for name in names if (p := _country_place(name, gaz)) is not None]


def _located(place: Place | None) -> dict:
    if place is None:
        return {}
    return {"place": place.name, "place_id": place.id, "place_kind": place.kind,
            "country": place.country, "admin1": place.admin1, "lat": place.lat, "lon": place.lon,
            "geo_precision": place.geo_precision}


def events_from_articles(articles: Iterable[Article], gaz: Gazetteer,
                         corrections: Mapping[str, Mapping[str, str | None]] | None = None
                         ) -> list[Event]:
    """Extract from every article, then merge across them.

    ``corrections``: article id -> {mention text -> place id or None}.
    """
    found: list[Report] = []
    for article in articles:
        found.extend(extract_reports(article, gaz, (corrections or {}).get(article.id)))
    return merge_reports(found)
