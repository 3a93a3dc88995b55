"""Find the places an article mentions and decide which place each one means.

Two steps, both plain functions over the text:

1. ``spot``: capitalised word sequences that are gazetteer names, minus the
   ones that belong to a person ("Anwaar ul Haq Kakar"), an organisation
   ("Baloch Liberation Army") or are ordinary words at a sentence start.
2. ``resolve``: for each name, the candidate a careful reader would pick,
   from explicit features: prominence, kind, how the name relates to the
   place, the countries the article is about, containment ("Dalton, Ga.",
   "Pakistan's province of Balochistan"), the dateline, and distance to the
   article's other places. One sense per name per article.

The features are small functions so each can be tested on its own.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from geo.articles import body_start
from geo.errors import InputError
from geo.gazetteer import (
    ABBREVIATION,
    ALIAS,
    ALTERNATE,
    AREA_KINDS,
    DEMONYM,
    PRIMARY,
    SETTLEMENT_KINDS,
    Candidate,
    Gazetteer,
    Place,
    distance_km,
)
from geo.names import ARABIC_ARTICLES, ARABIC_NAMES, normalize_name

_CONTRACTION = re.compile(r"['’](?:d|ll|re|ve|m|t)$")
_TOKEN = re.compile(r"(?:[A-Za-z]{1,2}\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)*")
MAX_TOKENS = 7
# Countries and first-level units: names that stay places even beside a person's title.
UNITS = frozenset({"country", "territory", "admin1"})
# Lower-case words that may sit inside a place name: "Gulf of Aden", "Rostov-on-Don".
CONNECTORS = frozenset("of de del della di da do dos das du des la le les el al ul ud an au aux bin ibn "
                       "ez es ed er et esh ash az ad ar "  # Arabic "al" said before a letter: "Deir ez-Zor"
                       "van der den von y upon on sur am im and the".split())
# Words that make the capitalised sequence around a place name a person.
TITLES = frozenset("""president presidents minister ministers premier chancellor king queen prince
princess sheikh emir sultan pope cardinal bishop imam ayatollah general gen mr mrs ms dr sir lord
lady senator sen rep representative gov governor mayor judge justice officer sgt lt col capt maj
cmdr adm commander colonel captain major lieutenant sergeant secretary spokesman spokeswoman
spokesperson chief director ambassador envoy minister's coach professor prof rev father brother
sister saint dame caretaker deputy vice leader leaders""".split())
# Capitalised words that do not make a sequence a person or an organisation.
GEO_WORDS = frozenset("""province provinces county counties district state states city town
village region governorate oblast prefecture territory territories valley river lake mount
mountains mountain island islands bay strait straits sea gulf coast desert peninsula border
borders north south east west northern southern eastern western central northeast northwest
southeast southwest upper lower greater inner outer metropolitan metro area township townships
municipality municipalities tehsil lga lgas""".split())
# Head words of organisation and facility names: "Baloch Liberation Army", "Main Street".
ORG_WORDS = frozenset("""street st avenue ave road rd boulevard blvd lane drive highway bridge square
park council university college school academy institute hospital clinic center centre court
courthouse church cathedral mosque temple synagogue department dept ministry committee commission
agency authority bureau office board company corp corporation inc ltd co group party club
association union league federation foundation fund bank airport airlines airways station port
hall house hotel mall market stadium arena museum library theater theatre army navy front force
forces guard guards corps brigade brigades battalion police militia movement network news times
post tribune herald journal gazette press radio tv television magazine daily weekly review
review observer forum summit conference festival games cup championship award prize program
programme project service services system systems team""".split())
# Sentence-start words and other capitalised words that never begin a place name here.
FUNCTION_WORDS = frozenset("""the a an in on at after before when while but and or for from with
as by to of if since during despite although though meanwhile however also both all some many
most other this that these those his her their its our my your we he she they it i there here
then now today yesterday tomorrow last next than so yet not no nor only just even still such
each every any into over under between among across against about around near via per what
which who whom whose where why how once until unless because whether says said according
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december jan feb mar apr jun jul aug sep sept oct nov
dec""".split())
# A name inside the one after it: "Kantharalak district, Sisaket", "the X refugee camp in northern Gaza".
_PLACE_NOUN = (r"(?:\s+(?:district|province|county|state|city|region|governorate|area|town|village"
               r"|municipality|(?:refugee\s+)?camp|neighbou?rhood|suburb))?")
_CONTAINED = re.compile(rf"^{_PLACE_NOUN}\s*[,(]\s*(?:also\s+)?(?:in\s+)?$|^{_PLACE_NOUN}\s+in\s+(?:the\s+)?"
                        r"(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?\s+|(?:east|west)(?:ern)?\s+"
                        r"|central\s+)?$")
_UNIT_AFTER = re.compile(r" (?:County|Parish|Borough)\b")
_ADMIN_AFTER = re.compile(r"\s+(?:provinces?|states?|regions?|governorates?|oblasts?|districts?|"
                          r"count(?:y|ies)|prefectures?|territory|territories|departments?|"
                          r"Provinces?|States?|Regions?|Governorates?|Oblasts?|Districts?|"
                          r"Prefectures?|Territory|Departments?)\b")
# "Odesa and Mykolaiv regions": the plural division word after a list names each of them.
_LIST_GAP = re.compile(r"^(?:,\s*|,?\s+and\s+)$")
# Division words that say a name is a first-level division ("Chin state"); not "county".
_ADMIN1_WORD = re.compile(r"\s+(?i:provinces?|states?|regions?|governorates?|oblasts?|prefectures?|"
                          r"departments?)\b")
_NAME_COMMA = re.compile(r"[A-Z][\w.'’-]*,\s*$")
_NAMED_AS_PLACE = re.compile(r"\b(?i:town|city|village|port|district|province|region|capital"
                             r"|county|governorate|state)\s+of\s+$")
# Credit lines name an outlet or a photographer, not a place: "Source: European Pravda, citing ...".
_CREDIT_LINE = re.compile(r"^[ \t]*(?:sources?|photo(?:graph)?s?|images?|credits?|read (?:also|more)"
                          r"|video|copyright|©)[ \t]*:[^\n]*", re.I | re.M)
# Natural features: "Farasan Islands" are islands, not a town called Farasan.
_FEATURE_AFTER = re.compile(r" (?:Islands?|Isles?|River|Lake|Mountains?|Mount|Valley|Bay|Strait|Straits|"
                            r"Sea|Gulf|Coast|Desert|Peninsula|Plateau|Delta|Range|Hills|Creek|Canal)\b")
OWNED = re.compile(r"['’]s\s+$")  # "Syria's Idlib": the country owns the name after it
# A coder's "X (X, Y)", "X (Y province)": the places the name lies in.
_IN_BEFORE = re.compile(r"\b(?:in|near|at)\s+$")
_CODED_IN = re.compile(r"\s*\((?P<parts>[A-Z][^()\d\n:;]{1,80})\)")
# "the Daraj neighbourhood of Gaza": a part of the town named next, so within reach of it
_PART_OF_TOWN = re.compile(r"^\s+(?:neighbou?rhoods?|districts?|areas?|suburbs?|quarters?|camps?|sectors?)"
                           r"\s+(?:of|in)\s+(?:the\s+)?$")
_PART_KM = 30
# "X, about 25 km west of the city": a distance from somewhere makes the name a place
_DISTANCE_AFTER = re.compile(r",?\s+(?:about|some|around|roughly|nearly|just|only)?\s*\d+\s*"
                             r"(?:km|kilomet(?:er|re)s?|miles?)\b")
_DASHES = ("-", "–", "—")
_POSSESSIVE = re.compile(r"^['’]s?(?:\s+[a-z-]+){0,4}\s+(?:of\s+)?$")


@dataclass(frozen=True)
class Mention:
    """A place named in an article: where in the text, and which place it is."""

    article: str
    start: int
    end: int
    text: str
    place: Place
    score: float
    demonym: bool = False

    def to_json(self) -> dict:
        p = self.place
        return {"article": self.article, "mention": self.text, "start": self.start,
                "end": self.end, "name": p.name, "kind": p.kind, "country": p.country,
                "lat": round(p.lat, 5), "lon": round(p.lon, 5), "place_id": p.id,
                "score": round(self.score, 3)}


@dataclass
class Spot:
    """A span whose text is a gazetteer name, before the meaning is chosen."""

    start: int
    end: int
    text: str
    key: str
    candidates: list[Candidate]
    weak_case: bool  # capitalised only because of its position (sentence start, headline)
    admin_word_after: bool = False
    admin1_word_after: bool = False  # "Chin state", not "Medina County"
    possessive: bool = False
    dateline: bool = False
    acronym: bool = False  # "AP", "NATO": a place only if listed as this short form
    after_name_comma: bool = False  # "Dalton, Ga.": where a state abbreviation may stand
    named_as_place: bool = False  # "the town of Sake": the text says it is a place
    feature_after: bool = False  # "Farasan Islands": the name of a natural feature
    contained_in: list[Spot] = field(default_factory=list)
    contains: list[Spot] = field(default_factory=list)
    owner: Spot | None = None  # "Syria's Idlib": the country named just before, as its owner
    part_of: Spot | None = None  # "the Daraj neighbourhood of Gaza": the town it is part of


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str
    cap: bool
    initial: bool
    possessive: bool


def _tokens(text: str, start: int = 0) -> list[_Token]:
    """The words a name can be made of or lean on: capitalised ones, connectors ("of", "al")
    and titles. Other lower-case words only break a run of names (the gap before the next
    word then holds letters), so they are counted, not kept."""
    tokens: list[_Token] = []
    starts: list[int] = []  # every word's start, kept or not: a line's word count
    prev_end = start
    cut = _cut_word_start(text)
    for m in _TOKEN.finditer(text, start):
        s, e = m.span()
        if s == cut:
            break
        t = m.group()
        starts.append(s)
        gap_start, prev_end = prev_end, e
        cap = t[0].isupper()
        if not cap and t not in CONNECTORS and t.lower() not in TITLES:
            continue
        possessive = False
        if len(t) > 3 and t[-2] in "'’" and t[-1] in "sS":
            e, t, possessive = e - 2, t[:-2], True
        elif cap and e < len(text) and text[e] in "'’" and t[-1] in "sS":
            possessive = True  # plural possessive: "Palestinians’"
        gap = text[gap_start:s]
        initial = len(starts) == 1 or gap != " " and any(c in gap for c in ".!?\n:;“\"—•|")
        # A word run together with digits is a brand or a code ("France24", "G7"), not a name.
        if cap and (text[e:e + 1].isdigit() or text[s - 1:s].isdigit()
                    or ("'" in t or "’" in t) and _CONTRACTION.search(t)):  # "We'd", "It'll"
            cap = False
        tokens.append(_Token(s, e, t, cap, initial, possessive))
    _mark_headlines(text, tokens, starts)
    return tokens


def _cut_word_start(text: str) -> int:
    """Where a stored copy that breaks off mid-word ("... it needs to review Russi") cut a word.

    A page saved as its first N characters ends inside a sentence; its last word may be
    the start of a longer one, so it is not read as a name. -1 when the text ends cleanly.
    """
    end = len(text.rstrip())
    if end < 200 or not text[end - 1].isalpha():
        return -1
    line_start = text.rfind("\n", 0, end) + 1
    if end - line_start < 60:  # a short last line: a heading or a sign-off, not cut prose
        return -1
    s = end
    while s > 0 and text[s - 1].isalpha():
        s -= 1
    return s


def _mark_headlines(text: str, tokens: list[_Token], starts: list[int]) -> None:
    """In a Title Case line capital letters say nothing about names (three words in four
    capitalised, not counting connectors; ``starts`` are every word's, kept or not)."""
    line_of: dict[int, list[_Token]] = defaultdict(list)
    line, next_break = 0, text.find("\n")
    for t in tokens:  # tokens come in text order: walk the newlines once
        while 0 <= next_break < t.start:
            line, next_break = line + 1, text.find("\n", next_break + 1)
        line_of[line].append(t)
    for line in line_of.values():
        connectors = sum(t.text.lower() in CONNECTORS for t in line)
        caps = sum(t.cap and t.text.lower() not in CONNECTORS for t in line)
        if caps < 3:
            continue
        begin = text.rfind("\n", 0, line[0].start) + 1
        end = text.find("\n", line[-1].end)
        words = bisect.bisect_left(starts, len(text) if end < 0 else end) - bisect.bisect_left(starts, begin)
        words -= connectors
        if words >= 4 and caps >= 0.75 * words:
            for t in line:
                t.initial = True


def _joinable(text: str, a: _Token, b: _Token) -> bool:
    gap = text[a.end:b.start]
    if a.possessive:
        return False
    return gap in (" ", "-", "‑") or (gap == ". " and len(a.text) <= 3 and a.cap)


def spot(text: str, gaz: Gazetteer, start: int = 0) -> list[Spot]:
    """Gazetteer names written in the text (from ``start``), without person and organisation names."""
    tokens = _tokens(text, start)
    spots: list[Spot] = []
    person_keys: set[str] = set()
    i, n = 0, len(tokens)
    while i < n:
        if not tokens[i].cap:
            i += 1
            continue
        # The capitalised chunk starting here: "Caretaker Prime Minister Anwaar ul Haq Kakar".
        j = i + 1
        while j < n and _joinable(text, tokens[j - 1], tokens[j]) and (
                tokens[j].cap or (tokens[j].text.lower() in CONNECTORS and j + 1 < n
                                  and _joinable(text, tokens[j], tokens[j + 1]))):
            j += 1
        while j > i + 1 and not tokens[j - 1].cap:
            j -= 1
        spots.extend(_spots_in_chunk(text, tokens, i, j, gaz, person_keys))
        i = j
    credits = [(m.start(), m.end()) for m in _CREDIT_LINE.finditer(text, start)]
    spots = [s for s in spots if s.key not in person_keys
             and not (credits and any(a <= s.start < b for a, b in credits))]
    _link_containment(text, spots)
    return spots


def _spots_in_chunk(text, tokens, i, j, gaz, person_keys) -> list[Spot]:
    chunk = tokens[i:j]
    found: list[tuple[int, int, str, list[Candidate]]] = []
    k = 0
    while k < len(chunk):
        if not chunk[k].cap:
            k += 1
            continue
        for end in range(min(len(chunk), k + MAX_TOKENS), k, -1):
            if not chunk[end - 1].cap:
                continue
            key = _key(text[chunk[k].start:chunk[end - 1].end])
            if end - k > 1 and not gaz.has_key(key) and "-" in text[chunk[k].start:chunk[end - 1].end]:
                joined = key.replace(" ", "")  # "Petion-Ville" for Pétionville
                key = joined if gaz.has_key(joined) else key
            if key in FUNCTION_WORDS or key in GEO_WORDS or key in ORG_WORDS \
                    or key in ARABIC_ARTICLES and end < len(chunk) or not gaz.has_key(key):
                continue  # ("Al Hodeidah": "Al" is the name's article, not the Norwegian Ål)
            found.append((k, end, key, gaz.lookup_key(key)))
            break
        else:
            k += 1
            continue
        k = end
    title_before = _title_before(text, tokens, i)
    if not found:  # no place here; a person's words are remembered all the same
        if title_before or any(t.text.lower() in TITLES for t in chunk):
            person_keys.update(_person_words(chunk, found, title_before))
        return []
    covered = {k2 for a, b, _, _ in found for k2 in range(a, b)}
    if "Local Government Area" in text[chunk[0].start:chunk[-1].end]:  # "Tsafe Local Government Area"
        words = [t.text for t in chunk]  # a division, no government body
        covered |= {k2 + d for k2 in range(len(chunk) - 2) for d in range(3)
                    if words[k2:k2 + 2] == ["Local", "Government"] and words[k2 + 2] in ("Area", "Areas")}
    # a title inside a longer place name is no title: "Port-au-Prince", "Prince George"
    in_names = {k2 for a, b, _, _ in found if b - a > 1 for k2 in range(a, b)}
    has_title = title_before or any(t.text.lower() in TITLES for k2, t in enumerate(chunk)
                                    if k2 not in in_names)
    # "Al Hodeidah", "El Fasher": the article of an Arabic place name, not a person's first
    # name; before any other name ("Al-Shabab", "Al Gore") it makes a name of its own
    articles = {a - 1: any(c.place.country in ARABIC_NAMES for c in cands) for a, _, _, cands in found
                if a and chunk[a - 1].text.lower() in ARABIC_ARTICLES}
    covered |= {k2 for k2, arabic in articles.items() if arabic}
    others = [idx for idx, t in enumerate(chunk) if idx not in covered and t.cap
              and t.text.lower() not in FUNCTION_WORDS and t.text.lower() not in GEO_WORDS
              and not (idx == 0 and t.initial and t.text.lower() not in TITLES and idx not in articles)]
    org = any(t.text.lower() in ORG_WORDS for t in chunk)
    adjacent = any(b == a2 and text[chunk[b - 1].end:chunk[a2].start] not in _DASHES  # ("the Gusau-Tsafe
                   for (_, b, _, _), (a2, _, _, _) in zip(found, found[1:]))  # road" is two towns)
    if has_title or adjacent or (found and others and not _modifier_use(chunk, found, others)) \
            or (org and found and not _modifier_use(chunk, found, others or [len(chunk)])):
        # A person ("President Joe Biden", "John Kelly") or an organisation ("Baloch
        # Liberation Army"): its words mean that name for the rest of the article too.
        if has_title or not org:
            person_keys.update(_person_words(chunk, found, title_before))
        # "the President of Iran", "University of Texas": a big place after "of" stays, and
        # so does a country before a title: "Pakistan Prime Minister ...", "Iranian President".
        found = [f for f in found if any(c.place.kind in UNITS and c.flag != ALTERNATE for c in f[3])
                 and (f[0] > 0 and chunk[f[0] - 1].text.lower() in ("of", "in", "and")
                      or f[0] == 0 and any(t.text.lower() in TITLES for t in chunk[f[1]:f[1] + 2]))]
        if not found:
            return []
    out = []
    for a, b, key, cands in found:
        first, last = chunk[a], chunk[b - 1]
        end = last.end
        unit = _UNIT_AFTER.match(text, end)
        if unit and b == len(chunk) - 1 and any(c.place.kind in SETTLEMENT_KINDS for c in cands):
            end = unit.end()  # "Laurel County": the county that shares the town's name
        if any(c.flag == ABBREVIATION for c in cands) and text[end:end + 1] == ".":
            end += 1  # "Dalton, Ga." keeps its full stop
        written = text[first.start:end]
        out.append(Spot(first.start, end, written, key, cands,
                        weak_case=first.initial and a == 0 or written.isupper(),
                        admin_word_after=bool(_ADMIN_AFTER.match(text, end)),
                        admin1_word_after=bool(_ADMIN1_WORD.match(text, end)),
                        possessive=last.possessive,
                        dateline=_is_dateline(text, first, last),
                        acronym=written.isupper() and len(written.replace(".", "")) <= 5,
                        after_name_comma=bool(_NAME_COMMA.search(text, max(0, first.start - 40),
                                                                 first.start))
                        and text[end - 1:end] == ".",
                        named_as_place=bool(_NAMED_AS_PLACE.search(text, max(0, first.start - 30),
                                                                   first.start))
                        or _coded(text, first.start, end, gaz)
                        or bool(_DISTANCE_AFTER.match(text, end)),
                        feature_after=bool(_FEATURE_AFTER.match(text, end))))
    return out


_key = functools.lru_cache(maxsize=1 << 16)(normalize_name)  # the same words come back in every article


def _person_words(chunk: list[_Token], found, title_before: bool = False) -> set[str]:
    """The words of a person's name, which stay a name when used alone later ("Kakar said").

    Only words after the last title count ("Paris Police Chief John Doe" makes
    "john" and "doe" names, not "paris"), and never a country or division.
    """
    titles = [k for k, t in enumerate(chunk) if t.text.lower() in TITLES]
    start = titles[-1] + 1 if titles else 0 if title_before else -1
    # A division's name straight after the title is the person's ("leader Vladimir Putin").
    areas = {k for a, b, _, cands in found for k in range(a, b)
             if any(c.place.kind in UNITS and c.flag != ALTERNATE and (a != start or c.flag == DEMONYM)
                    for c in cands)}
    return {normalize_name(t.text) for k, t in enumerate(chunk[max(start, 0):], max(start, 0))
            if t.cap and k not in areas and t.text.lower() not in FUNCTION_WORDS | GEO_WORDS}


def _title_before(text: str, tokens: list[_Token], i: int) -> bool:
    """"minister Murtaza Solangi", "secretary-general Antonio Guterres"."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    if prev.text in _ADJECTIVES:
        return False  # "a major Israeli union": the adjective, not the rank
    return prev.text.lower() in TITLES and text[prev.end:tokens[i].start] in (" ", "-")


# Titles that are as often plain adjectives: a title only when capitalised ("Major Smith").
_ADJECTIVES = frozenset({"major", "general"})


def _modifier_use(chunk, found, others) -> bool:
    """A place name at the head of a longer name: "Pakistan Army", "Tehran University".

    Accepted for prominent places only; a small town's name at the head of a
    capitalised sequence is more often a person's or a firm's.
    """
    if min(others) < found[0][0]:
        return False
    return any(c.place.kind in AREA_KINDS or c.place.population >= 100_000
               for c in found[0][3] if c.flag != ALTERNATE)


def _plural_admin_after(text: str, end: int) -> bool:
    m = _ADMIN_AFTER.match(text, end)
    return bool(m) and m.group().endswith(("s", "ies"))


def _is_dateline(text: str, first: _Token, last: _Token) -> bool:
    """"ISLAMABAD, Jan 19 (Reuters) -": a capitalised place opening a paragraph."""
    at_line_start = first.start == 0 or text[first.start - 1] == "\n"
    return (at_line_start and text[first.start:last.end].isupper()
            and text[last.end:last.end + 2] in (", ", " —", " -"))


def _coded(text: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """Does a coder's parenthesis of the places it lies in follow the name ("X (X, Y)",
    "in X (Y province)")? Every part a capitalised name, and one of them a place the gazetteer
    knows or the name said to be where it happened: "Hamas (Islamic Resistance Movement)" is
    no such list."""
    m = _CODED_IN.match(text, end)
    if m is None:
        return False
    parts = [p.strip() for p in m["parts"].split(",")]
    said_in = bool(_IN_BEFORE.search(text, max(0, start - 8), start))
    known = any(gaz.has_key(normalize_name(p)) for p in parts)
    return all(p[:1].isupper() for p in parts) and (said_in or known)


def _link_containment(text: str, spots: list[Spot]) -> None:
    """"Dalton, Ga.", "Kantharalak district, Sisaket", "Pakistan's province of Balochistan"."""
    for a, b in reversed(list(zip(spots, spots[1:]))):  # back to front: "A, B and C regions"
        gap = text[a.end:b.start]
        if b.admin_word_after and _LIST_GAP.match(gap) and _plural_admin_after(text, b.end):
            a.admin_word_after, a.admin1_word_after = True, b.admin1_word_after
        if len(gap) > 60:
            continue
        if _PART_OF_TOWN.match(gap):
            a.part_of = b
        if _CONTAINED.match(gap):
            a.contained_in.append(b)
            b.contains.append(a)
        elif _LIST_GAP.match(gap) and b.contained_in:  # "Nuseirat and Bureij in central Gaza"
            a.contained_in.extend(b.contained_in)
        elif a.possessive and _POSSESSIVE.match(gap):
            b.contained_in.append(a)
            a.contains.append(b)
            if OWNED.fullmatch(gap):
                b.owner = a


# ---------------------------------------------------------------------------
# Resolution


def _inside(place: Place, area: Place) -> bool:
    if area.kind == "country":
        return place.country == area.country and place.id != area.id
    if area.kind in ("admin1", "territory") and area.admin1:  # the Gaza Strip has its own code
        return place.admin1 == area.admin1 and place.id != area.id
    return False


def is_common_word(c: Candidate, namesake_population: int = 0) -> bool:
    """Is the name used far more as an ordinary word than the place's size explains?

    Word frequencies ignore case, so "London" is frequent too; what marks
    "Reading", "Nice" or "Mobile" is frequency well above what a place of that
    population earns in the news. The biggest place of the name explains its
    frequency: "Bali" is frequent because of the Indonesian island, so a Nigerian
    Bali is not thereby an ordinary word.
    """
    expected = math.log10(max(c.place.population, namesake_population) + 10) - 2.0
    return c.key_zipf >= 3.5 and c.key_zipf - expected > 1.2


def prior(c: Candidate) -> float:
    """What a reader assumes before context: bigger, more official places first."""
    p = c.place
    score = math.log10(p.population + 10)
    score += {"country": 4.0, "territory": 3.5, "admin1": 2.0, "sea": 3.0, "region": 2.5,
              "island": 1.0, "mountain": 0.5}.get(p.kind, 0.0)
    if p.feature == "PPLC":
        score += 2.0
    elif p.feature.startswith("PPLA"):
        score += 1.0
    if c.variant:
        score -= 0.5  # another romanisation of the place's own name
    else:
        score += {ALIAS: 1.0, ALTERNATE: -2.5, ABBREVIATION: -3.0}.get(c.flag, 0.0)
    return score


@dataclass
class _Context:
    """What the article is about, from its unambiguous names."""

    countries: Counter
    admin1s: Counter
    anchors: dict[str, Place]  # by place id: each anchor once, however often it is named
    # What each name itself added: a name is no evidence for its own reading.
    own: dict[str, list] = field(default_factory=dict)  # key -> [countries, admin1s, anchors, weight, sure]
    # Weight of names that can only be in one country ("Ouagadougou", not "Jordan" or "Lebanon").
    sure: int = 0
    total: int = 0  # sum of countries, set once the context is built

    def share(self, country: str | None, key: str = "") -> float:
        if not country or country not in self.countries:
            return 0.0
        mine = self.own.get(key)
        if mine is None:
            return self.countries[country] / self.total
        total = self.total - mine[3]
        return (self.countries[country] - mine[0].get(country, 0)) / total if total > 0 else 0.0

    def others_sure(self, key: str) -> int:
        mine = self.own.get(key)
        return self.sure - (mine[4] if mine else 0)

    def admin1_count(self, admin1: str | None, key: str = "") -> int:
        mine = self.own.get(key)
        return self.admin1s.get(admin1, 0) - (mine[1].get(admin1, 0) if mine else 0) if admin1 else 0

    def other_anchors(self, key: str, place: Place) -> list[Place]:
        mine = self.own.get(key)
        return [a for a in self.anchors.values()
                if a.id != place.id and not (mine and a.id in mine[2])]


def _context(spots: list[Spot]) -> _Context:
    ctx = _Context(Counter(), Counter(), {})
    for s in spots:
        usable = [c for c in s.candidates if (c.flag != ALTERNATE or _short_form(c, s.key))
                  and (c.flag != ABBREVIATION or s.after_name_comma)]
        if not usable and len(s.candidates) == 1 and s.candidates[0].variant and " " in s.key:
            usable = s.candidates  # "Deir el-Balah": the one place whose name of words this spells
        if s.acronym:
            usable = [c for c in usable if c.place.kind in UNITS]
        if not usable:
            continue
        best = max(usable, key=prior)
        rivals = [c for c in usable if c is not best and c.place.kind in ("country", "admin1")]
        clear = len({c.place.country for c in usable}) == 1 or (
            best.place.kind == "country" and not rivals)
        if clear and best.place.country:
            own = ctx.own.setdefault(s.key, [Counter(), Counter(), set(), 0, 0])
            weight = 2 if s.dateline else 1
            ctx.countries[best.place.country] += weight
            own[0][best.place.country] += weight
            own[3] += weight
            if len({c.place.country for c in s.candidates if c.flag != ALTERNATE}) == 1:
                ctx.sure += weight
                own[4] += weight
            if best.place.kind == "admin1" or len({c.place.admin1 for c in usable}) == 1:
                ctx.admin1s[best.place.admin1] += 1
                own[1][best.place.admin1] += 1
            if best.place.kind != "country":
                if best.place.id not in ctx.anchors:
                    own[2].add(best.place.id)
                ctx.anchors[best.place.id] = best.place
    ctx.total = sum(ctx.countries.values())
    return ctx


def _short_form(c: Candidate, key: str) -> bool:
    """"New York" for New York City: the place's own name less a generic word."""
    return c.variant and normalize_name(c.place.name) == key + " city"


def _local(c: Candidate, group: list[Spot], ctx: _Context) -> bool:
    """Evidence near the place itself: its division named, a named place close by, containment."""
    p, key = c.place, group[0].key
    if any(o.place.kind == "admin1" and o.place.admin1 == p.admin1 for o in group[0].candidates):
        return True  # "Kirkuk": the city inside the division of the same name
    return bool(ctx.admin1_count(p.admin1, key)) or any(
        _inside(p, o.place) for s in group for other in s.contained_in for o in other.candidates) or any(
        distance_km(p.lat, p.lon, a.lat, a.lon) < 150 for a in ctx.other_anchors(key, p))


def _score(c: Candidate, group: list[Spot], ctx: _Context) -> float:
    p = c.place
    score = prior(c)
    key = group[0].key
    respelt = c.variant and not _short_form(c, key) and not _local(c, group, ctx)
    if respelt:
        score -= 2.0  # another spelling beats the name as written only with evidence close by
    share = ctx.share(p.country, key)
    if share and not (respelt and _written_bigger(c, group)):
        score += 1.0 + 5.0 * share
    if p.kind != "admin1" and ctx.admin1_count(p.admin1, key):
        score += 2.0
    for s in group:
        if any(_inside(p, o.place) for other in s.contained_in for o in other.candidates):
            score += 6.0
        if any(_inside(o.place, p) for other in s.contains for o in other.candidates):
            score += 6.0
        if s.admin_word_after:
            score += 4.0 if p.kind in ("admin1", "territory") else -2.0
            if _city_division(c, group):
                score -= 3.0  # "the Moscow region" is the oblast, not the capital's own division
        if s.dateline and p.kind in SETTLEMENT_KINDS:
            score += 2.0
    if p.kind in SETTLEMENT_KINDS:
        near = sum(1 for a in ctx.other_anchors(key, p)
                   if distance_km(p.lat, p.lon, a.lat, a.lon) < 150)
        score += min(near, 3) * 1.0
    if p.kind in SETTLEMENT_KINDS and any(o.place.kind == "admin1" and o.place.admin1 == p.admin1
                                          for o in group[0].candidates):
        score += 2.0  # "New York", "Tehran": the city inside the division of the same name
    if p.kind == "admin1" and not any(s.admin_word_after for s in group):
        score -= 1.5  # a bare "Tehran" is the city, "Tehran province" the province
    return score


def _city_division(c: Candidate, group: list[Spot]) -> bool:
    """A division that is a city of the same name, where another division of the country
    bears the name too (Moscow's federal city beside Moscow Oblast)."""
    p, others = c.place, group[0].candidates
    return p.kind == "admin1" and any(
        o.place.kind in SETTLEMENT_KINDS and o.place.admin1 == p.admin1 for o in others) and any(
        o.place.kind == "admin1" and o.place.country == p.country and o.place.admin1 != p.admin1
        for o in others)


def _written_bigger(c: Candidate, group: list[Spot]) -> bool:
    """A bigger place bears the name as written ("Podolsk" near Moscow, not Ukraine's
    Podilsk): the story's country alone does not make another spelling mean the smaller one."""
    return any(o.flag in (PRIMARY, ALIAS) and not o.variant and o.place.population > c.place.population
               for o in group[0].candidates)


def _supported(c: Candidate, group: list[Spot], ctx: _Context, strong: bool = False) -> bool:
    """Is there evidence beyond the name itself that this small or odd place is meant?"""
    p = c.place
    if any(_inside(p, o.place) for s in group for other in s.contained_in for o in other.candidates):
        return True
    if strong:
        return False
    key = group[0].key
    if ctx.share(p.country, key) >= 0.2 or ctx.admin1_count(p.admin1, key):
        return True
    if any(distance_km(p.lat, p.lon, a.lat, a.lon) < 150 for a in ctx.other_anchors(key, p)):
        return True
    mine = ctx.own.get(key)
    if not (mine and mine[1].get(p.admin1)):
        return False
    # The name is unambiguous: alone it places itself, unless the article is surely about
    # other countries and nothing else in it is in this one.
    if ctx.share(p.country, key) or not ctx.others_sure(key):
        return True
    # The article is about other countries: a small place abroad must be a name English
    # writers use ("Davos"), not one that only a gazetteer knows (a Turkish "Karliova" in a
    # story from Burkina Faso).
    return (c.flag == PRIMARY or c.variant) and " " not in key and c.key_zipf >= 2.5


def _acceptable(c: Candidate, group: list[Spot], ctx: _Context) -> bool:
    """Keep a name only when a reader would take it as this place."""
    p = c.place
    if c.flag == ABBREVIATION:
        return any(s.contains or s.after_name_comma for s in group)
    listed_short_form = c.flag == ALIAS or (c.flag == PRIMARY and p.kind == "country")
    if all(s.acronym for s in group) and not listed_short_form and not any(s.dateline for s in group):
        return False
    if len(group[0].key) <= 2 and not listed_short_form:
        return False
    if c.flag == DEMONYM:
        return True
    towns = [o.place for s in group if s.part_of for o in s.part_of.candidates
             if o.place.kind in SETTLEMENT_KINDS]
    if towns and not any(distance_km(p.lat, p.lon, t.lat, t.lon) <= _PART_KM for t in towns):
        return False  # "the Daraj neighbourhood of Gaza" is no Daraj abroad
    owners = [o.place for s in group if s.owner for o in s.owner.candidates if o.place.kind == "country"]
    if p.country and owners and not any(_inside(p, o) for o in owners):
        return False  # "Iraq's Kurdistan region" is no province of Iran's
    if p.kind in SETTLEMENT_KINDS and all(s.feature_after for s in group):
        return False
    weak = all(s.weak_case for s in group)
    common = is_common_word(c)
    if common and not is_common_word(c, max((o.place.population for o in group[0].candidates
                                             if o.flag in (PRIMARY, ALIAS) or o.variant), default=0)):
        # Frequent only because a bigger namesake is (a Nigerian "Bali"): this one needs
        # evidence close by, like any small place.
        common = not _local(c, group, ctx)
    big_area = p.kind in ("country", "territory", "sea", "region") or (
        p.kind == "admin1" and p.population >= 500_000)
    if c.flag == ALTERNATE and not c.variant:  # "Gaza City", "Kuwait City": the city's own English name
        return p.population >= 100_000 and (_supported(c, group, ctx)
                                            or group[0].key == f"{normalize_name(p.name)} city")
    if c.variant and not _short_form(c, group[0].key) and not any(s.named_as_place for s in group) \
            and not _supported(c, group, ctx):
        return False
    if p.kind in ("country", "territory"):
        return True
    if any(s.named_as_place for s in group) and p.kind in SETTLEMENT_KINDS | AREA_KINDS:
        return True  # "the town of Sake", even though "sake" is a common word
    if p.kind in ("admin1", "territory") and any(s.admin1_word_after and not s.weak_case for s in group):
        return True  # "Chin state", "Cesar department": the text says it is a division
    if common:
        if big_area and not weak:
            return True
        return _supported(c, group, ctx, strong=True) or (
            p.population >= 100_000 and _supported(c, group, ctx) and not weak)
    if big_area or p.population >= 50_000 or p.feature in ("PPLC", "PPLA"):
        return True
    return _supported(c, group, ctx)


def _sense(s: Spot) -> tuple[str, bool]:
    """What one sense per article is kept for: a name, and whether a division word follows it
    when the name is both a division and a town ("the Kyiv region" and "Kyiv" are two places)."""
    kinds = {c.place.kind for c in s.candidates}
    both = bool(kinds & {"admin1", "territory"}) and bool(kinds & SETTLEMENT_KINDS)
    return s.key, both and s.admin_word_after


def resolve(spots: list[Spot], article: str = "", *, demonyms: bool = True) -> list[Mention]:
    """Choose one place per name (one sense per article) and keep the believable ones."""
    ctx = _context(spots)
    senses = [_sense(s) for s in spots]
    groups: dict[tuple[str, bool], list[Spot]] = defaultdict(list)
    for s, sense in zip(spots, senses):
        groups[sense].append(s)
    chosen: dict[tuple[str, bool], tuple[Candidate, float]] = {}
    for key, group in groups.items():
        scored = sorted(((_score(c, group, ctx), i, c) for i, c in enumerate(group[0].candidates)),
                        key=lambda x: (-x[0], x[1]))
        best_score, _, best = scored[0]
        margin = best_score - scored[1][0] if len(scored) > 1 else 5.0
        if best.flag == DEMONYM and not demonyms:
            continue
        if _acceptable(best, group, ctx):
            chosen[key] = (best, 1 / (1 + math.exp(-margin)))
    out = []
    for s, sense in zip(spots, senses):
        if sense in chosen:
            c, conf = chosen[sense]
            out.append(Mention(article, s.start, s.end, s.text, c.place, conf, c.flag == DEMONYM))
    return out


def find_places(text: str, gaz: Gazetteer, article: str = "", *, demonyms: bool = True,
                corrections: Mapping[str, str | None] | None = None, parts: bool = True) -> list[Mention]:
    """Every resolved place mention in one article's text, in text order.

    ``corrections`` maps a mention's text to the place id a person chose for it
    (``None``: not a place); it overrides the resolver for every such mention.
    ``parts``: "eastern Syria" is put in the east of Syria (``directed``); without,
    at Syria's own point, as geoparsing benchmarks score a name.
    """
    # Header lines ("source: The Moscow Times ...") describe the page, not the story.
    mentions = resolve(spot(text, gaz, body_start(text)), article, demonyms=demonyms)
    if corrections:
        mentions = apply_corrections(mentions, corrections, gaz)
    return [directed(text, m, gaz) for m in mentions] if parts else mentions


_COMPASS = re.compile(
    r"\b(?P<ns>north|south)?-?(?P<ew>east|west)?(?:ern|-central)?\s+(?:part of\s+)?$"
    r"|\b(?P<c>central)\s+$",
    re.I,
)


def directed(text: str, m: Mention, gaz: Gazetteer) -> Mention:
    """ "eastern Syria", "Ukraine's southwestern Odesa region": the part of the area the text
    names, as the point in the middle of that part of its outline."""
    if m.place.kind not in ("country", "admin1", "territory", "region"):
        return m
    word = _COMPASS.search(text, max(0, m.start - 20), m.start)
    if word is None or not (word["ns"] or word["ew"] or word["c"]):
        return m
    box = gaz.bounds(m.place.id)
    if box is None:
        return m
    west, south, east, north = box
    lat, lon = (south + north) / 2, (west + east) / 2
    if word["ns"]:
        lat = (lat + (north if word["ns"].lower() == "north" else south)) / 2
    if word["ew"]:
        lon = (lon + (east if word["ew"].lower() == "east" else west)) / 2
    part = word[0].strip().lower()
    return replace(m, place=replace(m.place, id=f"{m.place.id}#{part}", name=f"{part} {m.place.name}",
                                    lat=round(lat, 4), lon=round(lon, 4)))


def apply_corrections(mentions: list[Mention], corrections: Mapping[str, str | None],
                      gaz: Gazetteer) -> list[Mention]:
    """Mentions with a person's choices applied (by mention text, case-insensitive)."""
    chosen = {normalize_name(k): v for k, v in corrections.items()}
    out = []
    for m in mentions:
        key = normalize_name(m.text)
        if key not in chosen:
            out.append(m)
        elif chosen[key] is not None:
            place = gaz.by_id(chosen[key])
            if place is None:
                raise InputError(chosen[key], "no such place id in the gazetteer")
            out.append(replace(m, place=place, score=1.0, demonym=False))
    return out
