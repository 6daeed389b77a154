"""``python app.py import-osm FILE DIR`` (cli/import_osm.py) through app.main."""

from __future__ import annotations

from app import main
from tests.conftest import write_tiny_district
from tests.grids.test_osm_import import write_osm


def test_import_osm_prints_progress_and_a_summary(tmp_path, capsys):
    folder = write_tiny_district(tmp_path / "geo")
    osm = tmp_path / "extract.osm"
    write_osm(osm)
    assert main(["import-osm", str(osm), str(folder)]) == 1
    assert "refused: roads.gpkg, water.gpkg already in" in capsys.readouterr().err
    assert main(["import-osm", str(osm), str(folder), "--force"]) == 0
    out, err = capsys.readouterr()
    assert "read 34 objects: 3 roads, 3 water" in err  # the progress line
    assert "roads: 3 segments (arterial 3.7 km" in out
    assert "water: 3 areas" in out and "wrote roads.gpkg, water.gpkg" in out
    assert main(["check", str(folder)]) == 0


def test_import_osm_names_a_missing_file(tmp_path, capsys):
    folder = write_tiny_district(tmp_path / "geo")
    assert main(["import-osm", str(tmp_path / "none.osm"), str(folder), "--force"]) == 1
    assert "the OpenStreetMap file does not exist" in capsys.readouterr().err
