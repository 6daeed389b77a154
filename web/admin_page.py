"""The admin pages' HTML: the audit trail and the people, tokens and wall links, in zh or en.

Server-rendered like the sign-in page (:mod:`web.login_page`, whose style it shares): every name,
detail and filter value is escaped as text with markupsafe, so a hostile user name or incident
description shows as the characters it is, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlencode

from markupsafe import Markup, escape

from gridmap.clock import local_stamp
from gridmap.i18n import t
from web.login_page import STYLE as LOGIN_STYLE

STYLE = (
    LOGIN_STYLE
    + """
body { display: block; }
.page { max-width: 1200px; margin: 24px auto; }
.card { width: auto; }
.card header nav a { margin-left: 14px; }
section { padding: 12px 20px 16px; }
h2 { font-size: 15px; margin: 12px 0 8px; color: #12324f; }
form.filters { flex-direction: row; flex-wrap: wrap; align-items: end;
  padding: 0 0 12px; gap: 12px; }
form.filters div { display: flex; flex-direction: column; gap: 4px; }
form.filters input { font: inherit; padding: 5px 8px; border: 1px solid #c4ccd6;
  border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e6e9ee;
  vertical-align: top; }
th { background: #f0f3f6; font-weight: 600; }
td.detail { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.note { color: #5a6775; font-size: 13px; margin: 8px 0; }
a.button { display: inline-block; padding: 6px 12px; border: 1px solid #3d6d99; border-radius: 4px;
  color: #1d4f7c; text-decoration: none; }
"""
)

#: The admin pages, as (path, title key): the header links to each.
PAGES = (("/admin/audit", "admin-audit-title"), ("/admin/users", "admin-users-title"))


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], lang: str) -> str:
    rows = list(rows)
    if not rows:
        return f'<p class="note">{escape(t("admin-empty", lang))}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{_cls(c)}>{escape(_text(c))}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Detail(str):
    """A cell shown in monospace (the audit row's JSON detail)."""


def _cls(cell: object) -> str:
    return ' class="detail"' if isinstance(cell, Detail) else ""


def _text(cell: object) -> str:
    return "" if cell is None else str(cell)


def page_html(lang: str, path: str, title_key: str, body: str, query: Mapping[str, str]) -> str:
    """Return a whole admin page: the header (links, language switch) around ``body``.

    ``body`` is markup built by this module from escaped values; ``query`` holds the request's
    parameters, kept by the language link.
    """
    other = "en" if lang == "zh" else "zh"
    switch = path + "?" + urlencode({**query, "lang": other})
    links = "".join(f'<a href="{escape(p)}?lang={lang}">{escape(t(k, lang))}</a>' for p, k in PAGES)
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t(title_key, lang))} · {escape(t("app-title", lang))}</title>
<style>{STYLE}</style></head>
<body><main class="page card">
<header><h1>{escape(t("app-title", lang))} · {escape(t(title_key, lang))}</h1>
<nav><a href="/">{escape(t("admin-map", lang))}</a>{links}
<a href="{escape(switch)}" id="admin-lang">{escape(t("login-other-lang", lang))}</a></nav></header>
{body}
</main></body></html>"""


def audit_html(
    lang: str, rows: list[dict], filters: Mapping[str, str], limit: int, error: str = ""
) -> str:
    """Return the audit trail page: the filter form, a CSV link and the rows, newest first."""
    fields = []
    for key, label, kind in (
        ("actor", "admin-actor", "text"),
        ("action", "admin-action", "text"),
        ("from", "admin-from", "date"),
        ("to", "admin-to", "date"),
    ):
        fields.append(
            f'<div><label for="audit-{key}">{escape(t(label, lang))}</label>'
            f'<input type="{kind}" id="audit-{key}" name="{key}" '
            f'value="{escape(filters.get(key, ""))}"></div>'
        )
    kept = {k: v for k, v in filters.items() if v}
    csv_url = "/admin/audit.csv?" + urlencode(kept)
    notice = f'<p class="message" role="alert">{escape(error)}</p>' if error else ""
    table = _table(
        [
            t(k, lang)
            for k in (
                "admin-when",
                "admin-actor",
                "admin-action",
                "admin-target",
                "admin-address",
                "admin-detail",
            )
        ],  # fmt: skip
        (
            [
                local_stamp(r["at"]),
                r["actor"],
                r["action"],
                r["target"],
                r["address"],
                Detail(r["detail"]),
            ]
            for r in rows
        ),
        lang,
    )
    body = Markup(
        f"""<section>{notice}
<form class="filters" method="get" action="/admin/audit" id="audit-filters">
<input type="hidden" name="lang" value="{escape(lang)}">{"".join(fields)}
<button type="submit">{escape(t("admin-filter", lang))}</button>
<a class="button" id="audit-csv" href="{escape(csv_url)}">{escape(t("admin-csv", lang))}</a>
</form>
<p class="note">{escape(t("admin-shown", lang, n=len(rows), limit=limit))}</p>
{table}</section>"""
    )
    return page_html(lang, "/admin/audit", "admin-audit-title", body, {**kept, "lang": lang})


def users_html(
    lang: str,
    users: list[dict],
    tokens: list[dict],
    kiosks: list[dict],
    grid_name=lambda grid_id, lang: grid_id,
    unit_name=lambda unit, lang: unit,
) -> str:
    """Return the page of people, API tokens and wall links (never a secret) with last use.

    Times are shown in the district's local time; grids by name and id (``grid_name``); a
    unit's staff member's role with their unit (``unit_name`` in the page's language).
    """

    def role(row: dict) -> str:
        label = t("role-" + row["role"], lang)
        return f"{label} · {unit_name(row['unit'], lang)}" if row.get("unit") else label

    def when(stamp) -> str:
        return local_stamp(stamp) or t("admin-never", lang)

    def grids(values) -> str:
        if not values:
            return t("admin-all-grids", lang)
        return ", ".join(f"{grid_name(g, lang)} ({g})" for g in values)

    def state(row: dict) -> str:
        if row.get("revoked_at"):
            return f"{t('admin-revoked', lang)} {local_stamp(row['revoked_at'])}"
        return t("admin-live", lang)

    people = _table(
        [
            t(k, lang)
            for k in (
                "admin-name",
                "admin-role",
                "admin-grids",
                "admin-state",
                "admin-created",
                "admin-last-use",
            )
        ],  # fmt: skip
        (
            [
                u["name"],
                role(u),
                grids(u["grids"]),
                t("admin-disabled" if u["disabled"] else "admin-enabled", lang),
                local_stamp(u["created_at"]),
                when(u["last_sign_in"]),
            ]
            for u in users
        ),  # fmt: skip
        lang,
    )
    machine = _table(
        [
            t(k, lang)
            for k in (
                "admin-name",
                "admin-rights",
                "admin-grids",
                "admin-state",
                "admin-created",
                "admin-last-use",
            )
        ],  # fmt: skip
        (
            [
                k["name"],
                k["rights"],
                grids([k["grid"]] if k["grid"] else []),
                state(k),
                local_stamp(k["created_at"]),
                when(k["last_used"]),
            ]
            for k in tokens
        ),  # fmt: skip
        lang,
    )
    walls = _table(
        [
            t(k, lang)
            for k in ("admin-name", "admin-grids", "admin-state", "admin-created", "admin-last-use")
        ],  # fmt: skip
        (
            [
                k["label"],
                grids([k["grid"]] if k["grid"] else []),
                state(k),
                local_stamp(k["created_at"]),
                when(k["last_used"]),
            ]
            for k in kiosks
        ),  # fmt: skip
        lang,
    )
    body = Markup(
        f"""<section><p class="note">{escape(t("admin-cli", lang))}</p>
<h2 id="users-people">{escape(t("admin-people", lang))}</h2>{people}
<h2 id="users-tokens">{escape(t("admin-tokens", lang))}</h2>{machine}
<h2 id="users-kiosks">{escape(t("admin-kiosks", lang))}</h2>{walls}</section>"""
    )
    return page_html(lang, "/admin/users", "admin-users-title", body, {"lang": lang})
