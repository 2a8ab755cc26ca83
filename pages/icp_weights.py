"""ICP weights: the profile attributes, their weights and the scores of their values."""

from workbook.ui import factors_page

factors_page.render("profile")
