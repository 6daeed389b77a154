"""The tiny district without population or staff figures: what a county's raw files often lack."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import tiny_grids, write_tiny_district


def write_bare_district(folder: Path) -> Path:
    """Write the tiny district into ``folder`` with no ``population`` or ``staff`` column."""
    write_tiny_district(folder, demo=True)
    grids = tiny_grids().drop(columns=["population", "staff"], errors="ignore")
    grids.to_file(folder / "grids.gpkg", driver="GPKG")
    return folder
