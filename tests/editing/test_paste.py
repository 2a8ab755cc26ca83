"""Rows pasted from a spreadsheet (tab-separated) and tables read from files, as a table's rows."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from workbook import editing
from workbook.editing import TableShape, expand_pasted, rows_from_table, split_block
from workbook.model import TeamMember

TEAM = TableShape(
    columns=["name", "title", "function", "role", "steering_committee", "email"],
    labels={"name": "Name", "title": "Title", "function": "Function", "role": "Project role",
            "steering_committee": "Steering committee", "email": "E-mail"},
    flags=frozenset({"steering_committee"}),
    choices={"function": list(editing.TEAM_FUNCTIONS), "role": list(editing.TEAM_ROLES)},
)
VALUES = TableShape(
    columns=["label", "score", "knockout"],
    labels={"label": "Value", "score": "Score", "knockout": "Knockout"},
    numbers=frozenset({"score"}),
    flags=frozenset({"knockout"}),
)

FIVE = (
    "Priya Nair\tProduct Marketing Manager\tProduct marketing\tMember\tno\tpriya@example.com\n"
    "Dana Ortiz\tVP Marketing\tMarketing\tSponsor\tyes\tdana@example.com\n"
    "Marcus Lindqvist\tVP Sales\tSales\tBusiness lead\tyes\t\n"
    "Tom Becker\tSDR Team Lead\tInside sales\tMember\t\t\n"
    "Jordan Ellis\tMarketing Operations Manager\tMarketing ops / IT\tMarketing ops / IT\tno\tjordan@example.com\n"
)


def new_row(**cells):
    return {**dict.fromkeys(TEAM.columns), "orig": None, **cells}


def test_a_block_pasted_into_the_add_row_becomes_one_row_per_line():
    rows = expand_pasted([new_row(name=FIVE)], TEAM)
    assert [r["name"] for r in rows] == ["Priya Nair", "Dana Ortiz", "Marcus Lindqvist", "Tom Becker", "Jordan Ellis"]
    assert rows[0]["title"] == "Product Marketing Manager"
    assert rows[1]["steering_committee"] is True and rows[0]["steering_committee"] is False
    assert rows[2]["email"] is None
    assert all(r["orig"] is None for r in rows)
    model = editing.set_team(editing.blank_model(), rows)
    assert model.team[0] == TeamMember(name="Priya Nair", title="Product Marketing Manager",
                                       function="Product marketing", role="Member", email="priya@example.com")
    assert len(model.team) == 5


def test_a_header_line_is_skipped_and_maps_the_columns_by_name():
    block = "E-mail\tname\tTITLE\nana@example.com\tAna\tCMO\n"
    rows = expand_pasted([new_row(name=block)], TEAM)
    assert rows == [new_row(name="Ana", title="CMO", email="ana@example.com")]


def test_a_header_the_editor_spread_over_a_new_row_itself_is_dropped():
    # Pasted onto a selected cell, the editor spreads the block itself: the header is a row.
    rows = [new_row(name="Name", title="Title", steering_committee=False), new_row(name="Ana", title="CMO")]
    assert expand_pasted(rows, TEAM) == [new_row(name="Ana", title="CMO")]
    kept = [{**new_row(name="Name", title="Title"), "orig": 0}, new_row(name="Title")]
    assert expand_pasted(kept, TEAM) == kept  # an existing row, and a lone name, stay


def test_pasted_into_a_later_column_fills_from_there():
    rows = expand_pasted([new_row(name="Ana", title="CMO\tMarketing")], TEAM)
    assert rows == [new_row(name="Ana", title="CMO", function="Marketing")]


def test_an_existing_row_keeps_its_place_and_the_other_lines_follow_it():
    rows = [{**new_row(name="Dana"), "orig": 0}, {**new_row(name="Ana\nBo\tCFO"), "orig": 1},
            {**new_row(name="Cy"), "orig": 2}]
    out = expand_pasted(rows, TEAM)
    assert [(r["name"], r["orig"]) for r in out] == [("Dana", 0), ("Ana", 1), ("Bo", None), ("Cy", 2)]
    assert out[2]["title"] == "CFO"


def test_a_line_break_in_other_text_of_an_existing_row_is_left_alone():
    shape = TableShape(columns=["name", "action"])
    rows = [{"name": "Nurture", "action": "Monthly mail\nand webinars", "orig": 0}]
    assert expand_pasted(rows, shape) == rows


def test_numbers_and_ticks_are_read_as_people_write_them():
    block = "Value\tScore\tKnockout\nCEO\t100 %\tno\nIntern\t12,5\tx\nStudent\t-20\tYES"
    rows = rows_from_table(split_block(block), VALUES)
    assert rows == [
        {"label": "CEO", "score": 100.0, "knockout": False},
        {"label": "Intern", "score": 12.5, "knockout": True},
        {"label": "Student", "score": -20.0, "knockout": True},
    ]


def test_a_cell_that_is_not_a_number_is_passed_on_for_the_edit_to_refuse_by_name():
    (row,) = rows_from_table([["CEO", "lots"]], VALUES)
    assert row["score"] == "lots"
    model = editing.set_factors(editing.blank_model(), "profile", [{"name": "Job role", "weight": 100, "orig": None}])
    try:
        editing.set_values_keep_match(model, "profile", 0, [{**row, "orig": None}])
    except editing.EditError as exc:
        assert "lots" in str(exc)
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("a score 'lots' was accepted")


def test_quoted_cells_with_tabs_and_line_breaks_stay_one_cell():
    block = '"Nurture,\nmonthly"\tx\r\nB\t"say ""hi"""\n\n'
    assert split_block(block) == [["Nurture,\nmonthly", "x"], ["B", 'say "hi"']]


def test_choices_take_their_own_spelling():
    (row,) = rows_from_table([["Ana", "", "PRODUCT MARKETING", "sponsor"]], TEAM)
    assert row["function"] == "Product marketing" and row["role"] == "Sponsor"


# ------------------------------------------------------------------------------- properties
# Cells as a spreadsheet holds them: no tab or line break, no surrounding spaces, no quote first.
cell = st.text(alphabet=string.ascii_letters + string.digits + " .-@é", min_size=1, max_size=12).map(str.strip).filter(
    bool
)
names = st.lists(cell, min_size=1, max_size=8, unique_by=str.casefold)


@given(names=names, titles=st.lists(cell, min_size=8, max_size=8))
def test_any_block_gives_one_row_per_line_and_one_cell_per_column(names, titles):
    block = "\n".join(f"{n}\t{t}" for n, t in zip(names, titles, strict=False))
    rows = expand_pasted([new_row(name=block)], TEAM)
    if is_header_like(names[0], titles[0]):
        return  # a first line naming two columns is read as a header (tested above)
    assert [r["name"] for r in rows] == names
    assert [r["title"] for r in rows] == titles[: len(names)]
    assert all(r["orig"] is None for r in rows)


def is_header_like(*cells: str) -> bool:
    return all(TEAM.column_for(c) is not None for c in cells)


@given(st.lists(st.fixed_dictionaries({"name": cell, "title": st.one_of(st.none(), cell)}), max_size=6))
def test_rows_without_a_pasted_block_come_back_unchanged(plain):
    rows = [{**new_row(**r), "orig": i} for i, r in enumerate(plain)]
    assert expand_pasted(rows, TEAM) == rows


@given(names=names, line_end=st.sampled_from(["\n", "\r\n", "\r"]), trailing=st.sampled_from(["", "\n", "\n\n"]))
def test_line_endings_and_blank_lines_do_not_make_rows(names, line_end, trailing):
    text = line_end.join(names) + trailing
    rows = expand_pasted([new_row(name=text)], TEAM)
    if text == names[0]:  # one name, no line break: nothing was pasted
        assert rows == [new_row(name=text)]
        return
    if is_header_like(names[0]):
        names = names[1:]
    assert [r["name"] for r in rows] == (names or [None])


@given(names=names)
def test_pasted_rows_become_that_many_team_members_in_one_edit(names):
    if is_header_like(names[0]):
        names = names[1:]
    rows = expand_pasted([new_row(name="\n".join(["Name", *names]))], TEAM)
    model = editing.set_team(editing.blank_model(), rows)
    assert [m.name for m in model.team] == names
