"""ICP weights: the profile attributes, their weights and the scores of their values."""

from workbook.ui.factors_page import render_factors_page

render_factors_page("profile")
