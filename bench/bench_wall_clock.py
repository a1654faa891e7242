"""Benchmark: the speeds tests used to assert, measured against their budgets.

Run: ``.venv/bin/python bench/bench_wall_clock.py [--repeat 3]``. Prints, for each, the best of
``--repeat`` runs in seconds, its budget, and the ratio to a baseline measured in the same run
(reading the bytes of a 1 MB file, a fixed small task), so a busy machine shows as a slower
baseline rather than as a failure:

- demo region generation (``make_demo_region``; budget 2 s);
- a forged 2 GB zip bomb refused by ``safe_extract_zip`` (budget 1 s);
- a real 50 MB zip bomb refused before anything is written (budget 1 s);
- the same bomb refused through ``python -m geo import`` in this process (budget 1 s).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import struct
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli import main  # noqa: E402
from geo.demo.region import make_demo_region  # noqa: E402
from geo.errors import UnsafeFileError  # noqa: E402
from geo.read.safety import safe_extract_zip  # noqa: E402
from geo.settings import Settings  # noqa: E402


def _best_s(task: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return min(times)


def _forged_bomb(folder: Path) -> Path:
    bomb = folder / "forged.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", bytes(1_000_000))
    data = bytearray(bomb.read_bytes())
    for magic, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(magic)
        data[at + offset : at + offset + 4] = struct.pack("<I", 2_000_000_000)
    bomb.write_bytes(bytes(data))
    return bomb


def _real_bomb(folder: Path) -> Path:
    bomb = folder / "real.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("zeros.bin", "w") as entry:
            for _ in range(50):
                entry.write(bytes(1_000_000))
    return bomb


def _refused(bomb: Path, dest: Path) -> None:
    with contextlib.suppress(UnsafeFileError):
        safe_extract_zip(bomb, dest, settings=Settings())
    assert not dest.exists(), "a refused zip must leave nothing behind"


def _cli_refused(bomb: Path, store: Path) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        code = main(["import", str(bomb), "--level", "pusat", "--store", str(store)])
    assert code == 2


def main_bench(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="peta-bench-") as tmp:
        folder = Path(tmp)
        baseline_file = folder / "baseline.bin"
        baseline_file.write_bytes(bytes(1_000_000))
        baseline = _best_s(baseline_file.read_bytes, args.repeat)
        forged, real = _forged_bomb(folder), _real_bomb(folder)
        tasks = [
            ("demo region generation", 2.0, lambda: make_demo_region(99)),
            ("forged 2 GB bomb refused", 1.0, lambda: _refused(forged, folder / "out1")),
            ("real 50 MB bomb refused", 1.0, lambda: _refused(real, folder / "out2")),
            ("bomb refused by the CLI", 1.0, lambda: _cli_refused(real, folder / "s.gpkg")),
        ]
        print(f"{'task':28} {'best s':>8} {'budget s':>9} {'x baseline':>11}  verdict")
        for name, budget, task in tasks:
            best = _best_s(task, args.repeat)
            verdict = "ok" if best <= budget else "OVER"
            print(f"{name:28} {best:8.3f} {budget:9.1f} {best / baseline:11.0f}  {verdict}")
        print(f"baseline: reading 1 MB, {baseline * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main_bench())
