"""Lead list: score a real list with the workbook — spread over the grid, capacity, data quality, outcome."""

from workbook.ui import leads_page

leads_page.render()
