"""Proposal rows placed on the network (or in a unit) and judged, with exact answers.

The network is drawn in UTM metres (straight ruas from ``X0``), so every chainage is exact.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely import LineString

from geo.analyse.proposals import check_proposals
from geo.read.proposals import read_proposals
from geo.spatial.network import RoadNetwork
from tests.geometries import UTM, X0, Y0, projects_from_rows, square

#: (road_id, name, status, northing offset, length in metres)
RUAS = [
    ("N-001", "Jambi – Tempino", "nasional", 0, 20_000),
    ("P-012", "Simpang Rimbo Bujang – Batas Kabupaten Tebo", "provinsi", 2_000, 10_000),
    ("K-034", "Jl. Raya Salem - Bts. Kab. Cilacap", "kabupaten", 4_000, 5_000),
    ("K-035", "Bts Kota Manokwari - Sibuni", "kabupaten", 6_000, 6_000),
    ("K-036", "Tanjung Pinang - Sungai Bahar", "kabupaten", 8_000, 7_000),
    ("K-037", "Minyambouw - Bts Kota Pegaf", "kabupaten", 10_000, 3_000),
    # One name at two statuses: a name alone cannot say which.
    ("P-020", "Muara Bulian - Simpang Jambi", "provinsi", 12_000, 8_000),
    ("K-050", "Muara Bulian - Simpang Jambi", "kabupaten", 14_000, 4_000),
]


def ruas_line(northing: float, length_m: float, start_m: float = 0.0) -> LineString:
    return LineString([(X0 + start_m, Y0 + northing), (X0 + length_m, Y0 + northing)])


@pytest.fixture(scope="module")
def roads() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "road_id": [r[0] for r in RUAS],
            "name": [r[1] for r in RUAS],
            "status": [r[2] for r in RUAS],
        },
        geometry=[ruas_line(r[3], r[4]) for r in RUAS],
        crs=UTM,
    ).to_crs(4326)


@pytest.fixture(scope="module")
def network(roads) -> RoadNetwork:
    return RoadNetwork(roads)


@pytest.fixture(scope="module")
def units() -> gpd.GeoDataFrame:
    """Two kabupaten and three kecamatan, two of them named Kumpeh (one in each kabupaten)."""
    return gpd.GeoDataFrame(
        {
            "unit_id": ["15.05", "15.06", "15.05.03", "15.06.03", "15.05.06"],
            "unit_name": ["Muaro Jambi", "Batang Hari", "Kumpeh", "Kumpeh", "Kumpeh Ulu"],
            "unit_level": ["kabupaten", "kabupaten", "kecamatan", "kecamatan", "kecamatan"],
        },
        geometry=[
            square(X0 - 50_000, Y0 - 50_000, 100_000),
            square(X0 + 50_000, Y0 - 50_000, 100_000),
            square(X0 - 50_000, Y0 - 50_000, 2_000),
            square(X0 + 50_000, Y0 - 50_000, 2_000),
            square(X0 - 40_000, Y0 - 40_000, 2_000),
        ],
        crs=UTM,
    ).to_crs(4326)


HEADER = "Kode Usulan;Nama Ruas;STA Awal;STA Akhir;Kecamatan;Kabupaten;Tahun;Pagu;Sumber Dana;Usulan Dari"


def proposal_list(tmp_path: Path, *rows: str):
    """A proposal list CSV (``;``-separated, as exported) read by the reader."""
    path = tmp_path / "usulan.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return read_proposals(path)


KAB = "Dinas PUPR Kab. Muaro Jambi"


@pytest.mark.parametrize(
    ("written", "ruas_id"),
    [
        ("Jln. Salem – Batas Kabupaten Cilacap", "K-034"),  # Jln., en dash, words in full
        ("Jalan Salem s.d. Bts Kab Cilacap", "K-034"),  # Jalan, s.d., no dots
        ("Bts. Kab. Tjilatjap s/d Salem", "K-034"),  # reversed, spelling before 1972, s/d
        ("Sp. Rimbo Bujang - Bts. Kab. Tebo", "P-012"),  # Sp. = Simpang, Bts. = Batas
        ("Simp. Rimbo Bujang s.d. Batas Kab. Tebo", "P-012"),  # Simp.
        ("Sibuni - Bts. Kota Manokwari", "K-035"),  # reversed, Kota
        ("Tj. Pinang – Sei Bahar", "K-036"),  # Tj. = Tanjung, Sei = Sungai
        ("Menyambouw - Bts Kota Pegaf", "K-037"),  # a spelling variant of the place
        ("Djambi - Tempino", "N-001"),  # dj = j
    ],
)
def test_each_name_variant_is_placed_on_its_ruas(tmp_path, network, written, ruas_id):
    level = {"N": "BPJN Jambi", "P": "Dinas PUPR Provinsi Jambi", "K": KAB}[ruas_id[0]]
    proposals = proposal_list(tmp_path, f"U-1;{written};;;;;2025;1.000.000.000;APBD;{level}")
    checked = check_proposals(proposals, network=network)
    row = checked.iloc[0]
    length = dict((r[0], r[4]) for r in RUAS)[ruas_id]
    assert (row["placement"], row["ruas_id"]) == ("ruas", ruas_id)
    assert (row["sta_from_m"], row["sta_to_m"]) == (0.0, pytest.approx(length, abs=0.5))
    assert row["candidates"].startswith(f"{ruas_id} ")
    assert f"ruas dikenali dari nama {written!r}" in row["reasons"]
    assert row["suggested_status"] == "Diterima"


def test_a_code_and_sta_place_the_exact_stretch(tmp_path, network):
    proposals = proposal_list(tmp_path, f"U-1;K-034;1+250;3+750;;;2025;Rp 2,5 M;DAK;{KAB}")
    row = check_proposals(proposals, network=network).iloc[0]
    assert (row["placement"], row["ruas_id"], row["sta_from_m"], row["sta_to_m"]) == (
        "sta",
        "K-034",
        1250.0,
        3750.0,
    )
    assert row["candidates"] == ""
    assert row["geometry"].length > 0


def test_a_name_fitting_two_ruas_equally_is_not_placed_and_lists_both(tmp_path, network):
    proposals = proposal_list(tmp_path, f"U-1;Ma. Bulian s.d. Sp. Djambi;;;;;2025;1;DAK;{KAB}")
    row = check_proposals(proposals, network=network).iloc[0]
    assert row["placement"] == "none"
    assert row["candidates"].split("; ")[:2] == [
        "P-020 Muara Bulian - Simpang Jambi (1,00)",
        "K-050 Muara Bulian - Simpang Jambi (1,00)",
    ]
    assert row["suggested_status"] == "Didiskusikan"
    assert row["reasons"].startswith("tidak dapat ditempatkan: ruas nama")


def test_a_name_below_the_score_is_not_placed(tmp_path, network):
    proposals = proposal_list(tmp_path, f"U-1;Sorong - Klamono;;;;;2025;1;DAK;{KAB}")
    row = check_proposals(proposals, network=network).iloc[0]
    assert row["placement"] == "none"
    assert row["ruas_id"] == ""
    assert row["candidates"] != ""


def test_an_sta_beyond_the_ruas_end_places_the_whole_ruas_and_says_so(tmp_path, network):
    proposals = proposal_list(tmp_path, f"U-1;K-037;2+000;4+500;;;2025;1;DAK;{KAB}")
    row = check_proposals(proposals, network=network).iloc[0]
    assert (row["placement"], row["sta_from_m"], row["sta_to_m"]) == (
        "ruas",
        0.0,
        pytest.approx(3000.0, abs=0.5),
    )
    assert "STA 2+000 - 4+500 melewati ujung ruas K-037 (STA 3+000)" in row["reasons"]


def test_rows_naming_only_a_kecamatan_are_placed_in_it_the_kabupaten_picking_between_namesakes(
    tmp_path, network, units
):
    proposals = proposal_list(
        tmp_path,
        f"U-1;;;;Kec. Kumpeh Ulu;;2025;1;DAK;{KAB}",
        f"U-2;;;;Kumpeh;Kab. Batang Hari;2025;1;DAK;{KAB}",
        f"U-3;;;;Kumpeh;;2025;1;DAK;{KAB}",
        f"U-4;;;;;;2025;1;DAK;{KAB}",
    )
    checked = check_proposals(proposals, network=network, units=units)
    assert checked["placement"].tolist() == ["unit", "unit", "none", "none"]
    assert checked["suggested_status"].tolist() == ["Didiskusikan"] * 4
    assert checked["reasons"][0].startswith("lokasi hanya sampai kecamatan Kumpeh Ulu (15.05.06)")
    assert "kecamatan Kumpeh (15.06.03)" in checked["reasons"][1]
    assert checked["candidates"][2] == "Kumpeh (15.05.03); Kumpeh (15.06.03)"
    assert "kecamatan 'Kumpeh' ada lebih dari satu: isi kabupaten/kota" in checked["reasons"][2]
    assert checked["reasons"][3] == (
        "tidak dapat ditempatkan: tidak ada kode/nama ruas, desa atau kecamatan"
    )


def test_a_row_without_units_to_look_in_says_what_is_missing(tmp_path, network):
    proposals = proposal_list(tmp_path, f"U-1;;;;Kumpeh;;2025;1;DAK;{KAB}")
    row = check_proposals(proposals, network=network).iloc[0]
    assert row["placement"] == "none"
    assert "tidak ada batas wilayah (desa/kecamatan) untuk menempatkan (--units)" in row["reasons"]


# --- verdicts -------------------------------------------------------------------------------


def stored(*rows: dict) -> gpd.GeoDataFrame:
    """Stored road projects along N-001 (northing 0), given by chainage ``sta`` (metres)."""
    return projects_from_rows(
        [
            {**r, "geometry": ruas_line(0, r["sta"][1], r["sta"][0])}
            for r in ({k: v for k, v in row.items()} for row in rows)
        ],
        {
            "name": "Preservasi Jambi - Tempino",
            "level": "pusat",
            "agency": "BPJN Jambi",
            "asset_type": "road",
            "year_start": 2025,
            "year_end": 2025,
            "budget_idr": 18_750_000_000.0,
            "funding_source": "APBN",
            "status": "kontrak",
        },
    ).drop(columns="sta")


PROV = "Dinas PUPR Provinsi Jambi"


def test_same_year_contracted_work_of_another_level_refuses_the_proposal(tmp_path, network):
    projects = stored({"id": "PJN-01", "sta": (0.0, 8000.0)})
    proposals = proposal_list(tmp_path, "U-1;N-001;5+000;9+000;;;2025;Rp 4 M;APBN;BPJN Jambi")
    # The same proposal from the province: a kewenangan question and an overlap.
    from_province = proposal_list(tmp_path, f"U-2;N-001;5+000;9+000;;;2025;Rp 4 M;APBD;{PROV}")
    same_level = check_proposals(proposals, network=network, projects=projects).iloc[0]
    row = check_proposals(from_province, network=network, projects=projects).iloc[0]
    assert row["suggested_status"] == "Ditolak"
    assert row["conflicts"] == "PJN-01"
    assert row["reasons"].split("; ") == [
        "kewenangan: ruas N-001 berstatus jalan nasional, diusulkan oleh provinsi (UU 2/2022 jo. "
        "PP 34/2006: jalan nasional kewenangan Pemerintah Pusat)",
        "tumpang tindih 3,00 km dengan PJN-01 (BPJN Jambi, Pemerintah Pusat, 2025, kontrak, "
        "pagu Rp 18.750.000.000) di ruas N-001 STA 5+000 - 8+000, tahun yang sama",
    ]
    # BPJN proposing again what it has contracted: the same level, for the meeting.
    assert same_level["suggested_status"] == "Didiskusikan"
    assert same_level["reasons"].endswith("tahun yang sama (tingkat yang sama: usulan ganda?)")


def test_an_overlap_refuses_only_when_contracted_same_year_and_covering_half(tmp_path, network):
    projects = stored(
        {"id": "P-KONTRAK", "sta": (1000.0, 4000.0), "level": "provinsi", "agency": PROV},
        {
            "id": "P-RENCANA",
            "sta": (6000.0, 9000.0),
            "level": "provinsi",
            "agency": PROV,
            "status": "rencana",
        },
        {
            "id": "P-2024",
            "sta": (11000.0, 14000.0),
            "level": "provinsi",
            "agency": PROV,
            "year_start": 2024,
            "year_end": 2024,
        },
        {
            "id": "P-2021",
            "sta": (16000.0, 19000.0),
            "level": "provinsi",
            "agency": PROV,
            "year_start": 2021,
            "year_end": 2021,
        },
    )
    proposals = proposal_list(
        tmp_path,
        "U-1;N-001;1+000;3+500;;;2025;1;APBN;BPJN Jambi",  # all of it contracted: refused
        "U-2;N-001;3+500;5+000;;;2025;1;APBN;BPJN Jambi",  # 0.5 of 1.5 km: partial
        "U-3;N-001;6+000;9+000;;;2025;1;APBN;BPJN Jambi",  # a plan, not a contract
        "U-4;N-001;11+000;14+000;;;2025;1;APBN;BPJN Jambi",  # worked the year before
        "U-5;N-001;16+000;19+000;;;2025;1;APBN;BPJN Jambi",  # 4 years ago: outside the window
    )
    checked = check_proposals(proposals, network=network, projects=projects)
    assert checked["suggested_status"].tolist() == [
        "Ditolak",
        "Didiskusikan",
        "Didiskusikan",
        "Didiskusikan",
        "Diterima",
    ]
    assert checked["conflicts"].tolist() == ["P-KONTRAK", "P-KONTRAK", "P-RENCANA", "P-2024", ""]
    assert "tumpang tindih 0,50 km dengan P-KONTRAK" in checked["reasons"][1]
    assert "2025, rencana, pagu" in checked["reasons"][2]
    assert checked["reasons"][3].endswith("STA 11+000 - 14+000, selisih 1 tahun")
    assert checked["reasons"][4] == (
        "tidak ada tumpang tindih dengan pekerjaan lain dan kewenangan sesuai"
    )


def test_rows_of_the_list_meet_each_other_and_short_touches_do_not_count(tmp_path, network):
    proposals = proposal_list(
        tmp_path,
        "U-1;N-001;2+000;6+000;;;2025;1;APBN;BPJN Jambi",
        f"U-2;P-012;0+000;3+000;;;2025;1;APBD;{PROV}",
        f"U-3;P-012;2+000;5+000;;;2025;1;APBD Kabupaten;{KAB}",
        "U-4;N-001;5+960;8+000;;;2025;1;APBN;BPJN Jambi",  # 40 m shared: under 50 m
    )
    checked = check_proposals(proposals, network=network)
    assert checked["conflicts"].tolist() == ["", "U-3", "U-2", ""]
    assert (
        "tumpang tindih 1,00 km dengan U-3 (Dinas PUPR Kab. Muaro Jambi, kabupaten/kota, 2025, "
        "usulan lain dalam daftar ini, pagu Rp 1)" in checked["reasons"][1]
    )
    # U-3 is a district on a provincial road: refused for kewenangan, and told of U-2.
    assert checked["suggested_status"].tolist() == [
        "Diterima",
        "Didiskusikan",
        "Ditolak",
        "Diterima",
    ]


def test_ijd_funding_on_a_district_road_is_an_exception_not_a_refusal(tmp_path, network):
    proposals = proposal_list(tmp_path, "U-1;K-035;0+000;2+000;;;2025;1;APBN (IJD);BPJN Jambi")
    row = check_proposals(proposals, network=network).iloc[0]
    assert row["suggested_status"] == "Diterima"
    assert (
        "ruas K-035 berstatus jalan kabupaten, diusulkan oleh Pemerintah Pusat: pengecualian "
        "sah (Inpres 3/2023" in row["reasons"]
    )


def test_a_row_naming_a_desa_where_the_units_hold_only_kecamatan_falls_back_to_its_kecamatan(
    tmp_path, network, units
):
    path = tmp_path / "usulan_desa.csv"
    path.write_text(f"Desa;Kecamatan;Tahun;Usulan Dari\nPudak;Kumpeh Ulu;2025;{KAB}\n")
    proposals = read_proposals(path)
    row = check_proposals(proposals, network=network, units=units).iloc[0]
    assert row["placement"] == "unit"
    assert row["reasons"].startswith(
        "batas wilayah tidak memuat desa (dicari desa 'Pudak'); lokasi hanya sampai kecamatan "
        "Kumpeh Ulu (15.05.06)"
    )


def test_a_list_without_ruas_columns_is_placed_by_the_activity_names(tmp_path, network):
    path = tmp_path / "renja.csv"
    path.write_text(
        "Nama Kegiatan;Tahun;Usulan Dari\n"
        f"Peningkatan Jalan Sp. Rimbo Bujang - Bts. Kab. Tebo;2026;{PROV}\n"
        f"Rehabilitasi Gedung Kantor;2026;{PROV}\n"
    )
    checked = check_proposals(read_proposals(path), network=network)
    assert checked["placement"].tolist() == ["ruas", "none"]
    assert checked["ruas_id"].tolist() == ["P-012", ""]
    assert checked["suggested_status"].tolist() == ["Diterima", "Didiskusikan"]


def test_a_row_whose_level_is_unknown_is_discussed(tmp_path, network):
    proposals = proposal_list(tmp_path, "U-1;K-035;0+000;2+000;;;2025;1;;Bappeda")
    row = check_proposals(proposals, network=network).iloc[0]
    assert (row["placement"], row["level"], row["suggested_status"]) == ("sta", "", "Didiskusikan")
    assert "tingkat pengusul tidak diketahui" in row["reasons"]


def test_a_network_without_status_leaves_kewenangan_to_the_meeting(tmp_path, roads):
    unrated = RoadNetwork(roads.drop(columns="status"))
    proposals = proposal_list(tmp_path, f"U-1;K-034;0+000;1+000;;;2025;1;DAK;{KAB}")
    row = check_proposals(proposals, network=unrated).iloc[0]
    assert (row["placement"], row["suggested_status"]) == ("sta", "Didiskusikan")
    assert row["reasons"] == "kewenangan tidak diperiksa: jaringan jalan tanpa kode ruas dan status"


def test_the_declared_length_is_told_beside_a_whole_ruas_or_an_sta_range_it_does_not_fit(
    tmp_path, network
):
    path = tmp_path / "usulan.csv"
    path.write_text(
        "Kode Ruas;STA Awal;STA Akhir;Panjang (km);Tahun;Usulan Dari\n"
        f"K-034;;;2,5;2025;{KAB}\n"
        f"K-034;0+000;1+000;3;2025;{KAB}\n"
        f"K-034;2+000;3+000;1,1;2025;{KAB}\n"
    )
    reasons = check_proposals(read_proposals(path), network=network)["reasons"].tolist()
    assert reasons[0].endswith("panjang usulan 2,50 km dari ruas sepanjang 5,00 km")
    assert reasons[1].endswith("panjang usulan 3,00 km, STA 1,00 km")
    assert "panjang usulan" not in reasons[2]  # within 20%
