"""Command-line import of a CSV or GeoJSON file of incidents into the incident store.

Usage::

    python -m gridmap.incidents.file_import FILE [--database-url URL] [--data-dir DIR] [--chunk N]

* CSV (``.csv``, UTF-8, a BOM is fine): a header row with the record fields of
  :mod:`gridmap.incidents.intake` (``id, category, reported_at, lon, lat`` required; ``status``,
  ``dispatched_at``, ``resolved_at``, ``closed_at``, ``reporter``, ``description``, ``unit``
  optional). Empty cells are missing values. An unknown or missing column stops the import
  before anything is stored.
* GeoJSON (``.geojson`` / ``.json``): a FeatureCollection of Point features (WGS84, RFC 7946)
  whose properties are the same fields (``lon``/``lat`` come from the geometry).

Each record is validated (same rules as the API), given its grids from the district folder
(``--data-dir``, default ``GRIDMAP_DATA_DIR``) and inserted by id, so importing a file twice
stores nothing new. Progress goes to stderr; the summary (stored, duplicates, refused with line
or feature number, id, field and message) to stdout. Exit status: 0 all stored or duplicate,
1 some records refused, 2 the file or the grids could not be read.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import geopandas as gpd

from gridmap.clock import Clock, system_clock
from gridmap.errors import GridmapError, IncidentImportError  # noqa: F401 (re-exported)
from gridmap.grids.schema import EXTENSIONS, GRIDS, WGS84
from gridmap.incidents.assign import GridAssigner
from gridmap.incidents.intake import FIELDS, REQUIRED, validate_records
from gridmap.incidents.store import IncidentStore

CHUNK = 1000


@dataclass(frozen=True)
class Refusal:
    """One refused record: where in the file, its id, the field and the problem."""

    where: str
    id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        """Return ``line 12, id 'x': category: unknown category ...``."""
        rid = f"id {self.id!r}" if self.id else "no id"
        return f"{self.where}, {rid}: {self.field}: {self.message}"


@dataclass
class ImportReport:
    """What an import did."""

    path: str
    records: int = 0
    stored: int = 0
    duplicates: int = 0
    refused_records: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    #: Ids already stored with other content (the file's version was not stored), and how.
    conflicts: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def summary(self, limit: int = 1000) -> str:
        """Return the text summary printed at the end of an import."""
        lines = [
            f"{self.path}: {self.records} record(s)",
            f"  stored      {self.stored:>9,}",
            f"  duplicates  {self.duplicates:>9,}  (id already stored, same content)",
            f"  conflicts   {len(self.conflicts):>9,}  (id already stored, other content: kept)",
            f"  refused     {self.refused_records:>9,}",
        ]
        if self.conflicts:
            lines.append("Conflicting records (the stored version was kept):")
            for incident_id, fields in self.conflicts[:limit]:
                lines.append(f"  {incident_id}: differs in {', '.join(fields)}")
            if len(self.conflicts) > limit:
                lines.append(f"  ... and {len(self.conflicts) - limit} more conflict(s)")
        if self.refusals:
            lines.append("Refused records:")
            lines.extend(f"  {r}" for r in self.refusals[:limit])
            if len(self.refusals) > limit:
                lines.append(f"  ... and {len(self.refusals) - limit} more problem(s)")
        return "\n".join(lines)


def read_grids(data_dir: str | Path) -> gpd.GeoDataFrame:
    """Read ``grids.*`` of a district folder, in EPSG:4326, indexed by ``grid_id``.

    Raises
    ------
    IncidentImportError
        No grids file, several, or no CRS.
    """
    folder = Path(data_dir)
    found = [folder / f"{GRIDS.stem}{ext}" for ext in EXTENSIONS]
    found = [p for p in found if p.exists()]
    if len(found) != 1:
        what = "no" if not found else f"{len(found)}"
        raise IncidentImportError(
            f"{folder}: {what} grids file(s) ({', '.join(GRIDS.stem + e for e in EXTENSIONS)})"
        )
    grids = gpd.read_file(found[0])
    if grids.crs is None:
        raise IncidentImportError(f"{found[0]}: no CRS defined")
    grids = grids.to_crs(WGS84)
    grids["grid_id"] = grids["grid_id"].astype(str)
    return grids.set_index("grid_id")


def _csv_rows(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        unknown = [h for h in header if h not in FIELDS]
        missing = [r for r in REQUIRED if r not in header]
        if unknown or missing:
            parts = []
            if unknown:
                parts.append(f"unknown column(s) {unknown}")
            if missing:
                parts.append(f"missing column(s) {missing}")
            raise IncidentImportError(
                f"{path}: {'; '.join(parts)}; the columns are {', '.join(FIELDS)}"
            )
        line = reader.line_num + 1
        for row in reader:
            record: dict[str, Any] = {}
            for key, value in row.items():
                if key is None:  # more cells than columns
                    record["(extra cells)"] = value
                    continue
                if value is None or value == "":
                    continue
                if key in ("lon", "lat"):
                    try:
                        record[key] = float(value)
                        continue
                    except ValueError:
                        pass
                record[key] = value
            yield f"line {line}", record
            line = reader.line_num + 1


def _geojson_rows(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IncidentImportError(f"{path}: not a JSON file: {exc}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise IncidentImportError(f"{path}: expected a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise IncidentImportError(f"{path}: 'features' must be a list")
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict):
            yield where, {"(feature)": feature}
            continue
        record = dict(feature.get("properties") or {})
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if geometry.get("type") == "Point" and isinstance(coords, list) and len(coords) >= 2:
            record["lon"], record["lat"] = coords[0], coords[1]
        else:
            record["(geometry)"] = geometry.get("type") if isinstance(geometry, dict) else None
        yield where, record


def count_records(path: Path) -> int:
    """Return the number of records in the file (CSV: data lines; GeoJSON: features)."""
    if path.suffix.lower() == ".csv":
        with path.open("rb") as handle:
            return max(sum(1 for _ in handle) - 1, 0)
    return -1  # known once parsed


def import_file(
    path: str | Path,
    store: IncidentStore,
    assigner: GridAssigner,
    *,
    chunk: int = CHUNK,
    progress: TextIO | None = None,
    now: datetime | None = None,
    clock: Clock = system_clock,
) -> ImportReport:
    """Import one CSV or GeoJSON file; return what was stored, duplicated and refused.

    ``now`` (default ``clock()``) is the present of the "not in the future" rule.

    Raises
    ------
    IncidentImportError
        The file is missing, of an unknown type, or its header/structure is unusable.
    """
    path = Path(path)
    if not path.is_file():
        raise IncidentImportError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix in (".geojson", ".json"):
        rows = _geojson_rows(path)
    else:
        raise IncidentImportError(f"{path}: expected a .csv, .geojson or .json file")
    now = now or clock()
    total = count_records(path)
    report = ImportReport(str(path))
    batch: list[tuple[str, dict[str, Any]]] = []

    def flush() -> None:
        # Problems the reader found (extra cells, not a Point) refuse the record outright.
        places, raw = [], []
        for where, record in batch:
            problem = _reader_problem(record)
            if problem:
                rid = record.get("id") if isinstance(record, dict) else None
                report.refusals.append(
                    Refusal(where, rid if isinstance(rid, str) else None, *problem)
                )
                report.refused_records += 1
            else:
                places.append(where)
                raw.append(record)
        result = validate_records(raw, assigner, now=now, categories=store.categories)
        inserted = store.insert(result.records)
        report.records += len(batch)
        report.stored += len(inserted.stored)
        report.duplicates += len(inserted.same)
        report.conflicts.extend((c.id, tuple(c.fields)) for c in inserted.conflicts)
        report.refused_records += len(result.rejected_indexes)
        report.refusals.extend(
            Refusal(places[r.index], r.id, r.field, r.message) for r in result.rejected
        )
        batch.clear()
        show()

    def show(final: bool = False) -> None:
        if progress is None:
            return
        # The CSV pre-count is lines, not records (quoted newlines): exact once finished.
        known = report.records if final else total
        shown = f"{known:,}" if known >= 0 else "?"
        share = f" ({min(100 * report.records / known, 100):.0f}%)" if known > 0 else ""
        progress.write(
            f"\r{path.name}: {report.records:,}/{shown} records{share}, "
            f"{report.stored:,} stored, {report.refused_records:,} refused"
        )
        progress.flush()

    for where, record in rows:
        batch.append((where, record))
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()
    if report.stored:
        store.analyze()  # fresh planner statistics after a bulk load
    show(final=True)
    if progress is not None:
        progress.write("\n")
        progress.flush()
    return report


def _reader_problem(record: dict[str, Any]) -> tuple[str, str] | None:
    """Return (field, message) for what the reader itself could not make a record of."""
    if "(feature)" in record:
        return "feature", "must be a GeoJSON Feature object"
    if "(geometry)" in record:
        return "geometry", f"must be a Point with [lon, lat], got {record['(geometry)']}"
    if "(extra cells)" in record:
        return "(row)", f"more cells than columns: {record['(extra cells)']}"
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line (see the module docstring); return the exit status."""
    from gridmap.errors import DataError
    from gridmap.grids.loader import check_folder
    from gridmap.incidents.categories import district_categories
    from gridmap.settings import load_settings

    parser = argparse.ArgumentParser(
        prog="python -m gridmap.incidents.file_import",
        description="Import a CSV or GeoJSON file of incidents into the incident store.",
    )
    parser.add_argument("file", help="CSV or GeoJSON file of incidents")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default GRIDMAP_DATABASE_URL "
                        "or the SQLite file GRIDMAP_DATABASE_FILE)")  # fmt: skip
    parser.add_argument("--data-dir", help="district folder (default GRIDMAP_DATA_DIR)")
    parser.add_argument("--chunk", type=int, default=CHUNK, help="records per transaction")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    try:
        settings = load_settings({"database_url": args.database_url} if args.database_url else None)
        # The loader reads the grids as the app does (column mapping, encodings); the other
        # rules of `check` do not stop an import.
        folder = args.data_dir or settings.data_dir
        data, problems = check_folder(folder)
        if data is None:
            raise DataError(problems)
        assigner = GridAssigner.from_grids(data.grids)
        categories = district_categories(folder, data.meta)
        store = IncidentStore.from_settings(settings, categories=categories)
        report = import_file(
            args.file, store, assigner, chunk=max(args.chunk, 1),
            progress=None if args.quiet else sys.stderr,
        )  # fmt: skip
    except GridmapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    return 1 if report.refused_records else 0


if __name__ == "__main__":
    sys.exit(main())
