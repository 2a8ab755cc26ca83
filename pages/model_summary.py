"""Model summary: a printable document of the model, and the model file in and out."""

from workbook.ui import summary_page

summary_page.render()
