"""The app's frame as a product: browser history page by page, no Streamlit credits.

Streamlit's ``client.toolbarMode = "minimal"`` (.streamlit/config.toml) keeps only the app's
About entry in the menu, but the menu still ends with "Made with Streamlit"; :func:`apply`
hides that line. Everything here is the app's own text: nothing a person typed is put into
this HTML.
"""

from __future__ import annotations

import streamlit as st

# Streamlit pushes a history entry for a page's bare address on a tab click, then another when
# the run puts the workbook back in (?wb=): "Back" would land on the bare address, whose run
# puts the same workbook back, and seem to do nothing. This makes an address that only gains
# parameters (same page, every parameter it had kept) replace its entry instead, so Back and
# Forward go page by page; another scenario opened on the same page stays a step of its own.
_HISTORY_SCRIPT = """<script>
(() => {
  const h = window.history;
  if (h.__workbookTidy) return;
  const push = h.pushState.bind(h);
  h.pushState = function (state, title, url) {
    const next = new URL(url, window.location.href);
    const now = new URLSearchParams(window.location.search);
    const kept = [...now.entries()].every(([k, v]) => next.searchParams.getAll(k).includes(v));
    if (next.pathname === window.location.pathname && kept) {
      return h.replaceState(state, title, url);
    }
    return push(state, title, url);
  };
  h.__workbookTidy = true;
})();
</script>"""

# The menu's last line, "Made with Streamlit <version>": no credits for a room of users. Added by
# the script (Streamlit drops a <style> element that comes with a script).
_CSS = "div:has(> button.stMenuVersionCopyButton) { display: none !important; }"
_STYLE_SCRIPT = f"""
(() => {{
  if (document.getElementById("workbook-chrome")) return;
  const style = document.createElement("style");
  style.id = "workbook-chrome";
  style.textContent = "{_CSS}";
  document.head.appendChild(style);
}})();
"""


def apply() -> None:
    """Once per run, at the sidebar's end: the style and the history script, one tiny element."""
    # One script element: Streamlit runs the first script of an st.html only.
    st.html(_HISTORY_SCRIPT.replace("<script>", "<script>" + _STYLE_SCRIPT, 1), unsafe_allow_javascript=True,
            width="content")
