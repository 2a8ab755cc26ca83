"""Exporters of the typed model, one module per format.

* :mod:`workbook.export.sql` — the model as one SQL SELECT over a lead table (duckdb,
  postgres, snowflake, bigquery, spark), with exactly the engine's answers;
* :mod:`workbook.export.dbt` — the same query as a dbt model file.
"""
