"""The command line never pays for the map and app libraries (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("folium", "streamlit", "geopandas")


def heavy_modules_after(code: str) -> list[str]:
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def test_importing_the_package_and_cli_stays_light():
    assert heavy_modules_after("import geo, geo.cli, geo.places") == []


def test_places_and_geocode_commands_stay_light(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Officials met in Kabul and Islamabad.\n", encoding="utf-8")
    code = (f"from geo.cli import main\n"
            f"main(['places', {str(article)!r}, '-o', {str(tmp_path / 'o.jsonl')!r}, '--quiet'])\n"
            f"main(['geocode', 'Kabul', '--limit', '1'])")
    assert heavy_modules_after(code) == []
