"""Wire clicks, breadcrumb, 'up', search and the view selector to the URL (the nav state)."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, ctx, no_update

from gridmap.views import navigation, url_state
from layers.map_figure import grid_click_points
from ui import ids
from web.auth import current_scope
from web.runtime import Runtime


def register(app: Dash, runtime: Runtime) -> None:
    """Register the navigation callback."""
    district = runtime.district

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.VIEW_SELECT, "value"),
        Input(ids.MAP_GRAPH, "clickData"),
        Input({"type": "nav-crumb", "index": ALL}, "n_clicks"),
        Input({"type": "stats-child", "index": ALL}, "n_clicks"),
        Input(ids.UP_BUTTON, "n_clicks"),
        Input(ids.SEARCH_DROPDOWN, "value"),
        Input(ids.VIEW_SELECT, "value"),
        Input(ids.URL, "search"),
    )
    def navigate(click, _crumbs, _children, _up, found, view, search):
        state = url_state.parse(search)
        trigger = ctx.triggered_id
        if trigger == ids.URL or trigger is None:
            # Back button, deep link or first load: the URL rules; show its view.
            return no_update, state.view
        # Every step is checked against the reader's scope on the server: one that would leave
        # their subtrees (a forged click, a stale list) changes nothing.
        scope = current_scope()
        if trigger == ids.MAP_GRAPH:
            points = grid_click_points(click)
            grid = navigation.clicked_grid(district, state, points[0], scope) if points else None
            new = navigation.select(state, grid)
        elif isinstance(trigger, dict) and trigger.get("type") in ("nav-crumb", "stats-child"):
            if not ctx.triggered[0]["value"]:
                return no_update, no_update  # a freshly drawn breadcrumb, not a click
            new = navigation.select(state, trigger["index"], drill=True)
        elif trigger == ids.UP_BUTTON:
            new = navigation.up(district, state, scope)
        elif trigger == ids.SEARCH_DROPDOWN:
            new = navigation.select(state, found if found in district else None, drill=True)
        else:
            new = url_state.NavState(grid=state.grid, view=view or "drill")
        new = navigation.canonical(district, navigation.clamp(district, state, new, scope))
        query = url_state.format_query(new)
        # Dash does not rerun this callback for its own URL output, so a step that changes the
        # view (breadcrumb, 'up' and search return to drilling) sets the selector here.
        return (
            no_update if query == (search or "") else query,
            no_update if new.view == view else new.view,
        )

    @app.callback(Output(ids.UP_BUTTON, "disabled"), Input(ids.URL, "search"))
    def up_disabled(search):
        # 'Up' leads nowhere at the top of the reader's tree (the district, or their own grid).
        return navigation.at_top(district, url_state.parse(search), current_scope())
