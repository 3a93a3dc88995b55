"""Who acted, on whom, and where: the parties and places of one clause's event.

Countries (by name, demonym or capital), organisations from the lexicon and people tied to
a country in the same article are the parties; the party before the trigger acts, after it
is the target, "by X" is an agent, a passive turns them round, and the speaker of "X said
it hit ..." acted. Places after "in", "near", "the town of" locate; a list of places gives
one report each. With ``parser="spacy"`` a dependency parse (``geo.syntax``) chooses among
the same parties.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from geo.articles import Article, body_start
from geo.clauses import Clause
from geo.gazetteer import Gazetteer, Place
from geo.lexicon import load_lexicon
from geo.places import OWNED, TITLES, Mention
from geo.syntax import ArticleSyntax, installed
from geo.triggers import AT_TARGET, LOOKBACK, SPEECH, VIOLENT, Match, cues, find_triggers

GROUP_AFTER = re.compile(
    r"\s+(?:[A-Z][\w'’-]+\s+){0,2}(?:Army|Forces?|Brigades?|Front|Militias?|Movement"
    r"|Guards?|Corps|Battalions?|Liberation|Party|Council|Organi[sz]ation|Alliance|Pact|Bloc)\b"
    r"|['’]s\s+(?:(?:ruling|military|interim|transitional)\s+)?(?:junta|government|regime|authorities)\b"
    r"|\s+(?:fighters|militiamen|militias?|militants|rebels|insurgents)\b"  # "Fano fighters", a group
)  # "the Arakan Army", "Niamey's ruling junta": a side or a seat of
# government, never where something happened

# ---------------------------------------------------------------- parties


@dataclass(frozen=True)
class _Party:
    """A country or organisation named in a clause, with where it sits in the article."""

    name: str
    start: int
    length: int
    country: Place | None  # the country, for a party that is one
    body: str = ""  # "defense ministry", "army": the country's institution named ("the ministry said")


@dataclass(frozen=True)
class Story:
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
    bodies: dict[str, str] = field(default_factory=dict)  # "defense ministry" -> the country it is of


_TITLE_WORDS = "|".join(sorted(TITLES | {"counterpart", "leader"}))
_PERSON_AFTER = re.compile(
    rf"(?:['’]s)?(?:\s+[\w-]+){{0,3}}?\s+(?i:{_TITLE_WORDS})s?"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w-]+(?:\s+Affairs)?)?,?\s+"  # "Secretary of State"
    r"((?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)"
)
_PAIR = re.compile(
    r"\b(?:the two (?:nations|countries|neighbou?rs|sides|states|governments|capitals"
    r"|(?:foreign )?ministries|(?:foreign )?ministers|leaders|presidents|men|delegations)"
    r"|both (?:nations|countries|neighbou?rs|sides|governments|capitals))\b",
    re.I,
)
_NAME_WORD = re.compile(r"\b[A-Z][\w'’-]{2,}\b")
# A country's institutions: "Russia's Defense Ministry", "the Israeli military"; later "the
# ministry said" or "the army said" is that country speaking.
_BODY = (r"(?:defen[cs]e|foreign|interior) ministry|ministry of (?:defen[cs]e|foreign affairs|interior)"
         r"|military|army|armed forces|air force|navy|general staff|foreign office")
_BODY_AFTER = re.compile(rf"(?:['’]s)?\s+(?P<body>{_BODY})\b", re.I)
_THE_BODY = re.compile(rf"\b(?:the|its) (?P<body>{_BODY}|ministry)\b", re.I)
_MILITARY_BODIES = frozenset({"defense ministry", "military", "army", "armed forces", "air force", "navy",
                             "general staff"})


def _body_key(words: str) -> str:
    """One key per institution however written: "Ministry of Defence" -> "defense ministry"."""
    key = " ".join(words.lower().replace("defence", "defense").split())
    if key.startswith("ministry of "):
        key = key.removeprefix("ministry of ").replace("foreign affairs", "foreign") + " ministry"
    return key


# A dateline: a city (and country, date, agency) and a colon or dash, as in KYIV: or Seoul, July 1:
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][\w'’.]*(?:[ -][A-Z][\w'’.]*){0,2}(?:,[ \t]*[A-Z][\w'’.]*(?: [A-Z][\w'’.]*){0,2})?"
    r"(?:,?[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?(?:[ \t]*\([^()\n]{1,40}\))?\.?"
    r"[ \t]*(?::|[-—–]+)[ \t]",
    re.M,
)


def _country_name(place: Place, gaz: Gazetteer) -> str:
    country = gaz.country(place.country) if place.country else None
    return country.name if country else place.name  # "eastern Syria" speaks as Syria


def _party(m: Mention, gaz: Gazetteer) -> str | None:
    """The actor a mention names: a country, by name, demonym or capital ("Tehran said")."""
    if m.place.kind == "country" or m.demonym or m.place.feature == "PPLC":
        return _country_name(m.place, gaz)
    return None


def find_dateline(text: str) -> tuple[int, int]:
    start = body_start(text)
    for m in _DATELINE.finditer(text, start, start + 1500):
        if text[m.end() : m.end() + 1].strip():
            return m.start(), m.end()
    return 0, 0


def story_of(article: Article, mentions: list[Mention], gaz: Gazetteer) -> Story:
    text = article.text
    people: dict[str, str] = {}
    bodies: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for m in mentions:
        name = _party(m, gaz)
        if name is None:
            continue
        counts[name] += 1
        if (after := _PERSON_AFTER.match(text, m.end, m.end + 80)) is not None:
            for word in _NAME_WORD.findall(after[1]):
                people.setdefault(word, name)  # "Pakistan Prime Minister Anwaar-ul-Haq Kakar"
        if m.place.kind == "country" and (body := _BODY_AFTER.match(text, m.end)) is not None:
            key = _body_key(body["body"])
            bodies[key] = name if bodies.get(key, name) == name else ""  # two countries' armies: neither
            if key.endswith("ministry"):
                bodies["ministry"] = name if bodies.get("ministry", name) == name else ""
    top = [name for name, n in counts.most_common(3) if n >= 2]
    pair = tuple(top[:2]) if len(top) >= 2 and (len(top) == 2 or counts[top[1]] > counts[top[2]]) else ()
    return Story(people, pair, find_dateline(text), bodies={k: v for k, v in bodies.items() if v})


_INSTITUTION_AFTER = re.compile(r"\s+(?:[A-Z][\w'’-]+\s+){0,2}?(?:Hospital|Clinic|University|College|School"
                                r"|Mosque|Church|Cathedral|Airlines|Airways|Bank|Museum|Hotel)\b")


def _parties_in(clause: Clause, mentions: list[Mention], gaz: Gazetteer, story: Story) -> list[_Party]:
    found = []
    for m in mentions:
        name = _party(m, gaz)
        if m.place.kind == "city" and _locative_before(clause.text, m.start - clause.start):
            continue  # "in Paris" is where, not who; "Paris said" is France
        if m.demonym and cues()["nationality"].match(clause.text, m.end - clause.start):
            continue  # "a Malian jihadist" is a person's nationality, not a party
        if m.demonym and _INSTITUTION_AFTER.match(clause.text, m.end - clause.start):
            continue  # "the Saudi Hospital", "Turkish Airlines": a name, not a party
        if name and not _BACKER.match(clause.text, m.end - clause.start):  # "the Iran-backed militia"
            country = gaz.country(m.place.country) if m.place.country else None
            found.append(_Party(name, m.start, m.end - m.start, country))
    orgs = load_lexicon().words["organisations"]
    for m in cues()["org"].finditer(clause.text):
        word = m[1]
        if word.isupper() or len(word) > 4 and not word.islower():  # "un" the prefix is not the UN
            name = orgs[word.lower()]
            found.append(_Party(name, clause.start + m.start(), len(word), gaz.country_named(name)))
    for m in _NAME_WORD.finditer(clause.text):
        if m[0] in story.people and not any(
            p.start <= clause.start + m.start() < p.start + p.length for p in found
        ):
            name = story.people[m[0]]
            found.append(_Party(name, clause.start + m.start(), len(m[0]), gaz.country_named(name)))
    for m in _THE_BODY.finditer(clause.text) if story.bodies else ():
        key = _body_key(m["body"])
        if key in story.bodies:  # "the defense ministry said": the story's Russian one
            name = story.bodies[key]
            found.append(_Party(name, clause.start + m.start("body"), len(m["body"]),
                                gaz.country_named(name), key))
    for m in _JUNTA.finditer(clause.text) if story.country is not None else ():
        # "the junta said": a story's junta is the government of the country it is about
        found.append(_Party(story.country.name, clause.start + m.start(), len(m[0]), story.country))
    for m in _PAIR.finditer(clause.text):
        found += [
            _Party(name, clause.start + m.start(), len(m[0]), gaz.country_named(name))
            for name in story.pair
        ]
    if "'s" in clause.text or "’s" in clause.text:  # "Yemen's Houthi rebels"
        groups = [p.start for p in found if p.country is None or p.name != p.country.name]
        groups += [clause.start + m.start("group") for m in _NON_STATE.finditer(clause.text)]
        found = [p for p in found if not _group_of(p, groups, clause)]
    return sorted(found, key=lambda p: p.start)


_JUNTA = re.compile(r"(?<!['’]s )\b(?:the|its) (?:(?:ruling|military|interim) )?"
                    r"(?:junta|military government)\b", re.I)
# "Yemen's Houthi rebels", "Sudan's RSF": the country a group is in, not a side of its own
_NON_STATE = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?(?P<group>rebels|militants|insurgents|jihadists"
                        r"|separatists|militias?|opposition|gangs?)\b", re.I)
_POSSESSIVE_GAP = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?$")


def _group_of(p: _Party, groups: list[int], clause: Clause) -> bool:
    if p.country is None or p.name != p.country.name:
        return False
    end = p.start + p.length
    return any(0 < g - end <= 40 and _POSSESSIVE_GAP.match(clause.text, end - clause.start, g - clause.start)
               for g in groups)


_BACKER = re.compile(r"-(?:backed|aligned|allied|supported|sponsored|funded|armed|trained|based|led)\b")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_PRONOUN = re.compile(r"^(?:it|its|they|their|we|our|he|his|she|her)\b", re.I)
_ITS_TERRITORY = re.compile(
    r"\b(?:on|in|inside|within) (?:its|our|their) (?:own )?(?:territory|soil)\b", re.I
)
LOCATIVE = re.compile(
    r"(?:\b(?i:in|inside|at|near|outside|across|into|on|over|off|around|within|along"
    r"|toward|towards|from within|north of|south of|east of|west of)\s+(?i:the\s+)?"
    r"(?:(?!(?i:what|which|that|who|whom|said|says|against|with|by|for|from|and|but|as"
    r"|to)\b)[\w'’-]+\s+){0,4}"
    r"|\b(?i:town|city|village|port|district|province|region|area|outskirts|suburbs?"
    r"|capital|border crossing|camp|department|state|county|township)\s+of\s+"
    r"|\b(?i:capital|city),?\s+)$"
)


def _locative_before(text: str, at: int) -> bool:
    """Does text[:at] end in a locative ("in", "near the", "the town of")? Only the last
    LOOKBACK characters are read, so a long clause is not rescanned for every name."""
    at = min(max(at, 0), len(text))
    return bool(LOCATIVE.search(text, max(0, at - LOOKBACK), at))


# A country's embassy is no place in that country; people "in solidarity with" a place are elsewhere.
_NOT_THERE_AFTER = re.compile(r"(?:['’]s)?(?:\s+and\s+[\w-]+)?\s+(?:embass(?:y|ies)|consulates?)\b", re.I)
_NOT_THERE_BEFORE = re.compile(r"\b(?:solidarity with|in support of|on behalf of)\b[^,.;]{0,30}$", re.I)
_CAPITAL_AFTER = re.compile(r"(?:['’]s)?\s+capital\b")
_ROAD_END = re.compile(r"(?:[-–][A-Z][\w'’-]+)?\s+(?:road|highway|expressway|motorway)\b", re.I)
_THE_CAPITAL = re.compile(r"\b(?:in|to|into|reached|near|outside|around) (the capital)\b(?! of\b)(?!['’]s)")
_DESTINATION = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$")
_FROM = re.compile(r"\b(?:from|by)\s+(?:the\s+)?$")
_AGENT = re.compile(r"\bby (?:the )?(?:[a-z][\w-]* ){0,2}$")  # "shelling by the paramilitary RSF"
_UNDERGO = re.compile(r"(?:came|comes|come|coming|was|were|is|are) under\b", re.I)  # the subject is hit
# what a party is the object of: "talks with X", "strikes on X", "targeted a X sniper"
_OBJECT = re.compile(
    r"\b(?:with|against|to|on|from|between|targeted|targeting|attacked|struck|shelled|bombed|killed)"
    r"\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
_LIST_JOIN = re.compile(
    r"^(?:(?:['’]s\s+[A-Z][\w-]+)?\s+(?:region|province|state|district|governorate|oblast))?"
    # "in Idlib province, and in ...", "in Iraq's Kurdistan region, and in ..."
    r"(?:,\s*|\s*,?\s+and\s+|\s*,?\s+or\s+|\s*,?\s+as well as\s+)(?:in\s+)?(?:the\s+)?"
    r"(?:(?:[\w-]+\s+)?(?:towns?|cities|city|villages?|provinces?|regions?|districts?|port|capital)"
    r"(?:\s+of)?\s+|of\s+)?$"  # "Sanaa and the port city of Hodeidah"
)
NAMED_KINDS = frozenset({"city", "town", "village", "admin1", "admin2", "territory"})
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
class Roles:
    actors: list[str]
    targets: list[str]
    places: list[Place]  # named in the clause, one report each; empty when unplaced
    fallback: list[Place]  # where an unplaced clause happened if the story says nothing else
    reporter_home: list[Place] = field(default_factory=list)  # "Pakistan said the Iranian attack ...": there


def roles(
    clause: Clause,
    m: Match,
    mentions: list[Mention],
    gaz: Gazetteer,
    story: Story,
    anchor: Place | None,
    carried: list[str],
) -> Roles:
    """Actors before the trigger (or the speaker, or "by X"), targets after, and the places."""
    kind = m.type
    text, base = clause.text, clause.start
    cue = cues()
    said = cue["speaker"].match(text)
    if said and m.start - base < said.end():  # "X said" after the trigger is not this clause's speaker
        said = None
    trailing = None if said else cue["trailing"].search(text, m.end - base)
    body_start = base + (said.end() if said else 0)
    body_end = base + (trailing.start() if trailing else len(text))
    quotes = [(base + q.start(), base + q.end()) for q in _QUOTED.finditer(text)]
    opens = [a for a, _ in quotes]

    def in_quote(at: int) -> bool:
        i = bisect.bisect_right(opens, at) - 1
        return i >= 0 and at < quotes[i][1]

    every = _parties_in(clause, mentions, gaz, story)
    parties = [p for p in every if not in_quote(p.start)]  # a quote's "we" is its speaker's
    quoted_targets = [p for p in every if in_quote(p.start) and p.start >= m.end]  # "a warning to 'Taiwan'"
    speakers = [
        p
        for p in parties
        if p.start < body_start
        or p.start >= body_end
        or cue["says"].match(clause.text, p.start - base + p.length)
    ]

    def before(at: int, pattern: re.Pattern[str]) -> bool:
        return bool(pattern.search(text, max(0, at - base - 60), at - base))

    actors = [
        p
        for p in parties
        if body_start <= p.start < m.end
        and p not in speakers
        and not before(p.start, LOCATIVE)
        and not before(p.start, _OBJECT)
    ]
    told_by = cue["trailing"].search(text) if kind in SPEECH else None
    if told_by is not None and told_by.end("who") <= m.start - base:
        # "Russian forces shelled X, killing three, the regional governor said": the words are
        # the governor's, whoever they name
        a, b = base + told_by.start("who"), base + told_by.end("who")
        actors = [p for p in parties if a <= p.start < b]
    after = [p for p in parties if m.end <= p.start < body_end and p not in speakers]
    if not after:
        after = quoted_targets
    agents = [p for p in after if before(p.start, _AGENT)]
    # "warnings from Israeli and Lebanese troops to stay away": the parties the trigger names as its source
    within = [p for p in parties if m.start <= p.start < m.end and p not in speakers]
    if within and _FROM.search(text, max(0, within[0].start - base - 30), within[0].start - base):
        agents = within + agents
    undergoes = bool(_UNDERGO.match(text, m.start - base))  # "Kyiv came under attack": Kyiv is hit
    if undergoes or cue["passive"].search(text, 0, m.start - base):  # "two UN lorries were burned by ..."
        after, actors = actors + after, []
    if agents:  # "strikes by Pakistan"
        actors = actors or agents[: len(within) or 1]
        after = [p for p in after if p not in agents[:1]]
    body = text[body_start - base :]
    military = bool(speakers) and speakers[0].body in _MILITARY_BODIES and in_quote(m.start)
    if not actors and (_PRONOUN.match(body) or kind not in VIOLENT or military) and speakers:
        actors = speakers[:1]  # "Islamabad said it hit ...", '"Air strikes ...," the army said
    if not actors and _PRONOUN.match(body) and carried:
        actor_names = list(carried)  # "..., where it said it had struck ...": the same actor
    else:
        actor_names = _dedupe(p.name for p in actors)
    if not actor_names:
        generic = load_lexicon().words["generic_actors"]
        head = m.start - base  # "jihadists killed ...": a violent trigger may open with its actor
        head += len(text[head:].split(None, 1)[0]) if kind in VIOLENT else 0
        found = [g for g in cue["generic"].finditer(text, body_start - base, head)]
        actor_names = [generic[found[0][1].lower()]] if found else []
    objects = [p for p in parties if body_start <= p.start < m.start and before(p.start, _OBJECT)]
    targets = _dedupe(p.name for p in objects + after if p.name not in actor_names)
    actor_names, targets = _parsed_roles(story.syntax, m, parties, actor_names, targets)
    if undergoes:  # the parse makes the subject act
        hit = {p.name for p in parties if body_start <= p.start < m.start}
        targets = _dedupe([*hit, *targets])
        actor_names = [n for n in actor_names if n not in hit]
    party_spans = {(p.start, p.length) for p in actors + speakers}

    located = [
        x
        for x in mentions
        if body_start <= x.start < body_end
        and not x.demonym
        and x.start not in story.groups
        and (x.start, x.end - x.start) not in party_spans
        and not _NOT_THERE_AFTER.match(text, x.end - base)  # "outside the US and French embassies"
        and not _NOT_THERE_BEFORE.search(text, max(0, x.start - base - 40), x.start - base)
    ]
    ends = [x for x in located if _ROAD_END.match(text, x.end - base)]
    if ends and len(ends) < len(located):  # "on the Gusau-Funtua road near Tsafe": at Tsafe
        located = [x for x in located if x not in ends]
    locative = [
        x
        for x in located
        if before(x.start, LOCATIVE)
        or x.place.kind not in ("country",)
        and x.place.feature != "PPLC"
        or kind == "travel"
        and before(x.start, _DESTINATION)
        or kind in AT_TARGET  # "strikes on Kyiv": the capital hit is where, not the government
        and x.place.feature == "PPLC"
        and any(p.start == x.start for p in after)
    ]
    for x in mentions:  # "the Ukrainian capital", "Kenya's capital" is a place: that country's capital
        if (
            (x.demonym or x.place.kind == "country" and text[x.end - base : x.end - base + 1] in "'’")
            and _CAPITAL_AFTER.match(text, x.end - base)
            and x.place.country
            and (capital := gaz.capital(x.place.country)) is not None
            and body_start <= x.start < body_end
        ):
            locative.append(replace(x, place=capital, demonym=False))
    bare = _THE_CAPITAL.search(text, body_start - base, body_end - base)
    if bare and story.country is not None and (capital := gaz.capital(story.country.country)) is not None:
        # "arrived in the capital": the capital of the country the story is about
        at = base + bare.start(1)
        article = mentions[0].article if mentions else ""
        locative.append(Mention(article, at, at + len("the capital"), "the capital", capital, 1.0))
    if kind in SPEECH:  # said where it was said, else at the speaker's home
        said_at = [x for x in mentions if x.start < body_start and before(x.start, LOCATIVE)]
        acting = next((p.country for p in actors + speakers if p.country is not None), None)
        at_home = [
            x
            for x in said_at + locative
            if acting is not None and x.place.country == acting.country and x.place.kind != "country"
        ]
        places = most_specific(said_at or at_home) or ([acting] if acting else []) or most_specific(
            [x for x in locative if not in_quote(x.start)])  # what is quoted is not where it was said
    else:  # the places the trigger's phrase goes on to name ("strikes on Kyiv") before the others
        after_trigger = [x for x in locative if x.start >= m.start]
        if len(after_trigger) > 1:  # "the raid in A targeted a cell blamed for a bombing in B": A
            later = [t.start for t in find_triggers(text, base) if t.start >= m.end]
            after_trigger = [x for x in after_trigger if not later or x.start < later[0]] or after_trigger
        said_in = [x for x in after_trigger if before(x.start, LOCATIVE)]  # "near Sanaa", not "Tomahawk"
        # "raided Palma and Macomia in Cabo Delgado province": the towns, which lie in the area
        within = [x for x in after_trigger if any(inside(x.place, y.place) for y in said_in)]
        # "struck A, B and C overnight, killing three in C": the towns the trigger names, each one
        direct = [x for x in after_trigger[:1] if x.place.kind in NAMED_KINDS
                  and 0 <= x.start - m.end <= 2]  # right after it: "struck A", "hit 'A'"
        places = most_specific(within or direct or said_in or after_trigger or locative, story.lists,
                               (m.start, m.end), located)
    if _ITS_TERRITORY.search(text) and speakers and speakers[0].country is not None:
        places = places or [speakers[0].country]  # "Iran said ... on its territory"
        targets = _dedupe([speakers[0].name, *targets])
    if anchor is not None and not any(before(x.start, LOCATIVE) for x in located):
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
        places = most_specific(
            [x for x in mentions if x.start < body_start and not x.demonym and before(x.start, LOCATIVE)]
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
    return Roles(actor_names, targets, places, fallback, reporter_home)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def most_specific(
    mentions: list[Mention],
    lists: frozenset[tuple[int, int]] = frozenset(),
    near: tuple[int, int] | None = None,
    pool: list[Mention] | None = None,
) -> list[Place]:
    """The most specific place named (of equals, the nearest to `near`, the trigger's span,
    which may hold the town: "took control of X (Y, Z)"), and every
    place of the same kind listed with it ("in Syria and Iraq", "Kalia and Boni
    villages"): one report each."""
    if not mentions:
        return []
    chosen = min(
        sorted(mentions, key=lambda x: x.start),
        key=lambda x: (
            _SPECIFICITY.get(x.place.kind, 3),
            max(0, near[0] - x.start, x.start - near[1]) if near is not None else x.start,
        ),
    )
    at = {x.start: x for x in (pool or []) + mentions}
    level = _SPECIFICITY.get(chosen.place.kind, 3)
    found = [chosen]
    for step in (dict(lists), {b: a for a, b in lists}):  # along the list, then back
        x = chosen
        while (x := at.get(step.get(x.start, -1))) is not None:
            if _SPECIFICITY.get(x.place.kind, 3) == level:
                found.append(x)
            elif any(inside(x.place, y.place) or inside(y.place, x.place) for y in found):
                continue  # "in Erbil, in Iraq's Kurdistan region, and in ...": where Erbil lies
            elif x.place.kind in NAMED_KINDS and _SPECIFICITY.get(x.place.kind, 3) > level:
                found.append(x)  # "... and in Syria's Idlib province": a place of its own
            else:
                break
    return _dedupe_places(x.place for x in sorted(found, key=lambda x: x.start))


def lists(text: str, mentions: list[Mention]) -> frozenset[tuple[int, int]]:
    """Neighbouring mentions joined as a list ("X and Y", "X, Y", "in X and in Y"), by their
    starts; a country that owns the next one ("and in Syria's Idlib") is no item of its own."""
    units: list[tuple[int, Mention]] = []  # (where the item starts, its place's mention)
    owner = None
    for x, y in zip(mentions, mentions[1:] + [None]):
        if y is not None and OWNED.match(text, x.end, y.start) and inside(y.place, x.place):
            owner = x  # "Syria's" of "Syria's Idlib"
            continue
        units.append((owner.start if owner is not None else x.start, x))
        owner = None
    return frozenset(
        (a.start, b.start)
        for (_, a), (b_from, b) in zip(units, units[1:])
        if len(text)
        and b.start - a.end <= 40
        and _LIST_JOIN.match(text[a.end : b_from])
        and not _in_parens(text, b.start)  # "X (X, Y)": where X lies, no second place
        and not _BETWEEN.search(text, max(0, a.start - 12), a.start)  # "the road between X and Y": one
    )


_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)


def _in_parens(text: str, at: int) -> bool:
    opened = text.rfind("(", max(0, at - 80), at)
    return opened >= 0 and ")" not in text[opened:at]


def _dedupe_places(places: Iterable[Place]) -> list[Place]:
    return list({p.id: p for p in places}.values())


def party_speaks(clause: Clause, mentions: list[Mention], gaz: Gazetteer, story: Story) -> bool:
    """Is a country or organisation the one speaking ("Romania's president said ...")?"""
    said = cues()["speaker"].match(clause.text) or cues()["trailing"].search(clause.text)
    if said is None:
        return False
    a, b = clause.start + said.start("who"), clause.start + said.end("who")
    return any(a <= p.start < b for p in _parties_in(clause, mentions, gaz, story))


def inside(place: Place | None, area: Place) -> bool:
    """Is `place` a more specific place within `area` (a country or division)?"""
    if place is None or place.id == area.id or area.kind not in ("country", "admin1", "territory", "region"):
        return False
    if _SPECIFICITY.get(place.kind, 3) >= _SPECIFICITY.get(area.kind, 3):
        return False
    return place.country == area.country and (area.kind == "country" or place.admin1 == area.admin1)


def leading_country(mentions: list[Mention], gaz: Gazetteer) -> Place | None:
    """The country the story is about: the one most of its place names lie in, if clearly ahead."""
    counts = Counter(x.place.country for x in mentions if x.place.country and not x.demonym)
    top = counts.most_common(2)
    if not top or len(top) > 1 and top[1][1] * 3 > top[0][1] * 2:
        return None
    return gaz.country(top[0][0])


def countries(names: list[str], gaz: Gazetteer) -> list[Place]:
    return [p for name in names if (p := gaz.country_named(name)) is not None]


# ---------------------------------------------------------------- roles from a parse (parser="spacy")

PARSERS = ("rules", "spacy")


@cache
def default_parser() -> str:
    """The parse where spaCy is installed (it scores a little better on the dev set than the
    rules alone), else the rules: a partial install still extracts."""
    return "spacy" if installed() else "rules"


def article_syntax(text: str, parser: str | None) -> ArticleSyntax | None:
    """For parser="spacy", the article's parses, made as roles are asked for; None for the rules.
    ``None`` is the default parser."""
    parser = parser or default_parser()
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
