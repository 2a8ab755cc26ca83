"""What a model file read from an upload breaks, shown the same way wherever a file is taken in
(the Workbooks page's model file, the Excel workbook import)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbook import fmt
from workbook.ui.text import md


def show_read_problems(name: str | None, errors: Sequence[str], warnings: Sequence[str], *, refused: str,
                       draft: str) -> bool:
    """The file's errors (``refused``: the title's words for a file that cannot be read) or, when it
    was read, the rules the model named ``name`` breaks (``draft``: what that means for it).
    True when the file was read (``name`` is not None)."""
    if name is None:
        st.error("\n".join(f"- {md(p)}" for p in errors), title=refused, icon=":material/block:")
        return False
    if warnings:
        st.warning(
            "\n".join(f"- {md(p)}" for p in warnings),
            title=f"{md(name)} breaks {fmt.count(len(warnings), 'rule')}: {draft}",
            icon=":material/warning:",
        )
    return True
