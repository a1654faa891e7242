"""The Streamlit app run headless with AppTest on a demo store and on an empty store."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from geo.demo.build import build_demo
from geo.errors import GeoInputError
from geo.settings import Settings
from geo.store import open_store
from layers.formatting import wrapped_lines
from tests.app_support import add_admin, sign_in_if_asked

APP = Path(__file__).resolve().parent.parent / "app.py"
NOTICE_ID = "Data contoh (ilustratif) — bukan data resmi"
NOTICE_EN = "Sample data (illustrative) — not official data"
#: Page script -> its title in Bahasa Indonesia.
PAGES = {
    "ui/pages/peta.py": "Peta Sinergi",
    "ui/pages/unggah.py": "Unggah",
    "ui/pages/tumpang_tindih.py": "Tumpang Tindih",
    "ui/pages/kewenangan.py": "Kewenangan",
    "ui/pages/kesenjangan.py": "Kesenjangan",
    "ui/pages/cek_usulan.py": "Cek Usulan",
    "ui/pages/matriks.py": "Matriks Sinkronisasi",
    "ui/pages/ekspor.py": "Ekspor",
    "ui/pages/data.py": "Data",
}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """The demo store, built once; each test works on its own copy."""
    return build_demo(tmp_path_factory.mktemp("demo") / "peta_sinergi.gpkg")


@pytest.fixture
def store_path(tmp_path, monkeypatch) -> Path:
    """Where the app's store lives; nothing there yet (the app builds the demo)."""
    path = tmp_path / "peta_sinergi.gpkg"
    monkeypatch.setenv("PETA_STORE", str(path))
    return path


@pytest.fixture
def demo_store(store_path, demo_template) -> Path:
    shutil.copy(demo_template, store_path)
    return store_path


@pytest.fixture
def empty_store(store_path) -> Path:
    """A new store (not the demo): read-only until its administrator signs in."""
    open_store(store_path)
    add_admin(store_path.parent / "users.json")
    return store_path


@pytest.fixture
def app(store_path) -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=120)


def _open(app: AppTest, page: str) -> AppTest:
    sign_in_if_asked(app.run())
    return app.switch_page(page).run()


def test_opens_on_the_demo_map_in_indonesian(app, store_path):
    # The first run builds the demo store, which takes a few seconds.
    app.run()

    assert not app.exception, app.exception
    assert store_path.exists(), "the demo store was built at $PETA_STORE"
    assert [title.value for title in app.title] == ["Peta Sinergi"]
    assert NOTICE_ID in [info.value for info in app.info]
    counts = {metric.label: metric.value for metric in app.metric}
    assert list(counts) == ["Pusat", "Provinsi", "Kabupaten/Kota"]
    assert all(value.endswith(" proyek") and int(value.split()[0]) > 0 for value in counts.values())
    assert not app.error


def test_switches_to_english(app, demo_store):
    app.run()
    app.selectbox(key="lang").select("en").run()

    assert not app.exception, app.exception
    assert NOTICE_EN in [info.value for info in app.info]
    assert [metric.label for metric in app.metric] == ["Central", "Province", "District/City"]
    assert app.sidebar.subheader[0].value == "Filter projects"
    app.switch_page("ui/pages/tumpang_tindih.py").run()
    assert [title.value for title in app.title] == ["Overlaps"]
    assert "Severity" in app.dataframe[0].value.columns


def test_the_language_stays_when_a_page_switch_arrives_without_the_selector(
    app, demo_store, monkeypatch
):
    """A page opened from the sidebar just after a reload can reach the server without the
    language selector's value (the browser has not sent it yet, and Streamlit drops the state
    of widgets missing from a page switch). The page stays in the language the session was
    showing, and its address keeps ``?lang=en``."""
    from streamlit.testing.v1.element_tree import ElementTree

    app.run()
    app.selectbox(key="lang").select("en").run()
    sent = ElementTree.get_widget_states

    def without_the_selector(tree):
        states = sent(tree)
        kept = [state for state in states.widgets if not state.id.endswith("-lang")]
        assert len(kept) == len(states.widgets) - 1, "the selector's state was in the message"
        del states.widgets[:]
        states.widgets.extend(kept)
        return states

    monkeypatch.setattr(ElementTree, "get_widget_states", without_the_selector)
    app.query_params.clear()  # a sidebar link's address carries no parameters
    app.switch_page("ui/pages/tumpang_tindih.py").run()

    assert not app.exception, app.exception
    assert [title.value for title in app.title] == ["Overlaps"]
    assert app.query_params.get("lang") == "en"


def test_unreadable_store_is_reported_not_raised(app, monkeypatch):
    def broken_store(path):
        raise GeoInputError(f"{Path(path).name}: not a GeoPackage; delete it or set PETA_STORE")

    monkeypatch.setattr("ui.store_cache.ensure_demo_store", broken_store)
    app.run()

    assert not app.exception, app.exception
    assert app.error[0].value == "Data proyek tidak dapat dibaca"
    assert app.code[0].value == "peta_sinergi.gpkg: not a GeoPackage; delete it or set PETA_STORE"
    assert not app.metric, "the page stops after the error"


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_on_the_demo_store(app, demo_store, page):
    _open(app, page)

    assert not app.exception, app.exception
    assert [title.value for title in app.title] == [PAGES[page]]
    assert not app.error
    assert NOTICE_ID in [info.value for info in app.info]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_on_an_empty_store(app, empty_store, page):
    _open(app, page)

    assert not app.exception, app.exception
    assert [title.value for title in app.title] == [PAGES[page]]
    assert not app.error
    assert NOTICE_ID not in [info.value for info in app.info]


def test_a_long_findings_table_keeps_the_most_pressing_rows(app, demo_store, monkeypatch):
    monkeypatch.setattr("ui.findings.TABLE_MAX_ROWS", 3)
    _open(app, "ui/pages/tumpang_tindih.py")

    assert not app.exception, app.exception
    table = app.dataframe[0].value
    assert len(table) == 3
    caption = next(c.value for c in app.caption if "paling mendesak" in c.value)
    total = int(caption.split()[0].replace(".", ""))
    assert total > 3 and caption.startswith(f"{total} temuan; tabel memuat 3 yang paling mendesak")
    severities = table["Prioritas"].tolist()
    assert severities == sorted(severities, key=["tinggi", "sedang", "rendah", "info"].index)
    # The numbers the slide and the meeting pack give these findings: the first three.
    assert table["No."].tolist() == ["1", "2", "3"]


def test_the_gap_chart_keeps_the_largest_gaps(app, demo_store, monkeypatch):
    monkeypatch.setattr("ui.kesenjangan.CHART_MAX_UNITS", 2)
    _open(app, "ui/pages/kesenjangan.py")

    assert not app.exception, app.exception
    units = len(app.dataframe[0].value)
    assert units > 2
    assert any(
        c.value == f"2 dari {units} kabupaten/kota dengan kesenjangan terbesar."
        for c in app.caption
    )


def test_kesenjangan_totals_the_budget_at_stake_in_both_languages(app, demo_store):
    _open(app, "ui/pages/kesenjangan.py")

    assert not app.exception, app.exception
    ledger = next(t.value for t in app.dataframe if "Rincian menurut" in t.value.columns)
    total = ledger.iloc[0]
    assert (total["Rincian menurut"], total["Uraian"]) == ("Jumlah seluruhnya", "Semua temuan")
    assert total["Anggaran terdampak"].startswith("Rp ") and "." in total["Anggaran terdampak"]
    assert "Kabupaten/Kota" in set(ledger["Rincian menurut"])
    assert "Pusat – Provinsi" in set(ledger["Uraian"])

    app.selectbox(key="lang").select("en").run()
    assert not app.exception, app.exception
    ledger = next(t.value for t in app.dataframe if "Totalled by" in t.value.columns)
    assert ledger.iloc[0]["Item"] == "All findings"
    assert "," in ledger.iloc[0]["Budget at stake"] and "Central – Province" in set(ledger["Item"])


def test_findings_pages_list_the_demo_findings(app, demo_store):
    _open(app, "ui/pages/tumpang_tindih.py")
    overlaps = app.dataframe[0].value
    assert len(overlaps) > 0 and overlaps["Kode temuan"].str.startswith("TT-").all()
    assert set(overlaps["Tinjauan"]) == {"belum ditinjau"}
    assert overlaps["Anggaran terdampak"].str.match(r"^(Rp \d{1,3}(\.\d{3})*|–)$").all()
    assert overlaps["Anggaran terdampak"].str.contains(r"^Rp \d{1,3}\.\d{3}\.\d{3}").any()

    app.switch_page("ui/pages/kewenangan.py").run()
    mismatches = app.dataframe[0].value
    assert mismatches["Kode temuan"].str.startswith("KW-").all()
    assert mismatches["No."].tolist()[:2] == ["K1", "K2"]
    assert {"tidak sesuai"} <= set(mismatches["Putusan"])


def test_findings_rows_are_tall_enough_for_each_pair_name_and_agency(app, demo_store):
    """The rows of the overlaps table hold the longest pair cell whole (name, level and agency:
    4-5 lines in the column's width), not the first 3 lines of it."""
    from ui import common

    _open(app, "ui/pages/tumpang_tindih.py")
    table = app.dataframe[0]
    shown_lines = (table.proto.row_height - common.WRAPPED_PAD_PX) // common.WRAPPED_LINE_PX
    for column in ("Proyek A", "Proyek B"):
        needed = wrapped_lines(table.value[column], common.WRAPPED_LINE_CHARS)
        assert needed > 3, table.value[column].tolist()
        assert shown_lines >= min(needed, common.WRAPPED_MAX_LINES), (column, needed)


def test_filters_change_what_is_shown(app, demo_store):
    app.run()
    total = sum(int(metric.value.split()[0]) for metric in app.metric)
    assert app.caption[1].value == f"{total} dari {total} proyek ditampilkan"

    app.multiselect(key="filter_levels_id").select("pusat").run()
    counts = {metric.label: int(metric.value.split()[0]) for metric in app.metric}
    assert counts["Pusat"] > 0 and counts["Provinsi"] == counts["Kabupaten/Kota"] == 0
    assert app.caption[1].value == f"{counts['Pusat']} dari {total} proyek ditampilkan"

    app.multiselect(key="filter_levels_id").set_value([]).run()
    app.multiselect(key="filter_assets_id").select("bridge").run()
    bridges = sum(int(metric.value.split()[0]) for metric in app.metric)
    assert 0 < bridges < total

    app.multiselect(key="filter_assets_id").set_value([]).run()
    app.multiselect(key="filter_units").select("99.71").run()
    in_kota = sum(int(metric.value.split()[0]) for metric in app.metric)
    assert 0 < in_kota < total
    assert not app.exception


def test_a_bad_upload_shows_the_readers_message(app, demo_store):
    before = open_store(demo_store).table_counts()
    _open(app, "ui/pages/unggah.py")
    app.file_uploader[0].set_value(("rusak.zip", b"not a zip at all", "application/zip")).run()

    assert not app.exception, app.exception
    assert [error.value for error in app.error] == ["Berkas tidak dapat diimpor"]
    assert app.code[0].value.startswith("rusak.zip: ")
    assert open_store(demo_store).table_counts() == before, "nothing stored"


def test_the_wizard_imports_a_zipped_shapefile_and_shows_its_findings(app, demo_store, samples):
    _open(app, "ui/pages/unggah.py")
    zipped = (samples / "bpjn_jambi_2025.zip").read_bytes()
    app.file_uploader[0].set_value(("bpjn_jambi_2025.zip", zipped, "application/zip")).run()
    assert not app.exception, app.exception
    mapping = {box.label: box.value for box in app.selectbox if box.key.startswith("upload_map_")}
    assert mapping["Kode paket"] == "KD_PAKET"
    assert mapping["Tahun anggaran"] == "TA"
    assert mapping["Pagu (Rp)"] == "PAGU_RP"

    app.selectbox(key="upload_level_id").select("pusat").run()
    app.button[0].click().run()  # Periksa berkas
    assert not app.exception, app.exception
    assert any("3 dibaca, 3 disimpan" in md.value for md in app.markdown)
    uploads_before = len(open_store(demo_store).list_uploads())

    app.button[1].click().run()  # Simpan ke penyimpanan
    assert not app.exception, app.exception
    assert len(open_store(demo_store).list_uploads()) == uploads_before + 1
    assert app.success[0].value.startswith("Tersimpan sebagai unggahan")
    assert not app.error


def test_the_wizard_checks_new_data_without_analysing_the_whole_store(app, demo_store, monkeypatch):
    from geo.analyse.run import analyse, overlaps_involving

    # A district re-digitises three stored roads: each new record overlaps a stored one.
    stored = open_store(demo_store).load_projects()
    roads = stored[stored["asset_type"] == "road"].head(3)
    upload = gpd.GeoDataFrame(
        {
            "kode_paket": [f"KAB-{i}" for i in range(len(roads))],
            "nama_paket": [f"Rehabilitasi ruas {i}" for i in range(len(roads))],
            "jenis_aset": "jalan",
            "instansi": "Dinas PUPR Kab. Uji",
            "tahun_anggaran": 2025,
            "pagu": 1e9,
        },
        geometry=roads.geometry.to_numpy(),
        crs=4326,
    )

    def whole_store(*args, since=None, **kwargs):
        if since is None:  # an update of an earlier analysis checks only the changed records
            raise AssertionError("the upload page analysed the whole store")
        return analyse(*args, since=since, **kwargs)

    _open(app, "ui/pages/unggah.py")
    monkeypatch.setattr("ui.store_cache.analyse", whole_store)
    app.file_uploader[0].set_value(
        ("kab_uji.geojson", upload.to_json(drop_id=True).encode(), "application/geo+json")
    ).run()
    app.selectbox(key="upload_level_id").select("kabupaten").run()
    app.button[0].click().run()  # Periksa berkas
    assert not app.exception, app.exception
    app.button[1].click().run()  # Simpan ke penyimpanan
    assert not app.exception, app.exception
    assert app.success[0].value.startswith("Tersimpan sebagai unggahan")

    projects = open_store(demo_store).load_projects()
    new = projects[projects["source_file"] == "kab_uji.geojson"]
    expected = overlaps_involving(analyse(projects).overlaps, of=new)
    assert len(new) == 3 and len(expected) >= 3
    assert sorted(app.dataframe[0].value["Kode temuan"]) == sorted(expected["finding_id"])
    # Drawn on stored roads: located on the store's network, as the caption says.
    located = [c.value for c in app.caption if c.value.startswith("Lokasi pada jaringan jalan")]
    assert located == [
        "Lokasi pada jaringan jalan: 3 dari 3 pekerjaan jalan terletak pada ruas (≥ 90% "
        "panjangnya), rata-rata 1 m dari ruas, terjauh 3 m."
    ]


def test_after_an_import_the_findings_are_updated_not_recomputed(
    app, demo_store, tmp_path, monkeypatch
):
    from geo.analyse.run import analyse
    from geo.read.projects import read_projects

    _open(app, "ui/pages/tumpang_tindih.py")  # the whole store analysed once
    before = set(app.dataframe[0].value["Kode temuan"])
    store = open_store(demo_store)
    roads = store.load_projects().query("asset_type == 'road'").head(2)
    upload = gpd.GeoDataFrame(
        {"kode_paket": ["KAB-1", "KAB-2"], "nama_paket": ["Ruas 1", "Ruas 2"], "tahun": 2025},
        geometry=roads.geometry.to_numpy(),
        crs=4326,
    )
    upload.to_file(tmp_path / "kab_uji.gpkg", driver="GPKG")
    store.import_result(
        read_projects(
            tmp_path / "kab_uji.gpkg", level="kabupaten", agency="Dinas PUPR Kab. Uji",
            asset_type="road",
        )
    )  # fmt: skip

    def whole_store(*args, since=None, **kwargs):
        if since is None:  # an update of the earlier analysis checks only the changed records
            raise AssertionError("the whole store was analysed again")
        return analyse(*args, since=since, **kwargs)

    monkeypatch.setattr("ui.store_cache.analyse", whole_store)
    app.run()
    assert not app.exception, app.exception
    shown = set(app.dataframe[0].value["Kode temuan"])
    projects = store.load_projects()
    expected = set(
        analyse(
            projects,
            roads=store.load_reference("roads"),
            irrigation_areas=store.load_reference("irrigation_areas"),
        ).overlaps["finding_id"]
    )
    assert shown == expected and len(shown) >= len(before) + 2


def test_the_data_page_deletes_an_upload_only_once_confirmed(app, demo_store):
    uploads = open_store(demo_store).list_uploads()
    last = int(uploads["id"].iloc[-1])
    _open(app, "ui/pages/data.py")
    app.selectbox(key="data_upload").select(last).run()
    assert app.subheader[0].value == f"Laporan impor unggahan {last}"
    delete = next(button for button in app.button if button.label == "Hapus unggahan ini")
    assert delete.disabled, "deleting needs the confirmation first"

    app.checkbox(key=f"data_delete_confirm_{last}").check().run()
    next(button for button in app.button if button.label == "Hapus unggahan ini").click().run()

    assert not app.exception, app.exception
    assert app.success[0].value.startswith(f"Unggahan {last} dihapus")
    assert list(open_store(demo_store).list_uploads()["id"]) == list(uploads["id"].iloc[:-1])


def test_the_data_page_lists_the_settings_in_force(app, demo_store, monkeypatch):
    monkeypatch.setenv("PETA_TOLERANCE_M", "35")  # read once, when the app starts its run
    _open(app, "ui/pages/data.py")
    assert not app.exception, app.exception
    (shown,) = [e for e in app.expander if e.label == "Pengaturan yang berlaku"]
    table = shown.dataframe[0].value
    values = dict(zip(table["Ambang"], table["Nilai"], strict=True))
    assert values["Toleransi ruas yang sama (m)"] == "35"
    assert values["Panjang tumpang tindih terkecil (m)"] == "50"
    assert values["Luas tumpang tindih irigasi terkecil (ha)"] == "1"
    assert len(values) == len(dataclasses.fields(Settings))


def test_exports_offer_csv_of_every_finding_table(app, demo_store):
    _open(app, "ui/pages/ekspor.py")
    labels = [button.label for button in app.get("download_button")]
    assert [label.split(" — ")[0] for label in labels if "(CSV)" in label] == [
        "Tumpang tindih (CSV)",
        "Kewenangan (CSV)",
        "Kesenjangan per kabupaten/kota (CSV)",
        "Daftar unggahan (CSV)",
    ]


def test_csv_downloads_write_formulas_as_text():
    import pandas as pd

    from ui.common import csv_bytes

    names = ["=HYPERLINK(1)", "Jalan", "Paket Jalan;=1+1;"]
    text = csv_bytes(pd.DataFrame({"name": names, "m": [1.5, 2.0, 3.0]}))
    assert text.decode("utf-8-sig").splitlines() == [
        '"name","m"',
        '"\'=HYPERLINK(1)",1.5',
        '"Jalan",2.0',
        '"Paket Jalan;\'=1+1;",3.0',
    ]


def test_a_loose_shapefile_is_read_from_its_parts(app, demo_store, samples):
    import zipfile

    with zipfile.ZipFile(samples / "bpjn_jambi_2025.zip") as archive:
        parts = [
            (name.rsplit("/", 1)[-1], archive.read(name), "application/octet-stream")
            for name in archive.namelist()
        ]
    _open(app, "ui/pages/unggah.py")
    app.file_uploader[0].set_value(parts).run()

    assert not app.exception, app.exception
    assert not app.error
    # Markdown source: file-derived text is escaped (EPSG\:32748) so it shows as written.
    crs_shown = [md.value.replace("\\", "") for md in app.markdown]
    assert any("EPSG:32748" in shown for shown in crs_shown), "read from the .shp"
    mapping = {box.label: box.value for box in app.selectbox if box.key.startswith("upload_map_")}
    assert mapping["Nama paket"] == "NM_PAKET"


def test_a_file_the_mapping_cannot_place_shows_what_to_choose(app, demo_store, samples):
    _open(app, "ui/pages/unggah.py")
    table = b"nama_paket;nama_kegiatan;tahun;lon;lat\nA;B;2025;103.5;-1.5\n"
    app.file_uploader[0].set_value(("dua_nama.csv", table, "text/csv")).run()
    assert not app.exception, app.exception
    app.button[0].click().run()  # Periksa berkas

    assert not app.exception, app.exception
    assert [error.value for error in app.error] == ["Berkas tidak dapat diimpor"]
    assert "several columns could be name" in app.code[-1].value


@pytest.fixture
def store_without_references(store_path, samples) -> Path:
    """Real uploads but no road network, Daerah Irigasi or units (a fresh installation)."""
    from geo.read.projects import read_projects

    add_admin(store_path.parent / "users.json")
    store = open_store(store_path)
    store.import_result(read_projects(samples / "bpjn_jambi_2025.zip", level="pusat"))
    store.import_result(
        read_projects(samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv", level="provinsi")
    )
    return store_path


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_on_uploads_without_reference_layers(app, store_without_references, page):
    _open(app, page)

    assert not app.exception, app.exception
    assert not app.error
    if page.endswith("tumpang_tindih.py"):
        assert len(app.dataframe[0].value) == 3, "the bridge and two road stretches overlap"
    if page.endswith("kewenangan.py") or page.endswith("kesenjangan.py"):
        assert "python -m geo reference" in app.info[0].value


def test_the_same_file_twice_changes_nothing_unless_replace_is_ticked(app, demo_store, samples):
    zipped = ("bpjn_jambi_2025.zip", (samples / "bpjn_jambi_2025.zip").read_bytes(), "x/zip")

    def save(replace: bool) -> None:
        app.checkbox(key="upload_replace").set_value(replace).run()
        next(b for b in app.button if b.label == "Periksa berkas").click().run()
        next(b for b in app.button if b.label == "Simpan ke penyimpanan").click().run()
        assert not app.exception, app.exception

    _open(app, "ui/pages/unggah.py")
    app.file_uploader[0].set_value(zipped).run()
    app.selectbox(key="upload_level_id").select("pusat").run()
    save(replace=False)
    first = open_store(demo_store).list_uploads()

    save(replace=False)
    assert app.warning[0].value.startswith(
        f"Berkas ini sudah diimpor sebagai unggahan {first['id'].iloc[-1]}"
    )
    assert len(open_store(demo_store).list_uploads()) == len(first)

    save(replace=True)
    after = open_store(demo_store).list_uploads()
    assert len(after) == len(first) and after["id"].iloc[-1] > first["id"].iloc[-1]
    assert app.success[0].value.startswith(f"Tersimpan sebagai unggahan {after['id'].iloc[-1]}")


def test_both_languages_have_every_text():
    from geo.read.inspect import MAPPABLE_FIELDS
    from geo.store.tables import REVIEW_DECISIONS
    from ui.i18n import TEXT

    assert set(TEXT["id"]) == set(TEXT["en"])
    needed = {f"field_{field}" for field in MAPPABLE_FIELDS}
    needed |= {f"decision_{d}" for d in REVIEW_DECISIONS} | {
        f"status_{d}" for d in REVIEW_DECISIONS
    }
    assert needed <= set(TEXT["id"])


def test_a_reimport_with_another_level_replaces_and_the_data_page_says_where_the_report_is(
    app, demo_store, samples
):
    zipped = ("bpjn_jambi_2025.zip", (samples / "bpjn_jambi_2025.zip").read_bytes(), "x/zip")

    def save(level: str) -> None:
        app.selectbox(key="upload_level_id").select(level).run()
        next(b for b in app.button if b.label == "Periksa berkas").click().run()
        next(b for b in app.button if b.label == "Simpan ke penyimpanan").click().run()
        assert not app.exception, app.exception

    _open(app, "ui/pages/unggah.py")
    app.file_uploader[0].set_value(zipped).run()
    save("pusat")
    first = int(open_store(demo_store).list_uploads()["id"].iloc[-1])
    save("provinsi")
    uploads = open_store(demo_store).list_uploads()
    assert first not in set(uploads["id"]), "the earlier upload of the file was replaced"
    assert [info.value for info in app.info if "pilihan lain" in info.value] == [
        f"Berkas yang sama pernah diimpor sebagai unggahan {first} dengan pilihan lain "
        "(pemetaan kolom, tingkat, instansi, jenis aset, CRS): impor ini menggantikannya."
    ]

    app.switch_page("ui/pages/data.py").run()
    last = int(uploads["id"].iloc[-1])
    app.selectbox(key="data_upload").select(last).run()
    assert app.subheader[0].value == f"Laporan impor unggahan {last}"
    assert (
        f"Laporan lengkap: setiap catatan dan setiap baris catatan berkas. Baris perintah: "
        f"python -m geo uploads --report {last} --out laporan.csv"
    ) in [caption.value for caption in app.caption]
