"""Roads and water from a small OpenStreetMap XML file (gridmap/grids/osm_import.py)."""

from __future__ import annotations

import pytest
import shapely

from gridmap.errors import DataError
from gridmap.grids.loader import check_folder
from gridmap.grids.osm_import import district_outline, import_osm, read_osm
from tests.conftest import write_tiny_district

# The tiny district is the box 114.80-114.88 E, 33.70-33.78 N.
NODES = {
    1: (114.81, 33.74), 2: (114.85, 33.74), 3: (114.85, 33.76),  # inside
    4: (114.86, 33.745), 5: (114.95, 33.745),  # crosses the eastern edge at 114.88
    6: (115.00, 33.90), 7: (115.10, 33.90),  # far outside
    8: (114.81, 33.72), 9: (114.83, 33.72),  # motorway, construction
    20: (114.860, 33.710), 21: (114.870, 33.710), 22: (114.870, 33.720), 23: (114.860, 33.720),
    30: (114.870, 33.750), 31: (114.900, 33.750), 32: (114.900, 33.760), 33: (114.870, 33.760),
    40: (114.820, 33.760), 41: (114.830, 33.760), 42: (114.830, 33.770), 43: (114.820, 33.770),
}  # fmt: skip
WAYS = {
    100: ([1, 2], {"highway": "primary", "name": "人民路", "name:en": "Renmin Road"}),
    101: ([2, 3], {"highway": "residential", "name": "幸福街"}),
    102: ([4, 5], {"highway": "tertiary"}),
    103: ([6, 7], {"highway": "secondary"}),
    104: ([8, 9], {"highway": "motorway"}),
    105: ([8, 9], {"highway": "construction"}),
    200: ([20, 21, 22, 23, 20], {"natural": "water", "name": "小湖", "name:en": "Small Lake"}),
    201: ([30, 31, 32, 33, 30], {"waterway": "riverbank"}),
    202: ([40, 41, 42, 43, 40], {}),
}


def write_osm(path) -> None:
    """Write the nodes, ways and one multipolygon lake as OpenStreetMap XML."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for nid, (lon, lat) in NODES.items():
        lines.append(f'<node id="{nid}" version="1" lat="{lat}" lon="{lon}"/>')
    for wid, (refs, tags) in WAYS.items():
        lines.append(f'<way id="{wid}" version="1">')
        lines += [f'<nd ref="{r}"/>' for r in refs]
        lines += [f'<tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("</way>")
    lines += [
        '<relation id="300" version="1">',
        '<member type="way" ref="202" role="outer"/>',
        '<tag k="type" v="multipolygon"/>',
        '<tag k="natural" v="water"/>',
        '<tag k="name" v="北湖"/>',
        "</relation>",
        "</osm>",
    ]
    path.write_text("\n".join(lines), "utf-8")


@pytest.fixture()
def folder(tmp_path):
    folder = write_tiny_district(tmp_path / "geo")
    for stem in ("roads", "water"):
        (folder / f"{stem}.gpkg").unlink()
    return folder


def test_roads_and_water_inside_the_district_are_kept(folder, tmp_path):
    osm = tmp_path / "extract.osm"
    write_osm(osm)
    calls = []
    roads, water, summary = read_osm(osm, district_outline(folder), lambda *a: calls.append(a))
    assert list(roads["road_id"]) == ["w100", "w101", "w102"]
    assert list(roads["road_class"]) == ["arterial", "street", "county"]
    assert list(roads["name_zh"][:2]) == ["人民路", "幸福街"] and roads["name_zh"].isna().iloc[2]
    assert roads.geometry.iloc[2].bounds[2] == pytest.approx(114.88)  # clipped at the edge
    assert sorted(water["name_zh"].dropna()) == ["北湖", "小湖"]
    assert set(water["name_en"].dropna()) == {"Small Lake"}
    river = water[water["name_zh"].isna()].geometry.iloc[0]
    assert river.bounds[2] == pytest.approx(114.88)
    assert shapely.area(river) == pytest.approx(0.01 * 0.01, rel=1e-6)
    assert summary.left_out == {"motorway": 1, "construction": 1}
    assert summary.outside == 1 and summary.roads == 3 and summary.water == 3
    assert calls and calls[-1][1:] == (3, 3)
    lines = summary.lines()
    assert lines[1].startswith("roads: 3 segments (arterial 3.7 km, county 1.9 km, street 2.2 km)")
    assert "left out (no e-bike class): motorway 1, construction 1" in lines


def test_import_writes_files_that_pass_check(folder, tmp_path):
    osm = tmp_path / "extract.osm"
    write_osm(osm)
    summary = import_osm(osm, folder)
    assert summary.written == ["roads.gpkg", "water.gpkg"]
    data, problems = check_folder(folder)
    assert problems == []
    assert len(data.roads) >= 3 and len(data.water) == 3
    with pytest.raises(FileExistsError, match="roads.gpkg, water.gpkg already in .*--force"):
        import_osm(osm, folder)
    assert import_osm(osm, folder, force=True).roads == 3


def test_errors_name_the_missing_file_or_outline(folder, tmp_path):
    with pytest.raises(DataError, match="the OpenStreetMap file does not exist"):
        import_osm(tmp_path / "none.osm", folder)
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><node id=", "utf-8")
    with pytest.raises(DataError, match="cannot read the file"):
        import_osm(broken, folder)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no grids file"):
        import_osm(broken, tmp_path / "empty")
