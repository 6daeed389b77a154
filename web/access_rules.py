"""Which action each URL needs (deny by default): the one table the request guard reads.

A path that matches no rule is refused. Page scripts, styles and the sign-in page are public (they
carry no data); everything that serves data names the action of :data:`gridmap.access.roles.RULES`
it needs, so a new route without a rule fails closed (and the route test names it).
"""

from __future__ import annotations

import re

PUBLIC = "public"

#: (method pattern, path pattern, action), tried in order; the first match wins.
ROUTE_RULES: tuple[tuple[str, str, str], ...] = (
    # Sign-in, sign-out and the health check of a load balancer.
    (r"GET|POST", r"/login", PUBLIC),
    (r"GET|POST", r"/logout", PUBLIC),
    (r"GET", r"/api/v1/health", PUBLIC),
    # Scripts and styles: code, never data.
    (r"GET", r"(/planner|/wall|/dispatch)?/_dash-component-suites/.+", PUBLIC),
    (r"GET", r"(/planner|/wall|/dispatch)?/assets/.+", PUBLIC),
    (r"GET", r"(/planner|/wall|/dispatch)?/_favicon\.ico", PUBLIC),
    (r"GET", r"/favicon\.ico", PUBLIC),
    # The planner (its own Dash app) and its printable report.
    (r"GET", r"/planner/report(\.js)?", "plan"),
    (r"GET", r"/planner/(_dash-layout|_dash-dependencies|_reload-hash)?", "plan"),
    (r"POST", r"/planner/_dash-update-component", "plan"),
    # The wall (people with the right role, or a kiosk link).
    (r"GET", r"/wall/(_dash-layout|_dash-dependencies|_reload-hash)?", "view-wall"),
    (r"POST", r"/wall/_dash-update-component", "view-wall"),
    # The dispatch workbench (its own Dash app; what each person may do there is the
    # workflow's, decided on the server per case).
    (r"GET", r"/dispatch/(_dash-layout|_dash-dependencies|_reload-hash)?", "dispatch"),
    (r"POST", r"/dispatch/_dash-update-component", "dispatch"),
    # The main map.
    (r"GET", r"/(_dash-layout|_dash-dependencies|_reload-hash)?", "view-map"),
    (r"POST", r"/_dash-update-component", "view-map"),
    # Display geometry (grid outlines, roads, water; coverage polygons are coverage figures).
    (r"GET", r"/geo/[^/]+/[^/]+\.geojson", "view-geometry"),
    (r"GET", r"/geo/[^/]+/times\.png", "view-geometry"),
    # The JSON API.
    (r"GET", r"/api/v1/(openapi\.json|docs)", "api-docs"),
    (r"GET", r"/api/v1/grids/[^/]+", "view-map"),
    (r"GET", r"/api/v1/coverage(/suggest|/minimum|/median|/times)?", "coverage"),
    # The dispatch workflow (web/workflow_api.py): before the generic incident rules.
    (r"POST", r"/api/v1/incidents/[^/]+/actions", "dispatch"),
    (r"GET", r"/api/v1/incidents/[^/]+/timeline", "read-incidents"),
    (r"GET", r"/api/v1/incidents/performance", "read-counts"),
    (r"GET", r"/api/v1/dispatch/queues", "dispatch"),
    (r"GET", r"/api/v1/incidents(/[^/]+)?", "read-incidents"),
    (r"POST", r"/api/v1/incidents", "write-incidents"),
    (r"PATCH", r"/api/v1/incidents/[^/]+", "legacy-status"),
    # Administration: users, tokens, kiosk links, the audit trail.
    (r"GET|POST", r"/admin/.*", "admin"),
)

_COMPILED = tuple((re.compile(m), re.compile(p), a) for m, p, a in ROUTE_RULES)

#: Methods that change state (checked for a same-origin request when a session cookie is used).
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def required_action(method: str, path: str) -> str | None:
    """Return the action ``method path`` needs, :data:`PUBLIC`, or None when no rule applies.

    ``HEAD`` is checked as ``GET``; a path matches a rule only as a whole.
    """
    method = "GET" if method == "HEAD" else method
    for m, p, action in _COMPILED:
        if m.fullmatch(method) and p.fullmatch(path):
            return action
    return None


def is_api(path: str) -> bool:
    """Return whether ``path`` is answered in JSON (API, Dash callbacks, geometry), not a page."""
    if path == "/api/v1/docs":  # the API's reference page: a page a person opens
        return False
    return path.startswith(("/api/", "/geo/", "/admin/api/")) or "/_dash-" in path


def is_page(path: str) -> bool:
    """Return whether ``path`` is a page a person opens (an anonymous visit goes to sign-in)."""
    return (
        path in ("/", "/planner/", "/planner/report", "/wall/", "/dispatch/", "/api/v1/docs")
        or path.startswith("/admin/")
        and not is_api(path)
    )
