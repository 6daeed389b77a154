"""App-wide error answers: JSON for the API, never an HTML 500 for a known failure.

- a busy (SQLite locked past its busy timeout) or unreachable database: 503 with
  ``Retry-After``, on every route (reads and writes; nothing of the request is stored);
- an unknown ``/api/...`` path or method: JSON 404 / 405 (the request guard answers most
  first; this covers a rule whose route does not exist);
- a Dash asset outside the registered packages (``/_dash-component-suites/os/path.py``):
  404, where Dash raises ``DependencyException`` (a 500).
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
