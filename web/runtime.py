"""What one running app holds: its settings, its district and the models built from them."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from flask import Flask, current_app

from gridmap.clock import Clock, system_clock
from gridmap.grids.district import District
from gridmap.settings import Settings

if TYPE_CHECKING:
    from gridmap.coverage.model import CoverageModel

EXTENSION_KEY = "gridmap"


class Runtime:
    """The read-only state of one app: settings, the loaded district, and lazily built models.

    The coverage model takes about 1.5 s to build on the demo district, so it is built on first
    use (once per process, under a lock) rather than at start-up. Tests may pass a ready
    ``incident_store`` or ``coverage_model``, and a fake ``clock``.
    """

    def __init__(
        self,
        settings: Settings,
        district: District,
        *,
        clock: Clock = system_clock,
        incident_store=None,
        coverage_model: CoverageModel | None = None,
    ):
        self.settings = settings
        self.district = district
        #: Where every web module reads "now" (tests pass a fake clock).
        self.clock = clock
        self._lock = threading.Lock()
        self._coverage: CoverageModel | None = coverage_model
        self._engine = None
        self._scenarios = None
        self._incidents = incident_store
        if incident_store is not None:
            # A store given by a test checks filters against this district's categories.
            incident_store.categories = district.categories
        self._assigner = None
        self._accounts = None
        self._audit = None
        self._roster = None
        self._roster_read = False

    @property
    def engine(self):
        """Return the SQLAlchemy engine of the app's database (created on first use)."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from gridmap.incidents.store import make_engine

                    self._engine = make_engine(self.settings.sqlalchemy_url)
        return self._engine

    @property
    def scenario_store(self):
        """Return the store of saved planner scenarios."""
        if self._scenarios is None:
            from gridmap.coverage.scenario_store import ScenarioStore

            self._scenarios = ScenarioStore(self.engine, clock=self.clock)
        return self._scenarios

    @property
    def accounts(self):
        """Return the store of people, API tokens and kiosk links (tables made on first use)."""
        if self._accounts is None:
            from gridmap.access.accounts import AccountStore

            store = AccountStore(self.engine, clock=self.clock)
            with self._lock:
                if self._accounts is None:
                    self._accounts = store
        return self._accounts

    @property
    def audit(self):
        """Return the append-only audit trail."""
        if self._audit is None:
            from gridmap.access.audit import AuditLog

            log = AuditLog(self.engine, clock=self.clock)
            with self._lock:
                if self._audit is None:
                    self._audit = log
        return self._audit

    @property
    def incident_store(self):
        """Return the incident store (tables created on first use)."""
        if self._incidents is None:
            from gridmap.incidents.dispatch_config import load_dispatch_limits
            from gridmap.incidents.store import IncidentStore

            folder = self.settings.data_dir
            categories = self.district.categories
            limits = load_dispatch_limits(folder, tuple(categories))
            store = IncidentStore(
                engine=self.engine, clock=self.clock, limits=limits, categories=categories
            )
            with self._lock:
                if self._incidents is None:
                    self._incidents = store
        return self._incidents

    @property
    def duty_roster(self):
        """Return the district's duty roster (``duty.json``; None when it has none).

        Raises
        ------
        DataError
            Naming the file, the team and the field of every problem (read once).
        """
        if not self._roster_read:
            from gridmap.duty.roster import district_lookups, load_roster

            d = self.district
            posts = None if d.posts is None else {str(p) for p in d.posts.index}
            roster = load_roster(d.folder, district_lookups(d.chain, d), posts)
            with self._lock:
                self._roster, self._roster_read = roster, True
        return self._roster

    @property
    def dispatch_units(self) -> frozenset[str]:
        """Return the names a case may be dispatched to: the district's units, both languages.

        The units of the district's categories (``categories.json``, read through
        :func:`gridmap.incidents.categories.read_categories`).
        """
        units = self.district.categories.all_units()
        return frozenset(name for u in units for name in (u.zh, u.en))

    @property
    def assigner(self):
        """Return the grid assigner of the district (spatial index over the level-5 grids)."""
        if self._assigner is None:
            from gridmap.incidents.assign import GridAssigner

            assigner = GridAssigner.from_grids(self.district.grids)
            with self._lock:
                if self._assigner is None:
                    self._assigner = assigner
        return self._assigner

    def incident_points(self):
        """Return every stored incident's lon/lat as an (n, 2) array (None when there are none)."""
        points = self.incident_store.points()
        return points if len(points) else None

    @property
    def coverage_model(self) -> CoverageModel:
        """Return the 5-minute police circle model of the district (built once)."""
        if self._coverage is None:
            with self._lock:
                if self._coverage is None:
                    from gridmap.coverage.model import CoverageModel
                    from gridmap.coverage.params import CoverageSettings
                    from gridmap.coverage.speeds_file import load_speeds

                    d = self.district
                    speeds = load_speeds(self.settings.data_dir)
                    settings = CoverageSettings(speeds=speeds.speeds_kmh, profiles=speeds.profiles)
                    self._coverage = CoverageModel.from_geodataframes(
                        d.grids, d.posts, d.roads, d.outline, crs=d.metric_crs, settings=settings
                    )
        return self._coverage


def bind(server: Flask, runtime: Runtime) -> None:
    """Attach ``runtime`` to ``server``."""
    server.extensions[EXTENSION_KEY] = runtime


def current() -> Runtime:
    """Return the runtime of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
