"""The budget at stake, totalled (issue 18 point 4): exact totals on a small hand-made region,
every breakdown reconciled with the total, each row traceable to its findings and records."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import LineString, Point, box

from geo.analyse.ledger import (
    LEDGER_COLUMNS,
    budget_ledger,
    ledger_unit_level,
    unit_of_findings,
)
from geo.analyse.overlap import find_overlaps
from tests.geo.analyse.test_overlap import PROJECT_DEFAULTS as DEFAULTS
from tests.geometries import UTM, X0, Y0, projects_from_rows


def road(x_from_km: float, x_to_km: float, y_km: float) -> LineString:
    return LineString(
        [(X0 + x_from_km * 1000, Y0 + y_km * 1000), (X0 + x_to_km * 1000, Y0 + y_km * 1000)]
    )


@pytest.fixture(scope="module")
def findings() -> gpd.GeoDataFrame:
    """Four overlaps: one in 15.01, one across 15.01/15.02 (most of it in 15.02), one whose
    smaller project's pagu exceeds the other's (in 16.01), one outside every unit, unpriced."""
    rows = [
        {"id": "A", "budget_idr": 4e9, "geometry": road(0, 4, 0)},
        {
            "id": "B",
            "level": "provinsi",
            "agency": "Dinas PUPR Provinsi",
            "geometry": road(1, 3, 0),
        },
        {
            "id": "C",
            "level": "provinsi",
            "agency": "Dinas PUPR Provinsi",
            "year_start": 2024,
            "budget_idr": 5e9,
            "geometry": road(3, 8, 2),
        },
        {
            "id": "D",
            "level": "kabupaten",
            "agency": "Dinas PUPR Kab. Satu",
            "budget_idr": 2e9,
            "geometry": road(4, 8, 2),
        },
        {
            "id": "E",
            "budget_idr": 9e9,
            "year_start": 2026,
            "year_end": 2026,
            "geometry": road(10, 11, 4),
        },
        {
            "id": "F",
            "level": "kabupaten",
            "agency": "Dinas PUPR Kab. Tiga",
            "budget_idr": 3e8,
            "year_start": 2026,
            "year_end": 2026,
            "geometry": road(10, 14, 4),
        },
        {"id": "G", "year_start": 2027, "year_end": 2027, "geometry": road(20, 21, 6)},
        {
            "id": "H",
            "agency": "BBPJN",
            "budget_idr": np.nan,
            "year_start": 2027,
            "year_end": 2027,
            "geometry": road(20, 20.5, 6),
        },
    ]
    return find_overlaps(projects_from_rows(rows, DEFAULTS))


@pytest.fixture(scope="module")
def units() -> gpd.GeoDataFrame:
    """Province 15 (two kabupaten) and kabupaten 16.01 of a province the layer does not hold."""

    def strip(x_from_km: float, x_to_km: float):
        return box(X0 + x_from_km * 1000, Y0 - 1000, X0 + x_to_km * 1000, Y0 + 7000)

    return gpd.GeoDataFrame(
        {
            "unit_id": ["15", "15.01", "15.02", "16.01"],
            "unit_name": ["Provinsi Contoh", "Kab. Satu", "Kab. Dua", "Kab. Tiga"],
            "unit_level": ["provinsi", "kabupaten", "kabupaten", "kabupaten"],
        },
        geometry=[strip(0, 10), strip(0, 5), strip(5, 10), strip(10, 15)],
        crs=UTM,
    ).to_crs(4326)


def rows_of(ledger: pd.DataFrame, breakdown: str) -> dict[str, tuple]:
    part = ledger[ledger["breakdown"] == breakdown]
    return {
        key: (n, round(km, 3), round(rupiah / 1e6, 3), label)
        for key, n, km, rupiah, label in zip(
            part["key"],
            part["findings"],
            part["shared_km"],
            part["at_stake_idr"],
            part["label"],
            strict=True,
        )
    }


def test_the_four_findings_the_ledger_totals(findings):
    assert len(findings) == 4
    assert set(findings["kind"]) == {"overlap"}


def test_totals_per_kabupaten_province_level_pair_and_year(findings, units):
    ledger = budget_ledger(findings, units=units)
    assert list(ledger.columns) == list(LEDGER_COLUMNS)
    # rupiah in millions: 1,000 + 2,000 + 300 (capped at F's pagu) + 0 (H has no pagu)
    assert rows_of(ledger, "total") == {"": (4, 7.5, 3300.0, "")}
    # C-D runs 1 km in 15.01 and 3 km in 15.02: all of it counted in 15.02, once.
    assert rows_of(ledger, "kabupaten") == {
        "15.02": (1, 4.0, 2000.0, "Kab. Dua"),
        "15.01": (1, 2.0, 1000.0, "Kab. Satu"),
        "16.01": (1, 1.0, 300.0, "Kab. Tiga"),
        "": (1, 0.5, 0.0, ""),
    }
    assert rows_of(ledger, "provinsi") == {
        "15": (2, 6.0, 3000.0, "Provinsi Contoh"),
        "16": (1, 1.0, 300.0, "16"),
        "": (1, 0.5, 0.0, ""),
    }
    assert rows_of(ledger, "level_pair") == {
        "provinsi-kabupaten": (1, 4.0, 2000.0, "provinsi-kabupaten"),
        "pusat-provinsi": (1, 2.0, 1000.0, "pusat-provinsi"),
        "pusat-kabupaten": (1, 1.0, 300.0, "pusat-kabupaten"),
        "pusat-pusat": (1, 0.5, 0.0, "pusat-pusat"),
    }
    # C runs 2024-2025, D 2025: at stake from 2025, the first year both are funded.
    assert rows_of(ledger, "year") == {
        "2025": (2, 6.0, 3000.0, "2025"),
        "2026": (1, 1.0, 300.0, "2026"),
        "2027": (1, 0.5, 0.0, "2027"),
    }
    assert rows_of(ledger, "kind") == {"overlap": (4, 7.5, 3300.0, "overlap")}


def test_every_breakdown_adds_up_to_the_total(findings, units):
    ledger = budget_ledger(findings, units=units)
    total = ledger[ledger["breakdown"] == "total"].iloc[0]
    for breakdown in ("kabupaten", "provinsi", "level_pair", "year", "kind"):
        part = ledger[ledger["breakdown"] == breakdown]
        assert part["findings"].sum() == total["findings"] == 4
        assert part["shared_km"].sum() == pytest.approx(total["shared_km"], abs=1e-9)
        assert part["at_stake_idr"].sum() == pytest.approx(total["at_stake_idr"], abs=1e-3)
        listed = [i for ids in part["finding_ids"] for i in ids.split("; ")]
        assert sorted(listed) == sorted(findings["finding_id"])  # each finding once


def test_each_row_names_its_findings_and_project_records(findings, units):
    ledger = budget_ledger(findings, units=units)
    row = ledger[(ledger["breakdown"] == "kabupaten") & (ledger["key"] == "15.02")].iloc[0]
    pair = findings[findings["project_b"] == "D"]
    assert row["finding_ids"] == pair["finding_id"].iloc[0]
    assert row["project_records"] == "C (Dinas PUPR Provinsi); D (Dinas PUPR Kab. Satu)"
    year = ledger[(ledger["breakdown"] == "year") & (ledger["key"] == "2025")].iloc[0]
    assert year["project_records"] == (
        "A (BPJN); B (Dinas PUPR Provinsi); C (Dinas PUPR Provinsi); D (Dinas PUPR Kab. Satu)"
    )


def test_rupiah_at_stake_never_exceeds_either_pagu(findings):
    # E (1 km, Rp 9 bn) lies wholly on F (4 km, Rp 300 m): E's pagu x its share is 9 bn,
    # but no more than F spends, 300 m, is at stake.
    capped = findings[findings["project_a"] == "E"].iloc[0]
    assert capped["budget_at_stake_idr"] == pytest.approx(3e8)
    priced = findings.dropna(subset=["budget_at_stake_idr"])
    assert (priced["budget_at_stake_idr"] <= priced["budget_a_idr"]).all()
    assert (priced["budget_at_stake_idr"] <= priced["budget_b_idr"]).all()
    # The ledger caps findings made elsewhere too (a CSV, an older analysis).
    uncapped = findings.assign(budget_at_stake_idr=findings["budget_at_stake_idr"] * 100)
    total = budget_ledger(uncapped).iloc[0]
    assert total["at_stake_idr"] == pytest.approx(1e9 + 2e9 + 3e8)  # each at the smaller pagu


def test_without_units_no_kabupaten_or_province_rows(findings):
    ledger = budget_ledger(findings)
    assert list(dict.fromkeys(ledger["breakdown"])) == ["total", "level_pair", "year", "kind"]


def test_no_findings_is_a_total_of_zero(findings, units):
    ledger = budget_ledger(findings.iloc[:0], units=units)
    assert rows_of(ledger, "total") == {"": (0, 0.0, 0.0, "")}
    assert len(ledger) == 1


def test_cross_type_findings_are_not_totalled(findings):
    bridge = findings.iloc[:1].assign(kind="cross_type", finding_id="TT-x")
    both = pd.concat([findings, bridge], ignore_index=True)
    assert budget_ledger(both).iloc[0]["findings"] == 4


def test_kecamatan_units_are_totalled_and_their_province_read_from_the_kode(findings, units):
    kecamatan = units.iloc[1:].assign(
        unit_id=["15.01.01", "15.02.01", "16.01.01"], unit_level="kecamatan"
    )
    assert ledger_unit_level(units) == "kabupaten"
    assert ledger_unit_level(kecamatan) == "kecamatan"
    ledger = budget_ledger(findings, units=kecamatan)
    assert rows_of(ledger, "kabupaten")["15.02.01"] == (1, 4.0, 2000.0, "Kab. Dua")
    assert rows_of(ledger, "provinsi")["15"] == (2, 6.0, 3000.0, "15")  # no province unit


def test_units_in_another_crs_give_the_same_totals(findings, units):
    in_metres = budget_ledger(findings, units=units.to_crs(UTM))
    pd.testing.assert_frame_equal(in_metres, budget_ledger(findings, units=units))


#: Two units side by side, the larger id to the west: a part's size decides, not the id.
SIDE_BY_SIDE = gpd.GeoDataFrame(
    {"unit_id": ["15.02", "15.01"]},
    geometry=[box(103.0, -2.0, 103.5, -1.0), box(103.5, -2.0, 104.0, -1.0)],
    crs=4326,
)


@pytest.mark.parametrize(
    ("shape", "held"),
    [
        (LineString([(103.1, -1.5), (103.2, -1.5)]), 0),  # inside the west unit only
        (LineString([(103.45, -1.5), (103.7, -1.5)]), 1),  # across, most of it east
        (LineString([(103.2, -1.5), (103.55, -1.5)]), 0),  # across, most of it west
        (LineString([(103.5, -1.5), (103.6, -1.5)]), 1),  # starts on the border
        (box(103.3, -1.6, 103.6, -1.4), 0),  # an area, most of it west
        (Point(103.8, -1.2), 1),  # a bridge
        (Point(103.5, -1.5), 1),  # on the border: equal parts, the smaller id
        (LineString([(105.0, -1.5), (105.1, -1.5)]), -1),  # outside every unit
        (None, -1),
    ],
)
def test_a_finding_belongs_to_the_unit_holding_most_of_it(shape, held):
    # Among others, so that the units' candidates of one finding are not those of the next.
    others = [LineString([(103.4, -1.2), (103.9, -1.2)]), Point(103.2, -1.8)]
    found = unit_of_findings(gpd.GeoSeries([*others, shape], crs=4326), SIDE_BY_SIDE)
    assert found.tolist() == [1, 0, held]
