"""scripts/build_gazetteer.py rebuilds exactly the data/ that is committed (about 40 s)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

pytestmark = pytest.mark.shared


def read_areas(folder: Path) -> dict:
    with gzip.open(folder / "areas.geojson.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def test_rebuild_equals_shipped_data(shared, tmp_path):
    src = shared / "gazetteer-src"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"),
                          "--src", str(src), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    with np.load(DATA / "gazetteer.npz") as shipped, np.load(tmp_path / "gazetteer.npz") as new:
        assert sorted(new.files) == sorted(shipped.files)
        differ = [k for k in shipped.files
                  if shipped[k].dtype != new[k].dtype or not np.array_equal(shipped[k], new[k])]
    assert differ == [], (f"rebuilt arrays differ from data/gazetteer.npz: {differ}; "
                          "run `python scripts/build_gazetteer.py` and commit data/")
    assert read_areas(tmp_path) == read_areas(DATA)
