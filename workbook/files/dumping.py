"""Stable dumping of model files: the file's key order, readable YAML, and text that reads back as text.

``load(dump(m)) == m`` for every model: texts our loader would read as something else
(a label ``1e3``, ``No``, ``010``) are quoted by the loader's own rules.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import Node

from workbook.files.reading import LOADER_RULES
from workbook.model import ScoringModel

_ALWAYS_WRITTEN = {"missing"}
_FLOW_MAX_CHARS = 100


def model_to_data(model: ScoringModel) -> dict[str, Any]:
    """Plain data for the model, in the file's key order, without defaults that add only noise."""
    data = model.model_dump(mode="json", exclude_defaults=True)
    ordered: dict[str, Any] = {}
    for key in ScoringModel.model_fields:
        if key in data:
            ordered[key] = data[key]
        elif key in _ALWAYS_WRITTEN:
            ordered[key] = getattr(model, key)
    return _tidy_numbers(ordered)


def _tidy_numbers(value: Any) -> Any:
    """35.0 → 35 so the file reads as people write it; the value is unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: _tidy_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy_numbers(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, the way people write YAML.
        return super().increase_indent(flow, False)


def _is_short_flat(mapping: dict[Any, Any]) -> bool:
    def flat(v: Any) -> bool:
        if isinstance(v, dict):
            return all(not isinstance(x, dict | list) for x in v.values())
        if isinstance(v, list):
            return all(not isinstance(x, dict | list) for x in v)
        return not (isinstance(v, str) and "\n" in v)

    return all(flat(v) for v in mapping.values()) and len(repr(mapping)) <= _FLOW_MAX_CHARS


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> Node:
    flow = 0 < len(data) <= 4 and _is_short_flat(data) and not _is_section_mapping(data)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _is_section_mapping(data: dict[Any, Any]) -> bool:
    # Scenario value maps read best one attribute per line.
    return any(isinstance(k, str) and " " in k for k in data)


_OTHER_LINE_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> Node:
    if any(c in data for c in _OTHER_LINE_BREAKS):
        style = '"'  # a reader folds these outside double quotes; escaped, they round-trip
    else:
        style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


# Quote every text that our loader (YAML 1.2 numbers and booleans) would not read back as
# text, on top of what PyYAML's YAML 1.1 rules quote ('No', '010'): e.g. a label '1e3'.
for _tag, _rx, _first in LOADER_RULES:
    _Dumper.add_implicit_resolver(_tag, _rx, _first)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(str, _represent_str)


def dump_data(data: Any) -> str:
    """YAML text for plain data, readable and stable."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def dump_model(model: ScoringModel) -> str:
    """The model file text: stable key order, readable; load(dump(m)) == m."""
    return dump_data(model_to_data(model))
