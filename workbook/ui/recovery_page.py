"""The page shown instead of the workshop when the workbook database cannot be used as it is.

It says what is wrong in words and offers what can be done: look at the workbooks read-only,
salvage every revision that can still be read into a new database (the damaged file is kept
beside it, renamed), or — for a database from a newer app or another program — what to change.
"""

from __future__ import annotations

import streamlit as st

from workbook import fmt
from workbook.ui.actions import StoreError, salvage_store, store_diagnosis, view_store_read_only
from workbook.ui.help import HELP
from workbook.ui.keys import StateKeys
from workbook.ui.text import md

SALVAGED = StateKeys.SALVAGED

ADVICE = {
    "damaged": "The file was probably cut short (a full disk, a copy stopped half-way) or changed by "
               "another program.",
    "newer": "A newer version of the app wrote this file. Upgrade the app; this version leaves the file untouched.",
    "foreign": "This is another program's database. Point WORKBOOK_DB at a workbook database, or at a new "
               "file name to start one.",
    "locked": "Another program holds the file. Close it, then reload this page.",
}


def render_recovery(error: StoreError | None) -> None:
    """What is wrong with the database and the ways out, instead of the workshop's pages."""
    st.title("The workbook database needs attention")
    saved = st.session_state.get(SALVAGED)
    if saved is not None:
        _salvaged(saved)
        return
    if error is None:
        return
    st.error(md(str(error)), icon=":material/database:")
    found = store_diagnosis() if error.kind in ("damaged", "read-only") else None
    if error.kind in ADVICE:
        st.markdown(ADVICE[error.kind])
    if found is not None and found.unreadable:
        st.markdown("**What cannot be read:**")
        for item in found.unreadable:
            st.text(f"• {item}")
    if found is not None and found.can_view:
        st.button("Look at the workbooks read-only", icon=":material/visibility:", on_click=view_store_read_only,
                  help=HELP["recovery.view"])
    if found is not None and found.can_salvage:
        if st.button("Salvage what can be read", icon=":material/healing:", type="primary",
                     help=HELP["recovery.salvage"]):
            with st.spinner("Copying every readable revision into a new database…"):
                st.session_state[SALVAGED] = salvage_store()
            st.rerun()
    st.caption("Nothing is deleted: a damaged file is renamed and kept beside the new one, for a backup "
               "or an expert to look at.")


def _salvaged(saved) -> None:
    st.success(
        f"Salvaged {fmt.count(saved.workbooks, 'workbook')} with {fmt.count(saved.revisions, 'revision')} "
        "into a new database; each workbook opens at its last revision that could be read.",
        icon=":material/check_circle:",
    )
    if saved.lost:
        st.markdown("**Could not be read, and so not kept:**")
        for item in saved.lost[:20]:
            st.text(f"• {item}")
        if len(saved.lost) > 20:
            st.text(f"… and {len(saved.lost) - 20} more")
    st.markdown("The damaged file is kept as:")
    st.code(saved.damaged_copy.name, language=None)
    if st.button("Open the workshop", type="primary", icon=":material/arrow_forward:"):
        st.session_state.pop(SALVAGED, None)
        st.rerun()
