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
        ({"units": []}, "unknown key(s) units (known: deadlines)"),
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


# -- ``python app.py check``: every problem of dispatch.json, naming the file, entry and field --
@pytest.mark.parametrize(
    ("data", "lines"),
    [
        ("{not json", ["dispatch.json: [dispatch]: cannot read the JSON: Expecting property "
                       "name enclosed in double quotes: line 1 column 2 (char 1)"]),
        ([1], ['dispatch.json: [dispatch]: the file must hold an object like {"deadlines": '
               "{...}}"]),
        ({"units": [], "deadline": {}},
         ["dispatch.json: [dispatch]: unknown key(s) deadline, units (known: deadlines)"]),
        ({"deadlines": [1]},
         ['dispatch.json: [deadlines]: deadlines: must map category ids to stages, like '
          '{"fire": {"close": 48}}, got [1]']),
        ({"deadlines": {"dragons": {"close": 1}}},
         ["dispatch.json: [deadlines] dragons: deadlines.dragons: unknown category (known: "
          "neighbourhood, family, land, labour, security, fire, flood, traffic, environment, "
          "petition, epidemic, other)"]),
        ({"deadlines": {"fire": 48}},
         ['dispatch.json: [deadlines] fire: deadlines.fire: must map stages to hours, like '
          '{"close": 48} (stages: register, dispatch, close), got 48']),
        ({"deadlines": {"fire": {}}},
         ['dispatch.json: [deadlines] fire: deadlines.fire: must map stages to hours, like '
          '{"close": 48} (stages: register, dispatch, close), got {}']),
        ({"deadlines": {"fire": {"close": -1, "register": 0, "dispatch": None}}},
         ["dispatch.json: [deadlines] fire: deadlines.fire.close: hours must be a number > 0, "
          "got -1",
          "dispatch.json: [deadlines] fire: deadlines.fire.register: hours must be a number "
          "> 0, got 0",
          "dispatch.json: [deadlines] fire: deadlines.fire.dispatch: hours must be a number "
          "> 0, got None"]),
        ({"deadlines": {"fire": {"close": "48"}, "flood": {"close": True}}},
         ["dispatch.json: [deadlines] fire: deadlines.fire.close: hours must be a number > 0, "
          "got '48'",
          "dispatch.json: [deadlines] flood: deadlines.flood.close: hours must be a number > 0, "
          "got True"]),
        ('{"deadlines": {"fire": {"close": Infinity}}}',
         ["dispatch.json: [deadlines] fire: deadlines.fire.close: hours must be a finite "
          "number, got inf"]),
        ({"deadlines": {"fire": {"finish": 3}}},
         ["dispatch.json: [deadlines] fire: deadlines.fire.finish: unknown stage (one of "
          "register, dispatch, close)"]),
        ({"deadlines": {"fire": {"register": 99}, "land": {"close": 1}}},
         ["dispatch.json: [deadlines] fire: deadlines.fire: register <= dispatch <= close "
          "hours, got {'register': 99.0, 'dispatch': 2.0, 'close': 72.0}",
          "dispatch.json: [deadlines] land: deadlines.land: register <= dispatch <= close "
          "hours, got {'register': 2.0, 'dispatch': 4.0, 'close': 1.0}"]),
    ],
)  # fmt: skip
def test_check_lists_every_problem_of_dispatch_json(tmp_path, data, lines):
    from gridmap.grids.loader import check_folder
    from tests.conftest import write_tiny_district

    folder = write_tiny_district(tmp_path / "geo")
    write(folder, data)
    _, problems = check_folder(folder)
    assert [str(p) for p in problems] == lines
    assert all(p.file == DISPATCH_FILE for p in problems)


def test_check_knows_a_districts_own_categories(tmp_path):
    from gridmap.grids.loader import check_folder
    from tests.conftest import write_tiny_district

    folder = write_tiny_district(tmp_path / "geo")
    own = [{"id": "market", "zh": "集市", "en": "Market", "group": "service",
            "unit_zh": "市场监管所", "unit_en": "Market office"}]  # fmt: skip
    (folder / "categories.json").write_text(json.dumps(own), "utf-8")
    write(folder, {"deadlines": {"market": {"close": 24}}})
    assert check_folder(folder)[1] == []
    write(folder, {"deadlines": {"fire": {"close": 24}}})  # not one of this district's
    assert [str(p) for p in check_folder(folder)[1]] == [
        "dispatch.json: [deadlines] fire: deadlines.fire: unknown category (known: market)"
    ]


def test_the_app_refuses_to_start_on_what_check_reports(tmp_path):
    from app import create_app
    from tests.conftest import write_tiny_district

    folder = write_tiny_district(tmp_path / "geo")
    write(folder, {"deadlines": {"fire": {"close": -1}}})
    with pytest.raises(DataError, match=r"deadlines\.fire\.close: hours must be a number > 0"):
        create_app({"data_dir": folder, "cache_type": "SimpleCache", "demo_incidents": False,
                    "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}"})  # fmt: skip
