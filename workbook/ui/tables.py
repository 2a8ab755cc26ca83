"""Table editors: build a frame from the model, hand edited rows back to a pure edit.

An editor that saved its own edit stays standing. The browser's table keeps its cursor and
its edits while the app saves each cell as a revision, so typing across a row with Tab,
Enter or the arrow keys keeps every cell, as in a spreadsheet. Rebuilding the editor after
each save dropped the focus after the first cell. The editor is rebuilt from the model only
when something else changed it (another table, someone else's change, a refused edit), or
when the model keeps something other than what was typed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from workbook.editing import TableShape, expand_pasted, rows_from_table, split_block
from workbook.leads.reading import LeadListError, read_lead_bytes
from workbook.model import ScoringModel
from workbook.ui.actions import edit_in_callback, read_only_or, try_edit
from workbook.ui.keys import page_key
from workbook.ui.state import StateKeys, editor_key

ORIG = "orig"  # hidden column: a row's position before the edit (None for new rows)
EDITORS = page_key("tables", "editors")  # name → _Editor: the editors standing in this session


def frame(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A frame with the given columns and a hidden ``orig`` column numbering the rows."""
    df = pd.DataFrame(list(rows), columns=list(columns))
    df[ORIG] = range(len(df))
    return df


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts with NaN turned into None."""
    out = []
    for row in df.to_dict("records"):
        out.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()})
    return out


def apply_delta(rows: list[dict[str, Any]], delta: dict[str, Any], columns: Sequence[str]) -> list[dict[str, Any]]:
    """The rows after a table editor's edits (``edited_rows``, ``deleted_rows``, ``added_rows``)."""
    out = [dict(r) for r in rows]
    for position, changes in (delta.get("edited_rows") or {}).items():
        out[int(position)].update(changes)
    deleted = {int(i) for i in delta.get("deleted_rows") or []}
    out = [r for i, r in enumerate(out) if i not in deleted]
    out += [{**dict.fromkeys(columns), **added} for added in delta.get("added_rows") or []]
    return out


def _has_edits(delta: Any) -> bool:
    return isinstance(delta, dict) and any(delta.get(k) for k in ("edited_rows", "deleted_rows", "added_rows"))


def _canonical(delta: Any) -> str:
    return json.dumps(delta or {}, sort_keys=True, default=str)


# Column kinds the table editor never lets a person type into.
_READ_ONLY_KINDS = {"progress", "line_chart", "bar_chart", "area_chart", "image", "json"}


def table_shape(df: pd.DataFrame, column_config: dict[str, Any]) -> TableShape:
    """The editable columns of an editor in display order, their labels, numbers, ticks and choices."""
    columns, labels, numbers, flags, choices = [], {}, set(), set(), {}
    for column in df.columns:
        config = column_config.get(column)
        if column == ORIG or config is None or not isinstance(config, dict) or config.get("disabled"):
            continue
        kind = (config.get("type_config") or {}).get("type")
        if kind in _READ_ONLY_KINDS:
            continue
        columns.append(column)
        labels[column] = config.get("label") or column
        if kind == "number":
            numbers.add(column)
        elif kind == "checkbox":
            flags.add(column)
        elif kind == "selectbox":
            choices[column] = [str(o) for o in (config["type_config"].get("options") or [])]
    return TableShape(columns, labels, frozenset(numbers), frozenset(flags), choices)


@dataclass
class _Editor:
    """An editor standing in the browser: what it was built from, and what it has saved."""

    key: str
    df: pd.DataFrame  # the frame it was built from (sent again unchanged while it stands)
    before: list[dict[str, Any]]
    positions: dict[tuple[str, int], int]  # a shown row (see _identified) → its place in the model
    base: int | None  # the store revision whose model is what the editor shows; None: rebuild
    resets: int
    config: str  # the column configuration it was built with
    applied: str | None = None  # the last change of the editor that was acted on


def _identified(
    before: list[dict[str, Any]], delta: dict[str, Any], columns: Sequence[str], positions: dict[tuple[str, int], int]
) -> list[tuple[tuple[str, int], dict[str, Any]]]:
    """The editor's rows after its changes, each with who it is and ``orig`` its place in the model.

    A row is ("b", i), the i-th row the editor was built with, or ("a", k), the k-th row added
    in it. The editor's changes pile up while it stands, so a row added and saved earlier is
    still "added" there; ``positions`` (kept at each save) says where the model holds it, so
    the next edit keeps what the model gained meanwhile (an attribute's values, say).
    """
    rows = [(("b", i), dict(r)) for i, r in enumerate(before)]
    for position, changes in (delta.get("edited_rows") or {}).items():
        rows[int(position)][1].update(changes)
    deleted = {int(i) for i in delta.get("deleted_rows") or []}
    rows = [r for i, r in enumerate(rows) if i not in deleted]
    rows += [(("a", k), {**dict.fromkeys(columns), **added}) for k, added in enumerate(delta.get("added_rows") or [])]
    for identity, row in rows:
        row[ORIG] = positions.get(identity)
    return rows


def _pending(row: dict[str, Any], first: str | None) -> bool:
    """A new row without a name yet: nothing to save, but kept in the editor as typed."""
    return row.get(ORIG) is None and first is not None and not str(row.get(first) or "").strip()


def _shown(rows: list[dict[str, Any]], shape: TableShape) -> list[tuple]:
    """The editable cells as a person reads them (pending rows left out), for comparing."""
    first = shape.columns[0] if shape.columns else None

    def cell(value: Any) -> Any:
        if hasattr(value, "item") and not isinstance(value, str):  # a NumPy scalar
            value = value.item()
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return float(value)
        return str(value).strip()

    return [tuple(cell(r.get(c)) for c in shape.columns) for r in rows if not _pending(r, first)]


def _standing(
    name: str, df: pd.DataFrame, config: str, keyed: Callable[[], str], shows_model: Callable[[_Editor], bool]
) -> _Editor:
    """The editor to show: the one standing if it still shows the model, else a new one."""
    editors: dict[str, _Editor] = st.session_state.setdefault(EDITORS, {})
    old = editors.get(name)
    base, resets = st.session_state[StateKeys.BASE], st.session_state.get(StateKeys.RESETS, 0)
    if (
        old is not None
        and old.base == base
        and old.resets == resets
        and old.config == config
        and old.key in st.session_state  # a page left and come back to has dropped its input
        and shows_model(old)
    ):
        return old
    before = records(df)
    new = _Editor(
        key=keyed(), df=df, before=before, positions={("b", i): i for i in range(len(before))}, base=base,
        resets=resets, config=config,
    )
    if old is not None and new.key == old.key and _has_edits(st.session_state.get(old.key)):
        # Same key, but input the model did not take: the browser would keep it. Make it new.
        new.key = f"{new.key}~{base}.{resets}"
    editors[name] = new
    return new


def edit_table(
    name: str,
    df: pd.DataFrame,
    apply: Callable[[ScoringModel, list[dict[str, Any]]], ScoringModel],
    *,
    column_config: dict[str, Any],
    message: str,
    dynamic: bool = True,
    keyed_by_rows: bool = False,
    only: Sequence[str] | Callable[[dict[str, Any]], Sequence[str]] | None = None,
    **kwargs: Any,
) -> None:
    """Show an editable table; when the user changes it, run ``apply(model, rows)`` and save.

    The edit is applied in the editor's change callback, before the page runs again, so
    one run shows its effect everywhere. While the editor's own edits are what the model
    holds, it stays standing (see the module's docstring); otherwise it is rebuilt from the
    model under a new key — with ``keyed_by_rows`` a key that follows the table's rows, so
    an unchanged table is not rebuilt in the browser. An edit that ``apply`` refuses is
    shown as an error and nothing changes. A block pasted into one cell (a spreadsheet's
    rows) is spread over rows and columns first (:func:`~workbook.editing.expand_pasted`).
    A new row without a name waits in the editor until it has one.

    A table drawn in a fragment must say what reruns after an edit, ``only``: the fragments
    that show everything its edits change (see :func:`~workbook.ui.actions.edit_in_callback`),
    or a function of the editor's changes (``edited_rows`` …) naming them; empty, the whole
    app reruns. Outside fragments (``None``) an edit reruns the whole app anyway.
    """
    config = {ORIG: None, **column_config}
    shape = table_shape(df, column_config)
    first = shape.columns[0] if shape.columns else None
    rows_now = records(df)
    columns = list(df.columns)

    def typed(stand: _Editor, delta: dict[str, Any]) -> list[dict[str, Any]]:
        return expand_pasted([row for _, row in _identified(stand.before, delta, columns, stand.positions)], shape)

    def _shows(stand: _Editor, delta: dict[str, Any]) -> bool:
        # What the person typed is what the model holds (else show the model). A change not
        # acted on yet (no callback ran: tests set the state) is taken in below first.
        if _canonical(delta) != stand.applied and _has_edits(delta):
            return True
        return _shown(typed(stand, delta), shape) == _shown(rows_now, shape)

    editor = _standing(
        name, df, repr(sorted(config.items(), key=lambda kv: kv[0])),
        lambda: editor_key(name, rows_now) if keyed_by_rows else editor_key(name),
        lambda stand: _shows(stand, st.session_state.get(stand.key) or {}),
    )
    key = editor.key

    def edited_rows(delta: dict[str, Any]) -> list[dict[str, Any]]:
        return typed(editor, delta)

    def on_change() -> None:
        delta = st.session_state.get(key) or {}
        identified = _identified(editor.before, delta, columns, editor.positions)
        rows = edited_rows(delta)
        start = model = st.session_state[StateKeys.MODEL]
        if _canonical(delta) == editor.applied:
            # Acted on already. The browser sends each editor's changes with every request,
            # and a late one (sent before it drew the page's answer) can carry an editor
            # since replaced: Streamlit then calls that editor's callback again. Its changes,
            # applied to its old rows, would undo whatever changed since. Saved once only.
            return
        editor.applied = _canonical(delta)
        try:
            proposed = apply(start, rows)
        except Exception:  # noqa: BLE001 — try_edit below shows the refusal in words
            proposed = None
        if proposed is not None and proposed == model:
            return  # nothing to save (a row still without a name waits as typed)
        try:
            if only is None:
                try_edit(lambda: apply(start, rows), message)
            else:
                edit_in_callback(lambda _now: apply(start, rows), message,
                                 only=only(delta) if callable(only) else only)
        finally:
            # Saved as proposed: the editor stays, and notes where the model now holds each row.
            # Refused, merged with others' changes, or a pasted block spread out: rebuild.
            saved = proposed is not None and st.session_state[StateKeys.MODEL] == proposed
            kept = [identity for identity, row in identified if not _pending(row, first)]
            spread = len(kept) != len([r for r in rows if not _pending(r, first)])
            editor.base = st.session_state[StateKeys.BASE] if saved and not spread else None
            if saved:
                editor.positions = {identity: i for i, identity in enumerate(kept)}

    edited = st.data_editor(
        editor.df,
        key=key,
        num_rows="dynamic" if dynamic else "fixed",
        hide_index=kwargs.pop("hide_index", True),
        column_config=config,
        width="stretch",
        placeholder="",
        on_change=on_change,
        disabled=read_only_or(kwargs.pop("disabled", False)),
        **kwargs,
    )
    # Edits that arrive without the callback (state set directly, as tests do) still count.
    delta = st.session_state.get(key)
    if _has_edits(delta) and _canonical(delta) != editor.applied and records(edited) != editor.before:
        editor.applied, editor.base = _canonical(delta), None
        try_edit(lambda: apply(st.session_state[StateKeys.MODEL], edited_rows(delta)), message)
        st.rerun()
    _name_missing(editor, delta, first, shape)


def _name_missing(editor: _Editor, delta: Any, first: str | None, shape: TableShape) -> None:
    """Say that a new row waits for its name (it is not saved until it has one)."""
    if not isinstance(delta, dict) or first is None:
        return
    waiting = [r for r in delta.get("added_rows") or [] if not str(r.get(first) or "").strip()]
    if waiting:
        label = shape.labels.get(first, first)
        st.caption(f":material/edit_note: A new row is saved once its “{label}” is filled in.")


def import_rows(
    name: str,
    df: pd.DataFrame,
    apply: Callable[[ScoringModel, list[dict[str, Any]]], ScoringModel],
    *,
    column_config: dict[str, Any],
    what: str,
    only: Sequence[str] | None = None,
) -> None:
    """An expander to add rows from a CSV or Excel file, or from rows pasted as text.

    The file is read by the lead-list reader (encodings guessed, size capped, every cell as
    text); its header row names the columns (by label or key, any case). Pasted text is
    tab-separated, with or without a header. All the rows are added in one revision.
    Drawn in a fragment, ``only`` names the fragments to rerun (as for :func:`edit_table`).
    """
    shape = table_shape(df, column_config)
    upload_key, text_key = page_key(name, "import_file"), page_key(name, "import_text")
    with st.expander(f"Add {what} from a file or pasted rows", icon=":material/upload_file:"):
        st.caption(
            f"A CSV or Excel file with a header row ({', '.join(shape.labels[c] for c in shape.columns)}), "
            "or rows copied from a spreadsheet and pasted below. Each line becomes one row."
        )
        st.file_uploader("CSV or Excel file", type=["csv", "txt", "tsv", "xlsx"], key=upload_key,
                         disabled=read_only_or())
        st.text_area("Or paste rows", key=text_key, height=100, placeholder="Name⇥Title⇥Function …",
                     disabled=read_only_or())
        st.button(f"Add these {what}", icon=":material/playlist_add:", key=page_key(name, "import_go"),
                  disabled=read_only_or(),
                  on_click=_import, args=(df, apply, shape, upload_key, text_key, what, only))


def _import(
    df: pd.DataFrame, apply: Callable, shape: TableShape, upload_key: str, text_key: str, what: str,
    only: Sequence[str] | None,
) -> None:
    upload = st.session_state.get(upload_key)
    text = st.session_state.get(text_key) or ""
    if upload is not None:
        try:
            table = read_lead_bytes(upload.getvalue(), upload.name)
        except LeadListError as exc:
            st.session_state[StateKeys.ERROR] = f"Nothing added: {exc}"
            return
        cells = [list(table.frame.columns), *table.frame.astype(str).values.tolist()]
        new = rows_from_table(cells, shape, header=True)
    else:
        new = rows_from_table(split_block(text), shape)
    if not new:
        st.session_state[StateKeys.ERROR] = f"Nothing added: no {what} found in the file or the pasted text."
        return
    rows = records(df) + [{**dict.fromkeys(df.columns), **row, ORIG: None} for row in new]
    def emptied() -> None:  # only once saved: a refused paste stays in its box to be mended
        st.session_state[text_key] = ""

    if only is None:
        if try_edit(lambda: apply(st.session_state[StateKeys.MODEL], rows), f"{len(new)} {what} added"):
            emptied()
    else:
        edit_in_callback(lambda model: apply(model, rows), f"{len(new)} {what} added", only=only, saved=emptied)
