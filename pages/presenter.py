"""Presenter view: the scenario under discussion, large, for the projector; it follows the facilitator."""

from workbook.ui import presenter_page

presenter_page.render()
