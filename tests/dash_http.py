"""Call Dash callbacks over HTTP the way the browser does (POST /_dash-update-component)."""

from __future__ import annotations

import json
from typing import Any

from gridmap.views import url_state
from ui import ids


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


def dependency_output(client, component_id: str, prop: str, trigger_id: str) -> tuple[str, str]:
    """Return (id, ``prop@hash``) of the ``allow_duplicate`` output of a callback, by HTTP.

    As :func:`duplicate_output`, read from the page's ``/_dash-dependencies`` the way the browser
    reads it: the callback whose output is ``component_id.prop@...`` and takes ``trigger_id``.
    """
    resp = client.get("/_dash-dependencies")
    assert resp.status_code == 200, resp.status_code
    for spec in resp.get_json():
        if spec["output"].startswith(f"{component_id}.{prop}@"):
            if any(i["id"] == trigger_id for i in spec["inputs"]):
                return component_id, spec["output"].split(".", 1)[1]
    raise KeyError(f"no duplicate output {component_id}.{prop} with input {trigger_id}")


# -- the map page's callback (a step, the URL, the toggles -> URL, map, breadcrumb, panels) --
#: The outputs of the map page's one callback: a step's URL and view, and what they show (the
#: map, the breadcrumb, the grid's panel, its statistics and dispatch figures, the incident
#: detail it clears, whether 'up' leads anywhere).
MAP_OUTPUTS = [
    (ids.URL, "search"),
    (ids.VIEW_SELECT, "value"),
    (ids.MAP_GRAPH, "figure"),
    (ids.BREADCRUMB, "children"),
    (ids.DETAIL_PANEL, "children"),
    (ids.STATS_PANEL, "children"),
    (ids.DISPATCH_STATS, "children"),
    (ids.INCIDENT_DETAIL, "children"),
    (ids.UP_BUTTON, "disabled"),
]


def map_inputs(
    search,
    *,
    click=None,
    up=None,
    found=None,
    view=...,
    lang="en",
    metric="density",
    layers=("posts", "roads"),
    size=None,
    filters=None,
    version=None,
) -> list:
    """Return the inputs of the map page's callback, in its order.

    The view selector shows the URL's view unless ``view`` says otherwise.
    """
    view = url_state.parse(search).view if view is ... else view
    return [
        (ids.MAP_GRAPH, "clickData", click),
        (ids.UP_BUTTON, "n_clicks", up),
        (ids.SEARCH_DROPDOWN, "value", found),
        (ids.VIEW_SELECT, "value", view),
        (ids.URL, "search", search),
        (ids.LANG_STORE, "data", lang),
        (ids.METRIC_SELECT, "value", metric),
        (ids.LAYER_CHECKLIST, "value", list(layers)),
        (ids.MAP_SIZE_STORE, "data", size),
        (ids.FILTERS_STORE, "data", filters),
        (ids.VERSION_STORE, "data", version),
    ]


def map_call(client, search, changed, rank="count", **kwargs):
    """Post the map page's callback with ``changed`` (a list of 'id.prop') as the trigger.

    ``rank`` is the statistics panel's ranking (the callback's state).
    """
    state = [(ids.STATS_RANK, "value", rank)]
    return call(client, MAP_OUTPUTS, map_inputs(search, **kwargs), state, changed=changed)


# -- helpers --------------------------------------------------------------------------------
def render(
    client,
    search,
    lang="en",
    metric="density",
    layers=("posts", "roads"),
    size=None,
    changed=None,
    filters=None,
    version=None,
):
    """Post the map callback as a URL change (or ``changed``) does: the map, crumbs and panel."""
    changed = [f"{ids.URL}.search"] if changed is None else changed
    kwargs = dict(lang=lang, metric=metric, layers=layers, size=size)
    return response_of(
        map_call(client, search, changed, filters=filters, version=version, **kwargs)
    )


def overlay_call(
    client, search, key, layers, lang="en", size=None, version=1, metric="density", changed=None
):
    """Post the map callback as a filter change (or ``changed``) does; return the response.

    The heat and incident overlays go out in its figure Patch, with the grids.
    """
    changed = changed or f"{ids.FILTERS_STORE}.data"
    kwargs = dict(lang=lang, metric=metric, layers=layers, size=size)
    return map_call(client, search, [changed], filters=key, version=version, **kwargs)


def operations(response) -> dict[tuple, object]:
    """Return the figure Patch as {location tuple: assigned value} (every op an Assign)."""
    patch = response[ids.MAP_GRAPH]["figure"]
    assert patch["__dash_patch_update"] == "__dash_patch_update"
    out = {}
    for op in patch["operations"]:
        assert op["operation"] == "Assign", op
        out[tuple(op["location"])] = op["params"]["value"]
    return out


def holds_geometry(value) -> bool:
    """Return whether ``value`` holds GeoJSON (coordinates or features) at any depth."""
    if isinstance(value, dict):
        if "coordinates" in value or "features" in value:
            return True
        return any(holds_geometry(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_geometry(v) for v in value)
    return False


def texts(node) -> list[str]:
    """Return every string child in a serialised Dash component tree, depth first."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for n in node for s in texts(n)]
    if isinstance(node, dict) and "props" in node:
        return texts(node["props"].get("children"))
    return []


def grids_of(district, locations) -> list[str]:
    """Return the grid ids the map trace's ``locations`` (short keys) name; KeyError if not keys."""
    return [district.grid_of_key[k] for k in locations]


def crumb_ids(breadcrumb) -> list[str]:
    return [n["props"]["id"]["index"] for n in breadcrumb if "id" in n["props"]]


def navigate(client, search, changed, *, click=None, up=None, found=None, view=...):
    """Post the map callback as a step does, with ``changed`` ('id.prop') as the trigger.

    The view selector shows the URL's view unless ``view`` says otherwise. The answer holds the
    step's URL and view (:func:`nav_result`) and, when the URL changed, what it shows.
    """
    kwargs = dict(click=click, up=up, found=found, view=view)
    return map_call(client, search, [changed], **kwargs)


def links(children) -> dict[str, str]:
    """Return {grid: href} of the links (breadcrumb, ranking rows) in serialised ``children``."""
    found: dict[str, str] = {}

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict) and "props" in node:
            props = node["props"]
            if node.get("type") == "Link" and isinstance(props.get("id"), dict):
                found[props["id"]["index"]] = props["href"]
            walk(props.get("children"))

    walk(children)
    return found


def incident_click(client, click, search="?grid=T111", lang="en", **kwargs):
    """Post the map callback as a click on the map does (an incident's point: its detail)."""
    changed = [f"{ids.MAP_GRAPH}.clickData"]
    return map_call(client, search, changed, click=click, lang=lang, **kwargs)


def nav_result(resp) -> dict:
    """Return {'search': ..., 'view': ...} for the outputs that changed (no_update left out)."""
    if resp.status_code == 204:  # every output no_update
        return {}
    body = response_of(resp)
    out = {}
    if ids.URL in body:
        out["search"] = body[ids.URL]["search"]
    if ids.VIEW_SELECT in body:
        out["view"] = body[ids.VIEW_SELECT]["value"]
    return out


def find_component(node, component_id):
    """Return the serialised component with ``component_id`` in a /_dash-layout tree."""
    if isinstance(node, list):
        for n in node:
            if (found := find_component(n, component_id)) is not None:
                return found
    elif isinstance(node, dict) and "props" in node:
        if node["props"].get("id") == component_id:
            return node
        return find_component(node["props"].get("children"), component_id)
    return None
