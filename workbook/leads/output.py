"""Writing a scored lead list: one writer for the command line and the app's download."""

from __future__ import annotations

import pandas as pd

from workbook.files.cells import csv_text


def scored_csv(frame: pd.DataFrame) -> str:
    """The scored list as CSV text (``knocked_out`` written as true/false), safe to open in Excel."""
    out = frame.copy(deep=False)
    out["knocked_out"] = out["knocked_out"].map({True: "true", False: "false"})
    return csv_text(out)
