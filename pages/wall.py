"""The command-centre wall (``/wall/``): its Dash app, its layout and its callbacks."""

from __future__ import annotations

from dash import Dash
from flask import Flask

from callbacks import wall as wall_callbacks
from gridmap.i18n import name_of, t
from gridmap.views.urls import layer_urls, url_for_layer
from gridmap.views.wall import DEFAULT_LAYERS, WallSettings, tour_views
from layers.wall_figure import wall_figure
from pages.assets import page_app
from ui.wall_layout import wall_page
from web.runtime import Runtime


def create(server: Flask, runtime: Runtime) -> Dash:
    """Attach the wall at ``/wall/`` to ``server``: a Dash app of its own.

    Parameters
    ----------
    server : flask.Flask
        The shared server (already wired).
    runtime : Runtime
        The app's settings, district, store and clock.

    Returns
    -------
    dash.Dash
        The wall's app.
    """
    settings, district = runtime.settings, runtime.district
    defaults = WallSettings(layers=DEFAULT_LAYERS, refresh=settings.refresh_seconds)
    wall = page_app(server, "wall", t("wall-title", defaults.lang), "/wall/")
    version = district.version
    towns = district.level_ids(2)
    townships = {
        "grid_url": url_for_layer(version, "level", 2),
        "keys": [district.key_of[g] for g in towns],
        "names": [name_of(district.record(g), defaults.lang) for g in towns],
        "points": [list(district.label_points[g]) for g in towns],
    }
    views = tour_views(district)
    home = views["district"]
    figure = wall_figure(
        townships,
        {"lon": [], "lat": [], "count": []},
        district.post_records(),
        layer_urls(version),
        tuple(home["center"]),
        home["zoom"],
        defaults.layers,
    )
    # The tour's views depend on the reader's scope: the page's first callback sends them.
    wall.layout = wall_page(figure, None, defaults, district.name(defaults.lang), district.is_demo)
    wall_callbacks.register(wall, runtime)
    return wall
