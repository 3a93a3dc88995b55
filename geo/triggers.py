"""Which event a clause tells, if any: trigger rules matched, one per family, and whether the
event happened (plans, threats, habits and denials are no events).

The rules and cues are data (``geo/rules``, loaded by ``geo.lexicon``); this module owns
matching them and the policy that picks among matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from geo.clauses import Clause
from geo.lexicon import alternation, load_lexicon

VIOLENT = frozenset({"strike", "attack", "armed_clash"})
SPEECH = frozenset({"statement", "appeal"})
AT_TARGET = VIOLENT | {"military_exercise"}  # happen where the target is, not at the actor's home


LOOKBACK = 200  # characters a cue is looked for before a trigger or a name: "in", "near the", four words


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


@cache
def _by_needed_word() -> tuple[re.Pattern[str], dict[str, list[int]], list[int]]:
    """One scan for every word some rule needs (``Trigger.needs``): at each place in the text
    the longest such word, and from it each word that rule lists which it begins with, so the
    scan names exactly the words present; then the rules needing one of them, and those that
    need none."""
    triggers = load_lexicon().triggers
    words = sorted({w for t in triggers for w in t.needs})
    by_word: dict[str, list[int]] = {w: [] for w in words}
    for i, t in enumerate(triggers):
        for w in t.needs:
            by_word[w].append(i)
    rules = {w: sorted({i for v in words if w.startswith(v) for i in by_word[v]}) for w in words}
    scan = re.compile(f"(?=({alternation(words)}))")
    return scan, rules, [i for i, t in enumerate(triggers) if not t.needs]


def find_triggers(text: str, base: int = 0) -> list[Match]:
    """Every trigger in `text` (offsets + `base`), minus those a ``not`` rule covers. Most
    clauses hold no trigger: one scan for the words rules need tells which regexes to run."""
    found, blocked = [], []
    scan, rules, always = _by_needed_word()
    chosen = set(always)
    for m in scan.finditer(text.lower()):
        chosen.update(rules[m[1]])
    triggers = load_lexicon().triggers
    for t in (triggers[i] for i in sorted(chosen)):
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
        key=lambda m: (m.start, -m.end),  # of two from one word, the longer (more specific) first
    )


def pick(matches: list[Match]) -> list[Match]:
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
def cues() -> dict[str, re.Pattern[str]]:
    lex = load_lexicon()
    words = lambda name: rf"(?<![\w-])(?:{lex.alternation(name)})(?![\w-])"  # noqa: E731
    reporting = lex.alternation("reporting_verbs")
    return {
        "future": re.compile(rf"(?!(?-i:May)\b){words('future_cues')}", re.I),  # "May" is the month
        "hypothetical": re.compile(words("hypothetical_cues"), re.I),
        "habitual": re.compile(words("habitual_cues"), re.I),
        "total": re.compile(words("total_cues"), re.I),
        "negation": re.compile(words("negations"), re.I),
        "nationality": re.compile(rf"\s*(?:{lex.alternation('nationality_nouns')})\b", re.I),
        "new_event": re.compile(words("new_event_cues"), re.I),
        "peaceful": re.compile(words("peaceful_cues"), re.I),
        "both_places": re.compile(rf"\b(?:both|the two)\s+(?:{lex.alternation('pair_place_nouns')})\b", re.I),
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
        "org": re.compile(rf"(?<![\w-])({lex.alternation('organisations')})(?![\w-])", re.I),
        "generic": re.compile(rf"(?<![\w-])({lex.alternation('generic_actors')})(?![\w-])", re.I),
    }


def _near_before(pattern: re.Pattern[str], text: str, at: int, span: int = 40) -> bool:
    return bool(pattern.search(text, max(0, at - span), at))


def unreal(clause: Clause, m: Match) -> str:
    """ "planned" for a plan ("will chair a meeting"), "unreal" for a threat, habit, denial or
    hypothesis ("would respond by launching attacks", "reserves the right to strike", "is known
    for carrying out attacks"), "" for an event that happened."""
    text, at, end = clause.text, m.start - clause.start, m.end - clause.start
    cue = cues()
    if (
        _near_before(cue["hypothetical"], text, at, 50)
        or cue["habitual"].search(text, 0, at)
        or _CONDITIONAL.match(text)
        or _MODAL.search(text, 0, at)
        or _PERFECT.search(text, 0, end) and _SPAN.search(text)
    ):
        return "unreal"  # "If it holds, the ceasefire would end 14 months of fighting"
    if _near_before(cue["future"], text, at, 40) or cue["future"].match(text, end + 1, end + 12):
        return "planned" if m.type in _PLANNED else "unreal"
    if m.type in SPEECH and cue["passive"].search(text, 0, at):
        return "unreal"  # "the price was not announced": no one speaking
    return "unreal" if _near_before(cue["negation"], text, at, 12) else ""


# "have struck rebel targets repeatedly", "have been killed in attacks this year": the perfect
# over a span up to now sums many events and tells none ("have targeted shipping since November"
# is one campaign, coded from its start)
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:\w+ly\s+)?(?:been\s+)?\w+(?:ed|en|wn|ck|ght|ne|un|ok|ut)\b", re.I)
_SPAN = re.compile(r"\b(?:so far|this year|to date|repeatedly)\b", re.I)
_CONDITIONAL = re.compile(r"\W*(?:if|unless|should|were|had)\b", re.I)
_MODAL = re.compile(r"\b(?:would|could|might|may|should)\b(?! have\b)")
# A planned meeting or visit told on the day it takes place is the one other reports tell.
_PLANNED = frozenset({"meeting", "travel", "diplomatic_contact"})


_PEOPLE = re.compile(
    r"(?:ministers|leaders|diplomats|delegations|officials|forces|troops|soldiers|police"
    r"|gunmen|militants|rebels|bandits|men|protesters|demonstrators)\b",
    re.I,
)


def told_before(clause: Clause, m: Match) -> bool:
    """Does the trigger name an event already told ("the night-time attacks", "these strikes")?
    Only the LOOKBACK characters before it are read, so a long clause is not rescanned per trigger."""
    if _PEOPLE.match(clause.text, m.start - clause.start):
        return False  # "the ministers discussed": people, not an event told before
    at = m.start - clause.start
    lo = max(0, at - LOOKBACK - 1)
    words = clause.text[at : m.end - clause.start].split(None, 1)
    head = clause.text[lo:at] + (words[0] + " " if len(words) > 1 else "")
    return bool(cues()["definite"].search(head, 1 if lo else 0))  # "the night-time attacks", "its strikes"
