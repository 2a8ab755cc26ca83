"""The model as the team's Excel workbook, with live formulas — and back (:mod:`workbook.export.xlsx_read`).

Four tabs, as the workshop's spreadsheet has them: **Team**, **Thresholds** (grade and level
bands, the grid, the states, the settings), **Weight & test** (ICP attributes and activities,
one row per value; then the scenarios with the team's estimate beside the computed result) and
**Model summary**. The computed columns are Excel formulas that follow SPEC §3, so changing a
weight, a score, a threshold or a grid cell in Excel or LibreOffice recalculates every
scenario: each value's points ``weight × score / 100``; the sum rounded to 9 decimals and
clamped to 0..100 (with ``missing: neutral``, scaled by the weights present); the first band,
best first, whose minimum the % reaches (``1 + the number of minimums above it``, which needs
the bands strictly decreasing, as validation demands); the grid cell; a knockout overriding it.

To add a value, insert a row *inside* its block (Excel then widens the formulas' ranges); the
importer reads blocks down to their first empty row.

Look-ups use ``SUMPRODUCT`` over equality tests rather than ``MATCH``/``SUMIFS``, whose
wildcards (``*``, ``?``) and comparison prefixes would misread labels that contain them.

Every text a person typed is written as a text cell, never a formula: a label such as
``=HYPERLINK(…)`` or ``+1`` stays inert in Excel (OWASP formula injection); risky texts also get
Excel's quote prefix, so they stay text when someone edits the cell. Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from workbook.export.base import Exported, ExportFormat
from workbook.export.naming import file_name, is_draft
from workbook.model import Activity, ProfileAttribute, ScoringModel

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEAM, THRESHOLDS, WEIGHTS, SUMMARY = "Team", "Thresholds", "Weight & test", "Model summary"
TEAM_HEADER = ("Name", "Title", "Function", "Role", "Steering committee", "E-mail")
FACTOR_HEADER = ("Name", "Weight %", "Lead-list column", "Value", "Score %", "Knockout", "Match rule")
SCENARIO_HEAD = ("Scenario", "Notes", "Estimated grade", "Estimated level", "Estimated state", "Estimates by member")
COMPUTED = ("Profile %", "Engagement %", "Grade", "Level", "Cell", "State", "Knocked out", "Agrees")
TITLES = {
    "grades": "Profile grades", "levels": "Engagement levels", "grid": "Grid", "states": "States",
    "settings": "Settings", "profile": "ICP attributes", "engagement": "Activities", "scenarios": "Scenarios",
}
RISKY_START = ("=", "+", "-", "@", "\t", "\r", "_x000D_")
CR = "_x000D_"
_BOLD, _TITLE = Font(bold=True), Font(bold=True, size=13)
_INPUT = PatternFill("solid", fgColor="FFF8E1")  # cells people edit


def put(ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False) -> None:
    """Write one cell: text as text (never a formula), numbers as numbers, booleans as Yes/No."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r", CR)  # XML turns a bare CR into LF; Excel's own escape keeps it
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        if value.startswith(RISKY_START):
            cell.quotePrefix = True
    if bold:
        cell.font = _BOLD


def formula(ws: Worksheet, row: int, col: int, text: str) -> None:
    ws.cell(row=row, column=col).value = text


def title(ws: Worksheet, row: int, text: str) -> None:
    put(ws, row, 1, text)
    ws.cell(row=row, column=1).font = _TITLE


def header(ws: Worksheet, row: int, names: tuple[str, ...] | list[str], first: int = 1) -> None:
    for j, name in enumerate(names):
        put(ws, row, first + j, name, bold=True)


def col(n: int) -> str:
    return get_column_letter(n)


def match_text(value: Any) -> str | None:
    """A value's match rule as one line of YAML flow text (``{contains: [revops, sales ops]}``)."""
    if value.match is None:
        return None
    data = value.match.model_dump(exclude_none=True)
    return yaml.safe_dump(data, default_flow_style=True, allow_unicode=True, width=10**6).strip()


@dataclass
class _Refs:
    """Where the formulas find the bands, the grid, the states and the settings."""

    grades: str = ""
    grade_mins: str = ""
    levels: str = ""
    level_mins: str = ""
    grid: str = ""
    states: str = ""
    missing: str = ""
    knockout: str = ""


def _abs(first_col: int, first_row: int, last_col: int, last_row: int) -> str:
    return f"${col(first_col)}${first_row}:${col(last_col)}${last_row}"


def _sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


# --------------------------------------------------------------------------------------------
# Tabs
# --------------------------------------------------------------------------------------------
def _team(ws: Worksheet, model: ScoringModel) -> None:
    header(ws, 1, TEAM_HEADER)
    for i, m in enumerate(model.team, start=2):
        for j, v in enumerate((m.name, m.title, m.function, m.role, m.steering_committee, m.email), start=1):
            put(ws, i, j, v)
    _widths(ws, [24, 32, 20, 20, 18, 30])


def _thresholds(ws: Worksheet, model: ScoringModel) -> _Refs:
    refs, t = _Refs(), f"{_sheet(THRESHOLDS)}!"
    row = 1
    for key, bands, name in (("grades", model.profile_grades, "Grade"), ("levels", model.engagement_levels, "Level")):
        title(ws, row, TITLES[key])
        header(ws, row + 1, (name, "Min %"))
        first = row + 2
        for i, b in enumerate(bands):
            put(ws, first + i, 1, b.grade if key == "grades" else b.level)
            put(ws, first + i, 2, b.min)
            ws.cell(row=first + i, column=2).fill = _INPUT
        last = first + max(len(bands), 1) - 1
        setattr(refs, key, t + _abs(1, first, 1, last))
        setattr(refs, "grade_mins" if key == "grades" else "level_mins", t + _abs(2, first, 2, last))
        row = last + 2
    title(ws, row, TITLES["grid"])
    header(ws, row + 1, ["Grade \\ Level", *model.levels])
    first = row + 2
    for i, g in enumerate(model.grades):
        put(ws, first + i, 1, g, bold=True)
        for j, lvl in enumerate(model.levels):
            put(ws, first + i, 2 + j, model.matrix.get(g + lvl))
            ws.cell(row=first + i, column=2 + j).fill = _INPUT
    refs.grid = t + _abs(2, first, 1 + max(len(model.levels), 1), first + max(len(model.grades), 1) - 1)
    row = first + max(len(model.grades), 1) + 1
    title(ws, row, TITLES["states"])
    header(ws, row + 1, ("State", "Action"))
    for i, s in enumerate(model.states):
        put(ws, row + 2 + i, 1, s.name)
        put(ws, row + 2 + i, 2, s.action)
    refs.states = t + _abs(1, row + 2, 1, row + 1 + max(len(model.states), 1))
    row += 3 + max(len(model.states), 1)
    title(ws, row, TITLES["settings"])
    put(ws, row + 1, 1, "Missing values")
    put(ws, row + 1, 2, model.missing)
    put(ws, row + 2, 1, "Knockout state")
    put(ws, row + 2, 2, model.knockout_state)
    refs.missing, refs.knockout = f"{t}$B${row + 1}", f"{t}$B${row + 2}"
    _widths(ws, [22, 16, *([16] * len(model.levels))])
    return refs


def _factors(
    ws: Worksheet, row: int, key: str, factors: list[ProfileAttribute] | list[Activity], spans: dict[int, str]
) -> tuple[int, int, int]:
    """One block of attributes or activities; returns (first value row, last value row, next free row).

    ``spans`` receives, per factor (by ``id``), the range of its value labels, for the drop-downs.
    """
    title(ws, row, TITLES[key])
    header(ws, row + 1, FACTOR_HEADER)
    r = row + 2
    first = r
    for f in factors:
        spans[id(f)] = f"$D${r}:$D${r + max(len(f.values), 1) - 1}"
        for i, v in enumerate(f.values or [None]):
            put(ws, r, 1, f.name)
            if i == 0:  # the weight once per attribute: one cell to edit
                put(ws, r, 2, f.weight)
                ws.cell(row=r, column=2).fill = _INPUT
                put(ws, r, 3, f.column)
            if v is not None:
                put(ws, r, 4, v.label)
                put(ws, r, 5, v.score)
                ws.cell(row=r, column=5).fill = _INPUT
                put(ws, r, 6, "Yes" if v.knockout else None)
                put(ws, r, 7, match_text(v))
            r += 1
    return first, max(r - 1, first), max(r, first + 1) + 1


def _weights(ws: Worksheet, model: ScoringModel, refs: _Refs) -> dict[str, str]:
    """ICP attributes, activities and the scenarios with live formulas; returns ranges the summary counts."""
    spans: dict[int, str] = {}
    p1, p2, row = _factors(ws, 1, "profile", model.profile, spans)
    a1, a2, row = _factors(ws, row, "engagement", model.engagement, spans)
    title(ws, row, TITLES["scenarios"])
    h = row + 1
    factors = [("p", f) for f in model.profile] + [("e", f) for f in model.engagement]
    n_in = len(SCENARIO_HEAD) + len(factors)
    helpers = [f"{kind}: {f.name}" for kind in ("points", "present", "knockout") for _, f in factors]
    header(ws, h, [*SCENARIO_HEAD, *(f.name for _, f in factors), *COMPUTED, *helpers, "grade #", "level #"])
    c_pct = n_in + 1  # Profile % column
    c_help = n_in + len(COMPUTED) + 1
    nf = len(factors)
    first = h + 1
    for i, s in enumerate(model.scenarios):
        r = first + i
        est = s.estimate
        for j, v in enumerate((s.name, s.notes, est and est.profile, est and est.engagement, est and est.state,
                               _members(s.estimates_by_member)), start=1):
            put(ws, r, j, v)
        for k, (kind, f) in enumerate(factors):
            c = len(SCENARIO_HEAD) + 1 + k
            chosen = (s.profile if kind == "p" else s.engagement).get(f.name)
            put(ws, r, c, chosen)
            ws.cell(row=r, column=c).fill = _INPUT
            lo, hi = (p1, p2) if kind == "p" else (a1, a2)
            name, label = f"{col(c)}${h}", f"{col(c)}{r}"
            rows = f"($A${lo}:$A${hi}={name})"
            weight = f"SUMPRODUCT({rows}*$B${lo}:$B${hi})"
            hit = f"{rows}*($D${lo}:$D${hi}={label})"
            found = f'IF({label}="",0,SUMPRODUCT({hit}))'
            formula(ws, r, c_help + k, f'=IF({label}="",0,{weight}*SUMPRODUCT({hit}*$E${lo}:$E${hi})/100)')
            formula(ws, r, c_help + nf + k, f"=IF({found}>0,{weight},0)")
            knockout = f'SUMPRODUCT({hit}*($F${lo}:$F${hi}="Yes"))'
            formula(ws, r, c_help + 2 * nf + k, f'=IF({label}="",0,IF({knockout}>0,1,0))')
        np_ = len(model.profile)

        def span(offset: int, start: int, count: int, r: int = r) -> str:
            if count == 0:
                return "0"
            return f"SUM({col(c_help + offset + start)}{r}:{col(c_help + offset + start + count - 1)}{r})"

        for c, (start, count) in ((c_pct, (0, np_)), (c_pct + 1, (np_, nf - np_))):
            pts, present = span(0, start, count), span(nf, start, count)
            neutral = f"IF({present}=0,0,MIN(100,MAX(0,ROUND({pts}*100/{present},9))))"
            formula(ws, r, c, f'=IF({refs.missing}="neutral",{neutral},MIN(100,MAX(0,ROUND({pts},9))))')
        g_idx, l_idx = f"{col(c_help + 3 * nf)}{r}", f"{col(c_help + 3 * nf + 1)}{r}"
        formula(ws, r, c_help + 3 * nf, f"=SUMPRODUCT(({refs.grade_mins}>{col(c_pct)}{r})*1)+1")
        formula(ws, r, c_help + 3 * nf + 1, f"=SUMPRODUCT(({refs.level_mins}>{col(c_pct + 1)}{r})*1)+1")
        grade, level, state = (f"{col(c_pct + k)}{r}" for k in (2, 3, 5))
        formula(ws, r, c_pct + 2, f"=INDEX({refs.grades},{g_idx})")
        formula(ws, r, c_pct + 3, f"=INDEX({refs.levels},{l_idx})")
        formula(ws, r, c_pct + 4, f"={grade}&{level}")
        ko = span(2 * nf, 0, nf)
        ko_state = f'IF({refs.knockout}="",INDEX({refs.states},COUNTA({refs.states})),{refs.knockout})'
        formula(ws, r, c_pct + 5, f"=IF({ko}>0,{ko_state},INDEX({refs.grid},{g_idx},{l_idx}))")
        formula(ws, r, c_pct + 6, f'=IF({ko}>0,"Yes","No")')
        eg, el, es = (f"{col(k)}{r}" for k in (3, 4, 5))
        formula(ws, r, c_pct + 7, f'=IF(AND({eg}="",{el}="",{es}=""),"",IF(AND(OR({eg}="",{eg}&""={grade}&""),'
                                  f'OR({el}="",{el}&""={level}&""),OR({es}="",{es}={state})),"Yes","No"))')
    last = first + max(len(model.scenarios), 1) - 1
    _dropdowns(ws, model, factors, spans, refs, first, last + 50)
    _widths(ws, [30, 10, 18, 28, 10, 10, 40, *([18] * (len(COMPUTED) + nf))])
    w = f"{_sheet(WEIGHTS)}!"
    return {
        "states": w + _abs(c_pct + 5, first, c_pct + 5, last),
        "agrees": w + _abs(c_pct + 7, first, c_pct + 7, last),
        "profile": w + _abs(2, p1, 2, p2),
        "engagement": w + _abs(2, a1, 2, a2),
    }


def _dropdowns(ws: Worksheet, model: ScoringModel, factors: list[tuple[str, Any]], spans: dict[int, str],
               refs: _Refs, first: int, last: int) -> None:
    """Pick lists for the scenario cells people fill in (a warning, not a block, for other text)."""

    def pick(source: str, column: int) -> None:
        rule = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
        rule.showErrorMessage = True
        rule.errorStyle = "warning"
        ws.add_data_validation(rule)
        rule.add(f"{col(column)}{first}:{col(column)}{last}")

    for column, source in ((3, refs.grades), (4, refs.levels), (5, refs.states)):
        pick(source, column)
    for k, (_, f) in enumerate(factors):
        if f.values:
            pick(spans[id(f)], len(SCENARIO_HEAD) + 1 + k)


def _members(estimates: Mapping[str, str]) -> str | None:
    if not estimates:
        return None
    return yaml.safe_dump(dict(estimates), default_flow_style=True, allow_unicode=True, width=10**6).strip()


def _summary(ws: Worksheet, model: ScoringModel, refs: _Refs, ranges: dict[str, str]) -> None:
    agrees = ranges["agrees"]
    title(ws, 1, "Model summary")
    rows: list[tuple[str, Any]] = [
        ("Name", model.name),
        ("Description", model.description),
        ("Schema version", model.schema_version),
    ]
    for i, (k, v) in enumerate(rows, start=2):
        put(ws, i, 1, k, bold=True)
        put(ws, i, 2, v)
    put(ws, 5, 1, "Scenarios agreeing", bold=True)
    formula(ws, 5, 2, f'=COUNTIF({agrees},"Yes")&" of "&(COUNTIF({agrees},"Yes")+COUNTIF({agrees},"No"))')
    put(ws, 6, 1, "Missing values", bold=True)
    formula(ws, 6, 2, f"={refs.missing}")
    put(ws, 7, 1, "Metadata (YAML)", bold=True)
    if model.metadata is not None:
        put(ws, 7, 2, yaml.safe_dump(model.metadata.model_dump(mode="json", exclude_defaults=True),
                                     allow_unicode=True, sort_keys=False))
    put(ws, 9, 1, "Weights", bold=True)
    put(ws, 10, 1, "ICP attributes add up to")
    formula(ws, 10, 2, f"=SUM({ranges['profile']})")
    put(ws, 11, 1, "Activities add up to")
    formula(ws, 11, 2, f"=SUM({ranges['engagement']})")
    put(ws, 13, 1, "Scenarios per computed state", bold=True)
    for i, state in enumerate(model.states, start=14):
        put(ws, i, 1, state.name)
        formula(ws, i, 2, f"=COUNTIF({ranges['states']},A{i})")
    _widths(ws, [26, 80])


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[col(i)].width = w


def workbook_bytes(model: ScoringModel) -> bytes:
    """The .xlsx file of the model (Team, Thresholds, Weight & test, Model summary)."""
    wb = Workbook()
    team = wb.active
    team.title = TEAM
    _team(team, model)
    refs = _thresholds(wb.create_sheet(THRESHOLDS), model)
    ranges = _weights(wb.create_sheet(WEIGHTS), model, refs)
    _summary(wb.create_sheet(SUMMARY), model, refs, ranges)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render(model: ScoringModel, options: Mapping[str, Any]) -> Exported:
    # A draft is marked in its file name only: a note in the sheets would be read back as data.
    return Exported(workbook_bytes(model), file_name(model, "xlsx", draft=is_draft(options)), MEDIA_TYPE)


FORMAT = ExportFormat(
    name="xlsx",
    label="Excel workbook",
    description="The model as the workshop's spreadsheet (Team, Thresholds, Weight & test, Model summary) with live "
    "formulas: change a weight in Excel or LibreOffice and every scenario recalculates. It can be imported back.",
    render=render,
    binary=True,
)


def read_workbook_xlsx(data: bytes) -> ScoringModel:
    """The model in such a workbook (see :mod:`workbook.export.xlsx_read`); raises ``WorkbookXlsxError``."""
    from workbook.export.xlsx_read import read_workbook_xlsx as read

    return read(data)
