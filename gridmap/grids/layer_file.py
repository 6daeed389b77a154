"""Read one layer file (GeoPackage, GeoJSON, Shapefile) into EPSG:4326, checking its CRS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from gridmap.errors import DataError, Problem
from gridmap.grids.aliases import resolve_columns
from gridmap.grids.columns import ID_COLUMN, coerce_columns, record_labels
from gridmap.grids.encoding import shapefile_encoding
from gridmap.grids.road_classes import normalise_class
from gridmap.grids.schema import EXTENSIONS, LAYERS, ROAD_CLASSES, WGS84, Layer

#: Layer by file stem.
_BY_STEM: dict[str, Layer] = {layer.stem: layer for layer in LAYERS}


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
    frame, problems = read_layer_problems(Path(path), _layer(layer))
    if problems:
        raise DataError(problems)
    return frame


def read_layer_problems(
    path: Path,
    layer: Layer,
    mapping: dict[str, str] | None = None,
    encoding: str | None = None,
    notes: list[str] | None = None,
) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """Return the coerced layer (None if unusable) and the problems found reading it.

    Parameters
    ----------
    path : Path
        The layer file.
    layer : Layer
        Its schema layer.
    mapping : dict, optional
        ``district.json``'s column mapping of this layer (schema column -> file column);
        without it the common aliases of :mod:`gridmap.grids.aliases` are recognised.
    encoding : str, optional
        A Shapefile's text encoding forced by ``district.json``; else its ``.cpg``, else
        detected (:mod:`gridmap.grids.encoding`).
    notes : list of str, optional
        Receives what was decided on the way (mapping used, encoding, classes mapped), for
        ``app.py check`` to print.

    Returns
    -------
    frame : geopandas.GeoDataFrame or None
        As :func:`read_layer` returns it, or None when the file, its CRS or its ids are
        unusable.
    problems : list of Problem
        Every problem found; never raises on bad data.
    """
    name = path.name
    notes = [] if notes is None else notes
    options: dict = {}
    if path.suffix.lower() == ".shp":
        chosen, how = shapefile_encoding(path, encoding)
        if chosen:
            options["encoding"] = chosen
        if how == "detected":
            notes.append(f"{name}: text read as {chosen} (detected: no .cpg file)")
        elif how == "forced":
            notes.append(f"{name}: text read as {chosen} (encoding set in district.json)")
    try:
        raw = _read_file(path, **options)
    except (DataSourceError, DataLayerError, OSError, ValueError, LookupError) as exc:
        return None, [Problem(name, "file-read", f"cannot read the file: {exc}")]
    if raw.crs is None:
        hint = " (add its .prj file)" if path.suffix.lower() == ".shp" else ""
        message = f"the file has no CRS{hint}; every layer needs one, any will do"
        return None, [Problem(name, "crs", message)]
    renames, problems = resolve_columns(layer, raw.columns, mapping, name)
    if renames:
        raw = raw.rename(columns=renames)
        used = ", ".join(f"{schema} <- {source}" for source, schema in renames.items())
        notes.append(f"{name}: columns {used}")
    missing = [c.name for c in layer.columns if c.required and c.name not in raw.columns]
    for column in missing:
        message = f"required column {column!r} is missing (columns: {', '.join(raw.columns)})"
        problems.append(Problem(name, "column-missing", message))
    id_column = ID_COLUMN.get(layer.stem)
    if id_column in missing:
        return None, problems

    frame = (
        raw.to_crs(WGS84) if not raw.crs.equals(WGS84) else raw.set_crs(WGS84, allow_override=True)
    )
    frame, labels, problems_ids = record_labels(frame, layer, name)
    problems += problems_ids

    off = _off_the_globe(frame.geometry)
    if off.any():
        message = (
            f"{int(off.sum())} record(s) fall outside longitude -180..180 / latitude -90..90 "
            f"once read as {raw.crs.to_string()}: is that the CRS the coordinates are in?"
        )
        return None, problems + [Problem(name, "crs", message, tuple(labels[off]))]

    frame, problems_values = coerce_columns(frame, layer, labels, name)
    if layer.stem == "roads":
        frame = _road_classes(frame, name, notes)
    return frame, problems + problems_values


def _road_classes(frame: gpd.GeoDataFrame, name: str, notes: list[str]) -> gpd.GeoDataFrame:
    """Map written road classes onto the schema's; leave out roads an e-bike may not use."""
    mapped = [normalise_class(v, ROAD_CLASSES) for v in frame["road_class"]]
    if not any(done for _, done in mapped):
        return frame
    frame = frame.copy()
    frame["road_class"] = [value for value, _ in mapped]
    closed = frame["road_class"].isna() & pd.Series([d for _, d in mapped], index=frame.index)
    notes.append(f"{name}: road classes mapped ({sum(d for _, d in mapped)} segments)")
    if closed.any():
        notes.append(f"{name}: {int(closed.sum())} motorway segment(s) left out (no e-bikes)")
        frame = frame[~closed]
    return frame


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


def _read_file(path: Path, **options) -> gpd.GeoDataFrame:
    """Read ``path`` with pyogrio, the first spatial layer of a GeoPackage."""
    if not path.is_file():
        raise OSError(f"{path} is not a file")
    if path.suffix.lower() == ".gpkg":
        spatial = [str(n) for n, g in pyogrio.list_layers(path) if g]
        if not spatial:
            raise ValueError("the GeoPackage has no spatial layer")
        options["layer"] = spatial[0]
    return gpd.read_file(path, engine="pyogrio", **options)
