"""A district without population or staff through the app: callbacks and API over HTTP."""

from __future__ import annotations

import pytest

from tests.auth_support import signed_in
from tests.bare_district import write_bare_district
from tests.dash_http import grids_of, operations, render, texts
from ui import ids


@pytest.fixture(scope="module")
def bare_app(make_tiny_app, tmp_path_factory):
    folder = write_bare_district(tmp_path_factory.mktemp("bare") / "geo")
    return make_tiny_app(data_dir=folder)


@pytest.fixture()
def bare_client(bare_app):
    return signed_in(bare_app)


@pytest.fixture(scope="module")
def bare(bare_app):
    return bare_app.server.extensions["gridmap"].district


@pytest.mark.parametrize(
    ("search", "shown"),
    [
        ("", ["T1", "T2"]),
        ("?grid=T111", ["T1111", "T1112"]),
        ("?grid=T1111", ["T1111", "T1112"]),
    ],
)
def test_the_default_metric_draws_every_grid_by_area(bare_client, bare, search, shown):
    resp = render(bare_client, search, metric="density")
    ops = operations(resp)
    assert grids_of(bare, ops[("data", 0, "locations")]) == shown
    values = ops[("data", 0, "z")]
    assert len(values) == len(shown) and all(v is not None and v > 0 for v in values)
    zmin, zmax = ops[("data", 0, "zmin")], ops[("data", 0, "zmax")]
    assert 0 < zmin <= zmax
    title = ops[("data", 0, "colorbar", "title", "text")]
    assert title.startswith("Area (km²) · no population in the data")


def test_the_whole_level_view_is_drawn(bare_client, bare):
    ops = operations(render(bare_client, "?view=level-5", metric="residents-per-staff"))
    values = ops[("data", 0, "z")]
    assert len(values) == 16 and None not in values
    assert "no population in the data" in ops[("data", 0, "colorbar", "title", "text")]


def test_the_detail_panel_shows_dashes_not_zero(bare_client):
    resp = render(bare_client, "?grid=T1")
    panel = texts(resp[ids.DETAIL_PANEL]["children"])
    assert panel.count("—") >= 3  # population, density and staff: unknown, without a unit
    assert "— people" not in panel and "— people/km²" not in panel
    assert not any(text.startswith("0 people") for text in panel)


def test_coverage_figures_say_unknown_for_people(bare_client):
    resp = bare_client.get("/api/v1/coverage")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    kpis = resp.get_json()["kpis"]
    assert kpis["population"] is None and kpis["uncovered_population"] is None
    assert kpis["population_share"] is None and kpis["area_share"] is not None


def test_the_metric_menu_offers_only_what_the_data_has(bare_client, client):
    def menu(c):
        layout = c.get("/_dash-layout").get_json()
        found = []

        def walk(node):
            if isinstance(node, dict):
                props = node.get("props", {})
                if props.get("id") == "map-metric-select":
                    found.append((props["value"], [o["value"] for o in props["options"]]))
                for v in props.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(layout)
        return found[0]

    value, options = menu(bare_client)
    assert value == "area" and "density" not in options and "population" not in options
    assert "area" in options and "posts" in options
    value, options = menu(client)  # the tiny district has population: everything, density first
    assert value == "density" and {"density", "population", "staff"} <= set(options)
