"""Small models made in code for the calibration tests, and hypothesis strategies for random ones.

Expected results are never taken from the code under test: they come from brute force over
every candidate (thresholds, weight grids) scored by the engine itself, or by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from workbook.engine import score_lead
from workbook.model import ScoringModel

REPO = Path(__file__).resolve().parents[2]
STATES = ["Send to sales", "Qualify", "Nurture", "Ignore"]


def monotone_matrix(grades: list[str], levels: list[str], states: list[str] = STATES) -> dict[str, str]:
    return {
        g + lvl: states[min(gi + li, len(states) - 1)] for gi, g in enumerate(grades) for li, lvl in enumerate(levels)
    }


def factors(prefix: str, specs: list[tuple[float, dict[str, Any]]]) -> list[dict[str, Any]]:
    """``[(weight, {label: score or dict})]`` → factors named ``{prefix}0``, ``{prefix}1``, …"""
    out = []
    for i, (weight, values) in enumerate(specs):
        vals = []
        for label, spec in values.items():
            vals.append({"label": label, **spec} if isinstance(spec, dict) else {"label": label, "score": spec})
        out.append({"name": f"{prefix}{i}", "weight": weight, "values": vals})
    return out


def model(
    profile: list[tuple[float, dict[str, Any]]] | None = None,
    engagement: list[tuple[float, dict[str, Any]]] | None = None,
    *,
    grades: list[tuple[str, float]] = (("A", 75), ("B", 50), ("C", 25), ("D", 0)),  # type: ignore[assignment]
    levels: list[tuple[str, float]] = (("1", 70), ("2", 40), ("3", 15), ("4", 0)),  # type: ignore[assignment]
    states: list[str] = STATES,
    matrix: dict[str, str] | None = None,
    missing: str = "zero",
    scenarios: list[dict[str, Any]] | None = None,
    team: list[str] | None = None,
    knockout_state: str | None = None,
) -> ScoringModel:
    grades, levels = list(grades), list(levels)
    data: dict[str, Any] = {
        "schema_version": 1,
        "name": "Calibration test",
        "states": [{"name": s} for s in states],
        "profile_grades": [{"grade": g, "min": m} for g, m in grades],
        "engagement_levels": [{"level": lvl, "min": m} for lvl, m in levels],
        "matrix": matrix or monotone_matrix([g for g, _ in grades], [lvl for lvl, _ in levels], states),
        "missing": missing,
        "profile": factors("P", profile or [(100, {"top": 100, "none": 0})]),
        "engagement": factors("E", engagement or [(100, {"top": 100, "none": 0})]),
        "scenarios": scenarios or [],
    }
    if team is not None:
        data["team"] = [{"name": n} for n in team]
    if knockout_state is not None:
        data["knockout_state"] = knockout_state
    return ScoringModel.model_validate(data)


def scenario(
    name: str, chosen_profile: dict[str, str], chosen_engagement: dict[str, str] | None = None, **estimate: Any
) -> dict:
    est = {k: v for k, v in estimate.items() if k in ("profile", "engagement", "state")}
    out: dict[str, Any] = {"name": name, "profile": chosen_profile, "engagement": chosen_engagement or {}}
    if est:
        out["estimate"] = est
    if "members" in estimate:
        out["estimates_by_member"] = estimate["members"]
    return out


def engine_agreeing(m: ScoringModel, consensus: dict[int, str] | None = None) -> int:
    """Scenarios whose every given estimate (or consensus state) matches the engine's result."""
    n = 0
    for i, s in enumerate(m.scenarios):
        given = s.estimate.given() if s.estimate is not None else {}
        if not given and consensus and i in consensus:
            given = {"state": consensus[i]}
        if not given:
            continue
        r = score_lead(m, s.profile, s.engagement)
        computed = {"profile": r.profile_grade, "engagement": r.engagement_level, "state": r.state}
        n += all(computed[k] == v for k, v in given.items())
    return n


# --------------------------------------------------------------------------------------------
# Random small models with scenarios and estimates
# --------------------------------------------------------------------------------------------
SCORES = st.sampled_from([0, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100, 33.3, -50])


@st.composite
def weights_to_100(draw: Any, n: int, step: int = 5) -> list[float]:
    """n weights, multiples of ``step``, adding up to 100."""
    units = 100 // step
    cuts = sorted(draw(st.lists(st.integers(0, units), min_size=n - 1, max_size=n - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, units], strict=True)]
    return [float(p * step) for p in parts]


@st.composite
def bands(draw: Any, names: list[str]) -> list[tuple[str, float]]:
    mins = sorted(draw(st.lists(st.integers(1, 99), min_size=len(names) - 1, max_size=len(names) - 1,
                                unique=True)), reverse=True)
    return list(zip(names, [*mins, 0], strict=True))


@st.composite
def random_models(
    draw: Any,
    *,
    max_factors: int = 3,
    max_scenarios: int = 8,
    missing: tuple[str, ...] = ("zero", "neutral"),
    knockouts: bool = True,
) -> ScoringModel:
    """A valid small model whose scenarios carry random (often disagreeing) estimates."""
    n_grades = draw(st.integers(2, 4))
    n_levels = draw(st.integers(2, 3))
    grades = draw(bands(list("ABCD"[:n_grades])))
    levels = draw(bands([str(i + 1) for i in range(n_levels)]))
    states = STATES[: draw(st.integers(2, 4))]
    matrix = {
        g + lvl: draw(st.sampled_from(states)) for g, _ in grades for lvl, _ in levels
    }

    def section(prefix: str) -> list[tuple[float, dict[str, Any]]]:
        n = draw(st.integers(1, max_factors))
        ws = draw(weights_to_100(n))
        out = []
        for w in ws:
            k = draw(st.integers(1, 3))
            values: dict[str, Any] = {}
            for j in range(k):
                score = draw(SCORES)
                ko = knockouts and draw(st.integers(0, 9)) == 0
                values[f"v{j}"] = {"score": score, "knockout": True} if ko else score
            out.append((w, values))
        return out

    profile, engagement = section("P"), section("E")
    m0 = model(profile, engagement, grades=grades, levels=levels, states=states, matrix=matrix,
               missing=draw(st.sampled_from(missing)), team=["Ann", "Bo", "Cy"])
    scenarios = []
    for i in range(draw(st.integers(1, max_scenarios))):
        chosen = {}
        for sec, specs, prefix in (("profile", profile, "P"), ("engagement", engagement, "E")):
            chosen[sec] = {
                f"{prefix}{j}": f"v{draw(st.integers(0, len(vals) - 1))}"
                for j, (_, vals) in enumerate(specs)
                if draw(st.integers(0, 4)) > 0
            }
        est = {}
        kinds = draw(st.sampled_from(["grade", "level", "cell", "state", "all", "grade+state", "none"]))
        if kinds in ("grade", "cell", "all", "grade+state"):
            est["profile"] = draw(st.sampled_from([g for g, _ in grades]))
        if kinds in ("level", "cell", "all"):
            est["engagement"] = draw(st.sampled_from([lvl for lvl, _ in levels]))
        if kinds in ("state", "all", "grade+state"):
            est["state"] = draw(st.sampled_from(states))
        sc: dict[str, Any] = {"name": f"S{i}", **chosen}
        if est:
            sc["estimate"] = est
        elif draw(st.booleans()):
            sc["estimates_by_member"] = {
                m: draw(st.sampled_from(states)) for m in ("Ann", "Bo", "Cy") if draw(st.booleans())
            }
        scenarios.append(sc)
    data = m0.model_dump()
    data["scenarios"] = scenarios
    return ScoringModel.model_validate(data)
