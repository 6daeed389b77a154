"""Planner panels: the label saying how coverage was computed."""

from __future__ import annotations

from gridmap.i18n import t
from ui.planner_panels import method_label


def test_method_label_names_the_method_and_the_first_three_warnings():
    assert method_label("network", [], "en") == t("planner-method-network", "en")
    straight = t("planner-method-straight", "en")
    assert method_label("straight-line (approximation)", [], "zh") == t(
        "planner-method-straight", "zh"
    )
    label = method_label("straight", ["a", "b", "c", "d"], "en")
    assert label == f"{straight} · a; b; c"
