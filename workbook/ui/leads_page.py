"""The Lead list tab: score a real lead list with the open workbook and see where it lands.

The page reads the list (CSV or .xlsx, or the X Education demo list), maps the model's
columns to the list's when the names differ (the mapping is remembered in the workbook,
``metadata.column_map``: model column → list column, ``""`` = no column), scores it with the
core (:func:`workbook.leads.score_leads`) and shows the core's reports: the spread over the
grid, volumes per state against the SDR team's capacity, data quality and — with an outcome
column — conversion per cell and per state. Nothing here scores a lead.

Decisions:

* The list lives in this browser session only (lead data is not part of the model, so it is
  never written to the store). Scoring is remembered per session under the key (model,
  file digest, as-of date, column mapping): a rerun — a widget, a colleague's edit elsewhere
  in the app that leaves the model as it was — does not rescore. Not ``st.cache_data``:
  that pickles its result on every read (seconds and hundreds of MB for a million rows) and
  would keep lead data in a cache shared by every session of the server.
* Scoring is one vectorized call (a million leads take about a second), not chunks: the
  data-quality report's most common unmatched values are exact only over the whole list.
  The progress bar follows the stages (mapping, scoring, counting).
* Lead-list text (column names, cell values, file names) is shown in dataframes, in Plotly
  figures through ``figures._escape``, or through ``md()`` — never as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from workbook import editing, fmt
from workbook.leads import (
    LeadListError,
    Outcome,
    ScoredLeads,
    distribution,
    max_leads_bytes,
    outcome_report,
    output,
    read_lead_bytes,
    score_leads,
)
from workbook.leads.mapping import MapRow, mapping_rows, no_column_note, scoring_frame
from workbook.leads.reports import Distribution
from workbook.model import ScoringModel
from workbook.ui import figures
from workbook.ui.actions import open_example_workbook, try_edit
from workbook.ui.help import HELP
from workbook.ui.keys import page_key
from workbook.ui.state import Workshop, workshop
from workbook.ui.tables import edit_table, frame
from workbook.ui.text import md

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_PATH = REPO_ROOT.parent / "shared" / "data" / "x-education" / "Leads.csv"
DEMO_MODEL = "x_education.yaml"
DEMO_SOURCE = f"example:{DEMO_MODEL}"

MISSING = "(missing: treat as no value)"
NO_OUTCOME = "(none)"
MOSTLY_UNMATCHED = 0.5  # an attribute whose cells mostly match no value gets a warning


class Keys:
    """Session-state and widget keys of this page."""

    LIST = page_key("leads", "list")  # the LoadedList
    READ_ERROR = page_key("leads", "read_error")  # (upload id, message) of a file that could not be read
    UPLOAD_GENERATION = page_key("leads", "upload_generation")  # moves on to empty the uploader
    SEEN_UPLOAD = page_key("leads", "seen_upload")  # the uploader file id last read
    SCORED = page_key("leads", "scored")  # (key, Scoring) of the last scoring
    AS_OF = page_key("leads", "as_of")
    CAPACITY = page_key("leads", "capacity")
    WEEKS = page_key("leads", "weeks")
    DEMO = page_key("leads", "demo")
    OPEN_DEMO_MODEL = page_key("leads", "open_demo_model")
    REMEMBER = page_key("leads", "remember_mapping")
    DOWNLOAD = page_key("leads", "download")

    @staticmethod
    def upload() -> str:
        return page_key("leads", "upload", st.session_state.get(Keys.UPLOAD_GENERATION, 0))

    @staticmethod
    def mapping(digest: str) -> str:
        """The mapping table's name (its editor key adds the edit generation)."""
        return page_key("leads", "map", digest[:12])

    @staticmethod
    def outcome(digest: str) -> str:
        return page_key("leads", "outcome", digest[:12])

    @staticmethod
    def worked(model: ScoringModel) -> str:
        return page_key("leads", "worked", hashlib.sha256("\n".join(model.state_names).encode()).hexdigest()[:12])




@dataclass(frozen=True)
class LoadedList:
    """A lead list read into this session."""

    frame: pd.DataFrame
    name: str
    digest: str  # sha256 of the file's bytes
    notes: list[str] = field(default_factory=list)
    origin: str = "upload"  # "upload" or "demo"


@dataclass(frozen=True)
class Scoring:
    """One scoring of the list: the scored frame (input columns + scored ones) and its reports."""

    scored: ScoredLeads
    frame: pd.DataFrame  # the input columns (without columns added for the mapping) + scored columns
    distribution: Distribution
    seconds: float


# --------------------------------------------------------------------------------------------
# Pure helpers (no Streamlit): the tests call them directly
# --------------------------------------------------------------------------------------------
def demo_path() -> Path | None:
    """The X Education demo list next to the repository, if it is there."""
    return DEMO_PATH if DEMO_PATH.is_file() else None


def scoring_key(model: ScoringModel, digest: str, as_of: dt.date, rows: Sequence[MapRow]) -> tuple:
    model_hash = hashlib.sha256(model.model_dump_json().encode()).hexdigest()
    return model_hash, digest, as_of.isoformat(), tuple((r.needed, r.chosen) for r in rows)


def scored_csv(scored: pd.DataFrame) -> bytes:
    """The scored list as CSV bytes, written as the command line writes it (knocked_out true/false)."""
    return output.scored_csv(scored).encode("utf-8")


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


# --------------------------------------------------------------------------------------------
# Reading a list
# --------------------------------------------------------------------------------------------
def _load(data: bytes, name: str, origin: str) -> None:
    """Read a list into the session; a file that cannot be read is said why, and nothing is kept."""
    st.session_state.pop(Keys.READ_ERROR, None)
    try:
        leads = read_lead_bytes(data, name, max_bytes=max_leads_bytes())
    except LeadListError as exc:
        st.session_state.pop(Keys.LIST, None)
        st.session_state[Keys.READ_ERROR] = f"{name} could not be read: {exc}"
        return
    digest = hashlib.sha256(data).hexdigest()
    st.session_state[Keys.LIST] = LoadedList(leads.frame, name, digest, list(leads.notes), origin)


def _use_demo() -> None:
    path = demo_path()
    if path is None:
        st.session_state[Keys.READ_ERROR] = "The X Education demo list is not there any more."
        return
    # Empty the uploader, so that its file does not take the demo's place on the next run.
    st.session_state[Keys.UPLOAD_GENERATION] = st.session_state.get(Keys.UPLOAD_GENERATION, 0) + 1
    st.session_state.pop(Keys.SEEN_UPLOAD, None)
    _load(path.read_bytes(), path.name, "demo")


def _open_demo_model() -> None:
    """Open the X Education example workbook: the one in the store if there is one, else a new one."""
    open_example_workbook(DEMO_MODEL, "the X Education example")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 1024:,.1f} KB"


def render_source() -> LoadedList | None:
    """The uploader and the demo button; returns the list of this session, if any."""
    cap = max_leads_bytes()
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        uploaded = st.file_uploader(
            "Upload a lead list (CSV or Excel .xlsx)",
            type=["csv", "xlsx"],
            key=Keys.upload(),
            help=HELP["leads.upload"].format(size=_megabytes(cap)),
            max_upload_size=max(1, -(-cap // 2**20)),
        )
    with right:
        if demo_path() is not None:
            st.button("Use the X Education demo list", key=Keys.DEMO, on_click=_use_demo,
                      icon=":material/dataset:", help=HELP["leads.demo"])
        else:
            st.caption(md(f"The X Education demo list is not here (it would be {DEMO_PATH.name} in "
                          "shared/data/x-education next to the app), so there is no demo list to offer."))
    if uploaded is not None and uploaded.file_id != st.session_state.get(Keys.SEEN_UPLOAD):
        st.session_state[Keys.SEEN_UPLOAD] = uploaded.file_id
        _load(uploaded.getvalue(), uploaded.name, "upload")
    elif uploaded is None and st.session_state.get(Keys.SEEN_UPLOAD) is not None:
        # The person removed the file from the uploader: its list, or its error, goes with it.
        st.session_state.pop(Keys.SEEN_UPLOAD, None)
        st.session_state.pop(Keys.READ_ERROR, None)
        if getattr(st.session_state.get(Keys.LIST), "origin", None) == "upload":
            st.session_state.pop(Keys.LIST, None)
    error = st.session_state.get(Keys.READ_ERROR)
    if error:
        st.error(md(error), icon=":material/error:")
    loaded: LoadedList | None = st.session_state.get(Keys.LIST)
    if loaded is not None:
        what = "the X Education demo list" if loaded.origin == "demo" else "the uploaded file"
        st.caption(md(f"Scoring {loaded.name} ({what}): {len(loaded.frame):,} leads, "
                      f"{loaded.frame.shape[1]:,} columns."))
        for note in loaded.notes:
            st.caption(md(f"Note: {note}."))
    return loaded


# --------------------------------------------------------------------------------------------
# Column mapping
# --------------------------------------------------------------------------------------------
def _save_mapping(model: ScoringModel, rows: Sequence[dict[str, Any]]) -> ScoringModel:
    return editing.set_column_map(
        model, {r["needed"]: ("" if not r.get("column") or r["column"] == MISSING else r["column"]) for r in rows}
    )


def render_demo_offer(ws: Workshop, loaded: LoadedList, rows: Sequence[MapRow]) -> None:
    """With the demo list and a workbook that does not read its columns: one click to the right workbook."""
    if loaded.origin != "demo" or not rows or ws.source == DEMO_SOURCE:
        return
    with st.container(border=True):
        st.markdown(
            md(f"The open workbook '{ws.model.name}' reads {len(rows)} column(s) this demo list does not have. "
               "The list goes with the X Education example workbook, whose attributes read its columns.")
        )
        st.button("Open the X Education example workbook", key=Keys.OPEN_DEMO_MODEL, type="primary",
                  on_click=_open_demo_model, icon=":material/swap_horiz:", help=HELP["leads.open_demo_model"])


def render_mapping(ws: Workshop, loaded: LoadedList) -> list[MapRow]:
    """The mapping table, when the list lacks columns the model reads; returns the mapping in use."""
    model = ws.model
    rows = mapping_rows(model, list(loaded.frame.columns))
    if not rows:
        return rows
    render_demo_offer(ws, loaded, rows)
    st.subheader("Columns")
    st.caption(md(
        f"This list does not have {len(rows)} column(s) the model reads. Choose the list's column for each, or "
        "treat it as having no value. Every choice is remembered in the workbook."
    ))
    options = [MISSING, *[str(c) for c in loaded.frame.columns]]
    table = frame(
        [{"needed": r.needed, "read_by": r.read_by, "column": r.chosen or MISSING, "status": r.status}
         for r in rows],
        ["needed", "read_by", "column", "status"],
    )
    edit_table(
        Keys.mapping(loaded.digest),
        table,
        lambda model, edited: _save_mapping(model, edited),
        column_config={
            "needed": st.column_config.TextColumn("Model column", disabled=True,
                                                  help=HELP["leads.needed"]),
            "read_by": st.column_config.TextColumn("Read by", disabled=True,
                                                   help=HELP["leads.read_by"]),
            "column": st.column_config.SelectboxColumn("Column in this list", options=options, required=True,
                                                       help=HELP["leads.mapping"]),
            "status": st.column_config.TextColumn("", disabled=True,
                                                  help=HELP["leads.status"]),
        },
        message="Column mapping saved",
        dynamic=False,
    )
    if any(not r.status.startswith("remembered") for r in rows):
        st.button(
            "Remember these columns", key=Keys.REMEMBER, icon=":material/save:", help=HELP["leads.remember"],
            on_click=lambda: try_edit(
                lambda: _save_mapping(model, [{"needed": r.needed, "column": r.chosen} for r in rows]),
                "Column mapping saved",
            ),
        )
    for r in rows:
        if not r.chosen:
            st.info(md(no_column_note(model, r)), icon=":material/block:")
    return rows


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------
def render_as_of() -> dt.date:
    st.session_state.setdefault(Keys.AS_OF, dt.date.today())
    column, _ = st.columns([1, 3])
    return column.date_input("As-of date", key=Keys.AS_OF, help=HELP["leads.as_of"], format="YYYY-MM-DD")


def score(ws: Workshop, loaded: LoadedList, rows: Sequence[MapRow], as_of: dt.date) -> Scoring:
    """Score the list (once per model, list, date and mapping), with a progress bar."""
    key = scoring_key(ws.model, loaded.digest, as_of, rows)
    bar = st.progress(0, text="Scoring …")
    memo = st.session_state.get(Keys.SCORED)
    if memo is not None and memo[0] == key:
        result: Scoring = memo[1]
    else:
        st.session_state.pop(Keys.SCORED, None)  # free the last scoring before making the next
        started = time.perf_counter()
        bar.progress(5, text="Applying the column mapping …")
        scoring_input, added = scoring_frame(loaded.frame, rows)
        bar.progress(15, text=f"Scoring {len(loaded.frame):,} leads …")
        scored = score_leads(ws.model, scoring_input, as_of)
        bar.progress(85, text="Counting leads per cell and state …")
        out = scored.frame.drop(columns=added)
        result = Scoring(scored, out, distribution(ws.model, out), time.perf_counter() - started)
        st.session_state[Keys.SCORED] = (key, result)
    bar.progress(
        100,
        text=f"Scored {len(result.frame):,} leads as of {as_of.isoformat()} in {fmt.number(result.seconds, 2)} s.",
    )
    if result.scored.replaced_columns:
        st.caption(md("Note: the list had its own " + ", ".join(result.scored.replaced_columns)
                      + " column(s); the scored list has the model's instead."))
    return result


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------
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
        st.caption(md(f"{knocked:,} lead(s) knocked out (a knockout value sends them to "
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
    return report


def render_download(loaded: LoadedList, result: Scoring) -> None:
    stem = Path(loaded.name).stem or "leads"
    scored = result.frame
    st.download_button(
        f"Download the scored list ({len(scored):,} leads, CSV)",
        data=lambda: scored_csv(scored),
        file_name=f"{stem}-scored.csv",
        mime="text/csv",
        key=Keys.DOWNLOAD,
        icon=":material/download:",
        type="primary",
        help=HELP["leads.download"],
    )


def render() -> None:
    """The Lead list tab."""
    ws = workshop()

    st.header("Lead list")
    st.caption(
        "Run the model on a real lead list: where the leads land on the grid, whether the SDR team can take the "
        "volume, which attributes the data does not match, and — with a known outcome — how well the grid sorts "
        "converters from the rest. The list stays in this browser session; only the column mapping is saved."
    )
    if not ws.report.is_valid:
        st.warning(
            f"The model has {len(ws.report.errors)} problem(s) (see the Model summary tab): the list is scored "
            "as a draft.",
            icon=":material/warning:",
        )

    loaded = render_source()
    if loaded is not None:
        rows = render_mapping(ws, loaded)
        as_of = render_as_of()
        result = score(ws, loaded, rows, as_of)
        render_download(loaded, result)
        render_distribution(ws, result)
        render_capacity(ws, result)
        render_quality(ws, result, rows)
        render_outcome(ws, loaded, result)
