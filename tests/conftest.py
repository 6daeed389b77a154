"""Shared fixtures: a tiny synthetic district folder and an app built on it."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from tests.auth_support import signed_in
from tests.incident_fixtures import INCIDENTS, close_map_store, open_map_store


def pytest_configure(config):
    """Keep test apps off the repository's own database and skip the demo history load.

    Tests that want either pass ``database_url`` / ``demo_incidents`` in their config.
    """
    folder = Path(tempfile.mkdtemp(prefix="gridmap-tests-"))
    os.environ.setdefault("GRIDMAP_DATABASE_FILE", str(folder / "default.sqlite"))
    os.environ.setdefault("GRIDMAP_DEMO_INCIDENTS", "false")
    os.environ.setdefault("GRIDMAP_CACHE_DIR", str(folder / "cache"))
    os.environ.setdefault("GRIDMAP_SECRET_KEY_FILE", str(folder / "secret_key"))


ORIGIN = (114.80, 33.70)
SIZE = 0.08  # degrees: the tiny district is about 7.4 x 8.9 km


def _split(bounds: tuple[float, float, float, float], vertical: bool) -> list[tuple]:
    w, s, e, n = bounds
    if vertical:
        m = (w + e) / 2
        return [(w, s, m, n), (m, s, e, n)]
    m = (s + n) / 2
    return [(w, s, e, m), (w, m, e, n)]


def tiny_grids() -> gpd.GeoDataFrame:
    """Return a 1/2/4/8/16 hierarchy of rectangles, each level halving its parent."""
    x0, y0 = ORIGIN
    rows = [
        {
            "grid_id": "T",
            "parent_id": None,
            "level": 1,
            "name_zh": "测试区",
            "name_en": "Test District",
            "pinyin": "ce shi qu",
            "bounds": (x0, y0, x0 + SIZE, y0 + SIZE),
        }
    ]
    names = {2: ("东镇", "Dong Town", "dong zhen"), 3: ("李庄村", "Lizhuang Village", "li zhuang")}
    frontier = [rows[0]]
    for level in range(2, 6):
        nxt = []
        for parent in frontier:
            for i, b in enumerate(_split(parent["bounds"], vertical=level % 2 == 0), start=1):
                zh, en, py = names.get(level, ("网格", "Grid", "wang ge"))
                nxt.append(
                    {
                        "grid_id": f"{parent['grid_id']}{i}",
                        "parent_id": parent["grid_id"],
                        "level": level,
                        "name_zh": f"{zh}{parent['grid_id'][1:]}{i}",
                        "name_en": f"{en} {parent['grid_id'][1:]}{i}",
                        "pinyin": py,
                        "bounds": b,
                    }
                )
        rows += nxt
        frontier = nxt
    # Level-5 population 100..1600; parents sum their children.
    pop = {r["grid_id"]: 100 * (k + 1) for k, r in enumerate(frontier)}
    for r in sorted(rows, key=lambda r: -r["level"]):
        if r["level"] < 5:
            pop[r["grid_id"]] = sum(
                pop[c["grid_id"]] for c in rows if c["parent_id"] == r["grid_id"]
            )
    for r in rows:
        r["population"] = pop[r["grid_id"]]
        r["staff"] = 2 ** (5 - r["level"])
        r["code"] = r["grid_id"]
        r["kind"] = ""
    # Parents are the coverage union of their level-5 boxes, so they carry every child vertex.
    leaves = {r["grid_id"]: box(*r["bounds"]) for r in rows if r["level"] == 5}
    geoms = [
        shapely.coverage_union_all([g for k, g in leaves.items() if k.startswith(r["grid_id"])])
        for r in rows
    ]
    for r in rows:
        del r["bounds"]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


def write_tiny_district(folder: Path, demo: bool = False) -> Path:
    """Write the tiny district (grids, posts, roads, water, district.json) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    tiny_grids().to_file(folder / "grids.gpkg", driver="GPKG")
    x0, y0 = ORIGIN
    posts = gpd.GeoDataFrame(
        {
            "post_id": ["P1", "P2", "P3"],
            "name_zh": ["一号警务室", "二号警务室", "三号警务室"],
            "name_en": ["Post 1", "Post 2", "Post 3"],
            "officers": [1, 1, 2],
            "ebikes": [1, 1, 2],
        },
        geometry=[
            Point(x0 + 0.01, y0 + 0.01),
            Point(x0 + 0.05, y0 + 0.03),
            Point(x0 + 0.07, y0 + 0.07),
        ],
        crs="EPSG:4326",
    )
    posts.to_file(folder / "posts.gpkg", driver="GPKG")
    roads = gpd.GeoDataFrame(
        {
            "road_id": ["R1", "R2"],
            "road_class": ["arterial", "village"],
            "name_zh": ["一路", "二路"],
        },
        geometry=[
            LineString([(x0, y0 + 0.04), (x0 + 0.04, y0 + 0.04)]),
            LineString([(x0 + 0.04, y0 + 0.04), (x0 + 0.04, y0 + 0.08)]),
        ],
        crs="EPSG:4326",
    )
    roads.to_file(folder / "roads.gpkg", driver="GPKG")
    water = gpd.GeoDataFrame(
        {"name_zh": ["小湖"], "name_en": ["Small Lake"]},
        geometry=[box(x0 + 0.06, y0 + 0.01, x0 + 0.07, y0 + 0.02)],
        crs="EPSG:4326",
    )
    water.to_file(folder / "water.gpkg", driver="GPKG")
    meta = {
        "name_zh": "测试区",
        "name_en": "Test District",
        "demo": demo,
        "attribution": "Test data",
        "expected_counts": {"1": 1, "2": 2, "3": 4, "4": 8, "5": 16},
    }
    (folder / "district.json").write_text(json.dumps(meta, ensure_ascii=False))
    return folder


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    """Return a folder holding the tiny district (shared, never modified by tests)."""
    return write_tiny_district(tmp_path_factory.mktemp("tiny") / "geo", demo=True)


@pytest.fixture(scope="session")
def make_tiny_app(tiny_dir, tmp_path_factory):
    """Return a function building a dashboard on the tiny district with a database of its own.

    Its keyword arguments are settings added to (or overriding) the English, SimpleCache,
    no-demo-history defaults; ``clock`` (optional) is the app's clock.
    """
    from app import create_app

    def make(clock=None, **config):
        database = tmp_path_factory.mktemp("db") / "tiny.sqlite"
        settings = {
            "data_dir": tiny_dir,
            "lang": "en",
            "cache_type": "SimpleCache",
            "database_url": f"sqlite:///{database}",
            "demo_incidents": False,
            # Tests sign in hundreds of times: the limits of the sign-in tests are their own.
            "login_limit": "100000 per minute",
            "login_name_limit": "100000 per minute",
        }
        return create_app({**settings, **config}, **({"clock": clock} if clock else {}))

    return make


@pytest.fixture(scope="session")
def tiny_app(make_tiny_app):
    """Return the dashboard built on the tiny district (English default, its own database)."""
    return make_tiny_app()


@pytest.fixture()
def client(tiny_app):
    """Return a Flask test client of the tiny app."""
    return signed_in(tiny_app)


@pytest.fixture(scope="session")
def make_clocked_app(make_tiny_app):
    """Return ``make(clock, **config)``: :func:`make_tiny_app` with the app reading ``clock``."""
    return make_tiny_app


@pytest.fixture(scope="session")
def tiny_district(tiny_dir):
    """Return the tiny district loaded as a District (shared: do not modify it)."""
    from gridmap.grids.district import load_district

    return load_district(tiny_dir)


# -- incident stores on both backends (tests of incidents and the demo history) -----------
@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request, tmp_path):
    """Yield an empty store on SQLite (a file) or PostgreSQL (unique tables, dropped after)."""
    store = open_map_store(request.param, tmp_path)
    try:
        yield store
    finally:
        close_map_store(store, request.param)


@pytest.fixture()
def store(empty_store):
    """Return a store holding the INCIDENTS of tests/incident_fixtures.py."""
    empty_store.insert(INCIDENTS)
    return empty_store


@pytest.fixture(scope="module")
def district(tiny_dir):
    """Return the tiny district (module-scoped)."""
    from gridmap.grids.district import load_district

    return load_district(tiny_dir)
