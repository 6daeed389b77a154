import pytest

from gridmap.access.accounts import LOCK_MINUTES, MAX_FAILURES, AccountStore, clean_name
from gridmap.access.roles import Scope
from gridmap.errors import AccessError, AuthError

PASSWORD = "a-long-password-1"


@pytest.fixture
def accounts(db, clock):
    engine, prefix = db
    return AccountStore(engine, table_prefix=prefix, clock=clock)


def test_add_user_and_sign_in(accounts, clock):
    accounts.add_user("li.wei", "township", ["T1"], PASSWORD)
    who = accounts.authenticate("li.wei", PASSWORD)
    assert (who.name, who.kind, who.role) == ("li.wei", "user", "township")
    assert who.scope == Scope.of(["T1"])
    user = accounts.user("li.wei")
    assert "password_hash" not in user
    assert user["last_sign_in"] == clock().isoformat(timespec="seconds")
    assert [u["name"] for u in accounts.list_users()] == ["li.wei"]


def test_duplicate_and_bad_accounts_refused(accounts):
    accounts.add_user("zhang", "commander", [], PASSWORD)
    with pytest.raises(AccessError, match="a user called 'zhang' exists"):
        accounts.add_user("zhang", "viewer", ["T1"], PASSWORD)
    with pytest.raises(AccessError, match="needs at least one grid"):
        accounts.add_user("wang", "township", [], PASSWORD)
    with pytest.raises(AccessError, match="at least 10 characters"):
        accounts.add_user("wang", "planner", [], "short")
    assert accounts.count_users() == 1


def test_wrong_password_and_unknown_name_say_the_same(accounts):
    accounts.add_user("zhang", "commander", [], PASSWORD)
    with pytest.raises(AuthError, match="wrong name or password"):
        accounts.authenticate("zhang", "nope-nope-nope")
    with pytest.raises(AuthError, match="wrong name or password"):
        accounts.authenticate("nobody", PASSWORD)


def test_lockout_after_failures_then_release(accounts, clock):
    accounts.add_user("zhang", "commander", [], PASSWORD)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthError, match="wrong name or password"):
            accounts.authenticate("zhang", "wrong-password!")
    # Locked now: even the right password is refused.
    with pytest.raises(AuthError, match="locked"):
        accounts.authenticate("zhang", PASSWORD)
    clock.advance(minutes=LOCK_MINUTES + 1)
    assert accounts.authenticate("zhang", PASSWORD).name == "zhang"


def test_a_success_resets_the_failure_count(accounts):
    accounts.add_user("zhang", "commander", [], PASSWORD)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthError):
            accounts.authenticate("zhang", "wrong-password!")
    accounts.authenticate("zhang", PASSWORD)
    with pytest.raises(AuthError, match="wrong name"):
        accounts.authenticate("zhang", "wrong-password!")
    assert accounts.authenticate("zhang", PASSWORD).name == "zhang"


def test_disable_enable_and_password_change(accounts):
    accounts.add_user("zhang", "commander", [], PASSWORD)
    accounts.disable("zhang")
    with pytest.raises(AuthError, match="disabled"):
        accounts.authenticate("zhang", PASSWORD)
    assert accounts.principal("zhang") is None
    accounts.enable("zhang")
    accounts.set_password("zhang", "another-long-one")
    with pytest.raises(AuthError):
        accounts.authenticate("zhang", PASSWORD)
    assert accounts.authenticate("zhang", "another-long-one").role == "commander"
    with pytest.raises(AccessError, match="no user called 'ghost'"):
        accounts.disable("ghost")


def test_first_admin_once(accounts):
    password = accounts.ensure_first_admin()
    assert password and len(password) >= 12
    assert accounts.authenticate("admin", password).is_admin
    assert accounts.ensure_first_admin() is None


def test_tokens_shown_once_stored_hashed_and_revocable(accounts, clock):
    secret = accounts.add_token("grid-app", ["intake", "read"], grid="T1")
    listed = accounts.list_tokens()
    assert [t["name"] for t in listed] == ["grid-app"]
    assert secret not in str(listed) and "digest" not in listed[0]
    who = accounts.token_principal(secret)
    assert who.kind == "token" and who.rights == {"intake", "read"}
    assert who.scope == Scope.of(["T1"])
    assert accounts.list_tokens()[0]["last_used"] == clock().isoformat(timespec="seconds")
    assert accounts.token_principal(secret + "x") is None
    assert accounts.token_principal("") is None
    accounts.revoke_token("grid-app")
    assert accounts.token_principal(secret) is None
    with pytest.raises(AccessError, match="no live token"):
        accounts.revoke_token("grid-app")
    with pytest.raises(AccessError, match="rights must be some of"):
        accounts.add_token("bad", ["root"])


def test_kiosk_links(accounts):
    key = accounts.add_kiosk("hall wall", grid="T2")
    who = accounts.kiosk_principal(key)
    assert who.kind == "kiosk" and who.rights == {"wall"} and who.scope == Scope.of(["T2"])
    assert accounts.list_kiosks()[0]["label"] == "hall wall"
    with pytest.raises(AccessError, match="exists"):
        accounts.add_kiosk("hall wall")
    accounts.revoke_kiosk("hall wall")
    assert accounts.kiosk_principal(key) is None


def test_a_kiosk_link_of_several_townships(accounts):
    key = accounts.add_kiosk("two towns", grid=["T2", "T1", "T2"])
    assert accounts.kiosk_principal(key).scope == Scope.of(["T1", "T2"])
    again = accounts.add_kiosk("two towns again", grid=" T1 , T2 ")
    assert accounts.kiosk_principal(again).scope.roots == ("T1", "T2")
    with pytest.raises(AccessError, match="too many grids for one wall link: 8 ids") as err:
        accounts.add_kiosk("too many", grid=[f"41160310{k}" for k in range(8)])
    assert err.value.field == "grid"
    with pytest.raises(AccessError, match="may not hold spaces"):
        accounts.add_kiosk("spaced", grid=["T 1"])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "must not be empty"),
        ("x" * 65, "longer than 64"),
        ("a\x00b", "control"),
        ("a\nb", "control"),
    ],
)
def test_clean_name_refuses(name, message):
    with pytest.raises(AccessError, match=message) as err:
        clean_name(name)
    assert err.value.field == "name"


def test_clean_name_keeps_chinese():
    assert clean_name(" 城关镇 值班 ") == "城关镇 值班"
