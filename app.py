"""Lead Scoring Workbook — Streamlit entry point."""

import streamlit as st

st.set_page_config(page_title="Lead Scoring Workbook", layout="wide")
st.title("Lead Scoring Workbook")
