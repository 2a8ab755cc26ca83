"""The vectorized scorer gives exactly the answers of the per-row reference path
(match.labels_for_row + engine.score_lead), on generated leads, on the real X Education list,
and in its parts: matching on distinct values, integer percentages, bands, reports."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from leads_support import AS_OF, ROWS, differences, neutral

from workbook.engine import canonical, exact, score_lead
from workbook.files import load_model_text
from workbook.leads import (
    SCORED_COLUMNS,
    MissingColumns,
    distribution,
    outcome_report,
    score_leads,
    score_leads_naive,
)
from workbook.leads import scoring as scoring_module
from workbook.leads.scoring import NANO, _round_half_even_div, band_nanos, canonical_nanos, plan_section
from workbook.leads.synthetic import column_pools
from workbook.match import label_for, match_value
from workbook.match.columns import ColumnView, factor_labels


# --------------------------------------------------------------------------------------------
# Whole lists
# --------------------------------------------------------------------------------------------
def test_generated_leads_score_exactly_as_the_per_row_path(generated_case):
    name, model, leads, expected = generated_case
    assert len(leads) == ROWS
    scored = score_leads(model, leads, AS_OF)
    assert list(scored.frame.columns) == [*leads.columns, *SCORED_COLUMNS]
    assert differences(expected, scored.frame[list(SCORED_COLUMNS)]) == {}
    # the generated list really exercises the model: every state, knockouts, several cells
    assert scored.frame["knocked_out"].any() and not scored.frame["knocked_out"].all()
    assert scored.frame["cell"].nunique() >= 8


def test_the_real_x_education_list_scores_exactly_as_the_per_row_path(x_education_case):
    model, leads, expected = x_education_case
    scored = score_leads(model, leads, AS_OF)
    assert differences(expected, scored.frame[list(SCORED_COLUMNS)]) == {}
    # the figures the model file quotes in its header comment
    shares = scored.frame["state"].value_counts(normalize=True).round(3).to_dict()
    assert shares == {"Qualify": 0.322, "Ignore": 0.265, "Send to sales": 0.238, "Nurture": 0.175}
    assert int(scored.frame["knocked_out"].sum()) == 833


def test_the_real_list_in_neutral_mode_too(x_education, x_education_leads):
    model = neutral(x_education)
    leads = x_education_leads.sample(2000, random_state=7)
    assert differences(score_leads_naive(model, leads, AS_OF), score_leads(model, leads, AS_OF).frame) == {}


def test_input_index_and_columns_are_kept_and_old_scores_replaced(all_kinds):
    leads = pd.DataFrame({"Job Title": ["RevOps", "x"], "state": ["old", "old"]}, index=[10, 20])
    for column in ("Seats (#)", "Country / Region", "demo date", "visits", "email status"):
        leads[column] = ["", None]
    scored = score_leads(all_kinds, leads, AS_OF)
    assert list(scored.frame.index) == [10, 20]
    assert scored.replaced_columns == ["state"]
    assert list(scored.frame["cell"]) == ["B4", "D4"]  # Role 33.3 = the B minimum; visits empty: -2.5 → 0
    assert list(scored.frame["state"]) == ["Nurture", "Ignore"]
    assert leads["state"].tolist() == ["old", "old"]  # the input is untouched


def test_an_empty_list_scores_to_an_empty_frame(all_kinds):
    leads = pd.DataFrame({c: pd.Series([], dtype="str") for c in
                          ("Job Title", "Seats (#)", "Country / Region", "demo date", "visits", "email status")})
    scored = score_leads(all_kinds, leads, AS_OF)
    assert len(scored.frame) == 0 and list(scored.frame.columns)[-7:] == list(SCORED_COLUMNS)
    assert len(score_leads_naive(all_kinds, leads, AS_OF)) == 0


def test_typed_columns_score_like_the_per_row_path(all_kinds):
    rng = np.random.default_rng(3)
    n = 400
    leads = pd.DataFrame({
        "Job Title": rng.choice(["RevOps lead", "cro", None, "intern", "Manager"], n),
        "Seats (#)": rng.choice([5, 50, 500.0, 5000, np.nan, -3], n),
        "Country / Region": rng.choice(["US", "Zürich", True, 3.5], n).astype(object),
        "demo date": pd.to_datetime(rng.choice(["2026-02-27", "2026-01-15", "2025-06-01", None], n)),
        "visits": rng.choice([0, 11, 21, 15], n),
        "email status": rng.choice(["clicked", None, "bounced"], n),
    })
    assert differences(score_leads_naive(all_kinds, leads, AS_OF), score_leads(all_kinds, leads, AS_OF).frame) == {}


def test_a_missing_column_names_the_column_and_who_reads_it(sales):
    leads = pd.DataFrame({"job_title": ["x"], "Employees": ["5"]})
    with pytest.raises(MissingColumns) as err:
        score_leads(sales, leads, AS_OF)
    text = str(err.value)
    assert "no column 'employees' (read by profile attribute 'Employees'); did you mean 'Employees'?" in text
    assert "no column 'demo_request_date' (read by activity 'Demo request')" in text
    assert "industry" in err.value.missing


def test_invalid_models_follow_the_engine_duplicate_labels_and_names(all_kinds):
    # Two values with one label: the engine scores the label's first value. Two attributes of
    # one name: both read the label the last of them found. Only a draft can look like this.
    data = all_kinds.model_dump()
    data["profile"][0]["values"][1]["label"] = "RevOps"  # "VP Sales" now shares a label with value 0
    data["profile"][3]["name"] = "Role"  # Internship is now a second "Role"
    model = type(all_kinds).model_validate(data)
    leads = pd.DataFrame({"Job Title": ["cro", "revops", "intern", "student", "x"]})
    for column in ("Seats (#)", "Country / Region", "demo date", "visits", "email status"):
        leads[column] = "1"
    assert differences(score_leads_naive(model, leads, AS_OF), score_leads(model, leads, AS_OF).frame) == {}


# --------------------------------------------------------------------------------------------
# Matching on distinct values = matching cell by cell
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("model_name", ["all_kinds", "sales"])
def test_every_value_mask_agrees_with_match_value_on_every_distinct_cell(model_name, request):
    model = request.getfixturevalue(model_name)
    for column, pool in column_pools(model, AS_OF, seed=11).items():
        series = pd.Series(pool + ["  ", "\t", "1e5", "-0", "2024-02-29", "2023-02-29"], dtype="str")
        view = ColumnView(series)
        codes = view.codes
        for f in [*model.profile, *model.engagement]:
            if f.source_column != column:
                continue
            for v in f.values:
                mask = view.value_mask(v, AS_OF)[codes]
                expected = [match_value(v, None if pd.isna(c) else c, AS_OF) for c in series]
                assert mask.tolist() == expected, (f.name, v.label)
            labels = factor_labels(f.values, view, AS_OF)[codes]
            expected_labels = [label_for(f, None if pd.isna(c) else c, AS_OF) for c in series]
            got = [None if i == len(f.values) else f.values[i].label for i in labels]
            assert got == expected_labels


def test_object_columns_with_mixed_python_values_match_like_the_reference(all_kinds):
    cells = ["12", 12, 12.0, "12.0", None, np.nan, "", True, dt.date(2026, 2, 27), "2026-02-27", Fraction(1, 2)]
    series = pd.Series(cells, dtype=object)
    view = ColumnView(series)
    for f in [*all_kinds.profile, *all_kinds.engagement]:
        for v in f.values:
            assert view.value_mask(v, AS_OF)[view.codes].tolist() == [match_value(v, c, AS_OF) for c in cells]


# --------------------------------------------------------------------------------------------
# Exact arithmetic
# --------------------------------------------------------------------------------------------
def test_round_half_even_division_equals_exact_rounding():
    rng = random.Random(5)
    a = [rng.randrange(0, 10**15) for _ in range(20_000)] + [5, 15, 25, 35, 1, 3]
    b = [rng.randrange(1, 10**6) for _ in range(20_000)] + [10, 10, 10, 10, 2, 2]
    got = _round_half_even_div(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64))
    assert got.tolist() == [round(Fraction(x, y)) for x, y in zip(a, b, strict=True)]
    assert got[-6:].tolist() == [0, 2, 2, 4, 0, 2]  # ties go to the even neighbour


@pytest.mark.parametrize("missing", ["zero", "neutral"])
def test_canonical_nanos_equal_the_engine_for_every_combination_of_values(missing):
    # Weights and scores chosen so that neutral rescaling gives long and tied decimals.
    model = load_model_text(f"""
schema_version: 1
name: arithmetic
states: [{{name: S}}]
profile_grades: [{{grade: A, min: 0}}]
engagement_levels: [{{level: 1, min: 0}}]
matrix: {{A1: S}}
missing: {missing}
profile:
  - {{name: a, weight: 33.3, values: [{{label: x, score: 100}}, {{label: y, score: 33.3}}, {{label: z, score: -7.77}}]}}
  - {{name: b, weight: 6.4, values: [{{label: x, score: 12.5}}, {{label: y, score: 99.99}}]}}
  - {{name: c, weight: 0.003, values: [{{label: x, score: 100}}, {{label: y, score: 0.5}}]}}
  - {{name: d, weight: 60.297, values: [{{label: x, score: 1}}, {{label: y, score: 66.6}}, {{label: z, score: -100}}]}}
""").model
    plan = plan_section(model, "profile")
    combos = [(i, j, k, m) for i in range(4) for j in range(3) for k in range(3) for m in range(4)]
    n = np.zeros(len(combos), dtype=np.int64)
    w = np.zeros(len(combos), dtype=np.int64)
    expected = []
    for row, combo in enumerate(combos):
        chosen = {}
        for p, idx in zip(plan.factors, combo, strict=True):
            n[row] += p.points[idx]
            if idx < p.missing:
                w[row] += p.weight
                chosen[p.factor.name] = p.factor.values[idx].label
        result = score_lead(model, chosen, {})
        expected.append(Fraction(result.profile.pct) if False else result.profile.exact_pct)
    got = canonical_nanos(plan, n, w if plan.neutral else None)
    assert [Fraction(int(x), NANO) for x in got] == [Fraction(e) for e in expected]


def test_weights_5_11_84_reach_75_exactly_and_grade_a():
    model = load_model_text("""
schema_version: 1
name: spec example
states: [{name: Hot}, {name: Cold}]
profile_grades: [{grade: A, min: 75}, {grade: B, min: 0}]
engagement_levels: [{level: 1, min: 0}]
matrix: {A1: Hot, B1: Cold}
profile:
  - {name: a, weight: 5, column: a, values: [{label: x, score: 50}]}
  - {name: b, weight: 11, column: b, values: [{label: x, score: 10}]}
  - {name: c, weight: 84, column: c, values: [{label: x, score: 85}]}
""").model
    leads = pd.DataFrame({"a": ["x"], "b": ["x"], "c": ["x"]})
    row = score_leads(model, leads, AS_OF).frame.iloc[0]
    assert (row["profile_pct"], row["profile_grade"], row["state"]) == (75.0, "A", "Hot")
    assert 5 * 0.5 + 11 * 0.1 + 84 * 0.85 != 75.0  # what binary floating point would have said


def test_band_minimums_are_compared_exactly():
    assert band_nanos([75, 33.3, 10.0000000001, 0]) == [75 * NANO, 33_300_000_000, 10_000_000_001, 0]
    assert exact(33.3) * NANO == 33_300_000_000 and canonical(Fraction(2, 3)) == Fraction(666666667, NANO)


def test_sums_too_large_for_int64_fall_back_to_python_integers(all_kinds, monkeypatch):
    # Only models with absurdly many decimal places overflow int64; lower the limit to get there.
    monkeypatch.setattr(scoring_module, "_PLAN_LIMIT", 10**4)
    leads = pd.DataFrame({
        "Job Title": ["RevOps", "cro", "", "student"], "Seats (#)": ["5000", "", "50", "-1"],
        "Country / Region": ["US", "x", "Zürich", ""], "demo date": ["2026-02-28", "", "2026-01-01", "2025-06-01"],
        "visits": ["12", "", "3", "x"], "email status": ["opened", "clicked", "", "bounced"],
    })
    for m in (all_kinds, neutral(all_kinds)):
        assert not plan_section(m, "profile").fits_int64
        assert differences(score_leads_naive(m, leads, AS_OF), score_leads(m, leads, AS_OF).frame) == {}


def test_threads_do_not_change_results(case):
    model, leads, expected = case("all_kinds_neutral")
    big = pd.concat([leads] * 6, ignore_index=True)  # over the size where columns are read in threads
    scored = score_leads(model, big, AS_OF, threads=2, quality=False)
    assert differences(pd.concat([expected] * 6, ignore_index=True), scored.frame) == {}


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["all_kinds", "sales"])  # matching does not depend on the missing policy
def test_unmatched_report_counts_rows_and_most_common_raw_values(case, name):
    model, leads, _ = case(name)
    scored = score_leads(model, leads, AS_OF)
    factors = [*model.profile, *model.engagement]
    assert [u.name for u in scored.unmatched] == [f.name for f in factors]
    for f, u in zip(factors, scored.unmatched, strict=True):
        raw = [None if pd.isna(c) else c for c in leads[f.source_column]]
        unmatched = Counter(c for c in raw if label_for(f, c, AS_OF) is None)
        assert u.count == sum(unmatched.values()), f.name
        assert u.top_values == unmatched.most_common(5), f.name
        assert u.column == f.source_column and u.rows == len(leads)


def test_distribution_and_outcome_report_against_hand_counts(sales):
    frame = pd.DataFrame({
        "cell": ["A1", "A1", "B2", "D4", "D4", "D4"],
        "state": ["Send to sales", "Send to sales", "Qualify", "Ignore", "Ignore", "Ignore"],
        "won": ["1", "yes", "0", " TRUE ", "n", "maybe"],
    })
    dist = distribution(sales, frame)
    assert [(g.name, g.count) for g in dist.cells][:6] == [("A1", 2), ("A2", 0), ("A3", 0), ("A4", 0), ("B1", 0),
                                                           ("B2", 1)]
    assert [(g.name, g.count, round(g.share, 4)) for g in dist.states] == [
        ("Send to sales", 2, 0.3333), ("Qualify", 1, 0.1667), ("Nurture", 0, 0.0), ("Ignore", 3, 0.5)]
    out = outcome_report(sales, frame, "won")
    assert (out.known, out.converted, out.base_rate) == (5, 3, 0.6)
    assert out.unknown_values == [("maybe", 1)]
    states = {g.name: (g.known, g.converted, g.rate, g.lift) for g in out.states}
    assert states["Send to sales"] == (2, 2, 1.0, pytest.approx(1 / 0.6))
    assert states["Qualify"] == (1, 0, 0.0, 0.0)
    assert states["Ignore"] == (2, 1, 0.5, pytest.approx(0.5 / 0.6))
    assert states["Nurture"] == (0, 0, None, None)


def test_outcome_report_on_the_real_list(x_education_case):
    model, leads, _ = x_education_case
    scored = score_leads(model, leads, AS_OF).frame
    out = outcome_report(model, scored, "Converted")
    assert out.known == 9240 and out.converted == 3561
    assert out.base_rate == pytest.approx(0.3854, abs=1e-4)
    rates = {g.name: round(g.rate, 3) for g in out.states}
    assert rates == {"Send to sales": 0.787, "Qualify": 0.423, "Nurture": 0.293, "Ignore": 0.042}
    # independently: the rate of each state straight from pandas
    by_state = scored.assign(c=scored["Converted"].astype(int)).groupby("state", observed=True)["c"].mean()
    for g in out.states:
        assert g.rate == pytest.approx(by_state[g.name])
        assert g.lift == pytest.approx(by_state[g.name] / out.base_rate)


def test_scoring_module_has_no_per_row_python_loop():
    # A guard against regressions: the vectorized path must not call the per-row reference.
    import inspect

    src = inspect.getsource(scoring_module.score_leads)
    assert "labels_for_row" not in src and "score_lead(" not in src and "iterrows" not in src
