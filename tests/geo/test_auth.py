"""Agencies edit only their own data: accounts, the store API (both backends), the CLI, the audit."""

from __future__ import annotations

import datetime as dt
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
from geo.finding_ids import FindingRef
from geo.read.projects import read_projects
from geo.store import open_store

ROOT = Path(__file__).resolve().parents[2]
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
    # Both imports, and the wrong password (who tried, from the command line).
    log = open_store(store).audit_log()
    assert list(log["action"]) == ["import", "sign_in_failed", "import"]
    assert list(log["who"]) == ["operator", "kab01", "kab01"]


def test_reviews_are_kept_with_history_scoped_to_the_agency_and_audited(new_store, samples):
    store = new_store()
    store.import_result(read_projects(samples / BPJN, level="pusat"))
    store.import_result(read_projects(samples / KAB[0], level="kabupaten", agency=KAB[1]))
    projects = store.load_projects()
    bpjn = projects[projects["agency"] != KAB[1]][["agency", "project_id"]].values.tolist()
    kab = projects[projects["agency"] == KAB[1]][["agency", "project_id"]].values.tolist()
    editor = Actor("kab01", "editor", KAB[1])
    mixed = FindingRef.overlap("road", bpjn[0], kab[0])
    between_others = FindingRef.overlap("road", bpjn[0], bpjn[1])
    assert store.load_reviews().empty
    store.save_review(mixed, "confirm", note="rapat 1", who="Bappeda")
    store.save_review(mixed, "dismiss", note="beda ruas", actor=editor)
    # The parties come from the stored records, never from the caller.
    with pytest.raises(PermissionDenied, match="reviews findings of Dinas PUPR Kab. Muaro Jambi"):
        store.save_review(between_others, "confirm", actor=editor)
    forged = FindingRef(between_others.finding_id, (tuple(kab[0]), tuple(bpjn[1])), "road")
    with pytest.raises(GeoInputError, match="not a finding of the projects named with it"):
        store.save_review(forged, "confirm", actor=editor)
    unknown = FindingRef.overlap("road", bpjn[0], (KAB[1], "TIDAK-ADA"))
    with pytest.raises(
        GeoInputError, match="holds no project Dinas PUPR Kab. Muaro Jambi TIDAK-ADA"
    ):
        store.save_review(unknown, "confirm")
    with pytest.raises(PermissionDenied, match="may only view"):
        store.save_review(mixed, "confirm", actor=Actor("v", "viewer"))
    with pytest.raises(GeoInputError, match="decision must be one of"):
        store.save_review(mixed, "maybe")
    latest = store.load_reviews().set_index("finding_id")
    assert list(latest.index) == [mixed.finding_id]
    assert latest.loc[mixed.finding_id, "decision"] == "dismiss"
    log = store.audit_log()
    assert list(log["action"]) == ["import", "import", "review", "review"]
    assert json.loads(log["detail"].iloc[3]) == {
        "finding_id": mixed.finding_id,
        "decision": "dismiss",
        "note": "beda ruas",
    }


# --- the accounts file goes with the store; roles count at every write -----------------------


def test_the_accounts_file_lies_beside_the_store_whatever_the_working_directory(
    tmp_path, monkeypatch
):
    from geo.settings import REPO_ROOT, default_users_path

    monkeypatch.delenv("PETA_USERS", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir("/")
    store = tmp_path / "srv" / "peta.gpkg"
    assert default_users_path(str(store)) == tmp_path / "srv" / "users.json"
    monkeypatch.setenv("PETA_STORE", str(store))
    assert default_users_path() == tmp_path / "srv" / "users.json"
    assert default_users_path("postgresql+psycopg://u@127.0.0.1/peta") == (
        REPO_ROOT / "data" / "users.json"
    )
    monkeypatch.setenv("PETA_USERS", "akun.json")
    assert default_users_path(str(store)) == Path("/akun.json"), "absolute at once"


def test_a_demoted_or_removed_account_loses_its_rights_at_the_next_write(
    new_store, tmp_path, samples
):
    store = new_store()
    users = tmp_path / "users.json"
    add_user("kab01", "rahasia-panjang", "editor", KAB[1], path=users)
    signed = sign_in("kab01", "rahasia-panjang", path=users)
    store.import_result(kab(samples), actor=signed)  # an editor of the agency may
    add_user("kab01", "rahasia-panjang", "viewer", path=users)  # demoted while signed in
    with pytest.raises(PermissionDenied, match="kab01 may only view"):
        store.delete_upload(1, actor=signed)
    add_user("kab01", "rahasia-panjang", "editor", "Dinas PUPR Kab. Lain", path=users)
    with pytest.raises(PermissionDenied, match="edits for Dinas PUPR Kab. Lain only"):
        store.delete_upload(1, actor=signed)
    users.write_text(json.dumps({"users": []}))  # removed
    with pytest.raises(PermissionDenied, match="kab01: this account no longer exists"):
        store.delete_upload(1, actor=signed)
    assert len(store.list_uploads()) == 1
    audit = store.audit_log()
    assert list(audit["role"]) == ["editor"], "the role in force at the write is audited"


def test_reference_layers_and_findings_are_for_administrators_and_audited(new_store, samples):
    from geo.read.reference import read_reference

    store = new_store()
    roads = read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer
    for actor in (Actor("kab01", "editor", KAB[1]), Actor("v", "viewer")):
        with pytest.raises(PermissionDenied, match="only an administrator may do this"):
            store.replace_reference("roads", roads, actor=actor)
    assert store.load_reference("roads") is None
    store.replace_reference("roads", roads, actor=Actor("admin1", "admin"))
    log = store.audit_log()
    assert list(log["action"]) == ["replace_reference"]
    assert log["who"].iloc[0] == "admin1"
    assert json.loads(log["detail"].iloc[0]) == {"layer": "roads", "features": len(roads)}


# --- sign-in: locks after repeated wrong passwords; hashes upgraded ----------------------------


def test_repeated_wrong_passwords_lock_the_account_and_the_client_for_a_while(tmp_path):
    from geo.auth import LOCKOUT_S, MAX_FAILED_SIGN_INS, SignInLocked

    users = tmp_path / "users.json"
    add_user("kab01", "rahasia-panjang", "editor", KAB[1], path=users)
    add_user("kab02", "rahasia-panjang", "editor", KAB[1], path=users)
    t0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    for i in range(MAX_FAILED_SIGN_INS):
        assert sign_in("kab01", "salah", path=users, client="10.0.0.9", now=t0) is None, i
    # Locked: even the right password is not checked, for this account ...
    with pytest.raises(SignInLocked, match="locked until 2026-12-01 08:15 UTC") as locked:
        sign_in("kab01", "rahasia-panjang", path=users, client="10.0.0.7", now=t0)
    assert locked.value.until == "2026-12-01 08:15"
    # ... and for that client, whichever account it tries next.
    with pytest.raises(SignInLocked):
        sign_in("kab02", "rahasia-panjang", path=users, client="10.0.0.9", now=t0)
    assert sign_in("kab02", "rahasia-panjang", path=users, client="10.0.0.7", now=t0)
    later = t0 + dt.timedelta(seconds=LOCKOUT_S + 1)
    assert sign_in("kab01", "rahasia-panjang", path=users, client="10.0.0.9", now=later)
    # Failures spread wider than the window never add up to a lock.
    for i in range(2 * MAX_FAILED_SIGN_INS):
        when = later + dt.timedelta(seconds=(i + 1) * LOCKOUT_S / (MAX_FAILED_SIGN_INS - 1))
        assert sign_in("kab02", "salah", path=users, now=when) is None
    assert sign_in("kab02", "rahasia-panjang", path=users, now=when)


def test_older_cheaper_hashes_are_upgraded_at_the_next_sign_in(tmp_path):
    import base64
    import hashlib

    users = tmp_path / "users.json"
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(b"rahasia-panjang", salt=salt, n=2**14, r=8, p=1, dklen=32)
    old = (
        f"scrypt${2**14}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    )
    account = {"name": "kab01", "role": "viewer", "agency": None, "password": old}
    users.write_text(json.dumps({"users": [account]}))
    assert sign_in("kab01", "rahasia-panjang", path=users) == Actor("kab01", "viewer")
    upgraded = json.loads(users.read_text())["users"][0]["password"]
    assert upgraded.startswith(f"scrypt${2**17}$8$1$")
    assert sign_in("kab01", "rahasia-panjang", path=users) == Actor("kab01", "viewer")


def test_user_without_a_password_or_a_terminal_is_refused_plainly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PETA_PASSWORD"}
    for args in (
        ("delete", "1", "--user", "kab01", "--store", str(tmp_path / "peta.gpkg")),
        ("users", "add", "kab01", "--role", "viewer", "--users-file", str(tmp_path / "u.json")),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "geo", *args],
            cwd=ROOT, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert "no password: set PETA_PASSWORD, or run the command in a terminal" in done.stderr
        assert "Traceback" not in done.stderr and "EOFError" not in done.stderr
