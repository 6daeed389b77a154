"""Coerce a layer's columns to the schema: record ids, str/int/float values, defaults."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.errors import Problem
from gridmap.grids.schema import GRIDS, POSTS, ROADS, Layer

#: Integer columns that may not be negative.
_COUNTS = {"population", "staff", "officers", "ebikes"}
#: Column holding each layer's record id (the index of grids and posts).
ID_COLUMN = {"grids": "grid_id", "posts": "post_id", "roads": "road_id"}


def record_labels(
    frame: gpd.GeoDataFrame, layer: Layer, file: str
) -> tuple[gpd.GeoDataFrame, np.ndarray, list[Problem]]:
    """Fill the layer's id column and return the label naming each record in problems.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The layer as read, in EPSG:4326.
    layer : Layer
        Its schema layer.
    file : str
        Name of the file it came from.

    Returns
    -------
    frame : geopandas.GeoDataFrame
        With the id column as str (``row <n>`` where absent); grids and posts without an id
        are dropped.
    labels : numpy.ndarray
        The id of each record kept, or ``row <n>`` (1-based) where it has none.
    problems : list of Problem
        One ``column-type`` problem per grid or post without an id.
    """
    problems: list[Problem] = []
    id_column = ID_COLUMN.get(layer.stem)
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
                problems.append(Problem(file, "column-type", f"{id_column} is empty", (rows[i],)))
            # A record without an id cannot be referred to: it is reported, then dropped.
            frame, labels = frame[~blank].copy(), labels[~blank]
    elif id_column is not None:
        frame[id_column] = pd.Series(rows, index=frame.index, dtype=object)
    return frame, labels, problems


def coerce_columns(
    frame: gpd.GeoDataFrame, layer: Layer, labels: np.ndarray, file: str
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Coerce every schema column but the id to its kind and fill the optional defaults.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The layer, as returned by :func:`record_labels`.
    layer : Layer
        Its schema layer.
    labels : numpy.ndarray
        The label of each record, as returned by :func:`record_labels`.
    file : str
        Name of the file it came from.

    Returns
    -------
    frame : geopandas.GeoDataFrame
        Text columns hold str (None where empty), integer columns ``Int64`` (``level``
        ``int64``), float columns float; grids are indexed by ``grid_id``, posts by
        ``post_id``.
    problems : list of Problem
        One ``column-type`` (or ``level``) problem per unusable value.
    """
    problems: list[Problem] = []
    id_column = ID_COLUMN.get(layer.stem)
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
                    problems.append(Problem(file, "column-type", message, (labels[i],)))
        elif column.kind == "int":
            frame[column.name], bad = _integers(values, column.name, labels, file)
            problems += bad
        else:
            frame[column.name], bad = _floats(values, column.name, labels, file)
            problems += bad

    frame = _defaults(frame, layer)
    if layer.stem in ("grids", "posts"):
        frame = frame.set_index(id_column)
    return frame, problems


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


def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return the mask of the values given (not blank) and the values as float (NaN if not)."""
    given = _text(values).notna().to_numpy()
    number = pd.to_numeric(values.where(given), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan, copy=True
    )
    return given, number


def _integers(
    values: pd.Series, column: str, labels: np.ndarray, file: str
) -> tuple[pd.Series, list[Problem]]:
    """Return ``values`` as Int64 (NA where bad) and a problem per unusable value."""
    given, number = _numbers(values)
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
    given, number = _numbers(values)
    bad = given & ~np.isfinite(number)
    problems = [
        Problem(
            file, "column-type", f"{column} {_show(values.iloc[i])} is not a number", (labels[i],)
        )
        for i in np.nonzero(bad)[0]
    ]
    return pd.Series(number, index=values.index), problems


def _pinyin(given: pd.Series, names: pd.Series) -> pd.Series:
    """Return the pinyin column: as given, else made from the Chinese name (pypinyin).

    Search finds a grid by its pinyin (``liuhu``, ``liu hu``) and initials: a county's files
    rarely carry a pinyin column, so it is computed, one syllable per character, lower case.
    """
    missing = given.isna() & names.notna()
    if not missing.any():
        return given.fillna("")
    from pypinyin import lazy_pinyin

    made = [" ".join(lazy_pinyin(str(n))).lower() for n in names[missing]]
    out = given.copy()
    out[missing] = made
    return out.fillna("")


def _defaults(frame: gpd.GeoDataFrame, layer: Layer) -> gpd.GeoDataFrame:
    """Fill the optional columns' defaults of ``layer``."""
    if "name_en" in frame.columns and "name_zh" in frame.columns:
        frame["name_en"] = frame["name_en"].where(frame["name_en"].notna(), frame["name_zh"])
    if layer is GRIDS:
        frame["code"] = frame["code"].where(frame["code"].notna(), frame["grid_id"])
        frame["pinyin"] = _pinyin(frame["pinyin"], frame["name_zh"])
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
