"""Calibration: threshold and weight suggestions, sensitivity, and the room's alignment (issue 6)."""

from workbook.ui import calibration_page

calibration_page.render()
