"""The planner page (``/planner/``): its Dash app, its layout and its callbacks."""

from __future__ import annotations

from dash import Dash
from flask import Flask

from callbacks import planner as planner_callbacks
from gridmap.i18n import name_of, t
from gridmap.views.map_view import fit_zoom
from gridmap.views.urls import layer_urls, url_for_layer
from layers.planner_figure import planner_figure
from pages.assets import page_app
from ui.planner_layout import planner_page
from web.runtime import Runtime


def create(server: Flask, runtime: Runtime) -> Dash:
    """Attach the planner at ``/planner/`` to ``server``: a Dash app of its own.

    Parameters
    ----------
    server : flask.Flask
        The shared server (already wired).
    runtime : Runtime
        The app's settings, district and models.

    Returns
    -------
    dash.Dash
        The planner's app.
    """
    settings, district = runtime.settings, runtime.district
    planner = page_app(server, "planner", t("planner-title", settings.lang), "/planner/")
    version = district.version
    urls = layer_urls(version)
    villages = district.level_ids(3)
    box = district.bounds(district.root_id)
    grid = {
        "grid_url": url_for_layer(version, "level", 3),
        "ids": [district.key_of[g] for g in villages],
        "shares": [None] * len(villages),
        "hover": [name_of(district.record(g), settings.lang) for g in villages],
        "label": t("kpi-population", settings.lang),
    }
    figure = planner_figure(
        grid,
        district.post_records(),
        (),
        [],
        urls,
        box.center,
        fit_zoom(box, (1200, 850)),
        settings.lang,
    )
    post_options = [
        {"label": f"{name_of(p, settings.lang)} ({p['post_id']})", "value": p["post_id"]}
        for p in district.post_records()
    ]
    planner.layout = planner_page(
        figure, settings.lang, district.is_demo, district.name(settings.lang), post_options
    )
    planner_callbacks.register(planner, runtime)
    return planner
