"""The wall page: header with clock and freshness, KPI tiles, the map and the ticker.

Sized in viewport units (``assets/wall.css``, scoped under ``.wall``) so one layout fills a
1920x1080 and a 3840x2160 screen with no scroll bars. No controls: the URL sets everything.
"""

from __future__ import annotations

from dash import dcc, html

from gridmap.i18n import t
from gridmap.views.wall import HEAT_DAYS, WallSettings
from ui import wall_ids as ids

GRAPH_CONFIG = {
    "displayModeBar": False,
    "scrollZoom": False,
    "doubleClick": False,
    "showTips": False,
    "responsive": True,
}


def _text(key: str, lang: str, tag=html.Span, **kwargs):
    return tag(t(key, lang), id=ids.text(key), **kwargs)


def kpi_tiles(lang: str) -> html.Section:
    """Return the KPI tiles (values filled by the refresh callback)."""
    tiles = [
        html.Div(
            [
                _text(key, lang, html.Div, className="wall-kpi-label"),
                html.Div("—", id=ids.kpi_value(name), className="wall-kpi-value"),
            ],
            id=ids.kpi_tile(name),
            className=f"wall-kpi wall-kpi-{name.replace('_', '-')}",
        )
        for name, key in ids.KPIS
    ]
    return html.Section(tiles, className="wall-kpis")


def legend(layers: tuple[str, ...], lang: str) -> list:
    """Return the legend entries of the layers shown."""
    entries = [
        ("heat", t("wall-legend-heat", lang, days=HEAT_DAYS)),
        ("coverage", t("wall-legend-coverage", lang)),
        ("gaps", t("wall-legend-gaps", lang)),
        ("posts", t("wall-legend-posts", lang)),
    ]
    return [
        html.Span(
            [html.I(className=f"wall-swatch wall-swatch-{name}"), label],
            className="wall-legend-item",
        )
        for name, label in entries
        if name in layers
    ]


def ticker_items(rows: list[dict], lang: str) -> list:
    """Return the ticker's list items (keyed by incident id, so React only adds new ones)."""
    if not rows:
        return [html.Li(t("wall-ticker-empty", lang), className="wall-ticker-empty")]
    items = []
    for row in rows:
        items.append(
            html.Li(
                [
                    html.Span(row["time"], className="wall-ticker-time", title=row["day"]),
                    html.Span(
                        row["category"],
                        className=f"wall-ticker-category wall-cat-{row['category_id']}",
                    ),
                    html.Span(
                        [
                            html.Span(row["village"], className="wall-ticker-village"),
                            html.Span(row["township"], className="wall-ticker-township"),
                        ],
                        className="wall-ticker-place",
                    ),
                    html.Span(
                        row["status"],
                        className="wall-ticker-status "
                        + ("wall-status-open" if row["open"] else "wall-status-done"),
                    ),
                ],
                key=row["id"],
                className="wall-ticker-row",
            )
        )
    return items


def wall_page(
    figure: dict,
    views: dict | None,
    settings: WallSettings,
    district_name: str,
    demo: bool,
) -> html.Div:
    """Return the wall layout; ``settings`` are the defaults (the URL's are applied at load).

    Parameters
    ----------
    figure : dict
        The initial map (:func:`layers.wall_figure.wall_figure`).
    views : dict or None
        The tour's views (:func:`gridmap.views.wall.tour_views`), read by the browser; None
        until the page learns its reader's scope (the wall's ``configure`` sets them).
    settings : WallSettings
        Default settings (intervals before the URL is read).
    district_name : str
        Shown in the title, in the default language.
    demo : bool
        Show the synthetic-data badge.
    """
    lang = settings.lang
    header = html.Header(
        [
            html.Div(
                [
                    html.H1(
                        [
                            html.Span(district_name, id=ids.TITLE),
                            " ",
                            _text("wall-title", lang),
                        ]
                    ),
                    html.Span(
                        t("demo-badge", lang),
                        id=ids.text("demo-badge"),
                        className="wall-demo",
                        hidden=not demo,
                    ),
                ],
                className="wall-title-block",
            ),
            html.Div(
                [
                    html.Div("--:--:--", id=ids.CLOCK, className="wall-clock"),
                    html.Div(
                        [
                            html.Div("", id=ids.DATE, className="wall-date"),
                            html.Div(
                                t("wall-updated-never", lang),
                                id=ids.FRESHNESS,
                                className="wall-freshness",
                            ),
                        ],
                        className="wall-date-block",
                    ),
                    # Who is signed in (filled when the page reads its URL).
                    html.Div(id=ids.USER, className="wall-user"),
                ],
                className="wall-time-block",
            ),
        ],
        className="wall-header",
    )
    map_panel = html.Div(
        [
            dcc.Graph(
                id=ids.MAP,
                figure=figure,
                config=GRAPH_CONFIG,
                className="map-graph wall-map-graph",
            ),
            html.Div("", id=ids.TOUR_CAPTION, className="wall-tour-caption"),
            html.Div(legend(settings.layers, lang), id=ids.LEGEND, className="wall-legend"),
        ],
        className="wall-map-panel",
    )
    ticker = html.Aside(
        [
            _text("wall-ticker", lang, html.H2, className="wall-ticker-title"),
            html.Ul(ticker_items([], lang), id=ids.TICKER, className="wall-ticker"),
        ],
        className="wall-ticker-panel",
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SETTINGS_STORE, data=None),
            dcc.Store(id=ids.VIEWS_STORE, data=views),
            dcc.Store(id=ids.NEWEST_STORE, data=None),
            dcc.Store(id=ids.VERSION_STORE, data=None),
            dcc.Store(id=ids.LAST_OK_STORE, data=None),
            dcc.Store(id=ids.RECEIVED_STORE, data=None),
            dcc.Store(id=ids.ERROR_STORE, data=None),
            dcc.Store(id=ids.TOUR_STORE, data=None),
            dcc.Interval(id=ids.REFRESH_INTERVAL, interval=settings.refresh * 1000),
            dcc.Store(id=ids.REFRESH_GATE_STORE, data=None),
            dcc.Interval(id=ids.TICK_INTERVAL, interval=1000),
            dcc.Interval(id=ids.TOUR_INTERVAL, interval=settings.tour * 1000),
            header,
            kpi_tiles(lang),
            html.Main([map_panel, ticker], className="wall-main"),
            html.Div("", id=ids.STALE_BANNER, className="wall-stale", hidden=True, role="alert"),
            html.Div("", id=ids.INVALID, className="wall-invalid", hidden=True, role="alert"),
        ],
        className="wall",
        lang=lang,
    )
