"""The demo year through the dispatch loop: registration times, reworks, escalations, timeline.

:func:`add_loop` adds to the demo frame (after the legacy stage times are drawn) when each case
was registered (a share of its category's register limit: log-normal, median a quarter of it,
so a few are late), which of the closed cases were sent back once at verification (返工, about
3 % of the dispatched ones, inside the time they took) and which late cases were escalated
(督办: 15 % of those closed after their close limit, and every case still dispatched and not
handled when the demo year ends, once its close limit has run out: a recent case, overdue by
days at most). It draws from its
own random stream, so the legacy columns stay as they were. :func:`events` turns the frame into
its timeline (one row per action); :func:`at` sets each case's state, escalation and rework
count as of a moment from the timeline rows before it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridmap.incidents.deadlines import default_limits
from gridmap.incidents.due_columns import STATUS_OF_STATE

LOOP_SEED = 8260
#: Share of dispatched, closed cases sent back once at verification.
REWORK_SHARE = 0.03
#: Share of the late closed cases escalated.
ESCALATE_SHARE = 0.15
#: Actors of the demo timeline.
CENTRE = "user:demo-commander"


def _hours(values) -> pd.TimedeltaIndex:
    return pd.to_timedelta(np.round(np.asarray(values, dtype=float) * 3600), unit="s")


def add_loop(frame: pd.DataFrame, seed: int = LOOP_SEED) -> None:
    """Add the loop's times to the demo ``frame``, in place (NaT where it did not happen).

    ``registered_at``, ``handled_at``, ``first_handled_at``, ``rework_at``, ``escalated_at``.
    """
    rng = np.random.default_rng(seed)
    n = len(frame)
    limits = default_limits()
    cat = frame["category"].to_numpy()
    rep = frame["reported_at"]
    dis, res, clo = frame["dispatched_at"], frame["resolved_at"], frame["closed_at"]
    register_h = np.array([limits[c].register for c in cat])
    close_h = np.array([limits[c].close for c in cat])
    delay = np.exp(np.log(0.25 * register_h) + 0.9 * rng.standard_normal(n))
    # Registered before the dispatch (or, settled on the spot, before the settling).
    room = ((dis.fillna(res) - rep).dt.total_seconds() / 3600).to_numpy()
    delay = np.where(np.isnan(room), delay, np.minimum(delay, 0.8 * np.nan_to_num(room)))
    frame["registered_at"] = rep + _hours(delay)
    frame["handled_at"] = res

    draw = rng.random(n)
    span = (res - dis).dt.total_seconds().to_numpy() / 3600
    rework = (draw < REWORK_SHARE) & dis.notna().to_numpy() & clo.notna().to_numpy()
    rework &= np.nan_to_num(span) > 2.0
    first = dis + _hours(np.nan_to_num(span) * 0.55)
    back = dis + _hours(np.nan_to_num(span) * 0.7)
    frame["first_handled_at"] = first.where(rework)
    frame["rework_at"] = back.where(rework)

    took = ((clo - rep).dt.total_seconds() / 3600).to_numpy()
    late = clo.notna().to_numpy() & (np.nan_to_num(took) > close_h) & dis.notna().to_numpy()
    # Still with the unit at the year's end: escalated when the close limit runs out (the
    # timeline keeps that step only once it has happened).
    waiting = dis.notna().to_numpy() & res.isna().to_numpy()
    chosen = (late & ~rework & (rng.random(n) < ESCALATE_SHARE)) | waiting
    # Escalated once the close limit has run out (late cases: before they were settled).
    when = rep + _hours(close_h)
    when = when.where(when < res.fillna(when + pd.Timedelta(hours=1)), dis + (res - dis) * 0.8)
    frame["escalated_at"] = when.where(chosen)


def events(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the timeline of the demo ``frame`` (after :func:`add_loop`), ordered by time.

    Columns ``incident_id, at, actor, role, action, from_state, to_state, unit, note``.
    """
    ids = frame["id"]
    town = "user:township-" + frame["g2"].astype(str)
    unit_actor = "token:" + frame["unit"].fillna("").astype(str)
    spot = frame["dispatched_at"].isna()
    rework = frame["rework_at"].notna()
    parts = []

    def add(mask, at, actor, role, action, source, target, unit=None, note=None) -> None:
        mask = mask & at.notna()
        if not mask.any():
            return
        parts.append(pd.DataFrame({
            "incident_id": ids[mask], "at": at[mask],
            "actor": actor[mask] if isinstance(actor, pd.Series) else actor,
            "role": role, "action": action, "from_state": source, "to_state": target,
            "unit": unit[mask] if isinstance(unit, pd.Series) else unit, "note": note,
        }))  # fmt: skip

    every = pd.Series(True, index=frame.index)
    add(every, frame["registered_at"], town, "township", "register", "reported", "registered")
    add(~spot, frame["dispatched_at"], town, "township", "dispatch", "registered", "dispatched",
        unit=frame["unit"])  # fmt: skip
    # Settled on the spot: handed to the grid member at once (no centre dispatch time kept).
    member = pd.Series("网格员", index=frame.index)
    add(spot, frame["registered_at"] + pd.Timedelta(seconds=30), town, "township", "dispatch",
        "registered", "dispatched", unit=member)  # fmt: skip
    add(spot, frame["resolved_at"], town, "township", "handle", "dispatched", "handled",
        note="网格员现场化解")  # fmt: skip
    add(~spot & rework, frame["first_handled_at"], unit_actor, "unit", "handle", "dispatched",
        "handled", note="已处置")  # fmt: skip
    add(rework, frame["rework_at"], CENTRE, "commander", "rework", "handled", "rework",
        note="核查未通过，返工")  # fmt: skip
    add(rework, frame["rework_at"] + pd.Timedelta(minutes=20), town, "township", "dispatch",
        "rework", "dispatched", unit=frame["unit"])  # fmt: skip
    add(~spot, frame["resolved_at"], unit_actor, "unit", "handle", "dispatched", "handled",
        note="已处置")  # fmt: skip
    add(every, frame["closed_at"], CENTRE, "commander", "verify", "handled", "closed")
    add(every, frame["escalated_at"], CENTRE, "commander", "escalate", "dispatched",
        "dispatched", note="超期督办")  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    order = {"register": 0, "dispatch": 1, "escalate": 2, "handle": 3, "rework": 4, "verify": 5}
    out["_rank"] = out["action"].map(order)
    out = out.sort_values(["at", "incident_id", "_rank"], kind="stable").drop(columns="_rank")
    return out.reset_index(drop=True)


def at(frame: pd.DataFrame, timeline: pd.DataFrame, now) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the frame and timeline as they stood at ``now`` (state, escalation, reworks).

    Timeline rows after ``now`` are dropped; a case's state is the state its last row before
    ``now`` led to (reported with none); its loop times after ``now`` are undone.
    """
    stamp = pd.Timestamp(now).tz_convert("UTC")
    timeline = timeline[timeline["at"] <= stamp].reset_index(drop=True)
    out = frame.copy()
    last = timeline.groupby("incident_id")["to_state"].last()
    out["state"] = out["id"].map(last).fillna("reported")
    out["status"] = out["state"].map(STATUS_OF_STATE)  # the projection old readers know
    escalated = timeline[timeline["action"] == "escalate"]["incident_id"]
    out["escalation"] = out["id"].isin(escalated).astype(int)
    reworks = timeline[timeline["action"] == "rework"].groupby("incident_id").size()
    out["reworks"] = out["id"].map(reworks).fillna(0).astype(int)
    for column in ("registered_at", "handled_at", "first_handled_at", "rework_at", "escalated_at"):
        out.loc[out[column] > stamp, column] = pd.NaT
    out.loc[out["state"].isin(["dispatched", "rework", "registered", "reported"]),
            "handled_at"] = pd.NaT  # fmt: skip
    return out, timeline
