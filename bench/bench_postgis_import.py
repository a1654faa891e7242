"""Benchmark: one import of N road features into the GeoPackage store and into PostGIS.

Run: ``.venv/bin/python bench/bench_postgis_import.py [N ...]`` (default 100000). The file
(a zipped shapefile of wiggly roads, :func:`bench_import.make_zip`) is read once with every
check; then the same :class:`~geo.read.projects.ReadResult` is imported into a new GeoPackage store and
into a new database of a private PostGIS cluster (``tests/postgis_support.py``; needs Debian's
``postgresql-15-postgis-3``). It prints both import times, the ratio PostGIS / GeoPackage
(target: at most 2) and how far the store's version moved (one import: 1). The machine is
shared: compare the ratio, not seconds.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import make_zip  # noqa: E402

from geo.read.projects import read_projects  # noqa: E402
from geo.settings import Settings  # noqa: E402
from geo.store import open_store  # noqa: E402
from geo.store.postgis import PostGISStore  # noqa: E402
from tests.postgis_support import PrivateCluster  # noqa: E402


def main(sizes: list[int]) -> None:
    cluster = PrivateCluster().start()
    try:
        print(
            f"{'features':>9} {'read s':>7} {'gpkg s':>7} {'postgis s':>10} {'ratio':>6} {'bumps':>6}"
        )
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                archive = make_zip(n, folder)
                # A national file is bigger than the default upload cap: raised as an operator would.
                settings = dataclasses.replace(Settings.from_env(), max_upload_mb=2_000.0)
                start = time.perf_counter()
                result = read_projects(archive, level="pusat", settings=settings)
                t_read = time.perf_counter() - start
                assert result.report.counts["stored"] == n

                gpkg = open_store(folder / "store.gpkg")
                start = time.perf_counter()
                gpkg.import_result(result)
                t_gpkg = time.perf_counter() - start
                assert len(gpkg.load_projects()) == n
                gpkg.close()

                postgis = PostGISStore(cluster.new_database())
                before = postgis.version()[1]
                start = time.perf_counter()
                postgis.import_result(result)
                t_postgis = time.perf_counter() - start
                bumps = postgis.version()[1] - before
                assert len(postgis.load_projects()) == n
                postgis.close()
                print(
                    f"{n:>9} {t_read:>7.2f} {t_gpkg:>7.2f} {t_postgis:>10.2f} "
                    f"{t_postgis / t_gpkg:>6.2f} {bumps:>6}"
                )
    finally:
        cluster.stop()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000])
