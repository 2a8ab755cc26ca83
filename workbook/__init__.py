"""Lead Scoring Workbook: the pure-Python core (model, validation, engine, matching, storage, exporters).

Nothing in this package imports Streamlit except the ``workbook.ui`` sub-package.
"""

__version__ = "0.1.0"
