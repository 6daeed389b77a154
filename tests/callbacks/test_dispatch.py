"""The dispatch workbench's callbacks, posted over HTTP as the browser does, by signed-in people.

The tiny district's demo-township sees township T1 only; demo-commander sees it all. The store
holds a fresh case and an overdue one in T1 and a fresh one in T2 at the fake clock's now.
Whatever the page sends, another township's case is neither shown to nor acted on by the
township officer: the server reads and acts inside their scope.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.auth_support import signed_in
from tests.callbacks.dispatch_support import fire, prop
from tests.dash_http import texts
from tests.fake_clock import FakeClock
from tests.incident_fixtures import incident
from ui import dispatch_ids as ids

START = "2026-06-15T02:00:00+00:00"
UNIT = "村（社区）人民调解委员会"


def cases(now):
    return [
        incident("t1-new", "T1111", 114.8025, 33.7025, reported_at=now - timedelta(hours=1)),
        incident("t1-old", "T1112", 114.8025, 33.7275, category="security",
                 reported_at=now - timedelta(days=3)),
        incident("t2-new", "T2111", 114.8425, 33.7025, reported_at=now - timedelta(hours=1),
                 description="T2 secret description"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def clock():
    return FakeClock(START)


@pytest.fixture(scope="module")
def app(make_tiny_app, clock):
    return make_tiny_app(clock=clock)


@pytest.fixture()
def store(app, clock):
    """Return the app's store holding only :func:`cases` (and no timeline), at ``START``."""
    clock.set(START)
    found = app.server.extensions["gridmap"].incident_store
    with found.engine.begin() as conn:
        conn.execute(found.table.delete())
        conn.execute(found.events_table.delete())
    found.insert(cases(clock()))
    return found


@pytest.fixture()
def commander(app, store):
    return signed_in(app, "demo-commander")


@pytest.fixture()
def township(app, store):
    return signed_in(app, "demo-township")


def counts(client, lang="en") -> tuple[dict, str, list[str]]:
    answer = fire(
        client,
        f"{ids.COUNTS_STORE}.data",
        {f"{ids.VERSION_STORE}.data": 1, f"{ids.LANG_STORE}.data": lang},
        changed=f"{ids.VERSION_STORE}.data",
    )
    tabs = [prop(answer, ids.queue_count(n), "children") for n in ids.QUEUES]
    return prop(answer, ids.COUNTS_STORE, "data"), prop(answer, ids.BADGE, "children"), tabs


def table(client, queue, lang="en", **filters) -> list[str]:
    values = {
        f"{ids.QUEUE_STORE}.data": queue,
        f"{ids.GRID_FILTER}.value": filters.get("grid"),
        f"{ids.CATEGORY_FILTER}.value": filters.get("category"),
        f"{ids.UNIT_FILTER}.value": filters.get("unit"),
        f"{ids.AGE_FILTER}.value": filters.get("age", 0),
        f"{ids.VERSION_STORE}.data": 1,
        f"{ids.LANG_STORE}.data": lang,
    }
    answer = fire(client, f"{ids.TABLE}.children", values, changed=f"{ids.QUEUE_STORE}.data")
    return texts(prop(answer, ids.TABLE, "children"))


def detail(client, incident_id, lang="en") -> dict:
    values = {
        f"{ids.SELECTED_STORE}.data": incident_id,
        f"{ids.VERSION_STORE}.data": 1,
        f"{ids.LANG_STORE}.data": lang,
    }
    return fire(client, f"{ids.DETAIL}.children", values, changed=f"{ids.SELECTED_STORE}.data")


def act(client, action, incident_id, state, *, unit=None, note=None, lang="en") -> dict:
    """Press the button of ``action`` on a case the page shows in ``state``."""
    values = {
        f"dispatch-act:{action}.n_clicks": 1,
        f"{ids.DETAIL_STATE}.data": {"id": incident_id, "state": state},
        f"{ids.ACTION_UNIT}.value": unit,
        f"{ids.ACTION_NOTE}.value": note,
        f"{ids.LANG_STORE}.data": lang,
    }
    return fire(
        client, f"{ids.ACTION_MESSAGE}.children", values,
        changed=f"dispatch-act:{action}.n_clicks", expand={"dispatch-act": [action]},
    )  # fmt: skip


def message(answer) -> tuple[str, str]:
    return prop(answer, ids.ACTION_MESSAGE, "children"), prop(
        answer, ids.ACTION_MESSAGE, "className"
    )


def buttons(answer) -> list[str]:
    return [b["props"]["id"]["index"] for b in prop(answer, ids.ACTION_BUTTONS, "children")
            if isinstance(b["props"].get("id"), dict)]  # fmt: skip


# -- counts and queues -----------------------------------------------------------------------
def test_the_counts_are_the_readers_own(commander, township):
    found, badge, tabs = counts(commander)
    assert found["register"] == 3 and found["overdue"] == 1
    assert badge == "New 3 · overdue 1"
    assert tabs[0] == "3"
    found, badge, _ = counts(township, "zh")
    assert found["register"] == 2 and found["overdue"] == 1
    assert badge == "新 2 · 超期 1"


def test_a_queue_table_holds_only_the_readers_cases(commander, township):
    assert {"t1-new", "t1-old", "t2-new"} <= set(table(commander, "register"))
    words = table(township, "register")
    assert {"t1-new", "t1-old"} <= set(words) and "t2-new" not in words
    assert "t1-old" in table(township, "overdue") and "t1-new" not in table(township, "overdue")


def test_the_filters_narrow_the_table(commander):
    assert "t2-new" not in table(commander, "register", grid="T1")
    assert set(table(commander, "register", category="security")) & {"t1-new", "t1-old"} == {
        "t1-old"
    }
    older = table(commander, "register", age=24)
    assert "t1-old" in older and "t1-new" not in older


# -- one case ---------------------------------------------------------------------------------
def test_a_case_shows_its_chain_deadline_map_and_actions(township):
    answer = detail(township, "t1-new")
    words = texts(prop(answer, ids.DETAIL, "children"))
    assert "t1-new" in words and "Reported" in words
    assert any("Test District › Dong Town 1" in w for w in words)
    assert any(w.endswith("left") for w in words)
    figure = prop(answer, ids.DETAIL_MAP, "figure")
    assert figure["layout"]["map"]["style"] == "white-bg"
    assert figure["data"][1]["lon"] == [114.8025]
    assert buttons(answer)[0] == "register" and "verify" not in buttons(answer)
    assert prop(answer, ids.DETAIL_STATE, "data") == {"id": "t1-new", "state": "reported"}


def test_a_township_officer_is_refused_another_townships_case(township, store):
    answer = detail(township, "t2-new")
    words = texts(prop(answer, ids.DETAIL, "children"))
    assert words == ["Case “t2-new” does not exist or lies outside your grids"]
    assert "T2 secret description" not in json.dumps(answer)
    # Even a crafted press of a button the page never drew is refused on the server.
    text, css = message(act(township, "register", "t2-new", "reported"))
    assert "Not done" in text and "dispatch-refused" in css
    assert store.get("t2-new")["state"] == "reported"
    assert store.timeline("t2-new") == []


def test_register_then_dispatch_are_recorded_with_who_and_unit(township, store):
    text, css = message(act(township, "register", "t1-new", "reported"))
    assert text == "Done: Register" and "dispatch-ok" in css
    text, _ = message(act(township, "dispatch", "t1-new", "registered"))
    assert text == "Not done: choose a unit first"
    text, _ = message(act(township, "dispatch", "t1-new", "registered", unit=UNIT, note="go"))
    assert text == "Done: Dispatch"
    assert store.get("t1-new")["state"] == "dispatched"
    answer = detail(township, "t1-new")
    timeline = texts(prop(answer, ids.TIMELINE, "children"))
    assert "Reported → Registered" in timeline and "Registered → Dispatched" in timeline
    assert "→ Village (community) mediation committee" in timeline and "go" in timeline


def test_someone_acting_first_is_a_clear_conflict(commander, township, store):
    assert message(act(commander, "register", "t1-new", "reported"))[0] == "Done: Register"
    text, css = message(act(township, "register", "t1-new", "reported"))
    assert "Someone else acted first" in text and "“Registered”" in text
    assert "dispatch-conflict" in css
    assert len(store.timeline("t1-new")) == 1


def test_a_role_without_the_action_is_told_so(township, store):
    act(township, "register", "t1-old", "reported")
    act(township, "dispatch", "t1-old", "registered", unit=UNIT)
    act(township, "handle", "t1-old", "dispatched", note="mediated")
    answer = detail(township, "t1-old")
    assert "verify" in buttons(answer) and "rework" in buttons(answer)


def test_bulk_dispatch_sends_every_picked_case_to_one_unit(commander, store):
    for case in ("t1-new", "t2-new"):
        act(commander, "register", case, "reported")
    values = {
        f"{ids.BULK_BUTTON}.n_clicks": 1,
        "dispatch-pick:t1-new.value": ["t1-new"],
        "dispatch-pick:t2-new.value": ["t2-new"],
        "dispatch-pick:t1-old.value": [],
        f"{ids.BULK_UNIT}.value": UNIT,
        f"{ids.LANG_STORE}.data": "en",
    }
    expand = {"dispatch-pick": ["t1-new", "t2-new", "t1-old"]}
    answer = fire(commander, f"{ids.BULK_MESSAGE}.children", values,
                  changed=f"{ids.BULK_BUTTON}.n_clicks", expand=expand)  # fmt: skip
    assert prop(answer, ids.BULK_MESSAGE, "children") == "2 dispatched; 0 not dispatched"
    assert {store.get(c)["unit"] for c in ("t1-new", "t2-new")} == {UNIT}
    values[f"{ids.BULK_UNIT}.value"] = None
    answer = fire(commander, f"{ids.BULK_MESSAGE}.children", values,
                  changed=f"{ids.BULK_BUTTON}.n_clicks", expand=expand)  # fmt: skip
    assert prop(answer, ids.BULK_MESSAGE, "children") == "Pick cases and a unit first"


def test_bulk_dispatch_by_a_township_officer_skips_other_townships(township, commander, store):
    act(commander, "register", "t2-new", "reported")
    act(township, "register", "t1-new", "reported")
    values = {
        f"{ids.BULK_BUTTON}.n_clicks": 1,
        "dispatch-pick:t1-new.value": ["t1-new"],
        "dispatch-pick:t2-new.value": ["t2-new"],
        f"{ids.BULK_UNIT}.value": UNIT,
        f"{ids.LANG_STORE}.data": "en",
    }
    answer = fire(township, f"{ids.BULK_MESSAGE}.children", values,
                  changed=f"{ids.BULK_BUTTON}.n_clicks",
                  expand={"dispatch-pick": ["t1-new", "t2-new"]})  # fmt: skip
    assert prop(answer, ids.BULK_MESSAGE, "children") == "1 dispatched; 1 not dispatched"
    assert store.get("t2-new")["state"] == "registered"


def test_a_deep_link_opens_its_case(commander):
    values = {f"{ids.URL}.search": "?incident=t1-old", f"{ids.SELECTED_STORE}.data": None}
    answer = fire(commander, f"{ids.SELECTED_STORE}.data", values, changed=f"{ids.URL}.search",
                  expand={"dispatch-open": []})  # fmt: skip
    assert prop(answer, ids.SELECTED_STORE, "data") == "t1-old"


def test_clicking_a_row_opens_it_and_writes_the_deep_link(commander):
    values = {"dispatch-open:t1-new.n_clicks": 1, f"{ids.URL}.search": ""}
    answer = fire(commander, f"{ids.SELECTED_STORE}.data", values,
                  changed="dispatch-open:t1-new.n_clicks",
                  expand={"dispatch-open": ["t1-new"]})  # fmt: skip
    assert prop(answer, ids.SELECTED_STORE, "data") == "t1-new"
    assert prop(answer, ids.URL, "search") == "?incident=t1-new"


def test_time_moves_a_case_into_the_overdue_queue(commander, clock):
    assert "t1-new" not in table(commander, "overdue")
    clock.advance(hours=2)
    assert "t1-new" in table(commander, "overdue")
    assert counts(commander)[0]["overdue"] == 3  # t2-new too: the commander sees it all


# -- who may open the workbench -----------------------------------------------------------------
@pytest.mark.parametrize("name", ["demo-planner", "demo-viewer"])
def test_roles_that_may_not_dispatch_are_refused_the_page(app, name):
    client = signed_in(app, name)
    assert client.get("/dispatch/").status_code == 403
    answer = client.post("/dispatch/_dash-update-component", json={})
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("name", "linked"),
    [("demo-commander", True), ("demo-township", True), ("demo-admin", True),
     ("demo-planner", False), ("demo-viewer", False)],
)  # fmt: skip
def test_the_main_header_links_to_the_workbench_for_those_who_may_use_it(app, name, linked):
    layout = signed_in(app, name).get("/_dash-layout").get_data(as_text=True)
    assert ('"index":"dispatch-link"' in layout) is linked


# -- the main page's dispatch figures ---------------------------------------------------------
def main_figures(client, search, lang="en", version=1) -> list[str]:
    from gridmap.incidents.filters import IncidentFilters
    from tests.dash_http import call, dependency_output, response_of
    from ui import ids as main_ids

    output = dependency_output(client, main_ids.DISPATCH_STATS, "children", main_ids.FILTERS_STORE)
    answer = call(
        client,
        [output],
        [
            (main_ids.FILTERS_STORE, "data", IncidentFilters("2026-06-01", "2026-06-30").key()),
            (main_ids.VERSION_STORE, "data", version),
            (main_ids.LANG_STORE, "data", lang),
        ],
        [(main_ids.URL, "search", search)],
    )
    return texts(response_of(answer)[main_ids.DISPATCH_STATS]["children"])


def test_the_statistics_panel_has_the_dispatch_figures(commander, township, store, clock):
    act(commander, "register", "t1-new", "reported")
    act(commander, "dispatch", "t1-new", "registered", unit=UNIT)
    act(commander, "handle", "t1-new", "dispatched", note="done")
    act(commander, "verify", "t1-new", "handled")
    words = main_figures(commander, "?grid=T1", version=store.version())
    assert "On-time closure" in words and "Rework rate" in words
    on_time = words[words.index("On-time closure") + 1]
    assert on_time == "100.0%"
    assert words[words.index("Overdue") + 1] == "1"  # t1-old
    assert "Village (community) mediation committee" in words
    zh = main_figures(township, "?grid=T1", "zh", version=store.version())
    assert "按期办结率" in zh and "返工率" in zh
    # Another township's figures are not the officer's.
    assert main_figures(township, "?grid=T2", version=store.version()) == []


# -- a unit's own system (a dispatch token named as the unit) ----------------------------------
@pytest.fixture(scope="module")
def unit_secret(app):
    return app.server.extensions["gridmap"].accounts.add_token(UNIT, ["dispatch"])


def test_a_unit_sees_and_handles_only_what_is_dispatched_to_it(
    app, commander, store, unit_secret, clock
):
    unit = app.server.test_client()
    unit.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {unit_secret}"
    act(commander, "register", "t1-new", "reported")
    act(commander, "dispatch", "t1-new", "registered", unit=UNIT)
    act(commander, "register", "t2-new", "reported")
    act(commander, "dispatch", "t2-new", "registered", unit="区信访局")
    clock.advance(days=8)  # both past their close deadline: the unit's overdue queue
    assert counts(unit)[0]["overdue"] == 1
    words = table(unit, "overdue")
    assert "t1-new" in words and "t2-new" not in words
    clock.set(START)
    assert texts(prop(detail(unit, "t2-new"), ids.DETAIL, "children")) == [
        "Case “t2-new” does not exist or lies outside your grids"
    ]
    assert buttons(detail(unit, "t1-new")) == ["handle", "return", "comment"]
    text, _ = message(act(unit, "handle", "t2-new", "dispatched", note="not mine"))
    assert text.startswith("Not done")
    text, _ = message(act(unit, "handle", "t1-new", "dispatched", note="mediated"))
    assert text == "Done: Handle"
    assert (
        store.get("t1-new")["state"] == "handled" and store.get("t2-new")["state"] == "dispatched"
    )


# -- a unit's staff (role unit) -----------------------------------------------------------------
DEMO_UNIT = "区城市管理局"  # the demo unit account's unit (the environment category's)


@pytest.fixture()
def unit_person(app, store):
    """Sign in the demo unit account; t1-new is dispatched to its unit, t2-new to another."""
    runtime = app.server.extensions["gridmap"]
    chief = runtime.accounts.principal("demo-commander")
    for rid, unit in (("t1-new", DEMO_UNIT), ("t2-new", UNIT)):
        store.act(rid, "register", chief)
        store.act(rid, "dispatch", chief, unit=unit)
    return signed_in(app, "demo-unit")


def test_a_unit_person_sees_only_its_units_cases(unit_person):
    found, badge, _ = counts(unit_person)
    assert found["mine"] == 1 and found["register"] == 0 and found["dispatch"] == 0
    assert badge == "New 1 · overdue 0"
    assert "t1-new" in table(unit_person, "mine")
    for queue in ("mine", "overdue", "due_soon", "verify"):
        words = table(unit_person, queue, unit=UNIT)  # another unit asked for: still its own
        assert "t2-new" not in words and "t1-old" not in words, queue
    # The queues that are not a unit's work are not its workbench's.
    assert table(unit_person, "register") == [] and table(unit_person, "dispatch") == []


def test_a_unit_person_handles_and_comments_only(unit_person, store):
    answer = detail(unit_person, "t1-new")
    assert buttons(answer) == ["handle", "return", "comment"]
    text, _ = message(act(unit_person, "handle", "t1-new", "dispatched"))
    assert text == "Not done: write a note first"
    for crafted in ("dispatch", "escalate", "verify"):
        text, css = message(act(unit_person, crafted, "t1-new", "dispatched", unit=UNIT,
                                note="x"))  # fmt: skip
        assert "Not done" in text and "dispatch-refused" in css, crafted
    text, _ = message(act(unit_person, "handle", "t1-new", "dispatched", note="调解成功"))
    assert text == "Done: Handle"
    assert store.get("t1-new")["state"] == "handled"
    assert "t1-new" in table(unit_person, "verify")


def test_a_unit_person_is_refused_another_units_case(unit_person, store):
    for rid in ("t2-new", "t1-old"):
        words = texts(prop(detail(unit_person, rid), ids.DETAIL, "children"))
        assert words == [f"Case “{rid}” does not exist or lies outside your grids"]
    text, css = message(act(unit_person, "comment", "t2-new", "dispatched", note="mine?"))
    assert "Not done" in text and "dispatch-refused" in css
    assert [e["action"] for e in store.timeline("t2-new")] == ["register", "dispatch"]
    assert "T2 secret description" not in json.dumps(detail(unit_person, "t2-new"))


def test_a_unit_persons_page_shows_its_unit_and_its_queues(unit_person):
    layout = unit_person.get("/dispatch/_dash-layout").get_json()
    text = json.dumps(layout, ensure_ascii=False)
    assert "Unit: District Urban Management Bureau" in text
    tabs = [q for q in ids.QUEUES if json.dumps(ids.queue(q)) in json.dumps(layout)]
    assert tabs == sorted(ids.UNIT_QUEUES, key=ids.QUEUES.index)
    assert '"data": "mine"' in json.dumps(layout)
