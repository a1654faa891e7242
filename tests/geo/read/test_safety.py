"""Hostile uploads are refused before extraction, fast, with one named line per problem."""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from geo.errors import GeoInputError, UnsafeFileError
from geo.read.safety import (
    ExtractedFile,
    check_upload_size,
    entry_name,
    extract_nested,
    reject_xml_hazards,
    safe_extract_zip,
)
from geo.settings import Settings

SETTINGS = Settings()

# Offsets of fields after the signature of a central directory record (PK\x01\x02) and of a
# local file header (PK\x03\x04), zip specification 4.3.7 and 4.3.12.
CENTRAL = b"PK\x01\x02"
LOCAL = b"PK\x03\x04"
END = b"PK\x05\x06"
CENTRAL_FLAGS, CENTRAL_METHOD, CENTRAL_USIZE = 8, 10, 24
LOCAL_FLAGS, LOCAL_USIZE = 6, 22


# --- fixtures -------------------------------------------------------------------------------


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    """A deflated zip of ``name -> content``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def patch_field(path: Path, signature: bytes, offset: int, fmt: str, value: int) -> None:
    """Overwrite one header field in every record with ``signature``."""
    data = bytearray(path.read_bytes())
    at = data.find(signature)
    assert at >= 0
    while at >= 0:
        struct.pack_into(fmt, data, at + offset, value)
        at = data.find(signature, at + 1)
    path.write_bytes(bytes(data))


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- upload size ----------------------------------------------------------------------------


def test_upload_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.zip"
    with big.open("wb") as file:
        file.truncate(1_500_000)  # sparse: costs no disk
    with pytest.raises(UnsafeFileError) as refused:
        check_upload_size(big, settings=Settings(max_upload_mb=1))
    assert refused.value.problems == [
        "big.zip: 1.5 MB, larger than the 1 MB upload limit — split it into smaller files or "
        "raise PETA_MAX_UPLOAD_MB"
    ]


def test_upload_at_the_limit_is_accepted(tmp_path: Path) -> None:
    exact = tmp_path / "exact.gpkg"
    with exact.open("wb") as file:
        file.truncate(1_000_000)
    check_upload_size(exact, settings=Settings(max_upload_mb=1), display_name="Paket.gpkg")


# --- ordinary zips --------------------------------------------------------------------------


def test_ordinary_zip_is_extracted_skipping_mac_files_and_folders(tmp_path: Path) -> None:
    upload = make_zip(
        tmp_path / "paket.zip",
        {
            "PAKET BPJN 2025/": b"",
            "PAKET BPJN 2025/Jalan Tempino.shp": b"shp",
            "PAKET BPJN 2025/Jalan Tempino.DBF": b"dbf",
            "__MACOSX/PAKET BPJN 2025/._Jalan Tempino.shp": b"resource fork",
            "PAKET BPJN 2025/._Jalan Tempino.dbf": b"apple double",
            "readme.txt": b"hello",
        },
    )
    dest = tmp_path / "out"
    extracted = safe_extract_zip(upload, dest, settings=SETTINGS)
    assert [p.relative_to(dest).as_posix() for p in extracted] == [
        "PAKET BPJN 2025/Jalan Tempino.shp",
        "PAKET BPJN 2025/Jalan Tempino.DBF",
        "readme.txt",
    ]
    assert files_under(dest) == [
        "PAKET BPJN 2025/Jalan Tempino.DBF",
        "PAKET BPJN 2025/Jalan Tempino.shp",
        "readme.txt",
    ]
    assert (dest / "readme.txt").read_bytes() == b"hello"


def test_small_highly_compressible_files_are_not_called_bombs(tmp_path: Path) -> None:
    # 900 kB of one repeated line compresses about 1000x, yet is an ordinary attribute file.
    upload = make_zip(tmp_path / "a.zip", {"a.dbf": b"JALAN NASIONAL    " * 50_000})
    assert len(safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)) == 1


def test_windows_separators_become_folders(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "win.zip", {"PAKET\\ruas.shp": b"shp"})
    extracted = safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert extracted == [(tmp_path / "out" / "PAKET" / "ruas.shp").resolve()]


def test_unflagged_utf8_names_are_decoded(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "utf8.zip", {"Jembatan Sungai Terap – ruas.shp": b"shp"})
    # Many Windows tools write UTF-8 names without the UTF-8 flag (bit 11).
    patch_field(upload, CENTRAL, CENTRAL_FLAGS, "<H", 0)
    patch_field(upload, LOCAL, LOCAL_FLAGS, "<H", 0)
    with zipfile.ZipFile(upload) as archive:
        assert entry_name(archive.infolist()[0]) == "Jembatan Sungai Terap – ruas.shp"
    extracted = safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert extracted[0].name == "Jembatan Sungai Terap – ruas.shp"


def test_cp437_names_stay_cp437() -> None:
    # "café" written by an old DOS/Windows tool: byte 0x82 is not UTF-8, so cp437 stands.
    assert entry_name(zipfile.ZipInfo("caf\u00e9.shp")) == "café.shp"


# --- zip bombs and caps ---------------------------------------------------------------------


def test_forged_two_gigabyte_bomb_is_refused_before_extraction(tmp_path: Path) -> None:
    bomb = make_zip(tmp_path / "bomb.zip", {"zeros.bin": bytes(1_000_000)})
    patch_field(bomb, CENTRAL, CENTRAL_USIZE, "<I", 2_000_000_000)
    patch_field(bomb, LOCAL, LOCAL_USIZE, "<I", 2_000_000_000)
    dest = tmp_path / "out"
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(bomb, dest, settings=SETTINGS)
    ratio_line, total_line = refused.value.problems
    assert re.fullmatch(
        r"bomb\.zip: entry 'zeros\.bin' expands [\d,]+ times \(2,000\.0 MB from [\d,]+ bytes\), "
        r"more than the 200 times allowed \(a zip bomb\?\) — zip the original files again or "
        r"raise PETA_MAX_ZIP_RATIO",
        ratio_line,
    )
    assert total_line == (
        "bomb.zip: entries expand to 2,000.0 MB, more than the 1000 MB allowed — split it into "
        "smaller zips or raise PETA_MAX_UNZIPPED_MB"
    )
    assert not dest.exists()


def test_real_bomb_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("zeros.bin", "w") as entry:
            for _ in range(50):
                entry.write(bytes(1_000_000))
    assert bomb.stat().st_size < 100_000
    dest = tmp_path / "out"
    with pytest.raises(
        UnsafeFileError, match=r"^bomb\.zip: entry 'zeros\.bin' expands [\d,]+ times"
    ):
        safe_extract_zip(bomb, dest, settings=SETTINGS)
    assert not dest.exists()


def test_a_bomb_named_xlsx_is_refused_before_the_workbook_reader_opens_it(tmp_path: Path) -> None:
    from geo.read.projects import read_projects

    # An XLSX is a zip: a workbook part of 50 MB of zeros is refused like a zipped upload.
    bomb = tmp_path / "paket_kab.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(50):
                entry.write(bytes(1_000_000))
    with pytest.raises(
        UnsafeFileError,
        match=r"^paket_kab\.xlsx: entry 'xl/worksheets/sheet1\.xml' expands [\d,]+ times",
    ):
        read_projects(bomb, level="kabupaten", agency="Dinas PUPR Kab. X")


def test_too_many_entries_is_refused_before_parsing(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(301)})
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert refused.value.problems == [
        "many.zip: 301 entries, more than the 300 allowed — split it into smaller zips or raise "
        "PETA_MAX_ZIP_ENTRIES"
    ]


def test_entry_count_is_checked_even_if_the_end_record_lies(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(5)})
    patch_field(upload, END, 8, "<H", 1)  # entries on this disk
    patch_field(upload, END, 10, "<H", 1)  # entries in all
    with pytest.raises(UnsafeFileError, match=r"^many\.zip: 5 entries, more than the 4 allowed"):
        safe_extract_zip(upload, tmp_path / "out", settings=Settings(max_zip_entries=4))


def test_total_size_cap(tmp_path: Path) -> None:
    upload = make_zip(
        tmp_path / "big.zip", {"a.bin": os.urandom(6_000), "b.bin": os.urandom(6_000)}
    )
    with pytest.raises(
        UnsafeFileError, match=r"^big\.zip: entries expand to 0\.0 MB, more than the 0\.01 MB"
    ):
        safe_extract_zip(upload, tmp_path / "out", settings=Settings(max_unzipped_mb=0.01))


def test_entry_longer_than_declared_is_stopped_while_streaming(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "lie.zip", {"first.txt": b"ok", "data.bin": os.urandom(200_000)})
    # Declare 1,000 bytes for an entry that holds 200,000.
    data = bytearray(upload.read_bytes())
    at = data.find(CENTRAL, data.find(CENTRAL) + 1)
    struct.pack_into("<I", data, at + CENTRAL_USIZE, 1_000)
    at = data.find(LOCAL, data.find(LOCAL) + 1)
    struct.pack_into("<I", data, at + LOCAL_USIZE, 1_000)
    upload.write_bytes(bytes(data))
    dest = tmp_path / "out"
    with pytest.raises(
        UnsafeFileError,
        match=r"^lie\.zip: entry 'data\.bin' is damaged or does not match its declared size "
        r"\(Bad CRC-32 for file 'data\.bin'\) — zip the files again$",
    ):
        safe_extract_zip(upload, dest, settings=SETTINGS)
    assert files_under(dest) == []  # the partial file and the earlier one are removed


def test_streaming_cap_does_not_trust_the_decompressor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = make_zip(tmp_path / "lie.zip", {"data.bin": b"x" * 1_000})

    def open_longer(self: zipfile.ZipFile, member: object, *args: object, **kwargs: object):
        return io.BytesIO(b"x" * 5_000_000)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_longer)
    dest = tmp_path / "out"
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, dest, settings=SETTINGS)
    assert refused.value.problems == [
        "lie.zip: entry 'data.bin' holds more data than the 1,000 bytes its header declares "
        "(a forged zip?) — zip the files again"
    ]
    assert files_under(dest) == []


# --- hostile names and entries --------------------------------------------------------------


ABSOLUTE = "has an absolute path — zip the files with paths relative to their folder"
TRAVERSAL = "points outside the zip ('..' in its path) — zip the files without '..' in paths"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.txt", TRAVERSAL),
        ("data/../../evil.txt", TRAVERSAL),
        ("..\\evil.txt", TRAVERSAL),
        ("/etc/passwd", ABSOLUTE),
        ("C:\\x", ABSOLUTE),
        ("c:/Windows/x.dll", ABSOLUTE),
        ("\\\\server\\share\\x", ABSOLUTE),
        ("a" * 300 + ".shp", "has a name longer than 255 bytes — rename it and zip again"),
    ],
)
def test_hostile_paths_are_refused(tmp_path: Path, name: str, reason: str) -> None:
    upload = tmp_path / "evil.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), b"owned")
    dest = tmp_path / "deep" / "out"
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, dest, settings=SETTINGS)
    shown = name.replace("\\", "/")
    assert refused.value.problems == [f"evil.zip: entry '{shown}' {reason}"]
    assert files_under(tmp_path) == ["evil.zip"]


def test_control_characters_in_names_do_not_break_message_lines(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "evil.zip", {"../ruas\nbaru.shp": b"x"})
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert refused.value.problems == [f"evil.zip: entry '../ruas?baru.shp' {TRAVERSAL}"]
    assert "\n" not in str(refused.value)


def test_symlink_entry_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("passwd.shp")
    link.create_system = 3  # unix
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    upload = tmp_path / "link.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert refused.value.problems == [
        "link.zip: entry 'passwd.shp' is a symbolic link — zip the file itself, not a link to it"
    ]


def test_existing_symlink_in_destination_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "PAKET").symlink_to(outside, target_is_directory=True)
    upload = make_zip(tmp_path / "a.zip", {"PAKET/x.shp": b"shp"})
    with pytest.raises(
        UnsafeFileError,
        match=r"^a\.zip: entry 'PAKET/x\.shp' would be written outside the extraction folder",
    ):
        safe_extract_zip(upload, dest, settings=SETTINGS)
    assert list(outside.iterdir()) == []


def test_encrypted_entry_is_refused(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "secret.zip", {"a.shp": b"shp"})
    patch_field(upload, CENTRAL, CENTRAL_FLAGS, "<H", 0x1)
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert refused.value.problems == [
        "secret.zip: entry 'a.shp' is encrypted — zip it again without a password"
    ]


def test_patched_data_entry_is_refused_before_extraction(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "patched.zip", {"a.shp": b"shp"})
    patch_field(upload, CENTRAL, CENTRAL_FLAGS, "<H", 0x20)  # compressed patched data
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert refused.value.problems == [
        "patched.zip: entry 'a.shp' uses patched data or strong encryption, which cannot be read "
        "— zip it again with ordinary (deflate) compression"
    ]


def test_a_zip_version_zipfile_lacks_is_not_a_readable_zip(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "v25.zip", {"a.shp": b"shp"})
    patch_field(upload, CENTRAL, 6, "<H", 252)  # version needed to extract: 25.2
    with pytest.raises(UnsafeFileError, match=r"^v25\.zip: not a readable zip file"):
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)


def test_unreadable_compression_is_refused(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "d64.zip", {"a.shp": b"shp"})
    patch_field(upload, CENTRAL, CENTRAL_METHOD, "<H", 9)  # Deflate64
    with pytest.raises(
        UnsafeFileError,
        match=r"^d64\.zip: entry 'a\.shp' uses compression method 9, which cannot be read",
    ):
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)


def test_duplicate_entries_are_refused(tmp_path: Path) -> None:
    upload = tmp_path / "dup.zip"
    with zipfile.ZipFile(upload, "w") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr("a.shp", b"first")
        archive.writestr("A.SHP", b"second")
        archive.writestr("a.shp", b"third")
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert refused.value.problems == [
        "dup.zip: entry 'A.SHP' appears twice — create the zip again so that each file is in "
        "it once",
        "dup.zip: entry 'a.shp' appears twice — create the zip again so that each file is in "
        "it once",
    ]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    upload = tmp_path / "many.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("../evil.txt", b"x")
        archive.writestr(link, "/etc")
        archive.writestr("/etc/passwd", b"x")
    with pytest.raises(UnsafeFileError) as refused:
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)
    assert [line.split(" — ")[0] for line in refused.value.problems] == [
        "many.zip: entry '../evil.txt' points outside the zip ('..' in its path)",
        "many.zip: entry 'link' is a symbolic link",
        "many.zip: entry '/etc/passwd' has an absolute path",
    ]


@pytest.mark.parametrize(
    "content",
    [b"this is not a zip", b"", b"PK\x03\x04 truncated local header only"],
    ids=["text", "empty", "truncated"],
)
def test_corrupt_zip_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    upload = tmp_path / "rusak.zip"
    upload.write_bytes(content)
    with pytest.raises(
        UnsafeFileError,
        match=r"^rusak\.zip: not a readable zip file \(File is not a zip file\) — check that the "
        r"upload finished, then zip the files again$",
    ):
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)


def test_cut_off_zip_is_a_clear_error(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "cut.zip", {"a.shp": os.urandom(5_000)})
    upload.write_bytes(upload.read_bytes()[:-30])
    with pytest.raises(GeoInputError, match=r"^cut\.zip: not a readable zip file"):
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS)


# --- zips inside zips -----------------------------------------------------------------------


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_one_level_of_nesting_is_opened(tmp_path: Path) -> None:
    inner = zip_bytes({"PAKET BPJN 2025/ruas.shp": b"shp", "ruas.dbf": b"dbf"})
    upload = make_zip(tmp_path / "outer.zip", {"bpjn.zip": inner, "notes.txt": b"n"})
    extracted = extract_nested(upload, tmp_path / "out", settings=SETTINGS)
    assert [file.display_name for file in extracted] == [
        "outer.zip/notes.txt",
        "outer.zip/bpjn.zip/PAKET BPJN 2025/ruas.shp",
        "outer.zip/bpjn.zip/ruas.dbf",
    ]
    assert all(isinstance(file, ExtractedFile) and file.path.is_file() for file in extracted)
    assert extracted[1].path.read_bytes() == b"shp"


def test_zips_nested_two_levels_are_refused(tmp_path: Path) -> None:
    deepest = zip_bytes({"a.shp": b"shp"})
    inner = zip_bytes({"deep.zip": deepest, "b.shp": b"shp"})
    upload = make_zip(tmp_path / "outer.zip", {"inner.zip": inner, "other.zip": inner})
    with pytest.raises(UnsafeFileError) as refused:
        extract_nested(upload, tmp_path / "out", settings=SETTINGS)
    message = (
        "entry 'deep.zip' is a zip; zips nested more than one level deep are not opened — "
        "unzip it and put its files in the zip directly"
    )
    assert refused.value.problems == [
        f"outer.zip/inner.zip: {message}",
        f"outer.zip/other.zip: {message}",
    ]


def test_inner_zip_at_the_depth_limit_is_refused_directly(tmp_path: Path) -> None:
    upload = make_zip(tmp_path / "inner.zip", {"deep.zip": zip_bytes({"a.shp": b""})})
    with pytest.raises(UnsafeFileError, match="zips nested more than one level deep"):
        safe_extract_zip(upload, tmp_path / "out", settings=SETTINGS, depth=1)
    assert len(safe_extract_zip(upload, tmp_path / "ok", settings=SETTINGS, depth=0)) == 1


def test_nested_zips_share_the_total_cap(tmp_path: Path) -> None:
    inner = zip_bytes({"a.dbf": b"x" * 8_000})
    upload = make_zip(tmp_path / "outer.zip", {"one.zip": inner, "two.zip": inner})
    with pytest.raises(UnsafeFileError) as refused:
        extract_nested(upload, tmp_path / "out", settings=Settings(max_unzipped_mb=0.012))
    assert refused.value.problems == [
        "outer.zip/two.zip: entries expand to 0.0 MB together with the files already extracted, "
        "more than the 0.012 MB allowed — split it into smaller zips or raise "
        "PETA_MAX_UNZIPPED_MB"
    ]
    # Each inner zip alone fits: only the files they hold count, not the inner zips themselves.
    assert (
        len(extract_nested(upload, tmp_path / "ok", settings=Settings(max_unzipped_mb=0.017))) == 2
    )
    assert files_under(tmp_path / "ok") == ["zip1/a.dbf", "zip2/a.dbf"]


# --- XML ------------------------------------------------------------------------------------

XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    b"<kml><Placemark><name>&e;</name></Placemark></kml>"
)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (XXE, "a DOCTYPE with ENTITY declarations"),
        (
            b"\xef\xbb\xbf<!-- made by hand --><!DOCTYPE kml SYSTEM 'http://127.0.0.1:9/x'><kml/>",
            "a DOCTYPE",
        ),
        (
            "\ufeff".encode("utf-16-le")
            + '<!DOCTYPE x [<!ENTITY a "b">]><kml/>'.encode("utf-16-le"),
            "a DOCTYPE with ENTITY declarations",
        ),
    ],
    ids=["xxe", "external-dtd", "utf16"],
)
def test_xml_doctype_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(UnsafeFileError) as refused:
        reject_xml_hazards(data, "a.kml")
    assert refused.value.problems == [
        f"a.kml: XML declares {what}, refused (it can read local files, fetch URLs or exhaust "
        "memory: XXE, 'billion laughs') — export the file again without a DOCTYPE"
    ]


def test_doctype_text_inside_a_description_is_fine() -> None:
    data = b"<?xml version='1.0'?><kml><description><![CDATA[<!DOCTYPE html><p>x</p>]]>"
    reject_xml_hazards(data, "a.kml")
