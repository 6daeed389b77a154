"""The one translation table: every user-facing string, in Chinese and English."""

from __future__ import annotations

from gridmap.settings import LANGUAGES

TEXTS: dict[str, dict[str, str]] = {
    "app-title": {"zh": "网格化社会治理地图", "en": "Grid Governance Map"},
    "app-subtitle": {"zh": "五级网格 · 下钻查看", "en": "Five-level grids · drill down"},
    "demo-badge": {"zh": "演示数据（合成）", "en": "Demo data (synthetic)"},
    "demo-badge-title": {
        "zh": "区界为真实数据，其余网格、人口、警务室与道路均为合成演示数据",
        "en": "District outline is real; grids, population, posts and roads are synthetic",
    },
    "lang-toggle": {"zh": "English", "en": "中文"},
    "search-placeholder": {
        "zh": "搜索网格：名称、拼音或编号",
        "en": "Find a grid: name, pinyin or id",
    },
    "view-label": {"zh": "视图", "en": "View"},
    "view-drill": {"zh": "逐级下钻", "en": "Drill down"},
    "view-level": {"zh": "整层：第{level}级", "en": "Whole level {level}"},
    "metric-label": {"zh": "着色指标", "en": "Colour by"},
    "layers-label": {"zh": "图层", "en": "Layers"},
    "layer-posts": {"zh": "警务室", "en": "Police posts"},
    "layer-roads": {"zh": "道路", "en": "Roads"},
    "metric-population": {"zh": "人口", "en": "Population"},
    "metric-density": {"zh": "人口密度（人/km²）", "en": "Density (people/km²)"},
    "metric-area": {"zh": "面积（km²）", "en": "Area (km²)"},
    "metric-staff": {"zh": "网格员", "en": "Grid staff"},
    "metric-posts": {"zh": "警务室数", "en": "Police posts"},
    "metric-residents-per-staff": {"zh": "每名网格员服务人口", "en": "Residents per staff"},
    "level-1": {"zh": "区", "en": "District"},
    "level-2": {"zh": "乡镇（街道）", "en": "Township"},
    "level-3": {"zh": "村（社区）", "en": "Village"},
    "level-4": {"zh": "四级网格", "en": "Level-4 grid"},
    "level-5": {"zh": "五级网格", "en": "Level-5 grid"},
    "detail-title": {"zh": "网格详情", "en": "Grid details"},
    "detail-name": {"zh": "名称", "en": "Name"},
    "detail-level": {"zh": "层级", "en": "Level"},
    "detail-code": {"zh": "编码", "en": "Code"},
    "detail-chain": {"zh": "上级", "en": "Part of"},
    "detail-area": {"zh": "面积", "en": "Area"},
    "detail-population": {"zh": "人口", "en": "Population"},
    "detail-density": {"zh": "人口密度", "en": "Density"},
    "detail-staff": {"zh": "网格员", "en": "Grid staff"},
    "detail-children": {"zh": "下级网格", "en": "Child grids"},
    "detail-posts": {"zh": "辖区警务室", "en": "Police posts inside"},
    "detail-none": {"zh": "无", "en": "none"},
    "up": {"zh": "返回上级", "en": "Up one level"},
    "hover-population": {"zh": "人口", "en": "Population"},
    "hover-officers": {"zh": "辅警", "en": "Officers"},
    "hover-ebikes": {"zh": "电动车", "en": "E-bikes"},
    "post-trace": {"zh": "警务室", "en": "Police posts"},
    "map-hint": {
        "zh": "点击网格进入下一级；用上方路径或浏览器后退返回",
        "en": "Click a grid to drill in; use the path above or the back button to go up",
    },
    "unknown-grid": {"zh": "未找到网格 {grid}", "en": "No grid {grid}"},
    "no-results": {"zh": "无匹配网格", "en": "No matching grid"},
    "unit-km2": {"zh": "km²", "en": "km²"},
    "unit-people": {"zh": "人", "en": "people"},
    "unit-per-km2": {"zh": "人/km²", "en": "per km²"},
    "credit": {"zh": "底图由本系统绘制", "en": "Basemap drawn by this app"},
}


def t(key: str, lang: str, **values: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    try:
        text = TEXTS[key][lang]
    except KeyError:
        raise KeyError(f"no translation for {key!r}") from None
    return text.format(**values) if values else text


def name_of(record: dict, lang: str) -> str:
    """Return a grid's or post's display name in ``lang`` (English falls back to Chinese)."""
    if lang == "en":
        return str(record.get("name_en") or record.get("name_zh") or "")
    return str(record.get("name_zh") or record.get("name_en") or "")
