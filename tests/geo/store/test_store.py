"""The store, on both backends (GeoPackage and PostGIS): one transaction per import,
idempotent re-import, replace, delete, reference layers, the neighbourhood of new projects."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.errors import GeoInputError, NothingStored, StoreUnavailable
from geo.finding_ids import FindingRef
from geo.read.projects import read_projects
from geo.store import open_store
from geo.store.gpkg import GeoPackageStore
from geo.store.postgis import PostGISStore

SAMPLE_IMPORTS = [
    ("bpjn_jambi_2025.zip", {"level": "pusat"}, 3),
    ("dinas_pupr_provinsi_jambi_geotagging_2025.csv", {"level": "provinsi"}, 4),
    (
        "dinas_pupr_kab_muaro_jambi_2025.xlsx",
        {"level": "kabupaten", "agency": "Dinas PUPR Kab. Muaro Jambi"},
        2,
    ),
    ("bws_sumatera_vi_irigasi_2025.kmz", {"level": "pusat", "agency": "BWS Sumatera VI"}, 2),
]


def store_content(store) -> dict[str, object]:
    """Everything the store interface shows: two stores with equal content compare equal."""
    projects = store.load_projects()
    rows = pd.DataFrame(projects.drop(columns="geometry")).assign(wkt=projects.geometry.to_wkt())
    return {
        "counts": store.table_counts(),
        "uploads": store.list_uploads().to_dict("records"),
        "projects": sorted(map(repr, rows.to_numpy().tolist())),
    }


def fill(store, samples: Path):
    for name, options, _ in SAMPLE_IMPORTS:
        store.import_result(read_projects(samples / name, **options))
    return store


@pytest.fixture
def filled_store(new_store, samples: Path):
    return fill(new_store(), samples)


def test_the_geopackage_stays_consistent_for_qgis(store_path, samples):
    store = fill(open_store(store_path), samples)
    # GDAL's cached feature count and the R-tree agree with the rows (QGIS relies on both).
    assert pyogrio.read_info(store.path, layer="projects")["features"] == 11
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM rtree_projects_geom").fetchone() == (11,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert store.delete_upload(4) == 2  # the newest: fids are not reused after it
    store.import_result(read_projects(samples / SAMPLE_IMPORTS[3][0], **SAMPLE_IMPORTS[3][1]))
    assert store.delete_upload(2) == 4
    assert pyogrio.read_info(store.path, layer="projects")["features"] == 7
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM rtree_projects_geom").fetchone() == (7,)
        rows = conn.execute(  # each row with its R-tree entry
            "SELECT r.minx, r.maxx, r.miny, r.maxy, p.geom FROM projects p "
            "JOIN rtree_projects_geom r ON r.id = p.fid"
        ).fetchall()
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    assert len(rows) == 7
    for minx, maxx, miny, maxy, blob in rows:
        geom = shapely.from_wkb(blob[40:]) if blob[3] & 0b10 else shapely.from_wkb(blob[8:])
        x0, y0, x1, y1 = geom.bounds
        # SQLite's R-tree keeps 32-bit floats, rounded outwards: the box still holds the row.
        assert minx <= x0 and maxx >= x1 and miny <= y0 and maxy >= y1
        assert (minx, maxx, miny, maxy) == pytest.approx((x0, x1, y0, y1), abs=1e-4)
    # GDAL's triggers are in place for the next writer (QGIS edits included).
    assert {"rtree_projects_geom_insert", "trigger_insert_feature_count_projects"} <= triggers


def test_samples_land_with_provenance(filled_store):
    projects = filled_store.load_projects()
    assert len(projects) == sum(n for *_, n in SAMPLE_IMPORTS) == 11
    assert projects.crs.to_epsg() == 4326
    assert set(projects["level"]) == {"pusat", "provinsi", "kabupaten"}
    bridge = projects.set_index("project_id").loc["PJN1-2025-003"]
    assert bridge["asset_type"] == "bridge" and bridge.geometry.geom_type == "Point"
    assert bridge["source_file"] == "bpjn_jambi_2025.zip"
    assert bridge["source_layer"] == "bpjn_jambi_2025.zip/PAKET BPJN 2025/paket_bpjn_jambi_2025"
    assert bridge["source_row"] == 3
    assert "\u2013" in projects.set_index("project_id").loc["PJN1-2025-001", "name"]
    uploads = filled_store.list_uploads()
    assert list(uploads["stored"]) == [3, 4, 2, 2]
    assert list(uploads["repaired"]) == [1, 0, 0, 0]
    report = filled_store.upload_report(int(uploads["id"].iloc[0]))
    assert report.counts == {"read": 3, "stored": 3, "repaired": 1, "rejected": 0}


def test_reimport_of_the_same_file_changes_nothing(filled_store, samples):
    before = store_content(filled_store)
    outcome = filled_store.import_result(
        read_projects(samples / "bpjn_jambi_2025.zip", level="pusat")
    )
    assert outcome.already_imported and outcome.upload_id == 1
    assert store_content(filled_store) == before


def test_failed_import_rolls_back_every_table(filled_store, samples, monkeypatch, tmp_path):
    before = store_content(filled_store)
    source = read_projects(
        samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv", level="provinsi"
    )
    new_file = tmp_path / "provinsi_perubahan.gpkg"
    pyogrio.write_dataframe(
        source.projects.assign(agency="Dinas PUPR Prov. (perubahan)"), new_file, driver="GPKG"
    )
    result = read_projects(new_file, level="provinsi")
    assert result.report.counts["stored"] == 4
    backend = type(filled_store)
    original = backend._insert_projects

    def insert_then_fail(conn, projects, upload_id, file_name):
        original(conn, projects, upload_id, file_name)  # rows are in the transaction now
        raise RuntimeError("disk full")

    monkeypatch.setattr(backend, "_insert_projects", staticmethod(insert_then_fail))
    with pytest.raises(RuntimeError, match="disk full"):
        filled_store.import_result(result)
    assert store_content(filled_store) == before


def test_ids_already_stored_by_another_upload_are_refused_then_replaced(
    filled_store, samples, tmp_path
):
    # The same records re-exported to a new file name: ids clash with upload 1.
    source = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat")
    copy = tmp_path / "bpjn_revisi.gpkg"
    pyogrio.write_dataframe(source.projects, copy, driver="GPKG")
    result = read_projects(copy, level="pusat")
    before = store_content(filled_store)
    with pytest.raises(NothingStored, match="every one of its 3 records was rejected"):
        filled_store.import_result(result)
    assert result.report.counts["rejected"] == 3
    assert all(
        "already stored by upload 1 (bpjn_jambi_2025.zip)" in r.reason
        for r in result.report.records
    )
    assert store_content(filled_store) == before, "nothing stored, not even an upload row"

    # Replacing the agency's upload of the same file name swaps its records.
    again = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat")
    replaced = filled_store.import_result(again, replace=True)
    assert replaced.replaced == (1,)
    projects = filled_store.load_projects()
    assert len(projects) == 11
    assert set(projects.loc[projects["agency"].str.startswith("Satker"), "upload_id"]) == {
        replaced.upload_id
    }


def test_delete_upload_removes_its_records(filled_store):
    assert filled_store.delete_upload(2) == 4
    assert len(filled_store.load_projects()) == 7
    with pytest.raises(GeoInputError, match="no upload 2"):
        filled_store.delete_upload(2)


#: The gap analyses' columns in the store's column order.
PROJECT_COLUMNS_USED_ORDERED = ("project_id", "asset_type", "year_start", "year_end", "budget_idr")


def test_projects_load_with_only_the_columns_asked_for(new_store, samples):
    from geo.analyse.gaps import PROJECT_COLUMNS_USED

    store = new_store()
    empty = store.load_projects(columns=PROJECT_COLUMNS_USED)
    assert empty.empty and list(empty.columns) == [*PROJECT_COLUMNS_USED_ORDERED, "geometry"]
    store.import_result(read_projects(samples / "bpjn_jambi_2025.zip", level="pusat"))
    every = store.load_projects()
    some = store.load_projects(columns=PROJECT_COLUMNS_USED)
    assert list(some.columns) == [*PROJECT_COLUMNS_USED_ORDERED, "geometry"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(some.drop(columns="geometry")),
        pd.DataFrame(every[list(PROJECT_COLUMNS_USED_ORDERED)]),
    )
    assert some.geometry.geom_equals_exact(every.geometry, 0).all()
    with pytest.raises(ValueError, match="not project columns: nama"):
        store.load_projects(columns=["nama"])


def test_reference_layers_and_findings_round_trip(new_store, samples):
    store = new_store()
    assert store.load_reference("roads") is None
    assert store.load_findings() is None
    roads = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat").projects
    store.replace_reference("roads", roads[["project_id", "geometry"]])
    store.replace_reference("roads", roads[["project_id", "geometry"]].iloc[:2])
    stored = store.load_reference("roads")
    assert list(stored["project_id"]) == list(roads["project_id"].iloc[:2])
    assert stored.crs.to_epsg() == 4326
    assert stored.geometry.geom_equals_exact(roads.geometry.iloc[:2], 1e-9).all()
    findings = roads[["project_id", "geometry"]].rename(columns={"project_id": "finding_id"})
    store.replace_findings(findings)
    assert list(store.load_findings()["finding_id"]) == list(findings["finding_id"])
    with pytest.raises(ValueError, match="reference kind must be one of"):
        store.replace_reference("rivers", roads)


def test_roads_without_a_status_round_trip_without_one(new_store):
    """A network whose AUTRJL is blank on some roads keeps them, without a status, in both
    backends: the app then locates works on them and judges no kewenangan by them."""
    from shapely import LineString

    store = new_store()
    roads = gpd.GeoDataFrame(
        {"road_id": ["N-1", "T-1"], "name": ["Jl. A", "Tol Layang"], "status": ["nasional", None]},
        geometry=[
            LineString([(106.8, -6.2), (106.82, -6.2)]),
            LineString([(106.8, -6.19996), (106.82, -6.19996)]),
        ],
        crs=4326,
    )
    store.replace_reference("roads", roads)
    stored = store.load_reference("roads")
    assert list(stored["road_id"]) == ["N-1", "T-1"]
    assert stored["status"].iloc[0] == "nasional" and pd.isna(stored["status"].iloc[1])


def test_the_neighbourhood_of_new_projects_is_found_by_the_index(filled_store):
    projects = filled_store.load_projects()
    bridge = projects.loc[projects["project_id"] == "PJN1-2025-003"]
    near = filled_store.load_projects_near(bridge.geometry.values, 50.0)
    assert "PJN1-2025-003" in set(near["project_id"])
    assert len(near) < len(projects)
    assert list(near.columns) == list(projects.columns)
    far = filled_store.load_projects_near(bridge.geometry.translate(5, 5).values, 50.0)
    assert far.empty and list(far.columns) == list(projects.columns)


def test_server_mode_is_chosen_by_database_url(postgis_cluster, monkeypatch, tmp_path):
    url = postgis_cluster.new_database()
    monkeypatch.setenv("DATABASE_URL", url)
    store = open_store()
    assert isinstance(store, PostGISStore)
    store.close()
    # An explicit path is a GeoPackage, server mode or not.
    assert isinstance(open_store(tmp_path / "peta.gpkg"), GeoPackageStore)


# --- the version: what the app's caches are keyed on ---------------------------------------


def test_the_version_changes_with_every_write(new_store, samples):
    store = new_store()
    seen = [store.version()]

    def changed() -> None:
        seen.append(store.version())
        assert seen[-1] != seen[-2], "a write the version missed"

    result = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat")
    upload_id = store.import_result(result).upload_id
    changed()
    stored = store.load_projects()[["agency", "project_id"]].values.tolist()
    store.save_review(FindingRef.overlap("road", stored[0], stored[1]), "confirm", note="rapat")
    changed()
    store.replace_reference("roads", result.projects[["project_id", "geometry"]])
    changed()
    store.delete_upload(upload_id)
    changed()
    assert store.version() == seen[-1], "a read changes nothing"


def test_another_process_or_client_writing_to_postgis_changes_the_version(postgis_cluster, samples):
    import sqlalchemy as sa

    url = postgis_cluster.new_database()
    store = PostGISStore(url)
    before = store.version()
    done = subprocess.run(
        [sys.executable, "-m", "geo", "import", str(samples / "bpjn_jambi_2025.zip")]
        + ["--level", "pusat"],
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    after_cli = store.version()
    assert after_cli != before
    # A client of its own (QGIS editing the layer, psql): the triggers count it too.
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE projects SET status = 'selesai'"))
    engine.dispose()
    assert store.version() != after_cli
    store.close()


def test_a_postgis_store_made_before_the_version_counter_gains_it(postgis_cluster, samples):
    import sqlalchemy as sa

    url = postgis_cluster.new_database()
    PostGISStore(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # as the store was before it counted writes
        conn.execute(sa.text("DROP FUNCTION peta_store_version_bump() CASCADE"))
        conn.execute(sa.text("DROP TABLE store_version"))
    engine.dispose()
    store = PostGISStore(url)
    before = store.version()
    store.import_result(read_projects(samples / "bpjn_jambi_2025.zip", level="pusat"))
    assert store.version() != before
    store.close()


# --- server mode that cannot start: a named error, never the password -------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("peta:rahasia-sekali@127.0.0.1/peta", "DATABASE_URL: not a database URL; set it to "),
        ("mysql://peta:rahasia-sekali@127.0.0.1/peta", "DATABASE_URL: mysql is not PostgreSQL"),
    ],
)
def test_a_malformed_database_url_is_named_without_its_password(monkeypatch, url, expected):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(StoreUnavailable, match=expected) as raised:
        open_store()
    assert "rahasia-sekali" not in str(raised.value)


def test_an_unreachable_database_is_named_without_its_password():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreUnavailable) as raised:
        PostGISStore(f"postgresql://peta:rahasia-sekali@127.0.0.1:{port}/peta")
    message = str(raised.value)
    assert message.startswith(f"postgresql+psycopg://peta:***@127.0.0.1:{port}/peta: ")
    assert "the database cannot be reached" in message and "DATABASE_URL" in message
    assert "rahasia-sekali" not in message


def test_a_database_that_goes_away_is_reported_as_unreachable(samples):
    from tests.postgis_support import PrivateCluster

    cluster = PrivateCluster().start()
    try:
        store = PostGISStore(cluster.new_database())
        store.version()
    finally:
        cluster.stop()
    with pytest.raises(StoreUnavailable, match="the database cannot be reached"):
        store.version()
    with pytest.raises(StoreUnavailable, match="the database cannot be reached"):
        store.load_projects()


# --- a failed write never destroys what is stored ---------------------------------------------


def test_an_empty_reference_layer_never_replaces_the_stored_one(new_store, samples):
    from geo.read.reference import read_reference

    store = new_store()
    roads = read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer
    store.replace_reference("roads", roads)
    with pytest.raises(NothingStored, match="the roads reference layer in .* is unchanged"):
        store.replace_reference("roads", roads.iloc[:0])
    assert list(store.load_reference("roads")["road_id"]) == list(roads["road_id"])
    assert list(store.audit_log()["action"]) == ["replace_reference"]


def test_a_replaced_reference_layer_is_whole_for_gdal_and_qgis(store_path, samples):
    from geo.read.reference import read_reference

    store = open_store(store_path)
    roads = read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer
    store.replace_reference("roads", roads.iloc[:1])
    store.replace_reference("roads", roads)
    assert pyogrio.read_info(store_path, layer="ref_roads")["features"] == 3
    assert [name for name, _ in pyogrio.list_layers(store_path)].count("ref_roads") == 1
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM rtree_ref_roads_geom").fetchone() == (3,)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        contents = conn.execute(
            "SELECT table_name, identifier FROM gpkg_contents WHERE table_name LIKE 'ref_%'"
        ).fetchall()
    assert contents == [("ref_roads", "ref_roads")]
    assert not [n for n in names if "__new" in n], "no staging table, index or trigger is left"
    assert {"rtree_ref_roads_geom_insert", "trigger_insert_feature_count_ref_roads"} <= names


def test_readers_see_the_old_layer_until_the_new_one_is_whole(store_path, samples, monkeypatch):
    import geo.store.gpkg
    from geo.read.reference import read_reference

    store = open_store(store_path)
    roads = read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer
    store.replace_reference("roads", roads)
    seen = []
    write = geo.store.gpkg.pyogrio.write_dataframe

    def write_and_look(frame, path, **options):
        seen.append(len(store.load_reference("roads")))  # before the new rows are written
        write(frame, path, **options)
        seen.append(len(store.load_reference("roads")))  # written, not yet swapped in

    monkeypatch.setattr(geo.store.gpkg.pyogrio, "write_dataframe", write_and_look)
    store.replace_reference("roads", roads.iloc[:2])
    assert seen == [3, 3]
    assert len(store.load_reference("roads")) == 2


_KILLED_WRITER = """
import os, signal, sys
import geo.store.gpkg
from geo.read.reference import read_reference
from geo.store import open_store

def killed(*args):  # the moment a reader would have seen no table at all
    os.kill(os.getpid(), signal.SIGKILL)

geo.store.gpkg.{target} = killed
roads = read_reference(sys.argv[2], "roads").layer
open_store(sys.argv[1]).replace_reference("roads", roads.iloc[:1])
"""


@pytest.mark.parametrize("target", ["drop_gpkg_table", "rename_gpkg_table"])
def test_a_writer_killed_while_replacing_a_reference_layer_leaves_the_old_one(
    store_path, samples, target
):
    from geo.read.reference import read_reference

    network = samples / "jaringan_jalan_jambi.gpkg"
    roads = read_reference(network, "roads").layer
    store = open_store(store_path)
    store.replace_reference("roads", roads)
    if target == "drop_gpkg_table":  # killed after the old table is dropped, before commit
        script = _KILLED_WRITER.replace(
            "geo.store.gpkg.{target} = killed",
            "original = geo.store.gpkg.drop_gpkg_table\n"
            "def drop(conn, table):\n"
            "    original(conn, table)\n"
            "    if not table.endswith('__new'):\n"
            "        killed()\n"
            "geo.store.gpkg.drop_gpkg_table = drop",
        )
    else:
        script = _KILLED_WRITER.format(target=target)
    done = subprocess.run(
        [sys.executable, "-c", script, str(store_path), str(network)],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -9, done.stderr
    assert list(open_store(store_path).load_reference("roads")["road_id"]) == list(roads["road_id"])
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The next replace clears what the killed writer left and lands whole.
    store.replace_reference("roads", roads.iloc[:2])
    assert len(store.load_reference("roads")) == 2
    layers = [name for name, _ in pyogrio.list_layers(store_path)]
    assert layers.count("ref_roads") == 1 and not [n for n in layers if "__new" in n]


def test_a_projects_table_changed_outside_the_app_is_named(filled_store):
    if isinstance(filled_store, PostGISStore):
        import sqlalchemy as sa

        with filled_store.engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE projects RENAME COLUMN agency TO instansi"))
    else:
        with sqlite3.connect(filled_store.path) as conn:
            conn.execute("ALTER TABLE projects RENAME COLUMN agency TO instansi")
    with pytest.raises(GeoInputError, match="the projects table has no column agency"):
        filled_store.load_projects()
