"""How many died in the event a clause tells: "at least 12 killed and 30 injured" -> 12.

Coders take the lowest figure a report gives ("between 100 and several hundred" -> 100),
count deaths only ("killed or wounded" is no death toll; "30 injured" is none), and read
"no casualties" as 0. Numbers and victim words come from the lexicon (geo/rules).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from geo.lexicon import load_lexicon, word_starts

_MAX = 1_000_000  # "a million people displaced" is no toll of one event
# Every toll pattern needs one of these (lowercased); a sentence without any tells no toll.
_TOLD = ("kill", "dead", "died", "death", "slain", "murder", "massacr", "execut", "perish", "lives",
         "martyr", "bodies", "fatalit", "casualt", "injur", "wound", "hurt", "harm", "lynch", "behead",
         "assassinat", "gunned")


_PART_OF = re.compile(r"\b(?:including|among them|of whom)\W*$", re.I)
# "the death toll from Saturday's strike rose to 16", "put the toll at between 14 and 20": the
# toll of one event told before; "the toll from Monday's strikes" sums several
_TOLL_OF = (r"\b(?:death )?toll (?:from|of|in) (?:the|an?|this|that|these|those|[\w-]+day['’]s"
            r"|(?:last|this) \w+['’]s) (?:[\w-]+ ){0,3}?")
ONE_EVENTS = re.compile(
    _TOLL_OF + r"(?:strike|attack|bombing|raid|blast|explosion|shelling|massacre|ambush|assault|clash)\b"
    r"|\b(?:put|puts|putting) the (?:death )?toll at\b",
    re.I,
)
MANY_EVENTS = re.compile(_TOLL_OF + r"(?:strikes|attacks|bombings|raids|blasts|explosions|massacres|ambushes"
                         r"|assaults|clashes|fighting|violence|war)\b", re.I)
# "killed in strikes on six locations": one toll over several places sums their events
MANY_PLACES = re.compile(r"\b(?:on|at|in|across|against|hitting|targeting) (?:at least |some )?(?:\d+|two"
                         r"|three|four|five|six|seven|eight|nine|ten|several|multiple|a number of|different)"
                         r" (?:[\w-]+ )?(?:locations|sites|places|targets|villages|towns|cities|areas"
                         r"|districts|provinces|regions|states)\b", re.I)
ALSO = re.compile(  # "six attackers were also killed": more dead of the event told
    r"\b(?:were|was|had been|have been) also (?:killed|shot dead|slain|found dead)\b|\balso (?:died|killed)\b"
    r"|\b(?:killed|died) too\b|\bmore (?:[\w-]+ )?(?:were|was|had been|have been) killed\b", re.I
)
RISEN = re.compile(r"\btoll\b[^.;]{0,120}?\b(?:rose|rises|risen|climbed|climbs|increased|jumped|jumps"
                   r"|revised (?:up|upwards))\b|\braising the (?:death )?toll\b", re.I)


class _Patterns(NamedTuple):
    rules: list[re.Pattern[str]]  # each a toll with its number as group "n"
    groups: re.Pattern[str]  # victims counted in groups with one verb: summed
    count: re.Pattern[str]  # one counted group inside those
    none: re.Pattern[str]  # "no casualties": 0
    hurt: re.Pattern[str]  # injuries told
    whole: re.Pattern[str]  # "12 people, including ...": a toll whose parts follow (group "parts")
    item: re.Pattern[str]  # one part: "seven policemen", "a member of the guards"
    pair: re.Pattern[str]  # two victims one by one: "killing the commander and another man", "a couple"
    one_and: tuple[re.Pattern[str], ...]  # one victim and a group: "killed a commander and five civilians"


@cache
def _patterns() -> _Patterns:
    lex = load_lexicon()
    words = sorted(lex.words["numbers"], key=len, reverse=True)
    word = "|".join(re.escape(w) for w in words if w not in ("a", "an", "no"))
    count = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?![.,]\d)"
             rf"|(?:{word})(?:[- ](?:{word}))?(?: (?:hundred|thousand))?")
    n = rf"(?P<n>{count})"
    victims = lex.alternation("victims")
    about = (
        r"(?:(?:at least|about|some|nearly|almost|more than|over|around|up to|roughly|approximately|all"
        r"|as many as|no fewer than|no less than|not less than|a total of|another|an additional|a further"
        r"|between) )?"
    )
    adj = r"(?:[\w-]+ ){0,3}?"
    dead = r"(?:killed|dead|died|slain|shot dead|murdered|lost their lives|perished|massacred|executed)"
    rules = [
        rf"\b(?:kill(?:ed|ing|s)?|massacred|murdered|execut(?:ed|ing)|beheaded|lynched|shot dead|gunned down"
        rf"|claimed the lives of|claiming the lives of"
        rf"|(?:resulted|resulting) in the deaths? of|the deaths? of|deaths of) {about}{n}\b"
        rf"(?! (?:percent|%|km|kilomet|miles))"
        rf"(?! (?:hours|days|weeks|months|years|minutes|times))",
        rf"\b{about}{n} {adj}(?:{victims})\b"
        rf"(?:,? (?:including|among them|mostly|most of them|many of them|of whom)"
        rf"[^.;:]{{0,80}}?,?)?(?: [\w-]+){{0,2}}? (?:(?:were|was|have been|has been|had been|are"
        rf"|were reportedly|have reportedly been|had reportedly been) )?(?:reportedly )?{dead}\b"
        rf"(?! or (?:wounded|injured|hurt))",
        rf"\b{about}{n} (?:people |persons )?(?:were |have been )?(?:killed|dead|died)\b"
        rf"(?! or (?:wounded|injured|hurt))",
        rf"\b{about}{n} (?:[\w-]+ ){{0,3}}?(?:were|have been|had been) (?:reportedly )?[\"“]?{dead}\b"
        rf"(?! or (?:wounded|injured|hurt))",  # "all six held captive were murdered"
        rf"\bclaim(?:ed|ing)? (?:at least |more than |over )?{n} lives\b",
        rf"\b(?:killings?|murders?|massacre) (?:(?:at|on|over|in|last) (?:the )?[\w-]+ )?of {about}{n}\b"
        rf"(?! (?:percent|%|years?|months?|days?))",  # "the killing at the weekend of nine workers"
        rf"\b(?:death toll|toll|number of (?:dead|deaths|victims)|fatalities)\b[^.;]{{0,100}}?"
        rf"\b(?:to|at|of|reached|hit|stands at|is|was|varies between|rose to|climbed to|passed) {about}{n}\b"
        rf"(?! (?:injured|wounded))",
        rf"\b{about}{n} (?:(?:people|persons) )?(?:martyrs|deaths?|bodies|fatalit(?:y|ies)|dead)\b",
        rf"\bleaving (?:at least )?{n} (?:(?:people|persons) )?dead\b",
        rf"\bbod(?:y|ies) of {about}{n}\b(?! (?:percent|%))",  # "found the bodies of five men"
    ]
    # one victim: "gunmen shot dead a local chief", "a soldier was killed"
    one = lex.alternation("victim")
    not_one = r"(?!(?:number|few|dozen|handful|couple|total|lot|series|group|further|additional)\b)"
    rules += [
        rf"\b(?:kill(?:ed|ing|s)|shot dead|shooting dead|shoots dead|murder(?:ed|ing|s)|behead(?:ed|ing)"
        rf"|assassinat(?:ed|ing)|execut(?:ed|ing)|lynch(?:ed|ing)) (?P<n>an?|one) {not_one}{adj}"
        rf"(?:{one})\b(?!s)",
        rf"\b(?P<n>an?|one|the) {not_one}{adj}(?:{one}) (?:was|has been|had been) (?:reportedly )?{dead}\b",
        # "one student died after ...", "an officer who intervened was stabbed and died"
        rf"\b(?P<n>an?|one) {not_one}{adj}(?:{one})(?: who [^,.;]{{1,40}}?)?"
        rf" (?:(?:was|were) [\w-]+ and )?(?:later )?died\b",
    ]
    compiled = [re.compile(r, re.I) for r in rules]
    # victims counted in groups, one verb for all: "12 militants and 3 soldiers were killed",
    # "killing two civilians and three soldiers"
    group = rf"{n} {adj}(?:{victims})\b"
    unnamed = group.replace("?P<n>", "")  # a group name may be used once
    groups = re.compile(
        rf"\b(?P<verb>(?:kill(?:ed|ing|s)?|massacred|murdered) {about})?{group}(?:,? {unnamed})*"
        rf",? and {unnamed}"
        rf"(?(verb)|,? (?:(?:were|was|have been|had been|are) )?(?:reportedly )?{dead}\b)",
        re.I,
    )
    counted = re.compile(group, re.I)
    none = re.compile(
        r"\b(?:no(?:body| one)(?: else)? (?:was|were|has been|had been) (?:killed|hurt|injured|harmed)"
        r"|no (?:immediate |additional |further |reported )?(?:(?:damage|material damage) (?:or|and) )?"
        r"(?:casualties|injuries|deaths|fatalities)"
        r"(?! (?:reports?|figures?) (?:were|was) available)"
        r"|no (?:one|people) (?:died|was killed)|no dead or injured|without (?:causing )?casualties"
        r"|(?:caused|causing) no (?:casualties|injuries|deaths))\b",
        re.I,
    )
    hurt = re.compile(r"\b(?:injur(?:ed|ing|ies)|wounded|wounding|hurt)\b(?<!killed or wounded)", re.I)
    whole = re.compile(
        rf"\b{about}{n} {adj}(?:{victims}),? (?:including|among them|of whom(?: were)?) (?P<parts>[^.;:()]+)",
        re.I,
    )
    item = re.compile(rf"(?P<n>an?|{count}) (?P<who>\S.*)", re.I)  # "a member of the guards" too
    single = rf"(?:an?|one|the|his|her|their) {not_one}{adj}(?:{one})\b(?!s)"
    killing = r"\b(?:kill(?:ed|ing|s)|shot dead|shooting dead)"
    pair = re.compile(rf"{killing} {single} and (?:another|a second|(?:an?|one|the|his|her|their)(?: other)?)"
                      rf" {adj}(?:{one})\b(?!s)|{killing} (?:an?|the) (?:[\w-]+ )?couple\b(?! of)", re.I)
    name = r"(?:,? [A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})?"  # "a commander, Ali Haidar,"
    group_after = rf",? and (?:his |her |their |its )?{about}{n} {adj}(?:{victims})\b"  # "and five civilians"
    one_and = (
        re.compile(rf"{killing} (?:[\w'’-]+ ){{0,4}}?(?:{one}){name}{group_after}", re.I),
        # "A soldier and three suspected members of the group were killed"
        re.compile(rf"\b(?:an?|one|the) (?:[\w'’-]+ ){{0,2}}?(?:{one}){name}{group_after}"
                   rf"[^.;:]{{0,60}}? (?:were|have been|had been) (?:reportedly )?{dead}\b", re.I),
    )
    return _Patterns(compiled, groups, counted, none, hurt, whole, item, pair, one_and)


def number(text: str) -> int | None:
    """A written number as a count: "12", "1,200", "twenty-one", "two hundred", "dozens" (12, as
    coders count it); None if vague ("several")."""
    text = text.lower().replace(",", "").strip()
    if text.isdigit():
        return int(text) if len(text) < 8 else None
    words = load_lexicon().words
    numbers, mult = words["numbers"], words["multipliers"]
    total, current = 0, 0
    for part in re.split(r"[- ]+", text):
        if part in mult:  # "two hundred", "three thousand"
            current = max(current, 1) * mult[part]
            if mult[part] >= 1000:
                total, current = total + current, 0
        elif part in numbers:
            current += numbers[part]
        else:
            return None
    return total + current


@lru_cache(maxsize=4096)  # a sentence of one clause is read as the clause and as the sentence
def toll(text: str, hurt_means_none_dead: bool = False) -> int | None:
    """Deaths the text reports, lowest figure first; 0 for "no casualties"; None if none told.

    ``hurt_means_none_dead``: in the clause that tells the event, injuries and no death
    ("leaving 20 soldiers injured") count as 0 dead, as coders count them."""
    if not any(map(text.lower().__contains__, _TOLD)):
        return None  # most sentences tell no casualties: skip the toll patterns
    p = _patterns()
    found = []
    summed: list[tuple[int, int]] = []  # the spans of counted groups: no part counts alone
    for m in p.groups.finditer(text):
        if _PART_OF.search(text, max(0, m.start() - 20), m.start()):
            continue  # "26 people, including 14 soldiers and 3 police officers": a part of the whole
        parts = [number(c["n"]) for c in p.count.finditer(m[0])]
        if None not in parts:
            found.append((m.start(), sum(parts)))
            summed.append((m.start(), m.end()))
    counts = {}  # where each number stands: "killing 12 soldiers ... six attackers were also killed"
    for pattern in p.rules:
        for m in pattern.finditer(text):
            n = 1 if m["n"].lower() == "the" else number(m["n"])  # "the commander was killed"
            if any(a <= m.start("n") < b for a, b in summed):
                continue
            if n is not None and 0 < n < _MAX and not _is_year(m["n"], text, m.start("n")):
                found.append((m.start(), n))
                counts[m.start("n")] = n
    if len(counts) > 1 and not summed and ALSO.search(text):
        return sum(counts.values())  # more dead of the same event: coders count every death
    if p.pair.search(text) and (not found or min(found)[1] == 1):
        return 2
    one_and = next((m for pattern in p.one_and if (m := pattern.search(text))), None)
    if one_and and (n := number(one_and["n"])) and (not found or min(found)[1] in (1, n)):
        return n + 1
    if found:
        return min(found)[1]
    if p.none.search(text):
        return 0
    # injuries told and no death: coders count 0 dead ("leaving 20 soldiers injured")
    if (
        hurt_means_none_dead
        and p.hurt.search(text)
        and not re.search(
            r"\b(?:killed|dead|died|deaths?|lives|martyrs|fatalit\w+)\b"
            r"|\bor (?:wounded|injured)\b",
            text,
            re.I,
        )
    ):
        return 0
    return None


def sides(text: str, total: int) -> tuple[int, int] | None:
    """A toll of ``total`` the text counts out by side: (under arms, civilians).

    "12 people, including seven policemen, a guard and four residents" -> (8, 4);
    "killing three soldiers and two civilians" -> (3, 2). None unless every one of the dead
    is counted on one side or the other and both sides lost someone: coders code such an
    attack as two events, the battle with the forces and the attack on the civilians."""
    if total <= 0 or not any(map(text.lower().__contains__, _TOLD)):
        return None
    p = _patterns()
    counted = []
    for m in p.whole.finditer(text):  # the whole, then its parts
        parts = []
        for part in re.split(r",? and |, ", m["parts"]):
            got = p.item.match(part.strip())
            n = number(got["n"]) if got else None
            if n is None:
                break  # "..., and four residents, the police said": the list has ended
            parts.append((n, got["who"]))
        if number(m["n"]) == total:
            counted.append(parts)
    for m in p.groups.finditer(text):  # counted groups, one verb for all
        counted.append([(number(c["n"]), c[0]) for c in p.count.finditer(m[0])])
    for parts in counted:
        if None in (n for n, _ in parts) or sum(n for n, _ in parts) != total:
            continue
        is_armed, is_civilian = word_starts("armed_victims").search, word_starts("civilian_victims").search
        armed = sum(n for n, who in parts if is_armed(who) and not is_civilian(who))
        civilians = sum(n for n, who in parts if is_civilian(who) and not is_armed(who))
        if armed and civilians and armed + civilians == total:
            return armed, civilians
    return None


def _is_year(word: str, text: str, at: int) -> bool:
    return (
        word.isdigit()
        and len(word) == 4
        and 1900 <= int(word) <= 2100
        and not re.match(r"\d{4} (?:people|persons|civilians|soldiers)", text[at:])
    )
