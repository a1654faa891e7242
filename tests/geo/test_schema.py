"""Tests for geo.schema: mapping source columns to the canonical record, never by guess."""

from __future__ import annotations

import pytest

from geo.errors import GeoInputError, MappingError
from geo.schema import (
    PROJECT_COLUMNS,
    RECORD_COLUMNS,
    normalise_name,
    resolve_mapping,
    truncated_candidates,
)

#: A planner's sheet with the usual Indonesian headers, in the case they were typed.
SHEET = ["No", "Kode Paket", "Nama Paket", "TAHUN", "Pagu (Rp)", "Satker", "Kewenangan", "geometry"]


def test_record_columns_follow_the_design():
    assert RECORD_COLUMNS == (
        "project_id", "name", "level", "agency", "asset_type", "work_type", "year_start",
        "year_end", "budget_idr", "funding_source", "status",
    )  # fmt: skip
    assert PROJECT_COLUMNS[-1] == "geometry"


@pytest.mark.parametrize(
    ("column", "normalised"),
    [
        ("Pagu (Rp)", "pagu_rp"),
        ("Nama Paket", "nama_paket"),
        ("  TAHUN ", "tahun"),
        ("Kode-Sub.Kegiatan", "kode_sub_kegiatan"),
        ("Geometri (WKT)", "geometri_wkt"),
        ("Lokasi Ruas Jalan", "lokasi_ruas_jalan"),
        ("Désa", "desa"),
    ],
)
def test_normalise_name(column, normalised):
    assert normalise_name(column) == normalised


def test_synonyms_match_case_insensitively_and_ignore_punctuation():
    mapping = resolve_mapping(SHEET, source="paket.xlsx")
    assert mapping.columns == {
        "project_id": "Kode Paket",
        "name": "Nama Paket",
        "level": "Kewenangan",
        "agency": "Satker",
        "year_start": "TAHUN",
        "year_end": "TAHUN",
        "budget_idr": "Pagu (Rp)",
    }
    assert mapping.notes == ()


def test_a_start_and_end_year_pair_wins_over_a_single_year_column():
    columns = ["kode", "nama_kegiatan", "Tahun", "Tahun Mulai", "Tahun Selesai", "SKPD"]
    mapping = resolve_mapping(columns, given=["level"])
    assert (mapping.columns["year_start"], mapping.columns["year_end"]) == (
        "Tahun Mulai",
        "Tahun Selesai",
    )
    assert "year" not in mapping.columns


def test_fields_given_for_the_whole_file_need_no_column():
    mapping = resolve_mapping(["kd_paket", "nm_paket", "ta"], given=["level", "agency"])
    assert mapping.columns == {
        "project_id": "kd_paket",
        "name": "nm_paket",
        "year_start": "ta",
        "year_end": "ta",
    }


def test_explicit_mapping_wins_and_its_column_is_not_reused_by_synonyms():
    columns = ["kode", "uraian", "nama_paket", "ta", "pagu", "nilai_kontrak", "satker"]
    mapping = resolve_mapping(
        columns, explicit={"name": "uraian", "budget_idr": "nilai_kontrak"}, given=["level"]
    )
    assert mapping.columns["name"] == "uraian"
    assert mapping.columns["budget_idr"] == "nilai_kontrak"


def test_explicit_year_maps_a_column_no_synonym_knows():
    mapping = resolve_mapping(
        ["kode", "nama", "thn_kegiatan_x", "satker"], explicit={"year": "thn_kegiatan_x"},
        given=["level"],
    )  # fmt: skip
    assert (mapping.columns["year_start"], mapping.columns["year_end"]) == ("thn_kegiatan_x",) * 2


def test_an_ambiguous_budget_names_both_columns_and_the_option():
    columns = ["kode", "nama", "tahun", "satker", "Pagu", "Anggaran"]
    with pytest.raises(MappingError) as caught:
        resolve_mapping(columns, given=["level"], source="bpjn.shp")
    assert caught.value.problems == [
        "bpjn.shp: several columns could be budget_idr: 'Pagu', 'Anggaran'; "
        "choose one with --map budget_idr=COLUMN"
    ]


def test_an_ambiguous_mapping_is_resolved_by_an_explicit_choice():
    columns = ["kode", "nama", "tahun", "satker", "Pagu", "Anggaran"]
    mapping = resolve_mapping(columns, explicit={"budget_idr": "Anggaran"}, given=["level"])
    assert mapping.columns["budget_idr"] == "Anggaran"


def test_an_ambiguous_level_column_is_ignored_when_the_level_is_given():
    mapping = resolve_mapping(["kode", "nama", "ta", "satker", "kewenangan", "tingkat"],
                              given=["level"])  # fmt: skip
    assert "level" not in mapping.columns


def test_missing_level_asks_for_the_level_option():
    with pytest.raises(MappingError, match=r"(?m)^f\.csv: no column for level; pass --level "
                                           r"VALUE or --map level=COLUMN$"):  # fmt: skip
        resolve_mapping(["kode", "nama", "ta"], source="f.csv", given=["asset_type"])


def test_missing_level_is_left_to_agency_or_funding_source_with_a_note():
    mapping = resolve_mapping(["kode", "nama", "ta", "satker"], source="f.csv")
    assert "level" not in mapping.columns
    assert mapping.notes[0].startswith("f.csv: no column for level; taken per record")


def test_every_missing_field_is_listed_at_once():
    with pytest.raises(MappingError) as caught:
        resolve_mapping(["keterangan"], source="f.csv")
    assert caught.value.problems == [
        "f.csv: no column for name; pass --map name=COLUMN",
        "f.csv: no column for level; pass --level VALUE or --map level=COLUMN",
        "f.csv: no column for agency; pass --agency VALUE or --map agency=COLUMN",
        "f.csv: no column for year (tahun anggaran); pass --map year=COLUMN",
    ]
    assert isinstance(caught.value, GeoInputError)


def test_asset_type_is_never_required_it_comes_from_names_and_geometry():
    mapping = resolve_mapping(["kode", "nama", "ta", "satker"], given=["level"])
    assert "asset_type" not in mapping.columns


def test_without_a_name_column_the_id_stands_in_with_a_note():
    mapping = resolve_mapping(["kode", "ta", "satker"], given=["level"], source="f.gpkg")
    assert "name" not in mapping.columns
    assert mapping.notes == (
        "f.gpkg: no column for name (nama paket); the project id stands in for it — pass "
        "--map name=COLUMN to use one",
    )


@pytest.mark.parametrize(
    ("column", "fields"),
    [
        ("NAMA_KEGIA", ["name"]),
        ("SUMBER_DAN", ["funding_source"]),
        ("TAHUN_ANGG", ["year"]),
        ("KODE_SUB_K", ["project_id"]),
        ("NAMA_PAKET", []),  # a whole synonym, not a truncation
        ("NAMA_KEG", []),  # not 10 characters: not a DBF truncation
        ("KETERANGAN", []),
    ],
)
def test_truncated_candidates(column, fields):
    assert truncated_candidates(column) == fields


def test_a_truncated_name_of_one_field_is_used_with_a_report_line():
    columns = ["NAMA_KEGIA", "TAHUN_ANGG", "SATKER", "TAHUN_SELE", "SUMBER_DAN"]
    mapping = resolve_mapping(columns, given=["level"], source="bpjn.zip/jalan")
    assert mapping.columns == {
        "name": "NAMA_KEGIA",
        "agency": "SATKER",
        "funding_source": "SUMBER_DAN",
        "year_start": "TAHUN_ANGG",
        "year_end": "TAHUN_SELE",
    }
    assert mapping.notes == (
        "bpjn.zip/jalan: column 'NAMA_KEGIA' read as name (nama_kegiatan cut to 10 characters "
        "by the DBF format; pass --map name=COLUMN to use another)",
        "bpjn.zip/jalan: column 'TAHUN_ANGG' read as year (tahun_anggaran cut to 10 characters "
        "by the DBF format; pass --map year=COLUMN to use another)",
        "bpjn.zip/jalan: column 'TAHUN_SELE' read as year_end (tahun_selesai cut to 10 "
        "characters by the DBF format; pass --map year_end=COLUMN to use another)",
        "bpjn.zip/jalan: column 'SUMBER_DAN' read as funding_source (sumber_dana cut to 10 "
        "characters by the DBF format; pass --map funding_source=COLUMN to use another)",
    )


def test_a_truncated_name_whose_field_has_a_column_is_named_not_used():
    columns = ["KD_PAKET", "NM_PAKET", "TA", "SATKER", "TAHUN_ANGG"]
    mapping = resolve_mapping(columns, given=["level"], source="bpjn.shp")
    assert mapping.columns["year_start"] == "TA"
    assert mapping.notes == (
        "bpjn.shp: column 'TAHUN_ANGG' looks like tahun_anggaran cut to 10 characters; not "
        "used: year is column 'TA'",
    )


def test_a_truncated_name_that_could_be_several_fields_names_its_candidates():
    from geo.schema import _use_truncated

    # No two fields' synonyms share 10 characters today; a name that did is never guessed.
    mapping: dict[str, str] = {}
    notes = _use_truncated(
        {"NAMA_SATKE": {"agency": ["nama_satker"], "name": ["nama_satker_kegiatan"]}},
        mapping,
        "f.shp",
    )
    assert mapping == {}
    assert notes == [
        "f.shp: column 'NAMA_SATKE' is a name cut to 10 characters that could be nama_satker "
        "(agency) or nama_satker_kegiatan (name); not used — pass --map FIELD=NAMA_SATKE to "
        "use it"
    ]


def test_two_truncated_names_for_one_field_are_named_and_not_used():
    columns = ["KD_PAKET", "NM_PAKET", "TA", "SATKER", "NILAI_KONT", "NILAI_KONTRAK_"]
    mapping = resolve_mapping(columns, given=["level"], source="f.shp")
    assert mapping.columns["contract_value_idr"] == "NILAI_KONTRAK_"
    assert mapping.notes[0] == (
        "f.shp: column 'NILAI_KONT' looks like nilai_kontrak cut to 10 characters; not used: "
        "contract_value_idr is column 'NILAI_KONTRAK_'"
    )


def test_a_truncated_column_mapped_explicitly_is_used_without_a_note():
    columns = ["KD_PAKET", "NM_PAKET", "TA", "SATKER", "SUMBER_DAN"]
    mapping = resolve_mapping(columns, explicit={"funding_source": "SUMBER_DAN"}, given=["level"])
    assert mapping.columns["funding_source"] == "SUMBER_DAN"
    assert mapping.notes == ()


@pytest.mark.parametrize(
    ("explicit", "problem"),
    [
        (
            {"biaya": "PAGU"},
            "f.shp: --map biaya=PAGU: unknown field 'biaya'; fields are agency, asset_type, "
            "budget_idr, contract_value_idr, date, deck, funding_source, level, name, project_id, "
            "status, work_type, year, year_end, year_start",
        ),
        (
            {"budget_idr": "HARGA"},
            "f.shp: --map budget_idr=HARGA: no column 'HARGA'; columns are 'KD_PAKET', "
            "'NM_PAKET', 'TA', 'PAGU', 'SATKER'",
        ),
        (
            {"budget_idr": "pagu"},  # column names are matched exactly in --map
            "f.shp: --map budget_idr=pagu: no column 'pagu'; columns are 'KD_PAKET', "
            "'NM_PAKET', 'TA', 'PAGU', 'SATKER'",
        ),
    ],
)
def test_an_explicit_mapping_to_an_unknown_field_or_column_is_an_error(explicit, problem):
    columns = ["KD_PAKET", "NM_PAKET", "TA", "PAGU", "SATKER", "geometry"]
    with pytest.raises(MappingError) as caught:
        resolve_mapping(columns, explicit=explicit, given=["level"], source="f.shp")
    assert caught.value.problems == [problem]
