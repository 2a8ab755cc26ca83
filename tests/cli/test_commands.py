"""The command line's shape: one module per command, the export choices read from the registry,
and no import circles between the commands."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest

from workbook.cli import COMMANDS, build_parser, main
from workbook.export import FORMATS, format_names
from workbook.export.sql import DIALECTS

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / "workbook" / "cli"


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action:
    return next(a for a in parser._actions if flag in a.option_strings)


def test_every_command_is_listed_once_with_its_own_module():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == ["check", "scenarios", "export", "calibrate", "score", "fit"]
    assert len({c.__name__ for c in COMMANDS}) == len(COMMANDS)
    modules = {p.stem for p in CLI.glob("*.py")} - {"__init__", "__main__", "common"}
    assert modules == {c.__name__.rsplit(".", 1)[1] for c in COMMANDS}, "a command module not in COMMANDS"


def test_export_format_choices_are_the_registry():
    export = _subparser("export")
    assert tuple(_option(export, "--format").choices) == format_names() == tuple(f.name for f in FORMATS)
    help_text = _option(export, "--format").help
    assert all(f.name in help_text and f.label in help_text for f in FORMATS)


def test_dialect_choices_are_the_sql_exports():
    assert tuple(_option(_subparser("export"), "--dialect").choices) == DIALECTS


def test_an_unknown_format_is_a_command_line_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["export", str(tmp_path / "m.yaml"), "--format", "docx"])
    assert exc.value.code == 2
    assert "invalid choice: 'docx'" in capsys.readouterr().err


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_commands_import_only_the_common_module_of_the_cli():
    for path in CLI.glob("*.py"):
        if path.stem in ("__init__", "__main__"):
            continue
        cli_imports = {n for n in _imports(path) if n.startswith("workbook.cli")}
        allowed = set() if path.stem == "common" else {"workbook.cli.common"}
        assert {n.rsplit(".", 1)[0] if n.count(".") > 2 else n for n in cli_imports} <= allowed, path.name
