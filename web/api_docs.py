"""The OpenAPI document at /api/v1/openapi.json and its reference page at /api/v1/docs.

The page is rendered on the server from the document itself, like the admin pages: no script,
nothing fetched from elsewhere (the CSP of :mod:`web.security` holds unchanged), headings in
Chinese or English, every text of the document escaped. Both need a signed-in person or a token
of any right (the ``api-docs`` action).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from markupsafe import escape

from gridmap.i18n import t
from gridmap.settings import LANGUAGES
from web.admin_page import STYLE as ADMIN_STYLE
from web.openapi import DOCUMENT_URL, REFERENCE_URL, openapi_document

STYLE = (
    ADMIN_STYLE
    + """
.op { border-top: 1px solid #e6e9ee; padding: 10px 0 6px; }
.op h3 { font-size: 14px; margin: 0 0 4px; font-family: ui-monospace, monospace; }
.method { display: inline-block; min-width: 52px; padding: 1px 6px; margin-right: 6px;
  border-radius: 3px; color: #fff; background: #3d6d99; font-size: 12px; text-align: center; }
.method.post { background: #2f7d4f; } .method.patch { background: #a86a12; }
.op p { margin: 4px 0; } code { font-family: ui-monospace, monospace; font-size: 12px; }
h4 { font-size: 13px; margin: 8px 0 4px; color: #3b4652; }
"""
)
METHODS = ("get", "post", "patch", "put", "delete")
#: The schema of an empty query value (the parameter left out, see web.openapi).
EMPTY = {"type": "string", "maxLength": 0}


def create_blueprint() -> Blueprint:
    """Return the blueprint of the document and the reference page."""
    bp = Blueprint("api_docs", __name__)

    @bp.get(DOCUMENT_URL)
    def openapi_json() -> Response:
        return jsonify(openapi_document(current_app))

    @bp.get(REFERENCE_URL)
    def reference() -> Response:
        lang = request.args.get("lang") or current_app.extensions["gridmap"].settings.lang
        lang = lang if lang in LANGUAGES else LANGUAGES[0]
        html = reference_html(openapi_document(current_app), lang)
        return Response(html, mimetype="text/html")

    return bp


def type_of(schema: dict[str, Any] | None) -> str:
    """Return a short text of a JSON schema's type (``Incident``, ``array of string``, ...)."""
    if not isinstance(schema, dict) or not schema:
        return "any"
    if schema == EMPTY:
        return "''"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema or "oneOf" in schema:
        kinds = [type_of(s) for s in schema.get("anyOf") or schema.get("oneOf")]
        return " | ".join(dict.fromkeys(kinds))
    if "enum" in schema:
        return " | ".join(repr(v) if isinstance(v, str) else str(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {type_of(schema.get('items'))}"
    inner = schema.get("additionalProperties")
    if kind == "object" and isinstance(inner, dict):
        return f"object of {type_of(inner)}"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def rules_of(schema: dict[str, Any]) -> str:
    """Return the limits of a schema as text (``1-5``, ``at most 100 chars``, a pattern)."""
    found = []
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        found.append(f"{'' if low is None else low} … {'' if high is None else high}")
    if "maxLength" in schema:
        found.append(f"≤ {schema['maxLength']} chars")
    if "maxItems" in schema:
        found.append(f"≤ {schema['maxItems']} items")
    if "pattern" in schema:
        found.append(f"pattern {schema['pattern']}")
    if "default" in schema and schema["default"] is not None:
        found.append(f"default {schema['default']}")
    return "; ".join(found)


def _flat(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the non-null branch of ``X | None`` (the rules live there)."""
    branches = [s for s in schema.get("anyOf", []) if s.get("type") != "null" and s != EMPTY]
    return {**schema, **branches[0]} if len(branches) == 1 else schema


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _link(name: str) -> str:
    return f'<a href="#schema-{escape(name)}">{escape(name)}</a>'


def _typed(schema: dict[str, Any] | None) -> str:
    text = type_of(schema)
    if schema and "$ref" in schema:
        return _link(text)
    return f"<code>{escape(text)}</code>"


def _operation(path: str, method: str, op: dict[str, Any], lang: str) -> str:
    parts = [
        f'<div class="op" id="{escape(op.get("operationId", ""))}">'
        f'<h3><span class="method {method}">{method.upper()}</span>{escape(path)}</h3>',
        f"<p>{escape(op.get('summary', ''))}</p>",
    ]
    if op.get("description"):
        parts.append(f'<p class="note">{escape(op["description"])}</p>')
    if op.get("security") == []:
        parts.append(f'<p class="note">{escape(t("api-docs-public", lang))}</p>')
    parameters = op.get("parameters", [])
    if parameters:
        rows = []
        for p in parameters:
            schema = _flat(p.get("schema", {}))
            rows.append([
                f"<code>{escape(p['name'])}</code>", escape(p["in"]), _typed(schema),
                escape(t("api-docs-yes", lang)) if p.get("required") else "",
                escape(" · ".join(x for x in (p.get("description", ""), rules_of(schema)) if x)),
            ])  # fmt: skip
        headers = [t(k, lang) for k in ("api-docs-name", "api-docs-where", "api-docs-type",
                                        "api-docs-required", "api-docs-description")]  # fmt: skip
        parts.append(f"<h4>{escape(t('api-docs-parameters', lang))}</h4>{_table(headers, rows)}")
    body = op.get("requestBody", {}).get("content", {})
    if body:
        kinds = ", ".join(f"<code>{escape(k)}</code>: {_typed(v.get('schema'))}"
                          for k, v in body.items())  # fmt: skip
        parts.append(f"<h4>{escape(t('api-docs-body', lang))}</h4><p>{kinds}</p>")
    rows = []
    for code, answer in sorted(op.get("responses", {}).items()):
        content = answer.get("content", {})
        kinds = "<br>".join(f"<code>{escape(k)}</code>: {_typed(v.get('schema'))}"
                            for k, v in content.items())  # fmt: skip
        headers = ", ".join(answer.get("headers", {}))
        note = answer.get("description", "") + (f" ({headers})" if headers else "")
        rows.append([f"<code>{escape(code)}</code>", kinds, escape(note)])
    headers = [t(k, lang) for k in ("api-docs-status", "api-docs-content", "api-docs-description")]
    parts.append(f"<h4>{escape(t('api-docs-answers', lang))}</h4>{_table(headers, rows)}")
    return "".join(parts) + "</div>"


def _schema(name: str, schema: dict[str, Any], lang: str) -> str:
    parts = [f'<div class="op" id="schema-{escape(name)}"><h3>{escape(name)}</h3>']
    if schema.get("description"):
        parts.append(f"<p>{escape(schema['description'])}</p>")
    properties = schema.get("properties")
    if properties:
        required = set(schema.get("required", []))
        rows = []
        for field, sub in properties.items():
            flat = _flat(sub)
            note = " · ".join(x for x in (sub.get("description", ""), rules_of(flat)) if x)
            rows.append([
                f"<code>{escape(field)}</code>", _typed(sub),
                escape(t("api-docs-yes", lang)) if field in required else "", escape(note),
            ])  # fmt: skip
        headers = [t(k, lang) for k in ("api-docs-name", "api-docs-type", "api-docs-required",
                                        "api-docs-description")]  # fmt: skip
        parts.append(_table(headers, rows))
    else:
        parts.append(f"<p>{_typed(schema)}</p>")
    return "".join(parts) + "</div>"


def reference_html(document: dict[str, Any], lang: str) -> str:
    """Return the reference page of an OpenAPI ``document`` in ``lang``: routes, then schemas."""
    by_tag: dict[str, list[str]] = {}
    for path, item in sorted(document.get("paths", {}).items()):
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["api"])[0]
                by_tag.setdefault(tag, []).append(_operation(path, method, op, lang))
    sections = "".join(
        f'<section id="tag-{escape(tag)}"><h2>{escape(tag)}</h2>{"".join(ops)}</section>'
        for tag, ops in by_tag.items()
    )
    schemas = "".join(
        _schema(name, schema, lang)
        for name, schema in sorted(document.get("components", {}).get("schemas", {}).items())
    )
    info = document.get("info", {})
    other = "en" if lang == "zh" else "zh"
    title = t("api-docs-title", lang)
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {escape(t("app-title", lang))}</title>
<style>{STYLE}</style></head>
<body><main class="page card">
<header><h1>{escape(t("app-title", lang))} · {escape(title)}</h1>
<nav><a href="/">{escape(t("admin-map", lang))}</a>
<a href="{REFERENCE_URL}?lang={other}" id="api-docs-lang">{escape(t("login-other-lang", lang))}</a>
</nav></header>
<section><p>{escape(info.get("description", ""))}</p>
<p class="note">{escape(t("api-docs-intro", lang))} <a href="{DOCUMENT_URL}">{DOCUMENT_URL}</a>
(OpenAPI {escape(document.get("openapi", ""))}, {escape(info.get("version", ""))})</p></section>
{sections}
<section id="schemas"><h2>{escape(t("api-docs-schemas", lang))}</h2>{schemas}</section>
</main></body></html>"""
