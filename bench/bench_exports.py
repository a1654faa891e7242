"""Benchmark: every meeting export of the demo store, against the 3 s budget of issue 6.

Run: ``.venv/bin/python bench/bench_exports.py [--repeat 3]``. It builds the demo store in a
temporary folder, then for each export prints

- ``warm s``: the best of ``--repeat`` runs of ``python -m geo export-... --store DEMO``
  in this process (read the store, all analyses, make the file, write it): what the Ekspor
  page and a second CLI call pay;
- ``cold s``: one run of the same command in a new Python process (imports, fonts, everything):
  what a first CLI call pays;

and the file's size, plus the PDF page counts and the PNG's pixel size. Budget: 3 s each,
warm. The machine is shared: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli import main  # noqa: E402
from geo.demo.build import build_demo  # noqa: E402

#: (command, output file) per export.
EXPORTS = (
    ("export-map", "peta.png"),
    ("export-map", "peta.pdf"),
    ("export-report", "bahan-rapat.pdf"),
    ("export-report", "laporan.xlsx"),
    ("export-report", "temuan.gpkg"),
    ("export-report", "temuan.geojson"),
    ("export-report", "proyek-oc4ids.json"),
)
BUDGET_S = 3.0


def _run_quietly(args: list[str]) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(args)
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"{' '.join(args)} failed with exit code {code}")
    return elapsed


def _cold(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def _describe(path: Path) -> str:
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return f"{len(PdfReader(path).pages)} pages"
    if path.suffix == ".png":
        from PIL import Image

        with Image.open(path) as image:
            return f"{image.size[0]}x{image.size[1]} px"
    return ""


def main_bench(repeat: int) -> int:
    with tempfile.TemporaryDirectory(prefix="peta-bench-") as tmp:
        folder = Path(tmp)
        store = build_demo(folder / "demo.gpkg")
        _run_quietly(["export-map", "--store", str(store), "--out", str(folder / "warmup.png")])
        print(f"demo store: {store.name}; best of {repeat} warm runs, one cold process each")
        print(f"{'export':<34} {'warm s':>7} {'cold s':>7} {'size kB':>8}  notes")
        over = 0
        for command, name in EXPORTS:
            out = folder / name
            args = [command, "--store", str(store), "--out", str(out)]
            warm = min(_run_quietly(args) for _ in range(repeat))
            cold = _cold(args)
            flag = "" if warm <= BUDGET_S else f"  OVER {BUDGET_S:g} s"
            over += warm > BUDGET_S
            label = f"{command} {name}"
            size = out.stat().st_size / 1e3
            print(f"{label:<34} {warm:7.2f} {cold:7.2f} {size:8.0f}  {_describe(out)}{flag}")
        print(f"{len(EXPORTS) - over}/{len(EXPORTS)} exports within {BUDGET_S:g} s (warm)")
    return 1 if over else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per export")
    sys.exit(main_bench(parser.parse_args().repeat))
