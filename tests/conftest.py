"""Shared fixtures: paths to the shared sample files and a fresh store per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SAMPLES = SHARED / "samples"
REFERENCE = SHARED / "reference"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def samples() -> Path:
    """The illustrative agency files in ``../shared/data/samples``."""
    if not SAMPLES.is_dir():
        pytest.fail(f"{SAMPLES} is missing: tests read the shared samples from beside the repo")
    return SAMPLES


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Path of a store that does not exist yet."""
    return tmp_path / "store" / "peta.gpkg"
