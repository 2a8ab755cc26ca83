"""Review: the steering committee signs off a release candidate; the final model file."""

from workbook.ui import review_page

review_page.render()
