"""The Team tab: the cross-functional scoring team, the functions in the room, the steering committee."""

from __future__ import annotations

import streamlit as st

from workbook import editing
from workbook.model import ScoringModel, TeamMember
from workbook.ui.actions import try_edit
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.state import StateKeys, Workshop, editor_key, workshop
from workbook.ui.style import stacking
from workbook.ui.tables import edit_table, frame, import_rows
from workbook.ui.team_roles import render_roles
from workbook.ui.text import md

# Over 64 px, so text wraps in the members' table (three lines of 14 px text). The table's
# height follows its rows ("content": a height in pixels that changed with the team would
# rebuild the table in the browser on the first saved row, and drop the cell being typed in).
TEAM_ROW_PX = 66


def set_free_text(member_key: str, field_key: str, value_key: str) -> None:
    """Form callback: give a member a function or role the table's choices lack."""
    who, field = st.session_state.get(member_key), st.session_state.get(field_key)
    value = st.session_state.get(value_key) or ""
    if who and field:
        model = st.session_state[StateKeys.MODEL]
        try_edit(lambda: editing.set_member_field(model, who, field, value), f"{who}: {field} updated")

def render() -> None:
    """The Team tab."""
    ws = workshop()
    model = ws.model
    team = model.team

    st.header("Scoring team")
    st.caption(
        "A lead scoring model works when marketing, sales, inside sales, product marketing, product management "
        "and marketing ops / IT agree on it. Record who is in the room, what they do in the project and who sits "
        "on the steering committee that signs off the final model."
    )

    _render_members(ws)
    if team:
        _render_free_text(team)
    with stacking("team", large=True):
        coverage_col, committee_col = st.columns(2, gap="large")
    with coverage_col:
        _render_coverage(model)
    with committee_col:
        _render_committee(team)
    render_roles()


def _render_members(ws: Workshop) -> None:
    team = ws.model.team
    st.subheader("Members")
    functions = editing.choices(editing.TEAM_FUNCTIONS, [m.function for m in team])
    roles = editing.choices(editing.TEAM_ROLES, [m.role for m in team])
    members = frame(
        [m.model_dump(include={"name", "title", "function", "role", "steering_committee", "email"}) for m in team],
        ["name", "title", "function", "role", "steering_committee", "email"],
    )
    # A 1024 px laptop with the sidebar open gives the table about 670 px: the six columns fit
    # side by side only if long text wraps (a 40-character e-mail, "VP Sales, North America &
    # EMEA"). Streamlit wraps a table's text when its rows are over 64 px tall: up to three lines.
    columns = {
        "name": st.column_config.TextColumn(
            "Name", required=True, width=84, pinned=True, help=HELP["team.name"]
        ),
        "title": st.column_config.TextColumn("Title", width=112, help=HELP["team.title"]),
        "function": st.column_config.SelectboxColumn(
            "Function", options=functions, width=136,
            help=HELP["team.function"],
        ),
        "role": st.column_config.SelectboxColumn(
            "Project role", options=roles, width=112,
            help=HELP["team.role"],
        ),
        "steering_committee": st.column_config.CheckboxColumn(
            "Steering", default=False, width=76,
            help=HELP["team.steering_committee"],
        ),
        "email": st.column_config.TextColumn(
            "E-mail", width=116, validate=f"^$|{editing.EMAIL_PATTERN}", help=HELP["team.email"]
        ),
    }
    edit_table("team", members, editing.edit_team, column_config=columns, message="Team updated",
               row_height=TEAM_ROW_PX, height="content")
    import_rows("team", members, editing.edit_team, column_config=columns, what="members")
    st.caption(
        "Add a row for a new member; select rows and press Delete to remove them. Renaming a member keeps their "
        "estimates in the scenarios; removing one drops them."
    )
    for problem in ws.report.errors:
        if problem.location.startswith("team"):
            st.error(md(problem.message), icon=":material/error:")
    for problem in ws.report.warnings:
        if problem.location.startswith("team"):
            st.warning(md(problem.message), icon=":material/warning:")


def _render_free_text(team: list[TeamMember]) -> None:
    with st.expander("Another function or role (free text)", icon=":material/edit:"):
        keys = (editor_key("team_free_member"), editor_key("team_free_field"), editor_key("team_free_value"))
        with st.form(editor_key("team_free_text"), border=False):
            st.selectbox("Member", [m.name for m in team], key=keys[0], disabled=not may("edit"))
            st.segmented_control(
                "Set their", ["function", "role"], default="function", format_func=str.capitalize, key=keys[1],
                disabled=not may("edit"),
            )
            st.text_input(
                "To", key=keys[2], placeholder="e.g. Customer success, Finance",
                help=HELP["team.to"], disabled=not may("edit"),
            )
            # A callback: the click is applied before the script runs, so no rerun can swallow it.
            st.form_submit_button("Set", icon=":material/check:", on_click=set_free_text, args=keys,
                                  disabled=not may("edit"))


def _render_coverage(model: ScoringModel) -> None:
    st.subheader("Functions in the room")
    coverage = editing.function_coverage(model)
    needed = editing.TEAM_FUNCTIONS_NEEDED
    missing = [f for f in needed if not coverage[f]]
    with st.container(horizontal=True):
        for function in needed:
            n = len(coverage[function])
            if n:
                st.badge(f"{md(function)} · {n}", icon=":material/check:", color="green")
            else:
                st.badge(f"{md(function)} · none", icon=":material/close:", color="red")
    if missing:
        st.warning(
            " · ".join(f"No one from {md(f)}" for f in missing),
            title="Missing functions",
            icon=":material/group_off:",
        )
    else:
        st.success("Every function a scoring team needs is in the room.", icon=":material/groups:")
    st.dataframe(
        [
            {"Function": function or "(no function given)", "People": len(names), "Who": ", ".join(names) or "—"}
            for function, names in coverage.items()
        ],
        hide_index=True,
        key="team_coverage",
        column_config={"People": st.column_config.NumberColumn(format="%d")},
    )


def _render_committee(team: list[TeamMember]) -> None:
    st.subheader("Steering committee")
    committee = [m for m in team if m.steering_committee]
    if committee:
        st.dataframe(
            [{"Name": m.name, "Title": m.title or "", "Function": m.function or ""} for m in committee],
            hide_index=True,
            key="team_committee",
            # Fixed widths (440 px): a long title is cut rather than widening the table past
            # its column beside "Functions in the room" (which stack below 1400 px).
            column_config={
                "Name": st.column_config.TextColumn(width=120),
                "Title": st.column_config.TextColumn(width=180),
                "Function": st.column_config.TextColumn(width=140),
            },
        )
    else:
        st.info("No steering-committee member yet: tick 'Steering committee' for those who sign off the model.",
                icon=":material/info:")
