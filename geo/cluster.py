"""`conflictmap extract --workers N / --scheduler ADDRESS`: extraction and merge on Dask.

Why: one process extracts about 200 articles a second, so an archive of millions takes a
day. Here the article files are cut into partitions of ``PARTITION_FILES``, each worker
process extracts whole partitions (the gazetteer and the parser load once per worker,
before the first task, and stay), and the merge runs in parts no event crosses
(``geo.merge.parts``), packed into a few tasks. Only a few partitions are in flight at once
and each result is taken back as soon as it is done, so a worker's memory does not grow with
the corpus. The events and their ids are those of the one-process run: the reports come
back in file order and the merge in parts is exact.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice

from geo.errors import GeoError, guard

PARTITION_FILES = 100  # files per task: about half a second of work, long enough to hide the overhead
IN_FLIGHT = 3  # partitions queued per worker
INSTALL = 'pip install "conflict-map[cluster]"'


@dataclass
class Extracted:
    """What extraction of some files gave: their reports in file order, the articles (id,
    dated?), one error per file or article that failed, and the seconds it took where it ran
    (summed over the partitions: what bench/scale.py projects from)."""

    reports: list
    articles: list[tuple[str, bool]]
    errors: list[GeoError]
    seconds: float = 0.0


def extract_here(files: Iterable[str], *, published: date | None, parser: str,
                 done: Callable[[int, int, int], None] | None = None) -> Extracted:
    """Every file's reports, extracted in this process, in file order (the default run, and
    each partition on a worker). ``done(files, articles, reports)`` after each file."""
    from geo.articles import read_file
    from geo.gazetteer import load_gazetteer

    started = time.perf_counter()
    gaz = load_gazetteer()
    out = Extracted([], [], [])
    for file in files:
        articles = read_file(file, published=published, errors=out.errors)
        before = len(out.reports)
        out.reports.extend(extract_articles(articles, gaz, out.errors, parser))
        out.articles.extend((a.id, a.published is not None) for a in articles)
        if done is not None:
            done(1, len(articles), len(out.reports) - before)
    out.seconds = time.perf_counter() - started
    return out


def extract_articles(articles: Iterable, gaz, errors: list[GeoError], parser: str) -> list:
    """The articles' event reports; an article whose extraction fails (a bug) is named in
    ``errors`` and costs only itself."""
    from geo.events import extract_reports

    found: list = []
    for article in articles:
        found.extend(guard(article, errors, lambda a=article: extract_reports(a, gaz, parser=parser)) or ())
    return found


def connect(workers: int | None = None, scheduler: str | None = None):
    """A ``dask.distributed`` Client: on a local cluster of ``workers`` processes of one
    thread each, or on the cluster whose scheduler is at ``scheduler``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise GeoError(f"--workers and --scheduler need Dask; install it with `{INSTALL}`") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as e:
            raise GeoError(f"cannot reach the Dask scheduler at {scheduler} ({e}); start one with "
                           "`dask scheduler` or use --workers N for a cluster on this machine") from None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    return Client(cluster)


def close(client) -> None:
    """Close the client, and the cluster when it is ours (a local one)."""
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


def dashboard(client) -> str | None:
    """The address of the cluster's dashboard, or None (no bokeh installed, say)."""
    try:
        link = client.dashboard_link
    except Exception:  # distributed raises when the dashboard did not start
        return None
    return link or None


def extract_files(client, files: list[str], *, published: date | None, parser: str,
                  done: Callable[[int, int, int], None] | None = None) -> Extracted:
    """Every file's reports, extracted on the cluster in partitions, in file order.

    ``done(files, articles, reports)`` is called as each partition comes back."""
    from dask.distributed import as_completed

    partitions = [files[i:i + PARTITION_FILES] for i in range(0, len(files), PARTITION_FILES)]
    client.run(_ready, parser)  # every worker loads the gazetteer and parser before its first task
    width = max(1, IN_FLIGHT * len(client.scheduler_info(n_workers=-1)["workers"]))
    results: dict[int, Extracted] = {}
    todo = iter(enumerate(partitions))

    def submit(n: int, part: list[str]):
        return client.submit(_extract_partition, n, part, published, parser, pure=False)

    running = as_completed([submit(n, part) for n, part in islice(todo, width)], with_results=True)
    for future, (n, result) in running:
        results[n] = result
        future.release()  # its result is ours now: the worker forgets it
        if done is not None:
            done(len(partitions[n]), len(result.articles), len(result.reports))
        for m, part in islice(todo, 1):
            running.add(submit(m, part))
    out = Extracted([], [], [])
    for n in range(len(partitions)):
        out.reports.extend(results[n].reports)
        out.articles.extend(results[n].articles)
        out.errors.extend(results[n].errors)
        out.seconds += results[n].seconds
    return out


def merge_on(client, reports: list) -> list:
    """``geo.merge.merge_reports`` with its parts packed into a few tasks on the cluster."""
    from geo.merge import merge_reports

    tasks = max(1, 4 * len(client.scheduler_info(n_workers=-1)["workers"]))

    def map_parts(merge_part, parts):
        # scattered: each bin goes to a worker as data, not inside the task graph
        futures = client.map(_merge_bin, client.scatter(_pack(parts, tasks), hash=False), pure=False)
        return client.gather(futures)

    return merge_reports(reports, map_parts=map_parts)


def _pack(parts: list[list], n: int) -> list[list[list]]:
    """The parts (largest first) in ``n`` bins of about equal numbers of reports."""
    bins: list[list[list]] = [[] for _ in range(min(n, len(parts)))]
    sizes = [0] * len(bins)
    for part in parts:
        k = sizes.index(min(sizes))
        bins[k].append(part)
        sizes[k] += len(part)
    return bins


# ---------------------------------------------------------------- on the workers

def _ready(parser: str) -> None:
    from geo.gazetteer import load_gazetteer

    load_gazetteer()
    if parser == "spacy":
        from geo.syntax import load_pipeline

        load_pipeline()


def _extract_partition(n: int, files: list[str], published: date | None,
                       parser: str) -> tuple[int, Extracted]:
    return n, extract_here(files, published=published, parser=parser)


def _merge_bin(parts: list[list]) -> list:
    from geo.merge import merge_part

    return [e for part in parts for e in merge_part(part)]
