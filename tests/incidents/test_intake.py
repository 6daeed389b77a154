"""Validation of incoming incident records: times, bodies, every field rule and grid assignment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gridmap.access.roles import Scope
from gridmap.errors import IntakeError
from gridmap.incidents.categories import BY_ID
from gridmap.incidents.intake import (
    FUTURE_TOLERANCE,
    Rejection,
    parse_time,
    records_of,
    validate_records,
)
from tests.fake_clock import FakeClock
from tests.incident_fixtures import NOW, record, tiny_assigner


@pytest.fixture(scope="module")
def assigner():
    return tiny_assigner()


def problems(raw, assigner, **kwargs) -> list[tuple[str, str]]:
    """Return ``(field, message)`` of every rejection of one record."""
    result = validate_records([raw], assigner, now=NOW, **kwargs)
    return [(r.field, r.message) for r in result.rejected]


# -- parse_time -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01T08:30:00+08:00", datetime(2025, 3, 1, 0, 30, tzinfo=UTC)),
        ("2025-03-01T00:30:00Z", datetime(2025, 3, 1, 0, 30, tzinfo=UTC)),
        ("2025-03-01 00:30", datetime(2025, 3, 1, 0, 30, tzinfo=UTC)),  # no offset: UTC
        (" 2025-03-01T00:30:00 ", datetime(2025, 3, 1, 0, 30, tzinfo=UTC)),
    ],
)
def test_parse_time_gives_aware_utc(text, expected):
    parsed = parse_time(text)
    assert parsed == expected and parsed.tzinfo == UTC


def test_parse_time_takes_datetimes():
    cst = timezone(timedelta(hours=8))
    assert parse_time(datetime(2025, 3, 1, 8, tzinfo=cst)) == datetime(2025, 3, 1, tzinfo=UTC)
    assert parse_time(datetime(2025, 3, 1, 8)) == datetime(2025, 3, 1, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "'yesterday' is not an ISO-8601 time"),
        ("2025-03-01", "is a date without a time of day"),
        ("", "must be an ISO-8601 time string, got a string ''"),
        (12, "must be an ISO-8601 time string, got the number 12"),
        (None, "got null"),
    ],
)
def test_parse_time_refuses(value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_time(value)


# -- records_of -----------------------------------------------------------------------------
def test_records_of_the_three_shapes():
    one = {"id": "a"}
    assert records_of(one) == [one]
    assert records_of([one, one]) == [one, one]
    assert records_of({"incidents": [one]}) == [one]
    assert records_of([]) == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"incidents": {"id": "a"}}, "'incidents' must be a list, got an object"),
        ("text", "expected an incident object, a list of them .* got a string 'text'"),
        (3, "got the number 3"),
        (None, "got null"),
    ],
)
def test_records_of_refuses_other_bodies(payload, message):
    with pytest.raises(IntakeError, match=message) as caught:
        records_of(payload)
    assert caught.value.field is None  # the body as a whole is wrong


# -- validate_records -----------------------------------------------------------------------
def test_a_valid_record_is_cleaned_and_assigned(assigner):
    result = validate_records([record("a")], assigner, now=NOW)
    assert result.rejected == [] and result.indexes == [0]
    (clean,) = result.records
    assert clean["status"] == "reported"  # the default
    assert clean["reported_at"] == datetime(2025, 3, 1, 0, 30, tzinfo=UTC)
    assert clean["unit"] == BY_ID["neighbourhood"].unit_zh  # the category's by default
    assert [clean[f"g{k}"] for k in range(1, 6)] == [
        "D", "D-1", "D-1-1", "D-1-1-1", "D-1-1-1-1",
    ]  # fmt: skip


def test_given_unit_and_empty_text_fields(assigner):
    (clean,) = validate_records([record("a", unit="街道", reporter="")], assigner, now=NOW).records
    assert clean["unit"] == "街道" and clean["reporter"] is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"catgory": "fire"}, "catgory", "unknown field; known: id, category"),
        ({"category": None}, "category", "is required"),
        ({"lon": ""}, "lon", "is required"),
        ({"id": "-bad"}, "id", "must be 1-64 characters"),
        ({"id": "x" * 65}, "id", "must be 1-64 characters"),
        ({"id": 7}, "id", "must be a string, got the number 7"),
        ({"category": "ufo"}, "category", "unknown category 'ufo'; known: "),
        ({"category": 3}, "category", "must be a string, got the number 3"),
        ({"status": "lost"}, "status", "unknown status 'lost'; known: reported"),
        ({"status": True}, "status", "must be a string, got a boolean True"),
        ({"lon": "114.8"}, "lon", "must be a number, got a string '114.8'"),
        ({"lat": True}, "lat", "must be a number, got a boolean True"),
        ({"lon": 181.0}, "lon", "must be a finite number between -180 and 180, got 181.0"),
        ({"lat": float("nan")}, "lat", "must be a finite number between -90 and 90"),
        ({"reported_at": "2025-03-01"}, "reported_at", "is a date without a time of day"),
        ({"description": "x" * 2001}, "description", "is 2001 characters long; at most 2000"),
        ({"reporter": 5}, "reporter", "must be a string, got the number 5"),
    ],
)
def test_each_rule_names_its_field(assigner, fields, field, message):
    found = problems(record("a", **fields), assigner)
    assert any(f == field and message in m for f, m in found), found


def test_times_not_in_the_future_beyond_the_tolerance(assigner):
    soon = (NOW + FUTURE_TOLERANCE).isoformat()
    later = (NOW + FUTURE_TOLERANCE + timedelta(seconds=1)).isoformat()
    assert problems(record("a", reported_at=soon), assigner) == []
    assert problems(record("a", reported_at=later), assigner) == [
        ("reported_at", f"{(NOW + FUTURE_TOLERANCE + timedelta(seconds=1)).isoformat()} "
                        "is in the future"),
    ]  # fmt: skip


def test_the_clock_gives_the_present_when_now_is_not_given(assigner):
    early = FakeClock("2025-02-01T00:00:00+00:00")
    result = validate_records([record("a")], assigner, clock=early)
    assert [(r.field, r.message.endswith("is in the future")) for r in result.rejected] == [
        ("reported_at", True)
    ]
    assert validate_records([record("a")], assigner, clock=FakeClock()).rejected == []


def test_stage_times_follow_the_status(assigner):
    found = problems(record("a", dispatched_at="2025-03-01T09:00:00+08:00"), assigner)
    assert found == [("dispatched_at", "not allowed while status is 'reported'")]
    found = problems(record("a", status="resolved"), assigner)
    assert found == [("resolved_at", "is required when status is 'resolved'")]
    closed = record(
        "a", status="closed", dispatched_at="2025-03-01T09:00:00+08:00",
        resolved_at="2025-03-01T10:00:00+08:00", closed_at="2025-03-02T10:00:00+08:00",
    )  # fmt: skip
    assert problems(closed, assigner) == []


def test_stage_times_in_order(assigner):
    raw = record(
        "a", status="resolved", resolved_at="2025-03-01T07:00:00+08:00",
    )  # fmt: skip
    ((field, message),) = problems(raw, assigner)
    assert field == "resolved_at"
    assert message == ("2025-02-28T23:00:00+00:00 is before reported_at 2025-03-01T00:30:00+00:00")


def test_outside_the_district(assigner):
    assert problems(record("a", lon=120.0, lat=30.0), assigner) == [
        ("lon/lat", "(120.0, 30.0) is outside the district")
    ]


def test_not_an_object():
    result = validate_records(["text", 3], tiny_assigner(), now=NOW, first_index=10)
    assert result.rejected == [
        Rejection(10, None, "record", "must be an object, got a string 'text'"),
        Rejection(11, None, "record", "must be an object, got the number 3"),
    ]
    assert result.records == [] and result.rejected_indexes == [10, 11]


def test_a_batch_keeps_the_good_ones_in_order(assigner):
    batch = [record("a"), record("b", category="ufo"), record("c", lon=120.0), record("d")]
    result = validate_records(batch, assigner, now=NOW, first_index=100)
    assert [r["id"] for r in result.records] == ["a", "d"]
    assert result.indexes == [100, 103]
    assert result.rejected_indexes == [101, 102]
    assert [(r.index, r.id, r.field) for r in result.rejected] == [
        (101, "b", "category"),
        (102, "c", "lon/lat"),
    ]
    assert result.rejected[0].as_dict() == {
        "index": 101, "id": "b", "field": "category", "message": result.rejected[0].message,
    }  # fmt: skip


# -- a sender limited to some grids ---------------------------------------------------------
@pytest.mark.parametrize(
    ("roots", "kept", "message"),
    [
        (("D-1",), ["west"], "(114.95, 33.77) is outside the token's grid D-1"),
        (("D-1-1", "D-2-2"), ["west", "east"], None),
        (("D-2-2-2-2",), ["east"], "(114.81, 33.705) is outside the token's grid D-2-2-2-2"),
        ((), [], "(114.81, 33.705) is outside the token's grid (none)"),
    ],
)
def test_records_outside_the_senders_grids_are_refused(assigner, roots, kept, message):
    batch = [record("west"), record("east", lon=114.95, lat=33.77)]
    result = validate_records(batch, assigner, now=NOW, scope=Scope.of(roots))
    assert [r["id"] for r in result.records] == kept
    refused = [(r.field, r.message) for r in result.rejected]
    assert all(field == "lon/lat" for field, _ in refused)
    assert len(refused) == 2 - len(kept)
    if message:
        assert message in [m for _, m in refused]


def test_the_whole_district_scope_refuses_nothing(assigner):
    batch = [record("west"), record("east", lon=114.95, lat=33.77)]
    for scope in (None, Scope.everything()):
        assert len(validate_records(batch, assigner, now=NOW, scope=scope).records) == 2
