"""Step one of the flow: files → :class:`Article` records.

News reaches us as whatever people saved: text copied from a site, Markdown notes, whole
HTML pages, JSON exports from scrapers and RSS/Atom feeds. Everything downstream works on
one plain string per story, points into it by character offsets, and resolves relative
dates ("on Friday") against the publication date. So this module turns each file into
exactly that: the story text (for .txt/.md the decoded file unchanged, so offsets point
into the file), its title and url, and its publication date together with where that date
came from (`date_source`), so a wrong date can be traced. A file that cannot be read
becomes a one-line InputError and never stops the other files.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import accumulate
from pathlib import Path

from .cache import LANGUAGES, PAGES, kept
from .errors import GeoError, InputError, InternalError, shown

MAX_BYTES = 20 * 1024 * 1024
# Deeper JSON or XML than this is no article: it would exhaust Python's stack.
MAX_DEPTH = 100
# Publication dates outside these years are refused (an InputError), not clamped: such a
# date is a broken header, and date arithmetic on it ("next year" in 9999) would overflow.
YEARS = (1900, 2100)
TEXT_EXTS = frozenset({".txt", ".md"})
HTML_EXTS = frozenset({".html", ".htm"})
JSON_EXTS = frozenset({".json", ".jsonl"})
FEED_EXTS = frozenset({".xml", ".rss", ".atom"})
EXTENSIONS = TEXT_EXTS | HTML_EXTS | JSON_EXTS | FEED_EXTS
_USE = "use .txt, .md, .html, .json, .jsonl or an RSS/Atom .xml"


@dataclass(frozen=True)
class Article:
    """One story: its text, and what the file says about it."""

    id: str  # file name, or "name.json#3" for the 3rd item of a multi-article file
    title: str  # "" when unknown
    text: str  # everything downstream indexes into this
    published: date | None
    date_source: str  # header, dateline, html-meta, json, feed, option, text or none
    url: str | None
    path: str  # the file it came from

    @property
    def where(self) -> str:
        """The article's file, and which item of it ("feed.xml#3")."""
        item = self.id.rpartition("#")[2] if "#" in self.id else ""
        return f"{self.path}#{item}" if item else self.path


# ---------------------------------------------------------------- dates

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_M = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
      r"|Sep(?:tember|t)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_Y = r"(?:19|20)\d\d"
_FULL_DATE = (
    rf"(?<!\d)(?P<iy>{_Y})-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?!\d)"
    rf"|\b(?P<m1>{_M})\.?\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y1>{_Y})(?!\d)"
    rf"|(?<!\d)(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_M})\b\.?,?\s+(?P<y2>{_Y})(?!\d)"
)
_TEXT_DATE = re.compile(_FULL_DATE)  # case-sensitive: in prose "may" is a verb
_VALUE_DATE = re.compile(_FULL_DATE, re.I)
# ISLAMABAD, Jan 19 (Reuters) -   /   GAZA CITY, Gaza Strip, Oct. 9, 2023 (AP) —
DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z\u00C0-\u00DE'’./ -]*[A-Z.](?:,[ \t]*[A-Z][\w'’. -]*?){0,2}"
    rf",[ \t]*(?P<mon>{_M})\.?[ \t]+(?P<day>[0-3]?\d)(?!\d)(?:,?[ \t]+(?P<year>{_Y}))?"
    r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?[-–—]",
    re.M,
)


def _safe_date(year: int | str, month: int | str, day: int | str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _match_date(m: re.Match[str]) -> date | None:
    if m["iy"]:
        return _safe_date(m["iy"], m["im"], m["id"])
    if m["m1"]:
        return _safe_date(m["y1"], _month(m["m1"]), m["d1"])
    return _safe_date(m["y2"], _month(m["m2"]), m["d2"])


_RFC_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\.?\s+(\d{3,})\b")
_ANY_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?!\d)")  # any year, so a bad one can be refused


def parse_date(value: str, *, anchored: bool = False) -> date | None:
    """The date in a metadata value: ISO date or datetime, "January 19, 2024",
    "19 Jan 2024", or RFC 822. With `anchored`, only a date at the very start counts."""
    value = value.strip()
    if not value:
        return None
    m = (_VALUE_DATE.match if anchored else _VALUE_DATE.search)(value)
    if m and (found := _match_date(m)):
        return found
    if (m := _ANY_ISO.match(value)) and (found := _safe_date(*m.groups())):
        return found
    if anchored:
        return None
    try:
        found = email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if (y := _RFC_YEAR.search(value)) and int(y[1]) != found.year:
        try:  # email.utils reads "0001" as the two-digit year 01, i.e. 2001
            return found.replace(year=int(y[1]))
        except ValueError:
            return None
    return found


def first_text_date(text: str) -> date | None:
    """The first full explicit date written in prose ("Jan. 18, 2024", "18 January 2024")."""
    for m in _TEXT_DATE.finditer(text):
        if found := _match_date(m):
            return found
    return None


def dateline_date(text: str, reference: date | None = None) -> date | None:
    """The date of the first wire dateline ("KYIV, March 3 (Reuters) -") at a paragraph start.

    A dateline without a year gets the year that puts it nearest `reference`, else
    nearest the first full date in the text; with neither it has no date.
    """
    m = DATELINE.search(text)
    if not m:
        return None
    if m["year"]:
        return _safe_date(m["year"], _month(m["mon"]), m["day"])
    reference = reference or first_text_date(text)
    if reference is None:
        return None
    years = (reference.year - 1, reference.year, reference.year + 1)
    options = [d for y in years if (d := _safe_date(y, _month(m["mon"]), m["day"]))]
    return min(options, key=lambda d: abs(d - reference), default=None)


def _article(id_: str, title: str, text: str, own: date | None, source: str,
             url: str | None, path: str, published: date | None) -> Article:
    """An Article whose date is its own, else a dateline's, else --date's, else the text's."""
    for given in (own, published):
        if given and not YEARS[0] <= given.year <= YEARS[1]:
            raise InputError(path, f"date {given.isoformat()} is outside the years "
                                   f"{YEARS[0]}-{YEARS[1]} that can be read; fix the file's date")
    if own:
        found = own
    elif found := dateline_date(text, published):
        source = "dateline"
    elif published:
        found, source = published, "option"
    elif found := first_text_date(text):
        source = "text"
    else:
        found, source = None, "none"
    return Article(shown(id_), title, text, found, source, url or None, shown(path))


# ---------------------------------------------------------------- plain text / Markdown

_HEADER = re.compile(r"^[ \t]*(date|published|source|title|url)[ \t]*:[ \t]*(\S.*?)\s*$", re.I)
_BARE_DATE = re.compile(r"^[ \t]*(?:date|published)[ \t]+(\S.*)$", re.I)
_MD_TITLE = re.compile(r"^[ \t]*#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def _text_article(text: str, name: str, published: date | None) -> Article:
    title, url, own, content_seen = "", None, None, False
    for line in text[:5000].splitlines()[:10]:
        if m := _HEADER.match(line):
            key, value = m[1].lower(), m[2]
            if key in ("date", "published"):
                own = own or parse_date(value)
            elif key == "title":
                title = title or value
            elif key == "url":
                url = url or value
        elif own is None and (m := _BARE_DATE.match(line)) and parse_date(m[1], anchored=True):
            own = parse_date(m[1], anchored=True)  # "date 2024-01-19 By Someone"
        elif line.strip() not in ("", "---") and not content_seen:
            content_seen = True
            if not title and (m := _MD_TITLE.match(line)):
                title = m[1]
    return _article(os.path.basename(name), title, text, own, "header", url, name, published)


_NAME = r"(?:[ \t]+[A-Z][\w'’.-]*){1,4}"
_BYLINE = re.compile(rf"[ \t]*By{_NAME}(?:[ \t]+and{_NAME})?[ \t]*$")


def body_start(text: str) -> int:
    """Where the story begins: after header lines, a leading "date 2024-01-19" and a byline.

    Offsets stay those of the file's text; only what precedes the story is skipped, so
    nothing downstream reads a header as a sentence.
    """
    at = 0
    for line in text[:5000].splitlines(keepends=True)[:10]:
        content = line.strip()
        if _HEADER.match(line) or content in ("", "---"):
            at += len(line)
            continue
        if (m := _BARE_DATE.match(line)) and (d := _VALUE_DATE.match(m[1])):
            rest = line[m.start(1) + d.end():]
            if not rest.strip() or _BYLINE.match(rest):
                at += len(line)
                continue
            return at + m.start(1) + d.end() + len(rest) - len(rest.lstrip())
        break
    return at


# ---------------------------------------------------------------- HTML pages

# Languages a page may be in, named in the line that skips it; others are named by their code.
_LANGUAGES = {"ar": "Arabic", "de": "German", "es": "Spanish", "fa": "Persian", "fr": "French",
              "he": "Hebrew", "hi": "Hindi", "id": "Indonesian", "it": "Italian", "ja": "Japanese",
              "ko": "Korean", "nl": "Dutch", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese",
              "ru": "Russian", "so": "Somali", "sw": "Swahili", "tr": "Turkish", "uk": "Ukrainian",
              "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese"}
_JUDGED = 200  # letters of text before its language is judged: shorter is too little to tell


def _paragraphs(text: str | None) -> str:
    """trafilatura's lines as paragraphs (blank lines between), whitespace inside collapsed."""
    return "\n\n".join(line for line in (" ".join(x.split()) for x in (text or "").splitlines()) if line)


def _own_date(value: str | None) -> date | None:
    """A page's date from its metadata, or None where it is missing or past reading ("0001-01-01")."""
    found = parse_date(value) if value else None
    return found if found and YEARS[0] <= found.year <= YEARS[1] else None


def _check_english(text: str, name: str) -> None:
    """InputError for a page in another language (read as English it would give wrong events)."""
    if sum(c.isalpha() for c in text[:4000]) < _JUDGED:
        return
    code = _language(text[:4000])
    if code and code != "en":
        raise InputError(name, f"in {_LANGUAGES.get(code, code)} ({code}), not English: skipped")


@kept(LANGUAGES)
def _language(sample: str) -> str:
    """The language code trafilatura's classifier (py3langid) gives a text, "" when unsure."""
    from trafilatura.utils import language_classifier

    return language_classifier(sample, "") or ""


@cache
def _trafilatura_config():
    """trafilatura's settings, but a short story (a feed item, a brief) is a story too."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


# the page's own date: its metadata and markup, never a date guessed from its text
_DATES = {"extensive_search": False, "original_date": True}
# Page furniture trafilatura keeps inside an article: promotions, sign-up boxes, link lists
# (matched in class and id names, as news sites name them)
_FURNITURE = ("promo", "newsletter", "subscribe", "advert", "sponsored", "outbrain", "taboola", "paywall",
              "related", "most-read", "recommended", "trending", "read-more", "also-read")
_PRUNE = [f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {w} ') or @id = '{w}']"
          for w in _FURNITURE]  # whole class names: "related" but not "related-article-body"


@kept(PAGES)
def html_text(markup: str) -> str:
    """The main text of a page or a fragment (a feed item's HTML), as paragraphs."""
    import trafilatura

    if not re.search(r"<(?:html|body)\b", markup[:2000], re.I):
        markup = f"<html><body>{markup}</body></html>"  # a fragment: lxml would make its first tag the root
    text = trafilatura.extract(markup, favor_recall=True, include_comments=False, prune_xpath=_PRUNE,
                               config=_trafilatura_config(), date_extraction_params=_DATES)
    return _paragraphs(text)


def _html_article(markup: str, name: str, published: date | None, english_only: bool = True) -> Article:
    """A page read by trafilatura: main text, title, its own date (metadata and markup, by
    htmldate), canonical URL. What a page reads as is kept on the machine (geo.cache) by its
    bytes, so a page is read once, not at every start."""
    read = _read_page(markup, english_only)
    if "error" in read:
        raise InputError(name, read["error"])
    own = date.fromisoformat(read["date"]) if read["date"] else None
    return _article(os.path.basename(name), read["title"], read["text"], own, "html-meta", read["url"],
                    name, published)


@kept(PAGES)
def _read_page(markup: str, english_only: bool) -> dict:
    """{"text", "title", "date", "url"} of a page, or {"error"}: why it holds no English article."""
    import trafilatura

    doc = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, prune_xpath=_PRUNE,
                                      config=_trafilatura_config(), date_extraction_params=_DATES)
    text = _paragraphs(doc.text if doc else None) or html_text(markup)
    try:
        if len(text.split()) < 2:  # a lone word is a menu's, not a story
            raise InputError("", "no article text found")
        if english_only:
            _check_english(text, "")
    except InputError as e:
        read = {"error": e.reason}
    else:
        own = _own_date(doc.date if doc else None)
        read = {"text": text, "title": (doc.title if doc else None) or "",
                "date": own.isoformat() if own else None, "url": doc.url if doc else None}
    return read


# ---------------------------------------------------------------- JSON / JSON Lines

_TAGGED = re.compile(r"<(?:p|div|br|span|a|h[1-6]|li|article|section)\b[^>]*>", re.I)
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deeply `text` nests arrays and objects, counted without parsing (strings cut out
    first), so a too-deep document is refused before it can exhaust the parser's stack."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def load_json(text: str, name: str) -> object:
    """json.loads, with what would crash it refused as an InputError naming `name`: nesting
    deeper than MAX_DEPTH, a number too long for Python to convert. Syntax errors stay
    JSONDecodeError, for the caller to word."""
    if (depth := json_depth(text)) > MAX_DEPTH:
        raise InputError(name, f"JSON nested {depth} levels deep; the limit is {MAX_DEPTH}")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # int("9" * 5000) is refused since Python 3.11 (CVE-2020-10735)
        raise InputError(name, "a number in the JSON has more than "
                               f"{sys.get_int_max_str_digits():,} digits") from None
    except RecursionError:
        raise InputError(name, "JSON nested too deeply to read") from None


def _bad_json(e: json.JSONDecodeError, line: int | None = None) -> str:
    return f"invalid JSON at line {line or e.lineno}, column {e.colno}: {e.msg}"


def _json_items(text: str, name: str, lines: bool, skipped: list[str]) -> tuple[list[object], bool]:
    """The items of a JSON or JSON Lines document, and whether it is a collection.

    A bad line of JSON Lines costs only that line: its reason goes to `skipped`.
    """
    if not lines:
        try:
            doc = load_json(text, name)
        except json.JSONDecodeError as e:
            bad: list[str] = []
            items = _json_items(text, name, True, bad)[0]
            if items and not bad:
                return items, True  # JSON Lines saved as .json
            raise InputError(name, _bad_json(e)) from None
        if isinstance(doc, dict) and isinstance(doc.get("articles"), list):
            return doc["articles"], True
        return (doc, True) if isinstance(doc, list) else ([doc], False)
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                items.append(load_json(line, name))
            except json.JSONDecodeError as e:
                skipped.append(_bad_json(e, n))
            except InputError as e:
                skipped.append(f"line {n}: {e.reason}")
    return items, True


def _first_str(item: dict[str, object], *keys: str) -> str:
    return next((v for k in keys if isinstance(v := item.get(k), str) and v.strip()), "")


def _json_articles(text: str, name: str, published: date | None, lines: bool,
                   skipped: list[str]) -> list[Article]:
    items, many = _json_items(text, name, lines, skipped)
    base, out = os.path.basename(name), []
    for i, item in enumerate(items, 1):
        body = _first_str(item, "text", "body", "content") if isinstance(item, dict) else ""
        if not body:
            continue
        if _TAGGED.search(body):
            body = html_text(body)
        own = parse_date(_first_str(item, "date", "published", "published_at", "datetime",
                                    "datePublished", "pubDate"))
        title = " ".join(_first_str(item, "title", "headline").split())
        try:
            out.append(_article(f"{base}#{i}" if many else base, title, body, own, "json",
                                _first_str(item, "url", "link"), name, published))
        except InputError as e:
            skipped.append(f"item {i}: {e.reason}")
    if not out and skipped:
        raise InputError(name, skipped[0])
    if not out:
        raise InputError(name, 'no article text found; expected {"text": ...}, a list of '
                               'such objects, {"articles": [...]} or JSON Lines')
    return out


# ---------------------------------------------------------------- RSS / Atom

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


_TAG = re.compile(r"<(/?)[A-Za-z_][^<>]*?(/?)>")


def _xml_depth(text: str) -> int:
    """How deeply the elements nest, counted over the tags without parsing: a feed nested
    deeper than MAX_DEPTH is refused before a parser recurses into it."""
    depth = deepest = 0
    for m in _TAG.finditer(text):
        if m[1]:
            depth -= 1
        elif not m[2]:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _feed_articles(text: str, name: str, published: date | None, skipped: list[str],
                   english_only: bool = True) -> list[Article]:
    """Every entry of an RSS 0.9x-2.0, RDF or Atom feed (feedparser), with its link, date and
    text (its content, else its summary)."""
    import feedparser

    if re.match(r"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!doctype html|<html)", text, re.I):
        return [_html_article(text, name, published, english_only)]  # a page saved as .xml
    if _xml_depth(text) > MAX_DEPTH:
        raise InputError(name, f"XML nested more than {MAX_DEPTH} elements deep")
    feed = feedparser.parse(text, sanitize_html=True, resolve_relative_uris=False)
    if not feed.entries:
        if feed.get("bozo"):
            raise InputError(name, f"malformed XML: {feed.bozo_exception}")
        raise InputError(name, "no RSS <item> or Atom <entry> found")
    base, out = os.path.basename(name), []
    for i, entry in enumerate(feed.entries, 1):
        html = next((c.get("value") for c in entry.get("content", []) if c.get("value")), None) \
            or entry.get("summary", "")
        title = " ".join(entry.get("title", "").split())
        body = (html_text(html) if html.strip() else "") or title  # a headline and a link: the headline
        if not body:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        own = _safe_date(*stamp[:3]) if stamp else None
        try:
            if english_only:
                _check_english(body, name)
            out.append(_article(f"{base}#{i}", title, body, own, "feed", entry.get("link"), name, published))
        except InputError as e:
            skipped.append(f"item {i}: {e.reason}")
    if not out:
        if feed.get("bozo") and not skipped:
            raise InputError(name, f"malformed XML: {feed.bozo_exception}")
        raise InputError(name, skipped[0] if skipped else "no article text found in the feed's items")
    return out


# ---------------------------------------------------------------- files

_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\v\f\r")


def _too_big(name: str, size: int) -> InputError:
    return InputError(name, f"file is {size / 2**20:.1f} MB; the limit is {MAX_BYTES / 2**20:g} MB")


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (BOM stripped), UTF-16 with a BOM, else Windows-1252; rejects binary files."""
    if len(raw) > MAX_BYTES:
        raise _too_big(name, len(raw))
    if not raw:
        raise InputError(name, "empty file")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(name, "cannot decode the UTF-16 text") from None
    else:
        sample = raw[:65536]
        controls = len(sample) - len(sample.translate(None, _CONTROLS))
        if b"\x00" in raw or controls > len(sample) / 10:
            raise InputError(name, "binary file, not text")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # a few broken bytes in UTF-8, or a Windows-1252 file?
            text = raw.decode("utf-8-sig", "replace")
            bad = text.count("\ufffd")
            if sum(ord(c) > 127 for c in text) - bad < 4 * bad:
                text = raw.decode("cp1252", "replace")
    if not text.strip():
        raise InputError(name, "empty file (only whitespace)")
    if text.count("\ufffd") > len(text) / 2:
        raise InputError(name, "not readable as UTF-8, UTF-16 or Windows-1252 text")
    return text


def _check_ext(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext and ext not in EXTENSIONS:
        raise InputError(name, f"unsupported file type {ext}; {_USE}")
    return ext


def parse_article(raw: bytes, name: str, *, published: date | None = None,
                  errors: list[InputError] | None = None, english_only: bool = True) -> list[Article]:
    """The articles in one file's bytes; `name` (a path or file name) picks the format by
    extension or, failing that, by content. Raises InputError for anything unreadable.

    A file of several articles (JSON Lines, a JSON list, a feed) keeps its good ones when
    some are bad: one InputError saying what was left out goes to `errors` when given,
    else is raised. ``english_only``: a web page or feed item in another language is an
    InputError naming the language (the extractor reads English).
    """
    name = str(name)
    ext = _check_ext(name)
    text = _decode(raw, name)
    head = text.lstrip()[:20].lower()
    skipped: list[str] = []
    if ext in HTML_EXTS or not ext and head.startswith(("<!doctype html", "<html")):
        return [_html_article(text, name, published, english_only)]
    if ext in FEED_EXTS or ext not in JSON_EXTS and head.startswith(("<?xml", "<rss", "<feed",
                                                                     "<rdf:rdf")):
        found = _feed_articles(text, name, published, skipped, english_only)
    elif ext in JSON_EXTS or not ext and head.startswith(("{", "[")):
        found = _json_articles(text, name, published, ext == ".jsonl", skipped)
    else:
        return [_text_article(text, name, published)]
    if skipped:
        more = f" (and {len(skipped) - 1} more)" if len(skipped) > 1 else ""
        err = InputError(name, f"{skipped[0]}{more}; read its other {len(found)} article"
                               f"{'s' * (len(found) != 1)}")
        if errors is None:
            raise err
        errors.append(err)
    return found


_NOT_ARTICLES = ("README", "LICENSE", "LICENCE", "CHANGELOG")


def _expand(path: Path, problems: list[InputError]) -> list[Path]:
    """A file as given, or a folder's article files, recursively, sorted.

    Every other file of a folder gets a line in `problems`, except hidden files and the
    folder's own notes (README, LICENSE...), which are not meant as inputs.
    """
    if path.is_dir():
        found = []
        for folder, dirs, files in os.walk(path, onerror=lambda e: problems.append(
                InputError(e.filename, f"cannot read this folder: {e.strerror}"))):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for f in files:
                ext = os.path.splitext(f)[1].lower()
                if f.startswith(".") or f.upper().startswith(_NOT_ARTICLES):
                    continue
                if ext in EXTENSIONS:
                    found.append(Path(folder, f))
                else:
                    problems.append(InputError(str(Path(folder, f)), "not an article file ("
                                               f"{ext or 'no extension'}); {_USE}"))
        if not found and not problems:
            raise InputError(str(path), f"no article files in this folder; {_USE}")
        problems.sort(key=lambda e: e.path)
        return sorted(found)
    if path.exists():
        _check_ext(str(path))
        return [path]
    raise InputError(str(path), "no such file or folder")


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a folder"))


def _not_regular(name: str, mode: int) -> InputError:
    kind = next((k for test, k in _KINDS if test(mode)), "a special file")
    return InputError(name, f"{kind}, not a regular file")


def _read_bytes(name: str) -> bytes:
    """A regular file's bytes, at most MAX_BYTES. Anything else is refused before it is
    opened: a FIFO blocks forever, a device (a link to /dev/zero) never ends. Opened
    non-blocking and checked again, in case it was swapped meanwhile; the read is bounded
    whatever stat said (files under /proc say 0)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        if not stat.S_ISREG((st := os.stat(name)).st_mode):
            raise _not_regular(name, st.st_mode)
        if st.st_size > MAX_BYTES:
            raise _too_big(name, st.st_size)
        with open(os.open(name, flags), "rb") as f:
            if not stat.S_ISREG(mode := os.fstat(f.fileno()).st_mode):
                raise _not_regular(name, mode)
            raw = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise InputError(name, f"cannot read: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise InputError(name, f"file is over the limit of {MAX_BYTES / 2**20:g} MB")
    return raw


def read_articles(paths: Iterable[str | os.PathLike[str]], *, published: date | None = None,
                  errors: list[GeoError] | None = None) -> Iterator[Article]:
    """Every article in `paths` (files, or folders expanded recursively in sorted order).

    `published` dates the articles that carry no date of their own. A bad file never
    stops the others: its InputError goes to `errors` when given, else is raised. With
    `errors`, a bug met on one file does not stop the others either: it goes there as
    an InternalError.
    """
    if isinstance(paths, (str, os.PathLike)):  # one path, not an iterable of characters
        paths = [paths]
    for path in paths:
        for file in article_files([path], errors):
            yield from read_file(file, published=published, errors=errors)


def article_files(paths: Iterable[str | os.PathLike[str]], errors: list[GeoError] | None = None) -> list[str]:
    """The article files `paths` name, folders expanded recursively in sorted order; what is
    not an article file (or not there) goes to `errors` when given, else is raised."""
    out: list[str] = []
    for path in paths:
        problems: list[InputError] = []
        try:
            files = _expand(Path(path), problems)
        except InputError as e:
            problems.append(e)
            files = []
        if problems:
            if errors is None:
                raise problems[0]
            errors.extend(problems)
        out.extend(map(str, files))
    return out


def read_file(file: str, *, published: date | None = None,
              errors: list[GeoError] | None = None) -> list[Article]:
    """The articles of one file (see :func:`read_articles` for `published` and `errors`)."""
    try:
        return parse_article(_read_bytes(file), file, published=published, errors=errors)
    except InputError as e:
        if errors is None:
            raise
        errors.append(e)
    except Exception as e:  # a bug, not the file's fault: name the file, go on
        if errors is None:
            raise
        errors.append(InternalError(file, e))
    return []
