"""Revision lists shared by the History and Review tabs: reading them, pickers that follow the
current revision, read-only tables, and the reader's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

import pandas as pd
import streamlit as st

from workbook.ui import actions, provenance
from workbook.ui.actions import RevisionInfo, StoreError
from workbook.ui.state import Workshop
from workbook.ui.text import md

# Streamlit wraps a table's text when its rows are over 64 px tall (up to three lines).
WRAPPED_ROW_PX = 66


def local_zone() -> tzinfo | None:
    """The reader's time zone, from the browser (None: show UTC)."""
    return provenance.local_zone(st.context.timezone, st.context.timezone_offset)


def follow_default(key: str, default: object, options: Sequence[object]) -> None:
    """Keep a picker on its default (say, the current revision, which moves as the team edits)
    until the user picks something else; then keep their choice."""
    marker = f"{key}.default"
    if st.session_state.get(key) not in options or st.session_state.get(key) == st.session_state.get(marker):
        st.session_state[key] = default
    st.session_state[marker] = default


def load_revisions(ws: Workshop) -> list[RevisionInfo]:
    """Every revision of the open workbook, newest first (their summaries, not their models)."""
    try:
        return actions.history(ws.workbook_id)
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        st.stop()


def table(key: str, data: pd.DataFrame, **kwargs: Any) -> None:
    """A read-only table (cells are text, never Markdown) in a container keyed for tests and styling."""
    with st.container(key=key):
        st.dataframe(data, hide_index=True, **kwargs)
