"""Wire scenarios side by side: two saved scenarios (or today) on two maps, their differences.

The maps pan and zoom together in the browser (assets/compare_sync.js); the server sends each
map a Patch (coverage layers, village shares, posts), the places gained and lost (map B) and
the KPI table.
"""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, no_update

from gridmap.coverage.compare import compare_table
from gridmap.coverage.scenario import Scenario, parse_query, scenario_coverage
from gridmap.errors import CoverageError, ScenarioError, ScenarioStoreError
from gridmap.i18n import LANGUAGES, name_of, t
from gridmap.messages import text_of
from gridmap.views.urls import coverage_url, difference_url
from layers.planner_figure import EMPTY, update_difference, update_scenario
from ui import planner_ids as ids
from ui.planner_panels import compare_panel
from web import scenario_saves
from web.planner_kpis import scenario_figures
from web.runtime import Runtime

#: The menu value of "today": the posts as they are.
TODAY = "__today__"


def options(saved: list[dict], lang: str) -> list[dict]:
    """Return the side-by-side menu: today, then the saved scenarios the person may see."""
    return [{"label": t("planner-compare-today", lang), "value": TODAY}, *saved]


def resolve(runtime: Runtime, a: str | None, b: str | None) -> tuple[Scenario, Scenario]:
    """Return the scenarios named by the two menus; "today" takes the other's minutes and time.

    Raises ``ScenarioStoreError`` (no such saved scenario for this person) or
    ``ScenarioError`` (a saved query that no longer parses).
    """

    def load(name: str) -> Scenario | None:
        return None if name == TODAY else parse_query(scenario_saves.load(runtime, name))

    sa, sb = load(a), load(b)
    if sa is None and sb is None:
        return Scenario(), Scenario()
    if sa is None:
        return sb.baseline(), sb
    if sb is None:
        return sa, sa.baseline()
    return sa, sb


def register(app: Dash, runtime: Runtime) -> None:
    """Register the side-by-side callback on the planner app."""
    district = runtime.district
    posts = district.post_records()
    villages = district.level_ids(3)
    village_keys = [district.key_of[g] for g in villages]
    names = {lang: [name_of(district.record(g), lang) for g in villages] for lang in LANGUAGES}

    @app.callback(
        Output(ids.COMPARE_MAP_A, "figure"),
        Output(ids.COMPARE_MAP_B, "figure"),
        Output(ids.COMPARE_TABLE, "children"),
        Input(ids.COMPARE_A, "value"),
        Input(ids.COMPARE_B, "value"),
        Input(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def compare(a, b, lang):
        if not a or not b:
            return no_update, no_update, ""
        try:
            sa, sb = resolve(runtime, a, b)
            model = runtime.coverage_model
            ra, rb = scenario_coverage(model, sa), scenario_coverage(model, sb)
            kpis = [scenario_figures(s) for s in (sa, sb)]
        except (ScenarioStoreError, ScenarioError, CoverageError) as error:
            return no_update, no_update, t("error", lang, message=text_of(error, lang))
        version = district.version
        patches = []
        for scenario, result in ((sa, ra), (sb, rb)):
            patch = Patch()
            update_scenario(
                patch,
                coverage_src=coverage_url(version, "coverage", scenario),
                gaps_src=coverage_url(version, "gaps", scenario),
                village_keys=village_keys,
                shares=result.population_shares(villages),
                posts=posts,
                disabled=scenario.disabled,
                added=scenario.added,
                lang=lang,
                village_names=names[lang],
            )
            patches.append(patch)
        update_difference(patches[0], EMPTY, EMPTY)
        update_difference(
            patches[1],
            difference_url(version, "gained", sa, sb),
            difference_url(version, "lost", sa, sb),
        )
        return patches[0], patches[1], compare_panel(compare_table(*kpis), lang)
