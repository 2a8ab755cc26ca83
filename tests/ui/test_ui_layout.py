"""The shape of the UI, checked rather than remembered.

* Only the ``workbook/ui/actions/`` package imports the store (``workbook.store`` and the modules it
  owns: diff, fields, merge, database, review), over workbook/ui, pages/ and app.py.
* Every file in pages/ is short and only calls its UI module's ``render()``.
* Workbooks and Model summary open a model file through the one flow in actions.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbook.files import dump_model, load_model_file
from workbook.ui import actions
from workbook.ui.keys import StateKeys, page_key

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted([*(ROOT / "workbook" / "ui").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])
STORE_MODULES = ("workbook.store", "workbook.diff", "workbook.fields", "workbook.merge", "workbook.database",
                 "workbook.review")
ACTIONS = ROOT / "workbook" / "ui" / "actions" / "__init__.py"  # the package; its modules may import the store too
PAGE_LINES = 12
EXAMPLE = ROOT / "scenarios" / "x_education.yaml"


def _imported_modules(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            # `from workbook import store` names the module in the alias
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _is_store(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in STORE_MODULES)


def test_the_ui_files_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in UI_FILES}
    assert {"app.py", "workbook/ui/actions/__init__.py", "pages/team.py"} <= names


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_only_actions_imports_the_store(path: Path):
    modules = [m for m in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))) if _is_store(m)]
    if path == ACTIONS:
        assert modules, "actions is where the store is reached"
    elif path.parent != ACTIONS.parent:
        assert modules == [], f"{path.name} imports {modules}: go through workbook.ui.actions"


def test_the_store_import_check_sees_every_form():
    for source in ("import workbook.store", "from workbook.store import Store", "from workbook import store",
                   "from workbook.store.revisions import Store", "from workbook.diff import diff_models"):
        assert any(_is_store(m) for m in _imported_modules(ast.parse(source))), source
    assert not any(_is_store(m) for m in _imported_modules(ast.parse("from workbook.storage import x")))


PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_page_file_only_calls_its_ui_module(path: Path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= PAGE_LINES, f"{path.name} is {len(source.splitlines())} lines"
    tree = ast.parse(source)
    body = list(tree.body)
    assert ast.get_docstring(tree), "a page says what the tab is for"
    body = body[1:]
    imports = [n for n in body if isinstance(n, ast.ImportFrom)]
    calls = [n for n in body if not isinstance(n, ast.ImportFrom)]
    assert len(imports) == 1 and imports[0].module == "workbook.ui" and len(imports[0].names) == 1
    module = imports[0].names[0].name
    assert (ROOT / "workbook" / "ui" / f"{module}.py").is_file()
    assert len(calls) == 1 and isinstance(calls[0], ast.Expr) and isinstance(calls[0].value, ast.Call)
    func = calls[0].value.func
    assert isinstance(func, ast.Attribute) and func.attr == "render"
    assert isinstance(func.value, ast.Name) and func.value.id == module


def test_every_page_of_the_app_is_a_file_checked_here():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    listed = {
        node.args[0].value
        for node in ast.walk(ast.parse(app))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
        and isinstance(node.args[0], ast.Constant)
    }
    assert listed == {p.relative_to(ROOT).as_posix() for p in PAGES}


def test_page_key_names_a_key_the_way_the_pages_do():
    assert page_key("review", "mark") == "review.mark"
    assert page_key("leads", "upload", 3) == "leads.upload.3"
    assert StateKeys.MODEL == "wb.model"


# --------------------------------------------------------------------------------------------
# One "open a model file" flow
# --------------------------------------------------------------------------------------------
@pytest.fixture
def opened(monkeypatch) -> list[tuple[str, str]]:
    """Records (file name, kind) of every call of actions.open_model_file, which still runs."""
    calls: list[tuple[str, str]] = []
    original: Callable = actions.open_model_file

    def spy(file, kind):
        calls.append((file.name, kind))
        return original(file, kind)

    monkeypatch.setattr(actions, "open_model_file", spy)
    return calls


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def test_the_workbooks_page_opens_a_file_through_actions(open_page, opened):
    at = open_page("pages/workbooks.py")
    before = at.session_state[StateKeys.WORKBOOK]
    _ok(at.get_by_key(page_key("workbooks", "start_from")).set_value("file").run())
    at.get_by_key("workbooks.upload@0").upload("fy28.yaml", EXAMPLE.read_bytes())
    _ok(at.run())
    _ok(at.button(key=page_key("workbooks", "create_upload")).click().run())
    assert opened == [("fy28.yaml", "upload")]
    assert at.session_state[StateKeys.WORKBOOK] != before
    assert at.session_state[StateKeys.MODEL] == load_model_file(EXAMPLE).model


def test_the_model_summary_opens_a_file_through_actions(open_page, opened):
    at = open_page("pages/model_summary.py")
    before = at.session_state[StateKeys.WORKBOOK]
    generation = at.session_state[StateKeys.REVISION]
    model = load_model_file(EXAMPLE).model
    at.file_uploader(key=f"summary.upload@{generation}").upload("fy28.yaml", dump_model(model).encode(),
                                                                "application/x-yaml")
    _ok(at.run())
    assert opened == [("fy28.yaml", "upload")]
    assert at.session_state[StateKeys.WORKBOOK] != before
    assert at.session_state[StateKeys.MODEL] == model


def test_both_pages_read_a_file_the_same_way():
    """The reader both pages use: a broken file is refused with its place, an invalid model only warns."""
    broken = actions.read_model_file("b.yaml", b"schema_version: 1\nname: x\nstates: 3\n")
    assert broken.model is None and any("line 3" in e for e in broken.errors)
    good = actions.read_model_file("x.yaml", EXAMPLE.read_bytes())
    assert good.model == load_model_file(EXAMPLE).model and not good.errors


# --------------------------------------------------------------------------------------------
# Help texts in one place
# --------------------------------------------------------------------------------------------
def _help_keywords(path: Path) -> Iterator[ast.keyword]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            yield from (kw for kw in node.keywords if kw.arg == "help")


def _has_text(node: ast.AST) -> bool:
    """A literal text anywhere in the value: a string, an f-string's text, a concatenation."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and v.value.strip() for v in node.values)
    if isinstance(node, ast.BinOp):
        return _has_text(node.left) or _has_text(node.right)
    if isinstance(node, ast.IfExp):
        return _has_text(node.body) or _has_text(node.orelse)
    return False


@pytest.mark.parametrize(
    "path", [p for p in UI_FILES if p.name != "help.py"], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_no_widget_writes_its_own_help_text(path: Path):
    written = [ast.unparse(kw.value)[:60] for kw in _help_keywords(path) if _has_text(kw.value)]
    assert written == [], f"help texts belong in workbook/ui/help.py: {written}"


def test_every_help_key_used_is_there():
    from workbook.ui.help import HELP

    used = set()
    for path in UI_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "HELP"
                    and isinstance(node.slice, ast.Constant)):
                used.add(node.slice.value)
    assert used and used <= set(HELP), sorted(used - set(HELP))
    assert all(text.strip() for text in HELP.values())


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_figures_are_built_only_in_the_figures_module(path: Path):
    plotly = [m for m in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))) if m.startswith("plotly")]
    if path.name in ("figures.py", "fit_figures.py"):  # fit_figures: the fit page's own, escaped alike
        assert plotly, "the figures module builds the figures"
    else:
        assert plotly == [], f"{path.name} builds a figure: move it to workbook/ui/figures.py"
