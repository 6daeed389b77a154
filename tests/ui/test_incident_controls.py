"""The option lists of the incident controls, in both languages."""

from __future__ import annotations

import pytest

from ui.incident_controls import category_options, rank_options, status_options, step_options


@pytest.mark.parametrize(
    ("lang", "labels"),
    [("en", ["By count", "Per 1,000 residents"]), ("zh", ["按事件数", "按每千人"])],
)
def test_rank_options(lang, labels):
    options = rank_options(lang)
    assert [o["value"] for o in options] == ["count", "per_1000"]
    assert [o["label"] for o in options] == labels


def test_other_options_values():
    assert [o["value"] for o in step_options("en")] == ["day", "week"]
    assert [o["value"] for o in status_options("en")] == [
        "reported", "dispatched", "resolved", "closed",
    ]  # fmt: skip
    assert len(category_options("zh")) == len({o["value"] for o in category_options("zh")})
