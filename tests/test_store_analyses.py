"""Analyses saved in the store with the data and settings they were computed for, read back
instead of computed again: both stores (GeoPackage and PostGIS)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.analyse.run import analyse
from geo.finding_ids import FindingRef
from geo.read.projects import read_projects
from geo.settings import Settings
from geo.store.tables import settings_fingerprint

BPJN = ("bpjn_jambi_2025.zip", {"level": "pusat"})
PROVINCE = ("dinas_pupr_provinsi_jambi_geotagging_2025.csv", {"level": "provinsi"})


def _import(store, samples: Path, name: str, options: dict) -> None:
    store.import_result(read_projects(samples / name, **options))


def test_saved_analyses_come_back_only_for_the_same_data_and_settings(new_store, samples):
    store = new_store()
    _import(store, samples, *BPJN)
    _import(store, samples, *PROVINCE)
    roads = read_projects(samples / BPJN[0], **BPJN[1]).projects
    projects = store.load_projects()
    result = analyse(projects)
    assert len(result.overlaps), "the samples hold overlaps"
    key = store.data_key()
    settings = settings_fingerprint(Settings())
    assert store.load_analysis("overlaps", data_key=key, settings_key=settings) is None

    store.save_analysis("overlaps", result.overlaps, data_key=key, settings_key=settings)
    store.save_analysis("mismatches", result.mismatches, data_key=key, settings_key=settings)
    back = store.load_analysis("overlaps", data_key=key, settings_key=settings)
    pd.testing.assert_frame_equal(back, result.overlaps, check_like=False)
    assert back.crs.to_epsg() == 4326
    pd.testing.assert_frame_equal(
        store.load_analysis("mismatches", data_key=key, settings_key=settings),
        result.mismatches,
    )
    # Saving, and a review decision, leave the data's key as it was.
    assert store.data_key() == key
    row = result.overlaps.iloc[0]
    store.save_review(
        FindingRef.overlap(
            str(row["asset_type"]),
            (row["agency_a"], row["project_a"]),
            (row["agency_b"], row["project_b"]),
        ),
        "note",
        note="dibahas",
    )
    assert store.data_key() == key
    # Other settings: nothing saved for them.
    other = settings_fingerprint(Settings(tolerance_m=30.0))
    assert store.load_analysis("overlaps", data_key=key, settings_key=other) is None

    # New data (an import, a reference layer, a delete) gives a new key: the saved
    # analysis is not read for it.
    store.replace_reference("roads", roads[["project_id", "geometry"]].assign(status="nasional"))
    after_roads = store.data_key()
    assert after_roads != key
    assert store.load_analysis("overlaps", data_key=after_roads, settings_key=settings) is None
    upload_id = int(store.list_uploads()["id"].iloc[-1])
    store.delete_upload(upload_id)
    assert store.data_key() not in (key, after_roads)
    # The latest save of a kind replaces the one before.
    store.save_analysis(
        "overlaps", result.overlaps.iloc[:1], data_key=after_roads, settings_key=settings
    )
    assert store.load_analysis("overlaps", data_key=key, settings_key=settings) is None
    assert len(store.load_analysis("overlaps", data_key=after_roads, settings_key=settings)) == 1


def test_an_unknown_analysis_kind_is_refused(new_store):
    store = new_store()
    with pytest.raises(ValueError, match="analysis kind must be one of overlaps"):
        store.save_analysis("rivers", pd.DataFrame(), data_key="a", settings_key="b")
    with pytest.raises(ValueError, match="analysis kind must be one of"):
        store.load_analysis("rivers", data_key="a", settings_key="b")


def test_a_saved_analysis_is_in_the_audit_trail_with_who_saved_it(new_store, samples):
    import json

    from geo.auth import Actor

    store = new_store()
    _import(store, samples, *BPJN)
    result = analyse(store.load_projects())
    key, settings = store.data_key(), settings_fingerprint(Settings())
    before = len(store.audit_log())
    viewer = Actor("siti", "viewer", "Bappeda Provinsi Jambi")
    store.save_analysis("overlaps", result.overlaps, data_key=key, settings_key=settings)
    store.save_analysis(
        "mismatches", result.mismatches, data_key=key, settings_key=settings, actor=viewer
    )

    log = store.audit_log().iloc[before:]
    assert list(log["action"]) == ["save_analysis", "save_analysis"]
    assert list(log["who"]) == ["operator", "siti"]
    assert list(log["agency"]) == ["", "Bappeda Provinsi Jambi"]
    details = [json.loads(d) for d in log["detail"]]
    assert details == [
        {"analysis": "overlaps", "rows": len(result.overlaps)},
        {"analysis": "mismatches", "rows": len(result.mismatches)},
    ]
    assert all(str(at).endswith("+00:00") for at in log["at"])
    assert store.data_key() == key  # an audit line is not a change of the data
