"""The Test scenarios tab's words and tables, as pure functions (no Streamlit): the overview
table and its highlighting, what disagrees, how a value reads in a picker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from workbook import fmt
from workbook.engine import ScenarioResult

NONE_LABEL = "(none)"
ESTIMATE_WORDS = {"profile": "Profile grade", "engagement": "Engagement level", "state": "State"}
OVERVIEW_ESTIMATE_COLUMNS = {"profile": "Est. grade", "engagement": "Est. level", "state": "Est. state"}
EST_CELL = "Est. cell"  # the estimated grade and level as one cell (``A2``), beside the model's "Cell"
MISMATCH_CSS = "background-color: #f8d7da; color: #58151c; font-weight: 600"
AGREE_CSS = "color: #1b7837; font-weight: 600"
AGREES_MARK = {True: "✓", False: "✗", None: "–"}


def member_sentence(result: ScenarioResult) -> str:
    """``2 of 3`` team members whose estimated state matches the model; ``–`` when none estimated."""
    checks = result.member_checks
    return f"{sum(checks.values())} of {len(checks)}" if checks else "–"


def state_text(result: ScenarioResult) -> str:
    """The computed state, marked when a knockout value decided it."""
    state = result.result.state or "–"
    return f"{state} (knockout)" if result.result.knocked_out else state


def estimated_cell(estimate: dict[str, str]) -> str | None:
    """``A2`` from an estimated grade and level, ``A–`` / ``–2`` when one is missing, ``None`` for neither."""
    grade, level = estimate.get("profile"), estimate.get("engagement")
    if grade is None and level is None:
        return None
    return f"{grade or '–'}{level or '–'}"


def overview_frame(results: Sequence[ScenarioResult], *, disagreements_only: bool = False) -> pd.DataFrame:
    """One row per scenario: the team's estimate beside the computed result.

    The index is the scenario's position in the model, so rows keep their number when filtered.
    """
    rows = []
    for i, r in enumerate(results):
        if disagreements_only and r.agrees is not False:
            continue
        est = r.scenario.estimate.given() if r.scenario.estimate else {}
        rows.append(
            {
                "#": i + 1,
                "Scenario": r.name,
                "Agrees": AGREES_MARK[r.agrees],
                **{col: est.get(key) for key, col in OVERVIEW_ESTIMATE_COLUMNS.items()},
                EST_CELL: estimated_cell(est),
                "Profile %": round(r.result.profile_pct, 1),
                "Engagement %": round(r.result.engagement_pct, 1),
                "Cell": r.result.cell,
                "State": state_text(r),
                "Members agreeing": member_sentence(r),
                "_pos": i,
            }
        )
    columns = ["#", "Scenario", "Agrees", *OVERVIEW_ESTIMATE_COLUMNS.values(), EST_CELL, "Profile %", "Engagement %",
               "Cell", "State", "Members agreeing", "_pos"]
    df = pd.DataFrame(rows, columns=columns)
    return df.set_index("_pos").rename_axis(None)


def overview_styles(df: pd.DataFrame, results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """CSS per cell of :func:`overview_frame`: estimates that the model contradicts are highlighted."""
    styles = pd.DataFrame("", index=df.index, columns=df.columns)
    for pos in df.index:
        checks = results[pos].checks
        for key, col in OVERVIEW_ESTIMATE_COLUMNS.items():
            if checks.get(key) is False:
                styles.loc[pos, col] = MISMATCH_CSS
                if key != "state":
                    styles.loc[pos, EST_CELL] = MISMATCH_CSS
        agrees = results[pos].agrees
        if agrees is False:
            styles.loc[pos, ["Agrees", "Cell", "State"]] = MISMATCH_CSS
        elif agrees is True:
            styles.loc[pos, "Agrees"] = AGREE_CSS
    return styles


def mismatches(result: ScenarioResult) -> list[str]:
    """``Profile grade: the team says A, the model says B`` for each estimate that disagrees."""
    est = result.scenario.estimate.given() if result.scenario.estimate else {}
    return [
        f"{ESTIMATE_WORDS[key]}: the team says {est[key]}, the model says {result.computed(key) or '–'}"
        for key, ok in result.checks.items()
        if not ok
    ]


def value_option_text(factor: Any, what: str) -> Callable[[str | None], str]:
    """How a value reads in its selectbox: its label with the share of the weight it earns."""
    scores = {v.label: v for v in factor.values}

    def text(label: str | None) -> str:
        if label is None:
            return NONE_LABEL
        value = scores.get(label)
        if value is None:
            return f"{label} (not a value of this {what})"
        mark = " · knockout" if value.knockout else ""
        return f"{label} ({fmt.pct(value.score)}{mark})"

    return text


def clamp_selection(selected: Any, count: int) -> int | None:
    """A valid scenario position from whatever is stored (``None`` when there are no scenarios)."""
    if count == 0:
        return None
    if not isinstance(selected, int):
        return 0
    return min(max(selected, 0), count - 1)
