"""The wall page: a header, the map the full height in the middle, panels on both sides.

KPI tiles (with the coverage figure), trend and categories on the left; ranking, staff on duty,
overdue cases and the ticker on the right.

Sized in viewport units (``assets/wall.css``, scoped under ``.wall``) so one layout fills
1920x1080, 2560x1440 and 3840x2160 screens with no scroll bars. No controls: the URL sets
everything, the preset (``layout=``) too: it is a class of the root that places the panels.
"""

from __future__ import annotations

from dash import dcc, html

from gridmap.i18n import t
from gridmap.views.wall import HEAT_DAYS, WallSettings
from ui import wall_ids as ids
from ui.wall_panels import coverage_card, duty_card, kpi_tiles

GRAPH_CONFIG = {
    "displayModeBar": False,
    "scrollZoom": False,
    "doubleClick": False,
    "showTips": False,
    "responsive": True,
}


def _text(key: str, lang: str, tag=html.Span, **kwargs):
    return tag(t(key, lang), id=ids.text(key), **kwargs)


def legend(layers: tuple[str, ...], lang: str) -> list:
    """Return the legend entries of the layers shown."""
    entries = [
        ("heat", t("wall-legend-heat", lang, days=HEAT_DAYS)),
        ("coverage", t("wall-legend-coverage", lang)),
        ("gaps", t("wall-legend-gaps", lang)),
        ("posts", t("wall-legend-posts", lang)),
        ("overdue", t("wall-legend-overdue", lang)),
        ("new", t("wall-legend-new", lang)),
    ]
    return [
        html.Span(
            [html.I(className=f"wall-swatch wall-swatch-{name}"), label],
            className="wall-legend-item",
        )
        for name, label in entries
        if name in layers or name in ("overdue", "new")
    ]


def ticker_items(rows: list[dict], lang: str) -> list:
    """Return the ticker's list items (keyed by incident id, so React only adds new ones).

    An overdue case carries the overdue mark, an escalated one (督办) its own.
    """
    if not rows:
        return [html.Li(t("wall-ticker-empty", lang), className="wall-ticker-empty")]
    items = []
    for row in rows:
        marks = []
        if row.get("overdue"):
            marks.append(html.Span(t("wall-ticker-overdue", lang), className="wall-mark-overdue"))
        if row.get("escalated"):
            marks.append(
                html.Span(t("wall-ticker-escalated", lang), className="wall-mark-escalated")
            )
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
                        [*marks, row["status"]],
                        className="wall-ticker-status "
                        + ("wall-status-open" if row["open"] else "wall-status-done"),
                    ),
                ],
                key=row["id"],
                className="wall-ticker-row" + (" wall-ticker-late" if marks else ""),
                **{"data-id": row["id"]},
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
            dcc.Graph(id=ids.MAP, figure=figure, config=GRAPH_CONFIG, className="wall-map-graph"),
            html.Div("", id=ids.TOUR_CAPTION, className="wall-tour-caption"),
            html.Div(legend(settings.layers, lang), id=ids.LEGEND, className="wall-legend"),
        ],
        id=ids.panel("map"),
        className="wall-map-panel",
    )

    def section(name, title, body, count=None):
        heading = [title] if count is None else [title, count]
        return html.Section(
            [html.H2(heading, className="wall-panel-title"), body],
            id=ids.panel(name),
            className=f"wall-panel wall-panel-{name}",
        )

    panels = [
        # The 5-minute coverage figure is the eighth tile (it has no change: a model figure).
        html.Section(
            [*kpi_tiles(lang), coverage_card(lang)], id=ids.panel("kpis"), className="wall-kpis"
        ),
        section("trend", _text("wall-trend", lang), html.Div(id=ids.TREND, className="wall-trend")),
        section("split", _text("wall-split", lang), html.Div(id=ids.SPLIT, className="wall-split")),
        map_panel,
        section(
            "ranking",
            html.Span(t("wall-ranking-townships", lang), id=ids.RANKING_TITLE),
            html.Div(id=ids.RANKING, className="wall-ranking"),
        ),
        duty_card(lang),
        section(
            "overdue",
            _text("wall-overdue", lang),
            html.Ul(id=ids.OVERDUE, className="wall-overdue"),
            html.Span("", id=ids.OVERDUE_COUNT, className="wall-panel-count"),
        ),
        section(
            "ticker",
            _text("wall-ticker", lang),
            html.Ul(ticker_items([], lang), id=ids.TICKER, className="wall-ticker"),
        ),
    ]
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
            dcc.Store(id=ids.FRESH_STORE, data=None),
            dcc.Store(id=ids.PULSE_STORE, data=None),
            dcc.Interval(id=ids.REFRESH_INTERVAL, interval=settings.refresh * 1000),
            dcc.Store(id=ids.REFRESH_GATE_STORE, data=None),
            dcc.Interval(id=ids.TICK_INTERVAL, interval=1000),
            dcc.Interval(id=ids.TOUR_INTERVAL, interval=settings.tour * 1000),
            header,
            html.Main(panels, className="wall-body"),
            html.Div("", id=ids.STALE_BANNER, className="wall-stale", hidden=True, role="alert"),
            html.Div("", id=ids.INVALID, className="wall-invalid", hidden=True, role="alert"),
        ],
        id=ids.ROOT,
        className=f"wall wall-layout-{settings.layout}",
        lang=lang,
    )
