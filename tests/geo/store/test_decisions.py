"""Decisions on proposal rows and rakor matrix rows, on both backends: the latest per subject,
history kept, editors and administrators only, audited, kept across a reopen."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from geo.auth import Actor
from geo.errors import GeoInputError, PermissionDenied
from geo.finding_ids import proposal_subject_id
from geo.store import open_store
from geo.store.gpkg import GeoPackageStore
from geo.store.postgis import PostGISStore

TEBO = "Dinas PUPR Kab. Tebo"
ROW_1 = proposal_subject_id("KR-1", proposer=TEBO, level="kabupaten")
ROW_2 = proposal_subject_id("", file_sha256="0" * 64, row=12)
DAY = dt.datetime(2026, 3, 4, 2, 30, tzinfo=dt.UTC)


def _reopened(store):
    """The same store opened anew (a new connection, as another app process would)."""
    if isinstance(store, GeoPackageStore):
        return open_store(store.path)
    return PostGISStore(store.url)


def test_the_latest_decision_per_subject_with_history_and_audit(new_store):
    store = new_store()
    editor = Actor("sri", "editor", TEBO)
    assert list(store.load_decisions("proposal").columns) == [
        "subject_id",
        "decision",
        "note",
        "who",
        "decided_at",
    ]
    assert store.load_decisions("proposal").empty
    store.save_decision("proposal", ROW_1, "Didiskusikan", note="cek STA", who="Bappeda", now=DAY)
    store.save_decision(
        "proposal", ROW_1, "Ditolak", note="sudah dikontrak BPJN", now=DAY, actor=editor
    )
    store.save_decision("proposal", ROW_2, "Diterima", now=DAY + dt.timedelta(minutes=5))
    # A matrix row named by its ruas name where the network has no code.
    matrix_row = "MX-Jambi – Tempino-0-2500"
    store.save_decision("matrix", matrix_row, "lanjut kabupaten", actor=editor, now=DAY)
    reopened = _reopened(store)
    rows = reopened.load_decisions("proposal").to_dict("records")
    assert rows == sorted(
        [
            {
                "subject_id": ROW_1,
                "decision": "Ditolak",
                "note": "sudah dikontrak BPJN",
                "who": "",
                "decided_at": "2026-03-04T02:30:00+00:00",
            },
            {
                "subject_id": ROW_2,
                "decision": "Diterima",
                "note": "",
                "who": "",
                "decided_at": "2026-03-04T02:35:00+00:00",
            },
        ],
        key=lambda r: r["subject_id"],
    )
    assert reopened.load_decisions("matrix").to_dict("records") == [
        {
            "subject_id": matrix_row,
            "decision": "lanjut kabupaten",
            "note": "",
            "who": "",
            "decided_at": "2026-03-04T02:30:00+00:00",
        }
    ]
    log = reopened.audit_log()
    assert list(log["action"]) == ["decision_saved"] * 4
    assert list(log["who"]) == ["operator", "sri", "operator", "sri"]
    assert json.loads(log["detail"].iloc[1]) == {
        "kind": "proposal",
        "subject_id": ROW_1,
        "decision": "Ditolak",
        "note": "sudah dikontrak BPJN",
    }
    # The first decision on ROW_1 is history, kept in the table.
    if isinstance(store, GeoPackageStore):
        with sqlite3.connect(store.path) as conn:
            history = conn.execute(
                "SELECT decision, who FROM decisions WHERE subject_id = ? ORDER BY id", (ROW_1,)
            ).fetchall()
        assert history == [("Didiskusikan", "Bappeda"), ("Ditolak", "")]
    reopened.close()


def test_viewers_may_not_decide_and_a_refused_decision_writes_nothing(new_store):
    store = new_store()
    with pytest.raises(PermissionDenied, match="may only view"):
        store.save_decision("proposal", ROW_1, "Diterima", actor=Actor("v", "viewer"))
    assert store.load_decisions("proposal").empty
    assert store.audit_log().empty


@pytest.mark.parametrize(
    ("kind", "subject_id", "decision", "message"),
    [
        ("usulan", ROW_1, "Diterima", "kind must be one of proposal, matrix"),
        ("proposal", "MX-015", "Diterima", "not the id of a proposal row"),
        ("matrix", ROW_1, "Diterima", "not the id of a matrix row"),
        ("proposal", "US-12", "Diterima", "not the id of a proposal row"),
        ("proposal", ROW_1.upper(), "Diterima", "not the id of a proposal row"),
        ("proposal", "TT-0123456789", "Diterima", "not the id of a proposal row"),
        ("proposal", ROW_1, "diterima", "must be one of Diterima, Ditolak, Didiskusikan"),
        ("matrix", "MX-015", " ", "write the decision in 1 to 200 characters"),
        ("matrix", "MX-015", "x" * 201, "write the decision in 1 to 200 characters"),
        ("matrix", "MX-015\n-0-2500", "ok", "not the id of a matrix row"),
        ("matrix", "MX-" + "9" * 201, "ok", "not the id of a matrix row"),
        ("matrix", "MX-", "ok", "not the id of a matrix row"),
    ],
)
def test_a_decision_on_something_else_is_refused(new_store, kind, subject_id, decision, message):
    store = new_store()
    with pytest.raises(GeoInputError, match=message):
        store.save_decision(kind, subject_id, decision)
    assert store.load_decisions("proposal").empty and store.load_decisions("matrix").empty


def test_loading_an_unknown_kind_names_the_kinds(new_store):
    with pytest.raises(GeoInputError, match="kind must be one of proposal, matrix"):
        new_store().load_decisions("finding")


def test_a_geopackage_made_before_decisions_gains_the_table_on_open(store_path):
    open_store(store_path)
    with sqlite3.connect(store_path) as conn:  # as stores were before decisions
        conn.execute("DROP TABLE decisions")
        conn.execute("DELETE FROM gpkg_contents WHERE table_name = 'decisions'")
    assert open_store(store_path).load_decisions("proposal").empty
    with sqlite3.connect(store_path) as conn:
        listed = conn.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'decisions'"
        ).fetchall()
    assert listed == [("attributes",)]  # QGIS lists it beside the layers
    open_store(store_path).save_decision("proposal", ROW_1, "Diterima")
    assert list(open_store(store_path).load_decisions("proposal")["decision"]) == ["Diterima"]


def test_a_postgis_store_made_before_decisions_gains_the_table_on_open(postgis_cluster):
    import sqlalchemy as sa

    url = postgis_cluster.new_database()
    PostGISStore(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE decisions"))
    engine.dispose()
    store = PostGISStore(url)
    before = store.version()
    store.save_decision("proposal", ROW_1, "Didiskusikan")
    assert store.version() != before, "the app's caches refresh after a decision"
    assert list(store.load_decisions("proposal")["decision"]) == ["Didiskusikan"]
    store.close()
