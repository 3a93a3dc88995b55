"""The ``conflictmap`` command line, run for real (``python -m geo``) on articles written here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

# A made-up wire report; every test article here is written for the tests.
KABUL = (
    "KABUL, March 4 (Wire) - Afghan and Pakistani officials sat down in Kabul on Tuesday for a "
    "second round of talks on reopening border crossings, a foreign ministry spokesman said.\n\n"
    "The delegation was expected to travel on to Kandahar later in the week, where fruit traders "
    "say lorries have been stuck for days. Pakistan has not said when the main gate will open "
    "again.\n"
)
# Saved by a Windows editor: curly apostrophe and accents in Windows-1252.
SANAA = ("Rain closed the road between Sana\u2019a and Aden on Monday, officials in the Yemeni "
         "capital said. Caf\u00e9 owners near the old city counted the damage.\n")
ENVOY = "An Iranian envoy arrived in Baghdad on Sunday for talks about water rights.\n"
PLACE_KEYS = {"article", "mention", "start", "end", "name", "kind", "country", "lat", "lon",
              "place_id", "score"}


def conflictmap(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def rows(jsonl: str) -> list[dict]:
    return [json.loads(line) for line in jsonl.splitlines()]


def test_places_lines_follow_the_contract(tmp_path):
    run = conflictmap("places", write(tmp_path, "kabul.txt", KABUL))
    assert run.returncode == 0, run.stderr
    found = rows(run.stdout)
    assert found
    for row in found:
        assert set(row) == PLACE_KEYS
        assert row["article"] == "kabul.txt"
        assert KABUL[row["start"]:row["end"]] == row["mention"]
    where = {row["mention"]: row["country"] for row in found}
    assert where["Kandahar"] == "AF"
    assert where["Kabul"] == where["KABUL"] == "AF"
    assert where["Pakistan"] == "PK"


def test_output_file_holds_what_stdout_would(tmp_path):
    article = write(tmp_path, "kabul.txt", KABUL)
    out = tmp_path / "places.jsonl"
    run = conflictmap("places", article, "-o", out, "--quiet")
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == conflictmap("places", article).stdout


def test_bad_inputs_are_named_and_the_rest_is_written(tmp_path):
    good = write(tmp_path, "kabul.txt", KABUL)
    windows = write(tmp_path, "sanaa.txt", SANAA.encode("cp1252"))
    bad = {
        write(tmp_path, "empty.txt", b""): "empty file",
        write(tmp_path, "image.txt", b"GIF89a\x01\x00\x01\x00\x80\x00\x00" * 40): "binary",
        tmp_path / "huge.txt": "limit is 20 MB",
    }
    with (tmp_path / "huge.txt").open("wb") as f:  # 21 MB, sparse: costs no disk
        f.truncate(21 * 2**20)
    out = tmp_path / "places.jsonl"
    run = conflictmap("places", *bad, good, windows, "-o", out, "--quiet")

    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert len(lines) == len(bad)
    for path, reason in bad.items():
        (line,) = [line for line in lines if str(path) in line]
        assert reason in line
    found = rows(out.read_text(encoding="utf-8"))
    texts = {"kabul.txt": KABUL, "sanaa.txt": SANAA}
    assert {row["article"] for row in found} == set(texts)
    for row in found:
        assert texts[row["article"]][row["start"]:row["end"]] == row["mention"]
    mentions = {(row["article"], row["mention"]): row["country"] for row in found}
    assert mentions[("kabul.txt", "Kandahar")] == "AF"
    assert mentions[("sanaa.txt", "Sana\u2019a")] == "YE"


def test_run_report_goes_to_stderr(tmp_path):
    run = conflictmap("places", write(tmp_path, "kabul.txt", KABUL), "-o", tmp_path / "o.jsonl")
    assert run.returncode == 0
    assert re.fullmatch(r"conflictmap: 1 articles \(\d[\d,]* characters\) read, 0 skipped, "
                        r"\d+ place mentions, [\d.]+ s\n", run.stderr)


def test_demonyms_can_be_left_out(tmp_path):
    article = write(tmp_path, "envoy.txt", ENVOY)
    found = rows(conflictmap("places", article).stdout)
    assert {r["mention"]: r["country"] for r in found}["Iranian"] == "IR"
    without = rows(conflictmap("places", article, "--no-demonyms").stdout)
    assert "Iranian" not in {r["mention"] for r in without}
    assert "Baghdad" in {r["mention"] for r in without}


def test_geocode_ranks_islamabad_in_pakistan_first():
    run = conflictmap("geocode", "Islamabad")
    assert run.returncode == 0, run.stderr
    assert re.match(r" 1\. Islamabad \((city|admin1), PK\b", run.stdout.splitlines()[0])
    found = rows(conflictmap("geocode", "Islamabad", "--json").stdout)
    assert (found[0]["name"], found[0]["country"]) == ("Islamabad", "PK")
    assert found[0]["kind"] in ("city", "admin1")
    assert [r["rank"] for r in found] == list(range(1, len(found) + 1))


@pytest.mark.parametrize("country", ["BD", "bd"])
def test_geocode_country_filter(country):
    found = rows(conflictmap("geocode", "Islamabad", "--country", country, "--json").stdout)
    assert found and {r["country"] for r in found} == {"BD"}


def test_geocode_limit():
    assert len(rows(conflictmap("geocode", "Islamabad", "--limit", "1", "--json").stdout)) == 1


def test_geocode_unknown_name_exits_1():
    run = conflictmap("geocode", "Qwertzuiop Nowhere")
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == ("conflictmap: no place called 'Qwertzuiop Nowhere' in the gazetteer\n")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["places"],
        ["geocode"],
        ["geocode", "Kabul", "--limit", "many"],
        ["geocode", "Kabul", "--no-such-option"],
    ],
)
def test_bad_usage_exits_2(args):
    run = conflictmap(*args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith("usage: conflictmap")


@pytest.mark.parametrize("command", ["extract", "map"])
def test_an_undated_article_is_named_with_what_to_do_and_the_others_still_come(tmp_path, command):
    undated = write(tmp_path, "undated.txt", "Gunmen attacked a checkpoint in Kandahar on Monday.\n")
    dated = write(tmp_path, "dated.txt",
                  "date 2024-03-06\n\nGunmen attacked a checkpoint in Herat on Monday.\n")
    out = tmp_path / ("out.geojson" if command == "extract" else "out.html")
    done = conflictmap(command, undated, dated, "-o", out)
    assert done.returncode == 0, done.stderr
    told = [line for line in done.stderr.splitlines() if "no publication date" in line]
    assert len(told) == 1 and "undated.txt" in told[0] and "--date" in told[0], done.stderr
    if command == "extract":
        places = [f["properties"]["place"] for f in json.loads(out.read_text())["features"]]
        assert places == ["Herāt"]
        again = conflictmap(command, undated, "--date", "2024-03-06", "-o", out)
        assert [f["properties"]["place"] for f in json.loads(out.read_text())["features"]] == ["Kandahār"]
        assert "no publication date" not in again.stderr
