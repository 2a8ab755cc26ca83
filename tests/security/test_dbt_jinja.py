"""The dbt export never lets model text act as Jinja (issue 12, finding 1).

Every text field of the model that reaches the SQL (model name, state names, value labels,
match texts, column names) carries break-out payloads; the file is rendered by Jinja as dbt
would. Nothing may run, and the rendered SQL must be exactly the plain SQL export.
"""

from __future__ import annotations

import jinja2
import pytest

from workbook.export.dbt import to_dbt
from workbook.export.sql import DIALECTS, to_sql
from workbook.files import load_model_file

PAYLOADS = [
    "{% endraw %}{{ boom() }}{% raw %}",
    "{%- endraw -%}{{ boom() }}{%- raw -%}",
    "{%endraw%}{{boom()}}{%raw%}",
    "{%+ endraw +%}{{ boom() }}",
    "{# c #}{{ boom() }}",
    "O'Brien's {{ boom() }}",
    "}}{% endraw %}{% set x = boom() %}",
]


def hostile_model(payload: str):
    model = load_model_file("scenarios/sales_automation.yaml").model
    data = model.model_dump()
    first_state = data["states"][0]["name"]
    hot = f"{first_state} {payload}"
    data["name"] = f"Model {payload}"
    data["states"][0]["name"] = hot
    data["matrix"] = {cell: (hot if state == first_state else state) for cell, state in data["matrix"].items()}
    if data.get("knockout_state") == first_state:
        data["knockout_state"] = hot
    attribute = data["profile"][0]
    attribute["column"] = f"col {payload}"
    attribute["values"][0]["label"] = f"Label {payload}"
    attribute["values"][0]["match"] = {"contains": [payload, "plain"]}
    data["scenarios"] = []
    return type(model).model_validate(data)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("dialect", DIALECTS)
def test_dbt_file_runs_no_model_text(payload, dialect):
    model = hostile_model(payload)
    calls: list[int] = []

    def boom() -> str:
        calls.append(1)
        return "PWNED"

    text = to_dbt(model, dialect, "stg_leads")
    rendered = jinja2.Environment().from_string(text).render(config=lambda **kw: "", ref=lambda n: n, boom=boom)
    assert calls == [] and "PWNED" not in rendered
    # what dbt compiles is exactly the plain SQL export over the same table (the headers differ)
    body = rendered.split("\n\n", 1)[1]
    plain = to_sql(model, dialect, table="stg_leads")

    def query(sql: str) -> str:
        return "\n".join(line for line in sql.splitlines() if not line.startswith("--"))

    assert query(body) == query(plain)
    assert payload in rendered  # the text itself survives, inert
