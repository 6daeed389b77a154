"""A district's own words: its level names (区/县/市, 乡镇/街道, ...) and "the whole district".

Set in ``district.json``::

    "level_names": {"1": {"zh": "县", "en": "County"}, "2": {"zh": "乡镇", "en": "Township"}},
    "whole_name": {"zh": "全县", "en": "Whole county"}

Levels left out keep the defaults of :data:`gridmap.grids.init_folder.DEFAULT_LEVEL_NAMES`
(区, 乡镇（街道）, 村（社区）, 四级网格, 五级网格); ``whole_name`` defaults to "全" and the
level-1 name when that is one character (全县, 全市), else 全区 / "Whole district".
"""

from __future__ import annotations

from collections.abc import Mapping

from gridmap.errors import Problem
from gridmap.grids.schema import LEVELS, LEVELS_TEXT, META_FILE
from gridmap.i18n import LANGUAGES, t


def _is_words(value: object) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= set(LANGUAGES)
        and bool(value)
        and all(isinstance(v, str) and v.strip() for v in value.values())
    )


def check_wording(meta: Mapping) -> list[Problem]:
    """Return the problems with ``level_names`` and ``whole_name`` of ``district.json``."""
    problems = []
    names = meta.get("level_names")
    if names is not None:
        if not isinstance(names, dict):
            message = f'level_names must map levels {LEVELS_TEXT} to {{"zh": ..., "en": ...}}'
            problems.append(Problem(META_FILE, "meta", message))
        else:
            for key, words in names.items():
                if str(key) not in {str(lv) for lv in LEVELS}:
                    message = f"level_names: {key!r} is not a level ({LEVELS_TEXT})"
                    problems.append(Problem(META_FILE, "meta", message))
                elif not _is_words(words):
                    message = (
                        f'level_names.{key} must be {{"zh": "...", "en": "..."}} with '
                        f"non-empty text, got {words!r}"
                    )
                    problems.append(Problem(META_FILE, "meta", message))
    whole = meta.get("whole_name")
    if whole is not None and not _is_words(whole):
        message = (
            f'whole_name must be {{"zh": "...", "en": "..."}} with non-empty text, got {whole!r}'
        )
        problems.append(Problem(META_FILE, "meta", message))
    return problems


def level_name(meta: Mapping, level: int, lang: str) -> str:
    """Return the name of ``level`` in ``lang``: district.json's, else the default."""
    names = meta.get("level_names")
    words = names.get(str(level)) if isinstance(names, dict) else None
    if _is_words(words) and words.get(lang):
        return words[lang]
    return t(f"level-{level}", lang)


def level_names(meta: Mapping, level: int) -> dict[str, str]:
    """Return ``{"zh": ..., "en": ...}``: the name of ``level`` in both languages."""
    return {lang: level_name(meta, level, lang) for lang in LANGUAGES}


def whole_name(meta: Mapping, lang: str) -> str:
    """Return the word for the whole district in ``lang`` (the wall's tour caption)."""
    whole = meta.get("whole_name")
    if _is_words(whole) and whole.get(lang):
        return whole[lang]
    names = meta.get("level_names")
    top = names.get("1") if isinstance(names, dict) else None
    if _is_words(top) and top.get(lang):
        word = top[lang]
        if lang == "zh":
            return f"全{word}" if len(word) == 1 else word
        return f"Whole {word.lower()}"
    return t("wall-tour-district", lang)


def district_word(meta: Mapping, lang: str) -> str:
    """Return the district's word for its own kind in ``lang`` (区, 县, 市; "County").

    The level-1 name of ``level_names`` (default 区 / "District"): the default units of the
    incident categories start with it (县人民调解中心).
    """
    return level_name(meta, 1, lang)
