"""Review: the steering committee signs off a release candidate; the final model file."""

import streamlit as st

from workbook.ui import review_page
from workbook.ui.state import workshop

ws = workshop()

st.header("Steering-committee review")
st.caption(
    "Mark a revision as release candidate; each steering-committee member (ticked on the Team tab) approves "
    "or rejects it. The model is approved when every member approved the same revision."
)

revisions = review_page.load_revisions(ws)

st.subheader("Put a revision up for review")
review_page.render_mark(ws, revisions)

st.subheader("Decisions")
number = review_page.pick_candidate(ws, review_page.candidates(revisions))
if number is not None:
    review_page.render_status(ws.workbook_id, number)
    review_page.render_decision_form(ws, number)

    st.subheader("Final model file")
    review_page.render_final_export(ws, number)
