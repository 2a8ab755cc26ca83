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
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from workbook import editing, fmt
from workbook.leads import (
    LeadListError,
    distribution,
    max_leads_bytes,
    output,
    read_lead_bytes,
    score_leads,
)
from workbook.leads.mapping import MapRow, mapping_rows, no_column_note, scoring_frame
from workbook.model import ScoringModel
from workbook.ui.actions import open_example_workbook, try_edit
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.leads_reports import render_capacity, render_distribution, render_outcome, render_quality
from workbook.ui.leads_state import MISSING, Keys, LoadedList, Scoring
from workbook.ui.state import Workshop, workshop
from workbook.ui.tables import edit_table, frame
from workbook.ui.text import md

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_PATH = REPO_ROOT.parent / "shared" / "data" / "x-education" / "Leads.csv"
DEMO_MODEL = "x_education.yaml"
DEMO_SOURCE = f"example:{DEMO_MODEL}"


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


def _remove_list() -> None:
    st.session_state.pop(Keys.LIST, None)
    st.session_state.pop(Keys.READ_ERROR, None)
    st.session_state.pop(Keys.SCORED, None)


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
        _load(uploaded.getvalue(), uploaded.name, "upload")
        # Streamlit keeps an uploaded file's bytes (up to 200 MB) for as long as its uploader
        # holds the file; the list now lives in the session as a table, so the uploader is
        # emptied and the bytes are freed. "Remove this list" below takes the list away.
        del uploaded
        st.session_state[Keys.UPLOAD_GENERATION] = st.session_state.get(Keys.UPLOAD_GENERATION, 0) + 1
        st.session_state.pop(Keys.SEEN_UPLOAD, None)
        st.rerun()
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
        st.button("Remove this list", key=Keys.REMOVE, icon=":material/delete:", on_click=_remove_list,
                  help=HELP["leads.remove"])
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
            md(f"The open workbook '{ws.model.name}' reads {fmt.count(len(rows), 'column')} "
               "this demo list does not have. "
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
        f"This list does not have {fmt.count(len(rows), 'column')} the model reads. "
        "Choose the list's column for each, or "
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
            disabled=not may("edit"),
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
        st.caption(md("Note: the scored list has the model's own " + ", ".join(result.scored.replaced_columns)
                      + " instead of the list's columns of the same name."))
    return result


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


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
            f"The model has {fmt.count(len(ws.report.errors), 'problem')} (see the Model summary tab): "
            "the list is scored "
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
