"""The Streamlit app run headless with AppTest on a demo store in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.errors import GeoInputError

APP = Path(__file__).resolve().parent.parent / "app.py"
NOTICE_ID = "Data contoh (ilustratif) — bukan data resmi"
NOTICE_EN = "Sample data (illustrative) — not official data"


@pytest.fixture
def store_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "peta_sinergi.gpkg"
    monkeypatch.setenv("PETA_STORE", str(path))
    return path


@pytest.fixture
def app(store_path) -> AppTest:
    # The first run builds the demo store, which takes a few seconds.
    return AppTest.from_file(str(APP), default_timeout=120)


def test_opens_on_the_demo_map_in_indonesian(app, store_path):
    app.run()

    assert not app.exception, app.exception
    assert store_path.exists(), "the demo store was built at $PETA_STORE"
    assert [title.value for title in app.title] == ["Peta Sinergi"]
    assert NOTICE_ID in [info.value for info in app.info]
    counts = {metric.label: metric.value for metric in app.metric}
    assert list(counts) == ["Pusat", "Provinsi", "Kabupaten/Kota"]
    assert all(value.endswith(" proyek") and int(value.split()[0]) > 0 for value in counts.values())
    assert not app.error


def test_switches_to_english(app):
    app.run()
    app.selectbox[0].select("en").run()

    assert not app.exception, app.exception
    assert NOTICE_EN in [info.value for info in app.info]
    assert [metric.label for metric in app.metric] == ["Central", "Province", "District/City"]


def test_unreadable_store_is_reported_not_raised(app, monkeypatch):
    def broken_store(path):
        raise GeoInputError(f"{Path(path).name}: not a GeoPackage; delete it or set PETA_STORE")

    monkeypatch.setattr("ui.peta.ensure_demo_store", broken_store)
    app.run()

    assert not app.exception, app.exception
    assert app.error[0].value == "Data proyek tidak dapat dibaca"
    assert app.code[0].value == "peta_sinergi.gpkg: not a GeoPackage; delete it or set PETA_STORE"
    assert not app.metric, "the page stops after the error"
