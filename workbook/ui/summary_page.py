"""The Model summary tab: a printable document of the model, and the model file in and out.

The document is what the steering committee reads and what marketing operations configures
the platform from; the browser's print gives it without the app around it (:data:`PRINT_CSS`).
The file actions (download final or draft, upload, open an example) sit in one container
that the print hides.

Everything a user typed is shown through :func:`md` in tables and text, which render Markdown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import streamlit as st

from workbook import fmt
from workbook.engine import scenario_counts_by_cell
from workbook.examples import list_examples
from workbook.export.naming import slug  # noqa: F401  (now in the export core; kept for callers)
from workbook.export.yaml import draft_file_name, draft_text, final_file_name, final_text  # noqa: F401  (idem)
from workbook.files import max_model_bytes
from workbook.match import describe_match
from workbook.model import ScoringModel
from workbook.ui import actions, downloads, figures
from workbook.ui.actions import ModelFile
from workbook.ui.help import HELP
from workbook.ui.keys import page_key
from workbook.ui.sidebar import source_words
from workbook.ui.signals import provisional_note
from workbook.ui.state import StateKeys, Workshop, editor_key, workshop
from workbook.ui.style import stacking
from workbook.ui.text import md
from workbook.validate import weight_total

OPENED = page_key("summary", "opened")  # what the last upload / example was, shown once after it opened
OPEN_FAILED = page_key("summary", "open_failed")  # why the last example could not be opened
ACTIONS_KEY = "summary-actions"  # the container the print hides (CSS class .st-key-summary-actions)
EXAMPLE_KEY = page_key("summary", "example")

# Only static CSS: no user text ever goes into st.html. Streamlit's own chrome and every
# control are hidden in print; tables, figures and metrics are not split across pages.
PRINT_CSS = """
<style>
@media print {
  /* Block flow instead of flex, so that the page-break rules below are honoured. */
  [data-testid="stVerticalBlock"] { display: block !important; }
  [data-testid="stVerticalBlock"] > div { margin-bottom: 0.75rem; }
  header[data-testid="stHeader"],
  [data-testid="stSidebar"],
  [data-testid="stSidebarCollapsedControl"],
  [data-testid="stToolbar"],
  [data-testid="stDecoration"],
  [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"],
  [data-testid="stToast"],
  [data-testid="stBottom"],
  [data-testid="stTooltipIcon"],
  div.stButton, div.stDownloadButton, div.stFileUploader, div.stSelectbox,
  div.st-key-summary-actions {
    display: none !important;
  }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
    padding-top: 0 !important;
    margin-top: 0 !important;
  }
  table, [data-testid="stTable"], .stPlotlyChart, [data-testid="stMetric"], [data-testid="stAlert"],
  div[class*="st-key-summary-keep"] {
    break-inside: avoid;
    page-break-inside: avoid;
  }
  /* An inline table cannot be split across pages: make tables block-level. */
  [data-testid="stTable"] table { display: table !important; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  div.st-key-summary-scenarios { break-before: page; page-break-before: always; }
  div.st-key-summary-scenarios table, div.st-key-summary-scenarios [data-testid="stTable"] {
    break-inside: auto;
    page-break-inside: auto;
  }
  thead { display: table-header-group; }
  .stElementContainer:has([data-testid="stHeading"]),
  .stElementContainer:has([data-testid="stHeading"]) + .stElementContainer {
    break-after: avoid;
    page-break-after: avoid;
  }
}
</style>
"""


# --------------------------------------------------------------------------------------------
# Pure helpers (no Streamlit): opening files, match rules in words
# --------------------------------------------------------------------------------------------
def nowrap(text: str) -> str:
    """``75 %`` kept on one line in a narrow table column."""
    return text.replace(" ", "\u00a0")


def steering_committee(model: ScoringModel) -> list[str]:
    return [m.name for m in model.team if m.steering_committee]


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------
def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, alt: str) -> None:
    """A static table (it prints whole); every cell is shown as text, never as Markdown."""

    def cell(value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return md(value)

    df = pd.DataFrame([[cell(r.get(c)) for c in columns] for r in rows], columns=[md(c) for c in columns])
    st.table(df, hide_index=True, alt=alt)


def inject_print_css() -> None:
    st.html(PRINT_CSS)


def render_actions(ws: Workshop) -> None:
    """Download final / draft, upload a model file, open an example: hidden when printed."""
    with st.container(border=True, key=ACTIONS_KEY):
        _render_opened_message(ws)
        # The download menu has the width of the page: a platform pack's fidelity report is read there.
        _render_downloads(ws)
        upload_col, example_col = st.columns(2, gap="large")
        with upload_col:
            _render_upload()
        with example_col:
            _render_examples()
        st.caption(
            "To print the summary, use the browser's Print (the controls and the sidebar are left out), or "
            "download the PDF summary above. An uploaded file or an example opens as a new workbook; the "
            "current one is kept."
        )


def _render_downloads(ws: Workshop) -> None:
    downloads.render_menu(ws.model, ws.report)


def _render_upload() -> None:
    st.markdown("**Upload a model file**")
    cap = max_model_bytes()
    uploaded = st.file_uploader(
        "Model file (YAML)",
        type=["yaml", "yml"],
        key=editor_key(page_key("summary", "upload")),
        max_upload_size=max(1, math.ceil(cap / (1024 * 1024))),
        help=HELP["summary.upload"].format(kb=f"{cap // 1024:,}"),
    )
    if uploaded is None:
        return
    # Read on every run while the file is there, so a refusal stays on screen until it is removed.
    opened = actions.read_model_file(uploaded.name, uploaded.getvalue())
    if opened.model is None:
        _show_refusal(opened.name, opened.errors)
    elif _replace(opened, "upload"):
        st.rerun()  # the uploader's key moved on with the new workbook: it starts empty


def _render_examples() -> None:
    st.markdown("**Open an example**")
    examples = list_examples()
    if not examples:
        st.caption("No example workbooks are installed.")
        return
    st.selectbox(
        "Example workbook",
        examples,
        format_func=lambda p: p.name,
        key=EXAMPLE_KEY,
        help=HELP["summary.example_workbook"],
    )
    st.button("Open", icon=":material/folder_open:", key=page_key("summary", "open_example"), on_click=_open_example,
              help=HELP["summary.open_example"])
    failed = st.session_state.get(OPEN_FAILED)
    if failed and failed["revision"] == st.session_state.get(StateKeys.REVISION):
        _show_refusal(failed["source"], failed["errors"])


def _open_example() -> None:
    # A button callback: it runs before the page script, so the click is never lost to a rerun.
    path = st.session_state.get(EXAMPLE_KEY)
    if path is None:
        return
    opened = actions.read_example(Path(path))
    if opened.model is None:
        st.session_state[OPEN_FAILED] = {
            "revision": st.session_state.get(StateKeys.REVISION), "source": opened.name, "errors": opened.errors,
        }
    else:
        _replace(opened, "example")


def _show_refusal(source: str, errors: Sequence[str]) -> None:
    st.error(
        "\n".join(f"- {md(e)}" for e in errors),
        title=f"Could not open {md(source)}; the current workbook is unchanged",
        icon=":material/error:",
    )


def _replace(opened: ModelFile, kind: Literal["upload", "example"]) -> bool:
    """Open a read model as a new workbook of this session; True when it opened."""
    assert opened.model is not None
    if not actions.open_model_file(opened, kind):
        return False  # the store refused; the reason is shown on the next run
    st.session_state[OPENED] = {
        "revision": st.session_state[StateKeys.REVISION],
        "source": f"the example {opened.name}" if kind == "example" else f"the uploaded file {opened.name}",
        "name": opened.model.name,
        "warnings": opened.warnings,
    }
    return True


def _render_opened_message(ws: Workshop) -> None:
    opened = st.session_state.get(OPENED)
    if not opened or opened.get("revision") != ws.revision:
        return
    what = f"Opened {md(opened['source'])}: the model “{md(opened['name'])}”."
    if opened["warnings"]:
        st.warning(
            what + " It does not pass validation yet, so it opens as a draft:\n\n"
            + "\n".join(f"- {md(w)}" for w in opened["warnings"]),
            icon=":material/warning:",
        )
    else:
        st.success(what + " It passes validation.", icon=":material/check_circle:")


def render_document(ws: Workshop) -> None:
    """The summary itself, section by section."""
    model = ws.model
    st.title(md(model.name))
    if model.description:
        st.markdown(md(model.description))
    st.caption(" · ".join(part for part in (
        "Lead scoring model", f"schema version {model.schema_version}", md(source_words(ws.source)),
        f"revision {ws.store_revision}") if part))
    _render_key_figures(ws)
    _render_validation(ws)
    _render_thresholds(ws)
    _render_factors(model, "profile")
    _render_factors(model, "engagement")
    _render_scenarios(ws)
    _render_team(model)


def _render_key_figures(ws: Workshop) -> None:
    model, agree = ws.model, ws.agreement
    cols = st.columns(4)
    cols[0].metric("ICP attributes", len(model.profile), help=HELP["summary.icp_attributes"])
    cols[1].metric("Activities", len(model.engagement), help=HELP["summary.activities"])
    cols[2].metric(
        "Scenario agreement",
        "–" if agree.rate is None else fmt.pct(agree.rate * 100, 0),
        help=HELP["summary.scenario_agreement"],
    )
    cols[3].metric("Team", len(model.team), help=HELP["summary.team"])


def _render_validation(ws: Workshop) -> None:
    st.header("Validation")
    report = ws.report
    if report.errors:
        st.error(
            "\n".join(f"- {md(p)}" for p in report.errors),
            title=f"Invalid: {fmt.count(len(report.errors), 'problem')} block the final export",
            icon=":material/error:",
        )
    else:
        st.success("Valid: the model meets every rule and can be exported as final.", icon=":material/verified:")
    if report.warnings:
        st.warning(
            "\n".join(f"- {md(p)}" for p in report.warnings),
            title=f"{fmt.count(len(report.warnings), 'warning')} (not blocking)",
            icon=":material/warning:",
        )


def _render_thresholds(ws: Workshop) -> None:
    model = ws.model
    st.header("Thresholds and the action grid")
    st.caption(
        "A lead earns the first grade (best first) whose minimum its profile % reaches, and the first level "
        "whose minimum its engagement % reaches; a score exactly on a minimum earns the better band."
    )
    # Under 900 px the two small tables and the grid stack: side by side in 450 px the
    # tables' headers were cut to "Profil % from".
    with stacking("summary_thresholds", small=True):
        grades_col, levels_col, grid_col = st.columns([1, 1, 2], gap="medium")
    with grades_col:
        _table([{"Grade": b.grade, "Profile % from": fmt.pct(b.min)} for b in model.profile_grades],
               ["Grade", "Profile % from"], alt="Profile grades and their minimum profile %")
    with levels_col:
        _table([{"Level": b.level, "Engagement % from": fmt.pct(b.min)} for b in model.engagement_levels],
               ["Level", "Engagement % from"], alt="Engagement levels and their minimum engagement %")
    with grid_col:
        grid = figures.printable_grid_heatmap(model, scenario_counts_by_cell(model, ws.results))
        st.plotly_chart(grid, key=page_key("summary", "grid"), width="content",
                        config={"displayModeBar": False, "staticPlot": True})
    cells_by_state: dict[str, list[str]] = {}
    for cell in model.cells:
        cells_by_state.setdefault(model.matrix.get(cell, ""), []).append(cell)
    _table(
        [{"State": s.name, "What happens": s.action, "Cells": ", ".join(cells_by_state.get(s.name, [])) or "–"}
         for s in model.states],
        ["State", "What happens", "Cells"],
        alt="Action states, most sales-ready first",
    )
    missing = {
        "zero": "an attribute without a value counts as 0",
        "neutral": "an attribute without a value is left out and the other weights are scaled up to 100",
    }[model.missing]
    st.markdown(
        f"Missing values: {missing}. A knocked-out lead goes to **{md(model.effective_knockout_state or '–')}** "
        "whatever its cell."
    )


def _render_factors(model: ScoringModel, section: str) -> None:
    factors = model.section(section)  # type: ignore[arg-type]
    title, what = ("ICP weights", "attribute") if section == "profile" else ("Activity weights", "activity")
    st.header(title)
    total = float(weight_total(factors))
    plural = {"attribute": "attributes", "activity": "activities"}[what]
    st.caption(
        f"{len(factors)} {what if len(factors) == 1 else plural}, weights adding up to {fmt.pct(total, 2)}. "
        f"A value's score is the share of its {what}'s weight it earns; its points are what it adds to the "
        f"{'profile' if section == 'profile' else 'engagement'} %."
    )
    if not factors:
        return
    _table(
        [{"Name": f.name, "Weight": fmt.pct(f.weight, 2), "Lead-list column": f.source_column,
          "Values": len(f.values)} for f in factors],
        ["Name", "Weight", "Lead-list column", "Values"],
        alt=f"{title}: each {what} and its weight",
    )
    # Pairs of value tables side by side, row by row: when printing stacks the columns, the
    # tables still come in the model's order. Each table is kept with its title (PRINT_CSS).
    for start in range(0, len(factors), 2):
        columns = st.columns(2, gap="medium")
        for col, i in zip(columns, range(start, min(start + 2, len(factors))), strict=False):
            factor = factors[i]
            with col, st.container(key=f"summary-keep-{section}-{i}"):
                st.markdown(f"**{md(factor.name)}** · weight {fmt.pct(factor.weight, 2)}")
                _table(
                    [
                        {
                            "Value": v.label + (" (knockout)" if v.knockout else ""),
                            "Score": nowrap(fmt.pct(v.score)),
                            "Points": nowrap(fmt.points(factor.weight * v.score / 100)),
                            "Matches a lead-list cell when": describe_match(v.match),
                        }
                        for v in factor.values
                    ],
                    ["Value", "Score", "Points", "Matches a lead-list cell when"],
                    alt=f"The values of {factor.name}",
                )


def _render_scenarios(ws: Workshop) -> None:
    # Printed from the top of a page: the table may run over several pages (its header repeats).
    with st.container(key="summary-scenarios"):
        _render_scenario_table(ws)


def _render_scenario_table(ws: Workshop) -> None:
    st.header("Test scenarios")
    agree = ws.agreement
    rate = "" if agree.rate is None else f" — agreement rate {fmt.pct(agree.rate * 100, 0)}"
    st.markdown(f"**{md(agree.sentence())}**{md(rate)}.")
    provisional_note(ws, "summary")
    if not ws.results:
        return
    rows = []
    for i, r in enumerate(ws.results):
        est = r.scenario.estimate.given() if r.scenario.estimate else {}
        estimate = " · ".join(x for x in (est.get("profile", "") + est.get("engagement", ""), est.get("state")) if x)
        rows.append(
            {
                "#": str(i + 1),
                "Scenario": r.name,
                "Team's estimate": estimate or None,
                "Profile %": nowrap(fmt.pct(r.result.profile_pct)),
                "Engagement %": nowrap(fmt.pct(r.result.engagement_pct)),
                "Computed": f"{r.result.cell or '–'} · {r.result.state or '–'}"
                + (" (knocked out)" if r.result.knocked_out else ""),
                "Agrees": {True: "✓ yes", False: "✗ no", None: "–"}[r.agrees],
            }
        )
    _table(rows, ["#", "Scenario", "Team's estimate", "Profile %", "Engagement %", "Computed", "Agrees"],
           alt="Every test scenario: the team's estimate and the computed result")


def _render_team(model: ScoringModel) -> None:
    st.header("Team and steering committee")
    committee = steering_committee(model)
    st.markdown(
        "Steering committee: " + (md(", ".join(committee)) if committee else "nobody is marked yet") + "."
    )
    if model.team:
        _table(
            [{"Name": m.name, "Title": m.title, "Function": m.function, "Project role": m.role,
              "Steering committee": "yes" if m.steering_committee else "", "E-mail": m.email} for m in model.team],
            ["Name", "Title", "Function", "Project role", "Steering committee", "E-mail"],
            alt="The scoring team",
        )
    meta = model.metadata
    if meta is not None and (meta.version or meta.status or meta.approvals):
        st.subheader("Version and approvals")
        st.markdown(md(f"Version {meta.version or '–'} · status {meta.status or '–'}"))
        if meta.approvals:
            _table(
                [{"Member": a.member, "Decision": a.decision, "Revision": a.revision,
                  "When": a.at.strftime("%Y-%m-%d %H:%M") if a.at else None, "Comment": a.comment}
                 for a in meta.approvals],
                ["Member", "Decision", "Revision", "When", "Comment"],
                alt="Steering-committee approvals",
            )


def render() -> None:
    """The Model summary tab."""
    ws = workshop()

    inject_print_css()
    render_actions(ws)
    render_document(ws)
