"""AppTest: the Workbooks page — link, create (blank, example, upload), rename, duplicate, archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.editing import blank_model
from workbook.files import dump_model, load_model_file
from workbook.ui.keys import StateKeys, page_key
from workbook.validate import validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture
def at(open_page) -> AppTest:
    return open_page("pages/workbooks.py")


def open_id(at: AppTest) -> str:
    return at.session_state[StateKeys.WORKBOOK]


def rev(at: AppTest) -> int:
    return at.session_state[StateKeys.REVISION]


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.text]


def start_from(at: AppTest, option: str) -> None:
    at.get_by_key(page_key("workbooks", "start_from")).set_value(option)
    run(at)


def test_shows_the_open_workbook_and_its_link(at, store):
    (info,) = store.list()
    assert open_id(at) == info.id
    assert at.query_params["wb"] == info.id
    assert any(c.value.endswith(f"?wb={info.id}") for c in at.code), [c.value for c in at.code]
    assert info.source == "example:sales_automation.yaml"
    assert any("Example sales_automation.yaml" in t.replace("\\", "") for t in at.caption.values)


def test_create_blank_opens_a_new_workbook(at, store):
    at.text_input(key=page_key("workbooks", "blank_name")).set_value("Workshop two")
    at.button(key=page_key("workbooks", "create_blank")).click()
    run(at)
    workbooks = store.list()
    assert len(workbooks) == 2
    new = store.get(open_id(at))
    assert new.name == "Workshop two" and new.source == "blank"
    assert at.session_state[StateKeys.MODEL] == blank_model("Workshop two")
    assert store.head(new.id).model == blank_model("Workshop two")
    assert any("Workshop two" in t.value for t in at.toast)


def test_create_from_an_example(at, store):
    start_from(at, "example")
    at.selectbox(key=page_key("workbooks", "example")).select(ROOT / "scenarios" / "x_education.yaml")
    at.button(key=page_key("workbooks", "create_example")).click()
    run(at)
    new = store.get(open_id(at))
    assert new.source == "example:x_education.yaml"
    assert store.head(new.id).model == load_model_file(ROOT / "scenarios" / "x_education.yaml").model
    assert len(store.list()) == 2


def test_upload_a_valid_model_file(at, store):
    model = load_model_file(EXAMPLE).model
    model = model.model_copy(update={"name": "Uploaded FY28 draft"})
    start_from(at, "file")
    at.get_by_key("workbooks.upload@0").upload("fy28.yaml", dump_model(model).encode())
    run(at)
    assert at.success, "a valid model is said to be valid"
    assert len(store.list()) == 1, "nothing is stored before the user asks for it"
    at.button(key=page_key("workbooks", "create_upload")).click()
    run(at)
    new = store.get(open_id(at))
    assert new.source == "upload" and new.name == "Uploaded FY28 draft"
    assert store.head(new.id).model == model
    assert len(store.list()) == 2


@pytest.mark.parametrize(
    ("file", "problem"),
    [
        ("unknown_key_typo.yaml", "profile[0].wieght"),  # the shape of a model file is wrong
        ("syntax_error.yaml", "not valid YAML"),  # not YAML at all
        ("huge_integer.yaml", "too long to read"),  # a reader bug (ValueError) must refuse, not crash
    ],
)
def test_an_unreadable_upload_is_refused_whole_and_nothing_is_stored(at, store, file, problem):
    before = store.list(include_archived=True)
    start_from(at, "file")
    at.get_by_key("workbooks.upload@0").upload(file, (CORPUS / file).read_bytes())
    run(at)
    assert at.error, "the refusal is shown"
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert problem in shown, shown
    assert any(e.proto.title.startswith("Not stored") for e in at.error)
    with pytest.raises(KeyError):
        at.button(key=page_key("workbooks", "create_upload"))  # no way to store it
    assert store.list(include_archived=True) == before
    assert open_id(at) == before[0].id


def test_an_upload_that_breaks_a_rule_becomes_a_draft_workbook(at, store):
    start_from(at, "file")
    at.get_by_key("workbooks.upload@0").upload("bad.yaml", (CORPUS / "bad_weight_sum.yaml").read_bytes())
    run(at)
    assert at.warning and "weights add up to 95" in at.warning[0].value.replace("\\", "")
    at.button(key=page_key("workbooks", "create_upload")).click()
    run(at)
    assert len(store.list()) == 2
    assert validate(store.head(open_id(at)).model).errors


def test_rename_is_a_revision(at, store):
    wid = open_id(at)
    old = store.get(wid).name
    at.text_input(key=f"workbooks.rename@{rev(at)}").set_value("FY27 model, workshop 2")
    at.button(key=page_key("workbooks", "rename_submit")).click()
    run(at)
    assert store.get(wid).name == "FY27 model, workshop 2"
    assert at.session_state[StateKeys.MODEL].name == "FY27 model, workshop 2"
    head = store.history(wid, limit=1)[0]
    assert (head.number, head.kind) == (2, "rename")
    assert head.summary == [f"Renamed workbook '{old}' → 'FY27 model, workshop 2'"]


def test_an_empty_name_is_refused(at, store):
    wid = open_id(at)
    at.text_input(key=f"workbooks.rename@{rev(at)}").set_value("   ")
    at.button(key=page_key("workbooks", "rename_submit")).click()
    run(at)
    assert any("needs a name" in e.value for e in at.error)
    assert store.get(wid).head_revision == 1


def test_duplicate_opens_the_copy_and_leaves_the_original(at, store):
    original = store.get(open_id(at))
    at.button(key=page_key("workbooks", "duplicate_submit")).click()
    run(at)
    copy = store.get(open_id(at))
    assert copy.id != original.id
    assert copy.name == f"{original.name} (copy)"
    assert copy.source == f"duplicate:{original.id}@1"
    assert store.head(copy.id).model == store.head(original.id).model.model_copy(update={"name": copy.name})
    assert store.get(original.id) == original
    assert at.query_params["wb"] == copy.id, "the link follows the open workbook"
    assert len(store.list()) == 2


def test_open_archive_and_unarchive_from_the_list(at, store):
    first = open_id(at)
    other = store.create(blank_model("Other workshop"), source="blank")
    run(at)
    # Open the other one from the list
    at.button(key=page_key("workbooks", "open", other.id)).click()
    run(at)
    assert open_id(at) == other.id
    # Archive the first: hidden from the list, never deleted
    at.button(key=page_key("workbooks", "archive", first)).click()
    run(at)
    assert store.get(first).archived
    assert [w.id for w in store.list()] == [other.id]
    assert len(store.list(include_archived=True)) == 2
    with pytest.raises(KeyError):
        at.button(key=page_key("workbooks", "archive", first))
    assert any("1 archived workbook not shown" in c.value for c in at.caption)
    # Show archived, bring it back
    at.toggle(key=page_key("workbooks", "show_archived")).set_value(True)
    run(at)
    at.button(key=page_key("workbooks", "unarchive", first)).click()
    run(at)
    assert not store.get(first).archived
    assert {w.id for w in store.list()} == {first, other.id}


def test_archiving_the_open_workbook_keeps_it_open(at, store):
    wid = open_id(at)
    at.button(key=page_key("workbooks", "archive_current")).click()
    run(at)
    assert store.get(wid).archived and open_id(at) == wid
    at.button(key=page_key("workbooks", "unarchive_current")).click()
    run(at)
    assert not store.get(wid).archived


def test_names_are_shown_as_text_not_markup(at, store):
    store.create(blank_model("**Bold** <img src=x onerror=alert(1)>"), source="blank")
    run(at)
    shown = [t for t in texts(at) if "img" in t]
    assert shown, "the name is listed"
    assert all("\\<img" in t for t in shown if "<img" in t)
