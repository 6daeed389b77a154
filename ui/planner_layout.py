"""The planner page: map on the left; scenario controls, KPIs, suggestions on the right."""

from __future__ import annotations

from dash import dcc, html

from gridmap.coverage.profiles import DEFAULT_PROFILE, PROFILES
from gridmap.coverage.scenario import MINUTES_RANGE, SPEED_RANGE
from gridmap.i18n import t
from ui import planner_ids as ids
from ui.layout import GRAPH_CONFIG

#: The sliders are worked with the pointer or, focused (Tab), the arrow, Page and Home/End
#: keys; each press sets the value. Dash 4's number box beside a slider moved the thumb on an
#: arrow key without setting the value (the press was lost until the box lost focus): no box,
#: the value is written beside the slider's label instead.
KEYBOARD_SLIDER = {"allow_direct_input": False, "updatemode": "mouseup"}


def _text(key: str, lang: str, tag=html.Span, **kwargs):
    return tag(t(key, lang), id=ids.text(key), **kwargs)


def weight_options(lang: str) -> list[dict]:
    """Return the options of the suggestion's objective."""
    return [
        {"label": t("weight-population", lang), "value": "population"},
        {"label": t("weight-incidents", lang), "value": "incidents"},
    ]


def profile_options(lang: str) -> list[dict]:
    """Return the time-of-day profiles."""
    return [{"label": t(f"profile-{p}", lang), "value": p} for p in PROFILES]


def layer_options(lang: str) -> list[dict]:
    """Return what the map shows: the N-minute circle or the response times."""
    return [
        {"label": t("planner-layer-coverage", lang), "value": "coverage"},
        {"label": t("planner-layer-times", lang), "value": "times"},
    ]


def goal_options(lang: str) -> list[dict]:
    """Return the suggestion's goals: maximal covering, fewest posts, shortest mean time."""
    return [{"label": t(f"goal-{g}", lang), "value": g} for g in ("cover", "fewest", "median")]


def level_options(lang: str) -> list[dict]:
    """Return the levels of the worst-covered table."""
    return [{"label": t(f"level-{n}", lang), "value": n} for n in (2, 3, 4, 5)]


def planner_page(
    figure: dict, lang: str, demo: bool, district_name: str, post_options: list[dict]
) -> html.Div:
    """Return the planner layout with ``figure`` as the initial map.

    ``post_options`` lists the existing posts (label, value) for the "posts that may move" menu.
    """
    header = html.Header(
        [
            html.H1(
                [
                    html.Span(district_name, id=ids.TITLE_DISTRICT),
                    " ",
                    _text("planner-title", lang),
                ]
            ),
            html.Span(
                t("demo-badge", lang), id=ids.DEMO_BADGE, className="demo-badge", hidden=not demo
            ),
            html.Nav(
                [
                    html.A(t("nav-map", lang), href="/", id=ids.text("nav-map")),
                    html.A(t("nav-wall", lang), href="/wall/", id=ids.text("nav-wall")),
                ],
                className="page-links",
            ),
            # Who is signed in (filled on load: the layout is the same for everyone).
            html.Div(id=ids.USER, className="page-links user-badge"),
            html.Button(t("lang-toggle", lang), id=ids.LANG_TOGGLE, className="lang-toggle"),
        ],
        className="app-header",
    )
    lo, hi = MINUTES_RANGE
    controls = html.Div(
        [
            _text("planner-hint", lang, html.P, className="hint"),
            html.Label(
                [
                    _text("planner-minutes", lang),
                    " ",
                    html.Strong("5", id=ids.MINUTES_VALUE, className="slider-value"),
                ],
            ),
            dcc.Slider(
                id=ids.MINUTES,
                min=lo,
                max=hi,
                step=1,
                value=5,
                marks={m: str(m) for m in (1, 3, 5, 7, 10, 15)},
                **KEYBOARD_SLIDER,
            ),
            html.Label(
                [
                    _text("planner-speed", lang),
                    " ",
                    html.Strong("×1", id=ids.SPEED_VALUE, className="slider-value"),
                ],
            ),
            dcc.Slider(
                id=ids.SPEED,
                min=SPEED_RANGE[0],
                max=SPEED_RANGE[1],
                step=0.05,
                value=1.0,
                marks={v: f"{v:g}" for v in (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)},
                **KEYBOARD_SLIDER,
            ),
            _text("planner-profile", lang, html.Label),
            dcc.Dropdown(
                id=ids.PROFILE,
                options=profile_options(lang),
                value=DEFAULT_PROFILE,
                clearable=False,
                className="control",
            ),
            _text("planner-layer", lang, html.Label),
            dcc.RadioItems(
                id=ids.LAYER_MODE,
                options=layer_options(lang),
                value="coverage",
                inline=True,
                className="radio-row",
            ),
            html.Button(t("planner-reset", lang), id=ids.RESET, className="btn"),
            html.Div(id=ids.ERROR, className="error", role="alert"),
            _text("planner-kpis", lang, html.H3),
            html.Div(id=ids.METHOD, className="method"),
            html.Div(id=ids.KPIS, className="kpi-grid"),
            _text("planner-suggest", lang, html.H3),
            html.Div(
                [
                    _text("planner-goal", lang, html.Label),
                    dcc.Dropdown(
                        id=ids.SUGGEST_GOAL,
                        options=goal_options(lang),
                        value="cover",
                        clearable=False,
                        className="control wide",
                    ),
                    _text("planner-target-share", lang, html.Label),
                    dcc.Input(
                        id=ids.SUGGEST_SHARE,
                        type="number",
                        min=1,
                        max=100,
                        step=1,
                        value=60,
                        className="num",
                    ),
                ],
                className="row",
            ),
            html.Div(
                [
                    _text("planner-suggest-k", lang, html.Label),
                    dcc.Input(
                        id=ids.SUGGEST_K,
                        type="number",
                        min=1,
                        max=50,
                        step=1,
                        value=10,
                        className="num",
                    ),
                    _text("planner-suggest-weight", lang, html.Label),
                    dcc.Dropdown(
                        id=ids.SUGGEST_WEIGHT,
                        options=weight_options(lang),
                        value="population",
                        clearable=False,
                        className="control",
                    ),
                    html.Button(
                        t("planner-suggest-run", lang), id=ids.SUGGEST_RUN, className="btn"
                    ),
                ],
                className="row",
            ),
            dcc.Dropdown(
                id=ids.SUGGEST_MOVABLE,
                options=post_options,
                value=[],
                multi=True,
                placeholder=t("planner-suggest-movable", lang),
                className="control",
            ),
            dcc.Loading(html.Div(id=ids.SUGGEST_PANEL, className="suggest-panel")),
            html.Button(
                t("planner-suggest-apply", lang),
                id=ids.SUGGEST_APPLY,
                className="btn",
                disabled=True,
            ),
            _text("planner-worst", lang, html.H3),
            dcc.Dropdown(
                id=ids.WORST_LEVEL,
                options=level_options(lang),
                value=3,
                clearable=False,
                className="control",
            ),
            html.Div(id=ids.WORST_TABLE),
            _text("planner-save", lang, html.H3),
            html.Div(
                [
                    dcc.Input(
                        id=ids.SAVE_NAME,
                        type="text",
                        placeholder=t("planner-save-name", lang),
                        maxLength=80,
                        className="text",
                    ),
                    html.Button(t("planner-save", lang), id=ids.SAVE_BUTTON, className="btn"),
                ],
                className="row",
            ),
            html.Div(id=ids.SAVE_STATUS, className="status"),
            dcc.Dropdown(
                id=ids.SAVED_SELECT,
                options=[],
                placeholder=t("planner-saved", lang),
                className="control",
            ),
            _text("planner-share", lang, html.P, className="hint"),
            html.Div(
                [
                    html.Button(
                        t("planner-export-geojson", lang), id=ids.EXPORT_GEOJSON, className="btn"
                    ),
                    html.Button(t("planner-export-csv", lang), id=ids.EXPORT_CSV, className="btn"),
                    html.A(
                        t("planner-report", lang),
                        id=ids.REPORT_LINK,
                        href="/planner/report",
                        target="_blank",
                        className="btn",
                    ),
                ],
                className="row",
            ),
            dcc.Download(id=ids.DOWNLOAD),
        ],
        className="planner-side",
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG_STORE, data=lang),
            dcc.Store(id=ids.CLICK_STORE, data=None),
            dcc.Store(id=ids.SUGGEST_STORE, data=None),
            header,
            html.Main(
                [
                    html.Div(
                        dcc.Graph(
                            id=ids.MAP,
                            figure=figure,
                            config=GRAPH_CONFIG,
                            className="map-graph planner-map",
                        ),
                        className="map-panel",
                    ),
                    controls,
                ],
                className="main",
            ),
            compare_section(figure, lang),
        ],
        className="app planner",
    )


def compare_section(figure: dict, lang: str) -> html.Section:
    """Return the side-by-side view: two scenario menus, two maps, the KPI differences."""

    def menu(which: str, ident: str) -> html.Div:
        return html.Div(
            [
                _text(f"planner-compare-{which}", lang, html.Label),
                dcc.Dropdown(id=ident, options=[], className="control wide"),
            ],
            className="compare-pick",
        )

    def graph(ident: str) -> html.Div:
        return html.Div(
            dcc.Graph(id=ident, figure=figure, config=GRAPH_CONFIG, className="compare-graph"),
            className="compare-map",
        )

    lo, hi = MINUTES_RANGE
    # The one set of parameters both sides are computed at (the planner's by default).
    params = html.Fieldset(
        [
            _text("planner-compare-at", lang, html.Legend),
            _text("planner-compare-minutes", lang, html.Label, htmlFor=ids.COMPARE_MINUTES),
            dcc.Input(
                id=ids.COMPARE_MINUTES,
                type="number",
                min=lo,
                max=hi,
                step=1,
                value=5,
                debounce=True,
                className="num",
            ),
            _text("planner-compare-profile", lang, html.Label),
            dcc.Dropdown(
                id=ids.COMPARE_PROFILE,
                options=profile_options(lang),
                value=DEFAULT_PROFILE,
                clearable=False,
                className="control wide",
            ),
            _text("planner-compare-rule", lang, html.P, className="hint"),
        ],
        className="compare-params",
    )
    return html.Section(
        [
            _text("planner-compare", lang, html.H2),
            _text("planner-compare-hint", lang, html.P, className="hint"),
            params,
            html.Div([menu("a", ids.COMPARE_A), menu("b", ids.COMPARE_B)], className="row"),
            html.Div(
                [graph(ids.COMPARE_MAP_A), graph(ids.COMPARE_MAP_B)], className="compare-maps"
            ),
            html.Div(id=ids.COMPARE_TABLE),
        ],
        id=ids.COMPARE_SECTION,
        className="compare",
    )
