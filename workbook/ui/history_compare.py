"""The History tab's comparison: two sides (revisions or an uploaded model file) and what differs.

Changed weights, values, thresholds and grid cells grouped by kind, before beside after, and
the scenarios whose computed cell or state moves because of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from workbook import fmt
from workbook.engine import agreement, evaluate_scenarios
from workbook.files import dump_model, max_model_bytes
from workbook.model import ScoringModel
from workbook.ui import actions, provenance
from workbook.ui.actions import ModelDiff, RevisionInfo, StoreError, diff_models
from workbook.ui.components.revisions import follow_default, local_zone, table
from workbook.ui.help import HELP
from workbook.ui.keys import page_key
from workbook.ui.state import Workshop
from workbook.ui.text import md

FROM = page_key("history", "from")  # the two sides of the comparison: a revision number or FILE

TO = page_key("history", "to")

FILE = "file"

COMPARE_UPLOAD = page_key("history", "compare_upload")


def compare_with_current(number: int, head: int) -> None:
    """Button callback: fill in the comparison with revision ``number`` and the current one."""
    st.session_state[FROM] = number
    st.session_state[TO] = head


def render_compare(ws: Workshop, revisions: Sequence[RevisionInfo]) -> None:
    """Two sides (revisions or an uploaded file) and what differs between them."""
    numbers = [r.number for r in revisions]
    options: list[int | str] = [*numbers, FILE]
    labels = {r.number: provenance.revision_label(r, local_zone()) for r in revisions}
    labels[ws.store_revision] = f"{labels.get(ws.store_revision, ws.store_revision)} (current)"
    try:
        for mark in actions.checkpoints(ws.workbook_id):  # a checkpoint is found by its name
            labels[mark.revision] = f"Checkpoint '{mark.name}' · {labels.get(mark.revision, mark.revision)}"
    except StoreError:
        pass  # the labels stay plain revisions; the comparison itself still works

    def label(option: int | str) -> str:
        return "A model file (upload)" if option == FILE else labels.get(option, f"Revision {option}")

    follow_default(FROM, numbers[1] if len(numbers) > 1 else numbers[0], options)
    follow_default(TO, numbers[0], options)
    left, right = st.columns(2)
    with left:
        before_side = st.selectbox("From", options, format_func=label, key=FROM, help=HELP["history.from"])
    with right:
        after_side = st.selectbox("To", options, format_func=label, key=TO, help=HELP["history.to"])
    uploaded = None
    if FILE in (before_side, after_side):
        uploaded = compare_upload()
        if uploaded is None:
            return
    if before_side == after_side:
        st.info("Both sides are the same: choose two different revisions.", icon=":material/info:")
        return
    try:
        before = uploaded if before_side == FILE else actions.model_at(ws.workbook_id, int(before_side))
        after = uploaded if after_side == FILE else actions.model_at(ws.workbook_id, int(after_side))
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    render_diff(diff_models(before, after), before, after)


def compare_upload(key: str = COMPARE_UPLOAD) -> ScoringModel | None:
    cap = max_model_bytes()
    file = st.file_uploader(
        "Model file to compare (YAML)",
        type=["yaml", "yml"],
        key=key,
        max_upload_size=max(1, math.ceil(cap / (1024 * 1024))),
        help=HELP["history.upload"].format(kb=f"{cap // 1024:,}"),
    )
    if file is None:
        st.caption("Upload a model file to compare it.")
        return None
    read = actions.read_model_file(file.name, file.getvalue(), cap)
    model = read.model
    if model is None:
        st.error(
            "\n".join(f"- {md(p)}" for p in read.errors),
            title=f"{md(file.name)} cannot be compared: it is not a model file this app can read",
            icon=":material/block:",
        )
    return model


def render_diff(
    diff: ModelDiff,
    before: ScoringModel,
    after: ScoringModel,
    *,
    sides: tuple[str, str] = ("Before", "After"),
    page: str = "history",
) -> None:
    """The changes grouped by kind, before beside after, and the scenarios that change state.

    ``sides`` names the two columns (two workbooks are "This workbook" and the other's name);
    ``page`` keys the tables.
    """
    moved = diff.scenario_state_changes
    first, second = sides
    cols = st.columns(2)
    cols[0].metric("Changes", f"{len(diff.changes):,}")
    cols[1].metric(
        "Scenarios that change cell or state" if sides == ("Before", "After") else "Scenarios in another cell or state",
        f"{len(moved):,}",
        help=HELP["history.scenarios_that_change_cell_or_state"],
    )
    if not diff.changes:
        st.info("No differences: the two models are the same.", icon=":material/info:")
        return
    for group in provenance.group_changes(diff.changes):
        st.markdown(f"**{group.title}** · {len(group.changes)}")
        table(
            page_key(page, "diff", group.kind),
            pd.DataFrame(
                [
                    {
                        "What": c.path,
                        first: provenance.value_text(c.before),
                        second: provenance.value_text(c.after),
                        "Change": c.sentence,
                    }
                    for c in group.changes
                ],
                columns=["What", first, second, "Change"],
            ),
            alt=f"Changed {group.title.lower()}: before and after",
        )
    st.markdown(
        "**Scenarios whose computed result changes**" if sides == ("Before", "After")
        else "**Scenarios whose computed result differs**"
    )
    if moved:
        table(
            page_key(page, "diff", "scenarios"),
            pd.DataFrame(
                [
                    {
                        "Scenario": m.name,
                        first: f"{m.before_state or '–'} ({m.before_cell or '–'})",
                        second: f"{m.after_state or '–'} ({m.after_cell or '–'})",
                        "State changes": "yes" if m.before_state != m.after_state else "no, only the cell",
                        "Scenario itself edited": "yes" if m.scenario_changed else "",
                    }
                    for m in moved
                ],
                columns=["Scenario", first, second, "State changes", "Scenario itself edited"],
            ),
            alt="Scenarios whose computed cell or state differs between the two sides",
        )
    else:
        st.caption("None: every scenario lands in the same cell with the same state on both sides.")
    before_agree = agreement(evaluate_scenarios(before))
    after_agree = agreement(evaluate_scenarios(after))
    st.caption(
        f"Scenario agreement: {md(before_agree.sentence())} {_side_words(first, 'before')}, "
        f"{md(after_agree.sentence())} {_side_words(second, 'after')}"
        + (
            f" ({fmt.points((after_agree.rate - before_agree.rate) * 100, 0)})"
            if before_agree.rate is not None and after_agree.rate is not None and after_agree.rate != before_agree.rate
            else ""
        )
        + "."
    )
    with st.expander("Both model files side by side"):
        left, right = st.columns(2)
        left.code(dump_model(before), language="yaml")
        right.code(dump_model(after), language="yaml")


def _side_words(side: str, default: str) -> str:
    """How a sentence names a side: "before" / "after", or "in <side>" for two workbooks."""
    return default if side.lower() == default else f"in {md(side[:1].lower() + side[1:])}"
