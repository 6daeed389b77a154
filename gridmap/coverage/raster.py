"""The raster of square cells over the district, and the fast union of the covered cells."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely


@dataclass(frozen=True)
class Raster:
    """Square cells over the district: the cells that touch the outline, row ``j``, column ``i``."""

    x0: float
    y0: float
    cell_m: float
    nx: int
    ny: int
    i: np.ndarray
    j: np.ndarray

    @property
    def n_cells(self) -> int:
        """Number of cells kept."""
        return len(self.i)

    @cached_property
    def centres(self) -> np.ndarray:
        """Cell centres (n, 2), metres."""
        return np.column_stack(
            [self.x0 + (self.i + 0.5) * self.cell_m, self.y0 + (self.j + 0.5) * self.cell_m]
        )

    @cached_property
    def boxes(self) -> np.ndarray:
        """Cell squares as shapely polygons."""
        c = self.cell_m
        x = self.x0 + self.i * c
        y = self.y0 + self.j * c
        return shapely.box(x, y, x + c, y + c)

    @classmethod
    def over(cls, outline: shapely.Geometry, cell_m: float) -> Raster:
        """Cells of side ``cell_m`` that intersect ``outline`` (metric)."""
        minx, miny, maxx, maxy = outline.bounds
        x0 = math.floor(minx / cell_m) * cell_m
        y0 = math.floor(miny / cell_m) * cell_m
        nx = max(1, math.ceil((maxx - x0) / cell_m))
        ny = max(1, math.ceil((maxy - y0) / cell_m))
        jj, ii = np.divmod(np.arange(nx * ny), nx)
        x = x0 + ii * cell_m
        y = y0 + jj * cell_m
        shapely.prepare(outline)
        boxes = shapely.box(x, y, x + cell_m, y + cell_m)
        keep = shapely.intersects(outline, boxes) & ~shapely.touches(outline, boxes)
        return cls(x0, y0, cell_m, nx, ny, ii[keep], jj[keep])

    def union(self, mask: np.ndarray) -> shapely.Geometry:
        """Return the union of the cells where ``mask`` is true (a MultiPolygon, metric).

        Faster than a polygon union: the boundary between covered and other cells is traced
        as straight runs along the grid lines (broken where four boundary edges meet, so that
        they are noded), polygonized, and the covered faces kept.
        """
        ny, nx, c = self.ny, self.nx, self.cell_m
        grid = np.zeros((ny + 2, nx + 2), dtype=bool)
        grid[self.j[mask] + 1, self.i[mask] + 1] = True
        horiz = grid[:-1, 1:-1] != grid[1:, 1:-1]  # (ny+1, nx): y = r, x from c to c+1
        vert = grid[1:-1, :-1] != grid[1:-1, 1:]  # (ny, nx+1): x = c, y from r to r+1
        pad_v = np.zeros((ny + 2, nx + 1), dtype=bool)
        pad_v[1:-1] = vert
        pad_h = np.zeros((ny + 1, nx + 2), dtype=bool)
        pad_h[:, 1:-1] = horiz
        # At each grid vertex: does a vertical (resp. horizontal) boundary edge touch it?
        v_at = pad_v[:-1] | pad_v[1:]  # (ny+1, nx+1)
        h_at = pad_h[:, :-1] | pad_h[:, 1:]  # (ny+1, nx+1)
        lines = []
        for edges, touch, transpose in ((horiz, v_at, False), (vert.T, h_at.T, True)):
            before = np.zeros_like(edges)
            before[:, 1:] = edges[:, :-1]
            after = np.zeros_like(edges)
            after[:, :-1] = edges[:, 1:]
            row, first = np.nonzero(edges & (~before | touch[:, :-1]))
            _, last = np.nonzero(edges & (~after | touch[:, 1:]))
            a = np.column_stack([first, row]).astype(float)
            b = np.column_stack([last + 1, row]).astype(float)
            if transpose:
                a, b = a[:, ::-1], b[:, ::-1]
            ends = np.stack([a, b], axis=1) * c + np.array([self.x0, self.y0])
            lines.append(shapely.linestrings(ends) if len(ends) else np.array([], dtype=object))
        faces = shapely.get_parts(shapely.polygonize(np.concatenate(lines)))
        if len(faces) == 0:
            return shapely.MultiPolygon()
        inner = shapely.get_coordinates(shapely.point_on_surface(faces))
        fi = np.floor((inner[:, 0] - self.x0) / c).astype(np.int64)
        fj = np.floor((inner[:, 1] - self.y0) / c).astype(np.int64)
        return shapely.multipolygons(faces[grid[fj + 1, fi + 1]])
