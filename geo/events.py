"""Step four of the flow: who did what, where and when, one clause at a time.

Each clause (``geo.clauses``) is matched against the trigger rules of ``geo/rules``
(``geo.lexicon``); every family of event a clause names gives one report (a capture and
the fighting around it are two), and a report names the rule that fired. Roles come from
the clause: parties before the trigger act, parties after it are targets, "by X" is an
agent, the speaker of "X said it hit ..." acted; places after "in", "near", "the town of"
locate, and a clause that lists places ("in Syria and Iraq", "Tel Aviv and Jerusalem")
gives one report per place, as conflict coders count them (one event per type x place x
day x actor pair). Tolls come from ``geo.tolls``; a national total ("727 killed since
...") is a report of its own, never copied onto each event. A dateline ("KYIV:") says where
the story was filed and is never a party or a place. ``geo.merge`` folds reports of one
event together.

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
other              Strategic developments (captures, arrests,   SEIZE / MOBILIZE
                   displacement), casualty totals
=================  ===========================================  ======================
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache

from geo.articles import DATELINE, Article, body_start
from geo.clauses import BOILERPLATE, Clause, Sentence, clauses, sentences
from geo.dates import event_date_strength
from geo.gazetteer import Gazetteer, Place
from geo.lexicon import load_lexicon
from geo.merge import Report, merge_events, merge_reports
from geo.model import Event, Source
from geo.places import TITLES, Mention, find_places
from geo.syntax import ArticleSyntax
from geo.tolls import toll

__all__ = [
    "Match",
    "find_triggers",
    "extract_events",
    "extract_reports",
    "events_from_articles",
    "merge_events",
    "sentences",
]

VIOLENT = frozenset({"strike", "attack", "armed_clash"})
_WEAK_DATE = 2  # a date from when the report was told ("said on Friday")
SPEECH = frozenset({"statement", "appeal"})
AT_TARGET = VIOLENT | {"military_exercise"}  # happen where the target is, not at the actor's home


def family(kind: str) -> str:
    """Types that may name one event differently: violence, speech; else the type itself."""
    return "violence" if kind in VIOLENT else "speech" if kind in SPEECH else kind


# ---------------------------------------------------------------- triggers


@dataclass(frozen=True)
class Match:
    """A trigger rule that fired: the type it names, the rule's id, and the span."""

    type: str
    rule: str
    start: int
    end: int


def find_triggers(text: str, base: int = 0) -> list[Match]:
    """Every trigger in `text` (offsets + `base`), minus those a ``not`` rule covers."""
    quick = _any_trigger()
    if quick is not None and not quick.search(text):
        return []  # most clauses hold no trigger: one pass tells, not one per rule
    found, blocked = [], []
    for t in load_lexicon().triggers:
        for m in t.pattern.finditer(text):
            if t.type == "not":
                blocked.append((t.blocks, base + m.start(), base + m.end()))
            else:
                found.append(Match(t.type, t.id, base + m.start(), base + m.end()))
    return sorted(
        (
            m
            for m in found
            if not any(m.type in types and a < m.end and m.start < b for types, a, b in blocked)
        ),
        key=lambda m: (m.start, m.end),
    )


@cache
def _any_trigger() -> re.Pattern[str] | None:
    """All trigger rules as one pattern, which finds something wherever any rule would; None
    when a rule cannot be joined (a back-reference, its own flags or group names)."""
    head = r"(?<![\w-])"  # geo.lexicon opens every rule with it: checked once per place here
    rules = [t.pattern.pattern for t in load_lexicon().triggers]
    if not all(r.startswith(head) for r in rules) or any(re.search(r"\\[1-9]|\(\?P=", r) for r in rules):
        return None
    try:
        return re.compile(head + "(?:" + "|".join(r[len(head) :] for r in rules) + ")", re.I)
    except re.error:
        return None


def _pick(matches: list[Match]) -> list[Match]:
    """One trigger per family of event, in text order. Within violence a named remote
    weapon (strike) wins; otherwise the earliest trigger names the type."""
    best: dict[str, Match] = {}
    for m in matches:
        fam = family(m.type)
        if fam not in best or fam == "violence" and m.type == "strike" != best[fam].type:
            best[fam] = m
    return sorted(best.values(), key=lambda m: m.start)


# ---------------------------------------------------------------- cues (from the lexicon)


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    lex = load_lexicon()
    words = lambda name: rf"(?<![\w-])(?:{lex.alternation(name)})(?![\w-])"  # noqa: E731
    reporting = lex.alternation("reporting_verbs")
    return {
        "future": re.compile(words("future_cues"), re.I),
        "hypothetical": re.compile(words("hypothetical_cues"), re.I),
        "habitual": re.compile(words("habitual_cues"), re.I),
        "total": re.compile(words("total_cues"), re.I),
        "negation": re.compile(words("negations"), re.I),
        "nationality": re.compile(rf"\s*(?:{lex.alternation('nationality_nouns')})\b", re.I),
        "new_event": re.compile(words("new_event_cues"), re.I),
        "passive": re.compile(r"\b(?:was|were|been|being|is|are|get|got)\s+(?:\w+ly\s+)?$", re.I),
        "relative_day": re.compile(rf"\b(?:{lex.alternation('relative_days')})\b", re.I),
        "definite": re.compile(rf"(?:{words('definite')})\s+(?:[\w-]+\s+)?$", re.I),
        "says": re.compile(rf"\s+(?:{reporting})\b", re.I),
        "reporting": re.compile(rf"\b(?:{reporting})\b"),
        "speaker": re.compile(
            rf"^\W*(?P<who>.{{0,90}}?)\b(?:{reporting})\b(?:,? (?:citing [^,]*,|on \w+,?))?"
            r"(?:[^,.;“\"]{0,50}?\bthat\b)?\s*",
            re.I,
        ),
        "trailing": re.compile(
            rf",\s*(?P<who>[^,“”\"]{{2,80}}?)\s+(?:{reporting})(?: \w+)?(?: on \w+)?\W*$", re.I
        ),
        "org": re.compile(
            r"(?<![\w-])("
            + "|".join(sorted((re.escape(k) for k in lex.words["organisations"]), key=len, reverse=True))
            + r")(?![\w-])",
            re.I,
        ),
        "generic": re.compile(
            r"(?<![\w-])("
            + "|".join(sorted((re.escape(k) for k in lex.words["generic_actors"]), key=len, reverse=True))
            + r")(?![\w-])",
            re.I,
        ),
    }


def _near_before(pattern: re.Pattern[str], text: str, at: int, span: int = 40) -> bool:
    return bool(pattern.search(text, max(0, at - span), at))


def _unreal(clause: Clause, m: Match) -> str:
    """ "planned" for a plan ("will chair a meeting"), "unreal" for a threat, habit, denial or
    hypothesis ("would respond by launching attacks", "reserves the right to strike", "is known
    for carrying out attacks"), "" for an event that happened."""
    text, at, end = clause.text, m.start - clause.start, m.end - clause.start
    cues = _cues()
    if (
        _near_before(cues["hypothetical"], text, at, 50)
        or cues["habitual"].search(text, 0, at)
        or _CONDITIONAL.match(text)
        or _MODAL.search(text, 0, at)
    ):
        return "unreal"  # "If it holds, the ceasefire would end 14 months of fighting"
    if _near_before(cues["future"], text, at, 40) or cues["future"].match(text, end + 1, end + 12):
        return "planned" if m.type in _PLANNED else "unreal"
    if m.type in SPEECH and cues["passive"].search(text, 0, at):
        return "unreal"  # "the price was not announced": no one speaking
    return "unreal" if _near_before(cues["negation"], text, at, 12) else ""


_CONDITIONAL = re.compile(r"\W*(?:if|unless|should|were|had)\b", re.I)
_MODAL = re.compile(r"\b(?:would|could|might|may|should)\b(?! have\b)")
_GROUP_AFTER = re.compile(
    r"\s+(?:[A-Z][\w'’-]+\s+){0,2}(?:Army|Forces?|Brigades?|Front|Militias?|Movement"
    r"|Guards?|Corps|Battalions?|Liberation|Party|Council)\b"
)
_CROWD = re.compile(
    r"\b(?:crowds?|mobs?|rioters|protesters|protestors|demonstrators)\b(?![^,;]*\b(?:police|forces|troops)\b)",
    re.I,
)
_BETWEEN_PARTIES = frozenset({"diplomatic_contact", "agreement", "appeal"})
# A planned meeting or visit told on the day it takes place is the one other reports tell.
_PLANNED = frozenset({"meeting", "travel", "diplomatic_contact"})


# ---------------------------------------------------------------- parties


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
    ("Kakar" -> Pakistan, "the two nations"), and the dateline's span (filed from, not a place)."""

    people: dict[str, str]  # a name word of a person tied to a country -> that country
    pair: tuple[str, ...]  # the article's two leading countries, when it has two
    dateline: tuple[int, int]  # offsets of "KYIV:", "TYRE, Lebanon —"; (0, 0) without one
    lists: frozenset[tuple[int, int]] = frozenset()  # starts of mentions listed together ("X and Y")
    home: Place | None = None  # the dateline's city: where the acting side stands if it is at home
    country: Place | None = None  # the country most of the story's places are in
    groups: frozenset[int] = frozenset()  # starts of place names inside a group's name ("Arakan Army")
    syntax: ArticleSyntax | None = None  # its sentences' parses, made as roles are asked (parser="spacy")


_TITLE_WORDS = "|".join(sorted(TITLES | {"counterpart", "leader"}))
_PERSON_AFTER = re.compile(
    rf"(?:['’]s)?(?:\s+[\w-]+){{0,3}}?\s+(?i:{_TITLE_WORDS})s?,?\s+"
    r"((?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)"
)
_PAIR = re.compile(
    r"\b(?:the two (?:nations|countries|neighbou?rs|sides|states|governments|capitals"
    r"|(?:foreign )?ministries|(?:foreign )?ministers|leaders|presidents|men|delegations)"
    r"|both (?:nations|countries|neighbou?rs|sides|governments|capitals))\b",
    re.I,
)
_NAME_WORD = re.compile(r"\b[A-Z][\w'’-]{2,}\b")
# A dateline: a city (and country, date, agency) and a colon or dash, as in KYIV: or Seoul, July 1:
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][\w'’.]*(?:[ -][A-Z][\w'’.]*){0,2}(?:,[ \t]*[A-Z][\w'’.]*(?: [A-Z][\w'’.]*)?)?"
    r"(?:,?[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?(?:[ \t]*\([^()\n]{1,40}\))?\.?"
    r"[ \t]*(?::|[-—–]+)[ \t]",
    re.M,
)


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


def _find_dateline(text: str) -> tuple[int, int]:
    start = body_start(text)
    for m in _DATELINE.finditer(text, start, start + 1500):
        if text[m.end() : m.end() + 1].strip():
            return m.start(), m.end()
    return 0, 0


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
    return _Story(people, pair, _find_dateline(text))


def _parties_in(clause: Clause, mentions: list[Mention], gaz: Gazetteer, story: _Story) -> list[_Party]:
    found = []
    for m in mentions:
        name = _party(m, gaz)
        if m.place.kind == "city" and _locative_before(clause.text, m.start - clause.start):
            continue  # "in Paris" is where, not who; "Paris said" is France
        if m.demonym and _cues()["nationality"].match(clause.text, m.end - clause.start):
            continue  # "a Malian jihadist" is a person's nationality, not a party
        if name and not _BACKER.match(clause.text, m.end - clause.start):  # "the Iran-backed militia"
            country = gaz.country(m.place.country) if m.place.country else None
            found.append(_Party(name, m.start, m.end - m.start, country))
    orgs = load_lexicon().words["organisations"]
    for m in _cues()["org"].finditer(clause.text):
        word = m[1]
        if word.isupper() or len(word) > 4 and not word.islower():  # "un" the prefix is not the UN
            name = orgs[word.lower()]
            found.append(_Party(name, clause.start + m.start(), len(word), _country_place(name, gaz)))
    for m in _NAME_WORD.finditer(clause.text):
        if m[0] in story.people and not any(
            p.start <= clause.start + m.start() < p.start + p.length for p in found
        ):
            name = story.people[m[0]]
            found.append(_Party(name, clause.start + m.start(), len(m[0]), _country_place(name, gaz)))
    for m in _PAIR.finditer(clause.text):
        found += [
            _Party(name, clause.start + m.start(), len(m[0]), _country_place(name, gaz))
            for name in story.pair
        ]
    return sorted(found, key=lambda p: p.start)


@lru_cache(maxsize=4096)
def _country_place(name: str, gaz: Gazetteer) -> Place | None:
    """The country a party name stands for; names repeat across clauses, so looked up once."""
    return next((c.place for c in gaz.lookup(name)[:1] if c.place.kind == "country"), None)


_BACKER = re.compile(r"-(?:backed|aligned|allied|supported|sponsored|funded|armed|trained|based|led)\b")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_PRONOUN = re.compile(r"^(?:it|its|they|their|we|our|he|his|she|her)\b", re.I)
_ITS_TERRITORY = re.compile(
    r"\b(?:on|in|inside|within) (?:its|our|their) (?:own )?(?:territory|soil)\b", re.I
)
_LOCATIVE = re.compile(
    r"(?:\b(?i:in|inside|at|near|outside|across|into|on|over|off|around|within|along"
    r"|toward|towards|from within|north of|south of|east of|west of)\s+(?i:the\s+)?"
    r"(?:(?!(?i:what|which|that|who|whom|said|says|against|with|by|for|from|and|but|as"
    r"|to)\b)[\w'’-]+\s+){0,4}"
    r"|\b(?i:town|city|village|port|district|province|region|area|outskirts|suburbs?"
    r"|capital|border crossing|camp|department|state|county|township)\s+of\s+"
    r"|\b(?i:capital|city),?\s+)$"
)
_LOOKBACK = 200  # "in", "near the", "the town of" and four words fit well inside this


def _locative_before(text: str, at: int) -> bool:
    """Does text[:at] end in a locative ("in", "near the", "the town of")? Only the last
    _LOOKBACK characters are read, so a long clause is not rescanned for every name."""
    at = min(max(at, 0), len(text))
    return bool(_LOCATIVE.search(text, max(0, at - _LOOKBACK), at))


_CAPITAL_AFTER = re.compile(r"\s+capital\b")
_CONTENT = re.compile(r"\bthat\b|[“\"«:]")
# "said on Friday that", "said Tuesday": when the words were said, right after the speech verb
_TOLD_WHEN = re.compile(
    r"(?:\s+(?:in|on) (?:a|an|his|her|its|their) [\w ]{0,30}?(?:statement|address|interview|post))?"
    r",?\s+(?:on\s+|late\s+|early\s+|last\s+)?(?:[A-Z][a-z]+day|today|yesterday|tonight"
    r"|[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8})\b"
)
_DESTINATION = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$")
_AGENT = re.compile(r"\bby (?:the )?$")
_OBJECT = re.compile(r"\b(?:with|against|to|on|from|between)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)
_LIST_JOIN = re.compile(
    r"^(?:,\s*|\s*,?\s+and\s+|\s*,?\s+or\s+|\s*,?\s+as well as\s+)(?:the\s+)?"
    r"(?:(?:towns?|cities|villages?|provinces?|regions?|districts?|of)\s+)?$"
)
_NAMED_KINDS = frozenset({"city", "town", "village", "admin1", "admin2", "territory"})
_SPECIFICITY = {
    "city": 0,
    "town": 0,
    "village": 0,
    "admin2": 1,
    "admin1": 2,
    "territory": 2,
    "island": 1,
    "mountain": 1,
    "sea": 3,
    "country": 4,
    "region": 5,
}


@dataclass
class _Roles:
    actors: list[str]
    targets: list[str]
    places: list[Place]  # named in the clause, one report each; empty when unplaced
    fallback: list[Place]  # where an unplaced clause happened if the story says nothing else
    reporter_home: list[Place] = field(default_factory=list)  # "Pakistan said the Iranian attack ...": there


def _roles(
    clause: Clause,
    m: Match,
    mentions: list[Mention],
    gaz: Gazetteer,
    story: _Story,
    anchor: Place | None,
    carried: list[str],
) -> _Roles:
    """Actors before the trigger (or the speaker, or "by X"), targets after, and the places."""
    kind = m.type
    text, base = clause.text, clause.start
    cues = _cues()
    said = cues["speaker"].match(text)
    if said and m.start - base < said.end():  # "X said" after the trigger is not this clause's speaker
        said = None
    trailing = None if said else cues["trailing"].search(text, m.end - base)
    body_start = base + (said.end() if said else 0)
    body_end = base + (trailing.start() if trailing else len(text))
    quoted = [(base + q.start(), base + q.end()) for q in _QUOTED.finditer(text)]
    every = _parties_in(clause, mentions, gaz, story)
    parties = [
        p for p in every if not any(a <= p.start < b for a, b in quoted)
    ]  # a quote's "we" is its speaker's
    quoted_targets = [
        p for p in every if p not in parties and p.start >= m.end
    ]  # "a warning to 'Taiwan ...'"
    speakers = [
        p
        for p in parties
        if p.start < body_start
        or p.start >= body_end
        or cues["says"].match(clause.text, p.start - base + p.length)
    ]

    def before(at: int, pattern: re.Pattern[str]) -> bool:
        return bool(pattern.search(text, max(0, at - base - 60), at - base))

    actors = [
        p
        for p in parties
        if body_start <= p.start < m.end
        and p not in speakers
        and not before(p.start, _LOCATIVE)
        and not before(p.start, _OBJECT)
    ]
    after = [p for p in parties if m.end <= p.start < body_end and p not in speakers]
    if not after:
        after = quoted_targets
    agents = [p for p in after if before(p.start, _AGENT)]
    if cues["passive"].search(text, 0, m.start - base):  # "two UN lorries were burned by ...": the done-to
        after, actors = actors + after, []
    if agents:  # "strikes by Pakistan"
        actors = actors or agents[:1]
        after = [p for p in after if p not in agents[:1]]
    body = text[body_start - base :]
    if not actors and (_PRONOUN.match(body) or kind not in VIOLENT) and speakers:
        actors = speakers[:1]  # "Islamabad said it hit ...": the speaker acted
    if not actors and _PRONOUN.match(body) and carried:
        actor_names = list(carried)  # "..., where it said it had struck ...": the same actor
    else:
        actor_names = _dedupe(p.name for p in actors)
    if not actor_names:
        generic = load_lexicon().words["generic_actors"]
        found = [g for g in cues["generic"].finditer(text, body_start - base, m.start - base)]
        actor_names = [generic[found[0][1].lower()]] if found else []
    objects = [p for p in parties if body_start <= p.start < m.start and before(p.start, _OBJECT)]
    targets = _dedupe(p.name for p in objects + after if p.name not in actor_names)
    actor_names, targets = _parsed_roles(story.syntax, m, parties, actor_names, targets)
    party_spans = {(p.start, p.length) for p in actors + speakers}

    located = [
        _directed(x, clause, gaz)
        for x in mentions
        if body_start <= x.start < body_end
        and not x.demonym
        and x.start not in story.groups
        and (x.start, x.end - x.start) not in party_spans
    ]
    locative = [
        x
        for x in located
        if before(x.start, _LOCATIVE)
        or x.place.kind not in ("country",)
        and x.place.feature != "PPLC"
        or kind == "travel"
        and before(x.start, _DESTINATION)
    ]
    for x in mentions:  # "the Ukrainian capital" is a place: that country's capital
        if (
            x.demonym
            and _CAPITAL_AFTER.match(text, x.end - base)
            and x.place.country
            and (capital := gaz.capital(x.place.country)) is not None
            and body_start <= x.start < body_end
        ):
            locative.append(replace(x, place=capital, demonym=False))
    if kind in SPEECH:  # said where it was said, else at the speaker's home
        said_at = [x for x in mentions if x.start < body_start and before(x.start, _LOCATIVE)]
        acting = next((p.country for p in actors + speakers if p.country is not None), None)
        inside = [
            x
            for x in said_at + locative
            if acting is not None and x.place.country == acting.country and x.place.kind != "country"
        ]
        places = _most_specific(said_at or inside) or ([acting] if acting else []) or _most_specific(locative)
    else:  # the places the trigger's phrase goes on to name ("strikes on Kyiv") before the others
        after_trigger = [x for x in locative if x.start >= m.start]
        said_in = [x for x in after_trigger if before(x.start, _LOCATIVE)]  # "near Sanaa", not "Tomahawk"
        places = _most_specific(said_in or after_trigger or locative, story.lists, m.end, located)
    if _ITS_TERRITORY.search(text) and speakers and speakers[0].country is not None:
        places = places or [speakers[0].country]  # "Iran said ... on its territory"
        targets = _dedupe([speakers[0].name, *targets])
    if anchor is not None and not any(before(x.start, _LOCATIVE) for x in located):
        places = [anchor]  # "..., and Iraq, where ...": there, unless the clause says "in X"
    fallback, reporter_home = [], []
    if not places and kind in AT_TARGET:  # at the target's, else at the reporting side's home
        target_places = [p.country for p in after if p.country is not None and p.name not in actor_names]
        speaker_home = [p.country for p in speakers if p.country is not None and p.name not in actor_names]
        fallback = (target_places or speaker_home)[:1]
        reporter_home = speaker_home[:1] if actor_names else []
        if kind == "military_exercise" and not target_places:  # drills at home unless aimed at another
            fallback = [p.country for p in actors if p.country is not None][:1]
    if not places and kind not in AT_TARGET:  # "said in New York that ...": where it was said
        places = _most_specific(
            [x for x in mentions if x.start < body_start and not x.demonym and before(x.start, _LOCATIVE)]
        )
    if not places and kind not in AT_TARGET:  # a government acts at home: in the city filed from, if there
        acting = next((p.country for p in actors if p.country is not None), None)
        home = story.home
        fallback = (
            [home if home is not None and acting is not None and home.country == acting.country else acting]
            if acting
            else []
        )
    if kind in VIOLENT and (places or fallback) and not targets:
        where = (places or fallback)[0]
        country = gaz.country(where.country) if where.country else None
        if country is not None and country.name not in actor_names:
            targets = [country.name]  # "Pakistan carried out strikes in Iran"
    return _Roles(actor_names, targets, places, fallback, reporter_home)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _most_specific(
    mentions: list[Mention],
    lists: frozenset[tuple[int, int]] = frozenset(),
    near: int | None = None,
    pool: list[Mention] | None = None,
) -> list[Place]:
    """The most specific place named (of equals, the nearest to `near`, the trigger), and every
    place of the same kind listed with it ("in Syria and Iraq", "Ge Laung and Lone Kauk
    villages"): one report each."""
    if not mentions:
        return []
    chosen = min(
        sorted(mentions, key=lambda x: x.start),
        key=lambda x: (
            _SPECIFICITY.get(x.place.kind, 3),
            abs(x.start - near) if near is not None else x.start,
        ),
    )
    mentions = sorted({id(x): x for x in (pool or []) + mentions}.values(), key=lambda x: x.start)
    best = mentions.index(chosen)
    level = _SPECIFICITY.get(mentions[best].place.kind, 3)
    lo = hi = best
    while (
        lo > 0
        and (mentions[lo - 1].start, mentions[lo].start) in lists
        and _SPECIFICITY.get(mentions[lo - 1].place.kind, 3) == level
    ):
        lo -= 1
    while (
        hi + 1 < len(mentions)
        and (mentions[hi].start, mentions[hi + 1].start) in lists
        and _SPECIFICITY.get(mentions[hi + 1].place.kind, 3) == level
    ):
        hi += 1
    return _dedupe_places(x.place for x in mentions[lo : hi + 1])


def _lists(text: str, mentions: list[Mention]) -> frozenset[tuple[int, int]]:
    """Neighbouring mentions joined as a list ("X and Y", "X, Y"), by their starts."""
    return frozenset(
        (a.start, b.start)
        for a, b in zip(mentions, mentions[1:])
        if len(text) and b.start - a.end <= 30 and _LIST_JOIN.match(text[a.end : b.start])
    )


def _dedupe_places(places: Iterable[Place]) -> list[Place]:
    return list({p.id: p for p in places}.values())


# ---------------------------------------------------------------- reports


@dataclass
class _Context:
    """What the article has told so far, for the clauses that lean on it."""

    headline_end: int = 0  # the title line's end: its reports only join events the story tells
    last_violent: Report | None = None
    last_day: date | None = None  # the last date written in the story ("the previous morning" counts from it)
    last_place: dict[str, Place] = field(default_factory=dict)  # family -> where its last event happened
    last_date: dict[str, tuple[int, date, str]] = field(default_factory=dict)  # family -> its lead's date
    last_named: Place | None = None  # the last settlement or division the story named
    sentence_day: tuple | None = None  # (day, precision, end, strength) the main clause writes
    sentence_places: list[Place] = field(default_factory=list)  # places the sentence puts things in
    sentence_told: bool = False  # a report already came from this sentence


def _headline_end(text: str, start: int) -> int:
    """The end of a title line opening the body (no full stop at its end), else `start`."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[start:line_end].strip()
    return line_end if line and len(line) < 160 and line[-1] not in '.!?"”’' else start


def extract_reports(
    article: Article,
    gaz: Gazetteer,
    corrections: Mapping[str, str | None] | None = None,
    *,
    parser: str = "rules",
) -> list[Report]:
    """Every event report in one article: one per clause and family of event, and one per
    listed place. ``parser``: "rules" reads roles from word order, "spacy" from a
    dependency parse of the sentence holding each trigger (``geo.syntax``)."""
    if article.published is None:
        return []
    mentions = find_places(article.text, gaz, article.id, corrections=corrections)
    story = _story(article, mentions, gaz)
    a, b = story.dateline
    home = next((x.place for x in mentions if a <= x.start < b and x.place.kind in ("city", "town")), None)
    mentions = [x for x in mentions if not a <= x.start < b]  # filed from, not a place or a party
    # "the Arakan Army", "the Pakistani Army": a side, never where something happened
    groups = frozenset(x.start for x in mentions if _GROUP_AFTER.match(article.text, x.end))
    starts = [x.start for x in mentions]
    story = replace(
        story,
        lists=_lists(article.text, mentions),
        home=home,
        groups=groups,
        country=_leading_country(mentions, gaz),
        syntax=_article_syntax(article.text, parser),
    )
    start = body_start(article.text)
    ctx = _Context(headline_end=_headline_end(article.text, start))
    reports: list[Report] = []
    for sent in sentences(article.text, start):
        if BOILERPLATE.search(sent.text):
            continue
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        if sent.start < b <= sent.end:  # the dateline opens this sentence: read what follows it
            whole = Source(article.id, sent.text, sent.start, sent.end)
            found = _sentence_reports(
                Sentence(b, sent.end, article.text[b : sent.end]), mentions[lo:hi], article, gaz, story, ctx
            )
            for r in found:  # the source is the sentence as written
                r.event.sources = [replace(whole, rule=x.rule) for x in r.event.sources]
            reports.extend(found)
        else:
            reports.extend(_sentence_reports(sent, mentions[lo:hi], article, gaz, story, ctx))
    return reports


def _sentence_reports(
    sent: Sentence, inside: list[Mention], article: Article, gaz: Gazetteer, story: _Story, ctx: _Context
) -> list[Report]:
    out: list[Report] = []
    main: Report | None = None
    anchor: Place | None = None
    carried: list[str] = []
    dead = toll(sent.text)
    total = dead is not None and bool(_cues()["total"].search(sent.text))
    parts = clauses(sent)
    when, strength = (
        event_date_strength(DATELINE.sub("", parts[0].text), article.published) if parts else (None, 3)
    )
    ctx.sentence_day = (
        (when.start, when.precision, when.end, strength) if when is not None and strength == 0 else None
    )
    ctx.sentence_places = _most_specific(
        [
            x
            for x in inside
            if not x.demonym
            and x.start not in story.groups
            and _LOCATIVE.search(article.text, max(0, x.start - 60), x.start)
        ]
    )
    ctx.sentence_told = False
    starts = [x.start for x in inside]  # in text order: a clause's mentions by bisect, not a scan
    for clause in parts:
        if clause.role == "where":  # "..., and Iraq, where it said ...": Iraq, then the rest
            cut = clause.text.find(", where ") + len(", where ") if ", where " in clause.text else 0
            named = _starting(inside, starts, clause.start, clause.start + cut)
            lo = bisect.bisect_left(starts, clause.start)
            anchor = (named or inside[lo - 1 : lo] or [None])[0]  # else the last place named before
            anchor = anchor.place if anchor else None
            clause = replace(clause, start=clause.start + cut, text=clause.text[cut:])
        matches = find_triggers(clause.text, clause.start)
        status = {m: _unreal(clause, m) for m in _pick(matches)}
        picked = [m for m, st in status.items() if st != "unreal"]
        told = {family(m.type) for m in matches if _told_before(clause, m)}
        if not any(family(m.type) == "speech" for m in picked) and all(
            family(m.type) in told for m in picked
        ):
            said = _cues()["reporting"].search(clause.text)  # "Romania's president said Tuesday that ..."
            if said:
                picked.append(
                    Match(
                        "statement", "statement.said", clause.start + said.start(), clause.start + said.end()
                    )
                )
        clause_mentions = _starting(inside, starts, clause.start, clause.end)
        violent = not total and any(m.type in VIOLENT for m in picked)  # a toll only for violence
        clause_dead = toll(clause.text, hurt_means_none_dead=True) if violent else None
        for m in picked:
            made = _clause_reports(
                clause,
                m,
                sent,
                clause_mentions,
                article,
                gaz,
                story,
                anchor if clause.role == "where" else None,
                carried,
                main,
                ctx,
                clause_dead if m.type in VIOLENT else None,
                family(m.type) in told,
                status.get(m) == "planned",
            )
            if status.get(m) == "planned":
                made = [replace(r, planned=True, dated=False) for r in made]
            if m.rule == "statement.said" and not _party_speaks(
                clause, _touching(inside, starts, clause), gaz, story
            ):
                continue  # only a named party's words are a statement
            if m.type in _BETWEEN_PARTIES and made and not (made[0].event.actors or made[0].event.targets):
                continue  # a call, deal, appeal or visit with no country or organisation is no diplomacy
            out.extend(made)
            if made:
                ctx.sentence_told = True
                main = main or made[0]
                carried = made[0].event.actors or carried
    if dead is not None and (total or not any(r.event.fatalities is not None for r in out)):
        out.extend(_toll_report(sent, inside, article, gaz, story, ctx, dead, total, out))
    elif dead is None and toll(sent.text, hurt_means_none_dead=True) == 0:
        for r in out:  # "a soldier was injured at X after a device was launched": none dead
            if r.event.type in VIOLENT and r.event.fatalities is None and not r.anaphoric:
                r.event.fatalities = 0
    named = [
        x.place
        for x in inside
        if x.place.kind in _NAMED_KINDS
        and not x.demonym
        and x.start not in story.groups
        and (x.place.feature != "PPLC" or _LOCATIVE.search(article.text, max(0, x.start - 60), x.start))
    ]
    # ("concerns to Kabul" is the government; "in the capital of Mogadishu" a place)
    if named:
        ctx.last_named = named[-1]
    if sent.start >= ctx.headline_end:
        when, strength = event_date_strength(sent.text, article.published)
        if when is not None and strength == 0 and when.precision == "day":
            ctx.last_day = when.start
    return out


def _starting(mentions: list[Mention], starts: list[int], a: int, b: int) -> list[Mention]:
    """The mentions that start in [a, b); `starts` are theirs, in order."""
    return mentions[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]


def _touching(mentions: list[Mention], starts: list[int], clause: Clause) -> list[Mention]:
    """The mentions that overlap the clause: those in it, and one running into it ("Trinidad
    and Tobago said" splits at "and"); mentions never overlap each other (geo.places)."""
    lo, hi = bisect.bisect_left(starts, clause.start), bisect.bisect_left(starts, clause.end)
    return mentions[lo - 1 if lo and mentions[lo - 1].end > clause.start else lo : hi]


def _toll_report(
    sent: Sentence,
    inside: list[Mention],
    article: Article,
    gaz: Gazetteer,
    story: _Story,
    ctx: _Context,
    dead: int,
    total: bool,
    told: list[Report],
) -> list[Report]:
    """A toll told apart from its event. "Officials said four civilians were killed." belongs
    to the violence just told; a total ("727 killed since ...", "the death toll rose to 31")
    is a report of its own, which never merges with the events it sums."""
    violent = [r for r in told if r.event.type in VIOLENT]
    if not total:
        last = violent[-1] if violent else ctx.last_violent
        when, strength = event_date_strength(sent.text, article.published)
        other_day = when is not None and strength == 0 and last is not None and when.start != last.event.date
        if last is not None and last.event.fatalities is None and not other_day:
            last.event.fatalities = dead  # "In June 2021, 160 were killed" is not today's toll
        return []
    places = _most_specific([x for x in inside if not x.demonym and x.start not in story.groups])
    if not places and "violence" in ctx.last_place:
        places = [ctx.last_place["violence"]]
    main = next((c for c in clauses(sent) if c.role == "main"), None)
    when, strength = event_date_strength(main.text if main else sent.text, article.published)
    if when is None:
        day, precision, end = article.published, "week", None
    else:
        day, precision, end = when.start, when.precision, when.end
    kind = violent[0].event.type if violent else "attack"
    event = Event(
        type=kind,
        date=day,
        date_precision=precision,
        end_date=end,
        fatalities=dead,
        summary=sent.text[:200],
        sources=[Source(article.id, sent.text, sent.start, sent.end, "toll.total")],
        **_located(places[0] if places else None),
    )
    return [Report(event, dated=True, rule="toll.total", strength=strength, total=True)]


def _party_speaks(clause: Clause, mentions: list[Mention], gaz: Gazetteer, story: _Story) -> bool:
    """Is a country or organisation the one speaking ("Romania's president said ...")?"""
    said = _cues()["speaker"].match(clause.text) or _cues()["trailing"].search(clause.text)
    if said is None:
        return False
    a, b = clause.start + said.start("who"), clause.start + said.end("who")
    return any(a <= p.start < b for p in _parties_in(clause, mentions, gaz, story))


_PEOPLE = re.compile(
    r"(?:ministers|leaders|diplomats|delegations|officials|forces|troops|soldiers|police"
    r"|gunmen|militants|rebels|bandits|men|protesters|demonstrators)\b",
    re.I,
)


def _told_before(clause: Clause, m: Match) -> bool:
    """Does the trigger name an event already told ("the night-time attacks", "these strikes")?
    Only the _LOOKBACK characters before it are read, so a long clause is not rescanned per trigger."""
    if _PEOPLE.match(clause.text, m.start - clause.start):
        return False  # "the ministers discussed": people, not an event told before
    at = m.start - clause.start
    lo = max(0, at - _LOOKBACK - 1)
    words = clause.text[at : m.end - clause.start].split(None, 1)
    head = clause.text[lo:at] + (words[0] + " " if len(words) > 1 else "")
    return bool(_cues()["definite"].search(head, 1 if lo else 0))  # "the night-time attacks", "its strikes"


def _clause_date(clause: Clause, m: Match, main: Report | None, ctx: _Context, published: date):
    """(day, precision, end, strength) of a clause's event, or None for undated background."""
    fam = family(m.type)
    text = DATELINE.sub("", clause.text)
    if fam == "speech":  # what was said about Monday was not said on Monday: read up to the content
        start = m.start - clause.start
        content = _CONTENT.search(text, start)
        verbs = list(_cues()["reporting"].finditer(text, start, content.start() if content else len(text)))
        end = max(m.end - clause.start, verbs[-1].end() if verbs else 0)  # "In a message ..., X announced that"
        told = _TOLD_WHEN.match(text, end)
        whole, text = text, text[: told.end() if told else end]
    when, strength = event_date_strength(text, published)
    if fam == "speech" and strength == 1:
        when, strength = None, 3  # "Saudi Arabia, at peace with them since 2022, urged ...": said today
    if when is None and fam == "speech":  # "denied the report on Tuesday", unless the day is another event's
        later, later_strength = event_date_strength(whole, published)  # ("called for a strike on Monday")
        if later is not None and later_strength == 0 and 0 <= (published - later.start).days <= 7 \
                and not find_triggers(whole[len(text):later.offset]):
            when, strength = later, later_strength
    at = m.start - clause.start
    own, own_strength = event_date_strength(text[max(0, at - 30) : m.end - clause.start], published)
    if own is not None and own_strength == 0 and own.text.endswith(("'s", "’s")):
        when, strength = own, 0  # "... on Tuesday to discuss Monday's airstrikes": Monday
    if when is None and (rel := _cues()["relative_day"].search(clause.text)) and ctx.last_day:
        shift = load_lexicon().words["relative_days"][rel[0].lower()]  # "the previous morning"
        return ctx.last_day + timedelta(days=shift), "day", None, 0
    if (
        when is None
        and main is not None
        and main.dated
        and (clause.role in ("where", "parallel") or clause.lag_days)
    ):
        # "..., a day after Pakistan carried out strikes in Iran"; "..., and Iraq, where ..."
        e = main.event
        return e.date - timedelta(days=clause.lag_days), e.date_precision, e.end_date, main.strength
    if (
        when is None
        and main is None
        and ctx.sentence_day
        and clause.role != "main"
        and (clause.role in ("where", "parallel") or clause.lag_days)
    ):
        day, precision, end, strength = ctx.sentence_day  # "On 26-27 May, X was in Moscow, where he met ..."
        return day - timedelta(days=clause.lag_days), precision, end, strength
    if when is not None:
        return when.start, when.precision, when.end, strength
    if clause.role == "background" and clause.opener.endswith(("after", "following")) and not clause.lag_days:
        if main is not None and main.dated and family(main.event.type) == fam:
            # "soldiers were killed on Thursday after rebels attacked three bases": one story
            e = main.event
            return e.date, e.date_precision, e.end_date, main.strength
    if (
        clause.role == "background"
        and clause.opener.endswith(("after", "following"))
        and not clause.lag_days
        and not ctx.sentence_told
    ):
        # "a soldier was hurt at X after a device was launched", "the town after shelling"
        day, precision = ctx.last_date[fam][1:] if fam in ctx.last_date else (published, "week")
        return day, precision, None, 3
    if clause.role == "background":
        return None  # undated background is no event we can place in time
    lead = ctx.last_date.get(fam) or (ctx.last_date.get("violence") if fam in ("other", "protest") else None)
    if lead and fam != "speech":
        return lead[1], lead[2], None, 3  # the story's day goes on
    return published, "week", None, 3  # reported, so recent


def _clause_reports(
    clause: Clause,
    m: Match,
    sent: Sentence,
    mentions: list[Mention],
    article: Article,
    gaz: Gazetteer,
    story: _Story,
    anchor: Place | None,
    carried: list[str],
    main: Report | None,
    ctx: _Context,
    dead: int | None,
    told: bool,
    planned: bool = False,
) -> list[Report]:
    kind, fam = m.type, family(m.type)
    roles = _roles(clause, m, mentions, gaz, story, anchor, carried)
    if (
        main is not None
        and main.event.actors
        and roles.actors
        and not set(main.event.actors) & set(roles.actors)
    ):
        main = None  # "..., while Tehran said its drones struck ...": another side, another event
    dated_as = _clause_date(clause, m, main, ctx, article.published)
    if dated_as is None:
        return []
    day, precision, end, strength = dated_as
    # "the clashes showed ...", a title line: an event the story tells, never one of its own
    # (a date from when it was told, or "since the violence erupted", is no date of its own)
    anaphoric = sent.start < ctx.headline_end or told and (strength >= _WEAK_DATE or clause.opener == "since")
    places = (
        roles.places
        or roles.reporter_home
        or (ctx.sentence_places if not anaphoric and fam in ("violence", "other", "protest") else [])
    )
    if not places and not anaphoric and fam != "speech" and not _cues()["new_event"].search(clause.text):
        named = ctx.last_place.get(fam) or (
            ctx.last_named if fam in ("violence", "other", "protest") else None
        )
        places = [named] if named else []  # the story goes on where it was
    places = (
        places
        or roles.fallback
        or (  # in the country the story is about (a named speaker
            [story.country]
            if story.country
            and not planned  # with no home, the UN, stays unplaced)
            and not (fam == "speech" and roles.actors)
            else []
        )
    )
    if kind in VIOLENT and _CROWD.search(
        clause.text, max(0, m.start - clause.start - 80), m.start - clause.start
    ):
        kind = "protest"  # "crowds attacked several embassies": a riot, which coders count as a demonstration
    if kind == "attack" and places and roles.actors:
        acting = {places[0].country} & {p.country for p in _countries(roles.actors, gaz)}
        if not acting and any(_countries(roles.actors, gaz)):
            kind = "strike"  # a state's attack across a border is remote violence
    out = []
    for place in places or [None]:
        event = Event(
            type=kind,
            date=day,
            date_precision=precision,
            end_date=end,
            actors=roles.actors,
            targets=roles.targets,
            fatalities=dead if kind in VIOLENT and len(places) <= 1 else None,
            summary=sent.text[:200],
            sources=[Source(article.id, sent.text, sent.start, sent.end, m.rule)],
            **_located(place),
        )
        out.append(
            Report(
                event,
                strength < 3 and not anaphoric,
                rule=m.rule,
                strength=strength,
                anaphoric=anaphoric,
                separate=bool(_cues()["new_event"].search(clause.text)),
            )
        )
    if (
        roles.places
        and fam != "speech"
        and not anaphoric
        and not _inside(ctx.last_place.get(fam), roles.places[0])
    ):
        ctx.last_place[fam] = roles.places[0]  # but "Rakhine state's spokesman" keeps the township
    if (
        strength <= _WEAK_DATE
        and not anaphoric
        and (fam not in ctx.last_date or strength < ctx.last_date[fam][0])
    ):
        ctx.last_date[fam] = (strength, day, precision)  # the lead's day (the first written one)
    if kind in VIOLENT and not anaphoric:
        ctx.last_violent = out[-1]
    return out


def _inside(place: Place | None, area: Place) -> bool:
    """Is `place` a more specific place within `area` (a country or division)?"""
    if place is None or place.id == area.id or area.kind not in ("country", "admin1", "territory", "region"):
        return False
    if _SPECIFICITY.get(place.kind, 3) >= _SPECIFICITY.get(area.kind, 3):
        return False
    return place.country == area.country and (area.kind == "country" or place.admin1 == area.admin1)


def _leading_country(mentions: list[Mention], gaz: Gazetteer) -> Place | None:
    """The country the story is about: the one most of its place names lie in, if clearly ahead."""
    counts = Counter(x.place.country for x in mentions if x.place.country and not x.demonym)
    top = counts.most_common(2)
    if not top or len(top) > 1 and top[1][1] * 3 > top[0][1] * 2:
        return None
    return gaz.country(top[0][0])


_COMPASS = re.compile(
    r"\b(?P<ns>north|south)?-?(?P<ew>east|west)?(?:ern|-central)?\s+(?:part of\s+)?$"
    r"|\b(?P<c>central)\s+$",
    re.I,
)


def _directed(x: Mention, clause: Clause, gaz: Gazetteer) -> Mention:
    """ "eastern Syria", "Ukraine's southwestern Odesa region": the area's part the text
    names, as the point in the middle of that part of its outline."""
    if x.place.kind not in ("country", "admin1", "territory", "region"):
        return x
    at = x.start - clause.start
    m = _COMPASS.search(clause.text, max(0, at - 20), at)
    if m is None or not (m["ns"] or m["ew"] or m["c"]):
        return x
    box = gaz.bounds(x.place.id)
    if box is None:
        return x
    west, south, east, north = box
    lat, lon = (south + north) / 2, (west + east) / 2
    if m["ns"]:
        lat = (lat + (north if m["ns"].lower() == "north" else south)) / 2
    if m["ew"]:
        lon = (lon + (east if m["ew"].lower() == "east" else west)) / 2
    word = m[0].strip().lower()
    return replace(
        x,
        place=replace(
            x.place,
            id=f"{x.place.id}#{word}",
            name=f"{word} {x.place.name}",
            lat=round(lat, 4),
            lon=round(lon, 4),
        ),
    )


def _countries(names: list[str], gaz: Gazetteer) -> list[Place]:
    return [p for name in names if (p := _country_place(name, gaz)) is not None]


def _located(place: Place | None) -> dict:
    if place is None:
        return {}
    return {
        "place": place.name,
        "place_id": place.id,
        "place_kind": place.kind,
        "country": place.country,
        "admin1": place.admin1,
        "lat": place.lat,
        "lon": place.lon,
        "geo_precision": place.geo_precision,
    }


def extract_events(
    article: Article,
    gaz: Gazetteer,
    corrections: Mapping[str, str | None] | None = None,
    *,
    parser: str = "rules",
) -> list[Event]:
    """Every event one article reports, before merging.

    ``corrections``: mention text -> place id (or None) a person chose for this article;
    ``parser``: "rules" or "spacy" (see ``extract_reports``).
    """
    return [r.event for r in extract_reports(article, gaz, corrections, parser=parser)]


def events_from_articles(
    articles: Iterable[Article],
    gaz: Gazetteer,
    corrections: Mapping[str, Mapping[str, str | None]] | None = None,
    *,
    parser: str = "rules",
) -> list[Event]:
    """Extract from every article, then merge across them.

    ``corrections``: article id -> {mention text -> place id or None};
    ``parser``: "rules" or "spacy" (see ``extract_reports``).
    """
    found: list[Report] = []
    for article in articles:
        found.extend(extract_reports(article, gaz, (corrections or {}).get(article.id), parser=parser))
    return merge_reports(found)


# ---------------------------------------------------------------- roles from a parse (parser="spacy")

PARSERS = ("rules", "spacy")


def _article_syntax(text: str, parser: str) -> ArticleSyntax | None:
    """For parser="spacy", the article's parses, made as roles are asked for; None for the rules."""
    if parser not in PARSERS:
        raise ValueError(f"`parser` was {parser!r} but is expected to be in {list(PARSERS)}")
    return ArticleSyntax(text) if parser == "spacy" else None


def _parsed_roles(
    syntax: ArticleSyntax | None, m: Match, parties: list[_Party], actors: list[str], targets: list[str]
) -> tuple[list[str], list[str]]:
    """The clause's parties the parse makes the trigger's subject or agent act; those it
    makes its objects are targets, with the rules' targets it does not make act. Where the
    parse names no actor among the parties, the rules' actors stand, less any party the
    parse puts on the other side."""
    found = syntax.roles(m.start, m.end) if syntax is not None and parties else None
    if found is None:  # no party to place: nothing to parse
        return actors, targets

    def named(spans: tuple[tuple[int, int], ...]) -> list[str]:
        return _dedupe(
            p.name for p in parties if any(a < p.start + p.length and p.start < b for a, b in spans)
        )

    undergo = named(found.passive)  # "the town was shelled", but "troops were sent"
    acting = named(found.actors) + ([] if m.type in VIOLENT or m.type in SPEECH else undergo)
    hit = [
        n
        for n in named(found.targets) + (undergo if m.type in VIOLENT or m.type in SPEECH else [])
        if n not in acting
    ]
    acting = _dedupe(acting) or [n for n in actors if n not in hit]
    return acting, _dedupe(n for n in hit + targets if n not in acting)
