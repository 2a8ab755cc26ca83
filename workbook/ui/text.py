"""Showing what people typed: always as text, never as HTML, Markdown or a link."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")
# Streamlit's Markdown turns bare addresses into links after escapes are read (GitHub's
# "autolink literal": www.…, http(s)://…, name@host.tld), so escaping cannot stop them. A
# WORD JOINER (U+2060: invisible, zero width, no line break) inside each pattern does.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=https)(?=:)|(?<=http)(?=:)|(?<=[-.\w+])(?=@[-\w]+\.[-\w])")


def md(text: object) -> str:
    """Escape text for Streamlit elements that render Markdown (titles, captions, alerts).

    Streamlit never renders raw HTML in these without ``unsafe_allow_html``; escaping the
    Markdown characters as well keeps a name like ``**Dana**`` or ``[x](javascript:…)``
    exactly as typed, and a word joiner keeps ``www.example.com`` or ``dana@example.com``
    from becoming a link.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(_JOINER, str(text)))
