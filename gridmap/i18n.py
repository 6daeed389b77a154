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
    "nav-map": {"zh": "网格地图", "en": "Grid map"},
    "nav-planner": {"zh": "警务室规划", "en": "Post planner"},
    "nav-wall": {"zh": "指挥大屏", "en": "Wall display"},
    "planner-title": {"zh": "5分钟警务圈规划", "en": "5-minute police circle planner"},
    "planner-hint": {
        "zh": "点击地图空白处新增候选警务室；点击现有警务室停用/恢复；点击候选点删除",
        "en": "Click the map to add a post; click a post to take it out of service or back; "
        "click a new post to remove it",
    },
    "planner-minutes": {"zh": "到达时限（分钟）", "en": "Minutes"},
    "planner-speed": {"zh": "车速系数", "en": "Speed factor"},
    "planner-reset": {"zh": "恢复现状", "en": "Reset"},
    "planner-kpis": {"zh": "覆盖指标（与现状比较）", "en": "Coverage (against the posts today)"},
    "kpi-population": {"zh": "覆盖人口", "en": "Population covered"},
    "kpi-area": {"zh": "覆盖面积", "en": "Area covered"},
    "kpi-incidents": {"zh": "覆盖事件", "en": "Incidents covered"},
    "kpi-posts": {"zh": "在用警务室", "en": "Posts in service"},
    "kpi-uncovered": {"zh": "未覆盖人口", "en": "People not covered"},
    "planner-worst": {"zh": "覆盖最差的网格", "en": "Worst-covered grids"},
    "planner-worst-level": {"zh": "层级", "en": "Level"},
    "planner-suggest": {"zh": "推荐新增警务室", "en": "Suggest new posts"},
    "planner-suggest-k": {"zh": "新增数量", "en": "New posts"},
    "planner-suggest-weight": {"zh": "优化目标", "en": "Maximise"},
    "planner-suggest-run": {"zh": "计算推荐", "en": "Suggest"},
    "planner-suggest-apply": {"zh": "加入方案", "en": "Add to scenario"},
    "planner-suggest-result": {
        "zh": "推荐{k}处（{method}，{seconds:.1f}秒）：新增覆盖{added:,.0f}",
        "en": "{k} sites ({method}, {seconds:.1f} s): {added:,.0f} more covered",
    },
    "planner-site": {"zh": "候选点{n}：+{adds:,.0f}", "en": "Site {n}: +{adds:,.0f}"},
    "planner-save": {"zh": "保存方案", "en": "Save scenario"},
    "planner-save-name": {"zh": "方案名称", "en": "Scenario name"},
    "planner-saved": {"zh": "已保存的方案", "en": "Saved scenarios"},
    "planner-saved-ok": {"zh": "已保存：{name}", "en": "Saved: {name}"},
    "planner-share": {"zh": "分享链接（复制地址栏）", "en": "Share: copy the address bar"},
    "planner-export-geojson": {"zh": "导出 GeoJSON", "en": "Export GeoJSON"},
    "planner-export-csv": {"zh": "导出 CSV", "en": "Export CSV"},
    "planner-method-network": {"zh": "按道路网络计算", "en": "along the road network"},
    "planner-method-straight": {
        "zh": "近似：无道路数据，按直线距离估算",
        "en": "approximation: no roads, straight-line distance",
    },
    "planner-new-post": {"zh": "新增警务室", "en": "New post"},
    "planner-suggested": {"zh": "推荐点", "en": "Suggested site"},
    "planner-out-of-service": {"zh": "停用", "en": "out of service"},
    "layer-coverage": {"zh": "5分钟覆盖", "en": "5-min coverage"},
    "layer-gaps": {"zh": "覆盖盲区", "en": "Coverage gaps"},
    "metric-coverage-population": {"zh": "人口覆盖率", "en": "Population covered"},
    "metric-coverage-area": {"zh": "面积覆盖率", "en": "Area covered"},
    "weight-population": {"zh": "覆盖人口", "en": "Population"},
    "weight-incidents": {"zh": "覆盖事件", "en": "Incidents"},
    "error": {"zh": "错误：{message}", "en": "Error: {message}"},
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
