"""The History tab: every revision in words, any revision's model, restore and undo, and a diff.

Every change to a workbook is a revision (when, who, what changed). Here the team browses
them newest first, looks at the model of any revision with its scenario agreement
(computed by the engine), restores one (itself a new revision), undoes the last change,
and compares two revisions — or a revision and an uploaded file — side by side
(:mod:`workbook.ui.history_compare`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

import pandas as pd
import streamlit as st

from workbook.engine import agreement, evaluate_scenarios
from workbook.files import dump_model
from workbook.fmt import count
from workbook.model import ScoringModel
from workbook.ui import actions, provenance
from workbook.ui.actions import HistorySection, RevisionInfo, StoreError, undo_last_change
from workbook.ui.components.revisions import WRAPPED_ROW_PX, load_revisions, local_zone, table
from workbook.ui.help import HELP
from workbook.ui.history_checkpoints import (
    folded_run,
    load_sections,
    render_name_checkpoint,
    render_readable_history,
)
from workbook.ui.history_compare import compare_with_current, render_compare
from workbook.ui.identity import may
from workbook.ui.keys import page_key
from workbook.ui.state import Workshop, workshop
from workbook.ui.text import md
from workbook.validate import validate

PAGE_SIZE = 50
SHOWN = page_key("history", "shown")  # how many revisions the list shows
VIEW = page_key("history", "view")  # the revision looked at


# --------------------------------------------------------------------------------------------
# Undo and the list of revisions
# --------------------------------------------------------------------------------------------
def render_undo(ws: Workshop, revisions: Sequence[RevisionInfo], sections: Sequence[HistorySection] = ()) -> None:
    """The undo button with what it would take back (a folded run of quick edits at once)."""
    by_number = {r.number: r for r in revisions}
    shown = sorted((r for r in revisions if r.number <= ws.store_revision), key=lambda r: -r.number)
    target = provenance.undo_target(shown)
    cols = st.columns([1.4, 3], vertical_alignment="center")
    cols[0].button(
        "Undo last change",
        icon=":material/undo:",
        key=page_key("history", "undo"),
        on_click=undo_last_change,
        disabled=target is None or not may("undo"),
        help=HELP["history.undo"],
        width="stretch",
    )
    if target is None:
        cols[1].caption("Nothing to undo: the workbook is as it was created.")
    else:
        undone = by_number.get(target)
        what = "; ".join(undone.summary) if undone and undone.summary else "(no visible change)"
        run = folded_run(sections, target)
        if run is not None:
            cols[1].caption(f"Undo takes back revisions {run[0]}–{target}: {md('; '.join(run[1]))}")
        else:
            cols[1].caption(f"Undo takes back revision {target}: {md(what)}")



def revision_rows(
    revisions: Sequence[RevisionInfo], zone: tzinfo | None, identified: dict[int, str] | None = None
) -> pd.DataFrame:
    """The table of revisions: number, when, who and how they were identified, kind, what changed, release
    candidate. ``identified``: revision number → how its author was identified (see :func:`identities`)."""
    return pd.DataFrame(
        [
            {
                "Revision": r.number,
                "When": provenance.when_text(r.at, zone),
                "Who": provenance.who_text(r.author),
                "Identified by": provenance.identified_text((identified or {}).get(r.number)),
                "Kind": provenance.revision_kind_text(r),
                "What changed": "; ".join(r.summary) or "–",
                "Release candidate": "yes" if r.release_candidate else "",
            }
            for r in revisions
        ],
        columns=["Revision", "When", "Who", "Identified by", "Kind", "What changed", "Release candidate"],
    )


def identities(ws: Workshop) -> dict[int, str]:
    """How the author of each revision was identified; empty when the database cannot say."""
    try:
        return actions.revision_identities(ws.workbook_id)
    except StoreError:
        return {}


def render_revisions(revisions: Sequence[RevisionInfo], identified: dict[int, str] | None = None) -> None:
    """The newest revisions (50 at a time, "Show more" for the next 50)."""
    total = len(revisions)
    shown = min(st.session_state.setdefault(SHOWN, PAGE_SIZE), total)
    st.caption(f"Newest first; showing {shown:,} of {total:,} revision{'s' if total != 1 else ''}.")
    table(
        page_key("history", "revisions"),
        revision_rows(revisions[:shown], local_zone(), identified),
        # A 1024 px laptop with the sidebar open gives the table about 670 px: fixed widths that add
        # up to less, and rows over 64 px tall so that Streamlit wraps "What changed" on three lines.
        column_config={
            "Revision": st.column_config.NumberColumn("Revision", format="%d", width=72),
            "When": st.column_config.TextColumn("When", width=96, help=HELP["history.when"]),
            "Who": st.column_config.TextColumn("Who", width=96, help=HELP["history.who"]),
            "Identified by": st.column_config.TextColumn(
                "Identified by", width=100, help=HELP["history.identified_by"]
            ),
            "Kind": st.column_config.TextColumn("Kind", width=84),
            "What changed": st.column_config.TextColumn("What changed", width=140),
            "Release candidate": st.column_config.TextColumn(
                "Candidate", width=76, help=HELP["history.release_candidate"]
            ),
        },
        row_height=WRAPPED_ROW_PX,
        alt="Revisions of the workbook, newest first",
    )
    if shown < total:
        more = min(PAGE_SIZE, total - shown)
        st.button(
            f"Show {more} more",
            icon=":material/expand_more:",
            key=page_key("history", "show_more"),
            on_click=_show_more,
            args=(shown,),
        )


def _show_more(shown: int) -> None:
    st.session_state[SHOWN] = shown + PAGE_SIZE


# --------------------------------------------------------------------------------------------
# One revision
# --------------------------------------------------------------------------------------------
def pick_revision(revisions: Sequence[RevisionInfo]) -> int | None:
    labels = {r.number: provenance.revision_label(r, local_zone()) for r in revisions}
    return st.selectbox(
        "Revision to look at",
        list(labels),
        index=None,
        format_func=labels.get,
        placeholder="Choose a revision…",
        key=VIEW,
        help=HELP["history.view"],
    )


def render_revision(ws: Workshop, number: int, identified: dict[int, str] | None = None) -> None:
    """The model of one revision: what changed, its YAML, validity and scenario agreement; restore."""
    try:
        revision = actions.revision(ws.workbook_id, number)
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    model = revision.model
    current = number == ws.store_revision
    st.caption(
        f"Revision {number}{' (current)' if current else ''} · {provenance.when_text(revision.at, local_zone())}"
        + (f" · by {md(provenance.who_and_how(revision.author, (identified or {}).get(number)))}"
           if revision.author or (identified or {}).get(number) else "")
        + f" · {provenance.kind_text(revision.kind)}"
    )
    for sentence in revision.summary:
        st.text(f"• {sentence}")
    buttons = st.container(horizontal=True)
    buttons.button(
        f"Restore revision {number}",
        icon=":material/restore:",
        key=page_key("history", "restore"),
        disabled=current or not may("restore"),
        help=HELP["history.restore"] if not current else HELP["history.restore_current"],
        type="primary",
        on_click=actions.restore,
        args=(ws.workbook_id, number),
    )
    buttons.download_button(
        f"Download revision {number} (YAML)",
        dump_model(model),
        file_name=f"revision-{number}.yaml",
        mime="application/x-yaml",
        icon=":material/download:",
        key=page_key("history", "download"),
        help=HELP["history.download"],
    )
    buttons.button(
        "Compare with the current model",
        icon=":material/compare_arrows:",
        key=page_key("history", "compare_with_current"),
        on_click=compare_with_current,
        args=(number, ws.store_revision),
        disabled=current,
        help=HELP["history.compare_with_current"],
    )
    yaml_col, results_col = st.columns(2, gap="large")
    with yaml_col:
        st.code(dump_model(model), language="yaml", height=480, wrap_lines=True)
    with results_col:
        _render_revision_results(model, ws)


def _render_revision_results(model: ScoringModel, ws: Workshop) -> None:
    report = validate(model)
    if report.errors:
        st.error(
            "\n".join(f"- {md(p)}" for p in report.errors),
            title=f"Invalid at this revision: {count(len(report.errors), 'problem')}",
            icon=":material/error:",
        )
    else:
        st.success("Valid at this revision", icon=":material/verified:")
    results = evaluate_scenarios(model)
    agree = agreement(results)
    now = ws.agreement
    st.metric(
        "Scenario agreement at this revision",
        f"{agree.agreeing} of {agree.with_estimate}",
        delta=f"now {now.agreeing} of {now.with_estimate}",
        delta_color="off",
        delta_arrow="off",
        help=HELP["history.scenario_agreement_at_this_revision"],
    )
    st.caption(md(agree.sentence()))
    if results:
        table(
            page_key("history", "revision_scenarios"),
            pd.DataFrame(
                [
                    {
                        "Scenario": r.name,
                        "Cell": r.result.cell or "–",
                        "State": r.result.state or "–",
                        "Agrees": {True: "✓ yes", False: "✗ no", None: "–"}[r.agrees],
                    }
                    for r in results
                ]
            ),
            column_config={
                "Scenario": st.column_config.TextColumn("Scenario", width="medium"),
                "Cell": st.column_config.TextColumn("Cell", width=50),
                "State": st.column_config.TextColumn("State", width="small"),
                "Agrees": st.column_config.TextColumn("Agrees", width=70),
            },
            height=300,
            alt="Scenarios at this revision: computed cell and state, and whether they agree with the estimate",
        )


# --------------------------------------------------------------------------------------------
# Compare
# --------------------------------------------------------------------------------------------


def render() -> None:
    """The History tab."""
    ws = workshop()

    st.header("History")
    st.caption(
        "Every change is a revision: when, who (and how they were identified) and what changed. "
        "Restoring or undoing is itself a new revision, so nothing is ever lost."
    )

    revisions = load_revisions(ws)
    sections = load_sections(ws, revisions)
    render_undo(ws, revisions, sections)

    st.subheader("Checkpoints")
    st.caption(
        "Name a moment (\"after workshop 1\") to find it again, restore it or compare it with now. The changes "
        "read checkpoint by checkpoint, with who changed how much; quick clicks on one field by one person "
        "within a minute read as one change."
    )
    render_name_checkpoint(ws)
    render_readable_history(ws, sections)

    st.subheader("Revisions")
    st.caption("Every revision as it was saved, one per change.")
    identified = identities(ws)
    render_revisions(revisions, identified)

    st.subheader("Look at a revision")
    number = pick_revision(revisions)
    if number is not None:
        render_revision(ws, number, identified)

    st.subheader("Compare")
    st.caption(
        "What differs between two revisions, or between a revision and a model file: weights, values, thresholds, "
        "grid cells, and the scenarios that land somewhere else because of them."
    )
    render_compare(ws, revisions)
