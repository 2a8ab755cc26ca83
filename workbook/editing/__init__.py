"""Pure, immutable edits of a model — what the workshop tabs do, without any UI.

Every function returns a new :class:`ScoringModel` and never changes its argument. Edits
that rename something carry the rename everywhere it is referenced (a renamed attribute
keeps its scenario selections, a renamed state keeps its grid cells), which is what a
facilitator expects from a spreadsheet.

One module per tab, and this package is their one facade (``editing.set_team(...)``):

| module | edits |
|---|---|
| :mod:`~workbook.editing.team` | the team, functions and roles |
| :mod:`~workbook.editing.thresholds` | bands, states, the grid, model-wide settings |
| :mod:`~workbook.editing.factors` | attributes and activities, their values, weights and match rules |
| :mod:`~workbook.editing.match_rows` | a match rule as table cells, and back |
| :mod:`~workbook.editing.scenarios` | test scenarios |
| :mod:`~workbook.editing.scenario_rows` | test scenarios from pasted rows or a file, in words |
| :mod:`~workbook.editing.leads` | the remembered lead-list column mapping |
| :mod:`~workbook.editing.paste` | rows pasted from a spreadsheet or read from a file, as a table's rows |
| :mod:`~workbook.editing.common` | the error, reading table cells, a blank model |
"""

from __future__ import annotations

from workbook.editing.common import EditError, Row, blank_model
from workbook.editing.factors import (
    missing_parts,
    move_factor,
    set_factor_column,
    set_factor_weight,
    set_factors,
    set_factors_keep_columns,
    set_match_rules,
    set_values,
    set_values_keep_match,
    value_usage,
)
from workbook.editing.leads import set_column_map
from workbook.editing.match_rows import MATCH_NUMBER_KEYS, MATCH_TEXT_KEYS, match_to_row, row_to_match
from workbook.editing.paste import TableShape, expand_pasted, rows_from_table, split_block
from workbook.editing.scenario_rows import add_scenarios_from_rows, scenario_columns, scenarios_from_rows
from workbook.editing.scenarios import (
    EstimateKey,
    add_scenario,
    delete_scenario,
    duplicate_scenario,
    set_member_estimate,
    set_scenario,
    set_scenario_estimate,
    set_scenario_text,
    set_scenario_value,
    unique_name,
)
from workbook.editing.team import (
    EMAIL_PATTERN,
    TEAM_FUNCTIONS,
    TEAM_FUNCTIONS_NEEDED,
    TEAM_ROLES,
    choices,
    edit_team,
    function_coverage,
    is_email,
    set_member_field,
    set_team,
)
from workbook.editing.thresholds import set_bands, set_matrix, set_model_fields, set_states
from workbook.model import Section  # defined in the model; re-exported for callers that import it from here

__all__ = [
    "EMAIL_PATTERN",
    "EditError",
    "EstimateKey",
    "MATCH_NUMBER_KEYS",
    "MATCH_TEXT_KEYS",
    "Row",
    "Section",
    "TableShape",
    "TEAM_FUNCTIONS",
    "TEAM_FUNCTIONS_NEEDED",
    "TEAM_ROLES",
    "add_scenario",
    "add_scenarios_from_rows",
    "blank_model",
    "choices",
    "delete_scenario",
    "duplicate_scenario",
    "edit_team",
    "expand_pasted",
    "function_coverage",
    "is_email",
    "match_to_row",
    "missing_parts",
    "move_factor",
    "row_to_match",
    "scenario_columns",
    "scenarios_from_rows",
    "rows_from_table",
    "set_bands",
    "set_column_map",
    "set_factor_column",
    "set_factor_weight",
    "set_factors",
    "set_factors_keep_columns",
    "set_match_rules",
    "set_matrix",
    "set_member_estimate",
    "set_member_field",
    "set_model_fields",
    "set_scenario",
    "set_scenario_estimate",
    "set_scenario_text",
    "set_scenario_value",
    "set_states",
    "set_team",
    "set_values",
    "set_values_keep_match",
    "split_block",
    "unique_name",
    "value_usage",
]
