"""What the five platform packs share: points, words, the .zip, and (re-exported from
:mod:`workbook.export.platforms.simulation`) the simulator frame and the fidelity report.

A platform scores with whole points added up per lead, then puts the total in a band; the model
scores with percentages. A pack translates each value of an attribute or activity into
platform points (``weight × score / 100 × scale``, rounded to whole points where the platform
needs whole points) and each band minimum into a platform threshold. What a platform cannot
express (its grade steps, its decay, its missing knockout…) is written in words in its
:class:`FidelityReport` and *simulated* (:func:`measure`) over the model's scenarios and a
lead list. :func:`render_pack` writes every pack the same way: its files plus ``fidelity.md``
in one .zip, marked as a draft when asked, measured on a lead list when one is given
(options :data:`LEADS`, or a report already measured in :data:`FIDELITY`).

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
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from workbook.engine import evaluate_scenario, exact
from workbook.export.base import Exported, ExportFormat
from workbook.export.naming import draft_notice, file_name, is_draft, report_of, slug
from workbook.export.platforms.simulation import (
    Factor,
    FidelityReport,
    Labels,
    ScenarioChange,
    Simulated,
    Simulator,
    add_up,
    band_of,
    knocked_out,
    lead_labels,
    measure,
    points_table,
    scenario_labels,
    states,
)
from workbook.match import effective_match
from workbook.model import ScoringModel, Value

__all__ = [  # the simulation names, for the packs' ``c.<name>``
    "FidelityReport", "Labels", "ScenarioChange", "Simulated", "Simulator", "add_up", "band_of", "knocked_out",
    "lead_labels", "measure", "points_table", "scenario_labels", "slug", "states",
]

LEADS = "leads"  # option: a lead list (a DataFrame with the model's columns) to measure the fidelity on
FIDELITY = "fidelity"  # option: the FidelityReport already measured (the CLI prints it, then writes the pack)


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


def pack(model: ScoringModel, platform_slug: str, files: Mapping[str, str],
         options: Mapping[str, Any] | None = None) -> Exported:
    """The pack as one .zip: the guide, the machine-readable file(s) and the fidelity report.

    A draft (option ``draft``) is named ``…-pack-draft.zip`` and each Markdown file starts
    with the draft notice.
    """
    options = options or {}
    draft = is_draft(options)
    notice = f"> {draft_notice(report_of(model, options))}\n\n" if draft else ""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            # A fixed date inside the archive: the same model gives the same bytes.
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, notice + text if name.endswith(".md") else text)
    name = file_name(model, "zip", draft=draft, suffix=f"-{platform_slug}-pack")
    return Exported(buffer.getvalue(), name, "application/zip")


Measure = Callable[[pd.DataFrame | None, dt.date], FidelityReport]  # (lead list or None, as of) → report


def options_fidelity(options: Mapping[str, Any], measure_with: Measure) -> FidelityReport:
    """The report in the options (:data:`FIDELITY`), else measured on the scenarios and :data:`LEADS`."""
    given = options.get(FIDELITY)
    if isinstance(given, FidelityReport):
        return given
    leads = options.get(LEADS)
    return measure_with(leads if isinstance(leads, pd.DataFrame) else None, as_of_option(options))


def render_pack(model: ScoringModel, options: Mapping[str, Any], platform_slug: str, fidelity: Measure,
                files: Mapping[str, str]) -> Exported:
    """Every pack's ``render``: its guide and machine file(s), plus ``fidelity.md``, as one .zip."""
    report = options_fidelity(options, fidelity)
    return pack(model, platform_slug, {**files, "fidelity.md": report.text()}, options)


@dataclass(frozen=True)
class PlatformPack:
    """One platform's pack, as a row of a table: what differs between platforms.

    ``simulator``, ``approximations`` and each of ``files`` take the model and the pack's
    ``settings`` as keywords (option name → default, e.g. HubSpot's ``edition``); a ``.json``
    file's maker returns data, written as indented JSON, any other file's maker returns its text.
    """

    name: str  # the --format name, also the .zip's suffix
    platform: str  # the platform's name in the guide's check and the fidelity report
    label: str
    description: str
    simulator: Callable[..., Simulator]
    approximations: Callable[..., list[str]]
    files: Mapping[str, Callable[..., Any]]
    settings: Mapping[str, str] = field(default_factory=dict)

    def fidelity(self, model: ScoringModel, leads_frame: pd.DataFrame | None = None, as_of: dt.date | None = None,
                 **settings: str) -> FidelityReport:
        """The fidelity report: approximations in words, measured on the scenarios and a lead list."""
        return measure(model, self.platform, self.simulator(model, **settings), self.approximations(model, **settings),
                       leads_frame, as_of)

    def render(self, model: ScoringModel, options: Mapping[str, Any]) -> Exported:
        """The pack's .zip: its files and ``fidelity.md`` (see :func:`render_pack`)."""
        settings = {key: str(options.get(key) or default) for key, default in self.settings.items()}
        files = {}
        for file, make in self.files.items():
            made = make(model, **settings)
            files[file] = json_text(made) if file.endswith(".json") else made
        return render_pack(model, options, self.name, partial(self.fidelity, model, **settings), files)

    @property
    def format(self) -> ExportFormat:
        return ExportFormat(name=self.name, label=self.label, description=self.description, render=self.render,
                            options=(*self.settings, "as_of", LEADS), binary=True)


def whole_point_simulator(model: ScoringModel, scale: int) -> Simulator:
    """The additive simulator of a platform scoring every value in whole points at ``scale``."""
    fit, eng = whole_point_tables(model, scale)
    return additive_simulator(model, fit, eng, *band_thresholds(model, scale))


def whole_point_tables(model: ScoringModel, scale: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Points per value index, profile and engagement, at ``scale`` whole points per percentage point."""
    return (points_table(model.profile, lambda f, v: platform_points(f, v, scale)),
            points_table(model.engagement, lambda f, v: platform_points(f, v, scale)))


def band_thresholds(model: ScoringModel, scale: int) -> tuple[list[int], list[int]]:
    """Whole-point minimums of the grades and of the levels at ``scale`` points per percentage point."""
    return ([threshold(b.min, scale) for b in model.profile_grades],
            [threshold(b.min, scale) for b in model.engagement_levels])


def additive_simulator(model: ScoringModel, fit: list[np.ndarray], eng: list[np.ndarray],
                       fit_t: Sequence[float], eng_t: Sequence[float]) -> Simulator:
    """A platform that adds up points per axis, bands each total by its thresholds and applies the
    model's knockouts exactly (HubSpot, Marketo, Mautic)."""

    def simulate(labels: Labels) -> Simulated:
        return Simulated(band_of(add_up(fit, labels.profile), fit_t), band_of(add_up(eng, labels.engagement), eng_t),
                         knocked_out(model, labels))

    return simulate


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
