"""Two scenarios side by side: the places one reaches and the other does not, the KPI table.

A comparison is made at ONE set of parameters, the minutes and the time of day chosen for it
(the planner's by default): both sides, today and a scenario or two scenarios, are computed at
them, so a difference is the plans' and never the parameters'. Each side keeps its own posts
and speed factor (today: the posts in the data at x1); a saved scenario's own minutes and time
of day are kept beside it (:attr:`ComparedSide.saved_params`) to be shown when they differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import shapely

from gridmap.coverage.scenario import Scenario

#: The parameters a comparison fixes for both sides.
COMPARED_PARAMS: tuple[str, ...] = ("minutes", "profile")


@dataclass(frozen=True)
class ComparedSide:
    """One side of a comparison: what is computed, and the scenario as it was saved.

    Attributes
    ----------
    name : str or None
        The saved scenario's name; None for today (the posts as they are).
    evaluated : Scenario
        The scenario computed: its posts and speed factor at the comparison's parameters.
    saved : Scenario or None
        The scenario as saved (None for today).
    """

    name: str | None
    evaluated: Scenario
    saved: Scenario | None = None

    @property
    def is_today(self) -> bool:
        """Whether this side is today (the posts in the data)."""
        return self.name is None

    @property
    def saved_params(self) -> dict[str, Any]:
        """Return the saved scenario's own minutes and profile where they differ (else {})."""
        if self.saved is None:
            return {}
        return {
            k: getattr(self.saved, k)
            for k in COMPARED_PARAMS
            if getattr(self.saved, k) != getattr(self.evaluated, k)
        }


def compared_side(
    name: str | None, saved: Scenario | None, minutes: float, profile: str
) -> ComparedSide:
    """Return a side computed at ``minutes`` and ``profile``; ``saved`` None is today.

    Raises ``ScenarioError`` (naming ``minutes`` or ``profile``) when they are out of range.
    """
    if saved is None:
        return ComparedSide(None, Scenario(minutes=float(minutes), profile=profile))
    return ComparedSide(name, replace(saved, minutes=float(minutes), profile=profile), saved)


#: The rows of the side-by-side table: KPI key, whether lower is better, kind of value.
COMPARE_ROWS: tuple[tuple[str, bool, str], ...] = (
    ("population_share", False, "share"),
    ("area_share", False, "share"),
    ("incident_share", False, "share"),
    ("posts", False, "count"),
    ("uncovered_population", True, "count"),
    ("mean_minutes", True, "minutes"),
    ("p90_minutes", True, "minutes"),
)


def difference_masks(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return the cells B reaches in its limit and A does not (gained), and the reverse (lost).

    ``a`` and ``b`` are coverage results of one model (each with its own minutes).
    """
    return b.covered & ~a.covered, a.covered & ~b.covered


def difference_geojson(model: Any, a: Any, b: Any) -> dict:
    """Return a FeatureCollection (EPSG:4326) of the places gained and lost from A to B.

    Two features, ``id`` ``gained`` and ``lost``, each the union of its cells clipped to the
    district, with ``area_km2`` and the ``people`` living there.
    """
    gained, lost = difference_masks(a, b)
    people = model.index.cell_population(model.raster.n_cells)
    features = []
    for kind, mask in (("gained", gained), ("lost", lost)):
        geom = shapely.intersection(
            shapely.simplify(model.raster.union(mask), model.settings.simplify_m), model.outline
        )
        features.append(
            {
                "type": "Feature",
                "id": kind,
                "properties": {
                    "kind": kind,
                    "area_km2": round(geom.area / 1e6, 3),
                    "people": round(float(people[mask].sum())),
                },
                "geometry": json.loads(shapely.to_geojson(model.to_wgs84(geom))),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def compare_table(kpis_a: dict, kpis_b: dict) -> list[dict]:
    """Return one row a measure: ``key``, ``a``, ``b``, ``diff`` (B - A), ``better`` (B's side).

    ``better`` is ``"b"`` when B is better, ``"a"`` when A is, None when equal or unknown.
    """
    rows = []
    for key, lower_is_better, kind in COMPARE_ROWS:
        va, vb = kpis_a.get(key), kpis_b.get(key)
        diff = vb - va if va is not None and vb is not None else None
        better = None
        if diff:
            better = "b" if (diff < 0) == lower_is_better else "a"
        rows.append({"key": key, "kind": kind, "a": va, "b": vb, "diff": diff, "better": better})
    return rows
