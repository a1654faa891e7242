"""Read one shapefile as agencies send it: sidecars in any case, any text encoding.

The DBF's text encoding is settled before reading: the ``.cpg`` is honoured when the bytes agree
with it; without a ``.cpg`` (or with a wrong one) UTF-8 is tried, then cp1252, then latin-1,
and the choice is reported. Characters are never replaced silently.
"""

from __future__ import annotations

import codecs
import shutil
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyogrio

from geo.errors import GeoInputError
from geo.read.import_report import ImportReport

__all__ = ["dbf_text_bytes", "detect_encoding", "read_shapefile"]

if TYPE_CHECKING:
    from geo.read.layer import RawLayer

_CPG_ALIASES = {
    "1252": "cp1252",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "ansi 1252": "cp1252",
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "65001": "utf-8",
    "88591": "latin-1",
    "iso-8859-1": "latin-1",
    "iso88591": "latin-1",
    "latin1": "latin-1",
    "28591": "latin-1",
}
# Bytes cp1252 leaves undefined: text holding them is latin-1 rather than cp1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# GDAL (iconv) spellings of the Python codec names chosen here; GDAL does not know "latin-1".
_GDAL_ENCODING = {"latin-1": "ISO-8859-1"}


def read_shapefile(parts: dict[str, Path], name: str, tmp: Path, report: ImportReport) -> RawLayer:
    """Read a shapefile from its parts (``{".shp": path, ".dbf": path, ...}``).

    Parameters
    ----------
    parts
        Sidecar suffix (lower case) -> file, matched case-insensitively by the caller.
    name
        Layer name for the report, e.g. ``"paket.zip/PAKET 2025/ruas"``.
    tmp
        Scratch directory: the parts are copied there under lower-case names so GDAL finds
        every sidecar whatever case the zip used.
    report
        Receives encoding and sidecar notes.
    """
    from geo.read.layer import RawLayer, read_features

    if ".dbf" not in parts:
        raise GeoInputError(f"{name}: .dbf missing, so every attribute is missing; add the .dbf")
    folder = tmp / f"shp{len(list(tmp.glob('shp*')))}"
    folder.mkdir(parents=True)
    for suffix, path in parts.items():
        shutil.copyfile(path, folder / f"layer{suffix}")
    shp = folder / "layer.shp"
    options = {}
    if ".shx" not in parts:
        report.note(f"{name}: .shx missing; index rebuilt from the .shp")
        options["SHAPE_RESTORE_SHX"] = "YES"
    encoding = _settle_encoding(folder / "layer.dbf", parts.get(".cpg"), name, report)
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(options)
    try:
        gdal_encoding = _GDAL_ENCODING.get(encoding, encoding)
        frame, unbuilt = read_features(shp, name, report, encoding=gdal_encoding)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise GeoInputError(
            f"{name}: not a readable shapefile ({str(exc).splitlines()[0]})"
        ) from None
    finally:
        pyogrio.set_gdal_config_options(previous)
    if ".prj" not in parts:
        frame = frame.set_crs(None, allow_override=True)
    return RawLayer(
        name, frame, crs_declared=".prj" in parts and frame.crs is not None, rejected=unbuilt
    )


def _settle_encoding(dbf: Path, cpg: Path | None, name: str, report: ImportReport) -> str:
    text = dbf_text_bytes(dbf)
    declared = None
    if cpg is not None:
        raw = cpg.read_bytes().decode("ascii", "replace").strip().lower()
        declared = _CPG_ALIASES.get(raw) or _python_codec(raw)
        if declared is None:
            report.note(f"{name}: .cpg names an unknown encoding {raw!r}; detected instead")
    if declared and _decodes(text, declared) and not _utf8_hidden_in_8bit(text, declared):
        return declared
    detected = detect_encoding(text)
    if declared:
        report.note(
            f"{name}: the .cpg says {declared} but the text is not; read as {detected} "
            "(check names with accents or dashes)"
        )
    elif detected != "ascii":
        report.note(f"{name}: no .cpg; text encoding detected as {detected}")
    return "utf-8" if detected == "ascii" else detected


def _python_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decodes(text: bytes, encoding: str) -> bool:
    try:
        text.decode(encoding)
    except UnicodeDecodeError:
        return False
    return encoding != "cp1252" or not (_CP1252_UNDEFINED & set(text))


def _utf8_hidden_in_8bit(text: bytes, declared: str) -> bool:
    """A .cpg saying an 8-bit code page over text that is really UTF-8 (mojibake otherwise)."""
    if declared == "utf-8" or text.isascii():
        return False
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(text: bytes) -> str:
    """``ascii``, ``utf-8``, ``cp1252`` or ``latin-1``: the first that decodes every byte."""
    if text.isascii():
        return "ascii"
    for encoding in ("utf-8", "cp1252"):
        if _decodes(text, encoding):
            return encoding
    return "latin-1"


def dbf_text_bytes(dbf: Path) -> bytes:
    """The bytes of every character field of a DBF file, concatenated.

    Parses the dBase III header (record count, header and record length, field descriptors),
    so encoding detection looks at text fields only, not at numbers or the header.
    """
    data = dbf.read_bytes()
    if len(data) < 32:
        return b""
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    # A damaged header may claim more bytes than the file holds: read what is there.
    header_len = min(header_len, len(data))
    fields, offset, pos = [], 1, 32
    while pos + 32 <= header_len and data[pos] != 0x0D:
        ftype, flen = chr(data[pos + 11]), data[pos + 16]
        if ftype in "CM":
            fields.append((offset, flen))
        offset += flen
        pos += 32
    n_records = min(n_records, (len(data) - header_len) // max(record_len, 1))
    if not fields or n_records <= 0:
        return b""
    table = np.frombuffer(data, dtype=np.uint8, count=n_records * record_len, offset=header_len)
    table = table.reshape(n_records, record_len)
    return np.concatenate([table[:, o : o + n] for o, n in fields], axis=1).tobytes()
