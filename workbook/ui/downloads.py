"""The download menu: every format of the export registry (:data:`workbook.export.FORMATS`), the same
list the command line's ``export --format`` offers.

Pick a format (and, for SQL and dbt, the dialect and the lead table), then download it as final or
as draft. A final export is refused while the model is invalid, with the problems listed; the draft
is always offered. File names and media types come from the format itself. Formats that do not
depend on the model (the JSON Schema) have one download button.

A platform setup pack shows how faithfully the platform reproduces the model *before* its
buttons: the scenarios that keep their state, the ones that change, the approximations in words
and, when a lead list is open on the Lead list page, the share of its leads whose state the
platform preserves. The pack's ``fidelity.md`` holds the same report. The Excel workbook and the
PDF take a moment to build, so they are cached per model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from workbook.export import (
    DIALECTS,
    DRAFT,
    FIDELITY,
    REPORT,
    Exported,
    ExportFormat,
    FidelityReport,
    fidelity,
    final_refusal,
    format_names,
    get_format,
    is_platform_pack,
)
from workbook.export.sql import SqlExportError
from workbook.export.sql_format import DEFAULT_TABLE, DIALECT, TABLE
from workbook.fmt import count
from workbook.leads import LeadListError
from workbook.leads.mapping import mapping_rows, scoring_frame
from workbook.model import ScoringModel
from workbook.ui.help import HELP
from workbook.ui.keys import page_key
from workbook.ui.leads_state import Keys as LeadKeys
from workbook.ui.text import md
from workbook.validate import Report

FORMAT_KEY = "summary.export_format"
DIALECT_KEY = "summary.export_dialect"
TABLE_KEY = "summary.export_table"
FINAL_KEY = "summary.download_final"
DRAFT_KEY = "summary.download_draft"
FILE_KEY = "summary.download_file"  # a format that does not depend on the model: neither final nor draft
FIDELITY_KEY = page_key("summary", "fidelity")  # the container of a pack's fidelity report

TABLE_HELP = {"sql": HELP["downloads.table_sql"], "dbt": HELP["downloads.table_dbt"]}


def render_menu(model: ScoringModel, report: Report) -> None:
    """The format picker, its options, a pack's fidelity and the final and draft download buttons."""
    st.markdown("**Download the model**")
    fmt = get_format(
        st.selectbox(
            "Format",
            format_names(),
            format_func=lambda name: get_format(name).label,
            key=FORMAT_KEY,
            help=HELP["downloads.format"],
        )
    )
    st.caption(md(fmt.description))
    options = _options(fmt)
    if is_platform_pack(fmt.name):
        options[FIDELITY] = _render_fidelity(fmt, model)
    try:
        if not fmt.needs_model:
            _button(fmt.render(model, options), f"Download: {fmt.label}", FILE_KEY, primary=True,
                    help=fmt.description)
            return
        _render_final(fmt, model, report, options)
        _button(
            _render(fmt, model, {**options, DRAFT: True, REPORT: report}),
            f"Draft: {fmt.label}",
            DRAFT_KEY,
            icon=":material/draft:",
            help=HELP["downloads.draft"],
        )
    except SqlExportError as exc:
        st.error(md(str(exc)), title="This export cannot be written with these options", icon=":material/error:")


def _options(fmt: ExportFormat) -> dict[str, Any]:
    """The widgets of the options the format reads, and their values."""
    options: dict[str, Any] = {}
    if DIALECT in fmt.options:
        options[DIALECT] = st.selectbox("SQL dialect", DIALECTS, key=DIALECT_KEY, help=HELP["downloads.dialect"])
    if TABLE in fmt.options:
        label = "dbt relation of the leads" if fmt.name == "dbt" else "Lead table"
        options[TABLE] = st.text_input(label, value=DEFAULT_TABLE, key=TABLE_KEY,
                                       help=TABLE_HELP.get(fmt.name, TABLE_HELP["sql"])).strip()
    return options


def _render_final(fmt: ExportFormat, model: ScoringModel, report: Report, options: Mapping[str, Any]) -> None:
    if final_refusal(report) is not None:
        st.error(
            "\n".join(f"- {md(p)}" for p in report.errors),
            title=f"Final export refused: the model is invalid ({count(len(report.errors), 'problem')} to fix first; "
            "the draft below is still offered)",
            icon=":material/block:",
        )
        return
    _button(
        _render(fmt, model, options),
        f"Final: {fmt.label}",
        FINAL_KEY,
        primary=True,
        help=HELP["downloads.final"].format(description=fmt.description),
    )


def _button(exported: Exported, label: str, key: str, *, help: str, primary: bool = False,
            icon: str = ":material/download:") -> None:
    st.download_button(
        label,
        exported.content,
        file_name=exported.file_name,
        mime=exported.media_type,
        icon=icon,
        type="primary" if primary else "secondary",
        key=key,
        help=help,
    )
    st.caption(md(exported.file_name))


# --------------------------------------------------------------------------------------------
# Rendering, cached where it takes a moment
# --------------------------------------------------------------------------------------------
def _render(fmt: ExportFormat, model: ScoringModel, options: Mapping[str, Any]) -> Exported:
    """The format's file; the Excel workbook and the PDF come from a cache keyed by the model."""
    if fmt.name not in ("xlsx", "pdf"):
        return fmt.render(model, options)
    draft = bool(options.get(DRAFT))
    content, file_name, media_type = _cached_render(fmt.name, model.model_dump_json(), draft, dt.date.today())
    return Exported(content, file_name, media_type)


@st.cache_data(show_spinner="Building the file…", max_entries=16)
def _cached_render(name: str, model_json: str, draft: bool, day: dt.date) -> tuple[bytes | str, str, str]:
    # The date is part of the key: the PDF prints it. A draft's notice counts the model's problems,
    # which validation of the model gives again.
    model = ScoringModel.model_validate_json(model_json)
    exported = get_format(name).render(model, {DRAFT: draft, "as_of": day})
    return exported.content, exported.file_name, exported.media_type


# --------------------------------------------------------------------------------------------
# A platform pack's fidelity, shown before its download
# --------------------------------------------------------------------------------------------
def _lead_list(model: ScoringModel) -> tuple[str, pd.DataFrame, dt.date] | None:
    """The lead list open on the Lead list page, with the model's columns mapped as that page maps them."""
    loaded = st.session_state.get(LeadKeys.LIST)
    if loaded is None:
        return None
    frame, _ = scoring_frame(loaded.frame, mapping_rows(model, list(loaded.frame.columns)))
    as_of = st.session_state.get(LeadKeys.AS_OF)
    return loaded.name, frame, as_of if isinstance(as_of, dt.date) else dt.date.today()


@st.cache_data(show_spinner="Measuring how faithfully the platform reproduces the model…", max_entries=16)
def _measured(name: str, model_json: str, digest: str | None, as_of: dt.date, _frame: pd.DataFrame | None
              ) -> FidelityReport:
    # The lead list is known by its digest (hashing 100,000 rows on every run would cost more than measuring).
    return fidelity(name, ScoringModel.model_validate_json(model_json), _frame, as_of)


def _render_fidelity(fmt: ExportFormat, model: ScoringModel) -> FidelityReport:
    """The fidelity of the pack in words, above its buttons; the report goes into the pack too."""
    leads = _lead_list(model)
    report = None
    if leads is not None:
        name, frame, as_of = leads
        loaded = st.session_state.get(LeadKeys.LIST)
        try:
            report = _measured(fmt.name, model.model_dump_json(), getattr(loaded, "digest", name), as_of, frame)
        except LeadListError:
            report = None  # the list cannot be read with this model: the scenarios still say something
    if report is None:
        report = _measured(fmt.name, model.model_dump_json(), None, dt.date.today(), None)
    with st.container(border=True, key=FIDELITY_KEY):
        st.markdown(f"**How faithfully {md(report.platform)} reproduces the model**",
                    help=HELP["downloads.fidelity"])
        st.markdown(fidelity_summary(report, leads[0] if leads else None))
        if report.scenario_changes:
            changed = "\n".join(f"- {md(c.sentence())}" for c in report.scenario_changes)
            st.markdown("Scenarios that change:\n\n" + changed)
        st.markdown("What is approximated, and how:\n\n" + (
            "\n".join(f"- {md(a)}" for a in report.approximations)
            or "- Nothing: the platform expresses the whole model."))
    return report


def fidelity_summary(report: FidelityReport, list_name: str | None) -> str:
    """The figures in one or two sentences: scenarios kept and, with a lead list, leads kept."""
    kept = report.scenarios - len(report.scenario_changes)
    parts = [f"**{kept} of {report.scenarios}** scenarios keep their state on {md(report.platform)}."]
    if report.share is not None and list_name is not None:
        parts.append(
            f"On the lead list {md(list_name)}, **{report.leads_preserved:,} of {report.leads:,} leads "
            f"({report.share:.1%})** keep their state."
        )
        moves = sorted(report.moves.items(), key=lambda kv: -kv[1])[:3]
        if moves:
            parts.append("Most moved: " + "; ".join(f"{n:,} from {md(a)} to {md(b)}" for (a, b), n in moves) + ".")
    else:
        parts.append("Open a lead list on the Lead list page to measure the share of its leads that keep their state.")
    return " ".join(parts)
