"""Matriks Sinkronisasi in the app (AppTest) on the demo store: the rows of a kabupaten in a
year, cell by cell; the rows with a conflict; a decision recorded by an editor and shown again
after a reload; a viewer who sees but cannot record; the workbook and the A3 atlas of the
filtered matrix, made when their button is clicked; the page in English."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from geo.auth import add_user
from geo.demo.build import build_demo
from geo.store import open_store
from ui import state

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGE = "ui/pages/matriks.py"
PASSWORD = "kata-sandi-rahasia"
#: Kab. Bukit Contoh, where a district maintenance proposal meets a provincial contract.
BUKIT = "99.03"
#: The row where they meet: the provincial ruas P-001 from STA 17+100 to 19+100.
CONFLICT_ROW = "MX-P-001-17100-19100"
HEADERS_ID = [
    "Kabupaten/kota",
    "No",
    "Konflik (tahun)",
    "Kode ruas / D.I.",
    "STA",
    "Pusat: pekerjaan per tahun",
    "Provinsi: pekerjaan per tahun",
    "Kabupaten/Kota: pekerjaan per tahun",
    "Keputusan rapat",
    "Catatan rapat",
    "Nama ruas / D.I.",
    "Status / kewenangan",
    "Panjang (km)",
    "Temuan tumpang tindih",
    "Kode baris",
]
PROVINCE_CONTRACT = "2025–2026: peningkatan, Rp 11.991.000.000, kontrak [9900-1.03.10.2.01.0003]"
DISTRICT_PROPOSAL = "2026: pemeliharaan, Rp 606.000.000, usulan [9903-1.03.10.2.01.0001]"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "peta_sinergi.gpkg")


@pytest.fixture
def store(tmp_path, monkeypatch, demo_template) -> Path:
    path = tmp_path / "peta_sinergi.gpkg"
    shutil.copy(demo_template, path)
    monkeypatch.setenv("PETA_STORE", str(path))
    return path


@pytest.fixture
def accounts(tmp_path, monkeypatch, store) -> Path:
    """An editor of a district agency and a viewer."""
    users = tmp_path / "users.json"
    add_user("kab03", PASSWORD, "editor", "Dinas PUPR Kab. Bukit Contoh", path=users)
    add_user("pengamat", PASSWORD, "viewer", path=users)
    monkeypatch.setenv("PETA_USERS", str(users))
    return users


def opened(name: str | None = None, *, lang: str = "id") -> AppTest:
    """The app on the matrix page (signed in as ``name`` when given), Kab. Bukit Contoh in
    2026 chosen."""
    app = AppTest.from_file(str(APP), default_timeout=180)
    app.run()
    if name:
        app.text_input[0].input(name)
        app.text_input[1].input(PASSWORD)
        app.button[0].click().run()
    if lang != "id":
        app.session_state[state.LANG] = lang
    app.switch_page(PAGE).run()
    app.selectbox(key=f"{state.MATRIX_UNIT}_{lang}").set_value(BUKIT).run()
    app.selectbox(key=f"{state.MATRIX_YEAR}_{lang}").set_value(2026).run()
    assert not app.exception, app.exception
    return app


def select(app: AppTest, row: int) -> AppTest:
    app.session_state[state.MATRIX_TABLE] = {"selection": {"rows": [row], "columns": []}}
    return app.run()


def test_the_rows_of_a_kabupaten_in_a_year_cell_by_cell(store):
    app = opened()
    table = app.dataframe[0].value
    assert list(table.columns) == HEADERS_ID
    assert table[["No", "Konflik (tahun)", "Kode ruas / D.I.", "STA", "Panjang (km)", "Kode baris"]].to_dict("split")["data"] == [
        [1, "–", "K-03-002", "5+981 - 9+299", "3,32", "MX-K-03-002-5981-9299"],
        [2, "–", "K-03-003", "4+478 - 6+202", "1,72", "MX-K-03-003-4478-6202"],
        [3, "–", "K-03-003", "7+032 - 8+405", "1,37", "MX-K-03-003-7032-8405"],
        [4, "–", "P-001", "13+100 - 17+100", "4,00", "MX-P-001-13100-17100"],
        [5, "⚠ 2026", "P-001", "17+100 - 19+100", "2,00", CONFLICT_ROW],
        [6, "–", "P-001", "19+100 - 19+600", "0,50", "MX-P-001-19100-19600"],
        [7, "–", "P-006", "11+671 - 15+647", "3,98", "MX-P-006-11671-15647"],
        [8, "–", "D.I. Air Gadis", "–", "–", "MX-DI-D.I. Air Gadis"],
    ]  # fmt: skip
    assert set(table["Kabupaten/kota"]) == {"Kab. Bukit Contoh"}
    conflict = table.iloc[4]
    assert conflict["Nama ruas / D.I."] == "Simpang Contoh – Pematang Contoh"
    assert conflict["Status / kewenangan"] == "Jalan provinsi"
    assert conflict["Pusat: pekerjaan per tahun"] == "–"
    assert conflict["Provinsi: pekerjaan per tahun"] == PROVINCE_CONTRACT
    assert conflict["Kabupaten/Kota: pekerjaan per tahun"] == DISTRICT_PROPOSAL
    assert conflict["Temuan tumpang tindih"] == "TT-fd872915d2"
    assert table.iloc[7]["Status / kewenangan"] == "Provinsi"  # the D.I.'s authority
    assert (
        "8 baris (7 segmen ruas, 1 daerah irigasi), 1 dengan konflik antar tingkat "
        "pemerintahan · keputusan rapat tercatat 0"
    ) in [c.value for c in app.caption]


def test_only_the_rows_with_a_conflict_and_a_level(store):
    app = AppTest.from_file(str(APP), default_timeout=180)
    app.run()
    app.switch_page(PAGE).run()
    app.toggle(key=state.MATRIX_ONLY_CONFLICTS).set_value(True).run()
    assert not app.exception, app.exception
    table = app.dataframe[0].value
    assert table[["Kabupaten/kota", "Konflik (tahun)", "Kode baris"]].to_dict("split")["data"] == [
        ["Kab. Bukit Contoh", "⚠ 2026", CONFLICT_ROW],
        ["Kab. Rawa Contoh", "⚠ 2025", "MX-N-008-10343-13343"],
        ["Kab. Sungai Contoh", "⚠ 2025", "MX-N-004-13832-15032"],
        ["Kab. Tanjung Contoh", "⚠ 2025", "MX-DI-D.I. Air Betung"],
    ]  # fmt: skip
    # Rows where the centre works: the other levels' works on them stay shown.
    app.multiselect(key=f"{state.MATRIX_LEVELS}_id").set_value(["pusat"]).run()
    table = app.dataframe[0].value
    assert list(table["Kode baris"]) == [
        "MX-N-008-10343-13343",
        "MX-N-004-13832-15032",
        "MX-DI-D.I. Air Betung",
    ]
    assert table["Provinsi: pekerjaan per tahun"].iloc[0] == (
        "2025: rehabilitasi, Rp 4.207.000.000, berjalan [9900-1.03.10.2.01.0001]"
    )


def test_a_decision_is_saved_with_who_and_when_and_shown_again(store):
    app = select(opened(), 4)  # demo mode: the anonymous administrator of the demo data
    assert [s.value for s in app.subheader] == [
        "Keputusan rapat: Kab\\. Bukit Contoh baris 5 (MX\\-P\\-001\\-17100\\-19100)"
    ]
    decision = app.radio(key=f"{state.MATRIX_DECISION}_id_{CONFLICT_ROW}")
    assert decision.value == "Didiskusikan" and decision.options == [
        "Diterima",
        "Ditolak",
        "Didiskusikan",
    ]
    decision.set_value("Ditolak")
    app.text_area(key=f"{state.MATRIX_NOTE}_id_{CONFLICT_ROW}").input(
        "ruas provinsi sudah dikontrak 2025-2026"
    )
    app.text_input(key=f"{state.MATRIX_WHO}_id_{CONFLICT_ROW}").input("Bappeda Provinsi")
    app.button(key=f"FormSubmitter:matrix_{CONFLICT_ROW}-Simpan keputusan").click().run()
    assert not app.exception, app.exception
    assert [s.value for s in app.success] == [
        "Keputusan baris MX\\-P\\-001\\-17100\\-19100 disimpan."
    ]
    decisions = open_store(store).load_decisions("matrix")
    assert decisions[["subject_id", "decision", "note", "who"]].to_dict("records") == [
        {
            "subject_id": CONFLICT_ROW,
            "decision": "Ditolak",
            "note": "ruas provinsi sudah dikontrak 2025-2026",
            "who": "Bappeda Provinsi",
        }
    ]
    assert open_store(store).audit_log()["action"].iloc[-1] == "decision_saved"
    # A new session (a reload) shows it on its row, and who recorded it when.
    again = select(opened(), 4)
    row = again.dataframe[0].value.iloc[4]
    assert (row["Keputusan rapat"], row["Catatan rapat"]) == (
        "Ditolak",
        "ruas provinsi sudah dikontrak 2025-2026",
    )
    (last,) = [c.value for c in again.caption if c.value.startswith("Keputusan: ")]
    assert last.startswith("Keputusan: Ditolak oleh Bappeda Provinsi (")
    assert last.endswith(" WIB) — ruas provinsi sudah dikontrak 2025\\-2026")
    assert "keputusan rapat tercatat 1" in " ".join(c.value for c in again.caption)
    assert again.radio(key=f"{state.MATRIX_DECISION}_id_{CONFLICT_ROW}").value == "Ditolak"
    # A decision of the meeting's own words replaces it.
    again.text_input(key=f"{state.MATRIX_DECISION_OTHER}_id_{CONFLICT_ROW}").input(
        "dialihkan ke ruas K-03-003"
    )
    again.button(key=f"FormSubmitter:matrix_{CONFLICT_ROW}-Simpan keputusan").click().run()
    assert not again.exception, again.exception
    assert again.dataframe[0].value.iloc[4]["Keputusan rapat"] == "dialihkan ke ruas K-03-003"


def test_an_editor_records_and_a_viewer_only_sees(store, accounts):
    editor = select(opened("kab03"), 4)
    editor.button(key=f"FormSubmitter:matrix_{CONFLICT_ROW}-Simpan keputusan").click().run()
    assert not editor.exception, editor.exception
    decided = open_store(store).load_decisions("matrix").iloc[0]
    assert (decided["subject_id"], decided["decision"]) == (CONFLICT_ROW, "Didiskusikan")
    assert decided["who"] == "kab03 (editor, Dinas PUPR Kab. Bukit Contoh)"  # no name typed
    viewer = select(opened("pengamat"), 4)
    assert viewer.dataframe[0].value["Keputusan rapat"].iloc[4] == "Didiskusikan"
    assert not viewer.get("form"), "no form for a viewer"
    assert "Hanya penyunting dan administrator yang dapat mencatat keputusan." in [
        i.value for i in viewer.info
    ]


@pytest.fixture
def deferred(monkeypatch) -> dict[str, Callable[[], bytes]]:
    """The data callables of the download buttons the page draws, by file name: what
    Streamlit runs when a button is clicked."""
    made: dict[str, Callable[[], bytes]] = {}
    add = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[str(file_name)] = data_callable
        return add(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return made


def test_the_filtered_matrix_downloads_as_xlsx_and_a3_pdf(store, deferred):
    app = select(opened(), 4)
    app.button(key=f"FormSubmitter:matrix_{CONFLICT_ROW}-Simpan keputusan").click().run()
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == [
        "Unduh matriks (XLSX, satu lembar per kabupaten/kota)",
        "Unduh atlas matriks (PDF A3 mendatar)",
    ]
    book = openpyxl.load_workbook(io.BytesIO(deferred["matriks_sinkronisasi.xlsx"]()))
    assert book.sheetnames == ["Keterangan", "Kab. Bukit Contoh", "Pekerjaan"]
    sheet = book["Kab. Bukit Contoh"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = cells[0]
    ids = [row[header.index("Kode baris")] for row in cells[1:]]
    assert ids == [
        "MX-K-03-002-5981-9299",
        "MX-K-03-003-4478-6202",
        "MX-K-03-003-7032-8405",
        "MX-P-001-13100-17100",
        CONFLICT_ROW,
        "MX-P-001-19100-19600",
        "MX-P-006-11671-15647",
        "MX-DI-D.I. Air Gadis",
    ]
    conflict = dict(zip(header, cells[1 + ids.index(CONFLICT_ROW)], strict=True))
    assert conflict["Keputusan rapat"] == "Didiskusikan"  # the decision just saved
    assert conflict["Kabupaten/Kota: pekerjaan per tahun"] == DISTRICT_PROPOSAL
    pdf = deferred["matriks_sinkronisasi.pdf"]()
    assert pdf.startswith(b"%PDF")


def test_in_english_the_words_and_numbers_are_english(store):
    app = select(opened(lang="en"), 4)
    assert [t.value for t in app.title] == ["Synchronisation matrix"]
    table = app.dataframe[0].value
    assert list(table.columns)[:4] == [
        "District/city",
        "No",
        "Conflict (years)",
        "Ruas / D.I. code",
    ]
    conflict = table.iloc[4]
    assert conflict["Status / authority"] == "Provincial road"
    assert conflict["Length (km)"] == "2.00"
    assert conflict["District/City: works by year"] == (
        "2026: pemeliharaan, Rp 606,000,000, usulan [9903-1.03.10.2.01.0001]"
    )
    assert app.selectbox(key=f"{state.MATRIX_UNIT}_en").options[0] == "all districts/cities"
    assert app.radio(key=f"{state.MATRIX_DECISION}_en_{CONFLICT_ROW}").options == [
        "Accepted",
        "Rejected",
        "To discuss",
    ]
    assert [s.value for s in app.subheader] == [
        "Meeting decision: Kab\\. Bukit Contoh row 5 (MX\\-P\\-001\\-17100\\-19100)"
    ]
    captions = " ".join(c.value for c in app.caption)
    assert "8 rows (7 ruas stretches, 1 irrigation areas), 1 with a conflict" in captions
    assert "7 bridge work\\(s\\) are not in the matrix" in captions
