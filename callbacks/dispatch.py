"""Wire the dispatch workbench: live counts, the chosen queue's table, one case and its actions.

Every callback asks :mod:`web.dispatch_view` with the request's principal, so the scope and the
workflow rules are the server's; the page only says what to show and which button was pressed.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from callbacks.language import register_toggle
from gridmap.grids.display_geometry import grid_outline_lines
from gridmap.i18n import TEXTS, t
from gridmap.incidents.views import category_label
from gridmap.views.urls import layer_urls
from layers.dispatch_figure import case_figure
from ui import dispatch_ids as ids
from ui.dispatch_layout import age_options
from ui.dispatch_panels import (
    action_buttons,
    action_label,
    case_detail,
    queue_table,
    state_label,
    timeline,
)
from ui.dropdowns import dropdown_labels
from web import dispatch_view as view
from web.auth import current_principal
from web.runtime import Runtime


def incident_of(search: str | None) -> str | None:
    """Return the ``incident`` of a page URL's query (``?incident=<id>``), or None."""
    values = parse_qs((search or "").lstrip("?")).get("incident")
    return values[0].strip() or None if values else None


def _pressed() -> bool:
    """Return whether the callback was set off by a real press (not a button being drawn)."""
    return bool(ctx.triggered and ctx.triggered[0].get("value"))


def register(app: Dash, runtime: Runtime) -> None:
    """Register the workbench's callbacks on its app."""
    district = runtime.district
    urls = layer_urls(district.version)
    register_toggle(app, ids.LANG_TOGGLE, ids.LANG_STORE)

    def principal():
        who = current_principal()
        return who if view.may_use(who) else None

    @app.callback(
        Output({"type": "i18n-text", "index": ALL}, "children"),
        Output(ids.LANG_TOGGLE, "children"),
        Output(ids.DISTRICT_NAME, "children"),
        Output(ids.GRID_FILTER, "options"),
        Output(ids.CATEGORY_FILTER, "options"),
        Output(ids.UNIT_FILTER, "options"),
        Output(ids.BULK_UNIT, "options"),
        Output(ids.ACTION_UNIT, "options"),
        Output(ids.AGE_FILTER, "options"),
        Output(ids.GRID_FILTER, "placeholder"),
        Output(ids.CATEGORY_FILTER, "placeholder"),
        Output(ids.UNIT_FILTER, "placeholder"),
        Output(ids.BULK_UNIT, "placeholder"),
        Output(ids.ACTION_UNIT, "placeholder"),
        Output(ids.ACTION_NOTE, "placeholder"),
        Output(ids.BADGE, "title"),
        Output(ids.USER_UNIT, "children"),
        *[Output(i, "labels") for i in ids.DROPDOWNS],
        Input(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def translate(lang):
        who = principal()
        keys = [o["id"]["index"] for o in ctx.outputs_list[0]]
        units = view.unit_options(lang, view.district_categories(runtime))
        return (
            [t(k, lang) for k in keys],
            t("lang-toggle", lang),
            district.name(lang),
            view.grid_options(runtime, who, lang) if who else [],
            view.category_options(lang, view.district_categories(runtime)),
            units,
            units,
            units,
            age_options(lang),
            t("dispatch-filter-grid", lang),
            t("dispatch-filter-category", lang),
            t("dispatch-filter-unit", lang),
            t("dispatch-unit-placeholder", lang),
            t("dispatch-unit-placeholder", lang),
            t("dispatch-note-placeholder", lang),
            t("dispatch-badge-title", lang),
            unit_line(who, lang, view.district_categories(runtime)),
            *[dropdown_labels(lang)] * len(ids.DROPDOWNS),
        )

    @app.callback(
        Output(ids.VERSION_STORE, "data"),
        Input(ids.REFRESH_INTERVAL, "n_intervals"),
        State(ids.VERSION_STORE, "data"),
    )
    def refresh(_ticks, known):
        # One cheap read; the counts and the table follow only when the store changed.
        version = runtime.incident_store.version()
        return no_update if version == known else version

    @app.callback(
        Output({"type": "dispatch-queue-count", "index": ALL}, "children"),
        Output(ids.COUNTS_STORE, "data"),
        Output(ids.BADGE, "children"),
        Output(ids.BADGE, "hidden"),
        Input(ids.VERSION_STORE, "data"),
        Input(ids.LANG_STORE, "data"),
    )
    def counts(_version, lang):
        who = principal()
        names = [o["id"]["index"] for o in ctx.outputs_list[0]]
        if who is None:
            return ["–"] * len(names), None, "", True
        found = view.queue_counts(runtime, who)
        # New work: to register at the centre; for a unit, what was dispatched to it.
        new = found.get("mine" if view.is_unit(who) else "register", 0)
        badge = t("dispatch-badge", lang, new=new, overdue=found.get("overdue", 0))
        return [str(found.get(n, 0)) for n in names], found, badge, False

    @app.callback(
        Output(ids.QUEUE_STORE, "data"),
        Output({"type": "dispatch-queue", "index": ALL}, "className"),
        Input({"type": "dispatch-queue", "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def choose(_clicks):
        names = [o["id"]["index"] for o in ctx.outputs_list[1]]
        first = names[0] if names else "register"
        chosen = ctx.triggered_id["index"] if isinstance(ctx.triggered_id, dict) else first
        return chosen, ["queue-tab queue-tab-chosen" if n == chosen else "queue-tab" for n in names]

    @app.callback(
        Output(ids.TABLE, "children"),
        Input(ids.QUEUE_STORE, "data"),
        Input(ids.GRID_FILTER, "value"),
        Input(ids.CATEGORY_FILTER, "value"),
        Input(ids.UNIT_FILTER, "value"),
        Input(ids.AGE_FILTER, "value"),
        Input(ids.VERSION_STORE, "data"),
        Input(ids.LANG_STORE, "data"),
        State(ids.COUNTS_STORE, "data"),
    )
    def table(queue, grid, category, unit, age, _version, lang, counts):
        who = principal()
        shown = ids.UNIT_QUEUES if view.is_unit(who) else ids.QUEUES
        if who is None or queue not in shown:
            return []
        rows = view.queue_rows(
            runtime, who, queue, grid=grid, category=category,
            age_hours=float(age or 0), unit=unit, lang=lang,
        )  # fmt: skip
        filtered = bool(grid or category or unit or age)
        total = len(rows) if filtered or not counts else max(len(rows), counts.get(queue, 0))
        return queue_table(rows, total, lang, pick=not view.is_unit(who))

    @app.callback(
        Output(ids.SELECTED_STORE, "data"),
        Output(ids.URL, "search"),
        Input({"type": "dispatch-open", "index": ALL}, "n_clicks"),
        Input(ids.URL, "search"),
        State(ids.SELECTED_STORE, "data"),
    )
    def open_case(_clicks, search, selected):
        if ctx.triggered_id == ids.URL or not ctx.triggered:
            found = incident_of(search)
            return (found, no_update) if found != selected else (no_update, no_update)
        if isinstance(ctx.triggered_id, dict) and _pressed():
            chosen = ctx.triggered_id["index"]
            return chosen, "?" + urlencode({"incident": chosen})
        return no_update, no_update

    @app.callback(
        Output(ids.DETAIL, "children"),
        Output(ids.DETAIL_MAP, "figure"),
        Output(ids.DETAIL_MAP, "style"),
        Output(ids.ACTION_BUTTONS, "children"),
        Output(ids.ACTION_BOX, "hidden"),
        Output(ids.TIMELINE, "children"),
        Output(ids.DETAIL_STATE, "data"),
        Output(ids.ACTION_UNIT, "style"),
        Input(ids.SELECTED_STORE, "data"),
        Input(ids.VERSION_STORE, "data"),
        Input(ids.LANG_STORE, "data"),
        State(ids.DETAIL_STATE, "data"),
    )
    def detail(incident_id, _version, lang, shown):
        hidden = {"display": "none"}
        who = principal()
        if not incident_id or who is None:
            hint = html.P(t("dispatch-pick-case", lang), className="hint")
            return [hint], no_update, hidden, [], True, [], None, hidden
        case = view.case_view(runtime, who, incident_id, lang)
        if case is None:
            missing = html.P(t("dispatch-not-found", lang, id=incident_id), className="notice")
            return [missing], no_update, hidden, [], True, [], None, hidden
        figure = no_update
        # The map is sent when another case opens or the language changes, not on every
        # change of the store (the reader's pan and zoom stay).
        only_version = ctx.triggered_prop_ids.keys() == {f"{ids.VERSION_STORE}.data"}
        if not only_version or (shown or {}).get("id") != case["id"]:
            g5 = case["g5"]
            outline = grid_outline_lines(district, g5) if g5 in district else ([], [])
            label = f"{case['id']} · {category_label(case['category'], lang)}"
            figure = case_figure(
                case["lon"], case["lat"], outline, case["zoom"], urls, label,
                runtime.settings.tile_url, center=tuple(case["center"]),
            )  # fmt: skip
        return (
            case_detail(case, lang),
            figure,
            {"display": "block"},
            action_buttons(case["actions"], lang),
            False,
            timeline(case["timeline"], lang),
            {"id": case["id"], "state": case["state"]},
            # The unit choice only where a dispatch may be made.
            {} if "dispatch" in case["actions"] else hidden,
        )

    @app.callback(
        Output(ids.ACTION_MESSAGE, "children"),
        Output(ids.ACTION_MESSAGE, "className"),
        Output(ids.VERSION_STORE, "data", allow_duplicate=True),
        Output(ids.ACTION_NOTE, "value"),
        Input({"type": "dispatch-act", "index": ALL}, "n_clicks"),
        State(ids.DETAIL_STATE, "data"),
        State(ids.ACTION_UNIT, "value"),
        State(ids.ACTION_NOTE, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def act(_clicks, shown, unit, note, lang):
        who = principal()
        if who is None or not shown or not isinstance(ctx.triggered_id, dict) or not _pressed():
            return no_update, no_update, no_update, no_update
        action = ctx.triggered_id["index"]
        outcome = view.take_action(
            runtime, who, shown["id"], action, unit=unit, note=note, expect_state=shown["state"]
        )
        version = runtime.incident_store.version()
        return (*outcome_message(outcome, lang), version,
                "" if outcome.kind == "done" else no_update)  # fmt: skip

    @app.callback(
        Output(ids.BULK_MESSAGE, "children"),
        Output(ids.VERSION_STORE, "data", allow_duplicate=True),
        Input(ids.BULK_BUTTON, "n_clicks"),
        State({"type": "dispatch-pick", "index": ALL}, "value"),
        State(ids.BULK_UNIT, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def bulk(clicks, picks, unit, lang):
        who = principal()
        if who is None or not clicks:
            return no_update, no_update
        chosen = [i for values in picks or [] for i in values or []]
        if not chosen or not unit:
            return t("dispatch-bulk-none", lang), no_update
        outcomes = [view.take_action(runtime, who, i, "dispatch", unit=unit) for i in chosen]
        done = sum(o.kind == "done" for o in outcomes)
        message = t("dispatch-bulk-done", lang, done=done, failed=len(outcomes) - done)
        return message, runtime.incident_store.version()

    @app.callback(
        Output(ids.SOUND_STORE, "data"),
        Input(ids.SOUND_TOGGLE, "n_clicks"),
        State(ids.SOUND_STORE, "data"),
        prevent_initial_call=True,
    )
    def toggle_sound(_clicks, on):
        return not (on is not False)

    @app.callback(
        Output(ids.SOUND_TOGGLE, "children"),
        Input(ids.SOUND_STORE, "data"),
        Input(ids.LANG_STORE, "data"),
    )
    def sound_label(on, lang):
        return t("dispatch-sound-off" if on is False else "dispatch-sound-on", lang)

    # New or overdue cases: the badge flashes and, unless turned off, a quiet chime plays
    # (assets/dispatch.js; the first counts of a page only set the baseline).
    app.clientside_callback(
        """
        function (counts, seen, sound, played) {
            return window.dispatchBench.signal(counts, seen, sound, played);
        }
        """,
        Output(ids.SEEN_STORE, "data"),
        Output(ids.SOUND_PLAYED, "data"),
        Output(ids.BADGE, "className"),
        Input(ids.COUNTS_STORE, "data"),
        State(ids.SEEN_STORE, "data"),
        State(ids.SOUND_STORE, "data"),
        State(ids.SOUND_PLAYED, "data"),
        prevent_initial_call=True,
    )


def unit_line(who, lang: str, categories) -> str:
    """Return the header's "Unit: ..." of a unit's staff member in ``lang`` (else empty)."""
    if not view.is_unit(who):
        return ""
    unit = view.unit_label(view.unit_of(who), lang, categories)
    return t("dispatch-unit-works-for", lang, unit=unit)


def outcome_message(outcome: view.Outcome, lang: str) -> tuple[str, str]:
    """Return the text and class of the message that says what an action did."""
    if outcome.kind == "done":
        return t("dispatch-done", lang, action=action_label(outcome.action, lang)), (
            "dispatch-message dispatch-ok"
        )
    if outcome.kind == "conflict":
        state = state_label(outcome.state or "", lang)
        return t("dispatch-conflict", lang, state=state), "dispatch-message dispatch-conflict"
    key = f"dispatch-reason-{outcome.reason}"
    reason = t(key, lang) if key in TEXTS else outcome.detail
    return t("dispatch-refused", lang, reason=reason), "dispatch-message dispatch-refused"
