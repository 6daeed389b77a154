"""``python app.py user|token|wall-link ...``: manage people, API tokens and wall kiosk links.

Every change is written to the audit trail with the actor ``cli:<login name>`` (the operating
system account that ran the command). Secrets (a token, a kiosk key) are printed once and stored
only as hashes; passwords are read from standard input, never from the command line (where
``ps`` and the shell history would keep them).

Exit codes: 0 done, 1 refused (a bad value, an unknown name or grid; the message names the
field), 2 a usage error (argparse) or a bad setting.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from gridmap.access.accounts import AccountStore, kiosk_grids
from gridmap.access.audit import AuditLog
from gridmap.access.roles import ROLES, TOKEN_RIGHTS, check_role, check_unit
from gridmap.errors import AccessError, DataError
from gridmap.grids.district import District, load_district
from gridmap.incidents.engine import make_engine
from gridmap.settings import Settings

#: The commands of this module (``app.py`` hands them here).
COMMANDS = ("user", "token", "wall-link")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add the ``user``, ``token`` and ``wall-link`` commands to ``app.py``'s parser."""
    user = sub.add_parser("user", help="people: add, list, disable, enable, passwd")
    users = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = users.add_parser("add", help="add a person (password read from standard input)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument(
        "--grid", action="append", default=[], metavar="ID",
        help="a grid the person sees with its subtree (repeat; township and viewer need one)",
    )  # fmt: skip
    add.add_argument(
        "--unit", metavar="NAME",
        help="role unit: the unit the person works for (one of the district's units, "
        "in Chinese or English, as its categories name them)",
    )  # fmt: skip
    users.add_parser("list", help="list people, their role, grids and last sign-in")
    for action, text in (
        ("disable", "disable an account (it cannot sign in; its sessions stop)"),
        ("enable", "enable a disabled account (and lift a lockout)"),
        ("passwd", "set a new password (read from standard input)"),
    ):
        users.add_parser(action, help=text).add_argument("name")

    token = sub.add_parser("token", help="API tokens: add, list, revoke")
    tokens = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = tokens.add_parser("add", help="add a token (its secret is printed once)")
    add.add_argument("name")
    add.add_argument(
        "--rights", required=True, metavar=",".join(TOKEN_RIGHTS),
        help=f"comma-separated, some of {', '.join(TOKEN_RIGHTS)}",
    )  # fmt: skip
    add.add_argument("--grid", metavar="ID", help="limit the token to this grid's subtree")
    tokens.add_parser("list", help="list tokens (never their secrets)")
    tokens.add_parser("revoke", help="revoke a token at once").add_argument("name")

    wall = sub.add_parser("wall-link", help="read-only wall links: add (default), list, revoke")
    wall.add_argument(
        "--grid", metavar="ID[,ID...]",
        help="limit the wall to this grid's subtree (or several: a wall of several townships)",
    )  # fmt: skip
    wall.add_argument("--label", help="a name for the link (default: made from the grid)")
    wall.add_argument(
        "--base-url", help="the address walls open (default: http://GRIDMAP_HOST:GRIDMAP_PORT)"
    )
    what = wall.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="list the links (never their keys)")
    what.add_argument("--revoke", metavar="LABEL", help="revoke the link called LABEL")


def actor() -> str:
    """Return how the audit trail names whoever runs the command: ``cli:<login name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "cli:unknown"


def read_password(stream=None) -> str:
    """Return a password from ``stream`` (standard input): asked twice on a terminal.

    Raises
    ------
    AccessError
        The two entries differ, or nothing was given (``field`` is ``password``).
    """
    stream = sys.stdin if stream is None else stream
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise AccessError("the two passwords differ", field="password")
        password = first
    else:
        password = stream.readline().rstrip("\r\n")
    if not password:
        raise AccessError("no password given on standard input", field="password")
    return password


def check_grids(district: District, grids, field: str = "grid") -> list[str]:
    """Return ``grids`` when each is a grid of ``district``, else raise naming the unknown one."""
    for grid in grids:
        if grid not in district:
            raise AccessError(
                f"unknown grid id {grid!r} (not in {district.name('en')})", field=field
            )
    return list(grids)


def district_unit(district: District, name: str | None) -> tuple[str | None, list[str]]:
    """Return the stored (Chinese) name of the unit ``name`` and the district's unit names.

    ``name`` may be a unit's Chinese or English name (from the district's categories); an
    unknown one is returned as given, for :func:`gridmap.access.roles.check_unit` to refuse.
    """
    units = list(district.categories.all_units())
    known = [u.zh for u in units]
    wanted = (name or "").strip()
    for unit in units:
        if wanted in (unit.zh, unit.en):
            return unit.zh, known
    return wanted or None, known


def _when(stamp) -> str:
    return stamp or "never"


def _table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _user(args, accounts: AccountStore, audit: AuditLog, district: District) -> int:
    who = actor()
    if args.action == "list":
        users = accounts.list_users()
        rows = [
            [u["name"], u["role"], ",".join(u["grids"]) or "*", u.get("unit") or "-",
             "disabled" if u["disabled"] else "enabled", _when(u["last_sign_in"])]
            for u in users
        ]  # fmt: skip
        _table(rows, ["NAME", "ROLE", "GRIDS", "UNIT", "STATE", "LAST SIGN-IN"])
        print(f"{len(users)} user(s)")
        return 0
    if args.action == "add":
        grids = check_grids(district, args.grid, "grids")
        unit, units = district_unit(district, args.unit)
        # Checked before the password is read: a bad role, grid or unit says so at once.
        check_role(args.role, grids)
        check_unit(args.role, unit, units)
        accounts.add_user(args.name, args.role, grids, read_password(), unit=unit, units=units)
        detail = {"role": args.role, "grids": grids, **({"unit": unit} if unit else {})}
        audit.record(who, "user-add", args.name, detail=detail)
        where = f"unit: {unit}" if unit else f"grids: {','.join(grids) or 'all'}"
        print(f"added user {args.name!r} ({args.role}, {where})")
        return 0
    if args.action == "passwd":
        if accounts.user(args.name) is None:
            raise AccessError(f"no user called {args.name!r}", field="name")
        accounts.set_password(args.name, read_password())
        audit.record(who, "user-passwd", args.name)
        print(f"password of {args.name!r} changed")
        return 0
    change: Callable[[str], None] = getattr(accounts, args.action)  # disable / enable
    change(args.name)
    audit.record(who, f"user-{args.action}", args.name)
    print(f"{args.action}d user {args.name!r}")
    return 0


def _token(args, accounts: AccountStore, audit: AuditLog, district: District) -> int:
    who = actor()
    if args.action == "list":
        tokens = accounts.list_tokens()
        rows = [
            [t["name"], t["rights"], t["grid"] or "*", t["created_at"], _when(t["last_used"]),
             f"revoked {t['revoked_at']}" if t["revoked_at"] else "live"]
            for t in tokens
        ]  # fmt: skip
        _table(rows, ["NAME", "RIGHTS", "GRID", "CREATED", "LAST USED", "STATE"])
        print(f"{len(tokens)} token(s)")
        return 0
    if args.action == "add":
        check_grids(district, [args.grid] if args.grid else [])
        rights = args.rights.split(",")
        secret = accounts.add_token(args.name, rights, args.grid)
        audit.record(who, "token-add", args.name,
                     detail={"rights": sorted(set(rights)), "grid": args.grid})  # fmt: skip
        print(f"added token {args.name!r}; its secret (shown once, keep it safe):")
        print(secret)
        return 0
    accounts.revoke_token(args.name)
    audit.record(who, "token-revoke", args.name)
    print(f"revoked token {args.name!r}")
    return 0


def _wall(args, accounts: AccountStore, audit: AuditLog, district: District, settings) -> int:
    who = actor()
    if args.list:
        links = accounts.list_kiosks()
        rows = [
            [k["label"], k["grid"] or "*", k["created_at"], _when(k["last_used"]),
             f"revoked {k['revoked_at']}" if k["revoked_at"] else "live"]
            for k in links
        ]  # fmt: skip
        _table(rows, ["LABEL", "GRID", "CREATED", "LAST USED", "STATE"])
        print(f"{len(links)} wall link(s)")
        return 0
    if args.revoke:
        accounts.revoke_kiosk(args.revoke)
        audit.record(who, "kiosk-revoke", args.revoke)
        print(f"revoked wall link {args.revoke!r}")
        return 0
    grids = check_grids(district, kiosk_grids(args.grid))
    label = args.label or f"wall-{'-'.join(grids) or 'district'}"
    base = (args.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise AccessError(f"base URL must start with http:// or https://, got {base!r}",
                          field="base-url")  # fmt: skip
    key = accounts.add_kiosk(label, grids)
    audit.record(who, "kiosk-add", label, detail={"grid": ",".join(grids) or None})
    print(f"added wall link {label!r}; open this address on the wall (shown once):")
    print(f"{base}/wall/?kiosk={key}")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the account command ``args`` against the database and district of ``settings``."""
    try:
        district = load_district(settings.data_dir)
    except DataError as error:
        print(f"cannot read the district: {error}", file=sys.stderr)
        return 1
    engine = make_engine(settings.sqlalchemy_url)  # the server's database and tables
    accounts, audit = AccountStore(engine), AuditLog(engine)
    command = f"{args.command} {getattr(args, 'action', '') or ''}".strip()
    try:
        if args.command == "user":
            return _user(args, accounts, audit, district)
        if args.command == "token":
            return _token(args, accounts, audit, district)
        return _wall(args, accounts, audit, district, settings)
    except AccessError as error:
        field = f" ({error.field})" if error.field else ""
        print(f"{command} refused{field}: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
