"""Calibration: threshold and weight suggestions, sensitivity, and the room's alignment (issue 6)."""

import streamlit as st

from workbook.ui import calibration_page
from workbook.ui.state import workshop

ws = workshop()

st.header("Calibration")
st.caption(
    "Let the workbook suggest thresholds or weights that make more test scenarios land where the team "
    "estimated, see what each change fixes and breaks, and apply one with a click — as a normal revision the "
    "sidebar's Undo takes back. Sensitivity shows how close each scenario is to another cell; Team alignment "
    "shows how far the members agree with each other."
)
if not ws.report.is_valid:
    st.warning(
        f"The model has {len(ws.report.errors)} problem(s) (see the sidebar): suggestions are for a draft.",
        icon=":material/warning:",
    )
calibration_page.render(ws)
