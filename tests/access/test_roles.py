import pytest

from gridmap.access.roles import (
    RULES,
    Principal,
    Scope,
    allowed,
    check_rights,
    check_role,
)
from gridmap.errors import AccessError


def user(role, grids=()):
    scope = Scope.of(grids) if grids else Scope.everything()
    return Principal(name="u", kind="user", role=role, scope=scope)


def test_anonymous_and_unknown_actions_are_refused():
    assert not allowed(None, "view-map")
    assert not allowed(user("admin"), "no-such-action")


@pytest.mark.parametrize(
    ("role", "action", "expected"),
    [
        ("admin", "admin", True),
        ("commander", "admin", False),
        ("commander", "dispatch", True),
        ("township", "dispatch", True),
        ("planner", "dispatch", False),
        ("planner", "plan", True),
        ("planner", "read-incidents", False),
        ("planner", "read-counts", True),
        ("viewer", "read-incidents", True),
        ("viewer", "write-incidents", False),
        ("viewer", "save-scenario", False),
        ("township", "plan", False),
    ],
)
def test_role_rules(role, action, expected):
    assert allowed(user(role), action) is expected


def test_token_and_kiosk_rights():
    intake = Principal(name="app", kind="token", rights=frozenset({"intake"}))
    assert allowed(intake, "write-incidents")
    assert not allowed(intake, "read-incidents")
    kiosk = Principal(name="wall", kind="kiosk", rights=frozenset({"wall"}))
    assert allowed(kiosk, "view-wall") and allowed(kiosk, "read-counts")
    assert not allowed(kiosk, "read-incidents") and not allowed(kiosk, "admin")
    # A token never gains a person's role by its name.
    assert not allowed(Principal(name="admin", kind="token", role="admin"), "admin")


def test_every_rule_names_known_roles_and_rights():
    from gridmap.access.roles import ROLES, TOKEN_RIGHTS

    for roles, rights in RULES.values():
        assert roles <= set(ROLES)
        assert rights <= set(TOKEN_RIGHTS) | {"wall"}


def test_scope_contains_by_chain():
    scope = Scope.of(["T1"])
    assert scope.contains(["T", "T1", "T12"])
    assert not scope.contains(["T", "T2", "T21"])
    assert not scope.contains(["T"])  # the district above a township is outside it
    assert Scope.everything().contains(["anything"])
    assert not Scope.of([]).contains(["T", "T1"])
    assert Scope.of(["b", "a", "a"]).key() == "a,b"
    assert Scope.everything().key() == "*"


def test_check_role():
    assert check_role("township", [" T1 ", "T1", "T2"]) == ("township", ("T1", "T2"))
    with pytest.raises(AccessError, match="role must be one of") as err:
        check_role("root", [])
    assert err.value.field == "role"
    with pytest.raises(AccessError, match="needs at least one grid"):
        check_role("viewer", [])
    with pytest.raises(AccessError, match="sees the whole district") as err:
        check_role("commander", ["T1"])
    assert err.value.field == "grids"


def test_check_rights():
    assert check_rights(["read", " intake"]) == {"read", "intake"}
    with pytest.raises(AccessError, match="got write") as err:
        check_rights(["read", "write"])
    assert err.value.field == "rights"
    with pytest.raises(AccessError, match="got none"):
        check_rights([])


def test_a_kiosk_draws_geometry_but_not_the_map_page():
    kiosk = Principal(name="wall", kind="kiosk", rights=frozenset({"wall"}))
    assert allowed(kiosk, "view-geometry") and not allowed(kiosk, "view-map")


def test_scope_as_a_store_filter():
    levels = {"T": 1, "T1": 2, "T12": 3}
    assert Scope.everything().within(levels.__getitem__) is None
    assert Scope.of(["T12", "T1", "NOPE"]).within(levels.__getitem__) == [(2, "T1"), (3, "T12")]
    assert Scope.of([]).within(levels.__getitem__) == []


def test_a_units_staff_may_use_the_workbench_only():
    staff = Principal(name="wang", kind="user", role="unit", unit="区人民调解中心")
    may = {action for action in RULES if allowed(staff, action)}
    # The workbench and its actions, and the display geometry of its small case map.
    assert may == {"dispatch", "view-geometry"}


def test_check_unit():
    from gridmap.access.roles import check_unit

    assert check_unit("unit", " 公安派出所 ", ["公安派出所"]) == "公安派出所"
    assert check_unit("unit", "any", None) == "any"  # no list: not checked here
    assert check_unit("viewer", None) is None and check_unit("viewer", "  ") is None
    for role, unit, units, message in (
        ("unit", None, None, "needs the unit it works for"),
        ("unit", "区养猪场", ["公安派出所"], "unit must be one of the district's units"),
        ("planner", "公安派出所", None, "only role 'unit' takes a unit"),
    ):
        with pytest.raises(AccessError, match=message) as err:
            check_unit(role, unit, units)
        assert err.value.field == "unit"
    with pytest.raises(AccessError, match="give no grid") as err:
        check_role("unit", ["T1"])
    assert err.value.field == "grids"
