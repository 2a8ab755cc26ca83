"""The "Learn from outcomes" tab: let a lead list with known results suggest the model's numbers.

The page reads the lead list of this session (the Lead list tab's: the same upload or demo
list, kept in :mod:`workbook.ui.leads_state`), fits the model's own values to an outcome column
with the core (:func:`workbook.leads.fit.suggest_from_outcomes`) and shows, per value, the
evidence beside the score today and the suggested one; the held-out AUC and conversion per state
of the current model, the suggestion and the ceiling; and the leakage flags with their reasons.
The team accepts everything or one part at a time — each acceptance is one revision through
:mod:`workbook.ui.actions`, so the sidebar's Undo puts it back. Further tabs: the funnel, sales'
verdicts and champion vs challenger (:mod:`workbook.ui.fit_reviews`).

Decisions:

* The fit runs when the person presses "Suggest", never on its own: it takes seconds on a real
  list. It then stays in this session (like the Lead list's scoring, not ``st.cache_data``: the
  lead data must not land in a cache shared by every session). Keeping a flagged attribute on
  purpose fits again at once, since that is the question the person just asked.
* Accepting applies the suggestion to the model *as it is now* (:func:`apply_suggestion`), so
  accepting value after value builds up, and colleagues' changes made meanwhile stay.
* Lead-list text (column names, values) is shown in dataframes, in figures through
  ``fit_figures._escape`` (``html.escape``) or through ``md()`` — never as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from workbook import fmt
from workbook.calibrate.bounds import weight_bounds, weight_options
from workbook.leads.evidence import SECTIONS
from workbook.leads.fit import FitError, ScoreBound, suggest_from_outcomes
from workbook.leads.mapping import mapping_rows, scoring_frame
from workbook.leads.reading import LeadListError
from workbook.leads.suggestion import FitSuggestion, apply_suggestion
from workbook.ui import fit_figures, fit_reviews, leads_page
from workbook.ui.actions import commit
from workbook.ui.fit_state import (
    DEFAULT_HOLDOUT,
    FOLD_CHOICES,
    SECTION_WORDS,
    FitSettings,
    Fitted,
    Keys,
    accept_message,
    interval_text,
    pending_parts,
)
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.leads_state import LoadedList
from workbook.ui.state import Workshop, workshop
from workbook.ui.text import md

CHART = {"displayModeBar": False}


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------
def _value_label(option: tuple[str, str, str]) -> str:
    return f"{option[1]}: {option[2]}"


def _weight_label(option: tuple[str, str]) -> str:
    return f"{SECTION_WORDS[option[0]]}: {option[1]}"


def value_options(ws: Workshop) -> list[tuple[str, str, str]]:
    """Every value of the model as ``(section, attribute, label)``, profile first."""
    return [(sec, f.name, v.label) for sec in SECTIONS for f in ws.model.section(sec)  # type: ignore[arg-type]
            for v in f.values]


def render_settings(ws: Workshop, loaded: LoadedList, last: Fitted | None) -> tuple[FitSettings, bool]:
    """The settings form; returns the settings and whether "Suggest" was pressed."""
    columns = [str(c) for c in loaded.frame.columns]
    before = last.settings if last is not None and last.list_digest == loaded.digest else None
    default_outcome = before.outcome if before else ("Converted" if "Converted" in columns else columns[0])
    with st.form(Keys.FORM, border=True):
        a, b, c, d = st.columns([3, 2, 1, 2])
        outcome = a.selectbox("Outcome column", columns, index=columns.index(default_outcome)
                              if default_outcome in columns else 0, key=Keys.OUTCOME, help=HELP["fit.outcome"])
        holdout = b.slider("Leads held out to measure on", min_value=10, max_value=50, step=5,
                           value=round(100 * (before.holdout if before else DEFAULT_HOLDOUT)),
                           format="%d %%", key=Keys.HOLDOUT, help=HELP["fit.holdout"])
        seed = c.number_input("Seed", min_value=0, max_value=1_000_000, step=1,
                              value=before.seed if before else 0, key=Keys.SEED, help=HELP["fit.seed"])
        folds = d.selectbox("Measure by", FOLD_CHOICES, index=FOLD_CHOICES.index(before.folds) if before else 0,
                            format_func=lambda k: "the held-out share" if not k else f"{k}-fold cross-validation",
                            key=Keys.FOLDS, help=HELP["fit.folds"])
        with st.expander("Locks and limits (as in weight calibration)"):
            e, f = st.columns([3, 1])
            locked = e.multiselect("Locked weights", weight_options(ws.model), format_func=_weight_label,
                                   default=[o for o in (before.locked_weights if before else ())
                                            if o in weight_options(ws.model)],
                                   key=Keys.LOCKED_WEIGHTS, placeholder="None: every weight may move",
                                   help=HELP["fit.locked_weights"])
            max_move = f.number_input("Largest move per weight (points)", min_value=0.5, max_value=100.0,
                                      step=0.5, value=before.max_move if before and before.max_move else 100.0,
                                      key=Keys.MAX_MOVE, help=HELP["calibration.largest_move_per_weight_points"])
            values = value_options(ws)
            locked_values = st.multiselect(
                "Locked scores", values, format_func=_value_label,
                default=[o for o in (before.locked_values if before else ()) if o in values],
                key=Keys.LOCKED_VALUES, placeholder="None: every score may move", help=HELP["fit.locked_values"])
            thresholds = st.checkbox("Also suggest the grade and level minimums",
                                     value=before.thresholds if before else True, key=Keys.THRESHOLDS,
                                     help=HELP["fit.thresholds"])
            declared = st.multiselect(
                "Columns filled after the lead is contacted", [c_ for c_ in columns if c_ != outcome],
                default=[c_ for c_ in (before.declared if before else ()) if c_ in columns],
                key=Keys.DECLARED, placeholder="None declared: the data are checked anyway",
                help=HELP["fit.declared"])
        pressed = st.form_submit_button("Suggest from outcomes", type="primary", icon=":material/model_training:",
                                        key=Keys.SUGGEST, help=HELP["fit.suggest"])
    keep = tuple(sorted(st.session_state.get(Keys.KEEP, set())))
    settings = FitSettings(
        outcome=outcome, holdout=holdout / 100, seed=int(seed), folds=folds, thresholds=bool(thresholds),
        locked_weights=tuple(tuple(o) for o in locked),  # type: ignore[misc]
        max_move=None if max_move >= 100 else float(max_move),
        locked_values=tuple(tuple(o) for o in locked_values),  # type: ignore[misc]
        declared=tuple(declared), keep=keep,
    )
    return settings, pressed


# --------------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------------
def run_fit(ws: Workshop, loaded: LoadedList, settings: FitSettings) -> Fitted | None:
    """Fit with a progress display; the fit is kept in the session. None (and why, shown) when it fails."""
    rows = mapping_rows(ws.model, list(loaded.frame.columns))
    with st.status("Learning from the outcomes …", expanded=True) as status:
        bar = st.progress(0, text="Reading the model's values in the list …")
        started = time.perf_counter()
        frame, _ = scoring_frame(loaded.frame, rows)
        how = (f"{settings.folds} times, each time measuring on a different fifth" if settings.folds == 5 else
               f"{settings.folds} times, each time measuring on another part" if settings.folds else
               f"on {fmt.number(100 - 100 * settings.holdout, 0)} % of the leads and measuring on the rest")
        bar.progress(20, text=f"Fitting {len(frame):,} leads {how} …")
        try:
            suggestion = suggest_from_outcomes(
                ws.model, frame, settings.outcome, holdout=settings.holdout, folds=settings.folds,
                seed=settings.seed, as_of=settings.as_of,
                weight_bounds=weight_bounds(ws.model, list(settings.locked_weights), settings.max_move),
                score_bounds={k: ScoreBound(locked=True) for k in settings.locked_values},
                suggest_thresholds=settings.thresholds, declared_leaks=settings.declared,
                keep=[name for _, name in settings.keep],
            )
        except (FitError, LeadListError, ValueError) as exc:
            bar.empty()
            status.update(label="No suggestion", state="error", expanded=True)
            st.error(md(f"No suggestion: {exc}"), icon=":material/error:")
            return None
        seconds = time.perf_counter() - started
        bar.progress(100, text="Done.")
        status.update(label=f"Suggestion ready in {fmt.number(seconds, 1)} s", state="complete", expanded=False)
    fitted = Fitted(loaded.digest, ws.workbook_id, ws.store_revision, settings, suggestion, seconds, ws.model,
                    tuple((r.needed, r.chosen) for r in rows))
    st.session_state[Keys.FIT] = fitted
    return fitted


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
def _auc(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def render_figures(fitted: Fitted) -> None:
    s = fitted.suggestion
    h = s.held_out
    st.subheader("Measured on leads the fit did not see")
    st.caption(md(
        f"{h.rows:,} held-out leads ({h.method}). AUC: how often a converted lead ranks above one that did not "
        "convert (0.5 = random order, 1 = perfect), ranking by cell for the two models. The ceiling is an "
        "unconstrained regression on the same values: how well they can rank at all."
    ))
    a, b, c = st.columns(3)
    a.metric("AUC, current model", _auc(h.auc_current), help=HELP["fit.auc_current"])
    delta = None if h.auc_suggested is None or h.auc_current is None else f"{h.auc_suggested - h.auc_current:+.2f}"
    b.metric("AUC, suggestion", _auc(h.auc_suggested), delta, help=HELP["fit.auc_suggested"])
    gap = None if h.auc_suggested is None or h.auc_ceiling is None else f"{h.auc_suggested - h.auc_ceiling:+.2f}"
    c.metric("AUC, ceiling", _auc(h.auc_ceiling), gap, delta_color="off", help=HELP["fit.auc_ceiling"])
    left, right = st.columns([2, 3])
    left.plotly_chart(fit_figures.auc_bars(h.auc_current, h.auc_suggested, h.auc_ceiling),
                      key=page_key("fit", "auc_chart"), config=CHART)
    names = fitted.model.state_names
    right.plotly_chart(fit_figures.state_conversion_compare(names, h.states_current, h.states_suggested),
                       key=page_key("fit", "state_chart"), config=CHART)
    by_now = {g.name: g for g in h.states_current}
    by_new = {g.name: g for g in h.states_suggested}
    table = pd.DataFrame([
        {"State": n,
         "Leads now": by_now[n].count if n in by_now else 0,
         "Conversion now": 100 * by_now[n].rate if n in by_now and by_now[n].rate is not None else None,
         "Leads suggested": by_new[n].count if n in by_new else 0,
         "Conversion suggested": 100 * by_new[n].rate if n in by_new and by_new[n].rate is not None else None}
        for n in names
    ])
    st.dataframe(table, hide_index=True, width="stretch", key=page_key("fit", "state_table"), column_config={
        "Leads now": st.column_config.NumberColumn(format="localized"),
        "Leads suggested": st.column_config.NumberColumn(format="localized"),
        "Conversion now": st.column_config.NumberColumn(format="%.1f %%", help=HELP["leads.rate"]),
        "Conversion suggested": st.column_config.NumberColumn(format="%.1f %%", help=HELP["leads.rate"]),
    })
    for note in s.notes:
        st.caption(md(f"Note: {note}."))


def _toggle_keep(section: str, attribute: str) -> None:
    keep = set(st.session_state.get(Keys.KEEP, set()))
    keep ^= {(section, attribute)}
    st.session_state[Keys.KEEP] = keep
    st.session_state[Keys.REFIT] = True


def render_leaks(fitted: Fitted) -> None:
    flagged = [c for c in fitted.suggestion.leaks if c.flagged]
    st.subheader("Leakage: columns that may be filled after contact")
    if not flagged:
        st.success("No attribute or activity nearly decides the outcome on its own.", icon=":material/check_circle:")
        return
    st.caption(
        "These attributes look as if the column was written after sales spoke to the lead. They are left out of "
        "the suggestion (weight 0) unless the team keeps them on purpose; a knockout on them stays as it is."
    )
    keep = st.session_state.get(Keys.KEEP, set())
    for check in flagged:
        with st.container(border=True):
            st.markdown(f"**{md(check.attribute)}** · column {md(check.column)}")
            for reason in check.reasons():
                st.markdown("- " + md(reason))
            st.checkbox("Keep it in the fit on purpose", value=(check.section, check.attribute) in keep,
                        key=Keys.keep(check.section, check.attribute), help=HELP["fit.keep"],
                        on_change=_toggle_keep, args=(check.section, check.attribute))


def render_weights(fitted: Fitted) -> None:
    s = fitted.suggestion
    st.subheader("Weights and thresholds")
    columns = st.columns(2)
    for column, section in zip(columns, ("profile", "engagement"), strict=True):
        rows = [w for w in s.weights if w.section == section]
        if not rows:
            continue
        with column:
            st.markdown(f"**{SECTION_WORDS[section]} weights** (each section adds up to 100)")
            st.plotly_chart(fit_figures.weights_compare(rows), key=page_key("fit", "weights", section), config=CHART)
            st.dataframe(pd.DataFrame([
                {"Name": w.name, "Now": w.current, "Suggested": w.suggested, "Locked": w.locked,
                 "Left out because": w.left_out or ""} for w in rows
            ]), hide_index=True, width="stretch", key=page_key("fit", "weights_table", section), column_config={
                "Now": st.column_config.NumberColumn(format="%.0f %%"),
                "Suggested": st.column_config.NumberColumn(format="%.0f %%"),
            })
    if s.thresholds:
        st.markdown("**Minimum % of each grade and level**")
        st.dataframe(pd.DataFrame([
            {"Axis": "Grade (ICP fit)" if t.axis == "profile" else "Level (engagement)", "Band": t.band,
             "Now": t.current, "Suggested": t.suggested} for t in s.thresholds
        ]), hide_index=True, width="stretch", key=page_key("fit", "thresholds"), column_config={
            "Now": st.column_config.NumberColumn(format="%.0f %%"),
            "Suggested": st.column_config.NumberColumn(format="%.0f %%"),
        })


def render_values(ws: Workshop, fitted: Fitted) -> None:
    s = fitted.suggestion
    st.subheader("The evidence per value")
    st.caption(md(
        f"Over every lead with a known outcome in '{s.outcome_column}': how many leads have each value, how many "
        "converted, the rate with its 95 % interval, the lift (rate ÷ the list's rate), and the score the model "
        "gives today beside the one the data suggest."
    ))
    now = {(sec, f.name, v.label): v.score for sec in ("profile", "engagement")
           for f in ws.model.section(sec) for v in f.values}  # type: ignore[arg-type]
    table = pd.DataFrame([
        {"Kind": SECTION_WORDS[v.section], "Attribute": v.attribute, "Value": v.label, "Leads": v.leads,
         "Converted": v.conversions, "Rate": 100 * v.rate if v.rate is not None else None,
         "95 % interval": interval_text(v.ci_low, v.ci_high), "Lift": v.lift,
         "Score now": now.get((v.section, v.attribute, v.label), v.current), "Suggested": v.suggested,
         "Locked": v.locked, "Note": v.note or ""}
        for v in s.values
    ])
    st.dataframe(table, hide_index=True, width="stretch", height=360, key=page_key("fit", "values"), column_config={
        "Leads": st.column_config.NumberColumn(format="localized", help=HELP["fit.value_leads"]),
        "Converted": st.column_config.NumberColumn(format="localized"),
        "Rate": st.column_config.NumberColumn("Conversion", format="%.1f %%", help=HELP["leads.rate"]),
        "95 % interval": st.column_config.TextColumn(help=HELP["fit.interval"]),
        "Lift": st.column_config.NumberColumn(format="%.2f×", help=HELP["fit.lift"]),
        "Score now": st.column_config.NumberColumn(format="%.0f"),
        "Suggested": st.column_config.NumberColumn(format="%.0f", help=HELP["fit.suggested_score"]),
    })
    attributes = list(dict.fromkeys((v.section, v.attribute) for v in s.values))
    if not attributes:
        return
    chosen = st.selectbox("Chart one attribute", attributes, format_func=_weight_label,
                          key=Keys.EVIDENCE_ATTRIBUTE, help=HELP["fit.evidence_attribute"])
    rows = [v for v in s.values if (v.section, v.attribute) == chosen]
    st.plotly_chart(fit_figures.value_evidence(chosen[1], rows), key=page_key("fit", "evidence_chart"), config=CHART)


def _accept(suggestion: FitSuggestion, keys: list | None, message: str) -> None:
    """A button callback: one revision with the accepted parts, applied to the model as it is now."""
    model = st.session_state[StateKeys.MODEL]
    commit(apply_suggestion(model, suggestion, keys), message)


def render_accept(ws: Workshop, fitted: Fitted) -> None:
    s = fitted.suggestion
    st.subheader("Accept")
    parts = pending_parts(ws.model, s)
    if not parts:
        st.success("The model already has everything this suggestion proposes.", icon=":material/check_circle:")
        return
    st.caption(md(
        f"{fmt.count(len(parts), 'change')} still to accept. Each press saves one revision; "
        "the sidebar's Undo puts it back."
    ))
    st.button("Accept all", key=Keys.ACCEPT_ALL, type="primary", icon=":material/done_all:",
              help=HELP["fit.accept_all"], on_click=_accept, disabled=not may("edit"),
              args=(s, None, accept_message(parts, s.outcome_column, everything=True)))
    index = {p.key: p for p in parts}
    picked = st.selectbox("Or accept one part", list(index), format_func=lambda k: index[k].label,
                          key=Keys.PART, help=HELP["fit.part"], disabled=not may("edit"))
    st.button("Accept this part", key=Keys.ACCEPT_PART, icon=":material/done:", help=HELP["fit.accept_part"],
              disabled=not may("edit"),
              on_click=_accept, args=(s, [picked], accept_message([index[picked]], s.outcome_column)))


# --------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------
def render_suggestion(ws: Workshop, loaded: LoadedList) -> Fitted | None:
    last: Fitted | None = st.session_state.get(Keys.FIT)
    settings, pressed = render_settings(ws, loaded, last)
    settings = replace(settings, as_of=st.session_state.get(Keys.AS_OF, dt.date.today()))
    refit = st.session_state.pop(Keys.REFIT, False) and last is not None and last.list_digest == loaded.digest
    if refit and last is not None:
        settings = replace(last.settings, keep=settings.keep)
    fitted = last if last is not None and last.list_digest == loaded.digest and last.workbook_id == ws.workbook_id \
        else None
    if pressed or refit:
        fitted = run_fit(ws, loaded, settings)
    if fitted is None:
        if not pressed:
            st.info("Pick the outcome column and press Suggest from outcomes.", icon=":material/info:")
        return None
    st.caption(md(f"Suggestion made from revision {fitted.revision} in {fmt.number(fitted.seconds, 1)} s · "
                  + fitted.settings.words()))
    if fitted.revision != ws.store_revision:
        st.caption("The model changed since (accepted parts included); the held-out figures are those of the "
                   "model the fit started from.")
    render_figures(fitted)
    render_leaks(fitted)
    render_accept(ws, fitted)
    render_weights(fitted)
    render_values(ws, fitted)
    return fitted


def render() -> None:
    """The Learn from outcomes tab."""
    ws = workshop()
    st.header("Learn from outcomes")
    st.caption(
        "Let the results teach the model: from a lead list with a known outcome, the data suggest scores, weights "
        "and thresholds inside the team's own attributes and values — with the evidence for each — measured on "
        "leads the fit did not see. Then look at the funnel, sales' verdicts, and the current model against a "
        "challenger. The list is the Lead list tab's; it stays in this browser session."
    )
    if not ws.report.is_valid:
        n_problems = fmt.count(len(ws.report.errors), "problem")
        st.warning(f"The model has {n_problems} (see the Model summary tab): it is fitted "
                   "as a draft.", icon=":material/warning:")
    loaded = leads_page.render_source()
    if loaded is None:
        return
    rows = mapping_rows(ws.model, list(loaded.frame.columns))
    leads_page.render_demo_offer(ws, loaded, rows)
    unmapped = [r.needed for r in rows if not r.chosen]
    if unmapped:
        st.caption(md("Not in this list (read as no value; map them on the Lead list tab): " + ", ".join(unmapped)))
    st.session_state.setdefault(Keys.AS_OF, dt.date.today())
    column, _ = st.columns([1, 3])
    column.date_input("As-of date", key=Keys.AS_OF, format="YYYY-MM-DD", help=HELP["leads.as_of"])
    suggest, funnel, verdicts, compare = st.tabs(
        ["Suggested scores", "Funnel", "Sales acceptance", "Champion vs challenger"])
    with suggest:
        fitted = render_suggestion(ws, loaded)
    with funnel:
        fit_reviews.render_funnel(ws, loaded, rows)
    with verdicts:
        fit_reviews.render_acceptance(ws, loaded, rows)
    with compare:
        fit_reviews.render_compare(ws, loaded, rows, fitted)
