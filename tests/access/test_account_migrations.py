"""The account tables' migrations: today's schema upgrades in place with its rows, on both DBs."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gridmap.access.accounts import AccountStore
from gridmap.access.passwords import hash_password
from gridmap.coverage import migrate
from gridmap.errors import AccessError, SchemaError

PASSWORD = "a-long-password-1"
STAMP = "2026-01-05T08:00:00+00:00"


def legacy_tables(metadata: sa.MetaData, prefix: str) -> dict[str, sa.Table]:
    """Define the account tables exactly as the store made them before the lineage (no unit)."""
    users = sa.Table(
        f"{prefix}users", metadata,
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("grids", sa.Text, nullable=False, default=""),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, default=False),
        sa.Column("failures", sa.Integer, nullable=False, default=0),
        sa.Column("locked_until", sa.String(32)),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_sign_in", sa.String(32)),
    )  # fmt: skip
    tokens = sa.Table(
        f"{prefix}api_tokens", metadata,
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("rights", sa.String(64), nullable=False),
        sa.Column("grid", sa.String(64)),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_used", sa.String(32)),
        sa.Column("revoked_at", sa.String(32)),
    )  # fmt: skip
    kiosks = sa.Table(
        f"{prefix}kiosk_links", metadata,
        sa.Column("label", sa.String(64), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("grid", sa.String(64)),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_used", sa.String(32)),
        sa.Column("revoked_at", sa.String(32)),
    )  # fmt: skip
    return {"users": users, "tokens": tokens, "kiosks": kiosks}


def make_legacy(engine: sa.Engine, prefix: str) -> None:
    """Make today's account tables (before units) with a person, a token and a kiosk link."""
    metadata = sa.MetaData()
    tables = legacy_tables(metadata, prefix)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(tables["users"]), {
            "name": "li", "role": "township", "grids": "T1", "password_hash":
            hash_password(PASSWORD), "disabled": False, "failures": 2, "created_at": STAMP,
        })  # fmt: skip
        conn.execute(
            sa.insert(tables["tokens"]),
            {"name": "intake", "digest": "d" * 64, "rights": "intake", "created_at": STAMP},
        )
        conn.execute(
            sa.insert(tables["kiosks"]),
            {"label": "wall-1", "digest": "k" * 64, "created_at": STAMP},
        )


def columns(engine: sa.Engine, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(engine).get_columns(table)]


def test_todays_account_tables_upgrade_in_place_with_their_rows(db):
    engine, prefix = db
    make_legacy(engine, prefix)
    assert migrate.current(engine, prefix, lineage="accounts") is None
    assert "unit" not in columns(engine, f"{prefix}users")
    accounts = AccountStore(engine, table_prefix=prefix)
    assert (
        migrate.current(engine, prefix, lineage="accounts") == migrate.head("accounts") == "a0002"
    )
    assert "unit" in columns(engine, f"{prefix}users")
    # The rows are kept: the old account signs in, as before, with no unit.
    li = accounts.authenticate("li", PASSWORD)
    assert (li.role, li.scope.roots, li.unit) == ("township", ("T1",), None)
    assert accounts.user("li")["created_at"] == STAMP
    assert [t["name"] for t in accounts.list_tokens()] == ["intake"]
    assert [k["label"] for k in accounts.list_kiosks()] == ["wall-1"]
    # The new column works: a unit's staff member is stored with their unit.
    accounts.add_user("wang", "unit", [], PASSWORD, unit="区人民调解中心")
    assert accounts.principal("wang").unit == "区人民调解中心"
    AccountStore(engine, table_prefix=prefix)  # again: nothing to do
    assert accounts.user("li") is not None and accounts.count_users() == 2


def test_a0002_downgrades_and_upgrades_again(db):
    engine, prefix = db
    make_legacy(engine, prefix)
    AccountStore(engine, table_prefix=prefix)
    migrate.downgrade(engine, prefix, "a0001", lineage="accounts")
    assert "unit" not in columns(engine, f"{prefix}users")
    migrate.upgrade(engine, prefix, lineage="accounts")
    assert AccountStore(engine, table_prefix=prefix).user("li")["unit"] is None


def test_a_new_database_gets_the_same_schema_as_the_migrations(db, tmp_path):
    engine, prefix = db
    AccountStore(engine, table_prefix=prefix)  # fresh: made at once and stamped
    assert migrate.current(engine, prefix, lineage="accounts") == migrate.head("accounts")
    fresh = columns(engine, f"{prefix}users")
    migrated = sa.create_engine(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    make_legacy(migrated, "")
    AccountStore(migrated)
    assert sorted(columns(migrated, "users")) == sorted(fresh)
    migrated.dispose()


def test_account_tables_newer_than_the_code_are_refused(db):
    engine, prefix = db
    AccountStore(engine, table_prefix=prefix)
    with engine.begin() as conn:
        conn.execute(sa.text(f'UPDATE "{prefix}accounts_alembic_version" SET version_num = :v'),
                     {"v": "a0099"})  # fmt: skip
    with pytest.raises(SchemaError, match="'a0099', newer than this code .* 'a0002'"):
        AccountStore(engine, table_prefix=prefix)


@pytest.mark.parametrize(
    ("role", "grids", "unit", "units", "field", "message"),
    [
        ("unit", [], None, None, "unit", "needs the unit it works for"),
        ("unit", [], "  ", None, "unit", "needs the unit it works for"),
        ("unit", [], "区养猪场", ["区人民调解中心"], "unit",
         "unit must be one of the district's units .* got '区养猪场'; known: 区人民调解中心"),
        ("commander", [], "区人民调解中心", None, "unit", "only role 'unit' takes a unit"),
        ("unit", ["T1"], "区人民调解中心", None, "grids", "give no grid"),
        ("unit", [], "单" * 101, None, "unit", "unit longer than 100 characters"),
    ],
)  # fmt: skip
def test_unit_accounts_refused_naming_the_field(db, role, grids, unit, units, field, message):
    engine, prefix = db
    accounts = AccountStore(engine, table_prefix=prefix)
    with pytest.raises(AccessError, match=message) as info:
        accounts.add_user("wang", role, grids, PASSWORD, unit=unit, units=units)
    assert info.value.field == field
    assert accounts.user("wang") is None
