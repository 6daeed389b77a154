"""Accounts in the app's database: people (hashed passwords, lockout), API tokens, wall kiosk links.

One class per kind of holder would repeat the same table plumbing; one store keeps the three tables
side by side. Secrets (a token, a kiosk key, a new admin's password) are returned once, at creation,
and stored only as hashes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa

from gridmap.access.passwords import (
    digest,
    hash_password,
    needs_rehash,
    new_secret,
    verify_password,
)
from gridmap.access.roles import Principal, Scope, check_rights, check_role, check_unit
from gridmap.clock import Clock, system_clock
from gridmap.coverage import migrate
from gridmap.errors import AccessError, AuthError, SchemaError
from gridmap.incidents.engine import reading

MAX_NAME = 64
#: Longest unit name (as the incident table's ``unit`` column).
MAX_UNIT = 100
#: The migration lineage of these tables (``migrations/accounts``).
LINEAGE = "accounts"
#: Failed sign-ins in a row that lock an account, and for how long.
MAX_FAILURES = 5
LOCK_MINUTES = 15
#: The account made on first start when there is none.
FIRST_ADMIN = "admin"


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def clean_name(name: str, what: str = "name") -> str:
    """Return ``name`` stripped; refuse empty, over-long or control-character names.

    Raises
    ------
    AccessError
        With ``field`` set to ``what``.
    """
    name = (name or "").strip()
    if not name:
        raise AccessError(f"{what} must not be empty", field=what)
    if len(name) > MAX_NAME:
        raise AccessError(f"{what} longer than {MAX_NAME} characters", field=what)
    if any(unicodedata.category(c)[0] in "CZ" and c != " " for c in name):
        raise AccessError(f"{what} must not contain control or separator characters", field=what)
    return name


class AccountStore:
    """People, tokens and kiosk links in tables ``<prefix>users``, ``api_tokens``, ``kiosk_links``.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The app's database (SQLite or PostgreSQL).
    table_prefix : str
        Prefix of the table names (tests use one per run on a shared PostgreSQL).
    clock : callable
        Returns the current aware UTC time (tests pass a fake clock).
    """

    def __init__(self, engine: sa.Engine, table_prefix: str = "", clock: Clock = system_clock):
        self.engine = engine
        self.clock = clock
        md = self.metadata = sa.MetaData()
        self.users = sa.Table(
            f"{table_prefix}users",
            md,
            sa.Column("name", sa.String(MAX_NAME), primary_key=True),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("grids", sa.Text, nullable=False, default=""),
            sa.Column("password_hash", sa.Text, nullable=False),
            sa.Column("disabled", sa.Boolean, nullable=False, default=False),
            sa.Column("failures", sa.Integer, nullable=False, default=0),
            sa.Column("locked_until", sa.String(32)),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("last_sign_in", sa.String(32)),
            # The unit a person of role ``unit`` works for (migration a0002).
            sa.Column("unit", sa.String(MAX_UNIT)),
        )
        self.tokens = sa.Table(
            f"{table_prefix}api_tokens",
            md,
            sa.Column("name", sa.String(MAX_NAME), primary_key=True),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column("rights", sa.String(64), nullable=False),
            sa.Column("grid", sa.String(64)),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("last_used", sa.String(32)),
            sa.Column("revoked_at", sa.String(32)),
        )
        self.kiosks = sa.Table(
            f"{table_prefix}kiosk_links",
            md,
            sa.Column("label", sa.String(MAX_NAME), primary_key=True),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column("grid", sa.String(64)),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("last_used", sa.String(32)),
            sa.Column("revoked_at", sa.String(32)),
        )
        self.prefix = table_prefix
        self.create()

    def create(self) -> None:
        """Bring the tables to the newest schema (Alembic lineage ``accounts``), rows kept.

        A new database gets the tables at once and is stamped; one made before the lineage
        (``metadata.create_all``) is adopted by the baseline and upgraded in place.

        Raises
        ------
        SchemaError
            The tables are at a revision this code does not know (newer code migrated them).
        """
        revision = migrate.current(self.engine, self.prefix, lineage=LINEAGE)
        if revision is not None and not migrate.known(revision, lineage=LINEAGE):
            raise SchemaError(
                f"the account tables{f' ({self.prefix}*)' if self.prefix else ''} are at "
                f"schema revision {revision!r}, newer than this code (which knows up to "
                f"{migrate.head(LINEAGE)!r}): run a newer version of the app, or restore "
                "a backup made for this one"
            )
        migrate.bring_to_head(self.engine, self.prefix, LINEAGE, self.metadata, self.users.name)

    def _now(self) -> str:
        return _stamp(self.clock())

    # -- people -----------------------------------------------------------------------------
    def add_user(
        self,
        name: str,
        role: str,
        grids: list[str] | tuple[str, ...],
        password: str,
        unit: str | None = None,
        units=None,
    ):
        """Create a person's account.

        Parameters
        ----------
        name, role, grids, password : str
            The account (``grids``: the subtrees a scoped role sees).
        unit : str, optional
            The unit a person of role ``unit`` works for (its Chinese name, as cases store it).
        units : iterable of str, optional
            The district's units: ``unit`` must be one of them (the command line and the demo
            pass them; None: not checked here).

        Raises
        ------
        AccessError
            A bad name, role, grid list, unit or password, or a name already taken.
        """
        name = clean_name(name)
        role, grids = check_role(role, grids)
        unit = check_unit(role, unit, units)
        if unit is not None and len(unit) > MAX_UNIT:
            raise AccessError(f"unit longer than {MAX_UNIT} characters", field="unit")
        row = {
            "name": name,
            "role": role,
            "unit": unit,
            "grids": ",".join(grids),
            "password_hash": hash_password(password),
            "disabled": False,
            "failures": 0,
            "created_at": self._now(),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(self.users).values(**row))
        except sa.exc.IntegrityError:
            raise AccessError(f"a user called {name!r} exists", field="name") from None

    def user(self, name: str) -> dict | None:
        """Return a person's account (without the password hash), or None."""
        with reading(self.engine) as conn:  # read on every request: one round trip
            row = conn.execute(sa.select(self.users).where(self.users.c.name == name)).first()
        if row is None:
            return None
        out = dict(row._mapping)
        out.pop("password_hash")
        out["grids"] = [g for g in out["grids"].split(",") if g]
        return out

    def list_users(self) -> list[dict]:
        """Return every account (without password hashes), by name."""
        with self.engine.connect() as conn:
            names = conn.execute(sa.select(self.users.c.name).order_by(self.users.c.name))
            names = [r[0] for r in names]
        return [self.user(n) for n in names]

    def count_users(self) -> int:
        """Return how many accounts exist."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(self.users)).scalar())

    def _update_user(self, name: str, **values) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(self.users).where(self.users.c.name == name).values(**values)
            )
        if done.rowcount == 0:
            raise AccessError(f"no user called {name!r}", field="name")

    def set_password(self, name: str, password: str) -> None:
        """Set a person's password (and lift a lockout)."""
        self._update_user(
            name, password_hash=hash_password(password), failures=0, locked_until=None
        )

    def disable(self, name: str) -> None:
        """Disable an account: it can no longer sign in, and its sessions stop working."""
        self._update_user(name, disabled=True)

    def enable(self, name: str) -> None:
        """Enable a disabled account again."""
        self._update_user(name, disabled=False, failures=0, locked_until=None)

    def principal(self, name: str) -> Principal | None:
        """Return the principal of an enabled account (None when unknown or disabled)."""
        user = self.user(name)
        if user is None or user["disabled"]:
            return None
        scope = Scope.of(user["grids"]) if user["grids"] else Scope.everything()
        return Principal(
            name=user["name"], kind="user", role=user["role"], scope=scope, unit=user["unit"]
        )

    def authenticate(self, name: str, password: str) -> Principal:
        """Check a sign-in; return the principal, or raise with the reason.

        ``MAX_FAILURES`` wrong passwords in a row lock the account for ``LOCK_MINUTES``.

        Raises
        ------
        AuthError
            Unknown name or wrong password (the same message for both), disabled or locked.
        """
        refused = AuthError("wrong name or password", field="password")
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(self.users).where(self.users.c.name == (name or "").strip())
            ).first()
        if row is None:
            # Spend the time a real check takes, so a name cannot be probed by timing.
            verify_password(_DUMMY_HASH, password)
            raise refused
        now = self.clock()
        if row.locked_until and row.locked_until > _stamp(now):
            raise AuthError(
                f"account locked after {MAX_FAILURES} failed sign-ins until {row.locked_until}",
                field="name",
            )
        if row.disabled:
            raise AuthError("account disabled", field="name")
        if not verify_password(row.password_hash, password):
            failures = row.failures + 1
            locked = (
                _stamp(now + timedelta(minutes=LOCK_MINUTES)) if failures >= MAX_FAILURES else None
            )
            self._update_user(row.name, failures=0 if locked else failures, locked_until=locked)
            raise refused
        values = {"failures": 0, "locked_until": None, "last_sign_in": _stamp(now)}
        if needs_rehash(row.password_hash):
            values["password_hash"] = hash_password(password)
        self._update_user(row.name, **values)
        return self.principal(row.name)

    def ensure_first_admin(self) -> str | None:
        """With no account at all, create ``admin`` with a random password and return it (once)."""
        if self.count_users():
            return None
        password = new_secret(12)
        try:
            self.add_user(FIRST_ADMIN, "admin", (), password)
        except AccessError:
            return None  # another worker made it first
        return password

    # -- machine tokens ---------------------------------------------------------------------
    def add_token(self, name: str, rights, grid: str | None = None) -> str:
        """Create a named API token; return its secret (shown once, stored hashed)."""
        name = clean_name(name)
        rights = check_rights(rights)
        secret = new_secret()
        row = {
            "name": name,
            "digest": digest(secret),
            "rights": ",".join(sorted(rights)),
            "grid": grid or None,
            "created_at": self._now(),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(self.tokens).values(**row))
        except sa.exc.IntegrityError:
            raise AccessError(f"a token called {name!r} exists", field="name") from None
        return secret

    def list_tokens(self) -> list[dict]:
        """Return every token (never its secret), by name."""
        t = self.tokens
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.name))
            return [{k: v for k, v in r._mapping.items() if k != "digest"} for r in rows]

    def revoke_token(self, name: str) -> None:
        """Revoke a token: it stops working at once."""
        self._revoke(self.tokens, self.tokens.c.name, name, "token")

    def token_principal(self, secret: str) -> Principal | None:
        """Return the principal of a live token (None when unknown or revoked); note its use."""
        row = self._live(self.tokens, secret)
        if row is None:
            return None
        scope = Scope.of([row.grid]) if row.grid else Scope.everything()
        return Principal(
            name=row.name, kind="token", rights=frozenset(row.rights.split(",")), scope=scope
        )

    # -- wall kiosk links -------------------------------------------------------------------
    def add_kiosk(self, label: str, grid: str | Iterable[str] | None = None) -> str:
        """Create a read-only wall link; return its key (shown once, stored hashed).

        Parameters
        ----------
        label : str
            The link's name.
        grid : str or iterable of str, optional
            The grid (or grids: a wall of several townships) whose subtrees the wall shows;
            None shows the whole district. Stored comma-separated, 64 characters at most.
        """
        label = clean_name(label, "label")
        grids = kiosk_grids(grid)
        key = new_secret()
        row = {
            "label": label,
            "digest": digest(key),
            "grid": ",".join(grids) or None,
            "created_at": self._now(),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(self.kiosks).values(**row))
        except sa.exc.IntegrityError:
            raise AccessError(f"a kiosk link called {label!r} exists", field="label") from None
        return key

    def list_kiosks(self) -> list[dict]:
        """Return every kiosk link (never its key), by label."""
        k = self.kiosks
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(k).order_by(k.c.label))
            return [{c: v for c, v in r._mapping.items() if c != "digest"} for r in rows]

    def revoke_kiosk(self, label: str) -> None:
        """Revoke a kiosk link: the wall showing it stops on its next refresh."""
        self._revoke(self.kiosks, self.kiosks.c.label, label, "kiosk link")

    def kiosk_principal(self, key: str) -> Principal | None:
        """Return the principal of a live kiosk link (None when unknown or revoked)."""
        row = self._live(self.kiosks, key)
        if row is None:
            return None
        scope = Scope.of(row.grid.split(",")) if row.grid else Scope.everything()
        return Principal(name=row.label, kind="kiosk", rights=frozenset({"wall"}), scope=scope)

    # -- shared -----------------------------------------------------------------------------
    def _revoke(self, table: sa.Table, key_column, name: str, what: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(table)
                .where(key_column == name, table.c.revoked_at.is_(None))
                .values(revoked_at=self._now())
            )
        if done.rowcount == 0:
            raise AccessError(f"no live {what} called {name!r}", field="name")

    def _live(self, table: sa.Table, secret: str):
        if not secret:
            return None
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(table).where(
                    table.c.digest == digest(secret), table.c.revoked_at.is_(None)
                )
            ).first()
            # A wall refreshes every few seconds: note the use at most once a minute, not a
            # database write on every request.
            now = self.clock()
            if row is not None and (
                not row.last_used or row.last_used < _stamp(now - timedelta(minutes=1))
            ):
                conn.execute(
                    sa.update(table)
                    .where(table.c.digest == row.digest)
                    .values(last_used=_stamp(now))
                )
        return row


_DUMMY_HASH = hash_password("not-a-real-password")


#: Characters of a kiosk link's grid list (the column's width).
MAX_KIOSK_GRIDS = 64


def kiosk_grids(grid: str | Iterable[str] | None) -> list[str]:
    """Return a kiosk link's grids: ``"A"``, ``"A,B"`` or ``["A", "B"]``; [] for the district.

    Raises
    ------
    AccessError
        A grid id with a comma or space, or more than :data:`MAX_KIOSK_GRIDS` characters in
        all (``field`` is ``grid``).
    """
    if grid is None:
        return []
    parts = grid.split(",") if isinstance(grid, str) else list(grid)
    out: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            raise AccessError(f"a grid id must be a text, got {part!r}", field="grid")
        part = part.strip()
        if part and part not in out:
            out.append(part)
    if any(c in g for g in out for c in " ,\t"):
        raise AccessError("a grid id may not hold spaces or commas", field="grid")
    if len(",".join(out)) > MAX_KIOSK_GRIDS:
        raise AccessError(
            f"too many grids for one wall link: {len(out)} ids, at most "
            f"{MAX_KIOSK_GRIDS} characters together",
            field="grid",
        )
    return out
