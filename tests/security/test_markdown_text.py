"""Text people typed, shown through Markdown, stays text: no formatting, no HTML, no link (issue 12)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.ui.text import md

JOINER = "\u2060"
# GitHub's autolink literals as Streamlit's Markdown finds them (mdast-util-gfm-autolink-literal).
AUTOLINK = re.compile(r"(?i)(https?://|www\.)[-.\w]|[-.\w+]+@[-\w]+\.[-\w]")


def shown(escaped: str) -> str:
    """The text a reader sees: backslash escapes read, invisible joiners dropped."""
    return re.sub(r"\\(.)", r"\1", escaped).replace(JOINER, "")


@pytest.mark.parametrize("typed", [
    "www.evil.com", "WWW.Evil.com/x", "https://evil.com/a?b=1", "HTTP://evil.com", "dana@evil.com",
    "mailto:dana@evil.com", "<https://evil.com>", "[x](javascript:alert(1))", "**Dana**", "<b>x</b>",
])
def test_links_and_markup_are_shown_as_typed_and_never_act(typed):
    escaped = md(typed)
    assert shown(escaped) == typed
    assert not AUTOLINK.search(escaped.replace("\\", ""))


@given(st.text(max_size=60).filter(lambda t: JOINER not in t))
def test_any_text_reads_back_exactly(typed):
    assert shown(md(typed)) == typed
