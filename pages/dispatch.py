"""The dispatch workbench (``/dispatch/``): its Dash app, its layout and its callbacks."""

from __future__ import annotations

from dash import Dash
from flask import Flask, has_request_context

from callbacks import dispatch as dispatch_callbacks
from gridmap.access.roles import Principal, Scope
from gridmap.i18n import t
from pages.assets import page_app
from ui.dispatch_layout import dispatch_page
from web import dispatch_view as view
from web.auth import current_principal
from web.runtime import Runtime


def create(server: Flask, runtime: Runtime) -> Dash:
    """Attach the workbench at ``/dispatch/`` to ``server``: a Dash app of its own.

    Parameters
    ----------
    server : flask.Flask
        The shared server (already wired).
    runtime : Runtime
        The app's settings, district, incident store and clock.

    Returns
    -------
    dash.Dash
        The workbench's app.
    """
    settings, district = runtime.settings, runtime.district
    app = page_app(server, "dispatch", t("dispatch-title", settings.lang), "/dispatch/")
    lang = settings.lang

    def layout_of(principal: Principal | None):
        who = principal if view.may_use(principal) else None
        nobody = Principal("", "user", scope=Scope.of([]))
        return dispatch_page(
            lang,
            district.name(lang),
            settings.refresh_seconds,
            user_name=principal.name if principal is not None else "",
            role=principal.role if principal is not None else None,
            grid_options=view.grid_options(runtime, who or nobody, lang),
            category_options=view.category_options(lang, view.district_categories(runtime)),
            unit_options=view.unit_options(lang, view.district_categories(runtime)),
            demo=district.is_demo,
            unit=(
                view.unit_label(view.unit_of(who), lang, view.district_categories(runtime))
                if view.is_unit(who)
                else None
            ),
        )

    def layout():
        # Read per request: who is signed in (their grids fill the grid filter). The case a
        # deep link opens (``/dispatch/?incident=<id>``) is read from the URL by a callback.
        # Dash also calls it once outside any request, to check the layout: an anonymous one.
        if not has_request_context():
            with server.app_context():
                return layout_of(None)
        return layout_of(current_principal())

    app.layout = layout
    dispatch_callbacks.register(app, runtime)
    return app
