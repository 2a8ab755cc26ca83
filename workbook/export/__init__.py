"""Exporters of the typed model: one module per format and one registry that both the command line
(``export --format``) and the app's download menu read.

* :mod:`~workbook.export.yaml` — the model file (final, or a draft headed by its problems);
* :mod:`~workbook.export.json` — the model's data as JSON;
* :mod:`~workbook.export.jsonschema` — the JSON Schema of the model file;
* :mod:`~workbook.export.sql_format` — one SQL SELECT over a lead table (:mod:`workbook.export.sql`,
  dialects :data:`~workbook.export.sql.DIALECTS`);
* :mod:`~workbook.export.dbt_format` — the same query as a dbt model file (:mod:`workbook.export.dbt`).

Each format is an :class:`~workbook.export.base.ExportFormat`; ``render(model, options)`` gives an
:class:`~workbook.export.base.Exported` (content, file name, media type). What final and draft
mean is in :mod:`workbook.export.naming`. A new format is one module and one entry in :data:`FORMATS`.
"""

from __future__ import annotations

from workbook.export import dbt_format, json, jsonschema, sql_format, yaml
from workbook.export.base import Exported, ExportFormat
from workbook.export.naming import DRAFT, REPORT, final_refusal
from workbook.export.sql import DIALECTS

FORMATS: tuple[ExportFormat, ...] = (yaml.FORMAT, json.FORMAT, jsonschema.FORMAT, sql_format.FORMAT, dbt_format.FORMAT)


class UnknownFormat(KeyError):
    """No format of the registry has this name."""


def format_names() -> tuple[str, ...]:
    """The names of every format, in the registry's order (the CLI's ``--format`` choices)."""
    return tuple(f.name for f in FORMATS)


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; :class:`UnknownFormat` when there is none."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise UnknownFormat(f"unknown format '{name}'; choose one of {', '.join(format_names())}")


__all__ = [
    "DIALECTS",
    "DRAFT",
    "FORMATS",
    "REPORT",
    "ExportFormat",
    "Exported",
    "UnknownFormat",
    "final_refusal",
    "format_names",
    "get_format",
]
