"""Tests of gridmap.demo.names: pinyin and English names of the demo grids."""

from __future__ import annotations

import pytest

from gridmap.demo import names


@pytest.mark.parametrize(
    ("zh", "pinyin", "stem", "village", "place"),
    [("劳桥村", "lao qiao cun", "劳桥", "Laoqiao Village", "Laoqiao"),
     ("东关社区", "dong guan she qu", "东关", "Dongguan Community", "Dongguan"),
     ("东岸", "dong an", "东岸", "Dong'an", "Dong'an"),
     ("柳湖新区社区", "liu hu xin qu she qu", "柳湖新区", "Liuhu New District Community",
      "Liuhu New District"),
     ("村", "cun", "村", "Cun", "Cun")],
)  # fmt: skip
def test_names(zh, pinyin, stem, village, place):
    assert names.pinyin(zh) == pinyin
    assert names.stem(zh) == stem
    assert names.village_en(zh) == village
    assert names.place_en(zh) == place


def test_generated_names():
    assert names.synthetic_community(3) == "新建3社区"
    assert names.area_names("东关社区", "Dongguan Community", 2) == (
        "东关社区第2片区",
        "Dongguan Community Zone 2",
    )
    assert names.grid_names("劳桥村", "Laoqiao Village", 1, 4) == (
        "劳桥村第1片区4号网格",
        "Laoqiao Village Zone 1 Grid 4",
    )


def test_every_zone_and_extra_community_has_a_name():
    assert [code for code, *_ in names.ZONES] == ["411603901", "411603902"]
    assert sum(len(v) for v in names.EXTRA_COMMUNITIES.values()) == 10
    assert set(names.STEM_EN) <= {
        names.stem(n) for v in names.EXTRA_COMMUNITIES.values() for n in v
    }
