import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box

from gridmap.incidents.assign import OUTSIDE, AssignError, GridAssigner
from tests.incident_fixtures import EAST, NORTH, SOUTH, WEST, tiny_grids


def brute_force(grids, lon, lat):
    """Per point: smallest id among level-5 grids covering it, nearest if only inside level 1."""
    leaves = grids[grids["level"] == 5].sort_index()
    outline = grids[grids["level"] == 1].geometry.iloc[0]
    out = []
    for x, y in zip(lon, lat, strict=True):
        p = Point(x, y)
        hits = [gid for gid, geom in leaves.geometry.items() if geom.covers(p)]
        if hits:
            out.append(min(hits))
        elif outline.covers(p):
            dist = {gid: geom.distance(p) for gid, geom in leaves.geometry.items()}
            best = min(dist.values())
            out.append(min(g for g, d in dist.items() if d == best))
        else:
            out.append(None)
    return out


def edge_points(grids):
    """Every vertex and edge midpoint of every level-5 grid, plus points just beside them."""
    coords = []
    for geom in grids[grids["level"] == 5].geometry:
        ring = np.asarray(geom.exterior.coords)
        coords.extend(ring)
        coords.extend((ring[:-1] + ring[1:]) / 2)
    coords = np.unique(np.asarray(coords), axis=0)
    eps = 1e-9
    shifted = [coords + d for d in ([eps, 0], [-eps, 0], [0, eps], [0, -eps])]
    return np.vstack([coords, *shifted])


@pytest.fixture(scope="module")
def grids():
    return tiny_grids()


@pytest.fixture(scope="module")
def assigner(grids):
    return GridAssigner.from_grids(grids)


def test_random_points_match_brute_force(grids, assigner):
    rng = np.random.default_rng(1)
    lon = rng.uniform(WEST - 0.02, EAST + 0.02, 400)
    lat = rng.uniform(SOUTH - 0.02, NORTH + 0.02, 400)
    got = assigner.assign_ids(lon, lat)["g5"].tolist()
    assert got == brute_force(grids, lon, lat)
    assert any(g is None for g in got) and any(g is not None for g in got)


def test_edges_and_corners_go_to_exactly_one_grid(grids, assigner):
    pts = edge_points(grids)
    got = assigner.assign_ids(pts[:, 0], pts[:, 1])["g5"].tolist()
    assert got == brute_force(grids, pts[:, 0], pts[:, 1])
    # The corner shared by four grids goes to the smallest id.
    assert assigner.assign_one(114.84, 33.71)[-1] == "D-1-1-1-1"
    # A point on the edge between two level-2 grids: the western one ("D-1...") wins.
    assert assigner.assign_one(114.88, 33.715)[1] == "D-1"


def test_ancestors_fill_the_other_levels(assigner):
    assert assigner.assign_one(114.95, 33.775) == ("D", "D-2", "D-2-2", "D-2-2-2", "D-2-2-2-2")
    frame = assigner.assign_ids([114.81, 200.0], [33.705, 33.7])
    assert list(frame.columns) == ["g1", "g2", "g3", "g4", "g5"]
    assert frame.iloc[0].tolist() == ["D", "D-1", "D-1-1", "D-1-1-1", "D-1-1-1-1"]
    assert frame.iloc[1].isna().all()


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(WEST - 1e-7, 33.72), (114.9, NORTH + 0.001), (float("nan"), 33.72), (114.9, float("inf"))],
)
def test_outside_the_district_is_none(assigner, lon, lat):
    assert assigner.assign_one(lon, lat) is None
    assert assigner.assign([lon], [lat])[0] == OUTSIDE


def test_gap_inside_the_outline_goes_to_nearest_grid(grids):
    shrunk = grids.copy()
    gid = "D-1-1-1-1"
    w, s, e, n = shrunk.loc[gid].geometry.bounds
    shrunk.loc[gid, "geometry"] = box(w, s, e - 0.001, n)  # a sliver no level-5 grid covers
    assigner = GridAssigner.from_grids(shrunk)
    x, y = e - 0.0002, (s + n) / 2  # in the sliver, nearer the eastern neighbour
    assert assigner.assign_one(x, y)[-1] == brute_force(shrunk, [x], [y])[0] == "D-1-1-2-1"


def test_overlapping_grids_tie_goes_to_smallest_id(grids):
    grown = grids.copy()
    gid = "D-1-1-2-1"  # widen it westwards over D-1-1-1-1
    w, s, e, n = grown.loc[gid].geometry.bounds
    grown.loc[gid, "geometry"] = box(w - 0.01, s, e, n)
    assigner = GridAssigner.from_grids(grown)
    assert assigner.assign_one(w - 0.005, s + 0.001)[-1] == "D-1-1-1-1"


def test_input_lengths_must_match(assigner):
    with pytest.raises(AssignError, match="lon .* and lat .* differ"):
        assigner.assign([1.0, 2.0], [1.0])


def test_wrong_crs_is_refused(grids):
    with pytest.raises(AssignError, match="should be in EPSG:4326"):
        GridAssigner.from_grids(grids.to_crs("EPSG:3857"))


def test_plain_dataframe_is_refused(grids):
    with pytest.raises(AssignError, match="should be a GeoDataFrame, got DataFrame"):
        GridAssigner.from_grids(grids.drop(columns="geometry"))


def test_broken_parent_chain_is_named(grids):
    broken = grids.copy()
    broken.loc["D-2-2-2-2", "parent_id"] = "nowhere"
    with pytest.raises(AssignError, match="grid D-2-2-2-2: parent chain broken at level 4"):
        GridAssigner.from_grids(broken)


def test_missing_columns_are_named(grids):
    with pytest.raises(AssignError, match=r"lacks column\(s\) \['parent_id'\]"):
        GridAssigner.from_grids(grids.drop(columns="parent_id"))


def test_no_level5_grid(grids):
    with pytest.raises(AssignError, match="no level-5 grid"):
        GridAssigner.from_grids(grids[grids["level"] < 5])


def test_multipolygon_grid(grids):
    multi = grids.copy()
    gid = "D-2-2-2-2"
    w, s, e, n = multi.loc[gid].geometry.bounds
    multi.loc[gid, "geometry"] = shapely.MultiPolygon(
        [box(w, s, (w + e) / 2, n), box((w + e) / 2, s, e, n)]
    )
    assigner = GridAssigner.from_grids(multi)
    assert assigner.assign_one(e - 0.001, n - 0.001)[-1] == gid
