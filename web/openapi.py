"""The OpenAPI 3.1 document of the REST API: spectree reads the routes and their pydantic models.

How to document a route
-----------------------
Put :func:`documented` right under the route's own decorator, with a tag, the answers (status
-> a model of :mod:`web.api_models`, or None for an answer without a body) and, when the route
has them, its query model and JSON body model::

    from web import api_models as models
    from web.openapi import documented

    @blueprint.get("/things/<thing_id>")
    @documented(
        "things",
        answers={200: models.Thing, 404: models.ErrorAnswer},
        query=models.ThingQuery,
    )
    def thing(thing_id: str):
        \"\"\"Return one thing (first line: the summary; the rest: the description).\"\"\"

That is all: the route is in ``/api/v1/openapi.json``, on the reference page ``/api/v1/docs``
and in the contract fuzz (tests/web/test_contract_fuzz.py), which asserts that every answer
matches the document. The answers every guarded route may give (401, 403, 503 with
``Retry-After``) are added for you; ``public=True`` marks a route open without sign-in. Give the
URL a rule in :mod:`web.access_rules` as for any route.

``documented`` never validates nor changes a request or an answer: each route checks its own
input and answers in the API's own error shape (one entry per bad record and field). Options
for what spectree cannot see: ``media`` (other content types of a status: ``{200:
{"text/csv": None}}``; a model instead of None gives the schema), ``json_media`` (False: the
status has no ``application/json`` body, only ``media``), ``path`` (JSON schemas of path
parameters, e.g. ``{"kind": {"enum": ["coverage", "gaps"]}}``) and ``headers`` (response
headers per status).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from spectree import Response as Answers
from spectree import SecurityScheme, SecuritySchemeData, SpecTree

from web.api_models import ErrorAnswer

#: Where the document is served.
DOCUMENT_URL = "/api/v1/openapi.json"
#: The reference page rendered from it.
REFERENCE_URL = "/api/v1/docs"
RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}
#: What the request guard and the app-wide handlers may answer on every guarded route.
GUARD_ANSWERS: dict[int, tuple[type, str]] = {
    401: (ErrorAnswer, "Not signed in and no valid bearer token"),
    403: (ErrorAnswer, "Signed in, but not allowed (role, token rights or grids)"),
    503: (ErrorAnswer, "The database is busy or unreachable: retry after Retry-After"),
}

SPEC = SpecTree(
    "flask",
    # Only the routes decorated here (not Dash's): spectree never serves pages of its own
    # (they load scripts from CDNs) and never validates (skip_validation below).
    mode="strict",
    annotations=False,
    path="_spectree",
    page_templates={},
    title="Grid governance map API (网格化社会治理地图 API)",
    version="1",
    description=(
        "The JSON API of the grid governance map: intake and dispatch of incidents, queries, "
        "grids, display geometry and the 5-minute police circle. Every route but health "
        "needs a signed-in session or `Authorization: Bearer <token>` (`python app.py token "
        "add`) and answers only inside the asker's grids. Bad input never answers 5xx: a "
        "refusal names its parameter, field or record."
    ),
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    validation_error_model=ErrorAnswer,
    security_schemes=[
        SecurityScheme(
            name="bearer",
            data=SecuritySchemeData(
                type="http",
                scheme="bearer",
                description="A machine token (python app.py token add)",
            ),
        ),
        SecurityScheme(
            name="session",
            data=SecuritySchemeData(
                type="apiKey",
                name="session",
                field_in="cookie",
                description="The session cookie of a signed-in person (/login)",
            ),
        ),  # fmt: skip
    ],
    security=[{"bearer": []}, {"session": []}],
)


def documented(
    tag: str,
    *,
    answers: Mapping[int, type | None | tuple[type | None, str]],
    query: type | None = None,
    json: type | None = None,
    public: bool = False,
    media: Mapping[int, Mapping[str, type | None]] | None = None,
    json_media: bool = True,
    path: Mapping[str, dict] | None = None,
    headers: Mapping[int, dict] | None = None,
) -> Callable[[Callable], Callable]:
    """Return the decorator that puts a route in the OpenAPI document (see the module doc).

    Parameters
    ----------
    tag : str
        The group of the route on the reference page (``incidents``, ``grids``, ...).
    answers : mapping
        Status -> model of the answer's JSON body (None: no body described), or a pair
        (model, description) to say what the status means for this route.
    query, json : pydantic model, optional
        The query parameters and the JSON request body.
    public : bool
        True: open without sign-in (no 401/403 added).
    media, json_media, path, headers
        What spectree cannot see (see the module doc).
    """
    codes = {c: a if isinstance(a, tuple) else (a, None) for c, a in answers.items()}
    if not public:
        for code, guard in GUARD_ANSWERS.items():
            codes.setdefault(code, guard)
    spec_answers = Answers(**{f"HTTP_{code}": answer for code, answer in codes.items()})
    extra = {
        "codes": {str(c) for c in codes},
        "media": dict(media or {}),
        "json_media": json_media,
        "path": dict(path or {}),
        "headers": {503: RETRY_AFTER_HEADER, **(headers or {})} if 503 in codes else headers,
    }

    def decorate(route: Callable) -> Callable:
        wrapped = SPEC.validate(
            query=query, json=json, resp=spec_answers, tags=[tag],
            security={} if public else None, skip_validation=True,
            operation_id=route.__name__,
        )(route)  # fmt: skip
        wrapped.openapi_extra = extra
        return wrapped

    return decorate


def openapi_document(app: Flask) -> dict[str, Any]:
    """Return the OpenAPI document of ``app``'s documented routes (built once per app).

    Parameters
    ----------
    app : flask.Flask
        The server whose routes are read (``url_map`` and the views' decorations).

    Returns
    -------
    dict
        The OpenAPI 3.1 document, JSON-ready.
    """
    found = app.extensions.get("openapi")
    if found is None:
        with app.app_context():
            # SpecTree.spec caches one document per SpecTree; each app has its own routes.
            found = SPEC._generate_spec()
        _complete(app, found)
        app.extensions["openapi"] = found
    return copy.deepcopy(found)


def _complete(app: Flask, document: dict[str, Any]) -> None:
    """Add what each route's ``documented(...)`` said beyond spectree's reach."""
    schemas = document["components"]["schemas"]
    for rule in app.url_map.iter_rules():
        extra = getattr(app.view_functions.get(rule.endpoint), "openapi_extra", None)
        if extra is None:
            continue
        path, _ = SPEC.backend.parse_path(rule, None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation = document["paths"][path][method.lower()]
            responses = operation["responses"]
            for code in list(responses):
                if code not in extra["codes"]:  # spectree's own 422 on every route
                    del responses[code]
            for code, kinds in extra["media"].items():
                content = responses[str(code)].setdefault("content", {})
                if not extra["json_media"]:
                    kinds = {k: v or content.get("application/json", {}).get("schema")
                             for k, v in kinds.items()}  # fmt: skip
                    content.pop("application/json", None)
                for kind, model in kinds.items():
                    schema = _schema_of(model, schemas) if model is not None else None
                    content[kind] = {"schema": schema or {"type": "string"}}
            for code, described in (extra["headers"] or {}).items():
                responses[str(code)]["headers"] = described
            for parameter in operation.get("parameters", []):
                given = extra["path"].get(parameter["name"])
                if parameter["in"] == "path" and given:
                    parameter["schema"] = {**parameter["schema"], **given}
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["schema"] = _or_empty(parameter["schema"])


def _or_empty(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the schema of an optional query parameter: a value, or empty (= left out).

    Every route reads ``?name=`` as ``name`` not given (as an HTML form sends an empty field),
    and a query value is never JSON null.
    """
    keep = {k: v for k, v in schema.items() if k in ("description", "title")}
    if schema.get("default") is not None:
        keep["default"] = schema["default"]
    rest = {k: v for k, v in schema.items() if k not in ("description", "title", "default")}
    top = {k: v for k, v in rest.items() if k != "anyOf"}
    branches = [{**b, **top} for b in rest.get("anyOf", [top]) if b.get("type") != "null"]
    plain = all(
        b.get("type") == "string" and not (set(b) - {"type", "maxLength"}) for b in branches
    )
    if plain:
        return {**keep, **branches[0]} if len(branches) == 1 else {**keep, "anyOf": branches}
    return {**keep, "anyOf": [*branches, {"type": "string", "maxLength": 0}]}


def _schema_of(model: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """Return a schema reference of ``model`` (a model class or a schema dict), adding it."""
    if isinstance(model, dict):
        return model
    name = model.__name__
    if name not in schemas:
        schema = model.model_json_schema(
            ref_template="#/components/schemas/{model}", mode="serialization"
        )
        for sub, value in schema.pop("$defs", {}).items():
            schemas.setdefault(sub, value)
        schemas[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}
