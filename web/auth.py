"""Sign-in and the request guard: who asks (person, token, kiosk link) and whether they may.

Sessions are Flask-Login's (a maintained extension that keeps only the user's name in the signed
session cookie; the account is read again on every request, so disabling it takes effect at once).
Every request passes :func:`_guard`: the URL's rule (:mod:`web.access_rules`) names the action, the
principal must be allowed it, and a state-changing request carried by a cookie must come from the
app's own pages (Origin check). Sign-in attempts are rate-limited per address and per name by
Flask-Limiter (memory, or Redis shared by several workers).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, Response, g, jsonify, redirect, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf

from gridmap.access.accounts import AccountStore
from gridmap.access.audit import AuditLog
from gridmap.access.roles import Principal, Scope, allowed
from gridmap.errors import AuthError
from web.access_rules import PUBLIC, UNSAFE_METHODS, is_api, required_action
from web.login_page import login_html

#: Cookie that carries a wall's kiosk key (set when the wall is opened with ``?kiosk=KEY``).
KIOSK_COOKIE = "gridmap_kiosk"
#: The shared bearer token of ``GRIDMAP_API_TOKEN`` acts as one token with every right.
LEGACY_TOKEN = Principal(
    name="GRIDMAP_API_TOKEN", kind="token", rights=frozenset({"intake", "read", "dispatch"})
)


class SessionUser(UserMixin):
    """The Flask-Login user of a signed-in person: their principal, by name."""

    def __init__(self, principal: Principal):
        self.principal = principal
        self.id = principal.name


@dataclass
class AuthSettings:
    """What the guard needs to know from the settings."""

    api_token: str = ""
    demo_accounts: tuple[tuple, ...] = ()
    lang: str = "zh"
    login_limit: str = "10 per minute"
    name_limit: str = "5 per minute"
    limiter_storage: str = "memory://"


def current_principal() -> Principal | None:
    """Return who asks in the current request (None: anonymous)."""
    return getattr(g, "principal", None)


def current_scope() -> Scope:
    """Return the grids the current request may see (nothing for an anonymous one)."""
    principal = current_principal()
    return principal.scope if principal is not None else Scope.of([])


def may_read_incidents() -> bool:
    """Return whether the current request may see single incidents (not just their counts)."""
    return allowed(current_principal(), "read-incidents")


def _address() -> str:
    return get_remote_address() or ""


def _audit_actor(principal: Principal | None) -> str:
    return principal.label() if principal else "anonymous"


def _safe_next(target: str | None) -> str:
    """Return ``target`` when it is a path of this site, else ``/`` (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _same_origin() -> bool:
    """Return whether a cookie-carried request comes from a page of this site."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return False
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.netloc}" == request.host_url.rstrip("/")


def init_auth(
    server: Flask, accounts: AccountStore, audit: AuditLog, settings: AuthSettings
) -> Limiter:
    """Bind sign-in, sessions, the request guard and the sign-in rate limits to ``server``."""
    manager = LoginManager()
    manager.init_app(server)

    @manager.user_loader
    def _load(name: str) -> SessionUser | None:
        principal = accounts.principal(name)
        return SessionUser(principal) if principal else None

    limiter = Limiter(_address, app=server, storage_uri=settings.limiter_storage)

    def _who() -> tuple[Principal | None, bool]:
        """Return (principal, carried by a cookie) of the request; raise on a bad bearer."""
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, given = header.partition(" ")
            given = given.strip()
            if scheme.lower() != "bearer" or not given:
                return None, False
            if settings.api_token and hmac.compare_digest(given, settings.api_token):
                return LEGACY_TOKEN, False
            return accounts.token_principal(given), False
        if current_user.is_authenticated:
            return current_user.principal, True
        key = request.args.get("kiosk") or request.cookies.get(KIOSK_COOKIE)
        if key:
            return accounts.kiosk_principal(key), True
        return None, False

    @server.before_request
    def _guard() -> Response | None:
        path = request.path
        action = required_action(request.method, path)
        principal, by_cookie = _who()
        g.principal = principal
        if action == PUBLIC:
            return None
        if action is None:
            return _refuse(404, "no such resource", path)
        if principal is None:
            if is_api(path):
                auth = request.headers.get("Authorization")
                return _refuse(401, "sign in or send 'Authorization: Bearer <token>'", path, auth)
            return redirect(f"/login?next={request.full_path.rstrip('?')}")
        if not allowed(principal, action):
            if path == "/" and principal.kind == "user" and allowed(principal, "dispatch"):
                # A unit's staff has no map: their home page is the workbench.
                return redirect("/dispatch/")
            return _refuse(403, f"{principal.label()} may not {action}", path)
        if by_cookie and request.method in UNSAFE_METHODS and not _same_origin():
            return _refuse(403, "cross-site request refused (Origin does not match)", path)
        return None

    @server.after_request
    def _kiosk_cookie(response: Response) -> Response:
        key = request.args.get("kiosk")
        principal = current_principal()
        if key and principal is not None and principal.kind == "kiosk":
            # The wall keeps its key across reloads and server restarts; revoking it stops it.
            response.set_cookie(
                KIOSK_COOKIE,
                key,
                max_age=400 * 24 * 3600,
                httponly=True,
                samesite="Strict",
                secure=server.config.get("SESSION_COOKIE_SECURE", False),
            )
        return response

    def _page(message: str = "", status: int = 200, name: str = "") -> Response:
        lang = request.args.get("lang") or settings.lang
        html = login_html(
            lang if lang in ("zh", "en") else "zh",
            csrf_token=generate_csrf(),
            next_path=_safe_next(request.values.get("next")),
            message=message,
            name=name,
            demo_accounts=settings.demo_accounts,
        )
        return Response(html, status=status, mimetype="text/html")

    def _name_key() -> str:
        return "name:" + (request.form.get("name") or "").strip().lower()[:64]

    @server.route("/login", methods=["GET", "POST"])
    @limiter.limit(settings.login_limit, methods=["POST"])
    @limiter.limit(settings.name_limit, key_func=_name_key, methods=["POST"])
    def login():
        if request.method == "GET":
            return _page()
        name = (request.form.get("name") or "").strip()
        try:
            validate_csrf(request.form.get("csrf_token"))
        except Exception:  # noqa: BLE001 - any failure (missing, expired, forged) is the same
            return _page("csrf", 400, name)
        try:
            principal = accounts.authenticate(name, request.form.get("password") or "")
        except AuthError as error:
            audit.record("anonymous", "sign-in-failed", name, address=_address(),
                         detail={"reason": str(error)})  # fmt: skip
            return _page("locked" if "locked" in str(error) else "refused", 401, name)
        login_user(SessionUser(principal))
        audit.record(principal.label(), "sign-in", address=_address())
        return redirect(_safe_next(request.form.get("next")))

    @server.route("/logout", methods=["GET", "POST"])
    def logout():
        principal = current_principal()
        if principal is not None and principal.kind == "user":
            audit.record(principal.label(), "sign-out", address=_address())
        logout_user()
        response = redirect("/login")
        response.delete_cookie(KIOSK_COOKIE)
        return response

    @server.errorhandler(CSRFError)
    def _csrf(error):
        return _refuse(400, str(error), request.path)

    @server.errorhandler(429)
    def _too_many(error):
        if request.path == "/login":
            return _page("too-many", 429, (request.form.get("name") or "").strip())
        return _refuse(429, "too many requests", request.path)

    return limiter


def _refuse(status: int, message: str, path: str, auth: str | None = None) -> Response:
    """Answer ``status``: JSON for the API and callbacks, a short text page otherwise."""
    if is_api(path):
        response = jsonify(error=message)
        response.status_code = status
    else:
        response = Response(message, status=status, mimetype="text/plain")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="gridmap"'
    return response
