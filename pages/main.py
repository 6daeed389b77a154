"""The map page (``/``): its Dash app, its layout and its callbacks."""

from __future__ import annotations

from dash import Dash
from flask import Flask, has_request_context

import callbacks
from gridmap.access.roles import Scope
from gridmap.clock import local_today
from gridmap.grids.metrics import available_metrics, default_metric
from gridmap.grids.schema import LEVELS
from gridmap.i18n import t
from gridmap.incidents.filters import default_range, first_state
from gridmap.views.urls import layer_urls, level_url
from layers.map_figure import map_figure
from pages.assets import page_app
from ui.layout import DEFAULT_LAYERS, credit_line, page
from web.auth import current_principal
from web.map_updates import view_for
from web.runtime import Runtime


def initial_figure(runtime: Runtime, scope: Scope) -> dict:
    """Return the map figure of the reader's home grid as first shown (needs an app context).

    Built per scope (memoized): the first picture of a scoped reader holds only their grids.
    """
    district, settings = runtime.district, runtime.settings
    view, outline = view_for(scope.key(), None, "drill", "density", settings.lang)
    return map_figure(
        view,
        level_url(district.version, view.level, scope.key()),
        layer_urls(district.version),
        outline,
        district.post_records(),
        settings.lang,
        settings.tile_url,
        layers=list(DEFAULT_LAYERS),
    )


def create(server: Flask, runtime: Runtime) -> Dash:
    """Attach the map page at ``/`` to ``server`` (already wired by :func:`web.server.init_server`).

    Parameters
    ----------
    server : flask.Flask
        The shared server.
    runtime : Runtime
        The app's settings, district and clock.

    Returns
    -------
    dash.Dash
        The map page's app.
    """
    settings, district = runtime.settings, runtime.district
    app = page_app(server, "main", t("app-title", settings.lang))
    credit = credit_line(district.attribution(settings.lang), settings.tile_attribution)

    # Levels 3 to 5 in drill order, then the townships (the district view has them drawn).
    shown = [level for level in LEVELS if level > 1 and district.level_ids(level)]

    def layout_of(principal):
        scope = principal.scope if principal is not None else Scope.of([])
        # Fetched ahead: the reader's own grids of each level (their scope's URLs).
        geometry_urls = tuple(
            level_url(district.version, level, scope.key()) for level in shown[1:] + shown[:1]
        )
        incident_range = default_range(local_today(runtime.clock))
        # The filters' and the store's first state are in the page: the map's first answer
        # waits for no filter callback (two round trips fewer before the map is drawn).
        first = first_state(*incident_range, settings.lang, district.categories)
        first["version"] = runtime.incident_store.version()
        return page(
            initial_figure(runtime, scope),
            settings.lang,
            district.is_demo,
            credit,
            district.name(settings.lang),
            incident_range,
            settings.refresh_seconds,
            user_name=principal.name if principal is not None else "",
            role=principal.role if principal is not None else None,
            metrics=available_metrics(district),
            metric=default_metric(district),
            categories=district.categories,
            incidents_first=first,
            geometry_urls=geometry_urls,
        )

    def layout():
        # A function, read per request: the signed-in person's name, role and home grid, and
        # the incident date range ending on the day the page is opened. Dash also calls it
        # once outside any request (to check the layout): then it is an anonymous one.
        if not has_request_context():
            with server.app_context():
                return layout_of(None)
        return layout_of(current_principal())

    app.layout = layout
    callbacks.register_all(app, runtime)
    return app
