"""Add test scenarios from rows pasted from a spreadsheet or from a CSV / Excel file (issue 11, item 3).

One row per scenario, values in words (:mod:`workbook.editing.scenario_rows`). All the rows
are added as one revision, or none: a refusal is shown beside the box in plain words, and
the pasted text stays in the box to be corrected. The box is open while the workbook has
no scenarios, since that is when a room pastes its list.
"""

from __future__ import annotations

import streamlit as st

from workbook import editing, fmt
from workbook.leads.reading import LeadListError, read_lead_bytes
from workbook.ui.actions import read_only_or, try_edit
from workbook.ui.help import HELP
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.text import md

TEXT = page_key("scenarios", "import_text")
GO = page_key("scenarios", "import_go")
REFUSED = page_key("scenarios", "import_refused")  # the last refusal, shown beside the box
GENERATION = page_key("scenarios", "import_generation")  # moves on to empty the uploader after an import


def upload_key() -> str:
    return page_key("scenarios", "import_file", st.session_state.get(GENERATION, 0))


def render(count: int, on_added=None) -> None:
    """The expander with the file uploader, the paste box and the button.

    ``count`` is how many scenarios the workbook has (none: the box is open);
    ``on_added(first)`` is called with the position of the first scenario added.
    """
    model = st.session_state[StateKeys.MODEL]
    columns = [c.words() for c in editing.scenario_columns(model)]
    locked = bool(read_only_or(False))  # people who may not edit see the box, greyed
    with st.expander("Add scenarios from a file or pasted rows", icon=":material/upload_file:", expanded=count == 0):
        st.caption(
            "One row per scenario, copied from a spreadsheet (tab-separated) or in a CSV or Excel file: "
            f"{md(', '.join(columns))}. Values are written as their labels; a header row may name the "
            "columns in any order, without one they are read in this order. Empty cells stay unset."
        )
        uploaded = st.file_uploader("CSV or Excel file", type=["csv", "txt", "tsv", "xlsx"], key=upload_key(),
                                    help=HELP["scenarios.import_file"], disabled=locked)
        st.text_area("Or paste rows", key=TEXT, height=120, help=HELP["scenarios.import_text"], disabled=locked,
                     placeholder="Scenario⇥" + "⇥".join(columns[1:3]) + " …")
        refused = st.session_state.get(REFUSED)
        if refused:
            st.error(md(refused), icon=":material/block:")
        st.button("Add these scenarios", icon=":material/playlist_add:", key=GO, help=HELP["scenarios.import_go"],
                  disabled=locked, on_click=_import, args=(uploaded, on_added))


def _cells(uploaded) -> list[list[str]]:
    """The rows of the uploaded file, header first (raises :class:`LeadListError`), else of the box."""
    if uploaded is not None:
        table = read_lead_bytes(uploaded.getvalue(), uploaded.name)
        return [[str(c) for c in table.frame.columns], *table.frame.fillna("").astype(str).values.tolist()]
    return editing.split_block(st.session_state.get(TEXT) or "")


def _import(uploaded, on_added) -> None:
    st.session_state.pop(REFUSED, None)
    model = st.session_state[StateKeys.MODEL]
    try:
        cells = _cells(uploaded)
        added = len(editing.scenarios_from_rows(model, cells))
        new = editing.add_scenarios_from_rows(model, cells)
    except (LeadListError, editing.EditError) as exc:
        # Shown beside the box (not only at the top of the page); the text stays to be corrected.
        st.session_state[REFUSED] = f"Nothing added: {exc}"
        return
    if try_edit(lambda: new, f"{fmt.count(added, 'scenario')} added in one revision"):
        st.session_state[TEXT] = ""
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
        if on_added is not None:
            on_added(len(model.scenarios))
        return
    error = st.session_state.pop(StateKeys.ERROR, None)
    st.session_state[REFUSED] = f"Nothing added: {error}" if error else "Nothing added."
