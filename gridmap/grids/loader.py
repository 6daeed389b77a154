"""Load a district data folder (docs/data-schema.md) into GeoDataFrames and check it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely

from gridmap.coverage.speeds_file import speeds_problems
from gridmap.errors import DataError, Problem
from gridmap.grids.aliases import check_mapping
from gridmap.grids.checks import (
    LEVEL_MISSING,
    check_geometry_types,
    check_grids,
    check_posts,
    check_roads,
)
from gridmap.grids.layer_file import find_layer_file, read_layer, read_layer_problems
from gridmap.grids.noding import node_roads
from gridmap.grids.schema import EXTENSIONS, LAYERS, LEVELS, LEVELS_TEXT, META_FILE
from gridmap.grids.wording import check_wording
from gridmap.incidents.categories import categories_problems
from gridmap.incidents.dispatch_config import dispatch_problems

__all__ = ["DistrictData", "check_folder", "find_layer_file", "load_folder", "read_layer"]


@dataclass
class DistrictData:
    """Every layer of one district folder, in EPSG:4326."""

    folder: Path
    grids: gpd.GeoDataFrame
    posts: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None
    meta: dict = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    #: What the loader decided on the way (column mapping, encodings, classes), for ``check``.
    notes: list[str] = field(default_factory=list)


def _read_meta(path: Path) -> tuple[dict, list[Problem]]:
    """Return the content of ``district.json`` and the problems with it."""
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, [Problem(path.name, "meta", f"cannot read the JSON: {exc}")]
    if not isinstance(meta, dict):
        return {}, [Problem(path.name, "meta", "the file must hold a JSON object")]
    counts = meta.get("expected_counts")
    if counts is None:
        return meta, []
    ok = isinstance(counts, dict) and all(
        str(k) in {str(v) for v in LEVELS} and isinstance(n, int) and n >= 0
        for k, n in counts.items()
    )
    if not ok:
        message = f"expected_counts must map levels {LEVELS_TEXT} to counts >= 0, got {counts!r}"
        return meta, [Problem(path.name, "meta", message)]
    return meta, []


def check_folder(folder: str | Path) -> tuple[DistrictData | None, list[Problem]]:
    """Load a district folder and run every check, collecting all problems.

    Parameters
    ----------
    folder : str or Path
        District data folder (``GRIDMAP_DATA_DIR``).

    Returns
    -------
    data : DistrictData or None
        The layers as read (possibly with bad values as NA), or None when the grids could
        not be read at all.
    problems : list of Problem
        Every broken rule; empty when the folder is good. Never raises on bad data.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None, [Problem(str(folder), "folder", "the data folder does not exist")]
    problems: list[Problem] = []
    files: dict[str, Path] = {}
    notes: list[str] = []
    meta: dict = {}
    if (folder / META_FILE).is_file():
        files[Path(META_FILE).stem] = folder / META_FILE
        meta, found = _read_meta(folder / META_FILE)
        problems += found
    mapping, found = check_mapping(meta)
    problems += found
    problems += check_wording(meta)
    problems += categories_problems(folder)
    problems += dispatch_problems(folder, meta)
    problems += speeds_problems(folder)
    encoding = meta.get("encoding") if isinstance(meta.get("encoding"), str) else None
    frames: dict[str, gpd.GeoDataFrame | None] = {}
    for layer in LAYERS:
        try:
            path = find_layer_file(folder, layer)
        except DataError as exc:
            problems += exc.problems
            frames[layer.stem] = None
            continue
        if path is None:
            if layer.required:
                exts = "/".join(EXTENSIONS)
                message = f"no {layer.stem}{exts} file in {folder}"
                problems.append(Problem(f"{layer.stem}.*", "file-missing", message))
            frames[layer.stem] = None
            continue
        files[layer.stem] = path
        frames[layer.stem], found = read_layer_problems(
            path, layer, mapping.get(layer.stem), encoding, notes
        )
        problems += found

    grids = frames["grids"]
    outline = None
    name = files["grids"].name if "grids" in files else ""
    complete = not any(p.file == name and p.rule == "column-missing" for p in problems)
    if grids is not None and complete:
        # A level the reader already reported as unreadable is not reported again as missing.
        unreadable = {p.ids for p in problems if p.file == name and p.rule == "level"}
        expected = (
            meta.get("expected_counts") if not any(p.rule == "meta" for p in problems) else None
        )
        problems += [
            p
            for p in _guarded(check_grids, name, grids, name, expected)
            if not (p.rule == "level" and p.message == LEVEL_MISSING and p.ids in unreadable)
        ]
        top = grids[(grids["level"] == 1).fillna(False).to_numpy(dtype=bool)]
        if len(top) == 1 and top.geometry.iloc[0] is not None:
            outline = top.geometry.iloc[0]
    if frames["posts"] is not None:
        name = files["posts"].name
        problems += _guarded(check_posts, name, frames["posts"], outline, name)
    if frames["roads"] is not None:
        name = files["roads"].name
        problems += check_roads(frames["roads"], name)
        # The road graph joins segments at shared end points only: split where they meet.
        frames["roads"], junctions = node_roads(frames["roads"])
        if junctions:
            notes.append(
                f"{name}: {junctions} junction(s) where roads met without a shared point: "
                "split there"
            )
    if frames["water"] is not None:
        water = frames["water"]
        problems += check_geometry_types(water, ("Polygon", "MultiPolygon"), files["water"].name)
    if grids is None:
        return None, problems
    data = DistrictData(
        folder=folder,
        grids=grids,
        posts=frames["posts"],
        roads=frames["roads"],
        water=frames["water"],
        meta=meta,
        files=files,
        notes=notes,
    )
    return data, problems


def _guarded(check: Callable[..., list[Problem]], file: str, *args: object) -> list[Problem]:
    """Run ``check``, turning a GEOS failure on odd geometry into a problem, not a crash."""
    try:
        return check(*args)
    except shapely.errors.GEOSException as exc:
        message = f"a geometry operation failed while checking ({exc}); repair the geometries"
        return [Problem(file, "geometry-valid", message)]


def load_folder(folder: str | Path) -> DistrictData:
    """Load a district folder, refusing it if any rule is broken.

    Parameters
    ----------
    folder : str or Path
        District data folder (``GRIDMAP_DATA_DIR``).

    Returns
    -------
    DistrictData
        Every layer in EPSG:4326.

    Raises
    ------
    DataError
        Listing every problem found by :func:`check_folder`, if there is any.
    """
    data, problems = check_folder(folder)
    if problems or data is None:
        raise DataError(problems)
    return data
