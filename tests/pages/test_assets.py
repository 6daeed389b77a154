"""Each page's served HTML lists only its own scripts and styles."""

from __future__ import annotations

import re

import pytest

from pages.assets import PAGE_ASSETS, assets_ignore

ALL_ASSETS = sorted({name for names in PAGE_ASSETS.values() for name in names})


def listed_assets(html: str) -> set[str]:
    return set(re.findall(r"/assets/([\w.-]+\.(?:js|css))", html))


@pytest.mark.parametrize(
    ("path", "page"),
    [("/", "main"), ("/planner/", "planner"), ("/wall/", "wall"), ("/dispatch/", "dispatch")],
)
def test_each_page_lists_only_its_own_assets(client, path, page):
    html = client.get(path).get_data(as_text=True)
    scripts = {name for name in PAGE_ASSETS[page] if name.endswith((".js", ".css"))}
    assert listed_assets(html) == scripts


def test_only_the_planner_polls_for_map_clicks(client):
    assert "map_click.js" not in client.get("/").get_data(as_text=True)
    assert "map_click.js" not in client.get("/wall/").get_data(as_text=True)
    assert "map_click.js" in client.get("/planner/").get_data(as_text=True)


@pytest.mark.parametrize("page", sorted(PAGE_ASSETS))
def test_assets_ignore_matches_every_other_file(page):
    pattern = re.compile(assets_ignore(page))
    for name in ALL_ASSETS + ["new.js", "style.css.map"]:
        assert bool(pattern.search(name)) is (name not in PAGE_ASSETS[page]), name


def test_the_workbench_chime_is_served_from_its_own_assets(client):
    answer = client.get("/dispatch/assets/notify.wav")
    body = answer.data
    answer.close()
    assert answer.status_code == 200
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    assert len(body) < 8_000
