"""Call Dash callbacks over HTTP the way the browser does (POST /_dash-update-component)."""

from __future__ import annotations

import json
from typing import Any


def _key(component_id: Any) -> str:
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def _prop(component_id: Any, prop: str, value: Any = None) -> dict:
    return {"id": component_id, "property": prop, "value": value}


def call(
    client,
    outputs: list[tuple[Any, str]],
    inputs: list[tuple[Any, str, Any]],
    state: list[tuple[Any, str, Any]] = (),
    changed: list[str] | None = None,
    prefix: str = "",
):
    """POST one callback request; return the Flask response.

    ``inputs`` and ``state`` are (id, property, value) triples; ``changed`` names the
    ``id.prop`` that triggered (the first input by default). An ALL-pattern input is passed as
    a list of (id, property, value) triples in place of one triple. ``prefix`` is the Dash
    app's ``url_base_pathname`` without its trailing slash (``"/planner"`` for the planner).
    """
    output = "...".join(f"{_key(i)}.{p}" for i, p in outputs)
    payload_inputs = []
    for item in inputs:
        if isinstance(item, list):
            payload_inputs.append([_prop(i, p, v) for i, p, v in item])
        else:
            payload_inputs.append(_prop(*item))
    if changed is None:
        first = inputs[0]
        changed = [f"{_key(first[0])}.{first[1]}"] if not isinstance(first, list) else []
    body = {
        "output": f"..{output}.." if len(outputs) > 1 else output,
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": payload_inputs,
        "state": [_prop(*s) for s in state],
        "changedPropIds": changed,
    }
    return client.post(f"{prefix.rstrip('/')}/_dash-update-component", json=body)


def response_of(resp) -> dict:
    """Return the ``response`` member of a callback answer (raises on an HTTP error)."""
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_json()["response"]


def duplicate_output(app, component_id: str, prop: str, trigger_id: str) -> str:
    """Return the property key (``prop@hash``) of an ``allow_duplicate`` output.

    Dash names such outputs ``id.prop@<hash>``; the one whose callback takes ``trigger_id`` as
    an input is returned.
    """
    for key, spec in app.callback_map.items():
        if key.startswith(f"{component_id}.{prop}@"):
            if any(i["id"] == trigger_id for i in spec["inputs"]):
                return key.split(".", 1)[1]
    raise KeyError(f"no duplicate output {component_id}.{prop} with input {trigger_id}")
