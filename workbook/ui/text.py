"""Showing what people typed: always as text, never as HTML or Markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def md(text: object) -> str:
    """Escape text for Streamlit elements that render Markdown (titles, captions, alerts).

    Streamlit never renders raw HTML in these without ``unsafe_allow_html``; escaping the
    Markdown characters as well keeps a name like ``**Dana**`` or ``[x](javascript:…)``
    exactly as typed.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
