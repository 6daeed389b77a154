"""Wire the planner's suggestions: most reached (MCLP), fewest posts (LSCP), shortest mean time.

The goal menu picks which; the answer lands in the suggestion store and panel, its sites on the
map, and "Apply" adds them to the scenario (``callbacks.planner``'s edit callback).
"""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State, no_update

from gridmap.coverage.median import suggest_median
from gridmap.coverage.minimum import fewest_posts
from gridmap.coverage.scenario import movable_posts, parse_query
from gridmap.coverage.serialize import json_safe
from gridmap.coverage.suggest import suggest_posts
from gridmap.errors import CoverageError, MCLPError, ScenarioError
from gridmap.i18n import t
from gridmap.messages import text_of
from layers.planner_figure import update_suggested
from ui import planner_ids as ids
from ui.planner_panels import fewest_panel, median_panel, suggestion_panel
from web.runtime import Runtime

GOALS = ("cover", "fewest", "median")


def run_goal(runtime: Runtime, goal: str, search: str, k, share, weight, movable) -> dict:
    """Return the JSON-ready answer of ``goal`` for the scenario in ``search``.

    Raises the domain's errors (``MCLPError``, ``CoverageError``, ``ScenarioError``) for a bad
    input, and ``ValueError`` for a goal that is not one of :data:`GOALS`.
    """
    scenario = parse_query(search)
    if goal not in GOALS:
        raise ValueError(f"goal must be one of {', '.join(GOALS)}, got {goal!r}")
    incidents = runtime.incident_points() if weight == "incidents" else None
    model = runtime.coverage_model
    move = movable_posts(scenario, movable)
    common = {
        "weight": weight,
        "incidents": incidents,
        "disabled_posts": scenario.disabled,
        "speed_scale": scenario.speed_scale,
        "profile": scenario.profile,
    }
    if goal == "fewest":
        found = fewest_posts(
            model, float(share or 0) / 100.0, scenario.minutes, movable=move, **common
        )
    elif goal == "median":
        found = suggest_median(model, int(k or 0), **common)
        move = []  # the p-median places new posts only
    else:
        found = suggest_posts(model, int(k or 0), scenario.minutes, movable=move, **common)
    data = json_safe(found.to_dict())
    data["goal"] = goal
    # Kept with the suggestion: applying it takes these posts out of service.
    data["movable"] = move
    return data


def register(app: Dash, runtime: Runtime) -> None:
    """Register the suggestion callback on the planner app."""

    @app.callback(
        Output(ids.SUGGEST_STORE, "data"),
        Output(ids.SUGGEST_PANEL, "children"),
        Output(ids.SUGGEST_APPLY, "disabled"),
        Output(ids.MAP, "figure", allow_duplicate=True),
        Input(ids.SUGGEST_RUN, "n_clicks"),
        State(ids.URL, "search"),
        State(ids.SUGGEST_GOAL, "value"),
        State(ids.SUGGEST_K, "value"),
        State(ids.SUGGEST_SHARE, "value"),
        State(ids.SUGGEST_WEIGHT, "value"),
        State(ids.SUGGEST_MOVABLE, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def suggest(_clicks, search, goal, k, share, weight, movable, lang):
        try:
            data = run_goal(runtime, goal or "cover", search, k, share, weight, movable)
        except (ScenarioError, CoverageError, MCLPError, ValueError, TypeError) as error:
            return None, t("error", lang, message=text_of(error, lang)), True, no_update
        patch = Patch()
        update_suggested(patch, data["sites"], lang, data["goal"])
        if data["goal"] == "fewest":
            panel = fewest_panel(data, lang)
        elif data["goal"] == "median":
            panel = median_panel(data, lang)
        else:
            panel = suggestion_panel(data, lang)
        return data, panel, not data["sites"], patch
