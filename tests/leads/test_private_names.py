"""No module of workbook.leads imports another module's private (``_``) names: what the engines
share with the reader (encoding guess, delimiter, column tidying, the SQL engines' column check)
is public, so a change to a private helper cannot quietly break another module."""

from __future__ import annotations

import ast
from pathlib import Path

LEADS = Path(__file__).resolve().parents[2] / "workbook" / "leads"


def private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("workbook"):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_no_leads_module_imports_private_names():
    modules = sorted(LEADS.rglob("*.py"))
    assert len(modules) > 10
    offenders = {str(p.relative_to(LEADS)): names for p in modules if (names := private_imports(p))}
    assert offenders == {}


def test_the_check_sees_a_private_import(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("from workbook.leads.reading import LeadListError, _secret\n", encoding="utf-8")
    assert private_imports(sample) == ["workbook.leads.reading._secret"]
