"""The Test scenarios tab's editor of one scenario: its text, values, estimates and members'
estimates on the left; where the model puts it, and why, on the right.

Every change goes through a pure edit of :mod:`workbook.editing`; results come from the
engine (``Workshop.results``), never from the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from workbook import editing, fmt
from workbook.engine import ScenarioResult
from workbook.model import ScoringModel
from workbook.ui import figures
from workbook.ui.actions import try_edit
from workbook.ui.components.scenario_text import ESTIMATE_WORDS, NONE_LABEL, mismatches, value_option_text
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import page_key
from workbook.ui.state import Workshop, editor_key
from workbook.ui.style import stacking
from workbook.ui.text import md


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
        disabled=not may("edit"),
    )
    return choices[picked] if picked is not None else current


def _apply(edit: Callable[[], ScoringModel], message: str) -> None:
    try_edit(edit, message)
    st.rerun()


def render_editor(ws: Workshop, index: int) -> None:
    """The open scenario: its values and estimates on the left, where it lands on the right."""
    model, result = ws.model, ws.results[index]
    with stacking("scenario"):
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
        "Name", value=scenario.name, key=editor_key(f"scenario.{index}.name"), help=HELP["scenarios.name"],
        disabled=not may("edit"),
    )
    if name.strip() != scenario.name:
        _apply(lambda: editing.set_scenario_text(model, index, name=name), "Scenario renamed")
    notes = st.text_area(
        "Notes", value=scenario.notes or "", key=editor_key(f"scenario.{index}.notes"), height=80,
        help=HELP["scenarios.notes"], disabled=not may("edit"),
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


def render_scatter(ws: Workshop, selected: int | None) -> None:
    """Every scenario on the profile % × engagement % plane; the open one is ringed."""
    fig = figures.scenario_scatter(ws.model, ws.results)
    if selected is not None:
        figures.mark_selected(fig, ws.results[selected])
    st.plotly_chart(fig, key=page_key("scenarios", "scatter"), config={"displayModeBar": False})
