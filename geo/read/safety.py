"""Refuse hostile uploads before opening them, then extract zips safely (DESIGN sections 4, 10).

Everything a zip could do to the server is checked on its central directory first, which takes
milliseconds even for a zip bomb: too many entries, too many bytes, an extreme compression ratio,
absolute or ``..`` paths, symbolic links, encryption. Extraction then streams each entry with a
byte cap, because the sizes a zip declares can lie. Nothing is ever fetched or executed.

Every problem is one line ``"FILE: reason — what to do"``; all problems found are raised at once
as an :class:`~geo.errors.UnsafeFileError`.
"""

from __future__ import annotations

import dataclasses
import lzma
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO

from geo.errors import UnsafeFileError
from geo.settings import Settings

__all__ = [
    "BYTES_PER_MB",
    "check_upload_size",
    "check_zip_container",
    "entry_name",
    "extract_nested",
    "ExtractedFile",
    "printable",
    "reject_xml_hazards",
    "safe_extract_zip",
]

#: 1 MB, the unit of every ``*_mb`` setting.
BYTES_PER_MB = 10**6

#: Entries smaller than this are never called zip bombs: a 100 kB text file of repeated
#: values legitimately compresses more than 200x, and it cannot exhaust anything.
_RATIO_MIN_BYTES = BYTES_PER_MB

_CHUNK_BYTES = 1 << 20

#: End-of-central-directory record: signature and fixed size (zip specification 4.3.16).
_EOCD_SIGNATURE = b"PK\x05\x06"
_EOCD_BYTES = 22
_EOCD_MAX_COMMENT = 0xFFFF
_ZIP64_MANY_ENTRIES = 0xFFFF

#: Flag bit 0: the entry is encrypted; bit 11: its name is UTF-8 (zip specification 4.4.4).
_FLAG_ENCRYPTED = 0x1
#: Bit 5: compressed patched data; bit 6: strong encryption. Python's zipfile reads neither.
_FLAG_UNREADABLE = 0x20 | 0x40
_FLAG_UTF8 = 0x800

_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}

#: Errors the decompressors raise on damaged or forged data (bz2 raises OSError).
_DAMAGED_DATA_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError, OSError)

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_MAX_NAME_PART_BYTES = 255
_NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}

_XML_SPACE = re.compile(rb"\s*")
_UTF8_BOM = b"\xef\xbb\xbf"
#: Processing instructions (and the XML declaration) and comments, which may precede a DOCTYPE.
_PROLOG_SKIPPABLE = ((b"<?", b"?>"), (b"<!--", b"-->"))


@dataclasses.dataclass(frozen=True)
class ExtractedFile:
    """A file extracted from an upload.

    Attributes
    ----------
    path
        Where the file now lies on disk.
    display_name
        The name to show the user, through every zip it came from, e.g.
        ``"paket.zip/bpjn.zip/ruas.shp"``.
    """

    path: Path
    display_name: str


class _ByteBudget:
    """Bytes still allowed to be extracted, shared by a zip and the zips inside it."""

    def __init__(self, total_bytes: int) -> None:
        self.total_bytes = total_bytes
        self.remaining_bytes = total_bytes

    @property
    def is_shared(self) -> bool:
        return self.remaining_bytes < self.total_bytes


def check_upload_size(
    path: Path | str, *, settings: Settings, display_name: str | None = None
) -> None:
    """Refuse a file larger than ``settings.max_upload_mb``.

    Parameters
    ----------
    path
        The uploaded file.
    settings
        Supplies ``max_upload_mb`` (MB, 10**6 bytes).
    display_name
        Name shown in messages; defaults to the file name.

    Raises
    ------
    UnsafeFileError
        ``"FILE: 250.0 MB, larger than the 200 MB upload limit — ..."``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as small:
    ...     check_upload_size(small.name, settings=Settings())
    """
    path = Path(path)
    name = display_name or path.name
    size_bytes = path.stat().st_size
    if size_bytes > settings.max_upload_mb * BYTES_PER_MB:
        raise UnsafeFileError(
            f"{name}: {_mb(size_bytes)} MB, larger than the {settings.max_upload_mb:g} MB upload "
            "limit — split it into smaller files or raise PETA_MAX_UPLOAD_MB"
        )


def safe_extract_zip(
    path: Path | str,
    dest_dir: Path | str,
    *,
    settings: Settings,
    display_name: str | None = None,
    depth: int = 0,
) -> list[Path]:
    """Check a zip's central directory, then extract its files with a streaming byte cap.

    Directory entries, ``__MACOSX/`` entries and ``._*`` AppleDouble files are skipped. Zips
    inside the zip are extracted as files while ``depth < settings.max_zip_depth`` (the caller
    opens them with ``depth + 1``, see :func:`extract_nested`); deeper zips are refused.

    Parameters
    ----------
    path
        The zip (or KMZ) file.
    dest_dir
        An empty directory to extract into; created if missing.
    settings
        Supplies ``max_zip_entries``, ``max_unzipped_mb`` (MB), ``max_zip_ratio`` and
        ``max_zip_depth``.
    display_name
        Name shown in messages; defaults to the file name.
    depth
        How many zips this zip lies inside (0 for an upload).

    Returns
    -------
    list of Path
        The extracted files, in archive order.

    Raises
    ------
    UnsafeFileError
        Listing every problem found, one line each ``"FILE: ... — ..."``: not a zip, too many
        entries, too many bytes, a suspicious ratio, absolute or ``..`` paths, symbolic links,
        encryption, unreadable compression, zips nested too deep, data longer than declared.
    """
    budget = _ByteBudget(_total_cap_bytes(settings))
    return _extract_zip(
        Path(path),
        Path(dest_dir),
        settings=settings,
        display_name=display_name or Path(path).name,
        depth=depth,
        budget=budget,
    )


def check_zip_container(path: Path | str, *, settings: Settings, display_name: str) -> None:
    """Check a file that is a zip inside (an XLSX workbook) as an uploaded zip is checked —
    entry count, expansion ratio, total size, paths — before a library decompresses it.

    Raises
    ------
    UnsafeFileError
        Every problem found, one line each (a damaged container is left to its reader's own
        message).
    """
    path = Path(path)
    too_many = _check_declared_entry_count(path, display_name, settings)
    if too_many:
        raise UnsafeFileError(too_many)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, NotImplementedError):
        return  # not a readable zip: the workbook reader names the damage
    budget = _ByteBudget(_total_cap_bytes(settings))
    problems = _central_directory_problems(entries, display_name, settings, 0, budget)
    if problems:
        raise UnsafeFileError(*problems)


def extract_nested(
    path: Path | str,
    dest_dir: Path | str,
    *,
    settings: Settings,
    display_name: str | None = None,
) -> list[ExtractedFile]:
    """Extract a zip and the zips inside it (up to ``settings.max_zip_depth`` levels).

    All files together may expand to at most ``settings.max_unzipped_mb``; an inner zip is
    deleted once extracted and does not count. Problems in every inner zip are collected and
    raised together.

    Parameters
    ----------
    path
        The uploaded zip.
    dest_dir
        An empty directory to extract into; created if missing. Each zip gets its own
        numbered sub-directory.
    settings
        As for :func:`safe_extract_zip`.
    display_name
        Name shown in messages; defaults to the file name.

    Returns
    -------
    list of ExtractedFile
        Every file that is not a zip, named through the zips it came from, e.g.
        ``"outer.zip/inner.zip/a.shp"``.

    Raises
    ------
    UnsafeFileError
        As for :func:`safe_extract_zip`, for the outer zip or any inner zip.
    """
    dest_dir = Path(dest_dir)
    budget = _ByteBudget(_total_cap_bytes(settings))
    extracted: list[ExtractedFile] = []
    problems: list[str] = []
    pending = [(Path(path), display_name or Path(path).name, 0)]
    zip_number = 0
    while pending:
        zip_path, zip_name, depth = pending.pop(0)
        zip_dest = dest_dir / f"zip{zip_number}"
        zip_number += 1
        if depth > 0:
            # The inner zip is deleted once opened: only the files it holds count against the cap.
            budget.remaining_bytes += zip_path.stat().st_size
        try:
            files = _extract_zip(
                zip_path,
                zip_dest,
                settings=settings,
                display_name=zip_name,
                depth=depth,
                budget=budget,
            )
        except UnsafeFileError as error:
            problems.extend(error.problems)
            continue
        finally:
            if depth > 0:
                zip_path.unlink()
        for file_path in files:
            file_name = f"{zip_name}/{printable(file_path.relative_to(zip_dest).as_posix())}"
            if _is_zip_name(file_path.name):
                pending.append((file_path, file_name, depth + 1))
            else:
                extracted.append(ExtractedFile(file_path, file_name))
    if problems:
        raise UnsafeFileError(*problems)
    return extracted


def reject_xml_hazards(data: bytes, display_name: str) -> None:
    """Refuse XML that declares a DOCTYPE (and so possibly entities) before it is parsed.

    A DOCTYPE is how XML external entities (XXE: reading ``file:///etc/passwd`` or fetching a
    URL) and entity expansion ("billion laughs") get in; KML never needs one. Only the prolog is
    looked at, so ``<!DOCTYPE html>`` inside a description's CDATA is fine.

    Parameters
    ----------
    data
        The raw XML bytes.
    display_name
        Name shown in messages.

    Raises
    ------
    UnsafeFileError
        ``"FILE: XML declares a DOCTYPE with ENTITY declarations, refused ... — ..."``.

    Examples
    --------
    >>> reject_xml_hazards(b'<?xml version="1.0"?><kml/>', "a.kml")
    """
    data = _as_utf8(data)
    if not _has_prolog_doctype(data):
        return
    # Entities can only be declared inside a DOCTYPE.
    what = "a DOCTYPE with ENTITY declarations" if b"<!ENTITY" in data else "a DOCTYPE"
    raise UnsafeFileError(
        f"{display_name}: XML declares {what}, refused (it can read local files, fetch URLs or "
        "exhaust memory: XXE, 'billion laughs') — export the file again without a DOCTYPE"
    )


# --- zip checks -----------------------------------------------------------------------------


def _extract_zip(
    path: Path,
    dest_dir: Path,
    *,
    settings: Settings,
    display_name: str,
    depth: int,
    budget: _ByteBudget,
) -> list[Path]:
    too_many = _check_declared_entry_count(path, display_name, settings)
    if too_many:
        raise UnsafeFileError(too_many)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, NotImplementedError) as error:
        # NotImplementedError: a (damaged) directory asking for a zip version zipfile lacks.
        raise UnsafeFileError(_not_a_zip(display_name, error)) from None
    with archive:
        entries = archive.infolist()
        problems = _central_directory_problems(entries, display_name, settings, depth, budget)
        if problems:
            raise UnsafeFileError(*problems)
        return _extract_entries(archive, entries, dest_dir, display_name, budget)


def _check_declared_entry_count(path: Path, display_name: str, settings: Settings) -> str | None:
    """Problem line if the end record declares too many entries, read before parsing them all.

    Parsing the central directory of a forged zip with millions of entries would take seconds;
    the end-of-central-directory record states their number in a few bytes at the file's end.
    """
    size_bytes = path.stat().st_size
    with path.open("rb") as file:
        file.seek(max(0, size_bytes - _EOCD_BYTES - _EOCD_MAX_COMMENT))
        tail = file.read()
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD_BYTES:
        return None  # not a zip: zipfile says so with its own message
    (declared_entries,) = struct.unpack_from("<H", tail, at + 10)
    return _entry_count_problem(declared_entries, display_name, settings)


def _entry_count_problem(entry_count: int, display_name: str, settings: Settings) -> str | None:
    if entry_count <= settings.max_zip_entries:
        return None
    # In the end record, 0xFFFF means "see the zip64 record": at least that many entries.
    count = f"{entry_count} or more" if entry_count == _ZIP64_MANY_ENTRIES else f"{entry_count}"
    return (
        f"{display_name}: {count} entries, more than the {settings.max_zip_entries} allowed "
        "— split it into smaller zips or raise PETA_MAX_ZIP_ENTRIES"
    )


def _central_directory_problems(
    entries: list[zipfile.ZipInfo],
    display_name: str,
    settings: Settings,
    depth: int,
    budget: _ByteBudget,
) -> list[str]:
    """Every problem visible in the central directory, without decompressing anything."""
    problems = []
    too_many = _entry_count_problem(len(entries), display_name, settings)
    if too_many:
        problems.append(too_many)
    seen_names: set[str] = set()
    for entry in entries:
        name = entry_name(entry)
        shown = printable(name)
        problems.extend(
            f"{display_name}: entry '{shown}' {p}" for p in _entry_problems(entry, name, settings)
        )
        if _is_skipped(name):
            continue
        if name.lower() in seen_names:
            problems.append(
                f"{display_name}: entry '{shown}' appears twice — create the zip again so that "
                "each file is in it once"
            )
        seen_names.add(name.lower())
        if _is_zip_name(name) and depth >= settings.max_zip_depth:
            problems.append(_nested_too_deep(display_name, shown, settings))
    declared_bytes = sum(entry.file_size for entry in entries)
    if declared_bytes > budget.remaining_bytes:
        problems.append(_total_too_large(display_name, declared_bytes, budget))
    return problems


def _entry_problems(entry: zipfile.ZipInfo, name: str, settings: Settings) -> list[str]:
    """Problems of one entry, each completing ``"FILE: entry 'NAME' ..."``."""
    problems = _path_problems(name)
    if stat.S_ISLNK(entry.external_attr >> 16):
        problems.append("is a symbolic link — zip the file itself, not a link to it")
    if entry.flag_bits & _FLAG_ENCRYPTED:
        problems.append("is encrypted — zip it again without a password")
    elif entry.flag_bits & _FLAG_UNREADABLE:
        problems.append(
            "uses patched data or strong encryption, which cannot be read — zip it again "
            "with ordinary (deflate) compression"
        )
    if entry.compress_type not in _READABLE_METHODS:
        problems.append(
            f"uses compression method {entry.compress_type}, which cannot be read — zip it again "
            "with ordinary (deflate) compression"
        )
    ratio = _compression_ratio(entry)
    if ratio > settings.max_zip_ratio:
        problems.append(
            f"expands {ratio:,.0f} times ({_mb(entry.file_size)} MB from "
            f"{entry.compress_size:,} bytes), more than the {settings.max_zip_ratio:g} times "
            "allowed (a zip bomb?) — zip the original files again or raise PETA_MAX_ZIP_RATIO"
        )
    return problems


def _path_problems(name: str) -> list[str]:
    """Absolute paths, ``..`` and overlong names, with ``\\`` taken as a separator too."""
    if name.startswith("/") or _WINDOWS_DRIVE.match(name):
        return ["has an absolute path — zip the files with paths relative to their folder"]
    parts = name.split("/")
    if ".." in parts:
        return ["points outside the zip ('..' in its path) — zip the files without '..' in paths"]
    if any(len(part.encode("utf-8")) > _MAX_NAME_PART_BYTES for part in parts):
        return [f"has a name longer than {_MAX_NAME_PART_BYTES} bytes — rename it and zip again"]
    return []


def _compression_ratio(entry: zipfile.ZipInfo) -> float:
    if entry.file_size < _RATIO_MIN_BYTES:
        return 0.0
    if entry.compress_size == 0:
        return float("inf")
    return entry.file_size / entry.compress_size


def _nested_too_deep(display_name: str, name: str, settings: Settings) -> str:
    levels = settings.max_zip_depth
    level_words = f"{_NUMBER_WORDS.get(levels, levels)} level{'s' if levels != 1 else ''}"
    return (
        f"{display_name}: entry '{name}' is a zip; zips nested more than {level_words} deep are "
        "not opened — unzip it and put its files in the zip directly"
    )


def _total_too_large(display_name: str, declared_bytes: int, budget: _ByteBudget) -> str:
    together = " together with the files already extracted" if budget.is_shared else ""
    return (
        f"{display_name}: entries expand to {_mb(declared_bytes)} MB{together}, more than the "
        f"{budget.total_bytes / BYTES_PER_MB:g} MB allowed — split it into smaller zips or raise "
        "PETA_MAX_UNZIPPED_MB"
    )


def _cap_reached(display_name: str, name: str, budget: _ByteBudget) -> str:
    return (
        f"{display_name}: extraction stopped at entry '{name}': more than the "
        f"{budget.total_bytes / BYTES_PER_MB:g} MB allowed in all — split it into smaller zips "
        "or raise PETA_MAX_UNZIPPED_MB"
    )


def _not_a_zip(display_name: str, error: Exception) -> str:
    return (
        f"{display_name}: not a readable zip file ({error}) — check that the upload finished, "
        "then zip the files again"
    )


# --- names ----------------------------------------------------------------------------------


def entry_name(entry: zipfile.ZipInfo) -> str:
    """An entry's name with ``/`` separators, decoding UTF-8 names not flagged as such.

    Zip tools on Windows often write UTF-8 names without setting the UTF-8 flag, so Python
    decodes them as cp437; a name that is valid UTF-8 once re-encoded is taken as UTF-8.

    Examples
    --------
    >>> info = zipfile.ZipInfo("PAKET BPJN 2025\\\\Jalan Tempino.shp")
    >>> entry_name(info)
    'PAKET BPJN 2025/Jalan Tempino.shp'
    """
    name = entry.filename
    if not entry.flag_bits & _FLAG_UTF8:
        try:
            name = name.encode("cp437").decode("utf-8")
        except UnicodeError:
            pass  # a genuine cp437 (or ASCII) name
    return name.replace("\\", "/")


def printable(text: str) -> str:
    r"""A name from an upload made safe for a one-line message: control characters become ``?``.

    Examples
    --------
    >>> printable("ruas\nbaru.shp")
    'ruas?baru.shp'
    """
    return "".join(character if character.isprintable() else "?" for character in text)


def _is_skipped(name: str) -> bool:
    """Directories, macOS resource forks (``__MACOSX/``, ``._*``): never extracted."""
    parts = PurePosixPath(name).parts
    return name.endswith("/") or not parts or "__MACOSX" in parts or parts[-1].startswith("._")


def _is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip")


# --- extraction -----------------------------------------------------------------------------


def _extract_entries(
    archive: zipfile.ZipFile,
    entries: list[zipfile.ZipInfo],
    dest_dir: Path,
    display_name: str,
    budget: _ByteBudget,
) -> list[Path]:
    dest_dir.mkdir(parents=True, exist_ok=True)
    root = dest_dir.resolve()
    extracted: list[Path] = []
    try:
        for entry in entries:
            name = entry_name(entry)
            if _is_skipped(name):
                continue
            target = _target_path(root, name, display_name)
            target.parent.mkdir(parents=True, exist_ok=True)
            extracted.append(target)
            _stream_entry(archive, entry, target, printable(name), display_name, budget)
    except UnsafeFileError:
        for done in extracted:
            done.unlink(missing_ok=True)
        raise
    return extracted


def _target_path(root: Path, name: str, display_name: str) -> Path:
    """Where an entry goes, refusing anything that would resolve outside ``root``."""
    target = root.joinpath(*PurePosixPath(name).parts)
    # The name checks already refused '..' and absolute paths; this also guards against a
    # symbolic link already present in the destination.
    if not target.parent.resolve().is_relative_to(root):
        raise UnsafeFileError(
            f"{display_name}: entry '{printable(name)}' would be written outside the extraction "
            "folder — zip the files with plain relative paths"
        )
    return target


def _stream_entry(
    archive: zipfile.ZipFile,
    entry: zipfile.ZipInfo,
    target: Path,
    name: str,
    display_name: str,
    budget: _ByteBudget,
) -> None:
    """Copy one entry in chunks, stopping as soon as it exceeds its declared size or the cap."""
    written_bytes = 0
    # "xb" creates a new file and never follows a symbolic link that may already be there.
    with target.open("xb") as out:
        try:
            source = archive.open(entry)
        except _DAMAGED_DATA_ERRORS as error:
            raise UnsafeFileError(_damaged(display_name, name, error)) from None
        with source:
            while chunk := _read_chunk(source, display_name, name):
                written_bytes += len(chunk)
                if written_bytes > entry.file_size:
                    raise UnsafeFileError(_larger_than_declared(display_name, name, entry))
                if written_bytes > budget.remaining_bytes:
                    raise UnsafeFileError(_cap_reached(display_name, name, budget))
                out.write(chunk)
    budget.remaining_bytes -= written_bytes


def _read_chunk(source: IO[bytes], display_name: str, name: str) -> bytes:
    try:
        return source.read(_CHUNK_BYTES)
    except _DAMAGED_DATA_ERRORS as error:
        raise UnsafeFileError(_damaged(display_name, name, error)) from None


def _damaged(display_name: str, name: str, error: Exception) -> str:
    return (
        f"{display_name}: entry '{name}' is damaged or does not match its declared size "
        f"({error}) — zip the files again"
    )


def _larger_than_declared(display_name: str, name: str, entry: zipfile.ZipInfo) -> str:
    return (
        f"{display_name}: entry '{name}' holds more data than the {entry.file_size:,} bytes "
        "its header declares (a forged zip?) — zip the files again"
    )


# --- small helpers --------------------------------------------------------------------------


def _total_cap_bytes(settings: Settings) -> int:
    return int(settings.max_unzipped_mb * BYTES_PER_MB)


def _mb(size_bytes: float) -> str:
    return f"{size_bytes / BYTES_PER_MB:,.1f}"


def _has_prolog_doctype(data: bytes) -> bool:
    """Whether a DOCTYPE declaration comes before the root element.

    The prolog may hold an XML declaration, comments, processing instructions and whitespace
    before it. A plain scan, not a regular expression, so that hostile input cannot make it slow.
    """
    position = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    while True:
        space = _XML_SPACE.match(data, position)
        position = space.end() if space else position
        for opening, closing in _PROLOG_SKIPPABLE:
            if data.startswith(opening, position):
                end = data.find(closing, position + len(opening))
                if end < 0:
                    return False
                position = end + len(closing)
                break
        else:
            return data.startswith(b"<!DOCTYPE", position)


def _as_utf8(data: bytes) -> bytes:
    """UTF-16/32 XML re-encoded as UTF-8 so the prolog can be read byte-wise."""
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace").encode("utf-8")
    return data
