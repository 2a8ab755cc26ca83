"""Whatever lands in a table cell, an edit is saved or refused in words — never a traceback (issue 12).

The app's tables hand the core rows of cells typed or pasted by people: text with invisible
or control characters, numbers too large to score, NaN, infinity, text where a number goes.
Every editing function either returns a model or refuses with a sentence that names the part
and field in the workshop's words (no pydantic jargon), and the app shows that sentence.
"""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from workbook.editing import EditError, set_bands, set_factors, set_states, set_team, set_values
from workbook.files import load_model_file
from workbook.model.refusals import refusal_words

MODEL = load_model_file(Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml").model
JARGON = ("validation error", "input_value", "pydantic", "Traceback", "type=", "errors.pydantic.dev")

hostile_text = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["Dana\x00", "X\u200b", "\u202eevil", "a\tb\nc", "=1+1", "   ", "ﬁ", "<b>x</b>"]),
)
hostile_number = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e300, -1e300, 1e9 + 1, "12", "twelve", "", "1e999"]),
)


def outcome(edit) -> str:
    """'saved' or the refusal as the app shows it; anything else fails the test."""
    try:
        edit()
        return "saved"
    except EditError as exc:
        return str(exc)
    except ValidationError as exc:
        return refusal_words(exc)


def assert_plain(said: str) -> None:
    assert said and not any(j in said for j in JARGON), said


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({"name": hostile_text, "title": hostile_text, "email": hostile_text}),
                max_size=4))
def test_team_rows(rows):
    assert_plain(outcome(lambda: set_team(MODEL, rows)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({"name": hostile_text, "weight": hostile_number, "column": hostile_text}),
                max_size=4), st.sampled_from(["profile", "engagement"]))
def test_attribute_and_activity_rows(rows, section):
    assert_plain(outcome(lambda: set_factors(MODEL, section, rows)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({"label": hostile_text, "score": hostile_number}), max_size=4))
def test_value_rows(rows):
    assert_plain(outcome(lambda: set_values(MODEL, "profile", 0, rows)))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries({"name": hostile_text, "min": hostile_number}), min_size=1, max_size=4))
def test_band_rows(rows):
    assert_plain(outcome(lambda: set_bands(MODEL, "profile", rows)))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries({"name": hostile_text, "action": hostile_text}), min_size=1, max_size=4))
def test_state_rows(rows):
    assert_plain(outcome(lambda: set_states(MODEL, rows)))


def test_the_refusals_name_the_part_and_field():
    assert outcome(lambda: set_team(MODEL, [{"name": "Dana\x00"}])).startswith("Team member name: holds an invisible")
    said = outcome(lambda: set_factors(MODEL, "profile", [{"name": "Job role", "weight": 1e300}]))
    assert said.startswith("ICP attribute weight: is too large to score"), said
    assert not math.isnan(MODEL.profile[0].weight)
