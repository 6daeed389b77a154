"""The language callbacks (callbacks/language.py) through the Flask test client."""

from __future__ import annotations

import json

import pytest

from gridmap.i18n import TEXTS, t
from tests.dash_http import (
    call,
    response_of,
)
from ui import ids


@pytest.fixture(scope="module")
def district(tiny_app):
    return tiny_app.server.extensions["gridmap"].district


@pytest.mark.parametrize(("lang", "other"), [("zh", "en"), ("en", "zh")])
def test_language_toggle(client, lang, other):
    resp = call(
        client,
        [(ids.LANG_STORE, "data")],
        [(ids.LANG_TOGGLE, "n_clicks", 1)],
        state=[(ids.LANG_STORE, "data", lang)],
    )
    assert response_of(resp)[ids.LANG_STORE]["data"] == other


def i18n_keys(layout) -> list[str]:
    """Return the keys of every i18n-text component of the layout, in page order."""
    keys = []

    def walk(node):
        if isinstance(node, list | tuple):
            for n in node:
                walk(n)
            return
        if not hasattr(node, "to_plotly_json"):
            return
        cid = getattr(node, "id", None)
        if isinstance(cid, dict) and cid.get("type") == "i18n-text":
            keys.append(cid["index"])
        walk(getattr(node, "children", None))

    walk(layout)
    return keys


SINGLE_TEXT_OUTPUTS = [
    (ids.LANG_TOGGLE, "children"),
    (ids.SEARCH_DROPDOWN, "placeholder"),
    (ids.VIEW_SELECT, "options"),
    (ids.METRIC_SELECT, "options"),
    (ids.LAYER_CHECKLIST, "options"),
    (ids.DEMO_BADGE, "children"),
    (ids.DEMO_BADGE, "title"),
    (ids.DISTRICT_NAME, "children"),
    (ids.SEARCH_DROPDOWN, "labels"),
    (ids.VIEW_SELECT, "labels"),
    (ids.METRIC_SELECT, "labels"),
    (ids.MAP_CREDIT, "children"),
    (ids.MAP_CREDIT, "title"),
]


def translate(client, keys, lang):
    """Post the translate callback (its first output is an ALL pattern: built by hand)."""
    pattern = {"type": "i18n-text", "index": ["ALL"]}
    names = [json.dumps(pattern, sort_keys=True, separators=(",", ":")) + ".children"]
    names += [f"{i}.{p}" for i, p in SINGLE_TEXT_OUTPUTS]
    outputs = [[{"id": ids.text(k), "property": "children"} for k in keys]]
    outputs += [{"id": i, "property": p} for i, p in SINGLE_TEXT_OUTPUTS]
    body = {
        "output": ".." + "...".join(names) + "..",
        "outputs": outputs,
        "inputs": [{"id": ids.LANG_STORE, "property": "data", "value": lang}],
        "state": [],
        "changedPropIds": [f"{ids.LANG_STORE}.data"],
    }
    return response_of(client.post("/_dash-update-component", json=body))


def layout_of(app):
    """Return the app's layout tree (the layout is a function called per page load)."""
    return app.layout() if callable(app.layout) else app.layout


def test_layout_has_translated_texts(tiny_app):
    keys = i18n_keys(layout_of(tiny_app))
    assert {"app-title", "app-subtitle", "view-label", "metric-label", "map-hint"} <= set(keys)
    assert all(k in TEXTS for k in keys)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_translate_every_text(client, tiny_app, lang):
    other = "en" if lang == "zh" else "zh"
    keys = i18n_keys(layout_of(tiny_app))
    body = translate(client, keys, lang)
    for key in keys:
        sid = json.dumps(ids.text(key), sort_keys=True, separators=(",", ":"))
        assert body[sid]["children"] == t(key, lang)
        assert body[sid]["children"] != t(key, other)
    assert body[ids.LANG_TOGGLE]["children"] == t("lang-toggle", lang)
    assert body[ids.SEARCH_DROPDOWN]["placeholder"] == t("search-placeholder", lang)
    assert body[ids.DEMO_BADGE] == {
        "children": t("demo-badge", lang),
        "title": t("demo-badge-title", lang),
    }
    assert body[ids.DISTRICT_NAME]["children"] == {"zh": "测试区", "en": "Test District"}[lang]
    # The dropdowns' own texts ("Search", "No options found") follow the language too.
    for dropdown in (ids.SEARCH_DROPDOWN, ids.VIEW_SELECT, ids.METRIC_SELECT):
        labels = body[dropdown]["labels"]
        assert labels["search"] == {"zh": "搜索", "en": "Search"}[lang]
        assert (
            labels["no_options_found"] == {"zh": "没有匹配的选项", "en": "No options found"}[lang]
        )
        assert labels["selected_count"].count("{num_selected}") == 1
    views = body[ids.VIEW_SELECT]["options"]
    assert views[0] == {"label": t("view-drill", lang), "value": "drill"}
    assert views[-1] == {"label": t("view-level", lang, level=5), "value": "level-5"}
    metrics = body[ids.METRIC_SELECT]["options"]
    assert [m["label"] for m in metrics] == [t(f"metric-{m['value']}", lang) for m in metrics]
    assert {"label": t("layer-posts", lang), "value": "posts"} in body[ids.LAYER_CHECKLIST][
        "options"
    ]


@pytest.mark.parametrize(("lang", "expected"), [("zh", "测试数据：合成"), ("en", "Test data")])
def test_credit_line_follows_the_language(client, tiny_app, monkeypatch, lang, expected):
    district = tiny_app.server.extensions["gridmap"].district
    monkeypatch.setitem(district.meta, "attribution_zh", "测试数据：合成")
    body = translate(client, i18n_keys(layout_of(tiny_app)), lang)
    assert body[ids.MAP_CREDIT] == {"children": expected, "title": expected}


def test_credit_line_falls_back_to_the_plain_attribution(tiny_app):
    district = tiny_app.server.extensions["gridmap"].district
    assert "attribution_zh" not in district.meta
    assert district.attribution("zh") == district.attribution("en") == "Test data"


def test_coverage_layer_says_when_it_is_an_approximation():
    from ui.layout import layer_options

    network = {o["value"]: o["label"] for o in layer_options("en")}
    approx = {o["value"]: o["label"] for o in layer_options("en", approximate=True)}
    assert network["coverage"] == t("layer-coverage", "en")
    assert "approximation" in approx["coverage"]
    assert approx["gaps"] == network["gaps"]


def test_an_admin_sees_the_admin_link_and_others_do_not(tiny_app):
    from tests.auth_support import signed_in

    admin = str(signed_in(tiny_app, "demo-admin").get("/_dash-layout").get_json())
    commander = str(signed_in(tiny_app).get("/_dash-layout").get_json())
    assert "/admin/users" in admin and "/admin/users" not in commander
