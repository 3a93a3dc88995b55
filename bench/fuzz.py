"""A long fuzz run over reading, places and events: only InputError may come out.

Usage:  python bench/fuzz.py [--inputs N] [--seed S] [--keep DIR]

Generates N inputs (default 10,000) from structured shapes, not only random bytes: text
articles with Date headers in odd years (0001, 9999, two-digit, RFC 822) and relative
dates, JSON and JSON Lines nested deep or holding 5,000-digit numbers and bad lines, HTML
with deep markup and ld+json, RSS/Atom with nested descriptions, events files for
``geo.store.read_events``, random bytes, and byte-level mutations of all of these. Each
goes through ``geo.articles.parse_article``, then every article through
``geo.places.find_places`` and ``geo.events.events_from_articles``; events files through
``read_events``. Prints how many inputs, InputErrors and unexpected exceptions (should be
0) and the time taken; exits 1 when there was any unexpected exception, after writing each
such input to --keep (default: a new temporary folder) so it can be replayed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's geo, whatever else is installed

from geo.articles import parse_article  # noqa: E402
from geo.errors import InputError  # noqa: E402
from geo.events import events_from_articles  # noqa: E402
from geo.gazetteer import load_gazetteer  # noqa: E402
from geo.places import find_places  # noqa: E402
from geo.store import CSV_COLUMNS, read_events  # noqa: E402

PLACES = ["Kabul", "Kandahar", "Gaza", "Khan Younis", "Kyiv", "Kharkiv", "Sana'a", "Aden",
          "Tehran", "Islamabad", "Peshawar", "Damascus", "Aleppo", "Mosul", "Baghdad", "Goma",
          "Khartoum", "Darfur", "the Red Sea", "Iran", "Pakistan", "Ukraine", "Russia", "Paris"]
ACTORS = ["Israeli forces", "Hamas", "Russian troops", "the Houthis", "Pakistani police",
          "the Taliban", "protesters", "the United Nations", "Iran's foreign minister", "M23"]
VERBS = ["attacked", "shelled", "bombed", "met officials in", "protested in", "clashed with",
         "fired a missile at", "signed a deal in", "called for calm in", "travelled to"]
WHEN = ["on Monday", "yesterday", "tomorrow", "last month", "next year", "last year",
        "three days ago", "since November", "on March 3", "in 2023", "on Jan. 18, 2024",
        "next week", "this morning", "late 1999", "on 29 February", "earlier this year"]
DATES = ["2024-01-19", "0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "1900-01-01",
         "Fri, 31 Dec 9999 23:59:59 +0000", "Mon, 01 Jan 0001 00:00:00 +0000",
         "Mon, 01 Jan 01 00:00:00", "Sat, 29 Feb 2020 10:00:00 GMT", "January 19, 2024",
         "19 Jan 2024", "2024-02-30", "99999-01-01", "Tue, 32 Jan 2024 00:00:00", "", "x"]
EXTS = [".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".xml", ".rss", ".atom", ""]
EVENTS_EXTS = [".geojson", ".json", ".csv"]


def sentence(r: random.Random) -> str:
    s = f"{r.choice(ACTORS)} {r.choice(VERBS)} {r.choice(PLACES)} {r.choice(WHEN)}"
    if r.random() < 0.3:
        s += f", killing {r.choice(['at least 12', 'three', 'nobody', '9' * r.randint(1, 30)])}"
    if r.random() < 0.1:
        s += " and " + " and ".join(r.choice(PLACES) for _ in range(r.randint(1, 50)))
    return s + r.choice([".", ".", "!", "", " —", "..."])


def body(r: random.Random) -> str:
    parts = [sentence(r) for _ in range(r.randint(0, 12))]
    if r.random() < 0.2:
        parts.insert(0, f"{r.choice(PLACES).upper()}, March {r.randint(0, 40)} (Wire) -")
    if r.random() < 0.1:
        parts.append("".join(chr(r.randint(0, 0x2FFF)) for _ in range(r.randint(1, 200))))
    return (r.choice([" ", "\n", "\n\n", "\r\n"])).join(parts)


def nest(r: random.Random, depth: int, leaf: object) -> object:
    for _ in range(depth):
        leaf = [leaf] if r.random() < 0.5 else {"k": leaf}
    return leaf


def text_article(r: random.Random) -> tuple[str, str]:
    head = "".join(f"{r.choice(['Date', 'Published', 'date', 'Title', 'URL'])}: {r.choice(DATES)}\n"
                   for _ in range(r.randint(0, 3)))
    return r.choice([".txt", ".md", ""]), head + r.choice(["", "\n", "---\n"]) + body(r)


def json_article(r: random.Random) -> tuple[str, str]:
    item = {r.choice(["text", "body", "content"]): body(r), "date": r.choice(DATES),
            "title": sentence(r)}
    shape = r.randint(0, 5)
    if shape == 0:
        doc: object = item
    elif shape == 1:
        doc = [item, item]
    elif shape == 2:
        doc = {"articles": [item, nest(r, r.choice([1, 99, 100, 101, 1000]), item)]}
    elif shape == 3:  # written out: Python itself will not turn 5,000 digits into text
        return ".json", json.dumps(item)[:-1] + ', "n": ' + "9" * r.choice([10, 4300, 5000]) + "}"
    elif shape == 4:  # JSON Lines with a bad line
        lines = [json.dumps(item), "{bad", json.dumps(item), "[" * r.randint(1, 2000)]
        r.shuffle(lines)
        return ".jsonl", "\n".join(lines)
    else:
        doc = nest(r, r.choice([10, 500, 1000, 5000]), item)
    try:
        return r.choice([".json", ".jsonl", ""]), json.dumps(doc)
    except (ValueError, RecursionError):  # our own generator's limits, not the library's
        return ".json", "[" * 5000 + "]" * 5000


def markup(r: random.Random, depth: int) -> str:
    tags = ["p", "div", "b", "span", "article", "main", "section", "a", "i", "table", "td",
            "li", "ul", "br", "font", "em"]
    hidden = ["script", "style", "template", "svg", "title", "aside"]  # their text is dropped
    opened = [r.choice(hidden if r.random() < 0.002 else tags) for _ in range(depth)]
    attrs = r.choice(["", ' class="related"', ' class="story"', " id=x", ' itemprop="datePublished"'])
    inner = "".join(f"<{t}{attrs}>" for t in opened) + body(r)
    return inner + "".join(f"</{t}>" for t in reversed(opened) if r.random() < 0.9)


def html_article(r: random.Random) -> tuple[str, str]:
    ld = json.dumps({"@type": "NewsArticle", "datePublished": r.choice(DATES)})
    if r.random() < 0.3:
        ld = "[" * r.choice([99, 1000, 100000]) + "]" * r.choice([0, 1000])
    elif r.random() < 0.2:
        ld = '{"n": ' + "9" * 5000 + "}"
    page = (f'<!DOCTYPE html><html><head><meta property="article:published_time" '
            f'content="{r.choice(DATES)}"><script type="application/ld+json">{ld}</script></head>'
            f"<body>{markup(r, r.choice([0, 3, 50, 1000, 20000]))}</body></html>")
    return r.choice([".html", ".htm", ""]), page


def feed_article(r: random.Random) -> tuple[str, str]:
    depth = r.choice([0, 2, 99, 101, 1000, 5000])
    desc = "<b>" * depth + body(r).replace("&", "&amp;").replace("<", "&lt;") + "</b>" * depth
    if r.random() < 0.3:
        desc = "&lt;p&gt;" * depth + body(r).replace("&", "&amp;").replace("<", "&lt;")
    if r.random() < 0.2:
        desc = f"<![CDATA[{markup(r, depth)}]]>"
    if r.random() < 0.5:
        item = (f"<item><title>{sentence(r)}</title><pubDate>{r.choice(DATES)}</pubDate>"
                f"<description>{desc}</description></item>")
        feed = f"<?xml version='1.0'?><rss><channel>{item * 2}</channel></rss>"
        return r.choice([".xml", ".rss", ""]), feed
    entry = (f"<entry><title>{sentence(r)}</title><updated>{r.choice(DATES)}</updated>"
             f"<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>{desc}</div></content></entry>")
    return ".atom", f"<feed xmlns='http://www.w3.org/2005/Atom'>{entry}</feed>"


def random_bytes(r: random.Random) -> tuple[str, bytes]:
    raw = bytes(r.randint(0, 255) for _ in range(r.randint(0, 3000)))
    prefix = r.choice([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"{", b"<rss>", b"Date: "])
    return r.choice(EXTS), prefix + raw


def mutate(r: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(r.randint(1, 20)):
        at = r.randint(0, len(data))
        op = r.random()
        if op < 0.4 and data:
            data[min(at, len(data) - 1)] = r.randint(0, 255)
        elif op < 0.7:
            data[at:at] = r.choice([b"<", b"[", b"{", b"\x00", b"\xff", b"&#", b"\n", b"]]>",
                                    b"\"", b"\\", b"9" * 5000, b"Date: 9999-12-31\n"])
        else:
            del data[at:at + r.randint(1, 50)]
    return bytes(data)


def odd(r: random.Random, good: object, *bad: object) -> object:
    """Mostly `good`, sometimes one of `bad`: so that files get past their first check."""
    return r.choice(bad) if r.random() < 0.15 else good


def events_file(r: random.Random) -> tuple[str, bytes]:
    """An events file as extract writes it (GeoJSON or CSV), with some values made hostile."""
    props = {"id": "e1", "type": odd(r, "strike", "nope"), "date_precision": "day",
             "date": odd(r, "2024-01-19", "0001-01-01", "9999-12-31", None, "2024-02-30"),
             "actors": odd(r, ["Hamas"], "x", [1], []), "targets": [], "place": "Kabul",
             "fatalities": odd(r, 3, None, -1, 10**30, "x"), "summary": odd(r, "s", "=1+2", "{{ 7*7 }}"),
             "sources": odd(r, [{"article": "a", "sentence": "s", "start": 0, "end": 1}], [{"article": "a"}])}
    if r.random() < 0.5:
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [69.2, 34.5]},
                   "properties": props}
        doc = {"type": "FeatureCollection", "features": [nest(r, odd(r, 0, 200, 2), feature)]}
        return r.choice([".geojson", ".json"]), json.dumps(doc).encode()
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(event_id="e1", event_date=odd(r, "2024-01-19", "0001-01-01", "", "x"),
               type=props["type"], date_precision="day",
               actors=odd(r, '["Hamas"]', "[" * 2000, "[" + "9" * 5000 + "]", "x"),
               targets="[]", location="Kabul", latitude=odd(r, "34.5", "nan", "1e400", ""),
               longitude="69.2", fatalities=odd(r, "3", "", "9" * 5000, "-1", "1e400"),
               notes=odd(r, "s", "=cmd|' /C calc'!A0", "two\nlines"),
               sources=odd(r, "[]", '[{"article": "a"}]'), place_precision="point")
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS)
    writer.writeheader()
    writer.writerow(row)
    return ".csv", out.getvalue().encode()


SHAPES = [text_article, json_article, html_article, feed_article]


def generate(r: random.Random) -> tuple[str, bytes, str]:
    """(extension, bytes, kind): kind 'events' goes to read_events, else to parse_article."""
    pick = r.random()
    if pick < 0.1:
        ext, raw = random_bytes(r)
        return ext, raw, "article"
    if pick < 0.2:
        ext, raw = events_file(r)
        return ext, (mutate(r, raw) if r.random() < 0.3 else raw), "events"
    ext, text = r.choice(SHAPES)(r)
    raw = text.encode(r.choice(["utf-8", "utf-8", "utf-8", "utf-16", "cp1252"]), "replace")
    if r.random() < 0.3:
        raw = mutate(r, raw)
    return (r.choice(EXTS) if r.random() < 0.1 else ext), raw, "article"


def run_one(ext: str, raw: bytes, kind: str, gaz, folder: Path) -> tuple[int, int, int]:
    """Everything a user's file goes through: (articles, place mentions, events); raises
    what escapes."""
    if kind == "events":
        path = folder / f"events{ext}"
        path.write_bytes(raw)
        return 0, 0, len(read_events(str(path)))
    articles = parse_article(raw, f"fuzz{ext}")
    mentions = sum(len(find_places(article.text, gaz, article.id)) for article in articles)
    return len(articles), mentions, len(events_from_articles(articles, gaz))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--keep", type=Path, help="folder for inputs that raised something unexpected")
    args = ap.parse_args()

    gaz = load_gazetteer()
    r = random.Random(args.seed)
    counts: Counter[str] = Counter()
    unexpected: Counter[str] = Counter()
    keep = args.keep
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        for n in range(args.inputs):
            ext, raw, kind = generate(r)
            try:
                found = run_one(ext, raw, kind, gaz, Path(work))
                counts.update(dict(zip(("articles", "mentions", "events"), found), ok=1))
            except InputError:
                counts["InputError"] += 1
            except Exception as exc:  # what the run is looking for
                where = traceback.extract_tb(exc.__traceback__)[-1]
                key = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
                unexpected[key] += 1
                keep = keep or Path(tempfile.mkdtemp(prefix="conflictmap-fuzz-"))
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"{n:05d}-{kind}{ext or '.noext'}").write_bytes(raw)
    secs = time.perf_counter() - started
    print(f"inputs: {args.inputs:,} (seed {args.seed})")
    print(f"read without error: {counts['ok']:,} ({counts['articles']:,} articles, "
          f"{counts['mentions']:,} place mentions, {counts['events']:,} events)")
    print(f"InputErrors: {counts['InputError']:,}")
    print(f"unexpected exceptions: {sum(unexpected.values()):,}")
    for key, count in unexpected.most_common():
        print(f"  {count:>5}  {key}")
    if unexpected:
        print(f"  inputs kept in {keep}")
    print(f"time: {secs:.1f} s ({secs / args.inputs * 1000:.1f} ms per input)")
    return 1 if unexpected else 0


if __name__ == "__main__":
    raise SystemExit(main())
