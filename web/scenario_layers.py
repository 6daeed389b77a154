"""The planner map's coverage and gap layers of one scenario, sent in the click's answer.

They were URLs (``/geo/<version>/coverage-*.geojson?...``) that MapLibre fetched only once the
map had taken the click's answer: one more round trip after it, and the two requests computed
the same polygons twice. Kept in the worker: a scenario's polygons change with nothing else.
"""

from __future__ import annotations

from gridmap.coverage.scenario import parse_query, scenario_coverage
from web.local_memo import local_memo
from web.runtime import current

#: The layers' order in the answer.
KINDS = ("coverage", "gaps")


@local_memo(16)
def scenario_layers(query: str) -> tuple[dict, dict]:
    """Return the coverage and the gap FeatureCollections of the scenario ``query``.

    ``query`` is a scenario's canonical query (``Scenario.to_query()``); a bad one raises
    :class:`~gridmap.errors.ScenarioError` as :func:`parse_query` does.
    """
    result = scenario_coverage(current().coverage_model, parse_query(query))
    by_kind = {f["properties"]["kind"]: f for f in result.geojson()["features"]}
    return tuple({"type": "FeatureCollection", "features": [by_kind[k]]} for k in KINDS)
