"""Wire the incident filters, playback, live refresh, statistics and detail.

The overlays (heat, single incidents) go out with the grids in callbacks/render.py; so do the
statistics panel of a new grid, the cleared incident detail when the URL changes and the detail
of a clicked incident (one round trip per step or click): the callbacks here answer the
filters, version, language and ranking.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, no_update
from werkzeug.exceptions import BadRequest

from gridmap.access.roles import Scope
from gridmap.grids.district import District
from gridmap.i18n import name_of, t
from gridmap.incidents.filters import chosen_filters
from gridmap.incidents.playback import play_step
from gridmap.incidents.stats import METRICS, statistics_csv, statistics_filename
from gridmap.incidents.views import (
    incident_grid_name,
)
from gridmap.views import url_state
from gridmap.views.map_view import scoped_state
from layers.map_figure import INCIDENT_TRACE
from ui import ids
from ui.dropdowns import dropdown_labels
from ui.incident_controls import category_options, rank_options, status_options, step_options
from web.auth import current_scope, may_read_incidents
from web.incident_updates import filtered_statistics
from web.runtime import Runtime


def grid_statistics_of(
    district: District, scope: Scope, search, filters_key, version, rank, lang
) -> tuple[str, dict] | None:
    """Return (grid, statistics) of the URL's grid for ``scope``; None outside it or unfiltered.

    A ranking the panel does not offer (a forged request) is a 400 naming the field.
    """
    if rank is not None and rank not in METRICS:
        raise BadRequest(f"stats-rank: must be one of {', '.join(METRICS)}, got {rank!r}")
    state, inside = scoped_state(district, url_state.parse(search), scope)
    if not inside or not filters_key:
        return None
    stats = filtered_statistics(
        scope.key(), state.grid, filters_key, int(version or 0), rank or "count", lang
    )
    return None if stats is None else (state.grid, stats)


def statistics_panel(
    district: District, scope: Scope, search, filters_key, version, rank, lang
) -> list | None:
    """Return the statistics panel of the URL's grid for ``scope`` (empty outside it).

    None before the filters are known (nothing to show anew). The statistics callback and the
    map's step callback (callbacks/render.py) both answer with it.
    """
    from ui.stats_panel import stats_panel

    if not filters_key:
        return None
    stats = grid_statistics_of(district, scope, search, filters_key, version, rank, lang)
    return [] if stats is None else stats_panel(stats[1], lang)


def clicked_incident(runtime: Runtime, click: dict | None, lang: str) -> list | None:
    """Return the detail of the incident a map click is on; None for a click on anything else.

    An unknown incident, one outside the reader's grids, or a reader who may not read single
    incidents all get the same empty detail. The map's callback answers the click with it
    (callbacks/render.py): one round trip per click, a grid's or an incident's.
    """
    from ui.stats_panel import incident_detail as detail

    point = ((click or {}).get("points") or [{}])[0]
    if point.get("curveNumber") != INCIDENT_TRACE:
        return None
    district = runtime.district
    row = runtime.incident_store.get(str(point.get("customdata")))
    chain = [row.get(f"g{level}") for level in range(1, 6)] if row else []
    readable = row is not None and may_read_incidents()
    if not readable or not current_scope().contains(g for g in chain if g):
        return []
    return detail(row, incident_grid_name(district, row, lang), lang, district.categories)


def register(app: Dash, runtime: Runtime) -> None:
    """Register the incident callbacks of the main map."""
    district = runtime.district

    def _statistics(search, filters_key, version, rank, lang) -> tuple[str, dict] | None:
        return grid_statistics_of(
            district, current_scope(), search, filters_key, version, rank, lang
        )

    @app.callback(
        Output(ids.FILTERS_STORE, "data"),
        Output(ids.TIME_SLIDER, "max"),
        Output(ids.WINDOW_LABEL, "children"),
        Input(ids.DATE_RANGE, "start_date"),
        Input(ids.DATE_RANGE, "end_date"),
        Input(ids.CATEGORY_SELECT, "value"),
        Input(ids.STATUS_CHECKLIST, "value"),
        Input(ids.TIME_SLIDER, "value"),
        Input(ids.PLAY_STORE, "data"),
        Input(ids.STEP_RADIO, "value"),
        Input(ids.LANG_STORE, "data"),
        # The page starts with the first answer (gridmap.incidents.filters.first_state).
        prevent_initial_call=True,
    )
    def filters(start, end, categories, statuses, offset, play, step, lang):
        playing = bool((play or {}).get("playing"))
        chosen, last = chosen_filters(
            start,
            end,
            categories,
            statuses,
            offset=offset,
            playing=playing,
            step=step,
            known=district.categories,
        )
        label = t("filters-window", lang, start=chosen.start, end=chosen.end)
        return chosen.key(), last, label

    @app.callback(
        Output(ids.PLAY_STORE, "data"),
        Output(ids.PLAY_INTERVAL, "disabled"),
        Output(ids.PLAY_BUTTON, "children"),
        Output(ids.TIME_SLIDER, "value"),
        Input(ids.PLAY_BUTTON, "n_clicks"),
        Input(ids.PLAY_INTERVAL, "n_intervals"),
        Input(ids.LANG_STORE, "data"),
        State(ids.PLAY_STORE, "data"),
        State(ids.TIME_SLIDER, "value"),
        State(ids.TIME_SLIDER, "max"),
        State(ids.STEP_RADIO, "value"),
        # The layout holds the stopped state: nothing to answer on a page load.
        prevent_initial_call=True,
    )
    def play(_clicks, _ticks, lang, state, offset, last, step):
        trigger = ctx.triggered_id
        playing, offset = play_step(
            bool((state or {}).get("playing")), offset, last, step,
            pressed=trigger == ids.PLAY_BUTTON, ticked=trigger == ids.PLAY_INTERVAL,
        )  # fmt: skip
        label = t("filters-stop" if playing else "filters-play", lang)
        return {"playing": playing}, not playing, label, offset

    @app.callback(
        Output(ids.VERSION_STORE, "data"),
        Input(ids.REFRESH_INTERVAL, "n_intervals"),
        State(ids.VERSION_STORE, "data"),
        # The page starts with the store's version; the interval's ticks check it.
        prevent_initial_call=True,
    )
    def refresh(_ticks, known):
        version = runtime.incident_store.version()
        return no_update if version == known else version

    @app.callback(
        # A new grid's panel (a step, the back button, the first load) goes out with the map.
        Output(ids.STATS_PANEL, "children", allow_duplicate=True),
        Input(ids.FILTERS_STORE, "data"),
        Input(ids.VERSION_STORE, "data"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.STATS_RANK, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def statistics(filters_key, version, lang, rank, search):
        panel = statistics_panel(
            district, current_scope(), search, filters_key, version, rank, lang
        )
        return no_update if panel is None else panel

    @app.callback(
        Output(ids.STATS_DOWNLOAD, "data"),
        Input(ids.STATS_EXPORT, "n_clicks"),
        State(ids.URL, "search"),
        State(ids.FILTERS_STORE, "data"),
        State(ids.VERSION_STORE, "data"),
        State(ids.LANG_STORE, "data"),
        State(ids.STATS_RANK, "value"),
        prevent_initial_call=True,
    )
    def export(_clicks, search, filters_key, version, lang, rank):
        found = _statistics(search, filters_key, version, rank, lang)
        if found is None:
            return no_update  # outside the reader's scope: nothing to export
        selected, stats = found
        text = statistics_csv(
            stats, selected, name_of(district.record(selected), lang), filters_key
        )
        return {
            "content": text,
            "filename": statistics_filename(selected),
            "type": "text/csv",
        }

    @app.callback(
        Output(ids.CATEGORY_SELECT, "options"),
        Output(ids.CATEGORY_SELECT, "placeholder"),
        Output(ids.STATUS_CHECKLIST, "options"),
        Output(ids.STEP_RADIO, "options"),
        Output(ids.STATS_RANK, "options"),
        Output(ids.STATS_EXPORT, "children"),
        Output(ids.CATEGORY_SELECT, "labels"),
        Output(ids.STATS_RANK, "labels"),
        Input(ids.LANG_STORE, "data"),
        # The layout is written in the store's first language: a page load has nothing to redo.
        prevent_initial_call=True,
    )
    def translate(lang):
        return (
            category_options(lang, district.categories),
            t("filters-categories", lang),
            status_options(lang),
            step_options(lang),
            rank_options(lang),
            t("stats-export", lang),
            dropdown_labels(lang),
            dropdown_labels(lang),
        )
