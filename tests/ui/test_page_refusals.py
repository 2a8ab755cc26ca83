"""A cell the model cannot hold is refused in words on the page, and nothing changes (issue 12)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("typed", "said"), [
    ("Tom\u200bBecker", "Team member name: holds an invisible or control character (U+200B ZERO WIDTH SPACE)"),
    ("Tom\x00", "Team member name: holds an invisible or control character (U+0000"),
])
def test_a_name_with_an_invisible_character_is_refused_in_words(open_page, edit_table, model_of, typed, said):
    at = open_page("pages/team.py")
    before = model_of(at)
    edit_table(at, "team", edited={3: {"name": typed}})
    errors = [e.value.replace("\\", "") for e in at.error]  # shown escaped: Markdown
    assert any(said in e for e in errors), errors
    assert model_of(at) == before


def test_a_value_with_a_right_to_left_mark_is_refused_in_words(open_page, edit_table, model_of):
    at = open_page("pages/icp_weights.py")
    before = model_of(at)
    edit_table(at, "profile_values_1", edited={0: {"label": "CFO\u202e"}})
    errors = [e.value.replace("\\", "") for e in at.error]  # shown escaped: Markdown
    assert any(e.startswith("Value: holds an invisible or control character (U+202E") for e in errors), errors
    assert model_of(at) == before
