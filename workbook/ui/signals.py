"""Signals that tell the truth: colours and notes for weights, agreement and an invalid model.

Every error state looks like an error (weights off 100 either way: red), agreement looks good
when it is good (all scenarios agree: green), and results computed on an invalid model say
they are provisional, why, and where to fix it — one line with a link to that tab, shown
wherever agreement is shown (:func:`provisional_note`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from workbook import fmt
from workbook.engine import Agreement
from workbook.places import describe, plain_message
from workbook.ui.state import Workshop
from workbook.ui.text import md
from workbook.validate import weights_add_up

Colour = Literal["green", "orange", "red", "gray"]

# The page file of each tab (app.py's navigation), for links to the place to fix.
PAGE_OF_TAB: dict[str, str] = {
    "Team": "pages/team.py",
    "Thresholds": "pages/thresholds.py",
    "ICP weights": "pages/icp_weights.py",
    "Activity weights": "pages/activity_weights.py",
    "Test scenarios": "pages/test_scenarios.py",
    "Model summary": "pages/model_summary.py",
    "Workbooks": "pages/workbooks.py",
    "Review": "pages/review.py",
}


def weight_signal(total: Decimal) -> tuple[str, Colour]:
    """The words and colour under a section's weight total: off 100 either way is an error."""
    if weights_add_up(total):
        return "adds up to 100", "green"
    off = float(total - 100)
    words = "over 100" if off > 0 else "short of 100"
    return f"{fmt.number(abs(off), 2)} pts {words}", "red"


def agreement_signal(agree: Agreement, valid: bool) -> tuple[str | None, Colour]:
    """The words and colour of the scenario agreement; grey while the model is invalid (provisional)."""
    if agree.rate is None:
        return None, "gray"
    words = f"{fmt.pct(agree.rate * 100, 0)} agree"
    if not valid:
        return f"{words} (provisional)", "gray"
    if agree.disagreeing == 0:
        return words, "green"
    return words, "orange" if agree.rate >= 0.5 else "red"


def provisional_reason(ws: Workshop) -> tuple[str, str] | None:
    """Why results are provisional and the tab to fix it, or None when the model is valid."""
    if ws.report.is_valid:
        return None
    first = ws.report.errors[0]
    place = describe(ws.model, first.path)
    why = f"{place.words}: {plain_message(first.message)}"
    more = len(ws.report.errors) - 1
    if more:
        why += f" (and {fmt.count(more, 'more problem', 'more problems')})"
    return why, place.tab


def provisional_note(ws: Workshop, key: str) -> None:
    """Results on an invalid model: "Provisional" with the reason, and a link to the place to fix it."""
    reason = provisional_reason(ws)
    if reason is None:
        return
    why, tab = reason
    with st.container(key=f"provisional_{key}"):
        st.markdown(f":red[:material/error: **Provisional:** the model is invalid.] {md(why)}")
        try:
            st.page_link(PAGE_OF_TAB.get(tab, PAGE_OF_TAB["Model summary"]), label=f"Fix it on the {tab} tab",
                         icon=":material/build:")
        except StreamlitPageNotFoundError:
            # A fragment rerun alone (an edit that reran only the sidebar) does not see the
            # app's page list; the next full run shows the link again.
            st.caption(f"Fix it on the {tab} tab.")
