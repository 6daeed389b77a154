"""Wire the wall: URL settings, the refresh (Patch, only what changed), the clock and the tour.

The server callbacks are two: ``configure`` reads the URL once, ``refresh`` answers every
refresh tick. The clock, the freshness ("updated 12 s ago"), the stale banner and the tour run
in the browser (clientside callbacks), so they keep going while the server is away; when it
comes back, the next refresh tick succeeds and the banner goes by itself, with no reload.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from dash import ALL, Dash, Input, Output, Patch, State, ctx, no_update

from gridmap.i18n import t
from gridmap.incidents.density import binned_density
from gridmap.incidents.store import StoreError
from gridmap.views.wall import (
    HEAT_DAYS,
    format_kpis,
    grid_names,
    grid_view,
    newest_village,
    parse_wall_query,
    refresh_key,
    ticker_rows,
    wall_kpis,
)
from layers.wall_figure import HEAT_TRACE, TOWNSHIP_TRACE, heat_values, visibility_changes
from ui import wall_ids as ids
from ui.wall_layout import legend, ticker_items
from web.runtime import Runtime

log = logging.getLogger(__name__)

#: Texts the browser needs (clock, freshness, banner, tour caption), sent with the settings.
CLIENT_TEXTS = (
    "wall-updated",
    "wall-updated-min",
    "wall-updated-never",
    "wall-stale",
    "wall-stale-db",
    "wall-tour-district",
    "wall-tour-newest",
)

#: Outputs of ``refresh``, in order (the tests read answers by these).
REFRESH_OUTPUTS = (
    (ids.MAP, "figure"),
    *((ids.kpi_value(name), "children") for name, _ in ids.KPIS),
    (ids.TICKER, "children"),
    (ids.NEWEST_STORE, "data"),
    (ids.VERSION_STORE, "data"),
    (ids.LAST_OK_STORE, "data"),
    (ids.ERROR_STORE, "data"),
)

#: Errors of the database (or its file system) that make the wall stale instead of crashing.
DATA_ERRORS = (sa.exc.SQLAlchemyError, OSError, StoreError)


def _now_ms() -> int:
    return int(time.time() * 1000)


def _clean(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def register(app: Dash, runtime: Runtime, clock=lambda: datetime.now(UTC)) -> None:
    """Register the wall's callbacks on the wall app (``clock``: tests pass a fake one)."""
    district = runtime.district
    default_refresh = runtime.settings.refresh_seconds
    names = {lang: grid_names(district, lang) for lang in ("zh", "en")}
    box = district.bounds(district.root_id)
    towns = district.level_ids(2)
    shared: dict = {}

    def population_share() -> float | None:
        # The coverage of today's posts does not change while the app runs: computed once.
        if "population_share" not in shared:
            kpis = runtime.coverage_model.coverage(5).kpis()
            shared["population_share"] = _clean(kpis.get("population_share"))
        return shared["population_share"]

    @app.callback(
        Output(ids.SETTINGS_STORE, "data"),
        Output(ids.REFRESH_INTERVAL, "interval"),
        Output(ids.TOUR_INTERVAL, "interval"),
        Output(ids.MAP, "figure", allow_duplicate=True),
        Output(ids.LEGEND, "children"),
        Output(ids.TITLE, "children"),
        Output({"type": "wall-i18n", "index": ALL}, "children"),
        Input(ids.URL, "search"),
        prevent_initial_call="initial_duplicate",
    )
    def configure(search):
        settings = parse_wall_query(search, default_refresh)
        lang = settings.lang
        data = settings.to_dict()
        data["texts"] = {key: t(key, lang) for key in CLIENT_TEXTS}
        patch = Patch()
        for path, visible in visibility_changes(settings.layers).items():
            target = patch
            parts = [int(p) if p.isdigit() else p for p in path.split(".")]
            for part in parts[:-1]:
                target = target[part]
            target[parts[-1]] = visible
        patch["data"][TOWNSHIP_TRACE]["text"] = [names[lang][g] for g in towns]
        keys = [o["id"]["index"] for o in ctx.outputs_list[-1]]
        return (
            data,
            settings.refresh * 1000,
            settings.tour * 1000,
            patch,
            legend(settings.layers, lang),
            district.name(lang),
            [
                t(k, lang, days=HEAT_DAYS) if k.startswith("wall-legend") else t(k, lang)
                for k in keys
            ],
        )

    @app.callback(
        *(Output(i, p) for i, p in REFRESH_OUTPUTS),
        Input(ids.REFRESH_INTERVAL, "n_intervals"),
        Input(ids.SETTINGS_STORE, "data"),
        State(ids.VERSION_STORE, "data"),
    )
    def refresh(_n, settings, known):
        lang = (settings or {}).get("lang", "zh")
        if lang not in ("zh", "en"):
            lang = "zh"
        store = runtime.incident_store
        now = clock()
        skip = (no_update,) * (len(REFRESH_OUTPUTS) - 3)
        try:
            version = store.version()
            state = {"version": version, "key": refresh_key(now), "lang": lang}
            if state == known:
                # Nothing changed: only tell the page the data is fresh.
                return (*skip, no_update, _now_ms(), None)
            start = now - timedelta(days=HEAT_DAYS)
            density = binned_density(store, box, start=start)
            kpis = format_kpis(wall_kpis(store, now, population_share()))
            rows = ticker_rows(store, lang, names[lang], now=now)
            village = newest_village(store)
        except DATA_ERRORS as error:
            log.warning("wall refresh failed: %s", error)
            return (*skip, no_update, no_update, {"at": _now_ms(), "kind": "database"})
        patch = Patch()
        values = heat_values({"lon": density.lon, "lat": density.lat, "count": density.count})
        for key, value in values.items():
            patch["data"][HEAT_TRACE][key] = value
        newest = grid_view(district, village) if village in district else None
        return (
            patch,
            *(kpis[name] for name, _ in ids.KPIS),
            ticker_items(rows, lang),
            newest,
            state,
            _now_ms(),
            None,
        )

    # The browser's own time of the last good answer: the wall's PC and the server may not
    # agree on the time, and staleness is measured on the browser's clock.
    app.clientside_callback(
        "function (lastOk) { return lastOk ? Date.now() : window.dash_clientside.no_update; }",
        Output(ids.RECEIVED_STORE, "data"),
        Input(ids.LAST_OK_STORE, "data"),
    )

    app.clientside_callback(
        """
        function (_n, received, settings, error, views) {
            return window.wallDisplay.tick(received, settings, error, views);
        }
        """,
        Output(ids.CLOCK, "children"),
        Output(ids.DATE, "children"),
        Output(ids.FRESHNESS, "children"),
        Output(ids.FRESHNESS, "className"),
        Output(ids.STALE_BANNER, "children"),
        Output(ids.STALE_BANNER, "hidden"),
        # The heat radius, scaled to the map's size once it is drawn (and after a resize).
        Output(ids.MAP, "figure", allow_duplicate=True),
        Input(ids.TICK_INTERVAL, "n_intervals"),
        State(ids.RECEIVED_STORE, "data"),
        State(ids.SETTINGS_STORE, "data"),
        State(ids.ERROR_STORE, "data"),
        State(ids.VIEWS_STORE, "data"),
        prevent_initial_call="initial_duplicate",
    )

    app.clientside_callback(
        """
        function (n, settings, views, newest) {
            return window.wallDisplay.tour(n, views, newest, settings);
        }
        """,
        Output(ids.TOUR_STORE, "data"),
        Output(ids.TOUR_CAPTION, "children"),
        Input(ids.TOUR_INTERVAL, "n_intervals"),
        Input(ids.SETTINGS_STORE, "data"),
        State(ids.VIEWS_STORE, "data"),
        State(ids.NEWEST_STORE, "data"),
    )
