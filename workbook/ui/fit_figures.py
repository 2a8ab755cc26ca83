"""Plotly figures of the "Learn from outcomes" page. Pure builders: results in, figure out.

Kept apart from :mod:`workbook.ui.figures` (another engineer's file) but built the same way:
no Streamlit here, every text that came from a lead list or a workbook (column names, values,
state names) goes through :func:`_escape` before it reaches a label or a hover, because Plotly
renders a subset of HTML there.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from workbook import fmt

CURRENT_COLOUR, SUGGESTED_COLOUR, CEILING_COLOUR = "#7f7f7f", "#2166ac", "#b2abd2"
GOOD_COLOUR, BAD_COLOUR = "#1b7837", "#d6604d"
STAGE_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"]


def _escape(text: object) -> str:
    """Plotly renders a subset of HTML in labels and hovers: show what people typed as text."""
    return html.escape(str(text), quote=True)


def _layout(fig: go.Figure, *, height: int, title: str = "") -> go.Figure:
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 10},
        title={"text": _escape(title)} if title else None,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0}, bargap=0.25,
    )
    return fig


def _pct_text(rate: float | None) -> str:
    return "–" if rate is None else fmt.pct(100 * rate, 1)


# --------------------------------------------------------------------------------------------
# The suggestion
# --------------------------------------------------------------------------------------------
def auc_bars(current: float | None, suggested: float | None, ceiling: float | None) -> go.Figure:
    """Held-out AUC of the current model, the suggestion and the ceiling, side by side."""
    names = ["Current model", "Suggestion", "Ceiling (regression)"]
    values = [current, suggested, ceiling]
    fig = go.Figure(go.Bar(
        x=[v if v is not None else 0 for v in values], y=names, orientation="h",
        marker_color=[CURRENT_COLOUR, SUGGESTED_COLOUR, CEILING_COLOUR],
        text=[f"AUC {v:.2f}" if v is not None else "–" for v in values], textposition="auto",
        hovertemplate="%{y}: AUC %{x:.3f}<extra></extra>",
    ))
    fig.add_vline(x=0.5, line_dash="dash", line_color="#999999")
    fig.update_xaxes(range=[0, 1], title="Held-out AUC (dashed: 0.5, random order)")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, height=220)


def state_conversion_compare(names: Sequence[str], current: Sequence, suggested: Sequence,
                             *, labels: tuple[str, str] = ("Current model", "Suggestion")) -> go.Figure:
    """Conversion per state for two models (Groups of :func:`workbook.leads.outcome_report`)."""
    fig = go.Figure()
    for label, groups, colour in ((labels[0], current, CURRENT_COLOUR), (labels[1], suggested, SUGGESTED_COLOUR)):
        by = {g.name: g for g in groups}
        rates = [by[n].rate if n in by and by[n].rate is not None else None for n in names]
        counts = [by[n].known if n in by and by[n].known is not None else 0 for n in names]
        fig.add_bar(
            name=_escape(label), x=[_escape(n) for n in names], y=[100 * r if r is not None else None for r in rates],
            marker_color=colour, text=[_pct_text(r) for r in rates], textposition="outside",
            customdata=counts,
            hovertemplate="%{x}: %{y:.1f} % converted of %{customdata:,} leads<extra>" + _escape(label) + "</extra>",
        )
    fig.update_yaxes(title="Conversion rate (%)", rangemode="tozero")
    fig.update_layout(barmode="group")
    return _layout(fig, height=320)


def value_evidence(attribute: str, rows: Sequence) -> go.Figure:
    """One attribute's values: conversion rate with its 95 % interval, and the scores now and suggested.

    ``rows`` are :class:`workbook.leads.suggestion.ValueSuggestion` of one attribute.
    """
    from plotly.subplots import make_subplots

    labels = [_escape(r.label) for r in rows]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("Conversion rate, 95 % interval", "Score: now and suggested"))
    rates = [100 * r.rate if r.rate is not None else None for r in rows]
    lo = [100 * (r.rate - r.ci_low) if r.rate is not None and r.ci_low is not None else 0 for r in rows]
    hi = [100 * (r.ci_high - r.rate) if r.rate is not None and r.ci_high is not None else 0 for r in rows]
    fig.add_trace(go.Bar(
        x=rates, y=labels, orientation="h", marker_color="#9ecae1", showlegend=False,
        error_x={"type": "data", "symmetric": False, "array": hi, "arrayminus": lo, "color": "#444444"},
        customdata=[[r.leads, r.conversions] for r in rows],
        hovertemplate="%{y}: %{x:.1f} % (%{customdata[1]:,} of %{customdata[0]:,} leads)<extra></extra>",
    ), row=1, col=1)
    fig.add_trace(go.Bar(x=[r.current for r in rows], y=labels, orientation="h", name="Score now",
                         marker_color=CURRENT_COLOUR, hovertemplate="%{y}: %{x:.0f} now<extra></extra>"),
                  row=1, col=2)
    fig.add_trace(go.Bar(x=[r.suggested for r in rows], y=labels, orientation="h", name="Suggested",
                         marker_color=SUGGESTED_COLOUR,
                         hovertemplate="%{y}: %{x:.0f} suggested<extra></extra>"), row=1, col=2)
    fig.update_xaxes(title="%", rangemode="tozero", row=1, col=1)
    fig.update_xaxes(title="points", range=[-105, 105], row=1, col=2)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="group")
    for annotation in fig.layout.annotations:
        annotation.font = {"size": 12}
    _layout(fig, height=max(240, 110 + 34 * len(rows)), title=attribute)
    fig.update_layout(legend={"y": -0.25, "yanchor": "top", "x": 0.55}, margin={"b": 40})
    return fig


def weights_compare(rows: Sequence) -> go.Figure:
    """Weights now and suggested (:class:`workbook.leads.suggestion.AttributeWeight` of one section)."""
    names = [_escape(w.name) for w in rows]
    fig = go.Figure()
    fig.add_bar(name="Weight now", y=names, x=[w.current for w in rows], orientation="h",
                marker_color=CURRENT_COLOUR, hovertemplate="%{y}: %{x:.0f} % now<extra></extra>")
    fig.add_bar(name="Suggested", y=names, x=[w.suggested for w in rows], orientation="h",
                marker_color=SUGGESTED_COLOUR, hovertemplate="%{y}: %{x:.0f} % suggested<extra></extra>")
    fig.update_xaxes(title="Weight (%)", rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="group")
    return _layout(fig, height=max(200, 60 + 40 * len(rows)))


# --------------------------------------------------------------------------------------------
# Funnel, sales acceptance, champion vs challenger
# --------------------------------------------------------------------------------------------
def funnel_by_state(stages: Sequence[str], states: Sequence) -> go.Figure:
    """Per state, the share of its leads that reached each stage (:class:`FunnelGroup`)."""
    shown = [g for g in states if g.leads]
    fig = go.Figure()
    for i, stage in enumerate(stages):
        fig.add_bar(
            name=_escape(stage), x=[_escape(g.name or "(no state)") for g in shown],
            y=[100 * g.conversion()[i] for g in shown],
            marker_color=STAGE_COLOURS[max(0, len(STAGE_COLOURS) - len(stages) + i)],  # the win darkest
            customdata=[[g.reached[i], g.leads] for g in shown],
            hovertemplate="%{x}: %{y:.1f} % reached " + _escape(stage)
            + " (%{customdata[0]:,} of %{customdata[1]:,})<extra></extra>",
        )
    fig.update_yaxes(title="Reached the stage (% of the state's leads)", rangemode="tozero")
    fig.update_layout(barmode="group")
    return _layout(fig, height=340)


def acceptance_by_state(states: Sequence) -> go.Figure:
    """Per state, the share of delivered leads sales accepted (:class:`AcceptanceGroup`)."""
    shown = [g for g in states if g.delivered]
    fig = go.Figure(go.Bar(
        x=[_escape(g.name or "(no state)") for g in shown], y=[100 * g.rate for g in shown],
        marker_color=GOOD_COLOUR, text=[_pct_text(g.rate) for g in shown], textposition="outside",
        customdata=[[g.accepted, g.delivered] for g in shown],
        hovertemplate="%{x}: %{y:.1f} % accepted (%{customdata[0]:,} of %{customdata[1]:,})<extra></extra>",
    ))
    fig.update_yaxes(title="Accepted by sales (%)", range=[0, 110])
    return _layout(fig, height=300)


def movement_heatmap(rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]],
                     champion: str, challenger: str) -> go.Figure:
    """How many leads move from each champion state (rows) to each challenger state (columns)."""
    fig = go.Figure(go.Heatmap(
        z=counts, x=[_escape(c) for c in columns], y=[_escape(r) for r in rows], colorscale="Blues",
        text=[[f"{n:,}" for n in row] for row in counts], texttemplate="%{text}", showscale=False,
        hovertemplate="%{y} → %{x}: %{z:,} leads<extra></extra>",
    ))
    fig.update_xaxes(title=_escape(f"{challenger} (challenger)"), side="top")
    fig.update_yaxes(title=_escape(f"{champion} (champion)"), autorange="reversed")
    return _layout(fig, height=max(220, 90 + 45 * len(rows)))


def workload_bars(champion: str, challenger: str, champion_leads: int, challenger_leads: int,
                  capacity: int | None) -> go.Figure:
    """The leads each model sends to sales, against the SDR capacity when it is given."""
    names = [_escape(f"{champion} (champion)"), _escape(f"{challenger} (challenger)")]
    values = [champion_leads, challenger_leads]
    colours = [CURRENT_COLOUR, SUGGESTED_COLOUR]
    if capacity is not None:
        colours = [BAD_COLOUR if v > capacity else c for v, c in zip(values, colours, strict=True)]
    fig = go.Figure(go.Bar(x=values, y=names, orientation="h", marker_color=colours,
                           text=[f"{v:,}" for v in values], textposition="auto",
                           hovertemplate="%{y}: %{x:,} leads to sales<extra></extra>"))
    if capacity is not None:
        fig.add_vline(x=capacity, line_dash="dash", line_color=BAD_COLOUR,
                      annotation_text=f"capacity {capacity:,}", annotation_position="top")
    fig.update_xaxes(title="Leads sent to sales", rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, height=200)
