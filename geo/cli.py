"""The ``conflictmap`` command line: parse arguments, call the library, report.

Exit status (see CONTRACT.md): 0 done; 1 some inputs failed but the rest
were written, each failure named on stderr; 2 bad usage or missing data.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import date

from geo.errors import GeoError, InputError


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="conflictmap",
        description="Turn news articles about conflict and diplomacy into places, events and maps.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("places", help="write every resolved place mention as JSON Lines")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    p.add_argument("--no-demonyms", dest="demonyms", action="store_false",
                   help="leave out demonyms ('Iranian') that resolve to their country")
    p.add_argument("--quiet", action="store_true", help="no run report on stderr")

    e = sub.add_parser("extract", help="write one deduplicated event per real-world event")
    e.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    e.add_argument("-o", "--output", default="-", help="output file (default: GeoJSON on stdout)")
    e.add_argument("--format", choices=("geojson", "csv", "gpkg", "parquet"),
                   help="output format (default: from the file extension, else geojson)")
    e.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                   help="publication date for articles that carry none")
    e.add_argument("--quiet", action="store_true", help="no run report on stderr")

    mp = sub.add_parser("map", help="write a standalone HTML map of the events, with a time slider")
    mp.add_argument("paths", nargs="+", metavar="PATH",
                    help="article files or folders, or events files written by extract")
    mp.add_argument("-o", "--output", required=True, metavar="MAP.html", help="the HTML file to write")
    mp.add_argument("--offline", action="store_true",
                    help="inline every script and style and draw the land from the gazetteer: no network")
    mp.add_argument("--title", help="the map's title (default: Conflict map)")
    mp.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                    help="publication date for articles that carry none")
    mp.add_argument("--quiet", action="store_true", help="no run report on stderr")

    g = sub.add_parser("geocode", help="print the gazetteer's ranked candidates for one name")
    g.add_argument("name")
    g.add_argument("--country", metavar="ISO2", help="only candidates in this country")
    g.add_argument("--limit", type=_positive, default=10, help="at most N candidates (default 10)")
    g.add_argument("--json", action="store_true", help="one JSON object per candidate")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "places":
            return _places(args)
        if args.command == "extract":
            return _extract(args)
        if args.command == "map":
            return _map(args)
        return _geocode(args)
    except GeoError as exc:
        print(f"conflictmap: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def _open_output(path: str):
    if path == "-":
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise GeoError(f"{path}: cannot write ({exc.strerror})") from None


def _places(args) -> int:
    from geo.articles import read_articles
    from geo.gazetteer import load_gazetteer
    from geo.places import find_places

    gaz = load_gazetteer()
    errors: list[InputError] = []
    started, n_articles, n_chars, n_mentions = time.perf_counter(), 0, 0, 0
    out = _open_output(args.output)
    try:
        for article in read_articles(args.paths, errors=errors):
            for m in find_places(article.text, gaz, article.id, demonyms=args.demonyms):
                out.write(json.dumps(m.to_json(), ensure_ascii=False) + "\n")
                n_mentions += 1
            n_articles += 1
            n_chars += len(article.text)
    finally:
        if out is not sys.stdout:
            out.close()
    for err in errors:
        print(f"conflictmap: skipped {err}", file=sys.stderr)
    if not args.quiet:
        secs = time.perf_counter() - started
        print(f"conflictmap: {n_articles} articles ({n_chars:,} characters) read, "
              f"{len(errors)} skipped, {n_mentions} place mentions, {secs:.2f} s", file=sys.stderr)
    return 1 if errors else 0


def _extract(args) -> int:
    from geo.articles import read_articles
    from geo.events import extract_reports
    from geo.gazetteer import load_gazetteer
    from geo.merge import merge_reports
    from geo.store import write_events

    gaz = load_gazetteer()
    errors: list[InputError] = []
    started, n_articles, found, undated = time.perf_counter(), 0, [], []
    for article in read_articles(args.paths, published=args.date, errors=errors):
        n_articles += 1
        if article.published is None:
            undated.append(article.id)
        found.extend(extract_reports(article, gaz))
    events = merge_reports(found)
    fmt = args.format or ("geojson" if args.output == "-" else None)
    write_events(events, args.output, fmt)
    for err in errors:
        print(f"conflictmap: skipped {err}", file=sys.stderr)
    for name in undated:
        print(f"conflictmap: {name}: no publication date found; pass --date YYYY-MM-DD "
              "to date its events", file=sys.stderr)
    if not args.quiet:
        unplaced = sum(1 for e in events if e.place is None)
        print(f"conflictmap: {n_articles} articles read, {len(errors)} skipped, "
              f"{len(found)} event reports merged into {len(events)} events "
              f"({unplaced} without a place), {time.perf_counter() - started:.2f} s",
              file=sys.stderr)
    return 1 if errors else 0


_EVENTS_SUFFIXES = (".geojson", ".csv", ".gpkg", ".parquet", ".geoparquet")


def _is_events_file(path: str) -> bool:
    """An events file written by extract, rather than an article? (.json is sniffed.)"""
    from pathlib import Path

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _EVENTS_SUFFIXES:
        return True
    if suffix != ".json" or not p.is_file():
        return False
    try:
        with open(p, encoding="utf-8-sig") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return False  # the article reader names the problem
    return isinstance(data, dict) and data.get("type") == "FeatureCollection"


def _map(args) -> int:
    from geo.articles import read_articles
    from geo.maps import drawable, write_map
    from geo.store import read_events

    started = time.perf_counter()
    errors: list[InputError] = []
    events, article_paths = [], []
    for path in args.paths:
        if _is_events_file(path):
            try:
                events.extend(read_events(path))
            except InputError as err:
                errors.append(err)
        else:
            article_paths.append(path)
    n_articles = 0
    if article_paths:
        from geo.events import events_from_articles
        from geo.gazetteer import load_gazetteer

        articles = list(read_articles(article_paths, published=args.date, errors=errors))
        n_articles = len(articles)
        events.extend(events_from_articles(articles, load_gazetteer()))
    write_map(events, args.output, offline=args.offline, title=args.title)
    for err in errors:
        print(f"conflictmap: skipped {err}", file=sys.stderr)
    if not args.quiet:
        shown = sum(1 for e in events if drawable(e))
        print(f"conflictmap: {len(events)} events ({n_articles} articles read, {len(errors)} inputs "
              f"skipped), {shown} on the map, {len(events) - shown} without a place or date; "
              f"wrote {args.output}{' (offline)' if args.offline else ''}, "
              f"{time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 1 if errors else 0


def _geocode(args) -> int:
    from geo.gazetteer import load_gazetteer
    from geo.places import prior

    gaz = load_gazetteer()
    cands = gaz.lookup(args.name)
    if args.country:
        cands = [c for c in cands if c.place.country == args.country.upper()]
    if not cands:
        print(f"conflictmap: no place called {args.name!r} in the gazetteer", file=sys.stderr)
        return 1
    flags = ("name", "alternate name", "demonym", "alias", "abbreviation")
    ranked = sorted(cands, key=lambda c: -prior(c))[: args.limit]
    for rank, c in enumerate(ranked, 1):
        p = c.place
        row = {"rank": rank, "place_id": p.id, "name": p.name, "kind": p.kind,
               "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
               "population": p.population, "feature": p.feature,
               "evidence": {"matched_as": flags[c.flag], "prior": round(prior(c), 2),
                            "common_word_zipf": c.key_zipf}}
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            where = p.country or "-"
            if p.admin1:
                where += f", {p.admin1}"
            print(f"{rank:>2}. {p.name} ({p.kind}, {where})  {p.lat:.4f},{p.lon:.4f}  "
                  f"pop {p.population:,}  [{p.id}]  matched as {flags[c.flag]}, "
                  f"prior {prior(c):.2f}")
    return 0
