"""The reader names bad files, and lets its own bugs surface as bugs."""

from __future__ import annotations

from pathlib import Path

import pytest

import geo.read.layer
import geo.read.projects
from geo.errors import GeoInputError
from geo.read.projects import read_projects


@pytest.fixture
def geojson(tmp_path: Path) -> Path:
    path = tmp_path / "jalan.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"kode": "J-1", "nama": "Jalan Contoh", "tahun": 2025}, "geometry": {"type": '
        '"LineString", "coordinates": [[103.6, -1.6], [103.61, -1.6]]}}]}',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("bug", [KeyError("level"), ValueError("bad index"), TypeError("oops")])
def test_a_bug_inside_the_reader_is_not_reported_as_a_bad_file(monkeypatch, geojson, bug):
    def broken(*args, **kwargs):
        raise bug

    monkeypatch.setattr(geo.read.projects, "read_ogr", broken)
    with pytest.raises(type(bug)) as raised:
        read_projects(geojson, level="pusat", agency="BPJN Jambi", asset_type="road")
    assert not isinstance(raised.value, GeoInputError)


def test_the_same_file_reads_when_nothing_is_broken(geojson):
    result = read_projects(geojson, level="pusat", agency="BPJN Jambi", asset_type="road")
    assert result.report.counts["stored"] == 1


@pytest.mark.parametrize(
    "content",
    [b"{not json at all", b"\x00\x01\x02 not a vector file", b""],
    ids=["broken-json", "binary", "empty"],
)
def test_a_damaged_file_is_named_with_the_fix(tmp_path, content):
    path = tmp_path / "rusak.geojson"
    path.write_bytes(content)
    with pytest.raises(GeoInputError, match=r"rusak\.geojson: .*(re-export|cannot be read)"):
        read_projects(path, level="pusat", agency="BPJN Jambi", asset_type="road")


def test_a_gdal_error_on_the_file_is_an_input_error(monkeypatch, geojson):
    def gdal_fails(*args, **kwargs):
        raise geo.read.layer.pyogrio.errors.DataSourceError("corrupt page at offset 4096")

    monkeypatch.setattr(geo.read.projects, "read_ogr", gdal_fails)
    with pytest.raises(GeoInputError, match=r"jalan\.geojson: cannot be read \(DataSourceError"):
        read_projects(geojson, level="pusat", agency="BPJN Jambi", asset_type="road")
