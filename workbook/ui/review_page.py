"""The Review tab: release candidates, the steering committee's decisions, the final export.

The team marks a revision as release candidate; each steering-committee member (the
members ticked on the Team tab *in that revision*) approves or rejects it with a comment.
The model is approved when every member approved the same revision; one rejection rejects
it until that member changes their mind. The final model file is the release candidate's
model with version, revision, status, approvals and dates in its ``metadata``; it is
refused while that model breaks a rule.

Who may decide is :mod:`workbook.store.access`'s rule: on a workbook with a facilitator, a
decision for a member is recorded only through that member's own invite link or sign-in,
and refused in words otherwise; on an open workbook (nobody claimed it) a member picks their
name, and the decision is recorded as made by a typed name, unverified. Every decision is
recorded with its time and how its author was identified, and shown to everyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

import pandas as pd
import streamlit as st

from workbook.files import dump_model
from workbook.fmt import count
from workbook.model import Metadata
from workbook.ui import actions, provenance
from workbook.ui.actions import ApprovalStatus, RevisionInfo, StoreError
from workbook.ui.components.revisions import follow_default, load_revisions, local_zone, table
from workbook.ui.help import HELP
from workbook.ui.history_checkpoints import render_change_notes
from workbook.ui.identity import may
from workbook.ui.keys import page_key
from workbook.ui.state import StateKeys, Workshop, workshop
from workbook.ui.summary_page import final_file_name
from workbook.ui.text import md
from workbook.validate import validate

MARK = page_key("review", "mark")  # the revision to mark as release candidate
CANDIDATE = page_key("review", "candidate")  # the release candidate under review
FORM = page_key("review", "form")
MEMBER = page_key("review", "member")
DECISION = page_key("review", "decision")
COMMENT = page_key("review", "comment")
PROBLEM = page_key("review", "problem")  # why the last decision was not recorded, shown once below the form
REFRESH_SECONDS = 5

DECISIONS = {"approved": "Approve", "rejected": "Reject"}



def candidates(revisions: Sequence[RevisionInfo]) -> list[RevisionInfo]:
    """The release candidates, newest first."""
    return [r for r in revisions if r.release_candidate]


# --------------------------------------------------------------------------------------------
# Marking
# --------------------------------------------------------------------------------------------
def render_mark(ws: Workshop, revisions: Sequence[RevisionInfo]) -> None:
    """Choose a revision (the current one by default) and put it up for review."""
    labels = {r.number: provenance.revision_label(r, local_zone()) for r in revisions}
    labels[ws.store_revision] = f"{labels.get(ws.store_revision, ws.store_revision)} (current)"
    follow_default(MARK, ws.store_revision, list(labels))
    cols = st.columns([3, 2], vertical_alignment="bottom")  # room for "Mark as release candidate" at 1024 px
    number = cols[0].selectbox("Revision", list(labels), format_func=labels.get, key=MARK, help=HELP["review.mark"])
    already = any(r.number == number and r.release_candidate for r in revisions)
    refused = actions.refusal("mark_release_candidate")
    cols[1].button(
        "Mark as release candidate",
        icon=":material/flag:",
        key=page_key("review", "mark_button"),
        disabled=already or number is None or refused is not None,
        help=HELP["review.mark_already"] if already else (refused or HELP["review.mark"]),
        width="stretch",
        on_click=_mark,
        args=(ws.workbook_id, number),
    )
    if number is not None:
        try:
            problems = validate(actions.model_at(ws.workbook_id, number)).errors
        except StoreError:
            problems = []
        if problems:
            st.warning(
                f"Revision {number} breaks {count(len(problems), 'rule')}: it can be reviewed, "
                "but it cannot be exported "
                "as final until a valid revision is approved.",
                icon=":material/warning:",
            )


def _mark(workbook_id: str, number: int) -> None:
    """Button callback: put ``number`` up for review and show it below."""
    try:
        actions.mark_release_candidate(workbook_id, number)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
    st.session_state[CANDIDATE] = number
    st.session_state[StateKeys.FLASH] = (
        f"Revision {number} is a release candidate: the steering committee can review it"
    )


# --------------------------------------------------------------------------------------------
# Reviewing
# --------------------------------------------------------------------------------------------
def pick_candidate(ws: Workshop, rcs: Sequence[RevisionInfo]) -> int | None:
    if not rcs:
        st.info("No release candidate yet: mark a revision above.", icon=":material/info:")
        return None
    labels = {r.number: provenance.revision_label(r, local_zone()) for r in rcs}
    if st.session_state.get(CANDIDATE) not in labels:
        st.session_state[CANDIDATE] = rcs[0].number
    number = st.selectbox(
        "Release candidate", list(labels), format_func=labels.get, key=CANDIDATE, help=HELP["review.candidate"]
    )
    if number is not None and number != ws.store_revision:
        st.caption(
            f"The workbook has changed since: it is now at revision {ws.store_revision}. The committee reviews "
            f"revision {number} as it was."
        )
    return number


def status_rows(status: ApprovalStatus, zone: tzinfo | None) -> pd.DataFrame:
    """One row per steering-committee member: decision, comment, when."""
    return pd.DataFrame(
        [
            {
                "Member": r.member,
                "Decision": {"approved": "✓ approved", "rejected": "✗ rejected", None: "… waiting"}[r.decision],
                "Comment": r.comment or "",
                "When": provenance.when_text(r.at, zone) if r.at else "",
            }
            for r in status.reviews
        ],
        columns=["Member", "Decision", "Comment", "When"],
    )


@st.fragment(run_every=REFRESH_SECONDS)
def render_status(workbook_id: str, number: int) -> None:
    """Approved / rejected / waiting, and every member's decision.

    Reviews are no revisions, so the sidebar's watcher does not see them: this part reads them
    again every few seconds, so the room sees each decision as it is made.
    """
    try:
        status = actions.approval_status(workbook_id, number)
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    show_status(status)


def show_status(status: ApprovalStatus) -> None:
    if not status.reviews:
        st.warning(
            f"Nobody is on the steering committee in revision {status.revision}: tick members on the Team tab, "
            "then mark the new revision as release candidate.",
            icon=":material/group_off:",
        )
        return
    if status.state == "approved":
        when = provenance.when_text(status.approved_at, local_zone()) if status.approved_at else ""
        st.success(f"Approved by the whole steering committee ({when}).", icon=":material/verified:")
    elif status.state == "rejected":
        rejected = [r.member for r in status.reviews if r.decision == "rejected"]
        st.error(f"Rejected by {md(', '.join(rejected))}.", icon=":material/block:")
    else:
        st.info(f"Waiting for {md(', '.join(status.waiting_for))}.", icon=":material/hourglass_top:")
    table(
        page_key("review", "status"),
        status_rows(status, local_zone()),
        column_config={"Comment": st.column_config.TextColumn("Comment", width="large")},
        alt="Each steering-committee member's decision on the release candidate",
    )


def render_decision_form(ws: Workshop, number: int) -> None:
    """A member records their decision with a comment."""
    try:
        committee = [r.member for r in actions.approval_status(ws.workbook_id, number).reviews]
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    if not committee:
        return
    me = actions.identity()
    if actions.access_state().claimed:
        st.caption(
            f"You: {md(me.describe())}. A decision is recorded only through the member's own invite link or "
            "sign-in; a later decision of the same member replaces their earlier one."
        )
    else:
        st.caption(
            "Anyone with this workbook's address can decide here (nobody has claimed it as facilitator): pick "
            "your own name; the decision is recorded as made by a typed name. A later decision of the same member "
            "replaces their earlier one."
        )
    if me.verified and me.name in committee and st.session_state.get(MEMBER) is None:
        st.session_state[MEMBER] = me.name
    with st.form(FORM):
        st.selectbox(
            "I am", committee, index=None, placeholder="Choose your name…", key=MEMBER, help=HELP["review.member"],
            disabled=not may("approve"),
        )
        st.segmented_control(
            "Decision", list(DECISIONS), format_func=DECISIONS.get, key=DECISION, help=HELP["review.decision"],
            disabled=not may("approve"),
        )
        st.text_area("Comment", key=COMMENT, help=HELP["review.comment"], max_chars=2000, height=90,
                     disabled=not may("approve"))
        st.form_submit_button(
            "Record my decision",
            icon=":material/how_to_vote:",
            type="primary",
            key=page_key("review", "submit"),
            on_click=_record_decision,
            args=(ws.workbook_id, number),
            disabled=not may("approve"),
        )
    problem = st.session_state.pop(PROBLEM, None)
    if problem:
        st.error(md(problem), icon=":material/error:")


def _record_decision(workbook_id: str, number: int) -> None:
    """Form callback: record the member's decision, or say (below the form) why not."""
    member = st.session_state.get(MEMBER)
    decision = st.session_state.get(DECISION)
    comment = (st.session_state.get(COMMENT) or "").strip()
    problem = decision_problem(member, decision, comment)
    if problem is None:
        try:
            actions.review(workbook_id, number, member, decision, comment)
        except StoreError as exc:
            problem = str(exc)
    if problem:
        st.session_state[PROBLEM] = problem  # the form keeps what was typed, to fix and send again
        return
    st.session_state[StateKeys.FLASH] = f"{member} {decision} revision {number}"
    # Empty the form for the next member (a kept name would invite voting in someone else's name).
    st.session_state[MEMBER] = None
    st.session_state[DECISION] = None
    st.session_state[COMMENT] = ""


def decision_problem(member: str | None, decision: str | None, comment: str) -> str | None:
    """Why a decision cannot be recorded yet, or None."""
    if not member:
        return "Choose your name first."
    if decision not in DECISIONS:
        return "Choose Approve or Reject."
    if decision == "rejected" and not comment.strip():
        return "Say why you reject it in the comment, so the team knows what to change."
    return None


# --------------------------------------------------------------------------------------------
# The final export
# --------------------------------------------------------------------------------------------
def render_final_export(ws: Workshop, number: int) -> None:
    """The final model file of the release candidate, refused while its model is invalid."""
    try:
        model = actions.model_at(ws.workbook_id, number)
        status = actions.approval_status(ws.workbook_id, number)
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    report = validate(model)
    if report.errors:
        st.error(
            "\n".join(f"- {md(p)}" for p in report.errors),
            title=f"No final export: revision {number} breaks {count(len(report.errors), 'rule')}. Fix them, then mark "
            "the new revision as release candidate.",
            icon=":material/block:",
        )
        return
    final = actions.final_export_model(ws.workbook_id, number)
    meta = final.metadata or Metadata()
    if status.approved:
        st.success(f"Revision {number} is approved: this is the final model.", icon=":material/verified:")
    else:
        why = "was rejected" if status.state == "rejected" else "is not approved yet"
        st.warning(
            f"Revision {number} {why}: the file says status 'release candidate' and lists the decisions so far.",
            icon=":material/pending:",
        )
    approvals = sum(a.decision == "approved" for a in meta.approvals)
    st.caption(
        f"The file carries in its metadata: version {md(meta.version or '–')} · revision {meta.revision} · "
        f"status {(meta.status or 'draft').replace('_', ' ')} · {approvals} of {len(status.reviews)} approvals"
        + (f" · approved {provenance.when_text(meta.approved_at, local_zone())}" if meta.approved_at else "")
        + f" · the last {len(meta.changes)} change notes."
    )
    st.download_button(
        "Download the final model (YAML)",
        dump_model(final),
        file_name=final_file_name(final),
        mime="application/x-yaml",
        icon=":material/download:",
        type="primary" if status.approved else "secondary",
        key=page_key("review", "download_final"),
        help=HELP["review.final"],
    )


def render() -> None:
    """The Review tab."""
    ws = workshop()

    st.header("Steering-committee review")
    st.caption(
        "Mark a revision as release candidate; each steering-committee member (ticked on the Team tab) approves "
        "or rejects it. The model is approved when every member approved the same revision."
    )

    revisions = load_revisions(ws)

    st.subheader("Put a revision up for review")
    render_mark(ws, revisions)

    st.subheader("Decisions")
    number = pick_candidate(ws, candidates(revisions))
    if number is not None:
        render_status(ws.workbook_id, number)
        render_decision_form(ws, number)

        st.subheader("Final model file")
        render_final_export(ws, number)
        render_change_notes(ws, number)
