"""Planner panels: the label saying how coverage was computed."""

from __future__ import annotations

import pytest

from gridmap.i18n import t
from ui.planner_panels import kpi_tiles, method_label, site_text


def test_method_label_names_the_method_and_the_first_three_warnings():
    assert method_label("network", [], "en") == t("planner-method-network", "en")
    straight = t("planner-method-straight", "en")
    assert method_label("straight-line (approximation)", [], "zh") == t(
        "planner-method-straight", "zh"
    )
    label = method_label("straight", ["a", "b", "c", "d"], "en")
    assert label == f"{straight} · a; b; c"


def delta_of(tiles: list, tile_id: str) -> tuple[str, str]:
    tile = next(x for x in tiles if x.id == tile_id)
    delta = tile.children[2]
    return delta.children, delta.className


@pytest.mark.parametrize(
    ("now", "base", "text", "cls"),
    [
        (1000.0, 3000.0, "-2,000", "kpi-delta up"),  # fewer people not covered: better
        (3000.0, 1000.0, "+2,000", "kpi-delta down"),
        (1000.0, 1000.0, "±0", "kpi-delta"),
    ],
)
def test_people_not_covered_are_green_when_they_fall(now, base, text, cls):
    tiles = kpi_tiles({"uncovered_population": now}, {"uncovered_population": base}, "en")
    assert delta_of(tiles, "planner-kpi-uncovered") == (text, cls)


@pytest.mark.parametrize(("lang", "unit"), [("en", " pp"), ("zh", "个百分点")])
def test_share_changes_are_in_percentage_points(lang, unit):
    kpis = {"population_share": 0.5, "incident_share": 0.25, "area_share": 0.1}
    base = {"population_share": 0.4, "incident_share": 0.5, "area_share": 0.1}
    tiles = kpi_tiles(kpis, base, lang)
    assert delta_of(tiles, "planner-kpi-population") == (f"+10.0{unit}", "kpi-delta up")
    assert delta_of(tiles, "planner-kpi-incidents") == (f"-25.0{unit}", "kpi-delta down")
    assert delta_of(tiles, "planner-kpi-area") == (f"±0{unit}", "kpi-delta")


def test_a_site_is_named_by_its_township_and_village():
    site = {"adds": 11733.2, "township_zh": "城关镇", "township_en": "Chengguan Town",
            "village_zh": "李庄村", "village_en": None}  # fmt: skip
    assert site_text(1, site, "zh") == "候选点1（城关镇 · 李庄村）：+11,733"
    assert site_text(1, site, "en") == "Site 1 (Chengguan Town · 李庄村): +11,733"
    assert site_text(2, {"adds": 5}, "en") == "Site 2: +5"


def test_method_label_shows_warnings_in_the_pages_language():
    from gridmap.messages import Message

    warnings = [Message("coverage-no-roads", speed="15", detour="1.3"), "plain"]
    label = method_label("straight", warnings, "zh")
    assert "无道路数据：按直线距离近似（半径 = 15 km/h × 时间 ÷ 绕行系数 1.3）; plain" in label


@pytest.mark.parametrize(("lang", "note"), [("zh", "本辖区没有人口数据"), ("en", "No population")])
def test_a_suggestion_by_area_says_so(lang, note):
    from ui.planner_panels import suggestion_panel

    data = {
        "weight": "area",
        "sites": [{"rank": 1, "lon": 1.0, "lat": 2.0, "adds": 3.0}],
        "solver": {"method": "milp"},
        "seconds": 0.1,
        "kpis_before": {},
        "kpis_after": {},
    }
    panel = suggestion_panel(data, lang)
    assert panel[0].className == "suggest-note" and panel[0].children.startswith(note)
    plain = suggestion_panel({**data, "weight": "population"}, lang)
    assert getattr(plain[0], "className", None) != "suggest-note"


def test_the_worst_table_says_unknown_people_are_unknown():
    from ui.planner_panels import worst_table

    rows = [
        {"rank": 1, "name_zh": "东关1村", "population": None, "covered_population": None},
        {"rank": 2, "name_zh": "李庄村", "population": 1200, "covered_population": 200.0},
    ]
    table = worst_table(rows, "zh")
    body = table.children[1].children
    assert body[0].children[3].children == "—"
    assert body[1].children[3].children == "1,000"


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        ("milp", "integer programming", "整数规划"),
        ("greedy", "greedy", "贪心算法"),
        ("optimal", "proven optimal", "已证明最优"),
        ("time limit", "time limit reached", "达到时限"),
        (
            "greedy (MILP time limit was not better)",
            t("solver-fallback", "en"),
            "整数规划未胜过贪心，采用贪心结果",
        ),
    ],
)
def test_solver_methods_and_statuses_are_written_in_the_language(value, en, zh):
    from ui.planner_panels import solver_word

    assert solver_word(value, "en") == en and solver_word(value, "zh") == zh


def test_a_tiny_negative_difference_never_reads_minus_zero():
    from ui.planner_panels import _value

    assert _value("minutes", -0.01, "en", signed=True) == "0.0 min"
    assert _value("minutes", -0.06, "en", signed=True) == "-0.1 min"
    assert _value("share", -0.0001, "en", signed=True) == "0.0" + t("unit-pp", "en")
    assert _value("count", -0.4, "en", signed=True) == "0"


def test_a_difference_shown_as_zero_is_not_coloured():
    from ui.planner_panels import _better_class

    row = {"kind": "minutes", "better": "b"}
    assert _better_class({**row, "diff": -0.01}) == ""
    assert _better_class({**row, "diff": -0.2}) == "up"
    assert _better_class({**row, "diff": None, "better": None}) == ""
    assert _better_class({"kind": "share", "better": "a", "diff": -0.004}) == "down"
