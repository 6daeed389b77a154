"""Road classes as county files and OpenStreetMap write them, mapped onto the schema's classes.

The schema knows five classes (``arterial``, ``county``, ``village``, ``street``, ``path``) with
the e-bike speeds of docs/coverage.md. Chinese administrative classes (国道, 省道, 县道, 乡道,
村道, 城市道路) and OpenStreetMap ``highway=*`` values map onto them; motorways (高速公路,
``motorway``), which e-bikes may not use, map to None and are left out of the road graph.
"""

from __future__ import annotations

#: Written class (lower-cased) -> schema class; None: not usable by an e-bike.
ROAD_CLASS_ALIASES: dict[str, str | None] = {
    # Chinese administrative and urban classes.
    "国道": "arterial",
    "省道": "arterial",
    "一级公路": "arterial",
    "城市快速路": "arterial",
    "城市主干道": "arterial",
    "主干道": "arterial",
    "县道": "county",
    "二级公路": "county",
    "城市次干道": "street",
    "次干道": "street",
    "城市道路": "street",
    "街道": "street",
    "支路": "street",
    "乡道": "village",
    "村道": "village",
    "三级公路": "village",
    "四级公路": "village",
    "专用公路": "village",
    "机耕路": "path",
    "小路": "path",
    "步行道": "path",
    "高速公路": None,
    # OpenStreetMap highway=* values.
    "trunk": "arterial",
    "trunk_link": "arterial",
    "primary": "arterial",
    "primary_link": "arterial",
    "secondary": "county",
    "secondary_link": "county",
    "tertiary": "county",
    "tertiary_link": "county",
    "unclassified": "village",
    "residential": "street",
    "living_street": "street",
    "service": "street",
    "track": "path",
    "path": "path",
    "footway": "path",
    "cycleway": "path",
    "pedestrian": "path",
    "motorway": None,
    "motorway_link": None,
}


def normalise_class(value: object, known: tuple[str, ...]) -> tuple[object, bool]:
    """Return (the schema class of ``value``, whether it was mapped).

    A value already in ``known`` is kept; an alias gives its class (None for a road an e-bike
    may not use); anything else is returned unchanged for the checks to report.
    """
    if not isinstance(value, str):
        return value, False
    text = value.strip()
    if text in known:
        return text, False
    key = text.lower()
    if key in ROAD_CLASS_ALIASES:
        return ROAD_CLASS_ALIASES[key], True
    return value, False
