"""The Lead list tab's reports of a scored list: spread over the grid, volumes against the SDR
team's capacity, data quality, and conversion with a known outcome.

Every figure comes from the core's reports (:mod:`workbook.leads.reports`); nothing here
scores a lead. Lead-list text is shown in dataframes, figures or through ``md()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from workbook import fmt
from workbook.leads import Outcome, outcome_report
from workbook.leads.mapping import MapRow
from workbook.leads.reports import Distribution
from workbook.model import ScoringModel
from workbook.ui import figures
from workbook.ui.help import HELP
from workbook.ui.keys import page_key
from workbook.ui.leads_state import NO_OUTCOME, Keys, LoadedList, Scoring
from workbook.ui.state import Workshop
from workbook.ui.text import md

MOSTLY_UNMATCHED = 0.5  # an attribute whose cells mostly match no value gets a warning


def per_week(dist: Distribution, weeks: float) -> dict[str, float]:
    """Leads per state per week (states in the model's order; leads without a state left out)."""
    return {g.name: g.count / weeks for g in dist.states if g.name is not None}


def default_worked(model: ScoringModel) -> list[str]:
    """The states the SDR team works by default: the two most sales-ready (one with fewer than 3 states)."""
    names = model.state_names
    return names[:2] if len(names) >= 3 else names[:1]


def _raw(value: object) -> str:
    if value is None:
        return "(empty)"
    text = str(value)
    return "(empty)" if not text.strip() else text


def top_values_text(top: Sequence[tuple[object, int]]) -> str:
    return " · ".join(f"{_raw(v)} ({c:,})" for v, c in top)


def render_distribution(ws: Workshop, result: Scoring) -> None:
    dist = result.distribution
    st.subheader("Where the leads land")
    states = [g for g in dist.states if g.name is not None]
    if states:
        for column, g in zip(st.columns(len(states)), states, strict=True):
            column.metric(md(g.name), f"{g.count:,}", f"{figures.share_text(g.share)} of the list",
                          delta_color="off", delta_arrow="off")
    knocked = int(result.frame["knocked_out"].sum())
    if knocked:
        st.caption(md(f"{fmt.count(knocked, 'lead')} knocked out (a knockout value sends them to "
                      f"{ws.model.effective_knockout_state}, whatever their cell)."))
    if any(g.name is None and g.count for g in dist.cells):
        st.warning("Some leads have no cell: the model's grades or levels are incomplete (see the Thresholds tab).",
                   icon=":material/warning:")
    st.markdown("**Leads per cell: count · share of the list**")
    st.plotly_chart(
        figures.lead_grid_heatmap(ws.model, dist.cells),
        key=page_key("leads", "grid"), config={"displayModeBar": False},
    )


def render_capacity(ws: Workshop, result: Scoring) -> None:
    model = ws.model
    st.subheader("Volumes against sales capacity")
    a, b, c = st.columns(3)
    capacity = a.number_input("Leads per week your SDR team can take", min_value=0, value=None, step=10,
                              key=Keys.CAPACITY, help=HELP["leads.capacity"], placeholder="not given")
    weeks = b.number_input("Weeks this list covers", min_value=1, value=1, step=1, key=Keys.WEEKS,
                           help=HELP["leads.weeks"])
    worked = c.multiselect("States the SDR team works", model.state_names, default=default_worked(model),
                           key=Keys.worked(model), help=HELP["leads.worked"])
    weekly = per_week(result.distribution, weeks)
    table = pd.DataFrame(
        [{"State": g.name, "Leads": g.count, "Share": 100 * g.share, "Per week": g.count / weeks,
          "SDR team": g.name in worked}
         for g in result.distribution.states if g.name is not None]
    )
    left, right = st.columns([2, 3])
    left.dataframe(
        table, hide_index=True, width="stretch", key=page_key("leads", "volumes"),
        column_config={
            "Leads": st.column_config.NumberColumn(format="localized"),
            "Share": st.column_config.NumberColumn(format="%.1f %%"),
            "Per week": st.column_config.NumberColumn(format="localized",
                                                      help=HELP["leads.per_week"]),
            "SDR team": st.column_config.CheckboxColumn(help=HELP["leads.worked"]),
        },
    )
    right.plotly_chart(
        figures.state_volume_bar(model, weekly, worked=worked, capacity=capacity),
        key=page_key("leads", "volume_bar"), config={"displayModeBar": False},
    )
    if capacity is None or not worked:
        return
    total = sum(weekly.get(s, 0.0) for s in worked)
    names = " + ".join(worked)
    if total > capacity:
        over = total - capacity
        ratio = fmt.pct(100 * total / capacity, 0) if capacity else "more than all"
        st.error(md(
            f"Over capacity: {names} bring {fmt.number(total, 0)} leads a week; your SDR team can take "
            f"{fmt.number(capacity, 0)}. That is {fmt.number(over, 0)} a week too many ({ratio} of capacity): "
            "raise the thresholds, move cells to Nurture, or plan more people."
        ), icon=":material/priority_high:")
    else:
        st.success(md(
            f"Within capacity: {names} bring {fmt.number(total, 0)} leads a week, "
            f"{fmt.pct(100 * total / capacity, 0) if capacity else '–'} of the {fmt.number(capacity, 0)} "
            "your SDR team can take."
        ), icon=":material/check_circle:")


def render_quality(ws: Workshop, result: Scoring, rows: Sequence[MapRow]) -> None:
    st.subheader("Data quality")
    st.caption(
        "Per attribute and activity: the leads whose cell matched none of its values, so the attribute counts "
        "as missing for them, and the most common of those cells. Add values or match rules for them on the "
        "ICP weights and Activity weights tabs."
    )
    mapped = {r.needed: (r.chosen or "(no column)") for r in rows}
    section = {"profile": "ICP attribute", "engagement": "Activity"}
    table = pd.DataFrame(
        [{"Kind": section.get(u.section, u.section), "Name": u.name, "Column": mapped.get(u.column, u.column),
          "No match": u.count, "Share": 100 * u.share, "Most common unmatched cells": top_values_text(u.top_values)}
         for u in result.scored.unmatched],
        columns=["Kind", "Name", "Column", "No match", "Share", "Most common unmatched cells"],
    )
    st.dataframe(
        table, hide_index=True, width="stretch", height="content", key=page_key("leads", "quality"),
        column_config={
            "Column": st.column_config.TextColumn(help=HELP["leads.column"]),
            "No match": st.column_config.NumberColumn(format="localized", help=HELP["leads.no_match"]),
            "Share": st.column_config.NumberColumn(format="%.1f %%", help=HELP["leads.share"]),
        },
    )
    mostly = [u for u in result.scored.unmatched if u.share > MOSTLY_UNMATCHED]
    if mostly:
        listed = "; ".join(f"{u.name} ({figures.share_text(u.share)})" for u in mostly)
        st.warning(md(f"Mostly unmatched — these count as missing for most leads: {listed}. Check the column "
                      "mapping and the values' match rules."), icon=":material/warning:")


def render_outcome(ws: Workshop, loaded: LoadedList, result: Scoring) -> Outcome | None:
    model = ws.model
    st.subheader("Outcome: conversion per cell and state")
    columns = [str(c) for c in loaded.frame.columns]
    options = [NO_OUTCOME, *columns]
    default = options.index("Converted") if "Converted" in columns else 0
    column = st.selectbox("Outcome column", options, index=default, key=Keys.outcome(loaded.digest),
                          help=HELP["leads.outcome"])
    if column == NO_OUTCOME:
        st.caption("Pick a column that says whether each lead converted to see how well the grid sorts them.")
        return None
    report = outcome_report(model, result.frame, column)
    a, b, c, d = st.columns(4)
    a.metric("Leads with a known outcome", f"{report.known:,}")
    b.metric("Converted", f"{report.converted:,}")
    c.metric("Base rate", fmt.pct(100 * report.base_rate) if report.base_rate is not None else "–",
             help=HELP["leads.base_rate"])
    d.metric("Unknown outcome", f"{report.rows - report.known:,}")
    if report.unknown_values:
        st.caption(md("Unknown outcomes (left out of the rates): " + top_values_text(report.unknown_values) + "."))
    if not report.known:
        st.warning(md(f"No cell of '{column}' reads as converted or not (1/0, yes/no, true/false)."),
                   icon=":material/warning:")
        return report
    states = pd.DataFrame(
        [{"State": g.name if g.name is not None else "(no state)", "Leads": g.count, "Known outcome": g.known,
          "Converted": g.converted, "Rate": 100 * g.rate if g.rate is not None else None, "Lift": g.lift}
         for g in report.states if g.count],
    )
    left, right = st.columns([3, 2])
    left.dataframe(
        states, hide_index=True, width="stretch", key=page_key("leads", "outcome_states"),
        column_config={
            "Leads": st.column_config.NumberColumn(format="localized"),
            "Known outcome": st.column_config.NumberColumn(format="localized"),
            "Converted": st.column_config.NumberColumn(format="localized"),
            "Rate": st.column_config.NumberColumn("Conversion rate", format="%.1f %%",
                                                  help=HELP["leads.rate"]),
            "Lift": st.column_config.NumberColumn(format="%.2f×", help=HELP["leads.lift"]),
        },
    )
    right.plotly_chart(figures.state_rate_bar(model, report.states, report.base_rate),
                       key=page_key("leads", "rate_bar"), config={"displayModeBar": False})
    st.markdown("**Conversion rate per cell**: converted of the leads with a known outcome")
    st.plotly_chart(figures.rate_grid_heatmap(model, report.cells), key=page_key("leads", "rate_grid"),
                    config={"displayModeBar": False})
    st.markdown("**Capture: how many conversions the hottest cells hold**")
    st.caption(
        "Working the leads from the hottest cell (most sales-ready state, A1 first) to the coldest: the share of "
        "all conversions caught against the share of leads worked. The dashed diagonal is random order, the "
        "base rate everywhere; the higher the curve above it, the better the model sorts. Leads with an "
        "unknown outcome are left out."
    )
    st.plotly_chart(figures.capture_chart(model, report.cells), key=page_key("leads", "capture"),
                    config={"displayModeBar": False})
    st.page_link("pages/fit.py", label="Learn from outcomes: let this list suggest scores, weights and thresholds",
                 icon=":material/model_training:", help=HELP["leads.fit_link"])
    return report
