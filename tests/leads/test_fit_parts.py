"""The Learn from outcomes page's pure helpers (workbook.ui.fit_state, no Streamlit): the settings in
words, the parts left to accept, messages, intervals."""

from __future__ import annotations

import datetime as dt

import pytest
from fit_support import known_points_leads, known_points_model

from workbook.leads.fit import suggest_from_outcomes
from workbook.leads.suggestion import apply_suggestion
from workbook.ui.fit_state import FitSettings, Part, accept_message, interval_text, pending_parts


@pytest.fixture(scope="module")
def fitted():
    model = known_points_model()
    return model, suggest_from_outcomes(model, known_points_leads(rows=1200), "Converted", seed=2)


def test_settings_in_words():
    words = FitSettings("Won", holdout=0.25, seed=4, thresholds=False, locked_weights=(("profile", "Role"),),
                        max_move=5.0, locked_values=(("profile", "Role", "Exec"),), keep=(("profile", "Tag"),),
                        as_of=dt.date(2026, 3, 2)).words()
    assert words == ("outcome 'Won' · 25 % held out · seed 4 · thresholds kept · as of 2026-03-02 · "
                     "1 weight locked · weights move at most 5 points · 1 score locked · "
                     "kept on purpose: Tag")
    assert FitSettings("Won", folds=5).words().startswith("outcome 'Won' · 5-fold · seed 0")


def test_parts_name_the_value_and_its_change(fitted):
    model, suggestion = fitted
    parts = pending_parts(model, suggestion)
    scores = [p for p in parts if p.key[0] == "score"]
    for p in scores:
        _, section, attribute, label = p.key
        now = next(v.score for f in model.section(section) if f.name == attribute for v in f.values
                   if v.label == label)
        new = next(v.suggested for v in suggestion.values if (v.section, v.attribute, v.label) == p.key[1:])
        assert now != new
        assert p.label.startswith(f"{attribute}: {label} — score ")
    assert {p.key for p in parts} - {p.key for p in scores} <= {("weights", "profile"), ("weights", "engagement"),
                                                                ("thresholds",)}
    # every part accepted one at a time ends where "accept all" ends
    model_now = model
    for p in parts:
        model_now = apply_suggestion(model_now, suggestion, [p.key])
    assert model_now == apply_suggestion(model, suggestion)


def test_messages_and_intervals():
    one = Part(("thresholds",), "Grade and level minimums", "the suggested grade and level minimums")
    assert accept_message([one], "Won") == "Accepted the suggested grade and level minimums from the outcomes in 'Won'"
    assert accept_message([one, one], "Won") == "Accepted 2 suggested changes from the outcomes in 'Won'"
    assert accept_message([one, one], "Won", everything=True) == \
        "Accepted the data suggestion from the outcomes in 'Won' (2 changes)"
    assert interval_text(0.123, 0.18) == "12.3–18 %"
    assert interval_text(None, 0.2) == "–"
