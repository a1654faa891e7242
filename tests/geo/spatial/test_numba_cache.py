"""The compiled loops are cached outside the source tree and loaded, not compiled, again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from geo.settings import numba_cache_dir

ROOT = Path(__file__).resolve().parents[3]

_RUN = """
import json, numba
import geo.spatial.segments as segments
from geo.spatial import _loops
segments.compile_loops()
loops = [v for v in vars(_loops).values() if isinstance(v, numba.core.registry.CPUDispatcher)]
print(json.dumps({
    "cache_dir": numba.config.CACHE_DIR,
    "hits": sum(sum(d.stats.cache_hits.values()) for d in loops),
    "misses": sum(sum(d.stats.cache_misses.values()) for d in loops),
}))
"""


def _compile_in_new_process(cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["PETA_NUMBA_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", _RUN], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_second_process_loads_the_loops_from_the_project_cache(tmp_path):
    cache = tmp_path / "numba"
    first = _compile_in_new_process(cache)
    assert first["cache_dir"] == str(cache)
    assert first["misses"] > 0  # an empty cache: compiled, then saved
    assert list(cache.rglob("*.nbi"))
    second = _compile_in_new_process(cache)
    assert second["misses"] == 0
    assert second["hits"] > 0


def test_the_cache_is_under_the_users_cache_unless_named():
    assert numba_cache_dir({"PETA_NUMBA_CACHE_DIR": "/srv/peta/numba"}) == Path("/srv/peta/numba")
    assert numba_cache_dir({}) == Path.home() / ".cache" / "peta-sinergi" / "numba"
