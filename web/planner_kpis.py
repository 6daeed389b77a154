"""The planner's figures of a scenario: the coverage API's memoized answers, within the scope."""

from __future__ import annotations

from flask import current_app

from gridmap.coverage.scenario import Scenario
from gridmap.coverage.serialize import clean_dict
from web import coverage_api, coverage_planning
from web.auth import current_scope

#: Name of the coverage API's blueprint on the server (``web.coverage_api.create_blueprint``).
COVERAGE_API = "coverage_api"


def scenario_kpis(scenario: Scenario) -> dict:
    """Return the KPIs of ``scenario`` as the coverage API answers them, incidents included.

    The same memoized figures as ``/api/v1/coverage`` (:func:`web.coverage_api.figures`):
    within the asker's scope, with the incidents inside it.
    """
    bp = current_app.blueprints[COVERAGE_API]
    found = coverage_api.figures(
        COVERAGE_API,
        scenario.minutes,
        scenario.speed_scale,
        tuple(scenario.added),
        tuple(scenario.disabled),
        bp.version(),
        current_scope().roots,
        scenario.profile,
    )
    return clean_dict(found["kpis"])


def scenario_times_kpis(scenario: Scenario) -> dict:
    """Return the scenario's mean and 90th-percentile response time within the asker's scope.

    The same memoized figures as ``/api/v1/coverage/times`` (the model's time raster comes
    from its memo, keyed on the scenario).
    """
    found = coverage_planning.times(
        COVERAGE_API,
        scenario.speed_scale,
        tuple(scenario.added),
        tuple(scenario.disabled),
        scenario.profile,
        current_scope().roots,
        False,
    )
    summary = found["summary"]
    return {"mean_minutes": summary["mean_minutes"], "p90_minutes": summary["p90_minutes"]}


def scenario_figures(scenario: Scenario) -> dict:
    """Return the coverage KPIs and the response times of ``scenario`` in one dict."""
    return {**scenario_kpis(scenario), **scenario_times_kpis(scenario)}
