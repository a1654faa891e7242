"""Sign-in in the app (AppTest): local accounts, what each role sees, the store refusing the rest."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.auth import add_user
from geo.demo import build_demo
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
    assert any("pengamat (viewer)" in c.value for c in app.sidebar.caption)
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
    assert trail.dataframe[0].value["who"].iloc[0] == "kab04"
    assert any(b.label == "Unduh jejak audit (CSV)" for b in app.get("download_button"))
