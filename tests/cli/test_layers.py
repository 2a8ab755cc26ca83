"""Nothing outside the command line imports it: the app and the core stand without it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UI_FILES = sorted([*(REPO / "workbook" / "ui").rglob("*.py"), *(REPO / "pages").glob("*.py"), REPO / "app.py"])
CORE_FILES = sorted(
    p for p in (REPO / "workbook").rglob("*.py")
    if not p.is_relative_to(REPO / "workbook" / "cli") and not p.is_relative_to(REPO / "workbook" / "ui")
    and p.name != "__main__.py"
)


def imports_cli(path: Path) -> list[str]:
    """The lines of ``path`` that import workbook.cli, in any form (import, from … import, from workbook import cli)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        if any(n == "workbook.cli" or n.startswith(("workbook.cli.", "workbook.cli_")) for n in names):
            found.append(f"line {node.lineno}")
    return found


def test_the_check_sees_an_import_of_the_cli(tmp_path):
    for text in ("from workbook.cli.calibrate import x\n", "import workbook.cli\n", "from workbook import cli\n",
                 "def f():\n    from workbook.cli_calibrate import flip_text\n"):
        path = tmp_path / "m.py"
        path.write_text(text)
        assert imports_cli(path), text
    (tmp_path / "m.py").write_text("from workbook.calibrate import flip_text\nimport workbook.client\n")
    assert not imports_cli(tmp_path / "m.py")


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_app_does_not_import_the_cli(path):
    assert not imports_cli(path)


def test_the_core_does_not_import_the_cli():
    assert CORE_FILES
    assert {str(p.relative_to(REPO)): imports_cli(p) for p in CORE_FILES if imports_cli(p)} == {}
