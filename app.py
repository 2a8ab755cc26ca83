"""Lead Scoring Workbook — the Streamlit entry point.

    streamlit run app.py [-- MODEL.yaml]

Builds the navigation over the workbook's tabs, opens the starting workbook, and shows
the sidebar; each page in ``pages/`` renders one tab.
"""

import sys
from pathlib import Path

import streamlit as st

from workbook.ui import chrome, use_navigation_only
from workbook.ui.actions import catch_up_after_page, init_session_state, sync_if_requested
from workbook.ui.help import HELP
from workbook.ui.identity import arrive, render_notice, return_after_sign_in
from workbook.ui.sidebar import render_sidebar, watch_for_changes
from workbook.ui.state import StateKeys, keep_address, run_page, show_messages
from workbook.ui.style import inject_layout_css

use_navigation_only()
# The icon is a file of the app: a Material icon name would be fetched from a font host.
st.set_page_config(
    page_title="Lead Scoring Workbook",
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
    menu_items={"Get help": None, "Report a bug": None, "About": HELP["app.about"]},
)
inject_layout_css()

return_after_sign_in()  # back from the sign-in provider: the workbook the person left
# `streamlit run app.py -- MODEL.yaml` opens that workbook; anything else in argv is not ours.
init_session_state(next((a for a in sys.argv[1:] if a.endswith((".yaml", ".yml"))), None))
# Others' changes are taken in when the sidebar's watcher asks, or after the page (below):
# never before the page's own widgets, whose keys would move and drop what was just typed.
sync_if_requested()
arrive()  # who this session is: a personal link, a sign-in, or the name kept on this device

PAGES = {"": [
    st.Page("pages/team.py", title="Team", icon=":material/groups:",
            help=HELP["app.team"]),
    st.Page("pages/thresholds.py", title="Thresholds", icon=":material/grid_view:",
            help=HELP["app.thresholds"]),
    st.Page("pages/icp_weights.py", title="ICP weights", icon=":material/person_search:",
            help=HELP["app.icp_weights"]),
    st.Page("pages/activity_weights.py", title="Activity weights", icon=":material/touch_app:",
            help=HELP["app.activity_weights"]),
    st.Page("pages/test_scenarios.py", title="Test scenarios", icon=":material/fact_check:",
            help=HELP["app.test_scenarios"]),
    st.Page("pages/model_summary.py", title="Model summary", icon=":material/summarize:",
            help=HELP["app.model_summary"]),
], "Workshop": [
    st.Page("pages/calibration.py", title="Calibration", icon=":material/tune:",
            help=HELP["app.calibration"]),
    st.Page("pages/workbooks.py", title="Workbooks", icon=":material/folder_open:",
            help=HELP["app.workbooks"]),
    st.Page("pages/history.py", title="History", icon=":material/history:",
            help=HELP["app.history"]),
    st.Page("pages/review.py", title="Review", icon=":material/how_to_vote:",
            help=HELP["app.review"]),
    st.Page("pages/lead_list.py", title="Lead list", icon=":material/table_view:",
            help=HELP["app.lead_list"]),
    st.Page("pages/fit.py", title="Learn from outcomes", icon=":material/model_training:",
            help=HELP["app.fit"]),
    st.Page("pages/vote.py", title="Live vote", icon=":material/ballot:", url_path="vote",
            help=HELP["app.vote"]),
    st.Page("pages/presenter.py", title="Presenter view", icon=":material/co_present:", url_path="presenter",
            help=HELP["app.presenter"]),
]}
ROOM_PAGES = ("vote", "presenter")  # for the projector and for phones: no sidebar

page = st.navigation(PAGES, position="top")
# A switch of page clears the address's query: the workbook and scenario go back in on every run.
keep_address()
if page.url_path not in ROOM_PAGES:
    render_sidebar()
with st.sidebar:
    chrome.apply()
show_messages()
render_notice()
run_page(page)
keep_address()
catch_up_after_page()
watch_for_changes(st.session_state[StateKeys.WORKBOOK], st.session_state[StateKeys.BASE])
