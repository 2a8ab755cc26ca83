"""Table editors: build a frame from the model, hand edited rows back to a pure edit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from workbook.model import ScoringModel
from workbook.ui.state import editor_key, try_edit

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


def edit_table(
    name: str,
    df: pd.DataFrame,
    apply: Callable[[list[dict[str, Any]]], ScoringModel],
    *,
    column_config: dict[str, Any],
    message: str,
    dynamic: bool = True,
    **kwargs: Any,
) -> None:
    """Show an editable table; when the user changes it, run ``apply`` on the rows and commit.

    The editor's key carries the revision, so after a commit it is rebuilt from the new
    model; an edit that ``apply`` refuses is shown as an error and nothing changes.
    """
    config = {ORIG: None, **column_config}
    edited = st.data_editor(
        df,
        key=editor_key(name),
        num_rows="dynamic" if dynamic else "fixed",
        hide_index=kwargs.pop("hide_index", True),
        column_config=config,
        width="stretch",
        **kwargs,
    )
    if records(edited) != records(df):
        try_edit(lambda: apply(records(edited)), message)
        st.rerun()
