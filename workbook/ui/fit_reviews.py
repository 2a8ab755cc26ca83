"""The "Learn from outcomes" tab's reviews of a scored list: the funnel, sales' verdicts, and
the current model against a challenger.

Every figure comes from the core (:mod:`workbook.leads.funnel`, :mod:`workbook.leads.acceptance`,
:mod:`workbook.leads.compare`); the list is scored once per model and settings by the Lead list
tab's scorer (:func:`workbook.ui.leads_page.score`). Lead-list text is shown in dataframes,
figures (escaped) or through ``md()``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from workbook import fmt
from workbook.leads import read_lead_bytes
from workbook.leads.acceptance import AcceptanceError, acceptance_review
from workbook.leads.compare import Comparison, compare_models
from workbook.leads.funnel import FunnelError, funnel_report
from workbook.leads.mapping import MapRow, scoring_frame
from workbook.leads.reading import LeadListError, max_leads_bytes
from workbook.leads.suggestion import apply_suggestion
from workbook.model import ScoringModel
from workbook.ui import fit_figures, leads_page
from workbook.ui.actions import StoreError, history, model_at
from workbook.ui.fit_state import Fitted, Keys
from workbook.ui.help import HELP
from workbook.ui.keys import page_key
from workbook.ui.leads_state import LoadedList
from workbook.ui.state import Workshop
from workbook.ui.text import md

CHART = {"displayModeBar": False}
NONE = "(none)"
ORDERED, PER_STAGE = "One column naming the furthest stage", "One 0/1 column per stage"
SUGGESTION, REVISION = "The data suggestion (all of it)", "Another revision of this workbook"


def _as_of() -> dt.date:
    return st.session_state.get(Keys.AS_OF, dt.date.today())


def _scored(ws: Workshop, loaded: LoadedList, rows: Sequence[MapRow]) -> pd.DataFrame:
    return leads_page.score(ws, loaded, rows, _as_of()).frame


def _pct(rate: float | None) -> float | None:
    return None if rate is None else 100 * rate


# --------------------------------------------------------------------------------------------
# Funnel
# --------------------------------------------------------------------------------------------
def parse_stages(text: str) -> list[str]:
    """``"MQL, SQL, Won"`` → the stage names in order (empty names dropped)."""
    return [s.strip() for s in text.split(",") if s.strip()]


def render_funnel(ws: Workshop, loaded: LoadedList, rows: Sequence[MapRow]) -> None:
    st.subheader("Funnel outcomes per cell and state")
    st.caption(
        "How far each state's leads went: the share reaching each stage, the win rate, the pipeline value, and "
        "the wins the model would have sent where no one calls (missed wins). The last stage is the win."
    )
    columns = [str(c) for c in loaded.frame.columns]
    shape = st.segmented_control("The list says the stage as", [PER_STAGE, ORDERED], default=PER_STAGE,
                                 key=Keys.FUNNEL_SHAPE, help=HELP["fit.funnel_shape"]) or PER_STAGE
    kwargs: dict[str, object] = {}
    if shape == PER_STAGE:
        stage_columns = st.multiselect("Stage columns, in funnel order (the last is the win)", columns,
                                       default=["Converted"] if "Converted" in columns else [],
                                       key=Keys.FUNNEL_COLUMNS, help=HELP["fit.funnel_columns"])
        if not stage_columns:
            st.info("Pick the stage columns to see the funnel.", icon=":material/info:")
            return
        kwargs["stage_columns"] = stage_columns
    else:
        a, b = st.columns(2)
        kwargs["stage_column"] = a.selectbox("Stage column", columns, key=Keys.FUNNEL_COLUMN,
                                             help=HELP["fit.funnel_column"])
        stages = parse_stages(b.text_input("Stages in funnel order, separated by commas", key=Keys.FUNNEL_STAGES,
                                           placeholder="MQL, Sales accepted, Opportunity, Won",
                                           help=HELP["fit.funnel_stages"]))
        if not stages:
            st.info("Type the stage names in funnel order to see the funnel.", icon=":material/info:")
            return
        kwargs["stages"] = stages
    c, d = st.columns(2)
    amount = c.selectbox("Amount column (optional)", [NONE, *columns], key=Keys.FUNNEL_AMOUNT,
                         help=HELP["fit.funnel_amount"])
    missed = d.multiselect("States where no one calls", ws.model.state_names, default=ws.model.state_names[-2:],
                           key=page_key("fit", "funnel", "missed", len(ws.model.state_names)),
                           help=HELP["fit.funnel_missed"])
    scored = _scored(ws, loaded, rows)
    try:
        funnel = funnel_report(ws.model, scored, amount_column=None if amount == NONE else amount,
                               missed_states=missed, **kwargs)  # type: ignore[arg-type]
    except (FunnelError, ValueError) as exc:
        st.error(md(f"No funnel: {exc}"), icon=":material/error:")
        return
    total = funnel.total
    a, b, c, d = st.columns(4)
    a.metric("Leads", f"{total.leads:,}")
    b.metric("Wins", f"{total.wins:,}", f"win rate {fmt.pct(_pct(total.win_rate))}", delta_color="off",
             delta_arrow="off")
    c.metric("Missed wins", f"{funnel.missed_wins:,}",
             f"{fmt.pct(_pct(funnel.missed_share), 0)} of all wins" if funnel.missed_share is not None else None,
             delta_color="off", delta_arrow="off", help=HELP["fit.missed_wins"])
    if total.pipeline_value is not None:
        d.metric("Pipeline value", fmt.number(total.pipeline_value, 0), help=HELP["fit.pipeline_value"])
    st.caption(md(funnel.sentence()))
    if funnel.unrecognised:
        st.caption(md("Stage cells that are none of the stages (counted as no stage): "
                      + " · ".join(f"{v} ({n:,})" for v, n in funnel.unrecognised[:8])))
    st.plotly_chart(fit_figures.funnel_by_state(funnel.stages, funnel.states), key=page_key("fit", "funnel_chart"),
                    config=CHART)

    def frame(groups, label: str) -> pd.DataFrame:
        out = []
        for g in groups:
            if not g.leads:
                continue
            row: dict[str, object] = {label: g.name or f"(no {label.lower()})", "Leads": g.leads}
            for stage, rate in zip(funnel.stages, g.conversion(), strict=True):
                row[stage] = _pct(rate)
            row["Win rate"] = _pct(g.win_rate)
            if g.pipeline_value is not None:
                row["Pipeline value"] = g.pipeline_value
                row["Won value"] = g.won_value
            out.append(row)
        return pd.DataFrame(out)

    config = {s: st.column_config.NumberColumn(format="%.1f %%") for s in [*funnel.stages, "Win rate"]}
    config |= {"Leads": st.column_config.NumberColumn(format="localized"),
               "Pipeline value": st.column_config.NumberColumn(format="localized"),
               "Won value": st.column_config.NumberColumn(format="localized")}
    st.dataframe(frame(funnel.states, "State"), hide_index=True, width="stretch",
                 key=page_key("fit", "funnel_states"), column_config=config)
    with st.expander("Per cell"):
        st.dataframe(frame(funnel.cells, "Cell"), hide_index=True, width="stretch",
                     key=page_key("fit", "funnel_cells"), column_config=config)


# --------------------------------------------------------------------------------------------
# Sales acceptance
# --------------------------------------------------------------------------------------------
def _read_verdicts() -> pd.DataFrame | None:
    uploaded = st.file_uploader("Sales' verdicts (CSV or Excel .xlsx): a lead id and accepted / rejected per lead",
                                type=["csv", "xlsx"], key=Keys.VERDICT_UPLOAD, help=HELP["fit.verdicts"])
    if uploaded is None:
        st.session_state.pop(Keys.VERDICTS, None)
        return None
    kept = st.session_state.get(Keys.VERDICTS)
    if kept is not None and kept[0] == uploaded.file_id:
        return kept[1]
    try:
        frame = read_lead_bytes(uploaded.getvalue(), uploaded.name, max_bytes=max_leads_bytes()).frame
    except LeadListError as exc:
        st.error(md(f"{uploaded.name} could not be read: {exc}"), icon=":material/error:")
        return None
    st.session_state[Keys.VERDICTS] = (uploaded.file_id, frame)
    return frame


def _guess(columns: list[str], words: Sequence[str]) -> int:
    for i, c in enumerate(columns):
        if any(w in c.casefold() for w in words):
            return i
    return 0


def render_acceptance(ws: Workshop, loaded: LoadedList, rows: Sequence[MapRow]) -> None:
    st.subheader("Sales acceptance review")
    st.caption(
        "Sales' verdicts on the leads they got, beside the model's states: the acceptance rate per cell and "
        "state, and the leads where sales and the model disagree most — to see whether the gap lies in sales' "
        "qualification or in the lead engine."
    )
    verdicts = _read_verdicts()
    if verdicts is None:
        return
    lead_columns = [str(c) for c in loaded.frame.columns]
    verdict_columns = [str(c) for c in verdicts.columns]
    a, b, c, d = st.columns(4)
    lead_id = a.selectbox("Lead id in the lead list", lead_columns, index=_guess(lead_columns, ("id", "number")),
                          key=Keys.LEAD_ID, help=HELP["fit.lead_id"])
    verdict_id = b.selectbox("Lead id in the verdicts", verdict_columns,
                             index=_guess(verdict_columns, ("id", "number")), key=Keys.VERDICT_ID,
                             help=HELP["fit.verdict_id"])
    verdict = c.selectbox("Verdict column", verdict_columns,
                          index=_guess(verdict_columns, ("verdict", "accept", "status")), key=Keys.VERDICT_COLUMN,
                          help=HELP["fit.verdict_column"])
    reason = d.selectbox("Reason column (optional)", [NONE, *verdict_columns],
                         index=1 + _guess(verdict_columns, ("reason",)) if any(
                             "reason" in v.casefold() for v in verdict_columns) else 0,
                         key=Keys.REASON_COLUMN, help=HELP["fit.reason_column"])
    scored = _scored(ws, loaded, rows)
    try:
        review = acceptance_review(ws.model, scored, verdicts, id_column=lead_id, verdict_column=verdict,
                                   reason_column=None if reason == NONE else reason, verdict_id_column=verdict_id)
    except AcceptanceError as exc:
        st.error(md(f"No review: {exc}"), icon=":material/error:")
        return
    t = review.total
    a, b, c = st.columns(3)
    a.metric("Leads with a verdict", f"{t.delivered:,}")
    b.metric("Accepted by sales", fmt.pct(_pct(t.rate), 0), help=HELP["fit.acceptance_rate"])
    c.metric("Verdicts not matched to a lead", f"{review.unmatched_ids:,}")
    if review.unknown_verdicts:
        st.caption(md("Verdicts read as neither accepted nor rejected (left out): "
                      + " · ".join(f"{v or '(empty)'} ({n:,})" for v, n in review.unknown_verdicts)))
    if not t.delivered:
        st.warning("No verdict matched a lead of the list: check the two id columns.", icon=":material/warning:")
        return
    st.dataframe(pd.DataFrame([
        {"State": g.name or "(no state)", "Delivered": g.delivered, "Accepted": g.accepted, "Rate": _pct(g.rate),
         "Main rejection reasons": " · ".join(f"{r} ({n:,})" for r, n in g.reasons)}
        for g in review.states if g.delivered
    ]), hide_index=True, width="stretch", key=page_key("fit", "acceptance_states"), column_config={
        "Rate": st.column_config.NumberColumn("Accepted", format="%.1f %%", help=HELP["fit.acceptance_rate"]),
        "Accepted": st.column_config.NumberColumn("Accepted leads", format="localized"),
    })
    st.plotly_chart(fit_figures.acceptance_by_state(review.states), key=page_key("fit", "acceptance_chart"),
                    config=CHART)
    with st.expander("Per cell"):
        st.dataframe(pd.DataFrame([
            {"Cell": g.name or "(no cell)", "Delivered": g.delivered, "Accepted": g.accepted, "Rate": _pct(g.rate)}
            for g in review.cells if g.delivered
        ]), hide_index=True, width="stretch", key=page_key("fit", "acceptance_cells"), column_config={
            "Rate": st.column_config.NumberColumn("Accepted", format="%.1f %%")})

    def disagreements(items) -> pd.DataFrame:
        return pd.DataFrame([
            {"Lead": d.lead_id, "Cell": d.cell, "State": d.state, "Sales said": d.verdict, "Reason": d.reason or "",
             "ICP fit %": d.profile_pct, "Engagement %": d.engagement_pct} for d in items
        ], columns=["Lead", "Cell", "State", "Sales said", "Reason", "ICP fit %", "Engagement %"])

    pct = {c_: st.column_config.NumberColumn(format="%.0f %%") for c_ in ("ICP fit %", "Engagement %")}
    st.markdown("**The model's hottest leads that sales rejected**")
    st.dataframe(disagreements(review.hot_rejected), hide_index=True, width="stretch",
                 key=page_key("fit", "hot_rejected"), column_config=pct)
    st.markdown("**The model's coldest leads that sales accepted**")
    st.dataframe(disagreements(review.cold_accepted), hide_index=True, width="stretch",
                 key=page_key("fit", "cold_accepted"), column_config=pct)


# --------------------------------------------------------------------------------------------
# Champion vs challenger
# --------------------------------------------------------------------------------------------
def _challenger(ws: Workshop, fitted: Fitted | None) -> tuple[str, ScoringModel] | None:
    options = ([SUGGESTION] if fitted is not None else []) + [REVISION]
    # the key follows the options: once there is a suggestion, it is the challenger offered first
    kind = st.segmented_control("Challenger", options, default=options[0], key=page_key(Keys.CHALLENGER, len(options)),
                                help=HELP["fit.challenger"]) or options[0]
    if kind == SUGGESTION and fitted is not None:
        return "Suggestion", apply_suggestion(ws.model, fitted.suggestion)
    try:
        revisions = [r for r in history(ws.workbook_id) if r.number != ws.store_revision]
    except StoreError as exc:
        st.error(md(f"The revisions cannot be read: {exc}"), icon=":material/error:")
        return None
    if not revisions:
        st.info("This workbook has no other revision yet.", icon=":material/info:")
        return None
    by_number = {r.number: r for r in revisions}
    number = st.selectbox(
        "Revision", list(by_number), key=Keys.REVISION, help=HELP["fit.challenger_revision"],
        format_func=lambda n: f"{n}: " + ("; ".join(by_number[n].summary) or "(no summary)")[:90],
    )
    try:
        return f"Revision {number}", model_at(ws.workbook_id, number)
    except StoreError as exc:
        st.error(md(f"Revision {number} cannot be read: {exc}"), icon=":material/error:")
        return None


def _model_hash(model: ScoringModel) -> str:
    return hashlib.sha256(model.model_dump_json().encode()).hexdigest()


def _comparison(ws: Workshop, loaded: LoadedList, rows: Sequence[MapRow], challenger: ScoringModel,
                outcome: str | None, capacity: int | None) -> Comparison | None:
    """Score the list with both models, once per models, list, date, mapping and settings (kept in the session)."""
    key = (_model_hash(ws.model), _model_hash(challenger), loaded.digest, _as_of(), outcome, capacity,
           tuple((r.needed, r.chosen) for r in rows))
    memo = st.session_state.get(Keys.COMPARISON)
    if memo is not None and memo[0] == key:
        return memo[1]
    st.session_state.pop(Keys.COMPARISON, None)
    with st.status("Scoring the list with both models …") as status:
        bar = st.progress(10, text=f"Scoring {len(loaded.frame):,} leads twice …")
        frame, _ = scoring_frame(loaded.frame, rows)
        try:
            cmp = compare_models(ws.model, challenger, frame, as_of=_as_of(), outcome_column=outcome,
                                 capacity=capacity)
        except (LeadListError, ValueError) as exc:
            status.update(label="No comparison", state="error")
            st.error(md(f"No comparison: {exc}"), icon=":material/error:")
            return None
        bar.progress(100, text="Done.")
        status.update(label=f"Scored {cmp.rows:,} leads with both models", state="complete", expanded=False)
    st.session_state[Keys.COMPARISON] = (key, cmp)
    return cmp


def render_compare(ws: Workshop, loaded: LoadedList, rows: Sequence[MapRow], fitted: Fitted | None) -> None:
    st.subheader("Champion vs challenger")
    st.caption(
        "The same list scored by the current model (the champion) and a challenger: how many leads move from "
        "state to state, each one's conversion per state, and the workload each sends to sales against the SDR "
        "team's capacity."
    )
    picked = _challenger(ws, fitted)
    if picked is None:
        return
    name, challenger = picked
    columns = [str(c) for c in loaded.frame.columns]
    a, b = st.columns(2)
    outcome = a.selectbox("Outcome column (optional)", [NONE, *columns],
                          index=1 + columns.index("Converted") if "Converted" in columns else 0,
                          key=Keys.COMPARE_OUTCOME, help=HELP["leads.outcome"])
    capacity = b.number_input("Leads the SDR team can work in the period of the list", min_value=0, value=None,
                              step=10, key=Keys.CAPACITY, placeholder="not given", help=HELP["fit.capacity"])
    cmp = _comparison(ws, loaded, rows, challenger, None if outcome == NONE else outcome,
                      None if capacity is None else int(capacity))
    if cmp is None:
        return
    champion = "Current model"
    st.caption(md(f"{cmp.moved:,} of {cmp.rows:,} leads change state."))
    st.plotly_chart(fit_figures.movement_heatmap(cmp.champion_states, cmp.challenger_states, cmp.movement,
                                                 champion, name), key=page_key("fit", "movement"), config=CHART)
    with st.expander("Movement table"):
        st.dataframe(cmp.movement_frame(), width="stretch", key=page_key("fit", "movement_table"))
    left, right = st.columns(2)
    with left:
        st.markdown("**Workload sent to sales**")
        st.plotly_chart(fit_figures.workload_bars(champion, name, cmp.champion_workload.leads,
                                                  cmp.challenger_workload.leads, cmp.champion_workload.capacity),
                        key=page_key("fit", "workload"), config=CHART)
        for who, w in ((champion, cmp.champion_workload), (name, cmp.challenger_workload)):
            use = f" — {fmt.pct(100 * w.utilisation, 0)} of capacity" if w.utilisation is not None else ""
            st.caption(md(f"{who}: {w.leads:,} leads to {' + '.join(w.sales_states)}{use}."))
    with right:
        if cmp.champion_conversion is not None and cmp.challenger_conversion is not None:
            st.markdown("**Conversion per state**")
            st.plotly_chart(fit_figures.state_conversion_compare(
                ws.model.state_names, cmp.champion_conversion, cmp.challenger_conversion,
                labels=(champion, name)), key=page_key("fit", "compare_conversion"), config=CHART)
