"""AppTest: adding team members from pasted rows (and a CSV file) in one revision (issue 11, item 3)."""

from __future__ import annotations

import re

from workbook import editing
from workbook.ui.keys import StateKeys, page_key

PAGE = "pages/team.py"


def test_pasted_rows_with_a_header_become_members_in_one_revision(open_page, model_of):
    at = open_page(PAGE, editing.blank_model())
    before = at.session_state[StateKeys.BASE]
    at.text_area(key=page_key("team", "import_text")).input(
        "Name\tTitle\tFunction\n"
        "Priya Nair\tProduct Marketing Manager\tproduct marketing\n"
        "Tom Becker\tSDR\tInside sales\n"
    )
    at.button(key=page_key("team", "import_go")).click().run()
    assert not at.exception
    assert [(m.name, m.title, m.function) for m in model_of(at).team] == [
        ("Priya Nair", "Product Marketing Manager", "Product marketing"), ("Tom Becker", "SDR", "Inside sales")]
    assert at.session_state[StateKeys.BASE] == before + 1
    assert at.text_area(key=page_key("team", "import_text")).value == ""  # saved, so the box is emptied


def test_a_refused_import_changes_nothing_and_says_why(open_page, model_of):
    at = open_page(PAGE, editing.blank_model())
    at.text_area(key=page_key("team", "import_text")).input("Ana\t\t\t\t\tnot-an-address\n")
    at.button(key=page_key("team", "import_go")).click().run()
    assert model_of(at).team == []
    shown = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # as read: Markdown escapes removed
    assert any("does not look like an e-mail address" in text for text in shown), shown
    # nothing lost: the pasted rows stay in their box, to be mended and added again
    assert at.text_area(key=page_key("team", "import_text")).value == "Ana\t\t\t\t\tnot-an-address\n"
