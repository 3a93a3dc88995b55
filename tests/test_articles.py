"""Files → Article records: formats, dates and their sources, and bad input."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from geo import articles
from geo.articles import Article, parse_article, read_articles
from geo.errors import InputError

SHARED = Path(__file__).resolve().parents[2] / "shared"

BODY = "Officials reported heavy shelling near the river crossing overnight.\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def one(path: Path, **kw) -> Article:
    (art,) = read_articles([path], **kw)
    return art


# ---------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (" date 2024-01-19 By Staff Writer\n\n", date(2024, 1, 19)),
        ("date: 2024-01-19\n", date(2024, 1, 19)),
        ("Date: January 19, 2024\n", date(2024, 1, 19)),
        ("title: Border talks\npublished: 2023-11-02T07:30:00Z\nsource: Wire\n\n",
         date(2023, 11, 2)),
        ("Published: Fri, 19 Jan 2024 08:00:00 GMT\n", date(2024, 1, 19)),
    ],
)
def test_header_dates(tmp_path, head, expected):
    art = one(write(tmp_path, "a.txt", head + BODY))
    assert (art.published, art.date_source) == (expected, "header")


def test_text_is_the_file_exactly(tmp_path):
    content = "\ufeffdate: 2024-01-19\r\n\r\n  Two villages were hit.  \r\n\n\n"
    path = write(tmp_path, "crlf.txt", content)
    art = one(path)
    assert art.text == content.removeprefix("\ufeff")
    assert art.text.index("villages") == content.removeprefix("\ufeff").index("villages")
    assert (art.id, art.path, art.url) == ("crlf.txt", str(path), None)


def test_header_title_and_url(tmp_path):
    art = one(write(tmp_path, "a.txt", "Title: Ceasefire holds\nURL: https://example.org/x\n\n"
                                      + BODY))
    assert (art.title, art.url) == ("Ceasefire holds", "https://example.org/x")


def test_markdown_heading_is_title(tmp_path):
    art = one(write(tmp_path, "n.md", "# Shelling near the crossing\n\n" + BODY))
    assert art.title == "Shelling near the crossing"
    assert art.text.startswith("# Shelling")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # no year and no --date: the year that puts it nearest a full date in the text
        ("QUETTA, Jan 19 (Reuters) - Talks resumed after the March 2 2023 accord.",
         date(2023, 1, 19)),
        ("RAFAH, Oct. 9, 2023 (AP) — Crowds gathered at the gate.", date(2023, 10, 9)),
        ("KHAN YOUNIS, Gaza Strip, Nov 2, 2023 (AP) — Strikes continued.", date(2023, 11, 2)),
    ],
)
def test_dateline(tmp_path, body, expected):
    art = one(write(tmp_path, "w.txt", "Some teaser line.\n\n" + body + "\n"))
    assert (art.published, art.date_source) == (expected, "dateline")


def test_dateline_without_year_uses_the_date_option(tmp_path):
    path = write(tmp_path, "w.txt", "LVIV, March 3 (Reuters) - Sirens sounded twice.\n")
    art = one(path, published=date(2022, 3, 5))
    assert (art.published, art.date_source) == (date(2022, 3, 3), "dateline")
    # near a year boundary the dateline belongs to the previous year
    art = one(path, published=date(2023, 1, 2))
    assert art.published == date(2023, 3, 3)
    art = one(write(tmp_path, "x.txt", "LVIV, Dec 31 (Reuters) - Quiet night.\n"),
              published=date(2024, 1, 2))
    assert art.published == date(2023, 12, 31)


def test_dateline_without_any_year_has_no_date(tmp_path):
    art = one(write(tmp_path, "w.txt", "KYIV, March 3 (Reuters) - Sirens sounded twice.\n"))
    assert (art.published, art.date_source) == (None, "none")


def test_header_beats_dateline(tmp_path):
    art = one(write(tmp_path, "w.txt", "date: 2024-01-20\n\nKYIV, Jan 19 (Reuters) - Quiet.\n"))
    assert (art.published, art.date_source) == (date(2024, 1, 20), "header")


def test_option_then_text_then_none(tmp_path):
    path = write(tmp_path, "t.txt", "The photo was taken on Sept. 4, 2023 near the port.\n")
    assert (one(path).published, one(path).date_source) == (date(2023, 9, 4), "text")
    art = one(path, published=date(2023, 9, 6))
    assert (art.published, art.date_source) == (date(2023, 9, 6), "option")
    bare = one(write(tmp_path, "u.txt", "Fighting may resume on Friday.\n"))
    assert (bare.published, bare.date_source) == (None, "none")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("January 18 2024", date(2024, 1, 18)),
        ("18 January 2024", date(2024, 1, 18)),
        ("Jan. 18, 2024", date(2024, 1, 18)),
        ("2024-01-18", date(2024, 1, 18)),
        ("the 3rd of Sept 2023", date(2023, 9, 3)),
    ],
)
def test_text_date_forms(tmp_path, phrase, expected):
    art = one(write(tmp_path, "t.txt", f"A picture taken on {phrase} shows the ruins.\n"))
    assert (art.published, art.date_source) == (expected, "text")


def test_windows_1252_file_is_read(tmp_path):
    raw = "date: 2024-01-19\n\n\u201cWe will rebuild,\u201d the mayor said \u2013 again.\n"
    art = one(write(tmp_path, "cp.txt", raw.encode("cp1252")))
    assert art.text == raw and art.published == date(2024, 1, 19)


def test_utf16_file_is_read(tmp_path):
    raw = "date: 2024-01-19\n\nThe mayor spoke in Kharkiv.\n"
    art = one(write(tmp_path, "u16.txt", raw.encode("utf-16")))
    assert art.text == raw


# ---------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="Drone strike on depot">
<meta property="article:published_time" content="2024-02-03T09:15:00+02:00">
<link rel="canonical" href="https://news.example/depot">
<script>var tracking = "SECRET_SCRIPT_TEXT";</script>
<style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World NAVLINK</a></nav>
<header>Site banner</header>
<article>
  <h1>Drone strike on depot</h1>
  <p>A fuel depot   burned for
     hours &amp; smoke rose.</p>
  <figure><img src="x.jpg"><figcaption>The depot at dawn.</figcaption></figure>
  <p>Two workers were hurt.<br>Nobody else.</p>
  <aside>Read more ASIDE</aside>
</article>
<footer>Copyright FOOTER</footer>
</body></html>"""


def test_html_page(tmp_path):
    art = one(write(tmp_path, "depot.html", PAGE))
    assert art.title == "Drone strike on depot"
    assert (art.published, art.date_source) == (date(2024, 2, 3), "html-meta")
    assert art.url == "https://news.example/depot"
    assert art.text == ("Drone strike on depot\n\nA fuel depot burned for hours & smoke rose."
                        "\n\nTwo workers were hurt.\n\nNobody else.")  # a photo's caption is no story
    for gone in ("SECRET_SCRIPT_TEXT", "NAVLINK", "ASIDE", "FOOTER", "banner", "color"):
        assert gone not in art.text


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="date" content="2024-02-03">',
        '<meta itemprop="datePublished" content="2024-02-03">',
        '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
        '"datePublished": "2024-02-03T10:00:00Z"}]}</script>',
        "</head><body><time datetime='2024-02-03'>Saturday</time>",
    ],
)
def test_html_date_sources(tmp_path, meta):
    page = f"<html><head><title>T</title>{meta}</head><body><p>{BODY}</p></body></html>"
    art = one(write(tmp_path, "p.htm", page))
    assert (art.published, art.date_source) == (date(2024, 2, 3), "html-meta")
    assert art.title == "T" and art.text.endswith(BODY.strip())


def test_html_main_and_dateline(tmp_path):
    page = ("<html><body><div>menu</div><main><p>ODESA, May 6 (Reuters) - Port hit.</p>"
            "<p>Earlier, on 2 May 2023, cranes were moved.</p></main></body></html>")
    art = one(write(tmp_path, "m.html", page))
    assert art.text.startswith("ODESA, May 6 (Reuters) - Port hit.\n\nEarlier")
    assert "menu" not in art.text
    assert (art.published, art.date_source) == (date(2023, 5, 6), "dateline")


def test_malformed_html_does_not_crash(tmp_path):
    page = "<html><body><p>Shells fell <b>near <i>the market</p><div><p>Then &copy; quiet"
    art = one(write(tmp_path, "bad.html", page))
    assert art.text == "Shells fell near the market\n\nThen \u00a9 quiet"


def test_html_without_text(tmp_path):
    path = write(tmp_path, "empty.html", "<html><body><script>x()</script><nav>a</nav></body>")
    with pytest.raises(InputError, match="no article text found"):
        one(path)


# ---------------------------------------------------------------- JSON


def test_json_object(tmp_path):
    doc = {"title": "Talks", "body": BODY, "published_at": "2024-03-01T08:00:00Z",
           "url": "https://example.org/t"}
    art = one(write(tmp_path, "t.json", json.dumps(doc)))
    assert art == Article("t.json", "Talks", BODY, date(2024, 3, 1), "json",
                          "https://example.org/t", str(tmp_path / "t.json"))


@pytest.mark.parametrize("shape", ["list", "articles", "jsonl", "lines-in-json"])
def test_json_collections(tmp_path, shape):
    items = [{"title": "A", "text": "First story.", "date": "2024-03-01"},
             {"title": "skip", "text": "   "},
             {"title": "C", "content": "Third story.", "datetime": "2024-03-03T23:00:00Z"}]
    if shape == "list":
        name, content = "c.json", json.dumps(items)
    elif shape == "articles":
        name, content = "c.json", json.dumps({"articles": items})
    else:
        name = "c.jsonl" if shape == "jsonl" else "c.json"
        content = "\n".join(json.dumps(i) for i in items) + "\n"
    arts = list(read_articles([write(tmp_path, name, content)]))
    assert [(a.id, a.title, a.text, a.published, a.date_source) for a in arts] == [
        (f"{name}#1", "A", "First story.", date(2024, 3, 1), "json"),
        (f"{name}#3", "C", "Third story.", date(2024, 3, 3), "json"),
    ]


def test_json_without_date_uses_option(tmp_path):
    art = one(write(tmp_path, "t.json", json.dumps({"text": BODY})), published=date(2024, 1, 2))
    assert (art.published, art.date_source) == (date(2024, 1, 2), "option")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '{"text": "x",\n  "date": }', r"invalid JSON at line 2, column 11"),
        ("bad.jsonl", '{"text": "x"}\n{"text": \n', r"invalid JSON at line 2"),
        ("none.json", '[{"title": "only a title"}]', "no article text found"),
    ],
)
def test_bad_json(tmp_path, name, content, message):
    with pytest.raises(InputError, match=message):
        one(write(tmp_path, name, content))


# ---------------------------------------------------------------- feeds

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Desk</title>
<item><title>Convoy stopped</title><link>https://example.org/1</link>
<pubDate>Tue, 16 Jan 2024 18:30:00 +0000</pubDate>
<description>&lt;p&gt;A convoy was &lt;b&gt;stopped&lt;/b&gt;.&lt;/p&gt;
&lt;p&gt;No injuries.&lt;/p&gt;</description>
</item>
<item><title>Bridge reopened</title><link>https://example.org/2</link>
<content:encoded><![CDATA[<p>The bridge reopened.</p><script>bad()</script>]]></content:encoded>
</item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
<entry><title>Port shelled</title>
<link rel="alternate" href="https://example.org/a"/><link rel="edit" href="https://x/e"/>
<published>2024-01-17T06:00:00Z</published><updated>2024-01-18T06:00:00Z</updated>
<summary>Short.</summary>
<content type="html">&lt;p&gt;The port was shelled.&lt;/p&gt;</content></entry>
<entry><title>Aid arrives</title><link href="https://example.org/b"/>
<updated>2024-01-18T06:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
<p>Trucks came.</p><p>More due.</p></div></content>
</entry></feed>"""


def test_rss(tmp_path):
    arts = list(read_articles([write(tmp_path, "desk.rss", RSS)], published=date(2024, 1, 20)))
    assert [(a.id, a.title, a.url, a.text, a.published, a.date_source) for a in arts] == [
        ("desk.rss#1", "Convoy stopped", "https://example.org/1",
         "A convoy was stopped.\n\nNo injuries.", date(2024, 1, 16), "feed"),
        ("desk.rss#2", "Bridge reopened", "https://example.org/2", "The bridge reopened.",
         date(2024, 1, 20), "option"),
    ]


def test_atom_sniffed_from_content(tmp_path):
    arts = list(read_articles([write(tmp_path, "desk.txt", ATOM)]))
    assert [(a.id, a.title, a.url, a.text, a.published, a.date_source) for a in arts] == [
        ("desk.txt#1", "Port shelled", "https://example.org/a", "The port was shelled.",
         date(2024, 1, 17), "feed"),
        ("desk.txt#2", "Aid arrives", "https://example.org/b", "Trucks came.\n\nMore due.",
         date(2024, 1, 18), "feed"),
    ]


def test_malformed_and_empty_feeds(tmp_path):
    with pytest.raises(InputError, match=r"malformed XML: .*mismatched tag"):
        one(write(tmp_path, "f.xml", "<rss><channel><item>\n</channel></rss>"))
    with pytest.raises(InputError, match=r"no RSS <item> or Atom <entry> found"):
        one(write(tmp_path, "g.xml", "<?xml version='1.0'?><catalog><book/></catalog>"))


# ---------------------------------------------------------------- bad input, folders


BAD = [
    ("empty.txt", b"", r"empty\.txt: empty file$"),
    ("blank.md", b" \n\t\r\n  ", r"empty file \(only whitespace\)"),
    ("blob.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"binary file, not text"),
    ("ctrl.txt", bytes(range(1, 9)) * 20 + b"text", r"binary file, not text"),
    ("report.pdf", b"%PDF-1.7", r"unsupported file type \.pdf; use \.txt, \.md, \.html, "
                                r"\.json, \.jsonl or an RSS/Atom \.xml"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD)
def test_bad_input_messages(tmp_path, name, content, message):
    with pytest.raises(InputError, match=message):
        one(write(tmp_path, name, content))


def test_too_large(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: costs no disk
        f.truncate(int(31.2 * 2**20))
    errs: list[InputError] = []
    assert list(read_articles([path], errors=errs)) == []
    assert [str(e) for e in errs] == [f"{path}: file is 31.2 MB; the limit is 20 MB"]
    assert articles.MAX_BYTES == 20 * 2**20
    with pytest.raises(InputError, match=r"file is 20\.5 MB; the limit is 20 MB"):
        parse_article(b"x" * int(20.5 * 2**20), "big.txt")


def test_bad_files_do_not_stop_the_others(tmp_path):
    good1 = write(tmp_path, "a.txt", "date: 2024-01-19\n" + BODY)
    bad = [write(tmp_path, name, content) for name, content, _ in BAD]
    good2 = write(tmp_path, "z.json", json.dumps({"text": BODY}))
    missing = tmp_path / "nowhere.txt"
    errs: list[InputError] = []
    arts = list(read_articles([good1, *bad, missing, good2], errors=errs))
    assert [a.id for a in arts] == ["a.txt", "z.json"]
    assert len(errs) == len(BAD) + 1
    for err, (name, _, message) in zip(errs, BAD, strict=False):
        assert err.path == str(tmp_path / name)
        assert re.search(message, str(err))
    assert str(errs[-1]) == f"{missing}: no such file or folder"
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_articles([missing]))


def test_folder_is_expanded_sorted_recursively(tmp_path):
    for name in ["b.txt", "a.md", "sub/c.html", "sub/deeper/d.json", ".hidden.txt",
                 ".git/e.txt", "notes.pdf", "zz/readme"]:
        content = ("<p>html text</p>" if name.endswith(".html") else
                   json.dumps({"text": "json text"}) if name.endswith(".json") else BODY)
        write(tmp_path, name, content)
    errs: list[InputError] = []
    arts = list(read_articles([tmp_path], errors=errs))
    assert [Path(a.path).relative_to(tmp_path).as_posix() for a in arts] == [
        "a.md", "b.txt", "sub/c.html", "sub/deeper/d.json"]
    # Hidden files and a folder's notes pass quietly; any other file is named.
    assert [str(e) for e in errs] == [f"{tmp_path / 'notes.pdf'}: not an article file (.pdf); "
                                      "use .txt, .md, .html, .json, .jsonl or an RSS/Atom .xml"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no article files in this folder"):
        list(read_articles([empty]))


def test_single_path_is_not_split_into_characters(tmp_path):
    path = write(tmp_path, "a.txt", BODY)
    assert [a.id for a in read_articles(str(path))] == ["a.txt"]


def test_parse_article_directly():
    (art,) = parse_article(b"date: 2024-01-19\n\nText.", "in/memory.md")
    assert (art.id, art.path, art.published) == ("memory.md", "in/memory.md", date(2024, 1, 19))


# ---------------------------------------------------------------- shared seeds


@pytest.mark.shared
def test_seed_files():
    seeds = SHARED / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/corpus/seeds is not beside the checkout")
    found = {a.id[:3]: a for a in read_articles([seeds])}
    assert (found["000"].published, found["000"].date_source) == (date(2024, 1, 18), "text")
    for key in ("002", "004"):
        assert (found[key].published, found[key].date_source) == (date(2024, 1, 19), "header")
    for art in found.values():
        assert art.text == Path(art.path).read_text(encoding="utf-8")


GERMAN = ("<html><head><title>Angriff</title></head><body><article><p>Bewaffnete Männer haben am "
          "Freitag einen Bus in der Stadt angegriffen und vier Menschen getötet, wie die Behörden "
          "mitteilten. Die Polizei sperrte die Straße, und die Verletzten wurden in ein Krankenhaus "
          "gebracht, während die Ermittlungen zu den Tätern weitergehen.</p></article></body></html>")


def test_a_page_in_another_language_is_skipped_and_its_language_named(tmp_path):
    with pytest.raises(InputError, match=r"de\.html: in German \(de\), not English: skipped"):
        one(write(tmp_path, "de.html", GERMAN))
    (art,) = parse_article(GERMAN.encode(), "de.html", english_only=False)  # read, when asked
    assert art.text.startswith("Bewaffnete Männer") and art.title == "Angriff"


RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>Desk</title></channel>
<item rdf:about="https://example.org/r1"><title>Depot hit</title><link>https://example.org/r1</link>
<dc:date>2024-02-05T07:00:00Z</dc:date><description>A depot was hit by drones.</description></item>
</rdf:RDF>"""

RSS091 = """<rss version="0.91"><channel><title>Desk</title>
<item><title>Talks held</title><link>https://example.org/t</link>
<description>Envoys held talks in Doha.</description></item></channel></rss>"""


@pytest.mark.parametrize(("name", "feed", "expected"), [
    ("desk.rdf.xml", RDF,
     ("Depot hit", "https://example.org/r1", "A depot was hit by drones.", date(2024, 2, 5))),
    ("old.rss", RSS091, ("Talks held", "https://example.org/t", "Envoys held talks in Doha.", None)),
])
def test_rss_1_0_and_0_91_feeds(tmp_path, name, feed, expected):
    (art,) = read_articles([write(tmp_path, name, feed)])
    assert (art.title, art.url, art.text, art.published if art.date_source == "feed" else None) == expected


def test_a_page_is_read_once_per_machine(tmp_path):
    """What a page reads as (trafilatura, then the language check) is kept by its bytes
    (geo.cache): a second process reading the same page, under another name, reads neither."""
    import os
    import subprocess
    import sys

    page = write(tmp_path, "p.html", "<html><head><title>Raid</title></head><body><article><p>"
                 + "Gunmen attacked a police post near the border on Monday, officials said. " * 6
                 + "</p></article></body></html>")
    code = ("import sys, trafilatura, trafilatura.utils as u\n"
            "from geo.articles import read_articles\n"
            "calls = []\n"
            "for mod, name in ((trafilatura, 'bare_extraction'), (u, 'language_classifier')):\n"
            "    real = getattr(mod, name)\n"
            "    spy = lambda *a, real=real, name=name, **k: calls.append(name) or real(*a, **k)\n"
            "    setattr(mod, name, spy)\n"
            "(art,) = read_articles(sys.argv[1])\n"
            "print(len(calls), art.id, art.title, art.text.count('Gunmen'))\n")
    env = dict(os.environ, CONFLICTMAP_CACHE=str(tmp_path / "cache"))
    runs = []
    for name in ("p.html", "copy.html"):
        if name != page.name:
            (tmp_path / name).write_bytes(page.read_bytes())
        runs.append(subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], env=env,
                                   capture_output=True, text=True, check=True).stdout.split())
    assert runs[0] == ["2", "p.html", "Raid", "6"]  # read: extracted, and its language judged
    assert runs[1] == ["0", "copy.html", "Raid", "6"]  # kept: the same article, under its own name
