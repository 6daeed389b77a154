"""The admin pages: the audit trail (filters, CSV export) and the people, tokens and wall links.

Only administrators reach them: the request guard's ``admin`` rule covers ``/admin/...``
(:mod:`web.access_rules`), so nothing here checks the role again. Changes to accounts are made
on the server's command line (``python app.py user ...``); these pages only read.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, request

from gridmap.clock import LOCAL_TZ
from gridmap.errors import ParameterError
from gridmap.i18n import name_of
from gridmap.settings import LANGUAGES
from web import runtime as runtime_module
from web.admin_page import audit_html, users_html

#: Rows shown on the audit page (the CSV export holds up to :data:`CSV_LIMIT`).
PAGE_LIMIT = 500
CSV_LIMIT = 100_000
FILTERS = ("actor", "action", "from", "to")


def _lang() -> str:
    lang = request.args.get("lang") or runtime_module.current().settings.lang
    return lang if lang in LANGUAGES else LANGUAGES[0]


def _day(name: str, value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParameterError(name, f"must read YYYY-MM-DD, got {value!r}") from None


def audit_filters(args) -> tuple[dict, dict]:
    """Return (the filters as typed, :meth:`AuditLog.query` arguments) of the request ``args``.

    ``from`` and ``to`` are days of the district's time zone, both included.

    Raises
    ------
    ParameterError
        A date that does not read YYYY-MM-DD (``parameter`` names it).
    """
    typed = {k: (args.get(k) or "").strip()[:100] for k in FILTERS}
    query: dict = {"actor": typed["actor"] or None, "action": typed["action"] or None}
    first, last = _day("from", typed["from"]), _day("to", typed["to"])
    if first:
        query["since"] = datetime.combine(first, time(), LOCAL_TZ)
    if last:
        query["until"] = datetime.combine(last + timedelta(days=1), time(), LOCAL_TZ)
    return typed, query


def create_blueprint() -> Blueprint:
    """Return the blueprint of ``/admin/audit``, ``/admin/audit.csv`` and ``/admin/users``."""
    bp = Blueprint("admin", __name__)

    @bp.get("/admin/audit")
    def audit_page():
        lang = _lang()
        audit = runtime_module.current().audit
        try:
            typed, query = audit_filters(request.args)
        except ParameterError as error:
            typed = {k: (request.args.get(k) or "")[:100] for k in FILTERS}
            html = audit_html(lang, [], typed, PAGE_LIMIT, error=str(error))
            return Response(html, status=400, mimetype="text/html")
        rows = audit.query(**query, limit=PAGE_LIMIT)
        return Response(audit_html(lang, rows, typed, PAGE_LIMIT), mimetype="text/html")

    @bp.get("/admin/audit.csv")
    def audit_csv():
        audit = runtime_module.current().audit
        try:
            _, query = audit_filters(request.args)
        except ParameterError as error:
            return Response(str(error), status=400, mimetype="text/plain")
        rows = audit.query(**query, limit=CSV_LIMIT)
        stamp = runtime_module.current().clock().astimezone(LOCAL_TZ).strftime("%Y%m%d-%H%M")
        return Response(
            audit.csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
        )

    @bp.get("/admin/users")
    def users_page():
        runtime = runtime_module.current()
        accounts, district = runtime.accounts, runtime.district

        def grid_name(grid_id: str, lang: str) -> str:
            return name_of(district.record(grid_id), lang) if grid_id in district else grid_id

        units = {u.zh: u for u in district.categories.all_units()}

        def unit_name(unit: str, lang: str) -> str:
            return units[unit].label(lang) if unit in units else unit

        html = users_html(
            _lang(),
            accounts.list_users(),
            accounts.list_tokens(),
            accounts.list_kiosks(),
            grid_name,
            unit_name,
        )
        return Response(html, mimetype="text/html")

    return bp
