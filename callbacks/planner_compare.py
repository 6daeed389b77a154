"""Wire scenarios side by side: two saved scenarios (or today) on two maps, their differences.

Both sides are computed at the comparison's own minutes and time of day (its header; they take
the planner's whenever those change): :mod:`gridmap.coverage.compare`. The maps pan and zoom
together in the browser (assets/compare_sync.js); the server sends each map a Patch (coverage
layers, village shares, posts), the places gained and lost (map B) and the KPI table, whose
head says the parameters of each column.
"""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, no_update

from gridmap.coverage.compare import ComparedSide, compare_table, compared_side
from gridmap.coverage.profiles import PROFILES
from gridmap.coverage.scenario import parse_query, scenario_coverage
from gridmap.coverage.site_names import place_records
from gridmap.errors import CoverageError, ScenarioError, ScenarioStoreError
from gridmap.i18n import LANGUAGES, name_of, t
from gridmap.messages import text_of
from gridmap.views.urls import coverage_url, difference_url
from layers.planner_figure import EMPTY, update_difference, update_scenario
from ui import planner_ids as ids
from ui.planner_layout import profile_options
from ui.planner_panels import compare_panel
from web import scenario_saves
from web.planner_kpis import scenario_figures
from web.runtime import Runtime

#: The menu value of "today": the posts as they are.
TODAY = "__today__"


def options(saved: list[dict], lang: str) -> list[dict]:
    """Return the side-by-side menu: today, then the saved scenarios the person may see."""
    return [{"label": t("planner-compare-today", lang), "value": TODAY}, *saved]


def resolve(
    runtime: Runtime, a: str | None, b: str | None, minutes: float, profile: str
) -> tuple[ComparedSide, ComparedSide]:
    """Return the two sides named by the menus, both computed at ``minutes`` and ``profile``.

    Raises ``ScenarioStoreError`` (no such saved scenario for this person) or
    ``ScenarioError`` (a saved query that no longer parses, or minutes / profile out of range).
    """

    def side(name: str) -> ComparedSide:
        saved = None if name == TODAY else parse_query(scenario_saves.load(runtime, name))
        return compared_side(name, saved, minutes, profile)

    return side(a), side(b)


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
        Input(ids.COMPARE_MINUTES, "value"),
        Input(ids.COMPARE_PROFILE, "value"),
        prevent_initial_call=True,
    )
    def compare(a, b, lang, minutes, profile):
        if not a or not b:
            return no_update, no_update, ""
        if minutes is None:  # an empty or out-of-range number box
            return no_update, no_update, t("compare-minutes-missing", lang)
        try:
            sides = resolve(runtime, a, b, minutes, profile)
            sa, sb = (side.evaluated for side in sides)
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
                added_places=place_records(model, list(scenario.added)),
            )
            patches.append(patch)
        update_difference(patches[0], EMPTY, EMPTY)
        update_difference(
            patches[1],
            difference_url(version, "gained", sa, sb),
            difference_url(version, "lost", sa, sb),
        )
        return patches[0], patches[1], compare_panel(compare_table(*kpis), lang, sides)

    @app.callback(
        Output(ids.COMPARE_MINUTES, "value"),
        Output(ids.COMPARE_PROFILE, "value"),
        Input(ids.MINUTES, "value"),
        Input(ids.PROFILE, "value"),
    )
    def follow_planner(minutes, profile):
        # The comparison's parameters default to the planner's: they follow them whenever the
        # planner's change (a page load, a link, the slider); the person may then set others.
        return (
            no_update if minutes is None else float(minutes),
            profile if profile in PROFILES else no_update,
        )

    @app.callback(Output(ids.COMPARE_PROFILE, "options"), Input(ids.LANG_STORE, "data"))
    def translate_profiles(lang):
        return profile_options(lang)
