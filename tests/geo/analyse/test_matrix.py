"""The rakor synchronisation matrix on a small network: two ruas, three levels, a conflict and
a stretch where two levels work in different years (no conflict), a Daerah Irigasi."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analyse.matrix import ROW_COLUMNS, WORK_COLUMNS, build_matrix, row_id
from geo.analyse.run import ProjectFilter
from geo.errors import GeoInputError
from tests.matrix_support import small_region


@pytest.fixture(scope="module")
def region():
    return small_region()


def test_each_ruas_is_cut_at_every_work_end_and_each_stretch_has_its_levels(region):
    analysis, network, areas = region
    matrix = build_matrix(analysis, network=network, irrigation_areas=areas)
    rows = matrix.rows
    assert list(rows.columns) == list(ROW_COLUMNS)
    assert list(matrix.works.columns) == list(WORK_COLUMNS)
    table = (
        rows[
            ["row_id", "unit_name", "reference_status", "from_m", "to_m", "pusat", "provinsi"]
            + ["kabupaten", "conflict", "conflict_years"]
        ]
        .astype(object)
        .where(rows.notna(), None)
        .values.tolist()
    )
    assert table == [
        ["MX-015-4000-6000", "Kab. Hilir", "kabupaten", 4000.0, 6000.0, 1, 0, 1, True, "2025"],
        ["MX-015-6000-8000", "Kab. Hilir", "kabupaten", 6000.0, 8000.0, 0, 0, 1, False, ""],
        ["MX-015-8000-10000", "Kab. Hilir", "kabupaten", 8000.0, 10000.0, 0, 1, 0, False, ""],
        ["MX-015-0-4000", "Kab. Hulu", "kabupaten", 0.0, 4000.0, 1, 0, 0, False, ""],
        ["MX-P-02-0-1000", "Kab. Hulu", "provinsi", 0.0, 1000.0, 0, 1, 0, False, ""],
        ["MX-P-02-1000-3000", "Kab. Hulu", "provinsi", 1000.0, 3000.0, 0, 1, 1, False, ""],
        ["MX-DI-DI-7", "Kab. Hulu", "kabupaten", None, None, 1, 0, 1, True, "2025"],
    ]


def test_a_conflict_names_its_overlap_finding_and_lists_each_levels_works_by_year(region):
    analysis, network, areas = region
    matrix = build_matrix(analysis, network=network, irrigation_areas=areas)
    found = analysis.overlaps.set_index("project_a")["finding_id"]
    rows = matrix.rows.set_index("row_id")
    assert rows.loc["MX-015-4000-6000", "finding_ids"] == found["P-1"]
    assert rows.loc["MX-DI-DI-7", "finding_ids"] == found["I-P"]
    assert rows.loc["MX-015-0-4000", "finding_ids"] == ""
    cells = matrix.works_of("MX-015-4000-6000")[
        ["level", "year", "project_id", "work_type", "budget_idr", "status", "from_m", "to_m"]
    ]
    assert cells.values.tolist() == [
        ["pusat", 2025, "P-1", "peningkatan", 5e9, "kontrak", 0.0, 6000.0],
        ["kabupaten", 2025, "K-1", "rehabilitasi", 2e9, "usulan", 4000.0, 8000.0],
    ]
    # Two levels on one stretch in different years (2025-2026 and 2027): no conflict.
    both = matrix.works_of("MX-P-02-1000-3000")[["level", "year", "project_id"]]
    assert both.values.tolist() == [
        ["provinsi", 2025, "V-2"],
        ["provinsi", 2026, "V-2"],
        ["kabupaten", 2027, "K-2"],
    ]
    assert not rows.loc["MX-P-02-1000-3000", "conflict"]
    assert matrix.years == (2024, 2025, 2026, 2027)
    assert matrix.notes == ()


def test_decisions_come_back_on_the_same_rows_and_the_latest_wins(region):
    analysis, network, areas = region
    decisions = pd.DataFrame(
        {
            "subject_id": ["MX-015-4000-6000", "MX-015-4000-6000", "MX-DI-DI-7", "MX-gone-0-1"],
            "decision": ["Didiskusikan", "Ditolak", "Diterima", "Diterima"],
            "note": ["dibahas", "kabupaten geser ke STA 6+000", "", "ruas lama"],
            "who": ["bappeda", "bappeda", "bbws", "x"],
            "decided_at": [
                "2026-03-01T09:00:00+00:00",
                "2026-03-02T10:00:00+00:00",
                "2026-03-02T11:00:00+00:00",
                "2026-03-02T11:00:00+00:00",
            ],
        }
    )
    matrix = build_matrix(analysis, network=network, irrigation_areas=areas, decisions=decisions)
    again = build_matrix(analysis, network=network, irrigation_areas=areas, decisions=decisions)
    assert again.rows["row_id"].tolist() == matrix.rows["row_id"].tolist()
    decided = matrix.rows.loc[matrix.rows["decision"] != "", ["row_id", "decision", "note", "who"]]
    assert decided.values.tolist() == [
        ["MX-015-4000-6000", "Ditolak", "kabupaten geser ke STA 6+000", "bappeda"],
        ["MX-DI-DI-7", "Diterima", "", "bbws"],
    ]
    assert set(matrix.rows["note"]) == {"", "kabupaten geser ke STA 6+000"}


def test_filters_by_level_unit_and_year(region):
    analysis, network, areas = region

    def ids(**options):
        matrix = build_matrix(
            analysis, network=network, irrigation_areas=areas, filters=ProjectFilter(**options)
        )
        return matrix.rows["row_id"].tolist(), sorted(set(matrix.works["project_id"]))

    # A level keeps the rows where it works, with the other levels' works on them.
    assert ids(levels=("Prov",)) == (
        ["MX-015-8000-10000", "MX-P-02-0-1000", "MX-P-02-1000-3000"],
        ["K-2", "V-1", "V-2"],
    )
    assert ids(units=("Hilir",))[0] == [
        "MX-015-4000-6000",
        "MX-015-6000-8000",
        "MX-015-8000-10000",
    ]
    # A year shows that year's works only: the stretch cut by a 2025 work stays cut.
    assert ids(year_from=2027, year_to=2027) == (["MX-P-02-1000-3000"], ["K-2"])
    assert ids(asset_types=("irigasi",)) == (["MX-DI-DI-7"], ["I-K", "I-P"])


def test_row_ids_are_stable_and_a_unit_filter_needs_units(region):
    analysis, network, _ = region
    assert row_id("015", 3999.6, 6000.2) == "MX-015-4000-6000"
    no_units = analysis.__class__(
        projects=analysis.projects,
        overlaps=analysis.overlaps,
        mismatches=analysis.mismatches,
        locations=analysis.locations,
    )
    plain = build_matrix(no_units, network=network)
    assert set(plain.rows["unit_name"]) == {""}
    assert len(plain.rows) == 6  # no Daerah Irigasi layer: road rows only, and a note
    assert plain.notes == (
        "2 irrigation work(s) lie in no Daerah Irigasi (or there is no D.I. layer): I-K, I-P",
    )
    with pytest.raises(GeoInputError, match="no administrative units"):
        build_matrix(no_units, network=network, filters=ProjectFilter(units=("Hulu",)))


def test_works_of_a_village_are_left_out_with_a_note():
    import geopandas as gpd
    from shapely import Point

    from geo.analyse.run import Analysis

    projects = gpd.GeoDataFrame(
        {
            "project_id": ["D-1", "K-9"],
            "name": "Rabat beton",
            "level": ["desa", "kabupaten"],
            "agency": ["Desa Suka Maju", "Dinas PUPR Kab"],
            "asset_type": "road",
            "year_start": 2026,
            "year_end": 2026,
        },
        geometry=[Point(103.6, -1.6)] * 2,
        crs=4326,
    )
    locations = projects[["agency", "project_id"]].assign(
        ruas_id="K-3", ruas_name="", from_m=[0.0, 100.0], to_m=[800.0, 900.0]
    )
    analysis = Analysis(
        projects=projects,
        overlaps=gpd.GeoDataFrame(),
        mismatches=pd.DataFrame(),
        locations=locations,
    )
    matrix = build_matrix(analysis)
    assert matrix.rows["row_id"].tolist() == ["MX-K-3-100-900"]
    assert matrix.notes == (
        "1 work(s) of level desa are not in the matrix (its columns are pusat, provinsi, "
        "kabupaten)",
    )
