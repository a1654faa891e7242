"""Damaged uploads through the CLI: every unreadable file is exit 2 with a ``FILE: reason`` line.

The files are the shared samples, damaged the way transfers and old tools damage them: a cut
zip, an XLSX whose parts are cut or not XML, a member whose compressed bytes are corrupt, a
GeoPackage with a garbled page, a KMZ whose document is not KML, random bytes named ``.csv``, a
shapefile whose DBF header lies about its length. None may end as "internal error" (exit 1).
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cli import main

XLSX = "dinas_pupr_kab_muaro_jambi_2025.xlsx"
SHAPEFILE_ZIP = "bpjn_jambi_2025.zip"


def _rezip(source: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """``source`` zipped again with every member passed through ``change(name, data)``."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as archive,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for name in archive.namelist():
            out.writestr(name, change(name, archive.read(name)))
    return buffer.getvalue()


def _xlsx_sheet_cut(samples: Path) -> bytes:
    data = (samples / XLSX).read_bytes()
    return _rezip(data, lambda name, d: d[: len(d) // 2] if name.endswith("sheet1.xml") else d)


def _xlsx_part_not_xml(samples: Path) -> bytes:
    data = (samples / XLSX).read_bytes()
    return _rezip(data, lambda name, d: b"<<<not xml" if name.endswith("styles.xml") else d)


def _xlsx_member_bytes_corrupt(samples: Path) -> bytes:
    """The deflated bytes of the largest member flipped in place: the zip directory is intact,
    the member does not inflate (or fails its CRC)."""
    data = bytearray((samples / XLSX).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        entry = max(archive.infolist(), key=lambda e: e.compress_size)
    name_len, extra_len = struct.unpack(
        "<HH", data[entry.header_offset + 26 : entry.header_offset + 30]
    )
    start = entry.header_offset + 30 + name_len + extra_len
    for pos in range(start + entry.compress_size // 3, start + entry.compress_size // 3 + 64):
        data[pos] ^= 0x55
    return bytes(data)


def _xlsx_patched_data(samples: Path) -> bytes:
    """Every member flagged as "compressed patched data" (flag bit 5), which zipfile cannot
    read."""
    data = bytearray((samples / XLSX).read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        (flags,) = struct.unpack("<H", data[at + 8 : at + 10])
        data[at + 8 : at + 10] = struct.pack("<H", flags | 0x20)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def _zip_cut(samples: Path) -> bytes:
    data = (samples / SHAPEFILE_ZIP).read_bytes()
    return data[: len(data) // 2]


def _dbf_header_lies(samples: Path) -> bytes:
    """The DBF claims a 60,000-byte header in a file of a few hundred bytes."""

    def change(name: str, d: bytes) -> bytes:
        if not name.lower().endswith(".dbf"):
            return d
        return d[:8] + struct.pack("<H", 60_000) + d[10:40] + bytes(random.Random(5).randbytes(200))

    return _rezip((samples / SHAPEFILE_ZIP).read_bytes(), change)


def _gpkg_page_garbled(samples: Path) -> bytes:
    data = bytearray((samples / "jaringan_jalan_jambi.gpkg").read_bytes())
    data[1024:8192] = random.Random(3).randbytes(8192 - 1024)
    return bytes(data)


def _gpkg_cut(samples: Path) -> bytes:
    data = (samples / "jaringan_jalan_jambi.gpkg").read_bytes()
    return data[: len(data) // 2]


def _kmz_document_not_kml(samples: Path) -> bytes:
    del samples
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.kml", b"\x00\xff garbage <kml")
    return buffer.getvalue()


def _binary_named_csv(samples: Path) -> bytes:
    del samples
    return random.Random(1).randbytes(5000)


DAMAGED = {
    "sheet_cut.xlsx": _xlsx_sheet_cut,
    "styles_not_xml.xlsx": _xlsx_part_not_xml,
    "member_corrupt.xlsx": _xlsx_member_bytes_corrupt,
    "patched_data.xlsx": _xlsx_patched_data,
    "cut.zip": _zip_cut,
    "dbf_header_lies.zip": _dbf_header_lies,
    "page_garbled.gpkg": _gpkg_page_garbled,
    "cut.gpkg": _gpkg_cut,
    "bad.kmz": _kmz_document_not_kml,
    "binary.csv": _binary_named_csv,
}


@pytest.mark.parametrize("file_name", list(DAMAGED))
def test_a_damaged_file_exits_2_naming_the_file(file_name, samples, tmp_path, store_path, capsys):
    damaged = tmp_path / file_name
    damaged.write_bytes(DAMAGED[file_name](samples))
    args = ["import", str(damaged), "--level", "kabupaten", "--agency", "Dinas PUPR Kab. X"]
    code = main([*args, "--asset", "road", "--store", str(store_path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "internal error" not in err and "Traceback" not in err
    # the file, or the file and its member ("bad.kmz/doc.kml: ...")
    assert err.splitlines()[0].startswith((f"{file_name}: ", f"{file_name}/")), err
