"""The JSON Schema of the model file (draft 2020-12), generated from the typed model.

It does not depend on any one model: editors use it to check and complete model files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from workbook.export.base import Exported, ExportFormat
from workbook.model import SCHEMA_VERSION, ScoringModel

MEDIA_TYPE = "application/schema+json"
FILE_NAME = "lead-scoring-model.schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the model file, generated from the model's classes."""
    schema = ScoringModel.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Lead Scoring Workbook model file (schema_version {SCHEMA_VERSION})"
    schema["properties"]["schema_version"]["const"] = SCHEMA_VERSION
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def render(model: ScoringModel | None, options: Mapping[str, Any]) -> Exported:
    """The schema; ``model`` and the options are not read."""
    return Exported(schema_text(), FILE_NAME, MEDIA_TYPE)


FORMAT = ExportFormat(
    name="jsonschema",
    label="JSON Schema of the model file",
    description="The rules of the model file's shape, for editors that check and complete YAML or JSON.",
    render=render,
    needs_model=False,
)
