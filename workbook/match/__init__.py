"""SPEC §4: matching raw lead-list cells to value labels — one home for the match-rule keys.

* :mod:`~workbook.match.rules` — :data:`RULE_KEYS`, the table of keys (equals, contains, min,
  max, within_days, empty), each with its validation, words, per-cell, vectorized, SQL,
  table-editor and sample forms;
* :mod:`~workbook.match.cells` — reading one cell (text, number, date, emptiness): the
  per-cell reference the other forms are tested against;
* :mod:`~workbook.match.values` — which value of an attribute a cell is (first match wins);
* :mod:`~workbook.match.columns` — the vectorized forms on a factorized column;
* :mod:`~workbook.match.sql` — the SQL helper columns and a rule's SQL condition;
* :mod:`~workbook.match.rows` — a rule as a row of the table editor.
"""

from workbook.match.cells import (
    DATE_PATTERN,
    MAX_NUMBER_CHARS,
    NUMBER_PATTERN,
    WHITESPACE,
    Cell,
    cell_text,
    is_empty,
    is_na,
    normalize,
    parse_date,
    parse_number,
    window_start,
)
from workbook.match.columns import ColumnView, factor_labels
from workbook.match.rows import MATCH_NUMBER_KEYS, MATCH_TEXT_KEYS, EditError, match_to_row, row_to_match
from workbook.match.rules import (
    MAX_WITHIN_DAYS,
    RULE_KEYS,
    RuleKey,
    check_match,
    describe_match,
    effective_match,
    match_rule,
)
from workbook.match.values import Factor, label_for, labels_for_row, match_value

__all__ = [
    "DATE_PATTERN",
    "MATCH_NUMBER_KEYS",
    "MATCH_TEXT_KEYS",
    "MAX_NUMBER_CHARS",
    "MAX_WITHIN_DAYS",
    "NUMBER_PATTERN",
    "RULE_KEYS",
    "WHITESPACE",
    "Cell",
    "ColumnView",
    "EditError",
    "Factor",
    "RuleKey",
    "cell_text",
    "check_match",
    "describe_match",
    "effective_match",
    "factor_labels",
    "is_empty",
    "is_na",
    "label_for",
    "labels_for_row",
    "match_rule",
    "match_to_row",
    "match_value",
    "normalize",
    "parse_date",
    "parse_number",
    "row_to_match",
    "window_start",
]
