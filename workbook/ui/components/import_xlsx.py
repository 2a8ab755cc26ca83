"""Import an Excel workbook (exported by this app, perhaps edited in Excel or LibreOffice since) on the
Workbooks page: as a NEW workbook, or as a revision of the current one.

The file is read by :mod:`workbook.export.xlsx_read` (size and zip-bomb caps, located problems;
never half a model). As a revision, every difference from the current model is listed in words
(:func:`workbook.ui.actions.diff_models`), with the scenarios whose computed state it moves, and
nothing changes until "Apply as one revision": then all of them are saved as one revision, which
the sidebar's Undo takes back. The store is reached through :mod:`workbook.ui.actions` only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import streamlit as st

from workbook import fmt
from workbook.export.xlsx_read import MAX_FILE_BYTES, WorkbookXlsxError, read_workbook_xlsx
from workbook.model import ScoringModel
from workbook.ui import actions
from workbook.ui.components.read_problems import show_read_problems
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import page_key
from workbook.ui.state import Workshop
from workbook.ui.text import md
from workbook.validate import validate

GENERATION = page_key("import_xlsx", "generation")  # moves on to empty the uploader after an import
MODE = page_key("import_xlsx", "mode")
APPLY = page_key("import_xlsx", "apply")
CREATE = page_key("import_xlsx", "create")
MODES = {"new": "A new workbook", "revision": "A revision of the current workbook"}
MAX_LISTED = 60  # differences listed one by one; the rest are counted


@dataclass(frozen=True)
class ReadXlsx:
    """An uploaded Excel workbook: its model, or the located problems that refuse it."""

    name: str
    model: ScoringModel | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # rules the model breaks: it opens as a draft


def uploader_key_for(state: object) -> str:
    """The uploader's key in ``state`` (a session state): it moves on after each import, to empty it."""
    return page_key("import_xlsx", "upload", state[GENERATION] if GENERATION in state else 0)  # type: ignore[index,operator]


def uploader_key() -> str:
    return uploader_key_for(st.session_state)


def read_upload(name: str, data: bytes) -> ReadXlsx:
    """Read an uploaded .xlsx; never raises (a reader bug refuses the file instead of breaking the page)."""
    try:
        model = read_workbook_xlsx(data)
    except WorkbookXlsxError as exc:
        return ReadXlsx(name, errors=exc.problems)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds for a damaged file
        return ReadXlsx(name, errors=[f"the file cannot be read as this app's Excel workbook ({type(exc).__name__})"])
    return ReadXlsx(name, model, warnings=[str(p) for p in validate(model).errors])


@st.cache_data(show_spinner="Reading the Excel workbook…", max_entries=4)
def _read_cached(name: str, digest: str, _data: bytes) -> ReadXlsx:
    return read_upload(name, _data)


def _done() -> None:
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def _create(file: ReadXlsx) -> None:
    message = f"Opened {file.name} as a new workbook"
    if file.model is not None and actions.create_workbook(file.model, "upload", message):
        _done()


def _apply(file: ReadXlsx, count: int) -> None:
    said = f"Applied {file.name}: {fmt.count(count, 'change')} in one revision"
    if file.model is not None and actions.commit(file.model, said):
        _done()


def render(ws: Workshop) -> None:
    """The import section: upload, problems or differences, then create or apply."""
    st.subheader("Import an Excel workbook")
    st.caption("A workbook exported from Download the model › Excel workbook, edited in Excel or not.")
    uploaded = st.file_uploader(
        "Excel workbook (.xlsx)",
        type=["xlsx"],
        key=uploader_key(),
        max_upload_size=max(1, MAX_FILE_BYTES // (1024 * 1024)),
        help=HELP["import_xlsx.upload"].format(mb=f"{MAX_FILE_BYTES // (1024 * 1024):,}"),
    )
    if uploaded is None:
        return
    data = uploaded.getvalue()
    file = _read_cached(uploaded.name, hashlib.sha256(data).hexdigest(), data)
    if not show_read_problems(
        file.model.name if file.model else None, file.errors, file.warnings,
        refused=f"Not imported: {md(file.name)} cannot be read as this app's Excel workbook",
        draft="it stays a draft until they are fixed",
    ):
        return
    mode = st.segmented_control("Import it as", list(MODES), format_func=MODES.get, default="new", key=MODE,
                                help=HELP["import_xlsx.as"], required=True)
    if mode == "revision":
        _render_revision(ws, file)
        return
    st.button("Create workbook from this Excel file", icon=":material/add:", type="primary", key=CREATE,
              on_click=_create, args=(file,), help=HELP["import_xlsx.create"])


def _render_revision(ws: Workshop, file: ReadXlsx) -> None:
    assert file.model is not None
    diff = actions.diff_models(ws.model, file.model)
    if not diff:
        st.info(f"No differences: {md(file.name)} holds the current model of {md(ws.model.name)}.",
                icon=":material/check_circle:")
        return
    sentences = diff.sentences
    st.markdown(f"**{fmt.count(len(sentences), 'difference')}** from the current model of {md(ws.model.name)}:")
    listed = "\n".join(f"- {md(s)}" for s in sentences[:MAX_LISTED])
    if len(sentences) > MAX_LISTED:
        listed += f"\n- … and {len(sentences) - MAX_LISTED:,} more"
    st.markdown(listed)
    if diff.scenario_state_changes:
        moved = "\n".join(f"- {md(c.sentence)}" for c in diff.scenario_state_changes)
        st.markdown(f"Scenarios whose computed result moves:\n\n{moved}")
    st.button("Apply as one revision", icon=":material/done_all:", type="primary", key=APPLY,
              on_click=_apply, args=(file, len(sentences)), help=HELP["import_xlsx.apply"],
              disabled=not may("edit"))
