"""Findings highlighted on the map, the gap choropleth and the findings tables."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, Point, box

from layers.map_labels import finding_numbers
from layers.overlays import (
    FINDING_PROPERTY,
    TOOLTIP_PROPERTY,
    display_copy,
    gap_classes,
    gap_layer,
    gap_legend_labels,
    gap_values,
)
from layers.palette import FINDING_COLOUR, GAP_COLOURS, REVIEWED_COLOUR
from layers.project_map import legend_html, project_map
from layers.tables import (
    coverage_table,
    mismatch_numbers,
    mismatch_table,
    overlap_table,
    record_table,
)

HOSTILE = "<img src=x onerror=alert(1)>{{ 7*7 }}`${x}`"


@pytest.fixture
def overlaps() -> gpd.GeoDataFrame:
    base = {
        "kind": "overlap",
        "asset_type": "road",
        "relation": "cross_level",
        "severity": "high",
        "name_a": HOSTILE,
        "name_b": "Rehabilitasi Jalan",
        "level_a": "pusat",
        "level_b": "provinsi",
        "agency_a": "BPJN",
        "agency_b": HOSTILE,
        "project_a": "A",
        "project_b": "B",
        "overlap_m": 2999.3,
        "overlap_ha": float("nan"),
        "distance_m": float("nan"),
        "share_a": 0.37,
        "share_b": 1.0,
        "budget_at_stake_idr": 4_206_101_009.0,
    }
    rows = [
        base | {"finding_id": "TT-1"},
        base
        | {
            "finding_id": "TT-2",
            "asset_type": "bridge",
            "overlap_m": float("nan"),
            "distance_m": 9.6,
        },  # fmt: skip
        base
        | {
            "finding_id": "TT-3",
            "asset_type": "irrigation",
            "overlap_m": float("nan"),
            "overlap_ha": 12.5,
        },  # fmt: skip
    ]
    geometry = [
        LineString([(103.5, -1.5), (103.52, -1.5)]),
        LineString([(103.6, -1.5), (103.6001, -1.5)]),
        box(103.7, -1.6, 103.71, -1.59),
    ]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=4326)


@pytest.fixture
def reviews() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "finding_id": ["TT-1", "TT-2"],
            "decision": ["dismiss", "confirm"],
            "note": [HOSTILE, ""],
            "who": ["Bappeda", "BPJN"],
            "decided_at": ["2025-01-01T00:00:00+00:00"] * 2,
        }
    )


def _decoded(html: str) -> str:
    """The HTML with Jinja's ``tojson`` escapes undone: what the browser's JSON parser reads."""
    for escaped, char in (("\\u0026", "&"), ("\\u003c", "<"), ("\\u003e", ">"), ("\\u0027", "'")):
        html = html.replace(escaped, char)
    return html


def _projects() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "project_id": ["A"],
            "name": ["Jalan A"],
            "level": ["pusat"],
            "agency": ["BPJN"],
            "asset_type": ["road"],
            "work_type": [None],
            "year_start": [2025],
            "year_end": [2025],
            "budget_idr": [1e9],
            "funding_source": ["APBN"],
            "status": [None],
        },
        geometry=[LineString([(103.5, -1.5), (103.52, -1.5)])],
        crs=4326,
    )


def test_findings_are_highlighted_with_their_review_and_escaped(overlaps, reviews):
    html = _decoded(
        project_map(_projects(), findings=overlaps, reviews=reviews).get_root().render()
    )

    assert HOSTILE not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&#123;&#123; 7*7 &#125;&#125;" in html
    assert "Tumpang tindih (3)" in html
    assert FINDING_COLOUR in html and REVIEWED_COLOUR in html
    assert "ditolak" in html and "dikonfirmasi" in html and "belum ditinjau" in html
    assert "3,00 km" in html and "12,5 ha" in html and "10 m terpisah" in html
    assert "<th>Prioritas</th><td>tinggi</td>" in html  # severity, never "Tingkat" (level)
    assert "Rp 4.206.101.009" in html
    assert f'"{FINDING_PROPERTY}": "TT-1"' in html
    assert "Temuan" in legend_html(_projects(), findings_kind="overlaps")


def test_focus_bounds_zoom_the_map_to_a_finding(overlaps):
    html = project_map(_projects(), focus_bounds=(103.6, -1.5, 103.6001, -1.5)).get_root().render()
    fitted = html.split("fitBounds(", 1)[1].split(")", 1)[0]
    assert "103.59" in fitted and "103.60" in fitted, fitted


def test_gap_choropleth_classes_and_legend():
    coverage = pd.DataFrame(
        {
            "unit_id": ["1", "2", "3"],
            "unit_name": ["Kab. A", "Kab. <B>", "Kab. C"],
            "covered_share": [0.95, 0.1, float("nan")],
            "projects_per_km2": [0.1, 0.0, 0.0],
        }
    )
    values, key = gap_values(coverage)
    assert key == "uncovered_share"
    assert gap_classes(values, key).tolist() == [0, 4, -1]
    assert gap_legend_labels(key)[0] == (GAP_COLOURS[0], "0,0 % – 20,0 %")
    units = gpd.GeoDataFrame(
        {"unit_id": ["1", "2", "3"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        crs=4326,
    )
    layer = gap_layer(units, coverage, lang="en")
    assert layer.layer_name == "Coverage gaps: Network not covered"
    html = _decoded(project_map(_projects(), gaps=(units, coverage)).get_root().render())
    assert "Kab. &lt;B&gt;" in html and "Kab. <B>" not in html
    assert GAP_COLOURS[4] in html and "Jaringan belum tertangani" in html
    # No CDN: the choropleth uses no branca colormap (which would pull d3 from the internet).
    assert re.findall(r'(?:src|href)="(https?:[^"]+)"', html) == []
    assert "d3" not in re.findall(r'<script src="([^"]+)"', html)


def test_display_copy_keeps_every_feature_and_rounds():
    layer = gpd.GeoDataFrame(
        geometry=[Point(103.123456789, -1.5), LineString([(101.0, -2.0), (104.0, -1.0)])],
        crs=4326,
    )
    shown = display_copy(layer)
    assert len(shown) == 2 and not shown.geometry.is_empty.any()
    assert shown.geometry.iloc[0].x == pytest.approx(103.1235, abs=1e-9)
    assert TOOLTIP_PROPERTY == "peta_tooltip"


def test_tables_translate_and_format_the_indonesian_way(overlaps, reviews):
    table = overlap_table(overlaps, reviews, numbers=finding_numbers(overlaps))
    # What matters first: No. (as on the maps and in the pack), projects, evidence, money.
    assert list(table.columns[:8]) == [
        "No.",
        "Proyek A",
        "Proyek B",
        "Bagian bersama",
        "Porsi A",
        "Porsi B",
        "Anggaran terdampak",
        "Tingkat pemerintahan",
    ]
    assert list(table["No."]) == [
        str(n) for n in finding_numbers(overlaps).reindex(overlaps["finding_id"])
    ]
    assert list(table["Tinjauan"]) == ["ditolak", "dikonfirmasi", "belum ditinjau"]
    assert list(table["Bagian bersama"]) == ["3,00 km", "10 m terpisah", "12,5 ha"]
    assert table["Anggaran terdampak"].iloc[0] == "Rp 4.206.101.009"
    assert table["Porsi A"].iloc[0] == "37,0 %"
    assert list(table["Prioritas"]) == ["tinggi"] * 3
    assert table["Tingkat pemerintahan"].iloc[0] == "Pusat – Provinsi"
    assert not table.isna().any().any() and "None" not in table.to_string()
    english = overlap_table(overlaps, lang="en")
    assert list(english["Severity"]) == ["high"] * 3
    assert english["Budget at stake"].iloc[0] == "Rp 4,206,101,009"
    assert english["Share A"].iloc[0] == "37.0 %" and english["No."].iloc[0] == "–"
    # A bridge-on-road finding has no share: a dash, never None.
    bridge_on_road = overlaps.iloc[[0]].assign(
        asset_type="bridge/road", share_a=None, share_b=None, overlap_m=None, distance_m=4.0
    )
    row = overlap_table(bridge_on_road).iloc[0]
    assert (row["Porsi A"], row["Aset"], row["Bagian bersama"]) == (
        "–",
        "Jembatan di ruas jalan",
        "4 m terpisah",
    )

    mismatches = pd.DataFrame(
        {
            "finding_id": ["KW-1"],
            "verdict": ["mismatch"],
            "name": ["Jalan"],
            "agency": ["Dinas"],
            "level": ["provinsi"],
            "expected_level": ["pusat"],
            "asset_type": ["road"],
            "share": [1.0],
            "budget_idr": [1.25e9],
            "rule": ["UU 2/2022"],
        }
    )
    row = mismatch_table(mismatches, numbers=mismatch_numbers(mismatches)).iloc[0]
    assert (row["No."], row["Putusan"], row["Kewenangan"], row["Pagu"], row["Porsi"]) == (
        "K1",
        "tidak sesuai",
        "Pusat",
        "Rp 1.250.000.000",
        "100,0 %",
    )
    coverage = pd.DataFrame(
        {
            "unit_id": ["1"],
            "unit_name": ["Kab. A"],
            "projects": [3],
            "budget_idr": [2e9],
            "projects_per_km2": [0.01],
        }  # fmt: skip
    )
    assert list(coverage_table(coverage).columns) == ["Wilayah", "Proyek", "Pagu", "Proyek per km²"]
    record = record_table(_projects().iloc[0])
    assert list(record.columns) == ["Isian", "Nilai"]
    fields = dict(zip(record["Isian"], record["Nilai"], strict=True))
    assert fields["Pagu (Rp)"] == "Rp 1.000.000.000"
    assert "budget_idr" not in fields and "project_id" not in fields and "Kode paket" in fields
    english = record_table(_projects().iloc[0], lang="en")
    assert list(english.columns) == ["Field", "Value"] and "Budget (Rp)" in set(english["Field"])


def test_a_finding_on_the_network_says_its_ruas_and_sta_escaped():
    from layers.overlays import finding_tooltip_html
    from layers.tables import overlap_table

    finding = {
        "finding_id": "TT-1", "kind": "overlap", "asset_type": "road", "relation": "cross_level",
        "severity": "high", "name_a": "A", "name_b": "B", "level_a": "pusat",
        "level_b": "provinsi", "agency_a": "BPJN", "agency_b": "Dinas", "overlap_m": 3000.0,
        "overlap_ha": None, "distance_m": None, "share_a": 0.5, "share_b": 1.0,
        "budget_at_stake_idr": 4.2e9, "method": "network", "ruas_id": "<b>N-008</b>",
        "sta_from_m": 10343.4, "sta_to_m": 13343.4,
    }  # fmt: skip
    other = {**finding, "finding_id": "TT-2", "method": "geometry", "ruas_id": "",
             "sta_from_m": None, "sta_to_m": None}  # fmt: skip
    findings = pd.DataFrame([finding, other])
    html = finding_tooltip_html(findings, lang="id")
    assert "<th>Ruas, STA</th><td>&lt;b&gt;N-008&lt;/b&gt;, STA 10+343 – 13+343</td>" in html[0]
    assert "<th>Ruas, STA</th><td>–</td>" in html[1]
    table = overlap_table(findings, lang="en")
    assert table["Road section (ruas), STA"].tolist() == [
        "<b>N-008</b>, STA 10+343 – 13+343",
        "–",
    ]
    assert table["Found by"].tolist() == ["road network (ruas and STA)", "geometry"]
    assert "Ruas, STA" not in overlap_table(findings.drop(columns="ruas_id"), lang="id")


def test_repeat_funding_is_named_with_both_years_in_the_findings_table(overlaps):
    assert "Jenis temuan" not in overlap_table(overlaps).columns  # overlaps only: no column
    repeat = overlaps.assign(
        kind=["repeat", "overlap", "overlap"],
        years_a=["2025"] * 3,
        years_b=["2021", "2025", "2025"],
    )
    table = overlap_table(repeat)
    assert list(table.columns[7:9]) == ["Tingkat pemerintahan", "Jenis temuan"]
    assert list(table["Jenis temuan"]) == [
        "pendanaan berulang (2021 → 2025)",
        "tumpang tindih",
        "tumpang tindih",
    ]
    english = overlap_table(repeat, lang="en")
    assert english["Kind of finding"].iloc[0] == "repeat funding (2021 → 2025)"


def test_the_ledger_table_lists_the_first_codes_then_how_many_more():
    from geo.analyse.ledger import budget_ledger
    from layers.tables import LEDGER_CODES_SHOWN, ledger_table

    assert LEDGER_CODES_SHOWN == 50
    codes = [f"TT-{i:04d}" for i in range(1, 1051)]
    ledger = budget_ledger(
        pd.DataFrame(
            {
                "finding_id": codes,
                "kind": "overlap",
                "project_a": "A",
                "project_b": "B",
                "agency_a": "BPJN",
                "agency_b": "Dinas",
                "level_a": "pusat",
                "level_b": ["provinsi"] * 1048 + ["kabupaten"] * 2,
                "years_a": "2025",
                "years_b": "2025",
                "overlap_m": 10.0,
                "overlap_ha": float("nan"),
                "budget_a_idr": 1e6,
                "budget_b_idr": 1e6,
                "budget_at_stake_idr": 1e5,
            }
        )
    )
    first_50 = "; ".join(codes[:50])
    table = ledger_table(ledger, lang="id")
    by_item = dict(zip(table["Uraian"], table["Kode temuan"], strict=True))
    assert by_item["Semua temuan"] == (
        f"{first_50}; dan 1.000 lainnya (setiap temuan ada di lembar Tumpang tindih dan "
        "Pendanaan berulang buku kerja Excel, halaman Ekspor)"
    )
    assert by_item["Pusat – Kabupaten/Kota"] == "TT-1049; TT-1050"  # two: all of them
    english = ledger_table(ledger, lang="en")
    assert english["Finding codes"].iloc[0] == (
        f"{first_50}; and 1,000 more (every finding is on the Overlaps and Repeat funding "
        "sheets of the Excel workbook, Export page)"
    )
