"""Test scenarios from rows of cells: pasted from a spreadsheet, or read from a CSV / Excel file.

One row is one scenario, in words as a person writes it: the scenario's name, then one
column per attribute and activity holding the chosen value's label, then (optional) the
state the team expects and notes. :func:`add_scenarios_from_rows` adds them all to the
model in one edit, or refuses the whole block in plain words: nothing is half-added.

Decisions where the issue is silent:

* The first row is a header when its first cell reads "Scenario" or "Name", or when each
  of its cells names a column (an attribute, an activity, "State", "Notes"; any case). A
  header may name the columns in any order and leave some out; a header cell naming
  nothing known is refused, so a misspelt attribute is not silently dropped.
* Without a header the columns are taken in the model's order: name, the attributes, the
  activities, then the state and the notes.
* A value's label, a state and a header cell match case-insensitively, spaces trimmed
  and runs of spaces read as one. An empty cell leaves that value (or the state) unset.
* A name already used by a scenario of the model, or twice in the rows, is refused: a
  second paste of the same rows must not double the scenarios.
* Rows are numbered as in the pasted block or the file, the header counting as row 1;
  columns are numbered from 1 and named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from workbook.editing.common import EditError, _copy, _first_error
from workbook.model import Estimate, Scenario, ScoringModel, Section

__all__ = ["ScenarioColumn", "add_scenarios_from_rows", "scenario_columns", "scenarios_from_rows"]

NAME_HEADERS = ("scenario", "name", "scenario name")
STATE_HEADERS = ("state", "estimated state", "est. state", "expected state", "team's estimate", "estimate")
NOTES_HEADERS = ("notes", "note")
MAX_ROWS = 1000  # a workshop tests tens of scenarios; a bigger block is a wrong file


@dataclass(frozen=True)
class ScenarioColumn:
    """One column of a scenario row: ``kind`` is name, profile, engagement, state or notes.

    ``factor`` is the attribute's or activity's name (for profile / engagement columns).
    """

    kind: str
    factor: str = ""

    def words(self) -> str:
        """The column as a person names it."""
        if self.kind in ("profile", "engagement"):
            return self.factor
        return {"name": "Scenario", "state": "State", "notes": "Notes"}[self.kind]


def _fold(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def scenario_columns(model: ScoringModel) -> list[ScenarioColumn]:
    """The columns of a scenario row in the model's order: name, attributes, activities, state, notes."""
    columns = [ScenarioColumn("name")]
    for section in ("profile", "engagement"):
        columns += [ScenarioColumn(section, f.name) for f in model.section(section)]
    return [*columns, ScenarioColumn("state"), ScenarioColumn("notes")]


def _column_named(header: str, columns: Sequence[ScenarioColumn]) -> ScenarioColumn | None:
    wanted = _fold(header)
    for column in columns:
        if column.kind in ("profile", "engagement") and _fold(column.factor) == wanted:
            return column
    aliases = {"name": NAME_HEADERS, "state": STATE_HEADERS, "notes": NOTES_HEADERS}
    for column in columns:
        if wanted in aliases.get(column.kind, ()):
            return column
    return None


def _is_header(cells: Sequence[str], columns: Sequence[ScenarioColumn]) -> bool:
    named = [c for c in cells if c.strip()]
    if not named:
        return False
    if _fold(cells[0]) in NAME_HEADERS:
        return True
    return all(_column_named(c, columns) is not None for c in named)


def _targets(
    rows: list[list[str]], columns: list[ScenarioColumn]
) -> tuple[list[ScenarioColumn | None], int]:
    """The column each cell position goes to, and how many leading rows (the header) to skip."""
    if not _is_header(rows[0], columns):
        return list(columns), 0
    targets: list[ScenarioColumn | None] = []
    for position, cell in enumerate(rows[0], start=1):
        if not cell.strip():
            targets.append(None)
            continue
        column = _column_named(cell, columns)
        if column is None:
            raise EditError(
                f"the header's column {position}, '{cell.strip()}', names no column of a scenario. "
                f"Known columns: {', '.join(c.words() for c in columns)}"
            )
        if column in targets:
            raise EditError(f"the header names '{column.words()}' twice (columns {targets.index(column) + 1} "
                            f"and {position})")
        targets.append(column)
    if ScenarioColumn("name") not in targets:
        raise EditError("the header has no 'Scenario' column for the scenarios' names")
    return targets, 1


def _label(model: ScoringModel, section: Section, factor: str, text: str, where: str) -> str:
    labels = [v.label for f in model.section(section) if f.name == factor for v in f.values]
    for label in labels:
        if _fold(label) == _fold(text):
            return label
    what = "attribute" if section == "profile" else "activity"
    known = ", ".join(labels) if labels else f"none yet (add values to the {what} first)"
    raise EditError(f"{where}: '{text}' is not a value of the {what} '{factor}'. Known values: {known}")


def _state(model: ScoringModel, text: str, where: str) -> str:
    for state in model.state_names:
        if _fold(state) == _fold(text):
            return state
    raise EditError(f"{where}: '{text}' is not a state of this model. Known states: {', '.join(model.state_names)}")


def scenarios_from_rows(model: ScoringModel, cells: Sequence[Sequence[object]]) -> list[Scenario]:
    """The scenarios the rows describe (see the module's decisions); :class:`EditError` names what is wrong.

    Blank rows are skipped. An empty block gives no scenarios.
    """
    rows = [[str(c if c is not None else "").strip() for c in row] for row in cells]
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        return []
    if len(numbered) > MAX_ROWS:
        raise EditError(f"{len(numbered):,} rows is more than the {MAX_ROWS:,} scenarios added at once")
    columns = scenario_columns(model)
    targets, skip = _targets([row for _, row in numbered], columns)
    taken = {s.name.casefold(): s.name for s in model.scenarios}
    out: list[Scenario] = []
    for number, row in numbered[skip:]:
        scenario = _scenario(model, number, row, targets)
        key = scenario.name.casefold()
        if key in taken:
            raise EditError(f"row {number}: a scenario named '{taken[key]}' already exists; names must be unique")
        taken[key] = scenario.name
        out.append(scenario)
    return out


def _scenario(model: ScoringModel, number: int, row: list[str], targets: list[ScenarioColumn | None]) -> Scenario:
    extra = [i for i, cell in enumerate(row) if cell and (i >= len(targets) or targets[i] is None)]
    if extra:
        position = extra[0] + 1
        raise EditError(
            f"row {number}, column {position}: '{row[extra[0]]}' is beyond the scenario's columns "
            f"({', '.join(t.words() for t in targets if t is not None)})"
        )
    values: dict[ScenarioColumn, str] = {t: cell for t, cell in zip(targets, row, strict=False) if t and cell}
    name = values.get(ScenarioColumn("name"), "")
    if not name:
        raise EditError(f"row {number} has no scenario name (column 1 in the model's order, or the 'Scenario' column)")
    try:
        scenario = Scenario(name=name, notes=values.get(ScenarioColumn("notes")) or None)
    except ValidationError as exc:
        raise EditError(f"row {number}: the name or notes cannot be kept ({_first_error(exc)})") from None
    for column, text in values.items():
        where = f"row {number}, column {targets.index(column) + 1} ({column.words()})"
        if column.kind in ("profile", "engagement"):
            getattr(scenario, column.kind)[column.factor] = _label(model, column.kind, column.factor, text, where)
        elif column.kind == "state":
            scenario.estimate = Estimate(state=_state(model, text, where))
    # The selections in the model's order, as the editor keeps them.
    for section in ("profile", "engagement"):
        chosen = getattr(scenario, section)
        setattr(scenario, section, {f.name: chosen[f.name] for f in model.section(section) if f.name in chosen})
    return scenario


def add_scenarios_from_rows(model: ScoringModel, cells: Sequence[Sequence[object]]) -> ScoringModel:
    """The model with one scenario added per row (after those it has), or :class:`EditError` and no change."""
    scenarios = scenarios_from_rows(model, cells)
    if not scenarios:
        raise EditError("no scenarios found: each row needs at least a scenario name")
    new = _copy(model)
    new.scenarios.extend(scenarios)
    return new
