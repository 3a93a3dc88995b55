"""Step four of the flow: who did what, where and when, one clause at a time.

Each clause (``geo.clauses``) is matched against the trigger rules (``geo.triggers``); every
family of event a clause names gives one report (a capture and the fighting around it are
two), and a report names the rule that fired. ``geo.roles`` gives its sides and places (a
clause that lists places, "in Syria and Iraq", gives one report per place, as conflict coders
count them: one event per type x place x day x actor pair); this module dates it against
the story (the lead's day, "the previous morning"), reads its toll (``geo.tolls``; a total,
"727 killed since ...", is a report of its own) and carries what the story has told. A
dateline ("KYIV:") says where the story was filed and is never a party or a place.
``geo.merge`` folds reports of one event together.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache

from geo.articles import DATELINE, Article, body_start
from geo.clauses import BOILERPLATE, REPRISAL, Clause, Sentence, clauses, sentences
from geo.dates import event_date_strength, find_times
from geo.gazetteer import SETTLEMENT_KINDS, Gazetteer, Place
from geo.lexicon import load_lexicon, word_starts
from geo.merge import TOLD_DATE, Report, merge_events, merge_reports
from geo.model import Event, Source
from geo.places import Mention, find_places
from geo.roles import (
    GROUP_AFTER,
    LOCATIVE,
    NAMED_KINDS,
    Story,
    article_syntax,
    countries,
    inside,
    leading_country,
    lists,
    most_specific,
    party_speaks,
    roles,
    story_of,
)
from geo.tolls import ALSO, MANY_EVENTS, MANY_PLACES, ONE_EVENTS, RISEN, toll
from geo.triggers import VIOLENT, Match, cues, family, find_triggers, pick, told_before, unreal

__all__ = [
    "Match",
    "find_triggers",
    "extract_events",
    "extract_reports",
    "events_from_articles",
    "merge_events",
    "sentences",
]

_CONTENT = re.compile(r"\bthat\b|[“\"«:]")
# "said on Friday that", "said Tuesday": when the words were said, right after the speech verb
_TOLD_WHEN = re.compile(
    r"(?:\s+(?:in|on) (?:a|an|his|her|its|their) [\w ]{0,30}?(?:statement|address|interview|post))?"
    r",?\s+(?:on\s+|late\s+|early\s+|last\s+)?(?:[A-Z][a-z]+day|today|yesterday|tonight"
    r"|[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8})\b"
)
_CROWD = re.compile(
    r"\b(?:crowds?|mobs?|rioters|protesters|protestors|demonstrators)\b(?![^,;]*\b(?:police|forces|troops)\b)",
    re.I,
)
_BETWEEN_PARTIES = frozenset({"diplomatic_contact", "agreement", "appeal"})
# attacks told as done by people on the spot: troops raiding, killing or abducting, never remote
_ON_THE_GROUND = frozenset({"attack.raid", "attack.killed", "attack.gunmen", "attack.abduct"})
# the family whose day a story's other families take when they have none of their own
_GOES_ON = {"other": "violence", "protest": "violence", "violence": "protest"}
_AT_FORCES = frozenset({"attack.attacked", "attack.raid", "attack.gunmen", "attack.noun"})  # not bombs
_AGO = ("earlier", "ago", "before", "later")  # a lag that dates the event ("a day earlier")
_SINCE_THEN = re.compile(r"\bsince then\b", re.I)
_LONG_TOTAL_DAYS = 31  # a total counted over longer than this is a count, not an event coders code
_LONG_COUNT = re.compile(r"\b(?:this|last|of the|the past) year\b|\bmonths\b|\bsince the (?:war|conflict)\b",
                         re.I)
_TOLLED = VIOLENT | {"protest", "other"}  # kinds a toll may be told of: violence, protests, captures


# ---------------------------------------------------------------- reports


@dataclass
class _Context:
    """What the article has told so far, for the clauses that lean on it."""

    headline_end: int = 0  # the title line's end: its reports only join events the story tells
    toll_owner: Report | None = None  # the last event a toll told next may belong to (violence, protest)
    toll_peers: list[Report] = field(default_factory=list)  # it and the events told with it, one a place
    tolled: list[Report] = field(default_factory=list)  # every event so far a toll may belong to
    last_day: date | None = None  # the last date written in the story ("the previous morning" counts from it)
    last_place: dict[str, Place] = field(default_factory=dict)  # family -> where its last event happened
    last_date: dict[str, tuple[int, date, str]] = field(default_factory=dict)  # family -> its lead's date
    last_named: Place | None = None  # the last settlement or division the story named
    last_contact: Report | None = None  # the last meeting or call told: "the two sides" agreed there
    settlements: list[Place] = field(default_factory=list)  # the last few it named, newest last
    sentence_day: tuple | None = None  # (day, precision, end, strength) the main clause writes
    sentence_places: list[Place] = field(default_factory=list)  # places the sentence puts things in
    sentence_told: bool = False  # a report already came from this sentence
    quote_day: tuple[date, str] | None = None  # '"...," he said on Wednesday': the paragraph's told day
    quoted: tuple[date, str] | None = None  # that day, when this sentence goes on quoting
    part: int = 0  # how many times the article has started a story afresh (_new_lead)


_BOTH_SIDES = re.compile(r"\b(?:the two|both) (?:sides|ministers|leaders|countries|governments|delegations"
                         r"|presidents|parties|men|officials)\b", re.I)
_STANCE = re.compile(r"(?<![\w-])(?:pro|anti)-\Z", re.I)


def _new_lead(article: Article, sent: Sentence) -> bool:
    """Does this sentence open a paragraph with a full date of its own (year written)? Then
    what follows is told afresh: coders' event notes run together, one a paragraph, share
    no place or day."""
    if sent.start > 0 and article.text[max(0, sent.start - 2) : sent.start].count("\n") < 2:
        return False
    when, strength = event_date_strength(sent.text[:80], article.published)
    return (when is not None and strength == 0 and bool(_YEAR.search(when.text))
            and bool(find_triggers(sent.text)))  # "Published: 2024-05-04" tells nothing afresh


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


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
    parser: str | None = None,
) -> list[Report]:
    """Every event report in one article: one per clause and family of event, and one per
    listed place. ``parser``: "rules" reads roles from word order, "spacy" from a
    dependency parse of the sentence holding each trigger (``geo.syntax``)."""
    if article.published is None:
        return []
    mentions = find_places(article.text, gaz, article.id, corrections=corrections)
    story = story_of(article, mentions, gaz)
    a, b = story.dateline
    home = next((x.place for x in mentions if a <= x.start < b and x.place.kind in ("city", "town")), None)
    mentions = [  # filed from, or a stance ("pro-Iran militias"): not a place or a party
        x for x in mentions
        if not a <= x.start < b and not _STANCE.search(article.text, max(0, x.start - 5), x.start)
    ]
    # "the Arakan Army", "the Pakistani Army": a side, never where something happened
    groups = frozenset(x.start for x in mentions if GROUP_AFTER.match(article.text, x.end))
    starts = [x.start for x in mentions]
    story = replace(
        story,
        lists=lists(article.text, mentions),
        home=home,
        groups=groups,
        country=leading_country([x for x in mentions if x.start not in groups], gaz),
        syntax=article_syntax(article.text, parser),
    )
    start = body_start(article.text)
    ctx = _Context(headline_end=_headline_end(article.text, start))
    reports: list[Report] = []
    previous = start
    for sent in sentences(article.text, start):
        if BOILERPLATE.search(sent.text):
            continue
        if _new_lead(article, sent):  # a paragraph that opens "On 12 March 2023, in X, ...": a new story
            ctx = _Context(headline_end=ctx.headline_end, part=ctx.part + 1)
        if "\n" in article.text[previous:sent.start]:
            ctx.quote_day = None  # a quote's day is its paragraph's
        previous = sent.end
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        if sent.start < b <= sent.end:  # the dateline opens this sentence: read what follows it
            whole = Source(article.id, sent.text, sent.start, sent.end)
            found = _sentence_reports(
                Sentence(b, sent.end, article.text[b : sent.end]), mentions[lo:hi], article, gaz, story, ctx
            )
            for r in found:  # the source is the sentence as written
                r.event.sources = [replace(whole, rule=x.rule) for x in r.event.sources]
        else:
            found = _sentence_reports(sent, mentions[lo:hi], article, gaz, story, ctx)
        for r in found if ctx.part else ():
            r.story = f"{article.id}#{ctx.part}"
        reports.extend(found)
    return reports


def _sentence_reports(
    sent: Sentence, inside: list[Mention], article: Article, gaz: Gazetteer, story: Story, ctx: _Context
) -> list[Report]:
    out: list[Report] = []
    main: Report | None = None
    anchor: Place | None = None
    carried: list[str] = []
    parts = clauses(sent)
    # the dead of the event a reprisal answers are that event's, never the reprisal's
    told_here = next((c.start - sent.start for c in parts if c.opener.endswith(REPRISAL)), len(sent.text))
    parts = _reprisals_told(parts, sent)
    dead = toll(sent.text[:told_here])
    # "... have soared since a rocket hit X, killing 12": the toll of the event "since" opens, no count
    since = next((c for c in parts if c.opener == "since" and toll(c.text) == dead), None) if dead else None
    total = dead is not None and _counts_many(
        since.text if since else sent.text, _untolled_owner(ctx, article.text, sent.start))
    when, strength = (
        event_date_strength(DATELINE.sub("", parts[0].text), article.published) if parts else (None, 3)
    )
    ctx.sentence_day = (
        (when.start, when.precision, when.end, strength) if when is not None and strength == 0 else None
    )
    ctx.sentence_places = most_specific(
        [
            x
            for x in inside
            if not x.demonym
            and x.start not in story.groups
            and LOCATIVE.search(article.text, max(0, x.start - 60), x.start)
        ]
    )
    ctx.sentence_told = False
    ctx.quoted = ctx.quote_day if sent.text[:1] in _OPENING_QUOTES else None
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
        status = {m: unreal(clause, m) for m in pick(matches)}
        picked = [m for m, st in status.items() if st != "unreal"]
        told = {family(m.type) for m in matches if told_before(clause, m)}
        if not any(family(m.type) == "speech" for m in picked) and all(
            family(m.type) in told for m in picked
        ):
            said = cues()["reporting"].search(clause.text)  # "Romania's president said Tuesday that ..."
            if said and said[0].lower() != "according to":  # (a figure's source says nothing of its own)
                picked.append(
                    Match(
                        "statement", "statement.said", clause.start + said.start(), clause.start + said.end()
                    )
                )
        clause_mentions = _starting(inside, starts, clause.start, clause.end)
        violent = not total and any(m.type in VIOLENT for m in picked)  # a toll only for violence
        cut = sent.start + told_here - clause.start  # a reprisal's clause: not the dead it answers
        own = clause.text[:cut] if cut > 0 else clause.text
        clause_dead = toll(own, hurt_means_none_dead=True) if violent else None
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
            if m.rule == "statement.said" and not party_speaks(
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
        last = ctx.toll_owner  # "Rebels and troops clashed in X. One soldier was wounded.": none dead
        same_paragraph = last is not None and "\n" not in article.text[last.event.sources[0].end : sent.start]
        for r in out or ([last] if same_paragraph else []):
            if r.event.type in _TOLLED and r.event.fatalities is None and not r.anaphoric:
                r.event.fatalities = 0  # "a soldier was injured at X after a device was launched"
    named = [
        x.place
        for x in inside
        if x.place.kind in NAMED_KINDS
        and not x.demonym
        and x.start not in story.groups
        and (x.place.feature != "PPLC" or LOCATIVE.search(article.text, max(0, x.start - 60), x.start))
    ]
    # ("concerns to Kabul" is the government; "in the capital of Mogadishu" a place)
    if named:
        ctx.last_named = named[-1]
    for place in named:
        if place.kind in SETTLEMENT_KINDS:
            ctx.settlements = [p for p in ctx.settlements if p.id != place.id][-3:] + [place]
    if sent.start >= ctx.headline_end:
        when, strength = event_date_strength(sent.text, article.published)
        if when is not None and strength == 0 and when.precision == "day":
            ctx.last_day = when.start
        if when is not None and strength == TOLD_DATE and _QUOTE_MARKS.search(sent.text):
            ctx.quote_day = (when.start, when.precision)
    return out


_OPENING_QUOTES = "“\"‘"
_QUOTE_MARKS = re.compile("[“”\"]")


def _reprisals_told(parts: list[Clause], sent: Sentence) -> list[Clause]:
    """A reprisal's clause stands apart only when it tells the event answered ("..., in
    retaliation for a drone attack that killed a man"); "in retaliation for the killing of
    three soldiers, the Pentagon said on Friday" stays in the clause it hangs on (its day is
    the report's), though its dead are never the reprisal's."""
    out: list[Clause] = []
    for c in parts:
        if out and c.opener.endswith(REPRISAL) and not find_triggers(c.text):
            last = out.pop()
            c = replace(last, end=c.end, text=sent.text[last.start - sent.start : c.end - sent.start])
        out.append(c)
    return out


def _starting(mentions: list[Mention], starts: list[int], a: int, b: int) -> list[Mention]:
    """The mentions that start in [a, b); `starts` are theirs, in order."""
    return mentions[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]


def _touching(mentions: list[Mention], starts: list[int], clause: Clause) -> list[Mention]:
    """The mentions that overlap the clause: those in it, and one running into it ("Trinidad
    and Tobago said" splits at "and"); mentions never overlap each other (geo.places)."""
    lo, hi = bisect.bisect_left(starts, clause.start), bisect.bisect_left(starts, clause.end)
    return mentions[lo - 1 if lo and mentions[lo - 1].end > clause.start else lo : hi]


def _counts_many(text: str, owner: bool = False) -> bool:
    """Is the toll a total of many events ("727 killed since ...", "the toll across the country")?
    A toll that rose, or the toll of one event named, is that event's ("the death toll had risen
    to 16", "put the death toll from Saturday's strike at 20"), and so is a plain "death toll"
    told right after one event with no toll yet (``owner``: "The death toll varies between 100
    and several hundred")."""
    if MANY_PLACES.search(text):
        return True
    found = {m[0].lower() for m in cues()["total"].finditer(text)}
    if not found or not found <= {"toll", "death toll"}:
        return bool(found)
    return not (ONE_EVENTS.search(text) or (RISEN.search(text) or owner) and not MANY_EVENTS.search(text))


def _untolled_owner(ctx: _Context, text: str, at: int) -> bool:
    """Was violence told in this paragraph, and no toll with it yet?"""
    last = ctx.toll_owner
    return (last is not None and last.event.fatalities is None and not last.anaphoric
            and "\n" not in text[last.event.sources[0].end : at])


def _toll_report(
    sent: Sentence,
    inside: list[Mention],
    article: Article,
    gaz: Gazetteer,
    story: Story,
    ctx: _Context,
    dead: int,
    total: bool,
    told: list[Report],
) -> list[Report]:
    """A toll told apart from its event. "Officials said four civilians were killed." belongs
    to the violence just told; a total ("727 killed since ...", "the death toll rose to 31")
    is a report of its own, which never merges with the events it sums; and a toll told
    first, with a place or a day ("the incident in X on Thursday claimed 12 lives"), is the
    event itself."""
    violent = [r for r in told if r.event.type in VIOLENT] or [r for r in told if r.event.type == "protest"]
    places = most_specific([x for x in inside if not x.demonym and x.start not in story.groups])
    main = next((c for c in clauses(sent) if c.role == "main"), None)
    when, strength = event_date_strength(main.text if main else sent.text, article.published)
    if not total:
        last = violent[-1] if violent else ctx.toll_owner
        where = _toll_place(sent, inside, article.text) or (places[0] if places and not violent else None)
        if where is not None:  # "struck A and B. Four were killed in B.", "..., killing two in B": B's
            last = next((r for r in violent or ctx.toll_peers if r.event.place_id == where.id), last)
        other_day = when is not None and strength == 0 and last is not None and when.start != last.event.date
        own_event = last is None or (other_day and not violent)
        # (a title's toll is the story's, told again below)
        if own_event and (places or strength == 0) and sent.start >= ctx.headline_end:
            # told first, or on a day of its own: "the killing at the weekend of nine workers"
            if when is not None and _history(when, article.published):
                return []  # "In June 2021, 160 were killed": the story's past
            return _toll_event(sent, article, ctx, dead, places, when, strength, "toll.killed")
        if dead == 0 and not violent:  # "No fatalities reported.": none in what the paragraph told
            for r in reversed(ctx.tolled):
                if "\n" in article.text[r.event.sources[0].end : sent.start]:
                    break
                if r.event.fatalities is None:
                    r.event.fatalities = 0
        risen = last is not None and last.event.fatalities is not None and (
            RISEN.search(sent.text) or _counting_in_attackers(sent.text))
        more = last is not None and last.event.fatalities is not None and ALSO.search(sent.text)
        if last is not None and more and not other_day:
            last.event.fatalities += dead  # "Six attackers were also killed": coders count every death
        elif last is not None and not other_day and (
                last.event.fatalities is None or risen or last.event.fatalities == 0
                and "\n" not in article.text[last.event.sources[0].end : sent.start]):
            # (a toll that "rose to 16"; "injuring 5. One protester later died": the hurt one died)
            last.event.fatalities = max(dead, last.event.fatalities or 0)
        return []  # ("In June 2021, 160 were killed" is not today's toll)
    if sent.start < ctx.headline_end:
        return []  # a title's total is told again below
    starts = [t.start for t in find_times(sent.text, article.published)]
    if _SINCE_THEN.search(sent.text) and ctx.last_day:
        starts.append(ctx.last_day)  # "Since then, ... has killed 470": since the day told before
    if not violent and (_LONG_COUNT.search(sent.text)
                        or any((article.published - d).days > _LONG_TOTAL_DAYS for d in starts)):
        ctx.toll_owner = None  # what is counted next goes on with the count ("On the other side, ...")
        return []  # "3,600 killed this year", "since October": a count over months, no event
    if not places and "violence" in ctx.last_place:
        places = [ctx.last_place["violence"]]
    return _toll_event(sent, article, ctx, dead, places, when, strength, "toll.total",
                       violent[0].event.type if violent else "attack")


def _counting_in_attackers(text: str) -> bool:
    """"70 people, including the attackers, were killed": a whole that takes in a side counted
    alone before ("15 assailants were killed"), so it is the event's toll."""
    m = _INCLUDING.search(text)
    return m is not None and load_lexicon().words["generic_actors"].get(m[1].lower()) in _armed_groups()


_INCLUDING = re.compile(r"\bincluding (?:the |their |some |several )?(\w+(?: \w+)?)")


_DEAD_WORD = re.compile(r"\b(?:kill(?:ed|ing|s)?|dead|died|deaths?|lives)\b", re.I)


def _toll_place(sent: Sentence, inside: list[Mention], text: str) -> Place | None:
    """The place the toll itself names: "..., killing two people in Izium" (after the words
    that tell the dead, and said to be in it)."""
    told = _DEAD_WORD.search(sent.text)
    if told is None:
        return None
    at = sent.start + told.start()
    return next((x.place for x in inside if x.start > at and not x.demonym
                 and LOCATIVE.search(text, max(0, x.start - 60), x.start)), None)


def _toll_event(sent: Sentence, article: Article, ctx: _Context, dead: int, places: list[Place],
                when, strength: int, rule: str, kind: str = "attack") -> list[Report]:
    if when is None:
        day, precision, end = article.published, "week", None
    else:
        day, precision, end = when.start, when.precision, when.end
    event = Event(
        type=kind,
        date=day,
        date_precision=precision,
        end_date=end,
        fatalities=dead,
        summary=sent.text[:200],
        sources=[Source(article.id, sent.text, sent.start, sent.end, rule)],
        **_located(places[0] if places else None),
    )
    total = rule == "toll.total"
    report = Report(event, dated=total or strength < 3, rule=rule, strength=strength, total=total)
    if not report.total:
        ctx.toll_owner, ctx.toll_peers = report, [report]
        ctx.tolled.append(report)
        if places:
            ctx.last_place["violence"] = places[0]  # the story goes on there
    return [report]


def _pair(clause: Clause, ctx: _Context) -> list[Place]:
    """"shot at both villages": the last two settlements the story named, one event at each."""
    if len(ctx.settlements) < 2 or not cues()["both_places"].search(clause.text):
        return []
    return ctx.settlements[-2:]


HISTORY_DAYS = 365  # a month or year that ended longer ago than this before the story is its past


def _history(when, published: date) -> bool:
    """A time only as coarse as a month or a year, over long before the article was published:
    the story's background, which coders do not code as an event (a day, however far back, may
    be the anniversary or the inquiry the story is about)."""
    if when.end is not None or when.precision not in ("month", "year"):
        return False
    start = when.start
    if when.precision == "year":
        last = date(start.year, 12, 31)
    else:
        last = date(start.year + start.month // 12, start.month % 12 + 1, 1) - timedelta(days=1)
    return (published - last).days > HISTORY_DAYS


def _battle_for(main: Report | None, clause: Clause, fam: str) -> bool:
    """Is the clause the fight that won the place its main clause says was taken ("took control
    of X after clashes with the army")?"""
    return (main is not None and main.rule == "other.capture" and fam == "violence"
            and clause.role == "background" and clause.opener.endswith(("after", "following")))


def _clause_date(clause: Clause, m: Match, main: Report | None, ctx: _Context, published: date):
    """(day, precision, end, strength) of a clause's event, or None for undated background."""
    fam = family(m.type)
    text = DATELINE.sub("", clause.text)
    if fam == "speech":  # what was said about Monday was not said on Monday: read up to the content
        start = m.start - clause.start
        content = _CONTENT.search(text, start)
        verbs = list(cues()["reporting"].finditer(text, start, content.start() if content else len(text)))
        end = max(
            m.end - clause.start, verbs[-1].end() if verbs else 0
        )  # "In a message ..., X announced that"
        told = _TOLD_WHEN.match(text, end)
        whole, text = text, text[: told.end() if told else end]
    when, strength = event_date_strength(text, published)
    if fam == "speech" and strength == 1:
        when, strength = None, 3  # "Saudi Arabia, at peace with them since 2022, urged ...": said today
    if when is None and fam == "speech":  # "denied the report on Tuesday", unless the day is another event's
        later, later_strength = event_date_strength(whole, published)  # ("called for a strike on Monday")
        if (
            later is not None
            and later_strength == 0
            and 0 <= (published - later.start).days <= 7
            and not later.text.endswith(("'s", "’s"))  # "free to join Monday's strike": the strike's day
            and not any(  # "condemned the attack on Tuesday": Tuesday's words on what was told
                not cues()["definite"].search(between, 0, t.start)
                for between in [whole[len(text) : later.offset]]
                for t in find_triggers(between)
            )
        ):
            when, strength = later, later_strength
    at = m.start - clause.start
    own, own_strength = event_date_strength(text[max(0, at - 30) : m.end - clause.start], published)
    if own is not None and own_strength == 0 and own.text.endswith(("'s", "’s")):
        when, strength = own, 0  # "... on Tuesday to discuss Monday's airstrikes": Monday
    ahead = m.end - clause.start

    def of_another(t) -> bool:  # "a raid on a cell blamed for a bombing two days earlier": the bombing's
        return t.offset > ahead and bool(find_triggers(text[ahead : t.offset]))

    near = text[: ahead + 100]  # "Three days later, a strike ...", "... a day earlier"
    ago = None
    if any(map(near.lower().__contains__, _AGO)):  # most clauses hold none: no second scan
        ago = next((t for t in find_times(near, published)
                    if t.text.lower().endswith(_AGO) and not of_another(t)), None)
    if when is not None and when.text.lower().endswith(_AGO) and of_another(when):
        when = None  # that lag was the clause's only time: the raid has none of its own
    if when is not None and ago is not None and when.text == ago.text:
        when = None  # the clause's only time is the lag itself: counted from the story's day
    if ago is not None and (when is None or ago.start < when.start):
        # "protested on Friday against an attack that killed 42 a day earlier": a day before Friday;
        # "struck X, in retaliation for an attack that killed a man a day earlier": before the strike
        told = main.event.date if main is not None and main.dated else ctx.last_day or published
        base = when.start if when is not None else published if ago.text.lower().endswith("ago") else told
        when, strength = replace(ago, start=base - (published - ago.start)), 0
    if when is None and (rel := cues()["relative_day"].search(clause.text)) and ctx.last_day:
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
    if when is None and main is None and clause.lag_days and not ctx.sentence_day and ctx.last_day:
        # "His comments came a day after Daglo announced ...": a day before the story's last day
        return ctx.last_day - timedelta(days=clause.lag_days), "day", None, 1
    if when is not None:
        if _history(when, published):
            return None  # "the war, which erupted with protests in 2011": told as background
        return when.start, when.precision, when.end, strength
    if clause.role == "background" and clause.opener.endswith(("after", "following")) and not clause.lag_days:
        if main is not None and (main.dated or main.anaphoric) and family(main.event.type) == fam:
            # "soldiers were killed on Thursday after rebels attacked three bases": one story;
            # "the siege ended after troops killed the gunmen": the story told goes on
            e = main.event
            return e.date, e.date_precision, e.end_date, main.strength
        if _battle_for(main, clause, fam) and main.dated:
            e = main.event  # "took control of the town after clashes with the army": the battle for it
            return e.date, e.date_precision, e.end_date, main.strength
        if main is not None and fam != "violence":
            # "called for a strike after the bodies of six hostages were recovered": just before it
            return main.event.date - timedelta(days=1), "week", None, 3
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
    if ctx.quoted is not None and fam != "speech":  # the speaker's words go on: told that day
        return ctx.quoted[0], ctx.quoted[1], None, TOLD_DATE
    # other news and protests go on on the day of the violence; violence on the day of the protest
    lead = ctx.last_date.get(fam) or ctx.last_date.get(_GOES_ON.get(fam, ""))
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
    story: Story,
    anchor: Place | None,
    carried: list[str],
    main: Report | None,
    ctx: _Context,
    dead: int | None,
    told: bool,
    planned: bool = False,
) -> list[Report]:
    kind, fam = m.type, family(m.type)
    sides = roles(clause, m, mentions, gaz, story, anchor, carried)
    if (
        main is not None
        and main.event.actors
        and sides.actors
        and not set(main.event.actors) & set(sides.actors)
        and clause.role != "background"
    ):
        main = None  # "..., while Tehran said its drones struck ...": another side, another event
    dated_as = _clause_date(clause, m, main, ctx, article.published)
    if dated_as is None:
        return []
    day, precision, end, strength = dated_as
    talks, subject = ctx.last_contact, clause.text[: m.start - clause.start]
    if kind == "agreement" and talks is not None and _BOTH_SIDES.search(subject):
        # "met in Amman on Tuesday. The two ministers agreed to ...": the talks' sides, place and day
        held = gaz.by_id(talks.event.place_id) if talks.event.place_id else None
        sides = replace(sides, actors=talks.event.actors, targets=talks.event.targets,
                        places=[held] if held else sides.places)
        if strength > TOLD_DATE:
            day, precision, end, strength = talks.event.date, talks.event.date_precision, None, talks.strength
    # "the clashes showed ...", a title line: an event the story tells, never one of its own
    # (a date from when it was told, or "since the violence erupted", is no date of its own)
    anaphoric = sent.start < ctx.headline_end or told and (strength >= TOLD_DATE or clause.opener == "since")
    if anaphoric and dead == 0 and toll(clause.text) is None:
        dead = None  # the wounded of an event told before say nothing of its dead
    won = _battle_for(main, clause, fam)  # "took control of X after clashes with ...": at X
    places = (
        sides.places
        or ([p] if won and main.event.place_id and (p := gaz.by_id(main.event.place_id)) else [])
        or _pair(clause, ctx)
        or sides.reporter_home
        or (ctx.sentence_places if not anaphoric and fam in ("violence", "other", "protest") else [])
    )
    if not places and not anaphoric and fam != "speech" and not cues()["new_event"].search(clause.text):
        named = ctx.last_place.get(fam) or (
            ctx.last_named if fam in ("violence", "other", "protest") else None
        )
        places = [named] if named else []  # the story goes on where it was
    places = (
        places
        or sides.fallback
        or (  # in the country the story is about (a named speaker
            [story.country]
            if story.country
            and not planned  # with no home, the UN, stays unplaced)
            and not (fam == "speech" and sides.actors)
            else []
        )
    )
    if kind in VIOLENT and _CROWD.search(
        clause.text, max(0, m.start - clause.start - 80), m.start - clause.start
    ):
        kind = "protest"  # "crowds attacked several embassies": a riot, which coders count as a demonstration
        sides = replace(sides, actors=[a for a in sides.actors if a not in _armed_groups()])  # not their foes
    if kind == "attack" and _weapon_acts(clause, m):
        kind = "strike"  # "a missile targeted the city": the weapon is the subject, so remote violence
    if kind == "attack" and places and sides.actors and m.rule not in _ON_THE_GROUND:
        acting = {places[0].country} & {p.country for p in countries(sides.actors, gaz)}
        if not acting and any(countries(sides.actors, gaz)):
            kind = "strike"  # a state's attack across a border is remote violence, but not a raid
    out = []
    # "warnings from Israeli and Lebanese troops": each side's appeal is its own (one event per actor)
    speakers = [[a] for a in sides.actors] if kind == "appeal" and len(sides.actors) > 1 else [sides.actors]
    for place, actors in ((p, a) for p in places or [None] for a in speakers):
        event = Event(
            type=kind,
            date=day,
            date_precision=precision,
            end_date=end,
            actors=actors,
            targets=sides.targets,
            fatalities=dead if m.type in VIOLENT and len(places) <= 1  # a riot's too
            else 0 if kind == "protest" and cues()["peaceful"].search(sent.text) else None,
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
                separate=bool(cues()["new_event"].search(clause.text)),
                titled=sent.start < ctx.headline_end,
                at_forces=kind == "attack" and m.rule in _AT_FORCES and _at_forces(clause, m),
            )
        )
    if (
        sides.places
        and fam != "speech"
        and not anaphoric
        and not inside(ctx.last_place.get(fam), sides.places[0])
    ):
        ctx.last_place[fam] = sides.places[0]  # but "Rakhine state's spokesman" keeps the township
    if (
        strength <= TOLD_DATE
        and not anaphoric
        and (fam not in ctx.last_date or strength < ctx.last_date[fam][0])
    ):
        ctx.last_date[fam] = (strength, day, precision)  # the lead's day (the first written one)
    if kind in ("meeting", "diplomatic_contact") and out and not anaphoric:
        ctx.last_contact = out[-1]
    background = main is not None and clause.role == "background" and main.event.date != day
    if kind in _TOLLED and not anaphoric and not background:
        ctx.tolled.extend(out)  # ("No fatalities reported." is of all of them)
        if kind != "other" or m.rule == "other.capture":  # of other news, a capture's fight has a toll
            # a toll told next ("2 protesters were killed."), not of "..., after an attack two days earlier"
            ctx.toll_owner, ctx.toll_peers = out[-1], out
    return out


@cache
def _armed_groups() -> frozenset[str]:
    """The unnamed armed groups the lexicon knows ("rebels", "gunmen"): never a crowd."""
    return frozenset(load_lexicon().words["generic_actors"].values()) - {"protesters"}


def _at_forces(clause: Clause, m: Match) -> bool:
    """"attacked [a Chadian army base]", "ambushed [a police patrol]": what the trigger goes on
    to name, up to the next comma, is under arms, and the clause names no weapon used from afar."""
    named = re.match(r"[^,;.]{0,60}", clause.text[m.end - clause.start :])[0]
    if not word_starts("armed_victims").search(named):
        return False
    # "with explosives ..., in a gunfight that lasted six hours": a weapon, and a battle all the same
    afar = word_starts("remote_means").search(clause.text)
    return not afar or any(t.type == "armed_clash" for t in find_triggers(clause.text))


def _weapon_acts(clause: Clause, m: Match) -> bool:
    """"another missile also targeted the city", "drones attacked the port": the subject of
    the attack, the words before it in its clause up to a comma, names a weapon used from afar."""
    subject = clause.text[: m.start - clause.start].rsplit(",", 1)[-1]
    weapon = word_starts("remote_means").search(subject)  # its head, not "gunmen armed with grenades"
    return (weapon is not None and len(subject[: weapon.start()].split()) <= 3
            and len(subject[weapon.end():].split()) <= 3  # the weapon's verb follows it
            and not _WIELDED.search(subject))


_WIELDED = re.compile(r"\b(?:with|armed|carrying|wielding|and)\b", re.I)


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
    parser: str | None = None,
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
    parser: str | None = None,
) -> list[Event]:
    """Extract from every article, then merge across them.

    ``corrections``: article id -> {mention text -> place id or None};
    ``parser``: "rules" or "spacy" (see ``extract_reports``).
    """
    found: list[Report] = []
    for article in articles:
        found.extend(extract_reports(article, gaz, (corrections or {}).get(article.id), parser=parser))
    return merge_reports(found)
