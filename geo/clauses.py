"""Text into sentences, and sentences into the clauses that can each report one event.

A clause is a main clause, a background clause ("..., after the neighbours traded strikes",
possibly with a lag: "a day after ..."), a place clause ("..., and Iraq, where ...") or a
parallel clause ("; ", ", while "). Boilerplate lines (subscribe, read more) are no sentences
an event can come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOILERPLATE = re.compile(
    r"\b(?:click here|stay tuned|subscribe|sign up|read more|follow us|also read"
    r"|newsletter|all rights reserved|picture:|photo:|advertisement|related:"
    r"|(?:reporting|writing|editing|translated|edited) by)\b",
    re.I,
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)", re.M)
# Abbreviations whose full stop ends no sentence: titles always, the rest unless a capital follows.
_TITLE_ABBREV = re.compile(
    r"(?:(?<![.\w])[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Maj|Adm|Cmdr|Rep"
    r"|Sen|Gov|Prof|Rev|St|Mt|Ft|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec))\.$"
)
_ABBREV_END = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}[A-Z]|\b[ap]\.m|\b(?:Jr|Sr|Inc|Corp|Ltd|Co|vs|etc|approx"
    r"|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn"
    r"|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo))\.$"
)
_NEXT_WORD = re.compile(r"\s*[\"“‘(]*([^\s\"“‘(])")
# What follows a country's initials inside a sentence: "the U.S. Secretary of State", "U.N. forces"
_AFTER_INITIALS = re.compile(
    r"\s+(?:Secretary|President|Vice|Ambassador|Envoy|Special|Defen[cs]e|State|Army|Navy|Air|Marines?"
    r"|Forces?|Military|Embassy|Consulate|Central|Security|General|Secretary-General|Treasury|Senate"
    r"|Congress|Justice|Department|Ministry|Foreign|Prime|Chief|Commander|Coast|Special|House|Troops"
    r"|Officials?|Intelligence|Peacekeep\w*|Human|Refugee|Food|Development|Agency|Mission)\b"
)
# Where a sentence divides: background ("..., after the neighbours traded strikes"), a place
# clause ("..., and Iraq, where ..."), and parallel clauses ("; ", ", while ", ", but ").
_NOT_A_CLAUSE = (
    r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
    r"|\d|then\b|last\b|early\b|late\b|mid\b|the (?:start|end|beginning)\b"
    r"|(?:dawn|daybreak|sunrise|sunset|dusk|dark|nightfall|midnight|noon|midday)\b)"  # "before dawn"
)
_CLAUSE_BREAK = re.compile(
    r"(?P<background>,?\s+(?:(?P<lag>a|one|two|three|four|five|six|several) (?P<unit>day|week)s? "
    r"|(?P<soon>(?:just |only )?(?:hours|minutes|moments|shortly|soon|immediately|right)) )?"
    rf"(?:after|before|since|following|in the aftermath of)\s{_NOT_A_CLAUSE}"
    r"|,?\s+(?:in (?:what [\w ]{1,30}? (?:was|is|as) )?(?:retaliation|revenge|reprisal) for"
    r"|to avenge)\s)"  # "..., in what Israel said was retaliation for a drone attack that killed ..."
    r"|(?P<where>,?\s+and\s+(?=(?:the\s+)?[A-Z][^,;]{0,40},\s+where\s)|,\s+where\s)"
    r"|(?P<parallel>;\s+|,\s+(?:while|whereas|but|saying)\s+|\s+while\s+|,\s+as\s+(?!well\b|a\b|an\b|the\b|part\b|of\b|such\b|usual\b|expected\b|planned\b"
    r"|(?:first |was |were |had been )?(?:reported|said|stated|announced|confirmed|noted|described|seen)\b)"
    r"|,\s+and\s+(?=\w+\s+(?:said|says)\b)"
    r"|,\s+with\s+(?=(?:reports|claims|accounts)\s+of\s))"  # "..., with reports of gunfire into Sunday"
)
_TIME_STUB = re.compile(r"\W*(?:(?:just|only|barely|some|about|nearly|less than|more than)\s+)?"
                        r"(?:(?:a|an|one|two|three|four|five|six|several|a few|\d+)\s+)?"
                        r"(?:hours?|minutes?|moments?|days?|weeks?|months?|shortly|soon|immediately|right|long)?"
                        r"[\s,]*(?:after|before|following|in the aftermath of)?\s*", re.I)
_OPENING = re.compile(rf"\W*(after|before|following|in the aftermath of)\s{_NOT_A_CLAUSE}", re.I)
# Every _CLAUSE_BREAK holds one of these (lowercased): a sentence without any is one clause.
_BREAK_WORDS = ("after", "before", "since", "following", "where", ";", "while", "but", ", as", "saying",
                "said", "says", ", with", "retaliation", "revenge", "reprisal", "avenge")
# How a background clause that tells the event a reprisal answers opens ("in retaliation for")
REPRISAL = ("retaliation for", "revenge for", "reprisal for", "to avenge")
_LAG = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "several": 3}


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
    opener: str = ""  # the words that open it: "after", "since", "where", "; "


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
    """Does the sentence go on after this full stop ("Gen. Smith", "the U.S. military", "1.2 million")?"""
    if chunk[-2:-1].isdigit() and text[end : end + 1].isdigit():
        return True
    last = chunk[max(chunk.rfind(" "), chunk.rfind("\t")) + 1 :]  # both patterns end in its last word
    if _TITLE_ABBREV.search(last) or " " not in chunk.strip():
        return True  # "Gen. Smith"; a lone "U.S." opening a paragraph
    if not _ABBREV_END.search(last):
        return False
    nxt = _NEXT_WORD.match(text, end)
    if nxt is not None and nxt[1].isupper() and re.search(r"(?:[A-Z]\.){2,3}$", last):
        return bool(_AFTER_INITIALS.match(text, end))  # "U.S. Secretary", but "... in the U.S. He"
    return nxt is not None and not nxt[1].isupper()


def clauses(sent: Sentence) -> list[Clause]:
    """The sentence's clauses, in order; the first is the main one."""
    out, start, role, lag, opener = [], 0, "main", 0, ""
    opened_by_and = False
    lowered = sent.text.lower()
    breaks = _CLAUSE_BREAK.finditer(sent.text) if any(map(lowered.__contains__, _BREAK_WORDS)) else ()
    for m in breaks:
        plain_where = bool(m["where"]) and "and" not in m[0]
        if plain_where and opened_by_and:
            opened_by_and = False
            continue  # the "where" of "..., and Iraq, where ..." already opened this clause
        opened_by_and = bool(m["where"]) and not plain_where
        out.append((start, m.start(), role, lag, opener))
        start, opener = m.end(), m[0].strip(" ,;").lower()
        role = next(k for k in ("background", "where", "parallel") if m[k])
        if m["soon"]:
            role = "parallel"  # "just hours before ...": the same day as the main clause
        lag = _LAG[m["lag"].lower()] * (7 if m["unit"] == "week" else 1) if m["lag"] else 0
    out.append((start, len(sent.text), role, lag, opener))
    out = [c for c in out if c[1] > c[0]]
    opening = _OPENING.match(sent.text)
    if opening and out[0][0] == 0 and out[0][2] == "main":  # "After rebels seized the town, ..."
        out[0] = (out[0][0], out[0][1], "background", 0, opening[1].lower())
    first = next((i for i, c in enumerate(out[:2]) if c[2] == "background"), None)
    if first is not None and _TIME_STUB.fullmatch(sent.text[: out[first][0]]):
        # "Hours before the ambush, the leader received ...", "After rebels seized the town, the army
        # struck": the opening phrase ends at its comma, and the main clause follows it
        a, b, r, g, o = out[first]
        cut = sent.text.find(", ", a, b)
        if cut > 0:
            out[: first + 1] = [(cut + 2, b, "main", 0, ""), (0, cut, r, g, o)]
    return [Clause(sent.start + a, sent.start + b, sent.text[a:b], r, g, o) for a, b, r, g, o in out if b > a]
