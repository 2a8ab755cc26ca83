"""Model summary: a printable document of the model, and the model file in and out."""

from workbook.ui import summary_page
from workbook.ui.state import workshop

ws = workshop()

summary_page.inject_print_css()
summary_page.render_actions(ws)
summary_page.render_document(ws)
