"""The app reads the analyses the store holds for its data and settings, and saves the ones
it computes (AppTest on copies of the demo store)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.analyse.gaps import coverage_by_unit
from geo.analyse.run import analyse
from geo.demo.build import build_demo
from geo.settings import Settings
from geo.store import open_store
from geo.store.tables import settings_fingerprint
from layers.tables import audit_table

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "peta_sinergi.gpkg")


@pytest.fixture
def store_path(tmp_path, monkeypatch, demo_template) -> Path:
    path = tmp_path / "peta_sinergi.gpkg"
    shutil.copy(demo_template, path)
    monkeypatch.setenv("PETA_STORE", str(path))
    return path


def _page(page: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    return app.switch_page(page).run()


def test_pages_show_what_the_store_holds_for_its_data(store_path):
    store = open_store(store_path)
    projects = store.load_projects()
    roads = store.load_reference("roads")
    areas = store.load_reference("irrigation_areas")
    units = store.load_reference("admin_units")
    result = analyse(projects, roads=roads, irrigation_areas=areas)
    assert len(result.overlaps) > 1
    key, settings = store.data_key(), settings_fingerprint(Settings.from_env())
    # Saved for this data and settings: one finding only, and a unit under another name.
    store.save_analysis("overlaps", result.overlaps.iloc[:1], data_key=key, settings_key=settings)
    store.save_analysis("mismatches", result.mismatches, data_key=key, settings_key=settings)
    store.save_analysis("locations", result.locations, data_key=key, settings_key=settings)
    coverage = coverage_by_unit(projects, units, roads=roads)
    coverage.loc[0, "unit_name"] = "Kab. Tersimpan"
    store.save_analysis("coverage", coverage, data_key=key, settings_key=settings)

    app = _page("ui/pages/tumpang_tindih.py")
    assert not app.exception, app.exception
    assert len(app.dataframe[0].value) == 1  # read from the store, not computed again
    app = _page("ui/pages/ekspor.py")  # the exports count the same findings
    assert not app.exception, app.exception
    assert any("80 proyek, 1 temuan tumpang tindih" in c.value for c in app.caption)
    assert any(b.proto.label.endswith("— 1") for b in app.get("download_button"))
    app = _page("ui/pages/kesenjangan.py")
    assert not app.exception, app.exception
    assert "Kab. Tersimpan" in app.dataframe[0].value.to_string()


def test_analyses_the_app_computes_are_saved_for_the_next_start(store_path):
    store = open_store(store_path)
    key, settings = store.data_key(), settings_fingerprint(Settings.from_env())
    assert store.load_analysis("overlaps", data_key=key, settings_key=settings) is None

    app = _page("ui/pages/kesenjangan.py")
    assert not app.exception, app.exception
    app.switch_page("ui/pages/tumpang_tindih.py").run()
    shown = len(app.dataframe[0].value)

    saved = store.load_analysis("overlaps", data_key=key, settings_key=settings)
    assert saved is not None and len(saved) == shown > 0
    assert store.load_analysis("mismatches", data_key=key, settings_key=settings) is not None
    assert store.load_analysis("coverage", data_key=key, settings_key=settings) is not None
    located = store.load_analysis("locations", data_key=key, settings_key=settings)
    assert located is not None and located["matched_share"].eq(1.0).all()
    assert store.data_key() == key  # saving changed no data


def test_saving_an_analysis_writes_who_and_when_in_the_audit_trail(store_path):
    store = open_store(store_path)
    before = len(store.audit_log())
    app = _page("ui/pages/kesenjangan.py")
    assert not app.exception, app.exception

    log = store.audit_log().iloc[before:]
    saved = log[log["action"] == "save_analysis"]
    kinds = {json.loads(detail)["analysis"] for detail in saved["detail"]}
    assert kinds == {"overlaps", "mismatches", "coverage", "locations"}
    assert set(saved["who"]) == {"demo"}  # the demo store's user, whose page computed them
    shown = audit_table(saved, lang="id")
    assert set(shown["Tindakan"]) == {"simpan hasil analisis"}
    assert any(d.startswith("Analisis: kesenjangan · Baris hasil: ") for d in shown["Rincian"])
    english = audit_table(saved, lang="en")
    assert set(english["Action"]) == {"save analysis results"}
    assert all(t.endswith("WIB") for t in shown["Waktu"])


def test_a_road_project_on_the_map_says_its_ruas_and_sta(store_path):
    """The demo's road works are located on its network once, saved, and their map tooltips
    say where, as road agencies write it."""
    from layers.project_map import tooltip_html
    from ui.maps import _drawn
    from ui.store_cache import current_store

    drawn = _drawn(current_store(), None)
    row = drawn[drawn["project_id"] == "PJN-C-2025-001"].iloc[:1]
    assert row["ruas_sta"].tolist() == [
        "N-008 Simpang Contoh – Batas Prov. Utara, STA 2+343 – 7+343"
    ]
    assert (
        "<th>Ruas, STA</th><td>N-008 Simpang Contoh – Batas Prov. Utara, STA 2+343 – 7+343"
        in (tooltip_html(row, lang="id").iloc[0])
    )
    bridges = drawn[drawn["asset_type"] == "bridge"]
    assert bridges["ruas_sta"].eq("–").all()  # located: road works drawn as lines only
