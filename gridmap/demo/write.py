"""Write a built demo dataset to a folder (GeoPackages, duty.json, district.json, README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio

from gridmap.demo.build import DemoData
from gridmap.demo.duty import write_roster
from gridmap.grids.schema import META_FILE

#: Fixed GeoPackage timestamp, so two builds give byte-identical files.
GPKG_DATE = "2022-08-26T00:00:00.000Z"


def write_demo(data: DemoData, out: Path, readme: str | None = None) -> list[Path]:
    """Write ``data`` into folder ``out`` and return the written paths.

    Parameters
    ----------
    data : DemoData
        The layers and metadata from ``build_demo``.
    out : Path
        Target folder, created when missing; existing demo files are replaced.
    readme : str, optional
        Text of README.md; not written when None.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    try:
        for stem, gdf in (
            ("grids", data.grids),
            ("posts", data.posts),
            ("roads", data.roads),
            ("water", data.water),
        ):
            path = out / f"{stem}.gpkg"
            if path.exists():
                path.unlink()
            # No R-tree: the dashboard reads whole layers, and it would add a third to the size.
            gdf.to_file(path, layer=stem, driver="GPKG", engine="pyogrio", SPATIAL_INDEX="NO")
            written.append(path)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    # The duty roster (synthetic, labelled so) of the posts' officers and the grids' members.
    written.append(write_roster(data.grids, data.posts, out))
    meta = out / META_FILE
    meta.write_text(json.dumps(data.meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(meta)
    if readme is not None:
        (out / "README.md").write_text(readme, encoding="utf-8")
        written.append(out / "README.md")
    return written
