"""Builders shared by the core's tests: small models made in code, a reference model file,
and a hypothesis strategy for random *valid* models.

Expected results in the tests are never taken from the code under test: they are worked
out by hand or with :class:`fractions.Fraction` from the decimal text of the numbers.
"""

from __future__ import annotations

import copy
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from workbook.model import ScoringModel
from workbook.validate import skeleton

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"

GRADES = [("A", 75), ("B", 50), ("C", 25), ("D", 0)]
LEVELS = [("1", 70), ("2", 40), ("3", 15), ("4", 0)]
STATES = ["Send to sales", "Qualify", "Nurture", "Ignore"]


def monotone_matrix(grades: list[str], levels: list[str], states: list[str]) -> dict[str, str]:
    """Cell (g, l) gets state min(g + l, last): better cells never get a worse state."""
    return {
        g + lvl: states[min(gi + li, len(states) - 1)]
        for gi, g in enumerate(grades)
        for li, lvl in enumerate(levels)
    }


def factor(name: str, weight: float, values: dict[str, Any]) -> dict[str, Any]:
    """An attribute/activity. ``values``: label → score, or label → dict of value keys."""
    out = []
    for label, spec in values.items():
        if isinstance(spec, dict):
            out.append({"label": label, **spec})
        else:
            out.append({"label": label, "score": spec})
    return {"name": name, "weight": weight, "values": out}


def section(prefix: str, specs: list[tuple[float, dict[str, Any]]]) -> list[dict[str, Any]]:
    """``[(weight, {label: score})]`` → factors named ``{prefix}0``, ``{prefix}1``, …"""
    return [factor(f"{prefix}{i}", w, vals) for i, (w, vals) in enumerate(specs)]


def model_data(
    profile: list[dict[str, Any]] | None = None,
    engagement: list[dict[str, Any]] | None = None,
    *,
    grades: list[tuple[str, float]] = GRADES,
    levels: list[tuple[str, float]] = LEVELS,
    states: list[str] = STATES,
    matrix: dict[str, str] | None = None,
    missing: str | None = None,
    knockout_state: str | None = None,
    scenarios: list[dict[str, Any]] | None = None,
    team: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Plain data of a minimal model; valid when the given parts are."""
    if profile is None:
        profile = section("P", [(100, {"top": 100, "none": 0})])
    if engagement is None:
        engagement = section("E", [(100, {"top": 100, "none": 0})])
    data: dict[str, Any] = {
        "schema_version": 1,
        "name": "Test model",
        "states": [{"name": s} for s in states],
        "profile_grades": [{"grade": g, "min": m} for g, m in grades],
        "engagement_levels": [{"level": lvl, "min": m} for lvl, m in levels],
        "matrix": matrix
        if matrix is not None
        else monotone_matrix([g for g, _ in grades], [lvl for lvl, _ in levels], states),
        "profile": profile,
        "engagement": engagement,
    }
    if missing is not None:
        data["missing"] = missing
    if knockout_state is not None:
        data["knockout_state"] = knockout_state
    if scenarios is not None:
        data["scenarios"] = scenarios
    if team is not None:
        data["team"] = team
    return data


def build(profile=None, engagement=None, **kw: Any) -> ScoringModel:
    """The typed model for :func:`model_data` (shape-checked only, so drafts are fine)."""
    return ScoringModel.model_validate(model_data(profile, engagement, **kw))


def pct(*pairs: tuple[str, str]) -> Fraction:
    """Σ weight × score / 100 from the decimal *text* of each number, exactly."""
    return sum((Fraction(w) * Fraction(s) / 100 for w, s in pairs), Fraction(0))


# --------------------------------------------------------------------------------------------
# A realistic, valid reference model: no errors and no warnings.
# --------------------------------------------------------------------------------------------
VALID_YAML = """\
schema_version: 1
name: Sales automation software — test
description: A small but complete model used by the core's tests.
team:
  - name: Dana Ortiz
    title: VP Marketing
    function: Marketing
    role: Sponsor
    steering_committee: true
    email: dana@example.com
  - name: Sam Lee
    function: Sales
    role: Business lead
states:
  - name: Send to sales
    action: Route to field sales within one business day
  - name: Qualify
  - name: Nurture
  - name: Ignore
profile_grades:
  - {grade: A, min: 75}
  - {grade: B, min: 50}
  - {grade: C, min: 25}
  - {grade: D, min: 0}
engagement_levels:
  - {level: "1", min: 70}
  - {level: "2", min: 40}
  - {level: "3", min: 15}
  - {level: "4", min: 0}
matrix:
  A1: Send to sales
  A2: Send to sales
  A3: Qualify
  A4: Nurture
  B1: Send to sales
  B2: Qualify
  B3: Nurture
  B4: Nurture
  C1: Qualify
  C2: Nurture
  C3: Nurture
  C4: Ignore
  D1: Nurture
  D2: Nurture
  D3: Ignore
  D4: Ignore
missing: zero
knockout_state: Ignore
profile:
  - name: Job role
    weight: 35
    column: job_title
    values:
      - label: Head of sales operations
        score: 100
        match: {contains: [sales operations, revops]}
      - {label: Sales manager, score: 60}
      - label: Student
        score: 0
        knockout: true
  - name: Employees
    weight: 40
    values:
      - {label: 200 or more, score: 100, match: {min: 200}}
      - {label: 50 to 199, score: 50, match: {min: 50, max: 200}}
      - {label: Unknown, score: 0, match: {empty: true}}
  - name: Country
    weight: 25
    values:
      - {label: Germany, score: 100, match: {equals: [Germany, DE]}}
      - {label: No, score: 20}
engagement:
  - name: Demo request
    weight: 60
    values:
      - {label: Within 7 days, score: 100, match: {within_days: 7}}
      - {label: Within 60 days, score: 60, match: {within_days: 60}}
  - name: E-mail
    weight: 40
    values:
      - {label: Click, score: 100}
      - {label: Unsubscribe, score: -100}
scenarios:
  - name: RevOps head, demo last week
    profile: {Job role: Head of sales operations, Employees: 200 or more, Country: Germany}
    engagement: {Demo request: Within 7 days, E-mail: Click}
    estimate: {profile: A, engagement: "1", state: Send to sales}
    estimates_by_member:
      Dana Ortiz: Send to sales
      Sam Lee: Qualify
  - name: Student with a demo
    profile: {Job role: Student, Employees: 200 or more, Country: Germany}
    engagement: {Demo request: Within 7 days}
    estimate: {state: Ignore}
  - name: Small firm, unsubscribed
    profile: {Employees: 50 to 199}
    engagement: {E-mail: Unsubscribe}
    estimate: {profile: C, engagement: "4", state: Nurture}
"""


def valid_data() -> dict[str, Any]:
    """Plain data of :data:`VALID_YAML` (a fresh copy each time, safe to mutate)."""
    import yaml

    return copy.deepcopy(yaml.safe_load(VALID_YAML.replace("{label: No,", "{label: 'No',")))


# --------------------------------------------------------------------------------------------
# Hypothesis: random valid models
# --------------------------------------------------------------------------------------------
TRICKY_TEXT = [
    "No", "Off", "Yes", "on", "y", "null", "~", "true", "1", "1.5", "007", "1e3", "0x1F", "2024-01-01",
    "12:30", "a: b", "# not a comment", "- dash", "'quoted'", '"double"', "trailing ", " leading",
    "Ünïcödé — “quotes”", "emoji 🚀", "multi\nline", "tab\there", "percent %", "&anchor", "*star", "!bang",
    "[x]", "{y}", "@at", "`tick`", "|pipe", ">fold", "?", ",comma",
]

_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


def _visible(text: str) -> bool:
    return not any(unicodedata.category(ch) in _INVISIBLE for ch in text)


_name_text = st.one_of(
    st.sampled_from([t for t in TRICKY_TEXT if _visible(t)]),
    st.text(
        # Any visible character UTF-8 can hold, in Unicode's NFKC form, as names must be (control,
        # format and separator characters are refused in names; free text keeps them and has its
        # own round-trip tests).
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Co", "Zl", "Zp")),
        min_size=1,
        max_size=12,
    ).map(lambda s: unicodedata.normalize("NFKC", s)),
).filter(lambda s: s.strip() != "" and _visible(s))


def unique_names(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    """Distinct, non-empty names (distinct after trimming, case-folding and look-alike letters, as
    validation wants)."""
    return st.lists(_name_text, min_size=min_size, max_size=max_size,
                    unique_by=lambda s: skeleton(s.strip())[0])


def weights_summing_to_100(n: int, decimals: int) -> st.SearchStrategy[list[float | int]]:
    """``n`` non-negative weights with ``decimals`` decimal places that add up to exactly 100."""
    unit = 10**decimals
    total = 100 * unit

    def to_weights(cuts: list[int]) -> list[float | int]:
        points = [0, *sorted(cuts), total]
        parts = [b - a for a, b in zip(points, points[1:], strict=False)]
        return [p // unit if decimals == 0 else float(Fraction(p, unit)) for p in parts]

    return st.lists(st.integers(0, total), min_size=n - 1, max_size=n - 1).map(to_weights)


score_values = st.one_of(
    st.integers(-100, 100),
    st.integers(-1000, 1000).map(lambda n: n / 10),
    st.integers(-10000, 10000).map(lambda n: float(Fraction(n, 100))),
)


@st.composite
def factors_strategy(draw: st.DrawFn, prefix: str) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 4))
    weights = draw(weights_summing_to_100(n, draw(st.sampled_from([0, 1, 2]))))
    names = draw(unique_names(n, n))
    out = []
    for name, weight in zip(names, weights, strict=True):
        labels = draw(unique_names(1, 4))
        values = []
        for label in labels:
            value: dict[str, Any] = {"label": label, "score": draw(score_values)}
            if draw(st.integers(0, 9)) == 0:
                value["knockout"] = True
            values.append(value)
        out.append({"name": name, "weight": weight, "values": values})
    return out


@st.composite
def bands_strategy(draw: st.DrawFn, names: list[str]) -> list[tuple[str, float]]:
    """Strictly decreasing minimums within 0..100, the last one 0."""
    decimals = draw(st.sampled_from([0, 1]))
    pool = st.integers(1, 100 * 10**decimals)
    mins = draw(st.lists(pool, min_size=len(names) - 1, max_size=len(names) - 1, unique=True))
    mins = sorted(mins, reverse=True) + [0]
    scaled = [m if decimals == 0 else float(Fraction(m, 10)) for m in mins]
    return list(zip(names, scaled, strict=True))


@st.composite
def valid_models(draw: st.DrawFn) -> dict[str, Any]:
    """Plain data of a random model that breaks no rule of SPEC §5."""
    grades = draw(st.lists(st.sampled_from("ABCDEFG"), min_size=1, max_size=5, unique=True))
    levels = draw(st.lists(st.sampled_from("123456"), min_size=1, max_size=5, unique=True))
    states = draw(unique_names(1, 5))
    members = draw(unique_names(0, 3))
    data = model_data(
        profile=draw(factors_strategy("P")),
        engagement=draw(factors_strategy("E")),
        grades=draw(bands_strategy(grades)),
        levels=draw(bands_strategy(levels)),
        states=states,
        matrix={g + lvl: draw(st.sampled_from(states)) for g in grades for lvl in levels},
        missing=draw(st.sampled_from([None, "zero", "neutral"])),
        knockout_state=draw(st.sampled_from([None, *states])),
        team=[{"name": m, "steering_committee": draw(st.booleans())} for m in members] or None,
    )
    scenarios = []
    for name in draw(unique_names(0, 4)):
        scenario: dict[str, Any] = {"name": name}
        for sec in ("profile", "engagement"):
            chosen = {}
            for f in data[sec]:
                if draw(st.booleans()):
                    chosen[f["name"]] = draw(st.sampled_from([v["label"] for v in f["values"]]))
            scenario[sec] = chosen
        estimate = {}
        if draw(st.booleans()):
            estimate["profile"] = draw(st.sampled_from(grades))
        if draw(st.booleans()):
            estimate["engagement"] = draw(st.sampled_from(levels))
        if draw(st.booleans()):
            estimate["state"] = draw(st.sampled_from(states))
        if estimate:
            scenario["estimate"] = estimate
        if members and draw(st.booleans()):
            scenario["estimates_by_member"] = {m: draw(st.sampled_from(states)) for m in members}
        scenarios.append(scenario)
    if scenarios:
        data["scenarios"] = scenarios
    return data
