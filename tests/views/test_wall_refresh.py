"""The rules of a wall refresh (gridmap/views/wall_refresh.py): errors, language, state, texts."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from gridmap.errors import StoreError
from gridmap.views import wall_refresh as wr
from gridmap.views.wall import HEAT_DAYS

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "error",
    [
        sa.exc.OperationalError("SELECT 1", {}, Exception("database is locked")),
        OSError("disk gone"),
        StoreError("no table"),
    ],
)
def test_database_errors_make_the_wall_stale(error):
    assert wr.is_database_unavailable(error)


@pytest.mark.parametrize("error", [ValueError("bug"), KeyError("x"), ZeroDivisionError()])
def test_other_errors_are_not_the_database(error):
    assert not wr.is_database_unavailable(error)


def test_stale_state_and_epoch_ms():
    assert wr.stale_state(123) == {"at": 123, "kind": "database"}
    assert wr.epoch_ms(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)) == 1000


@pytest.mark.parametrize(
    ("settings", "lang"),
    [(None, "zh"), ({}, "zh"), ({"lang": "en"}, "en"), ({"lang": "klingon"}, "zh")],
)
def test_refresh_lang(settings, lang):
    assert wr.refresh_lang(settings) == lang


def test_refresh_state_changes_with_the_local_hour():
    state = wr.refresh_state(3, NOW, "en")
    assert state == {"version": 3, "key": "2026-06-15T10", "lang": "en", "scope": "*"}
    assert wr.refresh_state(3, NOW + timedelta(minutes=59), "en") == state
    assert wr.refresh_state(3, NOW + timedelta(hours=1), "en") != state


def test_refresh_state_changes_with_the_scope():
    assert wr.refresh_state(3, NOW, "en", "T1") != wr.refresh_state(3, NOW, "en", "T2")
    assert wr.refresh_state(3, NOW, "en", "T1")["scope"] == "T1"


@pytest.mark.parametrize(
    ("value", "expected"), [(0.5, 0.5), (math.nan, None), (math.inf, None), (None, None), (3, 3)]
)
def test_finite_or_none(value, expected):
    assert wr.finite_or_none(value) == expected


def test_heat_start():
    assert wr.heat_start(NOW) == NOW - timedelta(days=HEAT_DAYS)


def test_texts():
    texts = wr.client_texts("en")
    assert set(texts) == set(wr.CLIENT_TEXTS)
    assert texts["wall-updated"] == "Updated {n} s ago"
    legend, title = wr.page_texts(["wall-legend-heat", "wall-title"], "en")
    assert str(HEAT_DAYS) in legend and title


def test_the_tour_caption_uses_the_districts_own_word():
    from gridmap.views.wall_refresh import client_texts

    county = {"level_names": {"1": {"zh": "县", "en": "County"}}}
    assert client_texts("zh", county)["wall-tour-district"] == "全县"
    assert client_texts("en", county)["wall-tour-district"] == "Whole county"
    assert client_texts("zh")["wall-tour-district"] == "全区"
