"""Record ids and column values as the checks read them, and the ``unique-id`` rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridmap.errors import Problem


def record_ids(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Return the record ids as a string array: column ``name``, else the index.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any layer.
    name : str
        Id column (``grid_id``, ``post_id``, ``road_id``).

    Returns
    -------
    numpy.ndarray
        One str per record, object dtype.
    """
    values = frame[name] if name in frame.columns else frame.index.to_series()
    return np.array([str(v) for v in values], dtype=object)


def optional_text(values: pd.Series) -> np.ndarray:
    """Return ``values`` as strings, with null, NaN and blank text as None.

    Parameters
    ----------
    values : pandas.Series
        Any column.

    Returns
    -------
    numpy.ndarray
        Stripped str or None per value, object dtype.
    """
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out[i] = None
        else:
            text = str(v).strip()
            out[i] = text or None
    return out


def as_float(values: pd.Series) -> np.ndarray:
    """Return a numeric column as float with NaN for missing or unparseable values.

    ``level`` and ``population`` may hold numbers, numeric text or nothing.

    Parameters
    ----------
    values : pandas.Series
        A numeric column, as read or as coerced by the loader.

    Returns
    -------
    numpy.ndarray
        One float per value.
    """
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def unique_problems(ids: np.ndarray, file: str, what: str) -> list[Problem]:
    """Return one ``unique-id`` problem per id used by more than one record.

    Parameters
    ----------
    ids : numpy.ndarray
        Record ids, as from :func:`record_ids`.
    file : str
        Name of the file the records came from.
    what : str
        Kind of record named in the message (``"grid"``, ``"post"``).

    Returns
    -------
    list of Problem
        One problem per duplicated id.
    """
    counts = pd.Series(ids).value_counts(sort=False)
    return [
        Problem(file, "unique-id", f"{what} id {gid!r} is used by {n} records", (str(gid),))
        for gid, n in counts[counts > 1].items()
    ]
