"""Live vote: everyone votes on their own device; the facilitator opens, reveals and records the votes."""

from workbook.ui import vote_page

vote_page.render()
