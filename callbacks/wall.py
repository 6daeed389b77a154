"""Wire the wall: URL settings, the refresh (Patch, only what changed), the clock and the tour.

The server callbacks are two: ``configure`` reads the URL once, ``refresh`` answers every
refresh tick let through by the browser's gate (one refresh in flight at a time). The clock,
the freshness ("updated 12 s ago"), the stale banner and the tour run in the browser
(clientside callbacks), so they keep going while the server is away; when it comes back, the
next refresh tick succeeds and the banner goes by itself, with no reload.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import lru_cache

from dash import ALL, Dash, Input, Output, Patch, State, ctx, no_update

from gridmap.clock import LOCAL_TZ
from gridmap.coverage.params import DEFAULT_MINUTES
from gridmap.duty.on_duty import on_duty
from gridmap.i18n import name_of, t
from gridmap.incidents.density import binned_density
from gridmap.settings import LANGUAGES
from gridmap.views.urls import level_url
from gridmap.views.wall import (
    grid_names,
    grid_view,
    newest_village,
    parse_wall_query,
    ticker_rows,
)
from gridmap.views.wall_changes import TREND_DAYS, day_start, value_text
from gridmap.views.wall_labels import label_data, label_grids
from gridmap.views.wall_panels import (
    OVERDUE_MARKS,
    OVERDUE_ROWS,
    category_split,
    on_time_rates,
    overdue_by_grid,
    overdue_cases,
    ranking,
    read_rows,
    scope_weeks,
    tiles,
    trend_panel,
)
from gridmap.views.wall_refresh import (
    client_texts,
    epoch_ms,
    heat_start,
    is_database_unavailable,
    page_texts,
    refresh_lang,
    refresh_state,
    stale_state,
)
from gridmap.views.wall_scope import scope_roots, scope_title, scope_views
from layers.wall_figure import (
    HEAT_TRACE,
    OVERDUE_TRACE,
    TOWNSHIP_TRACE,
    heat_values,
    visibility_changes,
)
from ui import wall_ids as ids
from ui.user_badge import user_badge
from ui.wall_layout import legend, ticker_items
from ui.wall_panels import (
    duty_figures,
    overdue_items,
    p90_text,
    ranking_table,
    split_bars,
    tile_texts,
    trend_bars,
)
from web.auth import current_scope
from web.runtime import Runtime
from web.signed_in import signed_in_info
from web.wall_updates import population_share

log = logging.getLogger(__name__)

#: Outputs of ``refresh``, in order (the tests read answers by these).
REFRESH_OUTPUTS = (
    (ids.MAP, "figure"),
    *((ids.kpi_value(name), "children") for name, _ in ids.KPIS),
    *((ids.kpi_change(name), "children") for name, _ in ids.KPIS),
    *((ids.kpi_change(name), "className") for name, _ in ids.KPIS),
    (ids.TICKER, "children"),
    (ids.TREND, "children"),
    (ids.SPLIT, "children"),
    (ids.RANKING, "children"),
    (ids.OVERDUE, "children"),
    (ids.OVERDUE_COUNT, "children"),
    (ids.COVERAGE, "children"),
    (ids.DISPATCH_P90, "children"),
    (ids.DUTY, "children"),
    (ids.FRESH_STORE, "data"),
    (ids.NEWEST_STORE, "data"),
    (ids.VERSION_STORE, "data"),
    (ids.LAST_OK_STORE, "data"),
    (ids.ERROR_STORE, "data"),
)


#: The header of a refresh answer that carries fresh data (read by assets/wall.js).
FRESH_HEADER = "X-Wall-Fresh"


def mark_fresh() -> None:
    """Mark this refresh answer as carrying fresh data, in a header the page reads on arrival.

    A busy page (a wall's browser drawing the map in software) may parse and apply an answer
    seconds after it arrived; the header lets it know the server answered before that.
    """
    ctx.response.set_header(FRESH_HEADER, "1")


def register(app: Dash, runtime: Runtime) -> None:
    """Register the wall's callbacks on the wall app ("now" is ``runtime.clock``)."""
    district = runtime.district
    clock = runtime.clock
    default_refresh = runtime.settings.refresh_seconds
    names = {lang: grid_names(district, lang) for lang in LANGUAGES}
    box = district.bounds(district.root_id)
    towns = district.level_ids(2)
    roster = runtime.duty_roster

    @lru_cache(maxsize=64)
    def duty_now(minute: str, roots: tuple[str, ...] | None):
        """Return who is on duty in the minute ``minute`` (local ISO) in scope ``roots``."""
        return on_duty(roster, datetime.fromisoformat(minute), roots) if roster else None

    def units_of(roots, lang):
        """Return the grids the wall ranks: its townships, or its township's villages."""
        grids = label_grids(district, roots)
        return [
            (g, district.level_of(g), name_of(district.record(g), lang),
             district.record(g)["population"])
            for g in grids
        ]  # fmt: skip

    @app.callback(
        Output(ids.SETTINGS_STORE, "data"),
        Output(ids.REFRESH_INTERVAL, "interval"),
        Output(ids.TOUR_INTERVAL, "interval"),
        Output(ids.MAP, "figure", allow_duplicate=True),
        Output(ids.LEGEND, "children"),
        Output(ids.TITLE, "children"),
        Output({"type": "wall-i18n", "index": ALL}, "children"),
        Output(ids.VIEWS_STORE, "data"),
        Output(ids.USER, "children"),
        Output(ids.ROOT, "className"),
        Output(ids.RANKING_TITLE, "children"),
        Input(ids.URL, "search"),
        prevent_initial_call="initial_duplicate",
    )
    def configure(search):
        settings = parse_wall_query(search, default_refresh)
        lang = settings.lang
        info = signed_in_info()
        scope = current_scope()
        roots = scope_roots(district, scope.roots)
        data = settings.to_dict()
        data["texts"] = client_texts(lang, district.meta)
        # The browser tells a revoked kiosk link from a person's ended session.
        data["kiosk"] = bool(info and info["kind"] == "kiosk")
        patch = Patch()
        for path, visible in visibility_changes(settings.layers).items():
            target = patch
            parts = [int(p) if p.isdigit() else p for p in path.split(".")]
            for part in parts[:-1]:
                target = target[part]
            target[parts[-1]] = visible
        # The grids outlined and named: the townships, or a township wall's villages.
        grids = label_grids(district, roots)
        labels = label_data(district, grids, lang)
        trace = patch["data"][TOWNSHIP_TRACE]
        if grids != towns:
            level = district.level_of(grids[0])
            trace["geojson"] = level_url(district.version, level, scope.key())
            trace["locations"] = [district.key_of[g] for g in grids]
            trace["z"] = [1] * len(grids)
            trace["customdata"] = [list(district.label_points[g]) for g in grids]
        trace["text"] = labels["names"]
        trace["meta"] = {"short": labels["short"], "priority": labels["priority"]}
        villages = bool(grids) and district.level_of(grids[0]) > 2
        texts = next(o for o in ctx.outputs_list if isinstance(o, list))
        keys = [o["id"]["index"] for o in texts]
        return (
            data,
            settings.refresh * 1000,
            settings.tour * 1000,
            patch,
            legend(settings.layers, lang),
            scope_title(district, roots, lang),
            page_texts(keys, lang),
            scope_views(district, roots),
            user_badge(info, lang),
            # A wall of several grids has a longer title: a smaller heading keeps it whole.
            f"wall wall-layout-{settings.layout}"
            + (" wall-title-several" if roots is not None and len(roots) > 1 else ""),
            t("wall-ranking-villages" if villages else "wall-ranking-townships", lang),
        )

    # The interval's ticks reach the server through this gate, which holds them back while a
    # refresh waits for its answer (Dash would drop that answer for the newer request).
    app.clientside_callback(
        "function (n, settings) { return window.wallDisplay.gate(n, settings); }",
        Output(ids.REFRESH_GATE_STORE, "data"),
        Input(ids.REFRESH_INTERVAL, "n_intervals"),
        State(ids.SETTINGS_STORE, "data"),
    )

    @app.callback(
        *(Output(i, p) for i, p in REFRESH_OUTPUTS),
        Input(ids.REFRESH_GATE_STORE, "data"),
        Input(ids.SETTINGS_STORE, "data"),
        State(ids.VERSION_STORE, "data"),
    )
    def refresh(_n, settings, known):
        lang = refresh_lang(settings)
        store = runtime.incident_store
        now = clock()
        # Every figure counts only the incidents inside the reader's scope.
        scope = current_scope()
        within = scope.within(district.level_of)
        skip = (no_update,) * (len(REFRESH_OUTPUTS) - 3)
        roots = scope_roots(district, scope.roots)
        # Who is on duty moves with the clock (shifts start and end), not with the data.
        minute = now.astimezone(LOCAL_TZ).replace(second=0, microsecond=0)
        duty = duty_now(minute.isoformat(), None if roots is None else tuple(roots))
        duty_key = None if duty is None else [duty.on_duty[r] for r in sorted(duty.on_duty)]
        try:
            version = store.version()
            state = {**refresh_state(version, now, lang, scope.key()), "duty": duty_key}
            if state == known:
                # Nothing changed: only tell the page the data is fresh.
                mark_fresh()
                return (*skip, no_update, epoch_ms(clock()), None)
            density = binned_density(store, box, start=heat_start(now), within=within)
            share = population_share(DEFAULT_MINUTES, scope.key())
            rows = ticker_rows(store, lang, names[lang], now=now, within=within)
            village = newest_village(store, within=within)
            read = read_rows(store, now, within=within)
            # Overdue and on-time closure as the dispatch workflow defines them.
            counts = store.queue_counts(now=now, within=within)
            queue = store.queue("overdue", now=now, within=within, limit=OVERDUE_MARKS)
            units = units_of(roots, lang)
            level = units[0][1] if units else 2
            month = day_start(now) - timedelta(days=TREND_DAYS - 1)
            rates = on_time_rates(store, level, now, month, now, within)
            late_by = overdue_by_grid(store, level, now, within)
            weeks = scope_weeks(store, now, within)
            changes = tiles(read, now, store.limits, counts["overdue"], weeks["on_time_rate"],
                            weeks["dispatch_mean_h"])  # fmt: skip
        except Exception as error:
            if not is_database_unavailable(error):
                raise
            log.warning("wall refresh failed: %s", error)
            return (*skip, no_update, no_update, stale_state(epoch_ms(clock())))
        late = overdue_cases(queue, names[lang], lang)
        ranked = ranking(read, units, now, rates, late_by)
        texts = [tile_texts(name, changes[name], lang) for name, _ in ids.KPIS]
        patch = Patch()
        values = heat_values({"lon": density.lon, "lat": density.lat, "count": density.count})
        for key, value in values.items():
            patch["data"][HEAT_TRACE][key] = value
        marks = late[:OVERDUE_MARKS]
        patch["data"][OVERDUE_TRACE]["lon"] = [c["lon"] for c in marks]
        patch["data"][OVERDUE_TRACE]["lat"] = [c["lat"] for c in marks]
        newest = grid_view(district, village) if village in district else None
        fresh = [{"id": r["id"], "lon": r["lon"], "lat": r["lat"]} for r in rows]
        mark_fresh()
        return (
            patch,
            *(value_text(name, changes[name].current) for name, _ in ids.KPIS),
            *(text for text, _ in texts),
            *(cls for _, cls in texts),
            ticker_items(rows, lang),
            trend_bars(trend_panel(read, now), lang),
            split_bars(category_split(read, now, lang)),
            ranking_table(ranked, lang),
            overdue_items(late[:OVERDUE_ROWS], lang),
            f"{counts['overdue']:,}",
            value_text("population_share", share),
            p90_text(weeks["dispatch_p90_h"][0], lang),
            duty_figures(duty, lang, bool(roster and roster.synthetic)),
            fresh,
            newest,
            state,
            epoch_ms(clock()),
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
        Output(ids.INVALID, "children"),
        Output(ids.INVALID, "hidden"),
        # The heat radius, scaled to the map's size once it is drawn (and after a resize).
        Output(ids.MAP, "figure", allow_duplicate=True),
        Input(ids.TICK_INTERVAL, "n_intervals"),
        State(ids.RECEIVED_STORE, "data"),
        State(ids.SETTINGS_STORE, "data"),
        State(ids.ERROR_STORE, "data"),
        State(ids.VIEWS_STORE, "data"),
        prevent_initial_call="initial_duplicate",
    )

    # A new incident pulses on the map at its place (assets/wall_map.js).
    app.clientside_callback(
        "function (fresh) { return window.wallMap.fresh(fresh); }",
        Output(ids.PULSE_STORE, "data"),
        Input(ids.FRESH_STORE, "data"),
        prevent_initial_call=True,
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
