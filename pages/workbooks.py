"""Workbooks: the open workbook (link, rename, duplicate, archive), new workbooks, every workbook."""

import streamlit as st

from workbook.ui import workbooks_page
from workbook.ui.state import workshop

ws = workshop()

st.header("Workbooks")
st.caption(
    "Every change is saved as you make it, with its whole history. Nothing is ever deleted here: archiving "
    "only hides a workbook from the list."
)

workbooks_page.render_current(ws)
workbooks_page.render_new()
workbooks_page.render_list(ws)
