"""JSON helpers of the coverage figures: tables as records, NaN and infinities as None."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd


def records(table: pd.DataFrame) -> list[dict]:
    """Rows of a table as JSON-ready dicts (NaN as None, numbers rounded)."""
    frame = table.copy()
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_float_dtype(col):
            values = col.to_numpy(dtype=float).round(6)
            frame[name] = pd.Series(values, index=frame.index, dtype=object).where(
                np.isfinite(values), None
            )
        elif pd.api.types.is_integer_dtype(col):
            frame[name] = col.astype(object).map(int)
        else:
            frame[name] = col.astype(object).where(col.notna(), None)
    return frame.to_dict(orient="records")


def clean(value: Any) -> Any:
    """Return ``value``, or None when it is a float that is not finite (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def clean_dict(values: dict) -> dict:
    """Return ``values`` with every non-finite float replaced by None (one level deep)."""
    return {k: clean(v) for k, v in values.items()}


def json_safe(obj: Any) -> Any:
    """Return ``obj`` after a JSON round trip (what JSON cannot hold goes through :func:`clean`)."""
    return json.loads(json.dumps(obj, default=clean))
