"""Test scenarios: concrete leads, the team's estimate beside the model's computed result."""

from workbook.ui import scenarios_page

scenarios_page.render()
