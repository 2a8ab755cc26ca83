"""A match rule (SPEC §4) as the cells of one table row, and back: these live with the rule keys
in :mod:`workbook.match.rows`; the edits of the factors tab read them from here."""

from workbook.match.rows import MATCH_NUMBER_KEYS, MATCH_TEXT_KEYS, match_to_row, row_to_match

__all__ = ["MATCH_NUMBER_KEYS", "MATCH_TEXT_KEYS", "match_to_row", "row_to_match"]
