"""Proposal rows placed by Daerah Irigasi name and judged, with exact answers.

The D.I. are squares drawn in UTM metres, with their area given, so each authority is known.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from geo.analyse.proposals import check_proposals
from geo.read.proposals import read_proposals
from geo.spatial.ruas_names import di_ends
from tests.geometries import UTM, X0, Y0, projects_from_rows, square

#: (di_id, name, area_ha, own kewenangan, centre easting offset)
DI = [
    ("DI-01", "Batang Hari", 4_000.0, None, 0),  # > 3.000 ha: pusat
    ("DI-02", "D.I. Sungai Tapung", 1_500.0, None, 20_000),  # 1.000-3.000 ha: provinsi
    ("DI-03", "Sei Tapung Kiri", 500.0, None, 40_000),  # < 1.000 ha: kabupaten
    ("DI-04", "Bt. Tembesi", 800.0, "Provinsi", 60_000),  # its own record decides
]


def di_centre(di_id: str) -> tuple[float, float]:
    offset = next(d[4] for d in DI if d[0] == di_id)
    return X0 + offset, Y0 + 30_000


@pytest.fixture(scope="module")
def areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "di_id": [d[0] for d in DI],
            "name": [d[1] for d in DI],
            "area_ha": [d[2] for d in DI],
            "authority": [d[3] for d in DI],
        },
        geometry=[square(*di_centre(d[0]), d[2]) for d in DI],
        crs=UTM,
    ).to_crs(4326)


HEADER = "Kode Usulan;Nama D.I.;Kecamatan;Tahun;Pagu;Sumber Dana;Usulan Dari"
KAB = "Dinas PUPR Kab. Muaro Jambi"
PROV = "Dinas PUPR Provinsi Jambi"


def proposal_list(tmp_path: Path, *rows: str, header: str = HEADER):
    path = tmp_path / "usulan.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return read_proposals(path)


@pytest.mark.parametrize(
    ("written", "di_id", "note"),
    [
        ("Batang Hari", "DI-01", ""),  # as the layer writes it
        ("D.I. Batang Hari", "DI-01", ""),  # D.I. prefix
        ("DI Batanghari", "DI-01", ""),  # DI, spacing inside the name
        ("Daerah Irigasi Bt. Hari", "DI-01", ""),  # Daerah Irigasi, Bt. = Batang
        ("d.i.  BATANG hari", "DI-01", ""),  # case, spaces
        ("DI Batang Hri", "DI-01", "D.I. dikenali dari nama 'DI Batang Hri'"),  # a letter out
        ("DI Sei Tapung", "DI-02", ""),  # Sei = Sungai, beside "Sei Tapung Kiri"
        ("D.I. Sungai Tapung Kiri", "DI-03", ""),
        ("D.I. Batang Tembesi", "DI-04", ""),
        ("DI-02", "DI-02", ""),  # the id
    ],
)
def test_each_di_name_variant_is_placed_on_its_di(tmp_path, areas, written, di_id, note):
    proposals = proposal_list(tmp_path, f"U-1;{written};;2026;Rp 1 M;APBN;BBWS Sumatera VI")
    row = check_proposals(proposals, irrigation_areas=areas).iloc[0]
    assert (row["placement"], row["di_id"]) == ("di", di_id)
    assert row["di_name"] == next(d[1] for d in DI if d[0] == di_id)
    assert (row["ruas_id"], row["sta_from_m"] != row["sta_from_m"]) == ("", True)
    assert (note in row["reasons"].split("; ")) if note else "dikenali" not in row["reasons"]


def test_di_ends_reads_the_prefixes_and_abbreviations():
    assert di_ends("D.I. Bt. Hari") == ("batang hari",)
    assert di_ends("Rehabilitasi Jaringan Irigasi DI Sei Tapung") == ("sungai tapung",)


def test_a_di_that_does_not_exist_is_not_placed_and_lists_the_candidates(tmp_path, areas):
    proposals = proposal_list(tmp_path, "U-1;D.I. Way Seputih;;2026;Rp 1 M;APBD;" + KAB)
    row = check_proposals(proposals, irrigation_areas=areas).iloc[0]
    assert (row["placement"], row["di_id"], row["suggested_status"]) == ("none", "", "Didiskusikan")
    assert row["reasons"] == (
        "tidak dapat ditempatkan: D.I. nama 'D.I. Way Seputih' tidak ditemukan dengan pasti di "
        "data Daerah Irigasi"
    )
    assert row["candidates"].count("; ") == 2  # three listed, with their scores


def test_a_di_row_without_di_polygons_says_what_is_missing(tmp_path):
    proposals = proposal_list(tmp_path, "U-1;D.I. Batang Hari;;2026;Rp 1 M;APBD;" + KAB)
    row = check_proposals(proposals).iloc[0]
    assert row["placement"] == "none"
    assert row["reasons"] == (
        "tidak dapat ditempatkan: tidak ada data Daerah Irigasi untuk mencari D.I. (--irrigation)"
    )


def test_a_di_name_in_the_ruas_column_or_the_activity_is_placed_on_the_di(tmp_path, areas):
    by_ruas = proposal_list(
        tmp_path,
        "U-1;D.I. Batang Hari;2026;Rp 1 M;APBN;BBWS Sumatera VI",
        header="Kode Usulan;Nama Ruas;Tahun;Pagu;Sumber Dana;Usulan Dari",
    )
    row = check_proposals(by_ruas, irrigation_areas=areas).iloc[0]
    assert (row["placement"], row["di_id"]) == ("di", "DI-01")
    by_activity = proposal_list(
        tmp_path,
        "U-2;Rehabilitasi Jaringan Irigasi DI Sei Tapung;2026;Rp 1 M;APBD;" + PROV,
        header="Kode Usulan;Nama Kegiatan;Tahun;Pagu;Sumber Dana;Usulan Dari",
    )
    row = check_proposals(by_activity, irrigation_areas=areas).iloc[0]
    assert (row["placement"], row["di_id"], row["suggested_status"]) == ("di", "DI-02", "Diterima")
    # A street named after a hero is a road, not a D.I.
    street = proposal_list(
        tmp_path,
        "U-3;Jl. D.I. Panjaitan;2026;Rp 1 M;APBD;" + KAB,
        header="Kode Usulan;Nama Ruas;Tahun;Pagu;Sumber Dana;Usulan Dari",
    )
    row = check_proposals(street, irrigation_areas=areas).iloc[0]
    assert (row["placement"], row["di_id"]) == ("none", "")
    assert row["reasons"].startswith("tidak dapat ditempatkan: tidak ada jaringan jalan")


def test_kewenangan_of_a_di_row_against_the_proposer(tmp_path, areas):
    proposals = proposal_list(
        tmp_path,
        f"U-1;D.I. Batang Hari;;2026;Rp 1 M;APBD;{KAB}",  # pusat's D.I. from a kabupaten
        f"U-2;D.I. Sungai Tapung;;2026;Rp 1 M;APBD;{PROV}",  # provinsi's, from the province
        f"U-3;DI Sei Tapung Kiri;;2026;Rp 1 M;APBD;{KAB}",  # kabupaten's, from a kabupaten
        f"U-4;Bt. Tembesi;;2026;Rp 1 M;APBD;{KAB}",  # < 1.000 ha but recorded as provinsi
        f"U-5;D.I. Batang Hari;;2026;Rp 1 M;Tugas Pembantuan;{KAB}",  # legitimate
    )
    checked = check_proposals(proposals, irrigation_areas=areas)
    assert list(checked["suggested_status"]) == [
        "Ditolak",
        "Diterima",
        "Diterima",
        "Ditolak",
        "Didiskusikan",  # it meets U-1 (below)
    ]
    reasons = list(checked["reasons"])
    assert reasons[0].split("; ")[0] == (
        "kewenangan: D.I. Batang Hari (DI-01) kewenangan Pemerintah Pusat, diusulkan oleh "
        "kabupaten/kota (Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan Pemerintah Pusat)"
    )
    assert reasons[1] == "tidak ada tumpang tindih dengan pekerjaan lain dan kewenangan sesuai"
    assert reasons[3] == (
        "kewenangan: D.I. Bt. Tembesi (DI-04) kewenangan provinsi, diusulkan oleh kabupaten/kota "
        "(Kewenangan menurut data D.I.: kewenangan Pemerintah Provinsi)"
    )
    exception = reasons[4].split("; ")[1]
    assert exception.startswith(
        "D.I. Batang Hari (DI-01) kewenangan Pemerintah Pusat, diusulkan oleh kabupaten/kota: "
        "pengecualian sah ("
    )
    # U-1 and U-5 are on the same D.I. in the same year: each is told of the other.
    assert (checked["conflicts"].iat[0], checked["conflicts"].iat[4]) == ("U-5", "U-1")


def irrigation_works(*rows: dict) -> gpd.GeoDataFrame:
    """Stored works, each a 10 ha square in the D.I. ``di`` (or a road line there)."""
    return projects_from_rows(
        [{**r, "geometry": square(*di_centre(r["di"]), 10.0)} for r in rows],
        {
            "name": "Rehabilitasi D.I.",
            "level": "pusat",
            "agency": "BWS Sumatera VI",
            "asset_type": "irrigation",
            "year_start": 2026,
            "year_end": 2026,
            "budget_idr": 5_000_000_000.0,
            "funding_source": "APBN",
            "status": "kontrak",
        },
    ).drop(columns="di")


def test_stored_irrigation_works_in_the_same_di_within_the_recent_years(tmp_path, areas):
    projects = irrigation_works(
        {"id": "IRR-SAME", "di": "DI-02"},
        {"id": "IRR-RECENT", "di": "DI-02", "year_start": 2024, "year_end": 2024},
        {"id": "IRR-OLD", "di": "DI-02", "year_start": 2023, "year_end": 2023},
        {"id": "IRR-ELSEWHERE", "di": "DI-01"},
        {"id": "ROAD-IN-DI", "di": "DI-02", "asset_type": "road"},
        {"id": "IRR-PROV", "di": "DI-02", "level": "provinsi", "agency": PROV},
    )
    proposals = proposal_list(tmp_path, f"U-1;D.I. Sungai Tapung;;2026;Rp 2 M;APBD;{PROV}")
    row = check_proposals(proposals, irrigation_areas=areas, projects=projects).iloc[0]
    assert row["suggested_status"] == "Didiskusikan"
    assert row["conflicts"] == "IRR-SAME;IRR-RECENT;IRR-PROV"
    assert row["reasons"].split("; ") == [
        "tumpang tindih di D.I. Sungai Tapung (DI-02) dengan IRR-SAME (BWS Sumatera VI, "
        "Pemerintah Pusat, 2026, kontrak, pagu Rp 5.000.000.000), tahun yang sama",
        "tumpang tindih di D.I. Sungai Tapung (DI-02) dengan IRR-RECENT (BWS Sumatera VI, "
        "Pemerintah Pusat, 2024, kontrak, pagu Rp 5.000.000.000), selisih 2 tahun",
        f"tumpang tindih di D.I. Sungai Tapung (DI-02) dengan IRR-PROV ({PROV}, provinsi, 2026, "
        "kontrak, pagu Rp 5.000.000.000), tahun yang sama (tingkat yang sama: usulan ganda?)",
    ]
