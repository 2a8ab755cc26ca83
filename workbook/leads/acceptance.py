"""Sales acceptance review: sales' verdicts on delivered leads beside the model's cells and states.

Sales says per delivered lead whether it was accepted or rejected, and often why. Joined on a
lead id with a scored lead list, this gives the acceptance rate per cell and per state and the
leads where sales and the model disagree most — the model's hottest leads that sales rejected,
and its coldest leads that sales accepted — so the room can see whether the gap lies in sales'
qualification or in the lead engine.

A verdict reads as accepted for ``accepted``, ``accept``, ``yes``, ``y``, ``1``, ``true``,
``qualified`` and as rejected for ``rejected``, ``reject``, ``no``, ``n``, ``0``, ``false``,
``disqualified``, ``unqualified`` (case-insensitive, surrounding spaces ignored); anything else
is an unknown verdict, counted and left out of the rates. Ids are compared as trimmed text.
When one id has several verdicts, the last one counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.leads.evidence import cell_rank
from workbook.match import WHITESPACE, cell_text
from workbook.model import ScoringModel

_ACCEPTED = {"accepted", "accept", "yes", "y", "1", "true", "qualified"}
_REJECTED = {"rejected", "reject", "no", "n", "0", "false", "disqualified", "unqualified"}


class AcceptanceError(ValueError):
    """The verdicts cannot be read or joined as described."""


@dataclass(frozen=True)
class AcceptanceGroup:
    """One cell or state: leads with a verdict, accepted, rejected, the rate and the main rejection reasons."""

    name: str | None
    delivered: int  # leads of the group with a known verdict
    accepted: int
    rejected: int
    reasons: list[tuple[str, int]] = field(default_factory=list)  # rejection reasons, most common first

    @property
    def rate(self) -> float | None:
        return self.accepted / self.delivered if self.delivered else None

    def as_dict(self, key: str) -> dict[str, object]:
        return {key: self.name, "delivered": self.delivered, "accepted": self.accepted, "rejected": self.rejected,
                "rate": self.rate, "reasons": [{"reason": r, "count": c} for r, c in self.reasons]}


@dataclass(frozen=True)
class Disagreement:
    """A lead on which sales and the model disagree."""

    lead_id: str
    cell: str | None
    state: str | None
    verdict: str  # "accepted" or "rejected"
    reason: str | None
    profile_pct: float | None
    engagement_pct: float | None

    def as_dict(self) -> dict[str, object]:
        return {"lead_id": self.lead_id, "cell": self.cell, "state": self.state, "verdict": self.verdict,
                "reason": self.reason, "profile_pct": self.profile_pct, "engagement_pct": self.engagement_pct}


@dataclass(frozen=True)
class AcceptanceReview:
    """Acceptance per cell and per state, the most striking disagreements, and what did not join."""

    cells: list[AcceptanceGroup]
    states: list[AcceptanceGroup]
    total: AcceptanceGroup
    hot_rejected: list[Disagreement]  # the model's most sales-ready leads that sales rejected
    cold_accepted: list[Disagreement]  # the model's least sales-ready leads that sales accepted
    unknown_verdicts: list[tuple[str, int]]
    unmatched_ids: int  # verdicts whose id is not in the lead list
    duplicate_ids: int  # verdicts overridden by a later one for the same id

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total.as_dict("list"),
            "cells": [g.as_dict("cell") for g in self.cells],
            "states": [g.as_dict("state") for g in self.states],
            "hot_rejected": [d.as_dict() for d in self.hot_rejected],
            "cold_accepted": [d.as_dict() for d in self.cold_accepted],
            "unknown_verdicts": [{"value": v, "count": c} for v, c in self.unknown_verdicts],
            "unmatched_ids": self.unmatched_ids,
            "duplicate_ids": self.duplicate_ids,
        }


def _text(cell: object) -> str:
    text = cell_text(cell)
    return text.strip(WHITESPACE) if text is not None else ""


def parse_verdict(cell: object) -> str | None:
    """``"accepted"``, ``"rejected"`` or None (unknown)."""
    key = _text(cell).casefold()
    return "accepted" if key in _ACCEPTED else "rejected" if key in _REJECTED else None


def acceptance_review(
    model: ScoringModel,
    scored: pd.DataFrame,
    verdicts: pd.DataFrame,
    *,
    id_column: str,
    verdict_column: str,
    reason_column: str | None = None,
    verdict_id_column: str | None = None,
    top: int = 10,
    top_reasons: int = 3,
) -> AcceptanceReview:
    """Join ``verdicts`` to a scored lead list on the lead id and review acceptance per cell and state.

    ``id_column`` is the id in ``scored``; ``verdict_id_column`` the id in ``verdicts`` (default
    the same name). ``top`` disagreements of each kind are listed.
    """
    vid = verdict_id_column or id_column
    for frame, columns, what in ((scored, [id_column], "lead list"),
                                 (verdicts, [vid, verdict_column, *([reason_column] if reason_column else [])],
                                  "verdicts")):
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise AcceptanceError(f"the {what} have no column " + ", ".join(f"'{c}'" for c in absent))
    ids = [_text(x) for x in verdicts[vid].tolist()]
    parsed = [parse_verdict(x) for x in verdicts[verdict_column].tolist()]
    reasons = [_text(x) or None for x in verdicts[reason_column].tolist()] if reason_column else [None] * len(ids)
    unknown = Counter(_text(x) for x, p in zip(verdicts[verdict_column].tolist(), parsed, strict=True) if p is None)
    latest: dict[str, tuple[str | None, str | None]] = {}
    duplicates = 0
    for i, v, r in zip(ids, parsed, reasons, strict=True):
        if not i:
            continue
        duplicates += i in latest
        latest[i] = (v, r)
    lead_ids = [_text(x) for x in scored[id_column].tolist()]
    present = set(lead_ids)
    unmatched = sum(1 for i in latest if i not in present)
    verdict = np.array([latest.get(i, (None, None))[0] for i in lead_ids], dtype=object)
    reason = np.array([latest.get(i, (None, None))[1] for i in lead_ids], dtype=object)
    cells = scored["cell"].astype(object).to_numpy()
    states = scored["state"].astype(object).to_numpy()

    def group(name: str | None, mask: np.ndarray) -> AcceptanceGroup:
        acc = int(np.sum(mask & (verdict == "accepted")))
        rej_mask = mask & (verdict == "rejected")
        why = Counter(r for r in reason[rej_mask] if r)
        return AcceptanceGroup(name, acc + int(rej_mask.sum()), acc, int(rej_mask.sum()), why.most_common(top_reasons))

    cell_names = list(dict.fromkeys([*model.cells, *sorted({c for c in cells if isinstance(c, str)})]))
    state_names = list(dict.fromkeys([*model.state_names, *sorted({s for s in states if isinstance(s, str)})]))
    rank = cell_rank(model, scored)
    pct = (scored["profile_pct"].to_numpy(float) + scored["engagement_pct"].to_numpy(float)
           if {"profile_pct", "engagement_pct"} <= set(scored.columns) else np.zeros(len(scored)))

    def pick(kind: str, hottest_first: bool) -> list[Disagreement]:
        rows = np.flatnonzero(verdict == kind)
        # most sales-ready first by cell, then by the two percentages together; ties by list order
        order = np.lexsort((rows, -pct[rows], -rank[rows])) if hottest_first else np.lexsort(
            (rows, pct[rows], rank[rows]))
        out = []
        for i in rows[order][:top]:
            out.append(Disagreement(
                lead_ids[i], _opt(cells[i]), _opt(states[i]), kind, reason[i],
                _num(scored, "profile_pct", i), _num(scored, "engagement_pct", i),
            ))
        return out

    return AcceptanceReview(
        cells=[group(c, cells == c) for c in cell_names],
        states=[group(s, states == s) for s in state_names],
        total=group(None, np.ones(len(scored), dtype=bool)),
        hot_rejected=pick("rejected", hottest_first=True),
        cold_accepted=pick("accepted", hottest_first=False),
        unknown_verdicts=unknown.most_common(5),
        unmatched_ids=unmatched,
        duplicate_ids=duplicates,
    )


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _num(frame: pd.DataFrame, column: str, i: int) -> float | None:
    if column not in frame.columns:
        return None
    value = frame[column].iloc[i]
    return None if pd.isna(value) else float(value)


__all__: Sequence[str] = ["AcceptanceError", "AcceptanceGroup", "AcceptanceReview", "Disagreement",
                          "acceptance_review", "parse_verdict"]
