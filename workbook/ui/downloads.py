"""The download menu: every format of the export registry (:data:`workbook.export.FORMATS`), the same
list the command line's ``export --format`` offers.

Pick a format (and, for SQL and dbt, the dialect and the lead table), then download it as final or
as draft. A final export is refused while the model is invalid, with the problems listed; the draft
is always offered. File names and media types come from the format itself. Formats that do not
depend on the model (the JSON Schema) have one download button.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from workbook.export import DIALECTS, DRAFT, REPORT, Exported, ExportFormat, final_refusal, format_names, get_format
from workbook.export.sql import SqlExportError
from workbook.export.sql_format import DEFAULT_TABLE, DIALECT, TABLE
from workbook.fmt import count
from workbook.model import ScoringModel
from workbook.ui.text import md
from workbook.validate import Report

FORMAT_KEY = "summary.export_format"
DIALECT_KEY = "summary.export_dialect"
TABLE_KEY = "summary.export_table"
FINAL_KEY = "summary.download_final"
DRAFT_KEY = "summary.download_draft"
FILE_KEY = "summary.download_file"  # a format that does not depend on the model: neither final nor draft

TABLE_HELP = {
    "sql": "The lead table the query reads, as written in the warehouse (e.g. leads or analytics.leads).",
    "dbt": "A dbt model name (leads → ref('leads')) or a source and table (crm.leads → source('crm', 'leads')).",
}


def render_menu(model: ScoringModel, report: Report) -> None:
    """The format picker, its options and the final and draft download buttons."""
    st.markdown("**Download the model**")
    fmt = get_format(
        st.selectbox(
            "Format",
            format_names(),
            format_func=lambda name: get_format(name).label,
            key=FORMAT_KEY,
            help="Every format the command line's export offers: the model file, JSON, the JSON Schema of the "
            "file, and the scoring as a SQL query or a dbt model for the data warehouse.",
        )
    )
    st.caption(md(fmt.description))
    options = _options(fmt)
    try:
        if not fmt.needs_model:
            _button(fmt.render(model, options), f"Download: {fmt.label}", FILE_KEY, primary=True,
                    help=fmt.description)
            return
        _render_final(fmt, model, report, options)
        _button(
            fmt.render(model, {**options, DRAFT: True, REPORT: report}),
            f"Draft: {fmt.label}",
            DRAFT_KEY,
            icon=":material/draft:",
            help="The model as it stands, valid or not, to keep working on it later. It is marked as a draft: "
            "its file name ends in “draft” and, in formats with comments, it starts with a comment saying so "
            "(the model file lists what is still invalid).",
        )
    except SqlExportError as exc:
        st.error(md(str(exc)), title="This export cannot be written with these options", icon=":material/error:")


def _options(fmt: ExportFormat) -> dict[str, Any]:
    """The widgets of the options the format reads, and their values."""
    options: dict[str, Any] = {}
    if DIALECT in fmt.options:
        options[DIALECT] = st.selectbox(
            "SQL dialect", DIALECTS, key=DIALECT_KEY,
            help="The database the query runs on (for dbt: the project's adapter).",
        )
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
        fmt.render(model, options),
        f"Final: {fmt.label}",
        FINAL_KEY,
        primary=True,
        help=f"{fmt.description} The agreed model, for the steering committee and for loading into the "
        "marketing platform, CRM or data warehouse.",
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
