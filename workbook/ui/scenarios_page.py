"""The Test scenarios tab: the overview of every scenario, the plot, and the editor of one.

The overview is one table and one figure however many scenarios there are; widgets exist
only for the scenario open in the editor (:mod:`workbook.ui.scenario_editor`), so a workbook
of a hundred scenarios stays quick.
Every change goes through a pure edit of :mod:`workbook.editing`; results come from the
engine (``Workshop.results``), never from the page.
"""

from __future__ import annotations

import functools

import streamlit as st

from workbook import editing, fmt
from workbook.model import ScoringModel
from workbook.ui.actions import try_edit
from workbook.ui.components import scenario_import
from workbook.ui.components.scenario_text import (
    AGREES_MARK,
    EST_CELL,
    clamp_selection,
    overview_frame,
    overview_styles,
)
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import page_key
from workbook.ui.scenario_editor import render_editor
from workbook.ui.signals import provisional_note
from workbook.ui.state import StateKeys, Workshop, editor_key, workshop
from workbook.ui.style import stacking
from workbook.ui.text import md

SELECTED = page_key("scenarios", "selected")  # position of the scenario open in the editor
DISAGREEMENTS_ONLY = page_key("scenarios", "disagreements_only")


def render_overview(ws: Workshop) -> None:
    """The agreement count, the disagreements filter and the table of every scenario."""
    results = ws.results
    agree = ws.agreement
    head, toggle = st.columns([3, 1], vertical_alignment="center")
    with head:
        text = agree.sentence()
        if agree.rate is not None:
            text += f" ({fmt.pct(agree.rate * 100, 0)})"
        st.markdown(f"**{md(text)}**. Highlighted in red: what the model contradicts; "
                    "click a row to open it below.")
    with toggle:
        only = st.toggle("Disagreements only", key=DISAGREEMENTS_ONLY, help=HELP["scenarios.filter"])
    df = overview_frame(results, disagreements_only=only)
    if only and df.empty:
        st.success("No disagreements: every scenario with an estimate lands where the team expects.",
                   icon=":material/verified:")
        return
    styled = df.style.apply(lambda _: overview_styles(df, results), axis=None).format(
        {"Profile %": fmt.pct, "Engagement %": fmt.pct}, na_rep="–"
    )
    selected = clamp_selection(st.session_state.get(SELECTED), len(results))
    positions = list(df.index)
    # The key follows the open scenario, so the table always shows it selected; clicking a
    # row opens that scenario (the picker below does the same, and is what tests drive).
    key = page_key("scenarios", f"overview@{ws.revision}", selected, int(only))
    st.dataframe(
        styled,
        hide_index=True,
        height=min(38 + 35 * len(df), 460),
        key=key,
        on_select=functools.partial(_open_row, key, positions),
        selection_mode="single-row",
        selection_default={"selection": {"rows": [positions.index(selected)] if selected in positions else []}},
        alt="Every scenario: the team's estimate beside the model's result",
        # Fits a 1024 px laptop with the sidebar open (about 670 px of table) without a sideways
        # scroll: each estimate beside the model's answer, the verdict next to the name. The
        # estimated grade and level read as one cell; the scores are in the open scenario below.
        # Fixed widths, so a long name is cut (and read whole below) instead of pushing columns out.
        column_order=["#", "Scenario", "Agrees", "Est. state", "State", EST_CELL, "Cell", "Members agreeing"],
        column_config={
            "#": st.column_config.NumberColumn("#", width=32, pinned=True, help=HELP["scenarios.number"]),
            "Scenario": st.column_config.TextColumn("Scenario", width=140, pinned=True,
                                                    help=HELP["scenarios.scenario_cut"]),
            "Agrees": st.column_config.TextColumn(width=56, help=HELP["scenarios.agrees"]),
            "Est. state": st.column_config.TextColumn(width=92, help=HELP["scenarios.est_state"]),
            "State": st.column_config.TextColumn(width=118, help=HELP["scenarios.state_2"]),
            EST_CELL: st.column_config.TextColumn(width=56, help=HELP["scenarios.est_cell"]),
            "Cell": st.column_config.TextColumn(width=44, help=HELP["scenarios.cell_2"]),
            "Members agreeing": st.column_config.TextColumn("Members", width=72,
                                                            help=HELP["scenarios.members_agreeing"]),
        },
    )


def _open_row(key: str, positions: list[int]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state[SELECTED] = positions[rows[0]]


def _picked(key: str) -> None:
    st.session_state[SELECTED] = st.session_state[key]


def pick_scenario(ws: Workshop) -> int | None:
    """The picker and the add / duplicate / delete buttons; returns the open scenario's position."""
    results = ws.results
    selected = clamp_selection(st.session_state.get(SELECTED), len(results))
    only = bool(st.session_state.get(DISAGREEMENTS_ONLY))
    visible = [i for i, r in enumerate(results) if not only or r.agrees is False]
    if selected is not None and selected not in visible:
        visible = sorted({*visible, selected})

    def label(i: int) -> str:
        return f"{i + 1}. {results[i].name}  {AGREES_MARK[results[i].agrees]}"

    # The buttons keep room for their words at 1024 px ("Duplicate" was cut to "D…"); under
    # 900 px the picker and the buttons stack.
    with stacking("scenario_pick", small=True):
        pick_col, add_col, dup_col, del_col = st.columns([3.2, 1, 1.5, 1.4], vertical_alignment="bottom")
    with pick_col:
        if visible:
            # The key follows the open scenario too, so a row clicked in the table shows here.
            key = editor_key(f"scenario_pick.{selected}")
            chosen = st.selectbox(
                "Open scenario",
                visible,
                index=visible.index(selected) if selected is not None else 0,
                format_func=label,
                key=key,
                help=HELP["scenarios.pick"],
                on_change=_picked,
                args=(key,),
            )
            if chosen is not None:
                selected = chosen
        else:
            st.info("No scenarios yet: add the first lead the team wants to test.", icon=":material/info:")
    st.session_state[SELECTED] = selected
    with add_col:
        st.button("Add", icon=":material/add:", key=page_key("scenarios", "add"), help=HELP["scenarios.add"],
                  width="stretch", on_click=_add_scenario, disabled=not may("edit"))
    if selected is None:
        return None
    with dup_col:
        st.button("Duplicate", icon=":material/content_copy:", key=page_key("scenarios", "duplicate"),
                  help=HELP["scenarios.duplicate"], width="stretch", on_click=_duplicate_scenario, args=(selected,),
                  disabled=not may("edit"))
    with del_col:
        with st.popover("Delete", icon=":material/delete:", help=HELP["scenarios.delete"], width="stretch",
                        disabled=not may("edit")):
            st.markdown(f"Delete scenario {selected + 1}, **{md(results[selected].name)}**?")
            st.button("Delete this scenario", type="primary", key=page_key("scenarios", "delete"),
                      on_click=_delete_scenario, args=(selected,), disabled=not may("edit"))
    return selected


# Buttons act in callbacks, which run before the page script: a click is never lost to a
# rerun, and the edit applies to the model as it is at the moment of the click.
def _current_model() -> ScoringModel:
    return st.session_state[StateKeys.MODEL]


def _add_scenario() -> None:
    if try_edit(lambda: editing.add_scenario(_current_model()), "Scenario added"):
        st.session_state[SELECTED] = len(_current_model().scenarios) - 1


def _opened(first: int) -> None:
    st.session_state[SELECTED] = first


def _exists(index: int) -> bool:
    return 0 <= index < len(_current_model().scenarios)


def _duplicate_scenario(index: int) -> None:
    if _exists(index) and try_edit(lambda: editing.duplicate_scenario(_current_model(), index), "Scenario duplicated"):
        st.session_state[SELECTED] = index + 1


def _delete_scenario(index: int) -> None:
    if _exists(index) and try_edit(lambda: editing.delete_scenario(_current_model(), index), "Scenario deleted"):
        st.session_state[SELECTED] = max(index - 1, 0)


def render() -> None:
    """The Test scenarios tab."""
    ws = workshop()

    st.header("Test scenarios")
    st.caption(
        "Describe realistic leads, say where the team thinks each belongs, and compare with where the model "
        "puts it. Where they differ, adjust weights or thresholds until the model says what the room believes."
    )

    provisional_note(ws, "scenarios")
    render_overview(ws)
    scenario_import.render(len(ws.model.scenarios), on_added=_opened)

    st.subheader("One scenario")
    index = pick_scenario(ws)
    if index is not None:
        render_editor(ws, index)
