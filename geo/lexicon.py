"""The event extractor's rules as data: triggers and word lists, loaded and checked once.

``geo/rules/triggers.jsonl`` holds one trigger rule a line (like spaCy's span-ruler
patterns): ``{"id": "strike.air", "type": "strike", "pattern": "air ?strikes?|..."}``.
``pattern`` is a case-insensitive regular expression matched on word boundaries; a rule of
type ``not`` blocks every trigger it overlaps ("general strike" is no air strike). Every
event report keeps the id of the rule that fired. ``geo/rules/lexicon.json`` holds the word
lists (reporting verbs, future and hypothetical cues, numbers, organisations, ...).
Nothing here knows any article: the lists are English news usage.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geo.errors import GeoError
from geo.model import EVENT_TYPES

try:  # the standard library's own regex parser, to read what a rule needs (see _needs)
    import re._constants as _sre
    import re._parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

RULES = Path(__file__).with_name("rules")
_LISTS = (
    "reporting_verbs",
    "future_cues",
    "hypothetical_cues",
    "habitual_cues",
    "total_cues",
    "negations",
    "victims",
    "victim",  # one person: "shot dead a local chief" is a toll of 1
    "armed_victims",  # word beginnings naming people under arms ("policem", "guard")
    "civilian_victims",  # and naming civilians: a toll of both kinds is two events (geo.tolls.sides)
    "remote_means",  # word beginnings naming weapons used from afar: an attack with them is no battle
    "definite",
    "nationality_nouns",
    "new_event_cues",
    "peaceful_cues",  # "the rally was peaceful": a protest with no one killed (a toll of 0)
    "pair_place_nouns",  # "both villages", "the two towns": the last two the story named
)
_MAPS = ("numbers", "multipliers", "organisations", "generic_actors", "relative_days")


@dataclass(frozen=True)
class Trigger:
    """One trigger rule: the event type it names and its compiled pattern."""

    id: str
    type: str  # an event type, or "not" for a blocking rule
    pattern: re.Pattern[str]
    blocks: frozenset[str] = frozenset()  # for "not": the event types it blocks
    needs: tuple[str, ...] = ()  # lowercase words one of which every match holds; () = none known


@dataclass(frozen=True)
class Lexicon:
    triggers: tuple[Trigger, ...]
    words: dict

    def alternation(self, name: str) -> str:
        """A list (or a map's keys) as one regex alternation (see ``alternation``)."""
        return alternation(self.words[name])


@cache
def word_starts(name: str) -> re.Pattern[str]:
    """A shipped list of word beginnings ("policem", "guard") as one pattern: the answer to "is
    this part of the dead under arms", "is this weapon used from afar"."""
    return re.compile(rf"\b(?:{load_lexicon().alternation(name)})", re.I)


def alternation(words) -> str:
    """Words as one regex that prefers the longest, written as a trie ("kill(?:ed|ing)?") so
    the engine picks a branch by its next letter instead of trying every word in turn."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if not branches:
            return ""
        if "" in node:  # a word ends here: the longer ones first, greedily
            return f"(?:{'|'.join(branches)})?"
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return emit(trie)


def _compile(rule: dict, where: str) -> Trigger:
    unknown = set(rule) - {"id", "type", "pattern", "blocks"}
    if unknown or not {"id", "type", "pattern"} <= set(rule):
        raise GeoError(f"{where}: a trigger needs id, type and pattern (unknown keys: {sorted(unknown)})")
    if rule["type"] not in EVENT_TYPES and rule["type"] != "not":
        raise GeoError(f"{where}: unknown event type {rule['type']!r}; use one of {sorted(EVENT_TYPES)}")
    try:
        pattern = re.compile(rf"(?<![\w-])(?:{rule['pattern']})(?![\w])", re.I)
    except re.error as e:
        raise GeoError(f"{where}: trigger {rule['id']} does not compile: {e}") from None
    blocks = frozenset(rule.get("blocks", ()))
    if rule["type"] == "not" and (not blocks or not blocks <= set(EVENT_TYPES)):
        raise GeoError(f'{where}: blocking rule {rule["id"]} needs "blocks": a list of event types')
    needs = _needs(_sre_parse.parse(rule["pattern"], re.I))
    return Trigger(rule["id"], rule["type"], pattern, blocks, tuple(sorted(needs or ())))


def _needs(parsed) -> set[str] | None:
    """Literal text one of which every match of a parsed pattern contains (lowercased), or
    None when no such set of three letters or more is known. "(?:drone|missile)s? strikes?"
    needs " strike"; "air ?strikes?|air raids?" needs "air"."""
    sets, run = [], ""
    for op, arg in parsed:
        if op is _sre.LITERAL:
            run += chr(arg).lower()
            continue
        if run:
            sets.append({run})
            run = ""
        if op is _sre.SUBPATTERN:
            found = _needs(arg[-1])
        elif op is _sre.BRANCH:
            each = [_needs(branch) for branch in arg[1]]
            found = None if any(e is None for e in each) else set().union(*each)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            found = _needs(arg[2])
        else:  # a class, an optional part, a look-around: nothing certain
            found = None
        if found:
            sets.append(found)
    if run:
        sets.append({run})
    best = max(sets, key=lambda s: (min(map(len, s)), -len(s)), default=None)
    if not best or min(map(len, best)) < 3:
        return None
    return {w for w in best if not any(v != w and v in w for v in best)}  # "fighting" covers "fighting "


def parse_lexicon(trigger_lines: list[str], words: dict, where: str = "rules") -> Lexicon:
    """Build and validate a lexicon; every problem is a GeoError naming the rule."""
    triggers, seen = [], set()
    for n, line in enumerate(trigger_lines, 1):
        if not line.strip():
            continue
        try:
            rule = json.loads(line)
        except json.JSONDecodeError as e:
            raise GeoError(f"{where}/triggers.jsonl line {n}: not JSON ({e.msg})") from None
        t = _compile(rule, f"{where}/triggers.jsonl line {n}")
        if t.id in seen:
            raise GeoError(f"{where}/triggers.jsonl line {n}: trigger id {t.id} appears twice")
        seen.add(t.id)
        triggers.append(t)
    missing = sorted(set(EVENT_TYPES) - {t.type for t in triggers})
    if missing:
        raise GeoError(f"{where}/triggers.jsonl: no trigger for event type(s) {', '.join(missing)}")
    for name in _LISTS:
        if not isinstance(words.get(name), list) or not all(isinstance(w, str) for w in words[name]):
            raise GeoError(f"{where}/lexicon.json: {name!r} must be a list of strings")
    for name in _MAPS:
        if not isinstance(words.get(name), dict):
            raise GeoError(f"{where}/lexicon.json: {name!r} must be an object")
    return Lexicon(tuple(triggers), words)


@cache
def load_lexicon(folder: Path = RULES) -> Lexicon:
    """The shipped rules, read once per process."""
    lines = (folder / "triggers.jsonl").read_text(encoding="utf-8").splitlines()
    words = json.loads((folder / "lexicon.json").read_text(encoding="utf-8"))
    return parse_lexicon(lines, words, str(folder))
