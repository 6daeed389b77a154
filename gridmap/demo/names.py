"""Chinese, English and pinyin names of the demo grids and posts (pypinyin for the romanisation)."""

from __future__ import annotations

from pypinyin import lazy_pinyin

#: Synthetic communities added where the town seat is densest and in the two zones (10 in all).
EXTRA_COMMUNITIES: dict[str, tuple[str, ...]] = {
    "411603001": ("羲皇社区", "柳湖新区社区", "行政中心社区"),
    "411603100": ("弦歌台社区", "画卦台社区"),
    "411603901": ("龙湖东岸社区", "龙湖北岸社区"),
    "411603902": ("产业园一社区", "产业园二社区", "产业园三社区"),
}

#: The two management zones (level 2, kind "zone"): code, Chinese, English, pinyin.
ZONES: tuple[tuple[str, str, str, str], ...] = (
    ("411603901", "龙湖风景区", "Longhu Scenic Area", "long hu feng jing qu"),
    ("411603902", "产业集聚区", "Industrial Cluster Zone", "chan ye ji ju qu"),
)

#: English of the synthetic names that read better translated than romanised.
STEM_EN: dict[str, str] = {
    "柳湖新区": "Liuhu New District",
    "行政中心": "Civic Centre",
    "龙湖东岸": "Longhu East Shore",
    "龙湖北岸": "Longhu North Shore",
    "产业园一": "Industrial Park No. 1",
    "产业园二": "Industrial Park No. 2",
    "产业园三": "Industrial Park No. 3",
}

_SUFFIXES = (("社区", "Community"), ("村", "Village"))


def pinyin(name: str) -> str:
    """Return the toneless pinyin of ``name``, space-separated (劳桥村 -> lao qiao cun)."""
    return " ".join(s for s in lazy_pinyin(name) if s.strip())


def stem(name: str) -> str:
    """Return ``name`` without its 村 / 社区 suffix (东关社区 -> 东关)."""
    for suffix, _ in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def village_en(name: str) -> str:
    """Return the English name of a village or community (西城区社区 -> Xichengqu Community)."""
    for suffix, english in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{_word(name[: -len(suffix)])} {english}"
    return _word(name)


def place_en(name: str) -> str:
    """Return the English of a village's name without its suffix (东关社区 -> Dongguan)."""
    return _word(stem(name))


def _word(name: str) -> str:
    """Return the pinyin of ``name`` as one capitalised word (劳桥 -> Laoqiao, 东岸 -> Dong'an).

    An apostrophe separates a syllable starting with a, o or e, as pinyin orthography wants.
    """
    if name in STEM_EN:
        return STEM_EN[name]
    syllables = [s for s in lazy_pinyin(name) if s.strip()]
    word = "".join(("'" + s if k and s[0] in "aoe" else s) for k, s in enumerate(syllables))
    return word[:1].upper() + word[1:]


def synthetic_community(index: int) -> str:
    """Return the name of the ``index``-th generic synthetic community (新建1社区)."""
    return f"新建{index}社区"


def area_names(village_zh: str, village_en_: str, i: int) -> tuple[str, str]:
    """Return the Chinese and English names of level-4 area ``i`` of a village."""
    return f"{village_zh}第{i}片区", f"{village_en_} Zone {i}"


def grid_names(village_zh: str, village_en_: str, i: int, j: int) -> tuple[str, str]:
    """Return the Chinese and English names of level-5 grid ``j`` of area ``i``."""
    return f"{village_zh}第{i}片区{j}号网格", f"{village_en_} Zone {i} Grid {j}"
