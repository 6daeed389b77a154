"""The breadcrumb and the detail panel, built from plain grid summaries."""

from __future__ import annotations

from dash import dcc, html

from gridmap.i18n import name_of, t
from gridmap.views.url_state import link_to
from ui import ids

MAX_POSTS_LISTED = 12


def _fmt(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _href(brief: dict) -> str:
    """Return where a breadcrumb link of ``brief`` leads (the district's URL carries no grid)."""
    return link_to(None if brief["level"] == 1 else brief["grid_id"])


def breadcrumb(chain: list[dict], lang: str, others: list[dict] = ()) -> list:
    """Return the path from the top to the selected grid: every step but the last a link.

    ``chain`` lists grid briefs (grid_id, level, name_zh, name_en) from the top of the reader's
    tree (the district, or the root of their scope) down. ``others`` are the reader's other
    roots, offered first as links (a reader with several grids reaches each of them). A link
    changes the URL, which the map draws: no callback listens to the breadcrumb (pattern-matched
    inputs cost the page a round trip and a pass over every component on each drill).
    """
    items: list = []
    for brief in others:
        items.append(
            dcc.Link(
                name_of(brief, lang),
                href=_href(brief),
                id=ids.crumb(brief["grid_id"]),
                className="crumb crumb-root",
                title=t(f"level-{brief['level']}", lang),
            )
        )
        items.append(html.Span("·", className="crumb-sep"))
    for i, brief in enumerate(chain):
        label = name_of(brief, lang)
        level = t(f"level-{brief['level']}", lang)
        if i:
            items.append(html.Span("›", className="crumb-sep"))
        if i < len(chain) - 1:
            items.append(
                dcc.Link(
                    label,
                    href=_href(brief),
                    id=ids.crumb(brief["grid_id"]),
                    className="crumb",
                    title=level,
                )
            )
        else:
            items.append(html.Span(label, className="crumb crumb-current", title=level))
    return items


def _level_name(brief: dict, lang: str) -> str:
    """Return the district's own name of the grid's level (district.json), else the default."""
    return (brief.get("level_name") or {}).get(lang) or t(f"level-{brief['level']}", lang)


def _with_unit(value: str, unit: str) -> str:
    """Return ``value`` with its unit; an unknown figure ("—") is shown without one."""
    return value if value == "—" else f"{value} {unit}"


def detail_panel(summary: dict, lang: str) -> list:
    """Return the rows of the detail panel for a grid summary (see gridmap.grids.summary)."""
    grid = summary["grid"]
    chain = " › ".join(name_of(b, lang) for b in summary["chain"]) or t("detail-none", lang)
    posts = [name_of(p, lang) for p in summary["posts"]]
    rows = [
        ("detail-name", name_of(grid, lang)),
        ("detail-level", f"{grid['level']} · {_level_name(grid, lang)}"),
        ("detail-code", grid["code"]),
        ("detail-chain", chain),
        ("detail-area", _with_unit(_fmt(grid["area_km2"], 2), t("unit-km2", lang))),
        ("detail-population", _with_unit(_fmt(grid["population"]), t("unit-people", lang))),
        ("detail-density", _with_unit(_fmt(grid["density"]), t("unit-per-km2", lang))),
        ("detail-staff", _fmt(grid["staff"])),
        ("detail-children", _fmt(grid["children"])),
        ("detail-posts", f"{len(posts)}"),
    ]
    items: list = []
    for key, value in rows:
        items.append(html.Dt(t(key, lang)))
        items.append(html.Dd(value, id=f"detail-{key[7:]}-value"))
    body: list = [html.H3(t("detail-title", lang)), html.Dl(items, className="detail-list")]
    if posts:
        shown = [html.Li(p) for p in posts[:MAX_POSTS_LISTED]]
        if len(posts) > MAX_POSTS_LISTED:
            shown.append(html.Li(f"+{len(posts) - MAX_POSTS_LISTED}", className="more"))
        body.append(html.Ul(shown, className="detail-posts"))
    return body


def outside_panel(roots: list[dict], lang: str) -> list:
    """Return the detail panel of a grid outside the reader's scope: what happened, no figures.

    ``roots`` are briefs (name_zh, name_en) of the grids the reader may see.
    """
    names = (
        "、".join(name_of(r, lang) for r in roots)
        if lang == "zh"
        else ", ".join(name_of(r, lang) for r in roots)
    )
    return [
        html.H3(t("scope-outside", lang), id=ids.SCOPE_MESSAGE),
        html.P(t("scope-outside-hint", lang, grids=names or "—"), className="scope-hint"),
    ]


def unknown_notice(grid_id: str, lang: str) -> html.Div:
    """Return the notice that the URL names no grid of the district (``grid_id`` is text)."""
    return html.Div(
        [
            html.Strong(t("grid-unknown", lang)),
            " ",
            html.Span(t("grid-unknown-hint", lang, grid=grid_id[:80])),
        ],
        id=ids.UNKNOWN_GRID_NOTICE,
        className="unknown-grid",
        role="alert",
    )
