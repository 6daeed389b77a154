"""Pydantic models of the REST API's requests and answers: what the OpenAPI document is made of.

The models describe; the routes validate themselves (the domain's checks in
:mod:`gridmap.incidents.intake` and :mod:`web.incident_requests`), so every refusal keeps the
API's own shape: one ``{index, id, field, message}`` per bad record and field in a batch, or
``{error, status, parameter|field}`` for a request that cannot be used. The limits, enums and
field lists below are read from the same constants those checks use, so the document cannot
drift from them. Answers allow fields beyond the ones listed (a client must ignore new ones);
request bodies do not (an unknown field is refused, as the intake does).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S
from gridmap.coverage.params import MAX_MINUTES, MAX_SPEED_SCALE, MIN_MINUTES, MIN_SPEED_SCALE
from gridmap.coverage.suggest import MAX_K, WEIGHTS
from gridmap.incidents.categories import CATEGORY_IDS, STATUSES
from gridmap.incidents.intake import ID_PATTERN
from gridmap.incidents.queues import MAX_LIMIT as QUEUE_MAX_LIMIT
from gridmap.incidents.queues import QUEUES
from gridmap.incidents.tables import MAX_LENGTHS
from gridmap.incidents.workflow import ACTIONS, STATES
from web.incident_requests import DEFAULT_LIMIT, MAX_LIMIT

_PROFILES = ("free", "rush", "night")

#: Most records in one POST (:data:`web.incidents_api.MAX_RECORDS`, repeated here to keep the
#: import one way: the API module imports these models).
MAX_RECORDS = 1000

Category = Literal[CATEGORY_IDS]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Time = Field(
    json_schema_extra={"format": "date-time"},
    description="ISO-8601 time; without an offset it is UTC",
)


class Answer(BaseModel):
    """Base of the answers: fields beyond the listed ones may appear (ignore them)."""

    model_config = ConfigDict(extra="allow")


class Body(BaseModel):
    """Base of the request bodies: an unknown field is refused."""

    model_config = ConfigDict(extra="forbid")


# -- errors --------------------------------------------------------------------------------
class ErrorAnswer(Answer):
    """A request that cannot be used: what is wrong, and which parameter or field."""

    error: str = Field(description="What is wrong, in English")
    status: int | None = Field(None, description="The HTTP status, repeated")
    parameter: str | None = Field(None, description="The query parameter at fault")
    field: str | None = Field(None, description="The body field (or path id) at fault")


# -- health and grids ----------------------------------------------------------------------
class Health(Answer):
    """The server is up; which data it serves."""

    status: Literal["ok"]
    district: str
    data_version: str = Field(description="The data's hash: the version in /geo/ URLs")
    demo: bool
    grids: dict[str, int] = Field(description="Number of grids per level ('1'..'5')")
    posts: int


class LevelName(Answer):
    """The district's own word for a level, in both languages."""

    zh: str
    en: str


class GridBrief(Answer):
    """A grid's identity."""

    grid_id: str
    level: int = Field(ge=1, le=5)
    name_zh: str
    name_en: str | None = None
    code: str | None = None
    key: str = Field(description="Short key of the grid in the display geometry")
    level_name: LevelName


class GridFigures(GridBrief):
    """A grid with its figures (null: the district has no such figure)."""

    area_km2: float
    population: int | float | None = None
    density: float | None = None
    staff: int | float | None = None
    children: int
    posts: int
    point: list[float] = Field(description="Label point [lon, lat]")


class SelectedGrid(GridFigures):
    """The asked grid: its figures and its pinyin."""

    pinyin: str | None = None


class Post(Answer):
    """A police post."""

    post_id: str
    name_zh: str | None = None
    name_en: str | None = None
    lon: float
    lat: float
    officers: int | float | None = None
    ebikes: int | float | None = None


class GridSummary(Answer):
    """A grid, its parent chain, its children with their figures and the posts inside."""

    grid: SelectedGrid
    chain: list[GridBrief] = Field(description="From the district down to the parent")
    children: list[GridFigures]
    posts: list[Post]


# -- incidents -----------------------------------------------------------------------------
class IncidentIn(Body):
    """One incident as a reporter sends it (rules: gridmap/incidents/intake.py)."""

    id: str = Field(
        pattern=f"^{ID_PATTERN.pattern}$",
        max_length=MAX_LENGTHS["id"],
        description="The reporter's own id; sending it again stores nothing new",
    )
    category: Category
    reported_at: str = Time
    lon: float = Field(ge=-180, le=180, description="Degrees (WGS84), inside the district")
    lat: float = Field(ge=-90, le=90, description="Degrees (WGS84), inside the district")
    status: Status | None = Field(None, description="Default: reported")
    dispatched_at: str | None = Field(None, json_schema_extra={"format": "date-time"})
    resolved_at: str | None = Field(
        None, json_schema_extra={"format": "date-time"},
        description="Required when status is resolved or closed",
    )  # fmt: skip
    closed_at: str | None = Field(None, json_schema_extra={"format": "date-time"})
    reporter: str | None = Field(None, max_length=MAX_LENGTHS["reporter"])
    description: str | None = Field(None, max_length=MAX_LENGTHS["description"])
    unit: str | None = Field(
        None, max_length=MAX_LENGTHS["unit"], description="Default: the category's unit"
    )


class IncidentBatch(Body):
    """A batch wrapped in an object."""

    incidents: list[IncidentIn] = Field(min_length=1, max_length=MAX_RECORDS)


class IncidentPost(RootModel):
    """One record, a list of up to 1,000, or '{"incidents": [...]}'."""

    root: (
        IncidentIn
        | Annotated[list[IncidentIn], Field(min_length=1, max_length=MAX_RECORDS)]
        | IncidentBatch
    )


class Rejection(Answer):
    """One problem with one record: its index in the batch, its id, the field and the rule."""

    index: int
    id: str | None
    field: str
    message: str


class Conflict(Answer):
    """An id already stored (or earlier in the batch) sent with other content (not stored)."""

    id: str
    fields: list[str] = Field(description="The fields whose content differs")


class IntakeAnswer(Answer):
    """What a POST stored, found already stored, refused (per record and field) or conflicted."""

    received: int
    stored: int
    duplicates: int
    stored_ids: list[str]
    duplicate_ids: list[str]
    rejected: list[Rejection]
    conflicts: list[Conflict]


class StatusChange(Body):
    """A status change of the dispatch workflow."""

    status: Status
    at: str | None = Field(
        None, json_schema_extra={"format": "date-time"}, description="Default: now"
    )
    unit: str | None = Field(None, max_length=MAX_LENGTHS["unit"])


class Incident(Answer):
    """A stored incident, with its grids at every level (g1 district ... g5)."""

    id: str
    category: str
    status: Status
    reported_at: str = Field(json_schema_extra={"format": "date-time"})
    dispatched_at: str | None = None
    resolved_at: str | None = None
    closed_at: str | None = None
    lon: float
    lat: float
    g1: str
    g2: str
    g3: str
    g4: str
    g5: str
    reporter: str | None = None
    description: str | None = None
    unit: str | None = None
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class IncidentList(Answer):
    """A page of incidents ('format=json')."""

    count: int
    limit: int
    offset: int
    version: int = Field(description="The store's version: it changes with every write")
    incidents: list[Incident]


class IncidentQuery(Body):
    """Filters of 'GET /api/v1/incidents'."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    grid: str | None = Field(None, description="A grid id of any level")
    level: int | None = Field(None, ge=1, le=5, description="Only incidents of grids of a level")
    from_: str | None = Field(
        None, alias="from", json_schema_extra={"format": "date-time"},
        description="from <= reported_at",
    )  # fmt: skip
    to: str | None = Field(
        None, json_schema_extra={"format": "date-time"}, description="reported_at < to"
    )
    category: list[Category] | None = Field(None, description="Repeated or comma-separated")
    status: list[Status] | None = Field(None, description="Repeated or comma-separated")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10**9)
    format: Literal["json", "geojson", "csv"] | None = Field(
        None, description="Default: from the Accept header, else json"
    )


# -- GeoJSON -------------------------------------------------------------------------------
class Geometry(Answer):
    """A GeoJSON geometry (an empty polygon has '[[]]' as coordinates)."""

    type: str
    coordinates: Any = None


class Feature(Answer):
    """A GeoJSON feature."""

    type: Literal["Feature"]
    geometry: Geometry | None
    properties: dict[str, Any] | None = None


class FeatureCollection(Answer):
    """A GeoJSON feature collection."""

    type: Literal["FeatureCollection"]
    features: list[Feature]


# -- coverage ------------------------------------------------------------------------------
class CoverageKpis(Answer):
    """Reach of the posts within the asker's grids (shares are 0-1; null: no such figure)."""

    minutes: float
    posts: int
    population: float | None = None
    covered_population: float | None = None
    uncovered_population: float | None = None
    population_share: float | None = None
    area_km2: float | None = None
    covered_area_km2: float | None = None
    area_share: float | None = None
    incidents: float | None = None
    covered_incidents: float | None = None
    incident_share: float | None = None
    warnings: list[str] = []


class GridCoverage(Answer):
    """One grid's share within reach."""

    grid_id: str
    level: int
    parent_id: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    population: float | None = None
    covered_population: float | None = None
    population_share: float | None = None
    area_km2: float | None = None
    covered_area_km2: float | None = None
    area_share: float | None = None
    incidents: float | None = None
    covered_incidents: float | None = None
    incident_share: float | None = None
    rank: int | None = Field(None, description="In 'worst' only")


class Coverage(Answer):
    """Coverage of one scenario: KPIs, per-grid figures, the worst grids, the polygons."""

    minutes: float
    method: str
    speed_scale: float
    posts: list[str]
    kpis: CoverageKpis
    warnings: list[str]
    grids: list[GridCoverage]
    worst: list[GridCoverage]
    geojson: FeatureCollection | None = Field(None, description="With geometry=1 (default)")


class CoverageQuery(Body):
    """Parameters of 'GET /api/v1/coverage'."""

    minutes: float = Field(5, ge=MIN_MINUTES, le=MAX_MINUTES)
    level: int | None = Field(None, ge=1, le=5, description="Per-grid figures of one level")
    speed_scale: float = Field(1.0, ge=MIN_SPEED_SCALE, le=MAX_SPEED_SCALE)
    disabled: str | None = Field(None, description="Post ids out of service, comma-separated")
    extra: str | None = Field(
        None, pattern=r"^[^;]*(;[^;]*)*$", description="New posts: 'lon,lat;lon,lat'"
    )
    geometry: Literal["1", "0", "true", "false", "yes", "no", "on", "off"] | None = Field(
        None, description="Coverage and gap polygons (default 1)"
    )
    worst: int = Field(10, ge=0, le=1000, description="How many worst-covered grids")


class _SolverQuery(Body):
    """Parameters every site-finding route shares (suggest, minimum, median)."""

    speed_scale: float = Field(1.0, ge=MIN_SPEED_SCALE, le=MAX_SPEED_SCALE)
    profile: Literal[_PROFILES] = "free"  # type: ignore[valid-type]
    weight: Literal[WEIGHTS] = "population"  # type: ignore[valid-type]
    disabled: str | None = Field(None, description="Post ids out of service, comma-separated")
    method: Literal["auto", "milp", "greedy"] = "auto"
    time_limit: float = Field(
        DEFAULT_TIME_LIMIT_S, ge=0.1, le=60, description="Seconds for the solver"
    )


class SuggestQuery(_SolverQuery):
    """Parameters of 'GET /api/v1/coverage/suggest'."""

    k: int = Field(10, ge=1, le=MAX_K)
    minutes: float = Field(5, ge=MIN_MINUTES, le=MAX_MINUTES)
    movable: str | None = Field(None, description="Post ids that may move, comma-separated")


class Site(Answer):
    """A suggested new post site, named by its township and village."""

    rank: int
    lon: float
    lat: float
    adds: float = Field(description="People (or incidents) newly covered")
    site: str | None = None
    township_id: str | None = None
    township_zh: str | None = None
    township_en: str | None = None
    village_id: str | None = None
    village_zh: str | None = None
    village_en: str | None = None


class Solver(Answer):
    """How the sites were found."""

    method: str
    status: str
    objective: float | None = None
    greedy_objective: float | None = None
    milp_objective: float | None = None
    mip_gap: float | None = None
    solve_seconds: float
    sizes: dict[str, int]


class Suggestion(Answer):
    """K new post sites maximising the people (or incidents) newly covered."""

    minutes: float
    k: int
    weight: str
    coverage_method: str
    solver: Solver
    candidates: int
    seconds: float
    sites: list[Site]
    kpis_before: CoverageKpis
    kpis_after: CoverageKpis


class GeometryQuery(Body):
    """Whose grids a level's geometry holds (levels 3 to 5)."""

    scope: str | None = Field(
        None,
        description="The reader's scope: grid ids, comma-separated. Required of a reader who "
        "sees part of the district (their own scope); left out, the whole level",
    )


class ScenarioQuery(Body):
    """The planner's scenario in the query string of a coverage layer."""

    minutes: float = Field(5, ge=MIN_MINUTES, le=MAX_MINUTES)
    speed: float = Field(1.0, ge=MIN_SPEED_SCALE, le=MAX_SPEED_SCALE)
    add: str | None = Field(None, description="New posts 'lon,lat;lon,lat'")
    off: str | None = Field(None, description="Post ids out of service, comma-separated")
    profile: Literal[_PROFILES] = "free"  # type: ignore[valid-type]


# -- planning: fewest posts, p-median, response times -----------------------------------------


class MinimumQuery(_SolverQuery):
    """Parameters of 'GET /api/v1/coverage/minimum' (fewest new posts for a target share)."""

    share: float = Field(..., gt=0, le=1, description="Target share within the minutes, 0-1")
    minutes: float = Field(5, ge=MIN_MINUTES, le=MAX_MINUTES)
    movable: str | None = Field(None, description="Post ids that may move, comma-separated")


class MedianQuery(_SolverQuery):
    """Parameters of 'GET /api/v1/coverage/median' (K posts minimising the mean time)."""

    k: int = Field(5, ge=1, le=MAX_K)


class TimesQuery(Body):
    """Parameters of 'GET /api/v1/coverage/times' (response times from the nearest post)."""

    level: int | None = Field(None, ge=1, le=5, description="Per-grid figures of one level")
    speed_scale: float = Field(1.0, ge=MIN_SPEED_SCALE, le=MAX_SPEED_SCALE)
    profile: Literal[_PROFILES] = "free"  # type: ignore[valid-type]
    disabled: str | None = Field(None, description="Post ids out of service, comma-separated")
    extra: str | None = Field(None, description="New posts: 'lon,lat;lon,lat'")


class Minimum(Answer):
    """The fewest new posts reaching a target share, with the solver's proof gap."""

    sites: list[dict[str, Any]]


class Median(Answer):
    """K new post sites minimising the population-weighted mean response time."""

    k: int
    sites: list[dict[str, Any]]


class Times(Answer):
    """Population-weighted mean and 90th-percentile response times, overall and per grid."""

    summary: dict[str, Any]


class DifferenceQuery(Body):
    """Two scenarios (query strings) of the planner's side-by-side view."""

    a: str | None = Field(None, description="Scenario A, a planner query string")
    b: str | None = Field(None, description="Scenario B, a planner query string")


# -- the dispatch loop (web/workflow_api.py) ---------------------------------------------------
class ActionBody(Body):
    """Body of 'POST /api/v1/incidents/<id>/actions': one workflow action on a case."""

    action: Literal[tuple(ACTIONS)] = Field(  # type: ignore[valid-type]
        description="register, dispatch (needs unit), handle, verify, rework, return, escalate, "
        "comment (those after handle need a note)"
    )
    unit: str | None = Field(None, max_length=MAX_LENGTHS["unit"], description="dispatch: to whom")
    note: str | None = Field(None, max_length=2000, description="What was done or why")
    at: str | None = Field(None, json_schema_extra={"format": "date-time"})
    expect_state: Literal[STATES] | None = Field(  # type: ignore[valid-type]
        None, description="Refuse (409) unless the case is still in this state"
    )


class Case(Answer):
    """A case with its workflow state and where its running deadline stands."""

    id: str
    state: Literal[STATES]  # type: ignore[valid-type]
    stage: str | None = None
    seconds_left: float | None = None
    overdue: bool


class Timeline(Case):
    """A case and every action taken on it, oldest first."""

    timeline: list[dict[str, Any]]


class QueuesQuery(Body):
    """Parameters of 'GET /api/v1/dispatch/queues'."""

    queue: Literal[QUEUES] | None = None  # type: ignore[valid-type]
    grid: str | None = None
    category: str | None = None
    unit: str | None = None
    age_hours: float | None = Field(None, ge=0)
    limit: int | None = Field(None, ge=1, le=QUEUE_MAX_LIMIT)


class Queues(Answer):
    """Every queue's size (and one queue's cases with 'queue=')."""

    now: str = Field(json_schema_extra={"format": "date-time"})
    counts: dict[str, int]


class PerformanceQuery(Body):
    """Parameters of 'GET /api/v1/incidents/performance'."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    level: int | None = Field(None, ge=1, le=5)
    grid: str | None = None
    by: Literal["grid", "unit"] | None = None
    from_: str | None = Field(None, alias="from", json_schema_extra={"format": "date-time"})
    to: str | None = Field(None, json_schema_extra={"format": "date-time"})


class Performance(Answer):
    """On-time closure, rework rate, times to dispatch and close, overdue: per grid or unit."""

    by: str
    figures: list[str]
    rows: list[dict[str, Any]]
    total: dict[str, Any]
