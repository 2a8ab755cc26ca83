"""Layout for laptop and small screens: a little CSS, injected once per run by app.py.

Streamlit lays out wide pages for big screens: generous side padding, columns side by side
at any width. On a 1024 or 1280 px laptop (with the sidebar open) that left tables a few
hundred pixels wide, so grids scrolled sideways (the last engagement level out of view) and
a chart beside a table collapsed to its labels. The rules below only change spacing and
stacking; no user text ever goes into this CSS.

Columns wrapped in a container keyed ``stack_…`` (:func:`stacking`) sit side by side on a
wide screen and stack below each other under 1200 px (``stacksm_…``: under 900 px;
``stacklg_…``: under 1400 px, for two tables that each need about 480 px).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

STACK_BELOW_PX = {"stack": 1200, "stacksm": 900, "stacklg": 1400}  # viewport width below which keyed columns stack
NAV_COMPACT_BELOW_PX = 1200  # viewport width below which the top navigation's tabs drop their icons

LAYOUT_CSS = f"""
<style>
/* Laptops: less side padding around the page. */
@media (max-width: 1366px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 1.5rem; padding-right: 1.5rem; }}
}}
/* Side-by-side columns of a `stack_` (`stacksm_`, `stacklg_`) container stack when the page is
   narrow (on screen: a printed page keeps its columns). */
@media screen and (max-width: {STACK_BELOW_PX["stack"]}px) {{
  [class*="st-key-stack_"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  [class*="st-key-stack_"] [data-testid="stColumn"] {{ flex: 1 1 100% !important; min-width: 100% !important; }}
}}
@media screen and (max-width: {STACK_BELOW_PX["stacklg"]}px) {{
  [class*="st-key-stacklg_"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  [class*="st-key-stacklg_"] [data-testid="stColumn"] {{ flex: 1 1 100% !important; min-width: 100% !important; }}
}}
@media screen and (max-width: {STACK_BELOW_PX["stacksm"]}px) {{
  [class*="st-key-stacksm_"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  [class*="st-key-stacksm_"] [data-testid="stColumn"] {{ flex: 1 1 100% !important; min-width: 100% !important; }}
}}
/* The top navigation: the six workbook tabs stay in view down to a 1024 px laptop with the
   sidebar open (the Workshop pages then go under "N more"). Streamlit keeps 200 px at the
   header's right for the toolbar; here it holds the menu button and, while the app runs,
   the running sign with "Stop": 128 px, so no tab folds away and back on every run. Under
   1200 px the tabs also drop their icons and some padding, in a slightly smaller font.
   Streamlit measures the tabs as drawn, so what it folds follows these rules. */
[data-testid="stToolbar"] div:has(> [data-testid="stMainMenu"]) {{ min-width: 128px; }}
@media (max-width: {NAV_COMPACT_BELOW_PX - 1}px) {{
  [data-testid="stTopNavLink"] > span:has([data-testid="stIconMaterial"]) {{ display: none; }}
  [data-testid="stTopNavLink"] {{ padding-left: 4px; padding-right: 4px; }}
  [data-testid="stTopNav"] {{ padding-left: 8px; padding-right: 8px; }}
  [data-testid="stTopNav"] span, [data-testid="stTopNav"] span::after, [data-testid="stTopNav"] p {{ font-size: 13px; }}
}}
/* The sidebar's metric labels ("Activity weights") and short widget labels beside a table
   ("Disagreements only") wrap onto a second line instead of being cut to "Activity weig…". */
[data-testid="stSidebar"] [data-testid="stMetricLabel"] p,
[data-testid="stSidebar"] [data-testid="stMetricLabel"] div {{
  white-space: normal; overflow: visible; text-overflow: clip;
}}
[data-testid="stWidgetLabel"] p {{ white-space: normal; }}
/* Long names wrap in headings and captions instead of widening the page. */
[data-testid="stMarkdownContainer"] h4, [data-testid="stCaptionContainer"] {{ overflow-wrap: anywhere; }}
</style>
"""


def inject_layout_css() -> None:
    """Add the layout rules to the page (static CSS only)."""
    st.html(LAYOUT_CSS)


def stacking(name: str, *, small: bool = False, large: bool = False):
    """A container whose columns stack on narrow screens: ``with stacking("grid"): st.columns(…)``.

    ``small``: only on small screens (below 900 px), for columns that fit side by side on a laptop.
    ``large``: already below 1400 px, for columns too wide to sit side by side on a 1280 px laptop.
    """
    prefix = "stacksm" if small else "stacklg" if large else "stack"
    return st.container(key=f"{prefix}_{name}")


def short_labels(names: Sequence[str], width: int = 28) -> list[str]:
    """Names cut to ``width`` characters with "…" (for chart axes); never two alike.

    A chart draws one bar per distinct label, so a cut that would make two names alike
    keeps those names whole.
    """
    cut = [n if len(n) <= width else n[: width - 1].rstrip() + "…" for n in names]
    counts: dict[str, int] = {}
    for c in cut:
        counts[c] = counts.get(c, 0) + 1
    return [c if counts[c] == 1 else n for c, n in zip(cut, names, strict=True)]
