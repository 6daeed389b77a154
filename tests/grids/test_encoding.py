"""Shapefile encodings: the .cpg file, or UTF-8 / GB18030 detected from the .dbf bytes."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from gridmap.grids.encoding import GB18030, UTF8, detect, shapefile_encoding


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"plain ascii", "ASCII"),
        ("城关镇".encode(), UTF8),
        ("城关镇".encode("gbk"), GB18030),
        ("大连乡 柳湖街道".encode("gb18030"), GB18030),
    ],
)
def test_detect(data, expected):
    assert detect(data) == expected


def write_points(folder: Path, names: list[str], encoding: str, keep_cpg: bool) -> Path:
    path = folder / "posts.shp"
    frame = gpd.GeoDataFrame(
        {"post_id": [f"P{i}" for i in range(len(names))], "name_zh": names},
        geometry=[Point(114.8 + i / 100, 33.7) for i in range(len(names))],
        crs="EPSG:4490",
    )
    frame.to_file(path, engine="pyogrio", encoding=encoding)
    if not keep_cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    return path


def test_gbk_without_cpg_is_detected(tmp_path):
    path = write_points(tmp_path, ["城关回族镇", "大连乡"], "GBK", keep_cpg=False)
    assert not path.with_suffix(".cpg").exists()
    assert shapefile_encoding(path) == (GB18030, "detected")
    assert shapefile_encoding(path, "GBK") == ("GBK", "forced")


def test_cpg_is_honoured(tmp_path):
    path = write_points(tmp_path, ["城关回族镇"], "UTF-8", keep_cpg=True)
    assert path.with_suffix(".cpg").exists()
    assert shapefile_encoding(path) == (None, "cpg")


def test_utf8_without_cpg_and_ascii(tmp_path):
    path = write_points(tmp_path, ["城关回族镇"], "UTF-8", keep_cpg=False)
    assert shapefile_encoding(path) == (UTF8, "detected")
    other = tmp_path / "ascii"
    other.mkdir()
    path = write_points(other, ["Post A"], "UTF-8", keep_cpg=False)
    assert shapefile_encoding(path) == (None, "ascii")
