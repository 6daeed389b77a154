"""Tests of gridmap.demo.grouping: apportioning counts between parents."""

from __future__ import annotations

import pytest

from gridmap.demo.grouping import apportion


def test_apportion_errors():
    assert apportion(10, [1, 1, 2], [1, 1, 1], [5, 5, 5]) == [3, 2, 5]
    assert apportion(4, [0, 0, 9], [1, 1, 1], [5, 5, 2]) == [1, 1, 2]
    with pytest.raises(ValueError, match="cannot split 20 into 3 parts"):
        apportion(20, [1, 1, 1], [1, 1, 1], [5, 5, 5])
