"""The dbt export as a format: the scoring query of :mod:`workbook.export.dbt` as a dbt model file.

Options as the SQL format (:mod:`workbook.export.sql_format`); ``table`` is a dbt model name
(``ref``) or ``source.table`` (``source``). The file name is the model's name with underscores,
a valid dbt model name; a draft starts with a comment saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook.export.base import Exported, ExportFormat
from workbook.export.dbt import to_dbt
from workbook.export.naming import is_draft, slug
from workbook.export.sql_format import MEDIA_TYPE, OPTIONS, draft_comment, query_options
from workbook.model import ScoringModel


def dbt_file_name(model: ScoringModel, *, draft: bool = False) -> str:
    """``sales_automation_fy27.sql``: dbt names the view after the file, so no hyphens."""
    return slug(model.name).replace("-", "_") + ("_draft" if draft else "") + ".sql"


def render(model: ScoringModel, options: Mapping[str, Any]) -> Exported:
    dialect, table, as_of = query_options(options)
    text = draft_comment(model, options) + to_dbt(model, dialect, table, as_of)
    return Exported(text, dbt_file_name(model, draft=is_draft(options)), MEDIA_TYPE)


FORMAT = ExportFormat(
    name="dbt",
    label="dbt model",
    description="The SQL query as a dbt model file (a view), reading the leads from a dbt model or source.",
    render=render,
    options=OPTIONS,
)
