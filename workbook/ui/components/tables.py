"""Read-only tables: rows to a frame, and a dataframe in a container named for tests and styling."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st


def rows_frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Rows as a frame with exactly ``columns`` (an empty list still has its header)."""
    return pd.DataFrame(rows, columns=columns)


def keyed_table(data: pd.DataFrame, *, key: str, **kwargs: Any) -> None:
    """A read-only table (text, never Markdown) inside a container named ``key`` (tests find it)."""
    with st.container(key=key):
        st.dataframe(data, **kwargs)
