"""Each page's Dash app and the files of assets/ it loads (the rest are ignored)."""

from __future__ import annotations

import re

from dash import Dash

from gridmap.settings import ROOT

#: The one folder of scripts and styles; each page picks its files from it.
ASSETS_FOLDER = str(ROOT / "assets")

#: plotly.js with only the traces the pages draw (built by scripts/plotly_bundle/build.js).
PLOTLY_BUNDLE = "plotly-gridmap.min.js"

#: The asset files of each page (the map labels and the base styles are shared; the wall draws
#: its own labels, decluttered, in wall_map.js). Every page draws graphs with the app's own
#: Plotly bundle (scripts/plotly_bundle): with ``window.Plotly`` set, ``dcc.Graph`` never
#: fetches the full ``plotly.min.js``.
PAGE_ASSETS = {
    "main": (
        "map_labels.js",
        "map_prefetch.js",
        "map_sources.js",
        PLOTLY_BUNDLE,
        "plotly-locale-zh-cn.js",
        "style.css",
    ),
    "planner": (
        "compare_sync.js",
        "map_click.js",
        "map_labels.js",
        "map_sources.js",
        PLOTLY_BUNDLE,
        "style.css",
    ),
    "wall": ("map_sources.js", PLOTLY_BUNDLE, "style.css", "wall.css", "wall.js", "wall_map.js"),
    "dispatch": ("dispatch.css", "dispatch.js", "notify.wav", PLOTLY_BUNDLE, "style.css"),
}


def assets_ignore(page: str) -> str:
    """Return the ``assets_ignore`` regex of ``page``: it matches every file not its own.

    Parameters
    ----------
    page : str
        A key of :data:`PAGE_ASSETS`.

    Returns
    -------
    str
        A regex Dash searches in each asset file name; a match leaves the file out.
    """
    own = "|".join(re.escape(name) for name in PAGE_ASSETS[page])
    return rf"^(?!(?:{own})$)"


def page_app(server, page: str, title: str, prefix: str = "/") -> Dash:
    """Return the Dash app of ``page`` at ``prefix`` on ``server``, loading only its own assets.

    Parameters
    ----------
    server : flask.Flask
        The server the pages share.
    page : str
        A key of :data:`PAGE_ASSETS` (also the Dash app's name, except for the main map).
    title : str
        The browser tab's title.
    prefix : str
        The page's URL prefix (``/planner/``); the main map is at ``/``.
    """
    app = Dash(
        server.name if page == "main" else page,
        server=server,
        url_base_pathname=prefix,
        assets_folder=ASSETS_FOLDER,
        assets_ignore=assets_ignore(page),
        title=title,
        update_title=None,
        serve_locally=True,
        # Gzip every text answer of the shared server (pages, scripts, callbacks, API) through
        # flask-compress; one app enabling it is enough, it binds to the server.
        compress=page == "main",
    )
    # By prefix: a callback request is checked against its own page's callbacks
    # (web.error_answers), so a forged or stale one is a 400, not Dash's KeyError (a 500).
    server.extensions.setdefault("dash_apps", {})[prefix] = app
    return app
