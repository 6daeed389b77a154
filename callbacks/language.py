"""Wire the language toggle to every translated text of the page."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx

from gridmap.grids.metrics import available_metrics
from gridmap.i18n import t
from ui import ids
from ui.dropdowns import dropdown_labels
from ui.layout import credit_line, layer_options, metric_options, view_options
from web.runtime import Runtime


def register_toggle(app: Dash, toggle_id: str, store_id: str) -> None:
    """Make the button ``toggle_id`` switch the language held in the store ``store_id``."""

    @app.callback(
        Output(store_id, "data"),
        Input(toggle_id, "n_clicks"),
        State(store_id, "data"),
        prevent_initial_call=True,
    )
    def toggle(_clicks, lang):
        return "en" if lang == "zh" else "zh"


def register(app: Dash, runtime: Runtime) -> None:
    """Register the language callbacks."""
    register_toggle(app, ids.LANG_TOGGLE, ids.LANG_STORE)

    @app.callback(
        Output({"type": "i18n-text", "index": ALL}, "children"),
        Output(ids.LANG_TOGGLE, "children"),
        Output(ids.SEARCH_DROPDOWN, "placeholder"),
        Output(ids.VIEW_SELECT, "options"),
        Output(ids.METRIC_SELECT, "options"),
        Output(ids.LAYER_CHECKLIST, "options"),
        Output(ids.DEMO_BADGE, "children"),
        Output(ids.DEMO_BADGE, "title"),
        Output(ids.DISTRICT_NAME, "children"),
        Output(ids.SEARCH_DROPDOWN, "labels"),
        Output(ids.VIEW_SELECT, "labels"),
        Output(ids.METRIC_SELECT, "labels"),
        Output(ids.MAP_CREDIT, "children"),
        Output(ids.MAP_CREDIT, "title"),
        Input(ids.LANG_STORE, "data"),
        # The layout is written in the store's first language: a page load has nothing to redo.
        prevent_initial_call=True,
    )
    def translate(lang):
        keys = [o["id"]["index"] for o in ctx.outputs_list[0]]
        credit = credit_line(runtime.district.attribution(lang), runtime.settings.tile_attribution)
        return (
            [t(k, lang) for k in keys],
            t("lang-toggle", lang),
            t("search-placeholder", lang),
            view_options(lang),
            metric_options(lang, available_metrics(runtime.district)),
            # Without roads the coverage is the straight-line approximation (no model needed).
            layer_options(lang, runtime.district.roads is None or runtime.district.roads.empty),
            t("demo-badge", lang),
            t("demo-badge-title", lang),
            runtime.district.name(lang),
            *[dropdown_labels(lang)] * 3,
            credit,
            credit,
        )
