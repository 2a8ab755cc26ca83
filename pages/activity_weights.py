"""Activity weights: the engagement activities, their weights and their (recency) values."""

from workbook.ui import factors_page

factors_page.render("engagement")
