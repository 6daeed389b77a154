"""Longhu lake (龙湖): a synthetic, slightly irregular water ring around the old walled town."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon


def _blob(
    cx: float, cy: float, a: float, b: float, power: float, wobble: np.ndarray, n: int
) -> Polygon:
    """Return a superellipse of semi-axes ``a`` x ``b`` whose radius is modulated by ``wobble``."""
    t = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    r = 1.0 + sum(w * np.sin(k * t + ph) for k, (w, ph) in enumerate(wobble, start=2))
    x = cx + a * np.sign(c) * np.abs(c) ** (2 / power) * r
    y = cy + b * np.sign(s) * np.abs(s) ** (2 / power) * r
    return shapely.make_valid(Polygon(np.column_stack([x, y])))


def make_lake(old_town: tuple[float, float], rng: np.random.Generator) -> tuple[Polygon, Polygon]:
    """Return the lake ring and the island of the old town, in metres (UTM).

    The ring is about 4.4 km east-west by 2.5 km north-south with about 10 km² of water. Its centre
    sits 0.8 km east of the old town, so the district seat 1.6 km west stays on dry land (the
    larger eastern basin plays 东湖).
    """
    ox, oy = old_town
    wob_outer = np.column_stack(
        [rng.uniform(0.01, 0.03, 7) / np.arange(1, 8) ** 0.3, rng.uniform(0, 2 * np.pi, 7)]
    )
    wob_inner = np.column_stack([rng.uniform(0.02, 0.05, 3), rng.uniform(0, 2 * np.pi, 3)])
    outer = _blob(ox + 800.0, oy + 50.0, 2250.0, 1320.0, 3.6, wob_outer, 200)
    island = _blob(ox, oy, 560.0, 440.0, 4.0, wob_inner, 64)
    water = shapely.set_precision(outer.difference(island), 1.0)
    return water, shapely.set_precision(island, 1.0)
