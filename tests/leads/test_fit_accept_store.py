"""Accepting a data suggestion in the store: exactly one revision per acceptance, and undo restores
the model (the page does the same through workbook.ui.actions; tests/ui/test_page_fit.py checks it there)."""

from __future__ import annotations

import os

import pytest
from fit_support import known_points_leads, known_points_model

from workbook.leads.fit import apply_suggestion, suggest_from_outcomes
from workbook.store import Store
from workbook.ui.fit_state import pending_parts


@pytest.fixture(scope="module")
def fitted():
    model = known_points_model()
    return model, suggest_from_outcomes(model, known_points_leads(rows=1500), "Converted", seed=3)


@pytest.fixture
def store():
    with Store(os.environ["WORKBOOK_DB"]) as s:
        yield s


@pytest.mark.parametrize("which", ["all", "one score", "weights", "thresholds"])
def test_accepting_is_one_revision_and_undo_restores_the_model(store, fitted, which):
    model, suggestion = fitted
    info = store.create(model, author="Ana")
    parts = pending_parts(model, suggestion)
    keys = {
        "all": None,
        "one score": [next(p.key for p in parts if p.key[0] == "score")],
        "weights": [("weights", "profile")],
        "thresholds": [("thresholds",)],
    }[which]
    accepted = apply_suggestion(model, suggestion, keys)
    assert accepted != model
    result = store.commit(info.id, base_revision=1, new_model=accepted, author="Ana")
    assert result.revision == 2
    assert len(store.history(info.id)) == 2
    assert store.head(info.id).model == accepted
    assert store.head(info.id).model != model

    undone = store.undo(info.id, "Ana", expected_head=2)
    assert undone.revision == 3
    assert store.head(info.id).model == model


def test_pending_parts_shrink_as_parts_are_accepted(fitted):
    model, suggestion = fitted
    parts = pending_parts(model, suggestion)
    assert parts, "the wrong model has something to accept"
    first = parts[0]
    after = apply_suggestion(model, suggestion, [first.key])
    assert [p.key for p in pending_parts(after, suggestion)] == [p.key for p in parts[1:]]
    assert pending_parts(apply_suggestion(model, suggestion), suggestion) == []
