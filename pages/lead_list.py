"""Lead list: score a real list with the workbook — spread over the grid, capacity, data quality, outcome."""

import streamlit as st

from workbook.ui import leads_page
from workbook.ui.state import workshop

ws = workshop()

st.header("Lead list")
st.caption(
    "Run the model on a real lead list: where the leads land on the grid, whether the SDR team can take the "
    "volume, which attributes the data does not match, and — with a known outcome — how well the grid sorts "
    "converters from the rest. The list stays in this browser session; only the column mapping is saved."
)
if not ws.report.is_valid:
    st.warning(
        f"The model has {len(ws.report.errors)} problem(s) (see the Model summary tab): the list is scored "
        "as a draft.",
        icon=":material/warning:",
    )

loaded = leads_page.render_source()
if loaded is not None:
    rows = leads_page.render_mapping(ws, loaded)
    as_of = leads_page.render_as_of()
    result = leads_page.score(ws, loaded, rows, as_of)
    leads_page.render_download(loaded, result)
    leads_page.render_distribution(ws, result)
    leads_page.render_capacity(ws, result)
    leads_page.render_quality(ws, result, rows)
    leads_page.render_outcome(ws, loaded, result)
