"""The model as JSON: the same data as the model file, for tools that read JSON rather than YAML.

JSON has no comments, so a draft differs from the final export only by its file name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from workbook.export.base import Exported, ExportFormat
from workbook.export.naming import file_name, is_draft
from workbook.files import model_to_data
from workbook.model import ScoringModel

MEDIA_TYPE = "application/json"


def model_json(model: ScoringModel) -> str:
    """The model file's data as indented JSON text ending in a newline."""
    return json.dumps(model_to_data(model), indent=2, ensure_ascii=False) + "\n"


def render(model: ScoringModel, options: Mapping[str, Any]) -> Exported:
    return Exported(model_json(model), file_name(model, "json", draft=is_draft(options)), MEDIA_TYPE)


FORMAT = ExportFormat(
    name="json",
    label="Model as JSON",
    description="The model file's content as JSON, for a marketing platform, a CRM or a script.",
    render=render,
)
