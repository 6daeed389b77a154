"""Incident categories and statuses: stable ids, Chinese/English labels, responsible units.

The categories follow the Zhoukou Daily article on Huaiyang's grid management (2022-08-26): grid
members report "problems, contradictions and disputes" through the app, the district's social
governance centre sorts them "by class and level" and pushes each to the unit responsible. The
units named here are the ones the article lists (Letters and Calls Bureau, People's Mediation
Centre, Human Resources and Social Security Bureau labour supervision brigade, ...) plus the
usual owners of the other kinds of problem.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    """

    id: str
    zh: str
    en: str
    group: str
    unit_zh: str
    unit_en: str

    def label(self, lang: str = "zh") -> str:
        """Return the label in ``lang`` (``zh`` or ``en``)."""
        return self.zh if lang == "zh" else self.en

    def unit(self, lang: str = "zh") -> str:
        """Return the responsible unit in ``lang`` (``zh`` or ``en``)."""
        return self.unit_zh if lang == "zh" else self.unit_en


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


def status_label(status: str, lang: str = "zh") -> str:
    """Return the label of ``status`` in ``lang``."""
    return STATUS_LABELS[status]["zh" if lang == "zh" else "en"]
