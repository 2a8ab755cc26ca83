"""Plotly figures for the workshop pages. Pure builders: model and results in, figure out.

They import no Streamlit, so they are tested as plain functions; pages only display them.
Every figure of the app is built here (tests/ui check that no page builds its own), which is why
the module is longer than the others: one home for figures beats one per page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from workbook import fmt
from workbook.calibrate import Alignment
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
    count_label: tuple[str, str] = ("scenario", "scenarios"),
    title: str = "",
) -> go.Figure:
    """The grade × level grid coloured by state, each cell showing its state and count."""
    states = model.state_names
    n = max(len(states), 1)
    z, text = [], []
    for g in model.grades:
        row_z, row_t = [], []
        for lvl in model.levels:
            cell = g + lvl
            state = model.matrix.get(cell)
            row_z.append(states.index(state) if state in states else None)
            label = f"<b>{_escape(cell)}</b><br>{_escape(state or '–')}"
            if counts is not None:
                label += f"<br>{_escape(fmt.count(counts.get(cell, 0), *count_label))}"
            row_t.append(label)
        z.append(row_z)
        text.append(row_t)
    colouring = dict(colorscale=_stepped_scale([STATE_COLOURS[i % len(STATE_COLOURS)] for i in range(n)]),
                     zmin=-0.5, zmax=n - 0.5, showscale=False)
    return _grid_figure(model, z, text, colouring, title=title, height=(80, 70), top=40)


def _grid_figure(
    model: ScoringModel,
    z: list[list],
    text: list[list[str]],
    colouring: dict,
    *,
    title: str,
    height: tuple[int, int],
    top: int,
) -> go.Figure:
    """The grade × level grid as a heatmap, grades down and levels across, a label in every cell.

    Every grid figure is drawn here; what colours the cells (``colouring``: the heatmap's colour
    scale, range and colour bar) is the caller's. ``height`` is (fixed part, per grade row);
    ``top`` the top margin."""
    grades, levels = model.grades, model.levels
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"Level {_escape(lvl)}" for lvl in levels],
            y=[f"Grade {_escape(g)}" for g in grades],
            text=text,
            texttemplate="%{text}",
            hoverinfo="text",
            xgap=3,
            ygap=3,
            **colouring,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    fig.update_layout(title=_escape(title) or None, height=height[0] + height[1] * max(len(grades), 1),
                      margin=dict(l=10, r=10, t=top, b=10))
    return fig


def _stepped_scale(colours: Sequence[str]) -> list[tuple[float, str]]:
    """A colour scale of flat steps, one per colour, for a heatmap whose values are category numbers 0…n-1."""
    n = len(colours)
    scale: list[tuple[float, str]] = []
    for i, c in enumerate(colours):
        scale += [(i / n, c), ((i + 1) / n, c)]
    return scale


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
    # Margins set here rather than measured by plotly (automargin): measuring lays the chart
    # out twice, and this chart is redrawn on every weight edit.
    longest = max((len(n) for n in names), default=0)
    fig.update_layout(
        title=f"{_escape(title)} — total {fmt.pct(total, 2)}",
        xaxis_title="Weight (%)",
        height=120 + 32 * max(len(names), 1),
        margin=dict(l=min(16 + 7 * longest, 260), r=10, t=40, b=45),
    )
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
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
        f"Computed {_escape(r.result.cell or '–')}: {_escape(r.result.state or '–')}",
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
        title=_escape(title) or None,
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


# ============================================================================================
# Lead list page (issue 5)
# ============================================================================================
# The lead-list figures take the core's report groups (workbook.leads.reports.Group: name,
# count, share, known, converted, rate, lift), so every number drawn is the core's.
VOLUME_SCALE = [(0.0, "#f7fbff"), (0.5, "#6baed6"), (1.0, "#08306b")]
RATE_SCALE = [(0.0, "#fff5eb"), (0.5, "#fd8d3c"), (1.0, "#7f2704")]
BASE_RATE_COLOUR, CAPACITY_COLOUR = "#555555", "#b2182b"


def share_text(share: float) -> str:
    """A share of a list for a chart label: ``13 %``, ``4.2 %``, ``0 %``, ``< 0.1 %``."""
    pct = 100 * share
    if pct == 0:
        return "0 %"
    if pct < 0.05:
        return "< 0.1 %"
    return fmt.pct(pct, 0 if pct >= 10 else 1)


def _grid_values(
    model: ScoringModel,
    values: Mapping[str, float | None],
    labels: Mapping[str, str],
    *,
    scale: list[tuple[float, str]],
    value_title: str,
    zmax: float | None,
    title: str,
) -> go.Figure:
    """The grade × level grid coloured by a number per cell (darker = more), with a label per cell."""
    z, text = [], []
    for g in model.grades:
        z.append([values.get(g + lvl) for lvl in model.levels])
        text.append(
            [f"<b>{_escape(g + lvl)}</b> · {_escape(model.matrix.get(g + lvl) or '–')}<br>{labels.get(g + lvl, '')}"
             for lvl in model.levels]
        )
    colouring = dict(colorscale=scale, zmin=0, zmax=zmax, colorbar=dict(title=value_title, ticksuffix=" %"))
    return _grid_figure(model, z, text, colouring, title=title, height=(110, 80), top=50 if title else 30)


def lead_grid_heatmap(model: ScoringModel, cells: Sequence, *, title: str = "") -> go.Figure:
    """How a lead list spreads over the grid: each cell's leads and share (``1,234 · 13 %``)."""
    by_cell = {g.name: g for g in cells if g.name is not None}
    values = {c: 100 * g.share for c, g in by_cell.items()}
    labels = {c: f"{g.count:,} · {share_text(g.share)}" for c, g in by_cell.items()}
    top = max(values.values(), default=0) or 1
    return _grid_values(model, values, labels, scale=VOLUME_SCALE, value_title="Share of leads",
                        zmax=top, title=title)


def rate_grid_heatmap(model: ScoringModel, cells: Sequence, *, title: str = "") -> go.Figure:
    """Conversion rate per cell (known outcomes only): ``12.3 %`` and ``45 of 366``; blank without any."""
    by_cell = {g.name: g for g in cells if g.name is not None}
    values = {c: (100 * g.rate if g.rate is not None else None) for c, g in by_cell.items()}
    labels = {
        c: (f"{fmt.pct(100 * g.rate)}<br>{g.converted:,} of {g.known:,}" if g.rate is not None else "no outcome")
        for c, g in by_cell.items()
    }
    top = max((v for v in values.values() if v is not None), default=0) or 1
    return _grid_values(model, values, labels, scale=RATE_SCALE, value_title="Conversion rate",
                        zmax=top, title=title)


def state_volume_bar(
    model: ScoringModel,
    per_week: Mapping[str, float],
    *,
    worked: Sequence[str] = (),
    capacity: float | None = None,
    unit: str = "leads per week",
) -> go.Figure:
    """Leads per state (per week), and — with a capacity — the states the SDR team works against it."""
    colours = state_colours(model)
    names = list(per_week)
    fig = go.Figure(
        go.Bar(
            x=[_escape(n) for n in names],
            y=[per_week[n] for n in names],
            marker_color=[colours.get(n, "#808080") for n in names],
            text=[_volume_text(per_week[n]) for n in names],
            textposition="auto",
            name=_escape(unit.capitalize()),
            hovertemplate="%{x}: %{y:,.1f} " + _escape(unit) + "<extra></extra>",
        )
    )
    if worked:
        total = sum(per_week.get(n, 0) for n in worked)
        over = capacity is not None and total > capacity
        fig.add_trace(
            go.Bar(
                x=["SDR team"],
                y=[total],
                marker_color=CAPACITY_COLOUR if over else "#2166ac",
                text=[_volume_text(total)],
                hovertext=[" + ".join(_escape(n) for n in worked)],
                textposition="auto",
                name="Worked by the SDR team",
                hovertemplate="SDR team (%{hovertext}): %{y:,.1f} " + _escape(unit) + "<extra></extra>",
            )
        )
    if capacity is not None:
        fig.add_hline(y=capacity, line_dash="dash", line_color=CAPACITY_COLOUR,
                      annotation_text=f"SDR capacity {fmt.number(capacity, 0)} a week",
                      annotation_position="top left")
    fig.update_layout(yaxis_title=_escape(unit.capitalize()), showlegend=False, height=380,
                      margin=dict(l=10, r=10, t=30, b=10))
    return fig


def _volume_text(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else fmt.number(value, 1)


def capture_chart(model: ScoringModel, cells: Sequence) -> go.Figure:
    """Capture curve: cumulative share of conversions against share of leads, hottest cell first.

    Cells are taken in the order of their state (most sales-ready first), then in grid order
    (A1 first); only leads with a known outcome count. The diagonal is what working leads in
    random order captures — the base rate everywhere.
    """
    rank = {s: i for i, s in enumerate(model.state_names)}
    order = {c: i for i, c in enumerate(model.cells)}
    groups = [g for g in cells if g.name is not None and g.known]
    groups.sort(key=lambda g: (rank.get(model.matrix.get(g.name), len(rank)), order.get(g.name, len(order))))
    known = sum(g.known for g in groups)
    converted = sum(g.converted for g in groups)
    colours = state_colours(model)
    x, y, labels, marker_colours = [0.0], [0.0], [""], ["#ffffff"]
    acc_known = acc_converted = 0
    for g in groups:
        acc_known += g.known
        acc_converted += g.converted
        x.append(100 * acc_known / known if known else 0.0)
        y.append(100 * acc_converted / converted if converted else 0.0)
        state = model.matrix.get(g.name) or "–"
        labels.append(
            f"<b>{_escape(g.name)}</b> · {_escape(state)}<br>"
            f"up to here: {fmt.pct(x[-1])} of leads, {fmt.pct(y[-1])} of conversions<br>"
            f"this cell: {fmt.pct(100 * g.rate) if g.rate is not None else '–'} converted"
        )
        marker_colours.append(colours.get(state, "#808080"))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 100], y=[0, 100], mode="lines", name="Random order (base rate)",
                             line=dict(color=BASE_RATE_COLOUR, dash="dash"), hoverinfo="skip"))
    fig.add_trace(
        go.Scatter(
            x=x, y=y, mode="lines+markers+text", name="The model's order, hottest cell first",
            text=[""] + [_escape(g.name) for g in groups], textposition="top left",
            hovertext=labels, hoverinfo="text",
            line=dict(color="#2166ac", width=3),
            marker=dict(size=9, color=marker_colours, line=dict(width=1, color="#222")),
        )
    )
    fig.update_layout(
        xaxis=dict(title="Share of leads worked (%)", range=[0, 101]),
        yaxis=dict(title="Share of conversions captured (%)", range=[0, 105]),
        height=460,
        legend=dict(orientation="h", y=-0.2),
        margin=dict(l=10, r=10, t=30, b=10),
    )
    return fig


def _rate_text(g) -> str:
    if g.rate is None:
        return "–"
    return fmt.pct(100 * g.rate) + (f" · lift {fmt.number(g.lift, 2)}×" if g.lift is not None else "")


def state_rate_bar(model: ScoringModel, states: Sequence, base_rate: float | None) -> go.Figure:
    """Conversion rate per state with the list's base rate as a line; each bar says its lift."""
    colours = state_colours(model)
    shown = [g for g in states if g.name is not None and g.known]
    fig = go.Figure(
        go.Bar(
            x=[_escape(g.name) for g in shown],
            y=[100 * g.rate if g.rate is not None else 0 for g in shown],
            marker_color=[colours.get(g.name, "#808080") for g in shown],
            text=[_rate_text(g) for g in shown],
            textposition="outside",
            textangle=0,
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.1f} % converted<extra></extra>",
        )
    )
    if base_rate is not None:
        fig.add_hline(y=100 * base_rate, line_dash="dash", line_color=BASE_RATE_COLOUR,
                      annotation_text=f"Base rate {fmt.pct(100 * base_rate)}", annotation_position="top right")
    top = max([100 * g.rate for g in shown if g.rate is not None] + [100 * (base_rate or 0), 1])
    fig.update_yaxes(range=[0, top * 1.15])
    fig.update_layout(yaxis_title="Conversion rate (%)", showlegend=False, height=380,
                      margin=dict(l=10, r=10, t=30, b=10))
    return fig


# ============================================================================================
# Calibration page: sensitivity tornado (issue 6)
# ============================================================================================
TORNADO_MINUS_COLOUR, TORNADO_PLUS_COLOUR = "#b2182b", "#2166ac"


def tornado_chart(rows: Sequence, points: float, *, top: int | None = 15) -> go.Figure:
    """The weights that flip the most scenarios when moved by −N and +N points: a tornado.

    ``rows`` are :class:`workbook.calibrate.TornadoRow` (section, weight, minus, plus and the
    scenario names), e.g. ``sensitivity(model, points=N).tornado``. The −N bar goes left, the
    +N bar right; the most sensitive weight is on top; ``top`` keeps the first rows only.
    """
    ordered = sorted(rows, key=lambda r: (-(r.minus + r.plus), -max(r.minus, r.plus)))
    if top is not None:
        ordered = ordered[:top]
    n = fmt.number(points)
    if not ordered:
        fig = go.Figure()
        fig.add_annotation(text="No weights to vary", showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        fig.update_layout(height=160, margin=dict(l=10, r=10, t=10, b=10))
        return fig
    labels = [
        f"{_escape(r.weight)} · {'ICP' if r.section == 'profile' else 'activity'}" for r in ordered
    ]

    def hover(names: Sequence[str], count: int, sign: str) -> str:
        listed = "<br>".join(_escape(x) for x in names[:12]) + ("<br>…" if len(names) > 12 else "")
        changes = "scenario changes" if count == 1 else "scenarios change"
        return f"{sign}{n} points: {count} {changes} cell" + (f"<br>{listed}" if names else "")

    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[-r.minus for r in ordered],
            y=labels,
            orientation="h",
            name=f"−{n} points",
            marker_color=TORNADO_MINUS_COLOUR,
            text=[str(r.minus) if r.minus else "" for r in ordered],
            textposition="outside",
            hoverinfo="text",
            hovertext=[hover(r.minus_scenarios, r.minus, "−") for r in ordered],
        )
    )
    fig.add_trace(
        go.Bar(
            x=[r.plus for r in ordered],
            y=labels,
            orientation="h",
            name=f"+{n} points",
            marker_color=TORNADO_PLUS_COLOUR,
            text=[str(r.plus) if r.plus else "" for r in ordered],
            textposition="outside",
            hoverinfo="text",
            hovertext=[hover(r.plus_scenarios, r.plus, "+") for r in ordered],
        )
    )
    widest = max([max(r.minus, r.plus) for r in ordered] + [1])
    ticks = sorted({0, widest, -widest, *(v for v in range(-widest, widest + 1, max(1, widest // 4)))})
    fig.update_xaxes(
        range=[-widest * 1.25, widest * 1.25],
        tickvals=ticks,
        ticktext=[str(abs(v)) for v in ticks],
        title=f"Scenarios that change cell when the weight moves by ±{n} points (others rescaled)",
        zeroline=True,
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        barmode="overlay",
        height=90 + 28 * len(ordered),
        margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
    )
    return fig


def member_heatmap(a: Alignment, model: ScoringModel) -> go.Figure:
    """Member rows × scenario columns, coloured by the state each member estimated."""
    m = a.matrix
    colours = state_colours(model)
    n = max(len(m.states), 1)
    scale = _stepped_scale([colours.get(state, "#888888") for state in m.states])
    z = [[None if v is None else v for v in row] for row in m.values]
    text = [["–" if v is None else m.states[v] for v in row] for row in m.values]
    fig = go.Figure(go.Heatmap(
        z=z,
        x=[_escape(s) for s in m.scenarios],
        y=[_escape(x) for x in m.members],
        zmin=-0.5,
        zmax=n - 0.5,
        colorscale=scale or "Greys",
        text=[[_escape(t) for t in row] for row in text],
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        colorbar=dict(tickvals=list(range(n)), ticktext=[_escape(s) for s in m.states], title="Estimate"),
        xgap=1,
        ygap=1,
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", tickangle=-40)
    fig.update_layout(height=160 + 32 * len(m.members), margin=dict(l=10, r=10, t=10, b=10))
    return fig


def printable_grid_heatmap(model: ScoringModel, counts: Mapping[str, int]) -> go.Figure:
    """The grid of :func:`grid_heatmap` at a fixed width, so it fits an A4 page when printed
    (plotly does not reflow for print)."""
    fig = grid_heatmap(model, counts)
    fig.update_layout(width=min(140 + 110 * max(len(model.levels), 1), 620))
    return fig
