import json

import pytest

from gridmap.incidents.assign import GridAssigner
from gridmap.incidents.file_import import IncidentImportError, import_file, main, read_grids
from gridmap.incidents.store import IncidentStore
from tests.incident_fixtures import record, tiny_grids

HEADER = "id,category,status,reported_at,resolved_at,lon,lat,reporter,description\n"
ROWS = [
    "c1,land,reported,2025-03-01T08:00:00+08:00,,114.81,33.705,m1,界址纠纷\n",
    'c2,fire,resolved,2025-03-02T08:00:00Z,2025-03-02T10:00:00Z,114.95,33.77,m2,"two\nlines"\n',
    "c3,aliens,reported,2025-03-03T08:00:00Z,,114.81,33.705,m3,\n",  # line 5 (c2 spans 3-4)
    "c4,land,reported,2025-03-04T08:00:00Z,,120.0,33.705,m4,\n",  # outside the district
    "c1,land,reported,2025-03-01T08:00:00+08:00,,114.81,33.705,m1,repeat\n",  # duplicate
    "c5,family,reported,not-a-time,,east,33.705,m5,\n",  # two problems
]


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "district"
    folder.mkdir()
    tiny_grids().reset_index().to_file(folder / "grids.geojson", driver="GeoJSON")
    return folder


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'import.sqlite'}"


def write_csv(tmp_path, rows=ROWS, header=HEADER):
    path = tmp_path / "incidents.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_import_reports_each_refusal(tmp_path, data_dir, db_url, capsys):
    path = write_csv(tmp_path)
    code, out, err = run(capsys, path, "--data-dir", data_dir, "--database-url", db_url)
    assert code == 1
    assert "stored              2" in out
    # c1 again with another description: a conflict (kept as stored), not a plain duplicate.
    assert "duplicates          0" in out
    assert "conflicts           1" in out and "  c1: differs in description" in out
    assert "refused             3" in out
    assert "line 5, id 'c3': category: unknown category 'aliens'" in out
    assert "line 6, id 'c4': lon/lat: (120.0, 33.705) is outside the district" in out
    assert "line 8, id 'c5': reported_at: 'not-a-time' is not an ISO-8601 time" in out
    assert "line 8, id 'c5': lon: must be a number, got a string 'east'" in out
    assert "6/6 records (100%)" in err
    store = IncidentStore(db_url)
    assert store.count() == 2
    assert store.get("c2")["description"] == "two\nlines"
    assert store.get("c1")["g5"] == "D-1-1-1-1"


def test_reimport_stores_nothing_new(tmp_path, data_dir, db_url, capsys):
    path = write_csv(tmp_path, ROWS[:2])
    assert run(capsys, path, "--data-dir", data_dir, "--database-url", db_url)[0] == 0
    code, out, _ = run(capsys, path, "--data-dir", data_dir, "--database-url", db_url, "--quiet")
    assert code == 0
    assert "stored              0" in out and "duplicates          2" in out


def test_geojson_import(tmp_path, data_dir, db_url, capsys):
    features = []
    for rid, lon, lat in (("j1", 114.81, 33.705), ("j2", 114.95, 33.77)):
        props = {k: v for k, v in record(rid).items() if k not in ("lon", "lat")}
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    features.append(
        {
            "type": "Feature",
            "properties": record("j3"),
            "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        }
    )
    features.append(
        {
            "type": "Feature",
            "properties": {**record("j4"), "category": "x"},
            "geometry": {"type": "Point", "coordinates": [114.81, 33.705]},
        }
    )
    path = tmp_path / "incidents.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    code, out, _ = run(capsys, path, "--data-dir", data_dir, "--database-url", db_url)
    assert code == 1
    assert "feature 3, id 'j3': geometry: must be a Point with [lon, lat], got LineString" in out
    assert "feature 4, id 'j4': category: unknown category 'x'" in out
    assert IncidentStore(db_url).count() == 2


def test_import_file_in_small_chunks(tmp_path, data_dir, db_url):
    path = write_csv(tmp_path)
    store = IncidentStore(db_url)
    assigner = GridAssigner.from_grids(read_grids(data_dir))
    report = import_file(path, store, assigner, chunk=2)
    assert (report.records, report.stored, report.duplicates, report.refused_records) == (
        6,
        2,
        0,
        3,
    )
    assert report.conflicts == [("c1", ("description",))]  # in a later chunk than the first c1
    assert [r.where for r in report.refusals] == ["line 5", "line 6", "line 8", "line 8"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id,category,reported_at,lon,lat,colour\n", "unknown column(s) ['colour']"),
        ("id,category,lon,lat\n", "missing column(s) ['reported_at']"),
    ],
)
def test_bad_header_stops_before_storing(tmp_path, data_dir, db_url, capsys, header, message):
    path = write_csv(tmp_path, [], header)
    code, out, err = run(capsys, path, "--data-dir", data_dir, "--database-url", db_url)
    assert code == 2 and message in err and out == ""


def test_extra_cells_refuse_the_row(tmp_path, data_dir, db_url, capsys):
    path = write_csv(tmp_path, [ROWS[0].rstrip("\n") + ",surplus\n"])
    code, out, _ = run(capsys, path, "--data-dir", data_dir, "--database-url", db_url)
    assert code == 1 and "line 2, id 'c1': (row): more cells than columns: ['surplus']" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("incidents.xlsx", "x", "expected a .csv, .geojson or .json file"),
        ("bad.geojson", "{", "not a JSON file"),
        ("list.geojson", "[]", "expected a GeoJSON FeatureCollection"),
    ],
)
def test_unreadable_files(tmp_path, data_dir, db_url, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    code, _, err = run(capsys, path, "--data-dir", data_dir, "--database-url", db_url)
    assert code == 2 and message in err


def test_missing_grids(tmp_path, db_url, capsys):
    path = write_csv(tmp_path)
    code, _, err = run(capsys, path, "--data-dir", tmp_path, "--database-url", db_url)
    assert code == 2 and "no grids.gpkg/.geojson/.json/.shp file in" in err
    with pytest.raises(IncidentImportError, match="no grids file"):
        read_grids(tmp_path)
