"""Test scenarios: concrete leads, the team's estimate beside the model's computed result."""

import streamlit as st

from workbook.ui import scenarios_page
from workbook.ui.state import workshop

ws = workshop()

st.header("Test scenarios")
st.caption(
    "Describe realistic leads, say where the team thinks each belongs, and compare with where the model "
    "puts it. Where they differ, adjust weights or thresholds until the model says what the room believes."
)

scenarios_page.render_overview(ws)

st.subheader("One scenario")
index = scenarios_page.pick_scenario(ws)
if index is not None:
    scenarios_page.render_editor(ws, index)
