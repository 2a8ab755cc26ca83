"""What the five platform packs share: points, labels of leads, the simulator frame, the report.

A platform scores with whole points added up per lead, then puts the total in a band; the model
scores with percentages. A pack translates each value of an attribute or activity into
platform points (``weight × score / 100 × scale``, rounded to whole points where the platform
needs whole points) and each band minimum into a platform threshold. What a platform cannot
express (its grade steps, its decay, its missing knockout…) is written in words in its
:class:`FidelityReport` and *simulated*: each pack's ``simulate`` turns the value each lead
matched (the project's own matching, :mod:`workbook.match.columns`) into the profile band,
the engagement band and the knockout the platform would give, and the shared
:func:`measure` compares the resulting state with the engine's, over the model's scenarios
and over a lead list.

The words for match rules here are a platform admin's (``job_title contains “revops”``);
they do not depend on the app.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from workbook.engine import evaluate_scenario, exact
from workbook.export.base import Exported
from workbook.leads.reading import check_columns
from workbook.leads.scoring import score_leads
from workbook.match import effective_match
from workbook.match.columns import ColumnView, factor_labels
from workbook.model import Activity, ProfileAttribute, ScoringModel, Value

Factor = ProfileAttribute | Activity


# --------------------------------------------------------------------------------------------
# Points
# --------------------------------------------------------------------------------------------
def exact_points(factor: Factor, value: Value) -> Fraction:
    """The percentage points a value adds to its section: weight × score / 100, exactly."""
    return exact(factor.weight) * exact(value.score) / 100


def exact_scale(model: ScoringModel, limit: int = 100) -> int:
    """The smallest of 1, 10, 100 (up to ``limit``) that makes every value's points whole."""
    fractions = [exact_points(f, v) for f in [*model.profile, *model.engagement] for v in f.values]
    for scale in (1, 10, 100):
        if scale > limit:
            break
        if all((p * scale).denominator == 1 for p in fractions):
            return scale
    return min(100, limit)


def whole(x: Fraction) -> int:
    """Round half away from zero, as people (and the platforms' number fields) round."""
    n = math.floor(abs(x) + Fraction(1, 2))
    return n if x >= 0 else -n


def platform_points(factor: Factor, value: Value, scale: int) -> int:
    """A value's points on a platform that counts in whole points, at ``scale`` points per %."""
    return whole(exact_points(factor, value) * scale)


def threshold(band_min: float, scale: int) -> int:
    """The whole-point threshold equivalent to ``pct ≥ band_min`` for whole-point scores."""
    return math.ceil(exact(band_min) * scale)


def number(x: float | Fraction | int) -> str:
    """A number as a person writes it: 12, 12.5, -3."""
    value = float(x)
    return str(int(value)) if value.is_integer() else f"{value:g}"


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------
def rule_words(factor: Factor, value: Value) -> str:
    """The match rule of a value in an admin's words, naming the lead field it reads."""
    rule = effective_match(value)
    field_name = f"“{factor.source_column}”"
    parts = []
    if rule.equals is not None:
        parts.append(f"{field_name} is any of {quoted(rule.equals)}")
    if rule.contains is not None:
        parts.append(f"{field_name} contains any of {quoted(rule.contains)}")
    if rule.min is not None and rule.max is not None:
        parts.append(f"{field_name} is at least {number(rule.min)} and less than {number(rule.max)}")
    elif rule.min is not None:
        parts.append(f"{field_name} is at least {number(rule.min)}")
    elif rule.max is not None:
        parts.append(f"{field_name} is less than {number(rule.max)}")
    if rule.within_days is not None:
        parts.append(f"{field_name} happened in the last {rule.within_days} days")
    if rule.empty is not None:
        parts.append(f"{field_name} is {'empty' if rule.empty else 'not empty'}")
    return " and ".join(parts) or "always"


def quoted(items: Sequence[str]) -> str:
    return ", ".join(f"“{item}”" for item in items)


def exclusion_words(factor: Factor, index: int) -> str:
    """"and not matched by an earlier value" — the first-match rule spelled out, when it matters."""
    earlier = [v.label for v in factor.values[:index]]
    if not earlier:
        return ""
    return f" (and only when none of the earlier values {quoted(earlier)} matched)"


def is_dated(factor: Factor) -> bool:
    """Every value is a plain ``within_days`` window, widest last: a recency ladder."""
    windows = [effective_match(v) for v in factor.values]
    if not windows or any(w.keys() != ["within_days"] for w in windows):
        return False
    days = [w.within_days for w in windows]
    return days == sorted(days)


def md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table; pipes in cells are escaped so a label cannot break the table."""

    def cell(x: Any) -> str:
        return str(x).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def grid_words(model: ScoringModel) -> str:
    """The grade × level grid as a Markdown table of states."""
    rows = [[g, *(model.matrix.get(g + lvl, "—") for lvl in model.levels)] for g in model.grades]
    return md_table(["Profile grade", *(f"Level {lvl}" for lvl in model.levels)], rows)


# --------------------------------------------------------------------------------------------
# Leads as matched value indexes
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Labels:
    """Per lead, the index of the value each factor matched (``len(values)`` = none matched)."""

    profile: np.ndarray  # (leads, profile factors), int
    engagement: np.ndarray  # (leads, activities), int

    def __len__(self) -> int:
        return self.profile.shape[0]


def _index(factor: Factor, label: str | None) -> int:
    return next((i for i, v in enumerate(factor.values) if v.label == label), len(factor.values))


def scenario_labels(model: ScoringModel) -> Labels:
    """The model's scenarios as value indexes."""
    profile = [[_index(f, s.profile.get(f.name)) for f in model.profile] for s in model.scenarios]
    engagement = [[_index(f, s.engagement.get(f.name)) for f in model.engagement] for s in model.scenarios]
    n = len(model.scenarios)
    return Labels(
        np.array(profile, dtype=np.int64).reshape(n, len(model.profile)),
        np.array(engagement, dtype=np.int64).reshape(n, len(model.engagement)),
    )


def lead_labels(model: ScoringModel, frame: pd.DataFrame, as_of: dt.date) -> Labels:
    """Each lead's matched values, with the project's matching (first matching value wins)."""
    check_columns(model, frame)
    views: dict[str, ColumnView] = {}

    def indexes(factors: Sequence[Factor]) -> np.ndarray:
        out = np.empty((len(frame), len(factors)), dtype=np.int64)
        for j, f in enumerate(factors):
            view = views.setdefault(f.source_column, ColumnView(frame[f.source_column]))
            out[:, j] = factor_labels(list(f.values), view, as_of)[view.codes]
        return out

    return Labels(indexes(model.profile), indexes(model.engagement))


def points_table(factors: Sequence[Factor], points: Callable[[Factor, Value], int | float]) -> list[np.ndarray]:
    """Per factor: points per value index, with 0 for "none matched" in the last slot."""
    return [np.array([points(f, v) for v in f.values] + [0], dtype=float) for f in factors]


def add_up(table: list[np.ndarray], idx: np.ndarray) -> np.ndarray:
    """Each lead's total: the sum over factors of the points of the value it matched."""
    total = np.zeros(idx.shape[0])
    for j, pts in enumerate(table):
        total += pts[idx[:, j]]
    return total


def band_of(scores: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """Band index per lead: the first (best) band whose threshold the score reaches; else the last."""
    out = np.full(len(scores), len(thresholds) - 1, dtype=np.int64)
    for i in range(len(thresholds) - 1, -1, -1):
        out[scores >= thresholds[i]] = i
    return out


def knocked_out(model: ScoringModel, labels: Labels) -> np.ndarray:
    """Leads that matched a knockout value (SPEC §3.5)."""
    out = np.zeros(len(labels), dtype=bool)
    for factors, idx in ((model.profile, labels.profile), (model.engagement, labels.engagement)):
        for j, f in enumerate(factors):
            flags = np.array([v.knockout for v in f.values] + [False])
            out |= flags[idx[:, j]]
    return out


# --------------------------------------------------------------------------------------------
# Simulation and the fidelity report
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Simulated:
    """What a platform makes of each lead: band indexes on both axes and whether it knocks out."""

    grade: np.ndarray
    level: np.ndarray
    knockout: np.ndarray  # True where the platform gives the knockout state whatever the cell


def states(model: ScoringModel, sim: Simulated) -> np.ndarray:
    """The state the platform's rules give each lead (cell → matrix, knockout → knockout state)."""
    cells = np.array([model.matrix.get(c) for c in model.cells] + [None], dtype=object)
    cell = sim.grade * len(model.levels) + sim.level
    out = cells[cell]
    out[sim.knockout] = model.effective_knockout_state
    return out


@dataclass(frozen=True)
class ScenarioChange:
    """A scenario whose state on the platform differs from the model's."""

    name: str
    model_cell: str | None
    model_state: str | None
    platform_cell: str
    platform_state: str | None

    def sentence(self) -> str:
        return (
            f"“{self.name}”: the model says {self.model_state} ({self.model_cell}), "
            f"the platform {self.platform_state} ({self.platform_cell})"
        )


@dataclass(frozen=True)
class FidelityReport:
    """How much of the model a platform keeps: approximations in words, and measured figures."""

    platform: str
    approximations: tuple[str, ...]
    scenarios: int
    scenario_changes: tuple[ScenarioChange, ...]
    leads: int | None = None
    leads_preserved: int | None = None
    moves: dict[tuple[str, str], int] = field(default_factory=dict)  # (model state, platform state) → leads

    @property
    def share(self) -> float | None:
        """Share of leads whose state the platform preserves (None without a lead list)."""
        if not self.leads:
            return None
        return (self.leads_preserved or 0) / self.leads

    def text(self) -> str:
        """The report in words, as the guide, the app and the CLI show it."""
        lines = [f"# How faithfully {self.platform} reproduces the model", ""]
        if self.share is not None:
            lines.append(
                f"On the lead list, {self.leads_preserved:,} of {self.leads:,} leads "
                f"({self.share:.1%}) keep their state."
            )
            for (was, now), count in sorted(self.moves.items(), key=lambda kv: -kv[1])[:8]:
                lines.append(f"- {count:,} leads move from {was} to {now}")
        kept = self.scenarios - len(self.scenario_changes)
        lines.append(f"{kept} of {self.scenarios} scenarios keep their state.")
        lines += [f"- {c.sentence()}" for c in self.scenario_changes]
        lines += ["", "## What is approximated, and how", ""]
        lines += [f"- {a}" for a in self.approximations] or ["- Nothing: the platform expresses the whole model."]
        return "\n".join(lines) + "\n"


Simulator = Callable[[Labels], Simulated]


def measure(
    model: ScoringModel,
    platform: str,
    simulate: Simulator,
    approximations: Sequence[str],
    leads_frame: pd.DataFrame | None = None,
    as_of: dt.date | None = None,
) -> FidelityReport:
    """Run a platform's simulator over the scenarios (and a lead list) and compare states."""
    as_of = as_of or dt.date.today()
    if not model.grades or not model.levels or not model.states:
        note = "The model has no grades, levels or states yet: there is nothing to simulate."
        return FidelityReport(platform, (*approximations, note), len(model.scenarios), ())
    changes = []
    if model.scenarios:
        sim = simulate(scenario_labels(model))
        got = states(model, sim)
        for i, scenario in enumerate(model.scenarios):
            result = evaluate_scenario(model, scenario).result
            if got[i] != result.state:
                cell = model.grades[sim.grade[i]] + model.levels[sim.level[i]]
                changes.append(ScenarioChange(scenario.name, result.cell, result.state, cell, got[i]))
    leads = preserved = None
    moves: dict[tuple[str, str], int] = {}
    if leads_frame is not None:
        truth = score_leads(model, leads_frame, as_of, quality=False).frame["state"].astype(object).to_numpy()
        got = states(model, simulate(lead_labels(model, leads_frame, as_of)))
        same = got == truth
        leads, preserved = len(truth), int(same.sum())
        pairs = pd.Series(list(zip(truth[~same], got[~same], strict=True)), dtype=object).value_counts()
        moves = {(str(a), str(b)): int(n) for (a, b), n in pairs.items()}
    n = len(model.scenarios)
    return FidelityReport(platform, tuple(approximations), n, tuple(changes), leads, preserved, moves)


def neutral_note(model: ScoringModel) -> list[str]:
    """The missing-value policy the platforms cannot express."""
    if model.missing != "neutral":
        return []
    return [
        "Missing values: the model leaves a missing attribute out and scales the others up "
        "(missing: neutral); platforms add points and cannot rescale, so a missing value earns 0 "
        "points there (as with missing: zero). The simulator scores it that way."
    ]


def as_of_option(options: Mapping[str, Any]) -> dt.date:
    value = options.get("as_of")
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else dt.date.today()


def slug(text: str) -> str:
    """A file-name-safe form of the model's name."""
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)[:60] or "model"


def pack(model: ScoringModel, platform_slug: str, files: Mapping[str, str]) -> Exported:
    """The pack as one .zip: the guide, the machine-readable file(s) and the fidelity report."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return Exported(buffer.getvalue(), f"{slug(model.name)}-{platform_slug}-pack.zip", "application/zip")


def json_text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------
# Criteria: one platform rule per value
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Criterion:
    """One platform rule: when ``words`` hold, add ``points``."""

    label: str
    words: str
    points: int
    knockout: bool = False


def criteria(factor: Factor, scale: int) -> list[Criterion]:
    """The rules for one attribute or activity, in the order an admin enters them.

    A recency ladder (7, 30, 60… days) becomes nested windows: a lead active 3 days ago is
    also within 30 and 60 days, so each window adds the *difference* to the next wider one and
    the windows a lead falls in add up to its own value's points — no "first match" needed.
    Other values carry the first-match rule in words.
    """
    pts = [platform_points(factor, v, scale) for v in factor.values]
    if is_dated(factor):
        return [
            Criterion(v.label, rule_words(factor, v), pts[i] - (pts[i + 1] if i + 1 < len(pts) else 0), v.knockout)
            for i, v in enumerate(factor.values)
        ]
    return [
        Criterion(v.label, rule_words(factor, v) + exclusion_words(factor, i), pts[i], v.knockout)
        for i, v in enumerate(factor.values)
    ]


def knockout_words(model: ScoringModel) -> list[str]:
    """Each knockout value as "Job role = Student (“job_title” contains any of “student”)"."""
    out = []
    for f in [*model.profile, *model.engagement]:
        for i, v in enumerate(f.values):
            if v.knockout:
                out.append(f"{f.name} = {v.label}: {rule_words(f, v)}{exclusion_words(f, i)}")
    return out


def rounding_note(model: ScoringModel, scale: int) -> list[str]:
    """Say which values lose precision when rounded to whole points at ``scale``."""
    lost = [
        f"{f.name} = {v.label} ({number(exact_points(f, v) * scale)} → {platform_points(f, v, scale)})"
        for f in [*model.profile, *model.engagement]
        for v in f.values
        if (exact_points(f, v) * scale).denominator != 1
    ]
    if not lost:
        return []
    shown = "; ".join(lost[:6]) + (f"; and {len(lost) - 6} more" if len(lost) > 6 else "")
    return [f"Whole points: {len(lost)} values are rounded to whole points ({shown})."]


def criteria_table(factor: Factor, scale: int, points_header: str = "Points") -> str:
    """A factor's rules as a Markdown table: value, criterion, points."""
    rows = [(r.label, r.words, r.points) for r in criteria(factor, scale)]
    return md_table(["Value", "Criterion", points_header], rows)


def check_section(model: ScoringModel, platform: str, simulate: Simulator) -> str:
    """The guide's last step: each scenario as a test lead, with the state to expect on the platform."""
    if not model.scenarios:
        return "## Check\nThe model has no scenarios; test with a few known leads.\n"
    labels = scenario_labels(model)
    got = states(model, simulate(labels))
    rows = []
    for i, s in enumerate(model.scenarios):
        values = "; ".join(f"{k} = {v}" for k, v in [*s.profile.items(), *s.engagement.items()])
        model_state = evaluate_scenario(model, s).result.state
        note = "" if got[i] == model_state else " (differs from the model)"
        rows.append((s.name, values, model_state, f"{got[i]}{note}"))
    return (
        "## Check with the scenarios\nCreate each scenario as a test lead with these values; the platform "
        "should give the state in the last column.\n\n"
        + md_table(["Scenario", "Values", "Model's state", f"State on {platform}"], rows)
        + "\n"
    )
