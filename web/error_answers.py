"""App-wide error answers: JSON for the API, never an HTML 500 for a known failure.

- a busy (SQLite locked past its busy timeout) or unreachable database: 503 with
  ``Retry-After``, on every route (reads and writes; nothing of the request is stored);
- an unknown ``/api/...`` path or method: JSON 404 / 405 (the request guard answers most
  first; this covers a rule whose route does not exist);
- a Dash asset outside the registered packages (``/_dash-component-suites/os/path.py``):
  404, where Dash raises ``DependencyException`` (a 500);
- a callback request naming no callback of its page (a forged body, a page older than the
  server): 400, where Dash raises ``KeyError`` (a 500).
"""

from __future__ import annotations

import sqlalchemy as sa
from dash.exceptions import DependencyException
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from web.access_rules import is_api

#: Seconds a client is asked to wait when the database is busy or unreachable.
RETRY_AFTER = 5


def answer(status: int, message: str) -> Response:
    """Return ``{error, status}`` as JSON for API paths, a short text page otherwise."""
    if is_api(request.path):
        response = jsonify(error=message, status=status)
        response.status_code = status
        return response
    return Response(message, status=status, mimetype="text/plain")


#: The path suffix of Dash's callback requests.
CALLBACK_PATH = "_dash-update-component"


def callback_problem(apps: dict, path: str, body: object) -> str | None:
    """Return why a callback request names no callback of its page, or None if it does."""
    app = apps.get(path[: -len(CALLBACK_PATH)])
    if app is None:
        return None  # not a page's callback route: Flask routes it (or answers 404)
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return "callback request: the body must be a JSON object with an 'output' string"
    if not isinstance(body.get("inputs", []), list):
        return "callback request: 'inputs' must be a list"
    if body["output"] not in app.callback_map:
        return "callback request: no callback of this page has that 'output'"
    return None


def install_callback_check(server: Flask) -> None:
    """Answer 400 to a callback request naming no callback of its page.

    Installed after the request guard (``web.server.init_access``): who asks is checked first,
    so an anonymous or refused request still gets its 401/403, never a hint about the body.
    """

    @server.before_request
    def _known_callback() -> Response | None:
        if request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
            return None
        body = request.get_json(silent=True)
        problem = callback_problem(server.extensions.get("dash_apps", {}), request.path, body)
        return None if problem is None else answer(400, problem)


def install_error_handlers(server: Flask) -> None:
    """Register the handlers of this module on ``server``."""

    @server.errorhandler(sa.exc.OperationalError)
    def _database_down(_exc: sa.exc.OperationalError) -> Response:
        response = answer(503, "the database is busy or unreachable; retry shortly")
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @server.errorhandler(DependencyException)
    def _no_such_asset(_exc: DependencyException) -> Response:
        return answer(404, "no such resource")

    @server.errorhandler(404)
    @server.errorhandler(405)
    def _not_here(exc: HTTPException) -> Response | HTTPException:
        if not is_api(request.path):
            return exc
        default = "no such resource" if exc.code == 404 else exc.name
        given = exc.description if exc.description != type(exc).description else None
        return answer(exc.code or 404, given or default)
