"""Plain words: no "(s)" in what the app says, and every statistics term on Calibration explained beside it."""

from __future__ import annotations

import re

from tests.ui.conftest import ROOT


def test_no_string_of_the_ui_counts_with_s_in_brackets() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "workbook" / "ui").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        # "error(s)" in a string, not a call such as "_escape(s) for s in …"
        if re.search(r"[a-z]\(s\)(?! for )[ ,.;:)'\"]", line) and not line.lstrip().startswith("#")
    ]
    assert found == []


def test_statistics_terms_on_calibration_have_their_meaning_beside_them(open_page) -> None:
    at = open_page("pages/calibration.py")
    captions = "\n".join(c.value for c in at.caption)
    assert "Fleiss' kappa measures how often all members pick the same state" in captions
    assert "Landis & Koch, the usual scale for reading a kappa" in captions
    assert "Cohen's kappa: how often the two members pick the same state" in captions
    assert "A tornado chart: one row per weight" in captions
