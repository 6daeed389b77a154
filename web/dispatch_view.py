"""What the workbench shows and does for one principal: queues, one case, its actions.

Between the dispatch page's callbacks and the incident store: every read passes the reader's
scope to the store (a township officer's queries hold only their subtree), every action goes
through :meth:`IncidentStore.act`, which decides it with :func:`gridmap.incidents.workflow.decide`
on the server and applies it with a compare-and-set on the state the reader saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from gridmap.access.roles import Principal
from gridmap.errors import GridmapError, IncidentNotFound, StaleState, WorkflowError
from gridmap.i18n import name_of
from gridmap.incidents.categories import CATEGORIES, Category, read_categories
from gridmap.incidents.deadlines import DUE_SOON_HOURS, STAGE_OF_STATE
from gridmap.incidents.workflow import ACTIONS, UNIT_ROLE, acting_unit, actor_role, decide
from gridmap.views.map_view import fit_zoom
from web.runtime import Runtime

#: How many cases a queue's table shows (the count says how many there are).
TABLE_LIMIT = 100
#: Levels offered by the grid filter (townships and villages: a few hundred names).
FILTER_LEVELS = (2, 3, 4)


@dataclass(frozen=True)
class Outcome:
    """What an action did.

    ``kind`` is ``done``, ``conflict`` (someone acted first: ``state`` is the case's state now)
    or ``refused`` (``reason`` names why: ``not-found``, ``role``, ``scope``, ``unit``, ``note``
    or the error's field; ``detail`` is the error's message).
    """

    kind: str
    action: str
    state: str | None = None
    reason: str = ""
    detail: str = ""


def may_use(principal: Principal | None) -> bool:
    """Return whether ``principal`` may open the workbench (the roles the workflow knows)."""
    if principal is None:
        return False
    role = actor_role(principal)
    if role == UNIT_ROLE and acting_unit(principal) is None:
        return False  # a unit's account without its unit sees nothing
    return any(role in rule.roles for rule in ACTIONS.values())


def unit_of(principal: Principal) -> str | None:
    """Return the unit a principal acts as (a unit sees only what is dispatched to it).

    Its system's token (named as the unit) or a person of role ``unit`` (their account's unit).
    """
    return acting_unit(principal)


def is_unit(principal: Principal | None) -> bool:
    """Return whether ``principal`` works for a unit (its workbench shows only the unit's work)."""
    return principal is not None and actor_role(principal) == UNIT_ROLE


def _within(runtime: Runtime, principal: Principal):
    return principal.scope.within(runtime.district.level_of)


def queue_counts(runtime: Runtime, principal: Principal) -> dict[str, int]:
    """Return the count of each queue for ``principal`` at the app clock's now."""
    return runtime.incident_store.queue_counts(
        now=runtime.clock(),
        within=_within(runtime, principal),
        actor=principal.label(),
        acting_unit=unit_of(principal),
    )


def _seconds_left(due_at: Any, now: datetime) -> float | None:
    if due_at is None:
        return None
    if isinstance(due_at, str):
        due_at = datetime.fromisoformat(due_at)
    return (due_at - now).total_seconds()


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def _due(row: dict, now: datetime) -> dict:
    left = _seconds_left(row.get("due_at"), now)
    return {
        "due_at": _iso(row.get("due_at")),
        "seconds_left": left,
        "overdue": left is not None and left < 0,
        "due_soon": left is not None and 0 <= left <= DUE_SOON_HOURS * 3600,
    }


def queue_rows(
    runtime: Runtime,
    principal: Principal,
    queue: str,
    *,
    grid: str | None,
    category: str | None,
    age_hours: float | None,
    unit: str | None,
    lang: str,
) -> list[dict]:
    """Return the first cases of ``queue`` for ``principal`` as plain rows for the table."""
    district, now = runtime.district, runtime.clock()
    if grid and grid not in district:
        grid = None
    rows = runtime.incident_store.queue(
        queue,
        now=now,
        within=_within(runtime, principal),
        unit=unit or None,
        acting_unit=unit_of(principal),
        actor=principal.label(),
        grid=grid or None,
        category=category or None,
        age_hours=age_hours or None,
        limit=TABLE_LIMIT,
    )
    out = []
    for row in rows:
        g5 = row.get("g5")
        grid_name = name_of(district.record(g5), lang) if g5 in district else g5
        out.append(
            {
                "id": row["id"],
                "category": row["category"],
                "grid": grid_name,
                "state": row.get("state") or row.get("status"),
                "reported_at": _iso(row.get("reported_at")),
                "unit": unit_label(row.get("unit"), lang, district_categories(runtime)),
                **_due(row, now),
            }
        )
    return out


def allowed_actions(principal: Principal, row: dict, chain: list[str]) -> list[str]:
    """Return the actions ``principal`` may take on the case ``row`` now (workflow order)."""
    out = []
    for name in ACTIONS:
        try:
            # A unit and a note are asked for by the form; here only state, role and scope.
            decide(
                name, row["state"], principal, chain,
                escalation=int(row.get("escalation") or 0), unit="-", note="-",
                case_unit=row.get("unit"),
            )  # fmt: skip
        except GridmapError:
            continue
        out.append(name)
    return out


def case_view(runtime: Runtime, principal: Principal, incident_id: str, lang: str) -> dict | None:
    """Return one case as the detail panel shows it, or None (unknown or outside the scope)."""
    district, store, now = runtime.district, runtime.incident_store, runtime.clock()
    row = store.get(incident_id, within=_within(runtime, principal))
    if row is None:
        return None
    unit = unit_of(principal)
    if unit is not None and row.get("unit") != unit:
        return None  # a unit sees only what is dispatched to it
    g5 = row.get("g5")
    chain = district.chain(g5) if g5 in district else [row.get(f"g{k}") for k in range(1, 6)]
    names = [name_of(district.record(g), lang) if g in district else str(g) for g in chain]
    center = (row["lon"], row["lat"])
    zoom = 14.0
    if g5 in district:
        box = district.bounds(g5)
        center, zoom = box.center, min(fit_zoom(box, (460, 220)) - 0.2, 17.0)
    return {
        "id": row["id"],
        "category": row["category"],
        "state": row.get("state") or row.get("status"),
        "reported_at": _iso(row.get("reported_at")),
        "reporter": row.get("reporter"),
        "description": row.get("description"),
        "unit": unit_label(row.get("unit"), lang, district_categories(runtime)),
        "escalation": int(row.get("escalation") or 0),
        "g5": g5,
        "lon": row["lon"],
        "lat": row["lat"],
        "zoom": zoom,
        "center": list(center),
        "chain": names,
        "due": {"stage": _stage(row), **_due(row, now)},
        "actions": allowed_actions(principal, {**row, "state": row.get("state")}, chain),
        "timeline": [
            _event(e, lang, district_categories(runtime)) for e in store.timeline(incident_id)
        ],
    }


def _stage(row: dict) -> str | None:
    return STAGE_OF_STATE.get(row.get("state") or "") if row.get("due_at") else None


def _event(event: dict, lang: str, categories) -> dict:
    out = {k: _iso(v) for k, v in dict(event).items()}
    out["unit"] = unit_label(out.get("unit"), lang, categories)
    return out


def chain_of(runtime: Runtime, row: dict) -> list[str]:
    """Return the grid chain of a stored case (its level-5 grid and every grid above)."""
    g5 = row.get("g5")
    if g5 in runtime.district:
        return runtime.district.chain(g5)
    return [row[f"g{k}"] for k in range(1, 6) if row.get(f"g{k}")]


def take_action(
    runtime: Runtime,
    principal: Principal,
    incident_id: str,
    action: str,
    *,
    unit: str | None = None,
    note: str | None = None,
    expect_state: str | None = None,
) -> Outcome:
    """Take ``action`` on a case for ``principal``; say what happened (a refusal is an outcome).

    The scope is checked twice on the server: the case is read inside the reader's grids
    (another township's case is "not found"), and the workflow refuses a scope it may not act in.
    """
    store = runtime.incident_store
    row = store.get(incident_id, within=_within(runtime, principal))
    if row is None or (is_unit(principal) and row.get("unit") != unit_of(principal)):
        # A unit's case of another unit is as unknown to it as another township's case.
        return Outcome("refused", action, reason="not-found")
    try:
        store.act(
            incident_id, action, principal,
            chain=chain_of(runtime, row), unit=unit or None, note=note or None,
            at=runtime.clock(), expect_state=expect_state,
        )  # fmt: skip
    except IncidentNotFound:
        return Outcome("refused", action, reason="not-found")
    except WorkflowError as error:
        if isinstance(error, StaleState) or error.field == "state":
            # Someone else moved the case on (or it is no longer in a state that allows it).
            now = store.get(incident_id, within=_within(runtime, principal)) or {}
            return Outcome("conflict", action, state=now.get("state"), detail=str(error))
        return Outcome("refused", action, reason=str(error.field or ""), detail=str(error))
    return Outcome("done", action)


@lru_cache(maxsize=8)
def _categories(folder: str) -> tuple[Category, ...]:
    return read_categories(folder)[0]


def district_categories(runtime: Runtime) -> tuple[Category, ...]:
    """Return the district's categories and their units (its ``categories.json``, else ours)."""
    return _categories(str(runtime.settings.data_dir))


def unit_label(unit: str | None, lang: str, categories=CATEGORIES) -> str | None:
    """Return a stored unit's name in ``lang`` (a unit no category names stays as stored)."""
    for category in categories:
        if unit in (category.unit_zh, category.unit_en):
            return category.unit(lang)
    return unit


def unit_options(lang: str, categories=CATEGORIES) -> list[dict]:
    """Return the units a case may be dispatched to (each category's responsible unit).

    The value is the unit's Chinese name, as the demo and the intake store it.
    """
    seen: dict[str, str] = {}
    for category in categories:
        seen.setdefault(category.unit_zh, category.unit(lang))
    return [{"label": label, "value": value} for value, label in seen.items()]


def category_options(lang: str, categories=CATEGORIES) -> list[dict]:
    """Return the category filter's options in ``lang``."""
    return [{"label": c.label(lang), "value": c.id} for c in categories]


def grid_options(runtime: Runtime, principal: Principal, lang: str) -> list[dict]:
    """Return the grid filter's options: the townships, villages and level-4 grids in scope."""
    district, scope = runtime.district, principal.scope
    out = []
    for level in FILTER_LEVELS:
        for grid in district.level_ids(level):
            if scope.is_all or scope.contains(district.chain(grid)):
                record = district.record(grid)
                out.append(
                    {
                        "label": name_of(record, lang),
                        "value": grid,
                        "search": f"{record.get('pinyin') or ''} {grid}",
                    }
                )
    return out
