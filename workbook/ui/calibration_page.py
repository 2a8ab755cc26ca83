"""The Calibration page (issue 6): suggestions that make the model say what the room believes.

Everything here calls the calibration core (:mod:`workbook.calibrate`) and the engine; the
page computes no score itself. Suggestions are computed only when asked (a button), kept in
session state together with the workbook id and store revision they were computed on, and
offered for one-click Apply only while that revision is still the one shown: after any edit
(here, elsewhere, or by someone else) the suggestion is marked out of date and must be asked
for again. Applying commits a normal revision (undoable with the sidebar's Undo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from workbook import fmt
from workbook.calibrate import (
    Sensitivity,
    ThresholdSuggestion,
    WeightSuggestion,
    apply_threshold_suggestion,
    apply_weight_suggestion,
    calibration_targets,
    sensitivity,
    suggest_thresholds,
    suggest_weights,
)
from workbook.calibrate.bounds import weight_bounds, weight_options
from workbook.calibrate.sensitivity import flip_text
from workbook.editing import EditError
from workbook.engine import Agreement, agreement, evaluate_scenarios
from workbook.model import ScoringModel
from workbook.ui import figures
from workbook.ui.actions import try_edit
from workbook.ui.calibration_alignment import render_alignment
from workbook.ui.components.tables import keyed_table, rows_frame
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import page_key
from workbook.ui.signals import provisional_note
from workbook.ui.state import Workshop, workshop
from workbook.ui.text import md

THRESHOLDS_KEY = page_key("calibration", "thresholds")
WEIGHTS_KEY = page_key("calibration", "weights")
LOCKS_KEY = page_key("calibration", "locks")
MAX_MOVE_KEY = page_key("calibration", "max_move")
STEP_KEY = page_key("calibration", "step")
POINTS_KEY = page_key("calibration", "points")

SECTION_LABEL = {"profile": "ICP", "engagement": "Activity"}


@dataclass(frozen=True)
class Kept:
    """A suggestion with the revision it was computed on and the engine's agreement after it."""

    workbook_id: str
    store_revision: int
    suggestion: Any
    after: Agreement
    settings: str = ""

    def current(self, ws: Workshop) -> bool:
        return (self.workbook_id, self.store_revision) == (ws.workbook_id, ws.store_revision)


# --------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------
def _after_agreement(model: ScoringModel) -> Agreement:
    return agreement(evaluate_scenarios(model))


def render_agreement_line(ws: Workshop, kept: Kept) -> None:
    now, after = ws.agreement, kept.after
    st.metric(
        "Scenarios that agree",
        f"{now.agreeing} of {now.with_estimate} → {after.agreeing} of {after.with_estimate}",
        delta=f"{after.agreeing - now.agreeing:+d} with this suggestion",
        delta_color="normal" if after.agreeing >= now.agreeing else "inverse",
        help=HELP["calibration.scenarios_that_agree"],
    )
    st.caption(f"Agreement now {now.agreeing} of {now.with_estimate} → with this suggestion "
               f"{after.agreeing} of {after.with_estimate}")
    comparison = kept.suggestion.comparison
    if comparison.consensus_used:
        st.caption(
            f"The search also counts the room's consensus (the most common member estimate) for "
            f"{fmt.count(len(comparison.consensus_used), 'scenario')} without a team estimate: "
            f"{comparison.agreeing_before} → {comparison.agreeing_after} of {comparison.total} targets met."
        )
    for note in kept.suggestion.notes:
        st.caption(md(f"Note: {note}"))


STATUS_TEXT = {
    "fixed": "Fixed",
    "broken": "Broken",
    "still agrees": "Still agrees",
    "still disagrees": "Still disagrees",
}
STATUS_ORDER = {"fixed": 0, "broken": 1, "still disagrees": 2, "still agrees": 3}


def render_changes(comparison: Any, key: str) -> None:
    changes = sorted(comparison.changes, key=lambda c: STATUS_ORDER.get(c.status, 9))
    fixed, broken = len(comparison.fixed), len(comparison.broken)
    st.markdown(f"**Scenarios that move:** {fixed} fixed, {broken} broken, "
                f"{len(changes) - fixed - broken} land elsewhere with the same agreement")
    if not changes:
        st.caption("No scenario changes cell or state.")
        return
    keyed_table(
        rows_frame(
            [
                {
                    "Scenario": c.scenario,
                    "Result": STATUS_TEXT.get(c.status, c.status),
                    "Before": c.before,
                    "After": c.after,
                    "Estimate": c.target + (" (consensus)" if c.source == "consensus" else ""),
                }
                for c in changes
            ],
            ["Scenario", "Result", "Before", "After", "Estimate"],
        ),
        hide_index=True,
        width="stretch",
        key=key,
    )


def _apply_button(ws: Workshop, kept: Kept, key: str, apply: Callable[[ScoringModel, Any], ScoringModel],
                  message: str, store_key: str) -> None:
    if not kept.current(ws):
        st.warning(
            "The model changed since this suggestion was made, so it no longer fits: ask for a new one.",
            icon=":material/update:",
        )
        return
    if not kept.suggestion.changed:
        st.info("Nothing to change: no suggestion makes more scenarios agree.", icon=":material/info:")
        return
    if st.button(
        "Apply",
        type="primary",
        icon=":material/check:",
        key=key,
        help=HELP["calibration.apply"],
        disabled=not may("edit"),
    ):
        suggestion = kept.suggestion
        model = ws.model
        if try_edit(lambda: apply(model, suggestion), message):
            st.session_state.pop(store_key, None)
        st.rerun()


# --------------------------------------------------------------------------------------------
# Thresholds
# --------------------------------------------------------------------------------------------
def render_thresholds(ws: Workshop) -> None:
    st.caption(
        "Moves the band minimums (profile grades and engagement levels) so that the most test scenarios land "
        "where the team estimated, with the smallest total move. Weights and the grid stay as they are."
    )
    no_targets = not calibration_targets(ws.model)
    if st.button(
        "Suggest thresholds",
        icon=":material/tune:",
        key=page_key("calibration", "suggest_thresholds"),
        disabled=no_targets,
        help=HELP["calibration.suggest_thresholds"],
    ):
        with st.spinner("Searching the thresholds…"):
            try:
                s = suggest_thresholds(ws.model)
                after = _after_agreement(apply_threshold_suggestion(ws.model, s))
            except (EditError, ValueError) as exc:
                st.error(md(f"No suggestion: {exc}"), icon=":material/error:")
                return
        st.session_state[THRESHOLDS_KEY] = Kept(ws.workbook_id, ws.store_revision, s, after)
    if no_targets:
        st.info("Add test scenarios with an estimate (or member estimates) first.", icon=":material/info:")
    kept: Kept | None = st.session_state.get(THRESHOLDS_KEY)
    if kept is None or kept.workbook_id != ws.workbook_id:
        return
    s: ThresholdSuggestion = kept.suggestion
    render_agreement_line(ws, kept)
    verdict = "the most possible" if s.proven_optimal else f"the best found; at most {s.upper_bound} possible"
    st.caption(f"{verdict.capitalize()} · total move {fmt.number(s.total_move, 2)} points")
    rows = [
        {
            "Axis": "Profile grade" if b.axis == "profile" else "Engagement level",
            "Band": b.name,
            "Minimum now": fmt.pct(b.before, 2),
            "Suggested": fmt.pct(b.after, 2),
            "Change": fmt.points(b.after - b.before, 2) if b.moved else "–",
        }
        for b in s.bands
    ]
    keyed_table(rows_frame(rows, ["Axis", "Band", "Minimum now", "Suggested", "Change"]), hide_index=True,
                 width="stretch", key=page_key("calibration", "threshold_table"))
    render_changes(s.comparison, page_key("calibration", "threshold_changes"))
    moved = ", ".join(f"{b.name} {fmt.number(b.before, 2)} → {fmt.number(b.after, 2)}" for b in s.changed)
    message = (f"Applied threshold suggestion: {moved} "
               f"(agreement {ws.agreement.agreeing} → {kept.after.agreeing} of {kept.after.with_estimate})")
    _apply_button(
        ws, kept, page_key("calibration", "apply_thresholds"), apply_threshold_suggestion, message, THRESHOLDS_KEY
    )


# --------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------
def _weight_label(option: tuple[str, str]) -> str:
    return f"{SECTION_LABEL[option[0]]}: {option[1]}"


def render_weights(ws: Workshop) -> None:
    st.caption(
        "Finds the smallest change to the attribute and activity weights that makes the most scenarios agree, "
        "keeping each section at 100. Lock the weights the team has settled, and limit how far any weight may move."
    )
    options = weight_options(ws.model)
    # Drop locks of weights that no longer exist (renamed or deleted since).
    if LOCKS_KEY in st.session_state:
        st.session_state[LOCKS_KEY] = [o for o in st.session_state[LOCKS_KEY] if tuple(o) in options]
    c1, c2, c3 = st.columns([3, 1, 1])
    locked = c1.multiselect(
        "Locked weights",
        options,
        format_func=_weight_label,
        key=LOCKS_KEY,
        placeholder="None: every weight may move",
        help=HELP["calibration.locked_weights"],
    )
    max_move = c2.number_input(
        "Largest move per weight (points)",
        min_value=0.5,
        max_value=100.0,
        value=100.0,
        step=0.5,
        key=MAX_MOVE_KEY,
        help=HELP["calibration.largest_move_per_weight_points"],
    )
    step = c3.selectbox(
        "Step (points)",
        [0.5, 1.0, 5.0],
        index=0,
        format_func=lambda v: fmt.number(v),
        key=STEP_KEY,
        help=HELP["calibration.step_points"],
    )
    no_targets = not calibration_targets(ws.model)
    settings = f"locked: {', '.join(_weight_label(o) for o in locked) or 'none'} · largest move " \
               f"{fmt.number(max_move)} points · steps of {fmt.number(step)}"
    if st.button(
        "Suggest weights",
        icon=":material/balance:",
        key=page_key("calibration", "suggest_weights"),
        disabled=no_targets,
        help=HELP["calibration.suggest_weights"],
    ):
        with st.spinner("Searching the weights…"):
            try:
                bounds = weight_bounds(ws.model, list(locked), None if max_move >= 100 else float(max_move))
                w = suggest_weights(ws.model, bounds=bounds, step=float(step))
                after = _after_agreement(apply_weight_suggestion(ws.model, w))
            except (EditError, ValueError) as exc:
                st.error(md(f"No suggestion: {exc}"), icon=":material/error:")
                return
        st.session_state[WEIGHTS_KEY] = Kept(ws.workbook_id, ws.store_revision, w, after, settings)
    if no_targets:
        st.info("Add test scenarios with an estimate (or member estimates) first.", icon=":material/info:")
    kept: Kept | None = st.session_state.get(WEIGHTS_KEY)
    if kept is None or kept.workbook_id != ws.workbook_id:
        return
    w: WeightSuggestion = kept.suggestion
    render_agreement_line(ws, kept)
    verdict = {"optimal": "the most possible", "time limit": "the best found before the time limit"}.get(
        w.status, w.status)
    st.caption(md(f"{verdict.capitalize()} · total move {fmt.number(w.total_move, 2)} points · {kept.settings}"))
    rows = [
        {
            "Section": SECTION_LABEL[c.section],
            "Weight": c.name,
            "Now": fmt.pct(c.before, 2),
            "Suggested": fmt.pct(c.after, 2),
            "Change": fmt.points(c.after - c.before, 2) if c.moved else "–",
            "Locked": c.locked,
            "Fixes": "; ".join(c.fixes),
            "Breaks": "; ".join(c.breaks),
        }
        for c in w.weights
    ]
    keyed_table(
        rows_frame(rows, ["Section", "Weight", "Now", "Suggested", "Change", "Locked", "Fixes", "Breaks"]),
        hide_index=True,
        width="stretch",
        key=page_key("calibration", "weight_table"),
        column_config={
            "Fixes": st.column_config.TextColumn(help=HELP["calibration.fixes"]),
            "Breaks": st.column_config.TextColumn(help=HELP["calibration.breaks"]),
        },
    )
    render_changes(w.comparison, page_key("calibration", "weight_changes"))
    moved = ", ".join(f"{c.name} {fmt.number(c.before, 2)} → {fmt.number(c.after, 2)}" for c in w.changed)
    message = (f"Applied weight suggestion: {moved} "
               f"(agreement {ws.agreement.agreeing} → {kept.after.agreeing} of {kept.after.with_estimate})")
    _apply_button(ws, kept, page_key("calibration", "apply_weights"), apply_weight_suggestion, message, WEIGHTS_KEY)


# --------------------------------------------------------------------------------------------
# Sensitivity
# --------------------------------------------------------------------------------------------
def _edge_text(d: Any) -> str:
    near = d.nearest
    if near is None:
        return "–"
    pts, direction, band = near
    return f"{fmt.number(pts, 2)} pts {'up to' if direction == 'up' else 'down to'} {band}"


def render_sensitivity(ws: Workshop) -> None:
    st.caption(
        "How close each scenario is to a band edge, and the single weight change that would move it into "
        "another cell (the other weights of the section rescale to keep it at 100)."
    )
    if not ws.model.scenarios:
        st.info("Add test scenarios first.", icon=":material/info:")
        return
    points = st.number_input(
        "± points for the tornado chart",
        min_value=0.5,
        max_value=50.0,
        value=5.0,
        step=0.5,
        key=POINTS_KEY,
        help=HELP["calibration.points_for_the_tornado_chart"],
    )
    s: Sensitivity = sensitivity(ws.model, points=float(points))
    rows = []
    for sc in s.scenarios:
        flip = sc.flips[0] if sc.flips else None
        rows.append({
            "Scenario": sc.scenario,
            "Now": f"{sc.cell or '–'} / {sc.state or '–'}" + (" (knocked out)" if sc.knocked_out else ""),
            "Agrees": {True: "yes", False: "no", None: "no estimate"}[sc.agrees],
            "Profile %": fmt.pct(sc.profile.pct, 2),
            "Profile edge": _edge_text(sc.profile),
            "Engagement %": fmt.pct(sc.engagement.pct, 2),
            "Engagement edge": _edge_text(sc.engagement),
            "Smallest single-weight flip": "–" if flip is None else
            f"{SECTION_LABEL[flip.section]}: {flip.weight} {flip_text(flip)}",
            "Would land in": "–" if flip is None else f"{flip.cell_to or '–'} / {flip.state_to or '–'}",
        })
    keyed_table(
        rows_frame(rows, list(rows[0])),
        hide_index=True,
        width="stretch",
        key=page_key("calibration", "sensitivity_table"),
        column_config={
            # A long scenario name is cut (fixed width) and stays in view while the table scrolls.
            "Scenario": st.column_config.TextColumn(width=180, pinned=True),
            "Profile edge": st.column_config.TextColumn(
                help=HELP["calibration.profile_edge"]),
            "Engagement edge": st.column_config.TextColumn(help=HELP["calibration.engagement_edge"]),
            "Smallest single-weight flip": st.column_config.TextColumn(
                help=HELP["calibration.smallest_single_weight_flip"]),
        },
    )
    st.markdown(f"**Weights that flip the most scenarios at ±{fmt.number(points)} points**")
    st.caption("A tornado chart: one row per weight, with how many scenarios change cell when that weight "
               "moves down or up by that many points; the rows on top matter most.")
    with st.container(key=page_key("calibration", "tornado")):
        st.plotly_chart(figures.tornado_chart(s.tornado, float(points)))


def _render_tabs(ws: Workshop) -> None:
    tabs = st.tabs(["Thresholds", "Weights", "Sensitivity", "Team alignment"])
    with tabs[0]:
        render_thresholds(ws)
    with tabs[1]:
        render_weights(ws)
    with tabs[2]:
        render_sensitivity(ws)
    with tabs[3]:
        render_alignment(ws)


def render() -> None:
    """The Calibration tab."""
    ws = workshop()

    st.header("Calibration")
    st.caption(
        "Let the workbook suggest thresholds or weights that make more test scenarios land where the team "
        "estimated, see what each change fixes and breaks, and apply one with a click — as a normal revision the "
        "sidebar's Undo takes back. Sensitivity shows how close each scenario is to another cell; Team alignment "
        "shows how far the members agree with each other."
    )
    # Suggestions and agreement on an invalid model are provisional: say why and where to fix it.
    provisional_note(ws, "calibration")
    _render_tabs(ws)
