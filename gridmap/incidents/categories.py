"""Incident categories and statuses: stable ids, Chinese/English labels, responsible units.

The categories follow the Zhoukou Daily article on Huaiyang's grid management (2022-08-26): grid
members report "problems, contradictions and disputes" through the app, the district's social
governance centre sorts them "by class and level" and pushes each to the unit responsible. The
units named here are the ones the article lists (Letters and Calls Bureau, People's Mediation
Centre, Human Resources and Social Security Bureau labour supervision brigade, ...) plus the
usual owners of the other kinds of problem.

Each district has its own set (:class:`Categories`): the data folder's ``categories.json``,
else the twelve defaults of :data:`CATEGORIES`, their units worded for the district's kind
(县人民调解中心 for a county: :func:`district_categories`). The loaded district holds it as
``District.categories``; everything showing or checking categories takes it from there.

Stable API (the dispatch code relies on these names):

- ``district_categories(folder, meta) -> Categories``: a district's categories.
- ``Categories.ids``; ``Categories.get(id)``; ``Categories.category(id)`` (KeyError naming
  the known ids); ``Categories.label(id, lang)``; iteration in display order.
- ``Categories.units_for(category_id) -> tuple[Unit, ...]``: the units that may take a
  category, its default unit first (KeyError for an unknown category).
- ``Categories.default_unit(category_id) -> Unit``.
- ``Categories.all_units() -> tuple[Unit, ...]``: every unit once, in display order.
- ``Unit.zh``, ``Unit.en``, ``Unit.label(lang)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from gridmap.errors import DataError, Problem


@dataclass(frozen=True)
class Unit:
    """A unit that incidents are dispatched to, named in both languages."""

    zh: str
    en: str

    def label(self, lang: str = "zh") -> str:
        """Return the name in ``lang`` (``zh`` or ``en``)."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Category:
    """One incident category.

    Attributes
    ----------
    id : str
        Stable id used in the database, the API and URLs (``neighbourhood``).
    zh, en : str
        Labels.
    group : str
        ``dispute`` (the article's "contradictions and disputes"), ``petition``, ``hazard``,
        ``security``, ``service`` or ``other``.
    unit_zh, unit_en : str
        The unit responsible by default (the API accepts another unit per incident).
    other_units : tuple of Unit
        Further units that may take the category (``units`` in ``categories.json``).
    """

    id: str
    zh: str
    en: str
    group: str
    unit_zh: str
    unit_en: str
    other_units: tuple[Unit, ...] = ()

    def label(self, lang: str = "zh") -> str:
        """Return the label in ``lang`` (``zh`` or ``en``)."""
        return self.zh if lang == "zh" else self.en

    def unit(self, lang: str = "zh") -> str:
        """Return the responsible unit in ``lang`` (``zh`` or ``en``)."""
        return self.unit_zh if lang == "zh" else self.unit_en

    @property
    def units(self) -> tuple[Unit, ...]:
        """Return the units that may take the category, the default one first."""
        first = Unit(self.unit_zh, self.unit_en)
        return (first, *(u for u in self.other_units if u != first))


CATEGORIES: tuple[Category, ...] = (
    Category("neighbourhood", "邻里纠纷", "Neighbourhood disputes", "dispute",
             "村（社区）人民调解委员会", "Village (community) mediation committee"),
    Category("family", "家庭矛盾", "Family conflicts", "dispute",
             "区人民调解中心", "District People's Mediation Centre"),
    Category("land", "土地及房产纠纷", "Land and property disputes", "dispute",
             "区自然资源局", "District Natural Resources Bureau"),
    Category("labour", "劳资纠纷", "Labour and wage disputes", "dispute",
             "区人社局劳动保障监察大队", "District HRSS Bureau labour supervision brigade"),
    Category("security", "治安问题", "Public security", "security",
             "公安派出所", "Police station"),
    Category("fire", "消防安全隐患", "Safety hazard: fire", "hazard",
             "区消防救援大队", "District fire and rescue brigade"),
    Category("flood", "防汛安全隐患", "Safety hazard: flood", "hazard",
             "区水利局", "District Water Resources Bureau"),
    Category("traffic", "交通安全隐患", "Safety hazard: traffic", "hazard",
             "公安交警大队", "Traffic police brigade"),
    Category("environment", "环境卫生", "Environment and sanitation", "service",
             "区城市管理局", "District Urban Management Bureau"),
    Category("petition", "信访诉求", "Petitions", "petition",
             "区信访局", "District Letters and Calls Bureau"),
    Category("epidemic", "疫情防控", "Epidemic prevention", "service",
             "区卫生健康委员会", "District Health Commission"),
    Category("other", "其他", "Other", "other",
             "区社会治理综合服务中心", "District social governance service centre"),
)  # fmt: skip

#: Category by id.
BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}

#: Every category id, in display order.
CATEGORY_IDS: tuple[str, ...] = tuple(c.id for c in CATEGORIES)

#: The "typical contradictions and disputes" the article counts (510 in the first half year).
DISPUTE_IDS: tuple[str, ...] = ("neighbourhood", "family", "land", "labour")

#: Workflow states, in order.
STATUSES: tuple[str, ...] = ("reported", "dispatched", "resolved", "closed")

#: States counted as open (not yet resolved).
OPEN_STATUSES: tuple[str, ...] = ("reported", "dispatched")

#: States counted as resolved.
DONE_STATUSES: tuple[str, ...] = ("resolved", "closed")

STATUS_LABELS: dict[str, dict[str, str]] = {
    "reported": {"zh": "已上报", "en": "Reported"},
    "dispatched": {"zh": "已派遣", "en": "Dispatched"},
    "resolved": {"zh": "已办结", "en": "Resolved"},
    "closed": {"zh": "已归档", "en": "Closed"},
}

#: Allowed status changes. ``reported -> resolved`` is a problem the grid member settled on the
#: spot (the article asks members to resolve neighbourhood and family disputes themselves);
#: ``resolved -> dispatched`` reopens a case the command centre's review found unfinished.
#: ``closed`` is final.
TRANSITIONS: dict[str, frozenset[str]] = {
    "reported": frozenset({"dispatched", "resolved"}),
    "dispatched": frozenset({"resolved"}),
    "resolved": frozenset({"closed", "dispatched"}),
    "closed": frozenset(),
}


def category(category_id: str) -> Category:
    """Return the category called ``category_id``.

    Raises
    ------
    KeyError
        With the known ids, when ``category_id`` is unknown.
    """
    try:
        return BY_ID[category_id]
    except KeyError:
        raise KeyError(
            f"unknown category {category_id!r}; known: {', '.join(CATEGORY_IDS)}"
        ) from None


#: The optional file of a data folder that replaces the categories and their units.
CATEGORIES_FILE = "categories.json"
#: The groups a category may belong to.
GROUPS: tuple[str, ...] = ("dispute", "petition", "hazard", "security", "service", "other")
_FIELDS = ("zh", "en", "group", "unit_zh", "unit_en")
_KNOWN = ("id", *_FIELDS, "units")


def _units(cid: str, value: object) -> tuple[tuple[Unit, ...], list[str]]:
    """Return the further ``units`` of an entry and what is wrong with them."""
    rule = f'{cid}: units must be a list of {{"zh": "...", "en": "..."}} with non-empty text'
    if not isinstance(value, list):
        return (), [f"{rule}, got {value!r}"]
    units, errors = [], []
    for number, item in enumerate(value, start=1):
        ok = (
            isinstance(item, dict)
            and set(item) == {"zh", "en"}
            and all(isinstance(v, str) and v.strip() for v in item.values())
        )
        if not ok:
            errors.append(f"{rule}; unit {number} is {item!r}")
        else:
            units.append(Unit(item["zh"].strip(), item["en"].strip()))
    return tuple(units), errors


def _entry(
    number: int, item: object, defaults: Mapping[str, Category]
) -> tuple[Category | None, list[str]]:
    """Return one category of ``categories.json`` (None when broken) and what is wrong."""
    if not isinstance(item, dict):
        return None, [f"entry {number}: must be an object with id, zh, en, group, unit_zh, unit_en"]
    cid = item.get("id")
    if not isinstance(cid, str) or not cid.strip() or not cid.replace("-", "").isalnum():
        return None, [f"entry {number}: id must be text of letters, digits or '-', got {cid!r}"]
    unknown = sorted(set(item) - set(_KNOWN))
    if unknown:
        return None, [f"{cid}: unknown field(s) {', '.join(unknown)} (known: {', '.join(_KNOWN)})"]
    base = defaults.get(cid)
    values = {f: getattr(base, f) for f in _FIELDS} if base else {"group": "other"}
    values.update({k: v for k, v in item.items() if k not in ("id", "units")})
    errors = []
    for f in _FIELDS:
        if not isinstance(values.get(f), str) or not values[f].strip():
            errors.append(
                f"{cid}: {f} must be non-empty text" + ("" if f in item else " (missing)")
            )
    if not errors and values["group"] not in GROUPS:
        errors.append(f"{cid}: group must be one of {', '.join(GROUPS)}, got {values['group']!r}")
    others: tuple[Unit, ...] = base.other_units if base else ()
    if "units" in item:
        others, found = _units(cid, item["units"])
        errors += found
    if errors:
        return None, errors
    return Category(cid, *(values[f].strip() for f in _FIELDS), others), []


def for_district(categories: Iterable[Category], zh: str, en: str) -> tuple[Category, ...]:
    """Return ``categories`` with the default units' 区 / "District" put as ``zh`` / ``en``.

    So a county's defaults read 县人民调解中心 / "County People's Mediation Centre".
    """

    def swap(text: str, old: str, new: str) -> str:
        return new + text[len(old) :] if text.startswith(old) else text

    return tuple(
        Category(
            c.id,
            c.zh,
            c.en,
            c.group,
            swap(c.unit_zh, "区", zh),
            swap(c.unit_en, "District ", f"{en} "),
            c.other_units,
        )
        for c in categories
    )


def read_categories(
    folder: str | Path, defaults: Iterable[Category] = CATEGORIES
) -> tuple[tuple[Category, ...], list[Problem]]:
    """Return the categories of a data folder and the problems with its ``categories.json``.

    Without the file these are ``defaults`` (:data:`CATEGORIES`). The file holds a list of
    categories (``[{"id": "land", "unit_zh": "县自然资源局", "unit_en": "County ..."}, ...]``)
    in display order: those listed are the district's; a default id may give only the fields
    it changes (the others come from ``defaults``), a new id needs ``zh``, ``en``,
    ``unit_zh`` and ``unit_en`` (``group`` defaults to other). ``units`` optionally lists
    further units that may take the category (``[{"zh": ..., "en": ...}]``).

    Returns
    -------
    categories : tuple of Category
        The defaults when the file is absent or broken.
    problems : list of Problem
        Every problem, each naming the entry or category id and the field.
    """
    defaults = tuple(defaults)
    path = Path(folder) / CATEGORIES_FILE
    if not path.is_file():
        return defaults, []
    try:
        items = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return defaults, [Problem(CATEGORIES_FILE, "categories", f"cannot read the JSON: {exc}")]
    if not isinstance(items, list) or not items:
        message = "the file must hold a non-empty list of categories"
        return defaults, [Problem(CATEGORIES_FILE, "categories", message)]
    by_id = {c.id: c for c in defaults}
    found: list[Category] = []
    problems = []
    for number, item in enumerate(items, start=1):
        cat, errors = _entry(number, item, by_id)
        problems += [Problem(CATEGORIES_FILE, "categories", e) for e in errors]
        if cat is not None:
            if any(c.id == cat.id for c in found):
                message = f"{cat.id}: listed twice"
                problems.append(Problem(CATEGORIES_FILE, "categories", message, (cat.id,)))
            found.append(cat)
    if problems:
        return defaults, problems
    return tuple(found), []


def categories_problems(folder: str | Path) -> list[Problem]:
    """Return the problems with a data folder's ``categories.json`` (none when absent)."""
    return read_categories(folder)[1]


def load_categories(folder: str | Path) -> tuple[Category, ...]:
    """Return the categories of a data folder (:func:`read_categories`).

    Raises
    ------
    DataError
        Listing every problem of ``categories.json``.
    """
    categories, problems = read_categories(folder)
    if problems:
        raise DataError(problems)
    return categories


class Categories:
    """The categories of one district, in display order, with their units.

    Iterating, ``len`` and indexing work as on a tuple of :class:`Category`; ``id in
    categories`` tests an id.

    Parameters
    ----------
    items : iterable of Category
        In display order; ids must be unique.
    source : str, optional
        Where they come from: ``"categories.json"``, or None for the documented defaults.
    """

    def __init__(self, items: Iterable[Category], *, source: str | None = None):
        self.items: tuple[Category, ...] = tuple(items)
        self.source = source
        self._by_id = {c.id: c for c in self.items}
        if len(self._by_id) != len(self.items):
            raise ValueError("category ids must be unique")
        #: Every id, in display order.
        self.ids: tuple[str, ...] = tuple(self._by_id)

    def __iter__(self) -> Iterator[Category]:
        """Iterate in display order."""
        return iter(self.items)

    def __len__(self) -> int:
        """Return how many categories there are."""
        return len(self.items)

    def __getitem__(self, index: int) -> Category:
        """Return the category at ``index`` in display order."""
        return self.items[index]

    def __contains__(self, category_id: object) -> bool:
        """Return whether ``category_id`` is one of these categories' ids."""
        return category_id in self._by_id

    def __eq__(self, other: object) -> bool:
        """Compare the categories (not where they come from)."""
        if isinstance(other, Categories):
            return self.items == other.items
        return isinstance(other, tuple) and self.items == other

    def __hash__(self) -> int:
        """Hash the categories."""
        return hash(self.items)

    def __repr__(self) -> str:
        """Show the ids and the source."""
        return f"Categories({', '.join(self.ids)}; source={self.source or 'defaults'})"

    def get(self, category_id: str) -> Category | None:
        """Return the category called ``category_id``, or None."""
        return self._by_id.get(category_id)

    def category(self, category_id: str) -> Category:
        """Return the category called ``category_id`` (KeyError naming the known ids)."""
        try:
            return self._by_id[category_id]
        except (KeyError, TypeError):
            raise KeyError(
                f"unknown category {category_id!r}; known: {', '.join(self.ids)}"
            ) from None

    def label(self, category_id: str, lang: str = "zh") -> str:
        """Return the label of ``category_id`` in ``lang`` (the id itself when unknown)."""
        found = self._by_id.get(category_id)
        return found.label(lang) if found else str(category_id)

    def units_for(self, category_id: str) -> tuple[Unit, ...]:
        """Return the units that may take ``category_id``, its default unit first."""
        return self.category(category_id).units

    def default_unit(self, category_id: str) -> Unit:
        """Return the unit an incident of ``category_id`` goes to unless another is named."""
        return self.units_for(category_id)[0]

    def all_units(self) -> tuple[Unit, ...]:
        """Return every unit of every category once, in display order."""
        seen: dict[Unit, None] = {}
        for c in self.items:
            seen.update(dict.fromkeys(c.units))
        return tuple(seen)

    def options(self, lang: str) -> list[dict[str, str]]:
        """Return ``[{"label": ..., "value": id}]`` in display order (menus, legends)."""
        return [{"label": c.label(lang), "value": c.id} for c in self.items]

    def describe(self) -> str:
        """Return one line for ``check``: how many categories and where they come from."""
        where = self.source or f"the defaults (no {CATEGORIES_FILE})"
        return f"categories: {len(self)} from {where}"


#: The twelve default categories, worded for a district (区).
DEFAULTS = Categories(CATEGORIES)


def district_categories(folder: str | Path, meta: Mapping | None = None) -> Categories:
    """Return a district's categories: its ``categories.json``, else the defaults.

    The defaults' units take the district's own word for its kind from ``district.json``
    (level 1 of ``level_names``: 县 gives 县人民调解中心 / "County People's Mediation Centre");
    so do the fields a ``categories.json`` entry leaves to the defaults.

    Raises
    ------
    DataError
        Listing every problem of ``categories.json`` (``check`` lists them too).
    """
    from gridmap.grids.wording import district_word

    meta = meta or {}
    worded = for_district(CATEGORIES, district_word(meta, "zh"), district_word(meta, "en"))
    found, problems = read_categories(folder, worded)
    if problems:
        raise DataError(problems)
    has_file = (Path(folder) / CATEGORIES_FILE).is_file()
    return Categories(found, source=CATEGORIES_FILE if has_file else None)


def status_label(status: str, lang: str = "zh") -> str:
    """Return the label of ``status`` in ``lang``."""
    return STATUS_LABELS[status]["zh" if lang == "zh" else "en"]
