"""A district's ``dispatch.json``: deadlines by category, checked, naming the file and field."""

from __future__ import annotations

import json

import pytest

from gridmap.errors import DataError
from gridmap.incidents.categories import Category
from gridmap.incidents.deadlines import Limits
from gridmap.incidents.dispatch_config import DISPATCH_FILE, load_dispatch_limits, read_limits


def write(folder, data):
    (folder / DISPATCH_FILE).write_text(
        data if isinstance(data, str) else json.dumps(data), "utf-8"
    )


def test_without_the_file_the_defaults(tmp_path):
    limits, problems = read_limits(tmp_path)
    assert problems == [] and limits["fire"] == Limits(1.0, 2.0, 72.0)


def test_overrides_apply(tmp_path):
    write(tmp_path, {"deadlines": {"fire": {"close": 48}, "petition": {"register": 12}}})
    limits = load_dispatch_limits(tmp_path)
    assert limits["fire"] == Limits(1.0, 2.0, 48.0)
    assert limits["petition"].register == 12.0


def test_a_districts_own_category_gets_its_groups_defaults(tmp_path):
    own = (Category("market", "集市", "Market", "service", "市场监管所", "Market office"),)
    write(tmp_path, {"deadlines": {"market": {"close": 24}}})
    limits = load_dispatch_limits(tmp_path, own)
    assert limits == {"market": Limits(4.0, 8.0, 24.0)}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "cannot read the JSON"),
        ([1], "must hold an object"),
        ({"units": []}, "unknown key(s) units"),
        ({"deadlines": {"dragons": {"close": 1}}}, "deadlines.dragons: unknown category"),
        ({"deadlines": {"fire": {"close": -1}}}, "deadlines.fire.close: hours must be"),
        ({"deadlines": {"fire": {"register": 99}}}, "register <= dispatch <= close"),
    ],
)
def test_broken_files_are_named(tmp_path, data, message):
    write(tmp_path, data)
    with pytest.raises(DataError) as caught:
        load_dispatch_limits(tmp_path)
    text = str(caught.value)
    assert DISPATCH_FILE in text and message in text
