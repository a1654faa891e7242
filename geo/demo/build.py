"""Build the illustrative demo store (DESIGN section 2, ``data/``).

The demo region is made up by :mod:`geo.demo.region` — not official data — and goes into the
store the way agencies' files do: each agency's projects are written to a GeoPackage file and
imported through :func:`geo.read.projects.read_projects`, so the demo exercises the real reader.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyogrio

from geo.errors import GeoInputError
from geo.read.projects import read_projects
from geo.read.reference import canonical_from_frame
from geo.store.gpkg import GeoPackageStore

__all__ = ["build_demo", "DEMO_NOTICE", "DEMO_PREFIX", "ensure_demo_store"]

#: Every demo upload's file name starts with this, so a real store is never overwritten.
DEMO_PREFIX = "contoh-ilustratif/"
DEMO_NOTICE = "Data contoh (ilustratif) — bukan data resmi"


def build_demo(path: str | Path, *, seed: int = 2025) -> Path:
    """(Re)build the demo store at ``path`` and return the path.

    Raises
    ------
    GeoInputError
        ``path`` holds uploads that are not demo data: a real store is never replaced.
    """
    from geo.demo.region import make_demo_region

    path = Path(path)
    if path.exists():
        uploads = GeoPackageStore(path).list_uploads()
        real = uploads[~uploads["file_name"].str.startswith(DEMO_PREFIX)]
        if len(real):
            raise GeoInputError(
                f"{path}: holds {len(real)} uploads that are not demo data; the demo is built "
                "only into a new or demo store — pass --store with another path"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    region = make_demo_region(seed)
    store = GeoPackageStore(path)  # the demo is a GeoPackage file
    for kind, layer in (
        ("admin_units", region.admin_units),
        ("roads", region.roads),
        ("irrigation_areas", region.irrigation_areas),
    ):
        store.replace_reference(kind, canonical_from_frame(kind, layer, source=f"demo {kind}"))
    with tempfile.TemporaryDirectory(prefix="peta-demo-") as tmp:
        for upload in region.uploads:
            file = Path(tmp) / Path(upload.file_name).with_suffix(".gpkg").name
            pyogrio.write_dataframe(upload.projects, file, layer="paket", driver="GPKG")
            result = read_projects(
                file, display_name=DEMO_PREFIX + file.name, level=upload.level, agency=upload.agency
            )
            if result.report.counts["rejected"]:
                raise RuntimeError(
                    f"demo data rejected by the reader:\n{result.report.format_text()}"
                )
            store.import_result(result)
    store.mark_demo()
    return path


def ensure_demo_store(path: str | Path) -> Path:
    """Build the demo store at ``path`` unless a store is already there.

    A store built before demo stores were marked (every upload demo data) is marked now.
    """
    path = Path(path)
    if not path.exists():
        build_demo(path)
        return path
    store = GeoPackageStore(path)  # the demo is a GeoPackage file
    if not store.is_demo():
        uploads = store.list_uploads()
        if len(uploads) and uploads["file_name"].str.startswith(DEMO_PREFIX).all():
            store.mark_demo()
    return path
