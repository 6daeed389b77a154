"""Column mapping: the names a county's GIS files use for the schema's columns.

A ``columns`` section of ``district.json`` maps schema columns to the file's own, per layer
(``{"columns": {"grids": {"grid_id": "WGBM", "name_zh": "WGMC"}}}``). Without one, the common
names below are recognised when the schema's own name is absent and exactly one alias is present.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gridmap.errors import Problem
from gridmap.grids.schema import LAYERS, META_FILE, Layer

#: Names recognised for each schema column, per layer, lower-cased (Chinese as written).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "grids": {
        "grid_id": ("id", "gid", "编码", "网格编码", "网格编号", "代码", "wgbm"),
        "parent_id": (
            "parent",
            "pid",
            "parent_code",
            "上级编码",
            "上级网格编码",
            "父级编码",
            "sjbm",
        ),
        "level": ("lvl", "grade", "级别", "层级", "网格级别", "wgjb"),
        "name_zh": ("name", "名称", "网格名称", "名字", "wgmc"),
        "name_en": ("english", "name_english", "英文名", "英文名称"),
        "pinyin": ("py", "拼音"),
        "code": ("adcode", "行政区划代码", "区划代码"),
        "population": ("pop", "people", "人口", "常住人口", "户籍人口", "rk"),
        "staff": ("members", "网格员", "网格员数", "网格员人数"),
        "kind": ("type", "类型", "类别"),
    },
    "posts": {
        "post_id": ("id", "编号", "编码", "警务室编号"),
        "name_zh": ("name", "名称", "警务室名称", "警务室"),
        "name_en": ("english", "英文名"),
        "officers": ("police", "民警", "警力", "人数"),
        "ebikes": ("bikes", "电动车", "电动自行车"),
    },
    "roads": {
        "road_id": ("id", "osm_id", "编号", "道路编号"),
        "road_class": ("class", "fclass", "highway", "type", "等级", "道路等级", "技术等级"),
        "speed_kmh": ("speed", "速度"),
        "name_zh": ("name", "名称", "道路名称", "路名"),
    },
    "water": {
        "name_zh": ("name", "名称", "水系名称"),
        "name_en": ("english", "英文名"),
    },
}

_LAYER = {layer.stem: layer for layer in LAYERS}


def check_mapping(meta: Mapping) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Return the ``columns`` section of ``district.json`` and the problems with it."""
    section = meta.get("columns")
    if section is None:
        return {}, []
    if not isinstance(section, dict):
        return {}, [Problem(META_FILE, "meta", "columns must map layers to {column: file column}")]
    out: dict[str, dict[str, str]] = {}
    problems = []
    for stem, columns in section.items():
        layer = _LAYER.get(stem)
        if layer is None:
            known = ", ".join(_LAYER)
            problems.append(
                Problem(META_FILE, "meta", f"columns: unknown layer {stem!r} ({known})")
            )
            continue
        if not isinstance(columns, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            message = f"columns.{stem} must map schema columns to file column names (text)"
            problems.append(Problem(META_FILE, "meta", message))
            continue
        names = {c.name for c in layer.columns}
        unknown = sorted(set(columns) - names)
        if unknown:
            schema = ", ".join(sorted(names))
            message = f"columns.{stem}: {', '.join(unknown)} not in the schema ({schema})"
            problems.append(Problem(META_FILE, "meta", message))
            continue
        out[stem] = dict(columns)
    return out, problems


def resolve_columns(
    layer: Layer, present: Iterable[str], explicit: Mapping[str, str] | None, file: str
) -> tuple[dict[str, str], list[Problem]]:
    """Return {file column: schema column} renames for ``layer`` and the problems found.

    Parameters
    ----------
    layer : Layer
        The schema layer.
    present : iterable of str
        The file's column names.
    explicit : mapping, optional
        ``district.json``'s mapping for this layer (schema column -> file column).
    file : str
        The file's name, for problems.
    """
    present = list(present)
    renames: dict[str, str] = {}
    problems = []
    for schema, source in (explicit or {}).items():
        if source not in present:
            message = (
                f"{META_FILE} maps {schema} to column {source!r}, which the file lacks "
                f"(columns: {', '.join(present)})"
            )
            problems.append(Problem(file, "column-mapping", message))
        elif source != schema:
            renames[source] = schema
    lowered = {name.lower(): name for name in present}
    for column in layer.columns:
        name = column.name
        if name in present or name in renames.values() or name in (explicit or {}):
            continue
        hits = [lowered[a] for a in ALIASES.get(layer.stem, {}).get(name, ()) if a in lowered]
        hits = [h for h in hits if h not in renames]
        if len(hits) == 1:
            renames[hits[0]] = name
        elif len(hits) > 1:
            message = (
                f"{name} could be any of the columns {', '.join(hits)}: name one in "
                f'{META_FILE} ("columns": {{"{layer.stem}": {{"{name}": "..."}}}})'
            )
            problems.append(Problem(file, "column-mapping", message))
    return renames, problems
