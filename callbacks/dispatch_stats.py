"""Wire the main page's dispatch figures: the selected grid under the panel's filters."""

from __future__ import annotations

from dash import Dash, Input, Output, no_update

from gridmap.views import url_state
from gridmap.views.map_view import scoped_state
from ui import ids
from ui.dispatch_stats import dispatch_stats
from web import dispatch_view
from web.auth import current_scope
from web.dispatch_stats import grid_dispatch_figures
from web.runtime import Runtime


def register(app: Dash, runtime: Runtime) -> None:
    """Register the dispatch figures' callback of the main map."""
    district = runtime.district

    @app.callback(
        Output(ids.DISPATCH_STATS, "children"),
        Input(ids.URL, "search"),
        Input(ids.FILTERS_STORE, "data"),
        Input(ids.VERSION_STORE, "data"),
        Input(ids.LANG_STORE, "data"),
    )
    def figures(search, filters_key, version, lang):
        if not filters_key:
            return no_update
        scope = current_scope()
        state, inside = scoped_state(district, url_state.parse(search), scope)
        if not inside:
            return []
        minute = runtime.clock().replace(second=0, microsecond=0).isoformat()
        found = grid_dispatch_figures(
            scope.key(), state.grid, filters_key, int(version or 0), minute
        )
        categories = dispatch_view.district_categories(runtime)
        return dispatch_stats(
            found, lang, lambda unit, lang: dispatch_view.unit_label(unit, lang, categories)
        )
