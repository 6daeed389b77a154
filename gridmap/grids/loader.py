"""Load a district data folder (docs/data-schema.md) into GeoDataFrames and check it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from gridmap.errors import DataError, Problem
from gridmap.grids.checks import (
    LEVEL_MISSING,
    check_geometry_types,
    check_grids,
    check_posts,
    check_roads,
)
from gridmap.grids.schema import (
    EXTENSIONS,
    GRIDS,
    LAYERS,
    LEVELS,
    META_FILE,
    POSTS,
    ROADS,
    WGS84,
    Layer,
)

#: Layer by file stem.
_BY_STEM: dict[str, Layer] = {layer.stem: layer for layer in LAYERS}
#: Integer columns that may not be negative.
_COUNTS = {"population", "staff", "officers", "ebikes"}
#: Column holding each layer's record id (the index of grids and posts).
_ID_COLUMN = {"grids": "grid_id", "posts": "post_id", "roads": "road_id"}


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


def _layer(layer: Layer | str) -> Layer:
    """Return the schema layer named by ``layer`` (a Layer or its stem)."""
    if isinstance(layer, Layer):
        return layer
    try:
        return _BY_STEM[layer]
    except KeyError:
        raise ValueError(
            f"unknown layer {layer!r}; expected one of {', '.join(_BY_STEM)}"
        ) from None


def find_layer_file(folder: str | Path, layer: Layer | str) -> Path | None:
    """Return the file holding ``layer`` in ``folder``, or None if there is none.

    Parameters
    ----------
    folder : str or Path
        District data folder.
    layer : Layer or str
        Schema layer or its stem (``"grids"``).

    Returns
    -------
    Path or None
        ``folder/<stem><ext>`` for the one extension of ``schema.EXTENSIONS`` present
        (matched case-insensitively).

    Raises
    ------
    DataError
        If more than one file is present for the stem (rule ``file-duplicate``).
    """
    stem = _layer(layer).stem
    folder = Path(folder)
    if not folder.is_dir():
        return None
    found = sorted(
        (p for p in folder.iterdir() if p.stem == stem and p.suffix.lower() in EXTENSIONS),
        key=lambda p: EXTENSIONS.index(p.suffix.lower()),
    )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        message = f"{len(found)} files for the {stem} layer ({names}); keep exactly one"
        raise DataError([Problem(found[0].name, "file-duplicate", message)])
    return found[0] if found else None


def read_layer(path: str | Path, layer: Layer | str) -> gpd.GeoDataFrame:
    """Read one layer file, reproject it to EPSG:4326 and coerce its columns to the schema.

    Parameters
    ----------
    path : str or Path
        A ``.gpkg`` (first spatial layer), ``.geojson``/``.json`` or ``.shp`` file.
    layer : Layer or str
        Schema layer or its stem, which sets the required columns and their types.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326. Grids are indexed by ``grid_id`` and posts by ``post_id``; text columns
        hold str (None where empty), integer columns ``Int64`` (``level`` ``int64``), float
        columns float; optional columns absent from the file are added with their defaults.

    Raises
    ------
    DataError
        If the file cannot be read, has no CRS, lacks a required column or has a value of
        the wrong type; every such problem is listed, each naming the file, record and column.
    """
    frame, problems = _read_layer(Path(path), _layer(layer))
    if problems:
        raise DataError(problems)
    return frame


def _read_layer(path: Path, layer: Layer) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """Return the coerced layer (None if unusable) and the problems found reading it."""
    name = path.name
    try:
        raw = _read_file(path)
    except (DataSourceError, DataLayerError, OSError, ValueError) as exc:
        return None, [Problem(name, "file-read", f"cannot read the file: {exc}")]
    if raw.crs is None:
        hint = " (add its .prj file)" if path.suffix.lower() == ".shp" else ""
        message = f"the file has no CRS{hint}; every layer needs one, any will do"
        return None, [Problem(name, "crs", message)]
    problems: list[Problem] = []
    missing = [c.name for c in layer.columns if c.required and c.name not in raw.columns]
    for column in missing:
        message = f"required column {column!r} is missing (columns: {', '.join(raw.columns)})"
        problems.append(Problem(name, "column-missing", message))
    id_column = _ID_COLUMN.get(layer.stem)
    if id_column in missing:
        return None, problems

    frame = (
        raw.to_crs(WGS84) if not raw.crs.equals(WGS84) else raw.set_crs(WGS84, allow_override=True)
    )
    frame = frame.reset_index(drop=True)
    rows = np.array([f"row {i + 1}" for i in range(len(frame))], dtype=object)
    labels = rows
    if id_column is not None and id_column in frame.columns:
        ids = _text(frame[id_column])
        blank = ids.isna().to_numpy()
        labels = np.where(blank, rows, ids.fillna("").to_numpy(dtype=object))
        frame[id_column] = pd.Series(labels, index=frame.index, dtype=object)
        if layer.stem in ("grids", "posts"):
            for i in np.nonzero(blank)[0]:
                problems.append(Problem(name, "column-type", f"{id_column} is empty", (rows[i],)))
            # A record without an id cannot be referred to: it is reported, then dropped.
            frame, labels = frame[~blank].copy(), labels[~blank]
    elif id_column is not None:
        frame[id_column] = pd.Series(rows, index=frame.index, dtype=object)

    off = _off_the_globe(frame.geometry)
    if off.any():
        message = (
            f"{int(off.sum())} record(s) fall outside longitude -180..180 / latitude -90..90 "
            f"once read as {raw.crs.to_string()}: is that the CRS the coordinates are in?"
        )
        return None, problems + [Problem(name, "crs", message, tuple(labels[off]))]

    for column in layer.columns:
        if column.name == id_column:
            continue
        present = column.name in frame.columns
        values = frame[column.name] if present else pd.Series(None, index=frame.index, dtype=object)
        if column.kind == "str":
            frame[column.name] = _text(values)
            if present and column.required and column.name != "parent_id":
                for i in np.nonzero(frame[column.name].isna().to_numpy())[0]:
                    message = f"{column.name} is empty"
                    problems.append(Problem(name, "column-type", message, (labels[i],)))
        elif column.kind == "int":
            frame[column.name], bad = _integers(values, column.name, labels, name)
            problems += bad
        else:
            frame[column.name], bad = _floats(values, column.name, labels, name)
            problems += bad

    frame = _defaults(frame, layer)
    if layer.stem in ("grids", "posts"):
        frame = frame.set_index(id_column)
    return frame, problems


def _off_the_globe(geometry: gpd.GeoSeries) -> np.ndarray:
    """Return the mask of EPSG:4326 geometries not within the valid lon/lat range."""
    bounds = shapely.bounds(np.asarray(geometry.array, dtype=object))
    with np.errstate(invalid="ignore"):
        inside = (
            (bounds[:, 0] >= -180)
            & (bounds[:, 2] <= 180)
            & (bounds[:, 1] >= -90)
            & (bounds[:, 3] <= 90)
        )
    # Missing and empty geometries have NaN bounds: they are the checks' business.
    return ~inside & ~np.isnan(bounds).all(axis=1)


def _read_file(path: Path) -> gpd.GeoDataFrame:
    """Read ``path`` with pyogrio, the first spatial layer of a GeoPackage."""
    if not path.is_file():
        raise OSError(f"{path} is not a file")
    options: dict = {}
    if path.suffix.lower() == ".gpkg":
        spatial = [str(n) for n, g in pyogrio.list_layers(path) if g]
        if not spatial:
            raise ValueError("the GeoPackage has no spatial layer")
        options["layer"] = spatial[0]
    return gpd.read_file(path, engine="pyogrio", **options)


def _text(values: pd.Series) -> pd.Series:
    """Return ``values`` as str (integral floats without ``.0``), None where null or blank."""

    def one(v: object) -> str | None:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return None
        if isinstance(v, float | np.floating) and float(v).is_integer():
            v = int(v)
        text = str(v).strip()
        return text or None

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def _show(value: object) -> str:
    """Return ``value`` as written in a problem: text quoted, numbers plain."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return str(value)


def _integers(
    values: pd.Series, column: str, labels: np.ndarray, file: str
) -> tuple[pd.Series, list[Problem]]:
    """Return ``values`` as Int64 (NA where bad) and a problem per unusable value."""
    given = _text(values).notna().to_numpy()
    number = pd.to_numeric(values.where(given), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan, copy=True
    )
    with np.errstate(invalid="ignore"):
        not_int = given & ~(np.isfinite(number) & (np.mod(number, 1) == 0))
        negative = given & ~not_int & (number < 0) & (column in _COUNTS)
    problems = []
    # ``level`` problems carry the ``level`` rule, the one they break.
    rule = "level" if column == "level" else "column-type"
    for i in np.nonzero(not_int | negative)[0]:
        what = "is not an integer" if not_int[i] else "is negative"
        message = f"{column} {_show(values.iloc[i])} {what}"
        problems.append(Problem(file, rule, message, (labels[i],)))
    number[not_int | negative] = np.nan
    return pd.Series(number, index=values.index).astype("Int64"), problems


def _floats(
    values: pd.Series, column: str, labels: np.ndarray, file: str
) -> tuple[pd.Series, list[Problem]]:
    """Return ``values`` as float (NaN where missing) and a problem per unusable value."""
    given = _text(values).notna().to_numpy()
    number = pd.to_numeric(values.where(given), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan, copy=True
    )
    bad = given & ~np.isfinite(number)
    problems = [
        Problem(
            file, "column-type", f"{column} {_show(values.iloc[i])} is not a number", (labels[i],)
        )
        for i in np.nonzero(bad)[0]
    ]
    return pd.Series(number, index=values.index), problems


def _defaults(frame: gpd.GeoDataFrame, layer: Layer) -> gpd.GeoDataFrame:
    """Fill the optional columns' defaults of ``layer``."""
    if "name_en" in frame.columns and "name_zh" in frame.columns:
        frame["name_en"] = frame["name_en"].where(frame["name_en"].notna(), frame["name_zh"])
    if layer is GRIDS:
        frame["code"] = frame["code"].where(frame["code"].notna(), frame["grid_id"])
        frame["pinyin"] = frame["pinyin"].fillna("")
        frame["kind"] = frame["kind"].fillna("")
        if not frame["level"].isna().any():
            frame["level"] = frame["level"].astype("int64")
    elif layer is POSTS:
        for column in ("officers", "ebikes"):
            frame[column] = frame[column].fillna(1).astype("int64")
    elif layer is ROADS:
        frame["name_zh"] = frame["name_zh"].fillna("")
    else:
        for column in ("name_zh", "name_en"):
            frame[column] = frame[column].fillna("")
    # Schema columns first, in schema order, then any extra ones, geometry last.
    schema = [c.name for c in layer.columns]
    extra = [c for c in frame.columns if c not in schema and c != frame.geometry.name]
    return frame[schema + extra + [frame.geometry.name]]


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
        message = f"expected_counts must map levels 1-5 to counts >= 0, got {counts!r}"
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
        frames[layer.stem], found = _read_layer(path, layer)
        problems += found

    meta: dict = {}
    if (folder / META_FILE).is_file():
        files[Path(META_FILE).stem] = folder / META_FILE
        meta, found = _read_meta(folder / META_FILE)
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
        problems += check_roads(frames["roads"], files["roads"].name)
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
