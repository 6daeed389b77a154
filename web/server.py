"""Wire the Flask server from the runtime: secret key, runtime, cache and every blueprint."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask

from gridmap.demo.history import load_if_empty
from gridmap.settings import Settings
from web import coverage_api, geo_routes, grids_api, incidents_api
from web.cache import cache
from web.runtime import Runtime, bind


def cache_config(settings: Settings, prefix: str) -> dict[str, Any]:
    """Return the flask-caching configuration of ``settings`` with the key prefix ``prefix``.

    Parameters
    ----------
    settings : Settings
        The app's settings (cache type, timeout, folder, Redis URL).
    prefix : str
        The key prefix; it holds the data version, so new data never meets old entries.

    Returns
    -------
    dict
        ``CACHE_*`` keys for :meth:`flask_caching.Cache.init_app`.
    """
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


def init_server(server: Flask, runtime: Runtime) -> None:
    """Bind ``runtime`` and the cache to ``server`` and register every blueprint.

    Parameters
    ----------
    server : flask.Flask
        The server the three Dash pages share.
    runtime : Runtime
        Settings, district, clock and the lazily built models of the app.
    """
    settings, district = runtime.settings, runtime.district
    server.secret_key = settings.secret_key or secrets.token_hex(16)
    bind(server, runtime)
    cache.init_app(server, config=cache_config(settings, f"gridmap:{district.version}:"))
    server.register_blueprint(grids_api.create_blueprint(district))
    server.register_blueprint(geo_routes.create_blueprint(district.version))
    server.register_blueprint(
        incidents_api.create_blueprint(
            lambda: runtime.incident_store,
            lambda: runtime.assigner,
            token=settings.api_token,
            clock=runtime.clock,
        )
    )
    server.register_blueprint(
        coverage_api.create_blueprint(
            lambda: runtime.coverage_model,
            get_incidents=runtime.incident_points,
            incident_version=lambda: runtime.incident_store.version(),
        )
    )


def prepare_incidents(runtime: Runtime) -> None:
    """Load the demo history into an empty store (when asked) and analyze a large one."""
    store = runtime.incident_store
    if runtime.settings.demo_incidents:
        load_if_empty(store, runtime.district, clock=runtime.clock)
    if not store.has_statistics() and store.count() > 10_000:
        store.analyze()
