"""Whose saved scenarios a request sees and may write (the web side of the scenario store)."""

from __future__ import annotations

import pytest
from flask import g

from gridmap.access.roles import Principal, Scope
from gridmap.errors import ScenarioStoreError
from web import scenario_saves
from web.signed_in import signed_in_info

KIOSK = Principal("hall", "kiosk", rights=frozenset({"wall"}), scope=Scope.of(["T1"]))
VIEWER = Principal("vera", "user", role="viewer", scope=Scope.of(["T2"]))


@pytest.fixture()
def runtime(tiny_app):
    return tiny_app.server.extensions["gridmap"]


def as_(tiny_app, principal):
    context = tiny_app.server.test_request_context("/planner/_dash-update-component")
    context.push()
    g.principal = principal
    return context


@pytest.mark.parametrize("principal", [None, KIOSK])
def test_only_a_person_has_saved_scenarios(tiny_app, runtime, principal):
    context = as_(tiny_app, principal)
    try:
        assert scenario_saves.entries(runtime) == []
        with pytest.raises(ScenarioStoreError, match="only a signed-in person") as info:
            scenario_saves.load(runtime, "anything")
        assert info.value.field == "principal"
        with pytest.raises(ScenarioStoreError, match="you may not save scenarios"):
            scenario_saves.save(runtime, "x", "?minutes=5")
    finally:
        context.pop()


def test_a_person_without_the_right_may_not_save(tiny_app, runtime):
    context = as_(tiny_app, VIEWER)
    try:
        with pytest.raises(ScenarioStoreError, match="you may not save scenarios") as info:
            scenario_saves.save(runtime, "x", "?minutes=5")
        assert info.value.field == "principal"
        assert "x" not in runtime.scenario_store.names(None)
    finally:
        context.pop()


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        (None, None),
        (KIOSK, {"name": "hall", "kind": "kiosk", "role": None, "sign_out": None}),
        (VIEWER, {"name": "vera", "kind": "user", "role": "viewer", "sign_out": "/logout"}),
    ],
)
def test_signed_in_info(tiny_app, principal, expected):
    context = as_(tiny_app, principal)
    try:
        assert signed_in_info() == expected
    finally:
        context.pop()
