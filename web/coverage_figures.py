"""Memoized figures of the coverage API: incident counts, per-grid tables, whole answers.

Memos on primitive arguments only, each keyed by the incident store's version and the asker's
scope wherever incidents play a part; kept in the worker (:mod:`web.local_memo`: after every new
incident the shared cache was sent a 9,000-row table and a 1.6 MB answer), the polygons also in
the shared cache (flask-caching), as they take seconds and no incident changes them:

- :func:`incident_counts`: incidents per level-5 grid of a scope (one ``GROUP BY g5`` read from
  the store's covering index, never the points), shared by every minutes / posts / speed query;
- :func:`figures`: the KPIs and the per-grid table of one query (the planner's tiles read it too);
- :func:`polygons`: the coverage and gap polygons' GeoJSON text, which no incident changes
  (keyed by the query alone: a new incident does not redraw them);
- :func:`answer`: the JSON text of one ``GET /api/v1/coverage``, polygons included, so a warm
  call is one version read and one memo look-up (the API compresses it once, too).

The model and the incident sources are reached through the blueprint registered on the current
app under ``blueprint`` (a primitive): each app's cache holds its own entries.
"""

from __future__ import annotations

from flask import current_app

from gridmap.access.roles import Scope
from gridmap.coverage.grid_shares import rows_within
from gridmap.coverage.kpis import worst_grids
from gridmap.coverage.profiles import DEFAULT_PROFILE
from gridmap.coverage.serialize import records
from gridmap.messages import text_of
from web.cache import cache
from web.local_memo import local_memo


@local_memo(8)
def incident_counts(
    blueprint: str, incident_version: int, roots: tuple[str, ...] | None
) -> dict[str, int] | None:
    """Return the incidents per level-5 grid id inside a scope (None: no per-grid source).

    Parameters
    ----------
    blueprint : str
        Name under which the :class:`~web.coverage_api.CoverageBlueprint` is registered.
    incident_version : int
        The incident store's version (part of the key: a new incident, new counts).
    roots : tuple of str or None
        The scope's roots (``Scope.roots``; None: the whole district).
    """
    bp = current_app.blueprints[blueprint]
    if bp.get_counts is None:
        return None
    counts = bp.get_counts(Scope(roots))
    if hasattr(counts, "index") and hasattr(counts, "to_numpy"):
        # A Series of str ids: to_dict walks its index element by element (36 ms at 6,438).
        pairs = zip(counts.index.tolist(), counts.to_numpy().tolist(), strict=True)
    else:
        pairs = counts.items()
    return {str(k): int(v) for k, v in pairs if k is not None}


@local_memo(8)
def figures(
    blueprint: str,
    minutes: float,
    speed: float,
    extra: tuple[tuple[float, float], ...],
    disabled: tuple[str, ...],
    incident_version: int,
    roots: tuple[str, ...] | None,
    profile: str = DEFAULT_PROFILE,
) -> dict:
    """Return the KPIs and per-grid table of one coverage query, within a scope.

    With a per-grid source (``get_counts``), each incident counts as its level-5 grid's covered
    share of area (:func:`incident_counts`, no point read); else every incident point of the
    scope is placed on the raster (``get_incidents``).

    Parameters
    ----------
    blueprint : str
        Name under which the :class:`~web.coverage_api.CoverageBlueprint` is registered.
    minutes, speed, extra, disabled
        The query, already checked.
    incident_version : int
        The incident store's version (part of the key: new incidents, new figures).
    roots : tuple of str or None
        The scope's roots (``Scope.roots``; None: the whole district), part of the key.
    profile : str
        The time-of-day speed profile.

    Returns
    -------
    dict
        ``kpis`` (of the scope's grids) and ``table`` (a DataFrame of the scope's rows).
    """
    bp = current_app.blueprints[blueprint]
    result = bp.get_model().coverage(
        minutes, speed, extra_posts=list(extra), disabled_posts=list(disabled), profile=profile
    )
    counts = incident_counts(blueprint, incident_version, roots)
    if counts is not None:
        whole = result.grid_table(counts=counts)
    else:
        whole = result.grid_table(bp.incidents(Scope(roots)))
    table = rows_within(whole, roots)
    return {"kpis": result.kpis_of(table), "table": table}


@local_memo(8)
@cache.memoize()
def polygons(
    blueprint: str,
    minutes: float,
    speed: float,
    extra: tuple[tuple[float, float], ...],
    disabled: tuple[str, ...],
    profile: str = DEFAULT_PROFILE,
) -> str:
    """Return the JSON text of the coverage and gap polygons of one query (no incident in it).

    Computed once for every worker (the shared cache) and kept in each worker in front of it:
    1.5 MB read from Redis on every new incident version was a good part of an answer's time.
    """
    bp = current_app.blueprints[blueprint]
    result = bp.get_model().coverage(
        minutes, speed, extra_posts=list(extra), disabled_posts=list(disabled), profile=profile
    )
    return current_app.json.dumps(result.geojson())


@local_memo(4)
def answer(
    blueprint: str,
    minutes: float,
    speed: float,
    extra: tuple[tuple[float, float], ...],
    disabled: tuple[str, ...],
    level: int | None,
    geometry: bool,
    worst: int,
    incident_version: int,
    roots: tuple[str, ...] | None,
    profile: str = DEFAULT_PROFILE,
) -> str:
    """Return the JSON text of ``GET /api/v1/coverage`` for one checked query.

    Parameters
    ----------
    blueprint, minutes, speed, extra, disabled, incident_version, roots, profile
        As in :func:`figures`.
    level : int or None
        Per-grid figures of this level only (None: every level).
    geometry : bool
        Whether the coverage and gap polygons are included.
    worst : int
        How many worst-covered grids of ``level`` (or of the deepest level).

    Raises
    ------
    CoverageError
        From the model (e.g. a new post outside the district); not cached.
    """
    bp = current_app.blueprints[blueprint]
    result = bp.get_model().coverage(
        minutes, speed, extra_posts=list(extra), disabled_posts=list(disabled), profile=profile
    )
    found = figures(blueprint, minutes, speed, extra, disabled, incident_version, roots, profile)
    table = found["table"]
    rows = table if level is None else table[table["level"] == level]
    if table.empty:
        worst_rows = table.iloc[:0]
    else:
        worst_rows = worst_grids(table, level=level or int(table["level"].max()), n=worst)
    body = {
        "minutes": result.minutes,
        "method": result.method,
        "speed_scale": result.speed_scale,
        "profile": result.profile,
        "posts": result.post_ids,
        "kpis": found["kpis"],
        "warnings": result.warnings,
        "warnings_zh": [text_of(w, "zh") for w in result.warnings],
        "grids": records(rows),
        "worst": records(worst_rows),
    }
    text = current_app.json.dumps(body)
    if not geometry:
        return text
    # The polygons' own memo outlives incident versions: spliced in, not parsed again.
    shapes = polygons(blueprint, minutes, speed, extra, disabled, profile)
    return f'{text[:-1]}, "geojson": {shapes}}}'
