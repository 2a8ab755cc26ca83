"""Activity weights: the engagement activities, their weights and their (recency) values."""

from workbook.ui.factors_page import render_factors_page

render_factors_page("engagement")
