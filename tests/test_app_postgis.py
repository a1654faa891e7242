"""The app in server mode (AppTest): ``DATABASE_URL`` names a database on the private PostGIS
cluster, and every page works on it as on the GeoPackage — and never shows the password."""

from __future__ import annotations

import socket

import pytest
from streamlit.testing.v1 import AppTest

from geo.read.projects import read_projects
from geo.store.postgis import PostGISStore
from tests.app_support import add_admin, sign_in_if_asked
from tests.test_app import APP, NOTICE_ID, PAGES

#: Trust authentication ignores it, so the URL works and carries a password to leak.
PASSWORD = "rahasia-basis-data"
SAMPLES = [
    ("bpjn_jambi_2025.zip", {"level": "pusat"}),
    ("dinas_pupr_provinsi_jambi_geotagging_2025.csv", {"level": "provinsi"}),
    (
        "dinas_pupr_kab_muaro_jambi_2025.xlsx",
        {"level": "kabupaten", "agency": "Dinas PUPR Kab. Muaro Jambi"},
    ),
]


@pytest.fixture
def database_url(postgis_cluster, tmp_path, monkeypatch) -> str:
    """A new empty database as ``$DATABASE_URL`` (with a password); ``$PETA_STORE`` names a
    GeoPackage that must never be made."""
    url = postgis_cluster.new_database().replace("://peta@", f"://peta:{PASSWORD}@")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PETA_STORE", str(tmp_path / "peta_sinergi.gpkg"))
    # A database opens read-only until someone signs in: the tests' administrator.
    monkeypatch.setenv("PETA_USERS", str(add_admin(tmp_path / "users.json")))
    return url


@pytest.fixture
def store(database_url):
    """The database through the store interface: another client of the app's database."""
    opened = PostGISStore(database_url)
    yield opened
    opened.close()


@pytest.fixture
def filled(store, samples):
    """Three agencies' uploads (9 projects), no reference layers."""
    for name, options in SAMPLES:
        store.import_result(read_projects(samples / name, **options))
    return store


@pytest.fixture
def app(database_url) -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=120)


def _open(app: AppTest, page: str) -> AppTest:
    sign_in_if_asked(app.run())
    return app.switch_page(page).run()


def _projects_shown(app: AppTest) -> int:
    return sum(int(metric.value.split()[0]) for metric in app.metric)


def _rendered_text(app: AppTest) -> str:
    """Everything the page sends to the browser: each element's message, tables as CSV."""

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    parts = []
    for node in walk(app._tree):
        parts.append(str(getattr(node, "proto", "")))
        if node.type == "arrow_data_frame":
            parts.append(node.value.to_csv())
    return "\n".join(parts)


def test_the_map_shows_the_databases_projects_and_no_demo(app, filled, tmp_path):
    sign_in_if_asked(app.run())

    assert not app.exception, app.exception
    assert not app.error
    counts = {metric.label: int(metric.value.split()[0]) for metric in app.metric}
    assert counts == {"Pusat": 3, "Provinsi": 4, "Kabupaten/Kota": 2}
    assert NOTICE_ID not in [info.value for info in app.info]
    assert not (tmp_path / "peta_sinergi.gpkg").exists(), "no demo GeoPackage either"
    assert len(filled.list_uploads()) == 3, "nothing written into the database"


def test_an_import_by_another_client_shows_on_the_next_rerun(app, filled, samples):
    sign_in_if_asked(app.run())
    assert _projects_shown(app) == 9

    filled.import_result(
        read_projects(
            samples / "bws_sumatera_vi_irigasi_2025.kmz", level="pusat", agency="BWS Sumatera VI"
        )
    )
    sign_in_if_asked(app.run())

    assert not app.exception, app.exception
    assert _projects_shown(app) == 11, "the version changed: the cache was reread"
    assert app.caption[1].value == "11 dari 11 proyek ditampilkan"


def test_an_empty_database_shows_the_empty_store_message(app, store, database_url, tmp_path):
    sign_in_if_asked(app.run())

    assert not app.exception, app.exception
    assert not app.error
    shown = database_url.replace(PASSWORD, "***")
    assert f"Belum ada proyek di penyimpanan {shown}." in [w.value for w in app.warning]
    assert NOTICE_ID not in [info.value for info in app.info]
    assert store.list_uploads().empty, "no demo data in a database"
    assert not (tmp_path / "peta_sinergi.gpkg").exists(), "nor a demo GeoPackage beside it"


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_on_an_empty_database(app, store, page):
    _open(app, page)

    assert not app.exception, app.exception
    assert [title.value for title in app.title] == [PAGES[page]]
    assert not app.error


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_on_the_database_and_never_shows_the_password(app, filled, page):
    _open(app, page)

    assert not app.exception, app.exception
    assert [title.value for title in app.title] == [PAGES[page]]
    assert not app.error
    assert PASSWORD not in _rendered_text(app)
    if page.endswith("tumpang_tindih.py"):
        assert len(app.dataframe[0].value) == 3, "the bridge and two road stretches overlap"


def test_the_data_page_lists_the_uploads_and_deletes_one(app, filled):
    uploads = filled.list_uploads()
    last = int(uploads["id"].iloc[-1])
    _open(app, "ui/pages/data.py")
    assert list(app.dataframe[0].value["No. unggahan"]) == list(uploads["id"])
    assert "peta:***@127.0.0.1" in app.caption[0].value, "the database, without its password"
    app.selectbox(key="data_upload").select(last).run()
    app.checkbox(key=f"data_delete_confirm_{last}").check().run()
    next(button for button in app.button if button.label == "Hapus unggahan ini").click().run()

    assert not app.exception, app.exception
    assert app.success[0].value.startswith(f"Unggahan {last} dihapus")
    assert list(filled.list_uploads()["id"]) == list(uploads["id"].iloc[:-1])
    assert list(app.dataframe[0].value["No. unggahan"]) == list(uploads["id"].iloc[:-1])
    app.switch_page("ui/pages/peta.py").run()
    assert _projects_shown(app) == 7, "the map lost the deleted upload's 2 projects"


def test_the_wizard_imports_into_the_database(app, filled, samples):
    _open(app, "ui/pages/unggah.py")
    zipped = (samples / "bws_sumatera_vi_irigasi_2025.kmz").read_bytes()
    app.file_uploader[0].set_value(
        ("bws_sumatera_vi_irigasi_2025.kmz", zipped, "application/vnd.google-earth.kmz")
    ).run()
    app.selectbox(key="upload_level").select("pusat").run()
    app.text_input(key="upload_agency").input("BWS Sumatera VI").run()
    next(b for b in app.button if b.label == "Periksa berkas").click().run()
    next(b for b in app.button if b.label == "Simpan ke penyimpanan").click().run()

    assert not app.exception, app.exception
    assert not app.error
    assert app.success[0].value.startswith("Tersimpan sebagai unggahan 4")
    assert filled.list_uploads()["file_name"].iloc[-1] == "bws_sumatera_vi_irigasi_2025.kmz"
    app.switch_page("ui/pages/peta.py").run()
    assert _projects_shown(app) == 11


def test_an_unreachable_database_is_an_error_naming_database_url(monkeypatch, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"postgresql://peta:{PASSWORD}@127.0.0.1:{port}/peta")
    monkeypatch.setenv("PETA_STORE", str(tmp_path / "peta_sinergi.gpkg"))
    app = AppTest.from_file(str(APP), default_timeout=120)
    sign_in_if_asked(app.run())

    assert not app.exception, app.exception
    assert app.error[0].value.startswith("Basis data tidak dapat dihubungi")
    assert "DATABASE_URL" in app.error[0].value
    assert app.code[0].value.startswith(f"postgresql+psycopg://peta:***@127.0.0.1:{port}/peta: ")
    assert not app.metric, "the page stops after the error"
    assert PASSWORD not in _rendered_text(app)
    app.selectbox(key="lang").select("en").run()
    assert app.error[0].value.startswith("The database cannot be reached")


def test_reruns_and_pages_share_one_connection_pool(app, filled, monkeypatch):
    import geo.store.postgis

    engines = []
    original = geo.store.postgis.engine_for

    def counted(url):
        engines.append(url)
        return original(url)

    monkeypatch.setattr(geo.store.postgis, "engine_for", counted)
    for page in PAGES:
        _open(app, page)
        assert not app.exception, app.exception
    sign_in_if_asked(app.run())

    assert len(engines) == 1, "the app's store is opened once, then reused"


def test_a_malformed_database_url_is_an_error_naming_it(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"peta:{PASSWORD}@127.0.0.1/peta")
    monkeypatch.setenv("PETA_STORE", str(tmp_path / "peta_sinergi.gpkg"))
    app = AppTest.from_file(str(APP), default_timeout=120)
    sign_in_if_asked(app.run())

    assert not app.exception, app.exception
    assert "DATABASE_URL" in app.error[0].value
    assert app.code[0].value.startswith("DATABASE_URL: not a database URL; set it to ")
    assert PASSWORD not in _rendered_text(app)
    assert not (tmp_path / "peta_sinergi.gpkg").exists(), "not taken for a file name"


def test_a_database_without_accounts_opens_read_only(app, filled, tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_USERS", str(tmp_path / "no-accounts-yet.json"))
    app.run()
    assert not app.exception, app.exception
    assert _projects_shown(app) == 9, "officials still see the map"
    assert app.sidebar.info[0].value.startswith("Mode hanya-baca")
    assert not app.sidebar.warning, "never the demo's anonymous administrator"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("ui/pages/unggah.py").run()


def test_a_proposal_status_set_on_the_page_lands_in_the_database(app, filled):
    from geo.finding_ids import proposal_subject_id
    from tests.test_app_cek_usulan import KAB, PROPOSALS
    from ui import state

    _open(app, "ui/pages/cek_usulan.py")
    app.file_uploader[0].set_value(("usulan.csv", PROPOSALS, "text/csv")).run()
    table = app.dataframe[0].value
    assert list(table["Penempatan"]) == ["tidak ditempatkan"] * 4, "no road network stored"
    app.session_state[state.PROPOSAL_TABLE] = {"selection": {"rows": [3], "columns": []}}
    app.run()
    subject = proposal_subject_id("U-4", proposer=KAB, level="kabupaten")
    app.radio(key=f"{state.PROPOSAL_STATUS}_id_{subject}").set_value("Ditolak")
    app.button(key=f"FormSubmitter:proposal_{subject}-Simpan status").click().run()
    assert not app.exception, app.exception
    assert filled.load_decisions("proposal")[["subject_id", "decision"]].values.tolist() == [
        [subject, "Ditolak"]
    ]
    # The database's version moved: the page reads the decision back on its rerun.
    assert app.dataframe[0].value["Status ditetapkan"].iloc[3] == "Ditolak"
