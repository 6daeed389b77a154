"""The printable report of a scenario (``GET /planner/report?<scenario>``): one HTML page.

Print-ready on A4 or A3 (``paper=a3``): the map as a static SVG drawn on the server (offline,
no script), the figures before and after, each new post with its village and township and the
people it adds, the method and its parameters, the date and the data version. Every value is
escaped as text; the figures are the planner's (memoized, within the reader's scope).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from markupsafe import escape

from gridmap.clock import local_today
from gridmap.coverage.report import report_rows, site_gains
from gridmap.coverage.scenario import ScenarioError, parse_query, scenario_coverage
from gridmap.errors import CoverageError, MCLPError
from gridmap.i18n import LANGUAGES, name_of, t
from layers.report_map import report_svg
from ui.planner_panels import COMPARE_LABELS
from web.planner_kpis import scenario_figures
from web.runtime import current

#: Row labels of the report's figures (the side-by-side table's, and covered people).
ROW_LABELS = {**COMPARE_LABELS, "covered_population": "report-covered-people"}

STYLE = """
@page { size: %(paper)s; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; color: #1d2530;
  margin: 0 auto; max-width: %(max)s; font-size: 12px; }
h1 { font-size: 20px; margin: 8px 0 2px; } h2 { font-size: 15px; margin: 14px 0 6px; }
.meta { color: #5b6875; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%%; }
th, td { border-bottom: 1px solid #dde2e8; padding: 3px 6px; text-align: right; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
.up { color: #1a7f44; font-weight: 600; } .down { color: #b42318; font-weight: 600; }
.report-map-svg { width: 100%%; height: auto; max-height: 150mm; border: 1px solid #dde2e8; }
.legend span { margin-right: 14px; } .legend i { display: inline-block; width: 10px;
  height: 10px; margin-right: 4px; border-radius: 50%%; vertical-align: -1px; }
.toolbar { margin: 8px 0; }
section { break-inside: avoid; }
@media print { .no-print { display: none; } body { max-width: none; } }
"""


def _fmt(kind: str, value, lang: str, signed: bool = False) -> str:
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


def _place(site: dict, lang: str, what: str) -> str:
    return site.get(f"{what}_{lang}") or site.get(f"{what}_zh") or "—"


def report_html(scenario, lang: str, name: str, paper: str) -> str:
    """Return the report page of ``scenario`` in ``lang`` (inside a request: scope, figures)."""
    runtime = current()
    district, model = runtime.district, runtime.coverage_model
    before = scenario_figures(scenario.baseline())
    after = scenario_figures(scenario)
    sites = site_gains(model, scenario)
    reached, _ = scenario_coverage(model, scenario).polygons()
    off = set(scenario.disabled)
    posts = district.post_records()
    townships = [district.grids.geometry.loc[g] for g in district.level_ids(2)]
    svg = report_svg(
        district.outline,
        townships,
        reached,
        [(p["lon"], p["lat"], p["post_id"] not in off) for p in posts],
        list(scenario.added),
        title=t("report-map", lang),
    )
    e = escape
    rows = []
    for r in report_rows(before, after):
        cls = {True: "up", False: "down"}.get(r["better"], "")
        rows.append(
            f"<tr><td>{e(t(ROW_LABELS[r['key']], lang))}</td>"
            f"<td>{e(_fmt(r['kind'], r['before'], lang))}</td>"
            f"<td>{e(_fmt(r['kind'], r['after'], lang))}</td>"
            f'<td class="{cls}">{e(_fmt(r["kind"], r["diff"], lang, signed=True))}</td></tr>'
        )
    if sites:
        site_rows = "".join(
            f"<tr><td>{s['rank']}</td><td class='text'>{e(_place(s, lang, 'township'))}</td>"
            f"<td class='text'>{e(_place(s, lang, 'village'))}</td>"
            f"<td>{s['lon']:.5f}</td><td>{s['lat']:.5f}</td><td>{s['adds']:,.0f}</td></tr>"
            for s in sites
        )
        sites_html = (
            f"<table id='report-sites-table'><thead><tr><th>#</th>"
            f"<th class='text'>{e(t('level-2', lang))}</th>"
            f"<th class='text'>{e(t('level-3', lang))}</th>"
            f"<th>{e(t('report-lon', lang))}</th><th>{e(t('report-lat', lang))}</th>"
            f"<th>{e(t('report-site-adds', lang))}</th></tr></thead>"
            f"<tbody>{site_rows}</tbody></table>"
        )
    else:
        sites_html = f"<p>{e(t('report-no-sites', lang))}</p>"
    disabled_names = [name_of(p, lang) for p in posts if p["post_id"] in off]
    params = t(
        "report-params",
        lang,
        minutes=scenario.minutes,
        speed=scenario.speed_scale,
        profile=t(f"profile-{scenario.profile}", lang),
        off=", ".join(disabled_names) or t("planner-export-none", lang),
    )
    generated = t(
        "report-generated",
        lang,
        date=local_today(runtime.clock).isoformat(),
        version=district.version,
        name=name or t("planner-export-default-name", lang),
    )
    legend = (
        f"<p class='legend'><span><i style='background:#7bc47f;border-radius:0'></i>"
        f"{e(t('report-legend-coverage', lang, minutes=scenario.minutes))}</span>"
        f"<span><i style='background:#1f4e9c'></i>{e(t('report-legend-posts', lang))}</span>"
        f"<span><i style='background:#12a150'></i>{e(t('report-legend-new', lang))}</span>"
        f"<span><i style='background:#9aa3ad'></i>{e(t('report-legend-off', lang))}</span></p>"
    )
    max_width = "277mm" if paper == "A3" else "190mm"
    title = f"{district.name(lang)} · {t('report-title', lang)}"
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<title>{e(title)}</title><style>{STYLE % {"paper": paper, "max": max_width}}</style></head>
<body><header id="report-header"><h1>{e(title)}</h1>
<p class="meta" id="report-generated">{e(generated)}</p>
<div class="toolbar no-print"><button type="button" id="report-print">{e(t("report-print", lang))}
</button></div></header>
<section id="report-map"><h2>{e(t("report-map", lang))}</h2>{svg}{legend}</section>
<section id="report-kpis"><h2>{e(t("report-kpis", lang))}</h2><table><thead><tr><th></th>
<th>{e(t("report-before", lang))}</th><th>{e(t("report-after", lang))}</th>
<th>{e(t("compare-diff", lang))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>
<section id="report-sites"><h2>{e(t("report-sites", lang))}</h2>{sites_html}</section>
<section id="report-method"><h2>{e(t("report-method", lang))}</h2>
<p>{e(t("report-method-text", lang))}</p><p id="report-params">{e(params)}</p></section>
<script src="/planner/report.js"></script>
</body></html>"""


#: The print button's script (a file of its own: the page allows no inline script).
PRINT_JS = (
    "document.addEventListener('DOMContentLoaded', function () {"
    " var b = document.getElementById('report-print');"
    " if (b) b.addEventListener('click', function () { window.print(); }); });"
)


def create_blueprint() -> Blueprint:
    """Build the blueprint of ``GET /planner/report`` and its print script."""
    bp = Blueprint("planner_report", __name__)

    @bp.get("/planner/report")
    def report() -> Response:
        """Serve the printable report of the scenario in the query string."""
        settings = current().settings
        lang = request.args.get("lang") or settings.lang
        paper = (request.args.get("paper") or "a4").upper()
        try:
            if lang not in LANGUAGES:
                raise ScenarioError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
            if paper not in ("A4", "A3"):
                raise ScenarioError(f"paper must be a4 or a3, got {paper.lower()!r}")
            scenario = parse_query(request.query_string.decode())
            body = report_html(scenario, lang, (request.args.get("name") or "")[:80], paper)
        except (ScenarioError, CoverageError, MCLPError) as error:
            message = escape(t("error", settings.lang, message=str(error)))
            return Response(f"<!doctype html><p>{message}</p>", status=400, mimetype="text/html")
        return Response(body, mimetype="text/html")

    @bp.get("/planner/report.js")
    def report_js() -> Response:
        """Serve the print button's script."""
        return Response(PRINT_JS, mimetype="text/javascript")

    return bp
