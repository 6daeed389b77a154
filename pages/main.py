"""The map page (``/``): its Dash app, its layout and its callbacks."""

from __future__ import annotations

from dash import Dash
from flask import Flask

import callbacks
from gridmap.clock import local_today
from gridmap.i18n import t
from gridmap.incidents.filters import default_range
from gridmap.views.urls import layer_urls, level_url
from layers.map_figure import map_figure
from pages.assets import page_app
from ui.layout import page
from web.map_updates import view_for
from web.runtime import Runtime


def initial_figure(runtime: Runtime) -> dict:
    """Return the map figure of the district as first shown (needs an app context)."""
    district, settings = runtime.district, runtime.settings
    view, outline = view_for(None, "drill", "density", settings.lang)
    return map_figure(
        view,
        level_url(district.version, view.level),
        layer_urls(district.version),
        outline,
        district.post_records(),
        settings.lang,
        settings.tile_url,
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
    with server.app_context():
        figure = initial_figure(runtime)
    attribution = str(district.meta.get("attribution", ""))
    credit = " · ".join(x for x in (attribution, settings.tile_attribution) if x)
    # A function: the incident date range ends on the day the page is opened.
    app.layout = lambda: page(
        figure,
        settings.lang,
        district.is_demo,
        credit,
        district.name(settings.lang),
        default_range(local_today(runtime.clock)),
        settings.refresh_seconds,
    )
    callbacks.register_all(app, runtime)
    return app
