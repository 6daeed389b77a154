"""Planner panels built from plain figures: KPI tiles with deltas, worst grids, suggestions."""

from __future__ import annotations

from dash import html

from gridmap.i18n import name_of, t
from gridmap.messages import text_of
from layers.planner_figure import site_text


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _delta(
    now: float | None,
    base: float | None,
    lang: str,
    *,
    share: bool = True,
    lower_is_better: bool = False,
) -> html.Span:
    """Return the change against the baseline, coloured by whether it is better.

    A share's change is in percentage points (pp / 个百分点), not per cent. The class ``up``
    (green) marks a change for the better, ``down`` (red) one for the worse: fewer people
    not covered is better.
    """
    if now is None or base is None:
        return html.Span("", className="kpi-delta")
    diff = (now - base) * (100.0 if share else 1.0)
    unit = t("unit-pp", lang) if share else ""
    if abs(diff) < (0.05 if share else 0.5):
        return html.Span("±0" + unit, className="kpi-delta")
    better = diff < 0 if lower_is_better else diff > 0
    cls = "kpi-delta up" if better else "kpi-delta down"
    digits = 1 if share else 0
    return html.Span(f"{diff:+,.{digits}f}{unit}", className=cls)


def _tile(label: str, value: str, delta: html.Span, tile_id: str) -> html.Div:
    return html.Div(
        [html.Div(label, className="kpi-label"), html.Div(value, className="kpi-value"), delta],
        className="kpi",
        id=tile_id,
    )


def kpi_tiles(kpis: dict, baseline: dict, lang: str) -> list:
    """Return the KPI tiles of a scenario, each with its change against the baseline."""
    people = kpis.get("uncovered_population")
    base_people = baseline.get("uncovered_population")
    return [
        _tile(
            t("kpi-population", lang),
            _pct(kpis.get("population_share")),
            _delta(kpis.get("population_share"), baseline.get("population_share"), lang),
            "planner-kpi-population",
        ),
        _tile(
            t("kpi-area", lang),
            _pct(kpis.get("area_share")),
            _delta(kpis.get("area_share"), baseline.get("area_share"), lang),
            "planner-kpi-area",
        ),
        _tile(
            t("kpi-incidents", lang),
            _pct(kpis.get("incident_share")),
            _delta(kpis.get("incident_share"), baseline.get("incident_share"), lang),
            "planner-kpi-incidents",
        ),
        _tile(
            t("kpi-posts", lang),
            str(kpis.get("posts", "—")),
            _delta(kpis.get("posts"), baseline.get("posts"), lang, share=False),
            "planner-kpi-posts",
        ),
        _tile(
            t("kpi-uncovered", lang),
            "—" if people is None else f"{people:,.0f}",
            _delta(people, base_people, lang, share=False, lower_is_better=True),
            "planner-kpi-uncovered",
        ),
    ]


def worst_table(rows: list[dict], lang: str) -> html.Table:
    """Return the worst-covered grids: name, share of people covered, people not covered."""
    head = html.Tr(
        [
            html.Th("#"),
            html.Th(t("detail-name", lang)),
            html.Th(t("kpi-population", lang)),
            html.Th(t("kpi-uncovered", lang)),
        ]
    )
    body = [
        html.Tr(
            [
                html.Td(r["rank"]),
                html.Td(name_of(r, lang)),
                html.Td(_pct(r.get("population_share"))),
                html.Td(_uncovered(r)),
            ]
        )
        for r in rows
    ]
    return html.Table([html.Thead(head), html.Tbody(body)], className="worst-table")


def _uncovered(row: dict) -> str:
    """Return the people not covered in a grid, or "—" when its population is unknown."""
    people = row.get("population")
    if people is None or people != people:
        return "—"
    return f"{people - (row.get('covered_population') or 0):,.0f}"


def suggestion_panel(suggestion: dict, lang: str) -> list:
    """Return the suggestion's summary and its sites with what each adds."""
    added = sum(s["adds"] for s in suggestion["sites"])
    summary = t(
        "planner-suggest-result",
        lang,
        k=len(suggestion["sites"]),
        method=suggestion["solver"]["method"],
        seconds=suggestion["seconds"],
        added=added,
    )
    items = [html.Li(site_text(i, s, lang)) for i, s in enumerate(suggestion["sites"], start=1)]
    before, after = suggestion["kpis_before"], suggestion["kpis_after"]
    kpis = t(
        "planner-suggest-kpis",
        lang,
        before=_pct(before.get("population_share")),
        after=_pct(after.get("population_share")),
        area_before=_pct(before.get("area_share")),
        area_after=_pct(after.get("area_share")),
    )
    out = [html.Div(summary), html.Div(kpis, className="suggest-kpis"), html.Ol(items)]
    if suggestion.get("weight") == "area":
        # No population figures: the solver covered area instead, and the page says so.
        out.insert(0, html.Div(t("planner-suggest-by-area", lang), className="suggest-note"))
    return out


def method_label(method: str, warnings: list[str], lang: str) -> str:
    """Return how coverage was computed (network or straight line), with the first 3 warnings."""
    label = t("planner-method-network" if method == "network" else "planner-method-straight", lang)
    if warnings:
        label = f"{label} · {'; '.join(text_of(w, lang) for w in warnings[:3])}"
    return label
