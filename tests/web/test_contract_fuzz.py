"""Contract fuzz: schemathesis against /api/v1/openapi.json on a live server, SQLite and PostgreSQL.

Every documented operation gets generated requests (valid ones, then invalid ones) sent over HTTP
to the app served in a thread, with a machine token made as ``python app.py token add`` makes it.
Each answer must be no 5xx, a documented status, of a documented content type, with the
documented headers and matching the documented schema. Bounded: a few examples per operation
and mode, no shrinking, and a soft budget past which the remaining examples send nothing.
PostgreSQL runs in a schema of its own (dropped after); skipped, with the reason, when absent.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.browser_support import serve
from tests.incident_fixtures import pg_reachable, pg_schema_url
from web.openapi import DOCUMENT_URL

POSITIVE = schemathesis.GenerationMode.POSITIVE
NEGATIVE = schemathesis.GenerationMode.NEGATIVE
#: Generated requests per operation and pass (GRIDMAP_FUZZ_EXAMPLES=200 for a long hunt).
EXAMPLES = int(os.environ.get("GRIDMAP_FUZZ_EXAMPLES", "12"))
#: Seconds after which the remaining examples of the run send nothing (the suite's minutes).
BUDGET_S = float(os.environ.get("GRIDMAP_FUZZ_SECONDS", "60"))
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: A batch keeps its good records: a body with one bad record among good ones answers 207.
BATCH_PARTIAL = {("POST", "/api/v1/incidents")}
#: Values that exist in the tiny district and the seeded store: a third pass of each operation
#: with parameters of these names fixes them (the rest generated), to reach past the 404s.
KNOWN_PATH = {"grid_id": "T1", "incident_id": "INC-1"}
KNOWN_QUERY = {"disabled": "P1", "movable": "P2", "grid": "T1", "k": 2}
#: The tiny district's box: every other generated record is moved inside it to be stored.
INSIDE = ((114.801, 114.879), (33.701, 33.779))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Yield the app's database: a SQLite file, or a fresh PostgreSQL schema (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fuzz.sqlite'}"
        return
    if reason := pg_reachable():
        pytest.skip(reason)
    with pg_schema_url() as url:
        yield url


@pytest.fixture
def live(make_tiny_app, database_url):
    """Yield (base URL, bearer headers) of the tiny app served over HTTP, with incidents."""
    app = make_tiny_app(database_url=database_url)
    runtime = app.server.extensions["gridmap"]
    assert runtime.engine.dialect.name == database_url.split(":")[0].split("+")[0]
    secret = runtime.accounts.add_token("fuzz", ["intake", "read", "dispatch"])
    headers = {"Authorization": f"Bearer {secret}"}
    with serve(app.server) as base:
        seeded = requests.post(
            f"{base}/api/v1/incidents",
            json=[
                {
                    "id": "INC-1",
                    "category": "fire",
                    "reported_at": "2025-03-01T08:00:00+08:00",
                    "lon": 114.81,
                    "lat": 33.71,
                    "description": "seed",
                },
                {
                    "id": "INC-2",
                    "category": "neighbourhood",
                    "status": "resolved",
                    "reported_at": "2025-03-02T08:00:00Z",
                    "resolved_at": "2025-03-02T09:00:00Z",
                    "lon": 114.86,
                    "lat": 33.77,
                },
            ],  # fmt: skip
            headers=headers,
            timeout=30,
        )
        assert seeded.status_code == 201, seeded.text
        yield base, headers
    runtime.incident_store.dispose()


def fuzz(base: str, headers: dict[str, str]) -> list[str]:
    """Run every operation of the served document; return one line per failing operation."""
    document = requests.get(base + DOCUMENT_URL, headers=headers, timeout=30)
    assert document.status_code == 200, document.text[:300]
    schema = schemathesis.openapi.from_dict(document.json())
    end = time.monotonic() + BUDGET_S
    failures: list[str] = []
    sent = [0]
    seen: dict[str, Counter] = {}
    for found in schema.get_all_operations():
        operation = found.ok()
        label = (operation.method.upper(), operation.path)
        names = {p.name for p in operation.iter_parameters()}
        path = {k: v for k, v in KNOWN_PATH.items() if k in names}
        query = {k: v for k, v in KNOWN_QUERY.items() if k in names}
        passes = [("positive", POSITIVE, {}), ("negative", NEGATIVE, {})]
        if path or query:
            passes.append(("known", POSITIVE, {"path_parameters": path, "query": query}))
        for name, mode, fixed in passes:
            checks = list(CONFORMANCE)
            if mode is NEGATIVE and label not in BATCH_PARTIAL:
                checks.append(negative_data_rejection)
            strategy = operation.as_strategy(generation_mode=mode, **fixed)
            try:
                examples(name, strategy, checks, base, headers, end, sent, seen)
            except Unsatisfiable:
                continue  # nothing to make invalid (health has no parameter)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported per operation
                failures.append(f"{label[0]} {label[1]} ({name}): {exc}"[:3000])
    for key, statuses in seen.items():
        print(key, dict(sorted(statuses.items())))
    assert failures or sent[0] > 20, "the fuzz sent almost nothing: is the document empty?"
    return failures


def examples(name, strategy, checks, base, headers, end, sent, seen) -> None:
    """Send the generated requests of one pass of one operation; raise on the first failure."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case) -> None:
        if time.monotonic() > end:
            return
        sent[0] += 1
        if name == "positive" and case.method == "POST" and sent[0] % 2:
            case.body = inside(case.body)
        response = case.call_and_validate(base_url=base, headers=headers, checks=checks, timeout=60)
        key = f"{case.method} {case.path} {name}"
        seen.setdefault(key, Counter())[response.status_code] += 1

    run()


def inside(body):
    """Return ``body`` with each record's position moved inside the tiny district."""
    records = body if isinstance(body, list) else body.get("incidents", [body])
    (west, east), (south, north) = INSIDE
    for number, record in enumerate(records):
        record["lon"] = west + (east - west) * ((number * 0.37) % 1)
        record["lat"] = south + (north - south) * ((number * 0.61) % 1)
    return body


def test_every_answer_matches_the_document(live):
    base, headers = live
    failures = fuzz(base, headers)
    assert not failures, "\n\n".join(failures)
