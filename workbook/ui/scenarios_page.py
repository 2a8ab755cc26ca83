"""The Test scenarios tab: the overview of every scenario, the plot, and the editor of one.

The overview is one table and one figure however many scenarios there are; widgets exist
only for the scenario open in the editor, so a workbook of a hundred scenarios stays quick.
Every change goes through a pure edit of :mod:`workbook.editing`; results come from the
engine (``Workshop.results``), never from the page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from workbook import editing, fmt
from workbook.engine import ScenarioResult
from workbook.model import ScoringModel
from workbook.ui import figures
from workbook.ui.actions import try_edit
from workbook.ui.help import HELP
from workbook.ui.keys import page_key
from workbook.ui.state import StateKeys, Workshop, editor_key, workshop
from workbook.ui.text import md

SELECTED = page_key("scenarios", "selected")  # position of the scenario open in the editor
DISAGREEMENTS_ONLY = page_key("scenarios", "disagreements_only")
NONE_LABEL = "(none)"

ESTIMATE_WORDS = {"profile": "Profile grade", "engagement": "Engagement level", "state": "State"}
OVERVIEW_ESTIMATE_COLUMNS = {"profile": "Est. grade", "engagement": "Est. level", "state": "Est. state"}
MISMATCH_CSS = "background-color: #f8d7da; color: #58151c; font-weight: 600"
AGREE_CSS = "color: #1b7837; font-weight: 600"
AGREES_MARK = {True: "✓", False: "✗", None: "–"}



# --------------------------------------------------------------------------------------------
# Pure helpers (no Streamlit): tested as functions
# --------------------------------------------------------------------------------------------
def member_sentence(result: ScenarioResult) -> str:
    """``2 of 3`` team members whose estimated state matches the model; ``–`` when none estimated."""
    checks = result.member_checks
    return f"{sum(checks.values())} of {len(checks)}" if checks else "–"


def state_text(result: ScenarioResult) -> str:
    """The computed state, marked when a knockout value decided it."""
    state = result.result.state or "–"
    return f"{state} (knockout)" if result.result.knocked_out else state


def overview_frame(results: Sequence[ScenarioResult], *, disagreements_only: bool = False) -> pd.DataFrame:
    """One row per scenario: the team's estimate beside the computed result.

    The index is the scenario's position in the model, so rows keep their number when filtered.
    """
    rows = []
    for i, r in enumerate(results):
        if disagreements_only and r.agrees is not False:
            continue
        est = r.scenario.estimate.given() if r.scenario.estimate else {}
        rows.append(
            {
                "#": i + 1,
                "Scenario": r.name,
                "Agrees": AGREES_MARK[r.agrees],
                **{col: est.get(key) for key, col in OVERVIEW_ESTIMATE_COLUMNS.items()},
                "Profile %": round(r.result.profile_pct, 1),
                "Engagement %": round(r.result.engagement_pct, 1),
                "Cell": r.result.cell,
                "State": state_text(r),
                "Members agreeing": member_sentence(r),
                "_pos": i,
            }
        )
    columns = ["#", "Scenario", "Agrees", *OVERVIEW_ESTIMATE_COLUMNS.values(), "Profile %", "Engagement %", "Cell",
               "State", "Members agreeing", "_pos"]
    df = pd.DataFrame(rows, columns=columns)
    return df.set_index("_pos").rename_axis(None)


def overview_styles(df: pd.DataFrame, results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """CSS per cell of :func:`overview_frame`: estimates that the model contradicts are highlighted."""
    styles = pd.DataFrame("", index=df.index, columns=df.columns)
    for pos in df.index:
        checks = results[pos].checks
        for key, col in OVERVIEW_ESTIMATE_COLUMNS.items():
            if checks.get(key) is False:
                styles.loc[pos, col] = MISMATCH_CSS
        agrees = results[pos].agrees
        if agrees is False:
            styles.loc[pos, ["Agrees", "Cell", "State"]] = MISMATCH_CSS
        elif agrees is True:
            styles.loc[pos, "Agrees"] = AGREE_CSS
    return styles


def mismatches(result: ScenarioResult) -> list[str]:
    """``Profile grade: the team says A, the model says B`` for each estimate that disagrees."""
    est = result.scenario.estimate.given() if result.scenario.estimate else {}
    return [
        f"{ESTIMATE_WORDS[key]}: the team says {est[key]}, the model says {result.computed(key) or '–'}"
        for key, ok in result.checks.items()
        if not ok
    ]


def value_option_text(factor: Any, what: str) -> Callable[[str | None], str]:
    """How a value reads in its selectbox: its label with the share of the weight it earns."""
    scores = {v.label: v for v in factor.values}

    def text(label: str | None) -> str:
        if label is None:
            return NONE_LABEL
        value = scores.get(label)
        if value is None:
            return f"{label} (not a value of this {what})"
        mark = " · knockout" if value.knockout else ""
        return f"{label} ({fmt.pct(value.score)}{mark})"

    return text


def clamp_selection(selected: Any, count: int) -> int | None:
    """A valid scenario position from whatever is stored (``None`` when there are no scenarios)."""
    if count == 0:
        return None
    if not isinstance(selected, int):
        return 0
    return min(max(selected, 0), count - 1)


# --------------------------------------------------------------------------------------------
# Widgets
# --------------------------------------------------------------------------------------------
def _choose(
    label: str,
    options: Sequence[str],
    current: str | None,
    *,
    key: str,
    help: str,
    format_func: Callable[[str | None], str] | None = None,
) -> str | None:
    """A selectbox with "(none)" first; a current value the options lack is kept visible.

    The widget's options are positions in that list, so "(none)" is an ordinary choice and
    any label text (even one reading "(none)") stays distinct.
    """
    choices: list[str | None] = [None, *options]
    if current is not None and current not in options:
        choices.append(current)
    show = format_func or (lambda v: NONE_LABEL if v is None else str(v))
    picked = st.selectbox(
        label,
        range(len(choices)),
        index=choices.index(current),
        key=key,
        help=help,
        format_func=lambda i: show(choices[i]),
    )
    return choices[picked] if picked is not None else current


def _apply(edit: Callable[[], ScoringModel], message: str) -> None:
    try_edit(edit, message)
    st.rerun()


def render_overview(ws: Workshop) -> None:
    """The agreement count, the disagreements filter and the table of every scenario."""
    results = ws.results
    agree = ws.agreement
    head, toggle = st.columns([3, 1], vertical_alignment="center")
    with head:
        text = agree.sentence()
        if agree.rate is not None:
            text += f" ({fmt.pct(agree.rate * 100, 0)})"
        st.markdown(f"**{md(text)}**. Highlighted in red: what the model contradicts.")
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
        column_config={
            "#": st.column_config.NumberColumn("#", width=36, help=HELP["scenarios.number"]),
            "Scenario": st.column_config.TextColumn("Scenario", width=230, help=HELP["scenarios.scenario"]),
            "Est. grade": st.column_config.TextColumn(width=72, help=HELP["scenarios.est_grade"]),
            "Est. level": st.column_config.TextColumn(width=68, help=HELP["scenarios.est_level"]),
            "Est. state": st.column_config.TextColumn(width=100, help=HELP["scenarios.est_state"]),
            "Profile %": st.column_config.NumberColumn(width=72, help=HELP["scenarios.profile_2"]),
            "Engagement %": st.column_config.NumberColumn(width=96, help=HELP["scenarios.engagement_2"]),
            "Cell": st.column_config.TextColumn(
                width=44, help=HELP["scenarios.cell_2"]
            ),
            "State": st.column_config.TextColumn(width=110, help=HELP["scenarios.state_2"]),
            "Agrees": st.column_config.TextColumn(
                width=56,
                help=HELP["scenarios.agrees"],
            ),
            "Members agreeing": st.column_config.TextColumn(
                "Members",
                width=70,
                help=HELP["scenarios.members_agreeing"],
            ),
        },
    )


def _open_row(key: str, positions: list[int]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state[SELECTED] = positions[rows[0]]


def _picked(key: str) -> None:
    st.session_state[SELECTED] = st.session_state[key]


def render_scatter(ws: Workshop, selected: int | None) -> None:
    """Every scenario on the profile % × engagement % plane; the open one is ringed."""
    fig = figures.scenario_scatter(ws.model, ws.results)
    if selected is not None:
        figures.mark_selected(fig, ws.results[selected])
    st.plotly_chart(fig, key=page_key("scenarios", "scatter"), config={"displayModeBar": False})


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

    pick_col, add_col, dup_col, del_col = st.columns([6, 1.3, 1.3, 1.3], vertical_alignment="bottom")
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
                  width="stretch", on_click=_add_scenario)
    if selected is None:
        return None
    with dup_col:
        st.button("Duplicate", icon=":material/content_copy:", key=page_key("scenarios", "duplicate"),
                  help=HELP["scenarios.duplicate"], width="stretch", on_click=_duplicate_scenario, args=(selected,))
    with del_col:
        with st.popover("Delete", icon=":material/delete:", help=HELP["scenarios.delete"], width="stretch"):
            st.markdown(f"Delete scenario {selected + 1}, **{md(results[selected].name)}**?")
            st.button("Delete this scenario", type="primary", key=page_key("scenarios", "delete"),
                      on_click=_delete_scenario, args=(selected,))
    return selected


# Buttons act in callbacks, which run before the page script: a click is never lost to a
# rerun, and the edit applies to the model as it is at the moment of the click.
def _current_model() -> ScoringModel:
    return st.session_state[StateKeys.MODEL]


def _add_scenario() -> None:
    if try_edit(lambda: editing.add_scenario(_current_model()), "Scenario added"):
        st.session_state[SELECTED] = len(_current_model().scenarios) - 1


def _exists(index: int) -> bool:
    return 0 <= index < len(_current_model().scenarios)


def _duplicate_scenario(index: int) -> None:
    if _exists(index) and try_edit(lambda: editing.duplicate_scenario(_current_model(), index), "Scenario duplicated"):
        st.session_state[SELECTED] = index + 1


def _delete_scenario(index: int) -> None:
    if _exists(index) and try_edit(lambda: editing.delete_scenario(_current_model(), index), "Scenario deleted"):
        st.session_state[SELECTED] = max(index - 1, 0)


def render_editor(ws: Workshop, index: int) -> None:
    """The open scenario: its values and estimates on the left, where it lands on the right."""
    model, result = ws.model, ws.results[index]
    left, right = st.columns([3, 2], gap="large")
    with left:
        _render_text(model, index, result)
        _render_values(model, index, result)
        _render_estimates(model, index, result)
        _render_members(model, index, result)
    with right:
        render_result(model, result)
        st.markdown("**Where it sits among all scenarios**")
        render_scatter(ws, index)


def _render_text(model: ScoringModel, index: int, result: ScenarioResult) -> None:
    scenario = result.scenario
    name = st.text_input(
        "Name", value=scenario.name, key=editor_key(f"scenario.{index}.name"), help=HELP["scenarios.name"]
    )
    if name.strip() != scenario.name:
        _apply(lambda: editing.set_scenario_text(model, index, name=name), "Scenario renamed")
    notes = st.text_area(
        "Notes", value=scenario.notes or "", key=editor_key(f"scenario.{index}.notes"), height=80,
        help=HELP["scenarios.notes"],
    )
    if notes.strip() != (scenario.notes or ""):
        _apply(lambda: editing.set_scenario_text(model, index, notes=notes), "Notes saved")


def _render_values(model: ScoringModel, index: int, result: ScenarioResult) -> None:
    st.markdown("**The lead: one value per attribute and activity**")
    columns = st.columns(2)
    sections = (
        ("profile", "ICP attributes", result.result.profile_pct, "attribute"),
        ("engagement", "Activities", result.result.engagement_pct, "activity"),
    )
    for col, (section, title, pct, what) in zip(columns, sections, strict=True):
        with col:
            st.caption(f"{title} · {'profile' if section == 'profile' else 'engagement'} {fmt.pct(pct)}")
            chosen_now = getattr(result.scenario, section)
            factors = model.section(section)
            if not factors:
                st.caption(f"No {what} yet: add them on the {title.split()[0]} weights tab.")
            for j, factor in enumerate(factors):
                current = chosen_now.get(factor.name)
                picked = _choose(
                    md(factor.name),
                    [v.label for v in factor.values],
                    current,
                    key=editor_key(f"scenario.{index}.{section}.{j}"),
                    help=HELP["scenarios.factor_value"].format(weight=fmt.pct(factor.weight), section=section),
                    format_func=value_option_text(factor, what),
                )
                if picked != current:
                    _apply(
                        lambda s=section, f=factor.name, p=picked: editing.set_scenario_value(model, index, s, f, p),
                        f"{factor.name} set to {picked or NONE_LABEL}",
                    )


def _render_estimates(model: ScoringModel, index: int, result: ScenarioResult) -> None:
    st.markdown("**The team's estimate** — where the room thinks this lead belongs")
    estimate = result.scenario.estimate.given() if result.scenario.estimate else {}
    options = {"profile": model.grades, "engagement": model.levels, "state": model.state_names}
    for col, key in zip(st.columns(3), ("profile", "engagement", "state"), strict=True):
        with col:
            current = estimate.get(key)
            picked = _choose(
                ESTIMATE_WORDS[key],
                options[key],
                current,
                key=editor_key(f"scenario.{index}.estimate.{key}"),
                help=HELP[f"scenarios.estimate_{key}"],
            )
            if picked != current:
                _apply(
                    lambda k=key, p=picked: editing.set_scenario_estimate(model, index, k, p),
                    f"Estimated {ESTIMATE_WORDS[key].lower()} set to {picked or NONE_LABEL}",
                )
            computed = result.computed(key) or "–"
            check = result.checks.get(key)
            if check is None:
                st.caption(f"Model: {md(computed)}")
            elif check:
                st.markdown(f":green[:material/check_circle: Model: {md(computed)}]")
            else:
                st.markdown(f":red[:material/cancel: **Model: {md(computed)}**]")


def _render_members(model: ScoringModel, index: int, result: ScenarioResult) -> None:
    st.markdown("**Each member's estimate** — the state each person wrote down")
    if not model.team:
        st.caption("No team members yet: add them on the Team tab.")
        return
    by_member = result.scenario.estimates_by_member
    columns = st.columns(3)
    for k, member in enumerate(model.team):
        with columns[k % 3]:
            current = by_member.get(member.name)
            check = result.member_checks.get(member.name)
            mark = "" if check is None else (" :green[✓]" if check else " :red[✗]")
            picked = _choose(
                md(member.name) + mark,
                model.state_names,
                current,
                key=editor_key(f"scenario.{index}.member.{k}"),
                help=HELP["scenarios.member"],
            )
            if picked != current:
                _apply(
                    lambda m=member.name, p=picked: editing.set_member_estimate(model, index, m, p),
                    f"{member.name}'s estimate set to {picked or NONE_LABEL}",
                )
    others = [m for m in by_member if m not in {t.name for t in model.team}]
    if others:
        st.caption("Also estimated by people no longer on the team: " + md(", ".join(others)))


def render_result(model: ScoringModel, result: ScenarioResult) -> None:
    """Where the model puts the scenario, whether the team agrees, and why."""
    r = result.result
    st.markdown("**Where the model puts this lead**")
    m1, m2 = st.columns(2)
    m3, m4 = st.columns([1, 2])
    m1.metric("Profile", fmt.pct(r.profile_pct), help=HELP["scenarios.profile"])
    m2.metric("Engagement", fmt.pct(r.engagement_pct), help=HELP["scenarios.engagement"])
    m3.metric("Cell", md(r.cell or "–"), help=HELP["scenarios.cell"])
    m4.metric("State", md(r.state or "–"), help=HELP["scenarios.state"])
    if r.knocked_out:
        st.warning(
            f"Knocked out by {md('; '.join(r.knockouts))}: the state is {md(r.state or '–')} whatever the cell.",
            icon=":material/block:",
        )
    if result.agrees is None:
        st.info("No estimate yet: enter the team's estimate to compare it with the model.", icon=":material/info:")
    elif result.agrees:
        st.success("Agrees: every estimate the team gave matches the model.", icon=":material/check_circle:")
    else:
        st.error("\n".join(f"- {md(m)}" for m in mismatches(result)), title="Disagrees", icon=":material/cancel:")
    st.markdown("**Why it lands there** — points per attribute and activity")
    st.plotly_chart(
        figures.contributions_bar(r),
        key=page_key("scenarios", "contributions"),
        config={"displayModeBar": False},
    )


def render() -> None:
    """The Test scenarios tab."""
    ws = workshop()

    st.header("Test scenarios")
    st.caption(
        "Describe realistic leads, say where the team thinks each belongs, and compare with where the model "
        "puts it. Where they differ, adjust weights or thresholds until the model says what the room believes."
    )

    render_overview(ws)

    st.subheader("One scenario")
    index = pick_scenario(ws)
    if index is not None:
        render_editor(ws, index)
