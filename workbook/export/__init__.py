"""Exporters of the typed model: one module per format and one registry that both the command line
(``export --format``) and the app's download menu read.

* :mod:`~workbook.export.yaml` — the model file (final, or a draft headed by its problems);
* :mod:`~workbook.export.json` — the model's data as JSON;
* :mod:`~workbook.export.jsonschema` — the JSON Schema of the model file;
* :mod:`~workbook.export.sql_format` — one SQL SELECT over a lead table (:mod:`workbook.export.sql`,
  dialects :data:`~workbook.export.sql.DIALECTS`);
* :mod:`~workbook.export.dbt_format` — the same query as a dbt model file (:mod:`workbook.export.dbt`);
* :mod:`~workbook.export.xlsx` — the workshop's Excel workbook with live formulas (read back by
  :mod:`workbook.export.xlsx_read`);
* :mod:`~workbook.export.pdf` — the model summary for the steering committee;
* :mod:`~workbook.export.platforms` — a setup pack (.zip: guide, machine file, fidelity report) per
  marketing-automation platform; :func:`fidelity` measures how faithfully one reproduces the model.

Each format is an :class:`~workbook.export.base.ExportFormat`; ``render(model, options)`` gives an
:class:`~workbook.export.base.Exported` (content, file name, media type); text formats give
``str`` content, the others (.xlsx, .pdf, .zip) ``bytes``. What final and draft
mean is in :mod:`workbook.export.naming`. A new format is one module and one entry in :data:`FORMATS`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbook.export import dbt_format, json, jsonschema, pdf, platforms, sql_format, xlsx, yaml
from workbook.export.base import Exported, ExportFormat
from workbook.export.naming import DRAFT, REPORT, final_refusal
from workbook.export.platforms.common import FIDELITY, LEADS
from workbook.export.platforms.simulation import FidelityReport
from workbook.export.sql import DIALECTS
from workbook.model import ScoringModel

FORMATS: tuple[ExportFormat, ...] = (
    yaml.FORMAT, json.FORMAT, jsonschema.FORMAT, sql_format.FORMAT, dbt_format.FORMAT, xlsx.FORMAT, pdf.FORMAT,
    *platforms.FORMATS,
)


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


def is_platform_pack(name: str) -> bool:
    """Whether the format is a platform setup pack (which has a fidelity report)."""
    return name in platforms.PACKS


def fidelity(
    name: str, model: ScoringModel, leads_frame: pd.DataFrame | None = None, as_of: dt.date | None = None
) -> FidelityReport:
    """How faithfully the platform of pack ``name`` reproduces the model: the approximations in words,
    measured on the scenarios and, when given, a lead list with the model's columns."""
    if name not in platforms.PACKS:
        raise UnknownFormat(f"'{name}' is not a platform setup pack; choose one of {', '.join(platforms.PACKS)}")
    return platforms.PACKS[name].fidelity(model, leads_frame, as_of)


__all__ = [
    "DIALECTS",
    "DRAFT",
    "FIDELITY",
    "FORMATS",
    "LEADS",
    "REPORT",
    "ExportFormat",
    "Exported",
    "FidelityReport",
    "UnknownFormat",
    "fidelity",
    "final_refusal",
    "format_names",
    "get_format",
    "is_platform_pack",
]
