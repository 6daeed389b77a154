"""Wire the steps, URL, language, metric and layer toggles to the map, breadcrumb and panels."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State, ctx, no_update

from callbacks.dispatch_stats import dispatch_panel
from callbacks.incidents import clicked_incident, statistics_panel
from callbacks.overlays import overlay_changes
from gridmap.access.roles import Scope
from gridmap.grids.district import District
from gridmap.i18n import LANGUAGES, name_of
from gridmap.incidents.views import INCIDENT_METRICS
from gridmap.views import navigation, url_state
from gridmap.views.map_view import scoped_state
from gridmap.views.navigation import breadcrumb_chain
from layers.basemap import toggled_layers
from layers.map_figure import (
    GRID_TRACE,
    POSTS_TRACE,
    grid_click_points,
    recolour_changes,
    view_changes,
)
from layers.posts_layer import posts_trace
from ui import ids
from ui.legend import map_legend
from ui.panels import breadcrumb, detail_panel, outside_panel, unknown_notice
from web.auth import current_scope
from web.map_updates import level_url, summary_for, view_for
from web.runtime import Runtime


def _apply(patch: Patch, changes: dict[str, object]) -> None:
    for path, value in changes.items():
        target = patch
        *head, last = path.split(".")
        for part in head:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value


def _brief(district: District, grid_id: str) -> dict:
    rec = district.record(grid_id)
    return {k: rec[k] for k in ("grid_id", "level", "name_zh", "name_en")}


def _root_briefs(district: District, scope: Scope) -> list[dict]:
    """Return briefs of the reader's roots known to the district (none for the whole one)."""
    return [_brief(district, r) for r in scope.roots or () if r in district]


def crumbs(district: District, scope: Scope, grid_id: str, lang: str) -> list:
    """Return the breadcrumb of ``grid_id``: from the top of the reader's tree down to it."""
    chain = breadcrumb_chain(district, grid_id, scope)
    others = [b for b in _root_briefs(district, scope) if not chain or b["grid_id"] != chain[0]]
    return breadcrumb([_brief(district, g) for g in chain], lang, others)


def _step_kind(trigger) -> str | None:
    """Return the navigation step (``navigation.STEPS``) ``trigger`` is, None for no step.

    The breadcrumb and the ranking rows are links: a URL change, drawn as one.
    """
    return {
        ids.MAP_GRAPH: "click",
        ids.UP_BUTTON: "up",
        ids.SEARCH_DROPDOWN: "search",
        ids.VIEW_SELECT: "view",
    }.get(trigger)


def _changed() -> tuple[frozenset, object, object]:
    """Return the ids of every input that changed, the step among them (else the first), its value.

    Dash merges the changes that came while a call waited on another callback (a language
    switch also sets the filters) into one call, in no fixed order: ``ctx.triggered_id``
    alone would name either, and the other's change would be lost.
    """
    changed = [
        (ctx.triggered_prop_ids[t["prop_id"]], t["value"])
        for t in ctx.triggered
        if t["prop_id"] in ctx.triggered_prop_ids
    ]
    keys = frozenset(c for c, _ in changed)
    steps = [(c, v) for c, v in changed if _step_kind(c) is not None]
    trigger, value = (steps or changed or [(None, None)])[0]
    return keys, trigger, value


def register(app: Dash, runtime: Runtime) -> None:
    """Register the render callback (grids, overlays, breadcrumb, panel) and the map's size."""
    app.clientside_callback(
        """(path) => {
            const el = document.getElementById('map-graph');
            return el ? [el.clientWidth, el.clientHeight] : null;
        }""",
        Output(ids.MAP_SIZE_STORE, "data"),
        Input(ids.URL, "pathname"),
    )

    @app.callback(
        Output(ids.MAP_LEGEND, "children"),
        Input(ids.LAYER_CHECKLIST, "value"),
        Input(ids.LANG_STORE, "data"),
    )
    def legend(layers, lang):
        return map_legend(layers, lang)

    district = runtime.district
    posts = district.post_records()
    # Names of every grid, by language, read once: a whole-level tooltip shows the name.
    names = {
        lang: {g: name_of(district.record(g), lang) for g in district.grids.index}
        for lang in LANGUAGES
    }

    def draw(changed, search, lang, metric, layers, size, filters_key, version):
        """Return the figure Patch, breadcrumb and panel of the URL ``search`` (or no_update).

        ``changed`` holds the ids of the inputs that changed (none on a page load).
        """
        only_metric = changed == {ids.METRIC_SELECT}
        # One Patch carries the grids and the incident overlays: Plotly redraws the map once
        # per step (two figure outputs were two redraws of every map source).
        incident_metric = metric in INCIDENT_METRICS
        if incident_metric and not filters_key:
            return no_update, no_update, no_update
        patch = Patch()
        if filters_key and not only_metric:
            _apply(patch, overlay_changes(runtime, search, filters_key, layers, lang, size))
        if changed and changed <= {ids.FILTERS_STORE, ids.VERSION_STORE} and not incident_metric:
            # New data or other filters change only the overlays, not the grid colours.
            return (patch if filters_key else no_update), no_update, no_update
        # The reader's scope is read on the server: a grid outside it is never drawn.
        scope = current_scope()
        state, inside = scoped_state(district, url_state.parse(search), scope)
        width, height = size if size else (0, 0)
        view, outline = view_for(
            scope.key(),
            state.grid,
            state.view,
            metric,
            lang,
            int(width),
            int(height),
            filters_key if incident_metric else "",
            int(version or 0) if incident_metric else 0,
        )
        if only_metric:
            # The same grids in other colours: their keys, names and points are drawn already.
            _apply(patch, recolour_changes(view, layers))
            return patch, no_update, no_update
        changes = view_changes(view, level_url(view.level, scope.key()), outline, layers)
        if state.whole_level:
            changes[f"data.{GRID_TRACE}.text"] = [names[lang][g] for g in view.ids]
        _apply(patch, changes)
        if not changed or changed & {ids.LANG_STORE, ids.LAYER_CHECKLIST}:
            # Posts and roads change only with the language or the layer toggles.
            post_trace = posts_trace(posts, lang, "posts" in (layers or []))
            for key in ("visible", "text", "name"):
                patch["data"][POSTS_TRACE][key] = post_trace[key]
            toggled = toggled_layers(layers, bool(runtime.settings.tile_url))
            for index, visible in toggled.items():
                patch["layout"]["map"]["layers"][index]["visible"] = visible
        summary = summary_for(scope.key(), view.selected) if inside else None
        if summary is None:
            panel = outside_panel(_root_briefs(district, scope), lang)
        else:
            panel = detail_panel(summary, lang)
        asked = url_state.parse(search).grid
        if asked and asked not in district:
            # A mistyped or stale link: say so above what is shown instead (the reader's home).
            panel = [unknown_notice(asked, lang), *panel]
        return patch, crumbs(district, scope, view.selected, lang), panel

    def grid_panels(search, lang, filters_key, version, rank, scope):
        """Return the statistics panel, the dispatch figures and the cleared incident detail.

        They follow the URL's grid: a step answers them with the map (no second round trip on
        the new URL), through the functions their own callbacks answer the filters with.
        """
        if not filters_key:
            return no_update, no_update, no_update  # no filters yet: no incidents drawn
        stats = statistics_panel(district, scope, search, filters_key, version, rank, lang)
        figures = dispatch_panel(runtime, scope, search, filters_key, version, lang)
        return (
            no_update if stats is None else stats,
            no_update if figures is None else figures,
            [],
        )

    def drawn_grid(search, scope) -> tuple[str, bool]:
        """Return (the grid the URL ``search`` shows the reader, whether it was asked inside)."""
        state, inside = scoped_state(district, url_state.parse(search), scope)
        return state.grid, inside

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.VIEW_SELECT, "value"),
        Output(ids.MAP_GRAPH, "figure"),
        Output(ids.BREADCRUMB, "children"),
        Output(ids.DETAIL_PANEL, "children"),
        Output(ids.STATS_PANEL, "children"),
        Output(ids.DISPATCH_STATS, "children"),
        Output(ids.INCIDENT_DETAIL, "children"),
        Output(ids.UP_BUTTON, "disabled"),
        Input(ids.MAP_GRAPH, "clickData"),
        Input(ids.UP_BUTTON, "n_clicks"),
        Input(ids.SEARCH_DROPDOWN, "value"),
        Input(ids.VIEW_SELECT, "value"),
        Input(ids.URL, "search"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.METRIC_SELECT, "value"),
        Input(ids.LAYER_CHECKLIST, "value"),
        Input(ids.MAP_SIZE_STORE, "data"),
        Input(ids.FILTERS_STORE, "data"),
        Input(ids.VERSION_STORE, "data"),
        State(ids.STATS_RANK, "value"),
    )
    def render(click, _up, found, view, search, *inputs):
        # A step (click, 'up', search, view) answers with its URL *and* what the URL shows, in
        # one response: Dash does not rerun a callback for its own outputs, so the URL output
        # is no second round trip. A URL change of its own (a breadcrumb or ranking link, the
        # back button, a deep link, the first load) is drawn here too. The statistics panel,
        # the dispatch figures, the incident detail and the 'up' button follow the URL's grid
        # in the same answer (no callback of this page takes the URL as an input besides this
        # one): sent when the grid changed, else left alone. A click on an incident answers
        # its detail.
        *inputs, rank = inputs
        lang, _metric, _layers, _size, filters_key, version = inputs
        changed, trigger, value = _changed()
        kind = _step_kind(trigger)
        if kind is None:
            state = url_state.parse(search)
            # A load triggers with the map's size *and* the URL (the size named first).
            url_changed = trigger is None or ids.URL in changed
            shown = no_update if not url_changed or state.view == view else state.view
            if url_changed:
                scope = current_scope()
                panels = grid_panels(search, lang, filters_key, version, rank, scope)
                if not changed or ids.MAP_SIZE_STORE in changed:
                    panels = (*panels[:2], no_update)  # the first load: no detail to clear
                # 'Up' leads nowhere at the top of the reader's tree (the district, their grid).
                panels = (*panels, navigation.at_top(district, state, scope))
            else:
                panels = (no_update,) * 4  # a toggle, filter or language: their own callbacks
            return no_update, shown, *draw(changed, search, *inputs), *panels
        if kind == "click" and (shown := clicked_incident(runtime, click, lang)) is not None:
            return (*(no_update,) * 7, shown, no_update)  # an incident's detail, no step
        # Every step is checked against the reader's scope on the server: one that would leave
        # their subtrees (a forged click, a stale list) changes nothing.
        value = {
            "click": lambda: grid_click_points(click),
            "search": lambda: found,
            "view": lambda: view,
        }.get(kind, lambda: None)()
        scope = current_scope()
        state = url_state.parse(search)
        new = navigation.step(district, state, kind, value, scope)
        query = url_state.format_query(new)
        if query == (search or ""):
            # Nothing to show anew; the selector still follows a view the URL already had.
            return (no_update, no_update if new.view == view else new.view, *(no_update,) * 7)
        if drawn_grid(query, scope) == drawn_grid(search, scope):
            # A view change: the same grid's panels; an incident's detail is cleared.
            panels = (no_update, no_update, [] if filters_key else no_update)
        else:
            panels = grid_panels(query, lang, filters_key, version, rank, scope)
        top = navigation.at_top(district, new, scope)
        # The step's view (breadcrumb, 'up' and search return to drilling) goes to the selector.
        shown = no_update if new.view == view else new.view
        return (query, shown, *draw(changed | {ids.URL}, query, *inputs), *panels, top)
