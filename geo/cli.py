"""The ``conflictmap`` command line: parse arguments, call the library, report.

Exit status (see CONTRACT.md): 0 done; 1 some inputs failed but the rest
were written, each failure named on stderr; 2 bad usage or missing data; 3 an
internal error (a bug) on some input, named in one line, after writing what
the other inputs gave. No traceback reaches the user unless CONFLICTMAP_DEBUG=1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import date

from geo.errors import GeoError, InputError, InternalError, guard, shown
from geo.roles import PARSERS, default_parser

DEBUG = "CONFLICTMAP_DEBUG"


def _iso_date(value: str) -> date:
    from geo.articles import YEARS

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise argparse.ArgumentTypeError(f"{value} is outside the years {YEARS[0]}-{YEARS[1]}")
    return day


def _month(value: str) -> str:
    if not re.fullmatch(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a month; use YYYY-MM")
    return value


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
    p.add_argument("--as-named", dest="parts", action="store_false",
                   help="put 'eastern Syria' at Syria's own point, not in its east "
                        "(as geoparsing benchmarks score a name)")
    p.add_argument("--quiet", action="store_true", help="no run report on stderr")

    e = sub.add_parser("extract", help="write one deduplicated event per real-world event")
    e.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    e.add_argument("-o", "--output", default="-", help="output file (default: GeoJSON on stdout)")
    e.add_argument("--format", choices=("geojson", "csv", "gpkg", "parquet"),
                   help="output format (default: from the file extension, else geojson)")
    e.add_argument("--by-month", action="store_true",
                   help="write -o FOLDER as GeoParquet with one folder per month (month=YYYY-MM)")
    e.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                   help="publication date for articles that carry none")
    _parser_option(e)
    e.add_argument("--workers", type=_positive, metavar="N",
                   help="extract on a local Dask cluster of N processes (the same events)")
    e.add_argument("--scheduler", metavar="ADDRESS",
                   help="extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786)")
    e.add_argument("--quiet", action="store_true", help="no progress or run report on stderr")

    mp = sub.add_parser("map", help="write a standalone HTML map of the events, with a time slider")
    mp.add_argument("paths", nargs="+", metavar="PATH",
                    help="article files or folders, or events files written by extract")
    mp.add_argument("-o", "--output", required=True, metavar="MAP.html", help="the HTML file to write")
    mp.add_argument("--offline", action="store_true",
                    help="inline every script and style and draw the land from the gazetteer: no network")
    mp.add_argument("--title", help="the map's title (default: Conflict map)")
    mp.add_argument("--month", action="append", type=_month, metavar="YYYY-MM",
                    help="of a folder extract --by-month wrote, read only this month (repeatable)")
    mp.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                    help="publication date for articles that carry none")
    _parser_option(mp)
    mp.add_argument("--quiet", action="store_true", help="no run report on stderr")

    g = sub.add_parser("geocode", help="print the gazetteer's ranked candidates for one name")
    g.add_argument("name")
    g.add_argument("--country", metavar="ISO2", help="only candidates in this country")
    g.add_argument("--limit", type=_positive, default=10, help="at most N candidates (default 10)")
    g.add_argument("--json", action="store_true", help="one JSON object per candidate")

    w = sub.add_parser("watch", help="poll feeds, pages and folders and add their new articles to a store")
    w.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="an RSS/Atom feed URL, a page URL or a local folder")
    w.add_argument("--store", required=True, metavar="STORE",
                   help="the store to add to (a GeoPackage file, or a team's postgresql:// URL); "
                        "made when missing")
    w.add_argument("--every", type=_interval, default=900.0, metavar="INTERVAL",
                   help="time between polls: 30s, 15m (the default), 1h")
    w.add_argument("--once", action="store_true", help="poll once and exit (for cron)")
    w.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                   help="give up on a request after this long (default 20)")
    w.add_argument("--tries", type=_positive, default=3, metavar="N",
                   help="tries for a 5xx answer, a timeout or a broken connection (default 3)")
    w.add_argument("--retry-wait", type=_seconds, default=1.0, metavar="SECONDS",
                   help="wait before the second try, doubled before each further one (default 1)")
    w.add_argument("--quiet", action="store_true", help="only failures, no line per source")

    h = sub.add_parser("history", help="print a store's changes, newest first, one line each")
    h.add_argument("--store", required=True, metavar="STORE",
                   help="the store to read (a GeoPackage file or a postgresql:// URL)")
    h.add_argument("--limit", type=_positive, default=None, metavar="N", help="only the newest N changes")

    r = sub.add_parser("restore", help="bring back a removed article (and its corrections) and its events")
    r.add_argument("article", metavar="ARTICLE_ID", help="the id of the removed article (see history)")
    r.add_argument("--store", required=True, metavar="STORE",
                   help="the store to restore into (a GeoPackage file or a postgresql:// URL)")
    r.add_argument("--by", default="local", metavar="NAME",
                   help="who the store's history records as restoring it (default: local)")
    return ap


def _interval(value: str) -> float:
    from geo.watch import parse_every

    try:
        return parse_every(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 86400:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds")
    return seconds


def _parser_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--parser", choices=PARSERS, default=None,
                   help="how actors and targets are read: from spaCy's dependency parse of the "
                        "sentences holding a trigger (spacy, the default where spaCy is installed) or "
                        "from word order alone (rules)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"places": _places, "extract": _extract, "map": _map, "watch": _watch,
                "history": _history, "restore": _restore, "geocode": _geocode}
    try:
        return commands[args.command](args)
    except GeoError as exc:
        _say(exc)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug outside any one input (writing, merging): one line
        _say(f"internal error ({type(exc).__name__}: {exc}); please report it"
             f"{'' if os.environ.get(DEBUG) else f' (set {DEBUG}=1 for details)'}")
        _debug(exc)
        return 3


def _say(message: object) -> None:
    """One line on stderr, whatever the message holds (file names are not to be trusted)."""
    print(f"conflictmap: {shown(message)}", file=sys.stderr)


def _debug(exc: BaseException) -> None:
    if os.environ.get(DEBUG):
        traceback.print_exception(exc, file=sys.stderr)


def _report(errors: list[GeoError]) -> int:
    """Name each failed input in one line; the exit status they make."""
    for err in errors:
        if isinstance(err, InternalError):
            _say(err)
            _debug(err.error)
        else:
            _say(f"skipped {err}")
    if any(isinstance(err, InternalError) for err in errors):
        return 3
    return 1 if errors else 0


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
    errors: list[GeoError] = []
    started, n_articles, n_chars, n_mentions = time.perf_counter(), 0, 0, 0
    out = _open_output(args.output)
    try:
        try:
            for article in read_articles(args.paths, errors=errors):
                mentions = guard(article, errors, lambda a=article: find_places(
                    a.text, gaz, a.id, demonyms=args.demonyms, parts=args.parts))
                for m in mentions or ():
                    out.write(json.dumps(m.to_json(), ensure_ascii=False) + "\n")
                    n_mentions += 1
                n_articles += 1
                n_chars += len(article.text)
        finally:
            if out is not sys.stdout:
                out.close()
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk is no bug: reading errors never get here
        raise GeoError(f"{args.output}: cannot write ({exc.strerror or exc})") from None
    status = _report(errors)
    if not args.quiet:
        secs = time.perf_counter() - started
        _say(f"{n_articles} articles ({n_chars:,} characters) read, {len(errors)} skipped, "
             f"{n_mentions} place mentions, {secs:.2f} s")
    return status


def _parser_ready(parser: str | None) -> str:
    """The parser to use; a missing spaCy pipeline is a usage error, said once before any input."""
    parser = parser or default_parser()
    if parser == "spacy":
        from geo.syntax import load_pipeline

        load_pipeline()
    return parser


def _extract(args) -> int:
    from geo import cluster
    from geo.articles import article_files
    from geo.merge import merge_reports
    from geo.progress import Progress
    from geo.store import write_events, write_months

    errors: list[GeoError] = []
    started = time.perf_counter()
    if args.by_month and (args.output == "-" or args.format not in (None, "parquet")):
        raise GeoError("--by-month writes a folder of GeoParquet files: give it with -o FOLDER")
    files = article_files(args.paths, errors)
    progress = Progress(len(files), shown=False if args.quiet else None)
    if (args.workers or args.scheduler) and files:
        client = cluster.connect(args.workers, args.scheduler)
        progress.started = time.perf_counter()  # the rate and time left count from here
        try:
            link = cluster.dashboard(client)
            if link and not args.quiet:
                n = len(client.scheduler_info(n_workers=-1)["workers"])
                _say(f"Dask cluster of {n} worker{'s' * (n != 1)}, dashboard {link}")
            got = cluster.extract_files(client, files, published=args.date,
                                        parser=args.parser or default_parser(), done=progress.add)
            events = cluster.merge_on(client, got.reports)
        finally:
            progress.done()
            cluster.close(client)
    else:
        parser = _parser_ready(args.parser)
        got = cluster.extract_here(files, published=args.date, parser=parser, done=progress.add)
        progress.done()
        events = merge_reports(got.reports)
    errors.extend(got.errors)
    if args.by_month:
        write_months(events, args.output)
    else:
        write_events(events, args.output, args.format or ("geojson" if args.output == "-" else None))
    status = _report(errors)
    _say_undated(article for article, dated in got.articles if not dated)
    if not args.quiet:
        unplaced = sum(1 for e in events if e.place is None)
        _say(f"{len(got.articles)} articles read, {len(errors)} skipped, "
             f"{len(got.reports)} event reports merged into {len(events)} events "
             f"({unplaced} without a place), {time.perf_counter() - started:.2f} s")
    return status


_EVENTS_SUFFIXES = (".geojson", ".csv", ".gpkg", ".parquet", ".geoparquet")
_FEATURE_COLLECTION = re.compile(rb'"type"\s*:\s*"FeatureCollection"')


def _is_events_file(path: str) -> bool:
    """An events file written by extract, rather than an article? A .json is one when its
    first 64 KB say "type": "FeatureCollection" (as extract writes it), so an article is
    not parsed twice and a hostile one not even once here."""
    from pathlib import Path

    from geo.store import is_month_dataset

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _EVENTS_SUFFIXES or is_month_dataset(p):
        return True
    if suffix != ".json" or not p.is_file():
        return False
    try:
        with open(p, "rb") as f:
            return bool(_FEATURE_COLLECTION.search(f.read(65536)))
    except OSError:
        return False  # the article reader names the problem


def _say_undated(articles) -> None:
    """An article with no date gives no events: say which, and what to do."""
    for article in articles:
        _say(f"{article}: no publication date found; pass --date YYYY-MM-DD to date its events")


def _map(args) -> int:
    from geo.articles import article_files
    from geo.maps import drawable, write_map
    from geo.store import read_events

    started = time.perf_counter()
    errors: list[GeoError] = []
    events, article_paths, read = [], [], []
    for path in args.paths:
        if _is_events_file(path):
            try:
                events.extend(read_events(path, args.month))
            except InputError as err:
                errors.append(err)
        else:
            article_paths.append(path)
    if article_paths:  # as extract reads and extracts them
        from geo.cluster import extract_here
        from geo.merge import merge_reports

        files = article_files(article_paths, errors)
        got = extract_here(files, published=args.date, parser=_parser_ready(args.parser))
        errors.extend(got.errors)
        read = got.articles
        events.extend(merge_reports(got.reports))
    write_map(events, args.output, offline=args.offline, title=args.title)
    status = _report(errors)
    _say_undated(article for article, dated in read if not dated)
    if not args.quiet:
        on_map = sum(1 for e in events if drawable(e))
        _say(f"{len(events)} events ({len(read)} articles read, {len(errors)} inputs "
             f"skipped), {on_map} on the map, {len(events) - on_map} without a place or date; "
             f"wrote {args.output}{' (offline)' if args.offline else ''}, "
             f"{time.perf_counter() - started:.2f} s")
    return status


def _watch(args) -> int:
    """Thin front end of geo.watch: lines to stdout, failures to stderr, Ctrl-C (or SIGTERM)
    ends the watch between two steps, and what landed before it stays."""
    import signal

    from geo.gazetteer import load_gazetteer
    from geo.watch import watch

    def stop(signum, frame):
        raise KeyboardInterrupt

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, stop)
    say = (lambda line: None) if args.quiet else (lambda line: print(shown(line), flush=True))
    try:
        return watch(args.store, args.sources, load_gazetteer(), every=None if args.once else args.every,
                     timeout=args.timeout, tries=args.tries, backoff=args.retry_wait, say=say,
                     warn=lambda line: print(f"conflictmap: {shown(line)}", file=sys.stderr, flush=True))
    except KeyboardInterrupt:
        if not args.quiet:
            _say("watch stopped")
        return 0


def _history(args) -> int:
    """One line per change, newest first; every line escaped (names and ids are user text)."""
    from geo.workspace import read_history

    for change in read_history(args.store, args.limit):
        print(shown(change.line))
    return 0


def _restore(args) -> int:
    from geo import workspace as wsp
    from geo.gazetteer import load_gazetteer

    if not wsp.store_exists(args.store):  # never make a new store to restore into
        raise InputError(wsp.store_name(args.store), "no store here")
    gaz = load_gazetteer()
    ws = wsp.open_workspace(args.store, gaz, samples=None)
    outcome = wsp.restore(ws, args.article, gaz, by=args.by)
    if not outcome.ok:
        _say(f"not restored: {outcome.message}")
        return 1
    n = outcome.events
    print(shown(f"{args.article}: restored, {n} event{'s' * (n != 1)}"))
    return 0


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
