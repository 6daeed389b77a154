"""What one running app holds: its settings, its district and the models built from them."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from flask import Flask, current_app

from gridmap.district import District
from gridmap.settings import Settings

if TYPE_CHECKING:
    from gridmap.coverage import CoverageModel

EXTENSION_KEY = "gridmap"


class Runtime:
    """The read-only state of one app: settings, the loaded district, and lazily built models.

    The coverage model takes about 1.5 s to build on the demo district, so it is built on first
    use (once per process, under a lock) rather than at start-up.
    """

    def __init__(self, settings: Settings, district: District):
        self.settings = settings
        self.district = district
        self._lock = threading.Lock()
        self._coverage: CoverageModel | None = None
        self._engine = None
        self._scenarios = None

    @property
    def engine(self):
        """Return the SQLAlchemy engine of the app's database (created on first use)."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from gridmap.incident_store import _make_engine

                    self._engine = _make_engine(self.settings.sqlalchemy_url)
        return self._engine

    @property
    def scenario_store(self):
        """Return the store of saved planner scenarios."""
        if self._scenarios is None:
            from gridmap.scenario_store import ScenarioStore

            self._scenarios = ScenarioStore(self.engine)
        return self._scenarios

    def incident_points(self):
        """Return the stored incidents as an (n, 2) lon/lat array (None when there are none)."""
        return None

    @property
    def coverage_model(self) -> CoverageModel:
        """Return the 5-minute police circle model of the district (built once)."""
        if self._coverage is None:
            with self._lock:
                if self._coverage is None:
                    from gridmap.coverage import CoverageModel

                    d = self.district
                    self._coverage = CoverageModel.from_geodataframes(
                        d.grids, d.posts, d.roads, d.outline, crs=d.metric_crs
                    )
        return self._coverage


def bind(server: Flask, runtime: Runtime) -> None:
    """Attach ``runtime`` to ``server``."""
    server.extensions[EXTENSION_KEY] = runtime


def current() -> Runtime:
    """Return the runtime of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
