"""Wire the Flask server from the runtime: secret key, runtime, cache and every blueprint."""

from __future__ import annotations

import os
import secrets
import sys
from typing import Any

from flask import Flask

from gridmap.access.demo_accounts import ensure_demo_accounts
from gridmap.demo.history import load_if_empty
from gridmap.settings import Settings
from web import (
    admin,
    api_docs,
    coverage_api,
    geo_routes,
    grids_api,
    incidents_api,
    report_page,
    workflow_api,
)
from web.auth import AuthSettings, current_principal, current_scope, init_auth
from web.cache import cache
from web.compression import cache_fingerprinted_files, close_file_bodies
from web.error_answers import install_callback_check, install_error_handlers
from web.runtime import Runtime, bind
from web.security import content_security_policy, install_headers


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
    server.secret_key = secret_key(settings)
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_secure,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
    )
    bind(server, runtime)
    cache.init_app(server, config=cache_config(settings, f"gridmap:{district.version}:"))
    server.register_blueprint(grids_api.create_blueprint(district, scope=current_scope))
    server.register_blueprint(geo_routes.create_blueprint(district.version))
    server.register_blueprint(
        incidents_api.create_blueprint(
            lambda: runtime.incident_store,
            lambda: runtime.assigner,
            token=settings.api_token,
            guarded=True,
            principal=current_principal,
            audit=lambda *args, **kwargs: runtime.audit.record(*args, **kwargs),
            clock=runtime.clock,
        )
    )
    server.register_blueprint(
        workflow_api.create_blueprint(
            lambda: runtime.incident_store,
            principal=current_principal,
            level_of=district.level_of,
            chain_of=district.chain,
            units=lambda: runtime.dispatch_units,
            audit=lambda *args, **kwargs: runtime.audit.record(*args, **kwargs),
            clock=runtime.clock,
        )
    )
    server.register_blueprint(
        coverage_api.create_blueprint(
            lambda: runtime.coverage_model,
            get_incidents=lambda scope: runtime.incident_store.points(
                within=scope.within(district.level_of)
            ),
            incident_version=lambda: runtime.incident_store.version(),
            scope=current_scope,
            # Coverage figures from counts per level-5 grid: no point read, at any size.
            get_counts=lambda scope: runtime.incident_store.grid_counts(
                5, within=scope.within(district.level_of)
            ),
        )
    )
    server.register_blueprint(admin.create_blueprint())
    server.register_blueprint(api_docs.create_blueprint())
    server.register_blueprint(report_page.create_blueprint())
    install_error_handlers(server)


def secret_key(settings: Settings) -> str:
    """Return the Flask secret: the setting, else one kept in ``secret_key_file``.

    A key kept on disk lets sessions survive a restart and be shared by the workers of one
    machine; it is made (random, readable by the owner only) on first start.
    """
    if settings.secret_key:
        return settings.secret_key
    path = settings.secret_key_file
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Written whole beside it, then linked into place: a worker starting at the same moment
    # reads either no file or the whole key, never a file made but not yet written.
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key)
        os.link(draft, path)  # fails if another worker was first: theirs is the key
    except FileExistsError:
        return path.read_text().strip()
    finally:
        draft.unlink(missing_ok=True)
    return key


def init_access(server: Flask, runtime: Runtime, apps) -> None:
    """Bind sign-in, the request guard and the security headers (after the pages exist).

    On the demo district the demo accounts are made (and listed on the sign-in page); on any
    other district with no account at all, an ``admin`` with a random password is made and
    the password printed once.
    """
    settings, district = runtime.settings, runtime.district
    accounts = runtime.accounts
    listed: tuple = ()
    if district.is_demo and settings.demo_accounts:
        listed = tuple(ensure_demo_accounts(accounts, district.level_ids(2), district.categories))
    else:
        password = accounts.ensure_first_admin()
        if password:
            print(
                f"First start: made the administrator 'admin' with the one-time password "
                f"{password} (shown once; change it: python app.py user passwd admin)",
                file=sys.stderr,
                flush=True,
            )
    init_auth(
        server,
        accounts,
        runtime.audit,
        AuthSettings(
            api_token=settings.api_token,
            demo_accounts=listed,
            lang=settings.lang,
            login_limit=settings.login_limit,
            name_limit=settings.login_name_limit,
            limiter_storage=settings.rate_limit_storage,
        ),
    )
    # Flask runs these last-registered first: file bodies are read, then compressed once.
    cache_fingerprinted_files(server)
    close_file_bodies(server)
    # After the guard: who asks is checked before what the callback request names.
    install_callback_check(server)
    hashes = [h for app in apps for h in app.csp_hashes()]
    install_headers(server, content_security_policy(hashes, settings.frame_ancestors))


def prepare_incidents(runtime: Runtime) -> None:
    """Load the demo history into an empty store (when asked) and analyze a large one."""
    store = runtime.incident_store
    if runtime.settings.demo_incidents:
        load_if_empty(store, runtime.district, clock=runtime.clock)
    if not store.has_statistics() and store.count() > 10_000:
        store.analyze()
