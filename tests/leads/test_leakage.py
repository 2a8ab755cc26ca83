"""The leakage guard flags a planted leaking column, explains why, and spares honest ones."""

from __future__ import annotations

import pandas as pd
import pytest
from fit_support import known_points_leads, known_points_model

from workbook.leads.leakage import find_leaks


@pytest.fixture(scope="module")
def leads() -> pd.DataFrame:
    return known_points_leads(rows=3000, seed=5)


@pytest.fixture(scope="module")
def checks(leads):
    return {c.attribute: c for c in find_leaks(known_points_model(), leads, "Converted")}


def test_planted_leak_is_flagged_with_reasons(checks):
    tag = checks["Tag"]
    assert tag.flagged and tag.left_out
    assert tag.column_auc > 0.95
    text = " ".join(tag.reasons())
    assert "'Sales tag'" in text and "AUC of 0.9" in text
    assert "Won" in {v.value for v in tag.nearly_certain}


def test_honest_attributes_are_not_flagged(checks):
    for name in ("Role", "Size", "Budget", "Demo", "Webinar"):
        assert not checks[name].flagged, checks[name].reasons()
        assert checks[name].reasons() == []


def test_a_noisier_leak_is_still_caught_by_its_auc():
    leads = known_points_leads(rows=3000, seed=6, leak_noise=0.08)
    tag = next(c for c in find_leaks(known_points_model(), leads, "Converted") if c.attribute == "Tag")
    assert tag.flagged and not tag.nearly_certain and tag.best_auc >= 0.85


def test_declared_and_kept(leads):
    checks = {c.attribute: c for c in find_leaks(known_points_model(), leads, "Converted",
                                                  declared=["Webinar"], keep=["Sales tag"])}
    assert checks["Webinar"].flagged and checks["Webinar"].left_out
    assert "marked the column 'Webinar'" in checks["Webinar"].reasons()[0]
    assert checks["Tag"].flagged and checks["Tag"].kept and not checks["Tag"].left_out


def test_an_id_column_does_not_rank_by_chance(leads):
    # every id is unique: pooled as rare values, it ranks nobody
    model = known_points_model()
    model = model.model_copy(deep=True)
    model.profile[1].column = "Lead ID"
    size = next(c for c in find_leaks(model, leads, "Converted") if c.attribute == "Size")
    assert size.column_auc == pytest.approx(0.5) and not size.flagged
