"""AppTest: the Learn from outcomes page — fit, figures, leakage, accept (one revision each, undoable),
funnel, sales acceptance, champion vs challenger, and lead-list text kept as text.

Expected numbers never come from the page: they are computed with the core on the same rows
(:func:`suggest_from_outcomes`, :func:`compare_models`) or counted with plain pandas.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from workbook.examples import example_path
from workbook.files import load_model_file
from workbook.leads import read_lead_bytes, score_leads
from workbook.leads.compare import compare_models
from workbook.leads.fit import suggest_from_outcomes
from workbook.leads.suggestion import apply_suggestion
from workbook.leads.synthetic import generate_leads
from workbook.ui.fit_state import Keys, pending_parts
from workbook.ui.keys import StateKeys, page_key

PAGE = "pages/fit.py"
AS_OF = dt.date(2026, 3, 2)
SALES = load_model_file(example_path("sales_automation.yaml")).model
HTML_COLUMN = "Stage <img src=x onerror=alert(1)>"


def leads_frame(rows: int = 600, seed: int = 3) -> pd.DataFrame:
    """A generated list whose outcome follows the model's own percentages (so there is something to learn)."""
    frame = generate_leads(SALES, rows, as_of=AS_OF, seed=seed, wide_numbers=True)
    scored = score_leads(SALES, frame, AS_OF, quality=False).frame
    rng = np.random.default_rng(seed)
    pull = (scored["profile_pct"].fillna(0) + scored["engagement_pct"].fillna(0) - 90) / 20
    frame["Converted"] = (rng.random(rows) < 1 / (1 + np.exp(-pull.to_numpy()))).astype(int).astype(str)
    frame[HTML_COLUMN] = frame["Converted"]  # a second funnel stage with a name that is HTML
    return frame


LEADS = leads_frame()
DATA = LEADS.to_csv(index=False).encode("utf-8")
READ = read_lead_bytes(DATA, "leads.csv").frame  # the list as the page reads it


@pytest.fixture
def at(open_page) -> AppTest:
    at = open_page(PAGE, SALES)
    at.file_uploader[0].upload("leads.csv", DATA).run()
    assert not at.exception, at.exception
    return at


def fit(at: AppTest, **settings) -> AppTest:
    at.date_input(key=Keys.AS_OF).set_value(AS_OF)
    at.selectbox(key=Keys.OUTCOME).set_value("Converted")
    for key, value in settings.items():
        widget = next(w for kind in ("multiselect", "slider", "number_input", "checkbox", "selectbox")
                      for w in at.get(kind) if getattr(w, "key", None) == key)
        widget.set_value(value)
    at.button(key=Keys.SUGGEST).click().run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def core_suggestion(**kwargs):
    kwargs = {"holdout": 0.3, "seed": 0, **kwargs}
    return suggest_from_outcomes(SALES, READ, "Converted", as_of=AS_OF, **kwargs)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page with this column (plain dataframes carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def revisions(at: AppTest, store) -> int:
    return store.get(at.session_state[StateKeys.WORKBOOK]).head_revision


def chart_spec(at: AppTest, name: str) -> dict:
    charts = [c for c in at.get("plotly_chart") if c.proto.id and page_key("fit", name) in c.proto.id]
    assert charts, f"the chart {name} is shown"
    return json.loads(charts[0].proto.spec)


# --------------------------------------------------------------------------------------------
def test_the_page_asks_for_a_list_first(open_page):
    at = open_page(PAGE, SALES)
    assert at.header[0].value == "Learn from outcomes"
    assert not at.get("plotly_chart")
    assert at.file_uploader, "the Lead list's uploader is offered here too"


def test_the_figures_are_the_cores_on_the_held_out_leads(at):
    fit(at)
    expected = core_suggestion().held_out
    assert metric(at, "AUC, current model") == f"{expected.auc_current:.2f}"
    assert metric(at, "AUC, suggestion") == f"{expected.auc_suggested:.2f}"
    assert metric(at, "AUC, ceiling") == f"{expected.auc_ceiling:.2f}"
    bars = chart_spec(at, "auc_chart")["data"][0]
    assert bars["x"] == pytest.approx([expected.auc_current, expected.auc_suggested, expected.auc_ceiling])
    states = chart_spec(at, "state_chart")["data"]
    by_state = {g.name: g.rate for g in expected.states_suggested}
    assert [v if v is None else v / 100 for v in states[1]["y"]] == pytest.approx(
        [by_state.get(n) for n in SALES.state_names])


def test_the_evidence_table_shows_every_value_beside_its_scores(at):
    fit(at)
    s = core_suggestion()
    table = table_with(at, "95 % interval")
    assert list(table["Value"]) == [v.label for v in s.values]
    assert list(table["Suggested"]) == [v.suggested for v in s.values]
    assert list(table["Leads"]) == [v.leads for v in s.values]


def test_accepting_one_value_is_one_revision_and_undo_restores_the_model(at, store):
    fit(at)
    before, number = at.session_state[StateKeys.MODEL], revisions(at, store)
    part = pending_parts(before, core_suggestion())[0]
    assert part.key[0] == "score"
    at.selectbox(key=Keys.PART).set_value(part.key).run()
    at.button(key=Keys.ACCEPT_PART).click().run()
    assert not at.exception, at.exception
    assert revisions(at, store) == number + 1
    after = at.session_state[StateKeys.MODEL]
    assert after == apply_suggestion(before, core_suggestion(), [part.key])
    assert after != before
    at.sidebar.button(key="undo_last_change").click().run()
    assert revisions(at, store) == number + 2  # the undo is itself a revision
    assert store.head(at.session_state[StateKeys.WORKBOOK]).model == before


def test_accept_all_is_one_revision(at, store):
    fit(at)
    before, number = at.session_state[StateKeys.MODEL], revisions(at, store)
    at.button(key=Keys.ACCEPT_ALL).click().run()
    assert not at.exception, at.exception
    assert revisions(at, store) == number + 1
    assert at.session_state[StateKeys.MODEL] == apply_suggestion(before, core_suggestion())
    assert any("Accepted the data suggestion" in t.value for t in at.toast)


def test_a_declared_leak_is_left_out_until_kept_on_purpose(at):
    attribute = SALES.profile[0]
    fit(at, **{Keys.DECLARED: [attribute.source_column]})
    checkbox = at.checkbox(key=Keys.keep("profile", attribute.name))
    assert not checkbox.value
    assert any("filled after the lead is contacted" in m.value for m in at.markdown)
    weights = table_with(at, "Left out because")
    assert weights.set_index("Name").loc[attribute.name, "Suggested"] == 0
    checkbox.check().run()
    assert not at.exception, at.exception
    kept = core_suggestion(declared_leaks=[attribute.source_column], keep=[attribute.name])
    weights = table_with(at, "Left out because")
    expected = next(w.suggested for w in kept.weights if w.name == attribute.name)
    assert weights.set_index("Name").loc[attribute.name, "Suggested"] == expected


def test_the_funnel_counts_wins_and_keeps_a_column_name_as_text(at):
    at.multiselect(key=Keys.FUNNEL_COLUMNS).set_value(["Converted", HTML_COLUMN]).run()
    assert not at.exception, at.exception
    wins = int((LEADS["Converted"] == "1").sum())
    assert metric(at, "Wins") == f"{wins:,}"
    spec = chart_spec(at, "funnel_chart")
    names = [trace["name"] for trace in spec["data"]]
    assert "<img" not in json.dumps(spec)
    assert names[1] == "Stage &lt;img src=x onerror=alert(1)&gt;"


def test_sales_acceptance_joins_the_verdicts(at):
    ids = LEADS["Lead ID"].head(40)
    verdicts = pd.DataFrame({"Lead ID": ids, "Verdict": ["accepted" if i % 4 else "rejected" for i in range(40)],
                             "Reason": ["" if i % 4 else "no budget" for i in range(40)]})
    at.file_uploader[1].upload("verdicts.csv", verdicts.to_csv(index=False).encode()).run()
    assert not at.exception, at.exception
    assert metric(at, "Leads with a verdict") == "40"
    assert metric(at, "Accepted by sales") == "75 %"


def test_champion_vs_challenger_moves_the_leads_the_core_moves(at):
    fit(at)
    challenger = apply_suggestion(at.session_state[StateKeys.MODEL], core_suggestion())
    expected = compare_models(SALES, challenger, READ, as_of=AS_OF, outcome_column="Converted")
    assert any(f"{expected.moved:,} of {expected.rows:,} leads change state" in c.value.replace("\\", "")
               for c in at.caption)
    assert chart_spec(at, "movement")["data"][0]["z"] == expected.movement




def test_locked_weights_and_scores_stay_as_they_are(at):
    weight = ("profile", SALES.profile[1].name)
    value = ("engagement", SALES.engagement[0].name, SALES.engagement[0].values[0].label)
    fit(at, **{Keys.LOCKED_WEIGHTS: [weight], Keys.LOCKED_VALUES: [value]})
    weights = table_with(at, "Left out because").set_index("Name")
    assert weights.loc[weight[1], "Suggested"] == SALES.profile[1].weight
    assert bool(weights.loc[weight[1], "Locked"])
    values = table_with(at, "95 % interval")
    row = values[(values["Attribute"] == value[1]) & (values["Value"] == value[2])].iloc[0]
    assert row["Suggested"] == SALES.engagement[0].values[0].score and bool(row["Locked"])


def test_a_column_that_cannot_teach_is_refused_in_words(at):
    at.date_input(key=Keys.AS_OF).set_value(AS_OF)
    at.selectbox(key=Keys.OUTCOME).set_value("Lead ID")
    at.button(key=Keys.SUGGEST).click().run()
    assert not at.exception, at.exception
    assert any("No suggestion" in e.value and "Lead ID" in e.value for e in at.error)
    assert not [m for m in at.metric if m.label.startswith("AUC")]


def test_sales_disagreements_list_the_hottest_rejected_first(at):
    scored = score_leads(SALES, READ, AS_OF, quality=False).frame
    hot = scored[scored["state"] == SALES.state_names[0]]["Lead ID"].head(3).tolist()
    verdicts = pd.DataFrame({"Lead ID": hot, "Verdict": ["rejected"] * 3, "Reason": ["no budget"] * 3})
    at.date_input(key=Keys.AS_OF).set_value(AS_OF).run()
    at.file_uploader[1].upload("verdicts.csv", verdicts.to_csv(index=False).encode()).run()
    assert not at.exception, at.exception
    rejected = table_with(at, "Sales said")
    assert set(rejected["Lead"]) == set(hot)
    assert set(rejected["State"]) == {SALES.state_names[0]}
    assert set(rejected["Reason"]) == {"no budget"}


def test_an_earlier_revision_can_be_the_challenger(at, store):
    fit(at)
    first = at.session_state[StateKeys.MODEL]
    at.button(key=Keys.ACCEPT_ALL).click().run()
    at.get("button_group")[-1].set_value("Another revision of this workbook").run()
    assert not at.exception, at.exception
    expected = compare_models(at.session_state[StateKeys.MODEL], first, READ, as_of=AS_OF,
                              outcome_column="Converted")
    assert chart_spec(at, "movement")["data"][0]["z"] == expected.movement


def test_k_fold_and_another_seed_measure_as_the_core_does(at):
    fit(at, **{Keys.FOLDS: 5})
    expected = core_suggestion(folds=5).held_out
    assert metric(at, "AUC, suggestion") == f"{expected.auc_suggested:.2f}"
    assert any(f"{expected.rows:,} held-out leads (5-fold)" in c.value.replace("\\", "") for c in at.caption)
    fit(at, **{Keys.FOLDS: None, Keys.SEED: 7, Keys.HOLDOUT: 40})
    expected = core_suggestion(seed=7, holdout=0.4).held_out
    assert metric(at, "AUC, current model") == f"{expected.auc_current:.2f}"
    assert metric(at, "AUC, suggestion") == f"{expected.auc_suggested:.2f}"
    assert any(f"{expected.rows:,} held-out leads" in c.value.replace("\\", "") for c in at.caption)


def test_an_ordered_stage_column_with_amounts_checked_by_hand(open_page):
    from workbook.leads import score_leads_naive

    frame = LEADS.copy()
    rng = np.random.default_rng(11)
    won = frame["Converted"] == "1"
    frame["Stage"] = np.where(won, "Won", rng.choice(["MQL", "Opportunity", "", "Closed lost"], len(frame)))
    frame["Amount"] = rng.integers(1, 50, len(frame)).astype(str)
    data = frame.to_csv(index=False).encode("utf-8")
    at = open_page(PAGE, SALES)
    at.file_uploader[0].upload("stages.csv", data).run()
    at.date_input(key=Keys.AS_OF).set_value(AS_OF).run()
    next(b for b in at.get("button_group") if b.key == Keys.FUNNEL_SHAPE).set_value(
        "One column naming the furthest stage").run()
    at.selectbox(key=Keys.FUNNEL_COLUMN).set_value("Stage")
    at.text_input(key=Keys.FUNNEL_STAGES).input("MQL, Opportunity, Won").run()
    at.selectbox(key=Keys.FUNNEL_AMOUNT).set_value("Amount").run()
    assert not at.exception, at.exception

    read = read_lead_bytes(data, "stages.csv").frame
    states = score_leads_naive(SALES, read, AS_OF)["state"]
    amount = read["Amount"].astype(int)
    wins = read["Stage"] == "Won"
    missed = wins & states.isin(SALES.state_names[-2:])
    pipeline = read["Stage"].isin(["Opportunity", "Won"])
    assert metric(at, "Wins") == f"{int(wins.sum()):,}"
    assert metric(at, "Missed wins") == f"{int(missed.sum()):,}"
    assert metric(at, "Pipeline value") == f"{int(amount[pipeline].sum())}"
    table = table_with(at, "Win rate").set_index("State")
    first = SALES.state_names[0]
    in_first = states == first
    reached_mql = (read["Stage"].isin(["MQL", "Opportunity", "Won"]) & in_first).sum() / in_first.sum()
    assert table.loc[first, "MQL"] == pytest.approx(100 * reached_mql)
    assert table.loc[first, "Won value"] == amount[wins & in_first].sum()
    assert any("Closed lost" in c.value for c in at.caption), "unrecognised stages are shown"
