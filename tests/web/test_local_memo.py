"""Memos in the worker's memory: bounded, one table per app, failures never kept."""

from __future__ import annotations

import pytest
from flask import Flask

from web.local_memo import clear_local_memos, local_memo

calls: list[tuple] = []


@local_memo(2)
def doubled(x: int, *, fail: bool = False) -> int:
    calls.append((x, fail))
    if fail:
        raise ValueError("no")
    return 2 * x


@pytest.fixture(autouse=True)
def _fresh():
    calls.clear()


def test_a_value_is_computed_once_and_the_oldest_goes_first():
    app = Flask(__name__)
    with app.app_context():
        assert [doubled(1), doubled(1), doubled(2)] == [2, 2, 4]
        assert calls == [(1, False), (2, False)]
        doubled(3)  # holds 2 and 3 now: 1 was used least recently
        doubled(1)
        assert calls[-1] == (1, False)
        doubled(3)
        assert len(calls) == 4


def test_two_apps_never_share_a_value_and_clearing_forgets():
    first, second = Flask("first"), Flask("second")
    with first.app_context():
        doubled(5)
    with second.app_context():
        doubled(5)
    assert calls == [(5, False), (5, False)]
    clear_local_memos(first)
    with first.app_context():
        doubled(5)
    assert len(calls) == 3


def test_what_fails_is_asked_again():
    app = Flask(__name__)
    with app.app_context():
        for _ in range(2):
            with pytest.raises(ValueError):
                doubled(7, fail=True)
    assert calls == [(7, True), (7, True)]
