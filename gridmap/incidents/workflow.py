"""The command-centre loop: case states, the actions between them, and who may take each.

上报 → 受理/立案 → 派遣 → 处置 → 核查 → 办结, with 退回 (return: wrong category or unit, back to
registration) and 返工 (rework: handled but refused at verification, back to dispatched). 督办
(escalation) raises a case one level (township → district) without changing its state; a comment
changes nothing but the timeline. Pure rules: the store applies an action with a compare-and-set
on the state it was decided from, so of two people acting at once one wins and the other is told.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridmap.access.roles import Principal
from gridmap.errors import WorkflowError  # noqa: F401 (re-exported)

#: Every state of a case, in the order of the loop.
STATES: tuple[str, ...] = (
    "reported",
    "registered",
    "dispatched",
    "handled",
    "closed",
    "returned",
    "rework",
)
#: States of a case still open (not closed).
OPEN_STATES: tuple[str, ...] = tuple(s for s in STATES if s != "closed")

STATE_LABELS: dict[str, dict[str, str]] = {
    "reported": {"zh": "已上报", "en": "Reported"},
    "registered": {"zh": "已立案", "en": "Registered"},
    "dispatched": {"zh": "已派遣", "en": "Dispatched"},
    "handled": {"zh": "已处置", "en": "Handled"},
    "closed": {"zh": "已办结", "en": "Closed"},
    "returned": {"zh": "已退回", "en": "Returned"},
    "rework": {"zh": "返工", "en": "Rework"},
}

#: Today's four statuses, as the loop names them (an existing database upgrades by this map).
LEGACY_STATES: dict[str, str] = {
    "reported": "reported",
    "dispatched": "dispatched",
    "resolved": "handled",
    "closed": "closed",
}


@dataclass(frozen=True)
class Action:
    """One action: the states it may start from, the state it leads to, who may take it."""

    name: str
    sources: frozenset[str]
    target: str | None  # None: the state stays (escalate, comment)
    roles: frozenset[str]
    needs: tuple[str, ...] = ()  # fields the action must carry (unit, note)
    zh: str = ""
    en: str = ""


_TOWN = frozenset({"admin", "commander", "township"})
_CENTRE = frozenset({"admin", "commander"})

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("register", frozenset({"reported", "returned"}), "registered", _TOWN,
               zh="受理立案", en="Register"),
        Action("dispatch", frozenset({"registered", "rework"}), "dispatched", _TOWN,
               ("unit",), zh="派遣", en="Dispatch"),
        Action("handle", frozenset({"dispatched"}), "handled", _TOWN | {"unit"},
               ("note",), zh="处置", en="Handle"),
        Action("verify", frozenset({"handled"}), "closed", _TOWN, zh="核查办结", en="Verify"),
        Action("rework", frozenset({"handled"}), "rework", _TOWN, ("note",),
               zh="返工", en="Rework"),
        Action("return", frozenset({"registered", "dispatched"}), "returned", _TOWN | {"unit"},
               ("note",), zh="退回", en="Return"),
        Action("escalate", frozenset(OPEN_STATES), None, _TOWN, ("note",),
               zh="督办", en="Escalate"),
        Action("comment", frozenset(STATES), None, _TOWN | {"unit"}, ("note",),
               zh="备注", en="Comment"),
    )
}  # fmt: skip

#: The workflow's role of a unit: its staff (people of role ``unit``) and its own system (a
#: machine token with the ``dispatch`` right, named as the unit).
TOKEN_ROLE = "unit"
UNIT_ROLE = TOKEN_ROLE


@dataclass(frozen=True)
class Step:
    """What an allowed action does: the state before and after, and the escalation level."""

    action: str
    source: str
    target: str
    escalation: int


def actor_role(principal: Principal) -> str | None:
    """Return the role the workflow sees: a person's role, ``unit`` for a dispatch token."""
    if principal.kind == "user":
        return principal.role
    if principal.kind == "token" and "dispatch" in principal.rights:
        return TOKEN_ROLE
    return None


def acting_unit(principal: Principal | None) -> str | None:
    """Return the unit ``principal`` acts for (None: not a unit).

    A unit's system (a dispatch token) is named as the unit; a unit's staff member carries the
    unit of their account. A person of role ``unit`` without one acts for no unit (and may do
    nothing: see :func:`decide`).
    """
    if principal is None or actor_role(principal) != UNIT_ROLE:
        return None
    if principal.kind == "token":
        return principal.name
    return principal.unit or None


def decide(
    action: str,
    state: str,
    principal: Principal,
    chain: list[str] | tuple[str, ...],
    *,
    escalation: int = 0,
    unit: str | None = None,
    note: str | None = None,
    case_unit: str | None = None,
) -> Step:
    """Return what ``action`` does to a case in ``state``, or raise why it may not.

    Parameters
    ----------
    action : str
        One of :data:`ACTIONS`.
    state : str
        The case's state now (one of :data:`STATES`).
    principal : Principal
        Who acts.
    chain : sequence of str
        The case's grid and the grids above it (a township officer acts inside their scope).
    escalation : int
        The case's escalation level now (0 at the township, 1 at the district).
    unit, note : str, optional
        The unit a dispatch sends the case to; the note of a handling, rework, return,
        escalation or comment.
    case_unit : str, optional
        The unit the case is dispatched to (a unit acts only on its own cases).

    Raises
    ------
    WorkflowError
        ``field`` names what is wrong: ``action`` (unknown), ``state`` (not from this state:
        the web layer answers 409), ``role`` or ``scope`` (403), ``unit``/``note`` (422).
    """
    rule = ACTIONS.get(action)
    if rule is None:
        known = ", ".join(ACTIONS)
        raise WorkflowError(f"unknown action {action!r}; known: {known}", field="action")
    if state not in STATES:
        raise WorkflowError(f"unknown state {state!r}", field="state")
    role = actor_role(principal)
    if role not in rule.roles:
        raise WorkflowError(
            f"{principal.label()} ({role or 'no role'}) may not {action}", field="role"
        )
    if role == "township" and not principal.scope.contains(chain):
        raise WorkflowError(f"the case lies outside {principal.label()}'s grids", field="scope")
    if role == UNIT_ROLE:
        mine = acting_unit(principal)
        if principal.kind == "user" and (mine is None or case_unit != mine):
            # A unit's staff acts on its own unit's cases only, a comment too (deny by default:
            # a case dispatched to no unit is nobody's here).
            raise WorkflowError(
                f"the case is dispatched to {case_unit or 'no unit'!r}, not to {principal.label()}"
                f"'s unit {mine or '(none)'!r}",
                field="scope",
            )
        if action != "comment" and case_unit and mine != case_unit:
            raise WorkflowError(f"the case is dispatched to {case_unit!r}, not here", field="scope")
    if state not in rule.sources:
        label = STATE_LABELS[state]["en"].lower()
        raise WorkflowError(
            f"a case that is {label} cannot take the action {action!r}", field="state"
        )
    for name, value in (("unit", unit), ("note", note)):
        if name in rule.needs and not (value and value.strip()):
            raise WorkflowError(f"{action} needs a {name}", field=name)
    level = escalation
    if action == "escalate":
        if escalation >= 1:
            raise WorkflowError("the case is already escalated to the district", field="state")
        level = escalation + 1
    return Step(action, state, rule.target or state, level)


def legacy_state(status: str) -> str:
    """Return the loop's state for one of today's statuses (an unknown one is refused)."""
    try:
        return LEGACY_STATES[status]
    except KeyError:
        raise WorkflowError(f"unknown status {status!r}", field="status") from None
