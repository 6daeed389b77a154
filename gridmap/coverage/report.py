"""The figures of a scenario's printable report: what each new post adds, the KPI rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from gridmap.coverage.candidates import candidate_sites, site_seconds
from gridmap.coverage.scenario import Scenario
from gridmap.coverage.site_names import places_of

#: The KPI rows of the report: key, kind (share, count, minutes), lower is better.
REPORT_ROWS: tuple[tuple[str, str, bool], ...] = (
    ("population_share", "share", False),
    ("area_share", "share", False),
    ("incident_share", "share", False),
    ("posts", "count", False),
    ("covered_population", "count", False),
    ("uncovered_population", "count", True),
    ("mean_minutes", "minutes", True),
    ("p90_minutes", "minutes", True),
)


def site_gains(model: Any, scenario: Scenario) -> list[dict]:
    """Return each new post of ``scenario`` with its place and the people it adds, in order.

    A post adds the people it reaches within the scenario's minutes that neither the posts in
    service nor the new posts listed before it reach (so the additions sum to the scenario's
    covered people minus those of its posts in service alone).

    Parameters
    ----------
    model : CoverageModel
        The district, posts and roads.
    scenario : Scenario
        The scenario; its ``added`` posts are reported.

    Returns
    -------
    list of dict
        ``rank``, ``lon``, ``lat``, ``adds`` (people), and the ``township_*`` and
        ``village_*`` names of :func:`gridmap.coverage.site_names.places_of`.
    """
    if not scenario.added:
        return []
    base = model.coverage(
        scenario.minutes,
        scenario.speed_scale,
        disabled_posts=scenario.disabled,
        profile=scenario.profile,
    )
    limit = scenario.minutes * 60.0
    xy, node, off, _ = candidate_sites(model, scenario.added, 1.0)
    cells = np.arange(model.raster.n_cells)
    reach = site_seconds(
        model, scenario.speed_scale, limit, model.raster.centres, cells, xy, node, off,
        scenario.profile,
    ).tocsc()  # fmt: skip
    people = model.index.cell_population(model.raster.n_cells)
    covered = base.covered.copy()
    rows = []
    for k, place in enumerate(places_of(model.index, xy)):
        hit = reach.indices[reach.indptr[k] : reach.indptr[k + 1]]
        new = hit[~covered[hit]]
        covered[new] = True
        lon, lat = scenario.added[k]
        rows.append(
            {"rank": k + 1, "lon": lon, "lat": lat, "adds": float(people[new].sum()), **place}
        )
    return rows


def report_rows(before: dict, after: dict) -> list[dict]:
    """Return the KPI rows before and after: ``key``, ``kind``, ``before``, ``after``, ``diff``."""
    out = []
    for key, kind, lower in REPORT_ROWS:
        b, a = before.get(key), after.get(key)
        diff = a - b if a is not None and b is not None else None
        better = None if not diff else ((diff < 0) == lower)
        out.append({"key": key, "kind": kind, "before": b, "after": a, "diff": diff,
                    "better": better})  # fmt: skip
    return out
