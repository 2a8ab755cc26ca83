"""History: every revision in words; look at, restore or undo one; compare two side by side."""

import streamlit as st

from workbook.ui import history_page
from workbook.ui.state import workshop

ws = workshop()

st.header("History")
st.caption(
    "Every change is a revision: when, who (if they gave their name in the sidebar) and what changed. "
    "Restoring or undoing is itself a new revision, so nothing is ever lost."
)

revisions = history_page.load_revisions(ws)
history_page.render_undo(ws, revisions)

st.subheader("Revisions")
history_page.render_revisions(revisions)

st.subheader("Look at a revision")
number = history_page.pick_revision(revisions)
if number is not None:
    history_page.render_revision(ws, number)

st.subheader("Compare")
st.caption(
    "What differs between two revisions, or between a revision and a model file: weights, values, thresholds, "
    "grid cells, and the scenarios that land somewhere else because of them."
)
history_page.render_compare(ws, revisions)
