"""The dispatch workbench page: queues with live counts, filters, the queue's table, one case."""

from __future__ import annotations

from dash import dcc, html

from gridmap.i18n import t
from ui import dispatch_ids as ids
from ui.dropdowns import dropdown_labels
from ui.layout import user_block

#: Age filter choices, in hours (0: any age).
AGE_HOURS = (0, 4, 24, 72, 168)


def _text(key: str, lang: str, tag=html.Span, **kwargs):
    return tag(t(key, lang), id={"type": "i18n-text", "index": key}, **kwargs)


def age_options(lang: str) -> list[dict]:
    """Return the age filter's options in ``lang`` (value: hours since reporting, 0 any)."""
    out = []
    for hours in AGE_HOURS:
        if hours == 0:
            label = t("dispatch-age-any", lang)
        elif hours < 48:
            label = t("dispatch-age-hours", lang, hours=hours)
        else:
            label = t("dispatch-age-days", lang, days=hours // 24)
        out.append({"label": label, "value": hours})
    return out


def queue_tabs(lang: str, chosen: str, names: tuple[str, ...] = ids.QUEUES) -> list:
    """Return the tabs of the queues ``names``, each with its count (filled by a callback)."""
    return [
        html.Button(
            [
                _text(f"dispatch-queue-{name}", lang),
                html.Span("…", id=ids.queue_count(name), className="queue-count"),
            ],
            id=ids.queue(name),
            className="queue-tab" + (" queue-tab-chosen" if name == chosen else ""),
            n_clicks=0,
            **{"data-queue": name},
        )
        for name in names
    ]


def dispatch_page(
    lang: str,
    district_name: str,
    refresh_seconds: int,
    *,
    user_name: str,
    role: str | None,
    grid_options: list[dict],
    category_options: list[dict],
    unit_options: list[dict],
    incident: str | None = None,
    demo: bool = False,
    unit: str | None = None,
) -> html.Div:
    """Return the workbench layout for one signed-in person.

    Parameters
    ----------
    lang : str
        ``zh`` or ``en``.
    district_name : str
        Shown in the header.
    refresh_seconds : int
        How often the page asks whether the store changed (one cheap read).
    user_name, role : str
        Who is signed in (their name is text, never markup).
    grid_options, category_options, unit_options : list of dict
        The filters' choices (the grids only those inside the reader's scope).
    incident : str, optional
        The case opened first (the deep link ``?incident=<id>``).
    demo : bool
        Whether the district is the synthetic demo (a badge says so).
    unit : str, optional
        The name (in ``lang``) of the unit a unit's staff member works for: their workbench
        shows their unit's queues only, without the unit filter and the bulk dispatch (the
        server refuses those anyway).
    """
    labels = dropdown_labels(lang)
    for_unit = unit is not None
    names = ids.UNIT_QUEUES if for_unit else ids.QUEUES
    first = names[0]
    hidden = {"display": "none"}
    header = html.Header(
        [
            html.Div(
                [
                    html.H1(
                        [
                            html.Span(district_name, id=ids.DISTRICT_NAME),
                            " ",
                            _text("dispatch-title", lang),
                        ]
                    ),
                ],
                className="title-block",
            ),
            _text("demo-badge", lang, className="demo-badge", hidden=not demo),
            html.Span(
                "",
                id=ids.BADGE,
                className="dispatch-badge",
                title=t("dispatch-badge-title", lang),
                hidden=True,
            ),
            # A unit's staff has no map pages: no link to them.
            html.Nav(
                [_text("dispatch-map-link", lang, html.A, href="/")],
                className="page-links",
                style=hidden if for_unit else None,
            ),
            html.Button(t("dispatch-sound-on", lang), id=ids.SOUND_TOGGLE, className="lang-toggle"),
            html.Button(t("lang-toggle", lang), id=ids.LANG_TOGGLE, className="lang-toggle"),
            user_block(user_name, role, lang, workbench_link=False),
            html.Span(
                t("dispatch-unit-works-for", lang, unit=unit) if for_unit else "",
                id=ids.USER_UNIT,
                className="user-unit",
                style=None if for_unit else hidden,
            ),
        ],
        className="app-header",
    )
    filters = html.Div(
        [
            dcc.Dropdown(
                id=ids.GRID_FILTER,
                options=grid_options,
                labels=labels,
                searchable=True,
                clearable=True,
                placeholder=t("dispatch-filter-grid", lang),
                className="dispatch-filter dispatch-filter-grid",
            ),
            dcc.Dropdown(
                id=ids.CATEGORY_FILTER,
                options=category_options,
                labels=labels,
                clearable=True,
                placeholder=t("dispatch-filter-category", lang),
                className="dispatch-filter",
            ),
            html.Div(
                dcc.Dropdown(
                    id=ids.UNIT_FILTER,
                    options=unit_options,
                    labels=labels,
                    clearable=True,
                    placeholder=t("dispatch-filter-unit", lang),
                    className="dispatch-filter",
                ),
                style=hidden if for_unit else {"display": "contents"},
            ),
            dcc.Dropdown(
                id=ids.AGE_FILTER,
                options=age_options(lang),
                value=0,
                labels=labels,
                clearable=False,
                className="dispatch-filter dispatch-filter-age",
            ),
        ],  # fmt: skip
        className="dispatch-filters",
    )
    bulk = html.Div(
        [
            _text("dispatch-bulk-label", lang, html.Label),
            dcc.Dropdown(
                id=ids.BULK_UNIT,
                options=unit_options,
                labels=labels,
                clearable=True,
                placeholder=t("dispatch-unit-placeholder", lang),
                className="dispatch-filter",
            ),  # fmt: skip
            html.Button(
                _text("dispatch-bulk-button", lang), id=ids.BULK_BUTTON, className="btn", n_clicks=0
            ),
            html.Span(id=ids.BULK_MESSAGE, className="dispatch-message", role="status"),
        ],
        id=ids.BULK,
        className="dispatch-bulk",
        # Hidden by style: the class's own display would win over the hidden attribute.
        style=hidden if for_unit else None,
    )
    queues = html.Section(
        [
            html.Div(queue_tabs(lang, first, names), className="queue-tabs", role="tablist"),
            _text(
                "dispatch-unit-hint",
                lang,
                html.P,
                className="hint",
                style=None if for_unit else hidden,
            ),  # fmt: skip
            filters,
            html.Div(id=ids.TABLE, className="dispatch-table-wrap"),
            bulk,
        ],
        className="dispatch-queues",
    )
    detail = html.Section(
        [
            html.Div(_text("dispatch-pick-case", lang, html.P, className="hint"), id=ids.DETAIL),
            dcc.Graph(
                id=ids.DETAIL_MAP,
                figure={"data": [], "layout": {"map": {"style": "white-bg"}}},
                config={"displaylogo": False, "displayModeBar": False, "scrollZoom": True},
                className="dispatch-map",
                style={"display": "none"},
            ),
            html.Div(
                [
                    _text("dispatch-actions", lang, html.H4),
                    html.Div(id=ids.ACTION_BUTTONS, className="dispatch-action-buttons"),
                    dcc.Dropdown(
                        id=ids.ACTION_UNIT,
                        options=unit_options,
                        labels=labels,
                        clearable=True,
                        placeholder=t("dispatch-unit-placeholder", lang),
                    ),  # fmt: skip
                    dcc.Textarea(
                        id=ids.ACTION_NOTE,
                        placeholder=t("dispatch-note-placeholder", lang),
                        className="dispatch-note",
                        maxLength=2000,
                    ),
                    html.Div(id=ids.ACTION_MESSAGE, className="dispatch-message", role="status"),
                ],
                id=ids.ACTION_BOX,
                className="dispatch-action-box",
                hidden=True,
            ),
            html.Div(id=ids.TIMELINE, className="dispatch-timeline"),
        ],
        className="dispatch-detail",
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG_STORE, data=lang),
            dcc.Store(id=ids.VERSION_STORE, data=None),
            dcc.Store(id=ids.QUEUE_STORE, data=first),
            dcc.Store(id=ids.COUNTS_STORE, data=None),
            # The counts last signalled: a rise of new or overdue cases plays the sound.
            dcc.Store(id=ids.SEEN_STORE, data=None),
            # The sound's on/off choice is the reader's, kept in localStorage.
            dcc.Store(id=ids.SOUND_STORE, data=True, storage_type="local"),
            dcc.Store(id=ids.SOUND_PLAYED, data=0),
            dcc.Store(id=ids.SELECTED_STORE, data=incident),
            dcc.Store(id=ids.DETAIL_STATE, data=None),
            dcc.Interval(id=ids.REFRESH_INTERVAL, interval=refresh_seconds * 1000),
            header,
            html.Main([queues, detail], className="dispatch-main"),
        ],
        className="app dispatch-app",
    )
