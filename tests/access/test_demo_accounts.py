"""The demo's accounts: one per role, the unit account bound to a unit of the district."""

from __future__ import annotations

from gridmap.access.accounts import AccountStore
from gridmap.access.demo_accounts import demo_accounts, demo_unit, ensure_demo_accounts
from gridmap.incidents.categories import DEFAULTS, district_categories

COUNTY = {"level_names": {"1": {"zh": "县", "en": "County"}}}


def test_the_unit_account_works_for_the_districts_urban_management(tmp_path):
    assert demo_unit(DEFAULTS) == "区城市管理局"
    assert demo_unit(district_categories(tmp_path, COUNTY)) == "县城市管理局"  # a county's word
    assert demo_unit(list(DEFAULTS)[:1]) == "村（社区）人民调解委员会"  # no sanitation: the first
    assert demo_unit(()) is None
    roles = [role for _, role, *_ in demo_accounts(["T1", "T2"], DEFAULTS)]
    assert roles == ["commander", "township", "planner", "viewer", "admin", "unit"]
    assert "unit" not in [role for _, role, *_ in demo_accounts(["T1"], ())]  # no unit to bind


def test_ensure_makes_the_unit_account_once_with_its_names(db, clock):
    engine, prefix = db
    accounts = AccountStore(engine, table_prefix=prefix, clock=clock)
    listed = ensure_demo_accounts(accounts, ["T1", "T2"], DEFAULTS)
    unit = [row for row in listed if row[1] == "unit"]
    assert unit == [("demo-unit", "unit", "demo-unit-2026",
                     {"zh": "区城市管理局", "en": "District Urban Management Bureau"})]  # fmt: skip
    assert accounts.principal("demo-unit").unit == "区城市管理局"
    assert ensure_demo_accounts(accounts, ["T1", "T2"], DEFAULTS) == listed  # again: the same
    assert accounts.count_users() == 6
