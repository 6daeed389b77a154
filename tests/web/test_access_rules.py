import pytest

from web.access_rules import PUBLIC, is_api, is_page, required_action


@pytest.mark.parametrize(
    ("method", "path", "action"),
    [
        ("GET", "/login", PUBLIC),
        ("POST", "/login", PUBLIC),
        ("GET", "/api/v1/health", PUBLIC),
        ("GET", "/_dash-component-suites/dash/dcc/dash_core_components.js", PUBLIC),
        ("GET", "/wall/assets/wall.css", PUBLIC),
        ("GET", "/", "view-map"),
        ("HEAD", "/", "view-map"),
        ("GET", "/_dash-layout", "view-map"),
        ("POST", "/_dash-update-component", "view-map"),
        ("GET", "/planner/", "plan"),
        ("POST", "/planner/_dash-update-component", "plan"),
        ("GET", "/wall/", "view-wall"),
        ("POST", "/wall/_dash-update-component", "view-wall"),
        ("GET", "/geo/abc/level-5.geojson", "view-geometry"),
        ("GET", "/geo/abc/coverage-gaps.geojson", "view-geometry"),
        ("GET", "/api/v1/grids/T1", "view-map"),
        ("GET", "/api/v1/coverage", "coverage"),
        ("GET", "/api/v1/coverage/suggest", "coverage"),
        ("GET", "/api/v1/incidents", "read-incidents"),
        ("GET", "/api/v1/incidents/INC-1", "read-incidents"),
        ("POST", "/api/v1/incidents", "write-incidents"),
        ("PATCH", "/api/v1/incidents/INC-1", "legacy-status"),
        ("GET", "/admin/audit", "admin"),
        ("GET", "/api/v1/openapi.json", "api-docs"),
        ("GET", "/api/v1/docs", "api-docs"),
    ],
)
def test_rules(method, path, action):
    assert required_action(method, path) == action


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/unknown"),
        ("DELETE", "/api/v1/incidents/INC-1"),
        ("POST", "/api/v1/grids/T1"),
        ("GET", "/api/v1/healthz"),
        ("GET", "/secret.txt"),
        ("PUT", "/_dash-update-component"),
        ("GET", "/planner/anything"),
        ("GET", "/geo/abc/../x.geojson"),
    ],
)
def test_no_rule_means_refused(method, path):
    assert required_action(method, path) is None


def test_api_and_page_paths():
    assert is_api("/api/v1/incidents") and is_api("/_dash-update-component")
    assert is_api("/wall/_dash-update-component") and is_api("/geo/v/level-1.geojson")
    assert not is_api("/") and is_page("/") and is_page("/planner/")
    assert not is_page("/api/v1/health")
    # The API's reference page is a page (an anonymous visit signs in first), its document not.
    assert is_page("/api/v1/docs") and not is_api("/api/v1/docs")
    assert is_api("/api/v1/openapi.json") and not is_page("/api/v1/openapi.json")
