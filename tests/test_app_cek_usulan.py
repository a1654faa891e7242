"""Cek Usulan in the app (AppTest) on the demo store: a small proposal list checked, each row's
placement and suggested status, a status set by an editor and shown again after a reload, a
viewer who sees but cannot set, a bad file told in the app's language."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from geo.auth import add_user
from geo.demo.build import build_demo
from geo.finding_ids import proposal_subject_id
from geo.store import open_store
from ui import state

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGE = "ui/pages/cek_usulan.py"
PASSWORD = "kata-sandi-rahasia"
KAB = "Dinas PUPR Kab. Sungai Contoh"
PROV = "Dinas PUPR Provinsi Contoh"
#: Four rows as KRISNA exports them (``;``, Indonesian numbers): a district's proposal on a
#: provincial ruas where the province holds a contract (refused), a district's own ruas
#: (accepted), the province's name-only row on the same ruas (to discuss), and a row naming
#: only a kecamatan the demo's units (kabupaten only) do not hold (not placed).
PROPOSALS = (
    "Kode Usulan;Nama Kegiatan;Kode Ruas;Nama Ruas;STA Awal;STA Akhir;Kecamatan;Tahun;Pagu;"
    "Sumber Dana;Usulan Dari\n"
    f"U-1;Rehabilitasi Jalan Simpang - Pematang;P-001;;13+500;15+000;;2025;2.500.000.000;DAK;{KAB}\n"
    f"U-2;Peningkatan Jalan Sinar Damai;K-01-001;;0+000;1+000;;2026;1.200.000.000;DAK;{KAB}\n"
    "U-3;Pemeliharaan Jalan Simp. Contoh - Pematang Contoh;;Simp. Contoh - Pematang Contoh;;;;"
    f"2025;3.000.000.000;APBD Provinsi;{PROV}\n"
    f"U-4;Jalan Lingkungan;;;;;Kec. Tanpa Nama;2026;500.000.000;APBD Kabupaten;{KAB}\n"
).encode()
U1 = proposal_subject_id("U-1", proposer=KAB, level="kabupaten")


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
    """An editor of another agency and a viewer: statuses are not an agency's records."""
    users = tmp_path / "users.json"
    add_user("kab04", PASSWORD, "editor", "Dinas PUPR Kab. Tanjung Contoh", path=users)
    add_user("pengamat", PASSWORD, "viewer", path=users)
    monkeypatch.setenv("PETA_USERS", str(users))
    return users


def opened(name: str | None = None, *, lang: str = "id") -> AppTest:
    """The app on Cek Usulan (signed in as ``name`` when given) with the list uploaded."""
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    if name:
        app.text_input[0].input(name)
        app.text_input[1].input(PASSWORD)
        app.button[0].click().run()
    if lang != "id":
        app.session_state[state.LANG] = lang
    app.switch_page(PAGE).run()
    app.file_uploader[0].set_value(("usulan_kab.csv", PROPOSALS, "text/csv")).run()
    assert not app.exception, app.exception
    return app


def select(app: AppTest, row: int) -> AppTest:
    app.session_state[state.PROPOSAL_TABLE] = {"selection": {"rows": [row], "columns": []}}
    return app.run()


def test_each_row_is_placed_and_given_a_suggested_status(store):
    app = opened()
    table = app.dataframe[0].value
    assert list(table.columns) == [
        "No.",
        "Kode usulan",
        "Usulan",
        "Status saran",
        "Status ditetapkan",
        "Penempatan",
        "Ruas",
        "STA",
        "Alasan",
        "Bertemu dengan",
        "Usulan dari",
        "Tingkat pemerintahan",
        "Tahun",
        "Pagu (Rp)",
        "Catatan rapat",
        "Ditetapkan oleh",
        "Waktu penetapan",
    ]
    assert table[["No.", "Kode usulan", "Penempatan", "Ruas", "STA", "Status saran"]].to_dict(
        "split"
    )["data"] == [
        [1, "U-1", "ruas dan STA", "P-001 Simpang Contoh – Pematang Contoh", "13+500 – 15+000", "Ditolak"],
        [2, "U-2", "ruas dan STA", "K-01-001 Muara Contoh – Desa Sinar Damai", "0+000 – 1+000", "Diterima"],
        [3, "U-3", "seluruh ruas", "P-001 Simpang Contoh – Pematang Contoh", "0+000 – 20+385", "Didiskusikan"],
        [4, "U-4", "tidak ditempatkan", "–", "–", "Didiskusikan"],
    ]  # fmt: skip
    assert list(table["Pagu (Rp)"]) == [
        "Rp 2.500.000.000",
        "Rp 1.200.000.000",
        "Rp 3.000.000.000",
        "Rp 500.000.000",
    ]
    assert table["Bertemu dengan"].iloc[0] == "U-3; 9900-1.03.10.2.01.0003"
    assert (
        table["Alasan"]
        .iloc[0]
        .startswith(
            "kewenangan: ruas P-001 berstatus jalan provinsi, diusulkan oleh kabupaten/kota"
        )
    )
    assert table["Alasan"].iloc[3] == (
        "tidak dapat ditempatkan: batas wilayah tidak memuat kecamatan "
        "(dicari kecamatan 'Kec. Tanpa Nama')"
    )
    captions = [c.value for c in app.caption]
    assert (
        "4 baris: ditempatkan pada STA 2, seluruh ruas 1, D.I. 0, wilayah 0, tidak ditempatkan 1 · "
        "status saran: Diterima 1, Ditolak 1, Didiskusikan 2 · ditetapkan 0"
    ) in captions
    assert (
        "Peta: 3 dari 4 baris (baris tanpa lokasi atau tanpa tingkat pengusul tidak digambar)."
        in captions
    )


def test_in_english_the_words_and_numbers_are_english(store):
    app = opened(lang="en")
    table = app.dataframe[0].value
    assert [t.value for t in app.title] == ["Check proposals"]
    first = table.iloc[0]
    assert (first["Placed by"], first["Suggested status"], first["Budget (Rp)"]) == (
        "ruas and STA",
        "Rejected",
        "Rp 2,500,000,000",
    )
    assert first["Reasons"].startswith(
        "authority: ruas P-001 is a provincial road, proposed by district/city"
    )
    assert "overlap of 1.50 km with 9900-1.03.10.2.01.0003" in first["Reasons"]
    assert table["Reasons"].iloc[1] == "no overlap with other work, and the authority is right"
    app = select(app, 0)
    assert [s.value for s in app.subheader] == ["Set the status of row 1: U\\-1"]
    assert app.radio(key=f"{state.PROPOSAL_STATUS}_en_{U1}").value == "Ditolak"
    assert app.radio(key=f"{state.PROPOSAL_STATUS}_en_{U1}").options == [
        "Accepted",
        "Rejected",
        "To discuss",
    ]


def test_the_level_chosen_is_the_level_of_every_row(store):
    app = opened()
    app.selectbox(key=f"{state.PROPOSAL_LEVEL}_id").set_value("provinsi").run()
    assert not app.exception, app.exception
    table = app.dataframe[0].value
    assert set(table["Tingkat pemerintahan"]) == {"Provinsi"}
    # The province proposing on its own ruas: no kewenangan refusal, a double entry to discuss.
    assert list(table["Status saran"]) == [
        "Didiskusikan",
        "Ditolak",
        "Didiskusikan",
        "Didiskusikan",
    ]


def test_a_status_set_is_saved_with_who_and_when_and_shown_again(store):
    app = select(opened(), 0)  # demo mode: the anonymous administrator of the demo data
    assert [s.value for s in app.subheader] == ["Tetapkan status baris 1: U\\-1"]
    assert app.radio(key=f"{state.PROPOSAL_STATUS}_id_{U1}").value == "Ditolak"  # the suggestion
    app.radio(key=f"{state.PROPOSAL_STATUS}_id_{U1}").set_value("Didiskusikan")
    app.text_area(key=f"{state.PROPOSAL_NOTE}_id_{U1}").input("bahas dengan provinsi")
    app.text_input(key=f"{state.PROPOSAL_WHO}_id_{U1}").input("Bappeda Kab. Sungai Contoh")
    app.button(key=f"FormSubmitter:proposal_{U1}-Simpan status").click().run()
    assert not app.exception, app.exception
    assert [s.value for s in app.success] == ["Status baris 1 disimpan."]
    decisions = open_store(store).load_decisions("proposal")
    assert decisions[["subject_id", "decision", "note", "who"]].to_dict("records") == [
        {
            "subject_id": U1,
            "decision": "Didiskusikan",
            "note": "bahas dengan provinsi",
            "who": "Bappeda Kab. Sungai Contoh",
        }
    ]
    assert open_store(store).audit_log()["action"].iloc[-1] == "decision_saved"
    # A new session (a reload) opening the same list shows it on its row.
    again = opened()
    row = again.dataframe[0].value.iloc[0]
    assert (row["Status ditetapkan"], row["Catatan rapat"], row["Ditetapkan oleh"]) == (
        "Didiskusikan",
        "bahas dengan provinsi",
        "Bappeda Kab. Sungai Contoh",
    )
    assert row["Waktu penetapan"].endswith(" WIB")
    assert "ditetapkan 1" in " ".join(c.value for c in again.caption)


def test_an_editor_sets_a_status_and_a_viewer_only_sees_it(store, accounts):
    editor = select(opened("kab04"), 1)
    subject = proposal_subject_id("U-2", proposer=KAB, level="kabupaten")
    editor.radio(key=f"{state.PROPOSAL_STATUS}_id_{subject}").set_value("Diterima")
    editor.button(key=f"FormSubmitter:proposal_{subject}-Simpan status").click().run()
    assert not editor.exception, editor.exception
    decided = open_store(store).load_decisions("proposal").iloc[0]
    assert (decided["subject_id"], decided["decision"]) == (subject, "Diterima")
    assert decided["who"] == "kab04 (editor, Dinas PUPR Kab. Tanjung Contoh)"  # no name typed
    viewer = select(opened("pengamat"), 1)
    assert viewer.dataframe[0].value["Status ditetapkan"].iloc[1] == "Diterima"
    assert not viewer.get("form"), "no form for a viewer"
    assert "Hanya penyunting dan administrator yang dapat menetapkan status." in [
        i.value for i in viewer.info
    ]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        (
            "anggaran.csv",
            b"a;b\n1;2\n",
            "anggaran.csv: kolom usulan tidak ditemukan; baris judul kolom perlu satu kolom "
            "lokasi (kode ruas, nama ruas, STA awal/akhir, desa, kecamatan atau nama D.I.) dan "
            "satu kolom lain yang dikenal (tahun, pagu, usulan dari, ...)",
        ),
        (
            "rusak.xlsx",
            b"PK\x03\x04 bukan buku kerja",
            "rusak.xlsx: bukan buku kerja Excel yang dapat dibaca (BadZipFile: File is not a "
            "zip file); buka di Excel atau LibreOffice lalu simpan lagi sebagai .xlsx",
        ),
    ],
)
def test_a_bad_file_says_which_and_what_to_do_in_the_apps_language(store, name, content, problem):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    app.switch_page(PAGE).run()
    app.file_uploader[0].set_value((name, content, "application/octet-stream")).run()
    assert not app.exception, app.exception
    escaped = name.replace(".", "\\.")
    assert [e.value for e in app.error] == [f"Daftar usulan {escaped} tidak dapat dibaca"]
    assert [c.value for c in app.code] == [problem]
    assert not app.dataframe


def test_the_checked_list_downloads_as_xlsx_with_the_status_set(store, tmp_path):
    from geo.analyse.proposals import check_proposals, subject_ids
    from geo.analyse.run import road_network
    from geo.read.proposals import read_proposals
    from layers.proposals import proposal_workbook, with_decisions

    app = select(opened(), 0)
    app.button(key=f"FormSubmitter:proposal_{U1}-Simpan status").click().run()  # as suggested
    (button,) = app.get("download_button")
    assert button.proto.label == "Unduh hasil pemeriksaan (XLSX)"
    # The workbook the button writes, from the same parts the page uses.
    path = tmp_path / "usulan_kab.csv"
    path.write_bytes(PROPOSALS)
    stored = open_store(store)
    proposals = read_proposals(path)
    checked = check_proposals(
        proposals,
        network=road_network(stored.load_reference("roads")),
        units=stored.load_reference("admin_units"),
        projects=stored.load_projects(),
    )
    ids = subject_ids(proposals, "not used: the list has its own codes")
    assert ids[0] == U1
    rows = with_decisions(checked, ids, stored.load_decisions("proposal"))
    sheet = openpyxl.load_workbook(io.BytesIO(proposal_workbook(rows)))["Cek Usulan"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Kode Usulan", "Nama Kegiatan", "Kode Ruas"]  # the list's own
    assert header[-5:] == [
        "subject_id",
        "decided_status",
        "decided_note",
        "decided_by",
        "decided_at",
    ]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (first["placement"], first["suggested_status"], first["decided_status"]) == (
        "sta",
        "Ditolak",
        "Ditolak",
    )
    assert first["decided_by"] == "demo (admin)"
    second = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert second["decided_status"] in ("", None)


def test_rows_naming_a_daerah_irigasi_are_placed_on_the_stores_di(store):
    """A kabupaten's proposal on a D.I. of the province (refused), and one on its own D.I.
    written another way ("Sei" for Sungai), which the demo's kabupaten works in (accepted)."""
    listed = (
        "Kode Usulan;Nama Kegiatan;Nama D.I.;Tahun;Pagu;Sumber Dana;Usulan Dari\n"
        f"D-1;Rehabilitasi Jaringan Irigasi;D.I. Batang Gelam;2026;900.000.000;DAK;{KAB}\n"
        f"D-2;Rehabilitasi Jaringan Irigasi;DI Sei Gadis;2026;400.000.000;DAK;{KAB}\n"
    ).encode()
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    app.switch_page(PAGE).run()
    app.file_uploader[0].set_value(("usulan_di.csv", listed, "text/csv")).run()
    assert not app.exception, app.exception
    table = app.dataframe[0].value
    assert table[["Kode usulan", "Penempatan", "Ruas", "STA", "Status saran"]].to_dict("split")[
        "data"
    ] == [
        ["D-1", "Daerah Irigasi", "D.I. Batang Gelam", "–", "Ditolak"],
        ["D-2", "Daerah Irigasi", "D.I. Sungai Gadis", "–", "Diterima"],
    ]
    assert table["Alasan"].iloc[0].split("; ") == [
        "kewenangan: D.I. Batang Gelam kewenangan provinsi, diusulkan oleh kabupaten/kota "
        "(Kewenangan menurut data D.I.: kewenangan Pemerintah Provinsi)",
        "tumpang tindih di D.I. Batang Gelam dengan 9900-1.03.03.2.01.0019 (Dinas PUPR Provinsi "
        "Contoh, provinsi, 2024, selesai, pagu Rp 1.480.000.000), selisih 2 tahun",
    ]
    assert table["Bertemu dengan"].iloc[0] == "9900-1.03.03.2.01.0019"
    assert (
        "2 baris: ditempatkan pada STA 0, seluruh ruas 0, D.I. 2, wilayah 0, tidak ditempatkan 0 · "
        "status saran: Diterima 1, Ditolak 1, Didiskusikan 0 · ditetapkan 0"
    ) in [c.value for c in app.caption]
