"""Excel round trip: the workbook's live formulas recalculate (with the `formulas` engine) to the
engine's answers, an edited copy re-imports with the edit, typed text never becomes a formula, and
bad input gets an error naming sheet and cell."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbook.engine import evaluate_scenarios
from workbook.examples import example_path
from workbook.export.xlsx import FORMAT, SUMMARY, THRESHOLDS, WEIGHTS, read_workbook_xlsx, workbook_bytes
from workbook.export.xlsx_read import WorkbookXlsxError
from workbook.files import load_model_file, model_to_data
from workbook.model import ScoringModel

formulas = pytest.importorskip("formulas")


def model_of(missing: str = "zero", *, label: str = "Head of RevOps") -> ScoringModel:
    """Weights 5/11/84 with scores 50/10/85 give exactly 75.0 (SPEC §3.4) — grade A at min 75."""
    states = ["Send to sales", "Qualify", "Nurture", "Ignore"]
    grades, levels = [("A", 75), ("B", 50), ("C", 25), ("D", 0)], [("1", 70), ("2", 40), ("3", 15), ("4", 0)]
    data = {
        "schema_version": 1,
        "name": "Ortiz — VP, São Paulo",
        "team": [{"name": "Dana Ortiz", "title": "VP — Marketing", "steering_committee": True}],
        "states": [{"name": s, "action": f"do {s.lower()}"} for s in states],
        "profile_grades": [{"grade": g, "min": m} for g, m in grades],
        "engagement_levels": [{"level": lvl, "min": m} for lvl, m in levels],
        "matrix": {g + lvl: states[min(gi + li, 3)]
                   for gi, (g, _) in enumerate(grades) for li, (lvl, _) in enumerate(levels)},
        "missing": missing,
        "knockout_state": "Ignore",
        "profile": [
            {"name": "Role", "weight": 5, "column": "job_title", "values": [
                {"label": label, "score": 50, "match": {"contains": ["revops", "sales ops"]}},
                {"label": "Student", "score": 0, "knockout": True, "match": {"contains": ["student"]}}]},
            {"name": "Size", "weight": 11, "values": [
                {"label": "Small", "score": 10, "match": {"min": 0, "max": 50}},
                {"label": "Big", "score": 100, "match": {"min": 50}}]},
            {"name": "Fit*?", "weight": 84, "values": [{"label": "Yes?", "score": 85}, {"label": "No*", "score": -20}]},
        ],
        "engagement": [
            {"name": "Demo", "weight": 60, "values": [
                {"label": "7 days", "score": 100, "match": {"within_days": 7}},
                {"label": "Older", "score": 30, "match": {"within_days": 365}}]},
            {"name": "Unsubscribe", "weight": 40, "values": [{"label": "Unsubscribed", "score": -100}]},
        ],
        "scenarios": [
            {"name": "On the threshold", "profile": {"Role": label, "Size": "Small", "Fit*?": "Yes?"},
             "engagement": {"Demo": "7 days"},
             "estimate": {"profile": "A", "engagement": "2", "state": "Send to sales"}},
            {"name": "Knocked out", "profile": {"Role": "Student", "Size": "Big", "Fit*?": "Yes?"},
             "engagement": {"Demo": "7 days"}, "estimate": {"state": "Ignore"},
             "estimates_by_member": {"Dana Ortiz": "Ignore"}},
            {"name": "Negative clamps to 0", "profile": {"Fit*?": "No*"},
             "engagement": {"Unsubscribe": "Unsubscribed"}},
            {"name": "Partly missing", "profile": {"Size": "Big"}, "engagement": {"Demo": "Older"},
             "estimate": {"engagement": "3"}},
        ],
    }
    return ScoringModel.model_validate(data)


def recalculated(data: bytes, tmp_path: Path, sheet_name: str = WEIGHTS) -> dict[str, object]:
    """Every cell of one sheet (default Weight & test), recalculated by the `formulas` engine."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, ranges in solution.items():
        sheet, _, cell = key.rpartition("!")
        if sheet.upper().endswith(sheet_name.upper() + "'") and ":" not in cell:
            out[cell] = ranges.value[0][0]
    return out


def computed_rows(data: bytes, values: dict[str, object]) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[WEIGHTS]
    h = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Scenario")
    columns = {ws.cell(h, c).value: openpyxl.utils.get_column_letter(c) for c in range(1, ws.max_column + 1)}
    rows = []
    r = h + 1
    while ws.cell(r, 1).value:
        rows.append({k: values[f"{columns[k]}{r}"] for k in ("Profile %", "Engagement %", "Grade", "Level", "Cell",
                                                            "State", "Knocked out", "Agrees")})
        r += 1
    return rows


def assert_matches_engine(model: ScoringModel, rows: list[dict[str, object]]) -> None:
    results = evaluate_scenarios(model)
    assert len(rows) == len(results)
    for row, r in zip(rows, results, strict=True):
        res = r.result
        assert row["Profile %"] == pytest.approx(res.profile_pct, abs=1e-9), r.name
        assert row["Engagement %"] == pytest.approx(res.engagement_pct, abs=1e-9), r.name
        assert (row["Grade"], str(row["Level"]), row["Cell"], row["State"]) == (
            res.profile_grade, res.engagement_level, res.cell, res.state), r.name
        assert row["Knocked out"] == ("Yes" if res.knocked_out else "No")
        assert row["Agrees"] == ("" if r.agrees is None else "Yes" if r.agrees else "No"), r.name


@pytest.mark.parametrize("missing", ["zero", "neutral"])
def test_formulas_recalculate_to_the_engines_answers(missing, tmp_path):
    model = model_of(missing)
    data = workbook_bytes(model)
    rows = computed_rows(data, recalculated(data, tmp_path))
    assert_matches_engine(model, rows)
    assert rows[0]["Grade"] == "A"  # exactly 75 earns A (SPEC §3.4)
    assert rows[1]["State"] == "Ignore"


def test_an_edited_copy_recalculates_and_reimports_with_the_edit(tmp_path):
    model = model_of()
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(model)))
    ws = wb[WEIGHTS]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Size")
    ws.cell(row, 2).value = 1  # Size weight 11 → 1, typed as a number, as Excel does
    ws_t = wb[THRESHOLDS]
    grid_row = next(r for r in range(1, ws_t.max_row + 1) if ws_t.cell(r, 1).value == "Grid")
    ws_t.cell(grid_row + 1, 3).value = 2  # the level header "2" typed as a number
    buffer = io.BytesIO()
    wb.save(buffer)
    edited = buffer.getvalue()

    back = read_workbook_xlsx(edited)
    expected = model.model_copy(deep=True)
    expected.profile[1].weight = 1
    assert model_to_data(back) == model_to_data(expected)
    # the recalculated workbook agrees with the engine on the edited model (profile 74.1 % → B now)
    rows = computed_rows(edited, recalculated(edited, tmp_path))
    assert_matches_engine(expected, rows)
    assert rows[0]["Grade"] == "B"
    summary = recalculated(edited, tmp_path, SUMMARY)
    assert summary["B10"] == 90  # ICP weights now add up to 5 + 1 + 84
    results = evaluate_scenarios(expected)
    given = sum(1 for r in results if r.agrees is not None)
    assert summary["B5"] == f"{sum(1 for r in results if r.agrees)} of {given}"
    assert [summary[f"B{r}"] for r in range(14, 18)] == [
        sum(1 for r in evaluate_scenarios(expected) if r.result.state == s) for s in expected.state_names]


@pytest.mark.parametrize("name", ["sales_automation.yaml", "x_education.yaml"])
def test_the_examples_round_trip_exactly(name):
    model = load_model_file(example_path(name)).model
    assert model_to_data(read_workbook_xlsx(workbook_bytes(model))) == model_to_data(model)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)"])  # tab/CR-first names are refused (issue 12)  # noqa: E501
def test_typed_text_is_never_a_formula(text):
    model = model_of(label=text)
    data = workbook_bytes(model)
    ws = openpyxl.load_workbook(io.BytesIO(data))[WEIGHTS]
    cells = [c for row in ws.iter_rows() for c in row if c.value == text.replace("\r", "_x000D_")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    back = read_workbook_xlsx(data)
    assert back.profile[0].values[0].label == text
    assert back.scenarios[0].profile["Role"] == text


def test_numbers_stay_numbers():
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(model_of())))[WEIGHTS]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Size")
    assert ws.cell(row, 2).value == 11 and ws.cell(row, 2).data_type == "n"


def _edited(change) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(model_of())))
    change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _row_of(ws, text: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == text)


def test_a_bad_number_names_sheet_and_cell():
    def change(wb):
        ws = wb[WEIGHTS]
        ws.cell(_row_of(ws, "Size"), 2).value = "eleven"

    with pytest.raises(WorkbookXlsxError) as err:
        read_workbook_xlsx(_edited(change))
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(model_of())))[WEIGHTS]
    assert err.value.problems == [f"Weight & test!B{_row_of(ws, 'Size')}: the weight must be a number, not “eleven”"]


def test_shape_errors_name_the_cell():
    def change(wb):
        ws = wb[THRESHOLDS]
        ws.cell(3, 2).value = None  # grade A's minimum emptied

    with pytest.raises(WorkbookXlsxError) as err:
        read_workbook_xlsx(_edited(change))
    assert any(p.startswith("Thresholds!B3:") for p in err.value.problems)


def test_a_formula_without_a_value_and_a_missing_sheet_are_reported():
    def change(wb):
        ws = wb[WEIGHTS]
        ws.cell(_row_of(ws, "Size"), 2).value = "=5+6"

    with pytest.raises(WorkbookXlsxError, match="a formula without a calculated value"):
        read_workbook_xlsx(_edited(change))
    with pytest.raises(WorkbookXlsxError, match="no “Team” sheet"):
        read_workbook_xlsx(_edited(lambda wb: wb.remove(wb["Team"])))
    with pytest.raises(WorkbookXlsxError, match="not an Excel"):
        read_workbook_xlsx(b"name,weight\n")


def test_format_renders_an_xlsx_named_after_the_model():
    exported = FORMAT.render(model_of(), {})
    # the house file-name rule (workbook.export.naming.slug): ASCII only, as every format of the registry
    assert exported.file_name == "ortiz-vp-sao-paulo.xlsx"
    assert exported.media_type.endswith("spreadsheetml.sheet")
    assert read_workbook_xlsx(exported.as_bytes()).name == "Ortiz — VP, São Paulo"


def test_metadata_team_and_member_estimates_round_trip():
    data = model_of().model_dump()
    data["metadata"] = {"version": "1.2", "revision": 4, "status": "approved",
                        "approvals": [{"member": "Dana Ortiz", "decision": "approved", "revision": 4,
                                       "at": "2026-11-02T10:00:00", "comment": "Go"}],
                        "changes": [{"revision": 4, "summary": "Size weight 11"}]}
    model = ScoringModel.model_validate(data)
    back = read_workbook_xlsx(workbook_bytes(model))
    assert model_to_data(back) == model_to_data(model)
    assert back.scenarios[1].estimates_by_member == {"Dana Ortiz": "Ignore"}
    assert back.team[0].steering_committee is True


def test_an_emptied_row_inside_a_block_does_not_cut_the_block():
    def change(wb):
        ws = wb[WEIGHTS]
        ws.insert_rows(_row_of(ws, "Size"))  # an empty row between Role and Size
        first_scenario = _row_of(ws, "Scenario") + 1
        ws.insert_rows(first_scenario + 1)  # and one after the first scenario

    model = model_of()
    back = read_workbook_xlsx(_edited(change))
    assert [f.name for f in back.profile] == [f.name for f in model.profile]
    assert [s.name for s in back.scenarios] == [s.name for s in model.scenarios]


def test_a_row_without_a_name_is_reported():
    def change(wb):
        ws = wb[WEIGHTS]
        ws.cell(_row_of(ws, "Size"), 1).value = None

    with pytest.raises(WorkbookXlsxError, match=r"Weight & test!A\d+: this row has no name in column A"):
        read_workbook_xlsx(_edited(change))


def test_scenario_cells_offer_the_attributes_values_as_a_pick_list():
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(model_of())))[WEIGHTS]
    h = _row_of(ws, "Scenario")
    size_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(h, c).value == "Size")
    cell = f"{openpyxl.utils.get_column_letter(size_col)}{h + 1}"
    rule = next(dv for dv in ws.data_validations.dataValidation if cell in dv.sqref)
    first, last = (int(part.strip("$D")) for part in rule.formula1.lstrip("=").split(":"))
    assert [ws.cell(r, 4).value for r in range(first, last + 1)] == ["Small", "Big"]


def test_caps_refuse_oversized_workbooks_before_reading_them():
    from workbook.export.xlsx_read import MAX_FILE_BYTES, MAX_ROWS

    far = _edited(lambda wb: wb["Team"].cell(MAX_ROWS + 5, 1, "stray"))
    with pytest.raises(WorkbookXlsxError, match=f"the “Team” sheet has {MAX_ROWS + 5:,} rows"):
        read_workbook_xlsx(far)
    with pytest.raises(WorkbookXlsxError, match="a model's workbook has at most"):
        read_workbook_xlsx(b"PK" + b"\0" * MAX_FILE_BYTES)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (20 * 1024 * 1024))
    with pytest.raises(WorkbookXlsxError, match="times its size: that is not a model's workbook"):
        read_workbook_xlsx(bomb.getvalue())
