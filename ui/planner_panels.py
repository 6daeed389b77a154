"""Planner panels built from plain figures: KPI tiles with deltas, worst grids, suggestions."""

from __future__ import annotations

from dash import html

from gridmap.coverage.site_names import place_label
from gridmap.i18n import TEXTS, name_of, t
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
    digits: int | None = None,
    unit: str | None = None,
) -> html.Span:
    """Return the change against the baseline, coloured by whether it is better.

    A share's change is in percentage points (pp / 个百分点), not per cent. The class ``up``
    (green) marks a change for the better, ``down`` (red) one for the worse: fewer people
    not covered is better.
    """
    if now is None or base is None:
        return html.Span("", className="kpi-delta")
    diff = (now - base) * (100.0 if share else 1.0)
    if unit is None:
        unit = t("unit-pp", lang) if share else ""
    if digits is None:
        digits = 1 if share else 0
    if abs(diff) < 0.5 * 10.0**-digits:
        return html.Span("±0" + unit, className="kpi-delta")
    better = diff < 0 if lower_is_better else diff > 0
    cls = "kpi-delta up" if better else "kpi-delta down"
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
        *time_tiles(kpis, baseline, lang),
    ]


def _minutes(value: float | None, lang: str) -> str:
    return "—" if value is None else f"{value:.1f}{t('unit-min', lang)}"


def time_tiles(kpis: dict, baseline: dict, lang: str) -> list:
    """Return the mean and 90th-percentile response-time tiles (when ``kpis`` hold them)."""
    if "mean_minutes" not in kpis:
        return []
    out = []
    for key, label, tile in (
        ("mean_minutes", "kpi-mean-time", "planner-kpi-mean-time"),
        ("p90_minutes", "kpi-p90-time", "planner-kpi-p90-time"),
    ):
        now, base = kpis.get(key), baseline.get(key)
        delta = _delta(now, base, lang, share=False, lower_is_better=True, digits=1,
                       unit=t("unit-min", lang))  # fmt: skip
        out.append(_tile(t(label, lang), _minutes(now, lang), delta, tile))
    return out


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


def solver_word(value: str, lang: str) -> str:
    """Return a solver's method or status ("milp", "optimal", ...) in ``lang``."""
    key = f"solver-{value}"
    if key in TEXTS:
        return t(key, lang)
    # "greedy (MILP ... was not better)", "greedy (MILP found no solution ...)".
    return t("solver-fallback", lang) if str(value).startswith("greedy") else str(value)


def suggestion_panel(suggestion: dict, lang: str) -> list:
    """Return the suggestion's summary and its sites with what each adds."""
    added = sum(s["adds"] for s in suggestion["sites"])
    summary = t(
        "planner-suggest-result",
        lang,
        k=len(suggestion["sites"]),
        method=solver_word(suggestion["solver"]["method"], lang),
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


def _gap(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def fewest_panel(answer: dict, lang: str) -> list:
    """Return the fewest-posts answer: how many, the shares, the proof gap, the sites."""
    solver = answer["solver"]
    if not answer["reachable"]:
        places = ", ".join(
            place_label(p, lang) for p in answer["unreached"][:5] if place_label(p, lang)
        )
        text = t(
            "planner-fewest-unreachable",
            lang,
            share=_pct(answer["share"]),
            most=_pct(answer["max_share"]),
            places=places or "—",
        )
        return [html.Div(text, className="suggest-kpis")]
    summary = t(
        "planner-fewest-result",
        lang,
        posts=answer["new_posts"],
        after=_pct(answer["share_after"]),
        before=_pct(answer["share_before"]),
        minutes=answer["minutes"],
        status=solver_word(solver["status"], lang),
        gap=_gap(solver["gap"]),
        seconds=answer["seconds"],
    )
    items = [html.Li(site_text(i, s, lang)) for i, s in enumerate(answer["sites"], start=1)]
    return [html.Div(summary, className="suggest-kpis"), html.Ol(items)]


def median_panel(answer: dict, lang: str) -> list:
    """Return the p-median answer: mean and 90th-percentile time before and after, the sites."""
    solver, before, after = answer["solver"], answer["times_before"], answer["times_after"]

    def m(v):
        return "—" if v is None else f"{v:.2f}"

    summary = t(
        "planner-median-result",
        lang,
        k=len(answer["sites"]),
        before=m(before["mean_minutes"]),
        after=m(after["mean_minutes"]),
        p90_before=m(before["p90_minutes"]),
        p90_after=m(after["p90_minutes"]),
        method=solver_word(solver["method"], lang),
        status=solver_word(solver["status"], lang),
        gap=_gap(solver["gap"]),
        seconds=answer["seconds"],
    )
    items = [
        html.Li(
            t("planner-site-minutes", lang, n=i, place=place_label(s, lang) or "—", adds=s["adds"])
        )
        for i, s in enumerate(answer["sites"], start=1)
    ]
    return [html.Div(summary, className="suggest-kpis"), html.Ol(items)]


def _value(kind: str, value, lang: str, signed: bool = False) -> str:
    if value is None:
        return "—"
    # Round to what is shown first: a difference of -0.01 min reads 0.0, never "-0.0".
    digits = {"share": 3, "minutes": 1}.get(kind, 0)
    value = round(value, digits) + 0.0
    sign = "+" if signed and value > 0 else ""
    if kind == "share":
        return f"{sign}{value * 100:.1f}" + (t("unit-pp", lang) if signed else "%")
    if kind == "minutes":
        return f"{sign}{value:.1f}{t('unit-min', lang)}"
    return f"{sign}{value:,.0f}"


#: The label of each row of the side-by-side table.
COMPARE_LABELS = {
    "population_share": "kpi-population",
    "area_share": "kpi-area",
    "incident_share": "kpi-incidents",
    "posts": "kpi-posts",
    "uncovered_population": "kpi-uncovered",
    "mean_minutes": "kpi-mean-time",
    "p90_minutes": "kpi-p90-time",
}


def params_text(scenario, lang: str, keys=("minutes", "profile", "speed_scale")) -> str:
    """Return a scenario's parameters as written in the table ("5 min · Off-peak · speed ×1")."""
    parts = {
        "minutes": f"{scenario.minutes:g}",
        "profile": t(f"profile-{scenario.profile}", lang),
        "speed": f"{scenario.speed_scale:g}",
    }
    if keys == ("minutes", "profile", "speed_scale"):
        return t("compare-params-value", lang, **parts)
    # Only some (a saved scenario's own, where they differ from the comparison's).
    minutes = f"{parts['minutes']}{t('unit-min', lang)}"
    return " · ".join(minutes if k == "minutes" else parts[k] for k in keys)


def _column(which: str, side, lang: str) -> list:
    """Return a column head: its letter and name, the parameters computed at, the saved ones."""
    name = t("planner-compare-today", lang) if side.is_today else side.name
    head = [
        html.Div(t("compare-column", lang, which=t(f"planner-compare-{which}", lang), name=name))
    ]
    saved = side.saved_params
    if saved:
        text = t("compare-saved-params", lang, params=params_text(side.saved, lang, tuple(saved)))
        head.append(html.Div(text, className="saved-params", id=f"compare-saved-{which}"))
    return head


def _better_class(row: dict) -> str:
    """Return the colour class of a difference: none when it shows as zero."""
    digits = {"share": 3, "minutes": 1}.get(row["kind"], 0)
    if row["diff"] is None or round(row["diff"], digits) == 0:
        return ""
    return {"b": "up", "a": "down"}.get(row["better"], "")


def compare_panel(rows: list[dict], lang: str, sides: tuple | None = None) -> html.Table:
    """Return the side-by-side KPI table: A, B and B − A (green where B is better).

    ``sides`` (two :class:`~gridmap.coverage.compare.ComparedSide`) name the columns and give
    the row of the parameters each column was computed at, with a saved scenario's own
    parameters under its name when they differ.
    """
    if sides is None:
        heads = [t("planner-compare-a", lang), t("planner-compare-b", lang)]
    else:
        heads = [_column(w, side, lang) for w, side in zip("ab", sides, strict=True)]
    head = [
        html.Tr(
            [
                html.Th(t("compare-measure", lang)),
                html.Th(heads[0]),
                html.Th(heads[1]),
                html.Th(t("compare-diff", lang)),
            ]
        )
    ]
    if sides is not None:
        head.append(
            html.Tr(
                [
                    html.Th(t("compare-params", lang)),
                    *(html.Th(params_text(s.evaluated, lang), className="params") for s in sides),
                    html.Th(""),
                ],
                id="compare-row-params",
            )
        )
    body = [
        html.Tr(
            [
                html.Td(t(COMPARE_LABELS[r["key"]], lang)),
                html.Td(_value(r["kind"], r["a"], lang)),
                html.Td(_value(r["kind"], r["b"], lang)),
                html.Td(
                    _value(r["kind"], r["diff"], lang, signed=True),
                    className=_better_class(r),
                ),
            ],
            id=f"compare-row-{r['key']}",
        )
        for r in rows
    ]
    return html.Table([html.Thead(head), html.Tbody(body)], className="compare-table")
