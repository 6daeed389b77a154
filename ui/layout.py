"""The dashboard page: header, controls, breadcrumb, map and detail panel."""

from __future__ import annotations

from dash import dcc, html

from gridmap.access.roles import RULES
from gridmap.grids.metrics import ALL_METRICS, DEFAULT_METRIC
from gridmap.i18n import t
from gridmap.incidents.categories import DEFAULTS, Categories
from gridmap.views.url_state import VIEWS
from ui import ids
from ui.dropdowns import dropdown_labels
from ui.graph_config import with_locale
from ui.incident_controls import incident_controls, rank_options

#: The layers checked on a first visit (the reader's own choice is kept in the browser).
DEFAULT_LAYERS = ("posts", "roads", "heat", "incidents")

GRAPH_CONFIG = {
    "showSendToCloud": False,
    "displaylogo": False,
    "scrollZoom": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def credit_line(attribution: str, tile_attribution: str = "") -> str:
    """Return the map's credit line: the data's credit and, when set, the tiles' credit."""
    return " · ".join(x for x in (attribution, tile_attribution) if x)


def view_options(lang: str) -> list[dict]:
    """Return the options of the view selector in ``lang``."""
    out = []
    for view in VIEWS:
        if view == "drill":
            label = t("view-drill", lang)
        else:
            label = t("view-level", lang, level=view.split("-")[1])
        out.append({"label": label, "value": view})
    return out


def metric_options(lang: str, metrics: tuple[str, ...] = ALL_METRICS) -> list[dict]:
    """Return the options of the metric selector in ``lang`` (``metrics``: those the data has)."""
    return [{"label": t(f"metric-{m}", lang), "value": m} for m in metrics]


def layer_options(lang: str, approximate: bool = False) -> list[dict]:
    """Return the options of the layer checklist in ``lang``.

    ``approximate``: the coverage is the straight-line approximation (no roads), and says so.
    """
    return [
        {"label": t("layer-posts", lang), "value": "posts"},
        {"label": t("layer-roads", lang), "value": "roads"},
        {
            "label": t("layer-coverage-approx" if approximate else "layer-coverage", lang),
            "value": "coverage",
        },
        {"label": t("layer-gaps", lang), "value": "gaps"},
        {"label": t("layer-heat", lang), "value": "heat"},
        {"label": t("layer-incidents", lang), "value": "incidents"},
    ]


def _text(key: str, lang: str, tag=html.Span, **kwargs):
    return tag(t(key, lang), id=ids.text(key), **kwargs)


def user_block(
    user_name: str, role: str | None, lang: str, workbench_link: bool = True
) -> html.Div:
    """Return the header's signed-in person: name, translated role and a sign-out link.

    The name is text (a user's own), never markup; the labels follow the language toggle.
    ``workbench_link``: link to the dispatch workbench for the roles that may use it.
    """
    parts: list = [
        html.Span(user_name, id=ids.USER_NAME, className="user-name", title=user_name),
    ]
    if role:
        parts.append(_text(f"role-{role}", lang, className="user-role"))
    if workbench_link and role in RULES["dispatch"][0]:
        # The workbench is for those who may dispatch (the page's access rule says the same).
        parts.append(
            _text("dispatch-link", lang, html.A, href="/dispatch/", className="workbench-link")
        )
    if role == "admin":
        parts.append(_text("admin-link", lang, html.A, href="/admin/users", className="sign-out"))
    parts.append(
        html.A(t("sign-out", lang), href="/logout", id=ids.text("sign-out"), className="sign-out")
    )
    return html.Div(parts, className="user-block", title=t("header-signed-in", lang))


def page(
    figure: dict,
    lang: str,
    demo: bool,
    credit: str,
    district_name: str,
    incident_range: tuple[str, str],
    refresh_seconds: int,
    user_name: str = "",
    role: str | None = None,
    metrics: tuple[str, ...] = ALL_METRICS,
    metric: str = DEFAULT_METRIC,
    categories: Categories = DEFAULTS,
    incidents_first: dict | None = None,
    geometry_urls: tuple[str, ...] = (),
) -> html.Div:
    """Return the page layout with ``figure`` as the initial map (the reader's home view).

    ``incident_range`` is the default date range of the incident filters (ISO dates).
    ``user_name`` and ``role`` (one of ``gridmap.access.roles.ROLES``, or None for a token or
    kiosk) are the signed-in person's, shown in the header with a sign-out link. ``metrics``
    are the metrics the district's figures can give, ``metric`` the one selected first;
    ``categories`` the district's incident categories (the filter menu); ``incidents_first``
    the incident filters' state on a page load (``ui.incident_controls.incident_controls``);
    ``geometry_urls`` each level's grid geometry, fetched by the browser once the map is drawn
    (``assets/map_prefetch.js``), the first drill to a level then waits for no download.
    """
    header = html.Header(
        [
            html.Div(
                [
                    html.H1(
                        [
                            html.Span(district_name, id=ids.DISTRICT_NAME),
                            " ",
                            _text("app-title", lang),
                        ]
                    ),
                    _text("app-subtitle", lang, className="subtitle"),
                ],
                className="title-block",
            ),
            html.Span(
                t("demo-badge", lang),
                id=ids.DEMO_BADGE,
                className="demo-badge",
                title=t("demo-badge-title", lang),
                hidden=not demo,
            ),
            dcc.Dropdown(
                id=ids.SEARCH_DROPDOWN,
                labels=dropdown_labels(lang),
                options=[],
                placeholder=t("search-placeholder", lang),
                searchable=True,
                clearable=True,
                className="search",
            ),
            html.Button(t("lang-toggle", lang), id=ids.LANG_TOGGLE, className="lang-toggle"),
            user_block(user_name, role, lang),
        ],
        className="app-header",
    )
    controls = html.Div(
        [
            _text("view-label", lang, html.Label),
            dcc.Dropdown(
                id=ids.VIEW_SELECT,
                labels=dropdown_labels(lang),
                options=view_options(lang),
                value="drill",
                clearable=False,
                className="control",
            ),
            _text("metric-label", lang, html.Label),
            dcc.Dropdown(
                id=ids.METRIC_SELECT,
                labels=dropdown_labels(lang),
                options=metric_options(lang, metrics),
                value=metric,
                clearable=False,
                className="control",
            ),
            _text("layers-label", lang, html.Label),
            dcc.Checklist(
                id=ids.LAYER_CHECKLIST,
                options=layer_options(lang),
                value=list(DEFAULT_LAYERS),
                inline=True,
                # The reader's layer choice survives a reload and a deep link opened here.
                persistence=True,
                persistence_type="local",
            ),
        ],
        className="controls",
    )
    nav = html.Nav(
        [
            # The label is a translated text of its own, so the language toggle reaches it.
            html.Button(_text("up", lang), id=ids.UP_BUTTON, className="up-button"),
            html.Div(id=ids.BREADCRUMB, className="breadcrumb"),
        ],
        className="nav-row",
    )
    map_panel = html.Div(
        [
            dcc.Graph(
                id=ids.MAP_GRAPH,
                figure=figure,
                config=with_locale(GRAPH_CONFIG, lang),
                className="map-graph",
            ),
            html.Div(credit, id=ids.MAP_CREDIT, className="map-credit", title=credit),
            _text("map-hint", lang, html.Div, className="map-hint"),
            html.Div(id=ids.MAP_LEGEND, className="map-legend"),
            html.Div(id=ids.GEO_PREFETCH, hidden=True, **{"data-urls": " ".join(geometry_urls)}),
        ],
        className="map-panel with-credit",
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG_STORE, data=lang),
            dcc.Store(id=ids.MAP_SIZE_STORE, data=None),
            header,
            controls,
            incident_controls(lang, *incident_range, refresh_seconds, categories, incidents_first),
            nav,
            html.Main(
                [
                    map_panel,
                    html.Aside(
                        [
                            html.Div(id=ids.DETAIL_PANEL),
                            html.Div(id=ids.INCIDENT_DETAIL, className="incident-detail"),
                            html.Div(
                                [
                                    dcc.Dropdown(
                                        id=ids.STATS_RANK,
                                        labels=dropdown_labels(lang),
                                        options=rank_options(lang),
                                        value="count",
                                        clearable=False,
                                        className="control",
                                    ),
                                    html.Button(
                                        t("stats-export", lang),
                                        id=ids.STATS_EXPORT,
                                        className="btn",
                                    ),
                                    dcc.Download(id=ids.STATS_DOWNLOAD),
                                ],
                                className="row stats-tools",
                            ),
                            html.Div(id=ids.STATS_PANEL),
                            html.Div(id=ids.DISPATCH_STATS, className="dispatch-stats"),
                        ],
                        className="detail-panel",
                    ),
                ],
                className="main",
            ),
        ],
        className="app",
    )
