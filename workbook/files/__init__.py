"""Model files in and out (SPEC §2): safe reading with problems in place, stable dumping, atomic writing.

| module | holds |
|---|---|
| :mod:`~workbook.files.problems` | a problem with its place in the file (location, line) and the two errors |
| :mod:`~workbook.files.reading` | safe YAML parsing, size caps, data to the typed model, loading |
| :mod:`~workbook.files.dumping` | the model as plain data and as readable YAML |
| :mod:`~workbook.files.writing` | writing a file whole or not at all |
| :mod:`~workbook.files.quoted` | separated text with spreadsheet-style quoted cells (pasted blocks, typed lists) |
"""

from __future__ import annotations

from workbook.files.dumping import dump_data, dump_model, model_to_data
from workbook.files.problems import Location, ModelFileError, ModelInvalid, Problem, format_location
from workbook.files.reading import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    LoadedModel,
    ParsedYaml,
    load_model_file,
    load_model_text,
    max_model_bytes,
    model_from_data,
    parse_yaml,
)
from workbook.files.writing import write_bytes_atomic, write_text_atomic

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "LoadedModel",
    "Location",
    "ModelFileError",
    "ModelInvalid",
    "ParsedYaml",
    "Problem",
    "dump_data",
    "dump_model",
    "format_location",
    "load_model_file",
    "load_model_text",
    "max_model_bytes",
    "model_from_data",
    "model_to_data",
    "parse_yaml",
    "write_bytes_atomic",
    "write_text_atomic",
]
