"""The Streamlit front end, driven by streamlit.testing."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_app_starts_and_lists_the_example_places():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert int(at.metric[0].value) >= 3
    assert "Kabul" in set(at.dataframe[0].value["mention"])


def test_pasted_text_changes_the_places():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_area(key="text").set_value("Ships were attacked in the Red Sea near Yemen.").run()
    assert not at.exception
    assert set(at.dataframe[0].value["mention"]) == {"Red Sea", "Yemen"}
    assert int(at.metric[0].value) == 2
