"""Safe loading of model files (SPEC §2).

Loading is safe only: no aliases (alias bombs), no tags beyond the plain YAML types,
a size cap, and YAML 1.2 booleans (``true``/``false`` only), so that a value label such
as ``No`` or ``Off`` stays text. Every problem is reported with its place in the file:
a dotted location (``profile[2].values[0].score``) and, where known, the line.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from workbook.files.problems import Location, ModelFileError, ModelInvalid, Problem, format_location
from workbook.model import ScoringModel

DEFAULT_MAX_BYTES = 1024 * 1024
MAX_BYTES_ENV = "WORKBOOK_MAX_MODEL_BYTES"

def max_model_bytes() -> int:
    """The size cap for model files: ``WORKBOOK_MAX_MODEL_BYTES`` or 1 MiB."""
    raw = os.environ.get(MAX_BYTES_ENV, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


# --------------------------------------------------------------------------------------------
# The safe loader
# --------------------------------------------------------------------------------------------
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, no timestamps and no aliases."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            mark = event.start_mark
            raise ModelFileError(
                f"line {mark.line + 1}, column {mark.column + 1}: YAML aliases (*{event.anchor}) are not "
                "allowed in model files; write the value out"
            )
        return super().compose_node(parent, index)


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# YAML 1.1 rules PyYAML applies that turn what people write as text into something else:
# yes/no/on/off booleans, dates, 9:00 as 540 (base 60), 010 as octal 8, 1_000, 0b101, '=' and '<<'.
_YAML_11_ONLY = (_BOOL, _TIMESTAMP, _INT, _FLOAT, "tag:yaml.org,2002:value", "tag:yaml.org,2002:merge")
_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _YAML_11_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# The YAML 1.2 core schema instead: true/false, decimal integers without leading zeros, decimals.
LOADER_RULES = (
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")),
    (
        _FLOAT,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+0123456789."),
    ),
)
for _tag, _rx, _first in LOADER_RULES:
    _SafeLoader.add_implicit_resolver(_tag, _rx, _first)


@dataclass
class ParsedYaml:
    data: Any
    lines: dict[Location, int]
    problems: list[Problem]


def parse_yaml(text: str | bytes, *, max_bytes: int | None = None) -> ParsedYaml:
    """Parse YAML text safely, recording the line of every location and any duplicate keys.

    Raises :class:`ModelFileError` for anything that is not readable YAML of plain types.
    """
    cap = max_model_bytes() if max_bytes is None else max_bytes
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > cap:
        raise ModelFileError(f"file is too large: {len(raw):,} bytes, the limit is {cap:,} bytes")
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"file is not UTF-8 text (byte {exc.start}): save it as UTF-8") from None
    if "\x00" in decoded:
        raise ModelFileError("file contains NUL bytes: it is not a text file")
    try:
        loader = _SafeLoader(decoded)
    except yaml.reader.ReaderError as exc:
        raise ModelFileError(_reader_error_text(decoded, exc)) from None
    try:
        node = loader.get_single_node()
    except ModelFileError:
        raise
    except yaml.reader.ReaderError as exc:
        raise ModelFileError(_reader_error_text(decoded, exc)) from None
    except RecursionError:
        raise ModelFileError("the YAML is nested too deeply to be a model file") from None
    except yaml.MarkedYAMLError as exc:
        raise ModelFileError(_yaml_error_text(exc)) from None
    except yaml.YAMLError as exc:
        raise ModelFileError(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        raise ModelFileError("file is empty: a model file is a YAML mapping (schema_version, name, …)")
    lines: dict[Location, int] = {}
    problems: list[Problem] = []
    try:
        data = _construct(node, (), lines, problems)
    except RecursionError:
        raise ModelFileError("the YAML is nested too deeply to be a model file") from None
    except yaml.YAMLError as exc:
        raise ModelFileError(_yaml_error_text(exc) if isinstance(exc, yaml.MarkedYAMLError) else str(exc)) from None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise ModelFileError(f"line 1: the file holds {kind}; a model file is a YAML mapping (schema_version, name, …)")
    return ParsedYaml(data, lines, problems)


def _reader_error_text(text: str, exc: yaml.reader.ReaderError) -> str:
    line = text.count("\n", 0, exc.position) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return f"line {line}: the file contains the control character U+{code:04X}; a model file is plain text"


def _yaml_error_text(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    what = exc.problem or exc.context or "syntax error"
    return f"{where}not valid YAML: {what}"


def _construct(node: Node, loc: Location, lines: dict[Location, int], problems: list[Problem]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        mark = node.start_mark
        raise ModelFileError(
            f"line {mark.line + 1}, column {mark.column + 1}: the YAML tag {node.tag!r} is not allowed "
            "in model files (only plain text, numbers, true/false, lists and mappings)"
        )
    if isinstance(node, MappingNode):
        out: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, MappingNode | SequenceNode):
                mark = key_node.start_mark
                raise ModelFileError(f"line {mark.line + 1}: a mapping key must be plain text")
            key = _construct(key_node, loc, {}, problems)
            if isinstance(key, bool) or key is None:
                key = str(key_node.value)
            if key in first_line:
                problems.append(
                    Problem(
                        format_location((*loc, key)),
                        f"duplicate key (first given on line {first_line[key]}); give each key once",
                        line=key_node.start_mark.line + 1,
                    )
                )
            first_line[key] = key_node.start_mark.line + 1
            child = (*loc, key if isinstance(key, str) else str(key))
            out[key] = _construct(value_node, child, lines, problems)
        return out
    if isinstance(node, SequenceNode):
        return [_construct(item, (*loc, i), lines, problems) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    line = node.start_mark.line + 1
    try:
        value = _SCALARS.construct_object(node)
    except ValueError:  # an integer of more than 4,300 digits is the one way here
        raise ModelFileError(f"line {line}: a number too long to read ({len(node.value):,} characters)") from None
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            code = ord(value[_bad(value)])
            raise ModelFileError(
                f"line {line}: the text contains an invalid character (a lone surrogate, \\u{code:04x})"
            ) from None
    return value


def _bad(text: str) -> int:
    return next(i for i, c in enumerate(text) if 0xD800 <= ord(c) <= 0xDFFF)


class _ScalarConstructor(yaml.constructor.SafeConstructor):
    pass


_SCALARS = _ScalarConstructor()


# --------------------------------------------------------------------------------------------
# From data to the typed model
# --------------------------------------------------------------------------------------------
def model_from_data(data: dict[str, Any], lines: dict[Location, int] | None = None) -> ScoringModel:
    """Build the typed model from plain data, or raise :class:`ModelInvalid` with every problem."""
    lines = lines or {}
    data = _normalise_levels(data)
    try:
        return ScoringModel.model_validate(data)
    except ValidationError as exc:
        raise ModelInvalid(_problems_from_validation(exc, lines)) from None


def _normalise_levels(data: dict[str, Any]) -> dict[str, Any]:
    """Matrix keys such as ``A1`` are text already; nothing else needs it (labels coerce)."""
    matrix = data.get("matrix")
    if isinstance(matrix, dict):
        data = {**data, "matrix": {str(k): v for k, v in matrix.items()}}
    return data


_MESSAGES = {
    "missing": "required key is missing",
    "string_type": "must be text",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping (key: value lines)",
    "model_attributes_type": "must be a mapping (key: value lines)",
    "datetime_type": "must be a date-time such as 2026-11-22T14:00:00Z",
    "datetime_parsing": "must be a date-time such as 2026-11-22T14:00:00Z",
    "datetime_from_date_parsing": "must be a date-time such as 2026-11-22T14:00:00Z",
    "finite_number": "must be a finite number",
}


def _problems_from_validation(exc: ValidationError, lines: dict[Location, int]) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p != "[key]")
        kind = err["type"]
        if kind == "extra_forbidden":
            message = "unknown key" + _did_you_mean(loc)
        elif kind == "literal_error":
            message = f"must be one of {err['ctx']['expected']}"
        elif kind == "value_error":
            message = str(err["ctx"]["error"])
        else:
            message = _MESSAGES.get(kind, err["msg"])
        line = lines.get(loc) or lines.get(loc[:-1])
        problems.append(Problem(format_location(loc), message, line=line))
    return problems


def _did_you_mean(loc: Location) -> str:
    parent = _class_at(loc[:-1])
    if parent is None or not loc or not isinstance(loc[-1], str):
        return ""
    allowed = list(parent.model_fields)
    close = difflib.get_close_matches(loc[-1], allowed, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{hint}; allowed here: {', '.join(allowed)}"


def _class_at(loc: Location) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``loc``."""
    current: Any = ScoringModel
    for part in loc:
        if isinstance(part, int):
            current = _item_type(current, list)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = _strip_optional(field.annotation)
        else:
            current = _item_type(current, dict)
        if current is None:
            return None
    current = _strip_optional(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _item_type(tp: Any, container: type) -> Any:
    tp = _strip_optional(tp)
    if typing.get_origin(tp) is container:
        return _strip_optional(typing.get_args(tp)[-1])
    return None


# --------------------------------------------------------------------------------------------
# Public loading API
# --------------------------------------------------------------------------------------------
@dataclass
class LoadedModel:
    model: ScoringModel
    lines: dict[Location, int]


def load_model_text(text: str | bytes, *, max_bytes: int | None = None) -> LoadedModel:
    """Load a model from YAML text.

    Raises :class:`ModelFileError` (unreadable) or :class:`ModelInvalid` (wrong shape).
    """
    parsed = parse_yaml(text, max_bytes=max_bytes)
    try:
        model = model_from_data(parsed.data, parsed.lines)
    except ModelInvalid as exc:
        raise ModelInvalid(parsed.problems + exc.problems) from None
    if parsed.problems:
        raise ModelInvalid(parsed.problems)
    return LoadedModel(model, parsed.lines)


def load_model_file(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> LoadedModel:
    """Load a model file from disk; see :func:`load_model_text`."""
    p = Path(path)
    cap = max_model_bytes() if max_bytes is None else max_bytes
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise ModelFileError(f"{p}: not a file")
        if size > cap:
            raise ModelFileError(f"file is too large: {size:,} bytes, the limit is {cap:,} bytes")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"{p}: no such file") from None
    except PermissionError:
        raise ModelFileError(f"{p}: permission denied") from None
    except IsADirectoryError:
        raise ModelFileError(f"{p}: is a folder, not a file") from None
    except OSError as exc:
        raise ModelFileError(f"{p}: cannot be read ({exc.strerror})") from None
    return load_model_text(raw, max_bytes=cap)
