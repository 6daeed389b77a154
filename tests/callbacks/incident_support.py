"""Shared set-up of the incident callback tests: the app with its incidents, and tree helpers.

The app holds the incidents of tests/incident_fixtures.py (see there).
"""

from __future__ import annotations

from gridmap.incidents.filters import IncidentFilters
from tests.dash_http import response_of
from tests.incident_fixtures import INCIDENTS
from ui import ids

MARCH = IncidentFilters("2025-03-01", "2025-03-31").key()
FILTER_OUTPUTS = [
    (ids.FILTERS_STORE, "data"),
    (ids.TIME_SLIDER, "max"),
    (ids.WINDOW_LABEL, "children"),
]
PLAY_OUTPUTS = [
    (ids.PLAY_STORE, "data"),
    (ids.PLAY_INTERVAL, "disabled"),
    (ids.PLAY_BUTTON, "children"),
    (ids.TIME_SLIDER, "value"),
]
ALL_STATUSES = ["reported", "dispatched", "resolved", "closed"]


def incident_app(make_tiny_app):
    """Return the tiny app with :data:`INCIDENTS` in its store."""
    dash_app = make_tiny_app()
    dash_app.server.extensions["gridmap"].incident_store.insert(INCIDENTS)
    return dash_app


def store_of(app):
    """Return the incident store of an app."""
    return app.server.extensions["gridmap"].incident_store


def unchanged(resp) -> bool:
    """Return whether a callback answer changed nothing (every output no_update)."""
    if resp.status_code == 204:
        return True
    return response_of(resp) == {}


def find(node, component_id):
    """Return the serialised component with ``component_id`` in a tree (None if absent)."""
    if isinstance(node, list):
        for child in node:
            found = find(child, component_id)
            if found is not None:
                return found
        return None
    if isinstance(node, dict) and "props" in node:
        if node["props"].get("id") == component_id:
            return node
        return find(node["props"].get("children"), component_id)
    return None


def strings(node) -> list[str]:
    """Return every string or number child of a serialised component tree."""
    if isinstance(node, str | int | float) and not isinstance(node, bool):
        return [str(node)]
    if isinstance(node, list):
        return [s for n in node for s in strings(n)]
    if isinstance(node, dict) and "props" in node:
        return strings(node["props"].get("children"))
    return []


# -- filters --------------------------------------------------------------------------------
