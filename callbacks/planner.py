"""Wire the planner: clicks and sliders edit the scenario in the URL, which drives the map.

The scenario drives the coverage layers, KPIs and worst grids; suggestions, saving, exports.
"""

from __future__ import annotations

import json
from dataclasses import replace

from dash import ALL, Dash, Input, Output, Patch, State, ctx, no_update

from callbacks import planner_compare, planner_suggest
from callbacks.language import register_toggle
from gridmap.clock import local_today
from gridmap.coverage.profiles import PROFILES
from gridmap.coverage.scenario import (
    Scenario,
    apply_suggestion,
    click_in_district,
    describe,
    export_csv,
    export_filename,
    export_geojson,
    export_points,
    parse_query,
    scenario_coverage,
)
from gridmap.coverage.serialize import clean_dict
from gridmap.coverage.site_names import place_records, places_at
from gridmap.coverage.time_layer import image_corners
from gridmap.errors import CoverageError, ScenarioError, ScenarioStoreError
from gridmap.i18n import LANGUAGES, name_of, t
from gridmap.messages import text_of
from gridmap.views.urls import coverage_url, times_url
from layers.planner_figure import update_scenario, update_times
from ui import planner_ids as ids
from ui.planner_layout import (
    goal_options,
    layer_options,
    level_options,
    profile_options,
    weight_options,
)
from ui.planner_panels import kpi_tiles, method_label, worst_table
from ui.user_badge import user_badge
from web import scenario_saves
from web.planner_kpis import scenario_kpis, scenario_times_kpis
from web.runtime import Runtime
from web.signed_in import signed_in_info


def register(app: Dash, runtime: Runtime) -> None:
    """Register the planner's callbacks on the planner app."""
    district = runtime.district
    posts = district.post_records()
    villages = district.level_ids(3)
    village_keys = [district.key_of[g] for g in villages]
    village_names = {
        lang: [name_of(district.record(g), lang) for g in villages] for lang in LANGUAGES
    }

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.MINUTES, "value"),
        Output(ids.SPEED, "value"),
        Output(ids.PROFILE, "value"),
        Input(ids.CLICK_STORE, "data"),
        Input(ids.MINUTES, "value"),
        Input(ids.SPEED, "value"),
        Input(ids.PROFILE, "value"),
        Input(ids.RESET, "n_clicks"),
        Input(ids.SUGGEST_APPLY, "n_clicks"),
        Input(ids.SAVED_SELECT, "value"),
        Input(ids.URL, "search"),
        State(ids.SUGGEST_STORE, "data"),
    )
    def edit(click, minutes, speed, profile, _reset, _apply, saved, search, suggestion):
        trigger = ctx.triggered_id
        try:
            scenario = parse_query(search)
        except ScenarioError:
            scenario = Scenario()
        # On a page load the URL arrives together with the click store's first value: the URL
        # decides whenever it is among the inputs that fired (not only when it comes first).
        if trigger is None or f"{ids.URL}.search" in ctx.triggered_prop_ids:
            # From the URL (a load, back, a link): only a slider that differs is set.
            return (
                no_update,
                no_update if minutes == scenario.minutes else scenario.minutes,
                no_update if speed == scenario.speed_scale else scenario.speed_scale,
                no_update if profile == scenario.profile else scenario.profile,
            )
        if trigger == ids.CLICK_STORE and click:
            new = click_in_district(scenario, click, posts, district.outline)
            if new is None:
                return no_update, no_update, no_update, no_update
        elif trigger == ids.MINUTES:
            new = replace(scenario, minutes=float(minutes))
        elif trigger == ids.SPEED:
            new = replace(scenario, speed_scale=float(speed))
        elif trigger == ids.PROFILE and profile in PROFILES:
            new = replace(scenario, profile=profile)
        elif trigger == ids.RESET:
            new = Scenario()
        elif trigger == ids.SUGGEST_APPLY and suggestion:
            new = apply_suggestion(scenario, suggestion)
        elif trigger == ids.SAVED_SELECT and saved:
            try:
                new = parse_query(scenario_saves.load(runtime, saved))
            except (ScenarioStoreError, ScenarioError):
                return no_update, no_update, no_update, no_update
        else:
            return no_update, no_update, no_update, no_update
        # A slider is not sent back its own value: an answer arriving after a second key press
        # would put the thumb back on the first.
        return (
            new.to_query(),
            no_update if trigger == ids.MINUTES else new.minutes,
            no_update if trigger == ids.SPEED else new.speed_scale,
            no_update if trigger == ids.PROFILE else new.profile,
        )

    @app.callback(
        Output(ids.MAP, "figure"),
        Input(ids.URL, "search"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.LAYER_MODE, "value"),
    )
    def render(search, lang, layer_mode):
        # The map alone: a what-if click waits for the village shares and the layers' URLs,
        # not for the KPIs' travel-time quantiles or the worst grids (those go out beside it,
        # in the panel's callback, in parallel).
        try:
            scenario = parse_query(search)
            result = scenario_coverage(runtime.coverage_model, scenario)
        except (ScenarioError, CoverageError):
            return no_update  # the panel says why
        version = district.version
        patch = Patch()
        shares = result.population_shares(villages)
        # A district without population figures: colour the villages by the area covered.
        by_area = all(s is None for s in shares)
        update_scenario(
            patch,
            coverage_src=coverage_url(version, "coverage", scenario),
            gaps_src=coverage_url(version, "gaps", scenario),
            village_keys=village_keys,
            shares=result.area_shares(villages) if by_area else shares,
            by_area=by_area,
            posts=posts,
            disabled=scenario.disabled,
            added=scenario.added,
            lang=lang,
            village_names=village_names[lang],
            added_places=place_records(runtime.coverage_model, list(scenario.added)),
        )
        corners = image_corners(runtime.coverage_model) if layer_mode == "times" else None
        update_times(patch, layer_mode, times_url(version, scenario), corners, lang)
        return patch

    @app.callback(
        Output(ids.KPIS, "children"),
        Output(ids.METHOD, "children"),
        Output(ids.ERROR, "children"),
        Output(ids.WORST_TABLE, "children"),
        Output(ids.REPORT_LINK, "href"),
        Input(ids.URL, "search"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.WORST_LEVEL, "value"),
    )
    def panel(search, lang, worst_level):
        try:
            scenario = parse_query(search)
            result = scenario_coverage(runtime.coverage_model, scenario)
            kpis = {**scenario_kpis(scenario), **scenario_times_kpis(scenario)}
            base = scenario.baseline()
            base_kpis = {**scenario_kpis(base), **scenario_times_kpis(base)}
        except (ScenarioError, CoverageError) as error:
            message = t("error", lang, message=text_of(error, lang))
            return no_update, no_update, message, no_update, no_update
        worst = [
            clean_dict(row)
            for row in result.worst_grids(level=int(worst_level or 3), n=10).to_dict("records")
        ]
        return (
            kpi_tiles(kpis, base_kpis, lang),
            method_label(result.method, result.warnings, lang),
            "",
            worst_table(worst, lang),
            f"/planner/report{scenario.to_query()}&lang={lang}",
        )

    planner_suggest.register(app, runtime)
    planner_compare.register(app, runtime)

    @app.callback(
        Output(ids.SAVE_STATUS, "children"),
        Output(ids.SAVED_SELECT, "options"),
        Output(ids.COMPARE_A, "options"),
        Output(ids.COMPARE_B, "options"),
        Input(ids.SAVE_BUTTON, "n_clicks"),
        Input(ids.URL, "pathname"),
        # The menus' "today" and "nobody" are words: they follow the language toggle.
        Input(ids.LANG_STORE, "data"),
        State(ids.SAVE_NAME, "value"),
        State(ids.URL, "search"),
    )
    def save(_clicks, _path, lang, name, search):
        status = ""
        if ctx.triggered_id == ids.SAVE_BUTTON:
            status = _save_status(runtime, name, search, lang)
        options = saved_options(scenario_saves.entries(runtime), lang)
        compare = planner_compare.options(options, lang)
        return status, options, compare, compare

    @app.callback(
        Output(ids.USER, "children"),
        Input(ids.URL, "pathname"),
        Input(ids.LANG_STORE, "data"),
    )
    def user(_path, lang):
        return user_badge(signed_in_info(), lang)

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.EXPORT_GEOJSON, "n_clicks"),
        Input(ids.EXPORT_CSV, "n_clicks"),
        State(ids.URL, "search"),
        State(ids.SAVE_NAME, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def export(_geojson, _csv, search, name, lang):
        scenario = parse_query(search)
        kpis, baseline = scenario_kpis(scenario), scenario_kpis(scenario.baseline())
        places = places_at(runtime.coverage_model, export_points(scenario, posts), lang)
        texts = {
            "summary": t("planner-export-summary", lang),
            "none": t("planner-export-none", lang),
        }
        summary = describe(scenario, texts)
        day = local_today(runtime.clock).isoformat()
        default = t("planner-export-default-name", lang)
        if ctx.triggered_id == ids.EXPORT_CSV:
            text = export_csv(scenario, posts, kpis, baseline, places, summary)
            filename = export_filename(name, default, day, "csv")
            return {"content": text, "filename": filename, "type": "text/csv"}
        doc = export_geojson(scenario, posts, kpis, baseline, places, summary)
        body = json.dumps(doc, ensure_ascii=False)
        filename = export_filename(name, default, day, "geojson")
        return {"content": body, "filename": filename, "type": "application/geo+json"}

    @app.callback(
        Output(ids.MINUTES_VALUE, "children"),
        Output(ids.SPEED_VALUE, "children"),
        Input(ids.MINUTES, "value"),
        Input(ids.SPEED, "value"),
    )
    def slider_values(minutes, speed):
        return slider_texts(minutes, speed)

    register_toggle(app, ids.LANG_TOGGLE, ids.LANG_STORE)

    @app.callback(
        Output({"type": "planner-i18n", "index": ALL}, "children"),
        Output(ids.LANG_TOGGLE, "children"),
        Output(ids.SUGGEST_WEIGHT, "options"),
        Output(ids.SUGGEST_MOVABLE, "placeholder"),
        Output(ids.WORST_LEVEL, "options"),
        Output(ids.RESET, "children"),
        Output(ids.SUGGEST_RUN, "children"),
        Output(ids.SUGGEST_APPLY, "children"),
        Output(ids.SAVE_BUTTON, "children"),
        Output(ids.EXPORT_GEOJSON, "children"),
        Output(ids.EXPORT_CSV, "children"),
        Output(ids.TITLE_DISTRICT, "children"),
        Output(ids.SAVE_NAME, "placeholder"),
        Output(ids.SAVED_SELECT, "placeholder"),
        Output(ids.DEMO_BADGE, "children"),
        Output(ids.PROFILE, "options"),
        Output(ids.LAYER_MODE, "options"),
        Output(ids.SUGGEST_GOAL, "options"),
        Output(ids.REPORT_LINK, "children"),
        Input(ids.LANG_STORE, "data"),
    )
    def translate(lang):
        keys = [o["id"]["index"] for o in ctx.outputs_list[0]]
        return (
            [t(k, lang) for k in keys],
            t("lang-toggle", lang),
            weight_options(lang),
            t("planner-suggest-movable", lang),
            level_options(lang),
            t("planner-reset", lang),
            t("planner-suggest-run", lang),
            t("planner-suggest-apply", lang),
            t("planner-save", lang),
            t("planner-export-geojson", lang),
            t("planner-export-csv", lang),
            district.name(lang),
            t("planner-save-name", lang),
            t("planner-saved", lang),
            t("demo-badge", lang),
            profile_options(lang),
            layer_options(lang),
            goal_options(lang),
            t("planner-report", lang),
        )


def slider_texts(minutes, speed) -> tuple[str, str]:
    """Return the minutes and the speed factor as written beside their sliders."""
    return (
        "" if minutes is None else f"{float(minutes):g}",
        "" if speed is None else f"×{float(speed):g}",
    )


def _save_status(runtime: Runtime, name, search, lang: str) -> str:
    """Save the scenario for the signed-in person; return the status line (ok or why not)."""
    try:
        return t("planner-saved-ok", lang, name=scenario_saves.save(runtime, name, search or ""))
    except ScenarioStoreError as error:
        if error.field == "owner":
            return t("planner-save-not-yours", lang, name=(name or "").strip())
        if error.field == "principal":
            return t("planner-save-refused", lang)
        return t("error", lang, message=text_of(error, lang))
    except ScenarioError as error:
        return t("error", lang, message=text_of(error, lang))


def saved_options(entries: list[dict], lang: str) -> list[dict]:
    """Return the saved-scenario menu; an administrator's (with owners) names each owner."""
    return [
        {
            "label": f"{e['name']} · {e['owner'] or t('planner-owner-nobody', lang)}"
            if "owner" in e
            else e["name"],
            "value": e["name"],
        }
        for e in entries
    ]
