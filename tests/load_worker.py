"""Processes for the load tests (tests/test_load.py): upload clients, a reader, a big writer.

``python tests/load_worker.py upload STORE CLIENT N``: client CLIENT makes N uploads of 25 roads
each, through the path the upload page uses (``read_projects`` then ``import_result``, as the
client's agency editor). ``read STORE SECONDS``: reads the store over and over in one snapshot a
time and prints any upload seen with a partial set of records. ``big STORE N``: imports one file
of N roads, printing ``writing`` just before the transaction.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
from shapely import LineString

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.auth import Actor  # noqa: E402
from geo.read.projects import read_projects  # noqa: E402
from geo.store import open_store  # noqa: E402

ROADS_PER_UPLOAD = 25


def agency(client: int) -> str:
    return f"Dinas PUPR Kab. Beban {client:02d}"


def roads_file(folder: Path, client: int, upload: int, n: int) -> Path:
    """A GeoJSON of ``n`` short roads with ids unique to this client and upload."""
    x0, y0 = 103.0 + client * 0.02, -1.5 - upload * 0.01
    layer = gpd.GeoDataFrame(
        {
            "kode_paket": [f"B{client:02d}-{upload:03d}-{j:05d}" for j in range(n)],
            "nama_paket": [f"Pemeliharaan Jalan {client}-{upload}-{j}" for j in range(n)],
            "tahun": [2025] * n,
            "pagu": ["1.250.000.000,00"] * n,
        },
        geometry=[LineString([(x0, y0 - j * 1e-5), (x0 + 0.005, y0 - j * 1e-5)]) for j in range(n)],
        crs=4326,
    )
    path = folder / f"beban_{client:02d}_{upload:03d}.geojson"
    layer.to_file(path, driver="GeoJSON")
    return path


def upload(store_path: str, client: int, n_uploads: int) -> None:
    editor = Actor(f"kab{client:02d}", "editor", agency(client))
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(n_uploads):
            path = roads_file(Path(tmp), client, number, ROADS_PER_UPLOAD)
            result = read_projects(path, level="kabupaten", agency=agency(client))
            open_store(store_path).import_result(result, actor=editor)


def read(store_path: str, seconds: float) -> None:
    deadline, snapshots = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        with sqlite3.connect(store_path, timeout=60) as conn:
            conn.execute("BEGIN")  # one snapshot for both queries
            counts = dict(conn.execute("SELECT upload_id, COUNT(*) FROM projects GROUP BY 1"))
            uploads = dict(conn.execute("SELECT id, stored FROM uploads"))
            conn.execute("COMMIT")
        snapshots += 1
        for upload_id, stored in uploads.items():
            if counts.get(upload_id, 0) != stored:
                print(f"upload {upload_id}: {counts.get(upload_id, 0)} of {stored} records")
        for upload_id in set(counts) - set(uploads):
            print(f"records of upload {upload_id} without its upload row")
    print(f"snapshots {snapshots}")


def big(store_path: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = roads_file(Path(tmp), 99, 0, n)
        result = read_projects(path, level="kabupaten", agency=agency(99))
        print("writing", flush=True)
        open_store(store_path).import_result(result)
    print("done", flush=True)


if __name__ == "__main__":
    task, store = sys.argv[1], sys.argv[2]
    if task == "upload":
        upload(store, int(sys.argv[3]), int(sys.argv[4]))
    elif task == "read":
        read(store, float(sys.argv[3]))
    else:
        big(store, int(sys.argv[3]))
