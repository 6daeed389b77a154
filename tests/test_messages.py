"""Texts in both languages carried by warnings and errors (gridmap/messages.py)."""

from __future__ import annotations

import json
import pickle

import pytest

from gridmap.errors import CoverageError, MCLPError, ScenarioError
from gridmap.messages import Message, text_of


def test_a_message_is_its_english_text_and_translates():
    m = Message("coverage-new-post-far", n=2, metres="512")
    assert m == "new post new-2 is 512 m from the nearest road"
    assert m.text("zh") == "新增警务室 new-2 距最近道路 512 米"
    assert m.text("en") == str(m)
    assert json.dumps([m]) == json.dumps(["new post new-2 is 512 m from the nearest road"])


def test_a_message_survives_pickling_as_the_cache_stores_it():
    m = Message("coverage-roads-unreached", share="3.0%", km="1.2", pieces=2)
    back = pickle.loads(pickle.dumps(m))
    assert isinstance(back, Message) and back == m and back.text("zh") == m.text("zh")


def test_an_unknown_key_is_refused():
    with pytest.raises(KeyError, match="no translation for 'no-such-key'"):
        Message("no-such-key")


@pytest.mark.parametrize(
    ("item", "zh"),
    [
        (Message("coverage-no-post"), "没有在用的警务室：无任何覆盖"),
        (CoverageError(Message("coverage-roads-empty"), parameter="roads"), "道路图层为空"),
        (
            MCLPError(Message("suggest-nothing-area", minutes="5")),
            "无需推荐：辖区各处都已在 5 分钟内",
        ),
        (ScenarioError("plain text stays"), "plain text stays"),
        ("a plain warning", "a plain warning"),
    ],
)
def test_text_of_translates_messages_and_leaves_plain_text(item, zh):
    assert text_of(item, "zh") == zh


def test_an_error_with_a_message_keeps_its_english_str_and_parameter():
    error = CoverageError(Message("coverage-new-post-outside", n=1, at="(1.0, 2.0)"), parameter="x")
    assert str(error) == "extra_posts: new post #1 at (1.0, 2.0) is outside the district"
    assert error.parameter == "x"
