"""The Thresholds tab: profile grades, engagement levels, action states and the grade × level grid."""

from __future__ import annotations

import streamlit as st

from workbook import editing
from workbook.engine import scenario_counts_by_cell
from workbook.model import ScoringModel, Section
from workbook.ui import figures
from workbook.ui.actions import try_edit
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.state import Workshop, editor_key, workshop
from workbook.ui.style import stacking
from workbook.ui.tables import edit_table, frame


def render() -> None:
    """The Thresholds tab."""
    ws = workshop()
    model = ws.model

    st.header("Thresholds and the action grid")
    st.caption(
        "A lead's profile % earns the first grade (best first) whose minimum it reaches, and its engagement % "
        "the first level. A score exactly on a minimum earns the better band. The grid then gives each "
        "grade × level cell an action state. A1 is the hottest cell."
    )

    _render_bands(model)
    _render_states(model)
    _render_grid(ws)


def _render_bands(model: ScoringModel) -> None:
    with stacking("bands", small=True):
        left, right = st.columns(2)
    with left:
        st.subheader("Profile grades")
        _band_editor("grades", "profile", [(b.grade, b.min) for b in model.profile_grades],
                     name="Grade", min_label="Minimum profile %", help_key="thresholds.grade",
                     message="Profile grades updated")
    with right:
        st.subheader("Engagement levels")
        _band_editor("levels", "engagement", [(b.level, b.min) for b in model.engagement_levels],
                     name="Level", min_label="Minimum engagement %", help_key="thresholds.level",
                     message="Engagement levels updated")


def _band_editor(
    key: str,
    section: Section,
    bands: list[tuple[str, float]],
    *,
    name: str,
    min_label: str,
    help_key: str,
    message: str,
) -> None:
    """One band table (a section's grades or levels: a name and a minimum %), edited in place.

    ``help_key`` names the help of the name column; the minimum's help is ``help_key + "_min"``."""
    edit_table(
        key,
        frame([{"name": n, "min": m} for n, m in bands], ["name", "min"]),
        lambda model, rows: editing.set_bands(model, section, rows),
        column_config={
            "name": st.column_config.TextColumn(name, required=True, width=70, help=HELP[help_key]),
            "min": st.column_config.NumberColumn(
                min_label, min_value=0, max_value=100, step=0.5, format="%g %%", required=True,
                help=HELP[help_key + "_min"],
            ),
        },
        message=message,
    )


def _render_states(model: ScoringModel) -> None:
    st.subheader("Action states")
    st.caption("Most sales-ready first. Renaming a state renames it in the grid and in every estimate.")
    edit_table(
        "states",
        frame([{"name": s.name, "action": s.action} for s in model.states], ["name", "action"]),
        lambda model, rows: editing.set_states(model, rows),
        column_config={
            "name": st.column_config.TextColumn("State", required=True, help=HELP["thresholds.state"]),
            "action": st.column_config.TextColumn("What happens", help=HELP["thresholds.action"]),
        },
        message="States updated",
    )


def _render_grid(ws: Workshop) -> None:
    model = ws.model
    st.subheader("The grid")
    with stacking("grid"):
        grid_col, map_col = st.columns([3, 2])
    with grid_col:
        st.caption("Pick the state of each cell: rows are profile grades, columns engagement levels.")
        grid = frame(
            [{"grade": g, **{lvl: model.matrix.get(g + lvl) for lvl in model.levels}} for g in model.grades],
            ["grade", *model.levels],
        )
        edit_table(
            "grid",
            grid,
            lambda now, rows: editing.set_matrix(
                now, {r["grade"] + lvl: r[lvl] for r in rows for lvl in now.levels if r.get(lvl)}
            ),
            column_config={
                "grade": st.column_config.TextColumn("Grade", disabled=True, width=56),
                **{
                    lvl: st.column_config.SelectboxColumn(f"Level {lvl}", options=model.state_names, required=True,
                                                          width=96)
                    for lvl in model.levels
                },
            },
            message="Grid updated",
            dynamic=False,
        )
        knockout_options = model.state_names
        current = model.effective_knockout_state
        chosen = st.selectbox(
            "State of a knocked-out lead",
            knockout_options,
            index=knockout_options.index(current) if current in knockout_options else None,
            key=editor_key("knockout_state"),
            help=HELP["thresholds.state_of_a_knocked_out_lead"],
            disabled=not may("edit"),
        )
        if chosen is not None and chosen != current:
            try_edit(lambda: editing.set_model_fields(model, knockout_state=chosen), "Knockout state updated")
            st.rerun()
        policies = {"zero": "Count as 0", "neutral": "Leave out and rescale"}
        missing = st.segmented_control(
            "A lead without a value for an attribute",
            list(policies),
            format_func=policies.get,
            default=model.missing,
            key=editor_key("missing"),
            help=HELP["thresholds.a_lead_without_a_value_for_an_attribute"],
            disabled=not may("edit"),
        )
        if missing is not None and missing != model.missing:
            try_edit(lambda: editing.set_model_fields(model, missing=missing), "Missing-value rule updated")
            st.rerun()
    with map_col:
        counts = scenario_counts_by_cell(model, ws.results)
        st.plotly_chart(
            figures.grid_heatmap(model, counts),
            key="grid_heatmap",
            config={"displayModeBar": False},
        )
