"""AppTest: importing an Excel workbook on the Workbooks page — as a new workbook, or as a compared
revision of the current one whose differences are listed in words and applied as one revision."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.export.xlsx import WEIGHTS, workbook_bytes
from workbook.export.xlsx_read import MAX_UNPACKED_BYTES
from workbook.store.diff import describe_changes
from workbook.ui.components import import_xlsx
from workbook.ui.keys import StateKeys

PAGE = "pages/workbooks.py"
JOB_ROLE_VALUE = "VP or director of sales"  # a value of the first ICP attribute of the example


@pytest.fixture
def at(open_page, example) -> AppTest:
    return open_page(PAGE, example)


def upload(at: AppTest, data: bytes, name: str = "model.xlsx") -> AppTest:
    at.get_by_key(import_xlsx.uploader_key_for(at.session_state)).upload(name, data)
    return run(at)


def edited_xlsx(model, score: int) -> bytes:
    """The model's workbook with one value's score typed over in the Weight & test sheet, as in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(model)))
    ws = wb[WEIGHTS]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == JOB_ROLE_VALUE)
    ws.cell(row, 5).value = score
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_score(model, score: float):
    out = model.model_copy(deep=True)
    value = next(v for v in out.profile[0].values if v.label == JOB_ROLE_VALUE)
    value.score = score
    return out


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_an_edited_copy_reimports_with_the_edit_as_exactly_one_revision(at, store, example):
    wid = at.session_state[StateKeys.WORKBOOK]
    before = store.history(wid)
    upload(at, edited_xlsx(example, 65), "edited in Excel.xlsx")
    at.get_by_key(import_xlsx.MODE).set_value("revision")
    run(at)
    expected = with_score(example, 65)
    (sentence,) = describe_changes(example, expected)  # the one edit, in the store's words
    shown = texts(at)
    assert "**1 difference**" in shown and sentence.replace("\\", "") in shown
    assert len(store.history(wid)) == len(before), "nothing is saved before Apply"
    at.button(key=import_xlsx.APPLY).click()
    run(at)
    after = store.history(wid)
    assert len(after) == len(before) + 1, "the import is exactly one revision"
    head = store.head(wid)
    assert head.model == expected
    assert describe_changes(example, head.model) == [sentence]
    assert at.session_state[StateKeys.WORKBOOK] == wid, "the current workbook stays open"


def test_the_same_workbook_shows_no_differences(at, store, example):
    wid = at.session_state[StateKeys.WORKBOOK]
    upload(at, workbook_bytes(example))
    at.get_by_key(import_xlsx.MODE).set_value("revision")
    run(at)
    assert any("No differences" in i.value for i in at.info)
    with pytest.raises(KeyError):
        at.button(key=import_xlsx.APPLY)
    assert store.head(wid).model == example


def test_import_as_a_new_workbook(at, store, example):
    first = at.session_state[StateKeys.WORKBOOK]
    upload(at, edited_xlsx(example, 70), "fy28.xlsx")
    assert len(store.list()) == 1, "nothing is stored before the user asks for it"
    at.button(key=import_xlsx.CREATE).click()
    run(at)
    new = at.session_state[StateKeys.WORKBOOK]
    assert new != first and len(store.list()) == 2
    assert store.head(new).model == with_score(example, 70)
    assert store.head(first).model == example, "the current workbook is left as it was"


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_UNPACKED_BYTES + 1))
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "problem"), [
    (b"name,weight\nJob role,30\n", "not a zip archive"),
    (zip_bomb(), "that is not a model's workbook"),
])
def test_a_file_that_is_not_our_workbook_is_refused_whole(at, store, data, problem):
    before = store.list(include_archived=True)
    upload(at, data, "leads.xlsx")
    refusal = next(e for e in at.error if "Not imported" in str(e.proto))
    assert problem in refusal.value
    with pytest.raises(KeyError):
        at.button(key=import_xlsx.CREATE)
    assert store.list(include_archived=True) == before


def test_a_workbook_missing_a_sheet_names_it(at, example):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(example)))
    wb.remove(wb["Team"])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload(at, buffer.getvalue())
    assert any("no “Team” sheet" in e.value for e in at.error)
