"""JSON helpers: records, NaN and infinities as None."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from gridmap.coverage.serialize import clean, clean_dict, json_safe, records


def test_clean_turns_non_finite_floats_into_none():
    assert clean(math.nan) is None and clean(math.inf) is None
    assert clean(0.5) == 0.5 and clean("x") == "x" and clean(None) is None
    assert clean_dict({"a": math.nan, "b": 1}) == {"a": None, "b": 1}


def test_json_safe_round_trips_and_records_round_numbers():
    assert json_safe({"a": (1, 2), "b": [0.25]}) == {"a": [1, 2], "b": [0.25]}
    table = pd.DataFrame({"x": [1.23456789, np.nan], "n": [1, 2], "s": ["a", None]})
    assert records(table) == [{"x": 1.234568, "n": 1, "s": "a"}, {"x": None, "n": 2, "s": None}]
