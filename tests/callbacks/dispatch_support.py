"""Post the workbench's callbacks as the browser does, built from the app's own dependency list.

``fire(client, output, values, changed=...)`` finds the callback writing ``output`` (``id.prop``)
in ``/dispatch/_dash-dependencies`` and posts it with every input and state taken from
``values`` (``{"id.prop": value}``; pattern ids as ``"type:index.prop"``). Wildcard (ALL)
inputs and outputs are expanded over the indexes given in ``expand`` (``{type: [index, ...]}``).
"""

from __future__ import annotations

import json
from typing import Any

from tests.dash_http import response_of
from ui import dispatch_ids as ids

PREFIX = "/dispatch"
#: The wildcard ids the page draws by default (the queue tabs).
EXPAND = {"dispatch-queue": list(ids.QUEUES), "dispatch-queue-count": list(ids.QUEUES)}


def _parse_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _outputs(spec: str) -> list[tuple[Any, str]]:
    inner = spec[2:-2] if spec.startswith("..") else spec
    out = []
    for part in inner.split("..."):
        cid, prop = part.rsplit(".", 1) if not part.startswith("{") else part.rsplit("}.", 1)
        if part.startswith("{"):
            cid += "}"
        out.append((_parse_id(cid), prop))
    return out


def _key(cid: Any, index: Any = None) -> str:
    if isinstance(cid, dict):
        return f"{cid['type']}:{index if index is not None else cid.get('index')}"
    return cid


def _concrete(cid: Any, expand: dict) -> list | None:
    """Return the concrete ids of a wildcard id (None when ``cid`` is plain)."""
    if isinstance(cid, dict) and cid.get("index") == ["ALL"]:
        return [{"type": cid["type"], "index": i} for i in expand.get(cid["type"], [])]
    return None


def dependencies(client) -> list[dict]:
    answer = client.get(f"{PREFIX}/_dash-dependencies")
    assert answer.status_code == 200, answer.status_code
    return answer.get_json()


def fire(
    client,
    output: str,
    values: dict[str, Any],
    *,
    changed: str,
    expand: dict | None = None,
    raw: bool = False,
):
    """Post the callback that writes ``output``; return its ``response`` (or the raw answer)."""
    expand = {**EXPAND, **(expand or {})}
    want_id, want_prop = output.rsplit(".", 1)
    for dep in dependencies(client):
        outs = _outputs(dep["output"])
        if any(_key(i) == want_id and p.split("@")[0] == want_prop for i, p in outs):
            break
    else:
        raise KeyError(output)

    def items(specs):
        out = []
        for spec in specs:
            cid, prop = _parse_id(spec["id"]), spec["property"]
            many = _concrete(cid, expand)
            if many is None:
                out.append({"id": cid, "property": prop, "value": values.get(f"{cid}.{prop}")})
            else:
                out.append(
                    [
                        {"id": c, "property": prop, "value": values.get(f"{_key(c)}.{prop}")}
                        for c in many
                    ]
                )
        return out

    outputs = []
    for cid, prop in outs:
        many = _concrete(cid, expand)
        if many is None:
            outputs.append({"id": cid, "property": prop})
        else:
            outputs.append([{"id": c, "property": prop} for c in many])
    if changed.startswith("{"):
        changed_id = changed
    elif ":" in changed.split(".")[0]:
        kind, rest = changed.split(":", 1)
        index, prop = rest.rsplit(".", 1)
        cid = json.dumps({"index": index, "type": kind}, separators=(",", ":"))
        changed_id = f"{cid}.{prop}"
    else:
        changed_id = changed
    body = {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": items(dep["inputs"]),
        "state": items(dep.get("state", [])),
        "changedPropIds": [changed_id],
    }
    answer = client.post(f"{PREFIX}/_dash-update-component", json=body)
    if raw:
        return answer
    if answer.status_code == 204:
        return {}
    return response_of(answer)


def prop(response: dict, component: Any, name: str) -> Any:
    """Return the value a callback answer sets on ``component.name`` (None when not set)."""
    key = (
        json.dumps(component, sort_keys=True, separators=(",", ":"))
        if isinstance(component, dict)
        else component
    )
    return (response.get(key) or {}).get(name)
