"""Real-browser test of the dispatch workbench: one whole loop by three signed-in people.

A township officer registers and dispatches a case, a signed-in staff member of the unit it went
to (role unit: the demo's People's Mediation Centre account) handles it on their own workbench,
which shows their unit's cases only, the commander verifies it; the timeline shows all of it.
A case reported three days ago sits in the overdue queue. The counts follow the store without a
reload; a new case rings the (offline) chime, which can be turned off, and the choice survives
a reload. Screenshots at 1920x1080 land in test-artifacts/.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlparse

import pytest

from tests.browser_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    require_chromium,
    serve,
    sign_in_page,
)
from tests.fake_clock import FakeClock
from tests.incident_fixtures import incident
from ui import dispatch_ids as ids

pytestmark = pytest.mark.browser

UNIT = "区城市管理局"  # the demo unit account's unit
UNIT_EN = "District Urban Management Bureau"
OTHER_UNIT = "村（社区）人民调解委员会"
START = "2026-06-15T02:00:00+00:00"
SIZE = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def clock():
    return FakeClock(START)


@pytest.fixture(scope="module")
def live_app(make_tiny_app, clock):
    app = make_tiny_app(clock=clock, refresh_seconds=1)
    runtime = app.server.extensions["gridmap"]
    now = clock()
    runtime.incident_store.insert(
        [
            incident("loop-1", "T1111", 114.8025, 33.7025, reported_at=now - timedelta(minutes=20),
                     description="Two neighbours quarrel over a wall", reporter="grid member 7"),
            incident("old-1", "T1112", 114.8025, 33.7275, category="security",
                     reported_at=now - timedelta(days=3)),
            incident("theirs-1", "T1111", 114.8075, 33.7025, reported_at=now - timedelta(hours=2),
                     description="Another unit's case"),
        ]
    )  # fmt: skip
    # A case already with another unit: the unit person never sees it.
    chief = runtime.accounts.principal("demo-commander")
    runtime.incident_store.act("theirs-1", "register", chief)
    runtime.incident_store.act("theirs-1", "dispatch", chief, unit=OTHER_UNIT)
    return app


@contextmanager
def people(base: str):
    """Yield ``open(user=None, token=None)``: a new page of one browser, signed in or bearing a
    token; every request to another host is collected in ``foreign``."""
    from playwright.sync_api import sync_playwright

    own = urlparse(base).netloc
    foreign: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

        def open_page(user: str | None = None, token: str | None = None):
            headers = {"Authorization": f"Bearer {token}"} if token else None
            context = browser.new_context(viewport=SIZE, extra_http_headers=headers)
            page = context.new_page()
            page.on(
                "request",
                lambda r: (
                    foreign.append(r.url)
                    if urlparse(r.url).netloc not in (own, "") and not r.url.startswith("data:")
                    else None
                ),
            )
            if user:
                sign_in_page(page, base, user)
            return page

        try:
            yield open_page, foreign
        finally:
            browser.close()


def count(page, queue: str) -> str:
    return page.inner_text(f"{tab(queue)} .queue-count")


def tab(queue: str) -> str:
    return f'[data-queue="{queue}"]'


def wait_count(page, queue: str, value: int) -> None:
    page.wait_for_function(
        """([sel, value]) => {
            const el = document.querySelector(sel);
            return el && el.textContent.trim() === value;
        }""",
        arg=[f"{tab(queue)} .queue-count", str(value)],
        timeout=20_000,
    )


def open_queue(page, queue: str) -> None:
    page.click(tab(queue))
    page.wait_for_selector(f"{tab(queue)}.queue-tab-chosen")


def press(page, action_label: str) -> None:
    page.locator(f"#{ids.ACTION_BUTTONS} button", has_text=action_label).click()


def choose_unit(page, unit: str) -> None:
    page.click(f"#{ids.ACTION_UNIT}")
    page.fill("input.dash-dropdown-search", unit[:7])
    page.locator(".dash-dropdown-option", has_text=unit).first.click()
    page.keyboard.press("Escape")


def wait_message(page, text: str) -> None:
    page.locator(f"#{ids.ACTION_MESSAGE}", has_text=text).wait_for(timeout=20_000)


def wait_state(page, label: str) -> None:
    page.locator("#dispatch-case-title .state-pill", has_text=label).wait_for(timeout=20_000)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_one_whole_loop_by_three_signed_in_people(live_app, clock):
    require_chromium()
    with serve(live_app.server) as base, people(base) as (open_page, foreign):
        township = open_page("demo-township")
        township.goto(base + "/dispatch/")
        wait_count(township, "register", 2)
        wait_count(township, "overdue", 1)
        # The overdue queue holds the case reported three days ago.
        open_queue(township, "overdue")
        township.locator(f"#{ids.TABLE} button", has_text="old-1").wait_for()
        assert "overdue by" in township.inner_text(f"#{ids.TABLE}")
        shot(township, "dispatch-overdue.png")

        # Register, then dispatch to a unit.
        open_queue(township, "register")
        township.locator(f"#{ids.TABLE} button", has_text="loop-1").click()
        wait_state(township, "Reported")
        assert township.url.endswith("/dispatch/?incident=loop-1")
        township.wait_for_function(
            f"() => document.querySelector('#{ids.DETAIL_MAP} .js-plotly-plot') !== null"
        )
        assert "Test District › Dong Town 1" in township.inner_text(f"#{ids.DETAIL}")
        press(township, "Register")
        wait_message(township, "Done: Register")
        wait_state(township, "Registered")
        wait_count(township, "register", 1)  # the count followed, no reload
        choose_unit(township, UNIT_EN)
        press(township, "Dispatch")
        wait_message(township, "Done: Dispatch")
        wait_state(township, "Dispatched")

        # A staff member of the unit signs in: the map is not theirs, the workbench is, with
        # their unit's cases only; they open the case from their "mine" queue and handle it.
        unit = open_page("demo-unit")
        unit.goto(base + "/")
        unit.wait_for_url(base + "/dispatch/")
        wait_count(unit, "mine", 1)
        assert unit.locator(tab("register")).count() == 0  # not a unit's queue
        assert unit.locator(f"#{ids.BULK}").is_hidden()
        header = unit.inner_text("header")
        assert "Unit staff" in header and f"Unit: {UNIT_EN}" in header
        assert "Back to the map" not in header
        unit.locator(f"#{ids.TABLE} button", has_text="loop-1").wait_for()
        assert "theirs-1" not in unit.inner_text(f"#{ids.TABLE}")
        assert unit.locator(f"#{ids.TABLE} .dispatch-pick").count() == 0  # no bulk dispatch
        shot(unit, "dispatch-unit-mine.png")
        unit.locator(f"#{ids.TABLE} button", has_text="loop-1").click()
        wait_state(unit, "Dispatched")
        labels = unit.inner_text(f"#{ids.ACTION_BUTTONS}")
        assert "Handle" in labels and "Comment" in labels
        for other in ("Register", "Dispatch", "Verify", "Escalate"):
            assert other not in labels, other
        assert unit.locator(f"#{ids.ACTION_UNIT}").is_hidden()  # no unit to choose
        unit.fill(f"#{ids.ACTION_NOTE}", "Mediated on site; the wall stays")
        press(unit, "Handle")
        wait_message(unit, "Done: Handle")
        wait_state(unit, "Handled")
        wait_count(unit, "mine", 0)
        wait_count(unit, "verify", 1)
        assert "demo-unit · Unit staff" in unit.inner_text("#dispatch-timeline-list")
        shot(unit, "dispatch-unit-handled.png")
        # Another unit's case, even by its link: not there.
        unit.goto(base + "/dispatch/?incident=theirs-1")
        unit.locator(f"#{ids.DETAIL}", has_text="does not exist").wait_for()
        assert "Another unit's case" not in unit.inner_text("body")
        unit.goto(base + "/dispatch/?incident=loop-1")
        wait_state(unit, "Handled")

        # The commander verifies it.
        commander = open_page("demo-commander")
        commander.goto(base + "/dispatch/?incident=loop-1")
        wait_state(commander, "Handled")
        press(commander, "Verify")
        wait_message(commander, "Done: Verify")
        wait_state(commander, "Closed")
        timeline = commander.inner_text("#dispatch-timeline-list")
        expected = ("Register", "Dispatch", "Handle", "Verify", UNIT_EN, "demo-township",
                    "Mediated on site; the wall stays", "demo-commander", "demo-unit")  # fmt: skip
        for text in expected:
            assert text in timeline, text
        shot(commander, "dispatch-closed.png")

        # The township officer's open page shows the closed case without a reload.
        wait_state(township, "Closed")
        assert township.locator("#dispatch-timeline-list li").count() == 4
        # The unit person's open page follows too: closed, and out of their queues.
        wait_state(unit, "Closed")
        wait_count(unit, "verify", 0)
        assert foreign == []


def test_a_conflict_is_said_plainly(make_tiny_app, clock):
    require_chromium()
    # Pages that do not poll (an hour): the officer's page still shows the case as reported
    # when the commander registers it.
    app = make_tiny_app(clock=clock, refresh_seconds=3600)
    app.server.extensions["gridmap"].incident_store.insert(
        [incident("race-1", "T1111", 114.8075, 33.7075, reported_at=clock() - timedelta(minutes=5))]
    )
    with serve(app.server) as base, people(base) as (open_page, _foreign):
        township = open_page("demo-township")
        commander = open_page("demo-commander")
        for page in (township, commander):
            page.goto(base + "/dispatch/?incident=race-1")
            wait_state(page, "Reported")
        press(commander, "Register")
        wait_message(commander, "Done: Register")
        press(township, "Register")
        township.locator(".dispatch-conflict", has_text="Someone else acted first").wait_for()
        wait_state(township, "Registered")
        shot(township, "dispatch-conflict.png")


def test_new_cases_ring_unless_the_sound_is_off(live_app, clock):
    require_chromium()
    runtime = live_app.server.extensions["gridmap"]
    with serve(live_app.server) as base, people(base) as (open_page, _foreign):
        page = open_page("demo-commander")
        page.goto(base + "/dispatch/")
        page.wait_for_function(
            f"() => {{ const el = document.querySelector('#{ids.BADGE}');"
            f" return el !== null && /\\d/.test(el.textContent); }}"
        )
        before = int(count(page, "register"))
        runtime.incident_store.insert([incident("new-1", "T2111", 114.8425, 33.7025,
                                                reported_at=clock())])  # fmt: skip
        wait_count(page, "register", before + 1)
        page.wait_for_function("() => window.dispatchBench.chimes === 1")
        assert "dispatch-badge-alert" in page.get_attribute(f"#{ids.BADGE}", "class")
        shot(page, "dispatch-new-case.png")
        # Sound off: remembered in localStorage across a reload; the badge still signals.
        page.click(f"#{ids.SOUND_TOGGLE}")
        page.locator(f"#{ids.SOUND_TOGGLE}", has_text="Sound: off").wait_for()
        page.reload()
        page.locator(f"#{ids.SOUND_TOGGLE}", has_text="Sound: off").wait_for()
        wait_count(page, "register", before + 1)
        page.wait_for_timeout(1500)  # let the first counts set the baseline
        runtime.incident_store.insert([incident("new-2", "T2111", 114.8475, 33.7075,
                                                reported_at=clock())])  # fmt: skip
        wait_count(page, "register", before + 2)
        page.wait_for_function(
            f"() => document.querySelector('#{ids.BADGE}').className.includes('alert')"
        )
        assert page.evaluate("() => window.dispatchBench.chimes") == 0


def test_the_language_switch_reaches_every_text(live_app):
    require_chromium()
    with serve(live_app.server) as base, people(base) as (open_page, foreign):
        page = open_page("demo-township")
        page.goto(base + "/dispatch/?incident=old-1")
        wait_state(page, "Reported")
        page.click(f"#{ids.LANG_TOGGLE}")
        page.locator(f"{tab('register')}", has_text="待受理").wait_for()
        wait_state(page, "已上报")
        for text in ("待派遣", "已超期", "24小时内到期", "督办", "我的", "返回地图", "提示音"):
            assert text in page.inner_text("body"), text
        assert "受理立案" in page.inner_text(f"#{ids.ACTION_BUTTONS}")
        assert "已超期" in page.inner_text(f"#{ids.DETAIL}")
        shot(page, "dispatch-zh.png")
        assert foreign == []


def test_a_unit_persons_workbench_speaks_both_languages(live_app):
    require_chromium()
    with serve(live_app.server) as base, people(base) as (open_page, foreign):
        page = open_page("demo-unit")
        page.goto(base + "/dispatch/")
        page.locator(f"#{ids.USER_UNIT}", has_text=f"Unit: {UNIT_EN}").wait_for()
        page.click(f"#{ids.LANG_TOGGLE}")
        page.locator(f"#{ids.USER_UNIT}", has_text=f"所属单位：{UNIT}").wait_for()
        page.locator(tab("mine"), has_text="我的").wait_for()
        header = page.inner_text("header")
        assert "处置单位" in header
        for text in ("待核查", "已超期", "24小时内到期", "督办", "本单位只看到派遣给本单位的案件"):
            assert text in page.inner_text("body"), text
        assert "返回地图" not in page.inner_text("body")  # no map for a unit
        shot(page, "dispatch-unit-zh.png")
        assert foreign == []
