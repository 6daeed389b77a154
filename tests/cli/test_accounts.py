"""``python app.py user|token|wall-link``: each command, its audit row and its error paths."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from app import main
from cli import accounts as cli
from gridmap.access.accounts import AccountStore
from gridmap.access.audit import AuditLog

PASSWORD = "a-long-password-1"


class Terminal(io.StringIO):
    """Standard input that says it is a terminal (the password is then asked twice)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def db(tiny_dir, tmp_path, monkeypatch):
    """Point the command line at the tiny district and a database of its own; return the stores."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("GRIDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("GRIDMAP_DATABASE_URL", url)
    monkeypatch.setenv("GRIDMAP_HOST", "10.0.0.5")
    monkeypatch.setenv("GRIDMAP_PORT", "8123")
    monkeypatch.setattr(cli.getpass, "getuser", lambda: "ops")
    engine = sa.create_engine(url)
    yield AccountStore(engine), AuditLog(engine)
    engine.dispose()


def run(capsys, monkeypatch, *argv: str, stdin: str | io.StringIO = ""):
    """Run ``main(argv)`` with ``stdin``; return (exit code, stdout, stderr)."""
    stream = stdin if isinstance(stdin, io.StringIO) else io.StringIO(stdin)
    monkeypatch.setattr("sys.stdin", stream)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_user_add_from_a_pipe_then_list_and_sign_in(db, capsys, monkeypatch):
    accounts, audit = db
    code, out, err = run(capsys, monkeypatch, "user", "add", "li", "--role", "township",
                         "--grid", "T1", "--grid", "T2", stdin=PASSWORD + "\n")  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "added user 'li' (township, grids: T1,T2)\n"
    assert accounts.authenticate("li", PASSWORD).scope.roots == ("T1", "T2")
    row = audit.query()[0]
    assert (row["actor"], row["action"], row["target"]) == ("cli:ops", "user-add", "li")
    code, out, _ = run(capsys, monkeypatch, "user", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == [
        "NAME",
        "ROLE",
        "GRIDS",
        "UNIT",
        "STATE",
        "LAST",
        "SIGN-IN",
    ]
    assert lines[1].split()[:5] == ["li", "township", "T1,T2", "-", "enabled"]
    assert lines[-1] == "1 user(s)"


def test_user_add_on_a_terminal_asks_twice(db, capsys, monkeypatch):
    accounts, _ = db
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    code, _, err = run(capsys, monkeypatch, "user", "add", "chief", "--role", "commander",
                       stdin=Terminal())  # fmt: skip
    assert (code, err) == (0, "")
    assert accounts.authenticate("chief", PASSWORD).role == "commander"


def test_user_add_terminal_passwords_differ(db, capsys, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    code, out, err = run(capsys, monkeypatch, "user", "add", "chief", "--role", "commander",
                         stdin=Terminal())  # fmt: skip
    assert code == 1 and out == ""
    assert err == "user add refused (password): the two passwords differ\n"
    assert db[0].user("chief") is None


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["--role", "township"], PASSWORD,
         "user add refused (grids): role 'township' needs at least one grid (--grid ID)"),
        (["--role", "commander", "--grid", "T1"], PASSWORD,
         "user add refused (grids): role 'commander' sees the whole district: give no grid"),
        (["--role", "viewer", "--grid", "T9"], PASSWORD,
         "user add refused (grids): unknown grid id 'T9' (not in Test District)"),
        (["--role", "viewer", "--grid", "T1"], "short\n",
         "user add refused (password): a password needs at least 10 characters"),
        (["--role", "viewer", "--grid", "T1"], "",
         "user add refused (password): no password given on standard input"),
    ],
)  # fmt: skip
def test_user_add_refusals_name_the_field(db, capsys, monkeypatch, argv, stdin, message):
    code, out, err = run(capsys, monkeypatch, "user", "add", "li", *argv, stdin=stdin)
    assert (code, out, err) == (1, "", message + "\n")
    assert db[0].user("li") is None and db[1].query() == []


def test_user_add_twice_and_bad_role(db, capsys, monkeypatch):
    run(capsys, monkeypatch, "user", "add", "li", "--role", "planner", stdin=PASSWORD)
    code, _, err = run(capsys, monkeypatch, "user", "add", "li", "--role", "planner",
                       stdin=PASSWORD)  # fmt: skip
    assert code == 1 and err == "user add refused (name): a user called 'li' exists\n"
    with pytest.raises(SystemExit) as info:
        run(capsys, monkeypatch, "user", "add", "li", "--role", "boss")
    assert info.value.code == 2
    assert "argument --role: invalid choice: 'boss'" in capsys.readouterr().err


def test_disable_enable_passwd(db, capsys, monkeypatch):
    accounts, audit = db
    run(capsys, monkeypatch, "user", "add", "li", "--role", "planner", stdin=PASSWORD)
    assert run(capsys, monkeypatch, "user", "disable", "li")[:2] == (0, "disabled user 'li'\n")
    assert accounts.principal("li") is None
    assert "disabled" in run(capsys, monkeypatch, "user", "list")[1]
    assert run(capsys, monkeypatch, "user", "enable", "li")[:2] == (0, "enabled user 'li'\n")
    assert accounts.principal("li") is not None
    new = "another-long-password"
    code, out, _ = run(capsys, monkeypatch, "user", "passwd", "li", stdin=new + "\n")
    assert (code, out) == (0, "password of 'li' changed\n")
    assert accounts.authenticate("li", new).name == "li"
    actions = [r["action"] for r in audit.query()]
    assert actions == ["user-passwd", "user-enable", "user-disable", "user-add"]
    assert {r["actor"] for r in audit.query()} == {"cli:ops"}


@pytest.mark.parametrize("action", ["disable", "enable", "passwd"])
def test_unknown_user_is_refused(db, capsys, monkeypatch, action):
    code, out, err = run(capsys, monkeypatch, "user", action, "ghost", stdin=PASSWORD)
    assert (code, out) == (1, "")
    assert err == f"user {action} refused (name): no user called 'ghost'\n"


def test_token_add_list_revoke(db, capsys, monkeypatch):
    accounts, audit = db
    code, out, err = run(capsys, monkeypatch, "token", "add", "intake-bot",
                         "--rights", "intake,read", "--grid", "T1")  # fmt: skip
    assert (code, err) == (0, "")
    head, secret = out.splitlines()
    assert head == "added token 'intake-bot'; its secret (shown once, keep it safe):"
    principal = accounts.token_principal(secret)
    assert principal.rights == {"intake", "read"} and principal.scope.roots == ("T1",)
    code, out, _ = run(capsys, monkeypatch, "token", "list")
    assert code == 0 and secret not in out
    assert out.splitlines()[1].split()[:3] == ["intake-bot", "intake,read", "T1"]
    assert out.splitlines()[1].split()[-1] == "live"
    assert run(capsys, monkeypatch, "token", "revoke", "intake-bot")[:2] == (
        0, "revoked token 'intake-bot'\n")  # fmt: skip
    assert accounts.token_principal(secret) is None
    assert "revoked" in run(capsys, monkeypatch, "token", "list")[1]
    rows = audit.query()
    assert [r["action"] for r in rows] == ["token-revoke", "token-add"]
    assert secret not in str(rows)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "bot", "--rights", "read,admin"],
         "token add refused (rights): rights must be some of intake, read, dispatch, got admin"),
        (["add", "bot", "--rights", "read", "--grid", "X1"],
         "token add refused (grid): unknown grid id 'X1' (not in Test District)"),
        (["revoke", "bot"], "token revoke refused (name): no live token called 'bot'"),
    ],
)  # fmt: skip
def test_token_refusals(db, capsys, monkeypatch, argv, message):
    code, out, err = run(capsys, monkeypatch, "token", *argv)
    assert (code, out, err) == (1, "", message + "\n")


def test_wall_link_add_list_revoke(db, capsys, monkeypatch):
    accounts, audit = db
    code, out, _ = run(capsys, monkeypatch, "wall-link", "--grid", "T2", "--label", "hall")
    assert code == 0
    head, url = out.splitlines()
    assert head == "added wall link 'hall'; open this address on the wall (shown once):"
    assert url.startswith("http://10.0.0.5:8123/wall/?kiosk=")
    key = url.split("kiosk=")[1]
    assert accounts.kiosk_principal(key).scope.roots == ("T2",)
    code, out, _ = run(capsys, monkeypatch, "wall-link", "--base-url", "https://map.example/")
    assert out.splitlines()[0].startswith("added wall link 'wall-district'")
    assert out.splitlines()[1].startswith("https://map.example/wall/?kiosk=")
    code, out, _ = run(capsys, monkeypatch, "wall-link", "--list")
    assert key not in out and out.splitlines()[-1] == "2 wall link(s)"
    assert run(capsys, monkeypatch, "wall-link", "--revoke", "hall")[:2] == (
        0, "revoked wall link 'hall'\n")  # fmt: skip
    assert accounts.kiosk_principal(key) is None
    assert [r["action"] for r in audit.query()] == ["kiosk-revoke", "kiosk-add", "kiosk-add"]


def test_wall_link_of_several_townships(db, capsys, monkeypatch):
    accounts, audit = db
    code, out, _ = run(capsys, monkeypatch, "wall-link", "--grid", "T1,T2")
    assert code == 0 and out.startswith("added wall link 'wall-T1-T2'")
    key = out.splitlines()[1].split("kiosk=")[1]
    assert accounts.kiosk_principal(key).scope.roots == ("T1", "T2")
    assert audit.query()[0]["detail"] == '{"grid": "T1,T2"}'
    code, _, err = run(capsys, monkeypatch, "wall-link", "--grid", "T1,nowhere")
    assert code == 1 and "unknown grid id 'nowhere'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--grid", "nowhere"],
         "wall-link refused (grid): unknown grid id 'nowhere' (not in Test District)"),
        (["--base-url", "map.example"],
         "wall-link refused (base-url): base URL must start with http:// or https://, "
         "got 'map.example'"),
        (["--revoke", "hall"], "wall-link refused (name): no live kiosk link called 'hall'"),
    ],
)  # fmt: skip
def test_wall_link_refusals(db, capsys, monkeypatch, argv, message):
    code, out, err = run(capsys, monkeypatch, "wall-link", *argv)
    assert (code, out, err) == (1, "", message + "\n")


def test_wall_link_label_taken(db, capsys, monkeypatch):
    run(capsys, monkeypatch, "wall-link", "--label", "hall")
    code, _, err = run(capsys, monkeypatch, "wall-link", "--label", "hall")
    assert code == 1 and err == "wall-link refused (label): a kiosk link called 'hall' exists\n"


def test_bad_setting_and_broken_district(db, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("GRIDMAP_PORT", "0")
    code, _, err = run(capsys, monkeypatch, "user", "list")
    assert code == 2 and err == "bad setting: GRIDMAP_PORT must be 1-65535, got 0\n"
    monkeypatch.setenv("GRIDMAP_PORT", "8050")
    monkeypatch.setenv("GRIDMAP_DATA_DIR", str(tmp_path / "absent"))
    code, _, err = run(capsys, monkeypatch, "token", "list")
    assert code == 1 and err.startswith("cannot read the district: ")


def test_a_subcommand_is_required(db, capsys, monkeypatch):
    with pytest.raises(SystemExit) as info:
        run(capsys, monkeypatch, "user")
    assert info.value.code == 2
    assert "the following arguments are required: ACTION" in capsys.readouterr().err


def test_user_add_unit_by_its_chinese_or_english_name(db, capsys, monkeypatch):
    accounts, audit = db
    code, out, err = run(capsys, monkeypatch, "user", "add", "wang", "--role", "unit",
                         "--unit", "区人民调解中心", stdin=PASSWORD)  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "added user 'wang' (unit, unit: 区人民调解中心)\n"
    assert accounts.authenticate("wang", PASSWORD).unit == "区人民调解中心"
    assert "区人民调解中心" in audit.query()[0]["detail"]
    # The English name is stored as the Chinese one, as cases store their unit.
    code, _, err = run(capsys, monkeypatch, "user", "add", "zhao", "--role", "unit",
                       "--unit", "Police station", stdin=PASSWORD)  # fmt: skip
    assert (code, err) == (0, "")
    assert accounts.user("zhao")["unit"] == "公安派出所"
    lines = run(capsys, monkeypatch, "user", "list")[1].splitlines()
    assert lines[1].split()[:4] == ["wang", "unit", "*", "区人民调解中心"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role", "unit"],
         "user add refused (unit): role 'unit' needs the unit it works for (--unit NAME)"),
        (["--role", "unit", "--unit", "区养猪场"],
         "user add refused (unit): unit must be one of the district's units (its categories), "
         "got '区养猪场'; known: 村（社区）人民调解委员会, 区人民调解中心"),
        (["--role", "township", "--grid", "T1", "--unit", "公安派出所"],
         "user add refused (unit): only role 'unit' takes a unit, not 'township'"),
        (["--role", "unit", "--unit", "公安派出所", "--grid", "T1"],
         "user add refused (grids): role 'unit' sees the cases dispatched to its unit: "
         "give no grid"),
    ],
)  # fmt: skip
def test_user_add_unit_refusals_name_the_field_and_rule(db, capsys, monkeypatch, argv, message):
    code, out, err = run(capsys, monkeypatch, "user", "add", "wang", *argv, stdin=PASSWORD)
    assert code == 1 and out == ""
    assert err.startswith(message), err
    assert db[0].user("wang") is None and db[1].query() == []
