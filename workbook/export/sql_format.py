"""The SQL export as a format: the scoring query of :mod:`workbook.export.sql` as a ``.sql`` file.

Options: ``dialect`` (one of :data:`workbook.export.sql.DIALECTS`, default duckdb), ``table`` (the
lead table, default ``leads``) and ``as_of`` (a date for recency rules; default the database's
CURRENT_DATE). A draft starts with a comment saying so. Raises
:class:`~workbook.export.sql.SqlExportError` when the query cannot be written (e.g. a table name
that does not parse).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from workbook.export.base import Exported, ExportFormat
from workbook.export.naming import draft_notice, file_name, is_draft, report_of
from workbook.export.sql import DIALECTS, to_sql
from workbook.model import ScoringModel

MEDIA_TYPE = "application/sql"
DIALECT, TABLE, AS_OF = "dialect", "table", "as_of"
DEFAULT_DIALECT = DIALECTS[0]
DEFAULT_TABLE = "leads"
OPTIONS = (DIALECT, TABLE, AS_OF)


def query_options(options: Mapping[str, Any]) -> tuple[str, str, dt.date | None]:
    """``(dialect, table, as_of)`` from the options, with the defaults for what is not given."""
    return (options.get(DIALECT) or DEFAULT_DIALECT, options.get(TABLE) or DEFAULT_TABLE, options.get(AS_OF))


def draft_comment(model: ScoringModel, options: Mapping[str, Any]) -> str:
    """``-- DRAFT: …`` for a draft, else nothing. Only counts, never text a user typed."""
    return f"-- {draft_notice(report_of(model, options))}\n" if is_draft(options) else ""


def render(model: ScoringModel, options: Mapping[str, Any]) -> Exported:
    dialect, table, as_of = query_options(options)
    text = draft_comment(model, options) + to_sql(model, dialect, table, as_of)
    return Exported(text, file_name(model, "sql", draft=is_draft(options), suffix=f"-{dialect}"), MEDIA_TYPE)


FORMAT = ExportFormat(
    name="sql",
    label="SQL query",
    description="One SELECT that scores every row of a lead table in the data warehouse, with the app's answers.",
    render=render,
    options=OPTIONS,
)
