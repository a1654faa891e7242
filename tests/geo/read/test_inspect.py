"""geo.read.inspect: what the upload wizard shows before an import, and its pre-filled mapping."""

from __future__ import annotations

import pytest

from geo.errors import GeoInputError
from geo.read.inspect import inspect_file, suggest_mapping


def test_a_zipped_shapefile_is_described_layer_by_layer(samples):
    summary = inspect_file(samples / "bpjn_jambi_2025.zip")

    [layer] = summary.layers
    assert layer.name == "bpjn_jambi_2025.zip/PAKET BPJN 2025/paket_bpjn_jambi_2025"
    assert (layer.features, layer.crs, layer.crs_declared) == (3, "EPSG:32748", True)
    assert layer.geometry_types == {"LineString": 3}
    assert summary.columns == (
        "KD_PAKET",
        "NM_PAKET",
        "TA",
        "PAGU_RP",
        "SATKER",
        "JNS_KEG",
        "PJG_KM",
    )
    assert suggest_mapping(summary.columns) == {
        "project_id": "KD_PAKET",
        "name": "NM_PAKET",
        "agency": "SATKER",
        "work_type": "JNS_KEG",
        "year": "TA",
        "budget_idr": "PAGU_RP",
    }


def test_a_csv_without_crs_says_so_and_keeps_the_readers_notes(samples):
    summary = inspect_file(samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv")

    [layer] = summary.layers
    assert (layer.crs, layer.crs_declared) == ("", False)
    assert layer.geometry_types == {"LineString": 3, "Point": 1}
    assert any("Lintang Awal" in note for note in summary.notes)


def test_an_ambiguous_field_is_left_for_the_user():
    assert "name" not in suggest_mapping(["nama_paket", "nama_kegiatan", "tahun"])
    assert suggest_mapping(["nama_paket", "nama_kegiatan", "tahun"]) == {"year": "tahun"}


def test_a_bad_file_is_refused_with_the_readers_message(tmp_path):
    bad = tmp_path / "rusak.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(GeoInputError, match=r"^rusak\.zip: "):
        inspect_file(bad)
