"""Sign-in in the app (AppTest): local accounts, what each role sees, the store refusing the rest."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.auth import add_user
from geo.demo.build import build_demo
from geo.store import open_store

APP = Path(__file__).resolve().parent.parent / "app.py"
PASSWORD = "kata-sandi-rahasia"
KAB = "Dinas PUPR Kab. Tanjung Contoh"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "peta_sinergi.gpkg")


@pytest.fixture
def app(tmp_path, monkeypatch, demo_template) -> AppTest:
    store = tmp_path / "peta_sinergi.gpkg"
    shutil.copy(demo_template, store)
    users = tmp_path / "users.json"
    add_user("kab04", PASSWORD, "editor", KAB, path=users)
    add_user("pengamat", PASSWORD, "viewer", path=users)
    monkeypatch.setenv("PETA_STORE", str(store))
    monkeypatch.setenv("PETA_USERS", str(users))
    return AppTest.from_file(str(APP), default_timeout=120)


def signed_in(app: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    app.run()
    app.text_input[0].input(name)
    app.text_input[1].input(password)
    return app.button[0].click().run()


def test_nothing_is_shown_before_signing_in(app):
    app.run()
    assert not app.exception, app.exception
    assert [t.value for t in app.title] == ["Peta Sinergi"]
    assert not app.metric, "no project counts before sign-in"
    signed_in(app, "kab04", "salah")
    assert app.error[0].value == "Nama pengguna atau kata sandi salah."


def test_a_viewer_sees_the_map_but_cannot_upload_delete_or_review(app):
    signed_in(app, "pengamat")
    assert not app.exception, app.exception
    assert any("pengamat (viewer)" in c.value.replace("\\", "") for c in app.sidebar.caption)
    assert app.metric, "the map page with its counts"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("ui/pages/unggah.py").run()  # no upload page in a viewer's menu
    app.switch_page("ui/pages/data.py").run()
    assert not any(b.label == "Hapus unggahan ini" for b in app.button)


def test_an_editor_may_delete_only_their_agencys_uploads(app):
    store = open_store(Path(os.environ["PETA_STORE"]))
    uploads = store.list_uploads()
    other = int(uploads.loc[uploads["agency"] != KAB, "id"].iloc[0])
    own = int(uploads.loc[uploads["agency"] == KAB, "id"].iloc[0])
    signed_in(app, "kab04")
    app.switch_page("ui/pages/data.py").run()
    app.selectbox(key="data_upload").select(other).run()
    assert not any(b.label == "Hapus unggahan ini" for b in app.button)
    app.selectbox(key="data_upload").select(own).run()
    app.checkbox(key=f"data_delete_confirm_{own}").check().run()
    next(b for b in app.button if b.label == "Hapus unggahan ini").click().run()
    assert not app.exception, app.exception
    assert set(store.list_uploads()["id"]) == set(uploads["id"]) - {own}
    assert store.audit_log()["who"].iloc[-1] == "kab04"
    # The audit trail is on the Data page, newest first, and downloadable.
    app.run()
    trail = app.expander[0]
    assert trail.label.startswith("Jejak audit")
    latest = trail.dataframe[0].value.iloc[0]
    assert (latest["Pengguna"], latest["Peran"], latest["Tindakan"]) == (
        "kab04",
        "penyunting",
        "hapus unggahan",
    )
    assert latest["Waktu"].endswith(" WIB")
    assert any(b.label == "Unduh jejak audit (CSV)" for b in app.get("download_button"))


def test_a_real_store_without_accounts_opens_read_only_never_as_admin(
    tmp_path, monkeypatch, samples
):
    from geo.read.projects import read_projects

    store = open_store(tmp_path / "peta.gpkg")
    store.import_result(read_projects(samples / "bpjn_jambi_2025.zip", level="pusat"))
    monkeypatch.setenv("PETA_STORE", str(store.path))
    monkeypatch.delenv("PETA_USERS", raising=False)
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not app.exception, app.exception
    notice = app.sidebar.info[0].value
    assert (
        notice.startswith("Mode hanya-baca")
        and "python -m geo users add NAMA --role admin" in notice
    )
    assert not app.sidebar.warning, "no demo mode on real data"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("ui/pages/unggah.py").run()
    app.switch_page("ui/pages/data.py").run()
    assert not any(b.label == "Hapus unggahan ini" for b in app.button)


def test_the_accounts_beside_the_store_count_whatever_the_working_directory(
    tmp_path, monkeypatch, demo_template
):
    store = tmp_path / "srv" / "peta_sinergi.gpkg"
    store.parent.mkdir()
    shutil.copy(demo_template, store)
    add_user("admin1", PASSWORD, "admin", path=store.parent / "users.json")
    monkeypatch.setenv("PETA_STORE", str(store))
    monkeypatch.delenv("PETA_USERS", raising=False)
    monkeypatch.chdir("/")  # a service's default working directory
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not app.exception, app.exception
    assert not app.metric, "the sign-in form, not the demo map"
    assert [t.value for t in app.title] == ["Peta Sinergi"]
    signed_in(app, "admin1")
    assert any("admin1 (admin)" in c.value.replace("\\", "") for c in app.sidebar.caption)


def test_a_demoted_editor_loses_the_upload_page_in_an_open_session(app):
    signed_in(app, "kab04")
    app.switch_page("ui/pages/unggah.py").run()
    assert not app.exception, app.exception
    add_user("kab04", PASSWORD, "viewer", path=Path(os.environ["PETA_USERS"]))
    app.run()
    assert any("kab04 (viewer)" in c.value.replace("\\", "") for c in app.sidebar.caption)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("ui/pages/unggah.py").run()


def test_repeated_wrong_passwords_lock_sign_in_and_are_audited(app):
    from geo.auth import MAX_FAILED_SIGN_INS

    for _ in range(MAX_FAILED_SIGN_INS):
        signed_in(app, "kab04", "salah-sekali")
        assert app.error[0].value == "Nama pengguna atau kata sandi salah."
    signed_in(app, "kab04")  # the right password, too late
    assert app.error[0].value.startswith("Terlalu banyak kata sandi salah: masuk dikunci sampai")
    assert not app.metric
    log = open_store(Path(os.environ["PETA_STORE"])).audit_log()
    assert list(log["action"].iloc[-MAX_FAILED_SIGN_INS - 1 :]) == (
        ["sign_in_failed"] * MAX_FAILED_SIGN_INS + ["sign_in_locked"]
    )
    assert set(log["who"].iloc[-MAX_FAILED_SIGN_INS:]) == {"kab04"}
