"""Grid-management dashboard: the app factory and the command line (serve, check)."""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dash import Dash

import callbacks
from callbacks import planner as planner_callbacks
from callbacks import wall as wall_callbacks
from gridmap.clock import local_today
from gridmap.demo.history import load_if_empty
from gridmap.errors import ConfigError, DataError
from gridmap.grids.district import load_district
from gridmap.grids.loader import check_folder
from gridmap.grids.schema import LEVELS
from gridmap.i18n import name_of, t
from gridmap.incidents.filters import default_range
from gridmap.settings import ROOT, Settings, load_settings
from gridmap.views.map_view import fit_zoom
from gridmap.views.urls import layer_urls, url_for_layer
from gridmap.views.wall import DEFAULT_LAYERS, WallSettings, tour_views
from layers.map_figure import map_figure
from layers.planner_figure import planner_figure
from layers.wall_figure import wall_figure
from ui.layout import page
from ui.planner_layout import planner_page
from ui.wall_layout import wall_page
from web import geo_routes
from web import grids_api as api
from web.cache import cache
from web.coverage_api import create_coverage_blueprint
from web.incidents_api import create_blueprint as create_incidents_blueprint
from web.map_updates import level_url, view_for
from web.runtime import Runtime, bind


def _cache_config(settings: Settings, prefix: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "CACHE_TYPE": settings.cache_type,
        "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout,
        "CACHE_KEY_PREFIX": prefix,
    }
    if settings.cache_type.endswith("FileSystemCache"):
        config["CACHE_DIR"] = str(settings.cache_dir)
    if settings.cache_type.endswith("RedisCache"):
        config["CACHE_REDIS_URL"] = settings.cache_redis_url
    return config


def create_app(config: Mapping[str, Any] | None = None) -> Dash:
    """Build the dashboard for the district in ``GRIDMAP_DATA_DIR``.

    Parameters
    ----------
    config : mapping, optional
        Settings overriding the ``GRIDMAP_*`` environment (keys like ``data_dir``, ``lang``).

    Raises
    ------
    DataError
        If the district data breaks any rule (all problems listed).
    """
    settings = load_settings(config)
    district = load_district(settings.data_dir)
    runtime = Runtime(settings=settings, district=district)

    app = Dash(
        __name__,
        assets_folder=str(ROOT / "assets"),
        title=t("app-title", settings.lang),
        update_title=None,
        serve_locally=True,
    )
    server = app.server
    server.secret_key = settings.secret_key or secrets.token_hex(16)
    bind(server, runtime)
    cache.init_app(server, config=_cache_config(settings, f"gridmap:{district.version}:"))
    server.register_blueprint(api.blueprint)
    server.register_blueprint(geo_routes.blueprint)
    server.register_blueprint(
        create_incidents_blueprint(
            lambda: runtime.incident_store,
            lambda: runtime.assigner,
            token=settings.api_token,
            clock=runtime.clock,
        )
    )
    server.register_blueprint(
        create_coverage_blueprint(
            lambda: runtime.coverage_model, get_incidents=runtime.incident_points
        )
    )
    if settings.demo_incidents:
        load_if_empty(runtime.incident_store, district)
    if not runtime.incident_store.has_statistics() and runtime.incident_store.count() > 10_000:
        runtime.incident_store.analyze()

    with server.app_context():
        figure = _initial_figure(runtime)
    attribution = str(district.meta.get("attribution", ""))
    credit = " · ".join(x for x in (attribution, settings.tile_attribution) if x)
    # A function: the incident date range ends on the day the page is opened.
    app.layout = lambda: page(
        figure,
        settings.lang,
        district.is_demo,
        credit,
        district.name(settings.lang),
        default_range(local_today()),
        settings.refresh_seconds,
    )
    callbacks.register_all(app, runtime)
    _planner_app(server, runtime)
    _wall_app(server, runtime)
    return app


def _page_app(server, name: str, prefix: str, title: str) -> Dash:
    """Return a Dash app of its own at ``prefix`` on ``server`` (the planner, the wall)."""
    return Dash(
        name,
        server=server,
        url_base_pathname=prefix,
        assets_folder=str(ROOT / "assets"),
        title=title,
        update_title=None,
        serve_locally=True,
    )


def _planner_app(server, runtime: Runtime) -> Dash:
    """Attach the planner (``/planner/``) to ``server``: a Dash app of its own."""
    settings, district = runtime.settings, runtime.district
    planner = _page_app(server, "planner", "/planner/", t("planner-title", settings.lang))
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


def _wall_app(server, runtime: Runtime) -> Dash:
    """Attach the command-centre wall (``/wall/``) to ``server``: a Dash app of its own."""
    settings, district = runtime.settings, runtime.district
    defaults = WallSettings(layers=DEFAULT_LAYERS, refresh=settings.refresh_seconds)
    wall = _page_app(server, "wall", "/wall/", t("wall-title", defaults.lang))
    version = district.version
    urls = layer_urls(version)
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
        urls,
        tuple(home["center"]),
        home["zoom"],
        defaults.layers,
    )
    wall.layout = wall_page(figure, views, defaults, district.name(defaults.lang), district.is_demo)
    wall_callbacks.register(wall, runtime)
    return wall


def _initial_figure(runtime: Runtime) -> dict:
    district, settings = runtime.district, runtime.settings
    view, outline = view_for(None, "drill", "density", settings.lang)
    return map_figure(
        view,
        level_url(view.level),
        layer_urls(district.version),
        outline,
        district.post_records(),
        settings.lang,
        settings.tile_url,
    )


def create_server(config: Mapping[str, Any] | None = None):
    """Return the Flask server of :func:`create_app` (for ``gunicorn 'app:create_server()'``)."""
    return create_app(config).server


def check(folder: Path) -> int:
    """Check a district folder; print one line per level, or every problem. Return exit code."""
    data, problems = check_folder(folder)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    assert data is not None
    levels = data.grids["level"].astype(int)
    for level in LEVELS:
        print(f"level {level}: {int((levels == level).sum())} grids")
    if data.posts is not None:
        print(f"posts: {len(data.posts)}")
    if data.roads is not None:
        print(f"roads: {len(data.roads)} segments")
    print(f"{folder}: OK")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``serve`` (the default) or ``check [DIR]``."""
    parser = argparse.ArgumentParser(prog="python app.py", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the dashboard (default)")
    check_cmd = sub.add_parser("check", help="check a district data folder")
    check_cmd.add_argument("folder", nargs="?", help="default: GRIDMAP_DATA_DIR or data/geo")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"bad setting: {error}", file=sys.stderr)
        return 2
    if args.command == "check":
        return check(Path(args.folder) if args.folder else settings.data_dir)
    try:
        app = create_app()
    except DataError as error:
        print(f"refusing to start: {error}", file=sys.stderr)
        return 1
    print(f"Serving {settings.data_dir} on http://{settings.host}:{settings.port}/", flush=True)
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
