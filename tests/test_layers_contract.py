"""The house's layers are a contract (.importlinter), checked with import-linter on every run:
UI and CLI side by side, neither importing the other; export above leads above calibrate and
store, above engine, validation and edits, above matching, files and the model; only the UI
imports Streamlit; only ``workbook.ui.actions`` touches the store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint), "--config", str(REPO / ".importlinter"), "--no-cache"], capture_output=True,
                         text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 kept, 0 broken" in run.stdout
