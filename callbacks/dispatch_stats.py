"""Wire the main page's dispatch figures: the selected grid under the panel's filters.

A new grid's figures (a step, the back button, the first load) go out with the map in
callbacks/render.py; the callback here answers the filters, version and language.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State, no_update

from gridmap.access.roles import Scope
from gridmap.views import url_state
from gridmap.views.map_view import scoped_state
from ui import ids
from ui.dispatch_stats import dispatch_stats
from web import dispatch_view
from web.auth import current_scope
from web.dispatch_stats import grid_dispatch_figures
from web.runtime import Runtime


def dispatch_panel(
    runtime: Runtime, scope: Scope, search, filters_key, version, lang
) -> list | None:
    """Return the dispatch figures of the URL's grid for ``scope`` (empty outside it).

    None before the filters are known (nothing to show anew). The figures' callback and the
    map's step callback (callbacks/render.py) both answer with it.
    """
    if not filters_key:
        return None
    state, inside = scoped_state(runtime.district, url_state.parse(search), scope)
    if not inside:
        return []
    minute = runtime.clock().replace(second=0, microsecond=0).isoformat()
    found = grid_dispatch_figures(scope.key(), state.grid, filters_key, int(version or 0), minute)
    categories = dispatch_view.district_categories(runtime)
    return dispatch_stats(
        found, lang, lambda unit, lang: dispatch_view.unit_label(unit, lang, categories)
    )


def register(app: Dash, runtime: Runtime) -> None:
    """Register the dispatch figures' callback of the main map."""

    @app.callback(
        Output(ids.DISPATCH_STATS, "children", allow_duplicate=True),
        Input(ids.FILTERS_STORE, "data"),
        Input(ids.VERSION_STORE, "data"),
        Input(ids.LANG_STORE, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def figures(filters_key, version, lang, search):
        panel = dispatch_panel(runtime, current_scope(), search, filters_key, version, lang)
        return no_update if panel is None else panel
