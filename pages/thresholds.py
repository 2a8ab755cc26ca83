"""Thresholds: profile grades, engagement levels, action states and the grade × level grid."""

from workbook.ui import thresholds_page

thresholds_page.render()
