"""Agencies edit only their own data: accounts, the store API (both backends), the CLI, the audit."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

from geo.auth import Actor, add_user, check_write, password_matches, sign_in
from geo.errors import GeoInputError, PermissionDenied
from geo.io import read_projects
from geo.store import open_store

ROOT = Path(__file__).resolve().parent.parent
BPJN = "bpjn_jambi_2025.zip"  # agency "Satker PJN Wilayah I Prov. Jambi" from its columns
KAB = ("dinas_pupr_kab_muaro_jambi_2025.xlsx", "Dinas PUPR Kab. Muaro Jambi")


def bpjn(samples: Path):
    return read_projects(samples / BPJN, level="pusat")


def kab(samples: Path):
    return read_projects(samples / KAB[0], level="kabupaten", agency=KAB[1])


def test_passwords_are_salted_scrypt_and_checked(tmp_path):
    users = tmp_path / "users.json"
    add_user("kab01", "rahasia-panjang", "editor", KAB[1], path=users)
    stored = json.loads(users.read_text())["users"][0]["password"]
    assert stored.startswith("scrypt$") and "rahasia" not in stored
    assert password_matches("rahasia-panjang", stored)
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    assert sign_in("kab01", "rahasia-panjang", path=users) == Actor("kab01", "editor", KAB[1])
    assert sign_in("kab01", "salah", path=users) is None
    assert sign_in("nobody", "rahasia-panjang", path=users) is None
    with pytest.raises(GeoInputError, match="at least 10 characters"):
        add_user("x", "pendek", "viewer", path=users)
    with pytest.raises(ValueError, match="needs an agency"):
        add_user("x", "cukup-panjang-sekali", "editor", path=users)


def test_roles_decide_who_writes_which_agency():
    editor = Actor("kab01", "editor", KAB[1])
    assert check_write(editor, [KAB[1]], "import") is editor
    with pytest.raises(PermissionDenied, match="edits for Dinas PUPR Kab. Muaro Jambi only"):
        check_write(editor, [KAB[1], "BPJN"], "import x.zip")
    with pytest.raises(PermissionDenied, match="may only view"):
        check_write(Actor("v", "viewer"), [KAB[1]], "import x.zip")
    assert check_write(None, ["anyone"], "import").role == "admin"


def test_an_editor_cannot_change_another_agencys_data_through_the_store(new_store, samples):
    store = new_store()
    admin = Actor("admin", "admin")
    editor = Actor("kab01", "editor", KAB[1])
    first = store.import_result(bpjn(samples), actor=admin)
    before = store.table_counts()
    with pytest.raises(PermissionDenied, match="edits for Dinas PUPR Kab. Muaro Jambi only"):
        store.import_result(bpjn(samples), replace=True, actor=editor)
    with pytest.raises(PermissionDenied, match="delete upload"):
        store.delete_upload(first.upload_id, actor=editor)
    with pytest.raises(PermissionDenied, match="may only view"):
        store.import_result(kab(samples), actor=Actor("pengamat", "viewer"))
    assert store.table_counts() == before
    own = store.import_result(kab(samples), actor=editor)
    assert store.delete_upload(own.upload_id, actor=editor) == 2
    log = store.audit_log()
    assert list(log["action"]) == ["import", "import", "delete"]
    assert list(log["who"]) == ["admin", "kab01", "kab01"]
    assert list(log["agency"]) == ["", KAB[1], KAB[1]]
    assert json.loads(log["detail"].iloc[0])["stored"] == 3
    uploads = store.list_uploads().set_index("id")
    assert log["sha256"].iloc[0] == uploads.loc[first.upload_id, "sha256"]


def test_a_replace_is_audited_with_what_it_replaced(new_store, samples):
    store = new_store()
    first = store.import_result(bpjn(samples))
    again = store.import_result(bpjn(samples), replace=True)
    entry = store.audit_log().iloc[-1]
    assert entry["action"] == "replace" and entry["who"] == "operator"
    assert json.loads(entry["detail"])["replaced_uploads"] == [first.upload_id]
    assert entry["upload_id"] == again.upload_id


def geo_cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_an_editor_cannot_change_another_agencys_data_through_the_cli(tmp_path, samples):
    store, users = tmp_path / "peta.gpkg", tmp_path / "users.json"
    env = {**os.environ, "PETA_PASSWORD": "kata-sandi-kab01", "PETA_USERS": str(users)}
    made = geo_cli("users", "add", "kab01", "--role", "editor", "--agency", KAB[1], env=env)
    assert made.returncode == 0, made.stderr
    loaded = geo_cli(
        "import", str(samples / BPJN), "--level", "pusat", "--store", str(store), env=env
    )
    assert loaded.returncode == 0, loaded.stderr

    other = geo_cli(
        "import", str(samples / BPJN), "--level", "pusat", "--replace", "--user", "kab01",
        "--store", str(store), env=env,
    )  # fmt: skip
    assert other.returncode == 2
    assert "kab01 edits for Dinas PUPR Kab. Muaro Jambi only" in other.stderr
    assert "Traceback" not in other.stderr
    deleted = geo_cli("delete", "1", "--user", "kab01", "--store", str(store), env=env)
    assert deleted.returncode == 2 and "delete upload 1" in deleted.stderr
    wrong = geo_cli(
        "delete", "1", "--user", "kab01", "--store", str(store),
        env={**env, "PETA_PASSWORD": "salah"},
    )  # fmt: skip
    assert wrong.returncode == 2 and "unknown user or wrong password" in wrong.stderr
    assert pyogrio.read_info(store, layer="projects")["features"] == 3

    own = geo_cli(
        "import", str(samples / KAB[0]), "--level", "kabupaten", "--agency", KAB[1],
        "--user", "kab01", "--store", str(store), env=env,
    )  # fmt: skip
    assert own.returncode == 0, own.stderr
    audit = geo_cli("audit", "--out", str(tmp_path / "audit.csv"), "--store", str(store), env=env)
    assert audit.returncode == 0, audit.stderr
    assert "kab01" in (tmp_path / "audit.csv").read_text()
    assert len(open_store(store).audit_log()) == 2


def test_reviews_are_kept_with_history_scoped_to_the_agency_and_audited(new_store):
    store = new_store()
    editor = Actor("kab01", "editor", KAB[1])
    pair = ("BPJN Wilayah Contoh", KAB[1])
    assert store.load_reviews().empty
    store.save_review("TT-1", "confirm", note="rapat 1", who="Bappeda")
    store.save_review("TT-1", "dismiss", note="beda ruas", actor=editor, agencies=pair)
    with pytest.raises(PermissionDenied, match="reviews findings of Dinas PUPR Kab. Muaro Jambi"):
        store.save_review("TT-2", "confirm", actor=editor, agencies=("BPJN", "Provinsi"))
    with pytest.raises(PermissionDenied, match="may only view"):
        store.save_review("TT-1", "confirm", actor=Actor("v", "viewer"), agencies=pair)
    with pytest.raises(GeoInputError, match="decision must be one of"):
        store.save_review("TT-1", "maybe")
    latest = store.load_reviews().set_index("finding_id")
    assert list(latest.index) == ["TT-1"]
    assert latest.loc["TT-1", "decision"] == "dismiss"
    log = store.audit_log()
    assert list(log["action"]) == ["review", "review"]
    assert json.loads(log["detail"].iloc[1]) == {
        "finding_id": "TT-1",
        "decision": "dismiss",
        "note": "beda ruas",
    }
