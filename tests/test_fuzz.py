"""Fuzzing reading, places and events: whatever the input, only InputError may come out.

Bounded (max_examples, no deadline) to stay well under a minute on two cores; the long run
is ``python bench/fuzz.py``. The shapes that used to crash a run are explicit examples.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.articles import parse_article
from geo.errors import InputError
from geo.events import events_from_articles
from geo.places import find_places

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
EXTS = [".txt", ".md", ".html", ".json", ".jsonl", ".xml", ""]
# Pieces of every format and of dates, so random joins reach past the first checks.
PIECES = ["Date: ", "Published: ", "9999-12-31", "0001-01-01", "Fri, 31 Dec 9999 23:00:00 +0000",
          "Mon, 01 Jan 0001 00:00:00 +0000", "2024-01-19", "\n", "\n\n", "tomorrow", "next year",
          "last month", "yesterday", "on Monday", "3 days ago", "since November", "Kabul",
          "Gaza", "Khan Younis", "Russian troops attacked", "met officials in", "killing 12",
          "KYIV, March 3 (Reuters) -", ".", "{", "}", "[", "]", '"text": ', '"', ",", ":", "\\",
          "9" * 50, "<p>", "</p>", "<b>", "<article>", "<script type=\"application/ld+json\">",
          "</script>", "<rss><channel><item><description>", "</description></item></channel></rss>",
          "&lt;b&gt;", "<![CDATA[", "]]>", "<?xml version='1.0'?>", "\x00", "\ufeff", "\ud800"]
pieces = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=60).map("".join)
KABUL = "Date: 2024-03-05\n\nRussian troops shelled Kharkiv on Monday, killing three people.\n"
SHAPES = [  # (file name, bytes): the inputs of issue 9 that ended a run with a traceback
    ("deep.json", b"[" * 1000 + b"]" * 1000),
    ("deep-item.json", b'{"text": "Shelling hit Kabul.", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("deep-ld.html", b'<html><script type="application/ld+json">' + b"[" * 100000
     + b"</script><p>Troops attacked Kabul.</p></html>"),
    ("deep.xml", b"<rss><channel><item><description>" + b"<b>" * 5000 + b"Text in Kabul"
     + b"</b>" * 5000 + b"</description></item></channel></rss>"),
    ("bigint.json", b'{"text": "Shelling hit Kabul.", "n": ' + b"9" * 5000 + b"}"),
    ("bad-line.jsonl", b'{"text": "Shelling hit Kabul."}\n{bad\n{"text": "Troops attacked Herat."}\n'),
    ("year9999.txt", b"Date: Fri, 31 Dec 9999 10:00:00 +0000\n\nShelling hit Kabul tomorrow. "
     b"Next year troops will attack Herat. Last month the army bombed Kandahar.\n"),
    ("year0001.txt", b"Date: Mon, 01 Jan 0001 00:00:00 +0000\n\nShelling hit Kabul yesterday, "
     b"last month and last year.\n"),
    ("utf16.txt", "\ufeffShelling hit Kabul on Monday.".encode("utf-16-le")),
]


def read(raw: bytes, name: str, published: date | None = None):
    """parse_article's articles, or [] for an InputError (the one error allowed)."""
    try:
        return parse_article(raw, name, published=published)
    except InputError as err:
        assert "\n" not in str(err)  # one line, whatever the file held
        return []


def with_examples(shapes):
    def decorate(test):
        for name, raw in shapes:
            test = example(raw=raw, name=name)(test)
        return test
    return decorate


@FUZZ
@with_examples(SHAPES)
@given(raw=st.binary(max_size=3000) | pieces.map(lambda t: t.encode("utf-8", "surrogatepass")),
       name=st.sampled_from(EXTS).map(lambda ext: f"fuzz{ext}"))
def test_reading_raises_only_input_errors(raw, name):
    for article in read(raw, name):
        assert isinstance(article.text, str) and article.text
        assert article.published is None or 1900 <= article.published.year <= 2100


@FUZZ
@example(text="\ud800 Kabul \x00 " + "Gaza " * 300)
@given(text=st.text(max_size=2000) | pieces)
def test_places_never_raise(text, gazetteer):
    for m in find_places(text, gazetteer, "fuzz.txt"):
        assert text[m.start:m.end] == m.text


@FUZZ
@with_examples(SHAPES + [("kabul.txt", KABUL.encode())])
@given(raw=pieces.map(lambda t: t.encode("utf-8", "surrogatepass")),
       name=st.sampled_from(EXTS).map(lambda ext: f"fuzz{ext}"))
def test_events_from_whatever_is_read(raw, name, gazetteer):
    articles = read(raw, name)
    for event in events_from_articles(articles, gazetteer):
        assert event.sources and event.type


@FUZZ
@example(text="Shelling hit Kabul tomorrow, next year and last month.", published=date(2100, 12, 31))
@example(text="Troops attacked Herat yesterday and last year.", published=date(1900, 1, 1))
@given(text=pieces, published=st.dates(date(1900, 1, 1), date(2100, 12, 31)) | st.none())
def test_events_over_any_text_and_date(text, published, gazetteer):
    articles = read(text.encode("utf-8", "surrogatepass"), "fuzz.txt", published)  # as --date
    events_from_articles(articles, gazetteer)
