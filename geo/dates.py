"""Step three of the flow: when did the event in a sentence happen?

News dates events relative to the story ("on Tuesday", "last week", "since November"), so
every time expression is resolved against the article's publication date. Tense picks the
direction of a bare weekday, month or yearless date: future wording looks ahead, anything
else looks back, because reports mostly tell what has already happened.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .articles import _M, _Y, _month, _safe_date


@dataclass(frozen=True)
class TimeRef:
    """A resolved time expression; `end` is set only for open ranges ("since ...")."""

    start: date
    precision: str  # "day", "week", "month" or "year"
    end: date | None  # the publication date for "since ...", else None
    text: str  # as written, "since" included
    offset: int  # where `text` starts in the sentence


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FULL_MONTH = ("January|February|March|April|May|June|July|August|September|October"
               "|November|December")
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_RELATIVE = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "tomorrow": 1, "last": -1,
             "overnight": 0}
_SHIFT = {"this": 0, "last": -1, "next": 1}
# "May" alone is usually the verb; these words before it make it the month.
_MAY_WORDS = frozenset({"in", "on", "since", "by", "early", "late", "mid", "until", "during"})
# A bare year is only a date after one of these ("in 2023"), never in "2023 troops".
_YEAR_WORDS = frozenset({"in", "since", "during", "until", "through", "throughout", "before",
                         "after", "by", "from"})
# Every alternative is case-sensitive where case carries meaning: months and weekdays are
# capitalised in prose ("may" and "march" are verbs); relative words may open a sentence.
_TIME = re.compile(  # (it starts at a letter or digit, not inside a word: a fast scan)
    r"(?=[\dA-Za-z])(?<![^\W\d])(?:\b(?P<mod>[Ee]arly|[Ll]ate|[Mm]id)(?:-|\s+))?(?:"
    rf"(?<!\d)(?P<iy>{_Y})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)"
    rf"|\b(?P<m1>{_M})\b(?:\.\s*|\s+)(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\b(?![,.]\d)"
    rf"(?:,?\s+(?P<y1>{_Y})\b(?![,.]\d))?"
    rf"|(?<![\d,.])\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:[-–][0-3]?\d)?\s+(?:of\s+)?(?P<m2>{_M})\b\.?"
    rf"(?:,?\s+(?P<y2>{_Y})\b(?![,.]\d))?"
    rf"|\b(?P<m3>{_FULL_MONTH})\b(?:,?\s+(?P<y3>{_Y})\b(?![,.]\d)|\s+(?P<yrel>(?i:last|this|next))\s+year\b)?"
    rf"|(?<![\d,.$£€])\b(?P<yr>{_Y})\b(?![,.]\d)"
    rf"|\b(?:(?P<wdir>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<wd>{'|'.join(_WEEKDAYS)})(?:['’]s)?\b"
    r"(?:\s+(?:morning|afternoon|evening|night)\b)?"
    r"|\b(?P<rel>(?i:today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)"
    r"|last\s+night|overnight))\b"
    r"|\b(?i:(?:earlier|later)\s+)?(?P<per>(?i:this|last|next))\s+(?P<unit>(?i:week|month|year))\b"
    rf"|\b(?P<n>\d{{1,2}}|(?i:{'|'.join(_COUNTS)}))\s+(?P<ago>(?i:day|week|month|year))s?"
    r"\s+(?i:ago|earlier|before|later)\b(?!\s+(?i:the|that|this|it|he|she|they|we|a|an|his|her|their|its)\b)"
    r"|\b(?P<recent>(?i:(?:in|over|during)\s+the\s+(?:last|past)\s+(?:few|several|couple\s+of)\s+days"
    r"|in\s+recent\s+days))\b"
    r"|\b(?P<weekend>(?i:(?:at|over|during|on)\s+the|this|last|past)\s+(?i:weekend))\b"
    r")"
)
# Every alternative of _TIME holds one of these (lowercased): a sentence without any has no time.
_HINTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "day",
          "night", "week", "month", "year", "ago", "tomorrow", "morning", "afternoon", "evening",
          *"0123456789")
# Sentence-level future wording: a bare "Monday" then means the coming one.
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|(?:is|are)\s+to|plans?\s+to|planned\s+to|expected\s+to"
    r"|(?:is|are)\s+(?:due|set)\s+to|scheduled|next(?!\s+to\b)|upcoming"
    r"|later\s+this\s+(?:week|month|year))\b", re.I)
# "officials said on Friday": the day of the report, not of the event.
_REPORTING = re.compile(
    r"\b(?:said|says|told|announced|reported|added|confirmed|stated)"
    r"(?:\s+(?:reporters|journalists|in\s+a\s+statement))?\s+(?:on\s+)?$", re.I)
# "the death toll rose to 27 on Wednesday": the day the count was given, not the event's.
_UPDATED = re.compile(r"\b(?:rose|risen|climbed|jumped|increased|reached)\s+to\s+(?:at\s+least\s+)?[\w,-]+"
                      r"(?:\s+(?:people|dead))?\s+(?:on\s+|by\s+)?$", re.I)
_PAST = re.compile(r"\b(?:\w{3,}ed|said|met|held|struck|hit|took|began|came|went|made|gave|told|fought|shot"
                   r"|won|lost|sent|led|left|fell|broke|spoke|was|were)\b", re.I)
_BORN = re.compile(r"\b(?:born|founded|established|created)\s+(?:in\s+)?$", re.I)
_SINCE = re.compile(r"\b[Ss]ince\s+$")
_PREV_WORD = re.compile(r"(\w+)\W*$")
_MAX_DAYS = 731  # two years: further than that needs a written year


def _prev_word(sentence: str, offset: int) -> str:
    m = _PREV_WORD.search(sentence, max(0, offset - 40), offset)
    return m[1].lower() if m else ""


def _nearest(make: Callable[[int], date | None], published: date, future: bool,
             key: Callable[[date], object] = lambda d: d) -> date | None:
    """The yearless date nearest before `published` (after it, when `future`)."""
    years = (published.year - 1, published.year, published.year + 1)
    options = [d for y in years if (d := make(y))]
    if future:
        return min((d for d in options if key(d) >= key(published)), default=None)
    return max((d for d in options if key(d) <= key(published)), default=None)


def _month_key(d: date) -> tuple[int, int]:
    return d.year, d.month


def _shift(published: date, unit: str, n: int) -> date:
    """The start of the day/week/month/year `n` units from the one holding `published`."""
    if unit == "day":
        return published + timedelta(days=n)
    if unit == "week":
        return published - timedelta(days=published.weekday()) + timedelta(weeks=n)
    if unit == "month":
        year, month = divmod(published.year * 12 + published.month - 1 + n, 12)
        return date(year, month + 1, 1)
    return date(published.year + n, 1, 1)


def _weekday(m: re.Match[str], published: date, future: bool) -> date:
    """Within a week of `published`; "last"/"next" skip the publication day itself."""
    wd, way = _WEEKDAYS.index(m["wd"]), (m["wdir"] or "").lower()
    if way == "next" or (future and way != "last"):
        return published + timedelta(days=(wd - published.weekday()) % 7 or 7 * (way == "next"))
    return published - timedelta(days=(published.weekday() - wd) % 7 or 7 * (way == "last"))


def _resolve(m: re.Match[str], sentence: str, published: date,
             future: bool) -> tuple[date | None, str, bool]:
    """(start, precision, whether a year was written) for one match; start None = not a date."""
    if m["iy"]:
        return _safe_date(m["iy"], m["im"], m["id"]), "day", True
    if m["m1"] or m["m2"]:
        name, day, year = (m["m1"], m["d1"], m["y1"]) if m["m1"] else (m["m2"], m["d2"], m["y2"])
        if year:
            return _safe_date(year, _month(name), day), "day", True
        return _nearest(lambda y: _safe_date(y, _month(name), day), published, future), "day", False
    if m["m3"]:
        month = _month(m["m3"])
        if m["y3"]:
            return date(int(m["y3"]), month, 1), "month", True
        if m["yrel"]:  # "in June last year"
            return date(published.year + _SHIFT[m["yrel"].lower()], month, 1), "month", True
        if m["m3"] == "May" and not m["mod"] and _prev_word(sentence, m.start()) not in _MAY_WORDS:
            return None, "", False
        return _nearest(lambda y: date(y, month, 1), published, future, _month_key), "month", False
    if m["yr"]:
        if not m["mod"] and _prev_word(sentence, m.start()) not in _YEAR_WORDS:
            return None, "", False
        if _BORN.search(sentence, max(0, m.start() - 20), m.start()):
            return None, "", False  # "born in 1965" is an age, not when anything happened
        return date(int(m["yr"]), 1, 1), "year", True
    if m["wd"]:
        return _weekday(m, published, future), "day", False
    if m["rel"]:
        return published + timedelta(days=_RELATIVE[m["rel"].split()[0].lower()]), "day", False
    if m["weekend"]:  # "at the weekend": its Saturday, the last one (the next, when looking ahead)
        back = (published.weekday() - 5) % 7
        if future and back > 1:
            return published + timedelta(days=7 - back), "week", False
        return published - timedelta(days=back), "week", False
    if m["recent"]:  # "in the last few days": the week before the report
        return published - timedelta(days=3), "week", False
    if m["per"]:
        unit = m["unit"].lower()
        return _shift(published, unit, _SHIFT[m["per"].lower()]), unit, False
    n = int(m["n"]) if m["n"].isdigit() else _COUNTS[m["n"].lower()]
    unit = m["ago"].lower()
    later = m[0].lower().endswith("later")  # "three days later": counted on from the day told before
    return _shift(published, unit, n if later else -n), unit, False


def _scan(sentence: str, published: date) -> Iterator[tuple[TimeRef, int]]:
    """Each time expression with its weakness: 0 = dates an event, 1 = a range, 2 = a report."""
    future = _FUTURE.search(sentence)
    for m in _TIME.finditer(sentence):
        since = _SINCE.search(sentence, max(0, m.start() - 10), m.start())
        ahead = _ahead(sentence, m, future, since)
        try:
            start, precision, written_year = _resolve(m, sentence, published, ahead)
        except (OverflowError, ValueError):  # "next year" in 9999: no date, not a crash
            continue
        if start is None or not written_year and abs((start - published).days) > _MAX_DAYS:
            continue
        offset = since.start() if since else m.start()
        possessive = m[0].endswith(("'s", "’s"))  # "said Thursday's strikes": the strikes' day
        overnight = m["rel"] is not None and m["rel"].lower() == "overnight"  # "overnight into Monday"
        reported = not possessive and (_REPORTING.search(sentence, max(0, offset - 60), offset)
                                       or _UPDATED.search(sentence, max(0, offset - 60), offset))
        weak = 2 if reported else int(bool(since) or overnight)
        yield TimeRef(start, precision, published if since else None,
                      sentence[offset:m.end()], offset), weak


def _ahead(sentence: str, m: re.Match[str], future: re.Match[str] | None, since) -> bool:
    """Does the sentence's future cue make this bare day the coming one? Not the day of what was
    done or said: "signed a deal on Wednesday setting out how ... will", "said on Wednesday the
    army will"."""
    if future is None or since or _REPORTING.search(sentence, max(0, m.start() - 60), m.start()):
        return False
    return not (future.start() > m.end() and _PAST.search(sentence, m.end(), future.start()))


@lru_cache(maxsize=4096)
def _scanned(sentence: str, published: date) -> tuple[tuple[TimeRef, int], ...]:
    """``_scan`` once per sentence: a sentence, its first clause and its dating share it."""
    if not any(map(sentence.lower().__contains__, _HINTS)):
        return ()
    return tuple(_scan(sentence, published))


def find_times(sentence: str, published: date) -> list[TimeRef]:
    """Every time expression in `sentence`, in order, resolved against `published`."""
    return [ref for ref, _ in _scanned(sentence, published)]


def event_date_strength(sentence: str, published: date) -> tuple[TimeRef | None, int]:
    """The time that dates this sentence's event and how strongly: the first plain one (0),
    else the first range ("since ...", 1), else the first reporting time ("said on Friday",
    2); (None, 3) without any."""
    found = sorted(_scanned(sentence, published), key=lambda pair: pair[1])
    return found[0] if found else (None, 3)


def event_date(sentence: str, published: date) -> TimeRef | None:
    """The time that dates this sentence's event (see ``event_date_strength``)."""
    return event_date_strength(sentence, published)[0]
