"""Table editors: build a frame from the model, hand edited rows back to a pure edit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from workbook.model import ScoringModel
from workbook.ui.actions import edit_in_callback, read_only_or, try_edit
from workbook.ui.state import StateKeys, editor_key

ORIG = "orig"  # hidden column: a row's position before the edit (None for new rows)


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
    one run shows its effect everywhere. The editor's key carries the edit generation, so
    after a save it is rebuilt from the new model; an edit that ``apply`` refuses is shown
    as an error and nothing changes. With ``keyed_by_rows`` the key follows the table's
    rows instead: the editor is rebuilt only when its own rows change (or an edit is
    refused), which spares the browser rebuilding every table of a page on each edit.
    A table drawn in a fragment must say what reruns after an edit, ``only``: the fragments
    that show everything its edits change (see :func:`~workbook.ui.actions.edit_in_callback`),
    or a function of the editor's changes (``edited_rows`` …) naming them; empty, the whole
    app reruns. Outside fragments (``None``) an edit reruns the whole app anyway.
    """
    before = records(df)
    key = editor_key(name, before) if keyed_by_rows else editor_key(name)
    columns = list(df.columns)

    def on_change() -> None:
        delta = st.session_state.get(key) or {}
        rows = apply_delta(before, delta, columns)
        if only is None:
            try_edit(lambda: apply(st.session_state[StateKeys.MODEL], rows), message)
        else:
            edit_in_callback(lambda model: apply(model, rows), message, only=only(delta) if callable(only) else only)

    edited = st.data_editor(
        df,
        key=key,
        num_rows="dynamic" if dynamic else "fixed",
        hide_index=kwargs.pop("hide_index", True),
        column_config={ORIG: None, **column_config},
        width="stretch",
        on_change=on_change,
        disabled=read_only_or(kwargs.pop("disabled", False)),
        **kwargs,
    )
    # Edits that arrive without the callback (state set directly, as tests do) still count.
    if _has_edits(st.session_state.get(key)) and records(edited) != before:
        try_edit(lambda: apply(st.session_state[StateKeys.MODEL], records(edited)), message)
        st.rerun()
