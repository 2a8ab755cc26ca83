"""History: every revision in words; look at, restore or undo one; compare two side by side."""

from workbook.ui import history_page

history_page.render()
