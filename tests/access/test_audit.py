from datetime import datetime

import pytest

from gridmap.access.audit import MAX_TEXT, AuditLog
from gridmap.errors import AccessError


@pytest.fixture
def audit(db, clock):
    engine, prefix = db
    return AuditLog(engine, table_prefix=prefix, clock=clock)


def test_record_and_query_newest_first(audit, clock):
    audit.record("user:li", "sign-in", address="127.0.0.1")
    clock.advance(minutes=5)
    audit.record("user:li", "incident-status", "INC-1", detail={"to": "closed"})
    audit.record("anonymous", "sign-in-failed", "li", address="10.0.0.9")
    rows = audit.query()
    assert [r["action"] for r in rows] == ["sign-in-failed", "incident-status", "sign-in"]
    assert rows[1]["detail"] == '{"to": "closed"}'
    assert [r["action"] for r in audit.query(actor="user:li")] == ["incident-status", "sign-in"]
    assert len(audit.query(action="sign-in")) == 1
    since = datetime.fromisoformat("2026-06-15T02:01:00+00:00")
    assert len(audit.query(since=since)) == 2
    assert len(audit.query(until=since)) == 1


def test_append_only_has_no_delete():
    assert not [n for n in dir(AuditLog) if "delete" in n or "purge" in n or "clear" in n]


def test_long_values_are_cut(audit):
    audit.record("user:x", "scenario-save", "n" * 5000)
    assert len(audit.query()[0]["target"]) == MAX_TEXT


def test_query_errors(audit):
    with pytest.raises(AccessError, match="limit must be") as err:
        audit.query(limit=0)
    assert err.value.field == "limit"
    with pytest.raises(AccessError, match="time zone"):
        audit.query(since=datetime(2026, 1, 1))


def test_csv_export_neutralises_formulas(audit):
    audit.record("user:x", "incident-write", '=HYPERLINK("http://evil")')
    text = audit.csv(audit.query())
    assert text.startswith("\ufeffid,at,actor")
    assert "'=HYPERLINK" in text
