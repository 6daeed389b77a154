"""The workbench's pieces built per answer: the queue's table, one case, its actions, its timeline.

They take plain values made by :mod:`web.dispatch_view`; every user text (descriptions, notes,
names) is a child string, never markup.
"""

from __future__ import annotations

from dash import dcc, html

from gridmap.clock import local_stamp
from gridmap.i18n import t
from gridmap.incidents.views import category_label
from gridmap.incidents.workflow import ACTIONS, STATE_LABELS
from ui import dispatch_ids as ids

#: Actions drawn as the main button (the loop's next step); the others are quieter.
FORWARD = frozenset({"register", "dispatch", "handle", "verify"})


def state_label(state: str, lang: str) -> str:
    """Return the label of a case state in ``lang`` (the state itself when unknown)."""
    return STATE_LABELS.get(state, {}).get(lang, state)


def action_label(action: str, lang: str) -> str:
    """Return the label of a workflow action in ``lang``."""
    rule = ACTIONS.get(action)
    if rule is None:
        return action
    return rule.zh if lang == "zh" else rule.en


def duration_text(seconds: float, lang: str) -> str:
    """Return a length of time as minutes, hours and minutes, or days and hours."""
    minutes = int(abs(seconds) // 60)
    if minutes < 60:
        return t("dispatch-minutes", lang, m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return t("dispatch-hours", lang, h=hours, m=minutes)
    days, hours = divmod(hours, 24)
    return t("dispatch-days", lang, d=days, h=hours)


def time_left(seconds: float | None, lang: str) -> str:
    """Return "3 h 5 min left" or "overdue by 2 d 4 h" (empty when there is no deadline)."""
    if seconds is None:
        return ""
    key = "dispatch-left" if seconds >= 0 else "dispatch-overdue-by"
    return t(key, lang, left=duration_text(seconds, lang))


def _due_class(row: dict) -> str:
    if row.get("overdue"):
        return "due due-overdue"
    if row.get("due_soon"):
        return "due due-soon"
    return "due"


def queue_table(rows: list[dict], total: int, lang: str, pick: bool = True) -> list:
    """Return the table of a queue's cases: a check box to pick, a button to open each one.

    Parameters
    ----------
    rows : list of dict
        ``id``, ``category``, ``grid`` (name), ``state``, ``reported_at`` (ISO), ``unit``,
        ``seconds_left``, ``overdue``, ``due_soon``.
    total : int
        How many cases the queue holds with these filters (the table shows the first ones).
    lang : str
        ``zh`` or ``en``.
    pick : bool
        Whether the rows can be picked for bulk dispatch (not on a unit's workbench).
    """
    if not rows:
        return [html.P(t("dispatch-empty", lang), className="hint dispatch-empty")]
    keys = ("pick", "id", "category", "grid", "state", "reported", "due", "unit")
    head = html.Tr([html.Th(t(f"dispatch-col-{key}", lang)) for key in keys[0 if pick else 1 :]])
    body = []
    for row in rows:
        body.append(
            html.Tr(
                [
                    *(
                        [
                            html.Td(
                                dcc.Checklist(
                                    id=ids.pick(row["id"]),
                                    options=[{"label": "", "value": row["id"]}],
                                    value=[],
                                    className="dispatch-pick",
                                )
                            )
                        ]
                        if pick
                        else []
                    ),
                    html.Td(
                        html.Button(
                            row["id"],
                            id=ids.open_case(row["id"]),
                            className="link-button",
                            n_clicks=0,
                        )  # fmt: skip
                    ),
                    html.Td(category_label(row["category"], lang)),
                    html.Td(row.get("grid") or "—"),
                    html.Td(
                        state_label(row["state"], lang),
                        className=f"state state-{row['state']}",
                    ),
                    html.Td(local_stamp(row.get("reported_at"))[:16]),
                    html.Td(time_left(row.get("seconds_left"), lang), className=_due_class(row)),
                    html.Td(row.get("unit") or "—"),
                ],
                className="dispatch-row",
                **{"data-incident": row["id"]},
            )
        )
    return [
        html.Table([html.Thead(head), html.Tbody(body)], className="dispatch-table"),
        html.P(t("dispatch-shown", lang, shown=len(rows), total=total), className="hint"),
    ]


def case_detail(case: dict, lang: str) -> list:
    """Return the header and facts of one case: category, state, deadline, grid chain.

    ``case`` as :func:`web.dispatch_view.case_view` builds it.
    """
    due = case.get("due") or {}
    if due.get("stage"):
        deadline = [
            html.Span(
                f"{t('dispatch-stage-' + due['stage'], lang)} {local_stamp(due['due_at'])[:16]}"
            ),
            " · ",
            html.Strong(
                time_left(due.get("seconds_left"), lang),
                className=_due_class(due),
                id="dispatch-time-left",
            ),
        ]
    else:
        deadline = [t("dispatch-no-deadline", lang)]
    facts = [
        ("dispatch-detail-category", category_label(case["category"], lang)),
        ("dispatch-detail-state", state_label(case["state"], lang)),
        ("dispatch-detail-reported", local_stamp(case.get("reported_at"))[:16]),
        ("dispatch-detail-deadline", deadline),
        ("dispatch-detail-unit", case.get("unit") or "—"),
        ("dispatch-detail-reporter", case.get("reporter") or "—"),
        ("dispatch-detail-description", case.get("description") or "—"),
        ("dispatch-detail-chain", " › ".join(case.get("chain") or []) or "—"),
    ]
    items: list = []
    for key, value in facts:
        items.append(html.Dt(t(key, lang)))
        items.append(html.Dd(value))
    title: list = [html.Span(case["id"], className="case-id")]
    title.append(
        html.Span(state_label(case["state"], lang), className=f"state-pill state-{case['state']}")
    )
    if case.get("escalation"):
        title.append(html.Span(t("dispatch-detail-escalated", lang), className="escalated-pill"))
    return [
        html.H3(title, className="case-title", id="dispatch-case-title"),
        html.Dl(items, className="detail-list"),
    ]


def action_buttons(actions: list[str], lang: str) -> list:
    """Return one button per action the reader may take now (none: a plain sentence)."""
    if not actions:
        return [html.P(t("dispatch-no-action", lang), className="hint")]
    return [
        html.Button(
            action_label(name, lang),
            id=ids.act(name),
            className="btn btn-primary" if name in FORWARD else "btn",
            n_clicks=0,
        )
        for name in actions
    ]


def timeline(rows: list[dict], lang: str) -> list:
    """Return the case's timeline, oldest first: who (role), when, from → to, unit, note.

    ``rows`` as the store's timeline gives them (``actor``, ``role``, ``at``, ``action``,
    ``from_state``, ``to_state``, ``unit``, ``note``).
    """
    out: list = [html.H4(t("dispatch-timeline", lang))]
    if not rows:
        out.append(html.P(t("dispatch-timeline-empty", lang), className="hint"))
        return out
    items = []
    for row in rows:
        source, target = row.get("from_state"), row.get("to_state")
        change = state_label(target, lang) if target else ""
        if source and target and source != target:
            change = f"{state_label(source, lang)} → {state_label(target, lang)}"
        head = [
            html.Strong(action_label(row.get("action", ""), lang)),
            html.Span(change, className="timeline-change"),
            html.Span(local_stamp(row.get("at"))[:16], className="timeline-when"),
        ]
        # The actor is stored as ``kind:name`` (``user:demo-township``): the name is shown.
        who = str(row.get("actor") or "").split(":", 1)[-1]
        role = row.get("role")
        if role:
            who = f"{who} · {t('role-' + role, lang) if role in ROLE_KEYS else role}"
        body = [html.Div(who, className="timeline-who")]
        if row.get("unit"):
            body.append(html.Div(f"→ {row['unit']}", className="timeline-unit"))
        if row.get("note"):
            body.append(html.Div(row["note"], className="timeline-note"))
        items.append(html.Li([html.Div(head, className="timeline-head"), *body]))
    out.append(html.Ol(items, className="timeline-list", id="dispatch-timeline-list"))
    return out


#: Roles with a translated label (``role-<name>`` in the table); others show as they are.
ROLE_KEYS = frozenset({"admin", "commander", "township", "planner", "viewer", "unit"})
