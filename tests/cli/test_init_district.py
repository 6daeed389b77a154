"""``python app.py init DIR`` (cli/init_district.py) through app.main."""

from __future__ import annotations

import json

from app import main
from tests.conftest import write_tiny_district
from tests.grids.test_county_files import county_folder


def test_init_writes_then_refuses_to_overwrite(tmp_path, capsys):
    folder = county_folder(tmp_path)
    assert main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "found: grids.shp: columns grid_id <- 编码" in out
    assert "grids per level: level 1: 1" in out
    assert f"wrote {folder / 'district.json'}" in out
    meta = json.loads((folder / "district.json").read_text("utf-8"))
    assert meta["columns"]["grids"]["grid_id"] == "编码"
    assert main(["init", str(folder)]) == 1
    assert "refused: " in capsys.readouterr().err
    assert main(["init", str(folder), "--force"]) == 0
    assert main(["check", str(folder)]) == 0


def test_init_lists_the_problems_and_writes_nothing(tmp_path, capsys):
    folder = write_tiny_district(tmp_path / "geo")
    (folder / "district.json").unlink()
    (folder / "grids.gpkg").unlink()
    assert main(["init", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "no grids file" in err and "1 problem(s): nothing written" in err
    assert not (folder / "district.json").exists()
