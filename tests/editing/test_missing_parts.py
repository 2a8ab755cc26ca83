"""A half-filled attribute is saved with its defaults, and what it still lacks is named."""

from __future__ import annotations

from workbook import editing


def test_a_row_with_only_a_name_is_saved_with_weight_0_and_its_gaps_named():
    model = editing.set_factors_keep_columns(editing.blank_model(), "profile", [{"name": "Job role", "orig": None}])
    assert [(f.name, f.weight, f.values) for f in model.profile] == [("Job role", 0, [])]
    assert editing.missing_parts(model, "profile") == ["Job role: weight 0, no values yet"]


def test_values_that_all_score_0_are_named_and_a_filled_attribute_is_not():
    model = editing.set_factors_keep_columns(
        editing.blank_model(), "engagement",
        [{"name": "Demo request", "weight": 60, "orig": None}, {"name": "Webinar", "weight": 40, "orig": None}],
    )
    model = editing.set_values_keep_match(model, "engagement", 0, [{"label": "Within 7 days", "score": 100}])
    model = editing.set_values_keep_match(model, "engagement", 1, [{"label": "Attended", "orig": None}])
    assert editing.missing_parts(model, "engagement") == ["Webinar: every value scores 0"]
    assert editing.missing_parts(model, "profile") == []
