"""Forged or malformed Dash callback requests answer 4xx, never a 500."""

from __future__ import annotations

import pytest

BODIES = [
    # A callback that does not exist (an old page, a forged request).
    {"output": "nowhere.children", "outputs": {"id": "nowhere", "property": "children"},
     "inputs": [], "changedPropIds": []},
    # The request names no output at all.
    {"inputs": [], "changedPropIds": []},
    {},
]  # fmt: skip


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("prefix", ["", "/planner", "/wall", "/dispatch"])
def test_a_callback_request_naming_no_callback_is_a_400(client, prefix, body):
    resp = client.post(f"{prefix}/_dash-update-component", json=body)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert "callback" in resp.get_data(as_text=True)


def test_a_callback_request_with_inputs_not_a_list_is_a_400(client):
    deps = client.get("/_dash-dependencies").get_json()
    output = deps[0]["output"]
    resp = client.post("/_dash-update-component", json={"output": output, "inputs": "x"})
    assert resp.status_code == 400
    assert "'inputs' must be a list" in resp.get_data(as_text=True)


def test_a_real_callback_passes_the_check(client):
    from tests.dash_http import render

    # The check lets the page's own requests through (render asserts a 200 answer).
    answer = render(client, "")
    assert "map-graph" in answer


def test_who_asks_is_checked_before_the_body(tiny_app):
    # Anonymous: refused by the guard (401), never told what is wrong with the body.
    resp = tiny_app.server.test_client().post("/_dash-update-component", json=BODIES[0])
    assert resp.status_code == 401
