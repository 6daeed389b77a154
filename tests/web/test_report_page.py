"""The printable report through the Flask test client: its sections, escaping, errors, access."""

from __future__ import annotations

import re

import pytest

from gridmap.coverage.scenario import Scenario
from tests.auth_support import signed_in

ROAD_JUNCTION = (114.84, 33.74)


@pytest.fixture(scope="module")
def app(make_tiny_app):
    return make_tiny_app()


@pytest.fixture()
def client(app):
    return signed_in(app)


def test_the_report_has_every_section(app, client):
    query = Scenario(minutes=6, added=(ROAD_JUNCTION,), disabled=("P2",)).to_query()
    res = client.get(f"/planner/report{query}&lang=en&name=North+plan")
    assert res.status_code == 200 and res.mimetype == "text/html"
    html = res.get_data(as_text=True)
    for section in ("report-header", "report-map", "report-kpis", "report-sites", "report-method"):
        assert f'id="{section}"' in html
    assert "<svg" in html and "@page { size: A4" in html
    version = app.server.extensions["gridmap"].district.version
    assert f"data version {version}" in html and "scenario: North plan" in html
    assert re.search(r"Generated on \d{4}-\d{2}-\d{2}", html)
    # The new post with its township and village and the people it adds.
    sites = html[html.index("report-sites-table") :]
    assert "Dong Town" in sites and "Lizhuang Village" in sites and "114.84000" in sites
    assert "<th>Longitude</th><th>Latitude</th>" in sites and "<th>lon</th>" not in sites
    assert "-0.0" not in html  # a tiny difference reads 0.0, never "-0.0"
    assert "Limit 6 min; speed ×1; time of day: Off-peak; out of service: Post 2" in html
    assert "Mean response time" in html and "Before (today)" in html
    assert '<script src="/planner/report.js"></script>' in html
    assert "window.print()" in client.get("/planner/report.js").get_data(as_text=True)


def test_the_report_in_chinese_on_a3_without_new_posts(client):
    html = client.get("/planner/report?minutes=5&lang=zh&paper=a3").get_data(as_text=True)
    assert (
        "@page { size: A3" in html
        and "本方案未新增警务室。" in html
        and "警务室覆盖方案报告" in html
    )
    query = Scenario(added=(ROAD_JUNCTION,)).to_query()
    html = client.get(f"/planner/report{query}&lang=zh").get_data(as_text=True)
    assert "<th>经度</th><th>纬度</th>" in html


def test_the_scenario_name_is_text_never_markup(client):
    html = client.get("/planner/report?minutes=5&name=<script>x</script>").get_data(as_text=True)
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [("minutes=99", "minutes must be 1-15"), ("profile=dawn", "profile must be one of"),
     ("lang=fr", "lang must be one of"), ("paper=letter", "paper must be a4 or a3"),
     ("add=120,30", "outside the district")],
)  # fmt: skip
def test_a_bad_report_request_is_400_naming_it(client, query, message):
    res = client.get(f"/planner/report?{query}")
    assert res.status_code == 400 and message in res.get_data(as_text=True)


def test_the_report_needs_the_plan_right(app):
    assert app.server.test_client().get("/planner/report").status_code in (302, 401)
    viewer = signed_in(app, "demo-viewer")
    assert viewer.get("/planner/report?minutes=5").status_code == 403
