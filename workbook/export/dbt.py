"""The scoring query as a dbt model file.

The file is the SQL export (:mod:`workbook.export.sql`) under a ``{{ config(materialized='view') }}``
header, reading its leads from a dbt relation instead of a table name:

* ``leads`` (a plain name) → ``{{ ref('leads') }}``: another model of the project, e.g. a staging model;
* ``crm.leads`` (source name, a dot, table name) → ``{{ source('crm', 'leads') }}``: a declared source.

Save it as ``models/lead_scores.sql`` (any name) in the dbt project; the dialect is the one of the
project's adapter (dbt-duckdb, dbt-postgres, dbt-snowflake, dbt-bigquery, dbt-spark). Text from the
model that dbt's Jinja would read as a tag (``{{``, ``{%``, ``{#``) is wrapped in ``{% raw %}``, and
every ``{`` inside it is written by an expression (``{{ "{" }}``), so that no model text — not even
``{% endraw %}`` — can end the raw block and run as Jinja.
"""

from __future__ import annotations

import datetime as dt
import re

from workbook.export.sql import SqlExportError, build_select, header
from workbook.model import ScoringModel

_PLACEHOLDER = "lsw_dbt_relation"
_JINJA = re.compile(r"\{[{%#]")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _inert(text: str) -> str:
    """``text`` with every ``{`` taken out of the raw block and written by a Jinja expression.

    A raw block ends at the first ``{% endraw %}`` (in any of Jinja's spellings), so model text
    holding one would end it and run what follows. With no ``{`` left inside the raw blocks,
    nothing in them can open a tag, an expression or a comment.
    """
    return text.replace("{", '{% endraw %}{{ "{" }}{% raw %}')


def relation(spec: str) -> str:
    """``leads`` → ``{{ ref('leads') }}``; ``crm.leads`` → ``{{ source('crm', 'leads') }}``."""
    parts = spec.split(".")
    if len(parts) == 1 and _NAME.match(parts[0]):
        return f"{{{{ ref('{parts[0]}') }}}}"
    if len(parts) == 2 and all(_NAME.match(p) for p in parts):
        return f"{{{{ source('{parts[0]}', '{parts[1]}') }}}}"
    raise SqlExportError(
        f"'{spec}' is not a dbt relation: give a model name (leads → ref('leads')) or "
        "source.table (crm.leads → source('crm', 'leads')), letters, digits and _ only"
    )


def to_dbt(model: ScoringModel, dialect: str = "duckdb", table: str = "leads", as_of: dt.date | None = None) -> str:
    """A dbt model file (view) with the scoring query over ``table`` (see the module notes)."""
    from sqlglot import ErrorLevel, exp

    from workbook.export.sql import DIALECTS, LATERAL_DIALECTS

    if dialect not in DIALECTS:
        raise SqlExportError(f"unknown dialect '{dialect}'; choose one of {', '.join(DIALECTS)}")
    source = relation(table)
    tree = build_select(model, exp.to_table(_PLACEHOLDER), as_of, lateral=dialect in LATERAL_DIALECTS, dialect=dialect)
    body = header(model, dialect, as_of, source.replace("{{", "").replace("}}", "").strip())
    body += tree.sql(dialect=dialect, pretty=True, unsupported_level=ErrorLevel.RAISE) + "\n"
    pieces = body.split(_PLACEHOLDER)
    if any(_JINJA.search(p) for p in pieces):
        text = "{% raw %}" + ("{% endraw %}" + source + "{% raw %}").join(map(_inert, pieces)) + "{% endraw %}"
    else:
        text = source.join(pieces)
    return "{{ config(materialized='view') }}\n\n" + text
