"""The Ekspor page run headless with AppTest on a demo store (the lead wires it into app.py)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from layers.exports import EXPORTS


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "peta_sinergi.gpkg"
    monkeypatch.setenv("PETA_STORE", str(path))
    return path


def _page(kabupaten: str = "") -> None:
    from geo.analyses import ProjectFilter
    from ui import ekspor

    ekspor.show(ProjectFilter(kabupaten=(kabupaten,) if kabupaten else ()))


def test_offers_one_download_per_export(store_path):
    app = AppTest.from_function(_page, default_timeout=120).run()
    assert not app.exception, app.exception
    assert [h.value for h in app.header] == ["Ekspor untuk rapat"]
    buttons = app.get("download_button")
    assert [b.proto.label for b in buttons] == [e.label("id") for e in EXPORTS.values()]
    assert "80 proyek, 7 temuan tumpang tindih" in app.caption[0].value


def test_the_filter_it_is_given_sets_what_is_exported(store_path):
    app = AppTest.from_function(_page, kwargs={"kabupaten": "Rawa Contoh"}, default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    assert app.caption[0].value.startswith("Kab. Rawa Contoh")


def test_an_unknown_kabupaten_is_reported_not_raised(store_path):
    app = AppTest.from_function(_page, kwargs={"kabupaten": "Atlantis"}, default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    assert app.error[0].value == "Data proyek tidak dapat dibaca"
    assert "kabupaten Atlantis: no such unit" in app.code[0].value


def test_a_button_makes_its_file_only_when_asked(tmp_path):
    from geo.analyses import analyse_store
    from geo.demo import build_demo
    from geo.store import open_store
    from ui.ekspor import _deferred

    analyses = analyse_store(open_store(build_demo(tmp_path / "demo.gpkg")))
    make = _deferred("xlsx", analyses, "id", "Rakor")
    assert callable(make)
    assert make()[:2] == b"PK"  # an xlsx is a zip


def _table_with_buttons() -> None:
    from geo.analyses import analyse_store
    from geo.settings import default_store_path
    from geo.store import open_store
    from ui.ekspor import download_buttons

    analyses = analyse_store(open_store(default_store_path()))
    download_buttons(analyses, ("xlsx", "gpkg"), key="tumpang_tindih")


def test_buttons_for_chosen_exports_can_sit_next_to_a_table(store_path):
    from geo.demo import build_demo

    build_demo(store_path)
    app = AppTest.from_function(_table_with_buttons, default_timeout=120).run()
    assert not app.exception, app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == [EXPORTS["xlsx"].label("id"), EXPORTS["gpkg"].label("id")]
