"""A first ``district.json`` for a folder of a county's files: the mapping found, levels, counts.

``python app.py init DIR`` writes it for the user to review (cli/init_district.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from gridmap.errors import DataError, Problem
from gridmap.grids.aliases import resolve_columns
from gridmap.grids.encoding import shapefile_encoding
from gridmap.grids.layer_file import _read_file, find_layer_file
from gridmap.grids.schema import LAYERS, LEVELS, META_FILE

#: Level names written when the file says nothing (``level_names`` in district.json).
DEFAULT_LEVEL_NAMES: dict[str, dict[str, str]] = {
    "1": {"zh": "区", "en": "District"},
    "2": {"zh": "乡镇（街道）", "en": "Township"},
    "3": {"zh": "村（社区）", "en": "Village"},
    "4": {"zh": "四级网格", "en": "Level-4 grid"},
    "5": {"zh": "五级网格", "en": "Level-5 grid"},
}


#: The kind of a district by the last character of its name (淮阳区, 鹿邑县, 项城市).
KINDS: dict[str, dict[str, str]] = {
    "区": {"zh": "区", "en": "District"},
    "县": {"zh": "县", "en": "County"},
    "市": {"zh": "市", "en": "City"},
    "旗": {"zh": "旗", "en": "Banner"},
}


def level_names_for(name_zh: str) -> dict[str, dict[str, str]]:
    """Return the default level names with level 1 named by the district's kind (县 for 某县)."""
    kind = KINDS.get(name_zh.strip()[-1:]) if name_zh else None
    return {**DEFAULT_LEVEL_NAMES, "1": dict(kind or DEFAULT_LEVEL_NAMES["1"])}


def _columns(path: Path) -> tuple[list[str], str | None]:
    """Return the column names of a layer file and the Shapefile encoding used (None: default)."""
    options: dict = {}
    encoding = None
    if path.suffix.lower() == ".shp":
        encoding, _how = shapefile_encoding(path)
        if encoding:
            options["encoding"] = encoding
    frame = _read_file(path, rows=slice(0, 1000), **options)
    return [c for c in frame.columns if c != frame.geometry.name], encoding


def _frame(path: Path, encoding: str | None) -> pd.DataFrame:
    options = {"encoding": encoding} if encoding else {}
    frame = _read_file(path, **options)
    return pd.DataFrame(frame.drop(columns=frame.geometry.name))


def inspect_folder(folder: str | Path) -> tuple[dict, list[str]]:
    """Return (a proposed ``district.json``, what was found) for a folder of layer files.

    The proposal holds the column mapping of every layer whose columns are not the schema's
    own (``columns``), the level names (:data:`DEFAULT_LEVEL_NAMES`, level 1 by the
    district's kind: :func:`level_names_for`), the number of grids per
    level (``expected_counts``), the Shapefile encoding when one was detected, and the
    district's name (the level-1 grid's).

    Raises
    ------
    DataError
        When the folder does not exist, has no grids file, or a column cannot be told apart
        (every problem listed).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError([Problem(str(folder), "folder", "the data folder does not exist")])
    meta: dict = {"name_zh": "", "name_en": "", "demo": False}
    columns: dict[str, dict[str, str]] = {}
    found: list[str] = []
    problems: list[Problem] = []
    grids: pd.DataFrame | None = None
    for layer in LAYERS:
        path = find_layer_file(folder, layer)
        if path is None:
            found.append(f"{layer.stem}: no file")
            continue
        try:
            present, encoding = _columns(path)
        except (OSError, ValueError, LookupError) as exc:
            problems.append(Problem(path.name, "file-read", f"cannot read the file: {exc}"))
            continue
        if encoding:
            meta["encoding"] = encoding
            found.append(f"{path.name}: text read as {encoding} (detected)")
        renames, bad = resolve_columns(layer, present, None, path.name)
        problems += bad
        if renames:
            columns[layer.stem] = {schema: source for source, schema in renames.items()}
            used = ", ".join(f"{schema} <- {source}" for source, schema in renames.items())
            found.append(f"{path.name}: columns {used}")
        else:
            found.append(f"{path.name}: schema column names")
        missing = [
            c.name
            for c in layer.columns
            if c.required and c.name not in present and c.name not in renames.values()
        ]
        if missing:
            problems.append(
                Problem(
                    path.name,
                    "column-missing",
                    f"no column found for {', '.join(missing)} (columns: {', '.join(present)}):"
                    f' name it in {META_FILE} ("columns": {{"{layer.stem}": {{...}}}})',
                )
            )
        elif layer.stem == "grids":
            grids = _frame(path, encoding).rename(columns=renames)
    if grids is None and not problems:
        problems.append(Problem(str(folder), "file-missing", "no grids file (grids.gpkg, ...)"))
    if problems:
        raise DataError(problems)
    assert grids is not None
    levels = pd.to_numeric(grids["level"], errors="coerce")
    meta["expected_counts"] = {str(lv): int((levels == lv).sum()) for lv in LEVELS}
    top = grids[levels == LEVELS[0]]
    if len(top) and "name_zh" in top.columns:
        meta["name_zh"] = str(top["name_zh"].iloc[0] or "")
    if len(top) and "name_en" in top.columns and pd.notna(top["name_en"].iloc[0]):
        meta["name_en"] = str(top["name_en"].iloc[0])
    meta["level_names"] = level_names_for(meta["name_zh"])
    kind = meta["level_names"]["1"]["zh"]
    if kind != DEFAULT_LEVEL_NAMES["1"]["zh"]:
        found.append(f"level 1 named {kind} (the district is {meta['name_zh']})")
    if columns:
        meta["columns"] = columns
    for field in ("population", "staff"):
        if field not in grids.columns or grids[field].isna().all():
            found.append(f"grids: no {field} figures (metrics needing them are shown by area)")
    return meta, found


def write_district_json(folder: str | Path, force: bool = False) -> tuple[Path, dict, list[str]]:
    """Write :func:`inspect_folder`'s proposal to ``folder/district.json``.

    Raises
    ------
    FileExistsError
        When the file exists and ``force`` is False (it is never overwritten silently).
    DataError
        As :func:`inspect_folder`.
    """
    target = Path(folder) / META_FILE
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; review it, or pass --force to replace it")
    meta, found = inspect_folder(folder)
    target.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return target, meta, found
