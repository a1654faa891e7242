"""Irrigation works given as points (the geotagging rule): stored, located in their Daerah
Irigasi, and compared by it. Geometry built in UTM 48S (metres) so distances are exact."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from cli import main
from geo.analyse.overlap import find_overlaps
from geo.analyse.run import analyse
from geo.read.projects import read_projects
from geo.store import open_store
from tests.geometries import UTM, X0, Y0


def to_degrees(*points: Point) -> list[tuple[float, float]]:
    series = gpd.GeoSeries(list(points), crs=UTM).to_crs(4326)
    return [(p.x, p.y) for p in series]


@pytest.fixture
def irrigation_areas() -> gpd.GeoDataFrame:
    """D.I. Air Betung (4 km x 2 km) and D.I. Sungai Duren (1 km x 1 km) 5 km east of it."""
    return gpd.GeoDataFrame(
        {"di_id": ["DI-01", "DI-02"], "name": ["D.I. Air Betung", "D.I. Sungai Duren"]},
        geometry=[
            box(X0, Y0, X0 + 4000, Y0 + 2000),
            box(X0 + 9000, Y0, X0 + 10_000, Y0 + 1000),
        ],
        crs=UTM,
    ).to_crs(4326)


def works(rows: list[dict]) -> gpd.GeoDataFrame:
    """Irrigation works from dicts with id, level and geometry (metres)."""
    defaults = {
        "name": "Rehabilitasi Jaringan Irigasi",
        "agency": "BWS Sumatera VI",
        "asset_type": "irrigation",
        "year_start": 2025,
        "year_end": 2025,
        "budget_idr": 1e9,
    }
    frame = pd.DataFrame(
        [{**defaults, **{k: v for k, v in r.items() if k != "geometry"}} for r in rows]
    ).rename(columns={"id": "project_id"})
    agencies = {"pusat": "BWS Sumatera VI", "provinsi": "Dinas PUPR Provinsi", "kabupaten": "Kab"}
    frame["agency"] = [agencies[level] for level in frame["level"]]
    geoms = gpd.GeoSeries([r["geometry"] for r in rows], crs=UTM)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=UTM).to_crs(4326)


def test_two_levels_working_in_the_same_di_and_year_are_a_finding(irrigation_areas):
    projects = works(
        [
            {"id": "BWS-1", "level": "pusat", "geometry": Point(X0 + 500, Y0 + 500)},
            {"id": "KAB-1", "level": "kabupaten", "geometry": Point(X0 + 3500, Y0 + 1500)},
        ]
    )
    findings = find_overlaps(projects, irrigation_areas=irrigation_areas)
    assert len(findings) == 1
    found = findings.iloc[0]
    assert (found["project_a"], found["project_b"]) == ("BWS-1", "KAB-1")
    assert (found["kind"], found["asset_type"], found["relation"]) == (
        "overlap",
        "irrigation",
        "cross_level",
    )
    assert found["distance_m"] == pytest.approx(((3000**2) + (1000**2)) ** 0.5, abs=0.5)
    assert (found["share_a"], found["share_b"], found["severity"]) == (1.0, 1.0, "high")
    # The finding is drawn as the D.I. both works lie in.
    di = irrigation_areas.geometry.iloc[0]
    assert found.geometry.equals_exact(di, 1e-9)
    # Without the D.I. layer, two points 3 km apart are not compared.
    assert len(find_overlaps(projects)) == 0


@pytest.mark.parametrize(
    ("label", "second"),
    [
        ("same level", {"level": "pusat"}),
        ("other year", {"level": "kabupaten", "year_start": 2026, "year_end": 2026}),
        ("other D.I.", {"level": "kabupaten", "geometry": Point(X0 + 9500, Y0 + 500)}),
        ("outside every D.I.", {"level": "kabupaten", "geometry": Point(X0 + 6000, Y0 + 500)}),
    ],
)
def test_works_not_of_two_levels_in_one_di_and_year_are_not_findings(
    irrigation_areas, label, second
):
    projects = works(
        [
            {"id": "BWS-1", "level": "pusat", "geometry": Point(X0 + 500, Y0 + 500)},
            {"id": "X-2", "geometry": Point(X0 + 3500, Y0 + 1500), **second},
        ]
    )
    assert len(find_overlaps(projects, irrigation_areas=irrigation_areas)) == 0, label


def test_a_point_work_in_the_di_of_another_levels_area_work_is_a_finding(irrigation_areas):
    projects = works(
        [
            {
                "id": "BWS-1",
                "level": "pusat",
                "geometry": box(X0 + 100, Y0 + 100, X0 + 900, Y0 + 900),
            },
            {"id": "PROV-1", "level": "provinsi", "geometry": Point(X0 + 3000, Y0 + 1000)},
        ]
    )
    findings = find_overlaps(projects, irrigation_areas=irrigation_areas)
    assert findings[["project_a", "project_b"]].values.tolist() == [["BWS-1", "PROV-1"]]
    assert findings["distance_m"].iloc[0] == pytest.approx(((2100**2) + (100**2)) ** 0.5, abs=0.5)


def geotagged_csv(tmp_path, irrigation_areas) -> object:
    inside, outside = to_degrees(Point(X0 + 500, Y0 + 500), Point(X0 + 6000, Y0 + 500))
    path = tmp_path / "irigasi_geotagging.csv"
    path.write_text(
        "kode_paket;nama_paket;tahun;satker;bujur;lintang\n"
        f"IR-1;Rehabilitasi Saluran Irigasi Air Betung;2025;Dinas PUPR Kab. X;"
        f"{inside[0]:.7f};{inside[1]:.7f}\n"
        f"IR-2;Pemeliharaan Jaringan Irigasi Desa Baru;2025;Dinas PUPR Kab. X;"
        f"{outside[0]:.7f};{outside[1]:.7f}\n",
        encoding="utf-8",
    )
    return path


def test_point_works_without_di_are_stored_as_points_with_a_note(tmp_path, irrigation_areas):
    result = read_projects(geotagged_csv(tmp_path, irrigation_areas), level="kabupaten")
    assert result.projects["project_id"].tolist() == ["IR-1", "IR-2"]
    assert result.projects["asset_type"].tolist() == ["irrigation", "irrigation"]
    assert result.projects.geom_type.tolist() == ["Point", "Point"]
    assert [r.outcome for r in result.report.records] == ["stored", "stored"]
    assert all(
        "irrigation work given as one point (geotagging rule): stored as a point" in r.reason
        for r in result.report.records
    )
    assert (
        "irigasi_geotagging.csv: 2 irrigation work(s) given as points: stored as points; load "
        "the Daerah Irigasi (python -m geo reference irrigation FILE) to compare them by D.I."
    ) in result.report.notes


def test_point_works_are_located_in_their_di_when_dis_are_loaded(tmp_path, irrigation_areas):
    result = read_projects(
        geotagged_csv(tmp_path, irrigation_areas),
        level="kabupaten",
        irrigation_areas=irrigation_areas,
    )
    reasons = {r.project_id: r.reason for r in result.report.records}
    assert reasons["IR-1"].endswith("; in D.I. Air Betung")
    assert reasons["IR-2"].endswith("; outside every D.I. loaded")
    assert (
        "irigasi_geotagging.csv: 2 irrigation work(s) given as points: 1 located in a Daerah "
        "Irigasi, 1 outside every D.I. loaded"
    ) in result.report.notes


def test_cli_import_and_overlaps_use_the_stored_di(tmp_path, irrigation_areas, capsys):
    store_path = tmp_path / "peta.gpkg"
    di_file = tmp_path / "di.gpkg"
    irrigation_areas.to_crs(UTM).to_file(di_file)
    assert main(["reference", "irrigation", str(di_file), "--store", str(store_path)]) == 0
    csv_path = geotagged_csv(tmp_path, irrigation_areas)
    code = main(["import", str(csv_path), "--level", "kabupaten", "--store", str(store_path)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "1 located in a Daerah Irigasi, 1 outside every D.I. loaded" in printed
    bws = works([{"id": "BWS-9", "level": "pusat", "geometry": Point(X0 + 3900, Y0 + 1900)}])
    bws_file = tmp_path / "bws.gpkg"
    bws.drop(columns=["asset_type"]).to_file(bws_file)
    assert main(["import", str(bws_file), "--asset", "irigasi", "--store", str(store_path)]) == 0
    out = tmp_path / "temuan.csv"
    assert main(["overlaps", "--store", str(store_path), "--out", str(out)]) == 0
    found = pd.read_csv(out)
    assert found[["project_a", "project_b", "asset_type"]].values.tolist() == [
        ["BWS-9", "IR-1", "irrigation"]
    ]


def test_an_updated_analysis_finds_the_same_di_findings_as_a_whole_run(irrigation_areas):
    stored = works(
        [
            {"id": "BWS-1", "level": "pusat", "geometry": Point(X0 + 500, Y0 + 500)},
            {"id": "BWS-2", "level": "pusat", "geometry": Point(X0 + 9500, Y0 + 500)},
        ]
    ).assign(upload_id=1)
    added = works(
        [{"id": "KAB-1", "level": "kabupaten", "geometry": Point(X0 + 3800, Y0 + 1800)}]
    ).assign(upload_id=2)
    after = pd.concat([stored, added], ignore_index=True)
    before_run = analyse(stored, irrigation_areas=irrigation_areas)
    assert len(before_run.overlaps) == 0
    updated = analyse(after, irrigation_areas=irrigation_areas, since=before_run)
    whole = analyse(after, irrigation_areas=irrigation_areas)
    assert updated.overlaps["finding_id"].tolist() == whole.overlaps["finding_id"].tolist()
    assert whole.overlaps[["project_a", "project_b"]].values.tolist() == [["BWS-1", "KAB-1"]]


def test_the_store_check_of_a_new_upload_finds_works_in_the_same_di(tmp_path, irrigation_areas):
    from geo.analyse.run import analyse_new

    store = open_store(tmp_path / "peta.gpkg")
    bws_file = tmp_path / "bws.gpkg"
    works([{"id": "BWS-1", "level": "pusat", "geometry": Point(X0 + 200, Y0 + 200)}]).to_file(
        bws_file
    )
    store.import_result(read_projects(bws_file))
    new = read_projects(geotagged_csv(tmp_path, irrigation_areas), level="kabupaten").projects
    found = analyse_new(new, store, irrigation_areas=irrigation_areas).overlaps
    assert found[["project_a", "project_b"]].values.tolist() == [["BWS-1", "IR-1"]]
    assert found["distance_m"].iloc[0] == pytest.approx(((300**2) + (300**2)) ** 0.5, abs=0.5)
