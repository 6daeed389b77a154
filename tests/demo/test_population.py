"""Tests of gridmap.demo.population: splitting the district population over cells."""

from __future__ import annotations

import numpy as np
import pytest

from gridmap.demo.population import split_population


def test_population_errors():
    with pytest.raises(ValueError, match="no urban cell"):
        split_population(np.ones(3), np.zeros(3, dtype=bool), 100, 0.5)
