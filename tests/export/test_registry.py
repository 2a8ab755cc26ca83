"""The export registry: every format renders both example workbooks to a file with a sensible name
and media type, final and draft; the command line prints exactly what the registry renders; the
SQL dialects are listed once."""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
import sqlglot
import yaml as pyyaml

from workbook.cli import main
from workbook.export import (
    DIALECTS,
    DRAFT,
    FORMATS,
    REPORT,
    Exported,
    UnknownFormat,
    final_refusal,
    format_names,
    get_format,
)
from workbook.export.naming import slug
from workbook.export.platforms import PACKS
from workbook.export.xlsx import read_workbook_xlsx
from workbook.files import load_model_file, load_model_text, model_to_data
from workbook.validate import validate

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "scenarios").glob("*.yaml"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"yaml": "application/x-yaml", "json": "application/json", "jsonschema": "application/schema+json",
         "sql": "application/sql", "dbt": "application/sql", "xlsx": XLSX, "pdf": "application/pdf",
         **{name: "application/zip" for name in PACKS}}
EXTENSION = {"application/x-yaml": ".yaml", "application/json": ".json", "application/schema+json": ".json",
             "application/sql": ".sql", XLSX: ".xlsx", "application/pdf": ".pdf", "application/zip": ".zip"}
TEXT_FORMATS = ("yaml", "json", "jsonschema", "sql", "dbt")
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def example(request):
    return load_model_file(request.param).model


def test_the_two_example_workbooks_are_there():
    assert {p.name for p in EXAMPLES} >= {"sales_automation.yaml", "x_education.yaml"}


def test_names_are_unique_and_looked_up():
    assert len(set(format_names())) == len(FORMATS) >= 5
    assert set(format_names()) >= {"yaml", "json", "jsonschema", "sql", "dbt"}
    assert set(format_names()) >= {"xlsx", "pdf", "hubspot", "account-engagement", "marketo", "dynamics", "mautic"}
    for fmt in FORMATS:
        assert get_format(fmt.name) is fmt
        assert fmt.label and fmt.description
        assert fmt.binary == (fmt.name not in TEXT_FORMATS), fmt.name
    with pytest.raises(UnknownFormat, match="choose one of yaml, json"):
        get_format("docx")


def _check_binary(name: str, exported: Exported, model) -> None:
    data = exported.content
    assert isinstance(data, bytes) and data, name
    if name == "xlsx":
        assert read_workbook_xlsx(data) == model
    elif name == "pdf":
        assert data.startswith(b"%PDF")
        text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())
        assert model.scenarios[0].name[:30] in text
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            assert "fidelity.md" in names and any(n.endswith("setup-guide.md") for n in names), names
            assert "scenarios keep their state" in archive.read("fidelity.md").decode()


def _check_content(name: str, exported: Exported, model, dialect: str = "duckdb") -> None:
    if name not in TEXT_FORMATS:
        _check_binary(name, exported, model)
        return
    assert isinstance(exported.content, str), "text formats give text"
    text = exported.content
    body = "\n".join(line for line in text.splitlines() if not line.startswith("-- DRAFT"))
    if name == "yaml":
        assert load_model_text(text).model == model
    elif name == "json":
        assert json.loads(text) == json.loads(json.dumps(model_to_data(model)))
    elif name == "jsonschema":
        assert json.loads(text)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    elif name == "sql":
        assert [type(e).__name__ for e in sqlglot.parse(body, read=dialect)] == ["Select"]
    elif name == "dbt":
        assert body.startswith("{{ config(materialized='view') }}") and "{{ ref('leads') }}" in body
    else:  # a format added later: at least not empty
        assert text.strip()


@pytest.mark.parametrize("name", format_names())
def test_every_format_renders_a_final_file(name, example):
    fmt = get_format(name)
    exported = fmt.render(example, {})
    assert isinstance(exported, Exported)
    if name in MEDIA:
        assert exported.media_type == MEDIA[name]
    assert re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", exported.media_type)
    assert SAFE_NAME.match(exported.file_name), exported.file_name
    assert exported.file_name.endswith(EXTENSION.get(exported.media_type, ""))
    assert "draft" not in exported.file_name
    if fmt.needs_model:
        assert slug(example.name).replace("-", "_")[:20] in exported.file_name.replace("-", "_")
    _check_content(name, exported, example)
    assert exported.as_bytes()


@pytest.mark.parametrize("name", format_names())
def test_every_format_renders_a_draft_marked_as_one(name, example):
    fmt = get_format(name)
    final = fmt.render(example, {})
    draft = fmt.render(example, {DRAFT: True, REPORT: validate(example)})
    assert draft.media_type == final.media_type
    if not fmt.needs_model:
        assert draft == final, "a file that does not depend on the model has no draft"
        return
    assert "draft" in draft.file_name and draft.file_name != final.file_name
    assert Path(draft.file_name).suffix == Path(final.file_name).suffix
    _check_content(name, draft, example)


@pytest.mark.parametrize("name", ["sql", "dbt"])
@pytest.mark.parametrize("dialect", DIALECTS)
def test_sql_formats_take_the_dialect_table_and_date(name, dialect, example):
    exported = get_format(name).render(example, {"dialect": dialect, "table": "crm.leads",
                                                 "as_of": dt.date(2026, 6, 1)})
    text = str(exported.content)
    assert f"for {dialect}" in text and "2026-06-01" in text
    if name == "sql":
        assert dialect in exported.file_name
        _check_content(name, exported, example, dialect)
    else:
        assert "{{ source('crm', 'leads') }}" in text


def test_an_invalid_draft_says_how_many_problems_but_no_typed_text(example):
    invalid = example.model_copy(deep=True)
    invalid.profile[0].weight += 5
    invalid.profile[0].name = "{{ evil }} -- DROP TABLE"  # names refuse line breaks (issue 12)
    report = validate(invalid)
    assert not report.is_valid
    for name in ("sql", "dbt"):
        text = str(get_format(name).render(invalid, {DRAFT: True, REPORT: report}).content)
        first = text.splitlines()[0]
        assert first.startswith("-- DRAFT") and f"({len(report.errors)} problem(s))" in first
        assert "evil" not in first
    yaml_draft = str(get_format("yaml").render(invalid, {DRAFT: True}).content)
    assert yaml_draft.startswith("# DRAFT") and load_model_text(yaml_draft).model == invalid


def test_final_refusal_in_plain_words(example):
    assert final_refusal(validate(example)) is None
    invalid = example.model_copy(deep=True)
    invalid.profile[0].weight += 5
    assert final_refusal(validate(invalid)) == "a final export needs a valid model (1 error(s))"


# --------------------------------------------------------------------------------------------
# The command line reads the registry
# --------------------------------------------------------------------------------------------
def _same_file(name: str, a: bytes, b: bytes) -> bool:
    """Two renders of a binary format hold the same thing (.xlsx and .pdf carry their creation time)."""
    if name == "xlsx":
        return read_workbook_xlsx(a) == read_workbook_xlsx(b)
    if name == "pdf":
        def text(data: bytes) -> str:
            return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
        return text(a) == text(b)
    return a == b


@pytest.mark.parametrize("name", [n for n in format_names() if n not in TEXT_FORMATS])
def test_the_cli_writes_what_the_registry_renders_for_binary_formats(name, capsys, tmp_path):
    path = REPO / "scenarios" / "x_education.yaml"
    model = load_model_file(path).model
    out = tmp_path / "file.bin"
    assert main(["export", str(path), "--format", name, "-o", str(out)]) == 0
    assert _same_file(name, out.read_bytes(), get_format(name).render(model, {}).as_bytes())
    err = capsys.readouterr().err
    assert f"wrote {out}" in err


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_the_cli_prints_what_the_registry_renders(name, capsys):
    path = REPO / "scenarios" / "x_education.yaml"
    model = load_model_file(path).model
    argv = ["export", str(path), "--format", name]
    options = {}
    if "dialect" in get_format(name).options:
        argv += ["--dialect", "snowflake", "--table", "crm.leads", "--as-of", "2026-06-01"]
        options = {"dialect": "snowflake", "table": "crm.leads", "as_of": dt.date(2026, 6, 1)}
    assert main(argv) == 0
    assert capsys.readouterr().out == get_format(name).render(model, options).content


def test_the_cli_draft_of_an_invalid_model_is_the_model_as_it_stands(capsys, tmp_path):
    model = load_model_file(REPO / "scenarios" / "sales_automation.yaml").model
    model.profile[0].weight += 5
    path = tmp_path / "invalid.yaml"
    path.write_text(get_format("yaml").render(model, {}).content)
    assert main(["export", str(path), "--format", "yaml"]) == 1
    assert "not exported — a final export needs a valid model (1 error(s)); use --draft" in capsys.readouterr().err
    assert main(["export", str(path), "--format", "yaml", "--draft"]) == 0
    assert load_model_text(capsys.readouterr().out).model == model


# --------------------------------------------------------------------------------------------
# One list of dialects
# --------------------------------------------------------------------------------------------
def test_the_dialects_are_written_once():
    """No module but export/sql.py spells out a list of dialects (a tuple or list literal of them)."""
    spelled = {}
    for path in (REPO / "workbook").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if len(words & set(DIALECTS)) >= 3:
                    spelled.setdefault(str(path.relative_to(REPO)), []).append(node.lineno)
    assert list(spelled) == ["workbook/export/sql.py"], spelled
    assert len(spelled["workbook/export/sql.py"]) == 1


def test_yaml_safe_load_reads_the_draft_comments_as_comments(example):
    draft = str(get_format("yaml").render(example, {DRAFT: True}).content)
    assert pyyaml.safe_load(draft) == pyyaml.safe_load(str(get_format("yaml").render(example, {}).content))
