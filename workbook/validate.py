"""SPEC §5: the rules a model must meet to be exported as final, and the warnings.

A model that breaks a rule is *invalid*: it can still be edited and saved as a draft.
Every finding carries its place in the file (``profile[2].values[0].score``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from workbook.files import Location, Problem, format_location
from workbook.match import check_match
from workbook.model import SUPPORTED_SCHEMA_VERSIONS, Match, ScoringModel

WEIGHT_TOLERANCE = 0.01
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Report:
    """Errors block a final export; warnings are shown but do not block."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def problems(self) -> list[Problem]:
        return self.errors + self.warnings


class _Collector:
    def __init__(self, lines: dict[Location, int] | None):
        self.lines = lines or {}
        self.report = Report()

    def _problem(self, loc: Location, message: str, severity: str) -> Problem:
        line = None
        for n in range(len(loc), -1, -1):
            line = self.lines.get(loc[:n])
            if line:
                break
        return Problem(format_location(loc), message, severity, line, path=loc)  # type: ignore[arg-type]

    def error(self, loc: Location, message: str) -> None:
        self.report.errors.append(self._problem(loc, message, "error"))

    def warn(self, loc: Location, message: str) -> None:
        self.report.warnings.append(self._problem(loc, message, "warning"))


def validate(model: ScoringModel, lines: dict[Location, int] | None = None) -> Report:
    """Check every rule of SPEC §5; ``lines`` (from loading) adds line numbers."""
    c = _Collector(lines)
    if model.schema_version not in SUPPORTED_SCHEMA_VERSIONS:
        known = ", ".join(str(v) for v in SUPPORTED_SCHEMA_VERSIONS)
        c.error(("schema_version",), f"unknown schema version {model.schema_version}; known: {known}")
    if not model.name.strip():
        c.error(("name",), "must not be empty")
    _check_team(model, c)
    _check_states(model, c)
    _check_bands(model, c)
    _check_matrix(model, c)
    _check_sections(model, c)
    _check_scenarios(model, c)
    _check_metadata(model, c)
    return c.report


def _check_unique_names(names: Iterable[str], loc: Location, key: str, what: str, c: _Collector) -> None:
    seen: dict[str, int] = {}
    looks: dict[str, tuple[int, str, list[str]]] = {}
    for i, name in enumerate(names):
        if not name.strip():
            c.error((*loc, i, key), "must not be empty")
            continue
        folded = name.strip().casefold()
        if folded in seen:
            c.error((*loc, i, key), f"{what} '{name}' is given twice (also at {format_location((*loc, seen[folded]))})")
            continue
        seen[folded] = i
        shape, foreign = skeleton(name.strip())
        if shape in looks:
            j, other, other_foreign = looks[shape]
            c.error(
                (*loc, i, key),
                f"{what} '{name}' looks the same as '{other}' (at {format_location((*loc, j))}) but is spelt with "
                f"other characters ({', '.join(foreign + other_foreign)}); use one spelling",
            )
        else:
            looks[shape] = (i, name, foreign)


def skeleton(text: str) -> tuple[str, list[str]]:
    """``text`` with every letter that only looks Latin replaced by its Latin twin, and those letters.

    Unicode's confusables (via confusable-homoglyphs): Cyrillic ``Ѕ`` in ``Ѕend`` reads as ``S``, so
    two names that differ only so are the same name to a reader.
    """
    if text.isascii():
        return text.casefold(), []
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin"]) or []
    twins = {f["character"]: f["homoglyphs"][0]["c"] for f in found if f["homoglyphs"]}
    shape = "".join(twins.get(ch, ch) for ch in text).casefold()
    return shape, [f"'{ch}' ({f['alias'].lower()})" for f in found for ch in f["character"] if ch in twins]


def _check_team(model: ScoringModel, c: _Collector) -> None:
    _check_unique_names((m.name for m in model.team), ("team",), "name", "team member", c)
    for i, member in enumerate(model.team):
        if member.email and not _EMAIL.match(member.email.strip()):
            c.warn(("team", i, "email"), f"'{member.email}' does not look like an e-mail address")


def _check_states(model: ScoringModel, c: _Collector) -> None:
    if not model.states:
        c.error(("states",), "at least one state is needed (e.g. Send to sales, Qualify, Nurture, Ignore)")
    _check_unique_names(model.state_names, ("states",), "name", "state", c)
    if model.knockout_state is not None and model.knockout_state not in model.state_names:
        c.error(("knockout_state",), f"'{model.knockout_state}' is not one of the states")


def _check_bands(model: ScoringModel, c: _Collector) -> None:
    for section, key, bands in (
        ("profile_grades", "grade", [(b.grade, b.min) for b in model.profile_grades]),
        ("engagement_levels", "level", [(b.level, b.min) for b in model.engagement_levels]),
    ):
        if not bands:
            c.error((section,), "at least one band is needed; the last has min 0")
            continue
        _check_unique_names((name for name, _ in bands), (section,), key, key, c)
        for i, (_, lo) in enumerate(bands):
            if not 0 <= lo <= 100:
                c.error((section, i, "min"), f"must be between 0 and 100 (is {lo:g})")
            if i and lo >= bands[i - 1][1]:
                c.error(
                    (section, i, "min"),
                    f"must be lower than the band above ({lo:g} is not below {bands[i - 1][1]:g}); "
                    "bands go best first with strictly decreasing minimums",
                )
        if bands[-1][1] != 0:
            c.error((section, len(bands) - 1, "min"), f"the last band must have min 0 (is {bands[-1][1]:g})")


def _check_matrix(model: ScoringModel, c: _Collector) -> None:
    cells = model.cells
    if len(set(cells)) != len(cells):
        c.error(("matrix",), "grade and level names combine into the same cell twice; rename a grade or level")
    states = model.state_names
    for cell in cells:
        if cell not in model.matrix:
            c.error(("matrix", cell), "cell is missing: every grade × level cell needs a state")
    for cell, state in model.matrix.items():
        if cell not in cells:
            c.error(("matrix", cell), f"not a cell of the grid (grades {', '.join(model.grades)} × levels "
                                      f"{', '.join(model.levels)})")
        elif state not in states:
            c.error(("matrix", cell), f"'{state}' is not one of the states ({', '.join(states)})")
    _warn_non_monotone(model, c)


def _warn_non_monotone(model: ScoringModel, c: _Collector) -> None:
    rank = {name: i for i, name in enumerate(model.state_names)}
    grades, levels, m = model.grades, model.levels, model.matrix

    def compare(better: str, worse: str) -> None:
        if better in m and worse in m and m[better] in rank and m[worse] in rank:
            if rank[m[better]] > rank[m[worse]]:
                c.warn(
                    ("matrix", better),
                    f"{better} is a better cell than {worse} but gets a less sales-ready state "
                    f"('{m[better]}' vs '{m[worse]}')",
                )

    for gi, g in enumerate(grades):
        for li, lvl in enumerate(levels):
            if gi + 1 < len(grades):
                compare(g + lvl, grades[gi + 1] + lvl)
            if li + 1 < len(levels):
                compare(g + lvl, g + levels[li + 1])


class _Weighted(Protocol):
    weight: float


def weight_total(factors: Iterable[_Weighted]) -> Decimal:
    """A section's weights added up exactly: in decimal, 33.33 × 3 is 99.99, within the tolerance."""
    return sum((Decimal(repr(f.weight)) for f in factors), Decimal(0))


def weights_add_up(total: Decimal) -> bool:
    """The rule for a section's weights (SPEC §5): they add up to 100, within ± WEIGHT_TOLERANCE."""
    return abs(total - 100) <= Decimal(repr(WEIGHT_TOLERANCE))


def _check_sections(model: ScoringModel, c: _Collector) -> None:
    for section in ("profile", "engagement"):
        factors = model.section(section)  # type: ignore[arg-type]
        what = "attribute" if section == "profile" else "activity"
        _check_unique_names((f.name for f in factors), (section,), "name", what, c)
        total = weight_total(factors)
        for i, factor in enumerate(factors):
            if not 0 <= factor.weight <= 100:
                c.error((section, i, "weight"), f"must be between 0 and 100 (is {factor.weight:g})")
            _check_unique_names((v.label for v in factor.values), (section, i, "values"), "label", "value", c)
            for j, value in enumerate(factor.values):
                if not -100 <= value.score <= 100:
                    c.error((section, i, "values", j, "score"), f"must be between -100 and 100 (is {value.score:g})")
                if value.match is not None:
                    _check_match(value.match, (section, i, "values", j, "match"), c)
            if not factor.values:
                c.warn((section, i, "values"), f"{what} '{factor.name}' has no values, so it can never score")
            elif not any(v.score == 100 for v in factor.values):
                c.warn((section, i), f"no value of {what} '{factor.name}' scores 100, so it can never earn its "
                                     "full weight")
        if not weights_add_up(total):
            c.error((section,), f"weights add up to {total.normalize():f}, they must add up to 100")


def _check_match(match: Match, loc: Location, c: _Collector) -> None:
    for where, message in check_match(match, loc):
        c.error(where, message)


def _check_scenarios(model: ScoringModel, c: _Collector) -> None:
    _check_unique_names((s.name for s in model.scenarios), ("scenarios",), "name", "scenario", c)
    grades, levels, states = set(model.grades), set(model.levels), set(model.state_names)
    members = {m.name for m in model.team}
    for i, scenario in enumerate(model.scenarios):
        for section in ("profile", "engagement"):
            factors = {f.name: {v.label for v in f.values} for f in model.section(section)}  # type: ignore[arg-type]
            what = "attribute" if section == "profile" else "activity"
            for name, label in getattr(scenario, section).items():
                if name not in factors:
                    c.error(("scenarios", i, section, name), f"no {what} named '{name}'")
                elif label not in factors[name]:
                    options = ", ".join(sorted(factors[name])) or "none"
                    c.error(("scenarios", i, section, name), f"'{label}' is not a value of '{name}' ({options})")
        estimate = scenario.estimate
        if estimate is None or not estimate.given():
            if not scenario.estimates_by_member:  # members' estimates are estimates too
                c.warn(("scenarios", i, "estimate"), f"scenario '{scenario.name}' has no estimate to compare with")
        else:
            for key, known, what in (
                ("profile", grades, "profile grade"),
                ("engagement", levels, "engagement level"),
                ("state", states, "state"),
            ):
                given = getattr(estimate, key)
                if given is not None and given not in known:
                    c.error(("scenarios", i, "estimate", key), f"'{given}' is not a known {what}")
        for member, state in scenario.estimates_by_member.items():
            loc = ("scenarios", i, "estimates_by_member", member)
            if member not in members:
                c.error(loc, f"'{member}' is not a team member")
            if state not in states:
                c.error(loc, f"'{state}' is not a known state")


def _check_metadata(model: ScoringModel, c: _Collector) -> None:
    if model.metadata is None:
        return
    members = {m.name for m in model.team}
    for i, approval in enumerate(model.metadata.approvals):
        if approval.member not in members:
            c.warn(("metadata", "approvals", i, "member"), f"'{approval.member}' is not on the team")
