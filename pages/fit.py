"""Learn from outcomes: data-suggested scores, funnel, sales' verdicts, champion vs challenger."""

from workbook.ui import fit_page

fit_page.render()
