"""Plotly figures for the workshop pages. Pure builders: model and results in, figure out.

They import no Streamlit, so they are tested as plain functions; pages only display them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from workbook import fmt
from workbook.engine import LeadResult, ScenarioResult
from workbook.model import ScoringModel

# Ordered from most to least sales-ready; readable for colour-blind viewers.
STATE_COLOURS = ["#1b7837", "#7fbf7b", "#f4a582", "#bababa", "#762a83", "#c2a5cf", "#2166ac", "#d6604d"]
AGREE_COLOUR, DISAGREE_COLOUR, NO_ESTIMATE_COLOUR = "#1b7837", "#d6604d", "#808080"


def state_colours(model: ScoringModel) -> dict[str, str]:
    return {name: STATE_COLOURS[i % len(STATE_COLOURS)] for i, name in enumerate(model.state_names)}


def grid_heatmap(
    model: ScoringModel,
    counts: Mapping[str, int] | None = None,
    *,
    count_label: str = "scenario(s)",
    title: str = "",
) -> go.Figure:
    """The grade × level grid coloured by state, each cell showing its state and count."""
    states = model.state_names
    grades, levels = model.grades, model.levels
    n = max(len(states), 1)
    z, text = [], []
    for g in grades:
        row_z, row_t = [], []
        for lvl in levels:
            cell = g + lvl
            state = model.matrix.get(cell)
            row_z.append(states.index(state) if state in states else None)
            label = f"<b>{cell}</b><br>{_escape(state or '–')}"
            if counts is not None:
                label += f"<br>{counts.get(cell, 0):,} {count_label}"
            row_t.append(label)
        z.append(row_z)
        text.append(row_t)
    colours = [STATE_COLOURS[i % len(STATE_COLOURS)] for i in range(n)]
    scale = []
    for i, c in enumerate(colours):
        scale += [(i / n, c), ((i + 1) / n, c)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"Level {lvl}" for lvl in levels],
            y=[f"Grade {g}" for g in grades],
            text=text,
            texttemplate="%{text}",
            hoverinfo="text",
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    fig.update_layout(title=title or None, height=80 + 70 * max(len(grades), 1), margin=dict(l=10, r=10, t=40, b=10))
    return fig


def weights_bar(names: Sequence[str], weights: Sequence[float], *, title: str) -> go.Figure:
    """Horizontal bars of a section's weights, largest first, with the total in the title."""
    pairs = sorted(zip(names, weights, strict=True), key=lambda p: p[1])
    total = sum(weights)
    fig = go.Figure(
        go.Bar(
            x=[w for _, w in pairs],
            y=[_escape(n) for n, _ in pairs],
            orientation="h",
            text=[fmt.pct(w) for _, w in pairs],
            textposition="auto",
            marker_color="#2166ac",
        )
    )
    fig.update_layout(
        title=f"{title} — total {fmt.pct(total, 2)}",
        xaxis_title="Weight (%)",
        height=120 + 32 * max(len(names), 1),
        margin=dict(l=10, r=10, t=40, b=10),
    )
    return fig


def scenario_scatter(model: ScoringModel, results: Sequence[ScenarioResult]) -> go.Figure:
    """Scenarios on the profile % × engagement % plane, with the threshold lines and state regions."""
    fig = go.Figure()
    colours = state_colours(model)
    grades, levels = model.profile_grades, model.engagement_levels
    # State regions: one rectangle per cell, coloured by its state.
    g_edges = [100.0] + [b.min for b in grades[:-1]] + [0.0] if grades else []
    l_edges = [100.0] + [b.min for b in levels[:-1]] + [0.0] if levels else []
    for gi, g in enumerate(grades):
        for li, lvl in enumerate(levels):
            state = model.matrix.get(g.grade + lvl.level)
            fig.add_shape(
                type="rect",
                x0=g_edges[gi + 1], x1=g_edges[gi],
                y0=l_edges[li + 1], y1=l_edges[li],
                fillcolor=colours.get(state, "#ffffff"), opacity=0.18, line_width=0, layer="below",
            )
    for b in grades[:-1]:
        fig.add_vline(x=b.min, line_dash="dot", line_color="#555",
                      annotation_text=f"{_escape(b.grade)} ≥ {fmt.number(b.min)}", annotation_position="top")
    for b in levels[:-1]:
        fig.add_hline(y=b.min, line_dash="dot", line_color="#555",
                      annotation_text=f"{_escape(b.level)} ≥ {fmt.number(b.min)}", annotation_position="right")
    groups = (
        ("Agrees", True, AGREE_COLOUR, "circle"),
        ("Disagrees", False, DISAGREE_COLOUR, "x"),
        ("No estimate", None, NO_ESTIMATE_COLOUR, "circle-open"),
    )
    for label, flag, colour, symbol in groups:
        members = [r for r in results if r.agrees is flag]
        if not members:
            continue
        fig.add_trace(
            go.Scatter(
                x=[r.result.profile_pct for r in members],
                y=[r.result.engagement_pct for r in members],
                mode="markers",
                name=label,
                marker=dict(color=colour, size=12, symbol=symbol, line=dict(width=1, color="#222")),
                text=[_hover(r) for r in members],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        xaxis=dict(title="Profile % (fit)", range=[-2, 102]),
        yaxis=dict(title="Engagement %", range=[-2, 102]),
        height=520,
        legend=dict(orientation="h", y=-0.15),
        margin=dict(l=10, r=10, t=30, b=10),
    )
    return fig


def _hover(r: ScenarioResult) -> str:
    est = r.scenario.estimate.given() if r.scenario.estimate else {}
    lines = [
        f"<b>{_escape(r.name)}</b>",
        f"Profile {fmt.pct(r.result.profile_pct)} · Engagement {fmt.pct(r.result.engagement_pct)}",
        f"Computed {r.result.cell or '–'}: {_escape(r.result.state or '–')}",
    ]
    if est.get("state"):
        lines.append(f"Estimated: {_escape(est['state'])}")
    return "<br>".join(lines)


def contributions_bar(result: LeadResult, *, title: str = "") -> go.Figure:
    """Why a lead landed where it did: each attribute's and activity's points, by section."""
    fig = go.Figure()
    for section, score, colour in (
        ("Profile", result.profile, "#2166ac"),
        ("Engagement", result.engagement, "#b2182b"),
    ):
        contribs = list(score.contributions)
        fig.add_trace(
            go.Bar(
                x=[c.points for c in contribs],
                y=[f"{_escape(c.name)} = {_escape(c.value) if c.value is not None else '(missing)'}"
                   for c in contribs],
                orientation="h",
                name=f"{section}: {fmt.pct(score.pct)}",
                marker_color=colour,
                text=[fmt.points(c.points) for c in contribs],
                textposition="auto",
            )
        )
    n = len(result.contributions)
    fig.update_layout(
        title=title or None,
        xaxis_title="Percentage points",
        barmode="group",
        height=140 + 28 * max(n, 1),
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=-0.2),
    )
    fig.update_yaxes(autorange="reversed")
    return fig


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in labels: show what people typed as text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ============================================================================================
# ICP weights and Activity weights pages (issue 3)
# ============================================================================================
POSITIVE_COLOUR, NEGATIVE_COLOUR, KNOCKOUT_COLOUR = "#2166ac", "#b2182b", "#762a83"


def value_scores_bar(
    labels: Sequence[str],
    scores: Sequence[float],
    knockouts: Sequence[bool],
    *,
    points: Sequence[float] | None = None,
) -> go.Figure:
    """One attribute's values in their order (tried first on top): each value's score, -100..100.

    ``points`` (from the engine) adds what each value earns in percentage points of the
    section. A knockout value is drawn in its own colour and marked, whatever its score.
    """
    texts, colours = [], []
    for i, (score, knockout) in enumerate(zip(scores, knockouts, strict=True)):
        text = fmt.pct(score)
        if points is not None:
            text += f" · {fmt.points(points[i])}"
        texts.append(text)
        colours.append(KNOCKOUT_COLOUR if knockout else NEGATIVE_COLOUR if score < 0 else POSITIVE_COLOUR)
    # A zero score draws no bar: the label itself says "knockout".
    names = [_escape(label) + (" · knockout" if ko else "") for label, ko in zip(labels, knockouts, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=list(scores),
            y=names,
            orientation="h",
            marker_color=colours,
            hoverinfo="text",
            hovertext=[f"{_escape(label)}: {text}" for label, text in zip(labels, texts, strict=True)],
        )
    )
    # The numbers go right of the bar's end, or right of zero for a negative bar, so they never
    # cover the value names. One text trace: far cheaper to build than an annotation per value.
    fig.add_trace(
        go.Scatter(
            x=[max(score, 0) + 2 for score in scores],
            y=names,
            mode="text",
            text=texts,
            textposition="middle right",
            textfont=dict(size=11),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    low = -100 if any(s < 0 for s in scores) else 0
    # Room on the right for the text of a full (100) bar.
    fig.update_xaxes(range=[low, 160], tickvals=[v for v in (-100, -50, 0, 50, 100) if v >= low],
                     title="Score (% of the weight earned)")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=90 + 28 * max(len(labels), 1), margin=dict(l=10, r=10, t=10, b=10))
    return fig


# ============================================================================================
# Test scenarios page (issue 3)
# ============================================================================================
SELECTED_COLOUR = "#2166ac"


def mark_selected(fig: go.Figure, selected: ScenarioResult) -> go.Figure:
    """Ring the scenario open in the editor on a :func:`scenario_scatter` figure (in place)."""
    fig.add_trace(
        go.Scatter(
            x=[selected.result.profile_pct],
            y=[selected.result.engagement_pct],
            mode="markers",
            name="Open in the editor",
            marker=dict(size=24, symbol="circle-open", color=SELECTED_COLOUR, line=dict(width=3)),
            text=[_hover(selected)],
            hoverinfo="text",
        )
    )
    return fig
