"""The grids a wall outlines and names, their short names and the order their labels are placed.

Labels are placed in the browser (``assets/wall_map.js``) without collisions: the most important
first (the most people), each at its point or just beside it, then by its short name, else left
out. Names are shortened by dropping the kind of place (镇, 乡, 街道, 回族镇, 风景区 ...).
"""

from __future__ import annotations

from gridmap.grids.district import District
from gridmap.i18n import name_of

#: Endings dropped from a Chinese name (longest first) and what replaces them.
ZH_ENDINGS = (
    ("产业集聚区", "产业区"),
    ("风景区", ""),
    ("回族镇", ""),
    ("街道办事处", ""),
    ("街道", ""),
    ("社区", ""),
    ("镇", ""),
    ("乡", ""),
    ("村", ""),
)
#: Words dropped from an English name.
EN_ENDINGS = (
    " Subdistrict", " Township", " Town", " Village", " Community", " Scenic Area",
    " Industrial Cluster", " Hui Town",
)  # fmt: skip


def short_name(name: str, lang: str) -> str:
    """Return ``name`` without the kind of place (two characters at least; else ``name``)."""
    if lang == "zh":
        for ending, replacement in ZH_ENDINGS:
            if name.endswith(ending) and len(name) - len(ending) + len(replacement) >= 2:
                return name[: -len(ending)] + replacement
        return name
    for ending in sorted(EN_ENDINGS, key=len, reverse=True):
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return name[: -len(ending)]
    return name


def label_grids(district: District, roots: list[str] | None) -> list[str]:
    """Return the grids a wall of scope ``roots`` outlines and names, in file order.

    The whole district (None): the townships (level 2). One root with children: its children
    (a township's wall names its villages). Several roots of one level: the roots themselves
    (a wall of three townships names those three, never the others); of several levels: the
    townships they lie in. A leaf names itself.
    """
    if roots is None:
        return district.level_ids(2)
    if len(roots) == 1:
        children = set(district.children(roots[0]))
        if children:
            return [g for g in district.grids.index if g in children]
        return list(roots)
    if len({district.level_of(g) for g in roots}) == 1:
        wanted = set(roots)
    else:
        wanted = {district.chain(g)[min(1, len(district.chain(g)) - 1)] for g in roots}
    return [g for g in district.grids.index if g in wanted]


def label_data(district: District, grids: list[str], lang: str) -> dict:
    """Return the labels of ``grids``: ``names``, ``short``, ``priority`` (higher first).

    The priority is the grid's population (its area when the district has none): the
    crowded centre of a district keeps its biggest town's name and shortens or leaves out
    the others.
    """
    names, short, priority = [], [], []
    for g in grids:
        record = district.record(g)
        name = name_of(record, lang)
        names.append(name)
        short.append(short_name(name, lang))
        people = record.get("population")
        priority.append(float(people) if people else float(record["area_km2"]) / 1e6)
    return {"names": names, "short": short, "priority": priority}
