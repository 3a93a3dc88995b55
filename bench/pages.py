"""How well the project reads news pages: `geo.articles.parse_article` on the article-extraction
benchmark's 181 real pages (../shared/html-bench), scored by the benchmark's own evaluate.py.

    python bench/pages.py [--n-bootstrap 100]

Writes the body text each page gives (read whatever its language; empty when the page
gives none) as the benchmark's
`output/conflict-map.json`, runs its scorer (shingle precision, recall and F1 with bootstrap
errors) in a temporary folder, and prints the score, the pages with no text, and the time
per page (one core, best of the two passes). Targets (issue 12): F1 0.95 or more, no page
without text. No thresholds: the figures go in the closing note.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from perf import fresh_cache, one_core

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # measure this checkout's geo, whatever else is installed
BENCH = ROOT.parent / "shared" / "html-bench"

from geo.articles import parse_article  # noqa: E402
from geo.errors import InputError  # noqa: E402


def read_all(pages: dict[str, bytes], english_only: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(key -> body text, key -> reason for the pages that gave none), every page read afresh."""
    fresh_cache()
    texts, failed = {}, {}
    for key, raw in pages.items():
        try:
            (article,) = parse_article(raw, f"{key}.html", english_only=english_only)
            texts[key] = article.text
        except InputError as e:
            texts[key], failed[key] = "", e.reason
    return texts, failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-bootstrap", type=int, default=100)
    args = ap.parse_args()
    if not BENCH.exists():
        print(f"skipped: {BENCH} is not beside the checkout")
        return 0
    print(f"conflict-map HTML reading, Python {sys.version.split()[0]}, {one_core()}")
    pages = {p.name.split(".")[0]: gzip.decompress(p.read_bytes())
             for p in sorted((BENCH / "html").iterdir())}
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        texts, failed = read_all(pages, english_only=False)
        best = min(best, time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(BENCH / "ground-truth.json", tmp)
        (Path(tmp) / "output").mkdir()
        output = {"version": "main", "output": {k: {"articleBody": t} for k, t in texts.items()}}
        (Path(tmp) / "output" / "conflict-map.json").write_text(json.dumps(output), encoding="utf-8")
        scored = subprocess.run([sys.executable, str(BENCH / "evaluate.py"), "--n-bootstrap",
                                 str(args.n_bootstrap)], cwd=tmp, capture_output=True, text=True, check=True)
    print(scored.stdout.rstrip())
    print(f"pages: {len(pages)}; without text: {len(failed)}"
          + "".join(f"\n  {k[:12]}…: {reason}" for k, reason in failed.items()))
    print(f"time: {best / len(pages) * 1000:.1f} ms per page ({len(pages) / best:.0f} pages/s)")
    _, other = read_all(pages, english_only=True)
    print(f"not English (what `conflictmap extract` skips, naming the language): {len(other)} pages"
          + "".join(f"\n  {k[:12]}…: {reason}" for k, reason in other.items() if k not in failed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
