"""Settings: GRIDMAP_* environment variables, or a dict passed by tests, with defaults."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from gridmap.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "GRIDMAP_"
#: Languages of the interface; the first is the default.
LANGUAGES = ("zh", "en")
DEFAULT_LANG = LANGUAGES[0]
#: Seconds between two refreshes of live views: the range accepted (setting and URL).
REFRESH_RANGE = (1, 3600)
#: A rate limit as Flask-Limiter reads it ("10 per minute", "100/hour").
_RATE = re.compile(r"\d+\s*(per|/)\s*\d*\s*(second|minute|hour|day)s?")


@dataclass(frozen=True)
class Settings:
    """Every setting of the app; the README's settings table lists the same names."""

    data_dir: Path = ROOT / "data" / "geo"
    host: str = "127.0.0.1"
    port: int = 8050
    lang: str = DEFAULT_LANG
    cache_type: str = "SimpleCache"
    cache_dir: Path = ROOT / "instance" / "cache"
    cache_redis_url: str = "redis://127.0.0.1:6379/0"
    cache_timeout: int = 3600
    tile_url: str = ""
    tile_attribution: str = ""
    secret_key: str = ""
    debug: bool = False
    database_url: str = ""
    database_file: Path = ROOT / "instance" / "gridmap.sqlite"
    api_token: str = ""
    demo_incidents: bool = True
    refresh_seconds: int = 10
    secret_key_file: Path = ROOT / "instance" / "secret_key"
    session_secure: bool = False
    frame_ancestors: str = "'self'"
    login_limit: str = "10 per minute"
    login_name_limit: str = "5 per minute"
    limiter_storage: str = ""
    demo_accounts: bool = True

    @property
    def rate_limit_storage(self) -> str:
        """Return where sign-in attempts are counted (Redis when the cache is shared there)."""
        if self.limiter_storage:
            return self.limiter_storage
        if self.cache_type.endswith("RedisCache"):
            return self.cache_redis_url
        return "memory://"

    @property
    def sqlalchemy_url(self) -> str:
        """Return the database to use: ``database_url``, else the SQLite file."""
        return self.database_url or f"sqlite:///{self.database_file}"

    def __post_init__(self) -> None:
        """Check the values that cannot be used, naming the setting."""
        if self.lang not in LANGUAGES:
            raise ConfigError(f"{PREFIX}LANG must be one of {LANGUAGES}, got {self.lang!r}")
        if not 0 < self.port < 65536:
            raise ConfigError(f"{PREFIX}PORT must be 1-65535, got {self.port}")
        low, high = REFRESH_RANGE
        if not low <= self.refresh_seconds <= high:
            raise ConfigError(
                f"{PREFIX}REFRESH_SECONDS must be {low}-{high}, got {self.refresh_seconds}"
            )
        for name in ("login_limit", "login_name_limit"):
            value = getattr(self, name)
            if not _RATE.fullmatch(value):
                raise ConfigError(
                    f"{PREFIX}{name.upper()} must read like '10 per minute', got {value!r}"
                )
        if self.limiter_storage and not self.limiter_storage.startswith(
            ("memory://", "redis://", "rediss://")
        ):
            raise ConfigError(
                f"{PREFIX}LIMITER_STORAGE must be memory:// or a redis:// URL, "
                f"got {self.limiter_storage!r}"
            )
        if self.tile_url and "{z}" not in self.tile_url:
            raise ConfigError(
                f"{PREFIX}TILE_URL must be a raster tile template with {{z}}/{{x}}/{{y}}, "
                f"got {self.tile_url!r}"
            )


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{PREFIX}{name.upper()} must be true or false, got {value!r}")
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{PREFIX}{name.upper()} must be an integer, got {value!r}") from None
    if isinstance(default, Path):
        path = Path(value).expanduser()
        return path if path.is_absolute() else (Path.cwd() / path)
    return str(value)


def load_settings(
    config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build settings from ``GRIDMAP_*`` variables, overridden by ``config`` keys.

    Parameters
    ----------
    config : mapping, optional
        Keys are setting names in lower case (``data_dir``) or ``GRIDMAP_`` names.
    environ : mapping, optional
        The environment to read (``os.environ`` by default).

    Returns
    -------
    Settings
    """
    environ = os.environ if environ is None else environ
    defaults = Settings.__dataclass_fields__
    names = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for name in names:
        key = PREFIX + name.upper()
        if key in environ:
            values[name] = environ[key]
    for key, value in (config or {}).items():
        name = key[len(PREFIX) :].lower() if key.upper().startswith(PREFIX) else key.lower()
        if name not in names:
            raise ConfigError(f"unknown setting {key!r}; known: {sorted(names)}")
        values[name] = value
    coerced = {n: _coerce(n, v, defaults[n].default) for n, v in values.items()}
    return Settings(**coerced)
