"""The Ekspor page run headless with AppTest on a demo store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from layers.exports import EXPORTS


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "peta_sinergi.gpkg"
    monkeypatch.setenv("PETA_STORE", str(path))
    return path


def _page() -> None:
    from ui import ekspor

    ekspor.show()


def test_offers_one_download_per_export_then_the_csv_tables(store_path):
    app = AppTest.from_function(_page, default_timeout=120).run()
    assert not app.exception, app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    exports = [e.label("id") for e in EXPORTS.values()]
    assert labels[: len(exports)] == exports
    assert [label.split(" — ")[0] for label in labels[len(exports) :]] == [
        "Tumpang tindih (CSV)",
        "Kewenangan (CSV)",
        "Kesenjangan per kabupaten/kota (CSV)",
        "Daftar unggahan (CSV)",
    ]
    assert any("80 proyek, 7 temuan tumpang tindih" in c.value for c in app.caption)


def test_a_first_visit_analyses_the_store_once(store_path, monkeypatch):
    """The exports and the CSV tables take the one analysis every page shares: overlaps and
    coverage are each computed once on a first visit (not once for the exports and once for
    the tables)."""
    import geo.analyse.run as run
    import ui.store_cache as store_cache

    runs: list[str] = []

    def counted(name, function):
        def run_it(*args, **kwargs):
            runs.append(name)
            return function(*args, **kwargs)

        return run_it

    monkeypatch.setattr(run, "find_overlaps", counted("overlaps", run.find_overlaps))
    monkeypatch.setattr(run, "coverage_by_unit", counted("coverage", run.coverage_by_unit))
    monkeypatch.setattr(
        store_cache, "coverage_by_unit", counted("coverage", store_cache.coverage_by_unit)
    )
    app = AppTest.from_function(_page, default_timeout=120).run()
    assert not app.exception, app.exception
    assert sorted(runs) == ["coverage", "overlaps"]
    app.run()  # a rerun reads the caches
    assert sorted(runs) == ["coverage", "overlaps"]


def test_a_button_makes_its_file_only_when_asked(tmp_path):
    from geo.analyse.run import analyse_store
    from geo.demo.build import build_demo
    from geo.store import open_store
    from ui.ekspor import _deferred

    analyses = analyse_store(open_store(build_demo(tmp_path / "demo.gpkg")))
    make = _deferred("xlsx", analyses, "id", "Rakor")
    assert callable(make)
    assert make()[:2] == b"PK"  # an xlsx is a zip


def _table_with_buttons() -> None:
    from geo.analyse.run import analyse_store
    from geo.settings import default_store_path
    from geo.store import open_store
    from ui.ekspor import download_buttons

    analyses = analyse_store(open_store(default_store_path()))
    download_buttons(analyses, ("xlsx", "gpkg"), key="tumpang_tindih")


def test_buttons_for_chosen_exports_can_sit_next_to_a_table(store_path):
    from geo.demo.build import build_demo

    build_demo(store_path)
    app = AppTest.from_function(_table_with_buttons, default_timeout=120).run()
    assert not app.exception, app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == [EXPORTS["xlsx"].label("id"), EXPORTS["gpkg"].label("id")]


def test_an_export_that_cannot_be_made_is_told_on_the_page(store_path, monkeypatch):
    """The file is made outside the script run; when that fails the error still reaches the
    log and the browser, and the page says which export failed and why on its next run."""
    import tempfile

    from geo.analyse.run import analyse_store
    from geo.demo.build import build_demo
    from geo.store import open_store
    from ui import state
    from ui.ekspor import _deferred

    build_demo(store_path)
    failures: dict[str, str] = {}
    make = _deferred("gpkg", analyse_store(open_store(store_path)), "id", "", failures)
    with monkeypatch.context() as broken:  # the server's temporary folder is gone
        broken.setattr(tempfile, "tempdir", str(store_path.parent / "no-such-folder"))
        with pytest.raises(FileNotFoundError):
            make()
    assert failures == {"gpkg": "FileNotFoundError"}

    app = AppTest.from_function(_table_with_buttons, default_timeout=120).run()
    app.session_state[state.EXPORT_FAILURES] = failures
    app.run()
    assert [e.value for e in app.error] == [
        "Temuan untuk QGIS (GeoPackage): berkas tidak dapat dibuat (FileNotFoundError). "
        "Rinciannya ada di log server; laporkan bila terulang."
    ]
    assert not app.run().error  # told once


def test_the_page_exports_the_analyses_the_pages_share_as_a_fresh_analysis_would(store_path):
    """The page reuses the analyses saved in the store (nothing recomputed on opening it):
    what it exports is what :func:`analyse_store` of the whole store gives."""
    import pandas as pd

    from geo.analyse.run import analyse_store
    from geo.demo.build import build_demo
    from geo.store import open_store
    from ui.common import csv_bytes, deferred_csv
    from ui.store_cache import current_store, store_export

    build_demo(store_path)
    fresh = analyse_store(open_store(store_path))
    shared = store_export(current_store())
    for field in ("projects", "overlaps", "mismatches", "coverage", "units", "uploads"):
        pd.testing.assert_frame_equal(
            pd.DataFrame(getattr(shared, field)), pd.DataFrame(getattr(fresh, field))
        )
    assert list(shared.reports) == list(fresh.reports) == list(fresh.uploads["id"])
    for upload_id, report in shared.reports.items():  # read when the workbook asks
        pd.testing.assert_frame_equal(report.to_frame(), fresh.reports[upload_id].to_frame())
    assert deferred_csv(shared.overlaps)() == csv_bytes(fresh.overlaps)
