"""The translation table: complete in both languages, and every key the code uses exists."""

from __future__ import annotations

import re

import pytest

from gridmap.grids.metrics import METRICS
from gridmap.grids.schema import LEVELS
from gridmap.i18n import TEXTS, name_of, t
from gridmap.settings import LANGUAGES, ROOT

#: ``t("key",``, ``t('key')`` and ``_text("key",`` (the layout's translated spans), and the
#: ``("detail-...", value)`` rows of the detail panel, translated in a loop.
KEY_USE = re.compile(
    r"""\b(?:t|_text|Message)\(\s*["']([a-z0-9][a-z0-9-]*)["']\s*[,)]|\(\s*"(detail-[a-z0-9-]+)","""
)
SOURCES = ["app.py", "gridmap", "callbacks", "ui", "layers"]


def used_keys() -> dict[str, list[str]]:
    """Return {key: [files using it]} for every literal key passed to ``t``/``_text``."""
    found: dict[str, list[str]] = {}
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            for match in KEY_USE.finditer(file.read_text(encoding="utf-8")):
                key = match.group(1) or match.group(2)
                found.setdefault(key, []).append(str(file.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_key_has_both_languages(key):
    assert set(TEXTS[key]) == set(LANGUAGES)
    assert all(TEXTS[key][lang].strip() for lang in LANGUAGES)


def test_every_key_used_in_the_code_exists():
    used = used_keys()
    assert len(used) >= 30  # the pattern still finds the calls
    assert {"app-title", "detail-title", "detail-posts", "hover-officers", "up"} <= set(used)
    missing = {k: files for k, files in used.items() if k not in TEXTS}
    assert missing == {}


def test_computed_keys_exist():
    for metric in METRICS:
        assert f"metric-{metric}" in TEXTS
    for level in LEVELS:
        assert f"level-{level}" in TEXTS


def test_fields_are_filled():
    assert t("view-level", "en", level=5) == "Whole level 5"
    assert t("view-level", "zh", level=3) == "整层：第3级"
    assert t("unknown-grid", "en", grid="X1") == "No grid X1"


def test_unknown_key():
    with pytest.raises(KeyError, match="no translation for 'no-such-key'"):
        t("no-such-key", "en")


@pytest.mark.parametrize("lang", ["fr", "EN", ""])
def test_unknown_language(lang):
    with pytest.raises(ValueError, match=r"language must be one of \('zh', 'en'\)"):
        t("app-title", lang)


def test_name_of_falls_back():
    assert name_of({"name_zh": "东镇", "name_en": "Dong"}, "en") == "Dong"
    assert name_of({"name_zh": "东镇", "name_en": None}, "en") == "东镇"
    assert name_of({"name_zh": "", "name_en": "Dong"}, "zh") == "Dong"
    assert name_of({}, "zh") == ""
