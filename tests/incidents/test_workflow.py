"""The case loop: every transition allowed and refused, by state, role and scope."""

from __future__ import annotations

import pytest

from gridmap.access.roles import Principal, Scope
from gridmap.errors import WorkflowError
from gridmap.incidents.workflow import (
    ACTIONS,
    LEGACY_STATES,
    STATES,
    decide,
    legacy_state,
)

T1_CASE = ("T", "T1", "T11", "T111", "T1111")


def person(role, grids=()):
    scope = Scope.of(grids) if grids else Scope.everything()
    return Principal(name=f"{role}-1", kind="user", role=role, scope=scope)


COMMANDER = person("commander")
TOWN = person("township", ["T1"])
OTHER_TOWN = person("township", ["T2"])
UNIT = Principal(name="调解委员会", kind="token", rights=frozenset({"dispatch"}))

ALLOWED = [
    ("register", "reported", "registered"),
    ("register", "returned", "registered"),
    ("dispatch", "registered", "dispatched"),
    ("dispatch", "rework", "dispatched"),
    ("handle", "dispatched", "handled"),
    ("verify", "handled", "closed"),
    ("rework", "handled", "rework"),
    ("return", "registered", "returned"),
    ("return", "dispatched", "returned"),
]


@pytest.mark.parametrize(("action", "source", "target"), ALLOWED)
def test_allowed_transitions(action, source, target):
    step = decide(action, source, COMMANDER, T1_CASE, unit="调解委员会", note="done")
    assert (step.source, step.target, step.escalation) == (source, target, 0)


def every_refused_pair():
    allowed = {(a, s) for a, s, _ in ALLOWED}
    for action in ("register", "dispatch", "handle", "verify", "rework", "return"):
        for state in STATES:
            if (action, state) not in allowed:
                yield action, state


@pytest.mark.parametrize(("action", "state"), list(every_refused_pair()))
def test_refused_by_state(action, state):
    with pytest.raises(WorkflowError, match="cannot take the action") as err:
        decide(action, state, COMMANDER, T1_CASE, unit="u", note="n")
    assert err.value.field == "state"


def test_closed_cases_take_only_comments():
    assert decide("comment", "closed", COMMANDER, T1_CASE, note="kept").target == "closed"
    with pytest.raises(WorkflowError, match="closed cannot take the action 'escalate'"):
        decide("escalate", "closed", COMMANDER, T1_CASE, note="late")


def test_township_acts_inside_its_grids_only():
    assert decide("register", "reported", TOWN, T1_CASE).target == "registered"
    with pytest.raises(WorkflowError, match="outside") as err:
        decide("register", "reported", OTHER_TOWN, T1_CASE)
    assert err.value.field == "scope"


@pytest.mark.parametrize("role", ["planner", "viewer"])
def test_read_only_roles_may_not_act(role):
    with pytest.raises(WorkflowError, match="may not register") as err:
        decide("register", "reported", person(role, ["T1"] if role == "viewer" else ()), T1_CASE)
    assert err.value.field == "role"


def test_a_unit_handles_its_own_cases_and_may_not_dispatch():
    step = decide("handle", "dispatched", UNIT, T1_CASE, note="调解成功", case_unit="调解委员会")
    assert step.target == "handled"
    with pytest.raises(WorkflowError, match="dispatched to 'other unit'"):
        decide("handle", "dispatched", UNIT, T1_CASE, note="x", case_unit="other unit")
    with pytest.raises(WorkflowError, match="may not dispatch"):
        decide("dispatch", "registered", UNIT, T1_CASE, unit="x")
    reader = Principal(name="r", kind="token", rights=frozenset({"read"}))
    with pytest.raises(WorkflowError, match="no role"):
        decide("comment", "reported", reader, T1_CASE, note="x")


@pytest.mark.parametrize(("action", "state", "field"), [
    ("dispatch", "registered", "unit"),
    ("handle", "dispatched", "note"),
    ("rework", "handled", "note"),
    ("return", "registered", "note"),
    ("escalate", "dispatched", "note"),
])  # fmt: skip
def test_needed_fields(action, state, field):
    with pytest.raises(WorkflowError, match=f"{action} needs a {field}") as err:
        decide(action, state, COMMANDER, T1_CASE, unit="  ", note="")
    assert err.value.field == field


def test_escalation_raises_one_level_and_keeps_the_state():
    step = decide("escalate", "dispatched", TOWN, T1_CASE, note="超期")
    assert (step.target, step.escalation) == ("dispatched", 1)
    with pytest.raises(WorkflowError, match="already escalated"):
        decide("escalate", "dispatched", COMMANDER, T1_CASE, escalation=1, note="again")


def test_unknown_action_and_state():
    with pytest.raises(WorkflowError, match="unknown action 'close'") as err:
        decide("close", "reported", COMMANDER, T1_CASE)
    assert err.value.field == "action"
    with pytest.raises(WorkflowError, match="unknown state 'resolved'"):
        decide("verify", "resolved", COMMANDER, T1_CASE)


def test_todays_statuses_map_onto_the_loop():
    assert {legacy_state(s) for s in LEGACY_STATES} <= set(STATES)
    assert legacy_state("resolved") == "handled"
    with pytest.raises(WorkflowError, match="unknown status"):
        legacy_state("done")


def test_every_action_has_labels_in_both_languages():
    assert all(a.zh and a.en for a in ACTIONS.values())


# -- a unit's staff member (a person of role unit) -----------------------------------------------
STAFF = Principal(name="wang", kind="user", role="unit", unit="调解委员会")
NO_UNIT = Principal(name="zhou", kind="user", role="unit")


@pytest.mark.parametrize(("action", "state", "target"), [
    ("handle", "dispatched", "handled"),
    ("return", "dispatched", "returned"),
    ("comment", "dispatched", "dispatched"),
    ("comment", "closed", "closed"),
])  # fmt: skip
def test_a_units_staff_acts_on_its_units_cases(action, state, target):
    step = decide(action, state, STAFF, T1_CASE, note="done", case_unit="调解委员会")
    assert step.target == target


@pytest.mark.parametrize("action", ["register", "dispatch", "verify", "rework", "escalate"])
def test_a_units_staff_may_not_take_the_centres_actions(action):
    with pytest.raises(WorkflowError, match=r"user:wang \(unit\) may not") as err:
        decide(action, "dispatched", STAFF, T1_CASE, unit="u", note="n", case_unit="调解委员会")
    assert err.value.field == "role"


@pytest.mark.parametrize("case_unit", ["区水利局", None])
@pytest.mark.parametrize("action", ["handle", "comment", "return"])
def test_a_units_staff_is_refused_another_units_case(action, case_unit):
    # A comment too (unlike a unit's system), and a case dispatched to no unit.
    with pytest.raises(WorkflowError, match="not to user:wang's unit") as err:
        decide(action, "dispatched", STAFF, T1_CASE, note="n", case_unit=case_unit)
    assert err.value.field == "scope"


def test_a_unit_account_without_its_unit_may_do_nothing():
    with pytest.raises(WorkflowError, match="unit '\\(none\\)'") as err:
        decide("comment", "dispatched", NO_UNIT, T1_CASE, note="n", case_unit="调解委员会")
    assert err.value.field == "scope"
