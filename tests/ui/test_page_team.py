"""AppTest: the Team page — the members table, functions in the room, the steering committee.

Default workbook (scenarios/sales_automation.yaml), team rows:
    0 Dana Ortiz (Marketing, Sponsor, steering) · 1 Marcus Lindqvist (Sales, Business lead, steering)
    2 Priya Raman (Marketing) · 3 Tom Becker (Inside sales) · 4 Sofia Alvarez (Product marketing)
    5 Akira Tanaka (Product management, steering) · 6 Jordan Ellis (Marketing ops / IT)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbook.files import load_model_file
from workbook.ui.keys import StateKeys

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml"

PAGE = "pages/team.py"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def at(open_page):
    return open_page(PAGE)


def errors(at) -> list[str]:
    """The error messages as a person reads them (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


def rev(at) -> int:
    return at.session_state[StateKeys.REVISION]


def members_table(at):
    return at.data_editor(key=f"team@{rev(at)}").value


def shown_table(at, first_column):
    return next(d.value for d in at.dataframe if list(getattr(d.value, "columns", []))[:1] == [first_column])


def coverage(at) -> dict[str, int]:
    return dict(zip(shown_table(at, "Function")["Function"], shown_table(at, "Function")["People"], strict=True))


def committee(at) -> list[str]:
    names = [d.value for d in at.dataframe if list(getattr(d.value, "columns", []))[:2] == ["Name", "Title"]]
    return list(names[0]["Name"]) if names else []


def main_text(at) -> list[str]:
    return [m.value for m in at.main.markdown] + [w.value for w in at.main.warning] + [
        s.value for s in at.main.success] + [c.value for c in at.main.caption]


def test_page_shows_members_functions_and_committee(at, model_of):
    assert list(members_table(at)["name"]) == [m.name for m in model_of(at).team]
    assert coverage(at) == {"Marketing": 2, "Sales": 1, "Inside sales": 1, "Product marketing": 1,
                            "Product management": 1, "Marketing ops / IT": 1}
    assert [s.value for s in at.main.success] == ["Every function a scoring team needs is in the room."]
    assert not at.main.warning
    assert committee(at) == ["Dana Ortiz", "Marcus Lindqvist", "Akira Tanaka"]


def test_editing_a_cell(at, edit_table, model_of):
    edit_table(at, "team", edited={3: {"title": "SDR manager", "email": "tom.b@example.com"}})
    tom = model_of(at).team[3]
    assert (tom.name, tom.title, tom.email) == ("Tom Becker", "SDR manager", "tom.b@example.com")
    assert members_table(at)["title"][3] == "SDR manager"


def test_adding_a_member(at, edit_table, model_of):
    edit_table(at, "team", added=[{"name": "Lee Chen", "function": "Service", "role": "Member",
                                   "steering_committee": True, "email": "lee.chen@example.com"}])
    lee = model_of(at).team[-1]
    assert (lee.name, lee.function, lee.role, lee.steering_committee) == ("Lee Chen", "Service", "Member", True)
    assert coverage(at)["Service"] == 1
    assert committee(at)[-1] == "Lee Chen"


def test_deleting_the_only_sales_member_flags_the_missing_function(at, edit_table, model_of):
    before = model_of(at)
    assert any("Marcus Lindqvist" in s.estimates_by_member for s in before.scenarios)
    edit_table(at, "team", deleted=[1])
    model = model_of(at)
    assert "Marcus Lindqvist" not in [m.name for m in model.team]
    assert not any("Marcus Lindqvist" in s.estimates_by_member for s in model.scenarios)
    assert coverage(at)["Sales"] == 0
    warnings = [w.value for w in at.main.warning]
    assert warnings == ["No one from Sales"]
    assert ":red-badge[:material/close: Sales · none]" in [m.value for m in at.main.markdown]
    assert committee(at) == ["Dana Ortiz", "Akira Tanaka"]


def test_renaming_a_member_keeps_their_estimates(at, edit_table, model_of):
    before = model_of(at)
    edit_table(at, "team", edited={1: {"name": "Marcus L."}})
    model = model_of(at)
    for old, new in zip(before.scenarios, model.scenarios, strict=True):
        assert new.estimates_by_member.get("Marcus L.") == old.estimates_by_member.get("Marcus Lindqvist")


def test_duplicate_names_are_refused_and_change_nothing(at, edit_table, model_of):
    before = model_of(at)
    edit_table(at, "team", edited={2: {"name": "dana ortiz"}})
    assert model_of(at) == before
    assert any("unique" in e for e in errors(at))
    assert members_table(at)["name"][2] == "Priya Raman", "the editor drops the refused input"


def test_a_bad_email_is_refused(at, edit_table, model_of):
    before = model_of(at)
    edit_table(at, "team", edited={3: {"email": "tom@"}})
    assert model_of(at) == before
    assert any("'tom@' (Tom Becker) does not look like an e-mail address" in e for e in errors(at))
    edit_table(at, "team", added=[{"name": "New person", "email": "new person@example.com"}])
    assert model_of(at) == before


def test_steering_committee_toggle(at, edit_table, model_of):
    edit_table(at, "team", edited={3: {"steering_committee": True}, 0: {"steering_committee": False}})
    assert [m.name for m in model_of(at).team if m.steering_committee] == [
        "Marcus Lindqvist", "Tom Becker", "Akira Tanaka"]
    assert committee(at) == ["Marcus Lindqvist", "Tom Becker", "Akira Tanaka"]


def test_a_loaded_model_with_its_own_function_and_role_keeps_them(open_page, edit_table, model_of):
    model = load_model_file(EXAMPLE).model
    model.team[6].function = "Revenue operations"
    model.team[6].role = "Advisor"
    at = open_page(PAGE, model)
    table = members_table(at)
    assert (table["function"][6], table["role"][6]) == ("Revenue operations", "Advisor")
    assert coverage(at)["Revenue operations"] == 1 and coverage(at)["Marketing ops / IT"] == 0
    assert [w.value for w in at.main.warning] == ["No one from Marketing ops / IT"]
    # Editing another cell keeps the free text.
    edit_table(at, "team", edited={0: {"title": "CMO"}})
    jordan = model_of(at).team[6]
    assert (jordan.function, jordan.role) == ("Revenue operations", "Advisor")
    assert model_of(at).team[0].title == "CMO"


def test_free_text_function_from_the_form(at, model_of):
    r = rev(at)
    at.selectbox(key=f"team_free_member@{r}").select("Jordan Ellis")
    at.get_by_key(f"team_free_field@{r}").set_value("function")
    at.text_input(key=f"team_free_value@{r}").input("Revenue operations")
    next(b for b in at.button if b.label == "Set").click().run()
    assert not at.exception
    assert model_of(at).team[6].function == "Revenue operations"
    assert members_table(at)["function"][6] == "Revenue operations"
    assert coverage(at)["Marketing ops / IT"] == 0
    assert [w.value for w in at.main.warning] == ["No one from Marketing ops / IT"]


def test_user_text_is_shown_literally(at, edit_table, model_of):
    edit_table(at, "team", added=[{"name": XSS, "function": "Sales", "steering_committee": True},
                                  {"name": "**bold**", "function": "**Finance**"}])
    assert [m.name for m in model_of(at).team][-2:] == [XSS, "**bold**"]
    assert committee(at)[-1] == XSS
    who = dict(zip(shown_table(at, "Function")["Function"], shown_table(at, "Function")["Who"], strict=True))
    assert who["Sales"] == f"Marcus Lindqvist, {XSS}"
    assert who["**Finance**"] == "**bold**"
    assert list(members_table(at)["name"])[-2:] == [XSS, "**bold**"]
    texts = main_text(at)
    assert not any("<img" in t and "\\<img" not in t for t in texts)
    assert not any("**bold**" in t or "**Finance**" in t for t in texts)
