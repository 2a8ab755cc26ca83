"""The Calibration tab's Team alignment: how far the members agree with each other.

From the states each member wrote down per scenario (Test scenarios tab): Fleiss' kappa of
the room, Cohen's kappa of each pair, and the scenarios the room is split on. The figures
come from :func:`workbook.calibrate.alignment`; kappas are read in words by the core.
"""

from __future__ import annotations

import streamlit as st

from workbook import fmt
from workbook.calibrate import alignment, calibration_targets
from workbook.calibrate.alignment import kappa_reading
from workbook.ui import figures
from workbook.ui.components.tables import keyed_table, rows_frame
from workbook.ui.help import HELP
from workbook.ui.keys import page_key
from workbook.ui.state import Workshop


def _kappa(k: float | None) -> str:
    return "–" if k is None else f"{k:.2f}"


def render_alignment(ws: Workshop) -> None:
    st.caption(
        "Before asking the model: how far do the team members agree with each other? From the states each "
        "member wrote down per scenario (Test scenarios tab)."
    )
    a = alignment(ws.model)
    if not a.spreads:
        st.info("No member estimates yet: add them per scenario on the Test scenarios tab.", icon=":material/info:")
        return
    c1, c2 = st.columns(2)
    c1.metric(
        "Fleiss' kappa (the whole room)",
        _kappa(a.fleiss_kappa),
        help=HELP["calibration.fleiss_kappa_the_whole_room"],
    )
    c2.metric("Scenarios compared", a.fleiss_scenarios, help=HELP["calibration.scenarios_compared"])
    st.caption(
        f"Reading: {kappa_reading(a.fleiss_kappa)}. Fleiss' kappa measures how often all members pick the same "
        "state, beyond what picking at random would give: 1 = always the same, 0 = no better than chance. "
        "The words follow Landis & Koch, the usual scale for reading a kappa (up to 0.20 slight, 0.40 fair, "
        "0.60 moderate, 0.80 substantial, above that almost perfect)."
    )

    st.markdown("**Pairs of members**")
    keyed_table(
        rows_frame(
            [
                {
                    "Member": p.member_a,
                    "With": p.member_b,
                    "Scenarios both estimated": p.scenarios,
                    "Agree on": p.agreeing,
                    "Agreement": fmt.pct(p.percent, 0),
                    "Cohen's kappa": _kappa(p.kappa),
                }
                for p in a.pairs
            ],
            ["Member", "With", "Scenarios both estimated", "Agree on", "Agreement", "Cohen's kappa"],
        ),
        hide_index=True,
        width="stretch",
        key=page_key("calibration", "pairs"),
        column_config={"Cohen's kappa": st.column_config.TextColumn(
            help=HELP["calibration.cohen_s_kappa"])},
    )
    st.caption(
        "Cohen's kappa: how often the two members pick the same state, beyond what chance would give "
        "(1 = always the same, 0 = no better than chance, below 0 = less than chance)."
    )

    st.markdown("**Where the room disagrees most**")
    disputed = a.most_disputed[:10]
    if not disputed:
        st.caption("Every scenario with two or more member estimates is unanimous.")
    else:
        keyed_table(
            rows_frame(
                [
                    {
                        "Scenario": s.scenario,
                        "Estimates": " · ".join(f"{state} {n}" for state, n in s.counts.items()),
                        "Consensus": s.consensus or "–",
                        "Share for the consensus": fmt.pct(None if s.modal_share is None else s.modal_share * 100, 0),
                    }
                    for s in disputed
                ],
                ["Scenario", "Estimates", "Consensus", "Share for the consensus"],
            ),
            hide_index=True,
            width="stretch",
            key=page_key("calibration", "disputed"),
            column_config={"Scenario": st.column_config.TextColumn(width=180, pinned=True)},  # long names cut
        )

    st.markdown("**Member × scenario**")
    with st.container(key=page_key("calibration", "heatmap")):
        st.plotly_chart(figures.member_heatmap(a, ws.model))

    st.markdown("**Consensus per scenario**")
    st.caption(
        "The consensus is the state most members chose (a tie goes to the less sales-ready state). The "
        "suggestions use it for scenarios where the team wrote down no estimate."
    )
    team = {sc.name: sc.estimate.state if sc.estimate else None for sc in ws.model.scenarios}
    used = {t.name for t in calibration_targets(ws.model) if t.source == "consensus"}
    keyed_table(
        rows_frame(
            [
                {
                    "Scenario": s.scenario,
                    "Members": s.raters,
                    "Consensus": s.consensus or "–",
                    "Team estimate": team.get(s.scenario) or "–",
                    "Used by the suggestions": "yes" if s.scenario in used else "no (the team's estimate is used)",
                }
                for s in a.spreads
            ],
            ["Scenario", "Members", "Consensus", "Team estimate", "Used by the suggestions"],
        ),
        hide_index=True,
        width="stretch",
        key=page_key("calibration", "consensus"),
        column_config={"Scenario": st.column_config.TextColumn(width=180, pinned=True)},  # long names cut
    )
