"""Extraction past one process: wall time, speed-up and memory on 1 and 2 Dask workers.

Usage:  python bench/scale.py [--sizes 10000,100000] [--workers 1,2] [--parser spacy]
                              [--predict 10000000:32]

For each size, a corpus of real news text (bench/corpus.py: the benchmark texts with their
dates and places varied) is written to a temporary folder and extracted with
``geo.cluster`` on a local cluster of each number of workers, as ``conflictmap extract
--workers N`` does: files in partitions, then the merge in parts. Prints per run the wall
time (cluster start excluded: it is paid once per run whatever the size), articles per
second, the speed-up over the first number of workers, each worker's peak resident memory
(its ru_maxrss) after extraction and after the merge, this process's peak (the client holds
the reports and cuts the merge into parts), and whether the events and their ids are those of
the first run.

From the largest run on the most workers it then predicts the time for ``--predict``
(articles:workers), from measured costs only: the worker seconds per article (summed over
partitions), the client's seconds per article (listing, gathering, cutting the merge into
parts, merging) and the scheduling overhead seen between them. The assumptions are printed
with the figure. No thresholds: the figures go in the closing note.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from corpus import make_corpus
from geoparse import ROOT
from perf import row

sys.path.insert(0, str(ROOT))

from geo import cluster  # noqa: E402
from geo.store import to_feature_collection  # noqa: E402

MB = 1e6


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes


def run(files: list[str], workers: int, parser: str) -> dict:
    client = cluster.connect(workers)
    try:
        started = time.perf_counter()
        got = cluster.extract_files(client, files, published=None, parser=parser)
        extracted = time.perf_counter()
        peaks = sorted(client.run(_peak_rss).values())  # extraction alone: flat whatever the size
        events = cluster.merge_on(client, got.reports)
        merged = time.perf_counter()
        merge_peaks = sorted(client.run(_peak_rss).values())  # the merge holds its parts
    finally:
        cluster.close(client)
    return {"workers": workers, "articles": len(got.articles), "reports": len(got.reports),
            "events": events, "wall": merged - started, "extract": extracted - started,
            "merge": merged - extracted, "worker_seconds": got.seconds, "peaks": peaks,
            "merge_peaks": merge_peaks}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="articles per corpus, comma-separated")
    ap.add_argument("--workers", default="1,2", help="numbers of workers, comma-separated")
    ap.add_argument("--parser", choices=("rules", "spacy"), default="spacy")
    ap.add_argument("--predict", default="10000000:32", metavar="ARTICLES:WORKERS")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    counts = [int(w) for w in args.workers.split(",")]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"conflict-map extract on Dask, Python {sys.version.split()[0]}, {cores} cores, "
          f"--parser {args.parser}, {cluster.PARTITION_FILES} files per partition")
    widths = [9, 8, 9, 8, 9, 8, 11, 8, 8, 11, 11, 10, 5]
    print(row(["articles", "workers", "wall s", "merge s", "articles/s", "speedup", "worker s/art",
               "events", "reports", "worker MB", "+merge MB", "client MB", "same"], widths))
    last = None
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="conflictmap-scale-") as tmp:
            files = [str(p) for p in make_corpus(Path(tmp), size)]
            first = None
            for workers in counts:
                r = run(files, workers, args.parser)
                text = json.dumps(to_feature_collection(r["events"]))
                first = first or (r, text)
                speedup = first[0]["wall"] / r["wall"]
                print(row([f"{size:,}", workers, f"{r['wall']:.1f}", f"{r['merge']:.1f}",
                           f"{r['articles'] / r['wall']:.0f}", f"{speedup:.2f}",
                           f"{r['worker_seconds'] / r['articles'] * 1e3:.2f} ms",
                           f"{len(r['events']):,}", f"{r['reports']:,}",
                           "/".join(f"{p / MB:.0f}" for p in r["peaks"]),
                           "/".join(f"{p / MB:.0f}" for p in r["merge_peaks"]), f"{_peak_rss() / MB:.0f}",
                           "yes" if text == first[1] else "NO"], widths))
                last = r
    if last is not None:
        predict(last, *map(int, args.predict.split(":")))
    return 0


def predict(r: dict, articles: int, workers: int) -> None:
    """Time for `articles` on `workers` from the costs measured in run `r`."""
    n, w = r["articles"], r["workers"]
    worker = r["worker_seconds"] / n  # seconds of one worker per article
    # what the cluster's wall time holds beyond the workers' own work: scheduling, moving the
    # reports, and the client's listing and gathering
    overhead = max(0.0, r["extract"] - r["worker_seconds"] / w) / n
    client_merge = r["merge"] / n  # cutting into parts, moving them, merging, on this run's workers
    seconds = articles * worker / workers + articles * overhead + articles * client_merge
    print(f"\npredicted for {articles:,} articles on {workers} workers: {seconds / 3600:.1f} h "
          f"({seconds:,.0f} s) = {articles:,} x {worker * 1e3:.2f} ms of worker time / {workers} "
          f"workers + {articles:,} x {overhead * 1e3:.3f} ms of scheduling and gathering + "
          f"{articles:,} x {client_merge * 1e3:.3f} ms of merge, from the {n:,}-article run on {w} "
          "workers.")
    print("assumptions: each worker as fast as one core here (no shared core, no slower disk); "
          "the files are read as fast from a shared file system; scheduling and gathering cost "
          "the same per article at that size (it is one client, so this term does not shrink "
          "with workers); the merge grows linearly with the reports (bench/merge.py: exponent "
          "0.92 at constant density) and stays on this run's number of workers; the client has "
          f"memory for every report (about {r['reports'] / n:.1f} per article here).")


if __name__ == "__main__":
    raise SystemExit(main())
