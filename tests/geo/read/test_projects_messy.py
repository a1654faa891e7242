"""Tests for geo.read.projects.read_projects on files as agencies really send them (DESIGN section 4).

Missing or contradicted CRSs, text encodings, truncated and ambiguous column names, broken
geometry and unparseable values: each is either repaired with a report line, rejected per
record with its reason and project id, or refused as a whole with a named error that says how
to fix it. Every fixture is generated in tmp_path, in UTM 48S near Kota Jambi.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.errors import CRSError, GeoInputError, MappingError, UnsupportedFormatError
from geo.read.projects import read_projects
from geo.settings import Settings
from tests.io_fixtures import (
    AGENCY,
    X0,
    Y0,
    assert_balanced,
    bridge,
    field,
    line_wkb,
    lonlat,
    max_offset_deg,
    pid,
    polygon_wkb,
    projects,
    rejected,
    road,
    roads,
    to_lonlat,
    write_csv,
    write_shapefile,
    write_wkb_layer,
    write_xlsx,
    zip_members,
    zip_shapefile,
)

TOL_DEG = 1e-6
HINT = r"Indonesian data is often EPSG:4326 \(degrees\)"


def reasons(result) -> dict[str, str]:
    """Project id -> reason, for every rejected record of a read."""
    return rejected(result.report)


# --- CRS ----------------------------------------------------------------------------------------


def test_missing_prj_with_degrees_inside_indonesia_is_taken_as_wgs84_with_a_note(tmp_path):
    parts = write_shapefile(roads(2).to_crs(4326), tmp_path, "jalan", drop=[".prj"])

    result = read_projects(parts[".shp"], level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0), pid(1)]
    for got, want in zip(result.projects.geometry, [road(0), road(1)], strict=True):
        assert max_offset_deg(got, to_lonlat(want)) < TOL_DEG
    assert result.report.notes == [
        "jalan.shp: no CRS in the file; coordinates are degrees inside Indonesia, taken as "
        "EPSG:4326 (WGS 84) — pass --crs if that is wrong"
    ]
    assert_balanced(result.report, read=2, stored=2)


def test_missing_prj_with_metres_is_a_crs_error_asking_for_crs(tmp_path):
    parts = write_shapefile(roads(2), tmp_path, "jalan", drop=[".prj"])
    archive = zip_shapefile(tmp_path / "bpjn.zip", parts)

    with pytest.raises(CRSError) as caught:
        read_projects(archive, level="pusat")

    assert caught.value.problems == [
        "bpjn.zip/jalan: no CRS in the file (.prj missing?) and the coordinates are not degrees "
        "(x 400500..403500, y 9.82e+06..9.82e+06); pass --crs EPSG:CODE. Indonesian data is "
        "often EPSG:4326 (degrees), EPSG:32746-32754 (WGS 84 UTM south), EPSG:32646-32654 (UTM "
        "north), EPSG:4755 (DGN95) or EPSG:9470 (SRGI2013)"
    ]


@pytest.mark.parametrize("crs", [32748, "32748", "EPSG:32748"])
def test_missing_prj_with_metres_reads_correctly_given_crs(tmp_path, crs):
    parts = write_shapefile(roads(2), tmp_path, "jalan", drop=[".prj"])

    result = read_projects(parts[".shp"], level="pusat", crs=crs)

    for got, want in zip(result.projects.geometry, [road(0), road(1)], strict=True):
        assert max_offset_deg(got, to_lonlat(want)) < TOL_DEG
    assert result.report.notes == [
        "jalan.shp: no CRS in the file; WGS 84 / UTM zone 48S (EPSG:32748) from --crs used"
    ]
    assert_balanced(result.report, read=2, stored=2)


def test_crs_option_overrides_a_wrong_prj_with_a_note(tmp_path):
    parts = write_shapefile(roads(1).set_crs(32747, allow_override=True), tmp_path, "jalan")

    result = read_projects(parts[".shp"], level="pusat", crs=32748)

    assert max_offset_deg(result.projects.geometry.iloc[0], to_lonlat(road(0))) < TOL_DEG
    assert result.report.notes == [
        "jalan.shp: the file says WGS 84 / UTM zone 47S (EPSG:32747); WGS 84 / UTM zone 48S "
        "(EPSG:32748) from --crs used instead"
    ]


def test_an_unknown_crs_option_is_a_crs_error(tmp_path):
    parts = write_shapefile(roads(1), tmp_path, "jalan", drop=[".prj"])
    with pytest.raises(CRSError, match=rf"^jalan\.shp: --crs EPSG:999999: unknown CRS; give an "
                                       rf"EPSG code\. {HINT}"):  # fmt: skip
        read_projects(parts[".shp"], level="pusat", crs="EPSG:999999")


def test_prj_saying_wgs84_over_utm_metres_rejects_those_records(tmp_path):
    frame = roads(3).to_crs(4326)
    frame.loc[1, "geometry"] = road(1)  # still in metres, labelled as degrees
    parts = write_shapefile(frame, tmp_path, "jalan")

    result = read_projects(parts[".shp"], level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0), pid(2)]
    assert reasons(result) == {
        pid(1): "coordinates look like metres but the CRS says degrees: give the right CRS "
        "with --crs EPSG:CODE"
    }
    assert_balanced(result.report, read=3, stored=2)


def test_utm_crs_over_degree_coordinates_rejects_those_records(tmp_path):
    frame = roads(2)
    frame.loc[0, "geometry"] = to_lonlat(road(0))  # degrees, labelled as UTM 48S
    path = tmp_path / "jalan.gpkg"
    pyogrio.write_dataframe(frame, path)

    result = read_projects(path, level="pusat")

    assert result.projects["project_id"].tolist() == [pid(1)]
    assert reasons(result) == {
        pid(0): "coordinates look like degrees but the CRS (WGS 84 / UTM zone 48S (EPSG:32748)) "
        "is in metres: pass --crs EPSG:4326"
    }
    assert_balanced(result.report, read=2, stored=1)


def test_swapped_zero_and_outside_points_are_rejected_each_with_its_reason(tmp_path):
    points = [to_lonlat(bridge(i)) for i in range(5)]
    points[1] = shapely.Point(points[1].y, points[1].x)  # lat, lon
    points[2] = shapely.Point(0, 0)
    points[3] = shapely.Point(151.21, -33.87)  # Sydney
    points[4] = shapely.Point(103.6, 7.5)  # north of Aceh, in the sea
    frame = projects(points, crs=4326, names=[f"Jembatan {c}" for c in "ABCDE"])
    path = tmp_path / "jembatan.gpkg"
    pyogrio.write_dataframe(frame, path)

    result = read_projects(path, level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0)]
    assert reasons(result) == {
        pid(1): "latitude and longitude look swapped: swap the columns",
        pid(2): "at 0,0 (coordinates missing)",
        pid(3): "outside Indonesia (lon 94..142, lat -11.5..6.5)",
        pid(4): "outside Indonesia (lon 94..142, lat -11.5..6.5)",
    }
    assert_balanced(result.report, read=5, stored=1)


def test_csv_without_crs_rejects_a_swapped_row_and_keeps_the_rest(tmp_path):
    rows = [["kode_paket", "nama_paket", "tahun", "pagu", "satker", "lon", "lat"]]
    for i in range(4):
        lon, lat = lonlat(*bridge(i).coords[0])
        rows.append([f"J-{i + 1}", f"Jembatan {i + 1}", "2025", "1000000000", AGENCY, lon, lat])
    rows[2][5], rows[2][6] = rows[2][6], rows[2][5]
    path = write_csv(tmp_path / "jembatan.csv", rows)

    result = read_projects(path, level="provinsi")

    assert result.projects["project_id"].tolist() == ["J-1", "J-3", "J-4"]
    assert reasons(result) == {"J-2": "latitude and longitude look swapped: swap the columns"}
    assert [r.row for r in result.report.records if r.outcome == "rejected"] == [3]
    assert_balanced(result.report, read=4, stored=3)


def test_csv_with_every_row_swapped_is_refused_naming_the_swap(tmp_path):
    lon, lat = lonlat(*bridge(0).coords[0])
    path = write_csv(
        tmp_path / "jembatan.csv",
        [["kode", "nama", "tahun", "satker", "lon", "lat"], ["J-1", "Jembatan", "2025", AGENCY,
                                                             lat, lon]],
    )  # fmt: skip
    with pytest.raises(CRSError, match=r"^jembatan\.csv: no CRS in the file and the coordinates "
                                       r"look like latitude and longitude swapped .*swap the "
                                       r"columns"):  # fmt: skip
        read_projects(path, level="provinsi")


# --- text encoding ------------------------------------------------------------------------------

NAMES_1252 = ["Preservasi Jalan Café – Tempino", "Rehabilitasi Jalan Sungai Terap’s"]


def test_cp1252_dbf_without_cpg_is_detected_and_reported(tmp_path):
    parts = write_shapefile(
        roads(2, names=NAMES_1252), tmp_path, "jalan", encoding="cp1252", drop=[".cpg"]
    )
    assert "–".encode("cp1252") in parts[".dbf"].read_bytes()

    result = read_projects(parts[".shp"], level="pusat")

    assert result.projects["name"].tolist() == NAMES_1252
    assert result.report.notes == ["jalan.shp: no .cpg; text encoding detected as cp1252"]
    assert_balanced(result.report, read=2, stored=2)


def test_cpg_saying_utf8_over_cp1252_bytes_reads_the_text_right_with_a_note(tmp_path):
    parts = write_shapefile(roads(2, names=NAMES_1252), tmp_path, "jalan", encoding="cp1252")
    parts[".cpg"].write_text("UTF-8")

    result = read_projects(parts[".shp"], level="pusat")

    assert result.projects["name"].tolist() == NAMES_1252
    assert result.report.notes == [
        "jalan.shp: the .cpg says utf-8 but the text is not; read as cp1252 (check names with "
        "accents or dashes)"
    ]


def test_cpg_saying_1252_over_utf8_bytes_reads_utf8_with_a_note(tmp_path):
    parts = write_shapefile(roads(2, names=NAMES_1252), tmp_path, "jalan", encoding="UTF-8")
    parts[".cpg"].write_text("1252")

    result = read_projects(parts[".shp"], level="pusat")

    assert result.projects["name"].tolist() == NAMES_1252
    assert result.report.notes == [
        "jalan.shp: the .cpg says cp1252 but the text is not; read as utf-8 (check names with "
        "accents or dashes)"
    ]


@pytest.mark.parametrize("cpg", [None, "1252"])
def test_latin1_only_bytes_are_read_as_latin1_never_replaced(tmp_path, cpg):
    """0x8D is undefined in cp1252: the text is latin-1, and the byte is kept as U+008D."""
    names = ["Jalan Ruas \x8d Ä", "Jalan Ruas \x81 B"]
    parts = write_shapefile(
        roads(2, names=names), tmp_path, "jalan", encoding="ISO-8859-1", drop=[".cpg"]
    )
    if cpg:
        (tmp_path / "jalan.cpg").write_text(cpg)
        parts[".cpg"] = tmp_path / "jalan.cpg"
    assert b"\x8d" in parts[".dbf"].read_bytes()
    archive = zip_shapefile(tmp_path / "jalan.zip", parts)

    result = read_projects(archive, level="pusat")

    assert result.projects["name"].tolist() == names
    assert result.report.notes == [
        "jalan.zip/jalan: no .cpg; text encoding detected as latin-1"
        if cpg is None
        else "jalan.zip/jalan: the .cpg says cp1252 but the text is not; read as latin-1 (check "
        "names with accents or dashes)"
    ]


def test_csv_with_latin1_only_bytes_is_read_as_latin1(tmp_path):
    lon, lat = lonlat(*bridge(0).coords[0])
    path = tmp_path / "paket.csv"
    path.write_bytes(
        f"kode,nama,tahun,satker,lon,lat\r\nJ-1,Jembatan \x8d,2025,{AGENCY},{lon},{lat}\r\n".encode(
            "latin-1"
        )
    )

    result = read_projects(path, level="provinsi")

    assert result.projects["name"].tolist() == ["Jembatan \x8d"]
    assert result.report.notes[0] == "paket.csv: not UTF-8; read as latin-1"


# --- column mapping -----------------------------------------------------------------------------


def truncated_shapefile(tmp_path):
    """A DBF whose long names were cut to 10 characters (NAMA_KEGIATAN -> NAMA_KEGIA)."""
    frame = roads(
        2,
        NAMA_KEGIA=["Preservasi Jalan A", "Preservasi Jalan B"],
        SUMBER_DAN=["APBN", "SBSN"],
        TAHUN_ANGG=[2025, 2026],
    ).drop(columns=["NM_PAKET", "TA"])
    return write_shapefile(frame, tmp_path, "jalan")[".shp"]


def test_truncated_names_of_one_field_are_read_with_a_report_line(tmp_path):
    shp = truncated_shapefile(tmp_path)

    result = read_projects(shp, level="pusat")

    assert result.projects["name"].tolist() == ["Preservasi Jalan A", "Preservasi Jalan B"]
    assert result.projects["funding_source"].tolist() == ["APBN", "SBSN"]
    assert result.projects["year_start"].tolist() == [2025, 2026]
    assert result.report.notes == [
        "jalan.shp: column 'NAMA_KEGIA' read as name (nama_kegiatan cut to 10 characters by "
        "the DBF format; pass --map name=COLUMN to use another)",
        "jalan.shp: column 'SUMBER_DAN' read as funding_source (sumber_dana cut to 10 "
        "characters by the DBF format; pass --map funding_source=COLUMN to use another)",
        "jalan.shp: column 'TAHUN_ANGG' read as year (tahun_anggaran cut to 10 characters by "
        "the DBF format; pass --map year=COLUMN to use another)",
    ]
    assert_balanced(result.report, read=2, stored=2)


def test_explicit_mapping_of_truncated_names_reads_them(tmp_path):
    shp = truncated_shapefile(tmp_path)

    result = read_projects(
        shp,
        level="pusat",
        mapping={"name": "NAMA_KEGIA", "funding_source": "SUMBER_DAN", "year": "TAHUN_ANGG"},
    )

    assert result.projects["name"].tolist() == ["Preservasi Jalan A", "Preservasi Jalan B"]
    assert result.projects["funding_source"].tolist() == ["APBN", "SBSN"]
    assert result.projects["year_end"].tolist() == [2025, 2026]
    assert result.report.notes == []
    assert_balanced(result.report, read=2, stored=2)


def test_two_budget_columns_are_ambiguous_until_one_is_chosen(tmp_path):
    path = tmp_path / "jalan.gpkg"
    pyogrio.write_dataframe(roads(2, ANGGARAN=[7e9, 8e9]), path)

    with pytest.raises(MappingError) as caught:
        read_projects(path, level="pusat")
    assert caught.value.problems == [
        "jalan.gpkg: several columns could be budget_idr: 'PAGU', 'ANGGARAN'; choose one with "
        "--map budget_idr=COLUMN"
    ]

    result = read_projects(path, level="pusat", mapping={"budget_idr": "ANGGARAN"})
    assert result.projects["budget_idr"].tolist() == [7e9, 8e9]


def test_missing_level_asks_for_level_when_nothing_names_it(tmp_path):
    path = tmp_path / "jalan.gpkg"
    pyogrio.write_dataframe(roads(1).drop(columns="SATKER"), path)
    with pytest.raises(MappingError, match=r"(?m)^jalan\.gpkg: no column for level; pass "
                                           r"--level VALUE or --map level=COLUMN$"):  # fmt: skip
        read_projects(path)


def test_level_is_taken_per_record_from_agency_or_funding_with_a_note(tmp_path):
    path = tmp_path / "paket.gpkg"
    agencies = ["BPJN Jambi", "Dinas PUPR Kab. Muaro Jambi", "Dinas PUPR Kab. Tebo", "Bappeda"]
    funding = ["APBN", "DAK", "APBD Provinsi", None]
    pyogrio.write_dataframe(roads(4, SATKER=agencies, SUMBER_DANA=funding), path)

    result = read_projects(path)

    assert result.projects["level"].tolist() == ["pusat", "kabupaten"]
    assert reasons(result) == {
        pid(2): "level unclear (agency says kabupaten, funding source says provinsi); "
        "pass --level or map a level column",
        pid(3): "no level: the agency and funding source do not name one; pass --level",
    }
    assert any("no column for level; taken per record" in n for n in result.report.notes)


def test_level_column_values_are_parsed_per_record(tmp_path):
    path = tmp_path / "paket.gpkg"
    pyogrio.write_dataframe(roads(3, KEWENANGAN=["APBN", "Kab.", "negara"]), path)

    result = read_projects(path)

    assert result.projects["level"].tolist() == ["pusat", "kabupaten"]
    assert reasons(result) == {
        pid(2): "'negara' is not a level; use pusat, provinsi, kabupaten or desa"
    }


def test_an_unknown_level_option_is_refused(tmp_path):
    path = tmp_path / "jalan.gpkg"
    pyogrio.write_dataframe(roads(1), path)
    with pytest.raises(GeoInputError, match=r"^jalan\.gpkg: 'negara' is not a level; use pusat, "
                                            r"provinsi, kabupaten or desa$"):  # fmt: skip
        read_projects(path, level="negara")


def test_mapping_and_crs_problems_of_every_layer_are_raised_together(tmp_path):
    path = tmp_path / "paket.gpkg"
    pyogrio.write_dataframe(roads(1).drop(columns="TA"), path, layer="jalan")
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        pyogrio.write_dataframe(
            projects([bridge(0)]).set_crs(None, allow_override=True), path, layer="jembatan"
        )

    with pytest.raises(GeoInputError) as caught:
        read_projects(path, level="pusat")

    assert type(caught.value) is GeoInputError
    assert [line.split(":", 2)[1] for line in caught.value.problems] == ["jalan", "jembatan"]
    assert caught.value.problems[0] == (
        "paket.gpkg:jalan: no column for year (tahun anggaran); pass --map year=COLUMN"
    )
    assert caught.value.problems[1].startswith(
        "paket.gpkg:jembatan: no CRS in the file (.prj missing?) and the coordinates are not "
        "degrees"
    )


# --- geometry -----------------------------------------------------------------------------------

#: One named set of edge-case geometries (UTM 48S), read from one GeoPackage layer:
#: (id, name, asset column, geometry WKB, outcome, reason).
BOWTIE = shapely.Polygon(
    [(X0, Y0), (X0 + 1000, Y0 + 1000), (X0 + 1000, Y0), (X0, Y0 + 1000), (X0, Y0)]
)
SHORT_BRIDGE = shapely.LineString([(X0, Y0 - 3000), (X0 + 60, Y0 - 3000)])
EDGE_CASES = [
    ("G-01", "Preservasi Jalan A", "jalan", shapely.to_wkb(road(0)), "stored", ""),
    ("G-02", "D.I. Kupu-kupu", "irigasi", shapely.to_wkb(BOWTIE), "repaired",
     "repaired invalid geometry (make_valid): area 0.00 ha before, 50.00 ha after"),
    ("G-03", "Jalan Tanpa Geometri", "jalan", None, "rejected", "no geometry"),
    ("G-04", "Jalan Kosong", "jalan", shapely.to_wkb(shapely.LineString()), "rejected",
     "empty geometry"),
    ("G-05", "Jalan Satu Titik", "jalan", line_wkb([(X0, Y0)]), "rejected",
     "line with one point only (needs a start and an end)"),
    ("G-06", "Jalan Titik Ganda", "jalan", line_wkb([(X0, Y0), (X0, Y0)]), "rejected",
     "line with one point only (needs a start and an end)"),
    ("G-07", "Jalan Poligon", "jalan", shapely.to_wkb(field(7)), "rejected",
     "road needs a line or point geometry, got a polygon geometry"),
    ("G-08", "D.I. Tiga Titik", "irigasi",
     polygon_wkb([(X0, Y0), (X0 + 10, Y0), (X0 + 10, Y0 + 10)]), "rejected",
     "polygon ring with fewer than 4 points (not a closed area)"),
    ("G-09", "Jalan 3D", "jalan",
     shapely.to_wkb(shapely.force_3d(road(9), 25.0), flavor="iso"), "stored", ""),
    ("G-10", "Jembatan Pendek", "jembatan", shapely.to_wkb(SHORT_BRIDGE), "repaired",
     "bridge drawn as a line (~60 m): stored as its midpoint"),
    ("G-11", "Jembatan Panjang", "jembatan", shapely.to_wkb(road(11, length_m=800)),
     "rejected", "bridge drawn as a line of ~798 m: expected a point"),
    ("G-12", "Jembatan Kembar", "jembatan",
     shapely.to_wkb(shapely.MultiPoint([bridge(1), bridge(2)])), "rejected",
     "bridge given as 2 points"),
    ("G-13", "Jalan Campuran", "jalan",
     shapely.to_wkb(shapely.GeometryCollection([road(13), bridge(13)])), "rejected",
     "road needs a line or point geometry, got a mixed geometry"),
    # A closed ring with no area: make_valid collapses it to a line, which an irrigation area
    # cannot be (the reason names the repaired shape, not the zero area).
    ("G-14", "D.I. Tanpa Luas", "irigasi",
     polygon_wkb([(X0, Y0), (X0 + 10, Y0), (X0, Y0)]), "rejected",
     "irrigation needs a polygon or point geometry, got a line geometry"),
]  # fmt: skip


@pytest.fixture(scope="module")
def edge_read(tmp_path_factory):
    """The edge-case layer read once; the tests below look at one record each."""
    path = tmp_path_factory.mktemp("edge") / "paket.gpkg"
    write_wkb_layer(
        path,
        {
            "KD_PAKET": [case[0] for case in EDGE_CASES],
            "NM_PAKET": [case[1] for case in EDGE_CASES],
            "JENIS_ASET": [case[2] for case in EDGE_CASES],
            "TA": [2025] * len(EDGE_CASES),
            "PAGU": ["1.000.000.000,00"] * len(EDGE_CASES),
            "SATKER": [AGENCY] * len(EDGE_CASES),
        },
        [case[3] for case in EDGE_CASES],
        geometry_type="Unknown",
        driver="GPKG",
    )
    return read_projects(path, level="pusat")


@pytest.mark.parametrize(
    ("project_id", "outcome", "reason"),
    [(case[0], case[4], case[5]) for case in EDGE_CASES],
    ids=[case[1] for case in EDGE_CASES],
)
def test_edge_case_geometry_outcome_by_project_id(edge_read, project_id, outcome, reason):
    (record,) = [r for r in edge_read.report.records if r.project_id == project_id]
    assert (record.outcome, record.reason) == (outcome, reason)
    assert record.row == int(project_id[2:])


def test_edge_case_layer_counts_and_notes(edge_read):
    assert_balanced(edge_read.report, read=14, stored=4, repaired=2)
    assert edge_read.projects["project_id"].tolist() == ["G-01", "G-02", "G-09", "G-10"]
    assert edge_read.report.notes == [
        "paket.gpkg: Z values dropped from 1 records (Peta Sinergi works in 2-D)"
    ]


def test_bow_tie_is_repaired_into_two_triangles(edge_read):
    stored = edge_read.projects.set_index("project_id").geometry
    bowtie = stored["G-02"]
    assert bowtie.geom_type == "MultiPolygon"
    assert bowtie.is_valid
    assert shapely.get_num_geometries(bowtie) == 2
    area_m2 = gpd.GeoSeries([bowtie], crs=4326).to_crs(32748).area.iloc[0]
    assert round(area_m2) == 500_000  # two triangles of 25 ha each


def test_short_bridge_line_is_stored_as_its_midpoint_and_z_is_dropped(edge_read):
    stored = edge_read.projects.set_index("project_id").geometry
    midpoint = shapely.Point(X0 + 30, Y0 - 3000)
    assert stored["G-10"].geom_type == "Point"
    assert max_offset_deg(stored["G-10"], to_lonlat(midpoint)) < TOL_DEG
    assert not stored["G-09"].has_z
    assert max_offset_deg(stored["G-09"], to_lonlat(road(9))) < TOL_DEG


def test_one_point_line_and_null_shape_in_a_shapefile_are_rejected_by_id(tmp_path):
    path = write_wkb_layer(
        tmp_path / "jalan.shp",
        {"KD_PAKET": ["S-1", "S-2", "S-3"], "NM_PAKET": ["Jalan A", "Jalan B", "Jalan C"],
         "TA": [2025] * 3, "SATKER": [AGENCY] * 3},
        [line_wkb([(X0, Y0)]), shapely.to_wkb(road(1)), None],
        geometry_type="LineString",
        driver="ESRI Shapefile",
    )  # fmt: skip

    result = read_projects(path, level="pusat")

    assert result.projects["project_id"].tolist() == ["S-2"]
    assert reasons(result) == {
        "S-1": "line with one point only (needs a start and an end)",
        "S-3": "no geometry",
    }
    assert_balanced(result.report, read=3, stored=1)


def test_m_values_are_dropped_with_a_note(tmp_path):
    lines = [road(0), road(1)]
    path = write_wkb_layer(
        tmp_path / "ruas.shp",
        {"KD_PAKET": ["M-1", "M-2"], "NM_PAKET": ["Jalan A", "Jalan B"], "TA": [2025] * 2,
         "SATKER": [AGENCY] * 2},
        [line_wkb([(x, y, x - X0) for x, y in line.coords], measured=True) for line in lines],
        geometry_type="LineString",
        driver="ESRI Shapefile",
        layer_options={"SHPT": "ARCM"},
    )  # fmt: skip

    result = read_projects(path, level="pusat")

    assert result.report.notes == [
        "ruas.shp: M values dropped from 2 records (Peta Sinergi works in 2-D)"
    ]
    assert not result.projects.geometry.has_m.any()
    for got, want in zip(result.projects.geometry, lines, strict=True):
        assert max_offset_deg(got, to_lonlat(want)) < TOL_DEG
    assert_balanced(result.report, read=2, stored=2)


def test_polygon_for_an_asset_type_road_is_rejected_by_id(tmp_path):
    path = tmp_path / "jalan.gpkg"
    frame = projects([road(0), field(1)], names=["Ruas A", "Ruas B"])
    pyogrio.write_dataframe(frame, path, geometry_type="Unknown")

    result = read_projects(path, level="pusat", asset_type="jalan")

    assert result.projects["asset_type"].tolist() == ["road"]
    assert reasons(result) == {
        pid(1): "road needs a line or point geometry, got a polygon geometry"
    }
    assert_balanced(result.report, read=2, stored=1)


# --- values -------------------------------------------------------------------------------------


def test_unparseable_and_ambiguous_budgets_reject_only_their_records(tmp_path):
    path = tmp_path / "jalan.gpkg"
    pagu = ["1.250.000.000,00", "Rp sekian", "1.250", "Rp 2,5 M", "-5.000.000,00", None]
    pyogrio.write_dataframe(roads(6, PAGU=pagu), path)

    result = read_projects(path, level="pusat")

    stored = result.projects
    assert stored["project_id"].tolist() == [pid(0), pid(3), pid(5)]
    assert stored["budget_idr"].tolist()[:2] == [1_250_000_000.0, 2_500_000_000.0]
    assert pd.isna(stored["budget_idr"].iloc[2])  # no budget is allowed: it is optional
    assert reasons(result) == {
        pid(1): "'Rp sekian' is not an amount in rupiah (write e.g. 1.250.000,00)",
        pid(2): "'1.250' is ambiguous (thousands or decimals?); write it in full, e.g. "
        "1.250.000,00",
        pid(4): "negative budget '-5.000.000,00'",
    }
    assert_balanced(result.report, read=6, stored=3)


def test_bad_years_and_missing_ids_reject_only_their_records(tmp_path):
    path = tmp_path / "jalan.gpkg"
    frame = roads(4, TA=["2025", "1800", "2026-2024", "2024 s/d 2026"])
    frame["KD_PAKET"] = frame["KD_PAKET"].astype(object)
    frame.loc[3, "KD_PAKET"] = None
    pyogrio.write_dataframe(frame, path)

    result = read_projects(path, level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0)]
    assert reasons(result) == {
        pid(1): "'1800' is not a year (write e.g. 2025 or 2024-2026)",
        pid(2): "'2026-2024': the first year is after the second",
        "row 4": "no project id in column 'KD_PAKET'",
    }


def test_overlong_text_rejects_its_record_naming_the_field_and_length(tmp_path):
    """A value longer than ``max_text_chars`` (``PETA_MAX_TEXT_CHARS``) rejects its record; it
    is never cut."""
    rows = [["kode_paket", "nama_paket", "tahun", "sumber_dana", "satker", "lon", "lat"]]
    texts = [
        ("J-1", "Jembatan A", "APBD"),
        ("J-2", "N" * 301, "APBD"),
        ("J-3", "Jembatan C", "D" * 5000),
        ("K" * 400, "Jembatan D", "APBD"),
        ("J-5", "N" * 300, "APBD"),
    ]
    for i, (code, name, funding) in enumerate(texts):
        lon, lat = lonlat(*bridge(i).coords[0])
        rows.append([code, name, "2025", funding, AGENCY, lon, lat])
    path = write_csv(tmp_path / "jembatan.csv", rows)

    result = read_projects(path, level="provinsi", settings=Settings(max_text_chars=300))

    assert result.projects["project_id"].tolist() == ["J-1", "J-5"]
    fix = "shorten it in the file (or raise PETA_MAX_TEXT_CHARS)"
    assert reasons(result) == {
        "J-2": f"name: 301 characters, more than the 300 allowed — {fix}",
        "J-3": f"funding_source: 5,000 characters, more than the 300 allowed — {fix}",
        "K" * 40 + "…": f"project_id: 400 characters, more than the 300 allowed — {fix}",
    }
    assert_balanced(result.report, read=5, stored=2)


def test_a_repeated_project_id_rejects_the_second_naming_the_first_row(tmp_path):
    rows = [["kode_paket", "nama_paket", "tahun", "pagu", "satker", "lon", "lat"]]
    for i, code in enumerate(["J-1", "J-2", "J-1"]):
        lon, lat = lonlat(*bridge(i).coords[0])
        rows.append([code, f"Jembatan {i}", "2025", "1000000000", AGENCY, lon, lat])
    path = write_csv(tmp_path / "jembatan.csv", rows)

    result = read_projects(path, level="provinsi")

    assert result.projects["project_id"].tolist() == ["J-1", "J-2"]
    assert result.projects["source_row"].tolist() == [2, 3]
    assert reasons(result) == {"J-1": "project id J-1 repeated (first at jembatan.csv row 2)"}
    assert [r.row for r in result.report.records if r.outcome == "rejected"] == [4]
    assert_balanced(result.report, read=3, stored=2)


def test_unreadable_coordinates_reject_their_row(tmp_path):
    lon, lat = lonlat(*bridge(0).coords[0])
    path = write_csv(
        tmp_path / "jembatan.csv",
        [
            ["kode", "nama", "tahun", "satker", "bujur", "lintang"],
            ["J-1", "Jembatan A", "2025", AGENCY, lon, lat],
            ["J-2", "Jembatan B", "2025", AGENCY, "103°36'", lat],
            ["J-3", "Jembatan C", "2025", AGENCY, "", ""],
        ],
    )

    result = read_projects(path, level="provinsi")

    assert result.projects["project_id"].tolist() == ["J-1"]
    assert reasons(result) == {
        "J-2": "'bujur'/'lintang': \"103°36'\" is not a coordinate (write e.g. -1.644926 or "
        "-1,644926)",
        "J-3": "no coordinates in 'bujur'/'lintang'",
    }
    assert_balanced(result.report, read=3, stored=1)


# --- files refused as a whole -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["peta.dwg", "peta.DXF", "laporan.pdf", "tanpa_ekstensi"])
def test_unsupported_extension_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"AC1027 not read")
    with pytest.raises(UnsupportedFormatError, match=r"is not a supported format; use a zipped "
                                                     r"shapefile, GeoPackage"):  # fmt: skip
        read_projects(path, level="pusat")


GARBAGE = b"\x00\x01\x02 bukan berkas peta \xff\xfe" * 20


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("peta.gpkg", GARBAGE, r"^peta\.gpkg: cannot be read as gpkg \('peta\.gpkg' not "
                               r"recognized as being in a supported file format"),
        ("peta.geojson", GARBAGE, r"^peta\.geojson: cannot be read as geojson"),
        ("peta.geojson", b'{"type": "FeatureCollection", "features": [',
         r"^peta\.geojson: cannot be read as geojson \(Failed to read GeoJSON data"),
        ("peta.fgb", GARBAGE, r"^peta\.fgb: cannot be read as fgb"),
        ("paket.xlsx", GARBAGE, r"^paket\.xlsx: not a readable Excel workbook"),
        ("paket.parquet", GARBAGE, r"^paket\.parquet: not a readable GeoParquet file \(.*"
                                   r"'paket\.parquet'"),
        ("peta.kml", GARBAGE, r"^peta\.kml: not valid KML \(line 1: not well-formed"),
        ("peta.zip", GARBAGE, r"^peta\.zip: not a readable zip file"),
        ("paket.csv", bytes(range(256)) * 4, r"^paket\.csv: not a readable CSV file"),
        ("paket.csv", b"", r"^paket\.csv: no location columns found"),
        ("jalan.shp", GARBAGE, r"^jalan\.shp: \.dbf missing, so every attribute is missing"),
    ],
)  # fmt: skip
def test_garbage_with_a_known_extension_is_a_named_input_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(GeoInputError, match=message):
        read_projects(path, level="pusat")


def test_truncated_geopackage_is_a_named_input_error(tmp_path):
    whole = tmp_path / "whole.gpkg"
    pyogrio.write_dataframe(roads(50), whole)
    cut = tmp_path / "terpotong.gpkg"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    with pytest.raises(GeoInputError, match=r"^terpotong\.gpkg: cannot be read"):
        read_projects(cut, level="pusat")


def test_a_zip_renamed_to_xlsx_is_a_named_input_error(tmp_path):
    path = zip_members(tmp_path / "paket.xlsx", {"catatan.txt": "bukan workbook"})
    with pytest.raises(GeoInputError, match=r"^paket\.xlsx: not a readable Excel workbook"):
        read_projects(path, level="pusat")


def test_a_workbook_without_location_columns_says_which_columns_to_add(tmp_path):
    path = write_xlsx(tmp_path / "paket.xlsx", {"Paket": [["Nama", "Pagu"], ["Jalan A", 1]]})
    with pytest.raises(GeoInputError, match=r"^paket\.xlsx: no location columns found; add WKT"):
        read_projects(path, level="pusat")


@pytest.mark.parametrize("suffix", [".kml", ".gpkg"])
def test_a_file_without_features_is_refused_as_such(tmp_path, suffix):
    path = tmp_path / f"kosong{suffix}"
    if suffix == ".kml":
        path.write_text(
            '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            "</Document></kml>"
        )
    else:
        pyogrio.write_dataframe(roads(2).iloc[:0], path)
    with pytest.raises(GeoInputError, match=rf"^kosong\{suffix}: no layer with features found$"):
        read_projects(path, level="pusat")


def test_an_empty_layer_beside_a_full_one_is_noted_not_read(tmp_path):
    path = tmp_path / "paket.gpkg"
    pyogrio.write_dataframe(roads(2), path, layer="jalan")
    pyogrio.write_dataframe(projects([]).drop(columns="TA"), path, layer="template")

    result = read_projects(path, level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0), pid(1)]
    assert result.report.notes == ["paket.gpkg:template: no features; not read"]


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(GeoInputError, match=r"^tidak_ada\.zip: no such file$"):
        read_projects(tmp_path / "tidak_ada.zip", level="pusat")


def test_a_zip_without_any_supported_file_is_refused(tmp_path):
    path = zip_members(tmp_path / "dokumen.zip", {"laporan.docx": b"PK docx", "foto.jpg": b"x"})
    with pytest.raises(GeoInputError, match=r"^dokumen\.zip: the zip holds no shapefile or other "
                                            r"supported file$"):  # fmt: skip
        read_projects(path, level="pusat")


def test_a_dbf_without_its_shp_is_noted_and_the_rest_read(tmp_path):
    jalan = write_shapefile(roads(1), tmp_path / "a", "jalan")
    yatim = write_shapefile(roads(1), tmp_path / "b", "jembatan")
    archive = zip_members(
        tmp_path / "paket.zip",
        {**{p.name: p for p in jalan.values()}, "jembatan.dbf": yatim[".dbf"]},
    )

    result = read_projects(archive, level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0)]
    assert result.report.notes == [
        "paket.zip/jembatan: .dbf without a .shp: not read (add the .shp)",
    ]


def test_a_shapefile_without_its_shx_is_read_with_a_note(tmp_path):
    parts = write_shapefile(roads(2), tmp_path, "jalan", drop=[".shx"])
    archive = zip_shapefile(tmp_path / "paket.zip", parts)

    result = read_projects(archive, level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0), pid(1)]
    assert result.report.notes == ["paket.zip/jalan: .shx missing; index rebuilt from the .shp"]
