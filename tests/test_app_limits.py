"""The app's upload limit follows ``PETA_MAX_UPLOAD_MB``, in the browser and on the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from geo.store import open_store
from tests.app_support import add_admin, sign_in_if_asked

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture
def server_limit():
    """Streamlit's ``server.maxUploadSize`` as it was, restored after the test."""
    before = config.get_option("server.maxUploadSize")
    yield before
    config.set_option("server.maxUploadSize", before)


@pytest.mark.parametrize(("limit_mb", "limit_mib"), [("500", 477), ("5", 5)])
def test_the_upload_limit_follows_peta_max_upload_mb(
    tmp_path, monkeypatch, server_limit, limit_mb, limit_mib
):
    store = tmp_path / "peta_sinergi.gpkg"
    open_store(store)
    add_admin(tmp_path / "users.json")  # a new store: the upload page is an editor's
    monkeypatch.setenv("PETA_STORE", str(store))
    monkeypatch.setenv("PETA_MAX_UPLOAD_MB", limit_mb)  # MB of 10**6 bytes; Streamlit: MiB
    app = sign_in_if_asked(AppTest.from_file(str(APP), default_timeout=120).run())
    app = app.switch_page("ui/pages/unggah.py").run()
    assert not app.exception, app.exception
    # The server refuses a larger request body; the browser refuses a larger file first.
    assert config.get_option("server.maxUploadSize") == limit_mib
    (uploader,) = app.get("file_uploader")
    assert uploader.proto.max_upload_size_mb == limit_mib
