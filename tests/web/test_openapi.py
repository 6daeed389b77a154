"""The OpenAPI document and its reference page: complete, true to the code, readable by whom."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint, Flask, jsonify

from gridmap.incidents import intake
from tests.auth_support import signed_in
from web import api_models as models
from web import incidents_api
from web.api_docs import reference_html
from web.openapi import DOCUMENT_URL, REFERENCE_URL, documented, openapi_document

#: Routes of the JSON API that are not operations of the document (they are the document).
NOT_OPERATIONS = {DOCUMENT_URL, REFERENCE_URL}


@pytest.fixture(scope="module")
def app(make_tiny_app):
    return make_tiny_app()


@pytest.fixture(scope="module")
def document(app):
    return openapi_document(app.server)


@pytest.fixture(scope="module")
def token(app):
    return app.server.extensions["gridmap"].accounts.add_token("docs-intake", ["intake"])


def test_the_document_is_openapi_3_1_with_the_token_and_session_schemes(document):
    assert document["openapi"].startswith("3.1")
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "description": schemes[
        "bearer"]["description"]}  # fmt: skip
    assert schemes["session"]["in"] == "cookie"
    assert document["paths"]["/api/v1/health"]["get"]["security"] == []


def test_every_rest_route_of_the_app_is_documented(app, document):
    """A new /api/ or /geo/ route fails here until it has ``@documented`` (web/openapi.py)."""
    missing = []
    for rule in app.server.url_map.iter_rules():
        if not rule.rule.startswith(("/api/", "/geo/")) or rule.rule in NOT_OPERATIONS:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in document["paths"].get(path, {}):
                missing.append(f"{method} {rule.rule}")
    assert missing == []
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert len(operations) >= 10
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids)), "operation ids must be unique"


def test_guarded_operations_answer_401_403_and_503_with_retry_after(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            if op.get("security") == []:
                continue
            assert {"401", "403", "503"} <= set(op["responses"]), (method, path)
            assert op["responses"]["503"]["headers"]["Retry-After"]["required"] is True


def test_no_operation_claims_an_answer_its_route_never_gives(document):
    """spectree adds its own 422 everywhere; only the routes that answer 422 keep one."""
    grid = document["paths"]["/api/v1/grids/{grid_id}"]["get"]["responses"]
    assert "422" not in grid
    post = document["paths"]["/api/v1/incidents"]["post"]["responses"]["422"]
    assert post["content"]["application/json"]["schema"]["$ref"].endswith("/IntakeAnswer")


def test_the_incident_models_are_the_intakes_rules(document):
    schema = document["components"]["schemas"]["IncidentIn"]
    assert set(schema["properties"]) == set(intake.FIELDS)
    assert set(schema["required"]) == set(intake.REQUIRED)
    assert schema["additionalProperties"] is False
    assert models.MAX_RECORDS == incidents_api.MAX_RECORDS
    assert set(models.StatusChange.model_fields) == {"status", "at", "unit"}
    # One refusal per bad record and field, as the intake answers it.
    assert set(models.Rejection.model_fields) == {"index", "id", "field", "message"}


def test_a_partial_batch_answer_matches_its_model(app, token):
    client = app.server.test_client()
    good = {"id": "doc-a", "category": "fire", "reported_at": "2025-03-01T08:00:00Z",
            "lon": 114.81, "lat": 33.71}  # fmt: skip
    bad = {"id": "doc-b", "category": "nope", "reported_at": "tomorrow", "lon": 500, "lat": 33.7}
    res = client.post("/api/v1/incidents", json=[good, bad],
                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert res.status_code == 207
    answer = models.IntakeAnswer.model_validate(res.json)
    assert [(r.index, r.field) for r in answer.rejected] == [
        (1, "category"), (1, "lon"), (1, "reported_at")
    ]  # fmt: skip
    assert answer.stored_ids == ["doc-a"]


def test_every_documented_query_parameter_is_known_to_its_route(app, document):
    """Sent empty, each documented parameter is the parameter left out: never 'unknown'."""
    client = signed_in(app)
    version = app.server.extensions["gridmap"].district.version
    values = {"grid_id": "T1", "incident_id": "none", "version": version, "kind": "gaps",
              "name": "level-1"}  # fmt: skip
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method != "get":
                continue
            url = re.sub(r"{([^}]+)}", lambda m: values[m.group(1)], path)
            plain = client.get(url)
            for parameter in (p for p in op.get("parameters", []) if p["in"] == "query"):
                res = client.get(url, query_string={parameter["name"]: ""})
                assert res.status_code == plain.status_code, (path, parameter["name"], res.json)


def test_the_document_needs_a_person_or_a_token_of_any_right(app, token):
    anonymous = app.server.test_client()
    assert anonymous.get(DOCUMENT_URL).status_code == 401
    page = anonymous.get(REFERENCE_URL)
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=")
    bearer = {"Authorization": f"Bearer {token}"}
    assert anonymous.get(DOCUMENT_URL, headers=bearer).status_code == 200
    assert anonymous.get(REFERENCE_URL, headers=bearer).status_code == 200
    for name in ("demo-viewer", "demo-planner"):
        assert signed_in(app, name).get(DOCUMENT_URL).json["openapi"].startswith("3.1")
    accounts = app.server.extensions["gridmap"].accounts
    kiosk = accounts.add_kiosk("docs-hall")
    assert anonymous.get(f"{DOCUMENT_URL}?kiosk={kiosk}").status_code == 403


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reference_page_lists_every_operation_offline(app, document, lang):
    res = signed_in(app).get(REFERENCE_URL, query_string={"lang": lang})
    assert res.status_code == 200 and res.mimetype == "text/html"
    html = res.get_data(as_text=True)
    for path, item in document["paths"].items():
        assert f"{path}</h3>" in html
        assert all(f'id="{op["operationId"]}"' in html for op in item.values())
    assert ("参数" if lang == "zh" else "Parameters") in html
    assert "<script" not in html and not re.search(r"(src|href)=\"https?:", html)
    assert "Content-Security-Policy" in res.headers


def test_the_reference_page_shows_the_documents_text_as_text(document):
    hostile = {**document, "info": {**document["info"], "description": "<img src=x onerror=1>"}}
    html = reference_html(hostile, "en")
    assert "<img src=x" not in html and "&lt;img src=x onerror=1&gt;" in html


def test_documenting_a_route_changes_nothing_it_answers():
    """The pattern of web/openapi.py on a bare blueprint: documented, never validated."""
    bp = Blueprint("things", __name__)

    @bp.post("/api/v1/things/<thing_id>")
    @documented("things", json=models.StatusChange, answers={200: models.ErrorAnswer})
    def change_thing(thing_id: str):
        """Change a thing."""
        return jsonify(error=f"own answer for {thing_id}", status=418), 418

    server = Flask(__name__)
    server.register_blueprint(bp)
    res = server.test_client().post("/api/v1/things/t1", json={"status": 42})
    assert res.status_code == 418 and res.json["error"] == "own answer for t1"
    op = openapi_document(server)["paths"]["/api/v1/things/{thing_id}"]["post"]
    assert op["summary"] == "Change a thing." and op["tags"] == ["things"]
    assert set(op["responses"]) == {"200", "401", "403", "503"}
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/StatusChange"
    )
