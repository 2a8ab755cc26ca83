"""The model file (YAML, SPEC §2) as a final or a draft export.

The final file is exactly what :func:`workbook.files.dump_model` writes. The draft is the same YAML
headed by comments saying why it is not final (the model's problems, one per line), so that a
draft opened later still says what is left to do; loading it gives the same model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook.export.base import Exported, ExportFormat
from workbook.export.naming import draft_notice, file_name, is_draft, one_line, report_of
from workbook.files import dump_model
from workbook.model import ScoringModel
from workbook.validate import Report

MEDIA_TYPE = "application/x-yaml"


def final_file_name(model: ScoringModel) -> str:
    return file_name(model, "yaml")


def draft_file_name(model: ScoringModel) -> str:
    return file_name(model, "yaml", draft=True)


def final_text(model: ScoringModel) -> str:
    """The model file for the final export (only offered while the model is valid)."""
    return dump_model(model)


def draft_text(model: ScoringModel, report: Report) -> str:
    """The model file as a draft: the same YAML, headed by comments saying why it is not final."""
    head = [f"# {draft_notice(report)}"]
    # A YAML comment ends at a line break: problem texts (which quote names people typed) are
    # flattened to one line so that they can never leave the comment.
    head += [f"#   {one_line(str(p))}" for p in report.errors]
    return "\n".join(head) + "\n" + dump_model(model)


def render(model: ScoringModel, options: Mapping[str, Any]) -> Exported:
    """The model file; with the draft option, the draft with its problem comments."""
    if is_draft(options):
        return Exported(draft_text(model, report_of(model, options)), draft_file_name(model), MEDIA_TYPE)
    return Exported(final_text(model), final_file_name(model), MEDIA_TYPE)


FORMAT = ExportFormat(
    name="yaml",
    label="Model file (YAML)",
    description="The model file itself: to keep, to share, to open again in this app or with `python -m workbook`.",
    render=render,
)
